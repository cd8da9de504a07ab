"""Funnel bars of a :class:`~needlab.market.funnel.FunnelResult`.

matplotlib is imported inside the function (via :func:`needlab._plotting.axes`) so that
``import needlab`` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from needlab._plotting import PALETTE, axes
from needlab.errors import ConfigError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from needlab.market.funnel import FunnelResult

__all__ = ["funnel_bars"]

_LABELS = {
    "en": {"y": "Share of respondents", "title": "Brand funnel", "own": "own"},
    "zh": {"y": "受访者占比", "title": "品牌漏斗", "own": "本品牌"},
}


def funnel_bars(
    result: FunnelResult,
    ax: Axes | None = None,
    *,
    segment: Any = None,
    annotate: bool = True,
) -> Axes:
    """Grouped bars: for each stage (x, in funnel order) one bar per brand, height the share of
    respondents at the stage with its Wilson interval; the own brand has a black edge.

    Parameters
    ----------
    result : FunnelResult
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    segment : optional
        One segment of ``by`` instead of the total.
    annotate : bool, default True
        Write the share (%) above each bar.

    Returns
    -------
    matplotlib Axes
    """
    lab = _LABELS[result.lang]
    t = result.table
    if segment is not None:
        if result.by_segment is None or result.by is None:
            raise ConfigError("segment= needs a result computed with by=.")
        seg = result.by_segment
        col = seg.columns[0]
        t = seg[seg[col] == segment]
        if t.empty:
            raise ConfigError(
                f"segment={segment!r} is not a segment of {col!r}; choose one of "
                f"{seg[col].unique().tolist()}."
            )
    ax = axes(ax, figsize=(max(6.0, 1.6 * len(result.stages) + 2), 4.5))
    nb, k = len(result.brands), len(result.stages)
    width = 0.8 / nb
    x0 = np.arange(k)
    for j, brand in enumerate(result.brands):
        tb = t[t["brand"] == brand].set_index("stage").reindex(list(result.stages))
        h = tb["share"].to_numpy(float)
        lo = np.clip(h - tb["share_low"].to_numpy(float), 0, None)
        hi = np.clip(tb["share_high"].to_numpy(float) - h, 0, None)
        own = brand == result.own
        xs = x0 - 0.4 + width * (j + 0.5)
        ax.bar(
            xs,
            h,
            width=width * 0.92,
            color=PALETTE[j % len(PALETTE)],
            edgecolor="black" if own else "white",
            linewidth=1.6 if own else 0.5,
            label=f"{brand} ({lab['own']})" if own else str(brand),
            yerr=[lo, hi],
            error_kw={"elinewidth": 0.8, "capsize": 2, "ecolor": "#444444"},
            zorder=3,
        )
        if annotate:
            for xi, hv in zip(xs, h, strict=True):
                if np.isfinite(hv):
                    ax.text(xi, hv + 0.01, f"{100 * hv:.0f}", ha="center", va="bottom", fontsize=7)
    ax.set_xticks(x0)
    ax.set_xticklabels(list(result.stages))
    ax.set_ylabel(lab["y"])
    ax.set_ylim(0, min(1.05, max(0.1, float(t["share_high"].max()) + 0.08)))
    ax.yaxis.set_major_formatter(_percent())
    title = lab["title"] + (f" - {segment}" if segment is not None else "")
    ax.set_title(title)
    ax.legend(fontsize=8, frameon=False, ncol=min(nb, 5))
    ax.grid(axis="y", alpha=0.3, zorder=0)
    return ax


def _percent() -> Any:
    from matplotlib.ticker import PercentFormatter

    return PercentFormatter(xmax=1.0, decimals=0)
