"""Plots of the clustering results: the k-selection criteria, the typing-tool accuracy by step
and the bootstrap stability.

matplotlib is imported inside each function so that ``import needlab`` stays light. The plots
only draw what the estimator or result holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from needlab.errors import ConfigError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from needlab.segment.cluster import Segmenter, StabilityResult, TypingToolResult

__all__ = ["criteria_plot", "stability_plot", "typing_plot"]

#: criterion -> (label, higher is better)
_CRITERIA = {
    "silhouette": ("silhouette", True),
    "davies_bouldin": ("Davies-Bouldin (inverted)", False),
    "calinski_harabasz": ("Calinski-Harabasz", True),
    "bic": ("BIC (inverted)", False),
    "stability": ("stability (weakest segment's Jaccard)", True),
}


def _axes(ax: Axes | None, figsize: tuple[float, float] = (7, 4.5)) -> Axes:
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=figsize)
    return ax


def criteria_plot(segmenter: Segmenter, ax: Axes | None = None) -> Axes:
    """Each criterion of ``segmenter.criteria_`` by k, min-max scaled so that 1 is best.

    Lower-is-better criteria (Davies-Bouldin, BIC) are inverted. The cost, which always falls
    with k and so has no best, is drawn apart on the right axis relative to the smallest k (read
    it for an elbow). The chosen k is marked with a dashed line; candidates with a segment below
    ``min_share`` are shaded.
    """
    crit = getattr(segmenter, "criteria_", None)
    if crit is None:
        raise ConfigError("this Segmenter is not fitted yet; call fit() first.")
    ax = _axes(ax)
    ks = crit.index.to_numpy()
    for name, (label, high) in _CRITERIA.items():
        if name not in crit:
            continue
        v = crit[name].to_numpy(dtype=float)
        if not np.isfinite(v).any():
            continue
        lo, hi = np.nanmin(v), np.nanmax(v)
        z = (v - lo) / (hi - lo) if hi > lo else np.ones_like(v)
        ax.plot(ks, z if high else 1 - z, marker="o", label=label)
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
    ax = _axes(ax)
    t = result.table
    ax.plot(t["step"], t["cv_accuracy"], marker="o", label="cross-validated (training rows)")
    ax.plot(t["step"], t["test_accuracy"], marker="s", label="held-out rows")
    ax.axhline(result.chance, color="0.5", linestyle="--", linewidth=1, label="chance")
    ax.set_xticks(t["step"])
    ax.set_xticklabels([f"+{q}" for q in t["question"]], rotation=30, ha="right")
    ax.set_ylim(0, 1)
    ax.set_ylabel("accuracy")
    ax.set_title("Typing tool: accuracy by question added")
    ax.legend(fontsize="small", frameon=False)
    return ax


def stability_plot(result: StabilityResult, ax: Axes | None = None, **kwargs: Any) -> Axes:
    """Bootstrap distribution of the adjusted Rand index, mean marked."""
    ax = _axes(ax)
    v = result.ari[np.isfinite(result.ari)]
    ax.hist(v, bins=kwargs.get("bins", 20), color="#1f77b4", alpha=0.8)
    if len(v):
        ax.axvline(
            float(v.mean()), color="k", linestyle="--", linewidth=1, label=f"mean {v.mean():.2f}"
        )
        ax.legend(fontsize="small", frameon=False)
    ax.set_xlabel("adjusted Rand index vs the full-data segments")
    ax.set_ylabel("resamples")
    ax.set_title(f"Segment stability, k={result.k}")
    return ax
