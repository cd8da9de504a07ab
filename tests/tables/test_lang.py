"""Tests of ``lang="zh"`` on freq, nps, csat, top_box, compare_nps / compare_csat and rake."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from needlab._i18n import TABLE_LABELS as LABELS
from needlab.errors import ConfigError
from needlab.tables import compare_csat, compare_nps, csat, nps, top_box
from needlab.tables.freq import MISSING_LABEL, freq
from needlab.tables.weighting import rake


@pytest.fixture
def df() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "ltr": [10, 9, 8, 7, 3, 0, 10, np.nan],
            "sat": [5, 4, 3, 2, 1, 5, np.nan, 4],
            "speed": [5, 5, 4, 1, 2, 3, 4, 4],
            "region": ["北", "南", "北", "南", "北", "南", "北", "南"],
            "w": [1.0, 2.0, 1.0, 1.0, 0.5, 1.0, 1.5, 1.0],
        }
    )


def test_total_label_is_shared_with_crosstab() -> None:
    assert LABELS["zh"]["total"] == "合计"


def test_freq_zh_missing_label_and_title(df: pd.DataFrame) -> None:
    en, zh = freq(df, "sat"), freq(df, "sat", lang="zh")
    assert en.table["value"].iloc[-1] == MISSING_LABEL and en.title == "Frequencies"
    assert zh.table["value"].iloc[-1] == "缺失"
    assert zh.title == "频数表" and zh.lang == "zh"
    # Only the label differs; the column names (the API) and numbers stay the same.
    assert list(zh.table.columns) == list(en.table.columns)
    pd.testing.assert_frame_equal(zh.table.drop(columns="value"), en.table.drop(columns="value"))
    lab = freq(df, "sat", labels={5: "很满意"}, lang="zh").table["label"].tolist()
    assert lab[0] == "1.0" and lab[-2] == "很满意" and lab[-1] == "缺失"
    assert "频数表" in repr(zh) and "<h4>频数表</h4>" in zh._repr_html_()


def test_nps_csat_zh_total_row_and_title(df: pd.DataFrame) -> None:
    for fn, col, title in ((nps, "ltr", "净推荐值 NPS"), (csat, "sat", "满意度 CSAT")):
        en = fn(df, col, by="region", weights="w")
        zh = fn(df, col, by="region", weights="w", lang="zh")
        assert en.table["group"].tolist() == ["北", "南", "Total"]
        assert zh.table["group"].tolist() == ["北", "南", "合计"]
        assert zh.title == title and en.title != title
        assert list(zh.table.columns) == list(en.table.columns)
        pd.testing.assert_frame_equal(
            zh.table.drop(columns="group"), en.table.drop(columns="group")
        )
        assert zh.summary() == en.summary()  # the total row is still found
        # Without groups the only row is the total.
        assert fn(df, col, lang="zh").table["group"].tolist() == ["合计"]
    assert nps(df, "ltr", by="region", lang="zh").score == nps(df, "ltr").score


def test_group_called_total_is_not_taken_for_the_total_row() -> None:
    d = pd.DataFrame({"ltr": [10, 10, 0, 0, 0], "g": ["Total", "Total", "x", "x", "x"]})
    r = nps(d, "ltr", by="g")
    assert r.score == pytest.approx(-20)  # the real total, not the group named "Total"


def test_top_box_zh(df: pd.DataFrame) -> None:
    zh = top_box(df, ["sat", "speed"], by="region", scale_max=5, lang="zh")
    en = top_box(df, ["sat", "speed"], by="region", scale_max=5)
    assert zh.table["group"].tolist() == ["北", "南", "合计"] * 2
    assert zh.title == "高分框 Top box" and en.title == "Top box"
    pd.testing.assert_frame_equal(zh.table.drop(columns="group"), en.table.drop(columns="group"))
    bottom = top_box(df, ["sat"], bottom=True, scale_min=1, lang="zh")
    assert bottom.title == "低分框 Bottom box" and "group" not in bottom.table


def test_compare_zh_title_keeps_measures(df: pd.DataFrame) -> None:
    a, b = df.iloc[:4], df.iloc[4:]
    r = compare_nps(a, b, var="ltr", lang="zh")
    assert r.title == "净推荐值 NPS：两个独立样本的比较"
    assert r.table["measure"].tolist() == ["nps"]
    c = compare_csat(a, b, var="sat", lang="zh")
    assert c.title == "满意度 CSAT：两个独立样本的比较"
    assert c.table["measure"].tolist() == ["satisfied", "mean"]
    assert c.p_value == compare_csat(a, b, var="sat").p_value


def test_rake_zh_title(df: pd.DataFrame) -> None:
    targets = {"region": {"北": 0.4, "南": 0.6}}
    zh, en = rake(df, targets, lang="zh"), rake(df, targets)
    assert zh.title == "加权 Raking" and en.title == "Raking weights"
    pd.testing.assert_series_equal(zh.weights, en.weights)


@pytest.mark.parametrize(
    "call",
    [
        lambda d: freq(d, "sat", lang="fr"),
        lambda d: nps(d, "ltr", lang="de"),
        lambda d: csat(d, "sat", lang="EN"),
        lambda d: top_box(d, ["sat"], lang="cn"),
        lambda d: compare_nps(d, d, var="ltr", lang="jp"),
        lambda d: compare_csat(d, d, var="sat", lang="jp"),
        lambda d: rake(d, {"region": {"北": 0.5, "南": 0.5}}, lang="x"),
    ],
)
def test_bad_lang(df: pd.DataFrame, call) -> None:
    with pytest.raises(ConfigError, match="lang"):
        call(df)
