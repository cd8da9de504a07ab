"""n_used and n_excluded of every table: rows given = used + excluded, each exclusion noted."""

from __future__ import annotations

import numpy as np
import pandas as pd

import needlab as nl

# 8 rows: row 0 misses q, row 1 misses g, row 2 has weight 0, row 3 misses both q and r.
DF = pd.DataFrame(
    {
        "q": [None, 1, 2, None, 1, 2, 1, 2],
        "r": [3, 4, 5, None, 4, 5, 3, 4],
        "g": ["a", None, "b", "a", "b", "a", "b", "a"],
        "w": [1.0, 1.0, 0.0, 1.0, 2.0, 1.0, 1.0, 1.0],
    }
)


def _counts(res: nl.Result) -> tuple[int, int]:
    return res.n_used, res.n_excluded


def test_counts_by_hand() -> None:
    # freq: answered q (6 rows) with a positive weight (row 2 has 0) -> 5
    assert _counts(nl.freq(DF, "q", weights="w")) == (5, 3)
    assert _counts(nl.freq(DF, "q")) == (6, 2)
    # crosstab q x g: both answered in rows 2, 4..7 -> 5; weight 0 in row 2 -> 4
    r = nl.crosstab(DF, "q", "g", weights="w")
    assert _counts(r) == (4, 4)
    assert any("weight 0" in n for n in r.notes) and any("excluded" in n for n in r.notes)
    # compare_means r by g: row 1 (no g) and row 3 (no r) out, row 2 weight 0 -> 5
    assert _counts(nl.compare_means(DF, "r", "g", weights="w")) == (5, 3)
    # top_box over q and r: only row 3 answers neither; row 2 weight 0
    t = nl.top_box(DF, ["q", "r"], weights="w")
    assert _counts(t) == (6, 2)
    # banner of q and r by g: the Total column takes everyone who answered a question
    b = nl.banner(DF, ["q", "r"], ["g"])
    assert _counts(b) == (7, 1)
    assert any("none of the row questions" in n for n in b.notes)


def test_score_counts() -> None:
    df = pd.DataFrame({"ltr": [10, 9, None, 0, 5, 8], "g": ["a", "b", "a", "b", None, "a"]})
    w = np.array([1.0, 1.0, 1.0, 0.0, 1.0, 1.0])
    r = nl.nps(df, "ltr", by="g", weights=w)
    # missing answer (row 2), weight 0 (row 3); the row without a group is in the Total
    assert _counts(r) == (4, 2)
    c = nl.compare_nps(df, by="g", var="ltr")
    # row 4 has no group; row 2 no answer -> 4 used of 6
    assert _counts(c) == (4, 2)
    assert any("no group" in n for n in c.notes)
    k = nl.rake(df.fillna({"g": "c"}), {"g": {"a": 0.5, "b": 0.5, "c": 0.0}})
    assert _counts(k) == (5, 1)
