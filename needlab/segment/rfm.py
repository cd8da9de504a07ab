"""RFM analysis: recency, frequency and monetary value per customer, tie-safe scores, segments.

:func:`rfm` turns a transaction log into one row per customer with recency, frequency and
monetary value, scores each on ``1..bins`` with a stated tie policy (identical customers always
get identical scores; no ``qcut(duplicates="drop")``), and names a segment from the standard
R x FM grid or from a user scheme.

References
----------
Hughes, A. M. (1994). *Strategic Database Marketing*. Probus (the RFM quintile scores).

Putler (2019). "RFM Analysis For Successful Customer Segmentation",
https://www.putler.com/rfm-analysis/ (the eleven named segments).

The R x mean(F, M) grid used here is the widely copied segment map of the Kaggle / Miuul "CRM
analytics" RFM notebooks (``seg_map`` on the R and F/FM scores), with its bottom-left cell split
into *Hibernating* (R = 2) and *Lost* (R = 1) as in Putler's list.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from needlab._engine import Engine, resolve_engine, to_pandas_input
from needlab._result import Result
from needlab._validate import (
    as_series,
    check_columns,
    check_dates,
    check_frame,
    check_numeric,
    check_option,
    normalise_ids,
    preview,
    row_list,
)
from needlab.errors import ConfigError, DataError, NeedlabWarning

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["AT_RISK", "SEGMENTS", "STANDARD_GRID", "RFMResult", "rfm", "tie_scores"]

Ties = Literal["average", "min", "max", "dense"]
_TIES = ("average", "min", "max", "dense")

#: Segment names of the standard scheme, in display order.
SEGMENTS = (
    "Champions",
    "Loyal",
    "Potential loyalist",
    "New",
    "Promising",
    "Need attention",
    "About to sleep",
    "At risk",
    "Can't lose them",
    "Hibernating",
    "Lost",
)
#: The standard segments flagged by :meth:`RFMResult.at_risk`: good customers gone quiet.
AT_RISK = ("About to sleep", "At risk", "Can't lose them")

_G = {name: i for i, name in enumerate(SEGMENTS)}
#: The standard grid: STANDARD_GRID[r - 1][fm - 1] is the segment of R score r and FM score fm
#: (FM = mean of F and M rounded half up). Rows R = 1..5, columns FM = 1..5.
STANDARD_GRID = (
    ("Lost", "Lost", "At risk", "At risk", "Can't lose them"),  # R=1
    ("Hibernating", "Hibernating", "At risk", "At risk", "Can't lose them"),  # R=2
    ("About to sleep", "About to sleep", "Need attention", "Loyal", "Loyal"),  # R=3
    ("Promising", "Potential loyalist", "Potential loyalist", "Loyal", "Loyal"),  # R=4
    ("New", "Potential loyalist", "Potential loyalist", "Champions", "Champions"),  # R=5
)
_GRID = np.array([[_G[s] for s in row] for row in STANDARD_GRID], dtype=np.int64)

Scheme = Mapping[Hashable, Any] | Callable[[pd.DataFrame], Any] | None


# ---------------------------------------------------------------------------- scores
def tie_scores(
    data: Any, var: Hashable | None = None, *, bins: int = 5, ties: Ties = "min"
) -> np.ndarray:
    """Scores ``1..bins`` from tie-aware ranks: equal values always get equal scores.

    With ``n`` values, ``below`` the number of values strictly smaller and ``eq`` the number of
    values equal to a value (itself included), the rank is

    - ``"min"`` (default): ``below + 1``, i.e. the share of values strictly below decides; the
      lowest value always scores 1,
    - ``"average"``: the midrank ``below + (eq + 1) / 2`` (pandas/scipy default),
    - ``"max"``: ``below + eq``,

    and the score is ``ceil(bins * rank / n)``, computed in exact integer arithmetic. Without
    ties this is ``ceil(bins * i / n)`` for ``i = 1..n``: equal-sized groups (quintiles for
    ``bins=5``) when ``n`` is a multiple of ``bins``. ``"dense"`` instead spaces the ``D``
    distinct values evenly: score ``ceil(bins * d / D)`` with ``d`` the dense rank ``1..D``.

    A tie group is never split, so it may push a score level out entirely. Frequencies where
    half of 10 customers bought once, ``[1, 1, 1, 1, 1, 2, 2, 3, 4, 6]``, score

    - ``average``: one-time buyers midrank 3, ``ceil(5 * 3 / 10) = 2`` -> ``2 2 2 2 2 4 4 4 5 5``
      (levels 1 and 3 unused);
    - ``min``: ``1 1 1 1 1 3 3 4 5 5``; ``max``: ``3 3 3 3 3 4 4 4 5 5``;
    - ``dense``: ``1 1 1 1 1 2 2 3 4 5``.

    Parameters
    ----------
    data : Series, array-like, DataFrame or Survey
        The values to score, or a frame holding them in column *var*.
    var : column name, optional
        The column of *data* to score when *data* is a frame.
    bins : int, default 5
        Number of score levels.
    ties : {"min", "average", "max", "dense"}
        The tie policy described above.

    Returns
    -------
    numpy.ndarray
        One integer score per value, in the order given.

    Raises
    ------
    ConfigError
        An unknown ``ties`` or ``bins`` that is not a whole number >= 1.
    DataError
        Missing or infinite numbers.
    SchemaError
        A frame without *var*, or *var* with data that is not a frame.

    Examples
    --------
    >>> tie_scores([1, 1, 1, 1, 1, 2, 2, 3, 4, 6]).tolist()
    [1, 1, 1, 1, 1, 3, 3, 4, 5, 5]
    >>> tie_scores([1, 1, 1, 1, 1, 2, 2, 3, 4, 6], ties="average").tolist()
    [2, 2, 2, 2, 2, 4, 4, 4, 5, 5]
    >>> tie_scores([1, 1, 1, 1, 1, 2, 2, 3, 4, 6], ties="dense").tolist()
    [1, 1, 1, 1, 1, 2, 2, 3, 4, 5]
    """
    check_option(ties, _TIES, "ties")
    if not (isinstance(bins, (int, np.integer)) and not isinstance(bins, bool) and bins >= 1):
        raise ConfigError(f"bins must be a whole number >= 1 (score levels), got {bins!r}.")
    s = as_series(data, var)
    if s.dtype == object and pd.api.types.infer_dtype(s, skipna=True) in (
        "integer",
        "floating",
        "mixed-integer-float",
    ):
        s = s.astype(float)
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        bad = ~np.isfinite(s.to_numpy(dtype=float))
        if bad.any():
            raise DataError(
                f"tie_scores: {int(bad.sum())} values are missing or infinite: "
                f"{preview(s[bad])} at rows {row_list(bad)}; scores need finite values. Drop those "
                "rows or replace the values first."
            )
    x = s.to_numpy()
    n = len(x)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    uniq, inv, cnt = np.unique(x, return_inverse=True, return_counts=True)
    inv = inv.reshape(-1)
    b = np.int64(bins)
    if ties == "dense":
        d = inv.astype(np.int64) + 1
        k = np.int64(len(uniq))
        return (b * d + k - 1) // k
    cum = np.cumsum(cnt).astype(np.int64)
    below = (cum - cnt)[inv]
    eq = cnt.astype(np.int64)[inv]
    if ties == "average":
        num, den = 2 * below + eq + 1, 2 * np.int64(n)
    elif ties == "min":
        num, den = below + 1, np.int64(n)
    else:
        num, den = below + eq, np.int64(n)
    return (b * num + den - 1) // den


# ---------------------------------------------------------------------------- result
@dataclass(frozen=True, repr=False)
class RFMResult(Result):
    """RFM table of customers, their scores and segments.

    ``n_used`` and ``n_excluded`` count **transactions** (rows of the log): ``n_used`` rows
    entered the computation (refunds netted into a customer's spend included), ``n_excluded``
    were left out (missing customer or date, dated after ``asof``, dropped refunds or
    duplicates, rows of customers with no purchase occasion), each reason in ``notes``.

    Attributes
    ----------
    table : DataFrame
        One row per customer, see :func:`rfm`.
    bins : int
    ties : str
    asof : Timestamp
        The day recency is measured to.
    levels : dict
        ``{"r": [...], "f": [...], "m": [...]}``: the score levels actually used.
    scheme : str
        ``"standard"``, ``"custom"`` or ``"none"``.
    """

    bins: int = 5
    ties: str = "min"
    asof: pd.Timestamp | None = None
    levels: dict[str, list[int]] = field(default_factory=dict)
    scheme: str = "standard"

    title = "RFM analysis"

    def summary(self) -> dict[str, Any]:
        return {
            "customers": len(self.table),
            "as of": str(self.asof.date()) if self.asof is not None else "",
            "bins": self.bins,
            "ties": self.ties,
            **{f"{k.upper()} levels used": len(v) for k, v in self.levels.items()},
        }

    def segments(self) -> pd.DataFrame:
        """Per segment: ``segment``, ``count``, ``share``, mean ``recency``, ``frequency``,
        ``monetary`` (customers without a segment are shown as ``"(none)"``)."""
        t = self.table
        seg = t["segment"]
        if isinstance(seg.dtype, pd.CategoricalDtype):
            if seg.isna().any():
                seg = seg.cat.add_categories("(none)").fillna("(none)")
        else:
            seg = seg.astype(object).where(seg.notna(), "(none)")
        g = t[["recency", "frequency", "monetary"]].groupby(
            seg.to_numpy(), sort=False, observed=False
        )
        out = g.mean()
        out.insert(0, "count", g.size())
        if isinstance(seg.dtype, pd.CategoricalDtype):
            out = out.reindex(seg.cat.categories)
            out["count"] = out["count"].fillna(0).astype(np.int64)
        out.insert(1, "share", out["count"] / max(len(t), 1))
        out.index.name = "segment"
        return out.reset_index()

    def at_risk(self, segments: Sequence[str] = AT_RISK) -> pd.Series:
        """The rule-based churn-risk flag: True for customers in *segments*.

        The default, :data:`AT_RISK`, holds the standard grid's customers who used to buy well
        and have gone quiet: "About to sleep", "At risk" and "Can't lose them" ("Hibernating"
        and "Lost" have lapsed already). Index: the customer ids.
        """
        known = set(self.table["segment"].dropna().astype(str))
        unknown = [s for s in segments if s not in known and s not in SEGMENTS]
        if unknown:
            raise ConfigError(
                f"at_risk: unknown segments {unknown}; segments of this result: {sorted(known)}."
            )
        t = self.table
        return pd.Series(
            t["segment"].astype(object).isin(list(segments)).to_numpy(),
            index=pd.Index(t.iloc[:, 0].to_numpy(), name=t.columns[0]),
            name="at_risk",
        )

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"customers": self.table, "segments": self.segments()}

    def plot(
        self, ax: Axes | None = None, value: Literal["count", "monetary"] = "count", **kwargs: Any
    ) -> Axes:
        """R x F grid heatmap; colour = customers (``"count"``) or mean ``"monetary"``."""
        from needlab.segment.plot import rfm_grid

        return rfm_grid(self, ax=ax, value=value, **kwargs)


# ---------------------------------------------------------------------------- rfm
def _days(
    data: pd.DataFrame,
    date: Hashable,
    *,
    date_format: str | None = None,
    dayfirst: bool | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Dates of *date* as int64 days since 1970-01-01 and the missing mask."""
    dates = check_dates(data, date, date_format=date_format, dayfirst=dayfirst)
    na = dates.isna().to_numpy()
    days = dates.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").astype(np.int64)
    return days, na


def rfm(
    data: Any,
    *,
    customer: Hashable,
    date: Hashable,
    amount: Hashable,
    order: Hashable | None = None,
    asof: Any = None,
    bins: int = 5,
    ties: Ties = "min",
    scheme: Scheme = None,
    refunds: Literal["net", "drop", "error"] = "net",
    duplicates: Literal["keep", "drop"] = "keep",
    future: Literal["drop", "error"] = "drop",
    date_format: str | None = None,
    dayfirst: bool | None = None,
    nonfinite: Literal["error", "drop"] = "error",
    engine: Engine = "auto",
) -> RFMResult:
    """Recency, frequency, monetary value, tie-safe RFM scores and segments per customer.

    Parameters
    ----------
    data : DataFrame, Parquet/CSV path or engine frame
        The transaction log: one row per order or order line. A Polars frame, a DuckDB
        relation, a SQLFrame/PySpark DataFrame or a file path is reduced in its own engine to
        one row per customer (see ``engine``).
    customer, date, amount : column names
        Customer id, order date (datetime, ``YYYYMMDD`` integers or text, ISO text; the time of
        day is ignored) and order value. Ids are compared after Unicode NFKC and trimming
        (``"C1 "`` and a full-width ``"Ｃ1"`` are ``"C1"``; case is kept); merged variants are
        reported in the notes.
    order : column name, optional
        Order id. Without it a *purchase occasion* is a distinct purchase **day** of the customer
        (two orders on one day count once); with it, a distinct order id (lines of one order count
        once).
    asof : date-like, optional
        The day recency is measured to. Default: the day after the last transaction date that
        is not in the future (after today, see ``future``), so a customer who bought on the last
        day has recency 1.
    bins : int, default 5
        Number of score levels, 2..9 (so ``rfm_score`` stays one digit per letter).
    ties : {"min", "average", "max", "dense"}
        Tie policy of the scores, see :func:`tie_scores`: score ``ceil(bins * rank / n)`` with
        the lowest rank of the tie group (``"min"``: one plus the number of customers strictly
        below), the midrank (``"average"``), the highest rank, or the dense rank.
        Identical values always get identical scores, so a large tie group (e.g. half of the
        customers with frequency 1) takes one level and leaves others unused: the notes and
        ``levels`` report the levels used. ``"min"`` is the default because it keeps one-time
        buyers at F = 1: with ``"average"``, once more than 40% of customers bought once their
        midrank puts them at F = 2, F = 1 is never used and the *New* and *Promising* segments
        (FM = 1) are always empty.
    scheme : None, dict or callable
        Segment naming. ``None``: the standard 11-segment R x FM grid (:data:`STANDARD_GRID`,
        needs ``bins=5``; with other ``bins`` no segments are named). A dict
        ``name -> rule`` is applied with :func:`needlab.segment.rules.segment_rules` to the result
        table (rules such as ``"r >= 4 and f >= 4"`` on columns ``r, f, m, fm, recency,
        frequency, monetary``; first match wins, others ``"other"``). A callable gets the table
        and returns one label per customer.
    refunds : {"net", "drop", "error"}
        Negative amounts. ``"net"``: they are netted into the customer's ``monetary`` total but
        are not purchase occasions (no effect on recency or frequency). ``"drop"``: those rows
        are excluded. ``"error"``: raise. The count is always in the notes.
    duplicates : {"keep", "drop"}
        Exact duplicate rows (equal in every column). ``"keep"`` counts them as they are (e.g.
        two identical lines), ``"drop"`` keeps the first of each set (double exports). Counted
        in the notes either way.
    future : {"drop", "error"}
        Rows dated after ``asof`` (after today when ``asof`` is not given): excluded (counted,
        with a warning) or an error. The policy is applied *before* the default ``asof`` is
        chosen, so a mistyped far-future date never becomes the reference day.
    date_format : str, optional
        Explicit format of the date text (e.g. ``"%d/%m/%Y"``), applied strictly.
    dayfirst : bool, optional
        Read day/month text as day first (``True``) or month first (``False``); an ambiguous
        column without it is an error that shows examples, never a guess.
    nonfinite : {"error", "drop"}
        Infinite amounts: an error (default) or rows excluded and counted in the notes.
    engine : {"auto", "pandas", "duckdb"}, default "auto"
        Where the per-customer counting runs (:func:`needlab._engine.resolve_engine`): the
        minimum and maximum purchase day, the distinct purchase days (or orders), the spend and
        the rows per customer are computed in DuckDB, Polars or Spark and only one row per
        customer comes back; ids are then normalised and scored in pandas, giving the pandas
        path's results (spend sums to 1e-9 relative). In the engine, dates must be dates,
        timestamps or text in ``date_format`` (default ISO ``%Y-%m-%d``; ``dayfirst`` is not
        used), and errors give counts instead of row numbers (see
        :mod:`needlab.segment.rfm_engine` for time zones).

    Returns
    -------
    RFMResult
        ``table`` has one row per customer, sorted by customer:

        - ``customer`` (named like the ``customer`` column): the id.
        - ``recency``: days from the last purchase occasion to ``asof`` (0 = bought on ``asof``).
        - ``frequency``: number of purchase occasions (distinct days, or distinct orders).
        - ``monetary``: total net spend (refunds netted with ``refunds="net"``).
        - ``monetary_mean``: ``monetary / frequency``, mean spend per occasion.
        - ``r``, ``f``, ``m``: scores ``1..bins``; recent (small recency), frequent and high
          spending customers score high.
        - ``rfm_score``: the three scores as text, e.g. ``"543"``.
        - ``score``: ``r + f + m``.
        - ``segment``: the segment name (categorical), missing when no scheme applies.

        ``segments()`` summarises per segment; ``levels`` lists the score levels used.

    Raises
    ------
    SchemaError
        Not a DataFrame or a missing column.
    DataError
        Unparseable or ambiguous dates, non-numeric, infinite or missing amounts, negative
        amounts with ``refunds="error"``, future dates with ``future="error"``, an ``asof``
        before every order, no customers left.
    ConfigError
        A bad option, ``bins``, ``asof`` or scheme.

    Notes
    -----
    Rows are never dropped silently. Missing customer ids and missing dates are excluded and
    counted; zero amounts count as purchase occasions (counted); customers whose rows are only
    refunds have no purchase occasion and are excluded (counted). Notes also give the number of
    score levels R, F and M actually used.

    Standard segments (R score x FM score, FM = mean of F and M rounded half up):
    Champions R5 FM4-5; Loyal R3-4 FM4-5; Potential loyalist R4-5 FM2-3; New R5 FM1;
    Promising R4 FM1; Need attention R3 FM3; About to sleep R3 FM1-2; At risk R1-2 FM3-4;
    Can't lose them R1-2 FM5; Hibernating R2 FM1-2; Lost R1 FM1-2.

    References
    ----------
    Hughes, A. M. (1994). *Strategic Database Marketing*. Probus.
    Putler (2019). RFM Analysis For Successful Customer Segmentation.
    https://www.putler.com/rfm-analysis/

    Examples
    --------
    >>> tx = pd.DataFrame({"c": ["a", "a", "b", "c", "c", "c"],
    ...                    "d": ["2024-03-01", "2024-03-20", "2024-01-05", "2024-03-30",
    ...                          "2024-02-01", "2024-03-30"],
    ...                    "v": [20.0, 30.0, 15.0, 40.0, 10.0, 5.0]})
    >>> res = rfm(tx, customer="c", date="d", amount="v", bins=3)
    >>> res.table[["c", "recency", "frequency", "monetary", "r", "f", "m", "rfm_score"]]
       c  recency  frequency  monetary  r  f  m rfm_score
    0  a       11          2      50.0  2  2  2       222
    1  b       86          1      15.0  1  1  1       111
    2  c        1          2      55.0  3  2  3       323
    """
    how = resolve_engine(data, engine)
    if how == "pandas":
        data = check_frame(to_pandas_input(data))
    check_option(ties, _TIES, "ties")
    check_option(refunds, ("net", "drop", "error"), "refunds")
    check_option(duplicates, ("keep", "drop"), "duplicates")
    check_option(future, ("drop", "error"), "future")
    check_option(nonfinite, ("error", "drop"), "nonfinite")
    if not (isinstance(bins, (int, np.integer)) and not isinstance(bins, bool) and 2 <= bins <= 9):
        raise ConfigError(f"bins must be a whole number from 2 to 9, got {bins!r}.")
    if scheme is not None and not (isinstance(scheme, Mapping) or callable(scheme)):
        raise ConfigError(
            "scheme must be None (standard grid), a dict name -> rule, or a function "
            f"of the RFM table; got {type(scheme).__name__}."
        )
    asof_day, limit_txt = _asof_day(asof)
    if how != "pandas":
        from needlab.segment.rfm_engine import rfm_customers

        got = rfm_customers(
            data,
            how,
            customer=customer,
            date=date,
            amount=amount,
            order=order,
            asof_day=asof_day,
            asof_given=asof is not None,
            limit_txt=limit_txt,
            refunds=refunds,
            duplicates=duplicates,
            future=future,
            nonfinite=nonfinite,
            date_format=date_format,
        )
        return _finish(
            got["ids"],
            got["frequency"],
            got["monetary"],
            got["last"],
            got["rows"],
            got["asof_day"],
            got["notes"],
            got["n_rows"],
            customer=customer,
            bins=bins,
            ties=ties,
            scheme=scheme,
        )
    check_columns(data, [customer, date, amount] + ([order] if order is not None else []))
    notes: list[str] = []
    n_rows = len(data)

    values = check_numeric(
        data, amount, nonfinite="keep" if nonfinite == "drop" else "error"
    ).to_numpy()
    inf_v = np.isinf(values)
    na_v = np.isnan(values)
    if na_v.any():
        raise DataError(
            f"column {amount!r} has {int(na_v.sum())} missing values at rows "
            f"{row_list(na_v)}; fill them (e.g. 0 for free orders) or drop those rows."
        )
    days, na_d = _days(data, date, date_format=date_format, dayfirst=dayfirst)
    cust_ids, merged = normalise_ids(data[customer], what=f"customer ids ({customer!r})")
    if merged:
        notes.append(merged)
    codes, uniques = pd.factorize(cust_ids, sort=True)
    na_c = codes < 0

    keep = np.ones(n_rows, dtype=bool)
    for mask, what in (
        (na_c, f"a missing customer id ({customer!r})"),
        (na_d, f"a missing date ({date!r})"),
        (inf_v, f"an infinite amount ({amount!r}, nonfinite='drop')"),
    ):
        mask = mask & keep
        if mask.any():
            notes.append(f"{int(mask.sum())} rows with {what} excluded.")
            keep &= ~mask
    if not keep.any():
        raise DataError(
            f"no transactions left after excluding rows with a missing {customer!r} or {date!r}."
        )
    # the future policy comes before the default asof is chosen: a far-future typo never
    # becomes the reference day
    fut = keep & (days > asof_day)
    if fut.any():
        if future == "error":
            raw = data[date]
            raise DataError(
                f"column {date!r} has {int(fut.sum())} dates after {limit_txt}: "
                f"{preview(raw[fut])} at rows {row_list(fut)}. Correct them, pass a later asof, "
                "or future='drop' to exclude them."
            )
        notes.append(f"{int(fut.sum())} rows dated after {limit_txt} excluded.")
        warnings.warn(
            f"rfm: {int(fut.sum())} rows dated after {limit_txt} excluded.",
            NeedlabWarning,
            stacklevel=2,
        )
        keep &= ~fut
    if not keep.any():
        first = str(np.datetime64(int(days[~na_d].min()), "D")) if (~na_d).any() else "?"
        raise DataError(
            f"no transactions on or before {limit_txt}: the first order in {date!r} is on "
            f"{first}. Pass an asof on or after the first order date."
        )
    if asof is None:
        asof_day = int(days[keep].max()) + 1
    neg = keep & (values < 0)
    if neg.any():
        if refunds == "error":
            raise DataError(
                f"column {amount!r} has {int(neg.sum())} negative amounts (refunds): "
                f"{preview(values[neg])} at rows {row_list(neg)}. Use refunds='net' to "
                "net them into the spend or refunds='drop' to exclude them."
            )
        if refunds == "drop":
            notes.append(f"{int(neg.sum())} rows with a negative {amount!r} (refunds) excluded.")
            keep &= ~neg
            neg[:] = False
        else:
            notes.append(
                f"{int(neg.sum())} negative amounts (refunds) netted into monetary; they "
                "are not purchase occasions."
            )
    zero = keep & (values == 0)
    if zero.any():
        notes.append(f"{int(zero.sum())} zero-value rows counted as purchase occasions.")

    # purchase occasions: distinct (customer, day) or (customer, order)
    n_cust = len(uniques)
    kc = codes[keep].astype(np.int64)
    kd = days[keep]
    lo = int(kd.min())
    span = int(kd.max()) - lo + 1
    occ_id, occ_keys = pd.factorize(kc * span + (kd - lo))  # one id per customer-day
    weights = values[keep]
    # exact duplicate rows live in the same customer-day: check full rows only there
    per_occ = np.bincount(occ_id, minlength=len(occ_keys))
    cand = per_occ[occ_id] > 1
    n_dup = 0
    dropped = np.zeros(n_rows, dtype=bool)
    if cand.any():
        kv = weights[cand]
        cand_key = pd.DataFrame({"o": occ_id[cand], "v": kv}).duplicated(keep=False).to_numpy()
        cand_pos = np.flatnonzero(keep)[np.flatnonzero(cand)[cand_key]]
        if len(cand_pos):
            dup_sub = data.iloc[cand_pos].duplicated(keep="first").to_numpy()
            dup_rows = cand_pos[dup_sub]
            n_dup = len(dup_rows)
            if n_dup:
                if duplicates == "drop":
                    notes.append(f"{n_dup} exact duplicate rows dropped (first of each kept).")
                    dropped[dup_rows] = True
                    weights = np.where(dropped[keep], 0.0, weights)
                else:
                    notes.append(
                        f"{n_dup} exact duplicate rows kept and counted (pass "
                        "duplicates='drop' if they are double exports)."
                    )
    monetary = np.bincount(kc, weights=weights, minlength=n_cust)
    buy = ~neg[keep]
    if order is None:
        occ_buy = np.bincount(occ_id, weights=buy, minlength=len(occ_keys)) > 0
        occ_cust = occ_keys[occ_buy] // span
        frequency = np.bincount(occ_cust, minlength=n_cust)
    else:
        ocodes, ouniq = pd.factorize(data[order].to_numpy()[keep][buy])
        na_o = ocodes < 0
        if na_o.any():
            pos = np.flatnonzero(keep)[np.flatnonzero(buy)[na_o]]
            m = np.zeros(n_rows, dtype=bool)
            m[pos] = True
            raise DataError(
                f"column {order!r} has {int(na_o.sum())} missing order ids at rows "
                f"{row_list(m)}; fill them or leave order=None to count purchase days."
            )
        okey = pd.unique(kc[buy] * np.int64(len(ouniq)) + ocodes)
        frequency = np.bincount(okey // len(ouniq), minlength=n_cust)
    last = np.full(n_cust, np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(last, kc[buy], kd[buy])

    rows = np.bincount(codes[keep & ~dropped], minlength=n_cust).astype(np.int64)
    return _finish(
        uniques,
        frequency,
        monetary,
        last,
        rows,
        asof_day,
        notes,
        n_rows,
        customer=customer,
        bins=bins,
        ties=ties,
        scheme=scheme,
    )


def _asof_day(asof: Any) -> tuple[int, str]:
    """The reference day number (today when *asof* is None) and its text for messages."""
    if asof is None:
        asof_day = int(np.datetime64(pd.Timestamp.today().floor("D"), "D").astype(np.int64))
        return asof_day, f"today ({np.datetime64(asof_day, 'D')})"
    try:
        ts = pd.Timestamp(asof)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"asof={asof!r} is not a date; pass e.g. '2024-12-31'.") from exc
    if pd.isna(ts):
        raise ConfigError("asof is missing (NaT); pass a date such as '2024-12-31'.")
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)
    asof_day = int(np.datetime64(ts.floor("D"), "D").astype(np.int64))
    return asof_day, f"asof={np.datetime64(asof_day, 'D')}"


def _finish(
    uniques: Any,
    frequency: np.ndarray,
    monetary: np.ndarray,
    last: np.ndarray,
    rows: np.ndarray,
    asof_day: int,
    notes: list[str],
    n_rows: int,
    *,
    customer: Hashable,
    bins: int,
    ties: Ties,
    scheme: Scheme,
) -> RFMResult:
    """Scores, segments and the result from the per-customer counts (both paths)."""
    has = frequency > 0
    n_used = int(rows[has].sum())
    lost_c = int((~has).sum())
    if lost_c:
        n_lost_rows = int(rows[~has].sum())
        notes.append(
            f"{lost_c} customers with no purchase occasion (only refunds or only "
            f"excluded rows) excluded"
            + (f", with their {n_lost_rows} remaining rows." if n_lost_rows else ".")
        )
    if not has.any():
        raise DataError("no customer has a purchase occasion left; check the amounts and dates.")
    ids = uniques[has]
    frequency = frequency[has].astype(np.int64)
    monetary = monetary[has]
    recency = (asof_day - last[has]).astype(np.int64)
    neg_total = int((monetary < 0).sum())
    if neg_total:
        notes.append(f"{neg_total} customers have a negative net spend (refunds above purchases).")

    r = tie_scores(-recency, bins=bins, ties=ties)
    f = tie_scores(frequency, bins=bins, ties=ties)
    m = tie_scores(monetary, bins=bins, ties=ties)
    levels = {k: np.unique(v).tolist() for k, v in (("r", r), ("f", f), ("m", m))}
    notes.append(
        "score levels used: "
        + "; ".join(
            f"{k.upper()} {len(v)} of {bins} ({', '.join(map(str, v))})" for k, v in levels.items()
        )
    )
    code = r * 100 + f * 10 + m
    table = pd.DataFrame(
        {
            customer: ids,
            "recency": recency,
            "frequency": frequency,
            "monetary": monetary,
            "monetary_mean": monetary / frequency,
            "r": r,
            "f": f,
            "m": m,
            "rfm_score": code.astype(str),
            "score": r + f + m,
        }
    )
    scheme_used = "none"
    if scheme is None:
        if bins == 5:
            fm = (f + m + 1) // 2
            table["segment"] = pd.Categorical.from_codes(
                _GRID[r - 1, fm - 1], categories=pd.Index(list(SEGMENTS))
            )
            scheme_used = "standard"
        else:
            table["segment"] = pd.Categorical([None] * len(table), categories=list(SEGMENTS))
            notes.append(
                f"no segments named: the standard grid needs bins=5 (got {bins}); "
                "pass scheme= for your own."
            )
    else:
        scheme_used = "custom"
        view = table.assign(fm=(f + m + 1) // 2)
        if isinstance(scheme, Mapping):
            from needlab.segment.rules import segment_rules

            seg = segment_rules(view, scheme, default="other")
            table["segment"] = seg.labels.to_numpy()
            notes.extend(f"scheme: {n}" for n in seg.notes)
        else:
            try:
                lab = scheme(view)
            except Exception as exc:
                raise ConfigError(f"scheme function failed: {type(exc).__name__}: {exc}") from exc
            lab = np.asarray(lab, dtype=object)
            if lab.ndim != 1 or len(lab) != len(table):
                raise ConfigError(
                    f"scheme function returned {np.shape(lab)} labels for "
                    f"{len(table)} customers; return one label per customer."
                )
            table["segment"] = pd.Categorical(lab)
    return RFMResult(
        table,
        bins=int(bins),
        ties=ties,
        asof=pd.Timestamp(np.datetime64(asof_day, "D")),
        levels=levels,
        scheme=scheme_used,
        notes=tuple(notes),
        n_used=n_used,
        n_excluded=n_rows - n_used,
    )
