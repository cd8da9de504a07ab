"""The safe rule grammar: same rows as the equivalent pandas mask, and no string ever runs code."""

from __future__ import annotations

import builtins
import os
import subprocess

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from needlab._expr import columns, evaluate, parse
from needlab.errors import ConfigError, DataError, SchemaError


@pytest.fixture
def df() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "age": [25.0, 40.0, None, 70.0, 33.0],
            "region": ["North", "East", "North", None, "South"],
            "vip": [True, False, True, False, False],
            "spend k": [1, 2, 3, 4, 5],
            "城市": ["一线", "二线", "一线", "三线", "二线"],
        }
    )


# Each rule next to the pandas mask it must equal (written by hand with pandas operations).
CASES = [
    ("age >= 30", lambda d: d.age >= 30),
    ("age >= 30 & vip", lambda d: (d.age >= 30) & d.vip),
    ("age >= 30 and vip", lambda d: (d.age >= 30) & d.vip),
    ("~vip | age < 30", lambda d: ~d.vip | (d.age < 30)),
    ("not vip or age < 30", lambda d: ~d.vip | (d.age < 30)),
    ("region == 'North'", lambda d: d.region == "North"),
    ('region != "North"', lambda d: (d.region != "North") & d.region.notna()),
    ("region in ['North', 'South']", lambda d: d.region.isin(["North", "South"])),
    ("region not in ('North',)", lambda d: ~d.region.isin(["North"])),
    ("region.isin(['East'])", lambda d: d.region.isin(["East"])),
    ("age.between(30, 40)", lambda d: d.age.between(30, 40)),
    ("age.isna()", lambda d: d.age.isna()),
    ("region.notnull()", lambda d: d.region.notna()),
    ("region is null", lambda d: d.region.isna()),
    ("age is not null & age < 30", lambda d: d.age.notna() & (d.age < 30)),
    ("`spend k` > 2", lambda d: d["spend k"] > 2),
    ("城市 == '一线'", lambda d: d["城市"] == "一线"),
    ("(age < 30 | age > 60) & ~vip", lambda d: ((d.age < 30) | (d.age > 60)) & ~d.vip),
    ("age > -1e1", lambda d: d.age > -10),
    ("2 < `spend k`", lambda d: d["spend k"] > 2),
    ("age > `spend k`", lambda d: d.age > d["spend k"]),
    ("True", lambda d: pd.Series(True, index=d.index)),
]


@pytest.mark.parametrize(("rule", "mask"), CASES, ids=[c[0] for c in CASES])
def test_rule_equals_the_pandas_mask(df: pd.DataFrame, rule: str, mask) -> None:  # noqa: ANN001
    expected = mask(df).fillna(False).to_numpy(dtype=bool)
    np.testing.assert_array_equal(evaluate(df, rule), expected)


def test_missing_values_never_match_a_comparison(df: pd.DataFrame) -> None:
    assert not evaluate(df, "age < 100")[2]
    assert not evaluate(df, "age != 25")[2]


def test_columns_listed_in_order() -> None:
    assert columns("b > 1 & (a == 2 | `c d`.isna()) & b < 3") == ["b", "a", "c d"]


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("@x > 1", "'@' at position 0 is not allowed"),
        ("age + 1 > 2", "'+' at position 4 is not allowed"),
        ("age * 2", "'*' at position 4 is not allowed"),
        ("region.str.contains('a')", "'str' at position 7 is not an allowed method"),
        ("__import__('os')", "'(' at position 10 is not allowed here"),
        ("age >", "the end of the rule"),
        ("age in 3", "a list like"),
        ("age is 3", "'null' was expected"),
        ("region not 'a'", "'in' was expected"),
        ("(age > 1", "')' was expected"),
        ("age.between(1 2)", "',' was expected"),
        ("lambda: 1", "':' at position 6 is not allowed"),
        ("'a'.isna()", "applies to a column only"),
        ("", "non-empty string"),
    ],
)
def test_outside_the_grammar_is_a_config_error(df: pd.DataFrame, rule: str, words: str) -> None:
    with pytest.raises(ConfigError) as err:
        evaluate(df, rule)
    assert words in str(err.value)


def test_unknown_column_names_the_closest(df: pd.DataFrame) -> None:
    with pytest.raises(SchemaError, match=r"'regoin' \(did you mean 'region'\?\)"):
        evaluate(df, "regoin == 'North'")


def test_text_column_as_condition_is_an_error(df: pd.DataFrame) -> None:
    with pytest.raises(ConfigError, match="'region' is used as a condition"):
        evaluate(df, "region & vip")


def test_type_mismatch_is_a_data_error(df: pd.DataFrame) -> None:
    with pytest.raises(DataError, match=r"cannot compare column 'age' \(float64\) > 'a'"):
        evaluate(df, "age > 'a'")


def test_parse_is_a_tree_of_plain_values() -> None:
    tree = parse("a > 1 & b.isin(['x'])")
    assert tree == ("and", ("cmp", ">", ("col", "a"), ("lit", 1)), ("isin", ("col", "b"), ("x",)))


# --- property: no input string runs code -----------------------------------------------------

ALPHABET = st.sampled_from(
    [
        *"abcxyz_@.()[]'\"`,:;=+-*/%<>!&|~ 0123456789",
        *["__import__", "os", "system", "eval", "exec", "lambda", "isin", "between", "and", "not"],
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(ALPHABET, min_size=1, max_size=25).map("".join))
def test_no_rule_string_executes_code(text: str) -> None:
    calls: list[str] = []

    def trap(*args: object, **kwargs: object) -> None:
        calls.append(repr(args))
        raise AssertionError("code ran")

    saved = (os.system, subprocess.Popen, builtins.__import__, builtins.eval, builtins.exec)
    data = pd.DataFrame({"a": [1, 2], "b": ["x", "y"], "c": [True, False]})
    os.system = trap  # type: ignore[assignment]
    subprocess.Popen = trap  # type: ignore[assignment, misc]
    builtins.eval = trap  # type: ignore[assignment]
    builtins.exec = trap  # type: ignore[assignment]
    try:
        try:
            out = evaluate(data, text)
        except (ConfigError, SchemaError, DataError):
            out = None
    finally:
        os.system, subprocess.Popen, builtins.__import__, builtins.eval, builtins.exec = saved
    assert calls == []
    if out is not None:
        assert out.dtype == bool and out.shape == (2,)
