"""Tests for needlab.segment.stability: bootstrap stability of Segmenter segments."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from needlab.errors import ConfigError, NeedlabWarning
from needlab.segment.cluster import Segmenter
from needlab.segment.stability import (
    StabilityResult,
    bootstrap_stability,
    bootstrap_stability_many,
)

from .cluster_data import blobs


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
    assert (res.n_used, res.n_excluded) == (len(X), 0)


def test_stability_counts_rows_without_a_segment():
    X, _ = blobs(20)
    X = X.copy()
    X.iloc[:3, :] = np.nan  # all missing: excluded from the fit, label -1
    seg = Segmenter(k=5, k_range=(5, 5), n_init=2, random_state=0).fit(X)
    res = seg.stability(X, n_boot=3, random_state=0)
    assert (res.n_used, res.n_excluded) == (len(X) - 3, 3)
    assert "3 rows without a segment" in res.notes[0]
    with pytest.raises(ConfigError, match="n_boot"):
        seg.stability(X, n_boot=1)


def test_jaccard_and_ari_by_hand():
    """A refit that swaps two rows between segments: hand Jaccard and ARI."""
    from sklearn.metrics import adjusted_rand_score

    frame = pd.DataFrame({"v": np.arange(8.0)})
    ref = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    moved = np.array([0, 0, 0, 1, 1, 1, 1, 1])  # row 3 moves to segment 1

    def refit(sample, seed):
        return lambda rows: moved

    res = bootstrap_stability(frame, ref, 2, refit, n_boot=2, random_state=0)
    # segment 0: {0,1,2,3} vs {0,1,2}: 3/4; segment 1: {4..7} vs {3..7}: 4/5
    assert res.jaccard[0].tolist() == pytest.approx([0.75, 0.8])
    assert res.ari[0] == pytest.approx(adjusted_rand_score(ref, moved))
    assert res.table["mean"].tolist() == pytest.approx([res.ari[0], 0.75, 0.8])
    assert (
        isinstance(res, StabilityResult) and res.summary()["weakest segment's mean Jaccard"] == 0.75
    )


# ----------------------------------------------------------------- several k, one resample
def test_bootstrap_stability_many_shares_resamples_and_caps_rows():
    """Every k sees the same resample; max_rows draws fewer rows and says so."""
    ref2 = np.repeat([0, 1], 50)
    ref3 = np.repeat([0, 1, 2], [34, 33, 33])
    seen: list[np.ndarray] = []

    def refit(rows, seed):
        seen.append(rows)
        return {2: ref2, 3: np.roll(ref3, 1)}

    res = bootstrap_stability_many({2: ref2, 3: ref3}, refit, n_boot=3, random_state=0, max_rows=40)
    assert set(res) == {2, 3} and len(seen) == 3
    assert all(len(r) == 40 for r in seen)
    assert (res[2].jaccard == 1.0).all() and res[3].jaccard.shape == (3, 3)
    assert res[3].jaccard.min() < 1.0
    assert "m-out-of-n" in res[2].notes[-1] and res[2].n_used == 100
    full = bootstrap_stability_many({2: ref2}, lambda rows, s: {2: ref2}, n_boot=2)
    assert full[2].notes == ()
    with pytest.raises(ConfigError, match="n_boot"):
        bootstrap_stability_many({2: ref2}, refit, n_boot=1)


def test_stability_progress_option(capsys):
    X, _ = blobs(20)
    seg = Segmenter(k=5, k_range=(5, 5), n_init=2, random_state=0).fit(X)
    seg.stability(X, n_boot=2, random_state=0)  # default: not a terminal here -> no bar
    assert "stability" not in capsys.readouterr().err
    seg.stability(X, n_boot=2, random_state=0, progress=True)
    assert "stability" in capsys.readouterr().err
    with pytest.raises(ConfigError, match="progress"):
        seg.stability(X, n_boot=2, progress="yes")


def test_stability_result_carries_weak_structure_note():
    rng = np.random.default_rng(0)
    U = pd.DataFrame(rng.uniform(size=(300, 4)), columns=list("abcd"))
    with pytest.warns(NeedlabWarning, match="Weak structure"):
        seg = Segmenter(k=3, k_range=(3, 3), n_init=2, random_state=0).fit(U)
    res = seg.stability(U, n_boot=2, random_state=0)
    assert any(n.startswith("Weak structure") for n in res.notes)
