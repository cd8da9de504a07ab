from __future__ import annotations

from dataclasses import FrozenInstanceError, dataclass

import openpyxl
import pandas as pd
import pytest

from needlab._result import Result


@dataclass(frozen=True, repr=False)
class _Demo(Result):
    title = "Demo <result>"

    def summary(self) -> dict[str, object]:
        return {"excluded rows": self.n_excluded, "ratio": 2 / 3}


def _demo() -> _Demo:
    table = pd.DataFrame({"code": ["<b>x</b>", "=SUM(A1)"], "share": [0.25, 0.75]})
    return _Demo(table, n_used=2, n_excluded=3, notes=("3 rows had no answer & were excluded",))


def test_html_escapes_and_is_deterministic() -> None:
    r = _demo()
    html = r._repr_html_()
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert "Demo &lt;result&gt;" in html
    assert "excluded rows</b>: 3" in html and "0.6667" in html
    assert "no answer &amp; were excluded" in html
    assert html == _demo()._repr_html_()


def test_frozen_and_plot_not_implemented() -> None:
    r = _demo()
    with pytest.raises(FrozenInstanceError):
        r.n_excluded = 4  # type: ignore[misc]
    with pytest.raises(NotImplementedError):
        r.plot()


def test_to_excel_neutralises(tmp_path) -> None:
    path = _demo().to_excel(tmp_path / "r.xlsx")
    ws = openpyxl.load_workbook(path)["table"]
    values = [ws.cell(row=i, column=2).value for i in range(2, 4)]
    assert values == ["<b>x</b>", "'=SUM(A1)"]
    assert ws.cell(row=3, column=3).value == 0.75


def test_repr_lists_figures() -> None:
    text = repr(_demo())
    assert text.splitlines()[0] == "Demo <result>"
    assert text.splitlines()[1:4] == ["  n_used: 2", "  n_excluded: 3", "  excluded rows: 3"]


def test_counts_are_required() -> None:
    with pytest.raises(TypeError, match="n_used"):
        _Demo(pd.DataFrame({"a": [1]}), n_excluded=0)  # type: ignore[call-arg]
