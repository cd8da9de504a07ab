"""Exploratory factor analysis of attitude and lifestyle batteries.

The number of factors comes from Horn's parallel analysis; the factors are extracted by maximum
likelihood (the algorithm of R's ``stats::factanal``) or iterated principal axes, rotated
(varimax, promax, or none) and scored per respondent (regression scores), so that the scores can
feed a psychographic segmentation.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from needlab._result import Result
from needlab._stats import effective_n
from needlab._types import RandomState, Weights
from needlab._validate import (
    as_design,
    check_columns,
    check_numeric,
    check_option,
    check_weights,
    complete_rows,
    preview,
)
from needlab.errors import ConfigError, DataError, SchemaError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from needlab.io.read import Survey

__all__ = ["FactorResult", "factors", "promax", "varimax"]


# ----------------------------------------------------------------------------- linear algebra
def _weighted_cov(X: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted mean and covariance as R's ``cov.wt`` (method "unbiased").

    With weights normalised to sum 1: ``cov = sum w (x - m)(x - m)' / (1 - sum w^2)``; equal
    weights give the usual ``n - 1`` covariance.
    """
    wn = w / w.sum()
    mean = wn @ X
    Xc = X - mean
    cov = (Xc * wn[:, None]).T @ Xc / (1 - np.sum(wn**2))
    return mean, cov


def varimax(
    loadings: np.ndarray, *, normalize: bool = True, eps: float = 1e-5, max_iter: int = 1000
) -> tuple[np.ndarray, np.ndarray]:
    """Varimax rotation (Kaiser 1958), the algorithm of R's ``stats::varimax``.

    Returns the rotated loadings and the orthogonal rotation matrix ``T`` (rotated =
    loadings @ T).

    Examples
    --------
    >>> L = np.array([[0.8, 0.3], [0.7, 0.4], [0.3, 0.8], [0.2, 0.7]])
    >>> rot, T = varimax(L)
    >>> np.allclose(T @ T.T, np.eye(2)), np.allclose(rot, L @ T)
    (True, True)
    """
    x = np.asarray(loadings, dtype=float)
    p, nc = x.shape
    if nc < 2:
        return x.copy(), np.eye(nc)
    sc = np.sqrt((x**2).sum(axis=1)) if normalize else np.ones(p)
    sc = np.where(sc > 0, sc, 1.0)
    x = x / sc[:, None]
    T = np.eye(nc)
    d = 0.0
    for _ in range(max_iter):
        z = x @ T
        B = x.T @ (z**3 - z * ((z**2).sum(axis=0) / p))
        u, s, vt = np.linalg.svd(B)
        T = u @ vt
        d_past, d = d, s.sum()
        if d < d_past * (1 + eps):
            break
    return (x @ T) * sc[:, None], T


def promax(loadings: np.ndarray, *, m: int = 4) -> tuple[np.ndarray, np.ndarray]:
    """Promax oblique rotation (Hendrickson & White 1964), as R's ``stats::promax``.

    Returns the pattern loadings and the rotation matrix ``U`` (pattern = loadings @ U); the
    factor correlations are ``inv(U' U)``.
    """
    x0 = np.asarray(loadings, dtype=float)
    if x0.shape[1] < 2:
        return x0.copy(), np.eye(x0.shape[1])
    x, T = varimax(x0)
    Q = x * np.abs(x) ** (m - 1)
    U = np.linalg.lstsq(x, Q, rcond=None)[0]
    d = np.diag(np.linalg.inv(U.T @ U))
    U = U * np.sqrt(d)[None, :]
    return x @ U, T @ U


# ----------------------------------------------------------------------------- extraction
def _fa_loadings(psi: np.ndarray, S: np.ndarray, q: int) -> np.ndarray:
    sc = 1 / np.sqrt(psi)
    vals, vecs = np.linalg.eigh(S * sc[:, None] * sc[None, :])
    vals, vecs = vals[::-1], vecs[:, ::-1]
    load = vecs[:, :q] * np.sqrt(np.maximum(vals[:q] - 1, 0))
    return np.sqrt(psi)[:, None] * load


def _fa_objective(psi: np.ndarray, S: np.ndarray, q: int) -> float:
    sc = 1 / np.sqrt(psi)
    e = np.linalg.eigvalsh(S * sc[:, None] * sc[None, :])[::-1][q:]
    return -(np.sum(np.log(e) - e) - q + S.shape[0])


