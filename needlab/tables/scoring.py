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

from needlab._i18n import TABLE_LABELS
from needlab._result import Result
from needlab._stats import codes_of
from needlab._validate import check_allowed, check_columns, check_numeric
from needlab.errors import DataError

__all__ = [
    "TITLES",
    "TOTAL",
    "ScoreResult",
    "by_table",
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
