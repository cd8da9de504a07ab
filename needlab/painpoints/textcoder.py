"""A supervised multi-label text coder trained on human-coded examples.

:class:`TextCoder` learns pain codes (or any codes) from coded texts and codes new texts. It is
a scikit-learn style estimator: TF-IDF features of word n-grams (Latin-script words) and
character n-grams within word boundaries (``char_wb``; Chinese needs no segmenter), then one
linear model per code (one-vs-rest): logistic regression with balanced class weights (default),
or a linear SVM whose scores are turned into probabilities by sigmoid calibration.

When every training text has exactly one code (a single-label codebook), ``multi_label="auto"``
predicts the one most probable code per text; otherwise every code whose probability reaches
``threshold`` is predicted.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin

from needlab._progress import progress_bar
from needlab._result import Result
from needlab._types import RandomState
from needlab._validate import check_option, check_weights, preview
from needlab.errors import ConfigError, DataError, SchemaError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = [
    "CrossValidationResult",
    "TextCoder",
    "check_model_params",
    "make_vectorizer",
    "parse_labels",
]

LATIN_WORD = re.compile(r"[a-z][a-z0-9']+")
"""Latin-script words of two or more characters (lower-cased text)."""
_CJK_RUN = re.compile(r"[\u3400-\u9fff]{2,}")


def word_analyzer(doc: str, ngrams: tuple[int, int] = (1, 2)) -> list[str]:
    """Word features: Latin word n-grams in the *ngrams* range plus Chinese character bigrams.

    Chinese has no spaces, so its "words" here are overlapping character pairs (a segmenter-free
    stand-in, Nie et al. 2000); Latin words are lower-cased runs of letters and digits.

    Examples
    --------
    >>> word_analyzer("App 配网失败 again")
    ['app', 'again', 'app again', '配网', '网失', '失败']
    """
    low = doc.lower()
    words = LATIN_WORD.findall(low)
    lo, hi = ngrams
    out = [" ".join(words[i : i + k]) for k in range(lo, hi + 1) for i in range(len(words) - k + 1)]
    for run in _CJK_RUN.findall(low):
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


def make_vectorizer(
    char_ngrams: tuple[int, int] = (1, 3),
    word_ngrams: tuple[int, int] | None = (1, 2),
    min_df: int = 1,
    max_features: int | None = None,
) -> Any:
    """TF-IDF features: ``char_wb`` character n-grams plus (optionally) :func:`word_analyzer` words.

    Both use sublinear term frequency and l2 normalisation; the two blocks are stacked side by
    side (a scikit-learn ``FeatureUnion``).

    Examples
    --------
    >>> v = make_vectorizer().fit(["配网失败", "the app crashes"])
    >>> v.transform(["配网"]).shape[0]
    1
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    parts = [
        (
            "char",
            TfidfVectorizer(
                analyzer="char_wb",
                ngram_range=tuple(char_ngrams),
                min_df=min_df,
                sublinear_tf=True,
                lowercase=True,
                max_features=max_features,
                dtype=np.float32,
            ),
        )
    ]
    if word_ngrams is not None:
        parts.append(
            (
                "word",
                TfidfVectorizer(
                    analyzer=partial(word_analyzer, ngrams=(word_ngrams[0], word_ngrams[1])),
                    min_df=min_df,
                    sublinear_tf=True,
                    max_features=max_features,
                    dtype=np.float32,
                ),
            )
        )
    return FeatureUnion(parts)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)


def _ngram_range(value: Any, name: str, *, optional: bool) -> None:
    if value is None and optional:
        return
    ok = (
        isinstance(value, (tuple, list))
        and len(value) == 2
        and all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in value)
        and 1 <= value[0] <= value[1]
    )
    if not ok:
        none = " or None" if optional else ""
        raise ConfigError(
            f"{name}={value!r} is not valid; give a pair (low, high) of integers with "
            f"1 <= low <= high, e.g. (1, 2){none}."
        )


