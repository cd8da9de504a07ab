"""Customer lifetime value: the repeat-purchase summary, BG/NBD, Gamma-Gamma and discounted CLV.

The workflow follows Fader, Hardie & Lee (2005a, 2005b):

1. :func:`clv_summary` turns a transaction log into one row per customer (repeat ``frequency``,
   ``recency``, ``age`` and mean repeat spend ``monetary``), all times in periods of ``freq``.
2. :class:`BetaGeo` fits the BG/NBD model of purchase counts and dropout; it predicts expected
   purchases and the probability that a customer is still alive.
3. :class:`GammaGamma` fits the spend per occasion of repeat customers; it predicts the expected
   average spend of each customer.
4. :func:`clv` combines them into a discounted expected value over a horizon.

Time unit: every time (``recency``, ``age``, ``t``, ``horizon``) is measured in periods of the
``freq`` given to :func:`clv_summary` (days for ``"D"``, weeks for ``"W"``, ...). The model
parameter ``alpha`` is in the same unit, so parameters fitted on weekly data are not comparable
with parameters fitted on daily data.

References
----------
Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005a). "Counting your customers" the easy way: an
alternative to the Pareto/NBD model. *Marketing Science* 24(2), 275-284.

Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005b). RFM and CLV: using iso-value curves for
customer base analysis. *Journal of Marketing Research* 42(4), 415-430.

Fader, P. S. & Hardie, B. G. S. (2013). The Gamma-Gamma model of monetary value. Note,
http://brucehardie.com/notes/025/.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable
from typing import Any, Literal

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from needlab._engine import Engine, resolve_engine, to_pandas_input
from needlab._stats import numerical_hessian
from needlab._validate import (
    as_design,
    check_columns,
    check_dates,
    check_frame,
    check_numeric,
    check_option,
    check_weights,
    normalise_ids,
    preview,
)
from needlab.errors import ConfigError, DataError, NeedlabWarning
from needlab.segment.fitting import check_fitted

__all__ = ["BetaGeo", "GammaGamma", "clv", "clv_summary"]

Freq = Literal["D", "W", "M", "Q", "Y"]
_FREQS = ("D", "W", "M", "Q", "Y")


# ---------------------------------------------------------------------------- summary
def clv_summary(
    data: Any,
    *,
    customer: Hashable,
    date: Hashable,
    amount: Hashable | None = None,
    asof: Any = None,
    freq: Freq = "D",
    future: Literal["drop", "error"] = "drop",
    date_format: str | None = None,
    dayfirst: bool | None = None,
    nonfinite: Literal["error", "drop"] = "error",
    engine: Engine = "auto",
) -> pd.DataFrame:
    """Summarise a transaction log into one row per customer for BG/NBD and Gamma-Gamma.

    Orders in the same period (same day for ``freq="D"``) are merged into one *purchase
    occasion*. The first occasion of a customer is the acquisition; the models describe the
    *repeat* occasions after it.

    Parameters
    ----------
    data : DataFrame or Survey
        The transaction log: one row per order (or order line).
    customer, date : column names
        Customer id and order date (datetime, ``YYYYMMDD`` integers or text, ISO text). Ids are
        compared after Unicode NFKC and trimming (``"C1 "`` and a full-width ``"Ｃ1"`` are
        ``"C1"``; case is kept); merged variants are reported in the notes.
    amount : column name, optional
        Order value. Without it the ``monetary`` column is left out.
    asof : date-like, optional
        End of the observation window. Default: the last order date in the data that is not in
        the future (after today, see ``future``).
    freq : {"D", "W", "M", "Q", "Y"}
        The period: the unit of ``recency`` and ``age`` and the grain at which orders are merged.
    future : {"drop", "error"}
        Rows dated after ``asof`` (after today when ``asof`` is not given): excluded (counted,
        with a warning) or an error naming the rows. Applied *before* the default ``asof`` is
        chosen, so a far-future typo never becomes the window end.
    date_format : str, optional
        Explicit format of the date text (e.g. ``"%d/%m/%Y"``), applied strictly.
    dayfirst : bool, optional
        Read day/month text as day first (``True``) or month first (``False``); an ambiguous
        column without it is an error that shows examples, never a guess.
    nonfinite : {"error", "drop"}
        Infinite amounts: an error (default) or rows excluded and counted in the notes.
    engine : {"auto", "pandas", "duckdb"}, default "auto"
        Where the counting runs (:func:`needlab._engine.resolve_engine`). A Polars frame, a
        DuckDB relation, a SQLFrame/PySpark DataFrame or a Parquet/CSV path (and a pandas frame
        with ``engine="duckdb"``) is reduced in its own engine to one row per (customer,
        period) and then to one row per customer (rows, occasions, first and last occasion
        period, net value of the repeat occasions); only that table comes back, giving the
        pandas path's results (values to 1e-9 relative). In the engine, dates must be dates,
        timestamps or text in ``date_format`` (default ISO ``%Y-%m-%d``; ``dayfirst`` is not
        used), the time of day is ignored (rows on the ``asof`` day are never in the future),
        and errors give counts instead of row numbers (see :mod:`needlab.segment.rfm_engine`).

    Returns
    -------
    DataFrame
        Indexed by customer (index named like the ``customer`` column), sorted by customer:

        - ``frequency``: number of repeat purchase occasions (distinct purchase periods - 1).
        - ``recency``: periods between the first and the last purchase occasion (0 when none).
        - ``age``: periods between the first purchase occasion and ``asof``.
        - ``monetary``: mean net value of the repeat occasions; 0 when ``frequency`` is 0
          (only with ``amount``).
        - ``first``, ``last``: start of the first and of the last purchase period.

        ``attrs["freq"]`` holds ``freq``, ``attrs["asof"]`` the window end, ``attrs["notes"]``
        the notes (rows excluded and why, zero-value orders, refunds, merged id variants),
        ``attrs["n_used"]`` and ``attrs["n_excluded"]`` the transactions (rows) used and left
        out, and ``attrs["customers_excluded"]`` the customers left out (e.g. only refunds).

    Notes
    -----
    Data policy, stated so nothing happens silently:

    - **Missing customer ids** and **missing dates**: the rows are counted and *excluded*; a note
      and a :class:`~needlab.errors.NeedlabWarning` report the count.
    - **Unparseable dates** (text that is not a date): :class:`~needlab.errors.DataError`.
    - **Future dates** (after ``asof``, or after today without ``asof``): counted and *excluded*
      with a note and a warning (``future="drop"``), or an error (``future="error"``). This is
      also how a calibration period is cut from a longer log.
    - **An asof before every order**: :class:`~needlab.errors.DataError`.
    - **Missing amounts**: :class:`~needlab.errors.DataError` (dropping the row would lose an
      occasion; fill the value or drop the rows yourself).
    - **Zero-value orders** (free samples, full-voucher orders) *count as purchase occasions*
      with value 0; a note gives their number. Gamma-Gamma later leaves out customers whose
      mean repeat value is 0.
    - **Negative amounts** are refunds: they are *netted* against the orders of the same customer
      in the same period. A period with only refunds (net value < 0 and no order >= 0) is not a
      purchase occasion and is dropped; an occasion whose net value is negative is set to 0.
      Notes give both counts. Refunds of orders in earlier periods are therefore not netted back.
      Customers whose orders are all refunds have no occasion: they are excluded and counted
      (note, ``attrs["customers_excluded"]``, their rows in ``attrs["n_excluded"]``).

    Raises
    ------
    SchemaError
        Not a DataFrame, or a missing column.
    DataError
        Unparseable or ambiguous dates, non-numeric, infinite or missing amounts, future
        dates with ``future="error"``, an ``asof`` before every order, or no usable rows.
    ConfigError
        Unknown ``freq``, ``future`` or ``nonfinite``, or unparseable ``asof``.

    Examples
    --------
    >>> tx = pd.DataFrame({"c": ["a", "a", "a", "b"],
    ...                    "d": ["2024-01-01", "2024-01-01", "2024-01-05", "2024-01-03"],
    ...                    "v": [10.0, 5.0, 20.0, 7.0]})
    >>> clv_summary(tx, customer="c", date="d", amount="v", asof="2024-01-10")[
    ...     ["frequency", "recency", "age", "monetary"]]
       frequency  recency  age  monetary
    c
    a          1        4    9      20.0
    b          0        0    7       0.0
    """
    how = resolve_engine(data, engine)
    check_option(freq, _FREQS, "freq")
    check_option(future, ("drop", "error"), "future")
    check_option(nonfinite, ("error", "drop"), "nonfinite")
    if how != "pandas":
        return _summary_engine(
            data,
            how,
            customer=customer,
            date=date,
            amount=amount,
            asof=asof,
            freq=freq,
            future=future,
            nonfinite=nonfinite,
            date_format=date_format,
        )
    data = as_design(to_pandas_input(data), weights=False).data
    check_columns(data, [customer, date] + ([amount] if amount is not None else []))
    notes: list[str] = []

    cust, merged = normalise_ids(data[customer], what=f"customer ids ({customer!r})")
    if merged:
        notes.append(merged)
    dates = check_dates(data, date, date_format=date_format, dayfirst=dayfirst)
    values = None
    inf_v = np.zeros(len(data), dtype=bool)
    if amount is not None:
        values = check_numeric(data, amount, nonfinite="keep" if nonfinite == "drop" else "error")
        inf_v = np.isinf(values.to_numpy())
        na = values.isna().to_numpy()
        if na.any():
            raise DataError(
                f"column {amount!r} has {int(na.sum())} missing values at rows "
                f"{preview(np.flatnonzero(na))}; fill them (e.g. 0 for free "
                "orders) or drop those rows before clv_summary."
            )

    keep = np.ones(len(data), dtype=bool)
    for mask, what in (
        (cust.isna().to_numpy(), f"missing customer id ({customer!r})"),
        (dates.isna().to_numpy(), f"missing date ({date!r})"),
        (inf_v, f"infinite amount ({amount!r}, nonfinite='drop')"),
    ):
        mask = mask & keep
        if mask.any():
            notes.append(f"{int(mask.sum())} rows with a {what} excluded.")
            keep &= ~mask
    if not keep.any():
        raise DataError("no transactions left after excluding missing ids and dates.")
    if asof is None:
        limit = pd.Timestamp.today().normalize() + pd.Timedelta(days=1)
        limit_txt = f"today ({limit.date() - pd.Timedelta(days=1)})"
        fut = keep & (dates >= limit).to_numpy()
    else:
        try:
            asof_ts = pd.Timestamp(asof)
        except (ValueError, TypeError) as exc:
            raise ConfigError(f"asof={asof!r} is not a date; pass e.g. '2024-12-31'.") from exc
        if pd.isna(asof_ts):
            raise ConfigError("asof is missing (NaT); pass a date such as '2024-12-31'.")
        if asof_ts.tzinfo is not None:
            asof_ts = asof_ts.tz_localize(None)
        limit_txt = f"asof={asof_ts.date()}"
        fut = keep & (dates > asof_ts).to_numpy()
    # the future policy comes before the default asof is chosen: a far-future typo never
    # becomes the window end
    if fut.any():
        if future == "error":
            raise DataError(
                f"column {date!r} has {int(fut.sum())} dates after {limit_txt}: "
                f"{preview(data[date][fut])} at rows {preview(np.flatnonzero(fut))}. Correct "
                "them, pass a later asof, or future='drop' to exclude them."
            )
        notes.append(f"{int(fut.sum())} rows dated after {limit_txt} excluded.")
        keep &= ~fut
    if not keep.any():
        first = dates.min()
        raise DataError(
            f"no transactions on or before {limit_txt}: the first order in {date!r} is on "
            f"{'?' if pd.isna(first) else first.date()}. Pass an asof on or after the "
            "first order date."
        )
    if asof is None:
        asof_ts = dates[keep].max()

    # Vectorised: integer customer codes (sorted ids) and period ordinals, one hash pass for
    # the customer-period occasions, then bincount / ufunc.at per customer (no groupby).
    codes, uniques = pd.factorize(cust[keep], sort=True)
    days = dates[keep].to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").astype(np.int64)
    if freq == "D":
        p = days
    else:
        dcode, dun = pd.factorize(days)
        ords = pd.PeriodIndex(pd.to_datetime(dun, unit="D"), freq=freq).asi8
        p = ords[dcode]
    c64 = codes.astype(np.int64)
    p_lo = int(p.min())
    span = int(p.max()) - p_lo + 1
    occ_id, occ_key = pd.factorize(c64 * span + (p - p_lo))
    n_occ_all = len(occ_key)
    occ_c = occ_key // span
    occ_p = occ_key % span + p_lo
    occ_v = None
    if values is not None:
        v = values[keep].to_numpy()
        zero = int((v == 0).sum())
        if zero:
            notes.append(f"{zero} zero-value orders counted as purchase occasions (value 0).")
        occ_v = np.bincount(occ_id, weights=v, minlength=n_occ_all)
        pos = np.bincount(occ_id, weights=v >= 0, minlength=n_occ_all) > 0
        n_ref = int((v < 0).sum())
        if n_ref:
            notes.append(
                f"{n_ref} negative amounts treated as refunds, netted within their period."
            )
        only_ref = ~pos
        if only_ref.any():
            notes.append(
                f"{int(only_ref.sum())} customer-periods with only refunds dropped "
                "(not purchase occasions)."
            )
            occ_c, occ_p, occ_v = occ_c[pos], occ_p[pos], occ_v[pos]
        neg = occ_v < 0
        if neg.any():
            notes.append(f"{int(neg.sum())} purchase occasions with a negative net value set to 0.")
            occ_v = np.maximum(occ_v, 0.0)
        if len(occ_v) == 0:
            raise DataError("every period holds only refunds; no purchase occasions left.")
    n_all = len(uniques)
    n_occ = np.bincount(occ_c, minlength=n_all)
    first_full = np.full(n_all, np.iinfo(np.int64).max, dtype=np.int64)
    last_full = np.full(n_all, np.iinfo(np.int64).min, dtype=np.int64)
    np.minimum.at(first_full, occ_c, occ_p)
    np.maximum.at(last_full, occ_c, occ_p)
    rep = None
    if occ_v is not None:
        is_first = occ_p == first_full[occ_c]
        rep = np.bincount(occ_c, weights=np.where(is_first, 0.0, occ_v), minlength=n_all)
    return _summary_table(
        uniques,
        n_occ,
        first_full,
        last_full,
        rep,
        np.bincount(codes, minlength=n_all).astype(np.int64),
        notes,
        len(data),
        customer=customer,
        freq=freq,
        asof_ts=asof_ts,
    )


def _summary_table(
    uniques: Any,
    n_occ: np.ndarray,
    first_full: np.ndarray,
    last_full: np.ndarray,
    rep: np.ndarray | None,
    rows: np.ndarray,
    notes: list[str],
    n_rows: int,
    *,
    customer: Hashable,
    freq: str,
    asof_ts: pd.Timestamp,
) -> pd.DataFrame:
    """The summary table from per-customer counts (both paths): occasions, first and last
    occasion period, value of the repeat occasions and rows kept per customer."""
    has = n_occ > 0
    lost = int((~has).sum())
    # rows of kept customers are used; rows of customers without an occasion are excluded
    n_used = int(rows[has].sum())
    if lost:
        notes.append(
            f"{lost} customers with only refunds (no purchase occasion) excluded, with their "
            f"{int(rows[~has].sum())} rows: {preview(uniques[~has])}."
        )
    first_p, last_p = first_full[has], last_full[has]
    asof_p = pd.Period(asof_ts, freq=freq).ordinal
    out = pd.DataFrame(
        {
            "frequency": (n_occ[has] - 1).astype(np.int64),
            "recency": (last_p - first_p).astype(np.int64),
            "age": (asof_p - first_p).astype(np.int64),
        },
        index=pd.Index(uniques[has], name=customer),
    )
    if rep is not None:
        f = out["frequency"].to_numpy()
        out["monetary"] = np.where(f > 0, rep[has] / np.maximum(f, 1), 0.0)
    # pandas-stubs lack PeriodIndex.from_ordinals (pandas >= 2.2)
    from_ordinals = pd.PeriodIndex.from_ordinals  # type: ignore[attr-defined]
    out["first"] = from_ordinals(first_p, freq=freq).to_timestamp()
    out["last"] = from_ordinals(last_p, freq=freq).to_timestamp()
    out.attrs.update(
        freq=freq,
        asof=asof_ts,
        notes=tuple(notes),
        n_used=n_used,
        n_excluded=n_rows - n_used,
        customers_excluded=lost,
    )
    excluded = [n for n in notes if "excluded" in n]
    if excluded:
        warnings.warn("clv_summary: " + " ".join(excluded), NeedlabWarning, stacklevel=3)
    return out


def _summary_engine(
    data: Any,
    how: str,
    *,
    customer: Hashable,
    date: Hashable,
    amount: Hashable | None,
    asof: Any,
    freq: str,
    future: str,
    nonfinite: str,
    date_format: str | None,
) -> pd.DataFrame:
    """:func:`clv_summary` counted in the engine (:func:`~needlab.segment.rfm_engine.clv_customers`)."""
    from needlab.segment.rfm import _asof_day
    from needlab.segment.rfm_engine import clv_customers

    limit_day, limit_txt = _asof_day(asof)
    if asof is not None:
        asof_ts = pd.Timestamp(asof)
        if asof_ts.tzinfo is not None:
            asof_ts = asof_ts.tz_localize(None)
    got = clv_customers(
        data,
        how,
        customer=customer,
        date=date,
        amount=amount,
        freq=freq,
        limit_day=limit_day,
        limit_txt=limit_txt,
        future=future,
        nonfinite=nonfinite,
        date_format=date_format,
    )
    if asof is None:
        asof_ts = pd.Timestamp(np.datetime64(got["last_day"], "D"))
    notes: list[str] = got["notes"]
    if got["only_ref"]:
        notes.append(
            f"{got['only_ref']} customer-periods with only refunds dropped "
            "(not purchase occasions)."
        )
    if got["neg_occ"]:
        notes.append(f"{got['neg_occ']} purchase occasions with a negative net value set to 0.")
    if amount is not None and not (got["n_occ"] > 0).any():
        raise DataError("every period holds only refunds; no purchase occasions left.")
    return _summary_table(
        got["ids"],
        got["n_occ"],
        got["first"],
        got["last"],
        got["rep"],
        got["rows"],
        notes,
        got["n_rows"],
        customer=customer,
        freq=freq,
        asof_ts=asof_ts,
    )


# ---------------------------------------------------------------------------- helpers
def _split(X: Any, names: tuple[str, ...]) -> list[Any]:
    """The named columns of a summary frame, or the columns of a 2-d array in that order."""
    if isinstance(X, pd.DataFrame):
        check_columns(X, list(names))
        return [X[c] for c in names]
    a = np.asarray(X, dtype=float)
    if a.ndim != 2 or a.shape[1] != len(names):
        raise DataError(
            f"X must be a clv_summary table or a 2-d array with the columns {list(names)}, "
            f"got shape {a.shape}."
        )
    return [a[:, j] for j in range(len(names))]


def _arr(x: Any, name: str) -> np.ndarray:
    a = np.asarray(x, dtype=float)
    if not np.all(np.isfinite(a)):
        raise DataError(f"{name} has missing or infinite values; drop those customers first.")
    return a


def _rfa(data: Any, recency: Any, age: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Resolve (frequency, recency, age) from a summary table or three arrays, and check them."""
    cols: tuple[Any, Any, Any]
    if isinstance(data, pd.DataFrame):
        check_columns(data, ["frequency", "recency", "age"])
        cols = (data["frequency"], data["recency"], data["age"])
    else:
        if recency is None or age is None:
            raise ConfigError("pass a clv_summary table, or frequency, recency and age.")
        cols = (data, recency, age)
    x, tx, T = np.broadcast_arrays(
        _arr(cols[0], "frequency"), _arr(cols[1], "recency"), _arr(cols[2], "age")
    )
    bad = (x < 0) | (tx < 0) | (tx > T) | ((x == 0) & (tx != 0)) | ((x > 0) & (tx <= 0))
    if bad.any():
        raise DataError(
            f"{int(bad.sum())} customers have inconsistent frequency/recency/age (need "
            "frequency >= 0, 0 <= recency <= age, recency = 0 exactly when frequency = 0), "
            f"first at position {int(np.flatnonzero(bad)[0])}. Build the input with clv_summary."
        )
    return x, tx, T


