"""Tests for needlab.segment.kprototypes (through Segmenter): Huang's cost by hand and by brute
force, and the batch algorithm against a row-by-row loop."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from needlab.segment.cluster import Segmenter
from needlab.segment.kprototypes import partition_cost

from .cluster_data import mixed


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


def test_weighted_partition_cost_is_repeated_rows():
    rng = np.random.default_rng(0)
    E = rng.normal(size=(12, 3))
    lab = rng.integers(0, 3, 12)
    w = rng.integers(1, 4, 12)
    got = partition_cost(E, lab, 3, [], 1.0, w.astype(float))
    want = partition_cost(np.repeat(E, w, axis=0), np.repeat(lab, w), 3, [], 1.0)
    assert got == pytest.approx(want)


# ----------------------------------------------------------------- the faster engine
def _reference_lloyd(E, e2, k, p, sizes, scale, rng, n_init, max_iter, w=None):
    """The engine before issue 14's speed work (fresh distance arrays, a final reassignment
    after every start), kept as the reference the faster one must reproduce exactly."""
    from needlab.segment.kprototypes import kpp_seeds, update_prototypes

    def dist(C):
        return np.maximum(e2[:, None] - 2.0 * (E @ C.T) + np.einsum("ij,ij->i", C, C)[None], 0)

    best = None
    idx = np.arange(len(E))
    for _ in range(n_init):
        C = kpp_seeds(E, e2, k, rng, w)
        labels = np.full(len(E), -1)
        it = 0
        for it in range(1, max_iter + 1):  # noqa: B007
            d = dist(C)
            new = d.argmin(axis=1)
            if np.array_equal(new, labels):
                break
            labels = new
            C = update_prototypes(E, labels, k, p, sizes, scale, d[idx, labels], w)
        d = dist(C)
        labels = d.argmin(axis=1)
        own = d[idx, labels]
        cost = float(own.sum() if w is None else (w * own).sum())
        if best is None or cost < best[2] - 1e-9 * max(1.0, abs(best[2])):
            best = (labels, C, cost, it)
    return best


@pytest.mark.parametrize("seed", range(6))
def test_lloyd_reproduces_the_reference_engine_exactly(seed):
    from needlab.segment.kprototypes import lloyd

    rng = np.random.default_rng(seed)
    n = int(rng.integers(60, 900))
    E = np.hstack([rng.normal(size=(n, 3)), 0.5 * np.eye(3)[rng.integers(3, size=n)]])
    e2 = np.einsum("ij,ij->i", E, E)
    w = rng.uniform(0, 3, n) if seed % 2 else None
    k, max_iter = 2 + seed % 4, (3, 50)[seed % 2]  # max_iter 3: some starts do not converge
    a = lloyd(E, e2, k, 3, [3], 0.5, np.random.default_rng(seed), 3, max_iter, w)
    b = _reference_lloyd(E, e2, k, 3, [3], 0.5, np.random.default_rng(seed), 3, max_iter, w)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert a[2] == b[2] and a[3] == b[3]
