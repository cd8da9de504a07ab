"""Key drivers: exact Shapley/LMG against R, relative weights, dominance, properties, truth."""

from __future__ import annotations

from itertools import permutations
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from needlab.errors import ConfigError, DataError, SchemaError
from needlab.regress.drivers import key_drivers, weighted_corr
from needlab.regress.shapley import all_subsets_r2, shapley_from_r2

SWISS = pd.read_csv(Path(__file__).resolve().parents[1] / "reference" / "swiss.csv")
PREDS = ["Agriculture", "Examination", "Education", "Catholic", "Infant.Mortality"]

# LMG of Fertility on the five predictors of R's `swiss` data (datasets package), computed in
# R 4.2 by brute force with lm() over all 120 orders of entry (the definition relaimpo's
# calc.relimp(type = "lmg") implements; Grömping 2006 uses this data set):
#   r2 <- function(v) summary(lm(reformulate(v, "Fertility"), data = swiss))$r.squared
#   lmg[p[k]] += r2(p[1:k]) - r2(p[1:(k-1)]) over all permutations p, divided by 120.
# Weighted: the same with lm(..., weights = w), w <- 1 + (seq_len(47) %% 3).
R_LMG = [0.057091220768, 0.171173028900, 0.260134678624, 0.105570150373, 0.112765922927]
R_LMG_W = [0.051820806302, 0.154945230209, 0.255977083571, 0.101957353097, 0.129632418245]
R_R2 = 0.706735001593


def test_shapley_matches_r_lmg_on_swiss() -> None:
    res = key_drivers(SWISS, "Fertility", PREDS)
    got = res.table.set_index("driver").loc[PREDS, "importance"].to_numpy()
    np.testing.assert_allclose(got, R_LMG, atol=1e-10)
    assert res.r2 == pytest.approx(R_R2, abs=1e-10)
    assert res.table["driver"].tolist()[0] == "Education"


def test_weighted_shapley_matches_r_weighted_lm() -> None:
    w = 1 + (np.arange(1, 48) % 3)
    res = key_drivers(SWISS, "Fertility", PREDS, weights=w)
    got = res.table.set_index("driver").loc[PREDS, "importance"].to_numpy()
    np.testing.assert_allclose(got, R_LMG_W, atol=1e-10)


def test_all_subsets_r2_equals_least_squares() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(size=(300, 7)) @ rng.normal(size=(7, 7))
    y = x @ rng.normal(size=7) + rng.normal(size=300) * 4
    r2 = all_subsets_r2(np.corrcoef(np.column_stack([x, y]).T))
    for mask in [1, 5, 37, 64, 100, 127]:
        cols = [j for j in range(7) if mask >> j & 1]
        design = np.column_stack([np.ones(300), x[:, cols]])
        resid = y - design @ np.linalg.lstsq(design, y, rcond=None)[0]
        assert r2[mask] == pytest.approx(1 - resid.var() / y.var(), abs=1e-10)


def test_shapley_equals_permutation_definition() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(200, 4))
    x[:, 1] += x[:, 0]
    y = x @ [1.0, 0.5, 0.0, 0.3] + rng.normal(size=200)
    r2 = all_subsets_r2(np.corrcoef(np.column_stack([x, y]).T))
    phi = np.zeros(4)
    for order in permutations(range(4)):
        mask = 0
        for j in order:
            phi[j] += r2[mask | 1 << j] - r2[mask]
            mask |= 1 << j
    np.testing.assert_allclose(shapley_from_r2(r2, 4), phi / 24, atol=1e-12)


def test_relative_weights_match_johnson_heuristic() -> None:
    # Johnson (2000): Z = U V' (closest orthonormal X); regress y on Z (beta) and X on Z
    # (Lambda); weight_j = sum_k Lambda_jk^2 beta_k^2. Done here with explicit regressions.
    x = SWISS[PREDS].to_numpy(float)
    y = SWISS["Fertility"].to_numpy(float)
    xs = (x - x.mean(0)) / x.std(0)
    ys = (y - y.mean()) / y.std()
    u, _, vt = np.linalg.svd(xs, full_matrices=False)
    z = (u @ vt) * np.sqrt(len(y))
    beta = np.linalg.lstsq(z, ys, rcond=None)[0]
    lam = np.linalg.lstsq(z, xs, rcond=None)[0].T
    expected = (lam**2) @ (beta**2)
    res = key_drivers(SWISS, "Fertility", PREDS, method="relative_weights")
    got = res.table.set_index("driver").loc[PREDS, "importance"].to_numpy()
    np.testing.assert_allclose(got, expected, atol=1e-10)
    assert got.sum() == pytest.approx(R_R2, abs=1e-10)


