"""Penalty-reward (dissatisfier-enhancer) analysis of attribute ratings.

For every attribute rating two dummies are made: ``low`` (a poor rating, e.g. bottom-2-box) and
``high`` (an excellent rating, e.g. top-2-box); the middle of the scale is the reference. The
overall outcome is regressed on all the dummies at once (weighted least squares). The coefficient
of ``low`` is the *penalty* (how much the outcome drops when the attribute is rated poorly) and
the coefficient of ``high`` the *reward* (how much it rises when the attribute is rated
excellent). Attributes that only penalise are basic needs (dissatisfiers), those that only reward
are excitement needs (enhancers), those that do both are performance needs: the same three-way
split as Kano's must-be / attractive / one-dimensional, obtained from an ordinary satisfaction
survey.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from needlab._result import Result
from needlab._types import Weights
from needlab._validate import (
    as_design,
    check_alpha,
    check_columns,
    check_numeric,
    check_weights,
    complete_rows,
    preview,
)
from needlab.errors import ConfigError, DataError, SchemaError
from needlab.regress.wls import wls

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from needlab.io.read import Survey

__all__ = ["KDAResult", "kda"]

#: Class of an attribute -> Kano letter used to cross-check Kano results.
KANO_LETTER = {
    "basic": "M",
    "excitement": "A",
    "performance": "O",
    "neutral": "I",
    "unexpected sign": "",
}


def _box(values: pd.DataFrame, spec: Any, side: str) -> pd.DataFrame:
    """Boolean frame: value <= spec (low) / >= spec (high) for a number, membership for a set."""
    if isinstance(spec, (int, float, np.integer, np.floating)) and not isinstance(spec, bool):
        if not np.isfinite(spec):
            raise ConfigError(f"{side}={spec!r} is not a finite number; give a scale value.")
        return values <= spec if side == "low" else values >= spec
    if isinstance(spec, Collection) and not isinstance(spec, str) and len(spec) > 0:
        return values.isin(list(spec))
    raise ConfigError(
        f"{side}={spec!r} is not valid; give a number (low: values <= it, high: values >= it) "
        "or a list of scale values, e.g. low=[1, 2], high=[4, 5]."
    )


@dataclass(frozen=True, repr=False)
class KDAResult(Result):
    """Result of :func:`kda`.

    Attributes
    ----------
    table : DataFrame
        One row per attribute (columns described in :func:`kda`).
    model : DataFrame
        The full regression: ``term`` (``intercept``, ``<driver>_low``, ``<driver>_high``),
        ``coef``, ``se``, ``t``, ``p_value``.
    outcome : str
        The outcome column.
    r2 : float
        (Weighted) R squared of the dummy regression.
    n_used, n_excluded : int
        Respondents (rows) used (complete on outcome and every driver, positive weight) and
        excluded (missing outcome or driver value, zero weight).
    alpha : float
        Significance level of the classification.
    """

    model: pd.DataFrame | None = None
    outcome: str = ""
    r2: float = float("nan")
    alpha: float = 0.05

    title = "Penalty-reward analysis"

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "outcome": self.outcome,
            "R2": self.r2,
            "alpha": self.alpha,
        }
        for cls in ("basic", "performance", "excitement", "neutral", "unexpected sign"):
            names = self.table.loc[self.table["class"] == cls, "driver"].astype(str).tolist()
            if names:
                out[cls] = ", ".join(names)
        return out

    def tables(self) -> dict[str, pd.DataFrame]:
        out = {"penalty-reward": self.table}
        if self.model is not None:
            out["model"] = self.model
        return out

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Diverging bars: penalty to the left, reward to the right, coloured by class.

        See :func:`needlab.regress.plot.kda_bars`.
        """
        from needlab.regress.plot import kda_bars

        return kda_bars(self, ax=ax, **kwargs)


