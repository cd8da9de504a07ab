"""Segment profiles: who is in each segment compared with the whole sample.

For every segment and every profiling variable the profile gives the segment value (a mean
for numeric variables, the share of each level for categorical ones), the value in the total
sample, an index (segment / total x 100) and a significance mark against the *rest* of the
sample. Everything is computed from grouped sums (one :func:`numpy.bincount` per variable), so
there is no loop over respondents.

References
----------
Kish, L. (1965). *Survey Sampling*. Wiley (effective sample size, section 11.7).
Welch, B. L. (1947). The generalization of "Student's" problem when several different
population variances are involved. *Biometrika*, 34(1-2), 28-35.
Benjamini, Y., & Hochberg, Y. (1995). Controlling the false discovery rate: a practical and
powerful approach to multiple testing. *JRSS B*, 57(1), 289-300.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, cast

import numpy as np
import pandas as pd

from needlab._engine import (
    ENGINES,
    Engine,
    _lazy,
    check_engine_columns,
    describe,
    grouped_sums,
    is_engine_input,
    resolve_engine,
    to_pandas_input,
)
from needlab._result import Result
from needlab._stats import codes_of, effective_n_by, grouped_sum, kish_base
from needlab._types import Lang, Weights
from needlab._validate import (
    as_design,
    check_alpha,
    check_columns,
    check_numeric,
    check_option,
    check_weights,
)
from needlab.errors import ConfigError, DataError
from needlab.tables.coltests import adjust_pvalues, mean_test, proportion_test

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["ProfileResult", "profile"]

_LABELS = {
    "en": {"total": "Total", "size": "Size", "share": "share", "n": "n", "index": "index"},
    "zh": {"total": "总体", "size": "规模", "share": "占比", "n": "样本量", "index": "指数"},
}

#: Columns of :attr:`ProfileResult.table`, in order.
TABLE_COLUMNS = [
    "segment",
    "variable",
    "level",
    "kind",
    "value",
    "total",
    "index",
    "rest",
    "n",
    "n_eff",
    "p",
    "p_adj",
    "mark",
]


@dataclass(frozen=True, repr=False)
class ProfileResult(Result):
    """Result of :func:`profile`.

    ``n_used`` counts the rows (respondents or customers) with a segment, ``n_excluded`` those
    whose segment is missing (noted). Missing values of one variable leave the row out of that
    variable only (its base ``n`` in :attr:`table`, noted).

    Attributes
    ----------
    table : DataFrame
        Long form, one row per segment x profiling cell (columns described in :func:`profile`).
    sizes : DataFrame
        One row per segment: ``segment``, ``n`` (rows), ``weight`` (sum of weights; equals ``n``
        without weights), ``share`` (weighted share of the profiled sample) and ``n_eff``
        (Kish effective base).
    segment_name : str
        Name of the segment column.
    variables : tuple
        The profiled variables, in the order given.
    alpha : float
        Significance level applied to ``p_adj``.
    adjust : str or None
        Multiple-comparison adjustment used for ``p_adj``.
    lang : str
        Language of the headings in :meth:`display`.
    """

    sizes: pd.DataFrame | None = None
    segment_name: str = "segment"
    variables: tuple = ()
    alpha: float = 0.05
    adjust: str | None = "bh"
    lang: str = "en"

    title = "Segment profile"

    def summary(self) -> dict[str, Any]:
        sig = self.table["mark"].ne("")
        return {
            "segments": len(self.sizes) if self.sizes is not None else 0,
            "variables": len(self.variables),
            "cells": int(len(self.table)),
            "significant cells": int(sig.sum()),
        }

    def tables(self) -> dict[str, pd.DataFrame]:
        return {
            "profile": self.table,
            "sizes": self.sizes if self.sizes is not None else pd.DataFrame(),
            "index": self.wide().reset_index(),
        }

    def wide(self, values: Literal["index", "value", "p_adj", "mark"] = "index") -> pd.DataFrame:
        """Variables x segments matrix of one column of :attr:`table` (default the index).

        Rows are labelled ``"variable"`` for numeric variables and ``"variable = level"`` for
        categorical levels, in table order; columns are the segments in order.
        """
        check_option(values, ("index", "value", "p_adj", "mark"), "values")
        t = self.table
        out = t.assign(row=_row_labels(t)).pivot(index="row", columns="segment", values=values)
        rows = pd.unique(_row_labels(t))
        segs = self.sizes["segment"].tolist() if self.sizes is not None else list(out.columns)
        out = out.reindex(index=rows, columns=segs)
        out.index.name = None
        out.columns.name = self.segment_name
        return out

    def display(self, decimals: int = 1) -> pd.DataFrame:
        """A readable matrix: the total column and, per segment, ``value (index) mark``.

        Shares are shown in percent. The first row gives the segment sizes.
        """
        lab = _LABELS.get(self.lang, _LABELS["en"])
        t = self.table
        pct = t["kind"].eq("share").to_numpy()
        val = np.where(pct, t["value"].to_numpy(float) * 100, t["value"].to_numpy(float))
        tot = np.where(pct, t["total"].to_numpy(float) * 100, t["total"].to_numpy(float))
        unit = np.where(pct, "%", "")
        idx = t["index"].to_numpy(float)
        idx_txt = np.where(np.isfinite(idx), np.char.mod("%.0f", np.nan_to_num(idx)), "-")
        cell = (
            np.char.mod(f"%.{decimals}f", val).astype(object)
            + unit
            + " ("
            + idx_txt
            + ")"
            + np.where(t["mark"].to_numpy(object) == "", "", " ")
            + t["mark"].to_numpy(object)
        )
        cell = np.where(np.isfinite(val), cell, "-")
        frame = pd.DataFrame(
            {
                "row": _row_labels(t),
                "segment": t["segment"].to_numpy(),
                "cell": cell,
                "total": np.char.mod(f"%.{decimals}f", tot).astype(object) + unit,
            }
        )
        wide = frame.pivot(index="row", columns="segment", values="cell")
        rows = pd.unique(frame["row"])
        segs = self.sizes["segment"].tolist() if self.sizes is not None else list(wide.columns)
        wide = wide.reindex(index=rows, columns=segs)
        total = frame.drop_duplicates("row").set_index("row")["total"].reindex(rows)
        wide.insert(0, lab["total"], total)
        if self.sizes is not None:
            sz = self.sizes
            size_row = pd.DataFrame(
                [
                    [f"{int(sz['n'].sum())} (100%)"]
                    + [
                        f"{n} ({s * 100:.{decimals}f}%)"
                        for n, s in zip(sz["n"], sz["share"], strict=True)
                    ]
                ],
                index=[f"{lab['size']}: {lab['n']} ({lab['share']})"],
                columns=wide.columns,
            )
            wide = pd.concat([size_row, wide])
        wide.index.name = None
        wide.columns = [str(c) for c in wide.columns]
        return wide

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Heatmap of the indices (see :func:`needlab.segment.plot_profile.profile_heatmap`)."""
        from needlab.segment.plot_profile import profile_heatmap

        return profile_heatmap(self, ax=ax, **kwargs)


