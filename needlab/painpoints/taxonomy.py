"""Pain-point taxonomy: a tree of codes with bilingual names, keywords and patterns.

A :class:`Taxonomy` is an ordered set of :class:`Code` objects. Each code has a stable id
(``"FUN.BROKEN"``), a name and a definition in Chinese and English, an optional parent, the pain
type (functional 功能性, service 服务性, process 流程性, value 价值性; see the glossary in
``DESIGN.md``), the customer-journey stage where the pain usually arises, and per language
(``zh``, ``en``) the evidence that codes a text:

- ``keywords``: literal phrases. English keywords match whole words, case-insensitively;
  Chinese keywords match anywhere (no tokenizer needed).
- ``patterns``: regular expressions in the RE2 subset of Python's syntax (no look-around, no
  back-references, no possessive or atomic groups, no capturing groups; see :func:`re2_problem`).
  The coder runs every pattern with RE2 (through pyarrow), whose time grows linearly with the
  text, so no pattern can make coding hang (a backtracking engine needs exponential time for
  ``(a+)+$`` on ``"aaa...b"``). A pattern RE2 refuses, or one that matches the empty string, is a
  :class:`~needlab.errors.ConfigError` when the taxonomy is built or loaded, naming the code,
  the pattern and the construct; there is no slower fallback engine.
- ``exclude``: stop phrases. Where an exclusion phrase matches, the text it covers is masked: no
  code matches inside it (for instance the closing formula 要求退货 "I want to return it" is not
  evidence of a return-process pain).
- ``examples``: short texts that the code must match (checked by the tests).

The default taxonomy comes in layers (:meth:`Taxonomy.default`): a generic **core** of pains that
exist in any product or service business (waiting and delays, cancellations, rebooking, lost or
damaged items, being on hold, staff attitude, unresolved problems, repeated contacts, billing
errors, fees and refunds, booking, website and app failures, queues, cleanliness, defects and
breakdowns, price and value), plus **domain packs** (:data:`DOMAINS`) chosen with
``Taxonomy.default(domains=[...])``. A pack file (``data/taxonomy/<pack>.yaml``) adds codes under
the core's roots, may name packs it ``requires``, and may ``extend`` core codes: add evidence to
them and set the typical stage they have in that domain (waiting is a delivery pain for online
shopping and a pain of the service itself for a bank). An ``extend`` entry may also ``drop``
keywords or patterns (exact strings, per language) of the code it extends, so that a pack moves a
core term to the code it means in that domain (for cosmetics 不好用 is a weak effect,
``FUN.PERFORMANCE``, not awkward operation, ``PRO.USABILITY``): the drop applies whenever the
pack is loaded, whatever other packs are loaded with it. Load your own with
:meth:`Taxonomy.from_yaml` or extend the default with :meth:`Taxonomy.add` and
:meth:`Taxonomy.merge`.

Evidence terms carry sense guards: English keywords match whole words, and ``exclude`` phrases
mask unrelated or metaphorical uses ("spoiled me with comfort" is not spoiled food, "my drivers
license is expired" is not expired food).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, cast

import pandas as pd

from needlab._types import Lang
from needlab._validate import preview
from needlab.errors import ConfigError

__all__ = ["DOMAINS", "LANGS", "PAIN_TYPES", "STAGES", "Code", "Taxonomy", "re2_problem"]

PainType = Literal["functional", "service", "process", "value"]
Stage = Literal[
    "awareness", "purchase", "delivery", "installation", "use", "after_sales", "renewal"
]

PAIN_TYPES: tuple[str, ...] = ("functional", "service", "process", "value")
"""Allowed pain types."""
PAIN_TYPE_ZH = {"functional": "功能性", "service": "服务性", "process": "流程性", "value": "价值性"}
STAGES: tuple[str, ...] = (
    "awareness",
    "purchase",
    "delivery",
    "installation",
    "use",
    "after_sales",
    "renewal",
)
"""Allowed customer-journey stages."""
STAGE_ZH = {
    "awareness": "认知",
    "purchase": "购买",
    "delivery": "配送",
    "installation": "安装",
    "use": "使用",
    "after_sales": "售后",
    "renewal": "续费复购",
}
LANGS: tuple[str, ...] = ("zh", "en")
"""Languages of names, definitions and evidence."""

_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$")
_PACK_DIR = Path(__file__).with_name("data") / "taxonomy"
DOMAINS: dict[str, str] = {
    "ecommerce": "online shopping and parcel delivery (orders, shipping, returns, couriers)",
    "food_delivery": "food and drink delivery and restaurants (taste, hygiene, portions; "
    "requires ecommerce)",
    "appliances": "appliances, electronics and smart home (setup, pairing, battery, "
    "installation, repair)",
    "travel": "airlines, rail, hotels and travel agencies (flight delays and cancellations, "
    "baggage, seats, rooms, check-in)",
    "telecom": "internet, mobile and TV providers (outages, speed, signal, data caps, contracts)",
    "banking": "banks, cards, loans, credit reporting, debt collection and insurance",
    "beauty": "cosmetics, skin care and personal care (skin reactions, dryness, shade, scent, "
    "authenticity, size; requires ecommerce)",
}
"""Domain packs of the default taxonomy, by name, with what each covers."""
_DEFAULT_DOMAINS: tuple[str, ...] = ("ecommerce", "food_delivery", "appliances")
_DEFAULT_CACHE: dict[tuple[str, ...], Taxonomy] = {}


def _lang_map(value: Any, *, code: str, key: str, listy: bool) -> dict[str, Any]:
    """Normalise ``{"zh": ..., "en": ...}`` (or a bare string / list for both languages)."""
    if value is None:
        return {lg: ((), "")[not listy] for lg in LANGS}
    if isinstance(value, str | list | tuple) and not isinstance(value, Mapping):
        value = {lg: value for lg in LANGS}
    if not isinstance(value, Mapping):
        raise ConfigError(
            f"code {code!r}: {key} must be a mapping with keys 'zh' and 'en', "
            f"got {type(value).__name__}."
        )
    unknown = [k for k in value if k not in LANGS]
    if unknown:
        raise ConfigError(
            f"code {code!r}: {key} has unknown language keys {preview(unknown)}; use {list(LANGS)}."
        )
    out: dict[str, Any] = {}
    for lg in LANGS:
        v = value.get(lg)
        if listy:
            if v is None:
                v = []
            elif isinstance(v, str):
                v = [v]
            if not all(isinstance(x, str) and x != "" for x in v):
                raise ConfigError(f"code {code!r}: {key}.{lg} must be a list of non-empty strings.")
            out[lg] = tuple(v)
        else:
            out[lg] = "" if v is None else str(v)
    return out


# RE2's refusal (the text after "Invalid regular expression: ") -> the construct in words
_RE2_CONSTRUCTS: tuple[tuple[str, str], ...] = (
    ("(?=", "a look-ahead (?=...)"),
    ("(?!", "a negative look-ahead (?!...)"),
    ("(?<=", "a look-behind (?<=...)"),
    ("(?<!", "a negative look-behind (?<!...)"),
    ("perl operator: (?P", "a named back-reference (?P=name)"),
    ("(?>", "an atomic group (?>...)"),
    ("(?#", "a comment group (?#...)"),
    ("(?x", "the verbose flag (?x)"),
    ("(?|", "a branch-reset group (?|...)"),
    ("bad repetition operator: ++", "a possessive quantifier ++"),
    ("bad repetition operator: *+", "a possessive quantifier *+"),
    ("bad repetition operator: ?+", "a possessive quantifier ?+"),
    ("invalid repetition size", "a repetition count above 1000"),
)


def re2_problem(pattern: str) -> str | None:
    """Why RE2 refuses *pattern* (the construct, in words), or ``None`` when RE2 runs it.

    The check compiles the pattern with the RE2 engine of pyarrow, the engine that
    :func:`~needlab.painpoints.coding.code_text` runs, so a pattern that passes here is exactly
    a pattern the coder runs in linear time.

    Examples
    --------
    >>> re2_problem(r"cheap(?! enough)")
    'a negative look-ahead (?!...) (RE2: invalid perl operator: (?!)'
    >>> re2_problem("(?P<w>[a-z]+) (?P=w)")
    'a named back-reference (?P=name) (RE2: invalid perl operator: (?P)'
    >>> re2_problem(r"(?:a+)+$") is None
    True
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        # a non-empty array: pyarrow compiles the pattern only when there is a value to match
        pc.match_substring_regex(pa.array([""], type=pa.large_string()), pattern=pattern)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        why = str(exc).removeprefix("Invalid regular expression: ")
        for key, construct in _RE2_CONSTRUCTS:
            if key in why:
                return f"{construct} (RE2: {why})"
        m = re.search(r"invalid escape sequence: \\([1-9])", why)
        if m:
            return f"a back-reference \\{m.group(1)} (RE2: {why})"
        if "invalid escape sequence" in why:
            return f"an escape RE2 does not know (RE2: {why})"
        return f"syntax RE2 does not accept (RE2: {why})"
    return None


