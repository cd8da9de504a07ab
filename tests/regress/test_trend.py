"""Tests of KPI trends and forecasts (needlab.regress.trend)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from needlab.errors import ConfigError, DataError, SchemaError
from needlab.regress.trend import trend


def kpi() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": [2017, 2018, 2019, 2020, 2021, 2022, 2023],
            "share": [21.0, 22.5, 22.1, 24.0, 25.2, 25.0, 27.1],
        }
    )


def test_slope_and_prediction_interval_equal_statsmodels():
    sm = pytest.importorskip("statsmodels.api")
    df = kpi()
    res = trend(df, "share", time="year", forecast=3, ci=0.9)
    fit = sm.OLS(df["share"], sm.add_constant(df["year"].astype(float))).fit()
    row = res.table.iloc[0]
    assert row["slope"] == pytest.approx(fit.params["year"], rel=1e-10)
    assert row["se"] == pytest.approx(fit.bse["year"], rel=1e-10)
    assert row["p_value"] == pytest.approx(fit.pvalues["year"], rel=1e-8)
    lo, hi = fit.conf_int(alpha=0.1).loc["year"]
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((lo, hi), rel=1e-10)
    assert row["r2"] == pytest.approx(fit.rsquared, rel=1e-10)
    assert row["n"] == 7 and row["n_periods"] == 7
    p = res.predictions
    assert p["period"].tolist() == list(range(2017, 2027))
    assert p["forecast"].tolist() == [False] * 7 + [True] * 3
    years = np.arange(2017, 2027, dtype=float)
    pred = fit.get_prediction(np.column_stack([np.ones(10), years])).summary_frame(alpha=0.1)
    np.testing.assert_allclose(p["fitted"], pred["mean"], rtol=1e-10)
    np.testing.assert_allclose(p["lower"], pred["obs_ci_lower"], rtol=1e-10)
    np.testing.assert_allclose(p["upper"], pred["obs_ci_upper"], rtol=1e-10)
    np.testing.assert_allclose(p["mean_low"], pred["mean_ci_lower"], rtol=1e-10)
    np.testing.assert_allclose(p["mean_high"], pred["mean_ci_upper"], rtol=1e-10)
    np.testing.assert_allclose(p["observed"][:7], df["share"])
    assert p["observed"][7:].isna().all()


def test_weighted_equals_statsmodels_wls_with_mean_one_weights():
    sm = pytest.importorskip("statsmodels.api")
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"t": np.repeat(np.arange(6), 30)})
    df["v"] = 50 + 1.5 * df["t"] + rng.normal(0, 5, len(df))
    df["w"] = rng.uniform(0.2, 3, len(df))
    res = trend(df, "v", time="t", weights="w", forecast=2)
    w = df["w"] / df["w"].mean()
    fit = sm.WLS(df["v"], sm.add_constant(df["t"].astype(float)), weights=w).fit()
    assert res.table["slope"].iloc[0] == pytest.approx(fit.params["t"], rel=1e-10)
    assert res.table["se"].iloc[0] == pytest.approx(fit.bse["t"], rel=1e-10)
    assert res.table["r2"].iloc[0] == pytest.approx(fit.rsquared, rel=1e-10)
    t_new = np.arange(8, dtype=float)
    pred = fit.get_prediction(np.column_stack([np.ones(8), t_new])).summary_frame(alpha=0.05)
    p = res.predictions
    np.testing.assert_allclose(p["lower"], pred["obs_ci_lower"], rtol=1e-10)
    np.testing.assert_allclose(p["mean_high"], pred["mean_ci_upper"], rtol=1e-10)
    obs = df.groupby("t").apply(lambda g: np.average(g["v"], weights=g["w"]), include_groups=False)
    np.testing.assert_allclose(p["observed"][:6], obs.to_numpy())
    assert p["n"][:6].tolist() == [30] * 6


def test_planted_trend_recovered_from_respondent_rows():
    rng = np.random.default_rng(1)
    waves = [f"wave {i}" for i in range(1, 11)]  # natural order: wave 2 before wave 10
    df = pd.DataFrame({"wave": rng.choice(waves, 4000)})
    pos = df["wave"].str.slice(5).astype(int) - 1
    df["sat"] = 60 + 0.8 * pos + rng.normal(0, 8, len(df))
    res = trend(df, "sat", time="wave")
    row = res.table.iloc[0]
    assert row["ci_low"] < 0.8 < row["ci_high"]
    assert row["p_value"] < 1e-10
    assert res.predictions["period"].tolist() == waves
    assert res.time_kind == "ordinal"
    assert any("wave 1" in n and "order=" in n for n in res.notes)


def test_by_groups_and_missing_rows():
    rng = np.random.default_rng(2)
    df = pd.DataFrame(
        {"month": np.tile(np.arange(12), 2), "region": np.repeat(["north", "south"], 12)}
    )
    df["kpi"] = np.where(df["region"] == "north", 10 + 0.5 * df["month"], 20 - 0.3 * df["month"])
    df["kpi"] += rng.normal(0, 0.05, len(df))
    df.loc[3, "kpi"] = np.nan
    df.loc[5, "region"] = None
    res = trend(df, "kpi", time="month", by="region", forecast=2)
    t = res.table.set_index("group")
    assert t.loc["north", "slope"] == pytest.approx(0.5, abs=0.02)
    assert t.loc["south", "slope"] == pytest.approx(-0.3, abs=0.02)
    assert t.loc["north", "n"] == 10 and t.loc["south", "n"] == 12
    assert res.n_excluded == 2
    assert any("2 of 24 rows excluded" in n for n in res.notes)
    p = res.predictions
    assert set(p["group"]) == {"north", "south"}
    fc = p[p["forecast"]]
    assert fc["period"].tolist() == [12, 13, 12, 13]
    sub = trend(df[df["region"] == "south"], "kpi", time="month", forecast=2)
    np.testing.assert_allclose(p.loc[p["group"] == "south", "upper"], sub.predictions["upper"])


def test_datetime_periods_and_forecast_dates():
    dates = pd.date_range("2024-01-01", periods=6, freq="MS")
    df = pd.DataFrame({"date": dates, "nps": [30.0, 31, 33, 32, 35, 36]})
    res = trend(df, "nps", time="date", forecast=2)
    p = res.predictions
    assert list(p["period"][-2:]) == list(pd.date_range("2024-07-01", periods=2, freq="MS"))
    assert p["t"].tolist() == [0, 1, 2, 3, 4, 5, 6, 7]
    np.testing.assert_allclose(res.table["slope"], np.polyfit(np.arange(6), df["nps"], 1)[0])


def test_period_dtype_order_and_categorical():
    per = pd.period_range("2023Q1", periods=5, freq="Q")
    df = pd.DataFrame({"q": per, "v": [1.0, 2, 2.5, 4, 5]})
    res = trend(df, "v", time="q", forecast=1)
    assert res.predictions["period"].iloc[-1] == pd.Period("2024Q2", freq="Q")
    df2 = pd.DataFrame({"w": ["spring", "summer", "autumn"] * 2, "v": [1.0, 2, 3, 1.2, 2.1, 2.9]})
    a = trend(df2, "v", time="w", order=["spring", "summer", "autumn"])
    assert a.table["slope"].iloc[0] == pytest.approx(0.925)
    df2["w"] = pd.Categorical(df2["w"], categories=["spring", "summer", "autumn"], ordered=True)
    b = trend(df2, "v", time="w")
    assert b.table["slope"].iloc[0] == pytest.approx(0.925)
    with pytest.raises(DataError, match="'winter'"):
        trend(
            pd.DataFrame({"w": ["winter", "spring"], "v": [1, 2]}),
            "v",
            time="w",
            order=["spring", "summer"],
        )


def test_errors():
    df = kpi()
    with pytest.raises(ConfigError, match="forecast"):
        trend(df, "share", time="year", forecast=-1)
    with pytest.raises(ConfigError, match="ci"):
        trend(df, "share", time="year", ci=95)
    with pytest.raises(SchemaError, match="not found"):
        trend(df, "shares", time="year")
    with pytest.raises(DataError, match="2 periods"):
        trend(pd.DataFrame({"t": [1, 1, 1], "v": [1.0, 2, 3]}), "v", time="t")
    df["g"] = ["a"] * 6 + ["b"]
    with pytest.raises(DataError, match="group 'b'"):
        trend(df, "share", time="year", by="g")
    df["txt"] = "x"
    with pytest.raises(DataError, match="non-numeric"):
        trend(df, "txt", time="year")


def test_plot_and_repr():
    import matplotlib.pyplot as plt

    res = trend(kpi(), "share", time="year", forecast=2)
    ax = res.plot()
    assert ax.get_title() == "Trend of share"
    obs = res.predictions[~res.predictions["forecast"]]
    points, fitted, forecast = ax.lines[0], ax.lines[1], ax.lines[2]
    np.testing.assert_allclose(points.get_ydata(), obs["observed"])
    np.testing.assert_allclose(fitted.get_ydata(), obs["fitted"])
    assert forecast.get_linestyle() == "--" and len(forecast.get_xdata()) == 3  # last + 2
    assert len(ax.collections) == 1  # the prediction band
    assert res._repr_html_() == res._repr_html_()
    assert "slope" in repr(res)
    assert set(res.tables()) == {"trend", "predictions"}
    df = pd.DataFrame(
        {"w": ["w1", "w2", "w3"] * 2, "g": ["a"] * 3 + ["b"] * 3, "v": [1.0, 2, 3, 2, 2, 3]}
    )
    trend(df, "v", time="w", by="g", forecast=1).plot()
    plt.close("all")
