"""Brand funnel: awareness -> consideration -> purchase -> preference per brand, with conversions.

Every stage is an indicator per respondent and brand (a ``(respondents, brands, stages)`` boolean
array); shares, conversions and the clustered tests are weighted sums over that array (one
``einsum`` each): no Python loop over respondents.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from needlab._result import Result
from needlab._stats import codes_of, effective_n, kish_base, wilson_interval, z_value
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

__all__ = ["FunnelResult", "brand_funnel"]

#: Label of the base of the first stage (all respondents), by language.
ALL_LABEL = {"en": "(all respondents)", "zh": "(全部受访者)"}

METHOD = "linearised z, clustered by respondent"


@dataclass(frozen=True, repr=False)
class FunnelResult(Result):
    """Result of :func:`brand_funnel`.

    The counting unit is the respondent: ``n_used`` respondents entered the funnel, ``n_excluded``
    were left out (a missing answer in a 0/1 stage column, or a weight of zero), each reason in
    :attr:`notes`.

    Attributes
    ----------
    table : DataFrame
        One row per brand x stage (brands in the given order, stages in funnel order):
        ``brand``, ``own``, ``stage``, ``step`` (1, 2, ...), ``share`` (weighted share of all
        respondents at the stage), ``share_low``/``share_high`` (Wilson interval on the Kish
        effective base of all respondents), ``n`` (respondents at the stage, unweighted),
        ``weighted_n``, ``from_stage`` (the previous stage; all respondents for the first),
        ``conversion`` (weighted share at this stage among those at the previous stage; the
        share itself for the first stage), ``conversion_low``/``conversion_high`` (Wilson on
        the Kish base of the previous stage), ``conversion_base`` (respondents at the previous
        stage), ``conversion_base_eff`` and ``inconsistent`` (respondents at this stage but not
        at the previous one).
    tests : DataFrame or None
        With ``own=``: per stage and competitor, the competitor's conversion minus the own
        brand's: ``stage``, ``from_stage``, ``brand``, ``conversion``, ``own_conversion``,
        ``difference``, ``diff_low``/``diff_high``, ``se``, ``z``, ``p_value``,
        ``significant`` (``p_value < 1 - ci``), ``overlap`` (respondents in both bases),
        ``dependent`` (``overlap > 0``) and ``method``.
    inconsistent : DataFrame
        Per brand and stage (from the second on): ``brand``, ``stage``, ``from_stage``,
        ``n`` (respondents at the stage without the previous one), ``weighted_n`` and
        ``share_of_stage`` (their weighted share of everyone at the stage).
    by_segment, tests_by_segment, inconsistent_by_segment : DataFrame or None
        The same per segment of ``by`` (a first column named after ``by``).
    brands, stages : tuple of str
        The brands and stages in order.
    own : str or None
        The own brand.
    ci : float
        The interval level.
    lang : {"en", "zh"}
        Language of the labels.
    """

    tests: pd.DataFrame | None = None
    inconsistent: pd.DataFrame = field(default_factory=pd.DataFrame)
    by_segment: pd.DataFrame | None = None
    tests_by_segment: pd.DataFrame | None = None
    inconsistent_by_segment: pd.DataFrame | None = None
    brands: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    own: str | None = None
    by: Hashable | None = None
    ci: float = 0.95
    lang: Lang = "en"

    title = "Brand funnel"

    def summary(self) -> dict[str, Any]:
        """Key figures: brands, stages, the own brand's share at the last stage and its weakest
        conversion step, the number of inconsistent answers."""
        out: dict[str, Any] = {"brands": len(self.brands), "stages": " > ".join(self.stages)}
        if self.own is not None:
            t = self.table[self.table["brand"] == self.own]
            out["own"] = self.own
            out["own_last_share"] = float(t["share"].iloc[-1])
            start = 1 if len(t) > 1 else 0
            conv = t["conversion"].to_numpy(dtype=float)[start:]
            if np.isfinite(conv).any():
                step = start + int(np.nanargmin(conv))
                out["own_weakest_step"] = str(t["stage"].to_numpy()[step])
        if len(self.inconsistent):
            out["inconsistent_answers"] = int(self.inconsistent["n"].sum())
        return out

    def tables(self) -> dict[str, pd.DataFrame]:
        """All tables by name, for :meth:`to_excel`."""
        out = {"funnel": self.table}
        for name, t in (
            ("tests", self.tests),
            ("inconsistent", self.inconsistent if len(self.inconsistent) else None),
            ("funnel by segment", self.by_segment),
            ("tests by segment", self.tests_by_segment),
            ("inconsistent by segment", self.inconsistent_by_segment),
        ):
            if t is not None:
                out[name] = t
        return out

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Funnel bars: for each stage one bar per brand (share with its interval).

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Where to draw; a new figure when omitted.
        **kwargs
            Passed to :func:`needlab.market.plot_funnel.funnel_bars` (``segment=``,
            ``annotate=``).

        Returns
        -------
        matplotlib Axes
        """
        from needlab.market.plot_funnel import funnel_bars

        return funnel_bars(self, ax=ax, **kwargs)


