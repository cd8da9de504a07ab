"""Answer codes of survey data: cells holding codes or labels mapped to the codebook's codes.

Data may hold either the codes (``1``, ``2``, ...) or the labels (``"Very satisfied"``,
``"非常满意"``) of a coded column. Labels are matched after Unicode NFKC normalisation,
stripping and case folding, so full-width characters, stray spaces and case do not matter. The
mapping works on the distinct values of a column, not on every row.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from needlab._validate import preview, row_list
from needlab.errors import ConfigError, DataError
from needlab.io.column import Code, Column, as_code, normalise_text

__all__ = [
    "bad_tokens",
    "code_order",
    "codes_or_raise",
    "is_numeric_like",
    "map_codes",
    "mask_missing",
    "resolve_missing",
    "unique_labels",
    "user_missing",
]

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


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
        return sorted(keys)
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


# --------------------------------------------------------------------------------------------
# user-missing codes given by column name or glob pattern
# --------------------------------------------------------------------------------------------
def resolve_missing(
    missing: Mapping[str, Any], names: Sequence[Any], *, where: str = "missing"
) -> dict[str, list[Code]]:
    """Expand ``{column or glob pattern: codes}`` over *names* into ``{column: [codes]}``.

    A key is a column name or a :mod:`fnmatch` pattern (``"sat_*"``, ``"q[1-3]"``), matched
    case-sensitively; the codes of every key matching a column are combined in order. Codes
    are a list or one code (``99`` or ``[0, 98, 99]``).

    Raises
    ------
    ConfigError
        *missing* is not a mapping, a key matches no column (the message suggests a close
        name), or a code is not an integer or a short text.

    Examples
    --------
    >>> resolve_missing({"sat_*": [0, 99], "age": 999}, ["sat_a", "sat_b", "age"])
    {'sat_a': [0, 99], 'sat_b': [0, 99], 'age': [999]}
    """
    import difflib
    import fnmatch

    if not isinstance(missing, Mapping):
        raise ConfigError(
            f"{where} must be a mapping of column (or glob pattern) -> codes, "
            f"e.g. {{'sat_*': [0, 99]}}; got {type(missing).__name__}."
        )
    cols = [str(n) for n in names]
    out: dict[str, list[Code]] = {}
    for key, raw in missing.items():
        key = str(key)
        hits = [key] if key in cols else fnmatch.filter(cols, key)
        if not hits:
            close = difflib.get_close_matches(key, cols, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ConfigError(
                f"{where}: {key!r}{hint} matches no column; give a column name or a glob "
                f"pattern such as 'sat_*'. Columns: {preview(cols)}."
            )
        values = raw if isinstance(raw, (list, tuple, set, frozenset)) else [raw]
        try:
            codes = [as_code(v) for v in values]
        except ConfigError as exc:
            raise ConfigError(f"{where}: {key!r}: {exc}") from None
        if not codes:
            raise ConfigError(f"{where}: {key!r} lists no codes; give e.g. [0, 99].")
        for name in hits:
            have = out.setdefault(name, [])
            have.extend(c for c in codes if c not in have)
    return out


def mask_missing(
    df: pd.DataFrame, missing: Mapping[str, Any]
) -> tuple[pd.DataFrame, dict[str, list[Code]], list[tuple[str, int, str]]]:
    """Set the user-missing codes of ``{column or pattern: codes}`` to missing in a copy of *df*.

    Codes match as numbers in numeric columns and as normalised text (NFKC, trimmed, case
    folded) in text columns.

    Returns
    -------
    tuple
        The masked copy, the resolved ``{column: codes}`` (see :func:`resolve_missing`) and
        load-report rows ``(column, cells set to missing, detail)`` for the columns changed.

    Examples
    --------
    >>> df = pd.DataFrame({"sat": [1, 5, 9, 3], "city": ["a", "N/A", "b", "n/a "]})
    >>> out, codes, rows = mask_missing(df, {"sat": [9], "city": "N/A"})
    >>> out["sat"].tolist(), out["city"].tolist(), [r[:2] for r in rows]
    ([1.0, 5.0, nan, 3.0], ['a', nan, 'b', nan], [('sat', 1), ('city', 2)])
    """
    resolved = resolve_missing(missing, list(df.columns))
    out = df.copy()
    rows = []
    by_name = {str(c): c for c in df.columns}
    for name, codes in resolved.items():
        col = by_name[name]
        mask = user_missing(out[col], Column(name, "single", missing=list(codes)))
        if mask.any():
            out[col] = out[col].mask(mask)
            rows.append(
                (name, int(mask.sum()), f"user-missing codes {preview(codes)} set to missing")
            )
    return out, resolved, rows
