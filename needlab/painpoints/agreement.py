"""Inter-coder agreement of coded texts: percent agreement, Cohen's kappa and Krippendorff's alpha.

Two or more coders assign pain codes to the same texts. Agreement is measured per code (the
binary presence of the code) and over all codes:

* **percent agreement**: the share of coder pairs, within a text, that agree;
* **Cohen's kappa** (Cohen 1960) for two coders, with the large-sample standard error of Fleiss,
  Cohen and Everitt (1969); with more than two coders the mean over coder pairs (Light's kappa,
  without a standard error);
* **Krippendorff's alpha** (Krippendorff 2011) for any number of coders with missing codings,
  computed from the coincidence matrix in one matrix product.

The pooled kappa is Cohen's kappa of the 2x2 table summed over all codes (De Vries et al. 2008);
the pooled alpha uses the coincidence matrix summed over codes.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from needlab._result import Result
from needlab._validate import (
    check_alpha,
    check_columns,
    check_option,
    merged_variants,
    normalise_ids,
    normalise_labels,
    preview,
)
from needlab.errors import ConfigError, DataError, SchemaError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["AgreementResult", "agreement", "cohen_kappa", "krippendorff_alpha"]

Level = Literal["nominal", "interval"]

POOLED = "(pooled)"
"""Label of the pooled row of :attr:`AgreementResult.table`."""


# ----------------------------------------------------------------------------- result


@dataclass(frozen=True, repr=False)
class AgreementResult(Result):
    """Result of :func:`agreement`.

    Attributes
    ----------
    table : DataFrame
        One row per code and a final ``"(pooled)"`` row (columns described in :func:`agreement`).
    codes : tuple
        The codes, in table order.
    coders : tuple
        The coder names.
    n_used : int
        Texts coded by at least two coders (the texts every statistic uses).
    n_excluded : int
        Texts coded by fewer than two coders (left out).
    kappa_pooled, kappa_mean : float
        Kappa of the pooled 2x2 table, and the mean of the per-code kappas.
    alpha_pooled : float
        Krippendorff's alpha of the coincidence matrix summed over codes.
    alpha : float
        Krippendorff's alpha of the whole coding, each distinct label set a category (``nominal``)
        or, for single numeric labels, at ``level="interval"``.
    kappa : float
        Cohen's kappa of the whole coding (each distinct label set a category); two coders only,
        NaN otherwise.
    exact_agreement : float
        Share of coder pairs giving exactly the same label set.
    level : str
        Measurement level of :attr:`alpha`.
    ci : float
        Confidence level of the kappa intervals.
    """

    codes: tuple = ()
    coders: tuple = ()
    kappa_pooled: float = math.nan
    kappa_mean: float = math.nan
    alpha_pooled: float = math.nan
    alpha: float = math.nan
    kappa: float = math.nan
    exact_agreement: float = math.nan
    level: str = "nominal"
    ci: float = 0.95

    title = "Inter-coder agreement"

    def summary(self) -> dict[str, Any]:
        return {
            "coders": len(self.coders),
            "codes": len(self.codes),
            "exact agreement": self.exact_agreement,
            "kappa (pooled)": self.kappa_pooled,
            "kappa (mean of codes)": self.kappa_mean,
            "alpha (pooled)": self.alpha_pooled,
            f"alpha ({self.level}, whole coding)": self.alpha,
        }

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Kappa per code with its interval (pooled kappa last), 0 and the usual 0.6 / 0.8 marks.

        See :func:`needlab.painpoints.plot.kappa_intervals`.
        """
        from needlab.painpoints.plot import kappa_intervals

        return kappa_intervals(self, ax=ax, **kwargs)


# ----------------------------------------------------------------------------- statistics


