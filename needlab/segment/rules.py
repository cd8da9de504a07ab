"""Rule-based segments and readable binning helpers (age, income, city tier).

:func:`segment_rules` assigns every row to the first of several named rules that it matches (or
to a default segment), vectorised, and reports how many rows matched no rule and how many matched
several. The binning helpers turn raw demographics into ordered, readably labelled bands:
:func:`age_bands`, :func:`income_bands` and :func:`city_tier_bands` (Chinese or English city
tier text to ordered tiers).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from needlab._expr import columns as rule_columns
from needlab._expr import evaluate as evaluate_rule
from needlab._result import Result
from needlab._types import Lang, Weights
from needlab._validate import (
    SHOW,
    as_design,
    as_series,
    check_option,
    check_weights,
    preview,
    row_list,
)
from needlab.errors import ConfigError, DataError, NeedlabError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["RuleSegments", "age_bands", "city_tier_bands", "income_bands", "segment_rules"]

Rule = str | Callable[[pd.DataFrame], Any]


# ---------------------------------------------------------------------------- rules
@dataclass(frozen=True, repr=False)
class RuleSegments(Result):
    """Rows assigned to named rule segments.

    ``n_used`` counts the rows given (every row gets a segment, the default when no rule
    matches), so ``n_excluded`` is 0.

    Attributes
    ----------
    table : DataFrame
        One row per segment (the rules in the order given, then the default): ``segment``,
        ``count`` (rows assigned), ``share`` (weighted share of the rows; count / rows without
        weights), ``matches`` (rows for which the rule is true, including rows assigned to an
        earlier rule; 0 for the default).
    labels : Series
        The segment of each row, aligned to the data's index, as a categorical whose categories
        are the rule names then the default.
    n_unmatched : int
        Rows that matched no rule (they got the default).
    n_overlap : int
        Rows that matched two or more rules (they got the first).
    overlaps : DataFrame
        Square rule x rule table: rows matching both rules (diagonal: rows matching the rule).
    default : str
    """

    labels: pd.Series = field(default_factory=pd.Series)
    n_unmatched: int = 0
    n_overlap: int = 0
    overlaps: pd.DataFrame = field(default_factory=pd.DataFrame)
    default: str = "other"

    title = "Rule segments"

    def summary(self) -> dict[str, Any]:
        return {
            "rows": len(self.labels),
            "segments": len(self.table),
            "unmatched (default)": self.n_unmatched,
            "matching several rules": self.n_overlap,
        }

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"segments": self.table, "overlaps": self.overlaps}

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Bar chart of segment sizes (:func:`needlab.segment.plot.rule_sizes`): rows per
        segment, with the rows matching each rule (before first-wins) as an outline."""
        from needlab.segment.plot import rule_sizes

        return rule_sizes(self, ax=ax, **kwargs)


def _evaluate(data: pd.DataFrame, name: Any, rule: Any) -> np.ndarray:
    """Evaluate one rule to a boolean array of len(data); ConfigError naming the rule otherwise."""
    what = f"rule {name!r}" + (f" ({rule!r})" if isinstance(rule, str) else "")
    out: Any
    if isinstance(rule, str):
        # parsed by the safe grammar of needlab._expr: never evaluated as code
        try:
            return evaluate_rule(data, rule, name=name)
        except NeedlabError as exc:
            raise type(exc)(f"segment {name!r}: {exc}") from exc
    try:
        out = rule(data)
    except Exception as exc:  # any failure of user code is reported with the rule's name
        raise ConfigError(
            f"{what} failed: {type(exc).__name__}: {exc}. Check the column names "
            f"(available: {preview([str(c) for c in data.columns], 12)}) and the expression."
        ) from exc
    if isinstance(out, pd.DataFrame) or np.ndim(out) != 1:
        raise ConfigError(
            f"{what} must give one boolean per row, got {type(out).__name__} "
            f"with shape {np.shape(out)}."
        )
    if len(out) != len(data):
        raise ConfigError(
            f"{what} returned {len(out)} values but the data has {len(data)} rows; "
            "return one boolean per row."
        )
    if isinstance(out, pd.Series):
        if not out.index.equals(data.index):
            raise ConfigError(
                f"{what} returned a Series whose index differs from the data's "
                "index; return a mask computed from the data passed in."
            )
        s = out
    else:
        s = pd.Series(out)
    if not pd.api.types.is_bool_dtype(s.dtype):
        if (
            s.dtype == object
            and s.map(lambda v: isinstance(v, (bool, np.bool_)) or pd.isna(v)).all()
        ):
            s = s.astype("boolean")
        else:
            raise ConfigError(
                f"{what} returned values of type {s.dtype} ({preview(s.head(20).tolist())}), "
                'not booleans; write a comparison such as "age >= 30".'
            )
    return s.fillna(False).to_numpy(dtype=bool)


