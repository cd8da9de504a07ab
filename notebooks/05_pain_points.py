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
#     template: 05_pain_points
#     version: 1.2.0
# ---

# %% [markdown]
# # 05 Pain points: what hurts, how often, how badly, and where in the journey?
#
# Complaints, reviews, social posts and the survey's open answers say what goes wrong, in
# Chinese and English. This template codes them with the default bilingual taxonomy of
# **functional** (功能性), **service** (服务性), **process** (流程性) and **value** (价值性) pain
# points, checks what the taxonomy misses (coverage, and topics in the uncoded residue), reads
# sentiment to find **implicit needs** (negative texts without an explicit complaint), and
# turns the codes into the **pain matrix**: how often each pain is mentioned, how severe it is,
# and a priority, by customer segment and journey stage, drawn as a problem tree and a journey
# map. A supervised text coder learns the coding from labelled texts, and agreement statistics
# (Cohen's kappa) compare the rule coder with a reference coding. The matrix feeds the
# priorities step (06).
#
# The sample data carries the pain points its generator planted in every text, so this
# notebook also checks that they are recovered. In a project, the reference coding is a
# human-coded sample of your texts.
#
# Set `DATA` in the parameters cell to your project's folder.

# %% tags=["parameters"]
DATA = "../data/sample"
FEEDBACK = "feedback.csv"
SURVEY = "survey_wave1.csv"
CODEBOOK = "codebook.yaml"
WEIGHT = "weight"
N_TRAIN = 1200
CV_FOLDS = 3
RANDOM_STATE = 0

# %%
from pathlib import Path

import numpy as np
import pandas as pd

import needlab as nl

pd.set_option("display.width", 140)
pd.set_option("display.max_columns", 20)
pd.set_option("display.max_colwidth", 60)
feedback = nl.read_survey(Path(DATA) / FEEDBACK).data
survey = nl.read_survey(Path(DATA) / SURVEY, codebook=Path(DATA) / CODEBOOK)
sample = nl.load_sample(DATA)
# the sample data knows each customer's segment (in a project, take it from the segmentation
# step, 01); social-media posts have no customer id, so no segment
segments = sample.truth.segments.rename("segment")
feedback = feedback.merge(segments, left_on="customer_id", right_index=True, how="left")
answers = survey.data.merge(segments, left_on="customer_id", right_index=True, how="left")
{"feedback texts": len(feedback), "languages": feedback["lang"].value_counts().to_dict(),
 "survey respondents": len(answers), "feedback without a segment": int(feedback["segment"].isna().sum())}

# %% [markdown]
# ## Code the feedback
# Every text gets all the codes whose keywords or patterns it contains (multi-label), with the
# evidence span; a negation just before a match (不慢, "not too expensive") cancels it. The
# frequencies count texts per pain type; a text with no code is `none`.

# %%
coded = nl.code_text(feedback, "text", id="feedback_id")
coded

# %%
examples = coded.long.drop_duplicates("row").head(8)
examples[["id", "lang", "code", "pain_type", "evidence"]]

# %% [markdown]
# ## The survey's open answers
# The open-text questions are the codebook's `text` columns. Empty answers are kept in the
# table but not coded, and stay out of the base of every share.

# %%
text_columns = [name for name, col in survey.codebook.columns.items() if col.type == "text"]
open_coded = {c: nl.code_text(answers, c, id="resp_id") for c in text_columns}
{c: {"answers": len(r.table), "codable": int(r.table["status"].isin(["ok", "truncated"]).sum()),
     "statuses": r.table["status"].value_counts().to_dict()} for c, r in open_coded.items()}

# %% [markdown]
# ## Coverage and the uncoded residue
# Coverage is the share of codable texts with at least one code. What the taxonomy misses is
# either not a pain point (praise, questions) or a gap to add to the taxonomy; the most common
# terms of the uncoded texts (Chinese character bigrams, English words) show which.

# %%
coverage = pd.concat({"feedback": coded.coverage.table,
                      **{c: r.coverage.table for c, r in open_coded.items()}}, names=["source", None])
coverage.round(3)

# %%
coded.coverage.terms.groupby("lang").head(6).round(3)

# %% [markdown]
# ## Topics in the residue
# Non-negative matrix factorisation of the uncoded texts (feedback and open answers together;
# Chinese split into words with jieba when it is installed); the number of topics is the one
# with the most coherent top terms (NPMI).

