"""Plots of the regression-family results: coefficient plots, key-driver bars, penalty-reward bars, the IPA quadrant map, the scree
plot and loadings heatmap of a factor analysis, and the trend with its forecast.

matplotlib is imported inside each function so that ``import needlab`` stays light. The plots
only draw what the result holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from needlab._plotting import PALETTE, axes

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.text import Text

    from needlab.regress.drivers import DriverResult
    from needlab.regress.factors import FactorResult
    from needlab.regress.ipa import IPAResult
    from needlab.regress.kda import KDAResult
    from needlab.regress.models import RegressionResult
    from needlab.regress.trend import TrendResult

__all__ = [
    "coef_plot",
    "driver_bars",
    "ipa_map",
    "kda_bars",
    "loadings",
    "repel_labels",
    "scree",
    "trend_plot",
]

_CLASS_COLOURS = {
    "basic": PALETTE[3],
    "performance": PALETTE[0],
    "excitement": PALETTE[2],
    "neutral": PALETTE[7],
    "unexpected sign": "#333333",
}
_QUADRANT_POS = {  # (x: importance, y: performance) corners of the map
    "concentrate here": (0.98, 0.02, "right", "bottom"),
    "keep up the good work": (0.98, 0.98, "right", "top"),
    "possible overkill": (0.02, 0.98, "left", "top"),
    "low priority": (0.02, 0.02, "left", "bottom"),
}


def repel_labels(
    ax: Axes,
    texts: list[Text],
    points: np.ndarray | None = None,
    *,
    obstacles: list[Text] | None = None,
    max_iter: int = 300,
    pad: float = 2.0,
) -> int:
    """Move text labels apart until their boxes no longer overlap; deterministic.

    Works in display (pixel) coordinates: every iteration finds all overlapping pairs of label
    boxes, pushes each pair apart along the axis of smaller overlap by half the overlap plus
    ``pad`` pixels each (ties broken by label order); labels that cover a fixed box (a marker of
    ``points``, given in data coordinates, or an ``obstacles`` text such as a quadrant name)
    move up or down off it. Labels are kept inside the axes. Stops when nothing overlaps or
    after ``max_iter`` iterations; returns the number of overlaps left.
    """
    if not texts:
        return 0
    fig = ax.figure
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    boxes = np.array([t.get_window_extent(renderer).extents for t in texts], dtype=float)
    anchors = np.array([ax.transData.transform(t.get_position()) for t in texts], dtype=float)
    shift = np.zeros((len(texts), 2))
    frame = ax.get_window_extent(renderer).extents + np.array([pad, pad, -pad, -pad])
    fixed = []
    if points is not None and len(points):
        xy = ax.transData.transform(np.asarray(points, dtype=float))
        r = 3.0
        fixed.append(np.column_stack([xy[:, 0] - r, xy[:, 1] - r, xy[:, 0] + r, xy[:, 1] + r]))
    if obstacles:
        fixed.append(np.array([o.get_window_extent(renderer).extents for o in obstacles]))
    pts = np.vstack(fixed) if fixed else None
    n = len(texts)
    order = np.arange(n)
    left = 0
    for _ in range(max_iter):
        # keep the labels inside the axes
        b = boxes + np.column_stack([shift, shift])
        shift[:, 0] += np.maximum(frame[0] - b[:, 0], 0) - np.maximum(b[:, 2] - frame[2], 0)
        shift[:, 1] += np.maximum(frame[1] - b[:, 1], 0) - np.maximum(b[:, 3] - frame[3], 0)
        b = boxes + np.column_stack([shift, shift])
        ox = np.minimum(b[:, None, 2], b[None, :, 2]) - np.maximum(b[:, None, 0], b[None, :, 0])
        oy = np.minimum(b[:, None, 3], b[None, :, 3]) - np.maximum(b[:, None, 1], b[None, :, 1])
        over = (ox > 0) & (oy > 0) & (order[:, None] != order[None, :])
        cx, cy = (b[:, 0] + b[:, 2]) / 2, (b[:, 1] + b[:, 3]) / 2
        dx = cx[:, None] - cx[None, :]
        dy = cy[:, None] - cy[None, :]
        tie = np.where(order[:, None] < order[None, :], -1.0, 1.0)
        sx = np.where(dx != 0, np.sign(dx), tie)
        sy = np.where(dy != 0, np.sign(dy), tie)
        along_x = ox < oy
        mx = np.where(over & along_x, sx * (ox / 2 + pad), 0.0).sum(axis=1)
        my = np.where(over & ~along_x, sy * (oy / 2 + pad), 0.0).sum(axis=1)
        n_over = int(over.sum() // 2)
        if pts is not None:
            px = np.minimum(b[:, None, 2], pts[None, :, 2]) - np.maximum(
                b[:, None, 0], pts[None, :, 0]
            )
            py = np.minimum(b[:, None, 3], pts[None, :, 3]) - np.maximum(
                b[:, None, 1], pts[None, :, 1]
            )
            pover = (px > 0) & (py > 0)
            pcy = (pts[:, 1] + pts[:, 3]) / 2
            psy = np.where(cy[:, None] >= pcy[None, :], 1.0, -1.0)
            my += np.where(pover, psy * (py + pad), 0.0).sum(axis=1) / 2
            n_over += int(pover.sum())
        left = n_over
        if n_over == 0:
            break
        shift[:, 0] += mx
        shift[:, 1] += my
    new = ax.transData.inverted().transform(anchors + shift)
    for t, pos in zip(texts, new, strict=True):
        t.set_position((float(pos[0]), float(pos[1])))
    return left


def kda_bars(result: KDAResult, ax: Axes | None = None) -> Axes:
    """Penalty (hatched, upper bar) and reward (solid, lower bar) per attribute, coloured by class.

    Penalties of attributes that hurt when poor point left (negative), rewards right.
    """
    t = result.table
    ax = axes(ax, figsize=(8, 0.45 * len(t) + 1.5))
    names = t["driver"].astype(str).to_numpy()
    colours = [_CLASS_COLOURS.get(c, "#333333") for c in t["class"]]
    pos = np.arange(len(t), dtype=float)
    ax.barh(
        pos - 0.2,
        np.nan_to_num(t["penalty"].to_numpy(float)),
        height=0.38,
        color=colours,
        alpha=0.55,
        hatch="//",
        edgecolor="white",
    )
    ax.barh(pos + 0.2, np.nan_to_num(t["reward"].to_numpy(float)), height=0.38, color=colours)
    ax.set_yticks(pos, names)
    ax.axvline(0, color="#333333", lw=0.8)
    ax.invert_yaxis()
    ax.set_xlabel(f"change in {result.outcome}: penalty (poor rating) | reward (excellent rating)")
    from matplotlib.patches import Patch

    handles = [Patch(color=c, label=k) for k, c in _CLASS_COLOURS.items()]
    ax.legend(
        handles=handles, ncols=4, loc="upper center", bbox_to_anchor=(0.5, -0.12), frameon=False
    )
    ax.set_title("Penalty-reward analysis")
    return ax


def ipa_map(result: IPAResult, ax: Axes | None = None, *, repel: bool = True) -> Axes:
    """Importance-performance map: importance on x, performance on y, crossing lines, quadrant
    names in the corners and driver labels moved apart with :func:`repel_labels`."""
    ax = axes(ax, figsize=(7, 6))
    t = result.table
    x, y = t["importance"].to_numpy(float), t["performance"].to_numpy(float)
    ax.scatter(x, y, s=40, color=PALETTE[0], zorder=3)
    ax.axvline(result.importance_cross, color="#555555", lw=0.8, ls="--")
    ax.axhline(result.performance_cross, color="#555555", lw=0.8, ls="--")
    quads = [
        ax.text(qx, qy, q, transform=ax.transAxes, ha=ha, va=va, fontsize=9, color="#888888")
        for q, (qx, qy, ha, va) in _QUADRANT_POS.items()
    ]

    def span(v: np.ndarray, c: float) -> tuple[float, float]:
        lo, hi = min(v.min(), c), max(v.max(), c)
        d = (hi - lo) or 1.0
        return lo - 0.15 * d, hi + 0.15 * d

    ax.set_xlim(*span(x, result.importance_cross))
    ax.set_ylim(*span(y, result.performance_cross))
    texts = [
        ax.text(xi, yi, str(name), fontsize=8, ha="left", va="bottom", zorder=4)
        for xi, yi, name in zip(x, y, t["driver"], strict=True)
    ]
    if repel:
        repel_labels(ax, texts, np.column_stack([x, y]), obstacles=quads)
        for txt, xi, yi in zip(texts, x, y, strict=True):
            tx, ty = txt.get_position()
            ax.plot([xi, tx], [yi, ty], color="#bbbbbb", lw=0.5, zorder=2)
    ax.set_xlabel(f"importance ({result.importance_source})")
    ax.set_ylabel("performance")
    ax.set_title("Importance-performance analysis")
    return ax


def scree(result: FactorResult, ax: Axes | None = None) -> Axes:
    """Eigenvalues of the correlation matrix with the parallel-analysis threshold."""
    ax = axes(ax, figsize=(7, 4.5))
    s = result.scree
    if s is None:
        raise ValueError("this factor result has no scree table.")
    ax.plot(s["component"], s["eigenvalue"], "o-", label="observed eigenvalue")
    ax.plot(
        s["component"],
        s["random_quantile"],
        "s--",
        color=PALETTE[3],
        label="parallel analysis (random quantile)",
    )
    ax.axhline(1, color="#999999", lw=0.8, ls=":")
    ax.axvline(result.n_factors + 0.5, color="#555555", lw=0.8)
    ax.set_xticks(s["component"])
    ax.set_xlabel("component")
    ax.set_ylabel("eigenvalue")
    ax.legend(frameon=False)
    ax.set_title(f"Scree plot: {result.n_factors} factors")
    return ax


def loadings(result: FactorResult, ax: Axes | None = None) -> Axes:
    """Heatmap of the rotated loadings (items x factors) with the values written in."""
    t = result.table
    names = [f"F{i + 1}" for i in range(result.n_factors)]
    L = t[names].to_numpy(float)
    ax = axes(ax, figsize=(1.2 * len(names) + 3, 0.4 * len(t) + 1.5))
    ax.imshow(L, cmap="RdBu_r", vmin=-1, vmax=1, aspect="auto")
    ax.set_xticks(range(len(names)), names)
    ax.set_yticks(range(len(t)), t["item"].astype(str))
    for (i, j), v in np.ndenumerate(L):
        ax.text(
            j,
            i,
            f"{v:.2f}",
            ha="center",
            va="center",
            fontsize=8,
            color="white" if abs(v) > 0.6 else "black",
        )
    ax.set_title(f"Loadings ({result.rotation})")
    return ax


def trend_plot(result: TrendResult, ax: Axes | None = None, *, band: bool = True) -> Axes:
    """Observed period means, the fitted trend (dashed for the forecast) and the prediction band."""
    ax = axes(ax, figsize=(8, 4.5))
    p = result.predictions
    if p is None:
        raise ValueError("this trend result has no predictions table.")
    for i, (name, d) in enumerate(p.groupby("group", sort=False)):
        colour = PALETTE[i % len(PALETTE)]
        obs = d[~d["forecast"]]
        ax.plot(obs["t"], obs["observed"], "o", color=colour, label=str(name))
        ax.plot(obs["t"], obs["fitted"], "-", color=colour)
        fc = d[d["forecast"]]
        if len(fc):
            joined = d.iloc[len(obs) - 1 :]
            ax.plot(joined["t"], joined["fitted"], "--", color=colour)
        if band:
            ax.fill_between(d["t"], d["lower"], d["upper"], color=colour, alpha=0.12, lw=0)
    if result.time_kind == "ordinal":
        first = p.drop_duplicates("t").sort_values("t")
        ax.set_xticks(first["t"], first["period"].astype(str), rotation=45, ha="right")
    ax.set_xlabel(result.time)
    ax.set_ylabel(result.var)
    if result.by is not None:
        ax.legend(title=result.by, frameon=False)
    ax.set_title(f"Trend of {result.var}")
    return ax


def coef_plot(
    result: RegressionResult,
    ax: Axes | None = None,
    *,
    which: str | None = None,
    intercept: bool = False,
    **kwargs: Any,
) -> Axes:
    """Coefficient plot of :func:`needlab.regress.regress`: each term with its interval.

    ``which="odds_ratio"`` (default for logit and ordinal models) uses a log axis and a line at
    1; ``"coef"`` a line at 0. ``kwargs`` go to ``Axes.errorbar``.
    """
    from needlab._validate import check_option

    which = which or ("coef" if result.kind == "ols" else "odds_ratio")
    check_option(which, ["coef", "odds_ratio"] if result.kind != "ols" else ["coef"], "which")
    t = result.table
    if not intercept:
        t = t[t["term"] != "Intercept"]
    cols = (
        ("coef", "ci_low", "ci_high")
        if which == "coef"
        else ("odds_ratio", "or_ci_low", "or_ci_high")
    )
    ax = axes(ax, figsize=(6, 0.4 * len(t) + 1.5))
    pos = np.arange(len(t))[::-1]
    est, lo, hi = (t[c].to_numpy(float) for c in cols)
    kwargs.setdefault("fmt", "o")
    kwargs.setdefault("capsize", 3)
    kwargs.setdefault("color", PALETTE[0])
    ax.errorbar(est, pos, xerr=np.vstack([est - lo, hi - est]), **kwargs)
    ax.axvline(0.0 if which == "coef" else 1.0, color="grey", lw=0.8, ls="--")
    if which == "odds_ratio":
        ax.set_xscale("log")
    ax.set_yticks(pos)
    ax.set_yticklabels([str(v) for v in t["term"]])
    level = result.fit.get("ci_level", 0.95)
    ax.set_xlabel(f"{'odds ratio' if which == 'odds_ratio' else 'coefficient'} ({level:.0%} CI)")
    ax.set_title(result.title)
    return ax


def driver_bars(result: DriverResult, ax: Axes | None = None, **kwargs: Any) -> Axes:
    """Horizontal bars of key-driver importance shares, with bootstrap intervals when present."""
    t = result.table.sort_values("share")
    ax = axes(ax, figsize=(7, 0.35 * len(t) + 1.5))
    xerr = None
    if "share_low" in t:
        xerr = np.vstack([t["share"] - t["share_low"], t["share_high"] - t["share"]]).clip(0)
    ax.barh(
        t["driver"].astype(str),
        100 * t["share"],
        xerr=None if xerr is None else 100 * xerr,
        color=kwargs.pop("color", PALETTE[0]),
        **kwargs,
    )
    ax.set_xlabel("share of R squared (%)")
    ax.set_title(f"{result.title} (R\u00b2 = {result.r2:.2f}, {result.method})")
    return ax
