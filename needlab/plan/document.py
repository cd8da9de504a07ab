"""The needs-development plan: goals measured by KPIs, actions with owners and a timetable.

A :class:`Plan` is a document, not an analysis result: it is written by people (or drafted from a
needs backlog with :meth:`Plan.from_backlog` for people to edit), stored as YAML (version 2 of the
``needlab_plan`` schema, see ``plan_interfaces.md`` and :meth:`Plan.from_yaml`), checked, drawn as
a timeline and rendered as the written plan (:meth:`Plan.to_markdown`, English or Chinese).

**Validation.** Every problem is a :class:`~needlab.errors.ConfigError` whose message starts with
the key path (``goals[1].target``: list positions count from 0, as in Python) and says how to fix
it; all problems of a file are reported together. Things that are allowed but worth a look (a
direction against the KPI's natural direction, an action that ends after the deadline of every
goal it serves, a goal without an action or without a target yet) are :attr:`Plan.notes`.

**Text.** Every text field is a plain string or a bilingual :class:`Text` (``{en: ..., zh: ...}``
in YAML); a view in one language falls back to the other when a translation is missing.

**Dates** are ISO ``YYYY-MM-DD`` (quoted or not in YAML); other formats are refused, never guessed.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import difflib
import html
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

import pandas as pd

from needlab._dates import parse_dates
from needlab._types import Lang
from needlab._validate import check_columns, check_count, check_option
from needlab._yaml import load_yaml
from needlab.errors import ConfigError, DataError
from needlab.plan.kpis import KPI_FAMILIES, kpi_label, parse_kpi

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["PLAN_VERSION", "Action", "Goal", "Need", "Plan", "Text"]

PLAN_VERSION = 2
"""The ``needlab_plan`` schema version this module reads and writes."""

Direction = Literal["increase", "decrease"]

# ----------------------------------------------------------------------------- labels

PLAN_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "goals": "Goals",
        "actions": "Actions",
        "kpis": "KPIs",
        "evidence": "Evidence from the needs backlog",
        "notes": "Notes",
        "goal": "Goal",
        "objective": "Objective",
        "kpi": "KPI",
        "baseline_target": "Baseline → target",
        "direction": "Direction",
        "deadline": "Deadline",
        "owner": "Owner",
        "needs": "Needs",
        "action": "Action",
        "description": "Description",
        "timetable": "Timetable",
        "resources": "Resources",
        "cost": "Cost (CNY)",
        "responsible": "Responsible",
        "rank": "Rank",
        "need": "Need",
        "score": "Score",
        "reason": "Reason",
        "segment": "Segment",
        "top_segment": "Most affected segment",
        "increase": "increase",
        "decrease": "decrease",
        "not_measured": "not measured",
        "not_set": "not set",
        "unit": "unit",
        "better_up": "better when it increases",
        "better_down": "better when it decreases",
        "used_by": "goals",
        "deadlines": "Goal deadlines",
        "no_goal": "(no goal)",
        "to_assign": "to be assigned",
        "unit:%": "%",
        "unit:points": "points",
        "unit:hours": "hours",
        "comma": ", ",
        "semicolon": "; ",
    },
    "zh": {
        "goals": "目标",
        "actions": "行动计划",
        "kpis": "关键绩效指标 (KPI)",
        "evidence": "需求清单证据摘要",
        "notes": "说明",
        "goal": "目标",
        "objective": "目标内容",
        "kpi": "KPI",
        "baseline_target": "基线 → 目标值",
        "direction": "方向",
        "deadline": "截止日期",
        "owner": "负责人",
        "needs": "关联需求",
        "action": "行动",
        "description": "行动内容",
        "timetable": "时间表",
        "resources": "资源",
        "cost": "成本 (元)",
        "responsible": "执行人",
        "rank": "排名",
        "need": "需求",
        "score": "得分",
        "reason": "理由",
        "segment": "细分群体",
        "top_segment": "受影响最大的细分群体",
        "increase": "提升",
        "decrease": "降低",
        "not_measured": "未测量",
        "not_set": "未设定",
        "unit": "单位",
        "better_up": "越高越好",
        "better_down": "越低越好",
        "used_by": "目标",
        "deadlines": "目标截止日期",
        "no_goal": "(无关联目标)",
        "to_assign": "待指定",
        "unit:%": "%",
        "unit:points": "分",
        "unit:hours": "小时",
        "comma": "，",
        "semicolon": "；",
    },
}
"""Headings and words of the written plan and its views by ``lang`` (the style of
:data:`needlab._i18n.TABLE_LABELS`)."""


# ----------------------------------------------------------------------------- values

# The key path of the entry being built (set while a YAML file is read), for messages.
_WHERE: contextvars.ContextVar[str | None] = contextvars.ContextVar("_WHERE", default=None)


@contextmanager
def _where(path: str) -> Iterator[None]:
    token = _WHERE.set(path)
    try:
        yield
    finally:
        _WHERE.reset(token)


def _path(kind: str, ident: Any, key: str) -> str:
    base = _WHERE.get() or f"{kind} {ident!r}"
    return f"{base}.{key}"


@dataclass(frozen=True)
class Text:
    """A bilingual text: ``Text(en="Faster delivery", zh="提升配送时效")``.

    Attributes
    ----------
    en, zh : str or None
        The English and Chinese text; at least one is given.
    """

    en: str | None = None
    zh: str | None = None

    def get(self, lang: Lang = "en") -> str:
        """The text in *lang*, else in the other language."""
        first, second = (self.zh, self.en) if lang == "zh" else (self.en, self.zh)
        return first if first is not None else (second or "")


TextLike = str | Text | Mapping[str, str]


def _text(value: Any, where: str, *, required: bool) -> str | Text | None:
    """A text field: a non-empty str or a {en, zh} mapping (unknown keys refused)."""
    if value is None:
        if required:
            raise ConfigError(f"{where}: missing; write a text, or {{en: ..., zh: ...}}.")
        return None
    if isinstance(value, Text):
        if value.en is None and value.zh is None:
            raise ConfigError(f"{where}: empty; give the text in en, zh or both.")
        return value
    if isinstance(value, str):
        if not value.strip():
            raise ConfigError(f"{where}: empty text; write the text, or remove the key.")
        return value
    if isinstance(value, Mapping):
        bad = [k for k in value if k not in ("en", "zh")]
        if bad:
            raise ConfigError(
                f"{where}: unknown language key {bad[0]!r}{_hint(str(bad[0]), ['en', 'zh'])}; "
                "a bilingual text has the keys en and zh only."
            )
        parts = {}
        for k in ("en", "zh"):
            v = value.get(k)
            if v is None:
                continue
            if not isinstance(v, str) or not v.strip():
                raise ConfigError(f"{where}.{k}: must be a non-empty text, got {v!r}.")
            parts[k] = v
        if not parts:
            raise ConfigError(f"{where}: empty; give the text in en, zh or both.")
        return Text(**parts)
    raise ConfigError(
        f"{where}: must be a text or {{en: ..., zh: ...}}, got {type(value).__name__} {value!r}."
    )


def _say(value: str | Text | None, lang: Lang) -> str:
    if value is None:
        return ""
    return value.get(lang) if isinstance(value, Text) else value


def _text_out(value: str | Text | None) -> Any:
    if isinstance(value, Text):
        return {k: v for k, v in (("en", value.en), ("zh", value.zh)) if v is not None}
    return value


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _date(value: Any, where: str) -> dt.date:
    """An ISO date: a ``datetime.date`` (YAML reads unquoted dates so) or 'YYYY-MM-DD' text."""
    if isinstance(value, dt.datetime) or isinstance(value, pd.Timestamp):
        raise ConfigError(
            f"{where}: {value!s} has a time of day; write the date only, as 'YYYY-MM-DD'."
        )
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            parsed = parse_dates(
                pd.Series([value.strip()]), column=where, date_format="%Y-%m-%d"
            ).iloc[0]
        except DataError:
            raise ConfigError(
                f"{where}: {value!r} is not a calendar date; fix the day or month."
            ) from None
        return cast(dt.date, parsed.date())
    if value is None:
        raise ConfigError(f"{where}: missing; write an ISO date 'YYYY-MM-DD', e.g. '2025-06-30'.")
    raise ConfigError(
        f"{where}: {value!r} is not an ISO date; write it as 'YYYY-MM-DD' (e.g. '2025-06-30'). "
        "Other formats are not read, so that day and month are never guessed."
    )


def _number(value: Any, where: str, *, required: bool = False, fix: str = "") -> float | None:
    if value is None:
        if required:
            raise ConfigError(f"{where}: missing; {fix or 'write a number'}.")
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(
            f"{where}: must be a number, got {type(value).__name__} {value!r}"
            + ("; write it without quotes." if isinstance(value, str) else ".")
        )
    x = float(value)
    if not math.isfinite(x):
        raise ConfigError(f"{where}: must be a finite number, got {value!r}.")
    return x


def _ident(value: Any, where: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)) or not str(value).strip():
        raise ConfigError(f"{where}: must be a non-empty id such as 'G1', got {value!r}.")
    return str(value).strip()


def _ids(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, Sequence) or isinstance(value, (str, bytes)):
        raise ConfigError(f"{where}: must be a list of ids such as [N01, N02], got {value!r}.")
    out = tuple(_ident(v, f"{where}[{i}]") for i, v in enumerate(value))
    dup = sorted({v for v in out if out.count(v) > 1})
    if dup:
        raise ConfigError(f"{where}: lists {', '.join(map(repr, dup))} twice; keep one each.")
    return out


def _opt_str(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ConfigError(f"{where}: must be a text, got {value!r}.")
    return str(value)


def _hint(key: str, valid: Sequence[str]) -> str:
    close = difflib.get_close_matches(key, list(valid), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _fmt_num(x: float | None) -> str:
    if x is None:
        return ""
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.4f}".rstrip("0").rstrip(".")


def _num_out(x: float | None) -> int | float | None:
    if x is None:
        return None
    return int(x) if float(x).is_integer() and abs(x) < 2**53 else float(x)


# ----------------------------------------------------------------------------- entries


@dataclass(frozen=True)
class Need:
    """A need a plan serves (the ``needs:`` list), with its backlog evidence when drafted.

    Attributes
    ----------
    id : str
        Need id (``N01``).
    label : str or Text, optional
        What the need is.
    score, rank : float, int, optional
        The backlog's score and rank (1 = first).
    reason : str or Text, optional
        The backlog's plain-language reason.
    top_segment : str, optional
        The segment most affected.
    """

    id: str
    label: str | Text | None = None
    score: float | None = None
    rank: int | None = None
    reason: str | Text | None = None
    top_segment: str | None = None

    def __post_init__(self) -> None:
        s = object.__setattr__
        s(self, "id", _ident(self.id, _path("need", self.id, "id")))
        s(self, "label", _text(self.label, _path("need", self.id, "label"), required=False))
        s(self, "score", _number(self.score, _path("need", self.id, "score")))
        rank = _number(self.rank, _path("need", self.id, "rank"))
        if rank is not None and (not rank.is_integer() or rank < 1):
            raise ConfigError(
                f"{_path('need', self.id, 'rank')}: must be a whole number >= 1, got {self.rank!r}."
            )
        s(self, "rank", None if rank is None else int(rank))
        s(self, "reason", _text(self.reason, _path("need", self.id, "reason"), required=False))
        s(self, "top_segment", _opt_str(self.top_segment, _path("need", self.id, "top_segment")))


@dataclass(frozen=True)
class Goal:
    """A goal: an objective measured by a KPI from a baseline to a target by a deadline.

    Attributes
    ----------
    id : str
        Goal id (``G1``).
    objective : str or Text
        What the goal achieves.
    kpi : str
        A name of the KPI vocabulary (:func:`~needlab.plan.kpis.parse_kpi`), stored canonically.
    baseline : float or None
        The KPI's value before the plan; ``None`` only with :attr:`baseline_note` saying when it
        will be measured.
    target : float or None
        The KPI's value to reach; on the side of the baseline that *direction* names. ``None``
        only while the baseline is unknown.
    deadline : datetime.date
        When the target is due.
    owner : str or Text
        Who answers for the goal.
    direction : {"increase", "decrease"}, optional
        Default: the KPI family's natural direction.
    needs : tuple of str
        Need ids the goal serves.
    kpi_label, unit : optional
        Override the vocabulary's label and unit (e.g. ``per 1,000 orders``).
    segment : str, optional
        The segment the KPI is measured in (default: everyone).
    baseline_note : str or Text, optional
        Required when the baseline is ``None``.
    """

    id: str
    objective: str | Text
    kpi: str
    baseline: float | None
    target: float | None
    deadline: dt.date
    owner: str | Text
    direction: Direction | None = None
    needs: tuple[str, ...] = ()
    kpi_label: str | Text | None = None
    unit: str | None = None
    segment: str | None = None
    baseline_note: str | Text | None = None

    def __post_init__(self) -> None:
        s = object.__setattr__
        ident = _ident(self.id, _path("goal", self.id, "id"))
        s(self, "id", ident)

        def at(key: str) -> str:
            return _path("goal", ident, key)

        s(self, "objective", _text(self.objective, at("objective"), required=True))
        if self.kpi is None or (isinstance(self.kpi, str) and not self.kpi.strip()):
            raise ConfigError(
                f"{at('kpi')}: missing; every goal is measured by a KPI of the vocabulary, "
                f"e.g. kpi: csat or kpi: top2:sat_de_speed ({', '.join(KPI_FAMILIES)})."
            )
        try:
            name = parse_kpi(self.kpi)
        except ConfigError as e:
            raise ConfigError(f"{at('kpi')}: {e}") from None
        s(self, "kpi", name.name)
        s(self, "kpi_label", _text(self.kpi_label, at("kpi_label"), required=False))
        s(self, "unit", _opt_str(self.unit, at("unit")))
        s(self, "segment", _opt_str(self.segment, at("segment")))
        s(self, "baseline_note", _text(self.baseline_note, at("baseline_note"), required=False))
        baseline = _number(self.baseline, at("baseline"))
        target = _number(self.target, at("target"))
        s(self, "baseline", baseline)
        s(self, "target", target)
        if baseline is None and self.baseline_note is None:
            raise ConfigError(
                f"{at('baseline')}: missing; write the KPI's measured value before the plan, or "
                "baseline: null together with baseline_note: saying when it will be measured "
                "(e.g. 'measure before start')."
            )
        if target is None and baseline is not None:
            raise ConfigError(
                f"{at('target')}: missing; a goal with a baseline needs the value to reach "
                f"(a number on the side of the baseline {_fmt_num(baseline)} that direction says)."
            )
        direction = self.direction if self.direction is not None else name.direction
        if direction not in ("increase", "decrease"):
            raise ConfigError(
                f"{at('direction')}: {direction!r} is not valid{_hint(str(direction), ['increase', 'decrease'])}; "
                "choose 'increase' or 'decrease' (or leave it out for the KPI's natural "
                f"direction, {name.direction!r})."
            )
        s(self, "direction", direction)
        spec = name.spec
        if self.unit is None or self.unit == spec.unit:
            for key, v in (("baseline", baseline), ("target", target)):
                if v is None:
                    continue
                low = spec.lower if spec.lower is not None else -math.inf
                high = spec.upper if spec.upper is not None else math.inf
                if not low <= v <= high:
                    rng = f"{_fmt_num(spec.lower) if spec.lower is not None else '-inf'}.."
                    rng += f"{_fmt_num(spec.upper) if spec.upper is not None else 'inf'}"
                    raise ConfigError(
                        f"{at(key)}: {_fmt_num(v)} is outside the range of {name.name} "
                        f"({rng} {spec.unit}); write the value in {spec.unit}, or give the "
                        "goal its own unit: if the KPI is measured on another scale."
                    )
        if baseline is not None and target is not None:
            wrong = target <= baseline if direction == "increase" else target >= baseline
            if wrong:
                want = "above" if direction == "increase" else "below"
                raise ConfigError(
                    f"{at('target')}: {_fmt_num(target)} is not {want} the baseline "
                    f"{_fmt_num(baseline)}, but direction is {direction!r}; set a target {want} "
                    "the baseline, or change direction."
                )
        s(self, "deadline", _date(self.deadline, at("deadline")))
        s(self, "owner", _text(self.owner, at("owner"), required=True))
        s(self, "needs", _ids(self.needs, at("needs")))

    @property
    def label(self) -> str | Text:
        """The KPI label: :attr:`kpi_label` or the vocabulary's (bilingual)."""
        if self.kpi_label is not None:
            return self.kpi_label
        return Text(en=kpi_label(self.kpi, lang="en"), zh=kpi_label(self.kpi, lang="zh"))

    def unit_in(self, lang: Lang = "en") -> str:
        """:attr:`unit_shown`, with the vocabulary's units translated to *lang*."""
        return PLAN_LABELS[lang].get(f"unit:{self.unit_shown}", self.unit_shown)

    @property
    def unit_shown(self) -> str:
        """:attr:`unit`, else the KPI family's unit."""
        return self.unit if self.unit is not None else parse_kpi(self.kpi).unit


