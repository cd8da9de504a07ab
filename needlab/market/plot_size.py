"""Market plots: volume over periods with the forecast band, and brand share trajectories.

matplotlib is imported inside the function so that ``import needlab`` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from needlab._plotting import PALETTE, axes
from needlab._validate import check_option

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from needlab.market.size import MarketResult

__all__ = ["market_plot"]

_LABELS = {
    "en": {
        "volume": "market volume",
        "share": "share (%)",
        "trend": "trend",
        "band": "prediction interval",
        "period": "period",
    },
    "zh": {
        "volume": "市场规模",
        "share": "份额（%）",
        "trend": "趋势",
        "band": "预测区间",
        "period": "期间",
    },
}


def market_plot(
    result: MarketResult,
    ax: Axes | None = None,
    *,
    kind: Literal["volume", "shares"] = "volume",
    **kwargs: Any,
) -> Axes:
    """``kind="volume"``: observed market volume per period, and with :func:`market_trend` the
    fitted trend, the forecast and its prediction band. ``kind="shares"``: one line per brand
    with its share (%) per period.

    Returns
    -------
    Axes
    """
    check_option(kind, ("volume", "shares"), "kind")
    lab = _LABELS.get(result.lang, _LABELS["en"])
    ax = axes(ax)
    t = result.table
    x = np.arange(len(t))
    if kind == "volume":
        obs = ~t["forecast"].to_numpy(bool)
        ax.plot(x[obs], t["volume"][obs], "o-", color=PALETTE[0], label=lab["volume"], **kwargs)
        if "fitted" in t:
            ax.plot(x, t["fitted"], "--", color=PALETTE[1], label=lab["trend"])
            ax.fill_between(
                x, t["lower"], t["upper"], color=PALETTE[1], alpha=0.2, label=lab["band"]
            )
            ax.legend(fontsize="small")
        ax.set_ylabel(f"{lab['volume']} ({result.kpi})")
        ax.set_xticks(x)
        ax.set_xticklabels(t["period"], rotation=30, ha="right")
    else:
        s = result.shares
        periods = list(dict.fromkeys(s["period"]))
        pos = {p: i for i, p in enumerate(periods)}
        for i, (b, g) in enumerate(s.groupby("brand", sort=False)):
            ax.plot(
                [pos[p] for p in g["period"]],
                100 * g["share"],
                "o-",
                color=PALETTE[i % len(PALETTE)],
                label=str(b),
                **kwargs,
            )
        ax.set_ylabel(lab["share"])
        ax.set_xticks(np.arange(len(periods)))
        ax.set_xticklabels(periods, rotation=30, ha="right")
        ax.legend(fontsize="small")
    ax.set_xlabel(lab["period"])
    ax.set_title(result.title)
    return ax
