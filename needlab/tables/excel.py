"""Formatted Excel sheets of crosstabs and banner tables, the layout researchers paste into reports.

:func:`write_banner_excel` writes the ``.display()`` layout of a
:class:`~needlab.tables.crosstab.CrosstabResult` or :class:`~needlab.tables.banner.BannerResult`
with openpyxl: a title row, bold header rows (for a banner the banner variable is merged over
its columns), the cells with their significance letters kept as text (``"45 B"``), base rows in
italics, a legend and the notes beneath the table, and fitted column widths. Every text cell is
neutralised against spreadsheet formulas (:func:`needlab.io.export.neutralise`); Chinese text is
written as is. Further plain sheets (tidy tables, tests, bases) go to the same workbook through
:func:`needlab.io.export.write_sheets`, the mechanism of :func:`needlab.io.export.to_excel`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from needlab._i18n import TABLE_LABELS
from needlab.errors import ConfigError
from needlab.io.export import neutralise, write_sheets, xlsx_path
from needlab.io.export import sheet_name as unique_sheet_name

if TYPE_CHECKING:  # pragma: no cover
    from openpyxl.worksheet.worksheet import Worksheet

    from needlab.tables.banner import BannerResult
    from needlab.tables.crosstab import CrosstabResult

__all__ = ["write_banner_excel"]

_NUMBER = re.compile(r"^-?\d+(?:\.(\d+))?$")

LEGEND = {
    "en": "Letters: the cell is significantly greater than the column with that letter",
    "zh": "字母：该单元格显著高于标有该字母的列",
}
"""The legend row written beneath the table, by ``lang``."""


def write_banner_excel(
    result: CrosstabResult | BannerResult,
    path: str | Path,
    *,
    sheet_name: str | None = None,
    others: Mapping[str, pd.DataFrame] | None = None,
    decimals: int = 0,
) -> Path:
    """Write a crosstab or banner table to a formatted .xlsx sheet.

    The sheet holds, top to bottom: the result's title (bold); the header row(s) in bold
    (a banner has two: each banner variable merged over its columns, then the column heads
    with their letters, e.g. ``"North (A)"``; the Total column is merged over both rows);
    one row per category with the percentages; the base rows in italics; then a legend of
    the letters and the result's notes, one per row. Cells that hold only a number
    (``"45"``) are written as numbers with the shown decimals; cells with letters
    (``"45 B"``) stay text, as displayed. Text cells that would start a formula get a
    leading apostrophe (:func:`needlab.io.export.neutralise`), characters that are illegal
    in .xlsx (control characters) are dropped, and column widths are fitted to the content
    (CJK characters count double). The panes are frozen below the header.

    Parameters
    ----------
    result : CrosstabResult or BannerResult
        The table to write.
    path : str or Path
        Target ``.xlsx`` file (overwritten).
    sheet_name : str, optional
        Name of the formatted sheet; default ``"crosstab"`` or ``"banner"``.
    others : mapping of str to DataFrame, optional
        Further tables written as plain sheets after the formatted one, with
        :func:`needlab.io.export.write_sheets` (e.g. the result's tidy cells and tests).
    decimals : int, default 0
        Decimals of a crosstab's percentages (a banner uses the ``decimals`` it was made
        with).

    Returns
    -------
    Path
        The path written.

    Raises
    ------
    ConfigError
        *path* does not end in ``.xlsx``, or *result* is neither a crosstab nor a banner.

    Examples
    --------
    >>> import tempfile, openpyxl
    >>> from needlab.tables.crosstab import crosstab
    >>> df = pd.DataFrame({"sat": ["yes"] * 60 + ["no"] * 40 + ["yes"] * 40 + ["no"] * 60,
    ...                    "region": ["N"] * 100 + ["S"] * 100})
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = write_banner_excel(crosstab(df, "sat", "region"), Path(d) / "t.xlsx")
    ...     ws = openpyxl.load_workbook(p)["crosstab"]
    ...     [c.value for c in ws[4]]
    ['yes', '60 B', 40, 50]
    """
    from needlab.tables.banner import BannerResult
    from needlab.tables.crosstab import CrosstabResult

    path = xlsx_path(path)
    if isinstance(result, BannerResult):
        shown, default = result.display(), "banner"
    elif isinstance(result, CrosstabResult):
        shown, default = result.display(decimals), "crosstab"
    else:
        raise ConfigError(
            f"write_banner_excel writes a CrosstabResult or BannerResult, got "
            f"{type(result).__name__}; use needlab.io.export.to_excel for other tables."
        )
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        used: set[str] = set()
        ws = writer.book.create_sheet(unique_sheet_name(sheet_name or default, used))
        _fill(ws, result, shown)
        if others:
            write_sheets(writer, others, used=used)
    return path


# ----------------------------------------------------------------------------- helpers


def _text(value: Any) -> Any:
    """A cell value: None for missing, text cleaned of illegal characters and neutralised."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or (isinstance(value, (float, np.floating)) and value != value):
        return None
    if isinstance(value, str):
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, (bool, int, float)):
        return value
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def _width(value: Any) -> int:
    """Display width of a cell's text: CJK (wide and full-width) characters count 2."""
    if value is None:
        return 0
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(value))


