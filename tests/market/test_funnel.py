"""Tests of needlab.market.funnel.brand_funnel: hand computations, the clustered test against
scipy's paired t test, inconsistent answers, bad input, segments, plots and the sample."""

from __future__ import annotations

import math

import matplotlib
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from needlab.errors import ConfigError, DataError, SchemaError
from needlab.market.funnel import FunnelResult, brand_funnel

matplotlib.use("Agg")

BRANDS = ["Lumo", "Vetta"]
STAGES = {"aware": "aware_{brand}", "consider": "consider_{brand}", "current": "current_brand"}


def _frame() -> pd.DataFrame:
    # 6 respondents; row 5 uses Vetta without considering it (inconsistent)
    return pd.DataFrame(
        {
            "aware_lumo": [1, 1, 1, 1, 0, 1],
            "aware_vetta": [1, 0, 1, 1, 1, 1],
            "consider_lumo": [1, 1, 0, 1, 0, 0],
            "consider_vetta": [0, 0, 1, 1, 1, 0],
            "current_brand": ["Lumo", "Lumo", "Vetta", "Lumo", "Vetta", "Vetta"],
            "w": [1.0, 2.0, 1.0, 1.0, 2.0, 1.0],
            "region": ["N", "N", "N", "S", "S", "S"],
        }
    )


def _wilson(p: float, n: float, z: float = 1.959963984540054) -> tuple[float, float]:
    c = (p + z * z / (2 * n)) / (1 + z * z / n)
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return c - h, c + h


def _row(r: FunnelResult, brand: str, stage: str) -> pd.Series:
    t = r.table
    return t[(t["brand"] == brand) & (t["stage"] == stage)].iloc[0]


def test_weighted_shares_conversions_and_intervals_by_hand() -> None:
    r = brand_funnel(_frame(), BRANDS, STAGES, weights="w", own="Lumo")
    # total weight 8, Kish base 8^2 / 12 = 5.333
    neff = 64 / 12
    row = _row(r, "Lumo", "aware")  # aware of Lumo: rows 0,1,2,3,5 -> 1+2+1+1+1 = 6
    assert row["share"] == pytest.approx(6 / 8)
    lo, hi = _wilson(6 / 8, neff)
    assert row["share_low"] == pytest.approx(lo) and row["share_high"] == pytest.approx(hi)
    row = _row(r, "Lumo", "consider")  # rows 0,1,3 -> 4; among aware (6)
    assert row["share"] == pytest.approx(4 / 8)
    assert row["conversion"] == pytest.approx(4 / 6)
    # base of the conversion: aware of Lumo, weights 1,2,1,1,1 -> 36/8 = 4.5
    assert row["conversion_base_eff"] == pytest.approx(4.5)
    lo, hi = _wilson(4 / 6, 4.5)
    assert row["conversion_low"] == pytest.approx(lo)
    assert row["conversion_high"] == pytest.approx(hi)
    assert row["conversion_base"] == 5 and row["n"] == 3
    row = _row(r, "Vetta", "current")  # rows 2,4,5 -> weight 4; considered: rows 2,4 (weight 3)
    assert row["share"] == pytest.approx(4 / 8)
    assert row["conversion"] == pytest.approx(3 / 4)  # considered Vetta: rows 2,3,4 (4)
    assert row["inconsistent"] == 1
    first = _row(r, "Vetta", "aware")
    assert first["conversion"] == pytest.approx(first["share"])
    assert first["from_stage"] == "(all respondents)"


def test_inconsistent_answers_counted_not_fixed() -> None:
    r = brand_funnel(_frame(), BRANDS, STAGES, weights="w")
    inc = r.inconsistent.set_index(["brand", "stage"])
    assert inc.loc[("Vetta", "current"), "n"] == 1
    assert inc.loc[("Vetta", "current"), "weighted_n"] == pytest.approx(1.0)
    assert inc.loc[("Vetta", "current"), "share_of_stage"] == pytest.approx(1 / 4)
    # Lumo consider without aware: none; Lumo current not considered: row 2? no (Vetta) -> 0
    assert inc.loc[("Lumo", "current"), "n"] == 0
    assert int(inc["n"].sum()) == 1
    assert any("inconsistent" in n and "as given" in n for n in r.notes)
    assert r.summary()["inconsistent_answers"] == 1


def test_clustered_test_equals_paired_t_on_full_overlap() -> None:
    rng = np.random.default_rng(3)
    n = 80
    df = pd.DataFrame(
        {
            "aware_a": np.ones(n, int),
            "aware_b": np.ones(n, int),
            "consider_a": rng.integers(0, 2, n),
            "consider_b": (rng.random(n) < 0.7).astype(int),
        }
    )
    r = brand_funnel(
        df, ["a", "b"], {"aware": "aware_{brand}", "consider": "consider_{brand}"}, own="a"
    )
    assert r.tests is not None
    t = r.tests.set_index("stage").loc["consider"]
    ref = stats.ttest_rel(df["consider_b"], df["consider_a"])
    assert t["z"] == pytest.approx(ref.statistic, rel=1e-10)
    assert t["overlap"] == n and bool(t["dependent"])
    assert t["difference"] == pytest.approx(df["consider_b"].mean() - df["consider_a"].mean())
    assert t["p_value"] == pytest.approx(2 * stats.norm.sf(abs(ref.statistic)))