def _fa_gradient(psi: np.ndarray, S: np.ndarray, q: int) -> np.ndarray:
    load = _fa_loadings(psi, S, q)
    g = load @ load.T + np.diag(psi) - S
    return np.diag(g) / psi**2


def _ml(S: np.ndarray, q: int) -> tuple[np.ndarray, np.ndarray, float, bool]:
    """Maximum-likelihood factor analysis of a correlation matrix, as R's ``factanal``.

    Minimises the concentrated discrepancy over the uniquenesses with L-BFGS-B (bounds 0.005 and
    1, start ``(1 - q / 2p) / diag(inv(S))``), as Joreskog (1967) and ``factanal.fit.mle``.
    """
    from scipy.optimize import minimize

    p = S.shape[0]
    start = (1 - 0.5 * q / p) / np.diag(np.linalg.inv(S))
    res = minimize(
        _fa_objective,
        start,
        args=(S, q),
        jac=_fa_gradient,
        method="L-BFGS-B",
        bounds=[(0.005, 1.0)] * p,
        options={"ftol": 1e-14, "gtol": 1e-10, "maxiter": 2000},
    )
    psi = res.x
    return _fa_loadings(psi, S, q), psi, float(res.fun), bool(res.success)


def _principal_axis(
    R: np.ndarray, q: int, *, tol: float = 1e-8, max_iter: int = 1000
) -> tuple[np.ndarray, np.ndarray, bool]:
    """Iterated principal-axis factoring from squared multiple correlations (as psych ``fm="pa"``)."""
    h2 = 1 - 1 / np.diag(np.linalg.inv(R))
    converged = False
    for _ in range(max_iter):
        Rr = R.copy()
        np.fill_diagonal(Rr, h2)
        vals, vecs = np.linalg.eigh(Rr)
        vals, vecs = vals[::-1][:q], vecs[:, ::-1][:, :q]
        L = vecs * np.sqrt(np.maximum(vals, 0))
        new = (L**2).sum(axis=1)
        if np.max(np.abs(new - h2)) < tol:
            converged = True
            h2 = new
            break
        h2 = new
    return L, 1 - h2, converged


