"""Planted truth: wave-to-wave KPI changes of the sample data are found, non-changes are not;
planted segment differences of an attitude item are lettered, a planted equality is not.

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
from needlab.datasets._spec import ATT_ITEMS
from needlab.tables import compare_csat, compare_nps
from needlab.tables.banner import banner
from needlab.tables.crosstab import crosstab
from needlab.tables.means import compare_means

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
ALPHA = 0.05


@pytest.fixture(scope="module")
def waves() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    def read(name: str) -> pd.DataFrame:
        return read_survey(SAMPLE / name, codebook=SAMPLE / "codebook.yaml").data

    return read("survey_wave1.csv"), read("survey_wave2.csv"), make_sample(0).truth.waves


def compare(kpi: str, w1: pd.DataFrame, w2: pd.DataFrame):
    if kpi == "nps":
        return compare_nps(w1, w2, var="ltr", weights="weight", ci=0.99)
    item = kpi.removeprefix("top2_")
    return compare_csat(w1, w2, var=item, top=[4, 5], weights="weight", ci=0.99)


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
            assert res.p_value < ALPHA, (
                f"{row.kpi}: planted change {row.diff} not found (p={res.p_value:.3g})"
            )
            assert res.diff * row.diff > 0, f"{row.kpi}: wrong direction {res.diff:.2f}"
        else:
            assert res.p_value > ALPHA, f"{row.kpi}: no change planted, yet p={res.p_value:.3g}"
        # The true difference lies within the 99% interval of the estimate.
        assert res.ci_low <= row.diff <= res.ci_high, (row.kpi, res.ci_low, row.diff, res.ci_high)


# --- segments: a planted ranking and a planted tie ------------------------------------------


@pytest.fixture(scope="module")
def wave1_by_segment() -> pd.DataFrame:
    data = read_survey(SAMPLE / "survey_wave1.csv", codebook=SAMPLE / "codebook.yaml").data
    segments = make_sample(0).truth.segments.rename("segment")
    return data.merge(segments, left_on="customer_id", right_index=True, how="left")


def test_planted_segment_means_of_quality_first(wave1_by_segment) -> None:
    # The generator's latent means of att_quality_first by segment (tech, value, family,
    # premium) are 0.2, -0.7, 0.2, 1.2: premium above everyone, value below everyone, and
    # tech and family exactly equal.
    planted = dict(
        zip(
            ["tech", "value", "family", "premium"],
            next(a for a in ATT_ITEMS if a[0] == "att_quality_first")[3],
            strict=True,
        )
    )
    assert planted["tech"] == planted["family"]
    d = wave1_by_segment
    ct = crosstab(
        d, "att_quality_first", "segment", weights="weight", nets={"Top 2": [4, 5]}, alpha=ALPHA
    )
    letter = ct.column_letters
    sig = ct.letters.loc["Top 2"]
    assert set(sig["premium"]) == {letter["family"], letter["tech"], letter["value"]}
    assert sig["value"] == ""
    for s in ("family", "tech"):
        assert letter["value"] in sig[s] and letter["premium"] not in sig[s]
    # The planted tie: no letter between tech and family, in either direction.
    assert letter["tech"] not in sig["family"] and letter["family"] not in sig["tech"]
    p = ct.pvalues
    tie = p[(p["row"] == "Top 2") & (p["column_a"] == "family") & (p["column_b"] == "tech")]
    assert tie.iloc[0]["p_value"] > ALPHA
    # The same with the mean score (Welch letters) and in a banner.
    means = compare_means(d, "att_quality_first", "segment", weights="weight", alpha=ALPHA)
    mp = means.pvalues.set_index(["column_a", "column_b"])["p_value"]
    assert mp[("family", "tech")] > ALPHA
    assert (
        mp.drop(("family", "tech")).drop(
            [k for k in mp.index if k[1] == "Total" and k[0] in ("family", "tech")]
        )
        < ALPHA
    ).all()
    b = banner(
        d,
        ["att_quality_first"],
        ["segment"],
        weights="weight",
        nets={"att_quality_first": {"Top 2": [4, 5]}},
        alpha=ALPHA,
    )
    cells = b.table[(b.table["row"] == "Top 2") & (b.table["banner"] == "segment")]
    assert cells.set_index("column")["sig"].to_dict() == sig.to_dict()
