"""Transaction counting in the engine for :func:`~needlab.segment.rfm.rfm` and
:func:`~needlab.segment.clv.clv_summary` (issue 19).

A transaction log held by DuckDB, Polars, SQLFrame/Spark or in a Parquet/CSV file is reduced in
its own engine (through narwhals' lazy API) to one row per **raw** customer id; only that small
table comes back to pandas, where ids are normalised (Unicode NFKC and trimming) and the scores
and models run as on the pandas path.

Dates become whole days since 1970-01-01 *inside the engine* by integer arithmetic on the year
and the day of the year (no engine-specific date functions), and periods become the ordinals of
:class:`pandas.Period`: weeks ``(day + 3) // 7 + 1`` (Monday-Sunday weeks, ``W-SUN``), months
``12 (year - 1970) + month - 1``, quarters ``4 (year - 1970) + (month - 1) // 3``, years
``year - 1970``. So every engine returns the same integers as pandas.

Engine date columns may be dates, timestamps or text (parsed in the engine with
``date_format``, default ISO ``%Y-%m-%d``). The time of day is ignored. A timestamp with a time
zone is read at its wall-clock time in that zone, as pandas does; note that DuckDB's
``TIMESTAMPTZ`` keeps no zone per column (it shows instants in the session's ``TimeZone``, UTC
by default), so convert such a column to local time in DuckDB first (``ts AT TIME ZONE
'Asia/Shanghai'``) when the days must follow a local calendar.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import numpy as np
import pandas as pd

from needlab._engine import _lazy, check_engine_columns, describe
from needlab.errors import SchemaError

__all__ = ["clv_customers", "day_expr", "period_expr", "raw_frame"]

_OFFSET_WEEKS = 1_000_000  # keeps the week floor division on positive numbers


def _leap(n: Any) -> Any:
    return n // 4 - n // 100 + n // 400


def raw_frame(data: Any, how: str, columns: list[Hashable]) -> Any:
    """A narwhals LazyFrame over *data* with the columns checked."""
    lf = _lazy(data, how)
    check_engine_columns(lf, columns, data)
    return lf


def _as_datetime(lf: Any, date: Hashable, data: Any, date_format: str | None) -> Any:
    import narwhals as nw

    dtype = lf.collect_schema()[str(date)]
    e = nw.col(str(date))
    if dtype == nw.String:
        return e.str.to_datetime(date_format or "%Y-%m-%d")
    if isinstance(dtype, nw.Datetime):
        return e.dt.replace_time_zone(None) if dtype.time_zone else e
    if dtype == nw.Date:
        return e
    raise SchemaError(
        f"column {date!r} of the {describe(data)} has type {dtype}, not a date, timestamp or "
        "text; cast it to a date in the engine (or pass engine='pandas' to read it in pandas)."
    )


def day_expr(lf: Any, date: Hashable, data: Any, date_format: str | None = None) -> Any:
    """Expression: whole days since 1970-01-01 (Int64; null for a missing date).

    ``365 (y - 1970) + L(y - 1) - L(1969) + doy - 1`` with ``L(n) = n//4 - n//100 + n//400``
    the leap years up to ``n`` (proleptic Gregorian calendar, years >= 1).
    """
    import narwhals as nw

    e = _as_datetime(lf, date, data, date_format)
    y = e.dt.year().cast(nw.Int64)
    doy = e.dt.ordinal_day().cast(nw.Int64)
    return 365 * (y - 1970) + _leap(y - 1) - int(_leap(1969)) + doy - 1


def period_expr(
    lf: Any, date: Hashable, data: Any, freq: str, date_format: str | None = None
) -> Any:
    """Expression: the :class:`pandas.Period` ordinal of each date for *freq* (D/W/M/Q/Y)."""
    import narwhals as nw

    if freq in ("D", "W"):
        d = day_expr(lf, date, data, date_format)
        if freq == "D":
            return d
        return (d + 3 + 7 * _OFFSET_WEEKS) // 7 + 1 - _OFFSET_WEEKS
    e = _as_datetime(lf, date, data, date_format)
    y = e.dt.year().cast(nw.Int64) - 1970
    m = e.dt.month().cast(nw.Int64) - 1
    if freq == "M":
        return 12 * y + m
    if freq == "Q":
        return 4 * y + m // 3
    return y


def collect(lf: Any) -> pd.DataFrame:
    """Collect a narwhals LazyFrame into pandas."""
    return lf.collect().to_pandas()


def as_int(s: Any) -> np.ndarray:
    """Integer column from any backend's integer/float/decimal result."""
    return np.rint(pd.to_numeric(pd.Series(s)).to_numpy(dtype=float)).astype(np.int64)


