"""Association rules between items bought (or mentioned) together: support, confidence, lift.

Baskets become a sparse basket x item incidence matrix X; the co-occurrence counts of all item
pairs are one sparse product ``X.T @ X``, and those of triples one product of the
pair-indicator matrix with X (candidate triples restricted to frequent pairs, the Apriori
principle). No loop over baskets.

References
----------
Agrawal, R., & Srikant, R. (1994). Fast algorithms for mining association rules. *Proceedings
of the 20th VLDB Conference*, 487-499.
Brin, S., Motwani, R., Ullman, J. D., & Tsur, S. (1997). Dynamic itemset counting and
implication rules for market basket data. *SIGMOD Record*, 26(2), 255-264 (lift, called
interest, and conviction).
Piatetsky-Shapiro, G. (1991). Discovery, analysis, and presentation of strong rules. In
*Knowledge Discovery in Databases*, 229-248 (leverage).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from needlab._result import Result
from needlab._validate import check_columns, check_frame
from needlab.errors import ConfigError, DataError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["AssociationResult", "associations"]

RULE_COLUMNS = [
    "antecedent",
    "consequent",
    "antecedent_support",
    "consequent_support",
    "support",
    "confidence",
    "lift",
    "leverage",
    "conviction",
    "count",
    "size",
]
SEP = " + "


@dataclass(frozen=True, repr=False)
class AssociationResult(Result):
    """Result of :func:`associations`.

    ``n_used`` and ``n_excluded`` count **rows** (basket lines) of the input: ``n_used`` lines
    with both a basket and an item (repeated lines of one item in one basket included; the item
    counts once), ``n_excluded`` lines with a missing basket or item (noted). Supports are shares
    of the ``n_baskets`` baskets those lines form.

    Attributes
    ----------
    table : DataFrame
        The rules, one row each (columns described in :func:`associations`), by lift.
    itemsets : DataFrame
        Frequent itemsets: ``itemset`` (items joined by ``" + "``), ``items`` (tuple of the
        items), ``size``, ``count`` (baskets containing all of them) and ``support``.
    n_baskets : int
        Baskets analysed.
    n_items : int
        Distinct items seen.
    min_support, min_confidence : float
        The thresholds used.
    max_len : int
        Largest itemset mined.
    """

    itemsets: pd.DataFrame | None = None
    n_baskets: int = 0
    n_items: int = 0
    min_support: float = 0.01
    min_confidence: float = 0.2
    max_len: int = 2

    title = "Association rules"

    def summary(self) -> dict[str, Any]:
        return {
            "baskets": self.n_baskets,
            "items": self.n_items,
            "frequent itemsets": 0 if self.itemsets is None else len(self.itemsets),
            "rules": len(self.table),
        }

    def tables(self) -> dict[str, pd.DataFrame]:
        out = {"rules": self.table}
        if self.itemsets is not None:
            out["itemsets"] = self.itemsets.drop(columns="items")
        return out

    def plot(self, ax: Axes | None = None, *, top: int = 5, **kwargs: Any) -> Axes:
        """Rules map: lift (y) against confidence (x), marker area by support, the *top* rules
        by lift labelled ``A -> B`` (:func:`needlab.segment.plot.rules_map`)."""
        from needlab.segment.plot import rules_map

        return rules_map(self, ax=ax, top=top, **kwargs)


def _check_fraction(value: float, name: str, *, closed_low: bool) -> float:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    ok = ok and (0 <= value <= 1 if closed_low else 0 < value <= 1)
    if not ok:
        rng = "[0, 1]" if closed_low else "(0, 1]"
        raise ConfigError(f"{name} must be a number in {rng}, got {value!r}.")
    return float(value)


def associations(
    data: pd.DataFrame,
    *,
    basket: Hashable,
    item: Hashable,
    min_support: float = 0.01,
    min_confidence: float = 0.2,
    max_len: Literal[2, 3] = 2,
) -> AssociationResult:
    """Mine association rules A -> B from a long table of (basket, item) rows.

    An item counts once per basket however often it appears in it. Supports are shares of
    baskets. Itemsets with support >= ``min_support`` are frequent; rules are all splits of a
    frequent itemset into antecedent and consequent with confidence >= ``min_confidence``.

    Parameters
    ----------
    data : DataFrame
        One row per basket line: an order and a product, a customer and a category, a
        respondent and a mentioned pain point, ...
    basket : column name
        The basket id (order, customer, respondent).
    item : column name
        The item.
    min_support : float in (0, 1]
        Minimum share of baskets containing the whole itemset.
    min_confidence : float in [0, 1]
        Minimum confidence of a rule.
    max_len : {2, 3}
        Largest itemset: 2 gives rules between pairs of items; 3 adds rules within triples
        (``{A, B} -> C`` and ``A -> {B, C}``).

    Returns
    -------
    AssociationResult
        ``table`` has one row per rule, sorted by lift, then confidence, descending:

        - ``antecedent``, ``consequent``: the items of A and of B, joined by ``" + "`` in sorted
          order when there are several.
        - ``antecedent_support``: supp(A), the share of baskets containing A.
        - ``consequent_support``: supp(B).
        - ``support``: supp(A and B), the share of baskets containing both.
        - ``confidence``: supp(A and B) / supp(A), an estimate of P(B | A).
        - ``lift``: confidence / supp(B); 1 means independence, above 1 that A and B go together
          more often than chance (Brin et al. 1997).
        - ``leverage``: supp(A and B) - supp(A) supp(B) (Piatetsky-Shapiro 1991).
        - ``conviction``: (1 - supp(B)) / (1 - confidence); infinite when the confidence is 1.
        - ``count``: baskets containing both A and B.
        - ``size``: items in the rule (2 or 3).

        ``n_used``/``n_excluded`` count rows (basket lines); ``notes`` counts rows excluded for
        a missing basket or item and repeated lines.

    Raises
    ------
    SchemaError
        Not a DataFrame, or a missing column.
    DataError
        No row with both a basket and an item.
    ConfigError
        Thresholds outside their range, or ``max_len`` not 2 or 3.

    References
    ----------
    Agrawal & Srikant (1994) for support, confidence and the Apriori principle; Brin et al.
    (1997) for lift and conviction; Piatetsky-Shapiro (1991) for leverage.

    Examples
    --------
    >>> tx = pd.DataFrame({"order": [1, 1, 2, 2, 3, 4],
    ...                    "product": ["filter", "mop", "filter", "mop", "filter", "bag"]})
    >>> res = associations(tx, basket="order", item="product", min_support=0.25)
    >>> res.table[["antecedent", "consequent", "support", "confidence", "lift"]]
      antecedent consequent  support  confidence      lift
    0        mop     filter      0.5    1.000000  1.333333
    1     filter        mop      0.5    0.666667  1.333333
    """
    from scipy import sparse

    data = check_frame(data)
    check_columns(data, [basket, item])
    min_support = _check_fraction(min_support, "min_support", closed_low=False)
    min_confidence = _check_fraction(min_confidence, "min_confidence", closed_low=True)
    if max_len not in (2, 3) or isinstance(max_len, bool):
        raise ConfigError(f"max_len must be 2 or 3, got {max_len!r}.")
    notes: list[str] = []
    b, it = data[basket], data[item]
    missing = (b.isna() | it.isna()).to_numpy()
    if missing.any():
        notes.append(
            f"{int(missing.sum())} rows with a missing basket ({basket!r}) or item ({item!r}) excluded."
        )
    if missing.all():
        raise DataError(f"no row has both a basket ({basket!r}) and an item ({item!r}).")
    bcodes, _ = pd.factorize(b[~missing])
    icodes, items = pd.factorize(it[~missing], sort=True)
    n_b, n_i = int(bcodes.max()) + 1, len(items)
    x = sparse.csr_matrix(
        (np.ones(len(bcodes), dtype=np.int64), (bcodes, icodes)), shape=(n_b, n_i)
    )
    dup = int(x.sum() - x.nnz)
    if dup:
        notes.append(f"{dup} repeated (basket, item) lines counted once.")
    x.data[:] = 1  # duplicates were summed by the constructor: an item counts once per basket
    labels = np.asarray(items.astype(object).map(str), dtype=object)

    min_count = min_support * n_b - 1e-9 * n_b
    counts = np.asarray(x.sum(axis=0)).ravel()
    freq = np.flatnonzero(counts >= min_count)
    sets = [pd.DataFrame({"i0": freq, "i1": -1, "i2": -1, "count": counts[freq]})]
    if len(freq) >= 2:
        xf = x[:, freq].tocsc()
        co = sparse.triu(xf.T @ xf, k=1).tocoo()
        keep = co.data >= min_count
        a, c, cnt = freq[co.row[keep]], freq[co.col[keep]], co.data[keep].astype(np.int64)
        sets.append(pd.DataFrame({"i0": a, "i1": c, "i2": -1, "count": cnt}))
        if max_len == 3 and len(a) >= 2:
            sets.append(_triples(x, a, c, freq, min_count))
    itemsets = pd.concat(sets, ignore_index=True)
    itemsets["size"] = 1 + (itemsets["i1"] >= 0).astype(int) + (itemsets["i2"] >= 0).astype(int)
    itemsets["support"] = itemsets["count"] / n_b
    rules = _rules(itemsets, n_b, labels)
    rules = rules[rules["confidence"] >= min_confidence - 1e-12]
    table = rules.sort_values(
        ["lift", "confidence", "support"], ascending=False, kind="stable"
    ).reset_index(drop=True)
    ids = itemsets[["i0", "i1", "i2"]].to_numpy()
    item_tuples = [tuple(labels[r[r >= 0]]) for r in ids]  # one per frequent itemset
    sets_out = (
        pd.DataFrame(
            {
                "itemset": [SEP.join(t) for t in item_tuples],
                "items": item_tuples,
                "size": itemsets["size"].to_numpy(),
                "count": itemsets["count"].to_numpy(np.int64),
                "support": itemsets["support"].to_numpy(float),
            }
        )
        .sort_values(["size", "support"], ascending=[True, False], kind="stable")
        .reset_index(drop=True)
    )
    return AssociationResult(
        table,
        notes=tuple(notes),
        itemsets=sets_out,
        n_baskets=n_b,
        n_items=n_i,
        min_support=min_support,
        min_confidence=min_confidence,
        max_len=max_len,
        n_used=int((~missing).sum()),
        n_excluded=int(missing.sum()),
    )


def _triples(
    x: Any, a: np.ndarray, c: np.ndarray, freq: np.ndarray, min_count: float
) -> pd.DataFrame:
    """Counts of frequent triples {a, c, d} (a < c < d) from the frequent pairs (a, c)."""
    xc = x.tocsc()
    pair = xc[:, a].multiply(xc[:, c]).tocsc()  # baskets x frequent pairs
    cnt = (pair.T @ xc[:, freq]).tocoo()  # frequent pairs x frequent items
    d = freq[cnt.col]
    keep = (d > c[cnt.row]) & (cnt.data >= min_count)
    i0, i1, i2 = a[cnt.row[keep]], c[cnt.row[keep]], d[keep]
    # Apriori: every sub-pair must be frequent ((i0, i1) is by construction)
    m = int(max(a.max(), c.max(), i2.max() if len(i2) else 0)) + 1
    pairs = a.astype(np.int64) * m + c
    ok = np.isin(i0.astype(np.int64) * m + i2, pairs) & np.isin(i1.astype(np.int64) * m + i2, pairs)
    return pd.DataFrame(
        {"i0": i0[ok], "i1": i1[ok], "i2": i2[ok], "count": cnt.data[keep][ok].astype(np.int64)}
    )


def _rules(itemsets: pd.DataFrame, n_b: int, labels: np.ndarray) -> pd.DataFrame:
    """All antecedent -> consequent splits of the frequent itemsets of size >= 2, with measures."""
    ids = itemsets[["i0", "i1", "i2"]].to_numpy()
    sup = dict(
        zip((tuple(r[r >= 0].tolist()) for r in ids), itemsets["count"].tolist(), strict=True)
    )
    parts = []
    for size, splits in (
        (2, (((0,), (1,)), ((1,), (0,)))),
        (
            3,
            tuple(
                (tuple(k), tuple(j for j in range(3) if j not in k))
                for k in ((0, 1), (0, 2), (1, 2), (0,), (1,), (2,))
            ),
        ),
    ):
        sel = itemsets["size"].to_numpy() == size
        if not sel.any():
            continue
        i, cnt = ids[sel], itemsets["count"].to_numpy()[sel]
        for ka, kb in splits:  # a loop over the (at most 8) ways to split an itemset
            parts.append(
                pd.DataFrame(
                    {
                        "a": list(map(tuple, i[:, ka].tolist())),
                        "b": list(map(tuple, i[:, kb].tolist())),
                        "count": cnt,
                    }
                )
            )
    if not parts:
        return pd.DataFrame(
            {
                c: pd.Series(dtype=object if c in ("antecedent", "consequent") else float)
                for c in RULE_COLUMNS
            }
        )
    r = pd.concat(parts, ignore_index=True)
    sa = r["a"].map(sup).to_numpy(float) / n_b
    sb = r["b"].map(sup).to_numpy(float) / n_b
    support = r["count"].to_numpy(float) / n_b
    conf = support / sa
    with np.errstate(divide="ignore"):
        conviction = np.where(conf < 1, (1 - sb) / np.where(conf < 1, 1 - conf, 1.0), np.inf)
    return pd.DataFrame(
        {
            "antecedent": [SEP.join(labels[list(t)]) for t in r["a"]],
            "consequent": [SEP.join(labels[list(t)]) for t in r["b"]],
            "antecedent_support": sa,
            "consequent_support": sb,
            "support": support,
            "confidence": conf,
            "lift": conf / sb,
            "leverage": support - sa * sb,
            "conviction": conviction,
            "count": r["count"].to_numpy(np.int64),
            "size": (r["a"].map(len) + r["b"].map(len)).to_numpy(np.int64),
        }
    )
