"""The Kano bootstrap's progress bar (issue 14) and the chunked bootstrap against a slow loop."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from needlab.errors import ConfigError
from needlab.kano import kano


def _frame(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"f": rng.integers(1, 6, n), "d": rng.integers(1, 6, n)})


def _slow_bootstrap(df: pd.DataFrame, n_boot: int, seed: int, ci: float = 0.95) -> np.ndarray:
    """One replicate at a time: respondent i counted c_bi ~ Multinomial(n, 1/n) times, the
    standard table looked up answer by answer (A, O, M, I from the five pairs that give them)."""
    f, d = df["f"].to_numpy(), df["d"].to_numpy()
    # Standard Kano table (functional row 1..5 x dysfunctional column 1..5)
    table = [
        "QAAAO",
        "RIIIM",
        "RIIIM",
        "RIIIM",
        "RRRRQ",
    ]
    cat = np.array([table[a - 1][b - 1] for a, b in zip(f, d, strict=True)])
    rng = np.random.default_rng(seed)
    n = len(df)
    better, worse = [], []
    for _ in range(n_boot):
        c = rng.multinomial(n, np.full(n, 1.0 / n))
        s = {k: float(c[cat == k].sum()) for k in "AOMI"}
        base = s["A"] + s["O"] + s["M"] + s["I"]
        better.append((s["A"] + s["O"]) / base)
        worse.append(-(s["O"] + s["M"]) / base)
    a = (1 - ci) / 2
    qb = np.quantile(np.array(better), [a, 1 - a])
    qw = np.quantile(np.array(worse), [a, 1 - a])
    return np.concatenate([qb, qw])


@pytest.mark.parametrize("n_boot", [7, 200])
def test_chunked_bootstrap_equals_a_slow_loop(n_boot: int) -> None:
    df = _frame(300, 1)
    r = kano(df, {"x": ("f", "d")}, n_boot=n_boot, random_state=5).table.iloc[0]
    got = r[["better_low", "better_high", "worse_low", "worse_high"]].to_numpy(dtype=float)
    np.testing.assert_allclose(got, _slow_bootstrap(df, n_boot, 5), rtol=1e-12)


def test_progress_option(capsys: pytest.CaptureFixture[str]) -> None:
    df = _frame(400, 2)
    pairs = {"x": ("f", "d")}
    quiet = kano(df, pairs, n_boot=100, random_state=1).table
    assert capsys.readouterr().err == ""  # default: stderr is not a terminal here -> no bar
    loud = kano(df, pairs, n_boot=100, random_state=1, progress=True).table
    assert "Kano bootstrap (100 replicates)" in capsys.readouterr().err
    off = kano(df, pairs, n_boot=100, random_state=1, progress=False).table
    assert capsys.readouterr().err == ""
    pd.testing.assert_frame_equal(quiet, loud)  # the bar does not change the result
    pd.testing.assert_frame_equal(quiet, off)
    kano(df, pairs, progress=True)  # no bootstrap: nothing to show
    assert capsys.readouterr().err == ""


def test_bad_progress_value() -> None:
    with pytest.raises(ConfigError, match=r"progress='yes'.*True.*False.*None"):
        kano(_frame(20, 0), {"x": ("f", "d")}, n_boot=10, progress="yes")  # type: ignore[arg-type]
