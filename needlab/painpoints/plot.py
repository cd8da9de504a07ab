"""Plots of pain points: the problem tree, the journey map and the frequency-severity matrix of a
:class:`~needlab.painpoints.matrix.PainMatrixResult`, and one picture for every other pain-point
result (code frequencies, coverage, topics, sentiment, agreement, cross-validated F1).

matplotlib is imported inside each function (through :func:`needlab._plotting.axes`) so that
``import needlab`` stays light. The plots draw what a result holds; they compute no statistics.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from needlab._plotting import PALETTE, axes, get_renderer, place_labels
from needlab._validate import preview
from needlab.errors import ConfigError, SchemaError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from needlab.painpoints.agreement import AgreementResult
    from needlab.painpoints.coding import CodingResult, Coverage
    from needlab.painpoints.matrix import PainMatrixResult
    from needlab.painpoints.sentiment import SentimentResult
    from needlab.painpoints.textcoder import CrossValidationResult
    from needlab.painpoints.topics import TopicResult

__all__ = [
    "PAIN_COLORS",
    "SENTIMENT_COLORS",
    "STAGES",
    "code_frequencies",
    "coverage_bars",
    "f1_bars",
    "journey_map",
    "kappa_intervals",
    "pain_frequencies",
    "problem_tree",
    "sentiment_hist",
    "severity_matrix",
    "topic_sizes",
]

#: One colour per pain type, used by every pain-point plot.
PAIN_COLORS = {
    "functional": PALETTE[0],
    "service": PALETTE[1],
    "process": PALETTE[2],
    "value": PALETTE[3],
}
#: One colour per sentiment label.
SENTIMENT_COLORS = {"negative": PALETTE[3], "neutral": PALETTE[7], "positive": PALETTE[2]}
_OTHER = PALETTE[7]
#: Journey stages in customer order (unknown stages are drawn after these, in order of appearance).
STAGES = ("awareness", "purchase", "delivery", "installation", "use", "after_sales", "renewal")
_TYPES = tuple(PAIN_COLORS)
_VALUES = ("share", "severity", "priority", "n")


def _need(result: PainMatrixResult, level: str, plot: str, segment: Any = None) -> pd.DataFrame:
    """The rows to draw: one group of a result at *level* (one segment of a ``by=`` result)."""
    if result.level != level:
        raise ConfigError(
            f"{plot} needs pain_matrix(..., level={level!r}); this result has level={result.level!r}."
        )
    t = result.table
    if result.by is None:
        if segment is not None:
            raise ConfigError(f"segment={segment!r} needs a result computed with by=.")
        return t
    groups = list(dict.fromkeys(t[result.by]))
    if segment is None:
        raise ConfigError(
            f"{plot} draws one group; this result is by {result.by!r}: pass segment= one of "
            f"{preview(groups)}, or compute pain_matrix without by=."
        )
    if segment not in groups:
        raise ConfigError(
            f"segment={segment!r} is not a value of {result.by!r}; choose one of {preview(groups)}."
        )
    return t[t[result.by] == segment].reset_index(drop=True)


def _check_value(t: pd.DataFrame, value: str) -> None:
    if value not in _VALUES or value not in t.columns:
        raise SchemaError(
            f"value={value!r} is not a column to draw; choose one of {list(_VALUES)}."
        )


def _ordered(values: pd.Series, order: tuple[str, ...]) -> list[str]:
    seen = list(dict.fromkeys(values.astype(str)))
    return [v for v in order if v in seen] + [v for v in seen if v not in order]


_LABELS = {
    "en": {
        "pain type": "pain type",
        "freq_title": "Pain points by frequency",
        "share": "share of texts mentioning it",
        "priority": "priority (severity-weighted mentions per 100 texts)",
        "n": "texts mentioning it",
        "severity": "mean severity",
        "matrix_title": "Frequency x severity",
    },
    "zh": {
        "pain type": "痛点类型",
        "freq_title": "痛点频次排序",
        "share": "提及该痛点的文本占比",
        "priority": "优先级（按严重度加权的每百条文本提及数）",
        "n": "提及该痛点的文本数",
        "severity": "平均严重度",
        "matrix_title": "频次 x 严重度",
    },
}


#: A legend outside the axes, on the right (bars fill the axes).
_OUTSIDE: dict[str, Any] = {"loc": "upper left", "bbox_to_anchor": (1.01, 1.0)}


def _lang(result: PainMatrixResult) -> str:
    lang = getattr(result, "lang", "en")
    return lang if lang in _LABELS else "en"


def _type_label(ptype: Any, lang: str) -> str:
    """A pain type in *lang* (``功能性`` for ``functional`` in Chinese)."""
    from needlab.painpoints.taxonomy import PAIN_TYPE_ZH

    p = str(ptype)
    return PAIN_TYPE_ZH.get(p, p) if lang == "zh" else p


def _stage_label(stage: Any, lang: str) -> str:
    """A journey stage in *lang* (``售后`` for ``after_sales`` in Chinese)."""
    from needlab.painpoints.taxonomy import STAGE_ZH

    s = str(stage)
    return STAGE_ZH.get(s, s) if lang == "zh" else s.replace("_", " ")


def _row_names(t: pd.DataFrame, level: str, lang: str) -> list[str]:
    """Readable names of the rows: the code's name in *lang* (its id only when it has none),
    or the pain type / stage in *lang*; a name shared by two codes gets its id appended."""
    if level == "code":
        raw = t["name"] if "name" in t else pd.Series([None] * len(t), index=t.index)
        names = [
            str(n).strip() if isinstance(n, str) and n.strip() else str(c)
            for n, c in zip(raw, t["code"], strict=True)
        ]
        counts = pd.Series(names).value_counts()
        codes = [str(c) for c in t["code"]]
        return [
            f"{n} ({c})" if counts[n] > 1 and n != c else n
            for n, c in zip(names, codes, strict=True)
        ]
    if level == "pain_type":
        return [_type_label(p, lang) for p in t["pain_type"]]
    if level == "stage":
        return [_stage_label(s, lang) for s in t["stage"]]
    return [
        f"{_stage_label(s, lang)} / {_type_label(p, lang)}"
        for s, p in zip(t["stage"], t["pain_type"], strict=True)
    ]


def _short(name: str, width: int = 28) -> str:
    return name if len(name) <= width else name[: width - 1].rstrip() + "\u2026"


def _type_legend(ax: Axes, types: list[str], lang: str, **kwargs: Any) -> Any:
    from matplotlib.patches import Patch

    return ax.legend(
        handles=[
            Patch(color=PAIN_COLORS.get(p, _OTHER), label=_type_label(p, lang)) for p in types
        ],
        title=_LABELS[lang]["pain type"],
        fontsize=8,
        **kwargs,
    )


def pain_frequencies(
    result: PainMatrixResult,
    ax: Axes | None = None,
    *,
    top: int = 20,
    value: str = "share",
    segment: Any = None,
) -> Axes:
    """The ranked frequency chart: one horizontal bar per pain, largest on top.

    The picture of a pain matrix without severity (where the matrix would put every point on
    one line). The ``top`` rows by ``value`` (``"share"``, ``"n"`` or ``"priority"``; ties in
    table order) are drawn with readable names in the result's ``lang``: the code's name from
    the taxonomy (its id only when it has no name), or the pain type / journey stage in that
    language. Bars are coloured by pain type with a legend (one colour for ``level="stage"``);
    the bar end shows the share in % (or the value). A ``by=`` result draws one bar per
    segment for each pain (ranked by the mean over segments, the legend names the segments);
    ``segment=`` draws one segment alone.
    """
    top = _check_top(top)
    if value not in ("share", "n", "priority") or value not in result.table.columns:
        raise SchemaError(
            f"value={value!r} is not a column to draw; choose one of ['share', 'n', 'priority']."
        )
    lang = _lang(result)
    lab = _LABELS[lang]
    t = result.table
    if result.by is not None and segment is not None:
        t = _need(result, result.level, "pain_frequencies", segment)
    elif segment is not None:
        raise ConfigError(f"segment={segment!r} needs a result computed with by=.")
    t = t.dropna(subset=[value])
    keys = {"code": ["code"], "pain_type": ["pain_type"], "stage": ["stage"]}.get(
        result.level, ["stage", "pain_type"]
    )
    grouped = result.by is not None and segment is None
    if grouped:
        segs = list(dict.fromkeys(t[result.by]))
        rank = t.groupby(keys, sort=False, observed=True)[value].sum() / max(len(segs), 1)
        order = rank.sort_values(ascending=False, kind="stable").head(top).index
        rows = t.drop_duplicates(keys).set_index(keys).loc[order].reset_index()
    else:
        rows = t.sort_values(value, ascending=False, kind="stable").head(top)
    names = _row_names(rows, result.level, lang)
    n_rows = len(rows)
    own = ax is None
    ax = axes(ax, (8, 0.34 * n_rows * (1 + 0.4 * grouped) + 1.6))
    y = np.arange(n_rows)[::-1].astype(float)
    fmt = (lambda v: f"{100 * v:.1f}%") if value == "share" else (lambda v: f"{v:.3g}")
    if grouped:
        height = 0.8 / max(len(segs), 1)
        key_rows = [tuple(r) for r in rows[keys].astype(object).to_numpy()]
        for k, seg in enumerate(segs):
            part = t[t[result.by] == seg]
            vals = dict(
                zip(
                    [tuple(r) for r in part[keys].astype(object).to_numpy()],
                    part[value].astype(float),
                    strict=True,
                )
            )
            widths = np.array([vals.get(r, 0.0) for r in key_rows], float)
            ax.barh(
                y + 0.4 - height * (k + 0.5),
                widths,
                height=height,
                color=PALETTE[k % len(PALETTE)],
                label=str(seg),
            )
        ax.legend(title=str(result.by), fontsize=8, **_OUTSIDE)
    else:
        types = [str(p) for p in rows["pain_type"]] if "pain_type" in rows else []
        colors = [PAIN_COLORS.get(p, _OTHER) for p in types] if types else PALETTE[0]
        widths = rows[value].to_numpy(float)
        ax.barh(y, widths, color=colors)
        for yi, v in zip(y, widths, strict=True):
            ax.annotate(
                fmt(v),
                (float(v), float(yi)),
                xytext=(3, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
            )
        if types:
            _type_legend(ax, _ordered(pd.Series(types), _TYPES), lang, **_OUTSIDE)
        if n_rows:
            ax.set_xlim(0, float(np.nanmax(widths)) * 1.15 or 1.0)
    ax.set_yticks(y, names)
    ax.set_ylim(-0.7, n_rows - 0.3)
    ax.set_xlabel(lab[value])
    base = result.n_used if segment is None else int(rows["base"].iloc[0]) if n_rows else 0
    where = f" ({segment})" if segment is not None else ""
    count = f"，{base} 条文本" if lang == "zh" else f", {base} texts"
    ax.set_title(f"{lab['freq_title']}{where}{count}")
    if value == "share":
        from matplotlib.ticker import PercentFormatter

        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    fig = ax.figure
    if own and hasattr(fig, "tight_layout"):  # room for the legend outside the bars
        fig.tight_layout()
    return ax


def _clear(boxes: np.ndarray, obs: np.ndarray, pad: float) -> np.ndarray:
    """Which of *boxes* (rows x0, y0, x1, y1) overlap none of *obs* (grown by *pad*)."""
    if not len(obs):
        return np.ones(len(boxes), dtype=bool)
    hit = (
        (boxes[:, None, 0] < obs[None, :, 2] + pad)
        & (boxes[:, None, 2] > obs[None, :, 0] - pad)
        & (boxes[:, None, 1] < obs[None, :, 3] + pad)
        & (boxes[:, None, 3] > obs[None, :, 1] - pad)
    )
    return np.asarray(~hit.any(axis=1), dtype=bool)


def problem_tree(
    result: PainMatrixResult,
    ax: Axes | None = None,
    *,
    top: int = 8,
    value: str = "share",
    segment: Any = None,
) -> Axes:
    """The problem tree: pain type -> its codes, as grouped horizontal bars.

    Each pain type is a block: a bold heading (the type and the mentions of the codes drawn,
    a text with two codes counting twice), then its ``top`` codes by ``value``, largest first,
    one bar each (the bar length is the table's ``value``; codes whose ``value`` is missing are
    not drawn). Needs ``pain_matrix(level="code")``; for a ``by=`` result pass ``segment=``.
    """
    t = _need(result, "code", "problem_tree", segment)
    _check_value(t, value)
    if not (isinstance(top, int) and top >= 1):
        raise ConfigError(f"top={top!r} must be a positive whole number.")
    ax = axes(ax, (8, 0.32 * min(len(t) + 4, top * 4 + 4) + 1.5))
    labels, widths, colors, heading = [], [], [], []
    for ptype in _ordered(t["pain_type"], _TYPES):
        block = (
            t[t["pain_type"].astype(str) == ptype]
            .dropna(subset=[value])
            .nlargest(top, value, keep="first")
        )
        if block.empty:
            continue
        labels.append(f"{ptype} ({int(block['n'].sum())} mentions)")
        widths.append(np.nan)
        colors.append("none")
        heading.append(True)
        labels += [f"  {c} {n}" for c, n in zip(block["code"], block["name"], strict=True)]
        widths += block[value].tolist()
        colors += [PAIN_COLORS.get(ptype, _OTHER)] * len(block)
        heading += [False] * len(block)
    _headed_bars(ax, labels, widths, colors, heading)
    ax.set_xlabel(value)
    ax.set_title(
        "Problem tree: pain type -> pain point" + (f" ({segment})" if segment is not None else "")
    )
    return ax


def journey_map(
    result: PainMatrixResult,
    ax: Axes | None = None,
    *,
    value: str = "share",
    cmap: str = "Reds",
    annotate: bool = True,
    segment: Any = None,
) -> Axes:
    """Heatmap of journey stage (columns, in customer order) x pain type (rows).

    Needs ``pain_matrix(level="stage_type")``; cells show ``value`` (share of texts by default,
    annotated in %). Cells without mentions (or with a missing value) are drawn as 0 and not
    annotated. For a ``by=`` result pass ``segment=``.
    """
    t = _need(result, "stage_type", "journey_map", segment)
    _check_value(t, value)
    if t.empty:
        raise ConfigError(
            "journey_map: the pain matrix has no rows (no text mentions a pain with a stage)."
        )
    stages = _ordered(t["stage"], STAGES)
    types = _ordered(t["pain_type"], _TYPES)
    # one row per stage x type, so a pivot (not a sum, which would turn a missing value into 0)
    m = (
        t.assign(stage=t["stage"].astype(str), pain_type=t["pain_type"].astype(str))
        .pivot(index="pain_type", columns="stage", values=value)
        .reindex(index=types, columns=stages)
    )
    ax = axes(ax, (1.3 * len(stages) + 2, 0.7 * len(types) + 1.5))
    arr = m.to_numpy(float)
    im = ax.imshow(np.nan_to_num(arr), cmap=cmap, aspect="auto")
    ax.set_xticks(range(len(stages)), stages, rotation=30, ha="right")
    ax.set_yticks(range(len(types)), types)
    if annotate:
        top = np.nanmax(arr) if np.isfinite(arr).any() else 1.0
        for (i, j), v in np.ndenumerate(arr):
            if np.isfinite(v):
                txt = f"{100 * v:.1f}%" if value == "share" else f"{v:.3g}"
                ax.text(
                    j,
                    i,
                    txt,
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if v > 0.6 * top else "black",
                )
    ax.figure.colorbar(im, ax=ax, label=value)
    ax.set_title(
        "Journey map: pain type x stage" + (f" ({segment})" if segment is not None else "")
    )
    return ax


def severity_matrix(
    result: PainMatrixResult, ax: Axes | None = None, *, label_top: int = 10, **kwargs: Any
) -> Axes:
    """The frequency-severity matrix: share (x) by mean severity (y), bubble size = mentions.

    Dashed lines mark the medians that split the quadrants of ``result.table["quadrant"]``.
    Points are coloured by pain type with a legend (labels in the result's ``lang``). The
    ``label_top`` highest-priority points (per segment with ``by=``) are labelled with their
    readable names in ``lang`` (the code's name, or the pain type / stage), placed so that no
    two labels overlap: each label is measured with the renderer and moved to the nearest free
    place (a grey leader line joins a moved label to its point); a label that finds no free
    place inside the axes is left out. Placement is for the figure size at drawing time.
    With ``by=`` results, each segment gets its own colour (and the quadrants, computed within
    segment, get no lines). Rows without a severity are not drawn.
    """
    if isinstance(label_top, bool) or not (
        isinstance(label_top, (int, np.integer)) and label_top >= 0
    ):
        raise ConfigError(f"label_top={label_top!r} must be a whole number >= 0.")
    lang = _lang(result)
    lab = _LABELS[lang]
    t = result.table.dropna(subset=["share", "severity"])
    ax = axes(ax, (7.5, 5.5))
    names = pd.Series(_row_names(t, result.level, lang), index=t.index, dtype=object)
    if result.by is not None:
        names = names + " (" + t[result.by].astype(str) + ")"
    size = 30 + 400 * t["n"] / max(float(t["n"].max()) if len(t) else 1.0, 1.0)
    legend = None
    if result.by is None:
        has_type = "pain_type" in t
        color = (
            [PAIN_COLORS.get(str(p), _OTHER) for p in t["pain_type"]] if has_type else PALETTE[0]
        )
        ax.scatter(
            t["share"],
            t["severity"],
            s=size,
            c=color,
            alpha=0.7,
            edgecolor="k",
            linewidth=0.4,
            **kwargs,
        )
        if len(t):
            ax.axvline(t["share"].median(), ls="--", c="grey", lw=0.8)
            ax.axhline(t["severity"].median(), ls="--", c="grey", lw=0.8)
        if has_type and len(t):
            types = _ordered(t["pain_type"], _TYPES)
            legend = _type_legend(ax, types, lang, loc=_free_corner(t))
    else:
        for seg, part in t.groupby(result.by, sort=False, observed=True):
            ax.scatter(
                part["share"],
                part["severity"],
                s=size[part.index],
                alpha=0.6,
                label=str(seg),
                edgecolor="k",
                linewidth=0.4,
                **kwargs,
            )
        legend = ax.legend(title=str(result.by), fontsize=8, loc=_free_corner(t))
    ax.set_xlabel(lab["share"])
    ax.set_ylabel(lab["severity"])
    ax.set_title(lab["matrix_title"])
    # fix the limits (with room for labels), then place the labels on the final layout
    ax.margins(0.12)
    ax.autoscale_view()
    ax.set_xlim(ax.get_xlim())
    ax.set_ylim(ax.get_ylim())
    chosen = t[(t["rank"] <= label_top).to_numpy()]
    chosen = chosen.sort_values(["rank", "share"], ascending=[True, False], kind="stable")
    fig = ax.figure
    renderer = get_renderer(fig)
    obstacles = [legend.get_window_extent(renderer)] if legend is not None else []
    radius = np.sqrt(size[chosen.index].to_numpy(float)) / 2 * fig.dpi / 72
    place_labels(
        ax,
        chosen[["share", "severity"]].to_numpy(float),
        [_short(str(names[i])) for i in chosen.index],
        radius,
        obstacles=obstacles,
    )
    return ax


def _free_corner(t: pd.DataFrame) -> Any:
    """The corner of the matrix with the fewest points (for the legend)."""
    if not len(t):
        return "upper right"
    x = t["share"].to_numpy(float)
    y = t["severity"].to_numpy(float)
    span_x = float(np.ptp(x)) or 1.0
    span_y = float(np.ptp(y)) or 1.0
    fx = (x - x.min()) / span_x
    fy = (y - y.min()) / span_y
    corners = {
        "upper right": (fx > 0.55) & (fy > 0.55),
        "upper left": (fx < 0.45) & (fy > 0.55),
        "lower right": (fx > 0.55) & (fy < 0.45),
        "lower left": (fx < 0.45) & (fy < 0.45),
    }
    return min(corners, key=lambda k: int(corners[k].sum()))


def _check_top(top: Any) -> int:
    if isinstance(top, bool) or not (isinstance(top, (int, np.integer)) and top >= 1):
        raise ConfigError(f"top={top!r} must be a positive whole number.")
    return int(top)


def code_frequencies(
    result: CodingResult, ax: Axes | None = None, *, top: int = 20, lang: str = "en"
) -> Axes:
    """Share of the codable texts mentioning each code, horizontal bars coloured by pain type.

    The ``top`` codes with the largest share (codes with no mention are left out), grouped by
    pain type in the order functional, service, process, value, largest first within a type.
    Labels are the code names in *lang* (``"en"`` or ``"zh"``). A result coded with ``by=``
    draws the shares over all texts (from ``result.table``) the same way.
    """
    top = _check_top(top)
    if lang not in ("en", "zh"):
        raise ConfigError(f"lang={lang!r} is not one of 'en', 'zh'.")
    f = result.frequencies
    if result.frequencies.columns[0] != "level":  # by= segments: pool them
        ok = result.table["status"].isin(["ok", "truncated"])
        base = int(ok.sum())
        codes = result.long.drop_duplicates(["row", "code"])
        cnt = codes.groupby(["code", "name", "name_zh", "pain_type"], sort=False).size()
        f = cnt.rename("n_texts").reset_index().rename(columns={"code": "key"})
        f["share"] = f["n_texts"] / base if base else np.nan
    else:
        f = f[f["level"] == "code"]
    f = f[f["n_texts"] > 0].nlargest(top, "share", keep="first")
    name = "name" if lang == "en" else "name_zh"
    rows = []
    for ptype in _ordered(f["pain_type"], _TYPES):
        rows.append(f[f["pain_type"].astype(str) == ptype].sort_values("share", ascending=False))
    g = pd.concat(rows) if rows else f
    ax = axes(ax, (7.5, 0.3 * len(g) + 1.5))
    y = np.arange(len(g))[::-1]
    ax.barh(
        y,
        g["share"].to_numpy(float),
        color=[PAIN_COLORS.get(str(p), _OTHER) for p in g["pain_type"]],
    )
    ax.set_yticks(y, [f"{k} {n}" for k, n in zip(g["key"], g[name], strict=True)])
    from matplotlib.patches import Patch

    present = [p for p in _TYPES if p in set(g["pain_type"].astype(str))]
    if present:
        ax.legend(
            handles=[Patch(color=PAIN_COLORS[p], label=p) for p in present],
            title="pain type",
            fontsize=8,
        )
    ax.set_xlabel("share of codable texts")
    ax.set_title(f"Pain-point codes ({result.n_used} codable texts)")
    return ax


def coverage_bars(result: Coverage, ax: Axes | None = None, *, top: int = 10) -> Axes:
    """Share of the codable texts coded per language (``zh``, ``en``, ``all``), then the ``top``
    terms of the uncoded texts per language, as the share of the uncoded texts containing them.

    Both blocks are shares (0-1) on the same axis; bold labels head the blocks.
    """
    top = _check_top(top)
    cov = result.table[result.table["n_texts"] > 0]
    labels: list[str] = ["coded share"]
    widths: list[float] = [np.nan]
    colors: list[str] = ["none"]
    heading = [True]
    for lg, share in zip(cov["lang"], cov["share"], strict=True):
        labels.append(f"  {lg}")
        widths.append(float(share))
        colors.append(PALETTE[0])
        heading.append(False)
    terms = result.terms
    for lg in ("zh", "en"):
        part = terms[terms["lang"] == lg].head(top)
        if part.empty:
            continue
        labels.append(f"uncoded {lg} texts containing")
        widths.append(np.nan)
        colors.append("none")
        heading.append(True)
        labels += [f"  {t}" for t in part["term"]]
        widths += part["share_docs"].astype(float).tolist()
        colors += [PALETTE[1]] * len(part)
        heading += [False] * len(part)
    ax = axes(ax, (7, 0.3 * len(labels) + 1.5))
    _headed_bars(ax, labels, widths, colors, heading)
    ax.set_xlim(0, 1)
    ax.set_xlabel("share")
    ax.set_title(f"Taxonomy coverage: {100 * result.share:.1f}% of codable texts coded")
    return ax


def topic_sizes(result: TopicResult, ax: Axes | None = None, *, n_terms: int = 4) -> Axes:
    """Texts per topic as horizontal bars (largest on top), each labelled with its first
    ``n_terms`` top terms; the bar end shows the share of the texts used."""
    n_terms = _check_top(n_terms)
    t = result.table
    ax = axes(ax, (7.5, 0.45 * len(t) + 1.5))
    y = np.arange(len(t))[::-1]
    ax.barh(y, t["size"].to_numpy(float), color=PALETTE[0])
    labels = [
        f"{k}: " + ", ".join(str(terms).split(", ")[:n_terms])
        for k, terms in zip(t["topic"], t["terms"], strict=True)
    ]
    ax.set_yticks(y, labels)
    for yi, size, share in zip(y, t["size"], t["share"], strict=True):
        ax.annotate(
            f"{100 * share:.0f}%",
            (float(size), float(yi)),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    ax.set_xlabel("texts (largest topic weight)")
    ax.set_title(f"Topics (NMF): {result.n_topics} topics, {result.n_used} texts")
    return ax


def sentiment_hist(result: SentimentResult, ax: Axes | None = None, *, bins: int = 20) -> Axes:
    """Histogram of the sentiment scores on (-1, 1), stacked by label, the label thresholds as
    dashed lines and the label shares in the legend."""
    if isinstance(bins, bool) or not (isinstance(bins, (int, np.integer)) and bins >= 2):
        raise ConfigError(f"bins={bins!r} must be a whole number >= 2.")
    t = result.table.dropna(subset=["score"])
    shares = result.shares()
    ax = axes(ax)
    edges = np.linspace(-1, 1, int(bins) + 1).tolist()
    data = [t.loc[t["label"] == k, "score"].to_numpy(float) for k in shares.index]
    ax.hist(
        data,
        bins=edges,
        stacked=True,
        color=[SENTIMENT_COLORS[k] for k in shares.index],
        label=[f"{k} {100 * v:.0f}%" for k, v in shares.items()],
    )
    for x in (-result.threshold, result.threshold):
        ax.axvline(x, ls="--", c="grey", lw=0.8)
    ax.legend(fontsize=8)
    ax.set_xlim(-1, 1)
    ax.set_xlabel("sentiment score")
    ax.set_ylabel("texts")
    ax.set_title(f"Sentiment of {result.n_used} texts")
    return ax


def kappa_intervals(result: AgreementResult, ax: Axes | None = None) -> Axes:
    """Cohen's kappa per code as points with their interval (two coders; with more coders the
    mean pairwise kappa, without interval), the pooled kappa last in bold; lines at 0 (chance)
    and at 0.6 and 0.8 (the usual "substantial" and "almost perfect" marks)."""
    t = result.table
    ax = axes(ax, (7, 0.35 * len(t) + 1.5))
    y = np.arange(len(t))[::-1]
    k = t["kappa"].to_numpy(float)
    lo = t["kappa_ci_low"].to_numpy(float)
    hi = t["kappa_ci_high"].to_numpy(float)
    pooled = (t["code"] == "(pooled)").to_numpy()
    has_ci = np.isfinite(lo) & np.isfinite(hi)
    if has_ci.any():
        ax.errorbar(
            k[has_ci],
            y[has_ci],
            xerr=np.vstack([k[has_ci] - lo[has_ci], hi[has_ci] - k[has_ci]]),
            fmt="none",
            ecolor=PALETTE[0],
            capsize=3,
        )
    ax.scatter(k[~pooled], y[~pooled], color=PALETTE[0], zorder=3)
    ax.scatter(k[pooled], y[pooled], color=PALETTE[3], marker="D", zorder=3)
    ax.set_yticks(y, [str(c) for c in t["code"]])
    for tick, b in zip(ax.get_yticklabels(), pooled, strict=True):
        if b:
            tick.set_fontweight("bold")
    ax.axvline(0, c="k", lw=0.8)
    for x in (0.6, 0.8):
        ax.axvline(x, ls="--", c="grey", lw=0.8)
    ax.set_xlim(min(-0.1, float(np.nanmin(lo)) if has_ci.any() else -0.1), 1.05)
    ax.set_xlabel(f"Cohen's kappa ({100 * result.ci:.0f}% interval)")
    ax.set_title(f"Agreement of {len(result.coders)} coders on {result.n_used} texts")
    return ax


def f1_bars(result: CrossValidationResult, ax: Axes | None = None) -> Axes:
    """Cross-validated F1 per code as bars (precision and recall as markers), with the micro
    and macro average F1 as vertical lines."""
    t = result.table[~result.table["code"].isin(["micro avg", "macro avg"])]
    ax = axes(ax, (7, 0.35 * len(t) + 1.5))
    y = np.arange(len(t))[::-1]
    ax.barh(y, t["f1"].to_numpy(float), color=PALETTE[0], label="F1")
    ax.scatter(t["precision"], y, marker="|", s=120, color=PALETTE[1], label="precision", zorder=3)
    ax.scatter(t["recall"], y, marker="x", color=PALETTE[2], label="recall", zorder=3)
    ax.axvline(result.micro_f1, ls="--", c="k", lw=0.8, label=f"micro F1 {result.micro_f1:.2f}")
    ax.axvline(result.macro_f1, ls=":", c="k", lw=0.8, label=f"macro F1 {result.macro_f1:.2f}")
    ax.set_yticks(y, [f"{c} (n={s})" for c, s in zip(t["code"], t["support"], strict=True)])
    ax.set_xlim(0, 1.05)
    ax.legend(fontsize=8, loc="lower right")
    ax.set_xlabel("cross-validated score")
    ax.set_title(f"Text coder, {result.cv}-fold CV on {result.n_used} texts")
    return ax


def _headed_bars(
    ax: Axes, labels: list[str], widths: list[float], colors: list[Any], heading: list[bool]
) -> None:
    """Horizontal bars top-down, with bold heading rows (a group's name) that have no bar."""
    y = np.arange(len(labels))[::-1]
    bars = ~np.asarray(heading, dtype=bool)
    ax.barh(
        y[bars],
        np.asarray(widths, float)[bars],
        color=[c for c, b in zip(colors, bars, strict=True) if b],
    )
    ax.set_yticks(y, labels)
    for tick, b in zip(ax.get_yticklabels(), heading, strict=True):
        if b:
            tick.set_fontweight("bold")
