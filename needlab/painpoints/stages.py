"""Journey stage of a pain mention from text cues in its clause.

A taxonomy code has a *typical* stage (``stage`` field: a late parcel is a delivery pain). The
text often says where the pain arose: "退款三周还没到账，客服也不回" is an after-sales pain whatever
the code's usual stage, and "the gate agent was rude" happened at boarding. :class:`StageCues`
holds per stage a list of cue phrases in Chinese and English (``data/stages.yaml``, data not
code) and :meth:`StageCues.detect` gives every mention a stage:

1. The clause of the mention (:func:`needlab.painpoints.polarity.clause_span`: punctuation and
   contrast words end a clause) is searched for cues of the stages in play.
2. **The cue nearest the pain evidence wins**: distance 0 when the cue overlaps the evidence,
   else the number of characters between them; on equal distance a cue overlapping the evidence,
   then one before it, then one after it, then the earlier one. So in "订票时网站一直崩溃，登机口
   排队" the crash is a booking pain and the queue a boarding pain (different clauses), and in
   "check-in was fine but at the gate we waited 3 hours" the wait is a boarding pain.
3. No cue in the clause: the code's typical stage (``stage_source="code"``).

**Guards against generic cues.** A cue is a literal phrase (no regular expression); English
cues match whole words, case-insensitively; Chinese cues match anywhere. On loading, a cue equal
to a word of the ``too_generic`` list (用, 问题, 服务, "use", "time", "service", "order", ...), a
one-character Chinese cue and an English cue under three letters are refused (ConfigError), and so
is a cue listed under two stages of one journey. ``exclude`` phrases mask cues inside them ("room
for improvement" names no hotel room).

**Which stages are in play.** Each bundled taxonomy pack belongs to a journey (``packs:`` in the
file): ``product`` (awareness, purchase, delivery, installation, use, after_sales, renewal) or
``travel`` (booking, check_in, boarding, in_flight, stay, checkout, refund).
:meth:`StageCues.for_taxonomy` reads the cues of the journeys of the packs whose codes the taxonomy
holds (``product`` when it holds none, e.g. the core alone or a taxonomy of your own). Without a
cue a mention keeps the code's typical stage, which is a ``product`` stage name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from needlab._validate import preview
from needlab.errors import ConfigError

if TYPE_CHECKING:  # pragma: no cover
    from needlab.painpoints.taxonomy import Taxonomy

__all__ = ["STAGE_SOURCES", "StageCues", "stage_names"]

STAGE_SOURCES = ("text", "code")
"""Where a mention's stage came from: a cue in its clause, or the code's typical stage."""

_FILE = Path(__file__).with_name("data") / "stages.yaml"
_WORD = "A-Za-z0-9"


@dataclass(frozen=True)
class StageCues:
    """Cue phrases per journey stage, and the rule that reads a mention's stage from them.

    Attributes
    ----------
    stages : tuple of str
        The stages in play, in journey order.
    cues : dict
        ``{lang: {cue: stage}}`` (cues in lower case for English).
    exclude : dict
        ``{lang: tuple of phrases}`` masking the cues inside them.
    names : dict
        ``{stage: {"en": ..., "zh": ...}}`` display names of every stage of the file.
    journeys : tuple of str
        The journeys whose stages are in play.

    Examples
    --------
    >>> sc = StageCues.default()
    >>> t = ["安装师傅态度很差"]
    >>> stage, source = sc.detect(t, [0], [4], [8], ["zh"], ["use"])
    >>> stage.tolist(), source.tolist()
    (['installation'], ['text'])
    """

    stages: tuple[str, ...]
    cues: dict[str, dict[str, str]]
    exclude: dict[str, tuple[str, ...]]
    names: dict[str, dict[str, str]]
    journeys: tuple[str, ...] = ("product",)
    _rx: dict[str, re.Pattern[str] | None] = field(default_factory=dict, repr=False, compare=False)

    # ------------------------------------------------------------ construction
    @classmethod
    def default(cls, journeys: Iterable[str] = ("product",)) -> StageCues:
        """The bundled cues (``data/stages.yaml``) of the named journeys.

        Raises
        ------
        ConfigError
            An unknown journey (the message lists the known ones).
        """
        return _default(tuple(dict.fromkeys(journeys)))

    @classmethod
    def for_taxonomy(cls, taxonomy: Taxonomy) -> StageCues:
        """The bundled cues of the journeys of the packs whose codes *taxonomy* holds
        (``product`` when it holds codes of no journey-specific pack)."""
        doc = _doc()
        ids = set(taxonomy.ids)
        found = [
            str(doc["packs"][p])
            for p, codes in _pack_codes().items()
            if p in doc["packs"] and codes & ids
        ]
        journeys = [j for j in doc["journeys"] if j in found] or ["product"]
        return _default(tuple(journeys))

    @classmethod
    def from_mapping(cls, doc: Mapping[str, Any], journeys: Iterable[str]) -> StageCues:
        """Build from a mapping laid out as ``data/stages.yaml`` (validated, see the module
        docstring).

        Raises
        ------
        ConfigError
            A missing key, an unknown journey or stage, a cue that is too generic (in
            ``too_generic``, one Chinese character, or an English cue under three letters), or a
            cue listed under two stages of one journey; the message names the cue and the stage.
        """
        for key in ("journeys", "stages"):
            if not isinstance(doc.get(key), Mapping):
                raise ConfigError(f"stage cues: the mapping {key!r} is missing; see {_FILE.name}.")
        js = list(journeys)
        unknown = [j for j in js if j not in doc["journeys"]]
        if unknown:
            raise ConfigError(
                f"unknown journeys {preview(unknown)}; use some of {list(doc['journeys'])}."
            )
        generic = {
            lg: {str(w).lower() for w in (doc.get("too_generic") or {}).get(lg, []) or []}
            for lg in ("zh", "en")
        }
        names: dict[str, dict[str, str]] = {}
        for st, spec in doc["stages"].items():
            name = (spec or {}).get("name") or {}
            names[str(st)] = {"en": str(name.get("en", st)), "zh": str(name.get("zh", st))}
        stages: list[str] = []
        cues: dict[str, dict[str, str]] = {"zh": {}, "en": {}}
        for j in js:
            seen: dict[tuple[str, str], str] = {}
            for st in doc["journeys"][j]:
                if st not in doc["stages"]:
                    raise ConfigError(
                        f"journey {j!r} names stage {st!r}, which has no entry under stages:."
                    )
                stages.append(str(st))
                for lg in ("zh", "en"):
                    for cue in ((doc["stages"][st] or {}).get("cues") or {}).get(lg, []) or []:
                        c = str(cue).strip().lower() if lg == "en" else str(cue).strip()
                        _check_cue(c, lg, str(st), generic[lg])
                        if (lg, c) in seen and seen[(lg, c)] != st:
                            raise ConfigError(
                                f"stage cue {c!r} ({lg}) is listed under both "
                                f"{seen[(lg, c)]!r} and {st!r} of journey {j!r}; keep it "
                                "under one stage."
                            )
                        seen[(lg, c)] = str(st)
                        cues[lg].setdefault(c, str(st))
        excl = {
            lg: tuple(
                (str(e).lower() if lg == "en" else str(e))
                for e in (doc.get("exclude") or {}).get(lg, []) or []
            )
            for lg in ("zh", "en")
        }
        return cls(tuple(dict.fromkeys(stages)), cues, excl, names, tuple(js))

    # ------------------------------------------------------------ reading
    def label(self, stage: str, lang: str = "en") -> str:
        """Display name of *stage* in *lang* (the id itself when unknown)."""
        return self.names.get(stage, {}).get(lang, stage)

    def find(self, text: str, lang: str) -> list[tuple[int, int, str]]:
        """Every cue in *text* as ``(start, end, stage)``, masked by the exclusions.

        Examples
        --------
        >>> StageCues.default(["travel"]).find("The room was dirty, room for improvement", "en")
        [(4, 8, 'stay')]
        """
        rx = _regex(self, lang)
        if rx is None:
            return []
        out = []
        for m in rx.finditer(text):
            st = self.cues[lang].get(m.group().lower() if lang == "en" else m.group())
            if st is not None:  # None: an exclusion phrase
                out.append((m.start(), m.end(), st))
        return out

    def detect(
        self,
        texts: Sequence[str],
        rows: Sequence[int] | np.ndarray,
        starts: Sequence[int] | np.ndarray,
        ends: Sequence[int] | np.ndarray,
        langs: Sequence[str] | np.ndarray,
        fallback: Sequence[Any] | np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Stage of each mention and its source (see the module docstring).

        Parameters
        ----------
        texts : sequence of str
            The texts, indexed by *rows*.
        rows, starts, ends, langs : sequences of the same length
            One entry per mention: its text, evidence span and the text's language.
        fallback : sequence
            The code's typical stage per mention (None when the code has none).

        Returns
        -------
        stage, source : arrays of object
            The stage (a cue's stage, else *fallback*) and ``"text"`` or ``"code"``.
        """
        from needlab.painpoints.polarity import clause_span

        n = len(rows)
        stage = np.asarray(list(fallback), dtype=object).copy()
        source = np.full(n, "code", dtype=object)
        found: dict[int, list[tuple[int, int, str]]] = {}
        for i in range(n):
            r, s, e, lg = int(rows[i]), int(starts[i]), int(ends[i]), str(langs[i])
            if r not in found:
                found[r] = self.find(texts[r], lg)
            hits = found[r]
            if not hits:
                continue
            cs, ce = clause_span(texts[r], s, e, lg)
            best: tuple[int, int, int] | None = None
            for a, b, st in hits:
                if a < cs or b > ce:
                    continue
                if b > s and a < e:
                    key = (0, 0, a)
                elif b <= s:
                    key = (s - b, 1, a)
                else:
                    key = (a - e, 2, a)
                if best is None or key < best:
                    best = key
                    stage[i] = st
            if best is not None:
                source[i] = "text"
        return stage, source


