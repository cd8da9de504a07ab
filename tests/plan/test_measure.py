"""Tests of needlab.plan.measure: kpi_scores and kpi for every family of the KPI vocabulary.

Hand computations throughout; the NPS standard error is checked against the classical formula
``100 sqrt((p+ + p- - (p+ - p-)^2) / n_eff)`` and the issue's NPS hand case (30 vs 10 on 100
respondents each, promoters/detractors 50/20 vs 40/30: difference -20, SE 11.40, z -1.754,
p 0.079); on the sample, the planted wave-1 census values lie within 3 SE of the estimates.
"""

from __future__ import annotations

import math
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
import pytest
from scipy import stats

import needlab as nl
from needlab.errors import ConfigError, DataError, SchemaError
from needlab.io.codebook import Codebook
from needlab.io.read import LOAD_REPORT_COLUMNS, Survey
from needlab.plan.measure import KpiResult, kpi, kpi_scores

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def sample() -> Any:
    return nl.load_sample()


def _survey(
    df: pd.DataFrame, columns: dict, weight: str | None = "w", id: str | None = "rid"
) -> Survey:
    cb: dict[str, Any] = {"needlab_codebook": 1, "columns": columns}
    if weight:
        cb["weight"] = weight
    if id:
        cb["id"] = id
    return Survey(
        data=df,
        codebook=Codebook.from_dict(cb),
        load_report=pd.DataFrame(columns=LOAD_REPORT_COLUMNS),
    )


LIKERT = {"type": "likert", "values": {i: {"en": str(i)} for i in range(1, 6)}, "missing": [99]}


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rid": [1, 2, 3, 4, 5, 6, 7, 8],
            "sat": [5, 4, 3, 2, 1, 5, np.nan, 99],
            "ltr": [10, 9, 8, 7, 6, 0, 9, np.nan],
            "g": [1, 1, 1, 2, 2, 2, 2, 1],
            "w": [1.0, 2.0, 1.0, 1.0, 0.5, 1.5, 1.0, 1.0],
        }
    )


def _cols() -> dict:
    return {
        "rid": {"type": "id"},
        "sat": LIKERT,
        "ltr": {"type": "numeric", "range": [0, 10]},
        "g": {"type": "single", "values": {1: {"en": "A"}, 2: {"en": "B"}, 3: {"en": "C"}}},
        "w": {"type": "weight"},
    }


# --------------------------------------------------------------------------- survey families
def test_top2_unweighted_and_weighted_by_hand() -> None:
    df = _frame()
    # unweighted: answers 5,4,3,2,1,5 (NaN and 99 excluded): top-2 = 5,4,5 -> 3/6
    r = kpi(df, "top2:sat", missing=[99])
    row = r.table.iloc[0]
    assert row["value"] == pytest.approx(50.0)
    assert row["se"] == pytest.approx(100 * math.sqrt(0.25 / 6))
    assert row["n"] == 6 and row["n_eff"] == pytest.approx(6)
    assert r.n_used == 6 and r.n_excluded == 2
    assert "2 of 8 respondents excluded" in r.notes[0] and "missing codes [99] 1" in r.notes[0]
    # Wilson interval on n = 6
    lo, hi = 0.5 + 1.96**2 / 12, 1.96 * math.sqrt(0.25 / 6 + 1.96**2 / 144)
    d = 1 + 1.959964**2 / 6
    assert row["ci_low"] == pytest.approx(100 * (0.5 + 1.959964**2 / 12 - hi) / d, rel=1e-3)
    assert lo > 0
    # weighted: w = 1,2,1,1,0.5,1.5; top = rows 0,1,5 -> (1+2+1.5)/7
    r = kpi(df, "top2:sat", weights="w", missing=[99])
    w = np.array([1, 2, 1, 1, 0.5, 1.5])
    p = 4.5 / 7
    neff = w.sum() ** 2 / (w**2).sum()
    assert r.table["value"].iloc[0] == pytest.approx(100 * p)
    assert r.table["n_eff"].iloc[0] == pytest.approx(neff)
    assert r.table["se"].iloc[0] == pytest.approx(100 * math.sqrt(p * (1 - p) / neff))


