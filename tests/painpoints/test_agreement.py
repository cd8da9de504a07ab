"""Tests of needlab.painpoints.agreement against hand cases and published values."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from needlab.errors import ConfigError, DataError, SchemaError
from needlab.painpoints.agreement import agreement, cohen_kappa, krippendorff_alpha

NAN = float("nan")
# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", section C: 4 observers x 12 units.
K2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]


def test_krippendorff_2011_published_example():
    assert krippendorff_alpha(K2011) == pytest.approx(0.743, abs=5e-4)
    assert krippendorff_alpha(K2011, level="interval") == pytest.approx(0.849, abs=5e-4)


def test_agreement_wide_frame_with_missing_matches_published_alpha():
    wide = pd.DataFrame(np.array(K2011, dtype=float).T, columns=["A", "B", "C", "D"])
    res = agreement(wide)
    # unit 12 has a single coding: excluded
    assert res.n_excluded == 1 and res.n_used == 11
    assert res.alpha == pytest.approx(0.743, abs=5e-4)
    assert agreement(wide, level="interval").alpha == pytest.approx(0.849, abs=5e-4)
    assert math.isnan(res.kappa)  # four coders: no Cohen's kappa of the whole coding
    assert res.table["kappa"].notna().all()  # Light's kappa per code


def test_long_table_same_as_wide():
    wide = pd.DataFrame(np.array(K2011, dtype=float).T, columns=["A", "B", "C", "D"])
    long = wide.rename_axis("text").reset_index().melt("text", var_name="coder", value_name="code")
    long = long.dropna(subset=["code"])
    res = agreement(long)
    assert res.alpha == pytest.approx(0.743, abs=5e-4)


def test_vs_krippendorff_package():
    kd = pytest.importorskip("krippendorff")
    rng = np.random.default_rng(3)
    data = rng.integers(0, 4, size=(3, 40)).astype(float)
    data[rng.random(data.shape) < 0.2] = np.nan
    ref = kd.alpha(reliability_data=data, level_of_measurement="nominal")
    assert krippendorff_alpha(data) == pytest.approx(ref, abs=1e-10)
    ref_i = kd.alpha(reliability_data=data, level_of_measurement="interval")
    assert krippendorff_alpha(data, level="interval") == pytest.approx(ref_i, abs=1e-10)


def test_kappa_vs_sklearn_and_per_code():
    from sklearn.metrics import cohen_kappa_score

    rng = np.random.default_rng(0)
    a = rng.choice(["price", "service", "delivery"], 200)
    b = np.where(rng.random(200) < 0.7, a, rng.choice(["price", "service", "delivery"], 200))
    res = agreement(list(a), list(b))
    assert res.kappa == pytest.approx(cohen_kappa_score(a, b), abs=1e-12)
    t = res.table.set_index("code")
    for c in ["price", "service", "delivery"]:
        assert t.loc[c, "kappa"] == pytest.approx(cohen_kappa_score(a == c, b == c), abs=1e-12)
        assert t.loc[c, "agreement"] == pytest.approx(np.mean((a == c) == (b == c)))
    assert res.kappa_mean == pytest.approx(t["kappa"].iloc[:3].mean())
    # pooled kappa = kappa of the summed 2x2
    pa = np.concatenate([a == c for c in ["delivery", "price", "service"]])
    pb = np.concatenate([b == c for c in ["delivery", "price", "service"]])
    assert res.kappa_pooled == pytest.approx(cohen_kappa_score(pa, pb), abs=1e-12)
    # two coders: kappa alpha close (alpha corrects for small samples)
    assert abs(res.alpha - res.kappa) < 0.01


def test_kappa_standard_error_fleiss_cohen_everitt():
    k, se, lo, hi = cohen_kappa(np.array([[20, 5], [10, 15]]))
    assert k == pytest.approx(0.4)
    # hand computation of equation 13 of Fleiss, Cohen & Everitt (1969)
    assert se == pytest.approx(0.126996, abs=1e-6)
    assert lo == pytest.approx(0.4 - 1.959964 * se, abs=1e-6)
    sm = pytest.importorskip("statsmodels.stats.inter_rater")
    t = np.array([[22, 2, 2], [3, 7, 4], [0, 1, 25]])
    r = sm.cohens_kappa(t)
    assert cohen_kappa(t)[1] == pytest.approx(r.std_kappa, abs=1e-10)


def test_cohen_kappa_table_checks_and_level():
    t = np.array([[20, 5], [10, 15]])
    k, se, lo, hi = cohen_kappa(t, ci=0.90)
    assert (hi - lo) / 2 == pytest.approx(1.6448536 * se, rel=1e-6)
    with pytest.raises(DataError, match="square"):
        cohen_kappa(np.ones((2, 3)))
    with pytest.raises(DataError, match="square"):
        cohen_kappa([1, 2, 3])
    with pytest.raises(DataError, match=">= 0"):
        cohen_kappa(np.array([[1, -1], [0, 2]]))
    with pytest.raises(ConfigError, match="ci"):
        cohen_kappa(t, ci=95)


def test_multilabel_hand_case_and_string_codings():
    a = [["price"], ["delivery", "service"], [], ["price"]]
    b = ["price", "delivery", "", "service"]
    res = agreement(a, b)
    t = res.table.set_index("code")
    assert list(t.index) == ["delivery", "price", "service", "(pooled)"]
    assert t.loc["delivery", "agreement"] == 1.0
    assert t.loc["price", "agreement"] == 0.75
    assert t.loc["service", "agreement"] == 0.5
    assert t.loc["(pooled)", "agreement"] == 0.75
    assert res.exact_agreement == 0.5  # texts 1 and 3 identical
    assert t.loc["delivery", "kappa"] == 1.0
    assert (
        t.loc["price", "kappa_se"] > 0 and t.loc["price", "kappa_ci_low"] < t.loc["price", "kappa"]
    )


def test_series_aligned_by_index_and_missing():
    a = pd.Series({"t1": "x", "t2": "y", "t3": "x;y", "t4": None})
    b = pd.Series({"t3": "y;x", "t1": "x", "t2": "x", "t5": "y"})
    res = agreement(a, b, codes=["x", "y"])
    assert res.n_used == 3 and res.n_excluded == 2
    assert res.exact_agreement == pytest.approx(2 / 3)
    assert any("fewer than two coders" in n for n in res.notes)


def test_errors():
    with pytest.raises(DataError, match="other has 2"):
        agreement([["a"], ["b"], ["a"]], [["a"], ["b"]])
    with pytest.raises(SchemaError, match="other is missing"):
        agreement([["a"]])
    with pytest.raises(ConfigError, match="level"):
        agreement(["a"], ["a"], level="ordinalish")
    with pytest.raises(DataError, match="two coders"):
        agreement(pd.Series(["a"], index=[1]), pd.Series(["a"], index=[2]))
    with pytest.raises(DataError, match="numeric"):
        agreement(["a", "b"], ["a", "c"], level="interval")
    with pytest.raises(DataError, match="duplicated text ids"):
        agreement(pd.Series(["a", "b"], index=[1, 1]), pd.Series(["a", "b"], index=[1, 2]))


def test_perfect_and_constant():
    res = agreement(["a", "b", "a"], ["a", "b", "a"])
    assert res.kappa == 1.0 and res.alpha == 1.0
    # a code nobody uses in this list still gets a row, with undefined kappa
    res = agreement(["a", "a"], ["a", "a"], codes=["a", "z"])
    t = res.table.set_index("code")
    assert math.isnan(t.loc["z", "kappa"]) and t.loc["z", "agreement"] == 1.0
    assert "Inter-coder agreement" in repr(res)
