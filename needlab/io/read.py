"""Reading survey exports: CSV / TSV / TXT, Excel (.xlsx) and SPSS (.sav).

:func:`read_survey` reads a file once, decodes it (UTF-8 with or without a byte-order mark,
else GB18030, which covers GBK and GB2312), sniffs the delimiter, parses it with the pandas C
parser and tidies what survey tools commonly get wrong: byte-order marks in column names and
numeric columns with blank (``" "``) cells. Every change is listed in ``Survey.load_report``;
no row is ever dropped. With a codebook it also turns user-missing codes into missing values and
checks that the codebook's columns exist, that respondent ids are unique and that weights are
valid.
"""

from __future__ import annotations

import contextlib
import csv
import html
import io
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from needlab._i18n import lang_of
from needlab._types import Lang
from needlab._validate import (
    check_columns,
    check_unique,
    check_unique_columns,
    check_weights,
    preview,
)
from needlab.errors import ConfigError, DataError, NeedlabError, SchemaError
from needlab.io.codebook import Codebook
from needlab.io.codes import row_list, user_missing
from needlab.io.column import Code, Column, as_code, check_lang
from needlab.io.infer import assign_groups, infer_columns

__all__ = ["LOAD_REPORT_COLUMNS", "SUPPORTED", "Survey", "read_survey"]

Format = Literal["csv", "xlsx", "sav"]
SUPPORTED: dict[str, Format] = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".sav": "sav",
    ".zsav": "sav",
}
"""File extensions read by :func:`read_survey` and their format."""
LOAD_REPORT_COLUMNS = ["column", "action", "n", "detail"]
"""The columns of ``Survey.load_report``."""

_BOM = b"\xef\xbb\xbf"
_DELIMITERS = ",;\t|"


@dataclass(frozen=True, repr=False, eq=False)
class Survey:
    """A loaded survey: the data, its codebook and what loading changed.

    Attributes
    ----------
    data : DataFrame
        The answers, one row per respondent, codes or labels as in the file.
    codebook : Codebook
        The codebook given to :func:`read_survey`, read from the .sav metadata, or inferred
        with :meth:`Codebook.infer` (a draft to review).
    load_report : DataFrame
        What loading did and found: ``column`` (the column concerned, ``""`` for the whole
        file), ``action`` (``read``, ``encoding_detected``, ``delimiter_detected``,
        ``bom_stripped``, ``blank_to_nan``: whitespace-only cells of a numeric column read as
        missing, ``text_to_number``: a column of numbers stored as text converted,
        ``user_missing_to_nan``: user-missing codes set to missing, ``missing_column``,
        ``id_duplicates``, ``missing_id``, ``bad_weight``: problems found with
        ``strict=False``), ``n`` (cells or rows concerned) and ``detail`` (a short explanation).
    path : Path or None
        The file read.
    format : {"csv", "xlsx", "sav"}
        The file format.
    lang : {"en", "zh"}
        Language of labels used by :meth:`labelled`.
    """

    data: pd.DataFrame
    codebook: Codebook
    load_report: pd.DataFrame
    path: Path | None = None
    format: Format = "csv"
    lang: Lang = field(default="en")

    def validate(self) -> pd.DataFrame:
        """Check the data against the codebook; see :meth:`Codebook.validate`."""
        return self.codebook.validate(self.data)

    def labelled(self, lang: Lang | None = None) -> pd.DataFrame:
        """Return the data with coded columns as labelled Categoricals; see :meth:`Codebook.apply`."""
        return self.codebook.apply(self.data, lang=lang or self.lang)

    def __repr__(self) -> str:
        name = self.path.name if self.path is not None else "<data>"
        return (
            f"Survey({name!r}, format={self.format!r}): {len(self.data)} rows x "
            f"{self.data.shape[1]} columns; codebook of {len(self.codebook)} columns; "
            f"{len(self.load_report)} load-report entries"
        )

    def _repr_html_(self) -> str:
        parts = [
            f"<h4>{html.escape(repr(self))}</h4>",
            "<b>Load report</b>",
            self.load_report.to_html(index=False, escape=True),
            "<b>First rows</b>",
            self.data.head(5).to_html(escape=True),
        ]
        return "\n".join(parts)