def check_model_params(est: Any) -> None:
    """Validate the parameters shared by :class:`TextCoder` and
    :class:`~needlab.painpoints.sentiment.SentimentModel` (called by their ``fit``, the
    scikit-learn convention: ``__init__`` only stores).

    Raises
    ------
    ConfigError
        Naming the parameter, the value and the valid range: ``C`` a finite number > 0;
        ``char_ngrams`` / ``word_ngrams`` pairs ``(low, high)`` with ``1 <= low <= high``
        (``word_ngrams`` may be None); ``min_df`` an integer >= 1; ``class_weight``
        ``"balanced"`` or None.
    """
    C = est.C
    if not (_is_number(C) and math.isfinite(float(C)) and float(C) > 0):
        raise ConfigError(
            f"C={C!r} is not valid; C (inverse regularisation strength) must be a finite "
            "number > 0, e.g. 4.0 (smaller is stronger regularisation)."
        )
    _ngram_range(est.char_ngrams, "char_ngrams", optional=False)
    _ngram_range(est.word_ngrams, "word_ngrams", optional=True)
    if not (
        isinstance(est.min_df, (int, np.integer))
        and not isinstance(est.min_df, bool)
        and est.min_df >= 1
    ):
        raise ConfigError(
            f"min_df={est.min_df!r} is not valid; give an integer >= 1 (the fewest texts a "
            "feature must occur in)."
        )
    check_option(est.class_weight, ["balanced", None], "class_weight")


def _isna(x: Any) -> bool:
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def parse_labels(
    labels: Any, n: int | None = None, *, sep: str = ";", name: str = "labels"
) -> tuple[list[frozenset | None], list]:
    """Codes of each text as frozensets (None = not coded) and the sorted list of codes.

    *labels* is a sequence of lists / tuples / sets of codes or ``"a;b"`` strings (``""`` or an
    empty list: coded with no code; None / NaN: not coded), or a binary DataFrame of texts x
    codes (1 / True = the code applies; a row of all missing = not coded).

    Examples
    --------
    >>> parse_labels(["price;service", [], None, ("delivery",)])[1]
    ['delivery', 'price', 'service']
    """
    if isinstance(labels, pd.DataFrame):
        vals = labels.apply(pd.to_numeric, errors="coerce")
        bad = vals.isna() & labels.notna()
        bad |= vals.notna() & ~vals.isin([0, 1])
        if bad.to_numpy().any():
            col = labels.columns[bad.any().to_numpy()][0]
            raise DataError(
                f"{name} column {col!r} must hold 0/1 or True/False; found "
                f"{preview(labels[col][bad[col]])}. Use one column per code."
            )
        arr = vals.to_numpy(dtype=float)
        codes = [c for c in labels.columns]
        sets: list[frozenset | None] = []
        for row in arr:
            if np.isnan(row).all():
                sets.append(None)
            else:
                sets.append(frozenset(codes[j] for j in np.flatnonzero(row == 1)))
        out_codes = codes
    else:
        if isinstance(labels, str) or not hasattr(labels, "__iter__"):
            raise SchemaError(
                f"{name} must be a list of label sets, a Series, or a binary DataFrame; "
                f"got {type(labels).__name__}."
            )
        sets = []
        for x in list(labels):
            if isinstance(x, (list, tuple, set, frozenset, np.ndarray)):
                sets.append(frozenset(str(i).strip() for i in x if not _isna(i) and str(i).strip()))
            elif _isna(x):
                sets.append(None)
            elif isinstance(x, str):
                sets.append(frozenset(p.strip() for p in x.split(sep) if p.strip()))
            else:
                sets.append(frozenset([str(x)]))
        out_codes = sorted({c for s in sets if s for c in s})
    if n is not None and len(sets) != n:
        raise DataError(
            f"{name} has {len(sets)} rows but there are {n} texts; pass one coding per text."
        )
    return sets, out_codes


def _texts(texts: Any, name: str = "texts") -> tuple[list[str], np.ndarray]:
    """Texts as strings ('' for missing / non-strings) and a mask of usable texts."""
    if isinstance(texts, pd.DataFrame):
        raise SchemaError(
            f"{name} must be one column of texts, got a DataFrame with columns "
            f"{preview(texts.columns)}; pass data['text']."
        )
    if isinstance(texts, str) or not hasattr(texts, "__iter__"):
        raise SchemaError(
            f"{name} must be a list or Series of texts, got {type(texts).__name__}; "
            "wrap a single text in a list."
        )
    vals = list(texts)
    ok = np.fromiter((isinstance(v, str) and bool(v.strip()) for v in vals), bool, len(vals))
    return [v if isinstance(v, str) else "" for v in vals], ok


