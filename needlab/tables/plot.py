"""Plots of crosstab, frequency, score, top-box and raking results.

matplotlib is imported inside each function so that ``import needlab`` stays light. The plots
only draw what the results hold; they compute no statistics.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from needlab.tables.crosstab import CrosstabResult
    from needlab.tables.freq import FreqResult
    from needlab.tables.scores import TopBoxResult
    from needlab.tables.weighting import RakeResult

__all__ = ["box_bars", "crosstab_heatmap", "freq_bars", "score_bars", "weight_hist"]


def _axes(ax: Axes | None, figsize: tuple[float, float] = (7, 4.5)) -> Axes:
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=figsize)
    return ax


def _errors(mid: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    return np.vstack([np.clip(mid - lo, 0, None), np.clip(hi - mid, 0, None)])


def freq_bars(result: FreqResult, ax: Axes | None = None, *, intervals: bool = True,
              color: str = "#1f77b4") -> Axes:
    """Bars of the valid percentage per value, with Wilson intervals when the result has them.

    The missing row is not drawn (its share is in ``result.table``).
    """
    ax = _axes(ax)
    t = result.table
    t = t[t["valid_percent"].notna()]
    names = (t["label"] if "label" in t else t["value"]).astype(str).tolist()
    y = t["valid_percent"].to_numpy(float)
    err = None
    if intervals and "ci_low" in t:
        err = _errors(y, t["ci_low"].to_numpy(float), t["ci_high"].to_numpy(float))
    ax.bar(np.arange(len(y)), y, color=color, yerr=err, capsize=3)
    ax.set_xticks(np.arange(len(y)), names, rotation=45 if max(map(len, names), default=0) > 8 else 0,
                  ha="right" if max(map(len, names), default=0) > 8 else "center")
    ax.set_ylabel("valid percent")
    ax.set_title(str(result.column))
    return ax


def score_bars(result: Any, column: str, ax: Axes | None = None, *,
               color: str = "#1f77b4") -> Axes:
    """Horizontal bars of a score (``"nps"`` or ``"satisfied"``) per group with its interval."""
    ax = _axes(ax)
    t = result.table
    y = t[column].to_numpy(float)
    err = _errors(y, t["ci_low"].to_numpy(float), t["ci_high"].to_numpy(float))
    pos = np.arange(len(t))[::-1]
    ax.barh(pos, y, xerr=err, color=color, capsize=3)
    ax.set_yticks(pos, t["group"].astype(str).tolist())
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel("NPS" if column == "nps" else "% satisfied")
    ax.set_title(str(result.column))
    return ax


def box_bars(result: TopBoxResult, ax: Axes | None = None, *, color: str = "#1f77b4") -> Axes:
    """Horizontal bars of the box percentage per item (grouped bars when the result has groups)."""
    ax = _axes(ax)
    t = result.table
    value = "bottom_box" if result.bottom else "top_box"
    items = list(dict.fromkeys(t["item"]))
    if "group" not in t:
        pos = np.arange(len(items))[::-1]
        ax.barh(pos, t[value].to_numpy(float), color=color)
    else:
        groups = list(dict.fromkeys(t["group"]))
        height = 0.8 / len(groups)
        for g, name in enumerate(groups):
            sub = t[t["group"] == name].set_index("item").reindex(items)
            bar_pos = np.arange(len(items))[::-1] + 0.4 - (g + 0.5) * height
            ax.barh(bar_pos, sub[value].to_numpy(float), height=height, label=str(name))
        ax.legend()
        pos = np.arange(len(items))[::-1]
    ax.set_yticks(pos, [str(i) for i in items])
    ax.set_xlabel(value.replace("_", " ") + " %")
    return ax


def weight_hist(result: RakeResult, ax: Axes | None = None, *, bins: int = 30,
                color: str = "#1f77b4") -> Axes:
    """Histogram of the raked weights."""
    ax = _axes(ax)
    w = result.weights.to_numpy(float) if result.weights is not None else np.array([])
    ax.hist(w, bins=bins, color=color)
    ax.set_xlabel("weight")
    ax.set_ylabel("rows")
    ax.set_title(f"weights (efficiency {result.efficiency:.2f})")
    return ax


def crosstab_heatmap(result: CrosstabResult, ax: Axes | None = None, *, cmap: str = "Blues",
                     decimals: int = 0) -> Axes:
    """Heatmap of a crosstab's percentages; each cell shows its percent and significance letters.

    Column headers carry the column letters, so a cell reading ``"45 B"`` is significantly
    higher than the column lettered B (see :class:`~needlab.tables.crosstab.CrosstabResult`).
    """
    pct = result.percent
    ax = _axes(ax, figsize=(1.1 * pct.shape[1] + 2.5, 0.5 * pct.shape[0] + 1.5))
    values = pct.to_numpy(dtype=float)
    ax.imshow(np.ma.masked_invalid(values), cmap=cmap, aspect="auto", vmin=0,
              vmax=np.nanmax(values) if np.isfinite(values).any() else 1)
    heads = [f"{c} ({result.column_letters[c]})" if c in result.column_letters else str(c)
             for c in pct.columns]
    ax.set_xticks(range(len(heads)), heads, rotation=30, ha="right")
    ax.set_yticks(range(len(pct.index)), [str(i) for i in pct.index])
    top = np.nanmax(values) if np.isfinite(values).any() else 1
    for i, r in enumerate(pct.index):
        for j, c in enumerate(pct.columns):
            v = values[i, j]
            if not np.isfinite(v):
                continue
            sig = result.letters.loc[r, c] if c in result.letters.columns else ""
            ax.text(j, i, f"{v:.{decimals}f} {sig}".strip(), ha="center", va="center", fontsize=8,
                    color="white" if v > 0.6 * top else "black")
    ax.set_title(f"{result.row} by {result.col} ({result.percent_by} %)")
    return ax
