"""Sample data for market and competitors (issue 17): the brand block, brand ratings, brand image
and market files, each with planted truth recovered by simple, independent means."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from needlab.datasets import FILES, MarketTruth, Sample, load_sample, make_sample, write_sample
from needlab.datasets import _spec as S

NEW = ("brand_survey", "brand_ratings", "brand_image", "market")
KEYS = [b.lower() for b in S.MARKET_BRANDS]


@pytest.fixture(scope="module")
def sample() -> Sample:
    return make_sample(0)


@pytest.fixture(scope="module")
def truth(sample: Sample) -> MarketTruth:
    return sample.truth.market


def _grid(df: pd.DataFrame, stage: str) -> np.ndarray:
    return df[[f"{stage}_{k}" for k in KEYS]].to_numpy()


# ------------------------------------------------------------------ files and API
def test_new_files_listed_last_and_loaded(sample: Sample) -> None:
    assert list(FILES[-4:]) == [f"{n}.csv" for n in NEW]
    assert list(FILES[11:14]) == ["survey_wave3.csv", "tickets.csv", "kpi_monthly.csv"]
    loaded = load_sample()
    for name in NEW:
        pd.testing.assert_frame_equal(getattr(loaded, name), getattr(sample, name))
    assert isinstance(loaded.truth.market, MarketTruth)
    assert "brand_survey" in repr(sample) and "market=" in repr(sample.truth)
    assert "Vetta" in repr(sample.truth.market)


@pytest.mark.parametrize("name", NEW)
def test_load_sample_checks_the_header_of_the_new_files(tmp_path: Path, name: str) -> None:
    from needlab.errors import SchemaError

    write_sample(tmp_path, seed=0)
    path = tmp_path / f"{name}.csv"
    df = pd.read_csv(path)
    df.rename(columns={df.columns[1]: "oops"}).to_csv(path, index=False)
    with pytest.raises(SchemaError, match=rf"{name}\.csv.*oops.*write_sample"):
        load_sample(tmp_path)
    path.unlink()
    with pytest.raises(SchemaError, match=rf"lacks.*{name}\.csv"):
        load_sample(tmp_path)


def test_columns_match_the_interface(sample: Sample) -> None:
    bs = sample.brand_survey
    want = (
        ["resp_id", "customer_id", "weight"]
        + [f"aware_{k}" for k in KEYS]
        + [f"consider_{k}" for k in KEYS]
        + ["current_brand", "preferred_brand", "previous_brand"]
        + [f"spend_{k}" for k in KEYS]
    )
    assert list(bs.columns) == want
    attrs = [a for a, *_ in S.RATING_ATTRIBUTES]
    assert list(sample.brand_ratings.columns) == ["resp_id", "brand", "weight", *attrs]
    assert len(attrs) == 10
    assert list(sample.brand_image.columns) == ["brand", *[a for a, *_ in S.IMAGE_ATTRIBUTES]]
    assert list(sample.market.columns) == ["period", "brand", "kpi", "value", "unit", "source"]
    assert set(sample.market["brand"]) == {*S.MARKET_BRANDS, "Others"}
    assert sorted(set(sample.market["period"])) == [
        f"{y}H{h}" for y in range(2021, 2025) for h in (1, 2)
    ]


def test_respondents_are_a_random_60_percent_of_wave1(sample: Sample, truth: MarketTruth) -> None:
    bs, w1 = sample.brand_survey, sample.survey_wave1
    assert len(bs) == truth.n_respondents == 1200 and bs["resp_id"].is_unique
    merged = bs.merge(w1[["resp_id", "customer_id", "weight"]], on="resp_id", how="left")
    assert (merged["customer_id_x"] == merged["customer_id_y"]).all()
    assert np.array_equal(merged["weight_x"].to_numpy(), merged["weight_y"].to_numpy())
    # random, not the first 1,200
    assert bs["resp_id"].max() > 100_000 + 1900 and bs["resp_id"].is_monotonic_increasing


# ------------------------------------------------------------------ ratings
def test_planted_leaders_visible_in_the_raw_means(sample: Sample, truth: MarketTruth) -> None:
    means = sample.brand_ratings.groupby("brand")[list(truth.attribute_means.columns)].mean()
    for attr in ("price", "value"):
        assert means[attr].idxmax() == truth.price_leader == "Vetta"
    for attr in ("service", "warranty"):
        assert means[attr].idxmax() == truth.service_leader == "Kaiya"
    for attr in ("design", "app"):
        assert means[attr].idxmax() == truth.design_leader == "Lumo"
    assert truth.own_leads == ("design", "app")
    assert truth.own_trails == ("price", "value", "service", "warranty")
    assert truth.leaders["quality"] is None and truth.leaders["price"] == "Vetta"
    # raw means estimate the expected observed rating (n >= 500 raters a brand: se < 0.08)
    diff = (means - truth.expected_ratings.loc[means.index]).abs()
    assert float(diff.to_numpy().max()) < 0.25
    # ties: the planted-tie attributes differ between brands by less than the leads
    assert float(means["quality"].max() - means["quality"].min()) < 0.3


def test_ratings_only_for_aware_brands_and_on_the_scale(sample: Sample) -> None:
    bs, br = sample.brand_survey, sample.brand_ratings
    aware = bs.melt(id_vars="resp_id", value_vars=[f"aware_{k}" for k in KEYS])
    aware = aware[aware["value"] == 1]
    pairs = set(zip(aware["resp_id"], aware["variable"].str[6:], strict=True))
    rated = set(zip(br["resp_id"], br["brand"].str.lower(), strict=True))
    assert rated == pairs and len(br) == len(rated)
    vals = pd.Series(br.iloc[:, 3:].to_numpy(float).ravel()).dropna()
    assert vals.between(1, 10).all() and (vals == vals.round()).all()
    share_missing = float(br.iloc[:, 3:].isna().to_numpy().mean())
    assert 0.008 < share_missing < 0.025


def test_respondent_effect_correlates_ratings_across_brands(
    sample: Sample, truth: MarketTruth
) -> None:
    br = sample.brand_ratings
    wide = br.pivot_table(index="resp_id", columns="brand", values="quality")
    corr = wide.corr().to_numpy()
    off = corr[~np.eye(len(corr), dtype=bool)]
    assert truth.rating_model["between_brand_corr"] == pytest.approx(0.81 / 2.27, abs=1e-3)
    # rounding and clipping shrink it a little; independence would give about 0 (se 0.03)
    assert 0.2 < float(off.mean()) < 0.45 and (off > 0.15).all()


# ------------------------------------------------------------------ funnel
def test_consider_implies_aware_except_the_planted_inconsistent(
    sample: Sample, truth: MarketTruth
) -> None:
    bs = sample.brand_survey
    aware, consider = _grid(bs, "aware"), _grid(bs, "consider")
    bad_r, bad_b = np.nonzero((consider == 1) & (aware == 0))
    found = set(zip(bs["resp_id"].to_numpy()[bad_r], np.array(S.MARKET_BRANDS)[bad_b], strict=True))
    planted = set(zip(truth.inconsistent["resp_id"], truth.inconsistent["brand"], strict=True))
    assert found == planted and len(planted) == round(0.01 * len(bs)) == 12
    assert truth.inconsistent["resp_id"].is_unique  # one inconsistent brand per respondent
    brands = list(S.MARKET_BRANDS)
    cur = bs["current_brand"].map(brands.index).to_numpy()
    pref = bs["preferred_brand"].map(brands.index).to_numpy()
    rows = np.arange(len(bs))
    assert (consider[rows, cur] == 1).all() and (aware[rows, cur] == 1).all()
    assert (consider[rows, pref] == 1).all()  # the preferred brand is always considered


def test_funnel_rates_near_the_planted_ones(sample: Sample, truth: MarketTruth) -> None:
    bs = sample.brand_survey
    n = len(bs)
    f = truth.funnel.set_index("brand")
    obs = pd.DataFrame(
        {
            "aware": _grid(bs, "aware").mean(axis=0),
            "consider": _grid(bs, "consider").mean(axis=0),
            "current": [(bs["current_brand"] == b).mean() for b in S.MARKET_BRANDS],
            "loyal": [
                ((bs["current_brand"] == b) & (bs["preferred_brand"] == b)).mean()
                for b in S.MARKET_BRANDS
            ],
        },
        index=list(S.MARKET_BRANDS),
    )
    p = f[obs.columns].to_numpy()
    z = (obs.to_numpy() - p) / np.sqrt(p * (1 - p) / n)
    assert np.abs(z).max() < 3.5
    assert np.allclose(f["consider_given_aware"], S.FUNNEL_CONSIDER)
    assert f["current"].sum() == pytest.approx(1, abs=1e-3)
    assert f["preferred"].sum() == pytest.approx(1, abs=1e-3)
    assert (f["loyal"] <= f["current"]).all() and (f["current"] <= f["consider"]).all()


# ------------------------------------------------------------------ spend shares
def test_spend_shares_sum_to_100_or_are_all_empty(sample: Sample, truth: MarketTruth) -> None:
    sp = sample.brand_survey[[f"spend_{k}" for k in KEYS]]
    empty = sp.isna().all(axis=1)
    assert (sp.isna().any(axis=1) == empty).all()  # all or nothing
    assert (sp[~empty].sum(axis=1) == 100).all() and (sp[~empty] >= 0).all().all()
    assert abs(float(empty.mean()) - truth.no_spend) < 0.02
    mean = sp[~empty].mean().to_numpy()
    # se of a mean share about 0.6 points
    assert np.abs(mean - truth.spend_shares.to_numpy()).max() < 2.0
    assert truth.spend_shares.sum() == pytest.approx(100.0, abs=1e-3)


# ------------------------------------------------------------------ switching
def test_switching_counts_follow_the_planted_matrix(sample: Sample, truth: MarketTruth) -> None:
    bs = sample.brand_survey
    brands = list(truth.brands)
    counts = pd.crosstab(bs["previous_brand"], bs["current_brand"])
    counts = counts.reindex(index=brands, columns=brands, fill_value=0)
    expected = truth.switching.to_numpy() * counts.sum(axis=1).to_numpy()[:, None]
    chi2 = float(((counts.to_numpy() - expected) ** 2 / expected).sum())
    p = float(stats.chi2.sf(chi2, df=len(brands) * (len(brands) - 1)))
    assert p > 0.05
    # the planted flows: Lumo loses most to Vetta, gains most from Orin
    assert counts.loc["Lumo"].drop("Lumo").idxmax() == "Vetta"
    assert counts["Lumo"].drop("Lumo").idxmax() == "Orin"
    assert abs(bs["previous_brand"].isna().mean() - truth.no_previous) < 0.04


def test_stationary_distribution_solves_pi_p_equals_pi(truth: MarketTruth) -> None:
    pi = truth.stationary.to_numpy()
    p = truth.switching.to_numpy()
    assert np.allclose(p.sum(axis=1), 1.0)
    assert np.allclose(pi @ p, pi, atol=1e-5) and pi.sum() == pytest.approx(1.0, abs=1e-5)
    # independent: the left eigenvector of eigenvalue 1
    w, v = np.linalg.eig(p.T)
    e = np.real(v[:, np.argmin(np.abs(w - 1))])
    assert np.allclose(e / e.sum(), pi, atol=1e-5)
    assert truth.stationary.idxmax() == "Vetta" and truth.stationary.idxmin() == "Orin"
    cur = (1 - truth.no_previous) * truth.previous_shares.to_numpy() @ p
    cur = cur + truth.no_previous * truth.new_buyer_shares.to_numpy()
    assert np.allclose(cur, truth.current_shares.to_numpy(), atol=1e-5)


# ------------------------------------------------------------------ brand image
def test_brand_image_has_the_planted_two_dimensional_structure(
    sample: Sample, truth: MarketTruth
) -> None:
    img = sample.brand_image.set_index("brand")
    n_aware = _grid(sample.brand_survey, "aware").sum(axis=0)
    assert (img.to_numpy() <= n_aware[:, None]).all()
    share = img.div(n_aware, axis=0)
    assert np.abs(share.to_numpy() - truth.image_probs.to_numpy()).max() < 0.1
    assert share["affordable"].idxmax() == "Vetta"
    assert share["friendly_service"].idxmax() == "Kaiya"
    assert share["innovative"].idxmax() == "Lumo"
    # correspondence analysis by hand: two axes carry most of the inertia
    x = img.to_numpy(float)
    pmat = x / x.sum()
    r, c = pmat.sum(axis=1), pmat.sum(axis=0)
    resid = (pmat - np.outer(r, c)) / np.sqrt(np.outer(r, c))
    sv = np.linalg.svd(resid, compute_uv=False)
    inertia = sv**2
    assert inertia[:2].sum() / inertia.sum() > 0.9


# ------------------------------------------------------------------ market
def test_market_growth_and_share_trajectories(sample: Sample, truth: MarketTruth) -> None:
    mk = sample.market
    units = mk[mk["kpi"] == "units"].pivot(index="period", columns="brand", values="value")
    total = units.sum(axis=1).to_numpy()
    years = (len(total) - 1) / 2
    cagr = (total[-1] / total[0]) ** (1 / years) - 1
    assert truth.market_cagr == 0.08 and abs(cagr - truth.market_cagr) < 0.01
    slope = np.polyfit(np.arange(len(total)) / 2, np.log(total), 1)[0]
    assert abs(np.expm1(slope) - truth.market_cagr) < 0.01
    share = units.div(units.sum(axis=1), axis=0) * 100
    assert share["Vetta"].iloc[-1] - share["Vetta"].iloc[0] > 3
    assert share["Orin"].iloc[0] - share["Orin"].iloc[-1] > 3
    planted = truth.market.pivot(index="period", columns="brand", values="share")
    assert np.allclose(planted.sum(axis=1), 100)
    assert float((share - planted[share.columns]).abs().to_numpy().max()) < 1.5
    assert set(mk["unit"]) == {"thousand units", "million CNY"}
    rev = mk[mk["kpi"] == "revenue"].pivot(index="period", columns="brand", values="value")
    price = (rev * 1000 / units).mean()
    assert price.idxmax() == "Kaiya" and price.idxmin() == "Others"


def test_small_sample_works() -> None:
    s = make_sample(1, n_customers=800, n_respondents=300, n_feedback=200, n_tickets=200)
    assert len(s.brand_survey) == s.truth.market.n_respondents == 180
    assert set(s.brand_survey["resp_id"]) <= set(s.survey_wave1["resp_id"])
    assert len(s.truth.market.inconsistent) == 2 and len(s.brand_image) == 5
    assert len(s.market) == 8 * 6 * 2
