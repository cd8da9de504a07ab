"""Tests for needlab.segment.rules: rule segments and binning helpers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from needlab.errors import ConfigError, DataError, SchemaError
from needlab.segment.rules import age_bands, city_tier_bands, income_bands, segment_rules


@pytest.fixture
def people():
    return pd.DataFrame(
        {
            "age": [22, 41, 67, 30, 55, np.nan],
            "spend": [50, 900, 120, 600, 40, 10],
            "city": ["一线", "二线", "一线", "新一线", "三线", "一线"],
        },
        index=[10, 11, 12, 13, 14, 15],
    )


def test_first_rule_wins_counts_and_overlaps(people):
    res = segment_rules(
        people, {"big": "spend >= 500", "young": "age < 35", "tier1": lambda d: d["city"] == "一线"}
    )
    # rows: 22/50/一线 -> young (also tier1); 41/900 -> big; 67/一线 -> tier1; 30/600 -> big (also
    # young); 55/三线 -> other; NaN/一线 -> tier1 (NaN < 35 is False)
    assert res.labels.tolist() == ["young", "big", "tier1", "big", "other", "tier1"]
    assert res.labels.index.tolist() == [10, 11, 12, 13, 14, 15]
    t = res.table.set_index("segment")
    assert t["count"].tolist() == [2, 1, 2, 1]
    assert t["matches"].tolist() == [2, 2, 3, 0]
    assert res.n_unmatched == 1 and res.n_overlap == 2
    assert res.overlaps.loc["big", "young"] == 1 and res.overlaps.loc["young", "tier1"] == 1
    assert any("1 of 6 rows matched no rule" in n for n in res.notes)
    assert any("2 rows matched several rules" in n for n in res.notes)
    assert res.summary()["unmatched (default)"] == 1
    assert t["share"].sum() == pytest.approx(1.0)


def test_overlap_error_names_rules_and_rows(people):
    with pytest.raises(DataError, match=r"'big' & 'young' \(1 rows\).*at rows 3\."):
        segment_rules(people, {"big": "spend >= 500", "young": "age < 35"}, overlap="error")
    # exclusive rules pass
    res = segment_rules(people, {"big": "spend >= 500", "small": "spend < 500"}, overlap="error")
    assert res.n_overlap == 0 and res.n_unmatched == 0


def test_bad_rules_raise_config_error_naming_the_rule(people):
    with pytest.raises(SchemaError, match=r"segment 'x': column 'income' not found"):
        segment_rules(people, {"x": "income > 3"})
    with pytest.raises(ConfigError, match=r"rule 'y'.*ZeroDivisionError"):
        segment_rules(people, {"y": lambda d: 1 / 0})
    with pytest.raises(ConfigError, match=r"segment 'z': rule 'spend \+ 1': '\+' at position 6"):
        segment_rules(people, {"z": "spend + 1"})
    with pytest.raises(ConfigError, match=r"rule 'v' returned values of type.*not booleans"):
        segment_rules(people, {"v": lambda d: d["spend"] + 1})
    with pytest.raises(ConfigError, match=r"rule 'w' returned 2 values.*6 rows"):
        segment_rules(people, {"w": lambda d: np.array([True, False])})
    with pytest.raises(ConfigError, match="default"):
        segment_rules(people, {"other": "spend > 1"})
    with pytest.raises(ConfigError, match="non-empty"):
        segment_rules(people, {})


def test_nullable_na_counts_as_not_matching():
    df = pd.DataFrame({"x": pd.array([1, None, 3], dtype="Int64")})
    res = segment_rules(df, {"big": "x > 1"})
    assert res.labels.tolist() == ["other", "other", "big"]


def test_rule_segments_on_sample_reproduce_manual_masks():
    from needlab.datasets import load_sample

    c = load_sample().customers
    res = segment_rules(
        c, {"young tier1": "age < 30 and city_tier == '一线'", "senior": "age >= 55"}
    )
    young = (c["age"] < 30) & (c["city_tier"] == "一线")
    senior = (c["age"] >= 55) & ~young
    t = res.table.set_index("segment")["count"]
    assert t["young tier1"] == young.sum() and t["senior"] == senior.sum()
    assert t["other"] == len(c) - young.sum() - senior.sum()
    import matplotlib.pyplot as plt

    ax = res.plot()
    # three bars of rows assigned, then one outline per rule of the rows it matches
    widths = [p.get_width() for p in ax.patches]
    assert widths[:3] == [young.sum(), senior.sum(), len(c) - young.sum() - senior.sum()]
    assert widths[3:] == [young.sum(), (c["age"] >= 55).sum()]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["young tier1", "senior", "other"]
    plt.close("all")


def test_age_bands_labels_and_missing():
    out = age_bands(pd.Series([17, 18, 24, 24.9, 25, 34, 35, 64, 65, 99, np.nan], name="age"))
    assert out.tolist()[:-1] == [
        "under 18",
        "18-24",
        "18-24",
        "18-24",
        "25-34",
        "25-34",
        "35-44",
        "55-64",
        "65+",
        "65+",
    ]
    assert pd.isna(out.iloc[-1]) and out.attrs["n_missing"] == 1
    assert out.cat.ordered and out.cat.categories.tolist() == [
        "under 18",
        "18-24",
        "25-34",
        "35-44",
        "45-54",
        "55-64",
        "65+",
    ]
    with pytest.raises(DataError, match=r"'age'.*-3"):
        age_bands(pd.Series([20, -3], name="age"))
    with pytest.raises(DataError, match=r"'age'.*'old'.*rows 1"):
        age_bands(pd.Series([20, "old"], name="age"))
    with pytest.raises(ConfigError):
        age_bands([20], edges=(30, 20))


def test_income_bands():
    out = income_bands(
        [0, 9999, 10000, 25000, 1_500_000, None], edges=[10000, 20000, 50000], unit="元"
    )
    assert out.tolist()[:5] == [
        "under 10k元",
        "under 10k元",
        "10k元-20k元",
        "20k元-50k元",
        "50k元+",
    ]
    assert out.attrs["n_missing"] == 1


def test_city_tier_bands_zh_en_and_folding():
    out = city_tier_bands(
        pd.Series(
            [
                "一线城市",
                " tier 1 ",
                "New Tier 1",
                "新一线",
                "二线",
                "Second-tier",
                "三线",
                "Tier 4",
                None,
            ],
            name="city",
        )
    )
    assert out.cat.categories.tolist() == ["Tier 1", "New tier 1", "Tier 2", "Tier 3", "Tier 4"]
    assert out.tolist()[:-1] == [
        "Tier 1",
        "Tier 1",
        "New tier 1",
        "New tier 1",
        "Tier 2",
        "Tier 2",
        "Tier 3",
        "Tier 4",
    ]
    assert out.attrs["n_missing"] == 1
    fold = city_tier_bands(["三线及以下", "四线", "一线"], lang="zh")
    assert fold.tolist() == ["三线及以下", "三线及以下", "一线"]
    assert fold.cat.categories.tolist() == ["一线", "三线及以下"]
    with pytest.raises(DataError, match=r"'city'.*'Mars'.*rows 1"):
        city_tier_bands(pd.Series(["一线", "Mars"], name="city"))
    ok = city_tier_bands(["北上广深"], mapping={"北上广深": "一线"})
    assert ok.tolist() == ["Tier 1"]


def test_city_tier_bands_on_sample():
    from needlab.datasets import load_sample

    c = load_sample().customers
    out = city_tier_bands(c["city_tier"])
    assert out.cat.categories.tolist() == ["Tier 1", "New tier 1", "Tier 2", "Tier 3 and below"]
    assert (out == "Tier 1").sum() == (c["city_tier"] == "一线").sum()


def test_bands_take_a_frame_column_and_a_survey():
    import needlab as nl

    df = pd.DataFrame(
        {"age": [17, 30, 70], "inc": [5000, 25000, None], "tier": ["一线", "二线", None]}
    )
    assert age_bands(df, "age").tolist() == ["under 18", "25-34", "65+"]
    assert income_bands(df, "inc", edges=[10000, 20000]).tolist()[:2] == ["under 10k", "20k+"]
    assert city_tier_bands(df, "tier").tolist()[:2] == ["Tier 1", "Tier 2"]
    with pytest.raises(SchemaError, match="var="):
        age_bands(df)
    survey = nl.read_survey("data/sample/survey_wave1.csv", codebook="data/sample/codebook.yaml")
    pd.testing.assert_series_equal(age_bands(survey, "age"), age_bands(survey.data["age"]))
    tiers = city_tier_bands(survey, "city_tier")  # the answer labels, not the codes
    codes = survey.data["city_tier"]
    assert (tiers[codes == 1] == "Tier 1").all() and (tiers[codes == 4] == "Tier 3 and below").all()


def test_segment_rules_weighted_shares_and_survey():
    import needlab as nl

    df = pd.DataFrame({"age": [20, 30, 60, 70], "w": [1.0, 3.0, 2.0, 2.0]})
    res = segment_rules(df, {"young": "age < 40"}, weights="w")
    assert res.table["count"].tolist() == [2, 2]
    assert res.table["share"].tolist() == [0.5, 0.5]  # (1 + 3) / 8 and (2 + 2) / 8
    res = segment_rules(df, {"young": "age < 25"}, weights="w")
    assert res.table["share"].tolist() == [1 / 8, 7 / 8]
    assert (res.n_used, res.n_excluded) == (4, 0)
    survey = nl.read_survey("data/sample/survey_wave1.csv", codebook="data/sample/codebook.yaml")
    rules = {"young": "age < 30", "tier 1": "city_tier == 1"}
    by_survey = segment_rules(survey, rules)
    by_hand = segment_rules(survey.data, rules, weights="weight")
    pd.testing.assert_frame_equal(by_survey.table, by_hand.table)
    unweighted = segment_rules(survey, rules, weights=False)
    pd.testing.assert_frame_equal(unweighted.table, segment_rules(survey.data, rules).table)
    assert not np.allclose(unweighted.table["share"], by_survey.table["share"])


def test_rule_strings_never_run_code(people, monkeypatch):
    """The observed exploit: a rule starting with @ reached module globals through DataFrame.eval."""
    import os

    monkeypatch.setattr(os, "system", lambda *a: pytest.fail("a rule string ran a command"))
    for rule in ["@os.system('echo hi')", "__import__('os').system('id')", "spend.__class__"]:
        with pytest.raises(ConfigError, match="allowed"):
            segment_rules(people, {"x": rule})


def test_rows_with_missing_values_in_rule_columns_are_counted():
    df = pd.DataFrame({"age": [25.0, None, 50.0, None]})
    res = segment_rules(df, {"young": "age < 30", "old": "age >= 45"})
    assert res.labels.tolist() == ["young", "other", "old", "other"]
    assert any("2 of the rows labelled 'other' have a missing value" in n for n in res.notes)
    split = segment_rules(df, {"unknown": "age is null", "young": "age < 30"})
    assert split.labels.tolist() == ["young", "unknown", "other", "unknown"]
    assert not any("missing value" in n for n in split.notes)
