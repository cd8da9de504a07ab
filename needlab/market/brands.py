"""Brand-by-attribute comparison: each brand's ratings, differences to the own brand, the gap to
the best competitor and where the own brand leads, trails or ties.

Per attribute the means are one weighted ``bincount`` over brand codes and the clustered
variances one ``bincount`` over (respondent, brand): no Python loop over rows.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from needlab._result import Result
from needlab._stats import codes_of, grouped_sum, kish_base, weighted_mean_se, z_value
from needlab._types import Lang, Weights
from needlab._validate import (
    as_design,
    check_columns,
    check_numeric,
    check_option,
    check_weights,
    normalise_labels,
    preview,
    row_list,
)
from needlab.errors import ConfigError, DataError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["STATUS_LABELS", "BrandComparison", "compare_brands"]

STATUS_LABELS = {
    "en": {"lead": "lead", "trail": "trail", "tie": "tie"},
    "zh": {"lead": "领先", "trail": "落后", "tie": "持平"},
}
"""Labels of the status of the own brand against the best competitor, by language."""

CLUSTERED = "clustered by respondent (paired t when everyone rated both)"
WELCH = "Welch on effective bases (dependence ignored)"


@dataclass(frozen=True, repr=False)
class BrandComparison(Result):
    """Result of :func:`compare_brands`.

    The counting unit is the rating row (one respondent x brand rated): ``n_used`` rows entered
    the computation, ``n_excluded`` were left out (a missing brand, a weight of zero or no rating
    at all), each reason in :attr:`notes`.

    Attributes
    ----------
    table : DataFrame
        One row per attribute: ``attribute``, ``own_mean``, ``best_competitor``, ``best_mean``,
        ``gap`` (own minus best competitor; positive: the own brand is ahead),
        ``gap_low``/``gap_high``, ``p_value`` (test of the gap), ``relative`` (own / best
        competitor) and ``status`` (lead / trail / tie, in ``lang``).
    means : DataFrame
        Brand x attribute: ``brand``, ``own``, ``attribute``, ``mean``, ``low``/``high`` (t
        interval on the Kish base), ``sd``, ``se``, ``n`` (ratings), ``n_eff``.
    differences : DataFrame
        Competitor x attribute: ``brand``, ``attribute``, ``mean``, ``own_mean``,
        ``diff_vs_own`` (competitor minus own), ``diff_low``/``diff_high``, ``se``, ``t``,
        ``df``, ``p_value``, ``significant``, ``paired`` (respondents who rated both) and
        ``method``.
    by_segment, means_by_segment : DataFrame or None
        ``table`` and ``means`` per segment of ``by`` (a first column named after ``by``).
    own : str
        The own brand.
    brands : tuple of str
        The brands, own first.
    clustered : bool
        Whether the tests cluster by respondent (``id`` given) or are Welch tests.
    ci : float
        The interval level (``alpha = 1 - ci``).
    lang : {"en", "zh"}
        Language of the status labels and plot texts.
    """

    means: pd.DataFrame = field(default_factory=pd.DataFrame)
    differences: pd.DataFrame = field(default_factory=pd.DataFrame)
    by_segment: pd.DataFrame | None = None
    means_by_segment: pd.DataFrame | None = None
    own: str = ""
    brands: tuple[str, ...] = ()
    by: Hashable | None = None
    clustered: bool = False
    ci: float = 0.95
    lang: Lang = "en"

    title = "Brand comparison"

    def summary(self) -> dict[str, Any]:
        """Key figures: the own brand, the attributes where it leads, trails and ties."""
        lab = STATUS_LABELS[self.lang]
        out: dict[str, Any] = {"own": self.own, "brands": len(self.brands)}
        for key in ("lead", "trail", "tie"):
            names = self.table.loc[self.table["status"] == lab[key], "attribute"].astype(str)
            out[key] = ", ".join(names) if len(names) else "-"
        out["method"] = CLUSTERED if self.clustered else WELCH
        return out

    def tables(self) -> dict[str, pd.DataFrame]:
        """All tables by name, for :meth:`to_excel`."""
        out = {"gaps": self.table}
        for name, t in (
            ("means", self.means if len(self.means) else None),
            ("differences", self.differences if len(self.differences) else None),
            ("gaps by segment", self.by_segment),
            ("means by segment", self.means_by_segment),
        ):
            if t is not None:
                out[name] = t
        return out

    def plot(
        self, ax: Axes | None = None, kind: Literal["dots", "gap"] = "dots", **kwargs: Any
    ) -> Axes:
        """Draw a dot plot of every brand's means or the gap chart to the best competitor.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Where to draw; a new figure when omitted.
        kind : {"dots", "gap"}, default "dots"
            ``"dots"``: attributes down, one dot per brand at its mean
            (:func:`needlab.market.plot_brands.brand_dots`); ``"gap"``: own minus best
            competitor per attribute with its interval, coloured by status
            (:func:`~needlab.market.plot_brands.gap_chart`).
        **kwargs
            Passed to the drawing function (``segment=``).

        Returns
        -------
        matplotlib Axes
        """
        from needlab.market import plot_brands

        check_option(kind, ("dots", "gap"), "kind")
        fn = plot_brands.brand_dots if kind == "dots" else plot_brands.gap_chart
        return fn(self, ax=ax, **kwargs)


def _t_quantile(ci: float, df: np.ndarray) -> np.ndarray:
    from scipy import special

    df = np.asarray(df, dtype=float)
    ok = df > 0
    return np.where(ok, special.stdtrit(np.where(ok, df, 1.0), 0.5 + ci / 2), np.nan)


def _one_group(
    bcode: np.ndarray,
    cluster: np.ndarray | None,
    ratings: dict[str, np.ndarray],
    w: np.ndarray,
    brands: list[str],
    ci: float,
    lang: Lang,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Status table, means and differences of the rows in *bcode* (own brand = code 0)."""
    from scipy import special

    from needlab.tables.coltests import mean_test

    nb = len(brands)
    alpha = 1 - ci
    lab = STATUS_LABELS[lang]
    mean_rows, diff_rows, status_rows = [], [], []
    if cluster is not None:
        ncl = int(cluster.max()) + 1 if len(cluster) else 0
    for attr, x in ratings.items():
        valid = ~np.isnan(x)
        c = np.where(valid, bcode, -1)
        mean, sd, se = weighted_mean_se(c, nb, x, w)
        n = grouped_sum(c, nb)
        neff = kish_base(grouped_sum(c, nb, w), grouped_sum(c, nb, w * w))
        tq = _t_quantile(ci, neff - 1)
        few = ~np.isfinite(se)
        lo = np.where(few, np.nan, mean - tq * np.nan_to_num(se))
        hi = np.where(few, np.nan, mean + tq * np.nan_to_num(se))
        mean_rows.append(
            pd.DataFrame(
                {
                    "brand": brands,
                    "own": [i == 0 for i in range(nb)],
                    "attribute": attr,
                    "mean": mean,
                    "low": lo,
                    "high": hi,
                    "sd": sd,
                    "se": se,
                    "n": n.astype(int),
                    "n_eff": neff,
                }
            )
        )
        comp = np.arange(1, nb)
        diff = mean[comp] - mean[0]
        if cluster is not None:
            # linearised values of each brand mean, summed per respondent (the cluster)
            sw = grouped_sum(c, nb, w)
            with np.errstate(invalid="ignore", divide="ignore"):
                u = np.where(
                    c >= 0,
                    w * (np.nan_to_num(x) - mean[np.clip(c, 0, None)]) / sw[np.clip(c, 0, None)],
                    0.0,
                )
            keep = c >= 0
            z = np.zeros((ncl, nb))
            np.add.at(z, (cluster[keep], c[keep]), u[keep])
            rated = np.zeros((ncl, nb), dtype=bool)
            rated[cluster[keep], c[keep]] = True
            d = z[:, comp] - z[:, [0]]  # competitor minus own, per respondent
            inpair = rated[:, comp] | rated[:, [0]]
            g = inpair.sum(axis=0).astype(float)
            dbar = np.where(g > 0, (d * inpair).sum(axis=0) / np.where(g > 0, g, 1.0), 0.0)
            ss = (((d - dbar) ** 2) * inpair).sum(axis=0)
            ok = (g > 1) & np.isfinite(diff)
            var = np.where(ok, g / np.where(ok, g - 1, 1.0) * ss, np.nan)
            dse = np.sqrt(var)
            df = np.where(ok, g - 1, np.nan)
            good = ok & (dse > 1e-12)
            tstat = np.where(good, diff / np.where(good, dse, 1.0), np.nan)
            pval = np.where(
                good,
                2 * special.stdtr(np.where(good, df, 1.0), -np.abs(np.nan_to_num(tstat))),
                np.nan,
            )
            paired = (rated[:, comp] & rated[:, [0]]).sum(axis=0)
            method = CLUSTERED
        else:
            tstat, pval = mean_test(mean[comp], mean[[0]], se[comp], se[[0]], neff[comp], neff[[0]])
            va, vb = se[comp] ** 2, se[0] ** 2
            with np.errstate(invalid="ignore", divide="ignore"):
                df = (va + vb) ** 2 / (va**2 / (neff[comp] - 1) + vb**2 / (neff[0] - 1))
            dse = np.sqrt(va + vb)
            good = np.isfinite(pval)
            paired = np.zeros(len(comp), dtype=int)
            method = WELCH
        tq = _t_quantile(ci, np.where(good, df, 0.0))
        dlo = np.where(good, diff - tq * np.nan_to_num(dse), np.nan)
        dhi = np.where(good, diff + tq * np.nan_to_num(dse), np.nan)
        dtab = pd.DataFrame(
            {
                "brand": [brands[i] for i in comp],
                "attribute": attr,
                "mean": mean[comp],
                "own_mean": mean[0],
                "diff_vs_own": diff,
                "diff_low": dlo,
                "diff_high": dhi,
                "se": np.where(good, dse, np.nan),
                "t": np.where(good, tstat, np.nan),
                "df": np.where(good, df, np.nan),
                "p_value": np.where(good, pval, np.nan),
                "significant": np.where(good, np.nan_to_num(pval, nan=1.0) < alpha, False),
                "paired": np.asarray(paired).astype(int),
                "method": method,
            }
        )
        diff_rows.append(dtab)
        cm = np.where(np.isfinite(mean[comp]), mean[comp], -np.inf)
        if nb > 1 and np.isfinite(cm).any():
            j = int(np.argmax(cm))
            best = dtab.iloc[j]
            gap = -float(best["diff_vs_own"])
            p = float(best["p_value"])
            sig = np.isfinite(p) and p < alpha
            status = "lead" if sig and gap > 0 else "trail" if sig and gap < 0 else "tie"
            bm = float(best["mean"])
            status_rows.append(
                {
                    "attribute": attr,
                    "own_mean": float(mean[0]),
                    "best_competitor": str(best["brand"]),
                    "best_mean": bm,
                    "gap": gap,
                    "gap_low": -float(best["diff_high"]),
                    "gap_high": -float(best["diff_low"]),
                    "p_value": p,
                    "relative": float(mean[0]) / bm if bm > 0 else np.nan,
                    "status": lab[status],
                }
            )
    return (
        pd.DataFrame(status_rows),
        pd.concat(mean_rows, ignore_index=True),
        pd.concat(diff_rows, ignore_index=True),
    )


