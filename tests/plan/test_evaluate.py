"""evaluate(): before vs after, difference-in-differences, backlog evidence and the summary."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

import needlab as nl
from needlab.errors import ConfigError, SchemaError
from needlab.plan.document import Goal, Plan
from needlab.plan.evaluate import evaluate


def _plan() -> Plan:
    return Plan(goals=(Goal("G1", "Speed", "top2:q", 50.0, 60.0, dt.date(2026, 1, 1), "O",
                            needs=("N1",)),))  # fmt: skip


def _wave(p: float, n: int, date: str, seed: int, group: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    q = np.where(rng.uniform(size=n) < p, 5, 2)
    return pd.DataFrame({"q": q, "date": date, "ctrl": group})


def test_before_after_and_did_hand_check() -> None:
    tb, ta = _wave(0.5, 400, "2024-01-01", 1), _wave(0.62, 400, "2025-01-01", 2)
    cb, ca = _wave(0.5, 400, "2024-01-01", 3, 1), _wave(0.53, 400, "2025-01-01", 4, 1)
    r = evaluate(_plan(), pd.concat([tb, cb]), pd.concat([ta, ca]), control="ctrl")
    row = r.table.iloc[0]
    pb, pa = (tb["q"] == 5).mean() * 100, (ta["q"] == 5).mean() * 100
    assert row["before"] == pytest.approx(pb) and row["after"] == pytest.approx(pa)
    se_t = math.sqrt(pb * (100 - pb) / 400 + pa * (100 - pa) / 400)
    assert row["se_change"] == pytest.approx(se_t)
    qb, qa = (cb["q"] == 5).mean() * 100, (ca["q"] == 5).mean() * 100
    assert row["control_change"] == pytest.approx(qa - qb)
    se_c = math.sqrt(qb * (100 - qb) / 400 + qa * (100 - qa) / 400)
    assert row["did"] == pytest.approx((pa - pb) - (qa - qb))
    assert row["did_se"] == pytest.approx(math.hypot(se_t, se_c))
    assert row["status"] == "achieved"  # 62.2 >= 60 and the interval excludes 50
    assert r.summary_text.startswith("G1 (top2:q): 52.5 -> 62.2 (+9.8, significant); achieved")
    assert r.next_backlog == ()
    assert r.plot().get_title() == "Plan evaluation"
    # The same with the control's own waves.
    r2 = evaluate(_plan(), tb, ta, control=(cb, ca))
    assert r2.table["did"].iloc[0] == pytest.approx(row["did"])


def test_evidence_from_two_backlogs_and_chinese_summary() -> None:
    class B:  # a BacklogResult stand-in: only .table is read
        def __init__(self, t: pd.DataFrame) -> None:
            self.table = t

    before = B(pd.DataFrame({"need": ["N1", "N2"], "pain_frequency": [0.3, 0.1],
                             "worse": [-0.6, -0.2], "driver_share": [0.2, 0.1]}))  # fmt: skip
    after = B(pd.DataFrame({"need": ["N1", "N2"], "pain_frequency": [0.2, 0.15],
                            "worse": [-0.4, -0.3], "driver_share": [0.2, 0.1]}))  # fmt: skip
    tb, ta = _wave(0.5, 300, "2024-01-01", 1), _wave(0.5, 300, "2025-01-01", 2)
    r = evaluate(_plan(), tb, ta, before_backlog=before, after_backlog=after, lang="zh")  # type: ignore[arg-type]
    ev = r.evidence.set_index(["need", "evidence"])
    assert bool(ev.loc[("N1", "pain_frequency"), "improved"])  # fell
    assert bool(ev.loc[("N1", "worse"), "improved"])  # shrank towards 0
    assert not bool(ev.loc[("N2", "pain_frequency"), "improved"])
    assert "N2" in r.next_backlog
    assert "建议纳入下一轮规划" in r.summary_text


def test_bad_control() -> None:
    tb, ta = _wave(0.5, 50, "2024-01-01", 1), _wave(0.5, 50, "2025-01-01", 2)
    with pytest.raises(SchemaError, match="control='grp'"):
        evaluate(_plan(), tb, ta, control="grp")
    with pytest.raises(ConfigError, match="control="):
        evaluate(_plan(), tb, ta, control=(tb,))


def test_sample_before_after_with_panel() -> None:
    s = nl.load_sample()
    plan = Plan.from_yaml("data/sample/plan.yaml")
    r = evaluate(plan, s.survey_wave1, s.survey_wave2, id="customer_id", weights="weight")
    t = r.table.set_index("goal")
    assert t.loc["G1", "test"] == "cluster_t" and bool(t.loc["G1", "significant"])
    assert not bool(t.loc["G2", "significant"])
