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
#     template: 01_target_customers
#     version: 1.1.0
# ---

# %% [markdown]
# # 01 Target customers: segments, value, lifetime value, clusters and personas
#
# Who are the customers worth planning for? This template is the first step of the planning
# workflow. It starts from the CRM export and the order log: **rule segments** on readable
# demographic and geographic bands, **RFM** scores and segments, **value tiers** and how
# customers moved between tiers from one year to the next, **lifetime value** (BG/NBD purchase
# model and Gamma-Gamma spend model, discounted over a horizon) and a **churn risk** model.
# Then it segments survey respondents on **attitudes, stated importance and behaviour** with the
# choice of the number of segments made in the open (criteria table, bootstrap stability),
# builds a short **typing tool**, **profiles** each segment against the total (index and
# significance marks) and writes **persona cards**. Co-purchases close the step.
#
# Set `DATA` in the parameters cell to your project's folder (`customers.csv`,
# `transactions.csv`, the survey and its codebook, in the formats of `data/sample/README.md`).
# The `assert` cells check key numbers against the truth planted in the sample data; drop them
# for your own data.

# %% tags=["parameters"]
DATA = "../data/sample"
SURVEY = "survey_wave1.csv"
CODEBOOK = "codebook.yaml"
WEIGHT = "weight"
PERIODS = (2023, 2024)  # value-tier migration and churn: the year before and the year after
HORIZON = 52  # CLV horizon in weeks
ANNUAL_DISCOUNT = 0.10  # discount rate per year
K_RANGE = (2, 8)  # numbers of segments tried
N_BOOT = 20  # bootstrap resamples of the stability check
N_INIT = 5  # k-means starts per fit
SEED = 0

# %%
from pathlib import Path

import numpy as np
import pandas as pd
from IPython.display import Markdown
from sklearn.metrics import adjusted_rand_score, roc_auc_score

import needlab as nl

pd.set_option("display.width", 140)
pd.set_option("display.max_columns", 20)
pd.set_option("display.max_colwidth", 80)
customers = pd.read_csv(Path(DATA) / "customers.csv")
tx = pd.read_csv(Path(DATA) / "transactions.csv", parse_dates=["order_date"])
survey = nl.read_survey(Path(DATA) / SURVEY, codebook=Path(DATA) / CODEBOOK)
truth = nl.load_sample(DATA).truth  # the planted truth of the sample, used by the checks only
customers.shape, tx.shape, survey.data.shape

# %% [markdown]
# ## Rule segments on readable bands
# Ages in bands, Chinese city-tier text as ordered tiers, and the two-year spend in bands
# (`income_bands` bands any amount; the CRM's income is already banded text). Rules are pandas
# expressions in priority order: the first matching rule wins, rows matching none are
# "Other", and the result counts both.

# %%
spend = tx.groupby("customer_id")["amount"].sum()
crm = customers.assign(
    age_band=nl.age_bands(customers["age"]),
    tier=nl.city_tier_bands(customers["city_tier"]),
    spend=customers["customer_id"].map(spend),
)
crm["spend_band"] = nl.income_bands(crm, "spend", edges=[1000, 3000, 10000], unit=" yuan")
pd.concat({c: crm[c].value_counts(sort=False) for c in ["age_band", "tier", "spend_band"]}).to_frame()

# %%
rules = {
    "Young urban": "age < 35 and tier in ['Tier 1', 'New tier 1']",
    "Affluent": "income_band == '4万以上'",
    "Budget, lower tiers": "income_band == '1万以下' and tier == 'Tier 3 and below'",
    "Store families": "age >= 30 and age < 45 and channel == '线下门店'",
}
ruled = nl.segment_rules(crm, rules, default="Other")
print(f"unmatched: {ruled.n_unmatched}, matching several rules: {ruled.n_overlap}")
ruled.table.round(3)

# %% [markdown]
# Rows matching two rules (off the diagonal; the diagonal is every row a rule matches):

# %%
ruled.overlaps

# %%
ax = ruled.plot()

# %%
counts = ruled.table.set_index("segment")["count"]
young = (crm["age"] < 35) & crm["tier"].isin(["Tier 1", "New tier 1"])
assert counts.sum() == len(crm) and counts["Other"] == ruled.n_unmatched
assert counts["Young urban"] == young.sum()  # the first rule takes every row it matches
assert (ruled.overlaps.to_numpy().diagonal() == ruled.table["matches"].iloc[:-1]).all()

