"""Raking (iterative proportional fitting) of respondent weights to marginal targets.

Each raking step multiplies the weights of every category of one margin by
``target share / current weighted share``; one step is one :func:`numpy.bincount` over the
category codes, so the cost is a few array passes per iteration whatever the number of rows.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from needlab._result import Result
from needlab._stats import codes_of
from needlab._types import Lang, Weights
from needlab._validate import as_design, check_columns, check_option, check_weights, preview
from needlab.errors import ConfigError, DataError, NeedlabWarning

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["RakeResult", "rake"]

PROPORTION_TOLERANCE = 0.01
"""How far proportions may sum from 1 (rounding of published figures); they are then rescaled."""

TITLES = {"en": "Raking weights", "zh": "加权 Raking"}
"""Result title by ``lang``."""


@dataclass(frozen=True, repr=False)
class RakeResult(Result):
    """Result of :func:`rake`.

    Attributes
    ----------
    table : DataFrame
        One row per margin and category (columns described in :func:`rake`).
    weights : Series
        The raked weights, aligned to the index of the data, named ``"weight"``.
    converged : bool
        Whether every margin reached its targets within ``tol``.
    iterations : int
        Raking cycles run (one cycle adjusts every margin once).
    max_error : float
        Largest absolute difference between achieved and target share over all categories.
    efficiency : float
        Weighting efficiency ``(sum w)^2 / (n sum w^2)`` over the ``n`` rows with a positive
        weight (1 when all weights are equal).
    design_effect : float
        Kish design effect due to weighting, ``1 / efficiency``.
    n_eff : float
        Kish effective base ``(sum w)^2 / sum w^2``.
    n_used, n_excluded : int
        Respondents with a positive raked weight, and those with weight 0 (base weight 0, or
        a category with target 0; the reasons are in ``notes``).
    lang : {"en", "zh"}
        Language of the title.
    """

    weights: pd.Series | None = None
    converged: bool = False
    iterations: int = 0
    max_error: float = np.nan
    efficiency: float = np.nan
    design_effect: float = np.nan
    n_eff: float = np.nan
    lang: str = "en"

    @property
    def title(self) -> str:  # type: ignore[override]
        return TITLES.get(self.lang, TITLES["en"])

    def summary(self) -> dict[str, Any]:
        w = self.weights
        out: dict[str, Any] = {
            "converged": self.converged,
            "iterations": self.iterations,
            "max error": self.max_error,
            "efficiency": self.efficiency,
            "design effect": self.design_effect,
            "effective base": self.n_eff,
        }
        if w is not None and len(w):
            out["weight range"] = f"{w.min():.4g} to {w.max():.4g}"
        return out

    def tables(self) -> dict[str, pd.DataFrame]:
        out = {"margins": self.table}
        if self.weights is not None:
            out["weights"] = self.weights.to_frame()
        return out

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Histogram of the weights (see :func:`needlab.tables.plot.weight_hist`)."""
        from needlab.tables.plot import weight_hist

        return weight_hist(self, ax=ax, **kwargs)


def _targets(col: Hashable, spec: Any, notes: list[str]) -> tuple[list[Any], np.ndarray]:
    """Validate one margin's targets; return the categories and proportions summing to 1."""
    if not isinstance(spec, Mapping) or len(spec) == 0:
        raise ConfigError(
            f"targets[{col!r}] must be a non-empty mapping {{category: proportion}}, got {spec!r}."
        )
    cats = list(spec)
    try:
        vals = np.array([float(spec[c]) for c in cats])
    except (TypeError, ValueError) as exc:
        raise ConfigError(
            f"targets[{col!r}] must map categories to numbers; got {preview(spec.values())}."
        ) from exc
    bad = ~np.isfinite(vals)
    if bad.any():
        raise ConfigError(
            f"targets for {col!r} have non-finite values for categories "
            f"{preview(np.array(cats, dtype=object)[bad])}."
        )
    neg = vals < 0
    if neg.any():
        shown = ", ".join(
            f"{c!r}: {v:g}"
            for c, v in zip(np.array(cats, dtype=object)[neg], vals[neg], strict=True)
        )
        raise ConfigError(f"targets for {col!r} are negative for {shown}; targets must be >= 0.")
    total = vals.sum()
    if total <= 0:
        raise ConfigError(f"targets for {col!r} sum to 0; give positive shares or counts.")
    if (vals <= 1).all():
        if abs(total - 1) > PROPORTION_TOLERANCE:
            raise ConfigError(
                f"targets for {col!r} sum to {total:.6g}, not 1. Proportions must sum to 1 "
                f"(within {PROPORTION_TOLERANCE}); complete the categories, or give counts "
                "or percentages (values above 1), which are rescaled."
            )
    else:
        notes.append(
            f"targets for {col!r} read as counts or percentages (sum {total:.6g}) "
            "and rescaled to proportions."
        )
    return cats, vals / total


