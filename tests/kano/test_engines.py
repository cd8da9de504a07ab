"""kano counted by DuckDB (a pandas frame in place), Polars (eager and lazy), a DuckDB relation,
SQLFrame on DuckDB and a Parquet file gives the pandas path's tables: integers exactly, floats
to 1e-9 relative (the engines sum in another order)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pytest
from engine_backends import BACKENDS

import needlab as nl
from needlab.errors import ConfigError, DataError, SchemaError
from needlab.kano import kano

RTOL = 1e-9
PAIRS = {"app": ("f1", "d1"), "speed": ("f2", "d2"), "price": ("f3", "d3")}
LABELS = ["I like it", "I expect it", "I'm neutral", "I can tolerate it", "I dislike it"]


def make_data(n: int = 500, seed: int = 7) -> pd.DataFrame:
    """Wide Kano answers: codes with missing values, one feature in text labels, weights with
    zeros, a segment with missing values."""
    rng = np.random.default_rng(seed)
    out: dict[str, Any] = {}
    for j in (1, 2, 3):
        f = rng.integers(1, 6, n).astype(float)
        d = rng.integers(1, 6, n).astype(float)
        f[rng.random(n) < 0.07] = np.nan
        d[rng.random(n) < 0.05] = np.nan
        out[f"f{j}"], out[f"d{j}"] = f, d
    # feature 2 as text labels (missing stays missing)
    for side in ("f2", "d2"):
        codes = out[side]
        lab = np.array([None if np.isnan(c) else LABELS[int(c) - 1] for c in codes], dtype=object)
        out[side] = pd.Series(lab, dtype="str")
    out["f1"][:4] = np.nan  # a few respondents without any complete pair
    out["f2"][:4] = None
    out["f3"][:4] = np.nan
    w = rng.uniform(0.3, 2.5, n)
    w[rng.random(n) < 0.03] = 0.0
    out["w"] = w
    seg = rng.choice(["a", "b", "c"], n).astype(object)
    seg[rng.random(n) < 0.04] = None
    out["seg"] = pd.Series(seg, dtype="str")
    return pd.DataFrame(out)


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return make_data()


def _assert_same(a: nl.KanoResult, b: nl.KanoResult) -> None:
    for name in ("table", "by_segment", "segment_tests"):
        x, y = getattr(a, name), getattr(b, name)
        if x is None:
            assert y is None
            continue
        pd.testing.assert_frame_equal(x, y, rtol=RTOL, check_dtype=False)
    np.testing.assert_array_equal(a.table["n"], b.table["n"])  # integers exactly
    assert b.table["n"].dtype == a.table["n"].dtype
    np.testing.assert_array_equal(a.table["n_missing"], b.table["n_missing"])
    assert (a.n_used, a.n_excluded) == (b.n_used, b.n_excluded)
    assert a.notes == b.notes


@pytest.mark.parametrize("backend", list(BACKENDS))
@pytest.mark.parametrize("weights", ["w", None])
def test_kano_equals_pandas(
    backend: str, weights: str | None, data: pd.DataFrame, con: Any, parquet: Path
) -> None:
    src, engine = BACKENDS[backend](data, con, parquet)
    kw: dict[str, Any] = {"weights": weights, "by": "seg", "max_questionable": 1}
    expected = kano(data, PAIRS, **kw, engine="pandas")
    got = kano(src, PAIRS, **kw, engine=engine)  # type: ignore[arg-type]
    _assert_same(expected, got)
    assert got.respondents is None  # row-level: not built from counts
    assert expected.n_excluded > 0 and any("Q) answers" in x for x in got.notes)
    if weights:
        assert any("weight 0" in x for x in got.notes)
    assert any("missing 'seg'" in x for x in got.notes)


@pytest.mark.parametrize("rule", ["mooi", "group"])
def test_rules_and_tables_on_polars_lazy(rule: Any, data: pd.DataFrame) -> None:
    codes = data[["f1", "d1", "f3", "d3", "w"]]
    pairs = {"app": ("f1", "d1"), "price": ("f3", "d3")}
    for table in ("standard", "pouliot"):
        _assert_same(
            kano(codes, pairs, rule=rule, table=table, weights="w"),
            kano(pl.from_pandas(codes).lazy(), pairs, rule=rule, table=table, weights="w"),
        )


def test_hand_counted_cells_in_duckdb(con: Any) -> None:
    # The docstring example: (1,5) A, (1,4) A, (2,5) M, (1,3) A... counted by DuckDB.
    rel = con.sql("select * from (values (1, 5), (1, 4), (2, 5), (1, 3)) t(f, d)")
    r = kano(rel, {"app": ("f", "d")})
    t = r.table
    assert t[["A", "O", "M"]].to_numpy().tolist() == [[2.0, 1.0, 1.0]]
    assert t["better"].item() == 0.75 and t["worse"].item() == -0.5
    assert t["n"].item() == 4 and (r.n_used, r.n_excluded) == (4, 0)


def test_survey_with_engine_duckdb() -> None:
    survey = nl.read_survey("data/sample/survey_wave1.csv", codebook="data/sample/codebook.yaml")
    by = "region"
    _assert_same(kano(survey, by=by, engine="pandas"), kano(survey, by=by, engine="duckdb"))


def test_row_level_options_collect_the_frame(data: pd.DataFrame) -> None:
    lazy = pl.from_pandas(data).lazy()
    a = kano(data, PAIRS, weights="w", n_boot=20, random_state=1)
    b = kano(lazy, PAIRS, weights="w", n_boot=20, random_state=1)
    pd.testing.assert_frame_equal(a.table, b.table, rtol=RTOL)
    assert b.respondents is not None
    assert b.notes[-1].startswith("the polars LazyFrame was collected into pandas (500 rows)")
    assert "n_boot > 0" in b.notes[-1]


def test_row_level_options_refuse_a_large_frame(
    data: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    from needlab import _engine

    kw = {"max_rows": 100, "sample": None, "random_state": None}
    monkeypatch.setattr(_engine.collect_rows, "__kwdefaults__", kw)
    with pytest.raises(DataError, match=r"has 500 rows, more than max_rows=100.*sample="):
        kano(pl.from_pandas(data), PAIRS, n_boot=10)


# Bad input.


def test_unknown_label_in_the_engine(data: pd.DataFrame) -> None:
    bad = data.assign(f2=data["f2"].where(data.index != 5, "I love it"))
    with pytest.raises(DataError, match=r"feature 'speed' \(functional column 'f2'\).*'I love it'"):
        kano(pl.from_pandas(bad).lazy(), PAIRS)


def test_code_outside_the_scale_in_the_engine(data: pd.DataFrame, con: Any) -> None:
    bad = data.assign(d1=data["d1"].where(data.index != 3, 7.0))
    with pytest.raises(DataError, match=r"feature 'app' \(dysfunctional column 'd1'\).*1\.\.5"):
        kano(con.from_df(bad), PAIRS)


def test_missing_column_and_weights_in_the_engine(data: pd.DataFrame) -> None:
    lazy = pl.from_pandas(data).lazy()
    with pytest.raises(SchemaError, match=r"'d9'.*polars LazyFrame"):
        kano(lazy, {"app": ("f1", "d9")})
    with pytest.raises(ConfigError, match="must name one of its columns"):
        kano(lazy, PAIRS, weights=data["w"].to_numpy())
    neg = pl.from_pandas(data.assign(w=-data["w"])).lazy()
    with pytest.raises(DataError, match=r"weights 'w' has \d+ negative values in the polars"):
        kano(neg, PAIRS, weights="w")
    with pytest.raises(ConfigError, match="needs pairs="):
        kano(lazy)
    with pytest.raises(ConfigError, match=r"engine='spark'"):
        kano(data, PAIRS, engine="spark")  # type: ignore[arg-type]


def test_short_table_refuses_must_be_in_the_engine(data: pd.DataFrame) -> None:
    with pytest.raises(DataError, match=r"'must-be' or 'live-with'.*table='standard'"):
        kano(pl.from_pandas(data), PAIRS, table="short3")
