"""Tests of needlab.tables.plot.crosstab_bars: grouped bars with significance letters."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from needlab.errors import ConfigError
from needlab.tables.crosstab import crosstab
from needlab.tables.plot import crosstab_bars


@pytest.fixture
def res():
    # "yes": 60% North, 40% South, 20% West: North > South > West, North > West.
    counts = {"North": 60, "South": 40, "West": 20}
    region, sat = [], []
    for r, k in counts.items():
        region += [r] * 100
        sat += ["yes"] * k + ["no"] * (100 - k)
    return crosstab(pd.DataFrame({"sat": sat, "region": region}), "sat", "region")


def test_heights_letters_ticks_legend(res) -> None:
    ax = crosstab_bars(res)
    try:
        rows = list(res.percent.index)  # ["no", "yes"]
        cols = ["North", "South", "West", "Total"]
        heights = np.array([p.get_height() for p in ax.patches]).reshape(len(cols), len(rows))
        np.testing.assert_allclose(heights, res.percent.loc[rows, cols].to_numpy().T)
        assert [t.get_text() for t in ax.get_xticklabels()] == ["no", "yes"]
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert legend == ["North (A)", "South (B)", "West (C)", "Total"]
        letters = res.letters
        expected = [letters.loc[r, c] for c in cols[:3] for r in rows if letters.loc[r, c]]
        assert [t.get_text() for t in ax.texts] == expected
        assert "BC" in expected and "C" in expected  # yes: North > South, West; South > West
        # Each text sits over its bar.
        yes_north = ax.patches[rows.index("yes")]
        txt = next(t for t in ax.texts if t.get_text() == "BC")
        assert txt.get_position()[0] == pytest.approx(yes_north.get_x() + yes_north.get_width() / 2)
        assert txt.get_position()[1] >= yes_north.get_height()
    finally:
        plt.close(ax.figure)


def test_rows_subset_no_total_and_values(res) -> None:
    fig, ax = plt.subplots()
    try:
        out = crosstab_bars(res, ax, rows=["yes"], total=False, decimals=0)
        assert out is ax
        assert [p.get_height() for p in ax.patches] == pytest.approx([60, 40, 20])
        assert [t.get_text() for t in ax.texts] == ["60 BC", "40 C", "20"]
        assert [t.get_text() for t in ax.get_xticklabels()] == ["yes"]
    finally:
        plt.close(fig)


def test_unknown_rows(res) -> None:
    with pytest.raises(ConfigError, match="maybe"):
        crosstab_bars(res, rows=["yes", "maybe"])
