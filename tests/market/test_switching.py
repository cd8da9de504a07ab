"""switching: hand matrix, gains/losses/net, stationary distribution, properties, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import needlab as nl
from needlab.errors import ConfigError, DataError, SchemaError
from needlab.market.switching import stationary_distribution, switching


def _pairs(counts: dict[tuple[str, str], int]) -> pd.DataFrame:
    rows = [(b, a) for (b, a), n in counts.items() for _ in range(n)]
    return pd.DataFrame(rows, columns=["prev", "now"])


HAND = {
    ("A", "A"): 6, ("A", "B"): 3, ("A", "C"): 1,
    ("B", "A"): 2, ("B", "B"): 6, ("B", "C"): 2,
    ("C", "A"): 1, ("C", "B"): 1, ("C", "C"): 3,
}  # fmt: skip


def test_hand_matrix_gains_losses_net() -> None:
    res = switching(_pairs(HAND), "prev", "now")
    t = res.table.set_index("brand")
    assert res.counts.loc["A", "B"] == 3
    assert t.loc["A", "retained"] == 6 and t.loc["A", "retention"] == pytest.approx(0.6)
    # gains: column minus diagonal; losses: row minus diagonal
    assert t.loc["A", "gains"] == 3 and t.loc["A", "losses"] == 4 and t.loc["A", "net"] == -1
    assert t.loc["B", "gains"] == 4 and t.loc["B", "losses"] == 4 and t.loc["B", "net"] == 0
    assert t.loc["C", "gains"] == 3 and t.loc["C", "losses"] == 2 and t.loc["C", "net"] == 1
    assert t["net"].sum() == 0
    assert np.allclose(t["net"], t["after"] - t["before"])
    assert np.allclose(res.row_shares.sum(axis=1), 1)


def _closed_form(P: np.ndarray) -> np.ndarray:
    # pi_i proportional to det of (I - P) without row and column i (matrix-tree theorem).
    k = len(P)
    M = np.eye(k) - P
    m = np.array([np.linalg.det(np.delete(np.delete(M, i, 0), i, 1)) for i in range(k)])
    return m / m.sum()


def test_stationary_hand_3x3() -> None:
    P = np.array([[0.6, 0.3, 0.1], [0.2, 0.6, 0.2], [0.2, 0.2, 0.6]])
    pi, unique = stationary_distribution(P)
    assert unique
    assert np.allclose(pi @ P, pi)
    assert pi.sum() == pytest.approx(1)
    # by hand: minors of I - P without row/column i are 0.12, 0.14, 0.10 -> pi = (6, 7, 5) / 18
    assert np.allclose(pi, [6 / 18, 7 / 18, 5 / 18])
    assert np.allclose(pi, _closed_form(P))


def test_stationary_two_state_closed_form() -> None:
    a, b = 0.1, 0.3
    pi, _ = stationary_distribution([[1 - a, a], [b, 1 - b]])
    assert np.allclose(pi, [b / (a + b), a / (a + b)])


def test_switching_long_run_matches_hand_matrix() -> None:
    res = switching(_pairs(HAND), "prev", "now")
    P = res.row_shares.to_numpy()
    assert np.allclose(res.long_run.to_numpy(), _closed_form(P))
    assert any("time-homogeneous" in n for n in res.notes)


def test_not_unique_uses_current_shares() -> None:
    df = _pairs({("A", "A"): 2, ("B", "B"): 3})
    res = switching(df, "prev", "now")
    assert np.allclose(res.long_run.to_numpy(), [0.4, 0.6])
    assert any("not unique" in n for n in res.notes)


@settings(max_examples=50)
@given(arrays(float, (4, 4), elements=st.floats(0, 10)))
def test_row_shares_and_stationary_properties(m: np.ndarray) -> None:
    m = m + 0.01  # every row observed
    P = m / m.sum(axis=1, keepdims=True)
    pi, unique = stationary_distribution(P)
    assert unique
    assert pi.sum() == pytest.approx(1) and (pi >= 0).all()
    assert np.allclose(pi @ P, pi, atol=1e-8)


@settings(max_examples=30)
@given(st.lists(st.tuples(st.sampled_from("ABC"), st.sampled_from("ABC")), min_size=1, max_size=40))
def test_switching_row_shares_sum_to_one(pairs: list[tuple[str, str]]) -> None:
    df = pd.DataFrame(pairs, columns=["prev", "now"])
    res = switching(df, "prev", "now", brands=["A", "B", "C"])
    assert np.allclose(res.row_shares.sum(axis=1), 1)
    assert res.long_run.sum() == pytest.approx(1) and (res.long_run >= 0).all()


def test_entrants_weights_and_exclusions() -> None:
    df = pd.DataFrame(
        {
            "prev": ["A", "A", "B", None, "", "B", "A"],
            "now": ["A", "B", "B", "A", "B", None, "A"],
            "w": [2.0, 1.0, 1.0, 1.5, 1.0, 1.0, 0.0],
        }
    )
    res = switching(df, "prev", "now", weights="w")
    t = res.table.set_index("brand")
    assert t.loc["A", "entrants"] == 1.5 and t.loc["B", "entrants"] == 1.0
    assert res.counts.loc["A", "A"] == 2.0
    assert (res.n_used, res.n_excluded) == (5, 2)
    text = " ".join(res.notes)
    assert "entrants" in text and "missing current brand" in text and "zero weight" in text


def test_brand_on_one_side_is_an_error() -> None:
    df = pd.DataFrame({"prev": ["A", "B", "C"], "now": ["A", "B", "D"]})
    with pytest.raises(DataError, match=r"only in 'prev'.*'C'.*only in 'now'.*'D'.*brands="):
        switching(df, "prev", "now")
    res = switching(df, "prev", "now", brands=["A", "B", "C", "D"])
    assert res.table.set_index("brand").loc["D", "before"] == 0
    assert any("no customer had" in n for n in res.notes)


def test_label_outside_brands() -> None:
    df = pd.DataFrame({"prev": ["A", "X"], "now": ["A", "B"]})
    with pytest.raises(DataError, match=r"'prev'.*'X'.*rows 1"):
        switching(df, "prev", "now", brands=["A", "B"])


def test_other_bad_input() -> None:
    df = pd.DataFrame({"prev": ["A", "B"], "now": ["A", "B"]})
    with pytest.raises(SchemaError, match="nowx"):
        switching(df, "prev", "nowx")
    with pytest.raises(ConfigError, match="same column"):
        switching(df, "prev", "prev")
    with pytest.raises(ConfigError, match="lang"):
        switching(df, "prev", "now", lang="fr")  # type: ignore[arg-type]
    with pytest.raises(DataError, match="no row has both"):
        switching(
            pd.DataFrame({"prev": [None, None], "now": ["A", "B"]}),
            "prev",
            "now",
            brands=["A", "B"],
        )
    with pytest.raises(DataError, match="rows must sum to 1"):
        stationary_distribution([[0.5, 0.4], [0.5, 0.5]])


def test_plot_kinds() -> None:
    res = switching(_pairs(HAND), "prev", "now", lang="zh")
    assert len(res.plot().images) == 1
    assert len(res.plot(kind="net").patches) == 9
    with pytest.raises(ConfigError, match="kind"):
        res.plot(kind="pie")


def test_sample_planted_switching_matrix() -> None:
    s = nl.load_sample()
    df = getattr(s, "brand_survey", None)
    truth = getattr(s.truth, "market", None)
    if df is None or truth is None:
        pytest.skip("sample has no brand block yet")
    planted = truth["switching"] if isinstance(truth, dict) else getattr(truth, "switching", None)
    if planted is None:
        pytest.skip("truth.market has no switching matrix")
    planted = pd.DataFrame(planted)
    res = switching(df, "previous_brand", "current_brand", brands=list(planted.index))
    got = res.row_shares.loc[planted.index, planted.columns]
    n_row = res.table.set_index("brand")["before"].reindex(planted.index).to_numpy()
    # within 4 standard errors of a proportion on each row's base
    se = np.sqrt(planted.to_numpy() * (1 - planted.to_numpy()) / np.maximum(n_row, 1)[:, None])
    assert (np.abs(got.to_numpy() - planted.to_numpy()) <= 4 * se + 0.02).all()
    stationary = getattr(truth, "stationary", None)
    if stationary is not None:  # the long-run shares of the planted chain, recovered loosely
        assert np.allclose(res.long_run[stationary.index], stationary, atol=0.06)
