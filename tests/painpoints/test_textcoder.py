"""Tests of needlab.painpoints.textcoder.TextCoder."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from needlab.errors import ConfigError, DataError, NotFittedError, SchemaError
from needlab.painpoints.textcoder import (
    CrossValidationResult,
    TextCoder,
    parse_labels,
    word_analyzer,
)


@pytest.fixture(scope="module")
def sample():
    from needlab.datasets import load_sample

    s = load_sample()
    return s.feedback["text"], s.truth.painpoints


def test_parse_labels_forms():
    sets, codes = parse_labels(["a;b", ["b"], (), None, "", 3])
    assert sets == [
        frozenset("ab"),
        frozenset("b"),
        frozenset(),
        None,
        frozenset(),
        frozenset(["3"]),
    ]
    assert codes == ["3", "a", "b"]
    df = pd.DataFrame({"a": [1, 0, np.nan], "b": [True, False, np.nan]})
    sets, codes = parse_labels(df)
    assert sets == [frozenset("ab"), frozenset(), None] and codes == ["a", "b"]
    with pytest.raises(DataError, match="column 'a'"):
        parse_labels(pd.DataFrame({"a": [2, 0]}))
    with pytest.raises(DataError, match="3 texts"):
        parse_labels(["a"], 3)


def test_word_analyzer_mixed():
    assert word_analyzer("Not bad 配网") == ["not", "bad", "not bad", "配网"]


def test_recovers_sample_pain_types(sample):
    """Train on 2/3 of the sample feedback, test on 1/3 (measured macro-F1 1.00; assert >= 0.95)."""
    from sklearn.metrics import f1_score

    text, truth = sample
    y = truth["category"].tolist()
    idx = np.random.default_rng(0).permutation(len(text))
    tr, te = idx[:2400], idx[2400:]
    coder = TextCoder().fit(text.iloc[tr], [y[i] for i in tr])
    assert coder.multi_label_ is False  # one category per text: single-label mode
    assert coder.codes_ == ["functional", "none", "process", "service", "value"]
    pred = coder.predict(text.iloc[te])
    assert all(len(p) == 1 for p in pred)
    f1 = f1_score([y[i] for i in te], [p[0] for p in pred], average="macro")
    assert f1 >= 0.95


def test_multilabel_type_and_stage(sample):
    text, truth = sample
    labels = [
        [c] + ([s] if isinstance(s, str) else [])
        for c, s in zip(truth["category"], truth["stage"], strict=True)
    ]
    n = 1500
    coder = TextCoder().fit(text.iloc[:n], labels[:n])
    assert coder.multi_label_ is True
    proba = coder.predict_proba(text.iloc[n : n + 600])
    assert proba.shape == (600, len(coder.codes_)) and ((proba >= 0) & (proba <= 1)).all()
    d = coder.decision_function(text.iloc[n : n + 600])
    assert np.allclose(1 / (1 + np.exp(-d)), proba)
    m = coder.predict_matrix(text.iloc[n : n + 600])
    truth_m = np.array([[c in set(lab) for c in coder.codes_] for lab in labels[n : n + 600]])
    micro = 2 * (m & truth_m).sum() / (m.sum() + truth_m.sum())
    assert micro > 0.85


def test_cross_validate_table(sample):
    text, truth = sample
    res = TextCoder().cross_validate(
        text.iloc[:900], truth["category"].iloc[:900].tolist(), cv=3, random_state=1
    )
    assert isinstance(res, CrossValidationResult)
    t = res.table
    assert list(t.columns) == ["code", "precision", "recall", "f1", "support"]
    assert t["code"].tolist()[-2:] == ["micro avg", "macro avg"]
    assert t["support"].iloc[:-2].sum() == 900 and res.n_used == 900 and res.n_codes == 5
    assert res.macro_f1 == pytest.approx(t["f1"].iloc[:-2].mean())
    assert res.macro_f1 > 0.9
    # reproducible
    again = TextCoder().cross_validate(
        text.iloc[:900], truth["category"].iloc[:900].tolist(), cv=3, random_state=1
    )
    assert again.macro_f1 == res.macro_f1


def test_suggest_uncertainty_sampling():
    texts = [
        "配网失败",
        "客服态度差",
        "配网一直失败",
        "客服不理人",
        "app crashes",
        "rude service",
    ] * 3
    labels = ["app", "service", "app", "service", "app", "service"] * 3
    coder = TextCoder().fit(texts, labels)
    pool = ["配网又失败了", "客服配网", None, "rude"]
    out = coder.suggest(pool, n=2)
    assert list(out.columns) == ["position", "text", "margin", "code"]
    assert len(out) == 2 and 2 not in out["position"].tolist()
    assert out["position"].iloc[0] == 1  # the mixed text is the most uncertain
    assert out["margin"].is_monotonic_increasing
    ml = TextCoder(multi_label=True).fit(texts, labels)
    out = ml.suggest(pool, n=4, how="mean")
    assert len(out) == 3  # the missing text is skipped


def test_svm_model_and_binary_frame():
    texts = [
        "配网失败",
        "客服态度差",
        "配网一直失败",
        "客服不理人",
        "app crashes",
        "rude service",
    ] * 4
    frame = pd.DataFrame({"app": [1, 0] * 12, "service": [0, 1] * 12})
    coder = TextCoder(model="svm").fit(texts, frame)
    assert coder.codes_ == ["app", "service"] and coder.multi_label_ is False
    assert coder.predict(["配网又失败了"]) == [["app"]]
    assert coder.predict_proba(["配网又失败了"])[0, 0] > 0.5


def test_missing_texts_and_errors():
    coder = TextCoder().fit(["a b", "c d", None, "a c"], ["x", "y", "x", None])
    assert coder.n_dropped_ == 2
    assert coder.predict([None, ""]) is not None
    with pytest.raises(NotFittedError, match="not fitted"):
        TextCoder().predict(["x"])
    with pytest.raises(ConfigError, match="model"):
        TextCoder(model="tree").fit(["a", "b"], ["x", "y"])
    with pytest.raises(DataError, match="no code"):
        TextCoder().fit(["a", "b"], [[], []])
    with pytest.raises(SchemaError, match="one column"):
        TextCoder().fit(pd.DataFrame({"t": ["a"]}), ["x"])
    with pytest.raises(ConfigError, match="cv"):
        TextCoder().cross_validate(["a", "b"], ["x", "y"], cv=5)
    with pytest.raises(ValueError, match="Invalid parameter 'alpha'"):
        TextCoder().set_params(alpha=1)


def test_cross_validate_progress_bar(capsys):
    """A bar over the folds only when asked (the default is off outside a terminal, so test
    runs and executed notebooks stay free of bar text)."""
    texts = [
        "配网失败", "客服态度差", "app keeps crashing", "the agent was rude",
        "绑定设备一直失败", "打了三次电话没人接", "login fails every time", "nobody answered my call",
    ] * 3  # fmt: skip
    labels = ["app", "service"] * 12
    quiet = TextCoder().cross_validate(texts, labels, cv=3, random_state=0)
    assert "cross-validation" not in capsys.readouterr().err
    loud = TextCoder().cross_validate(texts, labels, cv=3, random_state=0, progress=True)
    assert "cross-validation" in capsys.readouterr().err
    pd.testing.assert_frame_equal(quiet.table, loud.table)
    with pytest.raises(ConfigError, match="progress"):
        TextCoder().cross_validate(texts, labels, cv=3, progress="on")


# ----------------------------------------------------------------- fast cross-validation
def _reference_cross_validate(coder, texts, labels, cv, seed):
    """The slow reference: clone the coder, fit() it on each training part's texts, predict
    the held-out texts; returns the pooled 0/1 predictions and the truth (texts x codes)."""
    from sklearn.base import clone
    from sklearn.model_selection import KFold

    sets, codes = parse_labels(labels)
    col = {c: j for j, c in enumerate(codes)}
    Y = np.zeros((len(texts), len(codes)), dtype=np.int8)
    for i, s in enumerate(sets):
        for c in s or ():
            Y[i, col[c]] = 1
    pred = np.zeros_like(Y)
    for tr, te in KFold(cv, shuffle=True, random_state=seed).split(texts):
        m = clone(coder)
        if coder.multi_label == "auto":
            m.set_params(multi_label=bool((Y.sum(1) != 1).any()))
        m.fit([texts[i] for i in tr], [sorted(sets[i] or ()) for i in tr])
        pred[np.ix_(te, [col[c] for c in m.codes_])] = m.predict_matrix([texts[i] for i in te])
    return pred, Y


@pytest.mark.parametrize(
    "params",
    [{}, {"model": "svm"}, {"min_df": 2, "word_ngrams": None}, {"multi_label": True}],
    ids=["logistic", "svm", "chars-min_df2", "multi_label"],
)
@pytest.mark.parametrize("kind", ["single", "multi"])
def test_cross_validate_equals_the_refit_reference(sample, params, kind):
    """The fast path (n-grams counted once, TF-IDF per training fold) gives exactly the table of
    fitting a clone on each training part's texts."""
    text, truth = sample
    n = 150 if params.get("model") == "svm" else 360  # svm calibrates: slow
    texts = text.iloc[:n].tolist()
    if kind == "single":
        labels = [[c] for c in truth["category"].iloc[:n]]
    else:
        labels = [
            [c] + ([s] if isinstance(s, str) else [])
            for c, s in zip(truth["category"].iloc[:n], truth["stage"].iloc[:n], strict=True)
        ]
    coder = TextCoder(**params)
    pred, Y = _reference_cross_validate(coder, texts, labels, 3, 4)
    res = coder.cross_validate(texts, labels, cv=3, random_state=4)
    tp, fp, fn = (pred & Y).sum(0), (pred & (1 - Y)).sum(0), ((1 - pred) & Y).sum(0)
    with np.errstate(invalid="ignore"):
        prec = np.where(tp + fp > 0, tp / np.maximum(tp + fp, 1), 0.0)
        rec = np.where(tp + fn > 0, tp / np.maximum(tp + fn, 1), 0.0)
    t = res.table.iloc[:-2]
    assert t["precision"].tolist() == prec.tolist()
    assert t["recall"].tolist() == rec.tolist()
    assert res.micro_f1 == pytest.approx(2 * tp.sum() / (2 * tp.sum() + fp.sum() + fn.sum()))


