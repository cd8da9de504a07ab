"""Scores of customer surveys: Net Promoter Score, CSAT (% satisfied and mean) and top-box batteries.

Every statistic is weighted when ``weights=`` is given; standard errors and intervals then use
the Kish (1965) effective base ``n_eff = (sum w)^2 / sum w^2`` in place of ``n``. Groups
(``by=``) are counted in one weighted :func:`numpy.bincount` over the group codes.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from needlab._result import Result
from needlab._stats import (
    codes_of,
    effective_n_by,
    grouped_sum,
    weighted_mean_se,
    wilson_interval,
    z_value,
)
from needlab._validate import (
    check_allowed,
    check_columns,
    check_frame,
    check_numeric,
    check_option,
    check_weights,
)
from needlab.errors import ConfigError, DataError
from needlab.tables.crosstab import LABELS

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = [
    "CSATResult",
    "ComparisonResult",
    "NPSResult",
    "TopBoxResult",
    "compare_csat",
    "compare_nps",
    "csat",
    "nps",
    "top_box",
]

TOTAL = LABELS["en"]["total"]
"""Label of the total row (``lang="en"``; ``LABELS["zh"]["total"]`` is ``"合计"``)."""

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

Lang = Literal["en", "zh"]

Weights = Hashable | Sequence[float] | np.ndarray | None


# ----------------------------------------------------------------------------- results


@dataclass(frozen=True, repr=False)
class _ScoreResult(Result):
    column: Hashable = None
    by: Hashable = None
    ci: float = 0.95
    n: int = 0
    n_missing: int = 0
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


@dataclass(frozen=True, repr=False)
class NPSResult(_ScoreResult):
    """Result of :func:`nps`.

    Attributes
    ----------
    table : DataFrame
        One row per group and a ``Total`` row (columns described in :func:`nps`).
    column, by : hashable
        The score column and the group column (None without groups).
    ci : float
        Confidence level of the intervals.
    n, n_missing : int
        Rows in the data and rows without an answer.
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
            "column": self.column,
            "NPS": float(t["nps"]),
            "SE": float(t["se"]),
            f"{self.ci:.0%} interval": f"{t['ci_low']:.1f} to {t['ci_high']:.1f}",
            "answers": int(t["n"]),
            "missing": self.n_missing,
        }

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """NPS per group with its interval (see :func:`needlab.tables.plot.score_bars`)."""
        from needlab.tables.plot import score_bars

        return score_bars(self, "nps", ax=ax, **kwargs)


@dataclass(frozen=True, repr=False)
class CSATResult(_ScoreResult):
    """Result of :func:`csat`.

    Attributes
    ----------
    table : DataFrame
        One row per group and a ``Total`` row (columns described in :func:`csat`).
    column, by : hashable
        The score column and the group column (None without groups).
    scale : tuple of int
        Lowest and highest code of the scale.
    top : tuple
        The codes counted as satisfied.
    ci : float
        Confidence level of the intervals.
    n, n_missing : int
        Rows in the data and rows without an answer.
    lang : {"en", "zh"}
        Language of the Total label and the title.
    """

    scale: tuple[int, int] = (1, 5)
    top: tuple[Any, ...] = (4, 5)

    _kind = "csat"

    def summary(self) -> dict[str, Any]:
        t = self._total()
        return {
            "column": self.column,
            "satisfied codes": ", ".join(map(str, self.top)),
            "% satisfied": float(t["satisfied"]),
            "mean": float(t["mean"]),
            "answers": int(t["n"]),
            "missing": self.n_missing,
        }

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """% satisfied per group with its interval (see :func:`needlab.tables.plot.score_bars`)."""
        from needlab.tables.plot import score_bars

        return score_bars(self, "satisfied", ax=ax, **kwargs)


