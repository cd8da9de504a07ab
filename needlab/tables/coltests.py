"""Significance tests between the columns of a table: proportions, means, adjustment, letters.

All functions take arrays that broadcast (a table's rows x column pairs at once): no loop over
cells. Bases are Kish effective bases e = (sum w)^2 / sum w^2 (Kish 1965), which equal the
unweighted counts when there are no weights.

References
----------
Kish, L. (1965). *Survey Sampling*. Wiley.
IBM (2019). *SPSS Statistics Custom Tables algorithms: column proportions and column means
tests* (the "Dimensions" convention with effective bases).
Benjamini, Y., & Hochberg, Y. (1995). Controlling the false discovery rate. *JRSS B*, 57(1).
"""

from __future__ import annotations

from typing import Literal

import numpy as np

__all__ = ["adjust_pvalues", "letters_for", "mean_test", "proportion_test"]

Method = Literal["pooled_z", "dimensions", "unpooled_z"]


def proportion_test(
    p_a: np.ndarray,
    p_b: np.ndarray,
    e_a: np.ndarray,
    e_b: np.ndarray,
    *,
    w_a: np.ndarray | None = None,
    w_b: np.ndarray | None = None,
    method: Method = "pooled_z",
) -> tuple[np.ndarray, np.ndarray]:
    """Two-sided test of two column proportions.

    Parameters
    ----------
    p_a, p_b : array
        The proportions of the two columns.
    e_a, e_b : array
        Their effective bases.
    w_a, w_b : array, optional
        Their weighted bases (``"dimensions"`` pools on weighted counts); default the
        effective bases.
    method : {"pooled_z", "dimensions", "unpooled_z"}
        - ``"pooled_z"``: p = (p_a e_a + p_b e_b) / (e_a + e_b),
          z = (p_a - p_b) / sqrt(p (1 - p) (1/e_a + 1/e_b)), normal p value.
        - ``"dimensions"``: p = (p_a w_a + p_b w_b) / (w_a + w_b) (pooled on weighted counts),
          the same standard error on effective bases, t distribution with
          df = e_a + e_b - 2 (the SPSS Dimensions / Unicom convention).
        - ``"unpooled_z"``: z = (p_a - p_b) / sqrt(p_a (1 - p_a)/e_a + p_b (1 - p_b)/e_b).

    Returns
    -------
    statistic, p_value : arrays
        NaN where the test is impossible: an empty column, or a zero standard error (both
        proportions 0 or both 1).

    Examples
    --------
    >>> z, p = proportion_test(np.array(0.6), np.array(0.4), np.array(100.), np.array(100.))
    >>> round(float(z), 4), round(float(p), 4)
    (2.8284, 0.0047)
    """
    from scipy import special

    p_a, p_b, e_a, e_b = (np.asarray(x, dtype=float) for x in (p_a, p_b, e_a, e_b))
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "unpooled_z":
            var = p_a * (1 - p_a) / e_a + p_b * (1 - p_b) / e_b
        else:
            if method == "dimensions":
                wa = e_a if w_a is None else np.asarray(w_a, dtype=float)
                wb = e_b if w_b is None else np.asarray(w_b, dtype=float)
                pool = (p_a * wa + p_b * wb) / (wa + wb)
            else:
                pool = (p_a * e_a + p_b * e_b) / (e_a + e_b)
            var = pool * (1 - pool) * (1 / e_a + 1 / e_b)
        ok = (e_a > 0) & (e_b > 0) & (var > 1e-15)
        stat = np.where(ok, (p_a - p_b) / np.sqrt(np.where(ok, var, 1.0)), np.nan)
        if method == "dimensions":
            df = e_a + e_b - 2
            ok &= df > 0
            stat = np.where(ok, stat, np.nan)
            pval = 2 * special.stdtr(np.where(ok, df, 1.0), -np.abs(stat))  # t upper tail
        else:
            pval = 2 * special.ndtr(-np.abs(stat))  # normal upper tail
    return stat, np.where(ok, pval, np.nan)