# %%
uncoded = [r.table.loc[r.table["status"].isin(["ok", "truncated"]) & ~r.table["coded"], "text"]
           for r in [coded, *open_coded.values()]]
residue = pd.concat(uncoded, ignore_index=True)
topics = nl.discover_topics(residue, random_state=RANDOM_STATE)
topics.table.round(3)

# %%
topics.representatives.groupby("topic").head(1)[["topic", "text"]]

# %% [markdown]
# ## Sentiment and implicit needs
# Lexicon sentiment (offline, with negation and intensifiers). A negative text with no
# complaint code is a candidate implicit need (隐性需求): the customer is unhappy about
# something the taxonomy does not name, or asks for something the product does not make easy.
# In the sample every negative text names a coded pain, so the list comes out empty (a check
# that neutral questions and negated praise such as 噪音不大，价格也不贵 are not taken for
# complaints); on real reviews it holds the general dissatisfaction the codebook cannot place.

# %%
sent = nl.sentiment(feedback["text"])
pd.crosstab(coded.table["coded"].map({True: "coded", False: "not coded"}), sent.label.to_numpy(),
            rownames=["pain code"], colnames=["sentiment"], margins=True)

# %%
implicit = nl.implicit_needs(coded, sentiment=sent)
# group near-identical texts: drop the product names and numbers
gist = implicit["text"].str.replace(r"Lumo [A-Z]\d( Pro)?|\d+", "", regex=True)
{"implicit need candidates": len(implicit),
 "share of uncoded texts": round(float(len(implicit) / (~coded.table["coded"]).sum()), 3)}

# %%
gist.value_counts().head(8)

# %% [markdown]
# ## The pain matrix by segment
# Frequency x severity. The feedback has no severity rating, so the negative sentiment of
# each text serves as its severity (0 = neutral or positive, 1 = most negative). `share` is the
# share of texts mentioning the pain, `severity` the mean severity of those texts, `priority`
# the severity-weighted mentions per 100 texts (0-100) with its standard error; `quadrant`
# places each pain against the segment's medians (fix first = frequent and severe).

# %%
severity = np.clip(-sent.score.to_numpy(), 0, 1)
by_segment = nl.pain_matrix(coded, by="segment", level="pain_type", severity=severity, severity_max=1)
by_segment.table.round(3)

# %%
by_segment.wide("share").round(3)

# %% [markdown]
# The survey's open answers, weighted with the survey weight (shares of respondents who
# wrote something codable):

# %%
survey_matrix = nl.pain_matrix(open_coded["comment"], by="segment", level="pain_type", weights=WEIGHT)
survey_matrix.wide("share").round(3)

# %% [markdown]
# ## Journey stages
# Each code has the stage where the pain usually arises (a late delivery at *delivery*, a
# failed pairing at *installation*). Stage x pain type is the journey map.

# %%
stages = nl.pain_matrix(coded, level="stage", severity=severity, severity_max=1)
stages.table.round(3)

# %%
journey = nl.pain_matrix(coded, level="stage_type", severity=severity, severity_max=1)
ax = journey.plot(kind="journey")

# %% [markdown]
# ## Problem tree and the frequency-severity matrix
# The codes of each pain type, largest first; then every code mentioned by at least 20 texts
# against its mean severity.

# %%
codes = nl.pain_matrix(coded, severity=severity, severity_max=1, min_texts=20)
cols = ["code", "name", "pain_type", "stage", "n", "share", "severity", "priority", "priority_se", "quadrant"]
codes.table[cols].head(10).round(3)

# %%
ax = codes.plot(kind="tree", top=5)

# %%
ax = codes.plot()

# %% [markdown]
# ## A supervised coder
# When part of the texts has been coded by hand, `TextCoder` learns the coding (TF-IDF of
# words and characters, one logistic regression per code) and codes the rest. First the
# planted pain types of the first `N_TRAIN` texts, with cross-validated precision, recall and F1
# per type; then the rule codes themselves (one model per code), whose weakest codes show where
# more labelled examples are needed. The coder trained on the planted types then codes the
# other texts, and its agreement with their planted types is measured.

# %%
planted = sample.truth.painpoints.set_index("feedback_id").loc[feedback["feedback_id"]]
planted_types = [[] if c == "none" else [c] for c in planted["category"]]
train = feedback["text"].iloc[:N_TRAIN]
cv_types = nl.TextCoder().cross_validate(train, planted_types[:N_TRAIN], cv=CV_FOLDS,
                                         random_state=RANDOM_STATE)
