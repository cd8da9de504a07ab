"""Tests of the journey stage of a mention read from text cues (needlab.painpoints.stages).

Every fixture is hand-written for these tests: a text, the evidence of the pain in it (the span a
code matched), the code's typical stage (the fallback) and the stage a reader assigns. Rule under
test: the cue nearest the evidence in the same clause names the stage; without one the code's
typical stage stays (``stage_source="code"``).
"""

from __future__ import annotations

import copy

import pytest

from needlab.errors import ConfigError
from needlab.painpoints.coding import code_text
from needlab.painpoints.stages import StageCues, _doc, stage_names
from needlab.painpoints.taxonomy import Taxonomy

PRODUCT = StageCues.default(["product"])
TRAVEL = StageCues.default(["travel"])

# (text, evidence, lang, fallback, expected stage, expected source)
PRODUCT_CASES = [
    # Chinese: appliances, e-commerce, food delivery, banking, telecom, subscriptions
    ("安装师傅态度很差", "态度很差", "zh", "after_sales", "installation", "text"),
    ("快递员态度很差，东西还行", "态度很差", "zh", "after_sales", "delivery", "text"),
    ("售后一直不回消息", "不回消息", "zh", "use", "after_sales", "text"),
    ("门店导购一直推销贵的型号", "一直推销", "zh", "awareness", "purchase", "text"),
    ("付款页面一直卡住", "一直卡住", "zh", "use", "purchase", "text"),
    ("续费的时候被多扣了钱", "多扣了钱", "zh", "purchase", "renewal", "text"),
    ("用起来特别卡", "特别卡", "zh", "purchase", "use", "text"),
    ("推销短信太多了", "太多了", "zh", "use", "awareness", "text"),
    ("骑手送餐超时一个小时", "超时一个小时", "zh", "use", "delivery", "text"),
    ("开户的时候柜员态度很差", "态度很差", "zh", "after_sales", "purchase", "text"),
    ("宽带安装拖了一周", "拖了一周", "zh", "use", "installation", "text"),
    # English
    ("The installer was rude", "was rude", "en", "after_sales", "installation", "text"),
    ("I was on hold for an hour about my warranty", "on hold", "en", "use", "after_sales", "text"),
    ("Shipping took forever", "took forever", "en", "use", "delivery", "text"),
    (
        "the renewal price went up without notice",
        "price went up",
        "en",
        "purchase",
        "renewal",
        "text",
    ),
    ("the sales pitch was misleading", "misleading", "en", "use", "awareness", "text"),
    ("after a week it stopped working", "stopped working", "en", "purchase", "use", "text"),
    ("I placed an order and was charged twice", "charged twice", "en", "use", "purchase", "text"),
]

TRAVEL_CASES = [
    ("the gate agent was rude", "was rude", "en", "after_sales", "boarding", "text"),
    ("check-in took two hours", "took two hours", "en", "use", "check_in", "text"),
    ("the flight attendant ignored us", "ignored us", "en", "after_sales", "in_flight", "text"),
    ("The room was dirty", "dirty", "en", "use", "stay", "text"),
    ("still waiting for my refund after 3 weeks", "still waiting", "en", "use", "refund", "text"),
    ("the booking website crashed twice", "crashed", "en", "use", "booking", "text"),
    ("we were charged extra at checkout", "charged extra", "en", "use", "checkout", "text"),
    ("值机柜台排了一个小时", "排了一个小时", "zh", "use", "check_in", "text"),
    ("登机口临时换了也没通知", "没通知", "zh", "use", "boarding", "text"),
    ("房间很脏", "很脏", "zh", "use", "stay", "text"),
    ("退房的时候被多收了钱", "多收了钱", "zh", "use", "checkout", "text"),
    ("退票手续费太贵", "手续费太贵", "zh", "use", "refund", "text"),
    ("订票网站一直崩溃", "一直崩溃", "zh", "use", "booking", "text"),
    ("飞机上乘务员态度很差", "态度很差", "zh", "after_sales", "in_flight", "text"),
]

