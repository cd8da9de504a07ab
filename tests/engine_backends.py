"""The backends every engine test runs on: one name -> how the frame is made from a pandas frame
(with a DuckDB connection and the same data as a Parquet file) and the engine option to pass.
Fixtures ``con`` and ``parquet`` are in ``tests/conftest.py``; each test module defines ``data``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any


def sqlframe_on_duckdb(path: Path) -> Any:
    """SQLFrame on DuckDB reading the Parquet file (sqlframe sessions are process-wide
    singletons: the session keeps its own connection)."""
    from sqlframe.duckdb import DuckDBSession

    return DuckDBSession().read.parquet(str(path))


def _polars(df: Any, lazy: bool) -> Any:
    import polars as pl

    frame = pl.from_pandas(df)
    return frame.lazy() if lazy else frame


BACKENDS: dict[str, Callable[..., tuple[Any, str]]] = {
    "pandas-duckdb": lambda df, con, pq: (df, "duckdb"),
    "polars": lambda df, con, pq: (_polars(df, False), "auto"),
    "polars-lazy": lambda df, con, pq: (_polars(df, True), "auto"),
    "duckdb-relation": lambda df, con, pq: (con.from_df(df), "auto"),
    "sqlframe-duckdb": lambda df, con, pq: (sqlframe_on_duckdb(pq), "auto"),
    "parquet": lambda df, con, pq: (str(pq), "auto"),
}
