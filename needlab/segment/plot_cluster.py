"""Plots of the clustering results: the k-selection criteria, the typing-tool accuracy by step
and the bootstrap stability.

matplotlib is imported inside each function so that ``import needlab`` stays light. The plots
only draw what the estimator or result holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from needlab._plotting import PALETTE, axes

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from needlab.segment.cluster import Segmenter
    from needlab.segment.stability import StabilityResult
    from needlab.segment.typing_tool import TypingToolResult

__all__ = ["criteria_plot", "stability_plot", "typing_plot"]

#: criterion -> (label, higher is better)
_CRITERIA = {
    "silhouette": ("silhouette", True),
    "davies_bouldin": ("Davies-Bouldin (inverted)", False),
    "calinski_harabasz": ("Calinski-Harabasz", True),
    "bic": ("BIC (inverted)", False),
    "stability": ("stability (weakest segment's Jaccard)", True),
}


def criteria_plot(segmenter: Segmenter, ax: Axes | None = None) -> Axes:
    """Each criterion of ``segmenter.criteria_`` by k, min-max scaled so that 1 is best.

    Lower-is-better criteria (Davies-Bouldin, BIC) are inverted. The cost, which always falls
    with k and so has no best, is drawn apart on the right axis relative to the smallest k (read
    it for an elbow). The chosen k is marked with a dashed line; candidates with a segment below
    ``min_share`` are shaded.
    """
    crit = segmenter.criteria_
    ax = axes(ax)
    ks = crit.index.to_numpy()
    for i, (name, (label, high)) in enumerate(_CRITERIA.items()):
        if name not in crit:
            continue
        v = crit[name].to_numpy(dtype=float)
        if not np.isfinite(v).any():
            continue
        lo, hi = np.nanmin(v), np.nanmax(v)
        z = (v - lo) / (hi - lo) if hi > lo else np.ones_like(v)
        ax.plot(ks, z if high else 1 - z, marker="o", label=label, color=PALETTE[i])
    for k, ok in zip(ks, crit["eligible"].to_numpy(), strict=True):
        if not ok:
            ax.axvspan(k - 0.5, k + 0.5, color="0.9", zorder=0)
    ax.axvline(
        segmenter.k_, color="k", linestyle="--", linewidth=1, label=f"chosen k={segmenter.k_}"
    )
    cost = crit["cost"].to_numpy(dtype=float) if "cost" in crit else np.zeros(0)
    if len(cost) > 1 and np.isfinite(cost[0]) and cost[0] > 0:
        right = ax.twinx()
        right.plot(ks, cost / cost[0], color="0.5", linestyle=":", marker=".", label="cost (elbow)")
        right.set_ylabel(f"cost relative to k={ks[0]}")
        right.legend(loc="lower left", fontsize="small", frameon=False)
    ax.set_xticks(ks)
    ax.set_xlabel("number of segments k")
    ax.set_ylabel("criterion, scaled (1 = best)")
    ax.set_title("Choosing the number of segments")
    ax.legend(fontsize="small", frameon=False)
    return ax


def typing_plot(result: TypingToolResult, ax: Axes | None = None, **kwargs: Any) -> Axes:
    """Held-out and cross-validated accuracy as questions are added; chance level dashed."""
    ax = axes(ax)
    t = result.table
    ax.plot(
        t["step"],
        t["cv_accuracy"],
        marker="o",
        color=PALETTE[0],
        label="cross-validated (training rows)",
    )
    ax.plot(t["step"], t["test_accuracy"], marker="s", color=PALETTE[1], label="held-out rows")
    ax.axhline(result.chance, color="0.5", linestyle="--", linewidth=1, label="chance")
    ax.set_xticks(t["step"])
    ax.set_xticklabels([f"+{q}" for q in t["question"]], rotation=30, ha="right")
    ax.set_ylim(0, 1)
    ax.set_ylabel("accuracy")
    ax.set_title("Typing tool: accuracy by question added")
    ax.legend(fontsize="small", frameon=False)
    return ax


def stability_plot(result: StabilityResult, ax: Axes | None = None, **kwargs: Any) -> Axes:
    """Mean bootstrap Jaccard of each segment (one bar each, 2.5-97.5% range as error bars),
    with Hennig's (2007) thresholds 0.6 (trustworthy) and 0.75 (stable) dashed; the mean
    adjusted Rand index is in the title."""
    ax = axes(ax)
    jac = result.table[result.table["measure"] == "Jaccard"]
    seg = jac["segment"].to_numpy()
    mean = jac["mean"].to_numpy(dtype=float)
    lo = np.clip(mean - jac["p2.5"].to_numpy(dtype=float), 0, None)
    hi = np.clip(jac["p97.5"].to_numpy(dtype=float) - mean, 0, None)
    colors = [PALETTE[int(s) % len(PALETTE)] for s in seg]
    ax.bar(seg, np.nan_to_num(mean), yerr=np.vstack([lo, hi]), color=colors, capsize=3, **kwargs)
    for level, text in ((0.6, "0.6 trustworthy"), (0.75, "0.75 stable")):
        ax.axhline(level, color="0.4", linestyle="--", linewidth=1, label=text)
    ax.set_xticks(seg)
    ax.set_xticklabels([str(s) for s in seg])
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("segment")
    ax.set_ylabel("mean Jaccard with the full-data segment")
    ari = result.ari[np.isfinite(result.ari)]
    mean_ari = f", mean ARI {ari.mean():.2f}" if len(ari) else ""
    ax.set_title(f"Segment stability, k={result.k} ({result.n_boot} resamples{mean_ari})")
    ax.legend(fontsize="small", frameon=False, loc="lower right")
    return ax
