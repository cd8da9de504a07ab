"""Prioritise and plan: scoring models with sensitivity, AHP and MaxDiff weights, the needs
backlog and the written plan of goals, KPIs and actions."""

from needlab.plan.ahp import RANDOM_INDEX, AhpResult, ahp
from needlab.plan.backlog import SOURCES, BacklogResult, needs_backlog
from needlab.plan.document import PLAN_VERSION, Action, Goal, Need, Plan, Text
from needlab.plan.kpis import KPI_FAMILIES, KpiFamily, KpiName, kpi_label, parse_kpi
from needlab.plan.maxdiff import MODEL, MaxDiffResult, maxdiff
from needlab.plan.presets import cost_benefit, kano_priority, opportunity, rice, wsjf
from needlab.plan.priority import PriorityResult, priority_table

__all__ = [
    "KPI_FAMILIES",
    "MODEL",
    "PLAN_VERSION",
    "RANDOM_INDEX",
    "SOURCES",
    "Action",
    "AhpResult",
    "BacklogResult",
    "Goal",
    "KpiFamily",
    "KpiName",
    "MaxDiffResult",
    "Need",
    "Plan",
    "PriorityResult",
    "Text",
    "ahp",
    "cost_benefit",
    "kano_priority",
    "kpi_label",
    "maxdiff",
    "needs_backlog",
    "opportunity",
    "parse_kpi",
    "priority_table",
    "rice",
    "wsjf",
]