def _row_labels(t: pd.DataFrame) -> pd.Series:
    var = t["variable"].astype(object).map(str).to_numpy(object)
    lev = t["level"].astype(object)
    has = lev.notna().to_numpy()
    out = np.where(has, var + " = " + lev.map(str).to_numpy(object), var)
    return pd.Series(out, index=t.index, dtype=object)


def profile(
    data: Any,
    vars: Sequence[Hashable] | Hashable,
    *,
    by: Hashable,
    weights: Weights = None,
    alpha: float = 0.05,
    adjust: Literal["bh", "bonferroni"] | None = "bh",
    lang: Lang = "en",
    engine: Engine = "auto",
) -> ProfileResult:
    """Profile segments on a set of variables: values, indices and significance against the rest.

    Numeric columns (not boolean) are summarised by their (weighted) mean; every other column
    (text, categorical, boolean) by the (weighted) share of each level, one row per level.
    Evaluation variables that were not used to form the segments are just more columns.
    Numerically coded categories (e.g. region codes 1-6) are numeric to pandas: cast them with
    ``.astype("category")`` to get level shares instead of a mean.

    Parameters
    ----------
    data : DataFrame, Survey, Parquet/CSV path or engine frame
        One row per respondent or customer. A :class:`~needlab.Survey` gives its answer labels
        (single-choice questions become level shares, numeric questions stay means).
    vars : column name or list of column names
        The profiling variables.
    by : column name
        The segment of each row. Rows with a missing segment are excluded and counted. A
        categorical keeps its category order (unused categories dropped); otherwise segments
        are sorted.
    weights : column name, array, None or False
        Case weights. Values are weighted means and shares; tests use Kish effective bases.
        ``None``: the Survey's weight column (unweighted for a DataFrame); ``False``:
        unweighted.
    alpha : float
        Significance level for the marks, applied to the adjusted p values.
    adjust : {"bh", "bonferroni", None}
        Adjustment of the p values over *all* cells of the profile (every segment x variable x
        level) as one family: Benjamini-Hochberg false-discovery rate (default), Bonferroni, or
        none.
    lang : {"en", "zh"}
        Language of the headings in :meth:`ProfileResult.display`.
    engine : {"auto", "pandas", "duckdb"}, default "auto"
        Where the counting runs. A Polars frame, DuckDB relation, SQLFrame/PySpark DataFrame
        or Parquet/CSV path is counted where it lives: per segment n, sum w and sum w^2; per
        numeric variable the sums of w, w^2, w x and w x^2 over its non-missing rows (x centred
        on its total weighted mean, found in a first pass, so no cancellation); per
        categorical variable the same per (segment, level). The statistics follow exactly as
        on the pandas path. Weights must then be a column name; null and NaN are both missing.
        ``"pandas"`` collects an engine frame first. A pandas frame or Survey is always
        profiled in numpy (one bincount per variable).

    Returns
    -------
    ProfileResult
        ``table`` has one row per segment x cell:

        - ``segment``: the segment.
        - ``variable``: the profiling column.
        - ``level``: the level for a categorical variable; missing for a numeric one.
        - ``kind``: ``"mean"`` (numeric) or ``"share"`` (a level of a categorical).
        - ``value``: the segment's (weighted) mean, or the share (0-1) of the level among the
          segment's rows with a non-missing value of the variable.
        - ``total``: the same statistic over all profiled rows (all segments).
        - ``index``: ``value / total * 100``; 100 is average. Missing when ``total`` is not
          positive (an index of a zero or negative mean has no meaning).
        - ``rest``: the statistic over the rows of all *other* segments.
        - ``n``: rows of the segment with a non-missing value of the variable (the base).
        - ``n_eff``: Kish effective base of those rows, ``(sum w)^2 / sum w^2`` (= ``n``
          without weights).
        - ``p``: two-sided p value of segment vs rest. Means: Welch's t test with weighted
          means, reliability-weighted variances and Welch-Satterthwaite degrees of freedom on
          effective bases. Shares: two-proportion z test with a pooled proportion on
          effective bases. Missing when the test is impossible (e.g. one row, or no variance).
        - ``p_adj``: ``p`` adjusted over all cells (see ``adjust``).
        - ``mark``: ``"+"`` when ``p_adj < alpha`` and the segment is above the rest, ``"-"``
          when significantly below, ``""`` otherwise.

        ``sizes`` gives the segment sizes; ``n_used``/``n_excluded`` count rows with and
        without a segment; ``notes`` the excluded rows (missing segments, and
        per variable the missing values, which are excluded from that variable only).

    Raises
    ------
    SchemaError
        Not a DataFrame, or a column (segment, variable or weight) not found.
    DataError
        The segment column is entirely missing or has a single segment; invalid weights
        (negative, missing, infinite); a variable with no non-missing value.
    ConfigError
        Bad ``alpha``, ``adjust`` or ``lang``; the ``by`` column listed among ``vars``.

    References
    ----------
    Kish (1965) for effective bases; Welch (1947) for the t test; Benjamini & Hochberg (1995)
    for the false-discovery-rate adjustment.

    Examples
    --------
    >>> df = pd.DataFrame({"seg": ["a"] * 4 + ["b"] * 4,
    ...                    "age": [20, 22, 24, 26, 40, 42, 44, 46],
    ...                    "city": ["x", "x", "x", "y", "y", "y", "y", "x"]})
    >>> res = profile(df, ["age", "city"], by="seg")
    >>> res.wide().round(1)
    seg           a      b
    age        69.7  130.3
    city = x  150.0   50.0
    city = y   50.0  150.0
    """
    check_option(engine, ENGINES, "engine")
    segment = by
    if isinstance(vars, str) or not isinstance(vars, Sequence):
        vars = [vars]
    cols = list(vars)
    if segment in cols:
        raise ConfigError(f"the by column {segment!r} is also listed in vars; remove it from vars.")
    if not cols:
        raise ConfigError("vars is empty; pass at least one profiling column.")
    check_alpha(alpha)
    check_option(adjust, ("bh", "bonferroni", None), "adjust")
    check_option(lang, ("en", "zh"), "lang")
    where = resolve_engine(data, engine)
    if is_engine_input(data):
        if where == "pandas":
            data = to_pandas_input(data)
        else:
            return _profile_engine(
                data, where, cols, segment, weights, alpha=alpha, adjust=adjust, lang=lang
            )
    design = as_design(data, weights=weights, labels=True)
    data = design.data
    check_columns(data, [segment])
    check_columns(data, cols, what="profiling column")
    w_all = check_weights(data, design.weights)
    w_all = np.ones(len(data)) if w_all is None else w_all

    seg_s = data[segment]
    seg_na = seg_s.isna().to_numpy()
    if seg_na.all():
        raise DataError(f"segment column {segment!r} is entirely missing; assign segments first.")
    notes: list[str] = []
    if seg_na.any():
        notes.append(f"{int(seg_na.sum())} rows with a missing segment ({segment!r}) excluded.")
    sub = data.loc[~seg_na]
    w = w_all[~seg_na]
    scodes, segs = codes_of(sub[segment], segment, keep_unused=False)
    k = len(segs)
    if k < 2:
        raise DataError(
            f"segment column {segment!r} has a single segment ({segs[0]!r}); "
            "a profile compares at least two segments."
        )

    seg_w = grouped_sum(scodes, k, w)
    sizes = pd.DataFrame(
        {
            "segment": segs.to_numpy(),
            "n": np.bincount(scodes, minlength=k).astype(np.int64),
            "weight": seg_w,
            "share": seg_w / seg_w.sum(),
            "n_eff": effective_n_by(scodes, k, w),
        }
    )

    blocks: list[pd.DataFrame] = []
    for col in cols:  # a loop over variables, vectorised over rows and segments
        s = sub[col]
        miss = s.isna().to_numpy()
        if miss.all():
            raise DataError(
                f"profiling column {col!r} has no non-missing value among the rows with a "
                "segment; drop it from vars."
            )
        if miss.any():
            notes.append(f"{col!r}: {int(miss.sum())} missing values excluded from this variable.")
        numeric = pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)
        if numeric:
            check_numeric(pd.DataFrame({col: s}), col)  # infinite values: DataError with rows
            blocks.append(
                _numeric_block(col, s.to_numpy(dtype=float, na_value=np.nan), scodes, k, w)
            )
        else:
            blocks.append(_share_block(col, s, scodes, k, w))

    return _finish(
        blocks,
        segs,
        sizes,
        notes,
        segment=segment,
        cols=cols,
        alpha=alpha,
        adjust=adjust,
        lang=lang,
        n_used=int((~seg_na).sum()),
        n_excluded=int(seg_na.sum()),
    )


