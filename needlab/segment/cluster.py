"""Segmentation by clustering: k-means, k-prototypes (mixed data) and Gaussian mixtures, with the
choice of k made explicit, a short typing tool and bootstrap stability.

:class:`Segmenter` is a scikit-learn style estimator (``fit`` / ``predict`` / ``fit_predict``,
``get_params`` / ``set_params``, works with :func:`sklearn.base.clone`). It standardises numeric
columns itself, so the user passes raw survey columns.

The mixed-data engine (k-prototypes, Huang 1998) is written in numpy. It rests on one identity:
with numeric columns standardised and each categorical column one-hot coded and scaled by
``sqrt(gamma / 2)``, the squared Euclidean distance between two rows of the resulting *embedding*
is exactly Huang's dissimilarity

.. math:: d(x, y) = \\sum_j (x_j - y_j)^2 + \\gamma \\sum_l [x_l \\ne y_l],

(two different one-hot vectors are at squared distance 2). A prototype (numeric means, categorical
modes) is a point of the same space, so the assignment step is one matrix product per iteration,
the mode update one :func:`numpy.bincount` per categorical column, and the silhouette, Davies-Bouldin
and Calinski-Harabasz criteria are computed in that embedding: with no categorical column it is
plain k-means on standardised data. No ``n x n`` distance matrix is ever formed (the silhouette is
computed on a seeded subsample, in chunks).

References
----------
Huang, Z. (1998). Extensions to the k-means algorithm for clustering large data sets with
categorical values. *Data Mining and Knowledge Discovery* 2(3), 283-304.

Arthur, D. & Vassilvitskii, S. (2007). k-means++: the advantages of careful seeding. *Proc. SODA*,
1027-1035.

Rousseeuw, P. J. (1987). Silhouettes: a graphical aid to the interpretation and validation of
cluster analysis. *Journal of Computational and Applied Mathematics* 20, 53-65.

Davies, D. L. & Bouldin, D. W. (1979). A cluster separation measure. *IEEE Transactions on Pattern
Analysis and Machine Intelligence* 1(2), 224-227.

Calinski, T. & Harabasz, J. (1974). A dendrite method for cluster analysis. *Communications in
Statistics* 3(1), 1-27.

Schwarz, G. (1978). Estimating the dimension of a model. *Annals of Statistics* 6(2), 461-464.

Hubert, L. & Arabie, P. (1985). Comparing partitions. *Journal of Classification* 2(1), 193-218.

Fisher, R. A. (1936). The use of multiple measurements in taxonomic problems. *Annals of
Eugenics* 7(2), 179-188.

Hennig, C. (2007). Cluster-wise assessment of cluster stability. *Computational Statistics & Data
Analysis* 52(1), 258-271.

Dolnicar, S., Gruen, B. & Leisch, F. (2018). *Market Segmentation Analysis: Understanding It,
Doing It, and Making It Useful*. Springer, ch. 7 (stability-based data structure analysis).
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from needlab._result import Result
from needlab._validate import check_columns, check_frame, check_numeric, check_option, preview
from needlab.errors import ConfigError, DataError, NeedlabError, NeedlabWarning, SchemaError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["Segmenter", "StabilityResult", "TypingTool", "TypingToolResult"]

Method = Literal["auto", "kmeans", "kprototypes", "gmm"]
Missing = Literal["impute", "exclude"]
_METHODS = ("auto", "kmeans", "kprototypes", "gmm")
_MISSING = ("impute", "exclude")


# ============================================================================ preprocessing
@dataclass
class _Prep:
    """Fitted preprocessing: column roles, scaling and categorical levels."""

    columns: list[Hashable]
    numeric: list[Hashable]
    categorical: list[Hashable]
    means: np.ndarray
    sds: np.ndarray
    levels: list[pd.Index]
    modes: np.ndarray  # code of the most frequent level of each categorical column
    gamma: float

    @property
    def scale(self) -> float:
        return float(np.sqrt(self.gamma / 2.0))

    @property
    def sizes(self) -> list[int]:
        return [len(lv) for lv in self.levels]


def _as_frame(X: Any) -> pd.DataFrame:
    if isinstance(X, pd.DataFrame):
        return check_frame(X, name="X")
    if isinstance(X, np.ndarray) and X.ndim == 2:
        return pd.DataFrame(X, columns=[f"x{j}" for j in range(X.shape[1])])
    return check_frame(X, name="X")


def _is_text(s: pd.Series) -> bool:
    return pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s)


def _classify(
    frame: pd.DataFrame, categorical: Sequence[Hashable] | None, max_levels: int
) -> tuple[list[Hashable], list[Hashable], dict[Hashable, pd.Series]]:
    """Split the columns into numeric and categorical and check each one.

    Returns the numeric columns, the categorical columns and the numeric columns converted to
    float (text columns of numbers are converted; text with stray words is a DataError).
    """
    if frame.shape[1] == 0:
        raise SchemaError("X has no columns; pass the columns to cluster on.")
    cat_set = (
        set(check_columns(frame, categorical, what="categorical column")) if categorical else set()
    )
    numeric: list[Hashable] = []
    cats: list[Hashable] = []
    converted: dict[Hashable, pd.Series] = {}
    for col in frame.columns:
        s = frame[col]
        nonmiss = s.notna()
        if not nonmiss.any():
            raise DataError(
                f"column {col!r} has no values (all {len(s)} missing); drop it "
                "from the clustering columns."
            )
        if pd.api.types.is_datetime64_any_dtype(s) or isinstance(s.dtype, pd.PeriodDtype):
            raise DataError(
                f"column {col!r} holds dates, which cannot be clustered directly; "
                "derive a number (e.g. days since) or drop it."
            )
        if (
            col in cat_set
            or pd.api.types.is_bool_dtype(s)
            or isinstance(s.dtype, pd.CategoricalDtype)
        ):
            cats.append(col)
        elif _is_text(s):
            conv = pd.to_numeric(s, errors="coerce")
            if conv.notna().sum() >= 0.5 * nonmiss.sum():
                # a column of numbers stored as text: numeric, and stray words are an error
                converted[col] = check_numeric(frame, col)
                numeric.append(col)
            else:
                cats.append(col)
        elif pd.api.types.is_numeric_dtype(s):
            converted[col] = s.astype(float)
            numeric.append(col)
        else:
            cats.append(col)
    for col in numeric:
        v = converted[col].to_numpy()
        if not np.all(np.isfinite(v[~np.isnan(v)])):
            raise DataError(f"column {col!r} has infinite values; set them to missing or cap them.")
        if np.nanstd(v) == 0:
            raise DataError(
                f"column {col!r} is constant (every value is {np.nanmax(v):g}); it "
                "cannot separate segments. Drop it from the clustering columns."
            )
    for col in cats:
        s = frame[col]
        n_lev = int(s.nunique(dropna=True))
        if n_lev < 2:
            raise DataError(
                f"column {col!r} is constant (every value is "
                f"{preview(s.dropna().iloc[:1])}); it cannot separate segments. "
                "Drop it from the clustering columns."
            )
        if n_lev > max_levels:
            raise DataError(
                f"categorical column {col!r} has {n_lev} distinct levels (more than "
                f"max_levels={max_levels}), e.g. {preview(s.dropna())}. So many levels usually "
                "mean an id or free text, and they dominate the mismatch cost. Group rare levels "
                "(e.g. into 'other'), drop the column, or raise max_levels."
            )
    return numeric, cats, converted


def _fit_prep(
    frame: pd.DataFrame,
    categorical: Sequence[Hashable] | None,
    max_levels: int,
    gamma: float | None,
) -> tuple[_Prep, dict[Hashable, pd.Series]]:
    numeric, cats, converted = _classify(frame, categorical, max_levels)
    if numeric:
        num = np.column_stack([converted[c].to_numpy() for c in numeric])
        means = np.nanmean(num, axis=0)
        sds = np.nanstd(num, axis=0)
    else:
        means = sds = np.zeros(0)
    levels: list[pd.Index] = []
    modes = np.zeros(len(cats), dtype=np.int64)
    for j, col in enumerate(cats):
        counts = frame[col].value_counts(dropna=True, sort=False)
        lv = pd.Index(counts.index)
        try:
            order = np.argsort(lv.to_numpy(), kind="stable")
        except TypeError:  # mixed types: sort by text
            order = np.argsort(lv.astype(str).to_numpy(), kind="stable")
        lv = lv[order]
        levels.append(lv)
        modes[j] = int(np.argmax(counts.to_numpy()[order]))
    if gamma is None:
        # Huang (1998): gamma = 0.5 * mean sd of the numeric columns; they are standardised (sd 1).
        gamma = 0.5 if numeric else 1.0
    prep = _Prep(
        columns=list(frame.columns),
        numeric=numeric,
        categorical=cats,
        means=means,
        sds=sds,
        levels=levels,
        modes=modes,
        gamma=float(gamma),
    )
    return prep, converted


def _encode(
    frame: pd.DataFrame, prep: _Prep, converted: dict[Hashable, pd.Series] | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Standardised numeric block (NaN kept), categorical codes (-1 missing, -2 unseen) and the
    per-row count of missing values."""
    n = len(frame)
    if prep.numeric:
        cols = []
        for c in prep.numeric:
            s = (
                converted[c]
                if converted is not None and c in converted
                else check_numeric(frame, c)
            )
            cols.append(s.to_numpy(dtype=float))
        Xn = (np.column_stack(cols) - prep.means) / prep.sds
    else:
        Xn = np.zeros((n, 0))
    codes = np.empty((n, len(prep.categorical)), dtype=np.int64)
    for j, c in enumerate(prep.categorical):
        s = frame[c]
        code = prep.levels[j].get_indexer(s)
        code[(code < 0) & s.notna().to_numpy()] = -2
        codes[:, j] = code
    n_missing = np.isnan(Xn).sum(axis=1) + (codes == -1).sum(axis=1)
    return Xn, codes, n_missing


