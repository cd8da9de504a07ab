"""Precision of pain coding on real corpora, against a hand-judged sample (issue 14).

For each corpus in ``../shared/data`` (or ``$NEEDLAB_REAL_DATA``) that exists, the texts are coded
with ``code_text(texts, text_lang="auto", taxonomy=Taxonomy.default(domains=[pack]))``:

========================  ===========================================  ===============
corpus id                 texts (row = position as read here)          pack
========================  ===========================================  ===============
``waimai``                waimai_10k.csv, label 0 (row: CSV data row)  food_delivery
``cfpb``                  CFPB narratives (row: CSV data row)          banking
``comcast``               Comcast complaint titles (row: CSV data row) telecom
``hotels``                SemEval-2015 hotel sentences with a          travel
                          negative opinion (row: sentence position in
                          the XML file, all sentences counted)
``makeup``                zh_makeup reviews with a 负面 label (row:     beauty
                          position in Train_reviews.csv)
========================  ===========================================  ===============

A *mention* is one (text, pain code) pair of ``CodingResult.long``.

Modes
-----
``--draw``
    Draws, with a fixed seed, 200 mentions spread over the corpora (60 waimai, 50 cfpb, 40 comcast,
    25 hotels, 25 makeup, fewer where a corpus has fewer) and prints corpus, row, code, code name,
    evidence and the text (first 200 characters) for judging by hand. ``--csv PATH`` also writes
    the references (``corpus,row,code``; never the texts) as a template for the fixture.
``--unjudged K``
    Draws, with seed + 1, K mentions per corpus among the current mentions that are not in the
    fixture (mentions the taxonomy produces since the fixture was judged), printed as with
    ``--draw``, for judging and appending to the fixture.
default
    Reads ``benchmarks/fixtures/precision_mentions.csv`` (``corpus,row,code,correct,reason``:
    references and hand judgements only, the corpus texts are never stored in the repository),
    re-codes the corpora, reports how many judged mentions are no longer produced (the taxonomy
    changed since they were judged) and prints the precision (share judged correct) per corpus and
    overall, with a Wilson 95% interval, over the judged mentions still produced and over all of
    them. Target: overall precision >= 0.85. ``--show-wrong`` lists the false positives.

Run: ``python benchmarks/bench_precision_real.py`` (or ``--draw``). Asserts nothing.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from needlab.painpoints.coding import code_text
from needlab.painpoints.taxonomy import Taxonomy

ROOT = Path(
    os.environ.get("NEEDLAB_REAL_DATA", Path(__file__).resolve().parents[2] / "shared/data")
)
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "precision_mentions.csv"
SEED = 14
TEXT_CHARS = 200


def _waimai() -> pd.Series | None:
    p = ROOT / "waimai_10k.csv"
    if not p.exists():
        return None
    df = pd.read_csv(p)
    s = df.loc[df["label"] == 0, "review"]
    return s[s.notna()].astype(str)


def _cfpb() -> pd.Series | None:
    p = ROOT / "cfpb_complaints_sample.csv"
    if not p.exists():
        return None
    s = pd.read_csv(p, low_memory=False)["Consumer complaint narrative"]
    return s[s.notna()].astype(str)


def _comcast() -> pd.Series | None:
    p = ROOT / "en_comcast_complaints/comcast_telecom_complaints.csv"
    if not p.exists():
        return None
    s = pd.read_csv(p)["Customer Complaint"]
    return s[s.notna()].astype(str)


def _hotels() -> pd.Series | None:
    p = ROOT / "en_semeval_absa/ABSA15_Hotels_Test.xml"
    if not p.exists():
        return None
    rows, texts = [], []
    for i, s in enumerate(ET.parse(p).getroot().iter("sentence")):
        if "negative" in [o.get("polarity") for o in s.iter("Opinion")]:
            rows.append(i)
            texts.append(s.findtext("text") or "")
    return pd.Series(texts, index=rows, dtype=object)


def _makeup() -> pd.Series | None:
    d = ROOT / "zh_makeup_zhijiang2019"
    if not (d / "Train_reviews.csv").exists():
        return None
    rev = pd.read_csv(d / "Train_reviews.csv")
    lab = pd.read_csv(d / "Train_labels.csv")
    neg = set(lab.loc[lab["Polarities"] == "负面", "id"])
    return rev.loc[rev["id"].isin(neg), "Reviews"].astype(str)


# corpus id, loader (Series of texts indexed by row in the file), pack, mentions drawn
CORPORA: list[tuple[str, Callable[[], pd.Series | None], str, int]] = [
    ("waimai", _waimai, "food_delivery", 60),
    ("cfpb", _cfpb, "banking", 50),
    ("comcast", _comcast, "telecom", 40),
    ("hotels", _hotels, "travel", 25),
    ("makeup", _makeup, "beauty", 25),
]


def code_corpus(texts: pd.Series, pack: str) -> pd.DataFrame:
    """Pain mentions (one per text x code) with ``row`` mapped to the row in the corpus file."""
    r = code_text(
        texts.reset_index(drop=True),
        text_lang="auto",
        taxonomy=Taxonomy.default(domains=[pack]),
    )
    long = r.long.drop_duplicates(["row", "code"]).reset_index(drop=True)
    file_rows = texts.index.to_numpy()
    return long.assign(pos=long["row"].to_numpy(), row=file_rows[long["row"].to_numpy()])


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval for a proportion k/n (Wilson 1927)."""
    if n == 0:
        return (math.nan, math.nan)
    p = k / n
    den = 1 + z * z / n
    mid = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return (mid - half, mid + half)


