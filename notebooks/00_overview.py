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
#     template: 00_overview
#     version: 1.1.1
# ---

# %% [markdown]
# # 00 Overview: load the survey, read its codebook, check its quality
#
# The first step of every needlab project: load the survey export with its codebook, see what
# the loader coerced, validate the data against the codebook and review the data-quality report
# (missing answers, straight-liners, speeders, junk open text) before any analysis.
#
# Set `DATA` in the parameters cell to your project's folder; by default it points at the
# bundled sample study (a fictional smart home appliance brand, two survey waves).

# %% tags=["parameters"]
DATA = "../data/sample"
SURVEY = "survey_wave1.csv"
CODEBOOK = "codebook.yaml"

# %%
from pathlib import Path

import pandas as pd

import needlab as nl

pd.set_option("display.max_columns", 12)
survey = nl.read_survey(Path(DATA) / SURVEY, codebook=Path(DATA) / CODEBOOK)
survey.data.shape

# %% [markdown]
# What the loader changed or found suspicious (blank cells read as missing, and so on):

# %%
survey.load_report

# %% [markdown]
# The codebook: one row per question, with its type, battery and labels.

# %%
survey.codebook.table().head(15)

# %% [markdown]
# Values that do not match the codebook (an empty table means none):

# %%
problems = survey.codebook.validate(survey.data)
problems

# %% [markdown]
# The data-quality report.

# %%
report = nl.quality(survey)
report.table

# %%
report.straightliners.head()

# %% [markdown]
# Key numbers, checked: the sample has about 2,000 respondents, no codebook mismatches, and the
# quality report finds the planted straight-liners and speeders.

# %%
sample = nl.load_sample(DATA)
truth = sample.truth.respondents.query("wave == 1")
assert len(survey.data) == len(sample.survey_wave1) == 2000
assert len(problems) == 0
for flag, found in (("straightliner", report.straightliners), ("speeder", report.speeders)):
    planted = set(truth.loc[truth[flag], "resp_id"])
    hits = set(found["id"])
    assert planted <= hits and len(hits - planted) <= 3, flag
print(len(survey.data), "respondents;", report.n_errors, "quality errors;",
      len(set(report.straightliners["id"])), "straight-liners;", len(report.speeders), "speeders")
