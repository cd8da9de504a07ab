"""Plots of crosstab, banner, frequency, means, score, comparison, top-box and raking results.

matplotlib is imported inside each function so that ``import needlab`` stays light. The plots
only draw what the results hold; they compute no statistics.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from needlab._plotting import PALETTE, axes

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from needlab.tables.banner import BannerResult
    from needlab.tables.compare import ComparisonResult
    from needlab.tables.crosstab import CrosstabResult
    from needlab.tables.freq import FreqResult
    from needlab.tables.means import MeansResult
    from needlab.tables.top_box import TopBoxResult
    from needlab.tables.weighting import RakeResult

__all__ = [
    "banner_heatmap",
    "box_bars",
    "comparison_plot",
    "crosstab_bars",
    "crosstab_heatmap",
    "freq_bars",
    "means_bars",
    "score_bars",
    "weight_hist",
]


def _errors(mid: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    return np.vstack([np.clip(mid - lo, 0, None), np.clip(hi - mid, 0, None)])


def freq_bars(
    result: FreqResult, ax: Axes | None = None, *, intervals: bool = True, color: str = PALETTE[0]
) -> Axes:
    """Bars of the valid percentage per value, with Wilson intervals when the result has them.

    The missing row is not drawn (its share is in ``result.table``).
    """
    ax = axes(ax)
    t = result.table
    t = t[t["valid_percent"].notna()]
    names = (t["label"] if "label" in t else t["value"]).astype(str).tolist()
    y = t["valid_percent"].to_numpy(float)
    err = None
    if intervals and "ci_low" in t:
        err = _errors(y, t["ci_low"].to_numpy(float), t["ci_high"].to_numpy(float))
    ax.bar(np.arange(len(y)), y, color=color, yerr=err, capsize=3)
    ax.set_xticks(
        np.arange(len(y)),
        names,
        rotation=45 if max(map(len, names), default=0) > 8 else 0,
        ha="right" if max(map(len, names), default=0) > 8 else "center",
    )
    ax.set_ylabel("valid percent")
    ax.set_title(str(result.var))
    return ax


def score_bars(
    result: Any, column: str, ax: Axes | None = None, *, color: str = PALETTE[0]
) -> Axes:
    """Horizontal bars of a score (``"nps"`` or ``"satisfied"``) per group with its interval."""
    ax = axes(ax)
    t = result.table
    y = t[column].to_numpy(float)
    err = _errors(y, t["ci_low"].to_numpy(float), t["ci_high"].to_numpy(float))
    pos = np.arange(len(t))[::-1]
    ax.barh(pos, y, xerr=err, color=color, capsize=3)
    ax.set_yticks(pos, t["group"].astype(str).tolist())
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel("NPS" if column == "nps" else "% satisfied")
    ax.set_title(str(result.var))
    return ax


def box_bars(result: TopBoxResult, ax: Axes | None = None, *, color: str = PALETTE[0]) -> Axes:
    """Horizontal bars of the box percentage per item (grouped bars when the result has groups)."""
    ax = axes(ax)
    t = result.table
    value = "bottom_box" if result.bottom else "top_box"
    items = list(dict.fromkeys(t["item"]))
    if "group" not in t:
        pos = np.arange(len(items))[::-1]
        ax.barh(pos, t[value].to_numpy(float), color=color)
    else:
        groups = list(dict.fromkeys(t["group"]))
        height = 0.8 / len(groups)
        for g, name in enumerate(groups):
            sub = t[t["group"] == name].set_index("item").reindex(items)
            bar_pos = np.arange(len(items))[::-1] + 0.4 - (g + 0.5) * height
            ax.barh(bar_pos, sub[value].to_numpy(float), height=height, label=str(name))
        ax.legend()
        pos = np.arange(len(items))[::-1]
    ax.set_yticks(pos, [str(i) for i in items])
    ax.set_xlabel(value.replace("_", " ") + " %")
    return ax


def weight_hist(
    result: RakeResult, ax: Axes | None = None, *, bins: int = 30, color: str = PALETTE[0]
) -> Axes:
    """Histogram of the raked weights."""
    ax = axes(ax)
    w = result.weights.to_numpy(float) if result.weights is not None else np.array([])
    ax.hist(w, bins=bins, color=color)
    ax.set_xlabel("weight")
    ax.set_ylabel("rows")
    ax.set_title(f"weights (efficiency {result.efficiency:.2f})")
    return ax


def crosstab_heatmap(
    result: CrosstabResult, ax: Axes | None = None, *, cmap: str = "Blues", decimals: int = 0
) -> Axes:
    """Heatmap of a crosstab's percentages; each cell shows its percent and significance letters.

    Column headers carry the column letters, so a cell reading ``"45 B"`` is significantly
    higher than the column lettered B (see :class:`~needlab.tables.crosstab.CrosstabResult`).
    """
    pct = result.percent
    ax = axes(ax, figsize=(1.1 * pct.shape[1] + 2.5, 0.5 * pct.shape[0] + 1.5))
    values = pct.to_numpy(dtype=float)
    ax.imshow(
        np.ma.masked_invalid(values),
        cmap=cmap,
        aspect="auto",
        vmin=0,
        vmax=np.nanmax(values) if np.isfinite(values).any() else 1,
    )
    heads = [
        f"{c} ({result.column_letters[c]})" if c in result.column_letters else str(c)
        for c in pct.columns
    ]
    ax.set_xticks(range(len(heads)), heads, rotation=30, ha="right")
    ax.set_yticks(range(len(pct.index)), [str(i) for i in pct.index])
    top = np.nanmax(values) if np.isfinite(values).any() else 1
    for i, r in enumerate(pct.index):
        for j, c in enumerate(pct.columns):
            v = values[i, j]
            if not np.isfinite(v):
                continue
            sig = result.letters.loc[r, c] if c in result.letters.columns else ""
            ax.text(
                j,
                i,
                f"{v:.{decimals}f} {sig}".strip(),
                ha="center",
                va="center",
                fontsize=8,
                color="white" if v > 0.6 * top else "black",
            )
    ax.set_title(f"{result.row} by {result.col} ({result.percent_by} %)")
    return ax


def crosstab_bars(
    result: CrosstabResult,
    ax: Axes | None = None,
    *,
    rows: Sequence[Hashable] | None = None,
    total: bool = True,
    decimals: int | None = None,
) -> Axes:
    """Grouped bars of a crosstab: per row category, one bar per column with its letters above.

    Bar heights are ``result.percent`` (column percentages by default). Above each bar the
    significance letters of that cell are written (nothing where there are none); a letter
    names a column this cell is significantly greater than, and the legend gives each
    column's letter, e.g. ``"North (A)"``. The Total column, when the result has one, is
    drawn last in grey and has no letters.

    Parameters
    ----------
    result : CrosstabResult
        The crosstab.
    ax : Axes, optional
        Where to draw; a new figure by default.
    rows : sequence, optional
        The row categories (or nets) to draw, in this order; default all of them.
    total : bool, default True
        Draw the Total column.
    decimals : int, optional
        When given, each bar's percentage (with this many decimals) is written before its
        letters, e.g. ``"45 B"``.

    Returns
    -------
    Axes

    Raises
    ------
    ConfigError
        *rows* names categories that the crosstab does not have.
    """
    from needlab.errors import ConfigError

    pct = result.percent
    if rows is None:
        rows = list(pct.index)
    else:
        rows = list(rows)
        unknown = [r for r in rows if r not in pct.index]
        if unknown:
            raise ConfigError(
                f"rows {unknown[:5]} are not row categories of the crosstab; it has "
                f"{list(pct.index)[:12]}."
            )
    lettered = [c for c in pct.columns if c in result.column_letters]
    columns = lettered + (
        [c for c in pct.columns if c not in result.column_letters] if total else []
    )
    ax = axes(ax, figsize=(max(6.0, 0.5 * len(rows) * (len(columns) + 1) + 1.5), 4.5))
    x = np.arange(len(rows))
    width = 0.8 / max(len(columns), 1)
    values = pct.loc[rows, columns].to_numpy(dtype=float)
    top = np.nanmax(values) if np.isfinite(values).any() else 1.0
    for j, c in enumerate(columns):
        label = f"{c} ({result.column_letters[c]})" if c in result.column_letters else str(c)
        h = values[:, j]
        pos = x - 0.4 + (j + 0.5) * width
        bars = ax.bar(
            pos,
            np.nan_to_num(h),
            width=width,
            label=label,
            color=None if c in result.column_letters else "0.6",
        )
        for b, r, v in zip(bars, rows, h, strict=True):
            sig = str(result.letters.at[r, c]) if c in result.letters.columns else ""
            text = sig if decimals is None else f"{v:.{decimals}f} {sig}".strip()
            if text and np.isfinite(v):
                ax.text(
                    b.get_x() + b.get_width() / 2,
                    v + 0.01 * top,
                    text,
                    ha="center",
                    va="bottom",
                    fontsize=8,
                )
    names = [str(r) for r in rows]
    long = max(map(len, names), default=0) > 8
    ax.set_xticks(x, names, rotation=45 if long else 0, ha="right" if long else "center")
    ax.set_ylabel(f"{result.percent_by} %")
    ax.set_ylim(0, top * 1.15 if top > 0 else 1)
    ax.legend(title=str(result.col), fontsize=8)
    ax.set_title(f"{result.row} by {result.col}")
    return ax


def banner_heatmap(
    result: BannerResult,
    ax: Axes | None = None,
    *,
    question: Hashable | None = None,
    cmap: str = "Blues",
    decimals: int | None = None,
) -> Axes:
    """Heatmap of one banner question: its categories (and nets) by every banner column.

    Colours are the column percentages; each cell shows its percent and significance letters
    (which compare columns within the same banner variable; the column heads carry the
    letters, e.g. ``"North (C)"``). Mean rows are on another scale and are not drawn.

    Parameters
    ----------
    result : BannerResult
    ax : Axes, optional
    question : hashable, optional
        The row question to draw; default the first one with percentage rows.
    cmap : str, default "Blues"
    decimals : int, optional
        Decimals of the percentages written in the cells; default those of the banner.

    Raises
    ------
    ConfigError
        *question* is not a row question of the banner with percentage rows.
    """
    from needlab.errors import ConfigError

    t = result.table
    mean_label = result._mean_label()
    pct_rows = t[t["row"] != mean_label]
    questions = list(dict.fromkeys(pct_rows["question"]))
    if question is None:
        if not questions:
            raise ConfigError("the banner has only mean rows; there are no percentages to draw.")
        question = questions[0]
    elif question not in questions:
        raise ConfigError(
            f"question {question!r} has no percentage rows in this banner; "
            f"choose one of {questions[:12]}."
        )
    q = pct_rows[pct_rows["question"] == question]
    rows = list(dict.fromkeys(q["row"]))
    heads = list(dict.fromkeys(zip(q["banner"], q["column"], q["letter"], strict=True)))
    key = {h: j for j, h in enumerate(heads)}
    values = np.full((len(rows), len(heads)), np.nan)
    sig = np.full((len(rows), len(heads)), "", dtype=object)
    ri = {r: i for i, r in enumerate(rows)}
    for r, b, c, letter, v, sg in zip(
        q["row"], q["banner"], q["column"], q["letter"], q["value"], q["sig"], strict=True
    ):
        values[ri[r], key[(b, c, letter)]] = v
        sig[ri[r], key[(b, c, letter)]] = sg
    d = result.decimals if decimals is None else decimals
    ax = axes(ax, figsize=(1.0 * len(heads) + 2.5, 0.5 * len(rows) + 1.8))
    top = np.nanmax(values) if np.isfinite(values).any() else 1.0
    ax.imshow(np.ma.masked_invalid(values), cmap=cmap, aspect="auto", vmin=0, vmax=top)
    labels = [f"{c} ({letter})" if letter else str(c) for _, c, letter in heads]
    ax.set_xticks(range(len(heads)), labels, rotation=30, ha="right")
    ax.set_yticks(range(len(rows)), [str(r) for r in rows])
    for i in range(len(rows)):
        for j in range(len(heads)):
            v = values[i, j]
            if np.isfinite(v):
                ax.text(
                    j,
                    i,
                    f"{v:.{d}f} {sig[i, j]}".strip(),
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if v > 0.6 * top else "black",
                )
    # A thin line between banner variables.
    groups = [b for b, _, _ in heads]
    for j in range(1, len(heads)):
        if groups[j] != groups[j - 1]:
            ax.axvline(j - 0.5, color="0.3", lw=1)
    ax.set_title(f"{question} (column %)")
    return ax


def means_bars(
    result: MeansResult, ax: Axes | None = None, *, color: str = PALETTE[0], total: bool = True
) -> Axes:
    """Bars of the column means with +-1 standard error and the significance letters above.

    The letters name the columns a mean is significantly greater than (Welch t tests of
    :func:`~needlab.tables.means.compare_means`); the Total bar, when the result has one, is
    grey and has none. The error bars are the result's ``se`` column (one standard error).
    """
    t = result.table
    if not total:
        t = t[t["letter"] != ""]
    ax = axes(ax)
    x = np.arange(len(t))
    y = t["mean"].to_numpy(float)
    se = t["se"].to_numpy(float)
    colors = [color if letter else "0.6" for letter in t["letter"]]
    ax.bar(x, np.nan_to_num(y), color=colors, yerr=np.where(np.isfinite(se), se, 0.0), capsize=3)
    top = np.nanmax(y + np.nan_to_num(se)) if np.isfinite(y).any() else 1.0
    for xi, yi, s, sg in zip(x, y, np.nan_to_num(se), t["sig"], strict=True):
        if sg and np.isfinite(yi):
            ax.text(float(xi), yi + s + 0.01 * abs(top), sg, ha="center", va="bottom", fontsize=9)
    names = [
        f"{c} ({letter})" if letter else str(c)
        for c, letter in zip(t["column"], t["letter"], strict=True)
    ]
    ax.set_xticks(
        x,
        names,
        rotation=30 if max(map(len, names), default=0) > 8 else 0,
        ha="right" if max(map(len, names), default=0) > 8 else "center",
    )
    ax.set_ylabel(f"mean of {result.var} (+-1 SE)")
    ax.set_title(f"Mean of {result.var} by {result.col}")
    return ax


def comparison_plot(
    result: ComparisonResult,
    ax: Axes | None = None,
    *,
    measure: str | None = None,
    colors: Sequence[str] = (PALETTE[0], PALETTE[1]),
) -> Axes:
    """The two samples' scores with their intervals, and their difference.

    One point per sample with its interval (the ``ci_low_a`` .. ``ci_high_b`` columns of the
    result's table), joined by a bracket labelled with the difference, its p value and whether
    it is significant (p below ``1 - ci``): the bracket is drawn solid in red when it is, dashed
    in grey when not.

    Parameters
    ----------
    result : ComparisonResult
    ax : Axes, optional
    measure : str, optional
        The ``measure`` row to draw (``"nps"``, ``"satisfied"`` or ``"mean"``); default the
        first row of the table.
    colors : pair of str
        Colours of the two samples.

    Raises
    ------
    ConfigError
        *measure* is not a measure of the result.
    """
    from needlab.errors import ConfigError

    t = result.table
    measures = t["measure"].tolist()
    if measure is None:
        measure = measures[0]
    elif measure not in measures:
        raise ConfigError(
            f"measure={measure!r} is not in this comparison; choose one of {measures}."
        )
    r = t.loc[t["measure"] == measure].iloc[0]
    ax = axes(ax, figsize=(5.5, 4.5))
    values = np.array([r["value_a"], r["value_b"]], dtype=float)
    lows = np.array([r["ci_low_a"], r["ci_low_b"]], dtype=float)
    highs = np.array([r["ci_high_a"], r["ci_high_b"]], dtype=float)
    x = np.arange(2)
    for i in range(2):
        ax.errorbar(
            x[i],
            values[i],
            yerr=_errors(values[i : i + 1], lows[i : i + 1], highs[i : i + 1]),
            fmt="o",
            color=colors[i],
            capsize=6,
            markersize=8,
        )
    finite = np.concatenate([values, lows, highs])
    finite = finite[np.isfinite(finite)]
    top = float(finite.max()) if len(finite) else 1.0
    span = float(finite.max() - finite.min()) if len(finite) > 1 else 1.0
    span = span if span > 0 else 1.0
    level = top + 0.08 * span
    sig = bool(r["significant"])
    line_color = PALETTE[3] if sig else PALETTE[7]
    ax.plot(
        [0, 0, 1, 1],
        [level - 0.03 * span, level, level, level - 0.03 * span],
        color=line_color,
        linestyle="-" if sig else "--",
    )
    word = "significant" if sig else "not significant"
    ax.text(
        0.5,
        level + 0.02 * span,
        f"difference {r['diff']:+.3g} (p = {r['p_value']:.3g}, {word})",
        ha="center",
        va="bottom",
        color=line_color,
        fontsize=9,
    )
    ax.set_xticks(x, [str(r["a"]), str(r["b"])])
    ax.set_xlim(-0.6, 1.6)
    ax.set_ylim(top=level + 0.2 * span)
    label = {"nps": "NPS", "satisfied": "% satisfied", "mean": "mean score"}
    ax.set_ylabel(f"{label.get(measure, measure)} ({result.ci:.0%} interval)")
    ax.set_title(result.title)
    return ax
