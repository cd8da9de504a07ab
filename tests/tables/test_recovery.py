"""Planted truth: wave-to-wave KPI changes of the sample data are found, non-changes are not.

``needlab.datasets.make_sample(0).truth.waves`` lists the KPIs the generator planted, with
``changed=True`` for a real wave-1 -> wave-2 shift. The survey answers are read from the
committed sample files with the codebook, so the satisfaction code 99 ("don't know / not
applicable", a user-missing value) becomes missing and stays out of the % satisfied, as a
researcher would analyse them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from needlab import read_survey
from needlab.datasets import make_sample
from needlab.tables.scores import compare_csat, compare_nps

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
ALPHA = 0.05


@pytest.fixture(scope="module")
def waves() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    def read(name: str) -> pd.DataFrame:
        return read_survey(SAMPLE / name, codebook=SAMPLE / "codebook.yaml").data

    return read("survey_wave1.csv"), read("survey_wave2.csv"), make_sample(0).truth.waves


def compare(kpi: str, w1: pd.DataFrame, w2: pd.DataFrame):
    if kpi == "nps":
        return compare_nps(w1, w2, col="ltr", weights="weight", ci=0.99)
    item = kpi.removeprefix("top2_")
    return compare_csat(w1, w2, col=item, top=[4, 5], weights="weight", ci=0.99)


def test_truth_covers_both_outcomes(waves) -> None:
    truth = waves[2]
    assert truth["changed"].any() and (~truth["changed"]).any()
    assert "nps" in truth["kpi"].tolist()
    w1, w2, _ = waves
    # The codebook turned the user-missing 99 into missing values.
    assert not (w1.filter(like="sat_") == 99).any().any()
    assert w1["sat_as_speed"].isna().sum() > 200


def test_planted_changes_found_and_non_changes_not(waves) -> None:
    w1, w2, truth = waves
    for row in truth.itertuples():
        res = compare(row.kpi, w1, w2)
        if row.changed:
            assert res.p_value < ALPHA, f"{row.kpi}: planted change {row.diff} not found (p={res.p_value:.3g})"
            assert res.diff * row.diff > 0, f"{row.kpi}: wrong direction {res.diff:.2f}"
        else:
            assert res.p_value > ALPHA, f"{row.kpi}: no change planted, yet p={res.p_value:.3g}"
        # The true difference lies within the 99% interval of the estimate.
        assert res.ci_low <= row.diff <= res.ci_high, (row.kpi, res.ci_low, row.diff, res.ci_high)
