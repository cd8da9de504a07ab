"""Result-contract case of needlab.plan.measure (the lead wires it into contract_cases.py).

The builder measures the NPS of the sample's wave 1 per region with the survey weights; the rows
given are the respondents (21 without an answer to ``ltr`` are excluded and counted).
"""

from __future__ import annotations

from typing import Any

from needlab.plan.measure import kpi


def _kpi(sample: Any) -> tuple[Any, int]:
    df = sample.survey_wave1
    return kpi(df, "nps", weights="weight", by="region"), len(df)


CASES = {"KpiResult": _kpi}
