"""Property tests of the Kano indices against a plain row-by-row reference, and bootstrap checks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from needlab.kano import kano
from tests.kano.helpers import naive_kano

answer = st.one_of(st.none(), st.integers(1, 5))


@st.composite
def surveys(draw):
    n = draw(st.integers(3, 40))
    n_feat = draw(st.integers(1, 3))
    cols = {}
    for j in range(n_feat):
        f = draw(st.lists(answer, min_size=n, max_size=n))
        d = draw(st.lists(answer, min_size=n, max_size=n))
        # At least one complete pair per feature.
        f[0] = f[0] or 1
        d[0] = d[0] or 5
        cols[f"f{j}"] = pd.array(f, dtype="Float64")
        cols[f"d{j}"] = pd.array(d, dtype="Float64")
    df = pd.DataFrame(cols)
    w = draw(st.lists(st.floats(0.1, 5.0), min_size=n, max_size=n))
    pairs = {f"feat{j}": (f"f{j}", f"d{j}") for j in range(n_feat)}
    return df, pairs, np.array(w)


SET = settings(max_examples=60, deadline=None)


@SET
@given(surveys())
def test_matches_row_by_row_reference(case) -> None:
    df, pairs, w = case
    got = kano(df, pairs, weights=w).table
    ref = naive_kano(df, pairs, weights=w)
    for col in ["n", "A", "O", "M", "I", "R", "Q", "share_A", "share_Q", "better", "worse"]:
        np.testing.assert_allclose(
            got[col].to_numpy(float), ref[col].to_numpy(float), rtol=1e-9, atol=1e-12, err_msg=col
        )


@SET
@given(surveys())
def test_bounds_and_shares(case) -> None:
    df, pairs, w = case
    t = kano(df, pairs, weights=w).table
    shares = t[[f"share_{c}" for c in "AOMIRQ"]].sum(axis=1)
    np.testing.assert_allclose(shares, 1.0)
    b, wo = t["better"].dropna(), t["worse"].dropna()
    assert ((b >= 0) & (b <= 1)).all() and ((wo >= -1) & (wo <= 0)).all()
    assert ((t["category_strength"] >= 0) & (t["category_strength"] <= 1)).all()
    assert (t["n_eff"] <= t["n"] + 1e-9).all()


@SET
@given(surveys(), st.floats(0.2, 7.0))
def test_equal_weights_change_nothing(case, c) -> None:
    df, pairs, _ = case
    a = kano(df, pairs).table
    b = kano(df, pairs, weights=np.full(len(df), c)).table
    cols = [
        "share_A",
        "share_O",
        "share_M",
        "share_I",
        "share_R",
        "share_Q",
        "better",
        "worse",
        "category",
        "tie",
        "category_strength",
        "n_eff",
        "functional_score",
        "dysfunctional_sd",
    ]
    pd.testing.assert_frame_equal(a[cols], b[cols], check_exact=False, rtol=1e-9)


@SET
@given(surveys(), st.randoms(use_true_random=False))
def test_permuting_respondents_changes_nothing(case, rnd) -> None:
    df, pairs, w = case
    order = list(range(len(df)))
    rnd.shuffle(order)
    a = kano(df, pairs, weights=w).table
    b = kano(df.iloc[order].reset_index(drop=True), pairs, weights=w[order]).table
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-9)


# --- bootstrap --------------------------------------------------------------------------------


def _binary_frame(n: int, p_a: float, seed: int) -> pd.DataFrame:
    """Only A (like, neutral) and M (neutral, dislike) pairs: better is a plain proportion."""
    rng = np.random.default_rng(seed)
    is_a = rng.random(n) < p_a
    return pd.DataFrame({"f": np.where(is_a, 1, 3), "d": np.where(is_a, 3, 5)})


def test_bootstrap_interval_matches_binomial_standard_error() -> None:
    df = _binary_frame(4000, 0.3, 1)
    r = kano(df, {"x": ("f", "d")}, n_boot=400, random_state=7).table.iloc[0]
    p = r["better"]
    se = np.sqrt(p * (1 - p) / 4000)
    width = r["better_high"] - r["better_low"]
    assert width == pytest.approx(2 * 1.96 * se, rel=0.15)
    assert r["better_low"] < p < r["better_high"]
    # worse = -M share here: same width.
    assert r["worse_high"] - r["worse_low"] == pytest.approx(width, rel=1e-9)


def test_bootstrap_is_reproducible_and_respects_weights() -> None:
    df = _binary_frame(500, 0.5, 2)
    a = kano(df, {"x": ("f", "d")}, n_boot=200, random_state=3).table
    b = kano(df, {"x": ("f", "d")}, n_boot=200, random_state=3).table
    pd.testing.assert_frame_equal(a, b)
    # Weight the A answers 3x: the weighted better moves to 3p/(3p + 1 - p) and the interval
    # follows it.
    w = np.where(df["f"] == 1, 3.0, 1.0)
    r = kano(df, {"x": ("f", "d")}, weights=w, n_boot=200, random_state=3).table.iloc[0]
    p = (df["f"] == 1).mean()
    assert r["better"] == pytest.approx(3 * p / (3 * p + 1 - p))
    assert r["better_low"] < r["better"] < r["better_high"]
    assert r["better_low"] > 0.65