@dataclass(frozen=True, repr=False)
class ComparisonResult(Result):
    """Result of :func:`compare_nps` and :func:`compare_csat`.

    Attributes
    ----------
    table : DataFrame
        One row per compared measure (columns described in the function).
    names : tuple of str
        Names of the two samples, first ``a`` then ``b``; differences are ``b - a``.
    diff, se, z, p_value, ci_low, ci_high : float
        The first row of the table: difference, its standard error, the z statistic, the
        two-sided p value and the interval of the difference.
    kind : {"compare", "compare_nps", "compare_csat"}
        What was compared (sets the title).
    lang : {"en", "zh"}
        Language of the title.
    """

    names: tuple[str, str] = ("a", "b")
    diff: float = np.nan
    se: float = np.nan
    z: float = np.nan
    p_value: float = np.nan
    ci_low: float = np.nan
    ci_high: float = np.nan
    kind: str = "compare"
    lang: str = "en"

    @property
    def title(self) -> str:  # type: ignore[override]
        titles = TITLES.get(self.kind, TITLES["compare"])
        return titles.get(self.lang, titles["en"])

    def summary(self) -> dict[str, Any]:
        return {
            "difference": f"{self.names[1]} - {self.names[0]} = {self.diff:.4g}",
            "z": self.z,
            "p value": self.p_value,
        }