def _scalar(lf: Any) -> int:
    """The single integer a one-cell LazyFrame holds (0 for a null)."""
    v = collect(lf).to_numpy(dtype=float)[0, 0]
    return 0 if np.isnan(v) else int(round(float(v)))


def _flag(cond: Any) -> Any:
    """1 where *cond* is true, else 0 (a null condition counts 0)."""
    import narwhals as nw

    return nw.when(cond).then(nw.lit(1, nw.Int64)).otherwise(nw.lit(0, nw.Int64))


def check_amount(lf: Any, amount: Hashable, data: Any) -> None:
    """SchemaError when *amount* is not numeric in the engine."""
    dtype = lf.collect_schema()[str(amount)]
    if not dtype.is_numeric():
        raise SchemaError(
            f"column {amount!r} of the {describe(data)} has type {dtype}, not numbers; cast it "
            "to a number in the engine (or pass engine='pandas')."
        )


def row_stats(
    lf: Any, customer: Hashable, amount: Hashable | None, asof_day: int
) -> tuple[Any, dict[str, int]]:
    """Add ``__keep0`` (customer, day and finite amount present) and count, in one scan: rows,
    missing amounts, missing customer ids, missing days, infinite amounts, rows after
    *asof_day*, and among the kept rows: the last day, negative and zero amounts."""
    import narwhals as nw

    nac = nw.col(str(customer)).is_null()
    nad = nw.col("__d").is_null()
    if amount is not None:
        v = nw.col("__v")
        inf = (v == float("inf")) | (v == float("-inf"))
    else:
        inf = nw.lit(False)
    lf = lf.with_columns(
        _flag(nac).alias("__f_nac"),
        _flag(~nac & nad).alias("__f_nad"),
        _flag(~nac & ~nad & inf).alias("__f_inf"),
        (~nac & ~nad & ~inf).alias("__keep0"),
    )
    fut = nw.col("__keep0") & (nw.col("__d") > asof_day)
    aggs = [
        nw.len().alias("rows"),
        nw.col("__f_nac").sum().alias("na_c"),
        nw.col("__f_nad").sum().alias("na_d"),
        nw.col("__f_inf").sum().alias("inf"),
        _flag(fut).sum().alias("fut"),
        nw.when(nw.col("__keep0") & ~fut).then(nw.col("__d")).max().alias("last"),
    ]
    if amount is not None:
        k = nw.col("__keep0") & ~fut
        aggs += [
            _flag(nw.col("__v").is_null() | nw.col("__v").is_nan()).sum().alias("na_v"),
            _flag(k & (nw.col("__v") < 0)).sum().alias("neg"),
            _flag(k & (nw.col("__v") == 0)).sum().alias("zero"),
        ]
    out = collect(lf.select(*aggs)).iloc[0]
    stats = {k: (int(out[k]) if pd.notna(out[k]) else -(2**62)) for k in out.index}
    return lf, stats


