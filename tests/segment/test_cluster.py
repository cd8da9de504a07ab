"""Tests for needlab.segment.cluster: Segmenter (k-means, k-prototypes, GMM), the choice of k,
the typing tool and bootstrap stability."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from needlab.errors import ConfigError, DataError, SchemaError
from needlab.segment.cluster import Segmenter, StabilityResult, TypingToolResult


def ari(a, b):
    from sklearn.metrics import adjusted_rand_score

    return adjusted_rand_score(a, b)


# ----------------------------------------------------------------- planted data
def blobs(n_per=120, seed=0, spread=1.0):
    """Five well separated numeric blobs in 4 dimensions (centres on a scaled simplex)."""
    rng = np.random.default_rng(seed)
    centres = 7.0 * np.eye(5)[:, :4]
    centres[4] = -7.0
    y = np.repeat(np.arange(5), n_per)
    X = centres[y] + rng.normal(scale=spread, size=(len(y), 4))
    return pd.DataFrame(X, columns=["price", "tech", "time", "brand"]), y


def mixed(n=1000, seed=1, flip=0.1):
    """Five planted segments: 3 numeric columns and 3 categorical columns, each informative."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 5, n)
    centres = np.array([[0, 0, 0], [5, 0, 0], [0, 5, 0], [0, 0, 5], [5, 5, 5]], dtype=float)
    num = centres[y] + rng.normal(size=(n, 3))
    modes = np.array([[0, 1, 2, 3, 0], [0, 1, 2, 3, 1], [3, 2, 1, 0, 2]])
    df = pd.DataFrame(num, columns=["spend", "visits", "age"])
    for j, name in enumerate(["channel", "region", "device"]):
        v = modes[j][y].copy()
        f = rng.random(n) < flip
        v[f] = rng.integers(0, 4, int(f.sum()))
        df[name] = np.array(["app", "store", "web", "phone"])[v]
    return df, y


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


# ----------------------------------------------------------------- k-prototypes cost
def hand_cost(x, c, labels, gamma=0.5):
    """Huang's cost written out: standardise x (population sd), cluster means and modes."""
    z = (x - x.mean()) / x.std()
    total = 0.0
    for g in set(labels.tolist()):
        idx = [i for i in range(len(x)) if labels[i] == g]
        m = sum(z[i] for i in idx) / len(idx)
        cats = [c[i] for i in idx]
        mode_count = max(cats.count(v) for v in set(cats))
        total += sum((z[i] - m) ** 2 for i in idx) + gamma * (len(idx) - mode_count)
    return total


def test_kprototypes_cost_hand_and_brute_force():
    x = np.array([1.0, 1.5, 2.0, 6.0, 6.5, 7.5, 2.5, 7.0])
    c = ["a", "a", "b", "b", "b", "a", "a", "b"]
    X = pd.DataFrame({"x": x, "c": c})
    seg = Segmenter(k=2, k_range=(2, 2), n_init=5, random_state=0).fit(X)
    assert seg.cost_ == pytest.approx(hand_cost(x, c, seg.labels_))
    # brute force over every split into two non-empty groups
    best = min(
        hand_cost(x, c, np.array((0, *bits)))
        for bits in itertools.product((0, 1), repeat=len(x) - 1)
        if any(bits)
    )
    assert seg.cost_ <= best + 1e-9
    # the public cost of any partition equals the hand computation
    rng = np.random.default_rng(3)
    for _ in range(5):
        lab = rng.integers(0, 3, len(x))
        assert seg.cost(X, lab) == pytest.approx(hand_cost(x, c, lab))


def test_kprototypes_no_worse_than_naive_loop():
    """The vectorised batch algorithm reaches a cost no worse than a row-by-row Huang loop."""
    X, _ = mixed(200, seed=5, flip=0.3)
    seg = Segmenter(k=5, k_range=(5, 5), random_state=0).fit(X)
    z = (
        (X[["spend", "visits", "age"]] - X[["spend", "visits", "age"]].mean())
        / X[["spend", "visits", "age"]].std(ddof=0)
    ).to_numpy()
    cat = X[["channel", "region", "device"]].to_numpy()
    rng = np.random.default_rng(0)
    naive = np.inf
    for _ in range(3):  # Huang (1998): online updates, random initial prototypes
        start = rng.choice(len(z), 5, replace=False)
        cn, cc = z[start].copy(), cat[start].copy()
        lab = np.full(len(z), -1)
        for _ in range(20):
            moved = False
            for i in range(len(z)):
                d = ((z[i] - cn) ** 2).sum(1) + 0.5 * (cat[i] != cc).sum(1)
                g, old = int(d.argmin()), int(lab[i])
                if g != old:
                    lab[i], moved = g, True
                    for h in (g, old):  # update the gaining and the losing prototype
                        m = lab == h
                        if h >= 0 and m.any():
                            cn[h] = z[m].mean(0)
                            cc[h] = [pd.Series(cat[m, j]).mode().iloc[0] for j in range(3)]
            if not moved:
                break
        naive = min(naive, seg.cost(X, lab))
    assert seg.cost_ <= naive + 1e-9


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
    with pytest.raises(ConfigError, match="unknown parameter"):
        c.set_params(clusters=3)
    assert "random_state=0" in repr(seg)
    with pytest.raises(ConfigError, match="not fitted"):
        Segmenter().predict(blobs(10)[0])


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


