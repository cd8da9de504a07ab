"""Customer value tiers (客户分层) and moves between tiers (升级与降级).

:func:`value_tiers` splits customers into tiers by their share of the customer base (top 20%,
next 30%, rest) or by fixed value thresholds, never splitting identical values across tiers.
:func:`tier_migration` compares the tiers of two periods: a transition matrix with new and lost
customers and counts of upgrades, downgrades and stays.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from needlab._result import Result
from needlab._validate import (
    as_design,
    as_series,
    check_columns,
    check_option,
    normalise_ids,
    preview,
    row_list,
)
from needlab.errors import ConfigError, DataError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["MigrationResult", "TierResult", "tier_migration", "value_tiers"]

TierTies = Literal["up", "down", "average"]


# ---------------------------------------------------------------------------- value tiers
@dataclass(frozen=True, repr=False)
class TierResult(Result):
    """Value tiers of customers.

    ``n_used`` counts the customers (rows given) with a value, ``n_excluded`` those with a
    missing value (no tier; noted).

    Attributes
    ----------
    table : DataFrame
        One row per tier, highest first: ``tier``, ``count``, ``share`` (of customers with a
        value), ``value`` (sum), ``value_share`` (of the total value), ``min``, ``max``.
    tiers : Series
        Tier of each customer, indexed like the input; an ordered categorical whose categories run
        from the lowest tier to the highest (so ``tiers > "medium"`` selects the high tier).
    """

    tiers: pd.Series = field(default_factory=pd.Series)

    title = "Value tiers"

    def summary(self) -> dict[str, Any]:
        return {"tiers": len(self.table), "top tier": str(self.table["tier"].iloc[0])}

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"tiers": self.table}

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Bar chart of tier sizes (highest tier first)."""
        from needlab.segment.plot import segment_sizes

        return segment_sizes(self.tiers, ax=ax, order=list(self.table["tier"]), **kwargs)