def draw(csv: str | None, unjudged: int | None = None) -> int:
    rng = np.random.default_rng(SEED if unjudged is None else SEED + 1)
    judged: set[tuple[str, int, str]] = set()
    if unjudged is not None and FIXTURE.exists():
        fx = pd.read_csv(FIXTURE)
        judged = set(zip(fx["corpus"], fx["row"].astype(int), fx["code"], strict=True))
    out = []
    for name, load, pack, k in CORPORA:
        texts = load()
        if texts is None:
            print(f"skipped (missing): {name}")
            continue
        long = code_corpus(texts, pack)
        if unjudged is not None:
            new = [
                (name, int(r), c) not in judged
                for r, c in zip(long["row"], long["code"], strict=True)
            ]
            print(f"{name}: {len(long)} mentions, {sum(new)} not in the fixture")
            long = long[np.asarray(new, dtype=bool)].reset_index(drop=True)
            k = unjudged
        take = min(k, len(long))
        idx = np.sort(rng.choice(len(long), size=take, replace=False))
        print(f"\n##### {name}: {len(texts)} texts, {len(long)} mentions, drawn {take}")
        for _, m in long.iloc[idx].iterrows():
            full = str(texts.loc[m["row"]])
            print(f"{name},{m['row']},{m['code']} | {m['name']} | ev={m['evidence']!r}")
            print(f"    {' '.join(full.split())[:TEXT_CHARS]}")
            if m["end"] > TEXT_CHARS:  # evidence beyond the excerpt: show its context too
                a, b = max(0, int(m["start"]) - 150), int(m["end"]) + 150
                print(f"    [at {m['start']}] ...{' '.join(full[a:b].split())}...")
            out.append({"corpus": name, "row": int(m["row"]), "code": m["code"]})
    if csv:
        pd.DataFrame(out).to_csv(csv, index=False)
        print(f"\nreferences written to {csv}")
    return 0


def evaluate(show_wrong: bool) -> int:
    if not FIXTURE.exists():
        print(f"no fixture at {FIXTURE}: run with --draw and judge the mentions first")
        return 1
    fx = pd.read_csv(FIXTURE)
    fx["correct"] = fx["correct"].astype(int)
    rows = []
    wrong = []
    for name, load, pack, _ in CORPORA:
        f = fx[fx["corpus"] == name]
        if f.empty:
            continue
        texts = load()
        if texts is None:
            print(f"skipped (missing): {name}")
            continue
        long = code_corpus(texts, pack)
        now = set(zip(long["row"].astype(int), long["code"], strict=True))
        still = np.array(
            [(int(r), c) in now for r, c in zip(f["row"], f["code"], strict=True)], dtype=bool
        )
        k_all, n_all = int(f["correct"].sum()), len(f)
        k_now, n_now = int(f.loc[still, "correct"].sum()), int(still.sum())
        lo, hi = wilson(k_now, n_now)
        rows.append(
            {
                "corpus": name,
                "pack": pack,
                "judged": n_all,
                "gone": n_all - n_now,
                "n": n_now,
                "correct": k_now,
                "precision": k_now / n_now if n_now else math.nan,
                "wilson95": f"[{lo:.2f}, {hi:.2f}]",
                "precision (as judged)": k_all / n_all,
            }
        )
        wrong.append(f[(f["correct"] == 0) & still])
    if not rows:
        print("no corpus found")
        return 0
    t = pd.DataFrame(rows)
    k, n = int(t["correct"].sum()), int(t["n"].sum())
    ka, na = int(fx.loc[fx["corpus"].isin(t["corpus"]), "correct"].sum()), int(t["judged"].sum())
    lo, hi = wilson(k, n)
    t.loc[len(t)] = {
        "corpus": "overall",
        "pack": "",
        "judged": na,
        "gone": na - n,
        "n": n,
        "correct": k,
        "precision": k / n if n else math.nan,
        "wilson95": f"[{lo:.2f}, {hi:.2f}]",
        "precision (as judged)": ka / na,
    }
    with pd.option_context("display.width", 200, "display.float_format", "{:.3f}".format):
        print(t.to_string(index=False))
    print(
        "\n'gone': judged mentions the current taxonomy no longer produces (dropped from n); "
        "'precision (as judged)' counts all judged mentions. Target: overall precision >= 0.85."
    )
    if show_wrong:
        w = pd.concat(wrong)
        print(f"\nfalse positives still produced ({len(w)}):")
        with pd.option_context("display.width", 200, "display.max_colwidth", 80):
            print(w[["corpus", "row", "code", "reason"]].to_string(index=False))
        print("\nby code:")
        print(w["code"].value_counts().to_string())
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draw", action="store_true", help="draw and print mentions to judge")
    ap.add_argument("--csv", help="with --draw: write the drawn references here")
    ap.add_argument("--show-wrong", action="store_true", help="list the false positives")
    ap.add_argument(
        "--unjudged",
        type=int,
        metavar="K",
        help="draw (seed + 1) K mentions per corpus among those not in the fixture",
    )
    a = ap.parse_args(argv)
    print(f"corpora from {ROOT}")
    if a.unjudged is not None:
        return draw(a.csv, a.unjudged)
    return draw(a.csv) if a.draw else evaluate(a.show_wrong)


if __name__ == "__main__":
    sys.exit(main())
