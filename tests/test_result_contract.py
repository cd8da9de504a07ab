"""The Result contract (docs/conventions.md), checked on every public result built on the sample.

Each package's ``tests/<pkg>/contract_cases.py`` (or ``contract_<topic>.py``) defines ``CASES``:
the name of a public result class -> a builder ``f(sample) -> (result, n_rows)`` where *n_rows* is the number of input rows the
call was given (``n_used + n_excluded`` must equal it). This file collects them, checks that every
result class in ``needlab.__all__`` has a case, and checks the contract on each.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib
import pandas as pd
import pytest

import needlab as nl
from needlab._result import Result

matplotlib.use("Agg")

HERE = Path(__file__).parent

# Results without a picture: each says so in its docstring ("no picture") and raises
# NotImplementedError from .plot(); the README lists them.
NO_PICTURE: set[str] = set()


def _load_cases() -> dict[str, Callable[[Any], tuple[Result, int]]]:
    cases: dict[str, Callable[[Any], tuple[Result, int]]] = {}
    for path in sorted(HERE.glob("*/contract_*.py")):  # contract_cases.py, contract_<topic>.py
        spec = importlib.util.spec_from_file_location(
            f"_contract_{path.parent.name}_{path.stem}", path
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for name, builder in module.CASES.items():
            assert name not in cases, f"two contract cases for {name}"
            cases[name] = builder
    return cases


CASES = _load_cases()
RESULT_CLASSES = sorted(
    n
    for n in nl.__all__
    if inspect.isclass(getattr(nl, n)) and issubclass(getattr(nl, n), Result) and n != "Result"
)


@pytest.fixture(scope="module")
def sample() -> Any:
    return nl.load_sample()


def test_every_public_result_has_a_case() -> None:
    missing = [n for n in RESULT_CLASSES if n not in CASES]
    assert not missing, f"no contract case for {missing}"


@pytest.mark.parametrize("name", RESULT_CLASSES)
def test_result_contract(name: str, sample: Any, tmp_path: Path) -> None:
    if name not in CASES:
        pytest.skip("reported by test_every_public_result_has_a_case")
    result, n_rows = CASES[name](sample)
    cls = getattr(nl, name)
    assert isinstance(result, cls)
    # frozen dataclass with a tidy table
    assert dataclasses.is_dataclass(result)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.notes = ()  # type: ignore[misc]
    assert isinstance(result.table, pd.DataFrame) and len(result.table) > 0
    # counts
    assert isinstance(result.n_used, int) and isinstance(result.n_excluded, int)
    assert result.n_used >= 0 and result.n_excluded >= 0
    assert result.n_used + result.n_excluded == n_rows, (result.n_used, result.n_excluded, n_rows)
    if result.n_excluded:
        assert result.notes, "rows were excluded but no note says why"
    assert isinstance(result.notes, tuple) and all(isinstance(n, str) for n in result.notes)
    # key figures and views
    figures = result.summary()
    assert isinstance(figures, dict)
    html = result._repr_html_()
    assert html == result._repr_html_()
    assert f"<b>n_used</b>: {result.n_used}" in html
    assert "<script" not in html.lower()
    assert name in repr(type(result)) and repr(result)
    # Excel: every table, one sheet each
    tables = result.tables()
    path = result.to_excel(tmp_path / "r.xlsx")
    import openpyxl

    assert len(openpyxl.load_workbook(path, read_only=True).sheetnames) == len(tables)
    # a picture, or a documented absence of one
    import matplotlib.pyplot as plt

    if name in NO_PICTURE:
        assert "no picture" in (cls.__doc__ or "")
        with pytest.raises(NotImplementedError):
            result.plot()
        return
    ax = result.plot()
    try:
        drawn = ax.lines + ax.patches + ax.collections + ax.texts + ax.images + ax.tables
        assert len(drawn) > 0, f"{name}.plot() drew nothing"
    finally:
        plt.close("all")