def mean_test(
    m_a: np.ndarray,
    m_b: np.ndarray,
    se_a: np.ndarray,
    se_b: np.ndarray,
    e_a: np.ndarray,
    e_b: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Welch's t test of two column means.

    t = (m_a - m_b) / sqrt(se_a^2 + se_b^2), with Welch-Satterthwaite degrees of freedom
    df = (se_a^2 + se_b^2)^2 / (se_a^4/(e_a - 1) + se_b^4/(e_b - 1)) on effective bases
    (Welch 1947).

    Examples
    --------
    >>> t, p = mean_test(np.array(3.0), np.array(2.5), np.array(0.1), np.array(0.2),
    ...                  np.array(50.), np.array(40.))
    >>> round(float(t), 4)
    2.2361
    """
    from scipy import special

    m_a, m_b, se_a, se_b, e_a, e_b = (
        np.asarray(x, dtype=float) for x in (m_a, m_b, se_a, se_b, e_a, e_b)
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        va, vb = se_a**2, se_b**2
        var = va + vb
        df = var**2 / (va**2 / (e_a - 1) + vb**2 / (e_b - 1))
        ok = (e_a > 1) & (e_b > 1) & (var > 1e-15) & np.isfinite(var)
        stat = np.where(ok, (m_a - m_b) / np.sqrt(np.where(ok, var, 1.0)), np.nan)
        pval = 2 * special.stdtr(np.where(ok & (df > 0), df, 1.0), -np.abs(stat))
    return stat, np.where(ok, pval, np.nan)


def adjust_pvalues(p: np.ndarray, method: Literal["bonferroni", "bh"] | None) -> np.ndarray:
    """Adjust p values for multiple comparisons along the last axis (NaN entries ignored).

    ``"bonferroni"``: p x m, capped at 1; ``"bh"``: Benjamini-Hochberg step-up adjusted p
    values. m counts the testable (non-NaN) comparisons of the family.

    Examples
    --------
    >>> adjust_pvalues(np.array([0.01, 0.04, np.nan, 0.03]), "bh").round(3).tolist()
    [0.03, 0.04, nan, 0.04]
    """
    p = np.asarray(p, dtype=float)
    if method is None:
        return p.copy()
    m = np.isfinite(p).sum(axis=-1, keepdims=True)
    if method == "bonferroni":
        return np.minimum(p * m, 1.0)
    order = np.argsort(np.where(np.isfinite(p), p, np.inf), axis=-1)
    ps = np.take_along_axis(p, order, axis=-1)
    rank = np.arange(1, p.shape[-1] + 1)
    with np.errstate(invalid="ignore"):
        q = ps * m / rank
    q = np.where(np.isfinite(q), q, np.inf)
    q = np.minimum.accumulate(q[..., ::-1], axis=-1)[..., ::-1]
    q = np.minimum(q, 1.0)
    out = np.empty_like(p)
    np.put_along_axis(out, order, q, axis=-1)
    return np.where(np.isfinite(p), out, np.nan)


def letters_for(
    diff: np.ndarray, p: np.ndarray, letters: list[str], alpha: float, alpha2: float | None = None
) -> np.ndarray:
    """Significance letters per cell from (rows, C, C) differences and p values.

    Cell (r, a) lists the letters of the columns b it is significantly *greater* than:
    upper case when p < alpha, lower case when alpha <= p < alpha2 (``alpha2`` > alpha).

    Examples
    --------
    >>> d = np.array([[[0, 0.2], [-0.2, 0]]]); p = np.array([[[np.nan, 0.01], [0.01, np.nan]]])
    >>> letters_for(d, p, ["A", "B"], 0.05).tolist()
    [['B', '']]
    """
    rows, c, _ = p.shape
    out = np.full((rows, c), "", dtype=object)
    for b, letter in enumerate(letters):  # a loop over columns, vectorised over cells
        hi = (diff[:, :, b] > 0) & (p[:, :, b] < alpha)
        out = np.where(hi, out + letter.upper(), out)
        if alpha2 is not None:
            lo = (diff[:, :, b] > 0) & (p[:, :, b] >= alpha) & (p[:, :, b] < alpha2)
            out = np.where(lo, out + letter.lower(), out)
    return out
