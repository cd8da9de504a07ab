"""The survey codebook: column types, labels, value labels, scale order and missing codes.

A :class:`Codebook` is read from the YAML format described in ``docs/codebook.md``
(:meth:`Codebook.from_yaml`, ``yaml.safe_load`` only), drafted from data
(:meth:`Codebook.infer`), checked against data (:meth:`Codebook.validate`) and used to turn
answer codes or answer texts into labelled pandas Categoricals (:meth:`Codebook.apply`).

The pieces live in their own modules: one column (:mod:`needlab.io.column`), answer codes
(:mod:`needlab.io.codes`), drafting from data (:mod:`needlab.io.infer`), checks against data
(:mod:`needlab.io.validation`) and the YAML files (:mod:`needlab.io.codebook_yaml`). This module
holds the :class:`Codebook` and re-exports :class:`Column`.
"""

from __future__ import annotations

import copy
import difflib
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from needlab._types import Lang
from needlab.errors import ConfigError, NeedlabWarning
from needlab.io.codebook_yaml import read_yaml, write_yaml
from needlab.io.codes import (
    code_order,
    codes_or_raise,
    mask_missing,
    resolve_missing,
    unique_labels,
)
from needlab.io.column import (
    CATEGORICAL_TYPES,
    COLUMN_TYPES,
    Code,
    Column,
    ColumnType,
    check_lang,
    parse_labels,
    pick_label,
)
from needlab.io.infer import infer_columns, suspect_missing
from needlab.io.validation import VALIDATE_COLUMNS, validate

__all__ = ["COLUMN_TYPES", "VALIDATE_COLUMNS", "Code", "Codebook", "Column", "ColumnType"]


