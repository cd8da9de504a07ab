"""Weighted crosstabs with column-proportion significance letters and overall tests.

Counting is one ``np.bincount`` over combined (row, column) codes (or one grouped aggregation in
the engine that holds the data, :mod:`needlab._engine`); every pairwise column test of
every row is computed at once on (rows x columns x columns) arrays.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

import numpy as np
import pandas as pd

from needlab._engine import (
    ENGINES,
    Engine,
    count_cells,
    describe,
    is_engine_input,
    resolve_engine,
    to_pandas_input,
)
from needlab._i18n import TABLE_LABELS
from needlab._result import Result
from needlab._stats import codes_of, kish_base
from needlab._types import Lang, Weights
from needlab._validate import (
    as_design,
    check_alpha,
    check_columns,
    check_option,
    check_weights,
    merged_variants,
    normalise_labels,
    preview,
)
from needlab.errors import ConfigError, DataError
from needlab.tables.coltests import adjust_pvalues, letters_for, proportion_test
from needlab.tables.letters import MAX_LETTERS, column_letters
from needlab.tables.multi import Multi, indicators, overlap_test

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["CrosstabResult", "crosstab", "rao_scott"]


@dataclass(frozen=True, repr=False)
class CrosstabResult(Result):
    """Result of :func:`crosstab`.

    Attributes
    ----------
    table : DataFrame
        Tidy, one row per cell: ``row``, ``column`` (``"Total"`` for the total column),
        ``letter`` (the column's letter), ``n`` (unweighted count), ``count`` (weighted count),
        ``percent`` (as chosen by ``percent=``), ``column_percent`` and ``sig`` (the letters of
        the columns this cell is significantly greater than).
    counts, unweighted, percent : DataFrame
        Row categories (and nets) x columns plus Total: weighted counts, unweighted counts and
        percentages.
    bases : DataFrame
        Per column: ``unweighted``, ``weighted`` and ``effective`` (Kish) bases.
    pvalues : DataFrame
        One row per row category and column pair: ``row``, ``column_a``, ``column_b``
        (``"Total"`` for a column tested against the rest of the sample), ``p_a``, ``p_b``,
        ``difference`` (p_a - p_b), ``statistic``, ``p_value``, ``p_adjusted``,
        ``significant`` (p_adjusted < alpha) and ``testable`` (False for an empty column or a
        zero standard error: never silently skipped). On the Total rows ``p_b`` is the
        total's proportion while ``statistic`` and ``p_value`` test the column against the
        rest of the sample, which is the same hypothesis without the overlap, since
        p_a - p_total = (1 - W_a / W)(p_a - p_rest). Empty with ``test=None``.
    letters : DataFrame
        Row categories x columns: significance letters.
    column_letters : dict
        Column category -> its letter.
    chi2 : DataFrame
        Overall tests: ``test``, ``statistic``, ``df``, ``df2`` (F tests), ``p_value``,
        ``small_expected`` (share of cells with expected count < 5) and ``min_expected``
        (the smallest expected count), both from the unweighted counts.
    cramers_v, cramers_v_corrected : float
        Cramer's V = sqrt(X^2 / (n (min(R, C) - 1))) and its bias-corrected version
        (Bergsma 2013) with phi^2 = max(0, X^2/n - (R-1)(C-1)/(n-1)) and
        R~ = R - (R-1)^2/(n-1), C~ likewise. With weights X^2 is Pearson's statistic of the
        weighted table rescaled to the unweighted n (the X^2 that Rao-Scott corrects).
    """

    counts: pd.DataFrame = field(default_factory=pd.DataFrame)
    unweighted: pd.DataFrame = field(default_factory=pd.DataFrame)
    percent: pd.DataFrame = field(default_factory=pd.DataFrame)
    bases: pd.DataFrame = field(default_factory=pd.DataFrame)
    pvalues: pd.DataFrame = field(default_factory=pd.DataFrame)
    letters: pd.DataFrame = field(default_factory=pd.DataFrame)
    column_letters: dict = field(default_factory=dict)
    chi2: pd.DataFrame = field(default_factory=pd.DataFrame)
    cramers_v: float = float("nan")
    cramers_v_corrected: float = float("nan")
    row: Hashable = None
    col: Hashable = None
    percent_by: str = "col"
    alpha: float = 0.05
    lang: str = "en"

    @property
    def title(self) -> str:  # type: ignore[override]
        return f"{self.row} by {self.col}"

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {"percent": f"{self.percent_by} %", "alpha": self.alpha}
        if len(self.chi2):
            r = self.chi2.iloc[-1]
            out[str(r["test"])] = f"{r['statistic']:.3f}, p = {r['p_value']:.4g}"
        out["Cramer's V"] = self.cramers_v
        return out

    def tables(self) -> dict[str, pd.DataFrame]:
        return {
            "crosstab": self.display().reset_index(),
            "counts": self.counts.reset_index(),
            "percent": self.percent.reset_index(),
            "bases": self.bases.reset_index(),
            "tests": self.pvalues,
            "overall": self.chi2,
        }

    def display(self, decimals: int = 0) -> pd.DataFrame:
        """The banner layout: percentages with significance letters, then the three bases.

        Column headers carry the letters, e.g. ``"North (A)"``; a cell reads ``"45 B"``.
        """
        lab = TABLE_LABELS[self.lang]
        pct = self.percent.round(decimals)
        txt = pct.map(lambda v: "" if pd.isna(v) else f"{v:.{decimals}f}")
        for c in self.column_letters:
            txt[c] = (txt[c] + " " + self.letters[c]).str.strip()
        bases = self.bases.T
        extra = pd.DataFrame(
            [
                bases["unweighted"].map(lambda v: f"{v:.0f}"),
                bases["weighted"].map(lambda v: f"{v:.1f}"),
                bases["effective"].map(lambda v: f"{v:.1f}"),
            ],
            index=[lab["base_u"], lab["base_w"], lab["base_e"]],
        )
        out = pd.concat([txt, extra[txt.columns]])
        out.columns = [
            f"{c} ({self.column_letters[c]})" if c in self.column_letters else str(c)
            for c in out.columns
        ]
        out.index.name = self.row
        return out

    def to_excel(self, path: str | Path) -> Path:
        """Write the formatted banner sheet (letters in cells, bases, notes) and the other tables."""
        from needlab.tables.excel import write_banner_excel

        others = {k: v for k, v in self.tables().items() if k != "crosstab"}
        return write_banner_excel(self, path, sheet_name="crosstab", others=others)

    def plot(
        self, ax: Axes | None = None, kind: Literal["heatmap", "bars"] = "heatmap", **kwargs: Any
    ) -> Axes:
        """Heatmap of the percentages, or grouped bars, with significance letters.

        See :func:`needlab.tables.plot.crosstab_heatmap` and
        :func:`needlab.tables.plot.crosstab_bars`.
        """
        from needlab.tables.plot import crosstab_bars, crosstab_heatmap

        check_option(kind, ("heatmap", "bars"), "kind")
        draw = crosstab_heatmap if kind == "heatmap" else crosstab_bars
        return draw(self, ax=ax, **kwargs)


def crosstab(
    data: Any,
    row: Hashable,
    col: Hashable,
    *,
    weights: Weights = None,
    percent: Literal["col", "row", "total"] = "col",
    test: Literal["column_proportions"] | None = "column_proportions",
    method: Literal["pooled_z", "dimensions", "unpooled_z"] = "pooled_z",
    alpha: float = 0.05,
    alpha2: float | None = None,
    adjust: Literal["bonferroni", "bh"] | None = None,
    total: bool = True,
    nets: Mapping[str, Sequence[Any]] | None = None,
    lang: Lang = "en",
    first_letter: int = 0,
    casefold: bool = False,
    engine: Engine = "auto",
) -> CrosstabResult:
    """Cross-tabulate two categorical columns with column-proportion tests and letters.

    Parameters
    ----------
    data : DataFrame, Survey, Parquet/CSV path or engine frame
        One row per respondent. A :class:`~needlab.Survey` shows its answer labels (the
        codebook's labelled categories) and is weighted by its codebook's weight column. A
        file path or a Polars, DuckDB or SQLFrame/PySpark frame is counted where it lives
        (``engine``).
    row, col : str or Multi
        The row and column variables. A pandas Categorical keeps its order (unused categories
        stay as empty rows or columns, reported as not testable); other columns are sorted.
        A multi-response question (:func:`needlab.tables.multi.multi`) gives percentages of
        respondents; when the *column* variable is multi-response, its columns overlap and
        are compared with :func:`~needlab.tables.multi.overlap_test` instead of ``method``.
    weights : str, array or False, optional
        Survey weights. Tests then use Kish effective bases e = (sum w)^2 / sum w^2 per column.
        On a Survey, None takes the codebook's weight column and False is unweighted.
    percent : {"col", "row", "total"}
        Which percentages to show. Significance letters always compare column proportions.
    test : {"column_proportions", None}, default "column_proportions"
        ``"column_proportions"``: every pair of columns (and each column against the rest of
        the sample) is tested with ``method``. None: no column tests (``.pvalues`` is empty,
        ``.letters`` blank); the overall tests in ``.chi2`` are still computed.
    method : {"pooled_z", "dimensions", "unpooled_z"}
        The column-proportion test (formulas in :func:`needlab.tables.coltests.proportion_test`).
    alpha, alpha2 : float
        Upper-case letters at ``alpha``; lower-case letters for alpha <= p < alpha2.
    adjust : {None, "bonferroni", "bh"}
        Multiple-comparison adjustment within each row (the family is the row's column pairs,
        as in SPSS Custom Tables); tests against Total are adjusted as their own family.
    total : bool, default True
        Add the Total column, and test each column against the rest of the sample (the column
        is part of the total, so comparing it with the total itself would understate the
        difference: p_a - p_total = (1 - w_a/w_total)(p_a - p_rest)).
    nets : mapping, optional
        ``name -> list of row categories`` added as rows (e.g. ``{"Top 2": [4, 5]}``) and tested
        like the others (not in the chi-square). Not with multi-response variables.
    lang : {"en", "zh"}
        Language of Total and base labels.
    first_letter : int, default 0
        Position of the first column's letter (a banner continues the letters across its
        column variables).
    casefold : bool, default False
        Text categories are always compared after Unicode NFKC and trimming (``"Price "`` and a
        full-width ``"Ｐrice"`` are ``"Price"``; merged variants are listed in the notes). With
        ``casefold=True`` case is ignored too (``"Price"`` and ``"price"`` merge into
        ``"price"``).
    engine : {"auto", "pandas", "duckdb"}, default "auto"
        Where the cells are counted (:func:`needlab._engine.resolve_engine`): a pandas frame
        or Survey in pandas, or in DuckDB reading it in place above
        :data:`~needlab._engine.AUTO_DUCKDB_ROWS` rows; a Parquet/CSV path in DuckDB; a
        Polars frame, DuckDB relation or SQLFrame/PySpark DataFrame on its own backend. The
        engine returns one row per (row value, column value) with n, sum w and sum w^2 (and
        rows with w > 0); text normalisation, ordering, nets and every test run on that small
        table, with the statistics of the pandas path. For engine input ``weights`` must be a
        column name and the categories are the columns' raw values (codes) sorted by value
        (a Survey's codebook labels are used for Survey input); multi-response questions need
        pandas input.

    Returns
    -------
    CrosstabResult
        See :class:`CrosstabResult` for every table. ``n_used`` counts the respondents who
        answer both variables with a positive weight; ``n_excluded`` the others (missing
        answers, weight 0), each reason in ``.notes``. Overall tests in ``.chi2``: without
        weights Pearson's chi-square and the likelihood-ratio G test; with weights the
        Rao-Scott second-order corrected F test (:func:`rao_scott`).

    Raises
    ------
    SchemaError
        Unknown columns.
    DataError
        Invalid weights (negative, NaN, infinite, zero total, wrong length); no row with an
        answer to both variables, or zero total weight on those rows; a row or column
        variable with fewer than two categories; a column mixing types; nets naming
        categories that do not exist.
    ConfigError
        Bad options (``alpha`` outside (0, 1), ``alpha2 <= alpha``, unknown ``test``,
        ``method``, ``adjust``, ``percent``, ``lang`` or ``engine``); weights given as an
        array, or a multi-response question, for an engine frame; more than 702 column categories
        (letters A..ZZ) with column tests.

    Notes
    -----
    Small cells: ``.chi2`` reports ``small_expected`` (share of cells with an expected count
    below 5) and ``min_expected``; when more than 20% of the cells are below 5 or any is below
    1 (Cochran's rule, Agresti 2013, section 3.2), a note says the chi-square approximation is
    doubtful. Empty rows and columns (no respondents, or weight 0) are left out of the overall
    tests; comparisons with an empty column are kept with ``testable=False`` and no letter.

    References
    ----------
    Agresti, A. (2013). *Categorical Data Analysis* (3rd ed.). Wiley. (Pearson and G tests)
    Rao, J. N. K., & Scott, A. J. (1984). On chi-squared tests for multiway contingency tables
    with cell proportions estimated from survey data. *Annals of Statistics*, 12(1), 46-60.
    Bergsma, W. (2013). A bias-correction for Cramer's V and Tschuprow's T. *Journal of the
    Korean Statistical Society*, 42(3), 323-328.

    Examples
    --------
    >>> df = pd.DataFrame({"sat": ["yes"] * 60 + ["no"] * 40 + ["yes"] * 40 + ["no"] * 60,
    ...                    "region": ["N"] * 100 + ["S"] * 100})
    >>> res = crosstab(df, "sat", "region")
    >>> res.display().loc["yes"].tolist()
    ['60 B', '40', '50']
    >>> round(float(res.pvalues.loc[0, "p_value"]), 4)
    0.0047
    """
    check_option(engine, ENGINES, "engine")
    check_option(percent, ("col", "row", "total"), "percent")
    check_option(test, ("column_proportions", None), "test")
    check_option(method, ("pooled_z", "dimensions", "unpooled_z"), "method")
    check_option(adjust, (None, "bonferroni", "bh"), "adjust")
    check_option(lang, ("en", "zh"), "lang")
    alpha = check_alpha(alpha)
    if alpha2 is not None and check_alpha(alpha2, "alpha2") <= alpha:
        raise ConfigError(
            f"alpha2 ({alpha2}) must be larger than alpha ({alpha}): it marks the "
            "weaker, lower-case level."
        )
    is_multi = isinstance(row, Multi) or isinstance(col, Multi)
    how = "counted" if isinstance(data, (Counted, CountedMulti)) else resolve_engine(data, engine)
    if is_multi and how != "pandas" and not isinstance(data, CountedMulti):
        if is_engine_input(data):
            raise ConfigError(
                f"multi-response questions are counted on pandas input only for now; pass "
                f"engine='pandas' to collect the {describe(data)} first."
            )
        how = "pandas"  # a pandas frame with a multi-response question stays in pandas
    notes: list[str] = []
    yr: np.ndarray | None = None
    yc: np.ndarray | None = None
    if isinstance(data, CountedMulti):
        if nets:
            raise ConfigError(
                "nets are not supported with multi-response questions yet; add the "
                "net as a 0/1 column of its own."
            )
        cells = _multi_cells(data, col)
        rlev, clev = cells.rlev, cells.clev
        n_rows, missing_r, missing_c = cells.n_rows, cells.missing_r, cells.missing_c
        wv = np.empty(0)
    elif how != "pandas":
        cells = _engine_cells(data, row, col, weights, engine, casefold, notes)
        rlev, clev = cells.rlev, cells.clev
        n_rows, missing_r, missing_c = cells.n_rows, cells.missing_r, cells.missing_c
        wv = np.empty(0)
    else:
        design = as_design(to_pandas_input(data), weights=weights, labels=True)
        data = design.data
        check_columns(data, [v for v in (row, col) if not isinstance(v, Multi)])
        w_in = check_weights(data, design.weights)
        weighted = w_in is not None
        w = np.ones(len(data)) if w_in is None else w_in
        n_rows = len(data)
        if is_multi:
            if nets:
                raise ConfigError(
                    "nets are not supported with multi-response questions yet; add the "
                    "net as a 0/1 column of its own."
                )
            yr, vr, rlev = indicators(data, row)
            yc, vc, clev = indicators(data, col)
            missing_r, missing_c = int((~vr).sum()), int((~vc).sum())
        else:
            sides = []
            for name in (row, col):
                s = normalise_labels(data[name], casefold=bool(casefold))
                merged = merged_variants(data[name], s, what=f"categories of {str(name)!r}")
                if merged:
                    notes.append(merged + (" Case folded (casefold=True)." if casefold else ""))
                sides.append(s)
            rc, rcats = codes_of(sides[0], row)
            cc, ccats = codes_of(sides[1], col)
            rlev, clev = list(rcats), list(ccats)
            vr, vc = rc >= 0, cc >= 0
            missing_r, missing_c = (
                len(vr) - int(np.count_nonzero(vr)),
                len(vc) - int(np.count_nonzero(vc)),
            )
    for name, lev in ((row, rlev), (col, clev)):
        if len(lev) < 2:
            raise DataError(
                f"column {name!r} has {len(lev)} {'category' if len(lev) == 1 else 'categories'} "
                f"({preview(lev) or 'none'}); a crosstab "
                "needs at least two. Choose another variable or check the filter."
            )
    if how != "pandas":
        n_out, zero, n_used = cells.n_out, cells.zero, cells.n_used
        n_valid = cells.n_valid
        w_valid = float((cells.wcount if cells.col_w is None else cells.col_w).sum())
    else:
        valid = vr & vc
        n_out = len(valid) - int(np.count_nonzero(valid))
        zero = int(np.count_nonzero(valid & (w <= 0)))
        n_used = int(np.count_nonzero(valid & (w > 0)))
        all_valid = n_out == 0
        wv = w if all_valid else w[valid]
        n_valid, w_valid = int(np.count_nonzero(valid)), float(wv.sum())
    if n_out:
        notes.append(
            f"{n_out} of {n_rows} rows excluded: {missing_r} missing "
            f"{str(row)!r}, {missing_c} missing {str(col)!r}."
        )
    if zero:
        notes.append(
            f"{zero} rows answering both have weight 0: they count for nothing and are "
            "excluded from n_used (they stay in the unweighted bases)."
        )
    if not n_valid or w_valid <= 0:
        raise DataError(
            f"no row answers both {str(row)!r} and {str(col)!r}"
            + (
                ""
                if not n_valid
                else f" with a positive weight ({n_valid} rows answer both, all with weight 0)"
            )
            + "; check the filter, the skip logic or the weights."
        )
    n_r, n_c = len(rlev), len(clev)
    if how != "pandas":
        weighted = cells.weighted
        ucount, wcount, w2cell = cells.ucount, cells.wcount, cells.w2cell
        col_w, col_w2 = wcount.sum(axis=0), w2cell.sum(axis=0)
        col_n = ucount.sum(axis=0)
        if cells.col_w is not None:  # options overlap: the column bases were counted
            col_w, col_w2, col_n = cells.col_w, cells.col_w2, cells.col_n
        row_tot_w, row_tot_u = wcount.sum(axis=1), ucount.sum(axis=1)
    elif is_multi:
        yr, yc = cast(np.ndarray, yr)[valid], cast(np.ndarray, yc)[valid]
        wcount = (yr * wv[:, None]).T @ yc
        ucount = yr.T @ yc
        w2cell = np.zeros((n_r, n_c))  # unused: no overall test for multi-response
        col_w, col_w2, col_n = wv @ yc, (wv * wv) @ yc, yc.sum(axis=0)
        row_tot_w, row_tot_u = wv @ yr, yr.sum(axis=0)
    else:
        # One integer code per respondent and one bincount per statistic (counts, sum w,
        # sum w^2); without weights the three are the same count.
        code = rc * n_c + cc if all_valid else rc[valid] * n_c + cc[valid]
        size = n_r * n_c
        ucount = np.bincount(code, minlength=size).reshape(n_r, n_c).astype(float)
        if weighted:
            wcount = np.bincount(code, weights=wv, minlength=size).reshape(n_r, n_c)
            w2cell = np.bincount(code, weights=wv * wv, minlength=size).reshape(n_r, n_c)
        else:
            wcount, w2cell = ucount.copy(), ucount.copy()
        col_w, col_w2 = wcount.sum(axis=0), w2cell.sum(axis=0)
        col_n = ucount.sum(axis=0)
        row_tot_w, row_tot_u = wcount.sum(axis=1), ucount.sum(axis=1)
    tot_n = float(n_valid)
    if is_multi and how == "pandas":
        tot_w, tot_w2 = float(wv.sum()), float((wv * wv).sum())
    else:
        tot_w, tot_w2 = float(col_w.sum()), float(col_w2.sum())

    # Nets: extra rows that sum categories.
    row_names = list(rlev)
    wx, ux = wcount, ucount
    if nets:
        index = {v: i for i, v in enumerate(rlev)}
        add_w, add_u = [], []
        for net, members in nets.items():
            bad = [m for m in members if m not in index]
            if bad:
                raise DataError(
                    f"net {net!r} names categories {preview(bad)} that {row!r} does not "
                    f"have; its categories are {preview(list(rlev), 12)}."
                )
            ids = [index[m] for m in members]
            add_w.append(wcount[ids].sum(axis=0))
            add_u.append(ucount[ids].sum(axis=0))
            row_names.append(net)
        wx = np.vstack([wcount, *add_w])
        ux = np.vstack([ucount, *add_u])
        row_tot_w, row_tot_u = wx.sum(axis=1), ux.sum(axis=1)

    with np.errstate(invalid="ignore", divide="ignore"):
        e = kish_base(col_w, col_w2)
        prop = wx / col_w  # column proportions, rows x columns
    if test is None and first_letter + n_c > MAX_LETTERS:
        letters = [""] * n_c  # no tests, no letters: any number of columns
    else:
        if first_letter + n_c > MAX_LETTERS:
            raise ConfigError(
                f"column {str(col)!r} has {n_c} categories"
                + (f" (from letter position {first_letter})" if first_letter else "")
                + f": more than the {MAX_LETTERS} significance letters A..ZZ. Combine "
                "categories (e.g. the largest ones and 'other'), or pass test=None for a "
                "table without letters."
            )
        letters = column_letters(n_c, first_letter)
    col_labels = list(clev)
    lab = TABLE_LABELS[lang]

    t_prop = row_tot_w / tot_w
    if test is None:
        sig = np.full((len(row_names), n_c), "", dtype=object)
        pvalues = pd.DataFrame(
            {
                c: pd.Series(
                    dtype=object
                    if c in ("row", "column_a", "column_b")
                    else bool
                    if c in ("significant", "testable")
                    else float
                )
                for c in PVALUE_COLUMNS
            }
        )
        notes.append("test=None: no column tests, no letters.")
    else:
        sig, pvalues = _column_tests(
            row_names,
            col_labels,
            letters,
            prop,
            e,
            col_w,
            col_w2,
            wx,
            row_tot_w,
            t_prop,
            tot_w,
            tot_w2,
            yr if isinstance(col, Multi) else None,
            yc if isinstance(col, Multi) else None,
            wv,
            method=method,
            adjust=adjust,
            alpha=alpha,
            alpha2=alpha2,
            total_label=lab["total"] if total else None,
        )
        if not pvalues["testable"].all():
            notes.append(
                f"{(~pvalues['testable']).sum()} comparisons are not testable (an empty "
                "column or a zero standard error); they show no letter and "
                "testable=False."
            )

    # Tables.
    cols_all = col_labels + ([lab["total"]] if total else [])
    wfull = np.column_stack([wx, row_tot_w]) if total else wx
    ufull = np.column_stack([ux, row_tot_u]) if total else ux
    bw = np.r_[col_w, tot_w] if total else col_w
    with np.errstate(invalid="ignore", divide="ignore"):
        if percent == "col":
            pct = 100 * wfull / bw
        elif percent == "row":
            pct = 100 * wfull / row_tot_w[:, None]
        else:
            pct = 100 * wfull / tot_w
        colpct = 100 * wfull / bw
    idx = pd.Index(row_names, name=str(row))
    counts = pd.DataFrame(wfull, index=idx, columns=cols_all)
    unweighted = pd.DataFrame(ufull, index=idx, columns=cols_all)
    percent_df = pd.DataFrame(pct, index=idx, columns=cols_all)
    e_all = np.r_[e, kish_base(tot_w, tot_w2)] if total else e
    bases = pd.DataFrame(
        [np.r_[col_n, tot_n] if total else col_n, bw, e_all],
        index=["unweighted", "weighted", "effective"],
        columns=cols_all,
    )
    letters_df = pd.DataFrame(sig, index=idx, columns=col_labels)

    tidy = pd.DataFrame(
        {
            "row": np.repeat(np.array(row_names, dtype=object), len(cols_all)),
            "column": np.tile(np.array(cols_all, dtype=object), len(row_names)),
            "letter": np.tile(
                np.array(letters + ([""] if total else []), dtype=object), len(row_names)
            ),
            "n": ufull.ravel(),
            "count": wfull.ravel(),
            "percent": pct.ravel(),
            "column_percent": colpct.ravel(),
            "sig": np.column_stack([sig, np.full(len(row_names), "")]).ravel()
            if total
            else sig.ravel(),
        }
    )

    if is_multi:
        chi2, v, v_corr, small, min_exp = (
            pd.DataFrame(
                columns=[
                    "test",
                    "statistic",
                    "df",
                    "df2",
                    "p_value",
                    "small_expected",
                    "min_expected",
                ]
            ),
            np.nan,
            np.nan,
            0.0,
            np.nan,
        )
        notes.append(
            "multi-response: percentages are of respondents and may sum to more than "
            "100; no overall chi-square (answers are not mutually exclusive)."
        )
    else:
        chi2, v, v_corr, small, min_exp = _overall(ucount, wcount, w2cell, weighted, notes)
    if small > 0.2 or min_exp < 1:
        notes.append(
            f"{small:.0%} of cells have expected counts below 5 (smallest "
            f"{min_exp:.2g}): the chi-square approximation is doubtful (Cochran's rule: "
            "at most 20% below 5, none below 1); merge sparse categories."
        )
    if weighted and not is_multi:
        notes.append("weighted: tests use Kish effective bases; the overall test is Rao-Scott.")
    return CrosstabResult(
        tidy,
        counts=counts,
        unweighted=unweighted,
        percent=percent_df,
        bases=bases,
        pvalues=pvalues,
        letters=letters_df,
        column_letters=dict(zip(col_labels, letters, strict=True)),
        chi2=chi2,
        cramers_v=v,
        cramers_v_corrected=v_corr,
        row=row,
        col=col,
        percent_by=percent,
        alpha=alpha,
        lang=lang,
        n_used=n_used,
        n_excluded=n_rows - n_used,
        notes=tuple(notes),
    )


@dataclass(frozen=True)
class Counted:
    """Cells already counted by an engine (internal: a banner counts each row question once
    by all its banner variables and hands :func:`crosstab` the cells of one pair): the two
    key columns and ``n``, ``sum_w``, ``sum_w2``, ``n_pos`` per combination."""

    cells: pd.DataFrame
    weighted: bool


@dataclass(frozen=True)
class _Cells:
    """The counted cells of a crosstab from an engine, in the pandas path's category order."""

    rlev: list
    clev: list
    ucount: np.ndarray
    wcount: np.ndarray
    w2cell: np.ndarray
    n_rows: int
    n_valid: int
    n_used: int
    n_out: int
    missing_r: int
    missing_c: int
    zero: int
    weighted: bool
    col_w: np.ndarray | None = None
    col_w2: np.ndarray | None = None
    col_n: np.ndarray | None = None


@dataclass(frozen=True)
class CountedMulti:
    """A multi-response row question counted per option in the engine (internal, for a
    banner): :func:`~needlab.tables.multi.engine_option_counts` summed to the groups of one
    column variable, and the options' labels."""

    cells: pd.DataFrame
    levels: list
    weighted: bool


def _multi_cells(data: CountedMulti, col: Hashable) -> _Cells:
    """The sums of the pandas multi-response path (yr' diag(w) yc and the column bases over
    the rows answering the question and the column variable) from the option counts. The
    column categories are the raw values, as :func:`~needlab.tables.multi.indicators` gives
    them (no text normalisation on the multi-response path)."""
    t = data.cells
    cc, cats = codes_of(t[col], col)
    ok = cc >= 0
    k = len(cats)
    g = cc[ok]

    def per(c: str) -> np.ndarray:
        return np.bincount(g, weights=t[c].to_numpy(dtype=float)[ok], minlength=k)

    n_opt = len(data.levels)
    ucount = np.vstack([per(f"n_{j}") for j in range(n_opt)])
    wcount = np.vstack([per(f"w_{j}") for j in range(n_opt)]) if data.weighted else ucount
    n = t["n"].to_numpy()
    n_v = t["n_v"].to_numpy()
    n_rows = int(n.sum())
    n_valid = int(n_v[ok].sum())
    n_used = int(t["n_pos"].to_numpy()[ok].sum())
    col_n = per("n_v")
    return _Cells(
        rlev=list(data.levels),
        clev=list(cats),
        ucount=ucount,
        wcount=wcount,
        w2cell=np.zeros_like(ucount),  # unused: no overall test for multi-response
        n_rows=n_rows,
        n_valid=n_valid,
        n_used=n_used,
        n_out=n_rows - n_valid,
        missing_r=int((n - n_v).sum()),
        missing_c=int(n[~ok].sum()),
        zero=n_valid - n_used,
        weighted=data.weighted,
        col_w=per("sum_w") if data.weighted else col_n,
        col_w2=per("sum_w2") if data.weighted else col_n,
        col_n=col_n,
    )


def _engine_cells(
    data: Any,
    row: Hashable,
    col: Hashable,
    weights: Any,
    engine: Engine,
    casefold: bool,
    notes: list[str],
) -> _Cells:
    """Count (n, sum w, sum w^2, n with w > 0) per (row, col) value in the engine, then
    normalise the labels and order the categories on that small table exactly as the pandas
    path does on the full columns (the sums are additive, so merged variants add up)."""
    wcol: Any
    if isinstance(data, Counted):
        wcol = "counted" if data.weighted else None
        cells = data.cells
    elif is_engine_input(data):
        wcol = None if weights is None or weights is False else weights
        cells = count_cells(data, [row, col], weights=wcol, engine=engine)
    else:
        design = as_design(data, weights=weights, labels=True)
        check_columns(design.data, [row, col])
        wcol = check_weights(design.data, design.weights)
        cells = count_cells(design.data, [row, col], weights=wcol, engine=engine)
    # Engines return groups in no set order: sorted, the notes on merged variants are stable
    # (they list the variants in sorted order; the pandas path lists them as they appear).
    order = np.lexsort(tuple(np.array([str(v) for v in cells[k]]) for k in (col, row)))
    cells = cells.iloc[order].reset_index(drop=True)
    codes = []
    levels = []
    for name in (row, col):
        raw = cells[name]
        norm = normalise_labels(raw, casefold=bool(casefold))
        merged = merged_variants(raw, norm, what=f"categories of {str(name)!r}")
        if merged:
            notes.append(merged + (" Case folded (casefold=True)." if casefold else ""))
        c, cats = codes_of(norm, name)
        codes.append(c)
        levels.append(list(cats))
    rc, cc = codes
    n_r, n_c = len(levels[0]), len(levels[1])
    cn = cells["n"].to_numpy(dtype=float)
    valid = (rc >= 0) & (cc >= 0)
    code = rc[valid] * n_c + cc[valid]
    size = n_r * n_c

    def cell_sums(column: str) -> np.ndarray:
        v = cells[column].to_numpy(dtype=float)[valid]
        return np.bincount(code, weights=v, minlength=size).reshape(n_r, n_c)

    ucount = cell_sums("n")
    weighted = wcol is not None
    wcount, w2cell = (
        (cell_sums("sum_w"), cell_sums("sum_w2")) if weighted else (ucount.copy(), ucount.copy())
    )
    n_pos = cells["n_pos"].to_numpy(dtype=float)
    n_valid = int(cn[valid].sum())
    n_used = int(n_pos[valid].sum())
    return _Cells(
        rlev=levels[0],
        clev=levels[1],
        ucount=ucount,
        wcount=wcount,
        w2cell=w2cell,
        n_rows=int(cn.sum()),
        n_valid=n_valid,
        n_used=n_used,
        n_out=int(cn[~valid].sum()),
        missing_r=int(cn[rc < 0].sum()),
        missing_c=int(cn[cc < 0].sum()),
        zero=n_valid - n_used,
        weighted=weighted,
    )


PVALUE_COLUMNS = [
    "row",
    "column_a",
    "column_b",
    "p_a",
    "p_b",
    "difference",
    "statistic",
    "p_value",
    "p_adjusted",
    "significant",
    "testable",
]
"""Columns of :attr:`CrosstabResult.pvalues`."""


def _column_tests(
    row_names: list,
    col_labels: list,
    letters: list[str],
    prop: np.ndarray,
    e: np.ndarray,
    col_w: np.ndarray,
    col_w2: np.ndarray,
    wx: np.ndarray,
    row_tot_w: np.ndarray,
    t_prop: np.ndarray,
    tot_w: float,
    tot_w2: float,
    yr: np.ndarray | None,
    yc: np.ndarray | None,
    wv: np.ndarray,
    *,
    method: Literal["pooled_z", "dimensions", "unpooled_z"],
    adjust: Literal["bonferroni", "bh"] | None,
    alpha: float,
    alpha2: float | None,
    total_label: str | None,
) -> tuple[np.ndarray, pd.DataFrame]:
    """Every pairwise column test of every row at once, letters, and the tests against Total.

    ``yc`` (the respondent x column indicators) is given only for a multi-response column
    variable, whose columns overlap: its pairs use :func:`~needlab.tables.multi.overlap_test`.
    """
    n_c = len(col_labels)
    iu, ju = np.triu_indices(n_c, k=1)
    pa, pb = prop[:, :, None], prop[:, None, :]
    if yc is not None and yr is not None:
        # Columns overlap: each pair is tested with the overlap-corrected variance.
        _, _, z_pairs, p_pairs = overlap_test(yr, wv, yc[:, iu], yc[:, ju])
        stat = np.full((len(row_names), n_c, n_c), np.nan)
        pval = np.full_like(stat, np.nan)
        stat[:, iu, ju], pval[:, iu, ju] = z_pairs, p_pairs
        stat[:, ju, iu], pval[:, ju, iu] = -z_pairs, p_pairs
    else:
        # Disjoint columns: the chosen test, all rows and pairs at once: (rows, C, C).
        stat, pval = proportion_test(
            pa,
            pb,
            e[None, :, None],
            e[None, None, :],
            w_a=col_w[None, :, None],
            w_b=col_w[None, None, :],
            method=method,
        )
    padj_pairs = adjust_pvalues(pval[:, iu, ju], adjust)
    padj = np.full_like(pval, np.nan)
    padj[:, iu, ju] = padj_pairs
    padj[:, ju, iu] = padj_pairs
    sig = letters_for(pa - pb, padj, letters, alpha, alpha2)
    parts = [
        _pairs_arrays(
            row_names,
            [col_labels[i] for i in iu],
            [col_labels[j] for j in ju],
            prop[:, iu],
            prop[:, ju],
            stat[:, iu, ju],
            pval[:, iu, ju],
            padj_pairs,
            alpha,
        )
    ]
    if total_label is not None:
        # Each column against the rest of the sample (the column is part of the total).
        if yc is not None and yr is not None:
            _, _, st, pv = overlap_test(yr, wv, yc, 1.0 - yc)
        else:
            rest_w = tot_w - col_w
            with np.errstate(invalid="ignore", divide="ignore"):
                e_rest = kish_base(rest_w, tot_w2 - col_w2)
                p_rest = (row_tot_w[:, None] - wx) / rest_w
            st, pv = proportion_test(
                prop,
                p_rest,
                e[None, :],
                e_rest[None, :],
                w_a=col_w[None, :],
                w_b=rest_w[None, :],
                method=method,
            )
        pv_adj = adjust_pvalues(pv, adjust)
        parts.append(
            _pairs_arrays(
                row_names,
                col_labels,
                [total_label] * n_c,
                prop,
                np.repeat(t_prop[:, None], n_c, axis=1),
                st,
                pv,
                pv_adj,
                alpha,
            )
        )
    # One frame from the concatenated columns (cheaper than a frame per part and a concat).
    return sig, pd.DataFrame({c: np.concatenate([p[c] for p in parts]) for c in PVALUE_COLUMNS})


def _pairs_arrays(
    rows: list,
    col_a: list,
    col_b: list,
    p_a: np.ndarray,
    p_b: np.ndarray,
    stat: np.ndarray,
    pval: np.ndarray,
    padj: np.ndarray,
    alpha: float,
) -> dict[str, np.ndarray]:
    k = len(col_a)
    return {
        "row": np.repeat(np.array(rows, dtype=object), k),
        "column_a": np.tile(np.array(col_a, dtype=object), len(rows)),
        "column_b": np.tile(np.array(col_b, dtype=object), len(rows)),
        "p_a": p_a.ravel(),
        "p_b": p_b.ravel(),
        "difference": (p_a - p_b).ravel(),
        "statistic": stat.ravel(),
        "p_value": pval.ravel(),
        "p_adjusted": padj.ravel(),
        "significant": (padj < alpha).ravel(),
        "testable": np.isfinite(pval).ravel(),
    }


def _overall(
    ucount: np.ndarray, wcount: np.ndarray, w2cell: np.ndarray, weighted: bool, notes: list[str]
) -> tuple[pd.DataFrame, float, float, float, float]:
    """Overall association tests on the non-empty rows and columns.

    A row or column is empty when it has no respondents or (weighted) only weight 0; it is
    left out, as is an unused category. Respondents with weight 0 stay in the Rao-Scott
    sample size ``n``, as in R's ``svydesign(ids = ~1, weights = ~w)``.

    Returns
    -------
    chi2 : DataFrame
        ``test``, ``statistic``, ``df``, ``df2``, ``p_value``, ``small_expected`` (share of
        cells with expected count < 5) and ``min_expected`` (smallest expected count), both on
        the unweighted counts.
    cramers_v, cramers_v_corrected, small_expected, min_expected : float
    """
    from scipy.stats import chi2_contingency

    size = wcount if weighted else ucount
    keep_r = size.sum(axis=1) > 0
    keep_c = size.sum(axis=0) > 0
    u = ucount[keep_r][:, keep_c]
    cols = ["test", "statistic", "df", "df2", "p_value", "small_expected", "min_expected"]
    if u.shape[0] < 2 or u.shape[1] < 2:
        return pd.DataFrame(columns=cols), np.nan, np.nan, 0.0, np.nan
    n = u.sum()
    expected = np.outer(u.sum(axis=1), u.sum(axis=0)) / n
    small = float((expected < 5).mean())
    min_exp = float(expected.min())
    rows = []
    if weighted:
        wt = wcount[keep_r][:, keep_c]
        x2, f, d1, d2, p = rao_scott(wt, w2cell[keep_r][:, keep_c], n)
        rows.append(("Rao-Scott F (second order)", f, d1, d2, p, small, min_exp))
        if not np.isfinite(p):
            notes.append(
                "the Rao-Scott test is not defined for this table: empty cells leave "
                "interaction contrasts without data (the design-effect matrix is "
                "singular); merge sparse categories. Its row in .chi2 is NaN."
            )
        table_for_v = wt / wt.sum() * n
    else:
        pear = chi2_contingency(u, correction=False)
        lr = chi2_contingency(u, correction=False, lambda_="log-likelihood")
        rows.append(
            ("Pearson chi-square", pear.statistic, pear.dof, np.nan, pear.pvalue, small, min_exp)
        )
        rows.append(
            ("Likelihood ratio (G)", lr.statistic, lr.dof, np.nan, lr.pvalue, small, min_exp)
        )
        table_for_v = u
        x2 = pear.statistic
    if weighted:
        exp_w = np.outer(table_for_v.sum(axis=1), table_for_v.sum(axis=0)) / n
        with np.errstate(invalid="ignore", divide="ignore"):
            x2 = float(np.nansum((table_for_v - exp_w) ** 2 / exp_w))
    k, r = table_for_v.shape
    v = float(np.sqrt(x2 / (n * (min(k, r) - 1))))
    phi2 = max(0.0, x2 / n - (k - 1) * (r - 1) / (n - 1))
    kc, rc = k - (k - 1) ** 2 / (n - 1), r - (r - 1) ** 2 / (n - 1)
    denom = min(kc - 1, rc - 1)
    v_corr = float(np.sqrt(phi2 / denom)) if denom > 0 else np.nan
    return pd.DataFrame(rows, columns=cols), v, v_corr, small, min_exp


SINGULAR = 1e14
"""Condition number (1-norm) above which the Rao-Scott design-effect matrix is not computed."""


def rao_scott(
    wcount: np.ndarray, w2cell: np.ndarray, n: float
) -> tuple[float, float, float, float, float]:
    """Rao-Scott second-order corrected test of independence for a weighted table.

    The design is with-replacement sampling of respondents with weights only (no strata or
    clusters), as ``svydesign(ids = ~1, weights = ~w)`` in R's survey package, whose
    ``svychisq(statistic = "F")`` default this reproduces. With p the weighted cell
    proportions and V their linearised covariance
    V = n/(n-1) / W^2 [diag(s2) - p s2' - s2 p' + S2 p p'] (s2 the per-cell sums of squared
    weights, S2 their total, W the total weight), C a basis of the interaction contrasts and
    D = diag(1/p): Delta = (C' D C / n)^-1 (C' D V D C). Pearson's X^2 on the weighted table
    scaled to n gives F = X^2 / tr(Delta) on d0 = tr(Delta)^2 / tr(Delta^2) and d0 (n - 1)
    degrees of freedom.

    Returns
    -------
    x2, F, df1, df2, p_value
        F, df1, df2 and p_value are NaN when C' D C is singular (condition number above
        :data:`SINGULAR`): empty cells that leave some interaction contrasts without data,
        e.g. two rows answered only in one column. R's ``svychisq`` stops with an error there.

    References
    ----------
    Rao, J. N. K., & Scott, A. J. (1984). *Annals of Statistics*, 12(1), 46-60.
    Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley, ch. 6.
    """
    from scipy.special import fdtrc

    n_r, n_c = wcount.shape
    total = wcount.sum()
    p = (wcount / total).ravel()
    s2 = w2cell.ravel()
    s2_tot = s2.sum()
    v = (
        n
        / (n - 1)
        / total**2
        * (np.diag(s2) - np.outer(p, s2) - np.outer(s2, p) + s2_tot * np.outer(p, p))
    )
    # Design matrices over cells in row-major order (cell k = i * n_c + j).
    ri, cj = np.divmod(np.arange(n_r * n_c), n_c)
    rd = (ri[:, None] == np.arange(1, n_r)[None, :]).astype(float)
    cd = (cj[:, None] == np.arange(1, n_c)[None, :]).astype(float)
    x1 = np.column_stack([np.ones(n_r * n_c), rd, cd])
    x12 = (rd[:, :, None] * cd[:, None, :]).reshape(n_r * n_c, -1)
    cmat = x12 - x1 @ np.linalg.lstsq(x1, x12, rcond=None)[0]
    with np.errstate(divide="ignore"):
        idiag = np.where(p > 0, 1 / p, 0.0)
    cd_ = cmat * idiag[:, None]
    denom = cmat.T @ cd_ / n
    numr = cd_.T @ v @ cd_
    obs = p.reshape(n_r, n_c) * n
    exp = np.outer(obs.sum(axis=1), obs.sum(axis=0)) / n
    with np.errstate(invalid="ignore", divide="ignore"):
        x2 = float(np.nansum((obs - exp) ** 2 / exp))
    if np.linalg.cond(denom, 1) > SINGULAR:
        # Empty cells can leave interaction contrasts that load only on them: Delta is then
        # undefined (R's svychisq stops with "system is computationally singular").
        return x2, np.nan, np.nan, np.nan, np.nan
    delta = np.linalg.solve(denom, numr)
    tr = np.trace(delta)
    d0 = tr**2 / np.trace(delta @ delta)
    f_stat = x2 / tr
    df2 = d0 * (n - 1)
    return x2, float(f_stat), float(d0), float(df2), float(fdtrc(d0, df2, f_stat))
