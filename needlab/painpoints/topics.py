"""Topic discovery in feedback texts: NMF on TF-IDF, Chinese and English.

:func:`discover_topics` finds themes nobody coded yet. Texts become TF-IDF vectors of terms:
English words without stop words (scikit-learn's list), Chinese words from jieba when it is
installed (an optional dependency) or else overlapping character bigrams (bigrams touching a
one-character function word such as 的 or 了 are dropped). Non-negative matrix
factorisation (Lee and Seung 1999) splits the matrix into text-topic weights ``W`` and
topic-term weights ``H``.

With ``n_topics="auto"`` every number of topics in ``k_range`` is fitted and the one with the
highest mean topic coherence is kept: the normalised pointwise mutual information (NPMI, Bouma
2009) of the pairs among each topic's top 10 terms, with probabilities from document
co-occurrence in the corpus itself (Aletras and Stevenson 2013). Ties go to the smaller number.
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable
from dataclasses import dataclass, field
from functools import lru_cache, partial
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

__all__ = ["TopicResult", "discover_topics", "topic_analyzer"]

Segmenter = Literal["auto", "jieba", "bigram"]

_LATIN = re.compile(r"[a-z][a-z']+")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
ZH_STOP = frozenset(
    "的 了 是 我 你 他 她 它 们 在 有 和 就 都 而 及 与 也 很 还 又 这 那 个 一 不 没 吧 啊 呢 吗 呀 哦 嗯 被 把 给 "
    "让 对 从 到 为 以 于 等 着 过 得 地 之 其 此 但 却 并 或 如 若 则 因为 所以 如果 然后 已经 一直 一个 这个 那个 "
    "我们 你们 他们 自己 什么 怎么 没有 可以 就是 还是 真的 非常 特别 感觉 觉得 现在 今天 一下 有点".split()
)
"""Chinese function words left out of the topic terms."""
_ZH_STOP_CHARS = frozenset(w for w in ZH_STOP if len(w) == 1)


@lru_cache(maxsize=1)
def _english_stop() -> frozenset:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


def _jieba() -> Any:
    try:
        import jieba
    except ImportError:
        return None
    jieba.setLogLevel(60)
    return jieba


def topic_analyzer(doc: str, segmenter: Literal["jieba", "bigram"] = "bigram") -> list[str]:
    """Terms of one text: English words (stop words dropped) and Chinese words or bigrams.

    Examples
    --------
    >>> topic_analyzer("The app 配网失败 keeps failing")
    ['app', 'keeps', 'failing', '配网', '网失', '失败']
    """
    low = doc.lower()
    stop = _english_stop()
    out = [w for w in _LATIN.findall(low) if w not in stop]
    jb = _jieba() if segmenter == "jieba" else None
    for run in _CJK_RUN.findall(low):
        if jb is not None:
            out.extend(w for w in jb.lcut(run) if len(w) > 1 and w not in ZH_STOP)
        else:
            # bigrams touching a one-character function word (的, 了, 很, ...) are dropped
            out.extend(
                b
                for b in (run[i : i + 2] for i in range(len(run) - 1))
                if b[0] not in _ZH_STOP_CHARS and b[1] not in _ZH_STOP_CHARS
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


def _npmi(binary: Any, top: np.ndarray) -> np.ndarray:
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
        coherence of the topics' top 10 terms (ties: the smaller number).
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
        overlapping character bigrams.
    min_df : int, optional
        Minimum document frequency of a term (default 2 when there are 50 or more texts, else 1).

    Returns
    -------
    TopicResult
        ``.table`` has one row per topic: ``topic`` (0..k-1, largest first), ``size`` (texts whose
        largest weight is on this topic), ``share`` (size / texts used), ``coherence`` (mean NPMI of
        the top-term pairs, -1..1), ``terms`` (the top terms, comma separated). See
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
        analyzer=partial(topic_analyzer, segmenter=cast(Literal["jieba", "bigram"], seg)),
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
            top = np.argsort(-H, axis=1)[:, :n_terms]
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
    top = np.argsort(-H, axis=1)[:, :n_terms]
    coh_topics = _npmi(binary, top)
    term_rows = pd.DataFrame(
        {
            "topic": np.repeat(np.arange(k), top.shape[1]),
            "rank": np.tile(np.arange(1, top.shape[1] + 1), k),
            "term": vocab[top.ravel()],
            "weight": np.take_along_axis(H, top, 1).ravel(),
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
