"""rfm counted by DuckDB, Polars (eager and lazy), a DuckDB relation, SQLFrame on DuckDB and a
Parquet file gives the pandas path's results: integers exactly, floats to 1e-9 relative."""

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
from needlab.segment.rfm import rfm
from needlab.segment.rfm_engine import day_expr, period_expr

RTOL = 1e-9


def hand_case() -> pd.DataFrame:
    """Ties, missing ids and dates, a refund-only customer, zero amounts, an exact duplicate,
    id variants merged by NFKC and trimming, and a future row."""
    return pd.DataFrame(
        {
            "c": ["a", "a", "a ", "ａ", "b", "b", "c", None, "d", "d", "e", "f", "f", "g"],
            "d": [
                "2024-01-01",
                "2024-01-01",
                "2024-01-05",
                "2024-02-01",
                "2024-01-03",
                "2024-01-03",
                "2024-02-01",
                "2024-01-02",
                None,
                "2024-01-20",
                "2024-01-10",
                "2024-01-15",
                "2024-01-20",
                "2030-01-01",
            ],
            "o": [
                "o1",
                "o1",
                "o2",
                "o3",
                "o4",
                "o4",
                "o5",
                "o6",
                "o7",
                "o8",
                "o9",
                "o10",
                "o11",
                "o12",
            ],
            "v": [10.0, 5.0, 20.0, 0.0, 7.0, 7.0, -3.0, 4.0, 2.0, 9.0, 9.0, 9.0, -9.0, 1.0],
        }
    )


CASES = {
    "sample": (
        lambda: nl.load_sample().transactions,
        dict(customer="customer_id", date="order_date", amount="amount", asof="2024-12-31"),
    ),
    "hand": (hand_case, dict(customer="c", date="d", amount="v", asof="2024-02-10")),
}


