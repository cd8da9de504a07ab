"""Result-contract cases of the brand funnel and the brand comparison (collected by
tests/test_result_contract.py).

Each builder takes the sample (``nl.load_sample()``) and returns ``(result, rows given)``: the
funnel counts respondents (rows of ``brand_survey``), the comparison rating rows (rows of
``brand_ratings``). A sample without the brand files falls back to small in-test frames of the
same format. Some rows are blanked so that exclusions are counted and explained.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from needlab.market.brands import compare_brands
from needlab.market.funnel import brand_funnel

BRANDS = ["Lumo", "Vetta", "Orin", "Kaiya", "Brisa"]
STAGES = {
    "aware": "aware_{brand}",
    "consider": "consider_{brand}",
    "current": "current_brand",
    "preferred": "preferred_brand",
}
ATTRS = ["quality", "price", "value", "service"]


def _survey(sample: Any) -> pd.DataFrame:
    if hasattr(sample, "brand_survey"):
        return sample.brand_survey.copy()
    rng = np.random.default_rng(0)
    n = 200
    df = pd.DataFrame({"resp_id": range(n), "weight": rng.uniform(0.5, 1.5, n)})
    for b in BRANDS:
        df[f"aware_{b.lower()}"] = (rng.random(n) < 0.8).astype(int)
        df[f"consider_{b.lower()}"] = df[f"aware_{b.lower()}"] * (rng.random(n) < 0.6)
    df["current_brand"] = rng.choice(BRANDS, n)
    df["preferred_brand"] = rng.choice(BRANDS, n)
    df["region"] = rng.choice(["N", "S"], n)
    return df


def _ratings(sample: Any) -> pd.DataFrame:
    if hasattr(sample, "brand_ratings"):
        return sample.brand_ratings.copy()
    rng = np.random.default_rng(1)
    n = 100
    df = pd.DataFrame({"resp_id": np.repeat(np.arange(n), 3), "brand": np.tile(BRANDS[:3], n)})
    df["weight"] = np.repeat(rng.uniform(0.5, 1.5, n), 3)
    for a in ATTRS:
        df[a] = rng.integers(1, 11, len(df)).astype(float)
    return df


def _funnel(sample: Any) -> tuple[Any, int]:
    df = _survey(sample)
    df["aware_orin"] = df["aware_orin"].astype(float)
    df.loc[df.index[:3], "aware_orin"] = np.nan  # excluded with a note
    res = brand_funnel(df, BRANDS, STAGES, weights="weight", own="Lumo")
    return res, len(df)


def _brands(sample: Any) -> tuple[Any, int]:
    df = _ratings(sample)
    df.loc[df.index[:2], ATTRS] = np.nan  # no rating: excluded with a note
    res = compare_brands(df, "brand", ATTRS, own="Lumo", id="resp_id", weights="weight")
    return res, len(df)


CASES = {"FunnelResult": _funnel, "BrandComparison": _brands}
