"""Best-worst scaling (MaxDiff) of need importance: counts and the maxdiff logit.

In each task a respondent sees a few items (needs) and picks the most and the least important
one. Counts summarise the choices; the multinomial logit of Marley & Louviere (2005) turns them
into utilities on a ratio scale with standard errors and shares of preference.

References
----------
Finn, A., & Louviere, J. J. (1992). Determining the appropriate response to evidence of public
concern: the case of food safety. *Journal of Public Policy & Marketing*, 11(2), 12-25.
Marley, A. A. J., & Louviere, J. J. (2005). Some probabilistic models of best, worst, and
best-worst choices. *Journal of Mathematical Psychology*, 49(6), 464-480.
Flynn, T. N., Louviere, J. J., Peters, T. J., & Coast, J. (2007). Best-worst scaling: what it
can do for health care research and how to do it. *Journal of Health Economics*, 26(1), 171-189.
Louviere, J. J., Flynn, T. N., & Marley, A. A. J. (2015). *Best-Worst Scaling: Theory, Methods
and Applications*. Cambridge University Press.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from needlab._result import Result
from needlab._stats import z_value
from needlab._types import Lang
from needlab._validate import (
    check_allowed,
    check_columns,
    check_frame,
    check_numeric,
    check_option,
    preview,
)
from needlab.errors import DataError, SchemaError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["MODEL", "MaxDiffResult", "maxdiff"]

Method = Literal["logit", "counts"]

MODEL = (
    "sequential best-worst logit (Marley & Louviere 2005): P(best = i) = exp(u_i) / "
    "sum_shown exp(u_k); P(worst = j | best = i) = exp(-u_j) / sum_(shown minus i) exp(-u_k)"
)
"""The choice model fitted by ``method="logit"``."""

_MAX_UTILITY = 15.0  # |u| beyond this means a choice probability of ~1e-7: not estimable

LABELS = {
    "en": {
        "missing": "{rows} rows in {tasks} tasks were excluded because {cols} had missing "
        "values (a task with an incomplete choice set cannot be used; rows without a "
        "respondent or task id cannot be placed in one).",
        "unbalanced": "The design is not balanced: items were shown {lo} to {hi} times "
        "(coefficient of variation {cv:.3f}); counts-based scores are compared per showing, "
        "the logit is unaffected.",
        "pairs": "{k} pairs of items never appear in the same task; their comparison rests on "
        "the other items only.",
        "reference": "Utilities are relative to the reference item {ref!r} (utility 0, "
        "standard error 0 by construction); shares of preference do not depend on it.",
        "counts": "method='counts': utility = 0.5 ln((best + 0.5) / (worst + 0.5)) (the "
        "square root of the best/worst ratio, Marley & Louviere 2005), standard error by the "
        "delta method with Poisson counts; a rough approximation of the logit.",
        "utility": "utility",
        "share": "share of preference (%)",
        "title_u": "MaxDiff utilities ({ci:.0%} CI)",
        "title_s": "MaxDiff shares of preference",
    },
    "zh": {
        "missing": "{tasks} 个任务中的 {rows} 行因 {cols} 有缺失值而被排除（选择集不完整的任务"
        "不能使用；缺少受访者或任务编号的行无法归入任务）。",
        "unbalanced": "设计不平衡：各条目出现 {lo} 到 {hi} 次（变异系数 {cv:.3f}）；计数得分按"
        "出现次数比较，logit 模型不受影响。",
        "pairs": "{k} 对条目从未出现在同一任务中；它们的比较只依赖其他条目。",
        "reference": "效用相对于参照条目 {ref!r}（效用为 0，标准误按定义为 0）；偏好份额与参照"
        "无关。",
        "counts": "method='counts'：效用 = 0.5 ln((最佳 + 0.5) / (最差 + 0.5))（最佳/最差比的"
        "平方根，Marley & Louviere 2005），标准误用泊松计数的 delta 方法；是 logit 的粗略近似。",
        "utility": "效用",
        "share": "偏好份额（%）",
        "title_u": "MaxDiff 效用（{ci:.0%} 置信区间）",
        "title_s": "MaxDiff 偏好份额",
    },
}


@dataclass(frozen=True, repr=False)
class MaxDiffResult(Result):
    """Result of :func:`maxdiff`.

    The counting unit is the input row (one respondent x task x item shown): ``n_used`` rows
    entered the counts and the model; ``n_excluded`` rows belong to tasks with a missing value
    (the reason is in :attr:`notes`).

    Attributes
    ----------
    table : DataFrame
        One row per item, sorted by rank (columns described in :func:`maxdiff`).
    method : {"logit", "counts"}
        How the utilities were estimated.
    model : str
        The choice model (:data:`MODEL` for the logit).
    reference : object or None
        The item whose utility is fixed at 0 (logit); ``None`` for counts.
    cov : DataFrame or None
        Covariance of the estimated utilities (items other than the reference; logit).
    loglike, loglike_null, pseudo_r2 : float
        Log-likelihood of the fitted model and of equal utilities, McFadden's
        ``1 - loglike / loglike_null`` (logit; all 0 for ``method="counts"``).
    n_respondents, n_tasks : int
        Respondents and tasks used.
    balance : dict
        Design balance: ``shown_min``, ``shown_max``, ``shown_cv`` (coefficient of variation
        of the times each item was shown), ``pairs_min``, ``pairs_max`` (times each pair of
        items appeared in the same task).
    ci : float
        Level of the utility intervals.
    lang : {"en", "zh"}
        Language of the notes and plot labels.
    """

    method: str = "logit"
    model: str = MODEL
    reference: Any = None
    cov: pd.DataFrame | None = None
    loglike: float = 0.0
    loglike_null: float = 0.0
    pseudo_r2: float = 0.0
    n_respondents: int = 0
    n_tasks: int = 0
    balance: dict[str, float] = field(default_factory=dict)
    ci: float = 0.95
    lang: Lang = "en"

    title = "MaxDiff (best-worst scaling)"

    @property
    def utilities(self) -> pd.Series:
        """Item -> utility (reference item 0 for the logit)."""
        return pd.Series(
            self.table["utility"].to_numpy(), index=pd.Index(self.table["item"], name="item")
        )

    @property
    def shares(self) -> pd.Series:
        """Item -> share of preference in % (sums to 100)."""
        return pd.Series(
            self.table["share"].to_numpy(), index=pd.Index(self.table["item"], name="item")
        )

    @property
    def weights(self) -> pd.Series:
        """Item -> share of preference as a fraction summing to 1 (usable as ``criteria=``)."""
        return self.shares / 100.0

    def summary(self) -> dict[str, Any]:
        """Key figures: respondents, tasks, items, method, top item, fit and balance."""
        out: dict[str, Any] = {
            "respondents": self.n_respondents,
            "tasks": self.n_tasks,
            "items": len(self.table),
            "method": self.method,
            "top item": self.table["item"].iloc[0],
        }
        if self.method == "logit":
            out["reference"] = self.reference
            out["loglike"] = self.loglike
            out["pseudo_r2"] = self.pseudo_r2
        out["shown min-max"] = f"{self.balance['shown_min']:g}-{self.balance['shown_max']:g}"
        return out

    def tables(self) -> dict[str, pd.DataFrame]:
        """The item table and, for the logit, the utility covariance."""
        out = {"maxdiff": self.table}
        if self.cov is not None:
            c = self.cov.copy()
            c.index.name = "item"
            out["utility covariance"] = c.reset_index()
        return out

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Utilities with intervals (``kind="utility"``, default) or shares of preference
        (``kind="share"``) (:func:`needlab.plan.plot_weights.maxdiff_plot`)."""
        from needlab.plan.plot_weights import maxdiff_plot

        return maxdiff_plot(self, ax, **kwargs)


