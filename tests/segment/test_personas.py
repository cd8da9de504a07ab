"""Tests of needlab.segment.personas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from needlab.errors import ConfigError, SchemaError
from needlab.segment.personas import personas
from needlab.segment.profile import profile


@pytest.fixture
def prof():
    # segment a: young, big city, app users; b: older, small city; c: average (no trait)
    n = 60
    df = pd.DataFrame(
        {
            "seg": np.repeat(["a", "b", "c"], n),
            "age": np.r_[
                20 + np.arange(n) % 6, 50 + np.arange(n) % 6, 34 + np.arange(n) % 6
            ].astype(float),
            "city": np.r_[
                ["big"] * 55 + ["small"] * 5,
                ["small"] * 55 + ["big"] * 5,
                ["big"] * 30 + ["small"] * 30,
            ],
            "app": np.r_[[True] * 50 + [False] * 10, [False] * 60, [True] * 30 + [False] * 30],
        }
    )
    return profile(df, ["age", "city", "app"], by="seg")


def test_names_from_traits(prof) -> None:
    res = personas(prof, labels={"age-": "Young", "age+": "Older", "city = big": "Big city"})
    t = res.table.set_index("segment")
    assert list(res.table.columns) == [
        "segment",
        "name",
        "size",
        "share",
        "traits",
        "needs",
        "pains",
    ]
    # a: app (index 83.3/44.4 = 188) > big city (91.7/50 = 183) > young (22.5/37.2 = 61, |log| 0.49)
    assert t.loc["a", "name"] == "app · Big city · Young"
    assert t.loc["b", "name"] == "small · not app · Older"
    assert t.loc["c", "name"] == "Segment c"  # no significant trait
    assert any("'c'" in n for n in res.notes)
    assert t.loc["a", "size"] == 60 and t.loc["a", "share"] == pytest.approx(1 / 3)
    assert res.cards[0]["traits"] == [
        "app: 83% vs 44% (index 188)",
        "Big city: 92% vs 50% (index 183)",
        "Young: 22.5 vs 37.2 (index 61)",
    ]
    assert t.loc["a", "traits"] == "; ".join(res.cards[0]["traits"])


def test_large_means_read_as_plain_numbers() -> None:
    # spend in yuan reads "7,546 vs 5,046", never "7.55e+03 vs 5.05e+03"
    df = pd.DataFrame(
        {
            "seg": ["a"] * 30 + ["b"] * 30,
            "spend": [7500.0 + 10 * (i % 11) for i in range(30)]
            + [2500.0 + 10 * (i % 11) for i in range(30)],
            "small": [0.0012 + 0.0001 * (i % 3) for i in range(30)]
            + [0.0042 + 0.0001 * (i % 3) for i in range(30)],
        }
    )
    res = personas(profile(df, ["spend", "small"], by="seg"))
    t = res.table.set_index("segment")
    assert t.loc["a", "traits"] == (
        "low small: 0.0013 vs 0.0028 (index 46); high spend: 7,546 vs 5,046 (index 150)"
    )
    assert "e+" not in res.to_markdown()


def test_top_and_names_override(prof) -> None:
    res = personas(prof, top=1, names={"a": "Digital natives"})
    assert res.table.loc[0, "name"] == "Digital natives"
    assert all(len(c["traits"]) <= 1 for c in res.cards)
    plain = personas(prof)
    assert "low age" in plain.table.loc[0, "name"]


def test_needs_and_pains(prof) -> None:
    kano = pd.DataFrame(
        {
            "segment": ["a", "a", "a", "b", "b"],
            "feature": ["app control", "quiet", "voice", "quiet", "price"],
            "category": ["A", "O", "A", "M", "O"],
            "better": [0.8, 0.3, 0.6, 0.7, 0.9],
        }
    )
    pains = pd.DataFrame(
        {
            "segment": ["a", "b", "b", "zz"],
            "code": ["bugs", "delivery", "price", "x"],
            "share": [0.2, 0.15, 0.35, 0.5],
        }
    )
    res = personas(prof, top=2, needs=kano, pains=pains)
    t = res.table.set_index("segment")
    assert t.loc["a", "needs"] == "app control (0.80); voice (0.60)"
    assert t.loc["b", "pains"] == "price (35%); delivery (15%)"
    assert t.loc["c", "needs"] == ""
    assert any("zz" in n for n in res.notes)
    with pytest.raises(SchemaError, match="score"):
        personas(prof, needs=kano.drop(columns="better"))
    with pytest.raises(SchemaError, match="segment"):
        personas(prof, pains=pains.drop(columns="segment"))


def test_html_and_markdown_escape_user_text() -> None:
    evil = "<script>alert(1)</script>"
    df = pd.DataFrame(
        {"seg": ["x"] * 40 + ["y"] * 40, "q": [evil] * 38 + ["ok"] * 2 + ["ok"] * 38 + [evil] * 2}
    )
    res = personas(
        profile(df, ["q"], by="seg"),
        pains=pd.DataFrame({"segment": ["x"], "label": [evil], "share": [0.5]}),
        names={"y": "<b>bold</b>"},
    )
    page = res._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    md = res.to_markdown()
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert res.table.loc[0, "name"] == evil  # the table keeps the raw text


def test_chinese_headings(prof) -> None:
    res = personas(prof, lang="zh")
    assert "关键特征" in res.to_markdown()
    assert "客户画像" in res._repr_html_()
    assert "年龄" not in res.table.loc[0, "name"] and "age低" in res.table.loc[0, "name"]


def test_planted_sample_personas() -> None:
    from needlab.datasets import load_sample

    s = load_sample()
    data = s.customers.assign(segment=s.truth.customers["segment"].to_numpy())
    res = personas(
        profile(data, ["age", "city_tier", "income_band"], by="segment"), labels={"age-": "Young"}
    )
    t = res.table.set_index("segment")
    assert t.loc["premium", "name"].split(" · ")[0] == "4万以上"
    assert "Young" in t.loc["tech", "traits"]


def test_bad_input(prof) -> None:
    with pytest.raises(ConfigError, match="profile"):
        personas(pd.DataFrame())  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="top"):
        personas(prof, top=0)
    with pytest.raises(ConfigError, match="lang"):
        personas(prof, lang="fr")  # type: ignore[arg-type]


def test_no_significant_trait_anywhere() -> None:
    rng = np.random.default_rng(0)
    df = pd.DataFrame(
        {
            "k": rng.choice([3, 1, 2], 150),
            "x": rng.normal(size=150) + 5,
            "r": rng.choice(["u", "v"], 150),
        }
    )
    res = personas(profile(df, ["x", "r"], by="k", alpha=1e-9))
    assert res.table["name"].tolist() == ["Segment 1", "Segment 2", "Segment 3"]
    assert (res.table["traits"] == "").all() and len(res.notes) == 3


def test_pains_from_a_pain_matrix_result() -> None:
    """A per-segment pain matrix goes in as it is; cards show the code names and shares."""
    from needlab.painpoints.coding import code_text
    from needlab.painpoints.matrix import pain_matrix

    fb = pd.DataFrame(
        {
            "seg": ["x"] * 40 + ["y"] * 40,
            "age": [25 + i % 7 for i in range(40)] + [50 + i % 7 for i in range(40)],
            "text": ["物流太慢了"] * 30 + ["很好用"] * 10 + ["客服态度很差"] * 20 + ["很好用"] * 20,
        }
    )
    pm = pain_matrix(code_text(fb, "text", by="seg"), by="seg")
    res = personas(profile(fb, ["age"], by="seg"), pains=pm)
    t = res.table.set_index("segment")
    late = pm.table.query("seg == 'x'").iloc[0]
    assert t.loc["x", "pains"] == f"{late['name']} ({late['share'] * 100:.0f}%)"
    assert t.loc["x", "pains"] == "Late or slow delivery (75%)"
    assert t.loc["y", "pains"].startswith("Rude or poor attitude (50%)")


def test_counts_traits_and_plot(prof) -> None:
    import matplotlib.pyplot as plt

    res = personas(prof, top=2)
    assert (res.n_used, res.n_excluded) == (prof.n_used, prof.n_excluded) == (180, 0)
    # the traits table holds what the cards show, with the profile's indices
    a = res.traits[res.traits["segment"] == "a"]
    assert len(a) == 2 and len(res.traits[res.traits["segment"] == "c"]) == 0
    cell = prof.table.query("segment == 'a' and variable == 'city' and level == 'big'")
    assert cell["index"].iloc[0] in a["index"].tolist()
    ax = res.plot()
    # one bar per shown trait, from 100 to its index; one heading per persona
    assert len(ax.patches) == len(res.traits)
    widths = sorted(round(p.get_width(), 6) for p in ax.patches)
    assert widths == sorted(round(v - 100, 6) for v in res.traits["index"])
    headings = [t.get_text() for t in ax.texts if "n = " in t.get_text()]
    assert len(headings) == 3 and headings[0].startswith(res.table["name"].iloc[0])
    plt.close("all")


def test_names_are_unique_next_trait_then_number() -> None:
    # a and b are both all big-city (the most distinctive trait of each); a also uses the app
    n = 60
    app = np.r_[[True] * 48 + [False] * 12, [True] * 30 + [False] * 30, [True] * 40 + [False] * 20]
    df = pd.DataFrame(
        {
            "seg": np.repeat(["a", "b", "c"], n),
            "city": ["big"] * (2 * n) + ["small"] * n,
            "app": app,
        }
    )
    prof = profile(df, ["city", "app"], by="seg")
    res = personas(prof, name_traits=1)
    names = res.table.set_index("segment")["name"]
    assert names.is_unique
    assert names["a"].startswith("big") and names["b"].startswith("big")
    assert names["a"] == "big · app"  # disambiguated by its next distinctive trait
    # identical segments: no trait tells them apart, so they are numbered
    twin = pd.DataFrame(
        {
            "seg": np.repeat(["a", "b", "c"], n),
            "city": ["big"] * (2 * n) + ["small"] * n,
        }
    )
    res2 = personas(profile(twin, ["city"], by="seg"))
    names2 = res2.table["name"].tolist()
    assert len(set(names2)) == 3
    assert names2[:2] == ["big (1)", "big (2)"]
    assert any("numbered" in x for x in res2.notes)


def test_high_index_low_share_trait_does_not_name() -> None:
    # 10% of segment a fly "Eco Plus" against 1% elsewhere (index about 250): a fact, not a name
    n = 400
    rng = np.random.default_rng(0)
    df = pd.DataFrame(
        {
            "seg": np.repeat(["a", "b", "c"], n),
            "cabin": np.r_[
                ["Eco Plus"] * 40 + ["Business"] * 260 + ["Eco"] * 100,
                ["Eco Plus"] * 4 + ["Business"] * 96 + ["Eco"] * 300,
                ["Eco Plus"] * 4 + ["Business"] * 96 + ["Eco"] * 300,
            ],
            "distance": np.r_[rng.normal(2000, 300, n), rng.normal(800, 300, 2 * n)],
        }
    )
    prof = profile(df, ["cabin", "distance"], by="seg")
    cell = prof.table.query("segment == 'a' and level == 'Eco Plus'")
    assert cell["mark"].iloc[0] == "+" and cell["index"].iloc[0] > 200
    res = personas(prof, min_share=0.3)
    name_a = res.table.set_index("segment").loc["a", "name"]
    assert "Eco Plus" not in name_a and "Business" in name_a
    assert any(f.startswith("Eco Plus: 10%") for f in res.cards[0]["traits"])  # still a fact
    assert any("Eco Plus" in x and "30%" in x for x in res.notes)
    # the trait table carries the share next to the index, and the chart shows it
    row = res.traits.query("segment == 'a' and label == 'Eco Plus'")
    assert row["share"].iloc[0] == pytest.approx(0.1)
    ax = res.plot()
    assert any("10% of segment" in t.get_text() for t in ax.texts)
    import matplotlib.pyplot as plt

    plt.close("all")
    # with min_share=0 the old behaviour comes back
    loose = personas(prof, min_share=0)
    assert loose.table.set_index("segment").loc["a", "name"].startswith("Eco Plus")
    with pytest.raises(ConfigError, match="min_share"):
        personas(prof, min_share=1.5)
