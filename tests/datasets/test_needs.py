"""The sample's planted need structure (issue 15): needs, mapping, MaxDiff block and plan v2."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
import pytest

from needlab.datasets import FILES, Sample, load_sample, make_sample
from needlab.datasets import _spec as S
from needlab.datasets._generate import maxdiff_design


@pytest.fixture(scope="module")
def sample() -> Sample:
    return make_sample(0)


def test_new_files_are_written_and_loaded(sample: Sample) -> None:
    assert {"needs.csv", "needs_mapping.csv", "maxdiff.csv"} <= set(FILES)
    loaded = load_sample()
    for name in ("needs", "needs_mapping", "maxdiff"):
        pd.testing.assert_frame_equal(getattr(loaded, name), getattr(sample, name))
    pd.testing.assert_frame_equal(loaded.truth.needs, sample.truth.needs)
    pd.testing.assert_frame_equal(loaded.truth.maxdiff, sample.truth.maxdiff)
    assert list(sample.needs.columns) == [
        "need", "label_en", "label_zh", "cost", "feasibility", "effort", "reach", "confidence",
    ]  # fmt: skip
    assert list(sample.maxdiff.columns) == ["resp_id", "task", "item", "choice"]


def test_needs_attributes_valid(sample: Sample) -> None:
    n = sample.needs
    assert n["need"].is_unique and 10 <= len(n) <= 14
    assert (n["cost"] > 0).all() and (n["effort"] > 0).all() and (n["reach"] > 0).all()
    assert n["feasibility"].between(1, 5).all() and n["confidence"].between(0, 1).all()
    t = sample.truth.needs
    assert (t["role"] == "worst_basic").sum() == 1 and (t["role"] == "delighter").sum() == 1
    assert t.loc[t["role"] == "worst_basic", "kano_category"].item() == "M"
    assert t.loc[t["role"] == "delighter", "kano_category"].item() == "A"
    assert (~t["explicit"]).sum() >= 1


def test_mapping_keys_exist(sample: Sample) -> None:
    from needlab.painpoints import Taxonomy

    m = sample.needs_mapping
    assert list(m.columns) == ["source", "key", "need", "label_en", "label_zh", "explicit"]
    assert not m.duplicated(["source", "key"]).any()  # a key maps to one need
    assert set(m["need"]) == set(sample.needs["need"])
    # one label per need, equal to needs.csv
    lab = m.drop_duplicates("need").set_index("need")[["label_en", "label_zh"]]
    pd.testing.assert_frame_equal(
        lab.sort_index(), sample.needs.set_index("need")[["label_en", "label_zh"]].sort_index()
    )
    by = {s: set(g["key"]) for s, g in m.groupby("source")}
    assert by["kano"] <= set(sample.truth.kano["feature"])
    for src in ("item", "driver", "ipa"):
        assert by[src] <= set(sample.codebook["columns"])
        assert all(k.startswith("sat_") for k in by[src])
    assert by["pain"] <= set(Taxonomy.default().ids)  # the default taxonomy's codes
    from needlab import code_text

    coded = code_text(sample.feedback, "text", text_lang="lang", id="feedback_id")
    f = coded.frequencies
    f = f[f["level"] == "code"]
    triggered = set(f.loc[f["n_texts"] > 0, "key"])
    assert by["pain"] <= triggered, sorted(by["pain"] - triggered)
    assert by["maxdiff"] == set(sample.maxdiff["item"])
    # several keys per need where natural, and an implicit need from pain codes only
    assert (m.groupby("need").size() >= 2).sum() >= 8
    implicit = m.loc[~m["explicit"]]
    assert len(implicit) and set(implicit["source"]) == {"pain"}


def test_maxdiff_design_balanced(sample: Sample) -> None:
    md = sample.maxdiff
    assert md["resp_id"].nunique() == S.MAXDIFF_N
    assert set(md["resp_id"]) <= set(sample.survey_wave1["resp_id"])
    per_task = md.groupby(["resp_id", "task"])
    assert (per_task.size() == S.MAXDIFF_PER_TASK).all()
    assert (per_task["item"].nunique() == S.MAXDIFF_PER_TASK).all()  # no repeats in a task
    assert (per_task["choice"].apply(lambda c: sorted(c) == [-1, 0, 0, 1])).all()
    shown = md.groupby("item").size()
    assert (shown == S.MAXDIFF_N * S.MAXDIFF_TASKS * S.MAXDIFF_PER_TASK // 12).all()  # 800 each
    pairs = pd.Series(
        [p for t in per_task["item"].agg(sorted) for p in combinations(t, 2)]
    ).value_counts()
    assert len(pairs) == 66 and pairs.min() > 0.6 * pairs.mean()
    d = maxdiff_design(np.random.default_rng(1), 6, 12)
    assert d.shape == (6, 8, 4) and all(np.bincount(d[r].ravel()).max() <= 3 for r in range(6))


def test_maxdiff_order_recovered_by_counts(sample: Sample) -> None:
    """Best-minus-worst counts (no logit involved) give the planted utility order."""
    md = sample.maxdiff
    bw = md.groupby("item")["choice"].sum() / md.groupby("item").size()
    truth = sample.truth.maxdiff
    assert list(bw.sort_values(ascending=False).index) == list(truth["item"])
    assert truth["utility"].is_monotonic_decreasing and truth["rank"].tolist() == list(range(1, 13))
    # the counts' log-ratio log(best/worst) tracks the utility (Marley-Louviere)
    best = md[md["choice"] == 1].groupby("item").size()
    worst = md[md["choice"] == -1].groupby("item").size().reindex(best.index)
    lr = (best / worst).apply(np.log)
    u = truth.set_index("item")["utility"].reindex(best.index)
    assert np.corrcoef(lr.to_numpy(), u.to_numpy())[0, 1] > 0.98


def test_worst_basic_need_is_the_least_satisfied_must_be(sample: Sample) -> None:
    truth = sample.truth
    m = sample.needs_mapping
    worst = truth.needs.loc[truth.needs["role"] == "worst_basic", "need"].item()
    must = set(truth.kano.loc[truth.kano["category"] == "M", "feature"])
    kano_need = m[m["source"] == "kano"].set_index("key")["need"]
    basic_needs = {kano_need[f] for f in must if f in kano_need.index}
    assert worst in basic_needs
    w1 = sample.survey_wave1
    items = m[m["source"] == "item"]
    answered = w1.filter(like="sat_").where(lambda d: d < 99)
    top2 = (answered >= 4).where(answered.notna()).mul(w1["weight"], axis=0).sum() / (
        answered.notna().mul(w1["weight"], axis=0).sum()
    )
    by_need = top2.groupby(items.set_index("key")["need"]).mean()
    sat_basic = by_need.reindex(sorted(basic_needs)).dropna()
    assert sat_basic.idxmin() == worst
    assert by_need[worst] < top2.mean()  # below the average item, not only among basics
    # most pain among the basic needs: texts naming one of its codes
    from needlab import code_text

    coded = code_text(sample.feedback, "text", text_lang="lang", id="feedback_id")
    pain_need = m[m["source"] == "pain"].set_index("key")["need"]
    long = coded.table[["id", "codes"]].explode("codes").dropna()
    long["need"] = long["codes"].map(pain_need)
    texts = long.dropna().drop_duplicates(["id", "need"]).groupby("need").size()
    counts = texts.reindex(sorted(basic_needs)).fillna(0)
    assert counts.idxmax() == worst and counts[worst] > 1.5 * counts.drop(worst).max()
    # and the planted attributes put it first: top MaxDiff utility by a clear margin, top reach
    # and confidence, feasibility >= 4
    n = truth.needs.set_index("need")
    u = n["maxdiff_utility"].dropna().sort_values(ascending=False)
    assert u.index[0] == worst and u.iloc[0] - u.iloc[1] >= 0.3
    assert n["reach"].idxmax() == worst and n["confidence"].idxmax() == worst
    assert n.loc[worst, "feasibility"] >= 4
    # a Kano ordering (must-be first, then lowest satisfaction) puts it first
    order = sat_basic.sort_values().index.tolist()
    assert order[0] == worst


def test_plan_is_v2_with_consistent_ids(sample: Sample) -> None:
    plan = sample.plan
    assert plan["needlab_plan"] == 2 and plan["source"]["seed"] == 0
    need_ids = [n["id"] for n in plan["needs"]]
    assert need_ids == sample.needs["need"].tolist()
    goal_ids = [g["id"] for g in plan["goals"]]
    assert goal_ids == ["G1", "G2", "G3", "G4"]
    action_ids = [a["id"] for a in plan["actions"]]
    assert len(set(action_ids)) == len(action_ids) == 6
    for g in plan["goals"]:
        assert set(g["needs"]) <= set(need_ids) and g["direction"] in ("increase", "decrease")
        assert ":" in g["kpi"] or g["kpi"] == "nps"
        if g["baseline"] is None:
            assert g["baseline_note"]["en"]
        else:
            assert (g["target"] - g["baseline"]) * (1 if g["direction"] == "increase" else -1) > 0
    for a in plan["actions"]:
        assert set(a["needs"]) <= set(need_ids) and set(a["goals"]) <= set(goal_ids)
        assert a["start"] <= a["end"] and a["cost"] >= 0 and a["responsible"]["zh"]
    # baselines are the wave-1 census values
    w1 = sample.truth.waves.set_index("kpi")["wave1_true"]
    g = {x["id"]: x for x in plan["goals"]}
    assert g["G1"]["baseline"] == round(float(w1["top2_sat_de_speed"]), 1)
    assert g["G2"]["baseline"] == round(float(w1["top2_sat_as_solve"]), 1)
    assert g["G3"]["baseline"] == round(float(w1["nps"]), 1)
    assert sum(a["cost"] for a in plan["actions"]) == 4500000


def test_new_streams_do_not_shift_the_old_files() -> None:
    """A smaller sample still gets a MaxDiff block, and the need stream is separate."""
    s = make_sample(1, n_customers=800, n_respondents=300, n_feedback=200)
    assert s.maxdiff["resp_id"].nunique() == 300
    assert s.truth.needs["need"].tolist() == make_sample(0).truth.needs["need"].tolist()