FALLBACK_CASES = [  # no cue in the clause: the code's typical stage
    ("质量太差了", "质量太差", "zh", "use", PRODUCT),
    ("物流很快，质量太差", "质量太差", "zh", "use", PRODUCT),  # the cue is in the other clause
    ("It broke in two days", "broke", "en", "use", PRODUCT),
    # generic words are no cues: time, product, service, order, problem
    ("a waste of time, the product is broken", "broken", "en", "use", PRODUCT),
    ("服务问题一大堆，东西坏了", "坏了", "zh", "use", PRODUCT),
    # customer service answers before and after a purchase: not a stage cue
    ("咨询参数时客服答非所问", "答非所问", "zh", "purchase", PRODUCT),
    ("customer service kept me on hold", "on hold", "en", "after_sales", PRODUCT),
    ("the delivery was fine but the lamp is broken", "broken", "en", "use", PRODUCT),
    ("there is room for improvement, staff were rude", "rude", "en", "after_sales", TRAVEL),
    ("the seating was uncomfortable", "uncomfortable", "en", "use", TRAVEL),  # whole words
    ("no comment at all", "no comment", "en", None, PRODUCT),  # no cue and no typical stage
]


def _detect(cues: StageCues, text: str, evidence: str, lang: str, fallback: str | None):
    s = text.index(evidence)
    stage, source = cues.detect([text], [0], [s], [s + len(evidence)], [lang], [fallback])
    return stage[0], source[0]


@pytest.mark.parametrize(("text", "evidence", "lang", "fallback", "stage", "source"), PRODUCT_CASES)
def test_product_stage_from_text_cues(text, evidence, lang, fallback, stage, source):
    assert _detect(PRODUCT, text, evidence, lang, fallback) == (stage, source)


@pytest.mark.parametrize(("text", "evidence", "lang", "fallback", "stage", "source"), TRAVEL_CASES)
def test_travel_stage_from_text_cues(text, evidence, lang, fallback, stage, source):
    assert _detect(TRAVEL, text, evidence, lang, fallback) == (stage, source)


@pytest.mark.parametrize(("text", "evidence", "lang", "fallback", "cues"), FALLBACK_CASES)
def test_no_cue_keeps_the_code_stage(text, evidence, lang, fallback, cues):
    assert _detect(cues, text, evidence, lang, fallback) == (fallback, "code")


@pytest.mark.parametrize(
    ("text", "evidence", "lang", "cues", "stage"),
    [
        # cues of two stages in one clause: the one nearest the evidence wins
        (
            "快递送到后安装师傅态度很差",
            "态度很差",
            "zh",
            PRODUCT,
            "installation",
        ),  # 安装 2 away, 快递 8
        (
            "after the delivery the installer never showed up",
            "never showed up",
            "en",
            PRODUCT,
            "installation",
        ),
        ("the installer came after the delivery was late", "late", "en", PRODUCT, "delivery"),
        ("the room we got after check-in was filthy", "filthy", "en", TRAVEL, "check_in"),
        # a cue inside the evidence beats one next to it
        ("客服说退款还没到账", "退款还没到账", "zh", PRODUCT, "after_sales"),
        # equal distance: the cue before the evidence beats the one after it
        ("安装坏了快递", "坏了", "zh", PRODUCT, "installation"),
    ],
)
def test_two_stages_in_one_clause_nearest_cue_wins(text, evidence, lang, cues, stage):
    assert _detect(cues, text, evidence, lang, "use") == (stage, "text")


def test_nearest_cue_by_hand():
    # the offsets counted by hand
    text = "the installer came after the delivery was late"
    found = PRODUCT.find(text, "en")
    assert found == [(4, 13, "installation"), (29, 37, "delivery")]
    # evidence "late" starts at 42: delivery is 42 - 37 = 5 away, installer 42 - 13 = 29
    assert text[42:46] == "late"


def test_exclusions_mask_cues():
    assert TRAVEL.find("room for improvement", "en") == []
    assert TRAVEL.find("the room was cold", "en") == [(4, 8, "stay")]
    assert PRODUCT.find("快递费太贵", "zh") == []  # a fee, not the delivery stage


def test_for_taxonomy_picks_the_journeys_of_its_packs():
    assert StageCues.for_taxonomy(Taxonomy.default()).journeys == ("product",)
    assert StageCues.for_taxonomy(Taxonomy.default(["travel"])).journeys == ("travel",)
    both = StageCues.for_taxonomy(Taxonomy.default(["ecommerce", "travel"]))
    assert both.journeys == ("product", "travel")
    own = Taxonomy([{"id": "X", "name": "x", "pain_type": "value", "keywords": ["zzz"]}])
    assert StageCues.for_taxonomy(own).journeys == ("product",)


