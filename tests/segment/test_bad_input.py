"""The bad-input catalogue of needlab.segment (issue 13), one case at a time.

Non-finite numbers, dates (YYYYMMDD integers, day-first text, far-future dates, an impossible
asof), id variants (trailing spaces, full-width), degenerate CLV fits, negative horizons, and
options out of range. Each case asserts the exception type and the words that name the problem,
or the corrected result and the count in the notes.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from needlab.errors import ConfigError, DataError, NeedlabWarning
from needlab.segment import (
    BetaGeo,
    GammaGamma,
    Segmenter,
    age_bands,
    clv,
    clv_summary,
    profile,
    rfm,
    tie_scores,
    tier_migration,
    value_tiers,
)


def _tx() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "c": ["a", "a", "b", "c", "c", "c"],
            "d": [
                "2024-03-01",
                "2024-03-20",
                "2024-01-05",
                "2024-03-30",
                "2024-02-01",
                "2024-03-30",
            ],
            "v": [20.0, 30.0, 15.0, 40.0, 10.0, 5.0],
        }
    )


@pytest.fixture
def tx() -> pd.DataFrame:
    return _tx()


def _rfm(d: pd.DataFrame, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NeedlabWarning)
        return rfm(d, customer="c", date="d", amount="v", bins=3, **kw)


def _clv(d: pd.DataFrame, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NeedlabWarning)
        return clv_summary(d, customer="c", date="d", amount="v", **kw)


# --- non-finite numbers ---------------------------------------------------------------------


@pytest.mark.parametrize("bad", [np.inf, -np.inf, "inf"])
def test_rfm_infinite_amount_is_an_error_with_row(tx, bad) -> None:
    tx["v"] = tx["v"].astype(object)
    tx.loc[3, "v"] = bad
    with pytest.raises(DataError, match=r"'v' has 1 infinite values: -?inf at rows 3.*finite"):
        _rfm(tx)


def test_rfm_infinite_amount_never_gets_top_m_score(tx) -> None:
    tx.loc[1, "v"] = np.inf  # customer a: before the fix an inf monetary scored M = top
    res = _rfm(tx, nonfinite="drop")
    t = res.table.set_index("c")
    assert t.loc["a", "monetary"] == 20.0
    assert res.n_excluded == 1
    assert any("1 rows with an infinite amount" in n for n in res.notes)


def test_rfm_nonfinite_option_checked(tx) -> None:
    with pytest.raises(ConfigError, match="nonfinite='keep'.*choose one of"):
        _rfm(tx, nonfinite="keep")


@pytest.mark.parametrize("bad", [np.inf, -np.inf])
def test_clv_summary_infinite_amount_is_an_error(tx, bad) -> None:
    tx.loc[0, "v"] = bad
    with pytest.raises(DataError, match=r"'v' has 1 infinite values.*rows 0"):
        _clv(tx, asof="2024-03-31")


def test_clv_summary_infinite_amount_dropped_and_counted(tx) -> None:
    tx.loc[1, "v"] = np.inf
    out = _clv(tx, asof="2024-03-31", nonfinite="drop")
    assert out.loc["a", "frequency"] == 0  # the inf order is gone: a has one occasion left
    assert out.attrs["n_excluded"] == 1
    assert any("infinite amount" in n for n in out.attrs["notes"])


def test_value_tiers_infinite_value() -> None:
    s = pd.Series([900.0, 500.0, np.inf, 10.0], name="spend")
    with pytest.raises(DataError, match=r"'spend' has 1 infinite values: inf at rows 2"):
        value_tiers(s)


def test_tie_scores_infinite_value() -> None:
    with pytest.raises(DataError, match=r"missing or infinite: inf at rows 1"):
        tie_scores([1.0, np.inf, 3.0])


def test_profile_infinite_value() -> None:
    df = pd.DataFrame({"g": ["x", "y"] * 10, "age": np.arange(20.0)})
    df.loc[5, "age"] = -np.inf
    with pytest.raises(DataError, match=r"'age' has 1 infinite values: -inf"):
        profile(df, ["age"], by="g")


def test_segmenter_infinite_value_names_rows() -> None:
    df = pd.DataFrame({"a": np.arange(30.0), "b": np.arange(30.0) % 7})
    df.loc[4, "a"] = np.inf
    with pytest.raises(DataError, match=r"'a' has 1 infinite values: inf at rows 4"):
        Segmenter(k=2, random_state=0).fit(df)


def test_age_bands_infinite_value() -> None:
    with pytest.raises(DataError, match=r"infinite values: inf at rows 1"):
        age_bands(pd.Series([30.0, np.inf, 45.0], name="age"))


# --- dates ----------------------------------------------------------------------------------


def test_rfm_integer_yyyymmdd_dates(tx) -> None:
    tx["d"] = pd.to_datetime(tx["d"]).dt.strftime("%Y%m%d").astype(int)
    t = _rfm(tx).table.set_index("c")
    assert t.loc["b", "recency"] == 86  # 2024-01-05 .. 2024-03-31, not 1970
    assert t.loc["a", "recency"] == 11


def test_clv_summary_integer_yyyymmdd_dates(tx) -> None:
    tx["d"] = pd.to_datetime(tx["d"]).dt.strftime("%Y%m%d").astype(int)
    out = _clv(tx)
    assert out.loc["a", "recency"] == 19
    assert out.attrs["asof"] == pd.Timestamp("2024-03-30")


def test_rfm_dayfirst_option_passed(tx) -> None:
    tx["d"] = pd.to_datetime(tx["d"]).dt.strftime("%d/%m/%Y")
    t = _rfm(tx, dayfirst=True).table.set_index("c")
    assert t.loc["b", "recency"] == 86


def test_rfm_date_format_option_passed(tx) -> None:
    tx["d"] = pd.to_datetime(tx["d"]).dt.strftime("%d.%m.%Y")
    t = _rfm(tx, date_format="%d.%m.%Y").table.set_index("c")
    assert t.loc["a", "recency"] == 11


def test_rfm_ambiguous_day_month_is_an_error(tx) -> None:
    tx["d"] = ["01/02/2024", "02/03/2024", "03/04/2024", "04/05/2024", "05/06/2024", "06/07/2024"]
    with pytest.raises(DataError, match="dayfirst"):
        _rfm(tx)


def test_clv_summary_dayfirst_and_format(tx) -> None:
    a = _clv(tx.assign(d=pd.to_datetime(tx["d"]).dt.strftime("%d/%m/%Y")), dayfirst=True)
    b = _clv(tx.assign(d=pd.to_datetime(tx["d"]).dt.strftime("%Y|%m|%d")), date_format="%Y|%m|%d")
    ref = _clv(tx)
    pd.testing.assert_frame_equal(a, ref, check_like=True)
    pd.testing.assert_frame_equal(b, ref, check_like=True)


def test_rfm_far_future_date_never_becomes_the_reference(tx) -> None:
    tx.loc[6] = ["a", "2099-01-01", 99.0]
    res = _rfm(tx)
    assert res.asof == pd.Timestamp("2024-03-31")
    assert res.n_excluded == 1
    assert any("1 rows dated after today" in n for n in res.notes)


def test_rfm_far_future_date_with_future_error_names_row(tx) -> None:
    tx.loc[6] = ["a", "2099-01-01", 99.0]
    with pytest.raises(DataError, match=r"1 dates after today.*'2099-01-01' at rows 6"):
        _rfm(tx, future="error")


def test_clv_summary_far_future_date_dropped(tx) -> None:
    tx.loc[6] = ["a", "2099-01-01", 99.0]
    out = _clv(tx)
    assert out.attrs["asof"] == pd.Timestamp("2024-03-30")
    assert out.attrs["n_excluded"] == 1
    assert any("dated after today" in n for n in out.attrs["notes"])


def test_clv_summary_far_future_date_with_future_error(tx) -> None:
    tx.loc[6] = ["a", "2099-01-01", 99.0]
    with pytest.raises(DataError, match=r"dates after today.*rows 6.*future='drop'"):
        _clv(tx, future="error")


def test_clv_summary_future_error_with_asof(tx) -> None:
    with pytest.raises(DataError, match=r"2 dates after asof=2024-03-29"):
        _clv(tx, asof="2024-03-29", future="error")


def test_rfm_asof_before_every_order(tx) -> None:
    with pytest.raises(
        DataError, match=r"no transactions on or before asof=2020-01-01.*2024-01-05"
    ):
        _rfm(tx, asof="2020-01-01")


def test_clv_summary_asof_before_every_order(tx) -> None:
    with pytest.raises(
        DataError, match=r"no transactions on or before asof=2020-01-01.*2024-01-05"
    ):
        _clv(tx, asof="2020-01-01")


def test_clv_summary_future_option_checked(tx) -> None:
    with pytest.raises(ConfigError, match="future='ignore'"):
        _clv(tx, future="ignore")


# --- ids ------------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", ["a ", " a", "\uff41", "a\u3000"])
def test_rfm_id_variants_are_one_customer(tx, variant) -> None:
    tx.loc[1, "c"] = variant
    res = _rfm(tx)
    assert len(res.table) == 3
    assert res.table.set_index("c").loc["a", "frequency"] == 2
    assert any("customer ids ('c'): 1 values written in 2 variants" in n for n in res.notes)


def test_rfm_case_variants_stay_distinct(tx) -> None:
    tx.loc[1, "c"] = "A"
    assert len(_rfm(tx).table) == 4  # ids are never case folded


@pytest.mark.parametrize("variant", ["a ", "\uff41"])
def test_clv_summary_id_variants_are_one_customer(tx, variant) -> None:
    tx.loc[1, "c"] = variant
    out = _clv(tx)
    assert list(out.index) == ["a", "b", "c"]
    assert out.loc["a", "frequency"] == 1
    assert any("variants merged" in n for n in out.attrs["notes"])


def test_tier_migration_id_variants_merge() -> None:
    y1 = pd.Series(["high", "low"], index=["C1", "C2"], name="y1")
    y2 = pd.Series(["medium", "low"], index=["C1 ", "C2"], name="y2")
    df = pd.concat([y1, y2], axis=1)  # C1 and "C1 " are two rows before normalisation
    res = tier_migration(df, "y1", "y2", order=["low", "medium", "high"])
    assert res.counts["customers"] == 2
    assert res.counts["downgraded"] == 1 and res.counts["new"] == 0 and res.counts["lost"] == 0
    assert any("variants merged" in n for n in res.notes)


def test_tier_migration_id_column_and_conflict() -> None:
    df = pd.DataFrame({"id": ["C1", "C1 "], "y1": ["high", "low"], "y2": [None, None]})
    with pytest.raises(DataError, match=r"'C1'.*different tiers in 'y1'"):
        tier_migration(df, "y1", "y2", order=["low", "high"], id="id")


# --- refunds --------------------------------------------------------------------------------


def test_clv_summary_refund_only_customer_is_counted(tx) -> None:
    tx.loc[6] = ["z", "2024-03-10", -25.0]
    out = _clv(tx)
    assert "z" not in out.index
    assert out.attrs["customers_excluded"] == 1
    assert out.attrs["n_excluded"] == 1 and out.attrs["n_used"] == 6
    assert any("1 customers with only refunds" in n and "'z'" in n for n in out.attrs["notes"])


def test_rfm_refund_only_customer_is_counted(tx) -> None:
    tx.loc[6] = ["z", "2024-03-10", -25.0]
    res = _rfm(tx)
    assert res.n_excluded == 1
    assert any("1 customers with no purchase occasion" in n for n in res.notes)


# --- CLV models -----------------------------------------------------------------------------


def _bg(**params) -> BetaGeo:
    m = BetaGeo()
    m.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426, **params}
    return m


def _gg() -> GammaGamma:
    m = GammaGamma()
    m.params_ = {"p": 6.25, "q": 3.74, "v": 15.44}
    return m


@pytest.mark.parametrize("t", [-1, -0.5, np.inf, np.nan])
def test_expected_purchases_bad_horizon(t) -> None:
    with pytest.raises(ConfigError, match=r"t must be a finite number of periods >= 0"):
        _bg().expected_purchases(t, 2, 30.43, 38.86)


def test_expected_purchases_new_negative_horizon() -> None:
    with pytest.raises(ConfigError, match=r"t must be a finite number of periods >= 0"):
        _bg().expected_purchases_new(-3)


@pytest.mark.parametrize("horizon", [-12, 0, 2.5])
def test_clv_bad_horizon(horizon) -> None:
    summary = pd.DataFrame({"frequency": [2], "recency": [30.0], "age": [38.0], "monetary": [40.0]})
    with pytest.raises(ConfigError, match="horizon must be a whole number of periods >= 1"):
        clv(summary, purchases=_bg(), spend=_gg(), horizon=horizon)


def test_expected_purchases_hand_set_bad_parameter_gives_nan_not_negative() -> None:
    m = _bg(a=1.0)  # the closed form divides by a - 1
    with pytest.warns(NeedlabWarning, match="negative or not finite"):
        out = m.expected_purchases(39, np.array([0, 2]), np.array([0, 30.43]), 38.86)
    assert np.isnan(out).all()


def test_degenerate_fit_flagged_and_clv_refuses_it() -> None:
    X = pd.DataFrame({"frequency": [5] * 10, "recency": [30.0] * 10, "age": [30.0] * 10})
    with pytest.warns(NeedlabWarning, match="degenerate fit"):
        bg = BetaGeo().fit(X)
    assert bg.degenerate_ and not bg.converged_
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NeedlabWarning)
        e = bg.expected_purchases(10, X)
    assert not (e < 0).any()  # NaN, never the -27500 of the unchecked formula
    summary = X.assign(monetary=10.0)
    with pytest.raises(DataError, match=r"purchases: the BetaGeo fit did not converge.*penalizer"):
        clv(summary, purchases=bg, spend=_gg())


def test_non_converged_fit_refused_by_clv() -> None:
    bg = _bg()
    bg.converged_ = False
    summary = pd.DataFrame({"frequency": [2], "recency": [30.0], "age": [38.0], "monetary": [40.0]})
    with pytest.raises(DataError, match="did not converge or is degenerate"):
        clv(summary, purchases=bg, spend=_gg())


def test_clv_negative_expectation_becomes_nan_with_note() -> None:
    summary = pd.DataFrame(
        {"frequency": [0, 2], "recency": [0, 30.43], "age": [38.86] * 2, "monetary": [0.0, 40.0]}
    )
    with pytest.warns(NeedlabWarning):
        out = clv(summary, purchases=_bg(a=1.0), spend=_gg(), horizon=5)
    assert out["clv"].isna().all() and not (out["clv"] < 0).any()
    assert "2 customers have no CLV (NaN)" in out.attrs["notes"][0]


def test_clv_good_fit_has_no_note() -> None:
    summary = pd.DataFrame(
        {"frequency": [0, 2], "recency": [0, 30.43], "age": [38.86] * 2, "monetary": [0.0, 40.0]}
    )
    out = clv(summary, purchases=_bg(), spend=_gg(), horizon=39, discount_rate=0.0)
    assert out["clv"].round(3).tolist() == [6.871, 47.987]
    assert out.attrs["notes"] == ()


# --- options --------------------------------------------------------------------------------


@pytest.mark.parametrize("bins", [0, -1, 1.5, True])
def test_tie_scores_bins(bins) -> None:
    with pytest.raises(ConfigError, match="bins must be a whole number >= 1"):
        tie_scores([1, 2, 3], bins=bins)


@pytest.mark.parametrize("bins", [0, 1, 10, -5])
def test_rfm_bins(tx, bins) -> None:
    with pytest.raises(ConfigError, match="bins must be a whole number from 2 to 9"):
        rfm(tx, customer="c", date="d", amount="v", bins=bins)


@pytest.mark.parametrize("n_boot", [-1, 0, 1, 2.5])
def test_segmenter_n_boot(n_boot) -> None:
    df = pd.DataFrame({"a": np.arange(30.0), "b": np.arange(30.0) % 7})
    with pytest.raises(ConfigError, match=r"n_boot must be a whole number >= 2"):
        Segmenter(k=2, n_boot=n_boot).fit(df)
