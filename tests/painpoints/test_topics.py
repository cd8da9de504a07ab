"""Tests of needlab.painpoints.topics.discover_topics on synthetic corpora with planted themes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from needlab.errors import ConfigError, DataError
from needlab.painpoints.topics import TopicResult, discover_topics, topic_analyzer

EN_THEMES = {
    "battery": ["battery", "charge", "drain", "charger", "power", "hours"],
    "delivery": ["courier", "parcel", "shipping", "tracking", "late", "warehouse"],
    "support": ["agent", "hotline", "rude", "ticket", "reply", "manager"],
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
