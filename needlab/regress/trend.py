"""Linear trend of a KPI over periods, its test, and a forecast with prediction intervals."""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from needlab._result import Result
from needlab._types import Weights
from needlab._validate import (
    as_design,
    check_alpha,
    check_columns,
    check_numeric,
    check_weights,
    complete_rows,
    preview,
)
from needlab.errors import ConfigError, DataError
from needlab.regress.wls import wls

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from needlab.io.read import Survey

__all__ = ["TrendResult", "trend"]


@dataclass(frozen=True, repr=False)
class TrendResult(Result):
    """Result of :func:`trend`.

    Attributes
    ----------
    table : DataFrame
        One row per group (columns described in :func:`trend`).
    predictions : DataFrame
        Fitted values and intervals per group and period, forecasts included.
    var, time : str
        The columns analysed.
    by : str or None
        The group column.
    ci : float
        Level of the intervals.
    time_kind : str
        ``"numeric"`` (time used as is) or ``"ordinal"`` (periods mapped to 0 .. T-1).
    n_used, n_excluded : int
        Rows used, and rows excluded for a missing value, time or group or a zero weight.
    """

    predictions: pd.DataFrame | None = None
    var: str = ""
    time: str = ""
    by: str | None = None
    ci: float = 0.95
    time_kind: str = "numeric"

    title = "Trend"

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "var": self.var,
            "time": self.time,
            "groups": len(self.table),
            "ci": self.ci,
        }
        if len(self.table) == 1:
            row = self.table.iloc[0]
            out.update(
                {
                    "slope": float(row["slope"]),
                    "p value": float(row["p_value"]),
                    "R2": float(row["r2"]),
                }
            )
        return out

    def tables(self) -> dict[str, pd.DataFrame]:
        out = {"trend": self.table}
        if self.predictions is not None:
            out["predictions"] = self.predictions
        return out

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Observed period means, the fitted trend, its prediction band and the forecast.

        See :func:`needlab.regress.plot.trend_plot`.
        """
        from needlab.regress.plot import trend_plot

        return trend_plot(self, ax=ax, **kwargs)


def _natural_key(s: str) -> list[Any]:
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", s)]


def _periods(s: pd.Series, order: Sequence[Any] | None) -> tuple[np.ndarray, list[Any], str, Any]:
    """Map the time column to numbers. Returns (x, sorted distinct labels, kind, step)."""
    if order is not None:
        labels = list(order)
        pos = pd.Index(labels)
        if not pos.is_unique:
            raise ConfigError("order= has duplicated periods; list each period once.")
        bad = ~s.isin(labels) & s.notna()
        if bad.any():
            raise DataError(
                f"time column {s.name!r} has periods not listed in order=: "
                f"{preview(s[bad])}; add them to order=."
            )
        return pos.get_indexer(s).astype(float), labels, "ordinal", None
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        x = check_numeric(pd.DataFrame({s.name: s}), s.name).to_numpy()  # inf: DataError
        u = np.unique(x[~np.isnan(x)])
        step = float(np.median(np.diff(u))) if len(u) > 1 else 1.0
        return x, list(u), "numeric", step
    if isinstance(s.dtype, pd.CategoricalDtype):
        cats = list(s.cat.categories)
        if not s.cat.ordered:
            cats = sorted(cats, key=lambda c: _natural_key(str(c)))
        codes = pd.Index(cats).get_indexer(s)
        return np.where(codes < 0, np.nan, codes).astype(float), cats, "ordinal", None
    if pd.api.types.is_datetime64_any_dtype(s) or isinstance(s.dtype, pd.PeriodDtype):
        labels = sorted(s.dropna().unique())
    else:
        labels = sorted(s.dropna().unique(), key=lambda c: _natural_key(str(c)))
    codes = pd.Index(labels).get_indexer(s)
    return np.where(codes < 0, np.nan, codes).astype(float), labels, "ordinal", None


def _future_labels(labels: list[Any], kind: str, step: Any, k: int) -> list[Any]:
    """Labels of the k periods after the last one (numbers, dates, periods or '+1', '+2'...)."""
    if k == 0:
        return []
    last = labels[-1]
    if isinstance(last, pd.Period):
        return [last + i + 1 for i in range(k)]
    if isinstance(last, (pd.Timestamp, np.datetime64)) and len(labels) >= 3:
        freq = pd.DatetimeIndex(labels, freq="infer").freq
        if freq is not None:
            return list(pd.date_range(last, periods=k + 1, freq=freq)[1:])
    return [f"+{i + 1}" for i in range(k)]


def trend(
    data: pd.DataFrame | Survey,
    var: Hashable,
    *,
    time: Hashable,
    by: Hashable | None = None,
    forecast: int = 0,
    weights: Weights = None,
    ci: float = 0.95,
    order: Sequence[Any] | None = None,
) -> TrendResult:
    """Linear trend of a KPI over periods, with its test, intervals and a forecast.

    The model is ordinary (weighted) least squares ``var = a + slope * t + e`` fitted to every
    row (one row per period, e.g. a KPI per wave, or one row per respondent), per group with
    ``by=``. The time ``t`` is:

    - the time column itself when it is numeric (e.g. year 2019, 2020 ...); forecasts step
      forward by the median gap between distinct times;
    - the position 0 .. T-1 of the period in time order otherwise (datetimes, pandas periods,
      ordered categoricals in their order, labels such as ``"2024Q1"`` or ``"wave 10"`` in
      natural order, or the order given by ``order=``): periods are taken as equally spaced.
      Forecast periods get the next dates (when a frequency can be inferred) or periods, else
      labels ``"+1"``, ``"+2"`` ...

    Intervals are those of statsmodels' ``get_prediction``: the confidence interval of the
    trend line (``mean_low`` / ``mean_high``) and the prediction interval of a new observation
    (``lower`` / ``upper``) with t quantiles on ``n - 2`` degrees of freedom. With weights, the
    weights are scaled to mean 1 and a new observation has weight 1 (an average row). With one
    row per period the prediction interval is the forecast interval of the KPI; with one row per
    respondent it covers a single answer, and ``mean_low`` / ``mean_high`` cover the period
    mean.

    Parameters
    ----------
    data : DataFrame or Survey
        One row per period or per respondent (a :class:`~needlab.Survey` gives its codes).
    var : str
        The numeric KPI column.
    time : str
        The period column (numeric, datetime, period or labels).
    by : str, optional
        Group column: one trend per group.
    forecast : int, default 0
        Number of periods to forecast after the last observed period.
    weights : str, array, None or False, optional
        Survey weights (column name or array); the fit is then WLS. ``None`` on a Survey takes
        its codebook's weight column; ``False`` is unweighted. Zero-weight rows are excluded.
    ci : float, default 0.95
        Level of the confidence and prediction intervals.
    order : list, optional
        The periods in time order, for labels that do not sort naturally.

    Returns
    -------
    TrendResult
        ``.table`` has one row per group with columns ``group`` (the group, or ``"all"``),
        ``slope`` (change of ``var`` per period), ``se`` (its standard error), ``t``,
        ``p_value`` (two-sided t test of slope = 0), ``ci_low`` / ``ci_high`` (interval of the
        slope), ``intercept`` (value at t = 0), ``r2`` ((weighted) R squared), ``n`` (rows used)
        and ``n_periods`` (distinct periods).

        ``.predictions`` has one row per group and period with columns ``group``, ``period``
        (the label), ``t`` (the number used in the fit), ``observed`` (weighted mean of
        ``var`` in the period; missing for forecasts), ``n`` (rows in the period), ``fitted``,
        ``mean_low`` / ``mean_high`` (interval of the trend line), ``lower`` / ``upper``
        (prediction interval) and ``forecast`` (True for periods after the data).

        ``n_used`` / ``n_excluded``: rows used, and rows left out (listwise: a missing value,
        time or group, or a zero weight; see ``.notes``).

    Raises
    ------
    SchemaError
        A missing column.
    DataError
        A non-numeric value, invalid weights, periods not in ``order``, or a group with fewer
        than 3 rows or a single period.
    ConfigError
        Invalid ``forecast``, ``ci`` or ``order``.

    References
    ----------
    Draper, N. R., & Smith, H. (1998). *Applied Regression Analysis* (3rd ed.), chapter 3
    (intervals for the mean response and prediction of a new observation). Wiley.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"wave": ["2023Q1", "2023Q2", "2023Q3", "2023Q4", "2024Q1"],
    ...                    "csat": [70.0, 72.0, 73.0, 75.0, 77.0]})
    >>> res = trend(df, "csat", time="wave", forecast=2)
    >>> round(float(res.table["slope"].iloc[0]), 2)
    1.7
    >>> res.predictions[["period", "fitted", "forecast"]].tail(2)
      period  fitted  forecast
    5     +1    78.6      True
    6     +2    80.3      True
    """
    from scipy import stats

    dsg = as_design(data, weights=weights)
    data, weights = dsg.data, dsg.weights
    ci = check_alpha(ci, "ci")
    if not (
        isinstance(forecast, (int, np.integer)) and not isinstance(forecast, bool) and forecast >= 0
    ):
        raise ConfigError(f"forecast must be a whole number of periods >= 0, got {forecast!r}.")
    cols = [var, time] + ([by] if by is not None else [])
    check_columns(data, cols)
    w_all = check_weights(data, dsg.weights)
    w = np.ones(len(data)) if w_all is None else w_all
    y = check_numeric(data, var).to_numpy()
    x, labels, kind, step = _periods(data[time], order)
    keep, n_excluded, note = complete_rows(data, cols, w_all)
    g = data[by] if by is not None else pd.Series("all", index=data.index)
    notes: list[str] = [note] if note else []
    if (
        kind == "ordinal"
        and order is None
        and not isinstance(data[time].dtype, pd.CategoricalDtype)
        and not (
            pd.api.types.is_datetime64_any_dtype(data[time])
            or isinstance(data[time].dtype, pd.PeriodDtype)
        )
    ):
        notes.append(
            "periods ordered as: "
            + preview([str(v) for v in labels], 8)
            + " (pass order= to change)."
        )
    y, x, w, g = y[keep], x[keep], w[keep], g[keep]
    if kind == "numeric":
        u = np.unique(x)
        future_t = u[-1] + step * np.arange(1, forecast + 1) if len(u) else np.empty(0)
        future_lab = [u[-1] + step * (i + 1) for i in range(forecast)] if len(u) else []
    else:
        future_t = len(labels) - 1 + np.arange(1, forecast + 1, dtype=float)
        future_lab = _future_labels(labels, kind, step, forecast)
    rows: list[dict[str, Any]] = []
    preds: list[pd.DataFrame] = []
    codes, groups = pd.factorize(g, sort=True)
    for gi, name in enumerate(groups):  # one fit per group, not per row
        m = codes == gi
        xs, ys, ws = x[m], y[m], w[m]
        periods = np.unique(xs)
        if m.sum() < 3 or len(periods) < 2:
            raise DataError(
                f"group {name!r} has {int(m.sum())} rows in {len(periods)} periods; a "
                "trend needs at least 3 rows and 2 periods (drop the group or add data)."
            )
        ws = ws / ws.mean()
        X = np.column_stack([np.ones(len(xs)), xs])
        fit = wls(X, ys, ws)
        tq = stats.t.ppf(0.5 + ci / 2, fit.df)
        slope, se = fit.coef[1], fit.se[1]
        rows.append(
            {
                "group": name,
                "slope": slope,
                "se": se,
                "t": fit.t[1],
                "p_value": fit.p[1],
                "ci_low": slope - tq * se,
                "ci_high": slope + tq * se,
                "intercept": fit.coef[0],
                "r2": fit.r2,
                "n": int(m.sum()),
                "n_periods": len(periods),
            }
        )
        # observed weighted means per period
        pcode = np.searchsorted(periods, xs)
        wsum = np.bincount(pcode, weights=ws, minlength=len(periods))
        obs = np.bincount(pcode, weights=ws * ys, minlength=len(periods)) / wsum
        cnt = np.bincount(pcode, minlength=len(periods))
        t_all = np.concatenate([periods, future_t])
        lab = (
            list(periods) if kind == "numeric" else [labels[int(i)] for i in periods]
        ) + future_lab
        Xn = np.column_stack([np.ones(len(t_all)), t_all])
        fitted = Xn @ fit.coef
        se_mean = np.sqrt(np.einsum("ij,jk,ik->i", Xn, fit.cov, Xn))
        se_obs = np.sqrt(se_mean**2 + fit.sigma2)
        k = len(periods)
        preds.append(
            pd.DataFrame(
                {
                    "group": name,
                    "period": lab,
                    "t": t_all,
                    "observed": np.concatenate([obs, np.full(forecast, np.nan)]),
                    "n": np.concatenate([cnt, np.zeros(forecast, dtype=int)]),
                    "fitted": fitted,
                    "mean_low": fitted - tq * se_mean,
                    "mean_high": fitted + tq * se_mean,
                    "lower": fitted - tq * se_obs,
                    "upper": fitted + tq * se_obs,
                    "forecast": np.arange(len(t_all)) >= k,
                }
            )
        )
    table = pd.DataFrame(rows)
    predictions = pd.concat(preds, ignore_index=True)
    if kind == "numeric":
        per = predictions["period"].to_numpy(float)
        if np.all(per == np.round(per)):
            predictions["period"] = per.astype(np.int64)
    return TrendResult(
        table,
        predictions=predictions,
        var=str(var),
        time=str(time),
        by=None if by is None else str(by),
        ci=ci,
        time_kind=kind,
        n_used=int(keep.sum()),
        n_excluded=n_excluded,
        notes=tuple(notes),
    )
