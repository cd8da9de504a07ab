"""Tests of retention_cohorts and the shifted-beta-geometric model.

Published example: Fader & Hardie (2007), "How to project customer retention", *Journal of
Interactive Marketing* 21(1), 76-90, the two cohorts of 1000 customers observed for 7 years
(Table 1): "regular" 1000 631 468 382 326 289 262 241 and "high end" 1000 869 743 653 593 551
517 491. The paper's maximum-likelihood estimates are alpha = 0.668, beta = 3.806 for the **high
end** cohort and alpha = 0.704, beta = 1.182 for the **regular** one (the issue brief had the
two labels swapped; checked here by refitting, and against J. D. Maturen's sBG implementation
(github.com/jdmaturen/shifted_beta_geometric_py, test(): "High End ... alpha 0.668, beta 3.806",
log-likelihood per customer -2.115 at alpha = beta = 1, projected survival 0.460 0.436 0.414
0.395 0.378 for years 8-12).
"""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone

from needlab.errors import ConfigError, DataError, NotFittedError, SchemaError
from needlab.plan.retention import SBG, _sbg_loglik, retention_cohorts

matplotlib.use("Agg")

REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241]
HIGH_END = [1000, 869, 743, 653, 593, 551, 517, 491]


def _tx() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": ["a", "b", "a", "c", "b", "a", "d"],
            "order_date": [
                "2024-01-05",
                "2024-01-20",
                "2024-02-03",
                "2024-02-10",
                "2024-03-01",
                "2024-03-15",
                "2024-04-02",
            ],
        }
    )


# ----------------------------------------------------------------------------- cohorts
def test_hand_matrix_and_not_yet_observable_cells_are_nan() -> None:
    res = retention_cohorts(_tx(), asof="2024-04-10")
    m = res.matrix
    # January: a, b (size 2); Feb: a active (1/2); Mar: a, b (2/2). February: c; Mar: none
    assert m.loc["2024-01"].to_numpy().tolist()[:3] == [1.0, 0.5, 1.0]
    assert m.loc["2024-02"].to_numpy().tolist()[:2] == [1.0, 0.0]
    # April has not ended on 10 April: every April cell is missing, never 0
    assert m.shape[1] == 3 and np.isnan(m.to_numpy(dtype=float)[1, 2])
    assert m.loc["2024-04"].isna().all()
    april = res.table[res.table["period"] == "2024-04"]
    assert (~april["observable"]).all() and april["retention"].isna().all()
    coh = res.cohorts.set_index("cohort")
    assert coh.loc["2024-04", "size"] == 1 and not coh.loc["2024-04", "complete"]
    assert any("had not ended by asof" in n for n in res.notes)


def test_period_ending_on_asof_is_observable() -> None:
    res = retention_cohorts(_tx(), asof="2024-04-30")
    assert res.matrix.loc["2024-04", 0] == 1.0
    assert res.matrix.loc["2024-01", 3] == 0.0


def test_pooled_curve_weighted_by_cohort_size_with_binomial_se() -> None:
    res = retention_cohorts(_tx(), asof="2024-04-30")
    c = res.curve.set_index("age")
    # age 1: Jan (1 of 2), Feb (0 of 1), Mar has no cohort, Apr not observable at age 1
    assert c.loc[1, "n"] == 3 and c.loc[1, "active"] == 1
    assert c.loc[1, "retention"] == pytest.approx(1 / 3)
    assert c.loc[1, "se"] == pytest.approx(np.sqrt((1 / 3) * (2 / 3) / 3))
    assert c.loc[0, "retention"] == 1.0 and c.loc[0, "n"] == 4


def test_alive_definition_is_monotone() -> None:
    res = retention_cohorts(_tx(), asof="2024-04-30", definition="alive")
    # a's last order is March: alive at Jan..Mar; b's last is March too
    assert res.matrix.loc["2024-01"].to_numpy().tolist() == [1.0, 1.0, 1.0, 0.0]
    arr = res.alive.to_numpy(dtype=float)
    d = np.diff(arr, axis=1)
    assert np.all(d[~np.isnan(d)] <= 0)