def value_tiers(
    data: Any,
    var: Hashable | None = None,
    *,
    cuts: Sequence[float] = (0.2, 0.3),
    labels: Sequence[str] = ("high", "medium", "low"),
    thresholds: Sequence[float] | None = None,
    ties: TierTies = "up",
) -> TierResult:
    """Split customers into value tiers by share of customers or by fixed thresholds.

    By share (default): with ``cuts=(0.2, 0.3)`` the top 20% of customers by value are
    ``"high"``, the next 30% ``"medium"`` and the rest ``"low"``. A customer with ``k``
    customers of strictly higher value is in the first tier whose cumulative share ``c``
    satisfies ``k < c * n`` (``n`` customers with a value). Without ties this gives exactly
    ``ceil(c * n)`` customers up to the tier.

    Ties are never split across tiers: customers with identical values always get the same
    tier. A tie group that straddles a cut goes

    - ``"up"`` (default): to the higher tier (its best-placed member decides; that tier may get
      more than its share),
    - ``"down"``: to the lower tier (its worst-placed member decides; the higher tier may get
      fewer),
    - ``"average"``: where its middle member falls.

    With fixed ``thresholds=(t1, t2)`` a value ``>= t1`` is in the first tier, ``>= t2`` in the
    second, and the rest in the last (ties can not be split; ``cuts`` and ``ties`` are ignored).

    Parameters
    ----------
    data : Series, DataFrame or Survey
        A value per customer (e.g. total spend), indexed by customer id; or a frame with one
        row per customer holding the value in column *var*.
    var : column name, optional
        The value column when *data* is a frame.
    cuts : sequence of float, default (0.2, 0.3)
        Shares of customers of every tier but the last, from the top; their sum must be < 1.
    labels : sequence of str, default ("high", "medium", "low")
        Tier names from the highest to the lowest; one more than ``cuts``.
    thresholds : sequence of float, optional
        Strictly decreasing lower bounds of every tier but the last.
    ties : {"up", "down", "average"}
        Where a tie group that straddles a cut goes.

    Returns
    -------
    TierResult
        ``tiers`` (tier per customer) and ``table`` with columns ``tier``, ``count``, ``share``
        (of customers with a value), ``value`` (total), ``value_share``, ``min`` and ``max``
        (value range in the tier); missing values keep a missing tier and are counted in
        ``n_excluded``.

    Raises
    ------
    SchemaError
        A frame without *var*, or a 2-d array.
    ConfigError
        Bad cuts, labels, thresholds or ties.
    DataError
        Non-numeric values or no values at all.

    References
    ----------
    The 20/30/50 split follows the ABC (Pareto) analysis of customer value, e.g. Kotler, P. &
    Keller, K. L. (2016). *Marketing Management*, 15th ed., ch. 5 (customer profitability).

    Examples
    --------
    >>> spend = pd.Series([900, 500, 500, 300, 200, 100, 100, 50, 20, 10],
    ...                   index=list("abcdefghij"))
    >>> value_tiers(spend).tiers.tolist()
    ['high', 'high', 'high', 'medium', 'medium', 'low', 'low', 'low', 'low', 'low']
    >>> value_tiers(spend, ties="down").tiers.tolist()
    ['high', 'medium', 'medium', 'medium', 'medium', 'low', 'low', 'low', 'low', 'low']
    """
    check_option(ties, ("up", "down", "average"), "ties")
    values = as_series(data, var)
    name = values.name if values.name is not None else "values"
    labels = [str(x) for x in labels]
    if len(set(labels)) != len(labels) or len(labels) < 2:
        raise ConfigError(f"labels must be at least 2 distinct names, got {labels!r}.")
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        x = values.astype(float)
    else:
        x = pd.to_numeric(values, errors="coerce")
        bad = (x.isna() & values.notna()).to_numpy()
        if bad.any():
            raise DataError(
                f"{name!r} must be numeric but has {int(bad.sum())} non-numeric values: "
                f"{preview(values[bad])} at rows {row_list(bad)}."
            )
        x = x.astype(float)
    v = x.to_numpy()
    inf = np.isinf(v)
    if inf.any():
        raise DataError(
            f"{name!r} has {int(inf.sum())} infinite values: {preview(values[inf])} at rows "
            f"{row_list(inf)}; values must be finite. Replace them (e.g. with a capped value or a "
            "missing value) or drop those customers."
        )
    na = np.isnan(v)
    n = int((~na).sum())
    if n == 0:
        raise DataError(f"{name!r} has no values; every customer is missing.")
    k = len(labels)
    vv = v[~na]
    if thresholds is not None:
        t = np.asarray(thresholds, dtype=float)
        if t.ndim != 1 or len(t) != k - 1 or np.any(np.diff(t) >= 0) or not np.all(np.isfinite(t)):
            raise ConfigError(
                f"thresholds must be {k - 1} strictly decreasing numbers (one per "
                f"tier but the last), got {thresholds!r}."
            )
        # code 0 = first (highest) tier
        code = np.searchsorted(-t, -vv, side="left")  # thresholds strictly above the value
    else:
        c = np.asarray(cuts, dtype=float)
        if c.ndim != 1 or len(c) != k - 1 or np.any(c <= 0) or c.sum() >= 1:
            raise ConfigError(
                f"cuts must be {k - 1} positive shares (one per tier but the last) "
                f"summing to less than 1, got {cuts!r}."
            )
        uniq, inv, cnt = np.unique(-vv, return_inverse=True, return_counts=True)
        inv = inv.reshape(-1)
        above = (np.cumsum(cnt) - cnt)[inv]  # customers with a strictly higher value
        eq = cnt[inv]
        pos = {"up": 2 * above, "down": 2 * (above + eq - 1), "average": 2 * above + eq - 1}[ties]
        cum = np.cumsum(c) * n
        code = np.searchsorted(2 * cum, pos, side="right")  # first tier with pos < 2 * cum
    full = np.full(len(v), -1, dtype=np.int64)
    full[~na] = (k - 1) - code  # categories run from the lowest tier to the highest
    tiers = pd.Series(
        pd.Categorical.from_codes(full, categories=pd.Index(labels[::-1]), ordered=True),
        index=values.index,
        name="tier",
    )
    cnt_t = np.bincount(code, minlength=k)
    val_t = np.bincount(code, weights=vv, minlength=k)
    total = vv.sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        mn = pd.Series(vv).groupby(code).min().reindex(range(k)).to_numpy()
        mx = pd.Series(vv).groupby(code).max().reindex(range(k)).to_numpy()
        table = pd.DataFrame(
            {
                "tier": labels,
                "count": cnt_t.astype(np.int64),
                "share": cnt_t / n,
                "value": val_t,
                "value_share": val_t / total if total != 0 else np.full(k, np.nan),
                "min": mn,
                "max": mx,
            }
        )
    notes = []
    if na.any():
        notes.append(f"{int(na.sum())} customers with a missing {name!r} have no tier.")
    if thresholds is None:
        target = np.diff(np.concatenate([[0.0], np.ceil(np.cumsum(c) * n - 1e-9)]))
        off = [
            f"{labels[i]} {cnt_t[i]} (target {int(target[i])})"
            for i in range(k - 1)
            if cnt_t[i] != target[i]
        ]
        if off:
            notes.append(f"tied values at a cut moved {ties}: " + ", ".join(off) + ".")
    return TierResult(
        table,
        tiers=tiers,
        notes=tuple(notes),
        n_used=n,
        n_excluded=int(na.sum()),
    )