# %% [markdown]
# ## RFM: recency, frequency and monetary value
# One row per customer from the order log; scores 1-5 with a stated tie policy (identical
# customers always get identical scores, so a large tie group such as the one-time buyers takes
# one level and leaves others unused, as the note says) and the standard 11 segments.

# %%
scores = nl.rfm(tx, customer="customer_id", date="order_date", amount="amount", order="order_id")
print("\n".join(scores.notes))
scores.table.head().round(2)

# %%
scores.segments().round(3)

# %%
ax = scores.plot()

# %% [markdown]
# Checked: customers with identical recency, frequency and spend have identical scores, every
# score is a function of its own measure, one-time buyers score F = 1, and the frequency equals
# the planted number of orders.

# %%
t = scores.table
same = t.groupby(["recency", "frequency", "monetary"])["rfm_score"].agg(["size", "nunique"])
assert (same["nunique"] == 1).all()
assert all(t.groupby(col)[s].nunique().max() == 1
           for col, s in [("recency", "r"), ("frequency", "f"), ("monetary", "m")])
planted = truth.customers.set_index("customer_id").loc[t["customer_id"]]
assert (t["f"].to_numpy()[planted["one_time"].to_numpy()] == 1).all()
assert (t["frequency"].to_numpy() == planted["n_orders"].to_numpy()).all()
tied = same[same["size"] > 1]
print(f"{int(tied['size'].sum())} customers in {len(tied)} groups of identical customers, "
      "each group with one score")

# %% [markdown]
# ## Value tiers and migration between two years
# Top 20% of customers by spend are *high*, the next 30% *medium*, the rest *low* (ties never
# split). Tiers are computed per year among that year's buyers; customers only in the second
# year are *new*, only in the first *lost*.

# %%
tiers = nl.value_tiers(spend)
tiers.table.round(3)

# %%
year = tx["order_date"].dt.year
before, after = (nl.value_tiers(tx[year == y].groupby("customer_id")["amount"].sum())
                 for y in PERIODS)
moves = nl.tier_migration(pd.DataFrame({"before": before.tiers, "after": after.tiers}),
                          "before", "after")
moves.counts

# %%
moves.table

# %%
moves.shares.round(3)

# %%
ax = moves.plot(value="share")

# %%
assert (tiers.tiers.astype(str) == planted["value_tier"].reindex(tiers.tiers.index)).all()
c = moves.counts
assert c["upgraded"] + c["downgraded"] + c["stayed"] + c["lost"] == len(before.tiers)
assert c["upgraded"] + c["downgraded"] + c["stayed"] + c["new"] == len(after.tiers)
assert (moves.table["total"].iloc[:-1].to_numpy()
        == before.table["count"].to_numpy()).all()

# %% [markdown]
# ## Customer lifetime value
# `clv_summary` turns the order log into repeat frequency, recency, age and mean repeat spend
# per customer, in weeks. BG/NBD models purchases and dropout, Gamma-Gamma the spend per
# purchase; `clv` discounts the expected spend over the horizon.

# %%
summary = nl.clv_summary(tx, customer="customer_id", date="order_date", amount="amount", freq="W")
summary[["frequency", "recency", "age", "monetary"]].describe().round(2)

# %%
bgnbd = nl.BetaGeo().fit(summary)
gamma = nl.GammaGamma().fit(summary)
print(f"converged: BG/NBD {bgnbd.converged_}, Gamma-Gamma {gamma.converged_}; "
      f"frequency-spend correlation {gamma.correlation_:.3f} (the model assumes none)")
pd.concat({"BG/NBD": bgnbd.summary_, "Gamma-Gamma": gamma.summary_}).round(4)

# %% [markdown]
# The large Gamma-Gamma `q` says that customers differ little in their *typical* spend per
# purchase compared with how much one customer's purchases vary (a filter one week, a robot
# vacuum the next), so expected spend is shrunk strongly to the mean and the CLV ranking comes
# mostly from expected purchases.

# %%
weekly = (1 + ANNUAL_DISCOUNT) ** (1 / 52) - 1
value = nl.clv(summary, purchases=bgnbd, spend=gamma, horizon=HORIZON, discount_rate=weekly)
by_tier = value.join(tiers.tiers).groupby("tier", observed=True).agg(
    customers=("clv", "size"), p_alive=("probability_alive", "mean"),
    purchases=("expected_purchases", "mean"), spend=("expected_spend", "mean"),
    clv=("clv", "mean"), clv_total=("clv", "sum"))
