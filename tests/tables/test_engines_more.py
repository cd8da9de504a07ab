"""banner, nps, csat, top_box and compare_means counted by DuckDB, Polars (eager and lazy), a
DuckDB relation, SQLFrame on DuckDB and a Parquet file give the pandas path's results:
integers exactly, floats to 1e-9 relative (the engines sum in another order), weighted and
unweighted, with missing answers, missing groups and zero weights."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import polars as pl
import pytest

import needlab as nl
from needlab._engine import count_answered, grouped_moments
from needlab.errors import ConfigError, DataError, SchemaError
from needlab.tables.banner import banner
from needlab.tables.csat import csat
from needlab.tables.means import compare_means
from needlab.tables.multi import multi
from needlab.tables.nps import nps
from needlab.tables.top_box import top_box

from .test_engines import BACKENDS, _same_notes, make_data

RTOL = 1e-9


def make_scores(n: int = 400, seed: int = 5) -> pd.DataFrame:
    """make_data with an NPS answer (0-10), a second rating and a numeric score, each with
    missing values."""
    rng = np.random.default_rng(seed)
    df = make_data(n, seed)
    ltr = rng.integers(0, 11, n).astype(float)
    ltr[rng.random(n) < 0.1] = np.nan
    speed = rng.integers(1, 6, n).astype(float)
    speed[rng.random(n) < 0.15] = np.nan
    spend = rng.gamma(2.0, 30.0, n)
    spend[rng.random(n) < 0.1] = np.nan
    return df.assign(ltr=ltr, speed=speed, spend=spend)


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return make_scores()


def _same_frame(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, rtol=RTOL, check_dtype=False)
    for c in ("n", "n_missing"):
        if c in a and a[c].dtype == np.int64:
            assert b[c].dtype == np.int64
            np.testing.assert_array_equal(a[c], b[c])  # integers exactly


def _same_result(a: Any, b: Any, *frames: str) -> None:
    _same_frame(a.table, b.table)
    for name in frames:
        _same_frame(getattr(a, name), getattr(b, name))
    assert (a.n_used, a.n_excluded) == (b.n_used, b.n_excluded)
    _same_notes(a.notes, b.notes)


WEIGHTS = pytest.mark.parametrize("weights", ["w", None])
BACKEND = pytest.mark.parametrize("backend", list(BACKENDS))


@BACKEND
@WEIGHTS
@pytest.mark.parametrize("by", ["region", None])
def test_nps_equals_pandas(
    backend: str, weights: str | None, by: str | None, data: pd.DataFrame, con: Any, parquet: Path
) -> None:
    src, engine_name = BACKENDS[backend](data, con, parquet)
    engine: Any = engine_name
    a = nps(data, "ltr", by=by, weights=weights, engine="pandas")
    b = nps(src, "ltr", by=by, weights=weights, engine=engine)
    _same_result(a, b)
    assert a.n_excluded > 0 and b.table["n"].dtype == np.int64


@BACKEND
@WEIGHTS
def test_csat_equals_pandas(
    backend: str, weights: str | None, data: pd.DataFrame, con: Any, parquet: Path
) -> None:
    src, engine_name = BACKENDS[backend](data, con, parquet)
    engine: Any = engine_name
    cases: list[dict[str, Any]] = [{"by": "g"}, {"top": [5], "ci": 0.9}]
    for kw in cases:
        a = csat(data, "sat", weights=weights, engine="pandas", **kw)
        b = csat(src, "sat", weights=weights, engine=engine, **kw)
        _same_result(a, b)


@BACKEND
@WEIGHTS
def test_top_box_equals_pandas(
    backend: str, weights: str | None, data: pd.DataFrame, con: Any, parquet: Path
) -> None:
    src, engine_name = BACKENDS[backend](data, con, parquet)
    engine: Any = engine_name
    cases: list[dict[str, Any]] = [{"by": "region"}, {"bottom": True, "k": 1, "scale_min": 1}]
    for kw in cases:
        a = top_box(data, ["sat", "speed"], weights=weights, engine="pandas", **kw)
        b = top_box(src, ["sat", "speed"], weights=weights, engine=engine, **kw)
        _same_result(a, b)
        assert a.box == b.box


@BACKEND
@WEIGHTS
def test_compare_means_equals_pandas(
    backend: str, weights: str | None, data: pd.DataFrame, con: Any, parquet: Path
) -> None:
    src, engine_name = BACKENDS[backend](data, con, parquet)
    engine: Any = engine_name
    cases: list[tuple[str, dict[str, Any]]] = [
        ("spend", {}),
        ("sat", {"adjust": "bh", "total": False}),
    ]
    for var, kw in cases:
        a = compare_means(data, var, "region", weights=weights, engine="pandas", **kw)
        b = compare_means(src, var, "region", weights=weights, engine=engine, **kw)
        _same_result(a, b, "pvalues")


@BACKEND
@WEIGHTS
def test_banner_equals_pandas(
    backend: str, weights: str | None, data: pd.DataFrame, con: Any, parquet: Path
) -> None:
    src, engine_name = BACKENDS[backend](data, con, parquet)
    engine: Any = engine_name
    kw: dict[str, Any] = {
        "weights": weights,
        "means": ["spend"],
        "nets": {"sat": {"Top 2": [4.0, 5.0]}, "speed": {"Bottom": [1.0]}},
    }
    a = banner(data, ["sat", "speed", "g"], ["region", "g"], engine="pandas", **kw)
    b = banner(src, ["sat", "speed", "g"], ["region", "g"], engine=engine, **kw)
    _same_result(a, b, "pvalues", "bases")
    assert (a.n_excluded > 0) == (weights is not None)  # rows with weight 0
    assert any(r == "Top 2" for r in b.table["row"])
    assert b.display().equals(a.display())


# Hand computations of the engine sums (not only agreement with the pandas path).


def test_nps_by_hand_on_polars() -> None:
    # 50 promoters, 30 passives, 20 detractors: NPS 30, SE = 100 sqrt((.5*.5 + .2*.8 +
    # 2*.5*.2) / 100) = 7.8102 (the docstring example, here counted in Polars).
    df = pl.DataFrame({"ltr": [10] * 50 + [7] * 30 + [3] * 20 + [None] * 5})
    r = nps(df.lazy(), "ltr")
    assert r.table["nps"].iloc[0] == pytest.approx(30.0)
    assert r.table["se"].iloc[0] == pytest.approx(100 * np.sqrt(0.61 / 100))
    assert (r.n_used, r.n_excluded, int(r.table["n_missing"].iloc[0])) == (100, 5, 5)


def test_compare_means_weighted_by_hand() -> None:
    # group a: y = 1 (w 1), 3 (w 3): mean 2.5; n_eff = 16 / 10; SD^2 = ms e / (e - 1) with
    # ms = (1 * 1.5^2 + 3 * 0.5^2) / 4 = 0.75, so SD^2 = 0.75 * 1.6 / 0.6 = 2.
    df = pd.DataFrame(
        {"y": [1.0, 3.0, 5.0, 7.0, None], "g": ["a", "a", "b", "b", "b"], "w": [1, 3, 1, 1, 1.0]}
    )
    r = compare_means(duckdb.from_df(df), "y", "g", weights="w")
    a = r.table.iloc[0]
    assert (a["mean"], a["n_eff"], a["sd"] ** 2) == pytest.approx((2.5, 1.6, 2.0))
    assert r.table["n"].tolist() == [2, 2, 4]
    assert (r.n_used, r.n_excluded) == (4, 1)


def test_grouped_moments_and_count_answered_by_hand() -> None:
    df = pl.DataFrame(
        {"g": ["a", "a", "b", None], "y": [1.0, float("nan"), 3.0, 2.0], "w": [2.0, 1, 0, 1]},
        nan_to_null=False,
    )
    t = grouped_moments(df.lazy(), ["g"], "y", weights="w").sort_values("n", ascending=False)
    first = t.iloc[0]  # group a: the NaN is missing, as a null
    assert (first["n"], first["n_y"], first["sum_w_y"], first["sum_wy2"]) == (2, 1, 2.0, 2.0)
    assert count_answered(df, ["y"], weights="w") == (4, 3, 2)


def test_banner_counts_each_question_once(data: pd.DataFrame, monkeypatch: Any) -> None:
    # one grouped count per row question (by all banner variables), none per block
    banner_module = importlib.import_module("needlab.tables.banner")

    calls: list[list] = []
    real = banner_module.count_cells

    def spy(src: Any, keys: Any, **kw: Any) -> pd.DataFrame:
        calls.append(list(keys))
        return real(src, keys, **kw)

    monkeypatch.setattr(banner_module, "count_cells", spy)
    banner(pl.from_pandas(data).lazy(), ["sat", "speed"], ["region", "g"], weights="w")
    assert calls == [["sat", "region", "g"], ["speed", "region", "g"]]


def test_survey_scores_with_duckdb() -> None:
    survey = nl.read_survey("data/sample/survey_wave1.csv", codebook="data/sample/codebook.yaml")
    var = "sat_de_speed"
    _same_result(
        csat(survey, var, by="region", engine="pandas"),
        csat(survey, var, by="region", engine="duckdb"),
    )
    _same_result(
        compare_means(survey, var, "region", engine="pandas"),
        compare_means(survey, var, "region", engine="duckdb"),
        "pvalues",
    )
    a = banner(survey, [var], ["region"], means=[var], engine="pandas")
    b = banner(survey, [var], ["region"], means=[var], engine="duckdb")
    _same_result(a, b, "pvalues", "bases")


def with_multi(data: pd.DataFrame) -> pd.DataFrame:
    """Three 0/1 options (missing = not asked; one is boolean) added to the data."""
    rng = np.random.default_rng(11)
    n = len(data)
    a = rng.integers(0, 2, n).astype(float)
    b = rng.integers(0, 2, n).astype(float)
    a[:30] = np.nan
    b[:20] = np.nan
    c = rng.random(n) < 0.3
    return data.assign(ch_a=a, ch_b=b, ch_c=c)


@BACKEND
@WEIGHTS
def test_banner_multi_response_rows_equal_pandas(
    backend: str, weights: str | None, data: pd.DataFrame, con: Any, tmp_path: Path
) -> None:
    # counted per option in the engine: n and sum w of the rows choosing each option, and
    # the column bases over the rows answering the question, per banner category
    df = with_multi(data)
    df.loc[40:44, ["ch_a", "ch_b"]] = np.nan
    df["ch_c"] = df["ch_c"].astype(object).where(df.index > 44, None)  # 5 rows not asked
    df["ch_c"] = df["ch_c"].astype("boolean")
    pq = tmp_path / "multi.parquet"
    df.to_parquet(pq)
    src, engine_name = BACKENDS[backend](df, con, pq)
    engine: Any = engine_name
    q = multi(["ch_a", "ch_b", "ch_c"], labels={"ch_a": "Online"})
    a = banner(df, [q, "sat"], ["region", "g"], weights=weights, engine="pandas")
    b = banner(src, [q, "sat"], ["region", "g"], weights=weights, engine=engine)
    _same_result(a, b, "pvalues", "bases")
    assert "Online" in set(b.table["row"])
    # rows 0-19 and 40-44 leave all three options missing: not asked (hand count)
    assert any("25 missing 'ch_'" in note for note in b.notes)


def test_multi_response_banner_on_pandas_stays_in_pandas(data: pd.DataFrame) -> None:
    df = data.assign(a=(data["g"] == 1).astype(int), b=(data["g"] == 2).astype(int))
    q = multi(["a", "b"])
    _same_result(
        banner(df, [q, "sat"], ["region"], engine="pandas"),
        banner(df, [q, "sat"], ["region"], engine="duckdb"),
        "pvalues",
    )


# Bad input.


@pytest.mark.parametrize(
    "call",
    [
        lambda d, e: nps(d, "ltr", engine=e),
        lambda d, e: csat(d, "sat", engine=e),
        lambda d, e: top_box(d, ["sat"], engine=e),
        lambda d, e: compare_means(d, "sat", "region", engine=e),
        lambda d, e: banner(d, ["sat"], ["region"], engine=e),
    ],
)
def test_unknown_engine(call: Any, data: pd.DataFrame) -> None:
    with pytest.raises(ConfigError, match=r"engine='spark'.*'auto', 'pandas', 'duckdb'"):
        call(data, "spark")


def test_values_outside_the_scale_in_the_engine(data: pd.DataFrame) -> None:
    lazy = pl.from_pandas(data.assign(ltr=data["ltr"].where(data.index != 7, 11.0))).lazy()
    with pytest.raises(DataError, match=r"'ltr' has 1 values outside .* polars LazyFrame: 11"):
        nps(lazy, "ltr")
    with pytest.raises(DataError, match=r"'sat' has \d+ values outside .*scale=\(lowest"):
        csat(pl.from_pandas(data), "sat", scale=(1, 3))
    with pytest.raises(
        DataError, match=r"'sat' has \d+ answers beyond scale_max=4 in the duckdb.*: 5.0"
    ):
        top_box(duckdb.from_df(data), ["sat", "speed"], scale_max=4)


def test_text_in_a_score_column_in_the_engine(data: pd.DataFrame) -> None:
    df = pl.from_pandas(data.assign(ltr=data["ltr"].astype(str).replace("nan", None)))
    df = df.with_columns(
        pl.when(pl.int_range(pl.len()) == 3)
        .then(pl.lit("ten"))
        .otherwise(pl.col("ltr"))
        .alias("ltr")
    )
    with pytest.raises(DataError, match=r"'ltr' must be numeric .* polars DataFrame: .*ten"):
        nps(df, "ltr")
    with pytest.raises(DataError, match=r"'region' must be numeric in the polars DataFrame"):
        compare_means(df, "region", "g")


def test_columns_absent_in_the_engine(data: pd.DataFrame) -> None:
    lazy = pl.from_pandas(data).lazy()
    with pytest.raises(SchemaError, match=r"'sta' \(did you mean 'sat'\?\).*polars LazyFrame"):
        csat(lazy, "sta")
    with pytest.raises(SchemaError, match=r"'regoin' \(did you mean 'region'\?\)"):
        compare_means(lazy, "sat", "regoin")
    with pytest.raises(SchemaError, match=r"'regoin'.*polars LazyFrame"):
        banner(lazy, ["sat"], ["regoin"])


def test_bad_weights_in_the_engine(data: pd.DataFrame) -> None:
    df = pl.from_pandas(data).with_columns(pl.col("w").neg().alias("neg"))
    with pytest.raises(DataError, match=r"weights 'neg' has \d+ negative values in the polars"):
        compare_means(df, "sat", "region", weights="neg")
    with pytest.raises(DataError, match=r"weights 'neg' has \d+ negative values"):
        nps(df, "ltr", weights="neg")
    for call in (
        lambda: nps(df, "ltr", weights=data["w"].to_numpy()),
        lambda: compare_means(df, "sat", "g", weights=data["w"].to_numpy()),
        lambda: banner(df, ["sat"], ["g"], weights=data["w"].to_numpy()),
    ):
        with pytest.raises(ConfigError, match="must name one of its columns"):
            call()


def test_scores_and_multi_banner_variables_need_pandas_input(data: pd.DataFrame) -> None:
    lazy = pl.from_pandas(data).lazy()
    with pytest.raises(ConfigError, match=r"scores= recodes .*engine='pandas'"):
        compare_means(lazy, "sat", "g", scores={1.0: 0, 2.0: 0, 3.0: 50, 4.0: 100, 5.0: 100})
    df = pl.from_pandas(data.assign(a=1, b=0, text="1;2"))
    with pytest.raises(ConfigError, match="multi-response banner variables.*engine='pandas'"):
        banner(df, ["sat"], [multi(["a", "b"])])
    with pytest.raises(ConfigError, match=r"delimited multi-response question 'text'.*engine="):
        banner(df, [multi("text", delimiter=";")], ["region"])


def test_multi_response_values_other_than_0_1_in_the_engine(data: pd.DataFrame) -> None:
    df = pl.from_pandas(data.assign(a=1, b=np.where(data.index == 5, 2, 0)))
    with pytest.raises(
        DataError, match=r"column 'b' must hold 0/1 .* 1 other values in the polars"
    ):
        banner(df, [multi(["a", "b"])], ["region"])
    with pytest.raises(DataError, match=r"column 'a' must hold 0/1 .* it is String"):
        banner(df.with_columns(pl.lit("yes").alias("a")), [multi(["a", "b"])], ["region"])
