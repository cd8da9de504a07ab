"""Tidy regression models: OLS / WLS, binary logit and (weighted) ordered logit.

:func:`regress` wraps statsmodels and returns a :class:`RegressionResult` whose ``.table`` is
report-ready (coefficients, standard errors, tests, intervals, standardised coefficients and odds
ratios), with fit statistics, variance inflation factors and the statsmodels result for experts.

Weights
-------
* ``kind="ols"``: weighted least squares with the weights as *analytic* (inverse-variance)
  weights, ``statsmodels.WLS(weights=w)``. The coefficients equal those of an unweighted fit on
  rows replicated ``w`` times; the standard errors use ``n - k`` residual degrees of freedom
  (``n`` = rows, not the sum of the weights), so they do *not* shrink when all weights are scaled.
* ``kind="logit"``: ``statsmodels.GLM(family=Binomial(), var_weights=w)``. For a 0/1 outcome the
  binomial scale is fixed at 1, so coefficients, model-based standard errors and the
  log-likelihood (``sum w_i * loglik_i``) are identical with ``freq_weights``; ``var_weights`` is
  chosen because with ``robust=`` its sandwich uses the per-row weighted scores
  (``sum w_i^2 s_i s_i'``), the pseudo-likelihood sandwich appropriate for survey (sampling)
  weights and the same form that WLS and the weighted ordinal model use, whereas ``freq_weights``
  would give the replicated-rows sandwich.
* ``kind="ordinal"``: statsmodels' ``OrderedModel`` has no weights, so needlab fits the
  *frequency-weighted* log-likelihood ``sum w_i * loglik_i`` with an analytic score, and takes
  the standard errors from the inverse of the weighted Hessian. With integer weights the
  coefficients and standard errors equal an unweighted fit on the expanded (replicated) rows.
  With survey weights, pass ``robust="HC1"`` for the sandwich (pseudo-likelihood) errors.

For logit and ordinal models statsmodels computes the plain Huber-White sandwich (HC0) for any
``cov_type="HC*"``: it applies no leverage or degrees-of-freedom correction to likelihood models,
so ``"HC1"`` and ``"HC3"`` give the same numbers there (a note on the result says so).
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from needlab._result import Result
from needlab._stats import z_value
from needlab._types import Weights
from needlab._validate import (
    as_design,
    check_alpha,
    check_columns,
    check_numeric,
    check_option,
    check_weights,
    complete_rows,
    preview,
)
from needlab.errors import ConfigError, DataError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from needlab.io.read import Survey

__all__ = ["RegressionResult", "regress"]

Kind = Literal["ols", "logit", "ordinal"]
_KINDS = ("ols", "logit", "ordinal")
_ROBUST = (None, "HC1", "HC3")
_NAMES = {"ols": "OLS", "logit": "Logit", "ordinal": "Ordered logit"}


@dataclass(frozen=True, repr=False)
class RegressionResult(Result):
    """Result of :func:`regress`.

    Attributes
    ----------
    table : DataFrame
        One row per term (see :func:`regress`, Returns).
    fit : dict
        Fit statistics by name (see :func:`regress`, Returns).
    vif : DataFrame
        ``predictor`` (design column), ``vif``.
    thresholds : DataFrame or None
        Ordinal models only: ``threshold`` (``"1|2"``...), ``value``, ``se``, ``ci_low``,
        ``ci_high``.
    model : statsmodels results
        The fitted statsmodels results object, for experts.
    kind, outcome, drivers, weighted, robust, event :
        What was fitted.
    n_used, n_excluded : int
        Respondents (rows) used, and left out (listwise: a missing outcome or driver, or a
        zero weight).
    """

    fit: dict[str, Any] = field(default_factory=dict)
    vif: pd.DataFrame = field(default_factory=pd.DataFrame)
    thresholds: pd.DataFrame | None = None
    model: Any = field(default=None, compare=False)
    kind: str = "ols"
    outcome: Hashable = None
    drivers: tuple[Hashable, ...] = ()
    weighted: bool = False
    robust: str | None = None
    event: Any = None

    @property
    def title(self) -> str:  # type: ignore[override]
        w = "weighted " if self.weighted else ""
        return f"{w}{_NAMES.get(self.kind, self.kind)} regression of {self.outcome}"

    def summary(self) -> dict[str, Any]:
        """Key figures shown above the table: the main fit statistics."""
        keys = {
            "ols": ("r2", "adj_r2", "F", "p"),
            "logit": ("pseudo_r2", "lr_chi2", "p", "aic", "bic"),
            "ordinal": ("pseudo_r2", "lr_chi2", "p", "aic", "bic"),
        }[self.kind]
        out: dict[str, Any] = {k: self.fit[k] for k in keys if k in self.fit}
        if self.robust:
            out["standard errors"] = self.robust
        if self.event is not None:
            out["event"] = self.event
        return out

    def tables(self) -> dict[str, pd.DataFrame]:
        out = {
            "coefficients": self.table,
            "fit": pd.DataFrame({"statistic": list(self.fit), "value": list(self.fit.values())}),
            "vif": self.vif,
        }
        if self.thresholds is not None:
            out["thresholds"] = self.thresholds
        return out

    def plot(
        self,
        ax: Axes | None = None,
        *,
        which: str | None = None,
        intercept: bool = False,
        **kwargs: Any,
    ) -> Axes:
        """Coefficient plot: one point per term with its confidence interval.

        Parameters
        ----------
        ax : matplotlib Axes, optional
        which : {"coef", "odds_ratio"}, optional
            What to draw; default ``"odds_ratio"`` (log axis, line at 1) for logit and ordinal
            models, ``"coef"`` (line at 0) for OLS.
        intercept : bool, default False
            Also draw the intercept.
        **kwargs
            Passed to ``Axes.errorbar``.
        """
        from needlab.regress.plot import coef_plot

        return coef_plot(self, ax=ax, which=which, intercept=intercept, **kwargs)


# ----------------------------------------------------------------------------------------------
# input handling


def _is_categorical(s: pd.Series) -> bool:
    return (
        pd.api.types.is_bool_dtype(s.dtype)
        or not pd.api.types.is_numeric_dtype(s.dtype)
        or isinstance(s.dtype, pd.CategoricalDtype)
    )


def _looks_numeric(s: pd.Series) -> bool:
    """Text column whose values are mostly numbers (e.g. a rating column with a stray 'n/a')."""
    if isinstance(s.dtype, pd.CategoricalDtype) or pd.api.types.is_bool_dtype(s.dtype):
        return False
    vals = s.dropna()
    return len(vals) > 0 and bool(pd.to_numeric(vals, errors="coerce").notna().mean() >= 0.5)


def _levels(s: pd.Series) -> list[Any]:
    """Levels present in *s* (no missing): category order, else sorted."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        present = set(s.dropna().unique())
        return [
            c.item() if isinstance(c, np.generic) else c for c in s.cat.categories if c in present
        ]
    vals = [v.item() if isinstance(v, np.generic) else v for v in pd.unique(s.dropna())]
    try:
        return sorted(vals)
    except TypeError:  # mixed types: sort by text
        return sorted(vals, key=str)