def rfm_customers(
    data: Any,
    how: str,
    *,
    customer: Hashable,
    date: Hashable,
    amount: Hashable,
    order: Hashable | None,
    asof_day: int,
    asof_given: bool,
    limit_txt: str,
    refunds: str,
    duplicates: str,
    future: str,
    nonfinite: str,
    date_format: str | None,
) -> dict[str, Any]:
    """The per-customer counts of :func:`~needlab.segment.rfm.rfm` computed in the engine.

    Returns a dict with ``ids`` (normalised ids, sorted), ``frequency``, ``monetary``,
    ``last`` (day number of the last purchase occasion), ``rows`` (rows used per customer),
    ``asof_day``, ``notes`` (before the per-customer notes) and ``n_rows``.
    """
    import narwhals as nw

    from needlab._validate import normalise_ids
    from needlab.errors import DataError

    cols = [customer, date, amount] + ([order] if order is not None else [])
    lf = raw_frame(data, how, cols)
    check_amount(lf, amount, data)
    originals = list(lf.collect_schema().names())
    lf = lf.with_columns(
        day_expr(lf, date, data, date_format).alias("__d"),
        nw.col(str(amount)).cast(nw.Float64).alias("__v"),
    )
    lf, st = row_stats(lf, customer, amount, asof_day)
    where = f"the {describe(data)}"
    if st["na_v"]:
        raise DataError(
            f"column {amount!r} has {st['na_v']} missing values in {where}; fill them (e.g. 0 "
            "for free orders) or drop those rows."
        )
    if st["inf"] and nonfinite == "error":
        raise DataError(
            f"column {amount!r} has {st['inf']} infinite values in {where}; drop those rows or "
            "pass nonfinite='drop'."
        )
    notes: list[str] = []
    for k, what in (
        ("na_c", f"a missing customer id ({customer!r})"),
        ("na_d", f"a missing date ({date!r})"),
        ("inf", f"an infinite amount ({amount!r}, nonfinite='drop')"),
    ):
        if st[k]:
            notes.append(f"{st[k]} rows with {what} excluded.")
    if st["na_c"] + st["na_d"] + st["inf"] >= st["rows"]:
        raise DataError(
            f"no transactions left after excluding rows with a missing {customer!r} or {date!r}."
        )
    if st["fut"]:
        if future == "error":
            raise DataError(
                f"column {date!r} has {st['fut']} dates after {limit_txt} in {where}. Correct "
                "them, pass a later asof, or future='drop' to exclude them."
            )
        notes.append(f"{st['fut']} rows dated after {limit_txt} excluded.")
    if st["last"] < -(2**61):
        raise DataError(
            f"no transactions on or before {limit_txt} in {where}. Pass an asof on or after "
            "the first order date."
        )
    if st["fut"]:
        import warnings

        from needlab.errors import NeedlabWarning

        warnings.warn(
            f"rfm: {st['fut']} rows dated after {limit_txt} excluded.", NeedlabWarning, stacklevel=3
        )
    keep = nw.col("__keep0") & (nw.col("__d") <= asof_day)
    if not asof_given:
        asof_day = st["last"] + 1
    if st["neg"]:
        if refunds == "error":
            raise DataError(
                f"column {amount!r} has {st['neg']} negative amounts (refunds) in {where}. Use "
                "refunds='net' to net them into the spend or refunds='drop' to exclude them."
            )
        if refunds == "drop":
            notes.append(f"{st['neg']} rows with a negative {amount!r} (refunds) excluded.")
            keep = keep & (nw.col("__v") >= 0)
        else:
            notes.append(
                f"{st['neg']} negative amounts (refunds) netted into monetary; they "
                "are not purchase occasions."
            )
    if st["zero"]:
        notes.append(f"{st['zero']} zero-value rows counted as purchase occasions.")
    kept = lf.filter(keep)
    n_kept = _scalar(kept.select(nw.len()))
    n_distinct = _scalar(kept.select(*originals).unique().select(nw.len()))
    n_dup = n_kept - n_distinct
    if n_dup:
        if duplicates == "drop":
            notes.append(f"{n_dup} exact duplicate rows dropped (first of each kept).")
            kept = kept.unique(subset=originals)
        else:
            notes.append(
                f"{n_dup} exact duplicate rows kept and counted (pass "
                "duplicates='drop' if they are double exports)."
            )
    c = str(customer)
    buy = nw.col("__v") >= 0
    per = collect(
        kept.group_by(c).agg(
            nw.len().alias("rows"),
            nw.col("__v").sum().alias("monetary"),
            nw.when(buy).then(nw.col("__d")).max().alias("last"),
        )
    )
    key = "__d" if order is None else str(order)
    buys = kept.filter(buy)
    if order is not None:
        na_o = _scalar(buys.select(_flag(nw.col(key).is_null()).sum()))
        if na_o:
            raise DataError(
                f"column {order!r} has {na_o} missing order ids in {where}; fill them or leave "
                "order=None to count purchase days."
            )
    occ = collect(buys.select(c, key).unique().group_by(c).agg(nw.len().alias("frequency")))
    per = per.merge(occ, on=c, how="left")
    per["frequency"] = as_int(per["frequency"].fillna(0))
    # customers whose rows were all excluded still count as customers without an occasion
    every = collect(lf.filter(~nw.col(c).is_null()).select(c).unique())
    absent = every[~every[c].isin(per[c])]
    if len(absent):
        fill = pd.DataFrame({c: absent[c].to_numpy(), "rows": 0, "monetary": 0.0, "frequency": 0})
        per = pd.concat([per, fill], ignore_index=True)
    per = per.sort_values(c, key=lambda s: s.astype(str), kind="stable", ignore_index=True)
    norm, merged = normalise_ids(per[c].astype(object), what=f"customer ids ({customer!r})")
    if merged:
        notes.insert(0, merged)
    per["__id"] = norm.to_numpy()
    # ids merged by normalisation: their occasions are recounted as a union
    multi = per["__id"].duplicated(keep=False).to_numpy()
    codes, uniques = pd.factorize(per["__id"], sort=True)
    n = len(uniques)
    frequency = np.bincount(codes, weights=per["frequency"].to_numpy(float), minlength=n)
    if multi.any():
        raw = per.loc[multi, c].tolist()
        sub = collect(buys.filter(nw.col(c).is_in(raw)).select(c, key).unique())
        sub_norm = sub[c].map(dict(zip(per[c], per["__id"], strict=True)))
        both = pd.DataFrame({"id": sub_norm.to_numpy(), "k": sub[key].to_numpy()})
        recount = both.drop_duplicates().groupby("id").size()
        pos = uniques.get_indexer(recount.index)
        frequency[pos] = recount.to_numpy()
    last = np.full(n, np.iinfo(np.int64).min, dtype=np.int64)
    lv = pd.to_numeric(per["last"]).to_numpy(dtype=float)
    ok = ~np.isnan(lv)
    np.maximum.at(last, codes[ok], np.rint(lv[ok]).astype(np.int64))
    return {
        "ids": uniques,
        "frequency": np.rint(frequency).astype(np.int64),
        "monetary": np.bincount(codes, weights=per["monetary"].to_numpy(float), minlength=n),
        "last": last,
        "rows": np.bincount(codes, weights=as_int(per["rows"]), minlength=n).astype(np.int64),
        "asof_day": asof_day,
        "notes": notes,
        "n_rows": st["rows"],
    }