class _Report:
    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def add(self, column: Any, action: str, n: int, detail: str) -> None:
        self.rows.append(
            {
                "column": "" if column is None else str(column),
                "action": action,
                "n": int(n),
                "detail": detail,
            }
        )

    def frame(self) -> pd.DataFrame:
        out = pd.DataFrame(self.rows, columns=LOAD_REPORT_COLUMNS)
        out["n"] = out["n"].astype("int64")
        return out


def read_survey(
    path: str | Path,
    *,
    codebook: Codebook | str | Path | Mapping[str, Any] | None = None,
    sheet: int | str = 0,
    encoding: str | None = None,
    sep: str | None = None,
    strict: bool = True,
    lang: Lang = "en",
) -> Survey:
    """Read a survey export (.csv, .tsv, .txt, .xlsx or .sav) with its codebook.

    Parameters
    ----------
    path : str or Path
        The file. Text files are decoded as UTF-8 (a byte-order mark is stripped) or, failing
        that, GB18030 (which covers GBK and GB2312), unless *encoding* is given.
    codebook : Codebook, str, Path or dict, optional
        The codebook: an object, a YAML file (see ``docs/codebook.md``) or its dict. Without it
        the codebook comes from the .sav metadata or is drafted with :meth:`Codebook.infer`.
    sheet : int or str, default 0
        The Excel sheet (position or name).
    encoding : str, optional
        Force a text encoding instead of detecting it.
    sep : str, optional
        Force the delimiter instead of sniffing it among ``, ; \\t |``.
    strict : bool, default True
        With ``True``, codebook columns absent from the file, duplicated or missing respondent
        ids and invalid weights raise. With ``False`` they are listed in ``load_report`` (and
        :meth:`Codebook.validate`) instead; unreadable files still raise.
    lang : {"en", "zh"}, default "en"
        Language of labels for :meth:`Survey.labelled`.

    Returns
    -------
    Survey
        ``data`` (codes or labels as in the file; user-missing codes set to missing),
        ``codebook``, ``load_report`` (see :class:`Survey`), ``path`` and ``format``.

    Raises
    ------
    ConfigError
        The file does not exist, has an unsupported extension, or the codebook is invalid.
    DataError
        The file is empty, has a header but no rows, cannot be decoded (the message gives the
        byte offset) or parsed; with ``strict=True`` also duplicated / missing ids and invalid
        weights.
    SchemaError
        Duplicate column names; with ``strict=True`` codebook columns absent from the file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "s.csv"
    >>> _ = p.write_bytes("rid;sat;city\\n1;5;北京\\n2; ;上海\\n3;4;北京\\n".encode("utf-8-sig"))
    >>> s = read_survey(p)
    >>> s.data
       rid  sat city
    0    1  5.0   北京
    1    2  NaN   上海
    2    3  4.0   北京
    >>> s.load_report[["column", "action", "n"]]
      column              action  n
    0                       read  3
    1          encoding_detected  0
    2               bom_stripped  1
    3         delimiter_detected  0
    4    sat        blank_to_nan  1
    >>> s.codebook["sat"].type, s.codebook["city"].values
    ('single', {1: {'zh': '上海'}, 2: {'zh': '北京'}})
    """
    check_lang(lang)
    path = Path(path)
    fmt = SUPPORTED.get(path.suffix.lower())
    if fmt is None:
        raise ConfigError(
            f"cannot read {str(path)!r}: unsupported file type {path.suffix or '(none)'!r}; "
            f"supported: {', '.join(SUPPORTED)}."
        )
    if not path.exists():
        raise ConfigError(
            f"survey file not found: [Errno 2] No such file or directory: {str(path)!r}. "
            "Check the path and the working directory."
        )
    if path.is_dir():
        raise ConfigError(f"{str(path)!r} is a directory; pass the survey file itself.")
    report = _Report()
    cb: Codebook | None = _resolve_codebook(codebook)
    if fmt == "csv":
        df = _read_text(path, report, encoding=encoding, sep=sep)
    elif fmt == "xlsx":
        df = _read_xlsx(path, sheet, report)
    else:
        df, sav_cb = _read_sav(path, report)
        if cb is None:
            cb = sav_cb
    df = _strip_bom_names(df, report)
    check_unique_columns(df.columns, source=str(path))
    levels: dict[Any, tuple[np.ndarray, bool]] = {}
    if fmt != "sav":
        df, levels = _numeric_text(df, report)
    if len(df) == 0:
        raise DataError(f"{path} has a header but no rows; export the answers too.")
    report.rows.insert(
        0,
        {
            "column": "",
            "action": "read",
            "n": len(df),
            "detail": f"{len(df)} rows x {df.shape[1]} columns ({fmt})",
        },
    )
    if cb is None:
        cb = Codebook(infer_columns(df, levels=levels))
    else:
        df = _apply_codebook(df, cb, report, strict=strict)
    return Survey(
        data=df, codebook=cb, load_report=report.frame(), path=path, format=fmt, lang=lang
    )


