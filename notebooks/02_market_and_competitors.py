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
#     template: 02_market_and_competitors
#     version: 1.0.0
# ---

# %% [markdown]
# # 02 Market and competitors: how large is the market, who competes, how do customers see us?
#
# Deciding on target customers starts from the market: its size and growth, each brand's share,
# how customers move from knowing a brand to buying it, how they rate the brands on the
# attributes that matter, how the brands are positioned in their minds, how they split their
# spending, and which brands they switch between. The benchmark table at the end feeds the
# planning step (06).
#
# Set `DATA` in the parameters cell to your project's folder.

# %% tags=["parameters"]
DATA = "../data/sample"
OWN = "Lumo"
BRANDS = ["Lumo", "Vetta", "Orin", "Kaiya", "Brisa"]
ATTRIBUTES = ["quality", "performance", "durability", "design", "app", "price", "value",
              "delivery", "service", "warranty"]
WEIGHT = "weight"

# %%
import pandas as pd

import needlab as nl

pd.set_option("display.width", 140)
sample = nl.load_sample(DATA)
survey = sample.brand_survey
{"brand-block respondents": len(survey), "brand ratings": len(sample.brand_ratings)}

# %% [markdown]
# ## Market size and trend
# Units sold per half-year over all brands, growth period over period and per year (CAGR), the
# trend with a forecast and its prediction interval, and each brand's share trajectory.

# %%
market = nl.market_trend(sample.market, kpi="units", horizon=4)
market.summary()

# %%
ax = market.plot()

# %%
ax = market.plot(kind="shares")

# %% [markdown]
# ## Brand funnel
# Aware -> consider -> use now -> loyal (uses and prefers the same brand). Conversion from each
# stage to the next, with intervals, and each competitor's conversion tested against ours
# (respondents aware of several brands are in several bases: the test clusters by respondent).

# %%
loyal = survey["current_brand"].where(survey["current_brand"] == survey["preferred_brand"])
funnel_data = survey.assign(loyal_brand=loyal)
stages = {"aware": "aware_{brand}", "consider": "consider_{brand}",
          "current": "current_brand", "loyal": "loyal_brand"}
funnel = nl.brand_funnel(funnel_data, BRANDS, stages, weights=WEIGHT, own=OWN)
funnel.table.round(3)

# %%
funnel.tests.round(4)

# %%
funnel.inconsistent

# %%
ax = funnel.plot()

# %% [markdown]
# ## Brands compared on ten attributes
# Each respondent rated the brands they know (1-10). The gap to the best competitor per
# attribute, tested with errors clustered by respondent (a respondent's ratings of several
# brands are not independent): where we lead, trail or tie.

# %%
comparison = nl.compare_brands(sample.brand_ratings, "brand", ATTRIBUTES, own=OWN, id="resp_id",
                               weights=WEIGHT)
comparison.table.round(3)

# %%
ax = comparison.plot(kind="gap")

# %% [markdown]
# ## Perceptual map
# Correspondence analysis of how often each image attribute was said to describe each brand:
# brands near an attribute are seen that way; the axes carry the shares of inertia shown.

# %%
image = nl.perceptual_map(sample.brand_image, rows="brand")
image.inertia.round(4)

# %%
ax = image.plot()

# %% [markdown]
# ## Share of wallet
# Stated shares of category spending per brand (respondents without category spending are left
# out and counted).

# %%
wallet = nl.share_of_wallet(survey, BRANDS, weights=WEIGHT, own=OWN)
wallet.table.round(3)

# %%
ax = wallet.plot()

# %% [markdown]
# ## Brand switching
# Previous brand -> current brand: who we lose customers to, who we win them from, and the
# long-run shares if the switching pattern held (a first-order, time-homogeneous Markov chain in
# a closed market).

# %%
flows = nl.switching(survey, "previous_brand", "current_brand", brands=BRANDS, weights=WEIGHT)
flows.table.round(3)

# %%
ax = flows.plot()

# %% [markdown]
# ## Benchmarks for the planning step
# Our KPIs of the latest half-year against our history, the industry average and each
# competitor (`competitors.csv`).

# %%
bench = nl.benchmark(sample.competitors[sample.competitors["brand"] == "Lumo 智家"],
                     against=sample.competitors, own="Lumo 智家", period="period")
bench.table.round(2).head(12)

# %%
ax = bench.plot()

# %% [markdown]
# Key numbers, checked against the planted truth: the price and service leaders are found, the
# market growth is recovered, and the long-run shares of the switching chain are close to those
# of the planted chain.

# %%
truth = sample.truth.market
lead = comparison.table.set_index("attribute")
assert lead.loc["price", "best_competitor"] == truth.price_leader
assert lead.loc["service", "best_competitor"] == truth.service_leader
assert abs(market.summary()["CAGR"] - truth.market_cagr) < 0.01
planted = pd.Series(truth.stationary, index=BRANDS) if not isinstance(truth.stationary, pd.Series) else truth.stationary
longrun = flows.table.set_index("brand")["long_run_share"]
assert (longrun[BRANDS] - planted[BRANDS]).abs().max() < 0.05
{"price leader": truth.price_leader, "service leader": truth.service_leader,
 "CAGR": round(market.summary()["CAGR"], 4)}