@dataclass(frozen=True)
class Action:
    """An action: what is done, for which needs and goals, when, with what, by whom.

    Attributes
    ----------
    id : str
        Action id (``A1``).
    description : str or Text
        What is done.
    start, end : datetime.date
        The timetable; *end* is not before *start*.
    responsible : str or Text
        Who carries it out.
    needs, goals : tuple of str
        Linked need and goal ids (at least one link).
    resources : str or Text, optional
        Free text (staff, systems, partners).
    cost : float, optional
        Budget in CNY, >= 0.
    """

    id: str
    description: str | Text
    start: dt.date
    end: dt.date
    responsible: str | Text
    needs: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()
    resources: str | Text | None = None
    cost: float | None = None

    def __post_init__(self) -> None:
        s = object.__setattr__
        ident = _ident(self.id, _path("action", self.id, "id"))
        s(self, "id", ident)

        def at(key: str) -> str:
            return _path("action", ident, key)

        s(self, "description", _text(self.description, at("description"), required=True))
        start = _date(self.start, at("start"))
        end = _date(self.end, at("end"))
        if end < start:
            raise ConfigError(
                f"{at('end')}: {end.isoformat()} is before start {start.isoformat()}; "
                "fix the dates (swapped?) so that the action ends on or after its start."
            )
        s(self, "start", start)
        s(self, "end", end)
        s(self, "responsible", _text(self.responsible, at("responsible"), required=True))
        s(self, "needs", _ids(self.needs, at("needs")))
        s(self, "goals", _ids(self.goals, at("goals")))
        if not self.needs and not self.goals:
            raise ConfigError(
                f"{at('goals')}: the action links to no goal and no need; add goals: [G1] "
                "(and/or needs: [N01]) so that it can be traced."
            )
        s(self, "resources", _text(self.resources, at("resources"), required=False))
        cost = _number(self.cost, at("cost"))
        if cost is not None and cost < 0:
            raise ConfigError(f"{at('cost')}: {_fmt_num(cost)} is negative; a cost is >= 0 (CNY).")
        s(self, "cost", cost)


