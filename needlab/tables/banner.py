"""Banner tables: many row questions against several column variables plus Total."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from needlab._engine import (
    ENGINES,
    Engine,
    count_answered,
    count_cells,
    describe,
    grouped_moments,
    is_engine_input,
    resolve_engine,
    to_pandas_input,
)
from needlab._i18n import TABLE_LABELS
from needlab._result import Result
from needlab._stats import codes_of
from needlab._types import Lang, Weights
from needlab._validate import as_design, check_alpha, check_columns, check_option, check_weights
from needlab.errors import ConfigError
from needlab.tables.crosstab import Counted, CountedMulti, crosstab
from needlab.tables.means import compare_means, score_values
from needlab.tables.multi import Multi, engine_option_counts, indicators

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["BannerResult", "banner"]


def _as_list(v: Any) -> list:
    """A single name (or Multi) as a one-item list; a sequence as a list."""
    if isinstance(v, (str, Multi)) or not isinstance(v, Sequence):
        return [v]
    return list(v)


def _mean_frame(data: pd.DataFrame, codes: pd.DataFrame | None, q: Hashable) -> pd.DataFrame:
    """*data* with question *q* as codes (a Survey's mean rows score its codes, not 1..k,
    unless ``scores=`` maps its labels)."""
    if codes is None or q not in codes.columns:
        return data
    out = data.copy()
    out[q] = codes[q]
    return out


class _Source:
    """Where a banner's counts come from. Subclasses: the pandas path (row-level numpy, as
    before engines), a pandas frame counted by DuckDB, and an engine frame counted in place."""

    weights: Any = None
    engine: Engine = "pandas"

    def total(self, q: Any, cols: list) -> tuple[list, np.ndarray, np.ndarray, float, float]:
        """Levels of *q*, weighted and unweighted counts per level, total weight and number of
        respondents answering *q* (the banner's Total column)."""
        raise NotImplementedError

    def cross(self, q: Any, g: Hashable) -> Any:
        """The ``data`` handed to :func:`crosstab` for the block (q, g)."""
        raise NotImplementedError

    def mean_data(self, q: Hashable, scored: bool) -> Any:
        """The ``data`` handed to :func:`compare_means` for a mean row of *q*."""
        raise NotImplementedError

    def mean_total(
        self, q: Hashable, scores: Mapping[Any, float] | None, cols: list
    ) -> tuple[float, float, float, list[str]]:
        """Respondents with a value of *q*, their sum w and sum w y, and scoring notes."""
        raise NotImplementedError

    def usage(
        self, rows: list, means: list, scores: Mapping[Hashable, Any]
    ) -> tuple[int, int, int]:
        """Rows, rows answering at least one question, and those with w > 0."""
        raise NotImplementedError


class _PandasSource(_Source):
    """The pandas path: indicator matrices and numpy sums over the respondents."""

    def __init__(self, frame: pd.DataFrame, w: np.ndarray | None, codes: pd.DataFrame | None):
        self.frame, self.codes, self.weights = frame, codes, w
        self.w_arr = np.ones(len(frame)) if w is None else w
        self.answered = np.zeros(len(frame), dtype=bool)
        self.engine = "pandas"

    def total(self, q: Any, cols: list) -> tuple[list, np.ndarray, np.ndarray, float, float]:
        ind, ok, levels = indicators(self.frame, q)
        self.answered |= ok
        return (
            list(levels),
            self.w_arr[ok] @ ind[ok],
            ind[ok].sum(axis=0),
            self.w_arr[ok].sum(),
            float(ok.sum()),
        )

    def cross(self, q: Any, g: Hashable) -> Any:
        return self.frame

    def mean_data(self, q: Hashable, scored: bool) -> Any:
        return _mean_frame(self.frame, None if scored else self.codes, q)

    def mean_total(
        self, q: Hashable, scores: Mapping[Any, float] | None, cols: list
    ) -> tuple[float, float, float, list[str]]:
        x, how = score_values(self.mean_data(q, scores is not None), q, scores)
        ok = np.isfinite(x)
        self.answered |= ok
        w = self.w_arr[ok]
        return float(ok.sum()), w.sum(), np.sum(w * x[ok]), how

    def usage(
        self, rows: list, means: list, scores: Mapping[Hashable, Any]
    ) -> tuple[int, int, int]:
        a = self.answered
        return len(a), int(np.count_nonzero(a)), int(np.count_nonzero(a & (self.w_arr > 0)))


class _EngineSource(_Source):
    """An engine frame (or file): each row question counted once by all banner variables."""

    def __init__(self, data: Any, weights: str | None, engine: Engine):
        self.data, self.weights, self.engine = data, weights, engine
        self.counted: dict[Any, pd.DataFrame] = {}
        self.keys: list = []

    def _count(self, keys: list) -> pd.DataFrame:
        return count_cells(self.data, keys, weights=self.weights, engine=self.engine)

    def _cells(self, q: Any, cols: list) -> pd.DataFrame:
        if q not in self.counted:
            self.counted = {q: self._count(list(dict.fromkeys([q, *cols])))}
        return self.counted[q]

    def _margin(self, keys: list) -> pd.DataFrame:
        cells = next(iter(self.counted.values()))
        sums = [c for c in ("n", "sum_w", "sum_w2", "n_pos") if c in cells]
        return (
            cells.groupby(keys, dropna=False, sort=False, observed=True)[sums].sum().reset_index()
        )

    def total(self, q: Any, cols: list) -> tuple[list, np.ndarray, np.ndarray, float, float]:
        if isinstance(q, Multi):
            t = engine_option_counts(
                self.data, q, list(dict.fromkeys(cols)), weights=self.weights, engine=self.engine
            )
            self.counted = {q: t}
            self.keys = list(dict.fromkeys(cols))
            k = len(q.columns)
            cw = np.array([t[f"w_{j}"].sum() for j in range(k)], dtype=float)
            cu = np.array([t[f"n_{j}"].sum() for j in range(k)], dtype=float)
            labels = [q.labels.get(c, c) for c in q.columns]
            return labels, cw, cu, float(t["sum_w"].sum()), float(t["n_v"].sum())
        self._cells(q, cols)
        m = self._margin([q])
        codes, levels = codes_of(m[q], q)
        ok = codes >= 0
        k = len(levels)
        cw = np.bincount(codes[ok], weights=m["sum_w"].to_numpy(dtype=float)[ok], minlength=k)
        cu = np.bincount(codes[ok], weights=m["n"].to_numpy(dtype=float)[ok], minlength=k)
        return list(levels), cw, cu, float(cw.sum()), float(cu.sum())

    def cross(self, q: Any, g: Hashable) -> Any:
        if isinstance(q, Multi):
            t = self.counted[q]
            sums = [c for c in t.columns if c not in self.keys]
            m = t.groupby([g], dropna=False, sort=False)[sums].sum().reset_index()
            levels = [q.labels.get(c, c) for c in q.columns]
            return CountedMulti(m, levels, self.weights is not None)
        m = self._margin(list(dict.fromkeys([q, g])))
        return Counted(m, self.weights is not None)

    def mean_data(self, q: Hashable, scored: bool) -> Any:
        return self.data

    def mean_total(
        self, q: Hashable, scores: Mapping[Any, float] | None, cols: list
    ) -> tuple[float, float, float, list[str]]:
        t = grouped_moments(self.data, [cols[0]], q, weights=self.weights, engine=self.engine)
        return float(t["n_y"].sum()), float(t["sum_w_y"].sum()), float(t["sum_wy"].sum()), []

    def usage(
        self, rows: list, means: list, scores: Mapping[Hashable, Any]
    ) -> tuple[int, int, int]:
        qs: list = []
        for q in dict.fromkeys(rows + means):
            qs += list(q.columns) if isinstance(q, Multi) else [q]
        return count_answered(self.data, qs, weights=self.weights, engine=self.engine)


class _FrameSource(_EngineSource):
    """A pandas frame (or Survey) counted by DuckDB reading it in place; the weights are the
    checked array (or None), the mean rows scored as on the pandas path."""

    def __init__(self, frame: pd.DataFrame, w: np.ndarray | None, codes: pd.DataFrame | None):
        super().__init__(frame, None, "duckdb")
        self.frame, self.codes, self.w = frame, codes, w
        self.weights = w

    def _count(self, keys: list) -> pd.DataFrame:
        return count_cells(self.frame, keys, weights=self.w, engine="duckdb")

    def cross(self, q: Any, g: Hashable) -> Any:
        out = super().cross(q, g)
        return Counted(out.cells, self.w is not None)

    def mean_data(self, q: Hashable, scored: bool) -> Any:
        return _mean_frame(self.frame, None if scored else self.codes, q)

    def mean_total(
        self, q: Hashable, scores: Mapping[Any, float] | None, cols: list
    ) -> tuple[float, float, float, list[str]]:
        x, how = score_values(self.mean_data(q, scores is not None), q, scores)
        ok = np.isfinite(x)
        w = np.ones(len(x)) if self.w is None else self.w
        wo = w[ok]
        return float(ok.sum()), wo.sum(), np.sum(wo * x[ok]), how

    def usage(
        self, rows: list, means: list, scores: Mapping[Hashable, Any]
    ) -> tuple[int, int, int]:
        a = np.zeros(len(self.frame), dtype=bool)
        for q in rows:
            a |= self.frame[q].notna().to_numpy()
        for q in means:
            x, _ = score_values(self.mean_data(q, q in scores), q, scores.get(q))
            a |= np.isfinite(x)
        pos = a if self.w is None else a & (self.w > 0)
        return len(a), int(a.sum()), int(pos.sum())


@dataclass(frozen=True, repr=False)
class BannerResult(Result):
    """Result of :func:`banner`.

    Attributes
    ----------
    table : DataFrame
        Tidy, one row per cell: ``question``, ``row`` (category, net, or ``"Mean"``),
        ``banner`` (the column variable, or ``"Total"``), ``column``, ``letter``, ``n``,
        ``count`` (weighted), ``value`` (column percent, or the mean for mean rows) and
        ``sig`` (letters of the columns in the same banner group this cell is significantly
        greater than).
    pvalues : DataFrame
        Every pairwise test, with ``question`` and ``banner`` columns added to the tables of
        :class:`~needlab.tables.crosstab.CrosstabResult` and
        :class:`~needlab.tables.means.MeansResult`.
    bases : DataFrame
        Per question: unweighted and weighted base of each column.
    n_used, n_excluded : int
        Respondents who answered at least one row question with a positive weight, and the
        others (the reasons are in ``notes``).
    """

    pvalues: pd.DataFrame = field(default_factory=pd.DataFrame)
    bases: pd.DataFrame = field(default_factory=pd.DataFrame)
    decimals: int = 0
    lang: str = "en"

    title = "Banner table"

    def tables(self) -> dict[str, pd.DataFrame]:
        shown = self.display()
        flat = shown.copy()
        flat.columns = [" ".join(str(x) for x in c if str(x)) for c in shown.columns]
        return {
            "banner": flat.reset_index(),
            "cells": self.table,
            "tests": self.pvalues,
            "bases": self.bases,
        }

    def to_excel(self, path: str | Path) -> Path:
        """Write the banner to an .xlsx file: the formatted report sheet, then the tidy tables.

        The first sheet, ``banner``, is the :meth:`display` layout formatted by
        :func:`needlab.tables.excel.write_banner_excel` (bold two-level header with each
        banner variable merged over its columns, letters in the cells, base rows in italics,
        title and notes); the sheets ``cells``, ``tests`` and ``bases`` follow as plain
        tables. Text cells are neutralised against spreadsheet formulas.
        """
        from needlab.tables.excel import write_banner_excel

        others = {k: v for k, v in self.tables().items() if k != "banner"}
        return write_banner_excel(self, path, sheet_name="banner", others=others)

    def plot(
        self, ax: Axes | None = None, *, question: Hashable | None = None, **kwargs: Any
    ) -> Axes:
        """Heatmap of one question by every banner column, percentages with letters.

        See :func:`needlab.tables.plot.banner_heatmap`.
        """
        from needlab.tables.plot import banner_heatmap

        return banner_heatmap(self, ax=ax, question=question, **kwargs)

    def display(self) -> pd.DataFrame:
        """The report layout: rows (question, category), columns (banner, category (letter)).

        Percent cells read ``"45 B"``; mean rows ``"3.42 a"``; each question ends with its
        unweighted base row.
        """
        t = self.table
        d = self.decimals
        is_mean = t["row"].eq(self._mean_label())
        num = np.where(
            is_mean,
            t["value"].map(lambda v: f"{v:.2f}" if pd.notna(v) else ""),
            t["value"].map(lambda v: f"{v:.{d}f}" if pd.notna(v) else ""),
        )
        cell = pd.Series(num, index=t.index, dtype=str).str.cat(t["sig"], sep=" ").str.strip()
        head: pd.Series = t["column"].astype(str) + np.where(
            t["letter"] != "", " (" + t["letter"] + ")", ""
        )
        frame = pd.DataFrame(
            {
                "question": t["question"],
                "row": t["row"],
                "banner": t["banner"],
                "head": head,
                "cell": cell,
            }
        )
        q_order = list(dict.fromkeys(t["question"]))
        row_order = list(dict.fromkeys(zip(t["question"], t["row"], strict=True)))
        col_order: list[tuple[Any, str]] = list(dict.fromkeys(zip(t["banner"], head, strict=True)))
        wide = frame.pivot_table(
            index=["question", "row"],
            columns=["banner", "head"],
            values="cell",
            aggfunc="first",
            sort=False,
        )
        wide = wide.reindex(
            index=pd.MultiIndex.from_tuples(row_order, names=["question", "row"]),
            columns=pd.MultiIndex.from_tuples(col_order, names=["banner", ""]),
        )
        base_label = TABLE_LABELS[self.lang]["base_u"]
        blocks = []
        for q in q_order:
            block = wide.loc[[q]]
            b = self.bases[self.bases["question"] == q]
            base = b.set_index(["banner", "head"])["unweighted"].reindex(wide.columns)
            base_row = pd.DataFrame(
                [base.map(lambda v: "" if pd.isna(v) else f"{v:.0f}").to_numpy()],
                index=pd.MultiIndex.from_tuples([(q, base_label)]),
                columns=wide.columns,
            )
            blocks.append(pd.concat([block, base_row]))
        out = pd.concat(blocks).fillna("")
        out.index.names = ["question", "row"]
        return out

    def _mean_label(self) -> str:
        return TABLE_LABELS[self.lang]["mean"]


def banner(
    data: Any,
    rows: Sequence[Hashable],
    cols: Sequence[Hashable],
    *,
    weights: Weights = None,
    means: Sequence[Hashable] = (),
    scores: Mapping[Hashable, Mapping[Any, float]] | None = None,
    nets: Mapping[Hashable, Mapping[str, Sequence[Any]]] | None = None,
    test: Literal["column_proportions"] | None = "column_proportions",
    method: Literal["pooled_z", "dimensions", "unpooled_z"] = "pooled_z",
    alpha: float = 0.05,
    alpha2: float | None = None,
    adjust: Literal["bonferroni", "bh"] | None = None,
    decimals: int = 0,
    lang: Lang = "en",
    engine: Engine = "auto",
) -> BannerResult:
    """Tabulate many row questions against a banner of column variables plus Total.

    Each (row question, banner variable) block is a :func:`~needlab.tables.crosstab.crosstab`
    (column percentages with column-proportion letters) or, for the questions in ``means``,
    a :func:`~needlab.tables.means.compare_means` row (a mean with Welch-test letters).
    Letters run on across the banner (e.g. gender A-B, region C-F) and compare columns within
    the same banner variable only, as in SPSS Custom Tables and Q. The Total column is every
    respondent who answered the row question.

    Parameters
    ----------
    data : DataFrame or Survey
        One row per respondent. A :class:`~needlab.Survey` shows its answer labels, scores
        its mean rows by their codes and is weighted by its codebook's weight column.
    rows : list of str or Multi
        Row questions (categorical, multi-response via :func:`~needlab.tables.multi.multi`,
        or numeric when listed in ``means``).
    cols : list of str or Multi
        Banner (column) variables; a multi-response banner variable has overlapping columns,
        tested with the overlap correction.
    weights : str, array or False, optional
        Survey weights; on a Survey None takes the codebook's weight column and False is
        unweighted.
    means : list of str
        Row questions shown as a mean row instead of category percentages; a question may be
        in both ``rows`` (categories) and ``means`` (its mean row is added below). Numeric
        columns, or ordered scales: an ordered categorical of labels is scored 1..k in
        category order (:func:`~needlab.tables.means.score_values`).
    scores : mapping, optional
        ``question -> {answer: number}`` for mean rows whose answers are not scored 1..k.
    nets : mapping, optional
        ``question -> {net name: [categories]}``, e.g. ``{"sat": {"Top 2": [4, 5]}}``.
    test : {"column_proportions", None}, default "column_proportions"
        None: percentages and means without tests or letters.
    method, alpha, alpha2, adjust, lang
        As in :func:`~needlab.tables.crosstab.crosstab`.
    decimals : int, default 0
        Decimals of the percentages shown.
    engine : {"auto", "pandas", "duckdb"}, default "auto"
        Where the counting runs (:func:`needlab._engine.resolve_engine`): a pandas frame or
        Survey in pandas (in DuckDB above :data:`~needlab._engine.AUTO_DUCKDB_ROWS` rows or
        with ``"duckdb"``), a Parquet/CSV path in DuckDB, a Polars frame, DuckDB relation or
        SQLFrame/PySpark DataFrame on its own backend. Each row question is counted once by
        all the banner variables together (n, sum w, sum w^2 per combination); the Total
        column and every (question, banner variable) crosstab are sums over those cells, so
        their statistics, nets and letters equal the pandas path's. Mean rows are counted by
        :func:`~needlab.tables.means.compare_means` in the engine (n, sum w, sum w^2, sum w y,
        sum w y^2 per banner category), and one more scan counts the respondents answering
        at least one question. A multi-response row question of 0/1 columns is counted per
        option (:func:`~needlab.tables.multi.engine_option_counts`: per banner combination the
        rows answering it, their sum w and sum w^2, and per option the rows choosing it and
        their sum w), which gives its Total column and crosstabs exactly. For engine input
        ``weights`` must be a column name, mean rows must be numeric (no ``scores``), and
        delimited multi-response questions and multi-response banner variables need pandas
        input (a pandas frame with a multi-response question stays on the pandas path).

    Returns
    -------
    BannerResult
        ``.display()`` is the report layout; ``.table`` the tidy cells. ``n_used`` counts the
        respondents who answered at least one row question with a positive weight.

    Raises
    ------
    SchemaError, DataError
        As :func:`~needlab.tables.crosstab.crosstab` and
        :func:`~needlab.tables.means.compare_means` (unknown columns, invalid weights, a
        banner variable with one category, mixed types, unknown net categories).
    ConfigError
        As :func:`~needlab.tables.crosstab.crosstab` (bad ``alpha``, ``test``, ``method``,
        ``adjust``, ``lang`` or ``engine``), no row question, or no banner variable; for an
        engine frame, weights given as an array, ``scores``, a delimited multi-response
        question or a multi-response banner variable.

    Examples
    --------
    >>> df = pd.DataFrame({"sat": [1, 2] * 50, "g": ["m"] * 50 + ["f"] * 50,
    ...                    "r": ["N", "S", "S", "N"] * 25})
    >>> res = banner(df, ["sat"], ["g", "r"])
    >>> list(res.display().columns.get_level_values(1))
    ['Total', 'f (A)', 'm (B)', 'N (C)', 'S (D)']
    """
    rows, cols, means = (_as_list(v) for v in (rows, cols, means))
    if not rows and not means:
        raise ConfigError("banner() needs at least one row question in rows= or means=.")
    if not cols:
        raise ConfigError("banner() needs at least one banner (column) variable in cols=.")
    check_option(engine, ENGINES, "engine")
    check_option(test, ("column_proportions", None), "test")
    check_option(method, ("pooled_z", "dimensions", "unpooled_z"), "method")
    check_option(adjust, (None, "bonferroni", "bh"), "adjust")
    check_option(lang, ("en", "zh"), "lang")
    check_alpha(alpha)
    if any(isinstance(m, Multi) for m in means):
        raise ConfigError("a multi-response question has no mean; list it in rows instead.")
    how = resolve_engine(data, engine)
    if how != "pandas" and is_engine_input(data):
        if any(isinstance(v, Multi) for v in cols):
            raise ConfigError(
                f"multi-response banner variables are counted on pandas input only for now; "
                f"pass engine='pandas' to collect the {describe(data)} first."
            )
    elif how != "pandas" and any(isinstance(v, Multi) for v in rows + cols):
        how = "pandas"  # a pandas frame with a multi-response question stays in pandas
    src: _Source
    if is_engine_input(data) and how != "pandas":
        if weights is not None and weights is not False and not isinstance(weights, str):
            raise ConfigError(
                f"weights for a {describe(data)} must name one of its columns (got a "
                f"{type(weights).__name__}); add the weights as a column in the engine."
            )
        src = _EngineSource(data, None if weights is None or weights is False else weights, engine)
    else:
        design = as_design(to_pandas_input(data), weights=weights, labels=True)
        codes = as_design(data, weights=False).data if design.codebook is not None else None
        frame = design.data
        check_columns(frame, [v for v in rows + cols + means if not isinstance(v, Multi)])
        w = check_weights(frame, design.weights)
        src = (_PandasSource if how == "pandas" else _FrameSource)(frame, w, codes)
    total_label = TABLE_LABELS[lang]["total"]
    mean_label = TABLE_LABELS[lang]["mean"]
    nets = dict(nets or {})
    scores = dict(scores or {})
    questions = list(dict.fromkeys(rows + means))
    qname = {q: str(q) if isinstance(q, Multi) else q for q in questions}
    cells, tests, bases, notes = [], [], [], []
    for q in questions:
        if q in rows:
            # Total column: everyone who answered q.
            levels, cw, cu, tot_w, n_ok = src.total(q, cols)
            names, tw, tu = list(levels), list(cw), list(cu)
            for net, members in nets.get(q, {}).items():
                idx = [list(levels).index(m) for m in members if m in list(levels)]
                names.append(net)
                tw.append(cw[idx].sum())
                tu.append(cu[idx].sum())
            cells.append(
                pd.DataFrame(
                    {
                        "question": qname[q],
                        "row": names,
                        "banner": total_label,
                        "column": total_label,
                        "letter": "",
                        "n": tu,
                        "count": tw,
                        "value": 100 * np.array(tw) / tot_w,
                        "sig": "",
                    }
                )
            )
            bases.append(
                {
                    "question": qname[q],
                    "banner": total_label,
                    "head": total_label,
                    "unweighted": float(n_ok),
                    "weighted": float(tot_w),
                }
            )
        offset = 0
        for g in cols:
            if q in rows:
                res = crosstab(
                    src.cross(q, g),
                    q,
                    g,
                    weights=src.weights,
                    test=test,
                    method=method,
                    alpha=alpha,
                    alpha2=alpha2,
                    adjust=adjust,
                    total=False,
                    nets=nets.get(q),
                    lang=lang,
                    first_letter=offset,
                    engine=src.engine,
                )
                t = res.table
                cells.append(
                    pd.DataFrame(
                        {
                            "question": qname[q],
                            "row": t["row"],
                            "banner": str(g),
                            "column": t["column"],
                            "letter": t["letter"],
                            "n": t["n"],
                            "count": t["count"],
                            "value": t["column_percent"],
                            "sig": t["sig"],
                        }
                    )
                )
                for c, letter in res.column_letters.items():
                    bases.append(
                        {
                            "question": qname[q],
                            "banner": str(g),
                            "head": f"{c} ({letter})",
                            "unweighted": res.bases.loc["unweighted", c],
                            "weighted": res.bases.loc["weighted", c],
                        }
                    )
                tests.append(res.pvalues.assign(question=qname[q], banner=str(g)))
                notes += [f"{q} x {g}: {n}" for n in res.notes]
                n_cols = len(res.column_letters)
            if q in means:
                m = compare_means(
                    src.mean_data(q, q in scores),
                    q,
                    g,
                    weights=src.weights,
                    scores=scores.get(q),
                    test="welch" if test is not None else None,
                    alpha=alpha,
                    alpha2=alpha2,
                    adjust=adjust,
                    total=False,
                    lang=lang,
                    first_letter=offset,
                    engine=src.engine,
                )
                t = m.table
                cells.append(
                    pd.DataFrame(
                        {
                            "question": qname[q],
                            "row": mean_label,
                            "banner": str(g),
                            "column": t["column"],
                            "letter": t["letter"],
                            "n": t["n"],
                            "count": t["weighted_n"],
                            "value": t["mean"],
                            "sig": t["sig"],
                        }
                    )
                )
                tests.append(m.pvalues.assign(question=qname[q], banner=str(g), row=mean_label))
                if q not in rows:
                    for _, r in t.iterrows():  # one row per banner category
                        bases.append(
                            {
                                "question": qname[q],
                                "banner": str(g),
                                "head": f"{r['column']} ({r['letter']})",
                                "unweighted": r["n"],
                                "weighted": r["weighted_n"],
                            }
                        )
                n_cols = len(t)
            offset += n_cols
        if q in means:
            n_x, w_x, wy_x, how_notes = src.mean_total(q, scores.get(q), cols)
            notes += [f"{q}: {n}" for n in how_notes]
            cells.append(
                pd.DataFrame(
                    {
                        "question": [qname[q]],
                        "row": [mean_label],
                        "banner": [total_label],
                        "column": [total_label],
                        "letter": [""],
                        "n": [float(n_x)],
                        "count": [w_x],
                        "value": [wy_x / w_x],
                        "sig": [""],
                    }
                )
            )
            if q not in rows:
                bases.append(
                    {
                        "question": qname[q],
                        "banner": total_label,
                        "head": total_label,
                        "unweighted": float(n_x),
                        "weighted": float(w_x),
                    }
                )
    n_rows, n_any, n_used = src.usage(rows, means, scores)
    table = pd.concat(cells, ignore_index=True)
    # Put each question's Total cells first in column order.
    table["_b"] = (table["banner"] != total_label).astype(int)
    table = table.sort_values(["_b"], kind="stable").drop(columns="_b")
    table["_q"] = table["question"].map({qname[q]: i for i, q in enumerate(questions)})
    table = table.sort_values("_q", kind="stable").drop(columns="_q").reset_index(drop=True)
    none = n_rows - n_any
    if none:
        notes.append(f"{none} of {n_rows} rows answer none of the row questions (excluded).")
    zero = n_any - n_used
    if zero:
        notes.append(f"{zero} rows have weight 0: they count for nothing (excluded from n_used).")
    return BannerResult(
        table,
        n_used=n_used,
        n_excluded=n_rows - n_used,
        pvalues=pd.concat(tests, ignore_index=True) if tests else pd.DataFrame(),
        bases=pd.DataFrame(bases),
        decimals=decimals,
        lang=lang,
        notes=tuple(dict.fromkeys(notes)),
    )