def _resolve_codebook(codebook: Any) -> Codebook | None:
    if codebook is None or isinstance(codebook, Codebook):
        return codebook
    if isinstance(codebook, (str, Path)):
        return Codebook.from_yaml(codebook)
    if isinstance(codebook, Mapping):
        return Codebook.from_dict(codebook)
    raise ConfigError(
        f"codebook must be a Codebook, a YAML path or a dict, got {type(codebook).__name__}."
    )


# ------------------------------------------------------------------------------------ text
def _decode(raw: bytes, path: Path, encoding: str | None, report: _Report) -> tuple[str, bytes]:
    """Return (decoded text, UTF-8 bytes without BOM for the parser)."""
    if encoding is not None:
        try:
            text = raw.decode(encoding)
        except LookupError:
            raise ConfigError(
                f"encoding={encoding!r} is not a known text encoding "
                "(try 'utf-8', 'gb18030' or 'utf-16')."
            ) from None
        except UnicodeDecodeError as exc:
            raise DataError(
                f"{path}: cannot decode as {encoding} at byte offset {exc.start} "
                f"({raw[exc.start : exc.start + 4]!r}); pass the right encoding= or re-save the file as UTF-8."
            ) from None
        had_bom = text.startswith("\ufeff")
        text = text.lstrip("\ufeff")
        report.add(None, "encoding_detected", 0, f"{encoding} (given)")
        if had_bom:
            report.add(None, "bom_stripped", 1, "byte-order mark at the start of the file removed")
        return text, text.encode("utf-8")
    bom = raw.startswith(_BOM)
    try:
        text = raw.decode("utf-8-sig")
        report.add(None, "encoding_detected", 0, "utf-8-sig" if bom else "utf-8")
        if bom:
            report.add(None, "bom_stripped", 1, "byte-order mark at the start of the file removed")
        return text, raw[3:] if bom else raw
    except UnicodeDecodeError as exc:
        utf8_err = exc
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError as exc:
        off = utf8_err.start + (0 if not bom else 0)
        raise DataError(
            f"{path}: cannot decode the file: not UTF-8 (byte offset {off}: "
            f"{raw[off : off + 4]!r}) and not GB18030/GBK (byte offset {exc.start}: "
            f"{raw[exc.start : exc.start + 4]!r}). Pass encoding= (e.g. 'utf-16', 'big5') or "
            "re-save the file as UTF-8."
        ) from None
    report.add(None, "encoding_detected", 0, "gb18030")
    return text, text.encode("utf-8")


def _sniff(sample: str, path: Path) -> str:
    first = sample.split("\n", 1)[0]
    present = [d for d in _DELIMITERS if d in first]
    if len(present) == 1:
        return present[0]
    cut = sample[: sample.rfind("\n")] if "\n" in sample else sample
    try:
        found = csv.Sniffer().sniff(cut, delimiters=_DELIMITERS).delimiter
        if found in first:
            return found
    except csv.Error:
        pass
    if present:
        return max(present, key=first.count)
    return "\t" if path.suffix.lower() == ".tsv" else ","


