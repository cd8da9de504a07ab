"""Tests of service_times: Kaplan-Meier with censored open tickets, against a standard.

Published examples:

- R ``survival::aml`` (acute myelogenous leukaemia, Miller 1981, *Survival Analysis*, p. 49),
  ``summary(survfit(Surv(time, status) ~ x, data = aml))``: the "Maintained" group prints
  survival 0.909 0.818 0.716 0.614 0.491 0.368 0.184, std.err 0.0867 0.1163 0.1397 0.1526
  0.1642 0.1627 0.1535, lower 95% CI 0.7541 0.6192 0.4884 0.3769 0.2549 0.1549 0.0359 (log
  intervals), and ``print`` gives the median 31 with 0.95LCL 18 and no UCL; "Nonmaintained":
  median 23, LCL 8.
- Freireich et al. (1963) 6-MP leukaemia remission data as tabulated in Kleinbaum & Klein
  (2012), *Survival Analysis: A Self-Learning Text*, 3rd ed., ch. 2: the 6-MP group's KM
  estimates 0.8571 0.8067 0.7529 0.6902 0.6275 0.5378 0.4482 at 6 7 10 13 16 22 23 weeks,
  median 23; Greenwood SEs 0.0764 0.0869 0.0963 0.1068 0.1141 0.1282 0.1346 (as printed by
  ``survfit`` on MASS::gehan).
"""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from needlab.errors import ConfigError, DataError, SchemaError
from needlab.plan.service import ServiceTimeResult, service_times

matplotlib.use("Agg")

AML = pd.DataFrame(
    {
        "hours": [
            9,
            13,
            13,
            18,
            23,
            28,
            31,
            34,
            45,
            48,
            161,
            5,
            5,
            8,
            8,
            12,
            16,
            23,
            27,
            30,
            33,
            43,
            45,
        ],
        "event": [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1],
        "x": ["Maintained"] * 11 + ["Nonmaintained"] * 12,
    }
)

SIX_MP = pd.DataFrame(
    {
        "weeks": [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35],
        "relapse": [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0],
    }
)


def _aml() -> ServiceTimeResult:
    return service_times(
        AML, opened=None, resolved="hours", times="hours", resolution_event="event", by="x"
    )


def test_aml_matches_r_survfit() -> None:
    res = _aml()
    km = res.km[(res.km["x"] == "Maintained") & (res.km["events"] > 0)]
    np.testing.assert_allclose(
        km["survival"], [0.909, 0.818, 0.716, 0.614, 0.491, 0.368, 0.184], atol=5e-4
    )
    np.testing.assert_allclose(
        km["se"], [0.0867, 0.1163, 0.1397, 0.1526, 0.1642, 0.1627, 0.1535], atol=5e-5
    )
    np.testing.assert_allclose(
        km["ci_low"], [0.7541, 0.6192, 0.4884, 0.3769, 0.2549, 0.1549, 0.0359], atol=5e-5
    )
    row = res.table.set_index("x").loc["Maintained"]
    assert row["median_hours"] == 31 and row["median_ci_low"] == 18
    assert np.isnan(row["median_ci_high"])
    assert any("upper limit is not reached" in n for n in res.notes)
    non = res.table.set_index("x").loc["Nonmaintained"]
    assert non["median_hours"] == 23 and non["median_ci_low"] == 8
    assert (non["n"], non["events"], non["censored"]) == (12, 11, 1)


def test_freireich_6mp_kleinbaum_klein() -> None:
    res = service_times(
        SIX_MP,
        opened=None,
        resolved="weeks",
        times="hours",
        resolution_event="relapse",
        standard=10.0,
        target_share=0.2,
    )
    km = res.km[res.km["events"] > 0]
    assert km["time"].tolist() == [6, 7, 10, 13, 16, 22, 23]
    np.testing.assert_allclose(
        km["survival"], [0.8571, 0.8067, 0.7529, 0.6902, 0.6275, 0.5378, 0.4482], atol=5e-5
    )
    np.testing.assert_allclose(
        km["se"], [0.0764, 0.0869, 0.0963, 0.1068, 0.1141, 0.1282, 0.1346], atol=5e-5
    )
    assert km["n_risk"].tolist() == [21, 17, 15, 12, 11, 7, 6]
    row = res.table.iloc[0]
    assert row["median_hours"] == 23
    # within the "standard" of 10 weeks: 1 - 0.7529, Greenwood SE 0.0963
    assert row["within_pct"] == pytest.approx(100 * (1 - 0.752941), abs=1e-3)
    assert row["within_se"] == pytest.approx(9.63, abs=0.01)
    # 24.7% with a log interval [1 - 0.9676, 1 - 0.5859]: straddles 20% -> not yet decidable
    assert row["within_ci_low"] == pytest.approx(3.24, abs=0.01)
    assert row["within_ci_high"] == pytest.approx(41.41, abs=0.01)
    assert row["status"] == "not yet decidable"