def stage_names() -> dict[str, dict[str, str]]:
    """Display names ``{stage: {"en": ..., "zh": ...}}`` of every stage of the bundled file, in
    journey order (product stages first).

    Examples
    --------
    >>> stage_names()["check_in"]
    {'en': 'check-in', 'zh': '值机入住'}
    """
    return dict(_default(tuple(_doc()["journeys"])).names)


def _check_cue(c: str, lg: str, st: str, generic: set[str]) -> None:
    why = None
    if not c:
        why = "it is empty"
    elif c.lower() in generic:
        why = "it is in the too_generic list (it occurs in every stage)"
    elif lg == "zh" and len(c) < 2:
        why = "a one-character Chinese cue matches inside too many words"
    elif lg == "en" and len(re.sub(f"[^{_WORD}]", "", c)) < 3:
        why = "an English cue needs at least three letters"
    if why is not None:
        raise ConfigError(
            f"stage cue {c!r} ({lg}) of stage {st!r} is refused: {why}; use a longer, "
            "stage-specific phrase."
        )


@lru_cache(maxsize=1)
def _doc() -> Mapping[str, Any]:
    import yaml

    from needlab._yaml import load_yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    doc = load_yaml(_FILE.read_text(encoding="utf-8"), Loader=loader)
    if not isinstance(doc, Mapping):  # pragma: no cover - the bundled file
        raise ConfigError(f"{_FILE} must be a mapping.")
    return doc


