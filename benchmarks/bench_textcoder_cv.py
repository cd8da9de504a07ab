"""Time of ``TextCoder.cross_validate`` on real coded texts (issue 14: 140 s on 9,082 texts,
no progress bar).

Corpora (read from ``../shared/data``, never copied into the repository; skipped if absent):

- CFPB complaint narratives (English, banking and credit) coded by their ``Issue`` (one code per
  text, the 20 most frequent issues, others left out);
- CCF 2018 car-forum comments (Chinese) coded by their topics (multi-label, 10 topics), about
  8,300 texts, the size of the issue's corpus.

Printed: texts, codes, seconds of a 5-fold ``cross_validate`` (progress bar on stderr when run
in a terminal), micro and macro F1. The vectoriser is already fitted once per fold (inside
``TextCoder.fit``, shared by every code); the time is in the per-code linear models.

Run: ``python benchmarks/bench_textcoder_cv.py``. Asserts nothing.
"""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd

from needlab.painpoints.textcoder import TextCoder

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def corpora() -> dict[str, tuple[list[str], list[list[str]]]]:
    out = {}
    p = DATA / "cfpb_complaints_sample.csv"
    if p.exists():
        df = pd.read_csv(p).dropna(subset=["Consumer complaint narrative", "Issue"])
        top = df["Issue"].value_counts().index[:20]
        df = df[df["Issue"].isin(top)]
        out["CFPB narratives (en)"] = (
            df["Consumer complaint narrative"].tolist(),
            [[i] for i in df["Issue"]],
        )
    p = DATA / "zh_car_ccf2018" / "train.csv"
    if p.exists():
        df = pd.read_csv(p)
        g = df.groupby("content")["subject"].agg(lambda s: sorted(set(s)))
        out["CCF car comments (zh)"] = (g.index.tolist(), g.tolist())
    return out


def main() -> None:
    for name, (texts, labels) in corpora().items():
        n_codes = len({c for s in labels for c in s})
        t0 = time.perf_counter()
        res = TextCoder().cross_validate(texts, labels, cv=5, random_state=0)
        dt = time.perf_counter() - t0
        print(
            f"{name}: {len(texts):,} texts, {n_codes} codes, 5-fold cross_validate {dt:.1f} s, "
            f"micro F1 {res.micro_f1:.3f}, macro F1 {res.macro_f1:.3f}"
        )


if __name__ == "__main__":
    main()
