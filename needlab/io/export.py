"""Safe export of tables to CSV and Excel.

Spreadsheet programs run a cell as a formula when its text starts with ``=``, ``+``, ``-`` or
``@`` (and some also after a leading tab or carriage return): the "CSV injection" attack
(OWASP, *CSV Injection*). Text cells that start with one of these characters are written with
a leading apostrophe ``'``, the spreadsheet convention for "this is text". Numbers are written
as numbers (a negative number is not text and is never altered). Chinese and other non-ASCII
text is kept intact: CSV files are written as UTF-8 with a byte-order mark so that Excel opens
them with the right encoding.

Every text that reaches a cell is checked: values (plain ``str`` and subclasses such as
``numpy.str_``, categoricals), column labels and index labels at every level of a MultiIndex,
and the level names written in the header. In ``.xlsx`` files the control characters that the
format cannot store (``\x00``-``\x08``, ``\x0b``, ``\x0c``, ``\x0e``-``\x1f``) are removed and
the number of cells cleaned is reported in a :class:`~needlab.errors.NeedlabWarning`; CSV files
keep them. Writers do not create folders: a missing folder is a
:class:`~needlab.errors.ConfigError` naming it (create it first), so that a typo in a path does
not scatter files.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from needlab.errors import ConfigError, NeedlabWarning

__all__ = [
    "CONTROL_CHARACTERS",
    "FORMULA_PREFIXES",
    "check_tables",
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

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""Control characters an .xlsx cell cannot hold (openpyxl's ``ILLEGAL_CHARACTERS_RE``)."""


