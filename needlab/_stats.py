"""Shared weighted statistics for every module: Kish effective base, Wilson interval, grouping.

Every module that needs a Kish base, a weighted mean or SD by group, or a normal critical value
imports it from here; none recomputes them inline.

Everything here is vectorised: grouped sums are one :func:`numpy.bincount` over integer codes.

References
----------
Kish, L. (1965). *Survey Sampling*. New York: Wiley (effective sample size, section 11.7).
Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
*Journal of the American Statistical Association*, 22(158), 209-212.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

import numpy as np
import pandas as pd

from needlab.errors import ConfigError, DataError

__all__ = [
    "numerical_hessian",
    "codes_of",
    "mixed_types_note",
    "effective_n",
    "effective_n_by",
    "grouped_sum",
    "kish_base",
    "weighted_mean_se",
    "wilson_interval",
    "z_value",
]


def z_value(ci: float) -> float:
    """Two-sided standard-normal critical value for a confidence level *ci*.

    Examples
    --------
    >>> round(z_value(0.95), 4)
    1.96
    """
    if not (isinstance(ci, (int, float)) and not isinstance(ci, bool) and 0 < float(ci) < 1):
        raise ConfigError(
            f"ci must be a confidence level strictly between 0 and 1 (e.g. 0.95), got {ci!r}."
        )
    from scipy.stats import norm

    return float(norm.ppf(0.5 + float(ci) / 2))


def effective_n(w: np.ndarray) -> float:
    """Kish effective base ``(sum w)^2 / sum w^2`` (Kish 1965); 0 when all weights are 0.

    Examples
    --------
    >>> effective_n(np.array([1.0, 1.0, 2.0]))
    2.6666666666666665
    """
    w = np.asarray(w, dtype=float)
    s2 = float(np.sum(w * w))
    return float(np.sum(w)) ** 2 / s2 if s2 > 0 else 0.0


def kish_base(sum_w: Any, sum_w2: Any) -> np.ndarray:
    """Kish effective base ``(sum w)^2 / sum w^2`` from the sums themselves (element-wise); 0
    where ``sum w^2`` is 0 (no weight). For cells, columns or groups whose sums are already
    counted, e.g. by a bincount or an engine.

    Examples
    --------
    >>> kish_base(np.array([4.0, 0.0]), np.array([6.0, 0.0])).tolist()
    [2.6666666666666665, 0.0]
    """
    s = np.asarray(sum_w, dtype=float)
    s2 = np.asarray(sum_w2, dtype=float)
    ok = s2 > 0
    return np.where(ok, s * s / np.where(ok, s2, 1.0), 0.0)


def grouped_sum(codes: np.ndarray, k: int, w: np.ndarray | None = None) -> np.ndarray:
    """Sum of *w* (or counts) per code ``0..k-1``; codes < 0 (missing) are ignored."""
    keep = codes >= 0
    return np.bincount(codes[keep], weights=None if w is None else w[keep], minlength=k)[:k].astype(
        float
    )


def effective_n_by(codes: np.ndarray, k: int, w: np.ndarray) -> np.ndarray:
    """Kish effective base per code ``0..k-1`` (0 where a group has no weight)."""
    return kish_base(grouped_sum(codes, k, w), grouped_sum(codes, k, w * w))


def wilson_interval(
    p: np.ndarray | float, n: np.ndarray | float, ci: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson (1927) score interval for a proportion *p* on a base *n* (may be fractional).

    ``(p + z^2/(2n) -+ z sqrt(p(1-p)/n + z^2/(4n^2))) / (1 + z^2/n)``; NaN where ``n <= 0``.
    With weights, pass the Kish effective base as *n*.

    Examples
    --------
    >>> lo, hi = wilson_interval(0.5, 10)
    >>> round(float(lo), 4), round(float(hi), 4)
    (0.2366, 0.7634)
    """
    z = z_value(ci)
    p = np.asarray(p, dtype=float)
    n = np.asarray(n, dtype=float)
    ok = n > 0
    ns = np.where(ok, n, 1.0)
    denom = 1 + z * z / ns
    centre = (p + z * z / (2 * ns)) / denom
    half = z * np.sqrt(np.clip(p * (1 - p), 0, None) / ns + z * z / (4 * ns * ns)) / denom
    lo = np.where(p <= 0, 0.0, np.clip(centre - half, 0.0, 1.0))
    hi = np.where(p >= 1, 1.0, np.clip(centre + half, 0.0, 1.0))
    lo, hi = np.where(ok, lo, np.nan), np.where(ok, hi, np.nan)
    return lo, hi


