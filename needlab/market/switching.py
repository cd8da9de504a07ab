"""Brand switching: the previous-brand x current-brand matrix, gains, losses, retention, and the
Markov-chain projection of long-run shares.

References
----------
Kemeny, J. G., & Snell, J. L. (1976). *Finite Markov Chains*. New York: Springer (stationary
distribution of a regular chain, chapter 4).

Ehrenberg, A. S. C. (1988). *Repeat-Buying: Facts, Theory and Applications* (2nd ed.). London:
Griffin (brand-switching tables and their gains/losses analysis).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from needlab._result import Result
from needlab._stats import kish_base, wilson_interval
from needlab._types import Lang, Weights
from needlab._validate import (
    as_design,
    check_columns,
    check_option,
    check_weights,
    normalise_labels,
    preview,
    row_list,
)
from needlab.errors import ConfigError, DataError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from needlab.io.read import Survey

__all__ = ["SwitchingResult", "stationary_distribution", "switching"]

ASSUMPTIONS = (
    "Long-run shares assume a first-order, time-homogeneous Markov chain in a closed market: "
    "the next choice depends only on the current brand, the switching probabilities stay as "
    "observed, and no customer enters or leaves the category."
)


@dataclass(frozen=True, repr=False)
class SwitchingResult(Result):
    """Result of :func:`switching`.

    Attributes
    ----------
    table : DataFrame
        One row per brand: ``brand``, ``before`` / ``after`` (weighted customers whose previous /
        current brand it is, among switching-table rows), ``share_before`` / ``share_after``,
        ``retained`` (diagonal), ``retention`` (retained / before) with ``retention_low`` /
        ``retention_high`` (Wilson interval on the Kish base of the row), ``gains`` (customers
        won from other brands), ``losses`` (customers lost to other brands), ``net``
        (gains - losses), ``entrants`` (current customers new to the category), ``next_share``
        (share after one more step of the chain) and ``long_run_share`` (stationary share).
    counts : DataFrame
        Brand x brand weighted counts: rows previous brand, columns current brand.
    row_shares : DataFrame
        The same as row proportions (each row sums to 1; the transition matrix ``P``).
    flows : DataFrame
        Long form: ``before``, ``after``, ``count`` (weighted), ``n`` (respondents),
        ``share`` (row share).
    long_run : Series
        Stationary distribution by brand (sums to 1).
    brands : tuple of str
    lang : {"en", "zh"}
    n_used, n_excluded : int
        Respondents used (in the matrix or counted as entrants) and left out (missing current
        brand, zero weight).
    """

    counts: pd.DataFrame = field(default_factory=pd.DataFrame)
    row_shares: pd.DataFrame = field(default_factory=pd.DataFrame)
    flows: pd.DataFrame = field(default_factory=pd.DataFrame)
    long_run: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    brands: tuple[str, ...] = ()
    lang: str = "en"

    @property
    def title(self) -> str:  # type: ignore[override]
        return "Brand switching" if self.lang != "zh" else "品牌转换"

    def summary(self) -> dict[str, Any]:
        """Brands, overall retention, the biggest net winner and loser, and the long-run leader."""
        t = self.table
        before = float(t["before"].sum())
        return {
            "brands": len(self.brands),
            "retention": float(t["retained"].sum() / before) if before > 0 else 0.0,
            "entrants": float(t["entrants"].sum()),
            "top net gain": str(t["brand"].iloc[int(np.argmax(t["net"].to_numpy()))]),
            "top net loss": str(t["brand"].iloc[int(np.argmin(t["net"].to_numpy()))]),
            "long-run leader": str(self.long_run.idxmax()),
        }

    def tables(self) -> dict[str, pd.DataFrame]:
        return {
            "brands": self.table,
            "counts": self.counts.reset_index(),
            "row_shares": self.row_shares.reset_index(),
            "flows": self.flows,
        }

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Heat map of the row shares (previous -> current brand) with the numbers in the cells;
        ``kind="net"`` draws the gains, losses and net per brand instead. See
        :func:`needlab.market.plot_switching.switching_plot`."""
        from needlab.market.plot_switching import switching_plot

        return switching_plot(self, ax=ax, **kwargs)


