"""Is a KPI's change between two waves real? Tests on per-respondent KPI scores.

Every survey KPI of the vocabulary is the weighted mean of a per-respondent score (``kpi_scores``
in :mod:`needlab.plan.measure`: columns ``id``, ``score``, ``weight``): 100 x an indicator for the
%-KPIs (CSAT, top-2 and bottom-2 box, response-within), +100 / 0 / -100 for the NPS, the answer
itself for means. :func:`compare_waves` tests the difference ``b - a`` of two such score sets;
:func:`bh_adjust` controls the false discovery rate across KPIs.

**Independent samples** (no respondent in both waves). The estimate of a wave is
``m = sum(w s) / sum(w)`` with Kish's effective base ``n_eff = (sum w)^2 / sum w^2``. The
standard errors are unpooled and on the effective bases:

- proportions and NPS (scores taking only the values 0/100 or -100/0/100): ``SE(m)^2 =
  v / n_eff`` with the weighted population variance ``v = sum w (s - m)^2 / sum w`` (for a
  proportion ``p(1 - p)``, for the NPS ``p+ + p- - (p+ - p-)^2``, in squared points), and a
  two-sided z test of ``(m_b - m_a) / sqrt(SE_a^2 + SE_b^2)`` (the classical two-proportion test
  with unpooled variances, and the NPS difference test of e.g. Rocks 2016);
- means (any other score): Welch's t test with the weighted sample variance ``sum w (s - m)^2 /
  (V1 - V2 / V1)`` (``V1 = sum w``, ``V2 = sum w^2``; Bessel's ``n - 1`` when the weights are
  equal), ``SE^2 = var / n_eff`` and Satterthwaite's degrees of freedom
  ``df = (SE_a^2 + SE_b^2)^2 / (SE_a^4 / (n_eff,a - 1) + SE_b^4 / (n_eff,b - 1))``
  (Welch 1947; Satterthwaite 1946). Unweighted, this is ``scipy.stats.ttest_ind(equal_var=False)``.

**Overlapping samples** (an ``id`` present in both waves, e.g. a panel): the two waves are stacked
and the score is regressed on a wave dummy by weighted least squares, ``s = b0 + b1 * 1{wave b}``
(weights ``w``), so ``b1 = m_b - m_a`` exactly; its variance is the cluster-robust sandwich with
respondents as clusters (Liang & Zeger 1986; Cameron & Miller 2015, CR1 with the cluster factor
``G / (G - 1)``)::

    V(b1) = G / (G - 1) * sum_g u_g^2,
    u_g = sum_{i in g, wave b} w_i e_i / W_b - sum_{i in g, wave a} w_i e_i / W_a

(``e`` the residuals from the wave means, ``W`` the wave's weight total, ``G`` the number of
distinct respondents), and a t test with ``G - 1`` degrees of freedom. The regression's residual
factor ``(N - 1) / (N - K)`` of Stata's CR1 is left out: with it the test would not reduce to
the paired t test. With every respondent in both waves and equal weights it **is** the paired t
test; with partial overlap it is close to the partially overlapping samples t test ``T_new2``
of Derrick, Russ, Toher & White (2017) (the tests compare them), and unlike that test it takes
survey weights and any overlap pattern. A positive correlation between a respondent's answers
in the two waves shrinks the standard error, so panels detect real changes with fewer people;
treating them as independent would be conservative, and treating a panel as independent in the
other direction (negative correlation) anti-conservative.

References
----------
Benjamini, Y., & Hochberg, Y. (1995). Controlling the false discovery rate: a practical and
powerful approach to multiple testing. *JRSS B*, 57(1), 289-300.
Cameron, A. C., & Miller, D. L. (2015). A practitioner's guide to cluster-robust inference.
*Journal of Human Resources*, 50(2), 317-372.
Derrick, B., Russ, B., Toher, D., & White, P. (2017). Test statistics for the comparison of means
for two samples that include both paired and independent observations. *Journal of Modern
Applied Statistical Methods*, 16(1), 137-157. doi:10.22237/jmasm/1493597280
Derrick, B., Toher, D., & White, P. (2017). How to compare the means of two samples that include
paired observations and independent observations: a companion to Derrick, Russ, Toher and White
(2017). *The Quantitative Methods for Psychology*, 13(2), 120-126.
Kish, L. (1965). *Survey Sampling*. Wiley.
Liang, K.-Y., & Zeger, S. L. (1986). Longitudinal data analysis using generalized linear models.
*Biometrika*, 73(1), 13-22.
Rocks, B. (2016). Interval estimation for the "net promoter score". *The American Statistician*,
70(4), 365-372.
Satterthwaite, F. E. (1946). An approximate distribution of estimates of variance components.
*Biometrics Bulletin*, 2(6), 110-114.
Welch, B. L. (1947). The generalization of "Student's" problem when several different population
variances are involved. *Biometrika*, 34(1-2), 28-35.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from needlab._stats import effective_n, z_value
from needlab._validate import check_option
from needlab.errors import DataError, SchemaError

__all__ = ["CHANGE_TESTS", "ChangeTest", "bh_adjust", "compare_waves", "score_kind"]

Kind = Literal["auto", "proportion", "nps", "mean"]

#: The test names :func:`compare_waves` writes in ``test`` (and the monitor's ``test`` column).
CHANGE_TESTS: dict[str, str] = {
    "z_proportion": "two-proportion z test (unpooled, Kish effective bases)",
    "z_nps": "NPS difference z test (unpooled, Kish effective bases)",
    "welch_t": "Welch t test (Satterthwaite df, Kish effective bases)",
    "cluster_t": "stacked weighted regression on a wave dummy, errors clustered by id (CR1), t",
}


@dataclass(frozen=True)
class ChangeTest:
    """One change test (see :func:`compare_waves`).

    Attributes
    ----------
    value_a, value_b : float
        The weighted KPI values of the two waves.
    diff : float
        ``value_b - value_a``.
    se : float
        Standard error of *diff*.
    statistic : float
        ``diff / se`` (z or t).
    df : float
        Degrees of freedom (``inf`` for a z test).
    p : float
        Two-sided p value.
    ci_low, ci_high : float
        Interval of *diff* at level *ci*.
    test : str
        Key of :data:`CHANGE_TESTS`.
    kind : str
        ``"proportion"``, ``"nps"`` or ``"mean"``.
    n_a, n_b, n_overlap : int
        Respondents in each wave and in both.
    n_eff_a, n_eff_b : float
        Kish effective bases.
    """

    value_a: float
    value_b: float
    diff: float
    se: float
    statistic: float
    df: float
    p: float
    ci_low: float
    ci_high: float
    test: str
    kind: str
    n_a: int
    n_b: int
    n_overlap: int
    n_eff_a: float
    n_eff_b: float

    def as_dict(self) -> dict[str, Any]:
        """The fields as a dict (a row of a table)."""
        return asdict(self)


def score_kind(scores: np.ndarray) -> Literal["proportion", "nps", "mean"]:
    """The family of a score vector: ``"proportion"`` (only 0 and 100), ``"nps"`` (only -100, 0
    and 100, with at least one -100) or ``"mean"`` (anything else).

    Examples
    --------
    >>> score_kind(np.array([0.0, 100.0])), score_kind(np.array([-100.0, 0.0])), score_kind(
    ...     np.array([1.0, 5.0]))
    ('proportion', 'nps', 'mean')
    """
    s = np.asarray(scores, dtype=float)
    s = s[~np.isnan(s)]
    if s.size and np.isin(s, (0.0, 100.0)).all():
        return "proportion"
    if s.size and np.isin(s, (-100.0, 0.0, 100.0)).all():
        return "nps"
    return "mean"


def _frame(data: Any, name: str, id: Hashable | None) -> pd.DataFrame:
    if not isinstance(data, pd.DataFrame):
        raise SchemaError(
            f"{name} must be a DataFrame of KPI scores (columns id, score, weight, as from "
            f"kpi_scores), got {type(data).__name__}."
        )
    need = ["score"] + (["weight"] if "weight" in data.columns else [])
    missing = [c for c in need if c not in data.columns]
    if missing:
        raise SchemaError(
            f"{name} lacks the column 'score'; pass the frame of kpi_scores (columns id, score, "
            f"weight); it has {list(data.columns)[:8]}."
        )
    out = pd.DataFrame({"score": pd.to_numeric(data["score"], errors="coerce")})
    if "weight" in data.columns:
        out["weight"] = pd.to_numeric(data["weight"], errors="coerce")
    else:
        out["weight"] = 1.0
    if id is not None:
        if id not in data.columns:
            raise SchemaError(
                f"{name} lacks the id column {id!r}; pass id= naming the column that links "
                f"respondents across waves (columns: {list(data.columns)[:8]})."
            )
        out["id"] = data[id].to_numpy()
    bad = out["score"].isna().to_numpy() | ~np.isfinite(out["score"].to_numpy(dtype=float))
    if bad.any():
        raise DataError(
            f"{name}: column 'score' has {int(bad.sum())} missing or non-finite values; "
            "kpi_scores drops missing answers, drop them before comparing."
        )
    w = out["weight"].to_numpy(dtype=float)
    if (~np.isfinite(w)).any() or (w < 0).any() or w.sum() <= 0:
        raise DataError(
            f"{name}: column 'weight' must be finite and >= 0 with a positive total; fix the "
            "weights (or drop the column for an unweighted comparison)."
        )
    if id is not None and out["id"].duplicated().any():
        dup = out.loc[out["id"].duplicated(), "id"].head(5).tolist()
        raise DataError(
            f"{name}: ids {dup} occur more than once in one wave; each respondent has one score "
            "per wave (drop duplicates, or leave id=None to treat the waves as independent)."
        )
    return out


def score_estimate(s: np.ndarray, w: np.ndarray, kind: str) -> tuple[float, float, float]:
    """Weighted mean, its SE on the Kish base and the Kish base of scores *s* with weights *w*.

    ``kind="mean"`` uses the weighted sample variance (``n - 1`` when unweighted), the others
    the weighted population variance (the classical proportion / NPS variance); see the module
    docstring. The SE is NaN for a single respondent of a mean.

    Examples
    --------
    >>> m, se, n = score_estimate(np.array([100.0, 0.0, 0.0, 100.0]), np.ones(4), "proportion")
    >>> m, se, n
    (50.0, 25.0, 4.0)
    """
    v1 = float(w.sum())
    m = float((w * s).sum() / v1)
    n_eff = effective_n(w)
    ss = float((w * (s - m) ** 2).sum())
    if kind == "mean":
        v2 = float((w * w).sum())
        denom = v1 - v2 / v1
        var = ss / denom if denom > 1e-12 * v1 else math.nan
    else:
        var = ss / v1
    se = math.sqrt(var / n_eff) if n_eff > 0 and math.isfinite(var) else math.nan
    return m, se, n_eff


def compare_waves(
    data: pd.DataFrame,
    other: pd.DataFrame,
    *,
    id: Hashable | None = None,
    ci: float = 0.95,
    kind: Kind = "auto",
) -> ChangeTest:
    """Test the change of a KPI between two waves from per-respondent scores.

    Parameters
    ----------
    data, other : DataFrame
        The KPI scores of wave *a* (the earlier) and wave *b*: columns ``score`` and ``weight``
        (optional: unweighted) and the id column, as ``kpi_scores`` returns them. The change is
        ``b - a``.
    id : column name, optional
        The column that links respondents across waves. When some id is in both frames the
        overlap-aware test is used (stacked regression, errors clustered by id); otherwise, or
        with ``id=None``, the waves are treated as independent samples.
    ci : float, default 0.95
        Level of the interval of the difference.
    kind : {"auto", "proportion", "nps", "mean"}, default "auto"
        The KPI family: proportions and NPS get the z test, means Welch's t test. ``"auto"``
        reads it from the scores (:func:`score_kind` of both waves together).

    Returns
    -------
    ChangeTest
        Difference, SE, statistic, df, p, interval and the name of the test (a key of
        :data:`CHANGE_TESTS`).

    Raises
    ------
    SchemaError
        A frame without ``score`` or without the *id* column.
    DataError
        Missing or non-finite scores, invalid weights, an id twice in one wave, or a wave with
        fewer than 2 respondents.
    ConfigError
        A bad *kind* or *ci*.

    Notes
    -----
    The formulas are in the module docstring. Missing answers are not scores: drop them first
    (``kpi_scores`` does and counts them).

    Examples
    --------
    The NPS hand case of issue 16: 30 vs 10 on 100 respondents each, promoters/detractors 50/20
    vs 40/30:

    >>> a = pd.DataFrame({"score": [100.0] * 50 + [0.0] * 30 + [-100.0] * 20})
    >>> b = pd.DataFrame({"score": [100.0] * 40 + [0.0] * 30 + [-100.0] * 30})
    >>> t = compare_waves(a, b)
    >>> round(t.diff, 2), round(t.se, 2), round(t.statistic, 3), round(t.p, 3), t.test
    (-20.0, 11.4, -1.754, 0.079, 'z_nps')
    """
    check_option(kind, ("auto", "proportion", "nps", "mean"), "kind")
    z = z_value(ci)
    fa = _frame(data, "data", id)
    fb = _frame(other, "other", id)
    for f, name in ((fa, "data"), (fb, "other")):
        if len(f) < 2:
            raise DataError(
                f"{name} has {len(f)} scores; a change test needs at least 2 respondents per "
                "wave (the KPI is not measurable in that wave)."
            )
    sa, wa = fa["score"].to_numpy(float), fa["weight"].to_numpy(float)
    sb, wb = fb["score"].to_numpy(float), fb["weight"].to_numpy(float)
    k = kind if kind != "auto" else score_kind(np.concatenate([sa, sb]))
    ma, se_a, neff_a = score_estimate(sa, wa, k)
    mb, se_b, neff_b = score_estimate(sb, wb, k)
    diff = mb - ma
    overlap = 0
    if id is not None:
        common = pd.Index(fa["id"]).intersection(pd.Index(fb["id"]))
        overlap = len(common)
    if overlap > 0:
        se, df, test = _clustered(fa, fb, ma, mb)
    else:
        se = math.sqrt(se_a**2 + se_b**2)
        if k == "mean":
            num = se**4
            den = se_a**4 / max(neff_a - 1, 1e-12) + se_b**4 / max(neff_b - 1, 1e-12)
            df = num / den if den > 0 else math.inf
            test = "welch_t"
        else:
            df = math.inf
            test = "z_proportion" if k == "proportion" else "z_nps"
    if se > 0 and math.isfinite(se):
        stat = diff / se
        if math.isinf(df):
            p = float(2 * stats.norm.sf(abs(stat)))
            crit = z
        else:
            p = float(2 * stats.t.sf(abs(stat), df))
            crit = float(stats.t.ppf(0.5 + ci / 2, df))
    else:
        # No variation in either wave: an exact change is certain, no change is no evidence.
        stat = 0.0 if diff == 0 else math.copysign(math.inf, diff)
        p = 1.0 if diff == 0 else 0.0
        crit = z
        se = 0.0
    return ChangeTest(
        value_a=ma,
        value_b=mb,
        diff=diff,
        se=se,
        statistic=float(stat),
        df=float(df),
        p=p,
        ci_low=diff - crit * se,
        ci_high=diff + crit * se,
        test=test,
        kind=k,
        n_a=len(fa),
        n_b=len(fb),
        n_overlap=overlap,
        n_eff_a=neff_a,
        n_eff_b=neff_b,
    )


def _clustered(
    fa: pd.DataFrame, fb: pd.DataFrame, ma: float, mb: float
) -> tuple[float, float, str]:
    """CR1 (cluster factor G/(G-1)) SE of the wave dummy of the stacked WLS, and its df."""
    wa, wb = fa["weight"].to_numpy(float), fb["weight"].to_numpy(float)
    # Influence of each row on b1 = m_b - m_a (the sandwich of the saturated model).
    ua = -wa * (fa["score"].to_numpy(float) - ma) / wa.sum()
    ub = wb * (fb["score"].to_numpy(float) - mb) / wb.sum()
    ids = pd.concat([fa["id"], fb["id"]], ignore_index=True)
    codes, uniques = pd.factorize(ids)
    g = len(uniques)
    u = np.bincount(codes, weights=np.concatenate([ua, ub]), minlength=g)
    var = g / (g - 1) * float((u * u).sum()) if g > 1 else math.nan
    return math.sqrt(var), float(g - 1), "cluster_t"


def bh_adjust(data: Any) -> np.ndarray:
    """Benjamini-Hochberg adjusted p values (false discovery rate), NaN kept as NaN.

    ``p_adj(i) = min_{j >= i} min(1, m p_(j) / j)`` over the sorted p values ``p_(1) <= ... <=
    p_(m)`` of the *m* non-missing tests (Benjamini & Hochberg 1995); a test is a discovery at
    FDR *q* when ``p_adj <= q``. The same as ``scipy.stats.false_discovery_control(p,
    method="bh")`` on the non-missing values.

    Parameters
    ----------
    data : array-like of float
        p values in [0, 1]; NaN for tests that were not done.

    Returns
    -------
    numpy.ndarray
        Adjusted p values in the input order.

    Raises
    ------
    DataError
        p values outside [0, 1].

    Examples
    --------
    >>> bh_adjust([0.01, 0.04, 0.03, 0.20]).round(3).tolist()
    [0.04, 0.053, 0.053, 0.2]
    """
    p = np.asarray(data, dtype=float).ravel()
    ok = ~np.isnan(p)
    if ((p[ok] < 0) | (p[ok] > 1)).any():
        raise DataError(
            f"p values must lie in [0, 1], got {p[ok][(p[ok] < 0) | (p[ok] > 1)][:5].tolist()}."
        )
    out = np.full(p.shape, np.nan)
    q = p[ok]
    m = q.size
    if m == 0:
        return out
    order = np.argsort(q, kind="mergesort")
    ranked = q[order] * m / np.arange(1, m + 1)
    adj = np.minimum.accumulate(ranked[::-1])[::-1]
    res = np.empty(m)
    res[order] = np.minimum(adj, 1.0)
    out[ok] = res
    return out
