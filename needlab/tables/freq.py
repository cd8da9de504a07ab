"""Frequency tables: counts, percentages, valid and cumulative percentages, Wilson intervals.

Counting is one weighted :func:`numpy.bincount` over the factorized codes of the column, or one
grouped aggregation in the engine that holds the data (:mod:`needlab._engine`).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from needlab._engine import (
    ENGINES,
    Engine,
    count_cells,
    is_engine_input,
    resolve_engine,
    to_pandas_input,
)
from needlab._i18n import TABLE_LABELS
from needlab._result import Result
from needlab._stats import (
    codes_of,
    effective_n,
    grouped_sum,
    mixed_types_note,
    wilson_interval,
    z_value,
)
from needlab._types import Lang, Weights
from needlab._validate import as_design, check_columns, check_option, check_weights

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["MISSING_LABEL", "FreqResult", "freq"]

MISSING_LABEL = TABLE_LABELS["en"]["missing"]
"""The ``value`` shown on the row of missing answers (``lang="en"``; ``"缺失"`` with
``lang="zh"``)."""

TITLES = {"en": "Frequencies", "zh": "频数表"}


@dataclass(frozen=True, repr=False)
class FreqResult(Result):
    """Result of :func:`freq`.

    Attributes
    ----------
    table : DataFrame
        One row per value (and a final missing row); columns described in :func:`freq`.
    var : hashable
        The analysed column.
    n_used, n_excluded : int
        Respondents with an answer and a positive weight (the base of the valid
        percentages), and the others (no answer, weight 0; reasons in ``notes``). Rows
        without an answer are still shown on the missing row unless ``dropna=True``.
    weighted_n : float
        Sum of the weights over all rows (the number of rows without weights).
    n_eff : float
        Kish effective base of the valid rows (the number of valid rows without weights).
    ci : float or None
        Confidence level of the intervals.
    weighted : bool
        Whether weights were given.
    lang : {"en", "zh"}
        Language of the labels and the title.
    """

    var: Hashable = None
    weighted_n: float = 0.0
    n_eff: float = 0.0
    ci: float | None = 0.95
    weighted: bool = False
    lang: str = "en"

    @property
    def title(self) -> str:  # type: ignore[override]
        return TITLES.get(self.lang, TITLES["en"])

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {"var": self.var}
        if self.weighted:
            out["weighted n"] = self.weighted_n
            out["effective base (valid)"] = self.n_eff
        return out

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Bar chart of the valid percentages with their Wilson intervals.

        See :func:`needlab.tables.plot.freq_bars`.
        """
        from needlab.tables.plot import freq_bars

        return freq_bars(self, ax=ax, **kwargs)