@dataclass(frozen=True, repr=False)
class TopBoxResult(Result):
    """Result of :func:`top_box`.

    Attributes
    ----------
    table : DataFrame
        One row per item (and group); columns described in :func:`top_box`.
    box : tuple
        The codes counted in the box.
    bottom : bool
        Whether the bottom box was counted.
    by : hashable
        The group column (None without groups).
    lang : {"en", "zh"}
        Language of the Total label and the title.
    """

    box: tuple[Any, ...] = ()
    bottom: bool = False
    by: Hashable = None
    lang: str = "en"

    @property
    def title(self) -> str:  # type: ignore[override]
        titles = TITLES["bottom_box" if self.bottom else "top_box"]
        return titles.get(self.lang, titles["en"])

    def summary(self) -> dict[str, Any]:
        return {
            "box": ("bottom" if self.bottom else "top") + f"-{len(self.box)}",
            "codes": ", ".join(map(str, self.box)),
            "items": self.table["item"].nunique(),
        }

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Horizontal bars of the box percentage per item (see :func:`needlab.tables.plot.box_bars`)."""
        from needlab.tables.plot import box_bars

        return box_bars(self, ax=ax, **kwargs)


# ----------------------------------------------------------------------------- helpers


def _groups(
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


def _by_table(
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


def _score_column(
    data: pd.DataFrame, col: Hashable, allowed: Sequence[int], fix: str
) -> np.ndarray:
    x = check_numeric(data, col)
    check_allowed(pd.DataFrame({col: x}), col, allowed, fix=fix)
    return x.to_numpy(dtype=float)


def _nps_stats(
    x: np.ndarray, w: np.ndarray, z: float
) -> Callable[[np.ndarray, int], dict[str, np.ndarray]]:
    answered = ~np.isnan(x)
    promoter = np.where(answered, x >= 9, False)
    detractor = np.where(answered, x <= 6, False)

    def stats(codes: np.ndarray, k: int) -> dict[str, np.ndarray]:
        c = np.where(answered, codes, -1)
        wn = grouped_sum(c, k, w)
        neff = effective_n_by(c, k, w)
        with np.errstate(invalid="ignore", divide="ignore"):
            pp = grouped_sum(c, k, w * promoter) / wn
            pd_ = grouped_sum(c, k, w * detractor) / wn
            score = 100 * (pp - pd_)
            se = 100 * np.sqrt((pp * (1 - pp) + pd_ * (1 - pd_) + 2 * pp * pd_) / neff)
        return {
            "n": grouped_sum(c, k),
            "n_missing": grouped_sum(np.where(answered, -1, codes), k),
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


def _missing_note(n_missing: int, n: int, col: Hashable) -> list[str]:
    if not n_missing:
        return []
    return [
        f"{n_missing} of {n} rows have no answer in {col!r}; they are counted in n_missing "
        "and left out of the percentages and scores."
    ]


def _two_samples(
    a: pd.DataFrame,
    b: pd.DataFrame | None,
    col: Hashable | None,
    by: Hashable | None,
    weights: Any,
    names: tuple[str, str] | None,
) -> tuple[list[tuple[pd.DataFrame, np.ndarray | None]], tuple[str, str]]:
    """The two samples to compare, as (frame, weights) pairs, and their names."""
    if col is None:
        raise ConfigError("col= is required: name the score column.")
    check_frame(a, name="a")
    if b is not None:
        if by is not None:
            raise ConfigError("give either two frames (a, b) or one frame with by=, not both.")
        check_frame(b, name="b")
        if isinstance(weights, (tuple, list)) and len(weights) == 2:
            wa, wb = weights
        else:
            wa = wb = weights
        pairs = [(a, check_weights(a, wa)), (b, check_weights(b, wb))]
        return pairs, names or ("a", "b")
    if by is None:
        raise ConfigError(
            "compare two samples: pass two frames (a, b) or one frame with by= "
            "naming a column with exactly two groups."
        )
    check_columns(a, [col, by])
    w = check_weights(a, weights)
    codes, cats = codes_of(a[by], by, keep_unused=False)
    if len(cats) != 2:
        raise ConfigError(
            f"by={by!r} must have exactly two groups to compare; it has {len(cats)}: "
            f"{', '.join(map(str, list(cats)[:6]))}. Filter the data to two groups first."
        )
    pairs = []
    for g in range(2):
        m = codes == g
        pairs.append((a.loc[m], None if w is None else w[m]))
    return pairs, names or (str(cats[0]), str(cats[1]))


def _z_row(diff: float, se: float, z_crit: float, se_test: float | None = None) -> dict[str, float]:
    from scipy.stats import norm

    st = se if se_test is None else se_test
    zs = diff / st if st > 0 else np.nan
    return {
        "diff": diff,
        "se": st,
        "z": zs,
        "p_value": float(2 * norm.sf(abs(zs))),
        "ci_low": diff - z_crit * se,
        "ci_high": diff + z_crit * se,
    }


# ----------------------------------------------------------------------------- NPS


def nps(
    data: pd.DataFrame,
    col: Hashable,
    *,
    by: Hashable | None = None,
    weights: Weights = None,
    ci: float = 0.95,
    lang: Lang = "en",
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
    data : DataFrame
        One row per respondent.
    col : hashable
        The 0-10 likelihood-to-recommend answer (integers; missing allowed).
    by : hashable, optional
        A group column; the table then has one row per group and a ``Total`` row.
    weights : column name or array, optional
        Respondent weights.
    ci : float, default 0.95
        Confidence level of the interval.
    lang : {"en", "zh"}, default "en"
        Language of the total row's ``group`` label (``"Total"`` or ``"合计"``) and of the
        title. Column names of ``.table`` stay English in both languages: they are the API.

    Returns
    -------
    NPSResult
        ``.table`` has one row per group (in category order, else sorted), and a final
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
        An invalid ``ci``.

    References
    ----------
    Reichheld, F. F. (2003). The one number you need to grow. *Harvard Business Review*,
    81(12), 46-54. Rocks, B. (2016). Margin of error for the Net Promoter Score (the
    trinomial variance). Kish, L. (1965). *Survey Sampling*. Wiley.

    Examples
    --------
    >>> df = pd.DataFrame({"ltr": [10] * 50 + [7] * 30 + [3] * 20})
    >>> r = nps(df, "ltr")
    >>> r.table[["nps", "se"]].round(4)
        nps      se
    0  30.0  7.8102
    """
    check_frame(data)
    check_columns(data, col)
    check_option(lang, ("en", "zh"), "lang")
    z = z_value(ci)
    x = _score_column(
        data,
        col,
        range(11),
        fix="NPS answers must be whole numbers from 0 to 10; recode or set them missing",
    )
    w_in = check_weights(data, weights)
    w = np.ones(len(data)) if w_in is None else w_in
    total = LABELS[lang]["total"]
    codes, names, notes = _groups(data, by, total)
    table = _by_table(codes, names, by, _nps_stats(x, w, z), total)
    n_missing = int(np.isnan(x).sum())
    notes = _missing_note(n_missing, len(data), col) + notes
    if (table["n"] == 0).any():
        notes.append(
            "groups without answers have NaN scores: "
            + ", ".join(map(str, table.loc[table["n"] == 0, "group"]))
            + "."
        )
    return NPSResult(
        table,
        column=col,
        by=by,
        ci=ci,
        n=len(data),
        n_missing=n_missing,
        lang=lang,
        notes=tuple(notes),
    )


