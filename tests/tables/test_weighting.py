"""Tests of needlab.tables.weighting.rake against closed forms and a loop-based IPF."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from needlab.errors import ConfigError, DataError, NeedlabWarning, SchemaError
from needlab.tables.weighting import RakeResult, rake


def loop_ipf(df: pd.DataFrame, targets: dict, iters: int = 500) -> np.ndarray:
    """Plain row-by-row raking: the independent second method."""
    w = [1.0] * len(df)
    rows = df.to_dict("records")
    for _ in range(iters):
        for col, tgt in targets.items():
            sums: dict = {}
            for r, wi in zip(rows, w, strict=True):
                sums[r[col]] = sums.get(r[col], 0.0) + wi
            tot = sum(sums.values())
            w = [wi * tgt[r[col]] * tot / sums[r[col]] for r, wi in zip(rows, w, strict=True)]
    mean = sum(w) / len(w)
    return np.array([wi / mean for wi in w])


@pytest.fixture
def sample() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    n = 300
    return pd.DataFrame(
        {
            "sex": rng.choice(["f", "m"], n, p=[0.65, 0.35]),
            "age": rng.choice(["18-34", "35-54", "55+"], n, p=[0.5, 0.3, 0.2]),
            "region": rng.choice([1, 2, 3, 4], n),
        }
    )


TARGETS = {"sex": {"f": 0.5, "m": 0.5}, "age": {"18-34": 0.3, "35-54": 0.35, "55+": 0.35}}


def test_single_margin_is_poststratification(sample: pd.DataFrame) -> None:
    tgt = {1: 0.1, 2: 0.2, 3: 0.3, 4: 0.4}
    r = rake(sample, {"region": tgt})
    share = sample["region"].value_counts(normalize=True)
    expected = sample["region"].map(lambda c: tgt[c] / share[c])
    np.testing.assert_allclose(r.weights, expected / expected.mean(), rtol=1e-12)
    assert r.converged and r.iterations == 1
    assert r.weights.index.equals(sample.index) and r.weights.mean() == pytest.approx(1)


def test_two_margins_against_loop_ipf(sample: pd.DataFrame) -> None:
    r = rake(sample, TARGETS, tol=1e-10, max_iter=500)
    assert isinstance(r, RakeResult) and r.converged
    t = r.table
    np.testing.assert_allclose(t["achieved"], t["target"], atol=1e-10)
    np.testing.assert_allclose(r.weights.to_numpy(), loop_ipf(sample, TARGETS), rtol=1e-7)
    w = r.weights.to_numpy()
    eff = w.sum() ** 2 / (len(w) * (w**2).sum())
    assert r.efficiency == pytest.approx(eff)
    assert r.design_effect == pytest.approx(1 / eff)
    assert r.n_eff == pytest.approx(eff * len(w))
    assert r.max_error < 1e-10
    row = t[(t["column"] == "sex") & (t["category"] == "f")].iloc[0]
    assert row["n"] == (sample["sex"] == "f").sum()
    assert row["unweighted"] == pytest.approx((sample["sex"] == "f").mean())


def test_two_by_two_closed_form() -> None:
    # Cells (f,y)=1 row, (f,o)=2 rows, (m,y)=2 rows, (m,o)=1 row; targets 1/2 each margin.
    df = pd.DataFrame({"sex": list("fffmmm"), "age": list("yooyyo")})
    r = rake(df, {"sex": {"f": 0.5, "m": 0.5}, "age": {"y": 0.5, "o": 0.5}}, tol=1e-12)
    # The data already meet these targets, so IPF keeps every weight at 1.
    np.testing.assert_allclose(r.weights, 1.0)
    r = rake(
        df, {"sex": {"f": 0.5, "m": 0.5}, "age": {"y": 2 / 3, "o": 1 / 3}}, tol=1e-12, max_iter=1000
    )
    # Per-row weights a (f,y), b (f,o), c (m,y), d (m,o); cell totals a, 2b, 2c, d must give
    # a + 2b = 3, 2c + d = 3, a + 2c = 4, 2b + d = 2, and IPF keeps the data's cross-product
    # ratio a d / (2b 2c) = 1 / 4, i.e. a d = b c. Then b = (3 - a)/2, c = (4 - a)/2,
    # d = a - 1 and a (a - 1) = (3 - a)(4 - a)/4  ->  a^2 + a - 4 = 0  ->  a = (sqrt(17) - 1)/2.
    w = r.weights.to_numpy()
    a, b, c, d = w[0], w[1], w[3], w[5]
    a0 = (np.sqrt(17) - 1) / 2
    assert (a, b, c, d) == pytest.approx((a0, (3 - a0) / 2, (4 - a0) / 2, a0 - 1), rel=1e-9)
    assert a + 2 * b == pytest.approx(3) and 2 * c + d == pytest.approx(3)
    assert a + 2 * c == pytest.approx(4) and 2 * b + d == pytest.approx(2)
    assert a * d == pytest.approx(b * c)


def test_base_weights_and_total(sample: pd.DataFrame) -> None:
    base = np.where(sample["sex"] == "f", 1.0, 3.0)
    tgt = {1: 0.25, 2: 0.25, 3: 0.25, 4: 0.25}
    r = rake(sample, {"region": tgt}, weights=base, total=1000)
    wshare = pd.Series(base).groupby(sample["region"].to_numpy()).sum() / base.sum()
    expected = base * 0.25 / sample["region"].map(wshare).to_numpy()
    np.testing.assert_allclose(r.weights, expected * 1000 / expected.sum(), rtol=1e-12)
    assert r.weights.sum() == pytest.approx(1000)
    assert "base" in r.table


def test_counts_are_normalised(sample: pd.DataFrame) -> None:
    a = rake(sample, TARGETS)
    b = rake(sample, {"sex": {"f": 50, "m": 50}, "age": {"18-34": 300, "35-54": 350, "55+": 350}})
    np.testing.assert_allclose(a.weights, b.weights)
    assert any("rescaled" in n for n in b.notes)


def test_trim_bounds_respected(sample: pd.DataFrame) -> None:
    tgt = {"sex": {"f": 0.2, "m": 0.8}, "age": {"18-34": 0.1, "35-54": 0.2, "55+": 0.7}}
    free = rake(sample, tgt)
    assert free.weights.max() > 3
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NeedlabWarning)
        r = rake(sample, tgt, trim=(0.5, 2.0), max_iter=200)
    w = r.weights
    assert w.mean() == pytest.approx(1)
    assert w.max() <= 2.0 * w.mean() + 1e-6 and w.min() >= 0.5 * w.mean() - 1e-6
    assert r.efficiency > free.efficiency


def test_zero_target_drops_rows(sample: pd.DataFrame) -> None:
    r = rake(sample, {"region": {1: 0, 2: 0.5, 3: 0.25, 4: 0.25}})
    assert (r.weights[sample["region"] == 1] == 0).all()
    assert any("target 0" in n for n in r.notes)


def test_non_convergence_warns(sample: pd.DataFrame) -> None:
    with pytest.warns(NeedlabWarning, match="did not converge"):
        r = rake(sample, TARGETS, max_iter=1, tol=1e-12)
    assert not r.converged and r.iterations == 1
    assert any("did not converge" in n for n in r.notes)


def test_categorical_unused_category_needs_no_target() -> None:
    df = pd.DataFrame({"g": pd.Categorical(["a", "b", "a"], categories=["a", "b", "c"])})
    r = rake(df, {"g": {"a": 0.5, "b": 0.5}})
    np.testing.assert_allclose(r.weights, [0.75, 1.5, 0.75])


@pytest.mark.parametrize(
    ("targets", "exc", "pattern"),
    [
        (
            {
                "sex": {"f": 0.5, "m": 0.4, "x": 0.1},
            },
            ConfigError,
            r"'x'.*'sex'.*no rows",
        ),
        ({"sex": {"f": 1.0}}, ConfigError, r"'m'.*'sex'.*no target"),
        ({"sex": {"f": 0.5, "m": 0.3}}, ConfigError, r"'sex' sum to 0.8"),
        ({"sex": {"f": 1.2, "m": -0.2}}, ConfigError, r"negative for 'm': -0.2"),
        ({"sex": {"f": "half", "m": 0.5}}, ConfigError, "numbers"),
        ({"sex": [0.5, 0.5]}, ConfigError, "mapping"),
        ({}, ConfigError, "non-empty"),
        ({"gender": {"f": 0.5, "m": 0.5}}, SchemaError, "'gender'"),
        ({"age": {"18-34": 0.5, "35-54": 0.5, "55+": 0.0}, "sex": {"f": 0.5, "m": 0.5}}, None, ""),
    ],
)
def test_target_errors(sample: pd.DataFrame, targets, exc, pattern) -> None:
    if exc is None:
        assert rake(sample, targets).converged
        return
    with pytest.raises(exc, match=pattern):
        rake(sample, targets)


def test_missing_values_in_raking_column(sample: pd.DataFrame) -> None:
    df = sample.copy()
    df.loc[[3, 10], "sex"] = None
    with pytest.raises(DataError, match=r"'sex' has 2 missing values \(rows 3, 10\).*impute"):
        rake(df, TARGETS)


def test_option_errors(sample: pd.DataFrame) -> None:
    for kwargs, pattern in (
        ({"trim": (2, 3)}, "trim"),
        ({"trim": 3}, "trim"),
        ({"tol": 0}, "tol"),
        ({"max_iter": 0}, "max_iter"),
        ({"total": -5}, "total"),
    ):
        with pytest.raises(ConfigError, match=pattern):
            rake(sample, TARGETS, **kwargs)
    with pytest.raises(DataError, match="negative"):
        rake(sample, TARGETS, weights=-np.ones(len(sample)))
    base = np.where(sample["sex"] == "m", 0.0, 1.0)
    with pytest.raises(ConfigError, match="base weight 0"):
        rake(sample, TARGETS, weights=base)


def test_repr_tables_plot(sample: pd.DataFrame) -> None:
    import matplotlib.pyplot as plt

    r = rake(sample, TARGETS)
    assert "design effect" in repr(r)
    assert set(r.tables()) == {"margins", "weights"}
    assert r.plot().get_xlabel() == "weight"
    plt.close("all")


# ----------------------------------------------------------------------------- properties

SET = settings(max_examples=50, deadline=None)


@st.composite
def frames(draw):
    n = draw(st.integers(2, 60))
    a = draw(st.lists(st.sampled_from("xyz"), min_size=n, max_size=n))
    b = draw(st.lists(st.integers(1, 3), min_size=n, max_size=n))
    return pd.DataFrame({"a": a, "b": b})


@SET
@given(frames())
def test_own_margins_give_unit_weights(df: pd.DataFrame) -> None:
    targets = {c: df[c].value_counts(normalize=True).to_dict() for c in df}
    r = rake(df, targets)
    assert r.converged
    np.testing.assert_allclose(r.weights, 1.0, rtol=1e-12)
    assert r.efficiency == pytest.approx(1)


@SET
@given(frames(), st.randoms(use_true_random=False))
def test_permutation_changes_nothing(df: pd.DataFrame, rnd) -> None:
    targets = {"a": {"x": 0.2, "y": 0.3, "z": 0.5}, "b": {1: 0.5, 2: 0.25, 3: 0.25}}
    # Keep only frames where every category appears.
    if df["a"].nunique() < 3 or df["b"].nunique() < 3:
        return
    perm = list(range(len(df)))
    rnd.shuffle(perm)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NeedlabWarning)
        r1 = rake(df, targets, max_iter=50)
        r2 = rake(df.iloc[perm], targets, max_iter=50)
    pd.testing.assert_series_equal(r1.weights, r2.weights.loc[r1.weights.index], rtol=1e-8)
    assert r1.converged == r2.converged
