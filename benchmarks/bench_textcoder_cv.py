"""Time of ``TextCoder.cross_validate`` on real coded texts (issue 14: 140 s on 9,082 texts,
no progress bar).

Corpora (read from ``../shared/data``, never copied into the repository; skipped if absent):

- CFPB complaint narratives (English, banking and credit) coded by their ``Issue`` (one code per
  text, the 20 most frequent issues, others left out);
- CCF 2018 car-forum comments (Chinese) coded by their topics (multi-label, 10 topics), about
  8,300 texts, the size of the issue's corpus.

Printed: texts, codes, wall-clock and CPU seconds of a 5-fold ``cross_validate`` (progress bar
on stderr when run in a terminal; CPU time is the steadier figure on a shared machine), micro and
macro F1.

Before / after: set ``NEEDLAB_BASELINE`` to a folder holding an older ``needlab`` package
(``git archive <commit> needlab | tar -x -C /tmp/baseline``) and the same runs are timed with it
first, in a subprocess. Issue 14 (before): the n-grams of every text were counted again in
every fold and each code's logistic regression ran liblinear in the primal (CFPB: 67 s on a
quiet machine). Now the n-grams are counted once, each fold takes its vocabulary, IDF and
normalisation from its training texts only, and liblinear solves the dual when features outnumber
texts; the scores are the same.

Run: ``python benchmarks/bench_textcoder_cv.py`` (``--only CFPB`` for one corpus). Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

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


def run(only: str) -> None:
    import needlab
    from needlab.painpoints.textcoder import TextCoder

    print(f"needlab at {os.path.dirname(needlab.__file__)}")
    for name, (texts, labels) in corpora().items():
        if only and only.lower() not in name.lower():
            continue
        n_codes = len({c for s in labels for c in s})
        t0, c0 = time.perf_counter(), time.process_time()
        res = TextCoder().cross_validate(texts, labels, cv=5, random_state=0)
        dt, cpu = time.perf_counter() - t0, time.process_time() - c0
        print(
            f"  {name}: {len(texts):,} texts, {n_codes} codes, 5-fold cross_validate "
            f"{dt:.1f} s wall ({cpu:.1f} s CPU), micro F1 {res.micro_f1:.4f}, "
            f"macro F1 {res.macro_f1:.4f}"
        )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="", help="run the corpora whose name contains this")
    ap.add_argument("--child", action="store_true")
    a = ap.parse_args()
    if a.child:
        run(a.only)
        return
    base = os.environ.get("NEEDLAB_BASELINE")
    if base:
        print("before:")
        env = {**os.environ, "PYTHONPATH": base}
        cmd = [sys.executable, __file__, "--child", "--only", a.only]
        subprocess.run(cmd, env=env, check=True)
        print("after:")
    run(a.only)


if __name__ == "__main__":
    main()
