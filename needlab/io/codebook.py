"""The survey codebook: column types, labels, value labels, scale order and missing codes.

A :class:`Codebook` is read from the YAML format described in ``docs/codebook.md``
(:meth:`Codebook.from_yaml`, ``yaml.safe_load`` only), drafted from data
(:meth:`Codebook.infer`), checked against data (:meth:`Codebook.validate`) and used to turn
answer codes or answer texts into labelled pandas Categoricals (:meth:`Codebook.apply`).

Data may hold either the codes (``1``, ``2``, ...) or the labels (``"Very satisfied"``,
``"非常满意"``) of a coded column. Labels are matched after Unicode NFKC normalisation,
stripping and case folding, so full-width characters, stray spaces and case do not matter.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

import numpy as np
import pandas as pd

from needlab._validate import SHOW, preview
from needlab.errors import ConfigError, DataError

__all__ = ["COLUMN_TYPES", "Code", "Column", "ColumnType", "Codebook", "Lang", "VALIDATE_COLUMNS"]

ColumnType = Literal[
    "id",
    "single",
    "multi",
    "likert",
    "numeric",
    "text",
    "date",
    "weight",
    "kano_functional",
    "kano_dysfunctional",
]
Lang = Literal["en", "zh"]
Code = int | str
Problem = Literal[
    "missing_column",
    "wrong_type",
    "not_in_labels",
    "out_of_range",
    "duplicate_id",
    "missing_id",
    "bad_weight",
]

COLUMN_TYPES: tuple[str, ...] = get_args(ColumnType)
"""The column types a codebook may use."""

#: Types whose cells hold answer codes (or their labels).
CODED_TYPES = frozenset({"single", "multi", "likert", "kano_functional", "kano_dysfunctional"})
#: Types that :meth:`Codebook.apply` turns into Categoricals.
CATEGORICAL_TYPES = frozenset({"single", "likert", "kano_functional", "kano_dysfunctional"})
VALIDATE_COLUMNS = ["column", "problem", "n", "examples", "rows"]
"""The columns of the table returned by :meth:`Codebook.validate`."""

_LANGS: tuple[str, ...] = ("en", "zh")
_KNOWN_KEYS = {
    "type",
    "label",
    "values",
    "ordered",
    "missing",
    "group",
    "stage",
    "range",
    "feature",
    "delimiter",
}
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_ID_NAME = re.compile(
    r"(^|_)(id|uid|respid|resp_id|respondent|respondent_id|编号|序号)$|^id_|id$", re.IGNORECASE
)
_DATE_LIKE = re.compile(r"^\s*\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}")


# --------------------------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------------------------
def detect_lang(text: str) -> Lang:
    """Return ``"zh"`` when *text* contains CJK characters, else ``"en"``.

    Examples
    --------
    >>> detect_lang("非常满意"), detect_lang("Very satisfied")
    ('zh', 'en')
    """
    return "zh" if _CJK.search(str(text)) else "en"


def normalise_text(value: Any) -> str:
    """Normalise an answer text for matching: NFKC, strip, casefold.

    Examples
    --------
    >>> normalise_text("  Very Satisfied ")
    'very satisfied'
    >>> normalise_text("１")
    '1'
    """
    return unicodedata.normalize("NFKC", str(value)).strip().casefold()


def as_code(value: Any) -> Code:
    """Return *value* as a codebook code: an ``int`` when integral, else a ``str``.

    Raises
    ------
    ConfigError
        For booleans, missing values and other non-scalar codes.

    Examples
    --------
    >>> as_code(2.0), as_code("3"), as_code(" A "), as_code(1.5)
    (2, 3, 'A', '1.5')
    """
    if isinstance(value, (bool, np.bool_)) or value is None:
        raise ConfigError(f"answer code {value!r} is not valid; codes are integers or short texts.")
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        if np.isnan(value):
            raise ConfigError(
                "answer code NaN is not valid; declare missing answers under 'missing'."
            )
        return int(value) if float(value).is_integer() else str(float(value))
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        if re.fullmatch(r"[+-]?\d+", text) and not re.fullmatch(r"[+-]?0\d+", text):
            return int(text)
        return text
    raise ConfigError(
        f"answer code {value!r} ({type(value).__name__}) is not valid; "
        "codes are integers or short texts."
    )


def _labels(value: Any, where: str) -> dict[str, str]:
    """Parse a label given as a string or a ``{en: .., zh: ..}`` mapping."""
    if value is None:
        return {}
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        text = str(value)
        return {detect_lang(text): text}
    if isinstance(value, Mapping):
        out: dict[str, str] = {}
        for k, v in value.items():
            if k not in _LANGS:
                raise ConfigError(f"{where}: unknown label language {k!r}; use 'en' and/or 'zh'.")
            if v is None or isinstance(v, (Mapping, list)):
                raise ConfigError(f"{where}: the {k!r} label must be a text, got {v!r}.")
            out[str(k)] = str(v)
        return out
    raise ConfigError(
        f"{where}: a label must be a text or a mapping like {{en: ..., zh: ...}}, got {value!r}."
    )


def _pick(labels: Mapping[str, str], lang: str, default: str) -> str:
    if lang in labels:
        return labels[lang]
    for other in _LANGS:
        if other in labels:
            return labels[other]
    return default


def _rows(mask: np.ndarray, n: int = SHOW) -> str:
    pos = np.flatnonzero(mask)
    text = ", ".join(str(p) for p in pos[:n])
    return text + (f" (and {len(pos) - n} more)" if len(pos) > n else "")


def _is_numeric_like(s: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)


# --------------------------------------------------------------------------------------------
# Column
# --------------------------------------------------------------------------------------------
@dataclass
class Column:
    """One column of a codebook.

    Parameters
    ----------
    name : str
        The column name in the data.
    type : {"id", "single", "multi", "likert", "numeric", "text", "date", "weight", \
"kano_functional", "kano_dysfunctional"}
        What the column holds.
    label : dict of str to str
        The question text by language, ``{"en": ..., "zh": ...}``; either may be missing.
    values : dict of code to dict of str to str
        Answer code -> label by language. Codes are ``int`` when integral, else ``str``.
    ordered : bool, optional
        Whether the codes form an ordered scale; ``True`` by default for likert, else ``False``.
    missing : list of codes
        User-missing codes (e.g. 99 "don't know"), read as missing.
    group : str, optional
        Battery name shared by the items of one battery (or the 0/1 columns of one
        multi-select question).
    stage : str, optional
        Journey stage (free text).
    range : tuple of (float, float), optional
        Valid inclusive range of a numeric column.
    feature : str, optional
        The Kano feature a ``kano_functional`` / ``kano_dysfunctional`` item belongs to.
    delimiter : str, optional
        Separator of the codes of a delimited multi-select column.
    meta : dict
        Any other keys of the column entry, kept as they are.

    Examples
    --------
    >>> c = Column("sat", "likert", values={1: {"en": "Bad"}, 5: {"en": "Good"}})
    >>> c.ordered
    True
    """

    name: str
    type: ColumnType
    label: dict[str, str] = field(default_factory=dict)
    values: dict[Code, dict[str, str]] = field(default_factory=dict)
    ordered: bool | None = None
    missing: list[Code] = field(default_factory=list)
    group: str | None = None
    stage: str | None = None
    range: tuple[float, float] | None = None
    feature: str | None = None
    delimiter: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.type not in COLUMN_TYPES:
            close = difflib.get_close_matches(str(self.type), COLUMN_TYPES, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ConfigError(
                f"column {self.name!r}: unknown type {self.type!r}{hint}; "
                f"choose one of {list(COLUMN_TYPES)}."
            )
        if self.ordered is None:
            self.ordered = self.type == "likert"

    # ------------------------------------------------------------------ (de)serialisation
    @classmethod
    def from_dict(cls, name: str, d: Mapping[str, Any] | None) -> Column:
        """Build a column from its codebook entry (a mapping); see ``docs/codebook.md``.

        Raises
        ------
        ConfigError
            Missing or unknown type, malformed labels, values, missing codes or range.
        """
        where = f"column {name!r}"
        if d is None:
            d = {}
        if not isinstance(d, Mapping):
            raise ConfigError(
                f"{where}: the entry must be a mapping with at least 'type', got {d!r}."
            )
        if "type" not in d:
            raise ConfigError(f"{where}: 'type' is required; choose one of {list(COLUMN_TYPES)}.")
        values_raw = d.get("values") or {}
        if not isinstance(values_raw, Mapping):
            raise ConfigError(
                f"{where}: 'values' must be a mapping code -> label, "
                f"e.g. {{1: {{en: Yes}}, 2: {{en: No}}}}; got {values_raw!r}."
            )
        values: dict[Code, dict[str, str]] = {}
        for k, v in values_raw.items():
            try:
                code = as_code(k)
            except ConfigError as exc:
                raise ConfigError(f"{where}: {exc}") from None
            if code in values:
                raise ConfigError(f"{where}: answer code {code!r} is declared twice.")
            values[code] = _labels(v, f"{where}, value {k!r}")
        missing_raw = d.get("missing") or []
        if not isinstance(missing_raw, (list, tuple)):
            missing_raw = [missing_raw]
        try:
            missing = [as_code(m) for m in missing_raw]
        except ConfigError as exc:
            raise ConfigError(f"{where}: 'missing': {exc}") from None
        rng = d.get("range")
        if rng is not None:
            if (
                not isinstance(rng, (list, tuple))
                or len(rng) != 2
                or not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in rng)
                or rng[0] > rng[1]
            ):
                raise ConfigError(
                    f"{where}: 'range' must be [low, high] with low <= high, got {rng!r}."
                )
            rng = (rng[0], rng[1])
        ordered = d.get("ordered")
        if ordered is not None and not isinstance(ordered, bool):
            raise ConfigError(f"{where}: 'ordered' must be true or false, got {ordered!r}.")
        delimiter = d.get("delimiter")
        if delimiter is not None and (not isinstance(delimiter, str) or delimiter == ""):
            raise ConfigError(f"{where}: 'delimiter' must be a non-empty text, got {delimiter!r}.")
        opt = {
            k: (None if d.get(k) is None else str(d.get(k))) for k in ("group", "stage", "feature")
        }
        return cls(
            name=str(name),
            type=d["type"],
            label=_labels(d.get("label"), f"{where}, label"),
            values=values,
            ordered=ordered,
            missing=missing,
            range=rng,
            delimiter=delimiter,
            meta={k: v for k, v in d.items() if k not in _KNOWN_KEYS},
            **opt,
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the codebook entry of this column (plain types, ready for YAML)."""
        d: dict[str, Any] = {"type": self.type}
        if self.label:
            d["label"] = dict(self.label)
        for key in ("group", "stage", "feature", "delimiter"):
            if getattr(self, key) is not None:
                d[key] = getattr(self, key)
        if self.ordered != (self.type == "likert"):
            d["ordered"] = bool(self.ordered)
        if self.range is not None:
            d["range"] = list(self.range)
        if self.values:
            d["values"] = {k: dict(v) for k, v in self.values.items()}
        if self.missing:
            d["missing"] = list(self.missing)
        d.update(self.meta)
        return d

    # ------------------------------------------------------------------ labels and codes
    def scale(self) -> dict[Code, dict[str, str]]:
        """Return the answer codes with their labels, gaps of a likert scale filled.

        Codebooks often label only the ends of a rating scale (``1: Very dissatisfied``,
        ``5: Very satisfied``); for a likert column with integer codes every integer between
        the lowest and the highest (non-missing) code is a valid answer, labelled by itself.

        Examples
        --------
        >>> Column("s", "likert", values={1: {"en": "Bad"}, 4: {"en": "Good"}}).scale()
        {1: {'en': 'Bad'}, 2: {}, 3: {}, 4: {'en': 'Good'}}
        """
        keys = [k for k in self.values if k not in self.missing]
        if self.type != "likert" or not keys or not all(isinstance(k, int) for k in keys):
            return self.values
        lo, hi = min(keys), max(keys)  # type: ignore[type-var]
        if int(hi) - int(lo) > 100:
            return self.values
        out: dict[Code, dict[str, str]] = {
            k: self.values.get(k, {}) for k in range(int(lo), int(hi) + 1)
        }
        out.update({k: v for k, v in self.values.items() if k not in out})
        return out

    def value_labels(self, lang: Lang = "en") -> dict[Code, str]:
        """Return code -> label in *lang* (falling back to the other language, then the code)."""
        return {k: _pick(v, lang, str(k)) for k, v in self.scale().items()}

    def code_lookup(self) -> dict[Any, Code]:
        """Return a lookup from normalised code or label text (and numeric code) to the code."""
        look: dict[Any, Code] = {}
        scale = self.scale()
        for code, labels in scale.items():
            for text in labels.values():
                look.setdefault(normalise_text(text), code)
        for code in list(scale) + list(self.missing):
            look[normalise_text(code)] = code
            if isinstance(code, int):
                look[code] = code
        return look


