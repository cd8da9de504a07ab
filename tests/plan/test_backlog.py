"""needs_backlog: evidence pooling by hand, explicit/implicit, unlinked inputs, bad input, and the
planted sample needs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import needlab as nl
from needlab.errors import ConfigError, DataError, SchemaError
from needlab.plan.backlog import needs_backlog


@pytest.fixture
def mapping() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source": ["kano", "kano", "driver", "driver", "pain", "pain", "implicit"],
            "key": ["lock", "app", "sat_lock", "sat_lock2", "FUN.LOCK", "PRO.REFUND", "refund"],
            "need": ["N1", "N2", "N1", "N1", "N1", "N3", "N3"],
            "label_en": ["Safe lock"] * 1 + ["Smart app"] + ["Safe lock"] * 3 + ["Refunds"] * 2,
            "label_zh": [
                "门锁安全",
                "智能应用",
                "门锁安全",
                "门锁安全",
                "门锁安全",
                "退款",
                "退款",
            ],
        }
    )


@pytest.fixture
def kano() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "feature": ["lock", "app", "voice"],
            "category": ["M", "A", "I"],
            "better": [0.2, 0.7, 0.3],
            "worse": [-0.8, -0.2, -0.1],
        }
    )


@pytest.fixture
def drivers() -> pd.DataFrame:
    return pd.DataFrame({"driver": ["sat_lock", "sat_lock2"], "share": [0.25, 0.15]})


@pytest.fixture
def pains() -> pd.DataFrame:
    return pd.DataFrame(
        {"code": ["FUN.LOCK", "PRO.REFUND"], "share": [0.10, 0.04], "severity": [3.0, 2.0]}
    )


def test_pooled_evidence_by_hand(mapping, kano, drivers, pains) -> None:
    res = needs_backlog(mapping, kano=kano, drivers=drivers, pains=pains)
    t = res.table.set_index("need")
    # driver shares add up over a need's items: 0.25 + 0.15
    assert t.loc["N1", "driver_share"] == pytest.approx(0.40)
    assert t.loc["N1", "kano_category"] == "M"
    assert t.loc["N1", "pain_score"] == pytest.approx(0.10 * 3.0)
    assert t.loc["N3", "pain_score"] == pytest.approx(0.04 * 2.0)
    # no pain code linked: frequency 0, not missing
    assert t.loc["N2", "pain_frequency"] == 0.0
    # kano urgency: M -> 3 x |worse|, A -> 1 x better
    assert t.loc["N1", "kano_urgency"] == pytest.approx(3 * 0.8)
    assert t.loc["N2", "kano_urgency"] == pytest.approx(1 * 0.7)
    # N1 leads every criterion: rank 1, and its reason says why
    assert t.loc["N1", "rank"] == 1
    assert "basic need (Kano M" in t.loc["N1", "reason"]
    assert "10.0% of feedback" in t.loc["N1", "reason"]
    assert t.loc["N1", "source"] == "driver+kano+pain"


def test_score_is_priority_table_of_the_criteria(mapping, kano, drivers, pains) -> None:
    res = needs_backlog(mapping, kano=kano, drivers=drivers, pains=pains, scale="minmax")
    t = res.table.set_index("need")
    # equal weights (1/3) over kano_urgency, importance (driver share), pain_score; min-max
    # over the observed values, a missing value takes the worst normalised value (0):
    # kano_urgency N1 2.4, N2 0.7 -> 1, 0 (N3 none -> 0); importance: only N1 has drivers, a
    # constant criterion -> 0 for all (with a note); pain_score N1 0.3, N2 0, N3 0.08.
    assert t.loc["N1", "score"] == pytest.approx((1 + 0 + 1) / 3)
    assert t.loc["N2", "score"] == pytest.approx(0.0)
    assert t.loc["N3", "score"] == pytest.approx((0.08 / 0.3) / 3)
    assert list(res.criteria.index) == ["kano_urgency", "importance", "pain_score"]


def test_explicit_and_implicit(mapping, kano, pains) -> None:
    m = mapping.copy()
    m.loc[m["source"] == "pain", "source"] = "implicit"
    m.loc[m["key"] == "FUN.LOCK", "source"] = "pain"
    res = needs_backlog(m, kano=kano, pains=pains)
    t = res.table.set_index("need")
    assert bool(t.loc["N1", "explicit"]) and bool(t.loc["N2", "explicit"])
    # N3 rests only on implicit sources
    assert not bool(t.loc["N3", "explicit"])
    assert "implicit" in t.loc["N3", "reason"]
    # the mapping's explicit column overrides the rule
    m["explicit"] = np.where(m["need"] == "N2", "false", "")
    m["explicit"] = m["explicit"].replace("", np.nan)
    t2 = needs_backlog(m, kano=kano, pains=pains).table.set_index("need")
    assert not bool(t2.loc["N2", "explicit"])
    assert bool(t2.loc["N1", "explicit"])


def test_unlinked_inputs_are_listed_not_dropped(mapping, kano, drivers) -> None:
    res = needs_backlog(mapping, kano=kano, drivers=drivers)
    un = res.unlinked
    assert ("kano", "voice") in set(zip(un["source"], un["key"], strict=True))
    assert res.n_excluded == 1  # the voice feature
    assert res.n_used == 4  # lock, app, sat_lock, sat_lock2
    assert any("not linked" in n for n in res.notes)
    # mapping keys of a given source that the input lacks are listed too
    drivers2 = drivers.iloc[:1]
    un2 = needs_backlog(mapping, kano=kano, drivers=drivers2).unlinked
    assert "sat_lock2" in set(un2["key"])


def test_method_kano_orders_categories_first(kano) -> None:
    m = pd.DataFrame(
        {"source": "kano", "key": ["lock", "app", "voice"], "need": ["N1", "N2", "N3"]}
    )
    cost = {"N1": 900.0, "N2": 100.0, "N3": 10.0}
    weighted = needs_backlog(m, kano=kano, cost=cost, criteria={"cost": 1.0})
    assert weighted.table["need"].tolist() == ["N3", "N2", "N1"]
    ordered = needs_backlog(m, kano=kano, cost=cost, criteria={"cost": 1.0}, method="kano")
    assert ordered.table["need"].tolist() == ["N1", "N2", "N3"]


def test_labels_and_lang(mapping, kano) -> None:
    res = needs_backlog(mapping, kano=kano, lang="zh")
    t = res.table.set_index("need")
    assert t.loc["N1", "label"] == "门锁安全"
    assert "基本型需求" in t.loc["N1", "reason"]


def test_without_mapping_each_key_is_a_need(kano) -> None:
    res = needs_backlog(kano=kano)
    assert set(res.table["need"]) == {"lock", "app", "voice"}
    assert res.table.iloc[0]["need"] == "lock"


def test_pains_by_segment_top_segment() -> None:
    pains = pd.DataFrame(
        {
            "segment": ["a", "a", "b", "b"],
            "code": ["X", "Y", "X", "Y"],
            "share": [0.10, 0.30, 0.20, 0.05],
            "severity": [1.0, 1.0, 1.0, 1.0],
            "base": [100, 100, 300, 300],
        }
    )

    class Matrix:  # the PainMatrixResult attributes the backlog reads
        table = pains
        by = "segment"
        level = "code"

    m = pd.DataFrame({"source": "pain", "key": ["X", "Y"], "need": ["N1", "N2"]})
    sizes = pd.DataFrame({"segment": ["a", "b"], "size": [0.4, 0.6], "value": [0.7, 0.3]})
    t = needs_backlog(m, pains=Matrix(), segments=sizes).table.set_index("need")
    # pooled frequency: (0.1*100 + 0.2*300) / 400
    assert t.loc["N1", "pain_frequency"] == pytest.approx(70 / 400)
    assert t.loc["N1", "top_segment"] == "b"
    assert t.loc["N2", "top_segment"] == "a"
    assert t.loc["N2", "top_segment_size"] == 0.4
    assert t.loc["N2", "top_segment_value"] == 0.7


# ------------------------------------------------------------------------------ bad input
def test_no_evidence() -> None:
    with pytest.raises(ConfigError, match="needs evidence"):
        needs_backlog(pd.DataFrame({"source": [], "key": [], "need": []}))


def test_mapping_missing_columns(kano) -> None:
    with pytest.raises(SchemaError, match=r"lacks column\(s\) \['need'\]"):
        needs_backlog(pd.DataFrame({"source": ["kano"], "key": ["lock"]}), kano=kano)


def test_mapping_unknown_source(kano) -> None:
    m = pd.DataFrame({"source": ["kanoo"], "key": ["lock"], "need": ["N1"]})
    with pytest.raises(DataError, match=r"unknown value\(s\) \['kanoo'\]"):
        needs_backlog(m, kano=kano)


def test_key_linked_to_two_needs(kano) -> None:
    m = pd.DataFrame({"source": ["kano", "kano"], "key": ["lock", "lock"], "need": ["N1", "N2"]})
    with pytest.raises(DataError, match="more than one need"):
        needs_backlog(m, kano=kano)


def test_duplicate_need_ids_with_two_labels(kano) -> None:
    m = pd.DataFrame(
        {"source": "kano", "key": ["lock", "app"], "need": ["N1", "N1"], "label_en": ["a", "b"]}
    )
    with pytest.raises(DataError, match="different labels"):
        needs_backlog(m, kano=kano)


def test_empty_need(kano) -> None:
    m = pd.DataFrame({"source": ["kano"], "key": ["lock"], "need": [None]})
    with pytest.raises(DataError, match=r"empty 'need' in row\(s\) \[1\]"):
        needs_backlog(m, kano=kano)


def test_cost_must_be_positive(mapping, kano) -> None:
    with pytest.raises(DataError, match=r"cost= must be > 0; need\(s\) \['N2'\]"):
        needs_backlog(mapping, kano=kano, cost={"N1": 10.0, "N2": 0.0, "N3": 5.0})


def test_attribute_for_unknown_need(mapping, kano) -> None:
    with pytest.raises(DataError, match=r"need id\(s\) \['N9'\]"):
        needs_backlog(mapping, kano=kano, feasibility={"N9": 3.0})


def test_missing_cost_is_a_note(mapping, kano) -> None:
    res = needs_backlog(mapping, kano=kano, cost={"N1": 10.0})
    assert any("cost is missing" in n for n in res.notes)


def test_unknown_criterion(mapping, kano) -> None:
    with pytest.raises(ConfigError, match=r"criteria= names \['cost'\]"):
        needs_backlog(mapping, kano=kano, criteria={"cost": 1.0})


def test_input_without_its_columns(mapping) -> None:
    with pytest.raises(SchemaError, match=r"kano= lacks column\(s\)"):
        needs_backlog(mapping, kano=pd.DataFrame({"feature": ["lock"]}))


def test_permuting_needs_changes_nothing(mapping, kano, drivers, pains) -> None:
    a = needs_backlog(mapping, kano=kano, drivers=drivers, pains=pains).table
    b = needs_backlog(
        mapping.sample(frac=1, random_state=3),
        kano=kano.iloc[::-1],
        drivers=drivers.iloc[::-1],
        pains=pains.iloc[::-1],
    ).table
    cols = ["need", "score", "rank"]
    pd.testing.assert_frame_equal(a[cols], b[cols])


# ---------------------------------------------------------------------------- sample truth
@pytest.fixture(scope="module")
def sample_backlog():
    sample = nl.load_sample()
    survey = nl.read_survey("data/sample/survey_wave1.csv", codebook="data/sample/codebook.yaml")
    items = [c for c in survey.data.columns if c.startswith("sat_")]
    feedback = sample.feedback.merge(
        sample.truth.segments.rename("segment"),
        left_on="customer_id",
        right_index=True,
        how="left",
    )
    coded = nl.code_text(feedback, "text", id="feedback_id")
    needs = sample.needs
    backlog = nl.needs_backlog(
        sample.needs_mapping,
        kano=nl.kano(survey),
        drivers=nl.key_drivers(survey, "overall_sat", items),
        ipa=nl.ipa(survey, "overall_sat", items),
        pains=nl.pain_matrix(coded, by="segment"),
        maxdiff=nl.maxdiff(sample.maxdiff),
        feasibility=needs[["need", "feasibility"]],
        cost=needs[["need", "cost"]],
    )
    return sample, backlog


def test_planted_worst_basic_need_ranks_first(sample_backlog) -> None:
    sample, backlog = sample_backlog
    truth = sample.truth.needs
    worst = truth.loc[truth["role"] == "worst_basic", "need"].item()
    assert backlog.table.iloc[0]["need"] == worst
    # the planted delighter is a delight need in the backlog's Kano evidence
    delighter = truth.loc[truth["role"] == "delighter", "need"].item()
    row = backlog.table.set_index("need").loc[delighter]
    assert row["kano_category"] == "A"
    # the implicit need is recorded as implicit
    implicit = truth.loc[~truth["explicit"], "need"].tolist()
    assert implicit and not backlog.table.set_index("need").loc[implicit, "explicit"].any()
    # every need of the mapping has a row; the unlinked input is the reverse feature
    assert set(backlog.table["need"]) == set(sample.needs_mapping["need"])
    assert set(backlog.unlinked["key"]) == {"marketing_push"}


def test_sample_backlog_feeds_a_plan(sample_backlog) -> None:
    _, backlog = sample_backlog
    plan = nl.Plan.from_backlog(backlog, top=3, deadline="2025-12-31")
    assert [g.needs[0] for g in plan.goals] == backlog.table["need"].head(3).tolist()
    md = plan.to_markdown(lang="zh")
    assert backlog.table.iloc[0]["label_zh"] in md


def test_text_cost_is_an_error_not_a_missing_value(mapping, kano) -> None:
    with pytest.raises(
        DataError, match=r"cost= must be numeric; need\(s\) \['N2'\] have \['a lot'\]"
    ):
        needs_backlog(mapping, kano=kano, cost={"N1": 10.0, "N2": "a lot", "N3": 5.0})
