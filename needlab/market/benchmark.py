"""Benchmark the own KPIs against their history, the industry average and named competitors.

References
----------
Camp, R. C. (1989). *Benchmarking: The Search for Industry Best Practices that Lead to Superior
Performance*. Milwaukee: ASQC Quality Press.

The z test of a difference of two independent estimates, ``z = (a - b) / sqrt(se_a^2 +
se_b^2)``: e.g. Agresti, A., & Finlay, B. (2009). *Statistical Methods for the Social Sciences*
(4th ed.), section 7.1. Pearson.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from needlab._result import Result
from needlab._types import Lang
from needlab._validate import (
    check_alpha,
    check_columns,
    check_frame,
    check_numeric,
    check_option,
    preview,
)
from needlab.errors import ConfigError, DataError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["BenchmarkResult", "benchmark"]

_REFS = {"history": 0, "industry": 1, "competitor": 2}
_COLUMNS = [
    "kpi",
    "reference",
    "against",
    "period",
    "own",
    "benchmark",
    "gap",
    "se_gap",
    "z",
    "p",
    "significant",
    "tested",
]


@dataclass(frozen=True, repr=False)
class BenchmarkResult(Result):
    """Result of :func:`benchmark`.

    Attributes
    ----------
    table : DataFrame
        One row per KPI and reference: ``kpi``, ``reference`` (``"history"``, ``"industry"``
        or ``"competitor"``), ``against`` (the earlier period, ``"industry average"`` or the
        competitor's name), ``period`` (of the benchmark value), ``own`` (the own current
        value), ``benchmark``, ``gap`` (own - benchmark), ``se_gap``, ``z``, ``p`` (two-sided),
        ``significant`` (``p < alpha``) and ``tested`` (False where no standard error is known:
        then ``se_gap``, ``z`` and ``p`` are NaN and ``significant`` False, as a note says).
    current : DataFrame
        The own current value per KPI: ``kpi``, ``period``, ``value``, ``se``.
    alpha : float
    lang : {"en", "zh"}
    n_used, n_excluded : int
        Rows of own KPI values used / left out (missing value).
    """

    current: pd.DataFrame | None = None
    alpha: float = 0.05
    lang: str = "en"

    @property
    def title(self) -> str:  # type: ignore[override]
        return "Benchmark" if self.lang != "zh" else "对标"

    def summary(self) -> dict[str, Any]:
        """KPIs compared, comparisons, tested comparisons and significant gaps (ahead/behind)."""
        t = self.table
        sig = t[t["significant"]]
        return {
            "kpis": int(t["kpi"].nunique()),
            "comparisons": len(t),
            "tested": int(t["tested"].sum()),
            "significantly ahead": int((sig["gap"] > 0).sum()),
            "significantly behind": int((sig["gap"] < 0).sum()),
        }

    def tables(self) -> dict[str, pd.DataFrame]:
        out = {"benchmark": self.table}
        if self.current is not None:
            out["current"] = self.current
        return out

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Gap chart: own - benchmark per KPI and reference, with intervals where tested. See
        :func:`needlab.market.plot_benchmark.benchmark_plot`."""
        from needlab.market.plot_benchmark import benchmark_plot

        return benchmark_plot(self, ax=ax, **kwargs)


