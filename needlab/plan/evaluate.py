"""What did the plan achieve? Before vs after per goal, difference-in-differences, evidence.

:func:`evaluate` measures every goal's KPI before and after (with :func:`~needlab.plan.monitor.
monitor`, so the change test is overlap-aware when an id links respondents and the status rule
is the monitor's), optionally against a control group (difference-in-differences), compares the
needs' evidence of two backlogs, and writes a short summary that seeds the next cycle.

**Difference-in-differences.** With a control group measured before and after, the effect is
``DiD = (after_t - before_t) - (after_c - before_c)``; the treated and control changes come from
different respondents, so ``SE(DiD) = sqrt(SE_t^2 + SE_c^2)`` (each SE from its change test) and
``z = DiD / SE`` is referred to the normal distribution (e.g. Angrist & Pischke 2009, ch. 5). It
assumes parallel trends: without the plan, both groups would have moved alike.

References
----------
Angrist, J. D., & Pischke, J.-S. (2009). *Mostly Harmless Econometrics*. Princeton University
Press.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import stats

from needlab._result import Result
from needlab._stats import z_value
from needlab._types import Lang, Weights
from needlab._validate import check_option
from needlab.errors import ConfigError, SchemaError
from needlab.plan.document import Plan
from needlab.plan.monitor import STATUS_LABELS, monitor

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from needlab.plan.backlog import BacklogResult

__all__ = ["EVIDENCE", "EvaluationResult", "evaluate"]

#: Backlog evidence compared per need, and the direction in which it improves.
EVIDENCE: dict[str, int] = {"pain_frequency": -1, "worse": 1, "driver_share": -1}
# worse is Berger's negative dissatisfaction coefficient (-1..0): it improves towards 0 (+1).


@dataclass(frozen=True, repr=False)
class EvaluationResult(Result):
    """Before vs after per goal (see :func:`evaluate`).

    Attributes
    ----------
    table : DataFrame
        One row per goal: ``goal``, ``kpi``, ``before``, ``before_ci_low``, ``before_ci_high``,
        ``after``, ``after_ci_low``, ``after_ci_high``, ``change``, ``se_change``, ``p``,
        ``test``, ``significant``, ``target``, ``status``, ``reason``; with a control group also
        ``control_change``, ``did``, ``did_se``, ``did_p``.
    evidence : DataFrame
        Per need and evidence column (``pain_frequency``, ``worse``, ``driver_share``):
        ``before``, ``after``, ``change``, ``improved``; empty without both backlogs.
    summary_text : str
        A short written summary in *lang*.
    next_backlog : tuple of str
        Need ids to carry into the next cycle: needs of goals not achieved and needs whose
        evidence got worse.
    monitor : MonitorResult
        The before/after monitor behind the table.
    """

    evidence: pd.DataFrame = field(default_factory=pd.DataFrame, kw_only=True)
    summary_text: str = field(default="", kw_only=True)
    next_backlog: tuple[str, ...] = field(default=(), kw_only=True)
    monitor: Any = field(default=None, kw_only=True)
    lang: str = field(default="en", kw_only=True)
    title = "Plan evaluation"

    def summary(self) -> dict[str, Any]:
        return {
            "goals": len(self.table),
            "significant changes": int(self.table["significant"].sum()),
            "achieved": int((self.table["status"] == "achieved").sum()),
            "next backlog": ", ".join(self.next_backlog),
        }

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"evaluation": self.table, "evidence": self.evidence}

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Before and after per goal (:func:`needlab.plan.plot_monitor.before_after`)."""
        from needlab.plan.plot_monitor import before_after

        return before_after(self, ax=ax, **kwargs)


def _split(data: Any, column: Hashable, *, control: bool) -> Any:
    frame = data.data if hasattr(data, "codebook") else data
    if column not in frame.columns:
        raise SchemaError(
            f"control={column!r} is not a column of before/after; pass a column that is true "
            "for the control group, or control=(control_before, control_after)."
        )
    mask = frame[column].fillna(False).astype(bool).to_numpy()
    return frame.loc[mask if control else ~mask]


