"""Importance-performance analysis (IPA).

Each attribute is placed on a map with its importance on one axis and its performance (how well
it is rated) on the other; the crossing lines split the map into the four classic quadrants of
Martilla & James (1977): keep up the good work, concentrate here, low priority, possible
overkill.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from needlab._result import Result
from needlab._types import Weights
from needlab._validate import (
    as_design,
    check_columns,
    check_numeric,
    check_weights,
    complete_rows,
    preview,
)
from needlab.errors import ConfigError, DataError, SchemaError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from needlab.io.read import Survey

__all__ = ["QUADRANTS", "IPAResult", "ipa"]

#: Quadrant labels by (high importance, high performance).
QUADRANTS = {
    (True, True): "keep up the good work",
    (True, False): "concentrate here",
    (False, False): "low priority",
    (False, True): "possible overkill",
}


@dataclass(frozen=True, repr=False)
class IPAResult(Result):
    """Result of :func:`ipa`.

    Attributes
    ----------
    table : DataFrame
        One row per driver (columns described in :func:`ipa`).
    importance_cross, performance_cross : float
        Where the crossing lines are drawn.
    cross : str
        How the crossing lines were chosen (``"mean"``, ``"median"`` or ``"given"``).
    importance_source : str
        ``"stated"`` (given) or ``"derived"`` (key-driver importance of ``outcome``).
    outcome : str or None
        The outcome used for derived importance.
    n_used, n_excluded : int
        Respondents (rows) used, and left out (listwise: a missing value in a column used, or
        a zero weight).
    """

    importance_cross: float = float("nan")
    performance_cross: float = float("nan")
    cross: str = "mean"
    importance_source: str = "stated"
    outcome: str | None = None

    title = "Importance-performance analysis"

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "drivers": len(self.table),
            "importance": self.importance_source,
            "crossing lines": self.cross,
            "importance line": self.importance_cross,
            "performance line": self.performance_cross,
        }
        if self.outcome is not None:
            out["outcome"] = self.outcome
        for q in ("concentrate here", "keep up the good work", "possible overkill", "low priority"):
            names = self.table.loc[self.table["quadrant"] == q, "driver"].astype(str).tolist()
            if names:
                out[q] = ", ".join(names)
        return out

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Quadrant map with the crossing lines, quadrant names and non-colliding labels.

        See :func:`needlab.regress.plot.ipa_map`.
        """
        from needlab.regress.plot import ipa_map

        return ipa_map(self, ax=ax, **kwargs)


def _is_column(v: Any) -> bool:
    return isinstance(v, str) or (
        isinstance(v, Hashable) and not isinstance(v, (int, float, np.number))
    )


def _named_columns(values: Any, drivers: list[Hashable]) -> list[Hashable]:
    """The column names among the per-driver values of *values* (stated importance etc.)."""
    if isinstance(values, pd.Series):
        values = values.to_dict()
    if not isinstance(values, Mapping):
        return []
    return [values[d] for d in drivers if d in values and _is_column(values[d])]


def _given(
    values: Any, drivers: list[Hashable], what: str, data: pd.DataFrame, w: np.ndarray
) -> np.ndarray:
    """Resolve stated importance / given performance: numbers, or column names to average."""
    if isinstance(values, pd.Series):
        values = values.to_dict()
    if not isinstance(values, Mapping):
        raise ConfigError(
            f"{what} must be a mapping or Series driver -> value (or -> column name), "
            f"got {type(values).__name__}."
        )
    missing = [d for d in drivers if d not in values]
    if missing:
        raise ConfigError(
            f"{what} has no value for drivers {preview(missing)}; give one for every driver."
        )
    out = np.empty(len(drivers))
    for i, d in enumerate(drivers):  # one entry per driver, never per row
        v = values[d]
        if _is_column(v):
            out[i] = np.average(data[v].to_numpy(float), weights=w)
        else:
            out[i] = float(v)
    if not np.isfinite(out).all():
        bad = [d for d, x in zip(drivers, out, strict=True) if not np.isfinite(x)]
        raise DataError(
            f"{what} is missing or infinite for {preview(bad)}; give a number for each."
        )
    return out