@lru_cache(maxsize=1)
def _pack_codes() -> dict[str, set[str]]:
    """The ids of the codes each bundled pack defines (not the core codes it extends)."""
    from needlab.painpoints.taxonomy import DOMAINS, _read_pack

    return {p: {str(c["id"]) for c in _read_pack(p).get("codes", []) or []} for p in DOMAINS}


@lru_cache(maxsize=16)
def _default(journeys: tuple[str, ...]) -> StageCues:
    return StageCues.from_mapping(_doc(), journeys)


def _regex(sc: StageCues, lang: str) -> re.Pattern[str] | None:
    """One alternation of the cues and exclusions of *lang*, longest first (so at a position the
    longest phrase wins and an exclusion beats the cue inside it), compiled once per object.
    Literal phrases only, so Python's engine runs it in linear time."""
    if lang in sc._rx:
        return sc._rx[lang]
    phrases = sorted({*sc.cues[lang], *sc.exclude[lang]}, key=len, reverse=True)
    if not phrases:
        rx = None
    elif lang == "en":
        body = "|".join(re.escape(p) for p in phrases)
        rx = re.compile(f"(?<![{_WORD}])(?:{body})(?![{_WORD}])", re.IGNORECASE)
    else:
        rx = re.compile("|".join(re.escape(p) for p in phrases))
    sc._rx[lang] = rx
    return rx
