"""Prioritise and plan: scoring models with sensitivity, AHP and MaxDiff weights, the needs
backlog and the written plan of goals, KPIs and actions."""

from needlab.plan.ahp import RANDOM_INDEX, AhpResult, ahp
from needlab.plan.backlog import SOURCES, BacklogResult, needs_backlog
from needlab.plan.change import CHANGE_TESTS, ChangeTest, bh_adjust, compare_waves
from needlab.plan.control import ControlChartResult, control_chart
from needlab.plan.document import PLAN_VERSION, Action, Goal, Need, Plan, Text
from needlab.plan.evaluate import EvaluationResult, evaluate
from needlab.plan.kpis import KPI_FAMILIES, KpiFamily, KpiName, kpi_label, parse_kpi
from needlab.plan.maxdiff import MODEL, MaxDiffResult, maxdiff
from needlab.plan.measure import KpiResult, kpi, kpi_scores
from needlab.plan.monitor import STATUSES, MonitorResult, goal_status, monitor
from needlab.plan.presets import cost_benefit, kano_priority, opportunity, rice, wsjf
from needlab.plan.priority import PriorityResult, priority_table
from needlab.plan.retention import SBG, RetentionResult, retention_cohorts
from needlab.plan.service import ServiceTimeResult, service_times

__all__ = [
    "CHANGE_TESTS",
    "KPI_FAMILIES",
    "MODEL",
    "PLAN_VERSION",
    "RANDOM_INDEX",
    "SBG",
    "SOURCES",
    "STATUSES",
    "Action",
    "AhpResult",
    "BacklogResult",
    "ChangeTest",
    "ControlChartResult",
    "EvaluationResult",
    "Goal",
    "KpiFamily",
    "KpiName",
    "KpiResult",
    "MaxDiffResult",
    "MonitorResult",
    "Need",
    "Plan",
    "PriorityResult",
    "RetentionResult",
    "ServiceTimeResult",
    "Text",
    "ahp",
    "bh_adjust",
    "compare_waves",
    "control_chart",
    "cost_benefit",
    "evaluate",
    "goal_status",
    "kano_priority",
    "kpi",
    "kpi_label",
    "kpi_scores",
    "maxdiff",
    "monitor",
    "needs_backlog",
    "opportunity",
    "parse_kpi",
    "priority_table",
    "retention_cohorts",
    "rice",
    "service_times",
    "wsjf",
]
