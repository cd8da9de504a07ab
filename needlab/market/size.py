"""Market size and trend from long market tables (brand x period x KPI): volume, shares, growth,
CAGR and a log-linear forecast with prediction intervals.

References
----------
Draper, N. R., & Smith, H. (1998). *Applied Regression Analysis* (3rd ed.), chapter 3
(prediction intervals). Wiley. The forecast is the OLS trend of ``log(volume)`` fitted by
:func:`needlab.trend`, back-transformed (a median forecast with a multiplicative interval).
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd

from needlab._result import Result
from needlab._types import Lang
from needlab._validate import (
    as_design,
    check_columns,
    check_count,
    check_numeric,
    check_option,
    preview,
    row_list,
)
from needlab.errors import ConfigError, DataError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["MarketResult", "market_size", "market_trend", "parse_periods"]

_FORMS = (
    (re.compile(r"^(\d{4})$"), 1, "year"),
    (re.compile(r"^(\d{4})[-\s]?H([12])$", re.I), 2, "half"),
    (re.compile(r"^(\d{4})[-\s]?Q([1-4])$", re.I), 4, "quarter"),
    (re.compile(r"^(\d{4})(?:-|M)(0[1-9]|1[0-2])$", re.I), 12, "month"),
)


def parse_periods(labels: Any, *, column: Hashable = "period") -> tuple[np.ndarray, int]:
    """Period labels to consecutive integers and the number of periods per year.

    Accepted forms (one form per column): ``2021`` (years), ``2021H1`` / ``2021-H2``
    (half-years), ``2021Q3`` / ``2021-Q3`` (quarters), ``2021-05`` / ``2021M05`` (months). The
    integer is ``year * per_year + (sub - 1)``, so consecutive periods differ by 1.

    Raises
    ------
    DataError
        Labels that match none of the forms, or labels of different forms in one column.

    Examples
    --------
    >>> t, per_year = parse_periods(["2021H1", "2021H2", "2022H1"])
    >>> (t - t[0]).tolist(), per_year
    ([0, 1, 2], 2)
    """
    s = pd.Series(labels, dtype=object).map(
        lambda v: str(int(v)) if isinstance(v, (int, np.integer)) else str(v).strip()
    )
    out = np.full(len(s), -1, dtype=np.int64)
    kind = np.full(len(s), -1)
    for f, (rx, per, _name) in enumerate(_FORMS):
        m = s.str.extract(rx)
        ok = m[0].notna().to_numpy() & (kind < 0)
        if ok.any():
            year = m[0][ok].astype(int).to_numpy()
            sub = m[1][ok].astype(int).to_numpy() if per > 1 else np.ones(int(ok.sum()), int)
            out[ok] = year * per + sub - 1
            kind[ok] = f
    bad = kind < 0
    if bad.any():
        raise DataError(
            f"column {column!r} has {int(bad.sum())} periods that do not parse: "
            f"{preview(s[bad])} at rows {row_list(bad)}; write them as 2021, 2021H1, 2021Q3 or "
            "2021-05 (one form per column)."
        )
    forms = np.unique(kind)
    if len(forms) > 1:
        ex = [s[kind == f].iloc[0] for f in forms]
        raise DataError(
            f"column {column!r} mixes period forms ({', '.join(_FORMS[f][2] for f in forms)}: "
            f"e.g. {preview(ex)}); use one form (e.g. all half-years 2021H1)."
        )
    return out, _FORMS[int(forms[0])][1] if len(forms) else 1


def _label(t: int, per: int) -> str:
    year, sub = divmod(int(t), per)
    if per == 1:
        return str(year)
    if per == 2:
        return f"{year}H{sub + 1}"
    if per == 4:
        return f"{year}Q{sub + 1}"
    return f"{year}-{sub + 1:02d}"


@dataclass(frozen=True, repr=False)
class MarketResult(Result):
    """Result of :func:`market_size` and :func:`market_trend`.

    Attributes
    ----------
    table : DataFrame
        One row per period (forecast periods appended by :func:`market_trend`): ``period``,
        ``t`` (periods since the first), ``volume`` (sum over brands), ``growth`` (period over
        period, a proportion; 0 for the first period), ``n_brands``, and for
        :func:`market_trend` ``fitted``, ``lower``, ``upper`` (prediction interval) and
        ``forecast`` (True for future periods).
    shares : DataFrame
        Long: ``period``, ``brand``, ``value``, ``share`` (of the period's volume, 0..1).
    brands : DataFrame
        One row per brand: ``brand``, ``first_share``, ``last_share``, ``change`` (last -
        first), ``share_slope_per_year`` (OLS slope of the share on time, per year), ``cagr``
        (of the brand's own value; NaN noted when its first value is 0).
    cagr : float
        Compound annual growth rate of the market volume, first to last period.
    per_year : int
        Periods per year inferred from the labels.
    trend_cagr : float or None
        Annual growth implied by the log-linear trend (:func:`market_trend`).
    trend : DataFrame or None
        The slope row of the log-linear fit (``slope``, ``se``, ``p_value``, ``r2``...).
    kpi : str
    ci : float
    lang : {"en", "zh"}
    n_used, n_excluded : int
        Rows of the KPI used; rows of that KPI left out (missing value). Rows of other KPIs are
        not given to the analysis and are not counted.
    """

    shares: pd.DataFrame = field(default_factory=pd.DataFrame)
    brands: pd.DataFrame = field(default_factory=pd.DataFrame)
    cagr: float = 0.0
    per_year: int = 1
    trend_cagr: float | None = None
    trend: pd.DataFrame | None = None
    kpi: str = ""
    ci: float = 0.95
    lang: str = "en"

    @property
    def title(self) -> str:  # type: ignore[override]
        return f"Market size ({self.kpi})" if self.lang != "zh" else f"市场规模（{self.kpi}）"

    def summary(self) -> dict[str, Any]:
        """Periods, first and last volume, CAGR, and the trend's annual growth when fitted."""
        obs = self.table[~self.table["forecast"]] if "forecast" in self.table else self.table
        out: dict[str, Any] = {
            "kpi": self.kpi,
            "periods": len(obs),
            "per year": self.per_year,
            "first volume": float(obs["volume"].iloc[0]),
            "last volume": float(obs["volume"].iloc[-1]),
            "CAGR": self.cagr,
        }
        if self.trend_cagr is not None:
            out["trend CAGR"] = self.trend_cagr
        return out

    def tables(self) -> dict[str, pd.DataFrame]:
        out = {"market": self.table, "shares": self.shares, "brands": self.brands}
        if self.trend is not None:
            out["trend"] = self.trend
        return out

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Market volume over periods (forecast and prediction band with :func:`market_trend`);
        ``kind="shares"`` draws each brand's share trajectory. See
        :func:`needlab.market.plot_size.market_plot`."""
        from needlab.market.plot_size import market_plot

        return market_plot(self, ax=ax, **kwargs)


def _prepare(
    data: Any, period: Hashable, brand: Hashable, kpi: str | None, var: Hashable
) -> tuple[pd.DataFrame, int, int, list[str]]:
    frame = as_design(data, weights=False).data
    check_columns(frame, [period, brand, var])
    notes: list[str] = []
    if kpi is not None:
        check_columns(frame, "kpi", what="KPI column (kpi= selects a value of it)")
        ks = frame["kpi"].astype(str).str.strip()
        if not (ks == kpi).any():
            raise DataError(
                f"kpi={kpi!r} is not in column 'kpi'; it holds {preview(ks.unique())}. Pass one "
                "of them."
            )
        frame = frame[(ks == kpi).to_numpy()]
    v = check_numeric(frame, var).to_numpy()
    if (v < 0).any():
        neg = v < 0
        raise DataError(
            f"column {var!r} has {int(neg.sum())} negative values: {preview(v[neg])} at rows "
            f"{row_list(neg)}; market volumes must be >= 0."
        )
    miss = np.isnan(v) | frame[brand].isna().to_numpy() | frame[period].isna().to_numpy()
    n_given = len(frame)
    if miss.any():
        notes.append(
            f"{int(miss.sum())} of {n_given} rows excluded: missing {var!r}, {brand!r} or "
            f"{period!r}."
        )
    f = frame[~miss]
    if f.empty:
        raise DataError(f"no row of kpi={kpi!r} has a value in {var!r}; nothing to analyse.")
    t, per = parse_periods(f[period].to_numpy(), column=period)
    out = pd.DataFrame(
        {"period_t": t, "brand": f[brand].astype(str).str.strip().to_numpy(), "value": v[~miss]}
    )
    dup = out.duplicated(["period_t", "brand"], keep=False).to_numpy()
    if dup.any():
        ex = out[dup].head(5)
        raise DataError(
            f"{int(dup.sum())} rows repeat a brand within a period (kpi={kpi!r}): "
            + ", ".join(
                f"{b!r} in {_label(tt, per)}"
                for tt, b in zip(ex["period_t"], ex["brand"], strict=True)
            )
            + "; keep one row per brand and period (e.g. drop the other sources)."
        )
    return out, per, int(miss.sum()), notes


def market_size(
    data: pd.DataFrame,
    *,
    period: Hashable = "period",
    brand: Hashable = "brand",
    kpi: str | None = "units",
    var: Hashable = "value",
    lang: Lang = "en",
) -> MarketResult:
    """Market volume, brand shares and growth over periods from a long market table.

    The table has one row per brand, period and KPI (like ``competitors.csv`` or
    ``market.csv``: ``brand``, ``period``, ``kpi``, ``value``); rows of KPI *kpi* are used.
    Per period: ``volume = sum over brands`` (an ``"Others"`` brand is part of the market),
    ``share = value / volume``, ``growth = V_t / V_{t-1} - 1`` (over a gap when periods are
    missing; a note lists them). The compound annual growth rate is

    ``CAGR = (V_last / V_first) ** (per_year / (t_last - t_first)) - 1``

    with ``per_year`` inferred from the labels (``2021`` 1, ``2021H1`` 2, ``2021Q3`` 4,
    ``2021-05`` 12; parsed strictly).

    Parameters
    ----------
    data : DataFrame
        The long market table.
    period, brand : str
        Column names of the period label and the brand.
    kpi : str or None, default "units"
        The KPI to analyse (a value of column ``kpi``); None when the table holds one KPI and
        has no ``kpi`` column.
    var : str, default "value"
        The numeric value column.
    lang : {"en", "zh"}

    Returns
    -------
    MarketResult

    Raises
    ------
    SchemaError
        A missing column.
    DataError
        Periods that do not parse (naming the values), a KPI not in the table, negative or
        non-numeric values, a brand twice in a period, a first-period volume of 0, or a single
        period.

    Examples
    --------
    >>> df = pd.DataFrame({"period": ["2021", "2021", "2023", "2023"], "brand": ["A", "B"] * 2,
    ...                    "value": [60.0, 40.0, 90.0, 54.0]})
    >>> res = market_size(df, kpi=None)
    >>> round(res.cagr, 4)
    0.2
    """
    check_option(lang, ("en", "zh"), "lang")
    long, per, n_excl, notes = _prepare(data, period, brand, kpi, var)
    return _size(long, per, n_excl, notes, kpi, lang)


def _size(
    long: pd.DataFrame, per: int, n_excl: int, notes: list[str], kpi: str | None, lang: str
) -> MarketResult:
    vol = long.groupby("period_t", sort=True)["value"].agg(["sum", "size"])
    ts = vol.index.to_numpy()
    if len(ts) < 2:
        raise DataError(
            f"only one period ({_label(ts[0], per)}) for kpi={kpi!r}; growth needs at least 2."
        )
    V = vol["sum"].to_numpy(float)
    if V[0] <= 0:
        raise DataError(
            f"the market volume in the first period {_label(ts[0], per)} is 0; CAGR is undefined. "
            "Drop that period."
        )
    gaps = np.diff(ts)
    if (gaps > 1).any():
        notes.append(
            "periods missing between "
            + preview(
                [
                    f"{_label(a, per)}-{_label(b, per)}"
                    for a, b in zip(ts[:-1], ts[1:], strict=True)
                    if b - a > 1
                ]
            )
            + "; growth there spans the gap."
        )
    nb = vol["size"].to_numpy()
    if (nb != nb.max()).any():
        notes.append(
            f"periods with fewer brands than the most ({int(nb.max())}): "
            f"{preview([_label(t, per) for t in ts[nb < nb.max()]])}; their volume sums the brands "
            "given."
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        growth = np.concatenate([[0.0], V[1:] / V[:-1] - 1])
    if not np.isfinite(growth).all():
        zero = ts[:-1][V[:-1] == 0]
        raise DataError(
            f"the market volume is 0 in {preview([_label(t, per) for t in zero])}; growth after it "
            "is undefined. Check the data."
        )
    years = (ts[-1] - ts[0]) / per
    cagr = float((V[-1] / V[0]) ** (1 / years) - 1)
    table = pd.DataFrame(
        {
            "period": [_label(t, per) for t in ts],
            "t": ts - ts[0],
            "volume": V,
            "growth": growth,
            "n_brands": nb,
            "forecast": False,
        }
    )
    total = long["period_t"].map(dict(zip(ts, V, strict=True)))
    shares = pd.DataFrame(
        {
            "period": [_label(t, per) for t in long["period_t"]],
            "brand": long["brand"],
            "value": long["value"],
            "share": np.divide(
                long["value"].to_numpy(float),
                total.to_numpy(float),
                out=np.zeros(len(long)),
                where=total.to_numpy(float) > 0,
            ),
            "_t": long["period_t"],
        }
    ).sort_values(["_t", "brand"], kind="stable")
    brands = _brand_table(shares, per, notes)
    return MarketResult(
        table,
        shares=shares.drop(columns="_t").reset_index(drop=True),
        brands=brands,
        cagr=cagr,
        per_year=per,
        kpi="" if kpi is None else str(kpi),
        lang=lang,
        n_used=len(long),
        n_excluded=n_excl,
        notes=tuple(notes),
    )


def _brand_table(shares: pd.DataFrame, per: int, notes: list[str]) -> pd.DataFrame:
    g = shares.groupby("brand", sort=False)
    first = g.first()
    last = g.last()
    t = shares["_t"].to_numpy(float) / per  # years
    s = shares["share"].to_numpy(float)
    tm = g["_t"].transform("mean").to_numpy(float) / per
    sm = g["share"].transform("mean").to_numpy(float)
    sxy = pd.Series((t - tm) * (s - sm)).groupby(shares["brand"].to_numpy(), sort=False).sum()
    sxx = pd.Series((t - tm) ** 2).groupby(shares["brand"].to_numpy(), sort=False).sum()
    slope = np.divide(
        sxy.to_numpy(), sxx.to_numpy(), out=np.zeros(len(sxx)), where=sxx.to_numpy() > 0
    )
    years = (last["_t"] - first["_t"]).to_numpy(float) / per
    v0, v1 = first["value"].to_numpy(float), last["value"].to_numpy(float)
    ok = (v0 > 0) & (years > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        cagr = np.where(ok, (v1 / np.where(ok, v0, 1)) ** (1 / np.where(ok, years, 1)) - 1, np.nan)
    if (~ok).any():
        notes.append(
            f"brand CAGR not defined (first value 0 or a single period): "
            f"{preview(list(first.index[~ok]))}."
        )
    return pd.DataFrame(
        {
            "brand": first.index.to_numpy(),
            "first_share": first["share"].to_numpy(float),
            "last_share": last["share"].to_numpy(float),
            "change": last["share"].to_numpy(float) - first["share"].to_numpy(float),
            "share_slope_per_year": slope,
            "cagr": cagr,
        }
    )


def market_trend(
    data: pd.DataFrame,
    *,
    period: Hashable = "period",
    brand: Hashable = "brand",
    kpi: str | None = "units",
    var: Hashable = "value",
    horizon: int = 4,
    ci: float = 0.95,
    lang: Lang = "en",
) -> MarketResult:
    """:func:`market_size` plus the trend of the market volume and a forecast.

    The trend is log-linear: ``log(V_t) = a + b t + e`` fitted by OLS with :func:`needlab.trend`
    (t in periods); the forecast for ``horizon`` periods and its prediction interval (t quantile
    on ``T - 2`` degrees of freedom) are back-transformed with ``exp``: a median forecast with a
    multiplicative interval. The trend's annual growth is ``exp(b * per_year) - 1``.

    Parameters
    ----------
    data, period, brand, kpi, var, lang
        As in :func:`market_size`.
    horizon : int, default 4
        Periods to forecast.
    ci : float, default 0.95
        Level of the prediction interval.

    Returns
    -------
    MarketResult
        With ``fitted``, ``lower``, ``upper`` and ``forecast`` in ``.table``, ``trend`` and
        ``trend_cagr``.

    Raises
    ------
    DataError
        As :func:`market_size`; fewer than 3 periods, or a period with volume 0 (no log).
    ConfigError
        Invalid ``horizon`` or ``ci``.

    Examples
    --------
    >>> df = pd.DataFrame({"period": ["2021", "2022", "2023", "2024"],
    ...                    "value": [100.0, 110.0, 121.0, 133.1], "brand": "all"})
    >>> res = market_trend(df, kpi=None, horizon=1)
    >>> round(res.trend_cagr, 4), round(float(res.table["fitted"].iloc[-1]), 2)
    (0.1, 146.41)
    """
    from needlab.regress.trend import trend

    check_option(lang, ("en", "zh"), "lang")
    horizon = check_count(horizon, "horizon", minimum=0)
    if not (isinstance(ci, float) and 0 < ci < 1):
        raise ConfigError(f"ci must be a level strictly between 0 and 1 (e.g. 0.95), got {ci!r}.")
    long, per, n_excl, notes = _prepare(data, period, brand, kpi, var)
    base = _size(long, per, n_excl, notes, kpi, lang)
    tab = base.table
    if len(tab) < 3:
        raise DataError(f"{len(tab)} periods for kpi={kpi!r}; a trend needs at least 3.")
    if (tab["volume"] <= 0).any():
        raise DataError(
            f"market volume 0 in {preview(tab.loc[tab['volume'] <= 0, 'period'])}; the log-linear "
            "trend needs positive volumes."
        )
    fit = trend(
        pd.DataFrame({"t": tab["t"].to_numpy(float), "log_volume": np.log(tab["volume"])}),
        "log_volume",
        time="t",
        forecast=horizon,
        ci=ci,
    )
    pred = cast(pd.DataFrame, fit.predictions)  # trend always returns its predictions
    t0 = int(long["period_t"].min())
    fut = pred[pred["forecast"]]
    future = pd.DataFrame(
        {
            "period": [_label(t0 + int(t), per) for t in fut["t"]],
            "t": fut["t"].to_numpy(float).astype(np.int64),
            "volume": np.nan,
            "growth": np.nan,
            "n_brands": 0,
            "forecast": True,
        }
    )
    table = pd.concat([tab, future], ignore_index=True)
    fitted_at = dict(zip(pred["t"].to_numpy(float), pred["fitted"].to_numpy(float), strict=True))
    lo_at = dict(zip(pred["t"].to_numpy(float), pred["lower"].to_numpy(float), strict=True))
    hi_at = dict(zip(pred["t"].to_numpy(float), pred["upper"].to_numpy(float), strict=True))
    tt = table["t"].to_numpy(float)
    table["fitted"] = np.exp([fitted_at[t] for t in tt])
    table["lower"] = np.exp([lo_at[t] for t in tt])
    table["upper"] = np.exp([hi_at[t] for t in tt])
    # future volume: the median forecast; growth of the forecast path
    fv = table["forecast"].to_numpy()
    vol = np.where(fv, table["fitted"].to_numpy(float), table["volume"].to_numpy(float))
    table.loc[fv, "growth"] = vol[1:][fv[1:]] / vol[:-1][fv[1:]] - 1
    table.loc[fv, "volume"] = table.loc[fv, "fitted"]
    slope = float(fit.table["slope"].iloc[0])
    notes = [
        *base.notes,
        "trend: OLS of log(volume) on the period number; forecast volumes are the "
        "back-transformed (median) trend with its prediction interval.",
    ]
    return MarketResult(
        table,
        shares=base.shares,
        brands=base.brands,
        cagr=base.cagr,
        per_year=per,
        trend_cagr=float(np.exp(slope * per) - 1),
        trend=fit.table.drop(columns="group"),
        kpi=base.kpi,
        ci=ci,
        lang=lang,
        n_used=base.n_used,
        n_excluded=base.n_excluded,
        notes=tuple(notes),
    )
