"""Polarity of a code mention: is the aspect complained about, praised, or only named?

:func:`needlab.painpoints.coding.code_text` finds evidence of a code (送餐员态度, "delivery took")
in a text. Evidence of an aspect is not yet a pain: "送餐员态度很好，效率高" and "the delivery was
fast and the courier polite" praise the aspects a pain code names. :func:`mention_polarity` reads
the **clause** around each mention and gives it one of two polarities:

``pain``
    A negative cue in the clause: the lexicon sentiment of the clause
    (:func:`needlab.painpoints.sentiment.sentiment`) is negative, or the evidence itself is a
    negative phrase (慢, "late"), or the clause holds a complaint marker (:data:`COMPLAINT`:
    呵呵, 史上最, 等了, 两个小时, 还没到, 差评; "still waiting", "on hold", "took 3 hours",
    "never arrived", "worst") or a negated praise (:data:`NEGATED_PRAISE`: 不太满意, 不够热情,
    "not helpful", "wasn't friendly").
``praise``
    No negative cue, and the rest of the clause (the evidence taken out) has a positive lexicon
    sentiment: 送餐员态度 + 很好, "the courier" + "was polite and fast". The evidence is taken out
    so that a pain phrase with a positive-looking word in it (好慢, "pretty slow") is not read as
    praise; evidence that itself says something is missing or failing (没反应, 无法联网, "left
    without explaining", "failed") is never praise.

**A mention with no cue either way counts as a pain** (cue ``"no cue: pain evidence"``). The
taxonomy's evidence terms are written as evidence of pains (坨了, 没味道, 有虫子, "refund
requested"), and short complaints often carry no sentiment word at all ("4个小时。。", "薯蓉太干了");
on 11,987 food-delivery reviews nearly every such mention in a positively rated review was a real
(minor) pain, so dropping them would hide pains a researcher wants to see. Praise has to be said.

**Clauses** end at punctuation (zh ，。！？；、：… and their ASCII forms, line breaks, and spaces
between two Chinese characters, which reviewers type for a comma; en
``. , ! ? ; : ( )``) and before contrast words (zh 但是, 但, 不过, 可是, 只是, 就是, 然而, 却; en
but, however, although, though, except, whereas), so "food was good but delivery took 2 hours"
has two clauses and only the second is a pain.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

import numpy as np

__all__ = ["COMPLAINT", "NEGATED_PRAISE", "POLARITIES", "clause_span", "mention_polarity"]

POLARITIES = ("pain", "praise")
"""The polarity labels of a mention."""

_SPLIT = {
    "zh": re.compile(
        r"[，。！？；、：,.!?;:\n\r…~～]+|(?<=[一-鿿])[ \t\u3000]+(?=[一-鿿])|"
        "但是|但|不过|可是|只是|就是|然而|却"
    ),
    "en": re.compile(
        r"[.,!?;:()\n\r…]+|\b(?:but|however|although|though|except|whereas)\b", re.IGNORECASE
    ),
}

_HOURS_ZH = (
    r"(?:[2-9]|\d{2,}|[两三四五六七八九十几])个?多?半?(?:小时|钟头)|一个多(?:小时|钟头)|一个半小时"
)
COMPLAINT = {
    "zh": re.compile(
        "史上最|最差|最慢|最烂|呵呵|差评|投诉|再也不|不会再|无语|垃圾|坑人|坑爹|失望|"
        "太(?:慢|差|贵|晚|久|难|烂|少|咸|淡|油|硬|凉|冷)|居然|竟然|到底|怎么回事|怎么这么|怎么还|"
        "等了|还没(?:到|送|来|收到|退)|才(?:到|送到|送来|送过来)|迟到|超时|半天|退钱|骗|恶心|醉了|"
        r"服了|[。.]{2,}|[？?]{2,}|" + _HOURS_ZH
    ),
    "en": re.compile(
        r"\b(?:still (?:waiting|not|no|haven['’]t|hasn['’]t|nothing)|"
        r"never (?:came|arrived|showed|received|got|answered|called|responded|fixed)|"
        r"waited|worst|terrible|horrible|awful|ridiculous|unacceptable|disappointed|disappointing|"
        r"disgusting|complain(?:t|ts|ed|ing)?|pathetic|useless|rude|no one|nobody|on hold|"
        r"took forever|yet to|hours late|again and again|"
        r"(?:over|more than|almost|nearly|took|wait(?:ed)?(?: for)?) (?:an|two|three|four|five|"
        r"several|\d+) (?:hours?|days?|weeks?)|\d+ (?:hours?|days?) (?:late|wait|later))\b|\?!|!\?",
        re.IGNORECASE,
    ),
}
"""Complaint markers per language: phrases that make a clause a complaint whatever its words."""

_PRAISE_ZH = (
    "满意|好|热情|专业|及时|准时|新鲜|好吃|方便|快|耐心|友好|礼貌|靠谱|负责|清楚|干净|值|给力"
)
_PRAISE_EN = (
    "good|great|helpful|friendly|polite|fast|quick|fresh|hot|warm|clean|easy|useful|"
    "professional|satisfied|happy|worth it|reliable|responsive|on time|courteous|nice"
)
NEGATED_PRAISE = {
    "zh": re.compile(
        f"(?:不太|不怎么|不够|并不|一点也不|一点都不|不是很|没那么|没有|不|没)(?:很|太|够|怎么)?(?:{_PRAISE_ZH})"
    ),
    "en": re.compile(
        r"\b(?:not|never|hardly|no longer|\w+n['’]t)\s+(?:(?:very|so|too|that|really|at all|"
        rf"particularly|exactly|even|be)\s+)*(?:{_PRAISE_EN})\b",
        re.IGNORECASE,
    ),
}
"""Negated praise per language (不太满意, 不够热情, "not helpful", "wasn't friendly")."""
_NOT_NEGATED_PRAISE = {
    "zh": re.compile("不好意思|不快不慢|没好气"),
    "en": re.compile(
        r"\b(?:could\s*n['’]?t|could not|can['’]?t|cannot) be (?:happier|better|more)|"
        r"\bnot only\b|\bnot just\b",
        re.IGNORECASE,
    ),
}


_NEGATED_EVIDENCE = {
    "zh": re.compile("[不没无未别]"),
    "en": re.compile(
        r"\b(?:not|no|never|without|nothing|cannot)\b|n['’]t\b|\bfail(?:s|ed|ing)?\b", re.IGNORECASE
    ),
}
"""Evidence that says something is missing or failing (没反应, "left without explaining") is a
pain phrase by itself: a positive word elsewhere in its clause does not make it praise."""


def clause_span(text: str, start: int, end: int, lang: str) -> tuple[int, int]:
    """Start and end offsets of the clause of *text* holding the span ``[start, end)``.

    Examples
    --------
    >>> t = "food was good but delivery took 2 hours"
    >>> s, e = clause_span(t, t.index("delivery"), t.index("delivery") + 8, "en")
    >>> t[s:e].strip()
    'delivery took 2 hours'
    """
    return _span(_bounds(text, lang), start, end, len(text))


def _bounds(text: str, lang: str) -> tuple[list[int], list[int]]:
    b = [(m.start(), m.end()) for m in _SPLIT[lang].finditer(text)]
    return [s for s, _ in b], [e for _, e in b]


def _span(bounds: tuple[list[int], list[int]], start: int, end: int, n: int) -> tuple[int, int]:
    bs, be = bounds
    # the last boundary ending at or before start, the first beginning at or after end
    i = bisect.bisect_right(be, start) - 1
    cs = be[i] if i >= 0 else 0
    j = bisect.bisect_left(bs, max(end, cs))
    ce = bs[j] if j < len(bs) else n
    return cs, max(ce, end)


def _has(pattern: dict[str, re.Pattern[str]], text: str, lang: str) -> str | None:
    m = pattern[lang].search(text)
    return m.group() if m else None


def _negated_praise(text: str, lang: str) -> str | None:
    m = NEGATED_PRAISE[lang].search(text)
    if m is None or _NOT_NEGATED_PRAISE[lang].search(text):
        return None
    return m.group()


def _labels(strings: Sequence[str], lang: str) -> dict[str, str]:
    """Lexicon sentiment label of each distinct non-blank string (one scoring pass per language).

    The labels are those of :func:`needlab.painpoints.sentiment.sentiment` with
    ``text_lang=lang`` (default threshold and lexicon), from its internal scorer
    (:func:`~needlab.painpoints.sentiment._lexicon_labels`): no language detection, no table.
    """
    from needlab.painpoints.sentiment import _lexicon_labels

    uniq = list(dict.fromkeys(s for s in strings if s.strip()))
    return dict(zip(uniq, _lexicon_labels(uniq, lang), strict=True))


def mention_polarity(
    texts: Sequence[str],
    rows: Sequence[int],
    starts: Sequence[int],
    ends: Sequence[int],
    langs: Sequence[str],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Polarity of each mention (see the module docstring).

    Parameters
    ----------
    texts : sequence of str
        The texts, indexed by *rows*.
    rows, starts, ends, langs : sequences of the same length
        One entry per mention: the text it is in, its character span and the text's language
        (``"zh"`` or ``"en"``).

    Returns
    -------
    polarity, cue, clause : arrays of str
        ``pain`` or ``praise``; the cue that decided (``"negative sentiment"``,
        ``"negative evidence"``, ``"complaint marker: 呵呵"``, ``"negated praise: not helpful"``,
        ``"positive sentiment"``, ``"no cue: pain evidence"``); and the clause read (stripped).

    Examples
    --------
    >>> t = ["送餐员态度很好，效率高", "送餐员态度很差"]
    >>> mention_polarity(t, [0, 1], [0, 0], [5, 5], ["zh", "zh"])[0].tolist()
    ['praise', 'pain']
    """
    n = len(rows)
    bounds: dict[int, tuple[list[int], list[int]]] = {}
    clauses: list[str] = []
    rests: list[str] = []
    evid: list[str] = []
    for r, s, e, lg in zip(rows, starts, ends, langs, strict=True):
        t = texts[r]
        if r not in bounds:
            bounds[r] = _bounds(t, lg)
        cs, ce = _span(bounds[r], s, e, len(t))
        clauses.append(t[cs:ce].strip())
        rests.append(f"{t[cs:s]} {t[e:ce]}".strip())
        evid.append(t[s:e])
    labels: dict[str, dict[str, str]] = {}
    for lg in ("zh", "en"):
        sel = [i for i in range(n) if langs[i] == lg]
        if sel:
            labels[lg] = _labels(
                [clauses[i] for i in sel] + [evid[i] for i in sel] + [rests[i] for i in sel], lg
            )
    polarity = np.empty(n, dtype=object)
    cue = np.empty(n, dtype=object)
    for i in range(n):
        lg, c = langs[i], clauses[i]
        lab = labels.get(lg, {})
        if lab.get(c) == "negative":
            polarity[i], cue[i] = "pain", "negative sentiment"
        elif lab.get(evid[i]) == "negative":
            polarity[i], cue[i] = "pain", "negative evidence"
        elif (hit := _has(COMPLAINT, c, lg)) is not None:
            polarity[i], cue[i] = "pain", f"complaint marker: {hit}"
        elif (hit := _negated_praise(c, lg)) is not None:
            polarity[i], cue[i] = "pain", f"negated praise: {hit}"
        elif lab.get(rests[i]) == "positive" and not _NEGATED_EVIDENCE[lg].search(evid[i]):
            polarity[i], cue[i] = "praise", "positive sentiment"
        else:
            polarity[i], cue[i] = "pain", "no cue: pain evidence"
    return polarity, cue, np.asarray(clauses, dtype=object)