def segment_rules(
    data: Any,
    rules: Mapping[Hashable, Rule],
    *,
    default: str = "other",
    overlap: Literal["first", "error"] = "first",
    weights: Weights = None,
) -> RuleSegments:
    """Assign rows to named segments by rules; the first matching rule wins.

    Parameters
    ----------
    data : DataFrame or Survey
        One row per customer (or respondent). A :class:`~needlab.Survey` gives its codes
        (``survey.data``), so rules compare codes, e.g. ``"region == 1"``.
    rules : dict
        Segment name -> rule, in priority order. A rule is a condition string in the small
        safe grammar of :mod:`needlab._expr` (column names, literals, comparisons, ``in`` /
        ``.isin``, ``.between``, null checks, ``&`` ``|`` ``~`` / ``and`` ``or`` ``not`` and
        parentheses, e.g. ``"age < 35 and city_tier == '一线'"``; backquote column names with
        spaces). Strings are parsed, never evaluated as code, so rules from shared config files
        are safe. From Python a rule may also be a callable ``f(data)`` returning a boolean mask
        (array or Series with the data's index). A comparison with a missing value is false, so
        rows with missing values in a rule's columns fall to later rules or to ``default``: the
        notes count them.
    default : str, default "other"
        Segment of rows that match no rule.
    overlap : {"first", "error"}
        ``"first"``: a row matching several rules goes to the first of them (counted in
        ``n_overlap`` and the notes). ``"error"``: raise :class:`~needlab.errors.DataError`.
    weights : column name, array, None or False
        Case weights for the ``share`` column (counts stay rows). ``None``: the Survey's
        weight column, unweighted for a DataFrame; ``False``: unweighted.

    Returns
    -------
    RuleSegments
        ``labels`` (segment of each row, aligned to ``data.index``) and ``table`` with columns
        ``segment``, ``count`` (rows assigned), ``share`` (weighted share, count / rows without
        weights) and ``matches`` (rows for which the rule is true, before first-wins); ``n_unmatched`` and ``n_overlap``;
        ``overlaps`` (rule x rule counts of rows matching both).

    Raises
    ------
    SchemaError
        ``data`` is not a DataFrame or Survey.
    DataError
        Invalid weights.
    ConfigError
        Empty ``rules``, a rule that fails (the message names the rule and repeats the original
        error), returns something other than one boolean per row, or a segment name equal to
        ``default``.
    DataError
        ``overlap="error"`` and some rows match several rules (names the rules and a few row
        positions).

    Examples
    --------
    >>> df = pd.DataFrame({"age": [22, 41, 67, 30], "spend": [50, 900, 120, 40]})
    >>> res = segment_rules(df, {"big spender": "spend >= 500", "young": "age < 35"})
    >>> res.labels.tolist()
    ['young', 'big spender', 'other', 'young']
    >>> res.table[["segment", "count"]].to_dict("list")
    {'segment': ['big spender', 'young', 'other'], 'count': [1, 2, 1]}
    """
    design = as_design(data, weights=weights, min_rows=0)
    data = design.data
    w = check_weights(data, design.weights) if len(data) else None
    check_option(overlap, ("first", "error"), "overlap")
    if not isinstance(rules, Mapping) or len(rules) == 0:
        raise ConfigError(
            "rules must be a non-empty dict of segment name -> rule "
            "(a query string or a function returning a boolean mask)."
        )
    names = list(rules)
    if default in names:
        raise ConfigError(f"default={default!r} is also a rule name; choose another default.")
    n, k = len(data), len(names)
    mat = np.empty((n, k), dtype=bool)
    for j, name in enumerate(names):
        rule = rules[name]
        if not (isinstance(rule, str) or callable(rule)):
            raise ConfigError(
                f"rule {name!r} must be a query string or a callable, got {type(rule).__name__}."
            )
        mat[:, j] = _evaluate(data, name, rule)
    hits = mat.sum(axis=1)
    multi = hits > 1
    both = mat.T.astype(np.int64) @ mat.astype(np.int64)
    overlaps = pd.DataFrame(both, index=pd.Index(names, name="rule"), columns=pd.Index(names))
    n_overlap = int(multi.sum())
    if overlap == "error" and n_overlap:
        iu = np.argwhere(np.triu(both, 1) > 0)
        pairs = ", ".join(f"{names[a]!r} & {names[b]!r} ({both[a, b]} rows)" for a, b in iu[:SHOW])
        raise DataError(
            f"{n_overlap} rows match several rules: {pairs}, at rows {row_list(multi)}. "
            "Make the rules mutually exclusive or use overlap='first' (first rule wins)."
        )
    code = np.where(hits > 0, np.argmax(mat, axis=1), k)
    cats = [*names, default]
    labels = pd.Series(
        pd.Categorical.from_codes(code, categories=pd.Index(cats, dtype=object)),
        index=data.index,
        name="segment",
    )
    counts = np.bincount(code, minlength=k + 1)
    wsum = np.bincount(code, weights=w, minlength=k + 1) if w is not None else counts
    table = pd.DataFrame(
        {
            "segment": pd.array(cats, dtype=object),
            "count": counts.astype(np.int64),
            "share": wsum / wsum.sum() if n else np.zeros(k + 1),
            "matches": np.append(np.diag(both), 0).astype(np.int64),
        }
    )
    n_unmatched = int(counts[k])
    notes = []
    if n_unmatched:
        notes.append(f"{n_unmatched} of {n} rows matched no rule and were labelled {default!r}.")
        used = [c for r in rules.values() if isinstance(r, str) for c in rule_columns(r)]
        if used:
            missing = data[list(dict.fromkeys(used))].isna().any(axis=1).to_numpy() & (code == k)
            if missing.any():
                notes.append(
                    f"{int(missing.sum())} of the rows labelled {default!r} have a missing value "
                    "in a column the rules use (comparisons with missing values are false); "
                    'add a rule such as "age is null" to segment them apart.'
                )
    if n_overlap:
        notes.append(
            f"{n_overlap} rows matched several rules and went to the first one (see .overlaps)."
        )
    return RuleSegments(
        table,
        labels=labels,
        n_unmatched=n_unmatched,
        n_overlap=n_overlap,
        overlaps=overlaps,
        default=default,
        notes=tuple(notes),
        n_used=n,
        n_excluded=0,
    )


