"""Net Promoter Score with its standard error and interval, overall or per group.

Weighted when ``weights=`` is given (or the Survey has a weight column): standard errors and
intervals then use the Kish (1965) effective base ``n_eff = (sum w)^2 / sum w^2`` in place of
``n``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from needlab._engine import ENGINES, Engine, resolve_engine, to_pandas_input
from needlab._i18n import TABLE_LABELS
from needlab._stats import grouped_sum, z_value
from needlab._types import Lang, Weights
from needlab._validate import as_design, check_columns, check_option, check_weights
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

__all__ = ["NPSResult", "nps"]


@dataclass(frozen=True, repr=False)
class NPSResult(ScoreResult):
    """Result of :func:`nps`.

    Attributes
    ----------
    table : DataFrame
        One row per group and a ``Total`` row (columns described in :func:`nps`).
    var, by : hashable
        The score column and the group column (None without groups).
    ci : float
        Confidence level of the intervals.
    n_used, n_excluded : int
        Respondents with an answer and a positive weight, and the others (no answer, weight
        0; the reasons are in ``notes``).
    lang : {"en", "zh"}
        Language of the Total label and the title.
    """

    _kind = "nps"

    @property
    def score(self) -> float:
        """NPS of the total (or the only) row."""
        return float(self._total()["nps"])

    def summary(self) -> dict[str, Any]:
        t = self._total()
        return {
            "var": self.var,
            "NPS": float(t["nps"]),
            "SE": float(t["se"]),
            f"{self.ci:.0%} interval": f"{t['ci_low']:.1f} to {t['ci_high']:.1f}",
        }

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """NPS per group with its interval (see :func:`needlab.tables.plot.score_bars`)."""
        from needlab.tables.plot import score_bars

        return score_bars(self, "nps", ax=ax, **kwargs)


def nps_stats(
    x: np.ndarray,
    w: np.ndarray,
    z: float,
    *,
    n: np.ndarray | None = None,
    w2: np.ndarray | None = None,
) -> Callable[[np.ndarray, int], dict[str, np.ndarray]]:
    """Per-group NPS statistics over respondents (``x`` their answers, ``w`` their weights) or
    over counted cells (``n`` respondents, ``w`` = sum w, ``w2`` = sum w^2 per cell)."""
    rows = Rows(w, n, w2)
    answered = ~np.isnan(x)
    promoter = np.where(answered, x >= 9, False)
    detractor = np.where(answered, x <= 6, False)

    def stats(codes: np.ndarray, k: int) -> dict[str, np.ndarray]:
        c = np.where(answered, codes, -1)
        wn = grouped_sum(c, k, w)
        neff = rows.n_eff(c, k)
        with np.errstate(invalid="ignore", divide="ignore"):
            pp = grouped_sum(c, k, w * promoter) / wn
            pd_ = grouped_sum(c, k, w * detractor) / wn
            score = 100 * (pp - pd_)
            se = 100 * np.sqrt((pp * (1 - pp) + pd_ * (1 - pd_) + 2 * pp * pd_) / neff)
        return {
            "n": rows.count(c, k),
            "n_missing": rows.count(np.where(answered, -1, codes), k),
            "weighted_n": wn,
            "n_eff": neff,
            "promoters": 100 * pp,
            "passives": 100 * (1 - pp - pd_),
            "detractors": 100 * pd_,
            "nps": score,
            "se": se,
            "ci_low": np.clip(score - z * se, -100, 100),
            "ci_high": np.clip(score + z * se, -100, 100),
        }

    return stats


def nps(
    data: Any,
    var: Hashable,
    *,
    by: Hashable | None = None,
    weights: Weights = None,
    ci: float = 0.95,
    lang: Lang = "en",
    engine: Engine = "auto",
) -> NPSResult:
    """Net Promoter Score with its standard error and interval, overall or per group.

    Answers 9-10 are promoters, 7-8 passives, 0-6 detractors.
    ``NPS = 100 (pP - pD)`` with the (weighted) shares pP of promoters and pD of detractors.
    The standard error treats the answer as a trinomial variable scored +1 / 0 / -1:

    ``SE = 100 sqrt((pP (1 - pP) + pD (1 - pD) + 2 pP pD) / n_eff)``,

    with the Kish effective base ``n_eff = (sum w)^2 / sum w^2`` (the number of answers
    without weights). The interval is the normal one, ``NPS +- z SE``, clipped to [-100, 100].

    Parameters
    ----------
    data : DataFrame or Survey
        One row per respondent. A :class:`~needlab.Survey` gives the codes of *var*, the
        labels of the groups and its codebook's weight column.
    var : hashable
        The 0-10 likelihood-to-recommend answer (integers; missing allowed).
    by : hashable, optional
        A group column; the table then has one row per group and a ``Total`` row.
    weights : column name, array or False, optional
        Respondent weights; on a Survey None takes the codebook's weight column and False is
        unweighted.
    ci : float, default 0.95
        Confidence level of the interval.
    lang : {"en", "zh"}, default "en"
        Language of the total row's ``group`` label (``"Total"`` or ``"合计"``) and of the
        title. Column names of ``.table`` stay English in both languages: they are the API.
    engine : {"auto", "pandas", "duckdb"}, default "auto"
        Where the answers are counted (:func:`needlab._engine.resolve_engine`): a pandas
        frame or Survey in pandas (in DuckDB above :data:`~needlab._engine.AUTO_DUCKDB_ROWS`
        rows or with ``"duckdb"``), a Parquet/CSV path in DuckDB, a Polars frame, DuckDB
        relation or SQLFrame/PySpark DataFrame on its own backend. The engine returns one row
        per (answer, group) with n, sum w and sum w^2 (and rows with w > 0); the statistics
        above run on those cells and equal the pandas path's (floats up to the order of
        summation). For engine input ``weights`` must be a column name.

    Returns
    -------
    NPSResult
        ``n_used`` counts the respondents with an answer and a positive weight. ``.table`` has one row per group (in category order, else sorted), and a final
        ``Total`` row when ``by`` is given, with columns

        - ``group``: the group (``"Total"``, or ``"合计"`` with ``lang="zh"``, on the total
          row and without ``by``);
        - ``n``: number of answers (unweighted);
        - ``n_missing``: rows of the group without an answer (not in any percentage);
        - ``weighted_n``: sum of the weights of the answers;
        - ``n_eff``: Kish effective base of the answers;
        - ``promoters``, ``passives``, ``detractors``: weighted percentages (sum 100);
        - ``nps``: promoters minus detractors, in points from -100 to 100;
        - ``se``: standard error of ``nps`` (formula above);
        - ``ci_low``, ``ci_high``: the normal interval of ``nps``.

    Raises
    ------
    SchemaError
        A missing column.
    DataError
        Answers that are not integers from 0 to 10 (the message names the column, the values
        and their row positions), non-numeric text, or invalid weights.
    ConfigError
        An invalid ``ci`` or ``engine``; weights given as an array for an engine frame.

    References
    ----------
    Reichheld, F. F. (2003). The one number you need to grow. *Harvard Business Review*,
    81(12), 46-54. Rocks, B. (2016). Margin of error for the Net Promoter Score (the
    trinomial variance). Kish, L. (1965). *Survey Sampling*. Wiley.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"ltr": [10] * 50 + [7] * 30 + [3] * 20})
    >>> r = nps(df, "ltr")
    >>> r.table[["nps", "se"]].round(4)
        nps      se
    0  30.0  7.8102
    """
    check_option(engine, ENGINES, "engine")
    check_option(lang, ("en", "zh"), "lang")
    z = z_value(ci)
    total = TABLE_LABELS[lang]["total"]
    fix = "NPS answers must be whole numbers from 0 to 10; recode or set them missing"
    if resolve_engine(data, engine) != "pandas":
        cells, _ = engine_cells(data, [var], by, weights, engine)
        x = cell_values(cells, var, data, range(11), fix)
        codes, names, notes = cell_groups(cells, by, total)
        stats = nps_stats(
            x,
            cells["sum_w"].to_numpy(),
            z,
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
        x = score_column(data, var, range(11), fix=fix)
        w_in = check_weights(data, design.weights)
        w = np.ones(len(data)) if w_in is None else w_in
        codes, names, notes = groups(data, by, total)
        table = by_table(codes, names, by, nps_stats(x, w, z), total)
        n_used, used_notes = usage(~np.isnan(x), w, var)
        n_rows = len(data)
    notes = used_notes + notes
    if (table["n"] == 0).any():
        notes.append(
            "groups without answers have NaN scores: "
            + ", ".join(map(str, table.loc[table["n"] == 0, "group"]))
            + "."
        )
    return NPSResult(
        table,
        var=var,
        by=by,
        ci=ci,
        lang=lang,
        n_used=n_used,
        n_excluded=n_rows - n_used,
        notes=tuple(notes),
    )
