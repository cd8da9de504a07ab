"""Column means (Welch) and banner tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from needlab.errors import DataError
from needlab.tables.banner import banner
from needlab.tables.crosstab import crosstab
from needlab.tables.means import compare_means


@pytest.fixture
def survey() -> pd.DataFrame:
    rng = np.random.default_rng(4)
    n = 600
    df = pd.DataFrame(
        {
            "sat": rng.integers(1, 6, n),
            "g": rng.choice(["m", "f"], n),
            "r": rng.choice(list("NSE"), n),
            "ltr": rng.integers(0, 11, n).astype(float),
            "w": rng.uniform(0.5, 2.0, n),
        }
    )
    df.loc[df["g"] == "m", "sat"] = np.minimum(5, df.loc[df["g"] == "m", "sat"] + 1)
    df.loc[:9, "ltr"] = np.nan
    return df


def test_unweighted_means_match_scipy_welch(survey) -> None:
    res = compare_means(survey, "ltr", "r")
    ok = survey["ltr"].notna()
    pairs = res.pvalues[res.pvalues["column_b"] != "Total"]
    assert len(pairs) == 3
    for _, p in pairs.iterrows():
        a = survey.loc[ok & (survey["r"] == p["column_a"]), "ltr"]
        b = survey.loc[ok & (survey["r"] == p["column_b"]), "ltr"]
        ref = stats.ttest_ind(a, b, equal_var=False)
        assert p["statistic"] == pytest.approx(ref.statistic)
        assert p["p_value"] == pytest.approx(ref.pvalue)
    # Against Total: the column against the rest of the sample (the overlap-free test).
    vs_total = res.pvalues[res.pvalues["column_b"] == "Total"]
    assert vs_total["column_a"].tolist() == ["E", "N", "S"]
    for _, p in vs_total.iterrows():
        a = survey.loc[ok & (survey["r"] == p["column_a"]), "ltr"]
        rest = survey.loc[ok & (survey["r"] != p["column_a"]), "ltr"]
        ref = stats.ttest_ind(a, rest, equal_var=False)
        assert p["statistic"] == pytest.approx(ref.statistic)
        assert p["p_value"] == pytest.approx(ref.pvalue)
        assert p["mean_b"] == pytest.approx(survey.loc[ok, "ltr"].mean())
    t = res.table.set_index("column")
    assert t.loc["N", "sd"] == pytest.approx(survey.loc[ok & (survey["r"] == "N"), "ltr"].std())
    assert t.loc["Total", "n"] == 590
    assert any("10 of 600 rows excluded" in n for n in res.notes)


def test_weighted_mean_by_hand() -> None:
    df = pd.DataFrame(
        {"x": [1.0, 3.0, 2.0, 4.0], "g": ["a", "a", "b", "b"], "w": [1.0, 3.0, 1.0, 1.0]}
    )
    t = compare_means(df, "x", "g", weights="w").table.set_index("column")
    assert t.loc["a", "mean"] == pytest.approx(2.5)  # (1 + 9) / 4
    e = 16 / 10
    ms = (1 * 1.5**2 + 3 * 0.5**2) / 4
    assert t.loc["a", "n_eff"] == pytest.approx(e)
    assert t.loc["a", "sd"] == pytest.approx(np.sqrt(ms * e / (e - 1)))


def test_non_numeric_value_rejected(survey) -> None:
    with pytest.raises(DataError, match="g"):
        compare_means(survey, "g", "r")


def test_banner_cells_equal_individual_crosstabs(survey) -> None:
    res = banner(survey, ["sat"], ["g", "r"], weights="w", means=["ltr"])
    t = res.table
    for g, first in (("g", 0), ("r", 2)):
        ct = crosstab(survey, "sat", g, weights="w", total=False, first_letter=first)
        cells = t[(t["question"] == "sat") & (t["banner"] == g)].set_index(["row", "column"])
        for _, r in ct.table.iterrows():
            c = cells.loc[(r["row"], r["column"])]
            assert c["value"] == pytest.approx(r["column_percent"])
            assert c["sig"] == r["sig"] and c["letter"] == r["letter"]
    # Letters run on across the banner: g has A, B; r has C, D, E.
    assert set(t.loc[t["banner"] == "r", "letter"]) == {"C", "D", "E"}
    # Total column: everyone who answered the question.
    tot = t[(t["question"] == "sat") & (t["banner"] == "Total")].set_index("row")["value"]
    ref = survey.groupby("sat")["w"].sum() / survey["w"].sum() * 100
    np.testing.assert_allclose(tot.loc[ref.index].to_numpy(float), ref.to_numpy())
    # The mean-only question has its own base: 590 answered ltr.
    shown = res.display()
    assert shown.loc[("ltr", "Base (unweighted)"), ("Total", "Total")] == "590"
    m_mean = t[(t["question"] == "sat") & (t["row"] == "Mean")]
    assert m_mean.empty  # sat was not asked as a mean


def test_banner_planted_difference_found(survey) -> None:
    res = banner(survey, ["sat"], ["g"], means=["sat"], nets={"sat": {"Top 2": [4, 5]}})
    shown = res.display()
    assert shown.loc[("sat", "Top 2"), ("g", "m (B)")].endswith("A")
    assert shown.loc[("sat", "Mean"), ("g", "m (B)")].endswith("A")
    assert (
        shown.loc[("sat", "Mean"), ("g", "f (A)")]
        == f"{survey.loc[survey.g == 'f', 'sat'].mean():.2f}"
    )


def test_mean_score_of_an_ordered_scale(survey) -> None:
    labels = ["Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very satisfied"]
    lab = survey.assign(sat=pd.Categorical.from_codes(survey["sat"] - 1, labels, ordered=True))
    a = compare_means(lab, "sat", "r", weights="w")
    b = compare_means(survey, "sat", "r", weights="w")
    pd.testing.assert_frame_equal(a.table, b.table)
    pd.testing.assert_frame_equal(a.pvalues, b.pvalues)
    assert any(
        "scored 1 to 5 in order (Very dissatisfied=1, ..., Very satisfied=5)" in n for n in a.notes
    )
    # Explicit scores, e.g. a -2..2 coding: the mean shifts by 3, tests are unchanged.
    c = compare_means(
        lab, "sat", "r", weights="w", scores=dict(zip(labels, range(-2, 3), strict=True))
    )
    np.testing.assert_allclose(c.table["mean"], b.table["mean"] - 3)
    np.testing.assert_allclose(c.pvalues["p_value"], b.pvalues["p_value"])
    # A banner takes the labelled item as a mean row too, Total cell included.
    ban = banner(lab, ["sat"], ["g"], weights="w", means=["sat"])
    ref = banner(survey, ["sat"], ["g"], weights="w", means=["sat"])
    m1 = ban.table[ban.table["row"] == "Mean"].reset_index(drop=True)
    m2 = ref.table[ref.table["row"] == "Mean"].reset_index(drop=True)
    np.testing.assert_allclose(m1["value"], m2["value"])
    assert m1["sig"].tolist() == m2["sig"].tolist()
    assert m1.loc[m1["banner"] == "Total", "value"].iloc[0] == pytest.approx(
        np.average(survey["sat"], weights=survey["w"])
    )


def test_numeric_categories_use_their_values() -> None:
    df = pd.DataFrame(
        {
            "q": pd.Categorical([0, 10, 10, 5], categories=[0, 5, 10], ordered=True),
            "g": ["a", "a", "b", "b"],
        }
    )
    t = compare_means(df, "q", "g").table.set_index("column")
    assert t.loc["a", "mean"] == 5 and t.loc["b", "mean"] == 7.5


def test_scores_errors() -> None:
    df = pd.DataFrame({"q": pd.Categorical(["x", "y", "z", "x"]), "g": ["a", "a", "b", "b"]})
    with pytest.raises(DataError, match=r"'q' is an unordered categorical.*scores="):
        compare_means(df, "q", "g")
    with pytest.raises(DataError, match=r"'q' has 1 answers without a score: 'z' at rows 2"):
        compare_means(df, "q", "g", scores={"x": 1, "y": 2})
    from needlab.errors import ConfigError

    with pytest.raises(ConfigError, match="numbers"):
        compare_means(df, "q", "g", scores={"x": "one"})
    with pytest.raises(DataError, match=r"'g' must be numeric"):
        banner(df, [], ["q"], means=["g"])


def test_banner_html_and_heatmap(survey) -> None:
    import matplotlib.pyplot as plt

    from needlab.errors import ConfigError

    res = banner(survey, ["sat"], ["g", "r"], means=["sat"], nets={"sat": {"Top 2": [4, 5]}})
    html = res._repr_html_()
    shown = res.display()
    top2_m = shown.loc[("sat", "Top 2"), ("g", "m (B)")]
    assert top2_m.endswith("A") and top2_m in html  # the letter reaches the HTML view
    assert "Base (unweighted)" in html and "f (A)" in html and "E (C)" in html
    assert html.index("Mean") < html.index("Base (unweighted)")
    ax = res.plot()
    try:
        t = res.table[(res.table["question"] == "sat") & (res.table["row"] != "Mean")]
        texts = [x.get_text() for x in ax.texts]
        # One text per percentage cell (5 categories + net, Total + 2 + 3 columns), no mean row.
        assert len(texts) == 6 * 6 == len(t)
        cell = t[(t["row"] == "Top 2") & (t["column"] == "m")].iloc[0]
        assert f"{cell['value']:.0f} {cell['sig']}".strip() in texts
        heads = [x.get_text() for x in ax.get_xticklabels()]
        assert heads == ["Total", "f (A)", "m (B)", "E (C)", "N (D)", "S (E)"]
        assert [x.get_text() for x in ax.get_yticklabels()][-1] == "Top 2"
    finally:
        plt.close("all")
    with pytest.raises(ConfigError, match="nope"):
        res.plot(question="nope")


def test_means_plot_bars_and_letters() -> None:
    import matplotlib.pyplot as plt

    df = pd.DataFrame({"score": [5, 4, 5, 4, 5, 2, 3, 2, 3, 2], "g": list("aaaaabbbbb")})
    res = compare_means(df, "score", "g")
    ax = res.plot()
    try:
        assert [p.get_height() for p in ax.patches] == pytest.approx([4.6, 2.4, 3.5])
        assert [x.get_text() for x in ax.texts] == ["B"]
        assert [x.get_text() for x in ax.get_xticklabels()] == ["a (A)", "b (B)", "Total"]
    finally:
        plt.close("all")