# ---------------------------------------------------------------------------- bands
def _num(x: float) -> str:
    return f"{int(x)}" if float(x).is_integer() else f"{x:g}"


def _check_edges(edges: Sequence[float], name: str = "edges") -> np.ndarray:
    try:
        e = np.asarray(edges, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{name} must be numbers, got {edges!r}.") from exc
    if e.ndim != 1 or len(e) < 1 or not np.all(np.isfinite(e)) or np.any(np.diff(e) <= 0):
        raise ConfigError(
            f"{name} must be a non-empty, strictly increasing list of finite "
            f"numbers, got {edges!r}."
        )
    return e


def _numeric(s: pd.Series, what: str) -> pd.Series:
    col = s.name if s.name is not None else what
    if pd.api.types.is_bool_dtype(s) or not pd.api.types.is_numeric_dtype(s):
        conv = pd.to_numeric(s, errors="coerce")
        bad = (conv.isna() & s.notna()).to_numpy()
        if bad.any():
            raise DataError(
                f"{col!r} must be numeric but has {int(bad.sum())} non-numeric values: "
                f"{preview(s[bad])} at rows {row_list(bad)}. Recode them or set "
                "them to missing."
            )
        s = conv
    s = s.astype(float)
    inf = np.isinf(s.to_numpy())
    if inf.any():
        raise DataError(
            f"{col!r} has {int(inf.sum())} infinite values: {preview(s[inf])} at rows "
            f"{row_list(inf)}; values must be finite. Replace them (e.g. with a missing "
            "value) or drop those rows."
        )
    return s


def _bands(x: pd.Series, edges: np.ndarray, labels: list[str], what: str) -> pd.Series:
    """Bin into [edges[i-1], edges[i]) with an under-band first and an open top band."""
    v = x.to_numpy(dtype=float)
    code = np.searchsorted(edges, v, side="right")  # 0 = under the first edge
    na = np.isnan(v)
    code = np.where(na, -1, code)
    out = pd.Series(
        pd.Categorical.from_codes(code, categories=pd.Index(labels), ordered=True),
        index=x.index,
        name=x.name,
    )
    notes = []
    if na.any():
        notes.append(f"{int(na.sum())} missing {what} values left missing.")
    under = int((code == 0).sum())
    if under:
        notes.append(f"{under} {what} values below {_num(edges[0])} in band {labels[0]!r}.")
    out.attrs["notes"] = tuple(notes)
    out.attrs["n_missing"] = int(na.sum())
    return out


def age_bands(
    data: Any,
    var: Hashable | None = None,
    *,
    edges: Sequence[float] = (18, 25, 35, 45, 55, 65),
    under: str | None = None,
) -> pd.Series:
    """Cut ages into readable, ordered bands: ``"18-24"``, ``"25-34"``, ..., ``"65+"``.

    Band ``"a-b"`` holds ``a <= age < b + 1`` (``"18-24"``: from 18 up to, not including, 25;
    a fractional age such as 24.5 is in ``"18-24"``). Ages under the first edge go to a first
    band (default label ``"under 18"``).

    Parameters
    ----------
    data : Series, array-like, DataFrame or Survey
        Ages in years, or a frame holding them in column *var*; missing values stay missing.
    var : column name, optional
        The age column when *data* is a frame.
    edges : sequence of numbers
        Strictly increasing lower bounds of the bands; the last band is open (``"65+"``).
    under : str, optional
        Label of the band below the first edge (default ``"under <first edge>"``).

    Returns
    -------
    Series
        Ordered categorical, index of the ages kept. ``attrs["n_missing"]`` counts missing ages
        and ``attrs["notes"]`` says how many were missing or under the first edge.

    Raises
    ------
    SchemaError
        A frame without *var*.
    ConfigError
        Edges not strictly increasing.
    DataError
        Non-numeric or negative ages (names the values and row positions).

    Examples
    --------
    >>> age_bands([17, 18, 24.5, 25, 64, 65, 90, None]).tolist()
    ['under 18', '18-24', '18-24', '25-34', '55-64', '65+', '65+', nan]
    """
    e = _check_edges(edges)
    x = _numeric(as_series(data, var), "ages")
    neg = (x < 0).to_numpy()
    if neg.any():
        raise DataError(
            f"{x.name if x.name is not None else 'ages'!r} has {int(neg.sum())} "
            f"negative ages: {preview(x[neg])} at rows {row_list(neg)}; "
            "set them to missing."
        )
    labels = [under if under is not None else f"under {_num(e[0])}"]
    labels += [
        f"{_num(a)}-{_num(b - 1)}"
        if float(a).is_integer() and float(b).is_integer()
        else f"{_num(a)}-<{_num(b)}"
        for a, b in zip(e[:-1], e[1:], strict=True)
    ]
    labels.append(f"{_num(e[-1])}+")
    return _bands(x, e, labels, "age")


def income_bands(
    data: Any,
    var: Hashable | None = None,
    *,
    edges: Sequence[float],
    unit: str = "",
    under: str | None = None,
) -> pd.Series:
    """Cut incomes (or any amount) into readable, ordered bands: ``"10k-20k"`` style labels.

    Band ``"a-b"`` holds ``a <= value < b``; the lower bound is included, so an income of
    exactly 20,000 is in ``"20k-40k"``. Values under the first edge go to ``"under a"``; the top
    band is ``"b+"``. Numbers are written compactly: 10000 as ``10k``, 1500000 as ``1.5M``.

    Parameters
    ----------
    data : Series, array-like, DataFrame or Survey
        Amounts, or a frame holding them in column *var*; missing values stay missing
        (counted in ``attrs``).
    var : column name, optional
        The amount column when *data* is a frame.
    edges : sequence of numbers
        Strictly increasing band bounds.
    unit : str, optional
        Suffix of every number, e.g. ``"元"`` or ``" CNY"``.
    under : str, optional
        Label of the band below the first edge.

    Returns
    -------
    Series
        Ordered categorical with ``attrs["n_missing"]`` and ``attrs["notes"]``.

    Raises
    ------
    SchemaError
        A frame without *var*.
    ConfigError
        Bad edges.
    DataError
        Non-numeric values.

    Examples
    --------
    >>> income_bands([5000, 10000, 19999, 20000, 55000, None], edges=[10000, 20000, 40000]).tolist()
    ['under 10k', '10k-20k', '10k-20k', '20k-40k', '40k+', nan]
    """
    e = _check_edges(edges)
    x = _numeric(as_series(data, var), "values")

    def c(v: float) -> str:
        for div, suf in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
            if abs(v) >= div:
                return f"{v / div:g}{suf}{unit}"
        return f"{v:g}{unit}"

    labels = [under if under is not None else f"under {c(e[0])}"]
    labels += [f"{c(a)}-{c(b)}" for a, b in zip(e[:-1], e[1:], strict=True)]
    labels.append(f"{c(e[-1])}+")
    return _bands(x, e, labels, "income")


_TIER_EN = {
    1.0: "Tier 1",
    1.5: "New tier 1",
    2.0: "Tier 2",
    3.0: "Tier 3",
    4.0: "Tier 4",
    5.0: "Tier 5",
}
_TIER_ZH = {1.0: "一线", 1.5: "新一线", 2.0: "二线", 3.0: "三线", 4.0: "四线", 5.0: "五线"}
_ORD = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}
_ZH_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
_BELOW = (
    "及以下",
    "以下",
    "andbelow",
    "orbelow",
    "&below",
    "andlower",
    "orlower",
    "orless",
    "andsmaller",
)