def _finish(
    blocks: list[pd.DataFrame],
    segs: pd.Index,
    sizes: pd.DataFrame,
    notes: list[str],
    *,
    segment: Hashable,
    cols: list[Hashable],
    alpha: float,
    adjust: Literal["bh", "bonferroni"] | None,
    lang: Lang,
    n_used: int,
    n_excluded: int,
) -> ProfileResult:
    """Tests adjusted over all cells, marks, segment-major order and the result."""
    table = pd.concat(blocks, ignore_index=True)
    seg_values = segs.to_numpy()
    table.insert(0, "segment", seg_values[table.pop("_seg").to_numpy()])
    table["p_adj"] = adjust_pvalues(table["p"].to_numpy(float), adjust)
    sig = table["p_adj"].to_numpy(float) < alpha
    diff = table["value"].to_numpy(float) - table["rest"].to_numpy(float)
    table["mark"] = np.where(sig & (diff > 0), "+", np.where(sig & (diff < 0), "-", ""))
    # segment-major order: all cells of the first segment, then the next
    table["_s"] = table["segment"].map({v: i for i, v in enumerate(seg_values)})
    table = table.sort_values(["_s"], kind="stable").drop(columns="_s").reset_index(drop=True)
    table = table[TABLE_COLUMNS]
    nonpos = table["kind"].eq("mean") & ~(table["total"] > 0)
    if nonpos.any():
        bad = pd.unique(table.loc[nonpos, "variable"])
        notes.append(
            f"index not computed for {', '.join(map(repr, bad))}: the total mean is not positive."
        )
    return ProfileResult(
        table,
        notes=tuple(notes),
        sizes=sizes,
        segment_name=str(segment),
        variables=tuple(cols),
        alpha=alpha,
        adjust=adjust,
        lang=lang,
        n_used=n_used,
        n_excluded=n_excluded,
    )


