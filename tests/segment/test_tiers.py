"""Tests for needlab.segment.tiers: value tiers and tier migration."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from needlab.errors import ConfigError, DataError, SchemaError
from needlab.segment.tiers import tier_migration, value_tiers


def test_value_tiers_no_ties_exact_shares():
    v = pd.Series(np.arange(1, 11, dtype=float), index=list("abcdefghij"))
    res = value_tiers(v)
    assert res.tiers.astype(str).tolist() == ["low"] * 5 + ["medium"] * 3 + ["high"] * 2
    t = res.table.set_index("tier")
    assert t["count"].tolist() == [2, 3, 5]
    assert t.loc["high", "value"] == 19 and t.loc["high", "value_share"] == pytest.approx(19 / 55)
    assert t.loc["medium", "min"] == 6 and t.loc["medium", "max"] == 8
    assert res.tiers.cat.categories.tolist() == ["low", "medium", "high"]


def test_value_tiers_ties_policies_by_hand():
    # n = 10, cuts at 2 and 5 customers from the top; 500 tied across the first cut,
    # 100 tied across the second
    v = pd.Series([900, 500, 500, 300, 200, 100, 100, 50, 20, 10], index=list("abcdefghij"))
    up = value_tiers(v, ties="up").table["count"].tolist()
    down = value_tiers(v, ties="down").table["count"].tolist()
    avg = value_tiers(v, ties="average").table["count"].tolist()
    assert up == [3, 2, 5]  # 500s join high (1 above < 2); 100s: 5 above, not < 5 -> low
    assert down == [1, 4, 5]  # 500s: worst placed has 2 at/above - 1 = 2 -> medium
    assert avg == [3, 2, 5]  # middle of the 500s at position 1.5 < 2 -> high
    # three tied 500s at positions 1..3: middle at 2, not < 2 -> medium under "average"
    v3 = pd.Series([900, 500, 500, 500, 200, 100, 100, 50, 20, 10])
    assert value_tiers(v3, ties="average").table["count"].tolist() == [1, 4, 5]
    assert value_tiers(v3, ties="up").table["count"].tolist() == [4, 1, 5]
    res = value_tiers(v, ties="up")
    assert any("tied values at a cut moved up: high 3 (target 2)" in n for n in res.notes)


def test_value_tiers_thresholds_and_missing():
    v = pd.Series([5000, 1000, 999, np.nan, 20], index=list("abcde"), name="spend")
    res = value_tiers(v, thresholds=(5000, 1000))
    assert res.tiers.astype(object).where(res.tiers.notna(), None).tolist() == [
        "high",
        "medium",
        "low",
        None,
        "low",
    ]
    assert (res.n_used, res.n_excluded) == (4, 1)
    assert any("1 customers with a missing 'spend'" in n for n in res.notes)
    with pytest.raises(ConfigError):
        value_tiers(v, thresholds=(1000, 5000))
    with pytest.raises(ConfigError):
        value_tiers(v, cuts=(0.6, 0.5))
    with pytest.raises(DataError, match=r"'spend'.*'abc'"):
        value_tiers(pd.Series([1, "abc"], name="spend"))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 8), min_size=1, max_size=80), st.sampled_from(["up", "down", "average"])
)
def test_value_tiers_never_split_ties(values, ties):
    v = pd.Series(values, dtype=float)
    res = value_tiers(v, ties=ties)
    codes = res.tiers.cat.codes.to_numpy()
    for x in np.unique(v):
        assert len(np.unique(codes[v.to_numpy() == x])) == 1
    # monotone: a higher value never gets a lower tier
    order = np.argsort(v.to_numpy(), kind="stable")
    assert np.all(np.diff(codes[order]) >= 0)
    assert res.table["count"].sum() == len(v)
    # permutation invariance
    perm = v.sample(frac=1, random_state=1)
    res2 = value_tiers(perm, ties=ties)
    assert res2.tiers.reindex(v.index).equals(res.tiers)


def test_value_tiers_reproduce_sample_truth():
    from needlab.datasets import load_sample

    s = load_sample()
    spend = s.transactions.groupby("customer_id")["amount"].sum()
    res = value_tiers(spend)
    truth = s.truth.customers.set_index("customer_id")["value_tier"]
    got = res.tiers.astype(str).reindex(truth.index)
    # no tie straddles the 20% or 50% cut in the sample, so the tie policy does not matter
    assert (got == truth).all()
    assert res.table["count"].tolist() == [1200, 1800, 3000]
    assert not res.notes


def test_tier_migration_hand_case():
    before = pd.Series(
        ["high", "high", "medium", "medium", "low", "low", "low", "medium"],
        index=["a", "b", "c", "d", "e", "f", "g", "h"],
    )
    after = pd.Series(
        ["high", "medium", "high", "medium", "low", "medium", "high", "low"],
        index=["a", "b", "c", "d", "e", "f", "i", "j"],
    )
    frame = pd.DataFrame({"y1": before, "y2": after})  # aligned on the customer id
    frame.loc["k"] = [None, None]  # no tier in either period: excluded
    res = tier_migration(frame, "y1", "y2", order=["low", "medium", "high"])
    assert (res.n_used, res.n_excluded) == (10, 1)
    assert any("1 customers with no tier" in n for n in res.notes)
    # a stays high; b high->medium (down); c medium->high (up); d stays; e stays low;
    # f low->medium (up); g, h lost; i, j new
    assert res.counts == {
        "upgraded": 2,
        "downgraded": 1,
        "stayed": 3,
        "new": 2,
        "lost": 2,
        "customers": 10,
    }
    m = res.table
    assert m.index.tolist() == ["high", "medium", "low", "new"]
    assert m.columns.tolist() == ["high", "medium", "low", "lost", "total"]
    assert m.loc["high"].tolist() == [1, 1, 0, 0, 2]
    assert m.loc["medium"].tolist() == [1, 1, 0, 1, 3]
    assert m.loc["low"].tolist() == [0, 1, 1, 1, 3]
    assert m.loc["new"].tolist() == [1, 0, 1, 0, 2]
    assert res.shares.loc["medium", "lost"] == pytest.approx(1 / 3)
    np.testing.assert_allclose(res.shares.sum(axis=1), 1.0)


def test_tier_migration_uses_categorical_order_and_validates():
    v1 = pd.Series(np.arange(10.0), index=list("abcdefghij"))
    v2 = pd.Series(np.arange(10.0)[::-1], index=list("abcdefghij"))
    res = tier_migration(
        pd.DataFrame({"b": value_tiers(v1).tiers, "a": value_tiers(v2).tiers}), "b", "a"
    )
    assert res.order == ["low", "medium", "high"]
    # before: a-e low, f-h medium, i-j high; after (reversed values): a-b high, c-e medium,
    # f-j low -> a..e move up (5), f..j move down (5), nobody stays
    assert res.counts["upgraded"] == 5 and res.counts["downgraded"] == 5
    assert res.counts["stayed"] == 0
    with pytest.raises(ConfigError, match="no order"):
        tier_migration(pd.DataFrame({"b": ["a"], "a": ["b"]}), "b", "a")
    with pytest.raises(ConfigError, match="not in order"):
        tier_migration(pd.DataFrame({"b": ["x"], "a": ["low"]}), "b", "a", order=["low", "high"])
    with pytest.raises(ConfigError, match="same column"):
        tier_migration(pd.DataFrame({"b": ["low"]}), "b", "b", order=["low", "high"])
    with pytest.raises(SchemaError, match="'aftr'"):
        tier_migration(pd.DataFrame({"b": ["low"]}), "b", "aftr", order=["low", "high"])
    import matplotlib.pyplot as plt

    ax = res.plot()
    assert len(ax.texts) == 16
    res.plot(value="share")
    plt.close("all")


def test_value_tiers_from_a_frame_column_and_a_survey():
    import needlab as nl

    v = pd.Series([900, 500, 500, 300, 200, 100, 100, 50, 20, 10], index=list("abcdefghij"))
    frame = pd.DataFrame({"spend": v})
    got = value_tiers(frame, "spend")
    pd.testing.assert_series_equal(got.tiers, value_tiers(v).tiers)
    with pytest.raises(SchemaError, match="var="):
        value_tiers(frame)
    survey = nl.read_survey("data/sample/survey_wave1.csv", codebook="data/sample/codebook.yaml")
    res = value_tiers(survey, "duration_sec")
    direct = value_tiers(survey.data["duration_sec"])
    assert res.table["count"].tolist() == direct.table["count"].tolist()
    assert res.n_used + res.n_excluded == len(survey.data)


def test_tier_plots_draw_the_counts():
    import matplotlib.pyplot as plt

    v = pd.Series(np.arange(1, 11, dtype=float))
    ax = value_tiers(v).plot()
    # bars from the top: high, medium, low
    assert [p.get_width() for p in ax.patches] == [2, 3, 5]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["high", "medium", "low"]
    plt.close("all")
