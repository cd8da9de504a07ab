"""Measure a KPI of the vocabulary (:mod:`needlab.plan.kpis`) on data: one value per group with
its standard error, interval and base.

**Survey KPIs: one mechanism.** Every survey KPI is the weighted mean of a per-respondent score
``s`` (:func:`kpi_scores`):

==================  =====================================================================
family              score of a respondent
==================  =====================================================================
``top2:<item>``     ``100 * 1{answer >= highest - 1}`` (the top two codes of the scale)
``bottom2:<item>``  ``100 * 1{answer <= lowest + 1}``
``csat[:item]``     top-2 of *item* (default ``overall_sat``, see below): % satisfied
``csat_mean[:i]``   the answer
``mean:<item>``     the answer
``nps[:item]``      ``+100`` promoter (9-10), ``0`` passive (7-8), ``-100`` detractor (0-6);
                    default item ``ltr`` (0-10)
==================  =====================================================================

The value is ``m = sum(w s) / sum(w)`` and its standard error is computed on Kish's (1965)
effective base ``n_eff = (sum w)^2 / sum w^2``:

- %-KPIs and the NPS (scores 0/100 or -100/0/100): ``SE = sqrt(v / n_eff)`` with the weighted
  population variance ``v = sum w (s - m)^2 / sum w``. For a proportion ``p`` (in %) this is
  the binomial ``sqrt(p (100 - p) / n_eff)``; for the NPS it is the classical
  ``100 sqrt((p+ + p- - (p+ - p-)^2) / n_eff)`` with the promoter and detractor shares ``p+``,
  ``p-`` (e.g. Rocks 2016). The interval of a % KPI is Wilson's (1927) score interval on
  ``n_eff``; the NPS interval is ``m -+ z SE`` clipped to [-100, 100].
- means: ``SE = sd / sqrt(n_eff)`` with the weighted sample variance ``sum w (s - m)^2 /
  (V1 - V2 / V1)`` (``V1 = sum w``, ``V2 = sum w^2``: Bessel's ``n - 1`` when the weights are
  equal), and the normal interval ``m -+ z SE``. These are the variances that
  :func:`needlab.plan.change.compare_waves` uses.

The **scale** of an item (for top-2 and bottom-2 box) comes, in this order, from ``scale=(lo,
hi)``, a Survey's codebook (the lowest and highest non-missing value code, else its ``range``),
or the answers observed (with a note). The codebook's missing codes (e.g. 99 "don't know"), or
those of ``missing=``, are read as missing. Without a codebook, ``scale=`` or ``missing=``, the
codes 97, 98, 99, 997, 998 and 999 are read as "don't know" codes when the other answers are
whole numbers no higher than 10 (a rating scale): they lie far above the scale and would
otherwise be counted as top box; a note says so. The CSAT item is the codebook column whose
entry has ``role: overall_sat`` when there is one, else the column ``overall_sat``.

Respondents without an answer (or with a missing code, or a zero weight) are excluded and counted
(``n_excluded``, with a note per reason). A group with no respondents gives a row with a missing
value and the note "not measurable: no respondents"; a group of one respondent has no standard
error (noted).

**Transaction KPIs** (``data`` = transactions, one row per order, with ``customer=``, ``date=``;
``period=`` the window length such as ``"6M"``, ``asof=`` the end of the last window, default
the last transaction date). Dates are whole days. The current window is ``(asof - period,
asof]``, the base window the one before it, ``(asof - 2 period, asof - period]``.

- ``retention_rate``: of the customers with at least one order in the base window, the % with at
  least one order in the current window;
- ``churn_rate``: ``100 - retention_rate`` (same customers, same SE);
- ``repeat_rate``: of the customers with at least one order in the current window, the % with at
  least two orders in it (orders are rows, or distinct values of ``order=``).

Their SE is binomial, ``sqrt(p (100 - p) / n)`` on the ``n`` customers of the base, with a
Wilson interval; transactions carry no survey weights. With ``by=`` a customer belongs to the
group of their first order in the base window (repeat rate: in the current window).

**Complaint rate** (``data`` = feedback, or a :class:`~needlab.painpoints.coding.CodingResult`):
the % of feedback texts that carry the pain code (``complaint_rate:<code>``; a parent code counts
its children) or any pain code (``complaint_rate``). Codes come from the column ``code=`` (one
code or several separated by ``;``, ``,`` or ``|``, or a list; empty means no code) or, when the
frame has no such column, from :func:`needlab.code_text` on the column ``text=``. With
``base="customers"`` it is the % of customers (with feedback in the window) who sent at least
one such text. Weighted by ``weights=`` (feedback row weights) with the survey formulas above;
binomial otherwise. ``period=``/``asof=`` restrict the texts to the window ``(asof - period,
asof]`` (``asof`` alone: every text up to it).

**Share** (``data`` = competitors-style rows ``brand, period, kpi, value``): the published value
of the rows whose ``kpi`` is ``share`` for the brand (``share:<brand>``, matched exactly, then
case-insensitively, then as the first word; ``share`` alone: the first brand listed, named in a
note) in ``period=`` (default the latest period). The value is read, not estimated: it has **no
standard error** (``se``, ``ci_low``, ``ci_high`` are missing, and a note says so).

**Service times** (``first_response_time``, ``resolution_time``, ``response_within:<h>``,
``within_standard:<h>``) are measured by :func:`needlab.plan.service.service_times`
(Kaplan-Meier with open tickets right-censored); :func:`kpi` passes its options through.

References
----------
Kish, L. (1965). *Survey Sampling*. Wiley (effective sample size, section 11.7).
Rocks, B. (2016). Interval estimation for the "net promoter score". *The American Statistician*,
70(4), 365-372.
Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
*JASA*, 22(158), 209-212.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, cast

import numpy as np
import pandas as pd

from needlab._result import Result
from needlab._stats import (
    codes_of,
    grouped_sum,
    kish_base,
    weighted_mean_se,
    wilson_interval,
    z_value,
)
from needlab._types import Lang, TextLang, Weights
from needlab._validate import (
    as_design,
    check_columns,
    check_dates,
    check_numeric,
    check_option,
    check_unique,
    check_weights,
    normalise_ids,
    preview,
    row_list,
)
from needlab.errors import ConfigError, DataError, SchemaError
from needlab.plan.kpis import KpiName, parse_kpi

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["KpiResult", "kpi", "kpi_scores"]

SURVEY_FAMILIES = frozenset({"csat", "csat_mean", "nps", "top2", "bottom2", "mean"})
TRANSACTION_FAMILIES = frozenset({"retention_rate", "repeat_rate", "churn_rate"})
SERVICE_FAMILIES = frozenset(
    {"first_response_time", "resolution_time", "response_within", "within_standard"}
)
DEFAULT_CSAT_ITEM = "overall_sat"
DEFAULT_NPS_ITEM = "ltr"
_SENTINELS = (97.0, 98.0, 99.0, 997.0, 998.0, 999.0)
_TABLE_COLUMNS = ("value", "se", "ci_low", "ci_high", "n", "n_eff", "unit")
_NO_RESPONDENTS = "not measurable: no respondents"

Base = Literal["texts", "customers"]


@dataclass(frozen=True, repr=False)
class KpiResult(Result):
    """Result of :func:`kpi`: a KPI's value per group with its standard error and interval.

    Attributes
    ----------
    table : DataFrame
        One row per group (one row without ``by``): ``kpi`` (the canonical name), the ``by``
        column, ``value``, ``se``, ``ci_low``, ``ci_high``, ``n`` (respondents, texts or
        customers in the base), ``n_eff`` (Kish effective base; ``n`` when unweighted) and
        ``unit`` (``%``, ``points`` or ``hours``). Missing values are explained in ``notes``
        (a group with no respondents, a share read without a standard error).
    kpi : str
        The canonical KPI name.
    by : hashable
        The group column (None without groups).
    ci : float
        Confidence level of the intervals.
    lang : {"en", "zh"}
        Language of the title, the label and the plot.
    unit : str
        The KPI's unit.
    scores : DataFrame or None
        For survey KPIs, the per-respondent scores (as :func:`kpi_scores` returns them, with the
        ``by`` column when given); None for the other families.
    n_used, n_excluded : int
        Input rows (respondents, transactions, feedback texts, competitor rows or tickets) used
        and left out; every exclusion has a note.
    """

    kpi: str = ""
    by: Hashable = None
    ci: float = 0.95
    lang: str = "en"
    unit: str = ""
    scores: pd.DataFrame | None = field(default=None, compare=False)

    @property
    def label(self) -> str:
        """The KPI's label in :attr:`lang`."""
        return parse_kpi(self.kpi).label(cast(Lang, self.lang))

    @property
    def title(self) -> str:  # type: ignore[override]
        return f"KPI: {self.label}" if self.lang != "zh" else f"指标：{self.label}"

    def summary(self) -> dict[str, Any]:
        """The KPI, its label and unit; the value, SE, interval and base without groups, the
        number of groups (and of measurable groups) with them."""
        out: dict[str, Any] = {"kpi": self.kpi, "label": self.label, "unit": self.unit}
        t = self.table
        if self.by is None and len(t) == 1:
            row = t.iloc[0]
            for k in ("value", "se", "ci_low", "ci_high", "n", "n_eff"):
                out[k] = float(row[k])
        else:
            out["groups"] = len(t)
            out["measurable groups"] = int(t["value"].notna().sum())
        return out

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """The value with its interval per group (see
        :func:`needlab.plan.plot_measure.kpi_plot`)."""
        from needlab.plan.plot_measure import kpi_plot

        return kpi_plot(self, ax=ax, **kwargs)


