"""Plots of segment results: segment sizes, the RFM grid, the tier migration matrix, rule
segments, association rules, persona cards and churn calibration.

matplotlib is imported inside the functions, so importing needlab stays fast. Plots only draw
what the results already hold; they compute no statistics of their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from needlab._plotting import PALETTE, axes
from needlab.errors import ConfigError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from needlab.segment.associations import AssociationResult
    from needlab.segment.churn import ChurnResult
    from needlab.segment.personas import PersonaResult
    from needlab.segment.rules import RuleSegments

__all__ = [
    "churn_calibration",
    "migration_matrix",
    "persona_cards",
    "rfm_grid",
    "rule_sizes",
    "rules_map",
    "segment_sizes",
]


def segment_sizes(
    labels: pd.Series | Sequence[Any],
    ax: Axes | None = None,
    *,
    share: bool = False,
    order: Sequence[Any] | None = None,
    missing: str = "(missing)",
    **kwargs: Any,
) -> Axes:
    """Horizontal bar chart of the number (or share) of rows per label.

    Works for any Series of labels (rule segments, RFM segments, tiers, clusters). Categories
    keep their order (empty ones are shown with 0); missing labels get their own bar.

    Parameters
    ----------
    labels : Series or sequence
    ax : Axes, optional
    share : bool
        Show shares of all rows instead of counts.
    order : sequence, optional
        Bars from top to bottom.
    missing : str
        Bar label of missing values (drawn only when there are some).
    **kwargs
        Passed to ``Axes.barh``.

    Returns
    -------
    Axes
    """
    s = labels if isinstance(labels, pd.Series) else pd.Series(list(labels))
    counts = s.value_counts(dropna=False)
    if isinstance(s.dtype, pd.CategoricalDtype):
        cats = list(s.cat.categories)
        counts = counts.reindex([*cats, *[i for i in counts.index if pd.isna(i)]], fill_value=0)
    if order is not None:
        rest = [i for i in counts.index if pd.isna(i)]
        counts = counts.reindex([*order, *rest], fill_value=0)
    names = [missing if pd.isna(i) else str(i) for i in counts.index]
    keep = [not (pd.isna(i) and c == 0) for i, c in zip(counts.index, counts, strict=True)]
    vals: np.ndarray = np.asarray(counts.to_numpy(dtype=float)[keep], dtype=float)
    names = [n for n, k in zip(names, keep, strict=True) if k]
    if share:
        vals = vals / max(len(s), 1)
    ax = axes(ax, figsize=(6, 4))
    y = np.arange(len(vals))[::-1]
    kwargs.setdefault("color", PALETTE[0])
    ax.barh(y, vals, **kwargs)
    ax.set_yticks(y)
    ax.set_yticklabels(names)
    ax.set_xlabel("share" if share else "count")
    for yi, v in zip(y, vals, strict=True):
        ax.text(v, yi, f" {v:.1%}" if share else f" {int(v)}", va="center", fontsize=8)
    return ax


def _heatmap(
    ax: Axes,
    mat: np.ndarray,
    rows: list[str],
    cols: list[str],
    fmt: str,
    cmap: str = "Blues",
    label: str = "",
) -> Axes:
    im = ax.imshow(mat, cmap=cmap, aspect="auto")
    ax.set_xticks(range(len(cols)))
    ax.set_xticklabels(cols)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(rows)
    finite = mat[np.isfinite(mat)]
    mid = (finite.max() + finite.min()) / 2 if finite.size else 0.0
    for i in range(mat.shape[0]):
        for j in range(mat.shape[1]):
            v = mat[i, j]
            if np.isfinite(v):
                ax.text(
                    j,
                    i,
                    format(v, fmt),
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white" if v > mid else "black",
                )
    ax.figure.colorbar(im, ax=ax, label=label)
    return ax


def rfm_grid(
    result: Any,
    ax: Axes | None = None,
    *,
    value: Literal["count", "monetary"] = "count",
    cmap: str = "Blues",
) -> Axes:
    """RFM grid: R score (rows, highest on top) x F score (columns); colour = customers or
    mean monetary value.

    Parameters
    ----------
    result : RFMResult
        From :func:`needlab.segment.rfm.rfm`.
    ax : Axes, optional
    value : {"count", "monetary"}
        Colour by the number of customers or by their mean ``monetary``.
    cmap : str

    Returns
    -------
    Axes
    """
    if value not in ("count", "monetary"):
        raise ConfigError(f"value={value!r} is not valid; choose one of ['count', 'monetary'].")
    t = result.table
    levels = np.arange(1, result.bins + 1)
    if value == "count":
        mat = pd.crosstab(t["r"], t["f"]).reindex(index=levels, columns=levels, fill_value=0)
        fmt, label = ".0f", "customers"
    else:
        mat = t.pivot_table(
            index="r", columns="f", values="monetary", aggfunc="mean", observed=False
        ).reindex(index=levels, columns=levels)
        fmt, label = ".4g", "mean monetary"
    arr = mat.to_numpy(dtype=float)[::-1]
    ax = axes(ax, figsize=(6, 4))
    _heatmap(
        ax,
        arr,
        [str(i) for i in levels[::-1]],
        [str(i) for i in levels],
        fmt,
        cmap=cmap,
        label=label,
    )
    ax.set_ylabel("R score (recent = high)")
    ax.set_xlabel("F score")
    ax.set_title("RFM grid")
    return ax


def migration_matrix(
    result: Any,
    ax: Axes | None = None,
    *,
    value: Literal["count", "share"] = "count",
    cmap: str = "Blues",
) -> Axes:
    """Heatmap of a tier transition matrix (before = rows, after = columns).

    Parameters
    ----------
    result : MigrationResult
        From :func:`needlab.segment.tiers.tier_migration`.
    ax : Axes, optional
    value : {"count", "share"}
        Cell counts, or shares of the row (before) total.
    cmap : str

    Returns
    -------
    Axes
    """
    if value not in ("count", "share"):
        raise ConfigError(f"value={value!r} is not valid; choose one of ['count', 'share'].")
    m = result.table.drop(columns="total") if value == "count" else result.shares
    ax = axes(ax, figsize=(6, 4))
    _heatmap(
        ax,
        m.to_numpy(dtype=float),
        [str(i) for i in m.index],
        [str(c) for c in m.columns],
        ".0f" if value == "count" else ".0%",
        cmap=cmap,
        label="customers" if value == "count" else "share of row",
    )
    ax.set_ylabel("before")
    ax.set_xlabel("after")
    ax.set_title("Tier migration")
    return ax


def rule_sizes(result: RuleSegments, ax: Axes | None = None, **kwargs: Any) -> Axes:
    """Rule segments: a bar of rows assigned per segment (rules in priority order, then the
    default), with an outline bar of the rows each rule matches before first-wins, so that
    overlaps show as the gap between the two.

    Parameters
    ----------
    result : RuleSegments
        From :func:`needlab.segment.rules.segment_rules`.
    ax : Axes, optional
    **kwargs
        Passed to ``Axes.barh`` of the assigned rows.

    Returns
    -------
    Axes
    """
    t = result.table
    ax = axes(ax, figsize=(6, max(2.5, 0.4 * len(t) + 1.2)))
    y = np.arange(len(t))[::-1]
    count = t["count"].to_numpy(dtype=float)
    matches = t["matches"].to_numpy(dtype=float)
    kwargs.setdefault("color", PALETTE[0])
    ax.barh(y, count, label="assigned", **kwargs)
    rule = matches > 0
    if rule.any():
        ax.barh(
            y[rule],
            matches[rule],
            fill=False,
            edgecolor=PALETTE[1],
            linewidth=1.2,
            label="matching the rule",
        )
    for yi, c, s in zip(y, count, t["share"].to_numpy(dtype=float), strict=True):
        ax.text(c, yi, f" {int(c)} ({s:.0%})", va="center", fontsize=8)
    ax.set_yticks(y)
    ax.set_yticklabels([str(v) for v in t["segment"]])
    ax.set_xlabel("rows")
    ax.set_title("Rule segments")
    if rule.any() and result.n_overlap:
        ax.legend(fontsize=8, loc="lower right")
    return ax


def rules_map(
    result: AssociationResult, ax: Axes | None = None, *, top: int = 5, **kwargs: Any
) -> Axes:
    """Association rules map: confidence (x) against lift (y), marker area proportional to
    support, the *top* rules by lift labelled ``A -> B``; a dashed line marks lift 1
    (independence).

    Parameters
    ----------
    result : AssociationResult
        From :func:`needlab.segment.associations.associations`.
    ax : Axes, optional
    top : int
        Rules labelled (the first rows of the table, which is sorted by lift).
    **kwargs
        Passed to ``Axes.scatter``.

    Returns
    -------
    Axes
    """
    t = result.table
    ax = axes(ax)
    if len(t) == 0:
        ax.text(0.5, 0.5, "no rule above the thresholds", ha="center", va="center")
        ax.set_axis_off()
        return ax
    sup = t["support"].to_numpy(dtype=float)
    size = 20 + 400 * sup / sup.max()
    kwargs.setdefault("color", PALETTE[0])
    kwargs.setdefault("alpha", 0.6)
    ax.scatter(t["confidence"], t["lift"], s=size, **kwargs)
    ax.axhline(1.0, color="grey", lw=1, ls="--")
    for _, r in t.head(top).iterrows():  # at most *top* labels
        ax.annotate(
            f"{r['antecedent']} -> {r['consequent']}",
            (r["confidence"], r["lift"]),
            xytext=(4, 4),
            textcoords="offset points",
            fontsize=8,
        )
    ax.set_xlabel("confidence")
    ax.set_ylabel("lift")
    ax.set_title(f"Association rules (marker area = support; {len(t)} rules)")
    return ax


def persona_cards(result: PersonaResult, ax: Axes | None = None, **kwargs: Any) -> Axes:
    """Persona cards as one chart: per persona (one colour each) a heading row with its name
    and size, then one bar per top trait from 100 (the total) to the trait's index, on a
    logarithmic axis so that an index of 200 and one of 50 are equally long; the bar end reads
    the index and, for a categorical level, the share of the segment holding it
    (``"215 · 9% of segment"``).

    Parameters
    ----------
    result : PersonaResult
        From :func:`needlab.segment.personas.personas`.
    ax : Axes, optional
    **kwargs
        Passed to ``Axes.barh``.

    Returns
    -------
    Axes
    """
    traits = result.traits
    rows = len(result.cards) + len(traits)
    ax = axes(ax, figsize=(8, max(3.0, 0.32 * rows + 1.0)))
    y = 0.0
    ticks: list[float] = []
    labels: list[str] = []
    seg_of = traits["segment"].astype(object).map(str) if len(traits) else pd.Series([])
    lo, hi = 100.0, 100.0
    for i, card in enumerate(result.cards):  # a loop over personas (a handful)
        colour = PALETTE[i % len(PALETTE)]
        ax.text(
            0.0,
            y,
            f"{card['name']}  (n = {card['size']}, {card['share']:.0%})",
            transform=ax.get_yaxis_transform(),
            fontsize=9,
            fontweight="bold",
            va="center",
            color=colour,
        )
        y -= 1
        mine = traits[(seg_of == str(card["segment"])).to_numpy()] if len(traits) else traits
        idx = mine["index"].to_numpy(dtype=float) if len(mine) else np.zeros(0)
        ok = np.isfinite(idx) & (idx > 0)
        shares = (
            mine["share"].to_numpy(dtype=float)
            if "share" in mine.columns and len(mine)
            else np.full(len(mine), np.nan)
        )
        for lab, v, sh in zip(
            np.asarray(mine["label"], dtype=object)[ok], idx[ok], shares[ok], strict=True
        ):
            ax.barh(y, v - 100, left=100, color=colour, **kwargs)
            # the share next to the index: a high index on a small share is a niche, not a type
            extra = f" · {sh:.0%} of segment" if np.isfinite(sh) else ""
            ax.text(v, y, f" {v:.0f}{extra}", va="center", fontsize=7)
            ticks.append(y)
            labels.append(str(lab))
            lo, hi = min(lo, v), max(hi, v)
            y -= 1
        y -= 0.5
    ax.set_xscale("log")
    ax.set_xlim(lo / 1.3, hi * 2.0)  # room for "index · share" at the bar end
    ax.axvline(100, color="grey", lw=1)
    ax.set_ylim(y, 1)
    ax.set_yticks(ticks)
    ax.set_yticklabels(labels, fontsize=8)
    ax.set_xlabel("index (100 = total)")
    ax.set_title(str(result.title))
    return ax


def churn_calibration(result: ChurnResult, ax: Axes | None = None, **kwargs: Any) -> Axes:
    """Calibration of a churn model: mean predicted risk (x) against the observed churn rate
    (y) per decile of out-of-fold risk, with the diagonal of perfect calibration.

    Parameters
    ----------
    result : ChurnResult
        From :func:`needlab.segment.churn.churn_risk`.
    ax : Axes, optional
    **kwargs
        Passed to ``Axes.plot`` of the deciles.

    Returns
    -------
    Axes
    """
    cal = result.calibration
    if cal is None:
        raise ConfigError("this churn result has no calibration table to plot.")
    ax = axes(ax, figsize=(5, 5))
    top = float(max(cal["mean_predicted"].max(), cal["observed_rate"].max(), 0.01))
    ax.plot([0, top], [0, top], color="grey", lw=1, ls="--")
    kwargs.setdefault("color", PALETTE[0])
    ax.plot(cal["mean_predicted"], cal["observed_rate"], marker="o", **kwargs)
    ax.set_xlabel("mean predicted risk")
    ax.set_ylabel("observed churn rate")
    ax.set_title(f"Calibration (CV AUC {result.auc_mean:.3f}, Brier {result.brier:.3f})")
    return ax
