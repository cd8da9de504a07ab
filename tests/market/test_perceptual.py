"""Tests of perceptual_map (correspondence analysis) and its symmetric map.

Published reference: the smoking data of Greenacre (1984, p. 55; the ``smoke`` data of the R
``ca`` package: 5 staff groups x 4 smoking categories, n = 193). The principal inertias,
masses, chi-square distances, point inertias and standard coordinates below are the output
of ``print(ca(smoke))`` in the ca package documentation (example output of ``print.ca``,
https://rdrr.io/cran/ca/man/print.ca.html); the qualities, squared correlations (COR) and
contributions (CTR) in permills are the ``summary(ca(smoke))`` output of the same package
(Nenadić & Greenacre 2007, J. Stat. Softw. 20(3)), also in Greenacre, *Correspondence
Analysis in Practice* (total inertia 0.08519). Signs of CA axes are arbitrary: coordinates are
compared up to the sign of each axis.
"""

from __future__ import annotations

from typing import Any, Literal, cast

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.stats import chi2_contingency

from needlab.errors import ConfigError, DataError, SchemaError
from needlab.market.perceptual import PerceptualMap, perceptual_map

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

ROWS = ["SM", "JM", "SE", "JE", "SC"]
COLS = ["none", "light", "medium", "heavy"]
SMOKE = pd.DataFrame(
    [[4, 2, 3, 2], [4, 3, 7, 4], [25, 10, 12, 4], [18, 24, 33, 13], [10, 6, 7, 2]],
    index=ROWS,
    columns=COLS,
)

# print(ca(smoke)), ca package
INERTIAS = [0.074759, 0.010017, 0.000414]
PERCENT = [87.76, 11.76, 0.49]
ROW_MASS = [0.056995, 0.093264, 0.264249, 0.455959, 0.129534]
ROW_CHIDIST = [0.216559, 0.356921, 0.380779, 0.240025, 0.216169]
ROW_INERTIA = [0.002673, 0.011881, 0.038314, 0.026269, 0.006053]
ROW_STD = [
    [-0.240539, 0.947105, -1.391973, 0.851989, -0.735456],
    [-1.935708, -2.430958, -0.106508, 0.576944, 0.788435],
]
COL_MASS = [0.316062, 0.233161, 0.321244, 0.129534]
COL_CHIDIST = [0.394490, 0.173996, 0.198127, 0.355109]
COL_INERTIA = [0.049186, 0.007059, 0.012610, 0.016335]
COL_STD = [
    [-1.438471, 0.363746, 0.718017, 1.074445],
    [-0.304659, 1.409433, 0.073528, -1.975960],
]
# summary(ca(smoke)): quality, cor (cos2) and ctr per axis, in permills
ROW_QLT = [893, 991, 1000, 1000, 999]
ROW_COR = [[92, 526, 999, 942, 865], [800, 465, 1, 58, 133]]
ROW_CTR = [[3, 84, 512, 331, 70], [214, 551, 3, 152, 81]]
COL_QLT = [1000, 984, 983, 995]
COL_COR = [[994, 327, 982, 684], [6, 657, 1, 310]]
COL_CTR = [[654, 31, 166, 150], [29, 463, 2, 506]]


def _part(pm: PerceptualMap, kind: str, sup: bool = False) -> pd.DataFrame:
    t = pm.table
    return t[(t["kind"] == kind) & (t["supplementary"] == sup)].set_index("point")


def _same_up_to_sign(a: np.ndarray, b: np.ndarray, atol: float) -> None:
    """Columns of *a* equal those of *b*, each possibly mirrored."""
    a = np.asarray(a, float)
    b = np.asarray(b, float)
    for k in range(a.shape[1]):
        s = 1.0 if np.abs(a[:, k] - b[:, k]).max() <= np.abs(a[:, k] + b[:, k]).max() else -1.0
        np.testing.assert_allclose(s * a[:, k], b[:, k], atol=atol)


# --- the published example -------------------------------------------------------------------


