"""Answer labels: built-in wordings, normalisation, unknown labels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from needlab.errors import DataError
from needlab.kano import LABEL_SETS, to_codes
from needlab.kano.answers import normalise_label


@pytest.mark.parametrize("name", sorted(LABEL_SETS))
def test_every_builtin_wording_maps_to_codes_1_to_5(name) -> None:
    assert to_codes(pd.Series(LABEL_SETS[name])).tolist() == [1, 2, 3, 4, 5]


def test_berger_wordings_present() -> None:
    flat = {normalise_label(x) for v in LABEL_SETS.values() for x in v}
    for label in [
        "I like it that way",
        "It must be that way",
        "I am neutral",
        "I can live with it that way",
        "I dislike it that way",
        "I dislike it, and I can't accept it that way",
        "I dislike it but I can live with it that way",
    ]:
        assert normalise_label(label) in flat, label


def test_normalisation_fullwidth_apostrophes_case_space() -> None:
    s = pd.Series(
        [
            "Ｉ like it",
            " I dislike it, and I Can\u2019t accept it that way ",
            "我不喜欢。",
            "",
            None,
            "3",
        ]
    )
    assert to_codes(s).tolist() == [1, 5, 5, 0, 0, 3]


def test_numeric_codes_and_missing() -> None:
    assert to_codes(pd.Series([1.0, np.nan, 5.0])).tolist() == [1, 0, 5]
    with pytest.raises(DataError, match=r"outside.*2\.5"):
        to_codes(pd.Series([1.0, 2.5]), name="q1")


def test_unknown_label_listed_not_mapped_to_q() -> None:
    with pytest.raises(DataError, match="maybe") as err:
        to_codes(pd.Series(["I like it", "maybe", "maybe"]), name="feature 'x'")
    assert "feature 'x'" in str(err.value)