def test_disjoint_bases_give_unpooled_two_proportion_z() -> None:
    # after a single-brand stage the bases are disjoint: overlap 0
    cur = ["a"] * 30 + ["b"] * 50
    pref = ["a"] * 20 + ["b"] * 10 + ["b"] * 40 + ["a"] * 10
    df = pd.DataFrame({"current": cur, "preferred": pref})
    r = brand_funnel(df, ["a", "b"], {"current": "current", "preferred": "preferred"}, own="a")
    assert r.tests is not None
    t = r.tests.set_index("stage").loc["preferred"]
    p_a, p_b, m = 20 / 30, 40 / 50, 80
    se = math.sqrt(m / (m - 1) * (p_a * (1 - p_a) / 30 + p_b * (1 - p_b) / 50))
    assert t["overlap"] == 0 and not bool(t["dependent"])
    assert t["difference"] == pytest.approx(p_b - p_a)
    assert t["se"] == pytest.approx(se)
    assert t["z"] == pytest.approx((p_b - p_a) / se)


def test_by_segments_equal_the_subsets() -> None:
    df = _frame()
    r = brand_funnel(df, BRANDS, STAGES, weights="w", by="region", own="Lumo")
    assert r.by_segment is not None and r.tests_by_segment is not None
    assert r.inconsistent_by_segment is not None
    for g in ("N", "S"):
        sub = brand_funnel(df[df["region"] == g], BRANDS, STAGES, weights="w", own="Lumo")
        seg = r.by_segment[r.by_segment["region"] == g].drop(columns="region")
        pd.testing.assert_frame_equal(seg.reset_index(drop=True), sub.table)
        segt = r.tests_by_segment[r.tests_by_segment["region"] == g].drop(columns="region")
        assert sub.tests is not None
        pd.testing.assert_frame_equal(segt.reset_index(drop=True), sub.tests)
    assert set(r.inconsistent_by_segment["region"]) == {"N", "S"}


def test_weights_column_array_and_unweighted() -> None:
    df = _frame()
    a = brand_funnel(df, BRANDS, STAGES, weights="w")
    b = brand_funnel(df, BRANDS, STAGES, weights=df["w"].to_numpy())
    pd.testing.assert_frame_equal(a.table, b.table)
    u = brand_funnel(df, BRANDS, STAGES)
    assert _row(u, "Lumo", "aware")["share"] == pytest.approx(5 / 6)


def test_missing_binary_answers_and_zero_weights_excluded() -> None:
    df = _frame()
    df["aware_lumo"] = df["aware_lumo"].astype(float)
    df.loc[0, "aware_lumo"] = np.nan
    df.loc[1, "w"] = 0.0
    r = brand_funnel(df, BRANDS, STAGES, weights="w")
    assert (r.n_used, r.n_excluded) == (4, 2)
    assert any("'aware_lumo' 1" in n and "zero weight 1" in n for n in r.notes)
    # missing current brand = no brand at that stage
    df2 = _frame()
    df2.loc[0, "current_brand"] = None
    r2 = brand_funnel(df2, BRANDS, STAGES)
    assert r2.n_excluded == 0
    assert _row(r2, "Lumo", "current")["n"] == 1 + 1


def test_unknown_brand_label_is_a_data_error() -> None:
    df = _frame()
    df.loc[[1, 4], "current_brand"] = ["Acme", "Zed"]
    with pytest.raises(DataError) as e:
        brand_funnel(df, BRANDS, STAGES)
    msg = str(e.value)
    assert "'current_brand'" in msg and "'Acme'" in msg and "'Zed'" in msg
    assert "rows 1, 4" in msg and "brands=" in msg


def test_bad_binary_values_missing_columns_and_options() -> None:
    df = _frame()
    df.loc[2, "consider_vetta"] = 3
    with pytest.raises(DataError, match=r"'consider_vetta'.*0/1.*3"):
        brand_funnel(df, BRANDS, STAGES)
    with pytest.raises(SchemaError, match="aware_orin"):
        brand_funnel(_frame(), [*BRANDS, "Orin"], STAGES)
    with pytest.raises(ConfigError, match=r"own='Kaiya'.*brands="):
        brand_funnel(_frame(), BRANDS, STAGES, own="Kaiya")
    with pytest.raises(ConfigError, match="more than once"):
        brand_funnel(_frame(), ["Lumo", "Lumo"], STAGES)
    with pytest.raises(ConfigError, match="stages"):
        brand_funnel(_frame(), BRANDS, {})
    with pytest.raises(ConfigError, match="lang"):
        brand_funnel(_frame(), BRANDS, STAGES, lang="fr")  # type: ignore[arg-type]


def test_plot_and_views() -> None:
    import matplotlib.pyplot as plt

    r = brand_funnel(_frame(), BRANDS, STAGES, weights="w", by="region", own="Lumo", lang="zh")
    ax = r.plot()
    assert len(ax.patches) == 6 and ax.get_ylabel() == "受访者占比"
    ax2 = r.plot(segment="S")
    assert "S" in ax2.get_title()
    with pytest.raises(ConfigError, match="segment"):
        r.plot(segment="X")
    plt.close("all")
    assert set(r.tables()) >= {"funnel", "tests", "inconsistent", "funnel by segment"}
    assert r.summary()["own"] == "Lumo"
    assert r.table.notna().all().all()


def _sample_or_skip():
    import needlab as nl

    s = nl.load_sample()
    if not hasattr(s, "brand_survey"):
        pytest.skip("the sample has no brand_survey yet")
    return s


def test_sample_funnel() -> None:
    s = _sample_or_skip()
    df = s.brand_survey
    brands = ["Lumo", "Vetta", "Orin", "Kaiya", "Brisa"]
    stages = {
        "aware": "aware_{brand}",
        "consider": "consider_{brand}",
        "current": "current_brand",
        "preferred": "preferred_brand",
    }
    r = brand_funnel(df, brands, stages, weights="weight", own="Lumo")
    assert r.n_used + r.n_excluded == len(df)
    t = r.table
    assert ((t["share_low"] <= t["share"]) & (t["share"] <= t["share_high"])).all()
    assert r.tests is not None and len(r.tests) == 4 * 4
