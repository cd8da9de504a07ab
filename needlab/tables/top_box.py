"""Top-k (or bottom-k) box percentages and means of the items of a rating battery.

Weighted when ``weights=`` is given (or the Survey has a weight column); each item has its own
base: the rows that answered it.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from needlab._engine import ENGINES, Engine, describe, resolve_engine, to_pandas_input
from needlab._i18n import TABLE_LABELS
from needlab._result import Result
from needlab._stats import effective_n_by, grouped_sum, weighted_mean_se
from needlab._types import Lang, Weights
from needlab._validate import (
    as_design,
    check_columns,
    check_numeric,
    check_option,
    check_weights,
)
from needlab.errors import ConfigError, DataError
from needlab.tables.design import with_labels
from needlab.tables.scoring import (
    TITLES,
    Rows,
    by_table,
    cell_groups,
    cell_values,
    engine_cells,
    groups,
)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["TopBoxResult", "top_box"]


@dataclass(frozen=True, repr=False)
class TopBoxResult(Result):
    """Result of :func:`top_box`.

    Attributes
    ----------
    table : DataFrame
        One row per item (and group); columns described in :func:`top_box`.
    box : tuple
        The codes counted in the box.
    bottom : bool
        Whether the bottom box was counted.
    by : hashable
        The group column (None without groups).
    n_used, n_excluded : int
        Respondents who answered at least one item with a positive weight, and the others.
    lang : {"en", "zh"}
        Language of the Total label and the title.
    """

    box: tuple[Any, ...] = ()
    bottom: bool = False
    by: Hashable = None
    lang: str = "en"

    @property
    def title(self) -> str:  # type: ignore[override]
        titles = TITLES["bottom_box" if self.bottom else "top_box"]
        return titles.get(self.lang, titles["en"])

    def summary(self) -> dict[str, Any]:
        return {
            "box": ("bottom" if self.bottom else "top") + f"-{len(self.box)}",
            "codes": ", ".join(map(str, self.box)),
            "items": self.table["item"].nunique(),
        }

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Horizontal bars of the box percentage per item (see :func:`needlab.tables.plot.box_bars`)."""
        from needlab.tables.plot import box_bars

        return box_bars(self, ax=ax, **kwargs)


