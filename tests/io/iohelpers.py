"""Shared builders for the io tests: a small survey frame with Chinese text and its codebook."""

from __future__ import annotations

import numpy as np
import pandas as pd

from needlab.io import Codebook

SAT = {
    1: {"en": "Very dissatisfied", "zh": "非常不满意"},
    2: {"en": "Dissatisfied", "zh": "不满意"},
    3: {"en": "Neutral", "zh": "一般"},
    4: {"en": "Satisfied", "zh": "满意"},
    5: {"en": "Very satisfied", "zh": "非常满意"},
    99: {"en": "Don't know", "zh": "不知道"},
}
KANO = {
    1: {"en": "I like it", "zh": "我喜欢"},
    2: {"en": "I expect it", "zh": "理所当然"},
    3: {"en": "I am neutral", "zh": "无所谓"},
    4: {"en": "I can live with it", "zh": "能忍受"},
    5: {"en": "I dislike it", "zh": "我不喜欢"},
}


def survey_frame() -> pd.DataFrame:
    """Six respondents: id, a likert code, a Chinese likert label, a Kano text answer, a number
    with missing cells, a weight and an open comment with commas and quotes."""
    return pd.DataFrame(
        {
            "rid": [101, 102, 103, 104, 105, 106],
            "sat": [5, 4, 1, 2, 3, 5],
            "overall": ["非常满意", "满意", "一般", "不满意", "非常满意", "满意"],
            "kano_app_f": ["我喜欢", "理所当然", "无所谓", "能忍受", "我不喜欢", "我喜欢"],
            "income": [1200.5, np.nan, 800.0, np.nan, 1500.25, 990.0],
            "weight": [1.0, 0.5, 1.5, 2.0, 1.0, 0.8],
            "comment": ["配送太慢", "价格, 偏高", 'say "hi"', "ok", "服务很好", "app 很好用"],
        }
    )


def with_blanks(df: pd.DataFrame, column: str = "income") -> pd.DataFrame:
    """The frame with missing numbers written as a blank ``" "`` cell (as survey tools do)."""
    out = df.copy()
    out[column] = out[column].astype(object).where(out[column].notna(), " ")
    return out


def survey_codebook() -> Codebook:
    return Codebook.from_dict(
        {
            "needlab_codebook": 1,
            "title": {"en": "Test survey", "zh": "测试调研"},
            "id": "rid",
            "weight": "weight",
            "columns": {
                "rid": {"type": "id", "label": {"en": "Respondent", "zh": "受访者"}},
                "sat": {
                    "type": "likert",
                    "label": {"en": "Satisfaction", "zh": "满意度"},
                    "group": "sat",
                    "values": SAT,
                    "missing": [99],
                },
                "overall": {
                    "type": "likert",
                    "label": {"zh": "总体满意度"},
                    "values": SAT,
                    "missing": [99],
                },
                "kano_app_f": {"type": "kano_functional", "feature": "app", "values": KANO},
                "income": {"type": "numeric", "range": [0, 100000]},
                "weight": {"type": "weight"},
                "comment": {"type": "text"},
            },
        }
    )


def normalise(df: pd.DataFrame) -> pd.DataFrame:
    """Dtype-normalise for comparison: numbers as float, everything else as object."""
    out = {}
    for c in df.columns:
        s = df[c]
        if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
            out[c] = s.astype(float)
        else:
            out[c] = s.astype(object).where(s.notna(), None)
    return pd.DataFrame(out, index=pd.RangeIndex(len(df)))
