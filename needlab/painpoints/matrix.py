"""The pain matrix: how often each pain point is reported, how severe it is, and a priority.

A coded text corpus (:func:`needlab.painpoints.coding.code_text`) says which pain codes each text
mentions. :func:`pain_matrix` turns it into frequency x severity per code (or per pain type,
journey stage, or stage x pain type), overall or per segment, with a documented priority score
and its standard error.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from needlab._result import Result
from needlab.errors import ConfigError, DataError, SchemaError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["PainMatrixResult", "pain_matrix"]

Level = Literal["code", "pain_type", "stage", "stage_type"]
_LEVEL_KEYS: dict[str, list[str]] = {
    "code": ["code"], "pain_type": ["pain_type"], "stage": ["stage"], "stage_type": ["stage", "pain_type"],
}


@dataclass(frozen=True, repr=False)
class PainMatrixResult(Result):
    """Frequency, severity and priority of pain points (see :func:`pain_matrix`).

    Attributes
    ----------
    level : str
        What a row is: ``"code"``, ``"pain_type"``, ``"stage"`` or ``"stage_type"``.
    by : str or None
        The segment column, when given.
    n_texts : int
        Texts in the analysis (every text of the coding, coded or not).
    severity_max : float
        The top of the severity scale used to normalise the priority.
    """

    level: str = "code"
    by: str | None = None
    n_texts: int = 0
    severity_max: float = 1.0
    title = "Pain matrix: frequency x severity"

    def summary(self) -> dict[str, Any]:
        return {"texts": self.n_texts, "rows": self.level, "by": self.by or "(all texts)",
                "severity scale top": self.severity_max}

    def wide(self, value: str = "priority") -> pd.DataFrame:
        """One row per pain (code, type, stage, ...), one column per segment, cells ``value``."""
        keys = _LEVEL_KEYS[self.level]
        if self.by is None:
            return self.table.set_index(keys)[[value]]
        return self.table.pivot_table(index=keys, columns=self.by, values=value, observed=True, sort=False)

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """The frequency-severity matrix (see :func:`needlab.painpoints.plot.severity_matrix`)."""
        from needlab.painpoints.plot import severity_matrix

        return severity_matrix(self, ax=ax, **kwargs)


def _per_text(value: Any, n: int, data: pd.DataFrame | None, what: str) -> np.ndarray | None:
    """A per-text array from a column name of ``data`` or an array of length ``n``."""
    if value is None:
        return None
    if isinstance(value, Hashable) and not isinstance(value, tuple) and data is not None and value in data:
        return data[value].to_numpy()
    if isinstance(value, str):
        cols = [] if data is None else list(data.columns)
        raise SchemaError(
            f"{what}={value!r} is not a column of the coded data (columns: {cols[:12]}); pass a column "
            f"name present in the data given to code_text, or an array with one value per text."
        )
    arr = np.asarray(value)
    if arr.ndim != 1 or len(arr) != n:
        raise DataError(f"{what} has {arr.shape} values for {n} texts; give one value per text.")
    return arr


def _pairs_of(coded: Any) -> tuple[pd.DataFrame, pd.DataFrame, int, pd.DataFrame | None]:
    """Normalise the input: (pairs [pos, code], codes [code, name, pain_type, stage], n, data)."""
    from needlab.painpoints.coding import CodingResult

    if not isinstance(coded, CodingResult):
        raise ConfigError(
            f"pain_matrix needs the result of code_text (a CodingResult), got {type(coded).__name__}; "
            "code the texts first: coded = nl.code_text(data, 'text')."
        )
    return coded.pairs(), coded.taxonomy.table(), len(coded.table), coded.data


def pain_matrix(coded: Any, *, severity: Hashable | Sequence[float] | np.ndarray | Mapping[str, float] | None = None,
                by: Hashable | Sequence[Any] | np.ndarray | None = None,
                weights: Hashable | Sequence[float] | np.ndarray | None = None,
                level: Level = "code", severity_max: float | None = None,
                min_texts: int = 0) -> PainMatrixResult:
    r"""Frequency x severity of every pain point, with a priority score.

    Parameters
    ----------
    coded : CodingResult
        The result of :func:`needlab.painpoints.coding.code_text`. Every text counts in the base,
        including texts with no code.
    severity : column name, array, mapping or None
        How severe each mention is (higher = more severe):

        - a column of the coded data (e.g. a 1-3 severity rating, or a reversed satisfaction
          rating) or an array with one value per text: the severity of a text applies to every
          code it mentions; texts with a missing severity are left out of the severity mean (and
          counted in ``notes``) but stay in the frequency base;
        - a mapping ``{code: severity}`` (or ``{pain_type: ...}`` / ``{stage: ...}`` matching
          ``level``): a fixed severity per pain, e.g. from expert rating;
        - ``None``: every mention has severity 1, so the priority is the frequency.

        Sentiment works as severity: pass ``np.clip(-sentiment_score, 0, 1)``.
    by : column name or array, optional
        Segment of each text; the matrix is computed within each segment (texts with a missing
        segment are excluded and counted).
    weights : column name or array, optional
        Text weights (e.g. survey weights); default 1.
    level : {"code", "pain_type", "stage", "stage_type"}
        Row unit: one pain code, a pain type, a journey stage, or stage x pain type. A text that
        mentions two codes of the same type counts once for that type.
    severity_max : float, optional
        The top of the severity scale, to normalise the priority to 0-100. Default: the largest
        severity observed (1 when ``severity`` is None).
    min_texts : int
        Drop rows mentioned by fewer texts than this (their count is reported in ``notes``).

    Returns
    -------
    PainMatrixResult
        ``.table`` has one row per pain (per segment with ``by``), sorted by priority:

        - ``by`` (when given), then the level keys (``code`` with ``name``, ``pain_type`` and
          ``stage``; or ``pain_type``; ``stage``; ``stage`` and ``pain_type``);
        - ``n``: texts mentioning it (unweighted); ``base``: texts in the segment (unweighted);
        - ``share``: weighted share of texts mentioning it, :math:`f = \sum_i w_i x_i / \sum_i w_i`
          with :math:`x_i` = 1 when text *i* mentions it;
        - ``severity``: weighted mean severity of the texts mentioning it,
          :math:`\bar s = \sum_i w_i x_i s_i / \sum_i w_i x_i`;
        - ``priority``: the severity-weighted incidence per 100 texts on a 0-100 scale,
          :math:`P = 100 \cdot f \cdot \bar s / s_{max} = 100 \sum_i w_i x_i s_i / (s_{max} \sum_i w_i)`,
          i.e. the mean over all texts of each text's normalised severity for this pain (0 when
          the text does not mention it). A pain mentioned by 10% of texts at the top severity
          and one mentioned by 20% at half the top severity both score 10;
        - ``priority_se``: its standard error, the standard error of a weighted mean of
          :math:`y_i = 100\, x_i s_i / s_{max}` with the Kish effective base
          :math:`n_{eff} = (\sum w)^2 / \sum w^2`: :math:`\sqrt{\widehat{var}_w(y) / (n_{eff} - 1)}`
          (mentions without a severity enter at the mean severity);
        - ``rank``: 1 = highest priority (within segment);
        - ``quadrant``: ``"fix first"`` (share and severity both at or above the median of the
          rows), ``"frequent"`` (share above, severity below), ``"severe"`` (severity above, share
          below) or ``"monitor"``; this is the frequency-severity matrix of risk analysis
          (as in FMEA's occurrence x severity, AIAG & VDA 2019).

    Raises
    ------
    ConfigError
        ``coded`` is not a coding result, or a mapping severity has unknown keys.
    SchemaError
        A named column is not in the coded data.
    DataError
        An array has the wrong length, severities or weights are negative or not numeric.

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
    pairs, codes, n, data = _pairs_of(coded)
    notes: list[str] = []
    keys = _LEVEL_KEYS[level]

    w = _per_text(weights, n, data, "weights")
    w = np.ones(n) if w is None else pd.to_numeric(pd.Series(w), errors="coerce").to_numpy(float)
    if np.isnan(w).any() or (w < 0).any():
        bad = np.flatnonzero(np.isnan(w) | (w < 0))[:5].tolist()
        raise DataError(f"weights must be non-negative numbers; bad at text positions {bad}.")

    g = _per_text(by, n, data, "by")
    by_name = None
    if g is not None:
        by_name = by if isinstance(by, str) else "segment"
        miss = pd.isna(g)
        if miss.any():
            notes.append(f"{int(miss.sum())} text(s) with a missing {by_name} excluded.")
            w = np.where(miss, 0.0, w)
        g_codes, g_levels = pd.factorize(pd.Series(g), sort=True)
    else:
        g_codes, g_levels = np.zeros(n, dtype=np.int64), pd.Index(["all"])

    # Per-pair attributes; collapse to the level (a text counts once per level value).
    info = codes.set_index("code")[["name", "pain_type", "stage"]]
    p = pairs.join(info, on="code")
    p = p.drop_duplicates(["pos", *keys])

    # Severity per pair.
    s_text = None
    if isinstance(severity, Mapping):
        key = keys[0] if level != "stage_type" else "code"
        if level == "stage_type":
            raise ConfigError("a severity mapping needs level='code', 'pain_type' or 'stage'.")
        unknown = sorted(set(severity) - set(p[key].unique()) - set(info.index if key == "code" else []))
        if unknown:
            raise ConfigError(f"severity mapping has keys that are not {key} values: {unknown[:5]}.")
        sev = p[key].map(severity).to_numpy(float)
    else:
        s_text = _per_text(severity, n, data, "severity")
        if s_text is None:
            sev = np.ones(len(p))
        else:
            s_num = pd.to_numeric(pd.Series(s_text), errors="coerce").to_numpy(float)
            bad = ~pd.isna(s_text) & np.isnan(s_num)
            if bad.any() or (s_num < 0).any():
                pos = np.flatnonzero(bad | (s_num < 0))[:5].tolist()
                raise DataError(f"severity must be non-negative numbers; bad at text positions {pos}.")
            sev = s_num[p["pos"].to_numpy()]
            n_miss = int(np.isnan(sev).sum())
            if n_miss:
                notes.append(f"{n_miss} mention(s) without a severity left out of the severity means.")
    smax = float(severity_max) if severity_max is not None else float(np.nanmax(sev)) if len(sev) else 1.0
    if not smax > 0:
        raise DataError(f"severity_max must be positive, got {smax}.")

    pos = p["pos"].to_numpy()
    wp = w[pos]
    has_sev = ~np.isnan(sev)
    p = p.assign(_g=g_codes[pos], _w=wp, _n=(wp > 0).astype(int), _ws=np.where(has_sev, wp * sev, 0.0),
                 _wv=np.where(has_sev, wp, 0.0), _ws2=np.where(has_sev, wp * sev * sev, 0.0))
    p = p[p["_g"] >= 0]
    agg = p.groupby(["_g", *keys], sort=False, observed=True).agg(
        n=("_n", "sum"), _w=("_w", "sum"), _ws=("_ws", "sum"), _wv=("_wv", "sum"), _ws2=("_ws2", "sum"))
    agg = agg.reset_index()

    # Segment totals.
    valid = g_codes >= 0
    W = np.bincount(g_codes[valid], weights=w[valid], minlength=len(g_levels))
    W2 = np.bincount(g_codes[valid], weights=w[valid] ** 2, minlength=len(g_levels))
    base = np.bincount(g_codes[valid], weights=(w[valid] > 0).astype(float), minlength=len(g_levels))
    gi = agg["_g"].to_numpy()
    Wg = W[gi]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = agg["_w"].to_numpy() / Wg
        sbar = agg["_ws"].to_numpy() / agg["_wv"].to_numpy()
        # priority uses mentions with a severity; missing severities count at the mean severity.
        y_mean = share * sbar / smax
        # E[y^2] with y_i = x_i s_i / smax: mentions with unknown severity imputed at sbar.
        ey2 = (agg["_ws2"].to_numpy() + (agg["_w"].to_numpy() - agg["_wv"].to_numpy()) * sbar**2) / Wg / smax**2
        var = np.clip(ey2 - y_mean**2, 0, None)
        neff = W[gi] ** 2 / W2[gi]
        se = np.sqrt(var / np.maximum(neff - 1, 1))
    out = agg[["_g", *keys, "n"]].copy()
    out["base"] = base[gi].astype(int)
    out["share"] = share
    out["severity"] = sbar
    out["priority"] = 100 * y_mean
    out["priority_se"] = 100 * se
    if level == "code":
        out = out.join(info, on="code")
        out = out[["_g", "code", "name", "pain_type", "stage", "n", "base", "share", "severity", "priority",
                   "priority_se"]]
    if min_texts > 0:
        small = out["n"] < min_texts
        if small.any():
            notes.append(f"{int(small.sum())} row(s) mentioned by fewer than {min_texts} texts dropped.")
            out = out[~small]
    out = out.sort_values(["_g", "priority"], ascending=[True, False], kind="stable")
    out["rank"] = out.groupby("_g").cumcount() + 1
    med_f = out.groupby("_g")["share"].transform("median")
    med_s = out.groupby("_g")["severity"].transform("median")
    hi_f, hi_s = out["share"] >= med_f, out["severity"] >= med_s
    out["quadrant"] = np.select([hi_f & hi_s, hi_f, hi_s], ["fix first", "frequent", "severe"], "monitor")
    if by_name is not None:
        out.insert(0, by_name, g_levels[out["_g"].to_numpy()])
    out = out.drop(columns="_g").reset_index(drop=True)
    if severity is None:
        notes.append("No severity given: every mention counts 1, so priority = 100 x share.")
    return PainMatrixResult(out, notes=tuple(notes), level=level, by=by_name, n_texts=n, severity_max=smax)
