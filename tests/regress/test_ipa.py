"""Tests of importance-performance analysis (needlab.regress.ipa)."""

from __future__ import annotations

import types

import numpy as np
import pandas as pd
import pytest

from needlab.errors import ConfigError, DataError, SchemaError
from needlab.regress.ipa import ipa

DRIVERS = ["price", "speed", "design", "app"]
STATED = {"price": 0.4, "speed": 0.3, "design": 0.1, "app": 0.05}


def frame(n: int = 400, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    centre = {"price": 2.5, "speed": 4.2, "design": 4.0, "app": 2.2}
    df = pd.DataFrame(
        {d: np.clip(np.round(rng.normal(c, 0.8, n)), 1, 5) for d, c in centre.items()}
    )
    df["overall"] = (
        0.6 * df["price"] + 0.4 * df["speed"] + 0.1 * df["design"] + rng.normal(0, 0.5, n)
    )
    df["w"] = rng.uniform(0.5, 2, n)
    df["imp_price"] = rng.integers(3, 6, n)
    return df


def test_stated_importance_quadrants_mean_cross():
    df = frame()
    res = ipa(df, None, DRIVERS, importance=STATED)
    t = res.table.set_index("driver")
    np.testing.assert_allclose(t["performance"], df[DRIVERS].mean().to_numpy())
    assert res.importance_cross == pytest.approx(np.mean(list(STATED.values())))
    assert res.performance_cross == pytest.approx(df[DRIVERS].mean().mean())
    assert t["quadrant"].to_dict() == {
        "price": "concentrate here",
        "speed": "keep up the good work",
        "design": "possible overkill",
        "app": "low priority",
    }
    assert res.importance_source == "stated"
    assert list(res.table.columns) == [
        "driver",
        "importance",
        "performance",
        "quadrant",
        "gap",
    ]
    assert (res.n_used, res.n_excluded) == (len(df), 0)


def test_gap_is_standardised_distance_to_diagonal():
    df = frame()
    res = ipa(df, None, DRIVERS, importance=pd.Series(STATED))
    t = res.table
    zi = (t["importance"] - t["importance"].mean()) / t["importance"].std()
    zp = (t["performance"] - t["performance"].mean()) / t["performance"].std()
    np.testing.assert_allclose(t["gap"], (zi - zp) / np.sqrt(2))
    assert t.set_index("driver")["gap"].idxmax() == "price"  # most under-served


def test_median_and_fixed_cross():
    df = frame()
    imp = {"price": 0.4, "speed": 0.3, "design": 0.1, "app": 0.0}
    med = ipa(df, None, DRIVERS, importance=imp, cross="median")
    assert med.importance_cross == pytest.approx(0.2)
    assert med.performance_cross == pytest.approx(np.median(df[DRIVERS].mean()))
    fixed = ipa(df, None, DRIVERS, importance=imp, cross=(0.35, 3.0))
    q = fixed.table.set_index("driver")["quadrant"]
    assert q["price"] == "concentrate here" and q["speed"] == "possible overkill"
    assert fixed.cross == "given"


def test_weighted_performance_listwise_and_column_importance():
    df = frame()
    df.loc[:9, "speed"] = np.nan
    df.loc[10:12, "w"] = 0.0
    res = ipa(df, None, DRIVERS, importance={**STATED, "price": "imp_price"}, weights="w")
    t = res.table.set_index("driver")
    ok = df["speed"].notna() & (df["w"] > 0)  # listwise: the same respondents for every driver
    for d in DRIVERS:
        assert t.loc[d, "performance"] == pytest.approx(
            np.average(df.loc[ok, d], weights=df.loc[ok, "w"])
        )
    assert (res.n_used, res.n_excluded) == (387, 13)
    assert t.loc["price", "importance"] == pytest.approx(
        np.average(df.loc[ok, "imp_price"], weights=df.loc[ok, "w"])
    )
    assert res.notes[0] == (
        "13 of 400 rows excluded (listwise): missing values in 'speed' 10; zero weight 3."
    )


def test_given_performance():
    df = frame()
    perf = {"price": 1, "speed": 2, "design": 3, "app": 4}
    res = ipa(df, None, DRIVERS, importance=STATED, performance=perf)
    assert res.table["performance"].tolist() == [1, 2, 3, 4]
    assert (res.n_used, res.n_excluded) == (len(df), 0)  # no rating column is used


def test_derived_importance_calls_key_drivers(monkeypatch):
    from needlab.regress import drivers as drivers_mod

    calls = {}

    def fake(data, outcome, drivers, *, weights=None, **kwargs):
        calls.update(outcome=outcome, drivers=list(drivers), weights=weights)
        table = pd.DataFrame(
            {
                "driver": drivers[::-1],
                "importance": [0.05, 0.1, 0.2, 0.3],
                "share": [0.1, 0.15, 0.3, 0.45],
                "rank": [4, 3, 2, 1],
            }
        )
        return types.SimpleNamespace(table=table, notes=("stand-in",))

    monkeypatch.setattr(drivers_mod, "key_drivers", fake)
    df = frame()
    res = ipa(df, "overall", DRIVERS, weights="w")
    assert calls["outcome"] == "overall" and calls["drivers"] == DRIVERS
    np.testing.assert_array_equal(calls["weights"], df["w"].to_numpy())  # resolved once
    assert res.table["importance"].tolist() == [0.3, 0.2, 0.1, 0.05]  # aligned by driver name
    assert res.importance_source == "derived" and res.outcome == "overall"
    assert "key drivers: stand-in" in res.notes


def test_derived_importance_real_key_drivers():
    df = frame(600, seed=2)
    try:
        from needlab.regress.drivers import key_drivers

        kd = key_drivers(df, "overall", DRIVERS)
    except Exception as exc:  # pragma: no cover - the module is written concurrently
        pytest.skip(f"key_drivers not usable yet: {exc}")
    res = ipa(df, "overall", DRIVERS)
    expect = kd.table.set_index("driver")["importance"].reindex(DRIVERS).to_numpy()
    np.testing.assert_allclose(res.table["importance"], expect)
    assert res.table.set_index("driver")["quadrant"]["price"] in {
        "concentrate here",
        "keep up the good work",
    }


def test_stated_importance_wins_over_outcome():
    df = frame()
    res = ipa(df, "overall", DRIVERS, importance=STATED)
    assert res.importance_source == "stated" and res.outcome is None


def test_errors():
    df = frame()
    with pytest.raises(ConfigError, match="outcome .*importance="):
        ipa(df, None, DRIVERS)
    with pytest.raises(ConfigError, match="no value for drivers 'app'"):
        ipa(df, None, DRIVERS, importance={"price": 1, "speed": 1, "design": 1})
    with pytest.raises(ConfigError, match="cross="):
        ipa(df, None, DRIVERS, importance=STATED, cross="mode")
    with pytest.raises(ConfigError, match="cross="):
        ipa(df, None, DRIVERS, importance=STATED, cross=(1,))
    with pytest.raises(SchemaError, match="not found"):
        ipa(df, None, [*DRIVERS, "colour"], importance=STATED)
    df["empty"] = np.nan
    with pytest.raises(DataError, match="'empty'"):
        ipa(df, None, ["price", "empty"], importance={"price": 1, "empty": 2})
    df["txt"] = "x"
    with pytest.raises(DataError, match="non-numeric"):
        ipa(df, None, ["price", "txt"], importance={"price": 1, "txt": 2})


def _overlaps(ax, texts) -> int:
    r = ax.figure.canvas.get_renderer()
    b = np.array([t.get_window_extent(r).extents for t in texts])
    ox = np.minimum(b[:, None, 2], b[None, :, 2]) - np.maximum(b[:, None, 0], b[None, :, 0])
    oy = np.minimum(b[:, None, 3], b[None, :, 3]) - np.maximum(b[:, None, 1], b[None, :, 1])
    over = (ox > 0) & (oy > 0)
    np.fill_diagonal(over, False)
    return int(over.sum() // 2)


def test_plot_labels_do_not_collide_and_are_deterministic():
    import matplotlib.pyplot as plt

    names = [f"attribute {i}" for i in range(12)]
    rng = np.random.default_rng(1)
    df = pd.DataFrame(rng.normal(3, 0.01, (50, 12)), columns=names)  # crowded near one point
    imp = dict(zip(names, np.linspace(0.10, 0.11, 12), strict=True))
    res = ipa(df, None, names, importance=imp)
    ax = res.plot()
    labels = [t for t in ax.texts if t.get_text() in names]
    assert len(labels) == 12
    assert _overlaps(ax, labels) == 0
    pos1 = [t.get_position() for t in labels]
    ax2 = res.plot()
    pos2 = [t.get_position() for t in ax2.texts if t.get_text() in names]
    np.testing.assert_allclose(pos1, pos2)
    quads = {t.get_text() for t in ax.texts} & {
        "concentrate here",
        "keep up the good work",
        "low priority",
        "possible overkill",
    }
    assert len(quads) == 4
    plt.close("all")


def test_repr_deterministic():
    res = ipa(frame(), None, DRIVERS, importance=STATED)
    assert res._repr_html_() == res._repr_html_()
    assert "concentrate here" in repr(res)
