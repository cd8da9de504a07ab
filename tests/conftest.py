"""Shared test configuration."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import matplotlib
import pytest
from hypothesis import settings

matplotlib.use("Agg")

# CI runs the property tests on a fixed sequence of examples (a red CI must be reproducible);
# locally they draw new examples on every run, so that they keep looking for bugs.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="module")
def con() -> Iterator[Any]:
    """A DuckDB connection for the engine tests (one per test module)."""
    import duckdb

    c = duckdb.connect()
    yield c
    c.close()


@pytest.fixture(scope="module")
def parquet(data: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test module's ``data`` fixture written as a Parquet file (engine tests)."""
    path = tmp_path_factory.mktemp("engines") / "data.parquet"
    data.to_parquet(path)
    return path