# --------------------------------------------------------------------------- survey scores
@dataclass
class _Scores:
    frame: pd.DataFrame
    score: np.ndarray  # NaN where excluded
    weight: np.ndarray
    ids: np.ndarray | None
    kind: str  # "proportion", "nps", "mean"
    n_excluded: int
    notes: list[str]
    codebook: Any


def _similar(frame: pd.DataFrame, item: str) -> list[str]:
    names = [str(c) for c in frame.columns]
    close = difflib.get_close_matches(item, names, n=5, cutoff=0.5)
    stem = item.split("_")[0]
    close += [n for n in names if stem and n.startswith(stem + "_") and n not in close]
    return close[:8]


def _missing_item(frame: pd.DataFrame, kname: KpiName, item: str) -> SchemaError:
    close = _similar(frame, item)
    hint = (
        f" Similar columns: {preview(close, 8)}; write e.g. '{kname.family}:{close[0]}'."
        if close
        else f" Available columns: {preview([str(c) for c in frame.columns], 12)}."
    )
    return SchemaError(
        f"KPI {kname.name!r} needs the column {item!r}, not found in the data.{hint}"
    )


def _item(kname: KpiName, frame: pd.DataFrame, codebook: Any) -> str:
    if kname.argument is not None:
        return kname.argument
    if kname.family == "nps":
        return DEFAULT_NPS_ITEM
    if codebook is not None:
        roles = [c.name for c in codebook if c.meta.get("role") == DEFAULT_CSAT_ITEM]
        if len(roles) == 1:
            return str(roles[0])
    return DEFAULT_CSAT_ITEM


def _check_scale(scale: Any) -> tuple[float, float]:
    ok = (
        isinstance(scale, (tuple, list))
        and len(scale) == 2
        and all(isinstance(v, (int, float, np.integer, np.floating)) for v in scale)
        and not any(isinstance(v, bool) for v in scale)
        and np.isfinite(np.asarray(scale, dtype=float)).all()
        and float(scale[0]) < float(scale[1])
    )
    if not ok:
        raise ConfigError(
            f"scale must be a pair (lowest, highest) of numbers with lowest < highest, e.g. "
            f"scale=(1, 5); got {scale!r}."
        )
    return float(scale[0]), float(scale[1])


def _codebook_scale(col: Any) -> tuple[float, float] | None:
    keys = [k for k in col.values if k not in col.missing]
    nums = [float(k) for k in keys if isinstance(k, (int, float)) and not isinstance(k, bool)]
    if nums and len(nums) == len(keys):
        return min(nums), max(nums)
    if col.range is not None:
        return float(col.range[0]), float(col.range[1])
    return None