def stationary_distribution(P: Any, *, start: Any = None) -> tuple[np.ndarray, bool]:
    """Stationary distribution ``pi`` of a row-stochastic matrix: ``pi P = pi``, ``sum(pi) = 1``.

    Solved as the linear system ``(P^T - I) pi = 0`` with one equation replaced by
    ``sum(pi) = 1`` (least squares, so it also works when ``P`` is exactly stochastic). The
    solution is unique when the chain has a single closed class (eigenvalue 1 is simple); then
    ``unique`` is True. Otherwise the chain's long-run distribution depends on the start and
    the long-run (Cesaro-averaged) distribution ``lim (1/T) sum_t u P^t`` from the start ``u``
    is returned (``unique`` False).

    Parameters
    ----------
    P : array of shape (k, k)
        Row-stochastic: non-negative, rows summing to 1.
    start : array of shape (k,), optional
        Start distribution used only when ``pi`` is not unique (default: equal shares).

    Returns
    -------
    pi : numpy.ndarray
        Non-negative, sums to 1.
    unique : bool

    Raises
    ------
    DataError
        ``P`` is not square, has negative or non-finite entries, or rows not summing to 1.

    Examples
    --------
    >>> pi, unique = stationary_distribution([[0.9, 0.1], [0.2, 0.8]])
    >>> pi.round(4).tolist(), unique
    ([0.6667, 0.3333], True)
    """
    P = np.asarray(P, dtype=float)
    if P.ndim != 2 or P.shape[0] != P.shape[1] or P.shape[0] == 0:
        raise DataError(f"the transition matrix must be square, got shape {P.shape}.")
    if not np.isfinite(P).all() or (P < 0).any():
        raise DataError("the transition matrix has negative, missing or infinite entries.")
    rs = P.sum(axis=1)
    if not np.allclose(rs, 1, atol=1e-8):
        bad = ~np.isclose(rs, 1, atol=1e-8)
        raise DataError(
            f"the transition matrix rows must sum to 1; rows {row_list(bad)} sum to "
            f"{preview(np.round(rs[bad], 6))}."
        )
    k = len(P)
    ev = np.linalg.eigvals(P)
    unique = int(np.sum(np.abs(ev - 1) < 1e-9)) <= 1
    if unique:
        A = P.T - np.eye(k)
        A[-1, :] = 1.0
        b = np.zeros(k)
        b[-1] = 1.0
        pi = np.linalg.lstsq(A, b, rcond=None)[0]
    else:
        v = np.full(k, 1.0 / k) if start is None else np.asarray(start, dtype=float)
        v = v / v.sum() @ np.linalg.matrix_power(P, 2**20)  # transients have died out
        period = int(np.lcm.reduce(np.arange(1, min(k, 12) + 1)))  # any period of the chain
        acc = np.zeros(k)
        for _ in range(period):  # Cesaro average over one full cycle: vector steps, cheap
            v = v @ P
            acc += v
        pi = acc / period
    pi = np.clip(pi, 0, None)
    return pi / pi.sum(), unique


def _labels(s: pd.Series) -> pd.Series:
    """Brand labels as text after NFKC and trimming; empty text is missing."""
    out = normalise_labels(s.astype(object)).map(str, na_action="ignore")
    return out.where(out.notna() & (out != ""), None)


