"""TextCoder and SentimentModel as scikit-learn estimators (docs/conventions.md, Estimators).

``check_estimator`` as a whole does not apply: its checks fit on random numeric matrices, and
these estimators take texts (``X`` a list or Series of strings). The individual checks that do
not fit on numeric data run below; the others are covered by hand-written equivalents on texts
(clone, params round trip, not fitted, sample weights, ``classes_`` order). Skipped checks and
why:

* ``check_fit2d_*``, ``check_fit1d``, ``check_dtype_object``, ``check_estimators_dtypes``,
  ``check_n_features_in*``, ``check_fit_check_is_fitted``, ``check_dont_overwrite_parameters``,
  ``check_fit_idempotent``, ``check_classifiers_*``, ``check_sample_weight*``,
  ``check_supervised_y_*``, ``check_methods_*``, ``check_estimators_pickle``,
  ``check_estimators_nan_inf``, ``check_estimators_empty_data``: they generate numeric 2-d
  ``X``; the text equivalents are in this file and in test_textcoder.py / test_sentiment.py.
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from sklearn.base import clone, is_classifier
from sklearn.utils import estimator_checks as ec

from needlab.errors import NeedlabError, NotFittedError
from needlab.painpoints.sentiment import SentimentModel
from needlab.painpoints.textcoder import TextCoder

TEXTS = ["配网失败", "客服态度差", "配网一直失败", "客服不理人", "app crashes", "rude service"] * 3
LABELS = ["app", "service", "app", "service", "app", "service"] * 3

CHECKS = [
    ec.check_no_attributes_set_in_init,
    ec.check_parameters_default_constructible,
    ec.check_get_params_invariance,
    ec.check_set_params,
    ec.check_estimator_repr,
    ec.check_estimator_cloneable,
    ec.check_estimators_unfitted,
    ec.check_mixin_order,
    ec.check_valid_tag_types,
    ec.check_estimator_tags_renamed,
    ec.check_do_not_raise_errors_in_init_or_set_params,
]


@pytest.mark.parametrize("est", [TextCoder(), SentimentModel()], ids=["TextCoder", "Sentiment"])
@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_sklearn_checks(est, check) -> None:
    check(type(est).__name__, est)


@pytest.mark.parametrize("cls", [TextCoder, SentimentModel])
def test_clone_params_round_trip_and_repr(cls) -> None:
    est = cls(C=2.0, min_df=1)
    params = est.get_params()
    assert params["C"] == 2.0
    twin = clone(est)
    assert twin is not est and twin.get_params() == params
    assert cls().set_params(**params).get_params() == params
    assert repr(est) == f"{cls.__name__}(C=2.0)"  # sklearn repr: only non-default parameters
    assert is_classifier(est)
    with pytest.raises(TypeError):
        cls(2.0)  # keyword-only


@pytest.mark.parametrize("cls", [TextCoder, SentimentModel])
def test_not_fitted_error_and_classes(cls) -> None:
    with pytest.raises(NotFittedError) as info:
        cls().predict_proba(["x"])
    from sklearn.exceptions import NotFittedError as SkNotFitted

    assert isinstance(info.value, SkNotFitted) and isinstance(info.value, NeedlabError)
    est = cls().fit(TEXTS, LABELS)
    assert est.classes_.tolist() == ["app", "service"]
    p = est.predict_proba(["配网又失败了", "rude service"])
    # the columns of predict_proba are read by classes_
    assert est.classes_[p.argmax(1)].tolist() == ["app", "service"]
    assert est.score(TEXTS, LABELS) == 1.0
    again = pickle.loads(pickle.dumps(est))
    np.testing.assert_allclose(again.predict_proba(TEXTS), est.predict_proba(TEXTS))


def test_textcoder_validates_in_fit_and_uses_sample_weight() -> None:
    bad = TextCoder(threshold=2.0)  # stored as given; checked in fit
    assert bad.threshold == 2.0
    with pytest.raises(NeedlabError, match="threshold"):
        bad.fit(TEXTS, LABELS)
    # contradicting copies: the weights decide which code a text gets
    texts = ["battery dies", "rude agent"] * 2
    y = ["power", "staff", "staff", "power"]
    heavy_first = TextCoder(class_weight=None, multi_label=False).fit(
        texts, y, sample_weight=[9, 9, 1, 1]
    )
    heavy_last = TextCoder(class_weight=None, multi_label=False).fit(
        texts, y, sample_weight=[1, 1, 9, 9]
    )
    assert heavy_first.predict(texts[:2]) == [["power"], ["staff"]]
    assert heavy_last.predict(texts[:2]) == [["staff"], ["power"]]
    with pytest.raises(NeedlabError, match="negative"):
        TextCoder().fit(texts, y, sample_weight=[1, -1, 1, 1])


def test_cross_validate_options_are_keyword_only() -> None:
    coder = TextCoder()
    with pytest.raises(TypeError):
        coder.cross_validate(TEXTS, LABELS, 3)  # type: ignore[misc]
    a = coder.cross_validate(TEXTS, LABELS, cv=3, random_state=0)
    b = coder.cross_validate(TEXTS, LABELS, cv=3, random_state=0)
    assert a.table.equals(b.table) and a.n_used == len(TEXTS) and a.n_excluded == 0
    assert a.micro_f1 == 1.0