def _survey_scores(
    data: Any,
    kname: KpiName,
    *,
    weights: Weights,
    id: Hashable | None,
    scale: tuple[float, float] | None,
    missing: Sequence[float] | None,
) -> _Scores:
    design = as_design(data, weights=weights, id=id)
    frame, codebook = design.data, design.codebook
    item = _item(kname, frame, codebook)
    if item not in frame.columns:
        raise _missing_item(frame, kname, item)
    w_arr = check_weights(frame, design.weights)
    w = np.ones(len(frame)) if w_arr is None else w_arr
    x = check_numeric(frame, item).to_numpy(dtype=float)
    col = codebook[item] if codebook is not None and item in codebook else None
    notes: list[str] = []
    if missing is not None:
        if isinstance(missing, (str, bytes)) or not isinstance(missing, Sequence):
            raise ConfigError(
                f"missing must be a list of the codes read as missing, e.g. missing=[99]; "
                f"got {missing!r}."
            )
        codes = [float(v) for v in missing]
    elif col is not None:
        codes = [float(v) for v in col.missing if isinstance(v, (int, float))]
    else:
        codes = []
    is_code = np.isin(x, np.asarray(codes, dtype=float)) if codes else np.zeros(len(x), bool)
    answered = ~np.isnan(x) & ~is_code
    lo_hi: tuple[float, float] | None = None
    if kname.family == "nps":
        if scale is not None and _check_scale(scale) != (0.0, 10.0):
            raise ConfigError(
                f"scale={scale!r}: the NPS is defined on the 0-10 likelihood-to-recommend scale; "
                "leave scale= out."
            )
        lo_hi = (0.0, 10.0)
    elif scale is not None:
        lo_hi = _check_scale(scale)
    elif col is not None and _codebook_scale(col) is not None:
        lo_hi = _codebook_scale(col)
    if lo_hi is None and missing is None and col is None:
        v = x[answered]
        sent = np.isin(v, _SENTINELS)
        rest = v[~sent]
        if sent.any() and rest.size and rest.max() <= 10 and (rest == np.round(rest)).all():
            found = sorted({int(c) for c in v[sent]})
            is_code = is_code | np.isin(x, np.asarray(found, dtype=float))
            answered = ~np.isnan(x) & ~is_code
            notes.append(
                f"column {item!r}: the codes {found} ({int(sent.sum())} answers) lie far above the "
                f"rating scale and are read as 'don't know' missing codes; pass missing=[] (or "
                "scale=) to count them, or use a Survey whose codebook declares them."
            )
    if lo_hi is None and kname.family in ("top2", "bottom2", "csat"):
        v = x[answered]
        if v.size:
            lo_hi = (float(v.min()), float(v.max()))
            notes.append(
                f"scale of {item!r} taken from the answers observed ({lo_hi[0]:g} to "
                f"{lo_hi[1]:g}); pass scale=(lowest, highest), or use a Survey whose codebook "
                "declares the value codes, if the scale is wider."
            )
    if lo_hi is not None:
        out = answered & ((x < lo_hi[0]) | (x > lo_hi[1]))
        if out.any():
            raise DataError(
                f"column {item!r} has {int(out.sum())} answers outside the scale {lo_hi[0]:g} to "
                f"{lo_hi[1]:g}: {preview(x[out])} at rows {row_list(out)}. Declare missing codes "
                "with missing=[...] (e.g. missing=[99] for 'don't know'), pass scale=(lowest, "
                "highest), or fix the values."
            )
    fam = kname.family
    if fam in ("top2", "csat"):
        assert_scale = cast(tuple[float, float], lo_hi)
        s = 100.0 * (x >= assert_scale[1] - 1)
        kind = "proportion"
    elif fam == "bottom2":
        assert_scale = cast(tuple[float, float], lo_hi)
        s = 100.0 * (x <= assert_scale[0] + 1)
        kind = "proportion"
    elif fam == "nps":
        s = np.where(x >= 9, 100.0, np.where(x <= 6, -100.0, 0.0))
        kind = "nps"
    else:
        s = x.copy()
        kind = "mean"
    zero = answered & (w <= 0)
    used = answered & (w > 0)
    s = np.where(used, s, np.nan)
    n_na = int(np.isnan(x).sum())
    n_code = int(is_code.sum())
    n_exc = int((~used).sum())
    if n_exc:
        parts = []
        if n_na:
            parts.append(f"no answer to {item!r} {n_na}")
        if n_code:
            shown = sorted({int(c) if float(c).is_integer() else c for c in x[is_code]})
            parts.append(f"missing codes {shown} {n_code}")
        if zero.any():
            parts.append(f"zero weight {int(zero.sum())}")
        notes.insert(0, f"{n_exc} of {len(x)} respondents excluded: {'; '.join(parts)}.")
    ids: np.ndarray | None = None
    if design.id is not None:
        check_columns(frame, design.id, what="id column")
        check_unique(frame, design.id)
        ids = frame[design.id].to_numpy(dtype=object)
    return _Scores(frame, s, w, ids, kind, n_exc, notes, codebook)


def kpi_scores(
    data: Any,
    name: str | KpiName,
    *,
    weights: Weights = None,
    id: Hashable | None = None,
    scale: tuple[float, float] | None = None,
    missing: Sequence[float] | None = None,
) -> pd.DataFrame:
    """The per-respondent scores of a survey KPI, whose weighted mean is the KPI.

    See the module docstring for the score of each family (``100 * 1{top two}``, +100/0/-100
    for the NPS, the answer for means) and the rules for the scale and missing codes.

    Parameters
    ----------
    data : DataFrame or Survey
        One row per respondent. A :class:`~needlab.Survey` brings its codebook (scales, missing
        codes), its weight column and its id column.
    name : str or KpiName
        A survey KPI of the vocabulary: ``csat[:item]``, ``csat_mean[:item]``, ``nps[:item]``,
        ``top2:<item>``, ``bottom2:<item>``, ``mean:<item>``.
    weights : column name, array or False, optional
        Survey row weights; on a Survey None takes the codebook's weight column and False is
        unweighted; on a DataFrame None is unweighted (weight 1).
    id : column name, optional
        Respondent id column (linking waves, e.g. ``"customer_id"`` for a panel); default the
        Survey's id column. Without one the ``id`` column is missing (rows cannot be linked).
    scale : tuple of two numbers, optional
        Lowest and highest code of the item's scale, for the top-2 and bottom-2 boxes.
    missing : list of codes, optional
        Codes read as missing (replacing the codebook's), e.g. ``[99]``.

    Returns
    -------
    DataFrame
        Columns ``id``, ``score``, ``weight``, one row per respondent used (an answer and a
        positive weight), in input order. ``attrs`` holds ``kpi`` (the canonical name),
        ``kind`` (``"proportion"``, ``"nps"`` or ``"mean"``), ``unit``, ``n_excluded`` and
        ``notes`` (why respondents were left out).

    Raises
    ------
    ConfigError
        A name outside the vocabulary or of a non-survey family; a bad ``scale=``.
    SchemaError
        The item is not a column (the message lists similar columns).
    DataError
        Non-numeric answers, answers outside the scale (the message suggests ``missing=``),
        invalid weights, duplicated or missing ids.

    Examples
    --------
    >>> df = pd.DataFrame({"ltr": [10, 9, 7, 3, None], "w": [1.0, 1.0, 2.0, 1.0, 1.0]})
    >>> sc = kpi_scores(df, "nps", weights="w")
    >>> sc["score"].tolist(), sc.attrs["n_excluded"]
    ([100.0, 100.0, 0.0, -100.0], 1)
    """
    kname = parse_kpi(name)
    if kname.family not in SURVEY_FAMILIES:
        raise ConfigError(
            f"kpi_scores: {kname.name!r} is not a survey KPI; per-respondent scores exist for "
            f"{sorted(SURVEY_FAMILIES)}. Use kpi() for the other families."
        )
    sc = _survey_scores(data, kname, weights=weights, id=id, scale=scale, missing=missing)
    keep = ~np.isnan(sc.score)
    ids = sc.ids[keep] if sc.ids is not None else np.full(int(keep.sum()), None, dtype=object)
    out = pd.DataFrame(
        {"id": ids, "score": sc.score[keep], "weight": sc.weight[keep]},
        index=sc.frame.index[keep],
    )
    out.attrs.update(
        {
            "kpi": kname.name,
            "kind": sc.kind,
            "unit": kname.unit,
            "n_excluded": sc.n_excluded,
            "notes": list(sc.notes),
        }
    )
    return out


