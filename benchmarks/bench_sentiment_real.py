"""Three-way sentiment on real labelled corpora (prints numbers, never asserts).

Corpora (``../shared/data``, never copied into the repository; missing files are skipped):

* SemEval-2014 restaurants (train), SemEval-2016 restaurants (train), SemEval-2015 hotels (test):
  English review sentences;
* CCF BDCI 2018 car-forum comments (``zh_car_ccf2018``): sentiment -1/0/1 per topic;
* Zhijiang Cup 2019 cosmetics reviews (``zh_makeup_zhijiang2019``): polarity 正面/负面/中性 per
  opinion;
* waimai_10k food-delivery reviews: binary (positive/negative only);
* complaints without sentiment labels (Comcast complaint titles, CFPB narratives): every text is a
  complaint, so the share labelled negative is shown as a diagnostic of the complaint cues.

**Text label from aspect labels** (SemEval, car, cosmetics): the polarities of a text's aspects or
opinions are pooled; a text with both a positive and a negative polarity (or a SemEval
``conflict``) is *mixed* and left out; otherwise it is positive if any aspect is positive,
negative if any is negative, and neutral when all its aspects are neutral. Texts without any
aspect label (SemEval ``OutOfScope`` sentences) are left out.

**Neutral band** (``--calibrate``): the threshold is chosen on ONE corpus, SemEval-2014
restaurants, as the grid value (0.05, 0.10, ..., 0.50) with the best macro-F1; the other corpora
are only reported. The package default (:data:`needlab.painpoints.sentiment.THRESHOLD`) is the
value this prints.

Metrics: accuracy and macro-F1 over the three labels, against the majority-class baseline (always
the most frequent label: its accuracy, and its macro-F1) and, on English, VADER (Hutto and Gilbert
2014; ``pip install vaderSentiment``, skipped if absent; compound >= 0.05 positive, <= -0.05
negative). On waimai (binary) the pos/neg accuracy counts a text as positive when its score > 0,
and the three-way label accuracy counts ``neutral`` as wrong.

**Per-corpus neutral band** (always printed): for each corpus the threshold is calibrated
(:func:`needlab.painpoints.sentiment.calibrate_threshold`, macro-F1) on a stratified half (seed 14)
and the lexicon is scored on the other half, beside the default band on that same half.

**Trainable model** (``--model``): :class:`~needlab.painpoints.sentiment.SentimentModel`

* stratified 5-fold cross-validation (seed 14) within each corpus, with and without the lexicon
  features; the package defaults (``C``, ``lexicon_features``) are the best mean macro-F1 on the
  training corpus SemEval-2014 alone (grid ``C`` in {1, 4, 16} x ``lexicon_features``);
* across corpora: fitted with those settings on all of SemEval-2014 and tested on SemEval-2016
  restaurants and SemEval-2015 hotels; fitted on the car corpus and tested on cosmetics (a
  different labelling convention, shown as a warning, not a target).

Balanced accuracy (mean per-label recall) is printed beside accuracy: a model that always says
the majority label scores 1/3 on it, whatever the label shares.

Run: ``python benchmarks/bench_sentiment_real.py [--calibrate] [--model]``.
"""

from __future__ import annotations

import os
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

DATA = Path(
    os.environ.get("NEEDLAB_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")
)
LABELS = ("negative", "neutral", "positive")


def text_label(pols: set[str]) -> str | None:
    """The documented rule: mixed (pos and neg, or conflict) -> None; any pos -> positive;
    any neg -> negative; all neutral -> neutral."""
    if not pols or "conflict" in pols or {"positive", "negative"} <= pols:
        return None
    if "positive" in pols:
        return "positive"
    if "negative" in pols:
        return "negative"
    return "neutral"


def _semeval(path: Path) -> pd.DataFrame:
    rows = []
    for s in ET.parse(path).getroot().iter("sentence"):
        text = s.findtext("text") or ""
        pols = {a.get("polarity", "") for a in s.iter("aspectCategory")}
        pols |= {o.get("polarity", "") for o in s.iter("Opinion")}
        pols.discard("")
        lab = text_label(pols)
        if lab is not None and text.strip():
            rows.append((text, lab))
    return pd.DataFrame(rows, columns=["text", "label"])


