"""A Survey as ``data`` for every needlab.regress function (docs/conventions.md): the codes are
analysed, ``weights=None`` takes the codebook's weight column and ``weights=False`` is an
unweighted analysis."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import needlab as nl
from needlab.errors import DataError

DATA = Path(__file__).resolve().parents[2] / "data" / "sample"
ITEMS = ["sat_pu_price", "sat_pu_checkout", "sat_de_speed", "sat_us_perf", "sat_us_quality"]
ATTS = ["att_newtech", "att_smarthome", "att_compare_price", "att_wait_promo", "att_design"]


@pytest.fixture(scope="module")
def survey() -> Any:
    return nl.read_survey(DATA / "survey_wave1.csv", codebook=DATA / "codebook.yaml")


CALLS = {
    "regress": lambda d, **kw: nl.regress(d, "overall_sat", ITEMS, **kw),
    "key_drivers": lambda d, **kw: nl.key_drivers(d, "overall_sat", ITEMS, **kw),
    "kda": lambda d, **kw: nl.kda(d, "overall_sat", ITEMS, **kw),
    "ipa": lambda d, **kw: nl.ipa(d, "overall_sat", ITEMS, **kw),
    "factors": lambda d, **kw: nl.factors(d, ATTS, n_iter=20, random_state=0, **kw),
    "trend": lambda d, **kw: nl.trend(d, "overall_sat", time="region", **kw),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_survey_uses_codebook_weights_and_codes(survey: Any, name: str) -> None:
    call = CALLS[name]
    assert survey.codebook.weight == "weight"
    by_hand = call(survey.data, weights="weight")
    res = call(survey)
    pd.testing.assert_frame_equal(res.table, by_hand.table)
    assert (res.n_used, res.n_excluded) == (by_hand.n_used, by_hand.n_excluded)
    assert res.n_used + res.n_excluded == len(survey.data)
    unweighted = call(survey, weights=False)
    pd.testing.assert_frame_equal(unweighted.table, call(survey.data).table)
    # the weights matter: the weighted and unweighted results differ
    numeric = by_hand.table.select_dtypes("number").to_numpy(float)
    plain = unweighted.table.select_dtypes("number").to_numpy(float)
    assert not np.allclose(numeric, plain, equal_nan=True)


def test_survey_weight_column_with_invalid_weights_raises(survey: Any) -> None:
    import dataclasses

    bad = survey.data.copy()
    bad.loc[3, "weight"] = np.nan
    broken = dataclasses.replace(survey, data=bad)
    with pytest.raises(DataError, match="weights 'weight' has 1 missing"):
        nl.regress(broken, "overall_sat", ITEMS)
