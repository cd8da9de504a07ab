"""Reading survey exports: CSV / TSV / TXT, Excel (.xlsx), SPSS (.sav) and Parquet.

:func:`read_survey` reads a file once, detects its encoding with a confidence and its
delimiter (``, ; \\t |`` or whitespace-aligned columns) from a sample (:mod:`needlab.io.sniff`),
parses it with the pandas C parser, checks that every row has the header's number of fields
and tidies what survey tools commonly get wrong: byte-order marks and NUL bytes, spaces around
column names, numeric columns with blank (``" "``) cells, Excel formulas without values. Every
change is listed in ``Survey.load_report``; no row is ever dropped and no column silently
shifted. With a codebook it also turns user-missing codes into missing values and
checks that the codebook's columns exist, that respondent ids are unique and that weights are
valid.
"""

from __future__ import annotations

import codecs
import csv
import html
import io
import re
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
    SHOW,
    check_columns,
    check_option,
    check_unique,
    check_unique_columns,
    check_weights,
    preview,
    row_list,
)
from needlab.errors import ConfigError, DataError, NeedlabError, SchemaError
from needlab.io.codebook import Codebook
from needlab.io.codes import mask_missing, user_missing
from needlab.io.column import Code, Column, as_code, check_lang
from needlab.io.infer import assign_groups, infer_columns, suspect_missing
from needlab.io.sniff import (
    SAMPLE_BYTES,
    WHITESPACE,
    Encoding,
    RowShape,
    detect_encoding,
    detect_encoding_at,
    line_of,
    line_terminator,
    lines_text,
    row_shapes,
    seps_outside_quotes,
    sniff_delimiter,
)

__all__ = ["LOAD_REPORT_COLUMNS", "SUPPORTED", "Survey", "read_survey"]

Format = Literal["csv", "xlsx", "sav", "parquet"]
SUPPORTED: dict[str, Format] = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".sav": "sav",
    ".zsav": "sav",
    ".parquet": "parquet",
}
"""File extensions read by :func:`read_survey` and their format."""
LOAD_REPORT_COLUMNS = ["column", "action", "n", "detail"]
"""The columns of ``Survey.load_report``."""