def _clv_per_customer(occ: pd.DataFrame, c: str) -> pd.DataFrame:
    """Per customer from a customer-period table (columns *c*, ``p``, ``rows``, ``v``,
    ``pos``): rows, occasions, first and last occasion period, repeat value (occasions after
    the first, negative nets set to 0), refund-only periods and negative occasions."""
    pos = occ["pos"].to_numpy() > 0
    p = occ["p"].to_numpy(dtype=np.int64)
    v = occ["v"].to_numpy(dtype=float)
    codes, uniq = pd.factorize(occ[c], sort=False)
    n = len(uniq)
    first = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    last = np.full(n, np.iinfo(np.int64).min, dtype=np.int64)
    np.minimum.at(first, codes[pos], p[pos])
    np.maximum.at(last, codes[pos], p[pos])
    vc = np.maximum(v, 0.0)
    rep_w = np.where(pos & (p != first[codes]), vc, 0.0)
    return pd.DataFrame(
        {
            c: uniq,
            "rows": np.bincount(codes, weights=occ["rows"].to_numpy(float), minlength=n),
            "n_occ": np.bincount(codes, weights=pos, minlength=n),
            "first": np.where(first == np.iinfo(np.int64).max, np.nan, first),
            "last": np.where(last == np.iinfo(np.int64).min, np.nan, last),
            "rep": np.bincount(codes, weights=rep_w, minlength=n),
            "only_ref": np.bincount(codes, weights=~pos, minlength=n),
            "neg_occ": np.bincount(codes, weights=pos & (v < 0), minlength=n),
        }
    )