def _map_codes(s: pd.Series, col: Column) -> tuple[pd.Series, np.ndarray]:
    """Map a Series of codes or labels to codes.

    Returns the codes (object Series, NaN where missing or unknown) and a boolean mask of
    non-missing cells that match no code or label. Works on the unique values only.
    """
    look = col.code_lookup()
    uniq = pd.unique(s.dropna())
    table: dict[Any, Any] = {}
    for u in uniq:  # unique values, not rows
        code: Any = None
        if isinstance(u, (int, np.integer)) and not isinstance(u, (bool, np.bool_)):
            code = look.get(int(u))
        elif isinstance(u, (float, np.floating)):
            code = look.get(int(u)) if float(u).is_integer() else look.get(normalise_text(float(u)))
        else:
            key = normalise_text(u)
            code = look.get(key)
            if code is None and _NUMBER.match(key):
                num = float(key)
                code = look.get(int(num)) if num.is_integer() else look.get(normalise_text(num))
        table[u] = code
    codes = s.map(table) if len(table) else pd.Series(np.nan, index=s.index, dtype=object)
    unknown = (s.notna() & codes.isna()).to_numpy(dtype=bool, copy=True)
    return codes.astype(object), unknown


def _bad_tokens(s: pd.Series, col: Column) -> tuple[np.ndarray, pd.Series]:
    """For a delimited multi column: mask of rows with an unknown token, and the bad tokens."""
    pos = np.flatnonzero(s.notna().to_numpy())
    text = pd.Series(s.to_numpy(dtype=object)[pos], index=pos, dtype=object).astype(str)
    tokens = text.str.split(col.delimiter or ";", regex=False).explode().str.strip()
    tokens = tokens[tokens.notna() & (tokens != "")]
    _, unknown = _map_codes(tokens, col)
    bad = tokens[unknown]
    mask = np.zeros(len(s), dtype=bool)
    mask[bad.index.to_numpy(dtype=np.int64)] = True
    return mask, bad


