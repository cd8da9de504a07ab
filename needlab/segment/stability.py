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

from needlab._progress import progress_bar
from needlab._result import Result
from needlab._types import RandomState
from needlab.errors import ConfigError, NeedlabError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["StabilityResult", "bootstrap_stability", "bootstrap_stability_many"]

#: refit(resampled rows, seed) -> a function giving the segment (-1 none) of any rows
Refit = Callable[[pd.DataFrame, int], Callable[[pd.DataFrame], np.ndarray]]
#: refit(positions of the resampled rows, seed) -> {k: segment (-1 none) of every row}
MultiRefit = Callable[[np.ndarray, int], dict[int, np.ndarray]]


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


def _compare(ref: np.ndarray, pred: np.ndarray, k: int) -> tuple[float, np.ndarray]:
    """Adjusted Rand index of *pred* against *ref* and, per segment of *ref*, the Jaccard
    similarity with its best-matching segment of *pred* (rows labelled -1 in either are left
    out)."""
    from sklearn.metrics import adjusted_rand_score

    both = (ref >= 0) & (pred >= 0)
    a, p = ref[both], pred[both]
    ari = float(adjusted_rand_score(a, p))
    kb = int(p.max()) + 1 if len(p) else 1
    inter = np.bincount(a * kb + p, minlength=k * kb).reshape(k, kb).astype(float)
    union = inter.sum(1, keepdims=True) + inter.sum(0, keepdims=True) - inter
    with np.errstate(invalid="ignore", divide="ignore"):
        jac = np.nanmax(np.where(union > 0, inter / union, 0.0), axis=1)
    return ari, jac


def _check_n_boot(n_boot: Any) -> None:
    if not (isinstance(n_boot, (int, np.integer)) and not isinstance(n_boot, bool) and n_boot >= 2):
        raise ConfigError(f"n_boot must be an integer >= 2, got {n_boot!r}.")


def _result(
    ari: np.ndarray,
    jac: np.ndarray,
    k: int,
    n_boot: int,
    n_used: int,
    n_out: int,
    failed: int,
    extra: tuple[str, ...] = (),
) -> StabilityResult:
    notes = []
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
        n_used=n_used,
        n_excluded=n_out,
        notes=(*notes, *extra),
    )


def bootstrap_stability(
    frame: pd.DataFrame,
    ref: np.ndarray,
    k: int,
    refit: Refit,
    *,
    n_boot: int,
    random_state: RandomState = None,
    w: np.ndarray | None = None,
    progress: bool | None = None,
) -> StabilityResult:
    """Refit on *n_boot* bootstrap resamples of the rows of *frame* that have a segment in *ref*
    and compare each refit's assignment of all rows with *ref*.

    With row weights *w* the resample draws rows with probability proportional to weight.
    *progress*: a progress bar over the resamples (see :mod:`needlab._progress`).

    Raises
    ------
    ConfigError
        ``n_boot`` not an integer >= 2.
    """
    _check_n_boot(n_boot)
    rows = np.flatnonzero(ref >= 0)
    rng = np.random.default_rng(random_state)
    ari = np.full(n_boot, np.nan)
    jac = np.full((n_boot, k), np.nan)
    failed = 0
    prob = None
    if w is not None:
        prob = w[rows] / w[rows].sum()
    for b in progress_bar(range(n_boot), progress=progress, desc="stability", unit="resample"):
        seed = int(rng.integers(2**31 - 1))
        sample = frame.iloc[rng.choice(rows, size=len(rows), replace=True, p=prob)]
        try:
            predict = refit(sample, seed)
        except NeedlabError:
            failed += 1
            continue
        ari[b], jac[b] = _compare(ref, predict(frame), k)
    return _result(ari, jac, k, n_boot, len(rows), int((ref < 0).sum()), failed)


def bootstrap_stability_many(
    refs: dict[int, np.ndarray],
    refit: MultiRefit,
    *,
    n_boot: int,
    random_state: RandomState = None,
    w: np.ndarray | None = None,
    max_rows: int | None = None,
    progress: bool | None = None,
) -> dict[int, StabilityResult]:
    """Bootstrap stability of several partitions of the same rows (one per k) from the same
    resamples: each resample is drawn once and *refit* fits every k on it.

    *refs* maps k to the reference assignment (-1 for rows without a segment; the same rows for
    every k). ``refit(rows, seed)`` gets the positions of the resampled rows and returns, per k,
    the assignment of *all* rows by the fit on the resample. A resample has as many rows as
    have a segment, or *max_rows* when that is smaller (an m-out-of-n bootstrap; noted in each
    result). With row weights *w* rows are drawn with probability proportional to weight.

    Raises
    ------
    ConfigError
        ``n_boot`` not an integer >= 2.
    """
    _check_n_boot(n_boot)
    ref0 = next(iter(refs.values()))
    rows = np.flatnonzero(ref0 >= 0)
    size = len(rows) if max_rows is None else min(len(rows), int(max_rows))
    rng = np.random.default_rng(random_state)
    ari = {k: np.full(n_boot, np.nan) for k in refs}
    jac = {k: np.full((n_boot, k), np.nan) for k in refs}
    failed = 0
    prob = None if w is None else w[rows] / w[rows].sum()
    for b in progress_bar(range(n_boot), progress=progress, desc="stability", unit="resample"):
        seed = int(rng.integers(2**31 - 1))
        sample = rng.choice(rows, size=size, replace=True, p=prob)
        try:
            preds = refit(sample, seed)
        except NeedlabError:
            failed += 1
            continue
        for k, ref in refs.items():
            ari[k][b], jac[k][b] = _compare(ref, preds[k], k)
    extra: tuple[str, ...] = ()
    if size < len(rows):
        extra = (
            f"Each resample drew {size:,} of the {len(rows):,} rows (an m-out-of-n bootstrap, "
            "to bound the time); smaller resamples vary more, so the stability is if anything "
            "understated.",
        )
    n_out = int((ref0 < 0).sum())
    return {k: _result(ari[k], jac[k], k, n_boot, len(rows), n_out, failed, extra) for k in refs}
