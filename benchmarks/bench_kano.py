"""Speed of ``needlab.kano`` against a numpy floor and a row-wise pandas ``apply``.

Prints, for 100,000 and 1,000,000 respondents x 20 features (5% missing answers, codes 1..5):

- ``needlab``: the full ``kano()`` result (all indices, DuMouchel scores, respondent table);
- ``numpy floor``: the bare minimum, one evaluation-table lookup plus one ``bincount``;
- ``row-wise apply``: the straightforward implementation found in scripts, a Python function
  applied to each row with ``DataFrame.apply(axis=1)``, timed on a 20,000-row slice and scaled
  linearly (it is linear in rows; running it on a million rows would take many minutes).

Targets (issue 3): needlab within 2x of the floor, at least 500x faster than row-wise.
Run: ``python benchmarks/bench_kano.py``. Prints figures, asserts nothing.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from needlab.kano import kano

N_FEAT = 20
ROWWISE_ROWS = 20_000
TABLE = ["QAAAO", "RIIIM", "RIIIM", "RIIIM", "RRRRQ"]


def make(n: int, seed: int = 0) -> tuple[pd.DataFrame, dict[str, tuple[str, str]]]:
    rng = np.random.default_rng(seed)
    cols = {}
    for j in range(N_FEAT):
        for side in "fd":
            x = rng.integers(1, 6, n).astype(float)
            x[rng.random(n) < 0.05] = np.nan
            cols[f"q{j}{side}"] = x
    pairs = {f"feature {j}": (f"q{j}f", f"q{j}d") for j in range(N_FEAT)}
    return pd.DataFrame(cols), pairs


def numpy_floor(df: pd.DataFrame, pairs: dict) -> np.ndarray:
    lut = np.full((6, 6), -1, dtype=np.int8)
    lut[1:, 1:] = np.array([["AOMIRQ".index(c) for c in row] for row in TABLE])
    f = np.nan_to_num(df[[p[0] for p in pairs.values()]].to_numpy(), nan=0).astype(np.int8)
    d = np.nan_to_num(df[[p[1] for p in pairs.values()]].to_numpy(), nan=0).astype(np.int8)
    cat = lut[f, d]
    key = np.arange(cat.shape[1])[None, :] * 6 + cat
    return np.bincount(key[cat >= 0], minlength=6 * cat.shape[1]).reshape(-1, 6)


def rowwise(df: pd.DataFrame, pairs: dict) -> pd.DataFrame:
    def one(row: pd.Series) -> pd.Series:
        out = {}
        for feat, (fc, dc) in pairs.items():
            f, d = row[fc], row[dc]
            out[feat] = None if pd.isna(f) or pd.isna(d) else TABLE[int(f) - 1][int(d) - 1]
        return pd.Series(out)

    cats = df.apply(one, axis=1)
    return cats.apply(lambda s: s.value_counts()).T


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    print(f"Kano: {N_FEAT} features, 5% missing answers; seconds (best of 3)")
    print(
        f"{'respondents':>12} {'needlab':>9} {'floor':>9} {'row-wise':>10} "
        f"{'vs floor':>9} {'row-wise / needlab':>19}"
    )
    for n in (100_000, 1_000_000):
        df, pairs = make(n)
        t_nl = best_of(lambda df=df, pairs=pairs: kano(df, pairs))
        t_floor = best_of(lambda df=df, pairs=pairs: numpy_floor(df, pairs))
        t_row = (
            best_of(lambda df=df, pairs=pairs: rowwise(df.iloc[:ROWWISE_ROWS], pairs), repeat=1)
            * n
            / ROWWISE_ROWS
        )
        # Same counts from the floor and needlab (a check, not a timing).
        counts = numpy_floor(df, pairs)
        got = kano(df, pairs).table[list("AOMIRQ")].to_numpy()
        ok = "ok" if np.array_equal(counts, got) else "MISMATCH"
        print(
            f"{n:>12,} {t_nl:>9.3f} {t_floor:>9.3f} {t_row:>10.1f} {t_nl / t_floor:>8.2f}x "
            f"{t_row / t_nl:>18.0f}x  counts {ok}"
        )


if __name__ == "__main__":
    main()
