"""Perceptual maps: simple correspondence analysis (CA) of a brand x attribute table.

Written in numpy (a singular value decomposition); no correspondence-analysis dependency.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from needlab._result import Result
from needlab._types import Lang
from needlab._validate import check_columns, check_count, check_numeric, check_option, preview
from needlab.errors import ConfigError, DataError, SchemaError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["PerceptualMap", "perceptual_map"]


@dataclass(frozen=True, repr=False)
class PerceptualMap(Result):
    """Correspondence analysis of a brand x attribute table (from :func:`perceptual_map`).

    Attributes
    ----------
    table : DataFrame
        One row per point: ``point`` (the brand or attribute), ``kind`` (``"row"`` or
        ``"col"``), ``supplementary`` (projected, not analysed), ``total`` (its row or column
        sum), ``dim1..dimK`` (principal coordinates), ``std1..stdK`` (standard coordinates; for
        a supplementary point the principal coordinate divided by the singular value),
        ``mass``, ``inertia`` (the point's share of the total inertia, i.e. mass x squared
        chi-square distance to the centroid, divided by the total inertia), ``quality`` (sum of
        the squared cosines over the K dimensions kept), ``cos2_1..cos2_K`` and
        ``contrib_1..contrib_K`` (the point's share of each principal inertia; each sums to 1
        over the active rows and over the active columns). Supplementary points have no mass,
        inertia or contribution (empty: they do not enter the axes). Active rows first, then
        supplementary rows, active columns, supplementary columns.
    inertia : DataFrame
        One row per dimension of the full solution: ``dimension`` (1, 2, ...), ``singular_value``,
        ``inertia`` (principal inertia = squared singular value), ``share`` and ``cumulative``.
    total_inertia : float
        Sum of the principal inertias = Pearson chi-square / grand total.
    chi2 : float
        Pearson chi-square statistic of the active table.
    grand_total : float
        Sum of the active table (``n`` of the formulas).
    n_components : int
        Dimensions kept in the table (at most the rank of the table).
    row_label, col_label : str
        Names of the row and column sets (for plot legends).
    lang : {"en", "zh"}
        Language of the plot labels.
    """

    inertia: pd.DataFrame = field(kw_only=True)
    total_inertia: float = field(kw_only=True)
    chi2: float = field(kw_only=True)
    grand_total: float = field(kw_only=True)
    n_components: int = field(kw_only=True)
    row_label: str = field(default="rows", kw_only=True)
    col_label: str = field(default="columns", kw_only=True)
    lang: Lang = field(default="en", kw_only=True)

    title = "Perceptual map (correspondence analysis)"

    def summary(self) -> dict[str, Any]:
        """Total inertia, chi-square, the grand total, dimensions kept and the share they show."""
        shares = self.inertia["share"].to_numpy(float)
        k = min(self.n_components, 2)
        return {
            "total_inertia": self.total_inertia,
            "chi2": self.chi2,
            "grand_total": self.grand_total,
            "n_components": self.n_components,
            f"share_dims_1_{k}" if k > 1 else "share_dim_1": float(shares[:k].sum()),
        }

    def tables(self) -> dict[str, pd.DataFrame]:
        """The point table and the inertia table."""
        return {"table": self.table, "inertia": self.inertia}

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """The symmetric map (rows and columns both in principal coordinates) on dimensions 1, 2.

        See :func:`needlab.market.plot_perceptual.perceptual_biplot` for the keywords.
        """
        from needlab.market.plot_perceptual import perceptual_biplot

        return perceptual_biplot(self, ax=ax, **kwargs)


def perceptual_map(
    data: pd.DataFrame,
    *,
    rows: Hashable | None = None,
    cols: Sequence[Hashable] | None = None,
    supplementary_rows: Sequence[Hashable] | None = None,
    supplementary_cols: Sequence[Hashable] | None = None,
    n_components: int = 2,
    lang: Lang = "en",
) -> PerceptualMap:
    r"""Perceptual map of a brand x attribute table by simple correspondence analysis.

    With the table :math:`N` (:math:`I` brands x :math:`J` attributes, grand total :math:`n`),
    :math:`P = N / n`, row masses :math:`r = P 1`, column masses :math:`c = P^T 1` and the
    standardised residuals

    .. math:: S = D_r^{-1/2} (P - r c^T) D_c^{-1/2} = U \Sigma V^T

    (singular value decomposition). The principal inertias are :math:`\lambda_k =
    \sigma_k^2`; their sum is the total inertia :math:`\sum_{ij} s_{ij}^2 = \chi^2 / n`
    (Pearson's chi-square of the table over its total). Standard coordinates are
    :math:`\Phi = D_r^{-1/2} U` (rows) and :math:`\Gamma = D_c^{-1/2} V` (columns); principal
    coordinates :math:`F = \Phi \Sigma`, :math:`G = \Gamma \Sigma`. The contribution of row
    :math:`i` to axis :math:`k` is :math:`r_i f_{ik}^2 / \lambda_k = u_{ik}^2`; its squared
    cosine is :math:`f_{ik}^2 / d_i^2` with :math:`d_i^2 = \sum_j (p_{ij}/r_i - c_j)^2 / c_j`
    its squared chi-square distance to the centroid; the quality is the sum of the squared
    cosines over the dimensions kept (columns alike). A supplementary row with profile
    :math:`a` (its counts over the active columns divided by their sum) is placed by the
    transition formula :math:`f = a^T \Gamma`, a supplementary column with profile :math:`b`
    over the active rows by :math:`g = b^T \Phi`. The sign of each axis is fixed so that the
    active row with the largest absolute standard coordinate is positive (signs of CA axes are
    arbitrary; other software may show an axis mirrored).

    Parameters
    ----------
    data : DataFrame
        The table: one row per brand (brands in the index, or in the column *rows*), one
        numeric column per attribute holding non-negative counts (how many respondents said
        the attribute describes the brand). Any non-negative numbers are accepted (shares,
        weighted counts); see Notes for mean ratings.
    rows : column name, optional
        The column holding the brand names; the index when omitted.
    cols : list of column names, optional
        The active attribute columns; by default every column except *rows* and
        *supplementary_cols*.
    supplementary_rows : list, optional
        Row labels (brands, or e.g. a market average) projected onto the map without entering
        the analysis.
    supplementary_cols : list of column names, optional
        Attribute columns projected onto the map without entering the analysis.
    n_components : int, default 2
        Dimensions kept in the point table (at most ``min(I, J) - 1`` and the rank of the
        table; fewer are kept with a note). The inertia table always lists every dimension.
    lang : {"en", "zh"}, default "en"
        Language of the plot labels.

    Returns
    -------
    PerceptualMap
        ``n_used`` counts the rows of *data* analysed or projected (all of them),
        ``n_excluded`` is 0: nothing is dropped silently; an unusable row is an error.

    Raises
    ------
    SchemaError
        *data* is not a DataFrame; a column of *rows*, *cols* or *supplementary_cols* is
        missing; fewer than 2 active rows or columns.
    DataError
        Text in a count column, missing or infinite values, negative values, duplicated brand
        names, an all-zero active row or column (CA is undefined for it: drop it), a
        supplementary point with a zero total, or a table without association (every row with
        the same profile: nothing to map).
    ConfigError
        *supplementary_rows* not among the row labels, a column both active and
        supplementary, a bad *n_components* or *lang*.

    Notes
    -----
    **Mean ratings.** CA needs non-negative numbers; it analyses profiles (each brand's values
    relative to its own total), so it maps *relative* strengths, not levels. Mean ratings on a
    positive scale (1-10) may be passed as they are, with that reading. Ratings on a scale with
    negative values are refused; the recommended coding is Greenacre's *doubling*: for a scale
    from ``lo`` to ``hi`` each attribute ``a`` becomes two columns ``a+ = mean - lo`` and
    ``a- = hi - mean`` (every brand then has the same total, and both poles of each attribute
    appear on the map), e.g. ``pd.concat([(m - lo).add_suffix("+"), (hi - m).add_suffix("-")],
    axis=1)`` for a brand x attribute frame of means ``m``. The map and inertias are then
    descriptive: the chi-square of a table of means is not a test statistic.

    **Zero rows and columns.** An all-zero active row or column has no profile; rather than
    dropping it silently the function raises an error naming it (drop it from the table).

    References
    ----------
    Greenacre, M. (2017). *Correspondence Analysis in Practice*, 3rd ed. CRC Press (ch. 4-14,
    the doubling of ratings in ch. 23). Greenacre, M. J. (1984). *Theory and Applications of
    Correspondence Analysis*. Academic Press. Nenadić, O. & Greenacre, M. (2007).
    Correspondence analysis in R, with two- and three-dimensional graphics: the ca package.
    *Journal of Statistical Software* 20(3).

    Examples
    --------
    >>> import pandas as pd
    >>> smoke = pd.DataFrame(
    ...     {"none": [4, 4, 25, 18, 10], "light": [2, 3, 10, 24, 6],
    ...      "medium": [3, 7, 12, 33, 7], "heavy": [2, 4, 4, 13, 2]},
    ...     index=["SM", "JM", "SE", "JE", "SC"])
    >>> pm = perceptual_map(smoke)
    >>> round(pm.total_inertia, 5)
    0.08519
    >>> pm.inertia["inertia"].round(5).tolist()
    [0.07476, 0.01002, 0.00041]
    >>> pm.table.loc[pm.table["point"] == "SE", ["dim1", "quality"]].round(3).to_numpy().tolist()
    [[0.381, 1.0]]
    """
    check_option(lang, ("en", "zh"), "lang")
    n_components = check_count(n_components, "n_components", minimum=1)
    if not isinstance(data, pd.DataFrame):
        raise SchemaError(
            f"data must be a pandas DataFrame (brands x attributes), got {type(data).__name__}; "
            "wrap it with pandas.DataFrame(...)."
        )
    frame = data
    row_name = "rows"
    if rows is not None:
        check_columns(frame, [rows], what="rows column")
        labels = pd.Index(frame[rows].to_numpy(dtype=object), dtype=object)
        row_name = str(rows)
    else:
        labels = pd.Index(frame.index.to_numpy(dtype=object), dtype=object)
        if frame.index.name is not None:
            row_name = str(frame.index.name)
    if labels.isna().any():
        bad = np.flatnonzero(labels.isna().to_numpy())
        raise DataError(
            f"the row labels ({'column ' + repr(rows) if rows is not None else 'index'}) have "
            f"missing values at rows {preview(bad.tolist())}; name every brand or drop those rows."
        )
    if not labels.is_unique:
        dup = labels[labels.duplicated()].unique().tolist()
        raise DataError(
            f"the row labels ({'column ' + repr(rows) if rows is not None else 'index'}) repeat: "
            f"{preview(dup)}; one row per brand is needed: sum them first, e.g. "
            "data.groupby(<brand column>).sum()."
        )

    sup_cols = _as_list(supplementary_cols, "supplementary_cols")
    check_columns(frame, sup_cols, what="supplementary column")
    if rows is not None and rows in sup_cols:
        raise ConfigError(f"supplementary_cols includes the rows column {rows!r}; remove it.")
    if cols is None:
        act_cols: list[Hashable] = [c for c in frame.columns if c != rows and c not in sup_cols]
    else:
        act_cols = _as_list(cols, "cols")
        check_columns(frame, act_cols, what="attribute column")
        both = [c for c in act_cols if c in sup_cols]
        if both:
            raise ConfigError(
                f"columns {preview(both)} are in both cols and supplementary_cols; a column is "
                "either analysed or projected: remove it from one of them."
            )
        if rows is not None and rows in act_cols:
            raise ConfigError(f"cols includes the rows column {rows!r}; remove it from cols.")
    if len(set(map(str, act_cols))) != len(act_cols):
        raise ConfigError(f"cols repeats a column: {preview(act_cols)}; list each column once.")

    sup_rows = _as_list(supplementary_rows, "supplementary_rows")
    unknown = [r for r in sup_rows if r not in labels]
    if unknown:
        raise ConfigError(
            f"supplementary_rows {preview(unknown)} are not row labels of the table; choose "
            f"among {preview(labels.tolist(), 12)}."
        )
    is_sup = labels.isin(sup_rows)
    n_act_rows = int((~is_sup).sum())
    if n_act_rows < 2 or len(act_cols) < 2:
        raise SchemaError(
            f"correspondence analysis needs at least 2 active rows and 2 active columns; the "
            f"table has {n_act_rows} active rows ({preview(labels[~is_sup].tolist())}) and "
            f"{len(act_cols)} active columns ({preview(act_cols)}). Add brands or attributes, "
            "or make fewer of them supplementary."
        )

    values = _numbers(frame, [*act_cols, *sup_cols], labels)
    pos = np.arange(len(act_cols))
    active = values[~is_sup][:, pos]
    act_labels = labels[~is_sup]
    _check_margins(active, act_labels, act_cols)

    n = float(active.sum())
    P = active / n
    r = P.sum(axis=1)
    c = P.sum(axis=0)
    expected = np.outer(r, c)
    S = (P - expected) / np.sqrt(expected)
    U, sv, Vt = np.linalg.svd(S, full_matrices=False)
    kmax = min(active.shape) - 1
    sv = sv[:kmax]
    total = float((S**2).sum())
    tol = max(active.shape) * np.finfo(float).eps * max(float(sv[0]) if len(sv) else 0.0, 1.0)
    rank = int((sv > tol).sum())
    if rank == 0:
        raise DataError(
            "every row of the table has the same profile (the counts are proportional to the "
            "column totals): there is no association between brands and attributes to map "
            f"(total inertia {total:.3g})."
        )
    notes: list[str] = []
    keep = min(n_components, rank)
    if keep < n_components:
        notes.append(
            f"{keep} dimension(s) kept, not {n_components}: the table has rank {rank} "
            f"(at most min(rows, columns) - 1 = {kmax})."
        )
    U = U[:, :keep]
    V = Vt[:keep].T
    s = sv[:keep]
    # sign: the active row with the largest absolute standard coordinate is positive
    big = np.abs(U / np.sqrt(r)[:, None]).argmax(axis=0)
    sign = np.where(U[big, np.arange(keep)] < 0, -1.0, 1.0)
    U = U * sign
    V = V * sign
    phi = U / np.sqrt(r)[:, None]  # standard row coordinates
    gamma = V / np.sqrt(c)[:, None]  # standard column coordinates

    blocks = []
    row_prof = active / active.sum(axis=1, keepdims=True)
    blocks.append(
        _block(
            act_labels,
            "row",
            False,
            active.sum(axis=1),
            phi * s,
            s,
            r,
            _chi_dist2(row_prof, c),
            U**2,
            total,
        )
    )
    if is_sup.any():
        h = values[is_sup][:, pos]
        tot = h.sum(axis=1)
        _check_sup_totals(
            tot, labels[is_sup].tolist(), "supplementary row", "over the active columns"
        )
        prof = h / tot[:, None]
        blocks.append(
            _block(
                labels[is_sup],
                "row",
                True,
                tot,
                prof @ gamma,
                s,
                None,
                _chi_dist2(prof, c),
                None,
                total,
            )
        )
    col_prof = (active / active.sum(axis=0, keepdims=True)).T
    blocks.append(
        _block(
            pd.Index(act_cols, dtype=object),
            "col",
            False,
            active.sum(axis=0),
            gamma * s,
            s,
            c,
            _chi_dist2(col_prof, r),
            V**2,
            total,
        )
    )
    if sup_cols:
        h = values[~is_sup][:, len(act_cols) :].T
        tot = h.sum(axis=1)
        _check_sup_totals(tot, sup_cols, "supplementary column", "over the active rows")
        prof = h / tot[:, None]
        blocks.append(
            _block(
                pd.Index(sup_cols, dtype=object),
                "col",
                True,
                tot,
                prof @ phi,
                s,
                None,
                _chi_dist2(prof, r),
                None,
                total,
            )
        )
    table = pd.concat(blocks, ignore_index=True)

    centroid = table["quality"].isna()
    if centroid.any():
        notes.append(
            f"{preview(table.loc[centroid, 'point'].tolist())} lie(s) at the centroid (profile "
            "equal to the average): squared cosines and quality are undefined and left empty."
        )
    if sup_rows or sup_cols:
        notes.append(
            "Supplementary points are projected by the transition formulas and do not enter the "
            "axes: their mass, inertia and contributions are left empty."
        )
    notes.append(
        "Symmetric map: rows and columns both in principal coordinates; distances between a "
        "brand and an attribute are not directly interpretable, directions from the origin are."
    )

    lam = sv**2
    inertia = pd.DataFrame(
        {
            "dimension": np.arange(1, len(sv) + 1),
            "singular_value": sv,
            "inertia": lam,
            "share": lam / total,
            "cumulative": np.cumsum(lam) / total,
        }
    )
    return PerceptualMap(
        table,
        inertia=inertia,
        total_inertia=total,
        chi2=total * n,
        grand_total=n,
        n_components=keep,
        row_label=row_name,
        col_label="attributes",
        lang=lang,
        n_used=len(frame),
        n_excluded=0,
        notes=tuple(notes),
    )


def _as_list(value: Any, name: str) -> list[Hashable]:
    if value is None:
        return []
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence | pd.Index | np.ndarray):
        raise ConfigError(f"{name} must be a list of names, got {value!r}; e.g. {name}=[...].")
    return list(value)


def _numbers(frame: pd.DataFrame, columns: list[Hashable], labels: pd.Index) -> np.ndarray:
    """The count columns as a float matrix; errors name the column, brands and values."""
    out = np.empty((len(frame), len(columns)))
    for j, col in enumerate(columns):
        v = check_numeric(frame, col).to_numpy(float)
        miss = np.isnan(v)
        if miss.any():
            raise DataError(
                f"column {col!r} has missing values for {preview(labels[miss].tolist())}; a "
                "perceptual map needs a count in every cell. If missing means 'not mentioned', "
                "fill it with 0 (data.fillna(0)); otherwise drop that brand or attribute."
            )
        neg = v < 0
        if neg.any():
            raise DataError(
                f"column {col!r} has negative values {preview(v[neg].tolist())} for "
                f"{preview(labels[neg].tolist())}; counts must be >= 0. For ratings on a scale "
                "with negative values, shift them to start at 0 or use doubling (see Notes of "
                "perceptual_map)."
            )
        out[:, j] = v
    return out


def _check_margins(active: np.ndarray, labels: pd.Index, cols: list[Hashable]) -> None:
    zr = active.sum(axis=1) == 0
    if zr.any():
        raise DataError(
            f"rows {preview(labels[zr].tolist())} are all zero over the active columns: they "
            "have no profile and correspondence analysis is undefined for them. Drop them "
            "(data.drop(index=[...]) or filter the rows column)."
        )
    zc = active.sum(axis=0) == 0
    if zc.any():
        bad = [c for c, z in zip(cols, zc, strict=True) if z]
        raise DataError(
            f"columns {preview(bad)} are all zero over the active rows: no brand was described "
            "by them and correspondence analysis is undefined for them. Drop them "
            "(data.drop(columns=[...]) or leave them out of cols)."
        )


def _check_sup_totals(tot: np.ndarray, names: list[Any], what: str, where: str) -> None:
    zero = tot == 0
    if zero.any():
        raise DataError(
            f"{what}s {preview([n for n, z in zip(names, zero, strict=True) if z])} are all zero "
            f"{where}: they have no profile to project. Drop them from the table or from "
            f"{'supplementary_rows' if 'row' in what else 'supplementary_cols'}."
        )


def _chi_dist2(profiles: np.ndarray, centroid: np.ndarray) -> np.ndarray:
    """Squared chi-square distances of *profiles* (one per row) to *centroid*."""
    return np.asarray((((profiles - centroid) ** 2) / centroid).sum(axis=1), float)


def _block(
    labels: pd.Index,
    kind: str,
    supplementary: bool,
    total: np.ndarray,
    principal: np.ndarray,
    s: np.ndarray,
    mass: np.ndarray | None,
    d2: np.ndarray,
    contrib: np.ndarray | None,
    total_inertia: float,
) -> pd.DataFrame:
    """The table rows of one set of points."""
    k = principal.shape[1]
    m = len(labels)
    at_centroid = d2 <= 1e-20  # profile equal to the centroid: cosines are 0/0
    with np.errstate(divide="ignore", invalid="ignore"):
        cos2 = np.where(at_centroid[:, None], np.nan, principal**2 / d2[:, None])
    out: dict[str, Any] = {
        "point": [str(v) for v in labels],
        "kind": [kind] * m,
        "supplementary": [supplementary] * m,
        "total": np.asarray(total, float),
    }
    for j in range(k):
        out[f"dim{j + 1}"] = principal[:, j]
    for j in range(k):
        out[f"std{j + 1}"] = principal[:, j] / s[j]
    nan = np.full(m, np.nan)
    out["mass"] = mass if mass is not None else nan
    out["inertia"] = mass * d2 / total_inertia if mass is not None else nan
    out["quality"] = np.where(at_centroid, np.nan, np.nansum(cos2, axis=1))
    for j in range(k):
        out[f"cos2_{j + 1}"] = cos2[:, j]
    for j in range(k):
        out[f"contrib_{j + 1}"] = contrib[:, j] if contrib is not None else nan
    return pd.DataFrame(out)
