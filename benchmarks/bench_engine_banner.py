"""A weighted banner counted by pandas, by needlab on DuckDB, and by bare DuckDB SQL.

Synthetic rows: 10 row questions (codes 1-5 as floats, 5% missing each), 3 banner variables
(gender: 2 text categories, region: 5 text categories, age band: 6 integer codes) and
lognormal weights. A weighted ``banner`` of the 10 questions by the 3 banner variables (every
column-proportion test, Total column, a "Top 2" net per question):

- ``pandas path``: ``banner(df, ..., engine="pandas")``: indicator matrices and bincounts;
- ``needlab+duckdb``: ``banner(df, ..., engine="duckdb")``: DuckDB reads the pandas frame in
  place; each question is counted once by the three banner variables together (one scan per
  question) and one more scan counts the respondents answering any question;
- ``needlab+parquet``: ``banner("rows.parquet", ...)``: the same counts in the file;
- ``bare SQL`` / ``bare SQL pq``: one DuckDB query with, per question, ``GROUP BY GROUPING
  SETS ((q, gender), (q, region), (q, age), (q))`` (count, sum w, sum w^2), all questions in
  one ``UNION ALL``: the counting floor, with no statistics.

The tables of the needlab runs are checked equal to the pandas path before timing (floats to
1e-9). Run: ``python benchmarks/bench_engine_banner.py`` (``--rows 1000000`` for one size,
``--no-pandas`` to skip the pandas path, ``--help``). Prints figures (best of ``--repeat``
runs, seconds) and the peak RSS; asserts nothing but the equality.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from collections.abc import Callable, Hashable, Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from needlab._engine import get_engine_options
from needlab.tables.banner import banner

ROWS = [f"q{i}" for i in range(10)]
COLS = ["gender", "region", "age"]
NETS: dict[Hashable, Mapping[str, Sequence[Any]]] = {q: {"Top 2": [4.0, 5.0]} for q in ROWS}


def make(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    out: dict[str, Any] = {}
    for q in ROWS:
        x = rng.integers(1, 6, n).astype(float)
        x[rng.random(n) < 0.05] = np.nan
        out[q] = x
    gender = np.array(["female", "male"], dtype=object)
    region = np.array(["North", "South", "East", "West", "Centre"], dtype=object)
    out["gender"] = pd.Series(gender[rng.integers(0, 2, n)], dtype="str")
    out["region"] = pd.Series(region[rng.integers(0, 5, n)], dtype="str")
    out["age"] = rng.integers(1, 7, n)
    out["w"] = rng.lognormal(0, 0.5, n)
    return pd.DataFrame(out)


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def best(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def sql(src: str) -> str:
    parts = [
        f"select {q} as v, gender, region, age, count(*) as n, sum(w) as sw, sum(w * w) as sw2 "
        f"from {src} group by grouping sets (({q}, gender), ({q}, region), ({q}, age), ({q}))"
        for q in ROWS
    ]
    return " union all ".join(parts)


def run_banner(data: Any, engine: Any) -> Any:
    return banner(data, ROWS, COLS, weights="w", nets=NETS, engine=engine)


def peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, nargs="*", default=[1_000_000, 10_000_000])
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--no-pandas", action="store_true", help="skip the pandas path")
    args = ap.parse_args()
    con = duckdb.connect(config=get_engine_options().config())
    print(f"DuckDB {duckdb.__version__}; best of {args.repeat} runs, seconds")
    print(
        f"{'rows':>12} {'pandas path':>12} {'needlab+duckdb':>15} {'bare SQL':>9} "
        f"{'needlab+parquet':>16} {'bare SQL pq':>12} {'peak RSS GB':>12}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.rows:
            run(n, con, Path(tmp), args.repeat, not args.no_pandas)


def run(n: int, con: duckdb.DuckDBPyConnection, tmp: Path, repeat: int, with_pandas: bool) -> None:
    df = make(n)
    path = tmp / f"rows_{n}.parquet"
    df.to_parquet(path)
    b = run_banner(df, "duckdb")
    c = run_banner(str(path), "auto")
    pd.testing.assert_frame_equal(b.table, c.table, rtol=1e-9, check_dtype=False)
    t_pd = float("nan")
    if with_pandas:
        # the checked run is the first timed one (the pandas path takes minutes at 10^7)
        a, t_pd = timed(lambda: run_banner(df, "pandas"))
        pd.testing.assert_frame_equal(a.table, b.table, rtol=1e-9, check_dtype=False)
        pd.testing.assert_frame_equal(a.pvalues, b.pvalues, rtol=1e-9, check_dtype=False)
        if repeat > 1:
            t_pd = min(t_pd, best(lambda: run_banner(df, "pandas"), repeat - 1))
    t_nd = best(lambda: run_banner(df, "duckdb"), repeat)
    con.register("frame", df)  # the pandas frame, read in place by bare SQL
    t_sql = best(lambda: con.sql(sql("frame")).fetchall(), repeat)
    con.unregister("frame")
    t_npq = best(lambda: run_banner(str(path), "auto"), repeat)
    t_sqlpq = best(lambda: con.sql(sql(f"read_parquet('{path}')")).fetchall(), repeat)
    print(
        f"{n:>12,} {t_pd:>12.3f} {t_nd:>15.3f} {t_sql:>9.3f} {t_npq:>16.3f} {t_sqlpq:>12.3f} "
        f"{peak_gb():>12.2f}"
    )
    print(
        f"{'':>12} pandas / needlab+duckdb = {t_pd / t_nd:.1f}x; "
        f"needlab+duckdb / bare SQL = {t_nd / t_sql:.2f}x; "
        f"needlab+parquet / bare SQL on parquet = {t_npq / t_sqlpq:.2f}x"
    )


if __name__ == "__main__":
    main()
