"""Service times against a standard: Kaplan-Meier with right-censored open tickets.

:func:`service_times` measures the time from a request (ticket opened) to the first response
and to the resolution, in hours. A ticket that has no response (or resolution) by the cut-off
``asof`` is *right-censored* at ``asof``: it is known only that its time exceeds ``asof -
opened``. It is never counted as answered or resolved. The distribution of the times is the
Kaplan-Meier estimate (own numpy implementation) with Greenwood standard errors; the share
handled within the standard (e.g. 48 h) is ``1 - S(standard)`` and is compared with the target
share ("90% within 48 h").

References
----------
Kaplan, E. L. & Meier, P. (1958). Nonparametric estimation from incomplete observations.
*Journal of the American Statistical Association* 53(282), 457-481.

Greenwood, M. (1926). The natural duration of cancer. *Reports on Public Health and Medical
Subjects* 33, HMSO, London.

Klein, J. P. & Moeschberger, M. L. (2003). *Survival Analysis*, 2nd ed., Springer, sections 4.2
(Kaplan-Meier, Greenwood, the log and log-log intervals) and 4.5 (median and its interval).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, cast

import numpy as np
import pandas as pd

from needlab._result import Result
from needlab._stats import z_value
from needlab._types import Lang
from needlab._validate import (
    check_columns,
    check_dates,
    check_frame,
    check_numeric,
    check_option,
    preview,
    row_list,
)
from needlab.errors import ConfigError, DataError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["MEASURES", "STATUS_LABELS", "ServiceTimeResult", "service_times"]

TimesKind = Literal["timestamps", "hours"]
CiMethod = Literal["log", "log-log", "plain"]

MEASURES = {
    "first_response": {"en": "First response", "zh": "首次响应"},
    "resolution": {"en": "Resolution", "zh": "解决"},
}
"""The two measured times and their labels."""

STATUS_LABELS = {
    "met": {"en": "met", "zh": "达标"},
    "not met": {"en": "not met", "zh": "未达标"},
    "not yet decidable": {"en": "not yet decidable", "zh": "尚无定论"},
    "not measurable": {"en": "not measurable", "zh": "无法衡量"},
}
"""Status codes (the ``status`` column) and their labels (``status_label``)."""


# ---------------------------------------------------------------------------- Kaplan-Meier
def _km(durations: np.ndarray, events: np.ndarray, ci: float, ci_method: str) -> pd.DataFrame:
    """Kaplan-Meier table at every distinct time (events or censorings).

    ``S(t) = prod_{t_j <= t} (1 - d_j / n_j)``; Greenwood ``Var S(t) = S(t)^2 sum d_j / (n_j
    (n_j - d_j))``. Intervals: ``"log"`` ``S exp(+-z sqrt(G))`` (R's default), ``"log-log"``
    ``S^exp(+-z sqrt(G) / log S)``, ``"plain"`` ``S +- z se``; all clipped to [0, 1]. Where
    ``S = 0`` the SE and the interval are 0.
    """
    t, inv = np.unique(durations, return_inverse=True)
    d = np.bincount(inv, weights=events.astype(float), minlength=len(t))
    tot = np.bincount(inv, minlength=len(t)).astype(float)
    n = np.cumsum(tot[::-1])[::-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        S = np.cumprod(1.0 - d / n)
        term = np.where(n > d, d / (n * (n - d)), np.where(d > 0, np.inf, 0.0))
        G = np.cumsum(term)
        zero = S <= 0
        se = np.where(zero, 0.0, S * np.sqrt(G))
        z = z_value(ci)
        if ci_method == "log":
            lo = S * np.exp(-z * np.sqrt(G))
            hi = S * np.exp(z * np.sqrt(G))
        elif ci_method == "log-log":
            one = S >= 1
            ls = np.log(np.where(one | zero, 0.5, S))
            k = z * np.sqrt(G) / ls
            lo = np.where(one, 1.0, S ** np.exp(-k))
            hi = np.where(one, 1.0, S ** np.exp(k))
        else:
            lo = S - z * se
            hi = S + z * se
    lo = np.where(zero, 0.0, np.clip(np.nan_to_num(lo, nan=0.0), 0.0, 1.0))
    hi = np.where(zero, 0.0, np.clip(np.nan_to_num(hi, nan=1.0), 0.0, 1.0))
    return pd.DataFrame(
        {
            "time": t,
            "n_risk": n.astype(int),
            "events": d.astype(int),
            "censored": (tot - d).astype(int),
            "survival": S,
            "se": se,
            "ci_low": np.minimum(lo, hi),
            "ci_high": np.maximum(lo, hi),
        }
    )


def _at(km: pd.DataFrame, x: float, column: str = "survival") -> float:
    """The step function *column* at time *x* (right-continuous; 1 before the first time;
    NaN beyond the last time when the curve has not reached 0)."""
    t = km["time"].to_numpy()
    v = km[column].to_numpy()
    if len(t) == 0:
        return float("nan")
    if x > t[-1] and km["survival"].to_numpy()[-1] > 0:
        return float("nan")
    i = int(np.searchsorted(t, x, side="right")) - 1
    if i < 0:  # before the first time: S = 1 exactly
        return 0.0 if column == "se" else 1.0
    return float(v[i])


def _first_below(km: pd.DataFrame, column: str, level: float = 0.5) -> float:
    """Smallest time at which *column* <= *level* (NaN when never)."""
    hit = km[column].to_numpy() <= level + 1e-12
    return float(km["time"].to_numpy()[np.argmax(hit)]) if hit.any() else float("nan")


# ---------------------------------------------------------------------------- result
@dataclass(frozen=True, repr=False)
class ServiceTimeResult(Result):
    """Service times (first response, resolution) with Kaplan-Meier, against a standard.

    Attributes
    ----------
    table : DataFrame
        One row per measure (and ``by`` group): ``measure``, [by], ``n`` (tickets), ``events``
        (answered / resolved by ``asof``), ``censored`` (still open at ``asof``),
        ``median_hours`` (smallest t with S(t) <= 0.5) with ``median_ci_low``/``median_ci_high``
        (where the interval bands of S cross 0.5), ``within_pct`` (% handled within the
        standard: ``100 (1 - S(standard))``) with ``within_se``, ``within_ci_low``,
        ``within_ci_high`` (Greenwood), ``standard_hours``, ``target_pct``, ``status`` (``met``,
        ``not met``, ``not yet decidable``, ``not measurable``) and ``status_label`` (in
        ``lang``).
    km : DataFrame
        The Kaplan-Meier steps: ``measure``, [by], ``time`` (hours), ``n_risk``, ``events``,
        ``censored``, ``survival``, ``se``, ``ci_low``, ``ci_high``.
    standard : float
        The standard in hours.
    target_share : float
        The target share (0-1) to handle within the standard.
    asof : Timestamp or None
        The cut-off (None when only durations were given).
    by : Hashable or None
        The grouping column.
    ci : float
        Interval level.
    ci_method : str
        Interval transform of S(t).
    lang : {"en", "zh"}
        Language of the labels.
    """

    km: pd.DataFrame = field(kw_only=True)
    standard: float = field(kw_only=True)
    target_share: float = field(kw_only=True)
    asof: pd.Timestamp | None = field(kw_only=True)
    by: Hashable | None = field(default=None, kw_only=True)
    ci: float = field(default=0.95, kw_only=True)
    ci_method: str = field(default="log", kw_only=True)
    lang: Lang = field(default="en", kw_only=True)

    title = "Service times"

    def summary(self) -> dict[str, Any]:
        """Per measure (and group): median hours, % within the standard and the status."""
        out: dict[str, Any] = {
            "standard_hours": self.standard,
            "target_pct": 100 * self.target_share,
            "asof": None if self.asof is None else str(self.asof),
        }
        for _, row in self.table.iterrows():
            group = "" if self.by is None else f"[{cast(Any, row)[self.by]}]"
            key = str(row["measure"]) + group
            out[f"{key}_median_hours"] = float(row["median_hours"])
            out[f"{key}_within_pct"] = float(row["within_pct"])
            out[f"{key}_status"] = str(row["status"])
        return out

    def tables(self) -> dict[str, pd.DataFrame]:
        """The summary table and the Kaplan-Meier steps."""
        return {"table": self.table, "km": self.km}

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Share handled by time (1 - Kaplan-Meier) with the standard and the target marked;
        see :func:`needlab.plan.plot_service.plot_service`."""
        from needlab.plan.plot_service import plot_service

        return plot_service(self, ax=ax, **kwargs)


# ---------------------------------------------------------------------------- main
def _hours_between(end: pd.Series, start: pd.Series) -> np.ndarray:
    return ((end - start).dt.total_seconds() / 3600.0).to_numpy(dtype=float, na_value=np.nan)


def _flag(frame: pd.DataFrame, column: Hashable) -> np.ndarray:
    """An event flag column as 1.0 / 0.0 / NaN (missing)."""
    check_columns(frame, column)
    s = frame[column]
    mapped = s.map(
        lambda v: (
            1.0
            if v is True or (isinstance(v, (int, float, np.integer, np.floating)) and v == 1)
            else 0.0
            if v is False or (isinstance(v, (int, float, np.integer, np.floating)) and v == 0)
            else np.nan
        )
    ).to_numpy(dtype=float)
    bad = np.isnan(mapped) & s.notna().to_numpy()
    if bad.any():
        raise DataError(
            f"column {column!r} must flag events with 1/True (the time is when it happened) or "
            f"0/False (still open at that time); it has {preview(s[bad])} at rows "
            f"{row_list(bad)}. Recode those values."
        )
    return mapped


def service_times(
    data: Any,
    *,
    opened: Hashable | None = "opened",
    first_response: Hashable | None = None,
    resolved: Hashable | None = None,
    asof: Any = None,
    standard: float = 48.0,
    target_share: float = 0.9,
    by: Hashable | None = None,
    times: TimesKind = "timestamps",
    response_event: Hashable | None = None,
    resolution_event: Hashable | None = None,
    ci: float = 0.95,
    ci_method: CiMethod = "log",
    date_format: str | None = None,
    dayfirst: bool | None = None,
    lang: Lang = "en",
) -> ServiceTimeResult:
    """Time to first response and to resolution, with open tickets right-censored at ``asof``.

    For each ticket and measure the time is ``end - opened`` in hours when the end (first
    response, resolution) happened by ``asof``; otherwise the ticket is *censored* at ``asof -
    opened`` (an end after ``asof`` is not yet known at ``asof``). The Kaplan-Meier estimate

    ``S(t) = prod_{t_j <= t} (1 - d_j / n_j)``

    (``d_j`` ends at time ``t_j``, ``n_j`` tickets still open just before it) has Greenwood's
    variance ``Var S(t) = S(t)^2 sum_{t_j <= t} d_j / (n_j (n_j - d_j))``. The interval of S(t)
    is by default on the log scale, ``S exp(+-z sqrt(sum d/(n(n-d))))`` (R's ``survfit``
    default); ``ci_method="log-log"`` and ``"plain"`` are the alternatives.

    - **Median** (convention named): the smallest t with ``S(t) <= 0.5``; its interval runs
      from where the lower band of S first reaches 0.5 to where the upper band does (R's
      ``print.survfit`` rule; R takes the midpoint when S equals 0.5 exactly on a flat stretch,
      this function the start). NaN with a note when S never reaches 0.5.
    - **Share within the standard**: ``100 (1 - S(standard))`` with the Greenwood interval
      ``100 (1 - [S_high, S_low])``; NaN with a note when follow-up ends before the standard
      while tickets are still open.
    - **Status** against ``target_share``: ``met`` when the interval's lower end reaches the
      target, ``not met`` when its upper end is below it, ``not yet decidable`` when the
      interval straddles it, ``not measurable`` when there are no tickets or no estimate.

    Parameters
    ----------
    data : DataFrame
        One row per ticket (request).
    opened : column name or None, default "opened"
        When the request was made (date-time). Rows without it are excluded and counted. May
        be None only with ``times="hours"`` (then nothing can be censored at ``asof``).
    first_response, resolved : column names, optional
        With ``times="timestamps"``: when the first response / the resolution happened
        (missing = not yet). With ``times="hours"``: hours since ``opened`` (missing = not yet,
        censored at ``asof - opened``; without ``opened``, such rows leave that measure and are
        counted). At least one is required.
    asof : date-like, optional
        The cut-off. Default: the latest time in the data (the latest ``opened``, response or
        resolution; with hours, ``opened + hours``). Tickets opened after it are excluded.
    standard : float, default 48
        The service standard in hours.
    target_share : float, default 0.9
        The share (0-1) to handle within the standard.
    by : column name, optional
        Estimate per group (rows with a missing group are excluded and counted).
    times : {"timestamps", "hours"}, default "timestamps"
        Whether ``first_response``/``resolved`` hold date-times or durations in hours.
    response_event, resolution_event : column names, optional
        With ``times="hours"``: 1/True when the duration is an observed end, 0/False when the
        ticket was still open at that duration (censored there).
    ci : float, default 0.95
        Interval level.
    ci_method : {"log", "log-log", "plain"}, default "log"
        Interval transform of S(t).
    date_format, dayfirst : optional
        How to read date text.
    lang : {"en", "zh"}, default "en"
        Language of ``status_label`` and of the plot.

    Returns
    -------
    ServiceTimeResult
        ``n_used`` = tickets in at least one measure; ``n_excluded`` the rest (missing
        ``opened`` or group, opened after ``asof``, no duration), each with a note.

    Raises
    ------
    DataError
        A response or resolution before the request, negative or infinite hours, event flags
        that are not 0/1, a flagged event without hours (the rows are named).
    ConfigError
        No measure given, ``opened=None`` with timestamps, event flags with timestamps, a bad
        ``standard``, ``target_share``, ``ci``, ``asof`` or option.
    SchemaError
        Missing columns.

    Examples
    --------
    >>> tickets = pd.DataFrame({
    ...     "opened": pd.to_datetime(["2024-05-01 09:00", "2024-05-01 10:00",
    ...                               "2024-05-02 08:00", "2024-05-03 12:00"]),
    ...     "resolved": pd.to_datetime(["2024-05-01 21:00", "2024-05-04 10:00", None, None])})
    >>> res = service_times(tickets, resolved="resolved", asof="2024-05-04 12:00")
    >>> res.table[["n", "events", "censored", "median_hours", "within_pct"]]
       n  events  censored  median_hours  within_pct
    0  4       2         2          72.0        25.0
    """
    frame = check_frame(data)
    check_option(times, ("timestamps", "hours"), "times")
    check_option(ci_method, ("log", "log-log", "plain"), "ci_method")
    check_option(lang, ("en", "zh"), "lang")
    if not (isinstance(ci, float) and 0.5 < ci < 1):
        raise ConfigError(
            f"ci must be an interval level between 0.5 and 1 (e.g. 0.95), got {ci!r}."
        )
    if (
        isinstance(standard, bool)
        or not isinstance(standard, (int, float))
        or not (np.isfinite(standard) and standard > 0)
    ):
        raise ConfigError(
            f"standard must be a positive number of hours (e.g. 48), got {standard!r}."
        )
    if (
        isinstance(target_share, bool)
        or not isinstance(target_share, (int, float))
        or not (0 < target_share <= 1)
    ):
        raise ConfigError(
            f"target_share must be a share between 0 and 1 (0.9 for 90%), got {target_share!r}."
        )
    ends = {"first_response": first_response, "resolution": resolved}
    flags = {"first_response": response_event, "resolution": resolution_event}
    ends = {k: v for k, v in ends.items() if v is not None}
    if not ends:
        raise ConfigError(
            "service_times needs first_response= and/or resolved= (the columns of the end "
            "times, or of the hours with times='hours')."
        )
    if times == "timestamps":
        if opened is None:
            raise ConfigError(
                "opened=None works only with times='hours'; name the column of the request "
                "times (opened=...) or pass durations with times='hours'."
            )
        given = [k for k, v in flags.items() if v is not None]
        if given:
            raise ConfigError(
                "response_event=/resolution_event= flag durations and need times='hours'; with "
                "timestamps a missing end time means still open."
            )
    check_columns(frame, [c for c in (opened, by, *ends.values()) if c is not None])
    n_rows = len(frame)
    notes: list[str] = []
    excluded = np.zeros(n_rows, dtype=bool)

    start: pd.Series | None = None
    if opened is not None:
        start = check_dates(frame, opened, date_format=date_format, dayfirst=dayfirst)
        miss = start.isna().to_numpy()
        if miss.any():
            notes.append(
                f"{int(miss.sum())} tickets without {opened!r} were excluded (rows {row_list(miss)})."
            )
            excluded |= miss
    if by is not None:
        miss_by = frame[by].isna().to_numpy() & ~excluded
        if miss_by.any():
            notes.append(
                f"{int(miss_by.sum())} tickets without a {by!r} group were excluded "
                f"(rows {row_list(miss_by)})."
            )
            excluded |= miss_by

    # raw ends: hours since opened (NaN = no end recorded) and the recorded-event flag
    raw: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for m, col in ends.items():
        if times == "timestamps":
            begin = cast(pd.Series, start)  # opened is required with timestamps (checked)
            end = check_dates(frame, col, date_format=date_format, dayfirst=dayfirst)
            h = _hours_between(end, begin)
            neg = (h < 0) & ~np.isnan(h)
            if neg.any():
                raise DataError(
                    f"column {col!r} is before {opened!r} (a {m.replace('_', ' ')} before the "
                    f"request) at rows {row_list(neg)}: {preview(end[neg].astype(str))} vs "
                    f"{preview(begin[neg].astype(str))}. Fix those times (or swap the columns)."
                )
            ev = (~np.isnan(h)).astype(float)
        else:
            h = check_numeric(frame, col).to_numpy(dtype=float, na_value=np.nan)
            neg = h < 0
            if neg.any():
                raise DataError(
                    f"column {col!r} has negative durations {preview(h[neg])} at rows "
                    f"{row_list(neg)}; a {m.replace('_', ' ')} cannot come before the request. "
                    "Fix those values."
                )
            flag_col = flags[m]
            if flag_col is None:
                ev = (~np.isnan(h)).astype(float)
            else:
                ev = _flag(frame, flag_col)
                nohours = (ev == 1) & np.isnan(h)
                if nohours.any():
                    raise DataError(
                        f"column {flag_col!r} flags an event but {col!r} has no hours at rows "
                        f"{row_list(nohours)}; give the hours or set the flag to 0."
                    )
                ev = np.where(np.isnan(ev), (~np.isnan(h)).astype(float), ev)
        raw[m] = (h, ev)

    # the cut-off
    cut: pd.Timestamp | None
    if asof is not None:
        if start is None:
            raise ConfigError("asof= needs opened= (the request times) to censor open tickets.")
        try:
            cut = pd.Timestamp(asof)
        except (TypeError, ValueError) as exc:
            raise ConfigError(
                f"asof={asof!r} is not a date-time; pass e.g. '2024-12-31 23:59'."
            ) from exc
        if pd.isna(cut):
            raise ConfigError(f"asof={asof!r} is not a date-time.")
        if cut.tzinfo is not None:
            cut = cut.tz_localize(None)
    elif start is not None:
        ok = ~excluded
        latest = [start[ok].max()]
        for h, _ in raw.values():
            endt = start[ok] + pd.to_timedelta(h[ok], unit="h")
            latest.append(endt.max())
        cut = pd.Timestamp(max(v for v in latest if pd.notna(v)))
    else:
        cut = None

    if start is not None and cut is not None:
        future = (start > cut).to_numpy() & ~excluded
        if future.any():
            notes.append(
                f"{int(future.sum())} tickets opened after asof={cut} were excluded "
                f"(rows {row_list(future)})."
            )
            excluded |= future
        open_for = _hours_between(pd.Series(cut, index=start.index), start)
    else:
        open_for = np.full(n_rows, np.nan)

    # durations and events per measure
    per: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    in_any = np.zeros(n_rows, dtype=bool)
    for m, (h, ev) in raw.items():
        event = (ev == 1) & ~np.isnan(h)
        late = event & ~np.isnan(open_for) & (h > open_for)
        event &= ~late  # ended after asof: still open at asof
        cens_at = np.where(~np.isnan(h) & (ev == 0), h, open_for)  # flagged censoring time
        cens_at = np.where(late, open_for, cens_at)
        dur = np.where(event, h, cens_at)
        usable = ~excluded & ~np.isnan(dur)
        nodur = ~excluded & np.isnan(dur)
        if nodur.any():
            notes.append(
                f"{m}: {int(nodur.sum())} tickets have no {ends[m]!r} and no opening time to "
                f"censor them at, so they are left out of this measure (rows {row_list(nodur)})."
            )
        if late.any():
            notes.append(
                f"{m}: {int((late & usable).sum())} tickets ended after asof and are counted as "
                "still open at asof (censored)."
            )
        per[m] = (dur, event, usable)
        in_any |= usable
    none = ~excluded & ~in_any
    if none.any():
        notes.append(f"{int(none.sum())} tickets entered no measure (see above) and were excluded.")

    # groups
    if by is not None:
        gcodes, gvals = pd.factorize(frame[by], sort=True)
        groups: list[tuple[Any, np.ndarray]] = [(gvals[i], gcodes == i) for i in range(len(gvals))]
    else:
        groups = [(None, np.ones(n_rows, dtype=bool))]

    rows: list[dict[Hashable, Any]] = []
    km_parts: list[pd.DataFrame] = []
    for m, (dur, event, usable) in per.items():
        for g, gmask in groups:
            sel = usable & gmask
            label = m if g is None else f"{m} [{g}]"
            row: dict[Hashable, Any] = {"measure": m}
            if by is not None:
                row[by] = g
            n = int(sel.sum())
            row.update(n=n, events=int(event[sel].sum()), censored=int(n - event[sel].sum()))
            if n == 0:
                row.update(
                    median_hours=np.nan,
                    median_ci_low=np.nan,
                    median_ci_high=np.nan,
                    within_pct=np.nan,
                    within_se=np.nan,
                    within_ci_low=np.nan,
                    within_ci_high=np.nan,
                    standard_hours=float(standard),
                    target_pct=100 * float(target_share),
                    status="not measurable",
                )
                notes.append(f"{label}: no tickets; not measurable.")
                rows.append(row)
                continue
            km = _km(dur[sel], event[sel], ci, ci_method)
            part = km.copy()
            part.insert(0, "measure", m)
            if by is not None:
                part.insert(1, by, g)
            km_parts.append(part)
            med = _first_below(km, "survival")
            if np.isnan(med):
                notes.append(
                    f"{label}: fewer than half the tickets ended within follow-up, so the median "
                    "is not reached (NaN)."
                )
            s_std = _at(km, float(standard))
            if np.isnan(s_std):
                notes.append(
                    f"{label}: follow-up ends at {km['time'].iloc[-1]:.4g} h, before the "
                    f"standard of {standard:g} h, with tickets still open: the share within the "
                    "standard is not estimable (NaN)."
                )
                within = se = lo = hi = np.nan
            else:
                within = 100 * (1 - s_std)
                se = 100 * _at(km, float(standard), "se")
                lo = 100 * (1 - _at(km, float(standard), "ci_high"))
                hi = 100 * (1 - _at(km, float(standard), "ci_low"))
            tgt = 100 * float(target_share)
            if np.isnan(within):
                status = "not measurable"
            elif lo >= tgt:
                status = "met"
            elif hi < tgt:
                status = "not met"
            else:
                status = "not yet decidable"
            row.update(
                median_hours=med,
                median_ci_low=_first_below(km, "ci_low"),
                median_ci_high=_first_below(km, "ci_high"),
                within_pct=within,
                within_se=se,
                within_ci_low=lo,
                within_ci_high=hi,
                standard_hours=float(standard),
                target_pct=tgt,
                status=status,
            )
            if not np.isnan(med) and np.isnan(row["median_ci_high"]):
                notes.append(
                    f"{label}: the upper band of S never reaches 0.5, so the median's upper "
                    "limit is not reached (NaN)."
                )
            rows.append(row)
    table = pd.DataFrame(rows)
    table["status_label"] = [STATUS_LABELS[s][lang] for s in table["status"]]
    km_cols = [
        "measure",
        *([by] if by is not None else []),
        "time",
        "n_risk",
        "events",
        "censored",
        "survival",
        "se",
        "ci_low",
        "ci_high",
    ]
    km_all = pd.concat(km_parts, ignore_index=True) if km_parts else pd.DataFrame(columns=km_cols)
    notes.append(
        "Tickets without a response/resolution by asof are right-censored at asof (never counted "
        f"as handled); S(t) by Kaplan-Meier with Greenwood SEs, {ci_method} intervals; the "
        "median is the smallest t with S(t) <= 0.5."
    )
    n_used = int(in_any.sum())
    return ServiceTimeResult(
        table,
        km=km_all,
        standard=float(standard),
        target_share=float(target_share),
        asof=cut,
        by=by,
        ci=ci,
        ci_method=ci_method,
        lang=lang,
        n_used=n_used,
        n_excluded=n_rows - n_used,
        notes=tuple(notes),
    )
