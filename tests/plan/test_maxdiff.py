"""MaxDiff (best-worst scaling, issue 15): hand-computed counts, planted utilities recovered, the
statsmodels fit against an independent scipy likelihood maximisation, and each design error."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest
from scipy import optimize, stats

from needlab.errors import ConfigError, DataError, SchemaError
from needlab.plan.maxdiff import MaxDiffResult, maxdiff

matplotlib.use("Agg")

COLS = ["resp_id", "task", "item", "choice"]


def _frame(tasks: list[tuple[int, int, str, str, str]]) -> pd.DataFrame:
    """(respondent, task, items shown, best, worst) -> long rows."""
    rows = [
        (r, t, it, 1 if it == b else -1 if it == w else 0)
        for r, t, shown, b, w in tasks
        for it in shown
    ]
    return pd.DataFrame(rows, columns=COLS)


def simulate(
    n_resp: int = 150, n_tasks: int = 8, per_task: int = 4, seed: int = 0
) -> tuple[pd.DataFrame, pd.Series]:
    """Sequential best-worst choices with planted utilities (Gumbel errors)."""
    rng = np.random.default_rng(seed)
    u = np.array([1.2, 0.8, 0.5, 0.1, -0.2, -0.6, -1.0, -1.4])
    items = np.array([f"N{i + 1:02d}" for i in range(len(u))])
    n = n_resp * n_tasks
    shown = np.argsort(rng.random((n, len(u))), axis=1)[:, :per_task]
    gb = u[shown] + rng.gumbel(size=shown.shape)
    b = np.argmax(gb, axis=1)
    gw = -u[shown] + rng.gumbel(size=shown.shape)
    gw[np.arange(n), b] = -np.inf
    w = np.argmax(gw, axis=1)
    choice = np.zeros(shown.shape, dtype=int)
    choice[np.arange(n), b] = 1
    choice[np.arange(n), w] = -1
    df = pd.DataFrame(
        {
            "resp_id": np.repeat(np.arange(n) // n_tasks, per_task),
            "task": np.repeat(np.arange(n) % n_tasks, per_task),
            "item": items[shown.ravel()],
            "choice": choice.ravel(),
        }
    )
    return df, pd.Series(u, index=items)


def scipy_fit(df: pd.DataFrame) -> tuple[pd.Series, float]:
    """Independent direct maximisation of the sequential best-worst likelihood (scipy BFGS on
    the explicit per-task probabilities; first sorted item = 0)."""
    items = sorted(df["item"].unique())
    pos = {c: i for i, c in enumerate(items)}
    tasks = []
    for _, g in df.groupby(["resp_id", "task"], sort=False):
        idx = np.array([pos[c] for c in g["item"]])
        ch = g["choice"].to_numpy()
        tasks.append((idx, idx[ch == 1][0], idx[ch == -1][0]))

    def nll(theta: np.ndarray) -> float:
        u = np.r_[0.0, theta]
        total = 0.0
        for idx, b, w in tasks:
            total += u[b] - np.log(np.exp(u[idx]).sum())
            rest = idx[idx != b]
            total += -u[w] - np.log(np.exp(-u[rest]).sum())
        return -total

    res = optimize.minimize(nll, np.zeros(len(items) - 1), method="BFGS", options={"gtol": 1e-9})
    return pd.Series(np.r_[0.0, res.x], index=items), -float(res.fun)


# --- counts by hand ---------------------------------------------------------------------------


def test_hand_computed_counts() -> None:
    # 2 respondents x 3 tasks over items A-D:
    # r0: ABC best A worst C; ABD best B worst A; BCD best D worst C
    # r1: ABC best B worst C; ACD best A worst D; BCD best B worst D
    df = _frame(
        [
            (0, 1, "ABC", "A", "C"),
            (0, 2, "ABD", "B", "A"),
            (0, 3, "BCD", "D", "C"),
            (1, 1, "ABC", "B", "C"),
            (1, 2, "ACD", "A", "D"),
            (1, 3, "BCD", "B", "D"),
        ]
    )
    res = maxdiff(df)
    t = res.table.set_index("item")
    # shown: A 4 (ABC, ABD, ABC, ACD), B 5, C 5, D 4
    assert t["shown"].to_dict() == {"A": 4, "B": 5, "C": 5, "D": 4}
    assert t["best"].to_dict() == {"A": 2, "B": 3, "C": 0, "D": 1}
    assert t["worst"].to_dict() == {"A": 1, "B": 0, "C": 3, "D": 2}
    assert t["best_minus_worst"].to_dict() == {"A": 1, "B": 3, "C": -3, "D": -1}
    assert t.loc["B", "bw_score"] == pytest.approx(3 / 5)
    assert t.loc["C", "bw_score"] == pytest.approx(-3 / 5)
    assert t.loc["A", "best_rate"] == pytest.approx(2 / 4)
    assert t.loc["D", "worst_rate"] == pytest.approx(2 / 4)
    assert res.n_used == len(df) and res.n_excluded == 0
    assert res.n_respondents == 2 and res.n_tasks == 6
    # unequal showings: a note with min/max and the balance statistic (CV of 4, 5, 5, 4)
    assert res.balance["shown_min"] == 4 and res.balance["shown_max"] == 5
    assert res.balance["shown_cv"] == pytest.approx(np.std([4, 5, 5, 4]) / 4.5)
    assert any("shown 4 to 5 times" in n for n in res.notes)
    # shares sum to 100, ranks follow the utilities
    assert t["share"].sum() == pytest.approx(100.0)
    assert list(res.table["item"]) == ["B", "A", "D", "C"]


def test_counts_method_formula() -> None:
    df = _frame([(0, 1, "ABC", "A", "C"), (0, 2, "ABC", "A", "B"), (1, 1, "ABC", "B", "C")])
    res = maxdiff(df, method="counts")
    t = res.table.set_index("item")
    # A: best 2 worst 0; B: 1, 1; C: 0, 2
    assert t.loc["A", "utility"] == pytest.approx(0.5 * np.log(2.5 / 0.5))
    assert t.loc["B", "utility"] == pytest.approx(0.0)
    assert t.loc["A", "se"] == pytest.approx(0.5 * np.sqrt(1 / 2.5 + 1 / 0.5))
    assert res.reference is None and res.cov is None


# --- the logit ----------------------------------------------------------------------------------


Sim = tuple[pd.DataFrame, pd.Series, MaxDiffResult]


@pytest.fixture(scope="module")
def sim() -> Sim:
    df, truth = simulate()
    return df, truth, maxdiff(df)


def test_planted_utilities_recovered(sim: Sim) -> None:
    df, truth, res = sim
    u = res.utilities
    assert res.reference == "N01"
    planted = truth - truth["N01"]
    # within 4 standard errors of the truth, and the planted order recovered
    se = res.table.set_index("item")["se"]
    assert (np.abs(u[planted.index] - planted)[1:] < 4 * se[planted.index][1:]).all()
    assert list(res.table["item"]) == list(planted.sort_values(ascending=False).index)
    covered = (res.table.set_index("item")["ci_low"] <= planted) & (
        planted <= res.table.set_index("item")["ci_high"]
    )
    assert covered.sum() >= 6
    assert 0 < res.pseudo_r2 < 1 and res.loglike < 0


def test_statsmodels_fit_agrees_with_scipy_maximisation(sim: Sim) -> None:
    df, _, res = sim
    u_scipy, ll_scipy = scipy_fit(df)
    assert res.utilities[u_scipy.index].to_numpy() == pytest.approx(u_scipy.to_numpy(), abs=1e-4)
    assert res.loglike == pytest.approx(ll_scipy, abs=1e-6)


def test_standard_errors_match_statsmodels_numerical_hessian() -> None:
    from statsmodels.discrete.conditional_models import ConditionalLogit

    from needlab.plan.maxdiff import _design_matrix

    df, _ = simulate(n_resp=40, n_tasks=6, seed=3)
    res = maxdiff(df)
    items = pd.Index(sorted(df["item"].unique()))
    task_code = pd.MultiIndex.from_frame(df[["resp_id", "task"]]).factorize()[0]
    endog, exog, groups = _design_matrix(
        np.asarray(task_code), items.get_indexer(df["item"]), df["choice"].to_numpy(), 8, 0
    )
    fit = ConditionalLogit(endog, exog, groups=groups).fit(
        start_params=res.utilities[items[1:]].to_numpy(), disp=False
    )
    assert res.table.set_index("item")["se"][items[1:]].to_numpy() == pytest.approx(
        np.asarray(fit.bse), rel=1e-3
    )


def test_counts_log_ratio_ranks_agree(sim: Sim) -> None:
    df, _, res = sim
    counts = maxdiff(df, method="counts").utilities
    rho = stats.spearmanr(res.utilities[counts.index], counts).statistic
    assert rho > 0.95


def test_shares_and_weights(sim: Sim) -> None:
    _, _, res = sim
    u = res.utilities
    assert res.shares.to_numpy() == pytest.approx(100 * np.exp(u) / np.exp(u).sum())
    assert res.weights.sum() == pytest.approx(1.0)


def test_permuting_rows_changes_nothing(sim: Sim) -> None:
    df, _, res = sim
    shuffled = df.sample(frac=1.0, random_state=1)
    other = maxdiff(shuffled)
    assert other.utilities[res.utilities.index].to_numpy() == pytest.approx(
        res.utilities.to_numpy(), abs=1e-6
    )


def test_missing_values_exclude_the_task(sim: Sim) -> None:
    df, _, _ = sim
    bad = df.copy()
    bad.loc[0, "choice"] = np.nan  # task (0, 0): its 4 rows go
    bad.loc[5, "resp_id"] = np.nan  # a row without a respondent
    res = maxdiff(bad)
    assert res.n_excluded == 5 and res.n_used == len(df) - 5
    assert any("missing values" in n for n in res.notes)


def test_plots() -> None:
    import matplotlib.pyplot as plt

    df, _ = simulate(n_resp=30, n_tasks=6, seed=2)
    res = maxdiff(df)
    try:
        ax = res.plot()
        assert "utilities" in ax.get_title() and ax.lines
        ax = res.plot(kind="share")
        assert len(ax.patches) == 8
        with pytest.raises(ConfigError, match="kind="):
            res.plot(kind="pie")
    finally:
        plt.close("all")


# --- design errors: each names what is wrong and the fix -----------------------------------------


def test_item_never_appears() -> None:
    df, _ = simulate(n_resp=20, seed=4)
    df["item"] = pd.Categorical(df["item"], categories=[*sorted(df["item"].unique()), "N99"])
    with pytest.raises(DataError, match=r"never appear.*'N99'.*remove_unused_categories"):
        maxdiff(df)


def test_task_without_one_best_and_one_worst() -> None:
    df = _frame([(0, 1, "ABC", "A", "C"), (7, 2, "ABC", "A", "C")])
    df.loc[(df["resp_id"] == 7) & (df["item"] == "B"), "choice"] = 1
    with pytest.raises(
        DataError, match=r"exactly one best and one worst.*resp_id=7 task=2 \(2 best"
    ):
        maxdiff(df)
    df2 = _frame([(0, 1, "ABC", "A", "C"), (3, 4, "ABC", "A", "C")])
    df2.loc[(df2["resp_id"] == 3) & (df2["item"] == "C"), "choice"] = 0
    with pytest.raises(DataError, match=r"resp_id=3 task=4 \(1 best, 0 worst\)"):
        maxdiff(df2)


def test_best_equals_worst() -> None:
    df = _frame([(0, 1, "ABC", "A", "C"), (1, 1, "ABC", "A", "C")])
    extra = pd.DataFrame([(1, 1, "A", -1)], columns=COLS)
    df = pd.concat([df[~((df["resp_id"] == 1) & (df["item"] == "C"))], extra])
    df.loc[(df["resp_id"] == 1) & (df["item"] == "C"), "choice"] = 0
    with pytest.raises(DataError, match=r"best and worst are the same item.*resp_id=1 task=1"):
        maxdiff(df)


def test_item_listed_twice() -> None:
    df = _frame([(0, 1, "ABC", "A", "C"), (0, 2, "ABD", "B", "D")])
    df = pd.concat([df, pd.DataFrame([(0, 2, "A", 0)], columns=COLS)])
    with pytest.raises(DataError, match=r"listed twice.*resp_id=0 task=2.*'A'"):
        maxdiff(df)


def test_bad_choice_codes() -> None:
    df = _frame([(0, 1, "ABC", "A", "C")])
    df.loc[1, "choice"] = 2
    with pytest.raises(DataError, match=r"'choice'.*outside the allowed set.*1 = best"):
        maxdiff(df)


def test_disconnected_items() -> None:
    df = _frame(
        [
            (0, 1, "AB", "A", "B"),
            (0, 2, "AB", "B", "A"),
            (0, 3, "CD", "C", "D"),
            (1, 3, "CD", "D", "C"),
        ]
    )
    with pytest.raises(DataError, match=r"2 groups that never share a task"):
        maxdiff(df)


def test_always_best_item_needs_counts() -> None:
    df = _frame([(0, 1, "ABC", "A", "C"), (0, 2, "ABD", "A", "D"), (1, 1, "BCD", "B", "C")])
    with pytest.raises(DataError, match=r"always picked best \('A'\).*method='counts'"):
        maxdiff(df)
    assert maxdiff(df, method="counts").table["item"].iloc[0] == "A"


def test_missing_column() -> None:
    df = _frame([(0, 1, "ABC", "A", "C")])
    with pytest.raises(SchemaError, match=r"'respondent'"):
        maxdiff(df, id="respondent")


def test_options() -> None:
    df = _frame([(0, 1, "ABC", "A", "C")])
    with pytest.raises(ConfigError, match=r"method='hb'.*choose one of"):
        maxdiff(df, method="hb")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="ci must be"):
        maxdiff(df, ci=95)


def test_sample_planted_order_recovered_by_the_logit() -> None:
    import needlab as nl

    sample = nl.load_sample()
    res = nl.maxdiff(sample.maxdiff)
    assert res.table.sort_values("rank")["item"].tolist() == sample.truth.maxdiff["item"].tolist()
    # the planted utilities (relative to the reference item) lie within 4 standard errors
    planted = sample.truth.maxdiff.set_index("item")["utility"]
    planted = planted - planted[res.reference]
    t = res.table.set_index("item")
    z = (t["utility"] - planted[t.index]).abs() / t["se"].where(t["se"] > 0)
    assert z.dropna().max() < 4
