"""Kano plots draw what the result holds."""

from __future__ import annotations

import numpy as np
import pytest

from needlab.errors import ConfigError
from needlab.kano import kano
from tests.kano.helpers import frame_from_counts, pairs_of


@pytest.fixture
def result():
    counts = {"m": {"M": 6, "I": 2, "O": 2}, "o": {"O": 6, "A": 2, "I": 2}, "a": {"A": 7, "I": 3}}
    df = frame_from_counts(counts)
    df["imp"] = np.arange(len(df)) % 9 + 1
    df["seg"] = ["x", "y"] * (len(df) // 2)
    return kano(df, pairs_of(counts), importance={"m": "imp", "o": "imp", "a": "imp"}, by="seg")


def test_better_worse_points_are_the_coefficients(result) -> None:
    ax = result.plot()
    pts = ax.collections[0].get_offsets()
    t = result.table
    np.testing.assert_allclose(pts[:, 0], t["worse"].abs())
    np.testing.assert_allclose(pts[:, 1], t["better"])
    texts = " ".join(x.get_text() for x in ax.texts).lower()
    for word in ("must-be", "one-dimensional", "attractive", "indifferent"):
        assert word in texts


def test_continuous_and_bars(result) -> None:
    from matplotlib.collections import PathCollection

    ax = result.plot(kind="continuous")
    t = result.table
    pts = next(c for c in ax.collections if isinstance(c, PathCollection)).get_offsets()
    np.testing.assert_allclose(np.sort(pts[:, 0]), np.sort(t["dysfunctional_score"]))
    ax = result.plot(kind="bars")
    assert len(ax.patches) >= len(t)
    ax = result.plot(segment="x")
    assert len(ax.collections[0].get_offsets()) == 3
    with pytest.raises(ConfigError, match="kind"):
        result.plot(kind="pie")


def test_points_are_coloured_by_category(result) -> None:
    from matplotlib.colors import to_hex

    from needlab._plotting import PALETTE

    ax = result.plot()
    colours = [to_hex(c) for c in ax.collections[0].get_facecolors()]
    expected = {"M": PALETTE[3], "O": PALETTE[0], "A": PALETTE[2]}
    assert colours == [expected[c] for c in result.table["category"]]
    bars = result.plot(kind="bars")
    # six stacked categories x three features
    assert len(bars.patches) == 6 * len(result.table)
    assert [t.get_text() for t in bars.get_yticklabels()] == ["m", "o", "a"]


def test_segment_without_by_is_a_config_error() -> None:
    res = kano(frame_from_counts({"x": {"A": 2}}), pairs_of({"x": 0}))
    with pytest.raises(ConfigError, match="by="):
        res.plot(segment="x")