def test_orders_after_asof_and_missing_rows_are_excluded_and_counted() -> None:
    tx = _tx()
    tx.loc[len(tx)] = [None, "2024-01-09"]
    tx.loc[len(tx)] = ["e", None]
    res = retention_cohorts(tx, asof="2024-03-31")
    assert res.n_used == 6 and res.n_excluded == 3
    assert any("after asof" in n for n in res.notes)
    assert any("without a 'customer_id'" in n for n in res.notes)
    assert any("without a 'order_date'" in n for n in res.notes)


def test_weeks_and_quarters() -> None:
    q = retention_cohorts(_tx(), period="Q", asof="2024-06-30")
    # a, b, c start in Q1; nobody from Q1 buys in Q2 (d is new)
    assert q.matrix.loc["2024Q1"].to_numpy().tolist() == [1.0, 0.0]
    assert q.cohorts.set_index("cohort").loc["2024Q2", "size"] == 1
    w = retention_cohorts(_tx(), period="W", asof="2024-04-30")
    assert w.matrix.shape[0] == 4


def test_sample_shape_and_plots() -> None:
    import needlab as nl

    res = retention_cohorts(nl.load_sample().transactions)
    assert res.matrix.shape == (24, 24)
    # the last cohort is observable only at age 0
    assert res.matrix.iloc[-1, 1:].isna().all()
    assert res.n_used + res.n_excluded == len(nl.load_sample().transactions)
    import matplotlib.pyplot as plt

    assert res.plot().images
    assert res.plot(kind="curves").lines
    plt.close("all")


def test_bad_inputs() -> None:
    with pytest.raises(ConfigError, match=r"period='month' is not valid; choose one of"):
        retention_cohorts(_tx(), period="month")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="definition="):
        retention_cohorts(_tx(), definition="survival")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="asof='soon' is not a date"):
        retention_cohorts(_tx(), asof="soon")
    with pytest.raises(SchemaError, match="cust"):
        retention_cohorts(_tx(), customer="cust")
    with pytest.raises(DataError, match="no transaction is dated on or before asof=2023-01-01"):
        retention_cohorts(_tx(), asof="2023-01-01")
    bad = _tx()
    bad.loc[2, "order_date"] = "not a date"
    with pytest.raises(DataError, match="order_date"):
        retention_cohorts(bad)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 9), st.integers(0, 400)), min_size=1, max_size=60),
    st.integers(0, 400),
)
def test_properties(orders: list[tuple[int, int]], cut: int) -> None:
    base = pd.Timestamp("2023-01-01")
    tx = pd.DataFrame(
        {
            "customer_id": [f"c{c}" for c, _ in orders],
            "order_date": [base + pd.Timedelta(days=d) for _, d in orders],
        }
    )
    asof = base + pd.Timedelta(days=cut)
    if not (tx["order_date"] <= asof).any():
        return
    res = retention_cohorts(tx, asof=asof)
    m = res.matrix.to_numpy(dtype=float)
    ok = ~np.isnan(m)
    assert np.all((m[ok] >= 0) & (m[ok] <= 1))
    # observable cells are exactly those whose month ended by asof
    last_ended = (asof + pd.Timedelta(days=1)).to_period("M") - 1
    coh = pd.PeriodIndex(res.matrix.index, freq="M")
    for i, p in enumerate(coh):
        for k in range(m.shape[1]):
            assert ok[i, k] == (p + k <= last_ended)
    assert res.n_used + res.n_excluded == len(tx)
    alive = res.alive.to_numpy(dtype=float)
    assert np.all(np.nan_to_num(np.diff(alive, axis=1), nan=0.0) <= 0)


# ----------------------------------------------------------------------------- sBG
def test_sbg_published_high_end_and_regular() -> None:
    high = SBG().fit(HIGH_END)
    assert high.alpha_ == pytest.approx(0.668, abs=5e-4)
    assert high.beta_ == pytest.approx(3.806, abs=5e-4)
    regular = SBG().fit(REGULAR)
    assert regular.alpha_ == pytest.approx(0.704, abs=5e-4)
    assert regular.beta_ == pytest.approx(1.182, abs=5e-4)
    assert high.converged_ and regular.converged_
    # projections for years 8-12 of the high-end cohort (Maturen's README values)
    np.testing.assert_allclose(
        high.predict_survival([8, 9, 10, 11, 12]), [0.460, 0.436, 0.414, 0.395, 0.378], atol=5e-4
    )


