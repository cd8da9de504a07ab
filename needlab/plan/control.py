"""Control charts for KPI series: p, Laney p', XmR (individuals), EWMA and tabular CUSUM.

A KPI tracked period after period moves by noise most of the time; a control chart separates
that routine variation from signals worth acting on. :func:`control_chart` takes a frame with
one row per period and returns a :class:`ControlChartResult` with the charted points, their
centre line and limits, and a table of signals.

Charts and constants
--------------------
``p`` (proportion of events, Montgomery 2013, ch. 7)
    ``p_i = x_i / n_i``; centre ``p-bar = sum x / sum n`` over the baseline; stair-step limits
    ``p-bar +- 3 sqrt(p-bar (1 - p-bar) / n_i)`` for varying ``n_i``, clipped to [0, 1] (a note
    says when).
``laney_p`` (Laney 2002)
    For over-dispersed rates (large ``n_i``, the period-to-period variation exceeds the
    binomial): ``sigma_pi = sqrt(p-bar (1 - p-bar) / n_i)``, ``z_i = (p_i - p-bar) / sigma_pi``,
    ``sigma_z = mean |z_i - z_{i-1}| / 1.128`` and limits ``p-bar +- 3 sigma_pi sigma_z``.
    ``sigma_z = 1`` gives the p chart back.
``xmr`` (Wheeler 1995; Wheeler & Chambers 1992)
    Individuals ``X-bar +- 2.66 mR-bar`` (``2.66 = 3 / d2``, ``d2 = 1.128``) and the moving-range
    chart's upper range limit ``URL = 3.268 mR-bar`` (``D4``). The moving-range screen
    (``screen=True``): moving ranges above ``3.268 mR-bar`` are dropped and ``mR-bar`` is computed
    once more from the rest, so one upset does not inflate the limits (Wheeler 1995, the
    "uniformly improved" limits).
``ewma`` (Montgomery 2013, section 9.2)
    ``z_t = lam x_t + (1 - lam) z_{t-1}``, ``z_0 = mu0``; exact time-varying limits
    ``mu0 +- L sigma sqrt(lam / (2 - lam) (1 - (1 - lam)^{2t}))``.
``cusum`` (Montgomery 2013, section 9.1; tabular form)
    ``C+_t = max(0, x_t - (mu0 + K) + C+_{t-1})``, ``C-_t = max(0, (mu0 - K) - x_t + C-_{t-1})``
    with ``K = k sigma``, ``H = h sigma``, ``C+_0 = C-_0 = 0``; a signal when either sum
    exceeds ``H``. The sums are not reset after a signal (as in Montgomery's Table 9.2).

For ``ewma`` and ``cusum`` the in-control mean ``mu0`` is ``centre=`` (default: the baseline
mean) and ``sigma`` is ``sigma=`` (default: ``mR-bar / 1.128`` of the baseline, screened as for
XmR).

References
----------
Laney, D. B. (2002). Improved control charts for attributes. *Quality Engineering* 14(4),
531-537. Montgomery, D. C. (2013). *Introduction to Statistical Quality Control*, 7th ed. Wiley.
Wheeler, D. J. (1995). *Advanced Topics in Statistical Process Control*. SPC Press. Wheeler,
D. J. & Chambers, D. S. (1992). *Understanding Statistical Process Control*, 2nd ed. SPC Press.
Nelson, L. S. (1984). The Shewhart control chart: tests for special causes. *Journal of Quality
Technology* 16(4), 237-239. Western Electric (1956). *Statistical Quality Control Handbook*.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, cast

import numpy as np
import pandas as pd

from needlab._result import Result
from needlab._types import Lang
from needlab._validate import (
    check_columns,
    check_dates,
    check_frame,
    check_numeric,
    check_option,
    preview,
    row_list,
)
from needlab.errors import ConfigError, DataError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["CONSTANTS", "RULES", "ChartKind", "ControlChartResult", "Rule", "control_chart"]

ChartKind = Literal["p", "laney_p", "xmr", "ewma", "cusum"]
Rule = Literal["beyond", "run8", "trend6", "2of3", "4of5", "mr_beyond"]
Scale = Literal["count", "proportion", "percent"]

KINDS: tuple[str, ...] = ("p", "laney_p", "xmr", "ewma", "cusum")

CONSTANTS: dict[str, float] = {"d2": 1.128, "E2": 2.66, "D4": 3.268}
"""Shewhart constants for moving ranges of two points: ``d2`` (mean range of two standard normal
values), ``E2 = 3 / d2`` (individuals limits per unit of ``mR-bar``) and ``D4`` (upper range
limit per unit of ``mR-bar``)."""

RULES: dict[str, dict[str, str]] = {
    "beyond": {
        "en": "point beyond a control limit",
        "zh": "点超出控制限",
    },
    "run8": {
        "en": "8 points in a row on one side of the centre line",
        "zh": "连续 8 点位于中心线同一侧",
    },
    "trend6": {
        "en": "6 points in a row steadily increasing or decreasing",
        "zh": "连续 6 点持续上升或下降",
    },
    "2of3": {
        "en": "2 of 3 points in a row beyond 2 sigma on the same side",
        "zh": "连续 3 点中有 2 点超出同侧 2 sigma",
    },
    "4of5": {
        "en": "4 of 5 points in a row beyond 1 sigma on the same side",
        "zh": "连续 5 点中有 4 点超出同侧 1 sigma",
    },
    "mr_beyond": {
        "en": "moving range above the upper range limit",
        "zh": "移动极差超出上限",
    },
}
"""The signal rules, with their bilingual descriptions. ``beyond`` is Western Electric rule 1;
``2of3`` and ``4of5`` are rules 2 and 3; ``run8`` is rule 4 (Nelson's rule 2 uses 9 points);
``trend6`` is Nelson's rule 3; ``mr_beyond`` is the XmR moving-range chart's own limit. Run and
zone rules apply to ``p``, ``laney_p`` and ``xmr`` (the points are independent there); ``ewma``
and ``cusum`` statistics are autocorrelated by construction, so only ``beyond`` applies."""

_SHEWHART = ("p", "laney_p", "xmr")
_DEFAULT_RULES: dict[str, tuple[str, ...]] = {
    "p": ("beyond", "run8"),
    "laney_p": ("beyond", "run8"),
    "xmr": ("beyond", "run8", "mr_beyond"),
    "ewma": ("beyond",),
    "cusum": ("beyond",),
}
# Baseline points each chart needs to estimate its centre and spread.
_MINIMUM = {"p": 1, "laney_p": 2, "xmr": 2, "ewma": 2, "cusum": 2}
_PROVISIONAL = 20  # fewer baseline points than this: the limits are provisional (a note says so)

_NOTE = {
    "en": {
        "missing": "{k} rows excluded: missing {what}.",
        "sorted": "Rows sorted by {date} (they were not in date order).",
        "clipped": "{k} limits clipped to [{lo}, {hi}] (a proportion cannot leave that range).",
        "screen": (
            "Phase {phase}: {k} moving ranges above 3.268 mR-bar excluded from mR-bar "
            "(Wheeler's screen); mR-bar {before:.4g} -> {after:.4g}."
        ),
        "provisional": (
            "Phase {phase}: limits from {k} baseline points (fewer than 20) are provisional."
        ),
        "known": "Centre and sigma given: baseline points are not used to estimate them.",
    },
    "zh": {
        "missing": "排除 {k} 行：{what} 缺失。",
        "sorted": "已按 {date} 排序（原数据未按日期排列）。",
        "clipped": "{k} 个控制限被截断到 [{lo}, {hi}]（比例不能超出此范围）。",
        "screen": (
            "第 {phase} 阶段：{k} 个移动极差超过 3.268 mR-bar，已从 mR-bar 中排除"
            "（Wheeler 筛选）；mR-bar {before:.4g} -> {after:.4g}。"
        ),
        "provisional": "第 {phase} 阶段：控制限仅基于 {k} 个基线点（少于 20 个），属暂定值。",
        "known": "已给定中心线与 sigma：不再用基线点估计。",
    },
}


@dataclass(frozen=True, repr=False)
class ControlChartResult(Result):
    """A control chart of a KPI series (:func:`control_chart`).

    ``n_used`` counts the periods (rows) charted, ``n_excluded`` the rows left out for a missing
    value, date or sample size.

    Attributes
    ----------
    table : DataFrame
        One row per charted period: ``position`` (1, 2, ... in chart order), ``date`` (the date
        column, or the row's index label without ``date=``), ``value`` (the charted value:
        ``x / n`` for p charts, in the unit of ``scale=``), ``centre``, ``lcl``, ``ucl`` (on the
        scale of the charted statistic: the value for p/laney_p/xmr, the EWMA ``z`` for ewma, the
        sums for cusum, where ``centre`` is 0 and the limits are ``-H`` and ``H``), ``signal``
        (any rule fired), ``phase`` (1, 2, ... after each re-basing), ``baseline`` (the point
        entered the limits); plus ``n`` (p charts), ``mr`` and ``mr_ucl`` (xmr), ``ewma``
        (ewma) or ``c_plus`` and ``c_minus`` (cusum).
    signals : DataFrame
        One row per rule firing: ``position``, ``date``, ``phase``, ``rule`` (a key of
        :data:`RULES`), ``direction`` (``"up"``/``"down"``), ``value`` (the statistic that
        fired: value, moving range, EWMA or CUSUM sum) and ``description``.
    phases : DataFrame
        Per phase: ``phase``, ``start``, ``end``, ``points``, ``baseline_points``, ``centre``,
        ``sigma`` (for p charts the sigma of a period with the phase's mean ``n``, Laney's
        ``sigma_z`` included), and the kind's own figures (``mr_bar``, ``mr_screened``,
        ``sigma_z``, ``mu0``, ``K``, ``H``). ``xmr`` tables leave ``mr`` missing at the first
        point of each phase (no previous point).
    kind : str
        ``"p"``, ``"laney_p"``, ``"xmr"``, ``"ewma"`` or ``"cusum"``.
    constants : dict
        Constants and parameters used (``d2``, ``E2``, ``D4``, ``L``, ``lam``, ``k``, ``h``,
        ``rules``).
    lang : {"en", "zh"}
        Language of notes, signal descriptions and plot labels.
    """

    signals: pd.DataFrame = field(default_factory=pd.DataFrame)
    phases: pd.DataFrame = field(default_factory=pd.DataFrame)
    kind: str = "xmr"
    constants: dict[str, Any] = field(default_factory=dict)
    lang: Lang = "en"

    title = "Control chart"

    def summary(self) -> dict[str, Any]:
        """Key figures: the chart kind, points, phases, points with a signal, the first
        phase's centre line."""
        return {
            "kind": self.kind,
            "points": len(self.table),
            "phases": int(self.table["phase"].max()) if len(self.table) else 0,
            "signals": int(self.table["signal"].sum()),
            "centre": float(self.phases["centre"].iloc[0]) if len(self.phases) else math.nan,
        }

    def tables(self) -> dict[str, pd.DataFrame]:
        """The chart, the signals and the phases, for :meth:`to_excel`."""
        return {"chart": self.table, "signals": self.signals, "phases": self.phases}

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Points, centre line, limits (stair steps where they vary), signals in red and
        phases separated (:func:`needlab.plan.plot_control.control_plot`)."""
        from needlab.plan.plot_control import control_plot

        return control_plot(self, ax, **kwargs)


def control_chart(
    data: pd.DataFrame,
    var: Hashable,
    *,
    kind: ChartKind = "xmr",
    n: Hashable | None = None,
    date: Hashable | None = None,
    scale: Scale = "count",
    baseline: int | slice | tuple[Any, Any] | None = None,
    rebase: Sequence[Any] | None = None,
    lam: float = 0.2,
    L: float = 3.0,
    k: float = 0.5,
    h: float = 5.0,
    centre: float | None = None,
    sigma: float | None = None,
    screen: bool = True,
    rules: Sequence[Rule] | None = None,
    lang: Lang = "en",
) -> ControlChartResult:
    """Control chart of a KPI series with frozen baselines, re-basing and a table of signals.

    Formulas (see the module docstring for all of them and the references):

    - ``p``: ``p-bar = sum x / sum n``, limits ``p-bar +- 3 sqrt(p-bar (1 - p-bar) / n_i)``
      (stair steps), clipped to [0, 1];
    - ``laney_p``: ``z_i = (p_i - p-bar) / sigma_pi``, ``sigma_z = mean mR(z) / 1.128``, limits
      ``p-bar +- 3 sigma_pi sigma_z`` (Laney 2002);
    - ``xmr``: ``X-bar +- 2.66 mR-bar``, ``URL = 3.268 mR-bar``, with Wheeler's moving-range
      screen;
    - ``ewma``: ``z_t = lam x_t + (1 - lam) z_{t-1}``, limits
      ``mu0 +- L sigma sqrt(lam / (2 - lam) (1 - (1 - lam)^{2t}))`` (Montgomery 2013, 9.2);
    - ``cusum``: tabular ``C+``/``C-`` with ``K = k sigma`` and ``H = h sigma``
      (Montgomery 2013, 9.1).

    Parameters
    ----------
    data : DataFrame
        One row per period. Rows are charted in date order when ``date=`` is given (sorted, with
        a note, if they are not), else in row order.
    var : Hashable
        The value column. For ``p``/``laney_p`` the number of events (``scale="count"``) or the
        rate (``scale="proportion"`` or ``"percent"``) with ``n=`` the sample sizes.
    kind : {"p", "laney_p", "xmr", "ewma", "cusum"}, default "xmr"
        The chart.
    n : Hashable, optional
        Column of sample sizes; required by ``p`` and ``laney_p``, refused by the others.
    date : Hashable, optional
        Column of period dates (the axis; dates must be unique).
    scale : {"count", "proportion", "percent"}, default "count"
        What ``var`` holds for p charts. ``count``: events (``0 <= x <= n``), charted as
        proportions; ``proportion``: rates in [0, 1]; ``percent``: rates in [0, 100], charted in %
        (the plan's unit for rates).
    baseline : int, slice, tuple or None
        Points whose values set the centre line and limits (frozen); later points are judged
        against them. ``None``: all points of each phase. An int ``m``: the first ``m`` points of
        each phase. A ``slice``: chart positions counted from 0 as in Python
        (``slice(0, 12)``). A ``(start, end)`` tuple: dates (with ``date=``) or 1-based positions,
        both ends included. With ``rebase=`` each phase uses the baseline points inside it.
    rebase : sequence, optional
        Dates (with ``date=``) or 1-based positions where a new phase starts; each phase gets its
        own centre line and limits, and runs, moving ranges, EWMA and CUSUM restart.
    lam : float, default 0.2
        EWMA weight, ``0 < lam <= 1``.
    L : float, default 3.0
        EWMA limit width in sigmas of the EWMA statistic.
    k, h : float, default 0.5 and 5.0
        CUSUM reference value and decision interval in units of sigma.
    centre : float, optional
        Known centre line (``p-bar`` in the unit of ``scale=`` for p charts, ``mu0`` for the
        others) instead of the baseline estimate.
    sigma : float, optional
        Known process sigma for ``xmr``, ``ewma`` and ``cusum`` instead of ``mR-bar / 1.128``.
    screen : bool, default True
        Wheeler's moving-range screen for the estimate of ``mR-bar`` (``xmr``, and the sigma of
        ``ewma``/``cusum``): moving ranges above ``3.268 mR-bar`` are dropped and ``mR-bar``
        recomputed once. Laney's ``sigma_z`` is not screened (as published).
    rules : sequence of str, optional
        Signal rules (keys of :data:`RULES`). Default: ``beyond`` and ``run8`` (p charts),
        plus ``mr_beyond`` (xmr); ``beyond`` only for ewma and cusum, which accept no other.
        Zone rules use the point's own sigma (``(ucl - centre) / 3`` before clipping); the
        point completing a ``2of3``/``4of5`` pattern must itself be in the zone; a run is broken
        by a point exactly on the centre line; every point of a run from the 8th (6th for
        trends) on is reported.
    lang : {"en", "zh"}, default "en"
        Language of the notes, signal descriptions and plot labels.

    Returns
    -------
    ControlChartResult

    Raises
    ------
    ConfigError
        A bad option (kind, scale, rules, lam, L, k, h, sigma), ``n=`` missing for a p chart or
        given for another chart, run rules on ewma/cusum, a bad baseline or rebase value.
    SchemaError
        ``data`` is not a DataFrame, or a named column is absent.
    DataError
        Non-numeric values; ``n <= 0``, ``x < 0`` or ``x > n`` (rows named); rates outside their
        range; duplicated dates; fewer baseline points than the chart needs (``p`` 1,
        ``laney_p``/``xmr`` 2, ``ewma``/``cusum`` 2 unless ``centre`` and ``sigma`` are both
        given); limits of zero width (all baseline values equal, or ``p-bar`` of 0 or 1).

    Notes
    -----
    Rows with a missing value, sample size or date are excluded and counted in ``n_excluded``
    (moving ranges then join the neighbours of the gap). The series is taken as given: KPI
    values are already weighted estimates, so there are no survey weights here.

    Examples
    --------
    >>> df = pd.DataFrame({"x": [10.0, 11.0, 9.0, 10.0, 12.0, 10.0, 30.0]})
    >>> res = control_chart(df, "x", kind="xmr", baseline=6)
    >>> round(float(res.phases["mr_bar"].iloc[0]), 2), res.signals["position"].tolist()
    (1.6, [7, 7])
    >>> res.signals["rule"].tolist()
    ['beyond', 'mr_beyond']
    """
    check_option(kind, KINDS, "kind")
    check_option(scale, ("count", "proportion", "percent"), "scale")
    check_option(lang, ("en", "zh"), "lang")
    frame = check_frame(data)
    _check_params(kind, lam=lam, L=L, k=k, h=h, sigma=sigma, centre=centre, screen=screen)
    rule_list = _check_rules(kind, rules)
    text = _NOTE[lang]
    notes: list[str] = []

    # --- columns, missing values, order --------------------------------------------------
    if kind in ("p", "laney_p"):
        if n is None:
            raise ConfigError(
                f"kind={kind!r} needs n=, the column of sample sizes (the limits depend on each "
                "period's n)."
            )
    elif n is not None:
        raise ConfigError(
            f"n= is used only by kind='p' and kind='laney_p', not kind={kind!r}; drop n= or "
            "choose a p chart."
        )
    check_columns(frame, [c for c in (var, n, date) if c is not None])
    x = check_numeric(frame, var).to_numpy(dtype=float)
    sizes = check_numeric(frame, n).to_numpy(dtype=float) if n is not None else None
    dates = check_dates(frame, date) if date is not None else None
    keep = ~np.isnan(x)
    missing_what: list[str] = []
    if (~keep).any():
        missing_what.append(f"{var!r} ({int((~keep).sum())})")
    if sizes is not None:
        miss_n = np.isnan(sizes) & keep
        if miss_n.any():
            missing_what.append(f"{n!r} ({int(miss_n.sum())})")
        keep &= ~np.isnan(sizes)
    if dates is not None:
        miss_d = dates.isna().to_numpy() & keep
        if miss_d.any():
            missing_what.append(f"{date!r} ({int(miss_d.sum())})")
        keep &= ~dates.isna().to_numpy()
    n_excluded = int((~keep).sum())
    if n_excluded:
        notes.append(text["missing"].format(k=n_excluded, what=", ".join(missing_what)))
    rows = np.flatnonzero(keep)
    if sizes is not None:
        _check_counts(x, sizes, keep, var=var, n=n, scale=scale)
    labels: pd.Series
    if dates is not None:
        d = dates.to_numpy()[rows]
        labels = pd.Series(pd.to_datetime(d))
        dup = labels.duplicated(keep=False).to_numpy()
        if dup.any():
            raise DataError(
                f"date column {date!r} has {int(dup.sum())} rows with a repeated date: "
                f"{preview(labels[dup].dt.strftime('%Y-%m-%d'))} at rows "
                f"{preview(rows[dup])}; a control chart needs one row per period. Aggregate the "
                "rows of each period first."
            )
        order = np.argsort(d, kind="stable")
        if (order != np.arange(len(order))).any():
            notes.append(text["sorted"].format(date=repr(date)))
            rows = rows[order]
            labels = labels.iloc[order].reset_index(drop=True)
    else:
        labels = pd.Series(frame.index.to_numpy()[rows])
    m = len(rows)
    known = centre is not None and sigma is not None and kind in ("xmr", "ewma", "cusum")
    minimum = 1 if known or (kind == "p" and centre is not None) else _MINIMUM[kind]
    if m < minimum:
        raise DataError(
            f"kind={kind!r} needs at least {minimum} points with a value; {var!r} has {m} "
            f"(of {len(frame)} rows). Give more periods."
        )
    values = x[rows]
    n_i = sizes[rows] if sizes is not None else None
    if kind in ("p", "laney_p"):
        p_unit = 100.0 if scale == "percent" else 1.0
        if scale == "count":
            values = values / cast(np.ndarray, n_i)
        else:
            values = values / p_unit
    else:
        p_unit = 1.0

    # --- phases and baseline -------------------------------------------------------------
    position = np.arange(1, m + 1)
    phase = _phases(rebase, labels if dates is not None else None, position)
    base = _baseline(baseline, labels if dates is not None else None, position, phase, m)

    if known and baseline is not None:
        notes.append(text["known"])

    out = pd.DataFrame({"position": position, "date": labels.to_numpy(), "value": values})
    centre_a = np.empty(m)
    lcl = np.empty(m)
    ucl = np.empty(m)
    sig_i = np.full(m, np.nan)  # the point's own sigma, for the zone rules
    extra: dict[str, np.ndarray] = {}
    if kind in ("p", "laney_p"):
        extra["n"] = cast(np.ndarray, n_i)
    if kind == "xmr":
        extra["mr"] = np.full(m, np.nan)
        extra["mr_ucl"] = np.full(m, np.nan)
    if kind == "ewma":
        extra["ewma"] = np.empty(m)
    if kind == "cusum":
        extra["c_plus"] = np.empty(m)
        extra["c_minus"] = np.empty(m)
    phase_rows: list[dict[str, Any]] = []
    n_clipped = 0

    for ph in np.unique(phase):
        idx = np.flatnonzero(phase == ph)
        b = idx[base[idx]]
        need = 0 if known else _MINIMUM[kind]
        if centre is not None and kind == "p":
            need = 0
        if len(b) < need:
            raise DataError(
                f"kind={kind!r} needs at least {need} baseline points in phase {ph} "
                f"({_WHY[kind]}); it has {len(b)}. Give a longer baseline= or fewer rebase= "
                "dates."
            )
        if 0 < len(b) < _PROVISIONAL and not known:
            notes.append(text["provisional"].format(phase=ph, k=len(b)))
        info: dict[str, Any] = {
            "phase": int(ph),
            "start": labels.iloc[idx[0]],
            "end": labels.iloc[idx[-1]],
            "points": len(idx),
            "baseline_points": len(b),
        }
        v = values[idx]
        if kind in ("p", "laney_p"):
            nn = cast(np.ndarray, n_i)[idx]
            if centre is not None:
                pbar = float(centre) / p_unit
            else:
                xb = values[b] * cast(np.ndarray, n_i)[b]
                pbar = float(xb.sum() / cast(np.ndarray, n_i)[b].sum())
            if not 0 < pbar < 1:
                raise DataError(
                    f"phase {ph}: p-bar is {pbar * p_unit:g}, so the limits have zero width; a p "
                    "chart needs both events and non-events in its baseline. Check "
                    f"{var!r} or give centre= strictly inside (0, {p_unit:g})."
                )
            s_pi = np.sqrt(pbar * (1 - pbar) / nn)
            if kind == "laney_p":
                s_b = np.sqrt(pbar * (1 - pbar) / cast(np.ndarray, n_i)[b])
                z = (values[b] - pbar) / s_b
                mr_z = np.abs(np.diff(z))
                sigma_z = float(mr_z.mean() / CONSTANTS["d2"])
                if sigma_z == 0:
                    raise DataError(
                        f"phase {ph}: every baseline z-score is the same, so sigma_z is 0 and "
                        "the Laney limits have zero width; use kind='p' or a longer baseline."
                    )
                s_pi = s_pi * sigma_z
                info["sigma_z"] = sigma_z
            sig_i[idx] = s_pi
            lo, hi = pbar - 3 * s_pi, pbar + 3 * s_pi
            n_clipped += int((lo < 0).sum() + (hi > 1).sum())
            centre_a[idx] = pbar * p_unit
            lcl[idx] = np.clip(lo, 0, 1) * p_unit
            ucl[idx] = np.clip(hi, 0, 1) * p_unit
            sig_i[idx] *= p_unit
            info["centre"] = pbar * p_unit
            info["sigma"] = (
                float(np.sqrt(pbar * (1 - pbar) / nn.mean())) * p_unit * (info.get("sigma_z", 1.0))
            )
            phase_rows.append(info)
            continue

        # individuals-based charts: centre and sigma from the baseline (or given)
        mu0 = float(centre) if centre is not None else float(values[b].mean())
        mr_all = np.abs(np.diff(v))
        if sigma is not None:
            s = float(sigma)
            mr_bar = s * CONSTANTS["d2"]
        else:
            mr_b = np.abs(np.diff(values[b])) if len(b) > 1 else np.array([])
            # only consecutive baseline points make a moving range
            contiguous = np.diff(b) == 1
            mr_b = mr_b[contiguous]
            if len(mr_b) == 0:
                raise DataError(
                    f"phase {ph}: the baseline has no two consecutive points, so no moving "
                    "range; give a baseline of consecutive periods."
                )
            mr_bar = float(mr_b.mean())
            if screen:
                ok = mr_b <= CONSTANTS["D4"] * mr_bar
                if not ok.all():
                    before = mr_bar
                    mr_bar = float(mr_b[ok].mean())
                    notes.append(
                        text["screen"].format(
                            phase=ph, k=int((~ok).sum()), before=before, after=mr_bar
                        )
                    )
                info["mr_screened"] = int((~ok).sum())
            s = mr_bar / CONSTANTS["d2"]
            if s == 0:
                raise DataError(
                    f"phase {ph}: all baseline moving ranges are 0 (the values do not vary), so "
                    "the limits have zero width; give sigma= or a baseline that varies."
                )
        info["centre"] = mu0
        info["sigma"] = s
        if kind == "xmr":
            if sigma is None:
                s = CONSTANTS["E2"] * mr_bar / 3  # limits X-bar +- 2.66 mR-bar exactly
                info["sigma"] = s
            info["mr_bar"] = mr_bar
            centre_a[idx] = mu0
            lcl[idx] = mu0 - 3 * s
            ucl[idx] = mu0 + 3 * s
            sig_i[idx] = s
            extra["mr"][idx[1:]] = mr_all
            extra["mr_ucl"][idx] = CONSTANTS["D4"] * mr_bar
        elif kind == "ewma":
            from scipy.signal import lfilter

            z = lfilter([lam], [1.0, -(1.0 - lam)], v, zi=[(1.0 - lam) * mu0])[0]
            t = np.arange(1, len(idx) + 1)
            width = L * s * np.sqrt(lam / (2 - lam) * (1 - (1 - lam) ** (2 * t)))
            extra["ewma"][idx] = z
            centre_a[idx] = mu0
            lcl[idx] = mu0 - width
            ucl[idx] = mu0 + width
            info["mu0"] = mu0
        else:  # cusum
            big_k, big_h = k * s, h * s
            extra["c_plus"][idx] = _lindley(v - (mu0 + big_k))
            extra["c_minus"][idx] = _lindley((mu0 - big_k) - v)
            centre_a[idx] = 0.0
            lcl[idx] = -big_h
            ucl[idx] = big_h
            info.update(mu0=mu0, K=big_k, H=big_h)
        phase_rows.append(info)
    if n_clipped:
        lo_txt, hi_txt = ("0", "100") if scale == "percent" else ("0", "1")
        notes.append(text["clipped"].format(k=n_clipped, lo=lo_txt, hi=hi_txt))

    out["centre"] = centre_a
    out["lcl"] = lcl
    out["ucl"] = ucl
    for name, arr in extra.items():
        out[name] = arr
    out["phase"] = phase
    out["baseline"] = base

    signals = _signals(out, kind, rule_list, sig_i, lang)
    out["signal"] = out["position"].isin(signals["position"])
    cols = ["position", "date", "value", "centre", "lcl", "ucl", "signal", "phase", "baseline"]
    out = out[cols + list(extra)]
    constants: dict[str, Any] = {"rules": tuple(rule_list)}
    if kind in ("xmr", "ewma", "cusum") or kind == "laney_p":
        constants.update(CONSTANTS)
    if kind in ("p", "laney_p"):
        constants["limits_sigmas"] = 3.0
    if kind == "ewma":
        constants.update(lam=lam, L=L)
    if kind == "cusum":
        constants.update(k=k, h=h)
    if kind == "xmr":
        constants["screen"] = screen
    return ControlChartResult(
        out.reset_index(drop=True),
        signals=signals,
        phases=pd.DataFrame(phase_rows),
        kind=kind,
        constants=constants,
        lang=lang,
        n_used=m,
        n_excluded=n_excluded,
        notes=tuple(notes),
    )


_WHY = {
    "p": "p-bar needs at least one period",
    "laney_p": "sigma_z needs one moving range of z-scores",
    "xmr": "mR-bar needs one moving range",
    "ewma": "the baseline mean and mR-bar need two points unless centre= and sigma= are given",
    "cusum": "the baseline mean and mR-bar need two points unless centre= and sigma= are given",
}


def _check_params(
    kind: str,
    *,
    lam: float,
    L: float,
    k: float,
    h: float,
    sigma: float | None,
    centre: float | None,
    screen: bool,
) -> None:
    def number(v: Any) -> bool:
        return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)

    if not (number(lam) and 0 < lam <= 1):
        raise ConfigError(f"lam must be a number in (0, 1], got {lam!r}; 0.1 to 0.3 is usual.")
    if not (number(L) and 0 < L < math.inf):
        raise ConfigError(f"L must be a positive number, got {L!r}; 2.7 to 3 is usual.")
    if not (number(k) and 0 <= k < math.inf):
        raise ConfigError(f"k must be a number >= 0, got {k!r}; 0.5 detects a 1-sigma shift.")
    if not (number(h) and 0 < h < math.inf):
        raise ConfigError(f"h must be a positive number, got {h!r}; 4 or 5 is usual.")
    if sigma is not None:
        if kind in ("p", "laney_p"):
            raise ConfigError(
                f"sigma= does not apply to kind={kind!r}: its sigma follows from p-bar and n; "
                "drop sigma= (use centre= for a known p-bar)."
            )
        if not (number(sigma) and 0 < sigma < math.inf):
            raise ConfigError(f"sigma must be a positive number, got {sigma!r}.")
    if centre is not None and not (number(centre) and math.isfinite(centre)):
        raise ConfigError(f"centre must be a finite number, got {centre!r}.")
    if not isinstance(screen, (bool, np.bool_)):
        raise ConfigError(f"screen must be True or False, got {screen!r}.")


def _check_rules(kind: str, rules: Sequence[str] | None) -> list[str]:
    if rules is None:
        return list(_DEFAULT_RULES[kind])
    if isinstance(rules, str):
        rules = [rules]
    out = list(dict.fromkeys(rules))
    for r in out:
        check_option(r, list(RULES), "rules")
    if kind not in _SHEWHART:
        other = [r for r in out if r != "beyond"]
        if other:
            raise ConfigError(
                f"rules {other} do not apply to kind={kind!r}: its statistic is autocorrelated, "
                "so run and zone rules would fire by construction; use rules=['beyond']."
            )
    if "mr_beyond" in out and kind != "xmr":
        raise ConfigError("rules 'mr_beyond' applies only to kind='xmr'; drop it.")
    return out


def _check_counts(
    x: np.ndarray, sizes: np.ndarray, keep: np.ndarray, *, var: Hashable, n: Hashable, scale: str
) -> None:
    bad_n = keep & (sizes <= 0)
    if bad_n.any():
        raise DataError(
            f"column {n!r} (sample sizes) has {int(bad_n.sum())} values <= 0: "
            f"{preview(sizes[bad_n])} at rows {row_list(bad_n)}; every period needs n > 0. "
            "Drop those periods or fix the sizes."
        )
    if scale == "count":
        bad = keep & ((x < 0) | (x > sizes))
        if bad.any():
            raise DataError(
                f"column {var!r} (events) has {int(bad.sum())} values below 0 or above n "
                f"({n!r}): {preview(x[bad])} at rows {row_list(bad)}; counts must satisfy "
                "0 <= x <= n. If the column holds rates, pass scale='proportion' or 'percent'."
            )
    else:
        top = 100.0 if scale == "percent" else 1.0
        bad = keep & ((x < 0) | (x > top))
        if bad.any():
            raise DataError(
                f"column {var!r} ({scale}) has {int(bad.sum())} values outside [0, {top:g}]: "
                f"{preview(x[bad])} at rows {row_list(bad)}; check scale= (count, proportion "
                "or percent)."
            )


def _position_of(value: Any, labels: pd.Series | None, m: int, what: str) -> int:
    """0-based chart position of a rebase/baseline value (a date or a 1-based position)."""
    if labels is not None:
        try:
            ts = pd.Timestamp(value)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{what} value {value!r} is not a date: {exc}.") from exc
        hit = np.flatnonzero(labels.to_numpy() == ts.to_datetime64())
        if len(hit) == 0:
            later = np.flatnonzero(labels.to_numpy() >= ts.to_datetime64())
            if len(later) == 0:
                raise ConfigError(
                    f"{what} date {ts.date()} is after the last charted period "
                    f"({pd.Timestamp(labels.iloc[-1]).date()}); give a date inside the series."
                )
            return int(later[0])
        return int(hit[0])
    ok = isinstance(value, (int, np.integer)) and not isinstance(value, bool)
    if not ok or not 1 <= int(value) <= m:
        raise ConfigError(
            f"{what} value {value!r} must be a chart position between 1 and {m} (without date=, "
            "positions count the charted points from 1)."
        )
    return int(value) - 1


def _phases(rebase: Sequence[Any] | None, labels: pd.Series | None, pos: np.ndarray) -> np.ndarray:
    m = len(pos)
    starts = np.zeros(m, dtype=bool)
    if rebase is not None:
        if isinstance(rebase, (str, int, pd.Timestamp)):
            rebase = [rebase]
        for r in rebase:
            i = _position_of(r, labels, m, "rebase")
            if i == 0:
                raise ConfigError(
                    f"rebase value {r!r} is the first point: the first phase starts there anyway; "
                    "drop it."
                )
            starts[i] = True
    return (np.cumsum(starts) + 1).astype(int)


def _baseline(
    baseline: int | slice | tuple[Any, Any] | None,
    labels: pd.Series | None,
    pos: np.ndarray,
    phase: np.ndarray,
    m: int,
) -> np.ndarray:
    if baseline is None:
        return np.ones(m, dtype=bool)
    if isinstance(baseline, (int, np.integer)) and not isinstance(baseline, bool):
        if baseline < 1:
            raise ConfigError(f"baseline must be at least 1 point, got {baseline!r}.")
        rank = pd.Series(phase).groupby(phase).cumcount().to_numpy()
        return cast(np.ndarray, rank < int(baseline))
    if isinstance(baseline, slice):
        mask = np.zeros(m, dtype=bool)
        mask[baseline] = True
        if not mask.any():
            raise ConfigError(f"baseline={baseline!r} selects no points of the {m} charted.")
        return mask
    if isinstance(baseline, tuple) and len(baseline) == 2:
        a = _position_of(baseline[0], labels, m, "baseline")
        if labels is not None:
            end = pd.Timestamp(baseline[1]).to_datetime64()
            mask = (np.arange(m) >= a) & (labels.to_numpy() <= end)
        else:
            b = _position_of(baseline[1], labels, m, "baseline")
            mask = (np.arange(m) >= a) & (np.arange(m) <= b)
        if not mask.any():
            raise ConfigError(f"baseline={baseline!r} selects no charted points.")
        return cast(np.ndarray, mask)
    raise ConfigError(
        f"baseline must be None, a number of points, a slice or a (start, end) tuple, got "
        f"{baseline!r}."
    )


def _lindley(y: np.ndarray) -> np.ndarray:
    """``C_t = max(0, C_{t-1} + y_t)``, ``C_0 = 0``, without a loop: ``C_t = S_t - min(0,
    min_{s <= t} S_s)`` with ``S_t`` the cumulative sum of ``y``."""
    s = np.cumsum(y)
    out: np.ndarray = s - np.minimum(0.0, np.minimum.accumulate(s))
    return out


def _runs(key: np.ndarray, phase: np.ndarray) -> np.ndarray:
    """Length of the run of equal *key* values ending at each point, restarting per phase."""
    new = np.r_[True, (key[1:] != key[:-1]) | (phase[1:] != phase[:-1])]
    grp = np.cumsum(new)
    return cast(np.ndarray, pd.Series(grp).groupby(grp).cumcount().to_numpy() + 1)


def _window(flag: np.ndarray, phase: np.ndarray, width: int) -> np.ndarray:
    """Number of flagged points in the last *width* points of the same phase (0 if fewer)."""
    s = pd.Series(flag.astype(float))
    counts = s.groupby(phase).rolling(width, min_periods=width).sum().reset_index(level=0)
    return cast(np.ndarray, counts[0].sort_index().fillna(0).to_numpy())


def _signals(
    t: pd.DataFrame, kind: str, rules: list[str], sig_i: np.ndarray, lang: Lang
) -> pd.DataFrame:
    phase = t["phase"].to_numpy()
    if kind == "ewma":
        stat = t["ewma"].to_numpy()
    else:
        stat = t["value"].to_numpy()
    centre = t["centre"].to_numpy()
    found: list[pd.DataFrame] = []

    def add(mask: np.ndarray, rule: str, direction: str, val: np.ndarray) -> None:
        if mask.any():
            found.append(
                pd.DataFrame(
                    {
                        "position": t["position"].to_numpy()[mask],
                        "date": t["date"].to_numpy()[mask],
                        "phase": phase[mask],
                        "rule": rule,
                        "direction": direction,
                        "value": val[mask],
                    }
                )
            )

    if "beyond" in rules:
        if kind == "cusum":
            cp, cm = t["c_plus"].to_numpy(), t["c_minus"].to_numpy()
            h = t["ucl"].to_numpy()
            add(cp > h, "beyond", "up", cp)
            add(cm > h, "beyond", "down", cm)
        else:
            add(stat > t["ucl"].to_numpy(), "beyond", "up", stat)
            add(stat < t["lcl"].to_numpy(), "beyond", "down", stat)
    if "mr_beyond" in rules:
        mr = t["mr"].to_numpy(dtype=float)
        add(np.nan_to_num(mr) > t["mr_ucl"].to_numpy(), "mr_beyond", "up", mr)
    side = np.sign(stat - centre)
    if "run8" in rules:
        run = _runs(side, phase)
        add((run >= 8) & (side > 0), "run8", "up", stat)
        add((run >= 8) & (side < 0), "run8", "down", stat)
    if "trend6" in rules:
        d = np.r_[0.0, np.sign(np.diff(stat))]
        d[np.r_[True, phase[1:] != phase[:-1]]] = 0.0
        run = _runs(d, phase)
        add((run >= 5) & (d > 0), "trend6", "up", stat)
        add((run >= 5) & (d < 0), "trend6", "down", stat)
    zone = (stat - centre) / sig_i
    for rule, width, need, z in (("2of3", 3, 2, 2.0), ("4of5", 5, 4, 1.0)):
        if rule in rules:
            up, down = zone > z, zone < -z
            add((_window(up, phase, width) >= need) & up, rule, "up", stat)
            add((_window(down, phase, width) >= need) & down, rule, "down", stat)
    cols = ["position", "date", "phase", "rule", "direction", "value", "description"]
    if not found:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    out = pd.concat(found, ignore_index=True)
    order = {r: i for i, r in enumerate(RULES)}
    out["_o"] = out["rule"].map(order)
    out = out.sort_values(["position", "_o"], kind="stable").drop(columns="_o")
    out["description"] = out["rule"].map(lambda r: RULES[r][lang])
    return out.reset_index(drop=True)[cols]
