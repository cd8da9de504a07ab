"""Plots of priority results: contributions per need, the priority matrix, sensitivity ranges.

matplotlib is imported inside the drawing helpers (through :func:`needlab._plotting.axes`), so
importing needlab stays light. The plots draw only what the
:class:`~needlab.plan.priority.PriorityResult` holds.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from needlab._plotting import PALETTE, axes
from needlab.errors import ConfigError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from needlab.plan.priority import PriorityResult

__all__ = ["QUADRANTS", "contributions", "matrix", "sensitivity"]

QUADRANTS = {
    "en": {
        "quick_wins": "quick wins",
        "big_bets": "big bets",
        "fill_ins": "fill-ins",
        "money_pits": "money pits",
    },
    "zh": {
        "quick_wins": "速赢项",
        "big_bets": "重大投入",
        "fill_ins": "填充项",
        "money_pits": "费力不讨好",
    },
}
"""Quadrant labels of the priority matrix: high value and low effort are quick wins, high value
and high effort big bets, low value and low effort fill-ins, low value and high effort money pits."""

_TEXT = {
    "en": {
        "score": "score",
        "rank": "rank (1 = best)",
        "effort": "effort",
        "value": "value",
        "base": "base rank",
        "range": "rank range over the sensitivity runs",
        "contrib": "contribution to the score",
    },
    "zh": {
        "score": "得分",
        "rank": "排名（1 = 最优）",
        "effort": "投入",
        "value": "价值",
        "base": "基准排名",
        "range": "敏感性分析中的排名范围",
        "contrib": "对得分的贡献",
    },
}


def _single(result: PriorityResult) -> pd.DataFrame:
    t = result.table
    if t["need"].duplicated().any():
        raise ConfigError(
            "this result ranks needs within groups (by=); plot one group, e.g. "
            "PriorityResult with the rows of one segment, or use a result without by."
        )
    return t


def contributions(
    result: PriorityResult, ax: Axes | None = None, *, top: int | None = None
) -> Axes:
    """Stacked horizontal bars of each criterion's contribution (weight x normalised value).

    Needs in rank order, the best at the top; positive contributions stack to the right of 0
    and negative ones (z normalisation) to the left, so each bar's net length is the score. A
    preset without criteria draws its score as one bar per need.

    Parameters
    ----------
    result : PriorityResult
    ax : matplotlib Axes, optional
    top : int, optional
        Draw only the best *top* needs.

    Returns
    -------
    matplotlib Axes
    """
    t = _single(result)
    if top is not None:
        t = t.head(int(top))
    text = _TEXT.get(result.lang, _TEXT["en"])
    ax = axes(ax, figsize=(7, max(2.5, 0.45 * len(t) + 1.2)))
    y = np.arange(len(t))[::-1]
    labels = t["need"].astype(str).tolist()
    cols = [c for c in t.columns if str(c).startswith("contrib_")]
    if not cols:
        ax.barh(y, t["score"].to_numpy(float), color=PALETTE[0], label=text["score"])
        ax.set_xlabel(f"{text['score']} ({result.method})")
    else:
        pos = np.zeros(len(t))
        neg = np.zeros(len(t))
        for k, c in enumerate(cols):
            v = t[c].to_numpy(float)
            left = np.where(v >= 0, pos, neg)
            ax.barh(y, v, left=left, color=PALETTE[k % len(PALETTE)], label=str(c)[8:])
            pos = pos + np.clip(v, 0, None)
            neg = neg + np.clip(v, None, 0)
        ax.scatter(t["score"].to_numpy(float), y, color="black", marker="|", s=200, zorder=3)
        ax.axvline(0, color="#555555", lw=0.8)
        ax.set_xlabel(text["contrib"])
        ax.legend(fontsize=8, loc="lower right")
    ax.set_yticks(y)
    ax.set_yticklabels(labels)
    return ax


def matrix(
    result: PriorityResult,
    ax: Axes | None = None,
    *,
    value: Hashable = "score",
    effort: Hashable | None = None,
    size: Hashable | None = None,
    lang: str | None = None,
) -> Axes:
    """Priority matrix: value (y) against effort (x), bubbles sized by reach or a column.

    The quadrants split at the medians of value and effort: high value and low effort are
    quick wins, high value and high effort big bets, low value and low effort fill-ins, low
    value and high effort money pits (labels in ``lang``).

    Parameters
    ----------
    result : PriorityResult
    ax : matplotlib Axes, optional
    value : hashable, default "score"
        Column of ``result.table`` on the y axis.
    effort : hashable, optional
        Column on the x axis; default the first of ``effort``, ``job_size``, ``cost`` the table
        has.
    size : hashable, optional
        Column sizing the bubbles; default ``reach`` when the table has it, else equal sizes.
    lang : {"en", "zh"}, optional
        Language of the labels; default the result's.

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    ConfigError
        No effort column, or a named column not in the table.
    """
    t = _single(result)
    lg = lang or result.lang
    if lg not in QUADRANTS:
        raise ConfigError(f"lang={lg!r} is not valid; choose one of ['en', 'zh'].")
    if effort is None:
        effort = next((c for c in ("effort", "job_size", "cost") if c in t.columns), None)
        if effort is None:
            raise ConfigError(
                "the priority matrix needs an effort column; the table has none of 'effort', "
                f"'job_size', 'cost': pass effort= one of {list(map(str, t.columns))}."
            )
    for role, col in (("value", value), ("effort", effort), ("size", size)):
        if col is not None and col not in t.columns:
            raise ConfigError(
                f"{role}={col!r} is not a column of the result table; choose one of "
                f"{list(map(str, t.columns))}."
            )
    if size is None and "reach" in t.columns:
        size = "reach"
    x = t[effort].to_numpy(float)
    yv = t[value].to_numpy(float)
    s: float | np.ndarray = 120.0
    if size is not None:
        sv = t[size].to_numpy(float)
        span = np.nanmax(sv) - np.nanmin(sv)
        s = 60 + 540 * ((sv - np.nanmin(sv)) / span if span > 0 else np.full_like(sv, 0.5))
    text = _TEXT[lg]
    q = QUADRANTS[lg]
    ax = axes(ax, figsize=(7, 6))
    ax.scatter(x, yv, s=s, color=PALETTE[0], alpha=0.6, edgecolor="white", zorder=3)
    for xi, yi, lab in zip(x, yv, t["need"].astype(str), strict=True):
        ax.annotate(lab, (xi, yi), fontsize=8, ha="center", va="center", zorder=4)
    mx, my = float(np.median(x)), float(np.median(yv))
    ax.axvline(mx, color="#888888", lw=0.8, ls="--")
    ax.axhline(my, color="#888888", lw=0.8, ls="--")
    opts: dict[str, Any] = {
        "transform": ax.transAxes,
        "fontsize": 10,
        "color": "#444444",
        "alpha": 0.9,
    }
    ax.text(0.02, 0.97, q["quick_wins"], ha="left", va="top", **opts)
    ax.text(0.98, 0.97, q["big_bets"], ha="right", va="top", **opts)
    ax.text(0.02, 0.03, q["fill_ins"], ha="left", va="bottom", **opts)
    ax.text(0.98, 0.03, q["money_pits"], ha="right", va="bottom", **opts)
    ax.set_xlabel(f"{text['effort']} ({effort})")
    ax.set_ylabel(f"{text['value']} ({value})")
    return ax


def sensitivity(result: PriorityResult, ax: Axes | None = None) -> Axes:
    """Each need's rank range (min..max) over the sensitivity runs, the base rank marked.

    Parameters
    ----------
    result : PriorityResult
        A result of :func:`~needlab.plan.priority_table` with sensitivity runs.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    ConfigError
        The result has no sensitivity runs (a preset, or ``sensitivity=None``).
    """
    sens = result.sensitivity
    if sens is None or not len(sens):
        raise ConfigError(
            f"this result (method {result.method!r}) has no sensitivity runs; they come from "
            "priority_table(..., sensitivity=(0.1, 0.2))."
        )
    t = _single(result)
    text = _TEXT.get(result.lang, _TEXT["en"])
    agg = sens.groupby("need", sort=False)["rank"].agg(["min", "max"])
    needs = t["need"].tolist()
    agg = agg.reindex(needs)
    base = t["rank"].to_numpy(float)
    ax = axes(ax, figsize=(7, max(2.5, 0.45 * len(t) + 1.2)))
    y = np.arange(len(t))[::-1]
    lo = np.minimum(agg["min"].to_numpy(float), base)
    hi = np.maximum(agg["max"].to_numpy(float), base)
    moved = hi > lo
    ax.hlines(y, lo, hi, color=np.where(moved, PALETTE[3], PALETTE[7]).tolist(), lw=4, alpha=0.7)
    ax.scatter(lo, y, color=PALETTE[7], marker="|", s=120, zorder=3)
    ax.scatter(hi, y, color=PALETTE[7], marker="|", s=120, zorder=3)
    ax.scatter(base, y, color="black", marker="D", s=30, zorder=4, label=text["base"])
    ax.set_yticks(y)
    ax.set_yticklabels([str(n) for n in needs])
    ax.set_xlabel(text["rank"])
    ax.set_title(text["range"], fontsize=10)
    ax.set_xlim(0.5, max(float(np.nanmax(hi)), 1.0) + 0.5)
    ax.legend(fontsize=8, loc="lower right")
    return ax
