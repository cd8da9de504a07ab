"""Tests of needlab.tables.excel: formatted crosstab and banner sheets."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from needlab.errors import ConfigError
from needlab.tables.banner import banner
from needlab.tables.crosstab import crosstab
from needlab.tables.excel import write_banner_excel
from needlab.tables.freq import freq


@pytest.fixture
def df() -> pd.DataFrame:
    # sat "yes" 60% in N, 40% in S: N is significantly higher (letter B in the N column).
    return pd.DataFrame(
        {
            "sat": ["yes"] * 60 + ["=SUM(A1)"] * 40 + ["yes"] * 40 + ["=SUM(A1)"] * 60,
            "region": ["N"] * 100 + ["S"] * 100,
            "gender": ["女", "男"] * 100,
        }
    )


def rows_of(ws) -> list[tuple]:
    return [tuple(r) for r in ws.iter_rows(values_only=True)]


def test_crosstab_sheet(df: pd.DataFrame, tmp_path: Path) -> None:
    res = crosstab(df, "sat", "region")
    p = write_banner_excel(res, tmp_path / "x.xlsx")
    wb = openpyxl.load_workbook(p)
    assert wb.sheetnames == ["crosstab"]
    ws = wb["crosstab"]
    assert ws["A1"].value == "sat by region" and ws["A1"].font.b
    assert [c.value for c in ws[2]] == ["sat", "N (A)", "S (B)", "Total"]
    assert all(c.font.b for c in ws[2])
    # The category "=SUM(A1)" is neutralised; letters stay in the cells as text.
    assert [c.value for c in ws[3]] == ["'=SUM(A1)", 40, "60 A", 50]
    assert [c.value for c in ws[4]] == ["yes", "60 B", 40, 50]
    assert ws["C3"].data_type == "s" and ws["B3"].data_type == "n"
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)
    # Base rows in italics, the others not.
    assert ws["A5"].value == "Base (unweighted)" and ws["A5"].font.i and ws["B5"].font.i
    assert [c.value for c in ws[5]] == ["Base (unweighted)", 100, 100, 200]
    assert ws["A7"].value == "Base (effective)"
    assert not ws["B4"].font.i
    # Legend beneath the table, after an empty row.
    assert ws["A8"].value is None
    assert ws["A9"].value.startswith("Letters:") and "0.05" in ws["A9"].value
    assert ws.column_dimensions["A"].width >= len("Base (unweighted)")
    assert ws.freeze_panes == "B3"


def test_banner_sheet_header_merges_and_zh(df: pd.DataFrame, tmp_path: Path) -> None:
    res = banner(df, ["sat"], ["region", "gender"], lang="zh")
    p = res.to_excel(tmp_path / "b.xlsx")
    wb = openpyxl.load_workbook(p)
    # The formatted sheet first, then the tidy tables through the shared writer.
    assert wb.sheetnames == ["banner", "cells", "tests", "bases"]
    ws = wb["banner"]
    assert ws["A1"].value == "Banner table" and ws["A1"].font.b
    merged = {str(r) for r in ws.merged_cells.ranges}
    # Total over both header rows, each banner variable over its columns.
    assert merged == {"C2:C3", "D2:E2", "F2:G2"}
    assert [ws.cell(2, c).value for c in (3, 4, 6)] == ["合计", "region", "gender"]
    assert [c.value for c in ws[3]][3:] == ["N (A)", "S (B)", "女 (C)", "男 (D)"]
    assert all(ws.cell(r, c).font.b for r in (2, 3) for c in (3, 4, 5, 6, 7) if ws.cell(r, c).value)
    body = rows_of(ws)[3:6]
    assert body[0] == ("sat", "'=SUM(A1)", 50, 40, "60 A", 50, 50)
    assert body[1] == (None, "yes", 50, "60 B", 40, 50, 50)
    assert body[2] == (None, "基数（未加权）", 200, 100, 100, 100, 100)
    assert ws["B6"].font.i and ws["D6"].font.i and not ws["B5"].font.i
    assert ws["A8"].value == "字母：该单元格显著高于标有该字母的列"
    # The plain sheets are neutralised too.
    cells = pd.read_excel(p, sheet_name="cells")
    assert "'=SUM(A1)" in cells["row"].tolist()
    # CJK text makes the column wider than its character count.
    assert ws.column_dimensions["B"].width >= 2 * len("基数（未加权）")


def test_banner_mean_rows_and_decimals(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    d = pd.DataFrame({"s": rng.integers(1, 6, 120), "g": rng.choice(["a", "b"], 120)})
    res = banner(d, ["s"], ["g"], means=["s"], decimals=1)
    ws = openpyxl.load_workbook(res.to_excel(tmp_path / "m.xlsx"))["banner"]
    labels = [ws.cell(r, 2).value for r in range(4, ws.max_row + 1)]
    i = labels.index("Mean") + 4
    mean_total = ws.cell(i, 3)
    assert mean_total.number_format == "0.00"
    assert mean_total.value == pytest.approx(d["s"].mean(), abs=0.005)
    assert ws.cell(4, 3).number_format == "0.0"


def test_control_characters_dropped(tmp_path: Path) -> None:
    d = pd.DataFrame({"q": ["a\x01b", "c"] * 20, "g": ["x"] * 20 + ["y"] * 20})
    ws = openpyxl.load_workbook(write_banner_excel(crosstab(d, "q", "g"), tmp_path / "c.xlsx"))[
        "crosstab"
    ]
    assert ws["A3"].value == "ab"


def test_errors(df: pd.DataFrame, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="xlsx"):
        write_banner_excel(crosstab(df, "sat", "region"), tmp_path / "x.csv")
    with pytest.raises(ConfigError, match="CrosstabResult"):
        write_banner_excel(freq(df, "sat"), tmp_path / "x.xlsx")
