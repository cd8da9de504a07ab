"""The one place for input checks.

Every public function validates its input here, so that error messages look the same
everywhere: they name the column, show up to :data:`SHOW` offending values with their row
positions, and say how to fix the problem. Checks never use ``assert`` (it vanishes under
``python -O``).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from needlab.errors import ConfigError, DataError, SchemaError

if TYPE_CHECKING:  # pragma: no cover
    from needlab.io.codebook import Codebook

__all__ = [
    "SHOW",
    "Design",
    "as_design",
    "as_series",
    "check_alpha",
    "check_allowed",
    "check_columns",
    "check_count",
    "check_finite",
    "check_frame",
    "check_numeric",
    "check_option",
    "check_unique",
    "check_unique_columns",
    "check_weights",
    "complete_rows",
    "merged_variants",
    "nonfinite_mask",
    "normalise_ids",
    "normalise_labels",
    "preview",
    "row_list",
]

SHOW = 5
"""How many offending values an error message shows."""


def preview(values: Iterable[Any], n: int = SHOW) -> str:
    """Format the first *n* distinct values for an error message, with a count of the rest.

    Examples
    --------
    >>> preview([3, 1, 3, 9, 7, 8, 6, 5])
    '3, 1, 9, 7, 8 (and 2 more)'
    """
    seen: list[Any] = []
    for v in values:
        if v not in seen:
            seen.append(v)
    shown = ", ".join(repr(v) if isinstance(v, str) else str(v) for v in seen[:n])
    rest = len(seen) - n
    return shown + (f" (and {rest} more)" if rest > 0 else "")


def row_list(mask: np.ndarray, n: int = SHOW) -> str:
    """The first *n* row positions where *mask* is true, for an error message.

    Examples
    --------
    >>> row_list(np.array([True, False, True, True]), n=2)
    '0, 2 (and 1 more)'
    """
    pos = np.flatnonzero(mask)
    text = ", ".join(str(p) for p in pos[:n])
    return text + (f" (and {len(pos) - n} more)" if len(pos) > n else "")


def check_frame(data: Any, *, name: str = "data", min_rows: int = 1) -> pd.DataFrame:
    """Check that *data* is a DataFrame with at least *min_rows* rows and unique column names.

    Raises
    ------
    SchemaError
        Not a DataFrame, too few rows, or duplicated column names.
    """
    if not isinstance(data, pd.DataFrame):
        raise SchemaError(
            f"{name} must be a pandas DataFrame, got {type(data).__name__}; "
            "wrap it with pandas.DataFrame(...)."
        )
    if len(data) < min_rows:
        raise SchemaError(
            f"{name} has {len(data)} rows; at least {min_rows} needed. "
            "Check the filter or file that produced it."
        )
    check_unique_columns(data.columns, source=name)
    return data


def check_unique_columns(columns: Iterable[Hashable], *, source: str = "data") -> None:
    """Raise :class:`SchemaError` when a column name occurs more than once.

    Examples
    --------
    >>> check_unique_columns(["a", "b", "a"])
    Traceback (most recent call last):
    ...
    needlab.errors.SchemaError: data has duplicate column names: 'a' (2 times). Rename ...
    """
    idx = pd.Index(list(columns), dtype=object)
    if idx.is_unique:
        return
    counts = idx.value_counts()
    dup = counts[counts > 1]
    shown = ", ".join(f"{k!r} ({v} times)" for k, v in dup.head(SHOW).items())
    raise SchemaError(
        f"{source} has duplicate column names: {shown}. "
        "Rename them so that every column name is unique."
    )


def check_columns(
    data: pd.DataFrame, columns: Iterable[Hashable] | Hashable, *, what: str = "column"
) -> list[Hashable]:
    """Check that every name in *columns* is a column of *data*; return them as a list.

    Raises
    ------
    SchemaError
        Naming the missing columns and the closest existing names.

    Examples
    --------
    >>> df = pd.DataFrame({"region": [1], "age": [30]})
    >>> check_columns(df, ["regoin"])
    Traceback (most recent call last):
    ...
    needlab.errors.SchemaError: column 'regoin' (did you mean 'region'?) not found in the data. ...
    """
    if isinstance(columns, str) or not isinstance(columns, Iterable):
        columns = [columns]
    cols = list(columns)
    missing = [c for c in cols if c not in data.columns]
    if missing:
        import difflib

        names = [str(c) for c in data.columns]
        hints = []
        for m in missing[:SHOW]:
            close = difflib.get_close_matches(str(m), names, n=1)
            hints.append(f"{m!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
        plural = "s" if len(missing) > 1 else ""
        raise SchemaError(
            f"{what}{plural} {', '.join(hints)} not found in the data"
            + (f" (and {len(missing) - SHOW} more)" if len(missing) > SHOW else "")
            + f". Available columns: {preview(names, 12)}."
        )
    return cols


def check_numeric(
    data: pd.DataFrame,
    column: Hashable,
    *,
    nonfinite: Literal["error", "drop", "keep"] = "error",
) -> pd.Series:
    """Return *column* as float, raising :class:`DataError` listing values that are not numbers.

    Missing values stay missing; text such as ``"abc"`` is an error, never silently NaN.
    Infinite values (``inf``, ``-inf``, also written as text) are an error by default
    (``nonfinite="error"``); ``nonfinite="drop"`` turns them into missing values, which the
    caller's missing-value policy then excludes (count them with :func:`nonfinite_mask` and say
    so in the notes); ``"keep"`` leaves them for a caller that checks them itself.

    Raises
    ------
    DataError
        Text that is not a number, or infinite values with ``nonfinite="error"``.

    Examples
    --------
    >>> check_numeric(pd.DataFrame({"amount": [1.0, np.inf]}), "amount")
    Traceback (most recent call last):
    ...
    needlab.errors.DataError: column 'amount' has 1 infinite values: inf at rows 1; ...
    """
    check_option(nonfinite, ("error", "drop", "keep"), "nonfinite")
    check_columns(data, column)
    s = data[column]
    if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
        conv = s.astype(float)
    else:
        conv = pd.to_numeric(s, errors="coerce")
        bad = conv.isna().to_numpy() & s.notna().to_numpy()
        if bad.any():
            raise DataError(
                f"column {column!r} must be numeric but has {int(bad.sum())} non-numeric values: "
                f"{preview(s[bad])} at rows {row_list(bad)}. Recode them or set them to missing."
            )
        conv = conv.astype(float)
    if nonfinite == "keep":
        return conv
    inf = np.isinf(conv.to_numpy())
    if inf.any():
        if nonfinite == "drop":
            return conv.mask(inf)
        raise DataError(
            f"column {column!r} has {int(inf.sum())} infinite values: {preview(conv[inf])} at "
            f"rows {row_list(inf)}; numbers must be finite. Replace them (e.g. with a capped value "
            "or a missing value) or drop those rows."
        )
    return conv


def nonfinite_mask(data: pd.DataFrame, column: Hashable) -> np.ndarray:
    """True where *column* holds an infinite number (``inf``/``-inf``, also as text).

    For functions that offer ``nonfinite="drop"``: count the rows to report them in
    ``n_excluded`` and the notes.
    """
    return np.isinf(check_numeric(data, column, nonfinite="keep").to_numpy())


def check_finite(values: Any, name: str) -> np.ndarray:
    """*values* (numbers given directly, e.g. targets or a table of counts) as a float array;
    raise :class:`DataError` naming *name* and the positions of NaN or infinite entries.

    Examples
    --------
    >>> check_finite([0.5, float("inf")], "targets['region']")
    Traceback (most recent call last):
    ...
    needlab.errors.DataError: targets['region'] has 1 missing or infinite values: inf at positions 1; ...
    """
    try:
        a = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise DataError(f"{name} must hold numbers: {exc}.") from exc
    bad = ~np.isfinite(a)
    if bad.any():
        flat = bad.reshape(-1)
        raise DataError(
            f"{name} has {int(flat.sum())} missing or infinite values: "
            f"{preview(a.reshape(-1)[flat])} at positions {row_list(flat)}; pass finite numbers."
        )
    return a


def check_dates(
    data: pd.DataFrame,
    column: Hashable,
    *,
    date_format: str | None = None,
    dayfirst: bool | None = None,
) -> pd.Series:
    """The column parsed as naive datetimes by the one date parser, :func:`needlab._dates.parse_dates`.

    ``YYYYMMDD`` integers and text, ISO and Chinese dates are read as written; day/month text is
    read by ``dayfirst=`` or by the evidence of the values, never guessed; ``date_format=`` is
    applied strictly. Missing values stay ``NaT``; time zones are dropped (local wall time).

    Raises
    ------
    DataError
        Values that do not parse, ambiguous or mixed day/month columns, integers that are not
        ``YYYYMMDD``: the message shows a few values with their rows and names the option.
    """
    from needlab._dates import parse_dates

    check_columns(data, column)
    return parse_dates(data[column], column=column, date_format=date_format, dayfirst=dayfirst)


def check_allowed(
    data: pd.DataFrame,
    column: Hashable,
    allowed: Iterable[Any],
    *,
    fix: str = "recode them or declare them in the codebook",
) -> None:
    """Raise :class:`DataError` when *column* has non-missing values outside *allowed*.

    Examples
    --------
    >>> df = pd.DataFrame({"q1": [1, 2, 7, None]})
    >>> check_allowed(df, "q1", [1, 2, 3, 4, 5])
    Traceback (most recent call last):
    ...
    needlab.errors.DataError: column 'q1' has 1 values outside the allowed set [1, 2, 3, 4, 5]: 7.0 at rows 2; ...
    """
    check_columns(data, column)
    allowed = list(allowed)
    s = data[column]
    bad = (~s.isin(allowed) & s.notna()).to_numpy()
    if bad.any():
        raise DataError(
            f"column {column!r} has {int(bad.sum())} values outside the allowed set "
            f"{preview(allowed, 12) if len(allowed) > 12 else allowed}: {preview(s[bad])} "
            f"at rows {row_list(bad)}; {fix}."
        )


def check_unique(data: pd.DataFrame, column: Hashable) -> None:
    """Raise :class:`DataError` when *column* (an id) has duplicated or missing values."""
    check_columns(data, column)
    s = data[column]
    na = s.isna().to_numpy()
    if na.any():
        raise DataError(
            f"id column {column!r} has {int(na.sum())} missing values at rows {row_list(na)}; "
            "every row needs an id."
        )
    dup = s.duplicated(keep=False).to_numpy()
    if dup.any():
        raise DataError(
            f"id column {column!r} has {int(s[dup].nunique())} duplicated ids "
            f"({int(dup.sum())} rows): {preview(s[dup])} at rows {row_list(dup)}. "
            "Remove duplicate records or choose a unique id column."
        )


def check_weights(
    data: pd.DataFrame | None,
    weights: Hashable | Sequence[float] | np.ndarray | None,
    n: int | None = None,
    *,
    allow_zero: bool = True,
) -> np.ndarray | None:
    """Resolve *weights* (a column name or an array) to a float array and check it.

    Weights must be finite and non-negative with a positive total. Zero weights are allowed
    (the row counts for nothing) unless ``allow_zero=False``.

    Returns
    -------
    numpy.ndarray or None
        The weights, or ``None`` when *weights* is ``None``.

    Raises
    ------
    DataError
        NaN, infinite, negative or all-zero weights, or a length that does not match the data.

    Examples
    --------
    >>> df = pd.DataFrame({"w": [1.0, -2.0, 0.5]})
    >>> check_weights(df, "w")
    Traceback (most recent call last):
    ...
    needlab.errors.DataError: weights 'w' has 1 negative values: -2.0 at rows 1; ...
    """
    if weights is None:
        return None
    if isinstance(weights, Hashable) and not isinstance(weights, (np.ndarray, pd.Series, tuple)):
        if data is None:
            raise ConfigError(f"weights={weights!r} names a column but no data was given.")
        name = repr(weights)
        w = check_numeric(data, weights, nonfinite="keep").to_numpy()
    else:
        name = "array"
        w = np.asarray(weights, dtype=float)
        if w.ndim != 1:
            raise DataError(f"weights must be one-dimensional, got shape {w.shape}.")
    n = len(data) if n is None and data is not None else n
    if n is not None and len(w) != n:
        raise DataError(
            f"weights has {len(w)} values but the data has {n} rows; pass one weight per row."
        )
    for mask, what in (
        (np.isnan(w), "missing (NaN)"),
        (np.isinf(w), "infinite"),
        (w < 0, "negative"),
    ):
        if mask.any():
            raise DataError(
                f"weights {name} has {int(mask.sum())} {what} values: {preview(w[mask])} at rows "
                f"{row_list(mask)}; weights must be finite and >= 0 (set them or drop those rows)."
            )
    if not allow_zero and (w == 0).any():
        mask = w == 0
        raise DataError(
            f"weights {name} has {int(mask.sum())} zero values at rows {row_list(mask)}."
        )
    if w.sum() <= 0:
        raise DataError(f"weights {name} sum to zero; at least one weight must be positive.")
    return w


def check_alpha(alpha: float, name: str = "alpha") -> float:
    """Raise :class:`ConfigError` unless ``0 < alpha < 1``."""
    if not (isinstance(alpha, (int, float)) and 0 < float(alpha) < 1):
        raise ConfigError(f"{name} must be a number strictly between 0 and 1, got {alpha!r}.")
    return float(alpha)


def check_option(value: Any, options: Iterable[Any], name: str) -> Any:
    """Raise :class:`ConfigError` unless *value* is one of *options*."""
    opts = list(options)
    if value not in opts:
        raise ConfigError(f"{name}={value!r} is not valid; choose one of {opts}.")
    return value


def check_count(value: Any, name: str, *, minimum: int = 0, hint: str = "") -> int:
    """Raise :class:`ConfigError` unless *value* is a whole number >= *minimum* (not a bool).

    Examples
    --------
    >>> check_count(-1, "n_boot", hint="0 turns the bootstrap off")
    Traceback (most recent call last):
    ...
    needlab.errors.ConfigError: n_boot must be a whole number >= 0, got -1; 0 turns the bootstrap off.
    """
    ok = isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))
    if not ok or value < minimum:
        raise ConfigError(
            f"{name} must be a whole number >= {minimum}, got {value!r}"
            + (f"; {hint}." if hint else ".")
        )
    return int(value)


@dataclass(frozen=True)
class Design:
    """What an analysis needs from its ``data``: the frame, the weights, the id and the codebook.

    Built by :func:`as_design` from a DataFrame or a :class:`~needlab.Survey`.

    Attributes
    ----------
    data : DataFrame
        The rows: codes (numeric analyses) or labelled categoricals (tables), see :func:`as_design`.
    weights : column name, array or None
        What to pass to :func:`check_weights`: the caller's ``weights=``, else the Survey's
        weight column, else ``None``.
    id : Hashable or None
        The caller's ``id=``, else the Survey's id column, else ``None``.
    codebook : Codebook or None
        The Survey's codebook (``None`` for a plain DataFrame).
    """

    data: pd.DataFrame
    weights: Any
    id: Hashable | None
    codebook: Codebook | None


def as_design(
    data: Any,
    *,
    weights: Any = None,
    id: Hashable | None = None,
    labels: bool = False,
    name: str = "data",
    min_rows: int = 1,
) -> Design:
    """Resolve *data* (a DataFrame or a :class:`~needlab.Survey`) and its design options.

    The one rule every analysis follows (``docs/conventions.md``):

    - a DataFrame is used as it is; ``weights=None`` means unweighted;
    - a Survey gives its rows as codes, or as labelled ordered categoricals when *labels* is true
      (tables that show answer labels); ``weights=None`` takes the codebook's weight column
      and ``id=None`` its id column; ``weights=False`` asks for an unweighted analysis;
    - a weight column declared by the codebook is checked here, with the same error as
      passing it as ``weights=``.

    Examples
    --------
    >>> d = as_design(pd.DataFrame({"q": [1, 2]}), weights=False)
    >>> d.weights is None, len(d.data)
    (True, 2)
    """
    from needlab.io.read import Survey

    codebook = None
    if isinstance(data, Survey):
        codebook = data.codebook
        frame = data.labelled() if labels else data.data
        if weights is None and codebook.weight is not None:
            weights = codebook.weight
            check_weights(frame, weights)
        if id is None:
            id = codebook.id
    else:
        frame = data
    if weights is False:
        weights = None
    frame = check_frame(frame, name=name, min_rows=min_rows)
    return Design(data=frame, weights=weights, id=id, codebook=codebook)


def as_series(data: Any, var: Hashable | None = None, *, name: str = "data") -> pd.Series:
    """One variable from *data*: a Series or 1-d array as given, or column *var* of a DataFrame
    or :class:`~needlab.Survey` (its codes).

    Raises
    ------
    SchemaError
        A frame without *var*, a *var* that is not a column, or an array that is not 1-d.

    Examples
    --------
    >>> as_series(pd.DataFrame({"age": [30, 41]}), "age").tolist()
    [30, 41]
    >>> as_series([1, 2]).tolist()
    [1, 2]
    """
    from needlab.io.read import Survey

    if isinstance(data, Survey):
        data = data.data
    if isinstance(data, pd.DataFrame):
        if var is None:
            raise SchemaError(
                f"{name} is a DataFrame: name the column to use, e.g. var={str(data.columns[0])!r}."
                if len(data.columns)
                else f"{name} is an empty DataFrame; pass a Series or a frame with the column."
            )
        check_columns(data, var)
        return data[var]
    if var is not None:
        raise SchemaError(
            f"var={var!r} names a column, but {name} is not a DataFrame; pass the frame."
        )
    if isinstance(data, pd.Series):
        return data
    arr = np.asarray(data, dtype=object if not hasattr(data, "dtype") else None)
    if arr.ndim != 1:
        raise SchemaError(
            f"{name} must be one-dimensional (a Series or a list), got shape {arr.shape}."
        )
    return pd.Series(arr)


def normalise_labels(series: pd.Series, *, casefold: bool = False) -> pd.Series:
    """Text values compared as people read them: Unicode NFKC (full-width to half-width), white
    space trimmed and runs of white space made one space, and with *casefold* case folded.

    Values that are not text (numbers, missing) are unchanged. A categorical keeps its
    category order (variants merge into the first category they normalise to).

    Examples
    --------
    >>> normalise_labels(pd.Series(["Price ", "\uff30rice", "price"])).tolist()
    ['Price', 'Price', 'price']
    >>> normalise_labels(pd.Series(["Price", "price"]), casefold=True).tolist()
    ['price', 'price']
    """
    import unicodedata

    def norm(v: Any) -> Any:
        if not isinstance(v, str):
            return v
        t = " ".join(unicodedata.normalize("NFKC", v).split())
        return t.casefold() if casefold else t

    # Each distinct value is normalised once (a survey column has few distinct answers).
    if isinstance(series.dtype, pd.CategoricalDtype):
        cats = [norm(c) for c in series.cat.categories]
        merged = list(dict.fromkeys(cats))
        where = {c: i for i, c in enumerate(merged)}
        remap = np.array([where[c] for c in cats] + [-1], dtype=np.int64)  # code -1 stays -1
        return pd.Series(
            pd.Categorical.from_codes(
                remap[series.cat.codes.to_numpy()],
                categories=pd.Index(merged),
                ordered=series.cat.ordered,
            ),
            index=series.index,
            name=series.name,
        )
    if series.dtype == object or pd.api.types.is_string_dtype(series):
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        normed = np.array([norm(u) for u in uniques], dtype=object)
        out = series.to_numpy(dtype=object, copy=True)
        seen = codes >= 0
        out[seen] = normed[codes[seen]]
        result = pd.Series(out, index=series.index, name=series.name, dtype=object)
        return result if series.dtype == object else result.astype(series.dtype)
    return series


def merged_variants(before: pd.Series, after: pd.Series, *, what: str = "labels") -> str | None:
    """A note on the values that :func:`normalise_labels` merged, or ``None`` when none did.

    Examples
    --------
    >>> s = pd.Series(["a", "a ", "b"])
    >>> merged_variants(s, normalise_labels(s), what="ids of 'customer'")
    "ids of 'customer': 1 values written in 2 variants merged after Unicode NFKC and trimming: 'a' <- 'a', 'a '."
    """
    pairs = pd.DataFrame({"a": after.astype(object), "b": before.astype(object)}).dropna()
    pairs = pairs.drop_duplicates()
    n_var = pairs.groupby("a", sort=False)["b"].nunique()
    multi = n_var[n_var > 1]
    if multi.empty:
        return None
    shown = "; ".join(
        f"{k!r} <- {preview(pairs.loc[pairs['a'] == k, 'b'], 4)}" for k in multi.index[:SHOW]
    )
    more = f" (and {len(multi) - SHOW} more)" if len(multi) > SHOW else ""
    return (
        f"{what}: {len(multi)} values written in {int(multi.sum())} variants merged after Unicode NFKC "
        f"and trimming: {shown}{more}."
    )


def normalise_ids(series: pd.Series, *, what: str = "ids") -> tuple[pd.Series, str | None]:
    """Ids compared after Unicode NFKC and trimming (never case folded): ``"C1 "`` and the
    full-width ``"\uff23\uff11"`` are the customer ``"C1"``. Returns the ids and a note on the
    merged variants (``None`` when nothing merged).
    """
    out = normalise_labels(series)
    return out, merged_variants(series, out, what=what)


def complete_rows(
    data: pd.DataFrame,
    columns: Iterable[Hashable],
    weights: np.ndarray | None = None,
) -> tuple[np.ndarray, int, str | None]:
    """The missing-value policy of the model functions: listwise, over *columns* and weights.

    A row is used when none of *columns* is missing in it and (with *weights*, an array already
    resolved by :func:`check_weights`) its weight is positive; zero-weight rows count for
    nothing and are excluded.

    Returns
    -------
    mask : numpy.ndarray of bool
        True for the rows used.
    n_excluded : int
        Rows left out.
    note : str or None
        Why they were left out (missing values by column, zero weights), or ``None``.

    Examples
    --------
    >>> df = pd.DataFrame({"y": [1.0, None, 3.0, 4.0], "x": [1, 2, None, 4]})
    >>> mask, n_excluded, note = complete_rows(df, ["y", "x"], np.array([1.0, 1.0, 1.0, 0.0]))
    >>> mask.tolist(), n_excluded
    ([True, False, False, False], 3)
    >>> note
    "3 of 4 rows excluded (listwise): missing values in 'y' 1, 'x' 1; zero weight 1."
    """
    cols = list(dict.fromkeys(columns))
    missing = {c: data[c].isna().to_numpy() for c in cols}
    drop = np.zeros(len(data), dtype=bool)
    for m in missing.values():
        drop |= m
    zero = np.zeros(len(data), dtype=bool)
    if weights is not None:
        zero = np.asarray(weights, dtype=float) <= 0
        drop |= zero
    n_excluded = int(drop.sum())
    if not n_excluded:
        return ~drop, 0, None
    parts = []
    per = ", ".join(f"{c!r} {int(m.sum())}" for c, m in missing.items() if m.any())
    if per:
        parts.append(f"missing values in {per}")
    if zero.any():
        parts.append(f"zero weight {int(zero.sum())}")
    note = f"{n_excluded} of {len(data)} rows excluded (listwise): {'; '.join(parts)}."
    return ~drop, n_excluded, note
