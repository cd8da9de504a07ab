"""Plots of segment results: segment sizes, the RFM grid and the tier migration matrix.

matplotlib is imported inside the functions, so importing needlab stays fast. Plots only draw
what the results already hold; they compute no statistics of their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from needlab.errors import ConfigError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["migration_matrix", "rfm_grid", "segment_sizes"]


def _axes(ax: Axes | None) -> Axes:
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(6, 4))
    return ax


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
    vals = counts.to_numpy(dtype=float)[keep]
    names = [n for n, k in zip(names, keep, strict=True) if k]
    if share:
        vals = vals / max(len(s), 1)
    ax = _axes(ax)
    y = np.arange(len(vals))[::-1]
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
    ax = _axes(ax)
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
    ax = _axes(ax)
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