def _sub(frame: pd.DataFrame, cols: list[Any], rows: Any = None) -> pd.DataFrame:
    """Columns *cols* (and the boolean *rows*) of *frame*, always a DataFrame."""
    out = frame.loc[:, cols] if rows is None else frame.loc[np.asarray(rows, dtype=bool), cols]
    return out


def _name_tasks(keys: pd.DataFrame, mask: np.ndarray, id: Any, task: Any) -> str:
    sub = keys.loc[mask, [id, task]].drop_duplicates()
    return preview(f"{id}={r!r} {task}={t!r}" for r, t in sub.itertuples(index=False))


def _design_matrix(
    task_code: np.ndarray, item_code: np.ndarray, choice: np.ndarray, k: int, ref: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stack the best and the worst choice sets of every task (sequential model).

    Best set: every item shown, covariates = item dummies. Worst set: the items shown other
    than the best one, covariates = minus the dummies. Worst sets of one item (tasks of two
    items) carry no information and are left out. The reference item's column is dropped.
    """
    dummies = np.zeros((len(item_code), k))
    dummies[np.arange(len(item_code)), item_code] = 1.0
    dummies = np.delete(dummies, ref, axis=1)
    not_best = choice != 1
    worst_sizes = np.bincount(task_code[not_best], minlength=int(task_code.max()) + 1)
    keep_w = not_best & (worst_sizes[task_code] > 1)
    endog = np.concatenate([(choice == 1).astype(float), (choice[keep_w] == -1).astype(float)])
    exog = np.vstack([dummies, -dummies[keep_w]])
    groups = np.concatenate([2 * task_code, 2 * task_code[keep_w] + 1])
    order = np.argsort(groups, kind="stable")
    return endog[order], exog[order], groups[order]


def _newton(
    endog: np.ndarray, exog: np.ndarray, groups: np.ndarray, *, tol: float = 1e-10
) -> tuple[np.ndarray, np.ndarray, float]:
    """Maximum of the conditional-logit likelihood by Newton-Raphson (vectorised, exact
    gradient and Hessian; groups sorted, one chosen row per group).

    Returns the parameters (the starting values that let ConditionalLogit converge at once)
    the observed information ``sum_g X_g' (diag p_g - p_g p_g') X_g`` and the log-likelihood
    at them."""
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    size = np.diff(np.r_[starts, len(groups)])
    gi = np.repeat(np.arange(len(starts)), size)

    def loglike(b: np.ndarray) -> tuple[float, np.ndarray]:
        eta = exog @ b
        mx = np.maximum.reduceat(eta, starts)
        lse = mx + np.log(np.add.reduceat(np.exp(eta - mx[gi]), starts))
        return float(endog @ eta - lse.sum()), np.exp(eta - lse[gi])

    def information(p: np.ndarray) -> np.ndarray:
        m = np.add.reduceat(p[:, None] * exog, starts)
        return np.asarray((exog * p[:, None]).T @ exog - m.T @ m)

    b = np.zeros(exog.shape[1])
    ll, p = loglike(b)
    for _ in range(100):
        grad = exog.T @ (endog - p)
        hess = information(p)
        step = np.linalg.solve(hess + 1e-12 * np.eye(len(b)), grad)
        t = 1.0
        while True:
            nll, np_ = loglike(b + t * step)
            if nll >= ll - 1e-12 or t < 1e-8:
                break
            t /= 2
        b, ll, p = b + t * step, nll, np_
        if np.max(np.abs(t * step)) < tol:
            break
    return b, information(p), ll


def maxdiff(
    data: pd.DataFrame,
    *,
    id: Hashable = "resp_id",
    task: Hashable = "task",
    item: Hashable = "item",
    choice: Hashable = "choice",
    method: Method = "logit",
    ci: float = 0.95,
    lang: Lang = "en",
) -> MaxDiffResult:
    """Best-worst scaling (MaxDiff): counts and the maxdiff logit of item importance.

    ``data`` is long: one row per respondent x task x item shown, ``choice`` = 1 for the item
    picked as best (most important), -1 for the worst (least important), 0 otherwise.

    **Counts** per item: ``shown``, ``best``, ``worst``, ``best_minus_worst``,
    ``bw_score = (best - worst) / shown`` (in -1..1, comparable across unequal showings),
    ``best_rate = best / shown``, ``worst_rate = worst / shown`` (Finn & Louviere 1992;
    Louviere, Flynn & Marley 2015, ch. 1).

    **Logit** (``method="logit"``): the *sequential* best-worst model of Marley & Louviere
    (2005): the best item is a conditional-logit choice among the items shown with utilities
    ``u``; the worst item is then a conditional-logit choice among the remaining items with
    utilities ``-u``::

        P(best = i, worst = j) = exp(u_i) / sum_S exp(u_k) * exp(-u_j) / sum_{S - i} exp(-u_k)

    It is fitted by maximum likelihood with statsmodels' ``ConditionalLogit``: each task gives
    two choice groups (best: the shown items, covariates = item dummies; worst: the others,
    covariates = minus the dummies); one item (the first in sorted order) is the reference
    with ``u = 0``. Standard errors come from the inverse Hessian; intervals are
    ``u +- z se``. **Shares of preference** are ``100 exp(u_i) / sum exp(u_k)`` (independent
    of the reference). Respondents are pooled and unweighted (no survey weights: a MaxDiff
    block is a design, not a sample estimate).

    ``method="counts"`` skips the model: ``utility = 0.5 ln((best + 0.5) / (worst + 0.5))``
    (the square-root best/worst ratio, Marley & Louviere 2005; 0.5 keeps it finite), with the
    delta-method ``se = 0.5 sqrt(1 / (best + 0.5) + 1 / (worst + 0.5))``. Use it when an item
    is always picked best (or worst) and the logit utility is infinite.

    **Design checks**: every item must appear (an unused category of a categorical ``item``
    is an error naming it); every task needs exactly one best and one worst, different items,
    each item at most once; the items must be connected through shared tasks. Unequal showings
    and pairs that never meet give a note with the minimum and maximum counts and the
    coefficient of variation of showings (``balance``). Rows with a missing value in any of
    the four columns exclude their whole task (counted in ``n_excluded``, with a note).

    Parameters
    ----------
    data : DataFrame
        Long MaxDiff data.
    id, task, item, choice : column names, default "resp_id", "task", "item", "choice"
        Respondent id, task number within respondent, item shown, and the choice code.
    method : {"logit", "counts"}, default "logit"
        How utilities are estimated.
    ci : float, default 0.95
        Level of the utility intervals.
    lang : {"en", "zh"}, default "en"
        Language of the notes and plot labels.

    Returns
    -------
    MaxDiffResult
        ``.table`` sorted by rank: item, shown, best, worst, best_minus_worst, bw_score,
        best_rate, worst_rate, utility, se, ci_low, ci_high, share (%), rank (1 = most
        important; ties share the smallest rank).

    Raises
    ------
    SchemaError
        Missing columns.
    DataError
        Choice codes other than 1, -1, 0; an item that never appears; a task without exactly
        one best and one worst, with best = worst, or with an item shown twice (naming the
        respondent and task); items in disconnected groups; fewer than 2 items; a logit
        utility that is infinite (an item always best or always worst).
    ConfigError
        An unknown ``method`` or ``lang``, or ``ci`` outside (0, 1).

    Examples
    --------
    >>> rows = []
    >>> for r in range(3):
    ...     for t, (shown, best, worst) in enumerate(
    ...         [("ABC", "A", "C"), ("ABD", "B", "D"), ("ACD", "A", "D"), ("BCD", "C", "B")]
    ...     ):
    ...         for it in shown:
    ...             rows.append((r, t, it, 1 if it == best else -1 if it == worst else 0))
    >>> df = pd.DataFrame(rows, columns=["resp_id", "task", "item", "choice"])
    >>> res = maxdiff(df, method="counts")
    >>> res.table[["item", "shown", "best", "worst", "bw_score", "rank"]]
      item  shown  best  worst  bw_score  rank
    0    A      9     6      0  0.666667     1
    1    B      9     3      3  0.000000     2
    2    C      9     3      3  0.000000     2
    3    D      9     0      6 -0.666667     4
    """
    check_option(method, ("logit", "counts"), "method")
    check_option(lang, ("en", "zh"), "lang")
    z = z_value(ci)
    text = LABELS[lang]
    id_: Any = id  # column labels (Hashable) typed loosely for the pandas stubs
    task_: Any = task
    item_: Any = item
    choice_: Any = choice
    check_frame(data)
    roles: list[Any] = [id_, task_, item_, choice_]
    if len(set(roles)) < 4:
        raise SchemaError(f"id, task, item and choice must be four different columns, got {roles}.")
    check_columns(data, roles)
    n_rows = len(data)
    notes: list[str] = []

    # missing values: the whole task goes
    na: np.ndarray = _sub(data, roles).isna().to_numpy()
    row_na = na.any(axis=1)
    keep = ~row_na
    if row_na.any():
        keys_ok = ~(na[:, 0] | na[:, 1])
        bad_keys = _sub(data, [id_, task_], row_na & keys_ok).drop_duplicates()
        in_bad = pd.MultiIndex.from_frame(_sub(data, [id_, task_])).isin(
            pd.MultiIndex.from_frame(bad_keys)
        )
        keep = keep & ~in_bad
        cols = [
            str(c)
            for c, m in zip(roles, np.asarray(na.any(axis=0), dtype=bool).tolist(), strict=True)
            if m
        ]
        notes.append(
            text["missing"].format(
                rows=int((~keep).sum()), tasks=len(bad_keys) + int((~keys_ok).any()), cols=cols
            )
        )
    df = _sub(data, roles, keep)
    if df.empty:
        raise DataError(
            f"no complete rows: every row has a missing value in {roles}; fill them in."
        )
    ch = check_numeric(df, choice_)
    check_allowed(
        pd.DataFrame({choice_: ch.to_numpy()}),
        choice_,
        [1, -1, 0],
        fix=f"code column {choice!r} as 1 = best, -1 = worst, 0 = shown but not chosen",
    )
    chv = ch.to_numpy().astype(int)

    # items: every category must appear
    item_s = data[item_]
    if isinstance(item_s.dtype, pd.CategoricalDtype):
        categories = list(item_s.cat.categories)
    else:
        categories = sorted(pd.unique(df[item_]).tolist(), key=lambda v: (str(type(v)), v))
    present = set(pd.unique(df[item_]).tolist())
    never = [c for c in categories if c not in present]
    if never:
        raise DataError(
            f"{len(never)} items never appear in a (complete) task: {preview(never)}. Every "
            f"item needs showings to be scaled: fix the design, or drop the unused categories "
            f"(data[{item!r}].cat.remove_unused_categories())."
        )
    if len(categories) < 2:
        raise DataError(f"MaxDiff needs at least 2 items, got {preview(categories)}.")
    items = pd.Index(categories)
    item_code = items.get_indexer(df[item_])
    k = len(items)

    keys = _sub(df, [id_, task_]).reset_index(drop=True)
    task_code, task_index = pd.MultiIndex.from_frame(keys).factorize()
    task_code = np.asarray(task_code)
    n_tasks = len(task_index)
    pair = task_code.astype(np.int64) * k + item_code
    is_best = chv == 1
    is_worst = chv == -1
    # best == worst: the same item marked best and worst in one task
    both = np.zeros(n_tasks * k, dtype=np.int8)
    np.bitwise_or.at(both, pair, np.where(is_best, 1, np.where(is_worst, 2, 0)).astype(np.int8))
    same = both[pair] == 3
    if same.any():
        raise DataError(
            f"best and worst are the same item in {len(np.unique(task_code[same]))} tasks: "
            f"{_name_tasks(keys, same, id_, task_)}; the worst pick must differ from the best one."
        )
    dup = pd.Series(pair).duplicated(keep=False).to_numpy()
    if dup.any():
        raise DataError(
            f"an item is listed twice in {len(np.unique(task_code[dup]))} tasks: "
            f"{_name_tasks(keys, dup, id_, task_)} (items {preview(df[item_].to_numpy()[dup])}); "
            "each item appears at most once per task."
        )
    n_best = np.bincount(task_code, weights=is_best, minlength=n_tasks)
    n_worst = np.bincount(task_code, weights=is_worst, minlength=n_tasks)
    bad_task = (n_best != 1) | (n_worst != 1)
    if bad_task.any():
        mask = bad_task[task_code]
        detail = preview(
            f"{id}={r!r} {task}={t!r} ({int(n_best[c])} best, {int(n_worst[c])} worst)"
            for c, (r, t) in zip(np.flatnonzero(bad_task), task_index[bad_task], strict=True)
        )
        raise DataError(
            f"{int(bad_task.sum())} tasks do not have exactly one best and one worst choice: "
            f"{detail}. Code one item 1 (best) and one item -1 (worst) per task "
            f"({int(mask.sum())} rows affected)."
        )

    # counts
    shown = np.bincount(item_code, minlength=k).astype(float)
    best = np.bincount(item_code, weights=is_best, minlength=k)
    worst = np.bincount(item_code, weights=is_worst, minlength=k)

    # design: balance and connectivity
    incid = np.zeros((n_tasks, k))
    incid[task_code, item_code] = 1.0
    co = incid.T @ incid
    iu = np.triu_indices(k, 1)
    pairs = co[iu]
    from scipy.sparse.csgraph import connected_components

    n_comp, comp = connected_components(co > 0, directed=False)
    if n_comp > 1:
        groups = [preview(items[comp == g].tolist()) for g in range(n_comp)]
        raise DataError(
            f"the items fall into {n_comp} groups that never share a task: "
            f"{'; '.join(groups)}. Their utilities cannot be compared: add tasks mixing items "
            "of different groups."
        )
    cv = float(shown.std() / shown.mean())
    balance = {
        "shown_min": float(shown.min()),
        "shown_max": float(shown.max()),
        "shown_cv": cv,
        "pairs_min": float(pairs.min()),
        "pairs_max": float(pairs.max()),
    }
    if shown.min() != shown.max():
        notes.append(text["unbalanced"].format(lo=int(shown.min()), hi=int(shown.max()), cv=cv))
    if pairs.min() == 0:
        notes.append(text["pairs"].format(k=int((pairs == 0).sum())))

    cov_df: pd.DataFrame | None = None
    reference: Any = None
    loglike = loglike_null = pseudo_r2 = 0.0
    if method == "logit":
        always_best = best == shown
        always_worst = worst == shown
        extreme = always_best | always_worst
        if extreme.any():
            raise DataError(
                f"items always picked best ({preview(items[always_best].tolist()) or '-'}) or "
                f"always picked worst ({preview(items[always_worst].tolist()) or '-'}) have an "
                "infinite logit utility; use method='counts', or collect more tasks."
            )
        ref = 0
        reference = items[ref]
        endog, exog, groups_arr = _design_matrix(task_code, item_code, chv, k, ref)
        from statsmodels.discrete.conditional_models import ConditionalLogit

        model = ConditionalLogit(endog, exog, groups=groups_arr)
        start, info, loglike = _newton(endog, exog, groups_arr)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = model.fit(
                start_params=start, method="bfgs", maxiter=1000, disp=False, skip_hessian=True
            )
        params = np.asarray(fit.params, dtype=float)
        try:
            cov = np.linalg.inv(info)
        except np.linalg.LinAlgError:
            cov = np.full_like(info, np.nan)
        if np.any(np.abs(params) > _MAX_UTILITY) or not np.all(np.isfinite(cov)):
            raise DataError(
                "the maxdiff logit does not converge to finite utilities (some items are "
                "(almost) always picked best or worst relative to the others); use "
                "method='counts', or collect more tasks."
            )
        util = np.insert(params, ref, 0.0)
        se = np.insert(np.sqrt(np.clip(np.diag(cov), 0, None)), ref, 0.0)
        others = [c for i, c in enumerate(items) if i != ref]
        cov_df = pd.DataFrame(cov, index=pd.Index(others), columns=pd.Index(others))
        sizes = np.bincount(groups_arr)
        loglike_null = float(-np.log(sizes[sizes > 0]).sum())
        pseudo_r2 = 1.0 - loglike / loglike_null
        notes.append(text["reference"].format(ref=reference))
    else:
        util = 0.5 * np.log((best + 0.5) / (worst + 0.5))
        se = 0.5 * np.sqrt(1 / (best + 0.5) + 1 / (worst + 0.5))
        notes.append(text["counts"])
    e = np.exp(util - util.max())
    share = 100 * e / e.sum()
    out = pd.DataFrame(
        {
            "item": items,
            "shown": shown.astype(int),
            "best": best.astype(int),
            "worst": worst.astype(int),
            "best_minus_worst": (best - worst).astype(int),
            "bw_score": (best - worst) / shown,
            "best_rate": best / shown,
            "worst_rate": worst / shown,
            "utility": util,
            "se": se,
            "ci_low": util - z * se,
            "ci_high": util + z * se,
            "share": share,
        }
    )
    out["rank"] = out["utility"].round(10).rank(ascending=False, method="min").astype(int)
    out = out.sort_values("rank", kind="stable").reset_index(drop=True)
    return MaxDiffResult(
        out,
        n_used=int(keep.sum()),
        n_excluded=n_rows - int(keep.sum()),
        notes=tuple(notes),
        method=method,
        model=MODEL if method == "logit" else "counts (square-root best/worst ratio)",
        reference=reference,
        cov=cov_df,
        loglike=loglike,
        loglike_null=loglike_null,
        pseudo_r2=pseudo_r2 if math.isfinite(pseudo_r2) else 0.0,
        n_respondents=int(keys[id_].nunique()),
        n_tasks=n_tasks,
        balance=balance,
        ci=float(ci),
        lang=lang,
    )