def _impute(Xn: np.ndarray, codes: np.ndarray, prep: _Prep) -> tuple[np.ndarray, np.ndarray]:
    """Numeric NaN -> the fitted column mean (0 after standardising); categorical missing -> mode."""
    Xn = np.where(np.isnan(Xn), 0.0, Xn)
    codes = np.where(codes == -1, prep.modes[None, :], codes) if codes.size else codes
    return Xn, codes


def _embed(Xn: np.ndarray, codes: np.ndarray, prep: _Prep) -> np.ndarray:
    """Rows in the space where squared Euclidean distance is Huang's dissimilarity."""
    sizes = prep.sizes
    n = len(Xn)
    Z = np.zeros((n, sum(sizes)))
    off = 0
    for j, L in enumerate(sizes):
        c = codes[:, j]
        ok = c >= 0  # unseen levels (-2) stay all-zero: the same mismatch with every prototype
        Z[np.flatnonzero(ok), off + c[ok]] = prep.scale
        off += L
    return np.hstack([Xn, Z])


# ============================================================================ the engine
def _sqdist(E: np.ndarray, e2: np.ndarray, C: np.ndarray) -> np.ndarray:
    d = e2[:, None] - 2.0 * (E @ C.T) + np.einsum("ij,ij->i", C, C)[None, :]
    return np.maximum(d, 0.0)


def _update(
    E: np.ndarray,
    labels: np.ndarray,
    k: int,
    p: int,
    sizes: list[int],
    scale: float,
    d_own: np.ndarray,
) -> np.ndarray:
    """Prototypes of a partition: numeric means and one-hot modes (in embedding units)."""
    counts = np.bincount(labels, minlength=k)
    M = np.zeros((len(E), k))
    M[np.arange(len(E)), labels] = 1.0
    sums = M.T @ E  # (k, D): numeric sums and categorical level counts * scale
    C = np.zeros_like(sums)
    nz = counts > 0
    C[nz, :p] = sums[nz, :p] / counts[nz, None]
    off = p
    for L in sizes:
        block = sums[:, off : off + L]
        C[np.arange(k), off + block.argmax(axis=1)] = scale  # first level wins ties
        off += L
    if not nz.all():  # re-seed empty clusters at the rows farthest from their prototype
        far = np.argsort(-d_own, kind="stable")[: int((~nz).sum())]
        C[~nz] = E[far]
    return C