def cohen_kappa(data: Any, *, ci: float = 0.95) -> tuple[float, float, float, float]:
    """Cohen's kappa of a k x k contingency table with the Fleiss-Cohen-Everitt standard error.

    Parameters
    ----------
    data : array or DataFrame of shape (k, k)
        Counts: rows coder A's categories, columns coder B's (same order).
    ci : float
        Confidence level of the interval.

    Returns
    -------
    kappa, se, ci_low, ci_high : float
        Kappa, its large-sample standard error (not under the null), and the Wald interval
        ``kappa +- z * se``. NaN when the table is empty or chance agreement is 1.

    Raises
    ------
    DataError
        The table is not square, holds values that are not numbers, or has negative or
        non-finite counts (the message shows the cells).
    ConfigError
        *ci* is not strictly between 0 and 1.

    References
    ----------
    Cohen, J. (1960). A coefficient of agreement for nominal scales. *Educational and
    Psychological Measurement* 20, 37-46.
    Fleiss, J. L., Cohen, J. and Everitt, B. S. (1969). Large sample standard errors of kappa and
    weighted kappa. *Psychological Bulletin* 72, 323-327 (equation 13).

    Examples
    --------
    >>> k, se, lo, hi = cohen_kappa(np.array([[20, 5], [10, 15]]))
    >>> round(k, 3), round(se, 3)
    (0.4, 0.127)
    """
    from needlab._stats import z_value

    z = z_value(check_alpha(ci, "ci"))
    try:
        t = np.asarray(data, dtype=float)
    except (TypeError, ValueError) as exc:
        raise DataError(
            f"cohen_kappa needs a table of counts (numbers); {exc}. Cross-tabulate the two "
            "coders' labels first (pandas.crosstab)."
        ) from None
    if t.ndim != 2 or t.shape[0] != t.shape[1]:
        raise DataError(
            f"cohen_kappa needs a square k x k table (coder A's categories in rows, coder B's "
            f"in columns, same order), got shape {t.shape}; add the missing categories as "
            "zero rows or columns."
        )
    bad = ~np.isfinite(t) | (t < 0)
    if bad.any():
        cells = [f"{t[i, j]:g} at ({i}, {j})" for i, j in zip(*np.nonzero(bad), strict=True)]
        raise DataError(
            f"cohen_kappa needs finite counts >= 0 in the table; found {int(bad.sum())} other "
            f"cells: {preview(cells)} (row, column). Pass the counts of texts per pair of "
            "categories."
        )
    n = t.sum()
    if n <= 0:
        return (math.nan,) * 4
    p = t / n
    rows, cols = p.sum(1), p.sum(0)
    po = float(np.trace(p))
    pe = float(rows @ cols)
    if pe >= 1 - 1e-12:
        return (math.nan,) * 4
    kappa = (po - pe) / (1 - pe)
    # Fleiss, Cohen & Everitt (1969): the non-null asymptotic variance.
    diag = np.diag(p)
    a = float(np.sum(diag * ((1 - pe) - (rows + cols) * (1 - po)) ** 2))
    off = p.copy()
    np.fill_diagonal(off, 0.0)
    b = (1 - po) ** 2 * float(np.sum(off * (cols[:, None] + rows[None, :]) ** 2))
    c = (po * pe - 2 * pe + po) ** 2
    var = max(a + b - c, 0.0) / (n * (1 - pe) ** 4)
    se = math.sqrt(var)
    return float(kappa), se, float(kappa - z * se), float(kappa + z * se)


def _coincidence(values: np.ndarray, n_values: int) -> np.ndarray:
    """Coincidence matrix of integer-coded values (units x coders, -1 missing)."""
    units = values.shape[0]
    ok = values >= 0
    rows = np.repeat(np.arange(units), values.shape[1])[ok.ravel()]
    counts = np.zeros((units, n_values))
    np.add.at(counts, (rows, values.ravel()[ok.ravel()]), 1.0)
    m = counts.sum(1)
    keep = m >= 2
    counts, m = counts[keep], m[keep]
    if counts.size == 0:
        return np.zeros((n_values, n_values))
    w = 1.0 / (m - 1)
    o = (counts * w[:, None]).T @ counts
    o -= np.diag((counts * w[:, None]).sum(0))
    return o


def _alpha_from_coincidence(
    o: np.ndarray, level: Level = "nominal", values: np.ndarray | None = None
) -> float:
    nc = o.sum(1)
    n = nc.sum()
    if n <= 1:
        return math.nan
    if level == "nominal":
        delta = 1.0 - np.eye(len(nc))
    else:
        v = np.asarray(values, dtype=float)
        delta = (v[:, None] - v[None, :]) ** 2
    d_e = float(nc @ delta @ nc)
    if d_e <= 0:
        return math.nan
    d_o = float(np.sum(o * delta))
    return float(1.0 - (n - 1) * d_o / d_e)