# ------------------------------------------------------------------------------ input


def _check_brands(brands: Any) -> list[str]:
    if isinstance(brands, str) or not isinstance(brands, Sequence) or not len(brands):
        raise ConfigError(
            f"brands must be a non-empty list of brand names, got {brands!r}; "
            "e.g. brands=['Lumo', 'Vetta', 'Orin']."
        )
    out = [str(b) for b in brands]
    dup = sorted({b for b in out if out.count(b) > 1})
    if dup:
        raise ConfigError(f"brands lists {preview(dup)} more than once; name each brand once.")
    return out


def _stage_columns(data: pd.DataFrame, stage: str, spec: str, brands: list[str]) -> list[str]:
    """The 0/1 column of each brand for a ``{brand}`` pattern (the brand as written, else in
    lower case)."""
    cols, missing = [], []
    for b in brands:
        cands = list(
            dict.fromkeys([spec.replace("{brand}", b), spec.replace("{brand}", b.lower())])
        )
        hit = next((c for c in cands if c in data.columns), None)
        if hit is None:
            missing.append(cands[-1])
        else:
            cols.append(hit)
    if missing:
        check_columns(data, missing, what=f"column of stage {stage!r}")
    return cols


def _binary(data: pd.DataFrame, col: str) -> np.ndarray:
    """A 0/1 column as float (NaN = missing); other values are a DataError."""
    x = check_numeric(data, col).to_numpy()
    bad = ~np.isnan(x) & (x != 0) & (x != 1)
    if bad.any():
        raise DataError(
            f"column {col!r} must hold 0/1 (mentioned or not) but has {int(bad.sum())} other "
            f"values: {preview(x[bad])} at rows {row_list(bad)}; recode them to 0/1 or missing."
        )
    return x


def _single(data: pd.DataFrame, col: str, brands: list[str]) -> np.ndarray:
    """A single-brand column as an (n, brands) indicator; labels outside *brands* are an error."""
    s = normalise_labels(data[col].astype(object))
    s = s.where(~s.map(lambda v: isinstance(v, str) and v == ""), None)
    s = s.map(lambda v: v if v is None or (isinstance(v, float) and np.isnan(v)) else str(v))
    known = s.isin(brands).to_numpy() | s.isna().to_numpy()
    if not known.all():
        bad = ~known
        raise DataError(
            f"column {col!r} has {int(bad.sum())} brand labels not in brands={brands}: "
            f"{preview(s[bad])} at rows {row_list(bad)}; add them to brands= or recode them "
            "(e.g. to missing for 'none')."
        )
    vals = s.to_numpy(dtype=object)
    return np.stack([vals == b for b in brands], axis=1)


# ------------------------------------------------------------------------------ computation


