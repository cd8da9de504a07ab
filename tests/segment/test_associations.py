"""Tests of needlab.segment.associations."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
import pytest

from needlab.errors import ConfigError, DataError, SchemaError
from needlab.segment.associations import RULE_COLUMNS, associations


def _naive(
    baskets: list[set], min_support: float, min_confidence: float, max_len: int
) -> pd.DataFrame:
    """Brute force over all itemsets, in plain Python (independent of the sparse algebra)."""
    n = len(baskets)
    items = sorted(set().union(*baskets))

    def supp(s: tuple) -> float:
        return sum(1 for b in baskets if set(s) <= b) / n

    rows = []
    for k in range(2, max_len + 1):
        for s in combinations(items, k):
            ss = supp(s)
            if ss < min_support or any(
                supp(sub) < min_support for j in range(1, k) for sub in combinations(s, j)
            ):
                continue
            for j in range(1, k):
                for a in combinations(s, j):
                    b = tuple(x for x in s if x not in a)
                    conf = ss / supp(a)
                    if conf >= min_confidence:
                        rows.append(
                            {
                                "antecedent": " + ".join(a),
                                "consequent": " + ".join(b),
                                "support": ss,
                                "confidence": conf,
                                "lift": conf / supp(b),
                                "leverage": ss - supp(a) * supp(b),
                            }
                        )
    return pd.DataFrame(rows)


def test_hand_case() -> None:
    # 5 baskets: {bread, milk}, {bread, butter}, {bread, milk, butter}, {milk}, {eggs}
    tx = pd.DataFrame(
        {
            "b": [1, 1, 2, 2, 3, 3, 3, 4, 5],
            "i": ["bread", "milk", "bread", "butter", "bread", "milk", "butter", "milk", "eggs"],
        }
    )
    res = associations(tx, basket="b", item="i", min_support=0.2, min_confidence=0.0)
    assert list(res.table.columns) == RULE_COLUMNS
    assert res.n_baskets == 5 and res.n_items == 4
    r = res.table.set_index(["antecedent", "consequent"])
    bm = r.loc[("bread", "milk")]
    assert bm["support"] == pytest.approx(2 / 5)
    assert bm["confidence"] == pytest.approx(2 / 3)
    assert bm["lift"] == pytest.approx((2 / 3) / (3 / 5))
    assert bm["leverage"] == pytest.approx(2 / 5 - 3 / 5 * 3 / 5)
    assert bm["conviction"] == pytest.approx((1 - 3 / 5) / (1 - 2 / 3))
    assert bm["count"] == 2
    bb = r.loc[("butter", "bread")]
    assert bb["confidence"] == 1.0 and np.isinf(bb["conviction"])
    # eggs is alone: no rule; butter & milk co-occur once (support 0.2)
    assert not r.index.get_level_values(0).str.contains("eggs").any()
    assert r.loc[("butter", "milk"), "count"] == 1
    # sorted by lift
    assert res.table["lift"].is_monotonic_decreasing
    three = associations(tx, basket="b", item="i", min_support=0.2, min_confidence=0.0, max_len=3)
    t = three.table.set_index(["antecedent", "consequent"])
    assert t.loc[("bread + milk", "butter"), "confidence"] == pytest.approx(1 / 2)
    assert t.loc[("butter", "bread + milk"), "support"] == pytest.approx(1 / 5)
    assert (three.itemsets["size"] == 3).sum() == 1


def test_against_naive_python() -> None:
    rng = np.random.default_rng(7)
    items = np.array(list("abcdefg"))
    p = np.array([0.5, 0.4, 0.3, 0.3, 0.2, 0.1, 0.05])
    inc = rng.random((300, 7)) < p
    inc[:, 1] |= inc[:, 0] & (rng.random(300) < 0.5)  # a drives b
    rows, cols = np.nonzero(inc)
    tx = pd.DataFrame({"basket": rows, "item": items[cols]})
    baskets = [set(items[inc[i]]) for i in range(300) if inc[i].any()]
    for max_len in (2, 3):
        res = associations(
            tx, basket="basket", item="item", min_support=0.03, min_confidence=0.1, max_len=max_len
        )
        naive = _naive(baskets, 0.03, 0.1, max_len)
        got = res.table.set_index(["antecedent", "consequent"]).sort_index()
        exp = naive.set_index(["antecedent", "consequent"]).sort_index()
        assert got.index.equals(exp.index)
        for col in ("support", "confidence", "lift", "leverage"):
            np.testing.assert_allclose(got[col], exp[col], rtol=1e-12)
    top = associations(tx, basket="basket", item="item", min_support=0.05).table.iloc[0]
    assert {top["antecedent"], top["consequent"]} == {"a", "b"}


def test_against_mlxtend_if_installed() -> None:
    mlx = pytest.importorskip("mlxtend.frequent_patterns")
    rng = np.random.default_rng(1)
    inc = pd.DataFrame(rng.random((200, 6)) < 0.35, columns=list("uvwxyz"))
    rows, cols = np.nonzero(inc.to_numpy())
    tx = pd.DataFrame({"b": rows, "i": inc.columns[cols]})
    res = associations(tx, basket="b", item="i", min_support=0.05, min_confidence=0.2, max_len=3)
    fi = mlx.apriori(inc[inc.any(axis=1)], min_support=0.05, use_colnames=True, max_len=3)
    ref = mlx.association_rules(fi, metric="confidence", min_threshold=0.2)
    assert len(ref) == len(res.table)
    key = ref.assign(
        antecedent=ref["antecedents"].map(lambda f: " + ".join(sorted(f))),
        consequent=ref["consequents"].map(lambda f: " + ".join(sorted(f))),
    )
    exp = key.set_index(["antecedent", "consequent"]).sort_index()
    got = res.table.set_index(["antecedent", "consequent"]).sort_index()
    assert got.index.equals(exp.index)
    for col in ("support", "confidence", "lift", "leverage"):
        np.testing.assert_allclose(got[col], exp[col], rtol=1e-10)


def test_duplicates_and_missing_counted() -> None:
    tx = pd.DataFrame({"b": [1, 1, 1, 2, 2, None, 3], "i": ["x", "x", "y", "x", "y", "x", None]})
    res = associations(tx, basket="b", item="i", min_support=0.5)
    assert res.n_baskets == 2
    assert (res.n_used, res.n_excluded) == (5, 2)  # rows; the repeated line is used once
    assert any("2 rows with a missing" in n for n in res.notes)
    assert any("1 repeated" in n for n in res.notes)
    xy = res.table.set_index(["antecedent", "consequent"]).loc[("x", "y")]
    assert xy["count"] == 2 and xy["confidence"] == 1.0


def test_no_frequent_pairs_gives_empty_table() -> None:
    tx = pd.DataFrame({"b": [1, 2, 3], "i": ["x", "y", "z"]})
    res = associations(tx, basket="b", item="i", min_support=0.1)
    assert len(res.table) == 0 and list(res.table.columns) == RULE_COLUMNS
    assert len(res.itemsets) == 3
    assert "Association rules" in res._repr_html_()


def test_sample_transactions_fast() -> None:
    from needlab.datasets import load_sample

    s = load_sample()
    res = associations(
        s.transactions, basket="customer_id", item="category", min_support=0.01, max_len=3
    )
    assert res.n_baskets == s.transactions["customer_id"].nunique()
    assert len(res.table) > 0 and (res.table["support"] >= 0.01).all()
    assert (res.table["confidence"] >= 0.2).all()


def test_bad_input() -> None:
    tx = pd.DataFrame({"b": [1], "i": ["x"]})
    with pytest.raises(SchemaError, match="itme"):
        associations(tx, basket="b", item="itme")
    with pytest.raises(ConfigError, match="min_support"):
        associations(tx, basket="b", item="i", min_support=0)
    with pytest.raises(ConfigError, match="max_len"):
        associations(tx, basket="b", item="i", max_len=4)  # type: ignore[arg-type]
    with pytest.raises(DataError, match="'i'"):
        associations(pd.DataFrame({"b": [1], "i": [None]}), basket="b", item="i")


def test_plot_maps_lift_against_confidence() -> None:
    import matplotlib.pyplot as plt

    tx = pd.DataFrame({"order": [1, 1, 2, 2, 3, 4], "product": ["f", "m", "f", "m", "f", "b"]})
    res = associations(tx, basket="order", item="product", min_support=0.25)
    ax = res.plot(top=1)
    offsets = ax.collections[0].get_offsets()
    np.testing.assert_allclose(offsets, [[1.0, 4 / 3], [2 / 3, 4 / 3]])  # (confidence, lift)
    assert [t.get_text() for t in ax.texts] == ["m -> f"]  # only the top rule is labelled
    assert ax.get_xlabel() == "confidence" and ax.get_ylabel() == "lift"
    plt.close("all")
