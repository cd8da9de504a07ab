"""What the score tables (:mod:`~needlab.tables.nps`, :mod:`~needlab.tables.csat`,
:mod:`~needlab.tables.top_box`, :mod:`~needlab.tables.compare`) share: titles, the result base,
group codes, per-group tables and the checks of a score column.

Groups (``by=``) are counted in one weighted :func:`numpy.bincount` over the group codes.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from needlab._engine import Engine, count_cells, describe, is_engine_input
from needlab._i18n import TABLE_LABELS
from needlab._result import Result
from needlab._stats import codes_of, effective_n_by, grouped_sum, kish_base, weighted_mean_se
from needlab._validate import (
    as_design,
    check_allowed,
    check_columns,
    check_numeric,
    check_weights,
    preview,
)
from needlab.errors import ConfigError, DataError

__all__ = [
    "TITLES",
    "TOTAL",
    "Rows",
    "ScoreResult",
    "by_table",
    "cell_groups",
    "cell_usage",
    "cell_values",
    "engine_cells",
    "groups",
    "score_column",
    "usage",
]

TOTAL = TABLE_LABELS["en"]["total"]
"""Label of the total row (``lang="en"``; ``TABLE_LABELS["zh"]["total"]`` is ``"合计"``)."""

TITLES = {
    "nps": {"en": "Net Promoter Score", "zh": "净推荐值 NPS"},
    "csat": {"en": "Customer satisfaction (CSAT)", "zh": "满意度 CSAT"},
    "compare": {"en": "Comparison of two independent samples", "zh": "两个独立样本的比较"},
    "compare_nps": {
        "en": "Net Promoter Score: comparison of two independent samples",
        "zh": "净推荐值 NPS：两个独立样本的比较",
    },
    "compare_csat": {
        "en": "Customer satisfaction (CSAT): comparison of two independent samples",
        "zh": "满意度 CSAT：两个独立样本的比较",
    },
    "top_box": {"en": "Top box", "zh": "高分框 Top box"},
    "bottom_box": {"en": "Bottom box", "zh": "低分框 Bottom box"},
}
"""Result titles by kind and ``lang``."""


@dataclass(frozen=True, repr=False)
class ScoreResult(Result):
    """Base of :class:`~needlab.tables.nps.NPSResult` and :class:`~needlab.tables.csat.CSATResult`.

    Attributes
    ----------
    var, by : hashable
        The score column and the group column (None without groups).
    ci : float
        Confidence level of the intervals.
    lang : {"en", "zh"}
        Language of the Total label and the title.
    """

    var: Hashable = None
    by: Hashable = None
    ci: float = 0.95
    lang: str = "en"

    _kind = ""

    @property
    def title(self) -> str:  # type: ignore[override]
        return TITLES[self._kind].get(self.lang, TITLES[self._kind]["en"])

    def _total(self) -> pd.Series:
        # The total row is the only row without groups and the last row with them (found by
        # position, so a group that happens to be called "Total" cannot be taken for it).
        t = self.table
        return t.iloc[0] if self.by is None else t.iloc[-1]


def groups(
    data: pd.DataFrame, by: Hashable | None, total: str = TOTAL
) -> tuple[np.ndarray, list[Any], list[str]]:
    """Group codes (-1 = missing group), group names, notes; *total* labels the total row."""
    if by is None:
        return np.zeros(len(data), dtype=np.int64), [total], []
    check_columns(data, by)
    codes, cats = codes_of(data[by], by, keep_unused=False)
    notes = []
    miss = int((codes < 0).sum())
    if miss:
        notes.append(
            f"{miss} rows have no value in the group column {by!r}: they are left out of "
            f"the group rows but counted in the {total} row."
        )
    if len(cats) == 0:
        raise DataError(f"group column {by!r} has no values; every row is missing.")
    return codes, list(cats), notes


def by_table(
    codes: np.ndarray,
    names: list[Any],
    by: Hashable | None,
    stats: Callable[[np.ndarray, int], dict[str, np.ndarray]],
    total: str = TOTAL,
) -> pd.DataFrame:
    """Per-group rows from *stats* and, with groups, a *total* row over all rows."""
    out = pd.DataFrame({"group": pd.Series(names, dtype=object), **stats(codes, len(names))})
    if by is not None:
        tot = pd.DataFrame({"group": [total], **stats(np.zeros(len(codes), dtype=np.int64), 1)})
        out = pd.concat([out, tot], ignore_index=True)
    for c in ("n", "n_missing"):
        if c in out:
            out[c] = out[c].astype(np.int64)
    return out


def score_column(data: pd.DataFrame, var: Hashable, allowed: Sequence[int], fix: str) -> np.ndarray:
    """Column *var* as floats (NaN = missing), every answer checked to be in *allowed*."""
    x = check_numeric(data, var)
    check_allowed(pd.DataFrame({var: x}), var, allowed, fix=fix)
    return x.to_numpy(dtype=float)


def usage(answered: np.ndarray, w: np.ndarray, var: Hashable | str) -> tuple[int, list[str]]:
    """Rows used (an answer and a positive weight) and the notes on the rows left out.

    Parameters
    ----------
    answered : array of bool
        Rows with an answer (to *var*, or to at least one item of a battery).
    w : array of float
        The weights (ones without weights).
    var : hashable or str
        What was answered, for the notes.

    Examples
    --------
    >>> n_used, notes = usage(np.array([True, True, False]), np.array([1.0, 0.0, 1.0]), "q")
    >>> n_used, len(notes)
    (1, 2)
    """
    n = len(answered)
    missing = int(n - np.count_nonzero(answered))
    zero = int(np.count_nonzero(answered & (w <= 0)))
    notes = []
    if missing:
        notes.append(
            f"{missing} of {n} rows have no answer in {var!r}; they are counted in n_missing "
            "and left out of the percentages and scores."
        )
    if zero:
        notes.append(
            f"{zero} rows with an answer have weight 0: they count for nothing (excluded "
            "from n_used)."
        )
    return n - missing - zero, notes


@dataclass(frozen=True)
class Rows:
    """The weights of the rows a score table sums over: respondents (the pandas path: ``n`` and
    ``w2`` None, one row each, w^2 computed) or counted cells (an engine: ``n`` respondents,
    ``w`` = sum w and ``w2`` = sum w^2 per cell). Every sum of the statistics is a sum over
    respondents, which the cells add up exactly (a cell's respondents share its answer and
    group), so both give the same statistics up to the order of summation."""

    w: np.ndarray
    n: np.ndarray | None = None
    w2: np.ndarray | None = None

    def count(self, codes: np.ndarray, k: int) -> np.ndarray:
        """Respondents per group."""
        return grouped_sum(codes, k) if self.n is None else grouped_sum(codes, k, self.n)

    def n_eff(self, codes: np.ndarray, k: int) -> np.ndarray:
        """Kish effective base per group."""
        if self.w2 is None:
            return effective_n_by(codes, k, self.w)
        return kish_base(grouped_sum(codes, k, self.w), grouped_sum(codes, k, self.w2))

    def mean_se(
        self, codes: np.ndarray, k: int, x: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Weighted mean, SD and SE per group (:func:`needlab._stats.weighted_mean_se`)."""
        if self.w2 is None:
            return weighted_mean_se(codes, k, x, self.w)
        return _cells_mean_se(codes, k, x, self.w, self.w2)