cv_types.table.round(3)

# %%
rule_codes = [list(c) for c in coded.table["codes"]]
cv_codes = nl.TextCoder().cross_validate(train, rule_codes[:N_TRAIN], cv=CV_FOLDS, random_state=RANDOM_STATE)
cv_codes.table.sort_values(["f1", "code"]).head(6).round(3)

# %%
cv_codes.table.tail(2).round(3)

# %%
coder = nl.TextCoder().fit(train, planted_types[:N_TRAIN])
predicted = coder.predict(feedback["text"].iloc[N_TRAIN:])
held_out = nl.agreement(predicted, planted_types[N_TRAIN:], codes=list(coder.codes_))
held_out.table[["code", "n_units", "prevalence", "agreement", "kappa"]].round(3)

# %% [markdown]
# ## Agreement of the rule coder with the reference coding
# Cohen's kappa per pain type between the rule coder and the planted truth (in a project: a
# human coder's sample), with Krippendorff's alpha; a kappa above 0.8 is usually read as
# almost perfect agreement (Landis and Koch 1977). On the sample it is perfect, because the
# default taxonomy covers every phrasing of the sample's generator; on real texts, code a
# sample of a few hundred by hand and expect less.

# %%
types = ["functional", "service", "process", "value"]
rule_vs_truth = nl.agreement(list(coded.table["pain_types"]), planted_types, codes=types)
rule_vs_truth.table[["code", "n_units", "prevalence", "agreement", "kappa", "kappa_ci_low", "alpha"]].round(3)

# %% [markdown]
# Key numbers, checked: coverage of the feedback and of the open answers in their measured
# ranges and equal to the planted share of texts with a pain point; the planted pain-type rates
# of every segment recovered within 2 points (and the population rates within 3 standard
# errors); the sentiment severity rising with the planted severity; the supervised coder's
# F1 and the kappas high; a residue topic about filter replacement (the implicit need behind
# many uncoded questions).

# %%
known = feedback["segment"].notna().to_numpy()
truth_rates = (planted[known].groupby("segment")["category"].value_counts(normalize=True)
               .rename("planted").rename_axis(["segment", "pain_type"]))
found = by_segment.table.set_index(["segment", "pain_type"])
gap = (found["share"] - truth_rates.reindex(found.index)).abs()
population = (sample.truth.painpoint_rates.groupby(["segment", "category"])["rate"].sum()
              .rename_axis(["segment", "pain_type"]))
plain = nl.pain_matrix(coded, by="segment", level="pain_type").table.set_index(["segment", "pain_type"])
z = (plain["priority"] - 100 * population.reindex(plain.index)) / plain["priority_se"]
sev_by_planted = pd.Series(severity).groupby(planted["severity"].to_numpy()).mean()
comment_cov = open_coded["comment"].coverage.share
comment_truth = sample.truth.comments.query("wave == 1")
codable = open_coded["comment"].table["status"].eq("ok").to_numpy()
comment_pain = ~comment_truth["category"].isin(["none", "junk"]).to_numpy()[codable]

assert 0.80 <= coded.coverage.share <= 0.89, coded.coverage.share
assert abs(coded.coverage.share - (planted["category"] != "none").mean()) < 0.02
assert 0.62 <= comment_cov <= 0.72, comment_cov
assert abs(comment_cov - comment_pain.mean()) < 0.02
assert gap.max() < 0.02, gap.max()
assert z.abs().max() < 3, z.abs().max()
assert sev_by_planted.is_monotonic_increasing and sev_by_planted[3] - sev_by_planted[1] > 0.2
assert cv_types.micro_f1 > 0.95 and cv_types.table["f1"].min() > 0.9
assert cv_codes.micro_f1 > 0.9
assert held_out.kappa_pooled > 0.95
assert rule_vs_truth.kappa_pooled > 0.95 and rule_vs_truth.table["kappa"].min() > 0.9
assert any("滤网" in terms for terms in topics.table["terms"])
{"coverage (feedback)": round(coded.coverage.share, 3), "coverage (comments)": round(comment_cov, 3),
 "largest rate gap": round(float(gap.max()), 4), "largest |z|": round(float(z.abs().max()), 2),
 "F1 types (cv)": round(cv_types.micro_f1, 3), "F1 codes (cv)": round(cv_codes.micro_f1, 3),
 "kappa coder (held out)": round(held_out.kappa_pooled, 3), "kappa rules": round(rule_vs_truth.kappa_pooled, 3)}
