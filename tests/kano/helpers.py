"""Shared builders for the Kano tests: answer pairs that give a chosen category."""

from __future__ import annotations

import numpy as np
import pandas as pd

#: One (functional, dysfunctional) answer pair per category under the standard table.
PAIR = {"A": (1, 3), "O": (1, 5), "M": (3, 5), "I": (3, 3), "R": (5, 1), "Q": (1, 1)}


def frame_from_counts(counts: dict[str, dict[str, int]]) -> pd.DataFrame:
    """Wide data whose features have exactly the given category counts.

    ``counts`` maps feature -> {letter: count}; all features must have the same total so
    they fit one respondent frame.
    """
    cols = {}
    n = None
    for feat, cc in counts.items():
        f, d = [], []
        for letter, k in cc.items():
            f += [PAIR[letter][0]] * k
            d += [PAIR[letter][1]] * k
        if n is None:
            n = len(f)
        if len(f) != n:
            raise ValueError("all features need the same number of answers")
        cols[f"{feat}_f"] = f
        cols[f"{feat}_d"] = d
    return pd.DataFrame(cols)


def pairs_of(counts: dict) -> dict[str, tuple[str, str]]:
    return {feat: (f"{feat}_f", f"{feat}_d") for feat in counts}


STANDARD = ["QAAAO", "RIIIM", "RIIIM", "RIIIM", "RRRRQ"]


def naive_kano(data: pd.DataFrame, pairs: dict, weights=None) -> pd.DataFrame:
    """A deliberately plain row-by-row reference implementation (standard table)."""
    w = np.ones(len(data)) if weights is None else np.asarray(weights, float)
    rows = []
    for feat, (fc, dc) in pairs.items():
        tally = dict.fromkeys("AOMIRQ", 0.0)
        n = 0
        for i in range(len(data)):
            f, d = data[fc].iloc[i], data[dc].iloc[i]
            if pd.isna(f) or pd.isna(d):
                continue
            tally[STANDARD[int(f) - 1][int(d) - 1]] += w[i]
            n += 1
        total = sum(tally.values())
        aomi = tally["A"] + tally["O"] + tally["M"] + tally["I"]
        rows.append(
            {
                "feature": feat,
                "n": n,
                **tally,
                **{f"share_{k}": v / total for k, v in tally.items()},
                "better": (tally["A"] + tally["O"]) / aomi if aomi else np.nan,
                "worse": -(tally["O"] + tally["M"]) / aomi if aomi else np.nan,
            }
        )
    return pd.DataFrame(rows)
