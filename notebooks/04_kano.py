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
#     template: 04_kano
#     version: 1.1.0
# ---

# %% [markdown]
# # 04 Kano: which needs are basic, expected or delight?
#
# Each Kano feature was asked twice: *if the product has it* (functional) and *if it does not*
# (dysfunctional), with five answers (我喜欢 / 理所当然 / 无所谓 / 勉强接受 / 我不喜欢).
# `nl.kano` classifies every feature as a **basic** need (must-be, M), an **expected** need
# (one-dimensional, O), a **delight** need (attractive, A), or indifferent / reverse /
# questionable, with the Better-Worse coefficients, category strength, Fong's significance test
# and DuMouchel's continuous scores. The table of needs by level at the end feeds the
# priorities step (06).
#
# Set `DATA` in the parameters cell to your project's folder.

# %% tags=["parameters"]
DATA = "../data/sample"
SURVEY = "survey_wave1.csv"
CODEBOOK = "codebook.yaml"
WEIGHT = "weight"
RULE = "mode"
N_BOOT = 200

# %%
from pathlib import Path

import pandas as pd

import needlab as nl

pd.set_option("display.width", 140)
survey = nl.read_survey(Path(DATA) / SURVEY, codebook=Path(DATA) / CODEBOOK)
pairs = survey.codebook.kano_pairs()
importance = {f: f"imp_{f}" for f in pairs["feature"] if f"imp_{f}" in survey.data}
pairs

# %% [markdown]
# ## Classify every feature
# Weighted by the survey weight; bootstrap intervals for Better and Worse (seeded, so the
# numbers are reproducible).

# %%
res = nl.kano(survey, weights=WEIGHT, importance=importance, rule=RULE, n_boot=N_BOOT,
              random_state=1)  # the Kano pairs come from the survey's codebook
res

# %%
cols = ["feature", "n", "category", "need", "better", "better_low", "better_high", "worse",
        "category_strength", "fong_significant", "importance"]
res.table[cols].round(3)

# %% [markdown]
# ## Better-Worse diagram and continuous analysis
# Point size is the self-stated importance.

# %%
ax = res.plot()

# %%
ax = res.plot(kind="continuous")

# %%
ax = res.plot(kind="bars")

# %% [markdown]
# ## Compare two segments
# The sample data knows each customer's segment (in a project, take it from the segmentation
# step, 01). The chi-square test says whether the category distribution of a feature differs
# between the segments.

# %%
segments = nl.load_sample(DATA).truth.segments.rename("segment")
data = survey.data.merge(segments, left_on="customer_id", right_index=True, how="left")
two = data[data["segment"].isin(["tech", "family"])]
by_seg = nl.kano(two, pairs, weights=WEIGHT, by="segment")
wide = by_seg.by_segment.pivot(index="feature", columns="segment", values="category")
wide.join(by_seg.segment_tests.set_index("feature")[["chi2", "p_value", "small_cells"]]).round(4)

# %% [markdown]
# ## Needs by level, for planning
# Basic needs first (sorted by |Worse|: the dissatisfaction their absence causes), then expected
# and delight needs (sorted by Better).

# %%
needs = res.needs_by_level()
needs.round(3)

# %% [markdown]
# Key numbers, checked: every feature has a category; the basic needs include the planted
# must-be features; the reverse feature is found.

# %%
counts = needs["level"].value_counts()
assert needs["level"].notna().all()
assert {"filter_reminder", "data_privacy", "free_install"} <= set(needs.loc[needs["level"] == "M", "feature"])
assert needs.loc[needs["feature"] == "marketing_push", "level"].item() == "R"
counts.to_dict()