@dataclass
class _CountBlock:
    """The n-gram counts of every text for one block of :func:`make_vectorizer` (texts x all
    n-grams, in the vectoriser's sorted vocabulary order) and that block's TF-IDF options."""

    name: str
    counts: Any  # scipy CSR, float32 counts
    tfidf: dict[str, Any]


def _count_blocks(
    texts: list[str], char_ngrams: tuple[int, int], word_ngrams: tuple[int, int] | None
) -> list[_CountBlock] | None:
    """Count the n-grams of *texts* once, block by block, with the analysers of
    :func:`make_vectorizer` (no ``min_df``: the vocabulary is cut per training fold). None when
    the character block finds nothing (the folds then take the reference path)."""
    from sklearn.feature_extraction.text import CountVectorizer

    out = []
    for name, tv in make_vectorizer(char_ngrams, word_ngrams).transformer_list:
        cv = CountVectorizer(analyzer=tv.build_analyzer(), dtype=tv.dtype)
        try:
            counts = cv.fit_transform(texts).tocsr()
        except ValueError:  # empty vocabulary: no word anywhere (fit falls back to characters)
            if name == "char":
                return None
            continue
        opts = {k: getattr(tv, k) for k in ("norm", "use_idf", "smooth_idf", "sublinear_tf")}
        out.append(_CountBlock(name, counts, opts))
    return out


def _fold_features(
    blocks: list[_CountBlock], train: np.ndarray, test: np.ndarray, min_df: int
) -> tuple[Any, Any] | None:
    """TF-IDF features of one fold, as a vectoriser of :func:`make_vectorizer` fitted on the
    *train* rows gives them: per block, the n-grams in at least *min_df* training texts (sorted
    vocabulary kept), their smoothed IDF from the training texts, sublinear TF and l2 rows; the
    blocks side by side. A word block with no n-gram left is dropped (as :meth:`TextCoder.fit`
    falls back to characters); None when the character block is empty."""
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfTransformer

    tr_parts, te_parts = [], []
    for b in blocks:
        c_tr = b.counts[train]
        df = np.bincount(c_tr.indices, minlength=c_tr.shape[1])
        keep = np.flatnonzero(df >= min_df)
        if not len(keep):
            if b.name == "char":
                return None
            continue
        x_tr = c_tr[:, keep]
        tt = TfidfTransformer(**b.tfidf).fit(x_tr)
        tr_parts.append(tt.transform(x_tr))
        te_parts.append(tt.transform(b.counts[test][:, keep]))
    return sparse.hstack(tr_parts).tocsr(), sparse.hstack(te_parts).tocsr()


@dataclass(frozen=True, repr=False)
class CrossValidationResult(Result):
    """Result of :meth:`TextCoder.cross_validate`.

    Attributes
    ----------
    table : DataFrame
        One row per code, then ``"micro avg"`` and ``"macro avg"`` rows (columns in
        :meth:`TextCoder.cross_validate`).
    micro_f1, macro_f1 : float
        The two averages of F1.
    n_codes, cv : int
        Codes and folds.
    n_used, n_excluded : int
        Texts used, and texts left out (no text or no coding); ``n_used + n_excluded`` is the
        number of texts given.
    """

    micro_f1: float = math.nan
    macro_f1: float = math.nan
    n_codes: int = 0
    cv: int = 5

    title = "Text coder: cross-validated accuracy per code"

    def summary(self) -> dict[str, Any]:
        return {
            "codes": self.n_codes,
            "folds": self.cv,
            "micro F1": self.micro_f1,
            "macro F1": self.macro_f1,
        }

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """F1 per code as bars (precision and recall as markers), micro and macro F1 as lines.

        See :func:`needlab.painpoints.plot.f1_bars`.
        """
        from needlab.painpoints.plot import f1_bars

        return f1_bars(self, ax=ax, **kwargs)


