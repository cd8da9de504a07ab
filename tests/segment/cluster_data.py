"""Planted data for the clustering tests (imported by the test modules of the segment
estimators)."""

from __future__ import annotations

import numpy as np
import pandas as pd


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