def test_smoke_inertias_match_the_ca_package():
    pm = perceptual_map(SMOKE)
    np.testing.assert_allclose(pm.inertia["inertia"], INERTIAS, atol=6e-7)
    np.testing.assert_allclose(100 * pm.inertia["share"], PERCENT, atol=0.006)
    assert pm.total_inertia == pytest.approx(0.085190, abs=6e-7)
    assert pm.inertia["cumulative"].iloc[-1] == pytest.approx(1.0)
    assert pm.grand_total == 193
    assert pm.n_used == 5 and pm.n_excluded == 0


def test_smoke_masses_distances_and_point_inertias_match():
    pm = perceptual_map(SMOKE, n_components=3)
    rows, cols = _part(pm, "row").loc[ROWS], _part(pm, "col").loc[COLS]
    np.testing.assert_allclose(rows["mass"], ROW_MASS, atol=6e-7)
    np.testing.assert_allclose(cols["mass"], COL_MASS, atol=6e-7)
    # chi-square distance = norm of the principal coordinates over all dimensions
    d_rows = np.sqrt((rows[["dim1", "dim2", "dim3"]] ** 2).sum(axis=1))
    d_cols = np.sqrt((cols[["dim1", "dim2", "dim3"]] ** 2).sum(axis=1))
    np.testing.assert_allclose(d_rows, ROW_CHIDIST, atol=6e-7)
    np.testing.assert_allclose(d_cols, COL_CHIDIST, atol=6e-7)
    # the table gives each point's share of the total inertia; ca prints the inertia itself
    np.testing.assert_allclose(rows["inertia"] * pm.total_inertia, ROW_INERTIA, atol=6e-7)
    np.testing.assert_allclose(cols["inertia"] * pm.total_inertia, COL_INERTIA, atol=6e-7)


def test_smoke_standard_and_principal_coordinates_match_up_to_sign():
    pm = perceptual_map(SMOKE)
    rows, cols = _part(pm, "row").loc[ROWS], _part(pm, "col").loc[COLS]
    _same_up_to_sign(rows[["std1", "std2"]].to_numpy(), np.array(ROW_STD).T, 6e-6)
    _same_up_to_sign(cols[["std1", "std2"]].to_numpy(), np.array(COL_STD).T, 6e-6)
    sv = np.sqrt(INERTIAS[:2])
    _same_up_to_sign(rows[["dim1", "dim2"]].to_numpy(), np.array(ROW_STD).T * sv, 1e-5)
    _same_up_to_sign(cols[["dim1", "dim2"]].to_numpy(), np.array(COL_STD).T * sv, 1e-5)
    # Greenacre's principal coordinates of SE (x1000 in summary.ca): |-381|, |-11|
    se = rows.loc["SE", ["dim1", "dim2"]].to_numpy(float)
    np.testing.assert_allclose(np.abs(se), [0.381, 0.011], atol=6e-4)


def test_smoke_quality_cos2_and_contributions_match_summary_permills():
    pm = perceptual_map(SMOKE)
    rows, cols = _part(pm, "row").loc[ROWS], _part(pm, "col").loc[COLS]
    tol = 0.0015  # permills rounded to whole numbers
    np.testing.assert_allclose(rows["quality"], np.array(ROW_QLT) / 1000, atol=tol)
    np.testing.assert_allclose(cols["quality"], np.array(COL_QLT) / 1000, atol=tol)
    for k in (1, 2):
        np.testing.assert_allclose(rows[f"cos2_{k}"], np.array(ROW_COR[k - 1]) / 1000, atol=tol)
        np.testing.assert_allclose(cols[f"cos2_{k}"], np.array(COL_COR[k - 1]) / 1000, atol=tol)
        np.testing.assert_allclose(rows[f"contrib_{k}"], np.array(ROW_CTR[k - 1]) / 1000, atol=tol)
        np.testing.assert_allclose(cols[f"contrib_{k}"], np.array(COL_CTR[k - 1]) / 1000, atol=tol)
        assert rows[f"contrib_{k}"].sum() == pytest.approx(1.0)
        assert cols[f"contrib_{k}"].sum() == pytest.approx(1.0)