def compare_nps(
    a: pd.DataFrame,
    b: pd.DataFrame | None = None,
    *,
    col: Hashable | None = None,
    by: Hashable | None = None,
    weights: Any = None,
    ci: float = 0.95,
    names: tuple[str, str] | None = None,
    lang: Lang = "en",
) -> ComparisonResult:
    """z test of the difference between the NPS of two independent samples.

    ``diff = NPS_b - NPS_a``, ``SE = sqrt(SE_a^2 + SE_b^2)`` (each SE from :func:`nps`, on
    its Kish effective base), ``z = diff / SE``, two-sided normal p value and interval
    ``diff +- z SE``. The samples must be **independent** (different respondents, e.g. two
    waves of fresh samples or two disjoint groups); for the same respondents measured twice
    (a panel) the SE ignores their correlation and is wrong.

    Parameters
    ----------
    a : DataFrame
        The first sample (e.g. the earlier wave), or the only frame when ``by`` is given.
    b : DataFrame, optional
        The second sample (e.g. the later wave).
    col : hashable
        The 0-10 answer column (in both frames).
    by : hashable, optional
        With one frame: a column with exactly two groups (their order: category order, else
        sorted; ``a`` is the first group).
    weights : column name or array, or a pair of them, optional
        With two frames, one column name present in both or a pair ``(weights_a, weights_b)``.
    ci : float, default 0.95
        Confidence level of the interval of the difference.
    names : tuple of two str, optional
        Names of the samples (default ``("a", "b")`` or the group names).
    lang : {"en", "zh"}, default "en"
        Language of the title. Column names and the ``measure`` values of ``.table`` stay
        English in both languages: they are the API.

    Returns
    -------
    ComparisonResult
        ``.table`` has one row with columns ``measure`` (``"nps"``), ``a`` and ``b`` (the
        names), ``value_a`` and ``value_b`` (the two NPS), ``n_eff_a`` and ``n_eff_b``
        (effective bases), ``diff`` (``value_b - value_a``), ``se`` (SE of the difference),
        ``z``, ``p_value`` (two-sided), ``ci_low`` and ``ci_high`` (interval of ``diff``).
        The same figures are attributes of the result.

    Raises
    ------
    ConfigError
        No ``col``, both ``b`` and ``by`` given or neither, or ``by`` without exactly two
        groups.
    SchemaError, DataError
        As :func:`nps`.

    References
    ----------
    Rocks, B. (2016). Margin of error for the Net Promoter Score.

    Examples
    --------
    >>> w1 = pd.DataFrame({"ltr": [10] * 50 + [7] * 30 + [3] * 20})
    >>> w2 = pd.DataFrame({"ltr": [10] * 60 + [7] * 20 + [3] * 20})
    >>> r = compare_nps(w1, w2, col="ltr", names=("wave 1", "wave 2"))
    >>> round(r.diff, 2), round(r.se, 4), round(r.z, 4)
    (10.0, 11.1803, 0.8944)
    """
    check_option(lang, ("en", "zh"), "lang")
    z = z_value(ci)
    pairs, nm = _two_samples(a, b, col, by, weights, names)
    res = [nps(df, col, weights=w, ci=ci).table.iloc[0] for df, w in pairs]
    row: dict[str, Any] = {
        "measure": "nps",
        "a": nm[0],
        "b": nm[1],
        "value_a": res[0]["nps"],
        "value_b": res[1]["nps"],
        "n_eff_a": res[0]["n_eff"],
        "n_eff_b": res[1]["n_eff"],
    }
    row.update(
        _z_row(float(res[1]["nps"] - res[0]["nps"]), float(np.hypot(res[0]["se"], res[1]["se"])), z)
    )
    table = pd.DataFrame([row])
    return ComparisonResult(
        table,
        names=nm,
        **{k: float(row[k]) for k in ("diff", "se", "z", "p_value", "ci_low", "ci_high")},
        kind="compare_nps",
        lang=lang,
        notes=("Assumes two independent samples (no respondent in both).",),
    )


