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
#     template: 03_need_analysis
#     version: 0.3.0
# ---

# %% [markdown]
# # 03 Need analysis: frequencies, banners with significance letters, NPS and CSAT
#
# What do customers say they need, and where do groups differ? This template starts the
# need analysis with the survey tables: weighted frequencies of the key questions, a banner of
# satisfaction items by segment and region with column-proportion letters (a cell's letters name
# the columns it is significantly higher than, upper case at 5%), and NPS and CSAT by segment
# with confidence intervals; then which needs drive satisfaction and loyalty (exact Shapley key
# drivers with bootstrap intervals, penalty-reward analysis), the importance-performance map,
# the factor structure of the attitude battery, and a KPI trend.
#
# Set `DATA` in the parameters cell to your project's folder.

# %% tags=["parameters"]
DATA = "../data/sample"
SURVEY = "survey_wave1.csv"
CODEBOOK = "codebook.yaml"
WEIGHT = "weight"
ALPHA = 0.05
N_BOOT = 100

# %%
from pathlib import Path

import pandas as pd

import needlab as nl

pd.set_option("display.width", 140)
pd.set_option("display.max_columns", 20)
survey = nl.read_survey(Path(DATA) / SURVEY, codebook=Path(DATA) / CODEBOOK)
data = survey.labelled()  # answer labels in scale order
segments = nl.load_sample(DATA).truth.segments.rename("segment")
data = data.merge(segments, left_on="customer_id", right_index=True, how="left")
data.shape

# %% [markdown]
# ## Frequencies
# Weighted percentages with Wilson intervals on the effective base; missing answers are shown,
# not dropped.

# %%
nl.freq(data, "sat_de_speed", weights=WEIGHT).table.round(2)

# %%
nl.freq(data, "channel", weights=WEIGHT, sort="count").table.round(2)

# %% [markdown]
# ## Banner: satisfaction by segment and region
# Column percentages with the top-2-box net and the mean score; letters compare columns within
# each banner variable.

# %%
items = ["sat_de_speed", "sat_as_speed", "sat_pu_price"]
top2 = {"Top 2": ["Satisfied", "Very satisfied"]}
numeric = survey.data[items].add_suffix("_score")
table = nl.banner(data.join(numeric), items, ["segment", "region"], weights=WEIGHT,
                  nets={i: top2 for i in items}, means=[f"{i}_score" for i in items], alpha=ALPHA)
table.display()

# %% [markdown]
# ## NPS and CSAT by segment

# %%
nps = nl.nps(data, "ltr", by="segment", weights=WEIGHT)
nps.table.round(2)

# %%
csat = nl.csat(survey.data.join(segments, on="customer_id"), "overall_sat", top=[9, 10],
               scale=(1, 10), by="segment", weights=WEIGHT)
csat.table.round(2)

# %%
ax = nps.plot()

# %% [markdown]
# Key numbers, checked: the value-seeking segment (planted least satisfied) has the lowest
# price top-2-box, and every other segment carries its letter (significantly higher).

# %%
cells = table.table
price = cells[(cells["question"] == "sat_pu_price") & (cells["row"] == "Top 2")
              & (cells["banner"] == "segment")].set_index("column")
value_letter = price.loc["value", "letter"]
assert price["value"].idxmin() == "value"
assert all(value_letter in price.loc[s, "sig"] for s in ["family", "premium", "tech"])
price[["letter", "value", "sig"]].round(1)


# %% [markdown]
# ## Key drivers of overall satisfaction and of likelihood to recommend
# Exact Shapley (LMG) decomposition of R squared over all 2^15 subsets of the satisfaction
# items, weighted, with 95% bootstrap intervals.

# %%
items = [c for c in survey.data if c.startswith("sat_")]
drivers = nl.key_drivers(survey.data, "overall_sat", items, weights=WEIGHT, n_boot=N_BOOT,
                         random_state=1)
drivers.table.round(3)

# %%
ax = drivers.plot()

# %%
loyalty = nl.key_drivers(survey.data, "ltr", items, weights=WEIGHT)
loyalty.table.head(5).round(3)

# %% [markdown]
# ## Penalty-reward analysis
# Which attributes hurt when rated poorly (penalty) and which delight when rated excellent
# (reward): a cross-check of the Kano classes (04) from ordinary satisfaction ratings.

# %%
nl.kda(survey.data, "overall_sat", items, weights=WEIGHT).table.round(3)

# %% [markdown]
# ## Importance-performance map
# Importance from the key drivers, performance the weighted mean rating; the crossing lines are
# the means.

# %%
grid = nl.ipa(survey.data, "overall_sat", items, weights=WEIGHT)
grid.table.round(3)

# %%
ax = grid.plot()

# %% [markdown]
# ## Attitude and lifestyle factors
# Parallel analysis chooses the number of factors; varimax-rotated maximum-likelihood loadings
# feed the psychographic segmentation (01).

# %%
attitudes = [c for c in survey.data if c.startswith("att_")]
fa = nl.factors(survey.data, attitudes, weights=WEIGHT, random_state=0)
fa.table.round(2)

# %% [markdown]
# ## Trend of overall satisfaction by interview month, both waves

# %%
wave2 = nl.read_survey(Path(DATA) / "survey_wave2.csv", codebook=Path(DATA) / CODEBOOK).data
both = pd.concat([survey.data, wave2], ignore_index=True)
both["month"] = pd.to_datetime(both["date"]).dt.to_period("M")
kpi = nl.trend(both, "overall_sat", time="month", weights=WEIGHT, forecast=2)
kpi.table.round(4)

# %%
ax = kpi.plot()

# %% [markdown]
# Checked: the planted strongest drivers lead, and the driver shares sum to 1.

# %%
assert set(drivers.table["driver"].head(3)) == {"sat_us_perf", "sat_us_quality", "sat_pu_price"}
assert abs(drivers.table["share"].sum() - 1) < 1e-9
round(drivers.r2, 3)
