"""Result-contract cases of needlab.segment (collected by tests/test_result_contract.py).

Each builder takes the sample (``nl.load_sample()``) and returns ``(result, rows given)`` in the
unit the result documents.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

import needlab as nl


def _rfm(sample: Any) -> tuple[Any, int]:
    tx = sample.transactions.iloc[:2000].copy()  # a small log keeps the Excel check fast
    tx.loc[:4, "customer_id"] = None  # five excluded transactions
    res = nl.rfm(tx, customer="customer_id", date="order_date", amount="amount")
    return res, len(tx)  # transactions


def _tiers(sample: Any) -> tuple[Any, int]:
    spend = sample.transactions.groupby("customer_id")["amount"].sum()
    return nl.value_tiers(spend), len(spend)  # customers


def _migration(sample: Any) -> tuple[Any, int]:
    tx = sample.transactions
    year = pd.to_datetime(tx["order_date"]).dt.year
    first, last = sorted(year.unique())[0], sorted(year.unique())[-1]
    tiers = pd.DataFrame(
        {
            y: nl.value_tiers(tx[year == y].groupby("customer_id")["amount"].sum()).tiers
            for y in (first, last)
        }
    )
    return nl.tier_migration(tiers, first, last), len(tiers)  # customers


def _rules(sample: Any) -> tuple[Any, int]:
    df = sample.customers
    res = nl.segment_rules(df, {"young": "age < 30", "senior": "age >= 55"})
    return res, len(df)  # rows


def _profile_data(sample: Any) -> pd.DataFrame:
    return sample.customers.assign(segment=sample.truth.customers["segment"].to_numpy())


def _profile(sample: Any) -> tuple[Any, int]:
    df = _profile_data(sample)
    df.loc[:9, "segment"] = None  # ten excluded customers
    return nl.profile(df, ["age", "city_tier", "income_band"], by="segment"), len(df)


def _personas(sample: Any) -> tuple[Any, int]:
    df = _profile_data(sample)
    prof = nl.profile(df, ["age", "city_tier", "income_band"], by="segment")
    return nl.personas(prof), len(df)  # rows of the profile


def _churn(sample: Any) -> tuple[Any, int]:
    tx = sample.transactions
    feats = tx.groupby("customer_id").agg(orders=("order_id", "nunique"), spend=("amount", "sum"))
    truth = sample.truth.customers.set_index("customer_id")["churned"]
    df = feats.assign(churned=truth.reindex(feats.index).astype(bool)).iloc[:1500]
    return nl.churn_risk(df, "churned", cv=3, random_state=0), len(df)  # customers


def _associations(sample: Any) -> tuple[Any, int]:
    tx = sample.transactions
    res = nl.associations(tx, basket="customer_id", item="category", min_support=0.02)
    return res, len(tx)  # rows (basket lines)


def _cluster_data(sample: Any) -> pd.DataFrame:
    X = sample.survey_wave1.filter(regex=r"^(att|imp)_").iloc[:400].copy()
    X.iloc[:6] = float("nan")  # six respondents with no answer: excluded, label -1
    return X


def _stability(sample: Any) -> tuple[Any, int]:
    X = _cluster_data(sample)
    seg = nl.Segmenter(k=3, k_range=(3, 3), n_init=2, silhouette_sample=200, random_state=0)
    return seg.fit(X).stability(X, n_boot=3, random_state=0), len(X)  # respondents


def _typing_tool(sample: Any) -> tuple[Any, int]:
    X = _cluster_data(sample)
    seg = nl.Segmenter(k=3, k_range=(3, 3), n_init=2, silhouette_sample=200, random_state=0)
    return seg.fit(X).typing_tool(X, n_questions=2, random_state=0), len(X)  # respondents


CASES = {
    "AssociationResult": _associations,
    "ChurnResult": _churn,
    "MigrationResult": _migration,
    "PersonaResult": _personas,
    "ProfileResult": _profile,
    "RFMResult": _rfm,
    "RuleSegments": _rules,
    "StabilityResult": _stability,
    "TierResult": _tiers,
    "TypingToolResult": _typing_tool,
}
