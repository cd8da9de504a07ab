"""share_of_wallet: WAR shares by hand (Keiningham et al. 2011), stated shares, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import needlab as nl
from needlab.errors import ConfigError, DataError, SchemaError
from needlab.market.wallet import share_of_wallet, war_shares


def test_war_formula_by_hand() -> None:
    # (1 - rank/(n+1)) * 2/n: n = 3 -> 1/2, 1/3, 1/6; n = 2 -> 2/3, 1/3; n = 1 -> 1.
    s = war_shares(np.array([[1, 2, 3], [2, np.nan, 1], [np.nan, 1, np.nan]], dtype=float))
    assert np.allclose(s[0], [1 / 2, 1 / 3, 1 / 6])
    assert np.allclose(s[1], [1 / 3, 0, 2 / 3])
    assert np.allclose(s[2], [0, 1, 0])


def test_war_ties_share_average_rank() -> None:
    s = war_shares(np.array([[1.0, 1.0, 3.0]]))
    # ranks 1.5, 1.5, 3 with n = 3: (1 - 1.5/4) * 2/3 = 5/12 each, 1/6 for the third
    assert np.allclose(s[0], [5 / 12, 5 / 12, 1 / 6])


@given(
    st.lists(
        st.lists(st.one_of(st.none(), st.integers(1, 6)), min_size=4, max_size=4),
        min_size=1,
        max_size=20,
    )
)
def test_war_rows_sum_to_one(rows: list[list[int | None]]) -> None:
    a = np.array([[np.nan if v is None else v for v in r] for r in rows], dtype=float)
    s = war_shares(a)
    ok = ~np.isnan(a).all(axis=1)
    assert np.allclose(s[ok].sum(axis=1), 1)
    assert (s[ok] >= 0).all()


def test_war_method_mean_shares() -> None:
    df = pd.DataFrame({"rank_a": [1, 2, None], "rank_b": [2, 1, None], "rank_c": [3, None, None]})
    res = share_of_wallet(df, ["A", "B", "C"], method="war", own="A")
    t = res.table.set_index("brand")
    # respondent 1: 1/2, 1/3, 1/6; respondent 2: 1/3, 2/3, 0
    assert t.loc["A", "share"] == pytest.approx((1 / 2 + 1 / 3) / 2)
    assert t.loc["B", "share"] == pytest.approx((1 / 3 + 2 / 3) / 2)
    assert t.loc["C", "share"] == pytest.approx(1 / 12)
    assert t["share"].sum() == pytest.approx(1)
    assert (res.n_used, res.n_excluded) == (2, 1)
    assert "no brand ranked" in " ".join(res.notes)


def test_stated_weighted_by_segment() -> None:
    df = pd.DataFrame(
        {
            "spend_lumo": [50, 100, 0, 20],
            "spend_vetta": [50, 0, 100, 80],
            "seg": ["x", "x", "y", "y"],
            "w": [1.0, 3.0, 1.0, 1.0],
        }
    )
    res = share_of_wallet(df, ["Lumo", "Vetta"], weights="w", by="seg", own="Lumo")
    assert res.own_table is not None
    own = res.own_table.set_index("seg")
    assert own.loc["x", "share"] == pytest.approx((0.5 + 3 * 1.0) / 4)
    assert own.loc["y", "share"] == pytest.approx(0.1)
    assert own.loc["Total", "share"] == pytest.approx((0.5 + 3 + 0 + 0.2) / 6)
    # penetration and share among users
    t = res.table.set_index(["seg", "brand"])
    assert t.loc[("y", "Lumo"), "penetration"] == pytest.approx(0.5)
    assert t.loc[("y", "Lumo"), "share_among_users"] == pytest.approx(0.2)


def test_mapping_and_normalisation_note() -> None:
    df = pd.DataFrame({"a": [60.0, 49.0], "b": [40.0, 49.0]})
    res = share_of_wallet(df, {"A": "a", "B": "b"})
    assert res.shares.loc[1, "A"] == pytest.approx(0.5)
    assert any("normalised" in n for n in res.notes)


def test_interval_matches_weighted_mean_se() -> None:
    rng = np.random.default_rng(1)
    a = rng.uniform(0, 100, 200)
    df = pd.DataFrame({"spend_a": a, "spend_b": 100 - a})
    res = share_of_wallet(df, ["A", "B"], ci=0.9)
    row = res.table.iloc[0]
    se = np.std(a / 100, ddof=1) / np.sqrt(200)
    assert row["se"] == pytest.approx(se)
    assert row["ci_high"] - row["share"] == pytest.approx(1.6448536 * se, rel=1e-6)


def test_sum_not_100_is_an_error_naming_rows() -> None:
    df = pd.DataFrame({"spend_a": [60, 30], "spend_b": [40, 30]})
    with pytest.raises(DataError, match=r"do not sum to 100.*60\.0.*rows 1.*tolerance"):
        share_of_wallet(df, ["A", "B"])


def test_negative_spend() -> None:
    df = pd.DataFrame({"spend_a": [-10, 50], "spend_b": [110, 50]})
    with pytest.raises(DataError, match="negative"):
        share_of_wallet(df, ["A", "B"])


def test_rank_below_one() -> None:
    df = pd.DataFrame({"rank_a": [0, 1], "rank_b": [1, 2]})
    with pytest.raises(DataError, match="below 1"):
        share_of_wallet(df, ["A", "B"], method="war")


def test_missing_column_and_options() -> None:
    df = pd.DataFrame({"spend_a": [100]})
    with pytest.raises(SchemaError, match="spend_b"):
        share_of_wallet(df, ["A", "B"])
    df = pd.DataFrame({"spend_a": [100], "spend_b": [0]})
    with pytest.raises(ConfigError, match="method"):
        share_of_wallet(df, ["A", "B"], method="ranks")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="own='C'"):
        share_of_wallet(df, ["A", "B"], own="C")
    with pytest.raises(ConfigError, match="at least 2"):
        share_of_wallet(df, ["A"])


def test_nobody_spends() -> None:
    df = pd.DataFrame({"spend_a": [None, 0], "spend_b": [None, 0]})
    with pytest.raises(DataError, match="no respondent has category spend"):
        share_of_wallet(df, ["A", "B"])


def test_plot() -> None:
    df = pd.DataFrame({"spend_a": [60, 20], "spend_b": [40, 80], "g": [1, 2]})
    ax = share_of_wallet(df, ["A", "B"], by="g", lang="zh").plot()
    assert len(ax.patches) == 4


def _brand_survey() -> pd.DataFrame | None:
    s = nl.load_sample()
    return getattr(s, "brand_survey", None)


def test_sample_spend_shares() -> None:
    df = _brand_survey()
    if df is None:
        pytest.skip("sample has no brand_survey yet")
    brands = ["Lumo", "Vetta", "Orin", "Kaiya", "Brisa"]
    res = share_of_wallet(df, brands, weights="weight", own="Lumo")
    assert res.table["share"].sum() == pytest.approx(1)
    truth = getattr(nl.load_sample().truth, "market", None)
    planted = None if truth is None else getattr(truth, "spend_shares", None)
    if planted is None and isinstance(truth, dict):
        planted = truth.get("spend_shares")
    if planted is not None:
        got = res.table.set_index("brand")["share"]
        for b, v in dict(planted).items():
            key = str(b).split()[0]
            if key in got.index:
                v = v / 100 if v > 1 else v
                assert got[key] == pytest.approx(v, abs=0.05)