def test_bottom2_mean_csat_by_hand() -> None:
    df = _frame()
    r = kpi(df, "bottom2:sat", weights="w", missing=[99])
    assert r.table["value"].iloc[0] == pytest.approx(100 * 1.5 / 7)  # codes 2 (w 1), 1 (w .5)
    r = kpi(df, "mean:sat", weights="w", missing=[99])
    x = np.array([5, 4, 3, 2, 1, 5.0])
    w = np.array([1, 2, 1, 1, 0.5, 1.5])
    m = (w * x).sum() / w.sum()
    v1, v2 = w.sum(), (w**2).sum()
    var = (w * (x - m) ** 2).sum() / (v1 - v2 / v1)
    assert r.table["value"].iloc[0] == pytest.approx(m)
    assert r.table["se"].iloc[0] == pytest.approx(math.sqrt(var / (v1**2 / v2)))
    assert r.table["ci_low"].iloc[0] == pytest.approx(m - 1.959964 * math.sqrt(var / (v1**2 / v2)))
    # unweighted mean: the classical s / sqrt(n)
    r = kpi(df, "csat_mean:sat", missing=[99])
    assert r.table["se"].iloc[0] == pytest.approx(stats.sem(x))
    # csat on an explicit 0-10 scale: top two = 9, 10
    r = kpi(df, "csat:ltr", scale=(0, 10))
    assert r.table["value"].iloc[0] == pytest.approx(100 * 3 / 7)
    # csat defaults to overall_sat
    df2 = pd.DataFrame({"overall_sat": [1, 10, 9, 5]})
    r = kpi(df2, "csat", scale=(1, 10))
    assert r.table["value"].iloc[0] == pytest.approx(50.0)


def test_nps_by_hand_and_se_identity() -> None:
    df = _frame()
    r = kpi(df, "nps", weights="w")
    # ltr 10,9,8,7,6,0,9 with w 1,2,1,1,.5,1.5,1: promoters 1+2+1 = 4, detractors .5+1.5 = 2
    W = 8.0
    pp, pd_ = 4 / W, 2 / W
    w = np.array([1, 2, 1, 1, 0.5, 1.5, 1])
    neff = w.sum() ** 2 / (w**2).sum()
    assert r.table["value"].iloc[0] == pytest.approx(100 * (pp - pd_))
    assert r.table["se"].iloc[0] == pytest.approx(
        100 * math.sqrt((pp + pd_ - (pp - pd_) ** 2) / neff)
    )
    rng = np.random.default_rng(3)
    for _ in range(20):
        n = int(rng.integers(20, 300))
        ltr = rng.integers(0, 11, n)
        wt = rng.uniform(0.2, 3, n)
        res = kpi(pd.DataFrame({"ltr": ltr, "w": wt}), "nps", weights="w").table.iloc[0]
        pp = wt[ltr >= 9].sum() / wt.sum()
        pd_ = wt[ltr <= 6].sum() / wt.sum()
        ne = wt.sum() ** 2 / (wt**2).sum()
        assert res["se"] == pytest.approx(100 * math.sqrt((pp + pd_ - (pp - pd_) ** 2) / ne))


def test_issue_nps_hand_case() -> None:
    # NPS 30 vs 10 on 100 respondents each, promoters/detractors 50/20 vs 40/30
    a = pd.DataFrame({"ltr": [10] * 50 + [7] * 30 + [3] * 20})
    b = pd.DataFrame({"ltr": [9] * 40 + [8] * 30 + [0] * 30})
    ra, rb = kpi(a, "nps").table.iloc[0], kpi(b, "nps").table.iloc[0]
    assert ra["value"] == pytest.approx(30.0) and rb["value"] == pytest.approx(10.0)
    assert ra["se"] == pytest.approx(100 * math.sqrt(0.61 / 100))
    assert rb["se"] == pytest.approx(100 * math.sqrt(0.69 / 100))
    se = math.hypot(ra["se"], rb["se"])
    z = (rb["value"] - ra["value"]) / se
    assert round(se, 2) == 11.40
    assert round(z, 3) == -1.754
    assert round(2 * stats.norm.sf(abs(z)), 3) == 0.079
    # the scores reproduce it too
    sa, sb = kpi_scores(a, "nps"), kpi_scores(b, "nps")
    assert sa["score"].mean() - sb["score"].mean() == pytest.approx(20.0)