def _fill(ws: Worksheet, result: Any, shown: pd.DataFrame) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    bold, italic = Font(bold=True), Font(italic=True)
    right = Alignment(horizontal="right")
    lang = getattr(result, "lang", "en")
    lab = TABLE_LABELS.get(lang, TABLE_LABELS["en"])
    base_labels = {lab["base_u"], lab["base_w"], lab["base_e"]}
    widths: dict[int, int] = {}

    def put(r: int, c: int, value: Any, font: Font | None = None, fit: bool = True) -> Any:
        cell = ws.cell(row=r, column=c, value=_text(value))
        if font is not None:
            cell.font = font
        if fit:
            widths[c] = max(widths.get(c, 0), _width(cell.value))
        return cell

    put(1, 1, result.title, Font(bold=True, size=12), fit=False)

    idx = shown.index
    n_idx = idx.nlevels
    idx_names = [n if n is not None else "" for n in idx.names]
    cols = shown.columns
    n_hdr = cols.nlevels
    top = 2  # first header row
    body = top + n_hdr  # first body row

    # Header: index names in the last header row, then the column heads.
    for j, name in enumerate(idx_names, start=1):
        put(body - 1, j, name, bold)
    if n_hdr == 1:
        for j, c in enumerate(cols, start=n_idx + 1):
            put(top, j, c, bold).alignment = Alignment(horizontal="center")
    else:
        keys = list(cols)
        j = 0
        while j < len(keys):
            group = keys[j][0]
            span = 1
            while j + span < len(keys) and keys[j + span][0] == group:
                span += 1
            c0 = n_idx + 1 + j
            if span == 1 and str(keys[j][-1]) in ("", str(group)):
                # A column that is its own group (Total): one label over both header rows.
                put(top, c0, group, bold)
                ws.merge_cells(start_row=top, start_column=c0, end_row=body - 1, end_column=c0)
            else:
                put(top, c0, group, bold, fit=span == 1)
                if span > 1:
                    ws.merge_cells(
                        start_row=top, start_column=c0, end_row=top, end_column=c0 + span - 1
                    )
                for k in range(span):
                    put(body - 1, c0 + k, keys[j + k][-1], bold)
            ws.cell(row=top, column=c0).alignment = Alignment(
                horizontal="center", vertical="center"
            )
            j += span

    # Body.
    values = shown.to_numpy(dtype=object)
    last_group: Any = object()
    for i, key in enumerate(idx):
        r = body + i
        key = key if isinstance(key, tuple) else (key,)
        is_base = str(key[-1]) in base_labels
        font = italic if is_base else None
        for j, v in enumerate(key, start=1):
            if n_idx > 1 and j == 1:
                # The question: shown once, in bold, on the first row of its block.
                if v != last_group:
                    put(r, 1, v, bold)
                    last_group = v
                continue
            put(r, j, v, font)
        for j, v in enumerate(values[i], start=n_idx + 1):
            m = _NUMBER.match(v) if isinstance(v, str) else None
            if m:
                cell = put(r, j, float(v) if m.group(1) else int(v), font)
                cell.number_format = "0." + "0" * len(m.group(1)) if m.group(1) else "0"
                widths[j] = max(widths.get(j, 0), len(v))
            else:
                cell = put(r, j, v if v != "" else None, font)
            cell.alignment = right

    # Legend and notes beneath the table, after one empty row.
    r = body + len(idx) + 1
    legend = LEGEND.get(lang, LEGEND["en"])
    alpha = getattr(result, "alpha", None)
    if alpha is not None:
        legend += f" (alpha = {alpha:g})"
    for note in (legend, *result.notes):
        put(r, 1, note, Font(italic=True, size=9), fit=False)
        r += 1

    for col_i, width in widths.items():
        ws.column_dimensions[get_column_letter(col_i)].width = min(60, max(8, width + 2))
    ws.freeze_panes = ws.cell(row=body, column=n_idx + 1)