# ----------------------------------------------------------------------------- CSAT


def _check_scale(
    scale: Sequence[int] | None, top: Sequence[Any] | None
) -> tuple[tuple[int, int], tuple[Any, ...]]:
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


def _csat_stats(
    x: np.ndarray, w: np.ndarray, top: tuple[Any, ...], ci: float
) -> Callable[[np.ndarray, int], dict[str, np.ndarray]]:
    answered = ~np.isnan(x)
    sat = np.isin(x, np.asarray(top, dtype=float))
    z = z_value(ci)

    def stats(codes: np.ndarray, k: int) -> dict[str, np.ndarray]:
        c = np.where(answered, codes, -1)
        wn = grouped_sum(c, k, w)
        neff = effective_n_by(c, k, w)
        with np.errstate(invalid="ignore", divide="ignore"):
            p = grouped_sum(c, k, w * sat) / wn
        lo, hi = wilson_interval(p, neff, ci)
        mean, sd, se = weighted_mean_se(c, k, x, w)
        return {
            "n": grouped_sum(c, k),
            "n_missing": grouped_sum(np.where(answered, -1, codes), k),
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
    data: pd.DataFrame,
    col: Hashable,
    *,
    top: Sequence[Any] | None = None,
    scale: tuple[int, int] | None = None,
    by: Hashable | None = None,
    weights: Weights = None,
    ci: float = 0.95,
    lang: Lang = "en",
) -> CSATResult:
    """Customer satisfaction: % satisfied (top box) and mean score, overall or per group.

    The % satisfied is the weighted share of answers among the ``top`` codes, with a Wilson
    (1927) interval on the Kish effective base. The mean has the standard error
    ``SD / sqrt(n_eff)``, where the weighted SD uses ``sum w (x - m)^2 / (V1 - V2/V1)``
    (``V1 = sum w``, ``V2 = sum w^2``; the ``n - 1`` SD without weights), and a normal
    interval.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    col : hashable
        The satisfaction answer (whole numbers on the scale; missing allowed).
    top : sequence, optional
        The codes counted as satisfied; default the top two codes of the scale (4 and 5 on
        a 1-5 scale).
    scale : tuple of two int, optional
        Lowest and highest code, default ``(1, 5)``. Answers outside it are an error.
    by : hashable, optional
        A group column; one row per group and a ``Total`` row.
    weights : column name or array, optional
        Respondent weights.
    ci : float, default 0.95
        Confidence level.
    lang : {"en", "zh"}, default "en"
        Language of the total row's ``group`` label (``"Total"`` or ``"合计"``) and of the
        title. Column names of ``.table`` stay English in both languages: they are the API.

    Returns
    -------
    CSATResult
        ``.table`` has columns ``group``, ``n`` (answers), ``n_missing`` (rows without an
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
        An invalid ``scale``, ``top`` or ``ci``.

    References
    ----------
    Wilson, E. B. (1927). *JASA*, 22, 209-212. Kish, L. (1965). *Survey Sampling*. Wiley.

    Examples
    --------
    >>> df = pd.DataFrame({"sat": [5, 5, 4, 3, 2, 1, 4, 5, None, 3]})
    >>> r = csat(df, "sat")
    >>> r.table[["n", "n_missing", "satisfied", "mean"]].round(3)
       n  n_missing  satisfied  mean
    0  9          1     55.556 3.556
    """
    check_frame(data)
    check_columns(data, col)
    check_option(lang, ("en", "zh"), "lang")
    z_value(ci)
    (lo, hi), top_codes = _check_scale(scale, top)
    x = _score_column(
        data,
        col,
        range(lo, hi + 1),
        fix=f"answers must be whole numbers from {lo} to {hi}; recode them, set "
        "them missing or pass scale=(lowest, highest)",
    )
    w_in = check_weights(data, weights)
    w = np.ones(len(data)) if w_in is None else w_in
    total = LABELS[lang]["total"]
    codes, names, notes = _groups(data, by, total)
    table = _by_table(codes, names, by, _csat_stats(x, w, top_codes, ci), total)
    n_missing = int(np.isnan(x).sum())
    notes = _missing_note(n_missing, len(data), col) + notes
    return CSATResult(
        table,
        column=col,
        by=by,
        ci=ci,
        n=len(data),
        n_missing=n_missing,
        scale=(lo, hi),
        top=top_codes,
        lang=lang,
        notes=tuple(notes),
    )


