"""Bilingual labels and language detection: the one home for both.

Language detection has one rule for every caller (codebook labels, survey text, feedback):
a text is Chinese (``"zh"``) when at least 20% of its letters are Chinese characters, counting
about four Latin letters per English word; otherwise English (``"en"``); missing or empty texts
get ``""``.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import numpy as np
import pandas as pd

from needlab._types import Lang

__all__ = ["TABLE_LABELS", "detect_lang", "lang_of"]

_HAN = r"[\u3400-\u9fff\uf900-\ufaff]"


def detect_lang(data: Any, text: Hashable | None = None) -> np.ndarray:
    """Language of each text: ``"zh"``, ``"en"`` or ``""`` (missing or empty).

    Parameters
    ----------
    data : Series, list, DataFrame or Survey
        The texts, or a frame holding them in column *text*.
    text : column name, optional
        The text column when *data* is a frame.

    Returns
    -------
    numpy.ndarray of object
        One of ``"zh"``, ``"en"``, ``""`` per text: Chinese when Han characters make up at least
        20% of ``han + latin / 4`` (about four Latin letters per English word).

    Examples
    --------
    >>> detect_lang(["配网一直失败", "The app keeps crashing", "Lumo R7 Pro 很好用", None]).tolist()
    ['zh', 'en', 'zh', '']
    """
    from needlab._validate import as_series

    s = as_series(data, text).astype(object)
    ok = s.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
    st = s.where(ok, "").astype(str)
    han = st.str.count(_HAN).to_numpy()
    letters = st.str.count(r"[A-Za-z]").to_numpy() / 4.0
    out = np.where(han > 0.2 * (han + letters), "zh", "en").astype(object)
    out[(~ok) | (st.str.strip().str.len().to_numpy() == 0)] = ""
    return out


def lang_of(text: str) -> Lang:
    """The language of one label by the rule of :func:`detect_lang` (``"en"`` when empty).

    Examples
    --------
    >>> lang_of("非常满意"), lang_of("Very satisfied"), lang_of("Lumo R7 很好用")
    ('zh', 'en', 'zh')
    """
    return "zh" if detect_lang(pd.Series([str(text)]))[0] == "zh" else "en"


# ----------------------------------------------------------------------------- table labels

TABLE_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "total": "Total",
        "base_u": "Base (unweighted)",
        "base_w": "Base (weighted)",
        "base_e": "Base (effective)",
        "mean": "Mean",
        "missing": "(missing)",
    },
    "zh": {
        "total": "合计",
        "base_u": "基数（未加权）",
        "base_w": "基数（加权）",
        "base_e": "基数（有效）",
        "mean": "均值",
        "missing": "缺失",
    },
}
"""Output labels of the survey tables (Total column and row, base rows, mean rows, the missing
row) by ``lang``."""
