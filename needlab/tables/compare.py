"""Two independent samples compared: NPS (:func:`compare_nps`) and CSAT (:func:`compare_csat`).

The samples are two frames (e.g. two waves) or the two groups of one frame (``by=``). Each side
is scored by :func:`~needlab.tables.nps.nps` or :func:`~needlab.tables.csat.csat` on its Kish
effective base; the difference is tested with a large-sample z test.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from needlab._result import Result
from needlab._stats import codes_of, z_value
from needlab._types import Lang, Weights
from needlab._validate import as_design, check_columns, check_option, check_weights
from needlab.errors import ConfigError
from needlab.tables.csat import csat
from needlab.tables.design import with_labels
from needlab.tables.nps import nps
from needlab.tables.scoring import TITLES

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["ComparisonResult", "compare_csat", "compare_nps"]

INDEPENDENT = "Assumes two independent samples (no respondent in both)."


@dataclass(frozen=True, repr=False)
class ComparisonResult(Result):
    """Result of :func:`compare_nps` and :func:`compare_csat`.

    Attributes
    ----------
    table : DataFrame
        One row per compared measure (columns described in the function).
    names : tuple of str
        Names of the two samples, first ``data`` then ``other`` (or the two groups of
        ``by``); differences are second minus first.
    diff, se, z, p_value, ci_low, ci_high : float
        The first row of the table: difference, its standard error, the z statistic, the
        two-sided p value and the interval of the difference.
    ci : float
        Confidence level of the intervals; a difference is marked significant when its p
        value is below ``1 - ci``.
    n_used, n_excluded : int
        Respondents of both samples with an answer and a positive weight, and the others
        (no answer, weight 0, no group; the reasons are in ``notes``).
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
    ci: float = 0.95
    kind: str = "compare"
    lang: str = "en"

    @property
    def title(self) -> str:  # type: ignore[override]
        titles = TITLES.get(self.kind, TITLES["compare"])
        return titles.get(self.lang, titles["en"])

    @property
    def significant(self) -> bool:
        """Whether the first measure's difference is significant (p value below ``1 - ci``)."""
        return bool(self.p_value < 1 - self.ci)

    def summary(self) -> dict[str, Any]:
        return {
            "difference": f"{self.names[1]} - {self.names[0]} = {self.diff:.4g}",
            "z": self.z,
            "p value": self.p_value,
            "significant": self.significant,
        }

    def plot(self, ax: Axes | None = None, *, measure: str | None = None, **kwargs: Any) -> Axes:
        """The two samples' scores with their intervals, and the difference, marked
        significant or not (see :func:`needlab.tables.plot.comparison_plot`)."""
        from needlab.tables.plot import comparison_plot

        return comparison_plot(self, ax=ax, measure=measure, **kwargs)


def _two_samples(
    data: Any,
    other: Any,
    var: Hashable,
    by: Hashable | None,
    weights: Any,
    names: tuple[str, str] | None,
) -> tuple[list[tuple[pd.DataFrame, np.ndarray | None]], tuple[str, str], int, list[str]]:
    """The two samples as (frame, weights) pairs, their names, the rows given and notes."""
    if other is not None:
        if by is not None:
            raise ConfigError("give either two samples (data, other) or one with by=, not both.")
        if isinstance(weights, (tuple, list)) and len(weights) == 2:
            wa, wb = weights
        else:
            wa = wb = weights
        da = as_design(data, weights=wa, labels=False, name="data")
        db = as_design(other, weights=wb, labels=False, name="other")
        pairs = [
            (da.data, check_weights(da.data, da.weights)),
            (db.data, check_weights(db.data, db.weights)),
        ]
        return pairs, names or ("a", "b"), len(da.data) + len(db.data), []
    if by is None:
        raise ConfigError(
            "compare two samples: pass two (data, other) or one with by= "
            "naming a column with exactly two groups."
        )
    design = as_design(data, weights=weights, labels=False)
    frame = with_labels(data, design, [by])
    check_columns(frame, [var, by])
    w = check_weights(frame, design.weights)
    codes, cats = codes_of(frame[by], by, keep_unused=False)
    if len(cats) != 2:
        raise ConfigError(
            f"by={by!r} must have exactly two groups to compare; it has {len(cats)}: "
            f"{', '.join(map(str, list(cats)[:6]))}. Filter the data to two groups first."
        )
    pairs = []
    for g in range(2):
        m = codes == g
        pairs.append((frame.loc[m], None if w is None else w[m]))
    notes = []
    miss = int(np.count_nonzero(codes < 0))
    if miss:
        notes.append(f"{miss} rows have no group in {by!r} and are excluded.")
    return pairs, names or (str(cats[0]), str(cats[1])), len(frame), notes


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


