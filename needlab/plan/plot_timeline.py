"""The plan timeline: a Gantt-like chart of the actions with the goals' deadlines as milestones.

matplotlib is imported inside the function so that ``import needlab`` stays light. The axis is
fixed by the plan's own dates (no "today" line, nothing depends on when it is drawn), so the
same plan always gives the same picture.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Literal

from needlab._plotting import PALETTE, axes
from needlab._types import Lang
from needlab._validate import check_option

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from needlab.plan.document import Plan

__all__ = ["timeline"]


def _say(value: object, lang: Lang) -> str:
    get = getattr(value, "get", None)
    if callable(get) and not isinstance(value, dict):
        return str(get(lang))
    return "" if value is None else str(value)


def _short(text: str, n: int = 38) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def timeline(
    plan: Plan,
    ax: Axes | None = None,
    *,
    by: Literal["owner", "goal"] = "owner",
    lang: Lang = "en",
) -> Axes:
    """Gantt-like chart of *plan*: one bar per action, one diamond per goal deadline.

    Rows from the top: a row of goal deadlines (a diamond per goal, labelled with its id, and a
    dotted vertical line at each deadline), then one row per action ordered by group and start
    date. Bars run from the action's start to the end of its end day (and diamonds sit at the end
    of the deadline day); bars are coloured by group:
    *by* ``"owner"`` groups actions by their responsible person or team, ``"goal"`` by the first
    goal they serve. The x axis spans the plan's own dates with a margin of 3% (at least a week)
    on each side.

    Parameters
    ----------
    plan : Plan
    ax : Axes, optional
        Axes to draw on; a new figure (height from the number of actions) when omitted.
    by : {"owner", "goal"}, default "owner"
        Grouping and colour of the bars.
    lang : {"en", "zh"}, default "en"
        Language of the labels.

    Returns
    -------
    Axes
        Bars have the gid ``action:<id>``; the milestones are one Line2D with the gid
        ``milestones`` holding one point per goal.

    Raises
    ------
    ConfigError
        *by* or *lang* is not one of the choices.
    """
    import matplotlib.dates as mdates

    from needlab.plan.document import PLAN_LABELS

    check_option(by, ("owner", "goal"), "by")
    check_option(lang, ("en", "zh"), "lang")
    words = PLAN_LABELS[lang]

    def group(a: object) -> str:
        if by == "owner":
            return _say(getattr(a, "responsible", None), lang) or words["to_assign"]
        goals = getattr(a, "goals", ())
        return goals[0] if goals else words["no_goal"]

    groups: list[str] = []
    for a in plan.actions:
        g = group(a)
        if g not in groups:
            groups.append(g)
    if by == "goal":
        order = [g.id for g in plan.goals]
        groups.sort(key=lambda g: (order.index(g) if g in order else len(order), g))
    colours = {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(groups)}
    actions = sorted(plan.actions, key=lambda a: (groups.index(group(a)), a.start, a.end, a.id))

    n = len(actions)
    ax = axes(ax, figsize=(9.0, max(2.5, 0.45 * (n + 2) + 1.2)))
    one_day = dt.timedelta(days=1)
    labels = []
    seen: set[str] = set()
    for row, a in enumerate(actions, start=1):
        g = group(a)
        x0 = mdates.date2num(a.start)
        width = mdates.date2num(a.end + one_day) - x0
        bars = ax.barh(
            row,
            width,
            left=x0,
            height=0.6,
            color=colours[g],
            edgecolor="white",
            label=g if g not in seen else "_nolegend_",
        )
        bars.patches[0].set_gid(f"action:{a.id}")
        seen.add(g)
        labels.append(_short(f"{a.id} {_say(a.description, lang)}"))

    deadlines = [mdates.date2num(g.deadline + one_day) for g in plan.goals]
    (marks,) = ax.plot(
        deadlines,
        [0] * len(deadlines),
        linestyle="none",
        marker="D",
        markersize=8,
        color="black",
        zorder=3,
        label="_nolegend_",
    )
    marks.set_gid("milestones")
    same_day: dict[float, list[str]] = {}  # goals sharing a deadline share one label
    for x, goal in zip(deadlines, plan.goals, strict=True):
        same_day.setdefault(x, []).append(goal.id)
    for x, ids in same_day.items():
        ax.axvline(x, color="0.6", linestyle=":", linewidth=0.8, zorder=0)
        ax.annotate(
            ", ".join(ids),
            (x, 0),
            xytext=(0, 7),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
        )

    dates = [a.start for a in plan.actions] + [a.end + one_day for a in plan.actions]
    dates += [g.deadline + one_day for g in plan.goals]
    lo, hi = mdates.date2num(min(dates)), mdates.date2num(max(dates))
    pad = max(7.0, 0.03 * (hi - lo))
    ax.set_xlim(lo - pad, hi + pad)
    ax.set_ylim(n + 0.7, -0.8)
    ax.set_yticks(range(n + 1), [words["deadlines"], *labels])
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.grid(axis="x", color="0.9", linewidth=0.6)
    ax.set_axisbelow(True)
    title = _say(plan.title, lang)
    ax.set_title(title)
    if groups:
        ax.legend(
            title=words["responsible"] if by == "owner" else words["goal"],
            fontsize=8,
            title_fontsize=8,
            loc="upper left",
            bbox_to_anchor=(1.01, 1.0),
            frameon=False,
        )
    return ax
