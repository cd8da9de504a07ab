"""Multi-response questions: indicators, percentages of respondents, overlap-corrected tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from needlab.errors import ConfigError, DataError
from needlab.tables.banner import banner
from needlab.tables.crosstab import crosstab
from needlab.tables.multi import indicators, multi, overlap_test


@pytest.fixture
def data() -> pd.DataFrame:
    # 8 respondents; channels chosen (0/1) and the same as a delimited column.
    return pd.DataFrame(
        {
            "on": [1, 1, 0, 1, 0, 1, np.nan, 1],
            "shop": [0, 1, 1, 1, 0, 0, np.nan, 0],
            "tv": [0, 0, 1, 0, 1, 1, np.nan, 0],
            "codes": ["1", "1;2", "2;3", "1;2", "3", "1;3", None, "1"],
            "g": ["m", "m", "m", "m", "f", "f", "f", "f"],
        }
    )


def test_indicators_from_columns_and_delimited_agree(data) -> None:
    a, va, la = indicators(data, multi(["on", "shop", "tv"], labels={"on": "Online"}))
    b, vb, lb = indicators(
        data, multi("codes", delimiter=";", labels={1: "Online", 2: "shop", 3: "tv"})
    )
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(va, vb)
    assert la == lb == ["Online", "shop", "tv"]
    assert va.tolist() == [True] * 6 + [False, True]


def test_multi_row_percent_of_respondents(data) -> None:
    res = crosstab(data, multi(["on", "shop", "tv"]), "g")
    # m: 4 respondents, online 3, shop 3, tv 1; f: 3 answered (row 6 not asked): 2, 0, 2.
    assert res.percent["m"].tolist() == [75.0, 75.0, 25.0]
    assert res.percent["f"].round(4).tolist() == [66.6667, 0.0, 66.6667]
    assert res.bases.loc["unweighted"].tolist() == [3, 4, 7]
    assert res.percent["f"].sum() > 100
    assert any("1 of 8 rows excluded" in n for n in res.notes)
    assert res.chi2.empty
    # Disjoint columns: the ordinary pooled z test per answer.
    r = res.pvalues[(res.pvalues["row"] == "on") & (res.pvalues["column_b"] == "m")].iloc[0]
    p = (2 + 3) / 7
    z = (2 / 3 - 0.75) / np.sqrt(p * (1 - p) * (1 / 3 + 1 / 4))
    assert r["statistic"] == pytest.approx(z)


def test_overlap_test_by_hand() -> None:
    # y for 5 respondents; A = {0,1,2,3}, B = {2,3,4}: respondents 2 and 3 are in both.
    y = np.array([[1.0], [0.0], [1.0], [1.0], [0.0]])
    w = np.ones(5)
    a = np.array([[1.0], [1.0], [1.0], [1.0], [0.0]])
    b = np.array([[0.0], [0.0], [1.0], [1.0], [1.0]])
    pa, pb, z, p = overlap_test(y, w, a, b)
    assert pa[0, 0] == pytest.approx(0.75) and pb[0, 0] == pytest.approx(2 / 3)
    var_a = ((1 - 0.75) ** 2 * 3 + 0.75**2) / 16
    var_b = ((1 - 2 / 3) ** 2 * 2 + (2 / 3) ** 2) / 9
    cov = ((1 - 0.75) * (1 - 2 / 3) * 2) / (4 * 3)
    zz = (0.75 - 2 / 3) / np.sqrt(var_a + var_b - 2 * cov)
    assert z[0, 0] == pytest.approx(zz)
    assert p[0, 0] == pytest.approx(2 * stats.norm.sf(abs(zz)))


def test_multi_column_uses_overlap_and_is_exact_for_identical_groups() -> None:
    rng = np.random.default_rng(2)
    n = 400
    df = pd.DataFrame({"sat": rng.choice(["lo", "hi"], n), "x": rng.integers(0, 2, n)})
    df["y"] = df["x"]  # two banner columns holding the same respondents
    res = crosstab(df, "sat", multi(["x", "y"]))
    r = res.pvalues[res.pvalues["column_b"] == "y"]
    # Identical groups: the difference is 0 with zero variance, so not testable, never "significant".
    assert not r["testable"].any()
    assert (res.letters == "").all().all()


def test_banner_with_multi_column(data) -> None:
    m = multi(["on", "shop", "tv"], name="channel")
    res = banner(data.assign(sat=[1, 2, 1, 2, 1, 2, 1, 2]), ["sat"], ["g", m])
    heads = list(res.display().columns.get_level_values(1))
    assert heads == ["Total", "f (A)", "m (B)", "on (C)", "shop (D)", "tv (E)"]


def test_bad_multi_input(data) -> None:
    with pytest.raises(DataError, match="0/1"):
        indicators(data.assign(on=[1, 2, 0, 1, 0, 1, 0, 1]), multi(["on", "shop"]))
    with pytest.raises(ConfigError, match="two or more"):
        multi(["on"])
    with pytest.raises(ConfigError, match="nets"):
        crosstab(data, multi(["on", "shop"]), "g", nets={"any": ["on", "shop"]})