def top_box(
    data: Any,
    vars: Sequence[Hashable] | Hashable,
    *,
    k: int = 2,
    bottom: bool = False,
    scale_max: float | None = None,
    scale_min: float | None = None,
    by: Hashable | None = None,
    weights: Weights = None,
    lang: Lang = "en",
    engine: Engine = "auto",
) -> TopBoxResult:
    """Top-k (or bottom-k) box percentage and mean of each item of a rating battery.

    The top-k box of a scale with highest code ``H`` counts answers ``>= H - k + 1``; the
    bottom-k box with lowest code ``L`` counts answers ``<= L + k - 1``. Each item has its
    own base: the rows that answered it.

    Parameters
    ----------
    data : DataFrame or Survey
        One row per respondent. A :class:`~needlab.Survey` gives the codes of the items, the
        labels of the groups and its codebook's weight column.
    vars : hashable or sequence of hashable
        The items (numeric ratings on one common scale).
    k : int, default 2
        Width of the box.
    bottom : bool, default False
        Count the bottom box instead of the top box.
    scale_max, scale_min : float, optional
        Highest and lowest code of the scale. By default the highest (lowest) answer observed
        in any of the items, which understates the scale when nobody chose its end: give them
        when you know the scale. Answers outside a given range are an error.
    by : hashable, optional
        A group column: rows per item and group, then a ``Total`` row per item.
    weights : column name, array or False, optional
        Respondent weights; on a Survey None takes the codebook's weight column and False is
        unweighted.
    lang : {"en", "zh"}, default "en"
        Language of the per-item total rows' ``group`` label (``"Total"`` or ``"合计"``) and
        of the title. Column names of ``.table`` stay English in both languages: they are
        the API.
    engine : {"auto", "pandas", "duckdb"}, default "auto"
        Where the answers are counted (:func:`needlab._engine.resolve_engine`), as in
        :func:`~needlab.tables.nps.nps`: per item the engine returns n, sum w and sum w^2 per
        (answer, group), and one more scan counts the rows answering at least one item; the
        box shares, means and bases follow from those cells and equal the pandas path's. For
        engine input ``weights`` must be a column name.

    Returns
    -------
    TopBoxResult
        ``n_used`` counts the respondents who answered at least one item with a positive
        weight. ``.table`` has one row per item (per item and group with ``by``; items in the given
        order) with columns ``item``, ``group`` (only with ``by``), ``n`` (answers to the item,
        unweighted: the item's base), ``n_missing`` (rows without an answer), ``weighted_n``
        (sum of weights of the answers), ``n_eff`` (Kish effective base), ``top_box`` (or
        ``bottom_box``: weighted percent of answers in the box) and ``mean`` (weighted
        mean rating).

    Raises
    ------
    SchemaError
        A missing column.
    DataError
        Non-numeric answers, answers outside ``scale_min`` .. ``scale_max``, items with no
        answers at all, or invalid weights.
    ConfigError
        ``k`` not a positive whole number, ``k`` wider than the scale, or an unknown
        ``engine``; weights given as an array for an engine frame.

    References
    ----------
    Sauro, J., & Lewis, J. R. (2016). *Quantifying the User Experience* (2nd ed.), ch. 4
    (top-box scoring). Kish, L. (1965). *Survey Sampling*. Wiley.

    Examples
    --------
    >>> df = pd.DataFrame({"price": [5, 4, 3, 2, 1], "speed": [5, 5, 4, None, 2]})
    >>> top_box(df, ["price", "speed"], scale_max=5).table[["item", "n", "top_box", "mean"]]
        item  n  top_box  mean
    0  price  5     40.0   3.0
    1  speed  4     75.0   4.0
    """
    check_option(engine, ENGINES, "engine")
    check_option(lang, ("en", "zh"), "lang")
    if not isinstance(k, (int, np.integer)) or isinstance(k, bool) or k < 1:
        raise ConfigError(f"k must be a positive whole number (the width of the box), got {k!r}.")
    if resolve_engine(data, engine) != "pandas":
        return _top_box_engine(
            data, vars, k, bottom, scale_max, scale_min, by, weights, lang, engine
        )
    data = to_pandas_input(data)
    design = as_design(data, weights=weights, labels=False)
    data = with_labels(data, design, [by])
    cols = check_columns(data, vars)
    x = np.column_stack([check_numeric(data, c).to_numpy(dtype=float) for c in cols])
    answered = ~np.isnan(x)
    empty = [c for c, a in zip(cols, answered.any(axis=0), strict=True) if not a]
    if empty:
        raise DataError(f"items {empty} have no answers at all; drop them from vars.")
    for bound, name, bad in (
        (scale_max, "scale_max", lambda v, b: v > b),
        (scale_min, "scale_min", lambda v, b: v < b),
    ):
        if bound is None:
            continue
        with np.errstate(invalid="ignore"):
            out = answered & bad(x, bound)
        if out.any():
            j = int(np.flatnonzero(out.any(axis=0))[0])
            rows = np.flatnonzero(out[:, j])
            raise DataError(
                f"column {cols[j]!r} has answers beyond {name}={bound}: "
                f"{', '.join(map(str, np.unique(x[rows, j])[:5]))} at rows "
                f"{', '.join(map(str, rows[:5]))}; recode them or correct {name}."
            )
    hi = float(np.nanmax(x)) if scale_max is None else float(scale_max)
    lo = float(np.nanmin(x)) if scale_min is None else float(scale_min)
    if k > hi - lo + 1:
        raise ConfigError(f"k={k} is wider than the scale {lo:g} to {hi:g}.")
    in_box = (x <= lo + k - 1) if bottom else (x >= hi - k + 1)
    box_codes = tuple(np.arange(lo, lo + k) if bottom else np.arange(hi - k + 1, hi + 1))
    box_codes = tuple(int(v) if float(v).is_integer() else float(v) for v in box_codes)
    name = "bottom_box" if bottom else "top_box"
    w_in = check_weights(data, design.weights)
    w = np.ones(len(data)) if w_in is None else w_in
    total = TABLE_LABELS[lang]["total"]
    codes, names, notes = groups(data, by, total)

    parts = []
    for j, item in enumerate(cols):
        xj, aj, bj = x[:, j], answered[:, j], in_box[:, j]

        def stats(
            c0: np.ndarray, kk: int, xj: np.ndarray = xj, aj: np.ndarray = aj, bj: np.ndarray = bj
        ) -> dict[str, np.ndarray]:
            c = np.where(aj, c0, -1)
            wn = grouped_sum(c, kk, w)
            with np.errstate(invalid="ignore", divide="ignore"):
                share = grouped_sum(c, kk, w * bj) / wn
            mean, _, _ = weighted_mean_se(c, kk, xj, w)
            return {
                "n": grouped_sum(c, kk),
                "n_missing": grouped_sum(np.where(aj, -1, c0), kk),
                "weighted_n": wn,
                "n_eff": effective_n_by(c, kk, w),
                name: 100 * share,
                "mean": mean,
            }

        t = by_table(codes, names, by, stats, total)
        t.insert(0, "item", pd.Series([item] * len(t), dtype=object))
        parts.append(t)
    table = pd.concat(parts, ignore_index=True)
    totals = table if by is None else table.groupby("item", sort=False).tail(1)
    if by is None:
        table = table.drop(columns="group")
    if (scale_max is None and not bottom) or (scale_min is None and bottom):
        end = "min" if bottom else "max"
        notes.append(
            f"the {'lowest' if bottom else 'highest'} code was taken from the data "
            f"({lo if bottom else hi:g}); pass scale_{end}= when the scale is known."
        )
    notes.insert(0, f"{name.replace('_', '-')} counts the codes {', '.join(map(str, box_codes))}.")
    if int(totals["n_missing"].sum()):
        notes.append("rows without an answer are left out of each item's base (see n_missing).")
    any_answer = answered.any(axis=1)
    none = int(len(data) - np.count_nonzero(any_answer))
    if none:
        notes.append(f"{none} of {len(data)} rows answer none of the items (excluded).")
    zero = int(np.count_nonzero(any_answer & (w <= 0)))
    if zero:
        notes.append(f"{zero} rows have weight 0: they count for nothing (excluded from n_used).")
    n_used = int(np.count_nonzero(any_answer & (w > 0)))
    return TopBoxResult(
        table,
        box=box_codes,
        bottom=bottom,
        by=by,
        lang=lang,
        n_used=n_used,
        n_excluded=len(data) - n_used,
        notes=tuple(notes),
    )


