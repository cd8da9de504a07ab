"""Result-contract cases of needlab.plan (collected by tests/test_result_contract.py).

Each builder takes the sample and returns ``(result, rows given)``. AHP counts judgements, MaxDiff
long rows (respondent x task x item; one row has a missing choice, so its task is excluded),
priority tables needs (one has a missing criterion and ``missing="exclude"``), the backlog the
evidence keys of its inputs (a key without a need is excluded and listed).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from needlab.plan.ahp import ahp
from needlab.plan.backlog import needs_backlog
from needlab.plan.maxdiff import maxdiff
from needlab.plan.priority import priority_table


def _ahp(sample: Any) -> tuple[Any, int]:
    judgements = [
        ("importance", "urgency", 3),
        ("importance", "feasibility", 5),
        ("importance", "cost", 4),
        ("urgency", "feasibility", 2),
        ("urgency", "cost", 1),
        ("feasibility", "cost", 1 / 2),
    ]
    return ahp(judgements), len(judgements)


def _maxdiff(sample: Any) -> tuple[Any, int]:
    rng = np.random.default_rng(0)
    u = np.array([1.0, 0.5, 0.0, -0.5, -1.0])
    items = np.array(["N01", "N02", "N03", "N04", "N05"])
    rows = []
    for r in range(20):
        for t in range(5):
            shown = rng.choice(5, 3, replace=False)
            b = shown[np.argmax(u[shown] + rng.gumbel(size=3))]
            rest = shown[shown != b]
            w = rest[np.argmax(-u[rest] + rng.gumbel(size=2))]
            rows += [(r, t, items[s], 1 if s == b else -1 if s == w else 0) for s in shown]
    df = pd.DataFrame(rows, columns=["resp_id", "task", "item", "choice"])
    df["choice"] = df["choice"].astype(float)
    df.loc[0, "choice"] = np.nan
    return maxdiff(df), len(df)


def _priority(sample: Any) -> tuple[Any, int]:
    df = pd.DataFrame(
        {
            "need": ["N1", "N2", "N3", "N4"],
            "label_en": ["speed", "price", "app", "noise"],
            "importance": [4.5, 3.9, 3.2, np.nan],
            "urgency": [3.0, 4.0, 2.0, 1.0],
            "effort": [8.0, 3.0, 2.0, 1.0],
        }
    )
    res = priority_table(
        df,
        {"importance": 0.5, "urgency": 0.3, "effort": 0.2},
        direction={"effort": "cost"},
        missing="exclude",
    )
    return res, len(df)


def _backlog(sample: Any) -> tuple[Any, int]:
    kano = pd.DataFrame(
        {
            "feature": ["lock", "app", "voice"],
            "category": ["M", "A", "I"],
            "better": [0.2, 0.7, 0.3],
            "worse": [-0.8, -0.2, -0.1],
        }
    )
    mapping = pd.DataFrame(
        {
            "source": ["kano", "kano"],
            "key": ["lock", "app"],
            "need": ["N1", "N2"],
            "label_en": ["Safe lock", "Smart app"],
            "label_zh": ["门锁安全", "智能应用"],
        }
    )
    return needs_backlog(mapping, kano=kano), len(kano)


CASES = {
    "AhpResult": _ahp,
    "BacklogResult": _backlog,
    "MaxDiffResult": _maxdiff,
    "PriorityResult": _priority,
}