def _horizon(t: Any, name: str = "t") -> np.ndarray:
    """A prediction horizon: finite numbers of periods >= 0, else :class:`ConfigError`."""
    try:
        a = np.asarray(t, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{name} must be a number of periods >= 0, got {t!r}.") from exc
    bad = ~np.isfinite(a) | (a < 0)
    if bad.any():
        raise ConfigError(
            f"{name} must be a finite number of periods >= 0, got {preview(a[bad].tolist())}; "
            "a horizon looks forward from the end of the window (e.g. t=12)."
        )
    return a


def _no_negative(values: np.ndarray, model: str, what: str) -> np.ndarray:
    """Expected counts and values cannot be negative: rounding noise (>= -1e-9) becomes 0,
    anything else (and non-finite values) NaN with a warning (the parameters are degenerate)."""
    v = np.where((values < 0) & (values >= -1e-9), 0.0, values)
    bad = ~np.isfinite(v) | (v < 0)
    if bad.any():
        warnings.warn(
            f"{model}: {int(bad.sum())} {what} are negative or not finite with these "
            "parameters (a degenerate or non-converged fit); set to NaN. Refit with more data "
            "or a small penalizer.",
            NeedlabWarning,
            stacklevel=3,
        )
        v = np.where(bad, np.nan, v)
    return v


class _Model(BaseEstimator):
    """Shared maximum-likelihood machinery (log-parameterised); see :class:`BetaGeo`."""

    _names: tuple[str, ...] = ()

    def __init__(self, *, penalizer: float = 0.0):
        self.penalizer = penalizer

    def _check_penalizer(self) -> float:
        p = self.penalizer
        if not (isinstance(p, (int, float)) and np.isfinite(p) and p >= 0):
            raise ConfigError(f"penalizer must be a number >= 0, got {p!r}.")
        return float(p)

    def _check_fitted(self) -> None:
        check_fitted(self, "params_")

    def _optimise(self, nll: Any, x0: np.ndarray, n: float) -> None:
        """Minimise the mean negative log-likelihood in log space; store params, SEs, tables."""
        pen = self._check_penalizer()

        def obj(lp: np.ndarray) -> float:
            val = nll(lp) + pen * float(np.sum(np.exp(lp) ** 2))
            return val / n if np.isfinite(val) else 1e300

        from scipy import optimize

        res = optimize.minimize(
            obj, x0, method="Nelder-Mead", options={"maxiter": 4000, "xatol": 1e-7, "fatol": 1e-10}
        )
        res2 = optimize.minimize(obj, res.x, method="BFGS", options={"gtol": 1e-8})
        if res2.fun <= res.fun:
            res = res2
        if not np.all(np.isfinite(res.x)):
            raise DataError(f"{type(self).__name__}: the likelihood could not be maximised.")
        # BFGS with numerical gradients often stops on "precision loss" at the optimum; judge
        # convergence by the central-difference gradient of the mean negative log-likelihood.
        h = 1e-5
        grad = np.array(
            [(obj(res.x + h * e) - obj(res.x - h * e)) / (2 * h) for e in np.eye(len(res.x))]
        )
        self.converged_ = bool(np.all(np.isfinite(grad)) and np.max(np.abs(grad)) < 1e-4)
        if not self.converged_:
            warnings.warn(
                f"{type(self).__name__}: the optimiser did not converge (largest "
                f"gradient {np.max(np.abs(grad)):.2g} on the log scale; {res.message}); "
                "check the estimates or set a small penalizer.",
                NeedlabWarning,
                stacklevel=3,
            )
        with np.errstate(over="ignore"):
            theta = np.exp(res.x)
        self.params_ = dict(zip(self._names, (float(t) for t in theta), strict=True))
        self.log_likelihood_ = float(-nll(res.x))
        with np.errstate(all="ignore"):
            H = numerical_hessian(lambda lp: obj(lp) * n, res.x)
            try:
                cov_log = np.linalg.inv(H)
                se = theta * np.sqrt(np.where(np.diag(cov_log) > 0, np.diag(cov_log), np.nan))
            except np.linalg.LinAlgError:
                se = np.full(len(theta), np.nan)
        # delta method: se(theta) = theta * se(log theta)
        self.standard_errors_ = dict(zip(self._names, (float(s) for s in se), strict=True))
        self.summary_ = pd.DataFrame({"param": list(self._names), "estimate": theta, "se": se})
        # a degenerate fit: a parameter run off to 0 or infinity (|log| > 23, i.e. outside
        # 1e-10..1e10) or a singular information matrix (no standard errors). Predictions from
        # it are meaningless (e.g. negative expected purchases); clv() refuses it.
        off = [n for n, lp in zip(self._names, res.x, strict=True) if abs(lp) > 23]
        nose = [n for n, v in zip(self._names, se, strict=True) if not np.isfinite(v)]
        self.degenerate_ = bool(off or nose)
        if self.degenerate_:
            why = (
                (f"parameters {off} ran off to 0 or infinity" if off else "")
                + ("; " if off and nose else "")
                + (f"no standard error for {nose} (singular information matrix)" if nose else "")
            )
            self.converged_ = False
            warnings.warn(
                f"{type(self).__name__}: degenerate fit ({why}); the data do not identify "
                "the model (too few customers or identical histories). Predictions are not "
                "reliable: use more data or set a small penalizer (e.g. 0.001).",
                NeedlabWarning,
                stacklevel=3,
            )


# ---------------------------------------------------------------------------- BG/NBD
def _bgnbd_loglik(
    r: float, alpha: float, a: float, b: float, x: np.ndarray, tx: np.ndarray, T: np.ndarray
) -> np.ndarray:
    """Per-customer BG/NBD log-likelihood (Fader, Hardie & Lee 2005a, eq. 6), vectorised."""
    from scipy.special import betaln, gammaln

    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = betaln(a, b + x) - betaln(a, b)
    a3 = -(r + x) * np.log(alpha + T)
    with np.errstate(divide="ignore", invalid="ignore"):
        a4 = np.where(
            x > 0,
            np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) - (r + x) * np.log(alpha + tx),
            -np.inf,
        )
    return a1 + a2 + np.logaddexp(a3, a4)


