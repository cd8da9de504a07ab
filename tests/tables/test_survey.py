"""A Survey as data: the same tables as the hand-passed DataFrame and weights.

Tables that show answers (freq, crosstab, banner, compare_means' columns, groups of scores) show
the codebook's labels; scores and means use the codes; ``weights=None`` takes the codebook's
weight column and ``weights=False`` is unweighted.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import needlab as nl

PATH = "data/sample/survey_wave1.csv"
CODEBOOK = "data/sample/codebook.yaml"


@pytest.fixture(scope="module")
def survey() -> nl.Survey:
    return nl.read_survey(PATH, codebook=CODEBOOK)


@pytest.fixture(scope="module")
def labelled(survey: nl.Survey) -> pd.DataFrame:
    return survey.labelled()


def test_freq_shows_labels_and_weights(survey: nl.Survey, labelled: pd.DataFrame) -> None:
    r = nl.freq(survey, "region")
    by_hand = nl.freq(labelled, "region", weights="weight")
    pd.testing.assert_frame_equal(r.table, by_hand.table)
    assert "North" in r.table["value"].tolist()
    unweighted = nl.freq(survey, "region", weights=False)
    pd.testing.assert_frame_equal(unweighted.table, nl.freq(labelled, "region").table)
    assert not np.allclose(unweighted.table["percent"], r.table["percent"])
    # Unweighted counts are the codes' counts: the labels only rename them.
    codes = survey.data["region"].value_counts()
    assert sorted(unweighted.table["n"]) == sorted(codes.tolist())


def test_crosstab_and_banner(survey: nl.Survey, labelled: pd.DataFrame) -> None:
    r = nl.crosstab(survey, "sat_de_speed", "region")
    by_hand = nl.crosstab(labelled, "sat_de_speed", "region", weights="weight")
    pd.testing.assert_frame_equal(r.percent, by_hand.percent)
    assert "Very satisfied" in r.percent.index and "North" in r.percent.columns
    assert (r.n_used, r.n_excluded) == (by_hand.n_used, by_hand.n_excluded)
    b = nl.banner(survey, ["sat_de_speed"], ["region"], means=["sat_de_speed"])
    mean_total = b.table.query("row == 'Mean' and banner == 'Total'")["value"].iloc[0]
    x, w = survey.data["sat_de_speed"], survey.data["weight"]
    ok = x.notna()
    assert mean_total == pytest.approx(np.average(x[ok], weights=w[ok]))


def test_compare_means_codes_by_labels(survey: nl.Survey, labelled: pd.DataFrame) -> None:
    r = nl.compare_means(survey, "overall_sat", "region")
    frame = survey.data.assign(region=labelled["region"])
    by_hand = nl.compare_means(frame, "overall_sat", "region", weights="weight")
    pd.testing.assert_frame_equal(r.table, by_hand.table)
    assert "North" in r.table["column"].tolist()
    # overall_sat is coded 1-10: the means are of the codes.
    assert 1 <= r.table["mean"].min() and r.table["mean"].max() <= 10


def test_scores_use_codes_and_label_groups(survey: nl.Survey, labelled: pd.DataFrame) -> None:
    frame = survey.data.assign(region=labelled["region"])
    r = nl.nps(survey, "ltr", by="region")
    by_hand = nl.nps(frame, "ltr", by="region", weights="weight")
    pd.testing.assert_frame_equal(r.table, by_hand.table)
    assert "North" in r.table["group"].tolist()
    flat = nl.nps(survey, "ltr", weights=False)
    assert flat.score == pytest.approx(nl.nps(survey.data, "ltr").score)
    assert flat.score != pytest.approx(r.score)

    c = nl.csat(survey, "overall_sat", scale=(1, 10))
    c_hand = nl.csat(survey.data, "overall_sat", scale=(1, 10), weights="weight")
    pd.testing.assert_frame_equal(c.table, c_hand.table)

    items = ["sat_de_speed", "sat_as_speed"]
    t = nl.top_box(survey, items, scale_max=5, by="gender")
    t_hand = nl.top_box(
        survey.data.assign(gender=labelled["gender"]),
        items,
        scale_max=5,
        by="gender",
        weights="weight",
    )
    pd.testing.assert_frame_equal(t.table, t_hand.table)

    cmp = nl.compare_nps(survey, by="gender", var="ltr")
    cmp_hand = nl.compare_nps(
        frame.assign(gender=labelled["gender"]), by="gender", var="ltr", weights="weight"
    )
    assert set(cmp.names) == {"Female", "Male"}
    assert cmp.z == pytest.approx(cmp_hand.z)


def test_rake_targets_name_labels(survey: nl.Survey, labelled: pd.DataFrame) -> None:
    targets = {"gender": {"Male": 0.5, "Female": 0.5}}
    r = nl.rake(survey, targets, weights=False)
    by_hand = nl.rake(labelled, targets)
    np.testing.assert_allclose(r.weights, by_hand.weights)
    assert r.table["achieved"].to_numpy() == pytest.approx([0.5, 0.5])
