"""Real-data figures of the pain-point text models (prints numbers, never asserts).

1. CFPB complaints (``../shared/data/cfpb_complaints_sample.csv``): 5-fold cross-validated
   micro and macro F1 of the supervised :class:`~needlab.painpoints.textcoder.TextCoder` on the
   complaint ``Issue`` (rows with a narrative; issues with at least 20 texts).
2. Chinese food-delivery reviews (``../shared/data/waimai_10k.csv``): accuracy and balanced
   accuracy of the lexicon :func:`~needlab.painpoints.sentiment.sentiment` (positive when
   score > 0, else negative) and the 5-fold CV accuracy of the trainable SentimentModel.

Run: ``python benchmarks/bench_text_models.py``. Missing files are reported as skipped.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pandas as pd

# The team's real data sits in ../shared/data beside the repository (never copied into it).
DATA = Path(
    os.environ.get("NEEDLAB_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")
)


def cfpb() -> None:
    path = DATA / "cfpb_complaints_sample.csv"
    if not path.exists():
        print(f"CFPB: skipped ({path} missing)")
        return
    from needlab.painpoints.textcoder import TextCoder

    d = pd.read_csv(path)
    text = d["Consumer complaint narrative"]
    d = d[text.notna() & (text.astype(str).str.strip() != "")]
    counts = d["Issue"].value_counts()
    d = d[d["Issue"].isin(counts[counts >= 20].index)]
    t0 = time.perf_counter()
    res = TextCoder().cross_validate(
        d["Consumer complaint narrative"], d["Issue"].tolist(), cv=5, random_state=0
    )
    dt = time.perf_counter() - t0
    print(f"CFPB Issue: {res.n_used} narratives, {res.n_codes} issues (>= 20 texts each)")
    print(
        f"  TextCoder 5-fold CV: macro-F1 {res.macro_f1:.3f}, micro-F1 {res.micro_f1:.3f} "
        f"({dt:.1f} s)"
    )
    maj = counts[counts >= 20].iloc[0] / res.n_used
    print(f"  (majority-class accuracy {maj:.3f})")


def waimai() -> None:
    path = DATA / "waimai_10k.csv"
    if not path.exists():
        print(f"waimai: skipped ({path} missing)")
        return
    from sklearn.model_selection import StratifiedKFold

    from needlab.painpoints.sentiment import SentimentModel, sentiment

    d = pd.read_csv(path)
    y = d["label"].to_numpy()
    t0 = time.perf_counter()
    res = sentiment(d["review"], text_lang="zh")
    dt = time.perf_counter() - t0
    score = res.table["score"].to_numpy()
    pred = (score > 0).astype(int)
    acc = float((pred == y).mean())
    bal = 0.5 * ((pred[y == 1] == 1).mean() + (pred[y == 0] == 0).mean())
    lab = res.table["label"]
    decided = (lab != "neutral").to_numpy()
    acc3 = float(((lab[decided] == "positive").astype(int).to_numpy() == y[decided]).mean())
    print(f"waimai_10k: {len(d)} reviews ({(y == 1).mean():.1%} positive)")
    print(
        f"  lexicon sentiment: accuracy {acc:.3f}, balanced accuracy {bal:.3f} "
        f"(score > 0 positive; {dt:.2f} s, {len(d) / dt:,.0f} texts/s)"
    )
    print(f"  lexicon, non-neutral only ({decided.mean():.1%} of reviews): accuracy {acc3:.3f}")
    t0 = time.perf_counter()
    accs = []
    texts = d["review"].astype(str).to_numpy()
    for tr, te in StratifiedKFold(5, shuffle=True, random_state=0).split(texts, y):
        m = SentimentModel().fit(texts[tr], y[tr])
        accs.append(float(np.mean(m.predict(texts[te]) == y[te])))
    dt = time.perf_counter() - t0
    print(
        f"  SentimentModel 5-fold CV accuracy {np.mean(accs):.3f} (+- {np.std(accs):.3f}; {dt:.1f} s)"
    )


if __name__ == "__main__":
    cfpb()
    waimai()
