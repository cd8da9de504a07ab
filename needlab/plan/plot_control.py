"""Plot of a :class:`~needlab.plan.control.ControlChartResult`: points, centre line, limits,
signals and phases.

matplotlib is imported through :func:`needlab._plotting.axes`, so importing needlab stays light.
The plot draws only what the result holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from needlab._plotting import PALETTE, axes

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from needlab.plan.control import ControlChartResult

__all__ = ["control_plot"]

_TEXT = {
    "en": {
        "p": "p chart",
        "laney_p": "Laney p' chart",
        "xmr": "individuals (XmR) chart",
        "ewma": "EWMA chart",
        "cusum": "tabular CUSUM",
        "centre": "centre",
        "limits": "limits",
        "signal": "signal",
        "period": "period",
        "value": "value",
        "observed": "observed",
        "phase": "phase",
    },
    "zh": {
        "p": "p 控制图",
        "laney_p": "Laney p' 控制图",
        "xmr": "单值-移动极差（XmR）控制图",
        "ewma": "EWMA 控制图",
        "cusum": "表格式 CUSUM",
        "centre": "中心线",
        "limits": "控制限",
        "signal": "信号",
        "period": "时期",
        "value": "数值",
        "observed": "观测值",
        "phase": "阶段",
    },
}


def control_plot(result: ControlChartResult, ax: Axes | None = None, **kwargs: Any) -> Axes:
    """Draw the chart: the charted statistic over time, the centre line and the limits as stair
    steps (they change with ``n`` on p charts and with ``t`` on EWMA), points with a signal in
    red, and a dashed line where a new phase starts.

    For ``ewma`` the raw values are drawn faintly behind the EWMA; for ``cusum`` ``C+`` is drawn
    above 0 and ``-C-`` below, against ``+-H``.

    Parameters
    ----------
    result : ControlChartResult
    ax : Axes, optional
        Axes to draw on; a new figure when omitted.
    **kwargs
        Passed to the line of the charted statistic (e.g. ``color=``).

    Returns
    -------
    Axes
    """
    ax = axes(ax)
    text = _TEXT[result.lang]
    t = result.table
    has_dates = np.issubdtype(t["date"].to_numpy().dtype, np.datetime64)
    xs = t["date"].to_numpy() if has_dates else t["position"].to_numpy()
    colour = kwargs.pop("color", PALETTE[0])
    if result.kind == "cusum":
        ax.plot(xs, t["c_plus"], marker="o", ms=3, color=colour, label="C+", **kwargs)
        ax.plot(xs, -t["c_minus"], marker="o", ms=3, color=PALETTE[1], label="-C-")
        stat = np.where(t["c_plus"] >= t["c_minus"], t["c_plus"], -t["c_minus"])
    else:
        if result.kind == "ewma":
            ax.plot(xs, t["value"], color=PALETTE[7], alpha=0.4, lw=0.8, label=text["observed"])
            stat = t["ewma"].to_numpy()
        else:
            stat = t["value"].to_numpy()
        ax.plot(xs, stat, marker="o", ms=3, color=colour, label=text[result.kind], **kwargs)
    for ph in np.unique(t["phase"]):
        sel = (t["phase"] == ph).to_numpy()
        ax.step(xs[sel], t["centre"][sel], where="mid", color=PALETTE[2], lw=1)
        ax.step(xs[sel], t["ucl"][sel], where="mid", color=PALETTE[3], lw=1, ls="--")
        ax.step(xs[sel], t["lcl"][sel], where="mid", color=PALETTE[3], lw=1, ls="--")
    starts = np.flatnonzero(np.r_[False, np.diff(t["phase"].to_numpy()) != 0])
    for i in starts:
        ax.axvline(xs[i], color=PALETTE[7], ls=":", lw=1)
        ax.annotate(
            f"{text['phase']} {int(t['phase'].iloc[i])}",
            (xs[i], 1),
            xycoords=("data", "axes fraction"),
            va="top",
            fontsize=8,
        )
    sig = t["signal"].to_numpy()
    if sig.any():
        ax.scatter(
            xs[sig], np.asarray(stat)[sig], color="red", zorder=3, s=30, label=text["signal"]
        )
    ax.plot([], [], color=PALETTE[2], lw=1, label=text["centre"])
    ax.plot([], [], color=PALETTE[3], lw=1, ls="--", label=text["limits"])
    ax.set_title(text[result.kind])
    if has_dates:  # slanted dates never run into each other
        ax.tick_params(axis="x", labelrotation=30)
    ax.set_xlabel(text["period"])
    ax.set_ylabel(text["value"])
    ax.legend(fontsize=8, loc="best")
    return ax
