"""The typing tool: a short question set, and a classifier on it, that assigns new respondents
to segments (:class:`TypingTool`, used by :meth:`Segmenter.typing_tool
<needlab.segment.cluster.Segmenter.typing_tool>`).

References
----------
Fisher, R. A. (1936). The use of multiple measurements in taxonomic problems. *Annals of
Eugenics* 7(2), 179-188.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin

from needlab._progress import progress_bar, show_progress
from needlab._result import Result
from needlab._types import RandomState
from needlab._validate import check_columns
from needlab.errors import ConfigError, DataError
from needlab.segment.fitting import check_fitted, seed_of
from needlab.segment.kprototypes import as_frame, classify_columns

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["QuestionDesign", "RidgeLDA", "TypingTool", "TypingToolResult"]


class RidgeLDA:
    """Linear discriminant analysis (Fisher 1936) in numpy: pooled within-segment covariance
    with a small ridge (``ridge`` x the mean variance on the diagonal) so that one-hot blocks and
    collinear questions stay solvable; priors are the training shares. Hundreds of these are
    fitted by the greedy selection, so it avoids scikit-learn's per-call validation cost."""

    def __init__(self, ridge: float = 1e-3):
        self.ridge = ridge

    def fit(self, X: np.ndarray, y: np.ndarray) -> RidgeLDA:
        """Fit the discriminant functions."""
        self.classes_, yi = np.unique(y, return_inverse=True)
        n, p = X.shape
        k = len(self.classes_)
        counts = np.bincount(yi, minlength=k)
        M = np.zeros((n, k))
        M[np.arange(n), yi] = 1.0
        means = (M.T @ X) / counts[:, None]
        R = X - means[yi]
        S = R.T @ R / max(n - k, 1)
        tr = float(np.trace(S)) / max(p, 1)
        S[np.diag_indices(p)] += self.ridge * (tr if tr > 0 else 1.0)
        W = np.linalg.solve(S, means.T)  # p x k
        self.coef_ = W.T
        self.intercept_ = -0.5 * np.einsum("kp,pk->k", means, W) + np.log(counts / n)
        return self

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        """Discriminant scores, one column per class."""
        return np.asarray(X @ self.coef_.T + self.intercept_)

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Posterior class probabilities."""
        d = self.decision_function(X)
        d = np.exp(d - d.max(axis=1, keepdims=True))
        return np.asarray(d / d.sum(axis=1, keepdims=True))

    def predict(self, X: np.ndarray) -> np.ndarray:
        """The most probable class."""
        return np.asarray(self.classes_[self.decision_function(X).argmax(axis=1)])

    def score(self, X: np.ndarray, y: np.ndarray) -> float:
        """Accuracy."""
        return float(np.mean(self.predict(X) == y))


@dataclass
class QuestionDesign:
    """Design-matrix builder for the typing tool: numeric questions as they are (missing ->
    training mean), categorical ones one-hot (unseen or missing -> all zero)."""

    numeric: dict[Hashable, float]  # column -> training mean
    levels: dict[Hashable, pd.Index]

    def block(self, frame: pd.DataFrame, col: Hashable) -> np.ndarray:
        """The columns of the design matrix for question *col*."""
        from needlab._validate import check_numeric

        if col in self.numeric:
            v = check_numeric(frame, col).to_numpy()
            return np.where(np.isnan(v), self.numeric[col], v)[:, None]
        lv = self.levels[col]
        code = lv.get_indexer(pd.Index(frame[col]))
        out = np.zeros((len(frame), len(lv)))
        ok = code >= 0
        out[np.flatnonzero(ok), code[ok]] = 1.0
        return out

    def matrix(self, frame: pd.DataFrame, cols: Sequence[Hashable]) -> np.ndarray:
        """The design matrix of the questions *cols*."""
        return np.hstack([self.block(frame, c) for c in cols])


class TypingTool(ClassifierMixin, BaseEstimator):
    """A short question set that assigns respondents to segments, and the classifier on it.

    ``fit`` picks ``n_questions`` columns of ``X`` by greedy forward selection: starting from no
    question, it adds the column that most improves the ``n_folds``-fold cross-validated accuracy
    (on the training rows) of a linear discriminant classifier (pooled covariance, small ridge)
    predicting the segment ``y``. The classifier on the chosen questions is then fitted on the
    training rows and its accuracy reported on held-out rows (``test_size``, stratified by
    segment) that played no part in the selection.

    Parameters
    ----------
    n_questions : int, default 5
        Questions to pick (at most the number of columns of ``X``).
    test_size : float, default 0.3
        Share of rows held out.
    n_folds : int, default 3
        Cross-validation folds of the selection.
    ridge : float, default 1e-3
        Ridge on the pooled covariance, as a share of the mean variance.
    progress : bool or None
        A progress bar (tqdm, on standard error) over the selection steps. ``None`` (default):
        only when standard error is a terminal and Python is not in a Jupyter / IPython kernel
        (executed notebooks stay free of bar text); ``True``: always; ``False``: never.
    random_state : int, numpy Generator or None
        Seed of the split and the folds.

    Attributes
    ----------
    questions_ : tuple
        The chosen columns, in the order picked.
    classes_ : ndarray
        The segments, in the column order of :meth:`predict_proba`.
    steps_ : DataFrame
        ``step``, ``question`` (added at this step), ``cv_accuracy`` (cross-validated on the
        training rows with the questions so far) and ``test_accuracy`` (held-out rows).
    accuracy_ : float
        Held-out accuracy with all chosen questions.
    chance_ : float
        Share of the largest segment (the accuracy of always guessing it).
    per_segment_ : DataFrame
        ``segment``, ``n_test``, ``accuracy`` (share of the segment's held-out rows typed right).
    confusion_ : DataFrame
        Held-out rows by true segment (index) and typed segment (columns).
    n_train_, n_test_ : int
        Training and held-out rows.
    n_excluded_ : int
        Rows without a segment (``y`` missing or -1), left out.
    n_features_in_ : int
        Columns of ``X``.

    Notes
    -----
    Numeric questions are used as numbers (missing -> training mean); categorical ones one-hot
    coded. Classical typing tools use discriminant functions (Fisher 1936); the ridge keeps them
    solvable with one-hot or collinear questions. ``fit`` takes no ``sample_weight``: the
    selection criterion is a plain accuracy on held-out folds.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> seg = np.repeat([0, 1], 50)
    >>> X = pd.DataFrame({"price": seg * 3 + rng.normal(size=100),
    ...                   "noise": rng.normal(size=100)})
    >>> tool = TypingTool(n_questions=1, random_state=0).fit(X, seg)
    >>> tool.questions_, tool.accuracy_ > 0.9
    (('price',), True)
    """

    def __init__(
        self,
        *,
        n_questions: int = 5,
        test_size: float = 0.3,
        n_folds: int = 3,
        ridge: float = 1e-3,
        progress: bool | None = None,
        random_state: RandomState = None,
    ):
        self.n_questions = n_questions
        self.test_size = test_size
        self.n_folds = n_folds
        self.ridge = ridge
        self.progress = progress
        self.random_state = random_state

    def fit(self, X: pd.DataFrame | np.ndarray, y: Any) -> TypingTool:
        """Choose the questions and fit the classifier.

        Parameters
        ----------
        X : DataFrame or 2-d array
            Candidate questions, one row per respondent.
        y : array
            Segment per row; rows with a missing segment or -1 (not segmented) are left out.

        Returns
        -------
        TypingTool
            The fitted estimator.

        Raises
        ------
        ConfigError
            Invalid ``n_questions``, ``test_size``, ``n_folds`` or ``ridge``.
        DataError
            ``y`` of another length than ``X``, fewer than 2 segments, or a segment with fewer
            than 4 rows (too few to train and test).
        """
        from sklearn.model_selection import StratifiedKFold, train_test_split
        from threadpoolctl import threadpool_limits

        frame = as_frame(X)
        y_all = np.asarray(pd.Series(np.asarray(y, dtype=object)).to_numpy())
        if y_all.ndim != 1 or len(y_all) != len(frame):
            raise DataError(
                f"y has {len(y_all)} values but X has {len(frame)} rows; pass one segment per row."
            )
        cols = list(frame.columns)
        nq = self.n_questions
        if not (
            isinstance(nq, (int, np.integer)) and not isinstance(nq, bool) and 1 <= nq <= len(cols)
        ):
            raise ConfigError(
                f"n_questions must be an integer from 1 to {len(cols)} (the columns of the data), "
                f"got {nq!r}."
            )
        if not (isinstance(self.test_size, (int, float)) and 0 < self.test_size < 1):
            raise ConfigError(
                f"test_size must be strictly between 0 and 1, got {self.test_size!r}."
            )
        nf = self.n_folds
        if not (isinstance(nf, (int, np.integer)) and not isinstance(nf, bool) and nf >= 2):
            raise ConfigError(f"n_folds must be an integer >= 2, got {nf!r}.")
        if not (isinstance(self.ridge, (int, float)) and self.ridge > 0):
            raise ConfigError(f"ridge must be a positive number, got {self.ridge!r}.")
        show_progress(self.progress)  # a bad value fails before the work starts
        keep = pd.notna(y_all) & (pd.Series(y_all).astype(str).to_numpy() != "-1")
        frame = frame.loc[keep].reset_index(drop=True)
        yk = y_all[keep]
        try:  # numeric segments stay numeric (classes_ like the labels given)
            yk = yk.astype(np.int64) if np.all(yk == yk.astype(np.int64)) else yk
        except (TypeError, ValueError):
            pass
        classes, counts = np.unique(yk, return_counts=True)
        if len(classes) < 2:
            raise DataError("y holds fewer than 2 segments; nothing to type.")
        if counts.min() < 4:
            raise DataError(
                f"segment {classes[np.argmin(counts)]!r} has only {counts.min()} rows; "
                "at least 4 per segment are needed to train and test a typing tool."
            )
        numeric, cats, converted = classify_columns(frame, None, max_levels=10**9)
        seed = seed_of(self.random_state)
        idx = np.arange(len(frame))
        tr, te = train_test_split(idx, test_size=self.test_size, stratify=yk, random_state=seed)
        design = QuestionDesign(
            numeric={
                c: float(np.nanmean(converted[c].to_numpy()[tr]))
                if np.isfinite(converted[c].to_numpy()[tr]).any()
                else 0.0
                for c in numeric
            },
            levels={c: pd.Index(frame[c].iloc[tr].dropna().unique()) for c in cats},
        )
        ridge = float(self.ridge)

        def fit_score(Xm: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
            return RidgeLDA(ridge).fit(Xm[a], yk[a]).score(Xm[b], yk[b])

        with threadpool_limits(limits=1):  # hundreds of small fits: threads only add overhead
            blocks: dict[Hashable, np.ndarray] = {c: design.block(frame, c) for c in cols}
            folds = list(
                StratifiedKFold(n_splits=int(nf), shuffle=True, random_state=seed).split(tr, yk[tr])
            )
            chosen: list[Hashable] = []
            steps = []
            for step in progress_bar(
                range(1, int(nq) + 1), progress=self.progress, desc="typing tool", unit="question"
            ):
                best_col: Hashable = None
                best_acc = -1.0
                for c in cols:
                    if c in chosen:
                        continue
                    Xm = np.hstack([blocks[q] for q in [*chosen, c]])
                    acc = float(np.mean([fit_score(Xm, tr[a], tr[b]) for a, b in folds]))
                    if acc > best_acc + 1e-12:
                        best_col, best_acc = c, acc
                chosen.append(best_col)
                Xm = np.hstack([blocks[q] for q in chosen])
                steps.append(
                    {
                        "step": step,
                        "question": best_col,
                        "cv_accuracy": best_acc,
                        "test_accuracy": fit_score(Xm, tr, te),
                    }
                )
            Xm = np.hstack([blocks[q] for q in chosen])
            model = RidgeLDA(ridge).fit(Xm[tr], yk[tr])
        pred = model.predict(Xm[te])
        truth = yk[te]
        self.per_segment_ = pd.DataFrame(
            {
                "segment": classes,
                "n_test": [int((truth == c).sum()) for c in classes],
                "accuracy": [
                    float(np.mean(pred[truth == c] == c)) if (truth == c).any() else np.nan
                    for c in classes
                ],
            }
        )
        conf = pd.crosstab(pd.Series(truth, name="segment"), pd.Series(pred, name="typed as"))
        self.confusion_ = conf.reindex(index=classes, columns=classes, fill_value=0)
        self.questions_ = tuple(chosen)
        self.classes_ = classes
        self.steps_ = pd.DataFrame(steps)
        self.accuracy_ = float(np.mean(pred == truth))
        self.chance_ = float(counts.max() / counts.sum())
        self.n_train_ = len(tr)
        self.n_test_ = len(te)
        self.n_excluded_ = int((~keep).sum())
        self.n_features_in_ = len(cols)
        self.design_ = design
        self.model_ = model
        return self

    def _matrix(self, X: Any) -> np.ndarray:
        check_fitted(self, "model_")
        frame = as_frame(X)
        check_columns(frame, list(self.questions_))
        return self.design_.matrix(frame, self.questions_)

    def predict(self, X: pd.DataFrame | np.ndarray) -> np.ndarray:
        """Segment of each row of *X* (which must hold the chosen questions).

        Raises
        ------
        NotFittedError
            Called before :meth:`fit`.
        SchemaError
            A chosen question is not a column of *X*.
        """
        Xm = self._matrix(X)
        return self.model_.predict(Xm)

    def predict_proba(self, X: pd.DataFrame | np.ndarray) -> np.ndarray:
        """Posterior probability of each segment per row, columns in ``classes_`` order.

        Raises
        ------
        NotFittedError
            Called before :meth:`fit`.
        """
        Xm = self._matrix(X)
        return self.model_.predict_proba(Xm)


@dataclass(frozen=True, repr=False)
class TypingToolResult(Result):
    """Result of :meth:`Segmenter.typing_tool <needlab.segment.cluster.Segmenter.typing_tool>`.

    Attributes
    ----------
    table : DataFrame
        One row per step: ``step``, ``question``, ``cv_accuracy``, ``test_accuracy`` (see
        :attr:`TypingTool.steps_`).
    questions : tuple
        The chosen questions, in the order picked.
    accuracy : float
        Held-out accuracy with all chosen questions.
    chance : float
        Share of the largest segment.
    per_segment : DataFrame
        ``segment``, ``n_test``, ``accuracy``.
    confusion : DataFrame
        Held-out rows by true segment and typed segment.
    model : TypingTool
        The fitted tool (``predict``, ``predict_proba``).
    n_train, n_test : int
        Training and held-out rows (``n_train + n_test == n_used``).
    n_used, n_excluded : int
        Respondents (rows of ``data``) with a segment, and those without one (excluded from the
        segmentation for missing values, or a missing label), left out.
    """

    questions: tuple[Hashable, ...] = ()
    accuracy: float = float("nan")
    chance: float = float("nan")
    per_segment: pd.DataFrame = field(default_factory=pd.DataFrame)
    confusion: pd.DataFrame = field(default_factory=pd.DataFrame)
    model: TypingTool | None = None
    n_train: int = 0
    n_test: int = 0

    title = "Segment typing tool"

    def summary(self) -> dict[str, Any]:
        """The questions, the held-out accuracy, chance and the train / test split."""
        return {
            "questions": ", ".join(map(str, self.questions)),
            "held-out accuracy": self.accuracy,
            "chance (largest segment)": self.chance,
            "train / test rows": f"{self.n_train} / {self.n_test}",
        }

    def tables(self) -> dict[str, pd.DataFrame]:
        """The steps, the per-segment accuracy and the confusion table."""
        return {
            "steps": self.table,
            "per_segment": self.per_segment,
            "confusion": self.confusion.reset_index(),
        }

    def predict(self, data: pd.DataFrame) -> np.ndarray:
        """Shortcut for ``model.predict``."""
        if self.model is None:  # pragma: no cover
            raise ConfigError("this result holds no model.")
        return self.model.predict(data)

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Cross-validated and held-out accuracy as questions are added, chance dashed;
        returns the Axes."""
        from needlab.segment.plot_cluster import typing_plot

        return typing_plot(self, ax=ax, **kwargs)

    @classmethod
    def from_tool(cls, tool: TypingTool) -> TypingToolResult:
        """The result of a fitted :class:`TypingTool`."""
        check_fitted(tool, "model_")
        notes = []
        if tool.n_excluded_:
            notes.append(
                f"{tool.n_excluded_} rows without a segment (excluded or missing) left out."
            )
        return cls(
            tool.steps_,
            questions=tool.questions_,
            accuracy=tool.accuracy_,
            chance=tool.chance_,
            per_segment=tool.per_segment_,
            confusion=tool.confusion_,
            model=tool,
            n_train=tool.n_train_,
            n_test=tool.n_test_,
            n_used=tool.n_train_ + tool.n_test_,
            n_excluded=tool.n_excluded_,
            notes=tuple(notes),
        )
