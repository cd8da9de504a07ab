"""benchmark: gaps and z tests by hand, history, KPI results, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

import needlab as nl
from needlab.errors import ConfigError, DataError, SchemaError
from needlab.market.benchmark import benchmark

COMP = pd.DataFrame(
    {
        "brand": ["Own", "A", "B", "Own", "A", "B"],
        "period": ["2024H1"] * 3 + ["2024H2"] * 3,
        "kpi": ["csat"] * 6,
        "value": [70.0, 72.0, 68.0, 73.0, 75.0, 71.0],
        "se": [1.0, 1.5, 2.0, 1.0, 1.5, 2.0],
    }
)


def test_gaps_and_z_by_hand() -> None:
    own = pd.DataFrame({"kpi": ["CSAT "], "value": [76.0], "se": [1.0], "period": ["2024H2"]})
    res = benchmark(own, against=COMP, se="se", period="period", own="Own")
    t = res.table.set_index("against")
    # history from the own brand's earlier row in against
    assert t.loc["2024H1", "gap"] == pytest.approx(6.0)
    assert t.loc["2024H1", "z"] == pytest.approx(6 / np.sqrt(2))
    # industry average of the competitors in 2024H2: (75 + 71)/2, se sqrt(1.5^2+2^2)/2
    assert t.loc["industry average", "benchmark"] == pytest.approx(73.0)
    se_ind = np.sqrt(1.5**2 + 2**2) / 2
    assert t.loc["industry average", "se_gap"] == pytest.approx(np.sqrt(1 + se_ind**2))
    zb = (76 - 71) / np.sqrt(1 + 4)
    assert t.loc["B", "z"] == pytest.approx(zb)
    assert t.loc["B", "p"] == pytest.approx(2 * norm.sf(zb))
    assert bool(t.loc["B", "significant"])
    assert not bool(t.loc["A", "significant"])  # z = 1/1.80
    assert "Own" not in t.index
    assert res.table["reference"].tolist() == ["history", "industry", "competitor", "competitor"]


def test_history_in_data_and_untested() -> None:
    own = pd.DataFrame(
        {"kpi": ["csat", "csat"], "period": ["2024H1", "2024H2"], "value": [70.0, 74.0]}
    )
    res = benchmark(own, against=COMP.drop(columns="se"), period="period", own="Own")
    hist = res.table[res.table["reference"] == "history"]
    assert hist["gap"].tolist() == [4.0]
    assert not res.table["tested"].any() and not res.table["significant"].any()
    assert res.table["z"].isna().all()
    assert any("not tested" in n for n in res.notes)


def test_latest_period_fallback_and_kpi_result() -> None:
    s = nl.load_sample()
    k = nl.kpi(s.survey_wave1, "nps")
    res = benchmark(k, against=s.competitors, own="Lumo 智家")
    assert any("latest benchmark period" in n for n in res.notes)
    ind = res.table[res.table["reference"] == "industry"].iloc[0]
    c = s.competitors
    comp = c[(c["kpi"] == "nps") & (c["period"] == "2024H2") & (c["brand"] != "Lumo 智家")]
    assert ind["benchmark"] == pytest.approx(comp["value"].mean())
    assert ind["tested"]
    res.plot()


def test_missing_value_excluded() -> None:
    own = pd.DataFrame({"kpi": ["csat", "nps"], "value": [74.0, np.nan]})
    res = benchmark(own, against=COMP)
    assert (res.n_used, res.n_excluded) == (1, 1)


def test_bad_input() -> None:
    own = pd.DataFrame({"kpi": ["csat"], "value": [74.0]})
    with pytest.raises(SchemaError, match="valu"):
        benchmark(own, against=COMP, var="valu")
    with pytest.raises(SchemaError, match="against column"):
        benchmark(own, against=COMP.drop(columns="brand"))
    with pytest.raises(ConfigError, match="own='Lumo'"):
        benchmark(own, against=COMP, own="Lumo")
    with pytest.raises(DataError, match="none of the own KPIs.*'retention'"):
        benchmark(pd.DataFrame({"kpi": ["retention"], "value": [50.0]}), against=COMP)
    with pytest.raises(DataError, match="twice"):
        benchmark(pd.DataFrame({"kpi": ["csat", "csat"], "value": [1.0, 2.0]}), against=COMP)
    with pytest.raises(ConfigError, match="alpha"):
        benchmark(own, against=COMP, alpha=5)
    with pytest.raises(DataError, match="negative standard errors"):
        benchmark(own.assign(se=-1.0), against=COMP, se="se")