# --------------------------------------------------------------------------- aggregation
def _aggregate(
    s: np.ndarray, w: np.ndarray, codes: np.ndarray, k: int, kind: str, ci: float
) -> dict[str, np.ndarray]:
    """Per-group value, SE, interval, n and n_eff of the scores *s* (NaN = not used)."""
    c = np.where(np.isnan(s), -1, codes)
    sz = np.where(np.isnan(s), 0.0, s)
    n = grouped_sum(c, k)
    sw = grouped_sum(c, k, w)
    neff = kish_base(sw, grouped_sum(c, k, w * w))
    with np.errstate(invalid="ignore", divide="ignore"):
        m = grouped_sum(c, k, w * sz) / sw
        if kind == "mean":
            _, _, se = weighted_mean_se(c, k, s, w)
        else:
            dev = sz - np.where(c >= 0, m[np.clip(c, 0, None)] if k else 0.0, 0.0)
            v = grouped_sum(c, k, w * dev * dev) / sw
            se = np.sqrt(np.clip(v, 0, None) / neff)
    ok = n > 0
    m = np.where(ok, m, np.nan)
    se = np.where(n >= 2, se, np.nan)
    z = z_value(ci)
    if kind == "proportion":
        lo, hi = wilson_interval(np.clip(m / 100, 0, 1), neff, ci)
        lo, hi = 100 * lo, 100 * hi
    else:
        lo, hi = m - z * se, m + z * se
        if kind == "nps":
            lo, hi = np.clip(lo, -100, 100), np.clip(hi, -100, 100)
    lo = np.where(n >= 2, lo, np.nan)
    hi = np.where(n >= 2, hi, np.nan)
    return {"value": m, "se": se, "ci_low": lo, "ci_high": hi, "n": n, "n_eff": neff}


def _groups(
    frame: pd.DataFrame, by: Hashable, codebook: Any, lang: Lang
) -> tuple[np.ndarray, pd.Index]:
    """Integer group codes (-1 missing) and the group values; a Survey's declared codes of *by*
    are groups even without respondents, and show their labels."""
    check_columns(frame, by, what="by column")
    codes, cats = codes_of(frame[by], by)
    col = codebook[by] if codebook is not None and by in codebook else None
    if col is None or not col.values:
        return codes, cats
    declared = [k for k in col.values if k not in col.missing]
    labels = codebook.value_labels(by, lang)
    known = list(declared) + [c for c in cats if c not in declared]
    pos = {v: i for i, v in enumerate(known)}
    # float codes (1.0) of an integer code (1) map to the same group
    remap = np.array([pos.get(_as_code(c), -1) for c in cats] + [-1], dtype=np.int64)
    new = remap[np.where(codes >= 0, codes, len(cats))]
    return new, pd.Index([labels.get(k, k) for k in known], dtype=object)


def _as_code(v: Any) -> Any:
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return int(v)
    if isinstance(v, np.integer):
        return int(v)
    return v


def _table(
    kname: KpiName,
    by: Hashable,
    cats: pd.Index | None,
    stats: dict[str, np.ndarray],
) -> pd.DataFrame:
    k = len(stats["value"])
    cols: dict[Hashable, Any] = {"kpi": [kname.name] * k}
    if by is not None and cats is not None:
        cols[by] = list(cats)
    for key in _TABLE_COLUMNS[:-1]:
        cols[key] = np.asarray(stats[key], dtype=float)
    cols["unit"] = [kname.unit] * k
    return pd.DataFrame(cols)


def _group_notes(table: pd.DataFrame, by: Hashable, what: str = "respondents") -> list[str]:
    notes = []
    empty = table["n"].to_numpy() == 0
    if empty.any():
        where = f" in {by!r} = {preview(table[by].to_numpy()[empty])}" if by is not None else ""
        reason = _NO_RESPONDENTS if what == "respondents" else f"not measurable: no {what}"
        notes.append(f"{reason}{where}: value, SE and interval are missing.")
    one = table["n"].to_numpy() == 1
    if one.any():
        where = f" ({by!r} = {preview(table[by].to_numpy()[one])})" if by is not None else ""
        notes.append(
            f"one {what[:-1]} only{where}: no standard error or interval (they are missing)."
        )
    small = (table["n_eff"].to_numpy() > 1) & (table["n_eff"].to_numpy() < 30)
    if small.any():
        where = f" ({by!r} = {preview(table[by].to_numpy()[small])})" if by is not None else ""
        notes.append(f"small base (effective n under 30){where}: the normal interval is rough.")
    return notes


def _by_codes(
    frame: pd.DataFrame, by: Hashable | None, codebook: Any, lang: Lang
) -> tuple[np.ndarray, pd.Index | None, int]:
    if by is None:
        return np.zeros(len(frame), dtype=np.int64), None, 1
    codes, cats = _groups(frame, by, codebook, lang)
    return codes, cats, len(cats)


# --------------------------------------------------------------------------- periods and dates
_PERIOD = re.compile(r"^\s*(\d*)\s*([DWMQY])\s*$", re.IGNORECASE)


def _offset(period: str, times: int = 1) -> pd.DateOffset:
    """The window length *period* (``"6M"``) times *times*, as a calendar offset."""
    m = _PERIOD.match(period) if isinstance(period, str) else None
    if m is None or m.group(1) == "0":
        raise ConfigError(
            f"period={period!r} is not a window length; write a count and a unit D, W, M, Q or "
            "Y, e.g. period='6M' (six months), '1Y', '4W', '30D'."
        )
    k = int(m.group(1) or 1) * times
    unit = m.group(2).upper()
    if unit == "D":
        return pd.DateOffset(days=k)
    if unit == "W":
        return pd.DateOffset(weeks=k)
    if unit == "M":
        return pd.DateOffset(months=k)
    if unit == "Q":
        return pd.DateOffset(months=3 * k)
    return pd.DateOffset(years=k)


def _asof(asof: Any) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(asof)
    except (TypeError, ValueError) as exc:
        raise ConfigError(
            f"asof={asof!r} is not a date; write it as 'YYYY-MM-DD' or pass a Timestamp."
        ) from exc
    if pd.isna(ts):
        raise ConfigError(f"asof={asof!r} is not a date; write it as 'YYYY-MM-DD'.")
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)
    return ts.normalize()


def _dates(
    frame: pd.DataFrame, date: Hashable, date_format: str | None, dayfirst: bool | None
) -> pd.Series:
    return check_dates(frame, date, date_format=date_format, dayfirst=dayfirst).dt.normalize()


