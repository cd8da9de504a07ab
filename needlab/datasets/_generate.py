"""The seeded generator of the sample study, with planted ground truth.

:func:`render` draws everything from one ``numpy.random.default_rng(seed)`` in a fixed order and
returns the text of every file plus the :class:`Truth`. The DataFrames of a :class:`Sample` are the
CSV texts parsed back with ``pandas.read_csv``, so the in-memory sample and the files are the same
thing by construction. No loop runs over rows: loops run over segments, features, items and waves.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import yaml

from needlab.datasets import _spec as S
from needlab.datasets import _text as T
from needlab.datasets._market import MarketTruth, market_block

__all__ = ["FILES", "MarketTruth", "Truth", "render"]

_NONE = np.array(None, dtype=object)
"""A missing cell of an object column, as an array (for ``np.where``)."""

FILES = (
    "customers.csv",
    "transactions.csv",
    "survey_wave1.csv",
    "survey_wave2.csv",
    "feedback.csv",
    "competitors.csv",
    "needs.csv",
    "needs_mapping.csv",
    "maxdiff.csv",
    "codebook.yaml",
    "plan.yaml",
    "survey_wave3.csv",
    "tickets.csv",
    "kpi_monthly.csv",
    "brand_survey.csv",
    "brand_ratings.csv",
    "brand_image.csv",
    "market.csv",
)


@dataclass(frozen=True, repr=False, eq=False)
class Truth:
    """The planted ground truth of the sample data (see ``data/sample/README.md``).

    Attributes
    ----------
    segments : Series
        customer_id -> true segment key (``tech``, ``value``, ``family``, ``premium``).
    segment_params : DataFrame
        One row per segment: names (en, zh), population share, latent satisfaction mean, repeat
        purchase rate, churn base, and the planted attitude means (``att_*``, latent sd units).
    customers : DataFrame
        customer_id, segment, satisfaction (latent, sd about 1), repeat_rate (extra orders per active
        year), churned, churn_date, p_churn, n_orders, total_spend, value_tier (high = top 20% by
        total spend, medium = next 30%, low = rest), one_time (bought once).
    kano : DataFrame
        One row per feature: feature, kind, label_en, label_zh, category (modal category over the
        customer population), p_A, p_O, p_M, p_I, p_R (population probabilities), differs_by_segment.
    kano_by_segment : DataFrame
        feature, segment, category, p_A .. p_R.
    drivers : DataFrame
        item, stage, weight (raw coefficient of overall_sat on the 1-5 item), std_weight
        (standardised beta in the customer population), zero (True for the planted null drivers).
    driver_model : dict
        intercept, noise_sd, r2 (population R squared of the linear model before rounding),
        outcome ("overall_sat"), formula.
    waves : DataFrame
        kpi, label, wave1_true, wave2_true, diff, changed: KPI values over the whole eligible
        customer population in each wave (what a perfect census would give); ``diff`` and
        ``changed`` are wave 2 - wave 1. Wave 3 (issue 16): wave3_true, diff_w3_w2, changed_w3_w2
        (a real change planted between waves 2 and 3), diff_w3_w1, changed_w3_w1 (from the
        wave-1 baseline).
    respondents : DataFrame
        wave, resp_id, customer_id, segment, straightliner, speeder, junk_comment, panel
        (wave 2: also answered wave 1).
    painpoints : DataFrame
        feedback_id, customer_id, segment, lang, category (functional/service/process/value/none),
        category_zh, stage (NaN for none), severity (1 low, 2 medium, 3 high; 0 for none).
    painpoint_rates : DataFrame
        segment, category, stage, rate: the planted probability that a text written by a customer of
        the segment carries that pain point at that stage (``none`` rows: no pain point).
    comments : DataFrame
        wave, resp_id, category, stage, severity, junk for the survey's open answers (empty answers
        have category ``empty``).
    needs : DataFrame
        One row per planted need (``needs.csv`` plus the truth): need, label_en, label_zh,
        kano_category (planted modal Kano category of its features; None without a feature), role
        (``worst_basic``: the must-be need to meet first; ``basic``; ``performance``;
        ``expected``: no Kano feature; ``delighter``: the planted attractive need; ``attractive``;
        ``implicit``: inferred only), explicit, cost (CNY), feasibility (1-5), effort
        (person-weeks), reach (customers per quarter), confidence (0-1), maxdiff_utility (planted
        logit utility; NaN: not in the MaxDiff block), maxdiff_rank (1 = most important).
    maxdiff : DataFrame
        The MaxDiff block's planted order: item (need id), utility, rank, share (share of
        preference exp(u) / sum exp(u), %), shown (times the design shows the item).
    respondents_wave3 : DataFrame
        As ``respondents`` for ``survey_wave3.csv`` (wave 3), with ``panel`` (also answered wave 2)
        and ``in_wave1`` (also answered wave 1). ``respondents`` itself keeps waves 1-2 only, in
        the row order of :attr:`Sample.survey`.
    comments_wave3 : DataFrame
        As ``comments`` for the wave-3 open answers.
    tickets : DataFrame
        The planted service times of ``tickets.csv`` per channel and period (``before`` /
        ``after`` the improvement of ``TICKET_CHANGE``, plus ``channel == "all"``, the mixture
        over channels): share, response_median_h, response_sigma (lognormal first response),
        resolution_shape, resolution_scale_h, escalated, escalation_factor (Weibull mixture of
        the time from first response to resolution) and the true response_within_4h,
        true_response_median_h, resolved_within_48h (% of tickets resolved within 48 h of
        opening) and true_resolution_median_h.
    kpi_monthly : DataFrame
        One row per KPI of ``kpi_monthly.csv``: kpi, label, shift_month (``YYYY-MM``, the first
        month at the shifted rate; None: in control throughout), direction, rate_before
        (the in-control rate, %), rate_after (%).
    retention : DataFrame
        The churn model's expected retention: cohort (``YYYY-MM`` of the first order), age
        (months since), customers (cohort size), retention (% of the cohort expected to order
        in month cohort + age; 100 at age 0), for every cell observable by 2024-12.
    market : MarketTruth
        The market and competitor files (issue 17): planted attribute means and leaders, funnel
        rates, the switching matrix and its stationary distribution, spend shares, image
        probabilities, market growth and share trajectories (see :class:`MarketTruth`).
    seed : int
    """

    segments: pd.Series
    segment_params: pd.DataFrame
    customers: pd.DataFrame
    kano: pd.DataFrame
    kano_by_segment: pd.DataFrame
    drivers: pd.DataFrame
    driver_model: dict[str, Any]
    waves: pd.DataFrame
    respondents: pd.DataFrame
    painpoints: pd.DataFrame
    painpoint_rates: pd.DataFrame
    comments: pd.DataFrame
    needs: pd.DataFrame
    maxdiff: pd.DataFrame
    respondents_wave3: pd.DataFrame
    comments_wave3: pd.DataFrame
    tickets: pd.DataFrame
    kpi_monthly: pd.DataFrame
    retention: pd.DataFrame
    market: MarketTruth
    seed: int = 0

    def __repr__(self) -> str:
        parts = [
            f"{k}={getattr(self, k).shape}"
            for k in (
                "segments",
                "customers",
                "kano",
                "drivers",
                "waves",
                "respondents",
                "painpoints",
                "needs",
                "tickets",
                "retention",
            )
        ]
        parts.append(f"market={self.market.n_respondents} respondents")
        return f"Truth(seed={self.seed}, " + ", ".join(parts) + ")"


@dataclass
class _Ctx:
    rng: np.random.Generator
    n_customers: int
    n_respondents: int
    n_feedback: int
    texts: dict[str, str] = field(default_factory=dict)


# ----------------------------------------------------------------- helpers
def _choice_rows(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One categorical draw per row of a (n, k) probability matrix."""
    cum = np.cumsum(probs, axis=1)
    cum[:, -1] = 1.0
    u = rng.random(len(probs))
    return (cum < u[:, None]).sum(axis=1)


