"""Profile heatmap: the index matrix of a :class:`~needlab.segment.profile.ProfileResult`.

matplotlib is imported inside the function so that ``import needlab`` stays light. The plot only
draws what the result holds (indices and significance marks).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from needlab._plotting import axes

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from needlab.segment.profile import ProfileResult

__all__ = ["profile_heatmap"]


def profile_heatmap(
    result: ProfileResult,
    ax: Axes | None = None,
    *,
    cmap: str = "RdBu_r",
    limit: float = 100.0,
    annotate: bool = True,
    **kwargs: Any,
) -> Axes:
    """Heatmap of profile indices: variables (rows) x segments (columns), centred at 100.

    Parameters
    ----------
    result : ProfileResult
        From :func:`needlab.segment.profile.profile`.
    ax : Axes, optional
        Where to draw; a new figure when omitted.
    cmap : str
        A diverging matplotlib colour map; red above 100, blue below with the default.
    limit : float
        Colours saturate at ``100 - limit`` and ``100 + limit``.
    annotate : bool
        Write the index and its significance mark (``+``/``-``) in each cell.
    **kwargs
        Passed to :meth:`matplotlib.axes.Axes.imshow`.

    Returns
    -------
    Axes
    """
    idx = result.wide("index")
    marks = result.wide("mark")
    values = idx.to_numpy(dtype=float)
    h = max(2.5, 0.35 * len(idx) + 1.2)
    w = max(4.0, 1.1 * idx.shape[1] + 3.0)
    ax = axes(ax, figsize=(w, h))
    image = ax.imshow(
        np.ma.masked_invalid(values),
        cmap=cmap,
        vmin=100 - limit,
        vmax=100 + limit,
        aspect="auto",
        **kwargs,
    )
    ax.set_xticks(range(idx.shape[1]), [str(c) for c in idx.columns])
    ax.set_yticks(range(len(idx)), [str(r) for r in idx.index])
    ax.set_xlabel(str(result.segment_name))
    if annotate:
        for i, j in zip(*np.nonzero(np.isfinite(values)), strict=True):  # cells, not rows of data
            mark = str(marks.iat[i, j] or "")
            ax.text(j, i, f"{values[i, j]:.0f}{mark}", ha="center", va="center", fontsize=8)
    ax.figure.colorbar(image, ax=ax, label="index (100 = total)")
    ax.set_title("Segment profile: index vs total")
    return ax