# --------------------------------------------------------------------------------------------
# Codebook
# --------------------------------------------------------------------------------------------
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
        return _pick(self[column].label, lang, column)

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
        title = _labels(d.get("title"), "title")
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
        import yaml

        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise ConfigError(f"codebook file not found: {path}; check the path.") from None
        except UnicodeDecodeError as exc:
            raise ConfigError(
                f"codebook {path}: not UTF-8 text (byte {exc.start}); save it as UTF-8."
            ) from None
        try:
            d = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ConfigError(f"codebook {path}: not valid YAML: {exc}") from None
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
        import yaml

        path = Path(path)
        path.write_text(
            yaml.safe_dump(
                self.to_dict(), allow_unicode=True, sort_keys=False, default_flow_style=False
            ),
            encoding="utf-8",
        )
        return path

    # ------------------------------------------------------------------ infer
    @classmethod
    def infer(cls, df: pd.DataFrame, max_levels: int = 12) -> Codebook:
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

        Parameters
        ----------
        df : DataFrame
            The survey data.
        max_levels : int, default 12
            Most distinct values a coded column may have.

        Returns
        -------
        Codebook

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
        return cls(_infer_columns(df, max_levels))

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
        _check_lang(lang)
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
                    "label": _pick(c.label, lang, ""),
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
    def _problems(self, df: pd.DataFrame) -> list[tuple[str, str, np.ndarray, pd.Series]]:
        """Every mismatch as (column, problem, row mask, offending values)."""
        out: list[tuple[str, str, np.ndarray, pd.Series]] = []
        n = len(df)
        for c in self:
            if c.name not in df.columns:
                out.append(
                    (c.name, "missing_column", np.ones(n, dtype=bool), pd.Series([], dtype=object))
                )
                continue
            s = df[c.name]
            if isinstance(s, pd.DataFrame):  # duplicated column names
                s = s.iloc[:, 0]
            notmiss = s.notna().to_numpy() & ~_user_missing(s, c)
            if c.type in ("numeric", "weight"):
                num = s if _is_numeric_like(s) else pd.to_numeric(s, errors="coerce")
                wrong = notmiss & num.isna().to_numpy()
                if wrong.any():
                    out.append((c.name, "wrong_type", wrong, s[wrong]))
                vals = num.to_numpy(dtype=float, na_value=np.nan)
                if c.range is not None:
                    with np.errstate(invalid="ignore"):
                        oor = (
                            notmiss & ~np.isnan(vals) & ((vals < c.range[0]) | (vals > c.range[1]))
                        )
                    if oor.any():
                        out.append((c.name, "out_of_range", oor, s[oor]))
                if c.type == "weight" and c.name == self.weight:
                    bad = ~wrong & (np.isnan(vals) | np.isinf(vals) | (vals < 0))
                    if bad.any():
                        out.append((c.name, "bad_weight", bad, s[bad]))
                    elif n and np.nansum(vals) <= 0:
                        out.append((c.name, "bad_weight", np.ones(n, dtype=bool), s))
            elif c.type == "date":
                if not pd.api.types.is_datetime64_any_dtype(s):
                    parsed = pd.to_datetime(s.where(notmiss), errors="coerce", format="mixed")
                    wrong = notmiss & parsed.isna().to_numpy()
                    if wrong.any():
                        out.append((c.name, "wrong_type", wrong, s[wrong]))
            elif c.type == "id":
                na = s.isna().to_numpy()
                if na.any():
                    out.append((c.name, "missing_id", na, s[na]))
                dup = s.duplicated(keep=False).to_numpy() & ~na
                if dup.any():
                    out.append((c.name, "duplicate_id", dup, s[dup]))
            elif c.type in CODED_TYPES and c.values:
                if c.type == "multi" and c.delimiter:
                    mask, bad = _bad_tokens(s.where(notmiss), c)
                    if mask.any():
                        out.append((c.name, "not_in_labels", mask, bad))
                else:
                    _, unknown = _map_codes(s, c)
                    unknown = unknown & notmiss
                    if unknown.any():
                        out.append((c.name, "not_in_labels", unknown, s[unknown]))
        return out

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
        if not isinstance(df, pd.DataFrame):
            raise DataError(f"validate needs a DataFrame, got {type(df).__name__}.")
        rows = []
        for column, problem, mask, values in self._problems(df):
            rows.append(
                {
                    "column": column,
                    "problem": problem,
                    "n": int(mask.sum()),
                    "examples": preview(values.tolist()) if len(values) else "",
                    "rows": _rows(mask) if problem != "missing_column" else "",
                }
            )
        out = pd.DataFrame(rows, columns=VALIDATE_COLUMNS)
        out["n"] = out["n"].astype("int64")
        return out

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
        _check_lang(lang)
        out = df.copy()
        for c in self:
            if c.type not in CATEGORICAL_TYPES or not c.values or c.name not in df.columns:
                continue
            codes = self._codes_or_raise(df[c.name], c)
            order = _code_order(c)
            labels = c.value_labels(lang)
            cats = _unique_labels([labels[k] for k in order], order)
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
            codes = self._codes_or_raise(s, c)
            if all(isinstance(k, int) for k in c.values):
                out[c.name] = (
                    pd.array(codes.tolist(), dtype="Int64")
                    if len(codes)
                    else pd.array([], dtype="Int64")
                )
            else:
                out[c.name] = codes
        return out

    def _codes_or_raise(self, s: pd.Series, c: Column) -> pd.Series:
        codes, unknown = _map_codes(s, c)
        if unknown.any():
            allowed = ", ".join(f"{k}={v}" for k, v in c.value_labels("en").items())
            raise DataError(
                f"column {c.name!r} has {int(unknown.sum())} values that match no code or label: "
                f"{preview(s[unknown].tolist())} at rows {_rows(unknown)}. Allowed: {allowed}"
                + (f" (missing: {c.missing})" if c.missing else "")
                + ". Recode them, set them to missing or add them to the codebook."
            )
        miss = codes.isin(c.missing).to_numpy() if c.missing else np.zeros(len(s), dtype=bool)
        return codes.mask(miss)