def _wsd(v: np.ndarray, w: np.ndarray) -> float:
    m = np.average(v, weights=w)
    return float(np.sqrt(np.average((v - m) ** 2, weights=w)))


def _collinear_message(M: np.ndarray, names: list[str]) -> str | None:
    """Name the columns of *M* that are linear combinations of earlier columns.

    Columns are scaled to unit length and taken in order (intercept first, then the predictors
    as listed), so a QR decomposition without pivoting tells which column adds nothing: its
    diagonal element of R (the length of what the earlier columns leave unexplained) is ~0.
    """
    norms = np.linalg.norm(M, axis=0)
    Ms = M / np.where(norms > 0, norms, 1.0)
    R = np.linalg.qr(Ms, mode="r")
    dependent = np.abs(np.diag(R)) < 1e-9
    if not dependent.any():
        return None
    parts = []
    for j in np.flatnonzero(dependent)[:5]:
        base = [b for b in range(j) if not dependent[b]]
        coef, *_ = np.linalg.lstsq(M[:, base], M[:, j], rcond=None)
        terms = [
            f"{c:+.4g}*{names[b]!r}" if names[b] != "Intercept" else f"{c:+.4g}"
            for c, b in zip(coef, base, strict=True)
            if abs(c) > 1e-8
        ]
        parts.append(f"{names[j]!r} = " + (" ".join(terms) if terms else "0"))
    return "; ".join(parts)