def _car(path: Path) -> pd.DataFrame:
    d = pd.read_csv(path)
    m = {-1: "negative", 0: "neutral", 1: "positive"}
    g = d.groupby("content_id", sort=False).agg(
        text=("content", "first"), pols=("sentiment_value", lambda v: {m[int(x)] for x in v})
    )
    g["label"] = g["pols"].map(text_label)
    return g.dropna(subset=["label"])[["text", "label"]].reset_index(drop=True)


def _makeup(folder: Path) -> pd.DataFrame:
    rev = pd.read_csv(folder / "Train_reviews.csv")
    lab = pd.read_csv(folder / "Train_labels.csv")
    m = {"正面": "positive", "负面": "negative", "中性": "neutral"}
    pols = {i: text_label({m[x] for x in v if x in m}) for i, v in lab.groupby("id")["Polarities"]}
    rev["label"] = rev["id"].map(pols)
    return (
        rev.dropna(subset=["label"]).rename(columns={"Reviews": "text"})[["text", "label"]]
    ).reset_index(drop=True)


CORPORA: dict[str, tuple[str, Path, Callable[[Path], pd.DataFrame]]] = {
    "semeval14_restaurants": (
        "en",
        DATA / "en_semeval_absa" / "Restaurants_Train_v2.xml",
        _semeval,
    ),
    "semeval16_restaurants": (
        "en",
        DATA / "en_semeval_absa" / "ABSA16_Restaurants_Train_SB1_v2.xml",
        _semeval,
    ),
    "semeval15_hotels": ("en", DATA / "en_semeval_absa" / "ABSA15_Hotels_Test.xml", _semeval),
    "zh_car_ccf2018": ("zh", DATA / "zh_car_ccf2018" / "train.csv", _car),
    "zh_makeup_2019": ("zh", DATA / "zh_makeup_zhijiang2019", _makeup),
}
CALIBRATION = "semeval14_restaurants"


def macro_f1(y: np.ndarray, p: np.ndarray) -> float:
    f = []
    for k in LABELS:
        tp = float(((p == k) & (y == k)).sum())
        fp = float(((p == k) & (y != k)).sum())
        fn = float(((p != k) & (y == k)).sum())
        f.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return float(np.mean(f))


def balanced_acc(y: np.ndarray, p: np.ndarray) -> float:
    return float(np.mean([np.mean(p[y == k] == k) for k in LABELS if (y == k).any()]))


def _labels(score: np.ndarray, thr: float) -> np.ndarray:
    return np.where(score >= thr, "positive", np.where(score <= -thr, "negative", "neutral"))


def _vader() -> Callable[[list[str]], np.ndarray] | None:
    try:
        from vaderSentiment.vaderSentiment import (  # type: ignore[import-untyped]
            SentimentIntensityAnalyzer,
        )
    except ImportError:
        return None
    sia = SentimentIntensityAnalyzer()
    return lambda texts: np.array([sia.polarity_scores(t)["compound"] for t in texts])


def load(name: str) -> pd.DataFrame | None:
    _, path, fn = CORPORA[name]
    return fn(path) if path.exists() else None


def calibrate() -> float:
    from needlab.painpoints.sentiment import sentiment

    d = load(CALIBRATION)
    if d is None:
        print(f"calibration corpus {CALIBRATION} missing")
        return float("nan")
    score = sentiment(d["text"], text_lang="en").table["score"].to_numpy()
    y = d["label"].to_numpy()
    grid = np.round(np.arange(0.05, 0.501, 0.05), 2)
    f = [macro_f1(y, _labels(score, t)) for t in grid]
    print(f"neutral band calibrated on {CALIBRATION} ({len(d)} sentences), macro-F1 by threshold:")
    print("  " + "  ".join(f"{t:.2f}:{v:.3f}" for t, v in zip(grid, f, strict=True)))
    best = float(grid[int(np.argmax(f))])
    print(f"  best threshold {best:.2f}")
    return best


