"""Tests of needlab.painpoints.sentiment (lexicon scoring, trainable model, implicit needs)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.base import clone

from needlab.errors import ConfigError, DataError, SchemaError
from needlab.painpoints.sentiment import (
    LEXICON_FEATURES,
    SentimentModel,
    SentimentResult,
    calibrate_threshold,
    implicit_needs,
    lexicon_features,
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


# Complaint cues (issue 14): hand-written texts from several industries (airline, bank, telecom,
# hotel, food delivery, appliances), both languages.
CUE_CASES = {
    "politeness": [
        ("Can you fix my booking asap? Thank you.", "negative"),
        ("My card was charged twice, please refund. Thanks!", "negative"),
        ("No one answered the phone for 2 hours. Thanks.", "negative"),
        ("Thank you so much!", "positive"),
        ("Thanks, the technician was great", "positive"),
        ("外卖送了两个小时还没到，谢谢", "negative"),
        ("宽带断了三天，求解决，谢谢", "negative"),
        ("送餐员态度很好，效率高，谢谢", "positive"),
        ("感谢客服耐心解答", "positive"),
    ],
    "sarcasm": [
        ("This is awesome. #sarcasm", "negative"),
        ("Yeah right, great service as always", "negative"),
        ("Great, another delay at the gate.", "negative"),
        ("Oh great, the app crashed again", "negative"),
        ("Thanks for nothing, bank", "negative"),
        ("呵呵，真快啊，4个小时", "negative"),
        ("真是服了，这服务真好", "negative"),
        ("也是醉了，客服真专业", "negative"),
    ],
    "request for help": [
        ("Please help, my order is wrong", "negative"),
        ("Can you fix the wifi in room 204?", "negative"),
        ("Can someone help me with my account?", "negative"),
        ("Where is my package?", "negative"),
        ("求解决，APP一直闪退", "negative"),
        ("怎么还没发货", "negative"),
        ("麻烦处理一下我的退款", "negative"),
    ],
    "still waiting": [
        ("Still waiting for my refund", "negative"),
        ("I have been waiting since Monday for a technician", "negative"),
        ("No one answered when I called the hotel", "negative"),
        ("I don't know why no one answered", "negative"),  # the cue is not negated
        ("The router is still not working", "negative"),  # the cue negates what follows
        ("Never going back to this branch", "negative"),
        ("还在等师傅上门", "negative"),
        ("打了十次电话没人接", "negative"),
        ("一直没有回复", "negative"),
        ("再也不点这家了", "negative"),
        ("迟迟不发货", "negative"),
    ],
    "neutral questions and facts stay neutral": [
        ("What time does the pool open?", "neutral"),
        ("The flight lands at 9pm.", "neutral"),
        ("请问几点开始营业？", "neutral"),
        ("快递周三发出", "neutral"),
    ],
}


@pytest.mark.parametrize(
    ("cue", "text", "label"),
    [(cue, text, label) for cue, cases in CUE_CASES.items() for text, label in cases],
)
def test_complaint_cues(cue, text, label):
    assert _label(text) == label, cue


def test_politeness_counts_only_without_negative_evidence():
    # the formula alone is positive; after a complaint it adds nothing
    assert _score("Thank you") > 0
    assert _score("The refund never arrived. Thank you.") == _score("The refund never arrived.")
    assert _score("还没收到退款，谢谢") == _score("还没收到退款")
    assert _score("味道很好，谢谢") > _score("味道很好")


def test_sarcasm_flips_praise_of_its_text_only():
    res = sentiment(["This is awesome. #sarcasm", "This is awesome."])
    assert res.table["score"].iloc[0] < 0 < res.table["score"].iloc[1]
    assert _score("呵呵，很好") < 0 < _score("很好")


def test_cues_column_names_what_fired():
    res = sentiment(
        [
            "Can you fix my booking asap? Thank you.",
            "This is awesome. #sarcasm",
            "Thank you!",
            "送得太慢了，求解决，谢谢",
            "good",
            None,
        ]
    )
    cues = res.table["cues"].tolist()
    assert cues[0] == "complaint: can you fix; politeness ignored: thank you"
    assert cues[1] == "sarcasm: #sarcasm"
    assert cues[2] == "politeness: thank you"
    assert cues[3] == "complaint: 求解决; politeness ignored: 谢谢"
    assert cues[4] == "" and cues[5] == ""


def test_lexicon_cue_sections():
    for lg in ("zh", "en"):
        lex = load_lexicon(lg)
        assert len(lex["complaint"]) >= 30 and len(lex["sarcasm"]) >= 8
        assert len(lex["politeness"]) >= 4
        assert all(w < 0 for w in lex["complaint"].values())
        assert all(w < 0 for w in lex["sarcasm"].values())
        assert all(w > 0 for w in lex["politeness"].values())
    assert "#sarcasm" in load_lexicon("en")["sarcasm"]  # escaped in the file (\#sarcasm)


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
    assert list(t.columns) == ["lang", "score", "label", "raw", "n_terms", "n_negated", "cues"]
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


# Lexicon features and the three-way trainable model (issue 14). Hand-written texts.


def test_lexicon_features_hand_values():
    # 很好: 很 (x1.3) on 好 -> raw 1.9; 太差了: raw -3.0; 好吃但是太慢了: 好吃 before the contrast
    # word counts half (P = 1.1), 太慢 after it 1.5 times (N = 3.0), raw = P - N = -1.9
    texts = ["很好", "太差了", "好吃但是太慢了", "Can you fix my booking asap? Thank you."]
    texts += ["This is awesome. #sarcasm", "The filter arrived on Monday.", None, "  "]
    f = lexicon_features(texts)
    assert f.shape == (8, len(LEXICON_FEATURES)) == (8, 5)

    def sq(x):
        return x / np.sqrt(x**2 + 15)

    np.testing.assert_allclose(f[0], [sq(1.9), sq(1.9), 0, 0, 0])
    np.testing.assert_allclose(f[1], [sq(-3.0), 0, sq(3.0), 0, 0])
    np.testing.assert_allclose(f[2], [sq(-1.9), sq(1.1), sq(3.0), 0, 0])
    assert f[3, 3] == 1.0 and f[3, 4] == 0.0 and f[3, 0] < 0  # complaint cue, politeness ignored
    assert f[4, 4] == 1.0 and f[4, 0] < 0  # sarcasm flips the praise
    np.testing.assert_array_equal(f[5:], 0.0)  # no opinion word; missing; blank


def test_lexicon_features_score_equals_sentiment_score():
    texts = [
        "送餐员态度很好，效率高",
        "not good at all",
        "还行吧，就是有点贵",
        "never again, awful",
    ]
    np.testing.assert_allclose(lexicon_features(texts)[:, 0], sentiment(texts).score.to_numpy())
    with pytest.raises(ConfigError, match="text_lang"):
        lexicon_features(texts, text_lang="fr")


THREE_WAY_TRAIN = {
    "positive": [
        "很好吃，下次还点",
        "送餐很快，服务很好",
        "质量不错，很满意",
        "非常喜欢这个颜色",
        "great food and friendly staff",
        "the room was clean and comfortable",
        "excellent service, highly recommend",
        "I love this place",
    ],
    "negative": [
        "太难吃了，再也不点了",
        "送得太慢，等了两个小时",
        "质量很差，要求退货",
        "客服态度恶劣",
        "terrible food and rude staff",
        "the room was dirty and noisy",
        "awful service, never again",
        "I hate waiting this long",
    ],
    "neutral": [
        "我点了一份米饭",
        "快递周二到的",
        "请问几点关门",
        "这款有三个颜色",
        "we ordered two pizzas",
        "the hotel is near the station",
        "what time do you open",
        "I booked a table for four",
    ],
}
THREE_WAY_HELD_OUT = {
    "positive": ["味道很好，很满意", "the staff were friendly and the food great"],
    "negative": ["太慢了，很失望", "the food was terrible and cold"],
    "neutral": ["我点了两份面", "we booked a room for two nights"],
}


def _three_way(data):
    texts = [t for k in data for t in data[k]]
    return texts, [k for k in data for _ in data[k]]


def test_model_recovers_three_way_labels_on_held_out_texts():
    X, y = _three_way(THREE_WAY_TRAIN)
    Xh, yh = _three_way(THREE_WAY_HELD_OUT)
    m = SentimentModel(random_state=0).fit(X, y)
    assert sorted(m.classes_) == ["negative", "neutral", "positive"]
    assert m.predict(Xh).tolist() == yh


@given(seed=st.integers(0, 2**31 - 2))
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_model_same_random_state_same_predictions(seed):
    X, y = _three_way(THREE_WAY_TRAIN)
    Xh, _ = _three_way(THREE_WAY_HELD_OUT)
    a = SentimentModel(random_state=seed).fit(X, y)
    b = clone(a).fit(X, y)
    np.testing.assert_array_equal(a.predict(Xh), b.predict(Xh))
    np.testing.assert_allclose(a.predict_proba(Xh), b.predict_proba(Xh))


def test_model_lexicon_features_switch():
    X, y = _three_way(THREE_WAY_TRAIN)
    plain = SentimentModel(lexicon_features=False).fit(X, y)
    with_lex = SentimentModel().fit(X, y)
    n_plain = plain.pipeline_[-1].coef_.shape[1]
    assert with_lex.pipeline_[-1].coef_.shape[1] == n_plain + len(LEXICON_FEATURES)
    # the lexicon features carry negation: "not good" is negative, learned from no "not" example
    assert with_lex.predict(["not good"]).tolist() == ["negative"]
    with pytest.raises(ConfigError, match="lexicon_features='yes' is not valid"):
        SentimentModel(lexicon_features="yes").fit(X, y)


def test_calibrate_threshold_hand_case():
    # scores: 很好 0.440, 有点好 0.226, 一般般吧 -0.202, 有点差 -0.296, 太差了 -0.612; the
    # labels are right exactly for 0.296 < t <= 0.440 and t > 0.226, on the grid only 0.30..0.40;
    # ties go to the smallest value
    texts = ["很好", "有点好", "一般般吧", "有点差", "太差了"]
    y = ["positive", "neutral", "neutral", "neutral", "negative"]
    assert calibrate_threshold(texts, y) == 0.3
    assert calibrate_threshold(texts, y, metric="accuracy") == 0.3
    assert calibrate_threshold(texts, y, grid=[0.05, 0.4]) == 0.4
    # with the default band 0.05 only 2 of 5 are right
    assert (sentiment(texts).label.to_numpy() == np.array(y)).sum() == 2
    assert (sentiment(texts, threshold=0.3).label.tolist()) == y
    # a frame with a label column; missing labels and texts are left out
    df = pd.DataFrame({"text": [*texts, None, "很好"], "y": [*y, "neutral", None]})
    assert calibrate_threshold(df, "y", text="text") == 0.3


def test_calibrate_threshold_errors():
    texts = ["很好", "太差了"]
    with pytest.raises(DataError, match=r"labels must be .*'good'"):
        calibrate_threshold(texts, ["good", "negative"])
    with pytest.raises(DataError, match="outcome has 1 values but there are 2 texts"):
        calibrate_threshold(texts, ["positive"])
    with pytest.raises(ConfigError, match="metric"):
        calibrate_threshold(texts, ["positive", "negative"], metric="auc")
    with pytest.raises(ConfigError, match=r"grid .*\[0, 1\)"):
        calibrate_threshold(texts, ["positive", "negative"], grid=[1.5])
    with pytest.raises(ConfigError, match="grid"):
        calibrate_threshold(texts, ["positive", "negative"], grid=[])
    with pytest.raises(DataError, match="nothing to calibrate"):
        calibrate_threshold([None, ""], [None, "positive"])
