"""Tests for needlab.segment.clv: summary, BG/NBD, Gamma-Gamma and CLV."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

from needlab.errors import ConfigError, DataError, NeedlabWarning, NotFittedError
from needlab.segment.clv import BetaGeo, GammaGamma, clv, clv_summary

CDNOW = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}


# ----------------------------------------------------------------- independent hand formulas
def hand_loglik(r, alpha, a, b, x, tx, T):
    """BG/NBD likelihood, eq. (6) of Fader, Hardie & Lee (2005), written term by term."""

    def lbeta(u, v):
        return math.lgamma(u) + math.lgamma(v) - math.lgamma(u + v)

    common = math.lgamma(r + x) - math.lgamma(r) + r * math.log(alpha)
    l1 = math.exp(lbeta(a, b + x) - lbeta(a, b) + common - (r + x) * math.log(alpha + T))
    l2 = 0.0
    if x > 0:
        l2 = math.exp(
            lbeta(a + 1, b + x - 1) - lbeta(a, b) + common - (r + x) * math.log(alpha + tx)
        )
    return math.log(l1 + l2)


def hand_2f1(a, b, c, z, terms=5000):
    """Gauss hypergeometric series, summed term by term (|z| < 1)."""
    total, term = 1.0, 1.0
    for j in range(terms):
        term *= (a + j) * (b + j) / ((c + j) * (j + 1)) * z
        total += term
        if abs(term) < 1e-16 * abs(total):
            break
    return total


def hand_palive(r, alpha, a, b, x, tx, T):
    if x == 0:
        return 1.0
    return 1.0 / (1.0 + a / (b + x - 1) * ((alpha + T) / (alpha + tx)) ** (r + x))


def hand_expected(t, r, alpha, a, b, x, tx, T):
    """Eq. (10): E[Y(t) | x, t_x, T]."""
    num = (
        (a + b + x - 1)
        / (a - 1)
        * (
            1
            - ((alpha + T) / (alpha + T + t)) ** (r + x)
            * hand_2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t))
        )
    )
    den = 1.0 + (a / (b + x - 1) * ((alpha + T) / (alpha + tx)) ** (r + x) if x > 0 else 0.0)
    return num / den


# ----------------------------------------------------------------- simulation
def simulate_bgnbd(n, r, alpha, a, b, T, rng):
    """Vectorised BG/NBD: (frequency, recency) over windows T (first purchase at time 0)."""
    T = np.broadcast_to(np.asarray(T, dtype=float), (n,))
    lam = rng.gamma(r, 1.0 / alpha, n)
    p = rng.beta(a, b, n)
    # dies right after the J-th repeat purchase, J ~ Geometric(p) on {1, 2, ...}
    J = rng.geometric(p)
    N = rng.poisson(lam * T)  # repeat purchases if the customer never died
    x = np.minimum(N, J)
    # given N(T) = n, arrival times are uniform order statistics: the x-th ~ T * Beta(x, n-x+1)
    tx = np.zeros(n)
    pos = x > 0
    tx[pos] = T[pos] * rng.beta(x[pos], N[pos] - x[pos] + 1)
    return x.astype(float), tx, T.copy()


TRUE = {"r": 0.8, "alpha": 6.0, "a": 1.2, "b": 3.5}


@pytest.fixture(scope="module")
def sim():
    rng = np.random.default_rng(20240501)
    n = 5000
    T = rng.uniform(30, 60, n)
    return simulate_bgnbd(n, *TRUE.values(), T, rng)


@pytest.fixture(scope="module")
def fitted(sim):
    return BetaGeo().fit(np.column_stack(sim))


def with_params(**p):
    m = BetaGeo()
    m.params_ = p
    return m


# ----------------------------------------------------------------- BG/NBD
def test_loglik_matches_hand_formula():
    cases = [(0, 0.0, 5.0), (1, 2.0, 5.0), (3, 4.5, 6.0), (7, 30.43, 38.86)]
    r, alpha, a, b = 0.5, 3.0, 1.3, 2.2
    m = with_params(r=r, alpha=alpha, a=a, b=b)
    x, tx, T = (np.array(c, dtype=float) for c in zip(*cases, strict=True))
    got = m.log_likelihood(x, tx, T)
    want = [hand_loglik(r, alpha, a, b, *c) for c in cases]
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_fit_loglik_is_sum_of_hand_terms(sim):
    x, tx, T = (v[:300] for v in sim)
    with warnings.catch_warnings():
        warnings.simplefilter("error", NeedlabWarning)  # converges without warnings
        m = BetaGeo().fit(np.column_stack([x, tx, T]))
    assert m.converged_
    p = m.params_
    hand = sum(
        hand_loglik(p["r"], p["alpha"], p["a"], p["b"], *c) for c in zip(x, tx, T, strict=True)
    )
    assert m.log_likelihood_ == pytest.approx(hand, rel=1e-10)


def test_parameter_recovery(fitted):
    for k, v in TRUE.items():
        assert fitted.params_[k] == pytest.approx(v, rel=0.2), (k, fitted.params_)
    s = fitted.summary_
    assert list(s["param"]) == ["r", "alpha", "a", "b"]
    assert np.all(np.isfinite(s["se"])) and np.all(s["se"] > 0)
    # the truth lies within 3.5 standard errors
    z = (s["estimate"] - np.array(list(TRUE.values()))) / s["se"]
    assert np.all(np.abs(z) < 3.5), z


def test_fit_at_truth_is_not_better_than_mle(fitted, sim):
    ll_true = with_params(**TRUE).log_likelihood(*sim).sum()
    assert fitted.log_likelihood_ >= ll_true - 1e-6


def test_expected_new_vs_monte_carlo():
    rng = np.random.default_rng(7)
    t = 40.0
    x, _, _ = simulate_bgnbd(200_000, *TRUE.values(), t, rng)
    got = float(with_params(**TRUE).expected_purchases_new(t))
    se = x.std() / math.sqrt(len(x))
    assert abs(got - x.mean()) < 4 * se


def test_conditional_expectation_vs_monte_carlo():
    """Customers with the same history: mean future purchases matches eq. (10)."""
    rng = np.random.default_rng(11)
    n, T0, t = 400_000, 20.0, 15.0
    x, tx, _ = simulate_bgnbd(n, *TRUE.values(), T0 + t, rng)
    # purchases in (0, T0] and (T0, T0 + t] need the path; re-simulate a path-level model instead:
    lam = rng.gamma(TRUE["r"], 1 / TRUE["alpha"], n)
    p = rng.beta(TRUE["a"], TRUE["b"], n)
    J = rng.geometric(p)
    N1 = rng.poisson(lam * T0)
    N2 = rng.poisson(lam * t)
    x1 = np.minimum(N1, J)
    x2 = np.minimum(N1 + N2, J) - x1
    sel = x1 == 0  # no repeat purchase: tx = 0, alive for sure
    want = float(with_params(**TRUE).expected_purchases(t, 0, 0, T0))
    se = x2[sel].std() / math.sqrt(sel.sum())
    assert abs(x2[sel].mean() - want) < 4 * se


@pytest.mark.parametrize(
    "x, tx, T",
    [
        (0, 0.0, 38.86),
        (1, 1.71, 38.86),
        (2, 30.43, 38.86),
        (5, 20.0, 30.0),
        (10, 35.0, 38.0),
        (4, 5.0, 38.86),
    ],
)
def test_cdnow_parameters_match_hand_formula(x, tx, T):
    m = with_params(**CDNOW)
    h = hand_expected(39.0, *CDNOW.values(), x, tx, T)
    assert float(m.expected_purchases(39.0, x, tx, T)) == pytest.approx(h, rel=1e-9)
    assert float(m.probability_alive(x, tx, T)) == pytest.approx(
        hand_palive(*CDNOW.values(), x, tx, T), rel=1e-12
    )


def test_expected_new_matches_hand_formula():
    r, alpha, a, b = CDNOW.values()
    for t in (1.0, 39.0, 78.0):
        h = (
            (a + b - 1)
            / (a - 1)
            * (1 - (alpha / (alpha + t)) ** r * hand_2f1(r, b, a + b - 1, t / (alpha + t)))
        )
        assert float(with_params(**CDNOW).expected_purchases_new(t)) == pytest.approx(h, rel=1e-9)


def test_probability_alive_range(fitted, sim):
    pa = fitted.probability_alive(*sim)
    x = sim[0]
    assert np.all((pa >= 0) & (pa <= 1))
    assert np.all(pa[x == 0] == 1.0)
    assert np.all(pa[x > 0] < 1.0)


def test_bad_inputs():
    with pytest.raises(DataError, match="inconsistent"):
        BetaGeo().fit(np.column_stack([[1, 0], [5, 0], [3, 4]]))  # recency > age
    with pytest.raises(DataError, match="inconsistent"):
        BetaGeo().fit(np.column_stack([[0, 1], [2, 0], [3, 4]]))
    with pytest.raises(NotFittedError, match="not fitted"):
        BetaGeo().probability_alive(1, 1, 2)
    with pytest.raises(ConfigError, match="penalizer"):
        BetaGeo(penalizer=-1).fit(np.column_stack([[0, 1, 2], [0, 1, 2], [3, 3, 3]]))


# ----------------------------------------------------------------- Gamma-Gamma
def simulate_gg(n, p, q, v, rng, mean_repeat=1.5):
    # few repeats per customer: the spread of a customer's mean around her nu is what
    # identifies p (with many repeats p and v trade off and are poorly determined)
    x = 1 + rng.poisson(mean_repeat, n)
    nu = rng.gamma(q, 1.0 / v, n)
    # mean of x Gamma(p, nu) values: Gamma(p x, rate nu x)
    m = rng.gamma(p * x, 1.0 / (nu * x))
    return x.astype(float), m


def test_gamma_gamma_recovery():
    rng = np.random.default_rng(3)
    true = {"p": 2.0, "q": 5.0, "v": 20.0}
    x, m = simulate_gg(5000, *true.values(), rng)
    with warnings.catch_warnings():
        warnings.simplefilter("error", NeedlabWarning)  # no correlation warning by construction
        gg = GammaGamma().fit(np.column_stack([x, m]))
    for k, val in true.items():
        assert gg.params_[k] == pytest.approx(val, rel=0.2), gg.params_
    assert abs(gg.correlation_) < 0.1
    se = gg.summary_["se"].to_numpy()
    assert np.all(se > 0)
    z = (gg.summary_["estimate"].to_numpy() - np.array(list(true.values()))) / se
    assert np.all(np.abs(z) < 3.5), z
    # the population mean spend p v / (q - 1) = 10 is recovered tightly
    assert gg.params_["p"] * gg.params_["v"] / (gg.params_["q"] - 1) == pytest.approx(
        10.0, rel=0.05
    )
    # expected spend shrinks the own mean towards the population mean p v / (q - 1)
    pop = gg.params_["p"] * gg.params_["v"] / (gg.params_["q"] - 1)
    e = gg.expected_spend(np.array([1.0, 20.0, 0.0]), np.array([3 * pop, 3 * pop, 99.0]))
    assert pop < e[0] < e[1] < 3 * pop
    assert e[2] == pytest.approx(pop)


def test_gamma_gamma_loglik_hand():
    p, q, v, x, m = 2.0, 3.0, 10.0, 3.0, 7.5
    gg = GammaGamma()
    gg.params_ = {"p": p, "q": q, "v": v}
    hand = (
        math.lgamma(p * x + q)
        - math.lgamma(p * x)
        - math.lgamma(q)
        + q * math.log(v)
        + (p * x - 1) * math.log(m)
        + p * x * math.log(x)
        - (p * x + q) * math.log(v + m * x)
    )
    assert float(gg.log_likelihood(x, m)) == pytest.approx(hand, rel=1e-12)


def test_gamma_gamma_correlation_warning():
    rng = np.random.default_rng(5)
    x = 1 + rng.poisson(3.0, 2000).astype(float)
    m = 10 * x + rng.gamma(5, 2, 2000)
    with pytest.warns(NeedlabWarning, match="correlated"):
        gg = GammaGamma().fit(np.column_stack([x, m]))
    assert gg.correlation_ > 0.3


# ----------------------------------------------------------------- summary
def tx_table():
    return pd.DataFrame(
        {
            "cid": ["a", "a", "a", "a", "b", "b", "c", "c", "c", "d"],
            "when": [
                "2024-01-01",
                "2024-01-01",
                "2024-01-04",
                "2024-01-08",
                "2024-01-02",
                "2024-01-05",
                "2024-01-03",
                "2024-01-06",
                "2024-01-06",
                "2024-01-09",
            ],
            "amt": [10.0, 5.0, 0.0, 30.0, 8.0, -8.0, 4.0, 20.0, -5.0, 12.0],
        }
    )


def test_summary_hand_case():
    s = clv_summary(tx_table(), customer="cid", date="when", amount="amt", asof="2024-01-10")
    # a: occasions 01 (15, merged), 04 (0, zero-value counts), 08 (30)
    # b: occasion 02 (8); 05 holds only a refund -> dropped
    # c: occasion 03 (4), 06 (20 - 5 = 15, refund netted)
    # d: occasion 09
    exp = pd.DataFrame(
        {
            "frequency": [2, 0, 1, 0],
            "recency": [7, 0, 3, 0],
            "age": [9, 8, 7, 1],
            "monetary": [15.0, 0.0, 15.0, 0.0],
        },
        index=pd.Index(["a", "b", "c", "d"], name="cid"),
    )
    pd.testing.assert_frame_equal(s[exp.columns], exp, check_dtype=False)
    assert s.loc["a", "first"] == pd.Timestamp("2024-01-01")
    assert s.loc["a", "last"] == pd.Timestamp("2024-01-08")
    notes = " ".join(s.attrs["notes"])
    assert "1 zero-value orders" in notes
    assert "2 negative amounts" in notes
    assert "1 customer-periods with only refunds" in notes
    assert "T" not in s.columns


def test_summary_weekly_and_default_asof():
    s = clv_summary(tx_table(), customer="cid", date="when", freq="W")
    # weeks (Mon-Sun): 2024-01-01..07 is week 0, 08..14 week 1; asof = last date 01-09
    assert s.loc["a", "frequency"] == 1 and s.loc["a", "recency"] == 1 and s.loc["a", "age"] == 1
    assert s.loc["c", "frequency"] == 0 and s.loc["c", "age"] == 1
    assert "monetary" not in s.columns


def test_summary_bad_rows():
    t = tx_table()
    t.loc[0, "cid"] = None
    with pytest.warns(NeedlabWarning, match="1 rows with a missing customer id"):
        s = clv_summary(t, customer="cid", date="when", amount="amt", asof="2024-01-05")
    notes = " ".join(s.attrs["notes"])
    assert "rows dated after asof" in notes
    assert s.loc["a", "monetary"] == 0.0 and s.loc["a", "frequency"] == 1  # 01 (5), 04 (0)
    t2 = tx_table()
    t2.loc[3, "when"] = "not a date"
    with pytest.raises(DataError, match=r"'when'.*'not a date' at rows 3"):
        clv_summary(t2, customer="cid", date="when")
    t3 = tx_table()
    t3.loc[2, "amt"] = np.nan
    with pytest.raises(DataError, match="missing values"):
        clv_summary(t3, customer="cid", date="when", amount="amt")
    with pytest.raises(ConfigError):
        clv_summary(tx_table(), customer="cid", date="when", freq="fortnight")


def test_summary_row_order_irrelevant():
    t = tx_table()
    a = clv_summary(t, customer="cid", date="when", amount="amt")
    b = clv_summary(t.sample(frac=1, random_state=1), customer="cid", date="when", amount="amt")
    pd.testing.assert_frame_equal(a, b)


# ----------------------------------------------------------------- CLV and the sample data
@pytest.fixture(scope="module")
def sample():
    from needlab.datasets import make_sample

    return make_sample(0)


def test_sample_churned_lower_probability_alive(sample):
    s = clv_summary(
        sample.transactions, customer="customer_id", date="order_date", amount="amount", freq="W"
    )
    bg = BetaGeo().fit(s)
    pa = pd.Series(bg.probability_alive(s), index=s.index)
    truth = sample.truth.customers.set_index("customer_id")["churned"].reindex(s.index)
    rep = s["frequency"] > 0  # P(alive) is 1 by definition without repeat purchases
    churned = pa[rep & truth].mean()
    active = pa[rep & ~truth].mean()
    assert churned < active - 0.15, (churned, active)

    gg = GammaGamma().fit(s)
    out = clv(s, purchases=bg, spend=gg, horizon=52, discount_rate=0.002)
    assert list(out.columns) == ["probability_alive", "expected_purchases", "expected_spend", "clv"]
    assert out.index.equals(s.index)
    assert np.all(out["clv"] >= 0) and np.all(np.isfinite(out["clv"]))
    assert out.loc[truth[truth].index, "clv"].mean() < out.loc[truth[~truth].index, "clv"].mean()


def test_clv_sums_discounted_increments():
    bg = with_params(**CDNOW)
    gg = GammaGamma()
    gg.params_ = {"p": 6.25, "q": 3.74, "v": 15.44}
    s = pd.DataFrame(
        {
            "frequency": [0, 2, 5],
            "recency": [0, 30.43, 20.0],
            "age": [38.86] * 3,
            "monetary": [0.0, 40.0, 25.0],
        }
    )
    out = clv(s, purchases=bg, spend=gg, horizon=6, discount_rate=0.1)
    for i in range(3):
        x, tx, T, m = s.iloc[i]
        cum = [0.0] + [hand_expected(k, *CDNOW.values(), x, tx, T) for k in range(1, 7)]
        spend = (15.44 + m * x) * 6.25 / (6.25 * x + 3.74 - 1)
        want = spend * sum((cum[k] - cum[k - 1]) / 1.1**k for k in range(1, 7))
        assert out["clv"].iloc[i] == pytest.approx(want, rel=1e-9)
    # no discounting: clv = spend * expected purchases over the horizon
    flat = clv(s, purchases=bg, spend=gg, horizon=6, discount_rate=0.0)
    np.testing.assert_allclose(flat["clv"], flat["expected_spend"] * flat["expected_purchases"])
    with pytest.raises(ConfigError):
        clv(s, purchases=bg, spend=gg, horizon=0)


def test_fit_on_summary_equals_fit_on_arrays(sim):
    x, tx, T = (v[:800] for v in sim)
    table = pd.DataFrame({"frequency": x, "recency": tx, "age": T})
    a = BetaGeo().fit(table)
    b = BetaGeo().fit(np.column_stack([x, tx, T]))
    assert a.params_ == pytest.approx(b.params_, rel=1e-9)
    np.testing.assert_allclose(a.probability_alive(table), b.probability_alive(x, tx, T))
    np.testing.assert_allclose(a.expected_purchases(10, table), b.expected_purchases(10, x, tx, T))
    assert BetaGeo(penalizer=0.1).get_params() == {"penalizer": 0.1}


def test_expected_purchases_zero_horizon_and_monotone(fitted, sim):
    x, tx, T = (v[:200] for v in sim)
    np.testing.assert_allclose(fitted.expected_purchases(0.0, x, tx, T), 0.0, atol=1e-12)
    e1 = fitted.expected_purchases(5.0, x, tx, T)
    e2 = fitted.expected_purchases(10.0, x, tx, T)
    assert np.all(e1 > 0) and np.all(e2 > e1)


def test_matches_lifetimes_on_the_sample(sample):
    """Second implementation: the values below were computed with lifetimes 0.11.3 on the same
    weekly summary (``BetaGeoFitter().fit(frequency, recency, age)``, then
    ``conditional_probability_alive``, ``conditional_expected_number_of_purchases_up_to_time(52, ...)``;
    ``GammaGammaFitter().fit`` on repeat customers and ``conditional_expected_average_profit``)."""
    summary = clv_summary(
        sample.transactions,
        customer="customer_id",
        date="order_date",
        amount="amount",
        asof="2025-01-01",
        freq="W",
    )
    bg = BetaGeo().fit(summary)
    ref = {"r": 0.447524, "alpha": 9.924164, "a": 0.700499, "b": 15.566197}
    for k, v in ref.items():
        assert bg.params_[k] == pytest.approx(v, rel=1e-4), k
    ref_se = {"r": 0.012036, "alpha": 0.358081, "a": 0.257285, "b": 7.009847}
    for k, v in ref_se.items():  # both from numerical Hessians: agree to 0.1%
        assert bg.standard_errors_[k] == pytest.approx(v, rel=1e-3), k
    q = summary.loc[["C00001", "C00002", "C00005", "C00010"]]
    np.testing.assert_allclose(
        bg.probability_alive(q), [0.177721, 0.96106, 0.900421, 1.0], atol=2e-6
    )
    np.testing.assert_allclose(
        bg.expected_purchases(52, q), [0.371462, 2.712493, 4.835015, 1.42377], rtol=2e-5
    )
    gg = GammaGamma().fit(summary[summary["frequency"] > 0])
    assert gg.params_["p"] == pytest.approx(0.899956, rel=1e-4)
    assert gg.params_["q"] == pytest.approx(127.60744, rel=1e-3)
    assert gg.params_["v"] == pytest.approx(191972.29, rel=1e-3)
    np.testing.assert_allclose(
        gg.expected_spend(q["frequency"], q["monetary"]),
        [1347.7925, 1348.2742, 1372.9077, 1364.5847],
        rtol=1e-5,
    )


# ----------------------------------------------------------------- estimator protocol
def test_integer_weights_equal_repeated_customers(sim):
    """The weighted log-likelihood over customers: integer weights = repeated rows."""
    X = np.column_stack([v[:400] for v in sim])
    w = np.random.default_rng(2).integers(1, 4, len(X))
    a = BetaGeo().fit(X, sample_weight=w)
    b = BetaGeo().fit(np.repeat(X, w, axis=0))
    assert a.params_ == pytest.approx(b.params_, rel=1e-5)
    assert a.log_likelihood_ == pytest.approx(b.log_likelihood_, rel=1e-9)
    assert a.standard_errors_ == pytest.approx(b.standard_errors_, rel=1e-3)
    c = BetaGeo().fit(X)
    assert c.params_["r"] != pytest.approx(a.params_["r"], rel=1e-3)  # weights matter

    rng = np.random.default_rng(8)
    x, m = simulate_gg(600, 6.0, 4.0, 15.0, rng)
    G = np.column_stack([x, m])
    wg = rng.integers(1, 4, len(x))
    ga = GammaGamma().fit(G, sample_weight=wg)
    gb = GammaGamma().fit(np.repeat(G, wg, axis=0))
    assert ga.params_ == pytest.approx(gb.params_, rel=1e-5)
    assert ga.correlation_ == pytest.approx(gb.correlation_, rel=1e-9)


def test_weighted_loglik_is_weighted_sum(sim):
    X = np.column_stack([v[:300] for v in sim])
    w = np.random.default_rng(3).uniform(0.2, 2.0, len(X))
    m = BetaGeo().fit(X, sample_weight=w)
    assert m.log_likelihood_ == pytest.approx(float(w @ m.log_likelihood(*X.T)), rel=1e-10)


@pytest.mark.parametrize("cls", [BetaGeo, GammaGamma])
def test_estimator_protocol(cls):
    from sklearn.base import clone

    est = cls(penalizer=0.01)
    c = clone(est)
    assert c.get_params() == est.get_params() == {"penalizer": 0.01}
    assert c.set_params(penalizer=0.5).penalizer == 0.5 and est.penalizer == 0.01
    with pytest.raises(ValueError, match="alpha"):
        c.set_params(alpha=1)
    assert repr(est) == f"{cls.__name__}(penalizer=0.01)"
    assert repr(cls()) == f"{cls.__name__}()"
    with pytest.raises(TypeError):
        cls(0.1)  # keyword-only
    bad = cls(penalizer=-1)  # stored as given, checked in fit
    assert bad.penalizer == -1


CLV_CHECKS = [
    "check_no_attributes_set_in_init",
    "check_get_params_invariance",
    "check_set_params",
    "check_parameters_default_constructible",
    "check_estimator_repr",
    "check_estimator_cloneable",
    "check_estimators_overwrite_params",
    "check_dont_overwrite_parameters",
]
# Skipped checks of check_estimator, and why: every other check fits on random Gaussian
# arrays, which are not purchase histories (negative counts, recency > age) and are refused
# with a DataError by design; fit idempotence and weights are tested above on simulated
# histories (test_integer_weights_equal_repeated_customers, test_fit_on_summary_equals...).


@pytest.mark.parametrize("check", CLV_CHECKS)
@pytest.mark.parametrize("cls", [BetaGeo, GammaGamma])
def test_sklearn_estimator_checks(cls, check):
    import sklearn.utils.estimator_checks as ec

    est = cls()
    try:
        getattr(ec, check)(cls.__name__, est)
    except DataError:
        # checks that fit on random arrays reach our validation; what they assert before fit
        # (parameters untouched) is covered by the passing checks
        pytest.skip(f"{check} fits on random data that are not purchase histories")


def test_fit_is_idempotent_and_not_fitted(sim):
    X = np.column_stack([v[:300] for v in sim])
    m = BetaGeo()
    with pytest.raises(NotFittedError):
        m.expected_purchases(1, 1, 1, 2)
    with pytest.raises(NotFittedError):
        GammaGamma().expected_spend(1, 10)
    a = dict(m.fit(X).params_)
    assert m.fit(X).params_ == a


def test_clv_summary_takes_a_survey_like_frame_as_data():
    s = clv_summary(data=tx_table(), customer="cid", date="when", amount="amt", asof="2024-01-10")
    assert s.loc["a", "frequency"] == 2