# ---------------------------------------------------------------------------- migration
@dataclass(frozen=True, repr=False)
class MigrationResult(Result):
    """Moves of customers between tiers of two periods.

    ``n_used`` counts the customers (rows given) with a tier in at least one period,
    ``n_excluded`` those with no tier in either (noted).

    Attributes
    ----------
    table : DataFrame
        Transition counts: rows = tier before (highest first) then ``"new"``, columns = tier
        after then ``"lost"``, plus a ``"total"`` column. Index named ``"before"``.
    shares : DataFrame
        The counts divided by their row total (rows sum to 1).
    counts : dict
        ``upgraded``, ``downgraded``, ``stayed``, ``new``, ``lost``, ``customers``.
    order : list
        Tiers from the lowest to the highest.
    """

    shares: pd.DataFrame = field(default_factory=pd.DataFrame)
    counts: dict[str, int] = field(default_factory=dict)
    order: list[Any] = field(default_factory=list)

    title = "Tier migration"

    def summary(self) -> dict[str, Any]:
        return dict(self.counts)

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"counts": self.table, "shares": self.shares}

    def plot(
        self, ax: Axes | None = None, value: Literal["count", "share"] = "count", **kwargs: Any
    ) -> Axes:
        """Heatmap of the transition matrix (counts or row shares)."""
        from needlab.segment.plot import migration_matrix

        return migration_matrix(self, ax=ax, value=value, **kwargs)


def _order_of(s: pd.Series) -> list[Any] | None:
    if isinstance(s.dtype, pd.CategoricalDtype) and s.cat.ordered:
        return list(s.cat.categories)
    return None


