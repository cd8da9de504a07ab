"""Topic discovery in feedback texts: NMF on TF-IDF, Chinese and English.

:func:`discover_topics` finds themes nobody coded yet. Texts become TF-IDF vectors of terms:
English words without stop words (scikit-learn's list), Chinese words from jieba when it is
installed (an optional dependency) or else overlapping character bigrams (bigrams touching a
one-character function word such as 的 or 了 are dropped). Non-negative matrix
factorisation (Lee and Seung 1999) splits the matrix into text-topic weights ``W`` and
topic-term weights ``H``.

With ``n_topics="auto"`` every number of topics in ``k_range`` is fitted and the one with the
highest mean topic coherence is kept: the normalised pointwise mutual information (NPMI, Bouma
2009) of the pairs among each topic's top ``n_terms`` terms (the model's own, shared or not), with
probabilities from document co-occurrence in the corpus itself (Aletras and Stevenson 2013). Ties
go to the smaller number.

Stop words and fillers of both languages come from ``data/stopwords_zh.txt`` and
``data/stopwords_en.txt`` (see :func:`default_stopwords`; ``stopwords=`` adds to or replaces
them). Each term is shown in one topic only: the one where it is most distinctive (lift).
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

import numpy as np
import pandas as pd

from needlab._result import Result
from needlab._types import RandomState, TextLang
from needlab._validate import check_option
from needlab.errors import ConfigError, DataError
from needlab.painpoints.texts import text_column

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["TopicResult", "default_stopwords", "discover_topics", "topic_analyzer"]

Segmenter = Literal["auto", "jieba", "bigram"]

_LATIN = re.compile(r"[a-z][a-z']+")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_DATA = Path(__file__).parent / "data"
_NUMERAL = re.compile(r"^[一二三四五六七八九十两半几多个百千万零〇第每]+$")


def _read_words(name: str) -> frozenset[str]:
    words: set[str] = set()
    with open(_DATA / name, encoding="utf-8") as fh:
        for line in fh:
            if not line.lstrip().startswith("#"):
                words.update(w.lower() for w in line.split())
    return frozenset(words)


@lru_cache(maxsize=1)
def _zh_stop() -> frozenset[str]:
    return _read_words("stopwords_zh.txt")


@lru_cache(maxsize=1)
def _english_stop() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | _read_words("stopwords_en.txt")


def default_stopwords(lang: Literal["zh", "en"]) -> frozenset[str]:
    """The default topic stop words of one language (a frozenset; combine with set operations).

    Chinese: function words, pronouns, connectives, degree adverbs, hedges and generic
    evaluations (``不错``, ``但是``, ``不是``, ``就是``, ``感觉``, ``非常``, ``有点`` ...) from
    ``needlab/painpoints/data/stopwords_zh.txt``. English: scikit-learn's stop-word list plus
    contractions, fillers and generic evaluations (``really``, ``great``, ``thing`` ...) from
    ``stopwords_en.txt``. Pass ``default_stopwords("zh") - {"一般"}`` with
    ``default_stopwords=False`` to :func:`discover_topics` to keep a word.

    Examples
    --------
    >>> {"不错", "但是"} <= default_stopwords("zh") and "really" in default_stopwords("en")
    True
    """
    check_option(lang, ["zh", "en"], "lang")
    return _zh_stop() if lang == "zh" else _english_stop()


def _stop_sets(
    stopwords: Iterable[str] | None, use_defaults: bool
) -> tuple[frozenset[str], frozenset[str]]:
    """(English, Chinese) stop sets: the defaults (unless *use_defaults* is False) plus *stopwords*."""
    if isinstance(stopwords, str) or not (stopwords is None or isinstance(stopwords, Iterable)):
        raise ConfigError(
            f"stopwords={stopwords!r} is not valid; give a list of words, e.g. "
            "stopwords=['外卖', 'app'], or None."
        )
    extra = [] if stopwords is None else list(stopwords)
    bad = [w for w in extra if not isinstance(w, str)]
    if bad:
        raise ConfigError(f"stopwords must be strings; got {bad[:3]!r}.")
    user = frozenset(w.strip().lower() for w in extra if w.strip())
    en = (_english_stop() if use_defaults else frozenset()) | user
    zh = (_zh_stop() if use_defaults else frozenset()) | user
    return en, zh


def _jieba() -> Any:
    try:
        import jieba
    except ImportError:
        return None
    jieba.setLogLevel(60)
    return jieba


def topic_analyzer(
    doc: str,
    segmenter: Literal["jieba", "bigram"] = "bigram",
    *,
    stop_en: frozenset[str] | None = None,
    stop_zh: frozenset[str] | None = None,
) -> list[str]:
    """Terms of one text: English words and Chinese words or bigrams, stop words dropped.

    *stop_en* and *stop_zh* default to :func:`default_stopwords`. Chinese words (jieba) are
    dropped when they are stop words, one character long or numerals with measure words
    (``两个``, ``一个半``); bigrams are dropped when they are stop words or touch a
    one-character stop word (的, 了, 很, ...).

    Examples
    --------
    >>> topic_analyzer("The app 配网失败 keeps failing")
    ['app', 'keeps', 'failing', '配网', '网失', '失败']
    """
    low = doc.lower()
    stop = _english_stop() if stop_en is None else stop_en
    zstop = _zh_stop() if stop_zh is None else stop_zh
    out = [w for w in _LATIN.findall(low) if w not in stop]
    jb = _jieba() if segmenter == "jieba" else None
    for run in _CJK_RUN.findall(low):
        if jb is not None:
            out.extend(
                w for w in jb.lcut(run) if len(w) > 1 and w not in zstop and not _NUMERAL.match(w)
            )
        else:
            out.extend(
                b
                for b in (run[i : i + 2] for i in range(len(run) - 1))
                if b[0] not in zstop
                and b[1] not in zstop
                and b not in zstop
                and not _NUMERAL.match(b)
            )
    return out


@dataclass(frozen=True, repr=False)
class TopicResult(Result):
    """Result of :func:`discover_topics`.

    Attributes
    ----------
    table : DataFrame
        One row per topic (columns in :func:`discover_topics`).
    terms : DataFrame
        Columns ``topic``, ``rank``, ``term``, ``weight``: the top terms of each topic.
    representatives : DataFrame
        Columns ``topic``, ``rank``, ``position``, ``text``, ``weight``: the texts with the
        highest weight on each topic.
    assignments : DataFrame
        One row per input text: ``topic`` (the topic of largest weight; -1 for texts without
        any term) and ``weight`` (that weight, rows of ``W`` normalised to sum 1).
    k_scores : DataFrame
        With ``n_topics="auto"``: ``n_topics``, ``coherence`` (mean NPMI), ``reconstruction_error``.
    n_topics : int
        Topics.
    n_used, n_excluded : int
        Texts used, and texts left out (missing, empty or not text).
    segmenter : str
        How Chinese was split: ``"jieba"`` or ``"bigram"``.
    """

    terms: pd.DataFrame = field(default_factory=pd.DataFrame)
    representatives: pd.DataFrame = field(default_factory=pd.DataFrame)
    assignments: pd.DataFrame = field(default_factory=pd.DataFrame)
    k_scores: pd.DataFrame = field(default_factory=pd.DataFrame)
    n_topics: int = 0
    segmenter: str = "bigram"

    title = "Topics (NMF)"

    def summary(self) -> dict[str, Any]:
        return {
            "topics": self.n_topics,
            "mean coherence (NPMI)": float(self.table["coherence"].mean()),
            "Chinese terms": self.segmenter,
        }

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Topic sizes as bars labelled with their top terms.

        See :func:`needlab.painpoints.plot.topic_sizes`.
        """
        from needlab.painpoints.plot import topic_sizes

        return topic_sizes(self, ax=ax, **kwargs)

    def tables(self) -> dict[str, pd.DataFrame]:
        return {
            "topics": self.table,
            "terms": self.terms,
            "representatives": self.representatives,
            "assignments": self.assignments,
            "k_scores": self.k_scores,
        }