# ----------------------------------------------------------------------------------------------
# weighted ordered logit


@functools.cache
def _ordered_class() -> type:
    from scipy.special import expit
    from statsmodels.miscmodels.ordinal_model import OrderedModel
    from statsmodels.tools.numdiff import approx_fprime

    class WeightedOrderedModel(OrderedModel):
        """Ordered logit with frequency weights: loglike = sum w_i * loglik_i."""

        def __init__(self, endog: Any, exog: Any, freq_weights: np.ndarray, **kwds: Any) -> None:
            self.freq_weights = np.asarray(freq_weights, dtype=float)
            super().__init__(endog, exog, distr="logit", **kwds)
            self.freq_weights = np.asarray(freq_weights, dtype=float)

        def loglikeobs(self, params: np.ndarray) -> np.ndarray:
            return self.freq_weights * super().loglikeobs(params)

        def score_obs(self, params: np.ndarray) -> np.ndarray:
            params = np.asarray(params, dtype=float)
            k, m = self.k_vars, self.k_levels - 1
            beta, a = params[:k], params[k:]
            cut = np.concatenate(
                ([-np.inf], np.cumsum(np.concatenate((a[:1], np.exp(a[1:])))), [np.inf])
            )
            xb = self.exog @ beta if k else np.zeros(self.nobs)
            yy = np.asarray(self.endog, dtype=int)
            Fu, Fl = expit(cut[yy + 1] - xb), expit(cut[yy] - xb)
            fu, fl = Fu * (1 - Fu), Fl * (1 - Fl)
            p = np.maximum(Fu - Fl, 1e-300)
            g = np.zeros((len(yy), m + 1))  # d loglik / d cut_k, one spare column
            rows = np.arange(len(yy))
            g[rows, np.minimum(yy, m)] += np.where(yy < m, fu / p, 0.0)
            g[rows, np.maximum(yy - 1, 0)] -= np.where(yy > 0, fl / p, 0.0)
            g = g[:, :m]
            s = np.cumsum(g[:, ::-1], axis=1)[:, ::-1]  # sum over k >= j
            s[:, 1:] *= np.exp(a[1:])
            sb = -((fu - fl) / p)[:, None] * self.exog if k else np.zeros((len(yy), 0))
            return self.freq_weights[:, None] * np.column_stack([sb, s])

        def score(self, params: np.ndarray) -> np.ndarray:
            return self.score_obs(params).sum(0)

        def hessian(self, params: np.ndarray) -> np.ndarray:
            h = approx_fprime(np.asarray(params, dtype=float), self.score, centered=True)
            return (h + h.T) / 2

        @property
        def start_params(self) -> np.ndarray:
            freq = np.bincount(self.endog, weights=self.freq_weights, minlength=self.k_levels)
            cum = np.clip(np.cumsum(freq / freq.sum()), 0, 1)
            ppf = self.distr.ppf(cum)
            return np.concatenate(
                (np.zeros(self.k_vars), self.transform_reverse_threshold_params(ppf))
            )

    return WeightedOrderedModel


def _fit_ordinal(codes: np.ndarray, X: pd.DataFrame, w: np.ndarray, cov_type: str) -> Any:
    cls = _ordered_class()
    mod = cls(pd.Series(codes, name="y"), X, freq_weights=w)
    with warnings.catch_warnings():  # BFGS only gets close; Newton below decides convergence
        warnings.simplefilter("ignore")
        first = mod.fit(method="bfgs", maxiter=2000, disp=0, gtol=1e-6)
    return mod.fit(
        start_params=np.asarray(first.params),
        method="newton",
        maxiter=100,
        disp=0,
        tol=1e-12,
        cov_type=cov_type,
    )


# ----------------------------------------------------------------------------------------------
# the function


