"""Brand-switching plots: the transition heat map and the gains/losses/net bars.

matplotlib is imported inside the functions so that ``import needlab`` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from needlab._plotting import PALETTE, axes
from needlab._validate import check_option

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from needlab.market.switching import SwitchingResult

__all__ = ["switching_plot"]

_LABELS = {
    "en": {
        "before": "previous brand",
        "after": "current brand",
        "gains": "gains",
        "losses": "losses",
        "net": "net",
        "customers": "customers (weighted)",
    },
    "zh": {
        "before": "之前品牌",
        "after": "当前品牌",
        "gains": "获得",
        "losses": "流失",
        "net": "净变化",
        "customers": "顾客（加权）",
    },
}


def switching_plot(
    result: SwitchingResult,
    ax: Axes | None = None,
    *,
    kind: Literal["matrix", "net"] = "matrix",
    **kwargs: Any,
) -> Axes:
    """Draw a :class:`~needlab.market.switching.SwitchingResult`.

    ``kind="matrix"``: heat map of the row shares (previous brand in rows, current brand in
    columns) with the percentages written in the cells; the diagonal is retention.
    ``kind="net"``: gains (up), losses (down) and the net per brand.

    Parameters
    ----------
    result : SwitchingResult
    ax : Axes, optional
    kind : {"matrix", "net"}
    **kwargs
        Passed to ``Axes.imshow`` (matrix) or ``Axes.bar`` (net).

    Returns
    -------
    Axes
    """
    check_option(kind, ("matrix", "net"), "kind")
    lab = _LABELS.get(result.lang, _LABELS["en"])
    names = list(result.brands)
    k = len(names)
    if kind == "matrix":
        ax = axes(ax, figsize=(1.1 * k + 2.5, 1.0 * k + 1.5))
        P = result.row_shares.to_numpy(float)
        kwargs.setdefault("cmap", "Blues")
        ax.imshow(P, vmin=0, vmax=1, **kwargs)
        for i in range(k):
            for j in range(k):
                ax.text(
                    j,
                    i,
                    f"{100 * P[i, j]:.0f}%",
                    ha="center",
                    va="center",
                    color="white" if P[i, j] > 0.6 else "black",
                    fontsize="small",
                    fontweight="bold" if i == j else "normal",
                )
        ax.set_xticks(np.arange(k))
        ax.set_xticklabels(names, rotation=30, ha="right")
        ax.set_yticks(np.arange(k))
        ax.set_yticklabels(names)
        ax.set_xlabel(lab["after"])
        ax.set_ylabel(lab["before"])
    else:
        ax = axes(ax)
        t = result.table
        x = np.arange(k)
        ax.bar(x - 0.25, t["gains"], 0.25, color=PALETTE[2], label=lab["gains"], **kwargs)
        ax.bar(x, -t["losses"], 0.25, color=PALETTE[3], label=lab["losses"], **kwargs)
        ax.bar(x + 0.25, t["net"], 0.25, color=PALETTE[0], label=lab["net"], **kwargs)
        ax.axhline(0, color="black", lw=0.8)
        ax.set_xticks(x)
        ax.set_xticklabels(names)
        ax.set_ylabel(lab["customers"])
        ax.legend(fontsize="small")
    ax.set_title(result.title)
    return ax
