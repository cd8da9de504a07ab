"""market_size / market_trend: volume, shares, growth, CAGR by hand, period parsing, forecast."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import needlab as nl
from needlab.errors import DataError, SchemaError
from needlab.market.size import market_size, market_trend, parse_periods


def _market() -> pd.DataFrame:
    rows = []
    vals = {
        "2021H1": (30, 60, 10),
        "2021H2": (33, 62, 10),
        "2022H1": (36, 66, 11),
        "2022H2": (40, 70, 11),
    }
    for p, v in vals.items():
        for b, x in zip(("Lumo", "Vetta", "Others"), v, strict=True):
            rows.append({"period": p, "brand": b, "kpi": "units", "value": float(x), "unit": "k"})
            rows.append({"period": p, "brand": b, "kpi": "revenue", "value": 9.0 * x, "unit": "y"})
    return pd.DataFrame(rows)


def test_volume_shares_growth_cagr_by_hand() -> None:
    res = market_size(_market())
    t = res.table
    assert res.brands is not None
    assert t["volume"].tolist() == [100, 105, 113, 121]
    assert t["growth"].iloc[1] == pytest.approx(0.05)
    # 3 half-years = 1.5 years: (121/100) ** (1/1.5) - 1
    assert res.cagr == pytest.approx(1.21 ** (1 / 1.5) - 1)
    assert res.per_year == 2
    sh = res.shares
    assert sh.groupby("period")["share"].sum().tolist() == pytest.approx([1, 1, 1, 1])
    lumo = res.brands.set_index("brand").loc["Lumo"]
    assert lumo["first_share"] == pytest.approx(0.30)
    assert lumo["last_share"] == pytest.approx(40 / 121)
    assert lumo["cagr"] == pytest.approx((40 / 30) ** (1 / 1.5) - 1)
    assert (res.n_used, res.n_excluded) == (12, 0)


def test_share_slope_per_year() -> None:
    df = pd.DataFrame(
        {
            "period": ["2021Q1", "2021Q2", "2021Q3"] * 2,
            "brand": ["A"] * 3 + ["B"] * 3,
            "value": [10.0, 20.0, 30.0, 90.0, 80.0, 70.0],
        }
    )
    res = market_size(df, kpi=None)
    # A's share 0.1, 0.2, 0.3 per quarter -> 0.4 per year
    assert res.brands.set_index("brand").loc["A", "share_slope_per_year"] == pytest.approx(0.4)


@pytest.mark.parametrize(
    ("labels", "per", "diff"),
    [
        (["2020", "2021", "2023"], 1, [0, 1, 3]),
        (["2020H2", "2021-H1"], 2, [0, 1]),
        (["2020Q4", "2021q1"], 4, [0, 1]),
        (["2020-12", "2021-01", "2021M03"], 12, [0, 1, 3]),
        ([2020, 2022], 1, [0, 2]),
    ],
)
def test_parse_periods(labels: list[object], per: int, diff: list[int]) -> None:
    t, p = parse_periods(labels)
    assert p == per and (t - t[0]).tolist() == diff


def test_unparseable_periods() -> None:
    with pytest.raises(DataError, match=r"'period'.*'2021 first half'.*rows 1.*2021H1"):
        parse_periods(["2021H1", "2021 first half"])
    with pytest.raises(DataError, match="mixes period forms"):
        parse_periods(["2021H1", "2021Q3"])
    with pytest.raises(DataError, match="2021-13"):
        parse_periods(["2021-12", "2021-13"])
    df = _market()
    df.loc[0, "period"] = "H1 2021"
    with pytest.raises(DataError, match="H1 2021"):
        market_size(df)


def test_other_bad_input() -> None:
    df = _market()
    with pytest.raises(DataError, match="kpi='sales'.*'units'"):
        market_size(df, kpi="sales")
    with pytest.raises(SchemaError, match="brandx"):
        market_size(df, brand="brandx")
    dup = pd.concat([df, df.iloc[[0]]])
    with pytest.raises(DataError, match="repeat a brand within a period.*'Lumo' in 2021H1"):
        market_size(dup)
    neg = df.copy()
    neg.loc[0, "value"] = -1.0
    with pytest.raises(DataError, match="negative"):
        market_size(neg)
    with pytest.raises(DataError, match="at least 3"):
        market_trend(df[df["period"].isin(["2021H1", "2021H2"])])


def test_missing_values_excluded_with_note() -> None:
    df = _market()
    df.loc[df.index[(df["kpi"] == "units")][0], "value"] = np.nan
    res = market_size(df)
    assert (res.n_used, res.n_excluded) == (11, 1)
    assert any("fewer brands" in n for n in res.notes)


def test_trend_recovers_exponential_growth() -> None:
    per = [f"{y}Q{q}" for y in range(2020, 2024) for q in range(1, 5)]
    v = 100 * 1.02 ** np.arange(16)  # 2% a quarter
    res = market_trend(pd.DataFrame({"period": per, "brand": "x", "value": v}), kpi=None, horizon=4)
    assert res.trend_cagr == pytest.approx(1.02**4 - 1)
    assert res.cagr == pytest.approx(1.02**4 - 1)
    fut = res.table[res.table["forecast"]]
    assert fut["period"].tolist() == ["2024Q1", "2024Q2", "2024Q3", "2024Q4"]
    assert fut["fitted"].iloc[-1] == pytest.approx(100 * 1.02**19)
    assert (res.table["lower"] <= res.table["fitted"]).all()


def test_trend_interval_is_trends_interval() -> None:
    rng = np.random.default_rng(3)
    v = 50 * np.exp(0.05 * np.arange(8) + rng.normal(0, 0.03, 8))
    df = pd.DataFrame({"period": [str(2015 + i) for i in range(8)], "brand": "x", "value": v})
    res = market_trend(df, kpi=None, horizon=2, ci=0.9)
    ref = nl.trend(
        pd.DataFrame({"t": np.arange(8.0), "y": np.log(v)}), "y", time="t", forecast=2, ci=0.9
    )
    assert ref.predictions is not None
    assert np.allclose(res.table["upper"], np.exp(ref.predictions["upper"]))
    res.plot()
    res.plot(kind="shares")


def test_competitors_sample() -> None:
    res = market_trend(nl.load_sample().competitors, kpi="share", horizon=2)
    assert res.per_year == 2 and len(res.table) == 6


def test_sample_market_cagr() -> None:
    s = nl.load_sample()
    market = getattr(s, "market", None)
    truth = getattr(s.truth, "market", None)
    if market is None or truth is None:
        pytest.skip("sample has no market.csv yet")
    planted = getattr(truth, "market_cagr", None)
    if planted is None:
        pytest.skip("truth.market has no market_cagr")
    res = market_trend(market, kpi="units")
    assert res.per_year == 2
    assert res.trend_cagr == pytest.approx(float(planted), abs=0.02)
    assert res.cagr == pytest.approx(float(planted), abs=0.03)
