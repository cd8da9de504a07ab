"""Key-driver (relative importance) analysis: exact Shapley / LMG, relative weights, dominance."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from needlab._progress import progress_bar
from needlab._result import Result
from needlab._types import RandomState, Weights
from needlab._validate import (
    as_design,
    check_columns,
    check_count,
    check_numeric,
    check_option,
    check_weights,
    complete_rows,
    preview,
)
from needlab.errors import ConfigError, DataError
from needlab.regress.shapley import (
    MAX_EXACT,
    all_subsets_r2,
    conditional_contributions,
    shapley_from_r2,
)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from needlab.io.read import Survey

__all__ = ["DriverResult", "key_drivers", "relative_weights", "weighted_corr"]

Method = Literal["shapley", "relative_weights", "dominance"]


@dataclass(frozen=True, repr=False)
class DriverResult(Result):
    """Result of :func:`key_drivers`.

    Attributes
    ----------
    table : DataFrame
        One row per driver: ``driver``, ``importance`` (its contribution to R squared; the
        contributions sum to ``r2``), ``share`` (importance / r2), ``rank`` (1 = most
        important), ``r`` (its correlation with the outcome), and ``importance_low``,
        ``importance_high``, ``share_low``, ``share_high`` (percentile bootstrap interval) when
        ``n_boot > 0``.
    r2 : float
        R squared of the full model (for a binary outcome: the R squared of the logistic
        relative-weights variant, see :func:`key_drivers`).
    conditional : DataFrame or None
        ``method="dominance"``: mean gain in R squared of each driver (rows) in models of each
        size 0..p-1 (columns).
    complete : DataFrame or None
        ``method="dominance"``: 1 where the row driver completely dominates the column driver
        (adds more R squared in every subset model of the others), 0 where it is dominated,
        0.5 where neither holds.
    n_used, n_excluded : int
        Respondents (rows) used, and left out (listwise: a missing outcome or driver value, or
        a zero weight).
    """

    r2: float = float("nan")
    method: str = "shapley"
    conditional: pd.DataFrame | None = None
    complete: pd.DataFrame | None = None
    outcome: Hashable = None

    @property
    def title(self) -> str:  # type: ignore[override]
        return f"Key drivers of {self.outcome}"

    def summary(self) -> dict[str, Any]:
        return {"method": self.method, "R squared": self.r2}

    def tables(self) -> dict[str, pd.DataFrame]:
        out = {"drivers": self.table}
        if self.conditional is not None:
            out["conditional dominance"] = self.conditional.reset_index()
        if self.complete is not None:
            out["complete dominance"] = self.complete.reset_index()
        return out

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Horizontal bars of the importance shares, with bootstrap intervals when present."""
        from needlab.regress.plot import driver_bars

        return driver_bars(self, ax=ax, **kwargs)


