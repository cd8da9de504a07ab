"""The sample data: committed files equal the generator, the data are valid under the codebook,
and the planted truth is recoverable by simple, independent means."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from needlab.datasets import FILES, Sample, Truth, load_sample, make_sample, write_sample

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "data" / "sample"
FRAMES = ("customers", "transactions", "survey_wave1", "survey_wave2", "feedback", "competitors")


@pytest.fixture(scope="module")
def sample() -> Sample:
    return make_sample(0)


@pytest.fixture(scope="module")
def survey(sample: Sample) -> pd.DataFrame:
    return pd.concat([sample.survey_wave1, sample.survey_wave2], ignore_index=True)


# ------------------------------------------------------------------ files and API
def test_committed_files_equal_the_generator(tmp_path: Path) -> None:
    t0 = time.perf_counter()
    paths = write_sample(tmp_path, seed=0)
    elapsed = time.perf_counter() - t0
    assert [p.name for p in paths] == list(FILES)
    for p in paths:
        committed = SAMPLE_DIR / p.name
        assert committed.exists(), (
            f"{committed} missing: run needlab.datasets.write_sample('data/sample')"
        )
        assert committed.read_bytes() == p.read_bytes(), (
            f"data/sample/{p.name} differs from the generator; regenerate with "
            "`needlab sample data/sample` (or needlab.datasets.write_sample('data/sample', seed=0))"
        )
    assert elapsed < 3.0


def test_files_are_utf8_without_bom_and_unix_newlines() -> None:
    for name in FILES:
        raw = (SAMPLE_DIR / name).read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf"), name
        assert b"\r" not in raw, name
        raw.decode("utf-8")
    assert sum((SAMPLE_DIR / n).stat().st_size for n in FILES) < 6_000_000


def test_write_is_reproducible_and_seed_matters(tmp_path: Path) -> None:
    a = write_sample(tmp_path / "a", seed=3)
    b = write_sample(tmp_path / "b", seed=3)
    c = write_sample(tmp_path / "c", seed=4)
    assert all(x.read_bytes() == y.read_bytes() for x, y in zip(a, b, strict=True))
    assert a[0].read_bytes() != c[0].read_bytes()


def test_load_sample_equals_make_sample(sample: Sample) -> None:
    loaded = load_sample()
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(loaded, name), getattr(sample, name))
    assert loaded.codebook == sample.codebook and loaded.plan == sample.plan
    pd.testing.assert_frame_equal(loaded.truth.kano, sample.truth.kano)
    assert loaded.seed == 0


def test_load_sample_reads_a_directory_and_reports_missing_files(tmp_path: Path) -> None:
    from needlab.errors import SchemaError

    write_sample(tmp_path, seed=2)
    s = load_sample(tmp_path)
    assert s.seed == 2
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(s, name), pd.read_csv(tmp_path / f"{name}.csv"))
    (tmp_path / "feedback.csv").unlink()
    with pytest.raises(SchemaError, match="feedback.csv"):
        load_sample(tmp_path)


def test_make_sample_fast_and_sized() -> None:
    t0 = time.perf_counter()
    s = make_sample(5, n_customers=1500, n_respondents=400, n_feedback=500)
    assert time.perf_counter() - t0 < 3.0
    assert len(s.customers) == 1500 and len(s.survey_wave1) == 400 and len(s.feedback) == 500
    assert isinstance(s.truth, Truth) and "survey_wave1" in repr(s)


def test_frames_are_frozen_dataclass(sample: Sample) -> None:
    with pytest.raises(AttributeError):
        sample.seed = 1  # type: ignore[misc]
    assert sample.codebook_dict is sample.codebook


def test_shapes(sample: Sample) -> None:
    assert len(sample.customers) == 6000
    assert 15_000 <= len(sample.transactions) <= 60_000
    assert len(sample.survey_wave1) == len(sample.survey_wave2) == 2000
    assert 2000 <= len(sample.feedback) <= 5000
    both = set(sample.survey_wave1.customer_id) & set(sample.survey_wave2.customer_id)
    assert 500 <= len(both) <= 1200  # wave 2 partly overlaps wave 1


# ------------------------------------------------------------------ validity
def test_survey_valid_under_codebook(sample: Sample) -> None:
    cols = sample.codebook["columns"]
    for df in (sample.survey_wave1, sample.survey_wave2):
        assert list(df.columns) == list(cols)
        assert df["resp_id"].is_unique and df["customer_id"].is_unique
        assert (df["weight"] > 0).all() and 0.95 < df["weight"].mean() < 1.05
        assert 0.4 <= df["weight"].min() and df["weight"].max() <= 2.5
        for name, spec in cols.items():
            s = df[name].dropna()
            allowed_missing = set(spec.get("missing", []))
            if "values" in spec:
                codes = set(spec["values"])
                labels = {v["zh"] for v in spec["values"].values()} | {
                    v["en"] for v in spec["values"].values()
                }
                ok = s.isin(codes | labels | allowed_missing)
                assert ok.all(), (name, s[~ok].unique()[:5])
            if "range" in spec:
                lo, hi = spec["range"]
                ok = s.between(lo, hi) | s.isin(allowed_missing)
                assert ok.all(), (name, s[~ok].unique()[:5])
        assert set(sample.customers.customer_id) >= set(df.customer_id)


def test_codebook_schema(sample: Sample) -> None:
    cb = sample.codebook
    assert cb["needlab_codebook"] == 1 and cb["id"] == "resp_id" and cb["weight"] == "weight"
    cols = cb["columns"]
    kano_f = [c for c, s in cols.items() if s["type"] == "kano_functional"]
    kano_d = [c for c, s in cols.items() if s["type"] == "kano_dysfunctional"]
    assert 10 <= len(kano_f) == len(kano_d) <= 12
    assert {cols[c]["feature"] for c in kano_f} == {cols[c]["feature"] for c in kano_d}
    assert [cols[kano_f[0]]["values"][k]["zh"] for k in range(1, 6)] == [
        "我喜欢",
        "理所当然",
        "无所谓",
        "勉强接受",
        "我不喜欢",
    ]
    sat = [c for c, s in cols.items() if s.get("group") == "sat"]
    assert 12 <= len(sat) <= 16 and all("stage" in cols[c] for c in sat)
    assert any(cols[c].get("missing") == [99] for c in sat)
    assert cols["ltr"]["range"] == [0, 10]
    assert all(s["range"] == [1, 9] for s in cols.values() if s.get("group") == "importance")
    assert all("en" in s["label"] and "zh" in s["label"] for s in cols.values())


def test_codebook_object_when_io_available(sample: Sample) -> None:
    codebook = pytest.importorskip("needlab.io.codebook")
    if not hasattr(codebook.Codebook, "from_dict"):
        pytest.skip("Codebook.from_dict not implemented yet")
    cb = sample.codebook_obj()
    if hasattr(cb, "validate"):
        problems = cb.validate(sample.survey_wave1)
        assert len(problems) == 0, problems


def test_other_files_valid(sample: Sample) -> None:
    tx, fb = sample.transactions, sample.feedback
    assert tx["order_id"].is_unique and (tx["amount"] > 0).all() and (tx["quantity"] >= 1).all()
    assert set(tx.customer_id) == set(
        sample.customers.customer_id
    )  # every customer bought at least once
    assert tx["order_date"].between("2023-01-01", "2024-12-31").all()
    assert fb["feedback_id"].is_unique and set(fb.lang) == {"zh", "en"}
    social = fb.channel.isin(["weibo", "xiaohongshu"])
    assert (
        fb.loc[social, "customer_id"].isna().all() and fb.loc[~social, "customer_id"].notna().all()
    )
    assert fb.loc[social, "resolution_hours"].isna().all()
    assert not {"category", "stage", "severity", "segment"} & set(fb.columns)
    assert "segment" not in sample.customers.columns
    assert set(sample.competitors.kpi) == {"csat", "nps", "share", "retention"}
    assert sample.plan["goals"] and sample.plan["source"]["seed"] == 0


def test_planted_quality_problems(sample: Sample, survey: pd.DataFrame) -> None:
    sat = [c for c, s in sample.codebook["columns"].items() if s.get("group") == "sat"]
    flat = survey[sat].nunique(axis=1, dropna=False).eq(1)
    r = sample.truth.respondents
    assert 0.015 < flat.mean() < 0.04
    assert flat[r.straightliner.to_numpy()].all()
    fast = survey.duration_sec < 0.4 * survey.duration_sec.median()
    assert 0.01 < fast.mean() < 0.035 and fast[r.speeder.to_numpy()].all()
    item_missing = survey[sat[-1]].isna().mean()
    assert 0.005 < item_missing < 0.08
    assert (survey[sat] == 99).any(axis=None)
    assert 0.3 < survey["comment"].isna().mean() < 0.55


# ------------------------------------------------------------------ planted truth
_STANDARD = np.array(
    [  # rows functional 1..5, columns dysfunctional 1..5 (Berger et al. 1993)
        list("QAAAO"),
        list("RIIIM"),
        list("RIIIM"),
        list("RIIIM"),
        list("RRRRQ"),
    ]
)
_ANSWER = {"我喜欢": 1, "理所当然": 2, "无所谓": 3, "勉强接受": 4, "我不喜欢": 5}


def _kano_categories(df: pd.DataFrame, feature: str) -> pd.Series:
    f = df[f"kano_{feature}_f"].map(_ANSWER)
    d = df[f"kano_{feature}_d"].map(_ANSWER)
    ok = f.notna() & d.notna()
    return pd.Series(_STANDARD[f[ok].astype(int) - 1, d[ok].astype(int) - 1], index=f.index[ok])


def test_kano_modal_category_recovers_truth(sample: Sample, survey: pd.DataFrame) -> None:
    truth = sample.truth.kano.set_index("feature")["category"]
    assert {"A", "O", "M", "I", "R"} <= set(truth)
    for df in (sample.survey_wave1, sample.survey_wave2):
        for feature, cat in truth.items():
            assert _kano_categories(df, feature).value_counts().idxmax() == cat, feature
    # per segment, where the planted category differs between segments
    seg = sample.truth.respondents["segment"].to_numpy()
    by_seg = sample.truth.kano_by_segment
    differing = sample.truth.kano.loc[sample.truth.kano.differs_by_segment, "feature"]
    assert len(differing) >= 2
    for feature in differing:
        cats = _kano_categories(survey, feature)
        for _, row in by_seg[by_seg.feature == feature].iterrows():
            got = cats[seg[cats.index] == row.segment].value_counts().idxmax()
            assert got == row.category, (feature, row.segment)


def test_driver_weights_recovered_by_ols(sample: Sample, survey: pd.DataFrame) -> None:
    drivers = sample.truth.drivers
    items = list(drivers["item"])
    keep = ~(sample.truth.respondents.straightliner | sample.truth.respondents.speeder).to_numpy()
    d = survey.loc[keep, [*items, "overall_sat"]].replace(99, np.nan).dropna()
    assert len(d) > 2000
    X = np.column_stack([np.ones(len(d)), d[items].to_numpy(float)])
    beta, *_ = np.linalg.lstsq(X, d["overall_sat"].to_numpy(float), rcond=None)
    np.testing.assert_allclose(beta[1:], drivers["weight"], atol=0.08)
    top = drivers.sort_values("weight", ascending=False)["item"].iloc[:3]
    est = pd.Series(beta[1:], index=items).sort_values(ascending=False)
    assert set(est.index[:4]) >= set(top[:2])
    resid = d["overall_sat"].to_numpy(float) - X @ beta
    r2 = 1 - resid.var() / d["overall_sat"].var(ddof=0)
    assert abs(r2 - sample.truth.driver_model["r2"]) < 0.1


def _z_prop(a: np.ndarray, b: np.ndarray) -> float:
    p1, p2 = a.mean(), b.mean()
    p = np.concatenate([a, b]).mean()
    return (p2 - p1) / np.sqrt(p * (1 - p) * (1 / len(a) + 1 / len(b)))


def _z_nps(a: np.ndarray, b: np.ndarray) -> float:
    def nps(x: np.ndarray) -> tuple[float, float]:
        pp, pd_ = (x >= 9).mean(), (x <= 6).mean()
        return pp - pd_, (pp * (1 - pp) + pd_ * (1 - pd_) + 2 * pp * pd_) / len(x)

    (n1, v1), (n2, v2) = nps(a), nps(b)
    return (n2 - n1) / np.sqrt(v1 + v2)


def test_wave_changes(sample: Sample) -> None:
    waves = sample.truth.waves
    assert waves.changed.any() and (~waves.changed).any()
    for _, row in waves.iterrows():
        vals = []
        for df in (sample.survey_wave1, sample.survey_wave2):
            col = "ltr" if row.kpi == "nps" else row.kpi.removeprefix("top2_")
            v = df[col].replace(99, np.nan).dropna().to_numpy()
            vals.append(v if row.kpi == "nps" else (v >= 4).astype(float))
        z = _z_nps(*vals) if row.kpi == "nps" else _z_prop(*vals)
        if row.changed:
            assert z > 2.5 and row["diff"] > 5, row.kpi
        else:
            assert abs(z) < 1.96 and abs(row["diff"]) < 2.5, row.kpi


def test_transactions_ties_churn_and_tiers(sample: Sample) -> None:
    tx = sample.transactions
    n = tx.groupby("customer_id").size()
    assert 0.35 <= (n == 1).mean() <= 0.55
    tc = sample.truth.customers.set_index("customer_id")
    assert (tc.loc[n.index, "n_orders"].to_numpy() == n.to_numpy()).all()
    spend = tx.groupby("customer_id")["amount"].sum()
    np.testing.assert_allclose(tc.loc[spend.index, "total_spend"], spend, atol=0.01)
    assert set(tc.value_tier) == {"high", "medium", "low"}
    assert abs((tc.value_tier == "high").mean() - 0.2) < 0.01
    # churners stop buying: their last order is on or before the churn date
    last = tx.groupby("customer_id")["order_date"].max()
    ch = tc[tc.churned]
    assert 0.08 < tc.churned.mean() < 0.3
    assert (last.loc[ch.index] <= ch.churn_date).all()
    # churn is driven by dissatisfaction and segment; spend by segment
    assert (
        tc.loc[tc.churned, "satisfaction"].mean() < tc.loc[~tc.churned, "satisfaction"].mean() - 0.2
    )
    by_seg = tc.groupby("segment")["total_spend"].mean()
    assert by_seg.idxmin() == "value" and by_seg["premium"] > 2 * by_seg["value"]


def test_segments_have_different_attitudes(sample: Sample, survey: pd.DataFrame) -> None:
    seg = sample.truth.respondents["segment"].to_numpy()
    params = sample.truth.segment_params.set_index("segment")
    att = [c for c, s in sample.codebook["columns"].items() if s.get("group") == "attitude"]
    means = survey[att].groupby(seg).mean()
    for col in att:
        assert means[col].idxmax() == params[col].idxmax(), col
        assert means[col].max() - means[col].min() > 0.5, col
    assert sample.truth.segments.value_counts(normalize=True).between(0.1, 0.45).all()


def test_painpoint_labels_and_rates(sample: Sample) -> None:
    tp = sample.truth.painpoints
    assert (tp.feedback_id == sample.feedback.feedback_id).all()
    counts = pd.crosstab(tp.category, tp.lang)
    for cat in ("functional", "service", "process", "value"):
        assert (counts.loc[cat] > 100).all(), cat
    assert counts.loc["none"].sum() > 100  # praise and inquiries
    assert set(tp.loc[tp.category != "none", "severity"]) == {1, 2, 3}
    # the planted rates per segment x stage are recovered by simple counting
    rates = sample.truth.painpoint_rates
    assert np.allclose(rates.groupby("segment")["rate"].sum(), 1.0)
    obs = tp.groupby("segment")["category"].value_counts(normalize=True)
    planted = rates.groupby(["segment", "category"])["rate"].sum()
    n_seg = tp.segment.value_counts().reindex(planted.index.get_level_values(0)).to_numpy()
    se = np.sqrt(planted.to_numpy() * (1 - planted.to_numpy()) / n_seg)
    assert (np.abs(obs.loc[planted.index].to_numpy() - planted.to_numpy()) < 4 * se).all()
    assert planted.loc[("value", "value")] > 1.5 * planted.loc[("premium", "value")]
    # texts carry their label's cues: Chinese value texts mention money
    zh_value = sample.feedback.text[(tp.category == "value") & (tp.lang == "zh")]
    assert zh_value.str.contains("贵|价|元|值|费|划算").mean() > 0.9
