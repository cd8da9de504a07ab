"""A Survey is the design object: its codebook gives the weight and id columns.

A weight column the codebook names but the data lacks, or that holds invalid weights, gives the
same error as passing that column as ``weights=`` with the DataFrame (``docs/conventions.md``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import needlab as nl
from needlab._validate import as_design
from needlab.errors import DataError, NeedlabError, SchemaError
from needlab.io import Codebook, Survey, read_survey
from needlab.io.read import LOAD_REPORT_COLUMNS

PAIRS = {"app": ("app_f", "app_d")}
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


def _frame() -> pd.DataFrame:
    # Categories by hand (standard table): A, O, M, I, A, O.
    return pd.DataFrame(
        {
            "rid": [11, 12, 13, 14, 15, 16],
            "app_f": [1, 1, 3, 3, 1, 1],
            "app_d": [3, 5, 5, 3, 3, 5],
            "w": [1.0, 2.0, 1.0, 0.5, 1.5, 1.0],
        }
    )


def _survey(df: pd.DataFrame) -> Survey:
    cb = Codebook.from_dict(
        {
            "needlab_codebook": 1,
            "id": "rid",
            "weight": "w",
            "columns": {
                "rid": {"type": "id"},
                "app_f": {"type": "kano_functional", "feature": "app"},
                "app_d": {"type": "kano_dysfunctional", "feature": "app"},
                "w": {"type": "weight"},
            },
        }
    )
    return Survey(data=df, codebook=cb, load_report=pd.DataFrame(columns=LOAD_REPORT_COLUMNS))


def _message(fn) -> tuple[type, str]:
    with pytest.raises(NeedlabError) as exc:
        fn()
    return type(exc.value), str(exc.value)


BAD_WEIGHTS = {
    "absent": (None, SchemaError, "'w'"),
    "negative": ([1.0, -2.0, 1.0, 1.0, 1.0, 1.0], DataError, "negative"),
    "nan": ([1.0, np.nan, 1.0, 1.0, 1.0, 1.0], DataError, "missing (NaN)"),
    "non_numeric": ([1.0, "heavy", 1.0, 1.0, 1.0, 1.0], DataError, "'heavy'"),
}


@pytest.mark.parametrize("case", list(BAD_WEIGHTS))
def test_bad_codebook_weight_gives_the_weights_error(case: str) -> None:
    values, error, words = BAD_WEIGHTS[case]
    df = _frame().drop(columns="w") if values is None else _frame().assign(w=values)
    survey = _survey(df)
    by_hand = _message(lambda: nl.kano(df, PAIRS, weights="w"))
    via_survey = _message(lambda: nl.kano(survey))
    assert via_survey == by_hand
    assert by_hand[0] is error and words in by_hand[1]
    # The resolver itself raises it, for every analysis.
    assert _message(lambda: as_design(survey)) == by_hand


def test_weights_from_the_codebook_by_hand() -> None:
    df = _frame()
    res = nl.kano(_survey(df))
    row = res.table.iloc[0]
    # A: 1 + 1.5, O: 2 + 1, M: 1, I: 0.5 (weights of the rows of each category)
    assert (row["A"], row["O"], row["M"], row["I"]) == (2.5, 3.0, 1.0, 0.5)
    assert row["better"] == pytest.approx(5.5 / 7.0)
    pd.testing.assert_frame_equal(res.table, nl.kano(df, PAIRS, weights="w").table)


def test_weights_false_is_unweighted() -> None:
    df = _frame()
    res = nl.kano(_survey(df), weights=False)
    row = res.table.iloc[0]
    assert (row["A"], row["O"], row["M"], row["I"]) == (2.0, 2.0, 1.0, 1.0)
    pd.testing.assert_frame_equal(res.table, nl.kano(df, PAIRS).table)
    # also when the codebook's weight column is broken: it is not looked at
    bad = _survey(df.assign(w=[1.0, -2.0, 1.0, 1.0, 1.0, 1.0]))
    assert nl.kano(bad, weights=False).table.iloc[0]["A"] == 2.0


def test_explicit_weights_override_the_codebook() -> None:
    df = _frame()
    arr = np.array([3.0, 1.0, 1.0, 1.0, 0.0, 1.0])
    res = nl.kano(_survey(df), weights=arr)
    row = res.table.iloc[0]
    assert (row["A"], row["O"], row["M"], row["I"]) == (3.0, 2.0, 1.0, 1.0)
    # the zero-weight respondent is excluded and said so
    assert (res.n_used, res.n_excluded) == (5, 1)
    assert "1 of 6 respondents excluded: weight 0." in res.notes
    pd.testing.assert_frame_equal(res.table, nl.kano(df, PAIRS, weights=arr).table)


def test_id_from_the_codebook() -> None:
    df = _frame()
    survey = _survey(df)
    assert as_design(survey).id == "rid"
    assert nl.kano(survey).respondents.index.tolist() == [11, 12, 13, 14, 15, 16]
    assert nl.kano(survey).respondents.loc[13, "app"] == "M"
    dup = _survey(df.assign(rid=[11, 11, 13, 14, 15, 16]))
    assert nl.quality(dup).duplicates["id"].tolist() == [11]
    # an explicit id overrides it
    assert nl.quality(dup, id="app_f").duplicates["id"].tolist() == [1, 3]


def test_sample_survey_equals_the_frame_with_weights_by_hand() -> None:
    survey = read_survey(SAMPLE / "survey_wave1.csv", codebook=SAMPLE / "codebook.yaml")
    a = nl.kano(survey)
    b = nl.kano(survey.data, survey.codebook, weights="weight")
    pd.testing.assert_frame_equal(a.table, b.table)
    c = nl.kano(survey, weights=False)
    pd.testing.assert_frame_equal(c.table, nl.kano(survey.data, survey.codebook).table)
    assert not c.table["A"].equals(a.table["A"])