def _one_group(
    ind: np.ndarray,
    w: np.ndarray,
    brands: list[str],
    stages: list[str],
    own: str | None,
    ci: float,
    lang: Lang,
) -> tuple[pd.DataFrame, pd.DataFrame | None, pd.DataFrame]:
    """Funnel table, tests and inconsistent-answer table of the respondents in *ind*/*w*."""
    from scipy import special

    m, nb, k = ind.shape
    ones = np.ones((m, nb, 1), dtype=bool)
    prev = np.concatenate([ones, ind[:, :, :-1]], axis=2)  # at the previous stage (all for 1st)
    wi = ind.astype(float)
    wp = prev.astype(float)
    total = float(w.sum())
    share = np.einsum("i,ibk->bk", w, wi) / total
    s_lo, s_hi = wilson_interval(share, effective_n(w), ci)
    base_w = np.einsum("i,ibk->bk", w, wp)
    base_w2 = np.einsum("i,ibk->bk", w * w, wp)
    both = ind & prev
    num = np.einsum("i,ibk->bk", w, both.astype(float))
    ok = base_w > 0
    conv = np.where(ok, num / np.where(ok, base_w, 1.0), np.nan)
    base_eff = kish_base(base_w, base_w2)
    c_lo, c_hi = wilson_interval(np.nan_to_num(conv), base_eff, ci)
    c_lo, c_hi = np.where(ok, c_lo, np.nan), np.where(ok, c_hi, np.nan)
    incons = ind & ~prev
    inc_n = incons.sum(axis=0)
    inc_w = np.einsum("i,ibk->bk", w, incons.astype(float))
    at_w = np.einsum("i,ibk->bk", w, wi)
    from_stage = [ALL_LABEL[lang], *stages[:-1]]

    bgrid, kgrid = np.meshgrid(np.arange(nb), np.arange(k), indexing="ij")
    bb, kk = bgrid.ravel(), kgrid.ravel()
    table = pd.DataFrame(
        {
            "brand": [brands[b] for b in bb],
            "own": [brands[b] == own for b in bb],
            "stage": [stages[j] for j in kk],
            "step": kk + 1,
            "share": share.ravel(),
            "share_low": s_lo.ravel(),
            "share_high": s_hi.ravel(),
            "n": ind.sum(axis=0).ravel().astype(int),
            "weighted_n": at_w.ravel(),
            "from_stage": [from_stage[j] for j in kk],
            "conversion": conv.ravel(),
            "conversion_low": c_lo.ravel(),
            "conversion_high": c_hi.ravel(),
            "conversion_base": prev.sum(axis=0).ravel().astype(int),
            "conversion_base_eff": base_eff.ravel(),
            "inconsistent": inc_n.ravel().astype(int),
        }
    )
    inconsistent = table.loc[table["step"] > 1, ["brand", "stage", "from_stage"]].copy()
    sel = (kk > 0).nonzero()[0]
    inconsistent["n"] = inc_n.ravel()[sel].astype(int)
    inconsistent["weighted_n"] = inc_w.ravel()[sel]
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(at_w > 0, inc_w / np.where(at_w > 0, at_w, 1.0), 0.0)
    inconsistent["share_of_stage"] = frac.ravel()[sel]
    inconsistent = inconsistent.reset_index(drop=True)

    tests = None
    if own is not None:
        o = brands.index(own)
        # linearised (influence) values of each brand's ratio estimator, per respondent
        with np.errstate(invalid="ignore", divide="ignore"):
            u = w[:, None, None] * wp * (wi - np.nan_to_num(conv)[None]) / np.where(ok, base_w, 1.0)
        d = u - u[:, o : o + 1, :]  # competitor minus own, per respondent (the cluster)
        d = d - d.mean(axis=0, keepdims=True)
        var = m / (m - 1) * np.einsum("ibk,ibk->bk", d, d) if m > 1 else np.full((nb, k), np.nan)
        se = np.sqrt(var)
        diff = conv - conv[o : o + 1, :]
        overlap = (prev & prev[:, o : o + 1, :]).sum(axis=0)
        good = ok & ok[o : o + 1, :] & (se > 1e-12)
        zc = z_value(ci)
        with np.errstate(invalid="ignore", divide="ignore"):
            zs = np.where(good, diff / np.where(good, se, 1.0), np.nan)
        pv = np.where(good, 2 * special.ndtr(-np.abs(zs)), np.nan)
        comp = bb != o
        b2, k2 = bb[comp], kk[comp]
        tests = pd.DataFrame(
            {
                "stage": [stages[j] for j in k2],
                "from_stage": [from_stage[j] for j in k2],
                "brand": [brands[b] for b in b2],
                "conversion": conv[b2, k2],
                "own_conversion": conv[o, k2],
                "difference": diff[b2, k2],
                "diff_low": np.where(good, diff - zc * se, np.nan)[b2, k2],
                "diff_high": np.where(good, diff + zc * se, np.nan)[b2, k2],
                "se": np.where(good, se, np.nan)[b2, k2],
                "z": zs[b2, k2],
                "p_value": pv[b2, k2],
                "significant": (np.nan_to_num(pv, nan=1.0) < 1 - ci)[b2, k2],
                "overlap": overlap[b2, k2].astype(int),
                "dependent": overlap[b2, k2] > 0,
                "method": METHOD,
            }
        )
        tests = tests.sort_values(["stage", "brand"], key=_order(stages, brands), kind="stable")
        tests = tests.reset_index(drop=True)
    return table, tests, inconsistent