# ----------------------------------------------------------------- typing tool
def test_typing_tool_on_planted_data(mixed_fit):
    X, y, seg = mixed_fit
    rng = np.random.default_rng(0)
    data = X.assign(noise1=rng.normal(size=len(X)), noise2=rng.choice(list("xyz"), len(X)))
    res = seg.typing_tool(data, 3, random_state=0)
    assert isinstance(res, TypingToolResult)
    assert len(res.questions) == 3 and not {"noise1", "noise2"} & set(res.questions)
    assert res.accuracy > 0.9
    assert list(res.table.columns) == ["step", "question", "cv_accuracy", "test_accuracy"]
    assert res.table["question"].tolist() == list(res.questions)
    assert res.n_test == pytest.approx(0.3 * len(X), abs=1)
    assert list(res.per_segment.columns) == ["segment", "n_test", "accuracy"]
    assert (res.per_segment["accuracy"] > 0.75).all()
    assert res.confusion.to_numpy().sum() == res.n_test
    assert res.chance < 0.3
    pred = res.predict(data)
    assert (pred == seg.labels_).mean() > 0.9
    assert res.model.predict_proba(data.iloc[:5]).shape == (5, 5)
    assert "held-out accuracy" in repr(res)
    with pytest.raises(ConfigError, match="n_questions"):
        seg.typing_tool(data, 0)
    with pytest.raises(DataError, match="labels has"):
        seg.typing_tool(data.iloc[:10], 2)


# ----------------------------------------------------------------- stability
def test_stability():
    X, y = blobs(40)
    seg = Segmenter(k=5, k_range=(2, 6), n_init=3, random_state=0).fit(X)
    res = seg.stability(X, n_boot=8, random_state=1)
    assert isinstance(res, StabilityResult)
    assert list(res.table.columns) == ["measure", "segment", "mean", "sd", "p2.5", "p50", "p97.5"]
    assert res.table["measure"].tolist() == ["ARI"] + ["Jaccard"] * 5
    assert res.ari.shape == (8,) and res.table.loc[0, "mean"] > 0.95
    assert res.jaccard.shape == (8, 5) and (res.jaccard > 0.9).all()
    # overlapping data are less stable
    Xo, _ = blobs(40, spread=4.0)
    so = Segmenter(k=5, k_range=(2, 6), n_init=3, random_state=0).fit(Xo)
    assert so.stability(Xo, n_boot=8, random_state=1).table.loc[0, "mean"] < 0.9


# ----------------------------------------------------------------- plots
def test_plots(blob_fit, mixed_fit):
    import matplotlib.pyplot as plt

    X, _, seg = blob_fit
    ax = seg.plot_criteria()
    assert ax.get_xlabel() == "number of segments k"
    assert any("chosen k=5" in t.get_text() for t in ax.get_legend().get_texts())
    Xm, _, segm = mixed_fit
    res = segm.typing_tool(Xm, 2, random_state=0)
    assert res.plot().get_ylabel() == "accuracy"
    st = seg.stability(X, n_boot=3, random_state=0)
    assert "k=5" in st.plot().get_title()
    plt.close("all")


def test_internal_lda_matches_sklearn():
    from sklearn.discriminant_analysis import LinearDiscriminantAnalysis

    from needlab.segment.cluster import _LDA

    X, y = blobs(40, spread=3.0)
    Xm = X.to_numpy()
    ours = _LDA().fit(Xm, y)
    ref = LinearDiscriminantAnalysis().fit(Xm, y)
    assert (ours.predict(Xm) == ref.predict(Xm)).mean() > 0.99
    np.testing.assert_allclose(ours.predict_proba(Xm), ref.predict_proba(Xm), atol=0.01)


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