def weighted_corr(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted Pearson correlation matrix of the columns of *x* (weights as frequency weights).

    Examples
    --------
    >>> x = np.array([[1.0, 2.0], [2.0, 4.1], [3.0, 5.9]])
    >>> bool(np.allclose(weighted_corr(x, np.ones(3)), np.corrcoef(x.T)))
    True
    """
    w = w / w.sum()
    z = x - w @ x
    cov = (z * w[:, None]).T @ z
    sd = np.sqrt(np.diag(cov))
    return cov / np.outer(sd, sd)


def relative_weights(corr: np.ndarray) -> tuple[np.ndarray, float]:
    """Johnson's (2000) relative weights from a correlation matrix (predictors, then y).

    With R_xx = Q diag(l) Q' and Lambda = Q diag(sqrt(l)) Q' (the correlations of the
    predictors with their closest orthonormal counterparts Z), beta = Lambda^-1 r_xy, and the
    weight of predictor j is sum_k Lambda_jk^2 beta_k^2. The weights sum to R squared.

    References
    ----------
    Johnson, J. W. (2000). A heuristic method for estimating the relative weight of predictor
    variables in multiple regression. *Multivariate Behavioral Research*, 35(1), 1-19.
    """
    rxx, rxy = corr[:-1, :-1], corr[:-1, -1]
    vals, vecs = np.linalg.eigh(rxx)
    lam = vecs @ np.diag(np.sqrt(np.clip(vals, 0, None))) @ vecs.T
    beta = np.linalg.solve(lam, rxy)
    raw = (lam**2) @ (beta**2)
    return raw, float(np.sum(beta**2))


def _logistic_relative_weights(
    x: np.ndarray, y: np.ndarray, w: np.ndarray
) -> tuple[np.ndarray, float]:
    """Tonidandel & LeBreton's (2010) relative weights for a binary outcome.

    The predictors are standardised and replaced by their closest orthonormal counterparts
    Z = X R_xx^(-1/2) (Johnson 2000); a weighted logistic regression of y on Z gives b; b is
    standardised as b* = b R / sd(logit(p_hat)), with R the correlation of y and the fitted
    probability; weight_j = sum_k Lambda_jk^2 b*_k^2. The weights sum to R^2 = corr(y, p_hat)^2.

    References
    ----------
    Tonidandel, S., & LeBreton, J. M. (2010). Determining the relative importance of predictors
    in logistic regression: An extension of relative weight analysis. *Organizational Research
    Methods*, 13(4), 767-781.
    """
    import statsmodels.api as sm

    wn = w / w.sum()
    xs = (x - wn @ x) / np.sqrt(wn @ (x - wn @ x) ** 2)
    corr = weighted_corr(x, w)
    vals, vecs = np.linalg.eigh(corr)
    lam = vecs @ np.diag(np.sqrt(np.clip(vals, 0, None))) @ vecs.T
    inv_half = vecs @ np.diag(1 / np.sqrt(np.clip(vals, 1e-15, None))) @ vecs.T
    z = xs @ inv_half
    fit = sm.GLM(y, sm.add_constant(z), family=sm.families.Binomial(), var_weights=w).fit()
    b = np.asarray(fit.params)[1:]
    p_hat = np.asarray(fit.fittedvalues)
    logit = np.log(p_hat / (1 - p_hat))
    r = weighted_corr(np.column_stack([y, p_hat]), w)[0, 1]
    sd_logit = np.sqrt(wn @ (logit - wn @ logit) ** 2)
    b_star = b * r / sd_logit
    raw = (lam**2) @ (b_star**2)
    return raw, float(r**2)


def _prepare(
    data: pd.DataFrame, outcome: Hashable, drivers: list[Hashable], weights: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str], int]:
    check_columns(data, [outcome, *drivers])
    if len(set(drivers)) != len(drivers) or outcome in drivers:
        raise ConfigError(f"drivers must be distinct and exclude the outcome; got {drivers!r}.")
    w_all = check_weights(data, weights)
    cols = [outcome, *drivers]
    block = data[cols]
    bad = [
        c
        for c in cols
        if not (
            pd.api.types.is_numeric_dtype(block[c].dtype)
            and not pd.api.types.is_bool_dtype(block[c].dtype)
        )
    ]
    if bad:
        raise DataError(
            f"columns {preview(bad)} are not numeric; key drivers need numeric ratings or scores. "
            "Recode categories to numbers (or dummies) first, e.g. with Codebook.to_codes."
        )
    for c in cols:
        check_numeric(block, c)  # infinite values: DataError naming the column and rows
    arr = block.to_numpy(dtype=float)
    ok, n_out, note = complete_rows(block, cols, w_all)
    notes = [note] if note else []
    arr = arr[ok]
    w = np.ones(len(arr)) if w_all is None else w_all[ok]
    p = len(drivers)
    if len(arr) <= p + 1:
        raise DataError(
            f"{len(arr)} complete rows for {p} drivers: need more rows than drivers + 1."
        )
    sd = arr.std(axis=0)
    const = [cols[j] for j in np.flatnonzero(sd < 1e-12)]
    if const:
        what = "the outcome" if outcome in const else "drivers"
        raise DataError(f"{what} {preview(const)} are constant in the complete rows; drop them.")
    return arr[:, 1:], arr[:, 0], w, notes, n_out


def _check_collinear(corr: np.ndarray, names: list[str]) -> None:
    rxx = corr[:-1, :-1]
    vals, vecs = np.linalg.eigh(rxx)
    if vals[0] < 1e-10:
        involved = [names[j] for j in np.flatnonzero(np.abs(vecs[:, 0]) > 1e-6)]
        raise DataError(
            f"drivers {preview(involved, 8)} are perfectly collinear (one is a linear combination "
            "of the others); drop one of them or combine them into an index."
        )


def _importance(
    x: np.ndarray, y: np.ndarray, w: np.ndarray, method: str, binary: bool
) -> tuple[np.ndarray, float, np.ndarray | None]:
    if binary:
        raw, r2 = _logistic_relative_weights(x, y, w)
        return raw, r2, None
    corr = weighted_corr(np.column_stack([x, y]), w)
    if method == "relative_weights":
        raw, r2 = relative_weights(corr)
        return raw, r2, None
    r2s = all_subsets_r2(corr)
    return shapley_from_r2(r2s, x.shape[1]), float(r2s[-1]), r2s


def key_drivers(
    data: pd.DataFrame | Survey,
    outcome: Hashable,
    drivers: Sequence[Hashable],
    *,
    method: Method = "shapley",
    weights: Weights = None,
    n_boot: int = 0,
    ci: float = 0.95,
    random_state: RandomState = None,
    progress: bool | None = None,
) -> DriverResult:
    """Relative importance of drivers (needs) for an outcome such as overall satisfaction.

    Parameters
    ----------
    data : DataFrame or Survey
        One row per respondent (a :class:`~needlab.Survey` gives its codes).
    outcome : str
        Numeric outcome (e.g. overall satisfaction, likelihood to recommend), or a binary 0/1
        outcome (e.g. churned), for which the logistic relative weights are used.
    drivers : list of str
        Numeric drivers (ratings or scores).
    method : {"shapley", "relative_weights", "dominance"}
        - ``"shapley"``: the exact Shapley value / LMG decomposition of R squared (Lindeman,
          Merenda & Gold 1980; Grömping 2006), equal to general dominance: the average gain in
          R squared from adding a driver over all orders of entry. Computed from the
          (weighted) correlation matrix for all 2^p subsets by sweeping, each subset one sweep
          of its parent (:mod:`needlab.regress.shapley`): exact, about 0.5 s at 20 drivers;
          refused above 24 drivers (2^24 subsets), where ``"relative_weights"`` is the
          practical approximation.
        - ``"relative_weights"``: Johnson's (2000) relative weights (fast at any p; close to
          Shapley in practice).
        - ``"dominance"``: Shapley values plus the conditional dominance table (mean gain at
          each model size) and the complete dominance matrix (Budescu 1993; Azen & Budescu 2003).
        For a binary outcome every method uses the logistic relative weights of Tonidandel &
        LeBreton (2010), whose sum is the squared correlation of the outcome with the fitted
        probability (a pseudo R squared); say so when reporting. An ordinal outcome with three
        or more levels (a 1-5 or 1-10 rating) is analysed as an interval score, the usual
        key-driver practice; use :func:`needlab.regress.regress` with ``kind="ordinal"`` to
        check the direction and significance of each driver with an ordered logit.
    weights : str, array, None or False, optional
        Survey weights; the correlations are weighted (frequency-weight form), which gives the
        weighted least squares R squared. ``None`` on a Survey takes its codebook's weight
        column; ``False`` is unweighted. Zero-weight rows are excluded.
    n_boot : int, default 0
        Bootstrap replicates for percentile intervals (rows resampled, weights kept).
    ci : float, default 0.95
    random_state : int, Generator or None, optional
        Seed of the bootstrap.
    progress : bool or None, default None
        A progress bar (tqdm, on standard error) over the bootstrap replicates. ``None``: only
        when standard error is a terminal and Python is not in a Jupyter / IPython kernel
        (executed notebooks stay free of bar text); ``True``: always; ``False``: never.

    Returns
    -------
    DriverResult
        ``.table``: ``driver``, ``importance``, ``share``, ``rank``, ``r`` and the bootstrap
        columns; ``.r2``; ``.conditional`` and ``.complete`` for dominance; ``n_used`` /
        ``n_excluded``: respondents used and left out (listwise: a missing outcome or driver,
        or a zero weight).

    Raises
    ------
    SchemaError
        Unknown columns.
    DataError
        Non-numeric columns, a constant outcome or driver, perfectly collinear drivers (named),
        fewer complete rows than drivers + 2, invalid weights.
    ConfigError
        Bad options (e.g. ``n_boot`` not a whole number >= 0), or more than 24 drivers with an
        exact method.

    References
    ----------
    Lindeman, R. H., Merenda, P. F., & Gold, R. Z. (1980). *Introduction to Bivariate and
    Multivariate Analysis*. Scott, Foresman.
    Grömping, U. (2006). Relative importance for linear regression in R: the package relaimpo.
    *Journal of Statistical Software*, 17(1).
    Budescu, D. V. (1993). Dominance analysis. *Psychological Bulletin*, 114(3), 542-551.
    Azen, R., & Budescu, D. V. (2003). The dominance analysis approach for comparing predictors
    in multiple regression. *Psychological Methods*, 8(2), 129-148.
    Johnson, J. W. (2000). *Multivariate Behavioral Research*, 35(1), 1-19.
    Tonidandel, S., & LeBreton, J. M. (2010). *Organizational Research Methods*, 13(4).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame(rng.normal(size=(500, 3)), columns=["a", "b", "c"])
    >>> df["y"] = 2 * df["a"] + df["b"] + rng.normal(size=500)
    >>> res = key_drivers(df, "y", ["a", "b", "c"])
    >>> res.table[["driver", "rank"]].values.tolist()
    [['a', 1], ['b', 2], ['c', 3]]
    >>> bool(np.isclose(res.table["importance"].sum(), res.r2))
    True
    """
    dsg = as_design(data, weights=weights)
    data, weights = dsg.data, dsg.weights
    check_option(method, ("shapley", "relative_weights", "dominance"), "method")
    drivers = list(drivers)
    if len(drivers) < 1:
        raise ConfigError("give at least one driver.")
    if method != "relative_weights" and len(drivers) > MAX_EXACT:
        raise ConfigError(
            f"{len(drivers)} drivers: exact {method!r} needs 2^{len(drivers)} subset models; "
            f"use method='relative_weights' (or at most {MAX_EXACT} drivers)."
        )
    if not 0 < ci < 1:
        raise ConfigError(f"ci must be strictly between 0 and 1, got {ci!r}.")
    n_boot = check_count(n_boot, "n_boot", hint="0 (the default) turns the bootstrap off")
    x, y, w, notes, n_excluded = _prepare(data, outcome, drivers, weights)
    names = [str(d) for d in drivers]
    values = np.unique(y)
    binary = len(values) == 2
    if binary:
        y = (y == values[1]).astype(float)
        notes.append(
            f"binary outcome ({values[0]:g}/{values[1]:g}): logistic relative weights "
            "(Tonidandel & LeBreton 2010); r2 is the squared correlation of the outcome "
            "with the fitted probability."
        )
    corr = weighted_corr(np.column_stack([x, y]), w)
    _check_collinear(corr, names)
    imp, r2, r2s = _importance(x, y, w, method, binary)
    table = pd.DataFrame(
        {"driver": drivers, "importance": imp, "share": imp / r2, "r": corr[:-1, -1]}
    )
    table["rank"] = table["importance"].rank(ascending=False, method="min").astype(int)
    table = table[["driver", "importance", "share", "rank", "r"]]
    conditional = complete = None
    if method == "dominance" and r2s is not None:
        p = len(drivers)
        cond = conditional_contributions(r2s, p)
        conditional = pd.DataFrame(
            cond,
            index=pd.Index(drivers, name="driver"),
            columns=pd.Index(range(p), name="model size"),
        )
        complete = pd.DataFrame(
            _complete_dominance(r2s, p), index=pd.Index(drivers, name="driver"), columns=drivers
        )
    if n_boot:
        lo_hi = _bootstrap(x, y, w, method, binary, int(n_boot), ci, random_state, progress)
        for k, v in lo_hi.items():
            table[k] = v
    table = table.sort_values("rank", kind="stable").reset_index(drop=True)
    if weights is not None:
        notes.append("weighted correlations (frequency-weight form).")
    return DriverResult(
        table,
        r2=r2,
        method=method if not binary else "logistic relative weights",
        n_used=len(y),
        n_excluded=n_excluded,
        conditional=conditional,
        complete=complete,
        outcome=outcome,
        notes=tuple(notes),
    )


def _complete_dominance(r2: np.ndarray, p: int) -> np.ndarray:
    masks = np.arange(2**p, dtype=np.int64)
    out = np.full((p, p), np.nan)
    for i in range(p):  # loops over driver pairs, vectorised over subsets
        for j in range(i + 1, p):
            others = masks[((masks >> i) & 1 == 0) & ((masks >> j) & 1 == 0)]
            d = r2[others | (1 << i)] - r2[others | (1 << j)]
            val = 1.0 if np.all(d > 0) else 0.0 if np.all(d < 0) else 0.5
            out[i, j], out[j, i] = val, 1.0 - val
    return out


def _bootstrap(
    x: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    method: str,
    binary: bool,
    n_boot: int,
    ci: float,
    random_state: Any,
    progress: bool | None,
) -> dict[str, np.ndarray]:
    """Percentile bootstrap: replicate weights w * Multinomial(n, 1/n) counts."""
    rng = np.random.default_rng(random_state)
    n = len(y)
    imps, shares = [], []
    replicates = progress_bar(range(n_boot), progress=progress, desc="bootstrap", unit="replicate")
    for _ in replicates:  # replicates, not rows
        counts = rng.multinomial(n, np.full(n, 1.0 / n))
        keep = counts > 0
        try:
            imp, r2, _ = _importance(x[keep], y[keep], w[keep] * counts[keep], method, binary)
        except (np.linalg.LinAlgError, ValueError):
            continue
        imps.append(imp)
        shares.append(imp / r2)
    a = (1 - ci) / 2
    out = {}
    for name, arr in (("importance", np.array(imps)), ("share", np.array(shares))):
        lo, hi = np.nanquantile(arr, [a, 1 - a], axis=0)
        out[f"{name}_low"], out[f"{name}_high"] = lo, hi
    return out
