"""clv_summary counted by DuckDB, Polars (eager and lazy), a DuckDB relation, SQLFrame on DuckDB
and a Parquet file gives the pandas path's results: integers exactly, floats to 1e-9 relative."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd
import polars as pl
import pytest
from engine_backends import BACKENDS

import needlab as nl
from needlab._engine import Engine
from needlab.errors import ConfigError, DataError, SchemaError
from needlab.segment.clv import clv_summary

RTOL = 1e-9


def hand_case() -> pd.DataFrame:
    """Id variants merged by NFKC and trimming (a refund of 'a ' nets with an order of 'a' on
    Jan 5), a missing id and date, a refund-only customer, a refund-only period, a negative net
    occasion, zero amounts and a future row."""
    return pd.DataFrame(
        {
            "c": ["a", "a", "a", "a ", "ａ", "b", "b", "c", None, "d", "d", "e", "f", "f", "g"],
            "d": [
                "2024-01-01",
                "2024-01-01",
                "2024-01-05",
                "2024-01-05",
                "2024-02-01",
                "2024-01-03",
                "2024-01-20",
                "2024-02-01",
                "2024-01-02",
                None,
                "2024-01-20",
                "2024-01-10",
                "2024-01-15",
                "2024-01-15",
                "2030-01-01",
            ],
            "v": [10.0, 5.0, 20.0, -4.0, 0.0, 7.0, -2.0, -3.0, 4.0, 2.0, 9.0, 9.0, 1.0, -5.0, 1.0],
        }
    )


CASES: dict[str, Any] = {
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
    path = tmp_path_factory.mktemp("clv") / f"{request.param}.parquet"
    df.to_parquet(path)
    return df, kw, path


def _unordered(note: str) -> Any:
    return sorted(note) if "merged after Unicode" in note else note


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, rtol=RTOL, check_dtype=False, check_index_type=False)
    for c in ("frequency", "recency", "age"):
        assert np.array_equal(a[c].to_numpy(), b[c].to_numpy())
    for k in ("freq", "asof", "n_used", "n_excluded", "customers_excluded"):
        assert a.attrs[k] == b.attrs[k], k
    assert [_unordered(n) for n in a.attrs["notes"]] == [_unordered(n) for n in b.attrs["notes"]]


@pytest.mark.filterwarnings("ignore::needlab.errors.NeedlabWarning")
@pytest.mark.parametrize("backend", list(BACKENDS))
@pytest.mark.parametrize(
    "opts",
    [{}, {"freq": "W"}, {"freq": "M"}, {"freq": "Q", "amount": None}, {"asof": None}],
    ids=["D", "W", "M", "Q-no-amount", "default-asof"],
)
def test_clv_summary_engines_equal_pandas(
    backend: str, opts: dict[str, Any], case: Any, con: Any
) -> None:
    df, kw, path = case
    kw = {**kw, **opts}
    ref = clv_summary(df, **kw)
    data, engine = BACKENDS[backend](df, con, path)
    _same(ref, clv_summary(data, **kw, engine=cast(Engine, engine)))


@pytest.mark.filterwarnings("ignore::needlab.errors.NeedlabWarning")
def test_hand_case_values() -> None:
    """By hand (asof 2024-02-10): 'a', 'a ' and 'ａ' are one customer with occasions Jan 1
    (15), Jan 5 (20 - 4 = 16) and Feb 1 (0): frequency 2, recency 31, age 40, monetary 8;
    'b': Jan 3 (7) and Jan 20 only a refund (dropped): frequency 0; 'c' only a refund
    (excluded); 'f': Jan 15 nets 1 - 5 = -4, set to 0; 'g' is after asof."""
    df = hand_case()
    t = clv_summary(
        pl.from_pandas(df).lazy(), customer="c", date="d", amount="v", asof="2024-02-10"
    )
    fra = ("frequency", "recency", "age")
    assert t[list(fra)].loc["a"].to_numpy().tolist() == [2, 31, 40]
    assert t.loc["a", "monetary"] == pytest.approx(8.0)
    assert t[list(fra)].loc["b"].to_numpy().tolist() == [0, 0, 38]
    assert t.loc["f", "frequency"] == 0
    assert "c" not in t.index and "g" not in t.index
    assert t.attrs["customers_excluded"] == 1
    # 15 rows: missing id, missing date, future row, the refund-only customer's row
    assert (t.attrs["n_used"], t.attrs["n_excluded"]) == (11, 4)
    notes = " ".join(t.attrs["notes"])
    # refund-only periods: "b" on Jan 20 and "c" on Feb 1
    assert "2 customer-periods with only refunds dropped" in notes
    assert "1 purchase occasions with a negative net value set to 0" in notes


@pytest.mark.filterwarnings("ignore::needlab.errors.NeedlabWarning")
def test_bad_engine_inputs(tmp_path: Path) -> None:
    df = hand_case()
    kw: dict[str, Any] = dict(customer="c", date="d", amount="v", asof="2024-02-10")
    with pytest.raises(ConfigError, match="engine=.*'auto', 'pandas', 'duckdb'"):
        clv_summary(df, **kw, engine="spark")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="engine='duckdb'.*engine='auto'"):
        clv_summary(pl.from_pandas(df), **kw, engine="duckdb")
    with pytest.raises(SchemaError, match=r"'cust' not found.*Available columns: \['c'"):
        clv_summary(pl.from_pandas(df), customer="cust", date="d", amount="v")
    with pytest.raises(SchemaError, match="'v'.*not numbers"):
        clv_summary(pl.from_pandas(df.assign(v=df["v"].astype(str))), **kw)
    with pytest.raises(SchemaError, match="'d'.*not a date"):
        clv_summary(pl.from_pandas(df.assign(d=np.arange(len(df)))), **kw)
    with pytest.raises(DataError, match="does not exist"):
        clv_summary(str(tmp_path / "none.parquet"), **kw)
    with pytest.raises(DataError, match="'v' has 1 missing values.*fill them"):
        clv_summary(pl.from_pandas(df.assign(v=df["v"].where(df.index != 2))), **kw)
    with pytest.raises(DataError, match="'v' has 2 infinite values.*nonfinite='drop'"):
        clv_summary(pl.from_pandas(df.assign(v=df["v"].replace(9.0, np.inf))), **kw)
    with pytest.raises(DataError, match="'d' has 1 dates after asof=2024-02-10.*future='drop'"):
        clv_summary(pl.from_pandas(df), **kw, future="error")
    with pytest.raises(DataError, match="no transactions on or before asof=2000-01-01"):
        clv_summary(pl.from_pandas(df), **{**kw, "asof": "2000-01-01"})