class BetaGeo(_Model):
    """BG/NBD model of repeat purchases (Fader, Hardie & Lee 2005a), fitted by maximum likelihood.

    While alive, a customer buys as a Poisson process with rate ``lambda ~ Gamma(r, alpha)``
    (shape r, rate alpha); after each repeat purchase she drops out with probability
    ``p ~ Beta(a, b)``.

    Parameters
    ----------
    penalizer : float, default 0
        L2 penalty ``penalizer * sum(params**2)`` added to the negative log-likelihood (0 is
        plain maximum likelihood; a small value stabilises fits on tiny data).

    Attributes
    ----------
    params_ : dict
        ``r``, ``alpha``, ``a``, ``b``. ``alpha`` is in periods of the summary's ``freq``.
    standard_errors_ : dict
        Standard errors from the numerical Hessian of the log-likelihood (delta method from the
        log scale on which it is maximised).
    summary_ : DataFrame
        ``param``, ``estimate``, ``se``.
    log_likelihood_ : float
        Maximised log-likelihood (without the penalty).
    n_customers_ : int
        Customers (rows of ``X``) used in the fit.

    Notes
    -----
    ``fit(X, sample_weight=w)`` maximises the weighted log-likelihood ``sum_i w_i log L_i``
    over customers: a customer of weight 2 counts as two customers with the same history, so
    integer weights give the fit of the rows repeated that often (e.g. to weight a sample of
    customers up to the base, or to fit on distinct histories with their counts).

    References
    ----------
    Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). "Counting your customers" the easy way: an
    alternative to the Pareto/NBD model. *Marketing Science* 24(2), 275-284.

    Examples
    --------
    >>> m = BetaGeo()
    >>> m.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    >>> round(float(m.probability_alive(2, 30.43, 38.86)), 3)
    0.727
    >>> round(float(m.expected_purchases(39, 2, 30.43, 38.86)), 3)
    1.226
    """

    _names = ("r", "alpha", "a", "b")

    def fit(self, X: Any, y: Any = None, sample_weight: Any = None) -> BetaGeo:
        """Fit by maximum likelihood.

        Parameters
        ----------
        X : DataFrame or 2-d array
            A :func:`clv_summary` table (``frequency``, ``recency``, ``age``), or an array with
            those three columns in that order.
        y : ignored
            Present for scikit-learn compatibility.
        sample_weight : array of float, optional
            Weight of each customer in the log-likelihood (see Notes).

        Returns
        -------
        BetaGeo
            The fitted model.

        Raises
        ------
        SchemaError
            Missing columns. DataError: inconsistent histories, fewer than 2 customers,
            invalid weights. ConfigError: invalid ``penalizer``.
        """
        x, tx, T = _rfa(*_split(X, ("frequency", "recency", "age")))
        wt = check_weights(None, sample_weight, n=len(x))
        wt = np.ones(len(x)) if wt is None else wt
        if len(x) < 2:
            raise DataError("BetaGeo needs at least 2 customers.")
        # aggregate identical customers: the likelihood only depends on (x, t_x, T)
        key = (
            pd.DataFrame({"x": x, "tx": tx, "T": T, "w": wt})
            .groupby(["x", "tx", "T"], sort=True)["w"]
            .sum()
            .reset_index()
        )
        ux, utx, uT, w = (key[c].to_numpy(dtype=float) for c in ("x", "tx", "T", "w"))

        def nll(lp: np.ndarray) -> float:
            r, alpha, a, b = np.exp(lp)
            return -float(np.sum(w * _bgnbd_loglik(r, alpha, a, b, ux, utx, uT)))

        total = float(wt.sum())
        rate = max(float(wt @ x / total) / max(float(wt @ T / total), 1e-12), 1e-6)
        self.n_customers_ = len(x)
        self._optimise(nll, np.log([1.0, 1.0 / rate, 1.0, 1.0]), total)
        return self

    def _p(self) -> tuple[float, float, float, float]:
        self._check_fitted()
        p = self.params_
        return p["r"], p["alpha"], p["a"], p["b"]

    def log_likelihood(self, frequency: Any, recency: Any = None, age: Any = None) -> np.ndarray:
        """Per-customer log-likelihood at the fitted parameters."""
        x, tx, T = _rfa(frequency, recency, age)
        return _bgnbd_loglik(*self._p(), x, tx, T)

    def probability_alive(self, frequency: Any, recency: Any = None, age: Any = None) -> np.ndarray:
        """P(alive at ``age`` | frequency, recency, age).

        From Fader, Hardie & Lee (2008), "Computing P(alive) using the BG/NBD model" (note 021):

        ``1 / (1 + [x > 0] * a / (b + x - 1) * ((alpha + T) / (alpha + t_x))**(r + x))``; exactly 1
        for customers without repeat purchases (the model lets them drop out only after a repeat
        purchase).
        """
        x, tx, T = _rfa(frequency, recency, age)
        r, alpha, a, b = self._p()
        with np.errstate(divide="ignore", invalid="ignore"):
            log_d = (
                np.log(a)
                - np.log(np.maximum(b + x - 1, 1e-300))
                + (r + x) * (np.log(alpha + T) - np.log(alpha + tx))
            )
        return np.where(x > 0, 1.0 / (1.0 + np.exp(np.minimum(log_d, 700))), 1.0)

    def expected_purchases(
        self, t: Any, frequency: Any, recency: Any = None, age: Any = None
    ) -> np.ndarray:
        """Expected purchases in the next ``t`` periods given the history (eq. 10 of 2005a).

        Raises
        ------
        ConfigError
            A negative or non-finite ``t``.

        Notes
        -----
        Values that come out negative or not finite (degenerate parameters, e.g. ``a`` at 1 or
        a non-converged fit) are returned as NaN with a :class:`~needlab.errors.NeedlabWarning`,
        never as a negative expectation.
        """
        t = _horizon(t)
        x, tx, T = _rfa(frequency, recency, age)
        r, alpha, a, b = self._p()
        from scipy.special import hyp2f1

        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            z = t / (alpha + T + t)
            f = hyp2f1(r + x, b + x, a + b + x - 1, z)
            head = (a + b + x - 1) / (a - 1)
            body = 1 - np.exp((r + x) * (np.log(alpha + T) - np.log(alpha + T + t))) * f
            d = np.where(
                x > 0,
                a
                / np.maximum(b + x - 1, 1e-300)
                * np.exp((r + x) * (np.log(alpha + T) - np.log(alpha + tx))),
                0.0,
            )
            out = head * body / (1 + d)
        return _no_negative(out, "BetaGeo", "expected purchases")

    def expected_purchases_new(self, t: Any) -> np.ndarray:
        """Expected purchases in ``(0, t]`` of a newly acquired customer (eq. 9 of 2005a).

        Raises
        ------
        ConfigError
            A negative or non-finite ``t``.
        """
        from scipy.special import hyp2f1

        t = _horizon(t)
        r, alpha, a, b = self._p()
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            out = (
                (a + b - 1)
                / (a - 1)
                * (1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, t / (alpha + t)))
            )
        return _no_negative(out, "BetaGeo", "expected purchases")