def _top_box_engine(
    data: Any,
    vars: Sequence[Hashable] | Hashable,
    k: int,
    bottom: bool,
    scale_max: float | None,
    scale_min: float | None,
    by: Hashable | None,
    weights: Any,
    lang: str,
    engine: Engine,
) -> TopBoxResult:
    """:func:`top_box` on cells counted in the engine: one count of (answer, group) per item
    and one count of the rows answering at least one item."""
    cols = [vars] if isinstance(vars, str) or not isinstance(vars, Sequence) else list(vars)
    total = TABLE_LABELS[lang]["total"]
    counted = []
    for item in cols:
        cells, _ = engine_cells(data, [item], by, weights, engine)
        counted.append((cells, cell_values(cells, item, data)))
    empty = [c for c, (_, x) in zip(cols, counted, strict=True) if np.isnan(x).all()]
    if empty:
        raise DataError(f"items {empty} have no answers at all; drop them from vars.")
    for bound, bname, bad in (
        (scale_max, "scale_max", lambda v, b: v > b),
        (scale_min, "scale_min", lambda v, b: v < b),
    ):
        if bound is None:
            continue
        for item, (cells, x) in zip(cols, counted, strict=True):
            with np.errstate(invalid="ignore"):
                out = ~np.isnan(x) & bad(x, bound)
            if out.any():
                raise DataError(
                    f"column {item!r} has {int(cells['n'].to_numpy()[out].sum())} answers beyond "
                    f"{bname}={bound} in the {describe(data)}: "
                    f"{', '.join(map(str, np.unique(x[out])[:5]))}; recode them or correct {bname}."
                )
    hi = max(float(np.nanmax(x)) for _, x in counted) if scale_max is None else float(scale_max)
    lo = min(float(np.nanmin(x)) for _, x in counted) if scale_min is None else float(scale_min)
    if k > hi - lo + 1:
        raise ConfigError(f"k={k} is wider than the scale {lo:g} to {hi:g}.")
    box_codes = tuple(np.arange(lo, lo + k) if bottom else np.arange(hi - k + 1, hi + 1))
    box_codes = tuple(int(v) if float(v).is_integer() else float(v) for v in box_codes)
    name = "bottom_box" if bottom else "top_box"
    notes: list[str] = []
    parts = []
    for j, (item, (cells, x)) in enumerate(zip(cols, counted, strict=True)):
        codes, names, group_notes = cell_groups(cells, by, total)
        if j == 0:
            notes = group_notes
        answered = ~np.isnan(x)
        with np.errstate(invalid="ignore"):
            in_box = (x <= lo + k - 1) if bottom else (x >= hi - k + 1)
        sw = cells["sum_w"].to_numpy()
        rows = Rows(sw, cells["n"].to_numpy(dtype=float), cells["sum_w2"].to_numpy())

        def stats(
            c0: np.ndarray,
            kk: int,
            x: np.ndarray = x,
            aj: np.ndarray = answered,
            bj: np.ndarray = in_box,
            sw: np.ndarray = sw,
            rows: Rows = rows,
        ) -> dict[str, np.ndarray]:
            c = np.where(aj, c0, -1)
            wn = grouped_sum(c, kk, sw)
            with np.errstate(invalid="ignore", divide="ignore"):
                share = grouped_sum(c, kk, sw * bj) / wn
            mean, _, _ = rows.mean_se(c, kk, x)
            return {
                "n": rows.count(c, kk),
                "n_missing": rows.count(np.where(aj, -1, c0), kk),
                "weighted_n": wn,
                "n_eff": rows.n_eff(c, kk),
                name: 100 * share,
                "mean": mean,
            }

        t = by_table(codes, names, by, stats, total)
        t.insert(0, "item", pd.Series([item] * len(t), dtype=object))
        parts.append(t)
    table = pd.concat(parts, ignore_index=True)
    totals = table if by is None else table.groupby("item", sort=False).tail(1)
    if by is None:
        table = table.drop(columns="group")
    if (scale_max is None and not bottom) or (scale_min is None and bottom):
        end = "min" if bottom else "max"
        notes.append(
            f"the {'lowest' if bottom else 'highest'} code was taken from the data "
            f"({lo if bottom else hi:g}); pass scale_{end}= when the scale is known."
        )
    notes.insert(0, f"{name.replace('_', '-')} counts the codes {', '.join(map(str, box_codes))}.")
    if int(totals["n_missing"].sum()):
        notes.append("rows without an answer are left out of each item's base (see n_missing).")
    n_rows, n_any, n_used = _answered(data, cols, weights, engine)
    none = n_rows - n_any
    if none:
        notes.append(f"{none} of {n_rows} rows answer none of the items (excluded).")
    zero = n_any - n_used
    if zero:
        notes.append(f"{zero} rows have weight 0: they count for nothing (excluded from n_used).")
    return TopBoxResult(
        table,
        box=box_codes,
        bottom=bottom,
        by=by,
        lang=lang,
        n_used=n_used,
        n_excluded=n_rows - n_used,
        notes=tuple(notes),
    )


def _answered(data: Any, cols: list, weights: Any, engine: Engine) -> tuple[int, int, int]:
    """Rows, rows answering at least one of *cols*, and those with w > 0: counted in the
    engine for engine input, in numpy for a pandas frame or Survey (whose weights may be an
    array or the codebook's)."""
    from needlab._engine import count_answered, is_engine_input

    if is_engine_input(data):
        wcol = None if weights is None or weights is False else weights
        return count_answered(data, cols, weights=wcol, engine=engine)
    design = as_design(data, weights=weights, labels=False)
    w = check_weights(design.data, design.weights)
    answered: np.ndarray = np.asarray(design.data[cols].notna().to_numpy().any(axis=1))
    pos = answered if w is None else answered & (w > 0)
    return len(answered), int(answered.sum()), int(pos.sum())