def _no_weights(weights: Any, family: str) -> None:
    if weights is not None and weights is not False:
        raise ConfigError(
            f"weights= are survey row weights; {family!r} counts customers or tickets, or reads "
            "published values, and takes no weights. Leave weights= out."
        )


def _fmt_day(ts: pd.Timestamp) -> str:
    return ts.strftime("%Y-%m-%d")


# --------------------------------------------------------------------------- transactions
def _transaction_kpi(
    data: Any,
    kname: KpiName,
    *,
    by: Hashable | None,
    ci: float,
    customer: Hashable,
    date: Hashable,
    period: str,
    asof: Any,
    order: Hashable | None,
    date_format: str | None,
    dayfirst: bool | None,
) -> tuple[pd.DataFrame, int, int, list[str]]:
    frame = as_design(data, name="data (transactions)").data
    check_columns(
        frame,
        [customer, date]
        + ([order] if order is not None else [])
        + ([by] if by is not None else []),
    )
    notes: list[str] = []
    cust, merged = normalise_ids(frame[customer].astype(object), what=f"ids of {customer!r}")
    if merged:
        notes.append(merged)
    d = _dates(frame, date, date_format, dayfirst)
    _offset(period)  # checks the option before the data are read
    n_rows = len(frame)
    bad = cust.isna().to_numpy() | d.isna().to_numpy()
    end = _asof(asof) if asof is not None else d[~bad].max()
    if pd.isna(end):
        raise DataError(
            f"transactions have no row with both a customer ({customer!r}) and a date "
            f"({date!r}); nothing to measure."
        )
    # both starts from the end, so that month ends stay month ends (Dec 31 - 12M = Dec 31)
    start_t = end - _offset(period)
    start_b = end - _offset(period, 2)
    dv = d.to_numpy()
    in_t = ~bad & (dv > np.datetime64(start_t)) & (dv <= np.datetime64(end))
    in_b = ~bad & (dv > np.datetime64(start_b)) & (dv <= np.datetime64(start_t))
    retention = kname.family in ("retention_rate", "churn_rate")
    used = in_t | in_b if retention else in_t
    n_used = int(used.sum())
    n_exc = n_rows - n_used
    if n_exc:
        parts = []
        if bad.any():
            parts.append(f"missing customer or date {int(bad.sum())}")
        after = ~bad & (dv > np.datetime64(end))
        if after.any():
            parts.append(f"after asof {int(after.sum())}")
        before = ~bad & ~used & ~after
        if before.any():
            parts.append(f"before the window{'s' if retention else ''} {int(before.sum())}")
        notes.append(f"{n_exc} of {n_rows} transactions excluded: {'; '.join(parts)}.")
    first = d[~bad].min()
    base_start = start_b if retention else start_t
    if pd.notna(first) and first > base_start + pd.Timedelta(days=1):
        notes.append(
            f"the {'base' if retention else ''} window starts {_fmt_day(base_start)}, before the "
            f"first transaction ({_fmt_day(first)}): customers active before the data began are "
            "not seen."
        )
    win = (
        f"base window ({_fmt_day(start_b)}, {_fmt_day(start_t)}], current window "
        f"({_fmt_day(start_t)}, {_fmt_day(end)}]"
        if retention
        else f"window ({_fmt_day(start_t)}, {_fmt_day(end)}]"
    )
    notes.append(f"{kname.name}: {win} (period {period}).")
    rows = pd.DataFrame({"c": cust.to_numpy(dtype=object), "d": dv})
    if by is not None:
        rows["g"] = frame[by].to_numpy()
    if order is not None:
        rows["o"] = frame[order].to_numpy()
    base_rows = rows[in_b] if retention else rows[in_t]
    base_rows = base_rows.sort_values("d", kind="stable")
    per = base_rows.groupby("c", sort=True)
    if retention:
        active_t = set(rows.loc[in_t, "c"])
        cust_ids = per.size().index
        hit = np.isin(cust_ids.to_numpy(dtype=object), np.asarray(list(active_t), dtype=object))
    else:
        counts = per["o"].nunique() if order is not None else per.size()
        cust_ids = counts.index
        hit = counts.to_numpy() >= 2
    s = 100.0 * hit.astype(float)
    if kname.family == "churn_rate":
        s = 100.0 - s
    if by is not None:
        g = per["g"].first().reindex(cust_ids)
        gframe = pd.DataFrame({by: g.to_numpy()})
        all_codes, cats = codes_of(frame[by], by)
        pos = {v: i for i, v in enumerate(cats)}
        codes = np.array([pos.get(v, -1) for v in gframe[by]], dtype=np.int64)
        k = len(cats)
        miss = codes < 0
        if miss.any():
            notes.append(
                f"{int(miss.sum())} customers without a {by!r} value on their first order are "
                "left out of the groups."
            )
    else:
        codes, cats, k = np.zeros(len(s), dtype=np.int64), None, 1
    stats = _aggregate(s, np.ones(len(s)), codes, k, "proportion", ci)
    table = _table(kname, by, cats, stats)
    notes += _group_notes(table, by, "customers")
    return table, n_used, n_exc, notes


# --------------------------------------------------------------------------- complaints
_SPLIT = re.compile(r"[;,|]")


def _code_sets(col: pd.Series) -> list[frozenset[str]]:
    def one(v: Any) -> frozenset[str]:
        if isinstance(v, (list, tuple, set, frozenset, np.ndarray)):
            return frozenset(str(c).strip() for c in v if str(c).strip())
        if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
            return frozenset()
        return frozenset(p.strip() for p in _SPLIT.split(str(v)) if p.strip())

    return [one(v) for v in col.tolist()]


