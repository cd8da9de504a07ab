"""Safe export of tables to CSV and Excel.

Spreadsheet programs run a cell as a formula when its text starts with ``=``, ``+``, ``-`` or
``@`` (and some also after a leading tab or carriage return): the "CSV injection" attack
(OWASP, *CSV Injection*). Text cells that start with one of these characters are written with
a leading apostrophe ``'``, the spreadsheet convention for "this is text". Numbers are written
as numbers (a negative number is not text and is never altered). Chinese and other non-ASCII
text is kept intact: CSV files are written as UTF-8 with a byte-order mark so that Excel opens
them with the right encoding.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from needlab.errors import ConfigError

__all__ = [
    "FORMULA_PREFIXES",
    "neutralise",
    "neutralise_frame",
    "sheet_name",
    "to_csv",
    "to_excel",
    "write_sheets",
    "xlsx_path",
]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
"""Leading characters that make a spreadsheet cell a formula (or hide one)."""


def neutralise(value: Any) -> Any:
    """Return *value* made safe for a spreadsheet cell.

    Strings starting with one of :data:`FORMULA_PREFIXES` get a leading apostrophe; all other
    values are returned unchanged.

    Examples
    --------
    >>> neutralise("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralise("-12")
    "'-12"
    >>> neutralise(-12)
    -12
    >>> neutralise("配送太慢")
    '配送太慢'
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _neutralise_index(index: pd.Index) -> pd.Index:
    if isinstance(index, pd.MultiIndex):
        return pd.MultiIndex.from_tuples(
            [tuple(neutralise(v) for v in t) for t in index], names=index.names
        )
    return pd.Index([neutralise(v) for v in index], name=neutralise(index.name))


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of *df* in which every text cell, column label and index label is safe.

    Only object, string and categorical columns are touched, and only the cells that start
    with a formula character (vectorised with ``Series.str.startswith``).
    """
    out = df.copy()
    for j in range(out.shape[1]):
        s = out.iloc[:, j]
        if isinstance(s.dtype, pd.CategoricalDtype):
            s = s.astype(object)
        if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
            is_str = (
                s.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
                if s.dtype == object
                else s.notna().to_numpy()
            )
            if not is_str.any():
                continue
            txt = s.where(is_str).astype("string")
            bad = (txt.str.startswith(FORMULA_PREFIXES).fillna(False)).to_numpy(dtype=bool)
            if bad.any():
                s = s.astype(object).copy()
                s[bad] = "'" + txt[bad].astype(object)
            out.isetitem(j, s.array)
    out.columns = _neutralise_index(out.columns)
    out.index = _neutralise_index(out.index)
    return out


def to_csv(data: pd.DataFrame, path: str | Path, *, index: bool = False, **kwargs: Any) -> Path:
    """Write the table *data* to a CSV file with spreadsheet formulas neutralised.

    Parameters
    ----------
    data : DataFrame
        The table.
    path : str or Path
        Where to write. The file is UTF-8 with a byte-order mark (``utf-8-sig``) so that Excel
        shows Chinese text correctly; pass ``encoding=`` to change it. Rows end with CRLF
        (RFC 4180) and cells holding line breaks are quoted.
    index : bool, default False
        Whether to write the index.
    **kwargs
        Passed to :meth:`pandas.DataFrame.to_csv`.

    Returns
    -------
    Path
        The path written.
    """
    path = Path(path)
    kwargs.setdefault("encoding", "utf-8-sig")
    # CRLF rows (RFC 4180): the csv writer then quotes any cell holding a CR or LF, so a stray
    # carriage return inside a comment cannot split the row in Excel or another reader.
    kwargs.setdefault("lineterminator", "\r\n")
    neutralise_frame(data).to_csv(path, index=index, **kwargs)
    return path


def sheet_name(name: Any, used: set[str]) -> str:
    """A valid Excel sheet name for *name*, unique (case-insensitively) among *used*.

    Characters Excel forbids (``[]:*?/\\``) become ``_``, the name is cut to 31 characters, and
    a clash gets a ``" (2)"`` suffix. The name is added to *used*.

    Examples
    --------
    >>> used = set()
    >>> sheet_name("a/b", used), sheet_name("A_B", used)
    ('a_b', 'A_B (2)')
    """
    bad = "[]:*?/\\"
    text = "".join("_" if ch in bad else ch for ch in str(name)).strip("'") or "Sheet"
    text = text[:31]
    base, k = text, 2
    while text.lower() in used:
        suffix = f" ({k})"
        text = base[: 31 - len(suffix)] + suffix
        k += 1
    used.add(text.lower())
    return text


def to_excel(
    data: pd.DataFrame | Mapping[str, pd.DataFrame], path: str | Path, *, index: bool = True
) -> Path:
    """Write one table or a mapping of sheet name -> table to an .xlsx file, safely.

    Text cells that would start a formula are neutralised (see :func:`neutralise`); sheet names
    are cleaned of the characters Excel forbids and cut to 31 characters; column widths are set
    from the content so Chinese text is readable.

    Parameters
    ----------
    data : DataFrame or mapping of str to DataFrame
        The table(s). A single DataFrame goes to a sheet named ``"table"``.
    path : str or Path
        Target ``.xlsx`` file.
    index : bool, default True
        Whether to write each table's index.

    Returns
    -------
    Path
        The path written.

    Raises
    ------
    ConfigError
        When *path* does not end in ``.xlsx`` or a value is not a DataFrame.
    """
    path = xlsx_path(path)
    tables = {"table": data} if isinstance(data, pd.DataFrame) else data
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        write_sheets(writer, tables, index=index)
    return path


def xlsx_path(path: str | Path) -> Path:
    """*path* as a Path, checked to end in ``.xlsx``.

    Raises
    ------
    ConfigError
        Any other extension (openpyxl writes .xlsx only).

    Examples
    --------
    >>> xlsx_path("out.xlsx").name
    'out.xlsx'
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ConfigError(
            f"to_excel writes .xlsx files; got {path.name!r}. Use a name ending in .xlsx."
        )
    return path


def write_sheets(
    writer: pd.ExcelWriter,
    tables: Mapping[str, pd.DataFrame],
    *,
    index: bool = True,
    used: set[str] | None = None,
) -> list[str]:
    """Write each table to its own sheet of an open openpyxl :class:`pandas.ExcelWriter`.

    The one mechanism behind :func:`to_excel`, also used by writers that add formatted sheets
    of their own to the same workbook (e.g. :func:`needlab.tables.excel.write_banner_excel`).
    Cells are neutralised, sheet names cleaned and de-duplicated against *used* (which is
    updated), column widths fitted.

    Returns
    -------
    list of str
        The sheet names written, in order.
    """
    used = set() if used is None else used
    names = []
    for name, df in tables.items():
        if not isinstance(df, pd.DataFrame):
            raise ConfigError(f"sheet {name!r}: expected a DataFrame, got {type(df).__name__}.")
        sheet = sheet_name(name, used)
        safe = neutralise_frame(df)
        safe.to_excel(writer, sheet_name=sheet, index=index)
        ws = writer.sheets[sheet]
        frame = safe.reset_index() if index else safe
        for j, col in enumerate(frame.columns, start=1):
            # Missing cells are empty in the sheet (pandas 3 keeps NaN through astype(str)).
            cells = frame.iloc[:, j - 1].astype(str).str.len().fillna(0)
            width = max([len(str(col))] + ([int(cells.max())] if len(cells) else []))
            ws.column_dimensions[ws.cell(row=1, column=j).column_letter].width = min(60, width + 2)
        names.append(sheet)
    return names
