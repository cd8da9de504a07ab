"""Speed of exact Shapley / LMG key-driver analysis against pingouin and dominance-analysis.

On 10,000 rows: needlab ``key_drivers(method="shapley")`` at 10, 15 and 20 drivers;
pingouin's ``linear_regression(..., relimp=True)`` (its LMG) at 10 and 15; the
``dominance-analysis`` package at 10. The peers are not dependencies of needlab: install them
for the benchmark (``pip install pingouin dominance-analysis``); a peer that cannot be
imported is reported as such.

Targets (issue 5): at 15 drivers at least 10x faster than pingouin with values equal to 1e-10;
20 drivers exact in less time than pingouin needs for 15.
Run: ``python benchmarks/bench_drivers.py``. Prints figures, asserts nothing.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from needlab.regress.drivers import key_drivers

N = 10_000


def make(p: int, seed: int = 0) -> tuple[pd.DataFrame, list[str]]:
    rng = np.random.default_rng(seed)
    mix = np.eye(p) + 0.3 * rng.normal(size=(p, p))
    x = rng.normal(size=(N, p)) @ mix
    y = x @ rng.uniform(0, 1, p) + rng.normal(size=N) * 2
    cols = [f"x{j}" for j in range(p)]
    return pd.DataFrame(x, columns=cols).assign(y=y), cols


def timed(fn, repeat: int = 3) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    best, out = np.inf, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main() -> None:
    try:
        import pingouin
    except Exception as exc:  # noqa: BLE001 - report any import failure
        pingouin = None
        print(f"pingouin not available: {exc!r}")
    try:
        from dominance_analysis import Dominance
    except Exception as exc:  # noqa: BLE001
        Dominance = None  # noqa: N806
        print(f"dominance-analysis not available: {type(exc).__name__}: {exc}")
    print(f"exact Shapley / LMG on {N:,} rows; seconds (best of 3 for needlab, 1 run for peers)")
    t_pg15 = None
    for p in (10, 15, 20):
        df, cols = make(p)
        t_nl, res = timed(lambda df=df, cols=cols: key_drivers(df, "y", cols))
        line = f"  {p:2d} drivers: needlab {t_nl:8.3f}"
        if pingouin is not None and p <= 15:
            t_pg, lm = timed(
                lambda df=df, cols=cols: pingouin.linear_regression(df[cols], df["y"], relimp=True),
                repeat=1,
            )
            ref = lm.set_index("names").loc[cols, "relimp"].to_numpy()
            got = res.table.set_index("driver").loc[cols, "importance"].to_numpy()
            diff = np.abs(ref - got).max()
            line += f" | pingouin {t_pg:8.3f} ({t_pg / t_nl:6.1f}x slower, max |diff| {diff:.1e})"
            if p == 15:
                t_pg15 = t_pg
        if Dominance is not None and p == 10:
            t0 = time.perf_counter()
            dom = Dominance(data=df, target="y", objective=1, top_k=p)
            dom.incremental_rsquare()
            t_da = time.perf_counter() - t0
            line += f" | dominance-analysis {t_da:8.3f} ({t_da / t_nl:6.1f}x slower)"
        if p == 20 and t_pg15 is not None:
            line += f" | vs pingouin at 15 drivers: {t_pg15 / t_nl:.1f}x faster"
        print(line)


if __name__ == "__main__":
    main()
