"""Plots of pain points: the problem tree, the journey map and the frequency-severity matrix.

matplotlib is imported inside each function so that ``import needlab`` stays light. The plots
draw what a :class:`~needlab.painpoints.matrix.PainMatrixResult` holds; they compute no
statistics.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from needlab._validate import preview
from needlab.errors import ConfigError, SchemaError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from needlab.painpoints.matrix import PainMatrixResult

__all__ = ["PAIN_COLORS", "STAGES", "journey_map", "problem_tree", "severity_matrix"]

#: One colour per pain type, used by every pain-point plot.
PAIN_COLORS = {
    "functional": "#4c72b0",
    "service": "#dd8452",
    "process": "#55a868",
    "value": "#c44e52",
}
#: Journey stages in customer order (unknown stages are drawn after these, in order of appearance).
STAGES = ("awareness", "purchase", "delivery", "installation", "use", "after_sales", "renewal")
_TYPES = tuple(PAIN_COLORS)
_VALUES = ("share", "severity", "priority", "n")


def _axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=figsize)
    return ax


def _need(result: PainMatrixResult, level: str, plot: str, segment: Any = None) -> pd.DataFrame:
    """The rows to draw: one group of a result at *level* (one segment of a ``by=`` result)."""
    if result.level != level:
        raise ConfigError(
            f"{plot} needs pain_matrix(..., level={level!r}); this result has level={result.level!r}."
        )
    t = result.table
    if result.by is None:
        if segment is not None:
            raise ConfigError(f"segment={segment!r} needs a result computed with by=.")
        return t
    groups = list(dict.fromkeys(t[result.by]))
    if segment is None:
        raise ConfigError(
            f"{plot} draws one group; this result is by {result.by!r}: pass segment= one of "
            f"{preview(groups)}, or compute pain_matrix without by=."
        )
    if segment not in groups:
        raise ConfigError(
            f"segment={segment!r} is not a value of {result.by!r}; choose one of {preview(groups)}."
        )
    return t[t[result.by] == segment].reset_index(drop=True)


def _check_value(t: pd.DataFrame, value: str) -> None:
    if value not in _VALUES or value not in t.columns:
        raise SchemaError(
            f"value={value!r} is not a column to draw; choose one of {list(_VALUES)}."
        )


def _ordered(values: pd.Series, order: tuple[str, ...]) -> list[str]:
    seen = list(dict.fromkeys(values.astype(str)))
    return [v for v in order if v in seen] + [v for v in seen if v not in order]


def problem_tree(
    result: PainMatrixResult,
    ax: Axes | None = None,
    *,
    top: int = 8,
    value: str = "share",
    segment: Any = None,
) -> Axes:
    """The problem tree: pain type -> its codes, as grouped horizontal bars.

    Each pain type is a block: a bold heading (the type and the mentions of the codes drawn,
    a text with two codes counting twice), then its ``top`` codes by ``value``, largest first,
    one bar each (the bar length is the table's ``value``; codes whose ``value`` is missing are
    not drawn). Needs ``pain_matrix(level="code")``; for a ``by=`` result pass ``segment=``.
    """
    t = _need(result, "code", "problem_tree", segment)
    _check_value(t, value)
    if not (isinstance(top, int) and top >= 1):
        raise ConfigError(f"top={top!r} must be a positive whole number.")
    ax = _axes(ax, (8, 0.32 * min(len(t) + 4, top * 4 + 4) + 1.5))
    labels, widths, colors, heading = [], [], [], []
    for ptype in _ordered(t["pain_type"], _TYPES):
        block = (
            t[t["pain_type"].astype(str) == ptype]
            .dropna(subset=[value])
            .nlargest(top, value, keep="first")
        )
        if block.empty:
            continue
        labels.append(f"{ptype} ({int(block['n'].sum())} mentions)")
        widths.append(np.nan)
        colors.append("none")
        heading.append(True)
        labels += [f"  {c} {n}" for c, n in zip(block["code"], block["name"], strict=True)]
        widths += block[value].tolist()
        colors += [PAIN_COLORS.get(ptype, "#8c8c8c")] * len(block)
        heading += [False] * len(block)
    y = np.arange(len(labels))[::-1]
    bars = ~np.asarray(heading, dtype=bool)
    ax.barh(
        y[bars],
        np.asarray(widths, float)[bars],
        color=[c for c, b in zip(colors, bars, strict=True) if b],
    )
    ax.set_yticks(y, labels)
    for tick, b in zip(ax.get_yticklabels(), heading, strict=True):
        if b:
            tick.set_fontweight("bold")
    ax.set_xlabel(value)
    ax.set_title(
        "Problem tree: pain type -> pain point" + (f" ({segment})" if segment is not None else "")
    )
    return ax


def journey_map(
    result: PainMatrixResult,
    ax: Axes | None = None,
    *,
    value: str = "share",
    cmap: str = "Reds",
    annotate: bool = True,
    segment: Any = None,
) -> Axes:
    """Heatmap of journey stage (columns, in customer order) x pain type (rows).

    Needs ``pain_matrix(level="stage_type")``; cells show ``value`` (share of texts by default,
    annotated in %). Cells without mentions (or with a missing value) are drawn as 0 and not
    annotated. For a ``by=`` result pass ``segment=``.
    """
    t = _need(result, "stage_type", "journey_map", segment)
    _check_value(t, value)
    if t.empty:
        raise ConfigError(
            "journey_map: the pain matrix has no rows (no text mentions a pain with a stage)."
        )
    stages = _ordered(t["stage"], STAGES)
    types = _ordered(t["pain_type"], _TYPES)
    # one row per stage x type, so a pivot (not a sum, which would turn a missing value into 0)
    m = (
        t.assign(stage=t["stage"].astype(str), pain_type=t["pain_type"].astype(str))
        .pivot(index="pain_type", columns="stage", values=value)
        .reindex(index=types, columns=stages)
    )
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
                ax.text(
                    j,
                    i,
                    txt,
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if v > 0.6 * top else "black",
                )
    ax.figure.colorbar(im, ax=ax, label=value)
    ax.set_title(
        "Journey map: pain type x stage" + (f" ({segment})" if segment is not None else "")
    )
    return ax


def severity_matrix(
    result: PainMatrixResult, ax: Axes | None = None, *, label_top: int = 10, **kwargs: Any
) -> Axes:
    """The frequency-severity matrix: share (x) by mean severity (y), bubble size = mentions.

    Dashed lines mark the medians that split the quadrants of ``result.table["quadrant"]``; the
    ``label_top`` highest-priority points are labelled (per segment with ``by=``). With ``by=``
    results, each segment gets its own colour (and the quadrants, computed within segment, get
    no lines). Rows without a severity are not drawn.
    """
    t = result.table.dropna(subset=["share", "severity"])
    ax = _axes(ax, (7.5, 5.5))
    key = {"code": "code", "pain_type": "pain_type", "stage": "stage"}.get(result.level)
    names = (
        t[key].astype(str) if key else t["stage"].astype(str) + " / " + t["pain_type"].astype(str)
    )
    size = 30 + 400 * t["n"] / max(float(t["n"].max()) if len(t) else 1.0, 1.0)
    if result.by is None:
        color = (
            [PAIN_COLORS.get(str(p), "#8c8c8c") for p in t["pain_type"]]
            if "pain_type" in t
            else "#4c72b0"
        )
        ax.scatter(
            t["share"],
            t["severity"],
            s=size,
            c=color,
            alpha=0.7,
            edgecolor="k",
            linewidth=0.4,
            **kwargs,
        )
        if len(t):
            ax.axvline(t["share"].median(), ls="--", c="grey", lw=0.8)
            ax.axhline(t["severity"].median(), ls="--", c="grey", lw=0.8)
    else:
        for seg, part in t.groupby(result.by, sort=False, observed=True):
            ax.scatter(
                part["share"],
                part["severity"],
                s=size[part.index],
                alpha=0.6,
                label=str(seg),
                edgecolor="k",
                linewidth=0.4,
                **kwargs,
            )
        ax.legend(title=result.by, fontsize=8)
    for i in t.index[(t["rank"] <= label_top).to_numpy()]:
        ax.annotate(
            names[i],
            (t.at[i, "share"], t.at[i, "severity"]),
            fontsize=7,
            xytext=(4, 3),
            textcoords="offset points",
        )
    ax.set_xlabel("share of texts mentioning it")
    ax.set_ylabel("mean severity")
    ax.set_title("Frequency x severity")
    return ax