def _npmi(binary: Any, top: Sequence[np.ndarray]) -> np.ndarray:
    """Mean NPMI over the pairs of each row of *top* (term indices), from document co-occurrence."""
    n_docs = binary.shape[0]
    out = np.empty(len(top))
    for t, idx in enumerate(top):
        sub = binary[:, idx]
        co = np.asarray((sub.T @ sub).todense(), dtype=float) / n_docs
        p = np.diag(co).copy()
        with np.errstate(divide="ignore", invalid="ignore"):
            pmi = np.log(co / np.outer(p, p))
            npmi = pmi / -np.log(co)
        npmi[co == 0] = -1.0
        npmi[np.isclose(co, 1.0)] = 1.0  # two terms in every text
        iu = np.triu_indices(len(idx), 1)
        out[t] = float(np.mean(npmi[iu])) if len(iu[0]) else math.nan
    return out


_RELEVANCE_LAMBDA = 0.6
_MIN_LOADING = 0.01
"""A term loads on a topic when its weight is at least this fraction of the topic's largest."""


def _distinct_top(H: np.ndarray, mass: np.ndarray, n_terms: int) -> list[np.ndarray]:
    """Top term indices per topic, each term shown in one topic only.

    A term belongs to the topic where it is most distinctive: the largest lift
    ``p(term | topic) / p(term)`` (rows of ``H`` normalised to sum 1; ``p(term)`` is their mix
    weighted by the topic *mass*). Within its topic the terms are ranked by relevance
    ``0.6 log p(term | topic) + 0.4 log lift`` (Sievert and Shirley 2014), so a rare term with a
    high lift does not push out the topic's frequent terms.
    """
    k, v = H.shape
    rows = H.sum(1, keepdims=True)
    p_tc = H / np.where(rows > 0, rows, 1.0)
    w = mass / mass.sum() if mass.sum() > 0 else np.full(k, 1.0 / k)
    p_t = w @ p_tc
    with np.errstate(divide="ignore", invalid="ignore"):
        lift = np.where(p_t > 0, p_tc / p_t, 0.0)
        rel = _RELEVANCE_LAMBDA * np.log(p_tc) + (1 - _RELEVANCE_LAMBDA) * np.log(lift)
    home = np.argmax(lift, axis=0)
    out = []
    for c in range(k):
        cand = np.flatnonzero((home == c) & (p_tc[c] > 0) & (H[c] >= _MIN_LOADING * H[c].max()))
        out.append(cand[np.argsort(-rel[c, cand], kind="stable")][:n_terms])
    return out


