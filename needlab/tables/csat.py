"""Customer satisfaction (CSAT): % satisfied with a Wilson interval and the mean score.

Weighted when ``weights=`` is given (or the Survey has a weight column): intervals then use the
Kish (1965) effective base ``n_eff = (sum w)^2 / sum w^2`` in place of ``n``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from needlab._engine import ENGINES, Engine, resolve_engine, to_pandas_input
from needlab._i18n import TABLE_LABELS
from needlab._stats import grouped_sum, wilson_interval, z_value
from needlab._types import Lang, Weights
from needlab._validate import as_design, check_columns, check_option, check_weights
from needlab.errors import ConfigError
from needlab.tables.design import with_labels
from needlab.tables.scoring import (
    Rows,
    ScoreResult,
    by_table,
    cell_groups,
    cell_usage,
    cell_values,
    engine_cells,
    groups,
    score_column,
    usage,
)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["CSATResult", "check_scale", "csat"]


@dataclass(frozen=True, repr=False)
class CSATResult(ScoreResult):
    """Result of :func:`csat`.

    Attributes
    ----------
    table : DataFrame
        One row per group and a ``Total`` row (columns described in :func:`csat`).
    var, by : hashable
        The score column and the group column (None without groups).
    scale : tuple of int
        Lowest and highest code of the scale.
    top : tuple
        The codes counted as satisfied.
    ci : float
        Confidence level of the intervals.
    n_used, n_excluded : int
        Respondents with an answer and a positive weight, and the others (no answer, weight
        0; the reasons are in ``notes``).
    lang : {"en", "zh"}
        Language of the Total label and the title.
    """

    scale: tuple[int, int] = (1, 5)
    top: tuple[Any, ...] = (4, 5)

    _kind = "csat"

    def summary(self) -> dict[str, Any]:
        t = self._total()
        return {
            "var": self.var,
            "satisfied codes": ", ".join(map(str, self.top)),
            "% satisfied": float(t["satisfied"]),
            "mean": float(t["mean"]),
        }

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """% satisfied per group with its interval (see :func:`needlab.tables.plot.score_bars`)."""
        from needlab.tables.plot import score_bars

        return score_bars(self, "satisfied", ax=ax, **kwargs)


def check_scale(
    scale: Sequence[int] | None, top: Sequence[Any] | None
) -> tuple[tuple[int, int], tuple[Any, ...]]:
    """The scale ``(lowest, highest)`` (default ``(1, 5)``) and the satisfied codes (default
    the top two), checked.

    Raises
    ------
    ConfigError
        A scale that is not two increasing whole numbers, or top codes outside it.
    """
    if scale is None:
        scale = (1, 5)
    if (
        not isinstance(scale, (tuple, list))
        or len(scale) != 2
        or not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in scale)
        or scale[0] >= scale[1]
    ):
        raise ConfigError(
            f"scale must be a pair of whole numbers (lowest, highest), e.g. (1, 5); got {scale!r}."
        )
    lo, hi = int(scale[0]), int(scale[1])
    if top is None:
        top = (hi - 1, hi)
    if isinstance(top, (str, bytes)) or not isinstance(top, Sequence) or len(top) == 0:
        raise ConfigError(
            f"top must be a non-empty list of the satisfied codes, e.g. [4, 5]; got {top!r}."
        )
    outside = [t for t in top if not (lo <= t <= hi)]
    if outside:
        raise ConfigError(f"top codes {outside} are outside the scale {lo} to {hi}.")
    return (lo, hi), tuple(top)


def csat_stats(
    x: np.ndarray,
    w: np.ndarray,
    top: tuple[Any, ...],
    ci: float,
    *,
    n: np.ndarray | None = None,
    w2: np.ndarray | None = None,
) -> Callable[[np.ndarray, int], dict[str, np.ndarray]]:
    """Per-group CSAT statistics over respondents (``x`` their answers, ``w`` their weights)
    or over counted cells (``n`` respondents, ``w`` = sum w, ``w2`` = sum w^2 per cell)."""
    rows = Rows(w, n, w2)
    answered = ~np.isnan(x)
    sat = np.isin(x, np.asarray(top, dtype=float))
    z = z_value(ci)

    def stats(codes: np.ndarray, k: int) -> dict[str, np.ndarray]:
        c = np.where(answered, codes, -1)
        wn = grouped_sum(c, k, w)
        neff = rows.n_eff(c, k)
        with np.errstate(invalid="ignore", divide="ignore"):
            p = grouped_sum(c, k, w * sat) / wn
        lo, hi = wilson_interval(p, neff, ci)
        mean, sd, se = rows.mean_se(c, k, x)
        return {
            "n": rows.count(c, k),
            "n_missing": rows.count(np.where(answered, -1, codes), k),
            "weighted_n": wn,
            "n_eff": neff,
            "satisfied": 100 * p,
            "ci_low": 100 * lo,
            "ci_high": 100 * hi,
            "mean": mean,
            "sd": sd,
            "se_mean": se,
            "mean_ci_low": mean - z * se,
            "mean_ci_high": mean + z * se,
        }

    return stats


def csat(
    data: Any,
    var: Hashable,
    *,
    top: Sequence[Any] | None = None,
    scale: tuple[int, int] | None = None,
    by: Hashable | None = None,
    weights: Weights = None,
    ci: float = 0.95,
    lang: Lang = "en",
    engine: Engine = "auto",
) -> CSATResult:
    """Customer satisfaction: % satisfied (top box) and mean score, overall or per group.

    The % satisfied is the weighted share of answers among the ``top`` codes, with a Wilson
    (1927) interval on the Kish effective base. The mean has the standard error
    ``SD / sqrt(n_eff)``, where the weighted SD uses ``sum w (x - m)^2 / (V1 - V2/V1)``
    (``V1 = sum w``, ``V2 = sum w^2``; the ``n - 1`` SD without weights), and a normal
    interval.

    Parameters
    ----------
    data : DataFrame or Survey
        One row per respondent. A :class:`~needlab.Survey` gives the codes of *var*, the
        labels of the groups and its codebook's weight column.
    var : hashable
        The satisfaction answer (whole numbers on the scale; missing allowed).
    top : sequence, optional
        The codes counted as satisfied; default the top two codes of the scale (4 and 5 on
        a 1-5 scale).
    scale : tuple of two int, optional
        Lowest and highest code, default ``(1, 5)``. Answers outside it are an error.
    by : hashable, optional
        A group column; one row per group and a ``Total`` row.
    weights : column name, array or False, optional
        Respondent weights; on a Survey None takes the codebook's weight column and False is
        unweighted.
    ci : float, default 0.95
        Confidence level.
    lang : {"en", "zh"}, default "en"
        Language of the total row's ``group`` label (``"Total"`` or ``"合计"``) and of the
        title. Column names of ``.table`` stay English in both languages: they are the API.
    engine : {"auto", "pandas", "duckdb"}, default "auto"
        Where the answers are counted (:func:`needlab._engine.resolve_engine`), as in
        :func:`~needlab.tables.nps.nps`: the engine returns n, sum w and sum w^2 per (answer,
        group); the percentages, intervals, mean and SD follow from those cells (every
        respondent of a cell has its answer, so sum w (x - m)^2 = sum_cells sum_w (x - m)^2)
        and equal the pandas path's. For engine input ``weights`` must be a column name.

    Returns
    -------
    CSATResult
        ``n_used`` counts the respondents with an answer and a positive weight. ``.table`` has columns ``group``, ``n`` (answers), ``n_missing`` (rows without an
        answer), ``weighted_n``, ``n_eff`` (Kish effective base), ``satisfied`` (weighted
        percent in the top codes), ``ci_low`` / ``ci_high`` (its Wilson interval, percent),
        ``mean`` (weighted mean score), ``sd`` (weighted SD), ``se_mean`` (SE of the mean),
        ``mean_ci_low`` / ``mean_ci_high`` (normal interval of the mean).

    Raises
    ------
    DataError
        Answers that are not whole numbers within the scale (column, values, rows named),
        or invalid weights.
    ConfigError
        An invalid ``scale``, ``top``, ``ci`` or ``engine``; weights given as an array for an
        engine frame.

    References
    ----------
    Wilson, E. B. (1927). *JASA*, 22, 209-212. Kish, L. (1965). *Survey Sampling*. Wiley.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"sat": [5, 5, 4, 3, 2, 1, 4, 5, None, 3]})
    >>> r = csat(df, "sat")
    >>> r.table[["n", "n_missing", "satisfied", "mean"]].round(3)
       n  n_missing  satisfied  mean
    0  9          1     55.556 3.556
    """
    check_option(engine, ENGINES, "engine")
    check_option(lang, ("en", "zh"), "lang")
    z_value(ci)
    (lo, hi), top_codes = check_scale(scale, top)
    fix = (
        f"answers must be whole numbers from {lo} to {hi}; recode them, set "
        "them missing or pass scale=(lowest, highest)"
    )
    total = TABLE_LABELS[lang]["total"]
    if resolve_engine(data, engine) != "pandas":
        cells, _ = engine_cells(data, [var], by, weights, engine)
        x = cell_values(cells, var, data, range(lo, hi + 1), fix)
        codes, names, notes = cell_groups(cells, by, total)
        stats = csat_stats(
            x,
            cells["sum_w"].to_numpy(),
            top_codes,
            ci,
            n=cells["n"].to_numpy(dtype=float),
            w2=cells["sum_w2"].to_numpy(),
        )
        table = by_table(codes, names, by, stats, total)
        n_used, n_rows, used_notes = cell_usage(~np.isnan(x), cells, var)
    else:
        data = to_pandas_input(data)
        design = as_design(data, weights=weights, labels=False)
        data = with_labels(data, design, [by])
        check_columns(data, var)
        x = score_column(data, var, range(lo, hi + 1), fix=fix)
        w_in = check_weights(data, design.weights)
        w = np.ones(len(data)) if w_in is None else w_in
        codes, names, notes = groups(data, by, total)
        table = by_table(codes, names, by, csat_stats(x, w, top_codes, ci), total)
        n_used, used_notes = usage(~np.isnan(x), w, var)
        n_rows = len(data)
    return CSATResult(
        table,
        var=var,
        by=by,
        ci=ci,
        scale=(lo, hi),
        top=top_codes,
        lang=lang,
        n_used=n_used,
        n_excluded=n_rows - n_used,
        notes=tuple(used_notes + notes),
    )