_BOM = b"\xef\xbb\xbf"
Ragged = Literal["error", "keep"]


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
        file), ``action`` (``read``; ``encoding_detected``: the encoding, its confidence and how
        it was found; ``encoding_uncertain``: several encodings decoded the sample equally well;
        ``delimiter_detected``; ``line_endings``: CR-only line breaks; ``bom_stripped``:
        byte-order marks removed from the start of the file, a column name or data cells;
        ``nul_removed``: NUL bytes removed from cells; ``header_stripped``: spaces around column
        names removed; ``short_rows_padded`` and ``ragged_rows_kept``: rows with fewer / more
        fields than the header, with their lines; ``one_column``: a single column whose name
        looks like several (wrong delimiter); ``formula_no_value``: Excel formula cells without
        a cached value, read as missing; ``blank_to_nan``: whitespace-only cells of a numeric
        column read as missing; ``text_to_number``: a column of numbers stored as text
        converted; ``user_missing_to_nan``: user-missing codes set to missing;
        ``suspect_missing_code``: a code of a drafted codebook that looks like "not
        applicable" (declare it with ``missing=``);
        ``missing_column``, ``id_duplicates``, ``missing_id``, ``bad_weight``: problems found
        with ``strict=False`` or, without a codebook, in a column named like an id),
        ``n`` (cells or rows concerned) and ``detail`` (a short explanation).
    path : Path or None
        The file read.
    format : {"csv", "xlsx", "sav", "parquet"}
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
    ragged: Ragged = "error",
    strict: bool = True,
    missing: Mapping[str, Any] | None = None,
    lang: Lang = "en",
) -> Survey:
    """Read a survey export (.csv, .tsv, .txt, .xlsx, .sav or .parquet) with its codebook.

    Parameters
    ----------
    path : str or Path
        The file. The encoding of a text file is detected from a sample of its bytes: a
        byte-order mark (UTF-8, UTF-16, UTF-32), UTF-16 without a mark, valid UTF-8, else
        ``charset-normalizer`` among the encodings survey tools write (GB18030, which covers GBK
        and GB2312, Big5, Windows-1252 / Latin-1, ...); the encoding and its confidence are in
        the load report.
    codebook : Codebook, str, Path or dict, optional
        The codebook: an object, a YAML file (see ``docs/codebook.md``) or its dict. Without it
        the codebook comes from the .sav metadata or is drafted with :meth:`Codebook.infer`.
    sheet : int or str, default 0
        The Excel sheet (position or name).
    encoding : str, optional
        Force a text encoding instead of detecting it.
    sep : str, optional
        Force the delimiter instead of sniffing it among ``, ; \\t |`` and whitespace-aligned
        columns: one character, or ``r"\\s+"`` for runs of spaces or tabs.
    ragged : {"error", "keep"}, default "error"
        Rows with more fields than the header (a trailing delimiter, an unquoted delimiter
        inside a value) would shift the columns: with ``"error"`` they raise, naming the lines;
        with ``"keep"`` the extra fields go to new columns ``extra_1``, ``extra_2``, ... (dropped
        when all empty) and the rows are counted in the load report. Rows with fewer fields are
        padded with missing values and reported, except in whitespace-aligned files where a
        blank cell shifts the later values: there they raise unless ``ragged="keep"``.
    strict : bool, default True
        With ``True``, codebook columns absent from the file, duplicated or missing respondent
        ids and invalid weights raise. With ``False`` they are listed in ``load_report`` (and
        :meth:`Codebook.validate`) instead; unreadable files still raise.
    missing : mapping of str to list of codes, optional
        User-missing codes ("not applicable", "don't know") by column name or glob pattern,
        e.g. ``{"sat_*": [0, 99], "income": [9999]}``: set to missing before the codebook is
        drafted or applied (reported as ``user_missing_to_nan``) and added to the codebook's
        ``missing`` codes (see ``docs/codebook.md``). A key matching no column is a
        ConfigError. Without a codebook, codes that look like "not applicable" and are not
        given here are reported as ``suspect_missing_code``.
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
        The file does not exist, has an unsupported extension, the codebook is invalid, or
        *sep*, *encoding* or *ragged* is not a valid option.
    DataError
        The file is empty, has a header but no rows, cannot be decoded (the message gives the
        byte offset and the encoding tried) or parsed; with ``strict=True`` also duplicated /
        missing ids and invalid weights of the codebook.
    SchemaError
        Duplicate column names, also names that differ only by surrounding spaces (``sat`` and
        ``sat ``); rows with more fields than the header (unless ``ragged="keep"``); short rows
        in a whitespace-aligned file; with ``strict=True`` codebook columns absent from the
        file.

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
    check_option(ragged, ("error", "keep"), "ragged")
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
        df = _read_text(path, report, encoding=encoding, sep=sep, ragged=ragged)
    elif fmt == "xlsx":
        df = _read_xlsx(path, sheet, report)
    elif fmt == "parquet":
        df = _read_parquet(path)
    else:
        df, sav_cb = _read_sav(path, report)
        if cb is None:
            cb = sav_cb
    df = _strip_bom_names(df, report)
    check_unique_columns(df.columns, source=str(path))
    df = _strip_names(df, report)
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
    inferred = cb is None
    if missing is not None:  # user-missing codes by column or pattern (docs/codebook.md)
        df, resolved, rows = mask_missing(df, missing)
        for name, k, detail in rows:
            report.add(name, "user_missing_to_nan", k, detail)
        levels = {k: v for k, v in levels.items() if str(k) not in resolved}
    if cb is None:
        cb = _id_check(df, Codebook(infer_columns(df, levels=levels)), report)
    else:
        df = _apply_codebook(df, cb, report, strict=strict)
    if missing is not None:
        cb = cb.set_missing({k: v for k, v in resolved.items() if k in cb})
    if inferred:
        for name, _code, k, detail in suspect_missing(df, cb):
            report.add(name, "suspect_missing_code", k, detail)
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
def _decode_all(raw: bytes, path: Path, enc: Encoding) -> bytes:
    """Decode the whole file with *enc*; return UTF-8 bytes for the parser."""
    try:
        text = raw.decode(enc.name)
    except LookupError:
        raise ConfigError(
            f"encoding={enc.name!r} is not a known text encoding "
            "(try 'utf-8', 'gb18030', 'cp1252' or 'utf-16')."
        ) from None
    except UnicodeDecodeError as exc:
        what = (
            "as given" if enc.how == "given" else f"detected with confidence {enc.confidence:.2f}"
        )
        raise DataError(
            f"{path}: cannot decode as {enc.name} ({what}) at byte offset {exc.start} "
            f"({raw[exc.start : exc.start + 4]!r}); pass the right encoding= (e.g. 'utf-8', "
            "'gb18030', 'cp1252', 'utf-16') or re-save the file as UTF-8."
        ) from None
    return text.encode("utf-8")


def _utf8_failure(raw: bytes, path: Path, given: bool) -> Encoding:
    """The file looked like UTF-8 but is not: name the offset, or detect the real encoding."""
    try:
        raw.decode("utf-8-sig")
        off = len(raw)  # pragma: no cover - the parser failed on valid UTF-8
    except UnicodeDecodeError as exc:
        off = exc.start + (3 if raw.startswith(_BOM) else 0)
    if given:
        raise DataError(
            f"{path}: cannot decode as utf-8 at byte offset {off} ({raw[off : off + 4]!r}); "
            "pass the right encoding= or re-save the file as UTF-8."
        ) from None
    enc = detect_encoding_at(raw, off)
    if enc.is_utf8:
        raise DataError(
            f"{path}: cannot decode the file: it is mostly UTF-8 but not at byte offset {off} "
            f"({raw[off : off + 4]!r}); the file is damaged or mixes encodings. Pass encoding= "
            "(e.g. 'gb18030', 'cp1252') if it is not UTF-8, or re-save the file as UTF-8."
        )
    if enc.name == "unknown":
        raise DataError(
            f"{path}: cannot decode the file: not UTF-8 (byte offset {off}: "
            f"{raw[off : off + 4]!r}) and no known encoding fits. Pass encoding= (e.g. "
            "'gb18030', 'cp1252', 'utf-16', 'big5') or re-save the file as UTF-8."
        )
    return enc


def _read_text(
    path: Path, report: _Report, *, encoding: str | None, sep: str | None, ragged: str
) -> pd.DataFrame:
    raw = path.read_bytes()  # the one read of the file; detection samples these bytes
    if not raw[:4096].removeprefix(_BOM).strip() and not raw.removeprefix(_BOM).strip():
        raise DataError(f"{path} is empty ({len(raw)} bytes); export the survey again.")
    if sep is not None and sep != WHITESPACE and len(sep) != 1:
        raise ConfigError(
            f"sep={sep!r}: give a single character such as ',', ';', '\\t' or '|', "
            "or r'\\s+' for whitespace-aligned columns."
        )
    if encoding is not None:
        enc = Encoding(encoding, 1.0, "given")
        try:
            utf8 = codecs.lookup(encoding).name == "utf-8"
        except LookupError:
            utf8 = False
    else:
        enc = detect_encoding(raw)
        utf8 = enc.is_utf8
    payload = raw if utf8 else _decode_all(raw, path, enc)
    try:
        return _parse(payload, path, enc, sep, ragged, report, as_in_file=payload is raw)
    except UnicodeDecodeError:
        # Valid UTF-8 at the start but not further on: detect from the failing bytes.
        report.rows.clear()
        enc = _utf8_failure(raw, path, given=encoding is not None)
        return _parse(_decode_all(raw, path, enc), path, enc, sep, ragged, report)


def _arrow_strings() -> bool:
    try:
        return pd.Series(["a"]).dtype.storage == "pyarrow"  # type: ignore[union-attr]
    except AttributeError:
        return False


_ARROW_STRINGS = _arrow_strings()


def _lines(payload: bytes, needle: bytes, nl: bytes, start: int = 0) -> tuple[int, str]:
    """(occurrences of *needle* from *start*, their first line numbers)."""
    n = payload.count(needle, start)
    found: list[int] = []
    pos = payload.find(needle, start)
    while pos >= 0 and len(found) < SHOW:
        line = line_of(payload, pos, nl)
        if line not in found:
            found.append(line)
        pos = payload.find(needle, pos + len(needle))
    return n, ", ".join(map(str, found)) + (" ..." if n > len(found) else "")


def _clean_bytes(payload: bytes, report: _Report) -> tuple[bytes, bytes]:
    """Remove NUL bytes and byte-order marks inside the data; report line endings.

    Returns (payload, line terminator)."""
    nl = line_terminator(payload[:SAMPLE_BYTES])
    if nl == b"\r":
        report.add(
            None, "line_endings", 0, "CR-only line endings (classic Mac) read as line breaks"
        )
    if b"\x00" in payload:
        n, lines = _lines(payload, b"\x00", nl)
        payload = payload.replace(b"\x00", b"")
        report.add(None, "nul_removed", n, f"NUL bytes removed from cells (lines {lines})")
    body = payload.find(nl)
    # a one-byte search first (memchr-fast): most files have no 0xEF byte at all
    if body >= 0 and payload.find(b"\xef", body) >= 0 and payload.find(_BOM, body) >= 0:
        n, lines = _lines(payload, _BOM, nl, body)
        payload = payload[:body] + payload[body:].replace(_BOM, b"")
        report.add(
            None,
            "bom_stripped",
            n,
            f"byte-order marks (U+FEFF) removed from data cells (lines {lines})",
        )
    return payload, nl


def _check_header(header: list[str], path: Path) -> None:
    """Duplicate names, also those that differ only by spaces around them or a BOM."""
    bare = [h.replace("\ufeff", "") for h in header]
    check_unique_columns(bare, source=str(path))
    by_name: dict[str, list[str]] = {}
    for h in bare:
        by_name.setdefault(h.strip(), []).append(h)
    clashes = [v for v in by_name.values() if len(v) > 1]
    if clashes:
        shown = "; ".join(" and ".join(repr(h) for h in v) for v in clashes[:SHOW])
        raise SchemaError(
            f"{path} has column names that differ only by spaces: {shown}. They would be the "
            "same column after trimming; rename one of them in the export."
        )


def _read_frame(
    payload: bytes, sep: str, *, path: Path | None = None, **kw: Any
) -> tuple[pd.DataFrame, list[Any]]:
    """Parse *payload*; from *path* when given (the same bytes: pandas reads a path about twice as
    fast as a BytesIO)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", pd.errors.DtypeWarning)
        # With Arrow-backed strings (pyarrow installed, the pandas default) text parses fast as
        # it is. Without them, text columns are parsed as categoricals (hashing in C, much
        # faster than a Python string per cell) and turned back into plain text in
        # _numeric_text.
        as_cat: dict[str, str] = {}
        base: dict[str, Any] = {"sep": sep, "encoding": "utf-8", "engine": "c", "index_col": False}
        if not _ARROW_STRINGS:
            head = pd.read_csv(io.BytesIO(payload), nrows=2000, **base, **kw)
            as_cat = {
                c: "category"
                for c in head.columns
                if head[c].dtype == object or pd.api.types.is_string_dtype(head[c].dtype)
            }
        # low_memory=False with categoricals: one pass, no per-chunk categories to union.
        if path is not None:
            df = pd.read_csv(path, dtype=as_cat or None, low_memory=not as_cat, **base, **kw)
        else:
            df = pd.read_csv(
                io.BytesIO(payload), dtype=as_cat or None, low_memory=not as_cat, **base, **kw
            )
    return df, list(caught)


