"""Multi-response (multi-select) questions as rows or columns of a table.

A multi-response question lets a respondent pick several answers. Exports store it either as a
set of 0/1 columns (one per answer) or as one delimited column (``"1;3;5"``). :func:`multi`
describes it; :func:`needlab.tables.crosstab` and :func:`needlab.tables.banner` accept the
description wherever they accept a column name. Percentages are percentages of respondents
(they may sum to more than 100), and column tests between overlapping columns (a respondent in
both) use the overlap-corrected variance of :func:`overlap_test`.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from needlab._stats import codes_of
from needlab._validate import check_columns, preview
from needlab.errors import ConfigError, DataError

__all__ = ["Multi", "engine_option_counts", "indicators", "multi", "overlap_test"]


@dataclass(frozen=True, eq=False)
class Multi:
    """A multi-response question (see :func:`multi`); hashed by identity."""

    name: str
    columns: tuple[Hashable, ...]
    delimiter: str | None = None
    labels: Mapping[Any, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.name


def multi(
    columns: Sequence[Hashable] | Hashable,
    *,
    name: str | None = None,
    labels: Mapping[Any, str] | None = None,
    delimiter: str | None = None,
) -> Multi:
    """Describe a multi-response question for crosstabs and banners.

    Parameters
    ----------
    columns : list of str, or str
        The 0/1 columns (one per answer; 1 or True = chosen, 0 or False = not chosen, missing =
        not asked), or, with ``delimiter``, the one column holding the chosen codes.
    name : str, optional
        Name shown in tables (default: the common prefix of the columns, or the column).
    labels : mapping, optional
        Answer labels: column -> label for 0/1 columns, code -> label for a delimited column.
    delimiter : str, optional
        Separator of a delimited column, e.g. ``";"``.

    Returns
    -------
    Multi

    Examples
    --------
    >>> m = multi(["ch_online", "ch_shop"], labels={"ch_online": "Online", "ch_shop": "Shop"})
    >>> m.name, m.columns
    ('ch_', ('ch_online', 'ch_shop'))
    """
    if isinstance(columns, (str, int)) or not isinstance(columns, Sequence):
        columns = [columns]
    cols = tuple(columns)
    if not cols:
        raise ConfigError("multi() needs at least one column.")
    if delimiter is None and len(cols) < 2:
        raise ConfigError(
            f"multi({cols!r}): give two or more 0/1 columns, or one delimited column "
            "with delimiter=';'."
        )
    if delimiter is not None and len(cols) != 1:
        raise ConfigError("with delimiter= give exactly one column holding the chosen codes.")
    if name is None:
        prefix = str(cols[0])
        for c in cols[1:]:
            while not str(c).startswith(prefix):
                prefix = prefix[:-1]
        name = prefix or str(cols[0])
    return Multi(name, cols, delimiter, dict(labels or {}))


def indicators(
    data: pd.DataFrame, var: Hashable | Multi
) -> tuple[np.ndarray, np.ndarray, list[Any]]:
    """Respondent x answer indicator matrix of a single or multi-response variable.

    Returns
    -------
    indicator : ndarray of float, shape (n, k)
        1 where the respondent chose the answer.
    valid : ndarray of bool, shape (n,)
        The respondent answered (a single variable: not missing; 0/1 columns: at least one item
        not missing; a delimited column: not missing).
    levels : list
        The answers' labels.

    Raises
    ------
    DataError
        0/1 columns holding other values (named with a few values and rows).
    """
    n = len(data)
    if not isinstance(var, Multi):
        codes, cats = codes_of(data[var], var)
        ind = np.zeros((n, len(cats)))
        ok = codes >= 0
        ind[np.flatnonzero(ok), codes[ok]] = 1.0
        return ind, ok, list(cats)
    check_columns(data, list(var.columns))
    if var.delimiter is None:
        block = data[list(var.columns)]
        vals = block.apply(pd.to_numeric, errors="coerce")
        bad = (block.notna() & ~vals.isin([0, 1])).to_numpy()
        if bad.any():
            j = int(np.flatnonzero(bad.any(axis=0))[0])
            col = var.columns[j]
            rows = np.flatnonzero(bad[:, j])
            raise DataError(
                f"multi-response column {col!r} must hold 0/1 (or True/False, missing = not asked); "
                f"it has {preview(block.iloc[rows, j].tolist())} at rows {preview(rows.tolist())}. "
                "Recode it, or describe a delimited column with multi(col, delimiter=';')."
            )
        arr = vals.to_numpy(dtype=float)
        valid = ~np.isnan(arr).all(axis=1)
        levels = [var.labels.get(c, c) for c in var.columns]
        return np.nan_to_num(arr, nan=0.0), valid, levels
    s = data[var.columns[0]]
    valid = s.notna().to_numpy() & (s.astype(str).str.strip() != "").to_numpy()
    dummies = (
        s.where(valid)
        .astype("string")
        .str.replace(" ", "", regex=False)
        .str.get_dummies(sep=var.delimiter)
    )
    keys = list(dummies.columns)
    as_num = pd.to_numeric(pd.Series(keys), errors="coerce")
    if as_num.notna().all():
        order = np.argsort(as_num.to_numpy(), kind="stable")
        answers: list[Any] = [
            int(v) if float(v).is_integer() else float(v) for v in as_num.to_numpy()[order]
        ]
    else:
        order = np.argsort(np.asarray(keys, dtype=str), kind="stable")
        answers = [keys[i] for i in order]
    ind = dummies.to_numpy(dtype=float)[:, order]
    levels = [var.labels.get(c, var.labels.get(str(c), c)) for c in answers]
    return ind, valid, levels


def overlap_test(
    y: np.ndarray, w: np.ndarray, a: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """z tests of p_a vs p_b for every answer when the column groups may overlap.

    With p_a = sum_A w y / W_A the weighted share of an answer in group A, the linearised
    (with-replacement) variances are Var(p_a) = sum_A w^2 (y - p_a)^2 / W_A^2 and
    Cov(p_a, p_b) = sum_{A and B} w^2 (y - p_a)(y - p_b) / (W_A W_B): respondents in both
    groups make the two shares covary, which an independent-samples test would ignore.
    z = (p_a - p_b) / sqrt(Var(p_a) + Var(p_b) - 2 Cov), two-sided normal p value. For
    disjoint groups Cov = 0 and this is the unpooled z test with the linearised variance.

    Parameters
    ----------
    y : ndarray, shape (n, R)
        0/1 answer indicators.
    w : ndarray, shape (n,)
        Weights.
    a, b : ndarray, shape (n, m)
        Membership (0/1) of the groups of each of m comparisons.

    Returns
    -------
    p_a, p_b, z, p_value : ndarrays of shape (R, m)

    References
    ----------
    Wolter, K. M. (2007). *Introduction to Variance Estimation* (2nd ed.). Springer, ch. 6
    (Taylor linearisation of ratio estimators).

    Examples
    --------
    >>> y = np.array([[1.], [0.], [1.], [1.]]); w = np.ones(4)
    >>> a = np.array([[1.], [1.], [1.], [0.]]); b = np.array([[0.], [0.], [1.], [1.]])
    >>> [np.round(v.ravel(), 4).tolist() for v in overlap_test(y, w, a, b)[:2]]
    [[0.6667], [1.0]]
    """
    from scipy import special

    yw, yw2, w2 = y * w[:, None], y * (w * w)[:, None], w * w
    wa, wb = w @ a, w @ b
    with np.errstate(invalid="ignore", divide="ignore"):
        pa, pb = (yw.T @ a) / wa, (yw.T @ b) / wb
        var_a = ((yw2.T @ a) * (1 - 2 * pa) + pa**2 * (w2 @ a)) / wa**2
        var_b = ((yw2.T @ b) * (1 - 2 * pb) + pb**2 * (w2 @ b)) / wb**2
        both = a * b
        cov = ((yw2.T @ both) * (1 - pa - pb) + pa * pb * (w2 @ both)) / (wa * wb)
        var = var_a + var_b - 2 * cov
        ok = (wa > 0) & (wb > 0) & (var > 1e-15)
        z = np.where(ok, (pa - pb) / np.sqrt(np.where(ok, var, 1.0)), np.nan)
    return pa, pb, z, np.where(ok, 2 * special.ndtr(-np.abs(z)), np.nan)


def engine_option_counts(
    data: Any,
    var: Multi,
    keys: Sequence[Hashable],
    *,
    weights: Hashable | None = None,
    engine: Any = "auto",
) -> pd.DataFrame:
    """A multi-response question of 0/1 columns counted per option in the engine, per
    combination of *keys* (the banner variables; missing values form their own groups).

    Per group: ``n`` (rows), ``n_v`` (rows answering the question: at least one of its
    columns not missing), ``sum_w``, ``sum_w2`` and ``n_pos`` over those rows, and for option
    ``j`` (the j-th column) ``n_<j>`` and ``w_<j>``: rows choosing it (value 1) and their sum
    of w. Every sum of :func:`indicators`-based tables (a crosstab of the question by one of
    *keys*, its Total column) is a sum of these. Booleans count as 0/1; null and NaN are
    "not asked".

    Raises
    ------
    DataError
        A column holding values other than 0/1 (or a text column), or invalid weights.
    ConfigError
        A delimited question (``multi(col, delimiter=...)``): counted on pandas input only.

    Examples
    --------
    >>> import polars as pl
    >>> df = pl.DataFrame({"a": [1, 0, None], "b": [1, 1, None], "g": ["x", "x", "y"]})
    >>> t = engine_option_counts(df, multi(["a", "b"]), ["g"]).sort_values("g")
    >>> t[["n", "n_v", "n_0", "n_1"]].to_numpy().tolist()
    [[2, 2, 1, 2], [1, 0, 0, 0]]
    """
    import narwhals as nw

    from needlab._engine import _lazy, check_engine_columns, describe, resolve_engine

    if var.delimiter is not None:
        raise ConfigError(
            f"the delimited multi-response question {var.name!r} is counted on pandas input "
            f"only; pass engine='pandas' to collect the {describe(data)} first, or store it "
            "as 0/1 columns."
        )
    how = resolve_engine(data, engine)
    lf = _lazy(data, "duckdb" if how == "pandas" else how)
    names = [str(c) for c in var.columns]
    by = [str(k) for k in keys]
    check_engine_columns(lf, [*names, *by, *([weights] if weights is not None else [])], data)
    schema = lf.collect_schema()
    item = []
    for c in names:
        dtype = schema[c]
        if not (dtype.is_numeric() or dtype == nw.Boolean):
            raise DataError(
                f"multi-response column {c!r} must hold 0/1 (or True/False, missing = not "
                f"asked); it is {dtype} in the {describe(data)}. Recode it in the engine, or "
                "describe a delimited column with multi(col, delimiter=';')."
            )
        v = nw.col(c).cast(nw.Float64)
        item.append(v.is_null() | v.is_nan() if dtype.is_float() else v.is_null())
    one = nw.lit(1.0, nw.Float64)
    w = nw.col(str(weights)).cast(nw.Float64) if weights is not None else one
    answered = ~item[0]
    for m in item[1:]:
        answered = answered | ~m
    wv = nw.when(answered).then(w).otherwise(0.0)
    cols = [
        answered.cast(nw.Float64).alias("__v"),
        wv.alias("__w"),
        (wv * wv).alias("__w2"),
        (answered & (w > 0)).cast(nw.Float64).alias("__pos"),
    ]
    aggs = [
        nw.len().alias("n"),
        nw.col("__v").sum().alias("n_v"),
        nw.col("__w").sum().alias("sum_w"),
        nw.col("__w2").sum().alias("sum_w2"),
        nw.col("__pos").sum().alias("n_pos"),
    ]
    for j, (c, miss) in enumerate(zip(names, item, strict=True)):
        v = nw.col(c).cast(nw.Float64)
        chosen = nw.when(~miss & (v == 1.0)).then(1.0).otherwise(0.0)
        bad = nw.when(~miss & (v != 1.0) & (v != 0.0)).then(1.0).otherwise(0.0)
        cols += [chosen.alias(f"__n{j}"), (chosen * w).alias(f"__c{j}"), bad.alias(f"__b{j}")]
        aggs += [
            nw.col(f"__n{j}").sum().alias(f"n_{j}"),
            nw.col(f"__c{j}").sum().alias(f"w_{j}"),
            nw.col(f"__b{j}").sum().alias(f"bad_{j}"),
        ]
    if weights is not None:
        cols += [
            w.is_null().cast(nw.Float64).alias("__null"),
            (~w.is_finite()).cast(nw.Float64).alias("__nonfinite"),
            (w < 0).cast(nw.Float64).alias("__neg"),
        ]
        aggs += [nw.col(c).sum().alias(c) for c in ("__null", "__nonfinite", "__neg")]
    out = lf.with_columns(*cols).group_by(*by, drop_null_keys=False).agg(*aggs).collect()
    out = out.to_pandas()
    for j, c in enumerate(names):
        k = int(round(float(out.pop(f"bad_{j}").sum())))
        if k:
            raise DataError(
                f"multi-response column {c!r} must hold 0/1 (or True/False, missing = not "
                f"asked); it has {k} other values in the {describe(data)}. Recode it, or "
                "describe a delimited column with multi(col, delimiter=';')."
            )
    if weights is not None:
        for what, c in (
            ("missing", "__null"),
            ("non-finite", "__nonfinite"),
            ("negative", "__neg"),
        ):
            k = int(round(float(out.pop(c).sum())))
            if k:
                raise DataError(
                    f"weights {weights!r} has {k} {what} values in the {describe(data)}; "
                    "weights must be finite and >= 0 (set them or filter those rows)."
                )
    for c in ("n", "n_v", "n_pos", *(f"n_{j}" for j in range(len(names)))):
        out[c] = np.rint(out[c].to_numpy(dtype=float)).astype(np.int64)
    return out.reset_index(drop=True)