@pytest.fixture(scope="module", params=list(CASES))
def case(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    make, kw = CASES[request.param]
    df = make()
    path = tmp_path_factory.mktemp("rfm") / f"{request.param}.parquet"
    df.to_parquet(path)
    return df, kw, path


def _unordered(note: str) -> Any:
    return sorted(note) if "merged after Unicode" in note else note


def _same(a: nl.segment.rfm.RFMResult, b: nl.segment.rfm.RFMResult) -> None:
    pd.testing.assert_frame_equal(a.table, b.table, rtol=RTOL, check_dtype=False)
    for c in ("recency", "frequency", "r", "f", "m", "score"):
        assert np.array_equal(a.table[c].to_numpy(), b.table[c].to_numpy())
    assert (a.n_used, a.n_excluded) == (b.n_used, b.n_excluded)
    # the variants of a merged id are listed in an engine's group order
    assert [_unordered(n) for n in a.notes] == [_unordered(n) for n in b.notes]
    assert a.asof == b.asof


@pytest.mark.filterwarnings("ignore::needlab.errors.NeedlabWarning")
@pytest.mark.parametrize("backend", list(BACKENDS))
@pytest.mark.parametrize(
    "opts",
    [
        {},
        {"order": "o"},
        {"duplicates": "drop"},
        {"refunds": "drop"},
        {"bins": 3, "ties": "average"},
    ],
    ids=["default", "order", "dups", "refunds", "bins3"],
)
def test_rfm_engines_equal_pandas(backend: str, opts: dict[str, Any], case: Any, con: Any) -> None:
    df, kw, path = case
    if "order" in opts and "o" not in df:
        opts = {"order": "order_id"}
    ref = rfm(df, **kw, **opts)
    data, engine = BACKENDS[backend](df, con, path)
    _same(ref, rfm(data, **kw, **opts, engine=engine))


def test_hand_case_values() -> None:
    """Hand computation: 'a', 'a ' and 'ａ' are one customer (days Jan 1, Jan 5, Feb 1: three
    occasions, spend 35); 'c' has only a refund (excluded); the row of 'g' is after asof."""
    df = hand_case()
    with pytest.warns(nl.errors.NeedlabWarning):
        res = rfm(pl.from_pandas(df).lazy(), customer="c", date="d", amount="v", asof="2024-02-10")
    t = res.table.set_index("c")
    assert t.loc["a", ["frequency", "recency"]].tolist() == [3, 9]
    assert t.loc["a", "monetary"] == pytest.approx(35.0)
    assert t.loc["b", "frequency"] == 1 and t.loc["b", "monetary"] == 14.0
    assert t.loc["f", "monetary"] == 0.0 and t.loc["f", "frequency"] == 1
    assert "c" not in t.index and "g" not in t.index
    # 14 rows: missing id, missing date, future row, the refund-only customer's row
    assert (res.n_used, res.n_excluded) == (10, 4)


def test_day_and_period_ordinals_match_pandas(con: Any) -> None:
    import narwhals as nw

    days = pd.to_datetime(
        ["1960-02-29", "1969-12-28", "1969-12-29", "1970-01-01", "2000-02-29", "2024-12-31"]
    )
    df = pd.DataFrame({"d": days})
    for native in (pl.from_pandas(df).lazy(), con.from_df(df)):
        lf = nw.from_native(native).lazy()
        got = lf.select(
            day_expr(lf, "d", native).alias("D"),
            *[period_expr(lf, "d", native, f).alias(f) for f in "WMQY"],
        )
        out = got.collect().to_pandas()
        assert out["D"].tolist() == days.to_numpy().astype("datetime64[D]").astype(int).tolist()
        for f in "WMQY":
            assert out[f].tolist() == [pd.Period(d, f).ordinal for d in days]


def test_time_zone_wall_clock_in_polars() -> None:
    """A zoned timestamp is read at its wall-clock day, as pandas does: 23:30 and 00:30 the next
    day in Shanghai are two purchase days (in UTC both fall on Jan 1: 15:30 and 16:30)."""
    ts = pd.to_datetime(["2024-01-01 23:30", "2024-01-02 00:30"]).tz_localize("Asia/Shanghai")
    df = pd.DataFrame({"c": ["x", "x"], "d": ts, "v": [1.0, 2.0]})
    kw = dict(customer="c", date="d", amount="v", asof="2024-01-10")
    ref = rfm(df, **kw)
    got = rfm(pl.from_pandas(df), **kw)
    assert ref.table["frequency"].tolist() == got.table["frequency"].tolist() == [2]
    assert ref.table["recency"].tolist() == got.table["recency"].tolist() == [8]


@pytest.mark.filterwarnings("ignore::needlab.errors.NeedlabWarning")
def test_bad_engine_inputs(tmp_path: Path) -> None:
    df = hand_case()
    kw = dict(customer="c", date="d", amount="v", asof="2024-02-10")
    with pytest.raises(SchemaError, match="'v'.*not numbers"):
        rfm(pl.from_pandas(df.assign(v=df["v"].astype(str))), **kw)
    with pytest.raises(SchemaError, match="'d'.*not a date"):
        rfm(pl.from_pandas(df.assign(d=np.arange(len(df)))), **kw)
    with pytest.raises(SchemaError, match="'cust'"):
        rfm(pl.from_pandas(df), customer="cust", date="d", amount="v")
    with pytest.raises(ConfigError, match="engine='duckdb'"):
        rfm(pl.from_pandas(df), **kw, engine="duckdb")
    with pytest.raises(ConfigError, match="engine="):
        rfm(df, **kw, engine="spark")  # type: ignore[arg-type]
    with pytest.raises(DataError, match="does not exist"):
        rfm(str(tmp_path / "none.parquet"), **kw)
    with pytest.raises(DataError, match="negative amounts"):
        rfm(pl.from_pandas(df), **kw, refunds="error")
    with pytest.raises(DataError, match="missing values"):
        rfm(pl.from_pandas(df.assign(v=df["v"].where(df.index != 2))), **kw)
    with pytest.raises(DataError, match="dates after"):
        rfm(pl.from_pandas(df), **kw, future="error")
