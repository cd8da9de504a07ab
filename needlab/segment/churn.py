"""Churn risk: a cross-validated classifier of customers who stop buying.

:func:`churn_risk` fits a scikit-learn classifier (logistic regression or gradient boosting) on
behavioural features, scores every customer *out of fold* (each customer scored by a model
that never saw them), and reports the cross-validated AUC, a calibration table by decile of
predicted risk, the Brier score and the feature importances. scikit-learn is imported inside
the function.

References
----------
Hanley, J. A., & McNeil, B. J. (1982). The meaning and use of the area under a receiver
operating characteristic (ROC) curve. *Radiology*, 143(1), 29-36.
Brier, G. W. (1950). Verification of forecasts expressed in terms of probability. *Monthly
Weather Review*, 78(1), 1-3.
Friedman, J. H. (2001). Greedy function approximation: a gradient boosting machine. *Annals of
Statistics*, 29(5), 1189-1232.
Neslin, S. A., Gupta, S., Kamakura, W., Lu, J., & Mason, C. H. (2006). Defection detection:
measuring and understanding the predictive accuracy of customer churn models. *Journal of
Marketing Research*, 43(2), 204-211.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from needlab._result import Result
from needlab._types import RandomState
from needlab._validate import as_design, check_columns, check_numeric, check_option, preview
from needlab.errors import ConfigError, DataError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["ChurnResult", "churn_risk"]

Model = Literal["logistic", "gbm"]


@dataclass(frozen=True, repr=False)
class ChurnResult(Result):
    """Result of :func:`churn_risk`.

    ``n_used`` counts the rows (customers) the model was fitted and scored on, ``n_excluded``
    those left out for a missing outcome or driver (noted).

    Attributes
    ----------
    table : DataFrame
        Feature importances, one row per model feature (columns described in :func:`churn_risk`).
    scores : Series
        Out-of-fold predicted churn risk per row of the input (index of the input; missing for
        excluded rows).
    calibration : DataFrame
        Deciles of predicted risk: ``decile`` (1 = lowest risk), ``n``, ``mean_predicted``,
        ``observed_rate``, ``min_predicted``, ``max_predicted``.
    auc_folds : ndarray
        ROC AUC of each cross-validation fold.
    auc_mean, auc_sd : float
        Mean and standard deviation (ddof=1) of ``auc_folds``.
    auc_oof : float
        AUC of the pooled out-of-fold scores.
    brier : float
        Brier score of the out-of-fold scores, mean of (risk - outcome)^2.
    base_rate : float
        Share of churners among the rows used.
    model : str
        ``"logistic"`` or ``"gbm"``.
    estimator : object
        The scikit-learn estimator refitted on all rows (to score new customers, build the same
        columns with :attr:`feature_names`).
    feature_names : tuple of str
        The model columns after one-hot encoding.
    rule : DataFrame or None
        With ``rule=``: the rule-based flag against the model at the same share of customers
        flagged (see :func:`churn_risk`).
    """

    scores: pd.Series | None = None
    calibration: pd.DataFrame | None = None
    auc_folds: np.ndarray | None = None
    auc_mean: float = float("nan")
    auc_sd: float = float("nan")
    auc_oof: float = float("nan")
    brier: float = float("nan")
    base_rate: float = float("nan")
    model: str = "logistic"
    estimator: Any = None
    feature_names: tuple[str, ...] = ()
    rule: pd.DataFrame | None = None

    title = "Churn risk model"

    def summary(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "churn rate": self.base_rate,
            "CV AUC (mean)": self.auc_mean,
            "CV AUC (sd)": self.auc_sd,
            "Brier score": self.brier,
        }

    def tables(self) -> dict[str, pd.DataFrame]:
        out = {"importance": self.table}
        if self.calibration is not None:
            out["calibration"] = self.calibration
        if self.scores is not None:
            out["scores"] = self.scores.rename("risk").reset_index()
        if self.rule is not None:
            out["rule_vs_model"] = self.rule
        return out

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Calibration plot: mean predicted risk vs observed churn rate per decile of risk, with
        the diagonal of perfect calibration (:func:`needlab.segment.plot.churn_calibration`)."""
        from needlab.segment.plot import churn_calibration

        return churn_calibration(self, ax=ax, **kwargs)


def _outcome(data: pd.DataFrame, outcome: Any) -> tuple[pd.Series, Hashable | None, str]:
    """The outcome values, its column name (None for an array) and a name for messages."""
    if isinstance(outcome, Hashable) and not isinstance(outcome, (tuple, np.ndarray, pd.Series)):
        check_columns(data, [outcome], what="outcome column")
        return data[outcome], outcome, repr(outcome)
    values = outcome.to_numpy() if isinstance(outcome, pd.Series) else np.asarray(outcome)
    if values.ndim != 1 or len(values) != len(data):
        raise DataError(
            f"outcome has {len(values)} values but data has {len(data)} rows; "
            "pass one outcome per row."
        )
    return pd.Series(values, index=data.index), None, "outcome"


