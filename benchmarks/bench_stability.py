"""Stability selection of k: ``Segmenter(select="stability")`` on airline-passenger-like data.

Data: 26,000 respondents x 14 columns, synthetic and seeded (no real data): 4 categorical
(gender, customer type, type of travel, class with 3 levels) and 10 numeric (age, flight distance,
six 0-5 service ratings, departure and arrival delay in minutes, heavy-tailed and correlated).
Three overlapping latent groups (business travellers, loyal leisure, disloyal economy) shift the
class, the ratings and the distance, so the structure is weak, as in the issue's real data
(silhouette 0.06-0.18 there).

Printed: wall-clock and CPU seconds of ``Segmenter(k="auto", select="stability", n_boot=10,
random_state=0).fit(X)`` (CPU time is the steadier figure on a shared machine), the chosen k,
and the stability (weakest segment's mean bootstrap Jaccard) and mean bootstrap ARI per k.

Before / after: set ``NEEDLAB_BASELINE`` to a folder holding an older ``needlab`` package
(``git archive <commit> needlab | tar -x -C /tmp/baseline``) and the same fit is timed with it
first, in a subprocess. Issue 14 measured 202 s on 25,976 x 14 real data with ``n_boot=10``;
target: at least 4x faster at the same chosen k.

Run: ``python benchmarks/bench_stability.py`` (``--n-boot 20`` for the default). Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

import numpy as np
import pandas as pd

N = 26_000


def make(seed: int = 0, n: int = N) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    g = rng.choice(3, size=n, p=[0.45, 0.35, 0.20])
    cls = np.where(
        g == 0,
        rng.choice(["Business", "Eco", "Eco Plus"], size=n, p=[0.8, 0.15, 0.05]),
        rng.choice(["Business", "Eco", "Eco Plus"], size=n, p=[0.1, 0.78, 0.12]),
    )
    travel = np.where(
        g == 0,
        rng.choice(["Business travel", "Personal Travel"], size=n, p=[0.9, 0.1]),
        rng.choice(["Business travel", "Personal Travel"], size=n, p=[0.4, 0.6]),
    )
    ctype = np.where(
        g == 2,
        rng.choice(["Loyal Customer", "disloyal Customer"], size=n, p=[0.3, 0.7]),
        rng.choice(["Loyal Customer", "disloyal Customer"], size=n, p=[0.9, 0.1]),
    )
    gender = rng.choice(["Female", "Male"], size=n)
    age = np.clip(np.array([40.0, 45.0, 28.0])[g] + rng.normal(0, 12, n), 7, 85).round()
    dist = np.clip(np.exp(np.array([7.3, 6.6, 6.5])[g] + rng.normal(0, 0.7, n)), 31, 5000).round()
    base = np.array([3.6, 3.0, 2.6])[g] + rng.normal(0, 0.6, n)
    cols = {
        "Gender": gender,
        "Customer Type": ctype,
        "Age": age,
        "Type of Travel": travel,
        "Class": cls,
        "Flight Distance": dist,
    }
    for j, name in enumerate(
        [
            "Inflight wifi",
            "Seat comfort",
            "Food and drink",
            "Online boarding",
            "Cleanliness",
            "Inflight entertainment",
        ]
    ):
        cols[name] = np.clip((base + (0.2 * j % 0.5) + rng.normal(0, 1.0, n)).round(), 0, 5)
    dep = rng.exponential(15, n) * (rng.random(n) < 0.45)
    cols["Departure Delay"] = dep.round()
    cols["Arrival Delay"] = np.maximum(dep + rng.normal(0, 6, n), 0).round()
    return pd.DataFrame(cols)


def run(n_boot: int) -> None:
    import needlab
    from needlab.segment.cluster import Segmenter

    X = make()
    t0, c0 = time.perf_counter(), time.process_time()
    seg = Segmenter(k="auto", select="stability", n_boot=n_boot, random_state=0).fit(X)
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    crit = seg.criteria_
    print(f"needlab at {os.path.dirname(needlab.__file__)}")
    print(
        f"  {len(X):,} x {X.shape[1]}, n_boot={n_boot}: {dt:.1f} s wall ({cpu:.1f} s CPU), "
        f"chosen k={seg.k_}"
    )
    print(
        "  "
        + crit[["silhouette", "min_share", "stability", "ari_boot"]]
        .round(3)
        .to_string()
        .replace("\n", "\n  ")
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n-boot", type=int, default=10)
    ap.add_argument("--child", action="store_true")
    a = ap.parse_args()
    if a.child:
        run(a.n_boot)
        return
    base = os.environ.get("NEEDLAB_BASELINE")
    if base:
        print("before:")
        env = {**os.environ, "PYTHONPATH": base}
        subprocess.run(
            [sys.executable, __file__, "--child", "--n-boot", str(a.n_boot)], env=env, check=True
        )
        print("after:")
    run(a.n_boot)


if __name__ == "__main__":
    main()
