"""profile counted by Polars (eager and lazy), a DuckDB relation, SQLFrame on DuckDB and a
Parquet file gives the pandas path's table: integers exactly, floats to 1e-9 relative."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pytest
from engine_backends import BACKENDS

from needlab.errors import ConfigError, DataError, SchemaError
from needlab.segment.profile import profile

RTOL = 1e-9


def make_data(n: int = 600, seed: int = 11) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    seg = rng.choice(["high", "low", "mid"], n).astype(object)
    seg[rng.random(n) < 0.05] = None
    age = rng.normal(1000.0, 12.0, n)  # a large mean: centring matters
    age[rng.random(n) < 0.06] = np.nan
    city = rng.choice(["x", "y", "z"], n).astype(object)
    city[rng.random(n) < 0.04] = None
    w = rng.uniform(0.2, 3.0, n)
    w[rng.random(n) < 0.03] = 0.0
    return pd.DataFrame(
        {
            "seg": pd.Series(seg, dtype="str"),
            "age": age + 3.0 * (seg == "high"),
            "spend": rng.integers(0, 50, n),
            "city": pd.Series(city, dtype="str"),
            "w": w,
        }
    )


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return make_data()


def _assert_same(a: Any, b: Any) -> None:
    pd.testing.assert_frame_equal(a.table, b.table, rtol=RTOL, check_dtype=False)
    pd.testing.assert_frame_equal(a.sizes, b.sizes, rtol=RTOL, check_dtype=False)
    np.testing.assert_array_equal(a.table["n"], b.table["n"])  # integers exactly
    assert b.table["n"].dtype == np.int64 and b.sizes["n"].dtype == np.int64
    assert (a.n_used, a.n_excluded) == (b.n_used, b.n_excluded)
    assert a.notes == b.notes


@pytest.mark.parametrize("backend", [b for b in BACKENDS if b != "pandas-duckdb"])
@pytest.mark.parametrize("weights", ["w", None])
def test_profile_equals_pandas(
    backend: str, weights: str | None, data: pd.DataFrame, con: Any, parquet: Path
) -> None:
    src, _ = BACKENDS[backend](data, con, parquet)
    expected = profile(data, ["age", "spend", "city"], by="seg", weights=weights)
    got = profile(src, ["age", "spend", "city"], by="seg", weights=weights)
    _assert_same(expected, got)
    assert expected.n_excluded > 0 and any("missing values excluded" in x for x in got.notes)


def test_hand_computed_means_in_duckdb(con: Any) -> None:
    rel = con.sql(
        "select * from (values ('a', 1.0, 1.0), ('a', 3.0, 3.0), ('b', 5.0, 1.0), "
        "('b', 7.0, 1.0)) t(seg, x, w)"
    )
    t = profile(rel, "x", by="seg", weights="w").table
    # a: (1*1 + 3*3) / 4 = 2.5; b: 6; total (1 + 9 + 5 + 7) / 6 = 22/6
    np.testing.assert_allclose(t["value"], [2.5, 6.0], rtol=RTOL)
    np.testing.assert_allclose(t["total"], [22 / 6, 22 / 6], rtol=RTOL)
    np.testing.assert_allclose(t["n_eff"], [16 / 10, 2.0], rtol=RTOL)


def test_nan_and_null_segments_both_missing_in_polars(data: pd.DataFrame) -> None:
    df = pl.DataFrame(
        {"s": [1.0, 2.0, float("nan"), None, 1.0, 2.0], "x": [1.0, 2, 3, 4, 5, 6]},
        nan_to_null=False,
    )
    r = profile(df, "x", by="s")
    assert (r.n_used, r.n_excluded) == (4, 2)
    _assert_same(profile(df.to_pandas(), "x", by="s"), r)


def test_engine_pandas_collects(data: pd.DataFrame) -> None:
    _assert_same(
        profile(data, ["age", "city"], by="seg"),
        profile(pl.from_pandas(data).lazy(), ["age", "city"], by="seg", engine="pandas"),
    )


# Bad input.


def test_bad_input_in_the_engine(data: pd.DataFrame) -> None:
    lazy = pl.from_pandas(data).lazy()
    with pytest.raises(SchemaError, match=r"'agee' \(did you mean 'age'\?\).*polars LazyFrame"):
        profile(lazy, ["agee"], by="seg")
    with pytest.raises(ConfigError, match="must name one of its columns"):
        profile(lazy, "age", by="seg", weights=data["w"].to_numpy())
    neg = pl.from_pandas(data.assign(w=-data["w"])).lazy()
    with pytest.raises(DataError, match=r"weights 'w' has \d+ negative values in the polars"):
        profile(neg, "age", by="seg", weights="w")
    inf = pl.from_pandas(data.assign(age=data["age"].where(data.index != 2, np.inf))).lazy()
    with pytest.raises(DataError, match=r"column 'age' has 1 infinite values.*polars"):
        profile(inf, "age", by="seg")
    one = pl.from_pandas(data.assign(seg="a")).lazy()
    with pytest.raises(DataError, match="single segment"):
        profile(one, "age", by="seg")
    with pytest.raises(ConfigError, match=r"engine='spark'"):
        profile(data, "age", by="seg", engine="spark")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="counted on its own backend"):
        profile(lazy, "age", by="seg", engine="duckdb")