def switching(
    data: pd.DataFrame | Survey,
    before: Hashable,
    after: Hashable,
    *,
    brands: Sequence[str] | None = None,
    weights: Weights = None,
    ci: float = 0.95,
    lang: Lang = "en",
) -> SwitchingResult:
    """Brand-switching matrix from a previous-brand / current-brand pair of questions.

    The matrix ``N`` counts (weighted) customers by previous brand (rows) and current brand
    (columns); ``P = N / row sums`` is the transition matrix. Per brand:

    - ``retention = N_ii / sum_j N_ij`` (Wilson interval on the row's Kish base);
    - ``gains = sum_{j != i} N_ji`` (won from other brands), ``losses = sum_{j != i} N_ij``,
      ``net = gains - losses`` (equal to ``after - before``, so the nets sum to 0);
    - ``long_run_share``: the stationary distribution ``pi P = pi``, ``sum pi = 1``
      (:func:`stationary_distribution`). **Assumptions**: first-order (the next choice depends
      only on the current brand), time-homogeneous (``P`` stays as observed) and a closed market
      (no entry or exit). A brand that nobody had before has no observed row: its row is taken
      as the current shares (a note says so).

    **New to the category.** A missing previous brand means the customer had none: such rows
    are counted per current brand as ``entrants`` (used, not in the matrix nor the chain).
    Rows with a missing current brand are excluded.

    Parameters
    ----------
    data : DataFrame or Survey
        One row per customer.
    before, after : str
        Columns of the previous and the current brand (labels are compared after Unicode
        NFKC and trimming).
    brands : list of str, optional
        The full brand list in display order. Without it, the brands are those seen, sorted,
        and every brand must occur on both sides.
    weights : str, array, None or False, optional
        Survey weights; zero-weight rows are excluded.
    ci : float, default 0.95
        Level of the retention intervals.
    lang : {"en", "zh"}
        Language of the title and plot labels.

    Returns
    -------
    SwitchingResult

    Raises
    ------
    SchemaError
        A missing column.
    DataError
        Brands on one side only (without ``brands=``), labels not in ``brands``, invalid
        weights, or no customer with both brands.
    ConfigError
        Invalid ``brands``, ``ci`` or ``lang``.

    Examples
    --------
    >>> df = pd.DataFrame({"prev": ["A", "A", "A", "B", "B", None],
    ...                    "now": ["A", "A", "B", "B", "A", "B"]})
    >>> res = switching(df, "prev", "now")
    >>> res.table[["brand", "retained", "gains", "losses", "net", "entrants"]]
      brand  retained  gains  losses  net  entrants
    0     A       2.0    1.0     1.0  0.0       0.0
    1     B       1.0    1.0     1.0  0.0       1.0
    >>> res.long_run.round(4).tolist()
    [0.6, 0.4]
    """
    check_option(lang, ("en", "zh"), "lang")
    if not (isinstance(ci, float) and 0 < ci < 1):
        raise ConfigError(f"ci must be a level strictly between 0 and 1 (e.g. 0.95), got {ci!r}.")
    dsg = as_design(data, weights=weights)
    frame = dsg.data
    check_columns(frame, [before, after])
    if before == after:
        raise ConfigError(f"before and after name the same column {before!r}; pass two columns.")
    w_all = check_weights(frame, dsg.weights)
    w = np.ones(len(frame)) if w_all is None else w_all
    b, a = _labels(frame[before]), _labels(frame[after])
    seen_b = set(b.dropna().astype(str))
    seen_a = set(a.dropna().astype(str))
    if brands is None:
        only_b, only_a = sorted(seen_b - seen_a), sorted(seen_a - seen_b)
        if only_b or only_a:
            parts = []
            if only_b:
                parts.append(f"only in {before!r} (previous): {preview(only_b)}")
            if only_a:
                parts.append(f"only in {after!r} (current): {preview(only_a)}")
            raise DataError(
                "brands occur on one side of the switching table only: "
                + "; ".join(parts)
                + ". Pass brands= listing the full brand set (then such a brand has an empty "
                "row or column), or recode the labels."
            )
        names = sorted(seen_b | seen_a)
    else:
        if isinstance(brands, str) or not isinstance(brands, Sequence):
            raise ConfigError(f"brands must be a list of brand names, got {brands!r}.")
        names = [str(x) for x in brands]
        if len(set(names)) != len(names) or len(names) < 2:
            raise ConfigError(f"brands must list at least 2 distinct brands, got {names!r}.")
        for col, s in ((before, b), (after, a)):
            bad = (s.notna() & ~s.astype(str).isin(names)).to_numpy()
            if bad.any():
                raise DataError(
                    f"column {col!r} has {int(bad.sum())} brands not in brands=: "
                    f"{preview(s[bad])} at rows {row_list(bad)}; add them to brands= or recode "
                    "them."
                )
    if len(names) < 2:
        raise DataError(
            f"only one brand ({preview(names)}) in {before!r} and {after!r}; switching needs at "
            "least 2 brands."
        )
    k = len(names)
    idx = pd.Index(names)
    bi = idx.get_indexer(pd.Index(b))
    ai = idx.get_indexer(pd.Index(a))
    n_all = len(frame)
    no_after = ai < 0
    zero = (w <= 0) & ~no_after
    used = ~no_after & ~zero
    pair = used & (bi >= 0)
    entrant = used & (bi < 0)
    notes: list[str] = []
    if no_after.any():
        notes.append(
            f"{int(no_after.sum())} of {n_all} rows excluded: missing current brand {after!r}."
        )
    if zero.any():
        notes.append(f"{int(zero.sum())} of {n_all} rows excluded: zero weight.")
    if entrant.any():
        notes.append(
            f"{int(entrant.sum())} customers without a previous brand counted as entrants (new "
            "to the category): in 'entrants', not in the matrix or the chain."
        )
    if not pair.any():
        raise DataError(
            f"no row has both a previous ({before!r}) and a current ({after!r}) brand; the "
            "switching matrix is empty."
        )
    cell = bi[pair] * k + ai[pair]
    wp = w[pair]
    N = np.bincount(cell, weights=wp, minlength=k * k).reshape(k, k)
    N2 = np.bincount(cell, weights=wp * wp, minlength=k * k).reshape(k, k)
    cnt = np.bincount(cell, minlength=k * k).reshape(k, k)
    ent = np.bincount(ai[entrant], weights=w[entrant], minlength=k)[:k]
    row = N.sum(axis=1)
    col = N.sum(axis=0)
    total = float(N.sum())
    share_after = col / total
    P = np.divide(N, row[:, None], out=np.zeros_like(N), where=row[:, None] > 0)
    empty = row <= 0
    if empty.any():
        P[empty] = share_after
        notes.append(
            f"no customer had {preview([names[i] for i in np.flatnonzero(empty)])} before: its "
            "row of the chain is taken as the current shares (an assumption)."
        )
    pi, unique = stationary_distribution(P, start=share_after)
    notes.append(ASSUMPTIONS)
    if not unique:
        notes.append(
            "the chain has more than one closed class (some brands never lose customers to the "
            "others): the long-run shares are not unique; the path from the current shares is "
            "shown."
        )
    diag = np.diag(N)
    row_eff = kish_base(row, N2.sum(axis=1))
    ret = np.divide(diag, row, out=np.zeros(k), where=row > 0)
    lo, hi = wilson_interval(ret, row_eff, ci)
    lo, hi = np.where(row > 0, lo, 0.0), np.where(row > 0, hi, 0.0)
    if empty.any():
        notes.append(
            f"retention of {preview([names[i] for i in np.flatnonzero(empty)])} shown as 0: "
            "nobody had the brand before."
        )
    gains = col - diag
    losses = row - diag
    table = pd.DataFrame(
        {
            "brand": names,
            "before": row,
            "after": col,
            "share_before": row / total,
            "share_after": share_after,
            "retained": diag,
            "retention": ret,
            "retention_low": lo,
            "retention_high": hi,
            "gains": gains,
            "losses": losses,
            "net": gains - losses,
            "entrants": ent,
            "next_share": share_after @ P,
            "long_run_share": pi,
        }
    )
    counts = pd.DataFrame(N, index=pd.Index(names, name=str(before)), columns=names)
    counts.columns.name = str(after)
    row_shares = pd.DataFrame(P, index=counts.index.copy(), columns=names)
    row_shares.columns.name = str(after)
    flows = pd.DataFrame(
        {
            "before": np.repeat(names, k),
            "after": np.tile(names, k),
            "count": N.reshape(-1),
            "n": cnt.reshape(-1),
            "share": P.reshape(-1),
        }
    )
    return SwitchingResult(
        table,
        counts=counts,
        row_shares=row_shares,
        flows=flows,
        long_run=pd.Series(pi, index=names, name="long_run_share"),
        brands=tuple(names),
        lang=lang,
        n_used=int(used.sum()),
        n_excluded=int((~used).sum()),
        notes=tuple(notes),
    )