def freq(
    data: Any,
    var: Hashable,
    *,
    weights: Weights = None,
    dropna: bool = False,
    ci: float | None = 0.95,
    sort: Literal["value", "count"] | None = None,
    labels: Mapping[Any, str] | None = None,
    lang: Lang = "en",
    engine: Engine = "auto",
) -> FreqResult:
    """Frequency table of one column, weighted or not, with Wilson intervals.

    Parameters
    ----------
    data : DataFrame, Survey, Parquet/CSV path or engine frame
        One row per respondent. A :class:`~needlab.Survey` shows its answer labels (in the
        codebook's order) and is weighted by its codebook's weight column. A file path or a
        Polars, DuckDB or SQLFrame/PySpark frame is counted where it lives (``engine``).
    var : hashable
        The column to count.
    weights : column name, array or False, optional
        Respondent weights (finite, non-negative, positive total). Without weights every row
        counts 1. On a Survey None takes the codebook's weight column and False is
        unweighted.
    dropna : bool, default False
        When False, missing answers get a final row and ``percent`` is of all rows. When True,
        the missing row is left out and ``percent`` is of the valid rows only (the number
        of excluded rows is in ``notes``).
    ci : float or None, default 0.95
        Confidence level of the intervals; None leaves ``ci_low`` / ``ci_high`` out.
    sort : {None, "value", "count"}, default None
        None or ``"value"``: a categorical column keeps its category order (the order of
        an ordered scale, unused categories shown with zero counts); any other column is
        sorted by value. ``"count"``: largest weighted count first (ties in value order).
        The missing row always comes last.
    labels : mapping, optional
        Value labels (code -> label), shown in a ``label`` column; values without a label
        show the value itself.
    lang : {"en", "zh"}, default "en"
        Language of the missing-row label (``"(missing)"`` or ``"缺失"``) and of the title
        (``"Frequencies"`` or ``"频数表"``). The column names of ``.table`` stay English in
        both: they are the API.
    engine : {"auto", "pandas", "duckdb"}, default "auto"
        Where the counting runs (:func:`needlab._engine.resolve_engine`): a pandas frame or
        Survey in pandas, or in DuckDB reading it in place above
        :data:`~needlab._engine.AUTO_DUCKDB_ROWS` rows; a Parquet/CSV path in DuckDB; a Polars
        frame, DuckDB relation or SQLFrame/PySpark DataFrame on its own backend. The engine
        returns one row per distinct value (n, sum w, sum w^2) and the statistics are the same
        as on the pandas path. For engine input ``weights`` must be a column name; values are
        the column's raw values (codes), sorted by value, and ``labels`` labels them after
        the counting (a Survey's codebook labels are used for Survey input only). A pandas
        categorical counted by DuckDB keeps its category order and unused categories.

    Returns
    -------
    FreqResult
        ``.table`` has the columns

        - ``value``: the answer (``"(missing)"``, or ``"缺失"`` with ``lang="zh"``, on the
          missing row);
        - ``label``: the value label (only when ``labels`` is given);
        - ``n``: unweighted number of rows;
        - ``count``: weighted count (sum of weights; equals ``n`` without weights);
        - ``percent``: ``count`` as a percentage of all rows including missing ones
          (of the valid rows when ``dropna=True``);
        - ``valid_percent``: ``count`` as a percentage of the valid rows (NaN on the
          missing row);
        - ``cumulative_percent``: running sum of ``valid_percent`` in table order (NaN on
          the missing row);
        - ``ci_low``, ``ci_high``: Wilson score interval (percent) of the valid proportion,
          computed on the Kish effective base of the valid rows
          ``n_eff = (sum w)^2 / sum w^2`` (NaN on the missing row).

        Percentages in each column sum to 100. Attributes ``n_used`` (valid rows with a
        positive weight), ``n_excluded``, ``weighted_n`` and ``n_eff`` hold the bases.

    Raises
    ------
    SchemaError
        ``data`` is not a DataFrame or Survey, or ``var`` is not one of its columns.
    DataError
        Invalid weights, or a column that mixes value types that cannot be ordered.
    ConfigError
        An invalid ``sort``, ``ci`` or ``engine``; weights given as an array for an engine
        frame.

    References
    ----------
    Kish, L. (1965). *Survey Sampling*. Wiley (effective sample size of a weighted sample).
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. *JASA*, 22(158), 209-212.

    Examples
    --------
    >>> df = pd.DataFrame({"q": [1, 2, 2, 3, None], "w": [1.0, 1.0, 2.0, 1.0, 1.0]})
    >>> freq(df, "q").table[["value", "n", "percent", "valid_percent"]]
           value  n  percent  valid_percent
    0        1.0  1     20.0           25.0
    1        2.0  2     40.0           50.0
    2        3.0  1     20.0           25.0
    3  (missing)  1     20.0            NaN
    >>> r = freq(df, "q", weights="w", dropna=True)
    >>> r.table["count"].tolist(), round(r.n_eff, 3)
    ([1.0, 3.0, 1.0], 3.571)
    """
    check_option(engine, ENGINES, "engine")
    check_option(sort, (None, "value", "count"), "sort")
    check_option(lang, ("en", "zh"), "lang")
    missing_label = TABLE_LABELS[lang]["missing"]
    if ci is not None:
        z_value(ci)  # validates ci
    where = resolve_engine(data, engine)
    if where == "pandas":
        design = as_design(to_pandas_input(data), weights=weights, labels=True)
        data = design.data
        check_columns(data, var)
        n = len(data)
        w_in = check_weights(data, design.weights)
        w = np.ones(n) if w_in is None else w_in
        s = data[var]
        codes, cats = codes_of(s, var, keep_unused=True, allow_mixed=True)
        k = len(cats)
        valid = codes >= 0
        n_counts = grouped_sum(codes, k).astype(np.int64)
        w_counts = grouped_sum(codes, k, w)
        n_missing = int((~valid).sum())
        w_missing = float(w[~valid].sum())
        n_eff = effective_n(w[valid])
        zero = int(np.count_nonzero(valid & (w <= 0)))
        weighted = w_in is not None
    else:
        # Counted by the engine: one row per distinct value (n, sum w, sum w^2, rows with
        # w > 0), then the same statistics on that small table.
        if is_engine_input(data):
            wcol = None if weights is None or weights is False else weights
            cells = count_cells(data, [var], weights=wcol, engine=engine)
        else:
            design = as_design(data, weights=weights, labels=True)
            check_columns(design.data, var)
            wcol = check_weights(design.data, design.weights)
            cells = count_cells(design.data, [var], weights=wcol, engine=engine)
        weighted = wcol is not None
        s = cells[var]
        codes, cats = codes_of(s, var, keep_unused=True, allow_mixed=True)
        k = len(cats)
        valid = codes >= 0
        cn = cells["n"].to_numpy()
        sw, sw2 = cells["sum_w"].to_numpy(), cells["sum_w2"].to_numpy()
        n_counts = np.bincount(codes[valid], weights=cn[valid], minlength=k)
        n_counts = np.rint(n_counts).astype(np.int64)
        w_counts = np.bincount(codes[valid], weights=sw[valid], minlength=k).astype(float)
        n = int(cn.sum())
        n_missing = int(cn[~valid].sum())
        w_missing = float(sw[~valid].sum())
        s2 = float(sw2[valid].sum())
        n_eff = float(sw[valid].sum()) ** 2 / s2 if s2 > 0 else 0.0
        zero = int((cn - cells["n_pos"].to_numpy())[valid].sum())
    w_valid = float(w_counts.sum())
    w_all = w_valid + w_missing

    order = np.arange(k)
    if sort == "count":
        order = np.lexsort((np.arange(k), -w_counts))
    values = list(cats[order])
    n_counts, w_counts = n_counts[order], w_counts[order]

    with np.errstate(invalid="ignore", divide="ignore"):
        valid_share = w_counts / w_valid if w_valid > 0 else np.full(k, np.nan)
    denom_all = w_valid if dropna else w_all
    table: dict[str, Any] = {
        "value": values,
        "n": n_counts,
        "count": w_counts,
        "percent": 100 * w_counts / denom_all if denom_all > 0 else np.full(k, np.nan),
        "valid_percent": 100 * valid_share,
        "cumulative_percent": 100 * np.cumsum(valid_share),
    }
    if ci is not None:
        lo, hi = wilson_interval(valid_share, np.full(k, n_eff), ci)
        table["ci_low"], table["ci_high"] = 100 * lo, 100 * hi
    out = pd.DataFrame(table)
    if n_missing and not dropna:
        miss: dict[Hashable, Any] = {c: np.nan for c in out.columns}
        miss.update(
            {
                "value": missing_label,
                "n": n_missing,
                "count": w_missing,
                "percent": 100 * w_missing / w_all,
            }
        )
        out = pd.concat([out.astype({"value": object}), pd.DataFrame([miss])], ignore_index=True)
    out["n"] = out["n"].astype(np.int64)
    if labels is not None:
        # The missing row (the last one when shown) keeps its label; a value equal to the
        # label text is still looked up like any other value.
        is_miss = np.zeros(len(out), dtype=bool)
        if n_missing and not dropna:
            is_miss[-1] = True
        lab = [
            missing_label if m else labels.get(v, v)
            for v, m in zip(out["value"], is_miss, strict=True)
        ]
        out.insert(1, "label", pd.Series(lab, dtype=object).astype(str))

    notes = []
    if n_missing:
        how = "excluded from the table" if dropna else "shown on the last row"
        notes.append(
            f"{n_missing} of {n} rows have no answer in {var!r} ({how}); valid "
            f"percentages and intervals use the {n - n_missing} valid rows."
        )
    mixed = mixed_types_note(s, var)
    if mixed:
        notes.append(mixed)
    if zero:
        notes.append(
            f"{zero} rows with an answer have weight 0 and count for nothing (excluded "
            "from n_used)."
        )
    n_used = n - n_missing - zero
    return FreqResult(
        out,
        var=var,
        n_used=n_used,
        n_excluded=n - n_used,
        weighted_n=w_all,
        n_eff=n_eff,
        ci=ci,
        weighted=weighted,
        lang=lang,
        notes=tuple(notes),
    )