def _side_notes(results: Sequence[Result], names: tuple[str, str]) -> list[str]:
    return [f"{name}: {note}" for r, name in zip(results, names, strict=True) for note in r.notes]


def _result(
    rows: list[dict[str, Any]],
    names: tuple[str, str],
    n_rows: int,
    results: Sequence[Result],
    notes: list[str],
    *,
    ci: float,
    kind: str,
    lang: str,
) -> ComparisonResult:
    table = pd.DataFrame(rows)
    table["significant"] = table["p_value"] < 1 - ci
    first = table.iloc[0]
    n_used = sum(r.n_used for r in results)
    return ComparisonResult(
        table,
        names=names,
        **{k: float(first[k]) for k in ("diff", "se", "z", "p_value", "ci_low", "ci_high")},
        ci=ci,
        kind=kind,
        lang=lang,
        n_used=n_used,
        n_excluded=n_rows - n_used,
        notes=(INDEPENDENT, *notes, *_side_notes(results, names)),
    )


def compare_nps(
    data: Any,
    other: Any = None,
    *,
    var: Hashable,
    by: Hashable | None = None,
    weights: Weights | tuple[Weights, Weights] = None,
    ci: float = 0.95,
    names: tuple[str, str] | None = None,
    lang: Lang = "en",
) -> ComparisonResult:
    """z test of the difference between the NPS of two independent samples.

    ``diff = NPS_b - NPS_a``, ``SE = sqrt(SE_a^2 + SE_b^2)`` (each SE from
    :func:`~needlab.tables.nps.nps`, on its Kish effective base), ``z = diff / SE``, two-sided
    normal p value and interval ``diff +- z SE``. The samples must be **independent**
    (different respondents, e.g. two waves of fresh samples or two disjoint groups); for the
    same respondents measured twice (a panel) the SE ignores their correlation and is wrong.

    Parameters
    ----------
    data : DataFrame or Survey
        The first sample (e.g. the earlier wave), or the only one when ``by`` is given. A
        :class:`~needlab.Survey` gives its codes, its group labels and its weight column.
    other : DataFrame or Survey, optional
        The second sample (e.g. the later wave).
    var : hashable
        The 0-10 answer column (in both samples).
    by : hashable, optional
        With one sample: a column with exactly two groups (their order: category order, else
        sorted; the first group is compared with the second).
    weights : column name, array or False, or a pair of them, optional
        With two samples, one column name present in both or a pair
        ``(weights_data, weights_other)``. On a Survey None takes the codebook's weight
        column and False is unweighted.
    ci : float, default 0.95
        Confidence level of the intervals; ``significant`` is ``p_value < 1 - ci``.
    names : tuple of two str, optional
        Names of the samples (default ``("a", "b")`` or the group names).
    lang : {"en", "zh"}, default "en"
        Language of the title. Column names and the ``measure`` values of ``.table`` stay
        English in both languages: they are the API.

    Returns
    -------
    ComparisonResult
        ``.table`` has one row with columns ``measure`` (``"nps"``), ``a`` and ``b`` (the
        names), ``value_a`` and ``value_b`` (the two NPS), ``ci_low_a``, ``ci_high_a``,
        ``ci_low_b``, ``ci_high_b`` (their intervals), ``n_eff_a`` and ``n_eff_b``
        (effective bases), ``diff`` (``value_b - value_a``), ``se`` (SE of the difference),
        ``z``, ``p_value`` (two-sided), ``ci_low`` and ``ci_high`` (interval of ``diff``) and
        ``significant``. The figures of the difference are attributes of the result.
        ``n_used`` counts the respondents of both samples with an answer and a positive
        weight.

    Raises
    ------
    ConfigError
        Both ``other`` and ``by`` given or neither, or ``by`` without exactly two groups.
    SchemaError, DataError
        As :func:`~needlab.tables.nps.nps`.

    References
    ----------
    Rocks, B. (2016). Margin of error for the Net Promoter Score.

    Examples
    --------
    >>> w1 = pd.DataFrame({"ltr": [10] * 50 + [7] * 30 + [3] * 20})
    >>> w2 = pd.DataFrame({"ltr": [10] * 60 + [7] * 20 + [3] * 20})
    >>> r = compare_nps(w1, w2, var="ltr", names=("wave 1", "wave 2"))
    >>> round(r.diff, 2), round(r.se, 4), round(r.z, 4)
    (10.0, 11.1803, 0.8944)
    """
    check_option(lang, ("en", "zh"), "lang")
    z = z_value(ci)
    pairs, nm, n_rows, notes = _two_samples(data, other, var, by, weights, names)
    results = [nps(df, var, weights=w, ci=ci) for df, w in pairs]
    res = [r.table.iloc[0] for r in results]
    row: dict[str, Any] = {
        "measure": "nps",
        "a": nm[0],
        "b": nm[1],
        "value_a": res[0]["nps"],
        "value_b": res[1]["nps"],
        "ci_low_a": res[0]["ci_low"],
        "ci_high_a": res[0]["ci_high"],
        "ci_low_b": res[1]["ci_low"],
        "ci_high_b": res[1]["ci_high"],
        "n_eff_a": res[0]["n_eff"],
        "n_eff_b": res[1]["n_eff"],
    }
    row.update(
        _z_row(float(res[1]["nps"] - res[0]["nps"]), float(np.hypot(res[0]["se"], res[1]["se"])), z)
    )
    return _result([row], nm, n_rows, results, notes, ci=ci, kind="compare_nps", lang=lang)


