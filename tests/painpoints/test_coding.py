"""Tests of rule-based pain-point coding."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from needlab.errors import ConfigError, DataError, SchemaError
from needlab.painpoints.coding import code_text
from needlab.painpoints.taxonomy import Taxonomy

POSITIVE = [  # (text, pain type that must be found)
    ("扫地机用了两个月就坏了", "functional"),
    ("App打开就闪退", "functional"),
    ("净化器噪音太大，晚上睡不着", "functional"),
    ("the lock keeps dropping offline", "functional"),
    ("The vacuum has weak suction", "functional"),
    ("客服回复太慢，等了三天才有人理", "service"),
    ("安装师傅态度很差", "service"),
    ("the support agent was rude and never fixed the problem", "service"),
    ("I was on hold for an hour", "service"),
    ("物流太慢，等了九天才到", "process"),
    ("退款15天还没到账", "process"),
    ("checkout takes 8 steps and payment failed twice", "process"),
    ("they sent the wrong item", "process"),
    ("送餐太慢了，饭都凉了", "process"),
    ("价格太贵了", "value"),
    ("分量少，不划算", "value"),
    ("the purifier is overpriced", "value"),
    ("filters cost 600 yuan a year", "value"),
]

NEGATED = [
    "不慢",
    "没有问题",
    "一点也不贵",
    "不难装",
    "并不贵",
    "噪音不大，价格也不贵",
    "一点也不难装",
    "不是很贵",
    "not slow",
    "no problem",
    "never late",
    "wasn't expensive",
    "not too expensive",
    "it was not hard to set up",
    "the purifier is quiet and not expensive",
]

NEAR_MISS = [
    "请问滤网多久换一次？",
    "支持语音控制吗？",
    "安装师傅很专业",
    "服务态度很好",
    "the installer was very professional",
    "does it work with voice assistants?",
    "how long is the battery life?",
    "noise cancelling headphones",
    "凉菜很好吃",
    "慢慢来不着急",
]


@pytest.fixture(scope="module")
def tx() -> Taxonomy:
    return Taxonomy.default()


@pytest.mark.parametrize(("text", "ptype"), POSITIVE)
def test_positive(text, ptype):
    r = code_text([text])
    assert ptype in r.table.loc[0, "pain_types"], r.long
    for _, row in r.long.iterrows():
        assert text[row["start"] : row["end"]] == row["evidence"]


@pytest.mark.parametrize("text", NEGATED)
def test_negation_does_not_code(text):
    r = code_text([text])
    assert not r.table.loc[0, "coded"], r.long[["code", "evidence"]]


@pytest.mark.parametrize("text", NEAR_MISS)
def test_near_miss(text):
    r = code_text([text])
    assert not r.table.loc[0, "coded"], r.long[["code", "evidence"]]


def test_negated_are_reported():
    r = code_text(["一点也不难装", "not too expensive"])
    assert set(r.negated["code"]) == {"PRO.SETUP", "VAL.EXPENSIVE"}
    assert r.negated["negation"].tolist()[0] == "一点也不"


def test_negation_is_clause_bounded_and_false_cues():
    r = code_text(
        [
            "不贵，但是物流太慢",
            "not cheap, and shipping took 9 days to arrive",
            "不仅价格太贵，而且很难用",
            "没想到这么快就坏了",
        ]
    )
    assert r.table["coded"].all(), r.negated
    assert "VAL.EXPENSIVE" in r.table.loc[2, "codes"]


def test_multilabel():
    r = code_text(
        [
            "价格太贵，客服态度很差，物流太慢，用了三天就坏了",
            "Overpriced, the support agent was rude and shipping took 10 days to arrive",
        ]
    )
    for i in range(2):
        assert set(r.table.loc[i, "pain_types"]) == {
            "functional",
            "service",
            "process",
            "value",
        } - ({"functional"} if i else set())
    assert (r.table["n_codes"] >= 3).all()
    assert r.long.groupby("row")["code"].apply(lambda c: c.is_unique).all()


def test_result_shapes_and_spans():
    texts = [
        "说实话，Lumo R7 Pro配网一直失败，试了7次都连不上WiFi。😀",
        "The app keeps crashing 🙄 and the battery died after 2 months",
    ]
    df = pd.DataFrame({"fid": ["a", "b"], "txt": texts, "seg": ["x", "y"]})
    r = code_text(df, "txt", id="fid", by="seg")
    assert list(r.table["id"]) == ["a", "b"]
    assert r.table["lang"].tolist() == ["zh", "en"]
    assert {
        "id",
        "seg",
        "text",
        "lang",
        "status",
        "codes",
        "n_codes",
        "pain_types",
        "coded",
    } <= set(r.table.columns)
    assert {
        "row",
        "id",
        "code",
        "name",
        "pain_type",
        "stage",
        "start",
        "end",
        "evidence",
        "seg",
    } <= set(r.long.columns)
    for _, row in r.long.iterrows():
        assert texts[row["row"]][row["start"] : row["end"]] == row["evidence"]
    assert isinstance(r.table.loc[0, "codes"], tuple)
    assert set(r.frequencies["seg"]) == {"x", "y"}
    s = r.frequencies
    assert ((s["share"] >= 0) & (s["share"] <= 1)).all()
    assert "Pain-point coding" in repr(r) and "<h4>" in r._repr_html_()
    assert r.n_used == len(texts) and r.n_excluded == 0


def test_skipped_texts_are_counted():
    vals = [
        "价格太贵",
        None,
        np.nan,
        "",
        "   ",
        42,
        "😀😀",
        "x" * 20000 + " too expensive",
        "物流太慢",
    ]
    r = code_text(pd.Series(vals, dtype=object), max_chars=5000)
    assert r.table["status"].tolist() == [
        "ok",
        "missing",
        "missing",
        "empty",
        "empty",
        "not_text",
        "no_letters",
        "truncated",
        "ok",
    ]
    assert len(r.table) == len(vals)
    assert r.table["coded"].tolist() == [True] + [False] * 7 + [True]
    assert any("2 missing" in n and "2 empty" in n and "1 not_text" in n for n in r.notes)
    assert r.coverage.table.loc[r.coverage.table["lang"] == "all", "n_texts"].item() == 3
    # 2 missing + 2 empty + 1 not text + 1 emoji only; the truncated text is coded
    assert (r.n_used, r.n_excluded) == (3, 6)
    assert (r.coverage.n_used, r.coverage.n_excluded) == (3, 6)
    figures = r.summary()
    assert figures["share coded"] == pytest.approx(2 / 3) and figures["codes used"] == 2


def test_lang_options():
    r = code_text(["价格太贵", "too expensive"], text_lang="en")
    assert r.table["coded"].tolist() == [False, True]
    df = pd.DataFrame({"t": ["价格太贵", "overpriced"], "l": ["zh", None]})
    assert code_text(df, "t", text_lang="l").table["coded"].all()
    with pytest.raises(DataError, match="'l'.*'fr'"):
        code_text(df.assign(l=["fr", "zh"]), "t", text_lang="l")
    with pytest.raises(ConfigError, match="text_lang='klingon'"):
        code_text(df, "t", text_lang="klingon")


def test_language_rule_is_the_shared_one():
    from needlab._i18n import detect_lang

    texts = ["Lumo R7 Pro坏了", "a" * 16 + "贵", "a" * 16 + "太贵", "the price is too expensive"]
    r = code_text(texts)
    assert r.table["lang"].tolist() == detect_lang(texts).tolist() == ["zh", "en", "zh", "en"]


def test_survey_as_data():
    import needlab as nl

    survey = nl.read_survey("data/sample/survey_wave1.csv", codebook="data/sample/codebook.yaml")
    r = code_text(survey, "comment")
    plain = code_text(survey.data, "comment", id=survey.codebook.id)
    pd.testing.assert_frame_equal(r.table, plain.table)
    pd.testing.assert_frame_equal(r.frequencies, plain.frequencies)
    assert r.table["id"].tolist() == survey.data[survey.codebook.id].tolist()
    assert r.weights == survey.codebook.weight and plain.weights is None
    assert r.n_used + r.n_excluded == len(survey.data)
    assert r.n_excluded == int((~r.table["status"].isin(["ok", "truncated"])).sum()) > 0


def test_input_errors():
    df = pd.DataFrame({"t": ["a", "b"], "i": [1, 1]})
    with pytest.raises(SchemaError, match="text= is required"):
        code_text(df)
    with pytest.raises(SchemaError, match="'txt'"):
        code_text(df, "txt")
    with pytest.raises(DataError, match="duplicated ids"):
        code_text(df, "t", id="i")
    with pytest.raises(ConfigError, match="engine"):
        code_text(df, "t", engine="fast")


def test_evidence_attributed_to_a_code_that_matches_it():
    """The RE2 attribution step gives each span to a code whose own expression matches it (the
    former check against the Python engine, which is gone)."""
    import re

    from needlab.datasets import load_sample

    fb = load_sample().feedback
    r = code_text(fb, "text", id="feedback_id")
    tx = r.taxonomy
    assert len(r.long) > 100
    texts = fb["text"].to_numpy(dtype=object)
    for row in r.long.itertuples():
        assert texts[row.row][row.start : row.end] == row.evidence
        rx = [re.compile(a, re.I | re.ASCII) for a in tx[row.code].regex(row.lang)]
        assert any(x.fullmatch(row.evidence) or x.match(row.evidence) for x in rx), row


def test_engine_python_removed_and_lookaround_refused():
    with pytest.raises(ConfigError, match="engine='python' was removed"):
        code_text(["slow"], engine="python")
    with pytest.raises(ConfigError, match=r"code 'X'.*look-ahead.*exclude"):
        Taxonomy(
            [
                {
                    "id": "X",
                    "pain_type": "value",
                    "name": {"en": "x"},
                    "patterns": {"en": ["cheap(?! enough)"]},
                }
            ]
        )
    assert code_text(["cheap"]).engine == "zh:re2 en:re2"


_TEXTS = [t for t, _ in POSITIVE] + NEGATED + NEAR_MISS + ["", "😀", "Honestly 还不错"]


@settings(max_examples=25, deadline=None)
@given(st.permutations(_TEXTS))
def test_shuffling_changes_nothing(perm):
    base = code_text(_TEXTS).table.set_index("text")["codes"]
    r = code_text(list(perm))
    assert r.table.set_index("text")["codes"].to_dict() == base.to_dict()
    assert 0 <= r.coverage.share <= 1


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.sampled_from(list("不慢贵太价格很 notslowxp，,.!😀物流")), max_size=30),
        min_size=1,
        max_size=8,
    )
)
def test_random_texts_properties(texts):
    r = code_text(texts)
    assert len(r.table) == len(texts)
    for _, row in r.long.iterrows():
        assert texts[row["row"]][row["start"] : row["end"]] == row["evidence"]
    c = r.coverage.table["share"].dropna()
    assert ((c >= 0) & (c <= 1)).all()


# ---------------------------------------------------------------- recovery on the sample
@pytest.fixture(scope="module")
def sample_coded():
    from needlab.datasets import load_sample

    s = load_sample()
    r = code_text(s.feedback, "text", id="feedback_id")
    truth = s.truth.painpoints.set_index("feedback_id").loc[r.table["id"]]
    return r, truth


@pytest.mark.parametrize("ptype", ["functional", "service", "process", "value"])
def test_sample_recall_precision(sample_coded, ptype):
    r, truth = sample_coded
    pred = r.table["pain_types"].map(lambda t: ptype in t).to_numpy()
    true = (truth["category"] == ptype).to_numpy()
    recall = pred[true].mean()
    precision = true[pred].mean()
    # measured on seed 0: recall 1.000 and precision 1.000 for every type (the default taxonomy
    # covers the generator's phrasings); thresholds leave room for generator changes
    assert recall >= 0.95, recall
    assert precision >= 0.95, precision


def test_sample_none_and_rates(sample_coded):
    r, truth = sample_coded
    none_true = (truth["category"] == "none").to_numpy()
    coded = r.table["coded"].to_numpy()
    assert (~coded[none_true]).mean() >= 0.95  # praise with negated pain words stays uncoded
    assert r.coverage.share == pytest.approx(1 - none_true.mean(), abs=0.03)
    # planted rates by segment x pain type recovered within 3 points
    seg = truth["segment"].to_numpy()
    for s in np.unique(seg):
        for ptype in ("functional", "service", "process", "value"):
            m = seg == s
            planted = (truth["category"].to_numpy()[m] == ptype).mean()
            found = r.table["pain_types"].to_numpy()[m]
            got = np.mean([ptype in t for t in found])
            assert got == pytest.approx(planted, abs=0.03), (s, ptype)


def test_sample_stage_recovered(sample_coded):
    r, truth = sample_coded
    # where the planted stage is delivery / after_sales, a code of that stage is usually found
    long = r.long.merge(
        truth.reset_index()[["feedback_id", "stage"]],
        left_on="id",
        right_on="feedback_id",
        suffixes=("", "_true"),
    )
    for stage in ("delivery", "installation", "after_sales", "purchase"):
        ids = set(truth.index[truth["stage"] == stage])
        hit = set(long.loc[long["stage"] == stage, "id"])
        assert len(ids & hit) / len(ids) >= 0.6, stage


def test_compiled_taxonomy_is_cached_by_content():
    from needlab.painpoints.coding import compile_taxonomy

    tx = Taxonomy.default()
    a = compile_taxonomy(tx)
    assert compile_taxonomy(tx) is a  # same object: cached
    same = Taxonomy.from_yaml(tx.to_yaml())  # another object, equal content: cached too
    assert compile_taxonomy(same) is a
    text = "the gizmo went wobbly again"
    assert code_text([text], taxonomy=tx, polarity=False).table.loc[0, "codes"] == ()
    tx2 = tx.add(
        "FUN.WOBBLY",
        parent="FUN",
        name={"en": "Wobbly", "zh": "晃动"},
        keywords={"en": ["went wobbly"], "zh": ["晃来晃去"]},
    )
    assert compile_taxonomy(tx2) is not a  # a changed taxonomy is compiled anew
    assert "FUN.WOBBLY" in code_text([text], taxonomy=tx2, polarity=False).table.loc[0, "codes"]
    assert (
        "FUN.WOBBLY"
        in code_text(["桌子晃来晃去"], taxonomy=tx2, polarity=False).table.loc[0, "codes"]
    )
    # and the old taxonomy still codes as before
    assert code_text([text], taxonomy=tx, polarity=False).table.loc[0, "codes"] == ()


# ---------------------------------------------------------------------- small-input path
def _fixture_texts() -> list[object]:
    from tests.painpoints.test_taxonomy_fixtures import CORE, DEFAULT, PACKS

    texts: list[object] = [t for t, _ in CORE] + [t for t, _ in DEFAULT] + [t for _, t, _ in PACKS]
    texts += [t for t, _ in POSITIVE] + NEGATED + [None, "", "  ", 3, "😀", "a\x00b 坏了"]
    return [*texts, "x" * 40 + " broken " * 3]


def _same_result(a, b) -> None:
    for name in ("table", "long", "mentions", "negated", "frequencies"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), obj=name)
    for name in ("table", "terms", "longest"):
        pd.testing.assert_frame_equal(getattr(a.coverage, name), getattr(b.coverage, name))
    assert (a.notes, a.n_used, a.n_excluded) == (b.notes, b.n_used, b.n_excluded)


@pytest.mark.parametrize("domains", [None, ["travel"], ["telecom", "banking"]])
@pytest.mark.parametrize("polarity", [True, False])
def test_small_inputs_match_the_vectorised_path(monkeypatch, domains, polarity):
    """google-re2 text by text (small inputs) and pyarrow over the column (large inputs) run
    the same RE2 expressions: every table of the result is identical on the fixture texts."""
    import needlab.painpoints.coding as coding

    tx = Taxonomy.default() if domains is None else Taxonomy.default(domains)
    texts = _fixture_texts()
    monkeypatch.setattr(coding, "_SMALL_CHARS", 10**9)
    small = code_text(texts, taxonomy=tx, polarity=polarity, max_chars=30)
    monkeypatch.setattr(coding, "_SMALL_CHARS", 0)
    big = code_text(texts, taxonomy=tx, polarity=polarity, max_chars=30)
    assert len(small.long) > 100
    _same_result(small, big)


def test_small_inputs_choose_the_same_alternative_as_the_groups():
    """The RE2 sets name the same alternative as one expression with a group per alternative
    (the slow but direct reading of leftmost-first alternation)."""
    from needlab.painpoints.coding import compile_taxonomy

    comp = compile_taxonomy(Taxonomy.default())
    for lg, texts in (
        ("zh", ["物流太慢", "不慢", "退款还没到账", "态度很差"]),
        ("en", ["keeps crashing", "not slow", "on hold", "was rude"]),
    ):
        for g in range(len(comp.pattern[lg])):
            scan, whole, start, full_set, prefix_set = comp.re2(lg, g)
            ws, ss = comp.re2_groups(lg, g)
            for t in texts:
                for m in scan.finditer(t):
                    f = m.group()
                    d = ws.search(f) or ss.search(f)
                    gs = d.groups()
                    want = next(i for i, v in enumerate(gs[1:]) if v)
                    k = len(gs[0] or "")
                    d2 = whole.search(f)
                    st = full_set if d2 is not None else prefix_set
                    d2 = d2 or start.search(f)
                    assert len(d2.group(1) or "") == k
                    assert min(st.Match(f[k:])) == want


def test_one_text_reuses_the_compiled_expressions():
    """After the first call nothing is compiled again: the google-re2 objects are kept with the
    compiled taxonomy, and one short text is coded in milliseconds (the bound is loose: the
    recompiling path took about 130 ms)."""
    import time

    from needlab.painpoints.coding import compile_taxonomy

    tx = Taxonomy.default()
    code_text(["the app keeps crashing", "物流太慢"], taxonomy=tx)
    comp = compile_taxonomy(tx)
    before = {k: v for k, v in comp.engines.items() if k[0] != "memo"}
    assert {("zh", 0), ("en", 0)} <= set(before)
    times = []
    for _ in range(15):
        t0 = time.perf_counter()
        code_text(["the printer jammed again"], taxonomy=tx, polarity=False)
        times.append(time.perf_counter() - t0)
    after = {k: v for k, v in comp.engines.items() if k[0] != "memo"}
    assert after.keys() == before.keys()
    assert all(after[k] is before[k] for k in before)
    assert min(times) < 0.03


def test_auto_language_equals_detect_lang():
    from needlab._i18n import detect_lang

    texts = [t for t in _fixture_texts() if isinstance(t, str) and t.strip()]
    texts += ["Lumo R7 Pro坏了", "OK 好", "ok", "ａｂｃ 很好", "豈 abc"]
    r = code_text(texts, polarity=False)
    ok = r.table["status"].isin(["ok", "truncated"]).to_numpy()
    assert r.table.loc[ok, "lang"].tolist() == detect_lang(pd.Series(texts))[ok].tolist()


def test_tables_are_built_on_first_access():
    r = code_text(["物流太慢，等了9天才到", "it was not broken"], polarity=False)
    assert r._built == {}
    f = r.frequencies
    assert r.frequencies is f and set(r._built) == {"frequencies"}
    assert r.coverage.share == 0.5 and len(r.negated) == 1
    assert r.summary()["negated matches"] == 1


def test_a_code_replaced_in_place_is_recompiled():
    from dataclasses import replace

    from needlab.painpoints.coding import compile_taxonomy

    tx = Taxonomy.from_yaml(Taxonomy.default().to_yaml())
    a = compile_taxonomy(tx)
    code = tx["FUN.BROKEN"]
    tx._codes["FUN.BROKEN"] = replace(
        code, keywords={**code.keywords, "en": (*code.keywords["en"], "went kaput")}
    )
    assert compile_taxonomy(tx) is not a
    assert (
        "FUN.BROKEN"
        in code_text(["it went kaput"], taxonomy=tx, polarity=False).table.loc[0, "codes"]
    )
