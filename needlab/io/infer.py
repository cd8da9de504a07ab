"""Drafting a codebook from data: the column types, codes and batteries that the data suggest.

:meth:`needlab.io.codebook.Codebook.infer` and :func:`needlab.read_survey` (without a codebook) use
:func:`infer_columns`. Every rule looks at the distinct values of a column, not at every row, so
that drafting stays fast on large files. The result is a draft to review.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from needlab._i18n import lang_of
from needlab.io.codes import is_numeric_like
from needlab.io.column import Column

__all__ = ["assign_groups", "infer_columns", "suspect_code", "suspect_missing"]

_ID_NAME = re.compile(
    r"(^|_)(id|uid|respid|resp_id|respondent|respondent_id|编号|序号)$|^id_|id$", re.IGNORECASE
)
_DATE_LIKE = re.compile(r"^\s*\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}")


def assign_groups(cols: list[Column]) -> None:
    """Give likert items without a group that share a name stem (``sat_1``, ``sat_2``) that stem."""
    stems: dict[str, list[Column]] = {}
    for c in cols:
        if c.type == "likert" and c.group is None:
            stem = (
                re.split(r"[_.\-\s]", c.name)[0]
                if re.search(r"[_.\-\s]", c.name)
                else re.sub(r"\d+$", "", c.name)
            )
            if stem and stem != c.name:
                stems.setdefault(stem, []).append(c)
    for stem, members in stems.items():
        if len(members) >= 2:
            for c in members:
                c.group = stem


def infer_columns(
    df: pd.DataFrame,
    max_levels: int = 12,
    levels: Mapping[Any, tuple[np.ndarray, bool]] | None = None,
) -> list[Column]:
    """Draft the columns of *df*; *levels* may give (distinct values, has missing) per text column."""
    levels = levels or {}

    def draft(name: Any, allow_id: bool = True, allow_weight: bool = True) -> Column:
        return _infer_column(
            str(name),
            df[name],
            max_levels,
            allow_id=allow_id,
            allow_weight=allow_weight,
            levels=levels.get(name),
        )

    if len(df) >= 100_000 and df.shape[1] > 1:
        # Columns are independent and numpy / Arrow release the GIL: draft them in threads.
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=2) as pool:
            cols = list(pool.map(draft, df.columns))
    else:
        cols = [draft(name) for name in df.columns]
    # Only the first id-like and the first weight-like column keep those types.
    have_id = have_weight = False
    for j, name in enumerate(df.columns):
        if (cols[j].type == "id" and have_id) or (cols[j].type == "weight" and have_weight):
            cols[j] = draft(name, allow_id=not have_id, allow_weight=not have_weight)
        have_id |= cols[j].type == "id"
        have_weight |= cols[j].type == "weight"
    assign_groups(cols)
    return cols


def _infer_column(
    name: str,
    s: pd.Series,
    max_levels: int,
    *,
    allow_id: bool,
    allow_weight: bool,
    levels: tuple[np.ndarray, bool] | None = None,
) -> Column:
    """Draft one column; works on the distinct values, not on every row."""
    n = len(s)
    lname = name.strip().casefold()
    if isinstance(s.dtype, pd.CategoricalDtype):
        cats = list(s.cat.categories)
        return Column(
            name,
            "likert" if s.cat.ordered else "single",
            values={i + 1: {lang_of(str(v)): str(v)} for i, v in enumerate(cats)},
            ordered=bool(s.cat.ordered),
        )
    if pd.api.types.is_datetime64_any_dtype(s):
        return Column(name, "date")
    if pd.api.types.is_bool_dtype(s):
        return Column(name, "single", values={0: {"en": "False"}, 1: {"en": "True"}})
    if is_numeric_like(s):
        uniq, n_na = _numeric_levels(s, max_levels)
        return _infer_numeric(
            name,
            uniq,
            n,
            n_na,
            max_levels,
            allow_id=allow_id,
            allow_weight=allow_weight and lname in {"weight", "weights", "wt", "wgt", "权重"},
        )
    # text-like: look at the distinct values only
    if levels is not None:
        raw_s, has_na = pd.Series(levels[0], dtype=object), levels[1]
    else:
        raw_s = pd.Series(np.asarray(pd.unique(s), dtype=object), dtype=object)
        has_na = bool(raw_s.isna().any())
    n_na = int(s.isna().sum()) if has_na else 0
    texts = raw_s[raw_s.notna()].astype(str)
    n_levels = len(texts)
    no_space = not texts.str.contains(r"\s", regex=True).any()
    if allow_id and n_na == 0 and n_levels == n and n > 1 and _ID_NAME.search(name) and no_space:
        return Column(name, "id")
    if n_levels:
        sample = texts.iloc[:200]
        if sample.str.match(_DATE_LIKE.pattern).all():
            parsed = pd.to_datetime(
                sample.str.replace(r"[年月]", "-", regex=True).str.replace("日", ""),
                errors="coerce",
                format="mixed",
            )
            if parsed.notna().all():
                return Column(name, "date")
        stripped = texts.str.strip()
        filled = stripped[stripped != ""]
        if len(filled) and pd.to_numeric(filled.iloc[:200], errors="coerce").notna().all():
            num = pd.to_numeric(filled, errors="coerce")
            if num.notna().all():
                vals = pd.unique(num.to_numpy(dtype=float))
                return _infer_numeric(
                    name,
                    vals,
                    n,
                    n_na + int((stripped == "").sum()),
                    max_levels,
                    allow_id=allow_id and len(filled) == n_levels,
                    allow_weight=False,
                )
    if 0 < n_levels <= max_levels and texts.str.len().max() <= 40:
        names: list[str] = sorted(texts.tolist())
        return Column(name, "single", values={i + 1: {lang_of(v): v} for i, v in enumerate(names)})
    if (
        allow_id
        and n_na == 0
        and n_levels == n
        and n > max_levels
        and texts.str.len().nunique() == 1
        and no_space
    ):
        return Column(name, "id")
    return Column(name, "text")


def _numeric_levels(s: pd.Series, max_levels: int) -> tuple[np.ndarray, int]:
    """Distinct values (enough of them to decide) and the number of missing cells, fast.

    Integers in a modest range are counted with ``np.bincount``; non-integral floats return
    early (they are ``numeric`` whatever their number of levels).
    """
    if pd.api.types.is_integer_dtype(s.dtype) and s.dtype != object and not s.hasnans:
        iv = s.to_numpy()
        ilo, ihi = int(iv.min()), int(iv.max())
        if ihi - ilo <= 4 * len(iv) + 1000:
            return np.flatnonzero(np.bincount(iv - ilo)).astype(float) + ilo, 0
    v = s.to_numpy(dtype=float, na_value=np.nan)
    ok = ~np.isnan(v)
    n_na = int(len(v) - ok.sum())
    f = v[ok] if n_na else v
    if not len(f):
        return f, n_na
    if not np.all(np.isfinite(f)) or not np.all(f == np.round(f)):
        return np.unique(f[:1000]), n_na  # non-integral: numeric; a few levels are enough
    lo, hi = f.min(), f.max()
    if hi - lo <= 4 * len(f) + 1000:
        counts = np.bincount((f - lo).astype(np.int64))
        return np.flatnonzero(counts).astype(float) + lo, n_na
    return pd.unique(f), n_na


def _infer_numeric(
    name: str,
    uniq: np.ndarray,
    n: int,
    n_na: int,
    max_levels: int,
    *,
    allow_id: bool,
    allow_weight: bool,
) -> Column:
    if allow_weight and len(uniq) and (uniq >= 0).all():
        return Column(name, "weight")
    integral = bool(len(uniq)) and bool(np.all(np.isfinite(uniq) & (uniq == np.round(uniq))))
    n_levels = len(uniq)
    if (
        integral
        and allow_id
        and n_na == 0
        and n_levels == n
        and n > 1
        and (_ID_NAME.search(name) or n_levels > max_levels)
    ):
        return Column(name, "id")
    if integral and 0 < n_levels <= max_levels:
        levels = np.sort(uniq).astype(int)
        lo, hi = int(levels[0]), int(levels[-1])
        if n_levels >= 3 and lo in (0, 1) and 4 <= hi <= 11:
            return Column(name, "likert", values={k: {"en": str(k)} for k in range(lo, hi + 1)})
        return Column(name, "single", values={int(k): {"en": str(int(k))} for k in levels})
    return Column(name, "numeric")


# --------------------------------------------------------------------------------------------
# codes that look like "not applicable" / "don't know" rather than scale points
# --------------------------------------------------------------------------------------------
_NA_HIGH = (9, 97, 98, 99, 999)
_NA_WORDS = re.compile(
    r"^\s*(n/?a|not applicable|does not apply|don'?t know|do not know|dk|refused|no answer|"
    r"prefer not to (say|answer)|不适用|不知道|说不清|拒答|拒绝回答|无法回答|不清楚)\s*$",
    re.IGNORECASE,
)


def suspect_code(levels: Any) -> tuple[int, str] | None:
    """The one code of a rating scale that looks like "not applicable", with the reason.

    *levels* are the distinct non-missing integer answers. Two shapes are flagged: a high
    code (9, 97, 98, 99 or 999) after a gap above an otherwise complete short scale (``9`` on
    ``1..5`` or ``1..7``; ``98``/``99`` on a scale up to 11 points), and ``0`` below an
    otherwise complete ``1..5`` or ``1..7`` scale (0..10 scales, as in NPS, are not flagged).

    Examples
    --------
    >>> suspect_code([1, 2, 3, 4, 5, 9])
    (9, 'after a gap above the scale 1..5')
    >>> suspect_code([0, 1, 2, 3, 4, 5]), suspect_code(range(0, 11))
    ((0, 'below the scale 1..5'), None)
    """
    vals = sorted({int(v) for v in levels})
    if len(vals) < 4:
        return None
    rest, top = vals[:-1], vals[-1]
    complete = rest == list(range(rest[0], rest[-1] + 1))
    if (
        top in _NA_HIGH
        and complete
        and rest[0] in (0, 1)
        and len(rest) >= 3
        and top > rest[-1] + 1
        and rest[-1] <= (7 if top == 9 else 11)
    ):
        return top, f"after a gap above the scale {rest[0]}..{rest[-1]}"
    if vals[0] == 0 and vals[1:] == list(range(1, vals[-1] + 1)) and vals[-1] in (5, 7):
        return 0, f"below the scale 1..{vals[-1]}"
    return None


def suspect_missing(df: pd.DataFrame, cols: Any) -> list[tuple[str, int, int, str]]:
    """Coded columns whose lowest or highest code looks like "not applicable".

    For each likert or single column of *cols* (Columns, e.g. a Codebook) present in *df*,
    with integer answers and without that code declared missing: the code found by
    :func:`suspect_code` on the observed answers, or a declared code whose label reads like
    "not applicable" / "don't know" / "不适用" that is not declared missing.

    Returns
    -------
    list of tuple
        ``(column, code, answers with that code, explanation naming the fix)``.

    Examples
    --------
    >>> from needlab.io.column import Column
    >>> df = pd.DataFrame({"sat": [1, 2, 3, 4, 5, 9, 9]})
    >>> [r[:3] for r in suspect_missing(df, [Column("sat", "likert")])]
    [('sat', 9, 2)]
    """
    out: list[tuple[str, int, int, str]] = []
    for c in cols:
        if c.type not in ("likert", "single") or c.name not in df.columns:
            continue
        s = df[c.name]
        found: list[tuple[Any, str]] = []
        for code, labels in c.values.items():
            if code not in c.missing and any(_NA_WORDS.match(t) for t in labels.values()):
                found.append((code, f"its label reads {next(iter(labels.values()))!r}"))
        numeric = is_numeric_like(s)
        if not numeric and not found:
            continue
        # one pass over the column: counts of the distinct answers (a few codes on a scale)
        if numeric:
            x = s if pd.api.types.is_numeric_dtype(s) else pd.to_numeric(s, errors="coerce")
            counts = x.value_counts(dropna=True)
        else:
            counts = s.dropna().astype(str).str.strip().value_counts()
        if not found and numeric:
            v = counts.index.to_series()
            v = v[~v.isin([m for m in c.missing if isinstance(m, int)])]
            if len(v) and bool((v == v.round()).all()) and len(v) <= 13:
                hit = suspect_code(v.to_numpy())
                if hit is not None:
                    found.append(hit)
        for code, why in found:
            key = code if numeric else str(code)
            n = int(counts.get(key, 0)) if numeric or key in counts.index else 0
            fix = (
                f"if it means 'not applicable' or 'don't know', declare it missing: "
                f"read_survey(path, missing={{{c.name!r}: [{code!r}]}}) or "
                f"codebook.set_missing({c.name!r}, [{code!r}]); otherwise it counts as a "
                "scale point"
            )
            out.append(
                (c.name, code, n, f"code {code!r} looks like 'not applicable' ({why}); {fix}")
            )
    return out