def test_survey_equals_dataframe_with_weights() -> None:
    df = _frame()
    sv = _survey(df, _cols())
    for name in ("top2:sat", "bottom2:sat", "mean:sat", "nps", "csat:ltr"):
        a = kpi(sv, name)
        b = kpi(
            df, name, weights="w", id="rid", missing=[99], scale=(0, 10) if "ltr" in name else None
        )
        cols = ["value", "se", "ci_low", "ci_high", "n", "n_eff"]
        pd.testing.assert_frame_equal(a.table[cols], b.table[cols])
        assert a.n_excluded == b.n_excluded
    sa = kpi_scores(sv, "top2:sat")
    sb = kpi_scores(df, "top2:sat", weights="w", id="rid", missing=[99])
    pd.testing.assert_frame_equal(sa, sb)
    assert sa["id"].tolist() == [1, 2, 3, 4, 5, 6]
    # weights=False: unweighted analysis of a weighted survey
    u = kpi(sv, "top2:sat", weights=False).table["value"].iloc[0]
    assert u == pytest.approx(50.0)


def test_kpi_scores_columns_and_counts() -> None:
    sc = kpi_scores(_frame(), "top2:sat", weights="w")
    assert list(sc.columns) == ["id", "score", "weight"]
    assert sc["id"].isna().all()  # no id: rows cannot be linked
    assert sc.attrs["n_excluded"] == 2 and sc.attrs["kind"] == "proportion"
    assert any("don't know" in n for n in sc.attrs["notes"])  # 99 read as a missing code
    assert set(sc["score"]) <= {0.0, 100.0}


def test_by_groups_and_empty_group() -> None:
    df = _frame()
    r = kpi(df, "top2:sat", by="g", weights="w", missing=[99])
    t = r.table.set_index("g")
    # group 1: rows 0,1,2 (w 1,2,1; top 0,1) -> 3/4 ; group 2: rows 3,4,5 (w 1,.5,1.5; top 5) -> .5
    assert t.loc[1, "value"] == pytest.approx(75.0)
    assert t.loc[2, "value"] == pytest.approx(50.0)
    assert list(r.table.columns) == [
        "kpi", "g", "value", "se", "ci_low", "ci_high", "n", "n_eff", "unit",
    ]  # fmt: skip
    # a Survey declares group 3 (C), which has no respondents: a row, not a crash
    r = kpi(_survey(df, _cols()), "nps", by="g")
    t = r.table.set_index("g")
    assert list(t.index) == ["A", "B", "C"]
    assert t["value"].isna().to_numpy()[2] and t["n"].to_numpy()[2] == 0
    assert any("not measurable: no respondents" in n and "'C'" in n for n in r.notes)
    assert r.summary()["measurable groups"] == 2
    ax = r.plot()
    assert len(ax.get_yticklabels()) == 3
    # group of one respondent: no SE, noted
    one = pd.DataFrame({"ltr": [10, 9, 0], "g": ["x", "x", "y"]})
    r = kpi(one, "nps", by="g")
    assert np.isnan(r.table["se"].iloc[1]) and any("one respondent" in n for n in r.notes)


def test_survey_codebook_scale_and_missing_codes() -> None:
    # codebook scale 1-5 even if nobody answered 5: top two = 4, 5
    df = pd.DataFrame({"rid": [1, 2, 3], "sat": [4, 3, 99], "w": [1.0, 1.0, 1.0]})
    r = kpi(
        _survey(df, _cols() | {"ltr": {"type": "numeric"}, "g": {"type": "numeric"}}), "top2:sat"
    )
    assert r.table["value"].iloc[0] == pytest.approx(50.0)
    assert r.n_excluded == 1 and "missing codes [99] 1" in r.notes[0]
    # a DataFrame infers the scale from the answers and says so
    r = kpi(df, "top2:sat", missing=[99])
    assert r.table["value"].iloc[0] == pytest.approx(100.0)  # observed 3..4: top two = 3, 4
    assert any("taken from the answers observed" in n for n in r.notes)


def test_sample_truth_within_three_se(sample: Any) -> None:
    waves = sample.truth.waves
    df = sample.survey_wave1
    survey = Survey(
        data=df,
        codebook=sample.codebook_obj(),
        load_report=pd.DataFrame(columns=LOAD_REPORT_COLUMNS),
    )
    for data in (survey, df):
        for _, row in waves.iterrows():
            name = row["kpi"].replace("top2_", "top2:")  # version-1 names of the truth table
            res = kpi(data, name, weights="weight")
            t = res.table.iloc[0]
            assert abs(t["value"] - row["wave1_true"]) < 3 * t["se"], (name, t["value"])
            assert res.n_used + res.n_excluded == len(df)