def _check_lang(lang: str) -> None:
    if lang not in _LANGS:
        raise ConfigError(f"lang={lang!r} is not valid; choose 'en' or 'zh'.")


def _code_order(c: Column) -> list[Code]:
    keys = [k for k in c.scale() if k not in set(c.missing)]
    if all(isinstance(k, int) for k in keys):
        return sorted(keys)  # type: ignore[type-var]
    return keys


def _unique_labels(labels: list[str], codes: list[Code]) -> list[str]:
    counts = pd.Series(labels, dtype=object).value_counts()
    if (counts > 1).any():
        return [
            f"{lab} ({k})" if counts[lab] > 1 else lab for lab, k in zip(labels, codes, strict=True)
        ]
    return labels


def _user_missing(s: pd.Series, c: Column) -> np.ndarray:
    """Mask of cells holding one of the column's user-missing codes (as number or text)."""
    if not c.missing:
        return np.zeros(len(s), dtype=bool)
    if _is_numeric_like(s):
        keys = [m for m in c.missing if isinstance(m, int)]
        return s.isin(keys + [float(k) for k in keys]).to_numpy()
    codes, _ = _map_codes(s, c)
    return codes.isin(c.missing).to_numpy()


def _assign_groups(cols: list[Column]) -> None:
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


def _infer_columns(
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
    _assign_groups(cols)
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
            values={i + 1: {detect_lang(str(v)): str(v)} for i, v in enumerate(cats)},
            ordered=bool(s.cat.ordered),
        )
    if pd.api.types.is_datetime64_any_dtype(s):
        return Column(name, "date")
    if pd.api.types.is_bool_dtype(s):
        return Column(name, "single", values={0: {"en": "False"}, 1: {"en": "True"}})
    if _is_numeric_like(s):
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
    uniq = raw_s[raw_s.notna()].astype(str)
    n_levels = len(uniq)
    no_space = not uniq.str.contains(r"\s", regex=True).any()
    if allow_id and n_na == 0 and n_levels == n and n > 1 and _ID_NAME.search(name) and no_space:
        return Column(name, "id")
    if n_levels:
        sample = uniq.iloc[:200]
        if sample.str.match(_DATE_LIKE.pattern).all():
            parsed = pd.to_datetime(
                sample.str.replace(r"[年月]", "-", regex=True).str.replace("日", ""),
                errors="coerce",
                format="mixed",
            )
            if parsed.notna().all():
                return Column(name, "date")
        stripped = uniq.str.strip()
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
    if 0 < n_levels <= max_levels and uniq.str.len().max() <= 40:
        levels = sorted(uniq)
        return Column(
            name, "single", values={i + 1: {detect_lang(v): v} for i, v in enumerate(levels)}
        )
    if (
        allow_id
        and n_na == 0
        and n_levels == n
        and n > max_levels
        and uniq.str.len().nunique() == 1
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
