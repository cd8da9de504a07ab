"""AHP criterion weights (issue 15): a published worked example, the consistency property, the
random-index tables and every validation error."""

from __future__ import annotations

import itertools
import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from needlab.errors import ConfigError, DataError, NeedlabWarning, SchemaError
from needlab.plan.ahp import RANDOM_INDEX, AhpResult, ahp

matplotlib.use("Agg")

# Saaty, T. L. (2008). Decision making with the analytic hierarchy process. International
# Journal of Services Sciences, 1(1), 83-98, table "Which drink is consumed more in the U.S.?"
# (also Saaty 1980): the published eigenvector (3 decimals) and C.R. = 0.022.
DRINKS = ["coffee", "wine", "tea", "beer", "sodas", "milk", "water"]
DRINKS_MATRIX: list[list[float]] = [
    [1, 9, 5, 2, 1, 1, 1 / 2],
    [1 / 9, 1, 1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
    [1 / 5, 3, 1, 1 / 3, 1 / 4, 1 / 3, 1 / 9],
    [1 / 2, 9, 3, 1, 1 / 2, 1, 1 / 3],
    [1, 9, 4, 2, 1, 2, 1 / 2],
    [1, 9, 3, 1, 1 / 2, 1, 1 / 3],
    [2, 9, 9, 3, 2, 3, 1],
]
DRINKS_WEIGHTS = [0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327]


def _drinks() -> pd.DataFrame:
    return pd.DataFrame(DRINKS_MATRIX, index=DRINKS, columns=DRINKS)


def test_saaty_2008_drinks_example() -> None:
    res = ahp(_drinks())
    assert isinstance(res, AhpResult)
    assert res.weights.round(3).tolist() == DRINKS_WEIGHTS
    assert round(res.cr, 3) == 0.022
    assert res.random_index == "saaty1980" and res.random_index_value == 1.32
    assert res.consistent
    assert res.lambda_max == pytest.approx(7 + 6 * res.ci)
    # the table: criterion, weight, rank in input order; water heaviest, wine lightest
    t = res.table
    assert list(t.columns) == ["criterion", "weight", "rank"]
    assert t.set_index("criterion")["rank"].to_dict() == {
        "water": 1,
        "sodas": 2,
        "coffee": 3,
        "milk": 4,
        "beer": 5,
        "tea": 6,
        "wine": 7,
    }


def test_random_index_tables_give_different_ratios() -> None:
    # The same matrix with the other tables: CI / RI(7). AHPy (Griffith) reports 0.0235 for
    # this example with Donegan & Dodd's table.
    ci = ahp(_drinks()).ci
    for name in RANDOM_INDEX:
        res = ahp(_drinks(), random_index=name)  # type: ignore[arg-type]
        assert res.cr == pytest.approx(ci / RANDOM_INDEX[name][1][7])
    assert round(ahp(_drinks(), random_index="donegan_dodd1991").cr, 4) == 0.0235
    assert round(ahp(_drinks(), random_index="saaty2005").cr, 3) == 0.022


def test_hand_computed_3x3() -> None:
    # a consistent 3x3 (w = 4/7, 2/7, 1/7): a_ij = w_i / w_j; lambda_max = 3, CI = CR = 0
    res = ahp([("a", "b", 2), ("a", "c", 4), ("b", "c", 2)])
    assert res.weights.to_numpy() == pytest.approx([4 / 7, 2 / 7, 1 / 7], abs=1e-12)
    assert res.lambda_max == pytest.approx(3.0)
    assert res.ci == pytest.approx(0.0, abs=1e-12) and res.cr == pytest.approx(0.0, abs=1e-12)
    assert res.n_used == 3 and res.n_excluded == 0


def test_list_and_matrix_agree() -> None:
    judgements = [
        (DRINKS[i], DRINKS[j], float(DRINKS_MATRIX[i][j]))
        for i, j in itertools.combinations(range(7), 2)
    ]
    a = ahp(judgements)
    b = ahp(_drinks())
    assert a.weights.to_numpy() == pytest.approx(b.weights.to_numpy(), abs=1e-12)
    assert a.cr == pytest.approx(b.cr)
    assert a.n_used == 21  # one row per judgement


def test_list_reversed_pairs_are_reciprocals() -> None:
    a = ahp([("a", "b", 3), ("c", "a", 1 / 2), ("b", "c", 1)])
    b = ahp([("a", "b", 3), ("a", "c", 2), ("b", "c", 1)])
    assert a.weights.to_numpy() == pytest.approx(b.weights.to_numpy())


@given(
    st.lists(st.floats(min_value=1.0, max_value=9.0), min_size=2, max_size=10),
)
def test_consistent_matrix_reproduces_generating_weights(raw: list[float]) -> None:
    w = np.asarray(raw) / np.sum(raw)
    names = [f"c{i}" for i in range(len(w))]
    m = pd.DataFrame(w[:, None] / w[None, :], index=names, columns=names)
    res = ahp(m)
    assert res.weights.to_numpy() == pytest.approx(w, rel=1e-9, abs=1e-12)
    assert res.weights.sum() == pytest.approx(1.0)
    assert res.lambda_max == pytest.approx(len(w), rel=1e-9)
    assert res.cr == pytest.approx(0.0, abs=1e-9)
    assert res.consistent


def test_two_criteria_cr_is_zero_by_definition() -> None:
    res = ahp([("speed", "price", 7)])
    assert res.cr == 0.0 and res.ci == pytest.approx(0.0, abs=1e-12)
    assert res.weights.to_numpy() == pytest.approx([7 / 8, 1 / 8])
    assert any("CR is 0 by definition" in n for n in res.notes)


def test_inconsistent_matrix_warns_and_names_the_worst_judgement() -> None:
    # a > b, b > c, c > a: a cycle
    with pytest.warns(NeedlabWarning, match=r"CR = .* > 0\.10"):
        res = ahp([("a", "b", 5), ("b", "c", 5), ("c", "a", 5)])
    assert not res.consistent and res.cr > 0.1
    assert any("furthest from the weights" in n for n in res.notes)


def test_consistent_matrix_does_not_warn() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ahp(_drinks())


def test_rounded_reciprocals_are_accepted_and_noted() -> None:
    m = pd.DataFrame(
        [[1, 3, 5], [0.33, 1, 2], [0.2, 0.5, 1]], index=list("abc"), columns=list("abc")
    )
    res = ahp(m)
    assert (res.matrix.to_numpy() * res.matrix.to_numpy().T) == pytest.approx(np.ones((3, 3)))
    assert any("geometric mean" in n for n in res.notes)


def test_weights_are_usable_as_criteria() -> None:
    w = ahp(_drinks()).weights
    assert isinstance(w, pd.Series) and list(w.index) == DRINKS
    assert w.sum() == pytest.approx(1.0) and (w > 0).all()


def test_zh_notes() -> None:
    with pytest.warns(NeedlabWarning):
        res = ahp([("a", "b", 5), ("b", "c", 5), ("c", "a", 5)], lang="zh")
    assert any("判断不一致" in n for n in res.notes)


def test_plot_title_has_cr() -> None:
    import matplotlib.pyplot as plt

    ax = ahp(_drinks()).plot()
    try:
        assert "CR = 0.022" in ax.get_title()
        assert len(ax.patches) == 7
    finally:
        plt.close("all")


# --- bad input: one test per error, the message names the cells and the fix ------------------


def test_not_reciprocal_names_cells() -> None:
    m = _drinks()
    m.loc["wine", "coffee"] = 1 / 3
    with pytest.raises(DataError, match=r"not reciprocal.*'coffee', 'wine'.*1 / a_ij"):
        ahp(m)


def test_off_scale_names_cells_and_values() -> None:
    m = _drinks()
    m.loc["coffee", "wine"], m.loc["wine", "coffee"] = 12, 1 / 12
    with pytest.raises(DataError, match=r"outside Saaty's scale 1/9..9.*'coffee', 'wine'.*12"):
        ahp(m)


def test_list_off_scale() -> None:
    with pytest.raises(DataError, match=r"outside Saaty's scale.*\('a', 'b'\): 20"):
        ahp([("a", "b", 20), ("a", "c", 1), ("b", "c", 1)])


def test_diagonal_must_be_one() -> None:
    m = _drinks()
    m.loc["tea", "tea"] = 2
    with pytest.raises(DataError, match=r"diagonal .* must be 1.*'tea' = 2"):
        ahp(m)


def test_non_finite_cells() -> None:
    m = _drinks()
    m.loc["tea", "beer"] = np.nan
    with pytest.raises(DataError, match=r"missing or infinite cells.*'tea', 'beer'"):
        ahp(m)
    m.loc["tea", "beer"] = np.inf
    with pytest.raises(DataError, match=r"missing or infinite"):
        ahp(m)


def test_non_numeric_cells() -> None:
    m = _drinks().astype(object)
    m.loc["tea", "beer"] = "1/3"
    with pytest.raises(DataError, match=r"non-numeric cells.*'tea', 'beer'.*'1/3'"):
        ahp(m)


def test_fewer_than_two_criteria() -> None:
    with pytest.raises(DataError, match="at least 2 criteria"):
        ahp(pd.DataFrame([[1.0]], index=["a"], columns=["a"]))


def test_duplicate_names() -> None:
    m = pd.DataFrame(np.ones((3, 3)), index=["a", "b", "a"], columns=["a", "b", "a"])
    with pytest.raises(SchemaError, match=r"duplicate criterion names: 'a'"):
        ahp(m)


def test_not_square() -> None:
    with pytest.raises(SchemaError, match="must be square"):
        ahp(pd.DataFrame(np.ones((2, 3)), index=["a", "b"], columns=["a", "b", "c"]))


def test_index_and_columns_differ() -> None:
    m = pd.DataFrame(np.ones((2, 2)), index=["a", "b"], columns=["a", "x"])
    with pytest.raises(SchemaError, match=r"only in the index: 'b'; only in the columns: 'x'"):
        ahp(m)


def test_missing_pairs_are_named() -> None:
    with pytest.raises(DataError, match=r"1 pairs of criteria have no judgement: \('b', 'c'\)"):
        ahp([("a", "b", 3), ("a", "c", 5)])


def test_pair_judged_twice() -> None:
    with pytest.raises(DataError, match=r"more than once.*\('b', 'a'\)"):
        ahp([("a", "b", 3), ("b", "a", 1 / 3), ("a", "c", 2), ("b", "c", 1)])


def test_self_comparison() -> None:
    with pytest.raises(DataError, match="with itself"):
        ahp([("a", "a", 1), ("a", "b", 2)])


def test_bad_list_entry() -> None:
    with pytest.raises(SchemaError, match=r"\(a, b, value\)"):
        ahp([("a", "b")])  # type: ignore[list-item]


def test_random_index_option() -> None:
    with pytest.raises(ConfigError, match=r"random_index='saaty'.*choose one of"):
        ahp(_drinks(), random_index="saaty")  # type: ignore[arg-type]


def test_random_index_too_small_for_n() -> None:
    names = [f"c{i}" for i in range(12)]
    m = pd.DataFrame(np.ones((12, 12)), index=names, columns=names)
    with pytest.raises(ConfigError, match=r"no value for n = 12.*saaty2005"):
        ahp(m)
    assert ahp(m, random_index="saaty2005").cr == pytest.approx(0.0, abs=1e-9)