def _cells_mean_se(
    codes: np.ndarray, k: int, x: np.ndarray, sw: np.ndarray, sw2: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`needlab._stats.weighted_mean_se` on cells of one value *x* each, with sum w
    and sum w^2 per cell: the same sums (sum w (x - m)^2 of a cell is sw (x - m)^2)."""
    c = np.where(np.isnan(x), -1, codes)
    xs = np.where(np.isnan(x), 0.0, x)
    v1 = grouped_sum(c, k, sw)
    v2 = grouped_sum(c, k, sw2)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = grouped_sum(c, k, sw * xs) / v1
        dev = xs - np.where(c >= 0, mean[np.clip(c, 0, None)] if k else 0.0, 0.0)
        ss = grouped_sum(c, k, sw * dev * dev)
        denom = v1 - v2 / v1
        ok = denom > 1e-9 * v1
        sd = np.sqrt(np.where(ok, ss / np.where(ok, denom, 1.0), np.nan))
        neff = np.where(v2 > 0, v1 * v1 / np.where(v2 > 0, v2, 1.0), 0.0)
        se = np.where(neff > 0, sd / np.sqrt(np.where(neff > 0, neff, 1.0)), np.nan)
    mean = np.where(v1 > 0, mean, np.nan)
    return mean, sd, se


def engine_cells(
    data: Any,
    keys: Sequence[Hashable],
    by: Hashable | None,
    weights: Any,
    engine: Engine,
) -> tuple[pd.DataFrame, bool]:
    """Cells of (*keys*, *by*) counted in the engine: ``n``, ``sum_w``, ``sum_w2``, ``n_pos``.

    Engine input is counted where it lives (``weights`` a column name, or None/False); a pandas
    frame or Survey is resolved as on the pandas path (a Survey's codes, its groups labelled,
    its weight column) and handed to DuckDB. Returns the cells and whether they are weighted.
    """
    from needlab.tables.design import with_labels

    names = [*keys, *([by] if by is not None else [])]
    if is_engine_input(data):
        if weights is not None and weights is not False and not isinstance(weights, str):
            raise ConfigError(
                f"weights for a {describe(data)} must name one of its columns (got a "
                f"{type(weights).__name__}); add the weights as a column in the engine."
            )
        wcol = None if weights is None or weights is False else weights
        return count_cells(data, names, weights=wcol, engine=engine), wcol is not None
    design = as_design(data, weights=weights, labels=False)
    frame = with_labels(data, design, [by])
    check_columns(frame, names)
    w = check_weights(frame, design.weights)
    return count_cells(frame, names, weights=w, engine="duckdb"), w is not None


def cell_values(
    cells: pd.DataFrame,
    var: Hashable,
    data: Any,
    allowed: Sequence[float] | None = None,
    fix: str = "recode them or set them to missing",
) -> np.ndarray:
    """The answers of counted cells as floats (NaN = missing), checked as :func:`score_column`
    checks the rows (numbers, finite, and in *allowed* when given); the message names the
    column, the values, how many respondents give them and the engine."""
    s = cells[var]
    n = cells["n"].to_numpy()
    if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
        x = s.to_numpy(dtype=float)
    else:
        conv = pd.to_numeric(s, errors="coerce")
        bad = conv.isna().to_numpy() & s.notna().to_numpy()
        if bad.any():
            raise DataError(
                f"column {var!r} must be numeric but has {int(n[bad].sum())} non-numeric values "
                f"in the {describe(data)}: {preview(s[bad])}. Recode them or set them to missing."
            )
        x = conv.to_numpy(dtype=float)
    inf = np.isinf(x)
    if inf.any():
        raise DataError(
            f"column {var!r} has {int(n[inf].sum())} infinite values in the {describe(data)}; "
            "set them to missing."
        )
    if allowed is not None:
        out = ~np.isnan(x) & ~np.isin(x, np.asarray(list(allowed), dtype=float))
        if out.any():
            allowed = list(allowed)
            raise DataError(
                f"column {var!r} has {int(n[out].sum())} values outside the allowed set "
                f"{preview(allowed, 12) if len(allowed) > 12 else allowed} in the "
                f"{describe(data)}: {preview(x[out].tolist())}; {fix}."
            )
    return x


def cell_groups(
    cells: pd.DataFrame, by: Hashable | None, total: str = TOTAL
) -> tuple[np.ndarray, list[Any], list[str]]:
    """:func:`groups` on counted cells: group codes per cell, group names, notes (the rows
    without a group counted by their respondents)."""
    if by is None:
        return np.zeros(len(cells), dtype=np.int64), [total], []
    codes, cats = codes_of(cells[by], by, keep_unused=False)
    notes = []
    miss = int(cells["n"].to_numpy()[codes < 0].sum())
    if miss:
        notes.append(
            f"{miss} rows have no value in the group column {by!r}: they are left out of "
            f"the group rows but counted in the {total} row."
        )
    if len(cats) == 0:
        raise DataError(f"group column {by!r} has no values; every row is missing.")
    return codes, list(cats), notes


def cell_usage(
    answered: np.ndarray, cells: pd.DataFrame, var: Hashable | str
) -> tuple[int, int, list[str]]:
    """:func:`usage` on counted cells: rows used, rows given and the notes."""
    n = cells["n"].to_numpy()
    pos = cells["n_pos"].to_numpy()
    total = int(n.sum())
    missing = int(n[~answered].sum())
    zero = int((n - pos)[answered].sum())
    notes = []
    if missing:
        notes.append(
            f"{missing} of {total} rows have no answer in {var!r}; they are counted in n_missing "
            "and left out of the percentages and scores."
        )
    if zero:
        notes.append(
            f"{zero} rows with an answer have weight 0: they count for nothing (excluded "
            "from n_used)."
        )
    return total - missing - zero, total, notes