def _seed(random_state: RandomState) -> int | None:
    """An int seed for scikit-learn (which takes no numpy Generator)."""
    if isinstance(random_state, np.random.Generator):
        return int(random_state.integers(2**31 - 1))
    return random_state


def _binary(y: pd.Series, name: str) -> np.ndarray:
    """0/1 from booleans or the numbers 0 and 1; missing stays NaN."""
    vals = y.dropna()
    if pd.api.types.is_bool_dtype(vals) or vals.isin([0, 1, True, False]).all():
        out = np.full(len(y), np.nan)
        ok = y.notna().to_numpy()
        out[ok] = vals.astype(float).to_numpy()
        return out
    bad = vals[~vals.isin([0, 1, True, False])]
    raise DataError(
        f"{name} must be a churn flag (True/False or 1/0); found {preview(bad)}. "
        "Recode it, e.g. data[col] == 'churned'."
    )


def churn_risk(
    data: Any,
    outcome: Hashable | Sequence[Any] | np.ndarray | pd.Series,
    drivers: Sequence[Hashable] | None = None,
    *,
    model: Model = "logistic",
    cv: int = 5,
    random_state: RandomState = None,
    C: float = 1.0,
    rule: Hashable | Sequence[Any] | np.ndarray | pd.Series | None = None,
) -> ChurnResult:
    """Predict churn from behavioural features with a cross-validated classifier.

    Parameters
    ----------
    data : DataFrame or Survey
        One row per customer, holding the drivers (e.g. orders, spend and days since the last
        order in an observation window) and usually the outcome. A :class:`~needlab.Survey`
        gives its codes (``survey.data``); the model is unweighted.
    outcome : column name or array-like
        The churn flag (True/False or 1/0), a column of *data* or one value per row. Measure
        it *after* the window of the drivers, or the model learns the answer. An array or
        Series is taken in row order (its index is not used for alignment).
    drivers : list of column names, optional
        The predictor columns. ``None``: every other column of *data* (all but the outcome,
        the ``rule`` column and, for a Survey, its id and weight columns). Numeric and boolean
        columns are used as they are; text and categorical columns are one-hot encoded (the
        first level dropped for ``"logistic"``).
    model : {"logistic", "gbm"}
        ``"logistic"``: standardised features and an L2-penalised logistic regression
        (``C``, the inverse penalty; ``C=numpy.inf`` for none). ``"gbm"``: gradient-boosted trees
        (scikit-learn ``GradientBoostingClassifier``, 200 trees of depth 3, learning rate 0.05).
    cv : int
        Folds of the stratified cross-validation (>= 2, at most the number of churners).
    random_state : int or numpy.random.Generator, optional
        Seed of the fold split and of the trees, for reproducible results (a Generator draws
        one seed).
    C : float
        Inverse regularisation strength of the logistic regression (ignored for ``"gbm"``).
    rule : column name or array-like, optional
        A rule-based risk flag to judge against the model, e.g. the RFM "at risk" customers
        (:meth:`needlab.segment.rfm.RFMResult.at_risk`): True/False per row, a column of
        *data* (then not used as a predictor) or one value per row in row order.

    Returns
    -------
    ChurnResult
        ``table`` has one row per model feature, by importance:

        - ``feature``: the model column (``"column = level"`` for one-hot levels).
        - ``coef`` (logistic): log-odds change per unit of the feature, on its original scale.
        - ``odds_ratio`` (logistic): ``exp(coef)``.
        - ``std_coef`` (logistic): log-odds change per standard deviation of the feature.
        - ``importance``: ``|std_coef|`` (logistic) or the impurity-based importance of the
          trees (gbm, summing to 1).

        ``scores`` holds the out-of-fold risk per row; ``calibration`` the deciles of predicted
        risk; ``auc_folds``/``auc_mean``/``auc_sd`` the fold AUCs and ``brier`` the Brier score.
        ``n_used``/``n_excluded`` count rows (customers) used and excluded; ``notes`` gives
        the rows excluded for a missing outcome or driver.

        With ``rule=``, ``rule`` compares the flag with the model flagging the *same number* of
        customers (those with the highest out-of-fold risk), one row each (``method``:
        ``"rule"``, ``"model"``): ``flagged`` and ``share_flagged``; ``precision`` (churn rate
        among the flagged, TP / flagged); ``recall`` (share of churners flagged, TP / churners);
        ``lift`` (precision / base rate; Neslin et al. 2006); ``balanced_accuracy``
        ((recall + TN / non-churners) / 2, the AUC of a yes/no score).

    Raises
    ------
    SchemaError
        Not a DataFrame or Survey, or a missing outcome or driver column.
    DataError
        An outcome that is not binary, a single class, fewer churners or non-churners than folds,
        or no driver column.
    ConfigError
        Unknown ``model``, or ``cv`` < 2.

    References
    ----------
    Hanley & McNeil (1982) for the AUC; Brier (1950) for the Brier score; Friedman (2001) for
    gradient boosting; Neslin et al. (2006) for the evaluation of churn models.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"days_since_last": rng.uniform(0, 300, 500),
    ...                   "orders": rng.poisson(3, 500)})
    >>> logit = -2 + 0.01 * X["days_since_last"] - 0.2 * X["orders"]
    >>> X["churned"] = rng.random(500) < 1 / (1 + np.exp(-logit))
    >>> res = churn_risk(X, "churned", random_state=0)
    >>> bool(res.auc_mean > 0.6), res.table["feature"].tolist()
    (True, ['days_since_last', 'orders'])
    """
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold

    design = as_design(data, weights=False)
    data = design.data
    check_option(model, ("logistic", "gbm"), "model")
    if not isinstance(cv, (int, np.integer)) or isinstance(cv, bool) or cv < 2:
        raise ConfigError(f"cv must be an integer >= 2 (the number of folds), got {cv!r}.")
    seed = _seed(random_state)
    y_raw, y_col, name = _outcome(data, outcome)
    flag = None
    rule_col = None
    if rule is not None:
        flag, rule_col = _rule_flag(data, rule)
    if drivers is None:
        skip = {y_col, rule_col, design.id}
        if design.codebook is not None:
            skip.add(design.codebook.weight)
        x_raw = data[[c for c in data.columns if c not in skip]]
    else:
        cols = [drivers] if isinstance(drivers, str) else list(drivers)
        check_columns(data, cols, what="driver column")
        clash = [c for c in cols if c in (y_col, rule_col)]
        if clash:
            raise ConfigError(
                f"drivers include the outcome or rule column {clash[0]!r}; remove it from drivers."
            )
        x_raw = data[cols]
    if x_raw.shape[1] == 0:
        raise DataError("data has no driver column besides the outcome.")
    y_all = _binary(y_raw, name)
    notes: list[str] = []
    miss_y = np.isnan(y_all)
    miss_x = x_raw.isna().any(axis=1).to_numpy() & ~miss_y
    if miss_y.any():
        notes.append(f"{int(miss_y.sum())} rows with a missing outcome excluded.")
    if miss_x.any():
        counts = x_raw.isna().sum()
        which = ", ".join(f"{c!r} ({n})" for c, n in counts[counts > 0].items())
        notes.append(f"{int(miss_x.sum())} rows with a missing driver excluded: {which}.")
    keep = ~(miss_y | miss_x)
    if flag is not None and np.isnan(flag[keep]).any():
        bad = np.flatnonzero(np.isnan(flag) & keep)
        raise DataError(
            f"rule has {len(bad)} missing flags among the usable rows (positions "
            f"{preview(bad.tolist())}); give every customer True or False."
        )
    x = _design(x_raw.loc[keep], drop_first=model == "logistic")
    y = y_all[keep].astype(int)
    n_pos = int(y.sum())
    if min(n_pos, len(y) - n_pos) < cv:
        raise DataError(
            f"{name} has {n_pos} churners and {len(y) - n_pos} non-churners among the usable "
            f"rows; each class needs at least cv={cv} rows."
        )
    const = x.columns[x.nunique() <= 1]
    if len(const):
        notes.append(f"constant drivers dropped: {preview(list(const))}.")
        x = x.drop(columns=const)
    if x.shape[1] == 0:
        raise DataError("no driver varies across the usable rows; nothing to learn from.")

    xv = x.to_numpy(dtype=float)
    folds = StratifiedKFold(n_splits=cv, shuffle=True, random_state=seed)
    oof = np.empty(len(y))
    aucs = np.empty(cv)
    for f, (tr, te) in enumerate(folds.split(xv, y)):  # a loop over folds
        est = _estimator(model, seed, C).fit(xv[tr], y[tr])
        oof[te] = est.predict_proba(xv[te])[:, 1]
        aucs[f] = roc_auc_score(y[te], oof[te])
    final = _estimator(model, seed, C).fit(xv, y)
    table = _importance(final, model, x)

    dec = pd.qcut(pd.Series(oof).rank(method="first"), 10, labels=False) + 1
    cal = (
        pd.DataFrame({"decile": dec.to_numpy(), "p": oof, "y": y})
        .groupby("decile")
        .agg(
            n=("y", "size"),
            mean_predicted=("p", "mean"),
            observed_rate=("y", "mean"),
            min_predicted=("p", "min"),
            max_predicted=("p", "max"),
        )
        .reset_index()
    )
    scores = pd.Series(np.nan, index=data.index, name="risk")
    scores[keep] = oof
    return ChurnResult(
        table,
        notes=tuple(notes),
        scores=scores,
        calibration=cal,
        auc_folds=aucs,
        auc_mean=float(aucs.mean()),
        auc_sd=float(aucs.std(ddof=1)),
        auc_oof=float(roc_auc_score(y, oof)),
        brier=float(np.mean((oof - y) ** 2)),
        base_rate=float(y.mean()),
        model=model,
        estimator=final,
        feature_names=tuple(map(str, x.columns)),
        rule=None if flag is None else _rule_vs_model(flag[keep].astype(bool), y, oof),
        n_used=int(keep.sum()),
        n_excluded=int((~keep).sum()),
    )


