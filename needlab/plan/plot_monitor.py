"""Plots of the monitor and the evaluation: KPI trends against targets, the status board and
before/after per goal.

matplotlib is imported inside the functions (through :func:`needlab._plotting.axes`); the plots
only draw what the results hold.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from needlab._plotting import PALETTE, axes

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from needlab.plan.evaluate import EvaluationResult
    from needlab.plan.monitor import MonitorResult

__all__ = ["before_after", "status_board", "trend"]

STATUS_COLOURS = {
    "achieved": PALETTE[2],
    "on track": "#98df8a",
    "at risk": PALETTE[1],
    "off track": PALETTE[3],
    "not yet measurable": PALETTE[7],
}


def trend(
    result: MonitorResult, ax: Axes | None = None, *, goal: str | None = None, **kwargs: Any
) -> Axes:
    """One goal's KPI per wave (default: the first goal): the estimate with its interval, the
    target as a dashed line, the straight trajectory from the baseline (at the first wave's
    date) to the target at the deadline, and filled markers where the change from the previous
    wave is significant (hollow otherwise). With ``by=``, one line per group.

    Parameters
    ----------
    result : MonitorResult
    ax : Axes, optional
    goal : str, optional
        The goal id.
    **kwargs
        Passed to ``Axes.errorbar``.

    Returns
    -------
    Axes
    """
    t = result.table
    gid = goal if goal is not None else str(t["goal"].iloc[0])
    g = t[t["goal"] == gid]
    if g.empty:
        raise ValueError(f"goal {gid!r} is not in the monitor; choose one of {t['goal'].unique()}.")
    ax = axes(ax)
    groups = [(None, g)] if result.by is None else list(g.groupby(result.by, sort=False))
    dated = g["date"].notna().all()
    for i, (level, d) in enumerate(groups):
        xs: Any = d["date"] if dated else np.arange(len(d))
        colour = PALETTE[i % len(PALETTE)]
        err = np.vstack([d["value"] - d["ci_low"], d["ci_high"] - d["value"]])
        kw = {"fmt": "-", "color": colour, "capsize": 3, **kwargs}
        ax.errorbar(xs, d["value"], yerr=err, label=None if level is None else str(level), **kw)
        sig = d["significant"].to_numpy(bool)
        ax.scatter(np.asarray(xs)[sig], d["value"].to_numpy()[sig], color=colour, zorder=3)
        ax.scatter(
            np.asarray(xs)[~sig], d["value"].to_numpy()[~sig], facecolor="white",
            edgecolor=colour, zorder=3,
        )  # fmt: skip
    row = g.iloc[-1]
    if pd.notna(row["target"]):
        ax.axhline(row["target"], color=PALETTE[3], ls="--", lw=1, label="target")
        if dated and pd.notna(row["baseline"]):
            ax.plot(
                [g["date"].iloc[0], row["deadline"]],
                [row["baseline"], row["target"]],
                color=PALETTE[7],
                ls=":",
                label="trajectory",
            )
    ax.set_title(f"{gid}: {row['kpi']} ({row['status_label']})")
    ax.set_ylabel(str(row["kpi"]))
    ax.legend(loc="best", fontsize="small")
    return ax


def status_board(result: MonitorResult, ax: Axes | None = None, **kwargs: Any) -> Axes:
    """The current status of every goal (and group) as coloured tiles with the latest value.

    Parameters
    ----------
    result : MonitorResult
    ax : Axes, optional
    **kwargs
        Passed to ``Axes.barh``.

    Returns
    -------
    Axes
    """
    cur = result.current()
    labels = cur["goal"].astype(str)
    if result.by is not None:
        labels = labels + " / " + cur[result.by].astype(str)
    ax = axes(ax, figsize=(7, 0.5 * len(cur) + 1.5))
    colours = [STATUS_COLOURS[s] for s in cur["status"]]
    y = np.arange(len(cur))[::-1]
    ax.barh(y, np.ones(len(cur)), color=colours, **kwargs)
    for yi, (_, r) in zip(y, cur.iterrows(), strict=True):
        value = "-" if pd.isna(r["value"]) else f"{r['value']:.1f}"
        target = "-" if pd.isna(r["target"]) else f"{r['target']:.1f}"
        ax.text(0.02, yi, f"{r['kpi']}: {value} (target {target}) - {r['status_label']}",
                va="center", fontsize="small")  # fmt: skip
    ax.set_yticks(y, list(labels))
    ax.set_xticks([])
    ax.set_xlim(0, 1)
    ax.set_title(result.title + " - status")
    return ax


def before_after(result: EvaluationResult, ax: Axes | None = None, **kwargs: Any) -> Axes:
    """Before and after per goal: paired bars with intervals, the target as a tick, a star on
    significant changes.

    Parameters
    ----------
    result : EvaluationResult
    ax : Axes, optional
    **kwargs
        Passed to ``Axes.bar``.

    Returns
    -------
    Axes
    """
    t = result.table
    ax = axes(ax, figsize=(max(5.0, 1.4 * len(t) + 2), 4.5))
    x = np.arange(len(t))
    wdt = 0.38
    for j, (col, lo, hi) in enumerate(
        (("before", "before_ci_low", "before_ci_high"), ("after", "after_ci_low", "after_ci_high"))
    ):
        v = t[col].to_numpy(float)
        err = np.vstack([v - t[lo].to_numpy(float), t[hi].to_numpy(float) - v])
        ax.bar(x + (j - 0.5) * wdt, v, wdt, yerr=np.nan_to_num(err), capsize=3,
               color=PALETTE[j], label=col, **kwargs)  # fmt: skip
    for xi, (_, r) in zip(x, t.iterrows(), strict=True):
        if pd.notna(r["target"]):
            ax.hlines(r["target"], xi - wdt, xi + wdt, color=PALETTE[3], lw=2)
        if bool(r["significant"]):
            top = np.nanmax([r["before_ci_high"], r["after_ci_high"]])
            ax.text(float(xi), top, "*", ha="center", va="bottom")
    ax.set_xticks(x, [f"{g}\n{k}" for g, k in zip(t["goal"], t["kpi"], strict=True)])
    ax.set_title(result.title)
    ax.legend(fontsize="small")
    return ax
