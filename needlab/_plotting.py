"""Shared plotting pieces: the axes helper, the palette and the CJK font fallback.

Every ``plot.py`` gets its Axes from :func:`axes` (which makes sure Chinese labels have a font)
and its colours from :data:`PALETTE`. matplotlib is imported inside the functions, so importing
needlab stays fast.

**Chinese text.** The fonts matplotlib ships (DejaVu) have no Chinese characters, and a fresh
virtual environment on a server has no system CJK font either, so Chinese labels would be drawn
as empty boxes with a "Glyph ... missing from font(s)" warning. needlab depends on
``pylopdf-fonts-zh-cn``, which ships Noto Sans SC (SIL Open Font License 1.1) as a single OpenType
file. :func:`use_cjk_fallback` registers it with matplotlib's font manager (no network, no font
cache rebuild) and appends it to ``rcParams["font.family"]``: matplotlib (>= 3.6) then draws each
character with the first family of the list that has it, so Latin text keeps the default font
and only characters the default lacks come from Noto Sans SC.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure, SubFigure

__all__ = [
    "CJK_FAMILY",
    "PALETTE",
    "axes",
    "cjk_font_path",
    "get_renderer",
    "place_labels",
    "use_cjk_fallback",
]

PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)
"""Categorical colours (matplotlib's tab10), in order."""

CJK_FAMILY = "Noto Sans SC"
"""Family name of the bundled CJK fallback font."""

# CJK families a system may already have; used only when the bundled font cannot be imported.
_SYSTEM_CJK = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "PingFang SC",
    "SimHei",
    "WenQuanYi Zen Hei",
)

# The family registered by the first successful call (None: not yet tried; "": none found).
_fallback: str | None = None


def cjk_font_path() -> Path | None:
    """Path of the bundled Noto Sans SC font file, or ``None`` when the package is missing.

    Returns
    -------
    Path or None
        The ``.otf`` file shipped by the ``pylopdf-fonts-zh-cn`` dependency.
    """
    try:
        from pylopdf_fonts_zh_cn import sans_path
    except ImportError:  # pragma: no cover - it is a dependency; a broken install degrades
        return None
    path = Path(sans_path())
    return path if path.is_file() else None


def _register() -> str:
    """Add the CJK font to matplotlib's font manager once; return its family ("" if none)."""
    from matplotlib import font_manager

    path = cjk_font_path()
    if path is not None:
        known = {Path(f.fname) for f in font_manager.fontManager.ttflist}
        if path not in known:
            font_manager.fontManager.addfont(str(path))
        return CJK_FAMILY
    installed = {f.name for f in font_manager.fontManager.ttflist}  # pragma: no cover
    return next((name for name in _SYSTEM_CJK if name in installed), "")  # pragma: no cover


class _OneWeightFilter:
    """Drops matplotlib's "Failed to find font weight ..." notice for the one-weight CJK font."""

    def __init__(self, family: str) -> None:
        self.family = family

    def filter(self, record: Any) -> bool:
        message = record.getMessage()
        return not (
            message.startswith("findfont: Failed to find font weight") and self.family in message
        )


def use_cjk_fallback(figure: Figure | SubFigure | None = None) -> bool:
    """Make Chinese text render: a CJK font behind the default font in ``font.family``.

    The first call registers the bundled Noto Sans SC with matplotlib's font manager; every call
    makes sure ``rcParams["font.family"]`` ends with it (a user may have reset the family since),
    so calling it again changes nothing. Latin text keeps the first family of the list (DejaVu
    Sans by default); only characters that family lacks are drawn with the fallback. The network
    is never used.

    Parameters
    ----------
    figure : Figure, optional
        A figure made before the fallback was in place (a user's own Axes): its existing texts
        (title, axis labels, tick labels) get the fallback appended to their family too.

    Returns
    -------
    bool
        ``True`` when a CJK font is in place, ``False`` when none could be found (then Chinese
        characters are drawn as boxes, with matplotlib's warning).

    Examples
    --------
    >>> import matplotlib as mpl
    >>> use_cjk_fallback(), use_cjk_fallback()
    (True, True)
    >>> mpl.rcParams["font.family"][-1], mpl.rcParams["font.family"].count(CJK_FAMILY)
    ('Noto Sans SC', 1)
    """
    global _fallback
    import matplotlib as mpl

    if _fallback is None:
        _fallback = _register()
        if _fallback:  # the bundled font has one weight: bold CJK text is drawn regular, on purpose
            import logging

            logging.getLogger("matplotlib.font_manager").addFilter(_OneWeightFilter(_fallback))
    family = _fallback
    if not family:  # pragma: no cover - only without the font dependency and a system font
        return False
    current = list(mpl.rcParams["font.family"])
    if family not in current:
        mpl.rcParams["font.family"] = [*current, family]
    if figure is not None:
        from matplotlib.text import Text

        for text in figure.findobj(Text):
            if not isinstance(text, Text):  # findobj(Text) yields Text only; narrows the type
                continue
            families = list(text.get_fontfamily())
            if family not in families:
                text.set_fontfamily([*families, family])
    return True


def axes(ax: Axes | None = None, figsize: tuple[float, float] = (7, 4.5)) -> Axes:
    """Return *ax*, or the Axes of a new figure of *figsize* inches.

    Either way the CJK fallback font is in place (:func:`use_cjk_fallback`), so Chinese labels
    render; on a user's own *ax* the texts it already has get the fallback too.

    Parameters
    ----------
    ax : Axes, optional
        The Axes to draw on; a new figure is made when omitted.
    figsize : tuple of float, default (7, 4.5)
        Width and height in inches of the new figure.

    Returns
    -------
    Axes
    """
    if ax is None:
        use_cjk_fallback()
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=figsize)
        return ax
    use_cjk_fallback(ax.figure)
    return ax


