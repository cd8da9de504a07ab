"""The bad-input list of the pain-point functions, one case at a time (issue 13).

Taxonomy patterns that RE2 refuses (look-around, back-references, possessive and atomic groups),
catastrophic backtracking, patterns matching the empty string, duplicate YAML keys; invalid
estimator parameters (validated in ``fit``); bad options of ``discover_topics`` and
``sentiment``; non-finite lexicon weights; label variants in ``agreement``; broken tables in
``cohen_kappa``; texts that are numbers, bytes, hold NUL characters or are very long; an empty
taxonomy. Each error is asserted by type and by the words that name the problem; each accepted
input by its result and the count in the notes.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from needlab.errors import ConfigError, DataError
from needlab.painpoints.agreement import agreement, cohen_kappa
from needlab.painpoints.coding import code_text
from needlab.painpoints.sentiment import SentimentModel, sentiment
from needlab.painpoints.taxonomy import Taxonomy, re2_problem
from needlab.painpoints.textcoder import TextCoder
from needlab.painpoints.topics import discover_topics


def _tx(pattern: str, lang: str = "en") -> Taxonomy:
    return Taxonomy(
        [{"id": "X.Y", "pain_type": "value", "name": {"en": "x"}, "patterns": {lang: [pattern]}}]
    )


# --- regex safety: RE2 or a ConfigError at load ------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "construct"),
    [
        (r"cheap(?! enough)", r"negative look-ahead \(\?!"),
        (r"slow(?= delivery)", r"look-ahead \(\?="),
        (r"(?<!not )slow", r"negative look-behind \(\?<!"),
        (r"(?<=very )slow", r"look-behind \(\?<="),
        (r"(\w+) \1", r"back-reference \\1"),
        (r"(?P<w>\w+) (?P=w)", r"named back-reference"),
        (r"slo+w", None),  # accepted: control case
        (r"a++h", r"possessive quantifier \+\+"),
        (r"(?>ab|a)c", r"atomic group"),
    ],
)
def test_pattern_refused_by_re2_names_code_pattern_construct_fix(pattern, construct) -> None:
    if construct is None:
        assert re2_problem(pattern) is None
        assert "X.Y" in _tx(pattern)
        return
    with pytest.raises(ConfigError) as err:
        _tx(pattern)
    msg = str(err.value)
    assert "code 'X.Y'" in msg and repr(pattern) in msg and "patterns.en" in msg
    assert pytest.importorskip("re").search(construct, msg), msg
    assert "RE2 cannot run" in msg and "exclude:" in msg  # the fix


def test_catastrophic_pattern_with_group_refused_at_load() -> None:
    # the pattern that hung past 30 s under Python's re
    with pytest.raises(ConfigError, match=r"code 'X.Y'.*'\(a\+\)\+\$'.*capturing group.*\(\?:"):
        _tx(r"(a+)+$")


def test_catastrophic_pattern_without_group_runs_in_linear_time() -> None:
    # RE2 accepts (?:a+)+$ and runs it without backtracking: a 10,000-character text that
    # would take a backtracking engine 2**10000 steps completes (and does not match)
    tx = _tx(r"(?:a+)+$")
    texts = ["a" * 10_000 + "b", "a" * 10_000, "nothing here"]
    r = code_text(texts, taxonomy=tx, text_lang="en", max_chars=None)
    assert r.table["coded"].tolist() == [False, True, False]
    assert r.engine == "zh:re2 en:re2"


def test_pattern_matching_empty_string_refused() -> None:
    with pytest.raises(ConfigError, match=r"code 'X.Y'.*'x\*'.*matches the empty string.*every"):
        _tx("x*", lang="zh")


def test_pattern_invalid_syntax_named() -> None:
    with pytest.raises(ConfigError, match=r"code 'X.Y'.*'\[a-'.*not a valid regular expression"):
        _tx("[a-")


def test_lookaround_in_yaml_file_refused_at_load(tmp_path) -> None:
    path = tmp_path / "tx.yaml"
    path.write_text(
        "needlab_taxonomy: 1\ncodes:\n  - id: PRICE\n    pain_type: value\n"
        "    name: {en: Price}\n    patterns: {en: ['expensive(?! but worth)']}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"code 'PRICE'.*look-ahead"):
        Taxonomy.from_yaml(path)


def test_lookaround_added_to_default_refused() -> None:
    with pytest.raises(ConfigError, match=r"code 'FUN.GLITCH'.*look-behind"):
        Taxonomy.default().add(
            "FUN.GLITCH", parent="FUN", name={"en": "Glitch"}, patterns={"en": ["(?<=a )glitch"]}
        )


def test_default_taxonomy_passes_re2_check() -> None:
    tx = Taxonomy.default()
    pats = [p for c in tx for lg in ("zh", "en") for p in c.patterns[lg]]
    assert len(pats) > 20
    assert [p for p in pats if re2_problem(p) is not None] == []


def test_engine_python_removed() -> None:
    with pytest.raises(ConfigError, match=r"engine='python' was removed.*backtracking.*'auto'"):
        code_text(["slow"], engine="python")


def test_engine_unknown_lists_choices() -> None:
    with pytest.raises(ConfigError, match=r"engine='fast'.*\['auto', 're2'\]"):
        code_text(["slow"], engine="fast")


def test_duplicate_key_in_taxonomy_yaml() -> None:
    text = (
        "needlab_taxonomy: 1\ncodes:\n  - id: PRICE\n    pain_type: value\n"
        "    name: {en: Price}\n    pain_type: service\n"
    )
    with pytest.raises(ConfigError, match=r"not valid YAML.*duplicate key 'pain_type'.*line 6"):
        Taxonomy.from_yaml(text)


# --- estimator parameters: validated in fit -----------------------------------------------------

_X = ["配网失败", "客服态度差", "app crashes", "rude service"] * 3
_Y = ["app", "service", "app", "service"] * 3


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"C": -1}, r"C=-1 .*finite number > 0"),
        ({"C": 0}, r"C=0 .*finite number > 0"),
        ({"C": math.nan}, r"C=nan .*finite number > 0"),
        ({"C": math.inf}, r"C=inf .*finite number > 0"),
        ({"C": "4"}, r"C='4' .*finite number > 0"),
        ({"sep": ""}, r"sep='' .*non-blank string"),
        ({"sep": "  "}, r"sep='  ' .*non-blank string"),
        ({"threshold": 0}, r"threshold=0 .*strictly between 0 and 1"),
        ({"threshold": 1.5}, r"threshold=1.5 .*strictly between 0 and 1"),
        ({"char_ngrams": (0, 2)}, r"char_ngrams=\(0, 2\).*1 <= low <= high"),
        ({"char_ngrams": (3, 1)}, r"char_ngrams=\(3, 1\).*1 <= low <= high"),
        ({"word_ngrams": (2,)}, r"word_ngrams=\(2,\).*or None"),
        ({"min_df": 0}, r"min_df=0 .*integer >= 1"),
        ({"class_weight": "auto"}, r"class_weight='auto'.*\['balanced', None\]"),
        ({"model": "tree"}, r"model='tree'.*\['logistic', 'svm'\]"),
        ({"multi_label": "yes"}, r"multi_label='yes'.*\['auto', True, False\]"),
    ],
)
def test_textcoder_bad_params_raise_at_fit(params, words) -> None:
    coder = TextCoder(**params)  # __init__ only stores (scikit-learn convention)
    assert coder.get_params()[next(iter(params))] == params[next(iter(params))] or math.isnan(
        params.get("C", 0.0)
    )
    with pytest.raises(ConfigError, match=words):
        coder.fit(_X, _Y)


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"C": -1}, r"C=-1 .*finite number > 0"),
        ({"min_df": 0}, r"min_df=0 .*integer >= 1"),
        ({"char_ngrams": (2, 1)}, r"char_ngrams=\(2, 1\).*1 <= low <= high"),
    ],
)
def test_sentiment_model_bad_params_raise_at_fit(params, words) -> None:
    with pytest.raises(ConfigError, match=words):
        SentimentModel(**params).fit(["很好", "太差"] * 3, [1, 0] * 3)


# --- discover_topics / sentiment options ---------------------------------------------------------

_TOPIC_TEXTS = ["battery dies fast battery drain"] * 5 + ["rude support agent rude"] * 5


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"n_topics": 1}, r"n_topics=1 .*integer >= 2"),
        ({"n_topics": 0}, r"n_topics=0 .*integer >= 2"),
        ({"n_topics": True}, r"n_topics=True .*integer >= 2"),
        ({"k_range": (1, 5)}, r"k_range=\(1, 5\).*2 <= low <= high"),
        ({"k_range": (5, 2)}, r"k_range=\(5, 2\).*2 <= low <= high"),
        ({"n_terms": 0}, r"n_terms=0 .*integer >= 1"),
        ({"min_df": 0}, r"min_df=0 .*integer >= 1"),
    ],
)
def test_discover_topics_bad_options(kwargs, words) -> None:
    with pytest.raises(ConfigError, match=words):
        discover_topics(_TOPIC_TEXTS, random_state=0, **kwargs)


@pytest.mark.parametrize("threshold", [-0.1, 1, 1.5, math.nan, True])
def test_sentiment_threshold_outside_range(threshold) -> None:
    with pytest.raises(ConfigError, match=r"threshold must be a number in \[0, 1\)"):
        sentiment(["good"], threshold=threshold)


# --- sentiment lexicon weights --------------------------------------------------------------------


@pytest.mark.parametrize("weight", [math.inf, -math.inf, math.nan, "high", None])
def test_lexicon_non_finite_weight_names_term(weight) -> None:
    with pytest.raises(DataError, match=r"lexicon has 1 terms .*not a finite number: .laggy="):
        sentiment(["so laggy"], lexicon={"fine": 1.0, "laggy": weight})


def test_lexicon_blank_term() -> None:
    with pytest.raises(DataError, match=r"lexicon has 1 terms that are not non-blank text: ' '"):
        sentiment(["so laggy"], lexicon={" ": -2.0})


def test_lexicon_not_a_mapping() -> None:
    with pytest.raises(ConfigError, match=r"lexicon must be a mapping of term to weight"):
        sentiment(["so laggy"], lexicon=[("laggy", -2.0)])


def test_lexicon_finite_weight_used() -> None:
    r = sentiment(["laggy"], lexicon={"laggy": -2.0})
    assert r.table["raw"].iloc[0] == pytest.approx(-2.0)


# --- agreement: label variants ----------------------------------------------------------------------


def test_agreement_case_variants_kept_apart_with_note() -> None:
    r = agreement([["Price"], ["delivery"], []], [["price"], ["delivery"], []])
    assert list(r.codes) == ["Price", "delivery", "price"]
    assert r.exact_agreement == pytest.approx(2 / 3)
    assert any(
        "differ only in case ('Price' / 'price')" in n and "casefold=True" in n for n in r.notes
    )


def test_agreement_casefold_merges_and_reports() -> None:
    r = agreement([["Price"], ["delivery"], []], [["price"], ["delivery"], []], casefold=True)
    assert list(r.codes) == ["delivery", "price"]
    assert r.exact_agreement == 1.0 and r.kappa_pooled == 1.0
    assert any("2 variants merged" in n and "case folding" in n for n in r.notes)


def test_agreement_fullwidth_and_spaces_merged_with_count() -> None:
    r = agreement([["ｐｒｉｃｅ"], ["price"], ["a  b"]], [["price"], ["price "], ["a b"]])
    assert list(r.codes) == ["a b", "price"]
    assert r.exact_agreement == 1.0
    assert any("'price' <- 'price', 'ｐｒｉｃｅ'" in n for n in r.notes)
    assert any("2 values written in 4 variants" in n for n in r.notes)


def test_agreement_long_table_coder_name_with_trailing_space() -> None:
    long = pd.DataFrame(
        {
            "text": [1, 1, 2, 2],
            "coder": ["Ann", "Bob", "Ann ", "Bob"],
            "code": ["x", "x", "y", "y"],
        }
    )
    r = agreement(long)
    assert r.coders == ("Ann", "Bob") and r.n_used == 2 and r.n_excluded == 0
    assert any("coder names ('coder')" in n and "'Ann '" in n for n in r.notes)


def test_agreement_codes_duplicated_after_normalisation() -> None:
    with pytest.raises(ConfigError, match=r"codes has duplicates \(after Unicode NFKC"):
        agreement([["price"]], [["price"]], codes=["price", "price "])


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [({"casefold": "yes"}, r"casefold='yes'.*True or False"), ({"sep": ""}, r"sep=''.*non-blank")],
)
def test_agreement_bad_options(kwargs, words) -> None:
    with pytest.raises(ConfigError, match=words):
        agreement([["a"]], [["a"]], **kwargs)


# --- cohen_kappa tables ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "words"),
    [
        ([[1, 2, 3], [3, 4, 5]], r"square k x k table.*shape \(2, 3\).*zero rows or columns"),
        ([1, 2, 3], r"square k x k table.*shape \(3,\)"),
        ([[5, -2], [1, 4]], r"finite counts >= 0.*'-2 at \(0, 1\)'"),
        ([[5, 2], [1, np.inf]], r"finite counts >= 0.*'inf at \(1, 1\)'"),
        ([[5, 2], [np.nan, 4]], r"finite counts >= 0.*'nan at \(1, 0\)'"),
        ([["a", 2], [1, 4]], r"table of counts \(numbers\).*pandas.crosstab"),
    ],
)
def test_cohen_kappa_bad_tables(table, words) -> None:
    with pytest.raises(DataError, match=words):
        cohen_kappa(table)


def test_cohen_kappa_bad_ci() -> None:
    with pytest.raises(ConfigError, match=r"ci must be a number strictly between 0 and 1"):
        cohen_kappa([[20, 5], [10, 15]], ci=1.5)


# --- texts: numbers, bytes, NUL, very long, empty taxonomy --------------------------------------------


def test_code_text_numbers_and_bytes_are_not_text_counted() -> None:
    r = code_text(["物流太慢", 42, 3.5, b"\xe7\x89\xa9\xe6\xb5\x81\xe5\xa4\xaa\xe6\x85\xa2", None])
    assert r.table["status"].tolist() == ["ok", "not_text", "not_text", "not_text", "missing"]
    assert r.n_used == 1 and r.n_excluded == 4
    assert "not coded: 1 missing, 3 not_text" in r.notes[0]


def test_code_text_nul_read_as_space_and_counted() -> None:
    r = code_text(["物流太慢\x00了", "the app keeps\x00crashing", "fine"])
    assert r.table["codes"].tolist()[:2] == [("PRO.DELIVERY_LATE",), ("FUN.APP",)]
    assert r.table["text"].iloc[0] == "物流太慢\x00了"  # kept as given
    assert any(n.startswith("2 texts hold NUL or other control characters") for n in r.notes)


def test_code_text_long_text_truncated_at_max_chars_with_note() -> None:
    long = "很好。" * 3000 + "物流太慢"  # the evidence lies past 5000 characters
    r = code_text([long, "物流太慢"])
    assert r.table["status"].tolist() == ["truncated", "ok"]
    assert r.table["coded"].tolist() == [False, True]
    assert any("1 texts longer than 5000 characters" in n for n in r.notes)
    whole = code_text([long, "物流太慢"], max_chars=None)
    assert whole.table["coded"].tolist() == [True, True] and whole.n_excluded == 0


@pytest.mark.parametrize("max_chars", [0, -1, 1.5, True, "5000"])
def test_code_text_bad_max_chars(max_chars) -> None:
    with pytest.raises(ConfigError, match=r"max_chars=.* must be a positive integer.*or None"):
        code_text(["slow"], max_chars=max_chars)


def test_code_text_empty_taxonomy() -> None:
    with pytest.raises(ConfigError, match=r"taxonomy 'empty' has no codes.*Taxonomy.default"):
        code_text(["slow"], taxonomy=Taxonomy([], name="empty"))


@pytest.mark.parametrize("opt", ["top_terms", "n_longest"])
def test_code_text_negative_sizes(opt) -> None:
    with pytest.raises(ConfigError, match=rf"{opt}=-1 must be a non-negative integer"):
        code_text(["slow"], **{opt: -1})


def test_sentiment_numbers_bytes_counted_by_kind() -> None:
    r = sentiment(["very good", 42, b"good", None, "  "])
    assert r.table["label"].tolist()[0] == "positive"
    assert r.table["score"].isna().tolist() == [False, True, True, True, True]
    assert r.n_used == 1 and r.n_excluded == 4
    assert r.notes[0] == (
        "4 texts without a score: 1 missing, 1 empty, 2 not text (numbers, bytes, ...)."
    )


def test_sentiment_nul_read_as_space_and_counted() -> None:
    r = sentiment(["not\x00good", "很好"])
    # NUL read as a space: "not good" is negated
    assert r.table["label"].tolist() == ["negative", "positive"]
    assert any("1 texts hold NUL" in n for n in r.notes)


def test_sentiment_long_text_scored_whole() -> None:
    r = sentiment(["ok " * 50_000 + "terrible"])
    assert r.n_used == 1 and r.table["n_terms"].iloc[0] >= 1


def test_discover_topics_non_text_cells_counted() -> None:
    r = discover_topics([*_TOPIC_TEXTS, 42, b"battery", None], n_topics=2, random_state=0)
    assert r.n_used == 10 and r.n_excluded == 3
    assert r.notes[0].startswith("3 texts missing, empty or not text")
