"""Tests of the penalty-reward analysis (needlab.regress.kda)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from needlab.errors import ConfigError, DataError, SchemaError
from needlab.regress.kda import kda


def planted(n: int = 3000, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(rng.integers(1, 6, size=(n, 4)), columns=["a", "b", "c", "d"])
    low = df <= 2
    high = df >= 4
    df["overall"] = (
        6.0
        - 1.0 * low["a"]
        + 0.0 * high["a"]  # basic
        + 0.0 * low["b"]
        + 0.8 * high["b"]  # excitement
        - 0.6 * low["c"]
        + 0.6 * high["c"]  # performance
        + rng.normal(0, 0.5, n)
    )  # d: neutral
    df["w"] = rng.uniform(0.5, 2.0, n)
    return df


def test_planted_classes_recovered():
    df = planted()
    res = kda(df, "overall", ["a", "b", "c", "d"], weights="w")
    t = res.table.set_index("driver")
    assert t["class"].to_dict() == {
        "a": "basic",
        "b": "excitement",
        "c": "performance",
        "d": "neutral",
    }
    assert t["kano"].tolist() == ["M", "A", "O", "I"]
    assert t.loc["a", "penalty"] == pytest.approx(-1.0, abs=0.06)
    assert t.loc["b", "reward"] == pytest.approx(0.8, abs=0.06)
    assert t.loc["c", "penalty"] == pytest.approx(-0.6, abs=0.06)
    assert t.loc["c", "reward"] == pytest.approx(0.6, abs=0.06)
    assert list(res.table.columns[:7]) == [
        "driver",
        "penalty",
        "penalty_p",
        "reward",
        "reward_p",
        "class",
        "kano",
    ]


def test_coefficients_equal_statsmodels_wls():
    sm = pytest.importorskip("statsmodels.api")
    df = planted(800, seed=3)
    drivers = ["a", "b", "c", "d"]
    res = kda(df, "overall", drivers, weights="w")
    X = pd.concat(
        [(df[drivers] <= 2).add_suffix("_low"), (df[drivers] >= 4).add_suffix("_high")], axis=1
    ).astype(float)
    fit = sm.WLS(df["overall"], sm.add_constant(X), weights=df["w"]).fit()
    m = res.model.set_index("term")
    np.testing.assert_allclose(m["coef"].to_numpy(), fit.params.to_numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(m["se"].to_numpy(), fit.bse.to_numpy(), rtol=1e-9)
    np.testing.assert_allclose(
        m["p_value"].to_numpy(), fit.pvalues.to_numpy(), rtol=1e-7, atol=1e-300
    )
    np.testing.assert_allclose(
        res.table["penalty"], fit.params[[f"{d}_low" for d in drivers]], rtol=1e-10
    )
    np.testing.assert_allclose(
        res.table["reward"], fit.params[[f"{d}_high" for d in drivers]], rtol=1e-10
    )
    assert res.r2 == pytest.approx(fit.rsquared, rel=1e-10)
    # shares of the boxes are weighted
    assert res.table["share_low"].iloc[0] == pytest.approx(
        np.average(df["a"] <= 2, weights=df["w"])
    )


def test_unweighted_equals_unit_weights_and_array_weights():
    df = planted(500, seed=4)
    a = kda(df, "overall", ["a", "b"])
    b = kda(df, "overall", ["a", "b"], weights=np.ones(len(df)))
    pd.testing.assert_frame_equal(a.table, b.table)
    c = kda(df, "overall", ["a", "b"], weights=df["w"].to_numpy())
    d = kda(df, "overall", ["a", "b"], weights="w")
    pd.testing.assert_frame_equal(c.table, d.table)


def test_missing_rows_excluded_and_counted():
    df = planted(600, seed=5)
    df.loc[[0, 5, 9], "a"] = np.nan
    df.loc[[5, 11], "overall"] = np.nan
    res = kda(df, "overall", ["a", "b", "c", "d"])
    assert res.n_excluded == 4
    assert res.n_used == 596
    assert res.notes[0] == (
        "4 of 600 rows excluded (listwise): missing values in 'overall' 2, 'a' 3."
    )
    ref = kda(df.dropna(subset=["a", "overall"]), "overall", ["a", "b", "c", "d"])
    pd.testing.assert_frame_equal(res.table, ref.table)


def test_custom_boxes_as_lists_and_numbers():
    rng = np.random.default_rng(7)
    df = pd.DataFrame(rng.integers(0, 11, size=(1500, 2)), columns=["x", "y"])
    df["nps"] = 7 - 2.0 * (df["x"] <= 6) + 1.5 * (df["y"] >= 9) + rng.normal(0, 1, 1500)
    a = kda(df, "nps", ["x", "y"], low=6, high=9)
    b = kda(df, "nps", ["x", "y"], low=list(range(7)), high=[9, 10])
    pd.testing.assert_frame_equal(a.table, b.table)
    assert a.table["class"].tolist() == ["basic", "excitement"]


def test_default_boxes_on_other_scale_raise():
    df = pd.DataFrame({"x": [0, 3, 10, 7, 8, 9], "o": [1, 2, 3, 4, 5, 6]})
    with pytest.raises(DataError, match="low= and high="):
        kda(df, "o", ["x"])


def test_bad_options_and_columns():
    df = planted(200)
    with pytest.raises(ConfigError, match="overlap"):
        kda(df, "overall", ["a"], low=3, high=3)
    with pytest.raises(ConfigError, match="low="):
        kda(df, "overall", ["a"], low="bottom")
    with pytest.raises(SchemaError, match="did you mean 'overall'"):
        kda(df, "overal", ["a"])
    with pytest.raises(SchemaError, match="also listed"):
        kda(df, "a", ["a", "b"])
    with pytest.raises(SchemaError, match="non-empty"):
        kda(df, "overall", "a")
    with pytest.raises(DataError, match="negative"):
        kda(df, "overall", ["a"], weights=-df["w"])


def test_empty_box_left_out_with_note():
    df = planted(400, seed=8)
    df["e"] = np.clip(df["b"], 3, 5)  # never low
    res = kda(df, "overall", ["a", "e"])
    row = res.table.set_index("driver").loc["e"]
    assert np.isnan(row["penalty"]) and np.isnan(row["penalty_p"])
    assert np.isfinite(row["reward"])
    assert any("e_low" in n for n in res.notes)


def test_constant_outcome():
    df = planted(100)
    df["overall"] = 4.0
    with pytest.raises(DataError, match="single value"):
        kda(df, "overall", ["a", "b"])


def test_too_few_rows():
    df = planted(6)
    with pytest.raises(DataError, match="more respondents"):
        kda(df, "overall", ["a", "b", "c", "d"])


def test_repr_plot_and_tables():
    df = planted(500)
    res = kda(df, "overall", ["a", "b", "c", "d"])
    assert res._repr_html_() == res._repr_html_()
    assert "Penalty-reward" in res._repr_html_()
    assert "basic" in repr(res)
    assert set(res.tables()) == {"penalty-reward", "model"}
    ax = res.plot()
    bars = [p for p in ax.patches if p.get_height() == pytest.approx(0.38)]
    assert len(bars) == 8  # penalty and reward of 4 drivers
    np.testing.assert_allclose(
        [b.get_width() for b in bars], [*res.table["penalty"], *res.table["reward"]]
    )
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b", "c", "d"]
    import matplotlib.pyplot as plt

    plt.close("all")
