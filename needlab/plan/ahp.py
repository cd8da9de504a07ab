"""Criterion weights from pairwise judgements: Saaty's analytic hierarchy process (AHP).

A person judges, for every pair of criteria, how many times more important one is than the
other on Saaty's 1-9 scale; the weights are the principal (Perron) eigenvector of the reciprocal
judgement matrix, and the consistency ratio says how far the judgements are from a consistent
set. The weights plug straight into ``priority_table(..., criteria=result)``.

References
----------
Saaty, T. L. (1977). A scaling method for priorities in hierarchical structures. *Journal of
Mathematical Psychology*, 15(3), 234-281.
Saaty, T. L. (1980). *The Analytic Hierarchy Process*. New York: McGraw-Hill.
Saaty, T. L. (1987). The analytic hierarchy process: what it is and how it is used.
*Mathematical Modelling*, 9(3-5), 161-176.
Saaty, T. L. (2008). Decision making with the analytic hierarchy process. *International
Journal of Services Sciences*, 1(1), 83-98.
Donegan, H. A., & Dodd, F. J. (1991). A note on Saaty's random indexes. *Mathematical and
Computer Modelling*, 15(10), 135-137.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, cast

import numpy as np
import pandas as pd

from needlab._result import Result
from needlab._types import Lang
from needlab._validate import SHOW, check_option, preview
from needlab.errors import ConfigError, DataError, NeedlabWarning, SchemaError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["RANDOM_INDEX", "AhpResult", "RandomIndex", "ahp"]

RandomIndex = Literal["saaty1980", "saaty2005", "donegan_dodd1991"]

RANDOM_INDEX: dict[str, tuple[str, dict[int, float]]] = {
    "saaty1980": (
        "Saaty (1980), The Analytic Hierarchy Process, table 1.7; also Saaty (1987), "
        "Mathematical Modelling 9, 161-176",
        {
            1: 0.0,
            2: 0.0,
            3: 0.58,
            4: 0.90,
            5: 1.12,
            6: 1.24,
            7: 1.32,
            8: 1.41,
            9: 1.45,
            10: 1.49,
        },
    ),
    "saaty2005": (
        "Saaty (2005), Theory and Applications of the Analytic Network Process, p. 31",
        {
            1: 0.0,
            2: 0.0,
            3: 0.52,
            4: 0.89,
            5: 1.11,
            6: 1.25,
            7: 1.35,
            8: 1.40,
            9: 1.45,
            10: 1.49,
            11: 1.52,
            12: 1.54,
            13: 1.56,
            14: 1.58,
            15: 1.59,
        },
    ),
    "donegan_dodd1991": (
        "Donegan & Dodd (1991), Mathematical and Computer Modelling 15(10), 135-137",
        {
            1: 0.0,
            2: 0.0,
            3: 0.4914,
            4: 0.8286,
            5: 1.0591,
            6: 1.1797,
            7: 1.2519,
            8: 1.3171,
            9: 1.3733,
            10: 1.4055,
            11: 1.4213,
            12: 1.4497,
            13: 1.4643,
            14: 1.4822,
            15: 1.4969,
            16: 1.5078,
            17: 1.5153,
            18: 1.5262,
            19: 1.5313,
            20: 1.5371,
        },
    ),
}
"""Published random-index tables: name -> (source, {n: RI}). The RI is the mean consistency
index of random reciprocal matrices of order n, so the tables differ with the simulation
(number of matrices, scale values) and give different consistency ratios for the same matrix."""

CR_LIMIT = 0.10
"""Saaty's acceptance threshold for the consistency ratio (for n >= 5; Saaty 1980)."""

RECIPROCITY_TOLERANCE = 0.02
"""Largest accepted ``|a_ij * a_ji - 1|``: rounded reciprocals such as 0.33 for 1/3 or 0.14
for 1/7 pass; the cells are then made exactly reciprocal (geometric mean, with a note)."""

