"""The bad-input catalogue of needlab.regress (issue 13), one case at a time.

Infinite values in every numeric input (outcome, drivers, time, importance), kda boxes that
overlap, are inverted or leave no middle, wrong-signed effects, zero-weight exclusions and
bootstrap options. Each case asserts the exception type and the words that name the problem,
or the correct result and the count in the notes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from needlab.errors import ConfigError, DataError
from needlab.regress import factors, ipa, kda, key_drivers, regress, trend


@pytest.fixture
def df() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    n = 300
    out = pd.DataFrame({c: rng.integers(1, 6, n).astype(float) for c in ("a", "b", "c", "d")})
    out["y"] = 1 + 0.6 * out["a"] + 0.3 * out["b"] + rng.normal(0, 0.7, n)
    out["t"] = np.repeat(np.arange(10), 30)
    out["w"] = rng.uniform(0.5, 2.0, n)
    return out


def _inf(df: pd.DataFrame, col: str, row: int = 4, sign: float = 1.0) -> pd.DataFrame:
    out = df.copy()
    out[col] = out[col].astype(float)
    out.loc[row, col] = sign * np.inf
    return out


INF_CALLS = {
    "regress outcome": (lambda d: regress(d, "y", ["a", "b"]), "y"),
    "regress driver": (lambda d: regress(d, "y", ["a", "b"]), "a"),
    "regress logit driver": (
        lambda d: regress(d.assign(y=(d["y"] > 3).astype(float)), "y", ["a"], kind="logit"),
        "a",
    ),
    "key_drivers outcome": (lambda d: key_drivers(d, "y", ["a", "b", "c"]), "y"),
    "key_drivers driver": (lambda d: key_drivers(d, "y", ["a", "b", "c"]), "c"),
    "kda outcome": (lambda d: kda(d, "y", ["a", "b"]), "y"),
    "kda driver": (lambda d: kda(d, "y", ["a", "b"]), "b"),
    "ipa driver": (lambda d: ipa(d, "y", ["a", "b", "c"]), "b"),
    "ipa outcome": (lambda d: ipa(d, "y", ["a", "b", "c"]), "y"),
    "factors": (lambda d: factors(d, ["a", "b", "c", "d"], n_factors=1), "d"),
    "trend var": (lambda d: trend(d, "a", time="t"), "a"),
    "trend time": (lambda d: trend(d, "a", time="t"), "t"),
}


@pytest.mark.parametrize("case", list(INF_CALLS))
@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_infinite_values_are_a_clear_data_error(df, case, sign) -> None:
    call, col = INF_CALLS[case]
    with pytest.raises(DataError, match=rf"'{col}' has 1 infinite values: -?inf at rows 4"):
        call(_inf(df, col, sign=sign))


def test_inf_as_text_is_caught_too(df) -> None:
    d = df.copy()
    d["a"] = d["a"].astype(object)
    d.loc[2, "a"] = "inf"
    with pytest.raises(DataError, match=r"'a' has 1 infinite values: inf at rows 2"):
        regress(d, "y", ["a", "b"])


def test_ipa_infinite_importance_given(df) -> None:
    with pytest.raises(DataError, match=r"importance is missing or infinite for 'a'"):
        ipa(df, "y", ["a", "b"], importance={"a": np.inf, "b": 1.0})


# --- kda ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("low", "high"),
    [(4, 2), (3, 3), (5, 1)],
)
def test_kda_inverted_or_equal_cut_points(df, low, high) -> None:
    with pytest.raises(ConfigError, match=rf"low={low} must be below high={high}.*overlap"):
        kda(df, "y", ["a", "b"], low=low, high=high)


def test_kda_low_9_high_10_leaves_no_middle() -> None:
    rng = np.random.default_rng(1)
    d = pd.DataFrame({"a": rng.integers(0, 11, 400).astype(float)})
    d["y"] = d["a"] + rng.normal(0, 1, 400)
    with pytest.raises(ConfigError, match=r"low=9 and high=10 leave no middle rating for 'a'"):
        kda(d, "y", ["a"], low=9, high=10)


def test_kda_overlapping_lists(df) -> None:
    with pytest.raises(ConfigError, match=r"overlap.*'a'"):
        kda(df, "y", ["a", "b"], low=[1, 2, 3], high=[3, 4, 5])


@pytest.mark.parametrize("bad", [np.inf, np.nan])
def test_kda_non_finite_cut_point(df, bad) -> None:
    with pytest.raises(ConfigError, match="is not a finite number"):
        kda(df, "y", ["a", "b"], low=bad, high=4)


def test_kda_unexpected_sign_is_flagged_not_classified() -> None:
    rng = np.random.default_rng(1)
    d = pd.DataFrame(rng.integers(1, 6, size=(800, 2)).astype(float), columns=["price", "design"])
    # a poor price rating goes with HIGHER satisfaction: a reversed scale
    d["overall"] = 5 + 1.0 * (d["price"] <= 2) + 0.8 * (d["design"] >= 4) + rng.normal(0, 0.5, 800)
    res = kda(d, "overall", ["price", "design"])
    t = res.table.set_index("driver")
    assert t.loc["price", "penalty"] > 0.8
    assert t.loc["price", "class"] == "unexpected sign"
    assert t.loc["price", "kano"] == ""
    assert t.loc["design", "class"] == "excitement"
    assert any("unexpected sign for 1 drivers" in n and "'price' penalty +" in n for n in res.notes)
    assert res.summary()["unexpected sign"] == "price"


def test_kda_negative_reward_is_unexpected() -> None:
    rng = np.random.default_rng(2)
    d = pd.DataFrame({"a": rng.integers(1, 6, 800).astype(float)})
    d["y"] = 5 - 1.0 * (d["a"] >= 4) + rng.normal(0, 0.5, 800)
    res = kda(d, "y", ["a"])
    assert res.table.loc[0, "class"] == "unexpected sign"
    assert any("'a' reward -" in n for n in res.notes)


def test_kda_zero_weights_counted(df) -> None:
    d = df.copy()
    d.loc[:11, "w"] = 0.0
    res = kda(d, "y", ["a", "b"], weights="w")
    assert res.n_excluded == 12 and res.n_used == len(d) - 12
    assert any("zero weight 12" in n for n in res.notes)


# --- regress: zero weights ------------------------------------------------------------------


def test_regress_zero_weight_rows_in_n_excluded(df) -> None:
    d = df.copy()
    d.loc[:9, "w"] = 0.0
    res = regress(d, "y", ["a", "b"], weights="w")
    assert res.n_excluded == 10 and res.n_used == len(d) - 10
    assert any("zero weight 10" in n for n in res.notes)


def test_regress_zero_weight_and_missing_counted_once(df) -> None:
    d = df.copy()
    d.loc[:4, "w"] = 0.0
    d.loc[3:7, "a"] = np.nan  # rows 3, 4 are both
    res = regress(d, "y", ["a", "b"], weights="w")
    assert res.n_excluded == 8


# --- options --------------------------------------------------------------------------------


@pytest.mark.parametrize("n_boot", [-1, -100, 2.5, "10", True])
def test_key_drivers_n_boot(df, n_boot) -> None:
    with pytest.raises(ConfigError, match=r"n_boot must be a whole number >= 0.*bootstrap off"):
        key_drivers(df, "y", ["a", "b"], n_boot=n_boot)


def test_key_drivers_n_boot_zero_is_fine(df) -> None:
    res = key_drivers(df, "y", ["a", "b"], n_boot=0)
    assert res.table["importance"].sum() == pytest.approx(res.r2)


@pytest.mark.parametrize("forecast", [-1, 1.5])
def test_trend_forecast(df, forecast) -> None:
    with pytest.raises(ConfigError, match="forecast must be a whole number of periods >= 0"):
        trend(df, "a", time="t", forecast=forecast)
