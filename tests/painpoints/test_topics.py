"""Tests of needlab.painpoints.topics.discover_topics on synthetic corpora with planted themes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from needlab.errors import ConfigError, DataError
from needlab.painpoints.topics import (
    TopicResult,
    default_stopwords,
    discover_topics,
    topic_analyzer,
)

EN_THEMES = {
    # ten words a theme: auto scores the NPMI of each topic's top 10 terms
    "battery": [
        "battery",
        "charge",
        "drain",
        "charger",
        "power",
        "hours",
        "cable",
        "plug",
        "socket",
        "adapter",
    ],
    "delivery": [
        "courier",
        "parcel",
        "shipping",
        "tracking",
        "late",
        "warehouse",
        "box",
        "van",
        "postman",
        "dispatch",
    ],
    "support": [
        "agent",
        "hotline",
        "rude",
        "ticket",
        "reply",
        "manager",
        "queue",
        "callback",
        "helpdesk",
        "escalation",
    ],
}
ZH_THEMES = {
    "battery": ["电池", "续航", "充电", "耗电", "电量"],
    "delivery": ["快递", "物流", "包裹", "发货", "运输"],
    "support": ["客服", "态度", "热线", "回复", "投诉"],
}
FILLER_EN = ["the", "my", "was", "and", "it", "very", "again", "really"]


def _corpus(themes, filler, n_per=40, seed=0, joiner=" "):
    rng = np.random.default_rng(seed)
    texts, truth = [], []
    for name, words in themes.items():
        for _ in range(n_per):
            w = list(rng.choice(words, 4, replace=False)) + list(rng.choice(filler, 2))
            rng.shuffle(w)
            texts.append(joiner.join(w))
            truth.append(name)
    return texts, np.array(truth)


def _purity(res: TopicResult, truth: np.ndarray) -> float:
    tab = pd.crosstab(res.assignments["topic"].to_numpy(), truth)
    return float(tab.max(axis=1).sum() / tab.to_numpy().sum())


def test_recovers_planted_english_themes():
    texts, truth = _corpus(EN_THEMES, FILLER_EN)
    res = discover_topics(texts, random_state=0, k_range=(2, 6))
    assert res.n_topics == 3
    assert _purity(res, truth) > 0.95
    top = res.terms[res.terms["rank"] <= 4]
    for t in range(3):
        words = set(top.loc[top["topic"] == t, "term"])
        assert any(words <= set(ws) for ws in EN_THEMES.values())
    assert set(res.k_scores["n_topics"]) == set(range(2, 7))
    assert list(res.table.columns) == ["topic", "size", "share", "coherence", "terms"]
    assert res.table["size"].sum() == 120 and res.table["share"].sum() == pytest.approx(1)
    assert "the" not in set(res.terms["term"])  # stop words dropped
    reps = res.representatives
    assert list(reps.columns) == ["topic", "rank", "position", "text", "weight"]
    assert (reps.groupby("topic").size() == 3).all()


def test_recovers_planted_chinese_themes_bigram():
    texts, truth = _corpus(ZH_THEMES, ["的", "了", "很", "我", "又"], joiner="")
    res = discover_topics(texts, random_state=0, k_range=(2, 6), segmenter="bigram")
    assert res.segmenter == "bigram"
    assert res.n_topics == 3 and _purity(res, truth) > 0.9


def test_chinese_with_jieba():
    pytest.importorskip("jieba")
    texts, truth = _corpus(ZH_THEMES, ["的", "了", "很", "我", "又"], joiner="，")
    res = discover_topics(texts, n_topics=3, random_state=0, segmenter="jieba")
    assert res.segmenter == "jieba" and _purity(res, truth) > 0.9


def test_deterministic_and_missing():
    texts, _ = _corpus(EN_THEMES, FILLER_EN, n_per=20)
    texts = [*texts, None, "", 5]
    a = discover_topics(pd.Series(texts), n_topics=3, random_state=1)
    b = discover_topics(pd.Series(texts), n_topics=3, random_state=1)
    pd.testing.assert_frame_equal(a.terms, b.terms)
    assert a.n_excluded == 3 and a.n_used == 60
    assert a.assignments["topic"].iloc[-3:].tolist() == [-1, -1, -1]
    assert len(a.assignments) == 63
    assert "Topics" in repr(a)


def test_analyzer_and_errors():
    assert topic_analyzer("The battery 电池续航") == ["battery", "电池", "池续", "续航"]
    with pytest.raises(DataError, match="at least 3"):
        discover_topics(["a", None])
    with pytest.raises(ConfigError, match="n_topics"):
        discover_topics(["battery drain", "rude agent", "late parcel"], n_topics=0)
    with pytest.raises(ConfigError, match="too many"):
        discover_topics(["battery drain", "rude agent", "late parcel"], n_topics=5)
    with pytest.raises(ConfigError, match="text_lang"):
        discover_topics(["battery drain", "rude agent", "late parcel"], text_lang="de")


def test_frame_survey_and_generator_seed():
    texts, _ = _corpus(EN_THEMES, FILLER_EN, n_per=10)
    df = pd.DataFrame({"t": texts}, index=[f"r{i}" for i in range(len(texts))])
    a = discover_topics(df, "t", n_topics=3, random_state=1)
    b = discover_topics(texts, n_topics=3, random_state=1)
    pd.testing.assert_frame_equal(a.table, b.table)
    assert list(a.assignments.index) == list(df.index)
    g = discover_topics(df, "t", n_topics=3, random_state=np.random.default_rng(0))
    assert g.n_topics == 3

    import needlab as nl

    survey = nl.read_survey("data/sample/survey_wave1.csv", codebook="data/sample/codebook.yaml")
    s = discover_topics(survey, "comment", n_topics=3, random_state=0)
    d = discover_topics(survey.data["comment"], n_topics=3, random_state=0)
    pd.testing.assert_frame_equal(s.table, d.table)
    assert s.n_used + s.n_excluded == len(survey.data) and s.n_excluded > 0


# --- readability: fillers, user stop words, distinct top terms ----------------------------------
ZH_REVIEWS = [
    "送餐太慢了，等了两个小时，感觉非常不好",
    "配送速度很慢，一个多小时才送到，但是还是不错",
    "外卖送到的时候已经凉了，就是有点慢",
    "骑手态度很差，电话不接，不是第一次了",
    "快递员态度恶劣，打电话还骂人，感觉很生气",
    "客服态度非常差，投诉没有回复",
    "菜太咸了，味道一般，有点油腻",
    "米饭很硬，菜的味道不错但是分量太少",
    "汤洒了一半，包装不好，味道还是可以",
    "价格太贵了，分量少，感觉不值",
    "房间很脏，床单有污渍，卫生太差",
    "酒店前台态度冷淡，入住等了半个小时",
] * 6
EN_REVIEWS = [
    "The flight was delayed for hours and really nobody told us anything",
    "Flight cancelled again, just great, waited at the gate forever",
    "Lost my bag, the baggage desk was actually closed",
    "Room was dirty and the bathroom smelled, pretty disappointing",
    "The hotel staff was rude and the check in queue was long",
    "Refund still not processed after weeks, the fee is ridiculous",
    "Internet keeps dropping, router restarted many times, basically useless",
    "Billing error on my invoice, charged twice for the same plan",
] * 6


def _top_terms(res: TopicResult, n: int = 5) -> list[set[str]]:
    t = res.terms[res.terms["rank"] <= n]
    return [set(t.loc[t["topic"] == k, "term"]) for k in range(res.n_topics)]


@pytest.mark.parametrize("segmenter", ["bigram", "jieba"])
def test_chinese_fillers_are_not_topic_terms(segmenter) -> None:
    if segmenter == "jieba":
        pytest.importorskip("jieba")
    res = discover_topics(ZH_REVIEWS, n_topics=4, random_state=0, segmenter=segmenter)
    terms = set(res.terms["term"])
    fillers = {
        "不错",
        "但是",
        "不是",
        "就是",
        "还是",
        "感觉",
        "非常",
        "有点",
        "一般",
        "两个",
        "一个多",
    }
    assert not terms & fillers
    assert terms  # content words remain


def test_english_fillers_are_not_topic_terms() -> None:
    res = discover_topics(EN_REVIEWS, n_topics=4, random_state=0)
    terms = set(res.terms["term"])
    assert not terms & {"really", "just", "great", "actually", "pretty", "basically", "don't"}
    assert {"flight", "refund"} & terms


@pytest.mark.parametrize("corpus", [ZH_REVIEWS, EN_REVIEWS, ZH_REVIEWS[:12] + EN_REVIEWS[:8]])
@pytest.mark.parametrize("k", [2, 3, 5])
def test_no_two_topics_share_a_top_term(corpus, k) -> None:
    res = discover_topics(corpus, n_topics=k, random_state=0, n_terms=8)
    assert not res.terms.duplicated("term").any()
    tops = _top_terms(res, 8)
    for i in range(len(tops)):
        for j in range(i + 1, len(tops)):
            assert not tops[i] & tops[j]
    # the table's terms are the same terms
    for k_, terms in zip(res.table["topic"], res.table["terms"], strict=True):
        assert terms.split(", ") == res.terms.loc[res.terms["topic"] == k_, "term"].tolist()


def test_user_stopwords_add_and_replace() -> None:
    base = discover_topics(EN_REVIEWS, n_topics=3, random_state=0)
    assert "flight" in set(base.terms["term"])
    added = discover_topics(EN_REVIEWS, n_topics=3, random_state=0, stopwords=["Flight", "hotel"])
    assert not {"flight", "hotel"} & set(added.terms["term"])
    # replace: only the user's words are stop words, so "the" comes back
    only = discover_topics(
        EN_REVIEWS, n_topics=3, random_state=0, stopwords=["flight"], stopwords_mode="replace"
    )
    assert "flight" not in set(only.terms["term"])
    assert {"the", "was", "and"} & set(only.terms["term"])
    zh = discover_topics(ZH_REVIEWS, n_topics=3, random_state=0, stopwords=["态度"])
    assert "态度" not in set(zh.terms["term"])
    # keep one default word by replacing with the defaults minus it
    keep = default_stopwords("zh") - {"一般"}
    kept = discover_topics(
        ZH_REVIEWS,
        n_topics=3,
        random_state=0,
        stopwords=keep,
        stopwords_mode="replace",
        segmenter="jieba" if _has_jieba() else "bigram",
        n_terms=30,
        min_df=1,
    )
    assert "不错" not in set(kept.terms["term"])
    assert {"不错", "但是"} <= default_stopwords("zh") and "really" in default_stopwords("en")


def _has_jieba() -> bool:
    try:
        import jieba  # noqa: F401
    except ImportError:
        return False
    return True


def test_bad_stopwords() -> None:
    with pytest.raises(ConfigError, match="stopwords"):
        discover_topics(EN_REVIEWS, n_topics=2, stopwords="flight")
    with pytest.raises(ConfigError, match="stopwords"):
        discover_topics(EN_REVIEWS, n_topics=2, stopwords=[1, 2])
    with pytest.raises(ConfigError, match="stopwords_mode"):
        discover_topics(EN_REVIEWS, n_topics=2, stopwords_mode="merge")
    with pytest.raises(ConfigError, match="lang"):
        default_stopwords("de")
