"""Tests for needlab.segment.rfm: values, tie-safe scores, segments, bad input."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from needlab.errors import ConfigError, DataError, NeedlabWarning, SchemaError
from needlab.segment.rfm import SEGMENTS, STANDARD_GRID, rfm, tie_scores


def tx(rows):
    return pd.DataFrame(rows, columns=["cust", "day", "amt"])


# ----------------------------------------------------------------- tie scores by hand
def test_tie_scores_heavy_ties_by_hand():
    # 10 customers, half bought once. n = 10, bins = 5.
    f = [1, 1, 1, 1, 1, 2, 2, 3, 4, 6]
    # min rank: value 1 -> 1, value 2 -> 6, 3 -> 8, 4 -> 9, 6 -> 10; score ceil(5 r / 10)
    assert tie_scores(f, bins=5, ties="min").tolist() == [1] * 5 + [3, 3, 4, 5, 5]
    # midranks: 3, 6.5, 8, 9, 10 -> ceil(1.5)=2, ceil(3.25)=4, 4, ceil(4.5)=5, 5
    assert tie_scores(f, bins=5, ties="average").tolist() == [2] * 5 + [4, 4, 4, 5, 5]
    # max ranks: 5, 7, 8, 9, 10 -> ceil(2.5)=3, ceil(3.5)=4, 4, 5, 5
    assert tie_scores(f, bins=5, ties="max").tolist() == [3] * 5 + [4, 4, 4, 5, 5]
    # dense: 5 distinct values -> 1..5
    assert tie_scores(f, bins=5, ties="dense").tolist() == [1] * 5 + [2, 2, 3, 4, 5]


def test_tie_scores_no_ties_are_quintiles():
    x = np.random.default_rng(3).permutation(20)
    s = tie_scores(x, bins=5)
    assert np.array_equal(s, x // 4 + 1)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 6), min_size=1, max_size=60),
    st.integers(2, 9),
    st.sampled_from(["min", "average", "max", "dense"]),
)
def test_tie_scores_properties(values, bins, ties):
    x = np.array(values)
    s = tie_scores(x, bins=bins, ties=ties)
    assert s.min() >= 1 and s.max() <= bins
    # identical values -> identical scores; monotone in the value
    order = np.argsort(x, kind="stable")
    assert np.all(np.diff(s[order]) >= 0)
    for v in np.unique(x):
        assert len(np.unique(s[x == v])) == 1
    # independent computation with pandas ranks
    if ties != "dense":
        r = pd.Series(x).rank(method=ties).to_numpy()
        assert np.array_equal(s, np.ceil(bins * r / len(x) - 1e-12).astype(int))


# ----------------------------------------------------------------- rfm values
def test_rfm_hand_case_with_heavy_ties():
    # 6 customers, asof 2024-01-11; a..d bought once (frequency ties), e twice, f three times
    t = tx(
        [
            ("a", "2024-01-10", 10.0),
            ("b", "2024-01-10", 10.0),
            ("c", "2024-01-05", 10.0),
            ("d", "2024-01-01", 50.0),
            ("e", "2024-01-02", 20.0),
            ("e", "2024-01-09", 20.0),
            ("e", "2024-01-09", 5.0),
            ("f", "2024-01-03", 30.0),
            ("f", "2024-01-06", 30.0),
            ("f", "2024-01-08", 30.0),
        ]
    )
    res = rfm(t, customer="cust", date="day", amount="amt")
    tab = res.table.set_index("cust")
    assert res.asof == pd.Timestamp("2024-01-11")  # day after the last transaction
    assert tab["recency"].tolist() == [1, 1, 6, 10, 2, 3]
    assert tab["frequency"].tolist() == [1, 1, 1, 1, 2, 3]  # e's two orders on 01-09: one day
    assert tab["monetary"].tolist() == [10, 10, 10, 50, 45, 90]
    assert tab["monetary_mean"].tolist() == [10, 10, 10, 50, 22.5, 30]
    # R on -recency: values (-10, -6, -3, -2, -1, -1): min ranks d1 c2 f3 e4 a5 b5
    # score ceil(5 r / 6): d 1, c 2, f 3, e 4, a/b ceil(25/6)=5
    assert tab["r"].tolist() == [5, 5, 2, 1, 4, 3]
    # F: four 1s rank 1 -> 1; e rank 5 -> ceil(25/6)=5; f rank 6 -> 5
    assert tab["f"].tolist() == [1, 1, 1, 1, 5, 5]
    # M: 10,10,10 rank 1 -> 1; 45 rank 4 -> ceil(20/6)=4; 50 rank 5 -> 5; 90 rank 6 -> 5
    assert tab["m"].tolist() == [1, 1, 1, 5, 4, 5]
    assert tab["rfm_score"].tolist() == ["511", "511", "211", "115", "454", "355"]
    assert tab["score"].tolist() == [7, 7, 4, 7, 13, 13]
    # standard grid, FM = (f + m + 1) // 2: a/b R5 FM1 New; c R2 FM1 Hibernating;
    # d R1 FM3 At risk; e R4 FM5 Loyal; f R3 FM5 Loyal
    assert tab["segment"].astype(str).tolist() == [
        "New",
        "New",
        "Hibernating",
        "At risk",
        "Loyal",
        "Loyal",
    ]
    assert res.levels["f"] == [1, 5]
    assert any("F 2 of 5 (1, 5)" in n for n in res.notes)


def test_rfm_average_ties_one_time_buyers_never_score_1():
    t = tx(
        [(c, "2024-01-01", 10.0) for c in "abcdefg"]
        + [
            ("h", "2024-01-01", 1.0),
            ("h", "2024-01-02", 1.0),
            ("i", "2024-01-01", 1.0),
            ("i", "2024-01-03", 1.0),
            ("i", "2024-01-04", 1.0),
        ]
    )
    res = rfm(t, customer="cust", date="day", amount="amt", ties="average")
    f = res.table.set_index("cust")["f"]
    # 7 of 9 bought once: midrank 4 -> ceil(20/9) = 3; h midrank 8 -> 5; i -> 5
    assert (f[list("abcdefg")] == 3).all() and f["h"] == 5 and f["i"] == 5
    assert res.levels["f"] == [3, 5]


def test_rfm_matches_independent_pandas_groupby():
    rng = np.random.default_rng(7)
    n = 3000
    t = pd.DataFrame(
        {
            "cust": rng.integers(0, 400, n).astype(str),
            "day": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 90, n), unit="D"),
            "amt": np.round(rng.gamma(2, 20, n)),
        }
    )
    res = rfm(t, customer="cust", date="day", amount="amt", asof="2024-04-30")
    g = t.groupby("cust")
    ref = pd.DataFrame(
        {
            "recency": (pd.Timestamp("2024-04-30") - g["day"].max()).dt.days,
            "frequency": g["day"].nunique(),
            "monetary": g["amt"].sum(),
        }
    ).sort_index()
    tab = res.table.set_index("cust")
    assert tab.index.tolist() == ref.index.tolist()
    np.testing.assert_array_equal(tab["recency"], ref["recency"])
    np.testing.assert_array_equal(tab["frequency"], ref["frequency"])
    np.testing.assert_allclose(tab["monetary"], ref["monetary"], rtol=1e-12)
    # scores from pandas ranks (method="min")
    for col, v in (("r", -ref["recency"]), ("f", ref["frequency"]), ("m", ref["monetary"])):
        expect = np.ceil(5 * v.rank(method="min") / len(v) - 1e-12).astype(int)
        np.testing.assert_array_equal(tab[col], expect)


def _random_tx(seed, n=400, customers=60):
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "cust": rng.integers(0, customers, n).astype(str),
            "day": (
                pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 30, n), unit="D")
            ).astype("datetime64[ns]"),
            "amt": rng.choice([5.0, 10.0, 20.0], n),
        }
    )


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000))
def test_rfm_permutation_invariance_and_sizes(seed):
    t = _random_tx(seed)
    a = rfm(t, customer="cust", date="day", amount="amt")
    b = rfm(
        t.sample(frac=1, random_state=seed).reset_index(drop=True),
        customer="cust",
        date="day",
        amount="amt",
    )
    pd.testing.assert_frame_equal(a.table, b.table)
    seg = a.segments()
    assert seg["count"].sum() == len(a.table) == t["cust"].nunique()
    assert math.isclose(seg["share"].sum(), 1.0)


def test_identical_customers_identical_scores():
    base = _random_tx(1, n=200, customers=20)
    clone = base.assign(cust=base["cust"] + "_clone")
    res = rfm(
        pd.concat([base, clone], ignore_index=True), customer="cust", date="day", amount="amt"
    )
    tab = res.table.set_index("cust")
    orig = tab.loc[[c for c in tab.index if not c.endswith("_clone")]]
    twin = tab.loc[[c + "_clone" for c in orig.index]]
    cols = ["recency", "frequency", "monetary", "r", "f", "m", "segment"]
    assert (orig[cols].astype(str).to_numpy() == twin[cols].astype(str).to_numpy()).all()


def test_order_column_counts_orders():
    t = pd.DataFrame(
        {
            "c": ["a", "a", "a", "b"],
            "d": ["2024-01-01"] * 3 + ["2024-01-02"],
            "o": ["o1", "o1", "o2", "o3"],
            "v": [1.0, 2.0, 3.0, 4.0],
        }
    )
    by_day = rfm(t, customer="c", date="d", amount="v").table.set_index("c")
    by_order = rfm(t, customer="c", date="d", amount="v", order="o").table.set_index("c")
    assert by_day.loc["a", "frequency"] == 1 and by_order.loc["a", "frequency"] == 2
    assert by_order.loc["a", "monetary_mean"] == 3.0


def test_standard_grid_is_a_partition_of_eleven_segments():
    cells = {s for row in STANDARD_GRID for s in row}
    assert cells == set(SEGMENTS) and len(SEGMENTS) == 11
    assert STANDARD_GRID[4][4] == "Champions" and STANDARD_GRID[0][0] == "Lost"


def test_custom_scheme_dict_and_callable():
    t = _random_tx(2)
    res = rfm(
        t,
        customer="cust",
        date="day",
        amount="amt",
        scheme={"best": "r >= 4 and fm >= 4", "asleep": "r <= 2"},
    )
    tab = res.table
    fm = (tab["f"] + tab["m"] + 1) // 2
    expect = np.where(
        (tab["r"] >= 4) & (fm >= 4), "best", np.where(tab["r"] <= 2, "asleep", "other")
    )
    assert (tab["segment"].astype(str).to_numpy() == expect).all()
    res2 = rfm(
        t,
        customer="cust",
        date="day",
        amount="amt",
        scheme=lambda d: np.where(d["score"] >= 10, "hi", "lo"),
    )
    assert set(res2.table["segment"].astype(str)) <= {"hi", "lo"}
    with pytest.raises(ConfigError, match="returned"):
        rfm(t, customer="cust", date="day", amount="amt", scheme=lambda d: ["x"])


def test_bins_other_than_5_names_no_segments():
    res = rfm(_random_tx(3), customer="cust", date="day", amount="amt", bins=3)
    assert res.table["segment"].isna().all() and res.table["r"].max() <= 3
    assert any("no segments" in n for n in res.notes)


# ----------------------------------------------------------------- data policies
def test_refund_policies():
    t = tx(
        [
            ("a", "2024-01-01", 50.0),
            ("a", "2024-01-05", -20.0),
            ("b", "2024-01-03", 10.0),
            ("c", "2024-01-04", -5.0),
        ]
    )
    net = rfm(t, customer="cust", date="day", amount="amt").table.set_index("cust")
    assert net.loc["a", "monetary"] == 30.0 and net.loc["a", "frequency"] == 1
    assert net.loc["a", "recency"] == 5  # the refund day is not a purchase occasion
    assert "c" not in net.index  # only a refund: no purchase occasion
    res = rfm(t, customer="cust", date="day", amount="amt")
    assert any("2 negative amounts" in n for n in res.notes)
    assert any("1 customers with no purchase occasion" in n for n in res.notes)
    # netted refunds are used; c's only row (a refund) is excluded with customer c
    assert (res.n_used, res.n_excluded) == (3, 1)
    assert any("with their 1 remaining rows" in n for n in res.notes)
    drop = rfm(t, customer="cust", date="day", amount="amt", refunds="drop")
    assert drop.table.set_index("cust").loc["a", "monetary"] == 50.0
    assert (drop.n_used, drop.n_excluded) == (2, 2)  # two refund rows dropped
    with pytest.raises(DataError, match=r"'amt'.*-20.0.*rows 1, 3"):
        rfm(t, customer="cust", date="day", amount="amt", refunds="error")


def test_duplicates_counted_and_dropped():
    t = pd.DataFrame(
        {
            "cust": ["a", "a", "a", "b"],
            "day": ["2024-01-01"] * 4,
            "amt": [10.0, 10.0, 10.0, 10.0],
            "sku": ["x", "x", "y", "x"],
        }
    )
    keep = rfm(t, customer="cust", date="day", amount="amt")
    assert keep.table.set_index("cust").loc["a", "monetary"] == 30.0
    assert any("1 exact duplicate rows kept" in n for n in keep.notes)
    assert (keep.n_used, keep.n_excluded) == (4, 0)
    drop = rfm(t, customer="cust", date="day", amount="amt", duplicates="drop")
    assert drop.table.set_index("cust").loc["a", "monetary"] == 20.0  # sku y is not a duplicate
    assert any("1 exact duplicate rows dropped" in n for n in drop.notes)
    assert (drop.n_used, drop.n_excluded) == (3, 1)


def test_missing_customer_and_date_excluded_and_counted():
    t = pd.DataFrame(
        {
            "cust": ["a", None, "b", "b"],
            "day": ["2024-01-01", "2024-01-02", None, "2024-01-03"],
            "amt": [1.0, 2.0, 3.0, 4.0],
        }
    )
    res = rfm(t, customer="cust", date="day", amount="amt")
    assert len(res.table) == 2
    assert any("1 rows with a missing customer id ('cust') excluded" in n for n in res.notes)
    assert any("1 rows with a missing date ('day') excluded" in n for n in res.notes)
    assert (res.n_used, res.n_excluded) == (2, 2)


def test_zero_amounts_count_as_occasions():
    t = tx([("a", "2024-01-01", 0.0), ("a", "2024-01-02", 10.0)])
    res = rfm(t, customer="cust", date="day", amount="amt")
    assert res.table.loc[0, "frequency"] == 2
    assert any("1 zero-value rows" in n for n in res.notes)


def test_future_dates():
    t = tx([("a", "2024-01-01", 1.0), ("a", "2024-02-01", 1.0), ("b", "2024-01-05", 1.0)])
    with pytest.warns(NeedlabWarning, match="after asof"):
        res = rfm(t, customer="cust", date="day", amount="amt", asof="2024-01-10")
    assert res.table.set_index("cust").loc["a", "recency"] == 9
    assert (res.n_used, res.n_excluded) == (2, 1)
    with pytest.raises(DataError, match=r"'day'.*2024-02-01.*rows 1"):
        rfm(t, customer="cust", date="day", amount="amt", asof="2024-01-10", future="error")


def test_bad_input_errors_name_the_column():
    t = tx([("a", "2024-01-01", 1.0), ("b", "not a date", 2.0)])
    with pytest.raises(DataError, match=r"'day'.*'not a date'.*rows 1"):
        rfm(t, customer="cust", date="day", amount="amt")
    t = tx([("a", "2024-01-01", "x1"), ("b", "2024-01-02", 2.0)])
    with pytest.raises(DataError, match=r"'amt'.*'x1'"):
        rfm(t, customer="cust", date="day", amount="amt")
    t = tx([("a", "2024-01-01", None), ("b", "2024-01-02", 2.0)])
    with pytest.raises(DataError, match=r"'amt'.*missing.*rows 0"):
        rfm(t, customer="cust", date="day", amount="amt")
    t = tx([("a", "2024-01-01", 1.0), ("b", "2024-01-02", 2.0)])
    with pytest.raises(SchemaError, match="'customer_id'"):
        rfm(t, customer="customer_id", date="day", amount="amt")
    with pytest.raises(ConfigError, match="bins"):
        rfm(t, customer="cust", date="day", amount="amt", bins=10)
    with pytest.raises(ConfigError, match="ties"):
        rfm(t, customer="cust", date="day", amount="amt", ties="first")
    with pytest.raises(ConfigError, match="asof"):
        rfm(t, customer="cust", date="day", amount="amt", asof="soon")


def test_sample_rfm_and_plot():
    from needlab.datasets import load_sample

    s = load_sample()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = rfm(
            s.transactions,
            customer="customer_id",
            date="order_date",
            amount="amount",
            order="order_id",
        )
    truth = s.truth.customers.set_index("customer_id")
    tab = res.table.set_index("customer_id")
    assert len(tab) == len(truth)
    # frequency by orders equals the planted order counts; spend equals planted totals
    np.testing.assert_array_equal(tab["frequency"], truth.loc[tab.index, "n_orders"])
    np.testing.assert_allclose(tab["monetary"], truth.loc[tab.index, "total_spend"], atol=0.006)
    # one-time buyers (45%) all get F = 1 under the default "min" policy
    assert (tab.loc[truth["one_time"], "f"] == 1).all()
    # churned customers are much more often in the R <= 2 segments
    low_r = tab["r"] <= 2
    assert low_r[truth["churned"]].mean() > low_r[~truth["churned"]].mean() + 0.2
    seg = res.segments()
    assert seg["count"].sum() == len(tab)
    import matplotlib.pyplot as plt

    ax = res.plot()
    assert len(ax.texts) == 25
    res.plot(value="monetary")
    plt.close("all")


def test_at_risk_flags_the_quiet_good_customers() -> None:
    from needlab.errors import ConfigError as _ConfigError

    tx = pd.DataFrame(
        {
            "c": ["a", "a", "a", "b", "c", "c", "d", "e", "e", "e", "e"],
            "d": [
                "2024-01-02",
                "2024-01-05",
                "2024-01-09",
                "2024-06-20",
                "2024-06-01",
                "2024-06-25",
                "2024-03-01",
                "2024-06-26",
                "2024-06-27",
                "2024-06-28",
                "2024-06-29",
            ],
            "v": [500, 400, 600, 20, 50, 60, 30, 300, 200, 400, 500],
        }
    )
    res = rfm(tx, customer="c", date="d", amount="v", asof="2024-07-01")
    seg = res.table.set_index("c")["segment"].astype(str)
    flag = res.at_risk()
    assert flag.index.tolist() == ["a", "b", "c", "d", "e"]
    assert flag.to_dict() == {
        c: seg[c] in ("About to sleep", "At risk", "Can't lose them") for c in seg.index
    }
    assert bool(flag["a"])  # bought much and often, long ago
    assert not bool(flag["e"])  # bought much and often, just now
    only_lost = res.at_risk(["Lost"])
    assert only_lost.to_dict() == {c: seg[c] == "Lost" for c in seg.index}
    with pytest.raises(_ConfigError, match="unknown segments"):
        res.at_risk(["Sleepy"])


def test_tie_scores_from_a_frame_column():
    df = pd.DataFrame({"f": [1, 1, 1, 1, 1, 2, 2, 3, 4, 6]})
    assert tie_scores(df, "f").tolist() == [1, 1, 1, 1, 1, 3, 3, 4, 5, 5]
    with pytest.raises(SchemaError, match="var="):
        tie_scores(df)
