"""Crosstab: hand-computed tests for every variant, scipy cross-checks, R survey reference."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from scipy.stats.contingency import association

from needlab.errors import ConfigError, DataError, SchemaError
from needlab.tables.crosstab import crosstab


def two_by_two() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sat": ["yes"] * 60 + ["no"] * 40 + ["yes"] * 40 + ["no"] * 60,
            "region": ["N"] * 100 + ["S"] * 100,
        }
    )


def _pair(res, row, a, b):
    p = res.pvalues
    return p[(p["row"] == row) & (p["column_a"] == a) & (p["column_b"] == b)].iloc[0]


# --- 2x2 by hand ----------------------------------------------------------------------------


def test_two_by_two_pooled_z_by_hand() -> None:
    res = crosstab(two_by_two(), "sat", "region")
    r = _pair(res, "yes", "N", "S")
    # pooled p = 0.5, se = sqrt(0.25 * (1/100 + 1/100)) = 0.070711, z = 0.2 / se = 2.828427
    assert r["statistic"] == pytest.approx(2.828427, abs=1e-6)
    assert r["p_value"] == pytest.approx(2 * stats.norm.sf(2.828427), rel=1e-6)
    assert res.letters.loc["yes"].tolist() == ["B", ""]
    assert res.letters.loc["no"].tolist() == ["", "A"]
    assert res.percent.loc["yes"].tolist() == [60.0, 40.0, 50.0]
    assert res.bases.loc["unweighted"].tolist() == [100, 100, 200]


def test_two_by_two_unpooled_and_dimensions_by_hand() -> None:
    r = _pair(crosstab(two_by_two(), "sat", "region", method="unpooled_z"), "yes", "N", "S")
    # se = sqrt(0.6 * 0.4 / 100 + 0.4 * 0.6 / 100) = 0.069282, z = 2.886751
    assert r["statistic"] == pytest.approx(2.886751, abs=1e-6)
    r = _pair(crosstab(two_by_two(), "sat", "region", method="dimensions"), "yes", "N", "S")
    assert r["statistic"] == pytest.approx(2.828427, abs=1e-6)
    assert r["p_value"] == pytest.approx(2 * stats.t.sf(2.828427, 198), rel=1e-6)


def test_chi_square_and_cramers_v_match_scipy() -> None:
    rng = np.random.default_rng(0)
    df = pd.DataFrame(
        {"a": rng.choice(list("xyz"), 500, p=[0.5, 0.3, 0.2]), "b": rng.choice(list("pqr"), 500)}
    )
    df.loc[df["b"] == "p", "a"] = rng.choice(list("xyz"), (df["b"] == "p").sum(), p=[0.2, 0.3, 0.5])
    res = crosstab(df, "a", "b")
    table = pd.crosstab(df["a"], df["b"]).to_numpy()
    ref = stats.chi2_contingency(table, correction=False)
    g = stats.chi2_contingency(table, correction=False, lambda_="log-likelihood")
    pear = res.chi2.set_index("test").loc["Pearson chi-square"]
    assert pear["statistic"] == pytest.approx(ref.statistic)
    assert pear["p_value"] == pytest.approx(ref.pvalue) and pear["df"] == 4
    assert res.chi2.set_index("test").loc["Likelihood ratio (G)", "statistic"] == pytest.approx(
        g.statistic
    )
    assert res.cramers_v == pytest.approx(association(table, method="cramer"))
    # Bergsma (2013) by hand.
    n, k = 500, 3
    phi2 = max(0, ref.statistic / n - (k - 1) ** 2 / (n - 1))
    kc = k - (k - 1) ** 2 / (n - 1)
    assert res.cramers_v_corrected == pytest.approx(math.sqrt(phi2 / (kc - 1)))


# --- 3x3, weights, totals, adjustment -----------------------------------------------------


def _three_by_three() -> pd.DataFrame:
    # Column X: 30 a, 10 b, 10 c; Y: 20 a, 20 b, 10 c; Z: 10 a, 20 b, 30 c.
    rows = (
        ["a"] * 30
        + ["b"] * 10
        + ["c"] * 10
        + ["a"] * 20
        + ["b"] * 20
        + ["c"] * 10
        + ["a"] * 10
        + ["b"] * 20
        + ["c"] * 30
    )
    cols = ["X"] * 50 + ["Y"] * 50 + ["Z"] * 60
    return pd.DataFrame({"r": rows, "c": cols})


def test_three_by_three_pairs_and_total_by_hand() -> None:
    res = crosstab(_three_by_three(), "r", "c")
    # Row a, X (30/50 = 0.6) vs Z (10/60): pooled (30 + 10) / 110.
    p = 40 / 110
    z = (0.6 - 1 / 6) / math.sqrt(p * (1 - p) * (1 / 50 + 1 / 60))
    assert _pair(res, "a", "X", "Z")["statistic"] == pytest.approx(z)
    # Row a, X against the rest of the sample (Y + Z: 30 of 110), not against the total.
    p = 60 / 160
    z = (0.6 - 30 / 110) / math.sqrt(p * (1 - p) * (1 / 50 + 1 / 110))
    assert _pair(res, "a", "X", "Total")["statistic"] == pytest.approx(z)
    assert _pair(res, "a", "X", "Total")["p_b"] == pytest.approx(60 / 160)
    assert res.letters.loc["a", "X"] == "BC"  # X > Z (p < 0.001); X vs Y: 0.6 vs 0.4, p = 0.045
    assert _pair(res, "a", "X", "Y")["p_value"] == pytest.approx(0.0455, abs=1e-3)


def test_adjustment_and_lower_case_letters() -> None:
    df = _three_by_three()
    plain = crosstab(df, "r", "c")
    bonf = crosstab(df, "r", "c", adjust="bonferroni")
    a, b = _pair(plain, "a", "X", "Y"), _pair(bonf, "a", "X", "Y")
    assert b["p_adjusted"] == pytest.approx(min(1.0, 3 * a["p_value"]))
    assert bonf.letters.loc["a", "X"] == "C"  # 0.045 * 3 > 0.05: Y dropped
    two = crosstab(df, "r", "c", adjust="bonferroni", alpha2=0.20)
    assert two.letters.loc["a", "X"] == "bC"
    bh = crosstab(df, "r", "c", adjust="bh")
    ps = plain.pvalues
    row_a = ps[(ps["row"] == "a") & (ps["column_b"] != "Total")]["p_value"].to_numpy()
    order = np.argsort(row_a)
    m = len(row_a)
    expected = np.minimum.accumulate((row_a[order] * m / np.arange(1, m + 1))[::-1])[::-1]
    got = bh.pvalues[(bh.pvalues["row"] == "a") & (bh.pvalues["column_b"] != "Total")]["p_adjusted"]
    np.testing.assert_allclose(got.to_numpy()[order], np.minimum(expected, 1))


def test_weighted_effective_base_by_hand() -> None:
    df = pd.DataFrame(
        {
            "r": ["y", "y", "n", "n", "y", "n", "n", "n"],
            "c": ["A", "A", "A", "A", "B", "B", "B", "B"],
            "w": [2.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 3.0],
        }
    )
    res = crosstab(df, "r", "c", weights="w")
    # A: weights 2,1,1,1 -> W 5, e = 25/7; p(y) = 3/5. B: 1,1,1,3 -> W 6, e = 36/12 = 3; p(y) = 1/6.
    assert res.bases.loc["effective", "A"] == pytest.approx(25 / 7)
    assert res.bases.loc["effective", "B"] == pytest.approx(3.0)
    pool = (0.6 * 25 / 7 + 1 / 6 * 3) / (25 / 7 + 3)
    z = (0.6 - 1 / 6) / math.sqrt(pool * (1 - pool) * (7 / 25 + 1 / 3))
    assert _pair(res, "y", "A", "B")["statistic"] == pytest.approx(z)
    dims = crosstab(df, "r", "c", weights="w", method="dimensions")
    pool = (3 + 1) / (5 + 6)
    t = (0.6 - 1 / 6) / math.sqrt(pool * (1 - pool) * (7 / 25 + 1 / 3))
    r = _pair(dims, "y", "A", "B")
    assert r["statistic"] == pytest.approx(t)
    assert r["p_value"] == pytest.approx(2 * stats.t.sf(t, 25 / 7 + 3 - 2))
    assert res.counts.loc["y", "A"] == 3.0 and res.unweighted.loc["y", "A"] == 2


def _rao_scott_data(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    if seed == 21:  # 2 x 2, 50 rows
        n = 50
        return pd.DataFrame(
            {
                "r": rng.choice(["no", "yes"], n, p=[0.45, 0.55]),
                "c": rng.choice(["A", "B"], n),
                "w": np.round(rng.uniform(0.2, 4.0, n), 2),
            }
        )
    if seed == 33:  # 3 x 3 with an empty cell (s, Z) and four rows of weight 0
        n = 90
        df = pd.DataFrame(
            {
                "r": rng.choice(["p", "q", "s"], n),
                "c": rng.choice(["X", "Y", "Z"], n),
                "w": np.round(rng.lognormal(0, 0.7, n), 2),
            }
        )
        df.loc[(df["r"] == "s") & (df["c"] == "Z"), "r"] = "q"
        df.loc[:3, "w"] = 0.0
        return df
    if seed == 11:
        n = 62
        return pd.DataFrame(
            {
                "r": rng.choice(["lo", "mid", "hi"], n),
                "c": rng.choice(["u", "v"], n),
                "w": np.round(rng.uniform(0.3, 3.0, n), 2),
            }
        )
    n = 400
    return pd.DataFrame(
        {
            "r": rng.choice(list("abcd"), n),
            "c": rng.choice(list("xyz"), n),
            "w": np.round(rng.lognormal(0, 0.6, n), 3),
        }
    )


# Reference values from R 4.2 with survey 4.1 (Debian r-cran-survey), the data above written
# with DataFrame.to_csv and read with read.csv:
#   d <- svydesign(ids = ~1, weights = ~w, data = x); svychisq(~r + c, d)   # statistic = "F"
R_SVYCHISQ = {
    11: (0.8230000532, 1.9934261355, 121.5989942657, 0.441196185221),
    5: (0.7694851389, 5.9273400806, 2365.0086921666, 0.592382056426),
    # R 4.2.2, survey 4.1.1, same call: a 2 x 2 (ndf exactly 1, ddf = n - 1) and a 3 x 3 with
    # an empty cell and zero weights (R keeps weight-0 rows in n: ddf = ndf (90 - 1)).
    21: (0.1858712971, 1.0000000000, 49.0000000000, 0.6682661561),
    33: (3.0157723681, 3.8481415908, 342.4846015840, 0.0196128008),
}


@pytest.mark.parametrize("seed", sorted(R_SVYCHISQ))
def test_rao_scott_matches_r_survey(seed) -> None:
    res = crosstab(_rao_scott_data(seed), "r", "c", weights="w")
    got = res.chi2.iloc[0]
    f, ndf, ddf, p = R_SVYCHISQ[seed]
    assert got["test"].startswith("Rao-Scott")
    assert got["statistic"] == pytest.approx(f, rel=1e-8)
    assert got["df"] == pytest.approx(ndf, rel=1e-8)
    assert got["df2"] == pytest.approx(ddf, rel=1e-8)
    assert got["p_value"] == pytest.approx(p, rel=1e-8)
    assert len(res.chi2) == 1  # weighted: no unweighted Pearson / G rows


def test_rao_scott_undefined_table_is_reported_not_crashed() -> None:
    # Rows b and c answered only in column X: the interaction contrasts of the empty cells
    # (b, Y), (b, Z), (c, Y), (c, Z) carry no data, C' D C is singular. R 4.2 / survey 4.1:
    #   svychisq(~r + c, svydesign(ids = ~1, weights = ~w, data = x))
    #   Error in solve.default(denom, numr): system is computationally singular
    df = pd.DataFrame(
        {
            "r": ["a"] * 25 + ["b"] * 4 + ["c"] * 3,
            "c": ["X"] * 14 + ["Y"] * 7 + ["Z"] * 4 + ["X"] * 7,
            "w": 1.0,
        }
    )
    res = crosstab(df, "r", "c", weights="w")
    row = res.chi2.iloc[0]
    assert row["test"].startswith("Rao-Scott") and np.isnan(row["p_value"])
    assert np.isnan(row["statistic"]) and np.isnan(row["df"])
    assert any("Rao-Scott test is not defined" in n for n in res.notes)
    # The rest of the result stands: column tests and Cramer's V (from the Pearson X^2).
    assert res.pvalues["testable"].any()
    t = pd.crosstab(df["r"], df["c"]).to_numpy()
    assert res.cramers_v == pytest.approx(association(t, method="cramer"))


def test_rao_scott_reduces_to_pearson_scale_without_weights() -> None:
    df = _three_by_three()
    res = crosstab(df, "r", "c", weights=np.ones(len(df)))
    f = res.chi2.iloc[0]
    pear = crosstab(df, "r", "c").chi2.iloc[0]
    n = len(df)
    # Equal weights: Delta = n/(n-1) I, so F = X^2 (n-1)/n / df and df1 = (R-1)(C-1).
    assert f["df"] == pytest.approx(4)
    assert f["statistic"] == pytest.approx(pear["statistic"] * (n - 1) / n / 4)
    assert f["df2"] == pytest.approx(4 * (n - 1))


# --- nets, empty columns, bad input --------------------------------------------------------


def test_nets_are_sums_and_tested() -> None:
    df = pd.DataFrame({"q": [1, 2, 3, 4, 5, 5, 4, 1, 2, 5] * 10, "g": ["m", "f"] * 50})
    res = crosstab(df, "q", "g", nets={"Top 2": [4, 5], "Bottom 2": [1, 2]})
    assert res.counts.loc["Top 2", "m"] == res.counts.loc[[4, 5], "m"].sum()
    assert res.percent.loc["Top 2", "Total"] == pytest.approx(50.0)
    assert set(res.pvalues["row"]) >= {"Top 2", "Bottom 2"}
    with pytest.raises(DataError, match="6"):
        crosstab(df, "q", "g", nets={"Top": [5, 6]})


def test_empty_column_is_not_testable_and_reported() -> None:
    df = two_by_two()
    df["region"] = pd.Categorical(df["region"], categories=["N", "S", "W"])
    res = crosstab(df, "sat", "region")
    w = res.pvalues[(res.pvalues["column_a"] == "W") | (res.pvalues["column_b"] == "W")]
    assert len(w) and not w["testable"].any() and w["p_value"].isna().all()
    assert res.letters["W"].tolist() == ["", ""]
    assert any("not testable" in n for n in res.notes)
    assert res.chi2.iloc[0]["df"] == 1  # the empty column is left out of the chi-square


def test_missing_values_are_counted() -> None:
    df = two_by_two()
    df.loc[:4, "sat"] = None
    df.loc[199, "region"] = None
    res = crosstab(df, "sat", "region")
    assert res.bases.loc["unweighted", "Total"] == 194
    assert any(
        "6 of 200 rows excluded: 5 missing 'sat', 1 missing 'region'" in n for n in res.notes
    )


def test_bad_input() -> None:
    df = two_by_two()
    with pytest.raises(SchemaError, match="regoin"):
        crosstab(df, "sat", "regoin")
    with pytest.raises(DataError, match="negative"):
        crosstab(df, "sat", "region", weights=np.r_[-1.0, np.ones(199)])
    with pytest.raises(DataError, match="one category|1 category"):
        crosstab(df.assign(one="x"), "sat", "one")
    with pytest.raises(DataError, match="mixes value types"):
        crosstab(df.assign(mixed=[1, "1"] * 100), "mixed", "region")
    with pytest.raises(ConfigError, match="alpha"):
        crosstab(df, "sat", "region", alpha=1.5)
    with pytest.raises(ConfigError, match="alpha2"):
        crosstab(df, "sat", "region", alpha=0.05, alpha2=0.01)


def test_display_and_html_escape() -> None:
    df = two_by_two()
    df["region"] = df["region"].map({"N": "<b>North</b>", "S": "South"})
    res = crosstab(df, "sat", "region", lang="zh")
    html = res._repr_html_()
    assert "<b>North</b>" not in html and "&lt;b&gt;North&lt;/b&gt;" in html
    shown = res.display()
    assert list(shown.columns) == ["<b>North</b> (A)", "South (B)", "合计"]
    assert shown.loc["基数（未加权）"].tolist() == ["100", "100", "200"]


# --- properties -----------------------------------------------------------------------------


@st.composite
def tables(draw):
    n = draw(st.integers(20, 80))
    r = draw(st.lists(st.sampled_from("abc"), min_size=n, max_size=n))
    c = draw(st.lists(st.sampled_from("XYZ"), min_size=n, max_size=n))
    w = draw(st.lists(st.floats(0.2, 4.0), min_size=n, max_size=n))
    df = pd.DataFrame({"r": r, "c": c, "w": w})
    if df["r"].nunique() < 2 or df["c"].nunique() < 2:
        df.loc[0, "r"], df.loc[1, "r"], df.loc[0, "c"], df.loc[1, "c"] = "a", "b", "X", "Y"
    return df


@settings(max_examples=40, deadline=None)
@given(tables(), st.floats(0.3, 5.0))
def test_equal_weights_change_no_p_value(df, c) -> None:
    a = crosstab(df, "r", "c").pvalues
    b = crosstab(df, "r", "c", weights=np.full(len(df), c)).pvalues
    np.testing.assert_allclose(a["p_value"], b["p_value"], rtol=1e-9)


@settings(max_examples=40, deadline=None)
@given(tables(), st.randoms(use_true_random=False))
def test_permutation_invariance_and_percent_sums(df, rnd) -> None:
    order = list(range(len(df)))
    rnd.shuffle(order)
    a = crosstab(df, "r", "c", weights="w")
    b = crosstab(df.iloc[order], "r", "c", weights="w")
    pd.testing.assert_frame_equal(a.pvalues, b.pvalues, check_exact=False, rtol=1e-9)
    pd.testing.assert_frame_equal(a.chi2, b.chi2, check_exact=False, rtol=1e-9)
    sums = a.percent.sum(axis=0)
    np.testing.assert_allclose(sums[a.bases.loc["unweighted"] > 0], 100.0)


def test_heatmap_shows_percent_and_letters() -> None:
    ax = crosstab(two_by_two(), "sat", "region").plot()
    texts = sorted(t.get_text() for t in ax.texts)
    assert texts == sorted(["40", "60 A", "60 B", "40", "50", "50"])


# mtcars (R datasets): vs, am, cyl, mpg. expss documents its column-percent letters as "the same
# formula as prop.test without continuity correction" and its mean letters as t.test; the
# p values below were computed with R 4.2:
#   prop.test(t(table(mtcars$am, mtcars$vs)), correct = FALSE)$p.value          # 0.340942914274
#   prop.test(t(table(mtcars$cyl == 4, mtcars$am))[, 2:1], correct = FALSE)$p.value  # 0.007448903532
#   t.test(mpg ~ am, data = mtcars)$p.value                                       # 0.001373638333
MTCARS = pd.DataFrame(
    {
        "vs": [
            0,
            0,
            1,
            1,
            0,
            1,
            0,
            1,
            1,
            1,
            1,
            0,
            0,
            0,
            0,
            0,
            0,
            1,
            1,
            1,
            1,
            0,
            0,
            0,
            0,
            1,
            0,
            1,
            0,
            0,
            0,
            1,
        ],
        "am": [
            1,
            1,
            1,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            1,
            1,
            1,
            0,
            0,
            0,
            0,
            0,
            1,
            1,
            1,
            1,
            1,
            1,
            1,
        ],
        "cyl": [
            6,
            6,
            4,
            6,
            8,
            6,
            8,
            4,
            4,
            6,
            6,
            8,
            8,
            8,
            8,
            8,
            8,
            4,
            4,
            4,
            4,
            8,
            8,
            8,
            8,
            4,
            4,
            4,
            8,
            6,
            8,
            4,
        ],
        "mpg": [
            21,
            21,
            22.8,
            21.4,
            18.7,
            18.1,
            14.3,
            24.4,
            22.8,
            19.2,
            17.8,
            16.4,
            17.3,
            15.2,
            10.4,
            10.4,
            14.7,
            32.4,
            30.4,
            33.9,
            21.5,
            15.5,
            15.2,
            13.3,
            19.2,
            27.3,
            26,
            30.4,
            15.8,
            19.7,
            15,
            21.4,
        ],
    }
)


def test_mtcars_matches_r_prop_test_and_t_test() -> None:
    from needlab.tables.means import compare_means

    res = crosstab(MTCARS, "vs", "am")
    assert _pair(res, 1, 0, 1)["p_value"] == pytest.approx(0.340942914274, rel=1e-9)
    res = crosstab(MTCARS.assign(four=MTCARS["cyl"] == 4), "four", "am")
    assert _pair(res, True, 0, 1)["p_value"] == pytest.approx(0.007448903532, rel=1e-9)
    assert res.letters.loc[True].tolist() == ["", "A"]
    means = compare_means(MTCARS, "mpg", "am")
    assert means.pvalues.loc[0, "p_value"] == pytest.approx(0.001373638333, rel=1e-9)


def test_crosstab_to_excel_and_bars(tmp_path) -> None:
    import openpyxl

    res = crosstab(two_by_two(), "sat", "region")
    path = res.to_excel(tmp_path / "ct.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == "crosstab"
    values = [c.value for row in wb["crosstab"].iter_rows() for c in row if c.value is not None]
    assert "60 B" in values
    ax = res.plot(kind="bars")
    assert sorted(t.get_text() for t in ax.texts if t.get_text()) == ["A", "B"]


# --- test=None, expected counts, weighted Cramer's V, HTML ---------------------------------


def test_test_none_gives_tables_without_letters() -> None:
    res = crosstab(_three_by_three(), "r", "c", test=None)
    assert res.pvalues.empty and list(res.pvalues.columns)[:3] == ["row", "column_a", "column_b"]
    assert (res.letters == "").all().all()
    assert res.display().loc["a"].tolist() == ["60", "40", "17", "38"]
    full = crosstab(_three_by_three(), "r", "c")
    pd.testing.assert_frame_equal(res.chi2, full.chi2)
    pd.testing.assert_frame_equal(res.percent, full.percent)
    assert any("no column tests" in n for n in res.notes)


def test_expected_count_rule_by_hand() -> None:
    # Row totals 6 and 54, column totals 20, 20, 20: expected counts of row "rare" are
    # 6 * 20 / 60 = 2 in every column: 3 of 6 cells below 5 (50%), smallest 2.
    df = pd.DataFrame(
        {
            "r": ["rare"] * 6 + ["common"] * 54,
            "c": ["A", "B", "C"] * 2 + ["A"] * 18 + ["B"] * 18 + ["C"] * 18,
        }
    )
    res = crosstab(df, "r", "c")
    row = res.chi2.iloc[0]
    assert row["small_expected"] == pytest.approx(0.5)
    assert row["min_expected"] == pytest.approx(2.0)
    assert any("50% of cells have expected counts below 5 (smallest 2)" in n for n in res.notes)
    # A large table: no note.
    big = crosstab(_three_by_three(), "r", "c")
    assert big.chi2.iloc[0]["min_expected"] == pytest.approx(50 * 50 / 160)
    assert not any("expected counts" in n for n in big.notes)


def test_expected_below_one_triggers_the_note_alone() -> None:
    # 10 rows x 2 columns; row "x" has 1 respondent: expected 0.5 in both of its cells, which
    # is 2 of 20 cells (10%, under the 20% rule) but below 1.
    rows = ["x"] + [f"r{i}" for i in range(9) for _ in range(22)]
    df = pd.DataFrame({"r": rows, "c": (["A", "B"] * 200)[: len(rows)]})
    res = crosstab(df, "r", "c")
    assert res.chi2.iloc[0]["small_expected"] == pytest.approx(0.1)
    assert res.chi2.iloc[0]["min_expected"] < 1
    assert any("none below 1" in n for n in res.notes)


def test_weighted_cramers_v_by_hand() -> None:
    df = _rao_scott_data(5)
    res = crosstab(df, "r", "c", weights="w")
    wt = df.pivot_table(index="r", columns="c", values="w", aggfunc="sum").to_numpy()
    n = len(df)
    t = wt / wt.sum() * n  # the weighted table rescaled to the unweighted n
    x2 = stats.chi2_contingency(t, correction=False).statistic
    assert res.cramers_v == pytest.approx(math.sqrt(x2 / (n * 2)))
    phi2 = max(0.0, x2 / n - 3 * 2 / (n - 1))
    kc, rc = 4 - 9 / (n - 1), 3 - 4 / (n - 1)
    assert res.cramers_v_corrected == pytest.approx(math.sqrt(phi2 / min(kc - 1, rc - 1)))
    # Equal weights: the unweighted V.
    same = crosstab(df, "r", "c", weights=np.full(n, 2.5))
    assert same.cramers_v == pytest.approx(crosstab(df, "r", "c").cramers_v)


def test_html_shows_letters_and_bases() -> None:
    html = crosstab(_three_by_three(), "r", "c", weights=np.ones(160))._repr_html_()
    for text in (
        "X (A)",
        "Y (B)",
        "Z (C)",
        "60 BC",
        "50 AB",
        "Base (unweighted)",
        "Base (weighted)",
        "Base (effective)",
        "Rao-Scott",
    ):
        assert text in html, text
    assert html.index("60 BC") < html.index("Base (unweighted)")


@settings(max_examples=25, deadline=None)
@given(tables(), st.floats(0.3, 5.0), st.sampled_from(["pooled_z", "dimensions", "unpooled_z"]))
def test_equal_weights_change_nothing_for_every_method(df, c, method) -> None:
    a = crosstab(df, "r", "c", method=method, alpha2=0.1)
    b = crosstab(df, "r", "c", method=method, alpha2=0.1, weights=np.full(len(df), c))
    np.testing.assert_allclose(a.pvalues["p_value"], b.pvalues["p_value"], rtol=1e-9)
    np.testing.assert_allclose(a.pvalues["statistic"], b.pvalues["statistic"], rtol=1e-9, atol=1e-9)
    pd.testing.assert_frame_equal(a.letters, b.letters)
    np.testing.assert_allclose(a.percent, b.percent, rtol=1e-12)


@settings(max_examples=25, deadline=None)
@given(tables())
def test_row_and_total_percentages_sum_to_100(df) -> None:
    rows = crosstab(df, "r", "c", weights="w", percent="row").percent.drop(columns="Total")
    np.testing.assert_allclose(rows.sum(axis=1), 100.0)
    tot = crosstab(df, "r", "c", weights="w", percent="total").percent
    assert tot.drop(columns="Total").to_numpy().sum() == pytest.approx(100.0)
    assert tot["Total"].sum() == pytest.approx(100.0)