def main(argv: list[str]) -> None:
    from needlab.painpoints.sentiment import sentiment

    if "--calibrate" in argv:
        calibrate()
        print()
    vader = _vader()
    if vader is None:
        print("VADER: skipped (pip install vaderSentiment to compare)")
    rows = []
    for name, (lg, _, _) in CORPORA.items():
        d = load(name)
        if d is None:
            print(f"{name}: skipped (missing)")
            continue
        y = d["label"].to_numpy()
        t0 = time.perf_counter()
        res = sentiment(d["text"], text_lang=lg)
        dt = time.perf_counter() - t0
        p = res.table["label"].to_numpy(dtype=object).astype(str)
        maj = pd.Series(y).value_counts().index[0]
        row = {
            "corpus": name + (" (calibration)" if name == CALIBRATION else ""),
            "lang": lg,
            "n": len(d),
            "neg/neu/pos %": "/".join(f"{100 * (y == k).mean():.0f}" for k in LABELS),
            "majority acc": float((y == maj).mean()),
            "majority F1": macro_f1(y, np.full(len(y), maj)),
            "needlab acc": float((p == y).mean()),
            "needlab F1": macro_f1(y, p),
            "needlab bal": balanced_acc(y, p),
            "VADER acc": np.nan,
            "VADER F1": np.nan,
            "VADER bal": np.nan,
            "s": dt,
        }
        if lg == "en" and vader is not None:
            pv = _labels(vader(d["text"].tolist()), 0.05)
            row["VADER acc"] = float((pv == y).mean())
            row["VADER F1"] = macro_f1(y, pv)
            row["VADER bal"] = balanced_acc(y, pv)
        rows.append(row)
    if rows:
        t = pd.DataFrame(rows).set_index("corpus")
        with pd.option_context("display.width", 200, "display.max_columns", 20):
            print(t.round(3).to_string())
    print()
    halves()
    if "--model" in argv:
        print()
        model()
    waimai()
    complaints()


