"""Tests of needlab.plan.control: published textbook examples, hand computations, a simulated
in-control property and bad input."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib
import numpy as np
import pandas as pd
import pytest

from needlab.errors import ConfigError, DataError, SchemaError
from needlab.plan.control import ChartKind, control_chart

matplotlib.use("Agg")

# Montgomery, Introduction to Statistical Quality Control (7th ed., 2013), Table 9.1: 30
# observations, the first 20 from N(10, 1), the last 10 from N(11, 1).
MONTGOMERY = [
    *(9.45, 7.99, 9.29, 11.66, 12.16, 10.18, 8.04, 11.46, 9.20, 10.34, 9.03, 11.47, 10.51, 9.40),
    *(10.08, 9.37, 10.62, 10.31, 8.52, 10.84, 10.90, 9.33, 12.29, 11.50, 10.60, 11.08, 10.38),
    *(11.62, 11.31, 10.52),
]
# Montgomery Table 9.2 (tabular CUSUM, mu0 = 10, sigma = 1, k = 0.5, h = 5): C+ for periods 1-30.
MONTGOMERY_C_PLUS = [
    *(0.0, 0.0, 0.0, 1.16, 2.82, 2.50, 0.04, 1.00, 0.0, 0.0, 0.0, 0.97, 0.98, 0.0, 0.0),
    *(0.0, 0.12, 0.0, 0.0, 0.34, 0.74, 0.0, 1.79, 2.79, 2.89, 3.47, 3.35, 4.47, 5.28, 5.30),
]
# Wheeler, Making Sense of Data (2003), p. 382, "Data Set to Use When Verifying Software", with
# the published X-bar 4135.50, mR-bar 355.93, LNPL 3188.72, UNPL 5082.28 and URL 1163.19.
WHEELER = [5045, 4350, 4350, 3975, 4290, 4430, 4485, 4285, 3980, 3925, 3645, 3760, 3300, 3685]
WHEELER += [3463, 5200]
# Pyzdek & Keller, The Handbook for Quality Management (2nd ed., 2013), Table 9.6: bruised peaches
# per shipment (one or two crates of 250), 1544 of 8000.
PEACHES_N = [250] * 10 + [500] * 3 + [250] * 8 + [500] * 4
PEACHES_X = [47, 42, 55, 51, 46, 61, 39, 44, 41, 51, 88, 101, 101, 40, 48, 47, 50, 48, 57, 45]
PEACHES_X += [43, 105, 98, 100, 96]


def frame(values: Sequence[float]) -> pd.DataFrame:
    return pd.DataFrame({"x": np.asarray(values, dtype=float)})


# --- published examples ------------------------------------------------------------------


def test_cusum_reproduces_montgomery_table_9_2() -> None:
    res = control_chart(frame(MONTGOMERY), "x", kind="cusum", centre=10, sigma=1, k=0.5, h=5)
    assert res.table["c_plus"].round(2).tolist() == MONTGOMERY_C_PLUS
    # C- of the first periods: 0.05, 1.56, 1.77, then reset by x4 = 11.66
    assert res.table["c_minus"].iloc[:4].round(2).tolist() == [0.05, 1.56, 1.77, 0.0]
    assert res.table["ucl"].iloc[0] == pytest.approx(5.0)
    assert res.signals["position"].tolist() == [29, 30]  # C+ 5.28 > H = 5 at period 29
    assert set(res.signals["direction"]) == {"up"}
    assert res.phases[["K", "H"]].iloc[0].tolist() == [0.5, 5.0]


def test_ewma_reproduces_montgomery_example_9_2() -> None:
    """lam = 0.1, L = 2.7, mu0 = 10, sigma = 1: z1 = 9.945, z2 = 9.7495, limits 9.73/10.27 at
    t = 1, 9.64/10.36 at t = 2, approaching 9.38/10.62."""
    res = control_chart(frame(MONTGOMERY), "x", kind="ewma", centre=10, sigma=1, lam=0.1, L=2.7)
    t = res.table
    assert t["ewma"].iloc[:2].tolist() == pytest.approx([9.945, 9.7495])
    assert t[["lcl", "ucl"]].iloc[0].round(2).tolist() == [9.73, 10.27]
    assert t[["lcl", "ucl"]].iloc[1].round(2).tolist() == [9.64, 10.36]
    assert t[["lcl", "ucl"]].iloc[-1].round(2).tolist() == [9.38, 10.62]
    # a second method: the EWMA as weights on past observations
    lam, x = 0.1, np.asarray(MONTGOMERY)
    i = 27  # z_28 = sum lam (1-lam)^j x_{28-j} + (1-lam)^28 mu0
    direct = sum(lam * (1 - lam) ** j * x[i - j] for j in range(i + 1)) + (1 - lam) ** (i + 1) * 10
    assert t["ewma"].iloc[i] == pytest.approx(direct)
    assert res.signals["position"].tolist() == [29, 30]


def test_xmr_reproduces_wheeler_verification_data() -> None:
    res = control_chart(frame(WHEELER), "x", kind="xmr", screen=False)
    ph = res.phases.iloc[0]
    assert round(ph["centre"], 2) == 4135.50
    assert round(ph["mr_bar"], 2) == 355.93
    assert round(res.table["lcl"].iloc[0], 2) == 3188.72
    assert round(res.table["ucl"].iloc[0], 2) == 5082.28
    assert round(res.table["mr_ucl"].iloc[0], 2) == 1163.19
    # the last value, 5200, is beyond the UNPL and its moving range 1737 beyond the URL
    assert res.signals[["position", "rule"]].values.tolist() == [
        [16, "beyond"],
        [16, "mr_beyond"],
    ]


def test_xmr_moving_range_screen() -> None:
    """Wheeler's screen drops the moving range 1737 > 3.268 * 355.93 and recomputes mR-bar from
    the other 14: (5339 - 1737) / 14 = 257.29."""
    res = control_chart(frame(WHEELER), "x")
    assert res.phases["mr_bar"].iloc[0] == pytest.approx((5339 - 1737) / 14)
    assert res.phases["mr_screened"].iloc[0] == 1
    assert res.table["ucl"].iloc[0] == pytest.approx(4135.5 + 2.66 * 3602 / 14)
    assert any("Wheeler" in n for n in res.notes)


def test_p_chart_stair_step_limits_pyzdek_peaches() -> None:
    df = pd.DataFrame({"bruised": PEACHES_X, "peaches": PEACHES_N})
    res = control_chart(df, "bruised", kind="p", n="peaches")
    t = res.table
    pbar = 1544 / 8000
    assert t["centre"].iloc[0] == pytest.approx(0.193)
    s250, s500 = np.sqrt(pbar * (1 - pbar) / 250), np.sqrt(pbar * (1 - pbar) / 500)
    assert t["ucl"].iloc[0] == pytest.approx(pbar + 3 * s250)  # 0.2679
    assert t["lcl"].iloc[10] == pytest.approx(pbar - 3 * s500)  # 0.1401
    assert round(t["ucl"].iloc[0], 4) == 0.2679 and round(t["ucl"].iloc[10], 4) == 0.2459
    assert t["value"].iloc[5] == pytest.approx(0.244)
    assert not t["signal"].any()


def test_laney_p_by_hand() -> None:
    x = np.array([120.0, 180, 90, 160, 210, 100])
    n = np.array([1000.0, 1200, 900, 1100, 1300, 1000])
    res = control_chart(pd.DataFrame({"x": x, "n": n}), "x", kind="laney_p", n="n")
    pbar = x.sum() / n.sum()
    s = np.sqrt(pbar * (1 - pbar) / n)
    z = (x / n - pbar) / s
    sigma_z = np.mean([abs(z[i] - z[i - 1]) for i in range(1, 6)]) / 1.128
    assert res.phases["sigma_z"].iloc[0] == pytest.approx(sigma_z)
    assert res.table["ucl"].tolist() == pytest.approx(list(pbar + 3 * s * sigma_z))
    p_chart = control_chart(pd.DataFrame({"x": x, "n": n}), "x", kind="p", n="n")
    # over-dispersed: the p chart flags points that the p' chart does not
    assert sigma_z > 1 and p_chart.table["signal"].sum() > res.table["signal"].sum()


def test_percent_scale_and_clipping() -> None:
    df = pd.DataFrame({"share": [2.0, 0.0, 4.0, 1.0], "n": [50, 50, 50, 50]})
    res = control_chart(df, "share", kind="p", n="n", scale="percent")
    pbar = 0.0175
    assert res.table["centre"].iloc[0] == pytest.approx(1.75)
    assert res.table["lcl"].eq(0).all()  # pbar - 3 sigma < 0: clipped
    assert res.table["ucl"].iloc[0] == pytest.approx(100 * (pbar + 3 * np.sqrt(pbar * 0.9825 / 50)))
    assert any("clipped" in n for n in res.notes)


# --- baselines, phases, rules -------------------------------------------------------------


def test_frozen_baseline_judges_later_points() -> None:
    df = frame([10, 11, 9, 10, 12, 10, 30])
    res = control_chart(df, "x", baseline=6)
    assert res.table["baseline"].tolist() == [True] * 6 + [False]
    # centre and mR-bar from the first 6 points only: 62/6 and (1+2+1+2+2)/5
    assert res.table["centre"].iloc[-1] == pytest.approx(62 / 6)
    assert res.phases["mr_bar"].iloc[0] == pytest.approx(1.6)
    assert res.signals["position"].tolist() == [7, 7]
    same = control_chart(df, "x", baseline=slice(0, 6))
    assert same.table["ucl"].tolist() == res.table["ucl"].tolist()


def test_rebase_gives_each_phase_its_own_limits() -> None:
    dates = pd.date_range("2024-01-01", periods=12, freq="MS")
    df = pd.DataFrame({"month": dates, "x": [10, 11, 9, 10, 11, 9, 20, 21, 19, 20, 21, 19.0]})
    res = control_chart(df, "x", date="month", rebase=["2024-07-01"])
    t = res.table
    assert t["phase"].tolist() == [1] * 6 + [2] * 6
    assert res.phases["centre"].tolist() == pytest.approx([10.0, 20.0])
    assert not t["signal"].any()
    # the moving range across the phase boundary is not computed
    assert np.isnan(t["mr"].iloc[6])
    by_date = control_chart(df, "x", date="month", baseline=("2024-01-01", "2024-03-01"))
    assert by_date.table["baseline"].sum() == 3


def test_run_rules() -> None:
    x = [0.0, 1, -1, 0.5, -0.5, 1.2, -1.2] + [0.3] * 8
    res = control_chart(frame(x), "x", centre=0.0, sigma=1.0)
    run = res.signals[res.signals["rule"] == "run8"]
    assert run["position"].tolist() == [15]  # the 8th point in a row above 0
    trend = control_chart(frame([0, 1, 2, 3, 4, 5, 4.0]), "x", sigma=5.0, rules=["trend6"])
    assert trend.signals["position"].tolist() == [6]
    zones = control_chart(
        frame([0, 2.5, 0.1, 2.2, 0.0]), "x", centre=0.0, sigma=1.0, rules=["2of3"]
    )
    assert zones.signals["position"].tolist() == [4]


def test_missing_values_are_excluded_and_counted() -> None:
    df = frame([10, np.nan, 11, 9, 10, np.nan, 12])
    res = control_chart(df, "x")
    assert (res.n_used, res.n_excluded) == (5, 2)
    assert any("2 rows excluded" in n for n in res.notes)
    assert not res.table.isna().drop(columns="mr").any().any()


def test_in_control_series_gives_few_signals() -> None:
    """Seeded in-control series: beyond-limit signals stay near the nominal 0.27 %."""
    rng = np.random.default_rng(20240601)
    total, beyond = 0, 0
    for _ in range(20):
        x = rng.normal(50, 4, 200)
        res = control_chart(frame(list(x)), "x", rules=["beyond"])
        total += 200
        beyond += len(res.signals)
        counts = rng.binomial(400, 0.3, 50)
        p = control_chart(pd.DataFrame({"x": counts, "n": 400}), "x", kind="p", n="n")
        total += 50
        beyond += int((p.signals["rule"] == "beyond").sum())
    assert beyond / total < 0.01


def test_plot_draws_every_kind() -> None:
    df = pd.DataFrame({"x": PEACHES_X, "n": PEACHES_N})
    p_kinds: tuple[ChartKind, ...] = ("p", "laney_p")
    for kind in p_kinds:
        ax = control_chart(df, "x", kind=kind, n="n", rebase=[13]).plot()
        assert ax.get_title()
    other: tuple[ChartKind, ...] = ("xmr", "ewma", "cusum")
    for kind in other:
        ax = control_chart(frame(MONTGOMERY), "x", kind=kind, lang="zh").plot()
        assert len(ax.lines) > 3


# --- bad input ----------------------------------------------------------------------------


def test_too_few_points_names_how_many() -> None:
    with pytest.raises(DataError, match="at least 2 points.*has 1"):
        control_chart(frame([5.0]), "x", kind="xmr")
    with pytest.raises(DataError, match="at least 2 baseline points in phase 1.*has 1"):
        control_chart(frame([5.0, 6, 7, 8]), "x", kind="ewma", baseline=1)
    # known centre and sigma need no baseline
    res = control_chart(frame([5.0]), "x", kind="ewma", centre=5.0, sigma=1.0)
    assert res.n_used == 1


def test_p_chart_sizes_and_counts_name_rows() -> None:
    with pytest.raises(DataError, match=r"'n'.*values <= 0: 0.0 at rows 1.*n > 0"):
        control_chart(pd.DataFrame({"x": [1, 2], "n": [10, 0]}), "x", kind="p", n="n")
    with pytest.raises(DataError, match=r"'x'.*above n.*12.0 at rows 0.*scale="):
        control_chart(pd.DataFrame({"x": [12, 2], "n": [10, 10]}), "x", kind="p", n="n")
    with pytest.raises(DataError, match=r"outside \[0, 100\]"):
        control_chart(
            pd.DataFrame({"x": [120, 2], "n": [10, 10]}), "x", kind="p", n="n", scale="percent"
        )
    with pytest.raises(DataError, match="p-bar is 0"):
        control_chart(pd.DataFrame({"x": [0, 0], "n": [10, 10]}), "x", kind="p", n="n")


def test_options_are_checked() -> None:
    with pytest.raises(ConfigError, match="kind='pp' is not valid"):
        control_chart(frame([1.0, 2]), "x", kind="pp")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="needs n="):
        control_chart(frame([1.0, 2]), "x", kind="p")
    with pytest.raises(ConfigError, match="n= is used only"):
        control_chart(pd.DataFrame({"x": [1.0, 2], "n": 3}), "x", n="n")
    with pytest.raises(ConfigError, match=r"rules \['run8'\] do not apply to kind='ewma'"):
        control_chart(frame([1.0, 2, 3]), "x", kind="ewma", rules=["beyond", "run8"])
    with pytest.raises(ConfigError, match="lam must be"):
        control_chart(frame([1.0, 2, 3]), "x", kind="ewma", lam=0.0)
    with pytest.raises(ConfigError, match="sigma= does not apply"):
        control_chart(pd.DataFrame({"x": [1, 2], "n": 3}), "x", kind="p", n="n", sigma=1.0)
    with pytest.raises(ConfigError, match="between 1 and 3"):
        control_chart(frame([1.0, 2, 3]), "x", rebase=[7])


def test_bad_columns_and_dates() -> None:
    with pytest.raises(SchemaError, match="'y'"):
        control_chart(frame([1.0, 2]), "y")
    df = pd.DataFrame({"d": ["2024-01-01", "2024-01-01", "2024-02-01"], "x": [1.0, 2, 3]})
    with pytest.raises(DataError, match="repeated date.*one row per period"):
        control_chart(df, "x", date="d")
    with pytest.raises(DataError, match="zero width"):
        control_chart(frame([3.0, 3, 3]), "x")
