"""R squared of every subset of predictors from one correlation matrix, and its decompositions.

The R squared of a regression of y on a subset S of standardised predictors is
1 - (residual variance of y after partialling out S), and partialling out one more predictor k
is one *sweep* of the correlation matrix on pivot k:

    C'[a, b] = C[a, b] - C[a, k] C[k, b] / C[k, k].

Every non-empty subset S has a unique parent, S without its largest member, so all 2^p subsets
form a tree in which each child costs one sweep of its parent's residual matrix, restricted to
the predictors that can still be added (those after the child's largest member) and y. The
subsets sharing a largest member t are one contiguous block of bitmasks [2^t, 2^(t+1)), built
from all blocks before it with one vectorised sweep per pair of blocks: no Python loop over
subsets. At p = 20 this is about 5 million numbers in memory and a fraction of a second.
"""

from __future__ import annotations

import numpy as np

__all__ = ["all_subsets_r2", "conditional_contributions", "popcount", "shapley_from_r2"]

#: Above this many predictors exact enumeration (2^p subsets) is refused by default.
MAX_EXACT = 24


def popcount(x: np.ndarray) -> np.ndarray:
    """Number of set bits of each non-negative integer (vectorised)."""
    x = x.astype(np.uint64)
    out = np.zeros(x.shape, dtype=np.int64)
    while np.any(x):
        out += (x & np.uint64(1)).astype(np.int64)
        x = x >> np.uint64(1)
    return out


def all_subsets_r2(corr: np.ndarray, tol: float = 1e-12) -> np.ndarray:
    """R squared of y on every subset of the predictors, indexed by bitmask.

    Parameters
    ----------
    corr : ndarray, shape (p + 1, p + 1)
        Correlation matrix of the p predictors followed by the outcome y (last).
    tol : float
        A residual variance below this on a pivot means the predictor is (numerically) a
        linear combination of earlier ones; callers check collinearity beforehand.

    Returns
    -------
    ndarray, shape (2 ** p,)
        ``r2[mask]`` is the R squared of the subset whose members are the set bits of ``mask``
        (bit j = predictor j); ``r2[0] = 0``.

    Examples
    --------
    >>> c = np.array([[1.0, 0.0, 0.6], [0.0, 1.0, 0.3], [0.6, 0.3, 1.0]])
    >>> all_subsets_r2(c).round(4).tolist()
    [0.0, 0.36, 0.09, 0.45]
    """
    p = corr.shape[0] - 1
    r2 = np.zeros(2**p)
    # blocks[t]: residual matrices of the subsets whose largest member is t, over the
    # predictors t+1..p-1 and y; shape (2^t, p-t, p-t). The empty set is handled as "t = -1".
    empty = corr[None, :, :].copy()
    blocks: list[np.ndarray] = []
    for t in range(p):
        parts = []
        for s, parent in enumerate([empty, *blocks]):
            # Local index of predictor t: the empty set's matrix covers 0..p-1; block b = s - 1
            # covers b+1..p-1, so t sits at t - s.
            first = t if s == 0 else t - s
            sub = parent[:, first:, first:]
            piv = sub[:, 0, 0]
            piv = np.where(piv > tol, piv, np.nan)
            row = sub[:, 0, 1:]
            child = sub[:, 1:, 1:] - row[:, :, None] * row[:, None, :] / piv[:, None, None]
            parts.append(child)
        block = np.concatenate(parts, axis=0)
        blocks.append(block)
        r2[2**t : 2 ** (t + 1)] = 1.0 - block[:, -1, -1]
    return r2


def shapley_from_r2(r2: np.ndarray, p: int) -> np.ndarray:
    """Shapley values (LMG, general dominance) of each predictor from all-subset R squared.

    phi_j = sum over S not containing j of |S|! (p - |S| - 1)! / p! (R2(S + j) - R2(S)).

    Examples
    --------
    >>> r2 = np.array([0.0, 0.36, 0.09, 0.45])
    >>> shapley_from_r2(r2, 2).round(4).tolist()
    [0.36, 0.09]
    """
    from math import lgamma

    masks = np.arange(2**p, dtype=np.int64)
    size = popcount(masks)
    logf = np.array([lgamma(k + 1) for k in range(p + 1)])
    weight = np.exp(logf[size] + logf[np.maximum(p - size - 1, 0)] - logf[p])
    out = np.empty(p)
    for j in range(p):  # a loop over predictors, vectorised over subsets
        without = masks[(masks >> j) & 1 == 0]
        out[j] = np.sum(weight[without] * (r2[without | (1 << j)] - r2[without]))
    return out


def conditional_contributions(r2: np.ndarray, p: int) -> np.ndarray:
    """Mean gain in R squared of each predictor at each model size (Azen & Budescu 2003).

    Returns
    -------
    ndarray, shape (p, p)
        ``[j, m]``: the average of R2(S + j) - R2(S) over subsets S of size m without j.
        The mean over m is the general dominance weight (= the Shapley value).
    """
    masks = np.arange(2**p, dtype=np.int64)
    size = popcount(masks)
    out = np.empty((p, p))
    for j in range(p):
        without = masks[(masks >> j) & 1 == 0]
        gain = r2[without | (1 << j)] - r2[without]
        out[j] = (
            np.bincount(size[without], weights=gain, minlength=p)[:p]
            / np.bincount(size[without], minlength=p)[:p]
        )
    return out