class Codebook:
    """Column types, labels, value labels, scale order and missing codes of a survey.

    Parameters
    ----------
    columns : iterable of Column or mapping of str to Column
        The columns in questionnaire order.
    id : str, optional
        The respondent id column; by default the first column of type ``id``.
    weight : str, optional
        The survey weight column; by default the first column of type ``weight``.
    title : dict of str to str, optional
        Title by language.

    Raises
    ------
    ConfigError
        Duplicate column names, or *id* / *weight* naming a column the codebook lacks.

    Examples
    --------
    >>> cb = Codebook.from_dict({
    ...     "needlab_codebook": 1,
    ...     "columns": {
    ...         "resp_id": {"type": "id"},
    ...         "sat": {"type": "likert", "label": {"en": "Satisfaction", "zh": "满意度"},
    ...                 "values": {1: {"en": "Bad", "zh": "差"}, 2: "Good"}, "missing": [9]},
    ...     },
    ... })
    >>> cb.id, len(cb), cb.label("sat", "zh")
    ('resp_id', 2, '满意度')
    >>> cb.value_labels("sat", "zh")
    {1: '差', 2: 'Good'}
    """

    def __init__(
        self,
        columns: Iterable[Column] | Mapping[str, Column] = (),
        *,
        id: str | None = None,
        weight: str | None = None,
        title: Mapping[str, str] | None = None,
    ) -> None:
        cols = list(columns.values()) if isinstance(columns, Mapping) else list(columns)
        self.columns: dict[str, Column] = {}
        for c in cols:
            if not isinstance(c, Column):
                raise ConfigError(
                    f"Codebook columns must be Column objects, got {type(c).__name__}."
                )
            if c.name in self.columns:
                raise ConfigError(f"the codebook declares column {c.name!r} twice; keep one entry.")
            self.columns[c.name] = c
        for key, value in (("id", id), ("weight", weight)):
            if value is not None and value not in self.columns:
                raise ConfigError(
                    f"the codebook's {key}: {value!r} is not one of its columns; "
                    f"add an entry for it under 'columns'."
                )
        self._id = id
        self._weight = weight
        self.title: dict[str, str] = dict(title or {})

    # ------------------------------------------------------------------ basic protocol
    @property
    def id(self) -> str | None:
        """The respondent id column (declared, or the first column of type ``id``), or None."""
        if self._id is not None:
            return self._id
        ids = self.names("id")
        return ids[0] if ids else None

    @property
    def weight(self) -> str | None:
        """The weight column (declared, or the first column of type ``weight``), or None."""
        if self._weight is not None:
            return self._weight
        ws = self.names("weight")
        return ws[0] if ws else None

    def __getitem__(self, name: str) -> Column:
        try:
            return self.columns[name]
        except KeyError:
            close = difflib.get_close_matches(str(name), list(self.columns), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ConfigError(f"column {name!r}{hint} is not in the codebook.") from None

    def __contains__(self, name: object) -> bool:
        return name in self.columns

    def __iter__(self) -> Iterator[Column]:
        return iter(self.columns.values())

    def __len__(self) -> int:
        return len(self.columns)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Codebook) and self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        types = pd.Series([c.type for c in self], dtype=object).value_counts()
        parts = ", ".join(f"{k}: {v}" for k, v in types.items())
        return f"<Codebook: {len(self)} columns ({parts})>"

    def names(self, type: ColumnType | Sequence[ColumnType] | None = None) -> list[str]:
        """Return the column names, optionally only those of the given type(s).

        Examples
        --------
        >>> cb = Codebook([Column("a", "single"), Column("b", "numeric")])
        >>> cb.names(), cb.names("numeric")
        (['a', 'b'], ['b'])
        """
        if type is None:
            return list(self.columns)
        types = {type} if isinstance(type, str) else set(type)
        bad = types - set(COLUMN_TYPES)
        if bad:
            raise ConfigError(f"type={sorted(bad)} is not valid; choose from {list(COLUMN_TYPES)}.")
        return [c.name for c in self if c.type in types]

    def groups(self, type: ColumnType | None = "likert") -> dict[str, list[str]]:
        """Return battery name -> its columns (in codebook order) for columns of *type*.

        Examples
        --------
        >>> cb = Codebook([Column("s1", "likert", group="sat"), Column("s2", "likert", group="sat"),
        ...                Column("x", "likert")])
        >>> cb.groups()
        {'sat': ['s1', 's2']}
        """
        out: dict[str, list[str]] = {}
        for c in self:
            if c.group is not None and (type is None or c.type == type):
                out.setdefault(c.group, []).append(c.name)
        return out

    def kano_pairs(self) -> pd.DataFrame:
        """Return the Kano question pairs, one row per feature in codebook order.

        Returns
        -------
        DataFrame
            ``feature`` (the feature name), ``functional`` (the column of the functional
            question: "if the product has ..."), ``dysfunctional`` (the column of the
            dysfunctional question: "if it does not have ...").

        Raises
        ------
        ConfigError
            A Kano column without ``feature``, a feature lacking one half, or a feature with two
            functional (or two dysfunctional) columns.

        Examples
        --------
        >>> cb = Codebook([Column("app_f", "kano_functional", feature="app"),
        ...                Column("app_d", "kano_dysfunctional", feature="app")])
        >>> cb.kano_pairs()
          feature functional dysfunctional
        0     app      app_f         app_d
        """
        pairs: dict[str, dict[str, str]] = {}
        for c in self:
            if c.type not in ("kano_functional", "kano_dysfunctional"):
                continue
            if c.feature is None:
                raise ConfigError(
                    f"Kano column {c.name!r} has no 'feature'; add feature: NAME to "
                    "pair it with its other half."
                )
            half = "functional" if c.type == "kano_functional" else "dysfunctional"
            slot = pairs.setdefault(c.feature, {})
            if half in slot:
                raise ConfigError(
                    f"Kano feature {c.feature!r} has two {half} columns: "
                    f"{slot[half]!r} and {c.name!r}; give each its own feature name."
                )
            slot[half] = c.name
        for feat, slot in pairs.items():
            for half in ("functional", "dysfunctional"):
                if half not in slot:
                    have = next(iter(slot.values()))
                    raise ConfigError(
                        f"Kano feature {feat!r} has no {half} column (only {have!r}); "
                        f"add a column of type kano_{half} with feature: {feat}."
                    )
        return pd.DataFrame(
            [(f, s["functional"], s["dysfunctional"]) for f, s in pairs.items()],
            columns=["feature", "functional", "dysfunctional"],
        )

    def label(self, column: str, lang: Lang = "en") -> str:
        """Return the question label of *column* in *lang* (other language, then the name, as fallback)."""
        return pick_label(self[column].label, lang, column)

    def value_labels(self, column: str, lang: Lang = "en") -> dict[Code, str]:
        """Return code -> answer label of *column* in *lang*, falling back to the other language."""
        return self[column].value_labels(lang)

    # ------------------------------------------------------------------ (de)serialisation
    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Codebook:
        """Build a codebook from a mapping in the YAML layout of ``docs/codebook.md``.

        Parameters
        ----------
        d : mapping
            With ``needlab_codebook: 1`` and ``columns``; optional ``title``, ``id``, ``weight``.

        Returns
        -------
        Codebook

        Raises
        ------
        ConfigError
            Missing or unsupported ``needlab_codebook`` version, no ``columns``, an unknown
            column type or malformed labels, values, missing codes or range.
        """
        if not isinstance(d, Mapping):
            raise ConfigError(
                f"a codebook must be a mapping with 'needlab_codebook: 1' and 'columns', "
                f"got {type(d).__name__}."
            )
        version = d.get("needlab_codebook")
        if version is None:
            raise ConfigError(
                "missing 'needlab_codebook: 1' at the top; add that line to mark the "
                "file as a needlab codebook (format version 1)."
            )
        if version != 1:
            raise ConfigError(
                f"needlab_codebook: {version!r} is not supported; this version of "
                "needlab reads format 1."
            )
        cols = d.get("columns")
        if not isinstance(cols, Mapping) or not cols:
            raise ConfigError("'columns' must be a non-empty mapping of column name -> entry.")
        unknown = sorted(set(d) - {"needlab_codebook", "title", "id", "weight", "columns"})
        if unknown:
            raise ConfigError(
                f"unknown top-level key(s) {unknown}; allowed: needlab_codebook, "
                "title, id, weight, columns."
            )
        title = parse_labels(d.get("title"), "title")
        return cls(
            [Column.from_dict(str(k), v) for k, v in cols.items()],
            id=d.get("id"),
            weight=d.get("weight"),
            title=title,
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the codebook as a plain mapping in the YAML layout (see :meth:`from_dict`)."""
        d: dict[str, Any] = {"needlab_codebook": 1}
        if self.title:
            d["title"] = dict(self.title)
        if self._id is not None:
            d["id"] = self._id
        if self._weight is not None:
            d["weight"] = self._weight
        d["columns"] = {c.name: c.to_dict() for c in self}
        return d

    @classmethod
    def from_yaml(cls, path: str | Path) -> Codebook:
        """Read a codebook YAML file (``yaml.safe_load``; see ``docs/codebook.md``).

        Parameters
        ----------
        path : str or Path
            The ``.yaml`` / ``.yml`` file.

        Returns
        -------
        Codebook

        Raises
        ------
        ConfigError
            The file is missing, is not valid YAML, or is not a valid codebook; the message
            names the file and the problem.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "cb.yaml"
        >>> _ = p.write_text("columns: {a: {type: single}}", encoding="utf-8")
        >>> Codebook.from_yaml(p)
        Traceback (most recent call last):
        ...
        needlab.errors.ConfigError: codebook ...cb.yaml: missing 'needlab_codebook: 1' ...
        """
        d = read_yaml(path)
        try:
            return cls.from_dict(d)
        except ConfigError as exc:
            raise ConfigError(f"codebook {path}: {exc}") from None

    def to_yaml(self, path: str | Path) -> Path:
        """Write the codebook to a YAML file (UTF-8, Chinese kept readable).

        ``Codebook.from_yaml(path).to_dict() == cb.to_dict()`` holds exactly.

        Parameters
        ----------
        path : str or Path
            Target file.

        Returns
        -------
        Path
            The path written.
        """
        return write_yaml(self.to_dict(), path)

    # ------------------------------------------------------------------ infer
    @classmethod
    def infer(
        cls,
        df: pd.DataFrame,
        max_levels: int = 12,
        *,
        missing: Mapping[str, Any] | None = None,
    ) -> Codebook:
        """Draft a codebook from data; review and edit it before relying on it.

        Rules, per column: a column named like ``weight`` holding non-negative numbers is the
        weight; datetimes (or texts that parse as ``YYYY-MM-DD`` dates) are ``date``; the first
        column of unique, non-missing integers or short codes whose name looks like an id (or
        that has more than *max_levels* distinct values and no missing ones, being integer) is
        the ``id``; integer columns with 3 to *max_levels* levels that are all within ``1..k``
        (or ``0..k``) for ``k`` from 4 to 11 are ``likert`` (a rating scale), other columns with
        at most *max_levels* levels are ``single`` with the observed values as codes (texts get
        codes ``1..k`` in sorted order and themselves as labels); other numbers are
        ``numeric``; other texts are ``text``. Likert items sharing a name stem (``sat_1``,
        ``sat_2``) get that stem as ``group``.

        A scale whose lowest or highest code looks like "not applicable" or "don't know"
        (``9`` after a gap above ``1..5``, ``98``/``99`` above a short scale, ``0`` below
        ``1..5`` or ``1..7``) is drafted as it is, with a :class:`~needlab.errors.NeedlabWarning`
        naming the columns, the codes and the fix: pass them as *missing* (or to
        ``read_survey(..., missing=)``) so the scale is drafted without them.

        Parameters
        ----------
        df : DataFrame
            The survey data.
        max_levels : int, default 12
            Most distinct values a coded column may have.
        missing : mapping of str to list of codes, optional
            User-missing codes by column name or glob pattern (``{"sat_*": [0, 99]}``): they
            are set aside before drafting (so a ``1..5`` scale with ``99`` for "don't know"
            becomes a ``1..5`` likert) and recorded as the columns' ``missing`` codes.

        Returns
        -------
        Codebook

        Raises
        ------
        ConfigError
            *df* is not a DataFrame, or a key of *missing* matches no column.

        Warns
        -----
        NeedlabWarning
            Codes that look like "not applicable" (see above), unless given in *missing*.

        Examples
        --------
        >>> df = pd.DataFrame({"rid": [11, 12, 13, 14], "sat_a": [1, 5, 4, 2],
        ...                    "sat_b": [2, 5, 3, 1], "city": ["北京", "上海", "北京", "上海"]})
        >>> cb = Codebook.infer(df)
        >>> [(c.name, c.type, c.group) for c in cb]
        [('rid', 'id', None), ('sat_a', 'likert', 'sat'), ('sat_b', 'likert', 'sat'), ('city', 'single', None)]
        >>> cb.value_labels("city")
        {1: '上海', 2: '北京'}
        """
        if not isinstance(df, pd.DataFrame):
            raise ConfigError(f"Codebook.infer needs a DataFrame, got {type(df).__name__}.")
        resolved: dict[str, list[Any]] = {}
        if missing is not None:
            df, resolved, _ = mask_missing(df, missing)
        cb = cls(infer_columns(df, max_levels))
        if resolved:
            cb = cb.set_missing(resolved)
        found = suspect_missing(df, cb)
        if found:
            shown = "; ".join(
                f"{name!r}: code {code!r} ({n} answers)" for name, code, n, _ in found
            )
            spec = ", ".join(f"{name!r}: [{code!r}]" for name, code, _, _ in found[:5])
            warnings.warn(
                f"codes that look like 'not applicable' were drafted as scale points: {shown}. "
                f"If they are 'not applicable' / 'don't know', pass missing={{{spec}}} to "
                "Codebook.infer or read_survey (or call codebook.set_missing).",
                NeedlabWarning,
                stacklevel=2,
            )
        return cb

    # ------------------------------------------------------------------ missing codes
    def set_missing(
        self,
        columns: str | Sequence[str] | Mapping[str, Any],
        codes: Any = None,
        *,
        replace: bool = False,
    ) -> Codebook:
        """Return a copy of the codebook with user-missing codes added to some columns.

        User-missing codes (``0`` "not applicable", ``98`` "don't know", ``99`` "refused")
        are read as missing by :meth:`apply`, :meth:`to_codes`, :func:`needlab.read_survey`
        and every analysis. The codebook itself is not changed.

        Parameters
        ----------
        columns : str, list of str or mapping
            A column name or a glob pattern (``"sat_*"``), a list of them (all get *codes*),
            or a mapping ``{column or pattern: codes}`` (then *codes* is not given).
        codes : code or list of codes
            The codes (integers or short texts).
        replace : bool, default False
            Replace the columns' missing codes instead of adding to them.

        Returns
        -------
        Codebook
            A new codebook.

        Raises
        ------
        ConfigError
            A name or pattern matches no column, codes are missing or not codes, or *codes* is
            given together with a mapping.

        Examples
        --------
        >>> cb = Codebook([Column("sat_a", "likert"), Column("sat_b", "likert"), Column("age", "numeric")])
        >>> cb2 = cb.set_missing("sat_*", [0, 99])
        >>> cb2["sat_b"].missing, cb["sat_b"].missing
        ([0, 99], [])
        >>> cb2.set_missing({"sat_a": 98, "age": [999]})["sat_a"].missing
        [0, 99, 98]
        """
        if isinstance(columns, Mapping):
            if codes is not None:
                raise ConfigError(
                    "set_missing: give either a mapping {column: codes} or columns and codes, "
                    "not both."
                )
            spec: Mapping[str, Any] = columns
        else:
            if codes is None:
                raise ConfigError(
                    "set_missing: codes are missing; e.g. cb.set_missing('sat_*', [0, 99])."
                )
            names = [columns] if isinstance(columns, str) else list(columns)
            spec = {str(n): codes for n in names}
        resolved = resolve_missing(spec, list(self.columns), where="set_missing")
        out = copy.deepcopy(self)
        for name, new in resolved.items():
            col = out.columns[name]
            base = [] if replace else list(col.missing)
            col.missing = base + [c for c in new if c not in base]
        return out

    # ------------------------------------------------------------------ table
    def table(self, lang: Lang = "en") -> pd.DataFrame:
        """Return the codebook as a tidy table, one row per column.

        Parameters
        ----------
        lang : {"en", "zh"}, default "en"
            Language of labels.

        Returns
        -------
        DataFrame
            ``column`` (name in the data), ``type`` (column type), ``label`` (question text),
            ``group`` (battery), ``stage`` (journey stage), ``n_values`` (number of declared
            answer codes), ``values`` (short ``"1=..; 2=.."`` text of the value labels),
            ``missing`` (user-missing codes, comma separated).

        Examples
        --------
        >>> cb = Codebook([Column("q", "single", values={1: {"en": "Yes"}, 2: {"en": "No"}})])
        >>> cb.table()[["column", "n_values", "values"]]
          column  n_values         values
        0      q         2  1=Yes; 2=No
        """
        check_lang(lang)
        rows = []
        for c in self:
            vl = c.value_labels(lang)
            text = "; ".join(f"{k}={v}" for k, v in list(vl.items())[:12])
            if len(vl) > 12:
                text += f"; ... ({len(vl) - 12} more)"
            rows.append(
                {
                    "column": c.name,
                    "type": c.type,
                    "label": pick_label(c.label, lang, ""),
                    "group": c.group,
                    "stage": c.stage,
                    "n_values": len(vl),
                    "values": text,
                    "missing": ", ".join(str(m) for m in c.missing),
                }
            )
        return pd.DataFrame(
            rows,
            columns=["column", "type", "label", "group", "stage", "n_values", "values", "missing"],
        )

    # ------------------------------------------------------------------ validate
    def validate(self, df: pd.DataFrame) -> pd.DataFrame:
        """Check *df* against the codebook; return every mismatch.

        Columns the codebook does not declare are not checked (extra columns are fine). Coded
        columns may hold codes or labels (either language, matched after NFKC + strip +
        casefold); user-missing codes and missing values are always fine. Each token of a
        delimited ``multi`` column must be a code or label.

        Parameters
        ----------
        df : DataFrame
            The survey data.

        Returns
        -------
        DataFrame
            One row per (column, problem), with ``column`` (the column name), ``problem``
            (``missing_column``: declared but absent; ``wrong_type``: not a number / date where
            one is declared; ``not_in_labels``: a code or label the column does not declare;
            ``out_of_range``: a number outside the declared ``range``; ``duplicate_id`` and
            ``missing_id``: id column problems; ``bad_weight``: negative, missing or infinite
            weights, or weights summing to zero), ``n`` (rows affected), ``examples`` (a few
            offending values) and ``rows`` (a few of their row positions, 0-based). Empty (with
            these columns) when everything matches.

        Examples
        --------
        >>> cb = Codebook([Column("q", "single", values={1: {"en": "Yes", "zh": "是"},
        ...                                              2: {"en": "No", "zh": "否"}}, missing=[9])])
        >>> df = pd.DataFrame({"q": [1, "是", " yes ", 9, None, 7, "maybe"]})
        >>> cb.validate(df)
          column        problem  n   examples  rows
        0      q  not_in_labels  2  7, 'maybe'  5, 6
        """
        return validate(self, df)

    # ------------------------------------------------------------------ apply / to_codes
    def apply(self, df: pd.DataFrame, lang: Lang = "en") -> pd.DataFrame:
        """Return a copy of *df* with coded columns as labelled pandas Categoricals.

        Single, likert and Kano columns with value labels become Categoricals whose categories
        are the labels in *lang* in code order (numeric order for integer codes, else
        codebook order), ``ordered`` as declared; user-missing codes become missing. Cells may
        hold codes or labels in either language. Other columns are unchanged; codebook columns
        absent from *df* are skipped.

        Parameters
        ----------
        df : DataFrame
            The survey data.
        lang : {"en", "zh"}, default "en"
            Language of the category labels.

        Returns
        -------
        DataFrame
            Same shape, index and column order as *df*.

        Raises
        ------
        DataError
            A cell matches no code or label; the message lists the column, values and rows.

        Examples
        --------
        >>> cb = Codebook([Column("sat", "likert", values={1: {"en": "Bad", "zh": "差"},
        ...                                                2: {"en": "Good", "zh": "好"}},
        ...                       missing=[9])])
        >>> out = cb.apply(pd.DataFrame({"sat": [2, "差", 9, None]}), lang="zh")
        >>> out["sat"].tolist(), list(out["sat"].cat.categories), out["sat"].cat.ordered
        (['好', '差', nan, nan], ['差', '好'], True)
        """
        check_lang(lang)
        out = df.copy()
        for c in self:
            if c.type not in CATEGORICAL_TYPES or not c.values or c.name not in df.columns:
                continue
            codes = codes_or_raise(df[c.name], c)
            order = code_order(c)
            labels = c.value_labels(lang)
            cats = unique_labels([labels[k] for k in order], order)
            lab_of = dict(zip(order, cats, strict=True))
            values = codes.map(lab_of)
            out[c.name] = pd.Categorical(values, categories=cats, ordered=bool(c.ordered))
        return out

    def to_codes(self, df: pd.DataFrame) -> pd.DataFrame:
        """Return a copy of *df* with coded columns as their codes (labels -> codes).

        The inverse of :meth:`apply`: single, likert and Kano columns with value labels become
        ``Int64`` (integer codes) or object (text codes); user-missing codes become missing.

        Parameters
        ----------
        df : DataFrame
            The survey data (codes, labels or Categoricals of labels).

        Returns
        -------
        DataFrame
            Same shape, index and column order as *df*.

        Raises
        ------
        DataError
            A cell matches no code or label.

        Examples
        --------
        >>> cb = Codebook([Column("q", "single", values={1: {"en": "Yes"}, 2: {"en": "No"}})])
        >>> cb.to_codes(pd.DataFrame({"q": ["no", "Yes", None]}))["q"].tolist()
        [2, 1, <NA>]
        """
        out = df.copy()
        for c in self:
            if c.type not in CATEGORICAL_TYPES or not c.values or c.name not in df.columns:
                continue
            s = df[c.name]
            if isinstance(s.dtype, pd.CategoricalDtype):
                s = s.astype(object)
            codes = codes_or_raise(s, c)
            if all(isinstance(k, int) for k in c.values):
                out[c.name] = (
                    pd.array(codes.tolist(), dtype="Int64")
                    if len(codes)
                    else pd.array([], dtype="Int64")
                )
            else:
                out[c.name] = codes
        return out