def _prf(
    tp: np.ndarray, fp: np.ndarray, fn: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(tp + fp > 0, tp / np.maximum(tp + fp, 1), 0.0)
        r = np.where(tp + fn > 0, tp / np.maximum(tp + fn, 1), 0.0)
        f = np.where(p + r > 0, 2 * p * r / np.where(p + r > 0, p + r, 1), 0.0)
    return p, r, f


class TextCoder(ClassifierMixin, BaseEstimator):
    """Multi-label text coder: TF-IDF word + character n-grams and one linear model per code.

    A scikit-learn estimator (``clone``, ``get_params`` / ``set_params``, pipelines and grid
    search work): ``X`` is a list or Series of texts, ``y`` the codings (see :meth:`fit`).

    Parameters
    ----------
    model : {"logistic", "svm"}
        ``"logistic"``: L2-regularised logistic regression (liblinear, which solves it in the
        dual when features outnumber texts, as n-grams nearly always do: the same optimum,
        reached about 10x faster); ``"svm"``: linear SVM with sigmoid-calibrated
        probabilities (3-fold ``CalibratedClassifierCV``, slower).
    C : float
        Inverse regularisation strength.
    class_weight : {"balanced", None}
        ``"balanced"`` up-weights the texts that have a rare code.
    char_ngrams : tuple of int
        Character n-gram range (``char_wb``).
    word_ngrams : tuple of int or None
        Word n-gram range of Latin-script words; ``None`` for characters only.
    min_df : int
        Minimum document frequency of a feature.
    threshold : float
        Probability at which a code is predicted (multi-label mode).
    multi_label : {"auto", True, False}
        ``False`` predicts exactly one code per text (the most probable); ``"auto"`` does so when
        every training text had exactly one code.
    sep : str
        Separator of codes in string labels.

    Attributes
    ----------
    classes_ : numpy.ndarray
        The codes learnt, in column order of :meth:`predict_proba`.
    codes_ : list
        The same codes as a list.
    multi_label_ : bool
        The mode used.
    n_dropped_ : int
        Training rows dropped (missing text or missing coding).
    constant_codes_ : list
        Codes present in all or none of the training texts (predicted constant).

    References
    ----------
    Joachims, T. (1998). Text categorization with support vector machines. *ECML-98*.
    Lewis, D. D. and Gale, W. A. (1994). A sequential algorithm for training text classifiers.
    *SIGIR-94*, 3-12 (uncertainty sampling, :meth:`suggest`).

    Examples
    --------
    >>> texts = ["配网失败", "客服态度差", "配网一直失败", "客服不理人", "app crashes", "rude service"] * 3
    >>> labels = ["app", "service", "app", "service", "app", "service"] * 3
    >>> coder = TextCoder().fit(texts, labels)
    >>> coder.predict(["配网又失败了", "service was rude"])
    [['app'], ['service']]
    >>> coder.classes_.tolist()
    ['app', 'service']
    """

    def __init__(
        self,
        *,
        model: Literal["logistic", "svm"] = "logistic",
        C: float = 4.0,
        class_weight: Literal["balanced"] | None = "balanced",
        char_ngrams: tuple[int, int] = (1, 3),
        word_ngrams: tuple[int, int] | None = (1, 2),
        min_df: int = 1,
        threshold: float = 0.5,
        multi_label: Literal["auto"] | bool = "auto",
        sep: str = ";",
    ) -> None:
        self.model = model
        self.C = C
        self.class_weight = class_weight
        self.char_ngrams = char_ngrams
        self.word_ngrams = word_ngrams
        self.min_df = min_df
        self.threshold = threshold
        self.multi_label = multi_label
        self.sep = sep

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.target_tags.multi_output = True
        return tags

    def _check(self) -> None:
        check_option(self.model, ["logistic", "svm"], "model")
        if not (self.multi_label == "auto" or (isinstance(self.multi_label, (bool, np.bool_)))):
            raise ConfigError(
                f"multi_label={self.multi_label!r} is not valid; choose one of ['auto', True, False]."
            )
        if not (_is_number(self.threshold) and 0 < float(self.threshold) < 1):
            raise ConfigError(
                f"threshold={self.threshold!r} is not valid; the probability at which a code is "
                "predicted must be strictly between 0 and 1, e.g. 0.5."
            )
        check_model_params(self)
        if not (isinstance(self.sep, str) and self.sep.strip()):
            raise ConfigError(
                f"sep={self.sep!r} is not valid; the separator of codes in string labels must "
                "be a non-blank string, e.g. ';'."
            )

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> TextCoder:
        """Learn the codes from coded texts.

        Parameters
        ----------
        X : list or Series of str
            The texts.
        y : sequence of label sets, ``"a;b"`` strings, or a binary DataFrame (texts x codes)
            See :func:`parse_labels`. Texts without a coding (None) or without text are dropped
            and counted in ``n_dropped_``.
        sample_weight : array of float, optional
            One weight per text (finite, >= 0), passed to each code's linear model.

        Returns
        -------
        TextCoder
            The fitted coder.

        Raises
        ------
        DataError
            Lengths differ, invalid sample weights, or no code occurs.
        ConfigError
            Invalid parameters, named with their valid range: ``model`` and ``multi_label``
            not one of their choices, ``C`` not a finite number > 0, ``threshold`` not strictly
            between 0 and 1, ``sep`` empty or blank, and the vectoriser parameters of
            :func:`check_model_params`.
        """
        self._check()
        txt, ok = _texts(X, "X")
        sets, codes = parse_labels(y, len(txt), sep=self.sep, name="y")
        sw = check_weights(None, sample_weight, len(txt)) if sample_weight is not None else None
        ok &= np.array([s is not None for s in sets], dtype=bool)
        if not codes:
            raise DataError("y has no code at all; give at least one coded example per code.")
        Y = np.zeros((len(txt), len(codes)), dtype=np.int8)
        col = {c: j for j, c in enumerate(codes)}
        for i, s in enumerate(sets):
            if s:
                for c in s:
                    Y[i, col[c]] = 1
        X_txt = [t for t, k in zip(txt, ok, strict=True) if k]
        Y = Y[ok]
        w = None if sw is None else sw[ok]
        if len(X_txt) < 2:
            raise DataError(
                f"only {len(X_txt)} usable training texts; give at least two coded texts."
            )
        try:
            self.vectorizer_ = make_vectorizer(self.char_ngrams, self.word_ngrams, self.min_df)
            F = self.vectorizer_.fit_transform(X_txt)
        except ValueError:  # no word of two letters anywhere: characters only
            self.vectorizer_ = make_vectorizer(self.char_ngrams, None, self.min_df)
            F = self.vectorizer_.fit_transform(X_txt)
        self._fit_features(F, Y, list(codes), w)
        self.n_dropped_ = int((~ok).sum())
        return self

    def _fit_features(
        self, F: Any, Y: np.ndarray, codes: list[Any], w: np.ndarray | None = None
    ) -> None:
        """Fit one linear model per code on the feature matrix *F* (texts x features) and the
        binary codings *Y* (texts x codes, columns *codes*): the model part of :meth:`fit`,
        shared with :meth:`cross_validate` (which builds *F* itself)."""
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.linear_model import LogisticRegression
        from sklearn.svm import LinearSVC

        self.multi_label_ = (
            bool(self.multi_label) if self.multi_label != "auto" else bool((Y.sum(1) != 1).any())
        )
        n_feat = F.shape[1]
        # liblinear solves the same L2 problem in the primal (trust-region Newton) or the dual
        # (coordinate descent); the dual is the fast one when features outnumber texts, as
        # n-gram features nearly always do (about 10x faster on 1,000 complaint narratives).
        dual = bool(n_feat > F.shape[0])
        coef = np.zeros((len(codes), n_feat))
        intercept = np.zeros(len(codes))
        self.calibrators_: dict[int, Any] = {}
        self.constant_codes_: list[Any] = []
        for j, c in enumerate(codes):
            yj = Y[:, j]
            if yj.min() == yj.max():
                self.constant_codes_.append(c)
                intercept[j] = 30.0 if yj[0] == 1 else -30.0
                continue
            if self.model == "logistic":
                m: Any = LogisticRegression(
                    C=self.C,
                    class_weight=self.class_weight,
                    max_iter=2000,
                    solver="liblinear",
                    dual=dual,
                )
                m.fit(F, yj, sample_weight=w)
                coef[j], intercept[j] = m.coef_[0], m.intercept_[0]
            else:
                m = LinearSVC(C=self.C / 4, class_weight=self.class_weight)
                m.fit(F, yj, sample_weight=w)
                coef[j], intercept[j] = m.coef_[0], m.intercept_[0]
                if min(int(yj.sum()), int((1 - yj).sum())) >= 3:
                    cal = CalibratedClassifierCV(
                        LinearSVC(C=self.C / 4, class_weight=self.class_weight),
                        method="sigmoid",
                        cv=3,
                    ).fit(F, yj, sample_weight=w)
                    self.calibrators_[j] = cal
        self.coef_ = coef
        self.intercept_ = intercept
        self.codes_ = list(codes)
        self.classes_ = np.asarray(codes, dtype=object)

    def _X(self, X: Any) -> Any:
        if not hasattr(self, "coef_"):
            from needlab.errors import NotFittedError

            raise NotFittedError("This TextCoder is not fitted yet; call fit(X, y) first.")
        txt, _ = _texts(X, "X")
        return self.vectorizer_.transform(txt)

    def decision_function(self, X: Any) -> np.ndarray:
        """Linear scores, texts x codes (0 is the logistic model's 50% point)."""
        F = self._X(X)
        return np.asarray(F @ self.coef_.T) + self.intercept_

    def predict_proba(self, X: Any) -> np.ndarray:
        """Probability of each code per text (texts x codes, columns in :attr:`classes_` order).

        With ``model="svm"`` the probabilities come from the sigmoid calibration (codes with fewer
        than 3 positive or negative examples use the logistic of the raw score).
        """
        return self._proba_features(self._X(X))

    def _proba_features(self, F: Any) -> np.ndarray:
        d = np.asarray(F @ self.coef_.T) + self.intercept_
        p = 1.0 / (1.0 + np.exp(-np.clip(d, -50, 50)))
        for j, cal in self.calibrators_.items():
            p[:, j] = cal.predict_proba(F)[:, 1]
        return p

    def predict_matrix(self, X: Any) -> np.ndarray:
        """Binary indicator matrix of predicted codes (texts x codes, columns :attr:`classes_`)."""
        return self._matrix_from_proba(self.predict_proba(X))

    def _matrix_from_proba(self, p: np.ndarray) -> np.ndarray:
        if self.multi_label_:
            return (p >= self.threshold).astype(np.int8)
        out = np.zeros_like(p, dtype=np.int8)
        if p.shape[1]:
            out[np.arange(len(p)), p.argmax(1)] = 1
        return out

    def predict(self, X: Any) -> list[list[Any]]:
        """Predicted codes per text (a list of code lists; empty when none reaches the threshold)."""
        m = self.predict_matrix(X)
        codes = np.asarray(self.codes_, dtype=object)
        return [codes[row.astype(bool)].tolist() for row in m]

    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        """Subset accuracy: the (weighted) share of texts whose predicted code set equals *y*'s.

        Texts without a coding in *y* are left out.
        """
        sets, _ = parse_labels(y, None, sep=self.sep, name="y")
        pred = self.predict(X)
        if len(pred) != len(sets):
            raise DataError(f"X has {len(pred)} texts but y has {len(sets)} codings.")
        keep = np.array([s is not None for s in sets], dtype=bool)
        hit = np.array(
            [s is not None and frozenset(p) == s for p, s in zip(pred, sets, strict=True)]
        )
        w = (
            np.ones(len(sets))
            if sample_weight is None
            else np.asarray(check_weights(None, sample_weight, len(sets)))
        )
        return float(np.sum(w[keep] * hit[keep]) / np.sum(w[keep])) if keep.any() else math.nan

    def cross_validate(
        self,
        X: Any,
        y: Any,
        *,
        cv: int = 5,
        random_state: RandomState = None,
        progress: bool | None = None,
    ) -> CrossValidationResult:
        """Out-of-fold precision, recall and F1 per code, with micro and macro averages.

        The texts are split by :class:`sklearn.model_selection.KFold` with shuffling (plain,
        not stratified: iterative stratification of multi-label data is not done, so a rare code
        can be missing from a training fold). A clone of this coder (same parameters) is
        fitted on each training part; its predictions on the held-out part are pooled over the
        folds and compared with the labels.

        The result is that of fitting a clone with :meth:`fit` on each training part (tested
        against that reference), computed faster: the texts are tokenised and their n-grams
        counted once (counting is done text by text, so nothing crosses folds); each fold then
        takes its vocabulary (``min_df``), inverse document frequencies and normalisation from
        its training texts only, as :meth:`fit` does, and the held-out texts keep only the
        training vocabulary. The one feature matrix of a fold serves every code.

        Parameters
        ----------
        X : list or Series of str
            The texts.
        y : codings
            As in :meth:`fit`.
        cv : int
            Number of folds.
        random_state : int, Generator or None
            Seed of the shuffling.
        progress : bool or None
            A progress bar (tqdm, on standard error) over the folds. ``None`` (default): only
            when standard error is a terminal and Python is not in a Jupyter / IPython kernel
            (executed notebooks stay free of bar text); ``True``: always; ``False``: never.

        Returns
        -------
        CrossValidationResult
            ``.table`` columns: ``code``; ``precision`` (of the texts given the code, the share
            that have it); ``recall`` (of the texts that have it, the share found); ``f1``
            (their harmonic mean; 0 when undefined); ``support`` (texts that have the code).
            Row ``"micro avg"`` pools the counts of every code; ``"macro avg"`` is the unweighted
            mean over codes. ``n_used`` counts the texts with a text and a coding.

        Raises
        ------
        ConfigError
            *cv* below 2 or above the number of texts; invalid parameters of the coder (as
            :meth:`fit`), before any fold is fitted.
        """
        from sklearn.model_selection import KFold

        txt, ok = _texts(X, "X")
        sets, codes = parse_labels(y, len(txt), sep=self.sep, name="y")
        ok &= np.array([s is not None for s in sets], dtype=bool)
        pos = np.flatnonzero(ok)
        if not (isinstance(cv, int) and 2 <= cv <= len(pos)):
            raise ConfigError(
                f"cv must be an integer from 2 to the number of usable texts ({len(pos)}), got {cv!r}."
            )
        col = {c: j for j, c in enumerate(codes)}
        Y = np.zeros((len(pos), len(codes)), dtype=np.int8)
        for r, i in enumerate(pos):
            for c in sets[i] or ():
                Y[r, col[c]] = 1
        t = [txt[i] for i in pos]
        pred = np.zeros_like(Y)
        seed = (
            random_state.integers(2**31 - 1)
            if isinstance(random_state, np.random.Generator)
            else random_state
        )
        folds = list(KFold(cv, shuffle=True, random_state=seed).split(pos))
        self._check()
        blocks = _count_blocks(t, self.char_ngrams, self.word_ngrams)
        multi = self.multi_label if self.multi_label != "auto" else bool((Y.sum(1) != 1).any())
        for train, test in progress_bar(
            folds, progress=progress, desc="cross-validation", total=cv, unit="fold"
        ):
            idx, pm = self._fold(t, Y, codes, train, test, blocks, bool(multi))
            pred[np.ix_(test, np.asarray(idx, dtype=np.intp))] = pm
        tp = (pred & Y).sum(0).astype(float)
        fp = (pred & (1 - Y)).sum(0).astype(float)
        fn = ((1 - pred) & Y).sum(0).astype(float)
        prec, rec, f1 = _prf(tp, fp, fn)
        mp, mr, mf = _prf(np.array([tp.sum()]), np.array([fp.sum()]), np.array([fn.sum()]))
        table = pd.DataFrame(
            {
                "code": pd.Series(codes, dtype=object),
                "precision": prec,
                "recall": rec,
                "f1": f1,
                "support": Y.sum(0).astype(np.int64),
            }
        )
        tail = pd.DataFrame(
            {
                "code": ["micro avg", "macro avg"],
                "precision": [mp[0], prec.mean()],
                "recall": [mr[0], rec.mean()],
                "f1": [mf[0], f1.mean()],
                "support": [int(Y.sum()), int(Y.sum())],
            }
        )
        table = pd.concat([table, tail], ignore_index=True)
        n_excluded = int((~ok).sum())
        notes = (f"{n_excluded} texts without text or coding left out.",) if n_excluded else ()
        return CrossValidationResult(
            table=table,
            micro_f1=float(mf[0]),
            macro_f1=float(f1.mean()),
            n_codes=len(codes),
            cv=cv,
            n_used=len(pos),
            n_excluded=n_excluded,
            notes=notes,
        )

    def _fold(
        self,
        t: list[str],
        Y: np.ndarray,
        codes: list[Any],
        train: np.ndarray,
        test: np.ndarray,
        blocks: list[_CountBlock] | None,
        multi: bool,
    ) -> tuple[list[int], np.ndarray]:
        """One fold of :meth:`cross_validate`: the columns of *Y* the fold's model learnt (the
        codes present in its training texts, in the order :meth:`fit` gives them) and its 0/1
        predictions for the *test* texts."""
        from sklearn.base import clone

        m = clone(self).set_params(multi_label=multi)
        feats = _fold_features(blocks, train, test, int(self.min_df)) if blocks else None
        if feats is None or len(train) < 2:  # an unusual fold: the reference path, errors and all
            m.fit([t[i] for i in train], [[codes[j] for j in np.flatnonzero(Y[i])] for i in train])
            col = {str(c).strip(): j for j, c in enumerate(codes)}
            return [col[c] for c in m.codes_], m.predict_matrix([t[i] for i in test])
        present = np.flatnonzero(Y[train].any(axis=0))
        if not len(present):
            raise DataError("y has no code at all; give at least one coded example per code.")
        idx = sorted((int(j) for j in present), key=lambda j: str(codes[j]).strip())
        F_tr, F_te = feats
        m._fit_features(F_tr, Y[np.ix_(train, np.asarray(idx))], [codes[j] for j in idx])
        return idx, m._matrix_from_proba(m._proba_features(F_te))

    def suggest(self, X: Any, *, n: int = 10, how: Literal["min", "mean"] = "min") -> pd.DataFrame:
        """The *n* uncoded texts a human should code next (uncertainty sampling).

        For each text and code the margin is ``|p - threshold|``, the distance of the predicted
        probability from the decision threshold (Lewis and Gale 1994). A text's uncertainty is the
        smallest margin over codes (``how="min"``: some code is a toss-up) or the mean margin
        (``how="mean"``: uncertain overall). In single-label mode the margin is the difference
        between the two most probable codes. The texts with the smallest margins come first.
        Missing or empty texts are skipped.

        Returns
        -------
        DataFrame
            Columns ``position`` (row in *X*), ``text``, ``margin`` (smaller is more
            uncertain) and ``code`` (the code with the smallest margin; in single-label mode the
            most probable code), *n* rows at most.
        """
        check_option(how, ["min", "mean"], "how")
        if not (isinstance(n, (int, np.integer)) and n >= 1):
            raise ConfigError(f"n must be a positive integer, got {n!r}.")
        txt, ok = _texts(X, "X")
        p = self.predict_proba(txt)
        if self.multi_label_ or p.shape[1] < 2:
            marg = np.abs(p - self.threshold)
            score = marg.min(1) if how == "min" else marg.mean(1)
            which = marg.argmin(1)
        else:
            top2 = np.sort(p, axis=1)[:, -2:]
            score = top2[:, 1] - top2[:, 0]
            which = p.argmax(1)
        score = np.where(ok, score, np.inf)
        order = np.argsort(score, kind="stable")[: min(n, int(ok.sum()))]
        codes = np.asarray(self.codes_, dtype=object)
        return pd.DataFrame(
            {
                "position": order,
                "text": [txt[i] for i in order],
                "margin": score[order],
                "code": codes[which[order]],
            }
        )