def compare_csat(
    a: pd.DataFrame,
    b: pd.DataFrame | None = None,
    *,
    col: Hashable | None = None,
    by: Hashable | None = None,
    weights: Any = None,
    top: Sequence[Any] | None = None,
    scale: tuple[int, int] | None = None,
    ci: float = 0.95,
    names: tuple[str, str] | None = None,
    lang: Lang = "en",
) -> ComparisonResult:
    """Compare % satisfied and mean score of two independent samples (waves or two groups).

    % satisfied: two-proportion z test on the effective bases, ``p = (p_a e_a + p_b e_b) /
    (e_a + e_b)``, ``SE0 = sqrt(p (1 - p) (1/e_a + 1/e_b))``, ``z = (p_b - p_a) / SE0``; the
    interval of the difference uses the unpooled ``sqrt(p_a(1-p_a)/e_a + p_b(1-p_b)/e_b)``.
    Mean: ``z = (m_b - m_a) / sqrt(se_a^2 + se_b^2)`` (large-sample normal test). The samples
    must be independent (no respondent in both).

    Parameters
    ----------
    a, b, by, weights, names, lang : see :func:`compare_nps`
    col : hashable
        The satisfaction answer.
    top, scale, ci : see :func:`csat`

    Returns
    -------
    ComparisonResult
        ``.table`` has two rows, ``measure`` ``"satisfied"`` (percent points) and ``"mean"``,
        with columns ``a``, ``b`` (names), ``value_a``, ``value_b``, ``n_eff_a``, ``n_eff_b``,
        ``diff`` (``b - a``), ``se`` (the SE used by the test: pooled for the proportion),
        ``z``, ``p_value`` (two-sided), ``ci_low``, ``ci_high`` (interval of ``diff``). The
        attributes ``diff``, ``se``, ... are those of the ``"satisfied"`` row.

    Raises
    ------
    ConfigError, SchemaError, DataError
        As :func:`compare_nps` and :func:`csat`.

    References
    ----------
    Agresti, A. (2013). *Categorical Data Analysis* (3rd ed.), section 3.1 (two-proportion z).
    Kish, L. (1965). *Survey Sampling*. Wiley.

    Examples
    --------
    >>> a = pd.DataFrame({"sat": [5] * 60 + [2] * 40})
    >>> b = pd.DataFrame({"sat": [5] * 70 + [2] * 30})
    >>> r = compare_csat(a, b, col="sat")
    >>> round(r.diff, 1), round(r.z, 4)
    (10.0, 1.4825)
    """
    check_option(lang, ("en", "zh"), "lang")
    z = z_value(ci)
    pairs, nm = _two_samples(a, b, col, by, weights, names)
    res = [csat(df, col, weights=w, ci=ci, top=top, scale=scale).table.iloc[0] for df, w in pairs]
    ea, eb = float(res[0]["n_eff"]), float(res[1]["n_eff"])
    pa, pb = float(res[0]["satisfied"]) / 100, float(res[1]["satisfied"]) / 100
    pool = (pa * ea + pb * eb) / (ea + eb)
    se0 = 100 * np.sqrt(pool * (1 - pool) * (1 / ea + 1 / eb))
    se1 = 100 * np.sqrt(pa * (1 - pa) / ea + pb * (1 - pb) / eb)
    rows = []
    ne = {"n_eff_a": ea, "n_eff_b": eb}
    r = {
        "measure": "satisfied",
        "a": nm[0],
        "b": nm[1],
        "value_a": 100 * pa,
        "value_b": 100 * pb,
        **ne,
    }
    r.update(_z_row(100 * (pb - pa), float(se1), z, se_test=float(se0)))
    rows.append(r)
    r = {
        "measure": "mean",
        "a": nm[0],
        "b": nm[1],
        "value_a": res[0]["mean"],
        "value_b": res[1]["mean"],
        **ne,
    }
    r.update(
        _z_row(
            float(res[1]["mean"] - res[0]["mean"]),
            float(np.hypot(res[0]["se_mean"], res[1]["se_mean"])),
            z,
        )
    )
    rows.append(r)
    table = pd.DataFrame(rows)
    first = table.iloc[0]
    return ComparisonResult(
        table,
        names=nm,
        **{k: float(first[k]) for k in ("diff", "se", "z", "p_value", "ci_low", "ci_high")},
        kind="compare_csat",
        lang=lang,
        notes=("Assumes two independent samples (no respondent in both).",),
    )