def krippendorff_alpha(data: Any, *, level: Level = "nominal") -> float:
    """Krippendorff's alpha of a coders x units (or DataFrame units x coders) reliability matrix.

    Parameters
    ----------
    data : array-like of shape (coders, units), or DataFrame of units x coders
        The values; NaN / None is a missing coding. A numpy array or nested list is read as in
        Krippendorff (2011), coders in rows; a DataFrame has one column per coder.
    level : {"nominal", "interval"}
        Metric of the differences: nominal (0 if equal, 1 otherwise) or interval (squared
        difference; values must be numeric).

    Returns
    -------
    float
        Alpha; 1 is perfect agreement, 0 agreement at chance. NaN when no unit has two values
        or there is no variation.

    Raises
    ------
    ConfigError
        Unknown *level*.
    DataError
        Non-numeric values at the interval level.

    References
    ----------
    Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. Annenberg School for
    Communication Departmental Papers 43, University of Pennsylvania.

    Examples
    --------
    The worked example of Krippendorff (2011), 4 coders x 12 units with missing codings:

    >>> nan = float("nan")
    >>> rel = [[1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    ...        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    ...        [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    ...        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan]]
    >>> round(krippendorff_alpha(rel), 3), round(krippendorff_alpha(rel, level="interval"), 3)
    (0.743, 0.849)
    """
    check_option(level, ["nominal", "interval"], "level")
    frame = (
        data if isinstance(data, pd.DataFrame) else pd.DataFrame(np.asarray(data, dtype=object).T)
    )
    stacked = frame.stack()  # drops missing
    stacked = stacked[stacked.notna().to_numpy()]
    cats, codes = _factorize(stacked.to_numpy(dtype=object))
    values = np.full(frame.shape, -1, dtype=np.int64)
    r = frame.index.get_indexer(stacked.index.get_level_values(0))
    c = frame.columns.get_indexer(stacked.index.get_level_values(1))
    values[r, c] = codes
    numeric = None
    if level == "interval":
        numeric = _numeric_categories(cats, "data")
    o = _coincidence(values, len(cats))
    return float(_alpha_from_coincidence(o, level, numeric))


def _factorize(values: np.ndarray) -> tuple[list[Any], np.ndarray]:
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), sort=False)
    return list(uniques), np.asarray(codes, dtype=np.int64)


def _numeric_categories(cats: Sequence[Any], what: str) -> np.ndarray:
    out = pd.to_numeric(pd.Series(list(cats), dtype=object), errors="coerce")
    bad = out.isna().to_numpy()
    if bad.any():
        raise DataError(
            f"{what}: level='interval' needs numeric single labels but found "
            f"{preview([cats[int(i)] for i in np.flatnonzero(bad)])}; use level='nominal' or recode "
            "the labels as numbers."
        )
    return out.to_numpy(dtype=float)


# ----------------------------------------------------------------------------- input parsing


def _to_set(x: Any, sep: str) -> frozenset | None:
    """One coding -> frozenset of codes, or None for a missing coding."""
    if x is None:
        return None
    if isinstance(x, (frozenset, set, list, tuple, np.ndarray, pd.Series)):
        items = [i for i in list(x) if not _isna(i)]
        return frozenset(str(i).strip() if isinstance(i, str) else i for i in items)
    if _isna(x):
        return None
    if isinstance(x, str):
        return frozenset(p.strip() for p in x.split(sep) if p.strip())
    return frozenset([x])


def _code_set(s: pd.Series) -> frozenset:
    """The codes of one text x coder in a long table (missing codes dropped)."""
    return frozenset(v.strip() if isinstance(v, str) else v for v in s if not _isna(v))


def _isna(x: Any) -> bool:
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def _as_series(x: Any, name: str) -> pd.Series:
    if isinstance(x, pd.Series):
        return x
    if isinstance(x, (str, bytes)) or not isinstance(x, Iterable):
        raise SchemaError(
            f"{name} must be a Series, a list of label sets, or a DataFrame; got {type(x).__name__}. "
            "Pass one coding per text, e.g. [['price'], ['delivery', 'service'], []]."
        )
    return pd.Series(list(x), dtype=object)