def compare_brands(
    data: Any,
    brand: Hashable,
    attributes: Sequence[Hashable] | Hashable,
    *,
    own: str,
    id: Hashable | None = None,
    weights: Weights = None,
    by: Hashable | None = None,
    ci: float = 0.95,
    lang: Lang = "en",
) -> BrandComparison:
    """Each brand's mean rating per attribute, the difference to the own brand with a test that
    accounts for respondents rating several brands, and the gap to the best competitor.

    Parameters
    ----------
    data : DataFrame or Survey
        Long: one row per respondent x brand rated.
    brand : column name
        The brand of each row.
    attributes : list of column names
        The rating columns (numbers; higher = better on every attribute, so a "price" rating
        means "how good the price is").
    own : str
        The own brand (a value of ``brand``).
    id : column name, optional
        The respondent id linking a respondent's rows (a Survey's id column by default). With it
        the tests cluster by respondent; without it they are Welch tests that ignore the
        dependence (with a note).
    weights : column name or array, optional
        Survey row weights (the respondent's weight on each of its rows).
    by : column name, optional
        Segments: the gap table and the means also per segment.
    ci : float, default 0.95
        Interval level; ``alpha = 1 - ci`` is the threshold of the tests and the status.
    lang : {"en", "zh"}, default "en"
        Language of the status labels and the plot texts.

    Returns
    -------
    BrandComparison

    Notes
    -----
    **Means.** Per brand and attribute the weighted mean :math:`m_b = \\sum w x / \\sum w` over
    the rows with a rating, the weighted SD (reliability weights) and
    :math:`se = SD / \\sqrt{n_{eff}}` on the Kish base; the interval is
    :math:`m \\pm t_{n_{eff}-1} se`.

    **Difference to the own brand (with id).** A respondent who rated both brands contributes to
    both means, so the two means are correlated. The test is the regression of the rating on a
    brand indicator (WLS over the rows of the two brands) with errors clustered by respondent:
    with :math:`u_r = w_r (x_r - m_{b(r)}) / \\sum_{b(s)=b(r)} w_s` and
    :math:`d_i = \\sum_{r \\in i, b} u_r - \\sum_{r \\in i, own} u_r`,
    :math:`\\mathrm{Var}(m_b - m_o) = G/(G-1) \\sum_i (d_i - \\bar d)^2` over the *G* respondents
    who rated either brand, and :math:`t = (m_b - m_o)/\\sqrt{\\mathrm{Var}}` on *G - 1* degrees of
    freedom (Liang and Zeger 1986; the small-sample factor is *G/(G-1)* only, without CR1's
    *(N-1)/(N-K)*). Every rating enters, not only those of respondents who rated both: when
    everyone rated both brands and weights are equal it is exactly the paired t test
    (``scipy.stats.ttest_rel``); when no one did, it is an unpooled two-sample test.

    **Without id** the test is Welch's (1947) t on the effective bases, which treats the brands'
    raters as independent samples; a note says that the dependence is ignored.

    **Gap and status.** The best competitor on an attribute is the competitor with the highest
    mean. ``gap = m_own - m_best``, ``relative = m_own / m_best`` (NaN with a note when the best
    mean is not positive). Status: *lead* when the gap is positive and its test has
    ``p < alpha``, *trail* when negative with ``p < alpha``, *tie* otherwise (also when the test
    is undefined). Picking the best competitor from the same data favours a trailing verdict
    slightly (the highest of several means is biased upwards).

    **Missing values.** Per attribute, rows without a rating are left out of that attribute
    only. Rows with a missing brand, a zero weight or no rating at all are excluded (counted in
    ``n_excluded`` with a note).

    Raises
    ------
    ConfigError
        ``own`` not a brand in the data, bad ``ci`` or ``lang``.
    SchemaError
        A column not in the data.
    DataError
        Ratings that are not numbers, a respondent rating the same brand twice, missing ids,
        invalid weights.

    References
    ----------
    Liang, K.-Y. and Zeger, S. L. (1986). Longitudinal data analysis using generalized linear
    models. *Biometrika* 73, 13-22. Welch, B. L. (1947). The generalization of 'Student's'
    problem when several different population variances are involved. *Biometrika* 34, 28-35.

    Examples
    --------
    >>> df = pd.DataFrame({
    ...     "resp": [1, 1, 2, 2, 3, 3, 4, 4],
    ...     "brand": ["A", "B"] * 4,
    ...     "price": [6, 8, 5, 8, 7, 9, 6, 7]})
    >>> r = compare_brands(df, "brand", ["price"], own="A", id="resp")
    >>> r.table[["attribute", "own_mean", "best_competitor", "gap", "status"]]
      attribute  own_mean best_competitor   gap status
    0     price       6.0               B  -2.0  trail
    """
    check_option(lang, ("en", "zh"), "lang")
    z_value(ci)
    design = as_design(data, weights=weights, id=id, name="data")
    df = design.data
    idc = design.id
    n_rows = len(df)
    attrs = (
        [attributes]
        if isinstance(attributes, str) or not isinstance(attributes, Sequence)
        else list(attributes)
    )
    if not attrs:
        raise ConfigError("attributes must name at least one rating column.")
    check_columns(df, [brand, *attrs, *([idc] if idc is not None else []), *([by] if by else [])])
    w_given = check_weights(df, design.weights)
    w = np.ones(n_rows) if w_given is None else w_given
    ratings = {str(a): check_numeric(df, a).to_numpy() for a in attrs}

    labels = normalise_labels(df[brand].astype(object))
    labels = labels.where(labels.map(lambda v: not (isinstance(v, str) and v == "")), None)
    labels = labels.map(lambda v: v if pd.isna(v) else str(v))
    seen = [str(v) for v in pd.unique(labels.dropna())]
    own_s = str(own)
    if own_s not in seen:
        raise ConfigError(
            f"own={own!r} is not a value of column {brand!r}; brands found: {preview(seen, 12)}."
        )
    brands = [own_s, *[b for b in seen if b != own_s]]
    if len(brands) < 2:
        raise DataError(
            f"column {brand!r} holds only the own brand {own_s!r}; a comparison needs competitors."
        )
    code_map = {b: i for i, b in enumerate(brands)}
    bcode = labels.map(lambda v: code_map.get(v, -1) if isinstance(v, str) else -1).to_numpy(
        dtype=np.int64
    )

    no_brand = bcode < 0
    zero = w <= 0
    no_rating = np.all(np.isnan(np.column_stack(list(ratings.values()))), axis=1)
    drop = no_brand | zero | no_rating
    notes: list[str] = []
    if drop.any():
        parts = [
            f"{what} {int(m.sum())}"
            for what, m in (
                (f"missing {brand!r}", no_brand),
                ("zero weight", zero),
                ("no rating", no_rating),
            )
            if m.any()
        ]
        notes.append(f"{int(drop.sum())} of {n_rows} rows excluded: {'; '.join(parts)}.")
    keep = ~drop

    cluster = None
    if idc is not None:
        ids = df[idc]
        na = ids.isna().to_numpy() & keep
        if na.any():
            raise DataError(
                f"id column {idc!r} has {int(na.sum())} missing values at rows {row_list(na)}; "
                "every rating row needs the respondent's id."
            )
        dup = (pd.DataFrame({"i": ids, "b": labels}).duplicated(keep=False).to_numpy()) & keep
        if dup.any():
            shown = preview(f"{i}/{b}" for i, b in zip(ids[dup], labels[dup], strict=True))
            raise DataError(
                f"id column {idc!r} with brand column {brand!r}: {int(dup.sum())} rows rate the "
                f"same brand twice for one respondent ({shown}) at rows {row_list(dup)}; keep one "
                "row per respondent and brand."
            )
        cluster, _ = codes_of(ids.astype(str), idc)
    else:
        notes.append(
            "No id: the tests are Welch tests that treat the brands' raters as independent; "
            "respondents who rated several brands make them dependent (pass id= to cluster)."
        )
    bk = np.where(keep, bcode, -1)
    cl = None if cluster is None else np.where(keep, cluster, 0)

    table, means, diffs = _one_group(bk, cl, ratings, w, brands, ci, lang)
    for b in brands:
        if not (bk == code_map[b]).any():
            notes.append(f"brand {b!r} has no usable rating row.")
    if table["relative"].isna().any():
        notes.append("relative performance undefined where the best competitor's mean is <= 0.")
    if diffs["p_value"].isna().any():
        notes.append(
            f"{int(diffs['p_value'].isna().sum())} differences have no test (fewer than two "
            "raters or no variation); their status counts as tie."
        )

    by_seg = means_seg = None
    if by is not None:
        codes, cats = codes_of(df[by], by, keep_unused=False)
        parts_t: list[pd.DataFrame] = []
        parts_m: list[pd.DataFrame] = []
        for g, label in enumerate(cats):
            sel = (codes == g) & keep
            t_g, m_g, _ = _one_group(
                np.where(sel, bcode, -1),
                None if cluster is None else np.where(sel, cluster, 0),
                ratings,
                w,
                brands,
                ci,
                lang,
            )
            for frame, acc in ((t_g, parts_t), (m_g, parts_m)):
                if len(frame):
                    frame.insert(0, str(by), label)
                    acc.append(frame)
        by_seg = pd.concat(parts_t, ignore_index=True) if parts_t else None
        means_seg = pd.concat(parts_m, ignore_index=True) if parts_m else None
        n_na = int(((codes < 0) & keep).sum())
        if n_na:
            notes.append(f"{n_na} rows with a missing {by!r} are in the totals but in no segment.")
    return BrandComparison(
        table,
        means=means,
        differences=diffs,
        by_segment=by_seg,
        means_by_segment=means_seg,
        own=own_s,
        brands=tuple(brands),
        by=by,
        clustered=cluster is not None,
        ci=float(ci),
        lang=lang,
        n_used=int(keep.sum()),
        n_excluded=int(drop.sum()),
        notes=tuple(notes),
    )
