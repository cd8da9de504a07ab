"""Kano plots: the Better-Worse diagram, the continuous-analysis plot and stacked category bars.

matplotlib is imported inside each function so that ``import needlab`` stays light. The plots
only draw what the :class:`~needlab.kano.classify.KanoResult` holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from needlab._plotting import PALETTE, axes
from needlab.errors import ConfigError
from needlab.kano.tables import CATEGORIES

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from needlab.kano.classify import KanoResult

__all__ = ["better_worse", "category_bars", "continuous"]

_COLOURS = {
    "A": PALETTE[2],
    "O": PALETTE[0],
    "M": PALETTE[3],
    "I": PALETTE[7],
    "R": PALETTE[4],
    "Q": PALETTE[8],
}
"""Colour of each Kano category (green delight, blue expected, red basic, grey indifferent)."""
_QUADRANTS = {
    "en": ("attractive (delight)", "one-dimensional (expected)", "must-be (basic)", "indifferent"),
    "zh": ("兴奋需求", "期望需求", "基本需求", "无差异需求"),
}


def _table(result: KanoResult, segment: Any) -> pd.DataFrame:
    if segment is None:
        return result.table
    seg = result.by_segment
    if seg is None:
        raise ConfigError("segment= needs a result computed with by=.")
    col = seg.columns[0]
    return seg[seg[col] == segment]


def better_worse(
    result: KanoResult,
    ax: Axes | None = None,
    *,
    segment: Any = None,
    threshold: float = 0.5,
    annotate: bool = True,
) -> Axes:
    """Better-Worse diagram (Berger et al. 1993): \\|worse\\| on x, better on y.

    Quadrants split at ``threshold`` (0.5 by default): top-left attractive, top-right
    one-dimensional, bottom-right must-be, bottom-left indifferent. Point size is the
    self-stated importance when the result has it. Bootstrap intervals are drawn as error bars
    when present.
    """
    ax = axes(ax, figsize=(7, 6))
    t = _table(result, segment)
    x, y = t["worse"].abs().to_numpy(float), t["better"].to_numpy(float)
    size: float | np.ndarray = 60.0
    if "importance" in t and t["importance"].notna().any():
        imp = t["importance"].to_numpy(float)
        span = np.nanmax(imp) - np.nanmin(imp)
        size = 40 + 260 * ((imp - np.nanmin(imp)) / span if span > 0 else np.full_like(imp, 0.5))
    colours = [_COLOURS.get(str(c).split("/")[0], "#333333") for c in t["category"]]
    ax.scatter(x, y, s=size, c=colours, alpha=0.85, edgecolor="white", zorder=3)
    if "better_low" in t:
        ax.errorbar(
            x,
            y,
            yerr=[y - t["better_low"], t["better_high"] - y],
            xerr=[x - t["worse_high"].abs(), t["worse_low"].abs() - x],
            fmt="none",
            ecolor="#999999",
            lw=0.8,
            zorder=2,
        )
    if annotate:
        for xi, yi, name in zip(x, y, t["feature"], strict=True):
            ax.annotate(str(name), (xi, yi), xytext=(4, 4), textcoords="offset points", fontsize=8)
    ax.axhline(threshold, color="#555555", lw=0.8, ls="--")
    ax.axvline(threshold, color="#555555", lw=0.8, ls="--")
    labels = _QUADRANTS.get(result.lang, _QUADRANTS["en"])
    for (qx, qy, ha, va), text in zip(
        [
            (0.02, 0.98, "left", "top"),
            (0.98, 0.98, "right", "top"),
            (0.98, 0.02, "right", "bottom"),
            (0.02, 0.02, "left", "bottom"),
        ],
        labels,
        strict=True,
    ):
        ax.text(qx, qy, text, transform=ax.transAxes, ha=ha, va=va, fontsize=9, color="#555555")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("|Worse| (dissatisfaction if absent)")
    ax.set_ylabel("Better (satisfaction if present)")
    ax.set_title("Kano Better-Worse diagram" + (f": {segment}" if segment is not None else ""))
    return ax


def continuous(result: KanoResult, ax: Axes | None = None, *, segment: Any = None) -> Axes:
    """Continuous analysis (DuMouchel): mean dysfunctional score on x, functional on y.

    Error bars are one standard error (SD / sqrt(n_eff)). Axes span the score range -2 to 4;
    the quadrant lines are at 2 (midpoint), as in Berger et al. (1993).
    """
    ax = axes(ax, figsize=(7, 6))
    t = _table(result, segment)
    x, y = t["dysfunctional_score"].to_numpy(float), t["functional_score"].to_numpy(float)
    n = t["n_eff"].to_numpy(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        xerr = t["dysfunctional_sd"].to_numpy(float) / np.sqrt(n)
        yerr = t["functional_sd"].to_numpy(float) / np.sqrt(n)
    colours = [_COLOURS.get(str(c).split("/")[0], "#333333") for c in t["category"]]
    ax.errorbar(x, y, xerr=xerr, yerr=yerr, fmt="none", ecolor="#999999", lw=0.8, zorder=2)
    ax.scatter(x, y, c=colours, s=50, zorder=3)
    for xi, yi, name in zip(x, y, t["feature"], strict=True):
        ax.annotate(str(name), (xi, yi), xytext=(4, 4), textcoords="offset points", fontsize=8)
    ax.axhline(2, color="#555555", lw=0.8, ls="--")
    ax.axvline(2, color="#555555", lw=0.8, ls="--")
    ax.set_xlim(-2, 4)
    ax.set_ylim(-2, 4)
    ax.set_xlabel("Dysfunctional score (mean)")
    ax.set_ylabel("Functional score (mean)")
    ax.set_title("Kano continuous analysis" + (f": {segment}" if segment is not None else ""))
    return ax


def category_bars(result: KanoResult, ax: Axes | None = None, *, segment: Any = None) -> Axes:
    """Horizontal stacked bars of the category shares per feature."""
    t = _table(result, segment)
    ax = axes(ax, figsize=(8, 0.45 * len(t) + 1.5))
    left = np.zeros(len(t))
    names = t["feature"].astype(str).to_numpy()
    for c in CATEGORIES:
        share = t[f"share_{c}"].fillna(0).to_numpy(float)
        ax.barh(names, share, left=left, color=_COLOURS[c], label=c)
        left += share
    ax.set_xlim(0, 1)
    ax.invert_yaxis()
    ax.set_xlabel("share of answers")
    ax.legend(ncols=6, loc="upper center", bbox_to_anchor=(0.5, -0.12), frameon=False)
    ax.set_title("Kano categories by feature")
    return ax
