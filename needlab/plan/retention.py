"""Retention cohorts from a transaction log, and the shifted-beta-geometric (sBG) projection.

:func:`retention_cohorts` builds the acquisition-cohort x age matrix: the share of each cohort
(customers whose first order fell in the same period) that bought again in each later period.
:class:`SBG` fits the shifted-beta-geometric model of Fader & Hardie (2007) to counts of
surviving customers and projects survival and retention with standard errors.

**Observability rule.** Orders are dated by day and the data are taken to be complete up to and
including the day ``asof``. A calendar period (month, quarter, ...) is *observable* only when it
has ended by ``asof`` (its last day is on or before ``asof``). A cohort x age cell whose calendar
period has not ended is missing (NaN), never 0: a customer who has not bought yet in a running
month may still buy before it ends. Cohorts acquired in a period that has not ended are listed
with their size, but all their cells are missing.

References
----------
Fader, P. S. & Hardie, B. G. S. (2007). How to project customer retention. *Journal of
Interactive Marketing* 21(1), 76-90. doi:10.1002/dir.20074.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from needlab._result import Result
from needlab._stats import numerical_hessian, wilson_interval, z_value
from needlab._types import Lang
from needlab._validate import (
    check_columns,
    check_dates,
    check_frame,
    check_option,
    normalise_ids,
    row_list,
)
from needlab.errors import ConfigError, DataError, NeedlabWarning

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["SBG", "RetentionResult", "retention_cohorts"]

Period = Literal["D", "W", "M", "Q", "Y"]
Definition = Literal["active", "alive"]
_PERIODS = ("D", "W", "M", "Q", "Y")


def _asof(asof: Any, name: str = "asof") -> pd.Timestamp:
    try:
        ts = pd.Timestamp(asof)
    except (TypeError, ValueError) as exc:
        raise ConfigError(
            f"{name}={asof!r} is not a date; pass e.g. asof='2024-12-31' or a Timestamp."
        ) from exc
    if pd.isna(ts):
        raise ConfigError(f"{name}={asof!r} is not a date; pass e.g. asof='2024-12-31'.")
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)
    return ts


def _labels(ordinals: np.ndarray, period: str) -> list[str]:
    """Period labels (``"2024-01"``) of period ordinals."""
    return [str(v) for v in pd.PeriodIndex.from_ordinals(ordinals, freq=period).astype(str)]  # type: ignore[attr-defined]


@dataclass(frozen=True, repr=False)
class RetentionResult(Result):
    """Acquisition cohorts x periods since acquisition: the share of each cohort active.

    Attributes
    ----------
    table : DataFrame
        Long table, one row per cohort x age: ``cohort`` (period label), ``age`` (periods since
        acquisition, 0 = the acquisition period), ``period`` (calendar period of the cell),
        ``size`` (customers acquired), ``active`` (customers counted active: see
        ``definition``), ``retention`` (``active / size``, 0-1) and ``observable`` (False: the
        period had not ended by ``asof``; ``active`` and ``retention`` are then missing).
    matrix : DataFrame
        ``retention`` as cohort (rows) x age (columns); NaN = not yet observable.
    counts : DataFrame
        ``active`` counts as cohort x age (float; NaN = not yet observable).
    alive : DataFrame
        Survival-style counts as cohort x age: customers whose last order is in that period or
        later (non-increasing along each row; what :class:`SBG` fits). NaN = not observable.
    cohorts : DataFrame
        ``cohort``, ``size``, ``complete`` (acquisition period ended by ``asof``), ``ages``
        (observable ages).
    curve : DataFrame
        The pooled retention curve by age over the cohorts observable at that age: ``age``,
        ``n_cohorts``, ``n`` (customers at risk: the sum of those cohorts' sizes), ``active``,
        ``retention`` (= active / n, i.e. the cohort-size weighted mean of the cohort shares),
        ``se`` (binomial, ``sqrt(r (1 - r) / n)``), ``ci_low``, ``ci_high`` (Wilson).
    period : str
        The period length (``"M"`` months, ...).
    asof : Timestamp
        The cut-off date.
    definition : {"active", "alive"}
        What ``active`` counts: customers who bought in the period (``"active"``), or customers
        who bought in that period or any later one (``"alive"``).
    lang : {"en", "zh"}
        Language of the plot labels.
    """

    matrix: pd.DataFrame = field(kw_only=True)
    counts: pd.DataFrame = field(kw_only=True)
    alive: pd.DataFrame = field(kw_only=True)
    cohorts: pd.DataFrame = field(kw_only=True)
    curve: pd.DataFrame = field(kw_only=True)
    period: str = field(kw_only=True)
    asof: pd.Timestamp = field(kw_only=True)
    definition: str = field(kw_only=True)
    lang: Lang = field(default="en", kw_only=True)

    title = "Retention cohorts"

    def summary(self) -> dict[str, Any]:
        """Customers, cohorts, the cut-off, the pooled retention at ages 1, 3, 6 and 12."""
        out: dict[str, Any] = {
            "customers": int(self.cohorts["size"].sum()),
            "cohorts": len(self.cohorts),
            "period": self.period,
            "asof": str(self.asof.date()),
            "definition": self.definition,
        }
        curve = self.curve.set_index("age")["retention"]
        for age in (1, 3, 6, 12):
            if age in curve.index:
                out[f"retention_age_{age}"] = float(curve.loc[age])
        return out

    def tables(self) -> dict[str, pd.DataFrame]:
        """The long table, the matrix, the pooled curve and the cohort sizes."""
        return {
            "table": self.table,
            "matrix": self.matrix.reset_index(),
            "curve": self.curve,
            "cohorts": self.cohorts,
        }

    def plot(
        self,
        ax: Axes | None = None,
        *,
        kind: Literal["heatmap", "curves"] = "heatmap",
        **kwargs: Any,
    ) -> Axes:
        """Cohort heatmap (``kind="heatmap"``) or retention curves by cohort with the pooled
        curve and its interval (``kind="curves"``); see :mod:`needlab.plan.plot_retention`."""
        from needlab.plan.plot_retention import plot_retention

        return plot_retention(self, ax=ax, kind=kind, **kwargs)


def retention_cohorts(
    data: Any,
    *,
    customer: Hashable = "customer_id",
    date: Hashable = "order_date",
    period: Period = "M",
    asof: Any = None,
    definition: Definition = "active",
    ci: float = 0.95,
    date_format: str | None = None,
    dayfirst: bool | None = None,
    lang: Lang = "en",
) -> RetentionResult:
    """Acquisition-cohort retention matrix from a transaction log.

    A customer's *cohort* is the period of her first order in the data; her *age* in a later
    period is the number of periods since that one (age 0 = the acquisition period, where
    every customer is active by definition). The cell (cohort c, age k) is

    ``retention[c, k] = active[c, k] / size[c]``

    where ``active`` counts the cohort's customers with at least one order in period ``c + k``
    (``definition="active"``), or with an order in period ``c + k`` or any later period
    (``definition="alive"``, a survival-style "still a customer" that cannot rise with age).
    A cell is observable only when its period has ended by ``asof`` (see the module notes);
    otherwise it is NaN. The pooled curve at age k sums over the cohorts observable at age k:
    ``r_k = sum_c active[c, k] / sum_c size[c]`` (the cohort shares weighted by cohort size)
    with the binomial standard error ``sqrt(r_k (1 - r_k) / n_k)`` and a Wilson interval; it
    treats customers as independent and ignores differences between cohorts.

    Parameters
    ----------
    data : DataFrame
        The transaction log, one row per order (or order line).
    customer, date : column names
        Customer id (compared after Unicode NFKC and trimming) and order date.
    period : {"D", "W", "M", "Q", "Y"}, default "M"
        Period length: days, weeks (Monday-Sunday), calendar months, quarters or years.
    asof : date-like, optional
        The cut-off: the data are complete up to and including this day. Default: the last
        order date. Orders after it are excluded and counted.
    definition : {"active", "alive"}, default "active"
        What counts as retained (see above). ``"alive"`` is what a contractual model such as
        :class:`SBG` describes; from transactions it understates survival near ``asof``
        (customers who will buy again have not done so yet).
    ci : float, default 0.95
        Level of the Wilson intervals of the pooled curve.
    date_format, dayfirst : optional
        How to read date text (see :func:`needlab._validate.check_dates`).
    lang : {"en", "zh"}, default "en"
        Language of the plot labels.

    Returns
    -------
    RetentionResult
        ``n_used`` + ``n_excluded`` = transaction rows given; rows with a missing customer or
        date and rows after ``asof`` are excluded and counted in the notes.

    Raises
    ------
    SchemaError
        ``data`` is not a DataFrame or lacks the columns.
    DataError
        Dates that do not parse; no transaction left on or before ``asof``.
    ConfigError
        A bad ``period``, ``definition``, ``ci``, ``lang`` or ``asof``.

    Notes
    -----
    Customers in the first cohort may have been acquired before the data begin (their
    earlier orders are not in the log); a note says so. Ages are counted in calendar periods,
    so a customer acquired on the last day of a month is one period old on the next day.

    References
    ----------
    Fader, P. S. & Hardie, B. G. S. (2007). How to project customer retention. *Journal of
    Interactive Marketing* 21(1), 76-90.

    Examples
    --------
    Customers a and b start in January, c in February; on 30 March the March cells are not
    yet observable:

    >>> tx = pd.DataFrame({
    ...     "customer_id": ["a", "b", "a", "c", "b", "a"],
    ...     "order_date": ["2024-01-05", "2024-01-20", "2024-02-03", "2024-02-10",
    ...                    "2024-03-01", "2024-03-15"]})
    >>> retention_cohorts(tx, asof="2024-03-31").matrix
    age        0    1    2
    cohort
    2024-01  1.0  0.5  1.0
    2024-02  1.0  0.0  NaN
    >>> retention_cohorts(tx, asof="2024-03-30").matrix
    age        0    1
    cohort
    2024-01  1.0  0.5
    2024-02  1.0  NaN
    """
    frame = check_frame(data)
    check_option(period, _PERIODS, "period")
    check_option(definition, ("active", "alive"), "definition")
    check_option(lang, ("en", "zh"), "lang")
    if not (isinstance(ci, float) and 0.5 < ci < 1):
        raise ConfigError(
            f"ci must be an interval level between 0.5 and 1 (e.g. 0.95), got {ci!r}."
        )
    check_columns(frame, [customer, date])
    n_rows = len(frame)
    dates = check_dates(frame, date, date_format=date_format, dayfirst=dayfirst)
    ids, merged = normalise_ids(frame[customer], what=f"ids in {customer!r}")
    notes: list[str] = []
    if merged:
        notes.append(merged)
    miss_id = ids.isna().to_numpy()
    miss_date = dates.isna().to_numpy() & ~miss_id
    if miss_id.any():
        notes.append(
            f"{int(miss_id.sum())} rows without a {customer!r} were excluded "
            f"(rows {row_list(miss_id)})."
        )
    if miss_date.any():
        notes.append(
            f"{int(miss_date.sum())} rows without a {date!r} were excluded "
            f"(rows {row_list(miss_date)})."
        )
    ok = ~miss_id & ~miss_date
    if asof is None:
        if not ok.any():
            raise DataError(
                f"no transaction has both a {customer!r} and a {date!r}; fill those columns."
            )
        cut = pd.Timestamp(dates[ok].max()).normalize()
    else:
        cut = _asof(asof).normalize()
    day_end = cut + pd.Timedelta(days=1)
    late = ok & (dates >= day_end).to_numpy()
    if late.any():
        notes.append(
            f"{int(late.sum())} orders dated after asof={cut.date()} were excluded "
            f"(rows {row_list(late)})."
        )
    ok &= ~late
    if not ok.any():
        raise DataError(
            f"no transaction is dated on or before asof={cut.date()}; check asof= or {date!r}."
        )
    n_used = int(ok.sum())

    per = pd.PeriodIndex(dates[ok].to_numpy(), freq=period)
    ordinal = per.asi8
    cust_codes, _ = pd.factorize(ids[ok].to_numpy())
    # distinct (customer, period) pairs
    pairs = pd.DataFrame({"c": cust_codes, "p": ordinal}).drop_duplicates()
    first = pairs.groupby("c")["p"].transform("min").to_numpy()
    last_any = pairs.groupby("c")["p"].transform("max").to_numpy()
    pairs = pairs.assign(cohort=first, age=pairs["p"].to_numpy() - first, last=last_any)
    # the last period that has ended by asof (observable)
    cut_period = pd.Period(cut, freq=period)
    ended = cut_period.end_time < day_end  # the period of asof ends on asof itself
    last_obs = int(cut_period.ordinal) - (0 if ended else 1)
    per_cust = pairs.drop_duplicates("c")[["c", "cohort", "last"]]
    size = per_cust.groupby("cohort").size()
    cohorts_ord = np.asarray(size.index, dtype=np.int64)
    max_age = max(int(last_obs - cohorts_ord.min()), 0)
    ages = np.arange(max_age + 1)
    # active counts: distinct customers with an order in cohort + age
    act = pairs.groupby(["cohort", "age"]).size()
    active = act.unstack("age").reindex(index=cohorts_ord, columns=ages).fillna(0.0).to_numpy(float)
    # alive: customers whose last order period >= cohort + age (counts by last age, reversed cumsum)
    last_age = (per_cust["last"] - per_cust["cohort"]).clip(upper=max_age)
    alive_by_last = (
        pd.crosstab(per_cust["cohort"].to_numpy(), last_age.to_numpy())
        .reindex(index=cohorts_ord, columns=ages)
        .fillna(0)
        .to_numpy(float)
    )
    alive = np.cumsum(alive_by_last[:, ::-1], axis=1)[:, ::-1]
    observable = (cohorts_ord[:, None] + ages[None, :]) <= last_obs
    active = np.where(observable, active, np.nan)
    alive = np.where(observable, alive, np.nan)
    sizes = size.to_numpy(float)
    counted = active if definition == "active" else alive
    share = counted / sizes[:, None]

    labels = _labels(cohorts_ord, period)
    idx = pd.Index(labels, name="cohort")
    cols = pd.Index(ages, name="age")
    matrix = pd.DataFrame(share, index=idx, columns=cols)
    counts = pd.DataFrame(counted, index=idx, columns=cols)
    alive_df = pd.DataFrame(alive, index=idx, columns=cols)

    cell_ord = cohorts_ord[:, None] + ages[None, :]
    k, a = np.meshgrid(np.arange(len(cohorts_ord)), ages, indexing="ij")
    keep = (cell_ord <= int(cut_period.ordinal)).ravel()  # cells whose period has begun
    table = pd.DataFrame(
        {
            "cohort": np.asarray(labels, dtype=object)[k.ravel()],
            "age": a.ravel(),
            "period": _labels(cell_ord.ravel(), period),
            "size": sizes[k.ravel()].astype(int),
            "active": counted.ravel(),
            "retention": share.ravel(),
            "observable": observable.ravel(),
        }
    )
    table = table[keep].reset_index(drop=True)

    complete = cohorts_ord <= last_obs
    cohorts = pd.DataFrame(
        {
            "cohort": labels,
            "size": sizes.astype(int),
            "complete": complete,
            "ages": np.clip(last_obs - cohorts_ord + 1, 0, None).astype(int),
        }
    )
    # pooled curve over the cohorts observable at each age
    n_at = (observable * sizes[:, None]).sum(axis=0)
    act_at = np.nansum(counted, axis=0)
    n_coh = observable.sum(axis=0)
    has = n_at > 0
    r = np.where(has, act_at / np.where(has, n_at, 1.0), np.nan)
    se = np.sqrt(np.clip(r * (1 - r), 0, None) / np.where(has, n_at, 1.0))
    lo, hi = wilson_interval(r, n_at, ci)
    curve = pd.DataFrame(
        {
            "age": ages,
            "n_cohorts": n_coh.astype(int),
            "n": n_at.astype(int),
            "active": act_at,
            "retention": r,
            "se": se,
            "ci_low": lo,
            "ci_high": hi,
        }
    )[has].reset_index(drop=True)

    notes.append(
        f"Cells are observable when their {period} period ended by asof={cut.date()}; "
        "later cells are missing (NaN), never 0."
    )
    if (~complete).any():
        notes.append(
            f"{int((~complete).sum())} cohort(s) ({', '.join(np.asarray(labels)[~complete])}) "
            "were acquired in a period that had not ended by asof: listed with their size, "
            "no observable cell."
        )
    notes.append(
        f"The first cohort ({labels[0]}) may include customers acquired before the data begin."
    )
    if definition == "alive":
        notes.append(
            "definition='alive' counts customers whose last order is in the period or later; "
            "near asof it understates survival (later orders are not yet in the data)."
        )
    return RetentionResult(
        table,
        matrix=matrix,
        counts=counts,
        alive=alive_df,
        cohorts=cohorts,
        curve=curve,
        period=period,
        asof=cut,
        definition=definition,
        lang=lang,
        n_used=n_used,
        n_excluded=n_rows - n_used,
        notes=tuple(notes),
    )


# ---------------------------------------------------------------------------- sBG
def _survivor_matrix(X: Any) -> np.ndarray:
    """Survivors as a cohorts x ages float matrix (NaN after a cohort's last observed age)."""
    if isinstance(X, RetentionResult):
        arr = X.alive.to_numpy(dtype=float)
        arr = arr[~np.isnan(arr[:, 0])] if arr.size else arr
        what = "RetentionResult.alive"
    elif isinstance(X, pd.DataFrame):
        arr = X.to_numpy(dtype=float)
        what = "X"
    else:
        try:
            arr = np.asarray(X, dtype=float)
        except (TypeError, ValueError) as exc:
            raise DataError(
                f"SBG.fit needs survivor counts (numbers), a cohorts x ages table or a "
                f"RetentionResult; got {type(X).__name__}."
            ) from exc
        what = "X"
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2 or arr.shape[1] < 3:
        raise DataError(
            f"{what} must hold the survivors at the start of periods 0..T with T >= 2 (at "
            f"least 3 counts per cohort); got shape {np.shape(arr)}. Two parameters need two "
            "observed retention rates."
        )
    if np.isinf(arr).any():
        raise DataError(f"{what} holds infinite counts; pass finite survivor counts.")
    # NaN allowed only as a right-ragged tail (ages not yet observed)
    obs = ~np.isnan(arr)
    tail_ok = np.all(np.diff(obs.astype(int), axis=1) <= 0, axis=1)
    if not tail_ok.all() or not obs[:, 0].all():
        bad = np.flatnonzero(~tail_ok | ~obs[:, 0])
        raise DataError(
            f"{what}: missing counts are allowed only at the end of a cohort (ages not yet "
            f"observed); cohorts (rows) {bad[:5].tolist()} have gaps. Fill or drop them."
        )
    if (arr[obs] < 0).any():
        raise DataError(f"{what} holds negative counts; survivor counts must be >= 0.")
    if (arr[:, 0] <= 0).any():
        bad = np.flatnonzero(arr[:, 0] <= 0)
        raise DataError(
            f"{what}: the cohort size (age 0) must be positive; rows {bad[:5].tolist()} are not."
        )
    with np.errstate(invalid="ignore"):
        rises = np.nan_to_num(np.diff(arr, axis=1), nan=0.0) > 1e-9
    if rises.any():
        r, c = np.argwhere(rises)[0]
        raise DataError(
            f"{what}: survivors must not increase with age, but cohort (row) {r} goes from "
            f"{arr[r, c]:g} to {arr[r, c + 1]:g} at age {c + 1}. Pass counts of customers still "
            "alive (for a RetentionResult this is its .alive table, used automatically)."
        )
    if int(obs.sum(axis=1).max()) < 3:
        raise DataError(f"{what}: no cohort has 3 observed ages (T >= 2); the sBG needs them.")
    return arr


def _sbg_loglik(la: float, lb: float, arr: np.ndarray) -> float:
    """sBG log-likelihood of survivor counts (Fader & Hardie 2007, eq. 5, summed over cohorts)."""
    from scipy.special import betaln

    a, b = np.exp(la), np.exp(lb)
    T = arr.shape[1] - 1
    t = np.arange(1, T + 1)
    log_p = betaln(a + 1, b + t - 1) - betaln(a, b)  # P(T = t)
    log_s = betaln(a, b + np.arange(T + 1)) - betaln(a, b)  # S(t), t = 0..T
    lost = arr[:, :-1] - arr[:, 1:]  # churned in period t (NaN after the last observed age)
    last = np.sum(~np.isnan(arr), axis=1) - 1
    surv_end = arr[np.arange(arr.shape[0]), last]
    ll = np.nansum(lost * log_p[None, :]) + float(np.sum(surv_end * log_s[last]))
    return float(ll)


class SBG(BaseEstimator):
    """Shifted-beta-geometric model of contract duration (Fader & Hardie 2007).

    Each customer churns at the end of every period with a constant probability ``theta``;
    ``theta`` varies across customers as ``Beta(alpha, beta)``. The duration ``T`` (the period
    in which a customer churns) then has

    ``P(T = t) = B(alpha + 1, beta + t - 1) / B(alpha, beta)``, ``t = 1, 2, ...``

    ``S(t) = P(T > t) = B(alpha, beta + t) / B(alpha, beta)``

    and the retention rate from period ``t - 1`` to ``t`` rises with ``t`` (the sorting effect):
    ``r_t = S(t) / S(t - 1) = (beta + t - 1) / (alpha + beta + t - 1)``.

    The parameters are estimated by maximum likelihood on the log scale (Nelder-Mead, then
    BFGS). Standard errors come from the inverse of the numerical Hessian of the
    log-likelihood in ``(log alpha, log beta)``; projections carry delta-method standard errors
    (see :meth:`project`).

    Attributes
    ----------
    alpha_, beta_ : float
        Maximum-likelihood estimates.
    params_ : dict
        ``{"alpha": ..., "beta": ...}``.
    standard_errors_ : dict
        Delta-method standard errors of ``alpha`` and ``beta``.
    cov_log_ : ndarray of shape (2, 2)
        Covariance of ``(log alpha, log beta)``.
    log_likelihood_ : float
        Maximised log-likelihood.
    n_customers_ : float
        Customers in the fit (sum of the cohort sizes).
    n_periods_ : int
        The longest observed horizon ``T``.
    converged_ : bool
        Whether the optimiser reached a point with a near-zero gradient.

    Notes
    -----
    The model is for *contractual* settings, where churn is observed. Fitted to
    :attr:`RetentionResult.alive` (customers whose last order is at or after a period) it
    treats the last order as the end of the relationship, which understates survival near the
    cut-off.

    References
    ----------
    Fader, P. S. & Hardie, B. G. S. (2007). How to project customer retention. *Journal of
    Interactive Marketing* 21(1), 76-90.

    Examples
    --------
    The "high end" cohort of Fader & Hardie (2007), years 0-7:

    >>> m = SBG().fit([1000, 869, 743, 653, 593, 551, 517, 491])
    >>> round(m.alpha_, 3), round(m.beta_, 3)
    (0.668, 3.806)
    >>> m.predict_survival([8, 12]).round(3)
    array([0.46 , 0.378])
    """

    def fit(self, X: Any, y: Any = None) -> SBG:
        """Fit by maximum likelihood.

        Parameters
        ----------
        X : array-like, DataFrame or RetentionResult
            Survivors at the start of periods 0..T (1-d: one cohort; the first value is the
            cohort size), a cohorts x ages table with NaN after each cohort's last observed age
            (several cohorts: their log-likelihoods add), or a :class:`RetentionResult` (its
            ``alive`` table; cohorts with no observable cell are dropped).
        y : ignored
            Present for scikit-learn compatibility.

        Returns
        -------
        SBG
            The fitted model.

        Raises
        ------
        DataError
            Fewer than 3 counts (T < 2), negative or rising counts, a non-positive cohort
            size, gaps inside a cohort.
        """
        from scipy import optimize

        arr = _survivor_matrix(X)
        n = float(arr[:, 0].sum())

        def obj(lp: np.ndarray) -> float:
            v = -_sbg_loglik(float(lp[0]), float(lp[1]), arr) / n
            return v if np.isfinite(v) else 1e300

        res = optimize.minimize(
            obj, np.zeros(2), method="Nelder-Mead", options={"xatol": 1e-9, "fatol": 1e-12}
        )
        res2 = optimize.minimize(obj, res.x, method="BFGS", options={"gtol": 1e-10})
        if res2.fun <= res.fun:
            res = res2
        x = res.x
        h = 1e-5
        grad = np.array([(obj(x + h * e) - obj(x - h * e)) / (2 * h) for e in np.eye(2)])
        self.converged_ = bool(np.max(np.abs(grad)) < 1e-5 and np.all(np.abs(x) < 23))
        H = numerical_hessian(lambda lp: -_sbg_loglik(float(lp[0]), float(lp[1]), arr), x)
        try:
            cov = np.linalg.inv(H)
        except np.linalg.LinAlgError:
            cov = np.full((2, 2), np.nan)
        if not np.all(np.isfinite(cov)) or np.any(np.diag(cov) <= 0):
            cov = np.full((2, 2), np.nan)
            self.converged_ = False
        if not self.converged_:
            warnings.warn(
                "SBG: the fit did not converge or the information matrix is singular (the "
                "counts do not identify alpha and beta, e.g. no churn at all); estimates and "
                "standard errors are not reliable.",
                NeedlabWarning,
                stacklevel=2,
            )
        a, b = float(np.exp(x[0])), float(np.exp(x[1]))
        self.alpha_, self.beta_ = a, b
        self.params_ = {"alpha": a, "beta": b}
        se = np.exp(x) * np.sqrt(np.diag(cov))
        self.standard_errors_ = {"alpha": float(se[0]), "beta": float(se[1])}
        self.cov_log_ = cov
        self.log_likelihood_ = _sbg_loglik(float(x[0]), float(x[1]), arr)
        self.n_customers_ = n
        self.n_periods_ = int(np.sum(~np.isnan(arr), axis=1).max() - 1)
        return self

    def _check(self) -> None:
        from needlab.segment.fitting import check_fitted

        check_fitted(self, "alpha_")

    @staticmethod
    def _times(t: Any, minimum: int) -> np.ndarray:
        arr = np.atleast_1d(np.asarray(t, dtype=float))
        if not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr)) or np.any(arr < minimum):
            raise ConfigError(f"t must hold whole numbers >= {minimum} (periods), got {t!r}.")
        return arr

    def predict_survival(self, t: Any) -> np.ndarray:
        """``S(t) = B(alpha, beta + t) / B(alpha, beta)``: share still a customer after ``t``
        periods (``t`` >= 0 whole numbers)."""
        from scipy.special import betaln

        self._check()
        tt = self._times(t, 0)
        return np.asarray(
            np.exp(betaln(self.alpha_, self.beta_ + tt) - betaln(self.alpha_, self.beta_))
        )

    def predict_retention(self, t: Any) -> np.ndarray:
        """``r_t = (beta + t - 1) / (alpha + beta + t - 1)``: share of the customers alive at
        ``t - 1`` who renew for period ``t`` (``t`` >= 1 whole numbers)."""
        self._check()
        tt = self._times(t, 1)
        return np.asarray((self.beta_ + tt - 1) / (self.alpha_ + self.beta_ + tt - 1))

    def project(self, t: Any, *, ci: float = 0.95) -> pd.DataFrame:
        """Projected survival and retention with delta-method standard errors.

        With ``g`` the gradient of ``log S(t)`` in ``(log alpha, log beta)``,
        ``d log S / d log alpha = alpha (psi(alpha + beta) - psi(alpha + beta + t))`` and
        ``d log S / d log beta = beta (psi(beta + t) - psi(alpha + beta + t) - psi(beta) +
        psi(alpha + beta))``, ``se(S) = S sqrt(g' V g)`` (V = :attr:`cov_log_`). The interval is
        computed on the logit scale (``se_logit = se(log S) / (1 - S)``) so it stays in (0, 1).
        The retention rate likewise: ``d r / d log alpha = -alpha (beta + t - 1) / (alpha +
        beta + t - 1)^2``, ``d r / d log beta = alpha beta / (alpha + beta + t - 1)^2``. The
        errors reflect parameter uncertainty only (not the binomial noise of a future cohort).

        Parameters
        ----------
        t : int or array of int
            Periods (>= 1).
        ci : float, default 0.95
            Interval level.

        Returns
        -------
        DataFrame
            ``t``, ``survival``, ``survival_se``, ``survival_ci_low``, ``survival_ci_high``,
            ``retention``, ``retention_se``, ``retention_ci_low``, ``retention_ci_high``.
        """
        from scipy.special import digamma

        self._check()
        if not (isinstance(ci, float) and 0.5 < ci < 1):
            raise ConfigError(f"ci must be an interval level between 0.5 and 1, got {ci!r}.")
        tt = self._times(t, 1)
        a, b = self.alpha_, self.beta_
        z = z_value(ci)
        S = self.predict_survival(tt)
        g = np.stack(
            [
                a * (digamma(a + b) - digamma(a + b + tt)),
                b * (digamma(b + tt) - digamma(a + b + tt) - digamma(b) + digamma(a + b)),
            ],
            axis=1,
        )
        V = self.cov_log_
        se_log = np.sqrt(np.einsum("ij,jk,ik->i", g, V, g))
        se_s = S * se_log
        logit = np.log(S / (1 - S))
        se_logit = se_log / (1 - S)
        s_lo = 1 / (1 + np.exp(-(logit - z * se_logit)))
        s_hi = 1 / (1 + np.exp(-(logit + z * se_logit)))
        r = self.predict_retention(tt)
        d = (a + b + tt - 1) ** 2
        gr = np.stack([-a * (b + tt - 1) / d, a * b / d], axis=1)
        se_r = np.sqrt(np.einsum("ij,jk,ik->i", gr, V, gr))
        rl = np.log(r / (1 - r))
        se_rl = se_r / (r * (1 - r))
        return pd.DataFrame(
            {
                "t": tt.astype(int),
                "survival": S,
                "survival_se": se_s,
                "survival_ci_low": s_lo,
                "survival_ci_high": s_hi,
                "retention": r,
                "retention_se": se_r,
                "retention_ci_low": 1 / (1 + np.exp(-(rl - z * se_rl))),
                "retention_ci_high": 1 / (1 + np.exp(-(rl + z * se_rl))),
            }
        )
