"""Kano classification of needs: categories, indices, rules, segments and bootstrap intervals.

The computation is one table lookup over the answer codes and one weighted ``bincount`` over
(segment, feature, category): no Python loop over respondents.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, cast

import numpy as np
import pandas as pd

from needlab._engine import (
    ENGINES,
    Engine,
    _lazy,
    check_engine_columns,
    describe,
    is_engine_input,
    resolve_engine,
    to_pandas_input,
)
from needlab._progress import progress_bar, show_progress
from needlab._result import Result
from needlab._stats import kish_base
from needlab._types import Lang, RandomState, Weights
from needlab._validate import (
    as_design,
    check_columns,
    check_count,
    check_option,
    check_weights,
    preview,
)
from needlab.errors import ConfigError, DataError
from needlab.kano.answers import to_codes
from needlab.kano.tables import ALLOWED, CATEGORIES, evaluation_table, lookup_array

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from needlab.io.codebook import Codebook
    from needlab.io.read import Survey

__all__ = ["NEED_LABELS", "KanoResult", "kano"]

NEED_LABELS = {
    "en": {
        "A": "delight",
        "O": "expected",
        "M": "basic",
        "I": "indifferent",
        "R": "reverse",
        "Q": "questionable",
    },
    "zh": {
        "A": "兴奋需求",
        "O": "期望需求",
        "M": "基本需求",
        "I": "无差异需求",
        "R": "反向需求",
        "Q": "可疑结果",
    },
}
#: Planning order of the levels: basic needs first, then expected, then delight.
LEVEL_ORDER = ("M", "O", "A", "I", "R", "Q")

# DuMouchel's continuous-analysis scores by answer code (index 0 = missing).
_FUNCTIONAL_SCORE = np.array([np.nan, 4.0, 2.0, 0.0, -1.0, -2.0])
_DYSFUNCTIONAL_SCORE = np.array([np.nan, -2.0, -1.0, 0.0, 2.0, 4.0])
_FONG_Z = 1.65

Rule = Literal["mode", "mooi", "group"]


@dataclass(frozen=True, repr=False)
class KanoResult(Result):
    """Result of :func:`kano`.

    The counting unit is the respondent: ``n_used`` respondents have at least one complete
    (functional, dysfunctional) answer pair that entered the counts; ``n_excluded`` respondents
    were left out, each reason in :attr:`notes`: no complete answer pair at all, more than
    ``max_questionable`` questionable answers, or a weight of zero. In long format the
    respondents are the distinct ids.

    Attributes
    ----------
    table : DataFrame
        One row per feature (columns described in :func:`kano`).
    by_segment : DataFrame or None
        The same columns per segment (a first column named after ``by``), when ``by`` is given.
    segment_tests : DataFrame or None
        Per feature: chi-square test of the category distribution across segments.
    respondents : DataFrame
        Respondent x feature category letter (missing where the pair was incomplete or the
        respondent was excluded), to crosstab categories by any variable; indexed by the id
        column when there is one (``id=``, the Survey's id, or long format), else like the data.
    evaluation : DataFrame
        The 5x5 evaluation table used.
    rule : str
        The classification rule.
    lang : {"en", "zh"}
        Language of the ``need`` labels.
    """

    by_segment: pd.DataFrame | None = None
    segment_tests: pd.DataFrame | None = None
    respondents: pd.DataFrame | None = None
    evaluation: pd.DataFrame | None = None
    rule: str = "mode"
    lang: Lang = "en"

    title = "Kano classification"

    def summary(self) -> dict[str, Any]:
        """Key figures: the number of features, the rule and the features of each need level."""
        t = self.table
        out: dict[str, Any] = {"features": len(t), "rule": self.rule}
        for letter in LEVEL_ORDER:
            names = t.loc[t["category"] == letter, "feature"].astype(str).tolist()
            if names:
                out[NEED_LABELS[self.lang][letter]] = ", ".join(names)
        return out

    def tables(self) -> dict[str, pd.DataFrame]:
        """All tables by name, for :meth:`to_excel`."""
        out = {"kano": self.table}
        if self.by_segment is not None:
            out["kano by segment"] = self.by_segment
        if self.segment_tests is not None:
            out["segment tests"] = self.segment_tests
        return out

    def needs_by_level(self) -> pd.DataFrame:
        """Needs grouped by Kano level in planning order (basic, expected, delight, ...).

        Returns
        -------
        DataFrame
            Columns ``level`` (the category letter), ``need`` (its label), ``feature``,
            ``better``, ``worse``, ``category_strength``, ``fong_significant``, and
            ``importance`` when given; sorted by level, then by ``|worse|`` for basic needs and
            by ``better`` otherwise (largest first). Tied features come last with their
            combined label.
        """
        t = self.table.copy()
        order = {c: i for i, c in enumerate(LEVEL_ORDER)}
        t["_level"] = t["category"].map(order).fillna(len(order))
        t["_key"] = np.where(t["category"] == "M", -t["worse"].abs(), -t["better"])
        t = t.sort_values(["_level", "_key"], kind="stable")
        cols = [
            "category",
            "need",
            "feature",
            "better",
            "worse",
            "category_strength",
            "fong_significant",
        ] + (["importance"] if "importance" in t else [])
        return t[cols].rename(columns={"category": "level"}).reset_index(drop=True)

    def plot(
        self,
        ax: Axes | None = None,
        kind: Literal["better_worse", "continuous", "bars"] = "better_worse",
        **kwargs: Any,
    ) -> Axes:
        """Draw the Better-Worse diagram, the continuous-analysis plot or stacked category bars.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Where to draw; a new figure when omitted.
        kind : {"better_worse", "continuous", "bars"}, default "better_worse"
            ``"better_worse"``: one point per feature at (abs(worse), better) with the four
            quadrants (:func:`needlab.kano.plot.better_worse`); ``"continuous"``: DuMouchel's
            mean dysfunctional and functional scores with standard errors
            (:func:`~needlab.kano.plot.continuous`); ``"bars"``: stacked category shares per
            feature (:func:`~needlab.kano.plot.category_bars`).
        **kwargs
            Passed to the drawing function (e.g. ``segment=`` for one segment of ``by``).

        Returns
        -------
        matplotlib Axes
        """
        from needlab.kano import plot as kplot

        check_option(kind, ("better_worse", "continuous", "bars"), "kind")
        fn = {
            "better_worse": kplot.better_worse,
            "continuous": kplot.continuous,
            "bars": kplot.category_bars,
        }[kind]
        return fn(self, ax=ax, **kwargs)


def _resolve_pairs(
    data: pd.DataFrame | None, pairs: Any, *, have: tuple[Any, Any] | None = None
) -> dict[str, tuple[Hashable, Hashable]]:
    """``feature -> (functional column, dysfunctional column)`` from any accepted *pairs*.

    The columns are checked in *data*, or with ``have=(narwhals LazyFrame, the user's input)`` in an
    engine frame."""
    if hasattr(pairs, "kano_pairs"):
        pairs = pairs.kano_pairs()
    if isinstance(pairs, pd.DataFrame):
        need = ["feature", "functional", "dysfunctional"]
        missing = [c for c in need if c not in pairs.columns]
        if missing:
            raise ConfigError(f"a pairs table needs the columns {need}; it lacks {missing}.")
        pairs = {f: (a, b) for f, a, b in pairs[need].itertuples(index=False)}
    if not isinstance(pairs, Mapping) or not pairs:
        raise ConfigError(
            "pairs must map each feature to its (functional column, dysfunctional column), e.g. "
            "{'app control': ('q5a', 'q5b')}; or pass a Codebook with Kano items (or a Survey as "
            "data), or long-format columns id=, feature=, functional=, dysfunctional=."
        )
    out: dict[str, tuple[Hashable, Hashable]] = {}
    for feat, cols in pairs.items():
        if isinstance(cols, str) or not isinstance(cols, Sequence) or len(cols) != 2:
            raise ConfigError(
                f"feature {feat!r}: expected a pair (functional column, dysfunctional column), "
                f"got {cols!r}."
            )
        f, d = cols
        if f == d:
            raise ConfigError(
                f"feature {feat!r} uses column {f!r} as both its functional and dysfunctional "
                "question; give the two different columns."
            )
        if have is not None:
            check_engine_columns(have[0], [f, d], have[1])
        else:
            check_columns(cast(pd.DataFrame, data), [f, d], what=f"column of feature {feat!r}")
        out[str(feat)] = (f, d)
    return out


def _from_long(
    data: pd.DataFrame,
    id_col: Hashable,
    feature: Hashable,
    functional: Hashable,
    dysfunctional: Hashable,
    extra: Sequence[Hashable],
) -> tuple[pd.DataFrame, dict]:
    """Wide frame (one row per id) and its pairs from long-format Kano answers."""
    check_columns(data, [id_col, feature, functional, dysfunctional, *extra])
    dup = data.duplicated([id_col, feature], keep=False).to_numpy()
    if dup.any():
        rows = data.loc[dup, [id_col, feature]].head(5).itertuples(index=False)
        raise DataError(
            f"long-format Kano data has {int(dup.sum())} rows repeating a (respondent, feature) "
            f"pair, e.g. {preview([tuple(r) for r in rows])}; keep one answer pair per respondent "
            "and feature."
        )
    wide = data.pivot(index=id_col, columns=feature, values=[functional, dysfunctional])
    feats = list(pd.unique(data[feature]))
    frame = pd.DataFrame(index=wide.index)
    pairs = {}
    for k, feat in enumerate(feats):
        frame[f"__f{k}"] = wide[(functional, feat)]
        frame[f"__d{k}"] = wide[(dysfunctional, feat)]
        pairs[str(feat)] = (f"__f{k}", f"__d{k}")
    if extra:
        per = data.groupby(data[id_col], sort=False)[list(extra)]
        varying = [c for c, v in per.nunique(dropna=False).max().items() if v > 1]
        if varying:
            raise DataError(
                f"columns {varying} vary within a respondent in the long-format data; weights and "
                "segments must be constant per respondent."
            )
        frame = frame.join(per.first())
    return frame, pairs


def _cell_matrices(lut: np.ndarray) -> dict[str, np.ndarray]:
    """Maps from the 36 (functional, dysfunctional) code cells (code 0 = missing).

    ``category`` (36, 6) one-hot of each complete cell's category; ``valid`` (36,) complete
    cells; ``consistent`` (36,) cells classified A, O, M or I; ``functional`` and
    ``dysfunctional`` (36,) DuMouchel scores of the cell's answers.
    """
    flat = lut.ravel().astype(np.int64)
    valid = flat >= 0
    category = np.zeros((36, 6))
    category[np.flatnonzero(valid), flat[valid]] = 1.0
    f, d = np.divmod(np.arange(36), 6)
    return {
        "category": category,
        "valid": valid.astype(float),
        "consistent": (valid & (flat <= CATEGORIES.index("I"))).astype(float),
        "functional": np.nan_to_num(_FUNCTIONAL_SCORE[f]),
        "dysfunctional": np.nan_to_num(_DYSFUNCTIONAL_SCORE[d]),
    }


def _cell_mean_sd(
    weights: np.ndarray, n: np.ndarray, score: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Weighted mean and SD of a cell score per row of a (K, 36) weighted cell count array.

    The variance is the weighted mean squared deviation times n / (n - 1), with n the
    unweighted number of pairs (the usual sample SD when all weights are equal).
    """
    sw = weights.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = weights @ score / sw
        dev2 = (weights * (score[None, :] - mean[:, None]) ** 2).sum(axis=1) / sw
        sd = np.sqrt(dev2 * n / (n - 1))
    sd[n < 2] = np.nan
    return mean, sd


def _classify(counts: np.ndarray, rule: str, threshold: float) -> tuple[list[str], np.ndarray]:
    """Category label and tie flag per row of a (K, 6) count array."""
    k = counts.shape[0]
    total = counts.sum(axis=1, keepdims=True)
    scale = np.where(total > 0, total, 1.0)
    shares = counts / scale
    eps = 1e-9
    top = shares.max(axis=1, keepdims=True)
    at_top = (shares >= top - eps) & (total > 0)
    tie = at_top.sum(axis=1) > 1
    letters = np.array(CATEGORIES)

    def joined(mask_row: np.ndarray) -> str:
        return "/".join(letters[mask_row])

    labels: list[str] = []
    if rule == "group":
        aom = counts[:, :3].sum(axis=1)
        irq = counts[:, 3:].sum(axis=1)
        sub = np.where(
            (aom > irq)[:, None], np.r_[1, 1, 1, 0, 0, 0] > 0, np.r_[0, 0, 0, 1, 1, 1] > 0
        )
        masked = np.where(sub, shares, -1.0)
        best = masked.max(axis=1, keepdims=True)
        at_best = (masked >= best - eps) & sub
        tie = tie | (at_best.sum(axis=1) > 1)
        for i in range(k):
            labels.append(joined(at_best[i]) if total[i, 0] > 0 else "")
        return labels, tie & (total[:, 0] > 0)
    srt = np.sort(shares, axis=1)
    strength = srt[:, -1] - srt[:, -2]
    second = srt[:, -2:-1]
    top_two = (shares >= second - eps) & (shares > 0)
    mooi_order = [CATEGORIES.index(c) for c in ("M", "O", "A", "I")]
    for i in range(k):
        if total[i, 0] <= 0:
            labels.append("")
            continue
        if rule == "mooi" and strength[i] < threshold:
            pick = next((j for j in mooi_order if top_two[i, j]), None)
            if pick is not None:
                labels.append(CATEGORIES[pick])
                continue
        labels.append(joined(at_top[i]))
    return labels, tie


def _indices(
    counts: np.ndarray, n: np.ndarray, n_eff: np.ndarray, rule: str, threshold: float, lang: str
) -> pd.DataFrame:
    """The per-row indices of a (K, 6) weighted count array."""
    a, o, m, i = (counts[:, j] for j in range(4))
    total = counts.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = counts / total[:, None]
        aomi = a + o + m + i
        better = (a + o) / aomi
        worse = -(o + m) / aomi
    srt = np.sort(shares, axis=1)
    strength = srt[:, -1] - srt[:, -2]
    # Fong (1996) on counts expressed on the effective base.
    fa, fb = srt[:, -1] * n_eff, srt[:, -2] * n_eff
    with np.errstate(invalid="ignore"):
        crit = _FONG_Z * np.sqrt((fa + fb) * (2 * n_eff - fa - fb) / (2 * n_eff))
    fong = np.abs(fa - fb) >= crit
    labels, tie = _classify(counts, rule, threshold)
    need_map = NEED_LABELS[lang]
    out = pd.DataFrame({"n": n.astype(int), "n_eff": n_eff})
    for j, c in enumerate(CATEGORIES):
        out[c] = counts[:, j]
    for j, c in enumerate(CATEGORIES):
        out[f"share_{c}"] = shares[:, j]
    out["category"] = [lab or np.nan for lab in labels]
    out["tie"] = tie
    out["need"] = [
        "/".join(need_map[x] for x in lab.split("/")) if lab else np.nan for lab in labels
    ]
    out["better"] = better
    out["worse"] = worse
    out["category_strength"] = strength
    out["total_strength"] = shares[:, :3].sum(axis=1)
    out["fong_significant"] = np.where(total > 0, fong, False)
    return out


def _cell_table(
    c1: np.ndarray,
    cw: np.ndarray,
    cw2: np.ndarray,
    cells: dict[str, np.ndarray],
    features: list[str],
    name: Hashable | None,
    levels: list[Any],
    n_missing: np.ndarray,
    rule: str,
    threshold: float,
    lang: str,
) -> tuple[pd.DataFrame, np.ndarray]:
    """The Kano table of one grouping from its (groups x features, 36) cell sums.

    ``c1``: rows per (functional code, dysfunctional code) cell; ``cw``, ``cw2``: sums of w and
    w^2 per cell. Categories, bases, indices and DuMouchel scores all follow from these.
    """
    n_feat = len(features)
    n_groups = c1.shape[0] // n_feat
    counts = cw @ cells["category"]
    n = c1 @ cells["valid"]
    sw, sw2 = cw @ cells["valid"], cw2 @ cells["valid"]
    with np.errstate(invalid="ignore", divide="ignore"):
        n_eff = kish_base(sw, sw2)
    out = _indices(counts, n, n_eff, rule, threshold, lang)
    out.insert(0, "feature", np.tile(np.array(features, dtype=object), n_groups))
    if name is not None:
        out.insert(0, name, np.repeat(np.array(levels, dtype=object), n_feat))
    else:
        out.insert(list(out.columns).index("n_eff") + 1, "n_missing", n_missing)
    for side in ("functional", "dysfunctional"):
        mean, sd = _cell_mean_sd(cw * cells["consistent"], c1 @ cells["consistent"], cells[side])
        out[f"{side}_score"] = mean
        out[f"{side}_sd"] = sd
    return out, counts


def kano(
    data: pd.DataFrame | Survey | Any,
    pairs: Mapping[str, tuple[Hashable, Hashable]] | pd.DataFrame | Codebook | None = None,
    *,
    table: str | Sequence[Sequence[str]] | pd.DataFrame = "standard",
    rule: Rule = "mode",
    weights: Weights = None,
    importance: Mapping[str, Hashable] | None = None,
    by: Hashable | None = None,
    answers: Mapping[Hashable, int] | None = None,
    max_questionable: int | None = None,
    n_boot: int = 0,
    ci: float = 0.95,
    random_state: RandomState = None,
    progress: bool | None = None,
    lang: Lang = "en",
    threshold: float = 0.06,
    on_empty: Literal["error", "report"] = "error",
    id: Hashable | None = None,
    feature: Hashable | None = None,
    functional: Hashable | None = None,
    dysfunctional: Hashable | None = None,
    engine: Engine = "auto",
) -> KanoResult:
    """Classify needs with the Kano method and compute the standard Kano indices.

    Each respondent's (functional, dysfunctional) answer pair for a feature is looked up in the
    evaluation table, giving one of A (attractive: delight need), O (one-dimensional: expected
    need), M (must-be: basic need), I (indifferent), R (reverse) or Q (questionable). The
    category counts per feature are then summarised.

    Parameters
    ----------
    data : DataFrame, Survey, Parquet/CSV path or engine frame
        One row per respondent (wide format), or one row per respondent and feature (long
        format, with ``id=``, ``feature=``, ``functional=``, ``dysfunctional=``). A
        :class:`~needlab.Survey` brings its Kano pairs, weight column and id column (its answer
        codes are used; a ``by`` column with value labels shows its labels in *lang*).
    pairs : mapping, DataFrame or Codebook, optional
        ``feature -> (functional column, dysfunctional column)``; or a table with columns
        ``feature``, ``functional``, ``dysfunctional``; or a :class:`needlab.Codebook` whose
        ``kano_functional`` / ``kano_dysfunctional`` items share a ``feature``. Default: the
        Survey's codebook. Not used with long format.
    table : {"standard", "pouliot", "short3"} or 5x5 table
        The evaluation table (see :mod:`needlab.kano.tables`).
    rule : {"mode", "mooi", "group"}
        How the category of a feature is chosen from its counts:

        - ``"mode"``: the most frequent of the six categories.
        - ``"mooi"``: as ``"mode"``, but when the category strength is below ``threshold``, the
          first of M, O, A, I (in that order, after Berger et al. 1993: "M > O > A > I") found
          among the two most frequent categories.
        - ``"group"``: if A+O+M > I+R+Q, the largest of O, A, M; else the largest of I, R, Q.

        Ties are never broken alphabetically: a tie gives the tied letters joined by ``/``
        (e.g. ``"A/O"``) and ``tie=True``; ``"mooi"`` resolves ties it covers by its order and
        still reports ``tie=True``.
    weights : str, array, False or None
        Survey weights (column name or array); counts become weighted counts. ``None``: the
        Survey's weight column (unweighted for a DataFrame); ``False``: unweighted. Respondents
        with weight 0 are excluded (counted in ``n_excluded``).
    importance : mapping, optional
        ``feature -> column`` of self-stated importance; its (weighted) mean is reported.
    by : str, optional
        Segment column: adds ``by_segment`` tables and ``segment_tests``.
    answers : mapping, optional
        Extra ``label -> code`` answer mappings (codes 1 like .. 5 dislike); see
        :mod:`needlab.kano.answers` for the built-in wordings in English and Chinese.
    max_questionable : int, optional
        Exclude respondents with more than this many Q answers (over all features); they are
        counted in ``n_excluded``, with a note.
    n_boot : int, default 0
        Bootstrap replicates for intervals of ``better`` and ``worse`` (respondents resampled,
        weights kept: each replicate's weight is the survey weight times the multinomial
        resampling count).
    ci : float, default 0.95
        Level of the percentile bootstrap intervals.
    random_state : int or Generator, optional
        Seed for the bootstrap.
    progress : bool or None
        A progress bar (tqdm, on standard error) over the bootstrap, in about 20 steps.
        ``None`` (default): shown only when standard error is a terminal and Python is not
        running in a Jupyter / IPython kernel (executed notebooks stay free of bar text);
        ``True``: always; ``False``: never. It does not change the result.
    lang : {"en", "zh"}
        Language of the ``need`` labels (basic / expected / delight ... or 基本需求 / 期望需求 /
        兴奋需求 ...).
    threshold : float, default 0.06
        Category-strength threshold of the ``"mooi"`` rule (6 percentage points).
    on_empty : {"error", "report"}
        A feature with no complete answer pair raises (default) or is kept as a row with
        ``n = 0`` and missing indices, with a note.
    id : str, optional
        The respondent id column: indexes :attr:`KanoResult.respondents`; default the Survey's
        id column. Required with long format (one id per respondent).
    feature, functional, dysfunctional : str, optional
        Column names of long-format input (with ``id``).
    engine : {"auto", "pandas", "duckdb"}, default "auto"
        Where the counting runs. A Polars frame, DuckDB relation, SQLFrame/PySpark DataFrame
        or Parquet/CSV path is counted where it lives (``"auto"``): per (feature, functional
        answer, dysfunctional answer, segment) the rows, sum of w and sum of w^2, from which
        every statistic above follows exactly as on the pandas path (DuMouchel scores
        included); ``pairs`` must then be given and ``weights`` be a column name, and
        :attr:`KanoResult.respondents` is None (it is row-level). ``n_boot > 0``,
        ``importance=`` and long format need row-level data: the frame is collected into pandas
        by :func:`needlab._engine.collect_rows` (size-checked: more than
        ``MAX_COLLECT_ROWS`` rows raise with the fixes) and a note says so. A pandas frame or
        Survey is counted in numpy (one bincount) unless ``engine="duckdb"``, which counts it
        in DuckDB in place (``respondents`` is then None too); ``"pandas"`` collects an engine
        frame first.

    Returns
    -------
    KanoResult
        ``n_used``: respondents with at least one complete answer pair counted; ``n_excluded``:
        respondents without any complete pair, above ``max_questionable`` or with weight 0
        (each reason in ``notes``). ``.table`` has one row per feature with columns:

        - ``feature``; ``n``: complete answer pairs (unweighted); ``n_eff``: Kish effective
          base (sum w)^2 / sum w^2 of those pairs (equals ``n`` without weights);
          ``n_missing``: respondents without a complete pair for this feature (excluded
          respondents not counted).
        - ``A, O, M, I, R, Q``: (weighted) category counts; ``share_A`` .. ``share_Q``: each
          count over all six (A+O+M+I+R+Q).
        - ``category``: the category by ``rule`` (tied letters joined by ``/``); ``tie``;
          ``need``: its label (M basic, O expected, A delight, I indifferent, R reverse,
          Q questionable).
        - ``better`` = (A+O)/(A+O+M+I) and ``worse`` = -(O+M)/(A+O+M+I), the satisfaction and
          dissatisfaction coefficients of Berger et al. (1993); R and Q answers are excluded
          from their denominator.
        - ``category_strength``: share of the top category minus the second (Lee & Newcomb
          1997), shares over all six categories; ``total_strength``: share of A+O+M.
        - ``fong_significant``: Fong's (1996) test that the two most frequent categories differ:
          with a, b their counts and n the base, significant when
          \\|a - b\\| >= 1.65 sqrt((a+b)(2n-a-b)/(2n)); with weights a, b and n are put on the
          Kish effective base (share x n_eff).
        - ``functional_score``, ``functional_sd``, ``dysfunctional_score``, ``dysfunctional_sd``:
          DuMouchel's continuous analysis (Berger et al. 1993): functional answers scored like 4,
          must-be 2, neutral 0, live-with -1, dislike -2; dysfunctional like -2, must-be -1,
          neutral 0, live-with 2, dislike 4; (weighted) mean and standard deviation over the
          complete pairs classified A, O, M or I (R and Q pairs excluded as inconsistent).
        - ``importance``: (weighted) mean self-stated importance, when given.
        - ``better_low``, ``better_high``, ``worse_low``, ``worse_high``: bootstrap interval,
          when ``n_boot > 0``.

    Raises
    ------
    ConfigError
        Bad ``pairs``, ``table``, ``rule`` or options: ``n_boot`` or ``max_questionable`` not
        a whole number >= 0, ``ci`` outside (0, 1), ``threshold`` outside [0, 1).
    SchemaError
        A column that does not exist.
    DataError
        Answers outside the scale or unknown labels (named with the feature), invalid weights,
        a feature with no complete pair (``on_empty="error"``).

    References
    ----------
    Berger, C., et al. (1993). Kano's methods for understanding customer-defined quality.
    *Center for Quality Management Journal*, 2(4), 3-36.
    Fong, D. (1996). Using the self-stated importance questionnaire to interpret Kano
    questionnaire results. *Center for Quality Management Journal*, 5(3), 21-23.
    Lee, M. C., & Newcomb, J. F. (1997). Applying the Kano methodology to meet customer
    requirements: NASA's microgravity science program. *Quality Management Journal*, 4(3),
    95-110.

    Examples
    --------
    >>> df = pd.DataFrame({"f": [1, 1, 2, 1], "d": [5, 4, 5, 3]})
    >>> res = kano(df, {"app": ("f", "d")})
    >>> res.table[["feature", "n", "A", "O", "M", "category", "better", "worse"]]
      feature  n    A    O    M category  better  worse
    0     app  4  2.0  1.0  1.0        A    0.75   -0.5
    >>> res.n_used, res.n_excluded
    (4, 0)
    """
    check_option(engine, ENGINES, "engine")
    check_option(rule, ("mode", "mooi", "group"), "rule")
    check_option(lang, ("en", "zh"), "lang")
    check_option(on_empty, ("error", "report"), "on_empty")
    if not (isinstance(ci, (int, float)) and not isinstance(ci, bool) and 0 < ci < 1):
        raise ConfigError(f"ci must be strictly between 0 and 1, got {ci!r}.")
    check_count(n_boot, "n_boot", hint="0 (the default) turns the bootstrap off")
    show_progress(progress)  # a bad value fails before any work
    if max_questionable is not None:
        check_count(
            max_questionable,
            "max_questionable",
            hint="0 excludes respondents with any Q answer; None keeps everyone",
        )
    if not (
        isinstance(threshold, (int, float))
        and not isinstance(threshold, bool)
        and 0 <= threshold < 1
    ):
        raise ConfigError(
            f"threshold must be a share from 0 to below 1 (the category-strength threshold of "
            f"rule='mooi', default 0.06), got {threshold!r}."
        )
    where = resolve_engine(data, engine)
    engine_input = is_engine_input(data)
    long_format = any(c is not None for c in (feature, functional, dysfunctional))
    row_level = [
        why
        for why, on in (
            ("n_boot > 0 (the bootstrap resamples respondents)", bool(n_boot)),
            ("importance= (a per-respondent mean)", bool(importance)),
            ("long format (respondents are rebuilt from their rows)", long_format),
        )
        if on
    ]
    use_engine = where != "pandas" and not row_level and (engine_input or engine == "duckdb")
    collected_note = ""
    if engine_input and not use_engine:
        source = describe(data)
        data = to_pandas_input(data)  # a file is read; an engine frame collected, size-checked
        if row_level:
            collected_note = (
                f"the {source} was collected into pandas ({len(data)} rows) because "
                f"{'; '.join(row_level)} needs row-level data."
            )
    if use_engine and engine_input:
        return _kano_engine(
            data,
            where,
            pairs,
            weights=weights,
            by=by,
            answers=answers,
            table=table,
            rule=rule,
            max_questionable=max_questionable,
            threshold=threshold,
            on_empty=on_empty,
            lang=lang,
        )
    design = as_design(data, weights=weights, id=id)
    data = design.data
    w_spec: Any = design.weights  # a column name or array, resolved by check_weights below
    if pairs is None and design.codebook is not None:
        pairs = design.codebook
    if by is not None and design.codebook is not None and by in design.codebook:
        check_columns(data, by)
        data = data.copy()
        data[by] = design.codebook.apply(data[[by]], lang=lang)[by]
    id_col = design.id
    long_cols = (feature, functional, dysfunctional)
    if any(c is not None for c in long_cols):
        if any(c is None for c in long_cols) or id_col is None or pairs is not None:
            raise ConfigError(
                "long-format input needs all of id=, feature=, functional=, dysfunctional= "
                "and no pairs."
            )
        extra = [
            c
            for c in (by, w_spec)
            if isinstance(c, Hashable) and c is not None and not isinstance(c, np.ndarray)
        ]
        if importance:
            raise ConfigError("importance= is supported with wide-format data only.")
        data, pairs = _from_long(data, id_col, feature, functional, dysfunctional, extra)
    elif id_col is not None:
        if id is not None:
            check_columns(data, id_col, what="id column")
        if id_col in data.columns:
            data = data.set_index(id_col, drop=False)
    pairs = _resolve_pairs(data, pairs)
    evaluation = evaluation_table(table)
    lut = lookup_array(evaluation)
    allowed = ALLOWED.get(table, (1, 2, 3, 4, 5)) if isinstance(table, str) else (1, 2, 3, 4, 5)
    features = list(pairs)
    n_rows, n_feat = len(data), len(features)
    w = check_weights(data, w_spec)
    weighted = w is not None
    w = np.ones(n_rows) if w is None else w
    if use_engine:  # a pandas frame counted by DuckDB in place (engine="duckdb")
        names = list(dict.fromkeys(c for fd in pairs.values() for c in fd))
        src: dict[str, Any] = {f"__a{k}": data[c].to_numpy() for k, c in enumerate(names)}
        alias = {c: f"__a{k}" for k, c in enumerate(names)}
        if by is not None:
            check_columns(data, by)
            by_codes, by_levels = pd.factorize(data[by], sort=True)  # category order kept
            src["__by"] = np.where(by_codes >= 0, by_codes, np.nan)
        if weighted:
            src["__w"] = w
        return _kano_engine(
            pd.DataFrame(src, copy=False),
            "duckdb",
            {f: (alias[a], alias[b]) for f, (a, b) in pairs.items()},
            weights="__w" if weighted else None,
            by="__by" if by is not None else None,
            answers=answers,
            table=table,
            rule=rule,
            max_questionable=max_questionable,
            threshold=threshold,
            on_empty=on_empty,
            lang=lang,
            checked=True,
            shown={**{v: k for k, v in alias.items()}, "__by": by},
            by_levels=list(by_levels) if by is not None else None,
        )

    fcodes = np.empty((n_rows, n_feat), dtype=np.int8)
    dcodes = np.empty((n_rows, n_feat), dtype=np.int8)
    for j, feat in enumerate(features):
        for codes, col, side in (
            (fcodes, pairs[feat][0], "functional"),
            (dcodes, pairs[feat][1], "dysfunctional"),
        ):
            codes[:, j] = to_codes(
                data[col], answers=answers, name=f"feature {feat!r} ({side} column {col!r})"
            )
            if len(allowed) < 5:
                bad = (codes[:, j] > 0) & ~np.isin(codes[:, j], allowed)
                if bad.any():
                    raise DataError(
                        f"feature {feat!r} ({side} column {col!r}) has {int(bad.sum())} answers "
                        f"'must-be' or 'live-with', which the {table!r} table does not allow; "
                        "use table='standard'."
                    )
    cat = lut[fcodes, dcodes]  # (n, F), -1 where either answer is missing

    notes: list[str] = []
    # Respondents left out: no complete pair at all, too many Q answers, weight 0. Each is
    # counted once, in that order, in n_excluded.
    no_pair = ~(cat >= 0).any(axis=1)
    too_many = np.zeros(n_rows, dtype=bool)
    if max_questionable is not None:
        too_many = (cat == CATEGORIES.index("Q")).sum(axis=1) > int(max_questionable)
    zero_weight = (w == 0) & ~no_pair & ~too_many if weighted else np.zeros(n_rows, dtype=bool)
    for mask, why in (
        (no_pair, "no complete (functional, dysfunctional) answer pair"),
        (too_many, f"more than {max_questionable} questionable (Q) answers"),
        (zero_weight, "weight 0"),
    ):
        if mask.any():
            notes.append(f"{int(mask.sum())} of {n_rows} respondents excluded: {why}.")
    dropped = too_many | zero_weight
    cat[dropped] = -1
    removed = int(dropped.sum())
    n_excluded = int((no_pair | dropped).sum())
    n_missing = (cat < 0).sum(axis=0) - removed
    empty = [f for f, k in zip(features, (cat >= 0).sum(axis=0), strict=True) if k == 0]
    if empty:
        if on_empty == "error" or len(empty) == n_feat:
            raise DataError(
                f"features {preview(empty)} have no complete (functional, dysfunctional) answer "
                "pair; check their columns, or pass on_empty='report' to keep them as empty rows."
            )
        notes.append(
            f"features with no complete answer pair (reported with n = 0): {preview(empty)}."
        )

    # Segments.
    groups: list[tuple[Hashable | None, np.ndarray, int, list[Any]]] = [
        (None, np.zeros(n_rows, dtype=np.int64), 1, [None])
    ]
    if by is not None:
        check_columns(data, by)
        seg_codes, seg_levels = pd.factorize(data[by], sort=True)
        if (seg_codes < 0).any():
            notes.append(
                f"{int((seg_codes < 0).sum())} respondents with missing {by!r} are left "
                "out of the segment tables (kept in the overall table)."
            )
        groups.append((by, seg_codes.astype(np.int64), len(seg_levels), list(seg_levels)))

    importance = dict(importance or {})
    for feat, col in importance.items():
        if feat not in pairs:
            raise ConfigError(f"importance names feature {feat!r}, which is not in pairs.")
        check_columns(data, col, what=f"importance column of feature {feat!r}")

    # One pass over the answers: counts of every (group, feature, functional, dysfunctional)
    # combination. Categories, bases and DuMouchel scores all follow from these 36 cells per
    # feature, so nothing else touches the n x F answer matrix.
    combo = fcodes.astype(np.int32) * 6 + dcodes
    if removed:
        combo[dropped] = 0
    cells = _cell_matrices(lut)
    imp_cols = {
        j: pd.to_numeric(data[importance[f]], errors="coerce").to_numpy(float)
        for j, f in enumerate(features)
        if f in importance
    }
    frames = []
    tables = []
    for name, g, n_groups, levels in groups:
        size = n_groups * n_feat
        slot = np.where(g >= 0, g, n_groups)  # missing segment -> a spare slot, dropped below
        idx = (combo + (slot[:, None] * n_feat + np.arange(n_feat, dtype=np.int32)) * 36).ravel()
        length = (n_groups + 1) * n_feat * 36
        c1 = np.bincount(idx, minlength=length)[: size * 36].reshape(size, 36).astype(float)
        if weighted:
            cw = np.bincount(idx, weights=np.repeat(w, n_feat), minlength=length)
            cw2 = np.bincount(idx, weights=np.repeat(w * w, n_feat), minlength=length)
            cw, cw2 = (x[: size * 36].reshape(size, 36) for x in (cw, cw2))
        else:
            cw = cw2 = c1
        out, counts = _cell_table(
            c1, cw, cw2, cells, features, name, levels, n_missing, rule, threshold, lang
        )
        if importance:
            imp = np.full(size, np.nan)
            for j, x in imp_cols.items():
                ok = np.isfinite(x) & (g >= 0) & ~dropped
                with np.errstate(invalid="ignore", divide="ignore"):
                    imp[j::n_feat] = np.bincount(
                        g[ok], weights=w[ok] * x[ok], minlength=n_groups
                    ) / np.bincount(g[ok], weights=w[ok], minlength=n_groups)
            out["importance"] = imp
        if n_boot:
            cat = lut[fcodes, dcodes]
            cat[dropped] = -1
            key = g[:, None] * n_feat + np.arange(n_feat)[None, :]
            valid = (cat >= 0) & (g[:, None] >= 0)
            lo_hi = _bootstrap(
                cat, w, key, valid, size, int(n_boot), ci, random_state, progress=progress
            )
            for c, v in lo_hi.items():
                out[c] = v
        tables.append(out)
        frames.append(counts)

    overall = tables[0]
    by_segment = tables[1] if len(tables) > 1 else None
    segment_tests = None
    if by is not None:
        segment_tests = _segment_tests(frames[1], tables[1], features, n_feat, weighted)
        if segment_tests["small_cells"].any():
            notes.append(
                "segment tests with small expected counts (< 5 in over 20% of cells, or "
                "any < 1) are flagged in segment_tests.small_cells; read them with care."
            )
    if weighted:
        notes.append(
            "counts are weighted; n is the unweighted number of complete pairs, n_eff "
            "the Kish effective base."
        )
    if collected_note:
        notes.append(collected_note)
    resp = pd.DataFrame(
        {
            feat: pd.Categorical.from_codes(
                cat[:, j].astype(np.int64, copy=False), categories=pd.Index(CATEGORIES)
            )
            for j, feat in enumerate(features)
        },
        index=data.index,
    )
    return KanoResult(
        overall,
        by_segment=by_segment,
        segment_tests=segment_tests,
        respondents=resp,
        evaluation=evaluation,
        rule=rule,
        lang=lang,
        n_used=n_rows - n_excluded,
        n_excluded=n_excluded,
        notes=tuple(notes),
    )


def _kano_engine(
    data: Any,
    how: str,
    pairs: Any,
    *,
    weights: Any,
    by: Hashable | None,
    answers: Mapping[Hashable, int] | None,
    table: Any,
    rule: str,
    max_questionable: int | None,
    threshold: float,
    on_empty: str,
    lang: Lang,
    checked: bool = False,
    shown: Mapping[Hashable, Hashable] | None = None,
    by_levels: list[Any] | None = None,
) -> KanoResult:
    """:func:`kano` counted in an engine: one grouped count per (feature, cell, exclusion, segment).

    Each answer column's distinct values are counted first and mapped to the codes 1..5 in
    pandas (:func:`~needlab.kano.answers.to_codes`, so labels, unknown labels and codes outside
    the scale behave as on the pandas path); the engine then computes per row the cell
    ``6 * functional code + dysfunctional code`` of every feature (0 for a respondent left out)
    and the exclusion reason, stacks the features and returns, per (feature, cell, reason,
    segment), the rows, sum of w and sum of w^2. Everything after is the pandas path's code.
    """
    import narwhals as nw

    shown = dict(shown or {})

    def name_of(c: Hashable) -> Hashable:
        return shown.get(c, c)

    if pairs is None:
        raise ConfigError(
            f"kano on a {describe(data)} needs pairs= (feature -> (functional column, "
            "dysfunctional column), a pairs table or a Codebook); read the survey with "
            "needlab.read_survey(..., lazy=True) to keep its codebook, or pass pairs."
        )
    if weights is False:
        weights = None
    if weights is not None and not isinstance(weights, str):
        raise ConfigError(
            f"weights for a {describe(data)} must name one of its columns (got a "
            f"{type(weights).__name__}); add the weights as a column in the engine."
        )
    lf = _lazy(data, how)
    pairs = _resolve_pairs(None, pairs, have=(lf, data))
    features = list(pairs)
    n_feat = len(features)
    check_engine_columns(lf, [c for c in (weights, by) if c is not None], data)
    evaluation = evaluation_table(table)
    lut = lookup_array(evaluation)
    allowed = ALLOWED.get(table, (1, 2, 3, 4, 5)) if isinstance(table, str) else (1, 2, 3, 4, 5)

    # Answer codes: distinct values counted in the engine, matched in pandas.
    code_expr: dict[str, Any] = {}
    for feat in features:
        for col, side in zip(pairs[feat], ("functional", "dysfunctional"), strict=True):
            key = str(col)
            if key in code_expr:
                continue
            label = f"feature {feat!r} ({side} column {name_of(col)!r})"
            vals = (
                lf.group_by(key, drop_null_keys=False)
                .agg(nw.len().alias("__n"))
                .collect()
                .to_pandas()
            )
            codes = to_codes(vals[key], answers=answers, name=label)
            if len(allowed) < 5:
                bad = (codes > 0) & ~np.isin(codes, allowed)
                if bad.any():
                    k_bad = int(vals["__n"].to_numpy()[bad].sum())
                    raise DataError(
                        f"{label} has {k_bad} answers 'must-be' or 'live-with', which the "
                        f"{table!r} table does not allow; use table='standard'."
                    )
            expr: Any = nw.lit(0, nw.Int64)
            for v, c in zip(vals[key].tolist(), codes.tolist(), strict=True):
                if c > 0:
                    v = v.item() if isinstance(v, np.generic) else v
                    hit = (nw.col(key) == v).fill_null(False).cast(nw.Int64)
                    expr = expr + hit * int(c)
            code_expr[key] = expr
    flat = lut.ravel()
    valid_cells = np.flatnonzero(flat >= 0).tolist()
    q_cells = np.flatnonzero(flat == CATEGORIES.index("Q")).tolist()
    combos = [code_expr[str(pairs[f][0])] * 6 + code_expr[str(pairs[f][1])] for f in features]
    lf = lf.with_columns(*[c.alias(f"__c{j}") for j, c in enumerate(combos)])
    n_valid = nw.sum_horizontal(
        *[nw.col(f"__c{j}").is_in(valid_cells).cast(nw.Int64) for j in range(n_feat)]
    )
    n_q = nw.sum_horizontal(
        *[nw.col(f"__c{j}").is_in(q_cells).cast(nw.Int64) for j in range(n_feat)]
    )
    w = nw.col(str(weights)).cast(nw.Float64) if weights is not None else nw.lit(1.0, nw.Float64)
    too_many = n_q > int(max_questionable) if max_questionable is not None else nw.lit(False)
    # exclusion reason, counted once in this order: 1 no pair, 2 too many Q, 3 weight 0
    reason = (
        nw.when(n_valid == 0)
        .then(nw.lit(1, nw.Int64))
        .otherwise(
            nw.when(too_many)
            .then(nw.lit(2, nw.Int64))
            .otherwise(
                nw.when((w == 0).fill_null(False))
                .then(nw.lit(3, nw.Int64))
                .otherwise(nw.lit(0, nw.Int64))
            )
        )
    )
    lf = lf.with_columns(reason.alias("__why"), w.alias("__w"))
    keep = [
        nw.when(nw.col("__why") >= 2).then(nw.lit(0, nw.Int64)).otherwise(nw.col(f"__c{j}"))
        for j in range(n_feat)
    ]
    index = ["__why", "__w", *([str(by)] if by is not None else [])]
    # one block of rows per feature, stacked (narwhals' unpivot on DuckDB runs on the default
    # connection, which cannot read a relation of another one)
    long = nw.concat(
        [
            lf.select(*index, nw.lit(j, nw.Int64).alias("__f"), k.alias("__c"))
            for j, k in enumerate(keep)
        ],
        how="vertical",
    )
    aggs = [
        nw.len().alias("n"),
        nw.col("__w").sum().alias("sum_w"),
        (nw.col("__w") * nw.col("__w")).sum().alias("sum_w2"),
    ]
    check_w = weights is not None and not checked
    if check_w:
        aggs += [
            nw.col("__w").is_null().cast(nw.Float64).sum().alias("__null"),
            (~nw.col("__w").is_finite()).cast(nw.Float64).sum().alias("__nonfinite"),
            (nw.col("__w") < 0).cast(nw.Float64).sum().alias("__neg"),
        ]
    keys = ["__f", "__c", "__why", *([str(by)] if by is not None else [])]
    cells_t = long.group_by(*keys, drop_null_keys=False).agg(*aggs).collect().to_pandas()
    feat_idx = cells_t["__f"].to_numpy(dtype=np.int64)
    first = feat_idx == 0
    if check_w:
        for col, what in (
            ("__null", "missing"),
            ("__nonfinite", "non-finite"),
            ("__neg", "negative"),
        ):
            k = float(cells_t.loc[first, col].sum())
            if k:
                raise DataError(
                    f"weights {weights!r} has {int(k)} {what} values in the {describe(data)}; "
                    "weights must be finite and >= 0 (set them or filter those rows)."
                )
        if float(cells_t.loc[first, "sum_w"].sum()) <= 0:
            raise DataError(
                f"weights {weights!r} sum to zero in the {describe(data)}; at least one weight "
                "must be positive."
            )
    cn = np.rint(cells_t["n"].to_numpy(dtype=float)).astype(np.int64)
    csw = cells_t["sum_w"].to_numpy(dtype=float)
    csw2 = cells_t["sum_w2"].to_numpy(dtype=float)
    combo = cells_t["__c"].to_numpy(dtype=np.int64)
    why = cells_t["__why"].to_numpy(dtype=np.int64)
    n_rows = int(cn[first].sum())
    per_reason = np.bincount(why[first], weights=cn[first], minlength=4).astype(np.int64)
    weighted = weights is not None

    notes: list[str] = []
    for code, text in (
        (1, "no complete (functional, dysfunctional) answer pair"),
        (2, f"more than {max_questionable} questionable (Q) answers"),
        (3, "weight 0"),
    ):
        if per_reason[code]:
            notes.append(f"{int(per_reason[code])} of {n_rows} respondents excluded: {text}.")
    removed = int(per_reason[2] + per_reason[3])
    n_excluded = int(per_reason[1:].sum())
    cells = _cell_matrices(lut)
    c1_all = np.zeros(n_feat * 36)
    np.add.at(c1_all, feat_idx * 36 + combo, cn)
    n_complete = c1_all.reshape(n_feat, 36) @ cells["valid"]
    n_missing = (n_rows - removed - n_complete).astype(np.int64)
    empty = [f for f, k in zip(features, n_complete, strict=True) if k == 0]
    if empty:
        if on_empty == "error" or len(empty) == n_feat:
            raise DataError(
                f"features {preview(empty)} have no complete (functional, dysfunctional) answer "
                "pair; check their columns, or pass on_empty='report' to keep them as empty rows."
            )
        notes.append(
            f"features with no complete answer pair (reported with n = 0): {preview(empty)}."
        )

    groups: list[tuple[Hashable | None, np.ndarray, int, list[Any]]] = [
        (None, np.zeros(len(cells_t), dtype=np.int64), 1, [None])
    ]
    if by is not None:
        if by_levels is None:
            seg_codes, seg_levels = pd.factorize(cells_t[str(by)], sort=True)
        else:  # the segment's codes, factorized in pandas (a categorical keeps its order)
            seg_codes = np.nan_to_num(cells_t[str(by)].to_numpy(dtype=float), nan=-1).astype(int)
            seg_levels = pd.Index(by_levels)
        miss_seg = int(cn[first & (seg_codes < 0)].sum())
        if miss_seg:
            notes.append(
                f"{miss_seg} respondents with missing {name_of(by)!r} are left "
                "out of the segment tables (kept in the overall table)."
            )
        groups.append((name_of(by), seg_codes.astype(np.int64), len(seg_levels), list(seg_levels)))
    tables, frames = [], []
    for name, g, n_groups, levels in groups:
        size = n_groups * n_feat
        ok = g >= 0
        idx = ((g * n_feat + feat_idx) * 36 + combo)[ok]
        c1, cw, cw2 = (
            np.bincount(idx, weights=v[ok], minlength=size * 36).reshape(size, 36)
            for v in (cn.astype(float), csw, csw2)
        )
        if not weighted:
            cw = cw2 = c1
        out, counts = _cell_table(
            c1, cw, cw2, cells, features, name, levels, n_missing, rule, threshold, lang
        )
        tables.append(out)
        frames.append(counts)
    segment_tests = None
    if by is not None:
        segment_tests = _segment_tests(frames[1], tables[1], features, n_feat, weighted)
        if segment_tests["small_cells"].any():
            notes.append(
                "segment tests with small expected counts (< 5 in over 20% of cells, or "
                "any < 1) are flagged in segment_tests.small_cells; read them with care."
            )
    if weighted:
        notes.append(
            "counts are weighted; n is the unweighted number of complete pairs, n_eff "
            "the Kish effective base."
        )
    return KanoResult(
        tables[0],
        by_segment=tables[1] if len(tables) > 1 else None,
        segment_tests=segment_tests,
        respondents=None,
        evaluation=evaluation,
        rule=rule,
        lang=lang,
        n_used=n_rows - n_excluded,
        n_excluded=n_excluded,
        notes=tuple(notes),
    )


def _bootstrap(
    cat: np.ndarray,
    w: np.ndarray,
    key: np.ndarray,
    valid: np.ndarray,
    size: int,
    n_boot: int,
    ci: float,
    random_state: Any,
    *,
    progress: bool | None = None,
) -> dict[str, np.ndarray]:
    """Percentile bootstrap of better and worse, resampling respondents (weights kept).

    Replicate b gives respondent i the weight w_i * c_bi with c_b ~ Multinomial(n, 1/n); the
    weighted category sums of a chunk of replicates are one sparse matrix product. Chunks hold
    at most 4e6 / n replicates (memory) and about a twentieth of them (the steps of the
    progress bar); the replicates drawn do not depend on the chunking (the generator draws
    them one after another).
    """
    from scipy import sparse

    rng = np.random.default_rng(random_state)
    n = cat.shape[0]
    rows = np.broadcast_to(np.arange(n)[:, None], cat.shape)[valid]
    cols = (key * 6 + cat)[valid]
    onehot = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, size * 6))
    chunk = max(1, min(n_boot, int(4e6 // max(n, 1)), -(-n_boot // 20)))
    better = np.empty((n_boot, size))
    worse = np.empty((n_boot, size))
    starts = range(0, n_boot, chunk)
    for done in progress_bar(
        starts, progress=progress, desc=f"Kano bootstrap ({n_boot} replicates)", unit="step"
    ):
        b = min(chunk, n_boot - done)
        reps = rng.multinomial(n, np.full(n, 1.0 / n), size=b) * w[None, :]
        sums = np.asarray((onehot.T @ reps.T).T).reshape(b, size, 6)
        aomi = sums[:, :, :4].sum(axis=2)
        with np.errstate(invalid="ignore", divide="ignore"):
            better[done : done + b] = (sums[:, :, 0] + sums[:, :, 1]) / aomi
            worse[done : done + b] = -(sums[:, :, 1] + sums[:, :, 2]) / aomi
    alpha = (1 - ci) / 2
    out = {}
    for name, arr in (("better", better), ("worse", worse)):
        lo, hi = np.nanquantile(arr, [alpha, 1 - alpha], axis=0)
        out[f"{name}_low"], out[f"{name}_high"] = lo, hi
    return out


def _segment_tests(
    counts: np.ndarray, table: pd.DataFrame, features: list[str], n_feat: int, weighted: bool
) -> pd.DataFrame:
    """Chi-square test of independence of segment and category, per feature.

    Without weights: Pearson's chi-square on the segment x category counts. With weights each
    segment's weighted counts are rescaled to its Kish effective base before the test (a
    first-order design-effect correction); categories and segments with no answers are
    dropped. ``small_cells`` flags tables with expected counts < 5 in over 20% of cells or any
    below 1 (Cochran 1954).
    """
    from scipy.stats import chi2_contingency

    n_seg = counts.shape[0] // n_feat
    c3 = counts.reshape(n_seg, n_feat, 6)
    n_eff = table["n_eff"].to_numpy().reshape(n_seg, n_feat)
    rows = []
    for j, feat in enumerate(features):
        obs = c3[:, j, :].copy()
        if weighted:
            tot = obs.sum(axis=1, keepdims=True)
            with np.errstate(invalid="ignore", divide="ignore"):
                obs = np.where(tot > 0, obs / tot * n_eff[:, j][:, None], 0.0)
        obs = obs[obs.sum(axis=1) > 0][:, obs.sum(axis=0) > 0]
        if obs.shape[0] < 2 or obs.shape[1] < 2:
            rows.append(
                (
                    feat,
                    np.nan,
                    np.nan,
                    np.nan,
                    False,
                    "not testable: fewer than two segments or categories with answers",
                )
            )
            continue
        res = chi2_contingency(obs, correction=False)
        exp = res.expected_freq
        small = bool((exp < 5).mean() > 0.2 or (exp < 1).any())
        rows.append((feat, float(res.statistic), int(res.dof), float(res.pvalue), small, ""))
    return pd.DataFrame(rows, columns=["feature", "chi2", "df", "p_value", "small_cells", "note"])