def _profile_engine(
    data: Any,
    how: str,
    cols: list[Hashable],
    segment: Hashable,
    weights: Any,
    *,
    alpha: float,
    adjust: Literal["bh", "bonferroni"] | None,
    lang: Lang,
) -> ProfileResult:
    """:func:`profile` counted in an engine: per segment n, sum w, sum w^2 (sizes), per numeric
    variable sums of w, w^2, w x and w x^2 over its non-missing rows (x centred on its total
    mean, found in a first pass), per categorical variable the sums per (segment, level)."""
    import narwhals as nw

    if weights is False:
        weights = None
    if weights is not None and not isinstance(weights, str):
        raise ConfigError(
            f"weights for a {describe(data)} must name one of its columns (got a "
            f"{type(weights).__name__}); add the weights as a column in the engine."
        )
    lf = _lazy(data, how)
    check_engine_columns(lf, [segment, *cols, *([weights] if weights else [])], data)
    schema = lf.collect_schema()
    seg_cells = grouped_sums(
        data, [segment], weights=weights, engine=cast(Any, "auto" if how == "native" else how)
    )
    seg_vals = seg_cells[segment]
    seg_na = seg_vals.isna().to_numpy()
    cn = seg_cells["n"].to_numpy()
    n_na = int(cn[seg_na].sum())
    if seg_na.all():
        raise DataError(f"segment column {segment!r} is entirely missing; assign segments first.")
    notes: list[str] = []
    if n_na:
        notes.append(f"{n_na} rows with a missing segment ({segment!r}) excluded.")
    scodes, segs = codes_of(seg_vals[~seg_na].reset_index(drop=True), segment, keep_unused=False)
    k = len(segs)
    if k < 2:
        raise DataError(
            f"segment column {segment!r} has a single segment ({segs[0]!r}); "
            "a profile compares at least two segments."
        )
    ok_seg = seg_cells.loc[~seg_na].reset_index(drop=True)
    seg_w = np.bincount(scodes, weights=ok_seg["sum_w"].to_numpy(), minlength=k)
    seg_w2 = np.bincount(scodes, weights=ok_seg["sum_w2"].to_numpy(), minlength=k)
    sizes = pd.DataFrame(
        {
            "segment": segs.to_numpy(),
            "n": np.bincount(scodes, weights=ok_seg["n"].to_numpy(), minlength=k).astype(np.int64),
            "weight": seg_w,
            "share": seg_w / seg_w.sum(),
            "n_eff": kish_base(seg_w, seg_w2),
        }
    )
    seg_code_of = dict(zip(ok_seg[segment].tolist(), scodes.tolist(), strict=True))

    w = nw.col(str(weights)).cast(nw.Float64) if weights is not None else nw.lit(1.0, nw.Float64)
    has_seg = ~nw.col(str(segment)).is_null()
    if schema[str(segment)].is_float():
        has_seg = has_seg & ~nw.col(str(segment)).is_nan().fill_null(True)
    rows = lf.filter(has_seg).with_columns(w.alias("__w"))
    numeric = [c for c in cols if schema[str(c)].is_numeric() and schema[str(c)] != nw.Boolean]

    def ok_of(c: Hashable) -> Any:
        x = nw.col(str(c)).cast(nw.Float64)
        return (~(x.is_null() | x.is_nan())).fill_null(False)

    centres: dict[Hashable, float] = {}
    if numeric:
        first = [
            e
            for j, c in enumerate(numeric)
            for e in (
                nw.when(ok_of(c)).then(nw.col("__w")).otherwise(0.0).sum().alias(f"v{j}"),
                nw.when(ok_of(c))
                .then(nw.col("__w") * nw.col(str(c)).cast(nw.Float64))
                .otherwise(0.0)
                .sum()
                .alias(f"s{j}"),
                (ok_of(c) & ~nw.col(str(c)).cast(nw.Float64).is_finite())
                .cast(nw.Float64)
                .sum()
                .alias(f"inf{j}"),
            )
        ]
        tot = rows.select(*first).collect().to_pandas().iloc[0]
        for j, c in enumerate(numeric):
            if float(tot[f"inf{j}"]):
                raise DataError(
                    f"column {c!r} has {int(tot[f'inf{j}'])} infinite values in the "
                    f"{describe(data)}; set them to missing or filter those rows."
                )
            v = float(tot[f"v{j}"])
            centres[c] = float(tot[f"s{j}"]) / v if v > 0 else 0.0
        aggs = []
        for j, c in enumerate(numeric):
            ok = ok_of(c)
            xc = nw.col(str(c)).cast(nw.Float64) - centres[c]
            wv = nw.col("__w")
            aggs += [
                ok.cast(nw.Float64).sum().alias(f"n{j}"),
                nw.when(ok).then(wv).otherwise(0.0).sum().alias(f"v1_{j}"),
                nw.when(ok).then(wv * wv).otherwise(0.0).sum().alias(f"v2_{j}"),
                nw.when(ok).then(wv * xc).otherwise(0.0).sum().alias(f"s1_{j}"),
                nw.when(ok).then(wv * xc * xc).otherwise(0.0).sum().alias(f"s2_{j}"),
            ]
        num = rows.group_by(str(segment), drop_null_keys=False).agg(*aggs).collect().to_pandas()
        num_codes = np.array([seg_code_of[v] for v in num[str(segment)].tolist()])

    blocks: list[pd.DataFrame] = []
    for col in cols:
        if col in numeric:
            j = numeric.index(col)

            def per_seg(name: str) -> np.ndarray:
                return np.bincount(num_codes, weights=num[name].to_numpy(float), minlength=k)

            n = np.rint(per_seg(f"n{j}")).astype(np.int64)
            sums = tuple(
                np.append(v, v.sum())
                for v in (per_seg(f"{p}_{j}") for p in ("v1", "v2", "s1", "s2"))
            )
            n_miss = int(sizes["n"].sum() - n.sum())
            if n.sum() == 0:
                raise DataError(
                    f"profiling column {col!r} has no non-missing value among the rows with a "
                    "segment; drop it from vars."
                )
            if n_miss:
                notes.append(f"{col!r}: {n_miss} missing values excluded from this variable.")
            blocks.append(_numeric_from_sums(col, k, sums, n, centres[col]))
            continue
        cells = grouped_sums(rows.to_native(), [segment, col], weights="__w", checked=True)
        lev_vals = cells[col]
        ok = ~lev_vals.isna().to_numpy()
        n_miss = int(cells["n"].to_numpy()[~ok].sum())
        if not ok.any():
            raise DataError(
                f"profiling column {col!r} has no non-missing value among the rows with a "
                "segment; drop it from vars."
            )
        if n_miss:
            notes.append(f"{col!r}: {n_miss} missing values excluded from this variable.")
        good = cells.loc[ok].reset_index(drop=True)
        lcodes, levels = codes_of(good[col], col, keep_unused=False)
        m = len(levels)
        sc = np.array([seg_code_of[v] for v in good[segment].tolist()], dtype=np.int64)
        cell = sc * m + lcodes
        cw = np.bincount(cell, weights=good["sum_w"].to_numpy(), minlength=k * m).reshape(k, m)
        base = np.bincount(sc, weights=good["sum_w"].to_numpy(), minlength=k)
        base2 = np.bincount(sc, weights=good["sum_w2"].to_numpy(), minlength=k)
        n = np.bincount(sc, weights=good["n"].to_numpy(), minlength=k).astype(np.int64)
        blocks.append(_share_from_sums(col, levels, cw, base, base2, n))
    return _finish(
        blocks,
        segs,
        sizes,
        notes,
        segment=segment,
        cols=cols,
        alpha=alpha,
        adjust=adjust,
        lang=lang,
        n_used=int(sizes["n"].sum()),
        n_excluded=n_na,
    )