def ipa(
    data: pd.DataFrame | Survey,
    outcome: Hashable | None,
    drivers: Sequence[Hashable],
    *,
    importance: Mapping[Hashable, Any] | pd.Series | None = None,
    performance: Mapping[Hashable, Any] | pd.Series | None = None,
    weights: Weights = None,
    cross: Literal["mean", "median"] | tuple[float, float] = "mean",
) -> IPAResult:
    """Importance-performance analysis with derived or stated importance.

    Performance is the (weighted) mean rating of each driver (or given). Importance is either
    stated (``importance=``: numbers, or the columns of a stated importance question whose
    weighted means are taken) or derived: with ``importance=None``, the exact Shapley / LMG
    contribution to R squared of each driver for ``outcome`` from
    :func:`needlab.regress.drivers.key_drivers`.

    Missing values are handled listwise (the rule of every model function): the respondents
    used are those with a positive weight and no missing value in the drivers (when
    performance is computed), the outcome (when importance is derived) and the columns named
    in ``importance`` / ``performance``, so that importance and performance describe the same
    respondents.

    The crossing lines are the mean (``cross="mean"``, the usual choice, Martilla & James 1977)
    or the median (``cross="median"``, robust to one extreme attribute) of the drivers'
    importance values and of their performance values, or two fixed numbers
    ``cross=(importance_line, performance_line)`` such as the scale midpoint. A driver on a line
    counts as high.

    Parameters
    ----------
    data : DataFrame or Survey
        One row per respondent (a :class:`~needlab.Survey` gives its codes).
    outcome : str or None
        Overall rating from which importance is derived. It may be ``None`` only when
        ``importance=`` is given (stated importance); when both are given, the stated
        importance is used and ``outcome`` is ignored.
    drivers : list of str
        Attribute rating columns.
    importance : mapping or Series, optional
        Stated importance per driver: a number, or the name of a column of importance ratings
        (its weighted mean is used).
    performance : mapping or Series, optional
        Performance per driver (number or column name); default the weighted mean rating of the
        driver column itself.
    weights : str, array, None or False, optional
        Survey weights (column name or array), used for means and derived importance. ``None``
        on a Survey takes its codebook's weight column; ``False`` is unweighted.
    cross : {"mean", "median"} or (float, float), default "mean"
        Where the crossing lines go (see above).

    Returns
    -------
    IPAResult
        ``.table`` has one row per driver, in the order given, with columns:

        - ``driver``.
        - ``importance``: stated value, or derived importance (contribution to R squared).
        - ``performance``: (weighted) mean rating, or the given value.
        - ``quadrant``: ``"keep up the good work"`` (high importance, high performance),
          ``"concentrate here"`` (high importance, low performance), ``"low priority"`` (low,
          low) or ``"possible overkill"`` (low importance, high performance).
        - ``gap``: standardised distance to the diagonal,
          ``(z_importance - z_performance) / sqrt(2)`` with z-scores over the drivers; positive
          means the attribute matters more than it performs (the larger, the more urgent).
          Missing when fewer than two drivers or no spread.

        ``n_used`` / ``n_excluded``: respondents used and left out (listwise, see above).

    Raises
    ------
    SchemaError
        A column is missing, or no drivers.
    ConfigError
        Neither ``importance`` nor ``outcome`` given, an invalid ``cross``, or ``importance`` /
        ``performance`` lacking drivers.
    DataError
        Non-numeric ratings, invalid weights, or no complete respondent.

    References
    ----------
    Martilla, J. A., & James, J. C. (1977). Importance-performance analysis. *Journal of
    Marketing*, 41(1), 77-79.

    Bacon, D. R. (2003). A comparison of approaches to importance-performance analysis.
    *International Journal of Market Research*, 45(1), 55-71 (mean versus other crossing lines,
    diagonal gap).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"price": [2, 3, 2, 3], "speed": [4, 5, 4, 5], "design": [4, 4, 5, 5],
    ...                    "app": [2, 2, 3, 2]})
    >>> res = ipa(df, None, ["price", "speed", "design", "app"],
    ...           importance={"price": 0.4, "speed": 0.3, "design": 0.1, "app": 0.05})
    >>> res.table[["driver", "performance", "quadrant"]]
       driver  performance               quadrant
    0   price         2.50       concentrate here
    1   speed         4.50  keep up the good work
    2  design         4.50      possible overkill
    3     app         2.25           low priority
    """
    dsg = as_design(data, weights=weights)
    data, weights = dsg.data, dsg.weights
    if isinstance(drivers, str) or not isinstance(drivers, Sequence) or len(drivers) == 0:
        raise SchemaError(
            "drivers must be a non-empty list of column names, e.g. ['price', 'speed']."
        )
    drivers = list(drivers)
    check_columns(data, drivers)
    if importance is None and outcome is None:
        raise ConfigError(
            "ipa needs importance: give outcome (importance derived by key-driver analysis) or "
            "importance= (stated, per driver)."
        )
    derived = importance is None
    if derived:
        check_columns(data, outcome)
    w_all = check_weights(data, dsg.weights)
    cols: list[Hashable] = list(drivers) if performance is None else []
    if derived:
        cols.append(outcome)
    for given in (importance, performance):
        cols += _named_columns(given, drivers)
    numeric = pd.DataFrame(
        {c: check_numeric(data, c) for c in dict.fromkeys(cols)}, index=data.index
    )
    keep, n_excluded, note = complete_rows(numeric, list(numeric.columns), w_all)
    if not keep.any():
        raise DataError(
            "no respondent left: every row has a missing value in the columns used "
            f"({preview(list(numeric.columns))}) or a zero weight."
        )
    notes: list[str] = [note] if note else []
    used = numeric.loc[keep]
    w = np.ones(len(used)) if w_all is None else w_all[keep]

    if performance is None:
        perf = np.average(used[drivers].to_numpy(float), axis=0, weights=w)
    else:
        perf = _given(performance, drivers, "performance", used, w)

    if importance is not None:
        imp = _given(importance, drivers, "importance", used, w)
        source = "stated"
    else:
        from needlab.regress.drivers import key_drivers

        kd = key_drivers(used, outcome, drivers, weights=w)
        t = kd.table.set_index("driver")
        imp = t["importance"].reindex(drivers).to_numpy(float)
        source = "derived"
        notes.extend(f"key drivers: {n}" for n in kd.notes)

    if isinstance(cross, str):
        if cross not in ("mean", "median"):
            raise ConfigError(
                f"cross={cross!r} is not valid; choose 'mean', 'median' or a pair "
                "(importance_line, performance_line)."
            )
        f = np.mean if cross == "mean" else np.median
        ic, pc = float(f(imp)), float(f(perf))
        cross_name: str = cross
    else:
        try:
            ic, pc = (float(v) for v in cross)
        except (TypeError, ValueError):
            raise ConfigError(
                f"cross={cross!r} is not valid; choose 'mean', 'median' or a pair "
                "(importance_line, performance_line)."
            ) from None
        cross_name = "given"

    hi_i, hi_p = imp >= ic, perf >= pc
    quadrant = [QUADRANTS[(bool(a), bool(b))] for a, b in zip(hi_i, hi_p, strict=True)]
    with np.errstate(invalid="ignore", divide="ignore"):
        zi = (imp - imp.mean()) / imp.std(ddof=1) if len(imp) > 1 else np.full(len(imp), np.nan)
        zp = (
            (perf - perf.mean()) / perf.std(ddof=1) if len(perf) > 1 else np.full(len(perf), np.nan)
        )
        gap = (zi - zp) / np.sqrt(2)
    gap = np.where(np.isfinite(gap), gap, np.nan)
    table = pd.DataFrame(
        {
            "driver": drivers,
            "importance": imp,
            "performance": perf,
            "quadrant": quadrant,
            "gap": gap,
        }
    )
    return IPAResult(
        table,
        importance_cross=ic,
        performance_cross=pc,
        cross=cross_name,
        importance_source=source,
        outcome=None if not derived else str(outcome),
        n_used=int(keep.sum()),
        n_excluded=n_excluded,
        notes=tuple(notes),
    )
