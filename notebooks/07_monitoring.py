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
#     template: 07_monitoring
#     version: 1.0.0
# ---

# %% [markdown]
# # 07 Monitor and improve: did the KPIs really move, are the goals on track, what next?
#
# The plan (06) set goals with KPIs, baselines, targets and deadlines. This notebook follows
# them wave after wave: each KPI with its interval, whether a change is **real** (not sampling
# noise; panel respondents who answered several waves are not independent, so the test clusters
# by customer), Benjamini-Hochberg control across the KPIs, a **status** against the target, the
# industry and competitors, **control charts** of a monthly KPI, the **service-time standard**
# ("90% within 48 h", with open tickets censored), **retention** by cohort with a projection,
# and the **effect evaluation** that seeds the next planning cycle.
#
# Set `DATA` in the parameters cell to your project's folder.

# %% tags=["parameters"]
DATA = "../data/sample"
WEIGHT = "weight"
PANEL_ID = "customer_id"
STANDARD_HOURS = 48
CUTOFF = "2025-07-01"
ALPHA = 0.05

# %%
from pathlib import Path

import pandas as pd

import needlab as nl

pd.set_option("display.width", 140)
pd.set_option("display.max_colwidth", 70)
sample = nl.load_sample(DATA)
plan = nl.Plan.from_yaml(Path(DATA) / "plan.yaml")
waves = {"2024-04": sample.survey_wave1, "2024-10": sample.survey_wave2, "2025-04": sample.survey_wave3}
{label: len(w) for label, w in waves.items()}

# %% [markdown]
# ## The goals and their KPIs

# %%
plan.goals_table()[["goal", "objective", "kpi", "baseline", "target", "direction", "deadline"]]

# %% [markdown]
# ## Every goal KPI in every wave
# Value with its interval (weighted, effective base), the change from the previous wave with its
# test, the Benjamini-Hochberg adjusted p across the goals of a wave, and the status.

# %%
mon = nl.monitor(plan, waves, id=PANEL_ID, weights=WEIGHT, benchmarks=sample.competitors, alpha=ALPHA)
cols = ["goal", "kpi", "wave", "value", "ci_low", "ci_high", "change", "p_adj", "test",
        "n_overlap", "significant", "status"]
mon.table[cols].round(3)

# %%
mon.notes

# %%
ax = mon.plot(kind="trend")

# %%
ax = mon.plot(kind="status")

# %% [markdown]
# ## Against the industry and the competitors
# Our value next to the benchmarks of the same period (`competitors.csv`).

# %%
mon.benchmarks.round(2).head(12)

# %% [markdown]
# ## Control chart of a monthly KPI
# The share of tickets resolved within 48 hours, month by month: a p chart with stair-step limits
# for the varying number of tickets, its limits frozen on the first six months.

# %%
monthly = sample.kpi_monthly
resolved = monthly[monthly["kpi"] == "resolved_48h"].reset_index(drop=True)
chart = nl.control_chart(resolved, "events", kind="p", n="n", date="month", baseline=6)
chart.signals

# %%
ax = chart.plot()

# %% [markdown]
# The same series with Laney's p' chart (over-dispersion between months widens the limits),
# and the share of pairing tickets with an XmR chart.

# %%
laney = nl.control_chart(resolved, "events", kind="laney_p", n="n", date="month", baseline=6)
pairing = monthly[monthly["kpi"] == "pairing_share"].reset_index(drop=True)
xmr = nl.control_chart(pairing, "value", kind="xmr", date="month", baseline=12)
{"p chart signals": len(chart.signals), "Laney p' signals": len(laney.signals),
 "pairing XmR signals": xmr.signals["date"].astype(str).tolist()[:5]}

# %% [markdown]
# ## The service-time standard: 90% of tickets resolved within 48 hours
# Kaplan-Meier, so tickets still open at the cut-off count as open (right-censored), never as
# resolved; before and after the after-sales actions (2025-03).

# %%
tickets = sample.tickets.assign(
    period=lambda t: (t["opened"] >= "2025-03-01").map({False: "before", True: "after"})
)
service = nl.service_times(tickets, opened="opened", first_response="first_response",
                           resolved="resolved", asof=CUTOFF, standard=STANDARD_HOURS,
                           target_share=0.9, by="period")
service.table.round(2)

# %%
ax = service.plot()

# %% [markdown]
# ## Retention by acquisition cohort
# Cells not yet observable at the cut-off are missing, never 0. The shifted-beta-geometric
# model (Fader & Hardie 2007) projects the survival of the customer base.

# %%
cohorts = nl.retention_cohorts(sample.transactions, period="Q", asof="2024-12-31")
cohorts.matrix.round(3)

# %%
ax = cohorts.plot(kind="heatmap")

# %%
sbg = nl.SBG().fit(cohorts)
projection = sbg.project(range(1, 9))
{"alpha": round(sbg.alpha_, 3), "beta": round(sbg.beta_, 3)}

# %%
projection.round(3)

# %% [markdown]
# ## What did the plan achieve? Before (wave 1) vs after (wave 3)
# Per goal: the change with its test, the status, and a written summary that seeds the next
# planning cycle.

# %%
effect = nl.evaluate(plan, sample.survey_wave1, sample.survey_wave3, id=PANEL_ID, weights=WEIGHT)
effect.table.round(3)

# %%
print(effect.summary_text)

# %%
ax = effect.plot()

# %% [markdown]
# Key numbers, checked: the planted real changes of wave 3 are flagged and the planted null
# changes are not; the share of tickets resolved within the standard covers the planted share
# before and after the actions (open tickets censored, not counted as resolved).

# %%
truth = sample.truth.waves.set_index("kpi")
last = mon.table[mon.table["wave"] == "2025-04"].set_index("kpi")
for name, flagged in last["significant"].items():
    key = name.replace("top2:", "top2_")
    if key in truth.index:
        assert bool(flagged) == bool(truth.loc[key, "changed_w3_w2"]), name
planted = sample.truth.tickets.query("channel == 'all'").set_index("period")["resolved_within_48h"]
res = service.table[service.table["measure"] == "resolution"].set_index("period")
for period in ("before", "after"):
    assert res.loc[period, "within_ci_low"] <= planted[period] <= res.loc[period, "within_ci_high"]
{"goals achieved at wave 3": int((last["status"] == "achieved").sum()),
 "resolved within 48 h": res["within_pct"].round(1).to_dict()}
