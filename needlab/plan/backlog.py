"""The evidence-linked needs backlog: one row per need, its evidence, score, rank and reason.

Every earlier step's result names what it measured in its own key: a Kano *feature*, a survey
*item* (drivers, IPA, opportunity), a pain *code*, a MaxDiff *item*. A mapping table links each
``(source, key)`` to one need; the backlog gathers each need's evidence from every result given,
scores it with :func:`~needlab.plan.priority.priority_table` and says in plain language why it
ranks where it does. Inputs that the mapping does not link are listed in ``unlinked``, never
dropped silently.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from needlab._result import Result
from needlab._types import Lang
from needlab._validate import check_option
from needlab.errors import ConfigError, DataError, SchemaError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from needlab.plan.priority import PriorityResult

__all__ = ["BacklogResult", "SOURCES", "needs_backlog"]

#: Evidence sources a mapping row may name, and whether a need they support is stated by
#: customers (explicit) or inferred (implicit).
SOURCES: dict[str, bool] = {
    "kano": True,
    "driver": True,
    "ipa": True,
    "item": True,
    "maxdiff": True,
    "pain": True,
    "implicit": False,
    "association": False,
    "behaviour": False,
}

#: Kano categories from most to least urgent when unmet (Berger et al. 1993's ordering).
KANO_ORDER = {"M": 0, "O": 1, "A": 2, "I": 3, "R": 4, "Q": 5}
KANO_NAMES = {
    "en": {"M": "basic", "O": "expected", "A": "delight", "I": "indifferent", "R": "reverse",
           "Q": "questionable"},
    "zh": {"M": "基本型", "O": "期望型", "A": "兴奋型", "I": "无差异", "R": "反向", "Q": "可疑"},
}  # fmt: skip

#: Criteria the scoring uses (those with evidence; each is a column of the table) and their type.
DEFAULT_CRITERIA: dict[str, Literal["benefit", "cost"]] = {
    "kano_urgency": "benefit",
    "importance": "benefit",
    "gap": "benefit",
    "pain_score": "benefit",
    "feasibility": "benefit",
    "cost": "cost",
}


@dataclass(frozen=True, repr=False)
class BacklogResult(Result):
    """The needs backlog (see :func:`needs_backlog`).

    Attributes
    ----------
    table : DataFrame
        One row per need, best first: ``need``, ``label_en``, ``label_zh``, ``label`` (in
        *lang*), ``explicit``, ``source`` (the evidence sources joined by ``+``), ``keys``, the
        evidence columns (``kano_category``, ``kano_need``, ``better``, ``worse``,
        ``driver_share``, ``ipa_quadrant``, ``ipa_gap``, ``opportunity``, ``maxdiff_share``,
        ``pain_frequency``, ``pain_severity``, ``pain_score``, ``top_segment``,
        ``top_segment_share``, ``top_segment_size``, ``top_segment_value``), the criteria
        (``kano_urgency``, ``importance``, ``gap``), ``cost``, ``feasibility``, ``score``,
        ``rank``, ``tied`` and ``reason``.
    n_used, n_excluded : int
        Evidence rows (keys of all inputs) linked to a need / not linked (listed in
        :attr:`unlinked`).
    unlinked : DataFrame
        ``source``, ``key``, ``why``: input keys without a need, and mapping keys that no input
        had.
    priority : PriorityResult
        The scoring behind ``score`` and ``rank`` (contributions, sensitivity, switch points).
    criteria : Series
        The normalised criterion weights used.
    lang : str
        Language of ``label`` and ``reason``.
    """

    unlinked: pd.DataFrame = field(default_factory=pd.DataFrame, kw_only=True)
    priority: PriorityResult | None = field(default=None, kw_only=True)
    criteria: pd.Series = field(default_factory=lambda: pd.Series(dtype=float), kw_only=True)
    lang: str = field(default="en", kw_only=True)
    title = "Needs backlog"

    def summary(self) -> dict[str, Any]:
        top = self.table.iloc[0] if len(self.table) else None
        return {
            "needs": len(self.table),
            "explicit": int(self.table["explicit"].sum()) if len(self.table) else 0,
            "implicit": int((~self.table["explicit"]).sum()) if len(self.table) else 0,
            "top need": None if top is None else f"{top['need']} {top['label']}",
            "unlinked inputs": len(self.unlinked),
        }

    def tables(self) -> dict[str, pd.DataFrame]:
        out = {"backlog": self.table, "unlinked": self.unlinked}
        if self.priority is not None:
            out.update({f"priority {k}": v for k, v in self.priority.tables().items()})
        return out

    def display(self) -> pd.DataFrame:
        cols = ["need", "label", "explicit", "source", "score", "rank", "reason"]
        return self.table[[c for c in cols if c in self.table.columns]]

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Contribution bars of each need's score (see :meth:`PriorityResult.plot`)."""
        if self.priority is None:  # pragma: no cover - always set by needs_backlog
            raise ConfigError("This backlog has no scoring to plot.")
        return self.priority.plot(ax=ax, **kwargs)