def test_hand_case_timestamps_and_censoring() -> None:
    tickets = pd.DataFrame(
        {
            "opened": [
                "2024-05-01 09:00",
                "2024-05-01 10:00",
                "2024-05-02 08:00",
                "2024-05-03 12:00",
                "2024-05-03 13:00",
            ],
            "resolved": [
                "2024-05-01 21:00",
                "2024-05-04 10:00",
                None,
                None,
                "2024-05-05 13:00",
            ],  # the last one ends after asof
        }
    )
    res = service_times(tickets, resolved="resolved", asof="2024-05-04 12:00")
    row = res.table.iloc[0]
    # durations: 12 (event), 72 (event), 52 (open), 24 (open), 23 (resolved after asof: open)
    assert (row["n"], row["events"], row["censored"]) == (5, 2, 3)
    km = res.km.set_index("time")
    assert km.at[12.0, "survival"] == pytest.approx(0.8)
    # at 72 h one ticket is at risk and resolved: S = 0
    assert km.at[72.0, "survival"] == 0.0 and km.at[72.0, "n_risk"] == 1
    assert row["median_hours"] == 72.0
    assert row["within_pct"] == pytest.approx(20.0)
    assert any("ended after asof" in n for n in res.notes)


def test_censored_tickets_are_never_counted_as_resolved() -> None:
    opened = pd.Timestamp("2024-01-01")
    df = pd.DataFrame(
        {
            "opened": [opened] * 6,
            "resolved": [opened + pd.Timedelta(hours=h) for h in (5, 10, 20)] + [pd.NaT] * 3,
        }
    )
    # the open tickets are open for only 30 h at asof
    res = service_times(df, resolved="resolved", asof=opened + pd.Timedelta(hours=30))
    row = res.table.iloc[0]
    assert row["events"] == 3 and row["censored"] == 3
    assert res.km["events"].sum() == 3
    # S stays at 0.5 after 20 h; at 48 h follow-up has ended with tickets still open -> NaN
    assert np.isnan(row["within_pct"]) and row["status"] == "not measurable"
    short = service_times(
        df, resolved="resolved", asof=opened + pd.Timedelta(hours=30), standard=24.0
    )
    assert short.table["within_pct"].iloc[0] == pytest.approx(50.0)


def test_status_rules() -> None:
    opened = pd.Timestamp("2024-01-01")

    def run(hours: list[float]) -> str:
        df = pd.DataFrame(
            {"opened": opened, "resolved": [opened + pd.Timedelta(hours=h) for h in hours]}
        )
        return str(service_times(df, resolved="resolved").table["status"].iloc[0])

    assert run([10.0] * 100) == "met"
    assert run([100.0] * 20 + [10.0] * 80) == "not met"
    assert run([10.0] * 9 + [100.0]) == "not yet decidable"


def test_first_response_and_resolution_together_with_zh() -> None:
    t0 = pd.Timestamp("2024-03-01 08:00")
    df = pd.DataFrame(
        {
            "opened": [t0, t0, t0],
            "first": [t0 + pd.Timedelta(hours=1), t0 + pd.Timedelta(hours=3), pd.NaT],
            "done": [t0 + pd.Timedelta(hours=30), pd.NaT, pd.NaT],
        }
    )
    res = service_times(
        df,
        first_response="first",
        resolved="done",
        asof=t0 + pd.Timedelta(hours=50),
        lang="zh",
    )
    tab = res.table.set_index("measure")
    assert tab.loc["first_response", "events"] == 2
    assert tab.loc["resolution", "events"] == 1
    assert tab.loc["first_response", "median_hours"] == 3.0
    assert set(res.table["status_label"]) <= {"达标", "未达标", "尚无定论", "无法衡量"}
    ax = res.plot()
    assert ax.lines
    import matplotlib.pyplot as plt

    plt.close("all")


def test_missing_opened_and_future_tickets_are_excluded() -> None:
    df = pd.DataFrame(
        {
            "opened": ["2024-01-01", None, "2024-01-02", "2024-02-01"],
            "resolved": ["2024-01-01 12:00", "2024-01-01", None, None],
        }
    )
    res = service_times(df, resolved="resolved", asof="2024-01-10")
    assert res.n_used == 2 and res.n_excluded == 2
    assert any("without 'opened'" in n for n in res.notes)
    assert any("opened after asof" in n for n in res.notes)


def test_hours_without_opened_leave_missing_durations_out() -> None:
    df = pd.DataFrame({"h": [5.0, np.nan, 30.0]})
    res = service_times(df, opened=None, resolved="h", times="hours")
    assert res.n_used == 2 and res.n_excluded == 1
    assert any("no opening time" in n for n in res.notes)