def _own_frame(
    data: Any, kpi: Hashable, var: Hashable, se: Hashable | None, period: Hashable | None
) -> tuple[pd.DataFrame, str]:
    """Own values as a frame kpi, period, value, se (se NaN when unknown)."""
    from needlab.plan.measure import KpiResult
    from needlab.plan.monitor import MonitorResult

    if isinstance(data, MonitorResult):
        t = data.table
        if data.by is not None:
            raise ConfigError("benchmark() needs a monitor computed without by=.")
        return (
            pd.DataFrame(
                {
                    "kpi": t["kpi"].astype(str),
                    "period": t["wave"].astype(str),
                    "value": t["value"].astype(float),
                    "se": t["se"].astype(float),
                    "_order": np.arange(len(t)),
                }
            ),
            "waves",
        )
    if isinstance(data, KpiResult):
        t = data.table
        if data.by is not None:
            raise ConfigError("benchmark() needs a KPI computed without by=.")
        return (
            pd.DataFrame(
                {
                    "kpi": t["kpi"].astype(str),
                    "period": "",
                    "value": t["value"].astype(float),
                    "se": t["se"].astype(float),
                    "_order": 0,
                }
            ),
            "kpi",
        )
    frame = check_frame(data)
    cols = [kpi, var] + ([se] if se is not None else []) + ([period] if period is not None else [])
    check_columns(frame, cols)
    out = pd.DataFrame(
        {
            "kpi": frame[kpi].astype(str).str.strip().to_numpy(),
            "period": "" if period is None else frame[period].astype(str).to_numpy(),
            "value": check_numeric(frame, var).to_numpy(),
            "se": np.nan if se is None else check_numeric(frame, se).to_numpy(),
            "_order": 0,
        }
    )
    if se is not None and (out["se"] < 0).any():
        bad = out["se"] < 0
        raise DataError(f"column {se!r} has negative standard errors: {preview(out['se'][bad])}.")
    return out, "table"


