"""Tests of needlab.painpoints.sentiment (lexicon scoring, trainable model, implicit needs)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from needlab.errors import ConfigError, DataError, SchemaError
from needlab.painpoints.sentiment import (
    SentimentModel,
    SentimentResult,
    implicit_needs,
    load_lexicon,
    sentiment,
)


def _score(text: str, lang: str = "auto") -> float:
    return float(sentiment([text], text_lang=lang).table["score"].iloc[0])


def _label(text: str) -> str:
    return sentiment([text]).table["label"].iloc[0]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("不好", "negative"),
        ("不错", "positive"),  # not 不 + 错: the longest lexicon term wins
        ("这个价格一点也不贵", "positive"),
        ("一点也不难装", "positive"),
        ("质量很差，要求退货", "negative"),
        ("没问题", "positive"),
        ("不是很好", "negative"),
        ("配网一直失败，试了7次都连不上WiFi", "negative"),
        ("送货很快，客服态度也很好", "positive"),
        ("not bad", "positive"),
        ("not good", "negative"),
        ("The app keeps crashing and support never replied", "negative"),
        ("The robot vacuum is quiet and not expensive. Thanks!", "positive"),
        ("It isn\u2019t good", "negative"),
        ("I want a full refund, terrible service", "negative"),
        ("The filter arrived on Monday.", "neutral"),
        ("滤网周一到的", "neutral"),
        ("请问滤网多久换一次？", "neutral"),  # 多久 is a question, not 久 (long wait)
        ("加湿器噪音不大，价格也不贵！", "positive"),  # the noise compound is praise
        ("扫地机噪音很大", "negative"),
        ("电池很持久", "positive"),
    ],
)
def test_hand_cases(text, label):
    assert _label(text) == label


def test_intensifiers_and_diminishers_order():
    assert _score("very good") > _score("good") > _score("slightly good") > 0
    assert _score("非常好吃") > _score("好吃") > _score("有点好吃") > 0
    assert _score("太慢了") < _score("慢") < 0
    # negation of a negative word is weaker than the positive word (VADER's -0.74)
    assert 0 < _score("not bad") < _score("good")
    assert 0 < _score("不难吃") < _score("好吃")


def test_negation_is_clause_bounded_and_windowed():
    # the negator's clause ends at the comma: 好 is not negated
    assert _score("没有等很久，好") > 0
    assert _score("no problem at all") > 0
    # far away: outside the 16-character window
    assert _score("not what I expected from the manual, good") > 0
    assert _score("never good") < 0


def test_contrast_weights_second_clause():
    # "but" halves the first clause and raises the second
    assert _score("质量很好，但是客服态度很差") < 0
    assert _score("客服态度很差，但是质量很好") > 0
    assert _score("good, but terrible support") < 0


def test_table_columns_missing_and_index():
    s = pd.Series(["很好", None, "", 3, "bad"], index=list("abcde"))
    res = sentiment(s)
    assert isinstance(res, SentimentResult)
    t = res.table
    assert list(t.columns) == ["lang", "score", "label", "raw", "n_terms", "n_negated"]
    assert list(t.index) == list("abcde")
    assert res.n_used == 2 and res.n_excluded == 3
    assert t["score"].isna().tolist() == [False, True, True, True, False]
    assert t["lang"].tolist() == ["zh", "", "", "", "en"]
    assert ((t["score"].dropna() > -1) & (t["score"].dropna() < 1)).all()
    assert res.notes[0].startswith("3 texts without a score: 1 missing, 1 empty, 1 not text")
    assert "Sentiment" in repr(res)


def test_score_formula_and_threshold():
    res = sentiment(["good"])
    raw = res.table["raw"].iloc[0]
    assert res.table["score"].iloc[0] == pytest.approx(raw / np.sqrt(raw**2 + 15))
    assert raw == pytest.approx(load_lexicon("en")["polarity"]["good"])
    assert sentiment(["还行"], threshold=0.3).table["label"].iloc[0] == "neutral"


def test_forced_language_and_extra_lexicon():
    assert _score("好用", lang="en") == 0  # English lexicon on Chinese text finds nothing
    res = sentiment(["这个很绝绝子"], lexicon={"绝绝子": 2.5})
    assert res.table["label"].iloc[0] == "positive"


def test_frame_and_language_column():
    df = pd.DataFrame(
        {"t": ["很好", "good", None, "好用"], "l": ["zh", "en", None, "en"]}, index=list("wxyz")
    )
    res = sentiment(df, "t")
    assert list(res.table.index) == list("wxyz")
    assert res.table["score"].iloc[:2].tolist() == sentiment(["很好", "good"]).score.tolist()
    # a language column: "好用" read as English finds no English word
    by_col = sentiment(df, "t", text_lang="l")
    assert by_col.table["lang"].tolist() == ["zh", "en", "", "en"]
    assert by_col.table["score"].iloc[3] == 0
    with pytest.raises(SchemaError, match="text= is required"):
        sentiment(df)
    with pytest.raises(DataError, match="other than 'zh'/'en'"):
        sentiment(df.assign(l=["fr", "en", None, "zh"]), "t", text_lang="l")


def test_survey_as_data():
    import needlab as nl

    survey = nl.read_survey("data/sample/survey_wave1.csv", codebook="data/sample/codebook.yaml")
    res = sentiment(survey, "comment")
    plain = sentiment(survey.data["comment"])
    pd.testing.assert_frame_equal(res.table, plain.table)
    assert res.n_used + res.n_excluded == len(survey.data)
    assert res.n_excluded == int(survey.data["comment"].isna().sum()) + int(
        (survey.data["comment"].fillna("x").str.strip() == "").sum()
    )


def test_lexicon_sizes_and_no_duplicates():
    for lg in ("zh", "en"):
        lex = load_lexicon(lg)
        assert len(lex["polarity"]) >= 250
        assert len(lex["negators"]) >= 20 and len(lex["intensifiers"]) >= 20


def test_sample_feedback_sentiment_tracks_pain():
    from needlab.datasets import load_sample

    s = load_sample()
    res = sentiment(s.feedback["text"])
    pain = s.truth.painpoints["category"].to_numpy() != "none"
    neg = (res.table["label"] == "negative").to_numpy()
    # complaints are mostly negative, praise mostly not
    assert neg[pain].mean() > 0.6
    assert neg[~pain].mean() < 0.15
    sev = s.truth.painpoints["severity"].to_numpy()
    sc = res.table["score"].to_numpy()
    assert sc[sev == 3].mean() < sc[sev == 1].mean()


def test_errors():
    with pytest.raises(ConfigError, match="text_lang='fr'"):
        sentiment(["x"], text_lang="fr")
    with pytest.raises(SchemaError, match="one string"):
        sentiment("不好")
    with pytest.raises(ConfigError, match="threshold"):
        sentiment(["x"], threshold=2)


def test_sentiment_model():
    texts = ["很好吃", "太难吃了", "送餐很快", "送得太慢", "great food", "awful food"] * 5
    y = ["pos", "neg"] * 15
    m = SentimentModel().fit([*texts, None], [*y, "pos"])
    assert m.n_dropped_ == 1
    assert list(m.classes_) == ["neg", "pos"]
    assert m.predict(["很好吃啊", "awful"]).tolist() == ["pos", "neg"]
    p = m.predict_proba(["很好吃"])
    assert p.shape == (1, 2) and np.allclose(p.sum(1), 1)
    assert m.score(texts, y) == 1.0
    assert m.get_params()["C"] == 4.0 and m.set_params(C=1.0).C == 1.0
    with pytest.raises(DataError, match="two classes"):
        SentimentModel().fit(["a", "b"], [1, 1])
    with pytest.raises(ConfigError, match="C=-1 is not valid"):
        SentimentModel(C=-1).fit(texts, y)


def test_sentiment_model_sample_weight():
    # two contradicting copies of each text: the weights decide which label wins
    texts = ["很好吃", "太难吃了", "great food", "awful food"] * 2
    y = ["pos", "neg", "pos", "neg", "neg", "pos", "neg", "pos"]
    w = [5, 5, 5, 5, 1, 1, 1, 1]
    m = SentimentModel(class_weight=None).fit(texts, y, sample_weight=w)
    assert m.predict(texts[:4]).tolist() == ["pos", "neg", "pos", "neg"]
    m2 = SentimentModel(class_weight=None).fit(texts, y, sample_weight=w[::-1])
    assert m2.predict(texts[:4]).tolist() == ["neg", "pos", "neg", "pos"]
    with pytest.raises(DataError, match="negative"):
        SentimentModel().fit(texts, y, sample_weight=[-1] * 8)


def test_implicit_needs():
    texts = ["配网一直失败", "用了两天就很失望", "很好用", None]
    res = sentiment(texts)
    out = implicit_needs(texts, sentiment=res, has_code=[True, False, False, False])
    assert out["text"].tolist() == ["用了两天就很失望"]
    table = pd.DataFrame({"text": texts, "coded": [False, False, False, False]})
    out = implicit_needs(table, sentiment=res.table["score"].to_numpy())
    assert set(out["text"]) == {"配网一直失败", "用了两天就很失望"}
    out = implicit_needs(table, sentiment=res.table["label"])
    assert len(out) == 2
    out = implicit_needs(table.rename(columns={"coded": "c"}), sentiment=res, has_code="c")
    assert len(out) == 2
    with pytest.raises(SchemaError, match="has_code"):
        implicit_needs(texts, sentiment=res)
    with pytest.raises(DataError, match="sentiment has"):
        implicit_needs(table, sentiment=[0.1])
    with pytest.raises(DataError, match="True/False"):
        implicit_needs(table.assign(coded=["x", 1, 0, 1]), sentiment=res)


def test_implicit_needs_from_a_coding_result():
    from needlab.painpoints.coding import code_text

    texts = ["配网一直失败", "用了两天就很失望", "很好用", None]
    out = implicit_needs(code_text(texts), sentiment=sentiment(texts))
    # the first text is coded (an explicit pain), the second negative and uncoded
    assert out["text"].tolist() == ["用了两天就很失望"]
