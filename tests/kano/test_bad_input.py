"""The bad-input catalogue of needlab.kano options (issue 13): each out-of-range option is a
ConfigError naming the option and the valid range."""

from __future__ import annotations

import pandas as pd
import pytest

from needlab.errors import ConfigError
from needlab.kano import kano


@pytest.fixture
def df() -> pd.DataFrame:
    return pd.DataFrame({"f": [1, 1, 2, 5, 3, 1], "d": [5, 3, 5, 1, 3, 4]})


@pytest.mark.parametrize("n_boot", [-1, -50, 2.5, "100", True])
def test_n_boot(df, n_boot) -> None:
    with pytest.raises(ConfigError, match=r"n_boot must be a whole number >= 0.*bootstrap off"):
        kano(df, {"app": ("f", "d")}, n_boot=n_boot)


@pytest.mark.parametrize("value", [-1, 1.5])
def test_max_questionable(df, value) -> None:
    with pytest.raises(ConfigError, match=r"max_questionable must be a whole number >= 0"):
        kano(df, {"app": ("f", "d")}, max_questionable=value)


def test_max_questionable_zero_excludes_and_counts(df) -> None:
    df.loc[1, "d"] = 1  # like / like: questionable (Q)
    res = kano(df, {"app": ("f", "d")}, max_questionable=0)
    assert res.n_used + res.n_excluded == len(df)
    assert res.n_excluded == 1
    assert any("questionable" in n for n in res.notes)


@pytest.mark.parametrize("ci", [0, 1, 1.5, -0.1, "0.9"])
def test_ci(df, ci) -> None:
    with pytest.raises(ConfigError, match="ci must be strictly between 0 and 1"):
        kano(df, {"app": ("f", "d")}, ci=ci)


@pytest.mark.parametrize("threshold", [-0.1, 1, 6, float("nan")])
def test_threshold(df, threshold) -> None:
    with pytest.raises(ConfigError, match=r"threshold must be a share from 0 to below 1"):
        kano(df, {"app": ("f", "d")}, rule="mooi", threshold=threshold)
