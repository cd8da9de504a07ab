"""Monitor a plan's KPIs wave after wave: values with intervals, real-change tests, status.

:func:`monitor` takes a :class:`~needlab.plan.document.Plan` and the survey waves, measures every
goal's KPI in every wave (and segment), tests the change from the previous wave and from the
first (baseline) wave with :func:`~needlab.plan.change.compare_waves` (overlap-aware when an id
links respondents across waves; the ``test`` column names the test), adjusts the p values of each
wave across KPIs with Benjamini-Hochberg, and gives each goal a status from the rule of
:func:`goal_status`. Benchmarks (``brand, period, kpi, value`` rows such as the sample's
``competitors``) are joined by period.

**Status rule** (:func:`goal_status`). A goal has a baseline *B* (the plan's number), a target
*T*, a direction (``d = +1`` increase, ``-1`` decrease) and a deadline *D*; the baseline date
``t0`` is the date of the first wave. For the current wave (date *t*, estimate *x*, standard
error *se*, normal quantile *z* of *ci*):

1. **not yet measurable**: no baseline or target in the plan, no estimate in the current wave
   (no respondents in the group, the KPI's column absent, fewer than 2 answers), no dates, or no
   wave after the baseline date (``t <= t0``);
2. **achieved**: the estimate is at or beyond the target, ``d (x - T) >= 0``, *and* the interval
   ``x -+ z se`` lies entirely beyond the baseline (``x - z se > B`` for an increase,
   ``x + z se < B`` for a decrease): the improvement is real, not noise;
3. otherwise the pace so far is projected linearly to the deadline: with ``h = (D - t0) /
   (t - t0)`` (``h = 1`` once the deadline has passed), ``P = B + h (x - B)`` with standard
   error ``h se`` (the baseline is the plan's fixed number). The pace needed is ``(T - B) / (D -
   t0)``; the pace so far ``(x - B) / (t - t0)``:

   - **on track**: ``d (P - T) >= 0``, the pace so far is at least the pace needed;
   - **at risk**: the projection falls short but its interval reaches the target,
     ``d (P + d z h se - T) >= 0``: the target is still within the uncertainty;
   - **off track**: the whole projection interval is short of the target.

Every status comes with a reason sentence (English or Chinese).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from needlab._result import Result
from needlab._stats import z_value
from needlab._types import Lang, Weights
from needlab._validate import as_design, check_alpha, check_option, check_weights
from needlab.errors import ConfigError, DataError, SchemaError
from needlab.plan.change import (
    CHANGE_TESTS,
    bh_adjust,
    compare_waves,
    score_estimate,
    score_kind,
)
from needlab.plan.document import Goal, Plan
from needlab.plan.kpis import parse_kpi

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["STATUSES", "MonitorResult", "goal_status", "monitor"]

#: Status keys, best first.
STATUSES = ("achieved", "on track", "at risk", "off track", "not yet measurable")

STATUS_LABELS = {
    "en": {s: s for s in STATUSES},
    "zh": {
        "achieved": "已达成",
        "on track": "进展正常",
        "at risk": "有风险",
        "off track": "偏离目标",
        "not yet measurable": "尚不可测",
    },
}

SURVEY_FAMILIES = ("csat", "csat_mean", "nps", "top2", "bottom2", "mean")

_REASONS = {
    "en": {
        "no_baseline": "the plan has no baseline (or target) for {kpi} yet",
        "no_value": "no estimate in this wave: {why}",
        "no_dates": "the waves have no dates, so the pace cannot be measured",
        "no_after": "no data after the baseline date {t0} yet",
        "deadline": "the deadline {D} is not after the baseline date {t0}: correct the goal's "
        "deadline (or its baseline) in the plan",
        "achieved": "{x} ({lo} to {hi}) is at or beyond the target {T} and the interval "
        "excludes the baseline {B}",
        "on_track": "pace {pace}/month vs {need}/month needed: projected {P} ({plo} to {phi}) "
        "by {D}, target {T}",
        "at_risk": "pace {pace}/month vs {need}/month needed: projected {P} ({plo} to {phi}) "
        "by {D} falls short of the target {T}, which is still inside the interval",
        "off_track": "pace {pace}/month vs {need}/month needed: projected {P} ({plo} to {phi}) "
        "by {D}; the whole interval misses the target {T}",
    },
    "zh": {
        "no_baseline": "计划尚未设定 {kpi} 的基线 (或目标值)",
        "no_value": "本波次无估计值：{why}",
        "no_dates": "波次没有日期，无法计算进度",
        "no_after": "基线日期 {t0} 之后尚无数据",
        "deadline": "截止日期 {D} 不晚于基线日期 {t0}：请在计划中修改该目标的截止日期 (或基线)",
        "achieved": "{x} ({lo} 至 {hi}) 已达到目标值 {T}，且区间不含基线 {B}",
        "on_track": "当前进度每月 {pace}，所需每月 {need}：预计截止 {D} 达到 {P} ({plo} 至 {phi})，"
        "目标值 {T}",
        "at_risk": "当前进度每月 {pace}，所需每月 {need}：预计截止 {D} 为 {P} ({plo} 至 {phi})，"
        "低于目标值 {T}，但目标仍在区间内",
        "off_track": "当前进度每月 {pace}，所需每月 {need}：预计截止 {D} 为 {P} ({plo} 至 {phi})，"
        "整个区间均未达到目标值 {T}",
    },
}

_DAYS_PER_MONTH = 365.25 / 12


def _f(x: float) -> str:
    return f"{x:.3g}" if abs(x) < 10 else f"{x:.1f}"


def _as_date(v: Any) -> dt.date | None:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    ts = pd.Timestamp(v)
    return None if pd.isna(ts) else ts.date()


# ----------------------------------------------------------------------------- status


def goal_status(
    data: pd.DataFrame,
    *,
    goal: Goal,
    baseline_date: Any = None,
    ci: float = 0.95,
    lang: Lang = "en",
) -> tuple[str, str]:
    """The status of a goal from its KPI trajectory (the rule of the module docstring).

    Parameters
    ----------
    data : DataFrame
        The trajectory in time order: columns ``date``, ``value`` and ``se`` (one row per wave;
        the last row is "now"; ``value`` NaN where the KPI was not measurable, with an optional
        ``why`` column saying why).
    goal : Goal
        The goal (baseline, target, direction, deadline).
    baseline_date : date-like, optional
        Default: the first row's date.
    ci : float, default 0.95
        Level of the intervals the rule uses.
    lang : {"en", "zh"}, default "en"
        Language of the reason.

    Returns
    -------
    (status, reason) : tuple of str
        *status* one of :data:`STATUSES`.

    Raises
    ------
    SchemaError
        *data* lacks ``date``, ``value`` or ``se``.

    Examples
    --------
    >>> g = Goal("G1", "Faster delivery", "top2:sat_de_speed", 50.0, 60.0, "2025-12-31", "Ops")
    >>> traj = pd.DataFrame({"date": ["2024-01-01", "2025-01-01"], "value": [50.0, 56.0],
    ...                      "se": [1.0, 1.0]})
    >>> goal_status(traj, goal=g)[0]
    'on track'
    """
    check_option(lang, ("en", "zh"), "lang")
    z = z_value(ci)
    missing = [c for c in ("date", "value", "se") if c not in data.columns]
    if missing:
        raise SchemaError(
            f"goal_status: data lacks {missing}; pass the trajectory with columns date, value, se."
        )
    text = _REASONS[lang]
    if goal.baseline is None or goal.target is None:
        return "not yet measurable", text["no_baseline"].format(kpi=goal.kpi)
    if len(data) == 0:
        return "not yet measurable", text["no_value"].format(why="no waves")
    last = data.iloc[-1]
    x, se = float(last["value"]), float(last["se"])
    if not (math.isfinite(x) and math.isfinite(se)):
        why = str(last["why"]) if "why" in data.columns and isinstance(last["why"], str) else ""
        return "not yet measurable", text["no_value"].format(why=why or "no respondents")
    t = _as_date(last["date"])
    t0 = _as_date(baseline_date) if baseline_date is not None else _as_date(data["date"].iloc[0])
    if t is None or t0 is None:
        return "not yet measurable", text["no_dates"]
    if t <= t0:
        return "not yet measurable", text["no_after"].format(t0=t0.isoformat())
    if goal.deadline <= t0:
        return "not yet measurable", text["deadline"].format(
            D=goal.deadline.isoformat(), t0=t0.isoformat()
        )
    B, T = float(goal.baseline), float(goal.target)
    d = 1.0 if goal.direction == "increase" else -1.0
    lo, hi = x - z * se, x + z * se
    fmt = {"x": _f(x), "lo": _f(lo), "hi": _f(hi), "T": _f(T), "B": _f(B)}
    if d * (x - T) >= 0 and d * ((lo if d > 0 else hi) - B) > 0:
        return "achieved", text["achieved"].format(**fmt)
    D = goal.deadline
    span = (D - t0).days
    elapsed = (t - t0).days
    h = 1.0 if t >= D else span / elapsed
    P = B + h * (x - B)
    pse = h * se
    plo, phi = P - z * pse, P + z * pse
    pace = (x - B) / (elapsed / _DAYS_PER_MONTH)
    need = (T - B) / (span / _DAYS_PER_MONTH) if span > 0 else math.nan
    fmt.update(
        P=_f(P),
        plo=_f(plo),
        phi=_f(phi),
        D=D.isoformat(),
        pace=f"{pace:+.2f}",
        need=f"{need:+.2f}" if math.isfinite(need) else "-",
    )
    if d * (P - T) >= 0:
        return "on track", text["on_track"].format(**fmt)
    if d * ((phi if d > 0 else plo) - T) >= 0:
        return "at risk", text["at_risk"].format(**fmt)
    return "off track", text["off_track"].format(**fmt)


# ----------------------------------------------------------------------------- scores


def _measure_scores(
    frame: pd.DataFrame,
    name: str,
    weights: np.ndarray | None,
    ids: np.ndarray | None,
    codebook: Any,
) -> tuple[pd.DataFrame | None, str]:
    """Per-respondent scores (id, score, weight) of a survey KPI by
    :func:`needlab.plan.measure.kpi_scores` (the codebook's scale and missing codes apply), or
    None and why not."""
    from needlab.io.read import Survey
    from needlab.plan.measure import kpi_scores

    df = frame.copy()
    df["__w"] = 1.0 if weights is None else weights
    df["__id"] = np.arange(len(df)) if ids is None else ids
    src: Any = df
    if codebook is not None:
        src = Survey(data=df, codebook=codebook, load_report=pd.DataFrame())
    try:
        sc = kpi_scores(src, name, weights="__w", id="__id")
    except (SchemaError, DataError) as e:
        return None, str(e)
    out = pd.DataFrame(
        {
            "id": sc["id"].to_numpy(),
            "score": sc["score"].to_numpy(float),
            "weight": sc["weight"].to_numpy(float),
        }
    )
    return out, ""


def _other_kpi(
    name: str, source: pd.DataFrame, asof: dt.date, months: int, ci: float
) -> tuple[float, float, int, str]:
    """value, se, n and why-not of a transaction / feedback KPI in the window ending at *asof*."""
    from needlab.plan.measure import kpi

    try:
        res = kpi(source, name, period=f"{months}M", asof=asof.isoformat(), ci=ci)
    except (SchemaError, DataError, ConfigError) as e:
        return math.nan, math.nan, 0, str(e)
    row = res.table.iloc[0]
    n = int(row["n"]) if "n" in row and pd.notna(row["n"]) else 0
    return float(row["value"]), float(row["se"]), n, ""


# ----------------------------------------------------------------------------- result


@dataclass(frozen=True, repr=False)
class MonitorResult(Result):
    """KPIs of a plan across waves (see :func:`monitor`).

    Attributes
    ----------
    table : DataFrame
        One row per goal x [by level] x wave: ``goal``, ``kpi``, [*by*], ``wave``, ``date``,
        ``value``, ``se``, ``ci_low``, ``ci_high``, ``n`` (answers), ``n_eff`` (Kish),
        ``change`` (vs the previous wave) and ``se_change``, ``p``, ``p_adj`` (Benjamini-Hochberg across the
        KPIs of the wave), ``test`` (a key of :data:`~needlab.plan.change.CHANGE_TESTS`),
        ``n_overlap`` (respondents in both waves), ``significant`` (``p_adj < alpha``),
        ``change_baseline``, ``se_change_baseline``, ``p_baseline``, ``p_baseline_adj``, ``test_baseline``,
        ``significant_baseline`` (vs the first wave), ``baseline``, ``target``, ``direction``,
        ``deadline``, ``status`` (a key of :data:`STATUSES`, as of that wave), ``status_label``
        (in *lang*) and ``reason``.
    n_used, n_excluded : int
        Respondents of the waves used / of waves left out (dated after *asof*).
    waves : DataFrame
        ``wave``, ``date`` (median interview date), ``n``, ``n_overlap_previous``.
    benchmarks : DataFrame
        ``goal``, ``kpi``, ``wave``, ``period``, ``brand``, ``benchmark`` (their value),
        ``value`` (ours, from the survey), ``gap`` (ours - theirs); empty without benchmarks.
    alpha, ci : float
    by : str or None
    lang : str
    """

    waves: pd.DataFrame = field(default_factory=pd.DataFrame, kw_only=True)
    benchmarks: pd.DataFrame = field(default_factory=pd.DataFrame, kw_only=True)
    alpha: float = field(default=0.05, kw_only=True)
    ci: float = field(default=0.95, kw_only=True)
    by: str | None = field(default=None, kw_only=True)
    lang: str = field(default="en", kw_only=True)
    title = "KPI monitor"

    def current(self) -> pd.DataFrame:
        """The last wave's row per goal (and group): the status board."""
        keys = ["goal"] + ([self.by] if self.by else [])
        return self.table.groupby(keys, sort=False, dropna=False).tail(1).reset_index(drop=True)

    def summary(self) -> dict[str, Any]:
        cur = self.current()
        counts = cur["status"].value_counts()
        return {
            "waves": len(self.waves),
            "goals": int(self.table["goal"].nunique()),
            **{s: int(counts.get(s, 0)) for s in STATUSES},
            "significant changes": int(self.table["significant"].sum()),
        }

    def tables(self) -> dict[str, pd.DataFrame]:
        return {
            "monitor": self.table,
            "status": self.current(),
            "waves": self.waves,
            "benchmarks": self.benchmarks,
        }

    def plot(
        self,
        ax: Axes | None = None,
        *,
        kind: Literal["trend", "status"] = "trend",
        **kwargs: Any,
    ) -> Axes:
        """``kind="trend"``: each goal's KPI per wave with intervals, the target line and the
        trajectory from baseline to target, filled marks for significant changes; ``"status"``:
        the status board. See :mod:`needlab.plan.plot_monitor`."""
        from needlab.plan.plot_monitor import status_board, trend

        check_option(kind, ("trend", "status"), "kind")
        if kind == "status":
            return status_board(self, ax=ax, **kwargs)
        return trend(self, ax=ax, **kwargs)


# ----------------------------------------------------------------------------- monitor


@dataclass
class _Wave:
    label: str
    frame: pd.DataFrame
    weights: np.ndarray | None
    ids: np.ndarray | None
    codebook: Any
    date: dt.date | None
    n: int


def _resolve_waves(waves: Any, weights: Any, id: Hashable | None, date: Hashable) -> list[_Wave]:
    if isinstance(waves, Mapping):
        items = [(str(k), v) for k, v in waves.items()]
    elif isinstance(waves, Sequence) and not isinstance(waves, (str, bytes)):
        items = [(f"wave {i + 1}", v) for i, v in enumerate(waves)]
    else:
        raise SchemaError(
            f"waves must be a mapping wave label -> Survey/DataFrame or a list of them, got "
            f"{type(waves).__name__}."
        )
    if len(items) == 0:
        raise SchemaError("waves is empty; pass at least one wave (a Survey or DataFrame).")
    out = []
    for label, data in items:
        design = as_design(data, weights=weights, name=f"waves[{label!r}]")
        frame = design.data
        w = check_weights(frame, design.weights) if design.weights is not None else None
        link = id if id is not None else None
        ids = None
        if link is not None:
            if link not in frame.columns:
                raise SchemaError(
                    f"waves[{label!r}] lacks the id column {link!r} that links respondents "
                    f"across waves; pass id= naming a column of every wave (or id=None)."
                )
            ids = frame[link].to_numpy()
        d = None
        if date in frame.columns:
            ds = pd.to_datetime(frame[date], errors="coerce")
            if ds.notna().any():
                d = pd.Timestamp(ds.dropna().sort_values().iloc[len(ds.dropna()) // 2]).date()
        out.append(_Wave(label, frame, w, ids, design.codebook, d, len(frame)))
    return out


def _segment_mask(frame: pd.DataFrame, segment: str | None) -> tuple[np.ndarray | None, str]:
    if segment is None:
        return np.ones(len(frame), bool), ""
    col, sep, val = segment.partition("=")
    col, val = col.strip(), val.strip()
    if not sep or col not in frame.columns:
        return None, (
            f"segment {segment!r} is not 'column=value' with a column of the data; write it "
            "as e.g. 'city_tier=1'"
        )
    s = frame[col]
    mask = (s.astype(str) == val).to_numpy()
    return mask, ""


def _period_of(d: dt.date, example: str) -> str:
    """The label of the period containing *d* in the format of *example*."""
    e = example.strip()
    if len(e) == 6 and e[4] in "Hh":
        return f"{d.year}H{1 if d.month <= 6 else 2}"
    if len(e) == 6 and e[4] in "Qq":
        return f"{d.year}Q{(d.month - 1) // 3 + 1}"
    if len(e) == 7 and e[4] == "-":
        return f"{d.year}-{d.month:02d}"
    if len(e) == 4 and e.isdigit():
        return str(d.year)
    return d.isoformat()


def _benchmark_key(kpi: str) -> set[str]:
    k = parse_kpi(kpi)
    keys = {k.name, k.family}
    if k.family == "retention_rate":
        keys.add("retention")
    return keys


def monitor(
    data: Plan,
    waves: Mapping[str, Any] | Sequence[Any],
    *,
    orders: pd.DataFrame | None = None,
    feedback: pd.DataFrame | None = None,
    benchmarks: pd.DataFrame | None = None,
    by: Hashable | None = None,
    id: Hashable | None = None,
    weights: Weights = None,
    date: Hashable = "date",
    alpha: float = 0.05,
    ci: float = 0.95,
    asof: Any = None,
    lang: Lang = "en",
) -> MonitorResult:
    """Track every goal's KPI across survey waves against its baseline and target.

    Parameters
    ----------
    data : Plan
        The plan whose goals are monitored.
    waves : mapping of label -> Survey or DataFrame, or a list of them
        The waves in time order (a list is labelled ``wave 1``, ``wave 2``, ...); the first is
        the baseline wave. Each wave's date is the median of its *date* column. Columns are
        matched by name; a KPI column missing in a wave makes that wave not measurable for the
        KPI (a note says so).
    orders, feedback : DataFrame, optional
        The transactions (one row per order) and the feedback texts: inputs of the non-survey
        KPIs (retention, repeat and churn rate; complaint rate), measured
        with :func:`needlab.plan.measure.kpi` over the window of each wave (from the previous
        wave's date, exclusive, to the wave's date). Without them those goals are "not yet
        measurable" with the reason.
    benchmarks : DataFrame, optional
        Rows ``brand, period, kpi, value`` (the sample's ``competitors``): joined to our value
        for the period containing each wave's date (period labels ``2024H1``, ``2024Q3``,
        ``2024-07`` or ``2024``); KPI names match the goal's KPI or its family.
    by : column name, optional
        A segment column: every goal is measured and tested per level.
    id : column name, optional
        The column linking respondents across waves (e.g. ``customer_id``). With it, changes
        between waves that share respondents use the overlap-aware test; default: a Survey's
        codebook id is **not** used (survey ids usually differ between waves), so waves are
        independent unless *id* is given.
    weights : Weights, optional
        As everywhere: ``None`` takes a Survey's weight column (a DataFrame is unweighted),
        ``False`` is unweighted, a column name applies to every wave.
    date : column name, default "date"
        Interview date column.
    alpha : float, default 0.05
        Significance threshold on the Benjamini-Hochberg adjusted p values (false discovery
        rate across the KPIs and groups of a wave).
    ci : float, default 0.95
        Level of the intervals (and of the status rule).
    asof : date-like, optional
        Waves dated after *asof* are left out (counted in ``n_excluded``).
    lang : {"en", "zh"}, default "en"
        Language of status labels, reasons and notes.

    Returns
    -------
    MonitorResult

    Raises
    ------
    ConfigError
        *data* is not a Plan; bad *alpha*, *ci* or *lang*.
    SchemaError
        Empty *waves*, a wave that is not a frame, *by* or *id* missing from a wave, a goal
        whose survey KPI column is in none of the waves (mismatched plan and data), benchmarks
        without ``brand, period, kpi, value``.

    Examples
    --------
    >>> import needlab as nl
    >>> s = nl.load_sample()
    >>> plan = Plan.from_yaml("data/sample/plan.yaml")  # doctest: +SKIP
    """
    if not isinstance(data, Plan):
        raise ConfigError(f"data must be a Plan (Plan.from_yaml(...)), got {type(data).__name__}.")
    check_alpha(alpha)
    z = z_value(ci)
    check_option(lang, ("en", "zh"), "lang")
    ws = _resolve_waves(waves, weights, id, date)
    notes: list[str] = []
    n_excluded = 0
    if asof is not None:
        cut = _as_date(asof)
        if cut is None:
            raise ConfigError(f"asof={asof!r} is not a date; write it as 'YYYY-MM-DD'.")
        late = [w for w in ws if w.date is not None and w.date > cut]
        for w in late:
            notes.append(f"wave {w.label!r} ({w.date}) is after asof {cut} and was left out.")
            n_excluded += w.n
        ws = [w for w in ws if not (w.date is not None and w.date > cut)]
        if not ws:
            raise DataError(f"no wave is dated on or before asof {cut}; pass a later asof.")
    dates = [w.date for w in ws]
    if all(d is not None for d in dates) and dates != sorted(dates):  # type: ignore[type-var]
        order = sorted(range(len(ws)), key=lambda i: dates[i])  # type: ignore[arg-type,return-value]
        ws = [ws[i] for i in order]
        notes.append("waves were not given in date order; they were sorted by date.")
    if any(d is None for d in dates):
        notes.append(
            f"wave(s) {[w.label for w in ws if w.date is None]} have no {date!r} dates: the "
            "status (pace to the deadline) is not measurable."
        )
    if by is not None:
        for w in ws:
            if by not in w.frame.columns:
                raise SchemaError(
                    f"by={by!r} is not a column of wave {w.label!r}; columns are matched by name "
                    "across waves: add it, or choose another by."
                )
    # Codebook differences: columns in some waves only.
    cols = [set(map(str, w.frame.columns)) for w in ws]
    common = set.intersection(*cols)
    for w, c in zip(ws, cols, strict=True):
        extra = sorted(c - common)
        if extra:
            notes.append(
                f"wave {w.label!r} has {len(extra)} column(s) not in every wave (matched by "
                f"name): {extra[:5]}."
            )
    books = [w.codebook for w in ws if w.codebook is not None]
    if benchmarks is not None:
        need = {"brand", "period", "kpi", "value"}
        if not isinstance(benchmarks, pd.DataFrame) or not need <= set(benchmarks.columns):
            raise SchemaError(
                "benchmarks must be a DataFrame with columns brand, period, kpi, value (like the "
                "sample's competitors)."
            )

    rows: list[dict[str, Any]] = []
    scores_cache: dict[tuple[str, str, Any], pd.DataFrame | None] = {}
    for goal in data.goals:
        k = parse_kpi(goal.kpi)
        survey = k.family in SURVEY_FAMILIES
        if survey:
            item = k.argument or ("ltr" if k.family == "nps" else "overall_sat")
            present = [item in w.frame.columns for w in ws]
            if not any(present):
                raise SchemaError(
                    f"goal {goal.id}: its KPI {goal.kpi} needs column {item!r}, which is in none "
                    f"of the waves; the plan and the data do not match (fix the goal's kpi, or "
                    f"pass the waves that measure it)."
                )
            for w, ok in zip(ws, present, strict=True):
                if not ok:
                    notes.append(
                        f"goal {goal.id}: wave {w.label!r} lacks column {item!r}; the KPI is not "
                        "measurable in that wave."
                    )
            if books and len(books) == len(ws):
                labels = [
                    tuple(sorted(map(str, b.value_labels(item)))) if item in b else None
                    for b in books
                ]
                if len({lab for lab in labels if lab is not None}) > 1:
                    notes.append(
                        f"goal {goal.id}: the codebooks of the waves code {item!r} differently "
                        f"({sorted({lab for lab in labels if lab is not None})}); check that the "
                        "scales match before reading the changes."
                    )
        levels: list[Any] = [None]
        if by is not None:
            lv = pd.unique(pd.concat([w.frame[by] for w in ws], ignore_index=True).dropna())
            levels = sorted(lv, key=str)
        for level in levels:
            prev: pd.DataFrame | None = None
            first: pd.DataFrame | None = None
            traj: list[dict[str, Any]] = []
            for wi, w in enumerate(ws):
                row: dict[str, Any] = {
                    "goal": goal.id,
                    "kpi": goal.kpi,
                    **({str(by): level} if by is not None else {}),
                    "wave": w.label,
                    "date": pd.Timestamp(w.date) if w.date else pd.NaT,
                }
                sc: pd.DataFrame | None = None
                why = ""
                if survey:
                    mask, why = _segment_mask(w.frame, goal.segment)
                    if mask is not None:
                        if by is not None:
                            mask &= (w.frame[by] == level).to_numpy()
                        sub = w.frame.loc[mask]
                        wt = None if w.weights is None else w.weights[mask]
                        ids = None if w.ids is None else w.ids[mask]
                        if len(sub) == 0:
                            why = "the group has no respondents in this wave"
                        else:
                            sc, why = _measure_scores(sub, goal.kpi, wt, ids, w.codebook)
                            if sc is not None and len(sc) < 2:
                                why = f"{len(sc)} answer(s) in the group, at least 2 needed"
                                sc = None
                else:
                    why = _nonsurvey_why(k.family, orders, feedback)
                    source = feedback if k.family == "complaint_rate" else orders
                    other = None
                    if source is not None and w.date is not None and by is None:
                        gap = _months(ws, wi)
                        other = _other_kpi(goal.kpi, source, w.date, gap, ci)
                        why = other[3]
                scores_cache[(goal.id, w.label, level)] = sc
                if not survey:
                    v, se_o, n_o = (other[0], other[1], other[2]) if other else (np.nan,) * 3
                    row.update(value=v, se=se_o, ci_low=v - z * se_o, ci_high=v + z * se_o)
                    row.update(n=n_o, n_eff=float(n_o))
                    if by is not None:
                        why = why or "by= groups are measured for survey KPIs only"
                elif sc is not None:
                    s = sc["score"].to_numpy(float)
                    wt_ = sc["weight"].to_numpy(float)
                    kind = score_kind(s)
                    m, se, neff = score_estimate(s, wt_, kind)
                    row.update(value=m, se=se, ci_low=m - z * se, ci_high=m + z * se)
                    row.update(n=len(sc), n_eff=neff)
                else:
                    row.update(value=np.nan, se=np.nan, ci_low=np.nan, ci_high=np.nan)
                    row.update(n=0, n_eff=0.0)
                row["why"] = why
                for key, ref in (("", prev), ("_baseline", first)):
                    res = None
                    if sc is not None and ref is not None and wi > 0:
                        res = compare_waves(ref, sc, id="id" if id is not None else None, ci=ci)
                    row["change" + key] = res.diff if res else np.nan
                    row["se_change" + key] = res.se if res else np.nan
                    row["p" + key] = res.p if res else np.nan
                    row["test" + key] = res.test if res else ""
                    if key == "":
                        row["n_overlap"] = res.n_overlap if res else 0
                    if not survey and wi > 0 and np.isfinite(row["se"]):
                        ref_row = traj[-1] if key == "" else traj[0] if traj else None
                        if ref_row is not None and np.isfinite(ref_row["se"]):
                            dz = _z_independent(ref_row["value"], ref_row["se"], row)
                            row["change" + key], row["p" + key] = dz
                            row["se_change" + key] = math.hypot(ref_row["se"], row["se"])
                            row["test" + key] = "z_proportion"
                if wi == 0 and sc is not None:
                    first = sc
                prev = sc
                traj.append(row)
                status, reason = goal_status(
                    pd.DataFrame(traj)[["date", "value", "se", "why"]],
                    goal=goal,
                    baseline_date=ws[0].date,
                    ci=ci,
                    lang=lang,
                )
                row.update(
                    baseline=goal.baseline if goal.baseline is not None else np.nan,
                    target=goal.target if goal.target is not None else np.nan,
                    direction=goal.direction,
                    deadline=pd.Timestamp(goal.deadline),
                    status=status,
                    status_label=STATUS_LABELS[lang][status],
                    reason=reason,
                )
            rows.extend(traj)
    table = pd.DataFrame(rows)
    # Benjamini-Hochberg within each wave across goals (and groups).
    for key in ("", "_baseline"):
        adj = np.full(len(table), np.nan)
        for _, idx in table.groupby("wave", sort=False).indices.items():
            adj[idx] = bh_adjust(table["p" + key].to_numpy(float)[idx])
        table["p" + key + "_adj"] = adj
        table["significant" + key] = np.nan_to_num(adj, nan=1.0) < alpha
    out_cols = ["goal", "kpi"] + ([str(by)] if by is not None else [])
    out_cols += ["wave", "date", "value", "se", "ci_low", "ci_high", "n", "n_eff"]
    out_cols += ["change", "se_change", "p", "p_adj", "test", "n_overlap", "significant"]
    out_cols += [
        "change_baseline",
        "se_change_baseline",
        "p_baseline",
        "p_baseline_adj",
        "test_baseline",
    ]
    out_cols += ["significant_baseline", "baseline", "target", "direction", "deadline"]
    out_cols += ["status", "status_label", "reason"]
    table = table[out_cols]
    wave_rows = []
    for i, w in enumerate(ws):
        ov = 0
        prev_ids = ws[i - 1].ids if i > 0 else None
        if w.ids is not None and prev_ids is not None:
            ov = len(pd.Index(list(w.ids)).intersection(pd.Index(list(prev_ids))))
        wave_rows.append(
            {"wave": w.label, "date": pd.Timestamp(w.date) if w.date else pd.NaT, "n": w.n,
             "n_overlap_previous": ov}
        )  # fmt: skip
    used_tests = sorted({t for t in table["test"] if t})
    for t in used_tests:
        notes.append(f"test {t}: {CHANGE_TESTS[t]}.")
    notes.append(
        f"p_adj: Benjamini-Hochberg across the {table['goal'].nunique()} goal KPI(s)"
        + (" and groups" if by is not None else "")
        + f" of each wave; significant = p_adj < {alpha}."
    )
    bench = _join_benchmarks(table, benchmarks, by)
    return MonitorResult(
        table=table,
        n_used=sum(w.n for w in ws),
        n_excluded=n_excluded,
        notes=tuple(dict.fromkeys(notes)),
        waves=pd.DataFrame(wave_rows),
        benchmarks=bench,
        alpha=alpha,
        ci=ci,
        by=None if by is None else str(by),
        lang=lang,
    )


def _months(ws: list[_Wave], i: int) -> int:
    """Window length in whole months for wave *i*: the gap to the previous wave (the first
    wave takes the gap to the next; a single wave 6 months)."""
    j = i - 1 if i > 0 else 1
    if j >= len(ws) or ws[i].date is None or ws[j].date is None:
        return 6
    days = abs((ws[i].date - ws[j].date).days)  # type: ignore[operator]
    return max(1, round(days / _DAYS_PER_MONTH))


def _z_independent(v0: float, se0: float, row: dict[str, Any]) -> tuple[float, float]:
    from scipy import stats

    diff = float(row["value"]) - v0
    se = math.sqrt(se0**2 + float(row["se"]) ** 2)
    p = float(2 * stats.norm.sf(abs(diff) / se)) if se > 0 else (1.0 if diff == 0 else 0.0)
    return diff, p


def _nonsurvey_why(family: str, orders: Any, feedback: Any) -> str:
    needs = "feedback" if family == "complaint_rate" else "orders"
    given = feedback if needs == "feedback" else orders
    if given is None:
        return f"{family} is measured from {needs}=, which was not given"
    return f"{family} from {needs} per wave is not available yet (needlab.plan.measure)"


_BENCH_COLUMNS = ["goal", "kpi", "wave", "period", "brand", "benchmark", "value", "gap"]


def _join_benchmarks(
    table: pd.DataFrame, benchmarks: pd.DataFrame | None, by: Hashable | None
) -> pd.DataFrame:
    if benchmarks is None or len(benchmarks) == 0:
        return pd.DataFrame(columns=_BENCH_COLUMNS)
    t = table if by is None else table.iloc[0:0]
    example = str(benchmarks["period"].iloc[0])
    rows = []
    for _, r in t.iterrows():  # goals x waves: a handful of rows
        if pd.isna(r["date"]):
            continue
        period = _period_of(pd.Timestamp(r["date"]).date(), example)
        keys = _benchmark_key(r["kpi"])
        hit = benchmarks[
            (benchmarks["period"].astype(str) == period) & benchmarks["kpi"].astype(str).isin(keys)
        ]
        for _, b in hit.iterrows():
            rows.append(
                {
                    "goal": r["goal"],
                    "kpi": r["kpi"],
                    "wave": r["wave"],
                    "period": period,
                    "brand": b["brand"],
                    "benchmark": float(b["value"]),
                    "value": r["value"],
                    "gap": r["value"] - float(b["value"]),
                }
            )
    return pd.DataFrame(rows, columns=_BENCH_COLUMNS)