def test_stage_names_cover_every_stage():
    names = stage_names()
    assert list(names)[:7] == [
        "awareness",
        "purchase",
        "delivery",
        "installation",
        "use",
        "after_sales",
        "renewal",
    ]
    assert names["in_flight"]["zh"] == "飞行乘车中"


# ---------------------------------------------------------------------- through code_text
TX = Taxonomy(
    [
        {"id": "SER", "name": "service", "pain_type": "service"},
        {
            "id": "SER.RUDE",
            "parent": "SER",
            "name": {"en": "Rude", "zh": "态度差"},
            "stage": "after_sales",
            "keywords": {"zh": ["态度很差"], "en": ["was rude"]},
        },
        {"id": "PRO", "name": "process", "pain_type": "process"},
        {
            "id": "PRO.WAIT",
            "parent": "PRO",
            "name": {"en": "Waiting", "zh": "等待"},
            "stage": "use",
            "keywords": {"zh": ["排了一个小时"], "en": ["took two hours"]},
        },
    ],
    name="stage test",
)


def test_code_text_records_stage_and_source():
    texts = ["安装师傅态度很差", "态度很差", "the gate agent was rude", "check-in took two hours"]
    r = code_text(
        texts, taxonomy=TX, stage_cues=StageCues.default(["product", "travel"]), polarity=False
    )
    got = r.long[["row", "code", "stage", "stage_source"]].values.tolist()
    assert got == [
        [0, "SER.RUDE", "installation", "text"],
        [1, "SER.RUDE", "after_sales", "code"],
        [2, "SER.RUDE", "boarding", "text"],
        [3, "PRO.WAIT", "check_in", "text"],
    ]
    f = r.frequencies.set_index(["level", "key"])
    assert f.loc[("stage", "boarding"), "n_texts"] == 1
    assert f.loc[("stage", "boarding"), "name_zh"] == "登机上车"
    assert f.loc[("stage", "check_in"), "name"] == "check-in"
    # every stage of the taxonomy (zeros included) and those named by cues, in journey order
    assert f.loc["stage"].index.tolist() == [
        "installation",
        "use",
        "after_sales",
        "check_in",
        "boarding",
    ]
    assert f.loc["stage", "n_texts"].tolist() == [1, 0, 1, 1, 1]


def test_code_text_stage_from_cues_by_default_and_none_keeps_the_code_stage():
    r = code_text(["安装师傅态度很差"], taxonomy=TX, polarity=False, stage_cues=None)
    assert r.long[["stage", "stage_source"]].values.tolist() == [["after_sales", "code"]]
    auto = code_text(["安装师傅态度很差"], taxonomy=TX, polarity=False)
    assert auto.long[["stage", "stage_source"]].values.tolist() == [["installation", "text"]]


def test_code_text_bad_stage_cues_option():
    with pytest.raises(ConfigError, match=r"stage_cues='text'.*'auto', None or a StageCues"):
        code_text(["x"], taxonomy=TX, stage_cues="text")  # type: ignore[arg-type]


# ---------------------------------------------------------------------- guards on loading
def _with(change):
    doc = copy.deepcopy(dict(_doc()))
    change(doc)
    return doc


@pytest.mark.parametrize(
    ("stage", "lang", "cue", "why"),
    [
        ("use", "en", "time", "too_generic"),
        ("after_sales", "zh", "服务", "too_generic"),
        ("delivery", "zh", "货", "one-character"),
        ("purchase", "en", "ok", "three letters"),
    ],
)
def test_too_generic_cues_are_refused(stage, lang, cue, why):
    doc = _with(lambda d: d["stages"][stage]["cues"][lang].append(cue))
    with pytest.raises(
        ConfigError, match=rf"stage cue '{cue}' \({lang}\) of stage '{stage}'.*{why}"
    ):
        StageCues.from_mapping(doc, ["product"])


def test_a_cue_under_two_stages_is_refused():
    doc = _with(lambda d: d["stages"]["use"]["cues"]["zh"].append("物流"))
    with pytest.raises(ConfigError, match="'物流'.*both 'delivery' and 'use'.*one stage"):
        StageCues.from_mapping(doc, ["product"])


def test_unknown_journey_is_refused():
    with pytest.raises(ConfigError, match=r"unknown journeys.*'shipping'.*'product', 'travel'"):
        StageCues.default(["shipping"])


def test_bundled_cues_pass_their_own_guards():
    for j in _doc()["journeys"]:
        sc = StageCues.default([j])
        assert sc.cues["zh"] and sc.cues["en"]
