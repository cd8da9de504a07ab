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

__all__ = ["Multi", "indicators", "multi", "overlap_test"]


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
