"""Benchmark gap chart: own - benchmark per KPI and reference, with intervals where tested.

matplotlib is imported inside the function so that ``import needlab`` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from needlab._plotting import PALETTE, axes
from needlab._stats import z_value

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from needlab.market.benchmark import BenchmarkResult

__all__ = ["benchmark_plot"]

_LABELS = {"en": "gap (own - benchmark)", "zh": "差距（本品牌 - 对标）"}
_COLOURS = {"history": PALETTE[7], "industry": PALETTE[0], "competitor": PALETTE[1]}


def benchmark_plot(result: BenchmarkResult, ax: Axes | None = None, **kwargs: Any) -> Axes:
    """Horizontal bars of the gap (own - benchmark) per KPI and reference, coloured by
    reference (history grey, industry blue, competitors orange); tested gaps get the
    ``1 - alpha`` interval ``gap +- z se_gap`` and significant ones a star.

    Returns
    -------
    Axes
    """
    t = result.table
    ax = axes(ax, figsize=(7, 0.3 * len(t) + 1.5))
    y = np.arange(len(t))[::-1]
    z = z_value(1 - result.alpha)
    err = np.where(t["tested"], z * t["se_gap"].fillna(0.0), 0.0)
    ax.barh(
        y,
        t["gap"],
        xerr=err,
        color=[_COLOURS[r] for r in t["reference"]],
        capsize=2,
        **kwargs,
    )
    for yi, g, s in zip(y, t["gap"], t["significant"], strict=True):
        if s:
            ax.text(g, yi, " *", va="center", ha="left" if g >= 0 else "right")
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(y)
    ax.set_yticklabels(
        [f"{k}: {a}" for k, a in zip(t["kpi"], t["against"], strict=True)], fontsize="small"
    )
    ax.set_xlabel(_LABELS.get(result.lang, _LABELS["en"]))
    ax.set_title(result.title)
    return ax
