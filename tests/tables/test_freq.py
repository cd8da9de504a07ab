"""Tests of needlab.tables.freq: hand-computed weighted tables, Wilson intervals, properties."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportion_confint

from needlab._stats import effective_n, wilson_interval
from needlab.errors import ConfigError, DataError, SchemaError
from needlab.tables.freq import MISSING_LABEL, FreqResult, freq

Z95 = 1.959963984540054


def wilson_by_hand(p: float, n: float, z: float = Z95) -> tuple[float, float]:
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


@pytest.fixture
def weighted() -> pd.DataFrame:
    return pd.DataFrame({"q": ["a", "b", "b", "c", None], "w": [1.0, 2.0, 3.0, 4.0, 5.0]})


def test_weighted_by_hand(weighted: pd.DataFrame) -> None:
    r = freq(weighted, "q", weights="w")
    assert isinstance(r, FreqResult)
    t = r.table
    assert t["value"].tolist() == ["a", "b", "c", MISSING_LABEL]
    assert t["n"].tolist() == [1, 2, 1, 1]
    np.testing.assert_allclose(t["count"], [1, 5, 4, 5])
    np.testing.assert_allclose(t["percent"], [100 / 15, 500 / 15, 400 / 15, 500 / 15])
    np.testing.assert_allclose(t["valid_percent"].iloc[:3], [10, 50, 40])
    np.testing.assert_allclose(t["cumulative_percent"].iloc[:3], [10, 60, 100])
    assert t.iloc[3][["valid_percent", "cumulative_percent", "ci_low", "ci_high"]].isna().all()
    # Kish base of the valid rows: (1+2+3+4)^2 / (1+4+9+16) = 100/30.
    assert r.n_eff == pytest.approx(100 / 30)
    for p, lo, hi in zip([0.1, 0.5, 0.4], t["ci_low"], t["ci_high"], strict=False):
        elo, ehi = wilson_by_hand(p, 100 / 30)
        assert lo == pytest.approx(100 * elo) and hi == pytest.approx(100 * ehi)
    assert (r.n_used, r.n_excluded, r.weighted_n) == (4, 1, 15.0)
    assert any("1 of 5 rows" in n for n in r.notes)


def test_wilson_hand_value() -> None:
    lo, hi = wilson_interval(0.5, 10)
    # z = 1.96: centre 0.5, half = 1.96 sqrt(0.025 + 0.0096040) / 1.384146 = 0.26341
    assert float(lo) == pytest.approx(0.2366, abs=1e-4)
    assert float(hi) == pytest.approx(0.7634, abs=1e-4)
    lo, hi = wilson_interval(np.array([0.0, 1.0]), np.array([5, 0]))
    assert lo[0] == 0 and np.isnan(hi[1])


@pytest.mark.parametrize("ci", [0.9, 0.95, 0.99])
def test_unweighted_matches_statsmodels(ci: float) -> None:
    rng = np.random.default_rng(3)
    df = pd.DataFrame({"q": rng.choice([1, 2, 3, 4], size=57, p=[0.1, 0.2, 0.3, 0.4])})
    t = freq(df, "q", ci=ci).table
    for _, row in t.iterrows():
        lo, hi = proportion_confint(int(row["n"]), 57, alpha=1 - ci, method="wilson")
        assert row["ci_low"] == pytest.approx(100 * lo)
        assert row["ci_high"] == pytest.approx(100 * hi)


def test_dropna_and_no_ci(weighted: pd.DataFrame) -> None:
    r = freq(weighted, "q", weights="w", dropna=True, ci=None)
    t = r.table
    assert MISSING_LABEL not in t["value"].tolist()
    np.testing.assert_allclose(t["percent"], t["valid_percent"])
    assert "ci_low" not in t
    assert "excluded" in r.notes[0]


def test_categorical_order_unused_and_count_sort() -> None:
    s = pd.Categorical(
        ["low", "high", "high", "low", "high"], categories=["low", "mid", "high"], ordered=True
    )
    t = freq(pd.DataFrame({"q": s}), "q").table
    assert t["value"].tolist() == ["low", "mid", "high"]
    assert t["n"].tolist() == [2, 0, 3]
    assert t["ci_low"].iloc[1] == 0.0
    t = freq(pd.DataFrame({"q": s}), "q", sort="count").table
    assert t["value"].tolist() == ["high", "low", "mid"]
    np.testing.assert_allclose(t["cumulative_percent"], [60, 100, 100])


def test_numeric_sorted_and_labels() -> None:
    df = pd.DataFrame({"q": [3, 1, 2, 1, np.nan]})
    t = freq(df, "q", labels={1: "no", 2: "maybe"}).table
    assert t["value"].tolist()[:3] == [1.0, 2.0, 3.0]
    assert t["label"].tolist() == ["no", "maybe", "3.0", MISSING_LABEL]


def test_zero_weight_and_mixed_type_notes() -> None:
    df = pd.DataFrame({"q": [1, "1", 2], "w": [1.0, 0.0, 2.0]})
    r = freq(df, "q", weights="w")
    assert any("mixes value types" in n for n in r.notes)
    assert any("weight 0" in n for n in r.notes)
    assert r.table["n"].sum() == 3


def test_errors(weighted: pd.DataFrame) -> None:
    with pytest.raises(SchemaError, match="'qq'"):
        freq(weighted, "qq")
    with pytest.raises(SchemaError):
        freq(weighted["q"], "q")  # type: ignore[arg-type]
    with pytest.raises(DataError, match="negative"):
        freq(weighted, "q", weights=[1, -1, 1, 1, 1])
    with pytest.raises(DataError, match="sum to zero"):
        freq(weighted, "q", weights=np.zeros(5))
    with pytest.raises(ConfigError, match="sort"):
        freq(weighted, "q", sort="size")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="ci"):
        freq(weighted, "q", ci=95)


def test_repr_and_plot(weighted: pd.DataFrame) -> None:
    r = freq(weighted, "q", weights="w", labels={"a": "Alpha"})
    assert "Frequencies" in repr(r) and "effective base" in r._repr_html_()
    ax = r.plot()
    assert len(ax.patches) == 3
    import matplotlib.pyplot as plt

    plt.close("all")


# ----------------------------------------------------------------------------- properties

SET = settings(max_examples=50, deadline=None)


@st.composite
def frames(draw):
    n = draw(st.integers(1, 40))
    q = draw(st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=n, max_size=n))
    w = draw(st.lists(st.floats(0.1, 10.0), min_size=n, max_size=n))
    return pd.DataFrame({"q": pd.array(q, dtype="Int64"), "w": w})


@SET
@given(frames(), st.floats(0.01, 100.0))
def test_equal_weights_change_nothing(df: pd.DataFrame, c: float) -> None:
    a = freq(df, "q").table
    b = freq(df, "q", weights=np.full(len(df), c)).table
    pd.testing.assert_series_equal(a["n"], b["n"])
    for col in ("percent", "valid_percent", "cumulative_percent", "ci_low", "ci_high"):
        np.testing.assert_allclose(a[col], b[col], rtol=1e-9, atol=1e-9)


@SET
@given(frames(), st.randoms(use_true_random=False))
def test_permutation_and_sums(df: pd.DataFrame, rnd) -> None:
    perm = list(range(len(df)))
    rnd.shuffle(perm)
    a = freq(df, "q", weights="w").table
    b = freq(df.iloc[perm], "q", weights="w").table
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-9)
    assert a["percent"].sum() == pytest.approx(100)
    valid = a["valid_percent"].dropna()
    if len(valid):
        assert valid.sum() == pytest.approx(100)
        assert a["cumulative_percent"].dropna().iloc[-1] == pytest.approx(100)
        assert (a["ci_low"].dropna() <= valid + 1e-9).all()
        assert (a["ci_high"].dropna() >= valid - 1e-9).all()
    assert a["n"].sum() == len(df)


def test_effective_n() -> None:
    assert effective_n(np.ones(7)) == pytest.approx(7)
    assert effective_n(np.zeros(3)) == 0