# --------------------------------------------------------------------------- transactions
def _orders() -> pd.DataFrame:
    # windows with asof 2024-12-31, period 6M: base (2023-12-31, 2024-06-30], current after
    rows = [
        ("a", "2024-02-01"), ("a", "2024-08-01"),  # retained
        ("b", "2024-03-01"), ("b", "2024-04-01"),  # lost
        ("c", "2024-05-01"), ("c", "2024-09-01"), ("c", "2024-10-01"),  # retained, repeat
        ("d", "2024-07-01"), ("d", "2024-07-02"),  # new, repeat
        ("e", "2024-11-11"),  # new
        ("f", "2023-06-01"),  # before the windows
        ("g", None),  # missing date
    ]  # fmt: skip
    df = pd.DataFrame(rows, columns=["customer_id", "order_date"])
    df["channel"] = ["x", "x", "y", "y", "x", "x", "x", "y", "y", "x", "x", "x"]
    return df


def test_retention_churn_repeat_by_hand() -> None:
    df = _orders()
    r = kpi(df, "retention_rate", asof="2024-12-31")
    t = r.table.iloc[0]
    # base customers a, b, c; retained a, c
    assert t["value"] == pytest.approx(200 / 3) and t["n"] == 3
    assert t["se"] == pytest.approx(100 * math.sqrt(2 / 9 / 3))
    assert r.n_used == 10 and r.n_excluded == 2
    assert "missing customer or date 1" in r.notes[0] and "before the windows 1" in r.notes[0]
    c = kpi(df, "churn_rate", asof="2024-12-31").table.iloc[0]
    assert c["value"] == pytest.approx(100 / 3) and c["se"] == pytest.approx(t["se"])
    # repeat: current-window customers a (1), c (2), d (2), e (1) -> 2/4
    rp = kpi(df, "repeat_rate", asof="2024-12-31")
    assert rp.table["value"].iloc[0] == pytest.approx(50.0)
    assert rp.table["n"].iloc[0] == 4
    assert rp.n_used + rp.n_excluded == len(df)
    # by: a customer's group is the channel of their first order in the base window
    g = kpi(df, "retention_rate", asof="2024-12-31", by="channel").table.set_index("channel")
    assert g.loc["x", "value"] == pytest.approx(100.0)  # a (x) and c (x)
    assert g.loc["y", "value"] == pytest.approx(0.0)  # b (y)
    # default asof is the last date: 2024-11-11 -> base (2023-11-11, 2024-05-11]
    assert kpi(df, "retention_rate").table["n"].iloc[0] == 3


def test_transactions_non_iso_dates_and_order_ids() -> None:
    df = _orders()
    iso = kpi(df, "retention_rate", asof="2024-12-31").table
    d2 = df.copy()
    d2["order_date"] = pd.to_datetime(df["order_date"]).dt.strftime("%d/%m/%Y")
    d2.loc[d2["order_date"].isna(), "order_date"] = None
    other = kpi(d2, "retention_rate", asof="2024-12-31", dayfirst=True).table
    pd.testing.assert_frame_equal(iso, other)
    # several rows of one order count once with order=
    d3 = df.iloc[:10].copy()
    d3["order_id"] = ["o1", "o2", "o3", "o4", "o5", "o6", "o6", "o7", "o8", "o9"]
    rp = kpi(d3, "repeat_rate", asof="2024-12-31", order="order_id").table
    assert rp["value"].iloc[0] == pytest.approx(25.0)  # c's two rows are one order


# --------------------------------------------------------------------------- complaints
def _feedback() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": ["a", "a", "b", "c", "d", None],
            "date": ["2024-01-05", "2024-02-01", "2024-03-01", "2024-06-01", "2024-06-20", "2024-06-25"],
            "code": ["FUN.PAIRING", None, "SER.RUDE;FUN.PAIRING", "", "PRO.RETURN", ["FUN.PAIRING"]],
            "w": [1.0, 1.0, 2.0, 1.0, 1.0, 1.0],
        }
    )  # fmt: skip