def _kpp(E: np.ndarray, e2: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Greedy k-means++ seeding (Arthur & Vassilvitskii 2007) in the embedding."""
    n = len(E)
    trials = 2 + int(np.log(k))
    first = int(rng.integers(n))
    C = [E[first]]
    closest = _sqdist(E, e2, E[first][None, :])[:, 0]
    for _ in range(1, k):
        tot = closest.sum()
        if tot > 0:
            cand = np.searchsorted(np.cumsum(closest), rng.random(trials) * tot)
            cand = np.minimum(cand, n - 1)
        else:
            cand = rng.integers(n, size=trials)
        dc = _sqdist(E, e2, E[cand])
        pot = np.minimum(closest[:, None], dc).sum(axis=0)
        b = int(np.argmin(pot))
        closest = np.minimum(closest, dc[:, b])
        C.append(E[cand[b]])
    return np.vstack(C)


def _lloyd(
    E: np.ndarray,
    e2: np.ndarray,
    k: int,
    p: int,
    sizes: list[int],
    scale: float,
    rng: np.random.Generator,
    n_init: int,
    max_iter: int,
) -> tuple[np.ndarray, np.ndarray, float, int]:
    """Batch k-prototypes (k-means when there is no categorical column); best of *n_init* runs.

    Returns labels, prototypes (embedding units), cost and iterations of the best run. The labels
    are always the nearest-prototype assignment of the returned prototypes.
    """
    best: tuple[np.ndarray, np.ndarray, float, int] | None = None
    idx = np.arange(len(E))
    for _ in range(n_init):
        C = _kpp(E, e2, k, rng)
        labels = np.full(len(E), -1)
        it = 0
        for it in range(1, max_iter + 1):  # noqa: B007
            d = _sqdist(E, e2, C)
            new = d.argmin(axis=1)
            if np.array_equal(new, labels):
                break
            labels = new
            C = _update(E, labels, k, p, sizes, scale, d[idx, labels])
        d = _sqdist(E, e2, C)
        labels = d.argmin(axis=1)
        cost = float(d[idx, labels].sum())
        if best is None or cost < best[2] - 1e-9 * max(1.0, abs(best[2])):
            best = (labels, C, cost, it)
    if best is None:  # pragma: no cover - n_init >= 1 is checked
        raise ConfigError("n_init must be at least 1.")
    return best


def _canonical(labels: np.ndarray, C: np.ndarray, k: int) -> np.ndarray:
    """Order of clusters: largest first, ties by prototype coordinates (so row order is moot)."""
    counts = np.bincount(labels, minlength=k)
    keys = [C[:, j] for j in range(C.shape[1] - 1, -1, -1)] + [-counts]
    return np.lexsort(keys)


def _partition_cost(
    E: np.ndarray, labels: np.ndarray, p: int, sizes: list[int], scale: float
) -> float:
    """Huang cost of a partition with its optimal prototypes (means and modes)."""
    k = int(labels.max()) + 1
    e2 = np.einsum("ij,ij->i", E, E)
    C = _update(E, labels, k, p, sizes, scale, np.zeros(len(E)))
    d = _sqdist(E, e2, C)
    return float(d[np.arange(len(E)), labels].sum())


# ============================================================================ the estimator
class Segmenter:
    """Find customer segments by clustering, with the number of segments chosen in the open.

    Parameters
    ----------
    k : int or "auto"
        Number of segments. ``"auto"`` tries every k in ``k_range`` and picks one by the rule
        below; an integer must lie inside ``k_range``.
    method : {"auto", "kmeans", "kprototypes", "gmm"}
        ``"kmeans"``: Lloyd's k-means on standardised numeric columns. ``"kprototypes"``: Huang's
        k-prototypes for numeric plus categorical columns. ``"gmm"``: a Gaussian mixture with full
        covariances (numeric only; gives BIC). ``"auto"``: kmeans when every column is numeric,
        else kprototypes.
    k_range : (int, int)
        Smallest and largest k tried (inclusive), ``2 <= low <= high``.
    min_share : float
        Smallest acceptable segment share for ``k="auto"`` (0.05: no segment below 5%).
    categorical : list of column names, optional
        Columns to treat as categorical although numeric (e.g. a region code). Columns of object,
        string, category or bool dtype are categorical anyway; text columns whose values are
        (mostly) numbers are numeric.
    gamma : float, optional
        Weight of one categorical mismatch against squared standardised numeric distance.
        Default Huang's (1998) rule ``0.5 * mean sd of the numeric columns``, i.e. 0.5 since the
        numeric columns are standardised (1.0 when there are none; then any value is equivalent).
    missing : {"impute", "exclude"}
        ``"impute"``: a missing numeric value takes the column mean (of the fitting data), a
        missing category the most frequent level; only rows with *every* column missing are
        excluded. ``"exclude"``: rows with any missing value are left out of the fit. Excluded
        rows get label -1 and are counted in ``n_excluded_``.
    n_init : int
        Random starts per k (k-means++ seeding); the lowest-cost run is kept.
    max_iter : int
        Iterations per start.
    max_levels : int
        A categorical column with more distinct levels is an error (likely an id or free text).
    silhouette_sample : int
        The silhouette is computed on a seeded subsample of at most this many rows (its cost is
        quadratic in the rows); the same rows for every k.
    tie_tol : float
        Silhouettes within this distance of the best count as a near-tie (see Notes).
    select : {"silhouette", "stability"}
        The rule of ``k="auto"`` (see Notes): the best silhouette (fast), or the largest k whose
        segments all survive resampling (slower: ``n_boot`` refits per candidate k).
    n_boot : int
        Bootstrap resamples per candidate k for ``select="stability"``.
    stable_at : float
        For ``select="stability"``: a k qualifies when every segment's mean bootstrap Jaccard
        similarity is at least this. Default 0.75, Hennig's (2007) "stable" (below 0.6 a
        cluster should not be trusted; between, it shows a pattern whose members are doubtful).
    random_state : int, numpy Generator or None
        Seed for the starts and the silhouette subsample; fix it for reproducible segments.

    Attributes
    ----------
    labels_ : ndarray of int
        Segment of each row of the fitting data, 0 = largest segment; -1 for excluded rows.
    k_ : int
        The number of segments chosen.
    method_ : str
        The method used (``"auto"`` resolved).
    criteria_ : DataFrame
        One row per candidate k (index ``k``): ``silhouette`` (mean silhouette width, higher is
        better), ``davies_bouldin`` (lower is better), ``calinski_harabasz`` (higher is better),
        ``bic`` (gmm only, lower is better), ``cost`` (k-prototypes cost / k-means inertia in
        standardised units; always falls with k), ``min_share`` (share of the smallest segment),
        ``eligible`` (``min_share >= min_share``) and ``chosen``; with ``select="stability"``
        also ``stability`` (the smallest per-segment mean bootstrap Jaccard similarity) and
        ``ari_boot`` (mean bootstrap adjusted Rand index) for the eligible k.
    reason_ : str
        Why ``k_`` was chosen.
    cluster_centers_ : DataFrame
        Prototypes in original units, one row per segment: means of the numeric columns, the
        modal level of the categorical columns.
    cost_ : float
        Cost of the chosen solution (see ``criteria_``).
    gamma_ : float
        The categorical weight used.
    n_excluded_ : int
        Rows left out of the fit (see ``missing``).
    n_iter_ : int
        Iterations of the best start (kmeans / kprototypes).

    Notes
    -----
    **Choosing k** (``k="auto"``). Each k in ``k_range`` is fitted. Candidates whose smallest
    segment has a share below ``min_share`` are set aside (if none is left, all are kept and the
    reason says so). Among the rest the k with the highest silhouette wins. If other candidates
    are within ``tie_tol`` of that silhouette, the near-tied candidates are put to a majority
    vote of the criteria (best silhouette, lowest Davies-Bouldin, highest Calinski-Harabasz and,
    for gmm, lowest BIC); remaining ties go to the higher silhouette, then the smaller k.

    Silhouette and its kin favour few, well separated groups, and survey segments overlap: on
    such data they often pick k=2. ``select="stability"`` asks instead how many segments the
    data can carry: each eligible k is refitted on ``n_boot`` bootstrap resamples and every
    segment is matched to its best counterpart by Jaccard similarity (as
    :meth:`stability`); the largest k whose *weakest* segment keeps a mean Jaccard of at least
    ``stable_at`` wins (the idea of stability-based k selection in Dolnicar, Gruen & Leisch 2018,
    ch. 7, with Hennig's 2007 cluster-wise thresholds). If no k qualifies, the k with the most
    stable weakest segment wins.

    **Criteria on mixed data.** Silhouette, Davies-Bouldin and Calinski-Harabasz are computed in
    the embedding described in the module docstring, whose squared Euclidean distance is Huang's
    dissimilarity (standardised numeric part plus ``gamma`` per categorical mismatch). Hence the
    silhouette uses the square root of the k-prototypes dissimilarity, exactly as it uses the
    Euclidean distance for k-means, and Calinski-Harabasz and Davies-Bouldin see the categorical
    columns as scaled one-hot indicators rather than ignoring them. With only numeric columns all
    three are the usual statistics on standardised data.

    **Algorithm.** Batch (Lloyd-type) iterations: assign every row to the nearest prototype, then
    recompute numeric means and categorical modes (ties to the first level in sorted order),
    until no row moves. Huang's original algorithm updates after each row; the batch version
    reaches a local optimum of the same cost and vectorises. Empty clusters are re-seeded at the
    row farthest from its prototype. Segment labels are ordered by size (0 = largest).

    References
    ----------
    Huang (1998) for k-prototypes and the default ``gamma``; Arthur & Vassilvitskii (2007) for
    the seeding; Rousseeuw (1987), Davies & Bouldin (1979), Calinski & Harabasz (1974) and
    Schwarz (1978) for the criteria; Hubert & Arabie (1985) and Hennig (2007) for
    :meth:`stability`; Dolnicar, Gruen & Leisch (2018) for ``select="stability"``. Full entries
    in the module docstring.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> centres = np.repeat([[0, 0], [6, 0], [0, 6]], 50, axis=0)
    >>> df = pd.DataFrame(centres + rng.normal(size=(150, 2)), columns=["price", "tech"])
    >>> seg = Segmenter(random_state=0).fit(df)
    >>> seg.k_
    3
    >>> np.bincount(seg.labels_).tolist()
    [50, 50, 50]
    """

    def __init__(
        self,
        k: int | Literal["auto"] = "auto",
        method: Method = "auto",
        k_range: tuple[int, int] = (2, 8),
        min_share: float = 0.05,
        *,
        categorical: Sequence[Hashable] | None = None,
        gamma: float | None = None,
        missing: Missing = "impute",
        n_init: int = 10,
        max_iter: int = 100,
        max_levels: int = 50,
        silhouette_sample: int = 5000,
        tie_tol: float = 0.01,
        select: Literal["silhouette", "stability"] = "silhouette",
        n_boot: int = 20,
        stable_at: float = 0.75,
        random_state: int | np.random.Generator | None = None,
    ):
        self.k = k
        self.method = method
        self.k_range = k_range
        self.min_share = min_share
        self.categorical = categorical
        self.gamma = gamma
        self.missing = missing
        self.n_init = n_init
        self.max_iter = max_iter
        self.max_levels = max_levels
        self.silhouette_sample = silhouette_sample
        self.tie_tol = tie_tol
        self.select = select
        self.n_boot = n_boot
        self.stable_at = stable_at
        self.random_state = random_state

    # ------------------------------------------------------------- scikit-learn protocol
    @classmethod
    def _param_names(cls) -> list[str]:
        sig = inspect.signature(cls.__init__)
        return [p for p in sig.parameters if p != "self"]

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Constructor parameters, as scikit-learn's ``BaseEstimator.get_params``."""
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params: Any) -> Segmenter:
        """Set constructor parameters; returns the estimator."""
        valid = self._param_names()
        for key, value in params.items():
            if key not in valid:
                raise ConfigError(f"unknown parameter {key!r} for Segmenter; valid: {valid}.")
            setattr(self, key, value)
        return self

    def __repr__(self) -> str:
        defaults = {
            p.name: p.default for p in inspect.signature(type(self).__init__).parameters.values()
        }
        shown = [
            f"{k}={v!r}"
            for k, v in self.get_params().items()
            if not (isinstance(v, (int, float, str, tuple, type(None))) and v == defaults.get(k))
        ]
        return f"Segmenter({', '.join(shown)})"

    # ------------------------------------------------------------- checks
    def _check_params(self) -> tuple[list[int], str]:
        check_option(self.method, _METHODS, "method")
        check_option(self.missing, _MISSING, "missing")
        check_option(self.select, ("silhouette", "stability"), "select")
        if not (isinstance(self.stable_at, (int, float)) and 0 < self.stable_at <= 1):
            raise ConfigError(
                f"stable_at must be in (0, 1], got {self.stable_at!r} (Hennig's "
                "thresholds: 0.6 trustworthy, 0.75 stable)."
            )
        kr = self.k_range
        if (
            not isinstance(kr, (tuple, list))
            or len(kr) != 2
            or not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in kr)
            or not 2 <= kr[0] <= kr[1]
        ):
            raise ConfigError(
                f"k_range={kr!r} must be two integers (low, high) with "
                "2 <= low <= high, e.g. (2, 8)."
            )
        lo, hi = int(kr[0]), int(kr[1])
        if isinstance(self.k, str):
            if self.k != "auto":
                raise ConfigError(f"k={self.k!r} is not valid; pass an integer or 'auto'.")
            ks = list(range(lo, hi + 1))
        elif isinstance(self.k, (int, np.integer)) and not isinstance(self.k, bool):
            if not lo <= int(self.k) <= hi:
                raise ConfigError(
                    f"k={self.k} is outside k_range={tuple(kr)}; widen k_range "
                    f"(e.g. k_range=({min(lo, int(self.k))}, "
                    f"{max(hi, int(self.k))})) or pick k inside it."
                )
            ks = [int(self.k)]
        else:
            raise ConfigError(f"k={self.k!r} is not valid; pass an integer or 'auto'.")
        if not (isinstance(self.min_share, (int, float)) and 0 <= self.min_share < 1):
            raise ConfigError(f"min_share must be in [0, 1), got {self.min_share!r}.")
        for name in ("n_init", "max_iter", "max_levels", "silhouette_sample", "n_boot"):
            v = getattr(self, name)
            if not (
                isinstance(v, (int, np.integer))
                and v >= (2 if name in ("max_levels", "n_boot") else 1)
            ):
                raise ConfigError(f"{name} must be a positive integer, got {v!r}.")
        if self.gamma is not None and not (isinstance(self.gamma, (int, float)) and self.gamma > 0):
            raise ConfigError(f"gamma must be a positive number, got {self.gamma!r}.")
        return ks, self.method

    def _check_fitted(self) -> None:
        if not hasattr(self, "_prep"):
            raise ConfigError("this Segmenter is not fitted yet; call fit() first.")

    # ------------------------------------------------------------- fitting
    def fit(self, X: pd.DataFrame | np.ndarray, y: Any = None) -> Segmenter:
        """Fit the segments (and choose k when ``k="auto"``).

        Parameters
        ----------
        X : DataFrame or 2-d array
            One row per respondent, one column per clustering variable (all columns are used).
        y : ignored
            Present for scikit-learn compatibility.

        Returns
        -------
        Segmenter
            The fitted estimator (see Attributes).

        Raises
        ------
        SchemaError
            Not a DataFrame or array, no columns, or unknown ``categorical`` columns.
        DataError
            A column that is all missing, constant, has text in a numeric column, dates, or a
            categorical with more than ``max_levels`` levels; fewer usable rows than k.
        ConfigError
            An invalid option, ``k`` outside ``k_range``, or ``method="gmm"`` with categorical
            columns.
        """
        self._fit(X, criteria=True)
        return self

    def fit_predict(self, X: pd.DataFrame | np.ndarray, y: Any = None) -> np.ndarray:
        """Fit and return ``labels_``."""
        return self.fit(X).labels_

    def _fit(self, X: Any, *, criteria: bool) -> None:
        ks, method = self._check_params()
        frame = _as_frame(X)
        prep, converted = _fit_prep(frame, self.categorical, int(self.max_levels), self.gamma)
        if method == "auto":
            method = "kprototypes" if prep.categorical else "kmeans"
        if method == "kmeans" and prep.categorical:
            raise ConfigError(
                f"method='kmeans' needs numeric columns, but {preview(prep.categorical)} "
                "are categorical; use method='kprototypes' (or 'auto')."
            )
        if method == "gmm" and prep.categorical:
            raise ConfigError(
                f"method='gmm' needs numeric columns, but {preview(prep.categorical)} "
                "are categorical; use method='kprototypes' (or 'auto')."
            )
        if (
            method == "kprototypes" and not prep.categorical and not prep.numeric
        ):  # pragma: no cover
            raise SchemaError("X has no usable columns.")
        Xn, codes, n_miss = _encode(frame, prep, converted)
        n_cols = len(prep.columns)
        excluded = n_miss >= n_cols if self.missing == "impute" else n_miss > 0
        keep = ~excluded
        n_used = int(keep.sum())
        Xn, codes = _impute(Xn, codes, prep)
        E_all = _embed(Xn, codes, prep)
        E = E_all[keep]
        cand = [k for k in ks if k < n_used]
        if not cand:
            raise DataError(
                f"only {n_used} usable rows (after {int(excluded.sum())} excluded for "
                f"missing values) for k={ks[0]} segments; at least k+1 rows are "
                "needed. Use more rows or a smaller k."
            )
        rng = np.random.default_rng(self.random_state)
        sil_seed = int(rng.integers(2**31 - 1))
        seeds = rng.integers(2**31 - 1, size=len(cand))
        p = len(prep.numeric)
        e2 = np.einsum("ij,ij->i", E, E)
        fits: dict[int, dict[str, Any]] = {}
        rows = []
        from threadpoolctl import threadpool_limits

        # The matrices are thin (rows x columns times columns x k): threaded BLAS or OpenMP gains
        # nothing and oversubscribes shared machines (GaussianMixture ran 17x slower on 2 busy cores).
        with threadpool_limits(limits=1):
            for k, seed in zip(cand, seeds, strict=True):
                fit = self._fit_one(E, e2, k, p, prep, method, int(seed))
                fits[k] = fit
                if criteria:
                    rows.append(self._criteria(E, fit, k, method, sil_seed))
        self._prep = prep
        self.method_ = method
        self.gamma_ = prep.gamma
        self.n_excluded_ = int(excluded.sum())
        self.n_features_in_ = n_cols
        self.feature_names_in_ = np.asarray(prep.columns, dtype=object)
        if criteria:
            crit = pd.DataFrame(rows).set_index("k")
            if self.select == "stability" and len(ks) > 1:
                self._add_stability(crit, fits, frame, prep, method, int(rng.integers(2**31 - 1)))
            k_best, reason = self._choose(crit, len(ks) > 1)
            too_big = [k for k in ks if k >= n_used]
            if too_big:
                reason = (
                    f"k={', '.join(map(str, too_big))} not tried (only {n_used} usable "
                    "rows). " + reason
                )
            crit["chosen"] = crit.index == k_best
            self.criteria_ = crit
            self.reason_ = reason
        else:
            k_best = cand[0]
        best = fits[k_best]
        self.k_ = k_best
        self._model = best
        labels = np.full(len(frame), -1, dtype=np.int64)
        labels[keep] = best["labels"]
        self.labels_ = labels
        self.cost_ = best["cost"]
        self.n_iter_ = best.get("n_iter", 0)
        self.cluster_centers_ = self._centers_frame(best["centers"])

    def _fit_one(
        self, E: np.ndarray, e2: np.ndarray, k: int, p: int, prep: _Prep, method: str, seed: int
    ) -> dict[str, Any]:
        idx = np.arange(len(E))
        if method == "gmm":
            from sklearn.mixture import GaussianMixture

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                gm = GaussianMixture(
                    n_components=k,
                    covariance_type="full",
                    n_init=int(self.n_init),
                    max_iter=max(int(self.max_iter), 100),
                    random_state=seed,
                ).fit(E)
            raw = gm.predict(E)
            order = _canonical(raw, gm.means_, k)
            inv = np.empty(k, dtype=np.int64)
            inv[order] = np.arange(k)
            labels = inv[raw]
            C = gm.means_[order]
            d = _sqdist(E, e2, C)
            return {
                "labels": labels,
                "centers": C,
                "cost": float(d[idx, labels].sum()),
                "gmm": gm,
                "inv": inv,
                "bic": float(gm.bic(E)),
                "n_iter": int(gm.n_iter_),
            }
        rng = np.random.default_rng(seed)
        labels, C, cost, n_iter = _lloyd(
            E, e2, k, p, prep.sizes, prep.scale, rng, int(self.n_init), int(self.max_iter)
        )
        order = _canonical(labels, C, k)
        inv = np.empty(k, dtype=np.int64)
        inv[order] = np.arange(k)
        return {"labels": inv[labels], "centers": C[order], "cost": cost, "n_iter": n_iter}

    def _criteria(
        self, E: np.ndarray, fit: dict[str, Any], k: int, method: str, sil_seed: int
    ) -> dict[str, Any]:
        from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_score

        labels = fit["labels"]
        n = len(E)
        counts = np.bincount(labels, minlength=k)
        row: dict[str, Any] = {"k": k}
        n_lab = int((counts > 0).sum())
        if 2 <= n_lab <= n - 1:
            size = min(n, int(self.silhouette_sample))
            sub = np.random.default_rng(sil_seed).permutation(n)[:size]
            ls = labels[sub]
            ok = 2 <= len(np.unique(ls)) <= size - 1
            row["silhouette"] = float(silhouette_score(E[sub], ls)) if ok else np.nan
            row["davies_bouldin"] = float(davies_bouldin_score(E, labels))
            row["calinski_harabasz"] = float(calinski_harabasz_score(E, labels))
        else:
            row["silhouette"] = row["davies_bouldin"] = row["calinski_harabasz"] = np.nan
        if method == "gmm":
            row["bic"] = fit["bic"]
        row["cost"] = fit["cost"]
        row["min_share"] = float(counts.min() / n)
        row["eligible"] = bool(row["min_share"] >= self.min_share)
        return row

    def _add_stability(
        self,
        crit: pd.DataFrame,
        fits: dict[int, dict[str, Any]],
        frame: pd.DataFrame,
        prep: _Prep,
        method: str,
        seed: int,
    ) -> None:
        """Bootstrap stability of each eligible k's solution, as columns of ``crit``."""
        pool = crit.index[crit["eligible"]] if crit["eligible"].any() else crit.index
        crit["stability"] = np.nan
        crit["ari_boot"] = np.nan
        seeds = np.random.default_rng(seed).integers(2**31 - 1, size=len(pool))
        for k, sd in zip(pool, seeds, strict=True):
            k = int(k)
            est = Segmenter(
                **{**self.get_params(), "k": k, "k_range": (k, k), "select": "silhouette"}
            )
            est._prep, est.method_, est._model, est.k_ = prep, method, fits[k], k
            res = _stability(est, frame, int(self.n_boot), random_state=int(sd))
            crit.loc[k, "stability"] = float(np.nanmin(np.nanmean(res.jaccard, axis=0)))
            crit.loc[k, "ari_boot"] = float(np.nanmean(res.ari))

    def _choose(self, crit: pd.DataFrame, auto: bool) -> tuple[int, str]:
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
                text += f" Its smallest segment is below min_share={self.min_share:.0%}."
            return k, text
        pool = crit[crit["eligible"]]
        prefix = ""
        if pool.empty:
            pool = crit
            prefix = (
                f"No k in {tuple(crit.index)} keeps every segment at or above "
                f"min_share={self.min_share:.0%}; all candidates were considered. "
            )
            warnings.warn("Segmenter: " + prefix.strip(), NeedlabWarning, stacklevel=4)
        else:
            dropped = [int(k) for k in crit.index if not crit.loc[k, "eligible"]]
            if dropped:
                prefix = (
                    f"k={', '.join(map(str, dropped))} set aside (a segment below "
                    f"{self.min_share:.0%}). "
                )
        if "stability" in pool and pool["stability"].notna().any():
            st = pool["stability"]
            ok = st[st >= self.stable_at]
            if len(ok):
                k = int(ok.index.max())
                return k, prefix + (
                    f"k={k} is the largest k whose weakest segment keeps a mean bootstrap Jaccard "
                    f"of at least {self.stable_at} ({st[k]:.2f}; {self.n_boot} resamples); "
                    + ", ".join(f"k={int(kk)}: {v:.2f}" for kk, v in st.items())
                    + f" ({fmt(k)})."
                )
            k = int(st.idxmax())
            return k, prefix + (
                f"No k keeps every segment at a mean bootstrap Jaccard of {self.stable_at}; k={k} "
                f"has the most stable weakest segment ({st[k]:.2f}) ({fmt(k)})."
            )
        sil = pool["silhouette"]
        if sil.isna().all():
            k = int(pool.index[0])
            return (
                k,
                prefix + f"No silhouette could be computed; the smallest k was kept ({fmt(k)}).",
            )
        top = float(sil.max())
        near = pool[sil >= top - self.tie_tol]
        if len(near) == 1:
            k = int(near.index[0])
            return k, prefix + (
                f"k={k} has the highest silhouette among the eligible k, with no "
                f"other within {self.tie_tol} ({fmt(k)})."
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
            w = int(col.idxmax() if high else col.idxmin())
            votes[w] += 1
            ballot.append(f"{name} -> k={w}")
        k = sorted(votes, key=lambda kk: (-votes[kk], -near.loc[kk, "silhouette"], kk))[0]
        return k, prefix + (
            f"Silhouettes of k={', '.join(map(str, votes))} are within {self.tie_tol} of the best "
            f"({top:.3f}); majority vote of the criteria ({'; '.join(ballot)}) chose k={k} "
            f"({fmt(k)})."
        )

    def _centers_frame(self, C: np.ndarray) -> pd.DataFrame:
        prep = self._prep
        p = len(prep.numeric)
        out: dict[Hashable, Any] = {}
        num = C[:, :p] * prep.sds + prep.means
        for j, c in enumerate(prep.numeric):
            out[c] = num[:, j]
        off = p
        for j, c in enumerate(prep.categorical):
            L = prep.sizes[j]
            out[c] = prep.levels[j].take(C[:, off : off + L].argmax(axis=1)).to_numpy()
            off += L
        frame = pd.DataFrame(out, index=pd.RangeIndex(len(C), name="segment"))
        return frame[[c for c in prep.columns]]

    # ------------------------------------------------------------- applying
    def _transform(self, X: Any) -> tuple[np.ndarray, np.ndarray]:
        self._check_fitted()
        prep = self._prep
        frame = _as_frame(X)
        check_columns(frame, prep.columns)
        Xn, codes, n_miss = _encode(frame, prep)
        excluded = n_miss >= len(prep.columns) if self.missing == "impute" else n_miss > 0
        Xn, codes = _impute(Xn, codes, prep)
        return _embed(Xn, codes, prep), excluded

    def predict(self, X: pd.DataFrame | np.ndarray) -> np.ndarray:
        """Assign rows to the fitted segments (the typing of new respondents).

        New rows are scaled with the means and sds of the fitting data, missing values imputed
        as in the fit (or the row labelled -1 under ``missing="exclude"`` or when all its values
        are missing). A category level not seen in the fit counts as a mismatch with every
        prototype, so it does not sway the assignment.

        Parameters
        ----------
        X : DataFrame or 2-d array
            Must hold the fitting columns (extra columns are ignored).

        Returns
        -------
        ndarray of int
            Segment per row; -1 for excluded rows.

        Raises
        ------
        ConfigError
            Not fitted. SchemaError: a fitting column is missing. DataError: text in a numeric
            column.
        """
        E, excluded = self._transform(X)
        model = self._model
        if self.method_ == "gmm":
            lab = model["inv"][model["gmm"].predict(E)]
        else:
            e2 = np.einsum("ij,ij->i", E, E)
            lab = _sqdist(E, e2, model["centers"]).argmin(axis=1)
        return np.where(excluded, -1, lab).astype(np.int64)

    def cost(self, X: pd.DataFrame | np.ndarray, labels: Any = None) -> float:
        """Huang's k-prototypes cost (k-means inertia on numeric data) in the fitted scaling.

        Parameters
        ----------
        X : DataFrame or 2-d array
            Rows with the fitting columns.
        labels : array of int, optional
            A partition of the rows (e.g. from another program). Its own optimal prototypes
            (numeric means, categorical modes) are used. Without it, each row is assigned to the
            nearest fitted prototype.

        Returns
        -------
        float
            ``sum_i [ sum_j (x_ij - c_j)^2 + gamma * #mismatches ]`` over standardised numeric
            columns and categorical columns (rows excluded for missing values are left out).
        """
        E, excluded = self._transform(X)
        E = E[~excluded]
        if labels is None:
            e2 = np.einsum("ij,ij->i", E, E)
            return float(_sqdist(E, e2, self._model["centers"]).min(axis=1).sum())
        lab = pd.factorize(np.asarray(labels)[~excluded])[0]
        return _partition_cost(E, lab, len(self._prep.numeric), self._prep.sizes, self._prep.scale)

    def centers(self) -> pd.DataFrame:
        """Segment prototypes in original units, with sizes.

        Returns
        -------
        DataFrame
            One row per segment: ``segment``, ``n`` (rows in the fit), ``share`` (of the rows
            fitted), then each clustering column: the segment mean (numeric) or modal level
            (categorical).
        """
        self._check_fitted()
        lab = self.labels_[self.labels_ >= 0]
        n = np.bincount(lab, minlength=self.k_)
        out = self.cluster_centers_.reset_index()
        out.insert(1, "n", n)
        out.insert(2, "share", n / max(len(lab), 1))
        return out

    def plot_criteria(self, ax: Axes | None = None) -> Axes:
        """Plot each criterion of ``criteria_`` by k (scaled to 0-1, 1 = best), chosen k marked."""
        from needlab.segment.plot_cluster import criteria_plot

        return criteria_plot(self, ax=ax)

    # ------------------------------------------------------------- typing tool
    def typing_tool(
        self,
        data: pd.DataFrame,
        n_questions: int,
        *,
        labels: Any = None,
        test_size: float = 0.3,
        random_state: int | None = None,
    ) -> TypingToolResult:
        """Pick a short question set that assigns respondents to the segments.

        Greedy forward selection: starting from no question, add the column of *data* that most
        improves the 3-fold cross-validated accuracy (on the training rows) of a linear
        discriminant classifier (pooled covariance, small ridge) predicting the segment, until
        *n_questions* are chosen. The accuracy is then reported on held-out rows that played no
        part in the selection.

        Parameters
        ----------
        data : DataFrame
            Candidate questions, one row per respondent, rows aligned with *labels*.
        n_questions : int
            Number of questions to pick (at most the number of columns).
        labels : array, optional
            Segment per row; default ``labels_`` (then *data* must have the fitting rows in the
            same order). Rows labelled -1 or missing are left out.
        test_size : float
            Share of rows held out (stratified by segment).
        random_state : int, optional
            Seed of the split and folds.

        Returns
        -------
        TypingToolResult
            ``table`` with one row per step: ``step``, ``question`` (added at this step),
            ``cv_accuracy`` (cross-validated on training rows, with the questions so far) and
            ``test_accuracy`` (on the held-out rows); ``accuracy`` (held-out, all chosen
            questions), ``per_segment`` (``segment``, ``n_test``, ``accuracy`` = share of the
            segment's held-out rows typed correctly), ``confusion`` and ``model`` (a fitted
            :class:`TypingTool` with ``predict``).

        Raises
        ------
        ConfigError
            Invalid ``n_questions`` / ``test_size``; SchemaError / DataError on bad data.

        Notes
        -----
        Numeric questions are used as numbers (missing -> training mean); categorical ones
        one-hot coded. Classical typing tools use discriminant functions (Fisher 1936); the ridge
        (1e-3 of the mean variance) keeps them solvable with one-hot or collinear questions.
        """
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1):  # hundreds of small fits: threads only add overhead
            return _typing_tool(
                self,
                data,
                n_questions,
                labels=labels,
                test_size=test_size,
                random_state=random_state,
            )

    # ------------------------------------------------------------- stability
    def stability(
        self, data: pd.DataFrame | np.ndarray, n_boot: int = 50, *, random_state: int | None = None
    ) -> StabilityResult:
        """Bootstrap stability of the segments.

        The estimator (with ``k`` fixed at ``k_``) is refitted on *n_boot* bootstrap resamples of
        *data*; each refit assigns the original rows with ``predict`` and is compared with this
        fit's assignment of the same rows by the adjusted Rand index (Hubert & Arabie 1985) and,
        per segment, by the best-matching Jaccard similarity (Hennig 2007).

        Parameters
        ----------
        data : DataFrame or 2-d array
            Usually the fitting data.
        n_boot : int
            Bootstrap resamples.
        random_state : int, optional
            Seed of the resamples and refits.

        Returns
        -------
        StabilityResult
            ``table`` with columns ``measure`` (``"ARI"`` or ``"Jaccard"``), ``segment`` (-1 for
            the overall ARI), ``mean``, ``sd``, ``p2.5``, ``p50``, ``p97.5`` over the resamples;
            ``ari`` (array, one per resample) and ``jaccard`` (resamples x segments). Hennig's
            reading: mean Jaccard below 0.5 means the segment dissolves, above 0.75 it is stable.

        Raises
        ------
        ConfigError
            Not fitted, or ``n_boot < 2``.
        """
        return _stability(self, data, n_boot, random_state=random_state)