def _read_text(
    path: Path, report: _Report, *, encoding: str | None, sep: str | None
) -> pd.DataFrame:
    with open(path, "rb") as fh:
        start = fh.read(65536)
    if not start.removeprefix(_BOM).strip() and not path.read_bytes().removeprefix(_BOM).strip():
        raise DataError(f"{path} is empty ({path.stat().st_size} bytes); export the survey again.")
    if encoding is None:
        # Fast path: the C parser reads and decodes the UTF-8 file itself; only when that fails
        # is the file decoded in Python (UTF-8 error offset, then GB18030).
        bom = start.startswith(_BOM)
        head = start[3:] if bom else start
        sample = head.decode("utf-8", errors="ignore")
        try:
            head[: max(0, len(head) - 4)].decode("utf-8")
            df = _parse(path, path, sample, sep, report)
            report.rows.insert(
                0,
                {
                    "column": "",
                    "action": "encoding_detected",
                    "n": 0,
                    "detail": "utf-8-sig" if bom else "utf-8",
                },
            )
            if bom:
                report.rows.insert(
                    1,
                    {
                        "column": "",
                        "action": "bom_stripped",
                        "n": 1,
                        "detail": "byte-order mark at the start of the file removed",
                    },
                )
            return df
        except UnicodeDecodeError:
            report.rows.clear()
    raw = path.read_bytes()
    text, payload = _decode(raw, path, encoding, report)
    return _parse(payload, path, text[:65536], sep, report)


def _arrow_strings() -> bool:
    try:
        return pd.Series(["a"]).dtype.storage == "pyarrow"  # type: ignore[union-attr]
    except AttributeError:
        return False


_ARROW_STRINGS = _arrow_strings()


def _open(source: bytes | Path) -> contextlib.AbstractContextManager[Any]:
    """The parser's input: in-memory UTF-8 bytes, or the UTF-8 file itself (read by the C
    parser, which also drops a leading byte-order mark)."""
    if isinstance(source, bytes):
        return io.BytesIO(source)
    return contextlib.nullcontext(str(source))


def _parse(
    payload: bytes | Path, path: Path, sample: str, sep: str | None, report: _Report
) -> pd.DataFrame:
    if sep is None:
        sep = _sniff(sample, path)
        report.add(None, "delimiter_detected", 0, repr(sep))
    elif len(sep) != 1:
        raise ConfigError(f"sep={sep!r}: give a single character such as ',', ';', '\\t' or '|'.")
    try:
        header = next(csv.reader(io.StringIO(sample), delimiter=sep))
    except (StopIteration, csv.Error) as exc:
        raise DataError(f"{path}: cannot read the header line ({exc}).") from None
    check_unique_columns([h.replace("\ufeff", "") for h in header], source=str(path))
    bom_names = [h.replace("\ufeff", "") for h in header if "\ufeff" in h]
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", pd.errors.DtypeWarning)
            # With Arrow-backed strings (pyarrow installed, the pandas default) text parses
            # fast as it is. Without them, text columns are parsed as categoricals (hashing in
            # C, much faster than a Python string per cell) and turned back into plain text in
            # _numeric_text.
            as_cat: dict[str, str] = {}
            if not _ARROW_STRINGS:
                with _open(payload) as fh:
                    head = pd.read_csv(fh, sep=sep, encoding="utf-8", engine="c", nrows=2000)
                as_cat = {
                    c: "category"
                    for c in head.columns
                    if head[c].dtype == object or pd.api.types.is_string_dtype(head[c].dtype)
                }
            # low_memory=False with categoricals: one pass, no per-chunk categories to union.
            with _open(payload) as fh:
                df = pd.read_csv(
                    fh,
                    sep=sep,
                    encoding="utf-8",
                    engine="c",
                    dtype=as_cat or None,
                    low_memory=not as_cat,
                )
        if any(issubclass(w.category, pd.errors.DtypeWarning) for w in caught):
            for name in df.columns:
                s = df[name]
                if s.dtype == object and s.map(type).nunique() > 2:  # numbers and texts mixed
                    report.add(
                        name,
                        "mixed_types",
                        int(s.notna().sum()),
                        "the column mixes numbers and texts; they are kept as they are",
                    )
    except pd.errors.EmptyDataError:
        raise DataError(f"{path} is empty; export the survey again.") from None
    except pd.errors.ParserError as exc:
        raise DataError(
            f"{path}: cannot parse with delimiter {sep!r}: {exc}. Check the delimiter "
            "(pass sep=) and quoting of the export."
        ) from None
    for name in bom_names:  # the parser already removed a BOM from the first name: report it
        if name in df.columns:
            report.add(name, "bom_stripped", 1, "byte-order mark removed from the column name")
    return df