def neutralise(value: Any) -> Any:
    """Return *value* made safe for a spreadsheet cell.

    Strings (any ``str`` subclass, e.g. ``numpy.str_``) starting with one of
    :data:`FORMULA_PREFIXES` get a leading apostrophe; all other values are returned unchanged.

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


class _Cleaner:
    """Neutralises text and (for .xlsx) strips control characters, counting cleaned cells."""

    def __init__(self, strip_control: bool) -> None:
        self.strip_control = strip_control
        self.n_cleaned = 0

    def scalar(self, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        text = str(value)  # a str subclass (numpy.str_) becomes a plain str
        if self.strip_control and CONTROL_CHARACTERS.search(text):
            text = CONTROL_CHARACTERS.sub("", text)
            self.n_cleaned += 1
        return neutralise(text)

    def name(self, name: Hashable) -> Hashable:
        return self.scalar(name) if isinstance(name, str) else name

    def index(self, index: pd.Index) -> pd.Index:
        if isinstance(index, pd.MultiIndex):
            return pd.MultiIndex.from_tuples(
                [tuple(self.scalar(v) for v in t) for t in index],
                names=[self.name(n) for n in index.names],
            )
        return pd.Index([self.scalar(v) for v in index], name=self.name(index.name), dtype=object)

    def series(self, s: pd.Series) -> Any:
        """The cells of *s* made safe (the original array when nothing changes)."""
        if isinstance(s.dtype, pd.CategoricalDtype):
            s = s.astype(object)
        if not (s.dtype == object or pd.api.types.is_string_dtype(s.dtype)):
            return None
        is_str = (
            s.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
            if s.dtype == object
            else s.notna().to_numpy()
        )
        if not is_str.any():
            return None
        txt = s.where(is_str).astype("string")
        changed = False
        out = s.astype(object).copy()
        if self.strip_control:
            ctl = txt.str.contains(CONTROL_CHARACTERS.pattern, regex=True).fillna(False)
            ctl_np = ctl.to_numpy(dtype=bool)
            if ctl_np.any():
                txt = txt.str.replace(CONTROL_CHARACTERS.pattern, "", regex=True)
                self.n_cleaned += int(ctl_np.sum())
                changed = True
        bad = txt.str.startswith(FORMULA_PREFIXES).fillna(False).to_numpy(dtype=bool)
        if bad.any():
            txt = txt.where(~bad, "'" + txt)
            changed = True
        sub = s.map(lambda v: type(v) is not str and isinstance(v, str)).to_numpy(dtype=bool)
        if changed or (s.dtype == object and sub.any()):
            out[is_str] = txt[is_str].astype(object).to_numpy()
            return out.array
        return None


def _safe_frame(df: pd.DataFrame, *, strip_control: bool) -> tuple[pd.DataFrame, int]:
    """*df* made safe for a spreadsheet, and the number of cells cleaned of control characters."""
    clean = _Cleaner(strip_control)
    out = df.copy()
    for j in range(out.shape[1]):
        new = clean.series(out.iloc[:, j])
        if new is not None:
            out.isetitem(j, new)
    out.columns = clean.index(out.columns)
    out.index = clean.index(out.index)
    return out, clean.n_cleaned


def neutralise_frame(df: pd.DataFrame, *, strip_control: bool = False) -> pd.DataFrame:
    """Return a copy of *df* in which every text cell, column label and index label is safe.

    Object, string and categorical columns are touched, only in the cells that start with a
    formula character (vectorised with ``Series.str.startswith``); column and index labels
    at every level of a MultiIndex, and the level names, are neutralised too. ``str``
    subclasses (``numpy.str_``) become plain ``str``.

    Parameters
    ----------
    df : DataFrame
        The table.
    strip_control : bool, default False
        Also remove the control characters an .xlsx cell cannot hold
        (:data:`CONTROL_CHARACTERS`); :func:`to_excel` does and reports how many cells it
        cleaned.

    Examples
    --------
    >>> idx = pd.MultiIndex.from_tuples([("=a", "x")], names=["=lvl", "b"])
    >>> out = neutralise_frame(pd.DataFrame({"-c": ["@d"]}, index=idx))
    >>> list(out.index.names), out.index[0], list(out.columns), out.iloc[0, 0]
    (["'=lvl", 'b'], ("'=a", 'x'), ["'-c"], "'@d")
    """
    return _safe_frame(df, strip_control=strip_control)[0]


_MULTI_NO_INDEX = (
    "sheet {name!r}: a table with MultiIndex columns needs index=True "
    "(pandas cannot write it without the index); or flatten the columns."
)


def _check_folder(path: Path, what: str) -> None:
    if path.is_dir():
        raise ConfigError(f"{what}: {str(path)!r} is a folder; give a file name inside it.")
    if not path.parent.is_dir():
        raise ConfigError(
            f"{what}: the folder {str(path.parent)!r} does not exist; create it first "
            f"(Path({str(path.parent)!r}).mkdir(parents=True)) or write elsewhere."
        )


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

    Raises
    ------
    ConfigError
        *data* is not a DataFrame (a Series: use ``.to_frame()``), or the folder of *path*
        does not exist (it is not created: create it first) or *path* is a folder.
    """
    if isinstance(data, pd.Series):
        raise ConfigError("to_csv writes a DataFrame, got a Series; pass data.to_frame().")
    if not isinstance(data, pd.DataFrame):
        raise ConfigError(f"to_csv writes a DataFrame, got {type(data).__name__}.")
    path = Path(path)
    _check_folder(path, "to_csv")
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

    Text cells, column and index labels (every level) and level names that would start a
    formula are neutralised (see :func:`neutralise`); control characters an .xlsx cell cannot
    hold are removed, with a :class:`~needlab.errors.NeedlabWarning` giving the number of cells
    cleaned; sheet names are cleaned of the characters Excel forbids and cut to 31 characters;
    column widths are set from the content so Chinese text is readable.

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
        *path* does not end in ``.xlsx``, its folder does not exist (it is not created:
        create it first) or it is a folder; *data* is neither a DataFrame nor a non-empty
        mapping of DataFrames (the message names the sheet); MultiIndex columns with
        ``index=False`` (pandas cannot write them).

    Warns
    -----
    NeedlabWarning
        Control characters were removed from some cells (the count is given).
    """
    path = xlsx_path(path)
    tables = check_tables(data, "to_excel", index=index)
    _check_folder(path, "to_excel")
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        write_sheets(writer, tables, index=index)
    return path


def check_tables(
    data: Any, what: str = "to_excel", *, index: bool = True
) -> Mapping[Any, pd.DataFrame]:
    """*data* as a mapping sheet name -> DataFrame, checked before any file is opened.

    Raises
    ------
    ConfigError
        *data* is a Series, not a DataFrame or mapping, an empty mapping, or a mapping with a
        value that is not a DataFrame, or a table with MultiIndex columns and ``index=False``
        (pandas cannot write it).

    Examples
    --------
    >>> list(check_tables(pd.DataFrame({"a": [1]})))
    ['table']
    """
    if isinstance(data, pd.DataFrame):
        data = {"table": data}
    if isinstance(data, pd.Series):
        raise ConfigError(f"{what} writes DataFrames, got a Series; pass data.to_frame().")
    if not isinstance(data, Mapping):
        raise ConfigError(
            f"{what} writes a DataFrame or a mapping of sheet name -> DataFrame, "
            f"got {type(data).__name__}."
        )
    if not data:
        raise ConfigError(f"{what}: the mapping of sheets is empty; give at least one table.")
    for name, df in data.items():
        if not isinstance(df, pd.DataFrame):
            hint = "; pass .to_frame()" if isinstance(df, pd.Series) else ""
            raise ConfigError(
                f"{what}: sheet {name!r} holds a {type(df).__name__}, not a DataFrame{hint}."
            )
        if not index and isinstance(df.columns, pd.MultiIndex):
            raise ConfigError(_MULTI_NO_INDEX.format(name=name))
    return data


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

    Raises
    ------
    ConfigError
        A value is not a DataFrame, or MultiIndex columns with ``index=False``.

    Warns
    -----
    NeedlabWarning
        Control characters were removed from some cells (the count is given).
    """
    from openpyxl.utils import get_column_letter

    used = set() if used is None else used
    names = []
    n_cleaned = 0
    for name, df in tables.items():
        if not isinstance(df, pd.DataFrame):
            raise ConfigError(f"sheet {name!r}: expected a DataFrame, got {type(df).__name__}.")
        if not index and isinstance(df.columns, pd.MultiIndex):
            raise ConfigError(_MULTI_NO_INDEX.format(name=name))
        sheet = sheet_name(name, used)
        safe, k = _safe_frame(df, strip_control=True)
        n_cleaned += k
        safe.to_excel(writer, sheet_name=sheet, index=index)
        ws = writer.sheets[sheet]
        # Widths from the cells as written (headers of every level included); empty cells
        # count 0.
        for j, column in enumerate(ws.iter_cols(values_only=True), start=1):
            width = max((len(str(v)) for v in column if v is not None), default=0)
            ws.column_dimensions[get_column_letter(j)].width = min(60, width + 2)
        names.append(sheet)
    if n_cleaned:
        warnings.warn(
            f"{n_cleaned} cell(s) held control characters that an .xlsx file cannot store "
            "(\\x00-\\x1f except tab, line feed and carriage return); they were removed.",
            NeedlabWarning,
            stacklevel=3,
        )
    return names
