"""Hygiene of the template notebooks: pairs in sync, metadata present, outputs executed in order.

nbval (wired into ``pytest``) re-runs every notebook and compares its outputs; these checks make
sure there is something to compare and that the jupytext text file matches the notebook.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

jupytext = pytest.importorskip("jupytext")

NB_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(NB_DIR.glob("[0-9][0-9]_*.ipynb"))


def test_there_are_notebooks() -> None:
    assert [p.stem for p in NOTEBOOKS][:1] == ["00_overview"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_pair_in_sync(path: Path) -> None:
    pair = path.with_suffix(".py")
    assert pair.exists(), f"{pair.name} missing: pair the notebook with jupytext py:percent"
    text = jupytext.read(pair)
    nb = nbformat.read(path, as_version=4)
    assert [(c.cell_type, c.source) for c in text.cells] == [
        (c.cell_type, c.source) for c in nb.cells
    ]
    assert text.metadata.get("needlab") == nb.metadata.get("needlab")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_metadata_and_changelog(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    meta = nb.metadata.get("needlab", {})
    assert meta.get("template") == path.stem
    version = str(meta.get("version", ""))
    assert re.fullmatch(r"\d+\.\d+\.\d+", version), version
    changelog = (NB_DIR / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## {path.stem} {version}" in changelog
    assert "needlab" in nb.metadata["jupytext"]["notebook_metadata_filter"]
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    assert "data/sample" in tagged[0].source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_outputs_executed_in_order(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
    assert not any(o.get("output_type") == "error" for c in code for o in c.outputs)
    # Most cells that show something must have their outputs committed, else nbval checks nothing.
    with_output = sum(bool(c.outputs) for c in code)
    assert with_output >= len(code) // 2