def _normalise_codes(
    wide: pd.DataFrame, codes: list | None, casefold: bool
) -> tuple[pd.DataFrame, list | None, list[str]]:
    """Codes compared as people read them: Unicode NFKC, trimmed, and with *casefold* case
    folded (:func:`needlab._validate.normalise_labels`); notes on the variants merged, and on
    codes that still differ only in case."""
    cells = wide.to_numpy(dtype=object).ravel()
    texts = sorted({c for st in cells if st is not None for c in st if isinstance(c, str)})
    if codes is not None:
        texts = sorted({*texts, *(c for c in codes if isinstance(c, str))})
    notes: list[str] = []
    if not texts:
        return wide, codes, notes
    before = pd.Series(texts, dtype=object)
    after = normalise_labels(before, casefold=casefold)
    mapping = dict(zip(texts, after.tolist(), strict=True))
    note = merged_variants(before, after, what="codes")
    if note:
        if casefold:
            note = note.replace("NFKC and trimming", "NFKC, trimming and case folding")
        notes.append(note + " They count as one code.")
    if not casefold:
        folded = pd.Series(list(dict.fromkeys(after.tolist())), dtype=object)
        groups = folded.groupby(folded.str.casefold(), sort=False).agg(list)
        case_only = [g for g in groups if len(g) > 1]
        if case_only:
            shown = "; ".join(" / ".join(repr(v) for v in g) for g in case_only[:5])
            notes.append(
                f"{len(case_only)} codes are written in variants that differ only in case "
                f"({shown}) and count as different codes; pass casefold=True if they are "
                "the same code."
            )

    def fix(st: Any) -> Any:
        if st is None:
            return None
        return frozenset(mapping.get(c, c) if isinstance(c, str) else c for c in st)

    out = wide.map(fix).astype(object)
    out = out.where(out.notna(), None)
    new_codes = (
        None if codes is None else [mapping.get(c, c) if isinstance(c, str) else c for c in codes]
    )
    return out, new_codes, notes


def _parse(
    data: Any, other: Any, *, text: Hashable, coder: Hashable, code: Hashable, sep: str
) -> tuple[pd.DataFrame, list[str]]:
    """Return a units x coders DataFrame of frozensets (None = missing coding), and notes."""
    if isinstance(data, pd.DataFrame) and other is None:
        df = data
        if not df.columns.is_unique:
            raise SchemaError("data has duplicate column names; give every coder one column.")
        if {text, coder, code} <= set(df.columns):
            check_columns(df, [text, coder, code])
            long = df[[text, coder, code]].copy()
            notes = []
            for col, what in ((text, "text ids"), (coder, "coder names")):
                long[col], note = normalise_ids(long[col], what=f"{what} ({col!r})")
                if note:
                    notes.append(note)
            bad = long[text].isna().to_numpy() | long[coder].isna().to_numpy()
            long = long[~bad]
            grouped = long.groupby([text, coder], sort=False, dropna=False)[[code]].agg(_code_set)[
                code
            ]
            wide = grouped.unstack(coder)
            return wide.astype(object).where(wide.notna(), None), notes
        if df.shape[1] < 2:
            raise SchemaError(
                f"data is a DataFrame with {df.shape[1]} column(s) ({preview(df.columns)}); give "
                f"one column per coder (texts x coders), or a long table with columns {text!r}, "
                f"{coder!r}, {code!r}."
            )
        return df.astype(object).map(lambda v: _to_set(v, sep)), []
    if other is None:
        raise SchemaError(
            "other is missing: pass two codings (data, other), a DataFrame of texts x coders, "
            f"or a long table with columns {text!r}, {coder!r}, {code!r}."
        )
    a, b = _as_series(data, "data"), _as_series(other, "other")
    if isinstance(data, pd.Series) and isinstance(other, pd.Series):
        for s, nm in ((a, "data"), (b, "other")):
            if not s.index.is_unique:
                dup = s.index[s.index.duplicated()]
                raise DataError(
                    f"{nm} has duplicated text ids in its index: {preview(dup)}; "
                    "each text needs one coding per coder."
                )
        idx = a.index.union(b.index, sort=False)
        a, b = a.reindex(idx), b.reindex(idx)
    elif len(a) != len(b):
        raise DataError(
            f"data has {len(a)} codings but other has {len(b)}; pass aligned codings (same "
            "texts in the same order) or two Series indexed by text id."
        )
    else:
        b.index = a.index
    na = getattr(data, "name", None) or "A"
    nb = getattr(other, "name", None) or "B"
    if na == nb:
        na, nb = "A", "B"
    return pd.DataFrame(
        {
            na: a.map(lambda v: _to_set(v, sep)).astype(object),
            nb: b.map(lambda v: _to_set(v, sep)).astype(object),
        }
    ), []


