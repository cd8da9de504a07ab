"""Property tests of the safe exporters: no cell can start a spreadsheet formula."""

from __future__ import annotations

import csv

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from needlab.io import neutralise, to_csv, to_excel
from needlab.io.export import FORMULA_PREFIXES

SETTINGS = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
BODY = st.text(
    alphabet=st.sampled_from(list("abcXYZ019 ,;\"'=+-@") + list("非常满意配送太慢价格偏高你好")),
    max_size=12,
)
PREFIXES = ["", "=", "+", "-", "@", "\t", "=-"]
CELL = st.builds(lambda p, b: p + b, st.sampled_from([*PREFIXES, "\r"]), BODY)
# CSV: a bare carriage return is left out, see test_csv_carriage_return_is_quoted below.
CSV_CELL = st.builds(lambda p, b: p + b, st.sampled_from(PREFIXES), BODY)
NUM = st.floats(-1e6, 1e6, allow_nan=False)
ROWS = st.lists(st.tuples(CELL, CELL, NUM), min_size=1, max_size=6)
CSV_ROWS = st.lists(st.tuples(CSV_CELL, CSV_CELL, NUM), min_size=1, max_size=6)


def _expected(v: str) -> str:
    return "'" + v if v.startswith(FORMULA_PREFIXES) else v


def _frame(rows):
    return pd.DataFrame(rows, columns=["a", "答案", "num"])


@SETTINGS
@given(rows=CSV_ROWS)
def test_csv_cells_never_start_a_formula(tmp_path, rows) -> None:
    path = to_csv(_frame(rows), tmp_path / "out.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        back = list(csv.reader(fh))
    assert back[0] == ["a", "答案", "num"]
    for (a, b, x), row in zip(rows, back[1:], strict=True):
        assert row[0] == _expected(a) and row[1] == _expected(b)  # byte-exact otherwise
        assert float(row[2]) == x  # numbers stay numbers, negative ones unprefixed
        for cell in row[:2]:
            assert not cell.startswith(FORMULA_PREFIXES)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=ROWS)
def test_excel_cells_never_start_a_formula(tmp_path, rows) -> None:
    path = to_excel({"=sheet": _frame(rows)}, tmp_path / "out.xlsx", index=False)
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    for (a, b, x), cells in zip(rows, ws.iter_rows(min_row=2, values_only=True), strict=True):
        for orig, got in ((a, cells[0]), (b, cells[1])):
            if orig == "":
                assert got is None
            else:
                # XML (hence .xlsx) stores a carriage return as a line feed
                assert got == _expected(orig).replace("\r", "\n")
                assert not got.startswith(FORMULA_PREFIXES)
        assert cells[2] == pytest.approx(x, rel=1e-14, abs=1e-300)
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


@given(st.text(max_size=20))
@settings(max_examples=50, deadline=None)
def test_neutralise_is_idempotent_and_minimal(text) -> None:
    once = neutralise(text)
    assert neutralise(once) == once
    assert once == (("'" + text) if text.startswith(FORMULA_PREFIXES) else text)


def test_csv_carriage_return_is_quoted(tmp_path) -> None:
    path = to_csv(pd.DataFrame({"a": ["x\ry"], "b": ["\rz"]}), tmp_path / "cr.csv")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        back = list(csv.reader(fh))
    assert back == [["a", "b"], ["x\ry", "'\rz"]]
