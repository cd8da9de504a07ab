"""Criteria for the number of segments and the rule that picks it (used by
:class:`~needlab.segment.cluster.Segmenter` with ``k="auto"``).

Every criterion is computed in the k-prototypes embedding (see
:mod:`needlab.segment.kprototypes`), whose squared Euclidean distance is Huang's dissimilarity;
with numeric columns only they are the usual statistics on standardised data. With row weights
(frequency weights) the Calinski-Harabasz and Davies-Bouldin indices, the cost and the segment
shares are those of the data with each row repeated by its weight; the silhouette is the
weighted mean of the rows' silhouette widths.

References
----------
Rousseeuw, P. J. (1987). Silhouettes: a graphical aid to the interpretation and validation of
cluster analysis. *Journal of Computational and Applied Mathematics* 20, 53-65.

Davies, D. L. & Bouldin, D. W. (1979). A cluster separation measure. *IEEE Transactions on Pattern
Analysis and Machine Intelligence* 1(2), 224-227.

Calinski, T. & Harabasz, J. (1974). A dendrite method for cluster analysis. *Communications in
Statistics* 3(1), 1-27.

Schwarz, G. (1978). Estimating the dimension of a model. *Annals of Statistics* 6(2), 461-464.

Dolnicar, S., Gruen, B. & Leisch, F. (2018). *Market Segmentation Analysis: Understanding It,
Doing It, and Making It Useful*. Springer, ch. 7 (stability-based data structure analysis).

Kaufman, L. & Rousseeuw, P. J. (1990). *Finding Groups in Data: An Introduction to Cluster
Analysis*. Wiley, ch. 2 (average silhouette width: 0.71-1 strong, 0.51-0.70 reasonable,
0.26-0.50 weak and possibly artificial, 0.25 or less no substantial structure).
"""

from __future__ import annotations

import warnings
from typing import Any, cast

import numpy as np
import pandas as pd

from needlab.errors import NeedlabWarning

__all__ = [
    "WEAK_SILHOUETTE",
    "calinski_harabasz",
    "choose_k",
    "criteria_row",
    "davies_bouldin",
    "silhouette_subsample",
    "silhouette_widths",
    "weak_structure_note",
]

#: Best silhouette below which no substantial structure was found (Kaufman & Rousseeuw 1990)
WEAK_SILHOUETTE = 0.25


def _centroids(E: np.ndarray, labels: np.ndarray, k: int, w: np.ndarray) -> np.ndarray:
    M = np.zeros((len(E), k))
    M[np.arange(len(E)), labels] = w
    n = M.sum(axis=0)
    return (M.T @ E) / np.where(n > 0, n, 1.0)[:, None]


def calinski_harabasz(E: np.ndarray, labels: np.ndarray, w: np.ndarray) -> float:
    """Weighted Calinski-Harabasz index: that of the rows repeated by their (frequency) weights.

    Examples
    --------
    >>> E = np.array([[0.0], [1.0], [4.0], [5.0]])
    >>> calinski_harabasz(E, np.array([0, 0, 1, 1]), np.ones(4))
    32.0
    """
    k = int(labels.max()) + 1
    C = _centroids(E, labels, k, w)
    n = float(w.sum())
    nk = np.bincount(labels, weights=w, minlength=k)
    mu = (w[:, None] * E).sum(axis=0) / n
    between = float((nk * ((C - mu) ** 2).sum(axis=1)).sum())
    within = float((w * ((E - C[labels]) ** 2).sum(axis=1)).sum())
    if within == 0:
        return 1.0
    return between * (n - k) / (within * (k - 1))


def davies_bouldin(E: np.ndarray, labels: np.ndarray, w: np.ndarray) -> float:
    """Weighted Davies-Bouldin index: that of the rows repeated by their (frequency) weights.

    Examples
    --------
    >>> E = np.array([[0.0], [1.0], [4.0], [5.0]])
    >>> davies_bouldin(E, np.array([0, 0, 1, 1]), np.ones(4))
    0.25
    """
    k = int(labels.max()) + 1
    C = _centroids(E, labels, k, w)
    nk = np.bincount(labels, weights=w, minlength=k)
    dist = np.sqrt(((E - C[labels]) ** 2).sum(axis=1))
    s = np.bincount(labels, weights=w * dist, minlength=k) / np.where(nk > 0, nk, 1.0)
    cd = np.sqrt(((C[:, None, :] - C[None, :, :]) ** 2).sum(axis=2))
    if np.allclose(s, 0) or np.allclose(cd, 0):
        return 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        r = (s[:, None] + s[None, :]) / cd
    r[np.diag_indices(k)] = -np.inf
    r[~np.isfinite(r)] = -np.inf
    return float(np.mean(np.max(r, axis=1)))


def silhouette_subsample(n: int, size: int, seed: int) -> np.ndarray:
    """The rows on which the silhouette is computed: a seeded subsample of at most *size* of
    *n* rows, the same for every k."""
    return np.random.default_rng(seed).permutation(n)[: min(n, int(size))]


