"""Column means of a numeric variable with Welch t tests and significance letters."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from needlab._result import Result
from needlab._validate import (
    check_alpha,
    check_columns,
    check_frame,
    check_numeric,
    check_option,
    check_weights,
)
from needlab.errors import ConfigError
from needlab.tables._stats import codes_of
from needlab.tables.coltests import adjust_pvalues, letters_for, mean_test
from needlab.tables.crosstab import LABELS, column_letters

__all__ = ["MeansResult", "compare_means"]


@dataclass(frozen=True, repr=False)
class MeansResult(Result):
    """Result of :func:`compare_means`.

    Attributes
    ----------
    table : DataFrame
        One row per column category (and Total): ``column``, ``letter``, ``n`` (unweighted
        valid answers), ``weighted_n``, ``n_eff`` (Kish), ``mean``, ``sd``, ``se``, ``sig``
        (letters of the columns this mean is significantly greater than).
    pvalues : DataFrame
        One row per column pair: ``column_a``, ``column_b``, ``mean_a``, ``mean_b``,
        ``difference``, ``statistic`` (Welch t), ``df``, ``p_value``, ``p_adjusted``,
        ``significant``, ``testable``.
    """

    pvalues: pd.DataFrame = field(default_factory=pd.DataFrame)
    value: Hashable = None
    col: Hashable = None

    @property
    def title(self) -> str:  # type: ignore[override]
        return f"Mean of {self.value} by {self.col}"

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"means": self.table, "tests": self.pvalues}


def _weighted_stats(x: np.ndarray, w: np.ndarray, g: np.ndarray, k: int) -> dict[str, np.ndarray]:
    """Per group: n, weighted n, Kish base, weighted mean, SD and standard error."""
    n = np.bincount(g, minlength=k).astype(float)
    sw = np.bincount(g, weights=w, minlength=k)
    sw2 = np.bincount(g, weights=w * w, minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(g, weights=w * x, minlength=k) / sw
        ss = np.bincount(g, weights=w * (x - mean[g]) ** 2, minlength=k) / sw
        e = np.where(sw2 > 0, sw**2 / sw2, 0.0)
        sd = np.sqrt(ss * e / (e - 1))
        se = sd / np.sqrt(e)
    sd[e <= 1] = np.nan
    se[e <= 1] = np.nan
    return {"n": n, "weighted_n": sw, "n_eff": e, "mean": mean, "sd": sd, "se": se}


def compare_means(
    data: pd.DataFrame,
    value: Hashable,
    col: Hashable,
    *,
    weights: Hashable | np.ndarray | None = None,
    alpha: float = 0.05,
    alpha2: float | None = None,
    adjust: Literal["bonferroni", "bh"] | None = None,
    total: bool = True,
    lang: Literal["en", "zh"] = "en",
    first_letter: int = 0,
) -> MeansResult:
    """Mean of a numeric variable per column category, with Welch t tests and letters.

    The weighted mean is sum(w x) / sum(w); the SD is the weighted root mean square deviation
    times sqrt(e / (e - 1)), e the Kish effective base (sum w)^2 / sum w^2 of the column; the
    standard error is SD / sqrt(e). Pairs of columns are compared with Welch's t test on those
    standard errors (:func:`needlab.tables.coltests.mean_test`). Without weights these are
    the usual sample SD, SE and Welch test.

    Parameters
    ----------
    data : DataFrame
    value : str
        Numeric column (e.g. a 1-5 score, or likelihood to recommend 0-10).
    col : str
        Column (banner) variable.
    weights : str or array, optional
    alpha, alpha2, adjust, total, lang, first_letter
        As in :func:`needlab.tables.crosstab`.

    Returns
    -------
    MeansResult

    Raises
    ------
    SchemaError, DataError, ConfigError
        Unknown columns, a non-numeric value column (values named), invalid weights or options.

    References
    ----------
    Welch, B. L. (1947). The generalization of 'Student's' problem when several different
    population variances are involved. *Biometrika*, 34(1-2), 28-35.
    Kish, L. (1965). *Survey Sampling*. Wiley.

    Examples
    --------
    >>> df = pd.DataFrame({"score": [5, 4, 5, 4, 5, 2, 3, 2, 3, 2], "g": list("aaaaabbbbb")})
    >>> res = compare_means(df, "score", "g")
    >>> res.table[["column", "mean", "sig"]]
      column  mean sig
    0      a   4.6   B
    1      b   2.4
    2  Total   3.5
    """
    data = check_frame(data)
    check_columns(data, [value, col])
    check_option(adjust, (None, "bonferroni", "bh"), "adjust")
    alpha = check_alpha(alpha)
    if alpha2 is not None and check_alpha(alpha2, "alpha2") <= alpha:
        raise ConfigError(f"alpha2 ({alpha2}) must be larger than alpha ({alpha}).")
    x = check_numeric(data, value).to_numpy(dtype=float)
    w = check_weights(data, weights)
    w = np.ones(len(data)) if w is None else w
    cc, clev = codes_of(data[col], col)
    ok = np.isfinite(x) & (cc >= 0)
    notes = []
    if (~ok).any():
        notes.append(f"{int((~ok).sum())} of {len(data)} rows excluded: "
                     f"{int((~np.isfinite(x)).sum())} missing {value!r}, {int((cc < 0).sum())} "
                     f"missing {col!r}.")
    k = len(clev)
    st = _weighted_stats(x[ok], w[ok], cc[ok], k)
    letters = column_letters(k, first_letter)
    ma, mb = st["mean"][:, None], st["mean"][None, :]
    stat, pval = mean_test(ma, mb, st["se"][:, None], st["se"][None, :], st["n_eff"][:, None],
                           st["n_eff"][None, :])
    iu, ju = np.triu_indices(k, 1)
    padj = np.full_like(pval, np.nan)
    padj[iu, ju] = adjust_pvalues(pval[iu, ju], adjust)
    padj[ju, iu] = padj[iu, ju]
    sig = letters_for((ma - mb)[None], padj[None], letters, alpha, alpha2)[0]
    va, vb = st["se"][iu] ** 2, st["se"][ju] ** 2
    with np.errstate(invalid="ignore", divide="ignore"):
        df = (va + vb) ** 2 / (va**2 / (st["n_eff"][iu] - 1) + vb**2 / (st["n_eff"][ju] - 1))
    pvalues = pd.DataFrame({
        "column_a": np.asarray(clev)[iu], "column_b": np.asarray(clev)[ju],
        "mean_a": st["mean"][iu], "mean_b": st["mean"][ju],
        "difference": st["mean"][iu] - st["mean"][ju], "statistic": stat[iu, ju], "df": df,
        "p_value": pval[iu, ju], "p_adjusted": padj[iu, ju], "significant": padj[iu, ju] < alpha,
        "testable": np.isfinite(pval[iu, ju]),
    })
    table = pd.DataFrame({"column": list(clev), "letter": letters, **st, "sig": sig})
    if total:
        tot = _weighted_stats(x[ok], w[ok], np.zeros(int(ok.sum()), dtype=np.int64), 1)
        row = {"column": LABELS[lang]["total"], "letter": "", **{c: v[0] for c, v in tot.items()},
               "sig": ""}
        table = pd.concat([table, pd.DataFrame([row])], ignore_index=True)
    return MeansResult(table, pvalues=pvalues, value=value, col=col, notes=tuple(notes))


def describe_value(result: MeansResult, decimals: int = 2) -> pd.Series:
    """One banner row: ``"4.60 B"`` per column, indexed by column category."""
    t = result.table
    txt = t["mean"].map(lambda v: "" if pd.isna(v) else f"{v:.{decimals}f}")
    return pd.Series((txt + " " + t["sig"]).str.strip().to_numpy(), index=t["column"])