def test_cross_validate_rare_code_and_chinese_only_texts_match_the_reference():
    """A code that some training folds lack, and texts without any Latin word (the word block is
    empty: characters only, as fit() falls back)."""
    base = ["配网失败", "客服态度差", "送餐太慢了", "客服不理人", "一直配网失败", "退款很慢"]
    texts = [t + "。" * (i % 3) for i, t in enumerate(base * 4)]
    labels = [["app"], ["service"], ["delivery"], ["service"], ["app"], ["refund"]] * 4
    labels[5] = ["refund", "service"]  # multi-label
    texts.append("货到了但是破损")
    labels.append(["damage"])  # one text only: missing from every training part but one
    pred, Y = _reference_cross_validate(TextCoder(), texts, labels, 4, 0)
    res = TextCoder().cross_validate(texts, labels, cv=4, random_state=0)
    tp = (pred & Y).sum(0)
    assert res.table["support"].iloc[:-2].tolist() == Y.sum(0).tolist()
    assert res.table.set_index("code").loc["damage", "recall"] == 0.0  # never learnt in its fold
    assert res.micro_f1 == pytest.approx(
        2 * tp.sum() / (2 * tp.sum() + (pred & (1 - Y)).sum() + ((1 - pred) & Y).sum())
    )


def test_fold_features_equal_a_vectoriser_fitted_on_the_training_part(sample):
    """No leakage: vocabulary, min_df and IDF come from the training texts only; the held-out
    texts keep the training vocabulary. Bit-identical to make_vectorizer().fit(train)."""
    from needlab.painpoints.textcoder import _count_blocks, _fold_features, make_vectorizer

    text, _ = sample
    t = text.iloc[:240].tolist()
    train, test = np.arange(0, 240, 3), np.setdiff1d(np.arange(240), np.arange(0, 240, 3))
    for min_df, words in ((1, (1, 2)), (2, (1, 2)), (1, None)):
        blocks = _count_blocks(t, (1, 3), words)
        assert blocks is not None
        got = _fold_features(blocks, train, test, min_df)
        assert got is not None
        v = make_vectorizer((1, 3), words, min_df)
        want_tr = v.fit_transform([t[i] for i in train])
        want_te = v.transform([t[i] for i in test])
        assert got[0].shape == want_tr.shape and got[1].shape == want_te.shape
        assert abs(got[0] - want_tr).max() == 0 and abs(got[1] - want_te).max() == 0
        # the held-out texts have n-grams the training part lacks: they were left out
        assert sum(b.counts.shape[1] for b in blocks) > want_tr.shape[1]