def regress(
    data: pd.DataFrame | Survey,
    outcome: Hashable,
    drivers: Sequence[Hashable] | Hashable,
    *,
    kind: Kind = "ols",
    weights: Weights = None,
    robust: Literal["HC1", "HC3"] | None = None,
    reference: Mapping[Hashable, Any] | None = None,
    event: Any = None,
    missing: Literal["listwise", "error"] = "listwise",
    vif_threshold: float = 5.0,
    ci: float = 0.95,
) -> RegressionResult:
    """Fit a linear, logistic or ordered-logit regression and return a tidy result.

    Parameters
    ----------
    data : DataFrame or Survey
        One row per respondent (a :class:`~needlab.Survey` gives its codes).
    outcome : column name
        The outcome. ``"ols"``: numeric. ``"logit"``: two values (0/1, bool or two labels; see
        *event*). ``"ordinal"``: numeric ratings (levels in numeric order) or a pandas
        Categorical (levels in category order); text is refused because its order is unknown.
    drivers : column name or list of column names
        Predictors. Numeric columns enter as they are; categorical ones (object, string,
        category or bool dtype) are dummy-coded against a reference level, giving terms named
        ``"region[East]"``. Numeric codes (e.g. region stored as 1..6) are used as numbers:
        make such a column a pandas Categorical to dummy-code it. A text column whose values are
        mostly numbers is read as numbers, and its text values (``"n/a"``) are an error.
    kind : {"ols", "logit", "ordinal"}, default "ols"
        Linear regression (WLS when weighted), binary logit, or proportional-odds ordered logit
        (``logit P(y <= j) = threshold_j - x'b``, as R's ``MASS::polr``).
    weights : column name, array, None or False, optional
        Non-negative weights. OLS: analytic weights (WLS); logit: GLM ``var_weights``; ordinal:
        frequency weights on the log-likelihood. See the module docstring for what this means
        for the standard errors. ``None`` on a Survey takes its codebook's weight column;
        ``False`` is unweighted. Missing, negative or infinite weights are an error (as
        everywhere); zero-weight rows are excluded and counted in ``n_excluded``.
    robust : {None, "HC1", "HC3"}, default None
        Heteroscedasticity-consistent standard errors (statsmodels ``cov_type``). For logit and
        ordinal models statsmodels gives the HC0 sandwich for either choice.
    reference : dict, optional
        Reference level per categorical predictor, e.g. ``{"region": "North"}``. Default: the
        first level in category order, else in sorted order.
    event : value, optional
        Logit only: the outcome value modelled as the event (``P(y == event)``). Default: the
        second of the two levels in sorted / category order (1 for 0/1, True for bool).
    missing : {"listwise", "error"}, default "listwise"
        ``"listwise"`` drops rows with a missing outcome or driver and reports how many per
        column in ``notes`` and ``n_excluded``; ``"error"`` raises instead.
    vif_threshold : float, default 5.0
        A note lists the predictors whose VIF exceeds it.
    ci : float, default 0.95
        Level of the confidence intervals.

    Returns
    -------
    RegressionResult
        ``table`` has one row per term (the intercept first for OLS and logit; ordinal models
        have no intercept, their thresholds are in ``thresholds``):

        * ``term``: ``"Intercept"``, the predictor name, or ``"column[level]"`` for a dummy.
        * ``coef``: the coefficient (log-odds for logit and ordinal).
        * ``se``: its standard error (robust when *robust* is set).
        * ``statistic``: ``coef / se``; t for OLS (``df_resid`` degrees of freedom), z otherwise.
        * ``p_value``: two-sided p value of ``coef = 0``.
        * ``ci_low``, ``ci_high``: the *ci* confidence interval of ``coef``.
        * ``std_coef``: the standardised coefficient. OLS: ``coef * sd(x) / sd(y)`` (the beta
          weight); logit and ordinal: ``coef * sd(x)``, the change in log-odds per standard
          deviation of the predictor (y has no natural SD on the latent scale). SDs are
          weighted (divisor the sum of weights) over the rows used; for a dummy it is the SD of
          the 0/1 column; missing for the intercept.
        * ``odds_ratio``, ``or_ci_low``, ``or_ci_high`` (logit and ordinal only): ``exp(coef)``
          and its interval ``exp(ci)``. For ordinal models an odds ratio above 1 means higher
          outcome categories are more likely.

        ``n_used`` / ``n_excluded``: rows used, and rows left out (listwise: a missing outcome
        or driver, or a zero weight; each reason in ``notes``).

        ``fit`` (dict): ``weighted_n`` (sum of weights), ``n_params``, ``ci_level``; OLS: ``r2``, ``adj_r2``
        (weighted when weighted), ``F``, ``p`` (the overall F test; a Wald test when robust),
        ``df_model``, ``df_resid``, ``rmse``, ``loglik``, ``aic``, ``bic``; logit and ordinal:
        ``loglik``, ``loglik_null``, ``pseudo_r2`` (McFadden, ``1 - loglik/loglik_null``),
        ``lr_chi2`` and ``p`` (likelihood-ratio test against the null model), ``aic``
        (``-2 loglik + 2 n_params``), ``bic`` (``-2 loglik + log(weighted_n) n_params``).

        ``vif``: ``predictor`` (each design column, dummies separately) and ``vif``
        (``1 / (1 - R²_j)`` from regressing column j on the others with an intercept, with the
        weights; computed as the diagonal of the inverse weighted correlation matrix).

        ``thresholds`` (ordinal): ``threshold`` (``"low|high"`` between adjacent levels),
        ``value`` (the cut point on the logit scale), ``se`` (delta method), ``ci_low``,
        ``ci_high``. ``model``: the statsmodels results object.

    Raises
    ------
    SchemaError
        *data* is not a DataFrame or a named column does not exist.
    ConfigError
        Invalid *kind*, *robust*, *missing*, *ci*, *reference* (for a column that is not a
        categorical predictor) or the outcome listed among the drivers.
    DataError
        Missing values with ``missing="error"``; an outcome with one value, a non-numeric OLS
        outcome, a logit outcome with more than two levels or an unknown *event*; a text
        outcome or one with more than 30 levels for ``"ordinal"``; text in a numeric predictor; a constant predictor; an unknown
        reference level; perfectly collinear predictors (named, with the linear combination);
        fewer rows than parameters; invalid (missing, negative, infinite) weights.

    References
    ----------
    .. [1] Seabold, S. and Perktold, J. (2010). statsmodels: Econometric and statistical
       modeling with Python. Proc. 9th Python in Science Conference.
    .. [2] McCullagh, P. (1980). Regression models for ordinal data. JRSS B 42(2), 109-142.
    .. [3] Venables, W. N. and Ripley, B. D. (2002). Modern Applied Statistics with S, 4th ed.,
       section 7.3 (``polr``). Springer.
    .. [4] MacKinnon, J. G. and White, H. (1985). Some heteroskedasticity-consistent covariance
       matrix estimators with improved finite sample properties. J. Econometrics 29, 305-325.
    .. [5] McFadden, D. (1974). Conditional logit analysis of qualitative choice behavior. In
       Frontiers in Econometrics, 105-142.
    .. [6] Fox, J. and Monette, G. (1992). Generalized collinearity diagnostics. JASA 87,
       178-183 (VIF).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> df = pd.DataFrame({"price": rng.normal(3, 1, 200), "region": rng.choice(["N", "S"], 200)})
    >>> df["sat"] = 1 + 0.5 * df["price"] + (df["region"] == "S") + rng.normal(0, 0.5, 200)
    >>> res = regress(df, "sat", ["price", "region"], reference={"region": "N"})
    >>> res.table["term"].tolist()
    ['Intercept', 'price', 'region[S]']
    >>> res.table["coef"].round(1).tolist()
    [1.1, 0.5, 0.9]
    >>> res.n_used, round(res.fit["r2"], 2)
    (200, 0.67)
    """
    dsg = as_design(data, weights=weights)
    data, weights = dsg.data, dsg.weights
    y = outcome
    check_option(kind, _KINDS, "kind")
    check_option(robust, _ROBUST, "robust")
    check_option(missing, ("listwise", "error"), "missing")
    alpha = 1 - check_alpha(ci, "ci")
    xs = (
        [drivers]
        if isinstance(drivers, str) or not isinstance(drivers, Sequence)
        else list(drivers)
    )
    if not xs:
        raise ConfigError("drivers is empty; name at least one predictor column.")
    check_columns(data, [y], what="outcome column")
    check_columns(data, xs, what="driver column")
    if y in xs:
        raise ConfigError(f"the outcome {y!r} is also listed among the drivers; remove it.")
    dup = [c for c in dict.fromkeys(xs) if xs.count(c) > 1]
    if dup:
        raise ConfigError(f"predictors listed more than once: {preview(dup)}; list each once.")
    if event is not None and kind != "logit":
        raise ConfigError("event= applies to kind='logit' only.")
    reference = dict(reference or {})
    bad_ref = [k for k in reference if k not in xs]
    if bad_ref:
        raise ConfigError(
            f"reference names {preview(bad_ref)}, which are not among the drivers ({preview(xs)})."
        )

    # weights and missing values --------------------------------------------------------------
    n_all = len(data)
    if (
        weights is not None
        and isinstance(weights, Hashable)
        and not isinstance(weights, tuple)
        and (weights == y or weights in xs)
    ):
        raise ConfigError(f"weights column {weights!r} is also the outcome or a driver.")
    w_all = check_weights(data, dsg.weights)
    for c in [y, *xs]:  # infinite numbers: a DataError with the rows, before any subsetting
        s = data[c]
        if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
            check_numeric(data, c)
        elif not isinstance(s.dtype, pd.CategoricalDtype) and _looks_numeric(s):
            if np.isinf(pd.to_numeric(s, errors="coerce").to_numpy(dtype=float)).any():
                check_numeric(data, c)
    if missing == "error":
        na = {c: int(data[c].isna().sum()) for c in [y, *xs]}
        if any(na.values()):
            per = ", ".join(f"{c!r} {k}" for c, k in na.items() if k)
            raise DataError(
                f"{int(data[[y, *xs]].isna().any(axis=1).sum())} of {n_all} rows have missing "
                f"values (by column: {per}). Impute or filter them, or pass missing='listwise'."
            )
    keep, n_excluded, note = complete_rows(data, [y, *xs], w_all)
    notes: list[str] = [note] if note else []
    sub = data.loc[keep]
    if len(sub) == 0:
        raise DataError(
            "no rows left after dropping rows with missing values or zero weight "
            f"(of {n_all} rows)."
        )
    w = np.ones(len(sub)) if w_all is None else w_all[keep]

    # outcome ---------------------------------------------------------------------------------
    ys = sub[y]
    y_levels: list[Any] = []
    if kind == "ols":
        yv = check_numeric(sub, y).to_numpy()
        if np.unique(yv).size < 2:
            raise DataError(
                f"outcome {y!r} has a single value ({preview(np.unique(yv))}) "
                "in the rows used; a regression needs variation in the outcome."
            )
    else:
        y_levels = _levels(ys)
        if len(y_levels) < 2:
            raise DataError(
                f"outcome {y!r} has a single value ({preview(y_levels)}) in the rows "
                "used; a regression needs at least two outcome levels."
            )
        if kind == "logit":
            if len(y_levels) > 2:
                raise DataError(
                    f"logit outcome {y!r} has {len(y_levels)} levels ({preview(y_levels)}); it "
                    "needs exactly two. Recode it to 0/1 or use kind='ordinal'."
                )
            if event is None:
                event = y_levels[1]
            elif event not in y_levels:
                raise DataError(
                    f"event={event!r} is not a value of {y!r}; its values are {preview(y_levels)}."
                )
            event = event.item() if isinstance(event, np.generic) else event
            yv = (ys == event).to_numpy(dtype=float)
            other = [v for v in y_levels if v != event][0]
            notes.append(f"Modelled event: {y!r} == {event!r} (against {other!r}).")
        else:
            if not (
                isinstance(ys.dtype, pd.CategoricalDtype)
                or (
                    pd.api.types.is_numeric_dtype(ys.dtype)
                    and not pd.api.types.is_bool_dtype(ys.dtype)
                )
            ):
                raise DataError(
                    f"ordinal outcome {y!r} is text ({preview(y_levels)}), whose order is "
                    "unknown; convert it to an ordered pandas Categorical, e.g. "
                    f"data[{y!r}].astype(pd.CategoricalDtype([...], ordered=True))."
                )
            if len(y_levels) > 30:
                raise DataError(
                    f"ordinal outcome {y!r} has {len(y_levels)} distinct values; an ordered logit "
                    "estimates one threshold per level, so this looks like a continuous outcome. "
                    "Use kind='ols' or band it into ordered categories (pandas.cut)."
                )
            lookup = {v: i for i, v in enumerate(y_levels)}
            yv = ys.map(lookup).to_numpy(dtype=int)

    # design matrix ---------------------------------------------------------------------------
    cols: dict[str, np.ndarray] = {}
    for c in xs:
        s = sub[c]
        if _is_categorical(s) and _looks_numeric(s):
            s = check_numeric(sub, c)  # numbers stored as text: error listing the text values
        if _is_categorical(s):
            levels = _levels(s)
            if len(levels) < 2:
                raise DataError(
                    f"predictor {c!r} is constant: its only value in the rows used is "
                    f"{preview(levels)}. Drop it from drivers."
                )
            ref = reference.get(c, levels[0])
            if ref not in levels:
                raise DataError(
                    f"reference level {ref!r} of {c!r} not found; its levels are "
                    f"{preview(levels, 12)}."
                )
            for lev in levels:
                if lev != ref:
                    name = f"{c}[{lev}]"
                    cols[name] = (s == lev).to_numpy(dtype=float)
            notes.append(f"{c!r} dummy-coded with reference level {ref!r}.")
        else:
            if c in reference:
                raise ConfigError(
                    f"reference given for {c!r}, but it is numeric; only "
                    "categorical predictors take a reference level."
                )
            v = s.to_numpy(dtype=float)
            if np.ptp(v) == 0:
                raise DataError(
                    f"predictor {c!r} is constant (every row used has the value "
                    f"{v[0]:g}); drop it from drivers."
                )
            cols[str(c)] = v
    terms = list(cols)
    Xd = pd.DataFrame(cols, index=sub.index)
    n_used = len(sub)
    n_params = len(terms) + (1 if kind != "ordinal" else len(y_levels) - 1)
    if n_used <= n_params:
        raise DataError(
            f"{n_used} rows (with positive weight) for {n_params} parameters; a "
            "regression needs more rows than parameters. Use fewer predictors or "
            "more data."
        )
    M = np.column_stack([np.ones(len(Xd)), Xd.to_numpy()])
    msg = _collinear_message(M, ["Intercept", *terms])
    if msg:
        raise DataError(
            f"perfectly collinear predictors (linear combinations of others): {msg}. "
            "Drop one of them from drivers."
        )

    # fit -------------------------------------------------------------------------------------
    import statsmodels.api as sm
    from scipy import stats

    cov_type = robust or "nonrobust"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if kind == "ols":
            exog = sm.add_constant(Xd, has_constant="add").rename(columns={"const": "Intercept"})
            mod = sm.WLS(yv, exog, weights=w) if weights is not None else sm.OLS(yv, exog)
            res = mod.fit(cov_type=cov_type, use_t=True)
        elif kind == "logit":
            exog = sm.add_constant(Xd, has_constant="add").rename(columns={"const": "Intercept"})
            res = sm.GLM(
                yv,
                exog,
                family=sm.families.Binomial(),
                var_weights=w if weights is not None else None,
            ).fit(cov_type=cov_type)
        else:
            res = _fit_ordinal(yv, Xd, w, "HC0" if robust else "nonrobust")
    for wm in caught:
        text = str(wm.message).splitlines()[0]
        if not issubclass(wm.category, DeprecationWarning | FutureWarning) and text not in " ".join(
            notes
        ):
            notes.append(f"statsmodels: {text}")
    if robust and kind != "ols":
        notes.append(
            f"robust={robust!r}: for {_NAMES[kind]} models statsmodels computes the "
            "Huber-White sandwich (HC0) without leverage correction."
        )

    params = np.asarray(res.params, dtype=float)
    bse = np.asarray(res.bse, dtype=float)
    k_terms = len(terms) + (1 if kind != "ordinal" else 0)
    bounds = np.asarray(res.conf_int(alpha=alpha), dtype=float)
    table = pd.DataFrame(
        {
            "term": (["Intercept"] if kind != "ordinal" else []) + terms,
            "coef": params[:k_terms],
            "se": bse[:k_terms],
            "statistic": np.asarray(res.tvalues, dtype=float)[:k_terms],
            "p_value": np.asarray(res.pvalues, dtype=float)[:k_terms],
            "ci_low": bounds[:k_terms, 0],
            "ci_high": bounds[:k_terms, 1],
        }
    )
    sdx = np.array([_wsd(Xd[t].to_numpy(), w) for t in terms])
    if kind == "ols":
        sdx = sdx / _wsd(yv, w)
    table["std_coef"] = np.concatenate(([np.nan] if kind != "ordinal" else [], sdx)) * table["coef"]
    if kind != "ols":
        with np.errstate(over="ignore"):  # separation: inf odds ratios, flagged in notes
            table["odds_ratio"] = np.exp(table["coef"])
            table["or_ci_low"] = np.exp(table["ci_low"])
            table["or_ci_high"] = np.exp(table["ci_high"])

    # fit statistics ----------------------------------------------------------------------------
    wn = float(w.sum())
    fit: dict[str, Any] = {
        "weighted_n": wn,
        "n_params": n_params,
        "ci_level": 1 - alpha,
    }
    thresholds = None
    if kind == "ols":
        fit.update(
            r2=float(res.rsquared),
            adj_r2=float(res.rsquared_adj),
            F=float(np.squeeze(res.fvalue)),
            p=float(np.squeeze(res.f_pvalue)),
            df_model=float(res.df_model),
            df_resid=float(res.df_resid),
            rmse=float(np.sqrt(res.mse_resid)),
            loglik=float(res.llf),
            aic=float(res.aic),
            bic=float(res.bic),
        )
    else:
        llf, llnull = float(res.llf), float(res.llnull)
        lr = 2 * (llf - llnull)
        fit.update(
            loglik=llf,
            loglik_null=llnull,
            pseudo_r2=1 - llf / llnull,
            lr_chi2=lr,
            p=float(stats.chi2.sf(lr, len(terms))),
            aic=-2 * llf + 2 * n_params,
            bic=-2 * llf + np.log(wn) * n_params,
        )
        if kind == "ordinal":
            a = params[k_terms:]
            J = np.tril(np.ones((len(a), len(a)))) * np.concatenate(([1.0], np.exp(a[1:])))
            cut = np.cumsum(np.concatenate((a[:1], np.exp(a[1:]))))
            V = np.asarray(res.cov_params(), dtype=float)[k_terms:, k_terms:]
            se = np.sqrt(np.diag(J @ V @ J.T))
            z = z_value(1 - alpha)
            thresholds = pd.DataFrame(
                {
                    "threshold": [
                        f"{lo}|{hi}" for lo, hi in zip(y_levels[:-1], y_levels[1:], strict=True)
                    ],
                    "value": cut,
                    "se": se,
                    "ci_low": cut - z * se,
                    "ci_high": cut + z * se,
                }
            )

    # VIF -------------------------------------------------------------------------------------
    if len(terms) == 1:
        vifs = np.ones(1)
    else:
        C = np.cov(Xd.to_numpy(), rowvar=False, aweights=w)
        sd = np.sqrt(np.diag(C))
        R = C / np.outer(sd, sd)
        vifs = np.diag(np.linalg.inv(R))
    vif = pd.DataFrame({"predictor": terms, "vif": vifs})
    high = vif[vif["vif"] > vif_threshold]
    if len(high):
        notes.append(
            f"VIF above {vif_threshold:g} (collinearity inflates their standard errors): "
            + ", ".join(
                f"{p!r} ({v:.1f})" for p, v in zip(high["predictor"], high["vif"], strict=True)
            )
            + "."
        )

    return RegressionResult(
        table,
        fit=fit,
        vif=vif,
        thresholds=thresholds,
        model=res,
        kind=kind,
        outcome=y,
        drivers=tuple(xs),
        weighted=weights is not None,
        robust=robust,
        event=event if kind == "logit" else None,
        n_used=n_used,
        n_excluded=n_excluded,
        notes=tuple(notes),
    )
