"""Tests for needlab.segment.cluster: Segmenter (k-means, k-prototypes, GMM), the choice of k,
sample weights and the scikit-learn estimator protocol."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from needlab.errors import ConfigError, DataError, NeedlabWarning, NotFittedError, SchemaError
from needlab.segment.cluster import Segmenter
from needlab.segment.stability import StabilityResult
from needlab.segment.typing_tool import TypingToolResult

from .cluster_data import ari, blobs, mixed


@pytest.fixture(scope="module")
def blob_fit():
    X, y = blobs()
    return X, y, Segmenter(random_state=0).fit(X)


@pytest.fixture(scope="module")
def mixed_fit():
    X, y = mixed()
    return X, y, Segmenter(random_state=0).fit(X)


# ----------------------------------------------------------------- choosing k
def test_five_blobs_numeric(blob_fit):
    X, y, seg = blob_fit
    assert seg.method_ == "kmeans"
    assert seg.k_ == 5
    assert ari(y, seg.labels_) > 0.99
    crit = seg.criteria_
    assert list(crit.index) == list(range(2, 9))
    assert {
        "silhouette",
        "davies_bouldin",
        "calinski_harabasz",
        "cost",
        "min_share",
        "eligible",
        "chosen",
    } <= set(crit.columns)
    assert crit["chosen"].sum() == 1 and crit.loc[5, "chosen"]
    assert crit["silhouette"].idxmax() == 5
    assert "k=5" in seg.reason_
    assert np.all(np.diff(crit["cost"]) < 0)  # cost always falls with k
    assert seg.n_excluded_ == 0


def test_mixed_planted(mixed_fit):
    X, y, seg = mixed_fit
    assert seg.method_ == "kprototypes"
    assert seg.gamma_ == 0.5
    assert seg.k_ == 5
    assert ari(y, seg.labels_) > 0.9
    cen = seg.centers()
    assert list(cen.columns) == ["segment", "n", "share", *X.columns]
    assert cen["n"].sum() == len(X) and cen["share"].sum() == pytest.approx(1)
    assert cen["n"].is_monotonic_decreasing  # 0 = largest
    # prototypes in original units: numeric means, categorical modes
    lab = seg.labels_
    assert cen.loc[0, "spend"] == pytest.approx(X["spend"][lab == 0].mean())
    assert cen.loc[0, "channel"] == X["channel"][lab == 0].mode().iloc[0]


def test_predict_reproduces_labels(blob_fit, mixed_fit):
    for X, _, seg in (blob_fit, mixed_fit):
        assert np.array_equal(seg.predict(X), seg.labels_)
        # column order does not matter, extra columns are ignored
        Z = X[X.columns[::-1]].assign(extra=1.0)
        assert np.array_equal(seg.predict(Z), seg.labels_)


def test_fixed_k_and_fit_predict():
    X, y = blobs(60)
    seg = Segmenter(k=4, k_range=(2, 6), random_state=0)
    lab = seg.fit_predict(X)
    assert seg.k_ == 4 and len(np.unique(lab)) == 4
    assert list(seg.criteria_.index) == [4]
    assert "set by the user" in seg.reason_


def test_gmm_has_bic():
    X, y = blobs(60)
    seg = Segmenter(method="gmm", k_range=(3, 6), random_state=0).fit(X)
    assert "bic" in seg.criteria_
    assert seg.criteria_["bic"].idxmin() == 5
    assert seg.k_ == 5 and ari(y, seg.labels_) > 0.99
    assert np.array_equal(seg.predict(X), seg.labels_)


# ----------------------------------------------------------------- estimator protocol
def test_clone_and_params(blob_fit):
    from sklearn.base import clone

    _, _, seg = blob_fit
    params = seg.get_params()
    assert params["k"] == "auto" and params["random_state"] == 0 and "categorical" in params
    c = clone(seg)
    assert c.get_params() == params
    assert not hasattr(c, "labels_")
    c.set_params(k=3, k_range=(2, 4))
    assert c.k == 3 and seg.k == "auto"
    assert c.get_params()["k_range"] == (2, 4)
    with pytest.raises(ValueError, match="clusters"):
        c.set_params(clusters=3)
    assert repr(seg) == "Segmenter(random_state=0)"
    assert repr(Segmenter(k=3, k_range=(2, 4))) == "Segmenter(k=3, k_range=(2, 4))"
    X = blobs(10)[0]
    for call in (
        lambda: Segmenter().predict(X),
        lambda: Segmenter().cost(X),
        lambda: Segmenter().centers(),
        lambda: Segmenter().stability(X, n_boot=2),
        lambda: Segmenter().typing_tool(X, n_questions=1),
        lambda: Segmenter().plot_criteria(),
    ):
        with pytest.raises(NotFittedError, match="not fitted"):
            call()
    from sklearn.exceptions import NotFittedError as SkNotFitted

    assert issubclass(NotFittedError, SkNotFitted)
    with pytest.raises(TypeError):
        Segmenter(3)  # parameters are keyword-only
    assert np.array_equal(seg.classes_, np.arange(5))
    assert list(seg.feature_names_in_) == ["price", "tech", "time", "brand"]
    assert seg.n_features_in_ == 4


def test_init_only_stores_and_fit_validates():
    """Bad options pass the constructor untouched and fail in fit (scikit-learn's rule)."""
    seg = Segmenter(k="many", method="dbscan", n_init=0)
    assert seg.get_params()["k"] == "many"
    with pytest.raises(ConfigError):
        seg.fit(blobs(10)[0])


ESTIMATOR_CHECKS = [
    "check_no_attributes_set_in_init",
    "check_get_params_invariance",
    "check_set_params",
    "check_parameters_default_constructible",
    "check_dont_overwrite_parameters",
    "check_fit_idempotent",
    "check_fit_check_is_fitted",
    "check_n_features_in",
    "check_estimators_unfitted",
    "check_clustering",
    "check_clusterer_compute_labels_predict",
    "check_estimators_dtypes",
    "check_dict_unchanged",
    "check_estimators_overwrite_params",
    "check_estimator_repr",
    "check_estimator_cloneable",
    "check_sample_weights_list",
    "check_sample_weights_shape",
]
# Skipped checks of check_estimator, and why:
# - check_estimators_nan_inf, check_fit2d_1sample, check_fit2d_1feature, check_fit1d,
#   check_estimators_empty_data, check_fit2d_predict1d: needlab raises its own errors (DataError/SchemaError, which
#   subclass ValueError) with other messages, imputes NaN by design (missing="impute"), and a
#   single row or column cannot be standardised (a constant column is a DataError).
# - check_sample_weight_equivalence_on_dense_data, check_sample_weights_invariance: the
#   k-means++ draws differ between a weighted and a repeated data set, so only the optimum (not
#   the random path) is equal; tested on well separated data in
#   test_integer_weights_equal_repeated_rows.
# - check_clustering(readonly_memmap), check_methods_sample_order_invariance, pickle and
#   dataframe column-name checks: not part of this API's contract (the ordering of segments is
#   by size; column names are checked by check_columns).


@pytest.mark.parametrize("check", ESTIMATOR_CHECKS)
def test_sklearn_estimator_checks(check):
    import sklearn.utils.estimator_checks as ec

    est = Segmenter(k=3, k_range=(2, 4), n_init=2, random_state=0)
    getattr(ec, check)(type(est).__name__, est)


def test_clone_gives_equal_params_and_refit_is_identical():
    from sklearn.base import clone

    X, _ = blobs(30)
    seg = Segmenter(k=5, k_range=(2, 6), categorical=None, random_state=4)
    c = clone(seg)
    assert c.get_params() == seg.get_params() and c is not seg
    assert np.array_equal(c.fit(X).labels_, seg.fit(X).labels_)


# ----------------------------------------------------------------- sample weights
def test_integer_weights_equal_repeated_rows():
    """fit(X, sample_weight=w) with integer w is the fit of X with each row repeated w times:
    the same standardisation, prototypes, cost, shares and weighted criteria."""
    X, y = mixed(150, seed=4)
    w = np.random.default_rng(1).integers(1, 4, len(X))
    rep = X.loc[X.index.repeat(w)].reset_index(drop=True)
    a = Segmenter(k=5, k_range=(4, 6), random_state=0).fit(X, sample_weight=w)
    b = Segmenter(k=5, k_range=(4, 6), random_state=0).fit(rep)
    assert a.cost_ == pytest.approx(b.cost_, rel=1e-9)
    assert np.array_equal(np.repeat(a.labels_, w), b.labels_)
    pd.testing.assert_frame_equal(a.cluster_centers_, b.cluster_centers_)
    cols = ["davies_bouldin", "calinski_harabasz", "cost", "min_share"]
    pd.testing.assert_frame_equal(a.criteria_[cols], b.criteria_[cols], rtol=1e-9)
    # and weighting does change the fit
    c = Segmenter(k=5, k_range=(4, 6), random_state=0).fit(X)
    assert not np.isclose(c.cost_, a.cost_)


def test_weights_move_the_prototype():
    """Two groups, one row of weight 9 in the second: its prototype is the weighted mean."""
    X = pd.DataFrame({"v": [0.0, 1.0, 2.0, 10.0, 11.0, 13.0]})
    w = np.array([1, 1, 1, 1, 1, 9.0])
    seg = Segmenter(k=2, k_range=(2, 2), random_state=0).fit(X, sample_weight=w)
    centres = sorted(seg.cluster_centers_["v"])
    assert centres[0] == pytest.approx(1.0)
    assert centres[1] == pytest.approx((10 + 11 + 9 * 13) / 11)
    assert seg.centers()["n"].tolist() == [3, 3]  # rows, not weights


def test_bad_weights():
    X, _ = blobs(10)
    with pytest.raises(DataError, match="negative"):
        Segmenter(k=2, k_range=(2, 2)).fit(X, sample_weight=-np.ones(len(X)))
    with pytest.raises(DataError, match="weights has 3 values"):
        Segmenter(k=2, k_range=(2, 2)).fit(X, sample_weight=[1, 2, 3])
    with pytest.raises(ConfigError, match="gmm.*sample_weight"):
        Segmenter(method="gmm", k=2, k_range=(2, 2)).fit(X, sample_weight=np.ones(len(X)))


def test_row_permutation_changes_nothing():
    X, y = mixed(400, seed=2)
    perm = np.random.default_rng(7).permutation(len(X))
    a = Segmenter(k=5, k_range=(5, 5), random_state=3).fit(X)
    b = Segmenter(k=5, k_range=(5, 5), random_state=3).fit(X.iloc[perm].reset_index(drop=True))
    back = np.empty_like(b.labels_)
    back[perm] = b.labels_
    assert ari(a.labels_, back) == 1.0
    assert np.array_equal(a.labels_, back)  # segments are ordered by size, so even the names agree
    assert a.cost_ == pytest.approx(b.cost_)


# ----------------------------------------------------------------- missing values
def test_missing_values_policy():
    X, y = blobs(40)
    X = X.copy()
    X.iloc[0, 1] = np.nan
    X.iloc[1, :] = np.nan
    seg = Segmenter(k=5, k_range=(2, 6), random_state=0).fit(X)
    assert seg.n_excluded_ == 1 and seg.labels_[1] == -1 and seg.labels_[0] >= 0
    assert np.array_equal(seg.predict(X), seg.labels_)
    seg2 = Segmenter(k=5, k_range=(2, 6), missing="exclude", random_state=0).fit(X)
    assert seg2.n_excluded_ == 2 and (seg2.labels_[:2] == -1).all()
    assert ari(y[2:], seg2.labels_[2:]) > 0.99


# ----------------------------------------------------------------- bad input
def test_bad_input_errors():
    X, _ = blobs(10)
    with pytest.raises(DataError, match="'tech'.*constant"):
        Segmenter().fit(X.assign(tech=3.0))
    with pytest.raises(DataError, match="'brand'.*all 50 missing"):
        Segmenter().fit(X.assign(brand=np.nan))
    big, _ = blobs(80)
    big["shop"] = [f"shop{i}" for i in range(len(big))]  # an id-like column: 400 levels
    with pytest.raises(DataError, match="'shop' has 400 distinct levels.*max_levels=50.*other"):
        Segmenter().fit(big)
    with pytest.raises(DataError, match="only 3 usable rows"):
        Segmenter(k=4, k_range=(2, 6)).fit(X.iloc[:3])
    text = X.astype(object)
    text.loc[4, "price"] = "n/a"
    with pytest.raises(DataError, match="'price' must be numeric.*'n/a'"):
        Segmenter().fit(text)
    with pytest.raises(ConfigError, match="k=9 is outside k_range"):
        Segmenter(k=9).fit(X)
    with pytest.raises(ConfigError, match="k_range"):
        Segmenter(k_range=(1, 5)).fit(X)
    with pytest.raises(ConfigError, match="method='gmm'.*'channel'"):
        Segmenter(method="gmm").fit(mixed(50)[0])
    with pytest.raises(ConfigError, match="method"):
        Segmenter(method="dbscan").fit(X)
    with pytest.raises(SchemaError, match="'regoin'"):
        Segmenter(categorical=["regoin"]).fit(X)
    seg = Segmenter(k=5, k_range=(5, 5), random_state=0).fit(X)
    with pytest.raises(SchemaError, match="'brand'"):
        seg.predict(X.drop(columns="brand"))


def test_text_numbers_and_declared_categorical():
    X, y = blobs(40)
    txt = X.assign(price=X["price"].map(lambda v: f"{v:.6f}").astype(object))
    seg = Segmenter(k=5, k_range=(5, 5), random_state=0).fit(txt)
    assert seg.method_ == "kmeans" and ari(y, seg.labels_) > 0.99
    coded = X.assign(region=(y % 2) + 1)  # a numeric code declared categorical
    seg = Segmenter(k=5, k_range=(5, 5), categorical=["region"], random_state=0).fit(coded)
    assert seg.method_ == "kprototypes"
    assert set(seg.cluster_centers_["region"]) <= {1, 2}


# ----------------------------------------------------------------- sample data
def test_recovers_sample_segments():
    """The sample plants 4 segments in attitudes and importance ratings. Measured ARI of k-means
    with k=4 on att_* + imp_*: 0.420-0.427 over seeds 0-2 (att_* alone: 0.35; a supervised LDA
    on the same columns reaches ARI 0.51, so the segments overlap by design)."""
    from needlab.datasets import load_sample

    s = load_sample()
    w = s.survey_wave1
    X = w.filter(regex=r"^(att|imp)_")
    truth = s.truth.segments.reindex(w["customer_id"]).to_numpy()
    seg = Segmenter(k=4, k_range=(2, 8), random_state=0).fit(X)
    assert seg.n_excluded_ == 0  # scattered missing answers are imputed
    assert ari(truth, seg.labels_) > 0.38


# ----------------------------------------------------------------- plots
def test_plots(blob_fit, mixed_fit):
    import matplotlib.pyplot as plt

    X, _, seg = blob_fit
    ax = seg.plot_criteria()
    assert ax.get_xlabel() == "number of segments k"
    assert any("chosen k=5" in t.get_text() for t in ax.get_legend().get_texts())
    Xm, _, segm = mixed_fit
    res = segm.typing_tool(Xm, n_questions=2, random_state=0)
    assert isinstance(res, TypingToolResult)
    ax = res.plot()
    assert ax.get_ylabel() == "accuracy"
    assert [t.get_text() for t in ax.get_xticklabels()] == [f"+{q}" for q in res.questions]
    assert len(ax.lines) == 3  # cross-validated, held-out, chance
    st = seg.stability(X, n_boot=3, random_state=0)
    assert isinstance(st, StabilityResult)
    ax = st.plot()
    assert "k=5" in ax.get_title()
    assert len(ax.patches) == 5  # one bar per segment
    heights = [p.get_height() for p in ax.patches]
    assert heights == pytest.approx(st.table["mean"].iloc[1:].tolist())
    assert {t.get_text() for t in ax.get_legend().get_texts()} == {
        "0.6 trustworthy",
        "0.75 stable",
    }
    plt.close("all")


# ----------------------------------------------------------------- k by stability
def _random_blobs(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    c = np.repeat(rng.normal(scale=4, size=(5, 4)), 80, axis=0)
    return pd.DataFrame(c + rng.normal(size=c.shape), columns=list("abcd"))


def test_select_stability_finds_five_blobs_where_silhouette_does_not():
    """Five random unit-variance blobs, two of them close: the silhouette rule merges them
    (k=4, measured), the stability rule keeps five (weakest-segment Jaccard 0.98 at k=5,
    0.66 at k=6)."""
    X = _random_blobs(1)
    assert Segmenter(random_state=0).fit(X).k_ == 4
    seg = Segmenter(select="stability", random_state=0).fit(X)
    assert seg.k_ == 5
    crit = seg.criteria_
    assert {"stability", "ari_boot"} <= set(crit.columns)
    assert crit.loc[5, "stability"] >= 0.75 > crit.loc[6, "stability"]
    assert (crit.loc[crit["stability"] >= 0.75].index <= 5).all()
    assert "largest k whose weakest segment" in seg.reason_
    assert 0 < crit.loc[5, "ari_boot"] <= 1


def test_select_stability_on_the_sample_beats_silhouette():
    """On the sample's overlapping segments the silhouette picks k=2 (ARI 0.25 with the planted
    four); the stability rule keeps more segments and recovers them better (measured k=3,
    ARI 0.42)."""
    from needlab.datasets import load_sample

    s = load_sample()
    w = s.survey_wave1
    X = w.filter(regex=r"^(att|imp)_")
    truth = s.truth.segments.reindex(w["customer_id"]).to_numpy()
    by_sil = Segmenter(n_init=3, random_state=0).fit(X)
    by_stab = Segmenter(select="stability", n_boot=10, n_init=3, random_state=0).fit(X)
    assert by_sil.k_ == 2
    assert by_stab.k_ >= 3
    assert ari(truth, by_stab.labels_) > ari(truth, by_sil.labels_) + 0.1


def test_select_stability_options():
    X = _random_blobs(0)
    with pytest.raises(ConfigError, match="select"):
        Segmenter(select="gap").fit(X)
    with pytest.raises(ConfigError, match="stable_at"):
        Segmenter(select="stability", stable_at=1.5).fit(X)
    with pytest.raises(ConfigError, match="n_boot"):
        Segmenter(select="stability", n_boot=1).fit(X)
    # structureless noise reaches no high bar: the most stable weakest segment wins, said so
    noise = pd.DataFrame(np.random.default_rng(3).normal(size=(300, 3)), columns=list("abc"))
    seg = Segmenter(
        select="stability", stable_at=0.99, n_boot=5, k_range=(2, 5), random_state=0
    ).fit(noise)
    st = seg.criteria_["stability"]
    assert st.max() < 0.99
    assert seg.k_ == int(st.idxmax())
    assert "No k keeps every segment" in seg.reason_


# ----------------------------------------------------------------- weak structure
def test_weak_structure_warns_on_uniform_data():
    """Uniform random data have no clusters: best silhouette < 0.25 (Kaufman & Rousseeuw)."""
    U = pd.DataFrame(np.random.default_rng(0).uniform(size=(400, 5)), columns=list("abcde"))
    with pytest.warns(NeedlabWarning, match="Weak structure.*Kaufman & Rousseeuw"):
        seg = Segmenter(k_range=(2, 5), n_init=2, random_state=0).fit(U)
    assert seg.criteria_["silhouette"].max() < 0.25
    assert seg.notes_ and seg.notes_[0].startswith("Weak structure")
    assert seg.criteria_.attrs["notes"] == seg.notes_
    assert "k=2-5" in seg.notes_[0]
    typing = seg.typing_tool(U, n_questions=2, random_state=0)
    assert any(n.startswith("Weak structure") for n in typing.notes)
    # labels given by the user: the note is about this fit, not theirs
    other = seg.typing_tool(U, n_questions=2, labels=seg.labels_ % 2, random_state=0)
    assert not any(n.startswith("Weak structure") for n in other.notes)


def test_no_weak_structure_warning_on_separated_blobs():
    import warnings

    X, _ = blobs(60)
    with warnings.catch_warnings():
        warnings.simplefilter("error", NeedlabWarning)
        seg = Segmenter(n_init=2, random_state=0).fit(X)
    assert seg.criteria_["silhouette"].max() > 0.5
    assert seg.notes_ == () and seg.criteria_.attrs["notes"] == ()
    typing = seg.typing_tool(X, n_questions=2, random_state=0)
    assert not any("Weak structure" in n for n in typing.notes)


def test_weak_structure_note_for_a_fixed_k():
    U = pd.DataFrame(np.random.default_rng(1).uniform(size=(300, 6)), columns=list("abcdef"))
    with pytest.warns(NeedlabWarning, match=r"silhouette is 0\.\d+ \(k=3\)"):
        Segmenter(k=3, k_range=(3, 3), n_init=2, random_state=0).fit(U)


def test_select_stability_progress_and_notes(capsys):
    X = _random_blobs(0)
    seg = Segmenter(select="stability", n_boot=2, k_range=(2, 3), progress=True, random_state=0)
    seg.fit(X)
    assert "stability" in capsys.readouterr().err
    Segmenter(select="stability", n_boot=2, k_range=(2, 3), random_state=0).fit(X)
    assert capsys.readouterr().err == ""  # default off when stderr is not a terminal
    with pytest.raises(ConfigError, match="progress"):
        Segmenter(progress="on").fit(X)


def test_select_stability_caps_resample_rows(monkeypatch):
    """Above the cap each resample draws the capped number of rows and the notes say so."""
    import needlab.segment.cluster as cluster

    monkeypatch.setattr(cluster, "_BOOT_MAX_ROWS", 150)
    X = _random_blobs(0)
    seg = Segmenter(select="stability", n_boot=3, k_range=(4, 6), n_init=2, random_state=0).fit(X)
    assert any("150 of the 400 rows" in n for n in seg.notes_)
    assert seg.k_ == 5  # the same answer as from full-size resamples