def _complaint_kpi(
    data: Any,
    kname: KpiName,
    *,
    weights: Weights,
    by: Hashable | None,
    ci: float,
    lang: Lang,
    customer: Hashable,
    date: Hashable,
    period: str | None,
    asof: Any,
    code: Hashable,
    text: Hashable,
    text_lang: Any,
    base: Base,
    date_format: str | None,
    dayfirst: bool | None,
) -> tuple[pd.DataFrame, int, int, list[str]]:
    from needlab.painpoints.coding import CodingResult

    check_option(base, ("texts", "customers"), "base")
    notes: list[str] = []
    taxonomy = None
    if isinstance(data, CodingResult):
        if data.data is None:
            raise SchemaError(
                "the CodingResult has no data frame (the texts were a list or Series); code a "
                "DataFrame with code_text(feedback, 'text') so that dates and customers are known, "
                "or pass the feedback frame itself."
            )
        frame = data.data.reset_index(drop=True)
        sets = [frozenset(c) for c in data.table["codes"]]
        codable = data.table["status"].isin(["ok", "truncated"]).to_numpy()
        taxonomy = data.taxonomy
        codebook = None
        wspec: Any = weights
    else:
        design = as_design(data, weights=weights, name="data (feedback)")
        frame, codebook, wspec = design.data, design.codebook, design.weights
        if code in frame.columns:
            sets = _code_sets(frame[code])
            codable = np.ones(len(frame), dtype=bool)
        else:
            if text not in frame.columns:
                raise SchemaError(
                    f"complaint_rate needs pain codes: a column {code!r} (code=) or texts to code "
                    f"in a column {text!r} (text=); neither is in the data. Columns: "
                    f"{preview([str(c) for c in frame.columns], 12)}."
                )
            from needlab.painpoints.coding import code_text

            coded = code_text(frame.reset_index(drop=True), text, text_lang=text_lang)
            sets = [frozenset(c) for c in coded.table["codes"]]
            codable = coded.table["status"].isin(["ok", "truncated"]).to_numpy()
            taxonomy = coded.taxonomy
            notes.append(
                f"texts of {text!r} coded with code_text (taxonomy {taxonomy.name!r})"
                if taxonomy is not None
                else f"texts of {text!r} coded with code_text."
            )
    target: set[str] | None = None
    if kname.argument is not None:
        arg = kname.argument
        if taxonomy is not None:
            if arg not in taxonomy:
                close = difflib.get_close_matches(arg, taxonomy.ids, n=3, cutoff=0.5)
                hint = f" (did you mean {preview(close)}?)" if close else ""
                raise ConfigError(
                    f"KPI {kname.name!r}: {arg!r} is not a code of the taxonomy{hint}. Write "
                    "'complaint_rate:<code>' with a code id of the taxonomy, e.g. "
                    f"'complaint_rate:{taxonomy.leaves()[0]}'."
                )
            target = {arg} | {c for c in taxonomy.ids if arg in taxonomy.ancestors(c)}
        else:
            target = {arg}
            if not any(arg in s for s in sets):
                notes.append(f"code {arg!r} does not occur in column {code!r}: its rate is 0.")
    has = np.array([bool(s & target) if target is not None else bool(s) for s in sets], dtype=bool)
    n_rows = len(frame)
    used = codable.copy()
    parts = []
    if (~codable).any():
        parts.append(f"not codable (missing or empty text) {int((~codable).sum())}")
    if period is not None or asof is not None:
        check_columns(frame, date, what="date column")
        d = _dates(frame, date, date_format, dayfirst).to_numpy()
        nod = np.isnat(d)
        end = _asof(asof) if asof is not None else pd.Timestamp(d[~nod].max())
        inside = ~nod & (d <= np.datetime64(end))
        if period is not None:
            start = end - _offset(period)
            inside &= d > np.datetime64(start)
            notes.append(f"feedback of the window ({_fmt_day(start)}, {_fmt_day(end)}].")
        else:
            notes.append(f"feedback up to {_fmt_day(end)}.")
        if (used & nod).any():
            parts.append(f"missing date {int((used & nod).sum())}")
        if (used & ~nod & ~inside).any():
            parts.append(f"outside the window {int((used & ~nod & ~inside).sum())}")
        used &= inside
    w_arr = check_weights(frame, wspec)
    if base == "customers":
        if w_arr is not None:
            raise ConfigError(
                "weights= weigh feedback texts; base='customers' counts customers unweighted. "
                "Leave weights= out or use base='texts'."
            )
        check_columns(frame, customer, what="customer column")
        cust, merged = normalise_ids(frame[customer].astype(object), what=f"ids of {customer!r}")
        if merged:
            notes.append(merged)
        nocust = cust.isna().to_numpy()
        if (used & nocust).any():
            parts.append(f"no customer id {int((used & nocust).sum())}")
        used &= ~nocust
    n_used = int(used.sum())
    n_exc = n_rows - n_used
    if n_exc:
        notes.insert(0, f"{n_exc} of {n_rows} feedback texts excluded: {'; '.join(parts)}.")
    if base == "customers":
        rows = pd.DataFrame({"c": cust.to_numpy(dtype=object)[used], "h": has[used]})
        if by is not None:
            check_columns(frame, by, what="by column")
            rows["g"] = frame[by].to_numpy()[used]
        per = rows.groupby("c", sort=True)
        s = 100.0 * per["h"].any().to_numpy(dtype=float)
        w = np.ones(len(s))
        if by is not None:
            cats_codes, cats = codes_of(frame[by], by)
            pos = {v: i for i, v in enumerate(cats)}
            codes = np.array([pos.get(v, -1) for v in per["g"].first()], dtype=np.int64)
            k = len(cats)
        else:
            codes, cats, k = np.zeros(len(s), dtype=np.int64), None, 1
        what = "customers"
    else:
        s = np.where(used, 100.0 * has, np.nan)
        w = np.ones(n_rows) if w_arr is None else w_arr
        s = np.where(w > 0, s, np.nan)
        codes, cats, k = _by_codes(frame, by, codebook, lang)
        what = "texts"
    stats = _aggregate(s, w, codes, k, "proportion", ci)
    table = _table(kname, by, cats, stats)
    notes += _group_notes(table, by, what)
    return table, n_used, n_exc, notes


