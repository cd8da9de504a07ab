"""Result-contract cases of the pain-point package (collected by tests/test_result_contract.py).

Each builder returns ``(result, n_rows_given)`` on a small subset of ``sample.feedback`` (with a
few planted missing texts, so that exclusions and their notes are exercised).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from needlab.painpoints import (
    TextCoder,
    agreement,
    code_text,
    discover_topics,
    pain_matrix,
    sentiment,
)

N = 300


def _texts(sample: Any) -> pd.DataFrame:
    fb = sample.feedback.head(N).copy()
    fb.loc[fb.index[:3], "text"] = [None, "", "  "]
    return fb


def _coding(sample: Any) -> tuple[Any, int]:
    fb = _texts(sample)
    return code_text(fb, "text", id="feedback_id", text_lang="lang"), len(fb)


def _coverage(sample: Any) -> tuple[Any, int]:
    res, n = _coding(sample)
    return res.coverage, n


def _pain_matrix(sample: Any) -> tuple[Any, int]:
    res, n = _coding(sample)
    return pain_matrix(res, level="pain_type", by="channel"), n


def _sentiment(sample: Any) -> tuple[Any, int]:
    fb = _texts(sample)
    return sentiment(fb, "text"), len(fb)


def _topics(sample: Any) -> tuple[Any, int]:
    fb = _texts(sample)
    return discover_topics(fb, "text", n_topics=4, random_state=0), len(fb)


def _agreement(sample: Any) -> tuple[Any, int]:
    truth = sample.truth.painpoints.head(60)
    a = truth["category"].tolist()
    b = list(a)
    rng = np.random.default_rng(0)
    flip = rng.choice(len(b), 8, replace=False)
    cats = sorted(set(a))
    for i in flip:
        b[i] = cats[(cats.index(b[i]) + 1) % len(cats)]
    b[0] = None  # one text the second coder did not code
    return agreement(a, b), len(a)


def _cross_validation(sample: Any) -> tuple[Any, int]:
    fb = _texts(sample).head(200)
    y = sample.truth.painpoints["category"].head(200).tolist()
    return TextCoder().cross_validate(fb["text"], y, cv=3, random_state=0), len(fb)


CASES = {
    "AgreementResult": _agreement,
    "CodingResult": _coding,
    "Coverage": _coverage,
    "CrossValidationResult": _cross_validation,
    "PainMatrixResult": _pain_matrix,
    "SentimentResult": _sentiment,
    "TopicResult": _topics,
}
