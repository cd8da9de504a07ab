"""Share of wallet: each brand's share of a customer's category spend, from stated spend shares or
from brand ranks by the Wallet Allocation Rule.

References
----------
Keiningham, T. L., Aksoy, L., Buoye, A., & Cooil, B. (2011). Customer loyalty isn't enough. Grow
your share of wallet. *Harvard Business Review*, 89(10), 29-31.

Keiningham, T. L., Buoye, A., Aksoy, L., et al. (2015). Perceptions are relative: an examination
of the relationship between relative satisfaction metrics and share of wallet. *Journal of
Service Management*, 26(1), 2-43 (ties share the average rank).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from needlab._result import Result
from needlab._stats import codes_of, effective_n_by, weighted_mean_se, z_value
from needlab._types import Lang, Weights
from needlab._validate import (
    as_design,
    check_columns,
    check_numeric,
    check_option,
    check_weights,
    preview,
    row_list,
)
from needlab.errors import ConfigError, DataError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from needlab.io.read import Survey

__all__ = ["WalletResult", "share_of_wallet", "war_shares"]

Method = Literal["stated", "war"]
_PREFIX = {"stated": "spend_", "war": "rank_"}


@dataclass(frozen=True, repr=False)
class WalletResult(Result):
    """Result of :func:`share_of_wallet`.

    Attributes
    ----------
    table : DataFrame
        One row per [segment x] brand: [*by*,] ``brand``, ``n`` (respondents with category
        spend), ``n_eff`` (Kish effective base), ``share`` (weighted mean share of wallet, a
        proportion 0..1; zero for respondents who do not use the brand), ``se``, ``ci_low``,
        ``ci_high`` (normal interval, clipped to 0..1), ``penetration`` (weighted share of
        respondents who give the brand any spend) and ``share_among_users`` (mean share among
        them; 0 when nobody uses the brand).
    own_table : DataFrame or None
        With ``own=``: the own brand's rows, one per segment plus the ``"Total"`` row.
    shares : DataFrame
        Per respondent used (index of the input rows) the share of each brand (0..1, rows sum
        to 1).
    method : {"stated", "war"}
    brands : tuple of str
    own : str or None
    by : hashable or None
    ci : float
    lang : {"en", "zh"}
    n_used, n_excluded : int
        Respondents used; respondents without category spend (no answer, all zero, no brand
        ranked) or with a zero weight.
    """

    own_table: pd.DataFrame | None = None
    shares: pd.DataFrame = field(default_factory=pd.DataFrame)
    method: str = "stated"
    brands: tuple[str, ...] = ()
    own: str | None = None
    by: Hashable = None
    ci: float = 0.95
    lang: str = "en"

    @property
    def title(self) -> str:  # type: ignore[override]
        return "Share of wallet" if self.lang != "zh" else "钱包份额"

    def summary(self) -> dict[str, Any]:
        """Method, number of brands, and the own brand's overall share of wallet (with ``own=``)."""
        out: dict[str, Any] = {"method": self.method, "brands": len(self.brands)}
        if self.own_table is not None:
            tot = self.own_table.iloc[-1]
            out["own"] = self.own
            out["own share"] = float(tot["share"])
            out["own ci"] = (float(tot["ci_low"]), float(tot["ci_high"]))
        return out

    def tables(self) -> dict[str, pd.DataFrame]:
        out = {"wallet": self.table}
        if self.own_table is not None:
            out["own"] = self.own_table
        return out

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Mean share of wallet per brand with intervals (per segment with ``by=``); see
        :func:`needlab.market.plot_wallet.wallet_plot`."""
        from needlab.market.plot_wallet import wallet_plot

        return wallet_plot(self, ax=ax, **kwargs)


def war_shares(ranks: np.ndarray) -> np.ndarray:
    """Wallet Allocation Rule shares from ranks (Keiningham, Aksoy, Buoye & Cooil 2011).

    ``share = (1 - rank / (n + 1)) * 2 / n`` where ``n`` is the number of brands the customer
    uses (ranked) and ``rank`` is 1 for the most used brand. Ties take the average rank (then
    the shares still sum to 1). NaN ranks mean "not used" and get share 0. The ranks of each
    row are re-ranked first, so ``1, 3`` is read as ``1, 2``.

    Parameters
    ----------
    ranks : array of shape (respondents, brands)

    Returns
    -------
    numpy.ndarray
        Shares 0..1 of the same shape; rows with no ranked brand are all NaN.

    Examples
    --------
    >>> war_shares(np.array([[1.0, 2.0, 3.0]])).round(4).tolist()
    [[0.5, 0.3333, 0.1667]]
    >>> war_shares(np.array([[2.0, np.nan, 1.0]])).round(4).tolist()
    [[0.3333, 0.0, 0.6667]]
    """
    r = pd.DataFrame(np.asarray(ranks, dtype=float)).rank(axis=1, method="average").to_numpy()
    n = np.sum(~np.isnan(r), axis=1, keepdims=True).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        s = (1 - r / (n + 1)) * 2 / n
    s = np.where(np.isnan(r), 0.0, s)
    return np.where(n > 0, s, np.nan)


def _brand_columns(
    data: pd.DataFrame, brands: Sequence[str] | Mapping[str, Hashable], method: str
) -> tuple[list[str], list[Hashable]]:
    if isinstance(brands, Mapping):
        names = [str(b) for b in brands]
        cols = list(brands.values())
    elif isinstance(brands, str) or not isinstance(brands, Sequence):
        raise ConfigError(
            f"brands must be a list of brand names or a mapping brand -> column, got {brands!r}."
        )
    else:
        names = [str(b) for b in brands]
        cols = [f"{_PREFIX[method]}{b.split()[0].lower()}" for b in names]
    if len(names) < 2:
        raise ConfigError(f"brands needs at least 2 brands, got {names!r}.")
    if len(set(names)) != len(names) or len(set(cols)) != len(cols):
        raise ConfigError(f"brands lists a brand or column twice: {names!r} -> {cols!r}.")
    check_columns(data, cols, what=f"{method} column")
    return names, cols


def share_of_wallet(
    data: pd.DataFrame | Survey,
    brands: Sequence[str] | Mapping[str, Hashable],
    *,
    method: Method = "stated",
    weights: Weights = None,
    by: Hashable | None = None,
    own: str | None = None,
    ci: float = 0.95,
    tolerance: float = 5.0,
    lang: Lang = "en",
) -> WalletResult:
    """Share of category spend per brand, per customer and on average, from survey answers.

    Two inputs (``method=``):

    - ``"stated"``: the stated percentage of category spend per brand (columns
      ``spend_<key>``, the key being the brand's first word in lower case, e.g. ``spend_lumo``
      for ``"Lumo"``, or a mapping brand -> column). Missing cells of a respondent who answered
      some brands count as 0 %. **Rows that do not sum to 100** are normalised to 100 when the sum
      is within ``tolerance`` percentage points (rounding; a note counts them), and raise a
      :class:`DataError` naming the rows and sums otherwise. Rows with no answer or all zeros
      (no category spend) are excluded and counted.
    - ``"war"``: brand ranks (1 = used most; missing = not used; columns ``rank_<key>`` or a
      mapping) turned into shares by the **Wallet Allocation Rule** (Keiningham, Aksoy, Buoye &
      Cooil 2011): ``share = (1 - rank / (n + 1)) * 2 / n`` for a customer who uses ``n``
      brands; ties share the average rank. Rows with no ranked brand are excluded.

    Per brand: ``share`` is the weighted mean of the respondents' shares (brands a respondent
    does not use count as 0, so the shares of all brands sum to 1), with the standard error
    ``sd / sqrt(n_eff)`` (Kish effective base) and a normal interval clipped to 0..1.

    Parameters
    ----------
    data : DataFrame or Survey
        One row per respondent.
    brands : list of str or mapping
        Brand names (columns found by the pattern above) or a mapping brand -> column.
    method : {"stated", "war"}, default "stated"
    weights : str, array, None or False, optional
        Survey weights; zero-weight rows are excluded.
    by : str, optional
        Segment column: one row per segment and brand (missing segment: excluded).
    own : str, optional
        The own brand (one of *brands*): its share of wallet by segment in ``own_table``.
    ci : float, default 0.95
        Interval level.
    tolerance : float, default 5.0
        Stated shares summing to 100 +- *tolerance* are normalised; others are an error.
    lang : {"en", "zh"}
        Language of the title and plot labels.

    Returns
    -------
    WalletResult

    Raises
    ------
    SchemaError
        A spend/rank column or the ``by`` column is missing.
    DataError
        Non-numeric or negative spend, ranks below 1, sums outside 100 +- tolerance, invalid
        weights, or no respondent with category spend.
    ConfigError
        An invalid ``method``, ``brands``, ``own``, ``ci`` or ``tolerance``.

    Examples
    --------
    >>> df = pd.DataFrame({"spend_lumo": [60, 100, None, 20], "spend_vetta": [40, 0, None, 81]})
    >>> res = share_of_wallet(df, ["Lumo", "Vetta"], own="Lumo")
    >>> res.table[["brand", "n", "share"]].round(4)
       brand  n   share
    0   Lumo  3  0.5993
    1  Vetta  3  0.4007
    >>> res.n_excluded
    1
    """
    check_option(method, ("stated", "war"), "method")
    check_option(lang, ("en", "zh"), "lang")
    z = z_value(ci)
    if not (isinstance(tolerance, (int, float)) and 0 <= float(tolerance) < 100):
        raise ConfigError(
            f"tolerance must be a number of percentage points 0..100, got {tolerance!r}."
        )
    dsg = as_design(data, weights=weights)
    frame = dsg.data
    names, cols = _brand_columns(frame, brands, method)
    if own is not None and own not in names:
        raise ConfigError(f"own={own!r} is not one of brands {names}; pass one of them.")
    if by is not None:
        check_columns(frame, by)
    w_all = check_weights(frame, dsg.weights)
    w = np.ones(len(frame)) if w_all is None else w_all
    vals = np.column_stack([check_numeric(frame, c).to_numpy() for c in cols])
    notes: list[str] = []
    n = len(frame)
    if method == "stated":
        neg = np.nan_to_num(vals, nan=0.0) < 0
        if neg.any():
            r, c = np.nonzero(neg)
            raise DataError(
                f"spend column {cols[c[0]]!r} has negative shares: {preview(vals[neg])} at rows "
                f"{row_list(np.asarray(neg.any(axis=1)))}; stated spend shares must be 0..100."
            )
        total = np.nansum(vals, axis=1)
        empty = total <= 0
        off = ~empty & (np.abs(total - 100) > tolerance)
        if off.any():
            raise DataError(
                f"stated spend shares in {preview([str(c) for c in cols])} do not sum to 100 in "
                f"{int(off.sum())} rows: sums {preview(np.round(total[off], 2))} at rows "
                f"{row_list(off)}; correct them, or raise tolerance= (now {tolerance}) to "
                "normalise them to 100."
            )
        fixed = ~empty & (np.abs(total - 100) > 1e-9)
        if fixed.any():
            notes.append(
                f"{int(fixed.sum())} respondents' spend shares summed to 100 +- {tolerance} but "
                "not exactly 100 and were normalised to 100."
            )
        with np.errstate(invalid="ignore", divide="ignore"):
            shares = np.where(empty[:, None], np.nan, np.nan_to_num(vals) / total[:, None])
        why = "no category spend (no answer or all 0)"
    else:
        low = vals < 1
        if low.any():
            raise DataError(
                f"rank columns have ranks below 1: {preview(vals[low])} at rows "
                f"{row_list(np.asarray(low.any(axis=1)))}; rank 1 is the most used brand, leave brands not "
                "used missing."
            )
        shares = war_shares(vals)
        empty = np.isnan(shares).all(axis=1)
        why = "no brand ranked"
    zero_w = (w <= 0) & ~empty
    drop = empty | zero_w
    if by is not None:
        miss_by = frame[by].isna().to_numpy() & ~drop
        drop |= miss_by
    if empty.any():
        notes.append(f"{int(empty.sum())} of {n} respondents excluded: {why}.")
    if zero_w.any():
        notes.append(f"{int(zero_w.sum())} of {n} respondents excluded: zero weight.")
    if by is not None and miss_by.any():
        notes.append(f"{int(miss_by.sum())} of {n} respondents excluded: missing {by!r}.")
    keep = ~drop
    if not keep.any():
        raise DataError(
            f"no respondent has category spend in {preview([str(c) for c in cols])} (every row "
            "is empty, zero or has a zero weight); check the columns or the filter."
        )
    sh, wk = shares[keep], w[keep]
    if by is not None:
        gcodes, gcats = codes_of(frame[by][keep], by)
        groups: list[Any] = list(gcats)
    else:
        gcodes, groups = np.zeros(int(keep.sum()), dtype=np.int64), []
    table = _brand_table(sh, wk, gcodes, groups, names, by, z)
    if by is not None:
        total = _brand_table(sh, wk, np.zeros(len(wk), dtype=np.int64), [], names, None, z)
        small = list(table[by][table["n"] < 30].unique())
        if small:
            notes.append(
                f"segments with fewer than 30 respondents (intervals unstable): {preview(small)}."
            )
    else:
        total = table
    own_table = None
    if own is not None:
        parts = []
        if by is not None:
            parts.append(table[table["brand"] == own])
        t = total[total["brand"] == own].copy()
        if by is not None:
            t.insert(0, by, "Total" if lang != "zh" else "合计")
        parts.append(t)
        own_table = pd.concat(parts, ignore_index=True)
    share_frame = pd.DataFrame(sh, columns=names, index=frame.index[keep])
    return WalletResult(
        table,
        own_table=own_table,
        shares=share_frame,
        method=method,
        brands=tuple(names),
        own=own,
        by=by,
        ci=float(ci),
        lang=lang,
        n_used=int(keep.sum()),
        n_excluded=int(drop.sum()),
        notes=tuple(notes),
    )


def _brand_table(
    sh: np.ndarray,
    w: np.ndarray,
    codes: np.ndarray,
    groups: list[Any],
    names: list[str],
    by: Hashable | None,
    z: float,
) -> pd.DataFrame:
    k = max(len(groups), 1)
    n = np.bincount(codes, minlength=k)[:k]
    neff = effective_n_by(codes, k, w)
    used = (sh > 0).astype(float)
    blocks = []
    for j, b in enumerate(names):  # one vectorised pass per brand (a handful)
        mean, _sd, se = weighted_mean_se(codes, k, sh[:, j], w)
        pen, _, _ = weighted_mean_se(codes, k, used[:, j], w)
        wsum_users = np.bincount(codes, weights=w * used[:, j], minlength=k)[:k]
        wsum = np.bincount(codes, weights=w * sh[:, j], minlength=k)[:k]
        among = np.divide(wsum, wsum_users, out=np.zeros(k), where=wsum_users > 0)
        se = np.nan_to_num(se, nan=0.0)  # one respondent or no spread: no sampling error shown
        block = pd.DataFrame(
            {
                "brand": b,
                "n": n,
                "n_eff": neff,
                "share": mean,
                "se": se,
                "ci_low": np.clip(mean - z * se, 0, 1),
                "ci_high": np.clip(mean + z * se, 0, 1),
                "penetration": pen,
                "share_among_users": among,
            }
        )
        if by is not None:
            block.insert(0, by, groups)
            block["_g"] = np.arange(k)
        blocks.append(block)
    out = pd.concat(blocks, ignore_index=True)
    if by is not None:
        out = out[out["n"] > 0].sort_values(["_g"], kind="stable").drop(columns="_g")
    return out.reset_index(drop=True)