def _trim(w: np.ndarray, lo: float | None, hi: float | None, active: np.ndarray) -> np.ndarray:
    """Clip positive weights to [lo, hi] times the mean weight, repeated until stable."""
    n = len(w)
    for _ in range(200):
        m = w.sum() / n
        new = np.where(
            active, np.clip(w, None if lo is None else lo * m, None if hi is None else hi * m), w
        )
        if np.allclose(new, w, rtol=1e-13, atol=0):
            return new
        w = new
    return w


def _check_trim(trim: Any) -> tuple[float | None, float | None] | None:
    if trim is None:
        return None
    ok = (
        isinstance(trim, (tuple, list))
        and len(trim) == 2
        and all(
            v is None
            or (isinstance(v, (int, float)) and not isinstance(v, bool) and np.isfinite(v))
            for v in trim
        )
    )
    if ok:
        lo, hi = trim
        ok = (lo is None or 0 <= lo <= 1) and (hi is None or hi >= 1) and (lo, hi) != (None, None)
    if not ok:
        raise ConfigError(
            f"trim must be a pair (low, high) of weight bounds relative to the mean weight with "
            f"0 <= low <= 1 <= high (None for no bound), e.g. (0.3, 3); got {trim!r}."
        )
    return (
        None if trim[0] is None else float(trim[0]),
        None if trim[1] is None else float(trim[1]),
    )


