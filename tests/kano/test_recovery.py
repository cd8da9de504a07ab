"""Planted truth: kano() recovers the sample's true categories, overall and per segment."""

from __future__ import annotations

import pytest

from needlab.datasets import make_sample
from needlab.kano import kano


@pytest.fixture(scope="module")
def sample():
    return make_sample(0)


def _pairs(codebook: dict) -> dict[str, tuple[str, str]]:
    f = {c["feature"]: n for n, c in codebook["columns"].items() if c["type"] == "kano_functional"}
    d = {
        c["feature"]: n for n, c in codebook["columns"].items() if c["type"] == "kano_dysfunctional"
    }
    return {feat: (f[feat], d[feat]) for feat in f}


@pytest.mark.parametrize("wave", ["survey_wave1", "survey_wave2"])
def test_true_categories_recovered(sample, wave) -> None:
    data = getattr(sample, wave)
    res = kano(data, _pairs(sample.codebook), weights="weight")
    got = res.table.set_index("feature")["category"]
    truth = sample.truth.kano.set_index("feature")["category"]
    assert got.to_dict() == truth.loc[got.index].to_dict()


def test_segment_differences_recovered_and_tested(sample) -> None:
    data = sample.survey_wave1.merge(
        sample.truth.segments.rename("segment"), left_on="customer_id", right_index=True, how="left"
    )
    res = kano(data, _pairs(sample.codebook), by="segment")
    got = res.by_segment.set_index(["feature", "segment"])["category"]
    truth = sample.truth.kano_by_segment.set_index(["feature", "segment"])["category"]
    agree = (got.loc[truth.index] == truth).mean()
    assert agree >= 0.95, got.loc[truth.index][got.loc[truth.index] != truth]
    tests = res.segment_tests.set_index("feature")
    differs = sample.truth.kano.set_index("feature")["differs_by_segment"]
    assert (tests.loc[differs[differs].index, "p_value"] < 0.001).all()
    # Features planted identical across segments are mostly not flagged at 1%.
    assert (tests.loc[differs[~differs].index, "p_value"] > 0.01).mean() >= 0.75