# ------------------------------------------------------------------------------------ xlsx
def _read_xlsx(path: Path, sheet: int | str, report: _Report) -> pd.DataFrame:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile / openpyxl errors on a damaged file
        raise DataError(
            f"{path}: not a readable .xlsx file ({type(exc).__name__}: {exc})."
        ) from None
    try:
        names = wb.sheetnames
        if isinstance(sheet, int):
            if not 0 <= sheet < len(names):
                raise ConfigError(f"sheet={sheet} is out of range; {path.name} has sheets {names}.")
            ws = wb[names[sheet]]
        elif sheet in names:
            ws = wb[sheet]
        else:
            raise ConfigError(f"sheet={sheet!r} not found; {path.name} has sheets {names}.")
        first = next(ws.iter_rows(max_row=1, values_only=True), None)
    finally:
        wb.close()
    if first is None or all(v is None for v in first):
        raise DataError(f"{path} (sheet {sheet!r}) is empty; export the survey again.")
    header = [str(v) for v in first if v is not None]
    check_unique_columns(
        [h.replace("\ufeff", "") for h in header], source=f"{path} (sheet {sheet!r})"
    )
    df = pd.read_excel(path, sheet_name=sheet, engine="openpyxl")
    report.add(None, "sheet_read", 0, repr(ws.title))
    return df


# ------------------------------------------------------------------------------------ sav
def _read_sav(path: Path, report: _Report) -> tuple[pd.DataFrame, Codebook]:
    import pyreadstat

    try:
        df, meta = pyreadstat.read_sav(str(path), user_missing=True)
    except Exception as exc:  # pyreadstat.ReadstatError and friends
        raise DataError(
            f"{path}: not a readable SPSS .sav file ({type(exc).__name__}: {exc})."
        ) from None
    if df.shape[1] == 0:
        raise DataError(f"{path} is empty; export the survey again.")
    missing_codes: dict[str, list[Code]] = {}
    vlabels: Mapping[str, Mapping[Any, str]] = meta.variable_value_labels or {}
    for name in df.columns:
        s = df[name]
        mask = np.zeros(len(s), dtype=bool)
        codes: list[Code] = []
        if pd.api.types.is_numeric_dtype(s):
            vals = s.to_numpy(dtype=float, na_value=np.nan)
            ranges: Mapping[str, list[Any]] = meta.missing_ranges or {}
            for r in ranges.get(name, []):
                lo, hi = float(r["lo"]), float(r["hi"])
                with np.errstate(invalid="ignore"):
                    hit = (vals >= lo) & (vals <= hi)
                mask |= hit
                if lo == hi:
                    codes.append(as_code(lo))
                else:  # a true range: keep the labelled and observed codes inside it
                    inside = [float(k) for k in vlabels.get(name, {}) if lo <= float(k) <= hi]
                    inside += np.unique(vals[hit]).tolist()
                    codes += [as_code(v) for v in sorted(set(inside))]
        for v in (meta.missing_user_values or {}).get(name, []):
            mask |= (s == v).to_numpy(dtype=bool)
            codes.append(as_code(v))
        codes = list(dict.fromkeys(codes))
        if codes:
            missing_codes[name] = codes
        if mask.any():
            df[name] = s.mask(mask)
            report.add(
                name,
                "user_missing_to_nan",
                int(mask.sum()),
                f"SPSS user-missing codes {preview(codes)} set to missing",
            )
    for name in df.columns:  # SPSS stores every number as double: give whole numbers back as int
        s = df[name]
        if s.dtype == np.float64 and s.notna().all():
            arr = s.to_numpy()
            if np.all(arr == np.round(arr)) and np.all(np.abs(arr) < 2**53):
                df[name] = arr.astype(np.int64)
    inferred = Codebook.infer(df)
    labels: Mapping[str, str | None] = meta.column_names_to_labels or {}
    measures: Mapping[str, str] = meta.variable_measure or {}
    cols: list[Column] = []
    for name in df.columns:
        base = inferred[name]
        label = labels.get(name)
        vl = vlabels.get(name) or {}
        ctype = base.type
        values = base.values
        if vl:
            ctype = (
                "likert"
                if measures.get(name) == "ordinal"
                else (base.type if base.type in ("likert", "single") else "single")
            )
            values = {as_code(k): {lang_of(str(v)): str(v)} for k, v in vl.items()}
        elif measures.get(name) == "scale" and base.type in ("single", "likert"):
            ctype, values = "numeric", {}
        cols.append(
            Column(
                name,
                ctype,
                label={lang_of(label): label} if label else {},
                values=values if ctype in ("single", "likert", "multi") else {},
                missing=missing_codes.get(name, []),
            )
        )
    assign_groups(cols)
    if vlabels:
        report.add(
            None,
            "sav_metadata",
            len(vlabels),
            f"value labels read for {len(vlabels)} columns; variable labels and "
            "user-missing codes taken into the codebook",
        )
    return df, Codebook(cols)