# ----------------------------------------------------------------------------- the schema

_TOP_KEYS = ("needlab_plan", "title", "source", "note", "needs", "goals", "actions")
_NEED_KEYS = tuple(f.name for f in fields(Need))
_GOAL_KEYS = tuple(f.name for f in fields(Goal))
_ACTION_KEYS = tuple(f.name for f in fields(Action))
_GOAL_REQUIRED = {
    "id": "give the goal an id such as G1",
    "objective": "write what the goal achieves",
    "kpi": "every goal is measured by a KPI of the vocabulary, e.g. kpi: csat",
    "baseline": "write the KPI's value before the plan, or baseline: null with baseline_note:",
    "deadline": "write the date the target is due, e.g. deadline: '2025-06-30'",
    "owner": "write who answers for the goal",
}
_ACTION_REQUIRED = {
    "id": "give the action an id such as A1",
    "description": "write what is done",
    "start": "write the start date, e.g. start: '2025-01-01'",
    "end": "write the end date, e.g. end: '2025-06-30'",
    "responsible": "write who carries it out",
}


def _unknown_keys(entry: Mapping[Any, Any], valid: Sequence[str], where: str) -> list[str]:
    out = []
    for key in entry:
        if key not in valid:
            prefix = f"{where}." if where else ""
            out.append(
                f"{prefix}{key}: unknown key{_hint(str(key), valid)}; valid keys: "
                f"{', '.join(valid)}."
            )
    return out


