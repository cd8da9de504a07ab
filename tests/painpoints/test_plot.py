"""Tests of the pain-point plots: what is drawn equals what the pain matrix holds."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from needlab.errors import ConfigError, SchemaError  # noqa: E402
from needlab.painpoints.coding import code_text  # noqa: E402
from needlab.painpoints.matrix import pain_matrix  # noqa: E402
from needlab.painpoints.plot import PAIN_COLORS, journey_map, problem_tree, severity_matrix  # noqa: E402

# codes: 0 FUN.DOA + FUN.DEFECT | 1 FUN.DOA | 2 VAL.EXPENSIVE | 3 VAL + PRO.DELIVERY_LATE | 4 SER.RUDE | 5 none
TEXTS = [
    "到货就是坏的，外壳有划痕",
    "到货就是坏的",
    "价格太贵",
    "价格太贵，物流太慢",
    "客服态度很差",
    "很好用",
]
SEV = [3.0, 1.0, 2.0, 2.0, 1.0, np.nan]
SEG = ["a", "a", "a", "b", "b", "b"]


@pytest.fixture(scope="module")
def coded():
    c = code_text(pd.DataFrame({"text": TEXTS, "sev": SEV, "seg": SEG}), "text")
    # the order of the codes within a text is coding's business: compare sets
    assert [set(codes) for codes in c.table["codes"]] == [
        {"FUN.DOA", "FUN.DEFECT"},
        {"FUN.DOA"},
        {"VAL.EXPENSIVE"},
        {"PRO.DELIVERY_LATE", "VAL.EXPENSIVE"},
        {"SER.RUDE"},
        set(),
    ]
    return c


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _bars(ax):
    """(y, width, colour) of the horizontal bars, top first."""
    out = [
        (p.get_y() + p.get_height() / 2, p.get_width(), to_hex(p.get_facecolor()))
        for p in ax.patches
    ]
    return sorted(out, key=lambda r: -r[0])


def _ticks(ax, axis="y"):
    ticks = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    return [t.get_text() for t in ticks]


def test_problem_tree_bars_equal_table(coded):
    pm = pain_matrix(coded, severity="sev")
    ax = problem_tree(pm)
    bars = _bars(ax)
    # five codes -> five bars (the pain-type headings have none), blocks in type order
    assert len(bars) == 5
    assert [w for _, w, _ in bars] == pytest.approx([2 / 6, 1 / 6, 1 / 6, 1 / 6, 2 / 6])
    assert [c for _, _, c in bars] == [
        PAIN_COLORS[p] for p in ("functional", "functional", "service", "process", "value")
    ]
    assert list(ax.get_yticks()) == list(range(8, -1, -1))  # first label on top
    labels = _ticks(ax)
    assert labels == [
        "functional (3 mentions)",
        "  FUN.DOA Dead or broken on arrival",
        "  FUN.DEFECT Visible defect / poor finish",
        "service (1 mentions)",
        "  SER.RUDE Rude or poor attitude",
        "process (1 mentions)",
        "  PRO.DELIVERY_LATE Late or slow delivery",
        "value (2 mentions)",
        "  VAL.EXPENSIVE Price too high",
    ]
    bold = [t.get_fontweight() == "bold" for t in ax.get_yticklabels()]
    assert bold == [True, False, False, True, False, True, False, True, False]
    # each bar sits at the height of its own label
    ys = {t.get_text(): y for t, y in zip(ax.get_yticklabels(), ax.get_yticks(), strict=True)}
    assert bars[0][0] == pytest.approx(ys["  FUN.DOA Dead or broken on arrival"])
    assert bars[-1][0] == pytest.approx(ys["  VAL.EXPENSIVE Price too high"])
    assert ax.get_xlabel() == "share"


def test_problem_tree_top_and_value(coded):
    pm = pain_matrix(coded, severity="sev", severity_max=3)
    ax = problem_tree(pm, top=1, value="priority")
    bars = _bars(ax)
    assert len(bars) == 4  # one code per type
    t = pm.table.set_index("code")["priority"]
    assert [w for _, w, _ in bars] == pytest.approx(
        t[["FUN.DOA", "SER.RUDE", "PRO.DELIVERY_LATE", "VAL.EXPENSIVE"]].tolist()
    )
    # FUN.DOA: texts 0 (s 3) and 1 (s 1) of 6 -> 100 * (3 + 1) / (3 * 6)
    assert bars[0][1] == pytest.approx(100 * 4 / 18)
    assert "functional (2 mentions)" in _ticks(ax)
    assert ax.get_xlabel() == "priority"


def test_problem_tree_segment_of_a_by_result(coded):
    pm = pain_matrix(coded, by="seg")
    ax = problem_tree(pm, segment="b")
    # segment b: texts 3, 4, 5 -> SER, PRO, VAL at 1/3 each
    assert [w for _, w, _ in _bars(ax)] == pytest.approx([1 / 3] * 3)
    assert ax.get_title().endswith("(b)")
    with pytest.raises(ConfigError, match=r"by 'seg': pass segment= one of 'a', 'b'"):
        problem_tree(pm)
    with pytest.raises(ConfigError, match="segment='c' is not a value of 'seg'"):
        problem_tree(pm, segment="c")
    with pytest.raises(ConfigError, match="needs a result computed with by="):
        problem_tree(pain_matrix(coded), segment="a")


def test_journey_map_cells_equal_table(coded):
    pm = pain_matrix(coded, level="stage_type")
    ax = journey_map(pm)
    # stages in customer order, types in the fixed order
    assert _ticks(ax, "x") == ["purchase", "delivery", "after_sales"]
    assert _ticks(ax, "y") == ["functional", "service", "process", "value"]
    img = ax.get_images()[0].get_array()
    expected = np.array(
        [
            [0, 2 / 6, 0],  # functional at delivery: texts 0 and 1 (once each)
            [0, 0, 1 / 6],  # service at after_sales
            [0, 1 / 6, 0],  # process at delivery
            [2 / 6, 0, 0],
        ]
    )  # value at purchase
    assert np.asarray(img) == pytest.approx(expected)
    texts = sorted(t.get_text() for t in ax.texts)
    assert texts == sorted(["33.3%", "16.7%", "16.7%", "33.3%"])
    assert len(ax.figure.axes) == 2  # the heatmap and its colour bar
    assert ax.figure.axes[1].get_ylabel() == "share"


def test_journey_map_missing_value_is_not_annotated_as_zero(coded):
    sev = np.array([3.0, np.nan, 2.0, 2.0, np.nan, np.nan])  # SER.RUDE (text 4) has no severity
    pm = pain_matrix(coded, level="stage_type", severity=sev)
    assert np.isnan(
        pm.table.set_index(["stage", "pain_type"]).loc[("after_sales", "service"), "severity"]
    )
    ax = journey_map(pm, value="severity")
    assert sorted(t.get_text() for t in ax.texts) == [
        "2",
        "2",
        "3",
    ]  # three cells, not a fourth "0"
    with pytest.raises(ConfigError, match="level='stage_type'"):
        journey_map(pain_matrix(coded))
    with pytest.raises(SchemaError, match="value='rank'"):
        journey_map(pm, value="rank")


def test_severity_matrix_points_equal_table(coded):
    pm = pain_matrix(coded, severity="sev")
    ax = severity_matrix(pm)
    pts = ax.collections[0].get_offsets()
    t = pm.table
    assert np.asarray(pts) == pytest.approx(t[["share", "severity"]].to_numpy())
    sizes = ax.collections[0].get_sizes()
    assert sizes == pytest.approx(30 + 400 * t["n"] / t["n"].max())
    colours = [to_hex(c) for c in ax.collections[0].get_facecolors()]
    assert colours == [to_hex(PAIN_COLORS[p]) for p in t["pain_type"]]
    vline = [ln for ln in ax.lines if ln.get_xdata()[0] == ln.get_xdata()[1]][0]
    assert vline.get_xdata()[0] == pytest.approx(t["share"].median())
    # labels are the readable names (not the code ids)
    assert sorted(a.get_text() for a in ax.texts) == sorted(t["name"])
    assert len(severity_matrix(pm, label_top=2).texts) == 2
    # the result's own plot is this one
    assert np.asarray(pm.plot().collections[0].get_offsets()) == pytest.approx(np.asarray(pts))


def test_severity_matrix_by_segment_and_other_levels(coded):
    pm = pain_matrix(coded, by="seg", level="pain_type")
    ax = severity_matrix(pm)
    assert len(ax.collections) == 2
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]
    b = pm.table[pm.table["seg"] == "b"]
    assert np.asarray(ax.collections[1].get_offsets()) == pytest.approx(
        b[["share", "severity"]].to_numpy()
    )
    ax2 = severity_matrix(pain_matrix(coded, level="stage_type"))
    assert "delivery / functional" in [a.get_text() for a in ax2.texts]


def test_result_plot_kinds(coded):
    tree = pain_matrix(coded).plot(kind="tree")
    assert len(tree.patches) == 5
    journey = pain_matrix(coded, level="stage_type").plot(kind="journey")
    assert journey.get_images()
    with pytest.raises(ConfigError, match="problem_tree needs pain_matrix"):
        pain_matrix(coded, level="pain_type").plot(kind="tree")
    with pytest.raises(SchemaError, match="value='nope'"):
        problem_tree(pain_matrix(coded), value="nope")


# --- the plots of the other results -----------------------------------------------------------


def _bar_widths(ax) -> list[float]:
    return [p.get_width() for p in ax.patches]


def _labels(ax) -> list[str]:
    return [t.get_text() for t in ax.get_yticklabels()]


def test_code_frequencies_plot(coded):
    ax = coded.plot()
    try:
        # 5 codes mentioned; grouped by pain type (functional, service, process, value)
        labels = _labels(ax)  # top to bottom
        assert [lab.split()[0] for lab in labels] == [
            "FUN.DOA",
            "FUN.DEFECT",
            "SER.RUDE",
            "PRO.DELIVERY_LATE",
            "VAL.EXPENSIVE",
        ]
        # shares of the 6 codable texts, drawn bottom-up
        assert _bar_widths(ax) == pytest.approx([2 / 6, 1 / 6, 1 / 6, 1 / 6, 2 / 6])
        colours = [to_hex(p.get_facecolor()) for p in ax.patches]
        assert colours[0] == to_hex(PAIN_COLORS["functional"])
        assert colours[-1] == to_hex(PAIN_COLORS["value"])
        assert "6 codable texts" in ax.get_title()
    finally:
        plt.close("all")
    zh = coded.plot(lang="zh", top=2)
    try:
        assert len(zh.patches) == 2
    finally:
        plt.close("all")
    with pytest.raises(ConfigError, match="top"):
        coded.plot(top=0)


def test_coverage_plot(coded):
    cov = coded.coverage
    ax = cov.plot(top=3)
    try:
        labels = [lab.strip() for lab in _labels(ax)]
        assert labels[0] == "coded share" and labels[1:3] == ["zh", "all"]
        assert labels[3] == "uncoded zh texts containing"
        # 5 of 6 Chinese texts coded; the one uncoded text "很好用" has the bigrams 很好, 好用
        widths = _bar_widths(ax)
        assert widths[:2] == pytest.approx([5 / 6, 5 / 6])
        assert len(ax.patches) == 2 + len(cov.terms.head(3))
        assert widths[2:] == pytest.approx([1.0] * (len(widths) - 2))
        assert "83.3%" in ax.get_title()
    finally:
        plt.close("all")


def test_topic_plot():
    from needlab.painpoints.topics import discover_topics

    texts = ["battery dies fast battery drain"] * 6 + ["rude support agent rude"] * 4
    res = discover_topics(texts, n_topics=2, random_state=0)
    ax = res.plot(n_terms=2)
    try:
        assert _bar_widths(ax) == [6, 4]  # largest topic on top
        top = _labels(ax)[0]
        assert top.startswith("0: ") and "battery" in top and top.count(",") == 1
        assert [t.get_text() for t in ax.texts] == ["60%", "40%"]
    finally:
        plt.close("all")


def test_sentiment_plot():
    from needlab.painpoints.sentiment import sentiment

    res = sentiment(["很好", "very good", "质量不好", "还行吧", None])
    ax = res.plot(bins=10)
    try:
        heights = [p.get_height() for p in ax.patches]
        assert sum(heights) == res.n_used == 4  # every scored text in one stacked bin
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        shares = res.shares()
        assert legend == [f"{k} {100 * v:.0f}%" for k, v in shares.items()]
        xs = sorted(line.get_xdata()[0] for line in ax.lines)
        assert xs == pytest.approx([-res.threshold, res.threshold])
    finally:
        plt.close("all")
    with pytest.raises(ConfigError, match="bins"):
        res.plot(bins=1)


def test_agreement_plot():
    from needlab.painpoints.agreement import agreement

    a = [["price"], ["delivery", "service"], [], ["price"], ["service"], []]
    b = [["price"], ["delivery"], [], ["service"], ["service"], ["price"]]
    res = agreement(a, b)
    ax = res.plot()
    try:
        assert _labels(ax) == ["delivery", "price", "service", "(pooled)"]
        # one point per code and one for the pooled kappa, at the table's kappas
        pts = np.concatenate([c.get_offsets()[:, 0] for c in ax.collections[-2:]])
        assert sorted(pts) == pytest.approx(sorted(res.table["kappa"].dropna()))
        # the interval ends are the table's
        seg = ax.collections[0].get_segments()
        ends = sorted(float(s[:, 0].min()) for s in seg)
        t = res.table.dropna(subset=["kappa_ci_low"])
        assert ends == pytest.approx(sorted(t["kappa_ci_low"]))
    finally:
        plt.close("all")


def test_cross_validation_plot():
    from needlab.painpoints.textcoder import TextCoder

    texts = [
        "配网失败",
        "客服态度差",
        "配网一直失败",
        "客服不理人",
        "app crashes",
        "rude service",
    ] * 3
    labels = ["app", "service", "app", "service", "app", "service"] * 3
    res = TextCoder().cross_validate(texts, labels, cv=3, random_state=0)
    ax = res.plot()
    try:
        assert _labels(ax) == ["app (n=9)", "service (n=9)"]
        assert _bar_widths(ax) == pytest.approx(res.table["f1"].iloc[:2].tolist())
        xs = [line.get_xdata()[0] for line in ax.lines]
        assert xs == pytest.approx([res.micro_f1, res.macro_f1])
    finally:
        plt.close("all")


def test_code_frequencies_plot_pools_segments():
    df = pd.DataFrame(
        {"t": ["价格太贵", "物流太慢", "价格太贵，客服态度很差", "很好"], "s": list("aabb")}
    )
    ax = code_text(df, "t", by="s").plot()
    try:
        labels = [lab.get_text().split()[0] for lab in ax.get_yticklabels()]
        assert labels == ["SER.RUDE", "PRO.DELIVERY_LATE", "VAL.EXPENSIVE"]
        assert [p.get_width() for p in ax.patches] == pytest.approx([0.25, 0.25, 0.5])
    finally:
        plt.close("all")


# --- pain plots on hand-made pain matrices (independent of the taxonomy's contents) ------------

_TYPES4 = ("functional", "service", "process", "value")


def _matrix(
    rows: list[dict], *, lang: str = "en", severity_given: bool = True, by: str | None = None
):
    """A PainMatrixResult at level "code" built from rows (code, name, pain_type, n, severity)."""
    from needlab.painpoints.matrix import PainMatrixResult

    t = pd.DataFrame(rows)
    base = 400
    t["stage"] = t.get("stage", "use")
    t["base"] = base
    t["share"] = t["n"] / base
    t["priority"] = 100 * t["share"] * t["severity"] / 3
    t["priority_se"] = 0.5
    keys = [by] if by else []
    t = t.sort_values([*keys, "priority"], ascending=[True] * len(keys) + [False], kind="stable")
    t["rank"] = t.groupby(keys).cumcount() + 1 if by else np.arange(1, len(t) + 1)
    t["quadrant"] = "monitor"
    cols = [*keys, "code", "name", "pain_type", "stage", "n", "base", "share", "severity"]
    t = t[[*cols, "priority", "priority_se", "rank", "quadrant"]].reset_index(drop=True)
    return PainMatrixResult(
        t,
        n_used=base,
        n_excluded=0,
        level="code",
        by=by,
        severity_max=3.0,
        lang=lang,
        severity_given=severity_given,
    )


def _crowded(lang: str = "en", n: int = 20):
    """n codes with similar frequencies (40-47 of 400 texts) and severities (2 +- 0.05)."""
    rng = np.random.default_rng(7)
    zh = ["航班延误", "行李丢失", "退款迟迟不到账", "客服电话打不通", "排队时间太长", "收费不透明"]
    rows = [
        {
            "code": f"GEN.PAIN_{i:02d}",
            "name": (
                f"{zh[i % len(zh)]}{i}" if lang == "zh" else f"Long readable pain name {i:02d}"
            ),
            "pain_type": _TYPES4[i % 4],
            "n": int(rng.integers(40, 48)),
            "severity": float(2 + rng.normal(0, 0.05)),
        }
        for i in range(n)
    ]
    return _matrix(rows, lang=lang)


def _label_boxes(ax):
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    return [t for t in ax.texts], [t.get_window_extent(renderer) for t in ax.texts]


def _overlaps(boxes) -> list[tuple[int, int]]:
    return [
        (i, j)
        for i in range(len(boxes))
        for j in range(i)
        if boxes[i].x0 < boxes[j].x1
        and boxes[j].x0 < boxes[i].x1
        and boxes[i].y0 < boxes[j].y1
        and boxes[j].y0 < boxes[i].y1
    ]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_matrix_labels_of_a_crowded_matrix_do_not_overlap(lang):
    pm = _crowded(lang)
    ax = pm.plot(label_top=20)  # severity varies: the matrix
    assert len(ax.collections) == 1
    texts, boxes = _label_boxes(ax)
    assert _overlaps(boxes) == []
    # most points labelled, the highest priorities first, names (never code ids)
    drawn = [t.get_text() for t in texts]
    assert len(drawn) >= 16
    names = pm.table.sort_values("rank")["name"].tolist()
    assert drawn[:5] == names[:5]
    assert not any(d.startswith("GEN.") for d in drawn)
    if lang == "zh":
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in d) for d in drawn)
    # labels inside the axes and clear of the legend
    axbox = ax.get_window_extent(ax.figure.canvas.get_renderer())
    assert all(axbox.x0 <= b.x0 and b.x1 <= axbox.x1 for b in boxes)
    assert all(axbox.y0 <= b.y0 and b.y1 <= axbox.y1 for b in boxes)
    legend = ax.get_legend().get_window_extent(ax.figure.canvas.get_renderer())
    assert not any(0 in pair for pair in _overlaps([legend, *boxes]))


def test_matrix_moved_labels_get_leader_lines():
    pm = _crowded()
    ax = severity_matrix(pm, label_top=20)
    leaders = ax.lines[2:]  # after the two median lines
    assert leaders, "a crowded matrix moves some labels"
    points = {tuple(np.round(p, 9)) for p in pm.table[["share", "severity"]].to_numpy()}
    for line in leaders:  # each leader starts at a labelled point
        assert (round(line.get_xdata()[0], 9), round(line.get_ydata()[0], 9)) in points
    # an uncrowded matrix keeps its labels next to their points, without leaders
    few = _matrix(
        [
            {"code": "A", "name": "Waiting", "pain_type": "process", "n": 10, "severity": 1.0},
            {"code": "B", "name": "Rude staff", "pain_type": "service", "n": 60, "severity": 3.0},
        ]
    )
    ax2 = severity_matrix(few)
    assert len(ax2.lines) == 2 and sorted(t.get_text() for t in ax2.texts) == [
        "Rude staff",
        "Waiting",
    ]


def test_matrix_labels_on_a_small_user_axes_do_not_overlap():
    fig, grid = plt.subplots(2, 2, figsize=(8, 6))
    ax = severity_matrix(_crowded(), ax=grid[0, 1], label_top=20)
    _, boxes = _label_boxes(ax)
    assert boxes and _overlaps(boxes) == []


def test_matrix_legend_names_pain_types_in_lang():
    en = severity_matrix(_crowded("en"))
    assert [t.get_text() for t in en.get_legend().get_texts()] == list(_TYPES4)
    zh = severity_matrix(_crowded("zh"))
    assert [t.get_text() for t in zh.get_legend().get_texts()] == [
        "功能性",
        "服务性",
        "流程性",
        "价值性",
    ]
    assert zh.get_xlabel() != en.get_xlabel()
    with pytest.raises(ConfigError, match="label_top"):
        severity_matrix(_crowded(), label_top=-1)


_FREQ_ROWS = [
    {"code": "PRO.WAIT", "name": "Long wait", "pain_type": "process", "n": 30, "severity": 1.0},
    {"code": "SER.RUDE", "name": "Rude staff", "pain_type": "service", "n": 80, "severity": 1.0},
    {"code": "VAL.FEE", "name": "Hidden fees", "pain_type": "value", "n": 50, "severity": 1.0},
    {"code": "FUN.BROKEN", "name": None, "pain_type": "functional", "n": 10, "severity": 1.0},
]
_FREQ_ZH = {"PRO.WAIT": "等待太久", "SER.RUDE": "服务态度差", "VAL.FEE": "隐性收费"}


def test_frequency_chart_is_the_default_without_severity():
    pm = _matrix(_FREQ_ROWS, severity_given=False)
    ax = pm.plot()
    assert not ax.collections  # bars, not a scatter on one line
    bars = _bars(ax)
    # ranked, largest on top, widths = shares, coloured by pain type
    assert [w for _, w, _ in bars] == pytest.approx([80 / 400, 50 / 400, 30 / 400, 10 / 400])
    assert [c for _, _, c in bars] == [
        to_hex(PAIN_COLORS[p]) for p in ("service", "value", "process", "functional")
    ]
    # names, the code id only where the taxonomy has no name
    assert _ticks(ax) == ["Rude staff", "Hidden fees", "Long wait", "FUN.BROKEN"]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["functional", "service", "process", "value"]
    assert [t.get_text() for t in ax.texts] == ["20.0%", "12.5%", "7.5%", "2.5%"]
    assert "400 texts" in ax.get_title()
    # the matrix is still there on request
    assert len(pm.plot(kind="matrix").collections) == 1
    with pytest.raises(ConfigError, match="kind='pie'"):
        pm.plot(kind="pie")


def test_frequency_chart_in_chinese():
    rows = [{**r, "name": _FREQ_ZH.get(r["code"])} for r in _FREQ_ROWS]
    ax = _matrix(rows, lang="zh", severity_given=False).plot(top=3)
    assert _ticks(ax) == ["服务态度差", "隐性收费", "等待太久"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["服务性", "流程性", "价值性"]
    assert ax.get_legend().get_title().get_text() == "痛点类型"
    assert "400 条文本" in ax.get_title()


def test_auto_kind_follows_whether_severity_varies():
    const = _matrix(_FREQ_ROWS)  # a severity given, but the same for every code
    assert not const.plot().collections and len(const.plot().patches) == 4
    varied = _matrix([{**r, "severity": 1.0 + i} for i, r in enumerate(_FREQ_ROWS)])
    assert len(varied.plot().collections) == 1


def test_frequency_chart_by_segment_and_other_levels():
    rows = [
        {**r, "seg": seg, "n": r["n"] + (20 if seg == "web" and r["code"] == "PRO.WAIT" else 0)}
        for seg in ("app", "web")
        for r in _FREQ_ROWS[:3]
    ]
    pm = _matrix(rows, severity_given=False, by="seg")
    ax = pm.plot()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["app", "web"]
    assert _ticks(ax) == ["Rude staff", "Hidden fees", "Long wait"]
    assert len(ax.patches) == 6  # one bar per segment and pain
    one = pm.plot(segment="web", top=1)
    assert _ticks(one) == ["Rude staff"] and one.get_title().startswith(
        "Pain points by frequency (web)"
    )
    with pytest.raises(ConfigError, match="segment='x' is not a value of 'seg'"):
        pm.plot(segment="x")
    with pytest.raises(SchemaError, match="value='severity'"):
        pm.plot(kind="frequency", value="severity")
    # pain types and stages are drawn in the chosen language
    from needlab.painpoints.matrix import PainMatrixResult

    t = pd.DataFrame(
        {
            "stage": ["delivery", "after_sales"],
            "n": [40, 20],
            "base": 400,
            "share": [0.1, 0.05],
            "severity": 1.0,
            "priority": [10.0, 5.0],
            "priority_se": 1.0,
            "rank": [1, 2],
            "quadrant": "monitor",
        }
    )
    st = PainMatrixResult(
        t, n_used=400, n_excluded=0, level="stage", lang="zh", severity_given=False
    )
    ax = st.plot()
    assert _ticks(ax) == ["配送", "售后"] and ax.get_legend() is None
    assert _ticks(
        PainMatrixResult(t, n_used=400, n_excluded=0, level="stage", severity_given=False).plot()
    ) == [
        "delivery",
        "after sales",
    ]


def test_pain_matrix_keeps_lang_and_whether_severity_was_given():
    from needlab.painpoints.taxonomy import Taxonomy

    tx = Taxonomy(
        [
            {
                "id": "PRO.SLOW",
                "pain_type": "process",
                "stage": "delivery",
                "name": {"zh": "送货太慢", "en": "Slow delivery"},
                "keywords": {"zh": ["太慢"], "en": ["too slow"]},
            }
        ]
    )
    coded = code_text(["送货太慢了，很失望", "delivery was too slow, awful", "无"], taxonomy=tx)
    pm = pain_matrix(coded, lang="zh")
    assert pm.lang == "zh" and pm.severity_given is False
    assert pain_matrix(coded, severity=[1, 2, 3]).severity_given is True
    if len(pm.table):  # the coder may judge polarity; the names come from the taxonomy
        assert _ticks(pm.plot()) == ["送货太慢"]
