"""Data-quality checks of survey answers: missingness, straight-lining, speeders, junk text,
duplicate respondents and values outside the codebook.

All checks are vectorised over rows. Findings are *flags for review*, not automatic
exclusions: a respondent who really is very satisfied with everything straight-lines too.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from needlab._result import Result
from needlab._validate import as_design, check_columns, normalise_labels, preview
from needlab.errors import ConfigError, NeedlabWarning
from needlab.io.codebook import Codebook
from needlab.io.codes import map_codes, user_missing
from needlab.io.infer import suspect_missing
from needlab.io.validation import problems

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from needlab.io.read import Survey

__all__ = ["DURATION_NAMES", "QualityReport", "quality"]

Severity = Literal["error", "warning", "info"]
JunkReason = Literal["empty", "one_char", "repeated_char", "no_letters"]

DURATION_NAMES = (
    "duration",
    "duration_sec",
    "duration_s",
    "duration_secs",
    "duration_seconds",
    "duration_min",
    "time_taken",
    "timetaken",
    "interview_length",
    "loi",
    "用时",
    "答题时长",
    "答题用时",
    "作答时长",
    "用时(秒)",
    "用时（秒）",
)
"""Column names recognised as the interview duration (compared case-insensitively)."""

TABLE_COLUMNS = ["check", "column", "n", "share", "severity", "detail"]


@dataclass(frozen=True, repr=False)
class QualityReport(Result):
    """Data-quality findings of a survey; see :func:`quality`.

    Attributes
    ----------
    table : DataFrame
        One row per finding: ``check`` (``duplicate_id``, ``out_of_range``, ``straightlining``,
        ``speeding``, ``junk_text``, ``suspect_missing_code``, ``label_variants`` or
        ``missing``), ``column`` (the column or battery
        concerned, ``""`` when none), ``n`` (respondents or cells concerned), ``share`` (``n``
        divided by the number of respondents), ``severity`` (``"error"``: must be fixed before
        analysis; ``"warning"``: review; ``"info"``: for the record) and ``detail``.
    missing : DataFrame
        Per column: ``column``, ``n_missing`` (missing cells, user-missing codes included) and
        ``share_missing``.
    straightliners : DataFrame
        One row per (respondent, battery): ``row`` (0-based position), ``id``, ``group``
        (battery), ``n_items`` (items in the battery) and ``value`` (the one answer given).
    speeders : DataFrame
        ``row``, ``id``, ``duration`` and ``threshold`` (durations below it are flagged).
    junk_text : DataFrame
        ``row``, ``id``, ``column``, ``text`` and ``reason`` (``empty``: only blanks;
        ``one_char``; ``repeated_char``: one character repeated, e.g. ``"aaaa"``;
        ``no_letters``: digits or punctuation only).
    duplicates : DataFrame
        ``id`` (a duplicated respondent id), ``n`` (rows carrying it) and ``rows`` (their
        positions).
    out_of_range : DataFrame
        ``row``, ``id``, ``column``, ``value`` and ``problem`` (``not_in_labels``: a code or
        label the codebook does not declare; ``out_of_range``: a number outside the declared
        range).
    n_used : int
        Respondents (rows of ``data``) checked: every row given. Quality checks flag rows for
        review and never leave one out.
    n_excluded : int
        Always 0 (see *n_used*).
    """

    missing: pd.DataFrame
    straightliners: pd.DataFrame
    speeders: pd.DataFrame
    junk_text: pd.DataFrame
    duplicates: pd.DataFrame
    out_of_range: pd.DataFrame

    title = "Data quality"

    @property
    def n_errors(self) -> int:
        """Number of findings of severity ``"error"`` (rows of :attr:`table`)."""
        return int((self.table["severity"] == "error").sum())

    def summary(self) -> dict[str, Any]:
        """Key figures: errors, warnings and the flagged respondents by check."""
        return {
            "errors": self.n_errors,
            "warnings": int((self.table["severity"] == "warning").sum()),
            "straight-liners": int(self.straightliners["row"].nunique()),
            "speeders": len(self.speeders),
            "junk text answers": len(self.junk_text),
            "duplicated ids": len(self.duplicates),
            "values outside the codebook": len(self.out_of_range),
        }

    def tables(self) -> dict[str, pd.DataFrame]:
        """All tables by name, for :meth:`to_excel`."""
        return {
            "findings": self.table,
            "missing": self.missing,
            "straightliners": self.straightliners,
            "speeders": self.speeders,
            "junk_text": self.junk_text,
            "duplicates": self.duplicates,
            "out_of_range": self.out_of_range,
        }

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Bar chart of the findings: the share of respondents each one concerns.

        One bar per row of :attr:`table` (``check: column``), coloured by severity (error,
        warning, info), errors on top. At most 30 bars: errors and warnings first, then the
        largest ``info`` findings (missing answers); the title says when some are left out. A
        report without findings says so in the middle of the Axes.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Where to draw; a new figure when omitted.
        **kwargs
            Passed to ``Axes.barh``.

        Returns
        -------
        matplotlib Axes
        """
        from needlab.io.plot import plot_quality

        return plot_quality(self, ax=ax, **kwargs)