def test_hours_with_opened_censor_missing_at_asof() -> None:
    df = pd.DataFrame({"date": ["2024-01-01", "2024-01-02"], "h": [10.0, np.nan]})
    res = service_times(df, opened="date", resolved="h", times="hours", asof="2024-01-03")
    km = res.km
    assert km["time"].tolist() == [10.0, 24.0]
    assert km["events"].tolist() == [1, 0]


def test_median_not_reached_is_nan_with_note() -> None:
    df = pd.DataFrame({"h": [5.0, 50.0, 60.0, 70.0], "e": [1, 0, 0, 0]})
    res = service_times(df, opened=None, resolved="h", times="hours", resolution_event="e")
    assert np.isnan(res.table["median_hours"].iloc[0])
    assert any("median is not reached" in n for n in res.notes)


# ----------------------------------------------------------------------------- bad input
def test_resolution_before_request_names_rows() -> None:
    df = pd.DataFrame(
        {"opened": ["2024-01-02", "2024-01-01"], "resolved": ["2024-01-01", "2024-01-03"]}
    )
    with pytest.raises(DataError, match=r"'resolved' is before 'opened'.*rows 0"):
        service_times(df, resolved="resolved")


def test_negative_hours_name_rows() -> None:
    df = pd.DataFrame({"h": [1.0, -2.0, 3.0]})
    with pytest.raises(DataError, match=r"'h' has negative durations -2.0 at rows 1"):
        service_times(df, opened=None, resolved="h", times="hours")


def test_infinite_hours() -> None:
    df = pd.DataFrame({"h": [1.0, np.inf]})
    with pytest.raises(DataError, match="infinite"):
        service_times(df, opened=None, resolved="h", times="hours")


def test_bad_event_flag_names_values() -> None:
    df = pd.DataFrame({"h": [1.0, 2.0], "e": [1, "yes"]})
    with pytest.raises(DataError, match=r"'e'.*'yes' at rows 1"):
        service_times(df, opened=None, resolved="h", times="hours", resolution_event="e")


def test_event_without_hours() -> None:
    df = pd.DataFrame({"h": [1.0, np.nan], "e": [1, 1]})
    with pytest.raises(DataError, match=r"flags an event but 'h' has no hours at rows 1"):
        service_times(df, opened=None, resolved="h", times="hours", resolution_event="e")


def test_config_errors() -> None:
    df = pd.DataFrame({"opened": ["2024-01-01"], "resolved": ["2024-01-02"]})
    with pytest.raises(ConfigError, match="first_response= and/or resolved="):
        service_times(df)
    with pytest.raises(ConfigError, match=r"times='minutes' is not valid; choose one of"):
        service_times(df, resolved="resolved", times="minutes")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="need times='hours'"):
        service_times(df, resolved="resolved", resolution_event="resolved")
    with pytest.raises(ConfigError, match="standard must be a positive number"):
        service_times(df, resolved="resolved", standard=0)
    with pytest.raises(ConfigError, match="target_share must be a share"):
        service_times(df, resolved="resolved", target_share=90)
    with pytest.raises(ConfigError, match="opened=None works only"):
        service_times(df, opened=None, resolved="resolved")
    with pytest.raises(SchemaError, match="closed"):
        service_times(df, resolved="closed")


# ----------------------------------------------------------------------------- properties
@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(min_value=1, max_value=200), min_size=1, max_size=40),
    st.integers(min_value=1, max_value=200),
)
def test_without_censoring_km_is_the_empirical_share(hours: list[int], standard: int) -> None:
    df = pd.DataFrame({"h": np.asarray(hours, dtype=float)})
    res = service_times(df, opened=None, resolved="h", times="hours", standard=float(standard))
    row = res.table.iloc[0]
    h = np.asarray(hours)
    assert row["within_pct"] == pytest.approx(100 * np.mean(h <= standard))
    # median: smallest t with share of times > t at most a half
    srt = np.sort(h)
    expected = srt[int(np.ceil(len(h) / 2)) - 1]
    assert row["median_hours"] == expected


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 100), st.booleans()), min_size=1, max_size=40))
def test_km_is_monotone_and_events_are_only_observed_ends(rows: list[tuple[int, bool]]) -> None:
    df = pd.DataFrame({"h": [float(r[0]) for r in rows], "e": [int(r[1]) for r in rows]})
    res = service_times(df, opened=None, resolved="h", times="hours", resolution_event="e")
    s = res.km["survival"].to_numpy()
    assert np.all(np.diff(s) <= 1e-12) and np.all((s >= 0) & (s <= 1))
    assert int(res.km["events"].sum()) == int(df["e"].sum())
    assert np.all(res.km["ci_low"] <= s + 1e-12) and np.all(s <= res.km["ci_high"] + 1e-12)
