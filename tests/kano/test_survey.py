"""kano() on a Survey: the codebook's Kano pairs, weight and id columns, labelled segments."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import needlab as nl

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


@pytest.fixture(scope="module")
def survey() -> nl.Survey:
    return nl.read_survey(SAMPLE / "survey_wave1.csv", codebook=SAMPLE / "codebook.yaml")


def test_survey_equals_the_frame_with_weights_by_hand(survey) -> None:
    res = nl.kano(survey)
    by_hand = nl.kano(survey.data, survey.codebook.kano_pairs(), weights="weight")
    pd.testing.assert_frame_equal(res.table, by_hand.table)
    assert res.table["feature"].tolist() == survey.codebook.kano_pairs()["feature"].tolist()
    assert (res.n_used, res.n_excluded) == (len(survey.data), 0)
    assert res.respondents.index.equals(pd.Index(survey.data["resp_id"]))
    # The codebook as the second positional argument still works.
    pd.testing.assert_frame_equal(nl.kano(survey, survey.codebook).table, res.table)


def test_weights_false_is_the_unweighted_result(survey) -> None:
    res = nl.kano(survey, weights=False)
    plain = nl.kano(survey.data, survey.codebook)
    pd.testing.assert_frame_equal(res.table, plain.table)
    assert (res.table["n_eff"] == res.table["n"]).all()
    assert (res.table["A"] == res.table["A"].round()).all()  # unweighted counts


def test_by_shows_the_labels_of_the_segment_column(survey) -> None:
    res = nl.kano(survey, by="region")
    labels = set(survey.codebook.value_labels("region", "en").values())
    assert set(res.by_segment["region"]) == labels
    zh = nl.kano(survey, by="region", lang="zh")
    assert set(zh.by_segment["region"]) == set(
        survey.codebook.value_labels("region", "zh").values()
    )
    # the same counts as the codes
    codes = nl.kano(survey.data, survey.codebook, weights="weight", by="region")
    assert res.by_segment["A"].sum() == pytest.approx(codes.by_segment["A"].sum())
