"""Result-contract cases of the monitor and the evaluation (for tests/test_result_contract.py;
the lead merges CASES into tests/plan/contract_cases.py). Rows given: respondents of both waves."""

from __future__ import annotations

from typing import Any

from needlab.plan.document import Plan
from needlab.plan.evaluate import evaluate
from needlab.plan.monitor import monitor


def _plan(sample: Any) -> Plan:
    return Plan.from_yaml("data/sample/plan.yaml")


def _monitor(sample: Any) -> tuple[Any, int]:
    waves = {"w1": sample.survey_wave1, "w2": sample.survey_wave2}
    r = monitor(_plan(sample), waves, weights="weight", id="customer_id",
                benchmarks=sample.competitors)  # fmt: skip
    return r, len(sample.survey_wave1) + len(sample.survey_wave2)


def _evaluate(sample: Any) -> tuple[Any, int]:
    r = evaluate(_plan(sample), sample.survey_wave1, sample.survey_wave2, weights="weight",
                 id="customer_id")  # fmt: skip
    return r, len(sample.survey_wave1) + len(sample.survey_wave2)


CASES = {"MonitorResult": _monitor, "EvaluationResult": _evaluate}
