"""Scoring presets: hand computations, published examples and bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import needlab as nl
from needlab.errors import ConfigError, DataError, SchemaError
from needlab.kano.classify import KanoResult
from needlab.plan.presets import cost_benefit, kano_priority, opportunity, rice, wsjf

# ----------------------------------------------------------------------------- RICE


def test_rice_published_example_nidup() -> None:
    # https://nidup.io/garden/rice-simple-prioritization-framework: (200 x 4 x 100%) / 5 = 160.
    df = pd.DataFrame(
        {"need": ["X"], "reach": [200], "impact": [4], "confidence": [1.0], "effort": [5]}
    )
    assert rice(df).table["score"].iloc[0] == pytest.approx(160)


def test_rice_published_table_as_percent() -> None:
    # https://unifiedproductgraph.org/frameworks/rice-scoring: the table scores
    # 60, 50, 30, 6, 4.8 with confidence on a 1-5 scale; read here as percentages (all in
    # (1, 100]) every score is divided by 100 and the order is the same.
    df = pd.DataFrame(
        {
            "need": ["template", "pdf", "copilot", "dashboards", "collab"],
            "reach": [5, 5, 4, 2, 3],
            "impact": [3, 2, 5, 4, 4],
            "confidence": [4, 5, 3, 3, 2],
            "effort": [1, 1, 2, 4, 5],
        }
    )
    res = rice(df)
    assert (res.table["score"] * 100).tolist() == pytest.approx([60, 50, 30, 6, 4.8])
    assert res.table["need"].tolist() == ["template", "pdf", "copilot", "dashboards", "collab"]
    assert any("percentages" in n for n in res.notes)
    assert res.method == "rice"


def test_rice_hand_and_ties() -> None:
    df = pd.DataFrame(
        {
            "need": ["a", "b", "c"],
            "reach": [100, 50, 10],
            "impact": [1, 2, 0.5],
            "confidence": [0.5, 0.5, 0.8],
            "effort": [2, 2, 1],
        }
    )
    t = rice(df).table.set_index("need")
    assert t["score"].to_dict() == pytest.approx({"a": 25, "b": 25, "c": 4})
    assert t["rank"].to_dict() == {"a": 1, "b": 1, "c": 3}
    assert t["tied"].to_dict() == {"a": True, "b": True, "c": False}


@pytest.mark.parametrize(
    ("col", "vals", "match"),
    [
        ("effort", [0, 2], r"effort column 'effort' must be > 0.*'a'"),
        ("effort", [-1, 2], r"'a'"),
        ("confidence", [0.5, 80], r"mixes shares and percentages.*'a'"),
        ("confidence", [150, 80], r"above 100.*'a'"),
        ("reach", [-5, 1], r"reach column 'reach' must be >= 0"),
        ("impact", [np.nan, 1], r"impact column 'impact' is missing for needs 'a'"),
    ],
)
def test_rice_bad_values(col: str, vals: list, match: str) -> None:
    df = pd.DataFrame(
        {
            "need": ["a", "b"],
            "reach": [1, 1],
            "impact": [1, 1],
            "confidence": [0.5, 0.5],
            "effort": [1, 1],
        }
    )
    df[col] = vals
    with pytest.raises(DataError, match=match):
        rice(df)


def test_rice_missing_column_and_duplicates() -> None:
    df = pd.DataFrame(
        {
            "need": ["a", "a"],
            "reach": [1, 1],
            "impact": [1, 1],
            "confidence": [0.5, 0.5],
            "effort": [1, 1],
        }
    )
    with pytest.raises(DataError, match="duplicated ids"):
        rice(df)
    with pytest.raises(SchemaError, match="'effort'"):
        rice(df.drop(columns="effort").assign(need=["a", "b"]))


# ----------------------------------------------------------------------------- WSJF


def test_wsjf_by_hand() -> None:
    df = pd.DataFrame(
        {
            "need": ["a", "b", "c"],
            "business_value": [8, 3, 1],
            "time_criticality": [5, 8, 1],
            "risk_reduction": [2, 1, 1],
            "job_size": [5, 2, 1],
        }
    )
    t = wsjf(df).table.set_index("need")
    assert t["cost_of_delay"].to_dict() == {"a": 15, "b": 12, "c": 3}
    assert t["score"].to_dict() == pytest.approx({"a": 3, "b": 6, "c": 3})
    assert t["rank"].to_dict() == {"b": 1, "a": 2, "c": 2}


def test_wsjf_bad_job_size() -> None:
    df = pd.DataFrame(
        {
            "need": ["a", "b"],
            "business_value": [1, 1],
            "time_criticality": [1, 1],
            "risk_reduction": [1, 1],
            "job_size": [0, 3],
        }
    )
    with pytest.raises(DataError, match=r"job size column 'job_size' must be > 0.*'a'"):
        wsjf(df)


# ----------------------------------------------------------------------------- cost-benefit


def test_cost_benefit_by_hand() -> None:
    # C = 100, B = 50 for 3 periods at 10%: PV = 45.4545 + 41.3223 + 37.5657 = 124.3426;
    # simple payback 100 / 50 = 2; discounted: after 2 periods 86.7769, the third adds
    # 37.5657: 2 + 13.2231 / 37.5657 = 2.3520.
    df = pd.DataFrame({"need": ["a", "b"], "cost": [100.0, 300.0], "benefit": [50.0, 50.0]})
    res = cost_benefit(df, periods=3, rate=0.1)
    t = res.table.set_index("need")
    pv = 50 / 1.1 + 50 / 1.21 + 50 / 1.331
    assert t.loc["a", "pv_benefit"] == pytest.approx(pv)
    assert t.loc["a", "npv"] == pytest.approx(pv - 100)
    assert t.loc["a", "bcr"] == pytest.approx(pv / 100)
    assert t.loc["a", "payback"] == pytest.approx(2.0)
    assert t.loc["a", "discounted_payback"] == pytest.approx(
        2 + (100 - 50 / 1.1 - 50 / 1.21) / (50 / 1.331)
    )
    assert t.loc[["b"], ["payback", "discounted_payback"]].isna().all(axis=None)
    assert any("payback not reached" in n and "'b'" in n for n in res.notes)
    assert t["rank"].to_dict() == {"a": 1, "b": 2}


def test_cost_benefit_zero_rate_and_period_column_and_npv() -> None:
    df = pd.DataFrame(
        {"need": ["a", "b"], "cost": [100.0, 10.0], "benefit": [30.0, 4.0], "T": [5, 2]}
    )
    res = cost_benefit(df, periods="T", rate=0.0, rank_by="npv")
    t = res.table.set_index("need")
    assert t["npv"].to_dict() == pytest.approx({"a": 50.0, "b": -2.0})
    assert t.loc["a", "discounted_payback"] == pytest.approx(100 / 30)
    assert t.loc["a", "payback"] == pytest.approx(100 / 30)
    assert res.table["need"].tolist() == ["a", "b"]


def test_cost_benefit_bad_input() -> None:
    df = pd.DataFrame({"need": ["a", "b"], "cost": [0.0, 10.0], "benefit": [1.0, 1.0]})
    with pytest.raises(DataError, match=r"cost column 'cost' must be > 0.*'a'"):
        cost_benefit(df)
    with pytest.raises(ConfigError, match="rate"):
        cost_benefit(df.assign(cost=[1, 2]), rate=-0.1)
    with pytest.raises(ConfigError, match="periods"):
        cost_benefit(df.assign(cost=[1, 2]), periods=0)
    with pytest.raises(DataError, match="whole numbers"):
        cost_benefit(df.assign(cost=[1, 2], T=[1.5, 2]), periods="T")


# ----------------------------------------------------------------------------- opportunity


def test_opportunity_by_hand_ulwick_variant() -> None:
    # Ulwick (2002, 2005): importance and satisfaction are the % rating 4 or 5 on a 1-5 scale,
    # divided by 10. imp: 3 of 4 in the top 2 -> 7.5; sat: 1 of 4 -> 2.5;
    # opportunity = 7.5 + max(7.5 - 2.5, 0) = 12.5. Second need: imp 5.0, sat 7.5 -> 5.0.
    df = pd.DataFrame(
        {"i1": [5, 5, 4, 2], "s1": [1, 2, 5, 3], "i2": [5, 4, 1, 1], "s2": [5, 4, 4, 1]}
    )
    res = opportunity(df, {"N1": ("i1", "s1"), "N2": ("i2", "s2")}, scale_max=5)
    t = res.table.set_index("need")
    cols = ["importance", "satisfaction", "score"]
    assert t.loc["N1", cols].to_numpy(float).tolist() == [7.5, 2.5, 12.5]
    assert t.loc["N2", cols].to_numpy(float).tolist() == [5.0, 7.5, 5.0]
    assert res.method == "opportunity" and res.n_used == 4


def test_opportunity_published_formula_examples() -> None:
    # Illustrations of the formula (decikit.com/en/frameworks/opportunity-scoring, after
    # Ulwick 2005): importance 9, satisfaction 3 -> 15; importance 9, satisfaction 9 -> 9.
    # Ten respondents: 90% top-2 importance; 30% (resp. 90%) top-2 satisfaction.
    imp = [5] * 9 + [1]
    df = pd.DataFrame({"i": imp, "s_low": [5] * 3 + [1] * 7, "s_high": [4] * 9 + [2]})
    t = opportunity(df, {"A": ("i", "s_low"), "B": ("i", "s_high")}, scale_max=5).table
    assert t.set_index("need")["score"].to_dict() == pytest.approx({"A": 15.0, "B": 9.0})


def test_opportunity_weights_and_by() -> None:
    df = pd.DataFrame(
        {
            "i": [5, 1, 5, 5],
            "s": [1, 1, 5, 1],
            "w": [3.0, 1.0, 1.0, 1.0],
            "seg": ["x", "x", "y", "y"],
        }
    )
    res = opportunity(df, {"N": ("i", "s")}, weights="w", by="seg", scale_max=5)
    t = res.table.set_index("seg")
    # x: importance 3/4 -> 7.5, satisfaction 0 -> score 15; y: imp 10, sat 5 -> 15
    assert t.loc["x", "importance"] == pytest.approx(7.5)
    assert t.loc["x", "score"] == pytest.approx(15.0)
    assert t.loc["y", "satisfaction"] == pytest.approx(5.0)
    assert res.table.columns[0] == "seg"


def test_opportunity_on_a_survey() -> None:
    # A Survey brings its weight column and its codebook scales (no scale note); the weighted
    # result equals the DataFrame call with weights= and scale_max= given explicitly.
    from needlab.io.read import LOAD_REPORT_COLUMNS, Survey

    s = nl.load_sample()
    df = s.survey_wave1
    survey = Survey(
        data=df, codebook=s.codebook_obj(), load_report=pd.DataFrame(columns=LOAD_REPORT_COLUMNS)
    )
    pairs = {"N": ("imp_cleaning_power", "sat_us_perf")}
    res = opportunity(survey, pairs, by="region")
    assert not any("highest answer observed" in n for n in res.notes)
    assert res.n_used + res.n_excluded == len(df)
    # by hand: importance 1-9 (codebook range) top-2 = 8, 9; satisfaction 1-5 top-2 = 4, 5
    w = df["weight"].to_numpy(float)
    for region, g in df.groupby("region"):
        wg = g["weight"].to_numpy(float)
        for col, lo, name in (
            ("imp_cleaning_power", 8, "importance"),
            ("sat_us_perf", 4, "satisfaction"),
        ):
            ok = g[col].notna().to_numpy()
            share = (wg * (g[col].to_numpy() >= lo) * ok).sum() / (wg * ok).sum()
            row = res.table[res.table["region"] == region]
            assert row[name].iloc[0] == pytest.approx(10 * share)
    assert len(w) == len(df)
    assert ((res.table["score"] >= 0) & (res.table["score"] <= 20)).all()


def test_opportunity_scale_from_data_noted_and_bad_input() -> None:
    df = pd.DataFrame({"i": [4, 3], "s": [1, 2]})
    res = opportunity(df, {"N": ("i", "s")})
    assert any("highest answer observed" in n for n in res.notes)
    with pytest.raises(DataError, match=r"'i' has answers above scale_max=3"):
        opportunity(df, {"N": ("i", "s")}, scale_max=3)
    with pytest.raises(ConfigError, match="pair"):
        opportunity(df, {"N": "i"})  # type: ignore[dict-item]
    with pytest.raises(ConfigError, match="pairs must map"):
        opportunity(df, {})
    with pytest.raises(SchemaError, match="'q'"):
        opportunity(df, {"N": ("q", "s")})
    with pytest.raises(DataError, match="negative"):
        opportunity(df, {"N": ("i", "s")}, weights=np.array([1.0, -1.0]))


# ----------------------------------------------------------------------------- Kano


def _kano() -> KanoResult:
    # speed: all (2, 5) -> M (worse -1, better 0); app: (1,3),(1,3),(2,3) -> A, A, I
    # privacy: (1, 5) O x2, (2, 5) M -> O; voice: (3, 3) -> I x3
    df = pd.DataFrame(
        {
            "a_f": [2, 2, 2],
            "a_d": [5, 5, 5],
            "b_f": [1, 1, 2],
            "b_d": [3, 3, 3],
            "c_f": [1, 1, 2],
            "c_d": [5, 5, 5],
            "d_f": [3, 3, 3],
            "d_d": [3, 3, 3],
        }
    )
    return nl.kano(
        df,
        {
            "speed": ("a_f", "a_d"),
            "app": ("b_f", "b_d"),
            "privacy": ("c_f", "c_d"),
            "voice": ("d_f", "d_d"),
        },
    )


def test_kano_priority_order_and_score() -> None:
    res = kano_priority(_kano())
    t = res.table
    assert t["need"].tolist() == ["speed", "privacy", "app", "voice"]
    assert t["category"].tolist() == ["M", "O", "A", "I"]
    s = t.set_index("need")
    # score = 2 (5 - tier) + key
    assert s.loc["speed", "score"] == pytest.approx(10 + 1.0)
    assert s.loc["privacy", "score"] == pytest.approx(8 + 1.0)
    assert s.loc["app", "score"] == pytest.approx(6 + 2 / 3)
    assert s.loc["voice", "score"] == pytest.approx(2 + 0.0)
    assert {"better", "worse"} <= set(t.columns)
    assert res.method == "kano"


def test_kano_priority_with_gaps_and_zh() -> None:
    res = kano_priority(_kano(), importance={"speed": -1.0, "privacy": 2.0}, lang="zh")
    t = res.table
    # speed is basic but met (gap <= 0): after the delighters
    assert t["need"].tolist() == ["privacy", "app", "speed", "voice"]
    assert t.set_index("need").loc["speed", "tier"] == "基本需求（已满足）"
    with pytest.raises(ConfigError, match="'nope'"):
        kano_priority(_kano(), importance={"nope": 1.0})
    with pytest.raises(ConfigError, match="KanoResult"):
        kano_priority(pd.DataFrame({"x": [1]}))  # type: ignore[arg-type]