def benchmark(
    data: Any,
    *,
    against: pd.DataFrame,
    kpi: Hashable = "kpi",
    var: Hashable = "value",
    se: Hashable | None = None,
    brand: Hashable = "brand",
    own: str | None = None,
    period: Hashable | None = None,
    alpha: float = 0.05,
    lang: Lang = "en",
) -> BenchmarkResult:
    """Own KPI values against history, the industry average and named competitors.

    **Own values** (*data*): a table with a KPI-name column *kpi*, a value column *var* and
    optionally a standard-error column *se* and a period column *period* (then the latest period
    per KPI is the current value and the earlier ones are its history; periods sort naturally,
    ``2023H2`` before ``2024H1``); or a ``KpiResult`` (:func:`needlab.kpi`, no ``by``) or a
    ``MonitorResult`` (:func:`needlab.monitor`: the last wave is current, earlier waves are
    history), both with their standard errors.

    **Benchmarks** (*against*): a long table like ``competitors.csv`` (``brand``, ``period``,
    ``kpi``, ``value``, optionally ``se``). KPI names are matched exactly (case and spaces
    ignored). For each own KPI the comparison period is the own current period when *against*
    has it, else the latest period in *against* for that KPI (a note says so). Rows of the own
    brand (``own=``) are not competitors: they are added to the history (earlier periods not
    already in *data*). The **industry average** is the unweighted mean over the competitors in
    that period (its SE ``sqrt(sum se_i^2) / k`` when every competitor has one).

    **Gap and test**: ``gap = own - benchmark``; where both standard errors are known (a
    benchmark without an ``se`` column is taken as exact, SE 0, only when the own SE is known)
    ``z = gap / sqrt(se_own^2 + se_benchmark^2)`` (independent samples; successive waves that
    share panel members are treated as independent, which is conservative when they correlate
    positively) and ``p = 2 (1 - Phi(|z|))``. Without an own SE nothing is tested.

    Parameters
    ----------
    data : DataFrame, KpiResult or MonitorResult
        The own KPI values.
    against : DataFrame
        The competitor table.
    kpi, var, se, period : str
        Columns of *data* (KPI name, value, standard error, period); *kpi*, *var* and ``period``
        are also the column names in *against* (its period column is ``"period"`` when
        *period* is None).
    brand : str, default "brand"
        Brand column of *against*.
    own : str, optional
        The own brand's label in *against*.
    alpha : float, default 0.05
        Significance threshold.
    lang : {"en", "zh"}

    Returns
    -------
    BenchmarkResult

    Raises
    ------
    SchemaError
        A missing column in *data* or *against*.
    DataError
        Non-numeric values, negative SEs, an own KPI listed twice in one period, or no own KPI in
        *against*.
    ConfigError
        Invalid ``alpha``, ``lang``, ``own`` not in *against*, or a result computed with ``by``.

    Examples
    --------
    >>> own = pd.DataFrame({"kpi": ["csat"], "value": [75.0], "se": [1.0]})
    >>> comp = pd.DataFrame({"brand": ["A", "B"], "period": ["2024H2"] * 2,
    ...                      "kpi": ["csat", "csat"], "value": [70.0, 78.0]})
    >>> res = benchmark(own, against=comp, se="se")
    >>> res.table[["against", "benchmark", "gap", "z"]]
                against  benchmark  gap    z
    0  industry average       74.0  1.0  1.0
    1                 A       70.0  5.0  5.0
    2                 B       78.0 -3.0 -3.0
    """
    from scipy.stats import norm

    check_option(lang, ("en", "zh"), "lang")
    alpha = check_alpha(alpha)
    own_df, source = _own_frame(data, kpi, var, se, period)
    n_given = len(own_df)
    miss = own_df["value"].isna().to_numpy()
    notes: list[str] = []
    if miss.any():
        notes.append(f"{int(miss.sum())} of {n_given} own KPI rows excluded: missing value.")
    own_df = own_df[~miss].reset_index(drop=True)
    if own_df.empty:
        raise DataError("no own KPI has a value; nothing to benchmark.")
    own_df["kpi_key"] = own_df["kpi"].str.strip().str.casefold()
    dup = own_df.duplicated(["kpi_key", "period"], keep=False)
    if dup.any():
        raise DataError(
            f"own KPIs listed twice in one period: {preview(own_df.loc[dup, 'kpi'])}; keep one "
            "row per KPI and period."
        )
    pcol = period if period is not None else "period"
    comp = check_frame(against, name="against")
    check_columns(comp, [brand, pcol, kpi, var], what="against column")
    cmp = pd.DataFrame(
        {
            "brand": comp[brand].astype(str).str.strip().to_numpy(),
            "period": comp[pcol].astype(str).str.strip().to_numpy(),
            "kpi_key": comp[kpi].astype(str).str.strip().str.casefold().to_numpy(),
            "value": check_numeric(comp, var).to_numpy(),
            "se": check_numeric(comp, "se").to_numpy() if "se" in comp.columns else np.nan,
        }
    ).dropna(subset=["value"])
    if own is not None and not (cmp["brand"] == own).any():
        raise ConfigError(
            f"own={own!r} is not a brand of against[{brand!r}]: {preview(cmp['brand'].unique())}."
        )
    own_rows = cmp[cmp["brand"] == own] if own is not None else cmp.iloc[0:0]
    cmp = cmp[cmp["brand"] != own] if own is not None else cmp

    def order_key(p: pd.Series) -> pd.Series:
        return p.map(_natural_key)

    rows: list[dict[str, Any]] = []
    current_rows = []
    untested = 0
    unmatched: list[str] = []
    fallback: list[str] = []
    for key, g in own_df.groupby("kpi_key", sort=False):  # a few KPIs
        if source == "waves":
            g = g.sort_values("_order")
        elif period is not None:
            g = g.iloc[np.argsort(order_key(g["period"]).to_numpy(), kind="stable")]
        cur = g.iloc[-1]
        name = str(cur["kpi"])
        current_rows.append(
            {"kpi": name, "period": cur["period"], "value": cur["value"], "se": cur["se"]}
        )
        hist = g.iloc[:-1][["period", "value", "se"]]
        extra = own_rows[(own_rows["kpi_key"] == key) & ~own_rows["period"].isin(g["period"])]
        if len(extra):
            if source == "waves" or period is None:
                hist = pd.concat([extra[["period", "value", "se"]], hist], ignore_index=True)
            else:
                earlier = order_key(extra["period"]) < order_key(pd.Series([cur["period"]])).iloc[0]
                hist = pd.concat([extra.loc[earlier.to_numpy(), ["period", "value", "se"]], hist])
        for _, h in hist.iterrows():
            rows.append(
                _row(name, "history", str(h["period"]), h["period"], cur, h["value"], h["se"])
            )
        c = cmp[cmp["kpi_key"] == key]
        if c.empty:
            unmatched.append(name)
            continue
        if str(cur["period"]) in set(c["period"]):
            per = str(cur["period"])
        else:
            per = str(c["period"].iloc[np.argsort(order_key(c["period"]).to_numpy())[-1]])
            fallback.append(f"{name} -> {per}")
        cp = c[c["period"] == per]
        k = len(cp)
        se_ind = float(np.sqrt(np.sum(cp["se"] ** 2)) / k) if cp["se"].notna().all() else np.nan
        rows.append(
            _row(name, "industry", "industry average", per, cur, float(cp["value"].mean()), se_ind)
        )
        for _, b in cp.iterrows():
            rows.append(_row(name, "competitor", str(b["brand"]), per, cur, b["value"], b["se"]))
    if unmatched and len(unmatched) == own_df["kpi_key"].nunique() and not rows:
        raise DataError(
            f"none of the own KPIs {preview(unmatched)} is in against[{kpi!r}] "
            f"({preview(cmp['kpi_key'].unique())}) and there is no history; rename the KPIs to "
            "match."
        )
    if unmatched:
        notes.append(f"KPIs without benchmarks in against: {preview(unmatched)}.")
    if fallback:
        notes.append(
            "own period not in against; compared with the latest benchmark period: "
            + "; ".join(fallback[:5])
            + "."
        )
    table = pd.DataFrame(rows, columns=[*_COLUMNS[:7], "_se_own", "_se_b"])
    se_own = table["_se_own"].to_numpy(float)
    se_b = table["_se_b"].to_numpy(float)
    se_b = np.where(np.isnan(se_b) & ~np.isnan(se_own), 0.0, se_b)  # benchmark taken as exact
    se_gap = np.sqrt(se_own**2 + se_b**2)
    tested = np.isfinite(se_gap) & (se_gap > 0)
    gap = table["gap"].to_numpy(float)
    z = np.where(tested, gap / np.where(tested, se_gap, 1.0), np.nan)
    p = np.where(tested, 2 * norm.sf(np.abs(np.nan_to_num(z))), np.nan)
    table = table.drop(columns=["_se_own", "_se_b"])
    table["se_gap"] = np.where(tested, se_gap, np.nan)
    table["z"] = z
    table["p"] = p
    table["significant"] = tested & (np.nan_to_num(p, nan=1.0) < alpha)
    table["tested"] = tested
    untested = int((~tested).sum())
    if untested:
        notes.append(
            f"{untested} of {len(table)} gaps not tested (no standard error of the own value): "
            "se_gap, z and p are empty and significant is False."
        )
    if not len(table):
        raise DataError("no comparison could be made: no history and no matching benchmark.")
    table["_r"] = table["reference"].map(_REFS)
    table["_k"] = pd.Categorical(table["kpi"], categories=list(dict.fromkeys(table["kpi"])))
    table = table.sort_values(["_k", "_r"], kind="stable").drop(columns=["_r", "_k"])
    return BenchmarkResult(
        table.reset_index(drop=True),
        current=pd.DataFrame(current_rows),
        alpha=alpha,
        lang=lang,
        n_used=len(own_df),
        n_excluded=int(miss.sum()),
        notes=tuple(notes),
    )


def _natural_key(v: Any) -> tuple[tuple[int, Any], ...]:
    """Sort key reading digit runs as numbers: ``wave 2`` before ``wave 10``."""
    return tuple((0, int(t)) if t.isdigit() else (1, t) for t in re.split(r"(\d+)", str(v)) if t)


def _row(
    name: str, ref: str, against: str, per: Any, cur: pd.Series, value: Any, se_b: Any
) -> dict[str, Any]:
    return {
        "kpi": name,
        "reference": ref,
        "against": against,
        "period": str(per),
        "own": float(cur["value"]),
        "benchmark": float(value),
        "gap": float(cur["value"]) - float(value),
        "_se_own": float(cur["se"]),
        "_se_b": float(se_b),
    }