def _parse(
    payload: bytes,
    path: Path,
    enc: Encoding,
    sep: str | None,
    ragged: str,
    report: _Report,
    *,
    as_in_file: bool = False,
) -> pd.DataFrame:
    report.add(
        None,
        "encoding_detected",
        0,
        enc.describe() if enc.how != "given" else f"{enc.name} (given)",
    )
    if enc.how != "given" and enc.confidence < 0.5:
        report.add(
            None,
            "encoding_uncertain",
            0,
            f"{enc.name} chosen among {', '.join((enc.name, *enc.alternatives))}: check the "
            "text and pass encoding= if it looks wrong",
        )
    if payload.startswith(_BOM):
        report.add(None, "bom_stripped", 1, "byte-order mark at the start of the file removed")
    cleaned, nl = _clean_bytes(payload, report)
    same = as_in_file and cleaned is payload  # the file's own bytes, unchanged
    payload = cleaned
    sample = payload[:SAMPLE_BYTES].decode("utf-8", errors="ignore")
    sample = sample[1:] if sample.startswith("\ufeff") else sample
    if sep is None:
        sep = sniff_delimiter(sample, suffix=path.suffix.lower())
        shown = "whitespace-aligned columns (sep=r'\\s+')" if sep == WHITESPACE else repr(sep)
        report.add(None, "delimiter_detected", 0, shown)
    if sep == WHITESPACE:
        header = next((ln.split() for ln in sample.splitlines() if ln.strip()), [])
    else:
        try:
            header = next(csv.reader(io.StringIO(sample, newline=""), delimiter=sep))
        except (StopIteration, csv.Error) as exc:
            raise DataError(f"{path}: cannot read the header line ({exc}).") from None
    _check_header(header, path)
    bom_names = [h.replace("\ufeff", "") for h in header if "\ufeff" in h]
    shape: RowShape | None = None
    try:
        df, caught = _read_frame(payload, sep, path=path if same else None)
    except pd.errors.EmptyDataError:
        raise DataError(f"{path} is empty; export the survey again.") from None
    except pd.errors.ParserError as exc:
        shape = row_shapes(payload, sep)
        if not shape.long:
            raise DataError(
                f"{path}: cannot parse with delimiter {sep!r}: {exc}. Check the delimiter "
                "(pass sep=) and quoting of the export."
            ) from None
        df, caught = pd.DataFrame(), []
    if shape is None and len(header) > 1:
        if sep == WHITESPACE:
            shape = row_shapes(payload, sep)
        elif seps_outside_quotes(payload, sep) != (len(df) + 1) * (len(header) - 1):
            shape = row_shapes(payload, sep)  # the counts do not add up: find the rows
    if shape is not None and (shape.long or shape.short):
        df = _ragged(df, shape, payload, path, sep, header, ragged, report)
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
    for name in bom_names:  # the parser already removed a BOM from the first name: report it
        if name in df.columns:
            report.add(name, "bom_stripped", 1, "byte-order mark removed from the column name")
    if df.shape[1] == 1 and len(df) and re.search(r"[,;|\t ]", str(df.columns[0]).strip()):
        report.add(
            df.columns[0],
            "one_column",
            len(df),
            f"only one column was read with delimiter {sep!r}, but the header "
            f"{str(df.columns[0])[:60]!r} looks like several names: pass sep= (e.g. ';', "
            "'\\t' or r'\\s+')",
        )
    return df


