"""What every tables result draws: bars, intervals, labels and the comparison's difference."""

from __future__ import annotations

from collections.abc import Iterator

import matplotlib
import numpy as np
import pandas as pd
import pytest

import needlab as nl
from needlab.errors import ConfigError

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


@pytest.fixture(autouse=True)
def _close() -> Iterator[None]:
    yield
    plt.close("all")


def nps_frame(p: int, m: int, d: int) -> pd.DataFrame:
    return pd.DataFrame({"ltr": [10] * p + [7] * m + [3] * d})


def _ticks(ax: matplotlib.axes.Axes, axis: str = "x") -> list[str]:
    ticks = ax.get_xticklabels() if axis == "x" else ax.get_yticklabels()
    return [t.get_text() for t in ticks]


def test_comparison_plot_marks_significance() -> None:
    a, b = nps_frame(30, 30, 40), nps_frame(60, 20, 20)
    r = nl.compare_nps(a, b, var="ltr", names=("wave 1", "wave 2"))
    assert r.significant  # -10 vs 40: z about 4
    ax = r.plot()
    assert _ticks(ax) == ["wave 1", "wave 2"]
    # two points with their intervals, and the bracket
    assert len(ax.containers) == 2
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == 1 and "+50" in texts[0] and "significant" in texts[0]
    assert "not significant" not in texts[0]
    # the intervals drawn are those of nps() per sample
    seg = ax.containers[0].lines[2][0].get_segments()[0]
    lo, hi = nl.nps(a, "ltr").table.loc[0, ["ci_low", "ci_high"]]
    assert (seg[0][1], seg[1][1]) == pytest.approx((lo, hi))
    same = nl.compare_nps(a, a, var="ltr")
    ax2 = same.plot()
    assert "not significant" in ax2.texts[0].get_text()
    assert ax2.lines[-1].get_linestyle() == "--"


def test_comparison_plot_measure() -> None:
    a = pd.DataFrame({"sat": [5] * 60 + [2] * 40})
    b = pd.DataFrame({"sat": [5] * 70 + [2] * 30})
    r = nl.compare_csat(a, b, var="sat")
    ax = r.plot(measure="mean")
    assert "mean" in ax.get_ylabel()
    y = [c.lines[0].get_ydata()[0] for c in ax.containers]
    assert y == pytest.approx([3.8, 4.1])
    with pytest.raises(ConfigError, match="measure"):
        r.plot(measure="nps")


def test_score_and_box_plots() -> None:
    df = pd.DataFrame(
        {"ltr": [10, 9, 3, 7, 10, 2] * 5, "g": list("aabbcc") * 5, "q1": [5, 4, 3, 2, 1, 5] * 5}
    )
    ax = nl.nps(df, "ltr", by="g").plot()
    assert _ticks(ax, "y") == ["a", "b", "c", "Total"]
    # bar widths are the NPS: group a has 10 promoters of 10 answers
    assert [p.get_width() for p in ax.patches][0] == pytest.approx(100)
    assert len(ax.patches) == 4
    ax = nl.csat(df, "q1").plot()
    assert len(ax.patches) == 1 and ax.get_xlabel() == "% satisfied"
    ax = nl.top_box(df, ["q1"], scale_max=5, by="g").plot()
    assert len(ax.patches) == 4  # one item, three groups and the total


def test_table_plots() -> None:
    df = pd.DataFrame({"sat": list("xyzx") * 10, "r": list("NNSS") * 10, "v": range(40)})
    f = nl.freq(df, "sat")
    ax = f.plot()
    assert len(ax.patches) == 3 and _ticks(ax) == ["x", "y", "z"]
    ct = nl.crosstab(df, "sat", "r")
    ax = ct.plot()
    assert len(ax.images) == 1 and len(ax.texts) == 9  # 3 rows x (2 columns + Total)
    ax = nl.compare_means(df, "v", "r").plot()
    assert len(ax.patches) == 3
    b = nl.banner(df, ["sat"], ["r"])
    ax = b.plot()
    assert len(ax.texts) == 9
    w = nl.rake(df, {"r": {"N": 0.3, "S": 0.7}})
    ax = w.plot(bins=5)
    assert len(ax.patches) == 5
    assert np.sum([p.get_height() for p in ax.patches]) == 40