def evaluate(
    data: Plan,
    before: Any,
    after: Any,
    *,
    control: Any = None,
    before_backlog: BacklogResult | None = None,
    after_backlog: BacklogResult | None = None,
    id: Hashable | None = None,
    weights: Weights = None,
    alpha: float = 0.05,
    ci: float = 0.95,
    lang: Lang = "en",
) -> EvaluationResult:
    """Evaluate a plan: each goal's KPI before vs after, with the change test and status.

    Parameters
    ----------
    data : Plan
    before, after : Survey or DataFrame
        The waves before and after the plan's actions.
    control : column name or (before, after) pair, optional
        A control group for difference-in-differences: a column of *before* and *after* that is
        true for control respondents (they are then left out of the treated change), or the
        control group's own before and after waves.
    before_backlog, after_backlog : BacklogResult, optional
        Needs backlogs of the two periods: their ``pain_frequency``, ``worse`` and
        ``driver_share`` are compared per need.
    id, weights, alpha, ci, lang
        As in :func:`~needlab.plan.monitor.monitor`.

    Returns
    -------
    EvaluationResult

    Raises
    ------
    ConfigError
        A bad *control* (not a column name or a pair), *lang*, *alpha* or *ci*.
    SchemaError
        As :func:`~needlab.plan.monitor.monitor`; a *control* column missing.
    """
    check_option(lang, ("en", "zh"), "lang")
    z = z_value(ci)
    treat_b, treat_a = before, after
    ctrl: tuple[Any, Any] | None = None
    if control is not None:
        if isinstance(control, (tuple, list)) and len(control) == 2:
            ctrl = (control[0], control[1])
        elif isinstance(control, Hashable) and not isinstance(control, tuple):
            ctrl = (_split(before, control, control=True), _split(after, control, control=True))
            treat_b = _split(before, control, control=False)
            treat_a = _split(after, control, control=False)
        else:
            raise ConfigError(
                "control= must be a column name (true for the control group) or a pair "
                "(control_before, control_after)."
            )
    opts: dict[str, Any] = {"id": id, "weights": weights, "alpha": alpha, "ci": ci, "lang": lang}
    m = monitor(data, {"before": treat_b, "after": treat_a}, **opts)
    t = m.table
    b = t[t["wave"] == "before"].set_index("goal")
    a = t[t["wave"] == "after"].set_index("goal")
    table = pd.DataFrame(
        {
            "goal": a.index,
            "kpi": a["kpi"].to_numpy(),
            "before": b["value"].to_numpy(),
            "before_ci_low": b["ci_low"].to_numpy(),
            "before_ci_high": b["ci_high"].to_numpy(),
            "after": a["value"].to_numpy(),
            "after_ci_low": a["ci_low"].to_numpy(),
            "after_ci_high": a["ci_high"].to_numpy(),
            "change": a["change"].to_numpy(),
            "se_change": a["se_change"].to_numpy(),
            "p": a["p"].to_numpy(),
            "test": a["test"].to_numpy(),
            "significant": a["significant"].to_numpy(),
            "target": a["target"].to_numpy(),
            "status": a["status"].to_numpy(),
            "reason": a["reason"].to_numpy(),
        }
    )
    notes = list(m.notes)
    if ctrl is not None:
        mc = monitor(data, {"before": ctrl[0], "after": ctrl[1]}, **opts)
        c = mc.table[mc.table["wave"] == "after"].set_index("goal").reindex(a.index)
        table["control_change"] = c["change"].to_numpy()
        did = table["change"] - table["control_change"]
        se = np.sqrt(table["se_change"] ** 2 + c["se_change"].to_numpy() ** 2)
        table["did"] = did
        table["did_se"] = se
        with np.errstate(invalid="ignore", divide="ignore"):
            table["did_p"] = 2 * stats.norm.sf(np.abs(did / se))
        table["did_ci_low"] = did - z * se
        table["did_ci_high"] = did + z * se
        notes.append(
            "did: difference-in-differences (treated change - control change), SE from the two "
            "independent changes, z test; it assumes parallel trends."
        )
    evidence = _evidence(before_backlog, after_backlog, notes)
    nxt = _next_backlog(data, table, evidence)
    text = _summary(table, evidence, nxt, lang)
    n_rows = sum(_rows(x) for x in (before, after))
    return EvaluationResult(
        table=table,
        n_used=m.n_used if ctrl is None or not isinstance(control, Hashable) else n_rows,
        n_excluded=0,
        notes=tuple(dict.fromkeys(notes)),
        evidence=evidence,
        summary_text=text,
        next_backlog=nxt,
        monitor=m,
        lang=lang,
    )


