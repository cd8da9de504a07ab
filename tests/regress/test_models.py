"""Tests of needlab.regress.models.regress against statsmodels, expanded rows, R and planted truth."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from needlab.errors import ConfigError, DataError, SchemaError
from needlab.regress.models import RegressionResult, regress

sm = pytest.importorskip("statsmodels.api")


@pytest.fixture(scope="module")
def df() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    n = 240
    d = pd.DataFrame(
        {
            "a": rng.normal(size=n),
            "b": rng.normal(2, 3, size=n),
            "region": rng.choice(["North", "East", "South"], size=n),
        }
    )
    d["y"] = (
        1
        + d["a"]
        - 0.3 * d["b"]
        + 0.8 * (d["region"] == "South")
        + rng.normal(size=n) * (1 + 0.5 * np.abs(d["a"]))
    )
    d["yb"] = (d["y"] + rng.logistic(size=n) > 0.5).astype(int)
    d["yo"] = np.digitize(d["y"] + rng.logistic(size=n), [-1.5, 0.0, 1.5, 3.0]) + 1
    d["w"] = rng.integers(1, 4, size=n).astype(float)
    return d


def _design(d: pd.DataFrame, ref: str = "East") -> pd.DataFrame:
    X = d[["a", "b"]].copy()
    for lev in sorted(set(d["region"]) - {ref}):
        X[f"region[{lev}]"] = (d["region"] == lev).astype(float)
    return X


def _expand(d: pd.DataFrame) -> pd.DataFrame:
    return d.loc[d.index.repeat(d["w"].astype(int))].reset_index(drop=True)


# --- OLS ------------------------------------------------------------------------------------------


def test_ols_equals_statsmodels(df):
    res = regress(df, "y", ["a", "b", "region"])
    ref = sm.OLS(df["y"], sm.add_constant(_design(df))).fit()
    assert isinstance(res, RegressionResult)
    assert res.table["term"].tolist() == ["Intercept", "a", "b", "region[North]", "region[South]"]
    np.testing.assert_allclose(res.table["coef"], ref.params, rtol=1e-10)
    np.testing.assert_allclose(res.table["se"], ref.bse, rtol=1e-10)
    np.testing.assert_allclose(res.table["p_value"], ref.pvalues, rtol=1e-8)
    np.testing.assert_allclose(res.table[["ci_low", "ci_high"]], ref.conf_int(), rtol=1e-10)
    assert res.fit["r2"] == pytest.approx(ref.rsquared, rel=1e-12)
    assert res.fit["adj_r2"] == pytest.approx(ref.rsquared_adj, rel=1e-12)
    assert res.fit["F"] == pytest.approx(ref.fvalue, rel=1e-10)
    assert (res.n_used, res.n_excluded) == (240, 0) and res.drivers == ("a", "b", "region")
    assert res.model.params.shape == (5,)
    narrow = regress(df, "y", ["a", "b", "region"], ci=0.9)
    np.testing.assert_allclose(
        narrow.table[["ci_low", "ci_high"]], ref.conf_int(alpha=0.1), rtol=1e-10
    )
    assert narrow.fit["ci_level"] == pytest.approx(0.9)


def test_wls_equals_statsmodels_and_expanded_rows(df):
    res = regress(df, "y", ["a", "b", "region"], weights="w")
    X = sm.add_constant(_design(df))
    ref = sm.WLS(df["y"], X, weights=df["w"]).fit()
    np.testing.assert_allclose(res.table["coef"], ref.params, rtol=1e-10)
    np.testing.assert_allclose(res.table["se"], ref.bse, rtol=1e-10)
    ex = _expand(df)
    exp = sm.OLS(ex["y"], sm.add_constant(_design(ex))).fit()
    np.testing.assert_allclose(res.table["coef"], exp.params, rtol=1e-9)
    assert res.fit["r2"] == pytest.approx(exp.rsquared, rel=1e-9)
    assert res.fit["weighted_n"] == df["w"].sum()
    # weights as an array give the same fit
    arr = regress(df, "y", ["a", "b", "region"], weights=df["w"].to_numpy())
    pd.testing.assert_frame_equal(arr.table, res.table)


@pytest.mark.parametrize("robust", ["HC3", "HC1"])
def test_robust_se_equal_statsmodels(df, robust):
    res = regress(df, "y", ["a", "b", "region"], robust=robust)
    ref = sm.OLS(df["y"], sm.add_constant(_design(df))).fit(cov_type=robust, use_t=True)
    np.testing.assert_allclose(res.table["se"], ref.bse, rtol=1e-10)
    np.testing.assert_allclose(res.table["p_value"], ref.pvalues, rtol=1e-8)
    assert res.summary()["standard errors"] == robust
    plain = regress(df, "y", ["a", "b", "region"])
    assert not np.allclose(plain.table["se"], res.table["se"])
    wres = regress(df, "y", ["a", "b"], weights="w", robust=robust)
    wref = sm.WLS(df["y"], sm.add_constant(df[["a", "b"]]), weights=df["w"]).fit(cov_type=robust)
    np.testing.assert_allclose(wres.table["se"], wref.bse, rtol=1e-10)


def test_std_coef_equals_fit_on_zscores(df):
    res = regress(df, "y", ["a", "b"])
    z = df[["y", "a", "b"]].apply(lambda s: (s - s.mean()) / s.std())
    ref = sm.OLS(z["y"], sm.add_constant(z[["a", "b"]])).fit()
    np.testing.assert_allclose(res.table["std_coef"].iloc[1:], ref.params.iloc[1:], rtol=1e-10)
    assert np.isnan(res.table["std_coef"].iloc[0])
    # weighted: beta = coef * weighted sd(x) / weighted sd(y)
    wres = regress(df, "y", ["a", "b"], weights="w")

    def wsd(v):
        m = np.average(v, weights=df["w"])
        return np.sqrt(np.average((v - m) ** 2, weights=df["w"]))

    expect = wres.table["coef"].iloc[1] * wsd(df["a"]) / wsd(df["y"])
    assert wres.table["std_coef"].iloc[1] == pytest.approx(expect, rel=1e-12)


def test_dummy_coding_with_named_reference(df):
    res = regress(df, "y", ["region"], reference={"region": "North"})
    assert res.table["term"].tolist() == ["Intercept", "region[East]", "region[South]"]
    means = df.groupby("region")["y"].mean()
    coef = res.table.set_index("term")["coef"]
    assert coef["Intercept"] == pytest.approx(means["North"], rel=1e-10)
    assert coef["region[East]"] == pytest.approx(means["East"] - means["North"], rel=1e-10)
    assert coef["region[South]"] == pytest.approx(means["South"] - means["North"], rel=1e-10)
    assert any("reference level 'North'" in n for n in res.notes)
    # default reference: first in sorted order; category dtype: category order
    assert regress(df, "y", ["region"]).table["term"].tolist()[1] == "region[North]"
    d2 = df.assign(region=pd.Categorical(df["region"], ["South", "North", "East"]))
    assert regress(d2, "y", ["region"]).table["term"].tolist()[1:] == [
        "region[North]",
        "region[East]",
    ]
    # bool predictors are dummies too
    d3 = df.assign(flag=df["a"] > 0)
    assert "flag[True]" in regress(d3, "y", ["flag", "b"]).table["term"].tolist()


def test_vif_against_hand_computation(df):
    d = df.assign(c=df["a"] + 0.3 * df["b"] + np.random.default_rng(1).normal(size=len(df)) * 0.2)
    res = regress(d, "y", ["a", "b", "c"], vif_threshold=5.0)
    for j, col in enumerate(["a", "b", "c"]):
        others = [c for c in ["a", "b", "c"] if c != col]
        r2 = sm.OLS(d[col], sm.add_constant(d[others])).fit().rsquared
        assert res.vif.loc[j, "vif"] == pytest.approx(1 / (1 - r2), rel=1e-9)
    assert res.vif["predictor"].tolist() == ["a", "b", "c"]
    high = res.vif[res.vif["vif"] > 5]["predictor"].tolist()
    assert high  # the construction makes c (and a) collinear
    assert any("VIF above 5" in n and repr(high[0]) in n for n in res.notes)
    # weighted VIF uses weighted regressions
    wres = regress(d, "y", ["a", "b", "c"], weights="w")
    r2 = sm.WLS(d["c"], sm.add_constant(d[["a", "b"]]), weights=d["w"]).fit().rsquared
    assert wres.vif.loc[2, "vif"] == pytest.approx(1 / (1 - r2), rel=1e-9)
    assert regress(df, "y", ["a"]).vif["vif"].tolist() == [1.0]


# --- logit ----------------------------------------------------------------------------------------


def test_logit_odds_ratios_equal_statsmodels(df):
    res = regress(df, "yb", ["a", "b", "region"], kind="logit")
    ref = sm.Logit(df["yb"], sm.add_constant(_design(df))).fit(disp=0)
    np.testing.assert_allclose(res.table["coef"], ref.params, rtol=1e-6)
    np.testing.assert_allclose(res.table["odds_ratio"], np.exp(ref.params), rtol=1e-6)
    np.testing.assert_allclose(res.table["se"], ref.bse, rtol=1e-5)
    np.testing.assert_allclose(res.table["or_ci_low"], np.exp(ref.conf_int()[0]), rtol=1e-5)
    np.testing.assert_allclose(res.table["or_ci_high"], np.exp(ref.conf_int()[1]), rtol=1e-5)
    assert res.fit["pseudo_r2"] == pytest.approx(ref.prsquared, rel=1e-8)
    assert res.fit["loglik"] == pytest.approx(ref.llf, rel=1e-10)
    assert res.fit["aic"] == pytest.approx(ref.aic, rel=1e-10)
    assert res.fit["bic"] == pytest.approx(ref.bic, rel=1e-10)
    assert res.fit["p"] == pytest.approx(ref.llr_pvalue, rel=1e-6)
    # std_coef for logit = coef * sd(x)
    assert res.table["std_coef"].iloc[1] == pytest.approx(
        res.table["coef"].iloc[1] * df["a"].std(ddof=0), rel=1e-12
    )


def test_logit_named_event_level(df):
    d = df.assign(churn=np.where(df["yb"] == 1, "stay", "leave"))
    res = regress(d, "churn", ["a", "b"], kind="logit", event="leave")
    base = regress(df, "yb", ["a", "b"], kind="logit")
    np.testing.assert_allclose(res.table["coef"], -base.table["coef"], rtol=1e-8)
    assert res.event == "leave" and any("'leave'" in n for n in res.notes)
    assert regress(d, "churn", ["a"], kind="logit").event == "stay"  # second in sorted order


def test_logit_separation_is_reported():
    d = pd.DataFrame({"a": np.arange(20.0), "b": np.random.default_rng(0).normal(size=20)})
    d["y"] = (d["a"] > 9).astype(int)
    res = regress(d, "y", ["a", "b"], kind="logit")
    assert any("separation" in n for n in res.notes)


def test_weighted_logit_equals_expanded_rows(df):
    res = regress(df, "yb", ["a", "b", "region"], kind="logit", weights="w")
    ex = _expand(df)
    ref = sm.Logit(ex["yb"], sm.add_constant(_design(ex))).fit(disp=0)
    np.testing.assert_allclose(res.table["coef"], ref.params, rtol=1e-6)
    np.testing.assert_allclose(res.table["se"], ref.bse, rtol=1e-5)
    assert res.fit["loglik"] == pytest.approx(ref.llf, rel=1e-9)
    assert res.fit["bic"] == pytest.approx(ref.bic, rel=1e-9)
    assert res.fit["pseudo_r2"] == pytest.approx(ref.prsquared, rel=1e-8)


# --- ordinal --------------------------------------------------------------------------------------


def test_unweighted_ordinal_equals_ordered_model(df):
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    res = regress(df, "yo", ["a", "b", "region"], kind="ordinal")
    ref = OrderedModel(df["yo"], _design(df), distr="logit").fit(
        method="bfgs", disp=0, maxiter=5000, gtol=1e-8
    )
    k = 4
    np.testing.assert_allclose(res.table["coef"], ref.params.iloc[:k], rtol=1e-5)
    np.testing.assert_allclose(res.table["se"], ref.bse.iloc[:k], rtol=1e-4)
    np.testing.assert_allclose(
        res.thresholds["value"], ref.model.transform_threshold_params(ref.params)[1:-1], rtol=1e-5
    )
    assert res.fit["loglik"] == pytest.approx(ref.llf, rel=1e-9)
    assert res.fit["pseudo_r2"] == pytest.approx(ref.prsquared, rel=1e-7)
    assert res.table["term"].tolist() == ["a", "b", "region[North]", "region[South]"]
    assert res.thresholds["threshold"].tolist() == ["1|2", "2|3", "3|4", "4|5"]
    np.testing.assert_allclose(res.table["odds_ratio"], np.exp(res.table["coef"]))


def test_weighted_ordinal_equals_expanded_rows(df):
    res = regress(df, "yo", ["a", "b", "region"], kind="ordinal", weights="w")
    exp = regress(_expand(df), "yo", ["a", "b", "region"], kind="ordinal")
    np.testing.assert_allclose(res.table["coef"], exp.table["coef"], rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(res.table["se"], exp.table["se"], rtol=1e-6)
    np.testing.assert_allclose(
        res.thresholds[["value", "se"]], exp.thresholds[["value", "se"]], rtol=1e-6
    )
    for key in ("loglik", "loglik_null", "pseudo_r2", "aic", "bic"):
        assert res.fit[key] == pytest.approx(exp.fit[key], rel=1e-9)
    # and independently of needlab: statsmodels' own OrderedModel on the expanded rows
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    ex = _expand(df)
    ref = OrderedModel(ex["yo"], _design(ex), distr="logit").fit(
        method="bfgs", disp=0, maxiter=5000, gtol=1e-8
    )
    np.testing.assert_allclose(res.table["coef"], ref.params.iloc[:4], rtol=1e-5)
    np.testing.assert_allclose(res.table["se"], ref.bse.iloc[:4], rtol=1e-4)
    # non-integer weights that are a multiple of integer ones give the same coefficients
    half = regress(df.assign(w=df["w"] / 2), "yo", ["a", "b"], kind="ordinal", weights="w")
    full = regress(df, "yo", ["a", "b"], kind="ordinal", weights="w")
    np.testing.assert_allclose(half.table["coef"], full.table["coef"], rtol=1e-7)


# R 4.2, MASS 7.3-58.2:
#   library(MASS)
#   x1 <- c(0.3,-1.0,0.8,0.9,-2.0,-1.3,0.1,-0.3,0.0,-0.9,0.9,0.8,0.1,1.1,0.5,-0.9,0.4,-1.0,0.9,
#           0.0,-0.2,-0.7,1.2,-0.2,-0.4,-0.4,0.5,0.4,0.4,0.4,2.1,-0.4,-0.5,-0.8,0.6,1.1,-0.1,-0.8,
#           -0.8,0.7)
#   x2 <- c(1,0,0,1,1,1,0,0,1,1,0,1,1,0,1,0,0,1,1,0,1,0,1,0,1,1,1,1,0,1,0,1,1,0,1,1,0,0,0,0)
#   y <- factor(c(2,1,3,3,1,1,3,1,1,1,2,2,3,2,1,1,2,2,3,3,2,1,4,1,1,1,3,2,1,2,2,2,1,1,1,3,2,1,1,
#                 4), ordered=TRUE)
#   f <- polr(y ~ x1 + x2, Hess=TRUE); coef(f); f$zeta; sqrt(diag(vcov(f))); logLik(f)
POLR_DATA = {
    "x1": [
        0.3,
        -1.0,
        0.8,
        0.9,
        -2.0,
        -1.3,
        0.1,
        -0.3,
        0.0,
        -0.9,
        0.9,
        0.8,
        0.1,
        1.1,
        0.5,
        -0.9,
        0.4,
        -1.0,
        0.9,
        0.0,
        -0.2,
        -0.7,
        1.2,
        -0.2,
        -0.4,
        -0.4,
        0.5,
        0.4,
        0.4,
        0.4,
        2.1,
        -0.4,
        -0.5,
        -0.8,
        0.6,
        1.1,
        -0.1,
        -0.8,
        -0.8,
        0.7,
    ],
    "x2": [
        1,
        0,
        0,
        1,
        1,
        1,
        0,
        0,
        1,
        1,
        0,
        1,
        1,
        0,
        1,
        0,
        0,
        1,
        1,
        0,
        1,
        0,
        1,
        0,
        1,
        1,
        1,
        1,
        0,
        1,
        0,
        1,
        1,
        0,
        1,
        1,
        0,
        0,
        0,
        0,
    ],
    "y": [
        2,
        1,
        3,
        3,
        1,
        1,
        3,
        1,
        1,
        1,
        2,
        2,
        3,
        2,
        1,
        1,
        2,
        2,
        3,
        3,
        2,
        1,
        4,
        1,
        1,
        1,
        3,
        2,
        1,
        2,
        2,
        2,
        1,
        1,
        1,
        3,
        2,
        1,
        1,
        4,
    ],
}
POLR_COEF = [1.9002286958, 0.5633796036]
POLR_ZETA = [0.1240792922, 2.0091858811, 4.1422507177]
POLR_SE = [0.5262790798, 0.6702166945, 0.5527065542, 0.6322327248, 0.9405814750]
POLR_LOGLIK = -38.17132358


def test_ordinal_equals_r_mass_polr():
    res = regress(pd.DataFrame(POLR_DATA), "y", ["x1", "x2"], kind="ordinal")
    # polr stops at its optimiser's tolerance (reltol 1e-8 on the deviance)
    np.testing.assert_allclose(res.table["coef"], POLR_COEF, rtol=2e-4)
    np.testing.assert_allclose(res.thresholds["value"], POLR_ZETA, rtol=2e-4)
    np.testing.assert_allclose(np.r_[res.table["se"], res.thresholds["se"]], POLR_SE, rtol=2e-3)
    assert res.fit["loglik"] == pytest.approx(POLR_LOGLIK, abs=1e-6)
    assert res.thresholds["threshold"].tolist() == ["1|2", "2|3", "3|4"]


def test_ordinal_categorical_outcome_order():
    d = pd.DataFrame(POLR_DATA)
    labels = {1: "poor", 2: "fair", 3: "good", 4: "great"}
    d["yc"] = pd.Categorical(d["y"].map(labels), ["poor", "fair", "good", "great"], ordered=True)
    res = regress(d, "yc", ["x1", "x2"], kind="ordinal")
    np.testing.assert_allclose(res.table["coef"], POLR_COEF, rtol=2e-4)
    assert res.thresholds["threshold"].tolist() == ["poor|fair", "fair|good", "good|great"]


def test_ordinal_robust_is_sandwich(df):
    res = regress(df, "yo", ["a", "b"], kind="ordinal", robust="HC1")
    plain = regress(df, "yo", ["a", "b"], kind="ordinal")
    np.testing.assert_allclose(res.table["coef"], plain.table["coef"], rtol=1e-10)
    # sandwich by hand: H^-1 (sum s_i s_i') H^-1
    m = plain.model.model
    p = np.asarray(plain.model.params)
    s = m.score_obs(p)
    Hi = np.linalg.inv(-m.hessian(p))
    se = np.sqrt(np.diag(Hi @ (s.T @ s) @ Hi))
    np.testing.assert_allclose(res.table["se"], se[:2], rtol=1e-6)
    assert any("HC0" in n for n in res.notes)


# --- planted truth --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    from pathlib import Path

    import needlab

    root = Path(__file__).resolve().parents[2]
    return needlab.read_survey(
        root / "data/sample/survey_wave1.csv", codebook=root / "data/sample/codebook.yaml"
    ).data


def test_planted_driver_recovery(survey):
    from scipy.stats import spearmanr

    from needlab.datasets import make_sample

    truth = make_sample(0).truth.drivers.set_index("item")
    sat = [c for c in survey.columns if str(c).startswith("sat_")]
    assert set(sat) == set(truth.index)
    assert (survey[sat] == 99).sum().sum() == 0  # user-missing code read as NaN
    for w in (None, "weight"):
        res = regress(survey, "overall_sat", sat, weights=w)
        t = res.table.set_index("term").loc[sat]
        assert res.n_excluded > 0 and any("excluded (listwise)" in n for n in res.notes)
        assert res.n_used + res.n_excluded == len(survey)
        assert (t["coef"] - truth["weight"]).abs().max() < 0.15
        assert (t["std_coef"] - truth["std_weight"]).abs().max() < 0.07
        assert spearmanr(t["coef"], truth["weight"]).statistic > 0.85
        strong = truth.index[truth["weight"] >= 0.1]
        assert (t.loc[strong, "p_value"] < 0.01).all()
        assert (t.loc[truth.index[truth["zero"]], "coef"].abs() < 0.1).all()
        assert res.fit["r2"] == pytest.approx(0.7, abs=0.05)


# --- missing values, views ------------------------------------------------------------------------


def test_missing_listwise_reported_and_error_mode(df):
    d = df.copy()
    d.loc[[0, 1, 2], "a"] = np.nan
    d.loc[[2, 5], "y"] = np.nan
    d.loc[7, "w"] = 0.0
    res = regress(d, "y", ["a", "b"], weights="w")
    assert (res.n_used, res.n_excluded) == (len(d) - 5, 5)
    assert res.notes[0] == (
        "5 of 240 rows excluded (listwise): missing values in 'y' 2, 'a' 3; zero weight 1."
    )
    with pytest.raises(DataError, match=r"4 of 240 rows have missing values.*'y' 2, 'a' 3"):
        regress(d, "y", ["a", "b"], weights="w", missing="error")
    # a missing weight is an error, as in every other function (not a silent exclusion)
    d.loc[7, "w"] = np.nan
    with pytest.raises(DataError, match=r"weights 'w' has 1 missing \(NaN\) values.*rows 7"):
        regress(d, "y", ["a", "b"], weights="w")


def test_views_are_deterministic(df):
    import matplotlib.pyplot as plt

    r1 = regress(df, "yb", ["a", "region"], kind="logit")
    r2 = regress(df, "yb", ["a", "region"], kind="logit")
    assert r1._repr_html_() == r2._repr_html_()
    assert repr(r1) == repr(r2)
    html = r1._repr_html_()
    assert "Logit regression of yb" in html and "odds_ratio" in html and "pseudo_r2" in html
    assert "Date" not in html and "Time" not in html
    assert set(r1.tables()) == {"coefficients", "fit", "vif"}
    assert "thresholds" in regress(df, "yo", ["a"], kind="ordinal").tables()
    ax = r1.plot()
    assert ax.get_xscale() == "log" and len(ax.get_yticklabels()) == 3
    ax2 = regress(df, "y", ["a", "b"]).plot(intercept=True)
    assert [t.get_text() for t in ax2.get_yticklabels()] == ["Intercept", "a", "b"]
    plt.close("all")


@settings(max_examples=15, deadline=None)
@given(scale=st.floats(0.01, 100), shift=st.floats(-50, 50))
def test_rescaling_a_predictor_changes_only_its_coef(scale, shift):
    rng = np.random.default_rng(3)
    d = pd.DataFrame({"a": rng.normal(size=60), "b": rng.normal(size=60)})
    d["y"] = d["a"] + rng.normal(size=60)
    base = regress(d, "y", ["a", "b"])
    res = regress(d.assign(a=d["a"] * scale + shift), "y", ["a", "b"])
    assert res.table["coef"].iloc[1] == pytest.approx(base.table["coef"].iloc[1] / scale, rel=1e-7)
    assert res.table["std_coef"].iloc[1] == pytest.approx(base.table["std_coef"].iloc[1], rel=1e-7)
    assert res.table["p_value"].iloc[1] == pytest.approx(base.table["p_value"].iloc[1], rel=1e-6)
    assert res.vif["vif"].tolist() == pytest.approx(base.vif["vif"].tolist(), rel=1e-7)


# --- bad input ------------------------------------------------------------------------------------


def test_unknown_columns(df):
    with pytest.raises(SchemaError, match="'regoin'.*did you mean 'region'"):
        regress(df, "y", ["a", "regoin"])
    with pytest.raises(SchemaError, match="outcome column 'yy'"):
        regress(df, "yy", ["a"])
    with pytest.raises(SchemaError, match="'wt'.*not found"):
        regress(df, "y", ["a"], weights="wt")


def test_bad_options(df):
    with pytest.raises(ConfigError, match="kind='probit'"):
        regress(df, "y", ["a"], kind="probit")
    with pytest.raises(ConfigError, match="robust='HC9'"):
        regress(df, "y", ["a"], robust="HC9")
    with pytest.raises(ConfigError, match="outcome 'y' is also listed"):
        regress(df, "y", ["a", "y"])
    with pytest.raises(ConfigError, match="reference names 'zone'"):
        regress(df, "y", ["a"], reference={"zone": "x"})
    with pytest.raises(ConfigError, match="event= applies to kind='logit' only"):
        regress(df, "y", ["a"], event=1)
    with pytest.raises(ConfigError, match="weights column 'a' is also"):
        regress(df, "y", ["a"], weights="a")
    with pytest.raises(ConfigError, match="'a', but it is numeric"):
        regress(df, "y", ["a"], reference={"a": 1})


def test_outcome_with_one_value(df):
    with pytest.raises(DataError, match="outcome 'c' has a single value"):
        regress(df.assign(c=3.0), "c", ["a"])
    with pytest.raises(DataError, match="single value"):
        regress(df.assign(c=1), "c", ["a"], kind="logit")


def test_non_numeric_ols_outcome(df):
    with pytest.raises(DataError, match="column 'region' must be numeric"):
        regress(df, "region", ["a"])


def test_logit_more_than_two_levels(df):
    with pytest.raises(DataError, match="logit outcome 'region' has 3 levels.*'East', 'North'"):
        regress(df, "region", ["a"], kind="logit")
    with pytest.raises(DataError, match="event='maybe' is not a value"):
        regress(df, "yb", ["a"], kind="logit", event="maybe")


def test_ordinal_text_outcome(df):
    with pytest.raises(DataError, match="ordered pandas Categorical"):
        regress(df, "region", ["a"], kind="ordinal")


def test_fewer_rows_than_parameters():
    d = pd.DataFrame({"y": [1.0, 2.0, 4.0], "a": [1.0, 3.0, 2.0], "b": [0.0, 1.0, 5.0]})
    with pytest.raises(DataError, match="3 rows .* for 3 parameters"):
        regress(d, "y", ["a", "b"])


def test_perfectly_collinear_predictors_are_named(df):
    d = df.assign(c=2 * df["a"] - df["b"])
    with pytest.raises(DataError, match="perfectly collinear") as exc:
        regress(d, "y", ["a", "b", "c"])
    msg = str(exc.value)
    assert all(f"'{c}'" in msg for c in ("a", "b", "c"))
    # a dummy that duplicates a numeric 0/1 column, and a shifted copy (collinear with intercept)
    d2 = df.assign(south=(df["region"] == "South").astype(float), a2=df["a"] + 5)
    with pytest.raises(DataError, match=r"region\[South\]|'south'"):
        regress(d2, "y", ["south", "region"])
    with pytest.raises(DataError, match="'a2?' = .*'a2?'"):
        regress(d2, "yo", ["a", "a2"], kind="ordinal")
    with pytest.raises(DataError, match="240 distinct values.*kind='ols'"):
        regress(df, "y", ["a"], kind="ordinal")


def test_constant_predictor(df):
    with pytest.raises(DataError, match="predictor 'k' is constant.*7"):
        regress(df.assign(k=7.0), "y", ["a", "k"])
    with pytest.raises(DataError, match="predictor 'g' is constant.*'x'"):
        regress(df.assign(g="x"), "y", ["a", "g"])


def test_invalid_weights(df):
    with pytest.raises(DataError, match="weights 'w' has 1 negative"):
        regress(df.assign(w=df["w"].where(df.index != 4, -1.0)), "y", ["a"], weights="w")
    with pytest.raises(DataError, match="sum to zero"):
        regress(df.assign(w=0.0), "y", ["a"], weights="w")
    with pytest.raises(DataError, match="weights has 3 values but the data has 240 rows"):
        regress(df, "y", ["a"], weights=np.ones(3))
    with pytest.raises(DataError, match="must be numeric"):
        regress(df.assign(w="heavy"), "y", ["a"], weights="w")
    with pytest.raises(DataError, match="infinite"):
        regress(df.assign(w=df["w"].where(df.index != 4, np.inf)), "y", ["a"], weights="w")


def test_text_in_numeric_predictor_and_unknown_reference(df):
    d = df.assign(a=df["a"].astype(object))
    d.loc[3, "a"] = "n/a"
    with pytest.raises(DataError, match="column 'a' must be numeric.*'n/a' at rows 3"):
        regress(d, "y", ["a", "b"])
    # numbers stored as text are used as numbers
    res = regress(df.assign(a=df["a"].astype(str)), "y", ["a", "b"])
    np.testing.assert_allclose(res.table["coef"], regress(df, "y", ["a", "b"]).table["coef"])
    with pytest.raises(DataError, match="reference level 'West' of 'region' not found"):
        regress(df, "y", ["region"], reference={"region": "West"})


def test_zero_weight_rows_are_dropped_with_a_note(df):
    w = df["w"].where(df.index >= 10, 0.0)
    res = regress(df.assign(w=w), "y", ["a", "b"], weights="w")
    ref = regress(df.iloc[10:], "y", ["a", "b"], weights="w")
    pd.testing.assert_frame_equal(res.table, ref.table)
    assert (res.n_used, res.n_excluded) == (230, 10)
    assert res.notes[0] == "10 of 240 rows excluded (listwise): zero weight 10."