by_tier.iloc[::-1].round(2)

# %%
value.join(scores.table.set_index("customer_id")["segment"]).groupby(
    "segment", observed=True)["clv"].agg(["size", "mean", "sum"]).round(0)

# %% [markdown]
# Before trusting the forecast, a hold-out check: fit on the first year only and compare the
# predicted repeat purchases of the second year with what those customers did.

# %%
cut = pd.Timestamp(f"{PERIODS[1]}-01-01")
first_year = nl.clv_summary(tx[tx["order_date"] < cut], customer="customer_id",
                            date="order_date", freq="W", asof=cut - pd.Timedelta(days=1))
holdout_model = nl.BetaGeo().fit(first_year)
later = tx[tx["order_date"] >= cut]
actual = later.assign(week=later["order_date"].dt.to_period("W")).groupby(
    "customer_id")["week"].nunique().reindex(first_year.index, fill_value=0)
check = pd.DataFrame({"predicted": holdout_model.expected_purchases(52, first_year),
                      "actual": actual}, index=first_year.index)
check.groupby(first_year["frequency"].clip(upper=6).rename("repeat purchases in year 1")).agg(
    customers=("actual", "size"), predicted=("predicted", "mean"), actual=("actual", "mean")
).round(3)

# %% [markdown]
# The one-year fit sees almost no dropout (`a` near 0 below), so it over-predicts the second
# year by about a quarter: the sample's churners stop buying between September of the first
# year and April of the second, too late for the first year to show. Refit as the log grows,
# and read CLV as an optimistic figure while churn is rising.

# %%
ratio = check["predicted"].sum() / check["actual"].sum()
print(f"predicted / actual repeat purchases in year 2: {ratio:.3f}")
holdout_model.summary_.round(4)

# %%
alive = value["probability_alive"]
churned = truth.customers.set_index("customer_id")["churned"].reindex(value.index)
repeat = summary["frequency"] > 0
assert np.isfinite(value["clv"]).all() and (value["clv"] > 0).all()
assert alive[repeat & churned].mean() < alive[repeat & ~churned].mean() - 0.15
assert value.loc[churned, "clv"].mean() < 0.5 * value.loc[~churned, "clv"].mean()
assert 1.0 < ratio < 1.5
print(f"CLV over {HORIZON} weeks: {value['clv'].sum():,.0f} yuan in total, "
      f"{value['clv'].mean():,.0f} per customer")
print(f"mean P(alive) of repeat buyers: planted churners {alive[repeat & churned].mean():.3f}, "
      f"others {alive[repeat & ~churned].mean():.3f}")

# %% [markdown]
# ## Churn risk
# Behaviour up to the end of the first year (RFM measures, tenure, recent orders, channel and
# city tier) predicts whether a customer *lapses*: buys nothing in the second year. The
# cross-validated logistic model scores every customer out of fold.

# %%
early = tx[tx["order_date"] < cut]
early_rfm = nl.rfm(early, customer="customer_id", date="order_date", amount="amount",
                   order="order_id", asof=cut)
features = early_rfm.table.set_index("customer_id")[["recency", "frequency", "monetary"]]
features["tenure"] = (cut - early.groupby("customer_id")["order_date"].min()).dt.days
recent = early[early["order_date"] >= cut - pd.Timedelta(days=90)]
features["orders_90d"] = recent.groupby("customer_id").size().reindex(features.index, fill_value=0)
features = features.join(customers.set_index("customer_id")[["channel", "city_tier"]])
features["lapsed"] = ~features.index.isin(later["customer_id"])
features["rfm_at_risk"] = early_rfm.at_risk()  # the rule: About to sleep, At risk, Can't lose them
risk = nl.churn_risk(features, "lapsed", rule="rfm_at_risk", model="logistic", cv=5,
                     random_state=SEED)
{k: round(v, 3) if isinstance(v, float) else v for k, v in risk.summary().items()}

# %%
risk.table.round(3)

# %%
risk.calibration.round(3)

# %%
ax = risk.plot()

# %% [markdown]
# The rule-based flag (RFM "at risk" segments at the end of the first year) against the model
# flagging as many customers: precision is the lapse rate among the flagged, lift that rate over
# the base rate.

# %%
assert risk.rule.set_index("method").loc["model", "lift"] > risk.rule.set_index("method").loc["rule", "lift"]
risk.rule.round(3)