def test_complaint_rate_by_hand() -> None:
    fb = _feedback()
    r = kpi(fb, "complaint_rate:FUN.PAIRING")
    assert r.table["value"].iloc[0] == pytest.approx(50.0)  # rows 0, 2, 5 of 6
    assert r.table["se"].iloc[0] == pytest.approx(100 * math.sqrt(0.25 / 6))
    r = kpi(fb, "complaint_rate")  # any code: rows 0, 2, 4, 5
    assert r.table["value"].iloc[0] == pytest.approx(400 / 6)
    r = kpi(fb, "complaint_rate:FUN.PAIRING", weights="w")
    assert r.table["value"].iloc[0] == pytest.approx(100 * 4 / 7)
    # per customer: a (yes), b (yes), c (no), d (no); the row without a customer is excluded
    r = kpi(fb, "complaint_rate:FUN.PAIRING", base="customers")
    assert r.table["value"].iloc[0] == pytest.approx(50.0) and r.table["n"].iloc[0] == 4
    assert r.n_excluded == 1 and "no customer id 1" in r.notes[0]
    # window: (2024-03-31, 2024-06-30] -> rows 3, 4, 5: one pairing complaint
    r = kpi(fb, "complaint_rate:FUN.PAIRING", period="3M", asof="2024-06-30")
    assert r.table["value"].iloc[0] == pytest.approx(100 / 3)
    assert r.n_used == 3 and r.n_excluded == 3
    r = kpi(fb, "complaint_rate:NOPE")
    assert r.table["value"].iloc[0] == 0.0 and any("does not occur" in n for n in r.notes)


def test_complaint_rate_coded_by_code_text_and_coding_result() -> None:
    fb = pd.DataFrame(
        {
            "text": ["App 配网一直失败，连不上wifi", "配送很快，很满意", "The app pairing keeps failing", None],
            "date": ["2024-01-01"] * 4,
        }
    )  # fmt: skip
    coded = nl.code_text(fb, "text")
    want = np.mean(["FUN.PAIRING" in c for c in coded.table["codes"][:3]]) * 100
    a = kpi(fb, "complaint_rate:FUN.PAIRING")
    b = kpi(coded, "complaint_rate:FUN.PAIRING")
    assert a.table["value"].iloc[0] == pytest.approx(want)
    pd.testing.assert_frame_equal(a.table, b.table)
    assert a.n_excluded == 1 and "not codable" in a.notes[0]
    with pytest.raises(ConfigError, match="FUN.PAIRNG.*not a code of the taxonomy.*FUN.PAIRING"):
        kpi(coded, "complaint_rate:FUN.PAIRNG")


# --------------------------------------------------------------------------- share
def test_share_read_without_se(sample: Any) -> None:
    comp = sample.competitors
    r = kpi(comp, "share:Lumo", period="2023H1")
    assert r.table["value"].iloc[0] == pytest.approx(11.5)
    assert r.table[["se", "ci_low", "ci_high"]].isna().all(axis=None)
    assert any("no standard error" in n for n in r.notes)
    assert r.n_used == 1 and r.n_used + r.n_excluded == len(comp)
    series = kpi(comp, "share:Lumo", by="period").table
    assert series["period"].tolist() == ["2023H1", "2023H2", "2024H1", "2024H2"]
    latest = kpi(comp, "share").table["value"].iloc[0]
    assert latest == series["value"].iloc[-1]
    with pytest.raises(DataError, match="brand 'Nobody'.*Lumo"):
        kpi(comp, "share:Nobody")
    dup = pd.concat([comp, comp.iloc[[2]]])
    with pytest.raises(DataError, match="same period"):
        kpi(dup, "share:Lumo", period="2023H1")
    with pytest.raises(ConfigError, match="takes no weights"):
        kpi(comp, "share", weights="value")


# --------------------------------------------------------------------------- service
def test_service_times_delegate_to_service_times() -> None:
    from needlab.plan.service import service_times

    tickets = pd.DataFrame(
        {
            "opened": pd.to_datetime(
                ["2024-05-01 09:00", "2024-05-01 10:00", "2024-05-02 08:00", "2024-05-03 12:00"]
            ),
            "responded": pd.to_datetime(
                pd.Series(["2024-05-01 10:00", "2024-05-01 12:00", "2024-05-02 09:00", None])
            ),
            "resolved": pd.to_datetime(
                pd.Series(["2024-05-01 21:00", "2024-05-04 10:00", None, None])
            ),
        }
    )
    opts: dict[str, Any] = {
        "first_response": "responded",
        "resolved": "resolved",
        "asof": "2024-05-04 12:00",
    }
    # by hand (Kaplan-Meier): resolution times 12 h and 72 h, two tickets open (censored at
    # 76 h and 24 h): S = 3/4 after 12 h, so 25% resolved within 48 h; the median is 72 h
    r = kpi(tickets, "resolution_time", **opts)
    assert r.table["value"].iloc[0] == pytest.approx(72.0) and r.table["unit"].iloc[0] == "hours"
    assert np.isnan(r.table["se"].iloc[0]) and any("no standard error" in n for n in r.notes)
    w = kpi(tickets, "within_standard:48", **opts)
    assert w.table["value"].iloc[0] == pytest.approx(25.0)
    ref = service_times(tickets, **opts, standard=48.0).table.set_index("measure")
    assert w.table["se"].iloc[0] == pytest.approx(ref.loc["resolution", "within_se"])
    f = kpi(tickets, "response_within:1.5", **opts)
    # responses after 1 h, 2 h, 1 h; one open: 2 of 4 within 1.5 h
    assert f.table["value"].iloc[0] == pytest.approx(50.0)
    assert w.n_used + w.n_excluded == len(tickets)
    with pytest.raises(ConfigError, match="standard"):
        kpi(tickets, "within_standard:48", standard=24.0, **opts)
    with pytest.raises(ConfigError, match="takes no weights"):
        kpi(tickets, "resolution_time", weights="x", **opts)