# ------------------------------------------------------------------------------------ tidy
def _strip_bom_names(df: pd.DataFrame, report: _Report) -> pd.DataFrame:
    names = list(df.columns)
    fixed = [c.replace("\ufeff", "") if isinstance(c, str) else c for c in names]
    changed = [c for c, f in zip(names, fixed, strict=True) if c != f]
    if changed:
        df = df.set_axis(fixed, axis=1)
        for c in changed:
            report.add(
                c.replace("\ufeff", ""),
                "bom_stripped",
                1,
                "byte-order mark removed from the column name",
            )
    return df


def _numeric_text(
    df: pd.DataFrame, report: _Report
) -> tuple[pd.DataFrame, dict[Any, tuple[np.ndarray, bool]]]:
    """Convert text columns that hold numbers and blank cells to numbers; return text levels.

    Vectorised over the distinct values of a column (the categories of a column parsed as
    categorical, else ``pandas.factorize``): the distinct values are converted once and mapped
    back by their codes. Categorical text columns are turned back into plain text; their
    distinct values are returned (value, has-missing) so that inference need not recompute them.
    """

    def convert(j: int) -> tuple[Any, list[tuple[str, int, str]], Any]:
        """(new column or None, report rows, text levels or None) for column j."""
        s = df.iloc[:, j]
        is_cat = isinstance(s.dtype, pd.CategoricalDtype)
        if not (is_cat or s.dtype == object or pd.api.types.is_string_dtype(s.dtype)):
            return None, [], None
        if is_cat:
            codes = s.cat.codes.to_numpy()
            uniq = np.asarray(s.cat.categories, dtype=object)
        else:
            head = pd.Series(pd.unique(s.iloc[:5000].dropna()), dtype=object)
            kinds = head.map(
                lambda v: (
                    isinstance(v, str)
                    or (
                        isinstance(v, (int, float, np.number))
                        and not isinstance(v, (bool, np.bool_))
                    )
                )
            )
            if not kinds.all() or not head.map(lambda v: isinstance(v, str)).any():
                return None, [], None  # not text, or no text at all
            head = head.astype(str).str.strip()
            head = head[head != ""]
            if len(head) and pd.to_numeric(head, errors="coerce").isna().any():
                return None, [], None  # text column: leave it
            codes, levels = pd.factorize(s)
            uniq = np.asarray(levels, dtype=object)
        u = pd.Series(uniq, dtype=object).astype(str).str.strip()
        num = pd.to_numeric(u, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        bad_u = np.isnan(num)
        numeric = len(u) > 0 and (~bad_u).any() and bool(u[bad_u].eq("").all())
        if not numeric:
            if is_cat:  # back to plain text, as in the file
                text = np.append(uniq, np.nan)[codes]
                return (
                    pd.Series(text, index=df.index, dtype="str"),
                    [],
                    (uniq, bool((codes < 0).any())),
                )
            return None, [], None
        values = np.append(num, np.nan)[codes]  # code -1 (missing) -> NaN
        n_blank = int(np.bincount(codes + 1, minlength=len(uniq) + 1)[1:][bad_u].sum())
        if n_blank:
            rows = [
                (
                    "blank_to_nan",
                    n_blank,
                    "blank cells read as missing; the other values are numbers",
                )
            ]
        else:
            rows = [
                (
                    "text_to_number",
                    int((codes >= 0).sum()),
                    "numbers stored as text converted to numbers",
                )
            ]
        if (
            not np.isnan(values).any()
            and np.all(values == np.round(values))
            and np.all(np.abs(values) < 2**53)
        ):
            values = values.astype(np.int64)
        return values, rows, None

    if len(df) >= 100_000 and df.shape[1] > 1:
        # Columns are independent and the heavy steps release the GIL: convert in threads.
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(convert, range(df.shape[1])))
    else:
        results = [convert(j) for j in range(df.shape[1])]
    levels: dict[Any, tuple[np.ndarray, bool]] = {}
    for j, (name, (values, rows, level)) in enumerate(zip(df.columns, results, strict=True)):
        if values is not None:
            df.isetitem(j, values)
        for action, n, detail in rows:
            report.add(name, action, n, detail)
        if level is not None:
            levels[name] = level
    return df, levels


