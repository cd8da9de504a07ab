"""Result-contract cases of needlab.tables (collected by tests/test_result_contract.py).

Each builder takes the sample (``nl.load_sample()``) and returns ``(result, rows given)``; the
unit is respondents (rows of ``survey_wave1``, and of ``survey_wave2`` for the comparison of
two waves).
"""

from __future__ import annotations

from typing import Any

import needlab as nl

ITEMS = ["sat_de_speed", "sat_pu_price", "sat_us_perf"]


def _freq(sample: Any) -> tuple[Any, int]:
    df = sample.survey_wave1
    return nl.freq(df, "sat_de_speed", weights="weight"), len(df)


def _crosstab(sample: Any) -> tuple[Any, int]:
    df = sample.survey_wave1
    return nl.crosstab(df, "sat_de_speed", "region", weights="weight"), len(df)


def _banner(sample: Any) -> tuple[Any, int]:
    df = sample.survey_wave1
    res = nl.banner(df, ITEMS[:2], ["gender", "region"], means=["overall_sat"], weights="weight")
    return res, len(df)


def _means(sample: Any) -> tuple[Any, int]:
    df = sample.survey_wave1
    return nl.compare_means(df, "overall_sat", "region", weights="weight"), len(df)


def _nps(sample: Any) -> tuple[Any, int]:
    df = sample.survey_wave1
    return nl.nps(df, "ltr", by="region", weights="weight"), len(df)


def _csat(sample: Any) -> tuple[Any, int]:
    df = sample.survey_wave1
    return nl.csat(df, "overall_sat", scale=(1, 10), top=[9, 10], weights="weight"), len(df)


def _top_box(sample: Any) -> tuple[Any, int]:
    df = sample.survey_wave1
    return nl.top_box(df, ITEMS, scale_max=5, by="gender", weights="weight"), len(df)


def _comparison(sample: Any) -> tuple[Any, int]:
    w1, w2 = sample.survey_wave1, sample.survey_wave2
    res = nl.compare_nps(w1, w2, var="ltr", weights="weight", names=("wave 1", "wave 2"))
    return res, len(w1) + len(w2)


def _rake(sample: Any) -> tuple[Any, int]:
    df = sample.survey_wave1
    targets = {
        "gender": {1: 0.5, 2: 0.5},
        "region": {1: 0.2, 2: 0.25, 3: 0.2, 4: 0.15, 5: 0.1, 6: 0.1},
    }
    return nl.rake(df, targets), len(df)


CASES = {
    "BannerResult": _banner,
    "ComparisonResult": _comparison,
    "CrosstabResult": _crosstab,
    "CSATResult": _csat,
    "FreqResult": _freq,
    "MeansResult": _means,
    "NPSResult": _nps,
    "RakeResult": _rake,
    "TopBoxResult": _top_box,
}
