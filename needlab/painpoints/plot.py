"""Plots of pain points: the problem tree, the journey map and the frequency-severity matrix.

matplotlib is imported inside each function so that ``import needlab`` stays light. The plots
draw what a :class:`~needlab.painpoints.matrix.PainMatrixResult` holds; they compute no
statistics.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from needlab.errors import ConfigError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from needlab.painpoints.matrix import PainMatrixResult

__all__ = ["PAIN_COLORS", "STAGES", "journey_map", "problem_tree", "severity_matrix"]

#: One colour per pain type, used by every pain-point plot.
PAIN_COLORS = {"functional": "#4c72b0", "service": "#dd8452", "process": "#55a868", "value": "#c44e52"}
#: Journey stages in customer order (unknown stages are drawn after these, in order of appearance).
STAGES = ("awareness", "purchase", "delivery", "installation", "use", "after_sales", "renewal")
_TYPES = tuple(PAIN_COLORS)


def _axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=figsize)
    return ax


def _need(result: PainMatrixResult, level: str, plot: str) -> pd.DataFrame:
    if result.level != level:
        raise ConfigError(f"{plot} needs pain_matrix(..., level={level!r}); this result has level={result.level!r}.")
    if result.by is not None:
        raise ConfigError(f"{plot} draws one group; compute pain_matrix without by=, or filter the table first.")
    return result.table


def _ordered(values: pd.Series, order: tuple[str, ...]) -> list[str]:
    seen = list(dict.fromkeys(values.astype(str)))
    return [v for v in order if v in seen] + [v for v in seen if v not in order]


def problem_tree(result: PainMatrixResult, ax: Axes | None = None, *, top: int = 8,
                 value: str = "share") -> Axes:
    """The problem tree: pain type -> its codes, as grouped horizontal bars.

    Each pain type is a block headed by its own total (from the codes drawn); within a block its
    ``top`` codes by ``value`` are drawn, largest first. Needs ``pain_matrix(level="code")``.
    """
    t = _need(result, "code", "problem_tree")
    ax = _axes(ax, (8, 0.32 * min(len(t), top * 4) + 1.5))
    labels, widths, colors, bold = [], [], [], []
    for ptype in _ordered(t["pain_type"], _TYPES):
        block = t[t["pain_type"].astype(str) == ptype].nlargest(top, value)
        labels.append(f"{ptype} ({int(block['n'].sum())} mentions)")
        widths.append(np.nan)
        colors.append("none")
        bold.append(True)
        labels += [f"  {c} {n}" for c, n in zip(block["code"], block["name"], strict=True)]
        widths += block[value].tolist()
        colors += [PAIN_COLORS.get(ptype, "#8c8c8c")] * len(block)
        bold += [False] * len(block)
    y = np.arange(len(labels))[::-1]
    ax.barh(y, np.nan_to_num(np.asarray(widths, float)), color=colors)
    ax.set_yticks(y, labels)
    for tick, b in zip(ax.get_yticklabels(), bold, strict=True):
        if b:
            tick.set_fontweight("bold")
    ax.set_xlabel(value)
    ax.set_title("Problem tree: pain type -> pain point")
    return ax


def journey_map(result: PainMatrixResult, ax: Axes | None = None, *, value: str = "share",
                cmap: str = "Reds", annotate: bool = True) -> Axes:
    """Heatmap of journey stage (columns, in customer order) x pain type (rows).

    Needs ``pain_matrix(level="stage_type")``; cells show ``value`` (share of texts by default).
    """
    t = _need(result, "stage_type", "journey_map")
    stages = _ordered(t["stage"], STAGES)
    types = _ordered(t["pain_type"], _TYPES)
    m = (t.assign(stage=t["stage"].astype(str), pain_type=t["pain_type"].astype(str))
         .pivot_table(index="pain_type", columns="stage", values=value, aggfunc="sum")
         .reindex(index=types, columns=stages))
    ax = _axes(ax, (1.3 * len(stages) + 2, 0.7 * len(types) + 1.5))
    arr = m.to_numpy(float)
    im = ax.imshow(np.nan_to_num(arr), cmap=cmap, aspect="auto")
    ax.set_xticks(range(len(stages)), stages, rotation=30, ha="right")
    ax.set_yticks(range(len(types)), types)
    if annotate:
        top = np.nanmax(arr) if np.isfinite(arr).any() else 1.0
        for (i, j), v in np.ndenumerate(arr):
            if np.isfinite(v):
                txt = f"{100 * v:.1f}%" if value == "share" else f"{v:.3g}"
                ax.text(j, i, txt, ha="center", va="center", fontsize=8,
                        color="white" if v > 0.6 * top else "black")
    ax.figure.colorbar(im, ax=ax, label=value)
    ax.set_title("Journey map: pain type x stage")
    return ax


def severity_matrix(result: PainMatrixResult, ax: Axes | None = None, *, label_top: int = 10,
                    **kwargs: Any) -> Axes:
    """The frequency-severity matrix: share (x) by mean severity (y), bubble size = mentions.

    Dashed lines mark the medians that split the quadrants of ``result.table["quadrant"]``; the
    ``label_top`` highest-priority points are labelled. With ``by=`` results, each segment gets
    its own colour.
    """
    t = result.table
    ax = _axes(ax, (7.5, 5.5))
    key = {"code": "code", "pain_type": "pain_type", "stage": "stage"}.get(result.level)
    names = t[key].astype(str) if key else t["stage"].astype(str) + " / " + t["pain_type"].astype(str)
    size = 30 + 400 * t["n"] / max(float(t["n"].max()), 1.0)
    if result.by is None:
        color = [PAIN_COLORS.get(str(p), "#8c8c8c") for p in t["pain_type"]] if "pain_type" in t else "#4c72b0"
        ax.scatter(t["share"], t["severity"], s=size, c=color, alpha=0.7, edgecolor="k", linewidth=0.4, **kwargs)
        ax.axvline(t["share"].median(), ls="--", c="grey", lw=0.8)
        ax.axhline(t["severity"].median(), ls="--", c="grey", lw=0.8)
    else:
        for seg, part in t.groupby(result.by, sort=False, observed=True):
            ax.scatter(part["share"], part["severity"], s=size[part.index], alpha=0.6, label=str(seg),
                       edgecolor="k", linewidth=0.4, **kwargs)
        ax.legend(title=result.by, fontsize=8)
    for i in t.nsmallest(label_top, "rank").index if "rank" in t else []:
        ax.annotate(names[i], (t.at[i, "share"], t.at[i, "severity"]), fontsize=7,
                    xytext=(4, 3), textcoords="offset points")
    ax.set_xlabel("share of texts mentioning it")
    ax.set_ylabel("mean severity")
    ax.set_title("Frequency x severity")
    return ax