# ----------------------------------------------------------------------------- inputs
def _frame(obj: Any, name: str, required: Sequence[str]) -> pd.DataFrame:
    """The table of a result or a DataFrame, with the columns it must have."""
    table = getattr(obj, "table", obj)
    if not isinstance(table, pd.DataFrame):
        raise ConfigError(
            f"{name}= must be a needlab result or a DataFrame, not {type(obj).__name__}."
        )
    missing = [c for c in required if c not in table.columns]
    if missing:
        raise SchemaError(
            f"{name}= lacks column(s) {missing}; it has {list(table.columns)}. Pass the result "
            f"of the matching needlab function or a table with {list(required)}."
        )
    return table


def _kano(obj: Any) -> pd.DataFrame:
    t = _frame(obj, "kano", ["feature", "category", "better", "worse"])
    return pd.DataFrame(
        {
            "source": "kano",
            "key": t["feature"].astype(str),
            "kano_category": t["category"].astype(str),
            "better": pd.to_numeric(t["better"], errors="coerce"),
            "worse": pd.to_numeric(t["worse"], errors="coerce"),
        }
    )


def _drivers(obj: Any) -> pd.DataFrame:
    t = _frame(obj, "drivers", ["driver", "share"])
    return pd.DataFrame(
        {
            "source": "driver",
            "key": t["driver"].astype(str),
            "driver_share": pd.to_numeric(t["share"], errors="coerce"),
        }
    )


def _ipa(obj: Any) -> pd.DataFrame:
    t = _frame(obj, "ipa", ["driver", "quadrant", "gap"])
    return pd.DataFrame(
        {
            "source": "ipa",
            "key": t["driver"].astype(str),
            "ipa_quadrant": t["quadrant"].astype(str),
            "ipa_gap": pd.to_numeric(t["gap"], errors="coerce"),
        }
    )


def _opportunity(obj: Any) -> pd.DataFrame:
    t = _frame(obj, "opportunity", ["need", "score"])
    if "by" in t.columns and t["by"].nunique() > 1:
        raise ConfigError(
            "opportunity= has one table per group (a 'by' column); pass the result computed "
            "without by=, or one group's rows."
        )
    return pd.DataFrame(
        {
            "source": "item",
            "key": t["need"].astype(str),
            "opportunity": pd.to_numeric(t["score"], errors="coerce"),
        }
    )


def _maxdiff(obj: Any) -> pd.DataFrame:
    t = _frame(obj, "maxdiff", ["item", "share"])
    return pd.DataFrame(
        {
            "source": "maxdiff",
            "key": t["item"].astype(str),
            "maxdiff_share": pd.to_numeric(t["share"], errors="coerce"),
        }
    )


