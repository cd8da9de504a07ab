"""Weighted least squares on a design matrix, shared by :func:`~needlab.regress.kda` and
:func:`~needlab.regress.trend`."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["WLSFit", "wls"]


@dataclass(frozen=True)
class WLSFit:
    """A weighted least-squares fit (see :func:`wls`).

    Attributes
    ----------
    coef, se, t, p : ndarray
        Coefficients, standard errors, t statistics and two-sided p values.
    df : int
        Residual degrees of freedom ``n - k``.
    r2 : float
        Weighted R squared (NaN when the outcome does not vary).
    rank : int
        Rank of the weighted design.
    sigma2 : float
        Residual variance (weighted residual sum of squares / df).
    cov : ndarray
        Covariance matrix of the coefficients.
    """

    coef: np.ndarray
    se: np.ndarray
    t: np.ndarray
    p: np.ndarray
    df: int
    r2: float
    rank: int
    sigma2: float
    cov: np.ndarray


def wls(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> WLSFit:
    """Weighted least squares as statsmodels ``WLS(y, X, weights=w).fit()``.

    The weights are analytic (inverse-variance) weights; t tests use ``n - k`` residual degrees
    of freedom. The pseudo-inverse makes it accurate for badly scaled columns.

    Parameters
    ----------
    X : ndarray, shape (n, k)
        Design matrix, intercept column included.
    y : ndarray, shape (n,)
    w : ndarray, shape (n,)
        Positive weights.

    Returns
    -------
    WLSFit

    References
    ----------
    Draper, N. R., & Smith, H. (1998). *Applied Regression Analysis* (3rd ed.), chapter 9
    (generalized and weighted least squares). Wiley.

    Examples
    --------
    >>> X = np.column_stack([np.ones(4), [0.0, 1.0, 2.0, 3.0]])
    >>> fit = wls(X, np.array([1.0, 3.0, 5.0, 7.5]), np.ones(4))
    >>> fit.coef.round(2).tolist(), fit.df
    ([0.9, 2.15], 2)
    """
    from scipy import stats

    sw = np.sqrt(w)
    Xw, yw = X * sw[:, None], y * sw
    pinv = np.linalg.pinv(Xw)
    rank = int(np.linalg.matrix_rank(Xw))
    beta = pinv @ yw
    n, k = X.shape
    df = n - k
    resid = yw - Xw @ beta
    sigma2 = float(resid @ resid) / df
    cov = sigma2 * (pinv @ pinv.T)
    se = np.sqrt(np.diag(cov))
    with np.errstate(divide="ignore", invalid="ignore"):
        t = beta / se
    p = 2 * stats.t.sf(np.abs(t), df)
    ybar = np.average(y, weights=w)
    tss = float(np.sum(w * (y - ybar) ** 2))
    r2 = 1 - float(resid @ resid) / tss if tss > 0 else float("nan")
    return WLSFit(coef=beta, se=se, t=t, p=p, df=df, r2=r2, rank=rank, sigma2=sigma2, cov=cov)