def _order(stages: list[str], brands: list[str]) -> Any:
    def key(s: pd.Series) -> pd.Series:
        ref = stages if s.name == "stage" else brands
        return s.map({v: i for i, v in enumerate(ref)})

    return key


def brand_funnel(
    data: Any,
    brands: Sequence[str],
    stages: Mapping[str, str],
    *,
    weights: Weights = None,
    by: Hashable | None = None,
    ci: float = 0.95,
    own: str | None = None,
    lang: Lang = "en",
) -> FunnelResult:
    """Brand funnel: the share of respondents at each stage per brand, stage-to-stage
    conversions with intervals and tests of each competitor's conversion against the own brand.

    Parameters
    ----------
    data : DataFrame or Survey
        One row per respondent.
    brands : list of str
        The brands, in the order of the output; every label of a single-brand stage column must
        be one of them.
    stages : mapping of stage name -> column spec, in funnel order
        A spec containing ``{brand}`` is the pattern of 0/1 columns (multi-response questions,
        e.g. ``"aware_{brand}"``; the brand is filled in as written, else in lower case:
        ``aware_lumo``). Any other spec names one column holding a brand name (single-response
        questions, e.g. ``"current_brand"``); a missing value there means "no brand".
    weights : column name or array, optional
        Survey row weights (a Survey's weight column by default).
    by : column name, optional
        Segments: every table also per segment (rows with a missing segment are left out of the
        segment tables only, with a note).
    ci : float, default 0.95
        Interval level; tests are significant at ``alpha = 1 - ci``.
    own : str, optional
        The own brand; with it, ``tests`` compares each competitor's conversion with it.
    lang : {"en", "zh"}, default "en"
        Language of the labels (the first stage's ``from_stage``, plot texts).

    Returns
    -------
    FunnelResult

    Notes
    -----
    Let :math:`I_{ibk} = 1` when respondent *i* is at stage *k* for brand *b*, weights
    :math:`w_i`. The share is :math:`s_{bk} = \\sum_i w_i I_{ibk} / \\sum_i w_i` with the Wilson
    (1927) interval on the Kish (1965) effective base :math:`(\\sum w)^2 / \\sum w^2` of all
    respondents. The conversion is :math:`c_{bk} = \\sum_i w_i I_{ibk} I_{ib,k-1} / \\sum_i w_i
    I_{ib,k-1}` (the first stage's conversion is its share), with the Wilson interval on the
    effective base of the respondents at stage *k-1*.

    **Inconsistent answers** (at stage *k* without stage *k-1*, e.g. a current brand the
    respondent did not consider) are never changed: the policy is *counted at the later stage as
    given*. They count in the share of stage *k*; the conversion, a share among those at stage
    *k-1*, cannot include them, so ``share_k`` may exceed ``share_{k-1} * conversion_k`` by
    their weighted share. They are counted in ``inconsistent`` and in a note.

    **Tests.** The bases of two brands overlap whenever the previous stage is multi-response
    (a respondent aware of both brands is in both awareness bases): the samples are dependent,
    and the column ``overlap`` says by how many respondents. The test treats the respondent as
    the cluster: with the linearised values :math:`u_{ib} = w_i I_{ib,k-1} (I_{ibk} - c_{bk}) /
    \\sum_j w_j I_{jb,k-1}` of each ratio estimator and :math:`d_i = u_{ib} - u_{io}`
    (competitor minus own), :math:`\\mathrm{Var}(c_b - c_o) = m/(m-1) \\sum_i (d_i - \\bar d)^2`
    over the *m* respondents (Taylor linearisation with respondents as primary sampling units,
    Wolter 2007, ch. 6), and :math:`z = (c_b - c_o)/\\sqrt{\\mathrm{Var}}` against the normal.
    The covariance of the two brands enters through respondents in both bases. After a
    single-brand stage (one current brand per respondent) the bases are disjoint, ``overlap`` is
    0 and the statistic is the unpooled two-proportion z (the respondent-level variance in place
    of ``p(1-p)/n_eff``). With full overlap and no weights, *z* equals the paired t statistic
    of ``scipy.stats.ttest_rel`` on the 0/1 outcomes. No correction for multiple tests.

    **Missing values.** A respondent with a missing answer in any 0/1 stage column, or with a
    weight of zero, is excluded (counted in ``n_excluded`` with a note). A missing value in a
    single-brand column means the respondent is at that stage for no brand.

    Raises
    ------
    ConfigError
        Empty or duplicated ``brands``, empty ``stages``, ``own`` not among the brands, a bad
        ``ci`` or ``lang``.
    SchemaError
        A stage column (or the ``by`` column) not in the data.
    DataError
        Labels of a single-brand column not in ``brands`` (naming the column and the values),
        0/1 columns with other values, invalid weights.

    References
    ----------
    Kish, L. (1965). *Survey Sampling*. Wiley. Wilson, E. B. (1927). Probable inference, the law
    of succession, and statistical inference. *JASA* 22, 209-212. Wolter, K. M. (2007).
    *Introduction to Variance Estimation* (2nd ed.). Springer.

    Examples
    --------
    >>> df = pd.DataFrame({
    ...     "aware_a": [1, 1, 1, 1, 0], "aware_b": [1, 1, 0, 0, 1],
    ...     "current": ["a", "a", "b", None, "b"]})
    >>> r = brand_funnel(df, ["a", "b"], {"aware": "aware_{brand}", "current": "current"}, own="a")
    >>> r.table[["brand", "stage", "share", "conversion", "inconsistent"]].round(3)
      brand    stage  share  conversion  inconsistent
    0     a    aware    0.8       0.800             0
    1     a  current    0.4       0.500             0
    2     b    aware    0.6       0.600             0
    3     b  current    0.4       0.333             1
    """
    check_option(lang, ("en", "zh"), "lang")
    z_value(ci)
    brand_list = _check_brands(brands)
    if not isinstance(stages, Mapping) or not stages:
        raise ConfigError(
            "stages must be a non-empty mapping stage -> column spec, e.g. "
            "{'aware': 'aware_{brand}', 'current': 'current_brand'}."
        )
    bad_spec = [k for k, v in stages.items() if not isinstance(v, str) or not v]
    if bad_spec:
        raise ConfigError(
            f"stages {preview(bad_spec)} must map to a column name or a '{{brand}}' pattern."
        )
    if own is not None and str(own) not in brand_list:
        raise ConfigError(f"own={own!r} is not one of brands={brand_list}; choose one of them.")
    own_b = None if own is None else str(own)
    design = as_design(data, weights=weights, name="data")
    df = design.data
    n_rows = len(df)
    w_given = check_weights(df, design.weights)
    w = np.ones(n_rows) if w_given is None else w_given
    if by is not None:
        check_columns(df, by)

    stage_names = [str(s) for s in stages]
    layers, drop_cols, notes = [], {}, []
    for stage, spec in stages.items():
        if "{brand}" in spec:
            cols = _stage_columns(df, str(stage), spec, brand_list)
            x = np.stack([_binary(df, c) for c in cols], axis=1)
            miss = np.isnan(x)
            for c, mcol in zip(cols, miss.T, strict=True):
                if mcol.any():
                    drop_cols[c] = mcol
            layers.append(np.nan_to_num(x) == 1)
        else:
            check_columns(df, spec, what=f"column of stage {stage!r}")
            layers.append(_single(df, spec, brand_list))
    ind = np.stack(layers, axis=2)  # (n, brands, stages)

    drop = np.zeros(n_rows, dtype=bool)
    for mcol in drop_cols.values():
        drop |= mcol
    zero = w <= 0
    drop |= zero
    n_excl = int(drop.sum())
    if n_excl:
        parts = [f"{c!r} {int(mcol.sum())}" for c, mcol in drop_cols.items()]
        why = []
        if parts:
            why.append(
                "missing answers in " + ", ".join(parts[:8]) + (" ..." if len(parts) > 8 else "")
            )
        if zero.any():
            why.append(f"zero weight {int(zero.sum())}")
        notes.append(f"{n_excl} of {n_rows} respondents excluded: {'; '.join(why)}.")
    keep = ~drop
    if not keep.any():
        raise DataError(
            "no respondent is left: every row has a missing 0/1 stage answer or a zero weight; "
            "check the stage columns and the weights."
        )
    ind_k, w_k = ind[keep], w[keep]
    table, tests, inconsistent = _one_group(ind_k, w_k, brand_list, stage_names, own_b, ci, lang)

    n_inc = int(inconsistent["n"].sum())
    if n_inc:
        worst = inconsistent.sort_values("n", ascending=False, kind="stable").head(3)
        shown = ", ".join(
            f"{r.brand} {r.stage} without {r.from_stage}: {r.n}" for r in worst.itertuples()
        )
        notes.append(
            f"{n_inc} inconsistent answers (a later stage without the earlier one; e.g. {shown}) "
            "are counted at the later stage as given, not corrected; they are not in the "
            "conversions (see the table 'inconsistent')."
        )
    if tests is not None:
        if tests["p_value"].isna().any():
            n_na = int(tests["p_value"].isna().sum())
            notes.append(
                f"{n_na} tests have no p value: a base of zero or no variation in the difference."
            )
        dep = tests.loc[tests["dependent"], "stage"].unique().tolist()
        if dep:
            notes.append(
                f"Bases overlap at stage(s) {', '.join(map(str, dep))} (respondents in the "
                "base of both brands): the tests cluster by respondent."
            )
    empty = table.loc[table["conversion"].isna(), ["brand", "stage"]]
    if len(empty):
        notes.append(
            f"{len(empty)} conversions undefined (nobody at the previous stage): "
            + preview(f"{b} {s}" for b, s in empty.itertuples(index=False))
            + "."
        )

    by_seg: pd.DataFrame | None = None
    tests_seg: pd.DataFrame | None = None
    inc_seg: pd.DataFrame | None = None
    if by is not None:
        codes, cats = codes_of(df[by], by, keep_unused=False)
        codes = codes[keep]
        parts_t: list[pd.DataFrame] = []
        parts_s: list[pd.DataFrame] = []
        parts_i: list[pd.DataFrame] = []
        for g, label in enumerate(cats):
            sel = codes == g
            if not sel.any():
                continue
            t_g, s_g, i_g = _one_group(
                ind_k[sel], w_k[sel], brand_list, stage_names, own_b, ci, lang
            )
            for frame, acc in ((t_g, parts_t), (s_g, parts_s), (i_g, parts_i)):
                if frame is not None:
                    frame.insert(0, str(by), label)
                    acc.append(frame)
        by_seg = pd.concat(parts_t, ignore_index=True)
        inc_seg = pd.concat(parts_i, ignore_index=True)
        tests_seg = pd.concat(parts_s, ignore_index=True) if parts_s else None
        n_na = int((codes < 0).sum())
        if n_na:
            notes.append(
                f"{n_na} respondents with a missing {by!r} are in the totals but in no segment."
            )
    return FunnelResult(
        table,
        tests=tests,
        inconsistent=inconsistent,
        by_segment=by_seg,
        tests_by_segment=tests_seg,
        inconsistent_by_segment=inc_seg,
        brands=tuple(brand_list),
        stages=tuple(stage_names),
        own=own_b,
        by=by,
        ci=float(ci),
        lang=lang,
        n_used=int(keep.sum()),
        n_excluded=n_excl,
        notes=tuple(notes),
    )
