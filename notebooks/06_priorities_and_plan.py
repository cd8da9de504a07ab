# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     notebook_metadata_filter: needlab,kernelspec,jupytext
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   needlab:
#     template: 06_priorities_and_plan
#     version: 1.0.0
# ---

# %% [markdown]
# # 06 Priorities and plan: which needs first, what goal, which action, by whom, by when
#
# The earlier steps found the needs: Kano categories (04), key drivers and the importance x
# performance grid (03), pain points from customers' own words (05). This notebook joins them
# into one **needs backlog** where every priority traces back to its evidence, weights the
# criteria with **AHP** (a manager's pairwise judgements), measures need importance directly
# with **MaxDiff**, checks how fragile the ranking is (**sensitivity**), and drafts the
# **plan**: goals with KPIs, baselines and targets, actions with owners and a timetable,
# written out in Chinese and English.
#
# Set `DATA` in the parameters cell to your project's folder.

# %% tags=["parameters"]
DATA = "../data/sample"
SURVEY = "survey_wave1.csv"
CODEBOOK = "codebook.yaml"
WEIGHT = "weight"
OUTCOME = "overall_sat"
TOP = 5
DEADLINE = "2025-12-31"

# %%
from pathlib import Path

import pandas as pd

import needlab as nl

pd.set_option("display.width", 140)
pd.set_option("display.max_colwidth", 80)
sample = nl.load_sample(DATA)
survey = nl.read_survey(Path(DATA) / SURVEY, codebook=Path(DATA) / CODEBOOK)
items = [c for c in survey.data.columns if c.startswith("sat_")]
{"respondents": len(survey.data), "items": len(items), "needs": sample.needs["need"].nunique()}

# %% [markdown]
# ## The mapping: which evidence speaks about which need
# One row per piece of evidence: a Kano feature, a survey item (as a driver, an IPA point or an
# opportunity item), a pain code, a MaxDiff item. Several keys may belong to one need.

# %%
mapping = sample.needs_mapping
mapping.groupby(["need", "label_en"])["source"].value_counts().unstack(fill_value=0)

# %% [markdown]
# ## The evidence from the earlier steps
# Each call is the one of its own notebook (weighted by the survey weight).

# %%
kano = nl.kano(survey, weights=WEIGHT)
drivers = nl.key_drivers(survey, OUTCOME, items, weights=WEIGHT)
grid = nl.ipa(survey, OUTCOME, items, weights=WEIGHT)
segments = sample.truth.segments.rename("segment")
feedback = sample.feedback.merge(segments, left_on="customer_id", right_index=True, how="left")
coded = nl.code_text(feedback, "text", id="feedback_id")
pains = nl.pain_matrix(coded, by="segment")
sizes = segments.value_counts(normalize=True).rename_axis("segment").rename("size").reset_index()
{
    "kano features": len(kano.table),
    "drivers": len(drivers.table),
    "pain codes": pains.table["code"].nunique(),
}

# %% [markdown]
# ## MaxDiff: how important is each need?
# Each respondent saw four needs at a time and picked the most and the least important. The
# best-minus-worst counts and the multinomial (sequential best-worst) logit give the same
# order; the shares of preference say how much more one need matters than another.

# %%
md = nl.maxdiff(sample.maxdiff)
md.table[["item", "shown", "best", "worst", "bw_score", "utility", "se", "share", "rank"]].round(3)

# %%
ax = md.plot()

# %% [markdown]
# ## AHP: how much does each criterion count?
# The product lead compared the criteria in pairs (Saaty's 1-9 scale). The consistency ratio
# says whether the judgements hang together (CR <= 0.10).

