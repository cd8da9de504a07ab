"""Checking survey data against its codebook: absent columns, wrong types, unknown codes,
values out of range, id problems and invalid weights.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from needlab._validate import preview, row_list
from needlab.errors import DataError
from needlab.io.codes import bad_tokens, is_numeric_like, map_codes, user_missing
from needlab.io.column import CODED_TYPES

if TYPE_CHECKING:  # pragma: no cover
    from needlab.io.codebook import Codebook

__all__ = ["VALIDATE_COLUMNS", "Problem", "problems", "validate"]

Problem = Literal[
    "missing_column",
    "wrong_type",
    "not_in_labels",
    "out_of_range",
    "duplicate_id",
    "missing_id",
    "bad_weight",
]
"""The kinds of mismatch :func:`validate` reports."""

VALIDATE_COLUMNS = ["column", "problem", "n", "examples", "rows"]
"""The columns of the table returned by :func:`validate` (and :meth:`Codebook.validate`)."""


def problems(
    codebook: Codebook, df: pd.DataFrame
) -> list[tuple[str, Problem, np.ndarray, pd.Series]]:
    """Every mismatch of *df* with *codebook* as (column, problem, row mask, offending values).

    The problems are those of :func:`validate` (see there); :func:`needlab.quality` reports the
    rows behind them.

    Examples
    --------
    >>> from needlab.io.codebook import Codebook, Column
    >>> cb = Codebook([Column("q", "single", values={1: {"en": "Yes"}})])
    >>> [(c, p, m.tolist()) for c, p, m, _ in problems(cb, pd.DataFrame({"q": [1, 3]}))]
    [('q', 'not_in_labels', [False, True])]
    """
    out: list[tuple[str, Problem, np.ndarray, pd.Series]] = []
    n = len(df)
    for c in codebook:
        if c.name not in df.columns:
            out.append(
                (c.name, "missing_column", np.ones(n, dtype=bool), pd.Series([], dtype=object))
            )
            continue
        s = df[c.name]
        if isinstance(s, pd.DataFrame):  # duplicated column names
            s = s.iloc[:, 0]
        notmiss = s.notna().to_numpy() & ~user_missing(s, c)
        if c.type in ("numeric", "weight"):
            num = s if is_numeric_like(s) else pd.to_numeric(s, errors="coerce")
            wrong = notmiss & num.isna().to_numpy()
            if wrong.any():
                out.append((c.name, "wrong_type", wrong, s[wrong]))
            vals = num.to_numpy(dtype=float, na_value=np.nan)
            if c.range is not None:
                with np.errstate(invalid="ignore"):
                    oor = notmiss & ~np.isnan(vals) & ((vals < c.range[0]) | (vals > c.range[1]))
                if oor.any():
                    out.append((c.name, "out_of_range", oor, s[oor]))
            if c.type == "weight" and c.name == codebook.weight:
                bad = ~wrong & (np.isnan(vals) | np.isinf(vals) | (vals < 0))
                if bad.any():
                    out.append((c.name, "bad_weight", bad, s[bad]))
                elif n and np.nansum(vals) <= 0:
                    out.append((c.name, "bad_weight", np.ones(n, dtype=bool), s))
        elif c.type == "date":
            if not pd.api.types.is_datetime64_any_dtype(s):
                parsed = pd.to_datetime(s.where(notmiss), errors="coerce", format="mixed")
                wrong = notmiss & parsed.isna().to_numpy()
                if wrong.any():
                    out.append((c.name, "wrong_type", wrong, s[wrong]))
        elif c.type == "id":
            na = s.isna().to_numpy()
            if na.any():
                out.append((c.name, "missing_id", na, s[na]))
            dup = s.duplicated(keep=False).to_numpy() & ~na
            if dup.any():
                out.append((c.name, "duplicate_id", dup, s[dup]))
        elif c.type in CODED_TYPES and c.values:
            if c.type == "multi" and c.delimiter:
                mask, bad = bad_tokens(s.where(notmiss), c)
                if mask.any():
                    out.append((c.name, "not_in_labels", mask, bad))
            else:
                _, unknown = map_codes(s, c)
                unknown = unknown & notmiss
                if unknown.any():
                    out.append((c.name, "not_in_labels", unknown, s[unknown]))
    return out


def validate(codebook: Codebook, df: pd.DataFrame) -> pd.DataFrame:
    """Check *df* against *codebook*; return every mismatch (:meth:`Codebook.validate`).

    Columns the codebook does not declare are not checked (extra columns are fine). Coded
    columns may hold codes or labels (either language, matched after NFKC + strip +
    casefold); user-missing codes and missing values are always fine. Each token of a
    delimited ``multi`` column must be a code or label.

    Parameters
    ----------
    codebook : Codebook
        The codebook.
    df : DataFrame
        The survey data.

    Returns
    -------
    DataFrame
        One row per (column, problem), with ``column`` (the column name), ``problem``
        (``missing_column``: declared but absent; ``wrong_type``: not a number / date where
        one is declared; ``not_in_labels``: a code or label the column does not declare;
        ``out_of_range``: a number outside the declared ``range``; ``duplicate_id`` and
        ``missing_id``: id column problems; ``bad_weight``: negative, missing or infinite
        weights, or weights summing to zero), ``n`` (rows affected), ``examples`` (a few
        offending values) and ``rows`` (a few of their row positions, 0-based). Empty (with
        these columns) when everything matches.

    Examples
    --------
    >>> from needlab.io.codebook import Codebook, Column
    >>> cb = Codebook([Column("q", "single", values={1: {"en": "Yes", "zh": "是"},
    ...                                              2: {"en": "No", "zh": "否"}}, missing=[9])])
    >>> df = pd.DataFrame({"q": [1, "是", " yes ", 9, None, 7, "maybe"]})
    >>> validate(cb, df)
      column        problem  n   examples  rows
    0      q  not_in_labels  2  7, 'maybe'  5, 6
    """
    if not isinstance(df, pd.DataFrame):
        raise DataError(f"validate needs a DataFrame, got {type(df).__name__}.")
    rows = []
    for column, problem, mask, values in problems(codebook, df):
        rows.append(
            {
                "column": column,
                "problem": problem,
                "n": int(mask.sum()),
                "examples": preview(values.tolist()) if len(values) else "",
                "rows": row_list(mask) if problem != "missing_column" else "",
            }
        )
    out = pd.DataFrame(rows, columns=VALIDATE_COLUMNS)
    out["n"] = out["n"].astype("int64")
    return out