# ============================================================================ typing tool
class _LDA:
    """Linear discriminant analysis (Fisher 1936) in numpy: pooled within-segment covariance
    with a small ridge (``ridge`` x the mean variance on the diagonal) so that one-hot blocks and
    collinear questions stay solvable; priors are the training shares. Hundreds of these are
    fitted by the greedy selection, so it avoids scikit-learn's per-call validation cost."""

    def __init__(self, ridge: float = 1e-3):
        self.ridge = ridge

    def fit(self, X: np.ndarray, y: np.ndarray) -> _LDA:
        self.classes_, yi = np.unique(y, return_inverse=True)
        n, p = X.shape
        k = len(self.classes_)
        counts = np.bincount(yi, minlength=k)
        M = np.zeros((n, k))
        M[np.arange(n), yi] = 1.0
        means = (M.T @ X) / counts[:, None]
        R = X - means[yi]
        S = R.T @ R / max(n - k, 1)
        tr = float(np.trace(S)) / max(p, 1)
        S[np.diag_indices(p)] += self.ridge * (tr if tr > 0 else 1.0)
        W = np.linalg.solve(S, means.T)  # p x k
        self.coef_ = W.T
        self.intercept_ = -0.5 * np.einsum("kp,pk->k", means, W) + np.log(counts / n)
        return self

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        return X @ self.coef_.T + self.intercept_

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        d = self.decision_function(X)
        d = np.exp(d - d.max(axis=1, keepdims=True))
        return d / d.sum(axis=1, keepdims=True)

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.classes_[self.decision_function(X).argmax(axis=1)]

    def score(self, X: np.ndarray, y: np.ndarray) -> float:
        return float(np.mean(self.predict(X) == y))


