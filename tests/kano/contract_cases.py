"""Result-contract cases of needlab.kano (collected by tests/test_result_contract.py).

Each builder takes the sample (``nl.load_sample()``) and returns ``(result, rows given)``; the
unit is respondents (rows of ``survey_wave1``). ``max_questionable=1`` excludes some of them, so
the case checks that exclusions are counted and explained.
"""

from __future__ import annotations

from typing import Any

import needlab as nl


def _kano(sample: Any) -> tuple[Any, int]:
    df = sample.survey_wave1
    res = nl.kano(df, sample.codebook_obj(), weights="weight", by="region", max_questionable=1)
    return res, len(df)


CASES = {"KanoResult": _kano}
