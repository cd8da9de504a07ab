"""Segmentation by clustering: :class:`Segmenter` (k-means, k-prototypes for mixed data and
Gaussian mixtures), with the choice of k made explicit.

The pieces live apart: :mod:`needlab.segment.kprototypes` (the engine),
:mod:`needlab.segment.selection` (criteria and the rule that picks k),
:mod:`needlab.segment.stability` (bootstrap stability) and :mod:`needlab.segment.typing_tool`
(the short question set). :class:`Segmenter` is a scikit-learn estimator (``BaseEstimator``,
``ClusterMixin``): it standardises numeric columns itself, so the user passes raw survey columns.

No ``n x n`` distance matrix is ever formed (the silhouette is computed on a seeded subsample).

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

Kaufman, L. & Rousseeuw, P. J. (1990). *Finding Groups in Data: An Introduction to Cluster
Analysis*. Wiley, ch. 2 (reading of the average silhouette width: below 0.25 no substantial
structure).
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClusterMixin

from needlab._progress import show_progress
from needlab._types import RandomState
from needlab._validate import check_columns, check_count, check_option, check_weights, preview
from needlab.errors import ConfigError, DataError, NeedlabWarning, SchemaError
from needlab.segment.fitting import check_fitted
from needlab.segment.kprototypes import (
    Prep,
    as_frame,
    canonical_order,
    embed,
    encode,
    fit_prep,
    impute,
    lloyd,
    partition_cost,
    sqdist,
)
from needlab.segment.selection import (
    choose_k,
    criteria_row,
    silhouette_subsample,
    silhouette_widths,
    weak_structure_note,
)
from needlab.segment.stability import (
    StabilityResult,
    bootstrap_stability,
    bootstrap_stability_many,
)
from needlab.segment.typing_tool import TypingTool, TypingToolResult

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["Segmenter"]

Method = Literal["auto", "kmeans", "kprototypes", "gmm"]
Missing = Literal["impute", "exclude"]
_METHODS = ("auto", "kmeans", "kprototypes", "gmm")
_MISSING = ("impute", "exclude")
#: rows of each bootstrap resample of ``select="stability"`` at most (m-out-of-n bootstrap)
_BOOT_MAX_ROWS: int | None = 5000


class Segmenter(ClusterMixin, BaseEstimator):
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
    progress : bool or None
        A progress bar (tqdm, on standard error) over the bootstrap resamples of
        ``select="stability"``. ``None`` (default): shown only when standard error is a terminal
        and Python is not running in a Jupyter / IPython kernel, so executed notebooks stay
        free of bar text; ``True``: always; ``False``: never.
    random_state : int, numpy Generator or None
        Seed for the starts and the silhouette subsample; fix it for reproducible segments.

    All parameters are keyword-only and checked by :meth:`fit`.

    Attributes
    ----------
    labels_ : ndarray of int
        Segment of each row of the fitting data, 0 = largest segment; -1 for excluded rows.
    classes_ : ndarray of int
        The segment labels ``0 .. k_ - 1`` (without -1).
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
    notes_ : tuple of str
        Caveats of the fit, also in ``criteria_.attrs["notes"]`` and passed on to the results of
        :meth:`stability` and :meth:`typing_tool`: a *weak structure* note when the best
        silhouette is below 0.25 (see Notes), and how the stability resamples were drawn.
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
    n_features_in_ : int
        Columns of the fitting data.
    feature_names_in_ : ndarray of str
        Their names (only when fitted on a DataFrame with text column names).

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
    stable weakest segment wins. One resample serves every k; each refit runs ``n_init``
    k-means++ starts in the standardisation and levels of the full data. On more than 5,000
    usable rows each resample draws 5,000 rows (with replacement; an m-out-of-n bootstrap that
    bounds the time, at most if anything understating stability, and stated in ``notes_``).
    :meth:`stability` refits the whole estimator on full-size resamples.

    **Weak structure.** Whatever k is chosen, a best silhouette below 0.25 means that, by
    Kaufman & Rousseeuw's (1990) reading, no substantial cluster structure was found: the
    segments cut a continuum rather than finding natural groups (they can still be useful for
    targeting). ``fit`` then warns (``NeedlabWarning``) and says so in ``notes_``.

    **Criteria on mixed data.** Silhouette, Davies-Bouldin and Calinski-Harabasz are computed in
    the embedding described in the module docstring, whose squared Euclidean distance is Huang's
    dissimilarity (standardised numeric part plus ``gamma`` per categorical mismatch). Hence the
    silhouette uses the square root of the k-prototypes dissimilarity, exactly as it uses the
    Euclidean distance for k-means, and Calinski-Harabasz and Davies-Bouldin see the categorical
    columns as scaled one-hot indicators rather than ignoring them. With only numeric columns all
    three are the usual statistics on standardised data.

    **Weights.** ``fit(X, sample_weight=w)`` treats ``w`` as frequency weights: a row of
    weight 2 counts as that row twice in the standardisation (weighted means and sds), the
    categorical modes, the prototypes, the cost, the k-means++ seeding, the segment shares
    (``min_share``, :meth:`centers`), Davies-Bouldin and Calinski-Harabasz. The silhouette is
    the weighted mean of the rows' silhouette widths (with repeated rows the silhouette would
    also count each row's copies as zero-distance neighbours). ``select="stability"`` draws
    its bootstrap resamples with probability proportional to weight. ``method="gmm"`` takes no
    weights (scikit-learn's Gaussian mixture has no weighted fit).

    **Algorithm.** Batch (Lloyd-type) iterations: assign every row to the nearest prototype, then
    recompute numeric means and categorical modes (ties to the first level in sorted order),
    until no row moves. Huang's original algorithm updates after each row; the batch version
    reaches a local optimum of the same cost and vectorises. Empty clusters are re-seeded at the
    row farthest from its prototype. Segment labels are ordered by size (0 = largest).

    References
    ----------
    Huang (1998) for k-prototypes and the default ``gamma``; Arthur & Vassilvitskii (2007) for
    the seeding; Rousseeuw (1987), Davies & Bouldin (1979), Calinski & Harabasz (1974) and
    Schwarz (1978) for the criteria; Kaufman & Rousseeuw (1990) for the weak-structure
    reading; Hubert & Arabie (1985) and Hennig (2007) for
    :meth:`stability`; Dolnicar, Gruen & Leisch (2018) for ``select="stability"``. Full entries
    in the module docstring.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> centres = np.repeat([[0, 0], [6, 0], [0, 6]], 50, axis=0)
    >>> df = pd.DataFrame(centres + rng.normal(size=(150, 2)), columns=["price", "tech"])
    >>> seg = Segmenter(random_state=0).fit(df)
    >>> seg
    Segmenter(random_state=0)
    >>> seg.k_
    3
    >>> np.bincount(seg.labels_).tolist()
    [50, 50, 50]
    """

    def __init__(
        self,
        *,
        k: int | Literal["auto"] = "auto",
        method: Method = "auto",
        k_range: tuple[int, int] = (2, 8),
        min_share: float = 0.05,
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
        progress: bool | None = None,
        random_state: RandomState = None,
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
        self.progress = progress
        self.random_state = random_state

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True  # imputed or excluded (see ``missing``)
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        return tags

    # ------------------------------------------------------------- checks
    def _check_params(self) -> tuple[list[int], str]:
        check_option(self.method, _METHODS, "method")
        check_option(self.missing, _MISSING, "missing")
        check_option(self.select, ("silhouette", "stability"), "select")
        show_progress(self.progress)  # a bad value fails before the work starts
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
            check_count(
                getattr(self, name),
                name,
                minimum=2 if name in ("max_levels", "n_boot") else 1,
                hint="n_boot is the number of bootstrap refits per candidate k"
                if name == "n_boot"
                else "",
            )
        if self.gamma is not None and not (isinstance(self.gamma, (int, float)) and self.gamma > 0):
            raise ConfigError(f"gamma must be a positive number, got {self.gamma!r}.")
        return ks, str(self.method)

    # ------------------------------------------------------------- fitting
    def fit(
        self,
        X: pd.DataFrame | np.ndarray,
        y: Any = None,
        sample_weight: Any = None,
    ) -> Segmenter:
        """Fit the segments (and choose k when ``k="auto"``).

        Parameters
        ----------
        X : DataFrame or 2-d array
            One row per respondent, one column per clustering variable (all columns are used).
        y : ignored
            Present for scikit-learn compatibility.
        sample_weight : array of float, optional
            Frequency weights per row, finite and >= 0 (see Notes: integer weights give the
            fit of the data with each row repeated that often).

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
            categorical with more than ``max_levels`` levels; fewer usable rows than k; invalid
            weights.
        ConfigError
            An invalid option, ``k`` outside ``k_range``, ``method="gmm"`` with categorical
            columns or with weights.
        """
        self._fit(X, criteria=True, sample_weight=sample_weight)
        return self

    def _fit(self, X: Any, *, criteria: bool, sample_weight: Any = None) -> None:
        ks, method = self._check_params()
        frame = as_frame(X)
        w_all = check_weights(None, sample_weight, n=len(frame))
        prep, converted = fit_prep(frame, self.categorical, int(self.max_levels), self.gamma, w_all)
        if method == "auto":
            method = "kprototypes" if prep.categorical else "kmeans"
        for name in ("kmeans", "gmm"):
            if method == name and prep.categorical:
                raise ConfigError(
                    f"method={name!r} needs numeric columns, but {preview(prep.categorical)} "
                    "are categorical; use method='kprototypes' (or 'auto')."
                )
        if method == "gmm" and w_all is not None:
            raise ConfigError(
                "method='gmm' takes no sample_weight (scikit-learn's Gaussian mixture has no "
                "weighted fit); use method='kmeans' for a weighted segmentation."
            )
        if (
            method == "kprototypes" and not prep.categorical and not prep.numeric
        ):  # pragma: no cover
            raise SchemaError("X has no usable columns.")
        Xn, codes, n_miss = encode(frame, prep, converted)
        n_cols = len(prep.columns)
        excluded = n_miss >= n_cols if self.missing == "impute" else n_miss > 0
        keep = ~excluded
        w = None if w_all is None else w_all[keep]
        n_used = int(keep.sum()) if w is None else int((w > 0).sum())
        Xn, codes = impute(Xn, codes, prep)
        E_all = embed(Xn, codes, prep)
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
                fits[k] = self._fit_one(E, e2, k, p, prep, method, int(seed), w)
            if criteria:
                # the silhouette of every k from one pass over the subsample's distances
                sub = silhouette_subsample(len(E), int(self.silhouette_sample), sil_seed)
                sils = silhouette_widths(E[sub], [fits[k]["labels"][sub] for k in cand])
                for k, sil in zip(cand, sils, strict=True):
                    rows.append(
                        criteria_row(
                            E,
                            fits[k],
                            k,
                            method=method,
                            min_share=float(self.min_share),
                            silhouette_sample=int(self.silhouette_sample),
                            sil_seed=sil_seed,
                            w=w,
                            sil=sil,
                        )
                    )
        self._prep = prep
        self.method_ = method
        self.gamma_ = prep.gamma
        self.n_excluded_ = int(excluded.sum())
        self.n_features_in_ = n_cols
        if isinstance(X, pd.DataFrame) and all(isinstance(c, str) for c in X.columns):
            self.feature_names_in_ = np.asarray(prep.columns, dtype=object)
        if criteria:
            crit = pd.DataFrame(rows).set_index("k")
            if self.select == "stability" and len(ks) > 1:
                with threadpool_limits(limits=1):  # thousands of thin products, as above
                    self._add_stability(
                        crit,
                        fits,
                        frame,
                        E_all,
                        excluded,
                        method,
                        prep,
                        int(rng.integers(2**31 - 1)),
                        w_all,
                    )
            k_best, reason = choose_k(
                crit,
                len(ks) > 1,
                min_share=float(self.min_share),
                tie_tol=float(self.tie_tol),
                stable_at=float(self.stable_at),
                n_boot=int(self.n_boot),
            )
            too_big = [k for k in ks if k >= n_used]
            if too_big:
                reason = (
                    f"k={', '.join(map(str, too_big))} not tried (only {n_used} usable "
                    "rows). " + reason
                )
            crit["chosen"] = crit.index == k_best
            notes = [*getattr(self, "_stability_notes", ())]
            weak = weak_structure_note(crit, auto=len(ks) > 1)
            if weak:
                notes.insert(0, weak)
                warnings.warn("Segmenter: " + weak, NeedlabWarning, stacklevel=3)
            crit.attrs["notes"] = tuple(notes)
            self.criteria_ = crit
            self.reason_ = reason
            self.notes_ = tuple(notes)
        else:
            k_best = cand[0]
            self.notes_ = ()
        best = fits[k_best]
        self.k_ = k_best
        self._model = best
        labels = np.full(len(frame), -1, dtype=np.int64)
        labels[keep] = best["labels"]
        self.labels_ = labels
        self.classes_ = np.arange(k_best)
        self.cost_ = best["cost"]
        self.n_iter_ = best.get("n_iter", 0)
        self.cluster_centers_ = self._centers_frame(best["centers"])

    def _fit_one(
        self,
        E: np.ndarray,
        e2: np.ndarray,
        k: int,
        p: int,
        prep: Prep,
        method: str,
        seed: int,
        w: np.ndarray | None,
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
            order = canonical_order(raw, gm.means_, k)
            inv = np.empty(k, dtype=np.int64)
            inv[order] = np.arange(k)
            labels = inv[raw]
            C = gm.means_[order]
            d = sqdist(E, e2, C)
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
        labels, C, cost, n_iter = lloyd(
            E, e2, k, p, prep.sizes, prep.scale, rng, int(self.n_init), int(self.max_iter), w
        )
        order = canonical_order(labels, C, k, w)
        inv = np.empty(k, dtype=np.int64)
        inv[order] = np.arange(k)
        return {"labels": inv[labels], "centers": C[order], "cost": cost, "n_iter": n_iter}

    @staticmethod
    def _assign(E: np.ndarray, model: dict[str, Any], method: str) -> np.ndarray:
        if method == "gmm":
            return np.asarray(model["inv"][model["gmm"].predict(E)])
        e2 = np.einsum("ij,ij->i", E, E)
        return np.asarray(sqdist(E, e2, model["centers"]).argmin(axis=1))

    def _refit(self, k: int) -> Callable[[pd.DataFrame, int], Callable[[pd.DataFrame], np.ndarray]]:
        """A function: resampled rows and a seed -> the predict of a fit with k segments."""
        params = {
            **self.get_params(),
            "k": k,
            "k_range": (min(2, k), max(k, 2)),
            "progress": False,
        }

        def refit(sample: pd.DataFrame, seed: int) -> Callable[[pd.DataFrame], np.ndarray]:
            est = type(self)(**{**params, "random_state": seed})
            est._fit(sample, criteria=False)
            return est.predict

        return refit

    def _add_stability(
        self,
        crit: pd.DataFrame,
        fits: dict[int, dict[str, Any]],
        frame: pd.DataFrame,
        E_all: np.ndarray,
        excluded: np.ndarray,
        method: str,
        prep: Prep,
        seed: int,
        w: np.ndarray | None,
    ) -> None:
        """Bootstrap stability of each eligible k's solution, as columns of ``crit``.

        One resample serves every k. k-means / k-prototypes refits work in the embedding of the
        full data (its standardisation and levels) with ``n_init`` k-means++ starts each (as the
        main fit, no warm start from the full-data prototypes, which would flatter the
        stability), keeping the lowest cost; a Gaussian mixture is refitted from scratch. The
        caller runs this under a one-thread BLAS limit: the products are thin (rows x columns
        times columns x k) and threads only added overhead (2.3x slower on 2 cores).
        """
        pool = crit.index[crit["eligible"]] if crit["eligible"].any() else crit.index
        ks = [int(k) for k in pool]
        crit["stability"] = np.nan
        crit["ari_boot"] = np.nan
        refs = {k: np.where(excluded, -1, self._assign(E_all, fits[k], method)) for k in ks}
        e2_all = np.einsum("ij,ij->i", E_all, E_all)
        p = len(prep.numeric)
        max_iter = int(self.max_iter)
        n_init = int(self.n_init)

        def refit(rows: np.ndarray, sd: int) -> dict[int, np.ndarray]:
            out = {}
            rng = np.random.default_rng(sd)
            if method == "gmm":
                for k in ks:
                    predict = self._refit(k)(frame.iloc[rows], int(rng.integers(2**31 - 1)))
                    out[k] = predict(frame)
                return out
            Es, es2 = E_all[rows], e2_all[rows]
            for k in ks:
                _, C, _, _ = lloyd(
                    Es,
                    es2,
                    k,
                    p,
                    prep.sizes,
                    prep.scale,
                    rng,
                    n_init,
                    max_iter,
                )
                out[k] = np.where(excluded, -1, sqdist(E_all, e2_all, C).argmin(axis=1))
            return out

        res = bootstrap_stability_many(
            refs,
            refit,
            n_boot=int(self.n_boot),
            random_state=seed,
            w=w,
            max_rows=_BOOT_MAX_ROWS,
            progress=self.progress,
        )
        for k, r in res.items():
            crit.loc[k, "stability"] = float(np.nanmin(np.nanmean(r.jaccard, axis=0)))
            crit.loc[k, "ari_boot"] = float(np.nanmean(r.ari))
        self._stability_notes = next(iter(res.values())).notes if res else ()

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
        return frame[list(prep.columns)]

    # ------------------------------------------------------------- applying
    def _transform(self, X: Any) -> tuple[np.ndarray, np.ndarray]:
        check_fitted(self, "_model")
        prep = self._prep
        frame = as_frame(X)
        check_columns(frame, prep.columns)
        Xn, codes, n_miss = encode(frame, prep)
        excluded = n_miss >= len(prep.columns) if self.missing == "impute" else n_miss > 0
        Xn, codes = impute(Xn, codes, prep)
        return embed(Xn, codes, prep), excluded

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
        NotFittedError
            Called before :meth:`fit`.
        SchemaError
            A fitting column is missing.
        DataError
            Text in a numeric column.
        """
        E, excluded = self._transform(X)
        lab = self._assign(E, self._model, self.method_)
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

        Raises
        ------
        NotFittedError
            Called before :meth:`fit`.
        """
        E, excluded = self._transform(X)
        E = E[~excluded]
        if labels is None:
            e2 = np.einsum("ij,ij->i", E, E)
            return float(sqdist(E, e2, self._model["centers"]).min(axis=1).sum())
        lab = pd.factorize(np.asarray(labels)[~excluded])[0]
        return partition_cost(E, lab, len(self._prep.numeric), self._prep.sizes, self._prep.scale)

    def centers(self) -> pd.DataFrame:
        """Segment prototypes in original units, with sizes.

        Returns
        -------
        DataFrame
            One row per segment: ``segment``, ``n`` (rows in the fit), ``share`` (of the rows
            fitted), then each clustering column: the segment mean (numeric) or modal level
            (categorical).

        Raises
        ------
        NotFittedError
            Called before :meth:`fit`.
        """
        check_fitted(self, "_model")
        lab = self.labels_[self.labels_ >= 0]
        n = np.bincount(lab, minlength=self.k_)
        out = self.cluster_centers_.reset_index()
        out.insert(1, "n", n)
        out.insert(2, "share", n / max(len(lab), 1))
        return out

    def plot_criteria(self, ax: Axes | None = None) -> Axes:
        """Plot each criterion of ``criteria_`` by k (scaled to 0-1, 1 = best), chosen k marked.

        Raises
        ------
        NotFittedError
            Called before :meth:`fit`.
        """
        from needlab.segment.plot_cluster import criteria_plot

        check_fitted(self, "criteria_")
        return criteria_plot(self, ax=ax)

    # ------------------------------------------------------------- typing tool
    def typing_tool(
        self,
        data: pd.DataFrame,
        *,
        n_questions: int,
        labels: Any = None,
        test_size: float = 0.3,
        progress: bool | None = None,
        random_state: RandomState = None,
    ) -> TypingToolResult:
        """Pick a short question set that assigns respondents to the segments.

        Fits a :class:`~needlab.segment.typing_tool.TypingTool` (greedy forward selection of
        questions by cross-validated accuracy of a linear discriminant classifier, then accuracy
        on held-out rows) on *data* and the segments.

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
        progress : bool or None
            A progress bar over the selection steps (``None``: only in a terminal, never in a
            notebook; see the class parameter ``progress``).
        random_state : int, numpy Generator or None
            Seed of the split and folds.

        Returns
        -------
        TypingToolResult
            ``table`` with one row per step (``step``, ``question``, ``cv_accuracy``,
            ``test_accuracy``), ``accuracy`` (held-out), ``per_segment``, ``confusion`` and
            ``model`` (the fitted :class:`TypingTool`); ``n_used`` rows with a segment,
            ``n_excluded`` rows without; ``notes`` include this fit's ``notes_`` (e.g. weak
            structure) when the segments are ``labels_``.

        Raises
        ------
        NotFittedError
            No *labels* and the Segmenter is not fitted.
        ConfigError
            Invalid ``n_questions`` / ``test_size``.
        SchemaError, DataError
            Bad data, or *labels* of another length than *data*.

        Examples
        --------
        >>> rng = np.random.default_rng(0)
        >>> df = pd.DataFrame({"price": np.repeat([0.0, 6.0], 60) + rng.normal(size=120),
        ...                    "noise": rng.normal(size=120)})
        >>> seg = Segmenter(k=2, k_range=(2, 2), random_state=0).fit(df)
        >>> res = seg.typing_tool(df, n_questions=1, random_state=0)
        >>> res.questions, res.accuracy
        (('price',), 1.0)
        """
        own = labels is None
        if own:
            check_fitted(self, "labels_")
            labels = self.labels_
        n = len(as_frame(data))
        y = np.asarray(labels)
        if y.ndim != 1 or len(y) != n:
            raise DataError(
                f"labels has {len(y)} values but data has {n} rows; pass "
                "the rows the segments were fitted on, in the same order, or labels=."
            )
        tool = TypingTool(
            n_questions=n_questions,
            test_size=test_size,
            progress=progress,
            random_state=random_state,
        )
        res = TypingToolResult.from_tool(tool.fit(data, y))
        return self._with_notes(res) if own else res

    def _with_notes(self, res: Any) -> Any:
        """*res* with the weak-structure note of this fit added to its notes."""
        extra = tuple(n for n in getattr(self, "notes_", ()) if n.startswith("Weak structure"))
        return dataclasses.replace(res, notes=(*res.notes, *extra)) if extra else res

    # ------------------------------------------------------------- stability
    def stability(
        self,
        data: pd.DataFrame | np.ndarray,
        *,
        n_boot: int = 50,
        random_state: RandomState = None,
        sample_weight: Any = None,
        progress: bool | None = None,
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
        random_state : int, numpy Generator or None
            Seed of the resamples and refits.
        sample_weight : array of float, optional
            Row weights: resamples draw rows with probability proportional to weight.
        progress : bool or None
            A progress bar over the resamples (``None``: only in a terminal, never in a
            notebook; see the class parameter ``progress``).

        Returns
        -------
        StabilityResult
            ``table`` with columns ``measure`` (``"ARI"`` or ``"Jaccard"``), ``segment`` (-1 for
            the overall ARI), ``mean``, ``sd``, ``p2.5``, ``p50``, ``p97.5`` over the resamples;
            ``ari`` (one per resample) and ``jaccard`` (resamples x segments). Hennig's
            reading: mean Jaccard below 0.5 means the segment dissolves, above 0.75 it is stable.
            ``n_used`` rows with a segment, ``n_excluded`` rows without (missing values);
            ``notes`` include this fit's weak-structure note, if any.

        Raises
        ------
        NotFittedError
            Called before :meth:`fit`.
        ConfigError
            ``n_boot < 2``.

        Examples
        --------
        >>> rng = np.random.default_rng(0)
        >>> df = pd.DataFrame(np.repeat([[0, 0], [6, 6]], 40, axis=0) + rng.normal(size=(80, 2)),
        ...                   columns=["a", "b"])
        >>> seg = Segmenter(k=2, k_range=(2, 2), random_state=0).fit(df)
        >>> seg.stability(df, n_boot=5, random_state=0).summary()["mean adjusted Rand index"]
        1.0
        """
        check_fitted(self, "_model")
        frame = as_frame(data)
        w = check_weights(None, sample_weight, n=len(frame))
        ref = self.predict(frame)
        res = bootstrap_stability(
            frame,
            ref,
            int(self.k_),
            self._refit(int(self.k_)),
            n_boot=n_boot,
            random_state=random_state,
            w=w,
            progress=progress,
        )
        return self._with_notes(res)