def _rows_word(n: int) -> str:
    return "1 row has" if n == 1 else f"{n} rows have"


def _ragged(
    df: pd.DataFrame,
    shape: RowShape,
    payload: bytes,
    path: Path,
    sep: str,
    header: list[str],
    ragged: str,
    report: _Report,
) -> pd.DataFrame:
    """Rows whose field count differs from the header's: raise, or keep / pad and report."""
    k = shape.n_header
    names = ", ".join(repr(h) for h in header[:SHOW]) + (", ..." if k > SHOW else "")
    if shape.long and ragged == "error":
        raise SchemaError(
            f"{path}: {_rows_word(len(shape.long))} more fields than the header ({k}: {names}), "
            f"at lines {lines_text(shape.long)}. A trailing delimiter or an unquoted {sep!r} "
            "inside a value would shift every column. Fix the export (remove the trailing "
            "delimiter, quote values that contain the delimiter) or pass ragged='keep' to keep "
            "the extra fields in columns extra_1, extra_2, ..."
        )
    if shape.short and sep == WHITESPACE and ragged == "error":
        raise SchemaError(
            f"{path}: {_rows_word(len(shape.short))} fewer fields than the header ({k}: {names}), "
            f"at lines {lines_text(shape.short)}. In a whitespace-aligned file a blank cell "
            "shifts the later values to the wrong columns. Write missing values as NA, export "
            "with a delimiter (pass sep=), or pass ragged='keep' to pad the rows with missing "
            "values at the end."
        )
    if shape.long:
        extra: list[str] = []
        j = 1
        while len(extra) < shape.max_fields - k:
            name = f"extra_{j}"
            if name not in header:
                extra.append(name)
            j += 1
        df, _ = _read_frame(payload, sep, header=None, skiprows=1, names=[*header, *extra])
        kept = [c for c in extra if df[c].notna().any()]
        dropped = [c for c in extra if c not in kept]
        df = df.drop(columns=dropped)
        what = (
            f"the extra fields are in {', '.join(kept)}"
            if kept
            else "the extra fields were empty (trailing delimiters) and were dropped"
        )
        report.add(
            None,
            "ragged_rows_kept",
            len(shape.long),
            f"rows with more fields than the header's {k} at lines {lines_text(shape.long)}; "
            f"{what} (ragged='keep')",
        )
    if shape.short:
        report.add(
            None,
            "short_rows_padded",
            len(shape.short),
            f"rows with fewer fields than the header's {k} at lines "
            f"{lines_text(shape.short)}; the missing fields at the end are read as missing",
        )
    return df


