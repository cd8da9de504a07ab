"""Banner tables: many row questions against several column variables plus Total."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from needlab._i18n import TABLE_LABELS
from needlab._result import Result
from needlab._types import Lang, Weights
from needlab._validate import as_design, check_alpha, check_columns, check_option, check_weights
from needlab.errors import ConfigError
from needlab.tables.crosstab import crosstab
from needlab.tables.means import compare_means, score_values
from needlab.tables.multi import Multi, indicators

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
        ``adjust`` or ``lang``), no row question, or no banner variable.

    Examples
    --------
    >>> df = pd.DataFrame({"sat": [1, 2] * 50, "g": ["m"] * 50 + ["f"] * 50,
    ...                    "r": ["N", "S", "S", "N"] * 25})
    >>> res = banner(df, ["sat"], ["g", "r"])
    >>> list(res.display().columns.get_level_values(1))
    ['Total', 'f (A)', 'm (B)', 'N (C)', 'S (D)']
    """
    design = as_design(data, weights=weights, labels=True)
    codes = as_design(data, weights=False).data if design.codebook is not None else None
    data = design.data
    rows, cols, means = (_as_list(v) for v in (rows, cols, means))
    if not rows and not means:
        raise ConfigError("banner() needs at least one row question in rows= or means=.")
    if not cols:
        raise ConfigError("banner() needs at least one banner (column) variable in cols=.")
    check_option(test, ("column_proportions", None), "test")
    check_option(method, ("pooled_z", "dimensions", "unpooled_z"), "method")
    check_option(adjust, (None, "bonferroni", "bh"), "adjust")
    check_option(lang, ("en", "zh"), "lang")
    check_alpha(alpha)
    check_columns(data, [v for v in rows + cols + means if not isinstance(v, Multi)])
    if any(isinstance(m, Multi) for m in means):
        raise ConfigError("a multi-response question has no mean; list it in rows instead.")
    w = check_weights(data, design.weights)
    w_arr = np.ones(len(data)) if w is None else w
    total_label = TABLE_LABELS[lang]["total"]
    mean_label = TABLE_LABELS[lang]["mean"]
    answered = np.zeros(len(data), dtype=bool)
    nets = dict(nets or {})
    scores = dict(scores or {})
    questions = list(dict.fromkeys(rows + means))
    qname = {q: str(q) if isinstance(q, Multi) else q for q in questions}
    cells, tests, bases, notes = [], [], [], []
    for q in questions:
        if q in rows:
            # Total column: everyone who answered q.
            ind, ok, levels = indicators(data, q)
            answered |= ok
            cw = w_arr[ok] @ ind[ok]
            cu = ind[ok].sum(axis=0)
            names, tw, tu = list(levels), list(cw), list(cu)
            for net, members in nets.get(q, {}).items():
                idx = [list(levels).index(m) for m in members if m in list(levels)]
                names.append(net)
                tw.append(cw[idx].sum())
                tu.append(cu[idx].sum())
            tot_w = w_arr[ok].sum()
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
                    "unweighted": float(ok.sum()),
                    "weighted": float(tot_w),
                }
            )
        offset = 0
        for g in cols:
            if q in rows:
                res = crosstab(
                    data,
                    q,
                    g,
                    weights=w,
                    test=test,
                    method=method,
                    alpha=alpha,
                    alpha2=alpha2,
                    adjust=adjust,
                    total=False,
                    nets=nets.get(q),
                    lang=lang,
                    first_letter=offset,
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
                    _mean_frame(data, None if q in scores else codes, q),
                    q,
                    g,
                    weights=w,
                    scores=scores.get(q),
                    test="welch" if test is not None else None,
                    alpha=alpha,
                    alpha2=alpha2,
                    adjust=adjust,
                    total=False,
                    lang=lang,
                    first_letter=offset,
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
            x, how = score_values(
                _mean_frame(data, None if q in scores else codes, q), q, scores.get(q)
            )
            notes += [f"{q}: {n}" for n in how]
            ok = np.isfinite(x)
            answered |= ok
            cells.append(
                pd.DataFrame(
                    {
                        "question": [qname[q]],
                        "row": [mean_label],
                        "banner": [total_label],
                        "column": [total_label],
                        "letter": [""],
                        "n": [float(ok.sum())],
                        "count": [w_arr[ok].sum()],
                        "value": [np.sum(w_arr[ok] * x[ok]) / w_arr[ok].sum()],
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
                        "unweighted": float(ok.sum()),
                        "weighted": float(w_arr[ok].sum()),
                    }
                )
    table = pd.concat(cells, ignore_index=True)
    # Put each question's Total cells first in column order.
    table["_b"] = (table["banner"] != total_label).astype(int)
    table = table.sort_values(["_b"], kind="stable").drop(columns="_b")
    table["_q"] = table["question"].map({qname[q]: i for i, q in enumerate(questions)})
    table = table.sort_values("_q", kind="stable").drop(columns="_q").reset_index(drop=True)
    none = int(len(data) - np.count_nonzero(answered))
    if none:
        notes.append(f"{none} of {len(data)} rows answer none of the row questions (excluded).")
    zero = int(np.count_nonzero(answered & (w_arr <= 0)))
    if zero:
        notes.append(f"{zero} rows have weight 0: they count for nothing (excluded from n_used).")
    n_used = int(np.count_nonzero(answered & (w_arr > 0)))
    return BannerResult(
        table,
        n_used=n_used,
        n_excluded=len(data) - n_used,
        pvalues=pd.concat(tests, ignore_index=True) if tests else pd.DataFrame(),
        bases=pd.DataFrame(bases),
        decimals=decimals,
        lang=lang,
        notes=tuple(dict.fromkeys(notes)),
    )
