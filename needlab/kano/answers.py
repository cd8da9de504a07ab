"""Kano answer scales: built-in label sets and their mapping to the codes 1..5.

The five answers of a Kano question pair, in the order of Kano et al. (1984) and Berger et al.
(1993): 1 *like*, 2 *must-be* (expect), 3 *neutral*, 4 *live-with* (tolerate), 5 *dislike*.
Surveys export them as codes or as text in many wordings; every wording below maps to its code.
Labels are normalised before matching (Unicode NFKC, curly to straight apostrophes, case folded,
white space collapsed, commas dropped, trailing full stops removed), so ``"I like it that way."`` and
``"i like it that way"`` are the same answer. An unknown label is an error, never mapped to Q.

References
----------
Berger, C., Blauth, R., Boger, D., et al. (1993). Kano's methods for understanding
customer-defined quality. *Center for Quality Management Journal*, 2(4), 3-36.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable, Mapping

import numpy as np
import pandas as pd

from needlab._validate import preview
from needlab.errors import ConfigError, DataError

__all__ = ["ANSWER_NAMES", "LABEL_SETS", "normalise_label", "to_codes"]

ANSWER_NAMES = {1: "like", 2: "must-be", 3: "neutral", 4: "live-with", 5: "dislike"}

#: Built-in wordings, each a list of the five labels in code order 1..5.
LABEL_SETS: dict[str, list[str]] = {
    "berger_1": [
        "I like it that way",
        "It must be that way",
        "I am neutral",
        "I can live with it that way",
        "I dislike it that way",
    ],
    "berger_2": [
        "I enjoy it that way",
        "It is a basic necessity or I expect it that way",
        "I am neutral",
        "I dislike it, but I can live with it that way",
        "I dislike it, and I can't accept it that way",
    ],
    "blauth": [
        "This would be very helpful to me",
        "This is a basic requirement for me",
        "This would not affect me",
        "This would be a minor inconvenience",
        "This would be a major problem for me",
    ],
    "common": ["I like it", "I expect it", "I'm neutral", "I can tolerate it", "I dislike it"],
    "berger_short": [
        "I like it",
        "It must be that way",
        "I am neutral",
        "I can live with it",
        "I dislike it",
    ],
    "common_2": ["Like", "Must-be", "Neutral", "Live-with", "Dislike"],
    "common_3": ["Like", "Expect", "Neutral", "Tolerate", "Dislike"],
    "zh": ["我喜欢", "理应如此", "无所谓", "能忍受", "我不喜欢"],
    "zh_2": ["喜欢", "理所当然", "无所谓", "可以忍受", "不喜欢"],
    "zh_3": ["我很喜欢", "必须如此", "保持中立", "我能忍受", "我很不喜欢"],
    "zh_4": ["非常喜欢", "理应如此", "无所谓", "勉强接受", "很不喜欢"],
    "zh_5": ["喜欢", "应该的", "无所谓", "能忍受", "不喜欢"],
    "zh_6": ["我喜欢这样", "它理应如此", "我无所谓", "我能忍受", "我不喜欢这样"],
    "zh_7": ["满意", "理应如此", "无所谓", "可以接受", "不满意"],
    "zh_8": ["喜欢", "必备", "无所谓", "能接受", "不喜欢"],
}

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "`": "'"})
_SPACES = re.compile(r"\s+")


def normalise_label(text: str) -> str:
    """Normalise an answer label for matching.

    Unicode NFKC (full-width to half-width), curly apostrophes to straight, case folded, white
    space collapsed, commas dropped, trailing full stops (``.`` and ``。``) and ``!`` removed.

    Examples
    --------
    >>> normalise_label("  I can\u2019t  accept it.  ")
    "i can't accept it"
    >>> normalise_label("我不喜欢。")
    '我不喜欢'
    """
    t = unicodedata.normalize("NFKC", str(text)).translate(_APOSTROPHES).casefold()
    t = _SPACES.sub(" ", t.replace(",", " ").replace("\u3001", " ")).strip()
    return t.rstrip(".。!！ ").strip()


def _default_mapping() -> dict[str, int]:
    out: dict[str, int] = {}
    for labels in LABEL_SETS.values():
        for code, label in enumerate(labels, start=1):
            key = normalise_label(label)
            if out.get(key, code) != code:  # pragma: no cover - guards the tables above
                raise RuntimeError(f"built-in Kano label {label!r} maps to two codes")
            out[key] = code
    for code in range(1, 6):
        out[str(code)] = code
    return out


_DEFAULT = _default_mapping()


def _mapping(answers: Mapping[Hashable, int] | None) -> dict[str, int]:
    if answers is None:
        return _DEFAULT
    out = dict(_DEFAULT)
    for label, code in answers.items():
        if code not in (1, 2, 3, 4, 5):
            raise ConfigError(
                f"answers= maps {label!r} to {code!r}; Kano answer codes are 1 like, 2 must-be, "
                "3 neutral, 4 live-with, 5 dislike."
            )
        out[normalise_label(str(label))] = int(code)
    return out


def to_codes(
    values: pd.Series, *, answers: Mapping[Hashable, int] | None = None, name: str = "answers"
) -> np.ndarray:
    """Turn a column of Kano answers (codes 1..5 or labels) into an ``int8`` array, 0 = missing.

    Only the distinct values are matched (a column of a million answers has a handful of
    distinct labels), then spread back with ``pandas.factorize``: no loop over respondents.

    Parameters
    ----------
    values : Series
        Codes (1..5, as numbers or digit strings) or labels of a built-in wording.
    answers : mapping, optional
        Extra or overriding ``label -> code`` entries.
    name : str
        Column name used in error messages.

    Returns
    -------
    numpy.ndarray of int8
        Codes 1..5, and 0 where the answer is missing (NaN, None or an empty string).

    Raises
    ------
    DataError
        Numbers outside 1..5 or labels that match no wording; the message lists them.

    Examples
    --------
    >>> to_codes(pd.Series(["我喜欢", "I expect it", None, 5, "Dislike."]))
    array([1, 2, 0, 5, 5], dtype=int8)
    """
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        arr = values.to_numpy(dtype=float, na_value=np.nan)
        ok = np.isnan(arr) | np.isin(arr, (1.0, 2.0, 3.0, 4.0, 5.0))
        if not ok.all():
            raise DataError(
                f"{name} has {int((~ok).sum())} answers outside the Kano codes 1..5: "
                f"{preview(arr[~ok])}. Recode them (1 like, 2 must-be, 3 neutral, 4 live-with, "
                "5 dislike) or set them to missing."
            )
        return np.nan_to_num(arr, nan=0.0).astype(np.int8)
    mapping = _mapping(answers)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    lut = np.zeros(len(uniques) + 1, dtype=np.int8)  # last slot: the NA sentinel -1
    unknown = []
    for i, u in enumerate(uniques):
        if isinstance(u, (int, float, np.integer, np.floating)) and not isinstance(u, bool):
            key = str(int(u)) if float(u).is_integer() else str(u)
        else:
            key = normalise_label(u)
        if key == "":
            continue
        code = mapping.get(key)
        if code is None:
            unknown.append(u)
        else:
            lut[i] = code
    if unknown:
        raise DataError(
            f"{name} has {len(unknown)} unknown Kano answer labels: {preview(unknown)}. "
            "Use a built-in wording (see needlab.kano.LABEL_SETS) or pass answers={label: code} "
            "with codes 1 like, 2 must-be, 3 neutral, 4 live-with, 5 dislike."
        )
    return lut[codes]
