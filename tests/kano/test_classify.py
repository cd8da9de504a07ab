"""Hand-computed Kano cases: every index, every rule, ties, missing data, weights, segments."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency

from needlab.errors import ConfigError, DataError, SchemaError
from needlab.kano import evaluation_table, kano
from tests.kano.helpers import PAIR, frame_from_counts, pairs_of


def _row(res, feature="x"):
    t = res.table.set_index("feature")
    return t.loc[feature]


# --- the evaluation tables -------------------------------------------------------------------


def test_standard_table_matches_berger_1993_fig4() -> None:
    # Berger et al. (1993), Fig. 4, row by row: like Q A A A O; must-be, neutral, live-with
    # R I I I M; dislike R R R R Q.
    t = evaluation_table("standard")
    assert ["".join(r) for r in t.to_numpy()] == ["QAAAO", "RIIIM", "RIIIM", "RIIIM", "RRRRQ"]
    assert t.loc["like", "dislike"] == "O"
    assert t.loc["neutral", "dislike"] == "M"
    assert t.loc["like", "neutral"] == "A"
    assert t.loc["dislike", "like"] == "R"


def test_pouliot_marks_contradictory_diagonal_as_questionable() -> None:
    std, pou = evaluation_table("standard"), evaluation_table("pouliot")
    diff = std.to_numpy() != pou.to_numpy()
    assert diff.sum() == 2
    assert pou.loc["must-be", "must-be"] == "Q" and pou.loc["live-with", "live-with"] == "Q"
    df = pd.DataFrame({"f": [2, 4, 2], "d": [2, 4, 5]})
    r = _row(kano(df, {"x": ("f", "d")}, table="pouliot"))
    assert (r["Q"], r["M"]) == (2, 1)
    r = _row(kano(df, {"x": ("f", "d")}))
    assert (r["I"], r["M"]) == (2, 1)


def test_short3_allows_only_like_neutral_dislike() -> None:
    df = pd.DataFrame({"f": [1, 1, 3, 5], "d": [5, 3, 5, 1]})
    r = _row(kano(df, {"x": ("f", "d")}, table="short3"))
    assert (r["O"], r["A"], r["M"], r["R"]) == (1, 1, 1, 1)
    with pytest.raises(DataError, match="must-be"):
        kano(pd.DataFrame({"f": [2], "d": [5]}), {"x": ("f", "d")}, table="short3")


def test_custom_table_is_used() -> None:
    custom = [list("QAAAO"), list("RMIIM"), list("RIIIM"), list("RIIIM"), list("RRRRQ")]
    df = pd.DataFrame({"f": [2, 2], "d": [2, 5]})
    r = _row(kano(df, {"x": ("f", "d")}, table=custom))
    assert r["M"] == 2


@pytest.mark.parametrize(
    "table, match",
    [
        ([list("QAAAO")] * 4, "5x5"),
        ([list("QAAAO")] * 4 + [list("QAAA")], "5x5"),
        ([list("QAAAX")] * 5, "letters"),
        ("kano2", "built-in"),
    ],
)
def test_bad_tables_are_rejected(table, match) -> None:
    with pytest.raises(ConfigError, match=match):
        evaluation_table(table)


# --- every index by hand --------------------------------------------------------------------

COUNTS = {"A": 3, "O": 5, "M": 8, "I": 2, "R": 1, "Q": 1}  # n = 20


def test_all_indices_by_hand() -> None:
    df = frame_from_counts({"x": COUNTS})
    r = _row(kano(df, pairs_of({"x": 0})))
    assert r["n"] == 20 and r["n_missing"] == 0 and r["n_eff"] == pytest.approx(20)
    for letter, k in COUNTS.items():
        assert r[letter] == k
        assert r[f"share_{letter}"] == pytest.approx(k / 20)
    assert r["category"] == "M" and r["need"] == "basic" and not r["tie"]
    assert r["better"] == pytest.approx(8 / 18)  # (A+O)/(A+O+M+I)
    assert r["worse"] == pytest.approx(-13 / 18)  # -(O+M)/(A+O+M+I)
    assert r["category_strength"] == pytest.approx(8 / 20 - 5 / 20)
    assert r["total_strength"] == pytest.approx(16 / 20)
    # Fong: a = 8, b = 5, n = 20: 1.65 sqrt(13 * 27 / 40) = 4.888 > |8 - 5| = 3.
    assert 1.65 * math.sqrt(13 * 27 / 40) == pytest.approx(4.888, abs=1e-3)
    assert not r["fong_significant"]
    # DuMouchel scores over the 18 consistent (A, O, M, I) pairs.
    func = [4] * 3 + [4] * 5 + [0] * 8 + [0] * 2  # A (like), O (like), M (neutral), I (neutral)
    dysf = [0] * 3 + [4] * 5 + [4] * 8 + [0] * 2  # A (neutral), O, M (dislike), I (neutral)
    assert r["functional_score"] == pytest.approx(np.mean(func))
    assert r["functional_sd"] == pytest.approx(np.std(func, ddof=1))
    assert r["dysfunctional_score"] == pytest.approx(np.mean(dysf))
    assert r["dysfunctional_sd"] == pytest.approx(np.std(dysf, ddof=1))


def test_dumouchel_scores_use_every_answer_weight() -> None:
    # Functional must-be (2) with dysfunctional dislike (5) is M; live-with (4) x dislike is M.
    df = pd.DataFrame({"f": [2, 4, 1, 1], "d": [5, 5, 2, 4]})
    r = _row(kano(df, {"x": ("f", "d")}))
    assert r["functional_score"] == pytest.approx((2 - 1 + 4 + 4) / 4)
    assert r["dysfunctional_score"] == pytest.approx((4 + 4 - 1 + 2) / 4)


def test_fong_significant_pair() -> None:
    # a = 30, b = 5, n = 35: 1.65 sqrt(35 * 35 / 70) = 6.90 <= 25.
    df = frame_from_counts({"x": {"A": 30, "I": 5}})
    r = _row(kano(df, pairs_of({"x": 0})))
    assert r["fong_significant"] and r["category"] == "A"
    # a = 12, b = 10, n = 22: 1.65 sqrt(22 * 22 / 44) = 5.47 > 2.
    df = frame_from_counts({"x": {"A": 12, "I": 10}})
    assert not _row(kano(df, pairs_of({"x": 0})))["fong_significant"]


def test_fong_boundary_case() -> None:
    # a = 20, b = 9, n = 29: crit = 1.65 sqrt(29 * 29 / 58) = 6.28; |a - b| = 11 significant;
    # a = 14, b = 9: crit = 1.65 sqrt(23 * 23 / 46) = 5.596 > 5, not significant.
    sig = _row(kano(frame_from_counts({"x": {"O": 20, "M": 9}}), pairs_of({"x": 0})))
    non = _row(kano(frame_from_counts({"x": {"O": 14, "M": 9}}), pairs_of({"x": 0})))
    assert sig["fong_significant"] and not non["fong_significant"]


# --- rules ----------------------------------------------------------------------------------


def test_tie_is_reported_never_alphabetical() -> None:
    df = frame_from_counts({"x": {"A": 4, "O": 4, "M": 2}})
    p = pairs_of({"x": 0})
    mode = _row(kano(df, p))
    assert mode["category"] == "A/O" and mode["tie"] and mode["need"] == "delight/expected"
    group = _row(kano(df, p, rule="group"))
    assert group["category"] == "A/O" and group["tie"]
    mooi = _row(kano(df, p, rule="mooi"))  # M > O > A > I: O comes before A
    assert mooi["category"] == "O" and mooi["tie"]


def test_mooi_override_below_threshold() -> None:
    # O 11/25 = 44%, M 10/25 = 40%: strength 4 points < 6, so M (first of M, O, A, I).
    df = frame_from_counts({"x": {"O": 11, "M": 10, "A": 3, "I": 1}})
    p = pairs_of({"x": 0})
    assert _row(kano(df, p))["category"] == "O"
    assert _row(kano(df, p, rule="mooi"))["category"] == "M"
    # With a 3-point threshold the strength (4 points) is enough: the mode stands.
    assert _row(kano(df, p, rule="mooi", threshold=0.03))["category"] == "O"


def test_mooi_does_not_override_a_clear_mode() -> None:
    df = frame_from_counts({"x": {"A": 15, "M": 5, "I": 5}})
    assert _row(kano(df, pairs_of({"x": 0}), rule="mooi"))["category"] == "A"


def test_group_rule_both_branches() -> None:
    # A+O+M = 10 > I+R+Q = 7: largest of O, A, M is A (the mode would be I).
    df = frame_from_counts({"x": {"A": 4, "O": 3, "M": 3, "I": 6, "R": 1}})
    p = pairs_of({"x": 0})
    assert _row(kano(df, p))["category"] == "I"
    assert _row(kano(df, p, rule="group"))["category"] == "A"
    # A+O+M = 5 < I+R+Q = 7: largest of I, R, Q is I (the mode would be A).
    df = frame_from_counts({"x": {"A": 5, "I": 4, "R": 3}})
    assert _row(kano(df, p))["category"] == "A"
    assert _row(kano(df, p, rule="group"))["category"] == "I"


def test_all_questionable_feature() -> None:
    df = pd.DataFrame({"f": [1, 5, 1], "d": [1, 5, 1]})
    r = _row(kano(df, {"x": ("f", "d")}))
    assert r["category"] == "Q" and r["need"] == "questionable" and r["Q"] == 3
    assert math.isnan(r["better"]) and math.isnan(r["worse"])
    assert math.isnan(r["functional_score"])


def test_reverse_feature_and_chinese_labels() -> None:
    df = frame_from_counts({"x": {"R": 6, "I": 2}})
    r = _row(kano(df, pairs_of({"x": 0}), lang="zh"))
    assert r["category"] == "R" and r["need"] == "反向需求"
    df = frame_from_counts({"x": {"M": 6, "I": 2}})
    assert _row(kano(df, pairs_of({"x": 0}), lang="zh"))["need"] == "基本需求"


# --- missing data, questionable respondents ---------------------------------------------------


def test_missing_answers_drop_only_that_pair() -> None:
    df = pd.DataFrame(
        {
            "x_f": [1, 1, np.nan, 3, 1],
            "x_d": [5, 3, 5, np.nan, 5],
            "y_f": [3, 3, 3, 3, 3],
            "y_d": [5, 5, 5, 5, 3],
        }
    )
    res = kano(df, pairs_of({"x": 0, "y": 0}))
    x, y = _row(res, "x"), _row(res, "y")
    assert (x["n"], x["n_missing"], x["O"], x["A"]) == (3, 2, 2, 1)
    assert (y["n"], y["n_missing"], y["M"], y["I"]) == (5, 0, 4, 1)
    assert res.respondents["x"].isna().tolist() == [False, False, True, True, False]


def test_respondents_without_any_pair_are_excluded_with_a_note() -> None:
    df = pd.DataFrame(
        {
            "x_f": [1, np.nan, 3, np.nan, 1],
            "x_d": [5, 5, 5, np.nan, np.nan],
            "y_f": [3, np.nan, 3, 1, np.nan],
            "y_d": [5, 1, 3, np.nan, 5],
        }
    )
    # Rows 1, 3 and 4 have no complete pair for either feature.
    res = kano(df, pairs_of({"x": 0, "y": 0}))
    assert (res.n_used, res.n_excluded) == (2, 3)
    assert "3 of 5 respondents excluded: no complete (functional, dysfunctional) answer pair." in (
        res.notes
    )
    assert _row(res, "x")["n"] == 2 and _row(res, "y")["n"] == 2


def test_max_questionable_removes_and_counts() -> None:
    df = pd.DataFrame(
        {
            "x_f": [1, 1, 1, 3],
            "x_d": [1, 5, 1, 5],
            "y_f": [1, 3, 5, 3],
            "y_d": [1, 5, 5, 5],
        }
    )
    # Q answers per respondent: 2, 0, 2 (x Q, y Q), 0.
    res = kano(df, pairs_of({"x": 0, "y": 0}), max_questionable=1)
    assert (res.n_used, res.n_excluded) == (2, 2)
    assert res.notes == ("2 of 4 respondents excluded: more than 1 questionable (Q) answers.",)
    assert res.respondents.isna().all(axis=1).tolist() == [True, False, True, False]
    x = _row(res, "x")
    assert (x["n"], x["Q"], x["O"], x["M"]) == (2, 0, 1, 1)


def test_empty_feature_is_an_error_or_reported() -> None:
    df = pd.DataFrame({"x_f": [1, 3], "x_d": [5, 5], "y_f": [np.nan, np.nan], "y_d": [5, np.nan]})
    with pytest.raises(DataError, match="'y'"):
        kano(df, pairs_of({"x": 0, "y": 0}))
    res = kano(df, pairs_of({"x": 0, "y": 0}), on_empty="report")
    y = _row(res, "y")
    assert y["n"] == 0 and y["n_missing"] == 2 and pd.isna(y["category"])
    assert any("'y'" in n for n in res.notes)


# --- answers as labels ----------------------------------------------------------------------


def test_labels_in_several_wordings_give_the_same_result() -> None:
    codes = pd.DataFrame({"f": [1, 2, 3, 4, 5, 1], "d": [5, 5, 3, 5, 1, 3]})
    expected = kano(codes, {"x": ("f", "d")}).table
    wordings = [
        [
            "I like it that way",
            "It must be that way",
            "I am neutral",
            "I can live with it that way",
            "I dislike it that way",
        ],
        ["我喜欢", "理所当然", "无所谓", "勉强接受", "我不喜欢"],
        ["  I LIKE IT ", "I expect it", "I\u2019m neutral", "I can tolerate it", "I dislike it."],
    ]
    for words in wordings:
        lab = codes.apply(lambda s, w=words: s.map(lambda c: w[c - 1]))
        got = kano(lab, {"x": ("f", "d")}).table
        pd.testing.assert_frame_equal(got, expected)


def test_custom_answer_mapping() -> None:
    df = pd.DataFrame({"f": ["super", "bof"], "d": ["bof", "bof"]})
    with pytest.raises(DataError, match="super"):
        kano(df, {"x": ("f", "d")})
    r = _row(kano(df, {"x": ("f", "d")}, answers={"super": 1, "bof": 3}))
    assert (r["A"], r["I"]) == (1, 1)
    with pytest.raises(ConfigError, match="codes are 1"):
        kano(df, {"x": ("f", "d")}, answers={"super": 7})


# --- bad input ------------------------------------------------------------------------------


def test_codes_outside_scale_name_feature_and_values() -> None:
    df = pd.DataFrame({"f": [1, 6, 0], "d": [5, 5, 5]})
    with pytest.raises(
        DataError, match=r"'x'.*functional.*outside.*0.*6|'x'.*functional.*outside.*6.*0"
    ):
        kano(df, {"x": ("f", "d")})


def test_missing_and_duplicated_columns() -> None:
    df = pd.DataFrame({"f": [1], "d": [5]})
    with pytest.raises(SchemaError, match="dd"):
        kano(df, {"x": ("f", "dd")})
    with pytest.raises(ConfigError, match="both"):
        kano(df, {"x": ("f", "f")})
    with pytest.raises(ConfigError, match="pair"):
        kano(df, {"x": "f"})


@pytest.mark.parametrize("w", [[1.0, -1.0], [1.0, np.nan], [0.0, 0.0]])
def test_invalid_weights(w) -> None:
    df = pd.DataFrame({"f": [1, 3], "d": [5, 5], "w": w})
    with pytest.raises(DataError):
        kano(df, {"x": ("f", "d")}, weights="w")


def test_bad_options() -> None:
    df = pd.DataFrame({"f": [1], "d": [5]})
    with pytest.raises(ConfigError, match="rule"):
        kano(df, {"x": ("f", "d")}, rule="majority")
    with pytest.raises(ConfigError, match="n_boot"):
        kano(df, {"x": ("f", "d")}, n_boot=-1)


# --- weights --------------------------------------------------------------------------------


def test_weighted_counts_by_hand_and_kish_base() -> None:
    df = pd.DataFrame({"f": [1, 1, 3, 3], "d": [3, 5, 5, 3], "w": [2.0, 1.0, 0.5, 0.5]})
    r = _row(kano(df, {"x": ("f", "d")}, weights="w"))
    assert (r["A"], r["O"], r["M"], r["I"]) == (2.0, 1.0, 0.5, 0.5)
    assert r["n"] == 4
    assert r["n_eff"] == pytest.approx(4.0**2 / (4 + 1 + 0.25 + 0.25))
    assert r["better"] == pytest.approx(3 / 4) and r["worse"] == pytest.approx(-1.5 / 4)
    assert r["category"] == "A"


def test_integer_weights_equal_replicated_rows() -> None:
    df = pd.DataFrame({"f": [1, 1, 3, 2, 5], "d": [3, 5, 5, 5, 1], "w": [3, 1, 2, 1, 2]})
    rep = df.loc[df.index.repeat(df["w"])].reset_index(drop=True)
    a = kano(df, {"x": ("f", "d")}, weights="w").table
    b = kano(rep, {"x": ("f", "d")}).table
    cols = [
        "A",
        "O",
        "M",
        "I",
        "R",
        "Q",
        "better",
        "worse",
        "category",
        "functional_score",
        "dysfunctional_score",
        "category_strength",
    ]
    pd.testing.assert_frame_equal(a[cols], b[cols], check_dtype=False)


def test_importance_weighted_mean() -> None:
    df = pd.DataFrame({"f": [1, 1, 3], "d": [3, 5, 5], "imp": [9, 5, np.nan], "w": [1, 3, 1]})
    r = _row(kano(df, {"x": ("f", "d")}, importance={"x": "imp"}, weights="w"))
    assert r["importance"] == pytest.approx((9 * 1 + 5 * 3) / 4)


# --- segments -------------------------------------------------------------------------------


def test_by_segment_equals_subset_and_chi_square_matches_scipy() -> None:
    rng = np.random.default_rng(3)
    n = 300
    seg = rng.choice(["north", "south"], n)
    # North mostly A, south mostly M.
    cats = np.where(seg == "north", rng.choice(list("AAAOI"), n), rng.choice(list("MMMOI"), n))
    df = pd.DataFrame(
        {"x_f": [PAIR[c][0] for c in cats], "x_d": [PAIR[c][1] for c in cats], "seg": seg}
    )
    res = kano(df, pairs_of({"x": 0}), by="seg")
    for s in ("north", "south"):
        sub = kano(df[df["seg"] == s], pairs_of({"x": 0})).table
        got = res.by_segment[res.by_segment["seg"] == s].drop(columns="seg").reset_index(drop=True)
        pd.testing.assert_frame_equal(
            got[sub.columns.drop("n_missing")], sub.drop(columns="n_missing"), check_dtype=False
        )
    obs = pd.crosstab(df["seg"], cats).to_numpy()
    ref = chi2_contingency(obs, correction=False)
    t = res.segment_tests.set_index("feature").loc["x"]
    assert t["chi2"] == pytest.approx(ref.statistic) and t["p_value"] == pytest.approx(ref.pvalue)
    assert t["df"] == ref.dof and not t["small_cells"]
    assert t["p_value"] < 1e-6


def test_segment_small_cells_flagged() -> None:
    df = frame_from_counts({"x": {"A": 3, "M": 3}})
    df["seg"] = ["a", "a", "b", "b", "a", "b"]
    res = kano(df, pairs_of({"x": 0}), by="seg")
    assert bool(res.segment_tests["small_cells"].iloc[0])
    assert any("small expected counts" in n for n in res.notes)


# --- long format, respondents, needs by level -----------------------------------------------


def test_long_format_equals_wide() -> None:
    wide = pd.DataFrame(
        {
            "id": [1, 2, 3],
            "a_f": [1, 3, 1],
            "a_d": [5, 5, 3],
            "b_f": [3, 3, 1],
            "b_d": [3, 5, 3],
            "w": [1.0, 2.0, 1.0],
        }
    )
    long = pd.DataFrame(
        {
            "id": [1, 1, 2, 2, 3, 3],
            "feat": ["a", "b"] * 3,
            "fun": [1, 3, 3, 3, 1, 1],
            "dys": [5, 3, 5, 5, 3, 3],
            "w": [1.0, 1.0, 2.0, 2.0, 1.0, 1.0],
        }
    )
    a = kano(wide, {"a": ("a_f", "a_d"), "b": ("b_f", "b_d")}, weights="w").table
    b = kano(long, id="id", feature="feat", functional="fun", dysfunctional="dys", weights="w")
    pd.testing.assert_frame_equal(a, b.table)
    assert (b.n_used, b.n_excluded) == (3, 0)  # respondents, not long rows
    assert b.respondents.index.tolist() == [1, 2, 3]


def test_long_format_duplicates_rejected() -> None:
    long = pd.DataFrame({"id": [1, 1], "feat": ["a", "a"], "fun": [1, 1], "dys": [5, 5]})
    with pytest.raises(DataError, match="repeating"):
        kano(long, id="id", feature="feat", functional="fun", dysfunctional="dys")


def test_id_indexes_the_respondent_categories_and_long_format_needs_it() -> None:
    df = pd.DataFrame({"rid": [7, 8, 9], "f": [1, 3, 3], "d": [5, 5, 3]})
    res = kano(df, {"x": ("f", "d")}, id="rid")
    assert res.respondents["x"].to_dict() == {7: "O", 8: "M", 9: "I"}
    with pytest.raises(SchemaError, match="'ridd'"):
        kano(df, {"x": ("f", "d")}, id="ridd")
    long = pd.DataFrame({"feat": ["x"], "fun": [1], "dys": [5]})
    with pytest.raises(ConfigError, match="id="):
        kano(long, feature="feat", functional="fun", dysfunctional="dys")


def test_respondent_categories_and_needs_by_level() -> None:
    df = frame_from_counts({"m": {"M": 5, "I": 1}, "o": {"O": 4, "A": 2}, "a": {"A": 5, "I": 1}})
    res = kano(df, pairs_of({"m": 0, "o": 0, "a": 0}))
    assert res.respondents["m"].tolist() == ["M"] * 5 + ["I"]
    levels = res.needs_by_level()
    assert levels["feature"].tolist() == ["m", "o", "a"]
    assert levels["need"].tolist() == ["basic", "expected", "delight"]


def test_result_views() -> None:
    df = frame_from_counts({"x": COUNTS})
    res = kano(df, pairs_of({"x": 0}))
    html = res._repr_html_()
    assert "Kano classification" in html and "basic" in html
    assert html == kano(df, pairs_of({"x": 0}))._repr_html_()


def test_pairs_as_table_and_bad_table() -> None:
    df = frame_from_counts({"x": COUNTS})
    table = pd.DataFrame({"feature": ["x"], "functional": ["x_f"], "dysfunctional": ["x_d"]})
    pd.testing.assert_frame_equal(kano(df, table).table, kano(df, pairs_of({"x": 0})).table)
    with pytest.raises(ConfigError, match="dysfunctional"):
        kano(df, table.drop(columns="dysfunctional"))