_RE2_FIX = (
    "RE2 runs in time linear in the text and has no look-around, back-references, possessive "
    "or atomic groups (syntax: https://github.com/google/re2/wiki/Syntax). Rewrite the pattern "
    "without it: for 'X not followed by Y' add Y as an exclude: phrase of the code, and list "
    "repeated words explicitly instead of a back-reference."
)


@dataclass(frozen=True)
class Code:
    """One code of a taxonomy.

    Attributes
    ----------
    id : str
        Stable id, dotted by level (``"FUN"``, ``"FUN.BROKEN"``).
    name, definition : dict
        ``{"zh": ..., "en": ...}``.
    parent : str or None
        Id of the parent code.
    pain_type : str
        One of :data:`PAIN_TYPES`.
    stage : str or None
        Journey stage (one of :data:`STAGES`); None for codes that span stages.
    keywords, patterns, exclude, examples : dict of tuple of str
        Per language; see the module docstring.
    """

    id: str
    name: dict[str, str]
    pain_type: str
    definition: dict[str, str] = field(default_factory=lambda: {"zh": "", "en": ""})
    parent: str | None = None
    stage: str | None = None
    keywords: dict[str, tuple[str, ...]] = field(default_factory=lambda: {"zh": (), "en": ()})
    patterns: dict[str, tuple[str, ...]] = field(default_factory=lambda: {"zh": (), "en": ()})
    exclude: dict[str, tuple[str, ...]] = field(default_factory=lambda: {"zh": (), "en": ()})
    examples: dict[str, tuple[str, ...]] = field(default_factory=lambda: {"zh": (), "en": ()})

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Code:
        """Build a code from a mapping as found in the YAML file (validates field types)."""
        if not isinstance(d, Mapping):
            raise ConfigError(f"every code must be a mapping, got {type(d).__name__}: {d!r:.60}.")
        cid = d.get("id")
        if not isinstance(cid, str) or not _ID.match(cid):
            raise ConfigError(
                f"code id {cid!r} is invalid; use letters, digits and underscores "
                "separated by dots, e.g. 'FUN.BROKEN'."
            )
        known = {
            "id",
            "name",
            "definition",
            "parent",
            "pain_type",
            "stage",
            "keywords",
            "patterns",
            "exclude",
            "examples",
        }
        extra = [k for k in d if k not in known]
        if extra:
            raise ConfigError(
                f"code {cid!r} has unknown fields {preview(extra)}; allowed: {sorted(known)}."
            )
        name = _lang_map(d.get("name"), code=cid, key="name", listy=False)
        if not name["en"] and not name["zh"]:
            raise ConfigError(f"code {cid!r} has no name; give name: {{zh: ..., en: ...}}.")
        return cls(
            id=cid,
            name=name,
            pain_type=cast(str, d.get("pain_type")),  # checked by Taxonomy.validate
            definition=_lang_map(d.get("definition"), code=cid, key="definition", listy=False),
            parent=d.get("parent"),
            stage=d.get("stage"),
            keywords=_lang_map(d.get("keywords"), code=cid, key="keywords", listy=True),
            patterns=_lang_map(d.get("patterns"), code=cid, key="patterns", listy=True),
            exclude=_lang_map(d.get("exclude"), code=cid, key="exclude", listy=True),
            examples=_lang_map(d.get("examples"), code=cid, key="examples", listy=True),
        )

    def to_dict(self) -> dict[str, Any]:
        """The mapping written by :meth:`Taxonomy.to_yaml` (empty fields left out)."""
        out: dict[str, Any] = {"id": self.id}
        if self.parent:
            out["parent"] = self.parent
        out["pain_type"] = self.pain_type
        if self.stage:
            out["stage"] = self.stage
        out["name"] = dict(self.name)
        if any(self.definition.values()):
            out["definition"] = dict(self.definition)
        for key in ("keywords", "patterns", "exclude", "examples"):
            v = getattr(self, key)
            if any(v.values()):
                out[key] = {lg: list(v[lg]) for lg in LANGS if v[lg]}
        return out

    def regex(self, lang: str) -> list[str]:
        """The regular expressions of this code in *lang* (keywords escaped, English ones
        wrapped in word boundaries), longest first."""
        kws = [re.escape(k) for k in self.keywords[lang]]
        if lang == "en":
            kws = [rf"\b{k}\b" for k in kws]
        pats = [rf"\b(?:{p})\b" if lang == "en" else p for p in self.patterns[lang]]
        return sorted(kws + pats, key=len, reverse=True)


