"""Shared plotting pieces: the axes helper, the palette and the CJK font fallback.

Every ``plot.py`` gets its Axes from :func:`axes` (which makes sure Chinese labels have a font)
and its colours from :data:`PALETTE`. matplotlib is imported inside the functions, so importing
needlab stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["PALETTE", "axes"]

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


def axes(ax: Axes | None = None, figsize: tuple[float, float] = (7, 4.5)) -> Axes:
    """Return *ax*, or the Axes of a new figure of *figsize* inches."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=figsize)
    return ax
