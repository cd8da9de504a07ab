"""Transparent weighted scoring of needs, with a weight-sensitivity analysis.

A need's score is the weighted sum of its normalised criteria; every contribution (weight x
normalised value) is a column of the table, so the score can be traced by hand. The sensitivity
analysis moves each criterion weight and recomputes the ranks, and finds exactly the weight at
which the top need changes: once the other weights are renormalised, every score is linear in
the moved weight, so the switch points are the crossings of straight lines.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from needlab._result import Result
from needlab._types import Lang
from needlab._validate import (
    check_columns,
    check_frame,
    check_numeric,
    check_option,
    check_unique,
    preview,
)
from needlab.errors import ConfigError, DataError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["PriorityResult", "priority_table"]

Scale = Literal["minmax", "rank", "z", "max"]
Missing = Literal["error", "worst", "exclude"]
Direction = Literal["benefit", "cost"]

SCALES = ("minmax", "rank", "z", "max")
MISSING = ("error", "worst", "exclude")
METHODS = ("weighted", "rice", "wsjf", "opportunity", "kano", "cost_benefit")
LABEL_COLUMNS = ("label", "label_en", "label_zh")
SENSITIVITY_COLUMNS = ["criterion", "change", "weight", "need", "rank", "base_rank", "changed"]
SWITCH_COLUMNS = ["criterion", "direction", "base_weight", "weight", "change", "new_top"]
_DIGITS = 12  # scores are compared after rounding to this many decimals (ties)


@dataclass(frozen=True, repr=False)
class PriorityResult(Result):
    """Result of :func:`priority_table` and of the scoring presets.

    The counting unit is the need (a row of the input): ``n_used`` needs were scored and
    ``n_excluded`` were left out (``missing="exclude"``, or a preset's documented exclusions),
    each reason in :attr:`notes`.

    Attributes
    ----------
    table : DataFrame
        One row per need, best first: ``need``, label columns when given, the raw inputs, one
        ``contrib_<criterion>`` per criterion (weighted scoring), ``score``, ``rank`` (1 = best;
        tied scores share the lowest rank) and ``tied``. Presets add their own input columns
        and, with ``by``, a group column first (ranks within each group).
    criteria : Series
        Criterion -> normalised weight (sums to 1); empty for presets without weights.
    direction : dict
        Criterion -> ``"benefit"`` or ``"cost"``.
    scale : str
        The normalisation method (``"none"`` for presets).
    method : str
        ``"weighted"``, ``"rice"``, ``"wsjf"``, ``"opportunity"``, ``"kano"`` or
        ``"cost_benefit"``.
    sensitivity : DataFrame
        Columns ``criterion``, ``change`` (relative change of the weight, e.g. -0.2),
        ``weight`` (the moved weight), ``need``, ``rank``, ``base_rank``, ``changed``; empty
        for presets.
    switch_points : DataFrame
        Columns ``criterion``, ``direction`` (``"down"``/``"up"``), ``base_weight``,
        ``weight`` (the weight of the criterion at which the top need changes, NaN when none
        in [0, 1]), ``change`` (``weight / base_weight - 1``) and ``new_top`` (needs that
        overtake together, tied, are joined by " / "); empty for presets.
    normalised : DataFrame
        Need x criterion normalised values (weighted scoring; empty for presets).
    lang : {"en", "zh"}
        Language of the plot labels.
    """

    criteria: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    direction: dict[str, str] = field(default_factory=dict)
    scale: str = "none"
    method: str = "weighted"
    sensitivity: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=SENSITIVITY_COLUMNS)
    )
    switch_points: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=SWITCH_COLUMNS)
    )
    normalised: pd.DataFrame = field(default_factory=pd.DataFrame)
    lang: Lang = "en"

    title = "Priority table"

    @property
    def ranking(self) -> pd.Series:
        """Need -> rank (1 = best), in table order."""
        t = self.table
        if t["need"].duplicated().any():
            raise ConfigError(
                "this result ranks needs within groups (by=); read the rank column of .table "
                "per group instead of .ranking."
            )
        return pd.Series(t["rank"].to_numpy(), index=pd.Index(t["need"], name="need"), name="rank")

    def summary(self) -> dict[str, Any]:
        """Key figures: method, scale, the top need and the number of tied needs."""
        t = self.table
        top = t.loc[t["rank"] == 1, "need"].astype(str).tolist()
        out: dict[str, Any] = {"method": self.method, "needs": int(t["need"].nunique())}
        if self.method == "weighted":
            out["scale"] = self.scale
        out["top"] = ", ".join(dict.fromkeys(top))
        out["tied"] = int(t["tied"].sum())
        if len(self.sensitivity):
            out["rank changes in sensitivity runs"] = int(self.sensitivity["changed"].sum())
        return out

    def tables(self) -> dict[str, pd.DataFrame]:
        """All tables by name, for :meth:`to_excel`."""
        out = {"priority": self.table}
        if len(self.criteria):
            out["criteria"] = pd.DataFrame(
                {
                    "criterion": self.criteria.index,
                    "weight": self.criteria.to_numpy(),
                    "direction": [
                        self.direction.get(str(c), "benefit") for c in self.criteria.index
                    ],
                }
            )
        if len(self.sensitivity):
            out["sensitivity"] = self.sensitivity
        if len(self.switch_points):
            out["switch points"] = self.switch_points
        return out

    def plot(
        self,
        ax: Axes | None = None,
        kind: Literal["contributions", "matrix", "sensitivity"] = "contributions",
        **kwargs: Any,
    ) -> Axes:
        """Draw the contributions per need, the priority matrix or the sensitivity rank ranges.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Where to draw; a new figure when omitted.
        kind : {"contributions", "matrix", "sensitivity"}, default "contributions"
            ``"contributions"``: stacked horizontal bars of each criterion's contribution
            (:func:`needlab.plan.plot.contributions`); ``"matrix"``: value vs effort bubbles
            with quadrant labels (:func:`needlab.plan.plot.matrix`); ``"sensitivity"``: each
            need's rank range over the sensitivity runs (:func:`needlab.plan.plot.sensitivity`).
        **kwargs
            Passed to the drawing function.

        Returns
        -------
        matplotlib Axes
        """
        from needlab.plan import plot as pplot

        check_option(kind, ("contributions", "matrix", "sensitivity"), "kind")
        fn: Any = {
            "contributions": pplot.contributions,
            "matrix": pplot.matrix,
            "sensitivity": pplot.sensitivity,
        }[kind]
        return fn(self, ax=ax, **kwargs)


# ----------------------------------------------------------------------------- helpers


def resolve_criteria(criteria: Any) -> tuple[pd.Series, list[str]]:
    """Criterion weights from a mapping, a list (equal weights) or an object with ``.weights``.

    Weights must be finite, >= 0 and not all 0; when they do not sum to 1 they are divided by
    their sum, with a note.

    Raises
    ------
    ConfigError
        An empty, duplicated or invalid specification.

    Examples
    --------
    >>> w, notes = resolve_criteria({"importance": 2, "urgency": 2})
    >>> w.tolist(), notes
    ([0.5, 0.5], ['criterion weights summed to 4 and were divided by their sum so that they sum to 1.'])
    """
    notes: list[str] = []
    weights = getattr(criteria, "weights", None)
    if isinstance(weights, pd.Series):
        items = list(zip(weights.index, weights.to_numpy(), strict=True))
    elif isinstance(criteria, Mapping):
        items = list(criteria.items())
    elif isinstance(criteria, str):
        items = [(criteria, 1.0)]
    elif isinstance(criteria, Sequence) and not isinstance(criteria, (bytes, bytearray)):
        items = [(c, 1.0) for c in criteria]
    else:
        raise ConfigError(
            f"criteria must be a mapping criterion -> weight, a list of criteria (equal weights) "
            f"or an AhpResult, got {type(criteria).__name__}."
        )
    if not items:
        raise ConfigError("criteria is empty; name at least one criterion column.")
    names = [k for k, _ in items]
    dup = pd.Index(names, dtype=object)
    if not dup.is_unique:
        raise ConfigError(
            f"criteria names {preview(dup[dup.duplicated()])} more than once; give each "
            "criterion once."
        )
    raw = []
    for k, v in items:
        try:
            raw.append(float(v))
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"weight of criterion {k!r} must be a number, got {v!r}.") from exc
    w = np.array(raw)
    bad = ~np.isfinite(w) | (w < 0)
    if bad.any():
        shown = ", ".join(f"{names[i]!r}: {w[i]}" for i in np.flatnonzero(bad)[:5])
        raise ConfigError(
            f"criterion weights must be finite and >= 0; got {shown}. Fix those weights."
        )
    total = float(w.sum())
    if total <= 0:
        raise ConfigError("criterion weights are all 0; give at least one a positive weight.")
    if abs(total - 1.0) > 1e-9:
        if not (isinstance(criteria, Sequence) and not isinstance(criteria, Mapping)):
            notes.append(
                f"criterion weights summed to {total:.6g} and were divided by their sum so that "
                "they sum to 1."
            )
        w = w / total
    return pd.Series(w, index=pd.Index(names, dtype=object, name="criterion"), name="weight"), notes


def rank_scores(score: np.ndarray) -> np.ndarray:
    """Ranks of *score* (largest first) along axis 0, ties sharing the lowest rank ("min").

    Scores are compared after rounding to 12 decimals, so that floating-point noise does not
    break a tie that is exact on paper.

    Examples
    --------
    >>> rank_scores(np.array([0.5, 0.9, 0.5, 0.1])).tolist()
    [2, 1, 2, 4]
    """
    from scipy.stats import rankdata

    s = np.round(np.asarray(score, dtype=float), _DIGITS)
    return rankdata(-s, method="min", axis=0).astype(int)


def ranked_table(
    table: pd.DataFrame, score: np.ndarray, *, group: Hashable | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """Add ``score``, ``rank`` and ``tied`` to *table* (ranks within *group*), sort best first,
    and return a note listing tied needs (empty list when none)."""
    out = table.copy()
    out["score"] = score
    if group is None:
        out["rank"] = rank_scores(score)
    else:
        keys = out[group].astype(object)
        out["rank"] = (
            out["score"]
            .round(_DIGITS)
            .groupby(keys, sort=False)
            .rank(method="min", ascending=False)
            .astype(int)
        )
    gcols: list[Any] = [group] if group is not None else []
    out["tied"] = out.duplicated([*gcols, "rank"], keep=False).to_numpy()
    out = out.sort_values([*gcols, "rank"], kind="stable").reset_index(drop=True)
    notes = []
    if out["tied"].any():
        tied = out[out["tied"]]
        parts = []
        for key, g in tied.groupby([*gcols, "rank"], sort=False):
            where = f"{group}={key[0]!r}, " if group is not None else ""
            parts.append(f"{where}rank {int(g['rank'].iloc[0])}: {preview(g['need'], 8)}")
        notes.append("tied scores share the lowest rank: " + "; ".join(parts) + ".")
    return out, notes


def _normalise(x: np.ndarray, method: str, cost: bool, name: str) -> tuple[np.ndarray, bool]:
    """Normalised values of the observed (non-missing) *x*; and whether *x* is constant."""
    n = len(x)
    if n == 0 or np.ptp(x) == 0:
        return np.zeros(n), True
    if method == "minmax":
        lo, hi = x.min(), x.max()
        v = (hi - x) / (hi - lo) if cost else (x - lo) / (hi - lo)
    elif method == "rank":
        from scipy.stats import rankdata

        r = rankdata(-x if cost else x, method="average")
        v = (r - 1) / (n - 1)
    elif method == "z":
        sd = x.std(ddof=1)
        if not sd > 0:  # a spread so small that the sd underflows to 0
            return np.zeros(n), True
        v = (x - x.mean()) / sd
        v = -v if cost else v
    else:  # max
        if cost:
            if (x <= 0).any():
                raise DataError(
                    f"criterion {name!r} is a cost and scale='max' divides its smallest value by "
                    f"each value, so every value must be > 0; it has {preview(x[x <= 0])}. Use "
                    "scale='minmax' or 'rank'."
                )
            v = x.min() / x
        else:
            if (x < 0).any():
                raise DataError(
                    f"scale='max' divides criterion {name!r} by its largest value, so values must "
                    f"be >= 0; it has {preview(x[x < 0])}. Use scale='minmax', 'rank' or 'z'."
                )
            v = x / x.max()
    if not np.isfinite(v).all():  # pragma: no cover - guarded above; never return inf or NaN
        return np.zeros(n), True
    return v, False


def _sensitivity(
    norm: np.ndarray, w: np.ndarray, names: list[str], needs: np.ndarray, changes: list[float]
) -> tuple[pd.DataFrame, list[str]]:
    """Rank changes when each weight is multiplied by (1 + change), the others renormalised."""
    k = len(w)
    notes: list[str] = []
    base_rank = rank_scores(norm @ w)
    rows_w = []
    meta = []
    capped = []
    for j in range(k):
        for c in changes:
            wj = w[j] * (1 + c)
            if wj > 1:
                capped.append(f"{names[j]!r} {c:+.0%}")
                wj = 1.0
            rest = 1 - w[j]
            new = w * ((1 - wj) / rest) if rest > 0 else np.zeros(k)
            new[j] = wj if rest > 0 else 1.0
            rows_w.append(new)
            meta.append((names[j], c, float(new[j])))
    if capped:
        notes.append(
            "sensitivity: a moved weight above 1 was capped at 1 (the other criteria then weigh "
            f"0): {', '.join(capped)}."
        )
    wmat = np.array(rows_w).T  # k x runs
    ranks = rank_scores(norm @ wmat)  # needs x runs
    runs = len(meta)
    n = len(needs)
    out = pd.DataFrame(
        {
            "criterion": np.repeat([m[0] for m in meta], n),
            "change": np.repeat([m[1] for m in meta], n),
            "weight": np.repeat([m[2] for m in meta], n),
            "need": np.tile(needs, runs),
            "rank": ranks.T.reshape(-1),
            "base_rank": np.tile(base_rank, runs),
        }
    )
    out["changed"] = out["rank"] != out["base_rank"]
    return out, notes


def _switch_points(
    norm: np.ndarray, w: np.ndarray, names: list[str], needs: np.ndarray
) -> tuple[pd.DataFrame, list[str]]:
    """Exact weights at which the top need changes, moving each criterion down and up.

    With criterion j at weight t and the others scaled to sum to 1 - t in their base proportions,
    need i scores s_i(t) = t a_i + (1 - t) b_i with a_i its normalised value on j and b_i its
    score on the other criteria with their weights renormalised to sum to 1. Need i overtakes the
    top need T where the difference d(t) = (b_i - b_T) + t((a_i - a_T) - (b_i - b_T)) is 0.
    """
    notes: list[str] = []
    rows: list[dict[str, Any]] = []
    score = norm @ w
    base_rank = rank_scores(score)
    top = np.flatnonzero(base_rank == 1)
    if len(top) > 1:
        notes.append(
            f"switch points: needs {preview(needs[top])} tie for the top at the base weights, so "
            "the top need changes at the base weights themselves; switch points are not reported."
        )
        for j, name in enumerate(names):
            for d in ("down", "up"):
                rows.append(_switch_row(name, d, w[j], np.nan, None))
        return pd.DataFrame(rows, columns=SWITCH_COLUMNS), notes
    t_top = int(top[0])
    none: list[str] = []
    for j, name in enumerate(names):
        if w[j] >= 1 or len(w) == 1:
            for d in ("down", "up"):
                rows.append(_switch_row(name, d, w[j], np.nan, None))
            none.append(f"{name!r} (the only weighted criterion)")
            continue
        others = np.delete(np.arange(len(w)), j)
        a = norm[:, j]
        b = norm[:, others] @ (w[others] / w[others].sum())
        ap, bp = a - a[t_top], b - b[t_top]
        slope = ap - bp
        with np.errstate(divide="ignore", invalid="ignore"):
            tstar = np.where(slope != 0, -bp / slope, np.nan)
        tstar[t_top] = np.nan
        tol = 1e-12
        for d in ("down", "up"):
            if d == "up":
                ok = (slope > 0) & (tstar > w[j] - tol) & (tstar <= 1 + tol)
            else:
                ok = (slope < 0) & (tstar < w[j] + tol) & (tstar >= -tol)
            if not ok.any():
                rows.append(_switch_row(name, d, w[j], np.nan, None))
                none.append(f"{name!r} {d}")
                continue
            cand = np.flatnonzero(ok)
            tv = np.round(tstar[cand], _DIGITS)
            best = tv.min() if d == "up" else tv.max()
            at = cand[tv == best]
            # among needs crossing at the same weight, the one that leads just beyond it
            sl = np.round(slope[at], _DIGITS)
            lead = at[sl == (sl.max() if d == "up" else sl.min())]
            t_val = float(np.clip(tstar[lead[0]], 0.0, 1.0))
            # needs that cross together and stay level beyond: all named, sorted, joined by " / "
            new_top = (
                needs[lead[0]]
                if len(lead) == 1
                else " / ".join(sorted(str(v) for v in needs[lead]))
            )
            rows.append(_switch_row(name, d, w[j], t_val, new_top))
    if none:
        notes.append(
            f"switch points: the top need {needs[t_top]!r} stays on top for every weight in "
            f"[0, 1] of {', '.join(none)} (reported as NaN)."
        )
    return pd.DataFrame(rows, columns=SWITCH_COLUMNS), notes


def _switch_row(name: str, d: str, base: float, t: float, new_top: Any) -> dict[str, Any]:
    change = t / base - 1 if base > 0 and np.isfinite(t) else np.nan
    return {
        "criterion": name,
        "direction": d,
        "base_weight": float(base),
        "weight": t,
        "change": change,
        "new_top": new_top,
    }


def check_changes(sensitivity: Any) -> list[float]:
    """The relative weight changes of the sensitivity runs: -c and +c for each c given."""
    if isinstance(sensitivity, (int, float)) and not isinstance(sensitivity, bool):
        sensitivity = (sensitivity,)
    if sensitivity is None:
        return []
    vals = []
    for c in sensitivity:
        ok = isinstance(c, (int, float)) and not isinstance(c, bool) and 0 < float(c) < 1
        if not ok:
            raise ConfigError(
                f"sensitivity must hold relative weight changes strictly between 0 and 1 "
                f"(e.g. (0.1, 0.2) for +-10% and +-20%), got {c!r}."
            )
        vals.append(float(c))
    return sorted({-c for c in vals} | set(vals))


# ----------------------------------------------------------------------------- main


def priority_table(
    data: pd.DataFrame,
    criteria: Mapping[str, float] | Sequence[str] | Any,
    *,
    need: Hashable = "need",
    direction: Mapping[str, Direction] | None = None,
    scale: Scale = "minmax",
    missing: Missing = "error",
    sensitivity: Sequence[float] | None = (0.1, 0.2),
    lang: Lang = "en",
) -> PriorityResult:
    """Score and rank needs with a transparent weighted scoring model.

    Each criterion is normalised so that larger is better, then

    .. math:: \\text{score}_i = \\sum_j w_j \\, z_{ij}, \\qquad \\text{contrib}_{ij} = w_j z_{ij}

    with :math:`w_j` the criterion weights (summing to 1) and :math:`z_{ij}` the normalised value
    of need *i* on criterion *j* (simple additive weighting, Hwang & Yoon 1981).

    Normalisation (``scale``), for a benefit criterion and, reversed, for a cost criterion:

    - ``"minmax"``: (x - min) / (max - min), 0..1; cost: (max - x) / (max - min).
    - ``"rank"``: average ranks r (1 = smallest, ties averaged) scaled (r - 1) / (n - 1) to 0..1;
      cost: ranks of -x (the smallest cost gets 1).
    - ``"z"``: (x - mean) / sd with the sample sd (n - 1); cost: -(x - mean) / sd.
    - ``"max"``: x / max (values must be >= 0); cost: min / x (values must be > 0), the linear
      max normalisation of Hwang & Yoon (1981).

    A constant criterion (zero range, zero sd, or one need) cannot separate needs: its normalised
    values are 0 (contribution 0, never NaN) with a note.

    Parameters
    ----------
    data : DataFrame
        One row per need: the ``need`` id column (unique), one numeric column per criterion, and
        optionally ``label``/``label_en``/``label_zh`` (kept in the table).
    criteria : mapping, list or AhpResult
        Criterion column -> weight; a list of criteria (equal weights); or any object with a
        ``.weights`` Series (an :class:`AhpResult`). Weights must be finite, >= 0 and not all 0;
        weights that do not sum to 1 are divided by their sum, with a note.
    need : hashable, default "need"
        The need id column.
    direction : mapping, optional
        Criterion -> ``"benefit"`` (larger is better, the default) or ``"cost"`` (smaller is
        better: cost, effort, risk).
    scale : {"minmax", "rank", "z", "max"}, default "minmax"
        Normalisation, see above.
    missing : {"error", "worst", "exclude"}, default "error"
        Missing criterion values: ``"error"`` raises naming the needs and criteria; ``"worst"``
        gives the need the worst normalised value observed on that criterion (normalisation uses
        the observed values only), with a note; ``"exclude"`` drops the need (``n_excluded``,
        with a note).
    sensitivity : sequence of float or None, default (0.1, 0.2)
        Relative weight changes c: each criterion's weight is multiplied by (1 - c) and (1 + c)
        in turn, the other weights rescaled to sum to 1 - w' keeping their proportions
        (w'_k = w_k (1 - w'_j) / (1 - w_j)); a moved weight above 1 is capped at 1 with a note.
        ``None`` or ``()`` skips the runs (switch points are still computed).
    lang : {"en", "zh"}, default "en"
        Language of the plot labels.

    Returns
    -------
    PriorityResult
        ``.table`` (best first): ``need``, labels, the raw criteria, ``contrib_<criterion>``,
        ``score``, ``rank`` (ties share the lowest rank), ``tied``; ``.sensitivity`` (one row
        per criterion x change x need); ``.switch_points``: for each criterion and direction the
        exact weight at which another need overtakes the top need (where their scores become
        equal, found by solving the linear score equations; NaN with a note when no weight in
        [0, 1] changes the top) and that need (``new_top``).

    Raises
    ------
    SchemaError
        ``need`` or a criterion not in the data (the message lists the columns).
    DataError
        Duplicate or missing need ids, non-numeric or infinite values, missing values with
        ``missing="error"``, negative values with ``scale="max"``, every need excluded.
    ConfigError
        Bad options, criteria or weights, a ``direction`` for a criterion not in ``criteria``.

    References
    ----------
    Hwang, C.-L., & Yoon, K. (1981). *Multiple Attribute Decision Making: Methods and
    Applications*. Springer (simple additive weighting; linear normalisations).
    Triantaphyllou, E. (2000). *Multi-Criteria Decision Making Methods: A Comparative Study*,
    ch. 8 (sensitivity of weighted-sum rankings to the weights). Springer.

    Examples
    --------
    >>> df = pd.DataFrame({"need": ["N1", "N2", "N3"], "importance": [10, 0, 5],
    ...                    "effort": [8, 2, 2]})
    >>> res = priority_table(df, {"importance": 0.5, "effort": 0.5},
    ...                      direction={"effort": "cost"}, sensitivity=None)
    >>> res.table[["need", "contrib_importance", "contrib_effort", "score", "rank"]]
      need  contrib_importance  contrib_effort  score  rank
    0   N3                0.25             0.5   0.75     1
    1   N1                0.50             0.0   0.50     2
    2   N2                0.00             0.5   0.50     2
    """
    check_option(scale, SCALES, "scale")
    check_option(missing, MISSING, "missing")
    check_option(lang, ("en", "zh"), "lang")
    changes = check_changes(sensitivity)
    data = check_frame(data)
    weights, notes = resolve_criteria(criteria)
    names = [str(c) for c in weights.index]
    check_columns(data, need, what="need id column")
    check_columns(data, list(weights.index), what="criterion")
    check_unique(data, need)
    dirs: dict[str, str] = {c: "benefit" for c in names}
    for k, v in dict(direction or {}).items():
        if str(k) not in dirs:
            raise ConfigError(
                f"direction names {k!r}, which is not a criterion; criteria are {names}."
            )
        check_option(v, ("benefit", "cost"), f"direction[{k!r}]")
        dirs[str(k)] = v
    x = np.column_stack([check_numeric(data, c).to_numpy(float) for c in weights.index])
    needs_all = data[need].to_numpy(dtype=object)
    na = np.isnan(x)
    keep = np.ones(len(data), dtype=bool)
    if na.any():
        cols_na = [names[j] for j in np.flatnonzero(na.any(axis=0))]
        rows_na = needs_all[na.any(axis=1)]
        if missing == "error":
            detail = "; ".join(
                f"{names[j]!r} for needs {preview(needs_all[na[:, j]])}"
                for j in np.flatnonzero(na.any(axis=0))[:5]
            )
            raise DataError(
                f"criteria have missing values: {detail}. Fill them, or pass missing='worst' "
                "(score them at the worst observed value) or missing='exclude' (drop those needs)."
            )
        if missing == "exclude":
            keep = ~na.any(axis=1)
            if not keep.any():
                raise DataError(
                    f"every need has a missing value in {cols_na}; nothing left to score."
                )
            notes.append(
                f"{int((~keep).sum())} of {len(data)} needs excluded (missing='exclude'): "
                f"{preview(rows_na, 10)} lack a value in {cols_na}."
            )
        else:
            empty = [names[j] for j in np.flatnonzero(na.all(axis=0))]
            if empty:
                raise DataError(
                    f"criteria {empty} have no values at all; drop them from criteria or fill "
                    "them in."
                )
            notes.append(
                "missing criterion values scored at the worst normalised value observed on that "
                "criterion (missing='worst'): "
                + "; ".join(
                    f"{names[j]!r} for {preview(needs_all[na[:, j]])}"
                    for j in np.flatnonzero(na.any(axis=0))
                )
                + "."
            )
    xs = x[keep]
    needs = needs_all[keep]
    n = len(xs)
    norm = np.zeros_like(xs)
    constant = []
    for j, c in enumerate(names):
        obs = ~np.isnan(xs[:, j])
        nv, const = _normalise(xs[obs, j], scale, dirs[c] == "cost", c)
        col = np.full(n, nv.min() if len(nv) else 0.0)
        col[obs] = nv
        norm[:, j] = col
        if const:
            constant.append(c)
    if constant:
        notes.append(
            f"criteria {constant} take the same value for every need, so they cannot separate "
            "needs: normalised to 0 (contribution 0)."
        )
    w = weights.to_numpy(float)
    contrib = norm * w
    score = contrib.sum(axis=1)
    cols = [need, *[c for c in LABEL_COLUMNS if c in data.columns and c != need]]
    table = data.loc[keep, cols].reset_index(drop=True)
    table = table.rename(columns={need: "need"})
    for j, c in enumerate(weights.index):
        table[str(c)] = xs[:, j]
    for j, c in enumerate(names):
        table[f"contrib_{c}"] = contrib[:, j]
    table, tie_notes = ranked_table(table, score)
    notes += tie_notes
    sens = pd.DataFrame(columns=SENSITIVITY_COLUMNS)
    if changes:
        sens, s_notes = _sensitivity(norm, w, names, needs, changes)
        notes += s_notes
    switch, sw_notes = _switch_points(norm, w, names, needs)
    notes += sw_notes
    return PriorityResult(
        table,
        criteria=weights,
        direction=dirs,
        scale=scale,
        method="weighted",
        sensitivity=sens,
        switch_points=switch,
        normalised=pd.DataFrame(norm, index=pd.Index(needs, name="need"), columns=names),
        lang=lang,
        n_used=int(keep.sum()),
        n_excluded=int((~keep).sum()),
        notes=tuple(notes),
    )