def _split(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.model_selection import train_test_split

    idx = np.arange(len(y))
    cal, test = train_test_split(idx, test_size=0.5, stratify=y, random_state=14)
    return np.sort(cal), np.sort(test)


def halves() -> None:
    """Lexicon with the default band vs a band calibrated on the other stratified half."""
    from needlab.painpoints.sentiment import THRESHOLD, calibrate_threshold, sentiment

    print("Lexicon neutral band calibrated per corpus on a stratified half (seed 14), scored")
    print("on the other half (macro-F1 maximised; the test half is never used to choose):")
    rows = []
    for name, (lg, _, _) in CORPORA.items():
        d = load(name)
        if d is None:
            continue
        y = d["label"].to_numpy(dtype=object).astype(str)
        cal, test = _split(y)
        t = calibrate_threshold(d["text"].iloc[cal].tolist(), y[cal].tolist(), text_lang=lg)
        score = sentiment(d["text"].iloc[test], text_lang=lg).table["score"].to_numpy()
        yt = y[test]
        maj = pd.Series(y[cal]).value_counts().index[0]
        p0, p1 = _labels(score, THRESHOLD), _labels(score, t)
        rows.append(
            {
                "corpus": name,
                "n test": len(test),
                "majority acc": float((yt == maj).mean()),
                f"band {THRESHOLD} acc": float((p0 == yt).mean()),
                "F1": macro_f1(yt, p0),
                "bal": balanced_acc(yt, p0),
                "calibrated band": t,
                "cal acc": float((p1 == yt).mean()),
                "cal F1": macro_f1(yt, p1),
                "cal bal": balanced_acc(yt, p1),
            }
        )
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(pd.DataFrame(rows).set_index("corpus").round(3).to_string())


def _cv(texts: np.ndarray, y: np.ndarray, **params: object) -> np.ndarray:
    from sklearn.model_selection import StratifiedKFold

    from needlab.painpoints.sentiment import SentimentModel

    p = np.empty(len(y), dtype=object)
    for tr, te in StratifiedKFold(5, shuffle=True, random_state=14).split(texts, y):
        p[te] = SentimentModel(**params).fit(texts[tr], y[tr]).predict(texts[te])  # type: ignore[arg-type]
    return p.astype(str)


def model() -> None:
    """SentimentModel: settings by CV on SemEval-2014 only; CV per corpus; across corpora."""
    from needlab.painpoints.sentiment import SentimentModel

    def row(name: str, y: np.ndarray, p: np.ndarray, maj: str) -> dict[str, object]:
        return {
            "setting": name,
            "n": len(y),
            "majority acc": float((y == maj).mean()),
            "acc": float((p == y).mean()),
            "macro-F1": macro_f1(y, p),
            "bal acc": balanced_acc(y, p),
        }

    train = load(CALIBRATION)
    best: dict[str, object] = {"C": 4.0, "lexicon_features": True}
    if train is not None:
        X, y = train["text"].to_numpy(dtype=object), train["label"].to_numpy(dtype=object)
        y = y.astype(str)
        grid = []
        for lex in (False, True):
            for C in (1.0, 4.0, 16.0):
                t0 = time.perf_counter()
                p = _cv(X, y, C=C, lexicon_features=lex)
                grid.append(
                    (macro_f1(y, p), C, lex, float((p == y).mean()), time.perf_counter() - t0)
                )
        print(f"SentimentModel settings by 5-fold CV on {CALIBRATION} only (macro-F1, acc):")
        for f, C, lex, acc, dt in grid:
            print(
                f"  C={C:<4} lexicon_features={lex!s:<5}  F1 {f:.3f}  acc {acc:.3f}  ({dt:.0f} s)"
            )
        f, C, lex, _, _ = max(grid, key=lambda g: g[0])
        best = {"C": C, "lexicon_features": lex}
        print(f"  chosen: {best}")
    rows = []
    data = {k: load(k) for k in CORPORA}
    for name, d in data.items():
        if d is None:
            continue
        X, y = d["text"].to_numpy(dtype=object), d["label"].to_numpy(dtype=object).astype(str)
        maj = str(pd.Series(y).value_counts().index[0])
        for lex in (False, True):
            p = _cv(X, y, C=best["C"], lexicon_features=lex)
            rows.append(row(f"{name}: 5-fold CV, lexicon_features={lex}", y, p, maj))
    pairs = [
        (CALIBRATION, "semeval16_restaurants"),
        (CALIBRATION, "semeval15_hotels"),
        ("zh_car_ccf2018", "zh_makeup_2019"),
    ]
    for src, dst in pairs:
        a, b = data.get(src), data.get(dst)
        if a is None or b is None:
            continue
        yb = b["label"].to_numpy(dtype=object).astype(str)
        maj = str(a["label"].value_counts().index[0])  # the training corpus's majority label
        for lex in (False, True):
            m = SentimentModel(C=best["C"], lexicon_features=lex).fit(a["text"], a["label"])  # type: ignore[arg-type]
            p = m.predict(b["text"]).astype(str)
            rows.append(row(f"{src} -> {dst}, lexicon_features={lex}", yb, p, maj))
    print("SentimentModel (majority acc: always the training majority label):")
    with pd.option_context("display.width", 200, "display.max_colwidth", 80):
        print(pd.DataFrame(rows).set_index("setting").round(3).to_string())


def waimai() -> None:
    from needlab.painpoints.sentiment import sentiment

    path = DATA / "waimai_10k.csv"
    if not path.exists():
        print("waimai_10k: skipped (missing)")
        return
    d = pd.read_csv(path)
    y = d["label"].to_numpy()
    res = sentiment(d["review"], text_lang="zh")
    score = res.table["score"].to_numpy()
    lab = res.table["label"].to_numpy(dtype=object)
    acc = float(((score > 0).astype(int) == y).mean())
    acc3 = float((np.where(y == 1, "positive", "negative") == lab).mean())
    maj = max(y.mean(), 1 - y.mean())
    print(
        f"\nwaimai_10k ({len(d)} reviews, binary): majority acc {maj:.3f}; pos/neg accuracy "
        f"(score > 0) {acc:.3f}; three-way label accuracy (neutral wrong) {acc3:.3f}; "
        f"labelled neutral {np.mean(lab == 'neutral'):.1%}"
    )


def complaints() -> None:
    from needlab.painpoints.sentiment import sentiment

    sets = {
        "comcast titles": (
            DATA / "en_comcast_complaints" / "comcast_telecom_complaints.csv",
            "Customer Complaint",
        ),
        "cfpb narratives": (DATA / "cfpb_complaints_sample.csv", "Consumer complaint narrative"),
    }
    print("\nComplaint corpora (every text a complaint; no sentiment label):")
    for name, (path, col) in sets.items():
        if not path.exists():
            print(f"  {name}: skipped (missing)")
            continue
        s = pd.read_csv(path)[col].dropna().astype(str)
        sh = sentiment(s, text_lang="en").shares()
        print(
            f"  {name} ({len(s)} texts): " + ", ".join(f"{k} {100 * v:.1f}%" for k, v in sh.items())
        )


if __name__ == "__main__":
    main(sys.argv[1:])