# ------------------------------------------------------------------------------------ xlsx
def _read_parquet(path: Path) -> pd.DataFrame:
    """A Parquet file into pandas (pyarrow); its column types are kept (no text sniffing)."""
    try:
        return pd.read_parquet(path)
    except Exception as exc:  # pyarrow errors on a damaged or non-Parquet file
        raise DataError(
            f"{path}: not a readable Parquet file ({type(exc).__name__}: {exc}); export it again "
            "or read the CSV export."
        ) from None


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
    cells = _formulas_without_value(path, ws.title)
    if cells:
        report.add(
            None,
            "formula_no_value",
            len(cells),
            f"formula cells without a cached value read as missing: {preview(cells)}. The "
            "file was saved without calculating; open and save it in Excel or LibreOffice",
        )
    return df


def _formulas_without_value(path: Path, title: str) -> list[str]:
    """Cells of sheet *title* that hold a formula but no cached value (read as missing).

    A quick look at the worksheet XML first: only a workbook with formulas is read twice
    (formulas, then cached values)."""
    import zipfile

    import openpyxl
    from openpyxl.utils import get_column_letter

    with zipfile.ZipFile(path) as zf:
        sheets = [n for n in zf.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        if not any(b"<f" in zf.read(n) for n in sheets):
            return []
    wb_f = openpyxl.load_workbook(path, read_only=True, data_only=False)
    wb_v = openpyxl.load_workbook(path, read_only=True, data_only=True)
    out: list[str] = []
    try:
        rows_f = wb_f[title].iter_rows(min_row=1, min_col=1, values_only=True)
        rows_v = wb_v[title].iter_rows(min_row=1, min_col=1, values_only=True)
        for i, (rf, rv) in enumerate(zip(rows_f, rows_v, strict=False), start=1):
            for j, (f, v) in enumerate(zip(rf, rv, strict=False), start=1):
                formula = (isinstance(f, str) and f.startswith("=")) or type(f).__name__ in (
                    "ArrayFormula",
                    "DataTableFormula",
                )
                if formula and v is None:
                    out.append(f"{get_column_letter(j)}{i}")
    finally:
        wb_f.close()
        wb_v.close()
    return out


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


def _strip_names(df: pd.DataFrame, report: _Report) -> pd.DataFrame:
    """Remove spaces around column names; names that then collide are a SchemaError."""
    names = list(df.columns)
    fixed = [c.strip() if isinstance(c, str) else c for c in names]
    changed = [(c, f) for c, f in zip(names, fixed, strict=True) if c != f]
    if not changed:
        return df
    by_name: dict[Any, list[Any]] = {}
    for c, f in zip(names, fixed, strict=True):
        by_name.setdefault(f, []).append(c)
    clashes = [v for v in by_name.values() if len(v) > 1]
    if clashes:
        shown = "; ".join(" and ".join(repr(c) for c in v) for v in clashes[:SHOW])
        raise SchemaError(
            f"column names that differ only by spaces: {shown}. They would be the same column "
            "after trimming; rename one of them in the export."
        )
    report.add(
        None,
        "header_stripped",
        len(changed),
        "spaces around column names removed: "
        + ", ".join(f"{c!r} -> {f!r}" for c, f in changed[:SHOW])
        + (f" (and {len(changed) - SHOW} more)" if len(changed) > SHOW else ""),
    )
    return df.set_axis(fixed, axis=1)


# A column named like a respondent id (rid, resp_id, respondent, customer_id, 编号, ...).
_ID_LIKE = re.compile(
    r"^(?:.*[_\-. ])?(?:id|uid|rid|respid|respondent|respondentid|caseid|userid|编号|序号)$"
    r"|^id[_\-. ]",
    re.IGNORECASE,
)


def _id_check(df: pd.DataFrame, cb: Codebook, report: _Report) -> Codebook:
    """Without a codebook: a column named like an id whose values are ids but repeat (or are
    missing) was not drafted as the id; make it the id and report the duplicates, numeric or
    text alike."""
    if cb.id is not None:
        return cb
    n = len(df)
    for name in df.columns:
        if not (isinstance(name, str) and _ID_LIKE.search(name.strip())):
            continue
        s = df[name]
        ok = s.notna().to_numpy()
        vals = s[ok]
        if int(ok.sum()) < 3 or cb[name].type not in ("single", "numeric", "text"):
            continue
        if pd.api.types.is_numeric_dtype(s.dtype):
            v = vals.to_numpy(dtype=float)
            if not np.all(np.isfinite(v) & (v == np.round(v))):
                continue
        elif vals.astype(str).str.contains(r"\s", regex=True).any():
            continue
        if vals.nunique() < 0.9 * n:
            continue  # a grouping code (store, region), not a respondent id
        dup = s.duplicated(keep=False).to_numpy() & ok
        if not dup.any() and ok.all():
            continue
        if dup.any():
            report.add(
                name,
                "id_duplicates",
                int(dup.sum()),
                f"{int(s[dup].nunique())} ids repeated: {preview(s[dup].tolist())} at rows "
                f"{row_list(dup)}; the column is taken as the id in the drafted codebook",
            )
        if not ok.all():
            report.add(
                name,
                "missing_id",
                int((~ok).sum()),
                f"missing ids at rows {row_list(~ok)}; the column is taken as the id in the "
                "drafted codebook",
            )
        return Codebook([Column(name, "id") if c.name == name else c for c in cb])
    return cb


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