def _moments(codes: np.ndarray, k: int, x: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per-group and total sums: V1 = sum w, V2 = sum w^2, S1 = sum w x, S2 = sum w x^2 (k+1 rows)."""
    sums = [grouped_sum(codes, k, v) for v in (w, w * w, w * x, w * x * x)]
    return tuple(np.append(v, v.sum()) for v in sums)


def _mean_sd(
    v1: np.ndarray, v2: np.ndarray, s1: np.ndarray, s2: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weighted mean, SE of the mean (reliability-weighted SD / sqrt(n_eff)) and n_eff."""
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(v1 > 0, s1 / np.where(v1 > 0, v1, 1.0), np.nan)
        ss = np.clip(s2 - v1 * np.nan_to_num(mean) ** 2, 0.0, None)
        denom = v1 - v2 / np.where(v1 > 0, v1, 1.0)
        ok = denom > 1e-9 * v1
        var = np.where(ok, ss / np.where(ok, denom, 1.0), np.nan)
        neff = np.where(v2 > 0, v1 * v1 / np.where(v2 > 0, v2, 1.0), 0.0)
        se = np.where(neff > 0, np.sqrt(var) / np.sqrt(np.where(neff > 0, neff, 1.0)), np.nan)
    return mean, se, neff


def _numeric_block(
    col: Hashable, x: np.ndarray, scodes: np.ndarray, k: int, w: np.ndarray
) -> pd.DataFrame:
    ok = ~np.isnan(x)
    c = np.where(ok, scodes, -1)
    centre = float(np.average(x[ok], weights=w[ok])) if w[ok].sum() > 0 else 0.0
    xc = np.where(ok, x - centre, 0.0)  # centred: sums of squares without cancellation
    v1, v2, s1, s2 = _moments(c, k, xc, w)
    n = np.bincount(c[c >= 0], minlength=k)
    return _numeric_from_sums(col, k, (v1, v2, s1, s2), n, centre)


def _numeric_from_sums(
    col: Hashable,
    k: int,
    sums: tuple[np.ndarray, ...],
    n: np.ndarray,
    centre: float,
) -> pd.DataFrame:
    """The mean rows of one variable from per-segment sums of w, w^2, w x and w x^2 (x centred
    on *centre*, rows with a missing x left out), each with the total appended (k + 1)."""
    v1, v2, s1, s2 = sums
    mean, se, neff = _mean_sd(v1, v2, s1, s2)
    # rest of the sample = total - segment, from the same sums
    r1, r2, rs1, rs2 = (v[-1] - v[:-1] for v in (v1, v2, s1, s2))
    rmean, rse, rneff = _mean_sd(r1, r2, rs1, rs2)
    _, p = mean_test(mean[:-1], rmean, se[:-1], rse, neff[:-1], rneff)
    val, tot, rest = mean[:-1] + centre, mean[-1] + centre, rmean + centre
    with np.errstate(invalid="ignore", divide="ignore"):
        index = np.where(tot > 0, val / tot * 100, np.nan)
    return pd.DataFrame(
        {
            "_seg": np.arange(k),
            "variable": col,
            "level": None,
            "kind": "mean",
            "value": val,
            "total": tot,
            "index": index,
            "rest": rest,
            "n": n.astype(np.int64),
            "n_eff": neff[:-1],
            "p": p,
        }
    )


def _share_block(
    col: Hashable, s: pd.Series, scodes: np.ndarray, k: int, w: np.ndarray
) -> pd.DataFrame:
    lcodes, levels = codes_of(s, col, keep_unused=False)
    m = len(levels)
    ok = lcodes >= 0
    c = np.where(ok, scodes, -1)
    cell = np.where(ok, scodes * m + lcodes, -1)
    cw = grouped_sum(cell, k * m, w).reshape(k, m)  # weighted counts, segments x levels
    base = grouped_sum(c, k, w)  # weighted base per segment (non-missing rows)
    base2 = grouped_sum(c, k, w * w)
    n = np.bincount(c[c >= 0], minlength=k).astype(np.int64)
    return _share_from_sums(col, levels, cw, base, base2, n)


def _share_from_sums(
    col: Hashable,
    levels: pd.Index,
    cw: np.ndarray,
    base: np.ndarray,
    base2: np.ndarray,
    n: np.ndarray,
) -> pd.DataFrame:
    """The share rows of one variable from the weighted counts (segments x levels), the
    weighted base, its sum of w^2 and its rows per segment (rows with a value)."""
    k, m = cw.shape
    neff = kish_base(base, base2)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = cw / base[:, None]
        total = cw.sum(axis=0) / base.sum()
        rest_w = base.sum() - base
        rest = (cw.sum(axis=0)[None, :] - cw) / rest_w[:, None]
        r2 = base2.sum() - base2
        rneff = kish_base(rest_w, r2)
        index = np.where(total > 0, share / total * 100, np.nan)
    e_a = np.broadcast_to(neff[:, None], (k, m))
    e_b = np.broadcast_to(rneff[:, None], (k, m))
    _, p = proportion_test(share, rest, e_a, e_b, method="pooled_z")
    lev = levels.to_numpy(dtype=object)
    return pd.DataFrame(
        {
            "_seg": np.repeat(np.arange(k), m),
            "variable": col,
            "level": np.tile(lev, k),
            "kind": "share",
            "value": share.ravel(),
            "total": np.tile(total, k),
            "index": index.ravel(),
            "rest": rest.ravel(),
            "n": np.repeat(n, m),
            "n_eff": np.repeat(neff, m),
            "p": p.ravel(),
        }
    )
