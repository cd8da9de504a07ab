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

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure, SubFigure

__all__ = ["CJK_FAMILY", "PALETTE", "axes", "cjk_font_path", "use_cjk_fallback"]

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