def _rule_flag(data: pd.DataFrame, rule: Any) -> tuple[np.ndarray, Hashable | None]:
    """The rule flag as 0/1 floats (NaN missing) and its column name (None for an array)."""
    if isinstance(rule, Hashable) and not isinstance(rule, (tuple, np.ndarray, pd.Series)):
        check_columns(data, [rule], what="rule column")
        return _binary(pd.Series(data[rule].to_numpy()), "rule"), rule
    arr = rule.to_numpy() if isinstance(rule, pd.Series) else np.asarray(rule)
    if arr.ndim != 1 or len(arr) != len(data):
        raise DataError(
            f"rule has {len(arr)} values but data has {len(data)} rows; pass one flag per row."
        )
    return _binary(pd.Series(arr), "rule"), None


def _rule_vs_model(flag: np.ndarray, y: np.ndarray, risk: np.ndarray) -> pd.DataFrame:
    """Precision, recall, lift and balanced accuracy of the rule and of the model's top risks."""
    m = int(flag.sum())
    top = np.zeros(len(y), dtype=bool)
    top[np.argsort(-risk, kind="stable")[:m]] = True
    pos, base = int(y.sum()), float(y.mean())
    rows = []
    for method, f in (("rule", flag), ("model", top)):
        tp = int((f & (y == 1)).sum())
        tn = int((~f & (y == 0)).sum())
        prec = tp / m if m else float("nan")
        rec = tp / pos
        rows.append(
            {
                "method": method,
                "flagged": m,
                "share_flagged": m / len(y),
                "precision": prec,
                "recall": rec,
                "lift": prec / base,
                "balanced_accuracy": (rec + tn / (len(y) - pos)) / 2,
            }
        )
    return pd.DataFrame(rows)


