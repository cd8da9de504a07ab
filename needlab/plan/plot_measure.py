"""Plot of a measured KPI (:class:`~needlab.plan.measure.KpiResult`): the value with its
interval per group.

matplotlib is imported inside the function (through :func:`needlab._plotting.axes`) so that
``import needlab`` stays light. The plot only draws what the result holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from needlab._plotting import PALETTE, axes

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from needlab.plan.measure import KpiResult

__all__ = ["kpi_plot"]

_TEXT = {
    "en": {"all": "All", "none": "not measurable", "interval": "{ci:.0%} interval"},
    "zh": {"all": "全部", "none": "无法测量", "interval": "{ci:.0%} 置信区间"},
}


def kpi_plot(result: KpiResult, ax: Axes | None = None, **kwargs: Any) -> Axes:
    """The KPI's value per group as a point with its interval (horizontal error bars), one line
    per group; groups that are not measurable are listed with "not measurable". A value without
    an interval (a published market share) is drawn as a point only.

    Parameters
    ----------
    result : KpiResult
    ax : Axes, optional
        Drawn on a new figure when omitted.
    **kwargs
        Passed to ``Axes.errorbar``.

    Returns
    -------
    Axes
    """
    text = _TEXT.get(result.lang, _TEXT["en"])
    t = result.table
    by = result.by
    labels = [str(v) for v in t[by]] if by is not None else [text["all"]]
    ax = axes(ax, figsize=(7, 0.45 * len(t) + 1.8))
    y = np.arange(len(t))[::-1]
    v = t["value"].to_numpy(dtype=float)
    lo = t["ci_low"].to_numpy(dtype=float)
    hi = t["ci_high"].to_numpy(dtype=float)
    has = ~np.isnan(v)
    err = np.vstack([np.where(np.isnan(lo), 0.0, v - lo), np.where(np.isnan(hi), 0.0, hi - v)])
    kwargs.setdefault("fmt", "o")
    kwargs.setdefault("color", PALETTE[0])
    kwargs.setdefault("capsize", 3)
    if has.any():
        ax.errorbar(
            v[has], y[has], xerr=err[:, has], label=text["interval"].format(ci=result.ci), **kwargs
        )
        for yi, vi in zip(y[has], v[has], strict=True):
            ax.annotate(f"{vi:.1f}", (vi, yi), xytext=(0, 6), textcoords="offset points",
                        ha="center", fontsize=8)  # fmt: skip
        left = float(np.nanmin(np.where(np.isnan(lo), v, lo)[has]))
    else:
        left = 0.0
    for yi in y[~has]:
        ax.text(left, yi, text["none"], va="center", fontsize=8, color=PALETTE[7])
    ax.set_yticks(y)
    ax.set_yticklabels(labels)
    if by is not None:
        ax.set_ylabel(str(by))
    ax.set_xlabel(f"{result.label} ({result.unit})")
    ax.set_title(result.title)
    if has.any() and not np.isnan(lo[has]).all():
        ax.legend(loc="best", fontsize=8)
    ax.set_ylim(-0.7, len(t) - 0.3)
    return ax
