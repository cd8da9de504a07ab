"""Share-of-wallet plot: mean share per brand with its interval, grouped by segment.

matplotlib is imported inside the function so that ``import needlab`` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from needlab._plotting import PALETTE, axes

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from needlab.market.wallet import WalletResult

__all__ = ["wallet_plot"]

_LABELS = {
    "en": ("Share of wallet", "brand"),
    "zh": ("钱包份额", "品牌"),
}


def wallet_plot(result: WalletResult, ax: Axes | None = None, **kwargs: Any) -> Axes:
    """Bars of each brand's mean share of wallet (in %) with the interval as error bars; with
    ``by=`` one bar per segment within each brand. The own brand's label is bold.

    Parameters
    ----------
    result : WalletResult
    ax : Axes, optional
    **kwargs
        Passed to ``Axes.bar``.

    Returns
    -------
    Axes
    """
    ax = axes(ax)
    t = result.table
    ylab, xlab = _LABELS.get(result.lang, _LABELS["en"])
    brands = list(result.brands)
    x = np.arange(len(brands))
    if result.by is None:
        groups: list[Any] = [None]
    else:
        groups = list(dict.fromkeys(t[result.by]))
    width = 0.8 / len(groups)
    for i, g in enumerate(groups):
        sub = t if g is None else t[t[result.by] == g]
        sub = sub.set_index("brand").reindex(brands)
        share = sub["share"].to_numpy(float) * 100
        err = np.vstack(
            [
                share - sub["ci_low"].to_numpy(float) * 100,
                sub["ci_high"].to_numpy(float) * 100 - share,
            ]
        )
        ax.bar(
            x + (i - (len(groups) - 1) / 2) * width,
            np.nan_to_num(share),
            width,
            yerr=np.nan_to_num(err),
            capsize=2,
            color=PALETTE[i % len(PALETTE)],
            label=None if g is None else str(g),
            **kwargs,
        )
    ax.set_xticks(x)
    ax.set_xticklabels(brands)
    for lab in ax.get_xticklabels():
        if lab.get_text() == result.own:
            lab.set_fontweight("bold")
    ax.set_ylabel(f"{ylab} (%)")
    ax.set_xlabel(xlab)
    ax.set_title(result.title)
    if result.by is not None:
        ax.legend(title=str(result.by), fontsize="small")
    return ax