class TypingTool:
    """A fitted short-form classifier of segments (built by :meth:`Segmenter.typing_tool`).

    Attributes
    ----------
    questions : tuple
        The chosen columns, in the order picked.
    classes_ : ndarray
        The segment labels.
    """

    def __init__(self, questions: Sequence[Hashable], design: _Design, model: Any):
        self.questions = tuple(questions)
        self._design = design
        self._model = model
        self.classes_ = model.classes_

    def _matrix(self, data: pd.DataFrame) -> np.ndarray:
        frame = check_frame(data)
        check_columns(frame, list(self.questions))
        return self._design.matrix(frame, self.questions)

    def predict(self, data: pd.DataFrame) -> np.ndarray:
        """Segment of each row of *data* (which must hold the questions)."""
        return self._model.predict(self._matrix(data))

    def predict_proba(self, data: pd.DataFrame) -> pd.DataFrame:
        """Posterior probability of each segment (columns) per row."""
        return pd.DataFrame(
            self._model.predict_proba(self._matrix(data)), columns=self.classes_, index=data.index
        )

    def __repr__(self) -> str:
        return f"TypingTool(questions={list(self.questions)!r})"


@dataclass
class _Design:
    """Design-matrix builder for the typing tool: numeric as is (mean-imputed), categorical
    one-hot."""

    numeric: dict[Hashable, float]  # column -> training mean
    levels: dict[Hashable, pd.Index]

    def block(self, frame: pd.DataFrame, col: Hashable) -> np.ndarray:
        if col in self.numeric:
            v = check_numeric(frame, col).to_numpy()
            return np.where(np.isnan(v), self.numeric[col], v)[:, None]
        lv = self.levels[col]
        code = lv.get_indexer(frame[col])
        out = np.zeros((len(frame), len(lv)))
        ok = code >= 0
        out[np.flatnonzero(ok), code[ok]] = 1.0
        return out

    def matrix(self, frame: pd.DataFrame, cols: Sequence[Hashable]) -> np.ndarray:
        return np.hstack([self.block(frame, c) for c in cols])


