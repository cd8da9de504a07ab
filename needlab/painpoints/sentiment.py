"""Sentiment of feedback texts in Chinese and English, offline, and implicit needs.

:func:`sentiment` scores texts with a bundled lexicon (``data/sentiment_zh.txt`` and
``data/sentiment_en.txt``, a few hundred general consumer-review words per language with polarity
weights on about -3..3, plus negators, intensifiers / diminishers and contrast words), following
the rules of VADER (Hutto and Gilbert 2014):

* **matching**: one compiled regular-expression alternation per language, longest terms first, run
  once over all texts of that language joined by line breaks (no per-text loop). Chinese needs no
  tokenizer: the longest lexicon term wins at each position, so 不错 (positive) is read as one
  word and not as 不 + 错; English terms match lower-cased text at word boundaries;
* **negation**: a negator (不, 没有, 一点也不, not, n't, never, ...) within a short window before a
  polarity word (4 characters in Chinese, 16 in English) and in the same clause (clauses end at
  punctuation and contrast words) multiplies its weight by ``-0.74`` (VADER's constant);
* **intensifiers**: the nearest intensifier or diminisher in the window (after the previous
  polarity word) multiplies the weight (很 1.3, 非常 1.5, 有点 0.6; very 1.3, slightly 0.6);
* **contrast**: polarity before the first contrast word (但是, 不过, but, however, ...) counts half,
  after it 1.5 times;
* **complaint cues** (sections ``[complaint]``, ``[sarcasm]``, ``[politeness]`` of the lexicons):
  requests for help (please help, can you fix, 求解决, 麻烦处理), waiting (still waiting, 怎么还没,
  还在等), nobody answering (no one answered, 没人接), never again (never going back, 再也不) add
  their negative weight and are not negated (their negative words belong to the cue; a cue
  ending in a negator, "still not", 一直没, negates the word after it); a **sarcasm marker**
  (#sarcasm, yeah right, "great, another", 呵呵, 真是服了) adds its weight and flips the positive
  words of its text (times ``-0.74``); a **politeness formula** (thank you, 谢谢) counts only in a
  text without negative evidence, so "... asap? Thank you." stays a complaint. The ``cues``
  column names what fired;
* **normalisation**: the weighted sum ``s`` becomes ``score = s / sqrt(s^2 + 15)`` in (-1, 1).

Labels: ``positive`` when ``score >= threshold``, ``negative`` when ``score <= -threshold``,
otherwise ``neutral``. The neutral band ``threshold=0.05`` (:data:`THRESHOLD`) is calibrated on
one corpus, SemEval-2014 restaurant sentences (sentence label from the aspect polarities), as the
value of the grid 0.05, 0.10, ..., 0.50 with the best three-way macro-F1
(``benchmarks/bench_sentiment_real.py --calibrate``); it equals VADER's value, and the other
corpora of that benchmark are only reported, never used to choose it.

The band is not moved per language: what a corpus calls "neutral" is a labelling convention.
Calibrated on a stratified half of each labelled corpus and scored on the other half, the best
band is 0.05-0.20 on restaurant, hotel and cosmetics reviews but 0.40 on CCF 2018 car-forum
comments, 70% "neutral" because a topic is mentioned without an opinion on it (accuracy
0.47 -> 0.63, macro-F1 0.42 -> 0.47 on the held-out half; still below the 0.70 of always saying
neutral); the same 0.40 costs cosmetics reviews 12 points of accuracy. So a corpus-specific band
comes from :func:`calibrate_threshold` on a labelled sample of that corpus.

:class:`SentimentModel` is the trainable alternative (TF-IDF word and character n-grams, the
lexicon scores as features (:func:`lexicon_features`), class-weighted logistic regression), and :func:`implicit_needs` lists negative texts that carry no explicit
pain code: candidates for implicit needs (隐性需求).
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin

from needlab._result import Result
from needlab._types import RandomState, TextLang
from needlab._validate import check_columns, check_option, check_weights, preview
from needlab.errors import ConfigError, DataError, SchemaError
from needlab.painpoints.texts import text_column, text_langs

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes


__all__ = [
    "LEXICON_FEATURES",
    "SentimentModel",
    "SentimentResult",
    "calibrate_threshold",
    "implicit_needs",
    "lexicon_features",
    "load_lexicon",
    "sentiment",
]

DATA = Path(__file__).parent / "data"
NEGATION = -0.74
"""Factor applied to a negated polarity word (Hutto and Gilbert 2014)."""
ALPHA = 15.0
"""Normalisation constant of ``s / sqrt(s^2 + ALPHA)`` (VADER's value)."""
WINDOW = {"zh": 4, "en": 16}
"""Largest gap in characters between a negator or intensifier and the polarity word it modifies."""
CONTRAST_BEFORE, CONTRAST_AFTER = 0.5, 1.5
_BOUNDARY = {"zh": r"[，。！？；：,.!?;:\n\r…~～\s]+", "en": r"[,.!?;:\n\r…~()]+"}
_POL, _NEG, _INT, _CON, _BND, _CUE, _CUEN, _SAR, _POLI = 0, 1, 2, 3, 4, 5, 6, 7, 8
_CUE_KIND = {"complaint": _CUE, "sarcasm": _SAR, "politeness": _POLI}
_CJK = re.compile(r"[\u3400-\u9fff]")
LABELS = ("negative", "neutral", "positive")
"""The sentiment labels, in order."""
THRESHOLD = 0.05
"""Default half-width of the neutral band on the score (calibrated; see the module docstring)."""


@lru_cache(maxsize=8)
def load_lexicon(lang: Literal["zh", "en"]) -> dict[str, dict[str, float]]:
    """The bundled lexicon of *lang*: ``{"polarity": {term: weight}, "negators": {term: 1.0},
    "intensifiers": {term: factor}, "contrast": {term: 1.0}, "complaint": {term: weight},
    "sarcasm": {term: weight}, "politeness": {term: weight}}``. A line starting with a
    backslash escapes its first character (``\\#sarcasm`` is the term ``#sarcasm``; lines
    starting with ``#`` are comments).

    Raises
    ------
    ConfigError
        A malformed line or a term listed twice (a packaging error).

    Examples
    --------
    >>> load_lexicon("zh")["polarity"]["不错"]
    2.0
    """
    check_option(lang, ["zh", "en"], "lang")
    path = DATA / f"sentiment_{lang}.txt"
    out: dict[str, dict[str, float]] = {
        "polarity": {},
        "negators": {},
        "intensifiers": {},
        "contrast": {},
        "complaint": {},
        "sarcasm": {},
        "politeness": {},
    }
    section = None
    seen: dict[str, str] = {}
    for no, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            if section not in out:
                raise ConfigError(f"{path.name} line {no}: unknown section {line}.")
            continue
        if section is None:
            raise ConfigError(f"{path.name} line {no}: term before any [section].")
        if line.startswith("\\"):  # an escaped first character: \#sarcasm is the term #sarcasm
            line = line[1:]
        if section not in ("negators", "contrast"):
            term, _, value = line.rpartition(" ")
            try:
                weight = float(value)
            except ValueError:
                raise ConfigError(f"{path.name} line {no}: {line!r} needs 'term number'.") from None
        else:
            term, weight = line, 1.0
        term = term.strip().lower()
        if term in seen:
            raise ConfigError(f"{path.name} line {no}: {term!r} already in [{seen[term]}].")
        seen[term] = section
        out[section][term] = weight
    return out


@lru_cache(maxsize=16)
def _compiled(lang: str, extra: tuple[tuple[str, float], ...] = ()) -> tuple[re.Pattern, dict]:
    lex = load_lexicon(lang)
    kinds: dict[str, tuple[int, float]] = {}
    for term, w in lex["polarity"].items():
        kinds[term] = (_POL, w)
    for term in lex["negators"]:
        kinds[term] = (_NEG, 1.0)
    for term, f in lex["intensifiers"].items():
        kinds[term] = (_INT, f)
    for term in lex["contrast"]:
        kinds[term] = (_CON, 1.0)
    negs = tuple(lex["negators"])
    for sec, kind in _CUE_KIND.items():
        for term, w in lex[sec].items():
            # a complaint cue ending in a negator ("still not", 一直没) also negates what follows
            ends_neg = term.rsplit(" ", 1)[-1] in negs if lang == "en" else term.endswith(negs)
            kinds[term] = (_CUEN if kind == _CUE and ends_neg else kind, w)
    for term, w in extra:
        kinds[term.lower()] = (_POL, float(w))
    terms = sorted(kinds, key=lambda t: (-len(t), t))
    alt = "|".join(re.escape(t) for t in terms)
    if lang == "en":
        body = rf"(?<![\w'])(?:{alt})(?![\w'])"
    else:
        body = f"(?:{alt})"
    pattern = re.compile(f"(?P<b>{_BOUNDARY[lang]})|(?P<t>{body})")
    return pattern, kinds


@dataclass(frozen=True, repr=False)
class SentimentResult(Result):
    """Result of :func:`sentiment`.

    Attributes
    ----------
    table : DataFrame
        One row per text, in input order (columns described in :func:`sentiment`).
    n_used, n_excluded : int
        Texts scored, and texts without a score (missing, not a string, or empty; they stay in
        the table with a missing score).
    threshold : float
        Label threshold on the score.
    """

    threshold: float = THRESHOLD

    title = "Sentiment"

    @property
    def score(self) -> pd.Series:
        """The score column."""
        return self.table["score"]

    @property
    def label(self) -> pd.Series:
        """The label column."""
        return self.table["label"]

    def shares(self) -> pd.Series:
        """Share of the scored texts per label, in the order negative, neutral, positive."""
        lab = self.table["label"].value_counts(normalize=True)
        return pd.Series(
            [float(lab.get(k, 0.0)) for k in LABELS], index=pd.Index(LABELS, name="label")
        )

    def summary(self) -> dict[str, Any]:
        sh = self.shares()
        return {
            "mean score": float(self.table["score"].mean()) if self.n_used else math.nan,
            **{str(k): float(v) for k, v in sh.items()},
        }

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Histogram of the scores coloured by label, thresholds marked, label shares in the
        legend. See :func:`needlab.painpoints.plot.sentiment_hist`."""
        from needlab.painpoints.plot import sentiment_hist

        return sentiment_hist(self, ax=ax, **kwargs)


_CTRL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _isna(x: Any) -> bool:
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def _check_lexicon(lexicon: Any) -> tuple[tuple[str, float], ...]:
    """The user's extra polarity terms as sorted (term, weight) pairs, checked."""
    if lexicon is None:
        return ()
    if not isinstance(lexicon, Mapping):
        raise ConfigError(
            f"lexicon must be a mapping of term to weight, e.g. {{'laggy': -2.0}}; "
            f"got {type(lexicon).__name__}."
        )
    blank = [k for k in lexicon if not isinstance(k, str) or not k.strip()]
    if blank:
        raise DataError(
            f"lexicon has {len(blank)} terms that are not non-blank text: {preview(blank)}; "
            "every term must be a word or phrase."
        )
    weights = {}
    for k, v in lexicon.items():
        try:
            weights[k] = float(v) if not isinstance(v, bool) else math.nan
        except (TypeError, ValueError):
            weights[k] = math.nan
    bad = [k for k, w in weights.items() if not math.isfinite(w)]
    if bad:
        raise DataError(
            f"lexicon has {len(bad)} terms whose weight is not a finite number: "
            f"{preview(f'{k}={lexicon[k]!r}' for k in bad)}; give every term a finite "
            "weight on about -3..3 (negative for negative words)."
        )
    return tuple(sorted((k, w) for k, w in weights.items()))


def _as_texts(texts: Any, name: str = "texts") -> pd.Series:
    if isinstance(texts, pd.DataFrame):
        raise SchemaError(
            f"{name} must be one column of texts, got a DataFrame with columns "
            f"{preview(texts.columns)}; pass data['text']."
        )
    if isinstance(texts, str):
        raise SchemaError(
            f"{name} must be a list or Series of texts, got one string; wrap it: [text]."
        )
    if isinstance(texts, pd.Series):
        return texts
    try:
        return pd.Series(list(texts), dtype=object)
    except TypeError:
        raise SchemaError(
            f"{name} must be a list or Series of texts, got {type(texts).__name__}."
        ) from None


def _score_group(
    texts: list[str], lang: str, extra: tuple[tuple[str, float], ...]
) -> tuple[Any, ...]:
    """Raw sums, term counts, negation counts, cue descriptions and the sums of the positive
    and of the (absolute) negative contributions of texts of one language (one regex pass)."""
    n = len(texts)
    pattern, kinds = _compiled(lang, extra)
    if lang == "en":
        texts = [t.lower().replace("\u2019", "'") for t in texts]
    big = "\n".join(texts)
    starts_doc = np.zeros(n, dtype=np.int64)
    if n > 1:
        starts_doc[1:] = np.cumsum(np.fromiter((len(t) + 1 for t in texts[:-1]), np.int64, n - 1))
    matches = [(m.start(), m.end(), m.lastgroup, m.group()) for m in pattern.finditer(big)]
    cues = np.full(n, "", dtype=object)
    if not matches:
        z = np.zeros(n)
        return z, z.astype(np.int64), z.astype(np.int64), cues, z, z.copy()
    start = np.fromiter((m[0] for m in matches), np.int64, len(matches))
    end = np.fromiter((m[1] for m in matches), np.int64, len(matches))
    info = [(_BND, 0.0) if m[2] == "b" else kinds[m[3]] for m in matches]
    kind = np.fromiter((i[0] for i in info), np.int64, len(info))
    val = np.fromiter((i[1] for i in info), float, len(info))
    doc = np.searchsorted(starts_doc, start, side="right") - 1
    idx = np.arange(len(kind))

    def last(mask: np.ndarray) -> np.ndarray:
        # index of the last token with mask strictly before each token (-1 if none)
        prev = np.maximum.accumulate(np.where(mask, idx, -1))
        return np.concatenate([[-1], prev[:-1]])

    def per_doc(mask: np.ndarray) -> np.ndarray:
        return np.bincount(doc, weights=mask.astype(float), minlength=n) > 0

    last_bnd = last((kind == _BND) | (kind == _CON))
    last_doc = np.concatenate([[-1], np.where(doc[1:] != doc[:-1], idx[1:] - 1, -1)])
    last_bnd = np.maximum(last_bnd, np.maximum.accumulate(last_doc))
    pol = kind == _POL
    cue = (kind == _CUE) | (kind == _CUEN) | (kind == _SAR)
    poli = kind == _POLI
    scored = pol | cue | poli
    last_pol = last(scored)
    win = WINDOW[lang]

    # negation applies to lexicon words only; complaint cues ending in a negator also negate
    ln = last((kind == _NEG) | (kind == _CUEN))
    negated = pol & (ln > last_bnd) & (ln >= 0)
    negated &= (start - end[np.maximum(ln, 0)]) <= win
    li = last(kind == _INT)
    intens = (pol | cue) & (li > last_bnd) & (li > last_pol) & (li >= 0)
    intens &= (start - end[np.maximum(li, 0)]) <= win
    factor = np.where(intens, val[np.maximum(li, 0)], 1.0) * np.where(negated, NEGATION, 1.0)

    # contrast: before the first contrast word of the text x0.5, after it x1.5
    con = kind == _CON
    first_con = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(first_con, doc[con], idx[con])
    has = first_con[doc] != np.iinfo(np.int64).max
    factor *= np.where(
        has & (idx < first_con[doc]),
        CONTRAST_BEFORE,
        np.where(has & (idx > first_con[doc]), CONTRAST_AFTER, 1.0),
    )
    contrib = np.where(pol | cue, val * factor, 0.0)
    # sarcasm: a marker flips the positive words of its text (VADER's negation factor)
    sarcastic = per_doc(kind == _SAR)
    flip = pol & sarcastic[doc] & (contrib > 0)
    contrib = np.where(flip, contrib * NEGATION, contrib)
    # politeness counts only in a text without negative evidence
    negative = per_doc((pol | cue) & (contrib < 0))
    polite_kept = poli & ~negative[doc]
    contrib = np.where(polite_kept, val * factor, contrib)
    raw = np.bincount(doc, weights=contrib, minlength=n)
    pos_sum = np.bincount(doc, weights=np.maximum(contrib, 0.0), minlength=n)
    neg_sum = np.bincount(doc, weights=np.maximum(-contrib, 0.0), minlength=n)
    n_terms = np.bincount(doc, weights=(scored & (val != 0)).astype(float), minlength=n).astype(
        np.int64
    )
    n_neg = np.bincount(doc, weights=(negated & (val != 0)).astype(float), minlength=n).astype(
        np.int64
    )
    # the cues found, per text: "complaint: still waiting; sarcasm: #sarcasm; ..."
    show = np.flatnonzero(cue | poli)
    if len(show):
        parts: dict[int, dict[str, list[str]]] = {}
        names = {_CUE: "complaint", _CUEN: "complaint", _SAR: "sarcasm"}
        for j in show.tolist():
            k = int(kind[j])
            name = names.get(k) or ("politeness" if polite_kept[j] else "politeness ignored")
            parts.setdefault(int(doc[j]), {}).setdefault(name, []).append(matches[j][3])
        for d, byname in parts.items():
            cues[d] = "; ".join(f"{k}: {', '.join(dict.fromkeys(v))}" for k, v in byname.items())
    return raw, n_terms, n_neg, cues, pos_sum, neg_sum


def _normalise(raw: np.ndarray) -> np.ndarray:
    """The score ``s / sqrt(s^2 + ALPHA)`` of raw sums ``s``."""
    return np.asarray(raw / np.sqrt(raw**2 + ALPHA), dtype=float)


def _label(score: np.ndarray, threshold: float) -> np.ndarray:
    """``positive`` at or above *threshold*, ``negative`` at or below its negative, else
    ``neutral`` (object array; NaN scores are ``neutral``: callers blank them)."""
    return np.where(
        score >= threshold, "positive", np.where(score <= -threshold, "negative", "neutral")
    ).astype(object)


def _lexicon_labels(strings: Sequence[str], lang: str) -> list[str]:
    """Labels of :func:`sentiment` (default threshold and lexicon) of strings of one language.

    The internal scorer behind :mod:`needlab.painpoints.polarity`: the same control-character
    handling, scoring (:func:`_score_group`) and labelling as :func:`sentiment` with
    ``text_lang=lang``, without language detection or a result table. A blank string scores 0
    and is ``neutral`` (where :func:`sentiment` gives no label, which callers read as neutral).

    Examples
    --------
    >>> _lexicon_labels(["很好", "很差", "送餐员"], "zh")
    ['positive', 'negative', 'neutral']
    """
    if not strings:
        return []
    vals = [_CTRL.sub(" ", v) if _CTRL.search(v) else v for v in strings]
    raw = _score_group(vals, lang, ())[0]
    return [str(v) for v in _label(_normalise(raw), THRESHOLD)]


def sentiment(
    data: Any,
    text: Hashable | None = None,
    *,
    text_lang: TextLang = "auto",
    threshold: float = THRESHOLD,
    lexicon: Mapping[str, float] | None = None,
) -> SentimentResult:
    """Lexicon sentiment of Chinese and English texts, offline, with negation, intensifiers and
    complaint cues (requests for help, waiting, sarcasm, politeness after a complaint).

    Parameters
    ----------
    data : list, Series, DataFrame or Survey
        The texts, or a frame (or :class:`~needlab.Survey`) holding them in column *text*.
        Missing values, non-strings and empty strings get no score (counted in ``n_excluded``);
        the result table keeps the index of a Series or frame.
    text : column name, optional
        The text column when *data* is a DataFrame or Survey.
    text_lang : {"auto", "zh", "en"} or column name
        Language of the texts; ``"auto"`` decides per text (:func:`needlab._i18n.detect_lang`:
        Chinese when at least 20% of the letters are Chinese characters), or a column of *data*
        holding ``zh``/``en`` (missing values are detected).
    threshold : float
        Scores ``>= threshold`` are positive, ``<= -threshold`` negative, the rest neutral; a
        number in [0, 1). The default is calibrated (module docstring).
    lexicon : mapping of str to float, optional
        Extra polarity terms (weights on about -3..3) added to the bundled lexicons of both
        languages; an existing term gets the new weight. Terms must be non-blank text and
        weights finite numbers.

    Returns
    -------
    SentimentResult
        ``.table`` has one row per text with columns:

        * ``lang``: ``"zh"`` or ``"en"`` (``""`` for missing texts);
        * ``score``: normalised sentiment in (-1, 1), ``s / sqrt(s^2 + 15)`` (NaN if missing);
        * ``label``: ``"negative"``, ``"neutral"`` or ``"positive"`` (missing if no text);
        * ``raw``: the weighted sum ``s`` of the polarity words;
        * ``n_terms``: polarity words found;
        * ``n_negated``: of which negated;
        * ``cues``: the complaint cues found, e.g. ``"complaint: can you fix; politeness
          ignored: thank you"`` or ``"sarcasm: #sarcasm"`` (``""`` when none).

        ``n_used`` counts the texts scored, ``n_excluded`` those without a score: missing,
        empty or blank, and values that are not text (numbers, bytes: decode bytes first),
        counted by kind in the notes. NUL and other control characters are read as spaces
        (counted in the notes). Texts are scored whole, however long: the matching is one
        pass of literal terms, linear in the length of the text.

    Raises
    ------
    SchemaError
        *data* is a single string, or a frame without *text*.
    ConfigError
        Invalid *text_lang* or *threshold*; *lexicon* not a mapping of term to weight.
    DataError
        A language column with values other than ``zh``/``en``; *lexicon* terms that are blank
        or whose weights are not finite numbers (NaN, inf, text), named in the message.

    References
    ----------
    Hutto, C. J. and Gilbert, E. (2014). VADER: A parsimonious rule-based model for sentiment
    analysis of social media text. *Proceedings of ICWSM-14*.

    Examples
    --------
    >>> res = sentiment(["这个不错", "质量不好", "一点也不贵", "very good", "not good", None])
    >>> res.table["label"].tolist()[:5]
    ['positive', 'negative', 'positive', 'positive', 'negative']
    >>> res.n_used, res.n_excluded
    (5, 1)
    >>> sentiment(["Can you fix my booking asap? Thank you.", "求解决，谢谢"]).label.tolist()
    ['negative', 'negative']
    """
    if isinstance(threshold, bool) or not (
        isinstance(threshold, (int, float, np.integer, np.floating)) and 0 <= threshold < 1
    ):
        raise ConfigError(
            f"threshold must be a number in [0, 1) (scores at or beyond it are labelled), "
            f"got {threshold!r}."
        )
    extra = _check_lexicon(lexicon)
    src = text_column(data, text)
    s = src.values
    n = len(s)
    values = s.to_numpy(dtype=object)
    is_str = np.fromiter((isinstance(v, str) for v in values), bool, n)
    has_ctrl = np.fromiter(
        (isinstance(v, str) and _CTRL.search(v) is not None for v in values), bool, n
    )
    if has_ctrl.any():
        values = values.copy()
        values[has_ctrl] = [_CTRL.sub(" ", v) for v in values[has_ctrl]]
        s = pd.Series(values, index=s.index, dtype=object)
    langs = text_langs(s, text_lang, src.frame)
    ok = (langs != "") & is_str
    langs = np.where(ok, langs, "").astype(object)
    raw = np.zeros(n)
    n_terms = np.zeros(n, dtype=np.int64)
    n_neg = np.zeros(n, dtype=np.int64)
    cues = np.full(n, "", dtype=object)
    for lg in ("zh", "en"):
        pos = np.flatnonzero(langs == lg)
        if len(pos):
            r, t, g, c, _, _ = _score_group([values[i] for i in pos], lg, extra)
            raw[pos], n_terms[pos], n_neg[pos], cues[pos] = r, t, g, c
    score = np.where(ok, _normalise(raw), np.nan)
    label = _label(score, threshold)
    label[~ok] = None
    table = pd.DataFrame(
        {
            "lang": langs,
            "score": score,
            "label": label,
            "raw": np.where(ok, raw, np.nan),
            "n_terms": n_terms,
            "n_negated": n_neg,
            "cues": cues,
        },
        index=s.index,
    )
    n_excluded = int((~ok).sum())
    missing = np.fromiter((v is None or _isna(v) for v in values), bool, n) & ~is_str
    kinds = {
        "missing": int(missing.sum()),
        "empty": int((is_str & ~ok).sum()),
        "not text (numbers, bytes, ...)": int((~is_str & ~missing).sum()),
    }
    notes_l = []
    if n_excluded:
        notes_l.append(
            f"{n_excluded} texts without a score: "
            + ", ".join(f"{v} {k}" for k, v in kinds.items() if v)
            + "."
        )
    n_ctrl = int((has_ctrl & ok).sum())
    if n_ctrl:
        notes_l.append(f"{n_ctrl} texts hold NUL or other control characters, read as spaces.")
    notes = tuple(notes_l)
    return SentimentResult(
        table=table,
        threshold=float(threshold),
        n_used=n - n_excluded,
        n_excluded=n_excluded,
        notes=notes,
    )


_METRICS = ("macro_f1", "accuracy", "balanced_accuracy")


def _metric(y: np.ndarray, p: np.ndarray, metric: str) -> float:
    if metric == "accuracy":
        return float(np.mean(y == p))
    present = [k for k in LABELS if (y == k).any()]
    if metric == "balanced_accuracy":
        return float(np.mean([np.mean(p[y == k] == k) for k in present]))
    f = []
    for k in LABELS:
        tp = float(((p == k) & (y == k)).sum())
        fp = float(((p == k) & (y != k)).sum())
        fn = float(((p != k) & (y == k)).sum())
        f.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return float(np.mean(f))


def calibrate_threshold(
    data: Any,
    outcome: Any,
    *,
    text: Hashable | None = None,
    text_lang: TextLang = "auto",
    grid: Sequence[float] | None = None,
    metric: Literal["macro_f1", "accuracy", "balanced_accuracy"] = "macro_f1",
    lexicon: Mapping[str, float] | None = None,
) -> float:
    """The neutral band of :func:`sentiment` that best reproduces hand labels of your corpus.

    Scores the texts once and returns the value of *grid* whose labels (``positive`` when
    ``score >= t``, ``negative`` when ``score <= -t``, else ``neutral``) maximise *metric*
    against *outcome*; ties go to the smallest value. Pass the result as
    ``sentiment(..., threshold=t)``.

    What "neutral" means is a labelling convention that differs between corpora, so the band
    travels badly: on CCF 2018 car-forum comments (70% neutral: a topic mentioned without an
    opinion on it) the default 0.05 labels 0.47 correctly; 0.40, calibrated on a stratified
    half (seed 14), gives accuracy 0.63 and macro-F1 0.47 on the other half (0.47 / 0.42 at
    0.05), while on cosmetics reviews (91% positive) the same 0.40 drops accuracy from 0.90 to
    0.78 (``benchmarks/bench_sentiment_real.py``). Calibrate on a labelled sample of the corpus
    you score, and measure on texts not used to calibrate.

    Parameters
    ----------
    data : list, Series, DataFrame or Survey
        The texts (as for :func:`sentiment`).
    outcome : sequence or column name
        One of ``"negative"``, ``"neutral"``, ``"positive"`` per text, or a column of *data*
        holding them. Texts with a missing label or without a score are left out.
    text : column name, optional
        The text column when *data* is a table.
    text_lang : {"auto", "zh", "en"} or column name
        As for :func:`sentiment`.
    grid : sequence of float, optional
        Candidate thresholds in [0, 1); default 0.05, 0.10, ..., 0.90.
    metric : {"macro_f1", "accuracy", "balanced_accuracy"}
        What to maximise: the mean of the three per-label F1 scores (default: every label
        counts equally, so a majority-label corpus does not push the band to an extreme),
        the share correct, or the mean per-label recall.
    lexicon : mapping of str to float, optional
        Extra polarity terms, as for :func:`sentiment`.

    Returns
    -------
    float
        The chosen threshold.

    Raises
    ------
    ConfigError
        Unknown *metric*; *grid* empty or with values outside [0, 1).
    DataError
        *outcome* of another length than the texts, labels other than the three names (named
        in the message), or no text with both a label and a score.

    Examples
    --------
    >>> texts = ["很好", "有点好", "一般般吧", "有点差", "太差了"]
    >>> calibrate_threshold(texts, ["positive", "neutral", "neutral", "neutral", "negative"])
    0.3
    """
    check_option(metric, list(_METRICS), "metric")
    g = np.round(np.arange(0.05, 0.901, 0.05), 2) if grid is None else np.asarray(grid, float)
    if g.ndim != 1 or len(g) == 0 or not np.all((g >= 0) & (g < 1)):
        raise ConfigError(
            f"grid must be a non-empty list of thresholds in [0, 1), got {preview(np.ravel(g))}."
        )
    if (
        isinstance(data, pd.DataFrame)
        and isinstance(outcome, Hashable)
        and not isinstance(outcome, tuple)
        and outcome in data.columns
    ):
        check_columns(data, outcome)
        lab = data[outcome].astype(object)
    else:
        lab = pd.Series(list(_as_texts(outcome, "outcome")), dtype=object)
    res = sentiment(data, text, text_lang=text_lang, lexicon=lexicon)
    if len(lab) != len(res.table):
        raise DataError(
            f"outcome has {len(lab)} values but there are {len(res.table)} texts; pass one "
            "label per text."
        )
    y = lab.to_numpy(dtype=object)
    known = pd.Series(y).isin(LABELS).to_numpy()
    missing = pd.Series(y).isna().to_numpy()
    if (~known & ~missing).any():
        raise DataError(
            f"outcome labels must be 'negative', 'neutral' or 'positive'; found "
            f"{preview(y[~known & ~missing])}. Recode them (e.g. -1/0/1 to the names)."
        )
    score = res.table["score"].to_numpy(dtype=float)
    use = known & ~np.isnan(score)
    if not use.any():
        raise DataError("no text has both a label and a score; nothing to calibrate on.")
    y, score = y[use].astype(str), score[use]
    vals = [
        _metric(
            y,
            np.where(score >= t, "positive", np.where(score <= -t, "negative", "neutral")),
            metric,
        )
        for t in g
    ]
    return float(g[int(np.argmax(vals))])


LEXICON_FEATURES = ("score", "positive", "negative", "complaint cue", "sarcasm")
"""Names of the lexicon features of :class:`SentimentModel` (``lexicon_features=True``)."""


def lexicon_features(texts: Any, *, text_lang: TextLang = "auto") -> np.ndarray:
    """The lexicon route as five numeric features per text, for a trainable model.

    With ``P`` the sum of the positive and ``N`` the sum of the absolute negative word
    contributions of :func:`sentiment` (after negation, intensifiers, contrast and cues;
    ``raw = P - N``), the columns (:data:`LEXICON_FEATURES`) are ``score = raw / sqrt(raw^2 +
    15)``, ``P / sqrt(P^2 + 15)``, ``N / sqrt(N^2 + 15)`` (all in [-1, 1]: a mixed text has both
    high, a text without opinion words both 0), and 0/1 flags for a complaint cue and a sarcasm
    marker. Missing, empty and non-text values give a row of zeros.

    Parameters
    ----------
    texts : list or Series of str
        The texts.
    text_lang : {"auto", "zh", "en"}
        Language of the texts (``"auto"``: per text).

    Returns
    -------
    numpy.ndarray
        Shape ``(len(texts), 5)``, float.

    Examples
    --------
    >>> lexicon_features(["很好", "太差了", "滤网周一到的"]).round(2)[:, :3].tolist()
    [[0.44, 0.44, 0.0], [-0.61, 0.0, 0.61], [0.0, 0.0, 0.0]]
    """
    check_option(text_lang, ["auto", "zh", "en"], "text_lang")
    s = _as_texts(texts, "texts")
    values = s.to_numpy(dtype=object)
    n = len(values)
    ok = np.fromiter((isinstance(v, str) and bool(v.strip()) for v in values), bool, n)
    vals = np.where(ok, values, "").astype(object)
    langs = text_langs(pd.Series(vals, dtype=object), text_lang, None)
    out = np.zeros((n, len(LEXICON_FEATURES)))
    for lg in ("zh", "en"):
        pos = np.flatnonzero(ok & (langs == lg))
        if len(pos):
            txt = [_CTRL.sub(" ", str(vals[i])) for i in pos]
            raw, _, _, cues, p_sum, n_sum = _score_group(txt, lg, ())
            cue = np.fromiter(("complaint:" in c for c in cues), float, len(pos))
            sar = np.fromiter(("sarcasm:" in c for c in cues), float, len(pos))
            out[pos] = np.column_stack(
                [
                    raw / np.sqrt(raw**2 + ALPHA),
                    p_sum / np.sqrt(p_sum**2 + ALPHA),
                    n_sum / np.sqrt(n_sum**2 + ALPHA),
                    cue,
                    sar,
                ]
            )
    return out


class _LexiconFeatures(TransformerMixin, BaseEstimator):
    """:func:`lexicon_features` as a stateless scikit-learn transformer (sparse output, so it
    stacks beside the TF-IDF blocks)."""

    def fit(self, X: Any, y: Any = None) -> _LexiconFeatures:
        return self

    def transform(self, X: Any) -> Any:
        from scipy import sparse

        return sparse.csr_matrix(lexicon_features(list(X)))


class SentimentModel(ClassifierMixin, BaseEstimator):
    """Trainable sentiment classifier: TF-IDF word and character n-grams, plus the lexicon
    route's scores as features, and a class-weighted logistic regression.

    Features (stacked side by side):

    * ``char_wb`` character n-grams (default 1-3; they read Chinese without a segmenter) and
      word n-grams (default 1-2, English), TF-IDF with sublinear term frequency, l2-normalised
      per block (:func:`~needlab.painpoints.textcoder.make_vectorizer`);
    * with ``lexicon_features=True``, the five lexicon features of :func:`lexicon_features`
      (score, positive and negative evidence, complaint cue, sarcasm marker): they carry the
      negation, intensifier and cue rules, which bag-of-n-gram features learn only from many
      examples, and help most when the training set is small or from another domain.

    The classifier is a multinomial logistic regression (``C``; ``class_weight="balanced"``
    weights each class by ``n / (k n_c)``, so a rare class such as ``neutral`` is not drowned by
    the majority). The prediction is the most probable class; there is no separate neutral band:
    ``neutral`` is a class learned from the labels.

    Defaults chosen by 5-fold stratified cross-validation on ONE training corpus,
    SemEval-2014 restaurant sentences (``benchmarks/bench_sentiment_real.py --model``), over
    ``C`` in {1, 4, 16} and ``lexicon_features`` in {False, True}; the other corpora of that
    benchmark are only reported.

    A scikit-learn classifier: ``X`` is a list or Series of texts; ``fit`` / ``predict`` /
    ``predict_proba`` / ``score``, ``clone`` and grid search work.

    Parameters
    ----------
    C : float
        Inverse regularisation strength of the logistic regression.
    char_ngrams : tuple of int
        Character n-gram range.
    word_ngrams : tuple of int
        Word n-gram range (``None`` to use characters only).
    min_df : int
        Minimum document frequency of a feature.
    class_weight : {"balanced", None}
        Passed to the logistic regression.
    lexicon_features : bool
        Add the lexicon route's five features (:func:`lexicon_features`; the bundled lexicons,
        language detected per text).
    random_state : int, Generator or None
        Seed passed to the logistic regression. The default solver (L-BFGS) is deterministic, so
        two fits on the same data give the same model whatever the seed; it is kept for
        scikit-learn conventions and solvers that shuffle.

    Attributes
    ----------
    classes_ : numpy.ndarray
        The labels, in the column order of :meth:`predict_proba`.
    pipeline_ : Pipeline
        The fitted features and logistic regression.
    n_dropped_ : int
        Training rows dropped (missing text or label).

    References
    ----------
    Pang, B., Lee, L. and Vaithyanathan, S. (2002). Thumbs up? Sentiment classification using
    machine learning techniques. *Proceedings of EMNLP*.

    Mohammad, S. M., Kiritchenko, S. and Zhu, X. (2013). NRC-Canada: building the
    state-of-the-art in sentiment analysis of tweets. *Proceedings of SemEval-2013* (n-grams
    plus lexicon scores as features of a linear classifier).

    Examples
    --------
    >>> m = SentimentModel().fit(["很好吃", "太难吃了", "送餐很快", "送得太慢"] * 3, [1, 0, 1, 0] * 3)
    >>> m.predict(["很好吃", "太慢了"]).tolist()
    [1, 0]
    """

    def __init__(
        self,
        *,
        C: float = 4.0,
        char_ngrams: tuple[int, int] = (1, 3),
        word_ngrams: tuple[int, int] | None = (1, 2),
        min_df: int = 1,
        class_weight: Literal["balanced"] | None = "balanced",
        lexicon_features: bool = True,
        random_state: RandomState = None,
    ) -> None:
        self.C = C
        self.char_ngrams = char_ngrams
        self.word_ngrams = word_ngrams
        self.min_df = min_df
        self.class_weight = class_weight
        self.lexicon_features = lexicon_features
        self.random_state = random_state

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags

    def _pipeline(self) -> Any:
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import FeatureUnion, make_pipeline

        from needlab.painpoints.textcoder import make_vectorizer

        feats = make_vectorizer(self.char_ngrams, self.word_ngrams, self.min_df)
        if self.lexicon_features:
            feats = FeatureUnion([("ngrams", feats), ("lexicon", _LexiconFeatures())])
        seed = self.random_state
        if isinstance(seed, np.random.Generator):
            seed = int(seed.integers(2**31 - 1))
        return make_pipeline(
            feats,
            LogisticRegression(
                C=self.C, class_weight=self.class_weight, max_iter=2000, random_state=seed
            ),
        )

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> SentimentModel:
        """Fit on the texts *X* and their labels *y* (any hashable labels, e.g. 0/1 or names).

        Rows with a missing text or label are dropped (counted in ``n_dropped_``).

        Parameters
        ----------
        X : list or Series of str
            The texts.
        y : sequence
            One label per text.
        sample_weight : array of float, optional
            One weight per text (finite, >= 0), passed to the logistic regression.

        Returns
        -------
        SentimentModel
            The fitted model.

        Raises
        ------
        ConfigError
            Invalid parameters (:func:`~needlab.painpoints.textcoder.check_model_params`):
            ``C`` not a finite number > 0, n-gram ranges not ``(low, high)`` with
            ``1 <= low <= high``, ``min_df`` < 1, unknown ``class_weight``.
        DataError
            Lengths differ, invalid sample weights, or fewer than two classes remain.
        """
        from needlab.painpoints.textcoder import check_model_params

        check_model_params(self)
        if not isinstance(self.lexicon_features, (bool, np.bool_)):
            raise ConfigError(
                f"lexicon_features={self.lexicon_features!r} is not valid; give True (add the "
                "lexicon scores as features) or False (n-grams only)."
            )
        s = _as_texts(X, "X")
        yy = pd.Series(list(y), dtype=object)
        if len(yy) != len(s):
            raise DataError(f"X has {len(s)} texts but y has {len(yy)}; pass one label per text.")
        sw = check_weights(None, sample_weight, len(s)) if sample_weight is not None else None
        ok = (
            s.map(lambda v: isinstance(v, str) and bool(v.strip())).to_numpy(dtype=bool)
            & yy.notna().to_numpy()
        )
        yv = yy[ok].to_numpy()
        if len(set(yv.tolist())) < 2:
            raise DataError(
                f"y needs at least two classes among texts with a label; got {preview(yv)}."
            )
        fit_params = {} if sw is None else {"logisticregression__sample_weight": sw[ok]}
        self.pipeline_ = self._pipeline().fit(s[ok].astype(str).tolist(), yv.tolist(), **fit_params)
        self.classes_ = self.pipeline_.classes_
        self.n_dropped_ = int((~ok).sum())
        return self

    def _x(self, X: Any) -> list[str]:
        if not hasattr(self, "pipeline_"):
            from needlab.errors import NotFittedError

            raise NotFittedError("This SentimentModel is not fitted yet; call fit(X, y) first.")
        s = _as_texts(X, "X")
        return [v if isinstance(v, str) else "" for v in s.tolist()]

    def predict(self, X: Any) -> np.ndarray:
        """Predicted label per text (missing texts are scored as empty text)."""
        x = self._x(X)
        return np.asarray(self.pipeline_.predict(x))

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities per text, columns in :attr:`classes_` order."""
        x = self._x(X)
        return np.asarray(self.pipeline_.predict_proba(x))


def implicit_needs(
    data: Any,
    *,
    sentiment: Any,
    has_code: Hashable | Sequence[bool] | np.ndarray | None = None,
    text: Hashable = "text",
    threshold: float = -0.05,
) -> pd.DataFrame:
    """Negative texts without an explicit pain code: candidates for implicit needs (隐性需求).

    Parameters
    ----------
    data : CodingResult, DataFrame, list or Series
        The coding of :func:`~needlab.painpoints.coding.code_text` (its table's ``coded`` and
        ``text`` columns are used); a table with a boolean column *has_code* (default
        ``"coded"``) and optionally a *text* column; or the texts themselves (then give
        *has_code* as one bool per text).
    sentiment : SentimentResult, array of scores, or Series of labels
        Sentiment of the same texts, in the same order: a :class:`SentimentResult`, scores
        (negative when ``<= threshold``), or labels (``"negative"``).
    has_code : column name or array of bool, optional
        Whether each text has an explicit pain code: a column of a table (default ``"coded"``),
        or one bool per text (required when *data* holds texts).
    text : hashable
        The text column of a table.
    threshold : float
        Score at or below which a text is negative.

    Returns
    -------
    DataFrame
        The negative, uncoded texts (index: the input's), columns ``text`` (when known),
        ``score`` (NaN when labels were given) and ``label``, most negative first.

    Raises
    ------
    SchemaError
        A table without the *has_code* column, or texts without *has_code*.
    DataError
        Lengths differ, or *has_code* values that are not True/False.

    Examples
    --------
    >>> texts = ["配网一直失败", "用了两天就不想用了，很失望", "很好用"]
    >>> out = implicit_needs(texts, sentiment=sentiment(texts), has_code=[True, False, False])
    >>> out["text"].tolist()
    ['用了两天就不想用了，很失望']
    """
    from needlab.painpoints.coding import CodingResult

    if isinstance(data, CodingResult):
        data = data.table
    txt: pd.Series | None
    if isinstance(data, pd.DataFrame):
        index = data.index
        txt = data[text] if text in data.columns else None
        if has_code is None or isinstance(has_code, (str, int, tuple)):
            col = "coded" if has_code is None else has_code
            check_columns(data, col)
            flags = data[col]
        else:
            flags = pd.Series(list(cast(Sequence[bool], has_code)), dtype=object, index=index)
            if len(flags) != len(data):
                raise DataError(
                    f"has_code has {len(flags)} values but there are {len(data)} texts."
                )
    else:
        txt = _as_texts(data, "data")
        if has_code is None:
            raise SchemaError(
                "has_code is missing: pass has_code=<one bool per text> (True when the text "
                "has an explicit pain code), or a table with a 'coded' column."
            )
        flags = pd.Series(list(cast(Sequence[bool], has_code)), dtype=object)
        index = txt.index
        if len(flags) != len(txt):
            raise DataError(f"has_code has {len(flags)} values but there are {len(txt)} texts.")
    bad = ~flags.isin([True, False, 0, 1]).to_numpy()
    if bad.any():
        raise DataError(
            f"has_code must be True/False; found {preview(flags[bad])}. Missing means "
            "not coded: fill with False."
        )
    fl = flags.astype(bool).to_numpy()
    n = len(fl)
    if isinstance(sentiment, SentimentResult):
        score = sentiment.table["score"].to_numpy(dtype=float)
        label = sentiment.table["label"].to_numpy(dtype=object)
    else:
        arr = pd.Series(list(sentiment), dtype=object)
        num = pd.to_numeric(arr, errors="coerce")
        if num.notna().sum() == arr.notna().sum():
            score = num.to_numpy(dtype=float)
            label = np.where(score <= threshold, "negative", "not negative").astype(object)
        else:
            score = np.full(len(arr), np.nan)
            label = arr.to_numpy(dtype=object)
    if len(score) != n:
        raise DataError(
            f"sentiment has {len(score)} values but there are {n} texts; pass the "
            "sentiment of the same texts in the same order."
        )
    neg = np.where(np.isnan(score), label == "negative", score <= threshold)
    keep = neg & ~fl
    out = pd.DataFrame({"score": score, "label": label}, index=index)
    if txt is not None:
        out.insert(0, "text", txt.to_numpy(dtype=object))
    out = out[keep]
    return out.sort_values("score", kind="stable")
