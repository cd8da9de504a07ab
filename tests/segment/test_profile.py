"""Tests of needlab.segment.profile."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportions_ztest

from needlab.errors import ConfigError, DataError, SchemaError
from needlab.segment.profile import TABLE_COLUMNS, ProfileResult, profile


@pytest.fixture
def hand() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    n = 120
    seg = np.repeat(["a", "b", "c"], [30, 40, 50])
    age = np.where(seg == "a", 25.0, 40.0) + rng.normal(0, 6, n)
    city = np.where(rng.random(n) < np.where(seg == "c", 0.7, 0.3), "big", "small")
    return pd.DataFrame({"seg": seg, "age": age, "city": city, "w": rng.uniform(0.3, 3.0, n)})


def _cell(res: ProfileResult, seg: str, var: str, level: object = None) -> pd.Series:
    t = res.table
    m = (t["segment"] == seg) & (t["variable"] == var)
    m &= t["level"].isna() if level is None else (t["level"] == level)
    assert m.sum() == 1
    return t[m].iloc[0]


def test_hand_values_index_and_tests(hand: pd.DataFrame) -> None:
    res = profile(hand, ["age", "city"], by="seg")
    assert list(res.table.columns) == TABLE_COLUMNS
    # 3 segments x (1 mean + 2 levels)
    assert len(res.table) == 9
    assert res.sizes["n"].tolist() == [30, 40, 50]
    np.testing.assert_allclose(res.sizes["share"], [0.25, 40 / 120, 50 / 120])
    for seg in "abc":
        inside, rest = hand[hand.seg == seg], hand[hand.seg != seg]
        c = _cell(res, seg, "age")
        assert c["value"] == pytest.approx(inside.age.mean())
        assert c["total"] == pytest.approx(hand.age.mean())
        assert c["rest"] == pytest.approx(rest.age.mean())
        assert c["index"] == pytest.approx(inside.age.mean() / hand.age.mean() * 100)
        # independent: scipy's Welch test
        assert c["p"] == pytest.approx(
            stats.ttest_ind(inside.age, rest.age, equal_var=False).pvalue, rel=1e-8
        )
        s = _cell(res, seg, "city", "big")
        k_in, k_out = (inside.city == "big").sum(), (rest.city == "big").sum()
        assert s["value"] == pytest.approx(k_in / len(inside))
        assert s["index"] == pytest.approx(k_in / len(inside) / (hand.city == "big").mean() * 100)
        _, p = proportions_ztest([k_in, k_out], [len(inside), len(rest)])
        assert s["p"] == pytest.approx(p, rel=1e-8)
    # BH over all cells, as statsmodels does it
    p = res.table["p"].to_numpy()
    np.testing.assert_allclose(res.table["p_adj"], multipletests(p, method="fdr_bh")[1])
    a = _cell(res, "a", "age")
    assert a["mark"] == "-" and a["p_adj"] < 0.05
    assert _cell(res, "b", "age")["mark"] == "+"


def test_marks_follow_alpha_and_adjust(hand: pd.DataFrame) -> None:
    none = profile(hand, ["age", "city"], by="seg", adjust=None)
    np.testing.assert_array_equal(none.table["p"], none.table["p_adj"])
    bonf = profile(hand, ["age", "city"], by="seg", adjust="bonferroni")
    np.testing.assert_allclose(bonf.table["p_adj"], np.minimum(bonf.table["p"] * 9, 1))
    strict = profile(hand, ["age", "city"], by="seg", alpha=1e-12)
    assert (strict.table["mark"] == "").all()


def test_weighted_by_hand(hand: pd.DataFrame) -> None:
    res = profile(hand, ["age", "city"], by="seg", weights="w")
    w = hand.w.to_numpy()
    for seg in "abc":
        m = (hand.seg == seg).to_numpy()
        x = hand.age.to_numpy()
        mean_in, mean_out = np.average(x[m], weights=w[m]), np.average(x[~m], weights=w[~m])

        def se(x: np.ndarray, w: np.ndarray) -> tuple[float, float]:
            v1, v2 = w.sum(), (w * w).sum()
            mu = np.average(x, weights=w)
            var = (w * (x - mu) ** 2).sum() / (v1 - v2 / v1)
            neff = v1 * v1 / v2
            return np.sqrt(var / neff), neff

        se_in, e_in = se(x[m], w[m])
        se_out, e_out = se(x[~m], w[~m])
        t = (mean_in - mean_out) / np.hypot(se_in, se_out)
        df = (se_in**2 + se_out**2) ** 2 / (se_in**4 / (e_in - 1) + se_out**4 / (e_out - 1))
        c = _cell(res, seg, "age")
        assert c["value"] == pytest.approx(mean_in)
        assert c["total"] == pytest.approx(np.average(x, weights=w))
        assert c["n_eff"] == pytest.approx(e_in)
        assert c["p"] == pytest.approx(2 * stats.t.sf(abs(t), df), rel=1e-8)
        big = (hand.city == "big").to_numpy()
        p_in, p_out = np.average(big[m], weights=w[m]), np.average(big[~m], weights=w[~m])
        e_out = w[~m].sum() ** 2 / (w[~m] ** 2).sum()
        pool = (p_in * e_in + p_out * e_out) / (e_in + e_out)
        z = (p_in - p_out) / np.sqrt(pool * (1 - pool) * (1 / e_in + 1 / e_out))
        s = _cell(res, seg, "city", "big")
        assert s["value"] == pytest.approx(p_in)
        assert s["p"] == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-8)
    # scale invariance of weights; unit weights equal the unweighted profile
    scaled = profile(hand, ["age", "city"], by="seg", weights=hand.w.to_numpy() * 7)
    pd.testing.assert_frame_equal(scaled.table, res.table)
    unit = profile(hand, ["age", "city"], by="seg", weights=np.ones(len(hand)))
    pd.testing.assert_frame_equal(unit.table, profile(hand, ["age", "city"], by="seg").table)


def test_missing_values_counted(hand: pd.DataFrame) -> None:
    df = hand.copy()
    df.loc[[0, 1, 2], "age"] = np.nan
    df.loc[[5, 50], "city"] = None
    df.loc[[10, 60, 70], "seg"] = None
    res = profile(df, ["age", "city"], by="seg")
    assert res.n_excluded == 3 and res.n_used == 117
    assert any("3 rows with a missing segment" in n for n in res.notes)
    assert any("'age': 3 missing" in n for n in res.notes)
    assert any("'city': 2 missing" in n for n in res.notes)
    assert _cell(res, "a", "age")["n"] == 30 - 3 - 1  # rows 0-2 missing age, row 10 no segment
    shares = res.table[res.table.kind == "share"].groupby("segment")["value"].sum()
    np.testing.assert_allclose(shares, 1.0)


def test_wide_display_and_plot(hand: pd.DataFrame) -> None:
    res = profile(hand, ["age", "city"], by="seg", lang="zh")
    wide = res.wide()
    assert list(wide.columns) == ["a", "b", "c"]
    assert list(wide.index) == ["age", "city = big", "city = small"]
    assert wide.loc["age", "a"] == pytest.approx(_cell(res, "a", "age")["index"])
    disp = res.display()
    assert disp.columns[0] == "总体" and disp.index[0].startswith("规模")
    assert "(" in disp.loc["age", "a"]
    html = res._repr_html_()
    assert "Segment profile" in html
    ax = res.plot()
    assert len(ax.texts) == 9
    import matplotlib.pyplot as plt

    plt.close("all")


def test_html_escapes_levels() -> None:
    df = pd.DataFrame({"seg": list("aabb"), "q": ["<script>x</script>", "ok", "ok", "ok"]})
    html = profile(df, ["q"], by="seg")._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_planted_truth_on_sample() -> None:
    from needlab.datasets import load_sample

    s = load_sample()
    data = s.customers.assign(segment=s.truth.customers["segment"].to_numpy())
    res = profile(data, ["age", "city_tier", "income_band", "gender"], by="segment")
    tech_age = _cell(res, "tech", "age")
    assert tech_age["index"] < 90 and tech_age["mark"] == "-"
    rich = _cell(res, "premium", "income_band", "4万以上")
    assert rich["index"] > 200 and rich["mark"] == "+"
    assert _cell(res, "value", "income_band", "1万以下")["mark"] == "+"


def test_bad_input_names_the_column(hand: pd.DataFrame) -> None:
    with pytest.raises(SchemaError, match="agee"):
        profile(hand, ["agee"], by="seg")
    with pytest.raises(SchemaError, match="sgement"):
        profile(hand, ["age"], by="sgement")
    with pytest.raises(DataError, match="'seg'.*entirely missing"):
        profile(hand.assign(seg=None), ["age"], by="seg")
    with pytest.raises(DataError, match="'w'.*negative"):
        profile(hand.assign(w=-hand.w), ["age"], by="seg", weights="w")
    with pytest.raises(DataError, match="single segment"):
        profile(hand.assign(seg="a"), ["age"], by="seg")
    with pytest.raises(DataError, match="'age'"):
        profile(hand.assign(age=np.nan), ["age"], by="seg")
    with pytest.raises(ConfigError, match="also listed"):
        profile(hand, ["seg", "age"], by="seg")
    with pytest.raises(ConfigError, match="adjust"):
        profile(hand, ["age"], by="seg", adjust="holm")  # type: ignore[arg-type]


def test_survey_as_data_uses_its_weights() -> None:
    import needlab as nl

    survey = nl.read_survey("data/sample/survey_wave1.csv", codebook="data/sample/codebook.yaml")
    survey.data["seg"] = np.where(survey.data["age"] < 40, "young", "older")
    labelled = survey.labelled().assign(seg=survey.data["seg"])
    by_survey = profile(survey, ["overall_sat", "city_tier"], by="seg")
    by_hand = profile(labelled, ["overall_sat", "city_tier"], by="seg", weights="weight")
    pd.testing.assert_frame_equal(by_survey.table, by_hand.table)
    assert set(by_survey.table["level"].dropna()) >= {"Tier 1", "New tier 1"}  # labels
    flat = profile(survey, ["overall_sat", "city_tier"], by="seg", weights=False)
    pd.testing.assert_frame_equal(
        flat.table, profile(labelled, ["overall_sat", "city_tier"], by="seg").table
    )
    assert not np.allclose(flat.table["value"], by_survey.table["value"])
    assert by_survey.n_used == len(survey.data) and by_survey.n_excluded == 0