def weighted_mean_se(
    codes: np.ndarray, k: int, x: np.ndarray, w: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-group weighted mean, weighted SD and SE of the mean (SD / sqrt(n_eff)).

    The variance is ``sum w (x - m)^2 / (V1 - V2 / V1)`` with ``V1 = sum w`` and
    ``V2 = sum w^2`` (reliability weights), which is the usual ``n - 1`` sample variance when
    all weights are equal. Rows with ``codes < 0`` or missing *x* are ignored.
    """
    c = np.where(np.isnan(x), -1, codes)
    xs = np.where(np.isnan(x), 0.0, x)
    v1 = grouped_sum(c, k, w)
    v2 = grouped_sum(c, k, w * w)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = grouped_sum(c, k, w * xs) / v1
        dev = xs - np.where(c >= 0, mean[np.clip(c, 0, None)] if k else 0.0, 0.0)
        ss = grouped_sum(c, k, w * dev * dev)
        denom = v1 - v2 / v1
        ok = denom > 1e-9 * v1  # relative: one respondent gives 0 up to rounding, not > 0
        sd = np.sqrt(np.where(ok, ss / np.where(ok, denom, 1.0), np.nan))
        neff = np.where(v2 > 0, v1 * v1 / np.where(v2 > 0, v2, 1.0), 0.0)
        se = np.where(neff > 0, sd / np.sqrt(np.where(neff > 0, neff, 1.0)), np.nan)
    mean = np.where(v1 > 0, mean, np.nan)
    return mean, sd, se


def codes_of(
    s: pd.Series, name: Hashable, *, keep_unused: bool = True, allow_mixed: bool = False
) -> tuple[np.ndarray, pd.Index]:
    """Integer codes (-1 = missing) and the categories of *s*.

    A categorical keeps its category order (all categories when *keep_unused*, else only the
    observed ones, still in category order); anything else is sorted by value.

    Raises
    ------
    DataError
        Values of mixed types (numbers and text in one column, e.g. ``5`` and ``"5"``), unless
        *allow_mixed* (then numbers sort before text and the caller adds a note).

    Examples
    --------
    >>> codes, cats = codes_of(pd.Series(["b", "a", None, "b"]), "x")
    >>> codes.tolist(), list(cats)
    ([1, 0, -1, 1], ['a', 'b'])
    """
    if isinstance(s.dtype, pd.CategoricalDtype):
        codes = s.cat.codes.to_numpy().astype(np.int64)
        cats = pd.Index(s.cat.categories)
        if not keep_unused:
            used = np.bincount(codes[codes >= 0], minlength=len(cats)) > 0
            remap = np.cumsum(used) - 1
            codes = np.where(codes >= 0, remap[np.clip(codes, 0, None)], -1)
            cats = cats[used]
        return codes, cats
    try:
        codes, cats = pd.factorize(s, sort=True, use_na_sentinel=True)
    except TypeError as exc:
        types = sorted({type(v).__name__ for v in s.dropna().to_numpy()})
        raise DataError(
            f"column {name!r} mixes value types ({', '.join(types)}) that cannot be ordered; "
            f"convert it to one type, e.g. data[{name!r}].astype(str), or make it a categorical."
        ) from exc
    if not allow_mixed and s.dtype == object:
        # The types of the distinct values (a few), not of every row.
        note = _mixed_note(cats, name)
        if note:
            raise DataError(
                note.split(";")[0] + "; convert it to one type, e.g. "
                f"data[{name!r}].astype(str), or make it a categorical."
            )
    return np.asarray(codes, dtype=np.int64), pd.Index(cats)


def numerical_hessian(f: Any, x0: np.ndarray, h: float = 1e-4) -> np.ndarray:
    """Central-difference Hessian of a scalar function *f* at *x0* (step *h* on every axis):
    ``H_ij = (f(x+e_i+e_j) - f(x+e_i-e_j) - f(x-e_i+e_j) + f(x-e_i-e_j)) / (4 h^2)``, the
    observed information of a negative log-likelihood for its standard errors.

    Examples
    --------
    >>> numerical_hessian(lambda x: x[0] ** 2 + 3 * x[0] * x[1], np.array([1.0, 2.0])).round(6)
    array([[2., 3.],
           [3., 0.]])
    """
    k = len(x0)
    H = np.empty((k, k))
    for i in range(k):
        for j in range(i, k):
            ei = np.zeros(k)
            ej = np.zeros(k)
            ei[i] = h
            ej[j] = h
            H[i, j] = H[j, i] = (
                f(x0 + ei + ej) - f(x0 + ei - ej) - f(x0 - ei + ej) + f(x0 - ei - ej)
            ) / (4 * h * h)
    return H


def mixed_types_note(s: pd.Series, name: Hashable) -> str | None:
    """A note when an object column mixes numbers and text (often a recoding slip, e.g. 5 and "5")."""
    if s.dtype != object:
        return None
    return _mixed_note(s.dropna().unique(), name)


def _mixed_note(values: Iterable[Any], name: Hashable) -> str | None:
    """The mixed-types note for the distinct non-missing *values* of a column."""
    kinds = {
        "text"
        if isinstance(v, str)
        else "number"
        if isinstance(v, (int, float, np.number))
        else type(v).__name__
        for v in values
    }
    if len(kinds) > 1:
        return (
            f"column {name!r} mixes value types ({', '.join(sorted(kinds))}); numbers are "
            "listed before text. Check the coding (e.g. 5 and '5' count as different values)."
        )
    return None
