"""Speed of ``needlab.painpoints.coding.code_text`` against a loop of ``Series.str.contains``.

Texts: ``--n`` (default 1,000,000) short texts, 65% Chinese, built (seeded) by recombining clauses of
the sample feedback texts of the same language, so most texts are unique.

- ``needlab``: ``code_text(df, "text", text_lang="lang")`` with the default taxonomy: the whole result
  (table, long table with spans, frequencies, coverage residue).
- ``loop``: the straightforward script: for every code and language, ``str.contains`` of the code's
  patterns on the texts of that language (``--baseline code``: one alternation per code, the fast
  variant; ``--baseline pattern``: one call per keyword or pattern, as usually written). The
  patterns are exactly those needlab compiles (``Code.regex``); pandas runs them in RE2 too.

Fairness: the loop ignores negation, so needlab's negated matches are added back before the codes
are compared. They can still differ where needlab is stricter by design: its matches do not overlap
(at a position the longest phrase wins, so 退款还没到账 is not also 还没到) and exclusion phrases mask
text. The share of texts with identical code sets is printed.

If ``../shared/data/waimai_10k.csv`` exists (Chinese food-delivery reviews; label 0 negative), the
default taxonomy's coverage of negative and positive reviews is printed (the data stays there).

Target (issue 7): at least 10x faster than the loop. Target (issue 14): one short text under 5 ms
after the first call; the single-text timings (minimum and median of 50 calls per text, with and
without polarity) are printed first. Run:
``python benchmarks/bench_code_text.py --n 100000`` (``--no-loop`` skips the slow baseline).
Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import time
from pathlib import Path

import numpy as np
import pandas as pd

from needlab.datasets import load_sample
from needlab.painpoints.coding import code_text
from needlab.painpoints.taxonomy import Taxonomy

# The team's real data sits in ../shared/data beside the repository (never copied into it).
WAIMAI = (
    Path(
        os.environ.get(
            "NEEDLAB_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"
        )
    )
    / "waimai_10k.csv"
)


def make(n: int, seed: int = 0) -> pd.DataFrame:
    fb = load_sample().feedback
    rng = np.random.default_rng(seed)
    out = []
    for lg, share in (("zh", 0.65), ("en", 0.35)):
        texts = fb.loc[fb["lang"] == lg, "text"].astype(str)
        sep = "，" if lg == "zh" else ", "
        clauses = texts.str.split(
            r"[，。！？]" if lg == "zh" else r"[.!?,:] ", regex=True
        ).explode()
        clauses = clauses[clauses.str.strip().str.len() > 1].to_numpy(dtype=object)
        k = int(round(n * share)) if lg == "zh" else n - int(round(n * 0.65))
        a = clauses[rng.integers(0, len(clauses), k)]
        b = clauses[rng.integers(0, len(clauses), k)]
        two = rng.random(k) < 0.6
        text = np.where(two, a + sep + b, a)
        out.append(pd.DataFrame({"text": text, "lang": lg}))
    df = pd.concat(out, ignore_index=True)
    return df.iloc[rng.permutation(len(df))].reset_index(drop=True).astype({"text": "str"})


def loop(df: pd.DataFrame, tx: Taxonomy, mode: str) -> dict[str, np.ndarray]:
    hits: dict[str, np.ndarray] = {}
    for lg in ("zh", "en"):
        sel = (df["lang"] == lg).to_numpy()
        texts = df.loc[sel, "text"]
        idx = np.flatnonzero(sel)
        for c in tx:
            alts = c.regex(lg)
            if not alts:
                continue
            pats = ["|".join(alts)] if mode == "code" else alts
            found = np.zeros(len(texts), dtype=bool)
            for p in pats:
                found |= texts.str.contains(p, flags=re.IGNORECASE, regex=True).to_numpy(dtype=bool)
            if found.any():
                arr = hits.setdefault(c.id, np.zeros(len(df), dtype=bool))
                arr[idx[found]] = True
    return hits


ONE = [
    "物流太慢，等了9天才到",
    "送餐员态度很好，效率高",
    "快递员态度很差",
    "the app keeps crashing",
    "my flight was delayed 3 hours and the gate agent was rude",
    "great product",
]


def single_texts(tx: Taxonomy) -> None:
    t0 = time.perf_counter()
    code_text([ONE[0]], taxonomy=tx)
    code_text([ONE[3]], taxonomy=tx)
    print(f"first calls (compile, both languages): {time.perf_counter() - t0:.2f} s")
    for polarity in (True, False):
        mins, meds = [], []
        for t in ONE:
            xs = []
            for _ in range(50):
                t0 = time.perf_counter()
                code_text([t], taxonomy=tx, polarity=polarity)
                xs.append(time.perf_counter() - t0)
            mins.append(min(xs) * 1000)
            meds.append(statistics.median(xs) * 1000)
        print(
            f"one text, polarity={polarity}: min {min(mins):.2f}-{max(mins):.2f} ms, "
            f"median {min(meds):.2f}-{max(meds):.2f} ms over {len(ONE)} texts"
        )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--baseline", choices=["code", "pattern"], default="pattern")
    ap.add_argument("--no-loop", action="store_true", help="skip the str.contains baseline")
    args = ap.parse_args()
    tx = Taxonomy.default()
    single_texts(tx)
    df = make(args.n)
    print(
        f"{len(df):,} texts, {df['text'].nunique():,} unique, mean {df['text'].str.len().mean():.1f} chars; "
        f"taxonomy: {len(tx.leaves())} leaf codes, "
        f"{sum(len(c.regex(lg)) for c in tx for lg in ('zh', 'en'))} patterns"
    )

    code_text(df.head(1000), "text", text_lang="lang")  # warm-up (taxonomy compile)
    t0 = time.perf_counter()
    res = code_text(df, "text", text_lang="lang")
    t_nl = time.perf_counter() - t0
    print(f"needlab code_text: {t_nl:8.2f} s  (engine {res.engine})")

    if args.no_loop:
        return
    t0 = time.perf_counter()
    hits = loop(df, tx, args.baseline)
    t_loop = time.perf_counter() - t0
    print(f"loop str.contains per {args.baseline}: {t_loop:8.2f} s")
    print(f"speed-up: {t_loop / t_nl:.1f}x")

    # same codes? negation ignored in both
    pairs = pd.concat([res.long[["row", "code"]], res.negated[["row", "code"]]]).drop_duplicates()
    nl = {c: np.zeros(len(df), dtype=bool) for c in tx.ids}
    for c, rows in pairs.groupby("code")["row"]:
        nl[c][rows.to_numpy()] = True
    same = np.ones(len(df), dtype=bool)
    diff_codes = {}
    for c in tx.ids:
        a = nl[c]
        b = hits.get(c, np.zeros(len(df), dtype=bool))
        same &= a == b
        if (a != b).any():
            diff_codes[c] = (int((a & ~b).sum()), int((~a & b).sum()))
    print(f"texts with identical code sets: {same.mean():.4%}")
    if diff_codes:
        top = sorted(diff_codes.items(), key=lambda kv: -sum(kv[1]))[:8]
        print(
            "  differences (code: only needlab, only loop):",
            ", ".join(f"{c}: {a}, {b}" for c, (a, b) in top),
        )
        ex = df.loc[~same, "text"].head(5).tolist()
        print("  examples:", ex)

    if WAIMAI.exists():
        w = pd.read_csv(WAIMAI)
        r = code_text(w, "review", text_lang="zh")
        t = r.table.assign(label=w["label"].to_numpy())
        ok = t["status"].isin(["ok", "truncated"])
        for lab, name in ((0, "negative"), (1, "positive")):
            sel = ok & (t["label"] == lab)
            print(
                f"waimai_10k {name} reviews: {sel.sum():,}, share with >= 1 code: "
                f"{t.loc[sel, 'coded'].mean():.1%}"
            )
        neg = r.long[t.loc[r.long["row"], "label"].to_numpy() == 0]
        print("  top codes on negative reviews:", neg["code"].value_counts().head(10).to_dict())
        print(
            "  uncoded negative residue, top bigrams:",
            r.coverage.terms.loc[r.coverage.terms["lang"] == "zh", "term"].head(20).tolist(),
        )


if __name__ == "__main__":
    main()