# ----------------------------------------------------------------------------- top box


def top_box(
    data: pd.DataFrame,
    cols: Sequence[Hashable] | Hashable,
    *,
    k: int = 2,
    bottom: bool = False,
    scale_max: float | None = None,
    scale_min: float | None = None,
    by: Hashable | None = None,
    weights: Weights = None,
    lang: Lang = "en",
) -> TopBoxResult:
    """Top-k (or bottom-k) box percentage and mean of each item of a rating battery.

    The top-k box of a scale with highest code ``H`` counts answers ``>= H - k + 1``; the
    bottom-k box with lowest code ``L`` counts answers ``<= L + k - 1``. Each item has its
    own base: the rows that answered it.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    cols : hashable or sequence of hashable
        The items (numeric ratings on one common scale).
    k : int, default 2
        Width of the box.
    bottom : bool, default False
        Count the bottom box instead of the top box.
    scale_max, scale_min : float, optional
        Highest and lowest code of the scale. By default the highest (lowest) answer observed
        in any of the items, which understates the scale when nobody chose its end: give them
        when you know the scale. Answers outside a given range are an error.
    by : hashable, optional
        A group column: rows per item and group, then a ``Total`` row per item.
    weights : column name or array, optional
        Respondent weights.
    lang : {"en", "zh"}, default "en"
        Language of the per-item total rows' ``group`` label (``"Total"`` or ``"合计"``) and
        of the title. Column names of ``.table`` stay English in both languages: they are
        the API.

    Returns
    -------
    TopBoxResult
        ``.table`` has one row per item (per item and group with ``by``; items in the given
        order) with columns ``item``, ``group`` (only with ``by``), ``n`` (answers to the item,
        unweighted: the item's base), ``n_missing`` (rows without an answer), ``weighted_n``
        (sum of weights of the answers), ``n_eff`` (Kish effective base), ``top_box`` (or
        ``bottom_box``: weighted percent of answers in the box) and ``mean`` (weighted
        mean rating).

    Raises
    ------
    SchemaError
        A missing column.
    DataError
        Non-numeric answers, answers outside ``scale_min`` .. ``scale_max``, items with no
        answers at all, or invalid weights.
    ConfigError
        ``k`` not a positive whole number, or ``k`` wider than the scale.

    References
    ----------
    Sauro, J., & Lewis, J. R. (2016). *Quantifying the User Experience* (2nd ed.), ch. 4
    (top-box scoring). Kish, L. (1965). *Survey Sampling*. Wiley.

    Examples
    --------
    >>> df = pd.DataFrame({"price": [5, 4, 3, 2, 1], "speed": [5, 5, 4, None, 2]})
    >>> top_box(df, ["price", "speed"], scale_max=5).table[["item", "n", "top_box", "mean"]]
        item  n  top_box  mean
    0  price  5     40.0   3.0
    1  speed  4     75.0   4.0
    """
    check_frame(data)
    cols = check_columns(data, cols)
    check_option(lang, ("en", "zh"), "lang")
    if not isinstance(k, (int, np.integer)) or isinstance(k, bool) or k < 1:
        raise ConfigError(f"k must be a positive whole number (the width of the box), got {k!r}.")
    x = np.column_stack([check_numeric(data, c).to_numpy(dtype=float) for c in cols])
    answered = ~np.isnan(x)
    empty = [c for c, a in zip(cols, answered.any(axis=0), strict=True) if not a]
    if empty:
        raise DataError(f"items {empty} have no answers at all; drop them from cols.")
    for bound, name, bad in (
        (scale_max, "scale_max", lambda v, b: v > b),
        (scale_min, "scale_min", lambda v, b: v < b),
    ):
        if bound is None:
            continue
        with np.errstate(invalid="ignore"):
            out = answered & bad(x, bound)
        if out.any():
            j = int(np.flatnonzero(out.any(axis=0))[0])
            rows = np.flatnonzero(out[:, j])
            raise DataError(
                f"column {cols[j]!r} has answers beyond {name}={bound}: "
                f"{', '.join(map(str, np.unique(x[rows, j])[:5]))} at rows "
                f"{', '.join(map(str, rows[:5]))}; recode them or correct {name}."
            )
    hi = float(np.nanmax(x)) if scale_max is None else float(scale_max)
    lo = float(np.nanmin(x)) if scale_min is None else float(scale_min)
    if k > hi - lo + 1:
        raise ConfigError(f"k={k} is wider than the scale {lo:g} to {hi:g}.")
    in_box = (x <= lo + k - 1) if bottom else (x >= hi - k + 1)
    box_codes = tuple(np.arange(lo, lo + k) if bottom else np.arange(hi - k + 1, hi + 1))
    box_codes = tuple(int(v) if float(v).is_integer() else float(v) for v in box_codes)
    name = "bottom_box" if bottom else "top_box"
    w_in = check_weights(data, weights)
    w = np.ones(len(data)) if w_in is None else w_in
    total = LABELS[lang]["total"]
    codes, names, notes = _groups(data, by, total)

    parts = []
    for j, item in enumerate(cols):
        xj, aj, bj = x[:, j], answered[:, j], in_box[:, j]

        def stats(
            c0: np.ndarray, kk: int, xj: np.ndarray = xj, aj: np.ndarray = aj, bj: np.ndarray = bj
        ) -> dict[str, np.ndarray]:
            c = np.where(aj, c0, -1)
            wn = grouped_sum(c, kk, w)
            with np.errstate(invalid="ignore", divide="ignore"):
                share = grouped_sum(c, kk, w * bj) / wn
            mean, _, _ = weighted_mean_se(c, kk, xj, w)
            return {
                "n": grouped_sum(c, kk),
                "n_missing": grouped_sum(np.where(aj, -1, c0), kk),
                "weighted_n": wn,
                "n_eff": effective_n_by(c, kk, w),
                name: 100 * share,
                "mean": mean,
            }

        t = _by_table(codes, names, by, stats, total)
        t.insert(0, "item", pd.Series([item] * len(t), dtype=object))
        parts.append(t)
    table = pd.concat(parts, ignore_index=True)
    totals = table if by is None else table.groupby("item", sort=False).tail(1)
    if by is None:
        table = table.drop(columns="group")
    if (scale_max is None and not bottom) or (scale_min is None and bottom):
        end = "min" if bottom else "max"
        notes.append(
            f"the {'lowest' if bottom else 'highest'} code was taken from the data "
            f"({lo if bottom else hi:g}); pass scale_{end}= when the scale is known."
        )
    notes.insert(0, f"{name.replace('_', '-')} counts the codes {', '.join(map(str, box_codes))}.")
    if int(totals["n_missing"].sum()):
        notes.append("rows without an answer are left out of each item's base (see n_missing).")
    return TopBoxResult(table, box=box_codes, bottom=bottom, by=by, lang=lang, notes=tuple(notes))
