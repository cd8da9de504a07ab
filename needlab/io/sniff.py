"""Intake detection for text survey files: encoding, delimiter, line endings and row structure.

:func:`needlab.read_survey` uses these helpers on the bytes it read once. Detection only looks
at a sample (the first :data:`SAMPLE_BYTES`, or the lines holding non-ASCII bytes when the start
of the file is plain ASCII); the structural check counts delimiters outside quotes over the whole
file with vectorised byte operations and only walks the rows one by one when the counts do not
add up.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import numpy as np

__all__ = [
    "SAMPLE_BYTES",
    "WHITESPACE",
    "Encoding",
    "RowShape",
    "detect_encoding",
    "detect_encoding_at",
    "line_of",
    "line_terminator",
    "lines_text",
    "row_shapes",
    "seps_outside_quotes",
    "sniff_delimiter",
]

SAMPLE_BYTES = 65536
"""How many bytes encoding and delimiter detection look at."""
WHITESPACE = r"\s+"
"""The ``sep`` of whitespace-aligned files (runs of spaces or tabs between fields)."""
DELIMITERS = ",;\t|"
"""The single-character delimiters that are sniffed."""

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# Encodings that survey tools, Excel and SPSS write, in the order that breaks ties between
# candidates that decode a sample equally well (Chinese exports first: needlab's main users).
_CANDIDATES = [
    "gb18030",
    "big5",
    "cp1252",
    "latin_1",
    "iso8859_15",
    "cp1250",
    "cp1251",
    "cp1253",
    "cp1254",
    "cp932",
    "shift_jis",
    "euc_jp",
    "cp949",
    "euc_kr",
    "koi8_r",
    "mac_roman",
    "utf_16",
    "utf_32",
]
_NON_ASCII = re.compile(rb"[\x80-\xff]")


@dataclass(frozen=True)
class Encoding:
    """A detected text encoding.

    Attributes
    ----------
    name : str
        Python codec name (``utf-8``, ``utf-8-sig``, ``utf-16``, ``gb18030``, ``cp1252``...).
    confidence : float
        From 0 to 1: 1 for a byte-order mark or valid UTF-8; for other encodings one minus the
        detector's "chaos" ratio, divided by the number of candidates that decode the sample
        equally well into different texts.
    how : str
        How it was found (``byte-order mark``, ``valid UTF-8``, ``UTF-16 byte pattern``,
        ``charset-normalizer``, ``given``).
    alternatives : tuple of str
        Other encodings that decoded the sample as well, into a different text.
    """

    name: str
    confidence: float
    how: str
    alternatives: tuple[str, ...] = ()

    @property
    def is_utf8(self) -> bool:
        """Whether the pandas C parser can read the bytes directly."""
        return self.name in ("utf-8", "utf-8-sig")

    def describe(self) -> str:
        """One line for the load report."""
        text = f"{self.name} (confidence {self.confidence:.2f}, {self.how})"
        if self.alternatives:
            text += f"; also possible: {', '.join(self.alternatives)}"
        return text


def _utf16_without_bom(sample: bytes) -> str | None:
    """``utf-16-le`` / ``utf-16-be`` when NUL bytes sit on one byte parity only (ASCII text
    encoded as UTF-16), else None."""
    head = np.frombuffer(sample[: 4096 - (min(len(sample), 4096) % 2)], dtype=np.uint8)
    if len(head) < 4:
        return None
    even, odd = head[0::2] == 0, head[1::2] == 0
    if odd.mean() >= 0.2 and even.mean() <= 0.02:
        return "utf-16-le"
    if even.mean() >= 0.2 and odd.mean() <= 0.02:
        return "utf-16-be"
    return None


def _valid_utf8(sample: bytes, truncated: bool) -> bool:
    # a multi-byte character cut at the end of the sample is not an error
    try:
        sample.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        return truncated and exc.start >= len(sample) - 3 and exc.reason == "unexpected end of data"


def detect_encoding(raw: bytes) -> Encoding:
    """Detect the text encoding of *raw* (the whole file's bytes) from a sample.

    Order of evidence: a byte-order mark; NUL bytes on one parity (UTF-16 without a mark);
    valid UTF-8 (ASCII included) in the first :data:`SAMPLE_BYTES`; otherwise
    ``charset-normalizer`` on the lines that hold non-ASCII bytes (up to
    :data:`SAMPLE_BYTES`), restricted to the encodings survey tools write and with ties broken
    in favour of GB18030, Big5 and Windows-1252.

    Examples
    --------
    >>> detect_encoding("a,b\\n1,Décor\\n".encode("latin-1")).name
    'cp1252'
    >>> detect_encoding("a,b\\n1,北京\\n".encode("utf-16")).describe()
    'utf-16 (confidence 1.00, byte-order mark)'
    """
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return Encoding(name, 1.0, "byte-order mark")
    sample = raw[:SAMPLE_BYTES]
    utf16 = _utf16_without_bom(sample)
    if utf16 is not None:
        return Encoding(utf16, 1.0, "UTF-16 byte pattern")
    if _valid_utf8(sample, len(raw) > SAMPLE_BYTES):
        # Plain ASCII at the start: the parser's UTF-8 decoding checks the rest of the file and
        # read_survey falls back to detect_encoding_at where it fails.
        return Encoding("utf-8", 1.0, "valid UTF-8")
    return _guess(_non_ascii_lines(raw, SAMPLE_BYTES) or sample)


def _mostly_utf8(sample: bytes) -> Encoding | None:
    """UTF-8 with a few invalid bytes (a damaged file): more valid multi-byte characters than
    invalid sequences. Single-byte encodings rarely form valid UTF-8 sequences by chance."""
    text = sample.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 127) - bad
    if bad and good and good >= bad:
        return Encoding("utf-8", round(good / (good + bad), 2), "mostly valid UTF-8")
    return None


def detect_encoding_at(raw: bytes, offset: int) -> Encoding:
    """Detect the encoding from the bytes around *offset* (where UTF-8 decoding failed)."""
    # the lines with non-ASCII bytes from a little before the failure on: valid UTF-8 there
    # means a damaged UTF-8 file, not another encoding
    start = max(0, raw.rfind(b"\n", 0, max(0, offset - SAMPLE_BYTES // 4)) + 1)
    return _guess(_non_ascii_lines(raw[start:], SAMPLE_BYTES) or raw[start : start + SAMPLE_BYTES])


def _non_ascii_lines(raw: bytes, limit: int) -> bytes:
    """The lines of *raw* that hold non-ASCII bytes, up to about *limit* bytes: the evidence a
    detector needs, without the ASCII lines that every single-byte encoding decodes alike."""
    parts: list[bytes] = []
    size = pos = 0
    while size < limit:
        m = _NON_ASCII.search(raw, pos)
        if m is None:
            break
        at = m.start()
        start = max(raw.rfind(b"\n", 0, at), raw.rfind(b"\r", 0, at)) + 1
        ends = [e for e in (raw.find(b"\n", at), raw.find(b"\r", at)) if e >= 0]
        end = min(ends) if ends else len(raw)
        parts.append(raw[start:end])
        size += end - start + 1
        pos = end + 1
    return b"\n".join(parts)


def _guess(sample: bytes) -> Encoding:
    damaged = _mostly_utf8(sample)
    if damaged is not None:
        return damaged
    from charset_normalizer import from_bytes

    matches = list(from_bytes(sample, cp_isolation=_CANDIDATES, preemptive_behaviour=False))
    if not matches:
        return Encoding("unknown", 0.0, "charset-normalizer")
    best_chaos = min(m.chaos for m in matches)
    tied = [m for m in matches if m.chaos <= best_chaos + 0.01]

    def rank(name: str) -> int:
        return _CANDIDATES.index(name) if name in _CANDIDATES else len(_CANDIDATES)

    # Each match stands for every encoding that gives the same text (could_be_from_charset).
    groups = [sorted(m.could_be_from_charset, key=rank) for m in tied]
    groups.sort(key=lambda g: rank(g[0]))
    chosen = groups[0][0]
    confidence = (1.0 - best_chaos) / len(groups)
    return Encoding(
        chosen,
        round(confidence, 2),
        "charset-normalizer",
        tuple(g[0] for g in groups[1:]),
    )


def sniff_delimiter(sample: str, *, suffix: str = "") -> str:
    """Return the delimiter of a text sample: one of ``, ; \\t |`` or :data:`WHITESPACE`.

    A header line without any of the four characters that splits into at least 2
    whitespace-separated fields, like at least half of the lines below it, is
    whitespace-aligned.

    Examples
    --------
    >>> sniff_delimiter("rid;sat\\n1;5\\n")
    ';'
    >>> sniff_delimiter("rid   sat  city\\n1     5    A\\n2     4    B\\n")
    '\\\\s+'
    """
    lines = [ln for ln in sample.splitlines() if ln.strip()]
    if not sample.endswith(("\n", "\r")) and len(lines) > 1:
        lines = lines[:-1]  # the sample may cut the last line
    first = lines[0] if lines else ""
    present = [d for d in DELIMITERS if d in first]
    if len(present) == 1:
        return present[0]
    if present:
        try:
            found = csv.Sniffer().sniff("\n".join(lines[:50]), delimiters=DELIMITERS).delimiter
            if found in first:
                return found
        except csv.Error:
            pass
        return max(present, key=first.count)
    n = len(first.split())
    if n >= 2:
        body = lines[1:200]
        same = sum(len(ln.split()) == n for ln in body)
        if not body or same >= 0.5 * len(body):
            return WHITESPACE
    return "\t" if suffix == ".tsv" else ","


def line_terminator(sample: bytes) -> bytes:
    """``b"\\n"`` or ``b"\\r"`` (a file with classic-Mac CR-only line endings)."""
    return b"\r" if b"\r" in sample and b"\n" not in sample else b"\n"


def line_of(payload: bytes, pos: int, nl: bytes = b"\n") -> int:
    """The 1-based line number of byte *pos*."""
    return payload.count(nl, 0, pos) + 1


def seps_outside_quotes(payload: bytes, sep: str, quote: bytes = b'"') -> int:
    """Count the delimiter bytes outside double-quoted fields (vectorised, in cache-sized
    chunks; a quote toggles the "inside" state, so doubled quotes cancel out)."""
    arr = np.frombuffer(payload, dtype=np.uint8)
    q, s = quote[0], sep.encode("utf-8")[0]
    quoted = quote in payload
    count = 0
    carry = False
    step = 1 << 22
    for lo in range(0, len(arr), step):
        chunk = arr[lo : lo + step]
        hit = chunk == s
        if quoted:
            parity = np.logical_xor.accumulate(chunk == q)
            if carry:
                parity = ~parity
            carry = bool(parity[-1])
            hit &= ~parity
        count += int(np.count_nonzero(hit))
    return count


_WS_TOKEN = re.compile(r'"(?:[^"]|"")*"|\S+')


@dataclass(frozen=True)
class RowShape:
    """Rows whose number of fields differs from the header's.

    Attributes
    ----------
    n_header : int
        Fields in the header line.
    long, short : list of (line, n_fields)
        Records with more / fewer fields than the header (1-based line numbers, header = 1).
    max_fields : int
        The largest number of fields in a record.
    """

    n_header: int
    long: list[tuple[int, int]]
    short: list[tuple[int, int]]
    max_fields: int


def row_shapes(payload: bytes, sep: str) -> RowShape:
    """Walk the records of a UTF-8 *payload* and list those whose field count is not the
    header's (blank lines are skipped, as the parser does)."""
    text = io.TextIOWrapper(io.BytesIO(payload), encoding="utf-8", newline="")
    counts: list[tuple[int, int]] = []
    if sep == WHITESPACE:
        line_no = 0
        for line in text:
            line_no += 1
            if line.strip():
                counts.append((line_no, len(_WS_TOKEN.findall(line))))
    else:
        reader = csv.reader(text, delimiter=sep, strict=False)
        prev = 0
        for rec in reader:
            if rec:
                counts.append((prev + 1, len(rec)))
            prev = reader.line_num
    if not counts:
        return RowShape(0, [], [], 0)
    k = counts[0][1]
    long = [(ln, n) for ln, n in counts[1:] if n > k]
    short = [(ln, n) for ln, n in counts[1:] if n < k]
    return RowShape(k, long, short, max(n for _, n in counts))


def lines_text(rows: list[tuple[int, int]], n: int = 5) -> str:
    """``"3 (4 fields), 5 (4 fields)"`` for the first *n* rows, with a count of the rest."""
    shown = ", ".join(f"{ln} ({k} fields)" for ln, k in rows[:n])
    return shown + (f" (and {len(rows) - n} more)" if len(rows) > n else "")
