"""The market and competitor block of the sample study (issue 17), with its planted truth.

Drawn from its own stream, ``default_rng([seed, MARKET_STREAM])``, after everything else, so the
files of the earlier issues stay byte-identical. Four files: ``brand_survey.csv`` (funnel, current,
preferred and previous brand, stated spend shares of a random 60% of the wave-1 respondents),
``brand_ratings.csv`` (brand x attribute ratings, long), ``brand_image.csv`` (brand x image
attribute counts) and ``market.csv`` (units and revenue by brand and half-year). Every planted
number is in ``_spec.py``; the exact population values (funnel rates, current shares, spend shares,
expected ratings, stationary shares) are computed here in closed form or by enumeration, not by
simulation.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from needlab.datasets import _spec as S

__all__ = ["MarketTruth", "market_block"]


@dataclass(frozen=True, repr=False, eq=False)
class MarketTruth:
    """The planted truth of the market files (``truth.market``; ``data/sample/README.md``).

    Attributes
    ----------
    brands : tuple of str
        ``("Lumo", "Vetta", "Orin", "Kaiya", "Brisa")``: the own brand first.
    own : str
        ``"Lumo"``.
    brand_labels : DataFrame
        brand, label_en, label_zh (e.g. ``Vetta``, ``Vetta 维塔``).
    n_respondents : int
        Rows of ``brand_survey.csv`` (wave-1 respondents asked the brand block).
    answered_share : float
        The share of wave-1 respondents asked the brand block (a simple random subset), 0.6.
    attributes : DataFrame
        One row per rating attribute: attribute, kind (product, price, value, service), label_en,
        label_zh, leader (the brand with the highest planted mean; None where every brand ties),
        lead (its margin over the others), own_position (``leads``, ``trails``, ``ties``: the
        own brand against the best competitor).
    attribute_means : DataFrame
        Planted latent means (index brand, one column per attribute).
    expected_ratings : DataFrame
        The expected observed rating, E[round(clip(latent, 1, 10))] (index brand, columns
        attributes): what the raw means estimate.
    rating_model : dict
        respondent_sd, halo_sd, noise_sd, missing, between_brand_corr (correlation of one
        respondent's ratings of two brands on one attribute, before rounding),
        within_brand_corr (two attributes of one brand).
    leaders : dict
        attribute -> leading brand (None for ties).
    price_leader, service_leader, design_leader : str
        ``"Vetta"`` (price, value), ``"Kaiya"`` (service, warranty), ``"Lumo"`` (design, app).
    own_leads, own_trails : tuple of str
        Attributes where the own brand leads / trails the best competitor (the rest tie).
    funnel : DataFrame
        One row per brand: aware, consider, current, preferred, loyal (current and preferred
        brand the same) as population shares of the brand block, and the stage conversions
        consider_given_aware, current_given_consider, loyal_given_current (ratios of consecutive
        stages of the nested funnel aware > consider > current > loyal, as counts estimate them)
        and preferred_given_consider (the preferred brand is always a considered brand, but not
        always the current one: ``preferred`` is not nested in ``current``).
    inconsistent : DataFrame
        resp_id, brand: the planted inconsistent answers (considered but not aware).
    inconsistent_share : float
        Their planted share of respondents (0.01; one inconsistent brand each).
    switching : DataFrame
        Previous -> current probabilities (index previous, columns current; rows sum to 1).
    previous_shares : Series
        P(previous brand) among respondents with a previous brand.
    no_previous : float
        P(no previous brand) (first purchase in the category; ``previous_brand`` empty).
    new_buyer_shares : Series
        P(current brand) of first-time buyers.
    current_shares : Series
        P(current brand) in the brand block: (1 - no_previous) previous_shares @ switching +
        no_previous new_buyer_shares.
    stationary : Series
        The stationary distribution of ``switching`` (pi = pi P, sum 1): the long-run shares if
        the switching probabilities stayed as they are.
    spend_shares : Series
        Expected stated share of category spend (%) among respondents who spend in the category.
    spend_base : Series
        The Dirichlet base shares (before the current-brand boost).
    no_spend : float
        P(no spend in the category) (every ``spend_`` column empty).
    image_probs : DataFrame
        P(attribute describes the brand) (index brand, one column per image attribute).
    image_coords, image_loadings : DataFrame
        The planted 2-D structure: brand scores and attribute loadings on the price axis
        (``price``: affordable -, premium +) and the service axis (``service``: service and
        trust +, innovation and style -).
    market_cagr : float
        Planted compound annual growth of total units (0.08).
    revenue_cagr : float
        Compound annual growth of the expected total revenue, first to last period (mix only).
    market : DataFrame
        period, brand, share (planted %), units (expected, thousand), revenue (expected,
        million CNY): the noise-free trajectories.
    """

    brands: tuple[str, ...]
    own: str
    brand_labels: pd.DataFrame
    n_respondents: int
    answered_share: float
    attributes: pd.DataFrame
    attribute_means: pd.DataFrame
    expected_ratings: pd.DataFrame
    rating_model: dict[str, float]
    leaders: dict[str, str | None]
    price_leader: str
    service_leader: str
    design_leader: str
    own_leads: tuple[str, ...]
    own_trails: tuple[str, ...]
    funnel: pd.DataFrame
    inconsistent: pd.DataFrame
    inconsistent_share: float
    switching: pd.DataFrame
    previous_shares: pd.Series
    no_previous: float
    new_buyer_shares: pd.Series
    current_shares: pd.Series
    stationary: pd.Series
    spend_shares: pd.Series
    spend_base: pd.Series
    no_spend: float
    image_probs: pd.DataFrame
    image_coords: pd.DataFrame
    image_loadings: pd.DataFrame
    market_cagr: float
    revenue_cagr: float
    market: pd.DataFrame

    def __repr__(self) -> str:
        return (
            f"MarketTruth(brands={list(self.brands)}, n_respondents={self.n_respondents}, "
            f"price_leader={self.price_leader!r}, service_leader={self.service_leader!r}, "
            f"market_cagr={self.market_cagr})"
        )


# ----------------------------------------------------------------- exact population values
def _phi(x: np.ndarray) -> np.ndarray:
    erf = np.vectorize(math.erf, otypes=[float])
    return np.asarray(0.5 * (1.0 + erf(np.asarray(x, float) / math.sqrt(2.0))))


def _expected_rating(mu: np.ndarray, sd: float) -> np.ndarray:
    """E[round(clip(N(mu, sd^2), 1, 10))] on the 1-10 scale, cell by cell."""
    k = np.arange(1, 11, dtype=float)
    upper = np.where(k == 10, np.inf, k + 0.5)
    lower = np.where(k == 1, -np.inf, k - 0.5)
    m = mu[..., None]
    p = _phi((upper - m) / sd) - _phi((lower - m) / sd)
    return np.asarray((p * k).sum(axis=-1))


def _stationary(p: np.ndarray) -> np.ndarray:
    """pi with pi P = pi, sum(pi) = 1 (least squares on the stacked system)."""
    k = len(p)
    a = np.vstack([p.T - np.eye(k), np.ones(k)])
    b = np.r_[np.zeros(k), 1.0]
    return np.asarray(np.linalg.lstsq(a, b, rcond=None)[0])


def _funnel_params() -> dict[str, np.ndarray]:
    """Current shares and the P(aware), P(consider | aware) of non-current brands that give the
    planted marginal funnel rates, and P(preferred) by enumeration of consideration sets."""
    s = (1 - S.SWITCH_P_NONE) * S.SWITCH_PREVIOUS @ S.SWITCH_MATRIX
    s = s + S.SWITCH_P_NONE * S.SWITCH_NEW_BUYER
    aware = S.FUNNEL_AWARE
    consider = S.FUNNEL_AWARE * S.FUNNEL_CONSIDER
    a_other = (aware - s) / (1 - s)  # P(aware | not current)
    c_other = (consider - s) / (aware - s)  # P(consider | aware, not current)
    q = a_other * c_other  # P(consider | not current)
    k = len(s)
    pref = np.zeros(k)
    loyal = np.zeros(k)  # P(current = preferred = b)
    for cur in range(k):
        others = [b for b in range(k) if b != cur]
        for combo in itertools.product((0, 1), repeat=k - 1):
            chosen = [b for b, x in zip(others, combo, strict=True) if x]
            p_set = s[cur] * np.prod(
                [q[b] if x else 1 - q[b] for b, x in zip(others, combo, strict=True)]
            )
            if not chosen:
                pref[cur] += p_set
                loyal[cur] += p_set
                continue
            pref[cur] += p_set * S.PREFER_CURRENT
            loyal[cur] += p_set * S.PREFER_CURRENT
            w = S.PREFER_APPEAL[chosen]
            pref[chosen] += p_set * (1 - S.PREFER_CURRENT) * w / w.sum()
    return {
        "current": s,
        "aware": aware,
        "consider": consider,
        "a_other": a_other,
        "c_other": c_other,
        "preferred": pref,
        "loyal": loyal,
    }


def _rating_means() -> np.ndarray:
    base = np.array([m for *_, m in S.RATING_ATTRIBUTES], float)
    mu = np.tile(base, (len(S.MARKET_BRANDS), 1))
    names = [a for a, *_ in S.RATING_ATTRIBUTES]
    for brand, leads in S.RATING_LEADS.items():
        for attr, plus in leads.items():
            mu[S.MARKET_BRANDS.index(brand), names.index(attr)] += plus
    return mu


def _largest_remainder(x: np.ndarray, total: int = 100) -> np.ndarray:
    """Round each row of shares (summing to 1) to whole numbers summing to *total*."""
    scaled = x * total
    fl = np.floor(scaled)
    deficit = (total - fl.sum(axis=1)).astype(np.int64)
    order = np.argsort(-(scaled - fl), axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(x.shape[1])[None, :].repeat(len(x), 0), axis=1)
    return (fl + (rank < deficit[:, None])).astype(np.int64)


# ----------------------------------------------------------------- the draw
def market_block(rng: np.random.Generator, wave1: pd.DataFrame) -> dict[str, Any]:
    """Draw the four market files from *rng* for the wave-1 respondents *wave1*."""
    brands = np.array(S.MARKET_BRANDS, dtype=object)
    keys = [b.lower() for b in S.MARKET_BRANDS]
    k = len(brands)
    n1 = len(wave1)
    n = int(round(S.BRAND_BLOCK_SHARE * n1))
    rows = np.sort(rng.choice(n1, size=n, replace=False))
    resp = wave1.iloc[rows]
    fp = _funnel_params()

    # previous brand, then current brand through the switching matrix (new buyers: own shares)
    has_prev = rng.random(n) >= S.SWITCH_P_NONE
    prev = (np.cumsum(S.SWITCH_PREVIOUS)[None, :] < rng.random(n)[:, None]).sum(axis=1)
    prev = np.minimum(prev, k - 1)
    probs = np.where(has_prev[:, None], S.SWITCH_MATRIX[prev], S.SWITCH_NEW_BUYER[None, :])
    cum = np.cumsum(probs, axis=1)
    cum[:, -1] = 1.0
    cur = (cum < rng.random(n)[:, None]).sum(axis=1)
    is_cur = np.arange(k)[None, :] == cur[:, None]

    # funnel: the current brand is aware and considered; the others independently
    aware = is_cur | (rng.random((n, k)) < fp["a_other"][None, :])
    consider = is_cur | (aware & (rng.random((n, k)) < fp["c_other"][None, :]))
    # preferred: the current brand, or another considered brand by appeal
    keep = rng.random(n) < S.PREFER_CURRENT
    w = np.where(consider & ~is_cur, S.PREFER_APPEAL[None, :], 0.0)
    g = np.where(
        w > 0, np.log(np.where(w > 0, w, 1.0)) - np.log(-np.log(rng.random((n, k)))), -np.inf
    )
    other = np.argmax(g, axis=1)
    pref = np.where(keep | ~np.isfinite(g.max(axis=1)), cur, other)
    # planted inconsistent answers: one non-current brand considered but not aware
    n_bad = int(round(S.FUNNEL_INCONSISTENT * n))
    bad = np.sort(rng.choice(n, size=n_bad, replace=False))
    bad_brand = (cur[bad] + 1 + rng.integers(0, k - 1, size=n_bad)) % k
    aware[bad, bad_brand] = False
    consider[bad, bad_brand] = True

    # stated spend shares
    alpha = S.SPEND_CONC * S.SPEND_BASE[None, :] + S.SPEND_CURRENT * is_cur
    gam = rng.gamma(alpha)
    spend = _largest_remainder(gam / gam.sum(axis=1, keepdims=True))
    no_spend = rng.random(n) < S.SPEND_NONE

    survey = pd.DataFrame(
        {
            "resp_id": resp["resp_id"].to_numpy(),
            "customer_id": resp["customer_id"].to_numpy(),
            "weight": resp["weight"].to_numpy(),
            **{f"aware_{key}": aware[:, j].astype(np.int64) for j, key in enumerate(keys)},
            **{f"consider_{key}": consider[:, j].astype(np.int64) for j, key in enumerate(keys)},
            "current_brand": brands[cur],
            "preferred_brand": brands[pref],
            "previous_brand": np.where(has_prev, brands[prev], None),
            **{
                f"spend_{key}": pd.array(np.where(no_spend, 0, spend[:, j]), dtype="Int64")
                for j, key in enumerate(keys)
            },
        }
    )
    for key in keys:
        survey.loc[no_spend, f"spend_{key}"] = pd.NA

    # ratings: one row per respondent x aware brand
    mu = _rating_means()
    attrs = [a for a, *_ in S.RATING_ATTRIBUTES]
    ri, bi = np.nonzero(aware)
    u = rng.normal(0.0, S.RATING_RESPONDENT_SD, n)
    halo = rng.normal(0.0, S.RATING_HALO_SD, len(ri))
    lat = (
        mu[bi] + (u[ri] + halo)[:, None] + rng.normal(0.0, S.RATING_NOISE_SD, (len(ri), len(attrs)))
    )
    score = np.clip(np.rint(lat), 1, 10).astype(np.int64)
    miss = rng.random(score.shape) < S.RATING_MISSING
    ratings = pd.DataFrame(
        {
            "resp_id": survey["resp_id"].to_numpy()[ri],
            "brand": brands[bi],
            "weight": survey["weight"].to_numpy()[ri],
            **{
                a: pd.array(np.where(miss[:, j], 0, score[:, j]), dtype="Int64")
                for j, a in enumerate(attrs)
            },
        }
    )
    for j, a in enumerate(attrs):
        ratings.loc[miss[:, j], a] = pd.NA

    # image: counts among the respondents aware of the brand
    img_attrs = [a for a, *_ in S.IMAGE_ATTRIBUTES]
    load = np.array([[lx, ly] for *_, lx, ly in S.IMAGE_ATTRIBUTES])
    p_img = 1.0 / (1.0 + np.exp(-(S.IMAGE_BASE + S.IMAGE_BRANDS_XY @ load.T)))
    n_aware = aware.sum(axis=0)
    counts = rng.binomial(n_aware[:, None], p_img)
    image = pd.DataFrame({"brand": brands, **{a: counts[:, j] for j, a in enumerate(img_attrs)}})

    # market: units and revenue by half-year
    t = np.arange(len(S.MARKET_PERIODS))
    total = S.MARKET_UNITS_START * (1 + S.MARKET_CAGR) ** (t / 2.0)
    frac = t / (len(t) - 1)
    share = S.MARKET_SHARE_START[None, :] + frac[:, None] * (
        S.MARKET_SHARE_END - S.MARKET_SHARE_START
    )
    units_exp = total[:, None] * share / 100.0
    rev_exp = units_exp * S.MARKET_PRICE[None, :] / 1000.0
    units = units_exp * np.exp(rng.normal(0.0, S.MARKET_UNITS_NOISE, units_exp.shape))
    rev = (
        units * S.MARKET_PRICE[None, :] * np.exp(rng.normal(0.0, S.MARKET_PRICE_NOISE, units.shape))
    )
    rev = rev / 1000.0
    nb = len(S.MARKET_BRANDS_ALL)
    per = np.repeat(np.array(S.MARKET_PERIODS, dtype=object), nb * 2)
    brd = np.tile(np.repeat(np.array(S.MARKET_BRANDS_ALL, dtype=object), 2), len(t))
    kpi = np.tile(np.array(["units", "revenue"], dtype=object), len(t) * nb)
    val = np.stack([units, rev], axis=-1).reshape(-1)
    unit = np.tile(np.array(["thousand units", "million CNY"], dtype=object), len(t) * nb)
    market = pd.DataFrame(
        {
            "period": per,
            "brand": brd,
            "kpi": kpi,
            "value": np.round(val, 1),
            "unit": unit,
            "source": S.MARKET_SOURCE,
        }
    )

    truth = _truth(
        survey_n=n,
        fp=fp,
        mu=mu,
        bad=pd.DataFrame(
            {"resp_id": survey["resp_id"].to_numpy()[bad], "brand": brands[bad_brand]}
        ),
        p_img=p_img,
        load=load,
        share=share,
        units_exp=units_exp,
        rev_exp=rev_exp,
    )
    return {"survey": survey, "ratings": ratings, "image": image, "market": market, "truth": truth}


def _truth(
    *,
    survey_n: int,
    fp: dict[str, np.ndarray],
    mu: np.ndarray,
    bad: pd.DataFrame,
    p_img: np.ndarray,
    load: np.ndarray,
    share: np.ndarray,
    units_exp: np.ndarray,
    rev_exp: np.ndarray,
) -> MarketTruth:
    brands = list(S.MARKET_BRANDS)
    bidx = pd.Index(brands, name="brand")
    attrs = [a for a, *_ in S.RATING_ATTRIBUTES]
    sd = math.sqrt(S.RATING_RESPONDENT_SD**2 + S.RATING_HALO_SD**2 + S.RATING_NOISE_SD**2)
    means = pd.DataFrame(mu, index=bidx, columns=attrs)
    expected = pd.DataFrame(np.round(_expected_rating(mu, sd), 4), index=bidx, columns=attrs)
    leaders: dict[str, str | None] = {}
    leads, positions = [], []
    own = S.MARKET_BRANDS.index(S.MARKET_OWN)
    for j, a in enumerate(attrs):
        col = mu[:, j]
        top = int(np.argmax(col))
        margin = float(col[top] - np.sort(col)[-2])
        leaders[a] = brands[top] if margin > 0 else None
        leads.append(round(margin, 4))
        best_comp = float(np.delete(col, own).max())
        positions.append(
            "leads" if col[own] > best_comp else "trails" if col[own] < best_comp else "ties"
        )
    attributes = pd.DataFrame(
        {
            "attribute": attrs,
            "kind": [x[1] for x in S.RATING_ATTRIBUTES],
            "label_en": [x[2] for x in S.RATING_ATTRIBUTES],
            "label_zh": [x[3] for x in S.RATING_ATTRIBUTES],
            "leader": [leaders[a] for a in attrs],
            "lead": leads,
            "own_position": positions,
        }
    )
    total_var = sd**2
    rating_model = {
        "respondent_sd": S.RATING_RESPONDENT_SD,
        "halo_sd": S.RATING_HALO_SD,
        "noise_sd": S.RATING_NOISE_SD,
        "missing": S.RATING_MISSING,
        "between_brand_corr": round(S.RATING_RESPONDENT_SD**2 / total_var, 4),
        "within_brand_corr": round(
            (S.RATING_RESPONDENT_SD**2 + S.RATING_HALO_SD**2) / total_var, 4
        ),
    }
    funnel = pd.DataFrame(
        {
            "brand": brands,
            "aware": fp["aware"],
            "consider": fp["consider"],
            "current": fp["current"],
            "preferred": fp["preferred"],
            "loyal": fp["loyal"],
        }
    )
    funnel["consider_given_aware"] = funnel["consider"] / funnel["aware"]
    funnel["current_given_consider"] = funnel["current"] / funnel["consider"]
    funnel["loyal_given_current"] = funnel["loyal"] / funnel["current"]
    funnel["preferred_given_consider"] = funnel["preferred"] / funnel["consider"]
    num = funnel.columns[1:]
    funnel[num] = funnel[num].round(4)
    switching = pd.DataFrame(
        S.SWITCH_MATRIX,
        index=pd.Index(brands, name="previous"),
        columns=pd.Index(brands, name="current"),
    )
    spend = (S.SPEND_CONC * S.SPEND_BASE + S.SPEND_CURRENT * fp["current"]) / (
        S.SPEND_CONC + S.SPEND_CURRENT
    )
    img_attrs = [a for a, *_ in S.IMAGE_ATTRIBUTES]
    periods = np.repeat(np.array(S.MARKET_PERIODS, dtype=object), len(S.MARKET_BRANDS_ALL))
    market = pd.DataFrame(
        {
            "period": periods,
            "brand": np.tile(np.array(S.MARKET_BRANDS_ALL, dtype=object), len(S.MARKET_PERIODS)),
            "share": np.round(share.reshape(-1), 4),
            "units": np.round(units_exp.reshape(-1), 3),
            "revenue": np.round(rev_exp.reshape(-1), 3),
        }
    )
    years = (len(S.MARKET_PERIODS) - 1) / 2.0
    rev_tot = rev_exp.sum(axis=1)
    return MarketTruth(
        brands=tuple(brands),
        own=S.MARKET_OWN,
        brand_labels=pd.DataFrame(
            {
                "brand": brands,
                "label_en": brands,
                "label_zh": [f"{b} {z}" for b, z in zip(brands, S.MARKET_BRAND_ZH, strict=True)],
            }
        ),
        n_respondents=survey_n,
        answered_share=S.BRAND_BLOCK_SHARE,
        attributes=attributes,
        attribute_means=means,
        expected_ratings=expected,
        rating_model=rating_model,
        leaders=leaders,
        price_leader="Vetta",
        service_leader="Kaiya",
        design_leader="Lumo",
        own_leads=tuple(a for a, p in zip(attrs, positions, strict=True) if p == "leads"),
        own_trails=tuple(a for a, p in zip(attrs, positions, strict=True) if p == "trails"),
        funnel=funnel,
        inconsistent=bad.reset_index(drop=True),
        inconsistent_share=S.FUNNEL_INCONSISTENT,
        switching=switching,
        previous_shares=pd.Series(S.SWITCH_PREVIOUS, index=bidx, name="previous_share"),
        no_previous=S.SWITCH_P_NONE,
        new_buyer_shares=pd.Series(S.SWITCH_NEW_BUYER, index=bidx, name="new_buyer_share"),
        current_shares=pd.Series(np.round(fp["current"], 6), index=bidx, name="current_share"),
        stationary=pd.Series(
            np.round(_stationary(S.SWITCH_MATRIX), 6), index=bidx, name="stationary"
        ),
        spend_shares=pd.Series(np.round(100 * spend, 4), index=bidx, name="spend_share"),
        spend_base=pd.Series(100 * S.SPEND_BASE, index=bidx, name="spend_base"),
        no_spend=S.SPEND_NONE,
        image_probs=pd.DataFrame(np.round(p_img, 4), index=bidx, columns=img_attrs),
        image_coords=pd.DataFrame(S.IMAGE_BRANDS_XY, index=bidx, columns=["price", "service"]),
        image_loadings=pd.DataFrame(
            load, index=pd.Index(img_attrs, name="attribute"), columns=["price", "service"]
        ),
        market_cagr=S.MARKET_CAGR,
        revenue_cagr=round(float((rev_tot[-1] / rev_tot[0]) ** (1 / years) - 1), 6),
        market=market,
    )
