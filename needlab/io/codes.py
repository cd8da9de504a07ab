"""Answer codes of survey data: cells holding codes or labels mapped to the codebook's codes.

Data may hold either the codes (``1``, ``2``, ...) or the labels (``"Very satisfied"``,
``"非常满意"``) of a coded column. Labels are matched after Unicode NFKC normalisation,
stripping and case folding, so full-width characters, stray spaces and case do not matter. The
mapping works on the distinct values of a column, not on every row.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from needlab._validate import SHOW, preview
from needlab.errors import DataError
from needlab.io.column import Code, Column, normalise_text

__all__ = [
    "bad_tokens",
    "code_order",
    "codes_or_raise",
    "is_numeric_like",
    "map_codes",
    "row_list",
    "unique_labels",
    "user_missing",
]

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def row_list(mask: np.ndarray, n: int = SHOW) -> str:
    """The first *n* row positions where *mask* is true, for an error message.

    Examples
    --------
    >>> row_list(np.array([True, False, True]))
    '0, 2'
    """
    pos = np.flatnonzero(mask)
    text = ", ".join(str(p) for p in pos[:n])
    return text + (f" (and {len(pos) - n} more)" if len(pos) > n else "")


def is_numeric_like(s: pd.Series) -> bool:
    """Whether *s* holds numbers (booleans are not numbers here)."""
    return pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)


def map_codes(s: pd.Series, col: Column) -> tuple[pd.Series, np.ndarray]:
    """Map a Series of codes or labels to codes.

    Returns the codes (object Series, NaN where missing or unknown) and a boolean mask of
    non-missing cells that match no code or label. Works on the unique values only.
    """
    look = col.code_lookup()
    uniq = pd.unique(s.dropna())
    table: dict[Any, Any] = {}
    for u in uniq:  # unique values, not rows
        code: Any = None
        if isinstance(u, (int, np.integer)) and not isinstance(u, (bool, np.bool_)):
            code = look.get(int(u))
        elif isinstance(u, (float, np.floating)):
            code = look.get(int(u)) if float(u).is_integer() else look.get(normalise_text(float(u)))
        else:
            key = normalise_text(u)
            code = look.get(key)
            if code is None and _NUMBER.match(key):
                num = float(key)
                code = look.get(int(num)) if num.is_integer() else look.get(normalise_text(num))
        table[u] = code
    codes = s.map(table) if len(table) else pd.Series(np.nan, index=s.index, dtype=object)
    unknown = (s.notna() & codes.isna()).to_numpy(dtype=bool, copy=True)
    return codes.astype(object), unknown


def bad_tokens(s: pd.Series, col: Column) -> tuple[np.ndarray, pd.Series]:
    """For a delimited multi column: mask of rows with an unknown token, and the bad tokens."""
    pos = np.flatnonzero(s.notna().to_numpy())
    text = pd.Series(s.to_numpy(dtype=object)[pos], index=pos, dtype=object).astype(str)
    tokens = text.str.split(col.delimiter or ";", regex=False).explode().str.strip()
    tokens = tokens[tokens.notna() & (tokens != "")]
    _, unknown = map_codes(tokens, col)
    bad = tokens[unknown]
    mask = np.zeros(len(s), dtype=bool)
    mask[bad.index.to_numpy(dtype=np.int64)] = True
    return mask, bad


def user_missing(s: pd.Series, c: Column) -> np.ndarray:
    """Mask of cells holding one of the column's user-missing codes (as number or text)."""
    if not c.missing:
        return np.zeros(len(s), dtype=bool)
    if is_numeric_like(s):
        keys = [m for m in c.missing if isinstance(m, int)]
        return s.isin(keys + [float(k) for k in keys]).to_numpy()
    codes, _ = map_codes(s, c)
    return codes.isin(c.missing).to_numpy()


def code_order(c: Column) -> list[Code]:
    keys = [k for k in c.scale() if k not in set(c.missing)]
    if all(isinstance(k, int) for k in keys):
        return sorted(keys)  # type: ignore[type-var]
    return keys


def unique_labels(labels: list[str], codes: list[Code]) -> list[str]:
    counts = pd.Series(labels, dtype=object).value_counts()
    if (counts > 1).any():
        return [
            f"{lab} ({k})" if counts[lab] > 1 else lab for lab, k in zip(labels, codes, strict=True)
        ]
    return labels


def codes_or_raise(s: pd.Series, c: Column) -> pd.Series:
    """The codes of *s* (codes or labels of column *c*), user-missing codes set to missing.

    Raises
    ------
    DataError
        A cell matches no code or label; the message lists the column, values and rows.

    Examples
    --------
    >>> c = Column("q", "single", values={1: {"en": "Yes"}, 2: {"en": "No"}}, missing=[9])
    >>> codes_or_raise(pd.Series(["no", 1, 9]), c).tolist()
    [2, 1, nan]
    """
    codes, unknown = map_codes(s, c)
    if unknown.any():
        allowed = ", ".join(f"{k}={v}" for k, v in c.value_labels("en").items())
        raise DataError(
            f"column {c.name!r} has {int(unknown.sum())} values that match no code or label: "
            f"{preview(s[unknown].tolist())} at rows {row_list(unknown)}. Allowed: {allowed}"
            + (f" (missing: {c.missing})" if c.missing else "")
            + ". Recode them, set them to missing or add them to the codebook."
        )
    miss = codes.isin(c.missing).to_numpy() if c.missing else np.zeros(len(s), dtype=bool)
    return codes.mask(miss)
