"""needlab._engine: input detection, engine resolution, DuckDB settings, grouped sums on every
backend against hand computations and numpy, the size-checked collect."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import polars as pl
import pytest
from engine_backends import sqlframe_on_duckdb

from needlab import _engine
from needlab._engine import (
    AUTO_DUCKDB_ROWS,
    collect_rows,
    get_engine_options,
    grouped_sums,
    is_engine_input,
    resolve_engine,
    set_engine_options,
)
from needlab.errors import ConfigError, DataError, SchemaError

SMALL = pd.DataFrame(
    {
        "g": ["a", "b", "a", None, "b", "a"],
        "w": [1.0, 2.0, 3.0, 1.5, 0.0, 0.5],
        "y": [2.0, np.nan, 4.0, 1.0, 3.0, 6.0],
    }
)
# By hand, group "a": rows 0, 2, 5 (w 1, 3, 0.5; y 2, 4, 6)
A = {
    "n": 3,
    "sum_w": 4.5,
    "sum_w2": 1 + 9 + 0.25,
    "n_pos": 3,
    "n_y": 3,
    "sum_w_y": 4.5,
    "sum_wy": 2 + 12 + 3,
    "sum_wy2": 4 + 48 + 18,
}
# group "b": rows 1, 4 (w 2, 0; y NaN, 3): row 1 has no y
B = {
    "n": 2,
    "sum_w": 2.0,
    "sum_w2": 4.0,
    "n_pos": 1,
    "n_y": 1,
    "sum_w_y": 0.0,
    "sum_wy": 0.0,
    "sum_wy2": 0.0,
}


def backends(frame: pd.DataFrame, tmp: Path) -> dict[str, tuple[Any, str]]:
    path = tmp / "small.parquet"
    frame.to_parquet(path)
    return {
        "pandas": (frame, "pandas"),
        "pandas-duckdb": (frame, "duckdb"),
        "polars": (pl.from_pandas(frame), "auto"),
        "polars-lazy": (pl.from_pandas(frame).lazy(), "auto"),
        "duckdb": (duckdb.from_df(frame), "auto"),
        "sqlframe": (sqlframe_on_duckdb(path), "auto"),
        "parquet": (str(path), "auto"),
    }


def _by_group(out: pd.DataFrame) -> dict[Any, dict[Any, Any]]:
    keys = out["g"].astype(object).where(out["g"].notna(), None)
    return {k: row.drop("g").to_dict() for k, (_, row) in zip(keys, out.iterrows(), strict=True)}


def test_grouped_sums_by_hand_on_every_backend(tmp_path: Path) -> None:
    for name, (src, engine) in backends(SMALL, tmp_path).items():
        out = grouped_sums(src, ["g"], weights="w", y="y", engine=engine)  # type: ignore[arg-type]
        got = _by_group(out)
        assert set(got) == {"a", "b", None}, name
        for key, want in (("a", A), ("b", B)):
            for stat, v in want.items():
                assert got[key][stat] == pytest.approx(v, rel=1e-12), (name, key, stat)
        assert got[None]["n"] == 1  # the missing group is kept
        for c in ("n", "n_pos", "n_y"):
            assert out[c].dtype == np.int64, (name, c)
        for c in ("sum_w", "sum_w2", "sum_wy", "sum_wy2"):
            assert out[c].dtype == np.float64, (name, c)


def test_grouped_sums_unweighted_equal_counts(tmp_path: Path) -> None:
    for name, (src, engine) in backends(SMALL, tmp_path).items():
        out = grouped_sums(src, ["g"], engine=engine)  # type: ignore[arg-type]
        np.testing.assert_array_equal(out["n"], out["sum_w"], err_msg=name)
        np.testing.assert_array_equal(out["n"], out["sum_w2"], err_msg=name)
        assert sorted(out["n"]) == [1, 2, 3]


def test_grouped_sums_against_numpy_on_random_data() -> None:
    rng = np.random.default_rng(7)
    n = 5000
    df = pd.DataFrame(
        {"a": rng.integers(0, 5, n), "b": rng.integers(0, 3, n), "w": rng.gamma(2.0, 1.0, n)}
    )
    out = grouped_sums(pl.from_pandas(df).lazy(), ["a", "b"], weights="w")
    out = out.sort_values(["a", "b"], ignore_index=True)
    ref = (
        df.assign(w2=df["w"] ** 2)
        .groupby(["a", "b"])
        .agg(n=("w", "size"), sum_w=("w", "sum"), sum_w2=("w2", "sum"))
        .reset_index()
    )
    np.testing.assert_array_equal(out["n"], ref["n"])
    np.testing.assert_allclose(out["sum_w"], ref["sum_w"], rtol=1e-12)
    np.testing.assert_allclose(out["sum_w2"], ref["sum_w2"], rtol=1e-12)


def test_resolution() -> None:
    small = pd.DataFrame({"a": [1, 2]})
    assert resolve_engine(small, "auto") == "pandas"
    assert resolve_engine(small, "duckdb") == "duckdb"
    assert resolve_engine(pl.DataFrame({"a": [1]}), "auto") == "native"
    assert resolve_engine(pl.DataFrame({"a": [1]}).lazy(), "pandas") == "pandas"
    assert resolve_engine(duckdb.sql("select 1 as a"), "auto") == "duckdb"
    assert AUTO_DUCKDB_ROWS >= 1_000_000
    assert not is_engine_input(small) and is_engine_input("x.parquet")


def test_auto_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    df = pd.DataFrame({"a": range(10)})
    monkeypatch.setattr(_engine, "AUTO_DUCKDB_ROWS", 9)
    assert resolve_engine(df, "auto") == "duckdb"
    monkeypatch.setattr(_engine, "AUTO_DUCKDB_ROWS", 10)
    assert resolve_engine(df, "auto") == "pandas"


def test_paths(tmp_path: Path) -> None:
    pq = tmp_path / "d.parquet"
    SMALL.to_parquet(pq)
    assert resolve_engine(pq, "auto") == "duckdb"
    csv = tmp_path / "d.csv"
    SMALL.to_csv(csv, index=False)
    a = grouped_sums(csv, ["g"], weights="w").sort_values("sum_w", ignore_index=True)
    b = grouped_sums(SMALL, ["g"], weights="w").sort_values("sum_w", ignore_index=True)
    np.testing.assert_allclose(a["sum_w2"], b["sum_w2"])
    # engine="pandas" reads the file with pandas
    c = grouped_sums(pq, ["g"], weights="w", engine="pandas").sort_values("sum_w")
    np.testing.assert_allclose(c["sum_w"], b["sum_w"])
    with pytest.raises(DataError, match=r"'.*nope.parquet' does not exist"):
        resolve_engine(tmp_path / "nope.parquet", "auto")
    with pytest.raises(DataError, match=r"not a Parquet or CSV file.*read_survey"):
        resolve_engine(tmp_path / "d.xlsx", "auto")


def test_bad_engine_options() -> None:
    with pytest.raises(ConfigError, match=r"engine='polars' is not valid.*'auto', 'pandas'"):
        resolve_engine(SMALL, "polars")
    with pytest.raises(ConfigError, match="engine='duckdb'.*polars LazyFrame.*engine='auto'"):
        resolve_engine(pl.DataFrame({"a": [1]}).lazy(), "duckdb")


def test_missing_column_names_the_engine() -> None:
    with pytest.raises(SchemaError, match=r"'gg' \(did you mean 'g'\?\) not found in the polars"):
        grouped_sums(pl.from_pandas(SMALL), ["gg"])
    with pytest.raises(SchemaError, match=r"'gg'.*not found in the data"):
        grouped_sums(SMALL, ["gg"], engine="pandas")


@pytest.mark.parametrize(
    ("values", "what"),
    [([1.0, -1.0], "negative"), ([1.0, None], "missing"), ([1.0, float("inf")], "non-finite")],
)
def test_bad_weights_in_the_engine(values: list[Any], what: str) -> None:
    df = pl.DataFrame({"g": [1, 2], "w": values}, nan_to_null=False)
    with pytest.raises(DataError, match=rf"weights 'w' has 1 {what} values in the polars"):
        grouped_sums(df, ["g"], weights="w")
    with pytest.raises(DataError, match="sum to zero"):
        grouped_sums(pl.DataFrame({"g": [1], "w": [0.0]}), ["g"], weights="w")


def test_engine_options_reach_duckdb() -> None:
    old = get_engine_options()
    try:
        opts = set_engine_options(threads=1, memory_limit="512MB")
        assert (opts.threads, opts.memory_limit) == (1, "512MB")
        cur = _engine._duckdb_cursor()
        assert cur.sql("select current_setting('threads')").fetchall() == [(1,)]
        limit = cur.sql("select current_setting('memory_limit')").fetchall()[0]
        assert limit is not None and "MiB" in str(limit[0])
        # options not given keep their value
        assert set_engine_options(memory_limit="1GB").threads == 1
    finally:
        _engine._OPTIONS = old
        set_engine_options()
    with pytest.raises(ConfigError, match="threads=0"):
        set_engine_options(threads=0)
    with pytest.raises(ConfigError, match="memory_limit='lots'.*'4GB'"):
        set_engine_options(memory_limit="lots")


def test_collect_rows_size_check_and_sample(tmp_path: Path) -> None:
    pq = tmp_path / "small.parquet"
    SMALL.to_parquet(pq)
    lf = pl.DataFrame({"a": np.arange(1000)}).lazy()
    with pytest.raises(DataError, match=r"polars LazyFrame has 1,000 rows, more than max_rows=100"):
        collect_rows(lf, max_rows=100)
    assert len(collect_rows(lf, max_rows=1000)) == 1000
    part = collect_rows(lf, sample=0.1, random_state=1)
    assert part.attrs["sample"] == 0.1 and 0 < len(part) < 1000
    rel = duckdb.sql("select range as a from range(10000)")
    part = collect_rows(rel, ["a"], sample=0.05, random_state=3)
    assert 300 < len(part) < 700  # Bernoulli(0.05) of 10^4 rows: mean 500, sd 22
    with pytest.raises(ConfigError, match="sample=1.5"):
        collect_rows(lf, sample=1.5)
    with pytest.raises(ConfigError, match="sample= is available for DuckDB and Polars"):
        collect_rows(sqlframe_on_duckdb(pq), sample=0.5)
    with pytest.raises(SchemaError, match="'b'"):
        collect_rows(lf, ["b"])


def test_import_needlab_stays_light() -> None:
    code = (
        "import sys, needlab, needlab.tables.crosstab, needlab.tables.freq; "
        "print(sorted(m for m in ('duckdb', 'narwhals', 'polars', 'sqlframe') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
