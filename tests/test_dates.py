"""The one date parser: formats read as written, never guessed, never silently swapped."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from needlab._dates import parse_dates
from needlab.errors import DataError

DAYS = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31))


def _iso(s: pd.Series) -> list[str]:
    return s.dt.strftime("%Y-%m-%d").fillna("NaT").tolist()


# --- hand cases --------------------------------------------------------------------------------


def test_integer_yyyymmdd_is_not_1970() -> None:
    # the observed bug: 19970101 read as nanoseconds since 1970
    out = parse_dates(pd.Series([19970101, 20240131]))
    assert _iso(out) == ["1997-01-01", "2024-01-31"]


def test_float_yyyymmdd_with_missing() -> None:
    out = parse_dates(pd.Series([19970101.0, np.nan]))
    assert _iso(out) == ["1997-01-01", "NaT"]


def test_other_integers_are_an_error() -> None:
    with pytest.raises(DataError, match=r"'d' holds numbers that are not YYYYMMDD.*45123.*rows 1"):
        parse_dates(pd.Series([20240101, 45123]), column="d")


def test_impossible_yyyymmdd_is_an_error() -> None:
    with pytest.raises(DataError, match=r"20241345.*rows 0"):
        parse_dates(pd.Series([20241345]), column="d")


def test_day_first_proven_by_a_day_above_12() -> None:
    # the observed bug: format="mixed" read 01/02/2024 month-first next to 31/01/2024 day-first
    out = parse_dates(pd.Series(["31/01/2024", "01/02/2024"]))
    assert _iso(out) == ["2024-01-31", "2024-02-01"]


def test_month_first_proven_by_a_second_field_above_12() -> None:
    out = parse_dates(pd.Series(["01/31/2024", "01/02/2024"]))
    assert _iso(out) == ["2024-01-31", "2024-01-02"]


def test_ambiguous_day_month_names_the_option() -> None:
    with pytest.raises(DataError, match=r"'order_date'.*either way.*'01/02/2024'.*dayfirst=True"):
        parse_dates(pd.Series(["01/02/2024", "03/04/2024"]), column="order_date")


@pytest.mark.parametrize(("dayfirst", "expected"), [(True, "2024-02-01"), (False, "2024-01-02")])
def test_dayfirst_option(dayfirst: bool, expected: str) -> None:
    assert _iso(parse_dates(pd.Series(["01/02/2024"]), dayfirst=dayfirst)) == [expected]


def test_mixed_day_first_and_month_first_is_an_error() -> None:
    with pytest.raises(
        DataError, match=r"mixes day-first and month-first.*'31/01/2024'.*'01/31/2024'"
    ):
        parse_dates(pd.Series(["31/01/2024", "01/31/2024"]), column="d")


def test_dayfirst_contradicted_by_the_data_is_an_error() -> None:
    with pytest.raises(DataError, match=r"day-first dates.*'01/31/2024'"):
        parse_dates(pd.Series(["01/31/2024"]), column="d", dayfirst=True)


def test_iso_and_slashes_and_times() -> None:
    out = parse_dates(pd.Series(["2024-01-31", "2024/02/01 10:30", None]))
    assert out.dt.strftime("%Y-%m-%d %H:%M").fillna("NaT").tolist() == [
        "2024-01-31 00:00",
        "2024-02-01 10:30",
        "NaT",
    ]


def test_chinese_dates() -> None:
    assert _iso(parse_dates(pd.Series(["2024年1月5日", "2023年12月31日"]))) == [
        "2024-01-05",
        "2023-12-31",
    ]


def test_time_zone_dropped_keeping_wall_time() -> None:
    s = pd.Series(pd.to_datetime(["2024-01-01 08:00"]).tz_localize("Asia/Shanghai"))
    assert parse_dates(s).dt.strftime("%Y-%m-%d %H:%M").tolist() == ["2024-01-01 08:00"]


def test_explicit_format_is_strict() -> None:
    assert _iso(parse_dates(pd.Series(["31.01.2024"]), date_format="%d.%m.%Y")) == ["2024-01-31"]
    with pytest.raises(DataError, match=r"'2024-01-31' at rows 1"):
        parse_dates(pd.Series(["31.01.2024", "2024-01-31"]), column="d", date_format="%d.%m.%Y")


def test_one_bad_value_in_a_format_names_it() -> None:
    with pytest.raises(DataError, match=r"'not a date' at rows 1"):
        parse_dates(pd.Series(["2024-01-31", "not a date"]), column="d")


@pytest.mark.parametrize("values", [["a"], [True, False], ["2024-01-01", 5]])
def test_non_dates_are_errors(values: list[object]) -> None:
    with pytest.raises(DataError, match="'d'"):
        parse_dates(pd.Series(values), column="d")


def test_all_missing_gives_nat() -> None:
    out = parse_dates(pd.Series([None, None], dtype=object))
    assert out.isna().all() and pd.api.types.is_datetime64_any_dtype(out)


# --- properties: formatted dates come back as they were --------------------------------------

FORMATS = [
    ("%Y-%m-%d", None),
    ("%Y/%m/%d", None),
    ("%Y%m%d", None),
    ("%Y年%m月%d日", None),
    ("%d/%m/%Y", True),
    ("%m/%d/%Y", False),
    ("%d.%m.%Y", True),
]


@given(st.lists(DAYS, min_size=1, max_size=20), st.sampled_from(FORMATS))
def test_round_trip_of_formatted_dates(
    days: list[dt.date], fmt_first: tuple[str, bool | None]
) -> None:
    fmt, dayfirst = fmt_first
    text = pd.Series([d.strftime(fmt) for d in days])
    out = parse_dates(text, dayfirst=dayfirst)
    assert [t.date() for t in out] == days


@given(st.lists(DAYS, min_size=1, max_size=20))
def test_round_trip_of_integer_yyyymmdd(days: list[dt.date]) -> None:
    ints = pd.Series([int(d.strftime("%Y%m%d")) for d in days])
    assert [t.date() for t in parse_dates(ints)] == days


@given(st.lists(DAYS, min_size=1, max_size=20), st.sampled_from(["%d/%m/%Y", "%m/%d/%Y"]))
def test_day_month_never_silently_swapped(days: list[dt.date], fmt: str) -> None:
    """Without dayfirst=, a day/month column is read correctly or refused, never swapped."""
    text = pd.Series([d.strftime(fmt) for d in days])
    try:
        out = parse_dates(text)
    except DataError as exc:
        assert "either way" in str(exc)
        return
    assert [t.date() for t in out] == days
