"""Drawing of the io results (:class:`~needlab.io.quality.QualityReport`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from needlab._plotting import PALETTE, axes

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from needlab.io.quality import QualityReport

__all__ = ["SEVERITY_COLOURS", "plot_quality"]

SEVERITY_COLOURS = {"error": PALETTE[3], "warning": PALETTE[1], "info": PALETTE[7]}
"""Bar colour of each finding severity (red, orange, grey)."""

_MAX_BARS = 30


def plot_quality(report: QualityReport, ax: Axes | None = None, **kwargs: Any) -> Axes:
    """Draw :meth:`QualityReport.plot`: one bar per finding, its share of respondents."""
    t = report.table
    order = {"error": 0, "warning": 1, "info": 2}
    rank = t.assign(_o=t["severity"].map(order), _s=-t["share"]).sort_values(
        ["_o", "_s"], kind="stable"
    )
    shown = rank.iloc[:_MAX_BARS]
    ax = axes(ax, figsize=(7, max(2.5, 0.3 * len(shown) + 1.2)))
    if not len(shown):
        ax.text(0.5, 0.5, "no findings", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return ax
    shown = shown.iloc[::-1]  # first finding on top
    labels = [
        f"{c}: {col}" if col else str(c)
        for c, col in zip(shown["check"], shown["column"], strict=True)
    ]
    y = np.arange(len(shown))
    kwargs.setdefault("color", [SEVERITY_COLOURS[s] for s in shown["severity"]])
    ax.barh(y, shown["share"].to_numpy(dtype=float), **kwargs)
    ax.set_yticks(y, labels)
    ax.set_xlim(0, 1)
    ax.set_xlabel(f"share of respondents (n = {report.n_used})")
    more = f" (top {len(shown)} of {len(t)})" if len(t) > len(shown) else ""
    ax.set_title("Data-quality findings" + more)
    from matplotlib.patches import Patch

    present = [s for s in order if (shown["severity"] == s).any()]
    ax.legend(
        handles=[Patch(color=SEVERITY_COLOURS[s], label=s) for s in present],
        loc="lower right",
        frameon=False,
    )
    return ax