def _overlap_free(boxes: Any, obs: Any, pad: float) -> Any:
    """Which of *boxes* (rows x0, y0, x1, y1, pixels) overlap none of *obs* (grown by *pad*)."""
    import numpy as np

    if not len(obs):
        return np.ones(len(boxes), dtype=bool)
    hit = (
        (boxes[:, None, 0] < obs[None, :, 2] + pad)
        & (boxes[:, None, 2] > obs[None, :, 0] - pad)
        & (boxes[:, None, 1] < obs[None, :, 3] + pad)
        & (boxes[:, None, 3] > obs[None, :, 1] - pad)
    )
    return ~hit.any(axis=1)


def get_renderer(fig: Any) -> Any:
    """The figure's renderer (to measure text extents before the figure is drawn)."""
    get = getattr(fig.canvas, "get_renderer", None)
    return get() if get is not None else fig._get_renderer()


def place_labels(
    ax: Axes,
    xy: Any,
    labels: Sequence[str],
    radius: Any,
    *,
    obstacles: Sequence[Any] = (),
    fontsize: float = 7,
    colors: Sequence[str] | None = None,
    leader: str = "0.35",
) -> list[Any]:
    """Label the points *xy* (data coordinates, in priority order) so that no labels overlap.

    Each label is measured with the renderer and tried at candidate places around its point,
    nearest first (right, left, above, below, then further out); it takes the first place
    inside the axes that overlaps no label placed before it and no box of *obstacles* (e.g. a
    legend's window extent), avoiding the markers (*radius*: their radii in pixels) when it
    can. A label placed away from its point gets a leader line (colour *leader*) to it; a label
    that fits nowhere is left out. Places hold for the figure size at drawing time, so fix the
    axis limits (and the aspect) before calling. The same algorithm as the pain-point
    frequency-severity matrix.

    Returns
    -------
    list of Annotation
        The labels drawn (offset-point annotations without arrows), in the order placed.
    """
    import numpy as np

    if not len(labels):
        return []
    fig = ax.figure
    renderer = get_renderer(fig)
    pts = ax.transData.transform(np.asarray(xy, float))
    rad = np.broadcast_to(np.asarray(radius, float), (len(pts),))
    ab = ax.get_window_extent(renderer)
    px_per_pt = fig.dpi / 72.0
    hard = [(b.x0, b.y0, b.x1, b.y1) for b in obstacles]
    marks = np.column_stack([pts - rad[:, None], pts + rad[:, None]])
    gap = 2.0 * px_per_pt
    cols = list(colors) if colors is not None else ["black"] * len(labels)
    out = []
    for (px, py), r, text, color in zip(pts, rad, labels, cols, strict=True):
        ann = ax.annotate(
            text,
            (0.0, 0.0),
            xytext=(0.0, 0.0),
            textcoords="offset points",
            fontsize=fontsize,
            ha="left",
            va="bottom",
            color=color,
            zorder=4,
        )
        ann.xy = tuple(ax.transData.inverted().transform((px, py)))
        bb = ann.get_window_extent(renderer)
        w, h = bb.width, bb.height
        d = r + gap
        xs = (
            [d, -d - w, -w / 2]
            + [d + k * w / 2 for k in range(1, 4)]
            + [-d - w - k * w / 2 for k in range(1, 4)]
        )
        ys = [-h / 2] + [s * (k * h * 0.55) - h / 2 for k in range(1, 16) for s in (1, -1)]
        cand = np.array(
            [
                (dx, dy)
                for dy in ys
                for dx in xs
                if not (dx == -w / 2 and abs(dy + h / 2) < d + h / 2)
            ],
            float,
        )
        boxes = np.column_stack(
            [px + cand[:, 0], py + cand[:, 1], px + cand[:, 0] + w, py + cand[:, 1] + h]
        )
        nx = np.clip(px, boxes[:, 0], boxes[:, 2]) - px
        ny = np.clip(py, boxes[:, 1], boxes[:, 3]) - py
        dist = np.hypot(nx, ny)
        order = np.argsort(dist, kind="stable")
        inside = (
            (boxes[:, 0] >= ab.x0)
            & (boxes[:, 2] <= ab.x1)
            & (boxes[:, 1] >= ab.y0)
            & (boxes[:, 3] <= ab.y1)
        )
        ok_hard = inside & _overlap_free(boxes, np.asarray(hard, float).reshape(-1, 4), 1.0)
        ok_soft = ok_hard & _overlap_free(boxes, marks, 0.0)
        pick = next((i for i in order if ok_soft[i]), None)
        if pick is None:
            pick = next((i for i in order if ok_hard[i]), None)
        if pick is None:
            ann.remove()
            continue
        dx, dy = cand[pick]
        ann.xyann = (dx / px_per_pt, dy / px_per_pt)
        hard.append(tuple(boxes[pick]))
        if dist[pick] > d + 0.5 * h:  # moved away from its point: a leader line to it
            end = ax.transData.inverted().transform([(px, py), (px + nx[pick], py + ny[pick])])
            ax.plot(end[:, 0], end[:, 1], color=leader, lw=0.6, zorder=0.5)
        out.append(ann)
    return out
