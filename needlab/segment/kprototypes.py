"""The k-prototypes engine (Huang 1998) in numpy: column roles, scaling, the embedding and
weighted Lloyd iterations with k-means++ seeding.

With numeric columns standardised and each categorical column one-hot coded and scaled by
``sqrt(gamma / 2)``, the squared Euclidean distance between two rows of the resulting *embedding*
is exactly Huang's dissimilarity

.. math:: d(x, y) = \\sum_j (x_j - y_j)^2 + \\gamma \\sum_l [x_l \\ne y_l],

(two different one-hot vectors are at squared distance 2). A prototype (numeric means, categorical
modes) is a point of the same space, so the assignment step is one matrix product per iteration
and the mode update one weighted count per categorical column. With no categorical column it is
plain k-means on standardised data. Row weights (``w``) act as frequency weights everywhere: a row
of weight 2 counts as that row twice (standardisation, prototypes, cost, seeding).

:class:`~needlab.segment.cluster.Segmenter` is the public face of this module.

References
----------
Huang, Z. (1998). Extensions to the k-means algorithm for clustering large data sets with
categorical values. *Data Mining and Knowledge Discovery* 2(3), 283-304.

Arthur, D. & Vassilvitskii, S. (2007). k-means++: the advantages of careful seeding. *Proc. SODA*,
1027-1035.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from needlab._validate import check_columns, check_frame, check_numeric, preview
from needlab.errors import ConfigError, DataError, SchemaError

__all__ = [
    "Prep",
    "as_frame",
    "canonical_order",
    "classify_columns",
    "embed",
    "encode",
    "fit_prep",
    "impute",
    "kpp_seeds",
    "lloyd",
    "partition_cost",
    "sqdist",
    "update_prototypes",
]


# ---------------------------------------------------------------------------- preprocessing
@dataclass
class Prep:
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


def as_frame(X: Any) -> pd.DataFrame:
    """*X* as a DataFrame: a frame as it is, a 2-d array with columns ``x0, x1, ...``."""
    if isinstance(X, pd.DataFrame):
        return check_frame(X, name="X")
    if isinstance(X, (np.ndarray, list, tuple)):
        arr = np.asarray(X)
        if arr.ndim == 2:
            return check_frame(
                pd.DataFrame(arr, columns=[f"x{j}" for j in range(arr.shape[1])]), name="X"
            )
    return check_frame(X, name="X")


def is_text(s: pd.Series) -> bool:
    """Whether *s* holds text (object or string dtype)."""
    return pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s)


def classify_columns(
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
        elif is_text(s):
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
    for num_col in numeric:
        v = converted[num_col].to_numpy()
        if np.isinf(v).any():
            check_numeric(pd.DataFrame({num_col: v}, index=frame.index), num_col)
        if np.nanstd(v) == 0:
            raise DataError(
                f"column {num_col!r} is constant (every value is {np.nanmax(v):g}); it "
                "cannot separate segments. Drop it from the clustering columns."
            )
    for cat_col in cats:
        s = frame[cat_col]
        n_lev = int(s.nunique(dropna=True))
        if n_lev < 2:
            raise DataError(
                f"column {cat_col!r} is constant (every value is "
                f"{preview(s.dropna().iloc[:1])}); it cannot separate segments. "
                "Drop it from the clustering columns."
            )
        if n_lev > max_levels:
            raise DataError(
                f"categorical column {cat_col!r} has {n_lev} distinct levels (more than "
                f"max_levels={max_levels}), e.g. {preview(s.dropna())}. So many levels usually "
                "mean an id or free text, and they dominate the mismatch cost. Group rare levels "
                "(e.g. into 'other'), drop the column, or raise max_levels."
            )
    return numeric, cats, converted


def fit_prep(
    frame: pd.DataFrame,
    categorical: Sequence[Hashable] | None,
    max_levels: int,
    gamma: float | None,
    w: np.ndarray | None = None,
) -> tuple[Prep, dict[Hashable, pd.Series]]:
    """Column roles, (weighted) means and population sds of the numeric columns, the levels and
    (weighted) modes of the categorical ones, and ``gamma``."""
    numeric, cats, converted = classify_columns(frame, categorical, max_levels)
    if numeric:
        num = np.column_stack([converted[c].to_numpy() for c in numeric])
        if w is None:
            means = np.nanmean(num, axis=0)
            sds = np.nanstd(num, axis=0)
        else:  # frequency weights: a row of weight 2 counts twice (ddof 0, as the unweighted sd)
            ok = ~np.isnan(num)
            ww = np.where(ok, w[:, None], 0.0)
            means = (ww * np.where(ok, num, 0.0)).sum(axis=0) / ww.sum(axis=0)
            dev = np.where(ok, num - means, 0.0)
            sds = np.sqrt((ww * dev * dev).sum(axis=0) / ww.sum(axis=0))
            flat = [numeric[j] for j in np.flatnonzero(~(sds > 0))]
            if flat:
                raise DataError(
                    f"column {flat[0]!r} is constant among the rows with positive weight; it "
                    "cannot separate segments. Drop it from the clustering columns."
                )
    else:
        means = sds = np.zeros(0)
    levels: list[pd.Index] = []
    modes = np.zeros(len(cats), dtype=np.int64)
    for j, col in enumerate(cats):
        if w is None:
            counts = frame[col].value_counts(dropna=True, sort=False)
        else:
            counts = pd.Series(w).groupby(frame[col].to_numpy(), sort=False).sum()
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
    prep = Prep(
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


def encode(
    frame: pd.DataFrame, prep: Prep, converted: dict[Hashable, pd.Series] | None = None
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
        code = prep.levels[j].get_indexer(pd.Index(s))
        code[(code < 0) & s.notna().to_numpy()] = -2
        codes[:, j] = code
    n_missing = np.isnan(Xn).sum(axis=1) + (codes == -1).sum(axis=1)
    return Xn, codes, n_missing


def impute(Xn: np.ndarray, codes: np.ndarray, prep: Prep) -> tuple[np.ndarray, np.ndarray]:
    """Numeric NaN -> the fitted column mean (0 after standardising); categorical missing -> mode."""
    Xn = np.where(np.isnan(Xn), 0.0, Xn)
    codes = np.where(codes == -1, prep.modes[None, :], codes) if codes.size else codes
    return Xn, codes


def embed(Xn: np.ndarray, codes: np.ndarray, prep: Prep) -> np.ndarray:
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


# ---------------------------------------------------------------------------- the engine
def sqdist(E: np.ndarray, e2: np.ndarray, C: np.ndarray) -> np.ndarray:
    """Squared Euclidean distances of the rows of *E* (squared norms *e2*) to the rows of *C*,
    ``e2 - 2 E C' + |c|^2`` clipped at 0 (computed in place: one rows x k array)."""
    d = E @ C.T
    d *= -2.0
    d += e2[:, None]
    d += np.einsum("ij,ij->i", C, C)[None, :]
    return np.maximum(d, 0.0, out=d)