@dataclass(frozen=True, repr=False)
class TypingToolResult(Result):
    """Result of :meth:`Segmenter.typing_tool`; see there for the fields."""

    questions: tuple[Hashable, ...] = ()
    accuracy: float = float("nan")
    chance: float = float("nan")
    per_segment: pd.DataFrame = field(default_factory=pd.DataFrame)
    confusion: pd.DataFrame = field(default_factory=pd.DataFrame)
    model: TypingTool | None = None
    n_train: int = 0
    n_test: int = 0

    title = "Segment typing tool"

    def summary(self) -> dict[str, Any]:
        return {
            "questions": ", ".join(map(str, self.questions)),
            "held-out accuracy": self.accuracy,
            "chance (largest segment)": self.chance,
            "train / test rows": f"{self.n_train} / {self.n_test}",
        }

    def tables(self) -> dict[str, pd.DataFrame]:
        return {
            "steps": self.table,
            "per_segment": self.per_segment,
            "confusion": self.confusion.reset_index(),
        }

    def predict(self, data: pd.DataFrame) -> np.ndarray:
        """Shortcut for ``model.predict``."""
        if self.model is None:  # pragma: no cover
            raise ConfigError("this result holds no model.")
        return self.model.predict(data)

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        from needlab.segment.plot_cluster import typing_plot

        return typing_plot(self, ax=ax, **kwargs)