_SCALE_LOW, _SCALE_HIGH = 1 / 9, 9.0
_SCALE_SLACK = 1e-3  # 0.111 for 1/9 is accepted

LABELS = {
    "en": {
        "inconsistent": (
            "The judgements are inconsistent: CR = {cr:.3f} > 0.10 (random index {ri_name}, "
            "RI({n}) = {ri:.4g}). The judgement furthest from the weights is {a!r} vs {b!r} "
            "(given {given:.3g}, the weights imply {implied:.3g}); revise it and recompute."
        ),
        "small": "CR is 0 by definition for n = {n} criteria (every 2x2 reciprocal matrix is "
        "consistent).",
        "symmetrised": "{k} pairs were not exactly reciprocal (within the tolerance "
        "{tol}); each pair was replaced by the geometric mean sqrt(a_ij / a_ji): {pairs}.",
        "weight": "weight",
        "title": "AHP weights (CR = {cr:.3f}, {state})",
        "ok": "consistent",
        "bad": "inconsistent",
    },
    "zh": {
        "inconsistent": (
            "判断不一致：CR = {cr:.3f} > 0.10（随机一致性指标 {ri_name}，RI({n}) = {ri:.4g}）。"
            "与权重偏离最大的判断是 {a!r} 对 {b!r}（给定 {given:.3g}，权重隐含 {implied:.3g}），"
            "请修改后重新计算。"
        ),
        "small": "{n} 个准则时 CR 按定义为 0（任何 2x2 互反矩阵都是一致的）。",
        "symmetrised": "{k} 对判断不完全互反（在容差 {tol} 之内），已用几何平均 "
        "sqrt(a_ij / a_ji) 替换：{pairs}。",
        "weight": "权重",
        "title": "AHP 权重（CR = {cr:.3f}，{state}）",
        "ok": "一致",
        "bad": "不一致",
    },
}