def _find_duration(data: pd.DataFrame, cb: Codebook) -> Hashable | None:
    for c in cb:
        if c.name in data.columns and (
            c.meta.get("role") == "duration" or c.meta.get("duration") is True
        ):
            return c.name
    wanted = {n.casefold() for n in DURATION_NAMES}
    for name in data.columns:
        if str(name).strip().casefold() in wanted:
            return name
    return None


def _codes_matrix(data: pd.DataFrame, cb: Codebook, cols: list[str]) -> np.ndarray:
    """Battery answers as a float matrix of codes (NaN: missing, user-missing or unknown)."""
    out = np.full((len(data), len(cols)), np.nan)
    for j, name in enumerate(cols):
        s = data[name]
        col = cb[name] if name in cb else None
        if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
            v = s.to_numpy(dtype=float, na_value=np.nan)
        elif col is not None and col.values:
            codes, _ = map_codes(
                s.astype(object) if isinstance(s.dtype, pd.CategoricalDtype) else s, col
            )
            v = pd.to_numeric(codes, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
            if np.isnan(v).all() and codes.notna().any():  # text codes: factorise
                v = (
                    pd.Series(pd.factorize(codes)[0], dtype=float)
                    .where(codes.notna().to_numpy())
                    .to_numpy()
                )
        else:
            v = pd.Series(pd.factorize(s)[0], dtype=float).where(s.notna().to_numpy()).to_numpy()
        if col is not None and col.missing:
            v = np.where(user_missing(s, col), np.nan, v)
        out[:, j] = v
    return out


def _label_variants(s: pd.Series) -> tuple[int, str]:
    """Cells of *s* not written in the most common variant of their label, and a detail.

    Labels are compared after Unicode NFKC, trimming, collapsing inner white space and case
    folding (:func:`needlab._validate.normalise_labels`).
    """
    raw = s.astype(object)
    ok = raw.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
    if not ok.any():
        return 0, ""
    raw = raw[ok]
    norm = normalise_labels(raw, casefold=True)
    counts = pd.DataFrame({"key": norm.to_numpy(), "raw": raw.to_numpy()}).value_counts(sort=True)
    per_key = counts.groupby(level="key", sort=False)
    n_var = per_key.size()
    multi = n_var[n_var > 1]
    if multi.empty:
        return 0, ""
    n = int(sum(per_key.get_group(k).sum() - per_key.get_group(k).max() for k in multi.index))
    shown = "; ".join(
        preview([r for _, r in per_key.get_group(k).index], 4) for k in multi.index[:3]
    )
    more = f" (and {len(multi) - 3} more)" if len(multi) > 3 else ""
    return n, (
        f"{len(multi)} answers written in {int(multi.sum())} variants that differ only by "
        f"white space, full-width characters or case: {shown}{more}; they would be separate "
        "crosstab columns: fix the spelling in the data (or map them in the codebook)"
    )


def _ids(data: pd.DataFrame, id_col: Hashable | None, rows: np.ndarray) -> np.ndarray:
    if id_col is None:
        return np.full(len(rows), None, dtype=object)
    return data[id_col].to_numpy(dtype=object)[rows]


def quality(
    data: pd.DataFrame | Survey,
    *,
    codebook: Codebook | None = None,
    id: Hashable | None = None,
    duration: Hashable | None = None,
    min_duration: float | None = None,
    straightline_min_items: int = 4,
) -> QualityReport:
    """Check survey answers for common data-quality problems.

    Checks, each vectorised over respondents:

    * **duplicate ids** (error): the same respondent id on several rows;
    * **values outside the codebook** (error): codes or labels a coded column does not declare,
      numbers outside a declared ``range``;
    * **straight-lining** (warning): the identical non-missing answer to every item of a Likert
      battery (codebook ``group`` of ``likert`` items) with at least
      *straightline_min_items* items;
    * **speeders** (warning): interviews shorter than *min_duration*; by default one third of
      the median duration, a common rule of thumb in online panels (e.g. the "one third of
      median" rule used by panel providers);
    * **junk text** (warning): open answers that are blank, one character, one repeated
      character, or without any letter (Chinese characters count as letters);
    * **codes that look like "not applicable"** (warning, ``suspect_missing_code``): ``9``
      after a gap above a ``1..5`` / ``1..7`` scale, ``98`` / ``99`` above a short scale,
      ``0`` below ``1..5`` / ``1..7``, or a code labelled "not applicable" / "don't know" /
      "不适用", none of them declared missing; the detail names the fix
      (``read_survey(..., missing=)`` or :meth:`Codebook.set_missing`);
    * **label variants** (warning, ``label_variants``): answers of a coded column that differ
      only by white space, full-width characters or case (``"Price"``, ``"price "``,
      ``"Ｐrice"``) and would become separate crosstab columns; ``n`` counts the cells not
      written in the most common variant;
    * **missing answers** (info; warning when at least half of a column is missing).

    Parameters
    ----------
    data : DataFrame or Survey
        The survey answers, one row per respondent (codes or labels). A
        :class:`~needlab.Survey` brings its codebook and id column.
    codebook : Codebook, optional
        Column types, batteries, value labels and ranges; by default the Survey's, else inferred
        with :meth:`Codebook.infer` (then batteries come from shared name stems such as
        ``sat_1``, ``sat_2``).
    id : str, optional
        The respondent id column; defaults to the codebook's.
    duration : str, optional
        The interview duration column (seconds or minutes); by default a codebook column with
        ``role: duration`` or a column named like ``duration``, ``duration_sec``,
        ``time_taken`` or ``用时`` (see :data:`DURATION_NAMES`).
    min_duration : float, optional
        Speeder threshold in the unit of *duration*; default one third of the median.
    straightline_min_items : int, default 4
        Smallest battery checked for straight-lining.

    Returns
    -------
    QualityReport
        ``n_used`` is the number of respondents (rows) checked, all of them; ``n_excluded`` is
        0. ``table`` (one row per finding: ``check``, ``column``, ``n``, ``share``, ``severity``,
        ``detail``), ``missing``, ``straightliners``, ``speeders``, ``junk_text``,
        ``duplicates`` and ``out_of_range``; see :class:`QualityReport`. ``n_errors`` counts
        error findings.

    Raises
    ------
    SchemaError
        *data* is not a DataFrame with rows, or *id* / *duration* is not a column.
    ConfigError
        *straightline_min_items* < 2 or *min_duration* negative.

    Examples
    --------
    >>> df = pd.DataFrame({
    ...     "rid": [1, 2, 3, 3],
    ...     "sat_a": [5, 1, 4, 2], "sat_b": [5, 2, 4, 3], "sat_c": [5, 3, 4, 1], "sat_d": [5, 1, 2, 1],
    ...     "duration": [600, 620, 90, 580],
    ...     "comment": ["配送太慢了", "aaaa", "good value", "?"],
    ... })
    >>> cb = Codebook.from_dict({"needlab_codebook": 1, "columns": {
    ...     "rid": {"type": "id"},
    ...     **{f"sat_{k}": {"type": "likert", "group": "sat", "values": {1: "Bad", 5: "Good"}}
    ...        for k in "abcd"},
    ...     "duration": {"type": "numeric"}, "comment": {"type": "text"}}})
    >>> rep = quality(df, codebook=cb)
    >>> rep.table[["check", "column", "n", "severity"]]
                check    column  n severity
    0    duplicate_id       rid  2    error
    1  straightlining       sat  1  warning
    2        speeding  duration  1  warning
    3       junk_text   comment  2  warning
    >>> rep.n_errors
    1
    >>> rep.straightliners[["row", "id", "group", "value"]]
       row id group  value
    0    0  1   sat    5.0
    >>> rep.junk_text[["row", "text", "reason"]]
       row  text         reason
    0    1  aaaa  repeated_char
    1    3     ?       one_char
    """
    # The weights play no part in quality checks: a Survey's weight column is not resolved.
    design = as_design(data, weights=False, id=id)
    data = design.data
    if straightline_min_items < 2:
        raise ConfigError(f"straightline_min_items must be >= 2, got {straightline_min_items}.")
    if min_duration is not None and not min_duration >= 0:
        raise ConfigError(f"min_duration must be a number >= 0, got {min_duration!r}.")
    if codebook is None:
        codebook = design.codebook
    if codebook is None:
        with warnings.catch_warnings():  # suspect codes become findings below
            warnings.simplefilter("ignore", NeedlabWarning)
            cb = Codebook.infer(data)
    else:
        cb = codebook
    if not isinstance(cb, Codebook):
        raise ConfigError(
            f"codebook must be a Codebook, got {type(cb).__name__}; use Codebook.from_yaml(path)."
        )
    n = len(data)
    id_col: Hashable | None = design.id if design.id is not None else cb.id
    if id_col is not None:
        if id is None and id_col not in data.columns:
            id_col = None
        else:
            check_columns(data, id_col, what="id column")
    findings: list[dict[str, Any]] = []

    def add(check: str, column: Any, k: int, severity: Severity, detail: str) -> None:
        findings.append(
            {
                "check": check,
                "column": "" if column is None else str(column),
                "n": int(k),
                "share": k / n,
                "severity": severity,
                "detail": detail,
            }
        )

    # duplicates -------------------------------------------------------------------------
    dup_rows: list[tuple[Any, int, str]] = []
    if id_col is not None:
        s = data[id_col]
        dup = s.duplicated(keep=False).to_numpy() & s.notna().to_numpy()
        if dup.any():
            pos = np.flatnonzero(dup)
            g = pd.DataFrame({"id": s.to_numpy(dtype=object)[pos], "row": pos}).groupby(
                "id", sort=False
            )["row"]
            dups = pd.DataFrame(
                {
                    "id": g.size().index,
                    "n": g.size().to_numpy(),
                    "rows": g.agg(lambda r: ", ".join(map(str, r))).to_numpy(),
                }
            )
            dup_rows = list(dups.itertuples(index=False, name=None))
            add(
                "duplicate_id",
                id_col,
                int(dup.sum()),
                "error",
                f"{len(dups)} ids on more than one row: {preview(dups['id'].tolist())}; "
                "remove duplicate records",
            )
    duplicates = pd.DataFrame(dup_rows, columns=["id", "n", "rows"])

    # out of range -----------------------------------------------------------------------
    oor_parts = []
    for column, problem, mask, _ in problems(cb, data):
        if problem not in ("not_in_labels", "out_of_range"):
            continue
        pos = np.flatnonzero(mask)
        oor_parts.append(
            pd.DataFrame(
                {
                    "row": pos,
                    "id": _ids(data, id_col, pos),
                    "column": column,
                    "value": data[column].to_numpy(dtype=object)[pos],
                    "problem": problem,
                }
            )
        )
        what = (
            "not among the codes or labels"
            if problem == "not_in_labels"
            else f"outside the range {list(cb[column].range or ())}"
        )
        add(
            "out_of_range",
            column,
            len(pos),
            "error",
            f"values {what}: {preview(data[column].to_numpy(dtype=object)[pos].tolist())}",
        )
    out_of_range = (
        pd.concat(oor_parts, ignore_index=True)
        if oor_parts
        else pd.DataFrame(columns=["row", "id", "column", "value", "problem"])
    )

    # straight-lining --------------------------------------------------------------------
    sl_parts = []
    for group, cols in cb.groups("likert").items():
        cols = [c for c in cols if c in data.columns]
        if len(cols) < straightline_min_items:
            continue
        m = _codes_matrix(data, cb, cols)
        flat = ~np.isnan(m).any(axis=1) & (m == m[:, :1]).all(axis=1)
        if flat.any():
            pos = np.flatnonzero(flat)
            sl_parts.append(
                pd.DataFrame(
                    {
                        "row": pos,
                        "id": _ids(data, id_col, pos),
                        "group": group,
                        "n_items": len(cols),
                        "value": m[pos, 0],
                    }
                )
            )
            add(
                "straightlining",
                group,
                len(pos),
                "warning",
                f"same answer to all {len(cols)} items of battery {group!r}",
            )
    straightliners = (
        pd.concat(sl_parts, ignore_index=True)
        if sl_parts
        else pd.DataFrame(
            {
                "row": pd.Series(dtype="int64"),
                "id": pd.Series(dtype=object),
                "group": pd.Series(dtype=object),
                "n_items": pd.Series(dtype="int64"),
                "value": pd.Series(dtype=float),
            }
        )
    )

    # speeders ---------------------------------------------------------------------------
    dur_col = duration if duration is not None else _find_duration(data, cb)
    speed_cols = ["row", "id", "duration", "threshold"]
    speeders = pd.DataFrame(columns=speed_cols)
    if dur_col is not None:
        check_columns(data, dur_col, what="duration column")
        d = pd.to_numeric(data[dur_col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        if np.isfinite(d).any():
            threshold = (
                float(min_duration) if min_duration is not None else float(np.nanmedian(d)) / 3
            )
            with np.errstate(invalid="ignore"):
                fast = d < threshold
            pos = np.flatnonzero(fast)
            speeders = pd.DataFrame(
                {
                    "row": pos,
                    "id": _ids(data, id_col, pos),
                    "duration": d[pos],
                    "threshold": threshold,
                }
            )
            if len(pos):
                rule = "given" if min_duration is not None else "one third of the median"
                add(
                    "speeding",
                    dur_col,
                    len(pos),
                    "warning",
                    f"duration below {threshold:.4g} ({rule})",
                )

    # junk text --------------------------------------------------------------------------
    junk_parts = []
    for name in cb.names("text"):
        if name not in data.columns:
            continue
        s = data[name]
        ok = s.notna().to_numpy()
        if not ok.any():
            continue
        t = s.astype(object).where(ok, "").astype(str).str.strip()
        length = t.str.len().to_numpy()
        rep = t.str.fullmatch(r"(.)\1+", flags=re.DOTALL).fillna(False).to_numpy(dtype=bool)
        letters = t.str.contains(r"[^\W\d_]", regex=True).fillna(False).to_numpy(dtype=bool)
        reason = np.select(
            [ok & (length == 0), ok & (length == 1), ok & rep, ok & ~letters],
            ["empty", "one_char", "repeated_char", "no_letters"],
            default="",
        )
        pos = np.flatnonzero(reason != "")
        if len(pos):
            junk_parts.append(
                pd.DataFrame(
                    {
                        "row": pos,
                        "id": _ids(data, id_col, pos),
                        "column": name,
                        "text": s.to_numpy(dtype=object)[pos],
                        "reason": reason[pos],
                    }
                )
            )
            counts = pd.Series(reason[pos]).value_counts()
            add(
                "junk_text",
                name,
                len(pos),
                "warning",
                "; ".join(f"{k}: {v}" for k, v in counts.items()),
            )
    junk_text = (
        pd.concat(junk_parts, ignore_index=True)
        if junk_parts
        else pd.DataFrame(columns=["row", "id", "column", "text", "reason"])
    )

    # codes that look like "not applicable" --------------------------------------------------
    for column, _code, k, detail in suspect_missing(data, cb):
        add("suspect_missing_code", column, k, "warning", detail)

    # label variants -------------------------------------------------------------------------
    for name in data.columns:
        if name == id_col or (name in cb and cb[name].type in ("text", "id", "date")):
            continue
        s = data[name]
        if not (
            s.dtype == object
            or pd.api.types.is_string_dtype(s.dtype)
            or isinstance(s.dtype, pd.CategoricalDtype)
        ):
            continue
        k, detail = _label_variants(s)
        if k:
            add("label_variants", name, k, "warning", detail)

    # missing ----------------------------------------------------------------------------
    n_missing = []
    for name in data.columns:
        s = data[name]
        miss = s.isna().to_numpy()
        if name in cb and cb[name].missing:
            miss = miss | user_missing(s, cb[name])
        if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
            miss = (
                miss | s.astype(object).where(~miss, "x").astype(str).str.strip().eq("").to_numpy()
            )
        n_missing.append(int(miss.sum()))
    missing = pd.DataFrame({"column": [str(c) for c in data.columns], "n_missing": n_missing})
    missing["share_missing"] = missing["n_missing"] / n
    for column, k, share in zip(
        missing["column"], n_missing, missing["share_missing"].to_numpy(dtype=float), strict=True
    ):
        if k:
            add(
                "missing",
                column,
                k,
                "warning" if share >= 0.5 else "info",
                f"{share:.1%} of answers missing",
            )

    order = {"error": 0, "warning": 1, "info": 2}
    table = pd.DataFrame(findings, columns=TABLE_COLUMNS)
    if len(table):
        table = table.iloc[np.argsort(table["severity"].map(order).to_numpy(), kind="stable")]
        table = table.reset_index(drop=True)
    return QualityReport(
        table,
        missing=missing,
        straightliners=straightliners,
        speeders=speeders,
        junk_text=junk_text,
        duplicates=duplicates,
        out_of_range=out_of_range,
        n_used=n,
        n_excluded=0,
    )
