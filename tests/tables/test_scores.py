"""Tests of the score tables: NPS, compare_nps, CSAT, compare_csat and top_box."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm
from statsmodels.stats.proportion import proportion_confint

from needlab.errors import ConfigError, DataError, SchemaError
from needlab.tables import (
    ComparisonResult,
    CSATResult,
    NPSResult,
    compare_csat,
    compare_nps,
    csat,
    nps,
    top_box,
)

Z95 = 1.959963984540054


def nps_frame(p: int, n: int, d: int) -> pd.DataFrame:
    return pd.DataFrame({"ltr": [10] * p + [8] * n + [2] * d})


# ----------------------------------------------------------------------------- NPS


def test_nps_hand_case() -> None:
    r = nps(nps_frame(50, 30, 20), "ltr")
    assert isinstance(r, NPSResult)
    row = r.table.iloc[0]
    assert row["group"] == "Total"
    assert row["nps"] == pytest.approx(30)
    assert row["se"] == pytest.approx(7.8102, abs=1e-4)
    assert row[["promoters", "passives", "detractors"]].tolist() == pytest.approx([50, 30, 20])
    assert row["ci_low"] == pytest.approx(30 - Z95 * 7.810250, abs=1e-5)
    assert row["ci_high"] == pytest.approx(30 + Z95 * 7.810250, abs=1e-5)
    assert row["n"] == 100 and row["n_eff"] == pytest.approx(100)
    assert r.score == pytest.approx(30)


def test_nps_weighted_by_hand() -> None:
    df = pd.DataFrame({"ltr": [10, 9, 8, 5, 0, np.nan], "w": [2, 1, 1, 1, 3, 1.0]})
    row = nps(df, "ltr", weights="w").table.iloc[0]
    pp, pd_ = 3 / 8, 4 / 8
    neff = 8**2 / (4 + 1 + 1 + 1 + 9)
    assert row["nps"] == pytest.approx(-12.5)
    se = 100 * math.sqrt((pp * (1 - pp) + pd_ * (1 - pd_) + 2 * pp * pd_) / neff)
    assert row["se"] == pytest.approx(se)
    assert row["n_eff"] == pytest.approx(4)
    assert (row["n"], row["n_missing"], row["weighted_n"]) == (5, 1, 8.0)
    assert row["passives"] == pytest.approx(12.5)


def test_nps_by_group_total_and_missing_group() -> None:
    df = pd.DataFrame({"ltr": [10, 10, 3, 7, 9, 0, 5], "g": ["x", "x", "x", "y", "y", "y", None]})
    r = nps(df, "ltr", by="g")
    t = r.table
    assert t["group"].tolist() == ["x", "y", "Total"]
    assert t["nps"].tolist() == pytest.approx([100 / 3, 0, 100 * (3 - 3) / 7])
    assert t["n"].tolist() == [3, 3, 7]
    total = nps(df, "ltr").table.iloc[0]
    assert t.iloc[2]["nps"] == pytest.approx(total["nps"])
    assert t.iloc[2]["se"] == pytest.approx(total["se"])
    assert any("no value in the group column 'g'" in n for n in r.notes)


def test_nps_bad_values_named() -> None:
    df = pd.DataFrame({"ltr": [10, 11, 9.5, 3, -1]})
    with pytest.raises(DataError, match=r"'ltr'.*3 values.*11.0, 9.5, -1.0 at rows 1, 2, 4"):
        nps(df, "ltr")
    with pytest.raises(DataError, match="non-numeric"):
        nps(pd.DataFrame({"ltr": ["10", "ten"]}), "ltr")
    with pytest.raises(SchemaError):
        nps(df, "LTR")
    with pytest.raises(ConfigError):
        nps(nps_frame(1, 1, 1), "ltr", ci=1.5)


def test_nps_empty_group_is_nan() -> None:
    df = pd.DataFrame({"ltr": [10, np.nan], "g": ["a", "b"]})
    r = nps(df, "ltr", by="g")
    assert np.isnan(r.table.loc[1, "nps"])
    assert r.table.loc[1, "n_missing"] == 1
    assert any("without answers" in n for n in r.notes)


def test_compare_nps_by_hand() -> None:
    a, b = nps_frame(50, 30, 20), nps_frame(60, 20, 20)
    r = compare_nps(a, b, var="ltr")
    assert isinstance(r, ComparisonResult)
    se = math.sqrt(7.810249675906654**2 + 8.0**2)  # wave b: (.24 + .16 + .24)/100
    assert r.diff == pytest.approx(10)
    assert r.se == pytest.approx(se)
    assert r.z == pytest.approx(10 / se)
    assert r.p_value == pytest.approx(2 * norm.sf(10 / se))
    assert (r.ci_low, r.ci_high) == pytest.approx((10 - Z95 * se, 10 + Z95 * se))
    # The same comparison from one frame with by=.
    both = pd.concat([a.assign(w="1"), b.assign(w="2")], ignore_index=True)
    r2 = compare_nps(both, var="ltr", by="w")
    assert r2.names == ("1", "2")
    assert r2.z == pytest.approx(r.z)
    assert (r.n_used, r.n_excluded, r2.n_used) == (200, 0, 200)
    # The per-sample intervals are those of nps(); not significant at 95%.
    ra = nps(a, "ltr").table.iloc[0]
    row = r.table.iloc[0]
    assert (row["ci_low_a"], row["ci_high_a"]) == pytest.approx((ra["ci_low"], ra["ci_high"]))
    assert not r.significant and not row["significant"]
    # Weights as a pair.
    r3 = compare_nps(a, b, var="ltr", weights=(np.full(100, 2.0), np.ones(100)))
    assert r3.z == pytest.approx(r.z)


def test_compare_nps_errors() -> None:
    df = nps_frame(5, 5, 5).assign(g=["a", "b", "c"] * 5)
    with pytest.raises(ConfigError, match="exactly two groups"):
        compare_nps(df, var="ltr", by="g")
    with pytest.raises(ConfigError, match="by="):
        compare_nps(df, var="ltr")
    with pytest.raises(TypeError, match="var"):
        compare_nps(df, df)  # type: ignore[call-arg]
    with pytest.raises(ConfigError, match="not both"):
        compare_nps(df, df, var="ltr", by="g")


# ----------------------------------------------------------------------------- CSAT


def test_csat_top2_by_hand() -> None:
    df = pd.DataFrame({"sat": [5, 5, 4, 3, 2, 1, 4, 5, None, 3]})
    r = csat(df, "sat")
    assert isinstance(r, CSATResult)
    row = r.table.iloc[0]
    x = np.array([5, 5, 4, 3, 2, 1, 4, 5, 3.0])
    assert row["satisfied"] == pytest.approx(500 / 9)
    lo, hi = proportion_confint(5, 9, method="wilson")
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((100 * lo, 100 * hi))
    assert row["mean"] == pytest.approx(x.mean())
    assert row["sd"] == pytest.approx(x.std(ddof=1))
    assert row["se_mean"] == pytest.approx(x.std(ddof=1) / 3)
    assert row["mean_ci_low"] == pytest.approx(x.mean() - Z95 * x.std(ddof=1) / 3)
    assert (row["n"], row["n_missing"]) == (9, 1)
    assert r.top == (4, 5)


def test_csat_weighted_and_custom_top() -> None:
    df = pd.DataFrame({"sat": [7, 6, 2, 4], "w": [1.0, 2.0, 3.0, 2.0]})
    row = csat(df, "sat", scale=(1, 7), top=[7], weights="w").table.iloc[0]
    w, x = df["w"].to_numpy(), df["sat"].to_numpy(float)
    m = np.average(x, weights=w)
    v1, v2 = w.sum(), (w**2).sum()
    var = np.sum(w * (x - m) ** 2) / (v1 - v2 / v1)
    neff = v1**2 / v2
    assert row["satisfied"] == pytest.approx(100 / 8)
    assert row["mean"] == pytest.approx(m)
    assert row["se_mean"] == pytest.approx(math.sqrt(var / neff))
    assert row["n_eff"] == pytest.approx(neff)


def test_csat_errors() -> None:
    with pytest.raises(DataError, match=r"'sat'.*6.0 at rows 1"):
        csat(pd.DataFrame({"sat": [5, 6]}), "sat")
    with pytest.raises(ConfigError, match="outside the scale"):
        csat(pd.DataFrame({"sat": [5, 4]}), "sat", top=[6])
    with pytest.raises(ConfigError, match="scale"):
        csat(pd.DataFrame({"sat": [5, 4]}), "sat", scale=(5, 1))


def test_compare_csat_by_hand() -> None:
    a = pd.DataFrame({"sat": [5] * 60 + [2] * 40})
    b = pd.DataFrame({"sat": [5] * 70 + [2] * 30})
    r = compare_csat(a, b, var="sat")
    pool = 0.65
    se0 = 100 * math.sqrt(pool * (1 - pool) * (2 / 100))
    assert r.z == pytest.approx(10 / se0)
    se1 = 100 * math.sqrt(0.6 * 0.4 / 100 + 0.7 * 0.3 / 100)
    assert r.ci_low == pytest.approx(10 - Z95 * se1)
    mean_row = r.table.iloc[1]
    sa, sb = a["sat"].std(ddof=1) / 10, b["sat"].std(ddof=1) / 10
    assert mean_row["diff"] == pytest.approx(0.3)
    assert mean_row["z"] == pytest.approx(0.3 / math.hypot(sa, sb))


# ----------------------------------------------------------------------------- top box


def test_top_box_by_hand() -> None:
    df = pd.DataFrame(
        {
            "a": [5, 4, 3, 2, 1, np.nan],
            "b": [5, 5, 5, 1, 1, 2],
            "g": ["x", "x", "x", "y", "y", "y"],
            "w": [1, 1, 2, 1, 1, 4.0],
        }
    )
    r = top_box(df, ["a", "b"], scale_max=5)
    t = r.table
    assert t["item"].tolist() == ["a", "b"]
    assert t["top_box"].tolist() == pytest.approx([40, 50])
    assert t["n"].tolist() == [5, 6]
    assert t["n_missing"].tolist() == [1, 0]
    assert t["mean"].tolist() == pytest.approx([3, 19 / 6])
    assert r.box == (4, 5)
    rb = top_box(df, ["a", "b"], bottom=True, scale_min=1, weights="w")
    tb = rb.table
    # a: bottom-2 = codes 1, 2 -> weights 1 + 1 over 6; b: codes 1, 1, 2 -> 1 + 1 + 4 over 10.
    assert tb["bottom_box"].tolist() == pytest.approx([100 * 2 / 6, 100 * 6 / 10])
    rg = top_box(df, ["a", "b"], scale_max=5, by="g")
    tg = rg.table
    assert tg["group"].tolist() == ["x", "y", "Total"] * 2
    assert tg["top_box"].tolist() == pytest.approx([200 / 3, 0, 40, 100, 0, 50])


def test_top_box_errors_and_inferred_scale() -> None:
    df = pd.DataFrame({"a": [4, 3, 2], "b": [4, 4, 1]})
    r = top_box(df, ["a", "b"])
    assert r.box == (3, 4)
    assert any("taken from the data" in n for n in r.notes)
    with pytest.raises(DataError, match=r"'a'.*4.0 at rows 0.*scale_max"):
        top_box(df, ["a", "b"], scale_max=3)
    with pytest.raises(ConfigError, match="k must"):
        top_box(df, ["a"], k=0)
    with pytest.raises(DataError, match="no answers"):
        top_box(df.assign(c=np.nan), ["a", "c"])


def test_plots() -> None:
    import matplotlib.pyplot as plt

    df = pd.DataFrame({"ltr": [10, 3, 8, 9], "sat": [5, 4, 1, 2], "g": ["a", "b"] * 2})
    assert len(nps(df, "ltr", by="g").plot().patches) == 3
    assert len(csat(df, "sat").plot().patches) == 1
    assert len(top_box(df, ["sat"], by="g").plot().patches) == 3
    plt.close("all")


# ----------------------------------------------------------------------------- properties

SET = settings(max_examples=50, deadline=None)


@st.composite
def surveys(draw):
    n = draw(st.integers(2, 40))
    ltr = draw(st.lists(st.one_of(st.none(), st.integers(0, 10)), min_size=n, max_size=n))
    ltr[0] = ltr[0] if ltr[0] is not None else 5
    g = draw(st.lists(st.sampled_from(["a", "b"]), min_size=n, max_size=n))
    w = draw(st.lists(st.floats(0.1, 10.0), min_size=n, max_size=n))
    sat = [None if v is None else v // 2 for v in ltr]
    sat = [None if v is None else max(1, v) for v in sat]
    return pd.DataFrame(
        {
            "ltr": pd.array(ltr, dtype="Float64"),
            "g": g,
            "w": w,
            "sat": pd.array(sat, dtype="Float64"),
        }
    )


@SET
@given(surveys(), st.floats(0.01, 100.0))
def test_equal_weights_change_no_score(df: pd.DataFrame, c: float) -> None:
    cw = np.full(len(df), c)
    for fn, col, cols in (
        (nps, "ltr", ["promoters", "passives", "detractors", "nps", "se", "n_eff"]),
        (csat, "sat", ["satisfied", "ci_low", "mean", "se_mean", "n_eff"]),
    ):
        a = fn(df, col, by="g").table
        b = fn(df, col, by="g", weights=cw).table
        np.testing.assert_allclose(
            a[cols].to_numpy(float), b[cols].to_numpy(float), rtol=1e-9, atol=1e-9
        )
    t = nps(df, "ltr", by="g").table.dropna(subset=["nps"])
    np.testing.assert_allclose(t[["promoters", "passives", "detractors"]].sum(axis=1), 100)


@SET
@given(surveys(), st.randoms(use_true_random=False))
def test_permutation_changes_nothing(df: pd.DataFrame, rnd) -> None:
    perm = list(range(len(df)))
    rnd.shuffle(perm)
    p = df.iloc[perm]
    pd.testing.assert_frame_equal(
        nps(df, "ltr", by="g", weights="w").table,
        nps(p, "ltr", by="g", weights="w").table,
        rtol=1e-9,
    )
    pd.testing.assert_frame_equal(
        top_box(df, ["ltr", "sat"], weights="w", scale_max=10).table,
        top_box(p, ["ltr", "sat"], weights="w", scale_max=10).table,
        rtol=1e-9,
    )
