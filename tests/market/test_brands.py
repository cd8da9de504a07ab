"""Tests of needlab.market.brands.compare_brands: hand computations, the clustered test against
scipy's paired t test, Welch without id, status, bad input, segments, plots and the sample's
planted competitive structure."""

from __future__ import annotations

import math

import matplotlib
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from needlab.errors import ConfigError, DataError, SchemaError
from needlab.market.brands import compare_brands

matplotlib.use("Agg")

ATTRS = ["quality", "price", "service", "warranty", "value", "design", "app", "delivery"]
ATTRS += ["performance", "durability"]


def _long(n: int = 60, seed: int = 1) -> pd.DataFrame:
    """Every respondent rates A (own), B and C; B is better on price, A on service."""
    rng = np.random.default_rng(seed)
    base = rng.normal(6, 1, n)
    rows = []
    for b, dp, ds in (("A", 0.0, 0.0), ("B", 1.5, 1.0), ("C", 0.0, 1.5)):
        rows.append(
            pd.DataFrame(
                {
                    "resp": np.arange(n),
                    "brand": b,
                    "price": base + dp + rng.normal(0, 0.5, n),
                    "service": base - ds + rng.normal(0, 0.5, n),
                    "design": base + rng.normal(0, 0.5, n),
                    "w": np.tile([1.0, 2.0], n // 2),
                    "seg": np.where(np.arange(n) < n // 2, "x", "y"),
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def test_weighted_means_by_hand() -> None:
    df = pd.DataFrame(
        {
            "resp": [1, 1, 2, 2, 3],
            "brand": ["A", "B", "A", "B", "A"],
            "price": [4.0, 6.0, 8.0, 7.0, 5.0],
            "w": [1.0, 1.0, 3.0, 3.0, 2.0],
        }
    )
    r = compare_brands(df, "brand", ["price"], own="A", id="resp", weights="w")
    m = r.means.set_index("brand")
    assert m.loc["A", "mean"] == pytest.approx((4 + 24 + 10) / 6)
    assert m.loc["B", "mean"] == pytest.approx((6 + 21) / 4)
    assert m.loc["A", "n_eff"] == pytest.approx(36 / 14)
    # weighted SD with reliability weights: sum w (x-m)^2 / (V1 - V2/V1)
    ma = 38 / 6
    var = (1 * (4 - ma) ** 2 + 3 * (8 - ma) ** 2 + 2 * (5 - ma) ** 2) / (6 - 14 / 6)
    assert m.loc["A", "sd"] == pytest.approx(math.sqrt(var))
    se = math.sqrt(var) / math.sqrt(36 / 14)
    tq = stats.t.ppf(0.975, 36 / 14 - 1)
    assert m.loc["A", "low"] == pytest.approx(ma - tq * se)
    assert r.table.loc[0, "gap"] == pytest.approx(ma - 27 / 4)
    assert r.table.loc[0, "relative"] == pytest.approx(ma / (27 / 4))


def test_clustered_test_equals_ttest_rel_on_full_overlap() -> None:
    df = _long()
    r = compare_brands(df, "brand", ["price", "service"], own="A", id="resp")
    d = r.differences.set_index(["brand", "attribute"])
    for attr in ("price", "service"):
        a = df.loc[df["brand"] == "A", attr].to_numpy()
        b = df.loc[df["brand"] == "B", attr].to_numpy()
        ref = stats.ttest_rel(b, a)
        row = d.loc[[("B", attr)]].iloc[0]
        assert row["t"] == pytest.approx(ref.statistic, rel=1e-10)
        assert row["p_value"] == pytest.approx(ref.pvalue, rel=1e-8)
        assert row["df"] == len(a) - 1 and row["paired"] == len(a)
        lo, hi = ref.confidence_interval(0.95)
        assert row["diff_low"] == pytest.approx(lo) and row["diff_high"] == pytest.approx(hi)


def test_clustered_test_with_no_overlap_by_hand() -> None:
    # respondents 0-3 rate A, 4-7 rate B: independent samples, G = 8
    a = np.array([5.0, 6.0, 7.0, 8.0])
    b = np.array([7.0, 9.0, 8.0, 9.0])
    df = pd.DataFrame(
        {"resp": range(8), "brand": ["A"] * 4 + ["B"] * 4, "price": np.concatenate([a, b])}
    )
    r = compare_brands(df, "brand", "price", own="A", id="resp")
    row = r.differences.iloc[0]
    var = 8 / 7 * (((a - a.mean()) ** 2).sum() / 16 + ((b - b.mean()) ** 2).sum() / 16)
    assert row["paired"] == 0
    assert row["se"] == pytest.approx(math.sqrt(var))
    assert row["t"] == pytest.approx((b.mean() - a.mean()) / math.sqrt(var))
    assert row["df"] == 7


def test_welch_without_id_matches_scipy_and_notes_dependence() -> None:
    df = _long()
    r = compare_brands(df.drop(columns="resp"), "brand", ["price"], own="A")
    row = r.differences.set_index("brand").loc["C"]
    a = df.loc[df["brand"] == "A", "price"]
    c = df.loc[df["brand"] == "C", "price"]
    ref = stats.ttest_ind(c, a, equal_var=False)
    assert row["t"] == pytest.approx(ref.statistic)
    assert row["p_value"] == pytest.approx(ref.pvalue)
    assert not r.clustered
    assert any("independent" in n and "id=" in n for n in r.notes)


def test_status_lead_trail_tie() -> None:
    df = _long()
    r = compare_brands(df, "brand", ["price", "service", "design"], own="A", id="resp")
    t = r.table.set_index("attribute")
    assert t.loc["price", "status"] == "trail" and t.loc["price", "best_competitor"] == "B"
    assert t.loc["service", "status"] == "lead"
    assert t.loc["design", "status"] == "tie"
    lo, gap, hi = t.loc["price", ["gap_low", "gap", "gap_high"]].to_numpy(dtype=float)
    assert lo < gap < hi < 0
    zh = compare_brands(df, "brand", ["price", "service", "design"], own="A", id="resp", lang="zh")
    assert zh.table["status"].tolist() == ["落后", "领先", "持平"]
    s = r.summary()
    assert s["lead"] == "service" and s["trail"] == "price" and s["tie"] == "design"


def test_by_segments_equal_the_subsets() -> None:
    df = _long()
    r = compare_brands(df, "brand", ["price", "service"], own="A", id="resp", weights="w", by="seg")
    assert r.by_segment is not None
    for g in ("x", "y"):
        sub = compare_brands(
            df[df["seg"] == g], "brand", ["price", "service"], own="A", id="resp", weights="w"
        )
        seg = r.by_segment[r.by_segment["seg"] == g].drop(columns="seg").reset_index(drop=True)
        pd.testing.assert_frame_equal(seg, sub.table)
        sm = r.means_by_segment
        assert sm is not None
        segm = sm[sm["seg"] == g].drop(columns="seg").reset_index(drop=True)
        pd.testing.assert_frame_equal(segm, sub.means)


def test_exclusions_counted() -> None:
    df = _long(n=10)
    df.loc[0, "brand"] = None
    df.loc[1, ["price", "service", "design"]] = np.nan
    df.loc[2, "w"] = 0.0
    df.loc[3, "price"] = np.nan  # only this attribute
    r = compare_brands(df, "brand", ["price", "service", "design"], own="A", id="resp", weights="w")
    assert (r.n_used, r.n_excluded) == (27, 3)
    assert any(
        "missing 'brand' 1" in n and "zero weight 1" in n and "no rating 1" in n for n in r.notes
    )
    m = r.means.set_index(["brand", "attribute"])
    assert m.loc[("A", "price"), "n"] == 10 - 4
    assert m.loc[("A", "service"), "n"] == 10 - 3


def test_bad_input_errors() -> None:
    df = _long(n=10)
    with pytest.raises(ConfigError, match=r"own='Z'.*'brand'.*'A'"):
        compare_brands(df, "brand", ["price"], own="Z")
    dup = pd.concat([df, df.iloc[[0]]], ignore_index=True)
    with pytest.raises(DataError, match=r"'resp'.*same brand twice.*0/A"):
        compare_brands(dup, "brand", ["price"], own="A", id="resp")
    bad = df.astype({"price": object})
    bad.loc[4, "price"] = "good"
    with pytest.raises(DataError, match=r"'price'.*'good'"):
        compare_brands(bad, "brand", ["price"], own="A")
    with pytest.raises(SchemaError, match="prise"):
        compare_brands(df, "brand", ["prise"], own="A")
    with pytest.raises(ConfigError, match="kind"):
        compare_brands(df, "brand", ["price"], own="A").plot(kind="pie")  # type: ignore[arg-type]
    only = df[df["brand"] == "A"]
    with pytest.raises(DataError, match="competitors"):
        compare_brands(only, "brand", ["price"], own="A")


def test_plots() -> None:
    import matplotlib.pyplot as plt

    df = _long()
    r = compare_brands(
        df, "brand", ["price", "service", "design"], own="A", id="resp", by="seg", lang="zh"
    )
    ax = r.plot(kind="dots")
    assert len(ax.lines) >= 3 and ax.get_xlabel() == "平均评分"
    ax = r.plot(kind="gap")
    assert len(ax.patches) == 3
    ax = r.plot(kind="gap", segment="x")
    assert "x" in ax.get_title()
    plt.close("all")


def _sample_or_skip():
    import needlab as nl

    s = nl.load_sample()
    if not hasattr(s, "brand_ratings"):
        pytest.skip("the sample has no brand_ratings yet")
    return s


def test_sample_planted_leaders() -> None:
    s = _sample_or_skip()
    df = s.brand_ratings
    attrs = [a for a in ATTRS if a in df.columns]
    r = compare_brands(df, "brand", attrs, own="Lumo", id="resp_id", weights="weight")
    assert r.n_used + r.n_excluded == len(df)
    truth = s.truth.market
    m = r.means.pivot(index="attribute", columns="brand", values="mean")
    assert m.loc["price"].idxmax() == truth.price_leader == "Vetta"
    assert m.loc["value"].idxmax() == "Vetta"
    assert m.loc["service"].idxmax() == truth.service_leader == "Kaiya"
    t = r.table.set_index("attribute")
    assert t.loc["price", "best_competitor"] == "Vetta" and t.loc["price", "status"] == "trail"
    assert t.loc["service", "best_competitor"] == "Kaiya" and t.loc["service", "status"] == "trail"