# %% [markdown]
# Checked: the model separates lapsers well, and its risk is also higher for the customers the
# sample planted as churners (a weaker signal: much of the planted churn comes from latent
# dissatisfaction that behaviour shows only faintly).

# %%
planted_churn = truth.customers.set_index("customer_id")["churned"].reindex(features.index)
auc_planted = roc_auc_score(planted_churn, risk.scores)
assert risk.auc_mean > 0.74 and risk.auc_mean - 3 * risk.auc_sd > 0.7
assert auc_planted > 0.54
assert risk.calibration["observed_rate"].iloc[-1] > 4 * risk.calibration["observed_rate"].iloc[0]
print(f"CV AUC for lapsing {risk.auc_mean:.3f}; AUC for the planted churners {auc_planted:.3f}")

# %% [markdown]
# ## Segments from attitudes, importance and behaviour
# Survey respondents are clustered on the nine attitude statements, the twelve importance
# ratings and two behaviours from the order log: the log of their spend and the mean share of
# the highest price paid for the same model (1 = always full price; deep discounts lower it).
# The `Segmenter` standardises the columns and imputes scattered missing answers.

# %%
data = survey.data
attitudes = [c for c in data if c.startswith("att_")]
importance = [c for c in data if c.startswith("imp_")]
unit = tx["amount"] / tx["quantity"]
price_paid = (unit / unit.groupby(tx["product"]).transform("max")).groupby(tx["customer_id"]).mean()
behaviour = pd.DataFrame({"log_spend": np.log(spend), "price_paid": price_paid})
X = data[["customer_id", *attitudes, *importance]].join(behaviour, on="customer_id").drop(
    columns="customer_id")
auto = nl.Segmenter(k="auto", k_range=K_RANGE, n_init=N_INIT, random_state=SEED).fit(X)
print(auto.reason_)
auto.criteria_.round(3)

# %%
ax = auto.plot_criteria()

# %% [markdown]
# The silhouette falls steadily with k, as it usually does when attitudinal segments overlap, so
# `k="auto"` settles on two broad halves. Internal criteria cannot tell how many segments there
# are here; bootstrap stability can say how many *hold up*. With `select="stability"` each k is
# refitted on `N_BOOT` resamples and every segment matched to its best counterpart by Jaccard
# similarity; the largest k whose weakest segment keeps a mean Jaccard of at least `stable_at`
# wins. Hennig (2007) calls 0.75 stable and 0.6 to 0.75 a real pattern with doubtful members;
# survey segments overlap by design, so this template accepts 0.6.

# %%
stable = nl.Segmenter(k="auto", select="stability", stable_at=0.6, n_boot=N_BOOT,
                      k_range=K_RANGE, n_init=N_INIT, random_state=SEED).fit(X)
print(stable.reason_)
K = stable.k_
stable.criteria_[["silhouette", "min_share", "stability", "ari_boot"]].round(3)

# %%
seg = stable
boot = seg.stability(X, n_boot=N_BOOT, random_state=SEED)
names = [f"S{i + 1}" for i in range(K)]  # segment 0 (the largest) is S1
segment = pd.Categorical.from_codes(seg.labels_, categories=names)
boot.table.replace({"segment": {-1: "all", **dict(enumerate(names))}}).round(3)

# %%
ax = boot.plot()

# %%
seg.centers().set_index("segment").rename(index=dict(enumerate(names))).T.round(2)

# %% [markdown]
# A typing tool: the six questions that best assign a respondent to a segment (greedy forward
# selection with a discriminant classifier), with the accuracy on held-out respondents.

# %%
typing = seg.typing_tool(X, n_questions=6, random_state=SEED)
print(f"held-out accuracy {typing.accuracy:.3f} (chance {typing.chance:.3f})")
typing.table.round(3)

# %%
ax = typing.plot()

# %% [markdown]
# Checked against the planted segments: the clusters recover them (adjusted Rand index; a
# supervised classifier on the survey columns alone reaches about 0.51, so the segments overlap
# by design), every planted segment is the majority of exactly one segment, and the sizes add up.

