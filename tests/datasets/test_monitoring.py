"""Sample data for monitoring (issue 16): wave 3 with a panel, service tickets, a monthly KPI
series and the churn model's retention, each with planted truth recovered by simple means."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from needlab.datasets import FILES, Sample, load_sample, make_sample, write_sample
from needlab.datasets import _spec as S

NEW = ("survey_wave3", "tickets", "kpi_monthly")
FMT = "%Y-%m-%d %H:%M"
CUTOFF = pd.Timestamp("2025-07-01 00:00")


@pytest.fixture(scope="module")
def sample() -> Sample:
    return make_sample(0)


@pytest.fixture(scope="module")
def tickets(sample: Sample) -> pd.DataFrame:
    t = sample.tickets.copy()
    for col in ("opened", "first_response", "resolved"):
        t[col] = pd.to_datetime(t[col], format=FMT)
    return t


# ------------------------------------------------------------------ files and API
def test_new_files_listed_loaded_and_equal_to_the_generator(sample: Sample) -> None:
    assert {f"{n}.csv" for n in NEW} <= set(FILES)
    assert list(FILES[:11])[-2:] == ["codebook.yaml", "plan.yaml"]  # the old order is kept
    loaded = load_sample()
    for name in NEW:
        pd.testing.assert_frame_equal(getattr(loaded, name), getattr(sample, name))
    assert set(sample.waves) == {1, 2, 3} and sample.waves[3] is sample.survey_wave3
    assert len(sample.survey) == 4000  # Sample.survey stays waves 1-2 (truth.respondents rows)
    assert len(sample.truth.respondents) == 4000
    assert "survey_wave3" in repr(sample) and "tickets" in repr(sample.truth)


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


def test_existing_files_unchanged_by_the_new_streams(tmp_path: Path) -> None:
    """Values of the issue-15 files pinned: the new streams shifted nothing."""
    write_sample(tmp_path, seed=0)
    w1 = pd.read_csv(tmp_path / "survey_wave1.csv")
    assert w1["customer_id"].iloc[0] == make_sample(0).survey_wave1["customer_id"].iloc[0]
    waves = make_sample(0).truth.waves.set_index("kpi")
    # the README's table (seed 0): the old columns keep their values
    speed = np.asarray(waves.loc["top2_sat_de_speed", ["wave1_true", "wave2_true"]], float).tolist()
    assert speed == [54.42, 63.22]
    nps = np.asarray(waves.loc["nps", ["wave1_true", "wave2_true", "diff"]], float).tolist()
    assert nps == [6.5, 17.4, 10.9]
    assert list(waves.columns[:5]) == ["label", "wave1_true", "wave2_true", "diff", "changed"]


def test_small_sample_works() -> None:
    s = make_sample(1, n_customers=800, n_respondents=300, n_feedback=200)
    assert len(s.survey_wave3) == 300 and s.survey_wave3["customer_id"].is_unique
    panel = s.truth.respondents_wave3["panel"]
    assert panel.sum() == 120
    assert set(s.survey_wave3.customer_id[panel.to_numpy()]) <= set(s.survey_wave2.customer_id)
    assert len(s.tickets) == 4000 and set(s.tickets.customer_id) <= set(s.customers.customer_id)
    assert s.truth.retention["retention"].between(0, 100).all()
    smaller = make_sample(2, n_customers=800, n_respondents=300, n_feedback=200, n_tickets=500)
    assert len(smaller.tickets) == 500 and smaller.kpi_monthly["n"].sum() > 0


# ------------------------------------------------------------------ wave 3
def test_wave3_same_columns_codebook_and_fresh_ids(sample: Sample) -> None:
    w3 = sample.survey_wave3
    cols = sample.codebook["columns"]
    assert list(w3.columns) == list(sample.survey_wave1.columns) == list(cols)
    assert (w3["wave"] == 3).all() and w3["resp_id"].is_unique
    assert w3["resp_id"].between(300001, 302000).all()
    assert w3["date"].between("2025-04-07", "2025-04-27").all()
    assert 0.95 < w3["weight"].mean() < 1.05 and w3["weight"].between(0.4, 2.5).all()
    # every answer is a declared code (the wave number 3 is the one value the codebook of
    # waves 1-2 does not label: see data/sample/README.md)
    for name, spec in cols.items():
        s = w3[name].dropna()
        if "values" in spec and name != "wave":
            labels = {v[k] for v in spec["values"].values() for k in ("en", "zh")}
            assert s.isin(set(spec["values"]) | labels | set(spec.get("missing", []))).all()
        if "range" in spec:
            lo, hi = spec["range"]
            assert (s.between(lo, hi) | s.isin(spec.get("missing", []))).all(), name


def test_wave3_panel_links_wave2(sample: Sample) -> None:
    w2, w3 = sample.survey_wave2, sample.survey_wave3
    r3 = sample.truth.respondents_wave3
    assert (r3["resp_id"].to_numpy() == w3["resp_id"].to_numpy()).all()
    in_w2 = w3["customer_id"].isin(w2["customer_id"]).to_numpy()
    assert (in_w2 == r3["panel"].to_numpy()).all() and in_w2.sum() == 800
    in_w1 = w3["customer_id"].isin(sample.survey_wave1["customer_id"]).to_numpy()
    assert (in_w1 == r3["in_wave1"].to_numpy()).all()
    assert not (in_w1 & ~in_w2).any()  # fresh respondents were never asked before
    assert len(sample.truth.comments_wave3) == 2000


def test_wave3_panel_answers_positively_correlated(sample: Sample) -> None:
    w2 = sample.survey_wave2.set_index("customer_id")
    w3 = sample.survey_wave3.set_index("customer_id")
    both = w3.index.intersection(w2.index)
    for col in ("overall_sat", "ltr", "sat_us_perf"):
        a = w2.loc[both, col].astype(float)
        b = w3.loc[both, col].astype(float)
        ok = a.notna() & b.notna()
        r = np.corrcoef(a[ok], b[ok])[0, 1]
        # different customers: no correlation
        rng = np.random.default_rng(0)
        r0 = np.corrcoef(a[ok], rng.permutation(b[ok].to_numpy()))[0, 1]
        assert r > 0.3 and abs(r0) < 0.1, (col, r, r0)


def _z(a: np.ndarray, b: np.ndarray, nps: bool) -> float:
    """Independent-samples z (conservative under the positive panel correlation)."""
    if nps:
        sa, sb = [np.where(x >= 9, 100.0, 0.0) - np.where(x <= 6, 100.0, 0.0) for x in (a, b)]
    else:
        sa, sb = [np.where(x >= 4, 100.0, 0.0) for x in (a, b)]
    return (sb.mean() - sa.mean()) / np.sqrt(sa.var(ddof=1) / len(sa) + sb.var(ddof=1) / len(sb))


def test_wave3_planted_changes_real_in_census_and_sample(sample: Sample) -> None:
    waves = sample.truth.waves
    assert set(waves.loc[waves.changed_w3_w2, "kpi"]) == set(S.WAVE3_CHANGED)
    assert (~waves.changed_w3_w2).sum() >= 4
    np.testing.assert_allclose(
        waves["diff_w3_w2"], waves["wave3_true"] - waves["wave2_true"], atol=0.011
    )
    assert (waves["changed_w3_w1"] == (waves["changed"] | waves["changed_w3_w2"])).all()
    for row in waves.to_dict("records"):
        col = "ltr" if row["kpi"] == "nps" else str(row["kpi"]).removeprefix("top2_")
        a, b = (
            df[col].replace(99, np.nan).dropna().to_numpy(float)
            for df in (sample.survey_wave2, sample.survey_wave3)
        )
        z = _z(a, b, row["kpi"] == "nps")
        diff = float(row["diff_w3_w2"])
        if row["changed_w3_w2"]:
            assert diff > 5 and z > 3, (row["kpi"], diff, z)
        else:
            assert abs(diff) < 2 and abs(z) < 1.96, (row["kpi"], diff, z)


# ------------------------------------------------------------------ tickets
def test_tickets_times_are_ordered_and_censored(sample: Sample, tickets: pd.DataFrame) -> None:
    t = tickets
    assert t["ticket_id"].is_unique and t["opened"].is_monotonic_increasing
    assert list(sample.tickets.columns) == [
        "ticket_id",
        "customer_id",
        "channel",
        "opened",
        "first_response",
        "resolved",
        "category",
    ]
    assert t["opened"].min() >= pd.Timestamp("2024-01-01") and t["opened"].max() < CUTOFF
    fr = t["first_response"].notna()
    assert (t.loc[fr, "first_response"] >= t.loc[fr, "opened"]).all()
    assert 0 < (~fr).sum() < 50  # a few tickets not yet answered at the cut-off
    done = t["resolved"].notna()
    assert (t.loc[done, "resolved"] >= t.loc[done, "first_response"]).all()
    assert t.loc[done, "first_response"].notna().all()
    assert (t.loc[fr, "first_response"] <= CUTOFF).all()
    assert (t.loc[done, "resolved"] <= CUTOFF).all()
    open_ = ~done
    assert 5 <= open_.sum() <= 300  # some tickets still open at the cut-off (17 on seed 0)
    assert t.loc[t["first_response"].isna(), "resolved"].isna().all()
    assert set(t["channel"]) == {ch[0] for ch in S.TICKET_CHANNELS}
    assert set(t["category"]) == set(S.TICKET_CATEGORIES)
    signup = sample.customers.set_index("customer_id")["signup_date"]
    assert (t["opened"] >= pd.to_datetime(signup.loc[t["customer_id"]]).to_numpy()).all()


def _km_median(hours: np.ndarray, event: np.ndarray) -> float:
    """Kaplan-Meier median (smallest time where S(t) <= 0.5), written out for the test."""
    order = np.argsort(hours, kind="stable")
    h, e = hours[order], event[order]
    at_risk = len(h) - np.arange(len(h))
    surv = np.cumprod(np.where(e, 1.0 - 1.0 / at_risk, 1.0))
    return float(h[np.argmax(surv <= 0.5)])


def test_tickets_planted_service_times_recovered(tickets: pd.DataFrame, sample: Sample) -> None:
    t = tickets
    truth = sample.truth.tickets.set_index(["channel", "period"])
    res_h = (t["resolved"] - t["opened"]).dt.total_seconds() / 3600
    fr_h = (t["first_response"] - t["opened"]).dt.total_seconds() / 3600
    after = (t["opened"] >= pd.Timestamp(str(S.TICKET_CHANGE))).to_numpy()
    elapsed = (t["opened"] + pd.Timedelta(hours=48) <= CUTOFF).to_numpy()
    for period, m in (("before", ~after), ("after", after)):
        m48 = m & elapsed
        share = (res_h[m48] <= 48).mean() * 100
        p = float(truth.loc[("all", period), "resolved_within_48h"])  # type: ignore[arg-type]
        se = np.sqrt(p * (100 - p) / m48.sum())
        assert abs(share - p) < 3.5 * se, (period, share, p)
        # Kaplan-Meier on the right-censored times against the true median
        open_h = ((CUTOFF - t["opened"]).dt.total_seconds() / 3600).to_numpy()
        h = np.where(t["resolved"].notna(), res_h, open_h)[m]
        med = _km_median(h, t["resolved"].notna().to_numpy()[m])
        true = float(truth.loc[("all", period), "true_resolution_median_h"])  # type: ignore[arg-type]
        assert abs(med - true) < 0.12 * true, (period, med, true)
    within = truth.xs("all")["resolved_within_48h"]
    assert float(within["after"]) > float(within["before"]) + 12
    # first responses do not change
    fr4 = [(fr_h[m & elapsed] <= 4).mean() for m in (~after, after)]
    assert abs(fr4[0] - fr4[1]) < 0.05
    assert truth.xs("all")["response_within_4h"].nunique() == 1


def test_tickets_truth_matches_a_monte_carlo_of_the_planted_model(sample: Sample) -> None:
    """The integral behind truth.tickets against 400,000 draws from the stated parameters."""
    rng = np.random.default_rng(123)
    truth = sample.truth.tickets
    q, fac = S.TICKET_ESCALATED, S.TICKET_ESCALATION
    for row in truth[truth.channel != "all"].to_dict("records"):
        n = 400_000
        f = row["response_median_h"] * np.exp(row["response_sigma"] * rng.normal(size=n))
        scale = row["resolution_scale_h"] * np.where(rng.random(n) < q, fac, 1.0)
        r = f + scale * rng.weibull(row["resolution_shape"], n)
        assert abs(100 * (r <= 48).mean() - row["resolved_within_48h"]) < 0.3, row
        assert abs(100 * (f <= 4).mean() - row["response_within_4h"]) < 0.3, row
        assert (
            abs(np.median(r) - row["true_resolution_median_h"])
            < 0.02 * row["true_resolution_median_h"]
        )


# ------------------------------------------------------------------ monthly KPI series
def test_kpi_monthly_derived_from_the_tickets(sample: Sample, tickets: pd.DataFrame) -> None:
    k = sample.kpi_monthly
    assert list(k.columns) == ["month", "kpi", "events", "n", "value"]
    assert set(k.kpi) == set(sample.truth.kpi_monthly.kpi)
    assert (k.groupby("kpi").size() == 18).all()
    np.testing.assert_allclose(k["value"], (100 * k["events"] / k["n"]).round(2))
    month = tickets["opened"].dt.strftime("%Y-%m")
    pairing = (tickets["category"] == "pairing").groupby(month).sum()
    got = k[k.kpi == "pairing_share"].set_index("month")
    assert (got["events"] == pairing.reindex(got.index)).all()
    assert (got["n"] == month.value_counts().reindex(got.index)).all()


def _best_split(values: np.ndarray) -> int:
    """Index of the first point after the change that best splits the series in two means."""
    sse = [
        ((values[:i] - values[:i].mean()) ** 2).sum()
        + ((values[i:] - values[i:].mean()) ** 2).sum()
        for i in range(2, len(values) - 1)
    ]
    return int(np.argmin(sse)) + 2


def test_kpi_monthly_shift_month_is_where_the_rate_moves(sample: Sample) -> None:
    k, truth = sample.kpi_monthly, sample.truth.kpi_monthly.set_index("kpi")
    for kpi, row in truth.iterrows():
        s = k[k.kpi == kpi].sort_values("month")
        p = s["events"].to_numpy() / s["n"].to_numpy()
        months = s["month"].tolist()
        if row.shift_month is None or pd.isna(row.shift_month):
            # in control: every month within the 3-sigma p-chart limits around the planted rate
            p0 = row.rate_before / 100
            assert (np.abs(p - p0) < 3 * np.sqrt(p0 * (1 - p0) / s["n"].to_numpy())).all(), kpi
            continue
        assert months[_best_split(p)] == row.shift_month, kpi
        cut = months.index(row.shift_month)
        sign = 1 if row.direction == "increase" else -1
        assert sign * (p[cut:].mean() - p[:cut].mean()) > 0.08, kpi
        for part, rate in ((p[:cut], row.rate_before), (p[cut:], row.rate_after)):
            assert abs(part.mean() - rate / 100) < 0.025, (kpi, part.mean(), rate)


# ------------------------------------------------------------------ retention
def test_retention_truth_matches_the_transactions(sample: Sample) -> None:
    tx = sample.transactions
    month = pd.to_datetime(tx["order_date"]).dt.to_period("M")
    cohort = month.groupby(tx["customer_id"]).transform("min")
    age = (month - cohort).apply(lambda d: d.n)
    cells = pd.DataFrame({"customer_id": tx["customer_id"], "cohort": cohort, "age": age})
    active = cells.drop_duplicates().groupby(["cohort", "age"]).size()
    size = cells.drop_duplicates("customer_id").groupby("cohort").size()
    truth = sample.truth.retention
    truth = truth.assign(cohort=pd.PeriodIndex(truth["cohort"], freq="M"))
    obs = active.reindex(pd.MultiIndex.from_frame(truth[["cohort", "age"]]), fill_value=0)
    obs_pct = 100 * obs.to_numpy() / truth["customers"].to_numpy()
    assert (size.reindex(truth["cohort"]).to_numpy() == truth["customers"].to_numpy()).all()
    assert (truth.loc[truth.age == 0, "retention"] == 100).all()
    p = truth["retention"].to_numpy() / 100
    later = (truth["age"] > 0).to_numpy() & (truth["customers"] >= 50).to_numpy()
    z = (obs_pct / 100 - p)[later] / np.sqrt(p * (1 - p) / truth["customers"].to_numpy())[later]
    assert np.abs(z).max() < 4.5 and abs(z.mean()) < 0.15 and 0.8 < z.std() < 1.2
    # retention falls with age as churners stop (cohort 2023-01)
    first = truth[truth.cohort == pd.Period("2023-01", "M")].set_index("age")["retention"]
    assert first.loc[1:6].mean() > first.loc[18:23].mean() + 2
    assert len(truth) == 24 * 25 // 2


def test_damaged_new_file_is_a_data_error(tmp_path: Path) -> None:
    from needlab.errors import DataError

    d = tmp_path / "s"
    write_sample(d)
    shutil.copy(d / "tickets.csv", tmp_path / "keep.csv")
    (d / "tickets.csv").write_bytes(b"\xff\xfe bad")
    with pytest.raises(DataError, match="tickets.csv.*UTF-8"):
        load_sample(d)