def tier_migration(
    data: Any,
    before: Hashable,
    after: Hashable,
    *,
    order: Sequence[Any] | None = None,
    id: Hashable | None = None,
) -> MigrationResult:
    """Transition matrix of customer tiers between two periods, with new and lost customers.

    Parameters
    ----------
    data : DataFrame or Survey
        One row per customer with the tier of each period, e.g.
        ``pd.DataFrame({"y1": value_tiers(s1).tiers, "y2": value_tiers(s2).tiers})`` (aligned
        on the customer id; a customer absent from a period gets a missing tier).
    before, after : column name
        The tier columns of the first and of the second period. A customer with a tier only
        ``after`` is *new*; only ``before``, *lost*; with neither, excluded (counted in
        ``n_excluded`` and the notes).
    order : sequence, optional
        Tiers from the **lowest to the highest**. Default: the categories of ``before`` (or
        ``after``) when it is an ordered categorical, as :func:`value_tiers` returns.
    id : column name, optional
        The customer id column. Default: the frame's index (the codebook's id for a Survey).
        Ids are compared after Unicode NFKC and trimming, so ``"C1"`` and ``"C1 "`` are one
        customer: their rows are merged (the variants are listed in the notes).

    Returns
    -------
    MigrationResult
        ``table``: counts with rows = tier before (highest first) and ``"new"``, columns = tier
        after (highest first), ``"lost"`` and ``"total"``. ``shares``: the counts over the row
        total. ``counts``: ``upgraded`` (moved to a higher tier), ``downgraded``, ``stayed``,
        ``new``, ``lost`` and ``customers`` (with a tier in either period).

    Raises
    ------
    SchemaError
        Not a DataFrame, or a column not found.
    ConfigError
        No order known, conflicting orders, tiers missing from ``order``, ``before`` equal to
        ``after``, or a tier named ``"new"``, ``"lost"`` or ``"total"``.
    DataError
        Rows of one customer (after id normalisation) with different tiers in one period.

    Examples
    --------
    >>> df = pd.DataFrame({"y1": ["high", "low", "medium", "low", None],
    ...                    "y2": ["medium", "medium", "medium", None, "high"]})
    >>> res = tier_migration(df, "y1", "y2", order=["low", "medium", "high"])
    >>> res.counts
    {'upgraded': 1, 'downgraded': 1, 'stayed': 1, 'new': 1, 'lost': 1, 'customers': 5}
    """
    design = as_design(data, id=id)
    frame, id = design.data, design.id
    check_columns(frame, [before, after], what="tier column")
    if before == after:
        raise ConfigError(f"before and after are the same column {before!r}; name two periods.")
    notes = []
    n_given = len(frame)
    raw_ids = frame[check_columns(frame, id)[0]] if id is not None else frame.index.to_series()
    ids, merged = normalise_ids(raw_ids.reset_index(drop=True), what="customer ids")
    if merged:
        frame = _merge_customers(frame, ids, before, after)
        notes.append(merged + f" Their rows were merged ({n_given} rows, {len(frame)} customers).")
    sb, sa = frame[before], frame[after]
    if order is None:
        ob, oa = _order_of(sb), _order_of(sa)
        if ob is not None and oa is not None and ob != oa:
            raise ConfigError(
                f"before and after have different tier orders ({ob} vs {oa}); "
                "pass order=[lowest, ..., highest]."
            )
        order = ob if ob is not None else oa
        if order is None:
            raise ConfigError(
                "the tiers have no order; pass order=[lowest, ..., highest] (or "
                "ordered categoricals, as value_tiers returns)."
            )
    order = list(order)
    if len(set(order)) != len(order):
        raise ConfigError(f"order has repeated tiers: {order!r}.")
    reserved = {"new", "lost", "total"} & {str(o) for o in order}
    if reserved:
        raise ConfigError(
            f"tier names {sorted(reserved)} are reserved for the matrix margins; "
            "rename those tiers."
        )
    rank: dict[Any, int] = {t: i for i, t in enumerate(order)}
    neither = (sb.isna() & sa.isna()).to_numpy()
    if neither.any():
        notes.append(
            f"{int(neither.sum())} customers with no tier in {before!r} nor {after!r} excluded."
        )
    parts = []
    for s, nm in ((sb, before), (sa, after)):
        na = s.isna().to_numpy()
        obj = s[~na].astype(object)
        unknown = ~obj.isin(order).to_numpy()
        if unknown.any():
            raise ConfigError(
                f"{nm!r} has tiers not in order {order!r}: {preview(obj[unknown])}; "
                "add them to order=."
            )
        parts.append(obj.map(rank).astype(np.int64))
    k = len(order)
    # state k means absent (new row / lost column); rows with neither tier are dropped
    b_all = np.full(len(frame), k, dtype=np.int64)
    a_all = np.full(len(frame), k, dtype=np.int64)
    b_all[sb.notna().to_numpy()] = parts[0].to_numpy()
    a_all[sa.notna().to_numpy()] = parts[1].to_numpy()
    b, a = b_all[~neither], a_all[~neither]
    mat = np.bincount(b * (k + 1) + a, minlength=(k + 1) ** 2).reshape(k + 1, k + 1)
    both = (b < k) & (a < k)
    counts = {
        "upgraded": int((both & (a > b)).sum()),
        "downgraded": int((both & (a < b)).sum()),
        "stayed": int((both & (a == b)).sum()),
        "new": int(((b == k) & (a < k)).sum()),
        "lost": int(((b < k) & (a == k)).sum()),
        "customers": len(b),
    }
    # display highest tier first
    idx = [*range(k - 1, -1, -1), k]
    show = mat[np.ix_(idx, idx)]
    labels = [order[i] for i in idx[:-1]]
    table = pd.DataFrame(
        show,
        index=pd.Index([*labels, "new"], name="before", dtype=object),
        columns=pd.Index([*labels, "lost"], name="after", dtype=object),
    )
    totals = show.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = table.div(
            pd.Series(np.where(totals > 0, totals, np.nan), index=table.index), axis=0
        )
    table["total"] = totals
    return MigrationResult(
        table,
        shares=shares,
        counts=counts,
        order=order,
        notes=tuple(notes),
        n_used=len(b),
        n_excluded=int(neither.sum()),
    )


def _merge_customers(
    frame: pd.DataFrame, ids: pd.Series, before: Hashable, after: Hashable
) -> pd.DataFrame:
    """One row per normalised id: each period's tier from whichever row has it; two different
    tiers for one customer in one period are a :class:`DataError`."""
    sub = frame[[before, after]].reset_index(drop=True)
    key = ids.to_numpy(dtype=object)
    rows = []
    for col in (before, after):
        s = sub[col]
        filled = s.notna().to_numpy()
        g = pd.DataFrame({"k": key[filled], "v": s[filled].astype(object).to_numpy()})
        n_val = g.groupby("k", sort=False)["v"].nunique()
        clash = n_val[n_val > 1]
        if len(clash):
            raise DataError(
                f"customers {preview(clash.index)} appear in several rows (ids equal after "
                f"Unicode NFKC and trimming) with different tiers in {col!r}; fix the ids or "
                "the tiers so that each customer has one tier per period."
            )
        rows.append(g.drop_duplicates("k").set_index("k")["v"])
    order = list(dict.fromkeys(key))
    out = pd.DataFrame({before: rows[0].reindex(order), after: rows[1].reindex(order)})
    for col in (before, after):
        if isinstance(frame[col].dtype, pd.CategoricalDtype):
            out[col] = pd.Categorical(
                out[col], categories=frame[col].cat.categories, ordered=frame[col].cat.ordered
            )
    out.index.name = "customer"
    return out
