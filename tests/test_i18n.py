"""Tests of needlab._i18n: language detection (one rule for every caller)."""

from __future__ import annotations

import pandas as pd
import pytest

import needlab as nl
from needlab._i18n import detect_lang, lang_of
from needlab.errors import SchemaError


def test_detect_lang_mixed():
    assert detect_lang(
        ["Lumo R7 Pro配网一直失败", "Lumo R7 Pro keeps failing", "", None]
    ).tolist() == ["zh", "en", "", ""]


def test_detect_lang_threshold_is_twenty_percent():
    # han / (han + latin / 4): 1 / (1 + 16 / 4) = 0.2 is not above 0.2 -> en; 2 / 6 -> zh
    assert detect_lang(["好" + "a" * 16, "好好" + "a" * 16]).tolist() == ["en", "zh"]


def test_detect_lang_frame_and_export():
    df = pd.DataFrame({"t": ["很好", "good", "  "]})
    assert detect_lang(df, "t").tolist() == ["zh", "en", ""]
    assert nl.detect_lang is detect_lang
    with pytest.raises(SchemaError, match="name the column"):
        detect_lang(df)


def test_lang_of():
    assert (lang_of("非常满意"), lang_of("Very satisfied"), lang_of("")) == ("zh", "en", "en")
