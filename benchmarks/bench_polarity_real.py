"""Polarity-aware coding on real reviews, and the per-call time of ``code_text`` on one text.

Corpus: ``../shared/data/waimai_10k.csv`` (Chinese food-delivery reviews; ``label`` 1 positive,
0 negative), read where it lies (never copied into the repository); skipped when absent. Printed,
with the default taxonomy, for ``polarity=False`` (every match a pain, the old behaviour) and
``polarity=True``:

- ``pos with pain``: share of positive reviews that get at least one pain code (target <= 3%);
- ``neg coded``: share of negative reviews with at least one pain code;
- ``pos with praise``: share of positive reviews with at least one praise mention.

Then a few praised / pained examples, and the median time of ``code_text`` on one short text after
the first call (target < 5 ms). Run: ``python benchmarks/bench_polarity_real.py``. Asserts nothing.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pandas as pd

from needlab.painpoints.coding import code_text

DATA = Path(
    os.environ.get("NEEDLAB_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")
)


def waimai() -> None:
    path = DATA / "waimai_10k.csv"
    if not path.exists():
        print(f"skipped: {path} not found")
        return
    df = pd.read_csv(path).dropna(subset=["review"]).reset_index(drop=True)
    pos = df["label"].to_numpy() == 1
    print(f"waimai_10k: {pos.sum()} positive, {(~pos).sum()} negative reviews")
    for pol in (False, True):
        t0 = time.perf_counter()
        r = code_text(df, "review", text_lang="zh", polarity=pol)
        dt = time.perf_counter() - t0
        coded = r.table["coded"].to_numpy()
        praised = r.table["praises"].map(len).to_numpy() > 0
        print(
            f"polarity={pol!s:5}  pos with pain {coded[pos].mean():.3f}  "
            f"neg coded {coded[~pos].mean():.3f}  pos with praise {praised[pos].mean():.3f}  "
            f"({dt:.1f} s)"
        )
    m = r.mentions.merge(df[["label"]], left_on="row", right_index=True)
    print("cues of pains in positive reviews:")
    pains = m[(m["label"] == 1) & (m["polarity"] == "pain")]
    print(pains["cue"].str.split(":").str[0].value_counts().to_string())
    with pd.option_context("display.width", 200, "display.max_colwidth", 60):
        print(
            pains.sample(min(15, len(pains)), random_state=0)[["code", "evidence", "cue", "clause"]]
        )


def per_call() -> None:
    code_text(["物流太慢"])  # first call: compiles and caches the taxonomy
    for text in ("送餐员态度很好，效率高", "the courier was rude and the food arrived cold"):
        ts = []
        for _ in range(15):
            t0 = time.perf_counter()
            code_text([text])
            ts.append(time.perf_counter() - t0)
        print(f"code_text one text after the first call: {np.median(ts) * 1000:.1f} ms  ({text})")


if __name__ == "__main__":
    waimai()
    per_call()
