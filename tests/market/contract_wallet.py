"""Result-contract cases of share_of_wallet, switching, market_size/trend and benchmark
(collected by tests/test_result_contract.py). Small in-test data and the sample's
competitors.csv; the unit of each case is documented in its function."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from needlab.market.benchmark import benchmark
from needlab.market.size import market_trend
from needlab.market.switching import switching
from needlab.market.wallet import share_of_wallet


def _wallet(sample: Any) -> tuple[Any, int]:
    # respondents; one without category spend is excluded
    rng = np.random.default_rng(0)
    a = rng.integers(0, 101, 40).astype(float)
    df = pd.DataFrame({"spend_lumo": a, "spend_vetta": 100 - a, "seg": ["x", "y"] * 20})
    df.loc[3, ["spend_lumo", "spend_vetta"]] = np.nan
    return share_of_wallet(df, ["Lumo", "Vetta"], by="seg", own="Lumo"), len(df)


def _switching(sample: Any) -> tuple[Any, int]:
    # customers; one without a current brand is excluded
    df = pd.DataFrame(
        {
            "prev": ["A", "A", "B", "B", "C", None, "C", "A"],
            "now": ["A", "B", "B", "C", "A", "A", "C", None],
        }
    )
    return switching(df, "prev", "now"), len(df)


def _market(sample: Any) -> tuple[Any, int]:
    # rows of the selected KPI
    c = sample.competitors
    return market_trend(c, kpi="share", horizon=2), int((c["kpi"] == "share").sum())


def _benchmark(sample: Any) -> tuple[Any, int]:
    # own KPI rows
    own = pd.DataFrame(
        {
            "kpi": ["csat", "csat", "nps"],
            "period": ["2024H1", "2024H2", "2024H2"],
            "value": [74.0, 78.0, np.nan],
            "se": [1.0, 1.2, 2.0],
        }
    )
    return benchmark(own, against=sample.competitors, se="se", period="period", own="Lumo 智家"), 3


CASES = {
    "WalletResult": _wallet,
    "SwitchingResult": _switching,
    "MarketResult": _market,
    "BenchmarkResult": _benchmark,
}
