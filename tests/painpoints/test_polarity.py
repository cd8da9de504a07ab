"""Polarity-aware coding: praise of an aspect is not a pain (hand-written texts, zh + en)."""

from __future__ import annotations

import pytest

from needlab.painpoints.coding import code_text
from needlab.painpoints.polarity import clause_span, mention_polarity
from needlab.painpoints.taxonomy import Taxonomy

# A small taxonomy of aspect words written for these tests (the default taxonomy is data that
# changes; polarity is about the clause around a match, whatever the match is).
TX = Taxonomy(
    [
        {
            "id": "COURIER",
            "pain_type": "service",
            "name": {"en": "Courier", "zh": "配送员"},
            "keywords": {"zh": ["送餐员", "配送员", "快递员"], "en": ["courier", "driver"]},
        },
        {
            "id": "AGENT",
            "pain_type": "service",
            "name": {"en": "Staff", "zh": "客服与师傅"},
            "keywords": {
                "zh": ["客服", "安装师傅", "前台"],
                "en": ["agent", "support agent", "staff", "teller"],
            },
        },
        {
            "id": "DELIVERY",
            "pain_type": "process",
            "name": {"en": "Delivery", "zh": "配送"},
            "keywords": {"zh": ["送餐", "送得", "物流"], "en": ["delivery", "shuttle", "check-in"]},
        },
        {
            "id": "APP",
            "pain_type": "functional",
            "name": {"en": "App", "zh": "应用"},
            "keywords": {"zh": ["app", "App"], "en": ["app", "checkout"]},
        },
    ],
    name="polarity-test",
)

# (text, code, polarity): the same aspect praised and complained about, several industries
PAIRS = [
    ("送餐员态度很好，效率高", "COURIER", "praise"),  # food delivery (the issue's example)
    ("送餐员态度很差，还骂人", "COURIER", "pain"),
    ("配送员态度特别好", "COURIER", "praise"),
    ("安装师傅很专业", "AGENT", "praise"),  # appliances
    ("安装师傅态度很差", "AGENT", "pain"),
    ("物流太慢，等了9天才到", "DELIVERY", "pain"),  # e-commerce
    ("物流很快，包装也好", "DELIVERY", "praise"),
    ("the delivery was fast and the courier polite", "COURIER", "praise"),
    ("the delivery was fast and the courier polite", "DELIVERY", "praise"),
    ("the courier was rude", "COURIER", "pain"),
    ("the bank teller was very helpful", "AGENT", "praise"),  # banking
    ("the bank teller was not helpful", "AGENT", "pain"),  # negated praise
    ("前台服务不太满意", "AGENT", "pain"),  # hotel, negated praise
    ("前台服务很热情", "AGENT", "praise"),
    ("the app works great", "APP", "praise"),  # software / telecom
    ("the app crashes every time", "APP", "pain"),
]

NO_PAIN = [  # praise only: no pain code at all
    "送餐员态度很好，效率高",
    "配送员态度特别好，饭菜也热乎",
    "the delivery was fast and the courier polite",
    "安装师傅很专业，服务态度很好",
    "客服态度很好，很快就解决了",
    "the support agent was very helpful and friendly",
    "check-in was quick and the staff were lovely",
]

PAIN = [  # (text, pain code that must be found despite praise elsewhere in the text)
    ("food was good but delivery took 2 hours", "DELIVERY"),
    ("饭菜很好吃，但是送餐太慢了", "DELIVERY"),
    ("菜品不错，不过送得好慢", "DELIVERY"),
    ("菜很好吃，送餐4个小时。。呵呵了", "DELIVERY"),
    ("史上最慢送餐", "DELIVERY"),
    ("客服回复太慢，等了三天才有人理", "AGENT"),
    ("the support agent was rude and never fixed the problem", "AGENT"),
    ("great hotel, but the shuttle took 3 hours", "DELIVERY"),
    ("I was on hold with an agent for an hour", "AGENT"),
]


def _codes(r, pol="pain"):
    m = r.mentions
    return set(m.loc[m["polarity"] == pol, "code"])