class Taxonomy:
    """An ordered, validated set of pain-point codes.

    Parameters
    ----------
    codes : iterable of Code or mapping
        The codes; mappings are read with :meth:`Code.from_dict`.
    name : str
        A label for the taxonomy.
    version : str
        Its version (free text).

    Raises
    ------
    ConfigError
        Duplicate ids, a parent that does not exist, a cycle of parents, an unknown pain type
        or stage, a pain type that differs from the parent's, or an invalid regular expression;
        the message names the code.

    Examples
    --------
    >>> tx = Taxonomy.default()
    >>> tx["FUN.BROKEN"].pain_type
    'functional'
    >>> len(tx.leaves()) >= 40
    True
    """

    def __init__(
        self,
        codes: Iterable[Code | Mapping[str, Any]] = (),
        *,
        name: str = "taxonomy",
        version: str = "1",
    ) -> None:
        items = [c if isinstance(c, Code) else Code.from_dict(c) for c in codes]
        by_id = {c.id: c for c in items}
        for _ in range(len(items)):  # a missing pain type is inherited from the parent
            todo = [
                c
                for c in items
                if c.pain_type is None
                and c.parent in by_id
                and by_id[c.parent].pain_type is not None
            ]
            if not todo:
                break
            for c in todo:
                by_id[c.id] = replace(c, pain_type=by_id[cast(str, c.parent)].pain_type)
            items = [by_id[c.id] if by_id[c.id].pain_type != c.pain_type else c for c in items]
        self.name = name
        self.version = str(version)
        self._codes: dict[str, Code] = {}
        dup = sorted({c.id for c in items if sum(d.id == c.id for d in items) > 1})
        if dup:
            raise ConfigError(
                f"duplicate code ids {preview(dup)}; every code id must be unique "
                "(use merge(..., on_conflict='replace') to override a code)."
            )
        self._codes = {c.id: c for c in items}
        self.validate()

    # ------------------------------------------------------------ construction
    @classmethod
    def default(cls, domains: Iterable[str] | str | None = None) -> Taxonomy:
        """The bundled taxonomy (zh + en): the generic core plus domain packs.

        Parameters
        ----------
        domains : list of str, str or None
            Domain packs to add to the core. ``None`` (default) gives the core with the packs
            ``ecommerce``, ``food_delivery`` and ``appliances`` (the coverage of needlab's
            earlier single default taxonomy); ``[]`` gives the core alone. Available packs:

            - ``"ecommerce"``: online shopping and parcel delivery (orders, shipping, returns,
              couriers);
            - ``"food_delivery"``: food and drink delivery and restaurants (taste, hygiene,
              portions; brings ``ecommerce`` with it);
            - ``"appliances"``: appliances, electronics and smart home (setup, pairing, battery,
              installation, repair);
            - ``"travel"``: airlines, rail, hotels and travel agencies (flight delays and
              cancellations, baggage, seats, rooms, check-in);
            - ``"telecom"``: internet, mobile and TV providers (outages, speed, signal, data
              caps, contracts);
            - ``"banking"``: banks, cards, loans, credit reporting, debt collection and
              insurance;
            - ``"beauty"``: cosmetics, skin care and personal care (skin reactions, dryness and
              texture, shade, scent, authenticity, size; brings ``ecommerce`` with it).

        Raises
        ------
        ConfigError
            An unknown pack name (the message lists the available packs).

        Notes
        -----
        Read once per session for each combination of packs and cached (taxonomies are not
        changed in place: :meth:`add` and :meth:`merge` return new objects).

        Examples
        --------
        >>> tx = Taxonomy.default(domains=["travel"])
        >>> tx["TRV.FLIGHT_DELAY"].stage, "PRO.DELIVERY_LATE" in tx
        ('use', False)
        """
        if domains is None:
            wanted: list[str] = list(_DEFAULT_DOMAINS)
        elif isinstance(domains, str):
            wanted = [domains]
        else:
            wanted = list(domains)
        bad = [d for d in wanted if not isinstance(d, str) or d not in DOMAINS]
        if bad:
            raise ConfigError(
                f"domains={bad!r}: unknown domain pack; choose from {sorted(DOMAINS)} "
                "(or domains=[] for the generic core alone)."
            )
        key = tuple(sorted(set(wanted)))
        if key not in _DEFAULT_CACHE:
            _DEFAULT_CACHE[key] = _load_layers(cls, key)
        return _DEFAULT_CACHE[key]

    @classmethod
    def from_yaml(cls, source: str | Path) -> Taxonomy:
        """Read a taxonomy from a YAML file path or YAML text.

        The file holds ``needlab_taxonomy: 1``, optional ``name`` and ``version`` and a list
        ``codes`` of mappings (fields as in :class:`Code`). Read with a safe YAML loader that
        refuses duplicate keys (:func:`needlab._yaml.load_yaml`).

        Raises
        ------
        ConfigError
            The file is missing, is not valid YAML, repeats a key in a mapping (the message
            names the key and both lines), lacks the list ``codes``, or holds an invalid code
            (see :meth:`validate`: e.g. a pattern RE2 cannot run).
        """
        import yaml

        from needlab._yaml import load_yaml

        if isinstance(source, Path) or (
            isinstance(source, str) and "\n" not in source and source.endswith((".yaml", ".yml"))
        ):
            path = Path(source)
            if not path.exists():
                raise ConfigError(f"taxonomy file {str(path)!r} not found; check the path.")
            text = path.read_text(encoding="utf-8")
            where = str(path)
        else:
            text, where = str(source), "taxonomy text"
        try:
            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # both are safe loaders
            doc = load_yaml(text, Loader=loader)  # safe; duplicate keys refused
        except yaml.YAMLError as exc:
            raise ConfigError(f"{where} is not valid YAML: {exc}") from None
        if not isinstance(doc, Mapping) or not isinstance(doc.get("codes"), list):
            raise ConfigError(
                f"{where} must be a mapping with a list 'codes' "
                "(see needlab/painpoints/data/taxonomy/core.yaml)."
            )
        return cls(
            doc["codes"],
            name=str(doc.get("name", "taxonomy")),
            version=str(doc.get("version", "1")),
        )

    def to_yaml(self, path: str | Path | None = None) -> str:
        """Write the taxonomy as YAML (returned as text, and written to *path* if given)."""
        import yaml

        doc = {
            "needlab_taxonomy": 1,
            "name": self.name,
            "version": self.version,
            "codes": [c.to_dict() for c in self],
        }
        text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    def add(
        self,
        id: str,
        *,
        name: Mapping[str, str] | str,
        pain_type: str | None = None,
        parent: str | None = None,
        stage: str | None = None,
        definition: Any = None,
        keywords: Any = None,
        patterns: Any = None,
        exclude: Any = None,
        examples: Any = None,
    ) -> Taxonomy:
        """Return a new taxonomy with one more code (the pain type defaults to the parent's).

        Examples
        --------
        >>> tx = Taxonomy.default().add("FUN.GLITCH", parent="FUN", name={"en": "Glitch", "zh": "小毛病"},
        ...                             keywords={"zh": ["小毛病"], "en": ["glitchy"]})
        >>> tx["FUN.GLITCH"].pain_type
        'functional'
        """
        if pain_type is None and parent in self._codes:
            pain_type = self._codes[parent].pain_type
        code = Code.from_dict(
            {
                k: v
                for k, v in dict(
                    id=id,
                    name=name,
                    pain_type=pain_type,
                    parent=parent,
                    stage=stage,
                    definition=definition,
                    keywords=keywords,
                    patterns=patterns,
                    exclude=exclude,
                    examples=examples,
                ).items()
                if v is not None
            }
        )
        return Taxonomy([*self, code], name=self.name, version=self.version)

    def merge(
        self, other: Taxonomy, *, on_conflict: Literal["raise", "replace", "extend"] = "raise"
    ) -> Taxonomy:
        """Combine two taxonomies.

        Parameters
        ----------
        other : Taxonomy
            Codes to add.
        on_conflict : {"raise", "replace", "extend"}
            For an id in both: raise ConfigError, take *other*'s code, or keep this code and
            append *other*'s keywords, patterns, exclusions and examples to it.
        """
        if on_conflict not in ("raise", "replace", "extend"):
            raise ConfigError(
                f"on_conflict={on_conflict!r} is not one of 'raise', 'replace', 'extend'."
            )
        codes = dict(self._codes)
        both = [c.id for c in other if c.id in codes]
        if both and on_conflict == "raise":
            raise ConfigError(
                f"codes {preview(both)} are in both taxonomies; pass "
                "on_conflict='replace' or 'extend'."
            )
        for c in other:
            if c.id in codes and on_conflict == "extend":
                mine = codes[c.id]
                merged: dict[str, Any] = {
                    k: {
                        lg: tuple(dict.fromkeys(getattr(mine, k)[lg] + getattr(c, k)[lg]))
                        for lg in LANGS
                    }
                    for k in ("keywords", "patterns", "exclude", "examples")
                }
                codes[c.id] = replace(mine, **merged)
            else:
                codes[c.id] = c
        return Taxonomy(codes.values(), name=self.name, version=self.version)

    # ------------------------------------------------------------ validation
    def validate(self) -> None:
        """Check parents, cycles, pain types, stages and regular expressions (ConfigError).

        Every pattern must be valid Python syntax within the RE2 subset (:func:`re2_problem`),
        have no capturing group and not match the empty string. Keywords and exclusion phrases
        are literal text (escaped), which RE2 always accepts.

        Raises
        ------
        ConfigError
            The first problem found, naming the code (and for a pattern the language, the
            pattern, the construct and the fix).
        """
        for c in self:
            if c.pain_type not in PAIN_TYPES:
                raise ConfigError(
                    f"code {c.id!r} has unknown pain_type {c.pain_type!r}; "
                    f"use one of {list(PAIN_TYPES)}."
                )
            if c.stage is not None and c.stage not in STAGES:
                raise ConfigError(
                    f"code {c.id!r} has unknown stage {c.stage!r}; "
                    f"use one of {list(STAGES)} or leave it empty."
                )
            if c.parent is not None:
                if c.parent not in self._codes:
                    raise ConfigError(
                        f"code {c.id!r} has parent {c.parent!r}, which is not a code "
                        "of the taxonomy; add the parent first or fix the id."
                    )
                if self._codes[c.parent].pain_type != c.pain_type:
                    raise ConfigError(
                        f"code {c.id!r} has pain_type {c.pain_type!r} but its parent "
                        f"{c.parent!r} has {self._codes[c.parent].pain_type!r}; "
                        "a code shares its parent's pain type."
                    )
            for lg in LANGS:
                for pat in c.patterns[lg]:
                    _check_pattern(c.id, lg, pat)
        for c in self:  # cycles
            seen = [c.id]
            p = c.parent
            while p is not None:
                if p in seen:
                    chain = " -> ".join([*seen, p])
                    raise ConfigError(
                        f"code {c.id!r} is in a cycle of parents: {chain}; fix the parent fields."
                    )
                seen.append(p)
                p = self._codes[p].parent

    # ------------------------------------------------------------ access
    def __iter__(self) -> Iterator[Code]:
        return iter(self._codes.values())

    def __len__(self) -> int:
        return len(self._codes)

    def __contains__(self, code_id: object) -> bool:
        return code_id in self._codes

    def __getitem__(self, code_id: str) -> Code:
        try:
            return self._codes[code_id]
        except KeyError:
            raise ConfigError(
                f"code {code_id!r} is not in the taxonomy; known codes include "
                f"{preview(self._codes, 8)}."
            ) from None

    def __repr__(self) -> str:
        return f"Taxonomy({self.name!r}, {len(self)} codes, {len(self.leaves())} leaves)"

    @property
    def ids(self) -> list[str]:
        """All code ids in order."""
        return list(self._codes)

    def children(self, code_id: str) -> list[str]:
        """Ids of the direct children of *code_id*."""
        self[code_id]
        return [c.id for c in self if c.parent == code_id]

    def ancestors(self, code_id: str) -> list[str]:
        """Ids from the parent of *code_id* up to its root."""
        out, p = [], self[code_id].parent
        while p is not None:
            out.append(p)
            p = self._codes[p].parent
        return out

    def leaves(self) -> list[str]:
        """Ids of codes without children."""
        parents = {c.parent for c in self}
        return [c.id for c in self if c.id not in parents]

    def table(self, lang: Lang = "en") -> pd.DataFrame:
        """Tidy table of the codes, one row per code.

        Returns
        -------
        DataFrame
            ``code`` id; ``parent``; ``level`` (0 for roots); ``leaf`` (bool); ``pain_type``;
            ``stage``; ``name`` and ``definition`` in *lang*; ``name_zh``/``name_en``;
            ``n_keywords`` and ``n_patterns`` (both languages); ``n_exclude``; ``n_examples``.
        """
        if lang not in LANGS:
            raise ConfigError(f"lang={lang!r} is not one of {list(LANGS)}.")
        leaves = set(self.leaves())
        rows = [
            {
                "code": c.id,
                "parent": c.parent,
                "level": len(self.ancestors(c.id)),
                "leaf": c.id in leaves,
                "pain_type": c.pain_type,
                "stage": c.stage,
                "name": c.name[lang] or c.name["en"],
                "definition": c.definition[lang],
                "name_zh": c.name["zh"],
                "name_en": c.name["en"],
                "n_keywords": sum(len(v) for v in c.keywords.values()),
                "n_patterns": sum(len(v) for v in c.patterns.values()),
                "n_exclude": sum(len(v) for v in c.exclude.values()),
                "n_examples": sum(len(v) for v in c.examples.values()),
            }
            for c in self
        ]
        return pd.DataFrame(rows)


