"""Scoring presets: opportunity (ODI), RICE, WSJF, Kano ordering and cost-benefit.

Each returns a :class:`~needlab.plan.priority.PriorityResult` whose table has the shape of
:func:`~needlab.plan.priority.priority_table`: ``need``, the inputs, ``score``, ``rank`` (1 =
best; ties share the lowest rank) and ``tied``, with ``method`` naming the formula.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from needlab._types import Lang, Weights
from needlab._validate import (
    as_design,
    check_columns,
    check_count,
    check_frame,
    check_numeric,
    check_option,
    check_unique,
    check_weights,
    preview,
)
from needlab.errors import ConfigError, DataError
from needlab.plan.priority import LABEL_COLUMNS, PriorityResult, ranked_table

if TYPE_CHECKING:  # pragma: no cover
    from needlab.kano.classify import KanoResult

__all__ = ["cost_benefit", "kano_priority", "opportunity", "rice", "wsjf"]


def _needs_frame(data: Any, need: Hashable, columns: Sequence[Hashable]) -> pd.DataFrame:
    """Checked frame: the need id column unique, the input columns present."""
    data = check_frame(data)
    check_columns(data, need, what="need id column")
    check_columns(data, list(columns))
    check_unique(data, need)
    return data


def _numbers(
    data: pd.DataFrame, need: Hashable, column: Hashable, *, role: str, positive: bool = False
) -> np.ndarray:
    """A complete numeric input column; missing, negative (or with *positive*, <= 0) values
    are a DataError naming the needs."""
    x = check_numeric(data, column).to_numpy(float)
    ids = data[need].to_numpy(dtype=object)
    na = np.isnan(x)
    if na.any():
        raise DataError(
            f"{role} column {column!r} is missing for needs {preview(ids[na])}; every need needs "
            f"a {role} (fill it in or drop those needs)."
        )
    bad = x <= 0 if positive else x < 0
    if bad.any():
        must = "> 0" if positive else ">= 0"
        raise DataError(
            f"{role} column {column!r} must be {must}, but needs {preview(ids[bad])} have "
            f"{preview(x[bad])}; correct those values."
        )
    return x


def _base_table(data: pd.DataFrame, need: Hashable) -> pd.DataFrame:
    cols = [need, *[c for c in LABEL_COLUMNS if c in data.columns and c != need]]
    return data[cols].rename(columns={need: "need"}).reset_index(drop=True)


# ----------------------------------------------------------------------------- RICE


def rice(
    data: pd.DataFrame,
    *,
    need: Hashable = "need",
    reach: Hashable = "reach",
    impact: Hashable = "impact",
    confidence: Hashable = "confidence",
    effort: Hashable = "effort",
) -> PriorityResult:
    """RICE score: reach x impact x confidence / effort (Intercom; McBride 2018).

    Reach is people or events per period (e.g. customers per quarter); impact is Intercom's
    scale (3 massive, 2 high, 1 medium, 0.5 low, 0.25 minimal; any number >= 0 is accepted);
    confidence is a share; effort is person-months (any unit used for every need).

    **Confidence rule.** Confidence is read as a share in [0, 1] when every value is <= 1, and as
    a percentage (divided by 100, with a note) when every value is in (1, 100]. A column mixing
    values <= 1 and values > 1 is ambiguous (is 1 a 100% or a 1%?) and refused; values above 100
    or below 0 are errors.

    Parameters
    ----------
    data : DataFrame
        One row per need.
    need, reach, impact, confidence, effort : hashable
        Column names.

    Returns
    -------
    PriorityResult
        ``method="rice"``; table columns ``need``, labels, ``reach``, ``impact``,
        ``confidence`` (as a share), ``effort``, ``score``, ``rank``, ``tied``.

    Raises
    ------
    DataError
        Missing or non-numeric inputs, effort <= 0, negative reach or impact, confidence out of
        range or an ambiguous mixture; duplicate need ids.
    SchemaError
        A column not in the data.

    References
    ----------
    McBride, S. (2018). RICE: Simple prioritization for product managers. Intercom blog,
    https://www.intercom.com/blog/rice-simple-prioritization-for-product-managers/

    Examples
    --------
    >>> df = pd.DataFrame({"need": ["N1", "N2"], "reach": [200, 1000], "impact": [4, 1],
    ...                    "confidence": [100, 50], "effort": [5, 4]})
    >>> rice(df).table[["need", "confidence", "score", "rank"]]
      need  confidence  score  rank
    0   N1         1.0  160.0     1
    1   N2         0.5  125.0     2
    """
    data = _needs_frame(data, need, [reach, impact, confidence, effort])
    r = _numbers(data, need, reach, role="reach")
    i = _numbers(data, need, impact, role="impact")
    c = _numbers(data, need, confidence, role="confidence")
    e = _numbers(data, need, effort, role="effort", positive=True)
    notes: list[str] = []
    ids = data[need].to_numpy(dtype=object)
    if (c > 100).any():
        raise DataError(
            f"confidence column {confidence!r} has values above 100 for needs "
            f"{preview(ids[c > 100])}: give a share (0-1) or a percentage (0-100)."
        )
    if (c > 1).any():
        low = c <= 1
        if low.any():
            raise DataError(
                f"confidence column {confidence!r} mixes shares and percentages: needs "
                f"{preview(ids[low])} have {preview(c[low])} (<= 1) while others have values above "
                "1. Write every confidence the same way, as a share (0.8) or a percentage (80)."
            )
        c = c / 100
        notes.append(
            f"confidence column {confidence!r} read as percentages (all values in (1, 100]) and "
            "divided by 100."
        )
    table = _base_table(data, need)
    table["reach"] = r
    table["impact"] = i
    table["confidence"] = c
    table["effort"] = e
    table, tie_notes = ranked_table(table, r * i * c / e)
    return PriorityResult(
        table,
        method="rice",
        n_used=len(data),
        n_excluded=0,
        notes=tuple(notes + tie_notes),
    )


# ----------------------------------------------------------------------------- WSJF


def wsjf(
    data: pd.DataFrame,
    *,
    need: Hashable = "need",
    business_value: Hashable = "business_value",
    time_criticality: Hashable = "time_criticality",
    risk_reduction: Hashable = "risk_reduction",
    job_size: Hashable = "job_size",
) -> PriorityResult:
    """Weighted shortest job first: cost of delay / job size (SAFe; Reinertsen 2009).

    .. math:: \\text{WSJF} = \\frac{BV + TC + RR|OE}{\\text{job size}}

    with BV user-business value, TC time criticality and RR|OE risk reduction and/or
    opportunity enablement, their sum the cost of delay. SAFe estimates each on a relative
    (modified Fibonacci) scale; any numbers >= 0 are accepted here.

    Parameters
    ----------
    data : DataFrame
        One row per need.
    need, business_value, time_criticality, risk_reduction, job_size : hashable
        Column names.

    Returns
    -------
    PriorityResult
        ``method="wsjf"``; table columns ``need``, labels, ``business_value``,
        ``time_criticality``, ``risk_reduction``, ``cost_of_delay``, ``job_size``, ``score``,
        ``rank``, ``tied``.

    Raises
    ------
    DataError
        Missing or negative components, job size <= 0, duplicate need ids.

    References
    ----------
    Reinertsen, D. G. (2009). *The Principles of Product Development Flow*. Celeritas
    (weighted shortest job first). Scaled Agile, Inc. (2023). WSJF. *SAFe 6.0*,
    https://scaledagileframework.com/wsjf/

    Examples
    --------
    >>> df = pd.DataFrame({"need": ["N1", "N2"], "business_value": [8, 3],
    ...                    "time_criticality": [5, 8], "risk_reduction": [2, 1],
    ...                    "job_size": [5, 2]})
    >>> wsjf(df).table[["need", "cost_of_delay", "score", "rank"]]
      need  cost_of_delay  score  rank
    0   N2           12.0    6.0     1
    1   N1           15.0    3.0     2
    """
    data = _needs_frame(data, need, [business_value, time_criticality, risk_reduction, job_size])
    bv = _numbers(data, need, business_value, role="business value")
    tc = _numbers(data, need, time_criticality, role="time criticality")
    rr = _numbers(data, need, risk_reduction, role="risk reduction")
    js = _numbers(data, need, job_size, role="job size", positive=True)
    table = _base_table(data, need)
    table["business_value"] = bv
    table["time_criticality"] = tc
    table["risk_reduction"] = rr
    table["cost_of_delay"] = bv + tc + rr
    table["job_size"] = js
    table, notes = ranked_table(table, (bv + tc + rr) / js)
    return PriorityResult(table, method="wsjf", n_used=len(data), n_excluded=0, notes=tuple(notes))


# ----------------------------------------------------------------------------- cost-benefit


def cost_benefit(
    data: pd.DataFrame,
    *,
    need: Hashable = "need",
    cost: Hashable = "cost",
    benefit: Hashable = "benefit",
    periods: int | Hashable = 3,
    rate: float = 0.08,
    rank_by: Literal["bcr", "npv"] = "bcr",
) -> PriorityResult:
    """Benefit-cost ratio, net present value and payback periods of each need.

    **Timing convention.** The cost is paid once, now (t = 0); the benefit is the same amount
    at the end of each period t = 1 .. T. With discount rate r:

    .. math::

        PV = \\sum_{t=1}^{T} \\frac{B}{(1+r)^t}, \\quad NPV = -C + PV, \\quad BCR = PV / C

    The simple payback is C / B periods (benefit accruing evenly within a period), reported only
    when it is reached within the T periods; the discounted payback is the first period in which
    the cumulative discounted benefit reaches C, interpolated linearly within that period
    (t - 1 + (C - PV_{t-1}) / (B / (1+r)^t)). A payback not reached within T periods is NaN, with
    a note.

    Parameters
    ----------
    data : DataFrame
        One row per need.
    need, cost, benefit : hashable
        Column names: one-off cost (> 0) and benefit per period (>= 0), in one currency.
    periods : int or hashable, default 3
        T, the number of periods the benefit lasts: one whole number >= 1 for every need, or a
        column holding each need's T.
    rate : float, default 0.08
        Discount rate per period (>= 0).
    rank_by : {"bcr", "npv"}, default "bcr"
        The score: the benefit-cost ratio (best use of a limited budget) or the NPV.

    Returns
    -------
    PriorityResult
        ``method="cost_benefit"``; table columns ``need``, labels, ``cost``, ``benefit``,
        ``periods``, ``pv_benefit``, ``npv``, ``bcr``, ``payback``, ``discounted_payback``,
        ``score``, ``rank``, ``tied``.

    Raises
    ------
    DataError
        Missing inputs, cost <= 0, negative benefit, periods not whole numbers >= 1.
    ConfigError
        ``rate`` negative or not a number; bad ``rank_by``.

    References
    ----------
    Boardman, A. E., Greenberg, D. H., Vining, A. R., & Weimer, D. L. (2018). *Cost-Benefit
    Analysis: Concepts and Practice* (5th ed.). Cambridge University Press.

    Examples
    --------
    >>> df = pd.DataFrame({"need": ["N1"], "cost": [100.0], "benefit": [50.0]})
    >>> t = cost_benefit(df, periods=3, rate=0.1).table
    >>> t[["npv", "bcr", "payback", "discounted_payback"]].round(4)
           npv     bcr  payback  discounted_payback
    0  24.3426  1.2434      2.0               2.352
    """
    check_option(rank_by, ("bcr", "npv"), "rank_by")
    ok = isinstance(rate, (int, float)) and not isinstance(rate, bool) and np.isfinite(rate)
    if not ok or rate < 0:
        raise ConfigError(f"rate must be a number >= 0 (a discount rate per period), got {rate!r}.")
    per_col = not isinstance(periods, (int, np.integer)) or isinstance(periods, bool)
    cols = [cost, benefit] + ([periods] if per_col else [])
    data = _needs_frame(data, need, cols)
    c = _numbers(data, need, cost, role="cost", positive=True)
    b = _numbers(data, need, benefit, role="benefit")
    ids = data[need].to_numpy(dtype=object)
    if per_col:
        t_n = _numbers(data, need, periods, role="periods", positive=True)
        bad = t_n != np.round(t_n)
        if bad.any():
            raise DataError(
                f"periods column {periods!r} must hold whole numbers >= 1; needs "
                f"{preview(ids[bad])} have {preview(t_n[bad])}."
            )
        t_n = t_n.astype(int)
    else:
        t_n = np.full(len(data), check_count(periods, "periods", minimum=1))
    t_max = int(t_n.max())
    steps = np.arange(1, t_max + 1)
    disc = (1.0 + rate) ** -steps.astype(float)  # (T,)
    active = steps[None, :] <= t_n[:, None]  # (n, T)
    flows = np.where(active, b[:, None] * disc[None, :], 0.0)
    cum = np.cumsum(flows, axis=1)
    pv = cum[:, -1]
    npv = pv - c
    bcr = pv / c
    notes: list[str] = []
    with np.errstate(divide="ignore", invalid="ignore"):
        simple = np.where(b > 0, c / b, np.inf)
    simple = np.where(simple <= t_n + 1e-12, simple, np.nan)
    reached = (cum >= c[:, None] - 1e-12) & active
    has = reached.any(axis=1)
    first = np.argmax(reached, axis=1)  # index of the period (0-based) where it is reached
    rows = np.arange(len(data))
    prev = np.where(first > 0, cum[rows, np.maximum(first - 1, 0)], 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        frac = (c - prev) / flows[rows, first]
    disc_pb = np.where(has, first + frac, np.nan)
    never = np.isnan(simple)
    if never.any():
        notes.append(
            f"simple payback not reached within the benefit periods for needs "
            f"{preview(ids[never])} (reported as NaN)."
        )
    never_d = np.isnan(disc_pb) & ~never
    if never_d.any():
        notes.append(
            f"discounted payback not reached within the benefit periods for needs "
            f"{preview(ids[never_d])} (reported as NaN)."
        )
    if np.isnan(disc_pb).any() and never.any():
        notes.append("needs without a simple payback have no discounted payback either (NaN).")
    table = _base_table(data, need)
    table["cost"] = c
    table["benefit"] = b
    table["periods"] = t_n
    table["pv_benefit"] = pv
    table["npv"] = npv
    table["bcr"] = bcr
    table["payback"] = simple
    table["discounted_payback"] = disc_pb
    table, tie_notes = ranked_table(table, bcr if rank_by == "bcr" else npv)
    notes.append(
        f"cost paid at t = 0, benefit at the end of each of {'the given' if per_col else t_max} "
        f"periods, discounted at {rate:g} per period; score = {rank_by}."
    )
    return PriorityResult(
        table,
        method="cost_benefit",
        n_used=len(data),
        n_excluded=0,
        notes=tuple(notes + tie_notes),
    )


# ----------------------------------------------------------------------------- Kano

_TIERS = ("basic", "expected", "delight", "basic_met", "indifferent", "other")
_TIER_LABELS = {
    "en": {
        "basic": "basic (unmet)",
        "expected": "expected",
        "delight": "delight",
        "basic_met": "basic (met)",
        "indifferent": "indifferent",
        "other": "reverse / questionable / tied",
    },
    "zh": {
        "basic": "基本需求（未满足）",
        "expected": "期望需求",
        "delight": "兴奋需求",
        "basic_met": "基本需求（已满足）",
        "indifferent": "无差异需求",
        "other": "反向 / 可疑 / 并列",
    },
}


def kano_priority(
    data: KanoResult,
    *,
    importance: Mapping[str, float] | pd.Series | None = None,
    lang: Lang = "en",
) -> PriorityResult:
    """Order Kano features for planning: basic needs first, then expected, then delighters.

    Tiers, in order (Berger et al. 1993; the planning rule "M > O > A > I"):

    1. basic (must-be, M) needs: unmet, i.e. every M feature when no ``importance`` gaps are
       given, else those with a gap > 0; ordered by the gap, else by \\|worse\\|;
    2. expected (one-dimensional, O) needs, by the gap, else by \\|worse\\|;
    3. delighters (attractive, A), by ``better``;
    4. basic needs already met (gap <= 0: keep them, no new action), by \\|worse\\|;
    5. indifferent (I), by ``better``;
    6. reverse (R), questionable (Q) and tied categories (e.g. ``"A/O"``), by ``better``, with
       a note.

    **Score** (reproducible order): ``score = 2 (5 - tier) + key`` with tier 0..5 as listed and
    ``key`` in [0, 1]: \\|worse\\| or ``better`` as they are, or a gap min-max scaled over the
    features that have one. Tiers are 2 apart, so a key never lifts a need into the tier above.

    Parameters
    ----------
    data : KanoResult
        The result of :func:`needlab.kano`; its ``feature``, ``category``, ``better`` and
        ``worse`` columns are used.
    importance : mapping or Series, optional
        Feature -> importance gap (e.g. stated importance minus satisfaction, or an IPA gap;
        larger = more urgent). Features without a gap are ordered by \\|worse\\|, with a note.
    lang : {"en", "zh"}, default "en"
        Language of the ``tier`` and ``kano_need`` labels.

    Returns
    -------
    PriorityResult
        ``method="kano"``; table columns ``need`` (the feature), ``category``, ``kano_need``,
        ``better``, ``worse`` (Berger's satisfaction and dissatisfaction coefficients),
        ``importance_gap`` (when given), ``tier``, ``score``, ``rank``, ``tied``. The unit is the
        feature: features without a category (no answers) are excluded with a note.

    Raises
    ------
    ConfigError
        ``data`` not a Kano result; an ``importance`` feature the result does not have.
    DataError
        A non-finite importance gap; no feature with a category.

    References
    ----------
    Berger, C., et al. (1993). Kano's methods for understanding customer-defined quality.
    *Center for Quality Management Journal*, 2(4), 3-36.

    Examples
    --------
    >>> import needlab as nl
    >>> df = pd.DataFrame({"a_f": [2, 2, 2], "a_d": [5, 5, 5], "b_f": [1, 1, 2],
    ...                    "b_d": [3, 3, 3]})
    >>> k = nl.kano(df, {"speed": ("a_f", "a_d"), "app": ("b_f", "b_d")})
    >>> kano_priority(k).table[["need", "category", "better", "worse", "score", "rank"]]
        need category    better  worse  score  rank
    0  speed        M  0.000000   -1.0   11.0     1
    1    app        A  0.666667    0.0    6.666667     2
    """
    check_option(lang, ("en", "zh"), "lang")
    t = getattr(data, "table", None)
    if not isinstance(t, pd.DataFrame) or not {"feature", "category", "better", "worse"} <= set(
        t.columns
    ):
        raise ConfigError(
            "kano_priority needs a KanoResult (from needlab.kano) with columns feature, category, "
            f"better and worse; got {type(data).__name__}."
        )
    from needlab.kano.classify import NEED_LABELS

    t = t.reset_index(drop=True)
    notes: list[str] = []
    has_cat = t["category"].notna().to_numpy()
    if not has_cat.any():
        raise DataError("no Kano feature has a category; nothing to order.")
    if (~has_cat).any():
        notes.append(
            f"{int((~has_cat).sum())} of {len(t)} features excluded: no category (no complete "
            f"answer pair): {preview(t.loc[~has_cat, 'feature'])}."
        )
    t = t[has_cat].reset_index(drop=True)
    feats = t["feature"].astype(str)
    cat = t["category"].astype(str).to_numpy()
    better = t["better"].to_numpy(float)
    aworse = np.abs(t["worse"].to_numpy(float))
    gap = np.full(len(t), np.nan)
    if importance is not None:
        imp = (
            pd.Series(importance, dtype=object)
            if not isinstance(importance, pd.Series)
            else importance
        )
        unknown = [k for k in imp.index if str(k) not in set(feats)]
        if unknown:
            raise ConfigError(
                f"importance names features {preview(unknown)} that the Kano result does not "
                f"have; its features are {preview(feats, 12)}."
            )
        vals = pd.to_numeric(imp, errors="coerce").astype(float)
        bad = ~np.isfinite(vals.to_numpy()) & imp.notna().to_numpy()
        if bad.any():
            raise DataError(
                f"importance gaps must be finite numbers; features {preview(imp.index[bad])} have "
                f"{preview(imp[bad])}."
            )
        gap = feats.map({str(k): v for k, v in vals.items()}).to_numpy(float)
        lacking = np.isnan(gap) & np.isin(cat, ["M", "O"])
        if lacking.any():
            notes.append(
                f"basic/expected features without an importance gap ordered by |worse|: "
                f"{preview(feats[lacking])}."
            )
    given = ~np.isnan(gap)
    span = np.nanmax(gap) - np.nanmin(gap) if given.any() else 0.0
    gap01 = (
        (gap - np.nanmin(gap)) / span if given.any() and span > 0 else np.where(given, 1.0, np.nan)
    )
    urgency = np.where(given, gap01, aworse)
    tier = np.select(
        [
            (cat == "M") & ~(given & (gap <= 0)),
            cat == "O",
            cat == "A",
            cat == "M",
            cat == "I",
        ],
        [0, 1, 2, 3, 4],
        default=5,
    )
    key = np.select(
        [tier <= 1, tier == 3],
        [urgency, aworse],
        default=np.nan_to_num(better),
    )
    key = np.nan_to_num(key)
    other = tier == 5
    if other.any():
        notes.append(
            f"reverse, questionable or tied categories placed last: "
            f"{preview([f'{f} ({c})' for f, c in zip(feats[other], cat[other], strict=True)])}."
        )
    labels = NEED_LABELS[lang]
    table = pd.DataFrame(
        {
            "need": feats.to_numpy(dtype=object),
            "category": cat,
            "kano_need": ["/".join(labels.get(x, x) for x in c.split("/")) for c in cat],
            "better": better,
            "worse": t["worse"].to_numpy(float),
        }
    )
    if importance is not None:
        table["importance_gap"] = gap
    table["tier"] = [_TIER_LABELS[lang][_TIERS[k]] for k in tier]
    table, tie_notes = ranked_table(table, 2.0 * (5 - tier) + key)
    return PriorityResult(
        table,
        method="kano",
        lang=lang,
        n_used=len(t),
        n_excluded=int((~has_cat).sum()),
        notes=tuple(notes + tie_notes),
    )


# ----------------------------------------------------------------------------- opportunity


def _scale_max(
    design: Any, column: Hashable, x: np.ndarray, given: float | None
) -> tuple[float, str | None]:
    if given is not None:
        return float(given), None
    cb = design.codebook
    if cb is not None and isinstance(column, str) and column in cb:
        col = cb[column]
        codes = [k for k in col.scale() if isinstance(k, (int, float))]
        if codes:
            return float(max(codes)), None
        if col.range is not None:
            return float(col.range[1]), None
    hi = float(np.nanmax(x))
    return hi, f"{column!r}: {hi:g}"


def opportunity(
    data: Any,
    pairs: Mapping[str, tuple[Hashable, Hashable]],
    *,
    by: Hashable | None = None,
    weights: Weights = None,
    top: int = 2,
    scale_max: float | None = None,
    lang: Lang = "en",
) -> PriorityResult:
    """Ulwick's opportunity score from survey items, overall or per segment.

    .. math:: \\text{opportunity} = I + \\max(I - S, 0)

    **Variant.** I and S are top-box shares scaled to 0-10: I is the (weighted) percentage of
    respondents rating the need's importance in the top ``top`` codes of its scale, divided by
    10; S the same for satisfaction (Ulwick 2002; 2005: the share rating 4 or 5 on a 1-5 scale).
    Scores range 0-20. Means of the ratings are a known mis-use of the formula (they compress
    the scale and hide the share of dissatisfied customers) and are not offered.

    Parameters
    ----------
    data : DataFrame or Survey
        One row per respondent. A :class:`~needlab.Survey` brings its codes, its weight column
        and its codebook's scales.
    pairs : mapping
        Need -> (importance column, satisfaction column).
    by : hashable, optional
        A segment column: one block of rows per segment (the column ``by`` first; ranks within
        each segment). Respondents with a missing segment are excluded, with a note.
    weights : column name, array or False, optional
        Survey row weights (on a Survey ``None`` takes the codebook's weight column).
    top : int, default 2
        Width of the top box.
    scale_max : float, optional
        Highest code of the scales. By default each item's highest code in the codebook (a
        Survey: the highest value code, or the top of a numeric item's ``range``), else the highest answer observed (with a note: this understates the scale when
        nobody chose its top).
    lang : {"en", "zh"}, default "en"
        Language of the plot labels.

    Returns
    -------
    PriorityResult
        ``method="opportunity"``; table columns ([``by``],) ``need``, ``importance`` and
        ``satisfaction`` (0-10), ``n_importance`` and ``n_satisfaction`` (answers, unweighted),
        ``score``, ``rank``, ``tied``. The unit is the respondent: ``n_used`` answered at least
        one item with a positive weight (and a segment, with ``by``).

    Raises
    ------
    ConfigError
        Empty or malformed ``pairs``; ``top`` not a whole number >= 1.
    SchemaError
        A column not in the data.
    DataError
        Non-numeric answers, answers above ``scale_max``, an item with no answers (in a
        segment), invalid weights.

    References
    ----------
    Ulwick, A. W. (2002). Turn customer input into innovation. *Harvard Business Review*,
    80(1), 91-97. Ulwick, A. W. (2005). *What Customers Want*. McGraw-Hill.

    Examples
    --------
    >>> df = pd.DataFrame({"imp": [5, 5, 4, 2], "sat": [1, 2, 5, 3]})
    >>> opportunity(df, {"N1": ("imp", "sat")}, scale_max=5).table[
    ...     ["need", "importance", "satisfaction", "score"]]
      need  importance  satisfaction  score
    0   N1         7.5           2.5   12.5
    """
    check_option(lang, ("en", "zh"), "lang")
    top = check_count(top, "top", minimum=1, hint="the width of the top box, 2 for top-2-box")
    if not isinstance(pairs, Mapping) or not pairs:
        raise ConfigError(
            "pairs must map each need to its (importance column, satisfaction column), e.g. "
            "{'N01': ('imp_speed', 'sat_de_speed')}."
        )
    design = as_design(data, weights=weights)
    frame = design.data
    resolved: dict[str, tuple[Hashable, Hashable]] = {}
    for nd, cols in pairs.items():
        if isinstance(cols, str) or not isinstance(cols, Sequence) or len(cols) != 2:
            raise ConfigError(
                f"need {nd!r}: expected a pair (importance column, satisfaction column), got "
                f"{cols!r}."
            )
        check_columns(frame, list(cols), what=f"column of need {nd!r}")
        resolved[str(nd)] = (cols[0], cols[1])
    w_in = check_weights(frame, design.weights)
    w = np.ones(len(frame)) if w_in is None else w_in
    notes: list[str] = []
    if by is not None:
        check_columns(frame, by, what="by column")
        g, uniques = pd.factorize(frame[by], sort=True)
        levels: list[Any] = list(uniques)
        n_groups = len(levels)
    else:
        g, levels, n_groups = np.zeros(len(frame), dtype=np.int64), [None], 1
    columns = list(dict.fromkeys(c for p in resolved.values() for c in p))
    xs: dict[Hashable, np.ndarray] = {}
    guessed = []
    tops: dict[Hashable, float] = {}
    for col in columns:
        x = check_numeric(frame, col).to_numpy(float)
        if np.isnan(x).all():
            raise DataError(f"item {col!r} has no answers at all; drop it from pairs.")
        hi, guess = _scale_max(design, col, x, scale_max)
        if (x > hi).any():
            bad = x > hi
            raise DataError(
                f"column {col!r} has answers above scale_max={hi:g}: {preview(x[bad])}; recode "
                "them or correct scale_max."
            )
        if guess:
            guessed.append(guess)
        xs[col] = x
        tops[col] = hi
    if guessed:
        notes.append(
            "the top of the scale was taken from the highest answer observed for "
            + ", ".join(guessed)
            + "; pass scale_max= (or a Survey with a codebook) when the scale is known."
        )
    valid_g = g >= 0
    used = valid_g & (w > 0) & np.column_stack([~np.isnan(xs[c]) for c in columns]).any(axis=1)
    slot = np.where(valid_g, g, n_groups)
    rows = []
    for nd, (ic, sc) in resolved.items():
        out: dict[str, np.ndarray] = {}
        for role, col in (("importance", ic), ("satisfaction", sc)):
            x = xs[col]
            ans = ~np.isnan(x) & used
            in_box = ans & (x >= tops[col] - top + 1)
            base = np.bincount(slot, weights=w * ans, minlength=n_groups + 1)[:n_groups]
            box = np.bincount(slot, weights=w * in_box, minlength=n_groups + 1)[:n_groups]
            count = np.bincount(slot, weights=ans.astype(float), minlength=n_groups + 1)[:n_groups]
            if (base <= 0).any():
                empty = [levels[int(k)] for k in np.flatnonzero(base <= 0)]
                where = f" in segments {preview(empty)} of {by!r}" if by is not None else ""
                raise DataError(
                    f"{role} item {col!r} of need {nd!r} has no answers with a positive weight"
                    f"{where}; drop the need or merge those segments."
                )
            out[role] = 10 * box / base
            out[f"n_{role}"] = count.astype(int)
        block = pd.DataFrame({"need": [nd] * n_groups, **out})
        if by is not None:
            block.insert(0, by, levels)
        rows.append(block)
    table = pd.concat(rows, ignore_index=True)
    imp, sat = table["importance"].to_numpy(), table["satisfaction"].to_numpy()
    table = table[
        [
            *([by] if by is not None else []),
            "need",
            "importance",
            "satisfaction",
            "n_importance",
            "n_satisfaction",
        ]
    ]
    table, tie_notes = ranked_table(table, imp + np.maximum(imp - sat, 0.0), group=by)
    notes.insert(
        0,
        f"importance and satisfaction are top-{top}-box shares (the top {top} codes of each "
        "scale) scaled to 0-10; opportunity = importance + max(importance - satisfaction, 0).",
    )
    if by is not None and (~valid_g).any():
        notes.append(f"{int((~valid_g).sum())} respondents with a missing {by!r} excluded.")
    none = int((~used & valid_g & (w > 0)).sum())
    if none:
        notes.append(f"{none} respondents answered none of the items (excluded).")
    zero = int((valid_g & (w <= 0)).sum())
    if zero:
        notes.append(f"{zero} respondents have weight 0 (excluded).")
    return PriorityResult(
        table,
        method="opportunity",
        lang=lang,
        n_used=int(used.sum()),
        n_excluded=int(len(frame) - used.sum()),
        notes=tuple(notes + tie_notes),
    )
