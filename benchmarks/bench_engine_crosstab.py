"""A weighted crosstab counted by pandas, by needlab on DuckDB, and by bare DuckDB SQL.

Synthetic rows (10 row categories as text, 6 column categories as text, lognormal weights), a
weighted ``crosstab`` with every column-proportion test and the Rao-Scott test:

- ``pandas path``: ``crosstab(df, ..., engine="pandas")``: factorize and bincount in numpy;
- ``needlab on DuckDB, frame``: ``crosstab(df, ..., engine="duckdb")``: DuckDB reads the pandas
  frame in place and returns the 60 cells (n, sum w, sum w^2); the statistics as above;
- ``needlab on DuckDB, Parquet``: ``crosstab("rows.parquet", ...)``: counted in the file;
- ``bare DuckDB SQL, frame`` / ``Parquet``: ``SELECT row, col, count(*), sum(w), sum(w*w) ...
  GROUP BY row, col`` on the same frame or file: the counting floor, with no statistics.

The tables of the three needlab runs are checked equal before timing (floats to 1e-9).
Run: ``python benchmarks/bench_engine_crosstab.py`` (``--rows 1000000`` for one size, ``--help``).
Prints figures (best of ``--repeat`` runs, seconds), asserts nothing but the equality.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from needlab._engine import get_engine_options
from needlab.tables.crosstab import crosstab


def make(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = np.array([f"r{i}" for i in range(10)], dtype=object)
    cols = np.array([f"c{i}" for i in range(6)], dtype=object)
    return pd.DataFrame(
        {
            "row": pd.Series(rows[rng.integers(0, 10, n)], dtype="str"),
            "col": pd.Series(cols[rng.integers(0, 6, n)], dtype="str"),
            "w": rng.lognormal(0, 0.5, n),
        }
    )


def best(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


SQL = "select row, col, count(*) as n, sum(w) as sw, sum(w * w) as sw2 from {src} group by all"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, nargs="*", default=[1_000_000, 10_000_000])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    con = duckdb.connect(config=get_engine_options().config())
    print(f"DuckDB {duckdb.__version__}; best of {args.repeat} runs, seconds")
    header = (
        f"{'rows':>12} {'pandas path':>12} {'needlab+duckdb':>15} {'bare SQL':>9} "
        f"{'needlab+parquet':>16} {'bare SQL pq':>12}"
    )
    print(header)
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.rows:
            run(n, con, Path(tmp), args.repeat)


def run(n: int, con: duckdb.DuckDBPyConnection, tmp: Path, repeat: int) -> None:
    df = make(n)
    path = tmp / f"rows_{n}.parquet"
    df.to_parquet(path)
    a = crosstab(df, "row", "col", weights="w", engine="pandas")
    b = crosstab(df, "row", "col", weights="w", engine="duckdb")
    c = crosstab(str(path), "row", "col", weights="w")
    for other in (b, c):
        pd.testing.assert_frame_equal(a.table, other.table, rtol=1e-9)
        pd.testing.assert_frame_equal(a.pvalues, other.pvalues, rtol=1e-9)
    t_pd = best(lambda: crosstab(df, "row", "col", weights="w", engine="pandas"), repeat)
    t_nd = best(lambda: crosstab(df, "row", "col", weights="w", engine="duckdb"), repeat)
    con.register("frame", df)  # the pandas frame, read in place by bare SQL
    t_sql = best(lambda: con.sql(SQL.format(src="frame")).fetchall(), repeat)
    t_npq = best(lambda: crosstab(str(path), "row", "col", weights="w"), repeat)
    t_sqlpq = best(lambda: con.sql(SQL.format(src=f"read_parquet('{path}')")).fetchall(), repeat)
    con.unregister("frame")
    print(f"{n:>12,} {t_pd:>12.3f} {t_nd:>15.3f} {t_sql:>9.3f} {t_npq:>16.3f} {t_sqlpq:>12.3f}")
    print(
        f"{'':>12} pandas / needlab+duckdb = {t_pd / t_nd:.1f}x; "
        f"needlab+duckdb / bare SQL = {t_nd / t_sql:.2f}x; "
        f"needlab+parquet / bare SQL on parquet = {t_npq / t_sqlpq:.2f}x"
    )


if __name__ == "__main__":
    main()
