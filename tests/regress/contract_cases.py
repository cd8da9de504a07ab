"""Result-contract cases of needlab.regress (collected by tests/test_result_contract.py).

Each builder takes the sample (``nl.load_sample()``) and returns ``(result, rows given)``; the
unit is respondents (rows of ``survey_wave1``).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

import needlab as nl

ITEMS = ["sat_pu_price", "sat_pu_checkout", "sat_de_speed", "sat_us_perf", "sat_us_quality"]


def _drivers(sample: Any) -> tuple[Any, int]:
    df = sample.survey_wave1
    return nl.key_drivers(df, "overall_sat", ITEMS, weights="weight"), len(df)


def _factors(sample: Any) -> tuple[Any, int]:
    df = sample.survey_wave1
    atts = [c for c in df.columns if c.startswith("att_")]
    return nl.factors(df, atts, weights="weight", n_iter=20, random_state=0), len(df)


def _ipa(sample: Any) -> tuple[Any, int]:
    df = sample.survey_wave1
    return nl.ipa(df, "overall_sat", ITEMS, weights="weight"), len(df)


def _kda(sample: Any) -> tuple[Any, int]:
    df = sample.survey_wave1
    return nl.kda(df, "overall_sat", ITEMS, weights="weight"), len(df)


def _regress(sample: Any) -> tuple[Any, int]:
    df = sample.survey_wave1
    return nl.regress(df, "overall_sat", ITEMS, weights="weight"), len(df)


def _trend(sample: Any) -> tuple[Any, int]:
    df = sample.survey.assign(month=lambda d: pd.to_datetime(d["date"]).dt.to_period("M"))
    return nl.trend(df, "overall_sat", time="month", weights="weight", forecast=2), len(df)


CASES = {
    "DriverResult": _drivers,
    "FactorResult": _factors,
    "IPAResult": _ipa,
    "KDAResult": _kda,
    "RegressionResult": _regress,
    "TrendResult": _trend,
}
