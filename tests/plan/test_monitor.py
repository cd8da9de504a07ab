"""monitor() and the status rule: hand trajectories, the sample's planted changes, bad inputs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

import needlab as nl
from needlab.errors import ConfigError, SchemaError
from needlab.plan.document import Goal, Plan
from needlab.plan.monitor import STATUSES, goal_status, monitor


@pytest.fixture(scope="module")
def sample() -> Any:
    return nl.load_sample()


def _goal(
    kpi: str = "top2:sat_de_speed",
    baseline: float | None = 50.0,
    target: float | None = 60.0,
    deadline: str = "2026-01-01",
) -> Goal:
    note = None if baseline is not None else "measure first"
    when = dt.date.fromisoformat(deadline)
    return Goal("G1", "Goal", kpi, baseline, target, when, "Owner", baseline_note=note)


def _traj(
    values: list[float], ses: list[float], dates: tuple[str, ...] = ("2024-01-01", "2025-01-01")
) -> pd.DataFrame:
    return pd.DataFrame({"date": list(dates), "value": values, "se": ses})


# ----------------------------------------------------------------------------- status rule
# Baseline 50 on 2024-01-01, target 60 by 2026-01-01 (731 days); "now" 2025-01-01 (366 days):
# the projection factor h = 731 / 366 = 1.997, so P = 50 + 1.997 (x - 50), SE_P = 1.997 se.


def test_status_on_track() -> None:
    # x = 55.5: P = 60.98 >= 60.
    assert goal_status(_traj([50, 55.5], [0, 1.0]), goal=_goal())[0] == "on track"


def test_status_at_risk() -> None:
    # x = 54: P = 57.99 < 60, but P + 1.96 * 1.997 * 1.5 = 63.86 >= 60.
    status, reason = goal_status(_traj([50, 54.0], [0, 1.5]), goal=_goal())
    assert status == "at risk" and "still inside the interval" in reason


def test_status_off_track() -> None:
    # x = 51: P = 52.0, P + 1.96 * 1.997 * 1.0 = 55.9 < 60.
    status, reason = goal_status(_traj([50, 51.0], [0, 1.0]), goal=_goal())
    assert status == "off track" and "misses the target 60" in reason


def test_status_achieved_needs_a_real_improvement() -> None:
    assert goal_status(_traj([50, 61.0], [0, 1.0]), goal=_goal())[0] == "achieved"
    # At the target but the interval reaches back to the baseline: not "achieved"; the
    # projection is far beyond the target, so on track.
    assert goal_status(_traj([50, 61.0], [0, 6.0]), goal=_goal())[0] == "on track"


def test_status_decrease_direction() -> None:
    g = _goal("bottom2:sat_de_speed", baseline=30.0, target=20.0)
    assert g.direction == "decrease"
    assert goal_status(_traj([30, 24.0], [0, 1.0]), goal=g)[0] == "on track"  # P = 18.0
    assert goal_status(_traj([30, 29.5], [0, 1.0]), goal=g)[0] == "off track"  # P = 29.0
    assert goal_status(_traj([30, 19.0], [0, 1.0]), goal=g)[0] == "achieved"


def test_status_after_the_deadline_uses_the_current_value() -> None:
    dates = ("2024-01-01", "2026-06-01")
    assert goal_status(_traj([50, 58.5], [0, 1.0], dates), goal=_goal())[0] == "at risk"
    assert goal_status(_traj([50, 55.0], [0, 1.0], dates), goal=_goal())[0] == "off track"


def test_status_not_yet_measurable_with_reasons() -> None:
    s, r = goal_status(_traj([50, 55.0], [0, 1.0]), goal=_goal(baseline=None, target=None))
    assert s == "not yet measurable" and "no baseline" in r
    s, r = goal_status(_traj([50], [1.0], ("2024-01-01",)), goal=_goal())
    assert s == "not yet measurable" and "after the baseline" in r
    t = _traj([50, np.nan], [0, np.nan])
    t["why"] = ["", "the group has no respondents in this wave"]
    s, r = goal_status(t, goal=_goal())
    assert s == "not yet measurable" and "no respondents" in r
    s, r = goal_status(_traj([50, 55.5], [0, 1.0]), goal=_goal(), lang="zh")
    assert s == "on track" and "目标值" in r
    with pytest.raises(SchemaError, match="date, value, se"):
        goal_status(pd.DataFrame({"value": [1.0]}), goal=_goal())


# ----------------------------------------------------------------------------- the sample

TRUTH_KPI = {  # truth.waves names (version-1 style) -> the vocabulary
    "top2_sat_de_speed": "top2:sat_de_speed",
    "top2_sat_de_condition": "top2:sat_de_condition",
    "nps": "nps",
    "top2_sat_as_speed": "top2:sat_as_speed",
    "top2_sat_as_solve": "top2:sat_as_solve",
    "top2_sat_us_perf": "top2:sat_us_perf",
    "top2_sat_pu_price": "top2:sat_pu_price",
    "top2_sat_in_ease": "top2:sat_in_ease",
}


def _truth_plan(truth: pd.DataFrame) -> Plan:
    goals = []
    for i, r in truth.reset_index(drop=True).iterrows():
        kpi = TRUTH_KPI[r["kpi"]]
        goals.append(Goal(f"G{i}", r["label"], kpi, float(r["wave1_true"]),
                          float(r["wave1_true"]) + 5, dt.date(2025, 12, 31), "Owner"))  # fmt: skip
    return Plan(goals=tuple(goals))


def test_planted_changes_flagged_and_null_changes_not(sample: Any) -> None:
    truth = sample.truth.waves
    r = monitor(
        _truth_plan(truth),
        {"w1": sample.survey_wave1, "w2": sample.survey_wave2},
        weights="weight",
        id="customer_id",
    )
    w2 = r.table[r.table["wave"] == "w2"].set_index("kpi")
    for _, t in truth.iterrows():
        row = w2.loc[TRUTH_KPI[t["kpi"]]]
        assert row["test"] == "cluster_t" and row["n_overlap"] > 500
        assert bool(row["significant"]) == bool(t["changed"]), t["kpi"]
        assert abs(row["value"] - t["wave2_true"]) < 4 * row["se"]
    assert "Benjamini-Hochberg" in " ".join(r.notes)
    assert r.n_used == 4000 and r.n_excluded == 0


def test_sample_plan_monitor_with_benchmarks(sample: Any) -> None:
    plan = Plan.from_yaml("data/sample/plan.yaml")
    waves = {"w1": sample.survey_wave1, "w2": sample.survey_wave2}
    r = monitor(plan, waves, weights="weight", id="customer_id", benchmarks=sample.competitors)
    cols = ["goal", "kpi", "wave", "value", "se", "ci_low", "ci_high", "change", "p", "p_adj",
            "test", "significant", "target", "status", "reason"]  # fmt: skip
    assert all(c in r.table.columns for c in cols)
    cur = r.current().set_index("goal")
    assert cur.loc["G1", "status"] == "on track"
    assert cur.loc["G2", "status"] in ("off track", "at risk")
    assert cur.loc["G4", "status"] == "not yet measurable"
    assert "no baseline" in str(cur.loc["G4", "reason"])
    assert set(r.table["status"]) <= set(STATUSES)
    b = r.benchmarks
    assert set(b["period"]) == {"2024H1", "2024H2"} and (b["kpi"] == "nps").all()
    lumo = b[(b["wave"] == "w2") & b["brand"].str.startswith("Lumo")]
    assert lumo["benchmark"].iloc[0] == pytest.approx(17.4)
    assert lumo["gap"].iloc[0] == pytest.approx(lumo["value"].iloc[0] - 17.4)
    assert r.summary()["goals"] == 4
    ax = r.plot()
    assert ax.get_title().startswith("G1")
    ax = r.plot(kind="status")
    assert len(ax.patches) == 4


def test_by_segment_and_an_empty_group(sample: Any) -> None:
    w1 = sample.survey_wave1.copy()
    w2 = sample.survey_wave2.copy()
    w2 = w2[w2["city_tier"] != 4]  # tier 4 has no respondents in wave 2
    plan = Plan(goals=(_goal("top2:sat_de_speed", 54.4, 64.4, deadline="2025-06-30"),))
    r = monitor(plan, [w1, w2], weights="weight", by="city_tier")
    t = r.table
    assert set(t["city_tier"]) == set(w1["city_tier"])
    empty = t[(t["city_tier"] == 4) & (t["wave"] == "wave 2")].iloc[0]
    assert np.isnan(empty["value"]) and empty["status"] == "not yet measurable"
    assert "no respondents" in empty["reason"]
    assert (t.loc[t["wave"] == "wave 2", "test"].isin(["z_proportion", ""])).all()


def test_waves_with_different_codebooks(sample: Any) -> None:
    w1 = sample.survey_wave1
    w2 = sample.survey_wave2.drop(columns=["sat_de_speed"]).assign(new_q=1)
    g2 = Goal("G2", "NPS", "nps", 6.5, 16.5, dt.date(2025, 12, 31), "O")
    plan = Plan(goals=(_goal("top2:sat_de_speed", 54.4, 64.4), g2))
    r = monitor(plan, {"w1": w1, "w2": w2})
    notes = " ".join(r.notes)
    assert "lacks column 'sat_de_speed'" in notes and "new_q" in notes
    row = r.table[(r.table["goal"] == "G1") & (r.table["wave"] == "w2")].iloc[0]
    assert row["status"] == "not yet measurable" and "sat_de_speed" in row["reason"]


def test_mismatched_plan_and_data(sample: Any) -> None:
    plan = Plan(goals=(_goal("top2:sat_no_such_item"),))
    with pytest.raises(SchemaError, match="sat_no_such_item.*none of the waves"):
        monitor(plan, [sample.survey_wave1])
    with pytest.raises(SchemaError, match="by='segment_x'"):
        monitor(Plan(goals=(_goal(),)), [sample.survey_wave1], by="segment_x")
    with pytest.raises(SchemaError, match="id column 'cid'"):
        monitor(Plan(goals=(_goal(),)), [sample.survey_wave1], id="cid")
    with pytest.raises(ConfigError, match="must be a Plan"):
        monitor(sample.survey_wave1, [sample.survey_wave1])
    with pytest.raises(SchemaError, match="brand, period, kpi, value"):
        monitor(Plan(goals=(_goal(),)), [sample.survey_wave1], benchmarks=pd.DataFrame({"a": [1]}))


def test_target_without_baseline_is_not_measurable(sample: Any) -> None:
    plan = Plan(goals=(_goal(baseline=None, target=None),))
    r = monitor(plan, [sample.survey_wave1, sample.survey_wave2], weights="weight")
    assert (r.table["status"] == "not yet measurable").all()
    assert r.table["reason"].str.contains("no baseline").all()
    assert r.table["test"].iloc[1] == "z_proportion"  # no id: independent waves


def test_asof_leaves_later_waves_out(sample: Any) -> None:
    r = monitor(Plan(goals=(_goal(),)), [sample.survey_wave1, sample.survey_wave2],
                asof="2024-06-30")  # fmt: skip
    assert r.n_used == 2000 and r.n_excluded == 2000
    assert "after asof" in " ".join(r.notes)


def test_status_deadline_before_the_baseline_date_is_not_measurable() -> None:
    status, reason = goal_status(_traj([50, 55.0], [0, 1.0]), goal=_goal(deadline="2023-06-30"))
    assert status == "not yet measurable"
    assert "deadline 2023-06-30 is not after the baseline date 2024-01-01" in reason


def test_monitor_false_and_true_positives_across_generator_seeds() -> None:
    # The monitor on freshly generated samples (seeds 1..12, 2,000 respondents a wave, a panel
    # linked by customer id): the planted null changes between waves 1 and 2 are flagged at
    # most at twice the stated alpha, and the planted real changes are flagged in most samples.
    alpha = 0.05
    null_flags, real_flags = [], []
    for seed in range(1, 13):
        s = nl.make_sample(seed, n_feedback=50, n_tickets=50)
        truth = s.truth.waves
        names = [k.replace("top2_", "top2:") for k in truth["kpi"]]
        doc = {
            "needlab_plan": 2,
            "title": "simulation",
            "goals": [
                {
                    "id": f"G{i}",
                    "objective": n,
                    "kpi": n,
                    "baseline": 0.0,
                    "target": 1.0,
                    "direction": "increase",
                    "deadline": "2026-12-31",
                    "owner": "x",
                }
                for i, n in enumerate(names)
            ],
        }
        import yaml

        plan = nl.Plan.from_yaml(yaml.safe_dump(doc))
        mon = nl.monitor(
            plan,
            {"w1": s.survey_wave1, "w2": s.survey_wave2},
            id="customer_id",
            weights="weight",
            alpha=alpha,
        )
        last = mon.table[mon.table["wave"] == "w2"].set_index("kpi")["significant"]
        for name, changed in zip(names, truth["changed"], strict=True):
            (real_flags if changed else null_flags).append(bool(last[name]))
    assert len(null_flags) >= 40
    assert np.mean(null_flags) <= 2 * alpha
    assert np.mean(real_flags) >= 0.8