@pytest.mark.parametrize(("text", "code", "pol"), PAIRS)
def test_same_aspect_praise_vs_pain(text, code, pol):
    r = code_text([text], taxonomy=TX)
    assert code in _codes(r, pol), r.mentions[["code", "evidence", "polarity", "cue"]]
    other = "praise" if pol == "pain" else "pain"
    assert code not in _codes(r, other)
    # the table agrees: codes are pains, praises are praises
    assert (code in r.table.loc[0, "codes"]) == (pol == "pain")
    assert (code in r.table.loc[0, "praises"]) == (pol == "praise")


@pytest.mark.parametrize("text", NO_PAIN)
def test_praise_is_not_a_pain(text):
    r = code_text([text], taxonomy=TX)
    assert r.table.loc[0, "codes"] == (), r.mentions[["code", "evidence", "polarity", "cue"]]
    assert not r.table.loc[0, "coded"]
    assert (r.long["polarity"] == "pain").all()


@pytest.mark.parametrize(("text", "code"), PAIN)
def test_pain_beside_praise_is_kept(text, code):
    r = code_text([text], taxonomy=TX)
    assert r.table.loc[0, "coded"], r.mentions[["code", "evidence", "polarity", "cue"]]
    assert code in r.table.loc[0, "codes"]


def test_issue_example_praise_recorded_as_positive_mention():
    r = code_text(["送餐员态度很好，效率高"], taxonomy=TX)
    row = r.mentions.iloc[0]
    assert row["polarity"] == "praise" and row["cue"] == "positive sentiment"
    assert row["clause"] == "送餐员态度很好"
    f = r.frequencies.set_index(["level", "key"])
    assert f.loc[("code", "COURIER"), "n_texts"] == 0
    assert f.loc[("code", "COURIER"), "n_praise"] == 1
    assert f.loc[("pain_type", "service"), "n_praise"] == 1
    assert f.loc[("pain_type", "none"), "n_texts"] == 1  # no pain in the text


def test_contrast_clauses():
    r = code_text(["food was good but delivery took 2 hours"], taxonomy=TX)
    row = r.long.iloc[0]
    assert row["polarity"] == "pain" and row["clause"] == "delivery took 2 hours"


def test_polarity_off_is_the_old_behaviour():
    texts = ["送餐员态度很好，效率高", "the courier was polite", "物流太慢"]
    on, off = code_text(texts, taxonomy=TX), code_text(texts, taxonomy=TX, polarity=False)
    assert off.table.loc[0, "codes"] == ("COURIER",)
    assert on.table.loc[0, "codes"] == ()
    assert (off.long["polarity"] == "pain").all() and (off.long["cue"] == "polarity off").all()
    assert off.table["praises"].map(len).sum() == 0
    assert (off.frequencies["n_praise"] == 0).all()
    assert on.table.loc[2, "codes"] == off.table.loc[2, "codes"]


def test_by_segments_count_praise():
    import pandas as pd

    df = pd.DataFrame(
        {
            "text": ["送餐员态度很好，效率高", "送餐员态度很差", "配送员态度特别好"],
            "seg": ["a", "a", "b"],
        }
    )
    f = code_text(df, "text", by="seg", taxonomy=TX).frequencies
    c = f[(f["level"] == "code") & (f["key"] == "COURIER")].set_index("seg")
    assert c.loc["a", "n_texts"] == 1 and c.loc["a", "n_praise"] == 1
    assert c.loc["b", "n_praise"] == 1 and c.loc["b", "share_praise"] == 1.0


