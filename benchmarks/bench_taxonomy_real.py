"""Coverage of the layered default taxonomy on real corpora (issue 14).

For each corpus in ``../shared/data`` (or ``$NEEDLAB_REAL_DATA``) that exists: the share of its
negative texts that the generic core plus the fitting domain pack codes, compared with the core
alone and the earlier default packs (``domains=None``), and for the Chinese food-delivery reviews
the share of positive texts that get a pain code. Missing corpora are skipped. The corpora are
never copied into the repository.

Run: ``python benchmarks/bench_taxonomy_real.py``
"""

from __future__ import annotations

import os
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd

from needlab.painpoints.coding import code_text
from needlab.painpoints.taxonomy import Taxonomy

ROOT = Path(
    os.environ.get("NEEDLAB_REAL_DATA", Path(__file__).resolve().parents[2] / "shared/data")
)


def waimai(polarity: int) -> list[str] | None:
    p = ROOT / "waimai_10k.csv"
    if not p.exists():
        return None
    df = pd.read_csv(p)
    return df.loc[df["label"] == polarity, "review"].dropna().astype(str).tolist()


def cfpb() -> list[str] | None:
    p = ROOT / "cfpb_complaints_sample.csv"
    if not p.exists():
        return None
    df = pd.read_csv(p, low_memory=False)
    return df["Consumer complaint narrative"].dropna().astype(str).tolist()


def comcast() -> list[str] | None:
    p = ROOT / "en_comcast_complaints/comcast_telecom_complaints.csv"
    if not p.exists():
        return None
    return pd.read_csv(p)["Customer Complaint"].dropna().astype(str).tolist()


def hotels() -> list[str] | None:
    p = ROOT / "en_semeval_absa/ABSA15_Hotels_Test.xml"
    if not p.exists():
        return None
    out = []
    for s in ET.parse(p).getroot().iter("sentence"):
        pols = [o.get("polarity") for o in s.iter("Opinion")]
        if "negative" in pols:
            out.append(s.findtext("text") or "")
    return out


def makeup() -> list[str] | None:
    d = ROOT / "zh_makeup_zhijiang2019"
    if not (d / "Train_reviews.csv").exists():
        return None
    rev = pd.read_csv(d / "Train_reviews.csv")
    lab = pd.read_csv(d / "Train_labels.csv")
    neg = set(lab.loc[lab["Polarities"] == "负面", "id"])
    return rev.loc[rev["id"].isin(neg), "Reviews"].astype(str).tolist()


CORPORA = [
    # name, loader, texts are, pack
    ("waimai negative (zh)", lambda: waimai(0), "negative", "food_delivery"),
    ("waimai positive (zh)", lambda: waimai(1), "positive", "food_delivery"),
    ("CFPB narratives (en)", cfpb, "negative", "banking"),
    ("Comcast complaints (en)", comcast, "negative", "telecom"),
    ("SemEval-15 hotels, negative sentences (en)", hotels, "negative", "travel"),
    ("makeup reviews with a negative label (zh)", makeup, "negative", "ecommerce"),
]


def main() -> int:
    print(f"corpora from {ROOT}")
    rows = []
    for name, load, kind, pack in CORPORA:
        texts = load()
        if texts is None:
            print(f"skipped (missing): {name}")
            continue
        row: dict[str, object] = {"corpus": name, "texts": kind, "n": len(texts), "pack": pack}
        for label, domains in (("core", []), ("core+pack", [pack]), ("old default", None)):
            t0 = time.perf_counter()
            r = code_text(texts, taxonomy=Taxonomy.default(domains=domains))
            row[f"coded: {label}"] = round(float(r.table["coded"].mean()), 3)
            if label == "core+pack":
                row["s"] = round(time.perf_counter() - t0, 1)
                top = r.long.drop_duplicates(["row", "code"])["code"].value_counts().head(4)
                row["top codes (core+pack)"] = ", ".join(f"{k} {v}" for k, v in top.items())
        rows.append(row)
    if not rows:
        print("no corpus found")
        return 0
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 250, "display.max_colwidth", 90):
        print(table.to_string(index=False))
    print(
        "\n'coded' is the share of texts with at least one pain code: coverage for negative "
        "texts (target >= 0.70), false-pain rate for positive texts (target <= 0.03)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
