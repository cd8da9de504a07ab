"""Plots of criterion weights from people: AHP weights and MaxDiff utilities or shares.

matplotlib is imported inside the functions (through :func:`needlab._plotting.axes`) so that
``import needlab`` stays light. The plots only draw what the results hold.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from needlab._plotting import PALETTE, axes
from needlab._validate import check_option

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from needlab.plan.ahp import AhpResult
    from needlab.plan.maxdiff import MaxDiffResult

__all__ = ["ahp_weights", "maxdiff_plot"]


def ahp_weights(result: AhpResult, ax: Axes | None = None, **kwargs: Any) -> Axes:
    """Horizontal bars of the AHP weights (heaviest on top), labelled with their values; the
    title gives the consistency ratio and says whether it passes Saaty's 0.10 (bars are red
    when it does not).

    Parameters
    ----------
    result : AhpResult
    ax : Axes, optional
        Drawn on a new figure when omitted.
    **kwargs
        Passed to ``Axes.barh``.

    Returns
    -------
    Axes
    """
    from needlab.plan.ahp import LABELS

    text = LABELS[result.lang]
    t = result.table.sort_values("weight")
    ax = axes(ax, figsize=(7, 0.5 * len(t) + 1.5))
    colour = PALETTE[0] if result.consistent else PALETTE[3]
    kwargs.setdefault("color", colour)
    ax.barh([str(c) for c in t["criterion"]], t["weight"], **kwargs)
    for y, w in enumerate(t["weight"]):
        ax.text(w, y, f" {w:.3f}", va="center", fontsize=9)
    ax.set_xlim(0, float(t["weight"].max()) * 1.2)
    ax.set_xlabel(text["weight"])
    state = text["ok"] if result.consistent else text["bad"]
    ax.set_title(text["title"].format(cr=result.cr, state=state))
    return ax


def maxdiff_plot(
    result: MaxDiffResult,
    ax: Axes | None = None,
    *,
    kind: Literal["utility", "share"] = "utility",
    **kwargs: Any,
) -> Axes:
    """MaxDiff utilities with their intervals (``kind="utility"``) or shares of preference in %
    (``kind="share"``), most important item on top.

    Parameters
    ----------
    result : MaxDiffResult
    ax : Axes, optional
        Drawn on a new figure when omitted.
    kind : {"utility", "share"}, default "utility"
    **kwargs
        Passed to ``Axes.errorbar`` (utility) or ``Axes.barh`` (share).

    Returns
    -------
    Axes
    """
    from needlab.plan.maxdiff import LABELS

    check_option(kind, ("utility", "share"), "kind")
    text = LABELS[result.lang]
    t = result.table.iloc[::-1]
    labels = [str(i) for i in t["item"]]
    ax = axes(ax, figsize=(7, 0.45 * len(t) + 1.5))
    y = np.arange(len(t))
    if kind == "share":
        kwargs.setdefault("color", PALETTE[0])
        ax.barh(y, t["share"], **kwargs)
        for yi, s in zip(y, t["share"], strict=True):
            ax.text(s, float(yi), f" {s:.1f}", va="center", fontsize=9)
        ax.set_xlim(0, float(t["share"].max()) * 1.2)
        ax.set_xlabel(text["share"])
        ax.set_title(text["title_s"])
    else:
        u = t["utility"].to_numpy(float)
        err = np.vstack([u - t["ci_low"].to_numpy(float), t["ci_high"].to_numpy(float) - u])
        kwargs.setdefault("color", PALETTE[0])
        kwargs.setdefault("fmt", "o")
        kwargs.setdefault("capsize", 3)
        ax.errorbar(u, y, xerr=err, **kwargs)
        ax.axvline(0, color="#999999", lw=0.8, zorder=0)
        ax.set_xlabel(text["utility"])
        ax.set_title(text["title_u"].format(ci=result.ci))
    ax.set_yticks(y)
    ax.set_yticklabels(labels)
    return ax