def _entries(raw: Any, name: str, problems: list[str]) -> list[tuple[str, Mapping[str, Any]]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.append(
            f"{name}: must be a list of entries (each starting with '- '), got {raw!r}."
        )
        return []
    out = []
    for i, entry in enumerate(raw):
        if not isinstance(entry, Mapping):
            problems.append(f"{name}[{i}]: must be a mapping of keys, got {entry!r}.")
            continue
        out.append((f"{name}[{i}]", entry))
    return out


def _build(
    cls: type[Any],
    items: list[tuple[str, Mapping[str, Any]]],
    valid: Sequence[str],
    required: Mapping[str, str],
    problems: list[str],
) -> list[Any]:
    built = []
    for where, entry in items:
        bad = _unknown_keys(entry, valid, where)
        missing = [f"{where}.{k}: missing; {fix}." for k, fix in required.items() if k not in entry]
        if bad or missing:
            problems += bad + missing
            continue
        try:
            with _where(where):
                built.append(cls(**entry))
        except ConfigError as e:
            problems.append(str(e))
    return built


def _raise(problems: list[str], origin: str = "") -> None:
    """One ConfigError listing every problem (prefixed with the plan's origin when given)."""
    if not problems:
        return
    prefix = f"plan {origin}: " if origin else ""
    if len(problems) == 1:
        raise ConfigError(f"{prefix}{problems[0]}")
    listed = "\n".join(f"  - {p}" for p in problems)
    raise ConfigError(f"{prefix}{len(problems)} problems:\n{listed}")


def _md(text: Any, *, line_start: bool = False) -> str:
    r"""Escape Markdown in user text: ``\ ` * _ [ ] < > | # ~ &`` and line-start markers."""
    s = " ".join(str(text).split())
    s = re.sub(r"([\\`*_\[\]<>|#~&])", r"\\\1", s)
    if line_start:
        s = re.sub(r"^([-+=])", r"\\\1", s)
        s = re.sub(r"^(\d+)([.)])", r"\1\\\2", s)
    return s


# ----------------------------------------------------------------------------- the plan


@dataclass(frozen=True, repr=False)
class Plan:
    """A needs-development plan: goals with KPIs, actions with a timetable, the needs served.

    Build it with :meth:`from_yaml` (the usual way), :meth:`from_backlog` (a draft) or directly
    from :class:`Goal`, :class:`Action` and :class:`Need` objects. Construction checks the whole
    plan: duplicate ids, goal and need ids that actions and goals link to (need ids are checked
    when ``needs`` is given), and collects :attr:`notes`.

    Attributes
    ----------
    goals : tuple of Goal
    actions : tuple of Action
    needs : tuple of Need
    title : str or Text
    note : str or Text, optional
    source : dict, optional
        Where the plan came from (free mapping, e.g. generator and seed).
    notes : tuple of str
        Findings that are allowed but worth a look (not written to YAML).

    Examples
    --------
    >>> plan = Plan.from_yaml('''
    ... needlab_plan: 2
    ... title: {en: Delivery plan, zh: 配送计划}
    ... goals:
    ... - {id: G1, objective: Faster delivery, kpi: top2:sat_de_speed, baseline: 54.4,
    ...    target: 64.4, deadline: 2025-06-30, owner: Head of logistics}
    ... actions:
    ... - {id: A1, description: Two regional warehouses, goals: [G1], start: 2024-05-01,
    ...    end: 2024-09-30, responsible: Logistics, cost: 1800000}
    ... ''')
    >>> plan.goals[0].direction, plan.actions[0].end.isoformat()
    ('increase', '2024-09-30')
    >>> Plan.from_yaml(plan.to_yaml()) == plan
    True
    """

    goals: tuple[Goal, ...]
    actions: tuple[Action, ...] = ()
    needs: tuple[Need, ...] = ()
    title: str | Text = "Needs development plan"
    note: str | Text | None = None
    source: Mapping[str, Any] | None = None
    notes: tuple[str, ...] = field(default=(), init=False, compare=False)

    def __post_init__(self) -> None:
        s = object.__setattr__
        problems: list[str] = []
        for name, cls in (("goals", Goal), ("actions", Action), ("needs", Need)):
            value = getattr(self, name)
            if value is None:
                value = ()
            if not isinstance(value, (list, tuple)) or not all(isinstance(v, cls) for v in value):
                raise ConfigError(
                    f"{name}: must be a list of {cls.__name__} objects (use Plan.from_yaml to "
                    "read a file)."
                )
            s(self, name, tuple(value))
        s(self, "title", _text(self.title, "title", required=True))
        s(self, "note", _text(self.note, "note", required=False))
        if self.source is not None and not isinstance(self.source, Mapping):
            raise ConfigError(
                f"source: must be a mapping (e.g. generator, seed), got {self.source!r}."
            )
        if not self.goals:
            problems.append("goals: the plan has no goal; add at least one goal.")
        for name in ("goals", "actions", "needs"):
            seen: dict[str, int] = {}
            for i, entry in enumerate(getattr(self, name)):
                if entry.id in seen:
                    problems.append(
                        f"{name}[{i}].id: duplicate id {entry.id!r} (also {name}[{seen[entry.id]}]); "
                        "give each entry its own id."
                    )
                else:
                    seen[entry.id] = i
        goal_ids = {g.id: g for g in self.goals}
        need_ids = {n.id for n in self.needs}
        linked: tuple[tuple[str, tuple[Goal | Action, ...]], ...] = (
            ("goals", self.goals),
            ("actions", self.actions),
        )
        for name, entries in linked:
            for i, entry in enumerate(entries):
                if need_ids:
                    for j, nid in enumerate(entry.needs):
                        if nid not in need_ids:
                            problems.append(
                                f"{name}[{i}].needs[{j}]: unknown need id {nid!r}"
                                f"{_hint(nid, sorted(need_ids))}; use an id of the needs: list "
                                f"({', '.join(sorted(need_ids))}) or add the need there."
                            )
        for i, action in enumerate(self.actions):
            for j, gid in enumerate(action.goals):
                if gid not in goal_ids:
                    problems.append(
                        f"actions[{i}].goals[{j}]: unknown goal id {gid!r}"
                        f"{_hint(gid, sorted(goal_ids))}; use an id of the goals "
                        f"({', '.join(sorted(goal_ids))})."
                    )
        _raise(problems)
        s(self, "notes", tuple(self._findings()))

    def _findings(self) -> list[str]:
        notes = []
        goal_ids = {g.id: g for g in self.goals}
        for i, g in enumerate(self.goals):
            natural = parse_kpi(g.kpi).direction
            if g.direction != natural:
                notes.append(
                    f"goals[{i}].direction: goal {g.id} aims to {g.direction} {g.kpi}, whose "
                    f"natural direction is {natural!r}; check that this is meant."
                )
            if g.target is None:
                notes.append(
                    f"goals[{i}].target: goal {g.id} has no target yet; set it once the baseline "
                    "is measured."
                )
            if not any(g.id in a.goals for a in self.actions):
                notes.append(f"goals[{i}]: goal {g.id} has no action linked to it.")
        for i, a in enumerate(self.actions):
            linked = [goal_ids[gid] for gid in a.goals if gid in goal_ids]
            if linked and all(a.end > g.deadline for g in linked):
                last = max(g.deadline for g in linked)
                notes.append(
                    f"actions[{i}].end: action {a.id} ends {a.end.isoformat()}, after the deadline "
                    f"of every goal it serves (latest {last.isoformat()}); its effect cannot count "
                    "by then: move the end or the deadline."
                )
        return notes

    # ------------------------------------------------------------------ YAML

    @classmethod
    def from_yaml(cls, path_or_text: str | Path) -> Plan:
        """Read and check a plan in YAML (``needlab_plan: 2``).

        Parameters
        ----------
        path_or_text : str or Path
            A file path (a ``Path``, or a one-line string naming an existing file or ending in
            ``.yaml``/``.yml``) or the YAML text itself.

        Returns
        -------
        Plan

        Raises
        ------
        ConfigError
            A missing file, invalid YAML, a duplicate key, or any schema problem; the message
            names the key path of each problem (``goals[1].target``, positions from 0) and the
            fix: a missing or wrong ``needlab_plan`` version, unknown keys (nearest valid key
            suggested), a goal without a KPI or baseline (``null`` only with
            ``baseline_note``), a KPI the vocabulary does not know, a target on the wrong side
            of the baseline or outside the KPI's range, a non-ISO date, an end before a start,
            a negative cost, duplicate ids, unknown goal or need ids.
        """
        text, origin = _read(path_or_text)
        import yaml

        try:
            data = load_yaml(text)
        except yaml.YAMLError as e:
            raise ConfigError(f"plan {origin}: not valid YAML: {e}") from None
        return cls._from_mapping(data, origin)

    @classmethod
    def _from_mapping(cls, data: Any, origin: str) -> Plan:
        if not isinstance(data, Mapping):
            raise ConfigError(
                f"plan {origin}: must be a YAML mapping with the keys {', '.join(_TOP_KEYS)}."
            )
        problems = _unknown_keys(data, _TOP_KEYS, "")
        version = data.get("needlab_plan")
        if version is None:
            _raise(
                [
                    "needlab_plan: missing; the first line of a plan is 'needlab_plan: 2' "
                    "(the schema version)."
                ],
                origin,
            )
        if version != PLAN_VERSION:
            fix = (
                " Version 1 nested actions inside goals and used free KPI names; convert the "
                "file: actions become a top-level list linked with goals: [G1], goal: becomes "
                "objective:, kpi: a name of the vocabulary (e.g. top2:sat_de_speed)."
                if version == 1
                else ""
            )
            _raise(
                [
                    f"needlab_plan: version {version!r} is not read; this needlab reads "
                    f"needlab_plan: {PLAN_VERSION}.{fix}"
                ],
                origin,
            )
        if "title" not in data:
            problems.append(
                "title: missing; write the plan's title (a text or {en: ..., zh: ...})."
            )
        needs = _build(
            Need,
            _entries(data.get("needs"), "needs", problems),
            _NEED_KEYS,
            {"id": "give the need an id"},
            problems,
        )
        goals = _build(
            Goal,
            _entries(data.get("goals"), "goals", problems),
            _GOAL_KEYS,
            _GOAL_REQUIRED,
            problems,
        )
        actions = _build(
            Action,
            _entries(data.get("actions"), "actions", problems),
            _ACTION_KEYS,
            _ACTION_REQUIRED,
            problems,
        )
        _raise(problems, origin)
        try:
            return cls(
                goals=tuple(goals),
                actions=tuple(actions),
                needs=tuple(needs),
                title=cast("str | Text", data.get("title")),
                note=data.get("note"),
                source=data.get("source"),
            )
        except ConfigError as e:
            raise ConfigError(f"plan {origin}: {e}") from None

    def to_dict(self) -> dict[str, Any]:
        """The plan as plain data in the order of the YAML schema (what :meth:`to_yaml` writes)."""
        out: dict[str, Any] = {"needlab_plan": PLAN_VERSION, "title": _text_out(self.title)}
        if self.source is not None:
            out["source"] = dict(self.source)
        if self.note is not None:
            out["note"] = _text_out(self.note)
        if self.needs:
            out["needs"] = [_entry_out(n) for n in self.needs]
        out["goals"] = [_entry_out(g) for g in self.goals]
        if self.actions:
            out["actions"] = [_entry_out(a) for a in self.actions]
        return out

    def to_yaml(self, path: str | Path | None = None) -> str:
        """The plan as YAML (``needlab_plan: 2``); also written to *path* (UTF-8) when given.

        ``Plan.from_yaml(plan.to_yaml()) == plan`` holds for every plan.

        Parameters
        ----------
        path : str or Path, optional
            File to write; its folder must exist.

        Returns
        -------
        str
            The YAML text.

        Raises
        ------
        ConfigError
            The folder of *path* does not exist.
        """
        import yaml

        text = yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True, width=100)
        if path is not None:
            p = Path(path)
            if not p.parent.is_dir():
                raise ConfigError(
                    f"path {str(p)!r}: the folder {str(p.parent)!r} does not exist; create it first."
                )
            p.write_text(text, encoding="utf-8")
        return text

    # ------------------------------------------------------------------ views

    def goals_table(self, *, lang: Lang = "en") -> pd.DataFrame:
        """One row per goal: goal, objective, kpi, kpi_label, unit, baseline, target, direction,
        deadline, owner, segment, needs (comma-separated), baseline_note; texts in *lang*."""
        check_option(lang, ("en", "zh"), "lang")
        rows = [
            {
                "goal": g.id,
                "objective": _say(g.objective, lang),
                "kpi": g.kpi,
                "kpi_label": _say(g.label, lang),
                "unit": g.unit_shown,
                "baseline": g.baseline,
                "target": g.target,
                "direction": g.direction,
                "deadline": pd.Timestamp(g.deadline),
                "owner": _say(g.owner, lang),
                "segment": g.segment,
                "needs": ", ".join(g.needs),
                "baseline_note": _say(g.baseline_note, lang) or None,
            }
            for g in self.goals
        ]
        table = pd.DataFrame(rows)
        for col in ("baseline", "target"):
            table[col] = table[col].astype(float)
        return table

    def actions_table(self, *, lang: Lang = "en") -> pd.DataFrame:
        """One row per action: action, description, start, end, days (inclusive), goals, needs,
        resources, cost, responsible; texts in *lang*."""
        check_option(lang, ("en", "zh"), "lang")
        cols = [
            "action",
            "description",
            "start",
            "end",
            "days",
            "goals",
            "needs",
            "resources",
            "cost",
            "responsible",
        ]
        rows = [
            {
                "action": a.id,
                "description": _say(a.description, lang),
                "start": pd.Timestamp(a.start),
                "end": pd.Timestamp(a.end),
                "days": (a.end - a.start).days + 1,
                "goals": ", ".join(a.goals),
                "needs": ", ".join(a.needs),
                "resources": _say(a.resources, lang) or None,
                "cost": a.cost,
                "responsible": _say(a.responsible, lang),
            }
            for a in self.actions
        ]
        table = pd.DataFrame(rows, columns=cols)
        table["cost"] = table["cost"].astype(float)
        return table

    def needs_table(self, *, lang: Lang = "en") -> pd.DataFrame:
        """One row per need: need, label, score, rank, reason, top_segment; texts in *lang*."""
        check_option(lang, ("en", "zh"), "lang")
        cols = ["need", "label", "score", "rank", "reason", "top_segment"]
        rows = [
            {
                "need": n.id,
                "label": _say(n.label, lang) or None,
                "score": n.score,
                "rank": n.rank,
                "reason": _say(n.reason, lang) or None,
                "top_segment": n.top_segment,
            }
            for n in self.needs
        ]
        table = pd.DataFrame(rows, columns=cols)
        table["score"] = table["score"].astype(float)
        table["rank"] = table["rank"].astype("Int64")
        return table

    def tables(self, *, lang: Lang = "en") -> dict[str, pd.DataFrame]:
        """The goals, actions and needs tables by name (for :meth:`to_excel`)."""
        return {
            "goals": self.goals_table(lang=lang),
            "actions": self.actions_table(lang=lang),
            "needs": self.needs_table(lang=lang),
        }

    def to_excel(self, path: str | Path, *, lang: Lang = "en") -> Path:
        """Write :meth:`tables` to an .xlsx file, one sheet each, formulas neutralised."""
        from needlab.io.export import to_excel

        return to_excel(self.tables(lang=lang), path, index=False)

    def timeline(
        self, *, by: Literal["owner", "goal"] = "owner", lang: Lang = "en", ax: Axes | None = None
    ) -> Axes:
        """Gantt-like chart: one bar per action, grouped (and coloured) by *by*, and one diamond
        per goal at its deadline. See :func:`needlab.plan.plot_timeline.timeline`."""
        from needlab.plan.plot_timeline import timeline

        return timeline(self, ax, by=by, lang=lang)

    def to_markdown(self, *, lang: Lang = "en") -> str:
        """The written needs-development plan in Markdown.

        Sections: the title and note; goals (objective, KPI label and name, baseline -> target
        with unit, direction, deadline, owner, linked needs); actions (timetable start - end,
        resources, cost, responsible, linked goals and needs); the KPI list (unit, natural
        direction, goals using it); an evidence summary when needs carry backlog evidence
        (rank, score, reason, most affected segment); the notes. Headings and words in *lang*;
        every user text has its Markdown characters escaped, so it cannot break the tables.

        Parameters
        ----------
        lang : {"en", "zh"}, default "en"

        Returns
        -------
        str
        """
        check_option(lang, ("en", "zh"), "lang")
        w = PLAN_LABELS[lang]
        out = [f"# {_md(_say(self.title, lang))}", ""]
        if self.note is not None:
            out += [_md(_say(self.note, lang), line_start=True), ""]
        out += [f"## {w['goals']}", ""]
        heads = ["goal", "objective", "kpi", "baseline_target", "direction", "deadline", "owner"]
        heads += ["needs"]
        out += _md_table([w[h] for h in heads], [self._goal_cells(g, lang) for g in self.goals])
        if self.actions:
            out += ["", f"## {w['actions']}", ""]
            heads = ["action", "description", "timetable", "resources", "cost", "responsible"]
            heads += ["goals", "needs"]
            rows = [
                [
                    _md(a.id),
                    _md(_say(a.description, lang)),
                    f"{a.start.isoformat()} – {a.end.isoformat()}",
                    _md(_say(a.resources, lang)),
                    _fmt_num(a.cost),
                    _md(_say(a.responsible, lang)),
                    _md(", ".join(a.goals)),
                    _md(", ".join(a.needs)),
                ]
                for a in self.actions
            ]
            out += _md_table([w[h] for h in heads], rows)
        out += ["", f"## {w['kpis']}", ""]
        used: dict[str, list[Goal]] = {}
        for g in self.goals:
            used.setdefault(g.kpi, []).append(g)
        sep = "：" if lang == "zh" else ": "
        for name, goals in used.items():
            k = parse_kpi(name)
            better = w["better_up"] if k.direction == "increase" else w["better_down"]
            out.append(
                f"- **{_md(k.label(lang))}** ({_md(name)}){sep}{w['unit']} "
                f"{_md(goals[0].unit_in(lang))}{w['comma']}{better}{w['semicolon']}"
                f"{w['used_by']} {_md(', '.join(g.id for g in goals))}"
            )
        evidence = [n for n in self.needs if n.score is not None or n.rank is not None]
        if evidence:
            out += ["", f"## {w['evidence']}", ""]
            evidence.sort(key=lambda n: (n.rank is None, n.rank or 0, n.id))
            heads = ["rank", "need", "score", "reason", "top_segment"]
            rows = [
                [
                    "" if n.rank is None else str(n.rank),
                    _md(n.id + (f" {_say(n.label, lang)}" if n.label is not None else "")),
                    "" if n.score is None else f"{n.score:.3g}",
                    _md(_say(n.reason, lang)),
                    _md(n.top_segment or ""),
                ]
                for n in evidence
            ]
            out += _md_table([w[h] for h in heads], rows)
        if self.notes:
            out += ["", f"## {w['notes']}", ""]
            out += [f"- {_md(n)}" for n in self.notes]
        return "\n".join(out) + "\n"

    def _goal_cells(self, g: Goal, lang: Lang) -> list[str]:
        w = PLAN_LABELS[lang]
        base = w["not_measured"] if g.baseline is None else _fmt_num(g.baseline)
        if g.baseline is None and g.baseline_note is not None:
            base += f" ({_say(g.baseline_note, lang)})"
        target = w["not_set"] if g.target is None else _fmt_num(g.target)
        return [
            _md(g.id),
            _md(_say(g.objective, lang)),
            f"{_md(_say(g.label, lang))} ({_md(g.kpi)})",
            _md(f"{base} → {target} {g.unit_in(lang)}".strip()),
            w[cast(str, g.direction)],
            g.deadline.isoformat(),
            _md(_say(g.owner, lang)),
            _md(", ".join(g.needs)),
        ]

    def _repr_html_(self) -> str:
        parts = [f"<h4>{html.escape(_say(self.title, 'en'))}</h4>"]
        parts.append(
            f"<p>{len(self.goals)} goals, {len(self.actions)} actions, {len(self.needs)} needs</p>"
        )
        if self.notes:
            parts.append("<p>" + "<br>".join(html.escape(n) for n in self.notes) + "</p>")
        for name, table in self.tables().items():
            if len(table):
                parts.append(f"<h5>{name}</h5>")
                parts.append(table.to_html(index=False, escape=True, na_rep=""))
        return "\n".join(parts)

    def __repr__(self) -> str:
        lines = [
            f"Plan {_say(self.title, 'en')!r}: {len(self.goals)} goals, "
            f"{len(self.actions)} actions, {len(self.needs)} needs"
        ]
        lines += [
            f"  {g.id} {g.kpi} {g.baseline} -> {g.target} by {g.deadline}" for g in self.goals
        ]
        lines += [f"  {a.id} {a.start} - {a.end} ({', '.join(a.goals)})" for a in self.actions]
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)

    # ------------------------------------------------------------------ drafting

    @classmethod
    def from_backlog(
        cls,
        backlog: Any,
        *,
        top: int = 5,
        deadline: str | dt.date,
        start: str | dt.date | None = None,
        owner: TextLike | None = None,
        lang: Lang = "en",
    ) -> Plan:
        """Draft a plan from the top needs of a backlog, for a person to edit.

        One goal per top need (``G1``, ``G2``, ... in rank order) and one placeholder action per
        goal (``A1``, ...). The KPI is the backlog's ``kpi`` column when it has one (checked
        against the vocabulary), else ``csat`` with a note that a person must choose it. The
        baselines are unknown: ``null`` with ``baseline_note`` "measure before start", and no
        target yet. The needs keep their evidence (label, score, rank, reason, most affected
        segment) for the evidence summary of :meth:`to_markdown`.

        Parameters
        ----------
        backlog : object with a ``.table``
            A :class:`~needlab.plan.backlog.BacklogResult` or any object whose ``table`` has
            the columns need, label_en, label_zh, score, rank, reason, top_segment (and
            optionally kpi).
        top : int, default 5
            How many needs (by rank, ties by need id; fewer when the backlog is shorter).
        deadline : str or date
            The goals' deadline and the actions' end (ISO date).
        start : str or date, optional
            The actions' start; default 26 weeks before *deadline* (no dependence on today).
        owner : str or {en, zh}, optional
            Owner of the goals and responsible for the actions; default "to be assigned".
        lang : {"en", "zh"}, default "en"
            The language the backlog's ``reason`` texts are written in (they are stored under
            that key); every text the draft writes itself is bilingual.

        Returns
        -------
        Plan

        Raises
        ------
        SchemaError
            The backlog table lacks a column (named).
        ConfigError
            *top* is not a whole number >= 1, a date is not ISO, *start* is after *deadline*,
            a ``kpi`` value is not in the vocabulary (the need is named), or the backlog has no
            needs or repeats a need id.
        """
        check_option(lang, ("en", "zh"), "lang")
        table = getattr(backlog, "table", None)
        if not isinstance(table, pd.DataFrame):
            raise ConfigError(
                "backlog: needs an object with a .table DataFrame (e.g. the result of "
                f"needs_backlog), got {type(backlog).__name__}."
            )
        cols = ["need", "label_en", "label_zh", "score", "rank", "reason", "top_segment"]
        check_columns(table, cols)
        top = check_count(top, "top", minimum=1)
        if table.empty:
            raise ConfigError("backlog: its table has no needs; nothing to plan.")
        ids = table["need"].astype(str)
        if ids.duplicated().any():
            raise ConfigError(
                f"backlog: need ids repeat ({', '.join(sorted(set(ids[ids.duplicated()])))}); "
                "one row per need."
            )
        end = _date(deadline, "deadline")
        begin = _date(start, "start") if start is not None else end - dt.timedelta(weeks=26)
        if begin > end:
            raise ConfigError(
                f"start: {begin.isoformat()} is after deadline {end.isoformat()}; pick an earlier start."
            )
        who = _text(owner, "owner", required=False) or Text(en="to be assigned", zh="待指定")
        ordered = table.assign(_id=ids).sort_values(
            ["rank", "_id"], kind="stable", na_position="last"
        )
        chosen = ordered.head(top)
        has_kpi = "kpi" in table.columns
        goals, actions, needs, placeholder = [], [], [], []
        for i, rec in enumerate(chosen.to_dict("records"), start=1):
            nid = str(rec["_id"])
            label_en = _clean(rec["label_en"]) or nid
            label_zh = _clean(rec["label_zh"]) or label_en
            kpi = _clean(rec["kpi"]) if has_kpi else None
            if kpi is None:
                kpi = "csat"
                placeholder.append(f"G{i}")
            else:
                try:
                    kpi = parse_kpi(kpi).name
                except ConfigError as e:
                    raise ConfigError(f"backlog: column 'kpi' of need {nid!r}: {e}") from None
            reason = _clean(rec["reason"])
            score = rec["score"]
            rank = rec["rank"]
            needs.append(
                Need(
                    id=nid,
                    label=Text(en=label_en, zh=label_zh),
                    score=None if pd.isna(score) else float(score),
                    rank=None if pd.isna(rank) else int(rank),
                    reason=None if reason is None else Text(**{lang: reason}),
                    top_segment=_clean(rec["top_segment"]),
                )
            )
            goals.append(
                Goal(
                    id=f"G{i}",
                    objective=Text(
                        en=f"Meet need {nid}: {label_en}", zh=f"满足需求 {nid}：{label_zh}"
                    ),
                    kpi=kpi,
                    baseline=None,
                    target=None,
                    deadline=end,
                    owner=who,
                    needs=(nid,),
                    baseline_note=Text(en="measure before start", zh="开始前先测量"),
                )
            )
            actions.append(
                Action(
                    id=f"A{i}",
                    description=Text(
                        en=f"To be defined: an action to meet need {nid} ({label_en})",
                        zh=f"待定：满足需求 {nid}（{label_zh}）的行动",
                    ),
                    start=begin,
                    end=end,
                    responsible=who,
                    needs=(nid,),
                    goals=(f"G{i}",),
                )
            )
        n = len(chosen)
        en = [
            f"Draft from the needs backlog (the top {n} of {len(table)} needs by rank) for a "
            "person to edit. Baselines are unknown: measure each KPI before the start, then set "
            "the targets."
        ]
        zh = [
            f"根据需求清单起草（按排名前 {n} 项，共 {len(table)} 项），请人工修改。基线未知：开始前先测量各 KPI，再设定目标值。"
        ]
        if placeholder:
            en.append(
                f"The KPI 'csat' of {', '.join(placeholder)} is a placeholder: a person must "
                "choose the KPI that measures each need."
            )
            zh.append(
                f"{'、'.join(placeholder)} 的 KPI 'csat' 仅为占位：须由人工为每项需求选择衡量指标。"
            )
        if n < top:
            en.append(f"The backlog has only {n} needs (top={top} asked).")
            zh.append(f"需求清单只有 {n} 项（要求 top={top}）。")
        return cls(
            goals=tuple(goals),
            actions=tuple(actions),
            needs=tuple(needs),
            title=Text(en="Needs development plan (draft)", zh="需求发展规划（草案）"),
            note=Text(en=" ".join(en), zh="".join(zh)),
            source={"drafted_from": type(backlog).__name__, "top": top},
        )


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    text = str(value).strip()
    return text or None


