"""Tests of the shared input checks, with property tests for check_allowed and check_weights."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from needlab._validate import (
    check_allowed,
    check_alpha,
    check_columns,
    check_frame,
    check_numeric,
    check_option,
    check_unique,
    check_unique_columns,
    check_weights,
    preview,
)
from needlab.errors import ConfigError, DataError, SchemaError

FAST = settings(max_examples=50, deadline=None)


@FAST
@given(data=st.data())
def test_check_allowed_finds_exactly_the_planted_values(data) -> None:
    allowed = data.draw(st.lists(st.integers(1, 9), min_size=1, max_size=5, unique=True))
    n = data.draw(st.integers(1, 30))
    values = data.draw(st.lists(st.sampled_from(allowed), min_size=n, max_size=n))
    bad_rows = sorted(data.draw(st.sets(st.integers(0, n - 1), max_size=n)))
    bad_values = [data.draw(st.integers(10, 99)) for _ in bad_rows]
    for r, v in zip(bad_rows, bad_values, strict=True):
        values[r] = v
    df = pd.DataFrame({"q": values})
    if not bad_rows:
        check_allowed(df, "q", allowed)
        return
    with pytest.raises(DataError) as e:
        check_allowed(df, "q", allowed)
    msg = str(e.value)
    assert f"column 'q' has {len(bad_rows)} values outside" in msg
    shown = list(dict.fromkeys(bad_values))[:5]
    assert preview(bad_values) in msg and all(str(v) in msg for v in shown)
    rows = re.search(r"at rows ([0-9, ]+)", msg).group(1)
    assert [int(x) for x in rows.split(", ")] == bad_rows[:5]


@FAST
@given(
    w=st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=20),
    neg=st.floats(-1e6, -1e-9),
    pos=st.integers(0, 19),
)
def test_check_weights_rejects_any_negative(w, neg, pos) -> None:
    w = list(w)
    w[pos % len(w)] = neg
    df = pd.DataFrame({"w": w})
    with pytest.raises(DataError, match="negative"):
        check_weights(df, "w")
    with pytest.raises(DataError, match="negative"):
        check_weights(None, np.array(w))


@FAST
@given(w=st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=20))
def test_check_weights_accepts_valid(w) -> None:
    df = pd.DataFrame({"w": w})
    if sum(w) > 0:
        np.testing.assert_array_equal(check_weights(df, "w"), np.asarray(w, dtype=float))
    else:
        with pytest.raises(DataError, match="sum to zero"):
            check_weights(df, "w")


def test_check_weights_other_cases() -> None:
    df = pd.DataFrame({"w": [1.0, np.nan, np.inf], "t": ["1", "x", "2"]})
    with pytest.raises(DataError, match=r"missing \(NaN\).*rows 1"):
        check_weights(df.iloc[:2], "w")
    with pytest.raises(DataError, match="infinite"):
        check_weights(df.iloc[[0, 2]], "w")
    with pytest.raises(DataError, match="'t' must be numeric.*'x' at rows 1"):
        check_weights(df, "t")
    with pytest.raises(DataError, match="3 values but the data has 2 rows"):
        check_weights(df.iloc[:2], [1.0, 1.0, 1.0])
    with pytest.raises(DataError, match="zero values at rows 1"):
        check_weights(None, [1.0, 0.0], allow_zero=False)
    with pytest.raises(ConfigError):
        check_weights(None, "w")
    assert check_weights(df, None) is None


def test_columns_frame_unique() -> None:
    df = pd.DataFrame({"region": [1, 2], "age": [3, 3]})
    with pytest.raises(SchemaError, match="'regoin' \\(did you mean 'region'\\?\\)"):
        check_columns(df, ["regoin", "age"])
    assert check_columns(df, "age") == ["age"]
    with pytest.raises(SchemaError, match="DataFrame"):
        check_frame([1, 2])
    with pytest.raises(SchemaError, match="0 rows"):
        check_frame(df.iloc[:0])
    with pytest.raises(SchemaError, match="'a' \\(2 times\\)"):
        check_unique_columns(["a", "b", "a"])
    with pytest.raises(DataError, match="1 duplicated ids \\(2 rows\\): 3 at rows 0, 1"):
        check_unique(df, "age")
    with pytest.raises(DataError, match="missing values at rows 1"):
        check_unique(pd.DataFrame({"id": [1, None]}), "id")
    check_unique(df, "region")


def test_numeric_option_alpha_preview() -> None:
    df = pd.DataFrame({"x": ["1", "2.5", None, "abc"]})
    with pytest.raises(DataError, match="'abc' at rows 3"):
        check_numeric(df, "x")
    assert check_numeric(df.iloc[:3], "x").tolist()[:2] == [1.0, 2.5]
    with pytest.raises(ConfigError, match="choose one of"):
        check_option("z", ["a", "b"], "method")
    assert check_alpha(0.05) == 0.05
    with pytest.raises(ConfigError):
        check_alpha(1.5)
    assert preview(["b", "a", "b"]) == "'b', 'a'"


# --- label normalisation (NFKC, trimming, inner white space, optional case folding) ---------
def test_normalise_labels_merges_space_and_full_width_variants() -> None:
    from needlab._validate import merged_variants, normalise_labels

    s = pd.Series(["Price", " Price", "Pr ice", "\uff30rice", "Price\u3000", "price", None, 3])
    out = normalise_labels(s)
    assert out.tolist()[:6] == ["Price", "Price", "Pr ice", "Price", "Price", "price"]
    assert out.iloc[6] is None and out.iloc[7] == 3  # missing and numbers untouched
    note = merged_variants(s, out)
    assert note is not None and note.startswith("labels: 1 values written in 4 variants")


def test_normalise_labels_casefold_and_inner_whitespace() -> None:
    from needlab._validate import normalise_labels

    s = pd.Series(["Very  Satisfied", "very satisfied ", "VERY\tSATISFIED", "Straße"])
    assert normalise_labels(s, casefold=True).tolist() == ["very satisfied"] * 3 + ["strasse"]
    assert normalise_labels(s).tolist()[0] == "Very Satisfied"


def test_normalise_labels_keeps_categorical_order() -> None:
    from needlab._validate import normalise_labels

    s = pd.Series(pd.Categorical(["b ", "a", "b"], categories=["b ", "a", "b"], ordered=True))
    out = normalise_labels(s)
    assert list(out.cat.categories) == ["b", "a"] and out.cat.ordered
    assert out.tolist() == ["b", "a", "b"]


def test_merged_variants_none_when_nothing_merges() -> None:
    from needlab._validate import merged_variants, normalise_labels

    s = pd.Series(["a", "b", "a"])
    assert merged_variants(s, normalise_labels(s)) is None


def test_normalise_ids_never_casefolds() -> None:
    from needlab._validate import normalise_ids

    ids, note = normalise_ids(pd.Series(["C1", "C1 ", "c1", "\uff23\uff11"]), what="customer ids")
    assert ids.tolist() == ["C1", "C1", "c1", "C1"]
    assert note is not None and "customer ids: 1 values written in 3 variants" in note


@given(st.lists(st.text(alphabet=" \u3000\tAbc\uff21", max_size=6), max_size=8))
@FAST
def test_normalise_labels_is_idempotent(values) -> None:
    from needlab._validate import normalise_labels

    once = normalise_labels(pd.Series(values, dtype=object), casefold=True)
    assert normalise_labels(once, casefold=True).tolist() == once.tolist()
    assert all(v == v.strip() and "  " not in v for v in once)