def silhouette_widths(E: np.ndarray, partitions: list[np.ndarray]) -> list[np.ndarray]:
    """Silhouette width of every row of *E* under each partition (Rousseeuw 1987), from one
    pass over the pairwise distances shared by all partitions.

    For row i in cluster A: a(i) the mean distance to the other members of A, b(i) the
    smallest mean distance to another (non-empty) cluster, s(i) = (b - a) / max(a, b); 0 for
    a row alone in its cluster. Euclidean distances, computed in blocks of rows (memory stays
    near 32 MB); equal to :func:`sklearn.metrics.silhouette_samples` up to rounding (tested),
    which computes the distances once per partition.

    Examples
    --------
    >>> E = np.array([[0.0], [1.0], [4.0], [5.0]])
    >>> silhouette_widths(E, [np.array([0, 0, 1, 1])])[0].tolist()
    [0.8, 0.7142857142857143, 0.7142857142857143, 0.8]
    """
    n = len(E)
    ks = [int(lab.max()) + 1 for lab in partitions]
    offs = np.concatenate([[0], np.cumsum(ks)])
    H = np.zeros((n, int(offs[-1])))
    for lab, o in zip(partitions, offs[:-1], strict=True):
        H[np.arange(n), o + lab] = 1.0
    counts = H.sum(axis=0)
    e2 = np.einsum("ij,ij->i", E, E)
    sums = np.empty_like(H)  # row x (cluster of each partition): sum of distances
    step = max(1, 4_000_000 // max(n, 1))
    for lo in range(0, n, step):
        hi = min(n, lo + step)
        D = E[lo:hi] @ E.T
        D *= -2.0
        D += e2[lo:hi, None]
        D += e2[None, :]
        np.maximum(D, 0.0, out=D)
        np.sqrt(D, out=D)
        D[np.arange(hi - lo), np.arange(lo, hi)] = 0.0
        sums[lo:hi] = D @ H
    out = []
    for lab, k, o in zip(partitions, ks, offs[:-1], strict=True):
        S, c = sums[:, o : o + k], counts[o : o + k]
        own = c[lab]
        idx = np.arange(n)
        with np.errstate(divide="ignore", invalid="ignore"):
            a = S[idx, lab] / (own - 1)
            mean_other = np.where(c[None, :] > 0, S / np.where(c > 0, c, 1.0)[None, :], np.inf)
        mean_other[idx, lab] = np.inf
        b = mean_other.min(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            s = (b - a) / np.maximum(a, b)
        out.append(np.where((own > 1) & np.isfinite(s), s, 0.0))
    return out


def criteria_row(
    E: np.ndarray,
    fit: dict[str, Any],
    k: int,
    *,
    method: str,
    min_share: float,
    silhouette_sample: int,
    sil_seed: int,
    w: np.ndarray | None = None,
    sil: np.ndarray | None = None,
) -> dict[str, Any]:
    """One row of ``Segmenter.criteria_``: the criteria of the partition ``fit["labels"]``.

    *sil*: the silhouette widths of the rows of :func:`silhouette_subsample` under this
    partition when already computed (:func:`silhouette_widths` does every k in one pass)."""
    from sklearn.metrics import (
        calinski_harabasz_score,
        davies_bouldin_score,
        silhouette_samples,
        silhouette_score,
    )

    labels = fit["labels"]
    n = len(E)
    counts = np.bincount(labels, weights=w, minlength=k)
    row: dict[str, Any] = {"k": k}
    n_lab = int((counts > 0).sum())
    if 2 <= n_lab <= n - 1:
        sub = silhouette_subsample(n, silhouette_sample, sil_seed)
        size = len(sub)
        ls = labels[sub]
        ok = 2 <= len(np.unique(ls)) <= size - 1
        if not ok:
            row["silhouette"] = np.nan
        elif w is None:
            row["silhouette"] = (
                float(silhouette_score(E[sub], ls)) if sil is None else float(np.mean(sil))
            )
        else:
            ws = w[sub]
            if sil is None:
                sil = silhouette_samples(E[sub], ls)
            row["silhouette"] = float(np.sum(ws * sil) / ws.sum()) if ws.sum() > 0 else np.nan
        if w is None:
            row["davies_bouldin"] = float(davies_bouldin_score(E, labels))
            row["calinski_harabasz"] = float(calinski_harabasz_score(E, labels))
        else:
            row["davies_bouldin"] = davies_bouldin(E, labels, w)
            row["calinski_harabasz"] = calinski_harabasz(E, labels, w)
    else:
        row["silhouette"] = row["davies_bouldin"] = row["calinski_harabasz"] = np.nan
    if method == "gmm":
        row["bic"] = fit["bic"]
    row["cost"] = fit["cost"]
    row["min_share"] = float(counts.min() / counts.sum())
    row["eligible"] = bool(row["min_share"] >= min_share)
    return row


def choose_k(
    crit: pd.DataFrame,
    auto: bool,
    *,
    min_share: float,
    tie_tol: float,
    stable_at: float,
    n_boot: int,
) -> tuple[int, str]:
    """The chosen k and the reason, by the rule of ``Segmenter`` (see its Notes)."""

    def fmt(k: int) -> str:
        r = crit.loc[k]
        return (
            f"k={k}: silhouette {r['silhouette']:.3f}, Davies-Bouldin {r['davies_bouldin']:.3f}, "
            f"Calinski-Harabasz {r['calinski_harabasz']:.1f}"
            + (f", BIC {r['bic']:.1f}" if "bic" in crit else "")
            + f", smallest segment {r['min_share']:.1%}"
        )

    if not auto:
        k = int(crit.index[0])
        text = f"k={k} was set by the user ({fmt(k)})."
        if not crit.loc[k, "eligible"]:
            text += f" Its smallest segment is below min_share={min_share:.0%}."
        return k, text
    pool = crit[crit["eligible"]]
    prefix = ""
    if pool.empty:
        pool = crit
        prefix = (
            f"No k in {tuple(crit.index)} keeps every segment at or above "
            f"min_share={min_share:.0%}; all candidates were considered. "
        )
        warnings.warn("Segmenter: " + prefix.strip(), NeedlabWarning, stacklevel=5)
    else:
        dropped = [int(k) for k in crit.index if not crit.loc[k, "eligible"]]
        if dropped:
            prefix = (
                f"k={', '.join(map(str, dropped))} set aside (a segment below {min_share:.0%}). "
            )
    if "stability" in pool and pool["stability"].notna().any():
        st = pool["stability"]
        ok = st[st >= stable_at]
        if len(ok):
            k = int(ok.index.max())
            return k, prefix + (
                f"k={k} is the largest k whose weakest segment keeps a mean bootstrap Jaccard "
                f"of at least {stable_at} ({st[k]:.2f}; {n_boot} resamples); "
                + ", ".join(f"k={kk}: {v:.2f}" for kk, v in st.items())
                + f" ({fmt(k)})."
            )
        k = int(cast(int, st.idxmax()))
        return k, prefix + (
            f"No k keeps every segment at a mean bootstrap Jaccard of {stable_at}; k={k} "
            f"has the most stable weakest segment ({st[k]:.2f}) ({fmt(k)})."
        )
    sil = pool["silhouette"]
    if sil.isna().all():
        k = int(pool.index[0])
        return k, prefix + f"No silhouette could be computed; the smallest k was kept ({fmt(k)})."
    top = float(sil.max())
    near = pool[sil >= top - tie_tol]
    if len(near) == 1:
        k = int(near.index[0])
        return k, prefix + (
            f"k={k} has the highest silhouette among the eligible k, with no "
            f"other within {tie_tol} ({fmt(k)})."
        )
    votes = {int(k): 0 for k in near.index}
    voters = [("silhouette", True), ("davies_bouldin", False), ("calinski_harabasz", True)]
    if "bic" in near:
        voters.append(("bic", False))
    ballot = []
    for name, high in voters:
        col = near[name]
        if col.isna().all():
            continue
        win = int(cast(int, col.idxmax() if high else col.idxmin()))
        votes[win] += 1
        ballot.append(f"{name} -> k={win}")
    sil_near = near["silhouette"].astype(float)
    k = sorted(votes, key=lambda kk: (-votes[kk], -float(sil_near[kk]), kk))[0]
    return k, prefix + (
        f"Silhouettes of k={', '.join(map(str, votes))} are within {tie_tol} of the best "
        f"({top:.3f}); majority vote of the criteria ({'; '.join(ballot)}) chose k={k} "
        f"({fmt(k)})."
    )


def weak_structure_note(crit: pd.DataFrame, *, auto: bool) -> str:
    """A note when the best silhouette in *crit* is below :data:`WEAK_SILHOUETTE`, else ``""``.

    Kaufman & Rousseeuw (1990) read an average silhouette width of 0.25 or less as "no
    substantial structure has been found".

    Examples
    --------
    >>> crit = pd.DataFrame({"silhouette": [0.12, 0.09]}, index=pd.Index([2, 3], name="k"))
    >>> weak_structure_note(crit, auto=True).startswith("Weak structure: the best silhouette is 0.120")
    True
    >>> weak_structure_note(crit.assign(silhouette=[0.6, 0.4]), auto=True)
    ''
    """
    sil = crit["silhouette"].astype(float)
    if not sil.notna().any():
        return ""
    k = int(cast(int, sil.idxmax()))
    best = float(sil[k])
    if best >= WEAK_SILHOUETTE:
        return ""
    what = f"the best silhouette is {best:.3f} (k={k}" + (
        f", of k={sil.index.min()}-{sil.index.max()})" if auto and len(sil) > 1 else ")"
    )
    return (
        f"Weak structure: {what}, below {WEAK_SILHOUETTE}: by Kaufman & Rousseeuw's (1990) "
        "reading no substantial cluster structure was found. The segments cut a continuum "
        "rather than find natural groups; check them with stability() and the profiles before "
        "naming them."
    )