# --------------------------------------------------------------------------- share
def _share_kpi(
    data: Any,
    kname: KpiName,
    *,
    by: Hashable | None,
    period: str | None,
) -> tuple[pd.DataFrame, int, int, list[str]]:
    frame = as_design(data, name="data (competitors)").data
    need = ["brand", "kpi", "value"] + (["period"] if by != "period" else [])
    check_columns(frame, list(dict.fromkeys(need + (["period"] if period else []))))
    notes: list[str] = []
    kpis = frame["kpi"].astype(str).str.strip().str.casefold()
    is_share = (kpis == "share").to_numpy()
    if not is_share.any():
        raise DataError(
            f"column 'kpi' has no 'share' rows (values: {preview(frame['kpi'].tolist())}); "
            "market share is read from rows with kpi = 'share'."
        )
    brands = frame["brand"].astype(object)
    listed = list(dict.fromkeys(brands[is_share].dropna().tolist()))
    arg = kname.argument
    if arg is None:
        brand = listed[0]
        notes.append(
            f"own brand taken as the first brand listed: {brand!r}; write 'share:<brand>' to "
            "choose another."
        )
    else:
        brand = _match_brand(arg, listed, kname)
    rows = is_share & (brands == brand).to_numpy()
    periods = frame["period"].astype(object) if "period" in frame.columns else None
    if by != "period" and periods is not None:
        if period is None:
            period = str(max(str(p) for p in periods[rows].dropna()))
            notes.append(f"period {period!r}: the latest period listed (pass period= to choose).")
        rows &= (periods.astype(str) == str(period)).to_numpy()
        if not rows.any():
            raise DataError(
                f"no 'share' row of brand {brand!r} for period {period!r}; periods listed: "
                f"{preview(sorted(str(p) for p in periods[is_share].dropna().unique()))}."
            )
    value = check_numeric(frame, "value").to_numpy(dtype=float)
    sub = frame.loc[rows]
    key = [by] if by is not None else []
    if by is not None:
        check_columns(frame, by, what="by column")
    if key:
        dup = sub.duplicated(subset=key, keep=False).to_numpy()
    else:
        dup = np.full(len(sub), len(sub) > 1)
    if dup.any():
        where = np.flatnonzero(rows)[dup]
        raise DataError(
            f"{int(dup.sum())} 'share' rows of brand {brand!r} for the same "
            f"{'group' if key else 'period'} at rows {', '.join(map(str, where[:5]))}; keep one "
            "value per brand and period (e.g. drop repeated sources)."
        )
    v = value[rows]
    if by is not None:
        codes, cats = codes_of(sub[by], by)
        k = len(cats)
        vals = np.full(k, np.nan)
        vals[codes[codes >= 0]] = v[codes >= 0]
        n = np.zeros(k)
        n[codes[codes >= 0]] = 1.0
    else:
        cats, vals, n = None, v[:1], np.ones(1)
    nan = np.full(len(vals), np.nan)
    stats = {"value": vals, "se": nan, "ci_low": nan, "ci_high": nan, "n": n, "n_eff": nan}
    table = _table(kname, by, cats, stats)
    notes.append(
        "market share is read as published: no standard error or interval (se, ci_low, "
        "ci_high and n_eff are missing)."
    )
    if np.isnan(vals).any():
        notes.append("a missing published value gives a missing share.")
    n_used = int(rows.sum())
    n_exc = len(frame) - n_used
    if n_exc:
        notes.insert(
            0,
            f"{n_exc} of {len(frame)} rows not read: other KPIs, brands or periods than "
            f"the share of {brand!r}.",
        )
    return table, n_used, n_exc, notes


def _match_brand(arg: str, listed: list[Any], kname: KpiName) -> Any:
    if arg in listed:
        return arg
    fold = [b for b in listed if str(b).strip().casefold() == arg.strip().casefold()]
    if len(fold) == 1:
        return fold[0]
    word = [b for b in listed if str(b).split()[0].casefold() == arg.casefold()] if arg else []
    if len(word) == 1:
        return word[0]
    raise DataError(
        f"KPI {kname.name!r}: brand {arg!r} is not among the brands with a share: "
        f"{preview(listed, 12)}. Write 'share:<brand>' with one of them."
    )


# --------------------------------------------------------------------------- service times
def _service_kpi(
    data: Any,
    kname: KpiName,
    *,
    by: Hashable | None,
    ci: float,
    lang: Lang,
    asof: Any,
    date_format: str | None,
    dayfirst: bool | None,
    context: dict[str, Any],
) -> tuple[pd.DataFrame, int, int, list[str]]:
    try:
        from needlab.plan.service import service_times
    except ImportError:  # pragma: no cover - service.py ships with the package
        raise ConfigError(
            f"KPI {kname.name!r}: service times are measured by "
            "needlab.plan.service.service_times (Kaplan-Meier on tickets), which cannot be "
            "imported here; call service_times(tickets, ...) directly once it is installed."
        ) from None
    kw: dict[str, Any] = dict(context)
    if kname.family in ("response_within", "within_standard") and kname.argument is not None:
        if "standard" in kw and float(kw["standard"]) != float(kname.argument):
            raise ConfigError(
                f"KPI {kname.name!r} sets the standard to {kname.argument} h, but standard="
                f"{kw['standard']!r} was passed too; leave standard= out."
            )
        kw["standard"] = float(kname.argument)
    kw.update(asof=asof, by=by, ci=float(ci), lang=lang)
    kw.update(date_format=date_format, dayfirst=dayfirst)
    res = service_times(data, **kw)
    return _from_service(res, kname, by)


def _from_service(
    res: Any, kname: KpiName, by: Hashable | None
) -> tuple[pd.DataFrame, int, int, list[str]]:
    """The KPI's rows of a ServiceTimeResult's table: the median hours (time families) or the
    % within the standard (``response_within``, ``within_standard``)."""
    measure = (
        "first_response"
        if kname.family in ("first_response_time", "response_within")
        else "resolution"
    )
    t = res.table
    rows = t[t["measure"] == measure]
    notes = list(res.notes)
    if rows.empty:
        raise ConfigError(
            f"KPI {kname.name!r} needs the {measure.replace('_', ' ')} times: pass "
            f"{'first_response=' if measure == 'first_response' else 'resolved='} naming the "
            "tickets' column (options are passed to service_times)."
        )
    n = rows["n"].to_numpy(dtype=float)
    if kname.family in ("first_response_time", "resolution_time"):
        value = rows["median_hours"].to_numpy(dtype=float)
        se = np.full(len(rows), np.nan)
        lo = rows["median_ci_low"].to_numpy(dtype=float)
        hi = rows["median_ci_high"].to_numpy(dtype=float)
        notes.append(
            "median hours by Kaplan-Meier (service_times): no standard error; the interval is "
            "where the bands of S(t) cross 0.5 (se is missing)."
        )
    else:
        value = rows["within_pct"].to_numpy(dtype=float)
        se = rows["within_se"].to_numpy(dtype=float)
        lo = rows["within_ci_low"].to_numpy(dtype=float)
        hi = rows["within_ci_high"].to_numpy(dtype=float)
    stats = {"value": value, "se": se, "ci_low": lo, "ci_high": hi, "n": n, "n_eff": n}
    cats = pd.Index(rows[by].tolist()) if by is not None else None
    table = _table(kname, by, cats, stats)
    notes += _group_notes(table, by, "tickets")
    return table, int(res.n_used), int(res.n_excluded), notes


