"""One column of a survey codebook: its type, labels, answer codes and missing codes.

:class:`Column` is the entry of one column in the YAML format of ``docs/codebook.md``; the helpers
here turn answer codes and label texts into their canonical form. The :class:`Codebook` that
holds the columns lives in :mod:`needlab.io.codebook`.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

import numpy as np

from needlab._i18n import lang_of
from needlab._types import Lang
from needlab._validate import check_option
from needlab.errors import ConfigError

__all__ = [
    "CATEGORICAL_TYPES",
    "CODED_TYPES",
    "COLUMN_TYPES",
    "LANGS",
    "Code",
    "Column",
    "ColumnType",
    "as_code",
    "check_lang",
    "normalise_text",
    "parse_labels",
    "pick_label",
]

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
Code = int | str

COLUMN_TYPES: tuple[str, ...] = get_args(ColumnType)
"""The column types a codebook may use."""

#: Types whose cells hold answer codes (or their labels).
CODED_TYPES = frozenset({"single", "multi", "likert", "kano_functional", "kano_dysfunctional"})
#: Types that :meth:`Codebook.apply` turns into Categoricals.
CATEGORICAL_TYPES = frozenset({"single", "likert", "kano_functional", "kano_dysfunctional"})

LANGS: tuple[str, ...] = get_args(Lang)
"""The label languages, in fallback order."""
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


# --------------------------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------------------------
def check_lang(lang: Any) -> Lang:
    """Raise :class:`~needlab.errors.ConfigError` unless *lang* is ``"en"`` or ``"zh"``.

    Examples
    --------
    >>> check_lang("zh")
    'zh'
    """
    return check_option(lang, LANGS, "lang")


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


def parse_labels(value: Any, where: str) -> dict[str, str]:
    """Parse a label given as a text or a ``{en: .., zh: ..}`` mapping into ``{lang: text}``.

    A plain text gets the language :func:`needlab._i18n.lang_of` detects.

    Raises
    ------
    ConfigError
        An unknown language key or a label that is not a text; the message starts with *where*.

    Examples
    --------
    >>> parse_labels("非常满意", "value 5"), parse_labels({"en": "Yes"}, "value 1")
    ({'zh': '非常满意'}, {'en': 'Yes'})
    """
    if value is None:
        return {}
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        text = str(value)
        return {lang_of(text): text}
    if isinstance(value, Mapping):
        out: dict[str, str] = {}
        for k, v in value.items():
            if k not in LANGS:
                raise ConfigError(f"{where}: unknown label language {k!r}; use 'en' and/or 'zh'.")
            if v is None or isinstance(v, (Mapping, list)):
                raise ConfigError(f"{where}: the {k!r} label must be a text, got {v!r}.")
            out[str(k)] = str(v)
        return out
    raise ConfigError(
        f"{where}: a label must be a text or a mapping like {{en: ..., zh: ...}}, got {value!r}."
    )


def pick_label(labels: Mapping[str, str], lang: str, default: str) -> str:
    """The label in *lang*, else in the other language, else *default*.

    Examples
    --------
    >>> pick_label({"zh": "满意"}, "en", "sat")
    '满意'
    """
    if lang in labels:
        return labels[lang]
    for other in LANGS:
        if other in labels:
            return labels[other]
    return default


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
            values[code] = parse_labels(v, f"{where}, value {k!r}")
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
            label=parse_labels(d.get("label"), f"{where}, label"),
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
        lo, hi = min(keys), max(keys)
        if int(hi) - int(lo) > 100:
            return self.values
        out: dict[Code, dict[str, str]] = {
            k: self.values.get(k, {}) for k in range(int(lo), int(hi) + 1)
        }
        out.update({k: v for k, v in self.values.items() if k not in out})
        return out

    def value_labels(self, lang: Lang = "en") -> dict[Code, str]:
        """Return code -> label in *lang* (falling back to the other language, then the code)."""
        return {k: pick_label(v, lang, str(k)) for k, v in self.scale().items()}

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