def _rows(x: Any) -> int:
    return len(x.data) if hasattr(x, "codebook") else len(x)


def _evidence(
    before: BacklogResult | None, after: BacklogResult | None, notes: list[str]
) -> pd.DataFrame:
    cols = ["need", "evidence", "before", "after", "change", "improved"]
    if before is None or after is None:
        if (before is None) != (after is None):
            notes.append("evidence: pass both before_backlog and after_backlog to compare needs.")
        return pd.DataFrame(columns=cols)
    tb = before.table.set_index("need")
    ta = after.table.set_index("need")
    only = sorted(set(tb.index) ^ set(ta.index))
    if only:
        notes.append(f"evidence: needs {only[:5]} are in one backlog only and are not compared.")
    common = [n for n in tb.index if n in ta.index]
    rows = []
    for col, sign in EVIDENCE.items():
        if col not in tb.columns or col not in ta.columns:
            continue
        vb = pd.to_numeric(tb.loc[common, col], errors="coerce")
        va = pd.to_numeric(ta.loc[common, col], errors="coerce")
        ok = vb.notna() & va.notna()
        for need in vb.index[ok]:
            ch = float(va[need] - vb[need])
            rows.append(
                {"need": need, "evidence": col, "before": float(vb[need]),
                 "after": float(va[need]), "change": ch, "improved": sign * ch > 0}
            )  # fmt: skip
    return pd.DataFrame(rows, columns=cols)


def _next_backlog(plan: Plan, table: pd.DataFrame, evidence: pd.DataFrame) -> tuple[str, ...]:
    open_goals = set(table.loc[table["status"] != "achieved", "goal"])
    needs: list[str] = []
    for g in plan.goals:
        if g.id in open_goals:
            needs += [n for n in g.needs if n not in needs]
    if len(evidence):
        worse = evidence.loc[~evidence["improved"].astype(bool) & (evidence["change"] != 0)]
        needs += [str(n) for n in worse["need"] if str(n) not in needs]
    return tuple(needs)


_WORDS = {
    "en": {
        "line": "{goal} ({kpi}): {b} -> {a} ({ch}{sig}); {status}.",
        "sig": ", significant",
        "ns": ", not significant",
        "improved": "Evidence improved for {n} need(s): {needs}.",
        "next": "Carry into the next plan (Plan.from_backlog on the new evidence): {needs}.",
        "none": "none",
    },
    "zh": {
        "line": "{goal} ({kpi})：{b} -> {a} ({ch}{sig})；{status}。",
        "sig": "，显著",
        "ns": "，不显著",
        "improved": "{n} 项需求的证据有所改善：{needs}。",
        "next": "建议纳入下一轮规划 (基于新证据使用 Plan.from_backlog)：{needs}。",
        "none": "无",
    },
}


def _summary(table: pd.DataFrame, evidence: pd.DataFrame, nxt: tuple[str, ...], lang: str) -> str:
    w = _WORDS[lang]
    lines = []
    for _, r in table.iterrows():  # one row per goal
        fmt = lambda v: "-" if pd.isna(v) else f"{v:.1f}"  # noqa: E731
        ch = "-" if pd.isna(r["change"]) else f"{r['change']:+.1f}"
        sig = "" if pd.isna(r["p"]) else (w["sig"] if r["significant"] else w["ns"])
        lines.append(
            w["line"].format(goal=r["goal"], kpi=r["kpi"], b=fmt(r["before"]), a=fmt(r["after"]),
                             ch=ch, sig=sig, status=STATUS_LABELS[lang][r["status"]])
        )  # fmt: skip
    if len(evidence):
        imp = sorted({str(n) for n in evidence.loc[evidence["improved"].astype(bool), "need"]})
        if imp:
            lines.append(w["improved"].format(n=len(imp), needs=", ".join(imp)))
    lines.append(w["next"].format(needs=", ".join(nxt) if nxt else w["none"]))
    return "\n".join(lines)