def _int(v: Any) -> bool:
    return isinstance(v, (int, np.integer)) and not isinstance(v, bool)


def _check_options(n_topics: Any, k_range: Any, n_terms: Any, n_texts: Any, min_df: Any) -> None:
    if not (n_topics == "auto" or (_int(n_topics) and n_topics >= 2)):
        raise ConfigError(
            f"n_topics={n_topics!r} is not valid; give 'auto' or an integer >= 2 (one topic "
            "would hold every text)."
        )
    if not (
        isinstance(k_range, (tuple, list))
        and len(k_range) == 2
        and all(_int(v) for v in k_range)
        and 2 <= k_range[0] <= k_range[1]
    ):
        raise ConfigError(
            f"k_range={k_range!r} is not valid; give (low, high) integers with "
            "2 <= low <= high, e.g. (2, 10)."
        )
    for name, v in (("n_terms", n_terms), ("n_texts", n_texts)):
        if not (_int(v) and v >= 1):
            raise ConfigError(f"{name}={v!r} is not valid; give an integer >= 1.")
    if min_df is not None and not (_int(min_df) and min_df >= 1):
        raise ConfigError(
            f"min_df={min_df!r} is not valid; give an integer >= 1 (the fewest texts a term "
            "must occur in) or None."
        )


def discover_topics(
    data: Any,
    text: Hashable | None = None,
    *,
    n_topics: int | Literal["auto"] = "auto",
    text_lang: TextLang = "auto",
    random_state: RandomState = None,
    n_terms: int = 10,
    n_texts: int = 3,
    k_range: tuple[int, int] = (2, 10),
    segmenter: Segmenter = "auto",
    min_df: int | None = None,
    stopwords: Iterable[str] | None = None,
    stopwords_mode: Literal["add", "replace"] = "add",
) -> TopicResult:
    """Discover topics in texts with NMF on TF-IDF.

    Parameters
    ----------
    data : list, Series, DataFrame or Survey
        The texts, or a frame (or :class:`~needlab.Survey`) holding them in column *text*;
        missing, non-string and empty texts are left out and counted in ``n_excluded``.
    text : column name, optional
        The text column when *data* is a DataFrame or Survey.
    n_topics : int or "auto"
        Number of topics, or ``"auto"``: the number in *k_range* with the highest mean NPMI
        coherence of the topics' top terms (ties: the smaller number).
    text_lang : {"auto", "zh", "en"}
        Only used to pick the terms: ``"en"`` ignores Chinese characters, ``"zh"`` ignores Latin
        words, ``"auto"`` keeps both (each text contributes its English words and Chinese terms).
    random_state : int, Generator or None
        Seed of the NMF; results are deterministic for a given seed (the ``nndsvda`` start is
        itself deterministic).
    n_terms, n_texts : int
        Top terms and representative texts kept per topic.
    k_range : tuple of int
        Smallest and largest number of topics tried by ``"auto"`` (capped by the texts and terms).
    segmenter : {"auto", "jieba", "bigram"}
        Chinese words: jieba (optional dependency; ``"auto"`` uses it when installed) or
        overlapping character bigrams; numerals with measure words (两个, 一个半) are dropped.
    min_df : int, optional
        Minimum document frequency of a term (default 2 when there are 50 or more texts, else 1).
    stopwords : list of str, optional
        Words left out of the terms (both languages, compared in lower case), e.g. the brand
        or product every text names: ``stopwords=["外卖", "app"]``. A one-character Chinese
        stop word also drops every bigram that touches it (``segmenter="bigram"``).
    stopwords_mode : {"add", "replace"}
        ``"add"`` (default): *stopwords* are added to the default lists
        (:func:`default_stopwords`: Chinese function words and fillers such as 不错, 但是, 不是,
        就是, 感觉, 非常, 有点; scikit-learn's English list plus fillers such as really, just,
        great); ``"replace"``: only *stopwords* are used (e.g.
        ``default_stopwords("zh") - {"一般"}`` to keep one word).

    Returns
    -------
    TopicResult
        ``.table`` has one row per topic: ``topic`` (0..k-1, largest first), ``size`` (texts whose
        largest weight is on this topic), ``share`` (size / texts used), ``coherence`` (mean NPMI of
        the top-term pairs, -1..1), ``terms`` (the top terms, comma separated). A term is shown
        in one topic only: the one where it is most distinctive (largest lift
        ``p(term | topic) / p(term)`` from the topic-term matrix), ranked there by relevance
        ``0.6 log p(term | topic) + 0.4 log lift`` (Sievert and Shirley 2014); ``coherence`` is
        that of these shown terms (``n_topics="auto"`` scores the model's own top *n_terms*
        terms, shared or not, so that splitting a theme is not rewarded). Only terms that load
        on a topic (weight at least 1% of the topic's largest) are shown. See
        :class:`TopicResult` for ``terms``, ``representatives``, ``assignments`` and ``k_scores``.

    Raises
    ------
    DataError
        Fewer than 3 usable texts, or no term at all.
    ConfigError
        Invalid options, named with their valid range: *n_topics* not ``"auto"`` or an integer
        >= 2 (one topic discovers nothing), *k_range* not ``(low, high)`` integers with
        ``2 <= low <= high``, *n_terms* / *n_texts* not integers >= 1, *min_df* not an integer
        >= 1; or *n_topics* larger than the texts or terms allow.

    References
    ----------
    Lee, D. D. and Seung, H. S. (1999). Learning the parts of objects by non-negative matrix
    factorization. *Nature* 401, 788-791.
    Bouma, G. (2009). Normalized (pointwise) mutual information in collocation extraction.
    *Proceedings of GSCL*, 31-40.
    Aletras, N. and Stevenson, M. (2013). Evaluating topic coherence using distributional
    semantics. *IWCS 2013*.
    Sievert, C. and Shirley, K. (2014). LDAvis: a method for visualizing and interpreting
    topics. *Workshop on Interactive Language Learning, Visualization, and Interfaces*, 63-70.

    Examples
    --------
    >>> texts = ["battery dies fast battery drain"] * 5 + ["rude support agent rude"] * 5
    >>> res = discover_topics(texts, n_topics=2, random_state=0)
    >>> sorted(res.table["size"].tolist())
    [5, 5]
    """
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    check_option(text_lang, ["auto", "zh", "en"], "text_lang")
    check_option(segmenter, ["auto", "jieba", "bigram"], "segmenter")
    check_option(stopwords_mode, ["add", "replace"], "stopwords_mode")
    stop_en, stop_zh = _stop_sets(stopwords, stopwords_mode == "add")
    _check_options(n_topics, k_range, n_terms, n_texts, min_df)
    texts = text_column(data, text).values
    vals = texts.tolist()
    seed = (
        int(random_state.integers(2**31 - 1))
        if isinstance(random_state, np.random.Generator)
        else random_state
    )
    ok = np.fromiter((isinstance(v, str) and bool(v.strip()) for v in vals), bool, len(vals))
    pos = np.flatnonzero(ok)
    if len(pos) < 3:
        raise DataError(
            f"discover_topics needs at least 3 texts; got {len(pos)} usable of {len(vals)}."
        )
    docs = [vals[i] for i in pos]
    if text_lang == "en":
        docs = [_CJK_RUN.sub(" ", d) for d in docs]
    elif text_lang == "zh":
        docs = [re.sub(r"[A-Za-z]+", " ", d) for d in docs]
    seg = (
        "jieba"
        if segmenter == "jieba" or (segmenter == "auto" and _jieba() is not None)
        else "bigram"
    )
    if seg == "jieba" and _jieba() is None:
        raise ConfigError(
            "segmenter='jieba' but jieba is not installed; pip install jieba or use "
            "segmenter='bigram'."
        )
    md = min_df if min_df is not None else (2 if len(docs) >= 50 else 1)
    vec = TfidfVectorizer(
        analyzer=partial(
            topic_analyzer,
            segmenter=cast(Literal["jieba", "bigram"], seg),
            stop_en=stop_en,
            stop_zh=stop_zh,
        ),
        min_df=md,
        max_df=0.95,
        sublinear_tf=True,
    )
    try:
        X = vec.fit_transform(docs)
    except ValueError:
        raise DataError(
            "no terms found in the texts (after stop words and min_df); give longer "
            "texts or lower min_df."
        ) from None
    vocab = np.asarray(vec.get_feature_names_out(), dtype=object)
    has_terms = np.asarray(X.sum(1)).ravel() > 0
    binary = (X > 0).astype(np.float64).tocsc()
    k_max = min(X.shape[0] - 1, X.shape[1] - 1)

    def fit(k: int) -> tuple[np.ndarray, np.ndarray, float]:
        model = NMF(n_components=k, init="nndsvda", random_state=seed, max_iter=500)
        W = model.fit_transform(X)
        return W, model.components_, float(model.reconstruction_err_)

    k_scores = pd.DataFrame(columns=["n_topics", "coherence", "reconstruction_error"])
    if n_topics == "auto":
        lo, hi = int(k_range[0]), min(int(k_range[1]), k_max)
        if lo < 1 or hi < lo:
            raise ConfigError(
                f"k_range={k_range!r} leaves no number of topics to try "
                f"(at most {k_max} with these texts)."
            )
        rows, fits = [], {}
        for k in range(lo, hi + 1):
            W, H, err = fit(k)
            # the model's own top terms (shared or not): the distinct display terms would
            # favour splitting a theme into small, trivially coherent topics
            top = list(np.argsort(-H, axis=1)[:, :n_terms])
            coh = float(np.mean(_npmi(binary, top)))
            rows.append({"n_topics": k, "coherence": coh, "reconstruction_error": err})
            fits[k] = (W, H)
        k_scores = pd.DataFrame(rows)
        best = int(k_scores["n_topics"].to_numpy()[int(k_scores["coherence"].round(10).argmax())])
        W, H = fits[best]
    else:
        if n_topics > k_max:
            raise ConfigError(
                f"n_topics={n_topics} is too many for {X.shape[0]} texts and "
                f"{X.shape[1]} terms; use at most {k_max}."
            )
        W, H, _ = fit(int(n_topics))
    k = W.shape[1]
    # order topics by size
    assign = np.where(has_terms & (W.sum(1) > 0), W.argmax(1), -1)
    sizes = np.bincount(assign[assign >= 0], minlength=k)
    order = np.argsort(-sizes, kind="stable")
    W, H, sizes = W[:, order], H[order], sizes[order]
    remap = np.full(k + 1, -1)
    remap[order] = np.arange(k)
    assign = np.where(assign >= 0, remap[np.maximum(assign, 0)], -1)
    top = _distinct_top(H, W.sum(0), n_terms)
    coh_topics = _npmi(binary, top)
    flat = np.concatenate(top).astype(np.int64) if k else np.zeros(0, np.int64)
    topic_of = np.repeat(np.arange(k), [len(t) for t in top])
    term_rows = pd.DataFrame(
        {
            "topic": topic_of,
            "rank": np.concatenate([np.arange(1, len(t) + 1) for t in top]),
            "term": vocab[flat],
            "weight": H[topic_of, flat],
        }
    )
    Wn = W / np.where(W.sum(1, keepdims=True) > 0, W.sum(1, keepdims=True), 1.0)
    reps = []
    for t in range(k):
        best_docs = np.argsort(-W[:, t], kind="stable")[:n_texts]
        best_docs = best_docs[W[best_docs, t] > 0]
        for r, d in enumerate(best_docs, 1):
            reps.append(
                {
                    "topic": t,
                    "rank": r,
                    "position": int(pos[d]),
                    "text": docs[d] if text_lang == "auto" else vals[pos[d]],
                    "weight": float(W[d, t]),
                }
            )
    representatives = pd.DataFrame(reps, columns=["topic", "rank", "position", "text", "weight"])
    full_topic = np.full(len(vals), -1)
    full_weight = np.full(len(vals), np.nan)
    full_topic[pos] = assign
    full_weight[pos] = np.where(assign >= 0, Wn[np.arange(len(pos)), np.maximum(assign, 0)], np.nan)
    index = texts.index
    assignments = pd.DataFrame({"topic": full_topic, "weight": full_weight}, index=index)
    table = pd.DataFrame(
        {
            "topic": np.arange(k),
            "size": sizes.astype(np.int64),
            "share": sizes / len(pos),
            "coherence": coh_topics,
            "terms": [", ".join(vocab[row].tolist()) for row in top],
        }
    )
    n_excluded = int((~ok).sum())
    notes = []
    if n_excluded:
        notes.append(f"{n_excluded} texts missing, empty or not text: left out.")
    if (~has_terms).any():
        notes.append(f"{int((~has_terms).sum())} texts have no term after stop words: topic -1.")
    return TopicResult(
        table=table,
        terms=term_rows,
        representatives=representatives,
        assignments=assignments,
        k_scores=k_scores,
        n_topics=k,
        segmenter=seg,
        n_used=len(pos),
        n_excluded=n_excluded,
        notes=tuple(notes),
    )