# %%
judgements = [
    ("kano_urgency", "importance", 1),
    ("kano_urgency", "gap", 3),
    ("kano_urgency", "pain_score", 2),
    ("kano_urgency", "feasibility", 4),
    ("kano_urgency", "cost", 3),
    ("importance", "gap", 3),
    ("importance", "pain_score", 2),
    ("importance", "feasibility", 4),
    ("importance", "cost", 3),
    ("gap", "pain_score", 1 / 2),
    ("gap", "feasibility", 2),
    ("gap", "cost", 1),
    ("pain_score", "feasibility", 3),
    ("pain_score", "cost", 2),
    ("feasibility", "cost", 1 / 2),
]
weights_ahp = nl.ahp(judgements)
{"CR": round(weights_ahp.cr, 3), "consistent": weights_ahp.consistent}

# %%
weights_ahp.table.round(3)

# %% [markdown]
# ## The needs backlog
# One row per need with its evidence, a score from the AHP-weighted criteria, a rank and the
# reason in plain language. Inputs that the mapping does not link are listed, never dropped.

# %%
needs = sample.needs
backlog = nl.needs_backlog(
    mapping,
    kano=kano,
    drivers=drivers,
    ipa=grid,
    pains=pains,
    segments=sizes,
    maxdiff=md,
    feasibility=needs[["need", "feasibility"]],
    cost=needs[["need", "cost"]],
    criteria=weights_ahp,
)
backlog.table[
    [
        "need",
        "label",
        "explicit",
        "kano_category",
        "pain_frequency",
        "maxdiff_share",
        "top_segment",
        "cost",
        "score",
        "rank",
    ]
].round(3)

# %%
backlog.table[["need", "reason"]].head(TOP)

# %%
backlog.unlinked

# %%
ax = backlog.plot()

# %% [markdown]
# ## How fragile is the ranking?
# Each criterion's weight moved by -20%, -10%, +10% and +20% (the others renormalised): the
# rank range of every need, and the weight at which the top need would change.

# %%
ax = backlog.priority.plot(kind="sensitivity")

# %%
backlog.priority.switch_points.round(3)

# %% [markdown]
# ## A second view: value against effort, and the RICE score
# RICE = reach x impact x confidence / effort (impact here: the backlog score).

# %%
rice_input = needs.merge(backlog.table[["need", "score"]], on="need").rename(
    columns={"score": "impact"}
)
rice = nl.rice(rice_input)
rice.table[["need", "reach", "impact", "confidence", "effort", "score", "rank"]].round(3)

# %%
ax = rice.plot(kind="matrix")

# %% [markdown]
# ## Draft the plan from the top needs, then edit it
# `Plan.from_backlog` drafts one goal and one placeholder action per top need; a person picks
# each KPI, measures its baseline and sets the target. Here the sample's edited plan
# (`plan.yaml`) is the result of that editing.

# %%
draft = nl.Plan.from_backlog(backlog, top=TOP, deadline=DEADLINE)
draft.goals_table()[["goal", "objective", "kpi", "baseline", "deadline", "needs"]]

# %%
plan = nl.Plan.from_yaml(Path(DATA) / "plan.yaml")
plan.goals_table()[
    ["goal", "objective", "kpi", "baseline", "target", "direction", "deadline", "owner"]
]

# %%
plan.actions_table()[["action", "description", "goals", "start", "end", "cost", "responsible"]]

# %%
ax = plan.timeline()

# %% [markdown]
# ## The written plan (English and Chinese)

# %%
from IPython.display import Markdown

Markdown(plan.to_markdown(lang="en"))

# %%
Markdown(plan.to_markdown(lang="zh"))

# %% [markdown]
# Key numbers, checked: the planted worst basic need leads the backlog; the planted MaxDiff
# order is recovered by the logit; every goal of the plan links needs of the backlog.

# %%
truth = sample.truth
worst = truth.needs.loc[truth.needs["role"] == "worst_basic", "need"].item()
assert backlog.table.iloc[0]["need"] == worst
assert md.table.sort_values("rank")["item"].tolist() == truth.maxdiff["item"].tolist()
assert all(set(g.needs) <= set(backlog.table["need"]) for g in plan.goals)
{"top need": worst, "AHP CR": round(weights_ahp.cr, 3)}
