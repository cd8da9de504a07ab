"""Tests for needlab.segment.selection: weighted criteria and the rule that picks k."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from needlab.segment.selection import calinski_harabasz, choose_k, davies_bouldin


def test_weighted_criteria_equal_sklearn_on_repeated_rows():
    from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score

    rng = np.random.default_rng(0)
    E = rng.normal(size=(40, 3)) + np.repeat(np.eye(3)[:2] * 4, 20, axis=0)
    lab = np.repeat([0, 1], 20)
    w = rng.integers(1, 5, 40)
    Er, lr = np.repeat(E, w, axis=0), np.repeat(lab, w)
    assert calinski_harabasz(E, lab, w.astype(float)) == pytest.approx(
        calinski_harabasz_score(Er, lr)
    )
    assert davies_bouldin(E, lab, w.astype(float)) == pytest.approx(davies_bouldin_score(Er, lr))
    ones = np.ones(40)
    assert calinski_harabasz(E, lab, ones) == pytest.approx(calinski_harabasz_score(E, lab))
    assert davies_bouldin(E, lab, ones) == pytest.approx(davies_bouldin_score(E, lab))


def test_choose_k_vote_among_near_ties():
    crit = pd.DataFrame(
        {
            "silhouette": [0.500, 0.495, 0.30],
            "davies_bouldin": [0.9, 0.7, 1.2],
            "calinski_harabasz": [100.0, 120.0, 80.0],
            "min_share": [0.3, 0.2, 0.1],
            "eligible": [True, True, True],
        },
        index=pd.Index([2, 3, 4], name="k"),
    )
    k, reason = choose_k(crit, True, min_share=0.05, tie_tol=0.01, stable_at=0.75, n_boot=20)
    assert k == 3  # silhouette votes 2, Davies-Bouldin and Calinski-Harabasz vote 3
    assert "majority vote" in reason
    k, _ = choose_k(crit, True, min_share=0.05, tie_tol=0.001, stable_at=0.75, n_boot=20)
    assert k == 2


def test_weak_structure_note_threshold():
    """Kaufman & Rousseeuw (1990): a best silhouette of 0.25 or less is no substantial
    structure; the note names the best k and the range tried."""
    from needlab.segment.selection import WEAK_SILHOUETTE, weak_structure_note

    crit = pd.DataFrame({"silhouette": [0.18, 0.21, np.nan]}, index=pd.Index([2, 3, 4], name="k"))
    note = weak_structure_note(crit, auto=True)
    assert note.startswith("Weak structure: the best silhouette is 0.210 (k=3, of k=2-4)")
    assert "Kaufman & Rousseeuw" in note and WEAK_SILHOUETTE == 0.25
    assert weak_structure_note(crit.assign(silhouette=[0.3, 0.2, 0.1]), auto=True) == ""
    assert weak_structure_note(crit.assign(silhouette=np.nan), auto=True) == ""
    assert "(k=2)" in weak_structure_note(crit.iloc[:1], auto=False)


# ----------------------------------------------------------------- silhouette, one pass
def test_silhouette_widths_equal_sklearn_for_every_partition():
    """One pass over the distances for several partitions (with an empty cluster and a
    singleton) gives scikit-learn's silhouette_samples of each partition."""
    from sklearn.metrics import silhouette_samples

    from needlab.segment.selection import silhouette_widths

    rng = np.random.default_rng(7)
    E = rng.normal(size=(257, 3))
    two = (E[:, 0] > 0).astype(int)
    empty = rng.integers(0, 4, 257)
    empty[empty == 2] = 0  # label 2 unused: ignored, as scikit-learn's label encoding does
    single = rng.integers(0, 3, 257)
    single[single == 2] = 1
    single[5] = 2  # a cluster of one row: width 0
    got = silhouette_widths(E, [two, empty, single])
    for lab, g in zip([two, empty, single], got, strict=True):
        np.testing.assert_allclose(g, silhouette_samples(E, lab), rtol=0, atol=1e-12)
    assert got[2][5] == 0.0


def test_segmenter_silhouette_is_sklearns_on_the_subsample():
    from sklearn.metrics import silhouette_score

    from needlab.segment.cluster import Segmenter
    from needlab.segment.kprototypes import embed, encode, impute
    from needlab.segment.selection import silhouette_subsample

    rng = np.random.default_rng(3)
    X = pd.DataFrame(rng.normal(size=(600, 3)) + np.repeat([[0, 0, 0], [3, 3, 0]], 300, axis=0))
    seg = Segmenter(k_range=(2, 4), n_init=2, silhouette_sample=250, random_state=0).fit(X)
    E = embed(*impute(*encode(X, seg._prep)[:2], seg._prep), seg._prep)
    sil_seed = int(np.random.default_rng(0).integers(2**31 - 1))  # the first draw of fit
    sub = silhouette_subsample(len(E), 250, sil_seed)
    want = silhouette_score(E[sub], seg.labels_[sub])
    assert seg.criteria_.loc[seg.k_, "silhouette"] == pytest.approx(want, abs=1e-12)