# ------------------------------------------------------------------ mention_polarity directly
@pytest.mark.parametrize(
    ("text", "evidence", "lang", "pol", "cue"),
    [
        ("the courier was not helpful", "courier", "en", "pain", None),
        ("the courier wasn't friendly at all", "courier", "en", "pain", None),
        ("客服不太满意", "客服", "zh", "pain", None),
        ("客服态度不够热情", "客服", "zh", "pain", None),
        ("客服态度很好", "客服", "zh", "praise", "positive sentiment"),
        ("the courier was polite and fast", "courier", "en", "praise", "positive sentiment"),
        ("送餐4个小时。。呵呵了", "送餐", "zh", "pain", None),
        ("史上最慢送餐", "送餐", "zh", "pain", None),
        ("I was on hold with the agent for an hour", "agent", "en", "pain", None),
        ("the agent: still waiting for a call back", "agent", "en", "pain", None),
        ("the shuttle took 3 hours", "shuttle", "en", "pain", "complaint marker: took 3 hours"),
        ("等了两个小时外卖", "外卖", "zh", "pain", None),
        ("送得好慢", "好慢", "zh", "pain", None),  # a pain phrase with 好 in it is no praise
        ("饺子坨了", "坨了", "zh", "pain", "no cue: pain evidence"),
    ],
)
def test_mention_polarity_cues(text, evidence, lang, pol, cue):
    s = text.index(evidence)
    p, c, _ = mention_polarity([text], [0], [s], [s + len(evidence)], [lang])
    assert p[0] == pol, (text, c[0])
    if cue is not None:
        assert c[0] == cue


@pytest.mark.parametrize(
    ("text", "word", "lang", "clause"),
    [
        ("菜很好吃但是送餐太慢", "送餐", "zh", "送餐太慢"),
        ("菜很好吃，不过送餐太慢", "送餐", "zh", "送餐太慢"),
        ("送餐员态度很好、效率高", "送餐员", "zh", "送餐员态度很好"),
        ("great food; however the delivery was late", "delivery", "en", "the delivery was late"),
        ("The app is nice. Checkout failed twice!", "Checkout", "en", "Checkout failed twice"),
        ("no punctuation at all here", "punctuation", "en", "no punctuation at all here"),
    ],
)
def test_clause_span(text, word, lang, clause):
    s = text.index(word)
    a, b = clause_span(text, s, s + len(word), lang)
    assert text[a:b].strip() == clause


def test_empty_input():
    p, c, cl = mention_polarity([], [], [], [], [])
    assert len(p) == len(c) == len(cl) == 0


@pytest.mark.parametrize(
    ("text", "evidence", "lang"),
    [
        ("the technician left without explaining how the vacuum works", "left without", "en"),
        ("装好后无法联网，其他都很好用", "无法联网", "zh"),
        ("遥控没反应很好玩", "没反应", "zh"),
    ],
)
def test_negated_evidence_is_never_praise(text, evidence, lang):
    s = text.index(evidence)
    p, c, _ = mention_polarity([text], [0], [s], [s + len(evidence)], [lang])
    assert p[0] == "pain", c[0]


@pytest.mark.parametrize(
    "text",
    [
        "Unfair billing practices and an early termination fee.",
        "They overcharge every month and call it a fee.",
    ],
)
def test_negative_billing_words_keep_the_pain(text):
    """'early' (as in 'arrived early') and a missing 'unfair' once made this clause read as praise."""
    res = code_text([text], taxonomy=Taxonomy.default(domains=["banking"]))
    assert res.table["codes"].iloc[0] == ("PRO.BILLING",)
    assert not (res.mentions["polarity"] == "praise").any()


@pytest.mark.parametrize(
    ("text", "word", "clause"),
    [
        ("总体还行 就是香精味太冲", "香精味", "香精味太冲"),
        ("包装好看　味道刺鼻", "味道", "味道刺鼻"),
        ("iPhone 12 很好用", "iPhone", "iPhone 12 很好用"),
    ],
)
def test_space_between_chinese_characters_ends_a_clause(text, word, clause):
    """Reviewers type a space for a comma; a space next to Latin letters or digits does not split."""
    s = text.index(word)
    cs, ce = clause_span(text, s, s + len(word), "zh")
    assert text[cs:ce].strip() == clause


def test_praise_before_a_space_does_not_hide_the_pain():
    res = code_text(["质地还可以 一股很重的酒精味"], taxonomy=Taxonomy.default(domains=["beauty"]))
    assert "FUN.SMELL" in res.table["codes"].iloc[0]
