"""Result-contract case of the perceptual map (collected by tests/test_result_contract.py).

Built on the sample's brand image table (``sample.brand_image``: ``brand`` then one count column
per image attribute) when the sample has it, else on a small in-test brand x attribute table.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from needlab.market.perceptual import perceptual_map

#: A small brand x image-attribute table of counts (respondents saying the attribute fits).
IMAGE = pd.DataFrame(
    {
        "brand": ["Lumo", "Vetta", "Orin", "Kaiya", "Brisa"],
        "innovative": [120, 40, 70, 55, 30],
        "reliable": [90, 60, 110, 80, 45],
        "affordable": [35, 140, 50, 40, 90],
        "premium": [100, 20, 60, 75, 15],
        "friendly_service": [60, 35, 45, 130, 40],
        "stylish": [95, 30, 40, 50, 70],
    }
)


def _perceptual(sample: Any) -> tuple[Any, int]:
    img = getattr(sample, "brand_image", None)
    if not isinstance(img, pd.DataFrame) or "brand" not in img.columns:
        img = IMAGE
    return perceptual_map(img, rows="brand"), len(img)


CASES = {"PerceptualMap": _perceptual}
