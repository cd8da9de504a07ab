"""The plan document (needlab.plan.document): YAML v2 schema, round trip, views, timeline,
Markdown, and the draft from a backlog."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest
import yaml
from matplotlib.patches import Rectangle

from needlab.errors import ConfigError, SchemaError
from needlab.plan.document import Action, Goal, Need, Plan, Text

matplotlib.use("Agg")

HERE = Path(__file__).parent
V2 = HERE / "data" / "plan_v2.yaml"
SAMPLE = HERE.parents[1] / "data" / "sample" / "plan.yaml"


@pytest.fixture(autouse=True)
def _close_figures() -> Any:
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    return yaml.safe_load(V2.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def plan() -> Plan:
    return Plan.from_yaml(V2)


CMO = {"en": "CMO", "zh": "市场总监"}
D = dt.date


def _any(value: Any) -> Any:
    return value


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


# ----------------------------------------------------------------------------- reading


def test_reads_the_v2_example(plan: Plan) -> None:
    assert [g.id for g in plan.goals] == ["G1", "G2", "G3"]
    assert [a.id for a in plan.actions] == ["A1", "A2", "A3", "A4"]
    assert [n.id for n in plan.needs] == ["N01", "N02", "N03"]
    g1, g2, g3 = plan.goals
    assert g1.objective == Text(en="Faster, more reliable delivery", zh="提升配送时效与可靠性")
    assert (g1.kpi, g1.baseline, g1.target, g1.direction) == (
        "top2:sat_de_speed",
        54.4,
        64.4,
        "increase",
    )
    assert g1.deadline == dt.date(2025, 6, 30)
    # direction left out: the KPI family's natural direction (resolution time: decrease)
    assert g2.direction == "decrease" and g2.unit is None and g2.unit_shown == "hours"
    assert g2.segment == "tier1"
    assert g3.baseline is None and g3.target is None and g3.owner == "Head of IoT platform"
    assert g3.unit == "per 1,000 orders"
    a1 = plan.actions[0]
    assert (a1.start, a1.end, a1.cost) == (dt.date(2024, 5, 1), dt.date(2024, 9, 30), 1_800_000)
    assert a1.goals == ("G1",) and a1.needs == ("N02",)
    assert plan.source == {"generator": "hand-written test plan", "seed": 0}


def test_from_yaml_takes_text_a_path_string_and_a_path(plan: Plan) -> None:
    assert Plan.from_yaml(V2.read_text(encoding="utf-8")) == plan
    assert Plan.from_yaml(str(V2)) == plan


def test_notes_flag_what_is_allowed_but_worth_a_look(plan: Plan) -> None:
    notes = "\n".join(plan.notes)
    assert "goals[2].target: goal G3 has no target yet" in notes
    # A4 ends 2025-10-31, after G3's deadline 2025-09-30
    assert "actions[3].end: action A4 ends 2025-10-31, after the deadline" in notes
    assert "latest 2025-09-30" in notes
    assert "A1" not in notes and "A3" not in notes  # within their goals' deadlines
    assert len(plan.notes) == 2


def test_a_direction_against_the_natural_one_is_a_note_not_an_error(raw: dict[str, Any]) -> None:
    data = copy.deepcopy(raw)
    # churn going up on purpose would be odd; csat going down too: a note
    data["goals"][0].update(direction="decrease", baseline=54.4, target=50.0)
    p = Plan.from_yaml(_dump(data))
    assert any(
        n.startswith("goals[0].direction:") and "natural direction is 'increase'" in n
        for n in p.notes
    )


def test_a_goal_without_action_is_noted(raw: dict[str, Any]) -> None:
    data = copy.deepcopy(raw)
    data["actions"] = [a for a in data["actions"] if a["id"] != "A3"]
    p = Plan.from_yaml(_dump(data))
    assert "goals[1]: goal G2 has no action linked to it." in p.notes


# ----------------------------------------------------------------------------- round trip


def test_round_trip_to_yaml_from_yaml(plan: Plan, tmp_path: Path) -> None:
    text = plan.to_yaml()
    again = Plan.from_yaml(text)
    assert again == plan
    assert again.to_yaml() == text  # stable
    assert again.notes == plan.notes
    path = tmp_path / "plan.yaml"
    assert plan.to_yaml(path) == text
    assert Plan.from_yaml(path) == plan
    data = yaml.safe_load(text)
    assert data["needlab_plan"] == 2
    assert data["goals"][2]["baseline"] is None and "target" in data["goals"][2]
    assert data["goals"][1]["direction"] == "decrease"  # the default is written out
    assert data["goals"][0]["deadline"] == "2025-06-30"  # a quoted ISO string
    assert data["actions"][2]["cost"] == 300000.5
    assert data["actions"][0]["cost"] == 1800000 and isinstance(data["actions"][0]["cost"], int)


def test_round_trip_of_a_plan_built_in_python() -> None:
    p = Plan(
        goals=(
            # text dates, a dict text and a list are coerced (typed loosely on purpose here)
            Goal("G1", "More promoters", "nps", -5, 10, _any("2026-01-31"), _any(CMO)),
        ),
        actions=(
            Action(
                "A1",
                "Referral programme",
                _any("2025-01-01"),
                _any("2025-12-31"),
                "Marketing",
                goals=_any(["G1"]),
            ),
        ),
        title="Plan",
    )
    assert p.goals[0].deadline == dt.date(2026, 1, 31)
    assert p.goals[0].owner == Text(en="CMO", zh="市场总监")
    assert Plan.from_yaml(p.to_yaml()) == p


def test_to_yaml_refuses_a_missing_folder(plan: Plan, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist; create it first"):
        plan.to_yaml(tmp_path / "nope" / "plan.yaml")


# ----------------------------------------------------------------------------- schema errors


def _set(path: str, value: Any) -> Any:
    """A mutation setting a dotted key path (``goals.0.target``); value ``...`` deletes it."""

    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = data
        for p in parents:
            node = node[int(p)] if p.isdigit() else node[p]
        key: Any = int(last) if last.isdigit() else last
        if value is ...:
            del node[key]
        else:
            node[key] = value

    return mutate


CASES: list[tuple[str, Any, tuple[str, ...]]] = [
    ("kpi missing", _set("goals.0.kpi", ...), ("goals[0].kpi: missing", "kpi: csat")),
    ("kpi null", _set("goals.0.kpi", None), ("goals[0].kpi: missing", "vocabulary")),
    (
        "kpi unknown",
        _set("goals.0.kpi", "top2_sat_de_speed"),
        ("goals[0].kpi:", "unknown KPI family", "did you mean 'top2:sat_de_speed'"),
    ),
    (
        "kpi argument missing",
        _set("goals.0.kpi", "top2"),
        ("goals[0].kpi:", "needs an argument", "top2:<item>"),
    ),
    (
        "baseline missing",
        _set("goals.0.baseline", ...),
        ("goals[0].baseline: missing", "baseline: null with baseline_note"),
    ),
    (
        "baseline null without note",
        _set("goals.0.baseline", None),
        ("goals[0].baseline: missing", "baseline_note", "measure before start"),
    ),
    (
        "baseline text",
        _set("goals.0.baseline", "54.4"),
        ("goals[0].baseline: must be a number", "without quotes"),
    ),
    (
        "target missing with a baseline",
        _set("goals.0.target", None),
        ("goals[0].target: missing", "baseline 54.4"),
    ),
    (
        "target below baseline, increase",
        _set("goals.0.target", 50),
        ("goals[0].target: 50 is not above the baseline 54.4", "change direction"),
    ),
    (
        "target equals baseline",
        _set("goals.0.target", 54.4),
        ("goals[0].target: 54.4 is not above the baseline 54.4",),
    ),
    (
        "target above baseline, decrease",
        _set("goals.1.target", 60),
        ("goals[1].target: 60 is not below the baseline 52", "'decrease'"),
    ),
    (
        "target outside the KPI range",
        _set("goals.0.target", 120),
        ("goals[0].target: 120 is outside the range of top2:sat_de_speed (0..100 %)", "unit:"),
    ),
    (
        "bad direction",
        _set("goals.0.direction", "up"),
        ("goals[0].direction: 'up' is not valid", "'increase' or 'decrease'"),
    ),
    (
        "deadline day first",
        _set("goals.0.deadline", "30/06/2025"),
        ("goals[0].deadline: '30/06/2025' is not an ISO date", "'YYYY-MM-DD'"),
    ),
    (
        "deadline not a day",
        _set("goals.0.deadline", "2025-02-30"),
        ("goals[0].deadline: '2025-02-30' is not a calendar date",),
    ),
    (
        "deadline with a time",
        _set("goals.0.deadline", dt.datetime(2025, 6, 30, 12, 0)),
        ("goals[0].deadline:", "has a time of day"),
    ),
    (
        "end before start",
        _set("actions.0.end", "2024-04-01"),
        ("actions[0].end: 2024-04-01 is before start 2024-05-01", "fix the dates"),
    ),
    (
        "start not ISO",
        _set("actions.1.start", "June 2024"),
        ("actions[1].start: 'June 2024' is not an ISO date",),
    ),
    (
        "unknown need id in a goal",
        _set("goals.0.needs", ["N99"]),
        ("goals[0].needs[0]: unknown need id 'N99'", "needs: list (N01, N02, N03)"),
    ),
    (
        "unknown need id in an action",
        _set("actions.2.needs", ["N3"]),
        ("actions[2].needs[0]: unknown need id 'N3'", "did you mean 'N03'?"),
    ),
    (
        "unknown goal id",
        _set("actions.0.goals", ["G9"]),
        ("actions[0].goals[0]: unknown goal id 'G9'", "(G1, G2, G3)"),
    ),
    (
        "duplicate goal id",
        _set("goals.1.id", "G1"),
        ("goals[1].id: duplicate id 'G1' (also goals[0])", "its own id"),
    ),
    (
        "duplicate action id",
        _set("actions.3.id", "A1"),
        ("actions[3].id: duplicate id 'A1' (also actions[0])",),
    ),
    (
        "duplicate need id",
        _set("needs.2.id", "N01"),
        ("needs[2].id: duplicate id 'N01' (also needs[0])",),
    ),
    (
        "need listed twice",
        _set("goals.0.needs", ["N02", "N02"]),
        ("goals[0].needs: lists 'N02' twice",),
    ),
    (
        "unknown goal key",
        _set("goals.0.tagret", 70),
        ("goals[0].tagret: unknown key (did you mean 'target'?)", "valid keys:"),
    ),
    (
        "unknown action key",
        _set("actions.0.responsable", "x"),
        ("actions[0].responsable: unknown key (did you mean 'responsible'?)",),
    ),
    ("unknown top key", _set("goal", []), ("goal: unknown key (did you mean 'goals'?)",)),
    (
        "unknown language key",
        _set("goals.0.owner", {"en": "x", "fr": "y"}),
        ("goals[0].owner: unknown language key 'fr'", "en and zh only"),
    ),
    (
        "empty text",
        _set("actions.0.description", ""),
        ("actions[0].description: empty text",),
    ),
    (
        "negative cost",
        _set("actions.0.cost", -5),
        ("actions[0].cost: -5 is negative", ">= 0"),
    ),
    (
        "action linked to nothing",
        lambda d: (d["actions"][0].pop("goals"), d["actions"][0].pop("needs")),
        ("actions[0].goals: the action links to no goal and no need", "goals: [G1]"),
    ),
    (
        "required action key missing",
        _set("actions.0.responsible", ...),
        ("actions[0].responsible: missing", "who carries it out"),
    ),
    ("version 1", _set("needlab_plan", 1), ("needlab_plan: version 1 is not read", "convert")),
    ("version 3", _set("needlab_plan", 3), ("needlab_plan: version 3 is not read",)),
    ("version missing", _set("needlab_plan", ...), ("needlab_plan: missing", "needlab_plan: 2")),
    ("title missing", _set("title", ...), ("title: missing",)),
    ("no goals", _set("goals", []), ("goals: the plan has no goal",)),
    ("goals not a list", _set("goals", {"id": "G1"}), ("goals: must be a list",)),
]


@pytest.mark.parametrize(("mutate", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_every_schema_error_names_the_key_path_and_the_fix(
    raw: dict[str, Any], mutate: Any, expected: tuple[str, ...]
) -> None:
    data = copy.deepcopy(raw)
    mutate(data)
    with pytest.raises(ConfigError) as e:
        Plan.from_yaml(_dump(data))
    msg = str(e.value)
    assert msg.startswith("plan (text)")
    for part in expected:
        assert part in msg, (part, msg)


def test_all_problems_are_reported_together(raw: dict[str, Any]) -> None:
    data = copy.deepcopy(raw)
    data["goals"][0]["target"] = 50
    data["actions"][0]["end"] = "2024-04-01"
    data["goals"][1]["tagret"] = 1
    with pytest.raises(ConfigError) as e:
        Plan.from_yaml(_dump(data))
    msg = str(e.value)
    assert "3 problems" in msg
    assert "goals[0].target" in msg and "actions[0].end" in msg and "goals[1].tagret" in msg


def test_duplicate_yaml_keys_are_refused() -> None:
    text = V2.read_text(encoding="utf-8").replace(
        "  target: 64.4\n", "  target: 64.4\n  target: 70\n"
    )
    with pytest.raises(
        ConfigError, match=r"duplicate key 'target' at line \d+ \(first at line \d+\)"
    ):
        Plan.from_yaml(text)


def test_a_file_error_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        Plan.from_yaml(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("needlab_plan: 2\ntitle: x\ngoals:\n- id: G1\n  kpi: cast\n", encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        Plan.from_yaml(bad)
    assert str(e.value).startswith(f"plan {str(bad)!r}")
    with pytest.raises(ConfigError, match="not valid YAML"):
        Plan.from_yaml("needlab_plan: 2\ngoals: [\n")
    with pytest.raises(ConfigError, match="must be a YAML mapping"):
        Plan.from_yaml("- a\n- b\n")


def test_errors_outside_yaml_name_the_entry() -> None:
    with pytest.raises(ConfigError, match=r"goal 'G1'\.target: 40 is not above the baseline 50"):
        Goal("G1", "x", "csat", 50, 40, D(2025, 1, 1), "me")
    with pytest.raises(ConfigError, match=r"action 'A1'\.end"):
        Action("A1", "x", D(2025, 2, 1), D(2025, 1, 1), "me", goals=("G1",))
    with pytest.raises(ConfigError, match=r"need 'N1'\.rank: must be a whole number >= 1"):
        Need("N1", rank=0)


# ----------------------------------------------------------------------------- tables


def test_goals_and_actions_tables(plan: Plan) -> None:
    g = plan.goals_table()
    assert list(g["goal"]) == ["G1", "G2", "G3"]
    assert g.loc[0, "kpi_label"] == "sat_de_speed, % top two boxes"
    assert g.loc[1, "kpi_label"] == "Median hours to resolution"  # the goal's own label
    assert g["baseline"].tolist()[:2] == [54.4, 52.0] and pd.isna(g["baseline"].iloc[2])
    assert g.loc[0, "deadline"] == pd.Timestamp("2025-06-30")
    assert plan.goals_table(lang="zh").loc[0, "owner"] == "物流负责人"
    a = plan.actions_table()
    assert list(a.columns) == [
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
    # 2024-05-01 .. 2024-09-30 inclusive: 31+30+31+31+30 days
    assert a.loc[0, "days"] == 153
    assert a["cost"].sum() == 1_800_000 + 600_000 + 300_000.5 + 500_000
    assert plan.actions_table(lang="zh").loc[0, "responsible"] == "物流部"
    n = plan.needs_table(lang="zh")
    assert n.loc[0, "label"] == "App 配网顺利"


def test_repr_html_is_escaped_and_deterministic(plan: Plan) -> None:
    p = Plan(goals=plan.goals, actions=plan.actions, needs=plan.needs, title="<script>x</script>")
    h = p._repr_html_()
    assert "<script>" not in h and "&lt;script&gt;" in h
    assert p._repr_html_() == h
    assert "G1" in h and "A4" in h


def test_to_excel_writes_goals_actions_and_needs(plan: Plan, tmp_path: Path) -> None:
    path = plan.to_excel(tmp_path / "plan.xlsx")
    sheets = pd.read_excel(path, sheet_name=None)
    assert set(sheets) == {"goals", "actions", "needs"}
    assert list(sheets["actions"]["action"]) == ["A1", "A2", "A3", "A4"]


# ----------------------------------------------------------------------------- timeline


def _bars(ax: Any) -> list[str]:
    return [p.get_gid() for p in ax.patches if (p.get_gid() or "").startswith("action:")]


def _legend(ax: Any) -> Any:
    legend = ax.get_legend()
    assert legend is not None
    return legend.get_texts()


def _milestones(ax: Any) -> Any:
    (line,) = [ln for ln in ax.get_lines() if ln.get_gid() == "milestones"]
    return line


@pytest.mark.parametrize("by", ["owner", "goal"])
def test_timeline_one_bar_per_action_and_one_milestone_per_goal(plan: Plan, by: Any) -> None:
    import matplotlib.dates as mdates

    ax = plan.timeline(by=by)
    assert sorted(_bars(ax)) == ["action:A1", "action:A2", "action:A3", "action:A4"]
    line = _milestones(ax)
    assert line.get_marker() == "D"
    xs = list(line.get_xdata())
    assert len(xs) == 3
    # diamonds at the end of each deadline day
    expected = [mdates.date2num(g.deadline + dt.timedelta(days=1)) for g in plan.goals]
    assert xs == pytest.approx(expected)
    # the A1 bar spans its start to the end of its end day
    (bar,) = [p for p in ax.patches if p.get_gid() == "action:A1" and isinstance(p, Rectangle)]
    assert bar.get_x() == pytest.approx(mdates.date2num(dt.date(2024, 5, 1)))
    assert bar.get_width() == pytest.approx(153)


def test_timeline_groups_and_axis_are_deterministic(plan: Plan) -> None:
    ax = plan.timeline()
    legend = [t.get_text() for t in _legend(ax)]
    assert legend == ["Logistics", "Customer service", "IoT platform"]
    lim = ax.get_xlim()
    assert plan.timeline().get_xlim() == lim
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks[0] == "Goal deadlines" and ticks[1].startswith("A1 ")
    zh = plan.timeline(by="goal", lang="zh", ax=plt.subplots()[1])
    assert [t.get_text() for t in _legend(zh)] == ["G1", "G2", "G3"]
    assert zh.get_yticklabels()[0].get_text() == "目标截止日期"


def test_timeline_bad_option(plan: Plan) -> None:
    with pytest.raises(ConfigError, match="by='segment' is not valid"):
        plan.timeline(by="segment")  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- markdown


def test_markdown_in_english(plan: Plan) -> None:
    md = plan.to_markdown()
    assert md.startswith("# Lumo Home needs development plan 2025\n")
    for part in (
        "## Goals",
        "## Actions",
        "## KPIs",
        "| G1 | Faster, more reliable delivery | sat\\_de\\_speed, % top two boxes",
        "54.4 → 64.4 %",
        "| increase | 2025-06-30 | Head of logistics | N02 |",
        "52 → 36 hours | decrease | 2025-12-31",
        "not measured (measure from feedback.csv before start) → not set per 1,000 orders",
        "| A1 | Add two regional warehouses (South, Southwest) | 2024-05-01 – 2024-09-30 | "
        "6 staff | 1,800,000 | Logistics | G1 | N02 |",
        "300,000.5",
        "- **Median time to resolution** (resolution\\_time): unit hours, better when it decreases; goals G2",
        "## Notes",
    ):
        assert part in md, part
    assert "Evidence" not in md  # no backlog evidence in a hand-written plan


def test_markdown_in_chinese(plan: Plan) -> None:
    md = plan.to_markdown(lang="zh")
    assert md.startswith("# Lumo 智家 2025 需求发展规划\n")
    for part in (
        "## 目标",
        "## 行动计划",
        "## 关键绩效指标 (KPI)",
        "| G1 | 提升配送时效与可靠性 | sat\\_de\\_speed 前两项占比 (%)",
        "| 提升 | 2025-06-30 | 物流负责人 | N02 |",
        "52 → 36 小时 | 降低 | 2025-12-31",
        "未测量 (开始前从 feedback.csv 测量) → 未设定",
        "| A1 | 新增华南、西南两个区域仓 | 2024-05-01 – 2024-09-30 | 6 人 | 1,800,000 | 物流部 |",
        "越低越好",
    ):
        assert part in md, part


def test_markdown_escapes_user_text() -> None:
    evil = "*bold* _it_ `code` [link](http://x) <b>x</b> a|b #1 ~s~ &amp; \\"
    p = Plan(
        goals=(Goal("G1", evil, "csat", 50, 60, D(2025, 6, 30), "- owner"),),
        actions=(
            Action(
                "A1", "row\n| injected | row |", D(2025, 1, 1), D(2025, 2, 1), "x", goals=("G1",)
            ),
        ),
        title="1. #Title *x*",
        note="- not a list item",
    )
    md = p.to_markdown()
    esc = (
        "\\*bold\\* \\_it\\_ \\`code\\` \\[link\\](http://x) \\<b\\>x\\</b\\> a\\|b \\#1 "
        "\\~s\\~ \\&amp; \\\\"
    )
    assert f"| G1 | {esc} |" in md
    assert "# 1. \\#Title \\*x\\*" in md
    assert "\n\\- not a list item\n" in md
    # the newline and pipes of the action cannot start a row or add cells
    (row,) = [ln for ln in md.splitlines() if ln.startswith("| A1 ")]
    assert "row \\| injected \\| row \\|" in row
    assert row.replace("\\|", "").count("|") == 9  # 8 cells


# ----------------------------------------------------------------------------- from_backlog


class _Backlog:
    """A hand-made stand-in for BacklogResult: only ``.table`` is read."""

    def __init__(self, table: pd.DataFrame) -> None:
        self.table = table


@pytest.fixture
def backlog() -> _Backlog:
    return _Backlog(
        pd.DataFrame(
            {
                "need": ["N03", "N01", "N02", "N04"],
                "label_en": ["Problem solved", "Smooth app pairing", "Delivery speed", "Quiet"],
                "label_zh": ["问题得到解决", "App 配网顺利", "配送速度", "安静"],
                "score": [0.61, 0.92, 0.75, 0.10],
                "rank": [3, 1, 2, 4],
                "reason": [
                    "basic need | unmet",
                    "worst basic need",
                    "expected need",
                    "indifferent",
                ],
                "top_segment": pd.Series(
                    ["Pragmatists", "Tech fans", None, "Pragmatists"], dtype=object
                ),
            }
        )
    )


def test_from_backlog_drafts_one_goal_and_action_per_top_need(backlog: _Backlog) -> None:
    p = Plan.from_backlog(
        backlog, top=3, deadline="2025-12-31", owner={"en": "PM", "zh": "产品经理"}
    )
    assert [g.needs for g in p.goals] == [("N01",), ("N02",), ("N03",)]  # by rank
    assert [g.id for g in p.goals] == ["G1", "G2", "G3"]
    g = p.goals[0]
    assert g.kpi == "csat" and g.baseline is None and g.target is None
    assert g.baseline_note == Text(en="measure before start", zh="开始前先测量")
    assert g.objective == Text(
        en="Meet need N01: Smooth app pairing", zh="满足需求 N01：App 配网顺利"
    )
    assert g.owner == Text(en="PM", zh="产品经理") and g.deadline == dt.date(2025, 12, 31)
    a = p.actions[0]
    assert (a.goals, a.needs) == (("G1",), ("N01",))
    assert a.end == dt.date(2025, 12, 31) and a.start == dt.date(2025, 12, 31) - dt.timedelta(
        weeks=26
    )
    assert [n.rank for n in p.needs] == [1, 2, 3]
    assert p.needs[0].score == 0.92 and p.needs[0].reason == Text(en="worst basic need")
    assert p.needs[1].top_segment is None
    assert isinstance(p.note, Text) and p.note.en is not None
    assert "a person must choose" in p.note.en and "G1, G2, G3" in p.note.en
    assert "top 3 of 4 needs" in p.note.en
    assert Plan.from_yaml(p.to_yaml()) == p


def test_from_backlog_uses_a_kpi_column(backlog: _Backlog) -> None:
    table = backlog.table.assign(
        kpi=pd.Series(
            ["top2:sat_as_solve", "complaint_rate:app_pairing", None, "csat"], dtype=object
        )
    )
    p = Plan.from_backlog(_Backlog(table), top=2, deadline="2025-12-31", start="2025-01-01")
    assert [g.kpi for g in p.goals] == ["complaint_rate:app_pairing", "csat"]
    assert [g.direction for g in p.goals] == ["decrease", "increase"]
    assert isinstance(p.note, Text) and p.note.en is not None
    assert "KPI 'csat' of G2 is a placeholder" in p.note.en
    assert p.actions[0].start == dt.date(2025, 1, 1)
    assert p.goals[0].owner == Text(en="to be assigned", zh="待指定")


def test_from_backlog_markdown_has_the_evidence_summary(backlog: _Backlog) -> None:
    p = Plan.from_backlog(backlog, top=2, deadline="2025-12-31")
    md = p.to_markdown()
    assert "## Evidence from the needs backlog" in md
    assert "| 1 | N01 Smooth app pairing | 0.92 | worst basic need | Tech fans |" in md
    assert "| 2 | N02 Delivery speed | 0.75 | expected need |  |" in md
    zh = p.to_markdown(lang="zh")
    assert (
        "## 需求清单证据摘要" in zh and "| 1 | N01 App 配网顺利 | 0.92 | worst basic need |" in zh
    )


def test_from_backlog_with_fewer_needs_than_top(backlog: _Backlog) -> None:
    p = Plan.from_backlog(backlog, top=10, deadline="2025-12-31")
    assert len(p.goals) == 4
    assert isinstance(p.note, Text) and "only 4 needs (top=10 asked)" in (p.note.en or "")


def test_from_backlog_bad_input(backlog: _Backlog) -> None:
    with pytest.raises(SchemaError, match="'reason'"):
        Plan.from_backlog(_Backlog(backlog.table.drop(columns="reason")), deadline="2025-12-31")
    with pytest.raises(ConfigError, match="top must be a whole number >= 1, got 0"):
        Plan.from_backlog(backlog, top=0, deadline="2025-12-31")
    with pytest.raises(ConfigError, match="deadline: '31/12/2025' is not an ISO date"):
        Plan.from_backlog(backlog, deadline="31/12/2025")
    with pytest.raises(ConfigError, match="start: 2026-01-01 is after deadline 2025-12-31"):
        Plan.from_backlog(backlog, deadline="2025-12-31", start="2026-01-01")
    bad_kpi = backlog.table.assign(kpi=pd.Series(["cast", None, None, None], dtype=object))
    with pytest.raises(ConfigError, match="column 'kpi' of need 'N03'.*did you mean 'csat'"):
        Plan.from_backlog(_Backlog(bad_kpi), deadline="2025-12-31")
    dup = backlog.table.assign(need=["N01", "N01", "N02", "N04"])
    with pytest.raises(ConfigError, match="need ids repeat \\(N01\\)"):
        Plan.from_backlog(_Backlog(dup), deadline="2025-12-31")
    with pytest.raises(ConfigError, match="needs an object with a .table DataFrame"):
        Plan.from_backlog(object(), deadline="2025-12-31")


# ----------------------------------------------------------------------------- the sample


def test_the_sample_plan_reads() -> None:
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    if data.get("needlab_plan") == 1:
        pytest.skip(
            "data/sample/plan.yaml is still needlab_plan: 1 (the generator is converted to v2)"
        )
    p = Plan.from_yaml(SAMPLE)
    assert p.goals and Plan.from_yaml(p.to_yaml()) == p
    ax = p.timeline()
    assert len(_bars(ax)) == len(p.actions)
    assert len(_milestones(ax).get_xdata()) == len(p.goals)
    assert all(g.id in p.to_markdown(lang="zh") for g in p.goals)
