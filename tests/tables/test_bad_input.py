"""The bad-input list of the survey tables, one case at a time, for every entry point.

Unknown columns, weights with negatives / NaN / infinities / zero total / the wrong length,
a row or column variable with one category, empty columns (reported as not testable, never
skipped or crashed), mixed types in a category column, alpha outside (0, 1). Each error is a
:class:`needlab.errors.NeedlabError` naming the column or option and the bad values.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from needlab.errors import ConfigError, DataError, NeedlabError, SchemaError
from needlab.tables import csat, nps, top_box
from needlab.tables.banner import banner
from needlab.tables.crosstab import crosstab
from needlab.tables.freq import freq
from needlab.tables.means import compare_means
from needlab.tables.weighting import rake


@pytest.fixture
def df() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    n = 120
    return pd.DataFrame(
        {
            "sat": rng.choice(["lo", "mid", "hi"], n),
            "region": rng.choice(["N", "S", "E"], n),
            "score": rng.integers(1, 6, n).astype(float),
            "ltr": rng.integers(0, 11, n),
            "w": rng.uniform(0.5, 2.0, n),
        }
    )


CALLS = {
    "crosstab": lambda d, **k: crosstab(d, "sat", "region", **k),
    "banner": lambda d, **k: banner(d, ["sat"], ["region"], means=["score"], **k),
    "compare_means": lambda d, **k: compare_means(d, "score", "region", **k),
    "freq": lambda d, **k: freq(d, "sat", **k),
    "nps": lambda d, **k: nps(d, "ltr", by="region", **k),
    "csat": lambda d, **k: csat(d, "score", by="region", **k),
    "top_box": lambda d, **k: top_box(d, ["score"], by="region", **k),
}
WITH_ALPHA = ("crosstab", "banner", "compare_means")


# --- unknown columns ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda d: crosstab(d, "sat", "regoin"),
        lambda d: crosstab(d, "sta", "region"),
        lambda d: banner(d, ["sat"], ["regoin"]),
        lambda d: banner(d, ["sat"], ["region"], means=["scroe"]),
        lambda d: compare_means(d, "scroe", "region"),
        lambda d: freq(d, "sta"),
        lambda d: nps(d, "ltr", by="regoin"),
        lambda d: top_box(d, ["scroe"]),
        lambda d: rake(d, {"regoin": {"N": 0.5, "S": 0.5}}),
    ],
)
def test_unknown_column_named_with_suggestion(df, call) -> None:
    with pytest.raises(SchemaError, match=r"'(regoin|sta|scroe)'.*did you mean"):
        call(df)


# --- weights --------------------------------------------------------------------------------


def _bad_weights(kind: str, n: int):
    w = np.ones(n)
    if kind == "negative":
        w[7] = -0.5
    elif kind == "nan":
        w[7] = np.nan
    elif kind == "inf":
        w[7] = np.inf
    elif kind == "zero total":
        w[:] = 0.0
    elif kind == "length":
        w = np.ones(n - 1)
    return w


@pytest.mark.parametrize("name", sorted(CALLS))
@pytest.mark.parametrize(
    ("kind", "pattern"),
    [
        ("negative", r"1 negative values: -0\.5 at rows 7"),
        ("nan", r"1 missing \(NaN\) values: nan at rows 7"),
        ("inf", r"1 infinite values: inf at rows 7"),
        ("zero total", r"sum to zero"),
        ("length", r"has 119 values but the data has 120 rows"),
    ],
)
def test_bad_weights(df, name, kind, pattern) -> None:
    with pytest.raises(DataError, match=pattern):
        CALLS[name](df, weights=_bad_weights(kind, len(df)))


def test_weight_column_named_in_error(df) -> None:
    with pytest.raises(DataError, match=r"weights 'w' has 1 negative"):
        crosstab(df.assign(w=np.r_[-1.0, np.ones(len(df) - 1)]), "sat", "region", weights="w")
    with pytest.raises(DataError, match=r"column 'w' must be numeric.*'heavy'"):
        crosstab(df.assign(w="heavy"), "sat", "region", weights="w")


def test_positive_weights_only_outside_the_table(df) -> None:
    # The weights have a positive total, but every row with both answers weighs 0.
    d = df.copy()
    d["w"] = 0.0
    d.loc[0, "w"] = 1.0
    d.loc[0, "sat"] = None
    with pytest.raises(
        DataError,
        match=r"no row answers both 'sat' and 'region' with a "
        r"positive weight \(119 rows answer both",
    ):
        crosstab(d, "sat", "region", weights="w")
    with pytest.raises(DataError, match="positive weight"):
        compare_means(
            d.assign(score=np.where(d["sat"].isna(), 1.0, np.nan)),
            "score",
            "region",
            weights=np.where(d["sat"].isna(), 0.0, 1.0),
        )


def test_no_row_answers_both(df) -> None:
    d = df.assign(
        sat=np.where(np.arange(len(df)) < 60, "lo", None),
        region=np.where(np.arange(len(df)) < 60, None, "N"),
    )
    d.loc[60, "region"] = "S"
    d.loc[0, "sat"] = "hi"
    d.loc[0, "region"] = None
    with pytest.raises(DataError, match="no row answers both 'sat' and 'region'"):
        crosstab(d, "sat", "region")


# --- one category ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda d: crosstab(d.assign(sat="lo"), "sat", "region"),
        lambda d: crosstab(d.assign(region="N"), "sat", "region"),
        lambda d: banner(d.assign(region="N"), ["sat"], ["region"]),
        lambda d: banner(d.assign(region="N"), [], ["region"], means=["score"]),
        lambda d: compare_means(d.assign(region="N"), "score", "region"),
    ],
)
def test_one_category_is_an_error(df, call) -> None:
    with pytest.raises(DataError, match=r"has 1 category \('(lo|N)'\).*at least two"):
        call(df)


def test_all_missing_is_an_error(df) -> None:
    with pytest.raises(DataError, match=r"'region' has 0 categories \(none\)"):
        crosstab(df.assign(region=None), "sat", "region")


# --- empty columns: not testable, reported ---------------------------------------------------


def test_empty_column_not_testable_everywhere(df) -> None:
    d = df.copy()
    d["region"] = pd.Categorical(d["region"], categories=["N", "S", "E", "W"])
    res = crosstab(d, "sat", "region", weights="w")
    w = res.pvalues[(res.pvalues["column_a"] == "W") | (res.pvalues["column_b"] == "W")]
    # 3 rows x (3 pairs with W + W against Total)
    assert len(w) == 12 and not w["testable"].any() and w["p_value"].isna().all()
    assert not w["significant"].any()
    assert (res.letters["W"] == "").all()
    assert res.bases["W"].tolist() == [0, 0, 0]
    assert res.percent["W"].isna().all()
    assert any("12 comparisons are not testable" in n for n in res.notes)
    # The overall test is that of the 3 x 3 table without W.
    ref = crosstab(d.assign(region=d["region"].astype(str)), "sat", "region", weights="w")
    pd.testing.assert_frame_equal(res.chi2, ref.chi2)
    assert res.cramers_v == pytest.approx(ref.cramers_v)
    # The other columns are still tested.
    assert res.pvalues[(res.pvalues["column_a"] != "W") & (res.pvalues["column_b"] != "W")][
        "testable"
    ].all()
    m = compare_means(d, "score", "region", weights="w")
    wm = m.pvalues[(m.pvalues["column_a"] == "W") | (m.pvalues["column_b"] == "W")]
    assert len(wm) == 4 and not wm["testable"].any()
    assert any("not testable" in n for n in m.notes)
    b = banner(d, ["sat"], ["region"], means=["score"], weights="w")
    assert not b.pvalues[(b.pvalues["column_a"] == "W") | (b.pvalues["column_b"] == "W")][
        "testable"
    ].any()
    assert "W (D)" in b.display().columns.get_level_values(1)


# R 4.2, survey 4.1, on the frame below written with to_csv (E rows dropped: R's svychisq
# gives F = NaN when a column has weight 0):
#   x <- read.csv("zw.csv"); d <- svydesign(ids = ~1, weights = ~w, data = x[x$region != "E", ])
#   svychisq(~sat + region, d)   # F = 0.5735692572, ndf = 1.9975172793, ddf = 151.8113132269,
#                                # p = 0.5645183469
def test_zero_weight_column_is_empty_too(df) -> None:
    d = df.assign(w=np.where(df["region"] == "E", 0.0, np.round(df["w"], 2)))
    res = crosstab(d, "sat", "region", weights="w")
    e = res.pvalues[(res.pvalues["column_a"] == "E") | (res.pvalues["column_b"] == "E")]
    assert len(e) == 9 and not e["testable"].any()
    assert (res.letters["E"] == "").all()
    # The overall test leaves the weightless column out: a 3 x 2 table.
    got = res.chi2.iloc[0]
    assert got["statistic"] == pytest.approx(0.5735692572, rel=1e-8)
    assert got["df"] == pytest.approx(1.9975172793, rel=1e-8)
    assert got["df2"] == pytest.approx(151.8113132269, rel=1e-8)
    assert got["p_value"] == pytest.approx(0.5645183469, rel=1e-8)


def test_one_respondent_column_mean_not_testable() -> None:
    d = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0, 5.0], "g": ["a", "a", "a", "a", "b"]})
    m = compare_means(d, "x", "g")
    assert not m.pvalues.iloc[0]["testable"] and np.isnan(m.pvalues.iloc[0]["p_value"])
    assert np.isnan(m.table.set_index("column").loc["b", "sd"])


# --- mixed types ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda d: crosstab(d.assign(sat=[5, "5"] * 60), "sat", "region"),
        lambda d: crosstab(d.assign(region=[1, "1", 2] * 40), "sat", "region"),
        lambda d: banner(d.assign(region=[1, "1", 2] * 40), ["sat"], ["region"]),
        lambda d: compare_means(d.assign(region=[1, "1", 2] * 40), "score", "region"),
        lambda d: nps(d.assign(region=[1, "1", 2] * 40), "ltr", by="region"),
    ],
)
def test_mixed_types_in_a_category_column(df, call) -> None:
    with pytest.raises(
        DataError, match=r"'(sat|region)' mixes value types \(number, text\).*astype"
    ):
        call(df)


# --- alpha and other options ---------------------------------------------------------------


@pytest.mark.parametrize("name", WITH_ALPHA)
@pytest.mark.parametrize("alpha", [0, 1, -0.05, 1.5, float("nan"), "0.05", None])
def test_alpha_outside_unit_interval(df, name, alpha) -> None:
    with pytest.raises(ConfigError, match=r"alpha must be a number strictly between 0 and 1"):
        CALLS[name](df, alpha=alpha)


@pytest.mark.parametrize("name", WITH_ALPHA)
def test_alpha2_must_exceed_alpha(df, name) -> None:
    with pytest.raises(ConfigError, match="alpha2"):
        CALLS[name](df, alpha=0.05, alpha2=0.01)
    with pytest.raises(ConfigError, match="alpha2"):
        CALLS[name](df, alpha2=1.2)


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"method": "z"}, "method='z'"),
        ({"adjust": "holm"}, "adjust='holm'"),
        ({"test": "chi2"}, "test='chi2'"),
        ({"lang": "fr"}, "lang='fr'"),
    ],
)
def test_bad_options(df, kwargs, pattern) -> None:
    with pytest.raises(ConfigError, match=pattern):
        crosstab(df, "sat", "region", **kwargs)
    with pytest.raises(ConfigError, match=pattern):
        banner(df, [], ["region"], means=["score"], **kwargs)


def test_banner_needs_rows_and_cols(df) -> None:
    with pytest.raises(ConfigError, match="row question"):
        banner(df, [], ["region"])
    with pytest.raises(ConfigError, match="banner"):
        banner(df, ["sat"], [])


def test_every_error_is_a_needlab_error_and_a_value_error(df) -> None:
    for call in (
        lambda: crosstab(df, "sat", "nope"),
        lambda: crosstab(df, "sat", "region", alpha=2),
        lambda: crosstab(df.assign(region="N"), "sat", "region"),
    ):
        with pytest.raises(NeedlabError):
            call()
        with pytest.raises(ValueError):
            call()


# --- issue 13: non-finite numbers -----------------------------------------------------------


INF_CALLS = {
    "compare_means": (lambda d: compare_means(d, "score", "region"), "score"),
    "banner means": (lambda d: banner(d, ["sat"], ["region"], means=["score"]), "score"),
    "nps": (lambda d: nps(d, "ltr", by="region"), "ltr"),
    "csat": (lambda d: csat(d, "score", by="region"), "score"),
    "top_box": (lambda d: top_box(d, ["score"], by="region"), "score"),
}


@pytest.mark.parametrize("case", list(INF_CALLS))
@pytest.mark.parametrize("bad", [np.inf, -np.inf, "inf"])
def test_infinite_values_in_numeric_inputs(df, case, bad) -> None:
    call, col = INF_CALLS[case]
    d = df.copy()
    d[col] = d[col].astype(object)
    d.loc[9, col] = bad
    with pytest.raises(DataError, match=rf"'{col}' has 1 infinite values: -?inf at rows 9.*finite"):
        call(d)


@pytest.mark.parametrize(
    ("targets", "pattern"),
    [
        (
            {"region": {"N": np.inf, "S": 0.5, "E": 0.5}},
            r"targets for 'region' have non-finite.*'N'",
        ),
        (
            {"region": {"N": np.nan, "S": 0.5, "E": 0.5}},
            r"targets for 'region' have non-finite.*'N'",
        ),
        ({"region": {"N": -10, "S": 60, "E": 50}}, r"targets for 'region' are negative for 'N'"),
    ],
)
def test_rake_targets_non_finite_or_negative_counts(df, targets, pattern) -> None:
    with pytest.raises(ConfigError, match=pattern):
        rake(df, targets)


# --- issue 13: letters run out --------------------------------------------------------------


def _wide(k: int) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {"r": rng.choice(["p", "q"], 2 * k), "c": [f"c{i:04d}" for i in range(k)] * 2}
    )


def test_crosstab_more_than_702_columns_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"'c' has 703 categories.*702.*test=None"):
        crosstab(_wide(703), "r", "c")


def test_crosstab_702_columns_still_fine() -> None:
    res = crosstab(_wide(702), "r", "c", total=False)
    assert res.column_letters["c0701"] == "ZZ"


def test_crosstab_many_columns_without_tests() -> None:
    res = crosstab(_wide(800), "r", "c", test=None, total=False)
    assert len(res.column_letters) == 800 and set(res.column_letters.values()) == {""}


def test_column_letters_limit() -> None:
    from needlab.tables.letters import column_letters

    assert column_letters(1, start=701) == ["ZZ"]
    with pytest.raises(ConfigError, match=r"703 columns need significance letters"):
        column_letters(2, start=701)


# --- issue 13: label variants ---------------------------------------------------------------


@pytest.mark.parametrize("variant", ["N ", " N", "\uff2e", "N\u3000", "N  "])
def test_crosstab_label_variants_merge_with_note(df, variant) -> None:
    d = df.copy()
    d.loc[:9, "region"] = variant
    ref = df.copy()
    ref.loc[:9, "region"] = "N"
    base = crosstab(ref, "sat", "region")
    res = crosstab(d, "sat", "region")
    assert list(res.column_letters) == ["E", "N", "S"]
    pd.testing.assert_frame_equal(res.counts, base.counts)
    assert any("categories of 'region'" in n and "variants merged" in n for n in res.notes)


def test_crosstab_case_variants_need_casefold(df) -> None:
    d = df.copy()
    d.loc[:9, "region"] = d.loc[:9, "region"].str.lower()
    assert len(crosstab(d, "sat", "region").column_letters) > 3  # case kept by default
    res = crosstab(d, "sat", "region", casefold=True)
    assert list(res.column_letters) == ["e", "n", "s"]
    assert int(res.counts["Total"].sum()) == len(d)
    assert any("Case folded (casefold=True)" in n for n in res.notes)


def test_crosstab_row_label_variants_merge(df) -> None:
    d = df.copy()
    d.loc[:4, "sat"] = d.loc[:4, "sat"] + " "
    res = crosstab(d, "sat", "region")
    assert list(res.counts.index) == ["hi", "lo", "mid"]
    assert any("categories of 'sat'" in n for n in res.notes)
