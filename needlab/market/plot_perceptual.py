"""The perceptual map of a :class:`~needlab.market.perceptual.PerceptualMap`: a symmetric CA map.

matplotlib is imported inside the function (through :func:`needlab._plotting.axes`), so that
``import needlab`` stays light. The plot draws what the result holds; it computes no statistics.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from needlab._plotting import PALETTE, axes, place_labels
from needlab._validate import check_count

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from needlab.market.perceptual import PerceptualMap

__all__ = ["perceptual_biplot"]

_LABELS = {
    "en": {
        "axis": "Dimension {k} ({share:.1f}% of inertia)",
        "title": "Perceptual map (symmetric map, {share:.1f}% of inertia shown)",
        "rows": "brands",
        "cols": "attributes",
        "sup": "supplementary",
    },
    "zh": {
        "axis": "维度 {k}（占总惯量 {share:.1f}%）",
        "title": "感知图（对称图，展示总惯量的 {share:.1f}%）",
        "rows": "品牌",
        "cols": "属性",
        "sup": "补充点",
    },
}


def perceptual_biplot(
    result: PerceptualMap,
    ax: Axes | None = None,
    *,
    label_top: int = 40,
    fontsize: float = 8,
    **kwargs: Any,
) -> Axes:
    """Draw the symmetric map: rows (brands) and columns (attributes) in principal coordinates.

    Dimension 1 on x and dimension 2 on y (a one-dimensional solution is drawn at y = 0), with
    equal scales on both axes (distances on the map are chi-square distances, so the aspect is
    1). Brands are filled circles, attributes filled triangles in a second colour;
    supplementary points are hollow. Axis titles give each dimension's share of the total
    inertia; the title states the map type and the share shown, in the result's ``lang``.
    Labels are placed so that none overlaps another, the legend or a marker where avoidable
    (:func:`needlab._plotting.place_labels`); at most ``label_top`` points are labelled, brands
    first, then attributes by their quality of representation. A label with no free place
    inside the axes is left out. ``**kwargs`` go to ``Axes.scatter`` (e.g. ``s=``).
    """
    label_top = check_count(label_top, "label_top")
    lang = result.lang if result.lang in _LABELS else "en"
    lab = _LABELS[lang]
    t = result.table
    x = t["dim1"].to_numpy(float)
    y = t["dim2"].to_numpy(float) if "dim2" in t else np.zeros(len(t))
    ax = axes(ax, (7.5, 6.5))
    size = float(kwargs.pop("s", 36))
    handles = []
    for kind, marker, color, name in (
        ("row", "o", PALETTE[0], lab["rows"]),
        ("col", "^", PALETTE[3], lab["cols"]),
    ):
        for sup in (False, True):
            m = ((t["kind"] == kind) & (t["supplementary"] == sup)).to_numpy()
            if not m.any():
                continue
            h = ax.scatter(
                x[m],
                y[m],
                s=size,
                marker=marker,
                facecolors="none" if sup else color,
                edgecolors=color,
                linewidths=1.0,
                zorder=3,
                label=f"{name} ({lab['sup']})" if sup else name,
                **kwargs,
            )
            handles.append(h)
    ax.axhline(0, color="0.6", lw=0.7, ls="--", zorder=0)
    ax.axvline(0, color="0.6", lw=0.7, ls="--", zorder=0)
    shares = 100 * result.inertia["share"].to_numpy(float)
    ax.set_xlabel(lab["axis"].format(k=1, share=shares[0]))
    if len(shares) > 1:
        ax.set_ylabel(lab["axis"].format(k=2, share=shares[1]))
    shown = float(shares[: min(2, result.n_components)].sum())
    ax.set_title(lab["title"].format(share=shown))
    # equal scales, limits with room for the labels, then fix the layout before placing labels
    ax.margins(0.15)
    ax.set_aspect("equal", adjustable="datalim")
    legend = ax.legend(handles=handles, fontsize=fontsize, loc=_free_corner(x, y))
    fig = ax.figure
    fig.canvas.draw()  # applies the aspect: the limits are final now
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    xlim, ylim = ax.get_xlim(), ax.get_ylim()
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    is_row = (t["kind"] == "row").to_numpy()
    quality = t["quality"].fillna(0.0).to_numpy(float)
    order = np.lexsort((-quality, ~is_row))[:label_top]  # brands first, then by quality
    colors = [PALETTE[0] if is_row[i] else PALETTE[3] for i in order]
    radius = np.full(len(order), np.sqrt(size) / 2 * fig.dpi / 72)
    place_labels(
        ax,
        np.column_stack([x[order], y[order]]),
        [str(t["point"].iloc[i]) for i in order],
        radius,
        obstacles=[legend.get_window_extent(renderer)],
        fontsize=fontsize,
        colors=colors,
    )
    return ax


def _free_corner(
    x: np.ndarray, y: np.ndarray
) -> Literal["upper right", "upper left", "lower right", "lower left"]:
    """The corner of the map with the fewest points (for the legend)."""
    if not len(x):
        return "upper right"
    fx = (x - x.min()) / (float(np.ptp(x)) or 1.0)
    fy = (y - y.min()) / (float(np.ptp(y)) or 1.0)
    corners: dict[Literal["upper right", "upper left", "lower right", "lower left"], Any] = {
        "upper right": (fx > 0.6) & (fy > 0.6),
        "upper left": (fx < 0.4) & (fy > 0.6),
        "lower right": (fx > 0.6) & (fy < 0.4),
        "lower left": (fx < 0.4) & (fy < 0.4),
    }
    return min(corners, key=lambda k: int(corners[k].sum()))