def _tier_key(text: str) -> tuple[float, bool] | None:
    """Normalised city tier text -> (level, and_below) or None if not recognised."""
    t = re.sub(r"[\s\-_·.]+", "", text.strip().lower())
    t = t.replace("城市", "").replace("cities", "").replace("city", "")
    below = False
    for suf in _BELOW:
        if t.endswith(suf):
            t, below = t[: -len(suf)], True
            break
    if t.endswith("+") and not t.startswith("new"):  # "tier3+" means tier 3 and lower tiers
        t, below = t[:-1], True
    new = False
    for pre in ("新", "new"):
        if t.startswith(pre):
            t, new = t[len(pre) :], True
    level: float | None = None
    m = re.fullmatch(r"(?:tier|t)([1-5])|([1-5])(?:tier|线|st|nd|rd|th)?(?:tier)?", t)
    if m:
        level = float(m.group(1) or m.group(2))
    elif re.fullmatch(r"[一二三四五]线", t):
        level = float(_ZH_NUM[t[0]])
    else:
        m = re.fullmatch(r"(first|second|third|fourth|fifth)tier", t)
        if m:
            level = float(_ORD[m.group(1)])
    if level is None or (new and level != 1):
        return None
    return (1.5 if new else level), below


def city_tier_bands(
    data: Any,
    var: Hashable | None = None,
    *,
    lang: Lang = "en",
    mapping: Mapping[str, str] | None = None,
) -> pd.Series:
    """Map Chinese or English city tier text to ordered tiers (Tier 1 first).

    Recognised (case, spaces, hyphens and "城市"/"city" ignored): ``一线``, ``新一线``, ``二线``
    ... ``五线``; ``Tier 1`` / ``T1`` / ``1线`` / ``first-tier``; ``New tier 1`` /
    ``new first-tier``; and "and below" forms (``三线及以下``, ``Tier 3 and below``,
    ``tier 3+``). When the data holds an "and below" tier, every lower tier is folded into it
    (``四线`` becomes ``三线及以下``), so that the tiers stay ordered and exclusive.

    Parameters
    ----------
    data : Series, array-like, DataFrame or Survey
        City tier text, or a frame holding it in column *var*; missing values stay missing
        (counted in ``attrs``).
    var : column name, optional
        The city tier column when *data* is a frame. A :class:`~needlab.Survey` gives its
        answer labels for *var* (the text, not the codes).
    lang : {"en", "zh"}
        Labels of the output tiers: ``"Tier 1"``, ``"New tier 1"``, ... or ``一线``, ``新一线`` ...
    mapping : dict, optional
        Extra raw text -> recognised tier text, e.g. ``{"北上广深": "一线"}``.

    Returns
    -------
    Series
        Ordered categorical from the top tier (Tier 1) to the lowest, categories limited to the
        tiers that occur; ``attrs["n_missing"]`` and ``attrs["notes"]``.

    Raises
    ------
    SchemaError
        A frame without *var*.
    DataError
        Text that is not a recognised tier (names the values and row positions; add them to
        ``mapping``).

    Examples
    --------
    >>> city_tier_bands(["一线", "新一线城市", "Tier 2", "三线及以下", "四线", None]).tolist()
    ['Tier 1', 'New tier 1', 'Tier 2', 'Tier 3 and below', 'Tier 3 and below', nan]
    >>> city_tier_bands(["tier 1", "二线"], lang="zh").cat.categories.tolist()
    ['一线', '二线']
    """
    check_option(lang, ("en", "zh"), "lang")
    from needlab.io.read import Survey

    if isinstance(data, Survey) and var is not None:
        data = as_design(data, labels=True).data
    s = as_series(data, var)
    name = s.name if s.name is not None else "values"
    na = s.isna().to_numpy()
    uniq = pd.unique(s[~na].astype(str))
    extra = {str(k): str(v) for k, v in (mapping or {}).items()}
    keys: dict[str, tuple[float, bool]] = {}
    bad = []
    for u in uniq:  # loop over distinct texts only (a handful), never over rows
        k = _tier_key(extra.get(u, u))
        if k is None:
            bad.append(u)
        else:
            keys[u] = k
    if bad:
        mask = s.astype(str).isin(bad).to_numpy() & ~na
        raise DataError(
            f"{name!r} has {int(mask.sum())} values that are not city tiers: "
            f"{preview(bad)} at rows {row_list(mask)}. Use text such as '一线', "
            "'新一线', 'Tier 2', '三线及以下', or map them with mapping={...}."
        )
    floor = min((lv for lv, below in keys.values() if below), default=None)
    names = _TIER_EN if lang == "en" else _TIER_ZH
    below_label = "{} and below" if lang == "en" else "{}及以下"

    def label(level: float, below: bool) -> tuple[float, str]:
        if floor is not None and level >= floor:
            return floor, below_label.format(names[floor])
        return level, names[level]

    lab = {u: label(*k) for u, k in keys.items()}
    levels = sorted(set(lab.values()))
    cats = [t for _, t in levels]
    codes_of = {u: cats.index(t) for u, (_, t) in lab.items()}
    code = s.astype(str).map(codes_of).to_numpy(dtype=float, na_value=-1)
    code = np.where(na, -1, code).astype(np.int64)
    out = pd.Series(
        pd.Categorical.from_codes(code, categories=pd.Index(cats), ordered=True),
        index=s.index,
        name=s.name,
    )
    notes = []
    if na.any():
        notes.append(f"{int(na.sum())} missing city tier values left missing.")
    folded = sum(1 for lv, b in keys.values() if floor is not None and lv > floor and not b)
    if folded and floor is not None:
        notes.append(
            f"tiers below {names[floor]} folded into {below_label.format(names[floor])!r}."
        )
    out.attrs["notes"] = tuple(notes)
    out.attrs["n_missing"] = int(na.sum())
    return out
