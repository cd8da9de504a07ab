"""The pain matrix: how often each pain point is reported, how severe it is, and a priority.

A coded text corpus (:func:`needlab.painpoints.coding.code_text`) says which pain codes each text
mentions. :func:`pain_matrix` turns it into frequency x severity per code (or per pain type,
journey stage, or stage x pain type), overall or per segment, with a documented priority score
and its standard error.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, cast

import numpy as np
import pandas as pd

from needlab._result import Result
from needlab._stats import effective_n_by
from needlab._types import Lang, Weights
from needlab._validate import check_columns, check_weights, preview
from needlab.errors import ConfigError, DataError, SchemaError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["PainMatrixResult", "pain_matrix"]

Level = Literal["code", "pain_type", "stage", "stage_type"]
_LEVEL_KEYS: dict[str, list[str]] = {
    "code": ["code"],
    "pain_type": ["pain_type"],
    "stage": ["stage"],
    "stage_type": ["stage", "pain_type"],
}
_CODABLE = ("ok", "truncated")


@dataclass(frozen=True, repr=False)
class PainMatrixResult(Result):
    """Frequency, severity and priority of pain points (see :func:`pain_matrix`).

    Attributes
    ----------
    level : str
        What a row is: ``"code"``, ``"pain_type"``, ``"stage"`` or ``"stage_type"``.
    by : str or None
        The segment column, when given.
    n_used, n_excluded : int
        Texts in the base (codable texts, or every text with ``base="all"``, with a segment and
        a positive weight), over all segments; and the other texts coded.
    severity_max : float
        The top of the severity scale used to normalise the priority.
    lang : str
        Language of the ``name`` column and of the plot labels (``"en"`` or ``"zh"``).
    severity_given : bool
        Whether a severity was given (``False``: every mention counts 1, so the severity says
        nothing and the default plot is the ranked frequency chart).
    """

    level: str = "code"
    by: str | None = None
    severity_max: float = 1.0
    lang: str = "en"
    severity_given: bool = True
    title = "Pain matrix: frequency x severity"

    def summary(self) -> dict[str, Any]:
        return {
            "rows": self.level,
            "by": self.by or "(all texts)",
            "severity scale top": self.severity_max,
        }

    def wide(self, value: str = "priority") -> pd.DataFrame:
        """One row per pain (code, type, stage, ...), one column per segment, cells ``value``."""
        keys = _LEVEL_KEYS[self.level]
        if value not in self.table.columns:
            raise SchemaError(
                f"value={value!r} is not a column of the pain matrix; choose one of "
                f"{preview(self.table.columns, 20)}."
            )
        if self.by is None:
            return self.table.set_index(keys)[[value]]
        return self.table.pivot_table(
            index=keys, columns=self.by, values=value, observed=True, sort=False
        )

    def plot(
        self,
        ax: Axes | None = None,
        kind: Literal["auto", "frequency", "matrix", "tree", "journey"] = "auto",
        **kwargs: Any,
    ) -> Axes:
        """Draw the result: ``"frequency"`` the ranked frequency chart (any level),
        ``"matrix"`` the frequency-severity matrix (any level), ``"tree"`` the problem tree
        (``level="code"``), ``"journey"`` the journey map (``level="stage_type"``).

        ``"auto"`` (default) draws the matrix when the severity varies and the frequency chart
        when it says nothing (no severity given, or the same severity for every row): a matrix
        with every point on one line is no picture. Labels are in the result's ``lang``.
        See :mod:`needlab.painpoints.plot`.
        """
        from needlab.painpoints import plot as p

        funcs: dict[str, Any] = {
            "frequency": p.pain_frequencies,
            "matrix": p.severity_matrix,
            "tree": p.problem_tree,
            "journey": p.journey_map,
        }
        if kind == "auto":
            kind = "matrix" if self._severity_varies() else "frequency"
        if kind not in funcs:
            raise ConfigError(f"kind={kind!r} is not one of {['auto', *funcs]}.")
        return funcs[kind](self, ax=ax, **kwargs)

    def _severity_varies(self) -> bool:
        """Whether the severity column tells the rows apart (a severity given and not constant)."""
        if not self.severity_given or "severity" not in self.table:
            return False
        sev = self.table["severity"].to_numpy(float)
        sev = sev[np.isfinite(sev)]
        return len(sev) > 1 and float(sev.max() - sev.min()) > 1e-9 * max(
            abs(float(sev.max())), 1.0
        )


def _per_text(value: Any, n: int, data: pd.DataFrame | None, what: str) -> np.ndarray | None:
    """A per-text array from a column name of ``data`` or an array of length ``n``.

    Arrays, lists and Series are taken in text order (by position, not by index label).
    """
    if value is None:
        return None
    if _is_name(value, data):
        if data is None:
            raise SchemaError(
                f"{what}={value!r} names a column, but the texts were given without a DataFrame; code "
                f"a frame (nl.code_text(frame, 'text')) to refer to its columns, or pass an array "
                f"with one value per text."
            )
        check_columns(data, value, what=f"{what} column")
        return data[value].to_numpy()
    arr = value.to_numpy() if isinstance(value, pd.Series | pd.Index) else np.asarray(value)
    if arr.ndim != 1 or len(arr) != n:
        raise DataError(
            f"{what} has {len(arr) if arr.ndim == 1 else arr.shape} values for {n} texts; "
            "give one value per text, in the order of the texts."
        )
    return arr


def _is_name(value: Any, data: pd.DataFrame | None) -> bool:
    """Whether *value* names a column (a string or other scalar; a tuple only if it is a column)."""
    if isinstance(value, tuple):
        return data is not None and value in data.columns
    return isinstance(value, str) or (
        isinstance(value, Hashable) and not isinstance(value, pd.Series | pd.Index | np.ndarray)
    )


def _numbers(values: np.ndarray, what: str) -> np.ndarray:
    """Values as float (missing -> NaN), else a DataError naming the values that are not numbers."""
    obj = pd.Series(values, dtype=object)
    num = pd.to_numeric(obj, errors="coerce").to_numpy(float)
    bad = obj.notna().to_numpy() & np.isnan(num)
    if bad.any():
        raise DataError(
            f"{what} must be numbers, but has {int(bad.sum())} values that are not: "
            f"{preview(obj[bad])} at text positions {np.flatnonzero(bad)[:5].tolist()}."
        )
    return num


def _nonneg(values: np.ndarray, what: str, where: Sequence[Any] | None = None) -> np.ndarray:
    """Numbers >= 0 (missing allowed) as float, else a DataError naming the bad values and where
    they are (*where*: labels of the values; default their text positions)."""
    obj = pd.Series(values, dtype=object)
    num = pd.to_numeric(obj, errors="coerce").to_numpy(float)
    bad = (obj.notna().to_numpy() & np.isnan(num)) | np.isinf(num) | (num < 0)
    if bad.any():
        at = (
            f"for {preview(np.asarray(where, dtype=object)[bad])}"
            if where is not None
            else f"at text positions {np.flatnonzero(bad)[:5].tolist()}"
        )
        raise DataError(
            f"{what} must be finite numbers >= 0 (higher = more severe), but has {int(bad.sum())} bad "
            f"values: {preview(obj[bad])} {at}; recode them (e.g. map labels to 1-3) or set them missing."
        )
    return num


def _pairs_of(data: Any) -> tuple[pd.DataFrame, Any, pd.DataFrame, pd.DataFrame | None]:
    """Normalise the input: (pairs [pos, code], taxonomy, text table, data)."""
    from needlab.painpoints.coding import CodingResult

    if not isinstance(data, CodingResult):
        raise ConfigError(
            f"pain_matrix needs the result of code_text (a CodingResult), got {type(data).__name__}; "
            "code the texts first: coded = nl.code_text(data, 'text')."
        )
    return data.pairs(), data.taxonomy, data.table, data.data


def pain_matrix(
    data: Any,
    *,
    severity: Hashable | Sequence[float] | np.ndarray | Mapping[str, float] | None = None,
    by: Hashable | Sequence[Any] | np.ndarray | None = None,
    weights: Weights = None,
    level: Level = "code",
    severity_max: float | None = None,
    min_texts: int = 0,
    base: Literal["codable", "all"] = "codable",
    lang: Lang = "en",
) -> PainMatrixResult:
    r"""Frequency x severity of every pain point, with a priority score.

    Parameters
    ----------
    data : CodingResult
        The result of :func:`needlab.painpoints.coding.code_text`.
    severity : column name, array, mapping or None
        How severe each mention is (finite numbers >= 0, higher = more severe):

        - a column of the coded data (e.g. a 1-3 severity rating, or a reversed satisfaction
          rating) or an array with one value per text: the severity of a text applies to every
          code it mentions; texts with a missing severity are left out of the severity mean (and
          counted in ``notes``) but stay in the frequency base;
        - a mapping ``{code: severity}`` (or ``{pain_type: ...}`` / ``{stage: ...}`` matching
          ``level``): a fixed severity per pain, e.g. from expert rating; keys must be values of
          the taxonomy; pains missing from the mapping get no severity (NaN, noted);
        - ``None``: every mention has severity 1, so the priority is 100 x the share.

        Sentiment works as severity: pass ``np.clip(-sentiment_score, 0, 1)``.
    by : column name or array, optional
        Segment of each text; the matrix is computed within each segment (texts with a missing
        segment are excluded and counted).
    weights : column name, array, None or False
        Text weights (e.g. survey weights): finite, >= 0. ``None`` takes the codebook's weight
        column when the texts were coded from a :class:`~needlab.Survey` (else every text
        weighs 1); ``False`` is unweighted. Texts of weight 0 are out of the base (counted in
        ``n_excluded``).
    level : {"code", "pain_type", "stage", "stage_type"}
        Row unit: one pain code, a pain type, a journey stage, or stage x pain type. A text that
        mentions two codes of the same type counts once for that type (with its severity once).
        At the stage levels, codes without a stage are left out (counted in ``notes``).
    severity_max : float, optional
        The top of the severity scale, to normalise the priority to 0-100 (e.g. 3 for a 1-3
        rating); it must be at least the largest severity given. Default: the largest severity
        of a mention (1 when ``severity`` is None or every severity is 0).
    min_texts : int
        Drop rows mentioned by fewer texts than this (their count is reported in ``notes``).
    base : {"codable", "all"}
        The texts that count in the base (the denominator of ``share``): ``"codable"`` (default)
        the texts ``code_text`` could code (status ``ok`` or ``truncated``; as in its
        ``frequencies`` and ``coverage``), so missing, empty and emoji-only answers are left out and
        counted in ``notes``; ``"all"`` every text, e.g. for shares of all survey respondents.
    lang : {"en", "zh"}
        Language of the ``name`` column (level ``"code"``).

    Returns
    -------
    PainMatrixResult
        ``.table`` has one row per pain mentioned (per segment with ``by``), sorted by priority
        (ties by the level keys):

        - ``by`` (when given), then the level keys (``code`` with ``name``, ``pain_type`` and
          ``stage``; or ``pain_type``; ``stage``; ``stage`` and ``pain_type``);
        - ``n``: texts mentioning it (unweighted); ``base``: texts in the base of the segment
          (unweighted);
        - ``share``: weighted share of texts mentioning it, :math:`f = \sum_i w_i x_i / \sum_i w_i`
          with :math:`x_i` = 1 when text *i* mentions it, over the texts of the base;
        - ``severity``: weighted mean severity of the texts mentioning it,
          :math:`\bar s = \sum_i w_i x_i s_i / \sum_i w_i x_i` (over the mentions with a severity);
        - ``priority``: the severity-weighted incidence per 100 texts on a 0-100 scale,
          :math:`P = 100 \cdot f \cdot \bar s / s_{max} = 100 \sum_i w_i x_i s_i / (s_{max} \sum_i w_i)`,
          i.e. the mean over all texts of each text's normalised severity for this pain (0 when
          the text does not mention it). A pain mentioned by 10% of texts at the top severity
          and one mentioned by 20% at half the top severity both score 10;
        - ``priority_se``: its standard error, the standard error of a weighted mean of
          :math:`y_i = 100\, x_i s_i / s_{max}` with the Kish effective base
          :math:`n_{eff} = (\sum w)^2 / \sum w^2`: :math:`\sqrt{\widehat{var}_w(y) / (n_{eff} - 1)}`
          with :math:`\widehat{var}_w(y) = \sum_i w_i (y_i - P)^2 / \sum_i w_i` (mentions without
          a severity enter at the mean severity); NaN when :math:`n_{eff} \le 1`;
        - ``rank``: 1 = highest priority (within segment);
        - ``quadrant``: ``"fix first"`` (share and severity both at or above the median of the
          rows of the segment), ``"frequent"`` (share above, severity below), ``"severe"``
          (severity above, share below) or ``"monitor"``; this is the frequency-severity matrix
          of risk analysis (as in FMEA's occurrence x severity, AIAG & VDA 2019). When the
          severity does not vary within the segment (e.g. ``severity=None``) it says nothing, so
          rows are only ``"frequent"`` or ``"monitor"``; missing (None) without a severity.

    Raises
    ------
    ConfigError
        *data* is not a coding result, an unknown option, or a mapping severity has keys that
        are not values of the taxonomy.
    SchemaError
        A named column is not in the coded data (or the texts were not given as a DataFrame).
    DataError
        An array has the wrong length; severities or weights are negative, infinite or not
        numeric; ``severity_max`` is not above zero or below the largest severity.

    References
    ----------
    Kish, L. (1965). *Survey Sampling*. Wiley (effective sample size).
    AIAG & VDA (2019). *Failure Mode and Effects Analysis - FMEA Handbook* (severity x occurrence).

    Examples
    --------
    >>> import needlab as nl
    >>> texts = ["送货太慢了", "delivery was late and the price is too expensive", "很好用"]
    >>> pm = nl.pain_matrix(nl.code_text(texts), level="pain_type")
    >>> pm.table[["pain_type", "n", "share"]].sort_values("pain_type").to_dict("list")
    {'pain_type': ['process', 'value'], 'n': [2, 1], 'share': [0.666..., 0.333...]}
    """
    if level not in _LEVEL_KEYS:
        raise ConfigError(f"level={level!r} is not one of {sorted(_LEVEL_KEYS)}.")
    if base not in ("codable", "all"):
        raise ConfigError(f"base={base!r} is not one of 'codable', 'all'.")
    if lang not in ("en", "zh"):
        raise ConfigError(f"lang={lang!r} is not one of 'en', 'zh'.")
    if isinstance(min_texts, bool) or not isinstance(min_texts, int | np.integer) or min_texts < 0:
        raise ConfigError(f"min_texts={min_texts!r} must be a whole number >= 0.")
    pairs, tx, texts, frame = _pairs_of(data)
    if weights is None:
        weights = data.weights
    elif weights is False:
        weights = None
    n = len(texts)
    notes: list[str] = []
    keys = _LEVEL_KEYS[level]

    # ---- weights and the base
    w_arr = _per_text(weights, n, frame, "weights")
    checked = (
        None
        if w_arr is None
        else check_weights(frame, cast(Hashable, weights), n)
        if _is_name(weights, frame)
        else check_weights(None, _numbers(w_arr, "weights"), n)
    )
    w: np.ndarray = np.ones(n) if checked is None else checked
    if base == "codable":
        out_base = ~texts["status"].isin(_CODABLE).to_numpy()
        if out_base.any():
            notes.append(
                f"{int(out_base.sum())} text(s) that could not be coded (missing, empty, no "
                "letters) left out of the base; base='all' keeps them."
            )
            w = np.where(out_base, 0.0, w)
    zero_w = (w <= 0) & (checked is not None)
    if base == "codable":
        zero_w &= ~out_base
    if zero_w.any():
        notes.append(f"{int(zero_w.sum())} text(s) of weight 0 left out of the base.")

    # ---- segments
    g: Any = _per_text(by, n, frame, "by")
    by_name: Any = None
    if g is not None:
        if _is_name(by, frame) and frame is not None:
            by_name = by
            if isinstance(frame[by].dtype, pd.CategoricalDtype):
                g = frame[by].array  # keep the category order of the segments
        else:
            by_name = (
                getattr(by, "name", None) if getattr(by, "name", None) is not None else "segment"
            )
        if by_name in (
            "code",
            "name",
            "pain_type",
            "stage",
            "n",
            "base",
            "share",
            "severity",
            "priority",
            "priority_se",
            "rank",
            "quadrant",
        ):
            raise ConfigError(
                f"by={by_name!r} has the name of a column of the pain matrix; rename the "
                "segment column."
            )
        miss = pd.isna(pd.Series(g, dtype=object)).to_numpy()
        if miss.any():
            notes.append(f"{int(miss.sum())} text(s) with a missing {by_name} excluded.")
        try:
            g_codes, g_levels = pd.factorize(g, sort=True)
        except TypeError:  # mixed types that do not sort
            g_codes, g_levels = pd.factorize(g, sort=False)
    else:
        g_codes, g_levels = np.zeros(n, dtype=np.int64), pd.Index(["all"])
    w = np.where(g_codes >= 0, w, 0.0)
    if not (w > 0).any():
        raise DataError(
            "no text is left in the base (every text is uncodable, has weight 0 or a "
            "missing segment); check the texts, the weights and the by column."
        )

    # ---- per-pair attributes; collapse to the level (a text counts once per level value)
    # the stage of a mention is its own (text cues, else the code's typical stage) when known;
    # a code-level row shows the code's typical stage
    info = tx.table(lang).set_index("code")[["name", "pain_type", "stage"]]
    p = pairs.join(info.drop(columns="stage") if "stage" in pairs.columns else info, on="code")
    if level in ("stage", "stage_type"):
        nostage = p["stage"].isna().to_numpy() & (w[p["pos"].to_numpy()] > 0)
        if nostage.any():
            notes.append(
                f"{int(nostage.sum())} mention(s) of codes without a journey stage left out."
            )
        p = p[p["stage"].notna()]
    p = p.drop_duplicates(["pos", *keys])
    pos = p["pos"].to_numpy()

    # ---- severity per pair
    if isinstance(severity, Mapping):
        if level == "stage_type":
            raise ConfigError(
                "a severity mapping needs level='code', 'pain_type' or 'stage'; for "
                "level='stage_type' give a severity per text (a column or an array)."
            )
        key = keys[0]
        allowed = (
            set(info.index) if key == "code" else set(info[key].dropna()) | set(p[key].dropna())
        )
        unknown = [k for k in severity if k not in allowed]
        if unknown:
            raise ConfigError(
                f"severity mapping has keys that are not {key} values of the taxonomy: "
                f"{preview(unknown)}; use the {key} values, e.g. {preview(sorted(allowed), 4)}."
            )
        vals = _nonneg(
            np.asarray(list(severity.values()), dtype=object),
            "severity mapping values",
            where=list(severity),
        )
        sev = p[key].map(dict(zip(severity, vals, strict=True))).to_numpy(float)
        unmapped = sorted(set(p.loc[np.isnan(sev) & (w[pos] > 0), key]))
        if unmapped:
            notes.append(
                f"no severity in the mapping for {len(unmapped)} {key}(s) ({preview(unmapped)}): "
                "their severity and priority are missing."
            )
    else:
        s_text = _per_text(severity, n, frame, "severity")
        if s_text is None:
            sev = np.ones(len(p))
        else:
            sev = _nonneg(
                s_text, "severity" if not isinstance(severity, str) else f"severity {severity!r}"
            )[pos]
            n_miss = int((np.isnan(sev) & (w[pos] > 0)).sum())
            if n_miss:
                notes.append(
                    f"{n_miss} mention(s) without a severity left out of the severity means."
                )
    live = ~np.isnan(sev) & (w[pos] > 0)
    top = float(sev[live].max()) if live.any() else 0.0
    if severity_max is None:
        smax = top if top > 0 else 1.0
    else:
        smax = float(severity_max)
        if not (np.isfinite(smax) and smax > 0):
            raise DataError(f"severity_max must be a positive number, got {severity_max!r}.")
        if top > smax:
            raise DataError(
                f"severity_max={severity_max!r} is below the largest severity given ({top:g}); "
                "set it to the top of the severity scale."
            )

    # ---- sums per segment x row
    wp = w[pos]
    has_sev = ~np.isnan(sev)
    p = p.assign(
        _g=g_codes[pos],
        _w=wp,
        _n=(wp > 0).astype(int),
        _ws=np.where(has_sev, wp * sev, 0.0),
        _wv=np.where(has_sev, wp, 0.0),
        _ws2=np.where(has_sev, wp * sev * sev, 0.0),
    )
    p = p[p["_n"] > 0]
    agg = p.groupby(["_g", *keys], sort=True, observed=True).agg(
        n=("_n", "sum"),
        _w=("_w", "sum"),
        _ws=("_ws", "sum"),
        _wv=("_wv", "sum"),
        _ws2=("_ws2", "sum"),
    )
    agg = agg.reset_index()

    # segment totals
    valid = w > 0
    W = np.bincount(g_codes[valid], weights=w[valid], minlength=len(g_levels))
    neff_g = effective_n_by(g_codes[valid], len(g_levels), w[valid])
    nbase = np.bincount(g_codes[valid], minlength=len(g_levels))
    gi = agg["_g"].to_numpy()
    Wg = W[gi]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.minimum(
            agg["_w"].to_numpy() / Wg, 1.0
        )  # sums in another order can pass 1 by an ulp
        sbar = agg["_ws"].to_numpy() / agg["_wv"].to_numpy()
        # y_i = x_i s_i / smax; mentions with unknown severity are imputed at sbar
        y_mean = share * sbar / smax
        ey2 = (
            (agg["_ws2"].to_numpy() + (agg["_w"].to_numpy() - agg["_wv"].to_numpy()) * sbar**2)
            / Wg
            / smax**2
        )
        var = np.clip(ey2 - y_mean**2, 0, None)
        neff = neff_g[gi]
        se = np.where(neff > 1 + 1e-9, np.sqrt(var / (neff - 1)), np.nan)
    out = agg[["_g", *keys, "n"]].copy()
    out["base"] = nbase[gi].astype(int)
    out["share"] = share
    out["severity"] = sbar
    out["priority"] = 100 * y_mean
    out["priority_se"] = 100 * se
    if level == "code":
        out = out.join(info, on="code")
        out = out[
            [
                "_g",
                "code",
                "name",
                "pain_type",
                "stage",
                "n",
                "base",
                "share",
                "severity",
                "priority",
                "priority_se",
            ]
        ]
    if min_texts > 0:
        small = out["n"] < min_texts
        if small.any():
            notes.append(
                f"{int(small.sum())} row(s) mentioned by fewer than {min_texts} texts dropped."
            )
            out = out[~small]
    # agg is sorted by the keys, so the stable sort breaks priority ties by the keys (ties up to
    # rounding noise: priorities are compared to 9 decimals)
    out = (
        out.assign(_p=out["priority"].round(9))
        .sort_values(["_g", "_p"], ascending=[True, False], kind="stable", na_position="last")
        .drop(columns="_p")
    )
    out["rank"] = out.groupby("_g").cumcount() + 1
    grp = out.groupby("_g")
    # comparisons with a relative tolerance, so that rounding noise (e.g. from weights) does not
    # move a row across a median
    med_f, med_s = grp["share"].transform("median"), grp["severity"].transform("median")
    hi_f = out["share"] >= med_f - 1e-9 * med_f.abs()
    spread = (
        grp["severity"].transform("max") - grp["severity"].transform("min") > 1e-9 * med_s.abs()
    )
    hi_s = (out["severity"] >= med_s - 1e-9 * med_s.abs()) & spread
    quad = np.select(
        [hi_f & hi_s, hi_f, hi_s], ["fix first", "frequent", "severe"], "monitor"
    ).astype(object)
    quad[out["severity"].isna().to_numpy()] = None
    out["quadrant"] = quad
    if by_name is not None:
        out.insert(0, by_name, g_levels[out["_g"].to_numpy()])
    out = out.drop(columns="_g").reset_index(drop=True)
    if severity is None:
        notes.append("No severity given: every mention counts 1, so priority = 100 x share.")
    return PainMatrixResult(
        out,
        notes=tuple(notes),
        level=level,
        by=by_name,
        severity_max=smax,
        lang=lang,
        severity_given=severity is not None,
        n_used=int(valid.sum()),
        n_excluded=n - int(valid.sum()),
    )