def test_sbg_loglik_at_one_one() -> None:
    arr = np.asarray([HIGH_END], dtype=float)
    assert _sbg_loglik(0.0, 0.0, arr) / 1000 == pytest.approx(-2.115, rel=1e-3)


def test_sbg_retention_formula_and_survival_ratio() -> None:
    m = SBG().fit(REGULAR)
    t = np.arange(1, 10)
    r = m.predict_retention(t)
    s = m.predict_survival(np.arange(0, 10))
    np.testing.assert_allclose(r, s[1:] / s[:-1], rtol=1e-10)
    np.testing.assert_allclose(r, (m.beta_ + t - 1) / (m.alpha_ + m.beta_ + t - 1))
    assert np.all(np.diff(r) > 0)  # the sorting effect


def test_sbg_projection_se_against_parametric_bootstrap() -> None:
    m = SBG().fit(HIGH_END)
    proj = m.project([10], ci=0.95).iloc[0]
    rng = np.random.default_rng(1)
    mean = np.log([m.alpha_, m.beta_])
    draws = rng.multivariate_normal(mean, m.cov_log_, size=4000)
    from scipy.special import betaln

    a, b = np.exp(draws[:, 0]), np.exp(draws[:, 1])
    s10 = np.exp(betaln(a, b + 10) - betaln(a, b))
    assert proj["survival_se"] == pytest.approx(np.std(s10), rel=0.1)
    assert proj["survival_ci_low"] < proj["survival"] < proj["survival_ci_high"]


def test_sbg_multi_cohort_and_retention_result() -> None:
    two = pd.DataFrame([HIGH_END, HIGH_END[:5] + [np.nan] * 3])
    m = SBG().fit(two)
    assert m.n_customers_ == 2000 and m.n_periods_ == 7
    # the log-likelihoods of the cohorts add (the second one censored after year 4)
    la, lb = np.log(m.alpha_), np.log(m.beta_)
    one = _sbg_loglik(la, lb, np.asarray([HIGH_END], dtype=float))
    short = _sbg_loglik(la, lb, np.asarray([HIGH_END[:5]], dtype=float))
    assert m.log_likelihood_ == pytest.approx(one + short)
    # two identical cohorts give the one-cohort estimates
    twice = SBG().fit(pd.DataFrame([HIGH_END, HIGH_END]))
    assert twice.alpha_ == pytest.approx(0.668, abs=5e-4)
    import needlab as nl

    res = retention_cohorts(nl.load_sample().transactions)
    fitted = SBG().fit(res)
    assert fitted.n_customers_ == res.cohorts.loc[res.cohorts["complete"], "size"].sum()


def test_sbg_planted_truth() -> None:
    rng = np.random.default_rng(7)
    theta = rng.beta(1.2, 3.0, size=20000)
    dur = rng.geometric(theta)  # churn in period T >= 1
    survivors = [int((dur > t).sum()) for t in range(9)]
    m = SBG().fit(survivors)
    assert m.alpha_ == pytest.approx(1.2, rel=0.15)
    assert m.beta_ == pytest.approx(3.0, rel=0.15)


def test_sbg_estimator_contract_and_errors() -> None:
    m = clone(SBG())
    assert m.get_params() == {}
    with pytest.raises(NotFittedError):
        m.predict_survival([1])
    with pytest.raises(DataError, match="T >= 2"):
        SBG().fit([1000, 800])
    with pytest.raises(DataError, match="must not increase.*from 600 to 700 at age 2"):
        SBG().fit([1000, 600, 700])
    with pytest.raises(DataError, match="negative"):
        SBG().fit([1000, 600, -1])
    with pytest.raises(DataError, match="cohort size"):
        SBG().fit([0, 0, 0])
    with pytest.raises(DataError, match="gaps"):
        SBG().fit([[1000, np.nan, 500]])
    m.fit(HIGH_END)
    with pytest.raises(ConfigError, match="whole numbers >= 1"):
        m.predict_retention([0])