# %%
planted_seg = truth.segments.reindex(data["customer_id"]).to_numpy()
ari = adjusted_rand_score(planted_seg, seg.labels_)
match = pd.crosstab(pd.Series(segment, name="segment"), pd.Series(planted_seg, name="planted"))
assert ari > 0.5, ari
assert match.idxmax(axis=1).nunique() == K == 4
assert seg.centers()["n"].sum() == len(data) == match.to_numpy().sum() and seg.n_excluded_ == 0
assert typing.accuracy > 0.7
print(f"adjusted Rand index vs planted segments: {ari:.3f}")
match

# %% [markdown]
# ## Profiles: who is in each segment
# Each segment against the total: weighted means and shares, the index (segment / total x 100)
# and a mark where the segment differs significantly from the rest (`+` above, `-` below;
# Benjamini-Hochberg adjusted over the whole profile at 5%).

# %%
labelled = survey.labelled()
people = labelled[["customer_id", "age", "gender", "city_tier", "income_band", "channel", WEIGHT]]
people = people.join(data[attitudes]).assign(
    segment=segment,
    spend=data["customer_id"].map(spend), price_paid_pct=data["customer_id"].map(price_paid) * 100,
    clv=data["customer_id"].map(value["clv"]))
cols = ["age", "gender", "city_tier", "income_band", "channel", "spend", "price_paid_pct", "clv",
        *attitudes]
prof = nl.profile(people, cols, by="segment", weights=WEIGHT)
prof.display()

# %%
ax = prof.plot()

# %% [markdown]
# ## Persona cards
# Named after each segment's most distinctive significant traits, with its key facts and the
# features it rates at least 0.1 point more important than the average respondent does (on the
# 1-9 scale).

# %%
w = data[WEIGHT]
answered = data[importance].notna().mul(w, axis=0).groupby(people["segment"], observed=True).sum()
seg_mean = data[importance].fillna(0).mul(w, axis=0).groupby(people["segment"], observed=True).sum() / answered
overall = data[importance].fillna(0).mul(w, axis=0).sum() / data[importance].notna().mul(w, axis=0).sum()
needs = (seg_mean - overall).rename(columns=lambda c: c.removeprefix("imp_")).stack().rename(
    "score").rename_axis(["segment", "feature"]).reset_index().query("score >= 0.1")
short = {"att_newtech": "new tech", "att_smarthome": "smart home", "att_compare_price":
         "price comparing", "att_wait_promo": "promotion waiting", "att_no_time": "time pressure",
         "att_family_health": "family health", "att_pay_brand": "brand paying",
         "att_quality_first": "quality first", "att_design": "design", "price_paid_pct": "price paid"}
words = {f"{c}{s}": f"{'high' if s == '+' else 'low'} {n}" for c, n in short.items() for s in "+-"}
cards = nl.personas(prof, top=5, needs=needs, labels={**words, "age-": "younger", "age+": "older", "clv+": "high CLV", "clv-": "low CLV"})
cards.table[["segment", "name", "size", "share"]].round(3)

# %%
Markdown(cards.to_markdown())

# %%
card = cards.table.set_index("segment")
premium = match["premium"].idxmax()  # the segment holding most planted premium customers
value_seekers = match["value"].idxmax()
tech = match["tech"].idxmax()
assert card.loc[premium, "name"].startswith("40k and over")
assert "Under 10k" in card.loc[value_seekers, "name"]
assert "Official online store" in card.loc[tech, "name"]
assert card["size"].sum() == len(data)
card.loc[[premium, value_seekers, tech], ["name"]].assign(planted=["premium", "value", "tech"])

# %% [markdown]
# ## What customers buy together
# Association rules between product categories bought by the same customer over the two years
# (support: share of customers; lift above 1: bought together more often than chance).

# %%
basket = nl.associations(tx, basket="customer_id", item="category", min_support=0.02)
print(f"{basket.n_baskets} customers, {basket.n_items} categories, {len(basket.table)} rules")
basket.table.head(8).round(3)

# %% [markdown]
# Key numbers of this step, for the planning notebooks.

# %%
pd.Series({
    "customers": len(customers),
    "rule segments unmatched": ruled.n_unmatched,
    "RFM Champions": int((scores.table["segment"] == "Champions").sum()),
    "tier upgrades": moves.counts["upgraded"],
    "tier downgrades": moves.counts["downgraded"],
    f"CLV next {HORIZON} weeks, total (yuan)": round(float(value["clv"].sum())),
    "churn model CV AUC": round(risk.auc_mean, 3),
    "segments k": K,
    "ARI vs planted segments": round(ari, 3),
    "typing tool accuracy": round(typing.accuracy, 3),
}, dtype=object)
