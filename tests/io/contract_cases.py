"""Result-contract cases of needlab.io (collected by tests/test_result_contract.py).

Each builder takes the sample (``nl.load_sample()``) and returns ``(result, rows given)``; the
unit is respondents (rows of ``survey_wave1``).
"""

from __future__ import annotations

from typing import Any

import needlab as nl


def _quality(sample: Any) -> tuple[Any, int]:
    df = sample.survey_wave1
    return nl.quality(df, codebook=sample.codebook_obj()), len(df)


CASES = {"QualityReport": _quality}
