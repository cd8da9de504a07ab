"""Plots of a :class:`~needlab.market.brands.BrandComparison`: a dot plot of every brand's
means and the gap chart to the best competitor.

matplotlib is imported inside the functions (via :func:`needlab._plotting.axes`) so that
``import needlab`` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from needlab._plotting import PALETTE, axes
from needlab.errors import ConfigError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from needlab.market.brands import BrandComparison

__all__ = ["brand_dots", "gap_chart"]

_LABELS = {
    "en": {
        "mean": "Mean rating",
        "gap": "Gap to the best competitor (own - best)",
        "dots": "Ratings by brand",
        "gaps": "Own brand against the best competitor",
        "own": "own",
    },
    "zh": {
        "mean": "平均评分",
        "gap": "与最佳竞争对手的差距(本品牌 - 最佳)",
        "dots": "各品牌评分",
        "gaps": "本品牌与最佳竞争对手对比",
        "own": "本品牌",
    },
}


def _pick(result: BrandComparison, table: pd.DataFrame | None, segment: Any) -> pd.DataFrame:
    if segment is None:
        return table if table is not None else result.table
    if result.by_segment is None or result.by is None:
        raise ConfigError("segment= needs a result computed with by=.")
    seg = result.means_by_segment if table is not None else result.by_segment
    if seg is None:
        raise ConfigError("segment= needs a result computed with by=.")
    col = str(result.by)
    out = seg[seg[col] == segment]
    if out.empty:
        raise ConfigError(
            f"segment={segment!r} is not a segment of {col!r}; choose one of "
            f"{seg[col].unique().tolist()}."
        )
    return out


def brand_dots(result: BrandComparison, ax: Axes | None = None, *, segment: Any = None) -> Axes:
    """Dot plot: attributes down the y axis, one dot per brand at its mean rating with its
    interval; the own brand is larger with a black edge.

    Parameters
    ----------
    result : BrandComparison
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    segment : optional
        One segment of ``by`` instead of the total.

    Returns
    -------
    matplotlib Axes
    """
    lab = _LABELS[result.lang]
    m = _pick(result, result.means, segment)
    attrs = list(dict.fromkeys(m["attribute"].astype(str)))
    ax = axes(ax, figsize=(7, 0.45 * len(attrs) + 1.8))
    y0 = np.arange(len(attrs))[::-1]
    pos = dict(zip(attrs, y0, strict=True))
    nb = len(result.brands)
    offs = np.linspace(-0.25, 0.25, nb) if nb > 1 else np.zeros(1)
    for j, brand in enumerate(result.brands):
        mb = m[m["brand"] == brand]
        if mb.empty:
            continue
        y = mb["attribute"].astype(str).map(pos).to_numpy(float) + offs[j]
        x = mb["mean"].to_numpy(float)
        lo = np.nan_to_num(x - mb["low"].to_numpy(float))
        hi = np.nan_to_num(mb["high"].to_numpy(float) - x)
        own = j == 0
        ax.errorbar(
            x,
            y,
            xerr=[np.clip(lo, 0, None), np.clip(hi, 0, None)],
            fmt="o",
            ms=8 if own else 5,
            color=PALETTE[j % len(PALETTE)],
            mec="black" if own else PALETTE[j % len(PALETTE)],
            elinewidth=0.8,
            label=f"{brand} ({lab['own']})" if own else str(brand),
            zorder=3 if own else 2,
        )
    ax.set_yticks(y0)
    ax.set_yticklabels(attrs)
    ax.set_xlabel(lab["mean"])
    ax.set_title(lab["dots"] + (f" - {segment}" if segment is not None else ""))
    ax.grid(axis="x", alpha=0.3)
    ax.legend(fontsize=8, frameon=False, loc="best")
    return ax


def gap_chart(result: BrandComparison, ax: Axes | None = None, *, segment: Any = None) -> Axes:
    """Gap chart: per attribute a horizontal bar of own minus best competitor with its
    interval; green where the own brand leads, red where it trails, grey for ties; the best
    competitor's name at the end of each bar.

    Parameters
    ----------
    result : BrandComparison
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    segment : optional
        One segment of ``by`` instead of the total.

    Returns
    -------
    matplotlib Axes
    """
    from needlab.market.brands import STATUS_LABELS

    lab = _LABELS[result.lang]
    st = STATUS_LABELS[result.lang]
    t = _pick(result, None, segment)
    ax = axes(ax, figsize=(7, 0.45 * len(t) + 1.8))
    y = np.arange(len(t))[::-1]
    gap = t["gap"].to_numpy(float)
    colours = [
        PALETTE[2] if s == st["lead"] else PALETTE[3] if s == st["trail"] else PALETTE[7]
        for s in t["status"]
    ]
    lo = np.clip(np.nan_to_num(gap - t["gap_low"].to_numpy(float)), 0, None)
    hi = np.clip(np.nan_to_num(t["gap_high"].to_numpy(float) - gap), 0, None)
    ax.barh(y, gap, color=colours, xerr=[lo, hi], error_kw={"elinewidth": 0.8, "capsize": 2})
    for yi, g, h, name, s in zip(y, gap, hi, t["best_competitor"], t["status"], strict=True):
        x = g + (h if g >= 0 else -h)
        ax.text(
            x,
            yi,
            f" {name} ({s}) " if np.isfinite(x) else "",
            va="center",
            ha="left" if g >= 0 else "right",
            fontsize=7,
        )
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(y)
    ax.set_yticklabels(t["attribute"].astype(str).tolist())
    ax.set_xlabel(lab["gap"])
    ax.set_title(lab["gaps"] + (f" - {segment}" if segment is not None else ""))
    span = float(np.nanmax(np.abs(np.concatenate([gap - lo, gap + hi, [0.1]]))))
    ax.set_xlim(-1.5 * span, 1.5 * span)
    ax.grid(axis="x", alpha=0.3)
    return ax
