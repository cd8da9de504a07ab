"""Tests of exploratory factor analysis (needlab.regress.factors)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from needlab.errors import ConfigError, DataError, SchemaError
from needlab.regress.factors import factors, promax, varimax

# R's built-in data set `attitude` (Chatterjee & Price 1977; R datasets package), 30 x 7.
ATTITUDE_COLS = ["rating", "complaints", "privileges", "learning", "raises", "critical", "advance"]
ATTITUDE = pd.DataFrame(
    [
        [43, 51, 30, 39, 61, 92, 45],
        [63, 64, 51, 54, 63, 73, 47],
        [71, 70, 68, 69, 76, 86, 48],
        [61, 63, 45, 47, 54, 84, 35],
        [81, 78, 56, 66, 71, 83, 47],
        [43, 55, 49, 44, 54, 49, 34],
        [58, 67, 42, 56, 66, 68, 35],
        [71, 75, 50, 55, 70, 66, 41],
        [72, 82, 72, 67, 71, 83, 31],
        [67, 61, 45, 47, 62, 80, 41],
        [64, 53, 53, 58, 58, 67, 34],
        [67, 60, 47, 39, 59, 74, 41],
        [69, 62, 57, 42, 55, 63, 25],
        [68, 83, 83, 45, 59, 77, 35],
        [77, 77, 54, 72, 79, 77, 46],
        [81, 90, 50, 72, 60, 54, 36],
        [74, 85, 64, 69, 79, 79, 63],
        [65, 60, 65, 75, 55, 80, 60],
        [65, 70, 46, 57, 75, 85, 46],
        [50, 58, 68, 54, 64, 78, 52],
        [50, 40, 33, 34, 43, 64, 33],
        [64, 61, 52, 62, 66, 80, 41],
        [53, 66, 52, 50, 63, 80, 37],
        [40, 37, 42, 58, 50, 57, 49],
        [63, 54, 42, 48, 66, 75, 33],
        [66, 77, 66, 63, 88, 76, 72],
        [78, 75, 58, 74, 80, 78, 49],
        [48, 57, 44, 45, 51, 83, 38],
        [85, 85, 71, 71, 77, 74, 55],
        [82, 82, 39, 59, 64, 78, 39],
    ],
    columns=ATTITUDE_COLS,
    dtype=float,
)

# R 4.2: f <- factanal(attitude, factors = 2, rotation = "varimax", scores = "regression")
#        unclass(f$loadings); f$uniquenesses; f$STATISTIC; f$PVAL; head(f$scores, 5)
R_VARIMAX = np.array(
    [
        [0.88198048575, 0.1112826037],
        [0.91395649175, 0.1798534609],
        [0.50491530245, 0.3225602899],
        [0.58660331713, 0.5094253125],
        [0.61282124023, 0.5538152851],
        [0.15195242069, 0.2829391355],
        [0.05265604134, 0.9801048969],
    ]
)
R_UNIQUENESS = np.array(
    [
        0.20972629588,
        0.13233630371,
        0.64101667280,
        0.39638164848,
        0.31773946974,
        0.89686021649,
        0.03662173932,
    ]
)
R_STATISTIC, R_PVAL = 5.474201195, 0.7058965798
R_SCORES = np.array(
    [
        [-1.5291770094, 0.2702169099],
        [-0.3022502712, 0.3791600036],
        [0.4987008808, 0.5253256149],
        [-0.2745376620, -0.7675696552],
        [0.9647376212, 0.3366473074],
    ]
)
# R 4.2: unclass(factanal(attitude, factors = 2, rotation = "promax")$loadings)
R_PROMAX = np.array(
    [
        [1.02293207883, -0.2518905634],
        [1.03420252841, -0.1837379889],
        [0.48206101090, 0.1657850587],
        [0.50617727439, 0.3538906252],
        [0.52015160703, 0.3956001557],
        [0.07072475377, 0.2724740508],
        [-0.32833128717, 1.1507198086],
    ]
)
# R 4.2, psych 2.2.9: unclass(psych::fa(attitude, nfactors = 2, fm = "pa", rotate = "varimax",
#                                       max.iter = 1000, min.err = 1e-10)$loadings)
R_PA = np.array(
    [
        [0.87572738325, 0.1139579622],
        [0.92370680323, 0.1782085394],
        [0.49453633395, 0.3220509382],
        [0.59836263156, 0.4901334370],
        [0.59890163223, 0.5888118936],
        [0.13848650567, 0.2993946259],
        [0.06087682208, 0.9503903786],
    ]
)


def match_columns(L: np.ndarray, ref: np.ndarray) -> np.ndarray:
    """Reorder and re-sign the columns of L to best match ref (up to sign and order)."""
    out = np.empty_like(L)
    used: set[int] = set()
    for j in range(ref.shape[1]):
        scores = [(-abs(ref[:, j] @ L[:, i]), i) for i in range(L.shape[1]) if i not in used]
        _, i = min(scores)
        used.add(i)
        out[:, j] = L[:, i] * np.sign(ref[:, j] @ L[:, i])
    return out


def test_ml_varimax_equals_r_factanal():
    res = factors(ATTITUDE, ATTITUDE_COLS, n_factors=2)
    L = res.table[["F1", "F2"]].to_numpy()
    np.testing.assert_allclose(match_columns(L, R_VARIMAX), R_VARIMAX, atol=1e-3)
    np.testing.assert_allclose(res.table["uniqueness"], R_UNIQUENESS, atol=1e-3)
    np.testing.assert_allclose(res.table["communality"], 1 - R_UNIQUENESS, atol=1e-3)
    assert res.statistic == pytest.approx(R_STATISTIC, rel=1e-4)
    assert res.p_value == pytest.approx(R_PVAL, rel=1e-4)
    assert res.dof == 8
    sc = res.scores.to_numpy()[:5]
    np.testing.assert_allclose(match_columns(sc, R_SCORES), R_SCORES, atol=1e-3)


def test_promax_equals_r_and_phi():
    res = factors(ATTITUDE, ATTITUDE_COLS, n_factors=2, rotation="promax")
    L = res.table[["F1", "F2"]].to_numpy()
    np.testing.assert_allclose(match_columns(L, R_PROMAX), R_PROMAX, atol=1e-3)
    phi = res.phi.to_numpy()
    np.testing.assert_allclose(np.diag(phi), 1.0)
    assert 0.3 < phi[0, 1] < 0.9  # correlated factors
    # pattern @ phi @ pattern' reproduces the common variance (communality) of each item
    np.testing.assert_allclose(np.diag(L @ phi @ L.T), res.table["communality"], atol=1e-8)


def test_principal_axis_equals_psych():
    res = factors(ATTITUDE, ATTITUDE_COLS, n_factors=2, method="principal")
    L = res.table[["F1", "F2"]].to_numpy()
    np.testing.assert_allclose(match_columns(L, R_PA), R_PA, atol=1e-3)
    assert np.isnan(res.statistic)


def test_varimax_properties():
    rng = np.random.default_rng(0)
    L = rng.normal(size=(8, 3))
    rot, T = varimax(L)
    np.testing.assert_allclose(T @ T.T, np.eye(3), atol=1e-12)
    np.testing.assert_allclose(rot, L @ T, atol=1e-12)
    np.testing.assert_allclose((rot**2).sum(axis=1), (L**2).sum(axis=1))  # communalities kept
    pat, U = promax(L)
    np.testing.assert_allclose(pat, L @ U, atol=1e-10)


def planted(n: int = 800, seed: int = 0) -> tuple[pd.DataFrame, dict[str, int]]:
    rng = np.random.default_rng(seed)
    f = rng.normal(size=(n, 2))
    load = np.array(
        [[0.8, 0], [0.7, 0.1], [0.75, 0], [0.6, 0], [0, 0.8], [0.1, 0.7], [0, 0.75], [0, 0.65]]
    )
    items = ["tech1", "tech2", "tech3", "tech4", "price1", "price2", "price3", "price4"]
    X = f @ load.T + rng.normal(0, 0.55, (n, 8))
    df = pd.DataFrame(np.clip(np.round(3 + X), 1, 5), columns=items)  # Likert 1-5
    return df, {it: int(i >= 4) for i, it in enumerate(items)}


def test_planted_structure_recovered_with_parallel_analysis():
    df, truth = planted()
    res = factors(df, list(truth), random_state=0)
    assert res.n_factors == 2
    s = res.scree
    assert s["retained"].sum() == 2
    assert (s["eigenvalue"][:2] > s["random_quantile"][:2]).all()
    assert s["eigenvalue"][2] <= s["random_quantile"][2]
    got = res.table.set_index("item")["factor"]
    # same partition of items (factor names may be swapped)
    tech = got[[k for k, v in truth.items() if v == 0]].unique()
    price = got[[k for k, v in truth.items() if v == 1]].unique()
    assert len(tech) == 1 and len(price) == 1 and tech[0] != price[0]
    assert res.variance["cumulative"].iloc[-1] == pytest.approx(res.table["communality"].sum() / 8)
    # seeded: identical on repeat, with an int seed or an equally seeded Generator
    again = factors(df, list(truth), random_state=0)
    pd.testing.assert_frame_equal(res.scree, again.scree)
    gen = factors(df, list(truth), random_state=np.random.default_rng(0))
    pd.testing.assert_frame_equal(res.scree, gen.scree)
    other = factors(df, list(truth), random_state=1)
    assert not np.allclose(res.scree["random_quantile"], other.scree["random_quantile"])
    # the observed eigenvalues do not depend on the seed
    np.testing.assert_allclose(res.scree["eigenvalue"], other.scree["eigenvalue"])


def test_frequency_weights_equal_expanded_rows():
    df, truth = planted(300, seed=1)
    counts = np.random.default_rng(2).integers(1, 4, len(df))
    expanded = df.loc[df.index.repeat(counts)].reset_index(drop=True)
    a = factors(df, list(truth), n_factors=2, weights=counts)
    b = factors(expanded, list(truth), n_factors=2)
    np.testing.assert_allclose(a.table[["F1", "F2"]], b.table[["F1", "F2"]], atol=1e-6)
    np.testing.assert_allclose(
        a.scores.to_numpy()[0], b.scores.to_numpy()[0], atol=1e-2
    )  # n vs n-1 scaling only


def test_missing_rows_give_nan_scores_and_note():
    df, truth = planted(300, seed=3)
    df.index = [f"r{i}" for i in range(len(df))]
    df.iloc[[2, 7], 0] = np.nan
    res = factors(df, list(truth), n_factors=2)
    assert res.n_excluded == 2 and res.n_used == 298
    assert list(res.scores.index) == list(df.index)
    assert res.scores.loc[["r2", "r7"]].isna().all().all()
    assert res.scores.drop(["r2", "r7"]).notna().all().all()
    assert res.notes[0] == "2 of 300 rows excluded (listwise): missing values in 'tech1' 2."
    # regression scores of the complete rows are centred
    np.testing.assert_allclose(res.scores.mean(), 0, atol=1e-10)


def test_sample_attitude_battery():
    from needlab.datasets import load_sample

    df = load_sample().survey_wave1
    items = [c for c in df.columns if str(c).startswith("att_")]
    res = factors(df, items, weights="weight", random_state=0)
    assert res.n_factors == 3
    assert res.scores.shape == (len(df), 3)
    f = res.table.set_index("item")["factor"]
    # the planted tech-enthusiast and deal-seeker attitudes form their own factors
    assert f["att_newtech"] == f["att_smarthome"] == f["att_design"]
    assert f["att_compare_price"] == f["att_wait_promo"] != f["att_newtech"]
    assert res.n_excluded == int(df[items].isna().any(axis=1).sum())


def test_errors():
    df, truth = planted(200)
    items = list(truth)
    with pytest.raises(SchemaError, match="at least 3"):
        factors(df, items[:2])
    with pytest.raises(ConfigError, match="n_factors"):
        factors(df, items, n_factors=7)
    with pytest.raises(ConfigError, match="method="):
        factors(df, items, method="minres")
    with pytest.raises(ConfigError, match="rotation="):
        factors(df, items, rotation="oblimin")
    df["const"] = 3.0
    with pytest.raises(DataError, match="'const'"):
        factors(df, [*items, "const"])
    df["dup"] = df["tech1"]
    with pytest.raises(DataError, match="singular"):
        factors(df, [*items, "dup"])
    with pytest.raises(DataError, match="complete rows"):
        factors(df.head(5), items)


def test_plots_and_repr():
    import matplotlib.pyplot as plt

    res = factors(ATTITUDE, ATTITUDE_COLS, n_factors=2)
    ax = res.plot()
    assert ax.get_title() == "Scree plot: 2 factors"
    observed, random = ax.lines[0], ax.lines[1]
    np.testing.assert_allclose(observed.get_ydata(), res.scree["eigenvalue"])
    np.testing.assert_allclose(random.get_ydata(), res.scree["random_quantile"])
    heat = res.plot(kind="loadings")
    assert heat.get_title().startswith("Loadings")
    assert [t.get_text() for t in heat.get_yticklabels()] == ATTITUDE_COLS
    cells = [t.get_text() for t in heat.texts]
    assert len(cells) == 2 * len(ATTITUDE_COLS)
    assert cells[0] == f"{res.table['F1'].iloc[0]:.2f}"
    assert res._repr_html_() == res._repr_html_()
    assert "chi-square" in repr(res)
    assert set(res.tables()) == {"loadings", "variance", "scree"}
    plt.close("all")