def _likert(latent: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    return (np.searchsorted(thresholds, latent) + 1).astype(np.int64)


def _dates(days: np.ndarray, origin: np.datetime64 = S.WINDOW_START) -> np.ndarray:
    return np.datetime_as_string(origin + days.astype("timedelta64[D]"), unit="D").astype(object)


def _csv(df: pd.DataFrame) -> str:
    buf = io.StringIO()
    df.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


class _NoAliasDumper(yaml.SafeDumper):
    """``yaml.safe_dump`` without anchors and aliases (shared value-label dicts are written out)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _yaml(obj: Any) -> str:
    return yaml.dump(obj, Dumper=_NoAliasDumper, allow_unicode=True, sort_keys=False, width=120)


def _gumbel_top(
    rng: np.random.Generator, logw: np.ndarray, k: int, eligible: np.ndarray
) -> np.ndarray:
    """Indices of k units drawn without replacement with probability proportional to exp(logw)."""
    key = logw - np.log(-np.log(rng.random(len(logw))))
    key = np.where(eligible, key, -np.inf)
    k = min(k, int(eligible.sum()))
    return np.sort(np.argpartition(-key, k - 1)[:k])


# ----------------------------------------------------------------- customers and transactions
def _customers(c: _Ctx) -> dict[str, Any]:
    rng, n = c.rng, c.n_customers
    seg = _choice_rows(rng, np.tile(S.SEGMENT_SHARE, (n, 1)))
    age = np.clip(np.round(rng.normal(S.AGE_MEAN[seg], S.AGE_SD[seg])), 18, 75).astype(np.int64)
    female = rng.random(n) < S.FEMALE[seg]
    region = _choice_rows(rng, S.REGION_P[seg])
    tier = _choice_rows(rng, S.TIER_P[seg])
    income = _choice_rows(rng, S.INCOME_P[seg])
    channel = _choice_rows(rng, S.CHANNEL_P[seg])
    # signup between 2020-06-01 and 2024-11-30, more recent signups more common
    lo = int((np.datetime64("2020-06-01") - S.WINDOW_START).astype(int))
    hi = int((np.datetime64("2024-11-30") - S.WINDOW_START).astype(int))
    signup = np.floor(lo + (hi - lo) * np.sqrt(rng.random(n))).astype(np.int64)
    sat = rng.normal(S.SAT_MEAN[seg], 1.0)
    ids = np.char.add("C", np.char.zfill(np.arange(1, n + 1).astype(str), 5)).astype(object)
    df = pd.DataFrame(
        {
            "customer_id": ids,
            "signup_date": _dates(signup),
            "region": np.array([r[0] for r in S.REGIONS], dtype=object)[region],
            "city_tier": np.array([t[0] for t in S.TIERS], dtype=object)[tier],
            "age": age,
            "gender": np.where(female, "女", "男").astype(object),
            "income_band": np.array([t[0] for t in S.INCOMES], dtype=object)[income],
            "channel": np.array([t[0] for t in S.CHANNELS], dtype=object)[channel],
        }
    )
    return {
        "df": df,
        "seg": seg,
        "age": age,
        "female": female,
        "region": region,
        "tier": tier,
        "income": income,
        "channel": channel,
        "signup": signup,
        "sat": sat,
        "ids": ids,
    }


def _transactions(c: _Ctx, cu: dict[str, Any]) -> dict[str, Any]:
    rng, n = c.rng, c.n_customers
    seg, sat = cu["seg"], cu["sat"]
    span = int((S.WINDOW_END - S.WINDOW_START).astype(int))  # 730
    start = np.maximum(cu["signup"], 0)
    # churn: stops buying about half-way through the window
    p_churn = 1.0 / (1.0 + np.exp(-(S.CHURN_BASE[seg] - S.CHURN_SAT * sat)))
    churn_day = np.floor(span * rng.uniform(0.35, 0.65, n)).astype(np.int64)
    churned = (rng.random(n) < p_churn) & (start < churn_day - 60)
    end = np.where(churned, churn_day, span)
    first = np.minimum(start + np.floor(rng.exponential(20.0, n)).astype(np.int64), end)
    years = (end - first) / 365.25
    rate = np.minimum(rng.gamma(S.REPEAT_SHAPE, S.REPEAT_RATE[seg] / S.REPEAT_SHAPE), 12.0)
    extra = rng.poisson(rate * years)
    n_orders = 1 + extra
    cust = np.repeat(np.arange(n), n_orders)
    is_first = np.zeros(len(cust), dtype=bool)
    offsets = np.concatenate([[0], np.cumsum(n_orders)[:-1]])
    is_first[offsets] = True
    day = np.where(
        is_first,
        first[cust],
        first[cust]
        + np.floor(rng.random(len(cust)) * (end[cust] - first[cust] + 1)).astype(np.int64),
    )
    s = seg[cust]
    prod = _choice_rows(rng, S.PRODUCT_P[s])
    names = np.array([p[0] for p in S.PRODUCTS], dtype=object)
    cats = np.array([p[1] for p in S.PRODUCTS], dtype=object)
    price = np.array([p[2] for p in S.PRODUCTS])
    small = np.isin(cats[prod], ["配件耗材", "智能插座"])
    qty = np.where(
        small, 1 + np.minimum(rng.poisson(0.6, len(cust)), 3), 1 + (rng.random(len(cust)) < 0.03)
    ).astype(np.int64)
    disc = rng.uniform(S.DISCOUNT[s, 0], S.DISCOUNT[s, 1])
    amount = np.round(price[prod] * qty * np.round(disc, 2), 2)
    main_ch = np.array([t[0] for t in S.CHANNELS], dtype=object)
    ch = np.where(rng.random(len(cust)) < 0.75, cu["channel"][cust], rng.integers(0, 4, len(cust)))
    order = np.lexsort((cust, day))
    cust, day, prod, qty, amount, ch = (
        cust[order],
        day[order],
        prod[order],
        qty[order],
        amount[order],
        ch[order],
    )
    oid = np.char.add("O", np.char.zfill(np.arange(1, len(cust) + 1).astype(str), 6)).astype(object)
    df = pd.DataFrame(
        {
            "order_id": oid,
            "customer_id": cu["ids"][cust],
            "order_date": _dates(day),
            "product": names[prod],
            "category": cats[prod],
            "quantity": qty,
            "amount": amount,
            "channel": main_ch[ch],
        }
    )
    total = np.bincount(cust, weights=amount, minlength=n)
    rank = total.argsort(kind="stable").argsort(kind="stable") / max(n - 1, 1)
    tier = np.where(rank >= 0.8, "high", np.where(rank >= 0.5, "medium", "low"))
    truth = pd.DataFrame(
        {
            "customer_id": cu["ids"],
            "segment": np.array(S.SEGMENTS, dtype=object)[seg],
            "satisfaction": sat.round(4),
            "repeat_rate": rate.round(4),
            "churned": churned,
            "churn_date": np.where(churned, _dates(churn_day), _NONE),
            "p_churn": p_churn.round(4),
            "n_orders": n_orders,
            "total_spend": total.round(2),
            "value_tier": tier,
            "one_time": n_orders == 1,
        }
    )
    # per-customer orders for the feedback generator: a random product of the customer
    return {
        "df": df,
        "truth": truth,
        "cust": cust,
        "prod": prod,
        "n_orders": n_orders,
        "churned": churned,
        "first": first,
        "end": end,
        "rate": rate,
    }


# ----------------------------------------------------------------- survey
def _kano_probs() -> np.ndarray:
    """(feature, segment, category) probabilities."""
    out = np.zeros((len(S.KANO_FEATURES), len(S.SEGMENTS), 5))
    for f, feat in enumerate(S.KANO_FEATURES):
        for s, cat in enumerate(feat[4]):
            out[f, s] = S.KANO_PROFILE[cat]
    return out


# answer patterns per category: list of ((functional, dysfunctional), probability)
_PATTERNS = {
    0: [((1, 3), 0.55), ((1, 4), 0.30), ((1, 2), 0.15)],  # A
    1: [((1, 5), 1.0)],  # O
    2: [((2, 5), 0.45), ((3, 5), 0.40), ((4, 5), 0.15)],  # M
    3: [((3, 3), 0.65), ((3, 4), 0.15), ((4, 3), 0.10), ((2, 3), 0.10)],  # I
    4: [((5, 3), 0.40), ((5, 1), 0.25), ((3, 1), 0.20), ((5, 2), 0.15)],  # R
}


def _stable_parts(c: _Ctx) -> dict[str, np.ndarray]:
    """Per-customer random parts shared by both waves (people answer consistently over time)."""
    rng, n = c.rng, c.n_customers
    out = {"g": rng.normal(0.0, 1.0, n)}
    for st in S.STAGES:
        out[st] = rng.normal(0.0, 1.0, n)
    for col, *_ in S.SAT_ITEMS:
        out[col] = rng.normal(0.0, 1.0, n)
    return out


def _mix(rng: np.random.Generator, stable: np.ndarray, rho: float = S.WAVE_CORR) -> np.ndarray:
    return rho * stable + np.sqrt(1.0 - rho * rho) * rng.normal(0.0, 1.0, len(stable))


def _population_responses(
    c: _Ctx, cu: dict[str, Any], wave: int, stable: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """Every customer's (complete, error-free) answers in a wave: the census the samples draw from."""
    rng, n = c.rng, c.n_customers
    seg = cu["seg"]
    g = cu["sat"] + 0.4 * _mix(rng, stable["g"])
    stage_f = {st: S.STAGE_SHIFT[seg, k] + _mix(rng, stable[st]) for k, st in enumerate(S.STAGES)}
    out: dict[str, np.ndarray] = {}
    lin = np.full(n, S.OVERALL_INTERCEPT)
    for col, st, _en, _zh, shift, w in S.SAT_ITEMS:
        x = S.LOAD_G * g + S.LOAD_STAGE * stage_f[st] + S.LOAD_E * _mix(rng, stable[col]) + shift
        if wave == 2:
            x = x + S.WAVE2_STAGE_SHIFT.get(st, 0.0)
        elif wave == 3:
            x = x + (S.WAVE3_STAGE_SHIFT.get(st, 0.0) + S.WAVE3_ITEM_SHIFT.get(col, 0.0))
        out[col] = _likert(x, S.THRESHOLDS)
        lin = lin + w * out[col]
    overall_c = lin + rng.normal(0.0, S.OVERALL_NOISE, n)
    out["_overall_lin"] = lin
    out["overall_sat"] = np.clip(np.round(overall_c), 1, 10).astype(np.int64)
    ltr_c = S.LTR_INTERCEPT + S.LTR_SLOPE * overall_c + rng.normal(0.0, S.LTR_NOISE, n)
    if wave == 2:
        ltr_c = ltr_c + S.LTR_WAVE2
    elif wave == 3:
        ltr_c = ltr_c + S.LTR_WAVE3
    out["ltr"] = np.clip(np.round(ltr_c), 0, 10).astype(np.int64)
    # Kano answers and stated importance
    kp = _kano_probs()
    for f, feat in enumerate(S.KANO_FEATURES):
        cat = _choice_rows(rng, kp[f, seg])
        fa = np.zeros(n, dtype=np.int64)
        da = np.zeros(n, dtype=np.int64)
        u = rng.random(n)
        for k, pats in _PATTERNS.items():
            m = cat == k
            cum = np.cumsum([p for _, p in pats])
            j = np.minimum(np.searchsorted(cum, u[m]), len(pats) - 1)
            fa[m] = np.array([p[0][0] for p in pats])[j]
            da[m] = np.array([p[0][1] for p in pats])[j]
        q = rng.random(n) < S.P_KANO_QUESTIONABLE
        qv = np.where(rng.random(n) < 0.5, 1, 5)
        fa = np.where(q, qv, fa)
        da = np.where(q, qv, da)
        out[f"kano_{feat[0]}_f"] = fa
        out[f"kano_{feat[0]}_d"] = da
        imp_mean = np.array([S.IMPORTANCE_MEAN[k] for k in S.KANO_CATS])[cat]
        out[f"imp_{feat[0]}"] = np.clip(np.round(imp_mean + rng.normal(0.0, 1.3, n)), 1, 9).astype(
            np.int64
        )
        out[f"_kcat_{feat[0]}"] = cat
    acq = rng.normal(0.0, 0.3, n)
    for col, _en, _zh, means in S.ATT_ITEMS:
        x = np.asarray(means)[seg] + acq + rng.normal(0.0, 1.0, n)
        out[col] = _likert(x, S.ATT_THRESHOLDS)
    return out


def _kpis(resp: dict[str, np.ndarray], mask: np.ndarray) -> dict[str, float]:
    out = {}
    for col in (
        "sat_de_speed",
        "sat_de_condition",
        "sat_as_speed",
        "sat_as_solve",
        "sat_us_perf",
        "sat_pu_price",
        "sat_in_ease",
    ):
        out[f"top2_{col}"] = 100.0 * float(np.mean(resp[col][mask] >= 4))
    ltr = resp["ltr"][mask]
    out["nps"] = 100.0 * float(np.mean(ltr >= 9) - np.mean(ltr <= 6))
    return out


KPI_LABELS = {
    "top2_sat_de_speed": ("Delivery speed, % satisfied (4-5)", True),
    "top2_sat_de_condition": ("Arrived in good condition, % satisfied (4-5)", True),
    "nps": ("Net Promoter Score (ltr 9-10 minus 0-6)", True),
    "top2_sat_as_speed": ("Service response speed, % satisfied (4-5)", False),
    "top2_sat_as_solve": ("Problem solved, % satisfied (4-5)", False),
    "top2_sat_us_perf": ("Product performance, % satisfied (4-5)", False),
    "top2_sat_pu_price": ("Fair price, % satisfied (4-5)", False),
    "top2_sat_in_ease": ("Easy installation, % satisfied (4-5)", False),
}


def _comments(c: _Ctx, seg: np.ndarray, prod: np.ndarray) -> tuple[np.ndarray, pd.DataFrame]:
    rng = c.rng
    n = len(seg)
    rates = _pain_rates(none_boost=2.5)
    cat, stage, sev = _draw_pain(rng, seg, rates)
    prod = _fix_products(rng, prod, cat, stage)
    names = np.array([p[0] for p in S.PRODUCTS], dtype=object)
    cats = np.array([p[1] for p in S.PRODUCTS], dtype=object)
    pkey = np.array([T.PRODUCT_KEYS[x] for x in cats], dtype=object)[prod]
    model = names[prod]
    lang = np.where(rng.random(n) < 0.12, "en", "zh").astype(object)
    text = T.compose(rng, cat, stage, sev, pkey, model, lang)
    empty = rng.random(n) < 0.42
    junk = (~empty) & (rng.random(n) < S.P_JUNK / 0.58)
    text = np.where(junk, T.JUNK[rng.integers(0, len(T.JUNK), n)], text)
    text = np.where(empty, "", text)
    lab = pd.DataFrame(
        {
            "category": np.where(empty, "empty", np.where(junk, "junk", cat)),
            "stage": np.where(empty | junk | (cat == "none"), _NONE, stage),
            "severity": np.where(empty | junk, 0, sev),
            "lang": np.where(empty, _NONE, lang),
            "junk": junk,
        }
    )
    return text, lab


def _wave_frame(
    c: _Ctx,
    cu: dict[str, Any],
    w: int,
    pick: np.ndarray,
    pop_w: dict[str, np.ndarray],
    eligible_w: np.ndarray,
    field: tuple[np.datetime64, int],
    first_prod: np.ndarray,
    prev: np.ndarray | None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """One survey wave's file, respondent truth and comment truth from the census answers *pop_w*.

    *pick* are the sampled customers, *prev* the previous wave's (the ``panel`` flag) or None.
    Every random draw comes from ``c.rng`` in a fixed order (waves 1 and 2 from the main stream,
    wave 3 from its own).
    """
    rng = c.rng
    seg = cu["seg"]
    age_band = np.digitize(cu["age"], [35, 50])
    sat_cols = [it[0] for it in S.SAT_ITEMS]
    idx = rng.permutation(pick)
    m = len(idx)
    P = {k: v[idx] for k, v in pop_w.items()}
    day0, ndays = field
    date = _dates(rng.integers(0, ndays, m), origin=day0)
    dur = np.round(np.exp(rng.normal(np.log(780.0), 0.35, m))).astype(np.int64)
    speeder = rng.random(m) < S.P_SPEED
    dur = np.where(speeder, np.round(780.0 * rng.uniform(0.10, 0.30, m)), dur).astype(np.int64)
    straight = rng.random(m) < S.P_STRAIGHT
    cols: dict[str, Any] = {
        "resp_id": w * 100000 + np.arange(1, m + 1),
        "customer_id": cu["ids"][idx],
        "wave": np.full(m, w),
        "date": date,
        "region": cu["region"][idx] + 1,
        "city_tier": cu["tier"][idx] + 1,
        "gender": cu["female"][idx].astype(np.int64) + 1,
        "age": cu["age"][idx],
        "income_band": cu["income"][idx] + 1,
        "channel": cu["channel"][idx] + 1,
        "duration_sec": dur,
    }
    no_inst = rng.random(m) < S.P_NO_INSTALL
    no_serv = rng.random(m) < S.P_NO_SERVICE
    for col, st, *_ in S.SAT_ITEMS:
        v = P[col].astype(float)
        if st == "installation":
            v = np.where(no_inst, 99.0, v)
        if st == "after_sales":
            v = np.where(no_serv, 99.0, v)
        cols[col] = v
    sl_val = np.array([5, 4, 3, 1])[_choice_rows(rng, np.tile([0.5, 0.3, 0.15, 0.05], (m, 1)))]
    for col in sat_cols:
        cols[col] = np.where(straight, sl_val, cols[col])
    cols["overall_sat"] = P["overall_sat"].astype(float)
    cols["ltr"] = P["ltr"].astype(float)
    kano_lab = np.array([None] + [a[1] for a in S.KANO_ANSWERS], dtype=object)
    for feat in S.KANO_FEATURES:
        cols[f"kano_{feat[0]}_f"] = kano_lab[P[f"kano_{feat[0]}_f"]]
        cols[f"kano_{feat[0]}_d"] = kano_lab[P[f"kano_{feat[0]}_d"]]
    for feat in S.KANO_FEATURES:
        v = P[f"imp_{feat[0]}"]
        cols[f"imp_{feat[0]}"] = np.where(speeder, rng.integers(1, 10, m), v).astype(float)
    for col, *_ in S.ATT_ITEMS:
        cols[col] = np.where(speeder, rng.integers(1, 6, m), P[col]).astype(float)
    text, lab = _comments(c, seg[idx], first_prod[idx])
    cols["comment"] = text
    # item non-response: more for later questions
    qcols = [k for k in cols if k.startswith(("sat_", "overall", "ltr", "kano_", "imp_", "att_"))]
    pair_miss = np.zeros(m, dtype=bool)
    for j, col in enumerate(qcols):
        p = 0.004 + 0.035 * j / len(qcols)
        miss = rng.random(m) < p
        if col in sat_cols:  # straight-liners answer the whole battery
            miss = miss & ~straight
        if col.startswith("kano_") and col.endswith("_d"):  # a skipped pair loses both answers
            miss = miss | pair_miss
        if col.startswith("kano_") and col.endswith("_f"):
            pair_miss = miss & (rng.random(m) < 0.7)
        v = cols[col]
        cols[col] = np.where(miss, None if v.dtype == object else np.nan, v)
    # post-stratification weight on city tier x age band, trimmed to [0.4, 2.5]
    cell = cu["tier"] * 3 + age_band
    pop_share = np.bincount(cell[eligible_w], minlength=12) / eligible_w.sum()
    smp_share = np.bincount(cell[idx], minlength=12) / m
    wt = (pop_share / np.where(smp_share > 0, smp_share, 1.0))[cell[idx]]
    wt = wt * np.exp(rng.normal(0.0, 0.12, m))
    for _ in range(3):  # trim and renormalise (a fixed number of passes)
        wt = np.clip(wt / wt.mean(), 0.4, 2.5)
    cols["weight"] = np.round(wt, 3)
    df = pd.DataFrame(cols)
    for col in df.columns:
        if col.startswith(("sat_", "overall", "ltr", "imp_", "att_")):
            df[col] = pd.array(df[col].to_numpy(), dtype="Float64").astype("Int64")
    resp = pd.DataFrame(
        {
            "wave": w,
            "resp_id": cols["resp_id"],
            "customer_id": cols["customer_id"],
            "segment": np.array(S.SEGMENTS, dtype=object)[seg[idx]],
            "straightliner": straight,
            "speeder": speeder,
            "junk_comment": lab["junk"].to_numpy(),
            "panel": np.isin(idx, prev) if prev is not None else np.zeros(m, dtype=bool),
        }
    )
    comments = pd.concat([pd.DataFrame({"wave": w, "resp_id": cols["resp_id"]}), lab], axis=1)
    return df, resp, comments


def _survey(c: _Ctx, cu: dict[str, Any], tr: dict[str, Any]) -> dict[str, Any]:
    rng, n = c.rng, c.n_customers
    seg = cu["seg"]
    stable = _stable_parts(c)
    pop = {w: _population_responses(c, cu, w, stable) for w in (1, 2)}
    age_band = np.digitize(cu["age"], [35, 50])
    logw = (
        0.6 * (cu["tier"] == 0)
        + 0.3 * (cu["tier"] == 1)
        + 0.4 * (age_band == 0)
        - 0.45 * (age_band == 2)
    )
    eligible = {
        w: cu["signup"] < int((S.WAVE_FIELD[w][0] - S.WINDOW_START).astype(int)) for w in (1, 2)
    }
    picks = {1: _gumbel_top(rng, logw, c.n_respondents, eligible[1])}
    n_panel = int(round(0.4 * c.n_respondents))
    panel = np.sort(rng.choice(picks[1], size=min(n_panel, len(picks[1])), replace=False))
    fresh_ok = eligible[2].copy()
    fresh_ok[picks[1]] = False
    fresh = _gumbel_top(rng, logw, c.n_respondents - len(panel), fresh_ok)
    picks[2] = np.sort(np.concatenate([panel, fresh]))
    # product each customer mostly bought (for comment texts): their first order's product
    first_prod = np.zeros(n, dtype=np.int64)
    first_prod[tr["cust"][::-1]] = tr["prod"][::-1]
    frames, resp_truth, comment_truth, kpi_rows = {}, [], [], []
    sat_cols = [it[0] for it in S.SAT_ITEMS]
    for w in (1, 2):
        frames[w], r_w, c_w = _wave_frame(
            c,
            cu,
            w,
            picks[w],
            pop[w],
            eligible[w],
            S.WAVE_FIELD[w],
            first_prod,
            picks[1] if w == 2 else None,
        )
        resp_truth.append(r_w)
        comment_truth.append(c_w)
        kpi_rows.append(_kpis(pop[w], eligible[w]))
    waves = pd.DataFrame(
        {
            "kpi": list(KPI_LABELS),
            "label": [v[0] for v in KPI_LABELS.values()],
            "wave1_true": [round(kpi_rows[0][k], 2) for k in KPI_LABELS],
            "wave2_true": [round(kpi_rows[1][k], 2) for k in KPI_LABELS],
        }
    )
    waves["diff"] = (waves["wave2_true"] - waves["wave1_true"]).round(2)
    waves["changed"] = [v[1] for v in KPI_LABELS.values()]
    # drivers: raw weights, population standardised betas and R squared (wave 1 census)
    P1 = pop[1]
    X = np.column_stack([P1[col] for col in sat_cols]).astype(float)
    wts = np.array([it[5] for it in S.SAT_ITEMS])
    lin = P1["_overall_lin"]
    y_var = lin.var() + S.OVERALL_NOISE**2
    drivers = pd.DataFrame(
        {
            "item": sat_cols,
            "stage": [it[1] for it in S.SAT_ITEMS],
            "weight": wts,
            "std_weight": np.round(wts * X.std(axis=0) / np.sqrt(y_var), 4),
            "zero": wts == 0,
        }
    )
    driver_model = {
        "outcome": "overall_sat",
        "intercept": S.OVERALL_INTERCEPT,
        "noise_sd": S.OVERALL_NOISE,
        "r2": round(float(lin.var() / y_var), 4),
        "formula": "overall_sat = round(clip(intercept + sum(weight * item) + N(0, noise_sd), 1, 10))",
    }
    # Kano truth
    kp = _kano_probs()
    share = np.bincount(seg, minlength=len(S.SEGMENTS)) / n
    rows, seg_rows = [], []
    for f, feat in enumerate(S.KANO_FEATURES):
        pm = (kp[f] * share[:, None]).sum(axis=0)
        rows.append(
            {
                "feature": feat[0],
                "kind": feat[1],
                "label_en": feat[2],
                "label_zh": feat[3],
                "category": S.KANO_CATS[int(pm.argmax())],
                **{f"p_{k}": round(float(p), 4) for k, p in zip(S.KANO_CATS, pm, strict=True)},
                "differs_by_segment": len(set(feat[4])) > 1,
            }
        )
        for s, sk in enumerate(S.SEGMENTS):
            seg_rows.append(
                {
                    "feature": feat[0],
                    "segment": sk,
                    "category": feat[4][s],
                    **{f"p_{k}": p for k, p in zip(S.KANO_CATS, kp[f, s], strict=True)},
                }
            )
    return {
        "frames": frames,
        "respondents": pd.concat(resp_truth, ignore_index=True),
        "comments": pd.concat(comment_truth, ignore_index=True),
        "waves": waves,
        "drivers": drivers,
        "driver_model": driver_model,
        "kano": pd.DataFrame(rows),
        "kano_by_segment": pd.DataFrame(seg_rows),
        # for wave 3 (its own stream): the stable parts, samples and weights of waves 1-2
        "stable": stable,
        "picks": picks,
        "logw": logw,
        "first_prod": first_prod,
    }


# ----------------------------------------------------------------- pain points
def _pain_rates(none_boost: float = 1.0) -> np.ndarray:
    """(segment, combo + none) probabilities; the last column is "no pain point"."""
    base = np.array([r for *_, r in S.PAIN_COMBOS] + [S.P_NONE * none_boost])
    out = np.tile(base, (len(S.SEGMENTS), 1))
    for s, sk in enumerate(S.SEGMENTS):
        for (cat, st), mult in S.PAIN_MULT[sk].items():
            for j, (c2, s2, _) in enumerate(S.PAIN_COMBOS):
                if c2 == cat and (st is None or st == s2):
                    out[s, j] *= mult
    return out / out.sum(axis=1, keepdims=True)


def _draw_pain(
    rng: np.random.Generator, seg: np.ndarray, rates: np.ndarray
) -> tuple[np.ndarray, ...]:
    j = _choice_rows(rng, rates[seg])
    cats = np.array([c for c, _, _ in S.PAIN_COMBOS] + ["none"], dtype=object)
    stages = np.array([s for _, s, _ in S.PAIN_COMBOS] + [""], dtype=object)
    cat, stage = cats[j], stages[j]
    sev = np.zeros(len(seg), dtype=np.int64)
    for k, p in S.SEVERITY_P.items():
        m = cat == k
        sev[m] = 1 + _choice_rows(rng, np.tile(p, (int(m.sum()), 1)))
    return cat, stage, sev


def _fix_products(
    rng: np.random.Generator, prod: np.ndarray, cat: np.ndarray, stage: np.ndarray
) -> np.ndarray:
    """Consumables cannot fail to pair or arrive dead: such texts are about a main appliance instead."""
    cats = np.array([p[1] for p in S.PRODUCTS], dtype=object)
    bad = (
        (cats[prod] == "配件耗材")
        & (cat == "functional")
        & np.isin(stage, ["installation", "delivery"])
    )
    return np.where(bad, rng.integers(0, 7, len(prod)), prod)


def _feedback(c: _Ctx, cu: dict[str, Any], tr: dict[str, Any]) -> dict[str, Any]:
    rng, m = c.rng, c.n_feedback
    seg_all, sat = cu["seg"], cu["sat"]
    p_author = np.exp(-0.5 * sat)
    author = rng.choice(c.n_customers, size=m, p=p_author / p_author.sum())
    seg = seg_all[author]
    rates = _pain_rates()
    cat, stage, sev = _draw_pain(rng, seg, rates)
    # product: a random order of the author
    offsets = np.concatenate([[0], np.cumsum(tr["n_orders"])[:-1]])
    order_of = np.argsort(tr["cust"], kind="stable")
    pick = offsets[author] + np.floor(rng.random(m) * tr["n_orders"][author]).astype(np.int64)
    prod = _fix_products(rng, tr["prod"][order_of[pick]], cat, stage)
    names = np.array([p[0] for p in S.PRODUCTS], dtype=object)
    cats = np.array([p[1] for p in S.PRODUCTS], dtype=object)
    pkey = np.array([T.PRODUCT_KEYS[x] for x in cats], dtype=object)[prod]
    chn = _choice_rows(rng, np.tile([ch[1] for ch in S.FEEDBACK_CHANNELS], (m, 1)))
    p_en = np.array([ch[2] for ch in S.FEEDBACK_CHANNELS])[chn]
    lang = np.where(rng.random(m) < p_en, "en", "zh").astype(object)
    text = T.compose(rng, cat, stage, sev, pkey, names[prod], lang)
    day = np.sort(rng.integers(0, int((S.WINDOW_END - S.WINDOW_START).astype(int)) + 1, m))
    med = np.array([ch[3] for ch in S.FEEDBACK_CHANNELS])[chn]
    hours = med * np.exp(rng.normal(0.0, 0.6, m)) * np.where(sev == 3, 1.5, 1.0)
    hours = np.where(rng.random(m) < 0.08, np.nan, np.round(hours, 1))
    social = np.isnan(med)
    fid = np.char.add("F", np.char.zfill(np.arange(1, m + 1).astype(str), 5)).astype(object)
    df = pd.DataFrame(
        {
            "feedback_id": fid,
            "customer_id": np.where(social, None, cu["ids"][author]),
            "channel": np.array([ch[0] for ch in S.FEEDBACK_CHANNELS], dtype=object)[chn],
            "date": _dates(day),
            "product": names[prod],
            "text": text,
            "lang": lang,
            "resolution_hours": hours,
        }
    )
    truth = pd.DataFrame(
        {
            "feedback_id": fid,
            "customer_id": cu["ids"][author],
            "segment": np.array(S.SEGMENTS, dtype=object)[seg],
            "lang": lang,
            "category": cat,
            "category_zh": np.array([T.CATEGORY_ZH[x] for x in cat], dtype=object),
            "stage": np.where(cat == "none", _NONE, stage),
            "severity": sev,
        }
    )
    rows = []
    for s, sk in enumerate(S.SEGMENTS):
        for j, (ca, st, _) in enumerate(S.PAIN_COMBOS):
            rows.append(
                {"segment": sk, "category": ca, "stage": st, "rate": round(float(rates[s, j]), 5)}
            )
        rows.append(
            {
                "segment": sk,
                "category": "none",
                "stage": None,
                "rate": round(float(rates[s, -1]), 5),
            }
        )
    return {"df": df, "truth": truth, "rates": pd.DataFrame(rows)}


# ----------------------------------------------------------------- needs, MaxDiff (issue 15)
def maxdiff_design(rng: np.random.Generator, n_resp: int, n_items: int) -> np.ndarray:
    """The MaxDiff design: an (n_resp, tasks, per_task) array of item positions.

    Each respondent sees two random permutations of the 12 items cut into tasks of 4 (six tasks:
    every item twice) and then the 8 items outside one group of 4 (items ``4g .. 4g+3`` with
    ``g = respondent mod 3``) in random order (two tasks). No item appears twice in a task; over
    a multiple of 3 respondents every item is shown exactly ``n_resp * 8/3`` times (frequency
    balance), and pairs of items meet about equally often (random permutations: near balance).
    """
    k, t = S.MAXDIFF_PER_TASK, S.MAXDIFF_TASKS
    if n_items != 12 or k != 4 or t != 8:  # the construction below is for 12 x 8 x 4
        raise ValueError("the sample MaxDiff design is built for 12 items, 8 tasks of 4")
    full = np.argsort(rng.random((n_resp, 2, n_items)), axis=2).reshape(n_resp, 2 * n_items)
    group = np.arange(n_resp) % 3
    rest = np.array([[i for i in range(n_items) if i // k != g] for g in range(3)])[group]
    order = np.argsort(rng.random((n_resp, rest.shape[1])), axis=1)
    third = np.take_along_axis(rest, order, axis=1)
    return np.concatenate([full, third], axis=1).reshape(n_resp, t, k)


def _maxdiff_choices(
    rng: np.random.Generator, design: np.ndarray, utility: np.ndarray
) -> np.ndarray:
    """Best-worst choices: best ~ exp(u) over the task, worst ~ exp(-u) over the rest.

    Sampled exactly with the Gumbel-max trick (argmax of u + Gumbel noise is a draw from the
    softmax of u). Returns an array shaped like *design*: 1 best, -1 worst, 0 neither.
    """
    u = utility[design]
    g1 = -np.log(-np.log(rng.random(design.shape)))
    g2 = -np.log(-np.log(rng.random(design.shape)))
    best = np.argmax(u + g1, axis=2)
    worst_key = -u + g2
    np.put_along_axis(worst_key, best[..., None], -np.inf, axis=2)
    worst = np.argmax(worst_key, axis=2)
    out = np.zeros(design.shape, dtype=np.int64)
    np.put_along_axis(out, best[..., None], 1, axis=2)
    np.put_along_axis(out, worst[..., None], -1, axis=2)
    return out


def _needs(rng: np.random.Generator, wave1: pd.DataFrame) -> dict[str, Any]:
    """needs.csv, needs_mapping.csv and maxdiff.csv with their truth, from their own stream."""
    cols = ["need", "label_en", "label_zh", "kano_category", "role", "cost", "feasibility"]
    cols += ["effort", "reach", "confidence", "maxdiff_utility"]
    truth = pd.DataFrame(S.NEEDS, columns=cols)
    truth.insert(5, "explicit", ~truth["need"].isin(S.IMPLICIT_NEEDS))
    truth["maxdiff_utility"] = truth["maxdiff_utility"].astype(float)
    truth["maxdiff_rank"] = truth["maxdiff_utility"].rank(ascending=False).astype("Int64")
    needs = truth[["need", "label_en", "label_zh", "cost", "feasibility", "effort", "reach"]]
    needs = needs.assign(confidence=truth["confidence"])
    labels = truth.set_index("need")[["label_en", "label_zh"]]
    keys: list[tuple[str, str, str]] = [("kano", f, n) for f, n in S.NEED_KANO.items()]
    for src in ("item", "driver", "ipa"):
        keys += [(src, col, n) for col, n in S.NEED_ITEMS.items()]
    keys += [("pain", code, n) for code, n in S.NEED_PAINS.items()]
    in_md = truth.loc[truth["maxdiff_utility"].notna(), "need"].tolist()
    keys += [("maxdiff", n, n) for n in in_md]
    mapping = pd.DataFrame(keys, columns=["source", "key", "need"])
    mapping = mapping.join(labels, on="need")
    mapping["explicit"] = ~mapping["need"].isin(S.IMPLICIT_NEEDS)
    # MaxDiff: the first wave-1 respondents by resp_id
    ids = np.sort(wave1["resp_id"].to_numpy())[: S.MAXDIFF_N]
    util = truth.set_index("need").loc[in_md, "maxdiff_utility"].to_numpy()
    design = maxdiff_design(rng, len(ids), len(in_md))
    choice = _maxdiff_choices(rng, design, util)
    n_r, n_t, n_k = design.shape
    md = pd.DataFrame(
        {
            "resp_id": np.repeat(ids, n_t * n_k),
            "task": np.tile(np.repeat(np.arange(1, n_t + 1), n_k), n_r),
            "item": np.array(in_md, dtype=object)[design.ravel()],
            "choice": choice.ravel(),
        }
    )
    e = np.exp(util)
    md_truth = pd.DataFrame(
        {
            "item": in_md,
            "utility": util,
            "rank": pd.Series(util).rank(ascending=False).astype(np.int64).to_numpy(),
            "share": np.round(100.0 * e / e.sum(), 2),
            "shown": np.bincount(design.ravel(), minlength=len(in_md)),
        }
    ).sort_values("rank", ignore_index=True)
    return {
        "needs": needs,
        "mapping": mapping,
        "maxdiff": md,
        "truth": truth,
        "maxdiff_truth": md_truth,
    }


# ----------------------------------------------------------------- benchmarks, codebook, plan
def _competitors(c: _Ctx, waves: pd.DataFrame) -> pd.DataFrame:
    rng = c.rng
    brands = [
        ("Lumo 智家", 0.0, 0.0, 11.0, 0.0),
        ("Vetta 维塔", 3.0, 4.0, 24.0, 3.0),
        ("Orin 欧林", -2.0, -5.0, 16.0, -2.0),
        ("Kaiya 凯雅", 1.0, 2.0, 9.0, 1.0),
        ("Brisa 布里萨", -4.0, -8.0, 6.0, -5.0),
    ]
    periods = ["2023H1", "2023H2", "2024H1", "2024H2"]
    rows = []
    nps = waves.set_index("kpi")["wave1_true"]["nps"], waves.set_index("kpi")["wave2_true"]["nps"]
    for b, (name, dc, dn, share, dr) in enumerate(brands):
        for t, per in enumerate(periods):
            csat = 72.0 + dc + 0.8 * t + rng.normal(0, 1.0)
            npsv = 12.0 + dn + rng.normal(0, 2.0)
            if b == 0:
                npsv = [
                    nps[0] - 4.0 + rng.normal(0, 1.5),
                    nps[0] - 2.0 + rng.normal(0, 1.5),
                    nps[0],
                    nps[1],
                ][t]
                csat = csat + (4.0 if t == 3 else 0.0)
            sh = share * (1.0 + 0.04 * t * (1 if b in (0, 3) else -1)) + rng.normal(0, 0.3)
            ret = 58.0 + dr + rng.normal(0, 1.5)
            src = (
                "Lumo 智家 customer survey"
                if (b == 0 and t >= 2)
                else "Smart home industry tracker (fictional)"
            )
            for kpi, v, unit in (
                ("csat", csat, "%"),
                ("nps", npsv, "points"),
                ("share", sh, "%"),
                ("retention", ret, "%"),
            ):
                rows.append(
                    {
                        "brand": name,
                        "period": per,
                        "kpi": kpi,
                        "value": round(float(v), 1),
                        "unit": unit,
                        "source": src
                        if kpi == "nps"
                        else "Smart home industry tracker (fictional)",
                    }
                )
    return pd.DataFrame(rows)


def _lab(en: str, zh: str) -> dict[str, str]:
    return {"en": en, "zh": zh}


def codebook_dict() -> dict[str, Any]:
    """The codebook of survey_wave1.csv and survey_wave2.csv (docs/codebook.md format)."""
    sat5 = {
        1: _lab("Very dissatisfied", "非常不满意"),
        2: _lab("Dissatisfied", "不满意"),
        3: _lab("Neutral", "一般"),
        4: _lab("Satisfied", "满意"),
        5: _lab("Very satisfied", "非常满意"),
    }
    agree5 = {
        1: _lab("Strongly disagree", "非常不同意"),
        2: _lab("Disagree", "不同意"),
        3: _lab("Neutral", "一般"),
        4: _lab("Agree", "同意"),
        5: _lab("Strongly agree", "非常同意"),
    }
    kano = {i + 1: _lab(en, zh) for i, (en, zh) in enumerate(S.KANO_ANSWERS)}
    cols: dict[str, Any] = {
        "resp_id": {"type": "id", "label": _lab("Respondent ID", "受访者编号")},
        "customer_id": {
            "type": "id",
            "label": _lab("Customer ID (links to customers.csv)", "客户编号"),
        },
        "wave": {
            "type": "single",
            "label": _lab("Survey wave", "调研波次"),
            "values": {
                1: _lab("Wave 1 (April 2024)", "第一波 (2024年4月)"),
                2: _lab("Wave 2 (October 2024)", "第二波 (2024年10月)"),
                3: _lab("Wave 3 (April 2025)", "第三波 (2025年4月)"),
            },
            "ordered": True,
        },
        "date": {"type": "date", "label": _lab("Interview date", "访问日期")},
        "region": {
            "type": "single",
            "label": _lab("Region", "地区"),
            "values": {i + 1: _lab(en, zh) for i, (zh, en) in enumerate(S.REGIONS)},
        },
        "city_tier": {
            "type": "single",
            "label": _lab("City tier", "城市级别"),
            "ordered": True,
            "values": {i + 1: _lab(en, zh) for i, (zh, en) in enumerate(S.TIERS)},
        },
        "gender": {
            "type": "single",
            "label": _lab("Gender", "性别"),
            "values": {i + 1: _lab(en, zh) for i, (zh, en) in enumerate(S.GENDERS)},
        },
        "age": {"type": "numeric", "label": _lab("Age (years)", "年龄"), "range": [18, 75]},
        "income_band": {
            "type": "single",
            "label": _lab("Monthly household income (yuan)", "家庭月收入 (元)"),
            "ordered": True,
            "values": {i + 1: _lab(en, zh) for i, (zh, en) in enumerate(S.INCOMES)},
        },
        "channel": {
            "type": "single",
            "label": _lab("Main purchase channel", "主要购买渠道"),
            "values": {i + 1: _lab(en, zh) for i, (zh, en) in enumerate(S.CHANNELS)},
        },
        "duration_sec": {
            "type": "numeric",
            "label": _lab("Interview duration (seconds)", "答题时长 (秒)"),
            "range": [1, 7200],
        },
    }
    for col, st, en, zh, *_ in S.SAT_ITEMS:
        entry = {
            "type": "likert",
            "label": _lab(f"Satisfaction: {en}", f"满意度：{zh}"),
            "group": "sat",
            "stage": st,
            "ordered": True,
            "values": sat5,
        }
        if st in ("installation", "after_sales"):
            entry["missing"] = [99]
            entry["missing_labels"] = {99: _lab("Don't know / not applicable", "不知道/不适用")}
        cols[col] = entry
    cols["overall_sat"] = {
        "type": "numeric",
        "range": [1, 10],
        "label": _lab(
            "Overall satisfaction (1 = very dissatisfied, 10 = very satisfied)",
            "总体满意度 (1=非常不满意, 10=非常满意)",
        ),
    }
    cols["ltr"] = {
        "type": "numeric",
        "range": [0, 10],
        "label": _lab("Likelihood to recommend (0-10)", "推荐意愿 (0-10)"),
    }
    for key, kind, en, zh, _ in S.KANO_FEATURES:
        cols[f"kano_{key}_f"] = {
            "type": "kano_functional",
            "feature": key,
            "kind": kind,
            "label": _lab(
                f"If the product or service offers {en}, how do you feel?",
                f"如果产品或服务具备「{zh}」，您的感受是？",
            ),
            "values": kano,
        }
        cols[f"kano_{key}_d"] = {
            "type": "kano_dysfunctional",
            "feature": key,
            "kind": kind,
            "label": _lab(
                f"If the product or service does not offer {en}, how do you feel?",
                f"如果产品或服务不具备「{zh}」，您的感受是？",
            ),
            "values": kano,
        }
    for key, _kind, en, zh, _ in S.KANO_FEATURES:
        cols[f"imp_{key}"] = {
            "type": "numeric",
            "group": "importance",
            "feature": key,
            "range": [1, 9],
            "label": _lab(
                f"Importance: {en} (1 = not at all, 9 = extremely)",
                f"重要性：{zh} (1=完全不重要, 9=极其重要)",
            ),
        }
    for col, en, zh, _ in S.ATT_ITEMS:
        cols[col] = {
            "type": "likert",
            "group": "attitude",
            "ordered": True,
            "values": agree5,
            "label": _lab(en, zh),
        }
    cols["comment"] = {
        "type": "text",
        "label": _lab("Anything else you want to tell us?", "您还有什么想告诉我们的？"),
    }
    cols["weight"] = {
        "type": "weight",
        "label": _lab(
            "Post-stratification weight (city tier x age band)", "事后分层权重 (城市级别 x 年龄段)"
        ),
    }
    return {
        "needlab_codebook": 1,
        "title": _lab(
            "Lumo Home customer needs survey 2024 (waves 1 and 2)",
            "Lumo 智家 2024 客户需求调研 (第一、二波)",
        ),
        "id": "resp_id",
        "weight": "weight",
        "columns": cols,
    }


def _plan(seed: int, waves: pd.DataFrame) -> dict[str, Any]:
    """The example needs development plan in Plan YAML v2 (needs, goals, actions)."""
    w1 = waves.set_index("kpi")["wave1_true"]

    def top2(col: str, plus: float) -> dict[str, float]:
        base = round(float(w1[f"top2_{col}"]), 1)
        return {"baseline": base, "target": round(base + plus, 1)}

    needs = [{"id": n[0], "label": _lab(n[1], n[2])} for n in S.NEEDS]
    goals: list[dict[str, Any]] = [
        {
            "id": "G1",
            "objective": _lab("Faster, more reliable delivery", "提升配送时效与可靠性"),
            "kpi": "top2:sat_de_speed",
            "kpi_label": _lab("Delivery speed satisfaction, % 4-5", "配送速度满意度 (4-5分占比 %)"),
            **top2("sat_de_speed", 10),
            "direction": "increase",
            "unit": "%",
            "deadline": "2025-06-30",
            "owner": _lab("Head of logistics", "物流负责人"),
            "segment": None,
            "needs": ["N03"],
        },
        {
            "id": "G2",
            "objective": _lab("Solve after-sales problems at first contact", "售后问题一次解决"),
            "kpi": "top2:sat_as_solve",
            "kpi_label": _lab("Problem solved, % 4-5", "问题解决满意度 (4-5分占比 %)"),
            **top2("sat_as_solve", 8),
            "direction": "increase",
            "unit": "%",
            "deadline": "2025-12-31",
            "owner": _lab("Head of customer service", "客服负责人"),
            "segment": None,
            "needs": ["N06"],
        },
        {
            "id": "G3",
            "objective": _lab("More customers recommend us", "提升客户推荐意愿"),
            "kpi": "nps",
            "kpi_label": _lab("Net Promoter Score", "净推荐值 NPS"),
            "baseline": round(float(w1["nps"]), 1),
            "target": round(float(w1["nps"]) + 10, 1),
            "direction": "increase",
            "unit": "points",
            "deadline": "2025-12-31",
            "owner": _lab("Chief marketing officer", "首席营销官"),
            "segment": None,
            "needs": ["N02", "N04", "N06"],
        },
        {
            "id": "G4",
            "objective": _lab("Reduce complaints about app pairing", "减少 App 配网投诉"),
            "kpi": "complaint_rate:FUN.PAIRING",
            "kpi_label": _lab("Pairing complaints per 1,000 orders", "每千单配网投诉数"),
            "baseline": None,
            "baseline_note": _lab(
                "Not measured yet: measure it from feedback.csv (code FUN.PAIRING).",
                "尚未测量：请从 feedback.csv 测量 (代码 FUN.PAIRING)。",
            ),
            "target": None,
            "direction": "decrease",
            "unit": "per 1,000 orders",
            "deadline": "2025-09-30",
            "owner": _lab("Head of IoT platform", "IoT 平台负责人"),
            "segment": None,
            "needs": ["N01"],
        },
    ]

    def act(
        i: int,
        en: str,
        zh: str,
        needs: list[str],
        goal: str,
        span: tuple[str, str],
        who: tuple[str, str],
        cost: int,
        staff: int,
    ) -> dict[str, Any]:
        return {
            "id": f"A{i}",
            "description": _lab(en, zh),
            "needs": needs,
            "goals": [goal],
            "start": span[0],
            "end": span[1],
            "resources": _lab(f"{staff} staff", f"{staff} 人"),
            "cost": cost,
            "responsible": _lab(*who),
        }

    logistics, service = ("Logistics", "物流部"), ("Customer service", "客服部")
    actions = [
        act(
            1,
            "Add two regional warehouses (South, Southwest)",
            "新增华南、西南两个区域仓",
            ["N03"],
            "G1",
            ("2024-05-01", "2024-09-30"),
            logistics,
            1800000,
            6,
        ),
        act(
            2,
            "Next-day delivery in tier 1 and new tier 1 cities",
            "一线及新一线城市次日达",
            ["N03"],
            "G1",
            ("2024-06-01", "2024-12-31"),
            logistics,
            600000,
            3,
        ),
        act(
            3,
            "Knowledge base and escalation rules for agents",
            "客服知识库与升级规则",
            ["N06"],
            "G2",
            ("2025-01-01", "2025-04-30"),
            service,
            300000,
            4,
        ),
        act(
            4,
            "48-hour on-site repair in tier 1 cities",
            "一线城市 48 小时上门维修",
            ["N06"],
            "G2",
            ("2025-03-01", "2025-09-30"),
            ("After-sales", "售后部"),
            900000,
            12,
        ),
        act(
            5,
            "Referral programme for owners",
            "老用户推荐有礼计划",
            [],
            "G3",
            ("2025-01-15", "2025-06-30"),
            ("Marketing", "市场部"),
            400000,
            2,
        ),
        act(
            6,
            "Bluetooth-assisted WiFi setup in firmware 3.2",
            "固件 3.2 蓝牙辅助配网",
            ["N01"],
            "G4",
            ("2025-02-01", "2025-06-30"),
            ("IoT platform", "IoT 平台部"),
            500000,
            5,
        ),
    ]
    return {
        "needlab_plan": 2,
        "title": _lab("Lumo Home needs development plan 2025", "Lumo 智家 2025 需求发展规划"),
        "source": {"generator": "needlab.datasets.make_sample", "seed": int(seed)},
        "note": _lab(
            "Baselines are the wave-1 census values planted by the generator; G4 has no baseline yet "
            "(measure it from feedback.csv).",
            "基线取自生成器设定的第一波总体真值；G4 尚无基线 (请从 feedback.csv 测量)。",
        ),
        "needs": needs,
        "goals": goals,
        "actions": actions,
    }


# ----------------------------------------------------------------- monitoring (issue 16)
def _wave3(c3: _Ctx, cu: dict[str, Any], sv: dict[str, Any]) -> dict[str, Any]:
    """Wave 3 (April 2025) from its own stream: census answers, a panel of wave-2 respondents.

    The census answers reuse each customer's stable parts of waves 1-2 (latent correlation
    ``WAVE_CORR`` with either earlier wave), so a panel member's answers are positively
    correlated with their wave-2 answers. ``WAVE3_PANEL`` of the respondents are drawn from the
    wave-2 respondents; the others are customers never asked before, drawn with the same
    response propensities (``logw``) as waves 1-2.
    """
    rng = c3.rng
    pop3 = _population_responses(c3, cu, 3, sv["stable"])
    eligible3 = cu["signup"] < int((S.WAVE3_FIELD[0] - S.WINDOW_START).astype(int))
    picks = sv["picks"]
    n_panel = int(round(S.WAVE3_PANEL * c3.n_respondents))
    panel = np.sort(rng.choice(picks[2], size=min(n_panel, len(picks[2])), replace=False))
    fresh_ok = eligible3.copy()
    fresh_ok[picks[1]] = False
    fresh_ok[picks[2]] = False
    fresh = _gumbel_top(rng, sv["logw"], c3.n_respondents - len(panel), fresh_ok)
    pick3 = np.sort(np.concatenate([panel, fresh]))
    df, resp, comments = _wave_frame(
        c3, cu, 3, pick3, pop3, eligible3, S.WAVE3_FIELD, sv["first_prod"], picks[2]
    )
    cust_index = pd.Index(cu["ids"]).get_indexer(resp["customer_id"])
    resp["in_wave1"] = np.isin(cust_index, picks[1])
    return {"frame": df, "respondents": resp, "comments": comments, "kpis": _kpis(pop3, eligible3)}


def _extend_waves(waves: pd.DataFrame, kpis3: dict[str, float]) -> pd.DataFrame:
    """truth.waves with the wave-3 columns added (the existing columns are left as they are)."""
    out = waves.copy()
    out["wave3_true"] = [round(kpis3[k], 2) for k in out["kpi"]]
    out["diff_w3_w2"] = (out["wave3_true"] - out["wave2_true"]).round(2)
    out["changed_w3_w2"] = out["kpi"].isin(S.WAVE3_CHANGED)
    out["diff_w3_w1"] = (out["wave3_true"] - out["wave1_true"]).round(2)
    out["changed_w3_w1"] = out["changed"] | out["changed_w3_w2"]
    return out


_Z = np.linspace(-8.0, 8.0, 4001)
_PHI = np.exp(-0.5 * _Z**2)
_PHI = _PHI / _PHI.sum()
"""Standard normal grid and its normalised weights: E[g(Z)] = sum(_PHI * g(_Z)) for smooth g."""


def _ticket_cdfs(
    channel: tuple[str, float, float, float, float, float], after: bool
) -> tuple[Any, Any]:
    """True CDFs (in hours) of first-response time F and resolution time R = F + W of a channel.

    F = median * exp(sigma Z) is lognormal: ``P(F <= t) = Phi((ln t - ln median) / sigma)``.
    ``P(R <= t) = E_F[G(t - F)]`` with G the Weibull mixture of W,
    ``G(x) = (1 - q)(1 - exp(-(x / s)^k)) + q (1 - exp(-(x / (f s))^k))``, integrated over Z on a
    fine normal grid (``_Z``; error far below 0.01 percentage points).
    """
    _, _, med, sigma, shape, scale = channel
    scale = scale * (S.TICKET_AFTER_SCALE if after else 1.0)
    f_q = med * np.exp(sigma * _Z)

    def cdf_f(t: float) -> float:
        if t <= 0:
            return 0.0
        return 0.5 * (1.0 + math.erf((math.log(t) - math.log(med)) / (sigma * math.sqrt(2.0))))

    def cdf_r(t: float) -> float:
        x = np.maximum(t - f_q, 0.0)
        q, fac = S.TICKET_ESCALATED, S.TICKET_ESCALATION
        g = (1.0 - q) * (1.0 - np.exp(-((x / scale) ** shape)))
        g = g + q * (1.0 - np.exp(-((x / (scale * fac)) ** shape)))
        return float(_PHI @ g)

    return cdf_f, cdf_r


def _median(cdf: Any, hi: float = 1e4) -> float:
    lo = 0.0
    for _ in range(50):  # bisection to about 1e-11 hours
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if cdf(mid) < 0.5 else (lo, mid)
    return 0.5 * (lo + hi)


def _tickets_truth() -> pd.DataFrame:
    """The planted service-time distributions and their true standard shares and medians."""
    rows = []
    for after in (False, True):
        cdfs = [_ticket_cdfs(ch, after) for ch in S.TICKET_CHANNELS]
        period = "after" if after else "before"
        opened = (
            f"{S.TICKET_CHANGE} .. {S.TICKET_CUTOFF}"
            if after
            else f"{S.TICKET_START} .. {S.TICKET_CHANGE}"
        )

        def mix(k: int, t: float, cdfs: list[tuple[Any, Any]] = cdfs) -> float:
            pairs = zip(S.TICKET_CHANNELS, cdfs, strict=True)
            return float(sum(ch[1] * c[k](t) for ch, c in pairs))

        for ch, (cf, cr) in zip(S.TICKET_CHANNELS, cdfs, strict=True):
            rows.append(
                {
                    "channel": ch[0],
                    "period": period,
                    "opened": opened,
                    "share": ch[1],
                    "response_median_h": ch[2],
                    "response_sigma": ch[3],
                    "resolution_shape": ch[4],
                    "resolution_scale_h": ch[5] * (S.TICKET_AFTER_SCALE if after else 1.0),
                    "escalated": S.TICKET_ESCALATED,
                    "escalation_factor": S.TICKET_ESCALATION,
                    "response_within_4h": round(100.0 * cf(S.TICKET_RESPONSE_STANDARD_H), 3),
                    "true_response_median_h": round(_median(cf), 4),
                    "resolved_within_48h": round(100.0 * cr(S.TICKET_STANDARD_H), 3),
                    "true_resolution_median_h": round(_median(cr), 4),
                }
            )
        rows.append(
            {
                "channel": "all",
                "period": period,
                "opened": opened,
                "share": 1.0,
                "response_median_h": np.nan,
                "response_sigma": np.nan,
                "resolution_shape": np.nan,
                "resolution_scale_h": np.nan,
                "escalated": S.TICKET_ESCALATED,
                "escalation_factor": S.TICKET_ESCALATION,
                "response_within_4h": round(100.0 * mix(0, S.TICKET_RESPONSE_STANDARD_H), 3),
                "true_response_median_h": round(_median(lambda t: mix(0, t)), 4),
                "resolved_within_48h": round(100.0 * mix(1, S.TICKET_STANDARD_H), 3),
                "true_resolution_median_h": round(_median(lambda t: mix(1, t)), 4),
            }
        )
    return pd.DataFrame(rows)


def _stamp(minutes: np.ndarray) -> np.ndarray:
    """Minutes after TICKET_START as naive local ``YYYY-MM-DD HH:MM`` text."""
    t = S.TICKET_START + minutes.astype(np.int64).astype("timedelta64[m]")
    return np.char.replace(np.datetime_as_string(t, unit="m"), "T", " ").astype(object)


def _tickets(rng: np.random.Generator, cu: dict[str, Any], n: int) -> dict[str, Any]:
    """tickets.csv and kpi_monthly.csv (derived from the tickets) with their truth."""
    p = np.exp(-0.5 * cu["sat"])  # dissatisfied customers contact service more
    who = rng.choice(len(p), size=n, p=p / p.sum())
    day0 = int((S.TICKET_START.astype("datetime64[D]") - S.WINDOW_START).astype(int))
    days = int((S.TICKET_CUTOFF - S.TICKET_START).astype("timedelta64[D]").astype(int))
    lo = np.clip(cu["signup"][who] - day0, 0, days - 1)  # no ticket before the signup
    day = lo + np.floor(rng.random(n) * (days - lo)).astype(np.int64)
    minute = np.floor(60.0 * np.clip(rng.normal(14.0, 4.0, n), 0.0, 23.99)).astype(np.int64)
    opened = day * 1440 + minute
    order = np.argsort(opened, kind="stable")  # in order of opening, each with its customer
    opened, who = opened[order], who[order]
    chan = _choice_rows(rng, np.tile([ch[1] for ch in S.TICKET_CHANNELS], (n, 1)))
    change = int((S.TICKET_CHANGE - S.TICKET_START).astype("timedelta64[m]").astype(int))
    pair_change = int(
        (S.TICKET_PAIRING_CHANGE - S.TICKET_START).astype("timedelta64[m]").astype(int)
    )
    cutoff = days * 1440
    p_after = S.TICKET_CATEGORY_P.copy()
    p_after[1:] *= (1.0 - S.TICKET_PAIRING_AFTER) / p_after[1:].sum()
    p_after[0] = S.TICKET_PAIRING_AFTER
    cat = _choice_rows(
        rng, np.where((opened >= pair_change)[:, None], p_after, S.TICKET_CATEGORY_P)
    )
    par = np.array([ch[2:] for ch in S.TICKET_CHANNELS])[chan]
    f_h = par[:, 0] * np.exp(par[:, 1] * rng.normal(0.0, 1.0, n))
    scale = par[:, 3] * np.where(rng.random(n) < S.TICKET_ESCALATED, S.TICKET_ESCALATION, 1.0)
    scale = scale * np.where(opened >= change, S.TICKET_AFTER_SCALE, 1.0)
    w_h = scale * rng.weibull(par[:, 2])
    first = np.ceil(opened + 60.0 * f_h).astype(np.int64)
    resolved = np.ceil(opened + 60.0 * (f_h + w_h)).astype(np.int64)
    resolved = np.maximum(resolved, first)
    tid = np.char.add("T", np.char.zfill(np.arange(1, n + 1).astype(str), 5)).astype(object)
    df = pd.DataFrame(
        {
            "ticket_id": tid,
            "customer_id": cu["ids"][who],
            "channel": np.array([ch[0] for ch in S.TICKET_CHANNELS], dtype=object)[chan],
            "opened": _stamp(opened),
            "first_response": np.where(first <= cutoff, _stamp(first), _NONE),
            "resolved": np.where(resolved <= cutoff, _stamp(resolved), _NONE),
            "category": np.array(S.TICKET_CATEGORIES, dtype=object)[cat],
        }
    )
    # monthly KPI series: a month's tickets count where the standard's window has elapsed
    month = np.datetime_as_string(
        (S.TICKET_START + opened.astype("timedelta64[m]")).astype("datetime64[M]"), unit="M"
    )
    h48, h4 = int(60 * S.TICKET_STANDARD_H), int(60 * S.TICKET_RESPONSE_STANDARD_H)
    parts = {
        "resolved_48h": (opened + h48 <= cutoff, resolved - opened <= h48),
        "first_response_4h": (opened + h4 <= cutoff, first - opened <= h4),
        "pairing_share": (np.ones(n, dtype=bool), cat == 0),
    }
    months = np.unique(month)
    frames = []
    for kpi, (base, event) in parts.items():
        nn = pd.Series(base.astype(np.int64)).groupby(month).sum().reindex(months, fill_value=0)
        ev = pd.Series((base & event).astype(np.int64)).groupby(month).sum()
        ev = ev.reindex(months, fill_value=0)
        frames.append(
            pd.DataFrame(
                {
                    "month": months.astype(object),
                    "kpi": kpi,
                    "events": ev.to_numpy(),
                    "n": nn.to_numpy(),
                    "value": np.round(100.0 * ev.to_numpy() / np.maximum(nn.to_numpy(), 1), 2),
                }
            )
        )
    monthly = pd.concat(frames, ignore_index=True)
    truth = _tickets_truth()
    all_rows = truth[truth["channel"] == "all"].set_index("period")
    kpi_truth = pd.DataFrame(
        {
            "kpi": list(parts),
            "label": [
                "Tickets resolved within 48 h of opening, % (by month opened)",
                "Tickets with a first response within 4 h, % (by month opened)",
                "Share of tickets about app pairing, % (by month opened)",
            ],
            "shift_month": [
                str(S.TICKET_CHANGE.astype("datetime64[M]")),
                None,
                str(S.TICKET_PAIRING_CHANGE.astype("datetime64[M]")),
            ],
            "direction": ["increase", None, "decrease"],
            "rate_before": [
                all_rows.loc["before", "resolved_within_48h"],
                all_rows.loc["before", "response_within_4h"],
                round(100.0 * S.TICKET_CATEGORY_P[0], 3),
            ],
            "rate_after": [
                all_rows.loc["after", "resolved_within_48h"],
                all_rows.loc["after", "response_within_4h"],
                round(100.0 * S.TICKET_PAIRING_AFTER, 3),
            ],
        }
    )
    return {"df": df, "monthly": monthly, "truth": truth, "monthly_truth": kpi_truth}


def _retention_truth(tr: dict[str, Any]) -> pd.DataFrame:
    """The churn model's expected retention by acquisition cohort and cohort age (months).

    A customer's repeat orders form a Poisson process on the days ``first .. end`` (``end`` the
    churn day or the window end) with ``rate * years / days`` orders a day: the generator draws
    ``Poisson(rate * years)`` orders placed uniformly on those days, which is the same thing.
    So P(at least one order in a calendar month) = ``1 - exp(-orders_a_day * days_in_month)``
    over the days of the month the customer is active, and a cohort's expected retention at age
    k >= 1 is the mean of that probability over the cohort (age 0 is 100% by definition: the first
    order). Conditional on the drawn rates and churn days, as ``truth.waves`` is on the census.
    """
    first, end, rate = tr["first"], tr["end"], tr["rate"]
    n_days = end - first + 1
    per_day = rate * ((end - first) / 365.25) / n_days
    months = np.arange(
        S.WINDOW_START.astype("datetime64[M]"), S.WINDOW_END.astype("datetime64[M]") + 1
    )
    m_start = (months.astype("datetime64[D]") - S.WINDOW_START).astype(np.int64)
    m_end = np.append(m_start[1:], m_start[-1] + 31) - 1  # last day of each month
    m_end[-1] = int((S.WINDOW_END - S.WINDOW_START).astype(int))
    overlap = np.clip(
        np.minimum(end[:, None], m_end[None, :]) - np.maximum(first[:, None], m_start[None, :]) + 1,
        0,
        None,
    )
    prob = 1.0 - np.exp(-per_day[:, None] * overlap)
    cohort = np.searchsorted(m_start, first, side="right") - 1
    k = len(months)
    age = np.arange(k)
    col = cohort[:, None] + age[None, :]
    ok = col < k
    p_age = np.where(ok, np.take_along_axis(prob, np.minimum(col, k - 1), axis=1), np.nan)
    p_age[:, 0] = 1.0
    sums = np.zeros((k, k))
    np.add.at(sums, cohort, np.nan_to_num(p_age))
    size = np.bincount(cohort, minlength=k)
    c_idx, a_idx = np.meshgrid(np.arange(k), age, indexing="ij")
    keep = (c_idx + a_idx < k) & (size[c_idx] > 0)
    return pd.DataFrame(
        {
            "cohort": np.datetime_as_string(months, unit="M")[c_idx[keep]].astype(object),
            "age": a_idx[keep],
            "customers": size[c_idx[keep]],
            "retention": np.round(100.0 * sums[keep] / size[c_idx[keep]], 3),
        }
    )


# ----------------------------------------------------------------- main entry
def render(
    seed: int = 0,
    *,
    n_customers: int = 6000,
    n_respondents: int = 2000,
    n_feedback: int = 3600,
    n_tickets: int = 4000,
) -> tuple[dict[str, str], Truth]:
    """Generate the study: the text of every file (by file name) and the planted truth."""
    c = _Ctx(np.random.default_rng(seed), n_customers, n_respondents, n_feedback)
    cu = _customers(c)
    tr = _transactions(c, cu)
    sv = _survey(c, cu, tr)
    fb = _feedback(c, cu, tr)
    comp = _competitors(c, sv["waves"])
    # the need structure: its own stream, so nothing above shifts
    nd = _needs(np.random.default_rng([seed, S.NEEDS_STREAM]), sv["frames"][1])
    # monitoring (issue 16): wave 3 and the tickets from their own streams, likewise
    c3 = _Ctx(np.random.default_rng([seed, S.WAVE3_STREAM]), n_customers, n_respondents, n_feedback)
    w3 = _wave3(c3, cu, sv)
    tk = _tickets(np.random.default_rng([seed, S.TICKETS_STREAM]), cu, n_tickets)
    # market and competitors (issue 17): likewise its own stream
    mk = market_block(np.random.default_rng([seed, S.MARKET_STREAM]), sv["frames"][1])
    texts = {
        "customers.csv": _csv(cu["df"]),
        "transactions.csv": _csv(tr["df"]),
        "survey_wave1.csv": _csv(sv["frames"][1]),
        "survey_wave2.csv": _csv(sv["frames"][2]),
        "feedback.csv": _csv(fb["df"]),
        "competitors.csv": _csv(comp),
        "needs.csv": _csv(nd["needs"]),
        "needs_mapping.csv": _csv(nd["mapping"]),
        "maxdiff.csv": _csv(nd["maxdiff"]),
        "codebook.yaml": _yaml(codebook_dict()),
        "plan.yaml": _yaml(_plan(seed, sv["waves"])),
        "survey_wave3.csv": _csv(w3["frame"]),
        "tickets.csv": _csv(tk["df"]),
        "kpi_monthly.csv": _csv(tk["monthly"]),
        "brand_survey.csv": _csv(mk["survey"]),
        "brand_ratings.csv": _csv(mk["ratings"]),
        "brand_image.csv": _csv(mk["image"]),
        "market.csv": _csv(mk["market"]),
    }
    seg_names = np.array(S.SEGMENTS, dtype=object)
    segs = pd.Series(
        seg_names[cu["seg"]], index=pd.Index(cu["ids"], name="customer_id"), name="segment"
    )
    params = pd.DataFrame(
        {
            "segment": list(S.SEGMENTS),
            "name_en": [S.SEGMENT_NAMES[s]["en"] for s in S.SEGMENTS],
            "name_zh": [S.SEGMENT_NAMES[s]["zh"] for s in S.SEGMENTS],
            "share": S.SEGMENT_SHARE,
            "satisfaction_mean": S.SAT_MEAN,
            "repeat_rate": S.REPEAT_RATE,
            "churn_base_logit": S.CHURN_BASE,
            **{col: [m[i] for i in range(len(S.SEGMENTS))] for col, _, _, m in S.ATT_ITEMS},
        }
    )
    truth = Truth(
        segments=segs,
        segment_params=params,
        customers=tr["truth"],
        kano=sv["kano"],
        kano_by_segment=sv["kano_by_segment"],
        drivers=sv["drivers"],
        driver_model=sv["driver_model"],
        waves=_extend_waves(sv["waves"], w3["kpis"]),
        respondents=sv["respondents"],
        painpoints=fb["truth"],
        painpoint_rates=fb["rates"],
        comments=sv["comments"],
        needs=nd["truth"],
        maxdiff=nd["maxdiff_truth"],
        respondents_wave3=w3["respondents"],
        comments_wave3=w3["comments"],
        tickets=tk["truth"],
        kpi_monthly=tk["monthly_truth"],
        retention=_retention_truth(tr),
        market=mk["truth"],
        seed=seed,
    )
    return texts, truth