# --------------------------------------------------------------------------- bad input
def test_bad_inputs() -> None:
    df = _frame()
    with pytest.raises(SchemaError, match=r"'sat_speed'.*not found.*'sat'"):
        kpi(df, "top2:sat_speed")
    with pytest.raises(SchemaError, match="'overall_sat'"):
        kpi(df, "csat")
    with pytest.raises(ConfigError, match="not a survey KPI"):
        kpi_scores(df, "retention_rate")
    with pytest.raises(ConfigError, match="unknown KPI family"):
        kpi(df, "nsp")
    with pytest.raises(DataError, match=r"outside the scale 1 to 5: 99.*missing=\[99\]"):
        kpi(df, "top2:sat", scale=(1, 5))
    with pytest.raises(ConfigError, match="scale must be a pair"):
        kpi(df, "top2:sat", scale=(5, 1))
    with pytest.raises(ConfigError, match="0-10"):
        kpi(df, "nps", scale=(1, 5))
    with pytest.raises(DataError, match="'ltr'.*outside the scale 0 to 10"):
        kpi(pd.DataFrame({"ltr": [11, 3]}), "nps")
    with pytest.raises(DataError, match="non-numeric"):
        kpi(pd.DataFrame({"ltr": ["ten", 3]}), "nps")
    with pytest.raises(DataError, match="negative"):
        kpi(df.assign(w=-1.0), "nps", weights="w")
    with pytest.raises(ConfigError, match="lang"):
        kpi(df, "nps", lang="fr")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="ci must be"):
        kpi(df, "nps", ci=95)
    with pytest.raises(ConfigError, match=r"unknown option\(s\) \['custmer'\]"):
        kpi(df, "nps", custmer="x")
    with pytest.raises(SchemaError, match="by column 'grp'"):
        kpi(df, "nps", by="grp")
    with pytest.raises(DataError, match="duplicated ids"):
        kpi(df.assign(rid=1), "nps", id="rid")
    orders = _orders()
    with pytest.raises(ConfigError, match="period='6 months'.*'6M'"):
        kpi(orders, "retention_rate", period="6 months")
    with pytest.raises(ConfigError, match="takes no weights"):
        kpi(orders, "retention_rate", weights="w")
    with pytest.raises(SchemaError, match="'cust'"):
        kpi(orders, "retention_rate", customer="cust")
    with pytest.raises(ConfigError, match="asof="):
        kpi(orders, "retention_rate", asof="soon")
    with pytest.raises(DataError, match="order_date"):
        kpi(orders.assign(order_date="01/02/2024"), "retention_rate")
    with pytest.raises(ConfigError, match="base="):
        kpi(_feedback(), "complaint_rate", base="people")  # type: ignore[arg-type]
    with pytest.raises(SchemaError, match="code=.*text="):
        kpi(pd.DataFrame({"x": [1]}), "complaint_rate")


def test_result_contract(sample: Any) -> None:
    r = kpi(sample.survey_wave1, "nps", weights="weight")
    assert isinstance(r, KpiResult)
    assert r.n_used + r.n_excluded == len(sample.survey_wave1)
    s = r.summary()
    assert s["kpi"] == "nps" and s["value"] == pytest.approx(r.table["value"].iloc[0])
    assert "Net Promoter Score" in r._repr_html_()
    assert r.scores is not None and len(r.scores) == r.n_used
    assert kpi(sample.survey_wave1, "nps", lang="zh").title.startswith("指标")
    ax = r.plot()
    assert ax.get_title() == r.title