# ------------------------------------------------------------------------------------ codebook
def _apply_codebook(
    df: pd.DataFrame, cb: Codebook, report: _Report, *, strict: bool
) -> pd.DataFrame:
    absent = [c for c in cb.names() if c not in df.columns]
    if absent:
        if strict:
            try:
                check_columns(df, absent, what="codebook column")
            except SchemaError as exc:
                raise SchemaError(
                    f"{exc} Fix the codebook or the export, or pass strict=False to load anyway."
                ) from None
        import difflib

        names = [str(c) for c in df.columns]
        for c in absent:
            close = difflib.get_close_matches(str(c), names, n=1)
            report.add(
                c,
                "missing_column",
                len(df),
                "declared in the codebook but not in the file"
                + (f"; did you mean {close[0]!r}?" if close else ""),
            )
    for col in cb:
        if col.missing and col.name in df.columns:
            mask = user_missing(df[col.name], col)
            if mask.any():
                df[col.name] = df[col.name].mask(mask)
                report.add(
                    col.name,
                    "user_missing_to_nan",
                    int(mask.sum()),
                    f"user-missing codes {preview(col.missing)} set to missing",
                )
    if cb.id is not None and cb.id in df.columns:
        try:
            check_unique(df, cb.id)
        except DataError as exc:
            if strict:
                raise
            s = df[cb.id]
            na = s.isna().to_numpy()
            dup = s.duplicated(keep=False).to_numpy() & ~na
            if na.any():
                report.add(cb.id, "missing_id", int(na.sum()), str(exc))
            if dup.any():
                report.add(
                    cb.id,
                    "id_duplicates",
                    int(dup.sum()),
                    f"{int(s[dup].nunique())} ids repeated: {preview(s[dup].tolist())} at rows "
                    f"{row_list(dup)}",
                )
    if cb.weight is not None and cb.weight in df.columns:
        try:
            check_weights(df, cb.weight)
        except NeedlabError as exc:
            if strict:
                raise
            report.add(cb.weight, "bad_weight", len(df), str(exc))
    return df
