"""One parser for every date input: no guessed formats, no silent day/month swaps.

:func:`parse_dates` reads a column of dates in one format per column, chosen by these rules:

1. datetime columns are used as they are (time zones dropped, keeping the local wall time);
2. ``date_format=`` (a :func:`~datetime.datetime.strptime` format) is applied strictly to every
   value;
3. integers (or text) of eight digits ``YYYYMMDD`` (a common export format) are read as such;
   other integers are an error (they may be Excel serial days or Unix seconds: convert them
   explicitly), never 1970 nanoseconds;
4. ISO 8601 text (``2024-01-31``, ``2024/01/31``, with an optional time) and Chinese dates
   (``2024年1月31日``) are read as such;
5. day/month/year text (``31/01/2024``, ``01.02.2024``) is read day-first or month-first as a
   whole column: by ``dayfirst=`` when given, else by the evidence of the values (a first field
   above 12 proves day-first, a second field above 12 proves month-first); a column with no such
   evidence is ambiguous, and one with evidence both ways mixes formats: both are errors that
   show examples and name the option;
6. anything else must parse with the single format that pandas infers from the first value,
   applied strictly to every value.

Values that do not parse are an error naming the column, a few values and their rows.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from typing import Any

import numpy as np
import pandas as pd

from needlab._validate import row_list
from needlab.errors import DataError

__all__ = ["parse_dates"]

_ISO = re.compile(
    r"^\d{4}[-/]\d{1,2}[-/]\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$"
)
_YMD8 = re.compile(r"^\d{8}$")
_DMY = re.compile(r"^(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})$")
_ZH = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")


def _examples(values: pd.Series, n: int = 5) -> str:
    seen = list(dict.fromkeys(values.tolist()))[:n]
    return ", ".join(repr(v) for v in seen)


def _strict(text: pd.Series, fmt: str, column: Hashable, *, how: str) -> pd.Series:
    """Parse *text* with *fmt*; every present value must parse."""
    kwargs: dict[str, Any] = {"format": fmt} if fmt != "ISO8601" else {"format": "ISO8601"}
    dates = pd.to_datetime(text, errors="coerce", **kwargs)
    bad = (dates.isna() & text.notna()).to_numpy()
    if bad.any():
        raise DataError(
            f"column {column!r} is read as {how}, but {int(bad.sum())} values do not match: "
            f"{_examples(text[bad])} at rows {row_list(bad)}. Fix those values, or pass "
            "date_format= (e.g. date_format='%d/%m/%Y') if the column has another format."
        )
    if isinstance(dates.dtype, pd.DatetimeTZDtype):
        dates = dates.dt.tz_localize(None)  # local wall time, as written
    return dates


def parse_dates(
    data: pd.Series,
    *,
    column: Hashable | None = None,
    date_format: str | None = None,
    dayfirst: bool | None = None,
) -> pd.Series:
    """The values of *data* as naive datetimes (missing values stay ``NaT``).

    Parameters
    ----------
    data : Series
        Dates as datetimes, ``YYYYMMDD`` integers or text.
    column : Hashable, optional
        The column name used in messages (default: the Series name).
    date_format : str, optional
        A ``strptime`` format applied strictly to every value, e.g. ``"%d/%m/%Y"``.
    dayfirst : bool, optional
        For day/month/year text: ``True`` reads ``01/02/2024`` as 1 February, ``False`` as
        2 January. Needed when the values alone cannot tell.

    Returns
    -------
    Series of datetime64
        Same index as *data*.

    Raises
    ------
    DataError
        Values that do not parse in the column's format, integers that are not ``YYYYMMDD``, an
        ambiguous day/month column without ``dayfirst=``, or a column that mixes day-first and
        month-first values; each message shows examples with their rows and names the option.

    Examples
    --------
    >>> parse_dates(pd.Series([20240131, 20240201])).dt.strftime("%Y-%m-%d").tolist()
    ['2024-01-31', '2024-02-01']
    >>> parse_dates(pd.Series(["31/01/2024", "01/02/2024"])).dt.strftime("%Y-%m-%d").tolist()
    ['2024-01-31', '2024-02-01']
    >>> parse_dates(pd.Series(["01/02/2024"]), column="d")
    Traceback (most recent call last):
    ...
    needlab.errors.DataError: column 'd' has day/month/year dates that could be read either way ...
    """
    name = data.name if column is None else column
    raw = data
    if isinstance(raw.dtype, pd.DatetimeTZDtype):
        return raw.dt.tz_localize(None)  # local wall time, as recorded
    if pd.api.types.is_datetime64_any_dtype(raw):
        return raw.astype("datetime64[ns]")
    present = raw.notna().to_numpy()
    if date_format is not None:
        return _strict(
            raw.where(raw.notna()).astype(object), date_format, name, how=f"{date_format!r}"
        )
    if pd.api.types.is_bool_dtype(raw):
        raise DataError(f"column {name!r} holds true/false values, not dates.")
    if pd.api.types.is_numeric_dtype(raw):
        x = raw.to_numpy(dtype=float, na_value=np.nan)
        integral = np.isfinite(x) & (x == np.round(x))
        ymd = integral & (x >= 1000_01_01) & (x <= 9999_12_31)
        bad = present & ~ymd
        if bad.any():
            raise DataError(
                f"column {name!r} holds numbers that are not YYYYMMDD dates: {_examples(raw[bad])} "
                f"at rows {row_list(bad)}. If they are Excel serial days or Unix seconds, convert them "
                "explicitly (e.g. pandas.to_datetime(x, unit='s')) before passing them."
            )
        text = pd.Series(
            np.where(present, np.nan_to_num(x).astype(np.int64).astype(str), None), index=raw.index
        )
        return _strict(text, "%Y%m%d", name, how="YYYYMMDD numbers")
    text = raw.astype(object).where(raw.notna())
    text = text.map(lambda v: v.strip() if isinstance(v, str) else v)
    nonstr = present & ~text.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
    if nonstr.any():
        raise DataError(
            f"column {name!r} mixes dates with other values: {_examples(raw[nonstr])} at rows "
            f"{row_list(nonstr)}. Convert the column to text or dates first."
        )
    vals = text[present].astype(str)
    if len(vals) == 0:
        return pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    if vals.str.fullmatch(_YMD8).all():
        return _strict(text, "%Y%m%d", name, how="YYYYMMDD text")
    if vals.str.fullmatch(_ISO).all():
        return _strict(text.str.replace("/", "-", regex=False), "ISO8601", name, how="ISO dates")
    if vals.str.fullmatch(_ZH).all():
        return _strict(text, "%Y年%m月%d日", name, how="Chinese dates (YYYY年M月D日)")
    parts = vals.str.extract(_DMY)
    if parts[0].notna().all():
        return _day_month(text, vals, parts, name, dayfirst)
    return _inferred(text, vals, name, dayfirst)


def _day_month(
    text: pd.Series, vals: pd.Series, parts: pd.DataFrame, name: Hashable, dayfirst: bool | None
) -> pd.Series:
    first = parts[0].astype(int).to_numpy()
    second = parts[2].astype(int).to_numpy()
    sep = parts[1].iloc[0]
    if parts[1].nunique() > 1:
        raise DataError(
            f"column {name!r} mixes date separators ({', '.join(sorted(parts[1].unique()))}): "
            f"{_examples(vals)}. Use one format per column, or pass date_format=."
        )
    if dayfirst is None:
        proves_day = first > 12
        proves_month = second > 12
        if proves_day.any() and proves_month.any():
            i, j = np.flatnonzero(proves_day)[0], np.flatnonzero(proves_month)[0]
            raise DataError(
                f"column {name!r} mixes day-first and month-first dates: {vals.iloc[i]!r} can "
                f"only be day-first and {vals.iloc[j]!r} only month-first. Fix the source so "
                "that the column has one format, or pass date_format=."
            )
        if not proves_day.any() and not proves_month.any():
            raise DataError(
                f"column {name!r} has day/month/year dates that could be read either way "
                f"(e.g. {_examples(vals, 3)}): no value has a day above 12 to tell. Pass "
                "dayfirst=True (31/01/2024) or dayfirst=False (01/31/2024), or date_format=."
            )
        dayfirst = bool(proves_day.any())
    fmt = f"%d{sep}%m{sep}%Y" if dayfirst else f"%m{sep}%d{sep}%Y"
    return _strict(text, fmt, name, how="day-first dates" if dayfirst else "month-first dates")


def _inferred(text: pd.Series, vals: pd.Series, name: Hashable, dayfirst: bool | None) -> pd.Series:
    import warnings

    from pandas.tseries.api import guess_datetime_format

    first = vals.iloc[0]
    if _ISO.fullmatch(first):  # year-first: never read as year-day-month
        return _strict(text.str.replace("/", "-", regex=False), "ISO8601", name, how="ISO dates")
    if _YMD8.fullmatch(first):
        return _strict(text, "%Y%m%d", name, how="YYYYMMDD text")
    with warnings.catch_warnings():
        # pandas warns when dayfirst does not fit a year-first value; both readings are compared
        warnings.simplefilter("ignore", UserWarning)
        fmt = guess_datetime_format(first, dayfirst=bool(dayfirst))
        other = guess_datetime_format(first, dayfirst=not bool(dayfirst))
    if fmt is None:
        raise DataError(
            f"column {name!r} has values that are not dates in a known format: "
            f"{_examples(vals)}. Use ISO dates (YYYY-MM-DD) or pass date_format=."
        )
    if dayfirst is None and other is not None and other != fmt and "%d" in fmt and "%m" in fmt:
        raise DataError(
            f"column {name!r} has dates like {first!r} whose day and month could be read either "
            "way. Pass dayfirst=True or dayfirst=False, or date_format=."
        )
    return _strict(text, fmt, name, how=f"dates in the format {fmt!r} (from {first!r})")