def clv_customers(
    data: Any,
    how: str,
    *,
    customer: Hashable,
    date: Hashable,
    amount: Hashable | None,
    freq: str,
    limit_day: int,
    limit_txt: str,
    future: str,
    nonfinite: str,
    date_format: str | None,
) -> dict[str, Any]:
    """The per-customer counts of :func:`~needlab.segment.clv.clv_summary` computed in the
    engine.

    In the engine, rows are reduced to one row per (raw customer id, period) (net value, rows,
    whether an order >= 0 is among them) and then to one row per raw customer id: rows, purchase
    occasions (periods with an order >= 0), first and last occasion period, the net value of
    the occasions after the first (negative nets set to 0), refund-only periods and occasions
    with a negative net value. Only that table comes back. Raw ids that Unicode NFKC and
    trimming merge are recounted from their customer-period rows in pandas (their periods may
    coincide).

    Returns a dict with ``ids`` (normalised ids, sorted) and per id ``rows``, ``n_occ``,
    ``first``, ``last`` (period ordinals, only meaningful where ``n_occ > 0``), ``rep`` (None
    without *amount*); the totals ``only_ref`` and ``neg_occ``; ``last_day`` (the last day
    kept), ``notes`` and ``n_rows``.
    """
    import narwhals as nw

    from needlab._validate import normalise_ids
    from needlab.errors import DataError

    cols = [customer, date] + ([amount] if amount is not None else [])
    lf = raw_frame(data, how, cols)
    if amount is not None:
        check_amount(lf, amount, data)
    extra = [
        day_expr(lf, date, data, date_format).alias("__d"),
        period_expr(lf, date, data, freq, date_format).alias("__p"),
    ]
    if amount is not None:
        extra.append(nw.col(str(amount)).cast(nw.Float64).alias("__v"))
    lf = lf.with_columns(*extra)
    lf, st = row_stats(lf, customer, amount, limit_day)
    where = f"the {describe(data)}"
    if st.get("na_v"):
        raise DataError(
            f"column {amount!r} has {st['na_v']} missing values in {where}; fill them (e.g. 0 "
            "for free orders) or drop those rows before clv_summary."
        )
    if st["inf"] and nonfinite == "error":
        raise DataError(
            f"column {amount!r} has {st['inf']} infinite values in {where}; drop those rows or "
            "pass nonfinite='drop'."
        )
    notes: list[str] = []
    for k, what in (
        ("na_c", f"missing customer id ({customer!r})"),
        ("na_d", f"missing date ({date!r})"),
        ("inf", f"infinite amount ({amount!r}, nonfinite='drop')"),
    ):
        if st[k]:
            notes.append(f"{st[k]} rows with a {what} excluded.")
    if st["na_c"] + st["na_d"] + st["inf"] >= st["rows"]:
        raise DataError("no transactions left after excluding missing ids and dates.")
    if st["fut"]:
        if future == "error":
            raise DataError(
                f"column {date!r} has {st['fut']} dates after {limit_txt} in {where}. Correct "
                "them, pass a later asof, or future='drop' to exclude them."
            )
        notes.append(f"{st['fut']} rows dated after {limit_txt} excluded.")
    if st["last"] < -(2**61):
        raise DataError(
            f"no transactions on or before {limit_txt} in {where}. Pass an asof on or after "
            "the first order date."
        )
    if amount is not None:
        if st["zero"]:
            notes.append(f"{st['zero']} zero-value orders counted as purchase occasions (value 0).")
        if st["neg"]:
            notes.append(
                f"{st['neg']} negative amounts treated as refunds, netted within their period."
            )
    c = str(customer)
    kept = lf.filter(nw.col("__keep0") & (nw.col("__d") <= limit_day))
    v = nw.col("__v") if amount is not None else nw.lit(0.0, nw.Float64)
    pos_row = _flag(nw.col("__v") >= 0) if amount is not None else nw.lit(1, nw.Int64)
    occ = (
        kept.with_columns(v.alias("__v0"), pos_row.alias("__pos0"))
        .group_by(c, "__p")
        .agg(
            nw.len().alias("rows"),
            nw.col("__v0").sum().alias("v"),
            nw.col("__pos0").max().alias("pos"),
        )
    )
    firsts = occ.filter(nw.col("pos") > 0).group_by(c).agg(nw.col("__p").min().alias("__first"))
    pos = nw.col("pos") > 0
    vc = nw.when(nw.col("v") < 0).then(nw.lit(0.0, nw.Float64)).otherwise(nw.col("v"))
    per = collect(
        occ.join(firsts, on=c, how="left")
        .group_by(c)
        .agg(
            nw.col("rows").sum().alias("rows"),
            _flag(pos).sum().alias("n_occ"),
            nw.col("__first").min().alias("first"),
            nw.when(pos).then(nw.col("__p")).max().alias("last"),
            nw.when(pos & (nw.col("__p") != nw.col("__first"))).then(vc).sum().alias("rep"),
            _flag(~pos).sum().alias("only_ref"),
            _flag(pos & (nw.col("v") < 0)).sum().alias("neg_occ"),
        )
    )
    every = collect(lf.filter(~nw.col(c).is_null()).select(c).unique())
    every = every.sort_values(c, key=lambda s: s.astype(str), kind="stable", ignore_index=True)
    norm_all, merged = normalise_ids(every[c].astype(object), what=f"customer ids ({customer!r})")
    if merged:
        notes.insert(0, merged)
    to_norm = dict(zip(every[c], norm_all, strict=True))
    per[c] = per[c].map(to_norm)
    per = per[per[c].notna()]
    multi = per[c].duplicated(keep=False).to_numpy()
    if multi.any():
        raw = [k for k, n in to_norm.items() if n in set(per.loc[multi, c])]
        sub = collect(occ.filter(nw.col(c).is_in(raw)))
        sub[c] = sub[c].map(to_norm)
        sub = sub.rename(columns={"__p": "p"})
        sub["p"] = as_int(sub["p"])
        sub["v"] = pd.to_numeric(sub["v"]).astype(float)
        sub["pos"] = as_int(sub["pos"])
        sub["rows"] = as_int(sub["rows"])
        merged_occ = sub.groupby([c, "p"], as_index=False, sort=False).agg(
            rows=("rows", "sum"), v=("v", "sum"), pos=("pos", "max")
        )
        per = pd.concat([per[~multi], _clv_per_customer(merged_occ, c)], ignore_index=True)
    per = per.sort_values(c, kind="stable", ignore_index=True)

    def ints(name: str, fill: int = 0) -> np.ndarray:
        return as_int(pd.to_numeric(per[name]).fillna(fill))

    return {
        "ids": pd.Index(per[c].to_numpy()),
        "rows": ints("rows"),
        "n_occ": ints("n_occ"),
        "first": ints("first"),
        "last": ints("last"),
        "rep": (
            pd.to_numeric(per["rep"]).fillna(0.0).to_numpy(dtype=float)
            if amount is not None
            else None
        ),
        "only_ref": int(ints("only_ref").sum()),
        "neg_occ": int(ints("neg_occ").sum()),
        "last_day": st["last"],
        "notes": notes,
        "n_rows": st["rows"],
    }
