"""Property tests of the safe exporters: no cell can start a spreadsheet formula."""

from __future__ import annotations

import csv

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from needlab.errors import NeedlabWarning
from needlab.io import neutralise, to_csv, to_excel
from needlab.io.export import CONTROL_CHARACTERS, FORMULA_PREFIXES

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


# --- every header level: no formula reaches a cell ------------------------------------------
DANGER = st.text(
    alphabet=st.sampled_from([*"=+-@\t\r\nab1 配送", "\x01", "\x0b", "\x1f"]), max_size=6
)
LABEL = st.one_of(DANGER, DANGER.map(np.str_), st.integers(-5, 5))


def _unique(values: list) -> list:
    return list(dict.fromkeys(values))


@st.composite
def multi_frames(draw):
    n_rows = draw(st.integers(1, 4))
    n_cols = draw(st.integers(1, 3))
    row_levels = draw(st.integers(1, 3))
    col_levels = draw(st.integers(1, 3))
    rows = [tuple([*draw(st.tuples(*[LABEL] * row_levels)), k]) for k in range(n_rows)]
    cols = [tuple([*draw(st.tuples(*[LABEL] * col_levels)), k]) for k in range(n_cols)]
    names_r = draw(
        st.lists(st.one_of(st.none(), DANGER), min_size=row_levels + 1, max_size=row_levels + 1)
    )
    names_c = draw(
        st.lists(st.one_of(st.none(), DANGER), min_size=col_levels + 1, max_size=col_levels + 1)
    )
    cells = draw(
        st.lists(
            st.lists(st.one_of(DANGER, DANGER.map(np.str_), NUM), min_size=n_cols, max_size=n_cols),
            min_size=n_rows,
            max_size=n_rows,
        )
    )
    df = pd.DataFrame(
        cells,
        index=pd.MultiIndex.from_tuples(_unique(rows), names=names_r),
        columns=pd.MultiIndex.from_tuples(_unique(cols), names=names_c),
    )
    if draw(st.booleans()) and n_cols:
        df[df.columns[0]] = pd.Categorical(df[df.columns[0]].astype(str))
    return df


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(df=multi_frames())
def test_excel_no_formula_at_any_header_level(tmp_path, df) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NeedlabWarning)
        path = to_excel({"t": df}, tmp_path / "multi.xlsx")
    ws = openpyxl.load_workbook(path).worksheets[0]
    for row in ws.iter_rows():
        for c in row:
            assert c.data_type != "f"
            if isinstance(c.value, str):
                assert not c.value.startswith(FORMULA_PREFIXES), c.value
                assert not CONTROL_CHARACTERS.search(c.value)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(df=multi_frames())
def test_csv_no_formula_at_any_header_level(tmp_path, df) -> None:
    path = to_csv(df.astype(object), tmp_path / "multi.csv", index=True)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.reader(fh):
            for cell in row:
                if cell.startswith(FORMULA_PREFIXES):  # only a number (-1) may: not a formula
                    float(cell)