# --------------------------------------------------------------------------- kpi
def kpi(
    data: Any,
    name: str | KpiName,
    *,
    weights: Weights = None,
    by: Hashable | None = None,
    ci: float = 0.95,
    lang: Lang = "en",
    id: Hashable | None = None,
    scale: tuple[float, float] | None = None,
    missing: Sequence[float] | None = None,
    customer: Hashable = "customer_id",
    date: Hashable | None = None,
    period: str | None = None,
    asof: Any = None,
    order: Hashable | None = None,
    code: Hashable = "code",
    text: Hashable = "text",
    text_lang: TextLang = "auto",
    base: Base = "texts",
    date_format: str | None = None,
    dayfirst: bool | None = None,
    **context: Any,
) -> KpiResult:
    """Measure a KPI of the vocabulary: its value per group with SE, interval and base.

    The families, their scores, windows and formulas are defined in the module docstring
    (:mod:`needlab.plan.measure`): survey KPIs are weighted means of per-respondent scores with
    the SE on Kish's effective base; retention, churn and repeat-purchase rates are binomial
    proportions of customers in date windows; the complaint rate is the (weighted) share of
    feedback texts with a pain code; a market share is read without SE.

    Parameters
    ----------
    data : DataFrame, Survey or CodingResult
        Survey answers (survey KPIs), transactions (``retention_rate``, ``repeat_rate``,
        ``churn_rate``), feedback or a :class:`~needlab.painpoints.coding.CodingResult`
        (``complaint_rate``), competitor rows ``brand, period, kpi, value`` (``share``),
        tickets (service times, measured by ``needlab.plan.service.service_times``).
    name : str or KpiName
        A KPI name of the vocabulary (:func:`~needlab.plan.kpis.parse_kpi`).
    weights : column name, array or False, optional
        Survey row weights (survey KPIs and the complaint rate per text); a Survey's codebook
        weight column by default. Transaction and share KPIs take none.
    by : column name, optional
        One row per group. A Survey's declared codes of *by* are groups even without
        respondents (a row "not measurable"), shown with their labels in *lang*.
    ci : float, default 0.95
        Confidence level of the intervals.
    lang : {"en", "zh"}, default "en"
        Language of the title, label, group labels and plot.
    id : column name, optional
        Respondent id of survey KPIs (see :func:`kpi_scores`).
    scale, missing : optional
        The item's scale ``(lowest, highest)`` and missing codes (survey KPIs).
    customer : column name, default "customer_id"
        Customer id (transactions; feedback with ``base="customers"``).
    date : column name, optional
        Date column: default ``"order_date"`` for transactions, ``"date"`` for feedback. Dates
        in any format :func:`needlab._dates.parse_dates` reads (``date_format=``, ``dayfirst=``
        for day/month text).
    period : str, optional
        Window length: a count and D, W, M, Q or Y (``"6M"``). Transactions: default ``"6M"``.
        Feedback: default none (every text up to ``asof``). Share: the period value to read
        (default the latest).
    asof : date, optional
        End of the (last) window, inclusive; default the last date in the data.
    order : column name, optional
        Order id for the repeat rate (distinct orders); default every row is an order.
    code, text, text_lang : optional
        Complaint rate: the column of pain codes, else the text column coded by
        :func:`needlab.code_text` in *text_lang*.
    base : {"texts", "customers"}, default "texts"
        Complaint rate per feedback text or per customer.
    date_format, dayfirst : optional
        Passed to the date parser.
    **context
        Options passed to ``service_times`` for the service-time families (e.g. ``opened=``,
        ``first_response=``, ``resolved=``); refused for the other families.

    Returns
    -------
    KpiResult
        ``.table`` with columns ``kpi``, [*by*], ``value``, ``se``, ``ci_low``, ``ci_high``,
        ``n``, ``n_eff``, ``unit``; ``n_used``/``n_excluded`` in input rows.

    Raises
    ------
    ConfigError
        A name outside the vocabulary; a bad option (``ci``, ``period``, ``base``, ``scale``,
        ``asof``); weights for a KPI that takes none; options that the family does not know;
        service times when ``needlab.plan.service`` is not available; a complaint code that is
        not in the taxonomy.
    SchemaError
        A missing item (the message lists similar columns) or other column.
    DataError
        Answers outside the scale, non-numeric answers, invalid weights, unparseable dates,
        an unknown brand, duplicated share rows.

    Examples
    --------
    >>> df = pd.DataFrame({"ltr": [10, 9, 8, 6, 3, None], "region": list("NNNSSS")})
    >>> res = kpi(df, "nps", by="region")
    >>> res.table[["region", "value", "n"]].to_string(index=False)
    'region  value   n\\n     N  66.67 3.0\\n     S -100.00 2.0'
    >>> res.n_used, res.n_excluded
    (5, 1)
    """
    kname = parse_kpi(name)
    check_option(lang, ("en", "zh"), "lang")
    z_value(ci)  # checks ci
    fam = kname.family
    if context and fam not in SERVICE_FAMILIES:
        raise ConfigError(
            f"kpi({kname.name!r}): unknown option(s) {sorted(context)}; options of kpi are "
            "weights, by, ci, lang, id, scale, missing, customer, date, period, asof, order, "
            "code, text, text_lang, base, date_format, dayfirst (service-time KPIs pass others "
            "to service_times)."
        )
    scores = None
    if fam in SURVEY_FAMILIES:
        sc = _survey_scores(data, kname, weights=weights, id=id, scale=scale, missing=missing)
        codes, cats, k = _by_codes(sc.frame, by, sc.codebook, lang)
        s = sc.score
        notes = list(sc.notes)
        if by is not None:
            nob = ~np.isnan(s) & (codes < 0)
            if nob.any():
                notes.append(
                    f"{int(nob.sum())} respondents without a {by!r} value are left out of the "
                    "groups."
                )
        stats = _aggregate(s, sc.weight, codes, k, sc.kind, ci)
        table = _table(kname, by, cats, stats)
        notes += _group_notes(table, by)
        n_exc = sc.n_excluded
        n_used = len(s) - n_exc
        keep = ~np.isnan(s)
        scores = pd.DataFrame(
            {
                "id": sc.ids[keep] if sc.ids is not None else [None] * int(keep.sum()),
                "score": s[keep],
                "weight": sc.weight[keep],
            },
            index=sc.frame.index[keep],
        )
        if by is not None:
            scores[by] = sc.frame[by].to_numpy()[keep]
    elif fam in TRANSACTION_FAMILIES:
        _no_weights(weights, fam)
        table, n_used, n_exc, notes = _transaction_kpi(
            data,
            kname,
            by=by,
            ci=ci,
            customer=customer,
            date=date or "order_date",
            period=period or "6M",
            asof=asof,
            order=order,
            date_format=date_format,
            dayfirst=dayfirst,
        )
    elif fam == "complaint_rate":
        table, n_used, n_exc, notes = _complaint_kpi(
            data,
            kname,
            weights=weights,
            by=by,
            ci=ci,
            lang=lang,
            customer=customer,
            date=date or "date",
            period=period,
            asof=asof,
            code=code,
            text=text,
            text_lang=text_lang,
            base=base,
            date_format=date_format,
            dayfirst=dayfirst,
        )
    elif fam == "share":
        _no_weights(weights, fam)
        table, n_used, n_exc, notes = _share_kpi(data, kname, by=by, period=period)
    else:
        _no_weights(weights, fam)
        table, n_used, n_exc, notes = _service_kpi(
            data,
            kname,
            by=by,
            ci=ci,
            lang=lang,
            asof=asof,
            date_format=date_format,
            dayfirst=dayfirst,
            context=context,
        )
    return KpiResult(
        table,
        n_used=int(n_used),
        n_excluded=int(n_exc),
        notes=tuple(notes),
        kpi=kname.name,
        by=by,
        ci=float(ci),
        lang=lang,
        unit=kname.unit,
        scores=scores,
    )