def test_dominance_tables() -> None:
    res = key_drivers(SWISS, "Fertility", PREDS, method="dominance")
    general = res.conditional.mean(axis=1)
    np.testing.assert_allclose(general.loc[PREDS].to_numpy(), R_LMG, atol=1e-10)
    # Size-0 column: each driver's own r^2.
    r = SWISS[[*PREDS, "Fertility"]].corr()["Fertility"][PREDS]
    np.testing.assert_allclose(res.conditional.loc[PREDS, 0].to_numpy(), r.to_numpy() ** 2)
    c = res.complete
    assert ((c + c.T).fillna(1.0) == 1.0).all().all()
    assert c.loc["Education", "Agriculture"] == 1.0  # Education adds more in every model


def test_binary_outcome_uses_logistic_relative_weights() -> None:
    rng = np.random.default_rng(5)
    df = pd.DataFrame(rng.normal(size=(3000, 3)), columns=["a", "b", "c"])
    logit = 1.5 * df["a"] + 0.5 * df["b"]
    df["churn"] = (rng.random(3000) < 1 / (1 + np.exp(-logit))).astype(int)
    res = key_drivers(df, "churn", ["a", "b", "c"])
    assert res.table["driver"].tolist() == ["a", "b", "c"]
    assert res.table["importance"].sum() == pytest.approx(res.r2)
    assert res.method == "logistic relative weights"


def test_planted_driver_weights_recovered() -> None:
    from needlab import read_survey
    from needlab.datasets import make_sample

    root = Path(__file__).resolve().parents[2] / "data" / "sample"
    data = read_survey(root / "survey_wave1.csv", codebook=root / "codebook.yaml").data
    truth = make_sample(0).truth.drivers
    items = truth["item"].tolist()
    res = key_drivers(data, "overall_sat", items, weights="weight")
    t = res.table.set_index("driver").loc[items]
    # Shapley shares importance among correlated items (a zero-weight item correlated with the
    # drivers still gets some), so the test is on ranks: they follow the planted weights.
    from scipy.stats import spearmanr

    assert spearmanr(t["share"], truth["std_weight"]).statistic > 0.8
    top = truth.sort_values("std_weight", ascending=False)["item"].head(3)
    assert set(res.table["driver"].head(4)) >= set(top)
    assert res.r2 == pytest.approx(make_sample(0).truth.driver_model["r2"], abs=0.12)
    assert any("rows excluded (listwise)" in n for n in res.notes)


def test_bootstrap_interval() -> None:
    a = key_drivers(SWISS, "Fertility", PREDS, n_boot=60, random_state=2)
    b = key_drivers(SWISS, "Fertility", PREDS, n_boot=60, random_state=2)
    pd.testing.assert_frame_equal(a.table, b.table)
    t = a.table
    assert (t["importance_low"] <= t["importance"]).all() and (
        t["importance"] <= t["importance_high"]
    ).all()


# --- bad input ---------------------------------------------------------------------------------


def test_bad_input() -> None:
    df = SWISS.copy()
    with pytest.raises(SchemaError):
        key_drivers(df, "Fertility", ["Agriculture", "Nope"])
    with pytest.raises(DataError, match="constant"):
        key_drivers(df.assign(k=1.0), "Fertility", ["Agriculture", "k"])
    with pytest.raises(DataError, match="collinear") as err:
        key_drivers(
            df.assign(s=df["Agriculture"] + df["Education"]),
            "Fertility",
            ["Agriculture", "Education", "s", "Catholic"],
        )
    assert "'s'" in str(err.value) and "Catholic" not in str(err.value)
    with pytest.raises(DataError, match="more rows"):
        key_drivers(df.head(5), "Fertility", PREDS)
    with pytest.raises(DataError, match="not numeric"):
        key_drivers(df.assign(g="x"), "Fertility", ["Agriculture", "g"])
    with pytest.raises(DataError, match="negative"):
        key_drivers(df, "Fertility", PREDS, weights=np.r_[-1.0, np.ones(46)])
    many = pd.DataFrame(np.random.default_rng(0).normal(size=(100, 26)))
    with pytest.raises(ConfigError, match="relative_weights"):
        key_drivers(many, 0, list(range(1, 26)))
    miss = df.copy()
    miss.loc[[1, 2], "Catholic"] = np.nan
    res = key_drivers(miss, "Fertility", PREDS)
    assert (res.n_used, res.n_excluded) == (45, 2)
    assert res.notes[0] == "2 of 47 rows excluded (listwise): missing values in 'Catholic' 2."