# ----------------------------------------------------------------------------- main function


def agreement(
    data: Any,
    other: Any = None,
    *,
    codes: Sequence[Hashable] | None = None,
    level: Level = "nominal",
    ci: float = 0.95,
    sep: str = ";",
    text: Hashable = "text",
    coder: Hashable = "coder",
    code: Hashable = "code",
    casefold: bool = False,
) -> AgreementResult:
    """Agreement between coders per code and overall: percent agreement, kappa, alpha.

    Parameters
    ----------
    data : Series, list, or DataFrame
        One of three shapes:

        * with *other*: the first coder's codings, one per text. A coding is a list / tuple /
          set of codes (multi-label), a string ``"a;b"`` split on *sep*, or one label. An empty
          list or ``""`` is a text coded with no code; ``None`` / NaN is a text this coder did
          not code. Two Series are aligned by their index (the text id); lists by position.
        * a DataFrame of texts x coders (one column per coder, same cell forms as above);
        * a long DataFrame with columns *text*, *coder*, *code* (one row per code given; a row
          with a missing code is a text coded with no code; a text a coder never mentions is a
          missing coding).
    other : Series or list, optional
        The second coder's codings when *data* is the first coder's.
    codes : sequence, optional
        The codes to report, in this order (default: every code used, sorted). Codes outside
        this list still count for the whole-coding statistics.
    level : {"nominal", "interval"}
        Level of :attr:`AgreementResult.alpha` for the whole coding. ``"interval"`` needs one
        numeric label per coding (e.g. severity ratings). Per-code alphas are of binary presence,
        where both levels coincide.
    ci : float
        Confidence level of the kappa intervals.
    sep : str
        Separator of codes in string codings.
    text, coder, code : hashable
        Column names of a long table (its text ids and coder names are compared after
        Unicode NFKC and trimming, never case folded; merged variants are noted).
    casefold : bool
        Also fold case when comparing codes. Codes are always compared after Unicode NFKC
        (full-width to half-width) and trimming, so ``"price "``, ``"ｐｒｉｃｅ"`` and
        ``"price"`` are one code; the variants merged are listed in the notes. The default
        ``False`` keeps ``"Price"`` and ``"price"`` apart, because codes are identifiers and
        some schemes use case (``"A"`` and ``"a"`` sub-codes), as needlab's other label
        comparisons do; when codes differ only in case a note names them, so that the
        disagreement is never silent. Pass ``True`` when case carries no meaning.

    Returns
    -------
    AgreementResult
        ``.table`` has one row per code and a final ``"(pooled)"`` row (``n_used`` counts the
        texts coded by at least two coders, ``n_excluded`` the others), with columns:

        * ``code``: the code (``"(pooled)"`` for the pooled row);
        * ``n_units``: texts coded by at least two coders;
        * ``prevalence``: share of codings that contain the code (pooled: mean over codes);
        * ``agreement``: percent agreement on the code's presence, the share of agreeing coder
          pairs within each text averaged over texts (pooled: over all text x code cells);
        * ``kappa``: Cohen's kappa of presence (two coders) or the mean over coder pairs (Light's
          kappa, more coders); pooled: kappa of the 2x2 table summed over codes;
        * ``kappa_se``, ``kappa_ci_low``, ``kappa_ci_high``: Fleiss-Cohen-Everitt standard error
          and Wald interval (two coders only; the pooled SE treats text x code cells as
          independent, so it is optimistic);
        * ``alpha``: Krippendorff's alpha of presence (pooled: summed coincidence matrices).

        The result also carries the whole-coding ``kappa``, ``alpha`` and ``exact_agreement``
        and ``kappa_mean`` (the mean of the per-code kappas).

    Raises
    ------
    SchemaError
        Inputs of the wrong shape, or a long table without the named columns.
    DataError
        Codings of different lengths, duplicated text ids, non-numeric labels at the interval
        level, or no text coded by two coders.
    ConfigError
        Invalid *level*, *ci* or *casefold*; duplicates in *codes*.

    References
    ----------
    Cohen, J. (1960). A coefficient of agreement for nominal scales. *Educational and
    Psychological Measurement* 20, 37-46.
    Fleiss, J. L., Cohen, J. and Everitt, B. S. (1969). Large sample standard errors of kappa and
    weighted kappa. *Psychological Bulletin* 72, 323-327.
    Light, R. J. (1971). Measures of response agreement for qualitative data. *Psychological
    Bulletin* 76, 365-377.
    De Vries, H., Elliott, M. N., Kanouse, D. E. and Teleki, S. S. (2008). Using pooled kappa to
    summarize interrater agreement across many items. *Field Methods* 20, 272-282.
    Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. Annenberg School for
    Communication Departmental Papers 43.

    Examples
    --------
    >>> a = [["price"], ["delivery", "service"], [], ["price"]]
    >>> b = [["price"], ["delivery"], [], ["service"]]
    >>> res = agreement(a, b)
    >>> res.table[["code", "n_units", "agreement"]]
           code  n_units  agreement
    0  delivery        4       1.00
    1     price        4       0.75
    2   service        4       0.50
    3  (pooled)        4       0.75
    """
    check_option(level, ["nominal", "interval"], "level")
    check_alpha(ci, "ci")
    if not isinstance(casefold, (bool, np.bool_)):
        raise ConfigError(f"casefold={casefold!r} is not valid; give True or False.")
    if not (isinstance(sep, str) and sep.strip()):
        raise ConfigError(
            f"sep={sep!r} is not valid; the separator of codes in string codings must be a "
            "non-blank string, e.g. ';'."
        )
    wide, parse_notes = _parse(data, other, text=text, coder=coder, code=code, sep=sep)
    wide, given_codes, norm_notes = _normalise_codes(
        wide, None if codes is None else list(codes), bool(casefold)
    )
    coders = tuple(wide.columns)
    present = wide.map(lambda v: v is not None).to_numpy(dtype=bool)
    m = present.sum(1)
    keep = m >= 2
    n_excluded = int((~keep).sum())
    wide, present, m = wide[keep], present[keep], m[keep]
    if len(wide) == 0:
        raise DataError(
            f"no text is coded by two coders ({n_excluded} texts have fewer than two codings); "
            "agreement needs texts that at least two coders coded (check the text ids align)."
        )
    cells = wide.to_numpy(dtype=object)
    used = sorted({c for s in cells.ravel() if s is not None for c in s}, key=str)
    if given_codes is None:
        codes_list = used
    else:
        codes_list = given_codes
        if len(set(codes_list)) != len(codes_list):
            raise ConfigError(
                f"codes has duplicates (after Unicode NFKC and trimming"
                f"{' and case folding' if casefold else ''}): "
                f"{preview([c for c in codes_list if codes_list.count(c) > 1])}; list each code once."
            )
    notes: list[str] = [*parse_notes, *norm_notes]
    if n_excluded:
        notes.append(f"{n_excluded} texts coded by fewer than two coders left out.")
    unknown = sorted(set(used) - set(codes_list), key=str)
    if unknown:
        notes.append(
            f"{len(unknown)} codes used but not in codes= (whole-coding statistics only): "
            f"{preview(unknown)}."
        )

    n_units, k = cells.shape
    pairs = list(combinations(range(k), 2))
    rows = []
    pooled_tables = np.zeros((2, 2))
    pooled_o = np.zeros((2, 2))
    agree_num = agree_den = 0.0
    prevalences = []
    # presence cube: texts x coders x codes of 1 / 0 / -1 (missing), filled in one pass
    col_of = {c: i for i, c in enumerate(codes_list)}
    cube = np.zeros((n_units, k, len(codes_list)), dtype=np.int64)
    cube[~present] = -1
    for (u, j), s in np.ndenumerate(cells):
        if s:
            for c in s:
                if c in col_of:
                    cube[u, j, col_of[c]] = 1
    for ci_, c in enumerate(codes_list):
        pres = cube[:, :, ci_]
        ones = (pres == 1).sum(1)
        zeros = (pres == 0).sum(1)
        agree_u = (ones * (ones - 1) + zeros * (zeros - 1)) / (m * (m - 1))
        agreement_c = float(agree_u.mean())
        agree_num += float(agree_u.sum())
        agree_den += n_units
        prev = float(ones.sum() / m.sum())
        prevalences.append(prev)
        o = _coincidence(pres, 2)
        pooled_o += o
        alpha_c = _alpha_from_coincidence(o)
        kappas = []
        stats = (math.nan,) * 4
        for i, j in pairs:
            both = (pres[:, i] >= 0) & (pres[:, j] >= 0)
            tab = np.zeros((2, 2))
            np.add.at(tab, (pres[both, i], pres[both, j]), 1.0)
            if k == 2:
                pooled_tables += tab
                stats = cohen_kappa(tab, ci=ci)
            kappas.append(cohen_kappa(tab, ci=ci)[0])
        kappa_c = (
            stats[0]
            if k == 2
            else float(np.nanmean(kappas))
            if not np.all(np.isnan(kappas))
            else math.nan
        )
        rows.append(
            {
                "code": c,
                "n_units": n_units,
                "prevalence": prev,
                "agreement": agreement_c,
                "kappa": kappa_c,
                "kappa_se": stats[1],
                "kappa_ci_low": stats[2],
                "kappa_ci_high": stats[3],
                "alpha": alpha_c,
            }
        )
    if k == 2 and codes_list:
        pk = cohen_kappa(pooled_tables, ci=ci)
    elif codes_list:
        pk = (_light_pooled(cube, pairs), math.nan, math.nan, math.nan)
    else:
        pk = (math.nan,) * 4
    alpha_pooled = _alpha_from_coincidence(pooled_o) if codes_list else math.nan
    rows.append(
        {
            "code": POOLED,
            "n_units": n_units,
            "prevalence": float(np.mean(prevalences)) if prevalences else math.nan,
            "agreement": agree_num / agree_den if agree_den else math.nan,
            "kappa": pk[0],
            "kappa_se": pk[1],
            "kappa_ci_low": pk[2],
            "kappa_ci_high": pk[3],
            "alpha": alpha_pooled,
        }
    )
    table = pd.DataFrame(rows)
    table["code"] = table["code"].astype(object)
    kappa_vals = table["kappa"].iloc[:-1].to_numpy(dtype=float)
    kappa_mean = float(np.nanmean(kappa_vals)) if np.isfinite(kappa_vals).any() else math.nan

    # whole coding: each distinct label set is one category
    sets = pd.Series([s for s in cells.ravel()], dtype=object)
    ok = sets.map(lambda s: s is not None).to_numpy(dtype=bool)
    cats, codes_int = _factorize(sets[ok].to_numpy(dtype=object))
    values = np.full(cells.size, -1, dtype=np.int64)
    values[ok] = codes_int
    values = values.reshape(cells.shape)
    numeric = None
    if level == "interval":
        single = [next(iter(s)) if len(s) == 1 else None for s in cats]
        if any(v is None for v in single):
            raise DataError(
                "level='interval' needs exactly one label per coding; found empty or "
                "multi-label codings. Use level='nominal'."
            )
        numeric = _numeric_categories(single, "codings")
    o_all = _coincidence(values, len(cats))
    alpha_all = _alpha_from_coincidence(o_all, level, numeric)
    ms = (values >= 0).sum(1)
    nuc = np.zeros((n_units, len(cats)))
    rr = np.repeat(np.arange(n_units), k)[(values >= 0).ravel()]
    np.add.at(nuc, (rr, values.ravel()[(values >= 0).ravel()]), 1.0)
    exact = float(np.mean((nuc * (nuc - 1)).sum(1) / (ms * (ms - 1))))
    kappa_all = math.nan
    if k == 2:
        tab = np.zeros((len(cats), len(cats)))
        np.add.at(tab, (values[:, 0], values[:, 1]), 1.0)
        kappa_all = cohen_kappa(tab, ci=ci)[0]

    return AgreementResult(
        table=table,
        codes=tuple(codes_list),
        coders=coders,
        n_used=n_units,
        n_excluded=n_excluded,
        kappa_pooled=float(pk[0]),
        kappa_mean=kappa_mean,
        alpha_pooled=float(alpha_pooled),
        alpha=float(alpha_all),
        kappa=float(kappa_all),
        exact_agreement=exact,
        level=level,
        ci=ci,
        notes=tuple(notes),
    )


def _light_pooled(cube: np.ndarray, pairs: list[tuple[int, int]]) -> float:
    """Mean over coder pairs of the pooled (summed over codes) 2x2 kappa."""
    out = []
    for i, j in pairs:
        a, b = cube[:, i, :].ravel(), cube[:, j, :].ravel()
        both = (a >= 0) & (b >= 0)
        tab = np.zeros((2, 2))
        np.add.at(tab, (a[both], b[both]), 1.0)
        out.append(cohen_kappa(tab)[0])
    arr = np.asarray(out, dtype=float)
    return float(np.nanmean(arr)) if np.isfinite(arr).any() else math.nan
