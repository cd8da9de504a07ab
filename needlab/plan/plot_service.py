"""Plot of service times: the share handled by each hour (1 - Kaplan-Meier) against the standard.

matplotlib is imported inside the function (through :func:`needlab._plotting.axes`) so that
``import needlab`` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from needlab._plotting import PALETTE, axes

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from needlab.plan.service import ServiceTimeResult

__all__ = ["LABELS", "plot_service"]

LABELS = {
    "en": {
        "x": "Hours since the request",
        "y": "Share handled (%)",
        "standard": "standard {h:g} h",
        "target": "target {p:g}%",
        "title": "Service times (Kaplan-Meier; open tickets censored)",
    },
    "zh": {
        "x": "请求后小时数",
        "y": "已处理占比 (%)",
        "standard": "标准 {h:g} 小时",
        "target": "目标 {p:g}%",
        "title": "服务时长 (Kaplan-Meier; 未结工单截尾)",
    },
}
"""Plot labels by language."""


def plot_service(
    result: ServiceTimeResult,
    ax: Axes | None = None,
    *,
    measure: str | None = None,
    band: bool = True,
    **kwargs: Any,
) -> Axes:
    """Step curves of the share handled by t hours, ``100 (1 - S(t))``, one per measure and
    group, with the standard (vertical line), the target (horizontal line) and the share at the
    standard marked.

    Parameters
    ----------
    result : ServiceTimeResult
    ax : Axes, optional
        Drawn on a new figure when omitted.
    measure : {"first_response", "resolution"}, optional
        Draw only this measure.
    band : bool, default True
        Shade the pointwise interval of each curve.
    **kwargs
        Passed to ``Axes.step``.

    Returns
    -------
    Axes
    """
    from needlab.plan.service import MEASURES

    text = LABELS[result.lang]
    ax = axes(ax)
    km = result.km
    table = result.table
    if measure is not None:
        km = km[km["measure"] == measure]
        table = table[table["measure"] == measure]
    keys = ["measure"] + ([result.by] if result.by is not None else [])
    for i, (key, part) in enumerate(km.groupby(keys, sort=False)):
        vals = key if isinstance(key, tuple) else (key,)
        name = MEASURES[str(vals[0])][result.lang]
        label = name if len(vals) == 1 else f"{name}: {vals[1]}"
        colour = PALETTE[i % len(PALETTE)]
        t = np.concatenate([[0.0], part["time"].to_numpy(dtype=float)])
        done = 100 * (1 - np.concatenate([[1.0], part["survival"].to_numpy(dtype=float)]))
        ax.step(t, done, where="post", color=colour, label=label, **kwargs)
        if band:
            lo = 100 * (1 - np.concatenate([[1.0], part["ci_high"].to_numpy(dtype=float)]))
            hi = 100 * (1 - np.concatenate([[1.0], part["ci_low"].to_numpy(dtype=float)]))
            ax.fill_between(t, lo, hi, step="post", color=colour, alpha=0.15)
        row = table
        for k, v in zip(keys, vals, strict=True):
            row = row[row[k] == v]
        if len(row) and np.isfinite(row["within_pct"].iloc[0]):
            ax.plot([result.standard], [row["within_pct"].iloc[0]], "o", color=colour)
    ax.axvline(
        result.standard,
        color=PALETTE[7],
        linestyle="--",
        label=text["standard"].format(h=result.standard),
    )
    ax.axhline(
        100 * result.target_share,
        color=PALETTE[3],
        linestyle=":",
        label=text["target"].format(p=100 * result.target_share),
    )
    ax.set_ylim(0, 100)
    ax.set_xlim(0, None)
    ax.set_xlabel(text["x"])
    ax.set_ylabel(text["y"])
    ax.set_title(text["title"])
    ax.legend(fontsize=8)
    return ax
