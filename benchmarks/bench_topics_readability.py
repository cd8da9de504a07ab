"""Topic readability on real Chinese reviews: top terms per topic, fillers among them, and terms
shared between topics (issue 14). Reads ../shared/data/waimai_10k.csv (not in the repository).

    python benchmarks/bench_topics_readability.py [path/to/waimai_10k.csv]
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from needlab.painpoints.topics import discover_topics

FILLERS = {"不错", "但是", "不是", "就是", "还是", "感觉", "非常", "有点", "一般", "不过", "而且"}


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/waimai_10k.csv")
    texts = pd.read_csv(path)["review"].sample(2000, random_state=0).tolist()
    res = discover_topics(texts, random_state=0)
    print(res.table[["topic", "size", "coherence", "terms"]].to_string(index=False))
    terms = res.terms["term"]
    print(f"fillers among top terms: {sorted(FILLERS & set(terms))}")
    print(f"terms shown in more than one topic: {int(terms.duplicated().sum())}")


if __name__ == "__main__":
    main()
