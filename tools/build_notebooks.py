"""Rebuild the template notebooks from their jupytext ``py:percent`` sources and execute them.

Usage (from the repository root)::

    python tools/build_notebooks.py            # every notebooks/NN_*.py
    python tools/build_notebooks.py 00_overview

Each ``notebooks/NAME.py`` is the source of truth; this writes ``notebooks/NAME.ipynb`` with
its outputs executed in order in the notebook's own folder (as nbval runs it), so the committed
outputs are what the tests compare against. Re-run after any change to the library that alters
a notebook's output, and commit both files.
"""

from __future__ import annotations

import sys
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NB_DIR = ROOT / "notebooks"


def build(name: str) -> Path:
    src = NB_DIR / f"{name}.py"
    nb = jupytext.read(src)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["jupytext"] = {
        "formats": "ipynb,py:percent",
        "notebook_metadata_filter": "needlab,kernelspec,jupytext",
    }
    if "needlab" not in nb.metadata:
        raise SystemExit(f"{src}: header lacks the needlab metadata (template, version)")
    client = NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NB_DIR)}}
    )
    client.execute()
    out = NB_DIR / f"{name}.ipynb"
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(nb, out)
    # Keep the paired text file byte-identical to what jupytext would write from the notebook.
    jupytext.write(nb, src, fmt="py:percent")
    return out


def main(argv: list[str]) -> None:
    names = argv or sorted(p.stem for p in NB_DIR.glob("[0-9][0-9]_*.py"))
    for name in names:
        print("built", build(name))


if __name__ == "__main__":
    main(sys.argv[1:])