# ---------------------------------------------------------------------------- Gamma-Gamma
def _gg_loglik(p: float, q: float, v: float, x: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Per-customer log-density of the mean spend m of x transactions (Fader & Hardie 2013)."""
    from scipy.special import gammaln

    return (
        gammaln(p * x + q)
        - gammaln(p * x)
        - gammaln(q)
        + q * np.log(v)
        + (p * x - 1) * np.log(m)
        + p * x * np.log(x)
        - (p * x + q) * np.log(v + m * x)
    )


class GammaGamma(_Model):
    """Gamma-Gamma model of spend per purchase occasion, fitted by maximum likelihood.

    A customer's occasion values are Gamma(p, nu); across customers ``nu ~ Gamma(q, v)``. Fitted
    on customers with ``frequency > 0`` and ``monetary > 0`` (repeat occasions only; zero-value
    means are excluded with a warning). The model assumes spend is independent of purchase
    frequency: ``correlation_`` holds the Pearson correlation of frequency and monetary among the
    fitted customers and a :class:`~needlab.errors.NeedlabWarning` is raised when
    ``|correlation| >= 0.3``.

    Attributes
    ----------
    params_ : dict
        ``p``, ``q``, ``v``.
    standard_errors_, summary_, log_likelihood_ : as in :class:`BetaGeo`.
    correlation_ : float
        Weighted Pearson correlation of frequency and monetary among the fitted customers.
    n_customers_ : int
        Customers fitted (``frequency > 0`` and ``monetary > 0``).
    n_excluded_ : int
        Customers left out (no repeat purchase or zero mean spend).

    Notes
    -----
    ``fit(X, sample_weight=w)`` maximises the weighted log-likelihood over customers, as in
    :class:`BetaGeo`: integer weights give the fit of the rows repeated that often.

    References
    ----------
    Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). RFM and CLV: using iso-value curves for
    customer base analysis. *Journal of Marketing Research* 42(4), 415-430.
    Fader, P. S. & Hardie, B. G. S. (2013). The Gamma-Gamma model of monetary value.

    Examples
    --------
    >>> gg = GammaGamma()
    >>> gg.params_ = {"p": 6.25, "q": 3.74, "v": 15.44}
    >>> round(float(gg.expected_spend(2, 40.0)), 2)
    39.14
    """

    _names = ("p", "q", "v")

    def fit(self, X: Any, y: Any = None, sample_weight: Any = None) -> GammaGamma:
        """Fit by maximum likelihood on the repeat customers.

        Parameters
        ----------
        X : DataFrame or 2-d array
            A :func:`clv_summary` table (``frequency``, ``monetary``), or an array with those
            two columns in that order.
        y : ignored
            Present for scikit-learn compatibility.
        sample_weight : array of float, optional
            Weight of each customer in the log-likelihood (see Notes).

        Returns
        -------
        GammaGamma
            The fitted model.

        Raises
        ------
        SchemaError
            Missing columns. DataError: negative or missing values, fewer than 3 repeat
            customers with positive spend, invalid weights. ConfigError: invalid ``penalizer``.
        """
        fx, fm = _split(X, ("frequency", "monetary"))
        x, m = np.broadcast_arrays(_arr(fx, "frequency"), _arr(fm, "monetary"))
        wt = check_weights(None, sample_weight, n=len(x))
        wt = np.ones(len(x)) if wt is None else wt
        if (m < 0).any() or (x < 0).any():
            raise DataError("frequency and monetary must be >= 0.")
        use = (x > 0) & (m > 0) & (wt > 0)
        zero = int(((x > 0) & (m == 0)).sum())
        self.n_excluded_ = int(len(x) - use.sum())
        if zero:
            warnings.warn(
                f"GammaGamma: {zero} repeat customers with zero mean spend excluded "
                "(the model needs positive values).",
                NeedlabWarning,
                stacklevel=2,
            )
        if use.sum() < 3:
            raise DataError(
                "GammaGamma needs at least 3 customers with frequency > 0 and "
                f"monetary > 0; got {int(use.sum())}."
            )
        x, m, wt = x[use], m[use], wt[use]
        total = float(wt.sum())
        with np.errstate(invalid="ignore", divide="ignore"):
            dx, dm = x - wt @ x / total, m - wt @ m / total
            corr = float((wt @ (dx * dm)) / np.sqrt((wt @ (dx * dx)) * (wt @ (dm * dm))))
        self.correlation_ = corr
        if np.isfinite(corr) and abs(corr) >= 0.3:
            warnings.warn(
                f"GammaGamma: frequency and monetary are correlated (r = {corr:.2f}); "
                "the model assumes they are independent, so expected spend may be "
                "biased.",
                NeedlabWarning,
                stacklevel=2,
            )

        def nll(lp: np.ndarray) -> float:
            p, q, v = np.exp(lp)
            return -float(np.sum(wt * _gg_loglik(p, q, v, x, m)))

        self.n_customers_ = len(x)
        self._optimise(nll, np.log([1.0, 2.0, float(wt @ m / total)]), total)
        return self

    def log_likelihood(self, frequency: Any, monetary: Any) -> np.ndarray:
        """Per-customer log-likelihood at the fitted parameters (frequency > 0 only)."""
        self._check_fitted()
        p = self.params_
        return _gg_loglik(
            p["p"], p["q"], p["v"], np.asarray(frequency, float), np.asarray(monetary, float)
        )

    def expected_spend(self, frequency: Any, monetary: Any) -> np.ndarray:
        """Conditional expected average spend per occasion, E(M | p, q, v, m_x, x).

        ``(v + m x) p / (p x + q - 1)``, a weighted mean of the population mean ``p v / (q - 1)``
        and the customer's own mean; for ``frequency = 0`` it is the population mean (the
        ``monetary`` given is ignored). A repeat customer with ``monetary = 0`` (only zero-value
        repeat orders) is shrunk from 0 towards the population mean. Needs ``q > 1``.
        """
        self._check_fitted()
        p, q, v = self.params_["p"], self.params_["q"], self.params_["v"]
        if q <= 1:
            raise DataError(f"GammaGamma: q = {q:.3g} <= 1, so the mean spend is not finite.")
        x = np.asarray(frequency, dtype=float)
        m = np.where(x > 0, np.asarray(monetary, dtype=float), 0.0)
        with np.errstate(all="ignore"):
            out = (v + m * x) * p / (p * x + q - 1)
        return _no_negative(out, "GammaGamma", "expected spends")


# ---------------------------------------------------------------------------- CLV
def clv(
    data: pd.DataFrame,
    *,
    purchases: BetaGeo,
    spend: GammaGamma,
    horizon: int = 12,
    discount_rate: float = 0.01,
    margin: float = 1.0,
) -> pd.DataFrame:
    """Discounted expected customer value over the next ``horizon`` periods.

    ``clv = margin * expected_spend * sum_{i=1..horizon} (E[Y(i)] - E[Y(i-1)]) / (1 + d)**i``,
    with ``E[Y(t)]`` the BG/NBD conditional expected purchases in the next ``t`` periods.

    Parameters
    ----------
    data : DataFrame
        A :func:`clv_summary` table (``frequency``, ``recency``, ``age``, ``monetary``).
    purchases : BetaGeo
        The fitted model of purchases (:class:`BetaGeo`).
    spend : GammaGamma
        The fitted model of spend per occasion (:class:`GammaGamma`).
    horizon : int, default 12
        Number of periods, **in the unit of the summary's ``freq``** (12 with ``freq="M"`` is a
        year; with ``freq="D"`` it is 12 days).
    discount_rate : float, default 0.01
        Discount rate per period (same unit).
    margin : float, default 1
        Profit margin applied to spend.

    Returns
    -------
    DataFrame
        Indexed like ``data``: ``probability_alive``, ``expected_purchases`` (over the
        horizon, undiscounted), ``expected_spend`` (per occasion) and ``clv``.

    Raises
    ------
    ConfigError
        Bad horizon (not a whole number >= 1), discount rate or margin.
    DataError
        A model whose fit did not converge or is degenerate (``converged_`` false): its
        predictions can be negative or meaningless, so no CLV is computed from it.
    NotFittedError
        A model is not fitted.

    Notes
    -----
    Customers whose expected purchases or spend come out negative or not finite get NaN
    (never a negative CLV); ``attrs["notes"]`` gives their number.

    Examples
    --------
    >>> summary = pd.DataFrame({"frequency": [0, 2], "recency": [0, 30.43], "age": [38.86] * 2,
    ...                         "monetary": [0.0, 40.0]})
    >>> bg = BetaGeo()
    >>> bg.params_ = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    >>> gg = GammaGamma()
    >>> gg.params_ = {"p": 6.25, "q": 3.74, "v": 15.44}
    >>> clv(summary, purchases=bg, spend=gg, horizon=39, discount_rate=0.0).round(3)
       probability_alive  expected_purchases  expected_spend     clv
    0              1.000               0.195          35.219   6.871
    1              0.727               1.226          39.140  47.987
    """
    if not (isinstance(horizon, (int, np.integer)) and horizon >= 1):
        raise ConfigError(f"horizon must be a whole number of periods >= 1, got {horizon!r}.")
    if not (isinstance(discount_rate, (int, float)) and 0 <= discount_rate < 1):
        raise ConfigError(f"discount_rate must be in [0, 1) per period, got {discount_rate!r}.")
    if not (isinstance(margin, (int, float)) and np.isfinite(margin)):
        raise ConfigError(f"margin must be a finite number, got {margin!r}.")
    for name, model in (("purchases", purchases), ("spend", spend)):
        check_fitted(model, "params_")
        if getattr(model, "converged_", True) is False:
            raise DataError(
                f"{name}: the {type(model).__name__} fit did not converge or is degenerate "
                f"(params {model.params_}); its predictions are not reliable. Refit with more "
                "customers or a small penalizer (e.g. penalizer=0.001) before computing CLV."
            )
    summary = check_frame(data, name="data")
    check_columns(summary, ["frequency", "recency", "age", "monetary"])
    x, tx, T = _rfa(summary, None, None)
    steps = np.arange(horizon + 1, dtype=float)
    cum = purchases.expected_purchases(steps[None, :], x[:, None], tx[:, None], T[:, None])
    cum[:, 0] = 0.0
    per = np.diff(cum, axis=1)
    disc = (1.0 + discount_rate) ** -steps[1:]
    per_occasion = spend.expected_spend(x, _arr(summary["monetary"], "monetary"))
    value = margin * per_occasion * (per @ disc)
    # a CLV is never negative: a negative increment of expected purchases is a numerical failure
    bad = np.isnan(cum).any(axis=1) | (per < -1e-9).any(axis=1) | np.isnan(per_occasion)
    out = pd.DataFrame(
        {
            "probability_alive": purchases.probability_alive(x, tx, T),
            "expected_purchases": cum[:, -1],
            "expected_spend": per_occasion,
            "clv": np.where(bad, np.nan, value),
        },
        index=summary.index,
    )
    notes = []
    if bad.any():
        notes.append(
            f"{int(bad.sum())} customers have no CLV (NaN): their expected purchases or spend "
            "came out negative or not finite with these parameters."
        )
    out.attrs["notes"] = tuple(notes)
    return out