def rake(
    data: Any,
    targets: Mapping[Hashable, Mapping[Any, float]],
    *,
    weights: Weights = None,
    max_iter: int = 100,
    tol: float = 1e-6,
    trim: tuple[float | None, float | None] | None = None,
    total: float | None = None,
    lang: Lang = "en",
) -> RakeResult:
    """Rake respondent weights to marginal targets by iterative proportional fitting.

    Starting from the base weights (1 by default), each cycle adjusts the margins in turn:
    every weight in category ``c`` of margin ``j`` is multiplied by ``T_jc / S_jc``, the target
    share over the current weighted share. Cycles repeat until every achieved share is within
    ``tol`` of its target (Deming & Stephan 1940). With ``trim``, weights are clipped to
    ``[low, high]`` times the mean weight after each cycle, so raking and trimming alternate
    and the final weights respect the bounds (the margins then hold only as far as the bounds
    allow). Weights are finally scaled to mean 1, or to sum ``total``.

    Parameters
    ----------
    data : DataFrame or Survey
        One row per respondent. The categories of a :class:`~needlab.Survey` are its answer
        labels (name them in ``targets``), and its codebook's weight column gives the base
        weights.
    targets : mapping
        ``{column: {category: proportion}}``. Proportions of a margin must sum to 1 (within
        0.01, then rescaled exactly); values above 1 are read as counts or percentages and
        rescaled. A target of 0 gives the category's rows weight 0.
    weights : column name, array or False, optional
        Base (design) weights to start from; rows with base weight 0 keep weight 0. On a
        Survey None takes the codebook's weight column and False starts from 1.
    max_iter : int, default 100
        Maximum number of cycles.
    tol : float, default 1e-6
        Convergence tolerance on the largest absolute difference between achieved and target
        shares.
    trim : tuple (low, high), optional
        Bounds of the weights relative to the mean weight, e.g. ``(0.3, 3)``; either may be
        None.
    total : float, optional
        Sum of the final weights (e.g. the population size); default the number of rows.
    lang : {"en", "zh"}, default "en"
        Language of the title (``"Raking weights"`` or ``"加权 Raking"``). The table has no
        Total or missing row; its column names stay English in both languages (they are
        the API).

    Returns
    -------
    RakeResult
        ``.weights`` holds the weights (Series aligned to ``data.index``). ``.table`` has one
        row per margin and category with columns ``column``, ``category``, ``n`` (rows),
        ``unweighted`` (share of rows), ``base`` (share under the base weights; only when
        ``weights`` is given), ``target`` (target share), ``achieved`` (share under the raked
        weights), ``difference`` (``achieved - target``) and ``mean_weight`` (mean raked weight
        in the category). Further attributes: ``converged``, ``iterations``, ``max_error``,
        ``efficiency`` = ``(sum w)^2 / (n sum w^2)``, ``design_effect`` = ``1 / efficiency``,
        ``n_eff``.

    Raises
    ------
    SchemaError
        A target column not in the data.
    DataError
        Missing values in a raking column (the message gives the rows; impute them or give
        them a category with its own target), or invalid base weights.
    ConfigError
        Targets that are not a mapping, negative or not summing to 1, a target category
        absent from the data (or with only zero base weights), a category in the data
        without a target, or invalid ``max_iter``, ``tol``, ``trim`` or ``total``.

    Warns
    -----
    NeedlabWarning
        When raking did not converge within ``max_iter`` cycles (``converged`` is then False).

    References
    ----------
    Deming, W. E., & Stephan, F. F. (1940). On a least squares adjustment of a sampled
    frequency table when the expected marginal totals are known. *Annals of Mathematical
    Statistics*, 11(4), 427-444. Kish, L. (1965). *Survey Sampling*. Wiley (design effect of
    weighting). Battaglia, M. P., et al. (2009). Practical considerations in raking survey
    data. *Survey Practice*, 2(5) (trimming).

    Examples
    --------
    >>> df = pd.DataFrame({"sex": ["f", "f", "f", "m", "m", "m"],
    ...                    "age": ["y", "o", "o", "y", "y", "o"]})
    >>> r = rake(df, {"sex": {"f": 0.5, "m": 0.5}, "age": {"y": 0.6, "o": 0.4}})
    >>> r.weights.round(3).tolist()
    [1.322, 0.839, 0.839, 1.139, 1.139, 0.722]
    >>> r.converged, round(r.efficiency, 4)
    (True, 0.9567)
    """
    design = as_design(data, weights=weights, labels=True)
    data = design.data
    check_option(lang, ("en", "zh"), "lang")
    if not isinstance(targets, Mapping) or len(targets) == 0:
        raise ConfigError("targets must be a non-empty mapping {column: {category: proportion}}.")
    cols = check_columns(data, list(targets), what="target column")
    if not isinstance(max_iter, (int, np.integer)) or isinstance(max_iter, bool) or max_iter < 1:
        raise ConfigError(f"max_iter must be a positive whole number, got {max_iter!r}.")
    if not isinstance(tol, (int, float)) or isinstance(tol, bool) or not tol > 0:
        raise ConfigError(f"tol must be a positive number, got {tol!r}.")
    if total is not None and not (
        isinstance(total, (int, float))
        and not isinstance(total, bool)
        and np.isfinite(total)
        and total > 0
    ):
        raise ConfigError(
            f"total must be a positive number (the sum of the weights), got {total!r}."
        )
    bounds = _check_trim(trim)
    n = len(data)
    base_in = check_weights(data, design.weights)
    base = np.ones(n) if base_in is None else base_in
    notes: list[str] = []

    margins: list[tuple[Hashable, np.ndarray, list[Any], np.ndarray]] = []
    for col in cols:
        s = data[col]
        miss = s.isna().to_numpy()
        if miss.any():
            pos = np.flatnonzero(miss)
            raise DataError(
                f"raking column {col!r} has {int(miss.sum())} missing values (rows "
                f"{', '.join(map(str, pos[:5]))}{' ...' if len(pos) > 5 else ''}); impute them or "
                "give them a category (e.g. 'unknown') with its own target."
            )
        codes, cats = codes_of(s, col, keep_unused=False)
        tcats, tvals = _targets(col, targets[col], notes)
        idx = cats.get_indexer(pd.Index(tcats))
        base_sum = np.bincount(codes, weights=base, minlength=len(cats))
        absent = [
            (c, v)
            for c, i, v in zip(tcats, idx, tvals, strict=True)
            if v > 0 and (i < 0 or base_sum[i] <= 0)
        ]
        if absent:
            shown = ", ".join(f"{c!r}" for c, _ in absent[:5])
            raise ConfigError(
                f"target categories {shown} of {col!r} have no rows in the data (or only rows "
                f"with base weight 0), so no weight can reach their target. Data categories: "
                f"{preview(list(cats), 10)}. Fix the category names, merge categories, or set "
                "their target to 0."
            )
        untargeted = np.setdiff1d(np.arange(len(cats)), idx[idx >= 0])
        if len(untargeted):
            rows = int(np.isin(codes, untargeted).sum())
            raise ConfigError(
                f"categories {preview(list(cats[untargeted]))} of {col!r} ({rows} rows) have no "
                f"target. Targets given for: {preview(tcats, 10)}. Add them to targets (0 drops "
                "their rows from the weighted data) or recode them."
            )
        tgt = np.zeros(len(cats))
        tgt[idx[idx >= 0]] = tvals[idx >= 0]
        margins.append((col, codes, list(cats), tgt))
        zero_rows = int(np.isin(codes, np.flatnonzero(tgt == 0)).sum())
        if zero_rows:
            notes.append(f"{zero_rows} rows of {col!r} have target 0 and get weight 0.")

    active = base > 0
    w = base.astype(float).copy()

    def error(w: np.ndarray) -> float:
        tw = w.sum()
        if tw <= 0:
            return np.inf
        return max(
            float(np.max(np.abs(np.bincount(c, weights=w, minlength=len(t)) / tw - t)))
            for _, c, _, t in margins
        )

    err = error(w)
    iterations = 0
    converged = err < tol and bounds is None
    while not converged and iterations < max_iter:
        iterations += 1
        for _, codes, _, tgt in margins:
            sums = np.bincount(codes, weights=w, minlength=len(tgt))
            with np.errstate(invalid="ignore", divide="ignore"):
                factor = np.where(sums > 0, tgt * sums.sum() / np.where(sums > 0, sums, 1.0), 0.0)
            w = w * factor[codes]
        if bounds is not None:
            w = _trim(w, bounds[0], bounds[1], active & (w > 0))
        err = error(w)
        converged = err < tol
    w = w * ((n if total is None else float(total)) / w.sum())

    if not converged:
        msg = (
            f"raking did not converge in {iterations} cycles: the largest margin error is "
            f"{err:.3g} (tol {tol:g}). "
            + (
                "The trimming bounds may be too tight for the targets; widen trim or "
                if bounds is not None
                else "Targets may be inconsistent or cells too sparse; "
            )
            + "raise max_iter, collapse sparse categories or check the targets."
        )
        warnings.warn(msg, NeedlabWarning, stacklevel=2)
        notes.append(msg)

    tw = w.sum()
    parts: list[pd.DataFrame] = []
    for col, codes, mcats, tgt in margins:
        k = len(mcats)
        cnt = np.bincount(codes, minlength=k)
        ach = np.bincount(codes, weights=w, minlength=k) / tw
        part: dict[str, Any] = {
            "column": [col] * k,
            "category": mcats,
            "n": cnt,
            "unweighted": cnt / n,
        }
        if base_in is not None:
            part["base"] = np.bincount(codes, weights=base, minlength=k) / base.sum()
        part.update(
            {
                "target": tgt,
                "achieved": ach,
                "difference": ach - tgt,
                "mean_weight": np.bincount(codes, weights=w, minlength=k) / np.maximum(cnt, 1),
            }
        )
        parts.append(pd.DataFrame(part).astype({"category": object}))
    table = pd.concat(parts, ignore_index=True)
    pos = w > 0
    s1, s2 = float(w.sum()), float(np.sum(w * w))
    n_eff = s1 * s1 / s2
    efficiency = n_eff / int(pos.sum())
    if base_in is not None and (~active).any():
        notes.append(f"{int((~active).sum())} rows have base weight 0 and keep weight 0.")
    return RakeResult(
        table,
        weights=pd.Series(w, index=data.index, name="weight"),
        converged=bool(converged),
        iterations=iterations,
        max_error=float(err),
        efficiency=efficiency,
        design_effect=1 / efficiency,
        n_eff=n_eff,
        lang=lang,
        n_used=int(pos.sum()),
        n_excluded=n - int(pos.sum()),
        notes=tuple(notes),
    )
