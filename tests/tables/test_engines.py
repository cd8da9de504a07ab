"""freq and crosstab counted by DuckDB, Polars (eager and lazy), a DuckDB relation, SQLFrame on
DuckDB and a Parquet file give the pandas path's results: integers exactly, floats to 1e-9
relative (the engines sum in another order)."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import polars as pl
import pytest
from engine_backends import BACKENDS

import needlab as nl
from needlab import _engine
from needlab.errors import ConfigError, SchemaError
from needlab.tables.crosstab import crosstab
from needlab.tables.freq import freq
from needlab.tables.multi import multi

RTOL = 1e-9
crosstab_module = importlib.import_module("needlab.tables.crosstab")


def make_data(n: int = 400, seed: int = 3) -> pd.DataFrame:
    """Weighted survey rows with missing answers, zero weights and text variants."""
    rng = np.random.default_rng(seed)
    region = rng.choice(["North", "South", "East", "West"], n).astype(object)
    region[rng.random(n) < 0.05] = None
    region[:3] = ["North ", "Ｎorth", "South  "]  # variants merged by NFKC and trimming
    sat = rng.integers(1, 6, n).astype(float)
    sat[rng.random(n) < 0.08] = np.nan
    w = rng.uniform(0.2, 3.0, n)
    w[rng.random(n) < 0.03] = 0.0
    return pd.DataFrame(
        {"region": pd.Series(region, dtype="str"), "sat": sat, "w": w, "g": rng.integers(0, 3, n)}
    )


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return make_data()


def _same_notes(a: tuple[str, ...], b: tuple[str, ...]) -> None:
    """Equal notes; a note on merged text variants lists them in another order on an engine
    (sorted there, in order of appearance in pandas), so its variants are compared as sets."""
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        if "variants merged" in x:
            head_x, _, rest_x = x.partition("trimming: ")
            head_y, _, rest_y = y.partition("trimming: ")
            assert head_x == head_y
            assert sorted(re.findall(r"'[^']*'", rest_x)) == sorted(re.findall(r"'[^']*'", rest_y))
        else:
            assert x == y


def _assert_same_freq(a: nl.FreqResult, b: nl.FreqResult) -> None:
    pd.testing.assert_frame_equal(a.table, b.table, rtol=RTOL, check_dtype=False)
    assert b.table["n"].dtype == np.int64
    assert (a.n_used, a.n_excluded) == (b.n_used, b.n_excluded)
    assert a.weighted_n == pytest.approx(b.weighted_n, rel=RTOL)
    assert a.n_eff == pytest.approx(b.n_eff, rel=RTOL)
    assert a.notes == b.notes


def _assert_same_crosstab(a: nl.CrosstabResult, b: nl.CrosstabResult) -> None:
    for name in ("table", "counts", "unweighted", "percent", "bases", "letters", "pvalues", "chi2"):
        pd.testing.assert_frame_equal(
            getattr(a, name), getattr(b, name), rtol=RTOL, check_dtype=False
        )
    np.testing.assert_array_equal(a.table["n"], b.table["n"])  # integers exactly
    assert a.cramers_v == pytest.approx(b.cramers_v, rel=RTOL)
    assert a.cramers_v_corrected == pytest.approx(b.cramers_v_corrected, rel=RTOL)
    assert (a.n_used, a.n_excluded) == (b.n_used, b.n_excluded)
    assert a.column_letters == b.column_letters
    _same_notes(a.notes, b.notes)


@pytest.mark.parametrize("backend", list(BACKENDS))
@pytest.mark.parametrize("weights", ["w", None])
@pytest.mark.parametrize("var", ["region", "sat"])
def test_freq_equals_pandas(
    backend: str,
    weights: str | None,
    var: str,
    data: pd.DataFrame,
    con: duckdb.DuckDBPyConnection,
    parquet: Path,
) -> None:
    src, engine = BACKENDS[backend](data, con, parquet)
    expected = freq(data, var, weights=weights, engine="pandas")
    got = freq(src, var, weights=weights, engine=engine)  # type: ignore[arg-type]
    _assert_same_freq(expected, got)
    # sorting by count and dropping the missing row work on the counted cells too
    _assert_same_freq(
        freq(data, var, weights=weights, sort="count", dropna=True),
        freq(src, var, weights=weights, sort="count", dropna=True, engine=engine),  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("backend", list(BACKENDS))
@pytest.mark.parametrize("weights", ["w", None])
def test_crosstab_equals_pandas(
    backend: str,
    weights: str | None,
    data: pd.DataFrame,
    con: duckdb.DuckDBPyConnection,
    parquet: Path,
) -> None:
    src, engine = BACKENDS[backend](data, con, parquet)
    nets = {"Top 2": [4.0, 5.0]}
    expected = crosstab(data, "sat", "region", weights=weights, nets=nets, engine="pandas")
    got = crosstab(src, "sat", "region", weights=weights, nets=nets, engine=engine)  # type: ignore[arg-type]
    _assert_same_crosstab(expected, got)
    # the merged text variants are reported as on the pandas path
    assert any("variants merged" in note for note in got.notes)


def test_crosstab_options_on_an_engine(data: pd.DataFrame) -> None:
    lazy = pl.from_pandas(data).lazy()
    kw: dict[str, Any] = {
        "weights": "w",
        "percent": "row",
        "method": "unpooled_z",
        "adjust": "bh",
        "casefold": True,
    }
    _assert_same_crosstab(crosstab(data, "region", "g", **kw), crosstab(lazy, "region", "g", **kw))


def test_categorical_order_and_unused_categories_kept_by_duckdb(data: pd.DataFrame) -> None:
    df = data.copy()
    order = ["West", "South", "North", "East", "Nowhere"]  # not sorted; one category unused
    df["region"] = pd.Categorical(
        df["region"].str.strip().str.replace("Ｎ", "N"), categories=order, ordered=True
    )
    a = freq(df, "region", weights="w", engine="pandas")
    b = freq(df, "region", weights="w", engine="duckdb")
    _assert_same_freq(a, b)
    assert b.table["value"].tolist()[:5] == order
    _assert_same_crosstab(
        crosstab(df, "sat", "region", weights="w", engine="pandas"),
        crosstab(df, "sat", "region", weights="w", engine="duckdb"),
    )


def test_survey_labels_with_duckdb() -> None:
    survey = nl.read_survey("data/sample/survey_wave1.csv", codebook="data/sample/codebook.yaml")
    _assert_same_freq(
        freq(survey, "region", engine="pandas"), freq(survey, "region", engine="duckdb")
    )
    a = crosstab(survey, "sat_de_speed", "region", engine="pandas")
    b = crosstab(survey, "sat_de_speed", "region", engine="duckdb")
    _assert_same_crosstab(a, b)
    assert "North" in b.counts.columns


def test_engine_codes_labelled_after_the_counting(data: pd.DataFrame) -> None:
    labels = {1.0: "very poor", 5.0: "very good"}
    r = freq(pl.from_pandas(data).lazy(), "sat", labels=labels)
    assert r.table["label"].tolist()[:5] == ["very poor", "2.0", "3.0", "4.0", "very good"]
    pd.testing.assert_frame_equal(r.table, freq(data, "sat", labels=labels).table)


def test_nan_and_null_are_both_missing_in_polars() -> None:
    # Polars keeps a float NaN apart from null; both are a missing answer, as in pandas.
    df = pl.DataFrame({"q": [1.0, float("nan"), None, 2.0, 2.0]}, nan_to_null=False)
    assert df["q"].null_count() == 1 and df["q"].is_nan().sum() == 1
    r = freq(df, "q")
    assert r.table["n"].tolist() == [1, 2, 2]
    assert r.table["value"].tolist()[-1] == "(missing)"
    assert r.n_excluded == 2


def test_group_order_of_the_engine_does_not_matter(data: pd.DataFrame) -> None:
    # Engines return groups in any order; the table is sorted by value as on the pandas path.
    shuffled = pl.from_pandas(data.sample(frac=1.0, random_state=1)).lazy()
    _assert_same_crosstab(
        crosstab(data, "g", "sat", weights="w"), crosstab(shuffled, "g", "sat", weights="w")
    )


def test_integer_sum_types(con: duckdb.DuckDBPyConnection, data: pd.DataFrame) -> None:
    # DuckDB sums integers to HUGEINT and Polars counts rows in UInt32: the counts come back
    # with the pandas path's types (int64 in freq, whole floats in crosstab's arrays).
    rel = con.sql("select g, cast(sat as integer) as sat, cast(1 as bigint) as w from data")
    r = crosstab(rel, "g", "sat", weights="w")
    expected = crosstab(data.assign(w=1), "g", "sat", weights="w")
    assert r.table["n"].dtype == expected.table["n"].dtype
    np.testing.assert_array_equal(r.table["n"], expected.table["n"])
    np.testing.assert_array_equal(r.table["n"], r.table["count"])
    assert freq(pl.from_pandas(data), "g").table["n"].dtype == np.int64
    assert freq(rel, "sat", weights="w").table["n"].dtype == np.int64


def test_auto_uses_duckdb_above_the_threshold(
    data: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Any] = []
    real = crosstab_module.count_cells

    def spy(*args: Any, **kwargs: Any) -> pd.DataFrame:
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(crosstab_module, "count_cells", spy)
    crosstab(data, "sat", "region")
    assert calls == []
    monkeypatch.setattr(_engine, "AUTO_DUCKDB_ROWS", len(data) - 1)
    r = crosstab(data, "sat", "region", weights="w")
    assert len(calls) == 1
    _assert_same_crosstab(crosstab(data, "sat", "region", weights="w", engine="pandas"), r)


def test_engine_pandas_collects_an_engine_frame(data: pd.DataFrame) -> None:
    _assert_same_crosstab(
        crosstab(data, "sat", "region", weights="w"),
        crosstab(pl.from_pandas(data).lazy(), "sat", "region", weights="w", engine="pandas"),
    )


# Bad input.


def test_unknown_engine(data: pd.DataFrame) -> None:
    bad: Any = "spark"
    with pytest.raises(ConfigError, match=r"engine='spark'.*'auto', 'pandas', 'duckdb'"):
        freq(data, "sat", engine=bad)
    with pytest.raises(ConfigError, match=r"engine='spark'.*'auto', 'pandas', 'duckdb'"):
        crosstab(data, "sat", "region", engine=bad)


def test_column_absent_in_the_engine_frame(data: pd.DataFrame) -> None:
    with pytest.raises(
        SchemaError, match=r"'regoin' \(did you mean 'region'\?\).*polars LazyFrame"
    ):
        crosstab(pl.from_pandas(data).lazy(), "sat", "regoin")
    with pytest.raises(SchemaError, match=r"'wt'.*duckdb"):
        freq(duckdb.from_df(data), "sat", weights="wt")


def test_bad_weights_in_the_engine(data: pd.DataFrame) -> None:
    df = pl.from_pandas(data).with_columns(pl.col("w").neg().alias("neg"))
    with pytest.raises(nl.DataError, match=r"weights 'neg' has \d+ negative values in the polars"):
        freq(df, "sat", weights="neg")
    with pytest.raises(ConfigError, match="must name one of its columns"):
        freq(df, "sat", weights=data["w"].to_numpy())


def test_duckdb_engine_refuses_a_polars_frame(data: pd.DataFrame) -> None:
    with pytest.raises(ConfigError, match="counted on its own backend: pass engine='auto'"):
        freq(pl.from_pandas(data), "sat", engine="duckdb")


def test_multi_response_needs_pandas_input(data: pd.DataFrame) -> None:
    df = data.assign(a=(data["g"] == 1).astype(int), b=(data["g"] == 2).astype(int))
    question = multi(["a", "b"])
    with pytest.raises(ConfigError, match="multi-response.*engine='pandas'"):
        crosstab(pl.from_pandas(df), question, "region")
    # a pandas frame with a multi-response question stays on the pandas path
    pd.testing.assert_frame_equal(
        crosstab(df, question, "region", engine="duckdb").table,
        crosstab(df, question, "region").table,
    )
