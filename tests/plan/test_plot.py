"""Plots of PriorityResult: contributions, matrix (quadrant labels en/zh), sensitivity."""

from __future__ import annotations

from typing import Any

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from needlab._types import Lang
from needlab.errors import ConfigError
from needlab.plan.plot import QUADRANTS
from needlab.plan.presets import rice
from needlab.plan.priority import PriorityResult, priority_table

matplotlib.use("Agg")


def _widths(ax: Any) -> np.ndarray:
    return np.array([p.get_width() for p in ax.patches])


@pytest.fixture(autouse=True)
def _close() -> object:
    yield
    plt.close("all")


def _res(lang: Lang = "en") -> PriorityResult:
    df = pd.DataFrame(
        {
            "need": ["N1", "N2", "N3"],
            "A": [10, 0, 5],
            "B": [2, 10, 0],
            "effort": [3, 1, 2],
            "reach": [100, 50, 10],
        }
    )
    return priority_table(
        df, {"A": 0.4, "B": 0.4, "effort": 0.2}, direction={"effort": "cost"}, lang=lang
    )


def test_contributions_stacked_bars() -> None:
    res = _res()
    ax = res.plot()
    # 3 needs x 3 criteria bars
    assert len(ax.patches) == 9
    # ticks are set top-down: the first label sits at the highest y (the best need)
    ticks = ax.get_yticks()
    assert ticks[0] == ticks.max()
    assert [t.get_text() for t in ax.get_yticklabels()] == res.table["need"].tolist()
    widths = _widths(ax).reshape(3, 3)
    t = res.table
    assert widths[:, 0].tolist() == pytest.approx(t["contrib_A"].tolist())


def test_contributions_z_negative_and_preset() -> None:
    df = pd.DataFrame({"need": ["a", "b", "c"], "x": [1, 2, 6]})
    ax = priority_table(df, ["x"], scale="z").plot(kind="contributions")
    assert _widths(ax).min() < 0
    r = rice(
        pd.DataFrame(
            {
                "need": ["a", "b"],
                "reach": [1, 2],
                "impact": [1, 1],
                "confidence": [1, 1],
                "effort": [1, 2],
            }
        )
    )
    assert len(r.plot().patches) == 2


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_matrix_quadrant_labels(lang: Lang) -> None:
    ax = _res(lang).plot(kind="matrix")
    texts = {t.get_text() for t in ax.texts}
    assert set(QUADRANTS[lang].values()) <= texts
    assert {"N1", "N2", "N3"} <= texts
    r = rice(
        pd.DataFrame(
            {
                "need": ["a", "b", "c"],
                "reach": [10, 50, 100],
                "impact": [1, 2, 1],
                "confidence": [1, 1, 1],
                "effort": [1, 3, 2],
            }
        ),
    )
    ax = r.plot(kind="matrix", lang=lang)
    assert set(QUADRANTS[lang].values()) <= {t.get_text() for t in ax.texts}
    sizes = ax.collections[0].get_sizes()  # type: ignore[attr-defined]
    reach = r.table["reach"].to_numpy()
    assert sizes.argmax() == reach.argmax() and sizes.argmin() == reach.argmin()  # by reach


def test_matrix_needs_effort() -> None:
    df = pd.DataFrame({"need": ["a", "b"], "x": [1, 2]})
    with pytest.raises(ConfigError, match="effort"):
        priority_table(df, ["x"]).plot(kind="matrix")
    with pytest.raises(ConfigError, match="'nope'"):
        _res().plot(kind="matrix", size="nope")


def test_sensitivity_rank_ranges() -> None:
    res = _res()
    ax = res.plot(kind="sensitivity")
    segs = ax.collections[0].get_segments()  # type: ignore[attr-defined]
    agg = res.sensitivity.groupby("need")["rank"].agg(["min", "max"])
    for seg, need in zip(segs, res.table["need"], strict=True):
        assert seg[0][0] == min(agg.loc[need, "min"], res.ranking[need])
        assert seg[1][0] == max(agg.loc[need, "max"], res.ranking[need])


def test_sensitivity_plot_needs_runs_and_bad_kind() -> None:
    df = pd.DataFrame({"need": ["a", "b"], "x": [1, 2]})
    with pytest.raises(ConfigError, match="no sensitivity runs"):
        priority_table(df, ["x"], sensitivity=None).plot(kind="sensitivity")
    with pytest.raises(ConfigError, match="kind='pie'"):
        _res().plot(kind="pie")  # type: ignore[arg-type]