def _typing_tool(
    seg: Segmenter,
    data: pd.DataFrame,
    n_questions: int,
    *,
    labels: Any,
    test_size: float,
    random_state: int | None,
) -> TypingToolResult:
    from sklearn.model_selection import StratifiedKFold, train_test_split

    frame = check_frame(data)
    if labels is None:
        seg._check_fitted()
        labels = seg.labels_
    y_all = pd.Series(np.asarray(labels)).to_numpy()
    if len(y_all) != len(frame):
        raise DataError(
            f"labels has {len(y_all)} values but data has {len(frame)} rows; pass "
            "the rows the segments were fitted on, in the same order, or labels=."
        )
    cols = list(frame.columns)
    if not (isinstance(n_questions, (int, np.integer)) and 1 <= n_questions <= len(cols)):
        raise ConfigError(
            f"n_questions must be an integer from 1 to {len(cols)} (the columns "
            f"of data), got {n_questions!r}."
        )
    if not (isinstance(test_size, (int, float)) and 0 < test_size < 1):
        raise ConfigError(f"test_size must be strictly between 0 and 1, got {test_size!r}.")
    keep = pd.notna(y_all) & (pd.Series(y_all).astype(str).to_numpy() != "-1")
    notes = []
    if (~keep).any():
        notes.append(f"{int((~keep).sum())} rows without a segment (excluded or missing) left out.")
    frame = frame.loc[keep].reset_index(drop=True)
    y = y_all[keep]
    classes, counts = np.unique(y, return_counts=True)
    if len(classes) < 2:
        raise DataError("labels hold fewer than 2 segments; nothing to type.")
    if counts.min() < 4:
        raise DataError(
            f"segment {classes[np.argmin(counts)]!r} has only {counts.min()} rows; "
            "at least 4 per segment are needed to train and test a typing tool."
        )
    numeric, cats, converted = _classify(frame, None, max_levels=10**9)
    idx = np.arange(len(frame))
    tr, te = train_test_split(idx, test_size=test_size, stratify=y, random_state=random_state)
    design = _Design(
        numeric={
            c: float(np.nanmean(converted[c].to_numpy()[tr]))
            if np.isfinite(converted[c].to_numpy()[tr]).any()
            else 0.0
            for c in numeric
        },
        levels={c: pd.Index(frame[c].iloc[tr].dropna().unique()) for c in cats},
    )
    blocks = {c: design.block(frame, c) for c in cols}
    folds = list(
        StratifiedKFold(n_splits=3, shuffle=True, random_state=random_state).split(tr, y[tr])
    )

    def fit_score(Xm: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
        return _LDA().fit(Xm[a], y[a]).score(Xm[b], y[b])

    chosen: list[Hashable] = []
    steps = []
    for step in range(1, int(n_questions) + 1):
        best_col, best_acc = None, -1.0
        for c in cols:
            if c in chosen:
                continue
            Xm = np.hstack([blocks[q] for q in [*chosen, c]])
            acc = float(np.mean([fit_score(Xm, tr[a], tr[b]) for a, b in folds]))
            if acc > best_acc + 1e-12:
                best_col, best_acc = c, acc
        chosen.append(best_col)
        Xm = np.hstack([blocks[q] for q in chosen])
        steps.append(
            {
                "step": step,
                "question": best_col,
                "cv_accuracy": best_acc,
                "test_accuracy": fit_score(Xm, tr, te),
            }
        )
    Xm = np.hstack([blocks[q] for q in chosen])
    model = _LDA().fit(Xm[tr], y[tr])
    pred = model.predict(Xm[te])
    truth = y[te]
    per = pd.DataFrame(
        {
            "segment": classes,
            "n_test": [int((truth == c).sum()) for c in classes],
            "accuracy": [
                float(np.mean(pred[truth == c] == c)) if (truth == c).any() else np.nan
                for c in classes
            ],
        }
    )
    conf = pd.crosstab(pd.Series(truth, name="segment"), pd.Series(pred, name="typed as"))
    conf = conf.reindex(index=classes, columns=classes, fill_value=0)
    return TypingToolResult(
        pd.DataFrame(steps),
        questions=tuple(chosen),
        accuracy=float(np.mean(pred == truth)),
        chance=float(counts.max() / counts.sum()),
        per_segment=per,
        confusion=conf,
        model=TypingTool(chosen, design, model),
        n_train=len(tr),
        n_test=len(te),
        notes=tuple(notes),
    )


# ============================================================================ stability
@dataclass(frozen=True, repr=False)
class StabilityResult(Result):
    """Result of :meth:`Segmenter.stability`; see there for the fields."""

    ari: np.ndarray = field(default_factory=lambda: np.zeros(0))
    jaccard: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    k: int = 0
    n_boot: int = 0

    title = "Segment stability (bootstrap)"

    def summary(self) -> dict[str, Any]:
        return {
            "k": self.k,
            "resamples": self.n_boot,
            "mean adjusted Rand index": float(np.nanmean(self.ari)),
        }

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        from needlab.segment.plot_cluster import stability_plot

        return stability_plot(self, ax=ax, **kwargs)


def _stability(
    seg: Segmenter, data: Any, n_boot: int, *, random_state: int | None
) -> StabilityResult:
    from sklearn.metrics import adjusted_rand_score

    seg._check_fitted()
    if not (isinstance(n_boot, (int, np.integer)) and n_boot >= 2):
        raise ConfigError(f"n_boot must be an integer >= 2, got {n_boot!r}.")
    frame = _as_frame(data)
    ref = seg.predict(frame)
    rows = np.flatnonzero(ref >= 0)
    k = seg.k_
    rng = np.random.default_rng(random_state)
    ari = np.full(n_boot, np.nan)
    jac = np.full((n_boot, k), np.nan)
    failed = 0
    params = seg.get_params()
    for b in range(n_boot):
        params.update(
            k=k, k_range=(min(2, k), max(k, 2)), random_state=int(rng.integers(2**31 - 1))
        )
        est = Segmenter(**params)
        sample = frame.iloc[rng.choice(rows, size=len(rows), replace=True)]
        try:
            est._fit(sample, criteria=False)
        except NeedlabError:
            failed += 1
            continue
        pred = est.predict(frame)
        both = (ref >= 0) & (pred >= 0)
        a, p = ref[both], pred[both]
        ari[b] = adjusted_rand_score(a, p)
        kb = est.k_
        inter = np.bincount(a * kb + p, minlength=k * kb).reshape(k, kb).astype(float)
        tab = inter
        union = tab.sum(1, keepdims=True) + tab.sum(0, keepdims=True) - inter
        with np.errstate(invalid="ignore", divide="ignore"):
            jac[b] = np.nanmax(np.where(union > 0, inter / union, 0.0), axis=1)
    notes = []
    if failed:
        notes.append(
            f"{failed} of {n_boot} resamples could not be fitted (e.g. a column became "
            "constant) and were skipped."
        )

    def summ(v: np.ndarray) -> dict[str, float]:
        v = v[np.isfinite(v)]
        if not len(v):
            return {"mean": np.nan, "sd": np.nan, "p2.5": np.nan, "p50": np.nan, "p97.5": np.nan}
        q = np.percentile(v, [2.5, 50, 97.5])
        return {
            "mean": float(v.mean()),
            "sd": float(v.std(ddof=1)) if len(v) > 1 else np.nan,
            "p2.5": q[0],
            "p50": q[1],
            "p97.5": q[2],
        }

    table = pd.DataFrame(
        [{"measure": "ARI", "segment": -1, **summ(ari)}]
        + [{"measure": "Jaccard", "segment": s, **summ(jac[:, s])} for s in range(k)]
    )
    return StabilityResult(table, ari=ari, jaccard=jac, k=k, n_boot=int(n_boot), notes=tuple(notes))
