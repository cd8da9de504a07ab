"""Benchmark: ``import needlab`` time and ``needlab.read_survey`` against ``pandas.read_csv``.

Run with ``python benchmarks/bench_read_survey.py [n_rows]``. Prints figures; never asserts
times (target: read_survey within 1.5x of pandas.read_csv on a 1,000,000-row CSV).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd


def import_time(repeats: int = 5) -> float:
    """Median wall time of ``import needlab`` in a fresh interpreter (seconds)."""
    code = "import time; t = time.perf_counter(); import needlab; print(time.perf_counter() - t)"
    times = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], check=True, capture_output=True, text=True
            ).stdout
        )
        for _ in range(repeats)
    ]
    return statistics.median(times)


def make_survey(n: int, seed: int = 0) -> pd.DataFrame:
    """A survey-like frame: id, Likert items, numbers, numbers with blank cells, Chinese labels."""
    rng = np.random.default_rng(seed)
    cols: dict[str, object] = {"resp_id": np.arange(1, n + 1)}
    for k in range(8):
        cols[f"sat_{k + 1}"] = rng.integers(1, 6, n)
    cols["ltr"] = rng.integers(0, 11, n)
    cols["age"] = rng.integers(18, 80, n)
    cols["spend"] = np.round(rng.gamma(2.0, 150.0, n), 2)
    cols["weight"] = np.round(rng.uniform(0.5, 2.0, n), 4)
    for name in ("income", "visits"):
        v = np.round(rng.normal(100, 30, n), 1).astype(str).astype(object)
        v[rng.random(n) < 0.05] = " "
        cols[name] = v
    labels = np.array(["非常满意", "满意", "一般", "不满意", "非常不满意"], dtype=object)
    cols["overall"] = labels[rng.integers(0, 5, n)]
    cols["region"] = np.array(["华北", "华东", "华南", "西部"], dtype=object)[rng.integers(0, 4, n)]
    cols["kano_app_f"] = np.array(
        ["我喜欢", "理所当然", "无所谓", "能忍受", "我不喜欢"], dtype=object
    )[rng.integers(0, 5, n)]
    cols["comment"] = np.array(
        ["配送太慢", "价格偏高", "服务很好", "app 很好用", ""], dtype=object
    )[rng.integers(0, 5, n)]
    return pd.DataFrame(cols)


def timed(fn, repeats: int = 3) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main(n: int = 1_000_000) -> None:
    print(f"import needlab: {import_time():.3f} s (median of 5 fresh interpreters)")
    import needlab.io as nio

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "survey.csv"
        make_survey(n).to_csv(path, index=False)
        size = path.stat().st_size / 1e6
        print(f"file: {n:,} rows x {pd.read_csv(path, nrows=1).shape[1]} columns, {size:.1f} MB")
        t_pd = timed(lambda: pd.read_csv(path))
        t_nl = timed(lambda: nio.read_survey(path))
        print(f"pandas.read_csv:      {t_pd:.3f} s (median of 3)")
        print(f"needlab.read_survey:  {t_nl:.3f} s (median of 3)")
        print(f"ratio: {t_nl / t_pd:.2f} (target <= 1.5)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
