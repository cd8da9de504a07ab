"""Plots of retention cohorts: the cohort x age heatmap and the retention curves.

matplotlib is imported inside the functions (through :func:`needlab._plotting.axes`) so that
``import needlab`` stays light. Cells that are not yet observable are left blank (never drawn
as 0).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from needlab._plotting import PALETTE, axes
from needlab._validate import check_option

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from needlab.plan.retention import RetentionResult

__all__ = ["LABELS", "plot_retention"]

LABELS = {
    "en": {
        "age": "Periods since acquisition ({period})",
        "cohort": "Acquisition cohort",
        "share": "Share of cohort active",
        "heat": "Retention by cohort (blank: not yet observable)",
        "curves": "Retention curves",
        "pooled": "All cohorts (weighted)",
    },
    "zh": {
        "age": "获客后期数 ({period})",
        "cohort": "获客批次",
        "share": "批次活跃占比",
        "heat": "各批次留存 (空白: 尚不可观察)",
        "curves": "留存曲线",
        "pooled": "全部批次 (加权)",
    },
}
"""Plot labels by language."""


def plot_retention(
    result: RetentionResult,
    ax: Axes | None = None,
    *,
    kind: Literal["heatmap", "curves"] = "heatmap",
    annotate: bool | None = None,
    **kwargs: Any,
) -> Axes:
    """Draw a :class:`~needlab.plan.retention.RetentionResult`.

    Parameters
    ----------
    result : RetentionResult
    ax : Axes, optional
        Drawn on a new figure when omitted.
    kind : {"heatmap", "curves"}, default "heatmap"
        ``"heatmap"``: cohorts (rows) x ages (columns), shares as colours; cells not yet
        observable are blank. ``"curves"``: one thin line per cohort and the pooled curve with
        its interval.
    annotate : bool, optional
        Write the shares (in %) into the heatmap cells; default when there are at most 15
        cohorts and 15 ages.
    **kwargs
        Passed to ``Axes.imshow`` (heatmap) or to ``Axes.plot`` for the pooled curve.

    Returns
    -------
    Axes
    """
    check_option(kind, ("heatmap", "curves"), "kind")
    text = LABELS[result.lang]
    m = result.matrix
    if kind == "heatmap":
        ax = axes(ax, figsize=(min(2 + 0.45 * m.shape[1], 14), min(1.5 + 0.3 * m.shape[0], 10)))
        values = np.ma.masked_invalid(m.to_numpy(dtype=float))
        kwargs.setdefault("cmap", "Blues")
        kwargs.setdefault("aspect", "auto")
        kwargs.setdefault("vmin", 0.0)
        kwargs.setdefault(
            "vmax",
            float(np.nanmax(m.to_numpy(dtype=float)[:, 1:]))
            if m.shape[1] > 1 and np.isfinite(m.to_numpy(dtype=float)[:, 1:]).any()
            else 1.0,
        )
        img = ax.imshow(values, **kwargs)
        ax.figure.colorbar(img, ax=ax, label=text["share"])
        ax.set_yticks(range(m.shape[0]), [str(c) for c in m.index])
        step = max(1, m.shape[1] // 12)
        ax.set_xticks(range(0, m.shape[1], step), [str(a) for a in m.columns[::step]])
        if annotate is None:
            annotate = m.shape[0] <= 15 and m.shape[1] <= 15
        if annotate:
            arr = m.to_numpy(dtype=float)
            for i, j in zip(*np.nonzero(np.isfinite(arr)), strict=True):
                ax.text(j, i, f"{100 * arr[i, j]:.0f}", ha="center", va="center", fontsize=7)
        ax.set_xlabel(text["age"].format(period=result.period))
        ax.set_ylabel(text["cohort"])
        ax.set_title(text["heat"])
        return ax
    ax = axes(ax)
    arr = m.to_numpy(dtype=float)
    ages = np.asarray(m.columns, dtype=float)
    for row in arr:
        ok = np.isfinite(row)
        ax.plot(ages[ok][1:], row[ok][1:], color=PALETTE[7], alpha=0.3, linewidth=0.8)
    c = result.curve[result.curve["age"] > 0]
    kwargs.setdefault("color", PALETTE[0])
    kwargs.setdefault("linewidth", 2)
    ax.plot(c["age"], c["retention"], marker="o", markersize=3, label=text["pooled"], **kwargs)
    ax.fill_between(c["age"], c["ci_low"], c["ci_high"], color=kwargs["color"], alpha=0.2)
    ax.set_xlabel(text["age"].format(period=result.period))
    ax.set_ylabel(text["share"])
    ax.set_ylim(0, None)
    ax.set_title(text["curves"])
    ax.legend()
    return ax