def test_axis_sign_convention_is_fixed():
    # the active row with the largest absolute standard coordinate is positive on each axis
    pm = perceptual_map(SMOKE)
    rows = _part(pm, "row")
    for k in (1, 2):
        std = rows[f"std{k}"].to_numpy(float)
        assert std[np.abs(std).argmax()] > 0
    assert rows.loc[["SE"], "dim1"].item() > 0 and rows.loc[["JM"], "dim2"].item() > 0


# --- a second, independent computation -------------------------------------------------------


def test_total_inertia_is_chi_square_over_n_by_scipy():
    chi2, _, _, _ = chi2_contingency(SMOKE.to_numpy(), correction=False)
    pm = perceptual_map(SMOKE)
    assert pm.chi2 == pytest.approx(chi2, rel=1e-12)
    assert pm.total_inertia == pytest.approx(chi2 / 193, rel=1e-12)
    assert pm.summary()["chi2"] == pytest.approx(16.442, abs=5e-4)


def _eigen_ca(n: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CA by the eigen-decomposition of S^T S: inertias, column and row principal coordinates
    (rows by the transition formula from the columns' standard coordinates)."""
    p = n / n.sum()
    r, c = p.sum(axis=1), p.sum(axis=0)
    s = (p - np.outer(r, c)) / np.sqrt(np.outer(r, c))
    lam, vec = np.linalg.eigh(s.T @ s)
    order = np.argsort(lam)[::-1][: min(n.shape) - 1]
    lam, vec = lam[order], vec[:, order]
    gamma = vec / np.sqrt(c)[:, None]
    g = gamma * np.sqrt(lam)
    f = (p / r[:, None]) @ gamma
    return lam, g, f


def test_matches_the_eigen_decomposition_of_s_transpose_s():
    lam, g, f = _eigen_ca(SMOKE.to_numpy(float))
    pm = perceptual_map(SMOKE, n_components=3)
    np.testing.assert_allclose(pm.inertia["inertia"], lam, rtol=1e-9, atol=1e-15)
    dims = ["dim1", "dim2", "dim3"]
    _same_up_to_sign(_part(pm, "col").loc[COLS, dims].to_numpy(), g, 1e-10)
    _same_up_to_sign(_part(pm, "row").loc[ROWS, dims].to_numpy(), f, 1e-10)


# --- properties ------------------------------------------------------------------------------


@st.composite
def tables(draw):
    i = draw(st.integers(2, 6))
    j = draw(st.integers(2, 6))
    n = draw(arrays(np.int64, (i, j), elements=st.integers(0, 40)))
    assume((n.sum(axis=1) > 0).all() and (n.sum(axis=0) > 0).all())
    p = n / n.sum()
    r, c = p.sum(axis=1), p.sum(axis=0)
    s = (p - np.outer(r, c)) / np.sqrt(np.outer(r, c))
    assume((s**2).sum() > 1e-6)
    return pd.DataFrame(n, index=[f"r{k}" for k in range(i)], columns=[f"c{k}" for k in range(j)])


def _distinct(pm: PerceptualMap, k: int) -> bool:
    """The first *k* singular values are distinct and non-zero (the axes are unique)."""
    sv = pm.inertia["singular_value"].to_numpy()
    sv = np.append(sv, 0.0)
    return bool(np.all(np.abs(np.diff(sv[: k + 1])) > 1e-4 * sv[0]))


@settings(max_examples=60, deadline=None)
@given(tables())
def test_total_inertia_equals_the_sum_of_principal_inertias(tab):
    pm = perceptual_map(tab)
    assert pm.inertia["inertia"].sum() == pytest.approx(pm.total_inertia, rel=1e-9, abs=1e-14)
    chi2, *_ = chi2_contingency(tab.to_numpy(), correction=False)
    assert pm.total_inertia == pytest.approx(chi2 / tab.to_numpy().sum(), rel=1e-9)
    t = pm.table
    active = ~t["supplementary"]
    assert t.loc[active, "inertia"].sum() == pytest.approx(2.0)  # rows and columns each sum to 1


@settings(max_examples=60, deadline=None)
@given(tables(), st.randoms(use_true_random=False))
def test_permuting_rows_permutes_the_coordinates(tab, rnd):
    base = perceptual_map(tab)
    k = base.n_components
    assume(_distinct(base, k))
    order = list(tab.index)
    rnd.shuffle(order)
    perm = perceptual_map(tab.loc[order])
    dims = [f"dim{d + 1}" for d in range(k)]
    names = list(tab.index)
    _same_up_to_sign(
        _part(perm, "row").loc[names, dims].to_numpy(),
        _part(base, "row").loc[names, dims].to_numpy(),
        1e-8,
    )
    cols = list(tab.columns)
    _same_up_to_sign(
        _part(perm, "col").loc[cols, dims].to_numpy(),
        _part(base, "col").loc[cols, dims].to_numpy(),
        1e-8,
    )


@settings(max_examples=60, deadline=None)
@given(tables(), st.sampled_from([0.01, 0.5, 3.0, 1000.0]))
def test_scaling_all_counts_changes_nothing(tab, factor):
    base = perceptual_map(tab)
    assume(_distinct(base, base.n_components))
    scaled = perceptual_map(tab * factor)
    num = [c for c in base.table.columns if c.startswith(("dim", "std", "mass", "qual", "cos2"))]
    num += [c for c in base.table.columns if c.startswith(("contrib", "inertia"))]
    _same_up_to_sign(
        scaled.table[num].fillna(0).to_numpy(), base.table[num].fillna(0).to_numpy(), 1e-8
    )
    np.testing.assert_allclose(scaled.inertia["inertia"], base.inertia["inertia"], atol=1e-12)
    assert scaled.grand_total == pytest.approx(base.grand_total * factor)


# --- supplementary points --------------------------------------------------------------------


def test_supplementary_points_follow_the_transition_formulas():
    data = SMOKE.copy()
    data["drinks"] = [0, 1, 5, 10, 7]  # Greenacre's supplementary alcohol column
    national = pd.DataFrame([[42, 29, 20, 9, 0]], index=["national"], columns=data.columns)
    data = pd.concat([data, national])
    pm = perceptual_map(
        data, supplementary_rows=["national"], supplementary_cols=["drinks"], n_components=3
    )
    # the active analysis is unchanged by the supplementary points
    plain = perceptual_map(SMOKE, n_components=3)
    dims = ["dim1", "dim2", "dim3"]
    np.testing.assert_allclose(
        _part(pm, "row").loc[ROWS, dims], _part(plain, "row").loc[ROWS, dims], atol=1e-12
    )
    np.testing.assert_allclose(pm.inertia["inertia"], plain.inertia["inertia"], atol=1e-15)
    cols, rows = _part(pm, "col").loc[COLS], _part(pm, "row").loc[ROWS]
    gamma = cols[["std1", "std2", "std3"]].to_numpy()
    phi = rows[["std1", "std2", "std3"]].to_numpy()
    # supplementary row: f = profile @ Gamma (the national profile over the active columns)
    a = np.array([42, 29, 20, 9]) / 100
    sup_row = _part(pm, "row", True).loc["national"]
    np.testing.assert_allclose(sup_row[dims].to_numpy(float), a @ gamma, atol=1e-12)
    # supplementary column: g = profile @ Phi over the active rows
    b = np.array([0, 1, 5, 10, 7]) / 23
    sup_col = _part(pm, "col", True).loc["drinks"]
    np.testing.assert_allclose(sup_col[dims].to_numpy(float), b @ phi, atol=1e-12)
    # quality = squared norm of the projection / squared chi-square distance to the centroid:
    # a row profile lives in the 3 dimensions of the solution (quality 1), a column profile
    # over 5 rows in 4 dimensions, one of them outside the solution
    assert sup_row["quality"] == pytest.approx(1.0)
    r = SMOKE.sum(axis=1).to_numpy() / 193
    d2 = (((b - r) ** 2) / r).sum()
    assert sup_col["quality"] == pytest.approx(((b @ phi) ** 2).sum() / d2, rel=1e-12)
    assert 0.5 < sup_col["quality"] < 0.6
    assert np.isnan(sup_row["mass"]) and np.isnan(sup_col["contrib_1"])
    assert any("transition" in n for n in pm.notes)
    assert pm.n_used == 6 and pm.n_excluded == 0


def test_a_supplementary_copy_of_an_active_row_lands_on_it():
    data = pd.concat([SMOKE, (3 * SMOKE.loc[["JE"]]).rename(index={"JE": "JE x3"})])
    pm = perceptual_map(data, supplementary_rows=["JE x3"])
    rows = _part(pm, "row")
    sup = _part(pm, "row", True)
    np.testing.assert_allclose(
        sup.loc["JE x3", ["dim1", "dim2", "quality"]].to_numpy(float),
        rows.loc["JE", ["dim1", "dim2", "quality"]].to_numpy(float),
        atol=1e-12,
    )


def test_rows_column_equals_index_and_cols_selects():
    long = SMOKE.rename_axis("group").reset_index()
    long["note"] = "x"
    a = perceptual_map(long, rows="group", cols=COLS)
    b = perceptual_map(SMOKE)
    pd.testing.assert_frame_equal(a.table, b.table)
    assert a.row_label == "group"


def test_n_components_capped_at_the_rank_with_a_note():
    two = SMOKE[["none", "light"]]
    pm = perceptual_map(two, n_components=2)
    assert pm.n_components == 1 and "dim2" not in pm.table
    assert any("1 dimension(s) kept" in n for n in pm.notes)
    ax = pm.plot()  # a one-dimensional map is drawn at y = 0
    assert len(ax.collections) >= 2
    plt.close("all")


def test_row_at_the_centroid_gets_empty_cosines_with_a_note():
    data = SMOKE.copy()
    data.loc["avg"] = SMOKE.sum().to_numpy()  # profile equal to the average
    pm = perceptual_map(data)
    avg = _part(pm, "row").loc["avg"]
    assert np.isnan(avg["quality"]) and avg[["dim1", "dim2"]].abs().max() < 1e-12
    assert any("centroid" in n for n in pm.notes)


def test_mean_ratings_by_doubling():
    means = pd.DataFrame(
        {"price": [8.0, 4.0, 6.0], "service": [5.0, 8.5, 6.0], "design": [7.0, 5.0, 6.5]},
        index=["Lumo", "Vetta", "Orin"],
    )
    lo, hi = 1, 10
    doubled = pd.concat([(means - lo).add_suffix("+"), (hi - means).add_suffix("-")], axis=1)
    pm = perceptual_map(doubled)
    rows = _part(pm, "row")
    assert np.allclose(rows["mass"], 1 / 3)  # doubling gives every brand the same mass
    cols = _part(pm, "col")
    # both poles of an attribute lie on opposite sides of the origin
    for a in means.columns:
        assert np.dot(cols.loc[f"{a}+", ["dim1", "dim2"]], cols.loc[f"{a}-", ["dim1", "dim2"]]) < 0


# --- bad input -------------------------------------------------------------------------------


def test_negative_count_is_an_error_naming_column_brand_and_fix():
    bad = SMOKE.copy()
    bad.loc["JM", "light"] = -3
    with pytest.raises(DataError, match=r"'light'.*-3.*'JM'.*>= 0.*doubling"):
        perceptual_map(bad)


def test_missing_count_is_an_error_suggesting_fillna():
    bad = SMOKE.astype(float)
    bad.loc["SC", "heavy"] = np.nan
    with pytest.raises(DataError, match=r"'heavy'.*'SC'.*fillna\(0\)"):
        perceptual_map(bad)


def test_infinite_and_text_counts_are_errors():
    bad = SMOKE.astype(float)
    bad.loc["SC", "heavy"] = np.inf
    with pytest.raises(DataError, match=r"'heavy'.*infinite"):
        perceptual_map(bad)
    txt = SMOKE.astype(object)
    txt.loc["SM", "none"] = "four"
    with pytest.raises(DataError, match=r"'none'.*non-numeric.*'four'"):
        perceptual_map(txt)


def test_all_zero_row_is_an_error_naming_it_and_suggesting_to_drop_it():
    bad = SMOKE.copy()
    bad.loc["XX"] = 0
    with pytest.raises(DataError, match=r"'XX'.*all zero.*undefined.*drop"):
        perceptual_map(bad)


def test_all_zero_column_is_an_error_naming_it_and_suggesting_to_drop_it():
    bad = SMOKE.copy()
    bad["never"] = 0
    with pytest.raises(DataError, match=r"'never'.*all zero.*undefined.*drop"):
        perceptual_map(bad)


def test_supplementary_point_without_counts_is_an_error():
    bad = SMOKE.copy()
    bad.loc["empty"] = 0
    with pytest.raises(DataError, match=r"supplementary rows 'empty'.*all zero"):
        perceptual_map(bad, supplementary_rows=["empty"])


def test_fewer_than_two_rows_or_columns_is_an_error():
    with pytest.raises(SchemaError, match=r"at least 2 active rows.*1 active rows"):
        perceptual_map(SMOKE.iloc[:1])
    with pytest.raises(SchemaError, match=r"1 active columns \('none'\)"):
        perceptual_map(SMOKE[["none"]])
    with pytest.raises(SchemaError, match=r"1 active rows.*supplementary"):
        perceptual_map(SMOKE.iloc[:2], supplementary_rows=["JM"])


def test_duplicated_brands_are_an_error_suggesting_to_sum_them():
    bad = pd.concat([SMOKE, SMOKE.loc[["SE"]]])
    with pytest.raises(DataError, match=r"repeat: 'SE'.*groupby"):
        perceptual_map(bad)


def test_unknown_columns_rows_and_options_are_errors():
    with pytest.raises(SchemaError, match=r"'hevy' \(did you mean 'heavy'\?\)"):
        perceptual_map(SMOKE, cols=["none", "hevy"])
    with pytest.raises(SchemaError, match=r"'brnd'"):
        perceptual_map(SMOKE, rows="brnd")
    with pytest.raises(ConfigError, match=r"supplementary_rows 'XY'.*'SM'"):
        perceptual_map(SMOKE, supplementary_rows=["XY"])
    with pytest.raises(ConfigError, match=r"'heavy'.*both cols and supplementary_cols"):
        perceptual_map(SMOKE, cols=COLS, supplementary_cols=["heavy"])
    with pytest.raises(ConfigError, match=r"supplementary_rows must be a list"):
        perceptual_map(SMOKE, supplementary_rows="SM")
    with pytest.raises(ConfigError, match=r"n_components must be a whole number >= 1"):
        perceptual_map(SMOKE, n_components=0)
    with pytest.raises(ConfigError, match=r"lang='fr'.*\['en', 'zh'\]"):
        perceptual_map(SMOKE, lang="fr")  # type: ignore[arg-type]
    with pytest.raises(SchemaError, match=r"DataFrame.*ndarray"):
        perceptual_map(SMOKE.to_numpy())  # type: ignore[arg-type]


def test_a_table_without_association_is_an_error():
    flat = pd.DataFrame([[2, 4, 6], [1, 2, 3], [5, 10, 15]], index=list("abc"))
    with pytest.raises(DataError, match=r"same profile.*no association"):
        perceptual_map(flat)


# --- the map ---------------------------------------------------------------------------------


def _crowded(lang: Literal["en", "zh"] = "en") -> PerceptualMap:
    rng = np.random.default_rng(7)
    brands = ["Lumo", "Vetta", "Orin", "Kaiya", "Brisa", "Nova", "Pella", "Quill", "Rhea", "Sora"]
    if lang == "zh":
        brands = ["智家", "维塔", "欧林", "凯雅", "布里萨", "新星", "佩拉", "奎尔", "瑞亚", "索拉"]
    attrs = [f"attribute_{k:02d}" for k in range(14)]
    n = rng.poisson(30, size=(len(brands), len(attrs))) + 1
    return perceptual_map(pd.DataFrame(n, index=pd.Index(brands), columns=attrs), lang=lang)


def _label_boxes(ax):
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    return [t for t in ax.texts], [t.get_window_extent(renderer) for t in ax.texts]


def _overlaps(boxes: list[Any]) -> list[tuple[int, int]]:
    return [
        (i, j)
        for i in range(len(boxes))
        for j in range(i)
        if boxes[i].x0 < boxes[j].x1
        and boxes[j].x0 < boxes[i].x1
        and boxes[i].y0 < boxes[j].y1
        and boxes[j].y0 < boxes[i].y1
    ]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_map_labels_do_not_overlap_and_stay_clear_of_the_legend(lang):
    pm = _crowded(lang)
    ax = pm.plot()
    texts, boxes = _label_boxes(ax)
    assert len(texts) >= 18  # most of the 24 points labelled
    assert _overlaps(boxes) == []
    drawn = [t.get_text() for t in texts]
    brands = _part(pm, "row").index.tolist()
    assert sorted(drawn[: len(brands)]) == sorted(brands)  # brands labelled first
    renderer = ax.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    axbox = ax.get_window_extent(renderer)
    assert all(axbox.x0 <= b.x0 and b.x1 <= axbox.x1 for b in boxes)
    assert all(axbox.y0 <= b.y0 and b.y1 <= axbox.y1 for b in boxes)
    legend = cast(Any, ax.get_legend()).get_window_extent(renderer)
    assert not any(0 in pair for pair in _overlaps([legend, *boxes]))
    plt.close("all")


def test_map_on_a_small_user_axes_keeps_labels_apart():
    _, grid = plt.subplots(2, 2, figsize=(8, 6))
    ax = _crowded().plot(ax=grid[1, 0])
    _, boxes = _label_boxes(ax)
    assert boxes and _overlaps(boxes) == []
    plt.close("all")


@pytest.mark.parametrize(
    ("lang", "x", "y", "title"),
    [
        ("en", "Dimension 1 (87.8% of inertia)", "Dimension 2 (11.8% of inertia)", "99.5%"),
        ("zh", "维度 1（占总惯量 87.8%）", "维度 2（占总惯量 11.8%）", "对称图"),
    ],
)
def test_map_axis_titles_give_the_share_of_inertia(lang, x, y, title):
    data = SMOKE.copy()
    data["drinks"] = [0, 1, 5, 10, 7]
    ax = perceptual_map(data, supplementary_cols=["drinks"], lang=lang).plot()
    assert ax.get_xlabel() == x and ax.get_ylabel() == y
    assert title in ax.get_title()
    # symmetric map: the points sit at their principal coordinates, equal scales
    offsets = np.vstack([c.get_offsets() for c in ax.collections])
    pm = perceptual_map(data, supplementary_cols=["drinks"])
    np.testing.assert_allclose(
        np.sort(offsets[:, 0]), np.sort(pm.table["dim1"].to_numpy()), atol=1e-12
    )
    assert ax.get_aspect() == 1.0
    # supplementary points hollow, named in the legend
    legend = [t.get_text() for t in cast(Any, ax.get_legend()).get_texts()]
    assert len(legend) == 3
    sup = ax.collections[2]
    face = np.asarray(sup.get_facecolor(), float)
    assert face.size == 0 or face[0][3] == 0
    plt.close("all")
