"""Every column-proportion variant by hand on 2x2 and 3x3 tables, unweighted and weighted;
adjustment; comparisons against Total; Welch mean tests with weights.

The expected values are written out from the formulas with the table's literal counts
(Kish effective base e = (sum w)^2 / sum w^2):

- ``pooled_z``:   p = (p_a e_a + p_b e_b) / (e_a + e_b), z = (p_a - p_b) / sqrt(p(1-p)(1/e_a + 1/e_b))
- ``dimensions``: p = (x_a + x_b) / (W_a + W_b) (weighted counts), same SE on e, t with e_a + e_b - 2 df
- ``unpooled_z``: z = (p_a - p_b) / sqrt(p_a(1-p_a)/e_a + p_b(1-p_b)/e_b)
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from needlab.tables.coltests import adjust_pvalues
from needlab.tables.crosstab import crosstab
from needlab.tables.means import compare_means
from needlab.tables.multi import multi

METHODS = ("pooled_z", "dimensions", "unpooled_z")


def _pair(res, row, a, b):
    p = res.pvalues
    hit = p[(p["row"] == row) & (p["column_a"] == a) & (p["column_b"] == b)]
    assert len(hit) == 1, (row, a, b)
    return hit.iloc[0]


def by_hand(
    method: str, pa: float, pb: float, ea: float, eb: float, wa: float, wb: float
) -> tuple[float, float]:
    """The three formulas of the module docstring, written once more for the tests."""
    if method == "unpooled_z":
        se = math.sqrt(pa * (1 - pa) / ea + pb * (1 - pb) / eb)
    else:
        pool = (
            (pa * wa + pb * wb) / (wa + wb)
            if method == "dimensions"
            else (pa * ea + pb * eb) / (ea + eb)
        )
        se = math.sqrt(pool * (1 - pool) * (1 / ea + 1 / eb))
    z = (pa - pb) / se
    if method == "dimensions":
        return z, 2 * stats.t.sf(abs(z), ea + eb - 2)
    return z, 2 * stats.norm.sf(abs(z))


# --- 2x2 ------------------------------------------------------------------------------------


def two_by_two() -> pd.DataFrame:
    # N: 60 yes of 100; S: 40 yes of 100.
    return pd.DataFrame(
        {
            "sat": ["yes"] * 60 + ["no"] * 40 + ["yes"] * 40 + ["no"] * 60,
            "region": ["N"] * 100 + ["S"] * 100,
        }
    )


# Fixed values from R 4.2:
#   prop.test(c(60, 40), c(100, 100), correct = FALSE)$p.value     # 0.00467773498105
#   2 * pt(-0.2 / sqrt(0.25 * 0.02), 198)                          # 0.00515884891203
#   z <- 0.2 / sqrt(2 * 0.24 / 100); 2 * pnorm(-z)                 # 2.88675134595, 0.00389241712278
@pytest.mark.parametrize(
    ("method", "z", "p"),
    [
        # pooled 0.5: se = sqrt(.25 * .02) = 0.0707107, z = 0.2 / se
        ("pooled_z", 2.8284271247, 0.00467773498105),
        # the same SE, t on 198 df
        ("dimensions", 2.8284271247, 0.00515884891203),
        # se = sqrt(2 * .24 / 100) = 0.0692820
        ("unpooled_z", 2.8867513459, 0.00389241712278),
    ],
)
def test_two_by_two_unweighted_all_variants(method, z, p) -> None:
    r = _pair(crosstab(two_by_two(), "sat", "region", method=method), "yes", "N", "S")
    assert r["statistic"] == pytest.approx(z, abs=1e-9)
    assert r["p_value"] == pytest.approx(p, rel=1e-7)
    assert r["p_value"] == pytest.approx(by_hand(method, 0.6, 0.4, 100, 100, 100, 100)[1])
    assert (r["p_a"], r["p_b"], r["difference"]) == pytest.approx((0.6, 0.4, 0.2))


def weighted_two_by_two() -> pd.DataFrame:
    # A: y weights 2, 1; n weights 1, 1 -> W 5, sum w^2 7, e 25/7, p(y) 3/5.
    # B: y weight 1;    n weights 1, 1, 3 -> W 6, sum w^2 12, e 3, p(y) 1/6.
    return pd.DataFrame(
        {
            "r": ["y", "y", "n", "n", "y", "n", "n", "n"],
            "c": ["A", "A", "A", "A", "B", "B", "B", "B"],
            "w": [2.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 3.0],
        }
    )


@pytest.mark.parametrize("method", METHODS)
def test_two_by_two_weighted_all_variants(method) -> None:
    res = crosstab(weighted_two_by_two(), "r", "c", weights="w", method=method)
    ea, eb = 25 / 7, 3.0
    pa, pb = 3 / 5, 1 / 6
    if method == "pooled_z":
        pool = (pa * ea + pb * eb) / (ea + eb)
    elif method == "dimensions":
        pool = (3 + 1) / (5 + 6)
    se = (
        math.sqrt(pa * (1 - pa) / ea + pb * (1 - pb) / eb)
        if method == "unpooled_z"
        else math.sqrt(pool * (1 - pool) * (7 / 25 + 1 / 3))
    )
    z = (pa - pb) / se
    p = 2 * (stats.t.sf(z, 25 / 7 + 3 - 2) if method == "dimensions" else stats.norm.sf(z))
    r = _pair(res, "y", "A", "B")
    assert r["statistic"] == pytest.approx(z, rel=1e-12)
    assert r["p_value"] == pytest.approx(p, rel=1e-10)
    # "n" row: the mirror image, same |z|.
    assert _pair(res, "n", "A", "B")["statistic"] == pytest.approx(-z, rel=1e-12)


def test_two_by_two_weighted_unpooled_fixed_value() -> None:
    # se = sqrt(.6 * .4 * 7/25 + (1/6)(5/6)/3) = sqrt(0.0672 + 0.0462963) = 0.336892114,
    # z = (0.6 - 1/6) / se = 1.28626737067 (R: se <- sqrt(0.6*0.4*7/25 + (1/6)*(5/6)/3))
    r = _pair(
        crosstab(weighted_two_by_two(), "r", "c", weights="w", method="unpooled_z"), "y", "A", "B"
    )
    assert r["statistic"] == pytest.approx(1.28626737067, rel=1e-10)


# --- 3x3 unweighted -------------------------------------------------------------------------


def three_by_three() -> pd.DataFrame:
    # Column X: 30 a, 10 b, 10 c (50); Y: 20 a, 20 b, 10 c (50); Z: 10 a, 20 b, 30 c (60).
    counts = {"X": (30, 10, 10), "Y": (20, 20, 10), "Z": (10, 20, 30)}
    rows, cols = [], []
    for c, ns in counts.items():
        for r, k in zip("abc", ns, strict=True):
            rows += [r] * k
            cols += [c] * k
    return pd.DataFrame({"r": rows, "c": cols})


UNWEIGHTED_3X3 = {"X": (30, 10, 10), "Y": (20, 20, 10), "Z": (10, 20, 30)}


@pytest.mark.parametrize("method", METHODS)
def test_three_by_three_unweighted_every_pair(method) -> None:
    res = crosstab(three_by_three(), "r", "c", method=method)
    base = {c: sum(v) for c, v in UNWEIGHTED_3X3.items()}
    for (i, row), (a, b) in itertools.product(enumerate("abc"), itertools.combinations("XYZ", 2)):
        pa, pb = UNWEIGHTED_3X3[a][i] / base[a], UNWEIGHTED_3X3[b][i] / base[b]
        z, p = by_hand(method, pa, pb, base[a], base[b], base[a], base[b])
        got = _pair(res, row, a, b)
        assert got["statistic"] == pytest.approx(z, rel=1e-12), (row, a, b)
        assert got["p_value"] == pytest.approx(p, rel=1e-10), (row, a, b)
    # 3 rows x (3 pairs + 3 against Total)
    assert len(res.pvalues) == 18


def test_three_by_three_fixed_values() -> None:
    # Row c, X (10/50 = 0.2) vs Z (30/60 = 0.5), the three variants written out.
    df = three_by_three()
    # R 4.2: prop.test(c(10, 30), c(50, 60), correct = FALSE)$p.value   # 0.00112651626462
    #        p <- 40/110; z <- -0.3 / sqrt(p*(1-p)*(1/50 + 1/60))          # -3.25686089005
    #        2 * pt(z, 108)                                                # 0.0015056697921
    #        -0.3 / sqrt(0.2*0.8/50 + 0.25/60)                             # -3.49531036821
    r = _pair(crosstab(df, "r", "c"), "c", "X", "Z")
    assert r["statistic"] == pytest.approx(-3.25686089005, rel=1e-10)
    assert r["p_value"] == pytest.approx(0.00112651626462, rel=1e-9)
    r = _pair(crosstab(df, "r", "c", method="dimensions"), "c", "X", "Z")
    assert r["statistic"] == pytest.approx(-3.25686089005, rel=1e-10)  # no weights: same pool
    assert r["p_value"] == pytest.approx(0.0015056697921, rel=1e-9)
    r = _pair(crosstab(df, "r", "c", method="unpooled_z"), "c", "X", "Z")
    assert r["statistic"] == pytest.approx(-3.49531036821, rel=1e-10)
    # Letters: Z (C) is above X (A) and Y (B) in row c: 0.5 vs 0.2 and 0.2.
    assert crosstab(df, "r", "c").letters.loc["c"].tolist() == ["", "", "AB"]


# --- 3x3 weighted ---------------------------------------------------------------------------

# column -> row -> (rows with weight 1, rows with weight 2)
WEIGHTED_CELLS = {
    "X": {"a": (10, 5), "b": (5, 5), "c": (10, 0)},  # W 45, sum w^2 65
    "Y": {"a": (4, 8), "b": (10, 2), "c": (6, 4)},  # W 48, sum w^2 76
    "Z": {"a": (2, 1), "b": (8, 6), "c": (10, 8)},  # W 50, sum w^2 80
}


def weighted_three_by_three() -> pd.DataFrame:
    parts = []
    for c, cells in WEIGHTED_CELLS.items():
        for r, (n1, n2) in cells.items():
            parts.append(pd.DataFrame({"r": r, "c": c, "w": [1.0] * n1 + [2.0] * n2}))
    return pd.concat(parts, ignore_index=True)


def test_weighted_three_by_three_bases() -> None:
    res = crosstab(weighted_three_by_three(), "r", "c", weights="w")
    assert res.bases.loc["weighted"].tolist() == [45, 48, 50, 143]
    assert res.bases.loc["unweighted"].tolist() == [35, 34, 35, 104]
    np.testing.assert_allclose(
        res.bases.loc["effective"], [45**2 / 65, 48**2 / 76, 50**2 / 80, 143**2 / 221]
    )
    assert res.counts.loc["a", "X"] == 20 and res.unweighted.loc["a", "X"] == 15


@pytest.mark.parametrize("method", METHODS)
def test_weighted_three_by_three_every_pair(method) -> None:
    res = crosstab(weighted_three_by_three(), "r", "c", weights="w", method=method)
    W = {"X": 45, "Y": 48, "Z": 50}
    E = {"X": 45**2 / 65, "Y": 48**2 / 76, "Z": 50**2 / 80}
    x = {
        c: {r: n1 + 2 * n2 for r, (n1, n2) in cells.items()} for c, cells in WEIGHTED_CELLS.items()
    }
    for row, (a, b) in itertools.product("abc", itertools.combinations("XYZ", 2)):
        z, p = by_hand(method, x[a][row] / W[a], x[b][row] / W[b], E[a], E[b], W[a], W[b])
        got = _pair(res, row, a, b)
        assert got["statistic"] == pytest.approx(z, rel=1e-12), (row, a, b)
        assert got["p_value"] == pytest.approx(p, rel=1e-10), (row, a, b)


def test_weighted_three_by_three_written_out() -> None:
    # Row a, X vs Y: p_X = 20/45, p_Y = 20/48; e_X = 2025/65, e_Y = 2304/76.
    df = weighted_three_by_three()
    ex, ey = 2025 / 65, 2304 / 76
    px, py = 20 / 45, 20 / 48
    pool = (px * ex + py * ey) / (ex + ey)
    se = math.sqrt(pool * (1 - pool) * (1 / ex + 1 / ey))
    assert _pair(crosstab(df, "r", "c", weights="w"), "a", "X", "Y")["statistic"] == pytest.approx(
        (px - py) / se
    )
    pool = 40 / 93  # (20 + 20) / (45 + 48): pooled on weighted counts
    t = (px - py) / math.sqrt(pool * (1 - pool) * (1 / ex + 1 / ey))
    r = _pair(crosstab(df, "r", "c", weights="w", method="dimensions"), "a", "X", "Y")
    assert r["statistic"] == pytest.approx(t)
    assert r["p_value"] == pytest.approx(2 * stats.t.sf(abs(t), ex + ey - 2))
    # Row c, X (10/45) vs Z (26/50), unpooled: the letter goes to Z (C) over X (A).
    res = crosstab(df, "r", "c", weights="w", method="unpooled_z")
    z = (10 / 45 - 26 / 50) / math.sqrt((10 / 45) * (35 / 45) / ex + 0.52 * 0.48 / (2500 / 80))
    assert _pair(res, "c", "X", "Z")["statistic"] == pytest.approx(z)
    assert z == pytest.approx(-2.5595345, abs=1e-6)
    # Z (0.52) > X (0.22) at 0.05; Y (14/48 = 0.29) vs Z misses it (p = 0.0606).
    ey, ez = 2304 / 76, 2500 / 80
    z_yz = (14 / 48 - 0.52) / math.sqrt((14 / 48) * (34 / 48) / ey + 0.52 * 0.48 / ez)
    assert _pair(res, "c", "Y", "Z")["p_value"] == pytest.approx(2 * stats.norm.sf(abs(z_yz)))
    assert 0.05 < 2 * stats.norm.sf(abs(z_yz)) < 0.07
    assert res.letters.loc["c"].tolist() == ["", "", "A"]
    assert (
        crosstab(df, "r", "c", weights="w", method="unpooled_z", alpha2=0.1).letters.loc["c", "Z"]
        == "Ab"
    )


def test_weighted_three_by_three_against_total_is_against_the_rest() -> None:
    # X against the rest (Y + Z): W 98, sum w^2 156, row a: (20 + 4) / 98.
    df = weighted_three_by_three()
    ex, er = 2025 / 65, 98**2 / 156
    px, pr = 20 / 45, 24 / 98
    for method in METHODS:
        got = _pair(crosstab(df, "r", "c", weights="w", method=method), "a", "X", "Total")
        z, p = by_hand(method, px, pr, ex, er, 45, 98)
        assert got["statistic"] == pytest.approx(z), method
        assert got["p_value"] == pytest.approx(p), method
        assert got["p_b"] == pytest.approx(44 / 143)  # the total's proportion is shown
        assert got["difference"] == pytest.approx(px - 44 / 143)
    # The overlap identity: p_X - p_total = (1 - W_X / W)(p_X - p_rest).
    assert px - 44 / 143 == pytest.approx((1 - 45 / 143) * (px - pr))
    # A naive test of X against the total as if independent would understate the difference.
    naive, _ = by_hand("pooled_z", px, 44 / 143, ex, 143**2 / 221, 45, 143)
    assert abs(naive) < abs(by_hand("pooled_z", px, pr, ex, er, 45, 98)[0])


# --- adjustment -----------------------------------------------------------------------------


def test_adjust_none_bonferroni_bh_by_hand() -> None:
    df = weighted_three_by_three()
    plain = crosstab(df, "r", "c", weights="w")
    none = crosstab(df, "r", "c", weights="w", adjust=None)
    pd.testing.assert_series_equal(
        none.pvalues["p_adjusted"], plain.pvalues["p_value"], check_names=False
    )
    bonf = crosstab(df, "r", "c", weights="w", adjust="bonferroni")
    bh = crosstab(df, "r", "c", weights="w", adjust="bh")
    for row in "abc":
        sel = (plain.pvalues["row"] == row) & (plain.pvalues["column_b"] != "Total")
        p = plain.pvalues.loc[sel, "p_value"].to_numpy()
        np.testing.assert_allclose(bonf.pvalues.loc[sel, "p_adjusted"], np.minimum(3 * p, 1))
        # Benjamini-Hochberg for m = 3: q_(3) = p_(3), q_(2) = min(q_(3), 3/2 p_(2)),
        # q_(1) = min(q_(2), 3 p_(1)).
        o = np.argsort(p)
        q3 = p[o[2]]
        q2 = min(q3, 1.5 * p[o[1]])
        q1 = min(q2, 3 * p[o[0]])
        expected = np.empty(3)
        expected[o] = [q1, q2, q3]
        np.testing.assert_allclose(bh.pvalues.loc[sel, "p_adjusted"], np.minimum(expected, 1))
        # Against Total: a family of its own (three columns).
        tot = (plain.pvalues["row"] == row) & (plain.pvalues["column_b"] == "Total")
        np.testing.assert_allclose(
            bonf.pvalues.loc[tot, "p_adjusted"],
            np.minimum(3 * plain.pvalues.loc[tot, "p_value"], 1),
        )


def test_bh_published_example() -> None:
    # Benjamini & Hochberg (1995), section 4: 15 p values; at q = 0.05 the first four are
    # rejected (the step-up threshold 4/15 * 0.05 = 0.0133 passes p_(4) = 0.0095).
    p = np.array(
        [
            0.0001,
            0.0004,
            0.0019,
            0.0095,
            0.0201,
            0.0278,
            0.0298,
            0.0344,
            0.0459,
            0.3240,
            0.4262,
            0.5719,
            0.6528,
            0.7590,
            1.0000,
        ]
    )
    q = adjust_pvalues(p, "bh")
    assert (q < 0.05).sum() == 4
    assert q[3] == pytest.approx(0.0095 * 15 / 4)
    assert q[4] == pytest.approx(
        min(0.0201 * 15 / 5, 0.0278 * 15 / 6, 0.0298 * 15 / 7, 0.0344 * 15 / 8, 0.0459 * 15 / 9)
    )
    from statsmodels.stats.multitest import multipletests

    np.testing.assert_allclose(q, multipletests(p, method="fdr_bh")[1])


def test_letters_follow_adjusted_p_values() -> None:
    df = three_by_three()
    plain, bonf = crosstab(df, "r", "c"), crosstab(df, "r", "c", adjust="bonferroni")
    # Row a, X (0.6) vs Y (0.4): p = 0.0455 < 0.05, but 3 x 0.0455 > 0.05.
    assert _pair(plain, "a", "X", "Y")["p_value"] == pytest.approx(0.04550, abs=1e-4)
    assert plain.letters.loc["a", "X"] == "BC" and bonf.letters.loc["a", "X"] == "C"
    assert not _pair(bonf, "a", "X", "Y")["significant"]


# --- multi-response column against Total ---------------------------------------------------


def test_multi_column_against_total_uses_overlap() -> None:
    # Respondents may be in both banner columns; each column is tested against the
    # respondents outside it (the overlap-free split), with the linearised variance.
    df = pd.DataFrame(
        {
            "q": ["y", "y", "n", "y", "n", "n", "y", "n"],
            "a": [1, 1, 1, 1, 0, 0, 0, 0],
            "b": [0, 0, 1, 1, 1, 1, 0, 0],
        }
    )
    res = crosstab(df, "q", multi(["a", "b"], name="grp"))
    r = _pair(res, "y", "a", "Total")
    # a: y in 3 of 4; outside a: y in 1 of 4. Unpooled linearised: var = p(1-p)/n.
    z = (0.75 - 0.25) / math.sqrt(0.75 * 0.25 / 4 + 0.25 * 0.75 / 4)
    assert r["statistic"] == pytest.approx(z)
    assert r["p_b"] == pytest.approx(0.5)  # the total: 4 of 8


# --- numeric rows: Welch ---------------------------------------------------------------------


def test_weighted_welch_by_hand() -> None:
    df = pd.DataFrame(
        {
            "x": [1.0, 3.0, 2.0, 4.0, 5.0, 2.0, 3.0],
            "g": ["a", "a", "a", "b", "b", "b", "b"],
            "w": [1.0, 3.0, 2.0, 1.0, 1.0, 2.0, 2.0],
        }
    )
    res = compare_means(df, "x", "g", weights="w")

    def group(x, w):
        x, w = np.array(x), np.array(w)
        m = np.sum(w * x) / w.sum()
        e = w.sum() ** 2 / np.sum(w * w)
        sd = math.sqrt(np.sum(w * (x - m) ** 2) / w.sum() * e / (e - 1))
        return m, sd / math.sqrt(e), e

    # a: mean (1 + 9 + 4)/6 = 7/3, e = 36/14; b: (4 + 5 + 4 + 6)/6 = 19/6, e = 36/10.
    ma, sa, ea = group([1, 3, 2], [1, 3, 2])
    mb, sb, eb = group([4, 5, 2, 3], [1, 1, 2, 2])
    assert (ma, mb, ea, eb) == pytest.approx((7 / 3, 19 / 6, 36 / 14, 3.6))
    t = (ma - mb) / math.hypot(sa, sb)
    df_w = (sa**2 + sb**2) ** 2 / (sa**4 / (ea - 1) + sb**4 / (eb - 1))
    r = res.pvalues.iloc[0]
    assert (r["column_a"], r["column_b"]) == ("a", "b")
    assert r["statistic"] == pytest.approx(t)
    assert r["df"] == pytest.approx(df_w)
    assert r["p_value"] == pytest.approx(2 * stats.t.sf(abs(t), df_w))
    t_tab = res.table.set_index("column")
    assert t_tab.loc["a", "se"] == pytest.approx(sa) and t_tab.loc["b", "n_eff"] == pytest.approx(
        eb
    )
    # Each group against the rest: with two groups the rest of a is b.
    r = res.pvalues[(res.pvalues["column_a"] == "a") & (res.pvalues["column_b"] == "Total")].iloc[0]
    assert r["statistic"] == pytest.approx(t)
    assert r["mean_b"] == pytest.approx(np.average(df["x"], weights=df["w"]))


def test_means_letters_and_alpha2() -> None:
    rng = np.random.default_rng(9)
    df = pd.DataFrame(
        {
            "x": np.r_[rng.normal(5.0, 1, 80), rng.normal(4.7, 1, 80), rng.normal(4.0, 1, 80)],
            "g": ["a"] * 80 + ["b"] * 80 + ["c"] * 80,
        }
    )
    res = compare_means(df, "x", "g", alpha=0.01, alpha2=0.2)
    for _, p in res.pvalues[res.pvalues["column_b"] != "Total"].iterrows():
        ref = stats.ttest_ind(
            df.loc[df.g == p["column_a"], "x"], df.loc[df.g == p["column_b"], "x"], equal_var=False
        )
        assert p["p_value"] == pytest.approx(ref.pvalue)
    sig = res.table.set_index("column")["sig"]
    pab = res.pvalues.set_index(["column_a", "column_b"]).loc[("a", "b"), "p_value"]
    expected_a = ("B" if pab < 0.01 else "b" if pab < 0.2 else "") + "C"
    assert sig["a"] == expected_a
    assert sig["c"] == ""


# --- properties of the mean tests ------------------------------------------------------------


@st.composite
def numeric_frames(draw):
    n = draw(st.integers(8, 50))
    x = draw(st.lists(st.integers(0, 10), min_size=n, max_size=n))
    g = draw(st.lists(st.sampled_from("abc"), min_size=n, max_size=n))
    w = draw(st.lists(st.floats(0.2, 5.0), min_size=n, max_size=n))
    g[:2] = ["a", "b"]
    return pd.DataFrame({"x": np.array(x, dtype=float), "g": g, "w": w})


@settings(max_examples=40, deadline=None)
@given(numeric_frames(), st.floats(0.1, 10.0), st.randoms(use_true_random=False))
def test_means_equal_weights_and_permutation(df, c, rnd) -> None:
    a = compare_means(df, "x", "g")
    b = compare_means(df, "x", "g", weights=np.full(len(df), c))
    cols = ["statistic", "df", "p_value"]
    np.testing.assert_allclose(
        a.pvalues[cols].to_numpy(float), b.pvalues[cols].to_numpy(float), rtol=1e-8, atol=1e-12
    )
    pd.testing.assert_series_equal(a.table["sig"], b.table["sig"])
    order = list(range(len(df)))
    rnd.shuffle(order)
    w1 = compare_means(df, "x", "g", weights="w")
    w2 = compare_means(df.iloc[order], "x", "g", weights="w")
    pd.testing.assert_frame_equal(w1.pvalues, w2.pvalues, check_exact=False, rtol=1e-9)
    pd.testing.assert_frame_equal(w1.table, w2.table, check_exact=False, rtol=1e-9)