def kda(
    data: pd.DataFrame | Survey,
    outcome: Hashable,
    drivers: Sequence[Hashable],
    *,
    weights: Weights = None,
    low: float | Collection[float] | None = None,
    high: float | Collection[float] | None = None,
    alpha: float = 0.05,
) -> KDAResult:
    """Penalty-reward analysis: which attributes hurt when poor and which delight when excellent.

    Each driver rating ``x_j`` gives two dummies, ``low_j = [x_j in low]`` and
    ``high_j = [x_j in high]`` (the middle of the scale is the reference), and the outcome is
    regressed on all of them together::

        outcome = b0 + sum_j (penalty_j * low_j + reward_j * high_j) + e

    by (weighted) least squares, as statsmodels ``WLS`` (t tests with ``n - k`` degrees of
    freedom). An attribute is then classified with significance level ``alpha``:

    - ``"basic"`` (dissatisfier, Kano M): significant negative penalty, no significant positive
      reward;
    - ``"excitement"`` (enhancer / delighter, Kano A): significant positive reward, no
      significant negative penalty;
    - ``"performance"`` (Kano O): both;
    - ``"neutral"`` (Kano I): neither;
    - ``"unexpected sign"`` (no Kano letter): a significant effect in the wrong direction, a
      positive penalty (a poor rating goes with *higher* satisfaction) or a negative reward. It
      is not given a Kano class; a note names the drivers (check the coding of the scale,
      reversed items, or a suppressor effect among correlated drivers).

    Parameters
    ----------
    data : DataFrame or Survey
        One row per respondent (a :class:`~needlab.Survey` gives its codes).
    outcome : str
        Overall satisfaction (or another overall rating) column.
    drivers : list of str
        Attribute rating columns, all on the same scale.
    weights : str, array, None or False, optional
        Survey weights (column name or array, one per row); the regression is then WLS.
        ``None`` on a Survey takes its codebook's weight column; ``False`` is unweighted.
        Rows with zero weight are excluded (counted in ``n_excluded``).
    low : number or list, optional
        Ratings that count as poor: a number means ``value <= low``, a list the exact values.
        Default ``2`` (bottom-2-box of a 1-5 scale).
    high : number or list, optional
        Ratings that count as excellent: a number means ``value >= high``, a list the exact
        values. Default ``4`` (top-2-box of a 1-5 scale). For 0-10 scales pass e.g. ``low=6,
        high=9``.
    alpha : float, default 0.05
        Significance level used for the classes.

    Returns
    -------
    KDAResult
        ``.table`` has one row per driver, in the order given, with columns:

        - ``driver``: the attribute column.
        - ``penalty``: coefficient of the low dummy, the change in the outcome when the
          attribute is rated poorly rather than middling (negative when poor ratings hurt).
        - ``penalty_p``: two-sided p value of ``penalty``.
        - ``reward``: coefficient of the high dummy, the change in the outcome when the attribute
          is rated excellent rather than middling (positive when it delights).
        - ``reward_p``: two-sided p value of ``reward``.
        - ``class``: ``"basic"``, ``"excitement"``, ``"performance"``, ``"neutral"`` or
          ``"unexpected sign"`` (above).
        - ``kano``: the matching Kano letter (M, A, O, I; empty for an unexpected sign) for
          cross-checking a Kano study.
        - ``share_low``, ``share_high``: (weighted) share of respondents in the low and high
          boxes.

        A driver without any low (or high) rating has no such dummy: its ``penalty`` (or
        ``reward``) and p value are missing, and a note says so. ``.model`` holds the full
        coefficient table; ``r2`` the fit; ``n_used`` / ``n_excluded`` the respondents used
        and left out (listwise: a missing outcome or driver value, or zero weight).

    Raises
    ------
    SchemaError
        A column is missing, or fewer than one driver is given.
    DataError
        Non-numeric or infinite ratings, invalid weights, too few complete rows for the
        regression, or default boxes used on values outside 1-5.
    ConfigError
        Invalid ``low`` / ``high``: not finite, inverted (``low >= high``), overlapping, or
        leaving no middle rating (the reference) for a driver, e.g. ``low=9, high=10`` on a
        0-10 scale; or an invalid ``alpha``.

    References
    ----------
    Brandt, D. R. (1987). A procedure for identifying value-enhancing service components using
    customer satisfaction survey data. In *Add Value to Your Service* (pp. 61-65). American
    Marketing Association.

    Conklin, M., Powaga, K., & Lipovetsky, S. (2004). Customer satisfaction analysis:
    Identification of key drivers. *European Journal of Operational Research*, 154(3), 819-827.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame(rng.integers(1, 6, size=(600, 2)), columns=["price", "design"])
    >>> df["overall"] = (5 - 1.0 * (df["price"] <= 2) + 0.8 * (df["design"] >= 4)
    ...                  + rng.normal(0, 0.5, 600))
    >>> res = kda(df, "overall", ["price", "design"])
    >>> res.table[["driver", "class", "kano"]]
       driver       class kano
    0   price       basic    M
    1  design  excitement    A
    """
    dsg = as_design(data, weights=weights)
    data, weights = dsg.data, dsg.weights
    alpha = check_alpha(alpha)
    if isinstance(drivers, str) or not isinstance(drivers, Sequence) or len(drivers) == 0:
        raise SchemaError(
            "drivers must be a non-empty list of column names, e.g. ['price', 'speed']."
        )
    drivers = list(drivers)
    if outcome in drivers:
        raise SchemaError(
            f"outcome {outcome!r} is also listed as a driver; remove it from drivers."
        )
    check_columns(data, [outcome, *drivers])
    w_all = check_weights(data, dsg.weights)
    frame = pd.DataFrame({c: check_numeric(data, c) for c in [outcome, *drivers]})
    keep, n_excluded, note = complete_rows(frame, [outcome, *drivers], w_all)
    notes: list[str] = [note] if note else []
    frame = frame.loc[keep]
    w = np.ones(len(frame)) if w_all is None else w_all[keep]
    X = frame[drivers]
    defaults = low is None and high is None
    low = 2 if low is None else low
    high = 4 if high is None else high
    num = (int, float, np.integer, np.floating)
    if (
        isinstance(low, num)
        and isinstance(high, num)
        and not isinstance(low, bool)
        and not isinstance(high, bool)
        and np.isfinite(low)
        and np.isfinite(high)
        and low >= high
    ):
        raise ConfigError(
            f"low={low!r} must be below high={high!r}: the boxes overlap or are inverted (low: "
            "ratings <= low, high: ratings >= high, with a middle between them as the "
            "reference); e.g. low=2, high=4 on 1-5 or low=6, high=9 on 0-10."
        )
    if defaults and len(X):
        vals = X.to_numpy()
        bad = (vals < 1) | (vals > 5)
        if bad.any():
            raise DataError(
                f"the default boxes (low <= 2, high >= 4) assume a 1-5 scale but the drivers have "
                f"values {preview(np.unique(vals[bad]))}; pass low= and high= for this scale "
                "(e.g. low=6, high=9 on 0-10)."
            )
    lo = _box(X, low, "low").to_numpy()
    hi = _box(X, high, "high").to_numpy()
    if (lo & hi).any():
        both = [drivers[i] for i in np.flatnonzero((lo & hi).any(axis=0))]
        raise ConfigError(
            f"low={low!r} and high={high!r} overlap (a rating is both low and high for "
            f"{preview(both)}); choose boxes that do not share values."
        )
    wsum = w.sum()
    share_low = (w @ lo) / wsum if wsum > 0 else np.full(len(drivers), np.nan)
    share_high = (w @ hi) / wsum if wsum > 0 else np.full(len(drivers), np.nan)
    names = [f"{d}_low" for d in drivers] + [f"{d}_high" for d in drivers]
    dummies = np.column_stack([lo, hi]).astype(float)
    used = dummies.any(axis=0)
    empty = [names[i] for i in np.flatnonzero(~used)]
    if empty:
        notes.append(f"no respondent in the box for {preview(empty)}: those terms are left out.")
    design = np.column_stack([np.ones(len(X)), dummies[:, used]])
    k = design.shape[1]
    n_pos = len(X)
    if n_pos <= k:
        raise DataError(
            f"{n_pos} complete rows with positive weight for {k} regression terms (intercept, low "
            "and high dummies); more respondents are needed, or fewer drivers."
        )
    nomid = (lo | hi).all(axis=0) if len(X) else np.zeros(len(drivers), dtype=bool)
    if nomid.any():
        raise ConfigError(
            f"low={low!r} and high={high!r} leave no middle rating for "
            f"{preview([drivers[i] for i in np.flatnonzero(nomid)])}: every answer is low or "
            "high, so there is no reference for the penalty and reward. Narrow the boxes (e.g. "
            "low=6, high=9 on a 0-10 scale)."
        )
    y = frame[outcome].to_numpy(float)
    if np.unique(y).size < 2:
        raise DataError(
            f"outcome {outcome!r} has a single value ({preview(np.unique(y))}) over the "
            "complete rows; penalty-reward analysis needs an outcome that varies."
        )
    fit = wls(design, y, w)
    if fit.rank < k:
        raise DataError(
            "the low/high dummies are perfectly collinear (for example two drivers with identical "
            "answers); drop one of the duplicated drivers."
        )
    coef = np.full(2 * len(drivers), np.nan)
    pval = np.full(2 * len(drivers), np.nan)
    coef[used], pval[used] = fit.coef[1:], fit.p[1:]
    m = len(drivers)
    penalty, penalty_p, reward, reward_p = coef[:m], pval[:m], coef[m:], pval[m:]
    pen_sig = (penalty < 0) & (penalty_p < alpha)
    rew_sig = (reward > 0) & (reward_p < alpha)
    wrong = ((penalty > 0) & (penalty_p < alpha)) | ((reward < 0) & (reward_p < alpha))
    cls = np.select(
        [wrong, pen_sig & rew_sig, pen_sig, rew_sig],
        ["unexpected sign", "performance", "basic", "excitement"],
        default="neutral",
    )
    if wrong.any():
        parts = []
        for i in np.flatnonzero(wrong):
            if penalty[i] > 0 and penalty_p[i] < alpha:
                parts.append(f"{drivers[i]!r} penalty +{penalty[i]:.3g} (p={penalty_p[i]:.3g})")
            if reward[i] < 0 and reward_p[i] < alpha:
                parts.append(f"{drivers[i]!r} reward {reward[i]:.3g} (p={reward_p[i]:.3g})")
        notes.append(
            f"unexpected sign for {int(wrong.sum())} drivers, not given a Kano class: "
            + "; ".join(parts)
            + ". A poor rating that raises the outcome (or an excellent one that lowers it) "
            "points to a reversed scale, a coding error or a suppressor among correlated "
            "drivers."
        )
    table = pd.DataFrame(
        {
            "driver": drivers,
            "penalty": penalty,
            "penalty_p": penalty_p,
            "reward": reward,
            "reward_p": reward_p,
            "class": cls,
            "kano": [KANO_LETTER[c] for c in cls],
            "share_low": share_low,
            "share_high": share_high,
        }
    )
    terms = ["intercept", *[names[i] for i in np.flatnonzero(used)]]
    model = pd.DataFrame(
        {"term": terms, "coef": fit.coef, "se": fit.se, "t": fit.t, "p_value": fit.p}
    )
    return KDAResult(
        table,
        model=model,
        outcome=str(outcome),
        r2=float(fit.r2),
        n_used=int(len(X)),
        n_excluded=n_excluded,
        alpha=alpha,
        notes=tuple(notes),
    )