def _pains(obj: Any) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Pain evidence per code, and per segment x code when the matrix was computed by group."""
    t = _frame(obj, "pains", ["code", "share", "severity"])
    by = getattr(obj, "by", None)
    level = getattr(obj, "level", "code")
    if level != "code":
        raise ConfigError(
            f"pains= is a pain matrix by {level!r}; the backlog links pain codes: pass "
            "pain_matrix(coded) (level='code')."
        )
    share = pd.to_numeric(t["share"], errors="coerce")
    severity = pd.to_numeric(t["severity"], errors="coerce")
    if by is None or by not in t.columns:
        whole = pd.DataFrame({"source": "pain", "key": t["code"].astype(str)})
        whole["pain_frequency"] = share.to_numpy()
        whole["pain_severity"] = severity.to_numpy()
        return whole, None
    seg = pd.DataFrame(
        {"segment": t[by].astype(str), "source": "pain", "key": t["code"].astype(str)}
    )
    seg["share"] = share.to_numpy()
    # Overall evidence from the by-group matrix: base-weighted means over the groups.
    base = pd.to_numeric(t["base"], errors="coerce") if "base" in t.columns else None
    if base is None:
        raise SchemaError("pains= by segment lacks the 'base' column needed to pool segments.")
    n = share * base
    pooled = (
        pd.DataFrame({"key": seg["key"], "n": n, "sev_n": severity * n})
        .groupby("key", sort=False)
        .sum()
    )
    total_base = float(t.drop_duplicates(by)["base"].sum())
    whole = pd.DataFrame({"source": "pain", "key": pooled.index.astype(str)})
    whole["pain_frequency"] = (pooled["n"] / total_base).to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        whole["pain_severity"] = (pooled["sev_n"] / pooled["n"]).to_numpy()
    return whole, seg


# ------------------------------------------------------------------------------ mapping
def _mapping(data: Any, evidence: pd.DataFrame) -> pd.DataFrame:
    """The mapping table, checked; without one, every input key is its own need."""
    if data is None:
        keys = evidence[["source", "key"]].drop_duplicates()
        return keys.assign(need=keys["key"], label_en=keys["key"], label_zh=keys["key"])
    if not isinstance(data, pd.DataFrame):
        raise ConfigError(
            f"data must be the mapping table (a DataFrame with source, key, need, label_en, "
            f"label_zh), not {type(data).__name__}."
        )
    required = ["source", "key", "need"]
    missing = [c for c in required if c not in data.columns]
    if missing:
        raise SchemaError(
            f"The mapping table lacks column(s) {missing}; it has {list(data.columns)}. It needs "
            "source (kano, driver, ipa, item, maxdiff, pain, implicit, association, behaviour), "
            "key (feature, item or code) and need (need id); label_en/label_zh are optional."
        )
    m = data.copy()
    for col in ("source", "key", "need"):
        blank = m[col].isna() | (m[col].astype(str).str.strip() == "")
        if blank.any():
            rows = (np.flatnonzero(blank.to_numpy()) + 1).tolist()[:10]
            raise DataError(f"The mapping table has an empty {col!r} in row(s) {rows}; fill it.")
        m[col] = m[col].astype(str).str.strip()
    m["source"] = m["source"].str.lower()
    bad = sorted(set(m["source"]) - set(SOURCES))
    if bad:
        raise DataError(
            f"The mapping table's column 'source' has unknown value(s) {bad}; use one of "
            f"{list(SOURCES)}."
        )
    dup = m.duplicated(["source", "key"], keep=False)
    if dup.any():
        pairs = m.loc[dup, ["source", "key", "need"]].drop_duplicates()
        clash = pairs.groupby(["source", "key"])["need"].nunique()
        clash = clash[clash > 1]
        if len(clash):
            shown = [f"{s}:{k}" for s, k in clash.index[:10]]
            raise DataError(
                f"The mapping table links {shown} to more than one need; a key belongs to one "
                "need (split the key or merge the needs)."
            )
        m = m.drop_duplicates(["source", "key"])
    for col in ("label_en", "label_zh"):
        if col not in m.columns:
            m[col] = np.nan
    labels = m.groupby("need", sort=False)[["label_en", "label_zh"]].nunique()
    clash_labels = labels[(labels > 1).any(axis=1)]
    if len(clash_labels):
        raise DataError(
            f"Need id(s) {list(clash_labels.index[:10])} carry different labels in the mapping "
            "table: a need id has one label per language (duplicate need ids?)."
        )
    return m


def _need_values(obj: Any, name: str, needs: pd.Index) -> pd.Series | None:
    """A per-need attribute (cost, feasibility) from a Series, mapping or table with need."""
    if obj is None:
        return None
    if isinstance(obj, pd.DataFrame):
        if "need" not in obj.columns or name not in obj.columns:
            raise SchemaError(
                f"{name}= as a table needs columns 'need' and {name!r}; it has {list(obj.columns)}."
            )
        if obj["need"].duplicated().any():
            dups = obj.loc[obj["need"].duplicated(), "need"].astype(str).tolist()[:10]
            raise DataError(f"{name}= lists need id(s) {dups} more than once.")
        s = pd.Series(obj[name].to_numpy(), index=obj["need"].astype(str))
    elif isinstance(obj, Mapping):
        s = pd.Series(dict(obj))
        s.index = s.index.astype(str)
    elif isinstance(obj, pd.Series):
        s = obj.copy()
        s.index = s.index.astype(str)
    else:
        raise ConfigError(
            f"{name}= must be a Series or mapping need -> value, or a table with need and "
            f"{name}; got {type(obj).__name__}."
        )
    if not pd.api.types.is_numeric_dtype(s):
        num = pd.to_numeric(s, errors="coerce")
        bad_text = num.isna() & s.notna()
        if bad_text.any():
            raise DataError(
                f"{name}= must be numeric; need(s) {list(s.index[bad_text][:10])} have "
                f"{s[bad_text].tolist()[:10]}: give numbers (or leave them empty)."
            )
        s = num
    bad = s[~np.isfinite(s.to_numpy(dtype=float, na_value=np.nan)) & s.notna()]
    if len(bad):
        raise DataError(f"{name}= has non-finite values for need(s) {list(bad.index[:10])}.")
    if name == "cost" and (s <= 0).any():
        raise DataError(
            f"cost= must be > 0; need(s) {list(s.index[s <= 0][:10])} have "
            f"{s[s <= 0].tolist()[:10]}. A need that costs nothing is not a planning choice: "
            "give its real (small) cost."
        )
    unknown = sorted(set(s.index) - set(needs))
    if unknown:
        raise DataError(
            f"{name}= names need id(s) {unknown[:10]} that the mapping does not have; "
            f"known needs: {list(needs[:20])}."
        )
    return s.reindex(needs).astype(float)


# -------------------------------------------------------------------------------- reasons
_REASON = {
    "en": {
        "kano": "{cat} need (Kano {code}, worse {worse:.2f}, better {better:.2f})",
        "pain": "{freq:.1%} of feedback names it (severity {sev:.1f})",
        "driver": "drives {share:.0%} of explained satisfaction",
        "ipa": "IPA: {quadrant}",
        "opportunity": "opportunity {opp:.1f}",
        "maxdiff": "MaxDiff share {share:.1f}%",
        "segment": "most affected: {seg} ({segshare:.1%} of its feedback)",
        "rank": "rank {rank} of {n}",
        "none": "no evidence linked",
        "implicit": "implicit (inferred, not stated)",
    },
    "zh": {
        "kano": "{cat}需求 (Kano {code}，不满意系数 {worse:.2f}，满意系数 {better:.2f})",
        "pain": "{freq:.1%} 的反馈提及 (严重度 {sev:.1f})",
        "driver": "解释满意度的 {share:.0%}",
        "ipa": "IPA：{quadrant}",
        "opportunity": "机会分 {opp:.1f}",
        "maxdiff": "MaxDiff 偏好份额 {share:.1f}%",
        "segment": "受影响最大：{seg} (其反馈的 {segshare:.1%})",
        "rank": "第 {rank} / {n} 位",
        "none": "无关联证据",
        "implicit": "隐性需求 (推断，非明确表达)",
    },
}
_SEP = {"en": "; ", "zh": "；"}


def _reasons(t: pd.DataFrame, lang: str) -> list[str]:
    """One plain-language sentence per need, from the evidence present in its row."""
    words = _REASON[lang]
    out = []
    for row in t.to_dict("records"):
        parts = []
        if isinstance(row.get("kano_category"), str):
            code = row["kano_category"]
            parts.append(
                words["kano"].format(
                    cat=KANO_NAMES[lang].get(code, code),
                    code=code,
                    worse=row["worse"],
                    better=row["better"],
                )
            )
        if pd.notna(row.get("pain_frequency")) and row["pain_frequency"] > 0:
            parts.append(words["pain"].format(freq=row["pain_frequency"], sev=row["pain_severity"]))
        if pd.notna(row.get("driver_share")):
            parts.append(words["driver"].format(share=row["driver_share"]))
        if isinstance(row.get("ipa_quadrant"), str):
            parts.append(words["ipa"].format(quadrant=row["ipa_quadrant"]))
        if pd.notna(row.get("opportunity")):
            parts.append(words["opportunity"].format(opp=row["opportunity"]))
        if pd.notna(row.get("maxdiff_share")):
            parts.append(words["maxdiff"].format(share=row["maxdiff_share"]))
        if isinstance(row.get("top_segment"), str):
            parts.append(
                words["segment"].format(seg=row["top_segment"], segshare=row["top_segment_share"])
            )
        if not row["explicit"]:
            parts.append(words["implicit"])
        if not parts:
            parts.append(words["none"])
        parts.insert(0, words["rank"].format(rank=int(row["rank"]), n=len(t)))
        out.append(_SEP[lang].join(parts))
    return out


# ------------------------------------------------------------------------------- backlog
_AGG = {
    "better": "max",
    "worse": "min",
    "driver_share": "sum",
    "ipa_gap": "max",
    "opportunity": "max",
    "maxdiff_share": "sum",
    "pain_frequency": "sum",
}


def needs_backlog(
    data: pd.DataFrame | None = None,
    *,
    kano: Any = None,
    drivers: Any = None,
    ipa: Any = None,
    opportunity: Any = None,
    maxdiff: Any = None,
    pains: Any = None,
    segments: pd.DataFrame | None = None,
    feasibility: Any = None,
    cost: Any = None,
    method: Literal["weighted", "kano"] = "weighted",
    criteria: Any = None,
    scale: Literal["minmax", "rank", "z", "max"] = "minmax",
    lang: Lang = "en",
) -> BacklogResult:
    """Build the needs backlog: one row per need with its evidence, score, rank and reason.

    Each result given is read into evidence rows keyed by ``(source, key)``: Kano features
    (``source="kano"``), key-driver items (``"driver"``), IPA items (``"ipa"``), opportunity
    items (``"item"``), MaxDiff items (``"maxdiff"``) and pain codes (``"pain"``). The mapping
    table *data* links each key to a need; a need's evidence is pooled over its keys:

    - Kano: the most urgent category of its features (M before O before A before I, Berger et
      al. 1993), the largest *better* and the most negative *worse* coefficient;
    - drivers: the sum of the items' importance shares (shares of explained variance add up);
    - IPA: the quadrant and gap of the item with the largest gap (importance x performance gap);
    - opportunity: the largest Ulwick opportunity score of its items; MaxDiff: summed shares;
    - pains: frequency = the sum of its codes' shares of texts (an upper bound when one text
      carries several codes of one need), severity = their frequency-weighted mean severity,
      ``pain_score`` = frequency x severity; with a by-segment matrix, the segment with the
      highest frequency of the need's codes is ``top_segment``.

    Scoring (``method="weighted"``) uses :func:`~needlab.plan.priority.priority_table` over the
    criteria with evidence: ``kano_urgency`` (M 3, O 2, A 1, I/R/Q 0, times ``|worse|`` for M
    and O and ``better`` for A: an unmet basic need is urgent in proportion to the
    dissatisfaction its absence causes), ``importance`` (the MaxDiff share when
    given: it rates every need on one scale; else the driver share, which only needs with survey
    items have),
    ``gap`` (opportunity, else IPA gap), ``pain_score``, ``feasibility`` (benefit) and ``cost``
    (a cost criterion). A need without evidence for a criterion gets that criterion's worst
    normalised value (0 contribution), except pains: no mention means a pain score of 0. With
    ``method="kano"`` needs are ordered by Kano category first (M, O, A, I, R, Q) and by the
    weighted score within a category.

    Parameters
    ----------
    data : DataFrame, optional
        The mapping table: ``source``, ``key``, ``need`` and optionally ``label_en``,
        ``label_zh`` and ``explicit`` (True/False, overrides the rule below). Without it every
        input key is its own need.
    kano : KanoResult or DataFrame, optional
        :func:`needlab.kano` result (``feature``, ``category``, ``better``, ``worse``).
    drivers : DriverResult or DataFrame, optional
        :func:`needlab.key_drivers` result (``driver``, ``share``).
    ipa : IPAResult or DataFrame, optional
        :func:`needlab.ipa` result (``driver``, ``quadrant``, ``gap``).
    opportunity : PriorityResult or DataFrame, optional
        :func:`needlab.opportunity` result (``need`` = the item key, ``score``), linked with
        ``source="item"``.
    maxdiff : MaxDiffResult or DataFrame, optional
        :func:`needlab.maxdiff` result (``item``, ``share``).
    pains : PainMatrixResult or DataFrame, optional
        :func:`needlab.pain_matrix` result at code level (``code``, ``share``, ``severity``),
        optionally by segment (then ``top_segment`` is filled).
    segments : DataFrame, optional
        ``segment``, ``size`` (share of customers) and optionally ``value`` (share of revenue)
        for the ``top_segment_size`` and ``top_segment_value`` columns.
    feasibility, cost : Series, mapping or DataFrame, optional
        Per need: feasibility (higher is easier) and cost (> 0, a cost-type criterion).
    method : {"weighted", "kano"}
        Score ordering (see above).
    criteria : mapping, list or AhpResult, optional
        Criterion weights (names from the list above); default equal weights over the criteria
        with evidence. Weights are normalised to sum 1 (a note says so).
    scale : {"minmax", "rank", "z", "max"}
        Normalisation of the criteria (see :func:`~needlab.plan.priority.priority_table`).
    lang : {"en", "zh"}
        Language of ``label`` and ``reason``.

    Returns
    -------
    BacklogResult

    Raises
    ------
    ConfigError
        No evidence given, an unknown option or criterion.
    SchemaError, DataError
        A mapping or input table without its columns, a key linked to two needs, a need id with
        two labels, cost <= 0, attributes for unknown needs.

    Notes
    -----
    A need is **explicit** when any of its evidence is stated by customers (Kano, driver, IPA,
    survey items, MaxDiff, pain codes in what they wrote) and **implicit** when it rests only on
    inferred sources (``implicit``, ``association``, ``behaviour``), unless the mapping's
    ``explicit`` column says otherwise.

    Examples
    --------
    >>> import pandas as pd
    >>> kano = pd.DataFrame({"feature": ["lock", "app"], "category": ["M", "A"],
    ...                      "better": [0.2, 0.7], "worse": [-0.8, -0.2]})
    >>> mapping = pd.DataFrame({"source": ["kano", "kano"], "key": ["lock", "app"],
    ...                         "need": ["N1", "N2"], "label_en": ["Safe lock", "Smart app"],
    ...                         "label_zh": ["门锁安全", "智能应用"]})
    >>> needs_backlog(mapping, kano=kano).table[["need", "rank"]].to_dict("list")
    {'need': ['N1', 'N2'], 'rank': [1, 2]}
    """
    from needlab.plan.priority import priority_table

    check_option(lang, ("en", "zh"), "lang")
    check_option(method, ("weighted", "kano"), "method")
    inputs = [
        (kano, _kano),
        (drivers, _drivers),
        (ipa, _ipa),
        (opportunity, _opportunity),
        (maxdiff, _maxdiff),
    ]
    parts = [read(obj) for obj, read in inputs if obj is not None]
    by_segment = None
    if pains is not None:
        whole, by_segment = _pains(pains)
        parts.append(whole)
    if not parts:
        raise ConfigError(
            "needs_backlog needs evidence: pass at least one of kano=, drivers=, ipa=, "
            "opportunity=, maxdiff=, pains=."
        )
    evidence = pd.concat(parts, ignore_index=True)
    mapping = _mapping(data, evidence)
    given_sources = set(evidence["source"])
    linked = evidence.merge(mapping[["source", "key", "need"]], on=["source", "key"], how="left")
    unlinked_inputs = linked.loc[linked["need"].isna(), ["source", "key"]].assign(
        why="input key without a need in the mapping table"
    )
    have = set(zip(evidence["source"], evidence["key"], strict=True))
    missing_keys = mapping.loc[
        [
            (s in given_sources and (s, k) not in have)
            for s, k in zip(mapping["source"], mapping["key"], strict=True)
        ],
        ["source", "key"],
    ].assign(why="mapping key not found in the given input")
    unlinked = pd.concat([unlinked_inputs, missing_keys], ignore_index=True)
    linked = linked[linked["need"].notna()]

    needs = pd.Index(pd.unique(mapping["need"]), name="need")
    labels = mapping.groupby("need", sort=False)[["label_en", "label_zh"]].first().reindex(needs)
    labels = labels.astype(object)
    labels["label_en"] = labels["label_en"].fillna(pd.Series(needs, index=needs))
    labels["label_zh"] = labels["label_zh"].fillna(labels["label_en"])
    t = labels.reset_index()

    sources = linked.groupby("need")["source"].agg(lambda s: "+".join(sorted(set(s))))
    keys = linked.groupby("need")["key"].agg(lambda s: ", ".join(s))
    t["source"] = t["need"].map(sources).fillna("")
    t["keys"] = t["need"].map(keys).fillna("")
    stated = mapping.assign(stated=mapping["source"].map(SOURCES)).groupby("need")["stated"].any()
    t["explicit"] = t["need"].map(stated).astype(bool)
    if "explicit" in mapping.columns:
        override = mapping.dropna(subset=["explicit"]).groupby("need")["explicit"].first()
        bad = override[~override.astype(str).str.lower().isin(["true", "false", "1", "0"])]
        if len(bad):
            raise DataError(
                f"The mapping table's column 'explicit' has value(s) {bad.tolist()[:10]}; "
                "use true or false (or leave it empty)."
            )
        t.loc[t["need"].isin(override.index), "explicit"] = (
            t["need"].map(override.astype(str).str.lower().isin(["true", "1"])).dropna()
        )
        t["explicit"] = t["explicit"].astype(bool)

    # Evidence pooled per need.
    if "kano_category" in linked.columns:
        kano_rows = linked.dropna(subset=["kano_category"]).copy()
        kano_rows["order"] = kano_rows["kano_category"].map(KANO_ORDER).fillna(9)
        first = kano_rows.sort_values(["need", "order"]).groupby("need")["kano_category"].first()
        t["kano_category"] = t["need"].map(first)
        t["kano_need"] = t["kano_category"].map(KANO_NAMES[lang])
    for col, how in _AGG.items():
        if col in linked.columns:
            pooled = linked.dropna(subset=[col]).groupby("need")[col].agg(how)
            t[col] = t["need"].map(pooled)
    if "ipa_quadrant" in linked.columns:
        ipa_rows = linked.dropna(subset=["ipa_gap"]).sort_values("ipa_gap", ascending=False)
        t["ipa_quadrant"] = t["need"].map(ipa_rows.groupby("need")["ipa_quadrant"].first())
    if "pain_frequency" in linked.columns:
        prow = linked.dropna(subset=["pain_frequency"])
        sev = (prow["pain_severity"] * prow["pain_frequency"]).groupby(prow["need"]).sum()
        with np.errstate(invalid="ignore", divide="ignore"):
            t["pain_severity"] = t["need"].map(sev / prow.groupby("need")["pain_frequency"].sum())
        t["pain_frequency"] = t["pain_frequency"].fillna(0.0)
        t["pain_score"] = (t["pain_frequency"] * t["pain_severity"]).fillna(0.0)
    if by_segment is not None:
        seg = by_segment.merge(mapping[["source", "key", "need"]], on=["source", "key"])
        per = seg.groupby(["need", "segment"])["share"].sum().reset_index()
        per = per.sort_values(["need", "share"], ascending=[True, False]).drop_duplicates("need")
        per = per[per["share"] > 0].set_index("need")
        t["top_segment"] = t["need"].map(per["segment"])
        t["top_segment_share"] = t["need"].map(per["share"])
        if segments is not None:
            segs = _frame(segments, "segments", ["segment", "size"]).copy()
            segs["segment"] = segs["segment"].astype(str)
            segs = segs.set_index("segment")
            t["top_segment_size"] = t["top_segment"].map(segs["size"])
            if "value" in segs.columns:
                t["top_segment_value"] = t["top_segment"].map(segs["value"])
    elif segments is not None:
        raise ConfigError(
            "segments= sizes need a by-segment pain matrix to find each need's most affected "
            "segment: pass pains=pain_matrix(coded, by='segment')."
        )

    notes: list[str] = []
    for name, obj in (("cost", cost), ("feasibility", feasibility)):
        values = _need_values(obj, name, needs)
        if values is not None:
            t[name] = values.to_numpy()
            if values.isna().any():
                notes.append(
                    f"{name} is missing for need(s) {list(values.index[values.isna()][:10])}: "
                    "scored at the worst value of the criterion."
                )

    # Criteria.
    if "kano_category" in t.columns:
        base = t["kano_category"].map({"M": 3.0, "O": 2.0, "A": 1.0}).fillna(0.0)
        strength = np.where(
            t["kano_category"].isin(["M", "O"]), t["worse"].abs(), t["better"].abs()
        )
        t["kano_urgency"] = np.where(t["kano_category"].notna(), base * strength, np.nan)
    if "maxdiff_share" in t.columns:
        t["importance"] = t["maxdiff_share"] / 100.0
    elif "driver_share" in t.columns:
        t["importance"] = t["driver_share"]
    if "opportunity" in t.columns or "ipa_gap" in t.columns:
        gap = t.get("opportunity", pd.Series(np.nan, index=t.index))
        if "ipa_gap" in t.columns and gap.isna().all():
            gap = t["ipa_gap"]
        t["gap"] = gap
    available = [c for c in DEFAULT_CRITERIA if c in t.columns and t[c].notna().any()]
    names = available
    if criteria is None:
        weights_used: Any = dict.fromkeys(available, 1.0 / len(available))
        notes.append(f"Criteria weighted equally: {', '.join(available)}.")
    else:
        weights_used = criteria
        names = (
            list(getattr(criteria, "weights", criteria).keys())
            if not isinstance(criteria, (list, tuple))
            else list(criteria)
        )
        unknown = [c for c in names if c not in available]
        if unknown:
            raise ConfigError(
                f"criteria= names {unknown} that have no evidence in this backlog; available "
                f"criteria: {available} (give the inputs that feed them, e.g. cost=, kano=)."
            )
    used = [c for c in available if c in names]
    direction = {c: DEFAULT_CRITERIA[c] for c in used}
    scored = t[["need", *used]].copy()
    if "pain_score" in scored.columns:
        scored["pain_score"] = scored["pain_score"].fillna(0.0)
    priority = priority_table(
        scored,
        weights_used,
        direction=direction,
        scale=scale,
        missing="worst",
        lang=lang,
    )
    ptab = priority.table.set_index("need")
    t["score"] = t["need"].map(ptab["score"])
    if method == "kano" and "kano_category" in t.columns:
        order = t["kano_category"].map(KANO_ORDER).fillna(len(KANO_ORDER))
        t = t.assign(_o=order).sort_values(["_o", "score"], ascending=[True, False])
        t["rank"] = np.arange(1, len(t) + 1)
        t["tied"] = False
        t = t.drop(columns="_o")
    else:
        t["rank"] = t["need"].map(ptab["rank"]).astype(int)
        t["tied"] = t["need"].map(ptab["tied"]).astype(bool)
        t = t.sort_values(["rank", "need"], kind="stable")
    t = t.reset_index(drop=True)
    t["label"] = t[f"label_{lang}"]
    t["reason"] = _reasons(t, lang)
    notes.extend(priority.notes)
    if len(unlinked):
        notes.append(
            f"{len(unlinked)} input key(s) are not linked (see .unlinked): "
            + ", ".join(
                f"{s}:{k}" for s, k in zip(unlinked["source"], unlinked["key"], strict=True)
            )[:300]
        )
    n_excluded = int(len(unlinked_inputs))
    return BacklogResult(
        t,
        n_used=int(len(linked)),
        n_excluded=n_excluded,
        notes=tuple(notes),
        unlinked=unlinked.reset_index(drop=True),
        priority=priority,
        criteria=priority.criteria,
        lang=lang,
    )