def compare_csat(
    data: Any,
    other: Any = None,
    *,
    var: Hashable,
    by: Hashable | None = None,
    weights: Weights | tuple[Weights, Weights] = None,
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
    data, other, by, weights, names, lang : see :func:`compare_nps`
    var : hashable
        The satisfaction answer.
    top, scale, ci : see :func:`~needlab.tables.csat.csat`

    Returns
    -------
    ComparisonResult
        ``.table`` has two rows, ``measure`` ``"satisfied"`` (percent points) and ``"mean"``,
        with the columns of :func:`compare_nps` (``se`` is the SE used by the test: pooled for
        the proportion; the per-sample intervals are Wilson's for the proportion and normal
        for the mean). The attributes ``diff``, ``se``, ... are those of the ``"satisfied"``
        row.

    Raises
    ------
    ConfigError, SchemaError, DataError
        As :func:`compare_nps` and :func:`~needlab.tables.csat.csat`.

    References
    ----------
    Agresti, A. (2013). *Categorical Data Analysis* (3rd ed.), section 3.1 (two-proportion z).
    Kish, L. (1965). *Survey Sampling*. Wiley.

    Examples
    --------
    >>> a = pd.DataFrame({"sat": [5] * 60 + [2] * 40})
    >>> b = pd.DataFrame({"sat": [5] * 70 + [2] * 30})
    >>> r = compare_csat(a, b, var="sat")
    >>> round(r.diff, 1), round(r.z, 4)
    (10.0, 1.4825)
    """
    check_option(lang, ("en", "zh"), "lang")
    z = z_value(ci)
    pairs, nm, n_rows, notes = _two_samples(data, other, var, by, weights, names)
    results = [csat(df, var, weights=w, ci=ci, top=top, scale=scale) for df, w in pairs]
    res = [r.table.iloc[0] for r in results]
    ea, eb = float(res[0]["n_eff"]), float(res[1]["n_eff"])
    pa, pb = float(res[0]["satisfied"]) / 100, float(res[1]["satisfied"]) / 100
    pool = (pa * ea + pb * eb) / (ea + eb)
    se0 = 100 * np.sqrt(pool * (1 - pool) * (1 / ea + 1 / eb))
    se1 = 100 * np.sqrt(pa * (1 - pa) / ea + pb * (1 - pb) / eb)
    ne = {"n_eff_a": ea, "n_eff_b": eb}
    sides = {"a": nm[0], "b": nm[1]}
    sat: dict[str, Any] = {
        "measure": "satisfied",
        **sides,
        "value_a": 100 * pa,
        "value_b": 100 * pb,
        "ci_low_a": res[0]["ci_low"],
        "ci_high_a": res[0]["ci_high"],
        "ci_low_b": res[1]["ci_low"],
        "ci_high_b": res[1]["ci_high"],
        **ne,
        **_z_row(100 * (pb - pa), float(se1), z, se_test=float(se0)),
    }
    mean: dict[str, Any] = {
        "measure": "mean",
        **sides,
        "value_a": res[0]["mean"],
        "value_b": res[1]["mean"],
        "ci_low_a": res[0]["mean_ci_low"],
        "ci_high_a": res[0]["mean_ci_high"],
        "ci_low_b": res[1]["mean_ci_low"],
        "ci_high_b": res[1]["mean_ci_high"],
        **ne,
        **_z_row(
            float(res[1]["mean"] - res[0]["mean"]),
            float(np.hypot(res[0]["se_mean"], res[1]["se_mean"])),
            z,
        ),
    }
    return _result([sat, mean], nm, n_rows, results, notes, ci=ci, kind="compare_csat", lang=lang)
