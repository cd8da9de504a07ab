"""priority_table: hand computations, sensitivity, exact switch points, properties, bad input."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from needlab.errors import ConfigError, DataError, SchemaError
from needlab.plan.priority import priority_table


def swap_case() -> pd.DataFrame:
    # Hand case: min-max gives A = (1, 0, .5), B = (.2, 1, 0); with weights .5/.5 the scores are
    # N1 .6, N2 .5, N3 .25. B +20% -> (A .4, B .6): N1 .4 + .12 = .52 < N2 .6, so they swap;
    # B +10% -> (A .45, B .55): N1 .56 > N2 .55, no swap.
    return pd.DataFrame({"need": ["N1", "N2", "N3"], "A": [10, 0, 5], "B": [2, 10, 0]})


def test_minmax_contributions_by_hand() -> None:
    res = priority_table(swap_case(), {"A": 0.5, "B": 0.5})
    t = res.table.set_index("need")
    assert t.loc["N1", "contrib_A"] == pytest.approx(0.5)
    assert t.loc["N1", "contrib_B"] == pytest.approx(0.1)
    assert t["score"].to_dict() == pytest.approx({"N1": 0.6, "N2": 0.5, "N3": 0.25})
    assert t["rank"].to_dict() == {"N1": 1, "N2": 2, "N3": 3}
    assert res.table["need"].tolist() == ["N1", "N2", "N3"]
    assert res.ranking.to_dict() == {"N1": 1, "N2": 2, "N3": 3}
    assert res.method == "weighted" and res.n_used == 3 and res.n_excluded == 0


def test_sensitivity_plus_20_swaps_two_needs() -> None:
    res = priority_table(swap_case(), {"A": 0.5, "B": 0.5})
    s = res.sensitivity
    assert sorted(s["change"].unique()) == [-0.2, -0.1, 0.1, 0.2]
    b20 = s[(s["criterion"] == "B") & (s["change"] == 0.2)].set_index("need")
    assert b20["weight"].iloc[0] == pytest.approx(0.6)
    assert b20["rank"].to_dict() == {"N1": 2, "N2": 1, "N3": 3}
    assert b20["changed"].to_dict() == {"N1": True, "N2": True, "N3": False}
    b10 = s[(s["criterion"] == "B") & (s["change"] == 0.1)]
    assert not b10["changed"].any()
    # A -20% is B +20% here (two criteria, equal weights)
    a_down = s[(s["criterion"] == "A") & (s["change"] == -0.2)].set_index("need")
    assert a_down["rank"].to_dict() == {"N1": 2, "N2": 1, "N3": 3}


def test_switch_points_exact_by_hand() -> None:
    # B at weight t (A at 1 - t): N1 = (1 - t) + .2 t, N2 = t; equal at t = 5/9.
    res = priority_table(swap_case(), {"A": 0.5, "B": 0.5})
    sp = res.switch_points.set_index(["criterion", "direction"])
    assert sp.loc[("B", "up"), "weight"] == pytest.approx(float(Fraction(5, 9)), abs=1e-12)
    assert sp.loc[("B", "up"), "new_top"] == "N2"
    assert sp.loc[("B", "up"), "change"] == pytest.approx(
        float(Fraction(5, 9) / Fraction(1, 2) - 1)
    )
    assert sp.loc[("A", "down"), "weight"] == pytest.approx(float(Fraction(4, 9)), abs=1e-12)
    assert np.isnan(sp.at[("B", "down"), "weight"])  # type: ignore[arg-type]
    assert np.isnan(sp.at[("A", "up"), "weight"])  # type: ignore[arg-type]
    assert any("stays on top" in n for n in res.notes)
    # at the switch weight the two scores are equal (a second, direct check)
    t = 5 / 9
    again = priority_table(swap_case(), {"A": 1 - t, "B": t}, sensitivity=None)
    sc = again.table.set_index("need")["score"]
    assert sc["N1"] == pytest.approx(sc["N2"])


def test_switch_points_three_criteria_by_hand() -> None:
    # minmax: A = (1, 0, 0), B = (0, 1, .5), C = (0, 0, 1); w = (.5, .3, .2)
    # scores: N1 .5, N2 .3, N3 .15 + .2 = .35. Moving C to t (A, B keep 5:3):
    # N1 = (1-t) 5/8, N3 = (1-t)(3/8)(.5) + t -> equal where 5/8 (1-t) = 3/16 (1-t) + t
    # -> 7/16 (1 - t) = t -> t = 7/23.
    df = pd.DataFrame({"need": ["N1", "N2", "N3"], "A": [1, 0, 0], "B": [0, 2, 1], "C": [0, 0, 4]})
    res = priority_table(df, {"A": 0.5, "B": 0.3, "C": 0.2})
    sp = res.switch_points.set_index(["criterion", "direction"])
    assert sp.loc[("C", "up"), "weight"] == pytest.approx(7 / 23, abs=1e-12)
    assert sp.loc[("C", "up"), "new_top"] == "N3"


@pytest.mark.parametrize(
    ("scale", "expected"),
    [
        # x = (1, 2, 4) benefit; cost reverses
        ("minmax", [0.0, 1 / 3, 1.0]),
        ("rank", [0.0, 0.5, 1.0]),
        ("z", list((np.array([1, 2, 4]) - 7 / 3) / np.std([1, 2, 4], ddof=1))),
        ("max", [0.25, 0.5, 1.0]),
    ],
)
def test_normalisations_by_hand(scale: str, expected: list[float]) -> None:
    df = pd.DataFrame({"need": ["a", "b", "c"], "x": [1.0, 2.0, 4.0]})
    res = priority_table(df, ["x"], scale=scale, sensitivity=None)  # type: ignore[arg-type]
    assert res.normalised["x"].tolist() == pytest.approx(expected)
    cost = priority_table(df, ["x"], scale=scale, direction={"x": "cost"}, sensitivity=None)  # type: ignore[arg-type]
    rev = {
        "minmax": [1.0, 2 / 3, 0.0],
        "rank": [1.0, 0.5, 0.0],
        "z": [-e for e in expected],
        "max": [1.0, 0.5, 0.25],  # min / x
    }[scale]
    assert cost.normalised["x"].tolist() == pytest.approx(rev)


def test_rank_scale_averages_ties() -> None:
    df = pd.DataFrame({"need": list("abcd"), "x": [1, 5, 5, 9]})
    res = priority_table(df, ["x"], scale="rank", sensitivity=None)
    assert res.normalised["x"].tolist() == pytest.approx([0, 0.5, 0.5, 1])
    t = res.table.set_index("need")
    assert t["rank"].to_dict() == {"a": 4, "b": 2, "c": 2, "d": 1}
    assert t.loc["b", "tied"] and not t.loc["d", "tied"]
    assert any("tied" in n and "'b'" in n and "'c'" in n for n in res.notes)


def test_constant_criterion_contributes_zero() -> None:
    df = pd.DataFrame({"need": ["a", "b"], "x": [3.0, 3.0], "y": [1.0, 2.0]})
    for scale in ("minmax", "rank", "z", "max"):
        res = priority_table(df, ["x", "y"], scale=scale)
        assert (res.table["contrib_x"] == 0).all()
        assert res.table["score"].notna().all()
        assert any("same value for every need" in n for n in res.notes)


def test_weights_normalised_with_note_and_ahp_like_object() -> None:
    res = priority_table(swap_case(), {"A": 2, "B": 2})
    assert res.criteria.tolist() == [0.5, 0.5]
    assert any("divided by their sum" in n for n in res.notes)

    class Ahp:
        weights = pd.Series({"A": 0.25, "B": 0.75})

    res = priority_table(swap_case(), Ahp())
    assert res.criteria.to_dict() == {"A": 0.25, "B": 0.75}
    assert res.table.iloc[0]["need"] == "N2"


def test_missing_policies() -> None:
    df = pd.DataFrame({"need": ["a", "b", "c"], "x": [1.0, np.nan, 3.0], "y": [1.0, 2.0, 3.0]})
    with pytest.raises(DataError, match=r"'x' for needs 'b'.*missing='worst'"):
        priority_table(df, ["x", "y"])
    worst = priority_table(df, ["x", "y"], missing="worst")
    assert worst.normalised.loc["b", "x"] == 0.0
    assert any("worst" in n for n in worst.notes)
    cost = priority_table(df, ["x", "y"], missing="worst", direction={"x": "cost"}, scale="z")
    assert cost.normalised.loc["b", "x"] == pytest.approx(cost.normalised["x"].drop("b").min())
    ex = priority_table(df, ["x", "y"], missing="exclude")
    assert ex.n_used == 2 and ex.n_excluded == 1 and "b" not in ex.table["need"].tolist()
    assert any("excluded" in n and "'b'" in n for n in ex.notes)


def test_labels_kept() -> None:
    df = swap_case().assign(label_en=["x", "y", "z"], label_zh=["甲", "乙", "丙"])
    t = priority_table(df, ["A"]).table
    assert t.columns[:3].tolist() == ["need", "label_en", "label_zh"]


def test_weight_capped_note() -> None:
    res = priority_table(swap_case(), {"A": 0.9, "B": 0.1})
    assert any("capped at 1" in n for n in res.notes)
    s = res.sensitivity
    assert s.loc[(s["criterion"] == "A") & (s["change"] == 0.2), "weight"].iloc[0] == 1.0


# ----------------------------------------------------------------------------- properties

# values on a grid of 1/8 (exact in binary): distinct values stay distinct after scaling (no
# underflow of subnormals such as 5e-324 * 0.5 == 0, which no normalisation can undo)
grid = st.integers(-800, 800).map(lambda i: i / 8)
values = st.lists(
    st.tuples(grid, grid),
    min_size=2,
    max_size=8,
)


@settings(max_examples=60, deadline=None)
@given(values, st.floats(0.01, 1000), st.floats(0.01, 1000), st.sampled_from(["minmax", "z"]))
def test_scaling_criteria_changes_no_rank(rows: list, c1: float, c2: float, scale: str) -> None:
    x = np.array(rows)
    df = pd.DataFrame({"need": [f"n{i}" for i in range(len(x))], "a": x[:, 0], "b": x[:, 1]})
    base = priority_table(df, {"a": 0.6, "b": 0.4}, scale=scale, sensitivity=None)  # type: ignore[arg-type]
    scaled = df.assign(a=df["a"] * c1, b=df["b"] * c2)
    res = priority_table(scaled, {"a": 0.6, "b": 0.4}, scale=scale, sensitivity=None)  # type: ignore[arg-type]
    pd.testing.assert_series_equal(
        base.ranking.sort_index(), res.ranking.sort_index(), check_exact=True
    )


@settings(max_examples=40, deadline=None)
@given(values, st.randoms(use_true_random=False))
def test_permuting_needs_changes_nothing(rows: list, rnd) -> None:  # type: ignore[no-untyped-def]
    x = np.array(rows)
    df = pd.DataFrame({"need": [f"n{i}" for i in range(len(x))], "a": x[:, 0], "b": x[:, 1]})
    order = list(range(len(df)))
    rnd.shuffle(order)
    a = priority_table(df, {"a": 0.3, "b": 0.7})
    b = priority_table(df.iloc[order], {"a": 0.3, "b": 0.7})
    key = ["need"]
    pd.testing.assert_frame_equal(
        a.table.sort_values(key).reset_index(drop=True),
        b.table.sort_values(key).reset_index(drop=True),
    )
    sa = a.sensitivity.sort_values(["criterion", "change", "need"]).reset_index(drop=True)
    sb = b.sensitivity.sort_values(["criterion", "change", "need"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(sa, sb)
    pd.testing.assert_frame_equal(a.switch_points, b.switch_points)


# ----------------------------------------------------------------------------- bad input


def test_absent_criterion_names_it_and_lists_columns() -> None:
    with pytest.raises(SchemaError, match=r"'C'.*Available columns: 'need', 'A', 'B'"):
        priority_table(swap_case(), ["A", "C"])


def test_duplicate_need_ids() -> None:
    df = pd.DataFrame({"need": ["a", "a"], "x": [1, 2]})
    with pytest.raises(DataError, match=r"duplicated ids.*'a'"):
        priority_table(df, ["x"])


def test_non_numeric_and_infinite() -> None:
    df = pd.DataFrame({"need": ["a", "b"], "x": ["1", "lots"]})
    with pytest.raises(DataError, match=r"'x' must be numeric.*'lots'"):
        priority_table(df, ["x"])
    df = pd.DataFrame({"need": ["a", "b"], "x": [1.0, np.inf]})
    with pytest.raises(DataError, match=r"'x' has 1 infinite"):
        priority_table(df, ["x"])


@pytest.mark.parametrize(
    ("criteria", "match"),
    [
        ({"A": -1, "B": 1}, r"finite and >= 0.*'A': -1"),
        ({"A": 0, "B": 0}, "all 0"),
        ({"A": float("nan")}, "finite"),
        ([], "empty"),
        (["A", "A"], "more than once"),
        (3, "mapping"),
        ({"A": "heavy"}, "must be a number"),
    ],
)
def test_bad_criteria(criteria: object, match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        priority_table(swap_case(), criteria)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"scale": "log"}, r"scale='log'.*'minmax'"),
        ({"missing": "drop"}, r"missing='drop'.*'exclude'"),
        ({"direction": {"A": "up"}}, r"direction\['A'\]='up'.*'cost'"),
        ({"direction": {"Z": "cost"}}, r"'Z', which is not a criterion"),
        ({"sensitivity": (0.1, 1.5)}, "strictly between 0 and 1"),
        ({"lang": "fr"}, "lang"),
    ],
)
def test_bad_options(kwargs: dict, match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        priority_table(swap_case(), ["A", "B"], **kwargs)


def test_max_scale_refuses_negative_and_nonpositive_cost() -> None:
    df = pd.DataFrame({"need": ["a", "b"], "x": [-1.0, 2.0]})
    with pytest.raises(DataError, match=r"'x'.*>= 0.*scale='minmax'"):
        priority_table(df, ["x"], scale="max")
    df = pd.DataFrame({"need": ["a", "b"], "x": [0.0, 2.0]})
    with pytest.raises(DataError, match=r"cost.*> 0"):
        priority_table(df, ["x"], scale="max", direction={"x": "cost"})


def test_missing_all_excluded_and_empty_column() -> None:
    df = pd.DataFrame({"need": ["a", "b"], "x": [np.nan, np.nan]})
    with pytest.raises(DataError, match="nothing left"):
        priority_table(df, ["x"], missing="exclude")
    with pytest.raises(DataError, match=r"\['x'\] have no values"):
        priority_table(df, ["x"], missing="worst")


def test_tie_at_top_no_switch_points() -> None:
    df = pd.DataFrame({"need": ["a", "b"], "x": [1, 1], "y": [2, 2]})
    res = priority_table(df, ["x", "y"])
    assert res.switch_points["weight"].isna().all()
    assert any("tie for the top" in n for n in res.notes)