def _read_pack(name: str) -> Mapping[str, Any]:
    """The parsed YAML of one bundled layer (``core`` or a domain pack)."""
    import yaml

    from needlab._yaml import load_yaml

    path = _PACK_DIR / f"{name}.yaml"
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    doc = load_yaml(path.read_text(encoding="utf-8"), Loader=loader)
    if not isinstance(doc, Mapping) or not isinstance(doc.get("codes", []), list):
        raise ConfigError(f"{path} must be a mapping with a list 'codes'.")  # pragma: no cover
    return doc


def _load_layers(cls: type[Taxonomy], domains: tuple[str, ...]) -> Taxonomy:
    """Core + the named packs (and the packs they require), with the packs' extensions."""
    order: list[str] = []
    docs: dict[str, Mapping[str, Any]] = {}

    def visit(name: str) -> None:
        if name in docs:
            return
        docs[name] = _read_pack(name)
        for req in docs[name].get("requires", []) or []:
            visit(str(req))
        order.append(name)

    for d in domains:
        visit(d)
    core = _read_pack("core")
    codes: dict[str, dict[str, Any]] = {c["id"]: dict(c) for c in core["codes"]}
    for name in order:
        for c in docs[name].get("codes", []) or []:
            if c["id"] in codes:  # pragma: no cover - checked by the tests
                raise ConfigError(f"pack {name!r} redefines code {c['id']!r}.")
            codes[c["id"]] = dict(c)
    for name in order:
        for ext in docs[name].get("extend", []) or []:
            target = codes.get(ext.get("id"))
            if target is None:  # pragma: no cover - checked by the tests
                raise ConfigError(f"pack {name!r} extends unknown code {ext.get('id')!r}.")
            for k, v in ext.items():
                if k == "id":
                    continue
                if k == "stage":
                    target["stage"] = v
                    continue
                if k == "drop":  # a pack moves a core term elsewhere: remove it here
                    for lg, items in v.items():
                        gone = set(items)
                        for key in ("keywords", "patterns"):
                            have = dict(target.get(key) or {})
                            if have.get(lg):
                                have[lg] = [x for x in have[lg] if x not in gone]
                                target[key] = have
                    continue
                merged = dict(target.get(k) or {})
                for lg, items in v.items():
                    merged[lg] = list(dict.fromkeys([*(merged.get(lg) or []), *items]))
                target[k] = merged
    # codes grouped under their root (roots in the core's order), core codes before pack codes
    roots = [cid for cid, c in codes.items() if not c.get("parent")]

    def root(cid: str) -> int:
        seen = set()
        while codes.get(cid, {}).get("parent") and cid not in seen:
            seen.add(cid)
            cid = codes[cid]["parent"]
        return roots.index(cid) if cid in roots else len(roots)

    ranked = sorted(enumerate(codes), key=lambda t: (root(t[1]), t[0]))
    label = "needlab default: core" + "".join(f" + {n}" for n in order)
    return cls(
        [codes[cid] for _, cid in ranked], name=label, version=str(core.get("version", "2.0"))
    )


def _check_pattern(code: str, lg: str, p: str) -> None:
    """One taxonomy pattern: valid syntax, accepted by RE2, no capturing group, never empty."""
    where = f"code {code!r}: patterns.{lg} pattern {p!r}"
    try:
        groups = re.compile(p).groups
    except re.error as exc:
        raise ConfigError(
            f"{where} is not a valid regular expression ({exc}); fix the syntax."
        ) from None
    problem = re2_problem(p)
    if problem is not None:
        raise ConfigError(f"{where} uses {problem}, which RE2 cannot run. {_RE2_FIX}")
    if groups:
        raise ConfigError(f"{where} has a capturing group; use a non-capturing (?:...) instead.")
    import pyarrow as pa
    import pyarrow.compute as pc

    if pc.any(pc.match_substring_regex(pa.array([""]), pattern=f"^(?:{p})$")).as_py():
        raise ConfigError(
            f"{where} matches the empty string, so it would code every text; require at least "
            "one character (e.g. a+ instead of a*)."
        )