_TEXT_FIELDS = {
    "objective",
    "owner",
    "kpi_label",
    "baseline_note",
    "description",
    "responsible",
    "resources",
    "label",
    "reason",
}
_ORDER = {
    Need: ("id", "label", "score", "rank", "reason", "top_segment"),
    Goal: (
        "id",
        "objective",
        "kpi",
        "kpi_label",
        "baseline",
        "baseline_note",
        "target",
        "direction",
        "unit",
        "deadline",
        "owner",
        "segment",
        "needs",
    ),
    Action: (
        "id",
        "description",
        "needs",
        "goals",
        "start",
        "end",
        "resources",
        "cost",
        "responsible",
    ),
}


def _entry_out(entry: Need | Goal | Action) -> dict[str, Any]:
    """One entry as plain data; optional keys that are empty are left out (a goal always
    writes baseline and target, null or not)."""
    out: dict[str, Any] = {}
    for name in _ORDER[type(entry)]:
        v = getattr(entry, name)
        if name in _TEXT_FIELDS:
            v = _text_out(v)
        elif isinstance(v, dt.date):
            v = v.isoformat()
        elif isinstance(v, tuple):
            v = list(v) or None
        elif isinstance(v, float):
            v = _num_out(v)
        if v is None and not (isinstance(entry, Goal) and name in ("baseline", "target")):
            continue
        out[name] = v
    return out


def _read(path_or_text: str | Path) -> tuple[str, str]:
    if isinstance(path_or_text, Path):
        path = path_or_text
    elif isinstance(path_or_text, str):
        one_line = "\n" not in path_or_text
        looks = path_or_text.strip().lower().endswith((".yaml", ".yml"))
        if not (one_line and (looks or Path(path_or_text).is_file())):
            return path_or_text, "(text)"
        path = Path(path_or_text)
    else:
        raise ConfigError(
            f"Plan.from_yaml: needs a file path or YAML text, got {type(path_or_text).__name__}."
        )
    if not path.is_file():
        raise ConfigError(f"plan {str(path)!r}: file not found; check the path.")
    try:
        return path.read_text(encoding="utf-8"), repr(str(path))
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"plan {str(path)!r}: cannot be read as UTF-8 text ({e}).") from None


def _md_table(head: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return lines