def _design(x: pd.DataFrame, *, drop_first: bool) -> pd.DataFrame:
    """Numeric and boolean columns as floats; other columns one-hot (``"col = level"``)."""
    num = [
        c
        for c in x.columns
        if pd.api.types.is_numeric_dtype(x[c]) or pd.api.types.is_bool_dtype(x[c])
    ]
    cat = [c for c in x.columns if c not in num]
    for c in num:
        check_numeric(x, c)  # infinite values: DataError naming the column and rows
    parts = [x[num].astype(float)]
    if cat:
        dummies = pd.get_dummies(
            x[cat].astype(object).astype(str),
            prefix=[str(c) for c in cat],
            prefix_sep=" = ",
            drop_first=drop_first,
            dtype=float,
        )
        parts.append(dummies)
    out = pd.concat(parts, axis=1)
    out.columns = [str(c) for c in out.columns]
    return out


def _estimator(model: str, random_state: int | None, C: float) -> Any:
    if model == "gbm":
        from sklearn.ensemble import GradientBoostingClassifier

        return GradientBoostingClassifier(
            n_estimators=200,
            max_depth=3,
            learning_rate=0.05,
            subsample=0.8,
            random_state=random_state,
        )
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=1000))


def _importance(est: Any, model: str, x: pd.DataFrame) -> pd.DataFrame:
    if model == "gbm":
        imp = est.feature_importances_
        t = pd.DataFrame({"feature": x.columns, "importance": imp})
    else:
        scaler, lr = est[0], est[-1]
        std_coef = lr.coef_.ravel()
        coef = std_coef / scaler.scale_
        t = pd.DataFrame(
            {
                "feature": x.columns,
                "coef": coef,
                "odds_ratio": np.exp(coef),
                "std_coef": std_coef,
                "importance": np.abs(std_coef),
            }
        )
    return t.sort_values("importance", ascending=False, kind="stable").reset_index(drop=True)