def _sort_loadings(L: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Order factors by decreasing sum of squared loadings and make column sums positive."""
    order = np.argsort(-(L**2).sum(axis=0), kind="stable")
    L = L[:, order]
    sign = np.where(L.sum(axis=0) < 0, -1.0, 1.0)
    return L * sign, order, sign


def _parallel(
    n: int, p: int, w: np.ndarray, n_iter: int, quantile: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Eigenvalues of (weighted) correlation matrices of independent normal data (Horn 1965)."""
    wn = w / w.sum()
    corr_factor = 1 / (1 - np.sum(wn**2))
    chunk = max(1, int(4_000_000 // max(n * p, 1)))
    eig = np.empty((n_iter, p))
    for start in range(0, n_iter, chunk):  # loop over simulation batches, not rows
        b = min(chunk, n_iter - start)
        Z = rng.standard_normal((b, n, p))
        Z -= np.einsum("n,bnp->bp", wn, Z)[:, None, :]
        C = np.einsum("bni,bnj->bij", Z * wn[None, :, None], Z) * corr_factor
        sd = np.sqrt(np.einsum("bii->bi", C))
        C = C / sd[:, :, None] / sd[:, None, :]
        eig[start : start + b] = np.linalg.eigvalsh(C)[:, ::-1]
    return eig.mean(axis=0), np.quantile(eig, quantile, axis=0)


# ----------------------------------------------------------------------------- result
@dataclass(frozen=True, repr=False)
class FactorResult(Result):
    """Result of :func:`factors`.

    Attributes
    ----------
    table : DataFrame
        Loadings per item (columns described in :func:`factors`).
    scree : DataFrame
        Eigenvalues and parallel-analysis thresholds per component.
    variance : DataFrame
        Variance explained per factor.
    scores : DataFrame
        Factor scores per respondent, index of ``data``; NaN for excluded rows.
    phi : DataFrame or None
        Factor correlations (oblique rotation only).
    rotation_matrix : ndarray
        Matrix ``M`` with rotated = unrotated @ M (before the factors are sorted).
    n_factors : int
    method, rotation : str
    statistic, dof, p_value : float
        Likelihood-ratio test that ``n_factors`` are sufficient (ML only), with Bartlett's
        correction as in ``factanal``; NaN otherwise.
    n_used, n_excluded : int
        Respondents (rows) used, and excluded for a missing item or a zero weight.
    """

    scree: pd.DataFrame | None = None
    variance: pd.DataFrame | None = None
    scores: pd.DataFrame | None = None
    phi: pd.DataFrame | None = None
    rotation_matrix: np.ndarray | None = None
    n_factors: int = 0
    method: str = "ml"
    rotation: str = "varimax"
    statistic: float = float("nan")
    dof: float = float("nan")
    p_value: float = float("nan")

    title = "Factor analysis"

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "factors": self.n_factors,
            "method": self.method,
            "rotation": self.rotation,
        }
        if self.variance is not None and len(self.variance):
            out["variance explained"] = float(self.variance["cumulative"].iloc[-1])
        if np.isfinite(self.statistic):
            out["chi-square"] = self.statistic
            out["dof"] = int(self.dof)
            out["p value"] = self.p_value
        return out

    def tables(self) -> dict[str, pd.DataFrame]:
        out = {"loadings": self.table}
        for name in ("variance", "scree", "phi"):
            t = getattr(self, name)
            if t is not None:
                out[name] = t.reset_index() if name == "phi" else t
        return out

    def plot(
        self, ax: Axes | None = None, kind: Literal["scree", "loadings"] = "scree", **kwargs: Any
    ) -> Axes:
        """Scree plot with the parallel-analysis line, or a loadings heatmap.

        See :func:`needlab.regress.plot.scree` and :func:`needlab.regress.plot.loadings`.
        """
        from needlab.regress import plot as rplot

        check_option(kind, ("scree", "loadings"), "kind")
        return (rplot.scree if kind == "scree" else rplot.loadings)(self, ax=ax, **kwargs)


def factors(
    data: pd.DataFrame | Survey,
    vars: Sequence[Hashable],
    *,
    n_factors: int | Literal["auto"] = "auto",
    rotation: Literal["varimax", "promax", "none"] = "varimax",
    weights: Weights = None,
    method: Literal["ml", "principal"] = "ml",
    n_iter: int = 100,
    quantile: float = 0.95,
    random_state: RandomState = None,
) -> FactorResult:
    """Exploratory factor analysis with parallel analysis, rotation and factor scores.

    Steps:

    1. The (weighted) correlation matrix of the items over complete rows (weights as R's
       ``cov.wt``).
    2. Number of factors (``n_factors="auto"``): Horn's parallel analysis. The eigenvalues of the
       correlation matrix are compared with the ``quantile`` (default 95%, Glorfeld 1995)
       of the eigenvalues of ``n_iter`` correlation matrices of independent normal data of the
       same size (and weights, seeded by ``random_state``); the number of leading eigenvalues
       above their random counterpart is retained (at least 1). For ML the number is capped so
       that the model's degrees of freedom stay >= 0.
    3. Extraction: ``"ml"`` maximum likelihood with the algorithm of R's ``stats::factanal``
       (Joreskog 1967), or ``"principal"``: iterated principal-axis factoring from squared
       multiple correlations.
    4. Rotation: ``"varimax"`` (orthogonal, Kaiser normalisation, as R's ``varimax``),
       ``"promax"`` (oblique, power 4, as R's ``promax``; loadings are the pattern matrix and
       ``phi`` the factor correlations) or ``"none"``. Factors are then ordered by decreasing
       sum of squared loadings and signed so that each column of loadings sums positive.
    5. Scores: Thomson's regression scores ``Z inv(R) L`` (times ``phi`` for promax, as
       ``factanal``), with ``Z`` the items standardised by their weighted means and SDs.

    Parameters
    ----------
    data : DataFrame or Survey
        One row per respondent (a :class:`~needlab.Survey` gives its codes).
    vars : list of str
        The battery's numeric item columns (at least 3).
    n_factors : int or "auto", default "auto"
        Number of factors, or parallel analysis.
    rotation : {"varimax", "promax", "none"}, default "varimax"
    weights : str, array, None or False, optional
        Survey weights (column name or array). ``None`` on a Survey takes its codebook's
        weight column; ``False`` is unweighted. Zero-weight rows are excluded.
    method : {"ml", "principal"}, default "ml"
    n_iter : int, default 100
        Random data sets of the parallel analysis.
    quantile : float, default 0.95
        Quantile of the random eigenvalues used as threshold.
    random_state : int, Generator or None, default None
        Seed of the parallel analysis; pass one so that the number of factors chosen by
        ``n_factors="auto"`` repeats exactly (``None`` draws fresh random data each call).

    Returns
    -------
    FactorResult
        ``.table`` has one row per item with columns ``item``; ``F1`` .. ``Fk``: the rotated
        loadings (correlations of item and factor for orthogonal rotations, pattern
        coefficients for promax); ``communality``: the share of the item's variance explained
        by the factors (1 - uniqueness); ``uniqueness``; ``factor``: the factor with the largest
        absolute loading.

        ``.scree`` has one row per component: ``component`` (1..p), ``eigenvalue`` (of the
        correlation matrix), ``random_mean`` and ``random_quantile`` (parallel analysis),
        ``proportion`` and ``cumulative`` (eigenvalue / p), ``retained`` (within the
        parallel-analysis count).

        ``.variance`` has one row per factor: ``factor``, ``ss_loadings`` (sum of squared
        loadings), ``proportion`` (ss_loadings / number of items), ``cumulative``.

        ``.scores``: columns ``F1`` .. ``Fk`` on the index of ``data``, NaN for excluded rows.

        ``n_used`` / ``n_excluded``: respondents used, and left out (listwise: a missing item
        or a zero weight; see ``.notes``).

    Raises
    ------
    SchemaError
        A missing column or fewer than 3 items.
    DataError
        Non-numeric items, a constant item, invalid weights, fewer complete rows than items + 1,
        or a singular correlation matrix (e.g. duplicated items).
    ConfigError
        Invalid ``n_factors``, ``method``, ``rotation``, ``n_iter`` or ``quantile``.

    References
    ----------
    Horn, J. L. (1965). A rationale and test for the number of factors in factor analysis.
    *Psychometrika*, 30(2), 179-185.

    Glorfeld, L. W. (1995). An improvement on Horn's parallel analysis methodology for selecting
    the correct number of factors to retain. *Educational and Psychological Measurement*,
    55(3), 377-393.

    Joreskog, K. G. (1967). Some contributions to maximum likelihood factor analysis.
    *Psychometrika*, 32(4), 443-482.

    Kaiser, H. F. (1958). The varimax criterion for analytic rotation in factor analysis.
    *Psychometrika*, 23(3), 187-200.

    Hendrickson, A. E., & White, P. O. (1964). Promax: a quick method for rotation to oblique
    simple structure. *British Journal of Statistical Psychology*, 17(1), 65-70.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> f = rng.normal(size=(500, 2))
    >>> load = np.array([[.8, 0], [.7, 0], [.75, 0], [0, .8], [0, .7], [0, .75]])
    >>> df = pd.DataFrame(f @ load.T + rng.normal(0, .6, (500, 6)),
    ...                   columns=["a1", "a2", "a3", "b1", "b2", "b3"])
    >>> res = factors(df, list(df.columns), random_state=0)
    >>> res.n_factors
    2
    >>> res.table.set_index("item")["factor"].to_dict()
    {'a1': 'F2', 'a2': 'F2', 'a3': 'F2', 'b1': 'F1', 'b2': 'F1', 'b3': 'F1'}
    """
    from scipy import stats

    dsg = as_design(data, weights=weights)
    data, weights = dsg.data, dsg.weights
    if isinstance(vars, str) or not isinstance(vars, Sequence) or len(vars) < 3:
        raise SchemaError("vars must be a list of at least 3 column names (the items).")
    items = list(vars)
    check_columns(data, items)
    check_option(method, ("ml", "principal"), "method")
    check_option(rotation, ("varimax", "promax", "none"), "rotation")
    if not (isinstance(n_iter, (int, np.integer)) and n_iter >= 10):
        raise ConfigError(f"n_iter must be an integer >= 10, got {n_iter!r}.")
    if not (isinstance(quantile, float) and 0 < quantile < 1):
        raise ConfigError(f"quantile must be a number between 0 and 1, got {quantile!r}.")
    w_all = check_weights(data, dsg.weights)
    frame = pd.DataFrame({c: check_numeric(data, c) for c in items})
    keep, n_excluded, note = complete_rows(frame, items, w_all)
    X = frame.to_numpy()[keep]
    w = np.ones(len(X)) if w_all is None else w_all[keep]
    p, n = len(items), len(X)
    if n < p + 1:
        raise DataError(
            f"{n} complete rows (positive weight) for {p} items; at least {p + 1} needed."
        )
    mean, cov = _weighted_cov(X, w)
    sd = np.sqrt(np.diag(cov))
    const = [c for c, s in zip(items, sd, strict=True) if not s > 1e-12]
    if const:
        raise DataError(f"items {preview(const)} are constant over the complete rows; remove them.")
    R = cov / sd[:, None] / sd[None, :]
    evals = np.linalg.eigvalsh(R)[::-1]
    if evals[-1] < 1e-10:
        raise DataError(
            "the items' correlation matrix is singular (an item is an exact combination of others, "
            "for example a duplicated item or a total score); drop the redundant item."
        )
    notes: list[str] = [note] if note else []
    n_eff = effective_n(w)

    rng = np.random.default_rng(random_state)
    r_mean, r_q = _parallel(n, p, w, n_iter, quantile, rng)
    above = evals > r_q
    n_pa = int(np.argmin(above)) if not above.all() else p
    max_k = p - 1
    if method == "ml":
        ks = np.arange(1, p)
        ok = ((p - ks) ** 2 - (p + ks)) >= 0
        max_k = int(ks[ok].max()) if ok.any() else 0
        if max_k == 0:
            raise DataError(
                f"{p} items are too few for a maximum-likelihood factor model; "
                "use method='principal' or more items."
            )
    if n_factors == "auto":
        k = max(1, n_pa)
        if k > max_k:
            notes.append(
                f"parallel analysis suggests {k} factors; capped at {max_k}, the most "
                f"{p} items allow with method={method!r}."
            )
            k = max_k
    else:
        if not (isinstance(n_factors, (int, np.integer)) and 1 <= n_factors <= max_k):
            raise ConfigError(
                f"n_factors={n_factors!r} is not valid; give 'auto' or an integer "
                f"from 1 to {max_k} for {p} items with method={method!r}."
            )
        k = int(n_factors)

    statistic = dof = p_value = float("nan")
    if method == "ml":
        L, psi, objective, converged = _ml(R, k)
        dof = float(((p - k) ** 2 - (p + k)) / 2)
        if dof > 0:
            statistic = float((n_eff - 1 - (2 * p + 5) / 6 - 2 * k / 3) * objective)
            p_value = float(stats.chi2.sf(statistic, dof))
        if np.any(psi <= 0.0051):
            notes.append(
                "a uniqueness reached the lower bound 0.005 (Heywood case): an item is "
                "almost fully explained; read its loadings with care."
            )
    else:
        L, psi, converged = _principal_axis(R, k)
        if np.any(psi < 0):
            notes.append("a communality exceeds 1 (Heywood case); consider fewer factors.")
    if not converged:
        notes.append("the extraction did not fully converge; results are approximate.")

    phi = None
    if rotation == "varimax" and k > 1:
        Lr, M = varimax(L)
    elif rotation == "promax" and k > 1:
        Lr, M = promax(L)
        phi = np.linalg.inv(M.T @ M)
    else:
        Lr, M = L.copy(), np.eye(k)
    Lr, order, sign = _sort_loadings(Lr)
    if phi is not None:
        phi = phi[np.ix_(order, order)] * np.outer(sign, sign)

    names = [f"F{i + 1}" for i in range(k)]
    table = pd.DataFrame(Lr, columns=names)
    table.insert(0, "item", items)
    table["communality"] = 1 - psi
    table["uniqueness"] = psi
    table["factor"] = [names[i] for i in np.argmax(np.abs(Lr), axis=1)]

    if phi is None:
        ss = (Lr**2).sum(axis=0)
    else:  # oblique: variance of each factor including its correlations (as psych)
        ss = np.diag(phi @ Lr.T @ Lr)
    variance = pd.DataFrame(
        {"factor": names, "ss_loadings": ss, "proportion": ss / p, "cumulative": np.cumsum(ss / p)}
    )
    scree = pd.DataFrame(
        {
            "component": np.arange(1, p + 1),
            "eigenvalue": evals,
            "random_mean": r_mean,
            "random_quantile": r_q,
            "proportion": evals / p,
            "cumulative": np.cumsum(evals) / p,
            "retained": np.arange(p) < n_pa,
        }
    )

    Z = (X - mean) / sd
    coef = np.linalg.solve(R, Lr)
    if phi is not None:
        coef = coef @ phi
    sc = np.full((len(data), k), np.nan)
    sc[keep] = Z @ coef
    scores = pd.DataFrame(sc, index=data.index, columns=names)
    phi_df = None if phi is None else pd.DataFrame(phi, index=names, columns=names)
    return FactorResult(
        table,
        scree=scree,
        variance=variance,
        scores=scores,
        phi=phi_df,
        rotation_matrix=M,
        n_factors=k,
        method=method,
        rotation=rotation,
        statistic=statistic,
        dof=dof,
        p_value=p_value,
        n_used=int(n),
        n_excluded=n_excluded,
        notes=tuple(notes),
    )