def update_prototypes(
    E: np.ndarray,
    labels: np.ndarray,
    k: int,
    p: int,
    sizes: list[int],
    scale: float,
    d_own: np.ndarray,
    w: np.ndarray | None = None,
) -> np.ndarray:
    """Prototypes of a partition: (weighted) numeric means and one-hot modes (embedding units)."""
    counts = np.bincount(labels, weights=w, minlength=k)
    M = np.zeros((len(E), k))
    M[np.arange(len(E)), labels] = 1.0 if w is None else w
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


def kpp_seeds(
    E: np.ndarray,
    e2: np.ndarray,
    k: int,
    rng: np.random.Generator,
    w: np.ndarray | None = None,
) -> np.ndarray:
    """Greedy k-means++ seeding (Arthur & Vassilvitskii 2007) in the embedding; with weights,
    rows are drawn with probability proportional to weight x squared distance."""
    n = len(E)
    trials = 2 + int(np.log(k))
    if w is None:
        first = int(rng.integers(n))
        wc = np.ones(n)
    else:
        first = min(int(np.searchsorted(np.cumsum(w), rng.random() * w.sum(), side="right")), n - 1)
        wc = w
    C = [E[first]]
    closest = sqdist(E, e2, E[first][None, :])[:, 0]
    for _ in range(1, k):
        tot = float((wc * closest).sum())
        if tot > 0:
            cand = np.searchsorted(np.cumsum(wc * closest), rng.random(trials) * tot)
            cand = np.minimum(cand, n - 1)
        else:
            cand = rng.integers(n, size=trials)
        dc = sqdist(E, e2, E[cand])
        pot = (wc[:, None] * np.minimum(closest[:, None], dc)).sum(axis=0)
        b = int(np.argmin(pot))
        closest = np.minimum(closest, dc[:, b])
        C.append(E[cand[b]])
    return np.vstack(C)


def lloyd(
    E: np.ndarray,
    e2: np.ndarray,
    k: int,
    p: int,
    sizes: list[int],
    scale: float,
    rng: np.random.Generator,
    n_init: int,
    max_iter: int,
    w: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, float, int]:
    """Batch k-prototypes (k-means when there is no categorical column); best of *n_init* runs.

    Returns labels, prototypes (embedding units), cost and iterations of the best run. The labels
    are always the nearest-prototype assignment of the returned prototypes.
    """
    best: tuple[np.ndarray, np.ndarray, float, int] | None = None
    idx = np.arange(len(E))
    for _ in range(n_init):
        C = kpp_seeds(E, e2, k, rng, w)
        labels = np.full(len(E), -1)
        it = 0
        converged = False
        for it in range(1, max_iter + 1):  # noqa: B007
            d = sqdist(E, e2, C)
            new = d.argmin(axis=1)
            if np.array_equal(new, labels):
                converged = True  # d and labels belong to the final C already
                break
            labels = new
            C = update_prototypes(E, labels, k, p, sizes, scale, d[idx, labels], w)
        if not converged:
            d = sqdist(E, e2, C)
            labels = d.argmin(axis=1)
        own = d[idx, labels]
        cost = float(own.sum() if w is None else (w * own).sum())
        if best is None or cost < best[2] - 1e-9 * max(1.0, abs(best[2])):
            best = (labels, C, cost, it)
    if best is None:  # pragma: no cover - n_init >= 1 is checked
        raise ConfigError("n_init must be at least 1.")
    return best


def canonical_order(
    labels: np.ndarray, C: np.ndarray, k: int, w: np.ndarray | None = None
) -> np.ndarray:
    """Order of clusters: largest (weighted) first, ties by prototype coordinates (so row order
    is moot)."""
    counts = np.bincount(labels, weights=w, minlength=k)
    keys = [C[:, j] for j in range(C.shape[1] - 1, -1, -1)] + [-counts]
    return np.lexsort(keys)


def partition_cost(
    E: np.ndarray,
    labels: np.ndarray,
    p: int,
    sizes: list[int],
    scale: float,
    w: np.ndarray | None = None,
) -> float:
    """Huang cost of a partition with its optimal (weighted) prototypes (means and modes)."""
    k = int(labels.max()) + 1
    e2 = np.einsum("ij,ij->i", E, E)
    C = update_prototypes(E, labels, k, p, sizes, scale, np.zeros(len(E)), w)
    own = sqdist(E, e2, C)[np.arange(len(E)), labels]
    return float(own.sum() if w is None else (w * own).sum())
