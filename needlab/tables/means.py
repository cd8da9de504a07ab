"""Column means of a numeric variable with Welch t tests and significance letters."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from needlab._engine import (
    ENGINES,
    Engine,
    describe,
    grouped_moments,
    is_engine_input,
    resolve_engine,
    to_pandas_input,
)
from needlab._i18n import TABLE_LABELS
from needlab._result import Result
from needlab._stats import codes_of, kish_base
from needlab._types import Lang, Weights
from needlab._validate import (
    as_design,
    check_alpha,
    check_columns,
    check_numeric,
    check_option,
    check_weights,
    preview,
)
from needlab.errors import ConfigError, DataError
from needlab.tables.coltests import adjust_pvalues, letters_for, mean_test
from needlab.tables.design import with_labels
from needlab.tables.letters import column_letters

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["MeansResult", "compare_means", "score_values"]


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
        One row per column pair, then one per column against the rest of the sample
        (``column_b = "Total"``): ``column_a``, ``column_b``, ``mean_a``, ``mean_b``,
        ``difference``, ``statistic`` (Welch t), ``df``, ``p_value``, ``p_adjusted``,
        ``significant``, ``testable``.
    """

    pvalues: pd.DataFrame = field(default_factory=pd.DataFrame)
    var: Hashable = None
    col: Hashable = None

    @property
    def title(self) -> str:  # type: ignore[override]
        return f"Mean of {self.var} by {self.col}"

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"means": self.table, "tests": self.pvalues}

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Bars of the means with +-1 SE and letters (see :func:`needlab.tables.plot.means_bars`)."""
        from needlab.tables.plot import means_bars

        return means_bars(self, ax=ax, **kwargs)


def _moments(x: np.ndarray, w: np.ndarray, g: np.ndarray, k: int) -> dict[str, np.ndarray]:
    """Per group: n, sum w, sum w^2 and sum w d, sum w d^2 of d = x - (overall weighted mean).

    Centring on the overall mean keeps the sums of squares accurate when they are combined
    (a group's complement is the total minus the group).
    """
    centre = float(np.sum(w * x) / np.sum(w)) if np.sum(w) > 0 else 0.0
    d = x - centre
    return {
        "n": np.bincount(g, minlength=k).astype(float),
        "sw": np.bincount(g, weights=w, minlength=k),
        "sw2": np.bincount(g, weights=w * w, minlength=k),
        "s1": np.bincount(g, weights=w * d, minlength=k),
        "s2": np.bincount(g, weights=w * d * d, minlength=k),
        "centre": np.full(k, centre),
    }


def _stats_of(m: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """n, weighted n, Kish base e, weighted mean, SD = sqrt(ms e / (e - 1)) and SE = SD / sqrt(e)."""
    sw, sw2 = m["sw"], m["sw2"]
    with np.errstate(invalid="ignore", divide="ignore"):
        dm = m["s1"] / sw
        raw = m["s2"] / sw
        ms = raw - dm * dm  # weighted mean square deviation
        # s2/sw - dm^2 cancels when a group sits far from the centre: below 1e-12 of s2/sw the
        # difference is rounding noise (a constant group must have SD 0, whatever the weights)
        ms = np.where(ms > 1e-12 * raw, ms, 0.0)
        e = kish_base(sw, sw2)
        sd = np.sqrt(ms * e / (e - 1))
        se = sd / np.sqrt(e)
    # one respondent (e = 1, up to rounding) has no SD whatever its weight
    few = e <= 1 + 1e-9
    sd, se = np.where(few, np.nan, sd), np.where(few, np.nan, se)
    return {"n": m["n"], "weighted_n": sw, "n_eff": e, "mean": m["centre"] + dm, "sd": sd, "se": se}


def _weighted_stats(x: np.ndarray, w: np.ndarray, g: np.ndarray, k: int) -> dict[str, np.ndarray]:
    """Per group: n, weighted n, Kish base, weighted mean, SD and standard error."""
    return _stats_of(_moments(x, w, g, k))


def _welch_df(se_a: np.ndarray, se_b: np.ndarray, e_a: np.ndarray, e_b: np.ndarray) -> np.ndarray:
    va, vb = se_a**2, se_b**2
    with np.errstate(invalid="ignore", divide="ignore"):
        return (va + vb) ** 2 / (va**2 / (e_a - 1) + vb**2 / (e_b - 1))


def score_values(
    data: pd.DataFrame, var: Hashable, scores: Mapping[Any, float] | None = None
) -> tuple[np.ndarray, list[str]]:
    """The numbers whose mean a mean row shows, and a note on how they were scored.

    - With ``scores`` (answer -> number), each answer is replaced by its score; answers
      without a score are an error.
    - A categorical column with numeric categories uses the category values.
    - An *ordered* categorical of labels (e.g. from :meth:`needlab.Survey.labelled`, a Likert
      item "Very dissatisfied" ... "Very satisfied") is scored 1, 2, ..., k in category order:
      the mean score of the ordered scale. Pass ``scores`` when the codes are not 1..k.
    - Anything else must be numeric.

    Returns
    -------
    x : ndarray of float
        The scores (NaN = missing).
    notes : list of str
        How an ordered scale or a mapping was scored (empty for numbers).

    Raises
    ------
    DataError
        Text that is not a number, an unordered categorical of labels without ``scores``, or
        answers missing from ``scores``; the message names the column and a few values.
    ConfigError
        ``scores`` that is not a mapping to finite numbers.

    Examples
    --------
    >>> s = pd.Categorical(["low", "high", "mid"], categories=["low", "mid", "high"], ordered=True)
    >>> score_values(pd.DataFrame({"q": s}), "q")[0].tolist()
    [1.0, 3.0, 2.0]
    """
    s = data[var]
    if scores is not None:
        if not isinstance(scores, Mapping) or not scores:
            raise ConfigError(
                f"scores for {var!r} must be a non-empty mapping "
                f"{{answer: number}}, got {scores!r}."
            )
        try:
            num = {k: float(v) for k, v in scores.items()}
        except (TypeError, ValueError) as exc:
            raise ConfigError(
                f"scores for {var!r} must map answers to numbers; got {preview(scores.values())}."
            ) from exc
        if not all(np.isfinite(list(num.values()))):
            raise ConfigError(f"scores for {var!r} must be finite numbers.")
        mapped = s.astype(object).map(num)
        bad = (s.notna() & mapped.isna()).to_numpy()
        if bad.any():
            raise DataError(
                f"column {var!r} has {int(bad.sum())} answers without a score: "
                f"{preview(s[bad].astype(object))} at rows {preview(np.flatnonzero(bad).tolist())}; "
                f"add them to scores= (given for {preview(list(num), 8)}) or set them missing."
            )
        shown = ", ".join(f"{k}={v:g}" for k, v in list(num.items())[:6])
        return mapped.to_numpy(dtype=float), [f"mean of {var!r} scored {shown}."]
    if isinstance(s.dtype, pd.CategoricalDtype):
        cats = s.cat.categories
        if pd.api.types.is_numeric_dtype(cats.dtype):
            return s.astype(float).to_numpy(), []
        if not s.cat.ordered:
            raise DataError(
                f"column {var!r} is an unordered categorical ({preview(list(cats))}); a mean "
                "needs numbers. Pass scores={answer: number}, or make it an ordered "
                "categorical to score its categories 1..k in order."
            )
        codes = s.cat.codes.to_numpy()
        x = np.where(codes >= 0, codes + 1.0, np.nan)
        k = len(cats)
        return x, [
            f"mean score of the ordered scale {var!r}: categories scored 1 to {k} in "
            f"order ({cats[0]}=1, ..., {cats[-1]}={k}); pass scores= for other values."
        ]
    return check_numeric(data, var).to_numpy(dtype=float), []


def compare_means(
    data: Any,
    var: Hashable,
    col: Hashable,
    *,
    weights: Weights = None,
    scores: Mapping[Any, float] | None = None,
    test: Literal["welch"] | None = "welch",
    alpha: float = 0.05,
    alpha2: float | None = None,
    adjust: Literal["bonferroni", "bh"] | None = None,
    total: bool = True,
    lang: Lang = "en",
    first_letter: int = 0,
    engine: Engine = "auto",
) -> MeansResult:
    """Mean of a numeric variable per column category, with Welch t tests and letters.

    The weighted mean is sum(w x) / sum(w); the SD is the weighted root mean square deviation
    times sqrt(e / (e - 1)), e the Kish effective base (sum w)^2 / sum w^2 of the column; the
    standard error is SD / sqrt(e). Pairs of columns are compared with Welch's t test on those
    standard errors (:func:`needlab.tables.coltests.mean_test`):
    t = (m_a - m_b) / sqrt(se_a^2 + se_b^2) on
    df = (se_a^2 + se_b^2)^2 / (se_a^4 / (e_a - 1) + se_b^4 / (e_b - 1)).
    Without weights these are the usual sample SD, SE and Welch test (R's ``t.test``).

    Parameters
    ----------
    data : DataFrame or Survey
        One row per respondent. A :class:`~needlab.Survey` gives the codes of *var*, the
        answer labels of *col* and its codebook's weight column.
    var : str
        Numeric column (e.g. a 1-5 score, or likelihood to recommend 0-10), or an ordered
        scale: an ordered categorical of labels is scored 1..k in category order (see
        :func:`score_values`).
    col : str
        Column (banner) variable.
    weights : str, array or False, optional
        Survey weights; on a Survey None takes the codebook's weight column and False is
        unweighted.
    scores : mapping, optional
        ``answer -> number`` used instead of the values (e.g. ``{"Agree": 4, ...}``).
    test : {"welch", None}, default "welch"
        None: means only, no tests and no letters (``.pvalues`` is empty).
    alpha, alpha2, adjust, lang, first_letter
        As in :func:`needlab.tables.crosstab`.
    total : bool, default True
        Add the Total row, and test each column against the rest of the sample (the column
        is part of the total; m_a - m_total = (1 - W_a / W)(m_a - m_rest), so the test of
        the column against the rest is the overlap-free test of its difference from the
        total). These tests have ``column_b = "Total"`` and are adjusted as their own family.
    engine : {"auto", "pandas", "duckdb"}, default "auto"
        Where the sums are counted (:func:`needlab._engine.resolve_engine`): a pandas frame or
        Survey in pandas (in DuckDB above :data:`~needlab._engine.AUTO_DUCKDB_ROWS` rows or
        with ``"duckdb"``), a Parquet/CSV path in DuckDB, a Polars frame, DuckDB relation or
        SQLFrame/PySpark DataFrame on its own backend. The engine returns per column category
        n, sum w, sum w^2, sum w y and sum w y^2 over the rows with a value
        (:func:`needlab._engine.grouped_moments`); the means, SDs and tests follow from them
        (the centred sums by sum w (y - c)^2 = sum w y^2 - 2 c sum w y + c^2 sum w, exact up
        to rounding that grows with (mean / SD)^2). For engine input ``weights`` must be a
        column name, ``var`` a numeric column and ``scores`` is not available.

    Returns
    -------
    MeansResult
        ``n_used`` counts the respondents with a value, a column category and a positive
        weight. ``.table``: one row per column category (and Total) with ``column``, ``letter``,
        ``n`` (unweighted valid answers), ``weighted_n``, ``n_eff`` (Kish base), ``mean``,
        ``sd``, ``se`` and ``sig`` (letters of the columns this mean is significantly
        greater than). ``.pvalues``: one row per pair, then per column against the rest
        of the sample, with ``column_a``, ``column_b``, ``mean_a``, ``mean_b`` (the total's
        mean on the Total rows), ``difference`` (``mean_a - mean_b``), ``statistic`` (Welch
        t), ``df``, ``p_value``, ``p_adjusted``, ``significant`` and ``testable`` (False for an
        empty column, a column with one respondent or a zero standard error).

    Raises
    ------
    SchemaError
        Unknown columns.
    DataError
        A non-numeric value column (values named), an unordered categorical without
        ``scores``, answers without a score, invalid weights, or a column variable with
        fewer than two categories or values of mixed types.
    ConfigError
        ``alpha`` outside (0, 1), ``alpha2 <= alpha``, unknown ``test``, ``adjust``,
        ``lang`` or ``engine``; ``scores`` or an array of weights with an engine frame.

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
    check_option(engine, ENGINES, "engine")
    check_option(test, ("welch", None), "test")
    check_option(adjust, (None, "bonferroni", "bh"), "adjust")
    check_option(lang, ("en", "zh"), "lang")
    alpha = check_alpha(alpha)
    if alpha2 is not None and check_alpha(alpha2, "alpha2") <= alpha:
        raise ConfigError(f"alpha2 ({alpha2}) must be larger than alpha ({alpha}).")
    if resolve_engine(data, engine) != "pandas":
        mom, clev, notes, n_used, n_rows = _engine_moments(data, var, col, weights, scores, engine)
        k = len(clev)
    else:
        data = to_pandas_input(data)
        design = as_design(data, weights=weights, labels=False)
        data = with_labels(data, design, [col])
        check_columns(data, [var, col])
        x, notes = score_values(data, var, scores)
        w = check_weights(data, design.weights)
        w = np.ones(len(data)) if w is None else w
        cc, cats = codes_of(data[col], col)
        clev = list(cats)
        _check_levels(col, clev)
        ok = np.isfinite(x) & (cc >= 0)
        if not ok.any() or w[ok].sum() <= 0:
            _no_rows(var, col)
        if (~ok).any():
            notes.append(
                f"{int((~ok).sum())} of {len(data)} rows excluded: "
                f"{int((~np.isfinite(x)).sum())} missing {var!r}, {int((cc < 0).sum())} "
                f"missing {col!r}."
            )
        zero = int(np.count_nonzero(ok & (w <= 0)))
        if zero:
            notes.append(
                f"{zero} rows have weight 0: they count for nothing (excluded from n_used)."
            )
        n_used = int(np.count_nonzero(ok & (w > 0)))
        n_rows = len(data)
        k = len(clev)
        xs, ws, gs = x[ok], w[ok], cc[ok]
        mom = _moments(xs, ws, gs, k)
    st = _stats_of(mom)
    letters = column_letters(k, first_letter)
    total_label = TABLE_LABELS[lang]["total"]
    tot_mom = {c: v.sum(keepdims=True) for c, v in mom.items() if c != "centre"}
    tot_mom["centre"] = mom["centre"][:1]
    tot = _stats_of(tot_mom)
    if test is None:
        sig = np.full(k, "", dtype=object)
        pvalues = pd.DataFrame(
            {
                c: pd.Series(
                    dtype=object
                    if c in ("column_a", "column_b")
                    else bool
                    if c in ("significant", "testable")
                    else float
                )
                for c in PVALUE_COLUMNS
            }
        )
    else:
        ma, mb = st["mean"][:, None], st["mean"][None, :]
        stat, pval = mean_test(
            ma, mb, st["se"][:, None], st["se"][None, :], st["n_eff"][:, None], st["n_eff"][None, :]
        )
        iu, ju = np.triu_indices(k, 1)
        padj = np.full_like(pval, np.nan)
        padj[iu, ju] = adjust_pvalues(pval[iu, ju], adjust)
        padj[ju, iu] = padj[iu, ju]
        sig = letters_for((ma - mb)[None], padj[None], letters, alpha, alpha2)[0]
        frames = [
            pd.DataFrame(
                {
                    "column_a": np.asarray(clev, dtype=object)[iu],
                    "column_b": np.asarray(clev, dtype=object)[ju],
                    "mean_a": st["mean"][iu],
                    "mean_b": st["mean"][ju],
                    "difference": st["mean"][iu] - st["mean"][ju],
                    "statistic": stat[iu, ju],
                    "df": _welch_df(st["se"][iu], st["se"][ju], st["n_eff"][iu], st["n_eff"][ju]),
                    "p_value": pval[iu, ju],
                    "p_adjusted": padj[iu, ju],
                    "significant": padj[iu, ju] < alpha,
                    "testable": np.isfinite(pval[iu, ju]),
                }
            )
        ]
        if total:
            # Each column against the rest of the sample: the total's sums minus the column's.
            rest = _stats_of({c: (tot_mom[c] - v if c != "centre" else v) for c, v in mom.items()})
            st_r, pv_r = mean_test(
                st["mean"], rest["mean"], st["se"], rest["se"], st["n_eff"], rest["n_eff"]
            )
            pv_adj = adjust_pvalues(pv_r, adjust)
            frames.append(
                pd.DataFrame(
                    {
                        "column_a": np.asarray(clev, dtype=object),
                        "column_b": np.full(k, total_label, dtype=object),
                        "mean_a": st["mean"],
                        "mean_b": np.full(k, tot["mean"][0]),
                        "difference": st["mean"] - tot["mean"][0],
                        "statistic": st_r,
                        "df": _welch_df(st["se"], rest["se"], st["n_eff"], rest["n_eff"]),
                        "p_value": pv_r,
                        "p_adjusted": pv_adj,
                        "significant": pv_adj < alpha,
                        "testable": np.isfinite(pv_r),
                    }
                )
            )
        pvalues = pd.concat(frames, ignore_index=True)
        if not pvalues["testable"].all():
            notes.append(
                f"{int((~pvalues['testable']).sum())} comparisons are not testable (a "
                "column with fewer than two answers or no variance); they show no "
                "letter and testable=False."
            )
    table = pd.DataFrame({"column": list(clev), "letter": letters, **st, "sig": sig})
    if total:
        row = {"column": total_label, "letter": "", **{c: v[0] for c, v in tot.items()}, "sig": ""}
        table = pd.concat([table, pd.DataFrame([row])], ignore_index=True)
    return MeansResult(
        table,
        pvalues=pvalues,
        var=var,
        col=col,
        n_used=n_used,
        n_excluded=n_rows - n_used,
        notes=tuple(notes),
    )


def _check_levels(col: Hashable, clev: Any) -> None:
    if len(clev) < 2:
        raise DataError(
            f"column {col!r} has {len(clev)} {'category' if len(clev) == 1 else 'categories'} "
            f"({preview(list(clev)) or 'none'}); comparing means needs at least two. Choose "
            "another variable or check the filter."
        )


def _no_rows(var: Hashable, col: Hashable) -> None:
    raise DataError(
        f"no row has both a {var!r} value and a {col!r} category with a "
        "positive weight; check the filter, the skip logic or the weights."
    )


def _engine_moments(
    data: Any,
    var: Hashable,
    col: Hashable,
    weights: Any,
    scores: Mapping[Any, float] | None,
    engine: Engine,
) -> tuple[dict[str, np.ndarray], list, list[str], int, int]:
    """The sums of :func:`_moments` from one grouped aggregation in the engine.

    Per column category the engine returns the rows with a value, their sum w, sum w^2,
    sum w y and sum w y^2 (:func:`needlab._engine.grouped_moments`); with c the overall
    weighted mean, sum w d = sum w y - c sum w and sum w d^2 = sum w y^2 - 2 c sum w y +
    c^2 sum w (d = y - c). These differ from the pandas path's directly centred sums only by
    rounding, which grows with (mean / SD)^2: for scores and ratings (means within a few
    SDs of 0) the two agree to about 1e-12 relative.
    """
    if is_engine_input(data):
        if scores is not None:
            raise ConfigError(
                f"scores= recodes answers row by row, which needs pandas input; recode "
                f"{var!r} in the {describe(data)} first, or pass engine='pandas'."
            )
        if weights is not None and weights is not False and not isinstance(weights, str):
            raise ConfigError(
                f"weights for a {describe(data)} must name one of its columns (got a "
                f"{type(weights).__name__}); add the weights as a column in the engine."
            )
        wcol = None if weights is None or weights is False else weights
        t = grouped_moments(data, [col], var, weights=wcol, engine=engine)
        notes: list[str] = []
    else:
        design = as_design(data, weights=weights, labels=False)
        frame = with_labels(data, design, [col])
        check_columns(frame, [var, col])
        x, notes = score_values(frame, var, scores)
        w = check_weights(frame, design.weights)
        g = frame[col]
        dtype = g.dtype if isinstance(g.dtype, pd.CategoricalDtype) else None
        src = pd.DataFrame(
            {
                "g": g.cat.codes.to_numpy().astype(np.int64) if dtype is not None else g.array,
                "y": x,
                **({"w": w} if w is not None else {}),
            },
            copy=False,
        )
        t = grouped_moments(src, ["g"], "y", weights="w" if w is not None else None)
        if dtype is not None:
            codes = t["g"].to_numpy(dtype=np.int64)
            t["g"] = pd.Categorical.from_codes(np.where(codes < 0, -1, codes), dtype=dtype)
        t = t.rename(columns={"g": col})
    cc, clev = codes_of(t[col], col)
    _check_levels(col, clev)
    k = len(clev)
    valid = cc >= 0
    g_ok = cc[valid]

    def per(c: str) -> np.ndarray:
        return np.bincount(g_ok, weights=t[c].to_numpy(dtype=float)[valid], minlength=k)

    n_rows = int(t["n"].sum())
    n_ok = int(t["n_y"].to_numpy()[valid].sum())
    sw = per("sum_w_y")
    if n_ok == 0 or sw.sum() <= 0:
        _no_rows(var, col)
    n_used = int(t["n_pos_y"].to_numpy()[valid].sum())
    if n_ok < n_rows:
        notes.append(
            f"{n_rows - n_ok} of {n_rows} rows excluded: {n_rows - int(t['n_y'].sum())} missing "
            f"{var!r}, {int(t['n'].to_numpy()[~valid].sum())} missing {col!r}."
        )
    if n_ok - n_used:
        notes.append(
            f"{n_ok - n_used} rows have weight 0: they count for nothing (excluded from n_used)."
        )
    swy, swy2 = per("sum_wy"), per("sum_wy2")
    centre = float(swy.sum() / sw.sum())
    mom = {
        "n": per("n_y"),
        "sw": sw,
        "sw2": per("sum_w2_y"),
        "s1": swy - centre * sw,
        "s2": swy2 - 2 * centre * swy + centre * centre * sw,
        "centre": np.full(k, centre),
    }
    return mom, list(clev), notes, n_used, n_rows


PVALUE_COLUMNS = [
    "column_a",
    "column_b",
    "mean_a",
    "mean_b",
    "difference",
    "statistic",
    "df",
    "p_value",
    "p_adjusted",
    "significant",
    "testable",
]
"""Columns of :attr:`MeansResult.pvalues`."""


def describe_value(result: MeansResult, decimals: int = 2) -> pd.Series:
    """One banner row: ``"4.60 B"`` per column, indexed by column category."""
    t = result.table
    txt = t["mean"].map(lambda v: "" if pd.isna(v) else f"{v:.{decimals}f}")
    return pd.Series((txt + " " + t["sig"]).str.strip().to_numpy(), index=t["column"])