@dataclass(frozen=True, repr=False)
class AhpResult(Result):
    """Result of :func:`ahp`.

    The counting unit is the input row: a row of the judgement matrix (one per criterion) or
    one judgement of a list. Every row enters the computation (``n_excluded`` is 0); bad input
    is an error, never dropped.

    Attributes
    ----------
    table : DataFrame
        One row per criterion: ``criterion``, ``weight`` (sums to 1), ``rank`` (1 = heaviest;
        ties share the smallest rank), in the criterion order of the input.
    weights : Series
        Criterion -> weight (sums to 1): pass it, or the result itself, as ``criteria=`` of
        :func:`~needlab.plan.priority.priority_table`.
    matrix : DataFrame
        The reciprocal judgement matrix used (rows and columns = criteria).
    lambda_max : float
        Principal eigenvalue of the matrix (>= n; = n exactly when consistent).
    ci : float
        Consistency index ``(lambda_max - n) / (n - 1)``.
    cr : float
        Consistency ratio ``ci / RI(n)`` (0 for n <= 2).
    random_index : str
        Name of the random-index table (a key of :data:`RANDOM_INDEX`).
    random_index_value : float
        ``RI(n)`` from that table.
    consistent : bool
        ``cr <= 0.10``.
    lang : {"en", "zh"}
        Language of the notes and plot labels.
    """

    weights: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    matrix: pd.DataFrame = field(default_factory=pd.DataFrame)
    lambda_max: float = math.nan
    ci: float = math.nan
    cr: float = math.nan
    random_index: str = "saaty1980"
    random_index_value: float = math.nan
    consistent: bool = True
    lang: Lang = "en"

    title = "AHP criterion weights"

    def summary(self) -> dict[str, Any]:
        """Key figures: criteria, lambda_max, CI, CR, the random index and consistency."""
        return {
            "criteria": len(self.table),
            "lambda_max": self.lambda_max,
            "ci": self.ci,
            "cr": self.cr,
            "random_index": f"{self.random_index} (RI = {self.random_index_value:.4g})",
            "consistent": self.consistent,
        }

    def tables(self) -> dict[str, pd.DataFrame]:
        """The weights and the judgement matrix, for :meth:`to_excel`."""
        m = self.matrix.copy()
        m.index.name = "criterion"
        return {"ahp weights": self.table, "ahp matrix": m.reset_index()}

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Bar chart of the weights, the consistency ratio in the title
        (:func:`needlab.plan.plot_weights.ahp_weights`)."""
        from needlab.plan.plot_weights import ahp_weights

        return ahp_weights(self, ax, **kwargs)


def _judgement_matrix(data: Sequence[Any]) -> tuple[pd.DataFrame, int]:
    """Build the matrix from a list of ``(a, b, value)`` judgements (a is value times b)."""
    rows = list(data)
    bad = [i for i, r in enumerate(rows) if not (isinstance(r, (tuple, list)) and len(r) == 3)]
    if bad:
        raise SchemaError(
            f"data as a list must hold judgements (a, b, value); entries at positions "
            f"{', '.join(map(str, bad[:SHOW]))} are not 3-tuples: {preview([rows[i] for i in bad])}."
            " Write each as (criterion_a, criterion_b, how many times a is more important)."
        )
    names: list[Hashable] = []
    for a, b, _ in rows:
        for c in (a, b):
            if c not in names:
                names.append(c)
    self_pairs = [(a, b) for a, b, _ in rows if a == b]
    if self_pairs:
        raise DataError(
            f"judgements compare a criterion with itself: {preview(self_pairs)}; the diagonal is "
            "1 by definition, remove them."
        )
    seen: dict[frozenset[Hashable], tuple[Hashable, Hashable]] = {}
    dup = []
    for a, b, _ in rows:
        key = frozenset((a, b))
        if key in seen:
            dup.append((a, b))
        seen[key] = (a, b)
    if dup:
        raise DataError(
            f"pairs judged more than once (in either order): {preview(dup)}; keep one judgement "
            "per pair (b vs a is implied as 1/value)."
        )
    pos = {c: i for i, c in enumerate(names)}
    n = len(names)
    m = np.full((n, n), np.nan)
    np.fill_diagonal(m, 1.0)
    vals = []
    for a, b, v in rows:
        try:
            fv = float(v)
        except (TypeError, ValueError) as exc:
            raise DataError(f"judgement ({a!r}, {b!r}) has a non-numeric value {v!r}.") from exc
        vals.append(((a, b), fv))
        m[pos[a], pos[b]] = fv
        m[pos[b], pos[a]] = 1 / fv if fv != 0 and math.isfinite(fv) else fv
    _check_values(vals)
    missing = [(names[i], names[j]) for i in range(n) for j in range(i + 1, n) if np.isnan(m[i, j])]
    if missing:
        raise DataError(
            f"{len(missing)} pairs of criteria have no judgement: {preview(missing)}. Give one "
            f"judgement (a, b, value) for each of the n(n-1)/2 = {n * (n - 1) // 2} pairs of "
            f"the {n} criteria, or pass the full matrix as a DataFrame."
        )
    return pd.DataFrame(m, index=pd.Index(names), columns=pd.Index(names)), len(rows)


def _check_values(cells: list[tuple[Any, float]]) -> None:
    """Non-finite, non-positive and off-scale judgements, named with their cells."""
    nonfinite = [(c, v) for c, v in cells if not math.isfinite(v)]
    if nonfinite:
        raise DataError(
            f"{len(nonfinite)} judgements are missing or infinite: "
            f"{preview(f'{c}: {v}' for c, v in nonfinite)}; every pair needs a finite value "
            "between 1/9 and 9."
        )
    low, high = _SCALE_LOW * (1 - _SCALE_SLACK), _SCALE_HIGH * (1 + _SCALE_SLACK)
    off = [(c, v) for c, v in cells if not (low <= v <= high)]
    if off:
        raise DataError(
            f"{len(off)} judgements are outside Saaty's scale 1/9..9: "
            f"{preview(f'{c}: {v:g}' for c, v in off)}. Use 1 (equal) to 9 (extreme) when the "
            "row criterion is more important, and the reciprocals 1/2..1/9 when it is less."
        )


def _matrix_from_frame(data: pd.DataFrame) -> pd.DataFrame:
    if data.shape[0] != data.shape[1]:
        raise SchemaError(
            f"the judgement matrix must be square (index = columns = criteria), got "
            f"{data.shape[0]} rows x {data.shape[1]} columns."
        )
    for what, idx in (("index", data.index), ("columns", data.columns)):
        if not idx.is_unique:
            dup = idx[idx.duplicated()].tolist()
            raise SchemaError(
                f"the judgement matrix {what} has duplicate criterion names: {preview(dup)}; "
                "name every criterion once."
            )
    if set(data.index) != set(data.columns):
        only_rows = [c for c in data.index if c not in set(data.columns)]
        only_cols = [c for c in data.columns if c not in set(data.index)]
        raise SchemaError(
            "the judgement matrix must have the same criteria as index and columns; only in "
            f"the index: {preview(only_rows) or '-'}; only in the columns: "
            f"{preview(only_cols) or '-'}. Fix the names so that both list the same criteria."
        )
    m = data.loc[:, list(data.index)]
    num = m.apply(pd.to_numeric, errors="coerce")
    text = num.isna() & m.notna()
    if text.to_numpy().any():
        cells = [f"({r!r}, {c!r}) = {m.loc[r, c]!r}" for r, c in zip(*_where(text), strict=True)]
        raise DataError(
            f"the judgement matrix has non-numeric cells: {preview(cells)}; write numbers "
            "(e.g. 3 or 0.3333 for 1/3)."
        )
    a = num.to_numpy(dtype=float)
    bad = ~np.isfinite(a)
    if bad.any():
        cells = [
            f"({r!r}, {c!r}) = {num.loc[r, c]}" for r, c in zip(*_where(bad, num), strict=True)
        ]
        raise DataError(
            f"the judgement matrix has {int(bad.sum())} missing or infinite cells: "
            f"{preview(cells)}; every cell needs a finite judgement (fill the lower triangle "
            "with the reciprocals of the upper one)."
        )
    diag = np.abs(np.diag(a) - 1) > 1e-9
    if diag.any():
        names = [f"{c!r} = {a[i, i]:g}" for i, c in enumerate(num.index) if diag[i]]
        raise DataError(
            f"the diagonal of the judgement matrix must be 1 (a criterion is as important as "
            f"itself); found {preview(names)}."
        )
    n = len(a)
    iu = np.triu_indices(n, 1)
    judged = [((num.index[i], num.columns[j]), a[i, j]) for i, j in zip(*iu, strict=True)]
    judged += [((num.index[j], num.columns[i]), a[j, i]) for i, j in zip(*iu, strict=True)]
    _check_values(judged)
    return pd.DataFrame(a, index=num.index, columns=num.index)


def _where(mask: Any, frame: pd.DataFrame | None = None) -> tuple[list[Any], list[Any]]:
    arr = np.asarray(mask)
    f = mask if frame is None else frame
    r, c = np.nonzero(arr)
    return [f.index[int(i)] for i in r], [f.columns[int(j)] for j in c]


def _principal(a: np.ndarray) -> tuple[float, np.ndarray]:
    """Perron eigenvalue and eigenvector (normalised to sum 1) of a positive matrix."""
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    lam = float(values[k].real)
    v = np.abs(vectors[:, k].real)
    return lam, v / v.sum()


def ahp(
    data: pd.DataFrame | Sequence[tuple[Hashable, Hashable, float]],
    *,
    random_index: RandomIndex = "saaty1980",
    lang: Lang = "en",
) -> AhpResult:
    """Criterion weights from pairwise judgements (Saaty's AHP eigenvector method).

    Each judgement ``a_ij`` says how many times criterion *i* is more important than *j* on
    Saaty's scale (1 equal, 3 moderate, 5 strong, 7 very strong, 9 extreme; 2, 4, 6, 8 between;
    reciprocals 1/2..1/9 when *i* is less important); ``a_ji = 1 / a_ij``. The weights ``w``
    are the principal right eigenvector of ``A`` (``A w = lambda_max w``), normalised to sum 1
    (Saaty 1977, 1980). For a consistent matrix (``a_ij = w_i / w_j``) ``lambda_max = n`` and the
    weights are recovered exactly; otherwise ``lambda_max > n`` and

    * consistency index ``CI = (lambda_max - n) / (n - 1)``,
    * consistency ratio ``CR = CI / RI(n)``, where ``RI(n)`` is the mean CI of random
      reciprocal matrices of order *n*.

    Several published random-index tables exist and give different ratios for the same matrix
    (:data:`RANDOM_INDEX`): the default ``"saaty1980"`` is Saaty's original table (Saaty 1980;
    reprinted in Saaty 1987): n = 1..10 -> 0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49.
    ``"saaty2005"`` (n <= 15) and ``"donegan_dodd1991"`` (n <= 20; values as tabulated in the
    AHPy package) are the alternatives. For ``n <= 2`` CR is 0 by definition (every 2x2
    reciprocal matrix is consistent). A CR above 0.10 (Saaty's threshold) gives a
    :class:`~needlab.errors.NeedlabWarning` and a note naming the judgement furthest from the
    weights (largest ``|log(a_ij w_j / w_i)|``), the first to revisit.

    Parameters
    ----------
    data : DataFrame or list of (a, b, value)
        Either the square judgement matrix (index = columns = criterion names, diagonal 1,
        lower triangle the reciprocals of the upper one), or one judgement ``(a, b, value)``
        per pair meaning "a is *value* times as important as b" (``b`` vs ``a`` is implied);
        every pair must be judged exactly once.
    random_index : {"saaty1980", "saaty2005", "donegan_dodd1991"}, default "saaty1980"
        The random-index table for the consistency ratio.
    lang : {"en", "zh"}, default "en"
        Language of the notes and plot labels.

    Returns
    -------
    AhpResult
        ``.table`` (criterion, weight, rank), ``.weights`` (Series summing to 1), ``lambda_max``,
        ``ci``, ``cr``, ``random_index`` and ``random_index_value``, ``consistent``.

    Raises
    ------
    SchemaError
        A matrix that is not square, whose index and columns differ, or with duplicate names;
        a list entry that is not an ``(a, b, value)`` triple.
    DataError
        Fewer than 2 criteria; non-numeric, missing or infinite judgements; values outside
        1/9..9; a diagonal other than 1; cells that are not reciprocal (``|a_ij a_ji - 1| >
        0.02``); pairs without a judgement, judged twice, or a criterion judged against itself.
    ConfigError
        An unknown ``random_index`` or a table that has no value for this many criteria.

    Warns
    -----
    NeedlabWarning
        When CR > 0.10.

    Examples
    --------
    >>> res = ahp([("price", "speed", 3), ("price", "design", 5), ("speed", "design", 2)])
    >>> res.table.round(4)
      criterion  weight  rank
    0     price  0.6483     1
    1     speed  0.2297     2
    2    design  0.1220     3
    >>> round(res.cr, 4), res.consistent
    (0.0032, True)
    """
    check_option(random_index, tuple(RANDOM_INDEX), "random_index")
    check_option(lang, ("en", "zh"), "lang")
    text = LABELS[lang]
    notes: list[str] = []
    if isinstance(data, pd.DataFrame):
        matrix = _matrix_from_frame(data)
        n_rows = len(data)
    elif isinstance(data, (list, tuple)):
        if len(data) == 0:
            raise DataError("data holds no judgements; give at least one pair (a, b, value).")
        matrix, n_rows = _judgement_matrix(data)
    else:
        raise SchemaError(
            f"data must be a square DataFrame or a list of judgements (a, b, value), got "
            f"{type(data).__name__}."
        )
    n = len(matrix)
    if n < 2:
        raise DataError(
            f"AHP needs at least 2 criteria, got {n} ({preview(list(matrix.index)) or 'none'}); "
            "add the criteria to compare."
        )
    names = list(matrix.index)
    a = matrix.to_numpy(dtype=float)
    product = a * a.T
    dev = np.abs(product - 1)
    not_recip = np.triu(dev > RECIPROCITY_TOLERANCE, 1)
    if not_recip.any():
        r, c = np.nonzero(not_recip)
        cells = [
            f"({names[i]!r}, {names[j]!r}) = {a[i, j]:g} and ({names[j]!r}, {names[i]!r}) = "
            f"{a[j, i]:g} (product {product[i, j]:.3g})"
            for i, j in zip(r, c, strict=True)
        ]
        raise DataError(
            f"the judgement matrix is not reciprocal in {int(not_recip.sum())} pairs: "
            f"{preview(cells)}. Each a_ji must be 1 / a_ij: fill the lower triangle with the "
            "reciprocals of the upper one."
        )
    loose = np.triu(dev > 1e-9, 1)
    if loose.any():
        r, c = np.nonzero(loose)
        a = np.sqrt(a / a.T)
        notes.append(
            text["symmetrised"].format(
                k=int(loose.sum()),
                tol=RECIPROCITY_TOLERANCE,
                pairs=preview(f"({names[i]!r}, {names[j]!r})" for i, j in zip(r, c, strict=True)),
            )
        )
    source, table = RANDOM_INDEX[random_index]
    if n not in table:
        covering = [k for k, (_, t) in RANDOM_INDEX.items() if n in t]
        raise ConfigError(
            f"random_index={random_index!r} ({source}) has no value for n = {n} criteria (it "
            f"covers n <= {max(table)}); choose "
            + (f"one of {covering}" if covering else "fewer criteria (group them in a hierarchy)")
            + "."
        )
    ri = table[n]
    lam, w = _principal(a)
    ci = max((lam - n) / (n - 1), 0.0)  # lambda_max >= n (Perron); clip rounding below n
    if n <= 2:
        cr = 0.0
        notes.append(text["small"].format(n=n))
    else:
        cr = ci / ri
    consistent = bool(cr <= CR_LIMIT)
    if not consistent:
        err = np.abs(np.log(a * w[None, :] / w[:, None]))
        np.fill_diagonal(err, 0)
        i, j = np.unravel_index(int(np.argmax(np.triu(err))), err.shape)
        msg = text["inconsistent"].format(
            cr=cr,
            ri_name=random_index,
            n=n,
            ri=ri,
            a=names[i],
            b=names[j],
            given=a[i, j],
            implied=w[i] / w[j],
        )
        notes.append(msg)
        warnings.warn(msg, NeedlabWarning, stacklevel=2)
    weights = pd.Series(w, index=pd.Index(names, name="criterion"), name="weight")
    rank = weights.round(12).rank(ascending=False, method="min").astype(int)
    out = pd.DataFrame(
        {"criterion": names, "weight": w, "rank": rank.to_numpy()},
    )
    return AhpResult(
        out,
        n_used=n_rows,
        n_excluded=0,
        notes=tuple(notes),
        weights=weights,
        matrix=pd.DataFrame(a, index=pd.Index(names), columns=pd.Index(names)),
        lambda_max=lam,
        ci=float(ci),
        cr=float(cr),
        random_index=cast(str, random_index),
        random_index_value=float(ri),
        consistent=consistent,
        lang=lang,
    )
