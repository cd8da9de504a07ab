"""Bootstrap stability of a segmentation (Hennig 2007): :class:`StabilityResult` and the
resampling loop behind :meth:`Segmenter.stability <needlab.segment.cluster.Segmenter.stability>`
and ``Segmenter(select="stability")``.

The loop does not know how segments are fitted: it is given the reference assignment of the rows
and a ``refit`` callable (resampled rows -> a predict function), so this module depends on no
estimator.

References
----------
Hubert, L. & Arabie, P. (1985). Comparing partitions. *Journal of Classification* 2(1), 193-218.

Hennig, C. (2007). Cluster-wise assessment of cluster stability. *Computational Statistics & Data
Analysis* 52(1), 258-271.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from needlab._result import Result
from needlab._types import RandomState
from needlab.errors import ConfigError, NeedlabError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["StabilityResult", "bootstrap_stability"]

#: refit(resampled rows, seed) -> a function giving the segment (-1 none) of any rows
Refit = Callable[[pd.DataFrame, int], Callable[[pd.DataFrame], np.ndarray]]


@dataclass(frozen=True, repr=False)
class StabilityResult(Result):
    """Result of :meth:`Segmenter.stability <needlab.segment.cluster.Segmenter.stability>`.

    Attributes
    ----------
    table : DataFrame
        ``measure`` (``"ARI"`` or ``"Jaccard"``), ``segment`` (-1 for the overall ARI), ``mean``,
        ``sd``, ``p2.5``, ``p50``, ``p97.5`` over the resamples.
    ari : ndarray
        Adjusted Rand index of each resample (NaN when the refit failed).
    jaccard : ndarray
        Resamples x segments: the best-matching Jaccard similarity of each segment.
    k : int
        Number of segments.
    n_boot : int
        Resamples drawn.
    n_used, n_excluded : int
        Respondents (rows of ``data``) that have a segment in the reference assignment, and
        those without one (missing values, see ``Segmenter(missing=...)``); the latter are
        neither resampled nor compared.
    """

    ari: np.ndarray = field(default_factory=lambda: np.zeros(0))
    jaccard: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    k: int = 0
    n_boot: int = 0

    title = "Segment stability (bootstrap)"

    def summary(self) -> dict[str, Any]:
        """k, resamples, the mean adjusted Rand index and the weakest segment's mean Jaccard."""
        jac = np.nanmean(self.jaccard, axis=0) if self.jaccard.size else np.zeros(0)
        return {
            "k": self.k,
            "resamples": self.n_boot,
            "mean adjusted Rand index": float(np.nanmean(self.ari)),
            "weakest segment's mean Jaccard": float(np.nanmin(jac)) if jac.size else np.nan,
        }

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Mean bootstrap Jaccard of each segment (bars, 2.5-97.5% range as error bars) with
        Hennig's 0.6 and 0.75 thresholds, and the mean ARI in the title; returns the Axes."""
        from needlab.segment.plot_cluster import stability_plot

        return stability_plot(self, ax=ax, **kwargs)


def _summarise(v: np.ndarray) -> dict[str, float]:
    v = v[np.isfinite(v)]
    if not len(v):
        return {"mean": np.nan, "sd": np.nan, "p2.5": np.nan, "p50": np.nan, "p97.5": np.nan}
    q = np.percentile(v, [2.5, 50, 97.5])
    return {
        "mean": float(v.mean()),
        "sd": float(v.std(ddof=1)) if len(v) > 1 else np.nan,
        "p2.5": float(q[0]),
        "p50": float(q[1]),
        "p97.5": float(q[2]),
    }


def bootstrap_stability(
    frame: pd.DataFrame,
    ref: np.ndarray,
    k: int,
    refit: Refit,
    *,
    n_boot: int,
    random_state: RandomState = None,
    w: np.ndarray | None = None,
) -> StabilityResult:
    """Refit on *n_boot* bootstrap resamples of the rows of *frame* that have a segment in *ref*
    and compare each refit's assignment of all rows with *ref*.

    With row weights *w* the resample draws rows with probability proportional to weight.

    Raises
    ------
    ConfigError
        ``n_boot`` not an integer >= 2.
    """
    from sklearn.metrics import adjusted_rand_score

    if not (isinstance(n_boot, (int, np.integer)) and not isinstance(n_boot, bool) and n_boot >= 2):
        raise ConfigError(f"n_boot must be an integer >= 2, got {n_boot!r}.")
    rows = np.flatnonzero(ref >= 0)
    rng = np.random.default_rng(random_state)
    ari = np.full(n_boot, np.nan)
    jac = np.full((n_boot, k), np.nan)
    failed = 0
    prob = None
    if w is not None:
        prob = w[rows] / w[rows].sum()
    for b in range(n_boot):
        seed = int(rng.integers(2**31 - 1))
        sample = frame.iloc[rng.choice(rows, size=len(rows), replace=True, p=prob)]
        try:
            predict = refit(sample, seed)
        except NeedlabError:
            failed += 1
            continue
        pred = predict(frame)
        both = (ref >= 0) & (pred >= 0)
        a, p = ref[both], pred[both]
        ari[b] = adjusted_rand_score(a, p)
        kb = int(p.max()) + 1 if len(p) else 1
        inter = np.bincount(a * kb + p, minlength=k * kb).reshape(k, kb).astype(float)
        union = inter.sum(1, keepdims=True) + inter.sum(0, keepdims=True) - inter
        with np.errstate(invalid="ignore", divide="ignore"):
            jac[b] = np.nanmax(np.where(union > 0, inter / union, 0.0), axis=1)
    notes = []
    n_out = int((ref < 0).sum())
    if n_out:
        notes.append(
            f"{n_out} rows without a segment (missing values) were neither resampled nor compared."
        )
    if failed:
        notes.append(
            f"{failed} of {n_boot} resamples could not be fitted (e.g. a column became "
            "constant) and were skipped."
        )
    table = pd.DataFrame(
        [{"measure": "ARI", "segment": -1, **_summarise(ari)}]
        + [{"measure": "Jaccard", "segment": s, **_summarise(jac[:, s])} for s in range(k)]
    )
    return StabilityResult(
        table,
        ari=ari,
        jaccard=jac,
        k=int(k),
        n_boot=int(n_boot),
        n_used=len(rows),
        n_excluded=n_out,
        notes=tuple(notes),
    )