# --- properties -----------------------------------------------------------------------------


@st.composite
def regressions(draw):
    seed = draw(st.integers(0, 10_000))
    p = draw(st.integers(2, 6))
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(80, p)) @ (np.eye(p) + 0.4 * rng.normal(size=(p, p)))
    y = x @ rng.normal(size=p) + rng.normal(size=80)
    df = pd.DataFrame(x, columns=[f"d{j}" for j in range(p)]).assign(y=y)
    return df, [f"d{j}" for j in range(p)], rng.uniform(0.2, 3.0, 80)


@settings(max_examples=30, deadline=None)
@given(regressions(), st.sampled_from(["shapley", "relative_weights"]))
def test_importances_sum_to_r2_and_scaling_changes_nothing(case, method) -> None:
    df, drivers, w = case
    res = key_drivers(df, "y", drivers, method=method, weights=w)
    assert res.table["importance"].sum() == pytest.approx(res.r2, abs=1e-9)
    scaled = df.assign(d0=df["d0"] * 1000 + 7)
    again = key_drivers(scaled, "y", drivers, method=method, weights=w)
    pd.testing.assert_frame_equal(res.table, again.table, check_exact=False, atol=1e-9)


def test_orthogonal_drivers_importance_is_squared_correlation() -> None:
    rng = np.random.default_rng(8)
    q, _ = np.linalg.qr(rng.normal(size=(200, 4)) - 0)
    x = q - q.mean(axis=0)
    x, _ = np.linalg.qr(x)  # orthonormal and (nearly) centred columns
    x = x - x.mean(axis=0)
    y = x @ [3.0, 2.0, 1.0, 0.0] + rng.normal(size=200) * 0.05
    df = pd.DataFrame(x, columns=list("abcd")).assign(y=y)
    corr = weighted_corr(df.to_numpy(), np.ones(200))
    if abs(corr[:4, :4] - np.eye(4)).max() > 1e-8:
        pytest.skip("columns not exactly orthogonal after centring")
    for method in ("shapley", "relative_weights"):
        res = key_drivers(df, "y", list("abcd"), method=method).table.set_index("driver")
        np.testing.assert_allclose(
            res.loc[list("abcd"), "importance"], corr[:4, 4] ** 2, atol=1e-10
        )


def test_driver_bars_show_shares() -> None:
    res = key_drivers(SWISS, "Fertility", PREDS)
    ax = res.plot()
    widths = sorted(p.get_width() for p in ax.patches)
    np.testing.assert_allclose(widths, sorted(100 * res.table["share"]))


def test_relative_weights_match_published_rwa_example() -> None:
    # The rwa R package's documentation ("Regression methods" article, rwa_multiregress on
    # mtcars, mpg ~ cyl + disp + hp + wt) prints raw relative weights
    # cyl 0.2096904, disp 0.1883043, hp 0.1799590, wt 0.2706812.
    from tests.tables.test_crosstab import MTCARS

    df = MTCARS.assign(
        disp=[
            160,
            160,
            108,
            258,
            360,
            225,
            360,
            146.7,
            140.8,
            167.6,
            167.6,
            275.8,
            275.8,
            275.8,
            472,
            460,
            440,
            78.7,
            75.7,
            71.1,
            120.1,
            318,
            304,
            350,
            400,
            79,
            120.3,
            95.1,
            351,
            145,
            301,
            121,
        ],
        hp=[
            110,
            110,
            93,
            110,
            175,
            105,
            245,
            62,
            95,
            123,
            123,
            180,
            180,
            180,
            205,
            215,
            230,
            66,
            52,
            65,
            97,
            150,
            150,
            245,
            175,
            66,
            91,
            113,
            264,
            175,
            335,
            109,
        ],
        wt=[
            2.62,
            2.875,
            2.32,
            3.215,
            3.44,
            3.46,
            3.57,
            3.19,
            3.15,
            3.44,
            3.44,
            4.07,
            3.73,
            3.78,
            5.25,
            5.424,
            5.345,
            2.2,
            1.615,
            1.835,
            2.465,
            3.52,
            3.435,
            3.84,
            3.845,
            1.935,
            2.14,
            1.513,
            3.17,
            2.77,
            3.57,
            2.78,
        ],
    )
    res = key_drivers(df, "mpg", ["cyl", "disp", "hp", "wt"], method="relative_weights")
    got = res.table.set_index("driver").loc[["cyl", "disp", "hp", "wt"], "importance"]
    np.testing.assert_allclose(got, [0.2096904, 0.1883043, 0.1799590, 0.2706812], atol=5e-8)
