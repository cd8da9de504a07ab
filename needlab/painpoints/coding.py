"""Rule-based pain-point coding of Chinese and English texts with a :class:`Taxonomy`.

:func:`code_text` gives every text all the codes whose evidence (keywords and patterns) it
contains, with the evidence span. How it works:

**One pass.** All keywords and patterns of one language are compiled into a single regular
expression ``(NEGATION)?(EXCLUSIONS | ALTERNATIVES)``, alternatives ordered longest first (exclusions
before them), and applied once to every text of that language. With pyarrow (installed with
needlab) the expression runs in RE2 over the whole column at once
(``pyarrow.compute.replace_substring_regex`` marks each match, a split recovers the spans), so the
time does not grow with the number of codes. RE2 runs in time linear in the text whatever the
pattern, so no taxonomy can make coding hang; there is no backtracking fallback: a pattern RE2
refuses (look-around, back-references) is a :class:`~needlab.errors.ConfigError` when the
taxonomy is built (:meth:`Taxonomy.validate <needlab.painpoints.taxonomy.Taxonomy.validate>`).
``\\b`` and ``\\w`` are ASCII. Matches do not overlap: at a position the
longest alternative wins, so a specific phrase (退款还没到账) beats a generic one (还没到).
Each matched span is then attributed to the alternative (hence the code) that matches it exactly,
again with RE2 (one ``extract_regex`` over the distinct matched strings).

**Negation.** A match does not code when a negation cue stands in a short window before it in the
same clause:

- Chinese: a cue (不, 没, 没有, 并不, 并没有, 一点也不, 一点都不, 从不, 从没, 毫不, 无, 未, 别, 不是)
  followed by at most 3 characters that are not punctuation, spaces or the contrast words
  但/却/可/而, then the match: 不慢 is not a pain, 一点也不难装 and 不是很贵 are negated.
- English: a cue (not, no, never, without, hardly, nothing, none, nor, cannot and the contractions
  isn't, wasn't, don't, doesn't, didn't, won't, can't, couldn't, ...) followed by at most 2 words
  (spaces only, so punctuation ends the window), then the match: "not too expensive", "never late",
  "wasn't slow at all".
- Not cues: 不仅, 不但, 不光, 不只, 不过, 不少, 不停, 不断, 不得不, 不到, 没想到, 没用, 无法, ...; "not only",
  "not just", "no longer", "no wonder"; and a window containing "but", "yet" or "however".

Keywords that contain their own negation ("not working", "不好用", "没反应") are matched as a whole
and code as usual. Negated matches are kept in :attr:`CodingResult.negated` for inspection.

**Polarity.** A match names an aspect; whether the text complains about it is read from its
clause (:mod:`needlab.painpoints.polarity`): "送餐员态度很差" is a pain, "送餐员态度很好，效率高" a
praise of the same code, kept apart in :attr:`CodingResult.mentions` (``polarity=False`` turns
this off).

**Speed.** The compiled taxonomy is cached by its content (:func:`compile_taxonomy`). pyarrow
compiles each RE2 expression again on every call (tens of milliseconds for a taxonomy), so a
small input (up to 20,000 characters per language) is scanned in-process with google-re2 instead:
the same RE2 engine with the same expressions (so the same matches, checked by the tests on the
fixture texts), compiled once and kept with the compiled taxonomy. Large batches keep the
vectorised pyarrow path. ``frequencies``, ``coverage`` and ``negated`` are built on first access.
One short text then costs about 1-2 ms with ``polarity=False``; the polarity step (one pass of
the lexicon scorer over the mentions' clauses, without language detection or a result table) adds
well under a millisecond.

**Language.** ``text_lang="auto"`` decides per text by the one rule of
:func:`needlab._i18n.detect_lang`: Chinese when Chinese characters make up at least 20% of
``han + latin / 4`` (about four Latin letters per English word, so "Lumo R7 Pro坏了" is Chinese),
else English; texts with neither Chinese characters nor Latin letters (emoji, digits,
punctuation) are not coded (status ``no_letters``).

**Skipped texts** (missing, empty or blank, not a string) stay in the table with their status and
``coded=False``; they are counted in the notes, never dropped. Numbers and bytes are not text
(status ``not_text``: decode bytes before coding, a number is not a comment). NUL and other C0
control characters are read as spaces (counted in the notes). Texts longer than ``max_chars``
(default 5000 characters) are coded on their first ``max_chars`` characters (status
``truncated``, counted in the notes).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, cast

import numpy as np
import pandas as pd

from needlab._i18n import _HAN as _HAN_PY
from needlab._result import Result
from needlab._types import TextLang
from needlab._validate import check_columns, check_unique
from needlab.errors import ConfigError, SchemaError
from needlab.painpoints.polarity import mention_polarity
from needlab.painpoints.stages import StageCues, stage_names
from needlab.painpoints.taxonomy import (
    PAIN_TYPE_ZH,
    PAIN_TYPES,
    STAGE_ZH,
    Code,
    Taxonomy,
    re2_problem,
)
from needlab.painpoints.texts import text_column, text_langs

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["CodingResult", "Coverage", "code_text", "compile_taxonomy"]

_NEG_ZH = (
    "一点儿也不|一点儿都不|一点也不|一点都不|并没有|并不|从来没有|从来没|从来不|从没|从不|毫不|"
    "没有|不是|没|不|无|未|别"
)
_NEG_EN = (
    r"\b(?:not|no|never|without|hardly|nothing|none|nor|cannot|"
    r"(?:is|was|are|were|do|does|did|wo|would|ca|could|should|have|has|had)n['’]t)"
)
_WIN_ZH = "[^，。！？；、：,.!?;:\\s但却可而]{0,3}?"
_WIN_EN = r"(?:[ \t]+[A-Za-z0-9'’-]+){0,2}?[ \t]+"
_NOT_NEG_ZH = re.compile(
    r"^(?:不仅|不但|不光|不只|不过|不少|不停|不断|不得不|不到|不知|不然|不管|没想到|没用|"
    r"没多久|没几|无法|无语|无论|别人|未来)"
)
_NOT_NEG_EN = re.compile(
    r"^(?:not only|not just|no wonder|no longer|nothing but|no matter)|"
    r"\b(?:but|yet|however|although|though)\b",
    re.I,
)
_CTRL = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"  # C0 controls but tab, line feed, carriage return
_CJK = "[一-鿿㐀-䶿]"
_HAN = _HAN_PY.encode().decode("unicode_escape")  # detect_lang's class, as RE2 text (no \\u)
_EN_STOP = frozenset(
    "a an the and or but if of to in on at for with from by as is are was were be been being it its "
    "this that these those i me my we our you your he she they them their his her do does did done "
    "have has had will would can could should just very so too also not no yes it's i'm i've there "
    "here what when how why which who all any some more most than then about after before up out "
    "again only get got one two after into over".split()
)

Status = Literal["ok", "truncated", "missing", "empty", "not_text", "no_letters"]


# ---------------------------------------------------------------------- compiled taxonomy
@dataclass(frozen=True)
class _Compiled:
    pattern: dict[str, list[str]]  # lang -> RE2 regex sources (no capturing groups)
    alt_code: dict[str, list[list[str | None]]]  # lang -> per regex, code per alternative
    identify: dict[str, list[str]]  # lang -> per regex, anchored RE2 source with named groups
    alt_pattern: dict[str, list[list[str]]] = field(default_factory=dict)  # the alternatives
    codes: list[str] = field(default_factory=list)  # code ids in taxonomy order
    name_en: np.ndarray = field(default_factory=lambda: np.array([], dtype=object))
    name_zh: np.ndarray = field(default_factory=lambda: np.array([], dtype=object))
    pain_type: np.ndarray = field(default_factory=lambda: np.array([], dtype=object))
    pain_rank: np.ndarray = field(default_factory=lambda: np.array([], dtype=np.int64))
    stage: np.ndarray = field(default_factory=lambda: np.array([], dtype=object))
    # google-re2 objects, compiled on first use: (lang, g) -> (scan, identify whole, identify start)
    engines: dict[Any, Any] = field(default_factory=dict)

    def code_index(self, codes: np.ndarray) -> np.ndarray:
        """Position of each code id in the taxonomy order."""
        if len(codes) < 1000:
            pos = {c: i for i, c in enumerate(self.codes)}
            return np.fromiter((pos[c] for c in codes.tolist()), np.int64, len(codes))
        return np.asarray(
            pd.Index(self.codes).get_indexer(pd.Index(codes, dtype=object)), dtype=np.int64
        )

    def re2(self, lg: str, g: int) -> tuple[Any, ...]:
        """The expressions of group *g* of *lg* compiled once with google-re2 (the same RE2
        syntax and semantics as pyarrow's engine: leftmost-first alternation, ASCII ``\\b``):
        the scan; the identifying expression (anchored at both ends, then at the start only) with
        the negation window as its only group; and the alternatives as RE2 sets (anchored at both
        ends, at the start only) that name the alternatives matching the rest."""
        hit = self.engines.get((lg, g))
        if hit is None:
            import re2  # type: ignore[import-untyped]

            opts = re2.Options()
            opts.max_mem = 64 << 20  # room for the DFA of a whole taxonomy (default 8 MB)
            opts.log_errors = False
            src = re.sub(r"\(\?P<a\d+>", "(?:", self.identify[lg][g])
            sets = (re2.Set.FullMatchSet(opts), re2.Set.MatchSet(opts))
            for st in sets:
                for alt in self.alt_pattern[lg][g]:
                    st.Add(f"(?i)(?:{alt})")
                st.Compile()
            hit = (
                re2.compile(self.pattern[lg][g], opts),
                re2.compile(src + "$", opts),
                re2.compile(src, opts),
                *sets,
            )
            self.engines[(lg, g)] = hit
        return hit

    def re2_groups(self, lg: str, g: int) -> tuple[Any, Any]:
        """The identifying expressions with one named group per alternative (a fallback)."""
        import re2

        opts = re2.Options()
        opts.max_mem = 64 << 20
        opts.log_errors = False
        src = self.identify[lg][g]
        return re2.compile(src + "$", opts), re2.compile(src, opts)


_CACHE: dict[str, _Compiled] = {}
_CACHE_SIZE = 8


_KEYS: dict[int, tuple[Any, tuple[Code, ...], str]] = {}


def _content_key(taxonomy: Taxonomy) -> str:
    """A digest of the codes (every field, in order): equal content gives the same key.

    The digest of a taxonomy object is remembered with the code objects it was computed from;
    while the object holds the very same (frozen) codes the digest is reused, so a repeated call
    costs microseconds, not the pickling of every code. A code replaced or added gives new
    code objects, hence a new digest."""
    import hashlib
    import pickle
    import weakref

    codes = tuple(taxonomy)
    memo = _KEYS.get(id(taxonomy))
    if memo is not None and memo[0]() is taxonomy and len(memo[1]) == len(codes):
        if all(a is b for a, b in zip(memo[1], codes, strict=True)):
            return memo[2]
    key = hashlib.sha1(pickle.dumps(list(codes), protocol=4)).hexdigest()
    if len(_KEYS) > 64:
        _KEYS.clear()
    _KEYS[id(taxonomy)] = (weakref.ref(taxonomy), codes, key)
    return key


def compile_taxonomy(taxonomy: Taxonomy) -> _Compiled:
    """Compile a taxonomy into a few regular expressions per language (see the module docstring).

    Literal keywords go into one expression and patterns into another (RE2's automaton stays small
    that way; one expression of both is 100 times slower); exclusions join both.

    The result is cached by the taxonomy's content (a digest of all its codes, every field), not
    by the object: calling :func:`code_text` again with the same taxonomy (or an equal one) skips
    the compilation, and a changed taxonomy (:meth:`Taxonomy.add`, :meth:`Taxonomy.merge`, or
    codes replaced in place) is compiled anew. The last 8 taxonomies are kept.

    Raises
    ------
    ConfigError
        A combined expression that RE2 cannot compile (in practice: a taxonomy so large that
        the expression exceeds RE2's memory budget); the message says how to split it.
    """
    key = _content_key(taxonomy)
    hit = _CACHE.get(key)
    if hit is not None:
        return hit
    out = _compile(taxonomy)
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = out
    return out


def _compile(taxonomy: Taxonomy) -> _Compiled:
    pattern: dict = {}
    alt_code: dict = {}
    identify: dict = {}
    alt_pattern: dict = {}
    for lg in ("zh", "en"):
        excl = sorted(
            {
                (rf"\b{re.escape(e)}\b" if lg == "en" else re.escape(e))
                for c in taxonomy
                for e in c.exclude[lg]
            },
            key=len,
            reverse=True,
        )
        lits: list[tuple[str, str]] = []
        pats: list[tuple[str, str]] = []
        for c in taxonomy:
            kw = {rf"\b{re.escape(k)}\b" if lg == "en" else re.escape(k) for k in c.keywords[lg]}
            for a in c.regex(lg):
                (lits if a in kw else pats).append((a, c.id))
        neg = f"(?:{_NEG_ZH}){_WIN_ZH}" if lg == "zh" else f"{_NEG_EN}{_WIN_EN}"
        pattern[lg], alt_code[lg], identify[lg], alt_pattern[lg] = [], [], [], []
        for group in (lits, pats):
            if not group:
                continue
            alts = [(e, None) for e in excl] + sorted(group, key=lambda t: len(t[0]), reverse=True)
            body = "|".join(a for a, _ in alts)
            pattern[lg].append(f"(?i)(?:{neg})?(?:{body})")
            alt_code[lg].append([c for _, c in alts])
            alt_pattern[lg].append([a for a, _ in alts])
            named = "|".join(f"(?P<a{i}>{a})" for i, (a, _) in enumerate(alts))
            identify[lg].append(f"(?i)^(?P<neg>{neg})?(?:{named})")
        for src in [*pattern[lg], *identify[lg]]:
            problem = re2_problem(src)
            if problem is not None:
                raise ConfigError(
                    f"the {lg} keywords and patterns of taxonomy {taxonomy.name!r} "
                    f"({len(taxonomy)} codes) do not compile as one RE2 expression: {problem}. "
                    "Every pattern passed the check alone, so the expression is too large: "
                    "split the taxonomy and code the texts with each part."
                )
    rank = {p: i for i, p in enumerate(PAIN_TYPES)}
    return _Compiled(
        pattern,
        alt_code,
        identify,
        alt_pattern,
        codes=[c.id for c in taxonomy],
        name_en=np.asarray([c.name["en"] for c in taxonomy], dtype=object),
        name_zh=np.asarray([c.name["zh"] for c in taxonomy], dtype=object),
        pain_type=np.asarray([c.pain_type for c in taxonomy], dtype=object),
        pain_rank=np.asarray([rank.get(c.pain_type, 3) for c in taxonomy], dtype=np.int64),
        stage=np.asarray([c.stage for c in taxonomy], dtype=object),
    )


def _scan_re2(texts: Any, src: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All non-overlapping matches of *src* in *texts* with RE2: (row, start, matched text).

    One ``replace_substring_regex`` wraps every match in marker characters; splitting on the
    markers and measuring the pieces gives the offsets. No capturing groups: RE2 then runs its
    DFA, several times faster than with submatches.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = texts if isinstance(texts, pa.Array) else pa.array(texts, type=pa.large_string())
    marked = pc.replace_substring_regex(arr, pattern=src, replacement="\x01\\0\x03")
    rows = np.flatnonzero(pc.match_substring(marked, "\x01").to_numpy(zero_copy_only=False))
    if len(rows) == 0:
        e = np.array([], dtype=np.int64)
        return e, e, np.array([], dtype=object)
    parts = pc.split_pattern(marked.take(pa.array(rows)), "\x01")
    flat = pc.list_flatten(parts)
    parent = pc.list_parent_indices(parts).to_numpy()
    offsets = parts.offsets.to_numpy()
    first = (np.arange(len(flat)) - offsets[parent]) == 0
    orig_len = pc.utf8_length(flat).to_numpy().astype(np.int64)
    orig_len[~first] -= 1  # the \x03 marker
    tail = flat.filter(pa.array(~first))
    hit = pc.extract_regex(tail, "(?s)^(?P<hit>[^\x03]*)\x03").field("hit")
    excl_cum = np.cumsum(orig_len) - orig_len
    row_start = excl_cum[first][parent]
    start = (excl_cum - row_start)[~first]
    return rows[parent[~first]], start, np.asarray(hit.to_pylist(), dtype=object)


# ---------------------------------------------------------------------- results
@dataclass(frozen=True, repr=False)
class Coverage(Result):
    """How much of the text the taxonomy codes, and what the uncoded residue talks about.

    Attributes
    ----------
    table : DataFrame
        One row per language plus ``all``: ``lang``; ``n_texts`` (codable texts: status ok or
        truncated); ``n_coded`` (with at least one code); ``share`` (n_coded / n_texts, in [0, 1]).
    share : float
        Overall share of codable texts with at least one code (NaN without codable texts).
    terms : DataFrame
        Top terms of the uncoded codable texts: ``lang``; ``term`` (English word, lower case, stop
        words removed; Chinese character bigram); ``n_docs`` (uncoded texts containing it);
        ``share_docs`` (n_docs / uncoded texts of that language); ``rank`` within the language.
    longest : DataFrame
        The longest uncoded texts: ``id``, ``lang``, ``n_chars``, ``text``.
    n_used, n_excluded : int
        Codable texts (status ok or truncated), and texts that could not be coded (missing,
        empty, not text, no letters); together the texts given to :func:`code_text`.
    """

    share: float = float("nan")
    terms: pd.DataFrame = field(default_factory=pd.DataFrame)
    longest: pd.DataFrame = field(default_factory=pd.DataFrame)

    title = "Taxonomy coverage"

    def summary(self) -> dict[str, Any]:
        return {"share coded": self.share}

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Share coded per language, then the top terms of the uncoded texts (share of the uncoded
        texts containing each). See :func:`needlab.painpoints.plot.coverage_bars`."""
        from needlab.painpoints.plot import coverage_bars

        return coverage_bars(self, ax=ax, **kwargs)

    def tables(self) -> dict[str, pd.DataFrame]:
        return {
            "coverage": self.table,
            "uncoded_terms": self.terms,
            "longest_uncoded": self.longest,
        }


@dataclass(frozen=True, repr=False)
class CodingResult(Result):
    """Result of :func:`code_text`.

    Attributes
    ----------
    table : DataFrame
        One row per input text, in input order: ``id``; the ``by`` columns if given; ``text``
        (as given); ``lang`` (``zh``/``en``, missing when not codable); ``status`` (``ok``,
        ``truncated`` (longer than ``max_chars``; its start was coded), ``missing``, ``empty``,
        ``not_text``, ``no_letters``); ``codes`` (tuple of leaf code ids in taxonomy order);
        ``n_codes``; ``pain_types`` (tuple of distinct pain types, in the order functional,
        service, process, value); ``coded`` (at least one code); ``praises`` (tuple of the codes
        whose aspect the text praises, see :attr:`mentions`; they are not in ``codes``).
    long : DataFrame
        One row per text x pain code (the ``pain`` rows of :attr:`mentions`): ``row`` (position
        in the input), ``id``, ``lang``, ``code``, ``name`` (English) and ``name_zh``,
        ``pain_type``, ``stage`` (the code's typical stage; with ``stage_cues=`` the stage named by
        a cue in the clause where there is one, see :mod:`needlab.painpoints.stages`),
        ``stage_source`` (``"text"`` or ``"code"``), ``start``, ``end`` (character offsets
        of the first evidence, ``text[start:end] == evidence``), ``evidence``, ``n_hits``
        (matches of this code with this polarity in the text), ``polarity`` (``"pain"``), ``cue``
        (why: ``"negative sentiment"``, ``"complaint marker: 呵呵"``, ``"negated praise: not
        helpful"``, ``"no cue: pain evidence"``, ...; ``"polarity off"`` with
        ``polarity=False``) and ``clause`` (the clause read); plus the ``by`` columns.
    mentions : DataFrame
        Every mention, one row per text x code x polarity, columns as :attr:`long`, with
        ``polarity`` ``"pain"`` or ``"praise"`` (see :mod:`needlab.painpoints.polarity`): "送餐员
        态度很好" is a praise of the courier code, "送餐员态度很差" a pain.
    frequencies : DataFrame
        Frequencies: ``level`` (``code``, ``pain_type``, ``stage``); ``key``; ``name`` and
        ``name_zh``; ``pain_type`` (for codes); ``n_texts`` (texts with at least one code of
        that key, as a pain); ``n_base`` (codable texts in the segment); ``share`` (n_texts /
        n_base); ``n_praise`` and ``share_praise`` (texts praising that key, 0 on the ``none``
        row and with ``polarity=False``). The ``pain_type`` level has a ``none`` row for
        codable texts without a pain code. With ``by=``,
        the segment columns come first and shares are within segment; without, every code of the
        taxonomy has a row (zeros included).
    coverage : Coverage
        See :class:`Coverage`.
    negated : DataFrame
        Matches dropped for negation: ``row``, ``id``, ``code``, ``start``, ``end``,
        ``evidence``, ``negation`` (the cue and window before the evidence).
    taxonomy : Taxonomy
        The taxonomy used.
    engine : str
        The engine per language, ``"zh:re2 en:re2"`` (RE2 through pyarrow, the only engine).
    data : DataFrame or None
        The frame the texts came from (None for a list or Series), so that later steps
        (:func:`needlab.painpoints.matrix.pain_matrix`) can take severity, segment and weight
        columns by name.
    weights : column name or None
        The codebook's weight column when the texts came from a :class:`~needlab.Survey`:
        :func:`~needlab.painpoints.matrix.pain_matrix` uses it when ``weights=None``.
    n_used, n_excluded : int
        Codable texts (status ``ok`` or ``truncated``), and texts that could not be coded
        (missing, empty, not text, no letters; they stay in ``table`` with ``coded=False``).
    """

    long: pd.DataFrame = field(default_factory=pd.DataFrame)
    mentions: pd.DataFrame = field(default_factory=pd.DataFrame)
    taxonomy: Taxonomy | None = None
    engine: str = ""
    data: pd.DataFrame | None = None
    weights: Hashable | None = None
    # what frequencies and coverage are built from, on first access (by, praise rows, sizes, notes)
    _lazy: tuple[Any, ...] = field(default=(), repr=False, compare=False)
    _built: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    title = "Pain-point coding"

    @property
    def frequencies(self) -> pd.DataFrame:
        """Counts and shares by code, pain type and stage (built on first access, then kept)."""
        if "frequencies" not in self._built:
            by_cols, praise = self._lazy[0], self._lazy[1]
            self._built["frequencies"] = _frequencies(
                self.table, self.long, cast(Taxonomy, self.taxonomy), by_cols, praise
            )
        return cast(pd.DataFrame, self._built["frequencies"])

    @property
    def coverage(self) -> Coverage:
        """How much of the text is coded and the uncoded residue (built on first access)."""
        if "coverage" not in self._built:
            _, _, top_terms, n_longest, notes = self._lazy[:5]
            self._built["coverage"] = _coverage(self.table, top_terms, n_longest, list(notes))
        return cast(Coverage, self._built["coverage"])

    @property
    def negated(self) -> pd.DataFrame:
        """Matches dropped for negation (built on first access)."""
        if "negated" not in self._built:
            cols = self._lazy[5] if self._lazy else {}
            neg = pd.DataFrame(cols)
            if len(neg) == 0 and self._lazy and self._lazy[6]:  # text columns typed as str,
                neg = neg.astype({"code": "str", "evidence": "str", "negation": "str"})
            self._built["negated"] = neg  # as when there are rows (pandas infers str then)
        return cast(pd.DataFrame, self._built["negated"])

    def pairs(self) -> pd.DataFrame:
        """One row per mention: ``pos`` (position of the text in the input), ``code`` and
        ``stage`` (the journey stage of the mention: from text cues where they exist, else the
        code's typical stage)."""
        return pd.DataFrame(
            {
                "pos": self.long["row"].to_numpy(dtype=np.int64),
                "code": self.long["code"].to_numpy(dtype=object),
                "stage": self.long["stage"].to_numpy(dtype=object),
            }
        )

    def summary(self) -> dict[str, Any]:
        """Key figures: share of the codable texts coded, codes used, negated matches."""
        ok = self.table["status"].isin(["ok", "truncated"])
        return {
            "share coded": float(self.table.loc[ok, "coded"].mean()) if ok.any() else float("nan"),
            "codes used": int(self.long["code"].nunique()) if len(self.long) else 0,
            "negated matches": len(self._lazy[5]["row"]) if self._lazy else 0,
            "praise mentions": int((self.mentions["polarity"] == "praise").sum())
            if "polarity" in self.mentions
            else 0,
        }

    def tables(self) -> dict[str, pd.DataFrame]:
        out = {
            "texts": self.table,
            "codes": self.long,
            "mentions": self.mentions,
            "frequencies": self.frequencies,
        }
        if self._lazy:
            out.update({"coverage": self.coverage.table, "uncoded_terms": self.coverage.terms})
        return out

    def display(self) -> pd.DataFrame:
        """The pain-type rows of :attr:`frequencies` (what the views show)."""
        s = self.frequencies
        return s[s["level"] == "pain_type"] if "level" in s else s

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Share of texts per code, grouped and coloured by pain type.

        See :func:`needlab.painpoints.plot.code_frequencies`.
        """
        from needlab.painpoints.plot import code_frequencies

        return code_frequencies(self, ax=ax, **kwargs)


# ---------------------------------------------------------------------- main function
def code_text(
    data: Any,
    text: Hashable | None = None,
    *,
    taxonomy: Taxonomy | None = None,
    text_lang: TextLang = "auto",
    id: Hashable | None = None,
    by: Hashable | Sequence[Hashable] | None = None,
    max_chars: int | None = 5000,
    engine: Literal["auto", "re2"] = "auto",
    top_terms: int = 30,
    n_longest: int = 10,
    polarity: bool = True,
    stage_cues: StageCues | Literal["auto"] | None = "auto",
) -> CodingResult:
    """Code texts with the pain-point codes of a taxonomy (multi-label, with evidence spans).

    Parameters
    ----------
    data : DataFrame, Survey, Series or list
        The texts, or a frame (or :class:`~needlab.Survey`) holding them in column *text*.
    text : column name, optional
        Column of *data* with the texts (required when *data* is a DataFrame or Survey).
    taxonomy : Taxonomy, optional
        Defaults to :meth:`Taxonomy.default`.
    text_lang : {"auto", "zh", "en"} or column name
        Language of the texts: decided per text (``"auto"``, see the module docstring), the same
        for every text, or a column of *data* holding ``zh``/``en`` (missing values are
        detected).
    id : column name, optional
        Column of unique text ids; defaults to a Survey's id column, else the index of *data*
        (positions for a list).
    by : column name or list of names, optional
        Segment columns of *data*; ``frequencies`` is then computed per segment.
    max_chars : int or None
        Longer texts are coded on their first *max_chars* characters (status ``truncated``,
        counted in the notes); default 5000 characters (about ten times a long survey comment).
        ``None`` codes every text whole (RE2's time is linear in the length, so this is safe,
        only slower).
    engine : {"auto", "re2"}
        Both run RE2 through pyarrow (linear time). The former ``"python"`` engine (Python's
        backtracking :mod:`re`) is gone: it could hang on a pattern such as ``(?:a+)+$``, and
        every taxonomy pattern is now RE2 syntax.
    top_terms, n_longest : int
        Sizes of the coverage residue tables.
    polarity : bool
        ``True`` (default): a match is a pain only when its clause does not praise the aspect
        (:mod:`needlab.painpoints.polarity`: a negative cue makes it a pain, a positive rest of
        the clause a praise, no cue either way a pain); praises are kept in ``mentions``,
        ``table["praises"]`` and the ``n_praise`` counts. ``False``: every match that is not
        negated is a pain (the behaviour before polarity).

    stage_cues : StageCues, "auto" or None
        Journey stage of each mention from cues in its clause
        (:mod:`needlab.painpoints.stages`: the cue nearest the evidence, else the code's typical
        stage; column ``stage_source``). ``"auto"``: the bundled cues of the journeys of the
        taxonomy's packs (:meth:`StageCues.for_taxonomy
        <needlab.painpoints.stages.StageCues.for_taxonomy>`); a :class:`StageCues` of your
        choice (default ``"auto"``); ``None``: always the code's typical stage.
        :func:`~needlab.painpoints.matrix.pain_matrix` uses each mention's stage at its stage
        levels.

    Returns
    -------
    CodingResult
        ``table`` (one row per text), ``long`` (one row per text x code with the evidence span),
        ``frequencies`` (counts and shares by code, pain type and stage), ``coverage`` and
        ``negated``; every column is described in :class:`CodingResult`. ``n_used`` counts the
        codable texts, ``n_excluded`` the others (kept in ``table`` with their status).

    Raises
    ------
    SchemaError
        *text*, *id*, *text_lang* or *by* columns missing; a DataFrame without *text*.
    DataError
        Duplicate ids; a *text_lang* column with values other than zh/en.
    ConfigError
        Unknown option values (``engine="python"`` included); a *max_chars* that is not a
        positive integer; a taxonomy without any code; *top_terms* or *n_longest* not a
        non-negative integer.

    References
    ----------
    Negation windows follow the NegEx idea: Chapman, W. W. et al. (2001). A simple algorithm for
    identifying negated findings and diseases in discharge summaries. *Journal of Biomedical
    Informatics* 34(5), 301-310. RE2: Cox, R. (2010), *Regular expression matching in the wild*.

    Examples
    --------
    >>> r = code_text(["物流太慢，等了9天才到", "一点也不贵，很好用", "the app keeps crashing"])
    >>> r.table[["codes", "coded"]]
                            codes  coded
    0       (PRO.DELIVERY_LATE,)   True
    1                          ()  False
    2                 (FUN.APP,)   True
    >>> row = r.long.iloc[0]
    >>> row["evidence"], int(row["start"]), int(row["end"])
    ('物流太慢', 0, 4)
    """
    if engine == "python":  # type: ignore[comparison-overlap]
        raise ConfigError(
            "engine='python' was removed: Python's backtracking re can hang on patterns such as "
            "(?:a+)+$, while RE2 runs every taxonomy pattern in linear time; use engine='auto'."
        )
    if engine not in ("auto", "re2"):
        raise ConfigError(f"engine={engine!r} is not valid; choose one of ['auto', 're2'].")
    if max_chars is not None and (
        isinstance(max_chars, bool) or not isinstance(max_chars, int | np.integer) or max_chars < 1
    ):
        raise ConfigError(
            f"max_chars={max_chars!r} must be a positive integer (characters coded per text, "
            "default 5000) or None to code whole texts."
        )
    for opt, val in (("top_terms", top_terms), ("n_longest", n_longest)):
        if isinstance(val, bool) or not isinstance(val, int | np.integer) or val < 0:
            raise ConfigError(f"{opt}={val!r} must be a non-negative integer.")
    tx = Taxonomy.default() if taxonomy is None else taxonomy
    if not isinstance(tx, Taxonomy):
        raise ConfigError(
            f"taxonomy must be a Taxonomy, got {type(tx).__name__}; "
            "load one with Taxonomy.from_yaml(...)."
        )
    if isinstance(stage_cues, str) and stage_cues == "auto":
        stage_cues = StageCues.for_taxonomy(tx)
    elif stage_cues is not None and not isinstance(stage_cues, StageCues):
        raise ConfigError(
            f"stage_cues={stage_cues!r} is not valid; choose 'auto', None or a StageCues "
            "(needlab.painpoints.stages.StageCues.default(journeys=[...]))."
        )
    if len(tx) == 0:
        raise ConfigError(
            f"taxonomy {tx.name!r} has no codes, so no text could be coded; add codes "
            "(Taxonomy.add) or use Taxonomy.default()."
        )
    by_cols: list[Hashable] = (
        []
        if by is None
        else ([by] if isinstance(by, str) or not isinstance(by, Sequence) else list(by))
    )

    # ---- inputs
    given = text_column(data, text)
    values, frame = given.values, given.frame
    if frame is None and by_cols:
        raise SchemaError("by= needs a DataFrame: pass data=DataFrame and text='column'.")
    if id is None and given.design is not None:
        id = given.design.id
    n = len(values)
    if frame is not None and id is not None:
        check_columns(frame, id, what="id column")
        check_unique(frame, id)
        ids = frame[id].to_numpy()
    else:
        ids = values.index.to_numpy()
    if frame is not None and by_cols:
        check_columns(frame, by_cols, what="by column")

    import pyarrow as pa
    import pyarrow.compute as pc

    raw = values.to_numpy(dtype=object)
    is_str = np.fromiter((isinstance(v, str) for v in raw), dtype=bool, count=n)
    missing = pd.isna(values).to_numpy() & ~is_str
    arr = pa.array(np.where(is_str, raw, ""), type=pa.large_string())
    stripped_len = pc.utf8_length(pc.utf8_trim_whitespace(arr)).to_numpy()
    status = np.full(n, "ok", dtype=object)
    status[~is_str] = "not_text"
    status[missing] = "missing"
    status[is_str & (stripped_len == 0)] = "empty"
    if max_chars is not None:
        too_long = is_str & (pc.utf8_length(arr).to_numpy() > max_chars)
        status[too_long & (status == "ok")] = "truncated"
        if too_long.any():
            arr = pc.utf8_slice_codeunits(arr, 0, max_chars)
    # NUL and other C0 controls (our match markers \x01 and \x03 among them) read as spaces,
    # one for one, so offsets into the text stay valid
    has_ctrl = pc.match_substring_regex(arr, _CTRL).to_numpy(zero_copy_only=False)
    n_ctrl = int((has_ctrl & np.isin(status, ["ok", "truncated"])).sum())
    if has_ctrl.any():
        arr = pc.replace_substring_regex(arr, _CTRL, " ")

    # ---- language (one rule, needlab._i18n.detect_lang); no letters at all: not coded
    n_cjk = pc.count_substring_regex(arr, _CJK).to_numpy()
    n_lat = pc.count_substring_regex(arr, "[A-Za-z]").to_numpy()
    if isinstance(text_lang, str) and text_lang in ("auto", "zh", "en"):
        # detect_lang's rule on the counts (Han share of han + latin / 4), without a pandas pass
        n_han = pc.count_substring_regex(arr, _HAN).to_numpy()
        auto = np.where(n_han > 0.2 * (n_han + n_lat / 4.0), "zh", "en").astype(object)
        langs = auto if text_lang == "auto" else np.full(n, text_lang, dtype=object)
    else:
        langs = text_langs(pd.Series(arr.to_pylist(), dtype=object), text_lang, frame)
    langs = np.where((n_cjk + n_lat) > 0, langs, "")
    ok_text = np.isin(status, ["ok", "truncated"])
    status[ok_text & (langs == "")] = "no_letters"
    ok_text = np.isin(status, ["ok", "truncated"])
    langs = np.where(ok_text, langs, np.array(None, dtype=object))

    # ---- scan: RE2 in-process (google-re2) for small inputs, pyarrow's RE2 over the column else
    comp = compile_taxonomy(tx)
    cols: dict[str, list[np.ndarray]] = {
        k: [] for k in ("row", "lang", "code", "excl", "mstart", "full", "nlen")
    }
    engines = []
    texts_all: list[str] | None = None
    for lg in ("zh", "en"):
        rows_l = np.flatnonzero(ok_text & (langs == lg))
        engines.append(f"{lg}:re2")
        if len(rows_l) == 0:
            continue
        texts_l = arr.take(pa.array(rows_l))
        small = _small_input(texts_l)
        plain: list[str] = []
        if small:
            if texts_all is None:
                texts_all = arr.to_pylist()
            plain = [texts_all[i] for i in rows_l.tolist()]
        for g, src in enumerate(comp.pattern[lg]):
            if small:
                r, s0, full = _scan_small(plain, comp, lg, g)
            else:
                r, s0, full = _scan_re2(texts_l, src)
            if len(r) == 0:
                continue
            attribute = _attribute_small if small else _attribute
            code, excl, neg_len = attribute(full, comp, lg, g)
            for k, v in (
                ("row", rows_l[r]),
                ("lang", np.full(len(r), lg, dtype=object)),
                ("code", code),
                ("excl", excl),
                ("mstart", s0),
                ("full", full),
                ("nlen", neg_len),
            ):
                cols[k].append(v)
    row, lang_m, code_m, excl_m, mstart, full_m, nlen = (
        np.concatenate(cols[k])
        if cols[k]
        else np.array([], dtype=object if k in ("lang", "code", "full") else np.int64)
        for k in ("row", "lang", "code", "excl", "mstart", "full", "nlen")
    )
    row, mstart, nlen = (a.astype(np.int64) for a in (row, mstart, nlen))
    n_found = len(row)
    excl_m = excl_m.astype(bool)
    full_l = full_m.tolist()
    nlen_l = nlen.tolist()
    negation = np.asarray([f[:k] for f, k in zip(full_l, nlen_l, strict=True)], dtype=object)
    evidence = np.asarray([f[k:] for f, k in zip(full_l, nlen_l, strict=True)], dtype=object)
    start = mstart + nlen
    has_code = np.asarray([c is not None for c in code_m.tolist()], dtype=bool)
    keep = has_code | excl_m
    row, lang_m, code_m, excl_m, mstart, negation, start, evidence, has_code = (
        a[keep] for a in (row, lang_m, code_m, excl_m, mstart, negation, start, evidence, has_code)
    )
    end = start + np.fromiter((len(e) for e in evidence.tolist()), np.int64, len(evidence))
    # overlaps between the expressions: the earliest start wins, then exclusions, then the longest
    order_m = np.lexsort((-(end - mstart), ~excl_m, mstart, row))  # stable, last key first
    row, lang_m, code_m, excl_m, mstart, negation, start, evidence, has_code, end = (
        a[order_m]
        for a in (row, lang_m, code_m, excl_m, mstart, negation, start, evidence, has_code, end)
    )
    prev_end = _prev_run_end(row, end)
    keep = ~(mstart < prev_end) & ~excl_m & has_code
    row, lang_m, code_m, negation, start, evidence, end = (
        a[keep] for a in (row, lang_m, code_m, negation, start, evidence, end)
    )
    neg_l = negation.tolist()
    lang_l = lang_m.tolist()
    is_neg = np.fromiter(
        (
            bool(t) and (_NOT_NEG_ZH if lg == "zh" else _NOT_NEG_EN).search(t) is None
            for t, lg in zip(neg_l, lang_l, strict=True)
        ),
        dtype=bool,
        count=len(neg_l),
    )
    negated = {
        "row": row[is_neg],
        "id": ids[row[is_neg]],
        "code": code_m[is_neg],
        "start": start[is_neg],
        "end": end[is_neg],
        "evidence": evidence[is_neg],
        "negation": negation[is_neg],
    }
    n_negated = int(is_neg.sum())
    ok_m = ~is_neg
    row, lang_m, code_m, start, evidence, end = (
        a[ok_m] for a in (row, lang_m, code_m, start, evidence, end)
    )

    # ---- polarity of every match (clause cues), then the first evidence per text x code x polarity
    o = np.lexsort((start, row))
    row, lang_m, code_m, start, evidence, end = (
        a[o] for a in (row, lang_m, code_m, start, evidence, end)
    )
    if (polarity or stage_cues is not None) and len(row) and texts_all is None:
        texts_all = arr.to_pylist()
    if polarity and len(row):
        pol, cue, clause = mention_polarity(cast(list[str], texts_all), row, start, end, lang_m)
    else:
        pol = np.full(len(row), "pain", dtype=object)
        cue = np.full(len(row), "polarity off" if not polarity else "", dtype=object)
        clause = np.full(len(row), "", dtype=object)
    code_ix = comp.code_index(code_m)
    pol_ix = (np.asarray(pol, dtype=object) != "pain").astype(np.int64)
    key = (row * (len(comp.codes) + 1) + code_ix) * 2 + pol_ix
    _, first, inverse, counts = np.unique(
        key, return_index=True, return_inverse=True, return_counts=True
    )
    n_hits_all = counts[inverse.reshape(-1)]
    firsts = np.sort(first)
    row, lang_m, code_m, start, evidence, end, code_ix, pol_ix = (
        a[firsts] for a in (row, lang_m, code_m, start, evidence, end, code_ix, pol_ix)
    )
    pol, cue, clause, n_hits = (np.asarray(a)[firsts] for a in (pol, cue, clause, n_hits_all))
    if stage_cues is not None and len(row):
        stage, stage_src = stage_cues.detect(
            cast(list[str], texts_all), row, start, end, lang_m, comp.stage[code_ix]
        )
    else:
        stage = comp.stage[code_ix]
        stage_src = np.full(len(row), "code", dtype=object)
    o = np.lexsort((pol_ix, code_ix, row))
    mcols: dict[Hashable, np.ndarray] = dict(
        {
            "row": row[o],
            "id": ids[row[o]],
            "lang": lang_m[o],
            "code": code_m[o],
            "name": comp.name_en[code_ix[o]],
            "name_zh": comp.name_zh[code_ix[o]],
            "pain_type": comp.pain_type[code_ix[o]],
            "stage": np.asarray(stage, dtype=object)[o],
            "stage_source": np.asarray(stage_src, dtype=object)[o],
            "start": start[o],
            "end": end[o],
            "evidence": evidence[o],
            "n_hits": n_hits[o].astype(np.int64),
            "polarity": pol[o],
            "cue": cue[o],
            "clause": clause[o],
        }
    )
    for c in by_cols:
        mcols[c] = cast(pd.DataFrame, frame)[c].to_numpy()[row[o]]
    mentions = pd.DataFrame(mcols)
    is_pain = pol[o] == "pain"
    if is_pain.all():
        long, praise = mentions.copy(), mentions.iloc[:0]
    else:
        long = mentions[is_pain].reset_index(drop=True)
        praise = mentions[~is_pain]

    # ---- table
    mrow, mcode = row[o], code_m[o]
    lrow = mrow[is_pain]
    codes_t = _tuples(lrow, mcode[is_pain], n)
    pt_key = np.unique(lrow * 4 + comp.pain_rank[code_ix[o][is_pain]])
    types_t = _tuples(pt_key // 4, np.asarray(PAIN_TYPES, dtype=object)[pt_key % 4], n)
    n_codes = np.bincount(lrow, minlength=n)
    tcols: dict[Hashable, Any] = {"id": ids}
    for c in by_cols:
        tcols[c] = cast(pd.DataFrame, frame)[c].to_numpy()
    tcols.update(
        {
            "text": raw,
            "lang": pd.Series(langs, dtype=object),
            "status": status,
            "codes": codes_t,
            "n_codes": n_codes,
            "pain_types": types_t,
            "coded": n_codes > 0,
            "praises": _tuples(mrow[~is_pain], mcode[~is_pain], n),
        }
    )
    table = pd.DataFrame(tcols)

    counts_s = Counter(status.tolist())
    notes = []
    skipped = {k: counts_s.get(k, 0) for k in ("missing", "empty", "not_text", "no_letters")}
    n_excluded = sum(skipped.values())
    if n_excluded:
        notes.append(
            "not coded: "
            + ", ".join(f"{v} {k}" for k, v in skipped.items() if v)
            + " (kept in the table with coded=False)"
        )
    cov_notes = notes[:1]
    if counts_s.get("truncated", 0):
        notes.append(
            f"{counts_s['truncated']} texts longer than {max_chars} characters were coded "
            "on their first part (status 'truncated')"
        )
    if n_ctrl:
        notes.append(
            f"{n_ctrl} texts hold NUL or other control characters, read as spaces "
            "(the table keeps the text as given)"
        )
    if n_negated:
        notes.append(f"{n_negated} matches preceded by a negation were not coded (see .negated)")
    return CodingResult(
        table=table,
        long=long,
        mentions=mentions,
        taxonomy=tx,
        engine=" ".join(engines),
        data=frame,
        weights=given.design.weights if given.design is not None else None,
        n_used=n - n_excluded,
        n_excluded=n_excluded,
        notes=tuple(notes),
        _lazy=(by_cols, praise, top_terms, n_longest, tuple(cov_notes), negated, n_found > 0),
    )


# ---------------------------------------------------------------------- helpers
def _attribute(
    full: np.ndarray, comp: _Compiled, lg: str, g: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each match: the code (the first alternative matching it, after an optional negation
    window, exactly as the engine tried them), whether it is an exclusion, and the length of the
    negation window. One RE2 ``extract_regex`` over the distinct matched strings (anchored at both
    ends, then at the start only for the few that need the text after them, such as ``\\b``)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    src = comp.identify[lg][g]
    codes = comp.alt_code[lg][g]
    uniq = pd.unique(pd.Series(full, dtype=object))
    arr = pa.array(list(uniq), type=pa.large_string())
    whole = pc.extract_regex(arr, pattern=src + "$")
    start = pc.extract_regex(arr, pattern=src)
    use_whole = whole.is_valid().to_numpy(zero_copy_only=False)
    found = use_whole | start.is_valid().to_numpy(zero_copy_only=False)

    def field(name: str) -> np.ndarray:
        a = pc.utf8_length(pc.fill_null(whole.field(name), "")).to_numpy(zero_copy_only=False)
        b = pc.utf8_length(pc.fill_null(start.field(name), "")).to_numpy(zero_copy_only=False)
        return np.where(use_whole, a, b).astype(np.int64)

    alt_u = np.full(len(uniq), -1, dtype=np.int64)
    if len(uniq) <= 64:  # few distinct matches: read the groups in Python, not one call per group
        nlen_u = np.zeros(len(uniq), dtype=np.int64)
        for j, (w, st) in enumerate(zip(whole.to_pylist(), start.to_pylist(), strict=True)):
            d = w if w is not None else st
            if d is None:
                continue
            nlen_u[j] = len(d["neg"] or "")
            alt_u[j] = next((i for i in range(len(codes)) if d[f"a{i}"]), -1)
    else:
        nlen_u = np.where(found, field("neg"), 0)
        for i in range(len(codes)):  # one alternative participates (patterns never match "")
            hit = (alt_u < 0) & (field(f"a{i}") > 0)
            alt_u[hit] = i
    code_u = np.array([codes[a] if a >= 0 else None for a in alt_u.tolist()], dtype=object)
    excl_u = (alt_u >= 0) & np.array([c is None for c in code_u.tolist()], dtype=bool)
    pos = pd.Index(uniq).get_indexer(pd.Index(full, dtype=object))
    return code_u[pos], excl_u[pos], nlen_u[pos]


_SMALL_CHARS = 20_000


def _small_input(texts: Any) -> bool:
    """Few characters to scan: run RE2 in-process (google-re2, each expression compiled once and
    kept with the compiled taxonomy) instead of pyarrow, which compiles the expression again on
    every call (tens of milliseconds for a taxonomy). Same engine, same matches; without
    google-re2 installed every input goes through pyarrow."""
    import pyarrow.compute as pc

    if _re2_available() is False:
        return False
    return int(pc.sum(pc.utf8_length(texts)).as_py() or 0) <= _SMALL_CHARS


def _re2_available() -> bool:
    global _HAS_RE2
    if _HAS_RE2 is None:
        try:
            import re2  # noqa: F401

            _HAS_RE2 = True
        except ImportError:  # pragma: no cover - google-re2 is a dependency
            _HAS_RE2 = False
    return _HAS_RE2


_HAS_RE2: bool | None = None


def _scan_small(
    texts: list[str], comp: _Compiled, lg: str, g: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_scan_re2` with google-re2, text by text: (row, start, matched text)."""
    scan = comp.re2(lg, g)[0]
    rows: list[int] = []
    starts: list[int] = []
    full: list[str] = []
    for i, t in enumerate(texts):
        for mt in scan.finditer(t):
            rows.append(i)
            starts.append(mt.start())
            full.append(mt.group())
    return (
        np.asarray(rows, dtype=np.int64),
        np.asarray(starts, dtype=np.int64),
        np.asarray(full, dtype=object),
    )


def _attribute_small(
    full: np.ndarray, comp: _Compiled, lg: str, g: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_attribute` with google-re2, for the same answer: the identifying expression
    (anchored at both ends, else at the start only) gives the negation window; the alternative is
    then the first one matching the rest (an RE2 set anchored the same way), which is the one
    leftmost-first alternation takes after that window. One expression with a group per
    alternative would answer too, but RE2 needs milliseconds per string for hundreds of groups."""
    _, whole, start, full_set, prefix_set = comp.re2(lg, g)
    codes = comp.alt_code[lg][g]
    memo = comp.engines.setdefault(("memo", lg, g), {})
    for f in dict.fromkeys(full.tolist()):
        if f in memo:
            continue
        alt, k = -1, 0
        d = whole.search(f)
        st = full_set
        if d is None:
            d, st = start.search(f), prefix_set
        if d is not None:
            k = len(d.group(1) or "")
            hits = st.Match(f[k:])
            if hits:
                alt = min(hits)
            else:  # pragma: no cover - a set beyond RE2's memory: the groups answer
                ws, ss = comp.re2_groups(lg, g)
                m = ws.search(f) or ss.search(f)
                gs = m.groups() if m is not None else ()
                k = len(gs[0] or "") if gs else 0
                alt = next((i for i, v in enumerate(gs[1:]) if v), -1)
        code = codes[alt] if alt >= 0 else None
        if len(memo) > 50_000:
            memo.clear()
        memo[f] = (code, alt >= 0 and code is None, k)
    vals = [memo[f] for f in full.tolist()]
    return (
        np.asarray([v[0] for v in vals], dtype=object),
        np.asarray([v[1] for v in vals], dtype=bool),
        np.asarray([v[2] for v in vals], dtype=np.int64),
    )


def _prev_run_end(row: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Per match (sorted by row): the largest end of the earlier matches of its row, -1 for the
    first match of a row (a grouped cumulative maximum, shifted by one)."""
    if len(row) == 0:
        return np.array([], dtype=np.int64)
    big = int(end.max()) + 1
    run = np.maximum.accumulate(end + row * big) - row * big
    prev = np.empty_like(run)
    prev[0] = -1
    prev[1:] = run[:-1]
    prev[1:][row[1:] != row[:-1]] = -1
    return prev


def _tuples(rows: np.ndarray, values: np.ndarray, n: int) -> list[tuple]:
    """Pack values sorted by row into one tuple per row (empty for rows without values)."""
    bounds = np.searchsorted(rows, np.arange(n + 1))
    vals = values.tolist()
    return [tuple(vals[a:b]) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


def _frequencies(
    table: pd.DataFrame,
    long: pd.DataFrame,
    tx: Taxonomy,
    by: list[Hashable],
    praise: pd.DataFrame | None = None,
) -> pd.DataFrame:
    ok = table["status"].isin(["ok", "truncated"]).to_numpy()
    seg = by
    base_df = table.loc[ok, seg] if seg else pd.DataFrame(index=table.index[ok])
    if seg:
        base = (
            base_df.groupby(seg, dropna=False, observed=True).size().rename("n_base").reset_index()
        )
    else:
        base = pd.DataFrame({"n_base": [int(ok.sum())]})
    info = tx.table("en").set_index("code")
    out = []
    for level in ("code", "pain_type", "stage"):
        d = long[[*seg, "row", level]].dropna(subset=[level]).drop_duplicates(["row", level])
        cnt = (
            d.groupby([*seg, level], dropna=False, observed=True)
            .size()
            .rename("n_texts")
            .reset_index()
        )
        cnt = cnt.rename(columns={level: "key"})
        if praise is not None:
            dp = praise[[*seg, "row", level]].dropna(subset=[level]).drop_duplicates(["row", level])
            cp = (
                dp.groupby([*seg, level], dropna=False, observed=True)
                .size()
                .rename("n_praise")
                .reset_index()
                .rename(columns={level: "key"})
            )
            cnt = cnt.merge(cp, on=[*seg, "key"], how="outer")
            cnt["n_texts"] = cnt["n_texts"].fillna(0)
        if not seg:
            keys = {
                "code": tx.leaves(),
                "pain_type": ["functional", "service", "process", "value"],
                "stage": [s for s in STAGE_ZH if s in set(info["stage"].dropna())],
            }[level]
            extra = [k for k in cnt["key"] if k not in keys]
            if level == "stage" and extra:  # stages named by text cues: all in journey order
                rank = {k: i for i, k in enumerate(stage_names())}
                keys = sorted(keys + extra, key=lambda k: rank.get(k, len(rank)))
                extra = []
            cnt = (
                pd.DataFrame({"key": pd.Series(keys + extra, dtype=object)})
                .merge(cnt.astype({"key": object}), on="key", how="left")
                .fillna({"n_texts": 0})
            )
        if level == "pain_type":
            none_ = table.loc[ok & ~table["coded"].to_numpy(), seg]
            if seg:
                nn = (
                    none_.groupby(seg, dropna=False, observed=True)
                    .size()
                    .rename("n_texts")
                    .reset_index()
                )
            else:
                nn = pd.DataFrame({"n_texts": [len(none_)]})
            cnt = pd.concat([cnt, nn.assign(key="none")], ignore_index=True)
        cnt["level"] = level
        out.append(cnt)
    s = pd.concat(out, ignore_index=True)
    s = s.merge(base, on=seg, how="left") if seg else s.assign(n_base=int(base["n_base"].iloc[0]))
    s["n_texts"] = s["n_texts"].astype(np.int64)
    s["share"] = np.where(
        s["n_base"] > 0, s["n_texts"] / s["n_base"].where(s["n_base"] > 0, 1), np.nan
    )
    s["n_praise"] = (
        s["n_praise"].fillna(0).astype(np.int64) if "n_praise" in s else np.zeros(len(s), np.int64)
    )
    s["share_praise"] = np.where(
        s["n_base"] > 0, s["n_praise"] / s["n_base"].where(s["n_base"] > 0, 1), np.nan
    )
    name_en = info["name_en"].to_dict()
    name_zh = info["name_zh"].to_dict()
    lab_en: dict[Any, Any] = {
        **name_en,
        **{p: p for p in PAIN_TYPE_ZH},
        **{t: t for t in STAGE_ZH},
        "none": "no pain point",
    }
    lab_zh: dict[Any, Any] = {**name_zh, **PAIN_TYPE_ZH, **STAGE_ZH, "none": "无痛点"}
    for st, nm in stage_names().items():  # stages beyond the taxonomy's (travel: check_in, ...)
        lab_en.setdefault(st, nm["en"])
        lab_zh.setdefault(st, nm["zh"])
    s["name"] = s["key"].map(lab_en)
    s["name_zh"] = s["key"].map(lab_zh)
    s["pain_type"] = s["key"].map(info["pain_type"].to_dict()).where(s["level"] == "code", None)
    cols = [*seg, "level", "key", "name", "name_zh", "pain_type", "n_texts", "n_base", "share"]
    cols += ["n_praise", "share_praise"]
    return s[cols].reset_index(drop=True)


def _coverage(table: pd.DataFrame, top_terms: int, n_longest: int, notes: list[str]) -> Coverage:
    ok = table["status"].isin(["ok", "truncated"])
    rows = []
    for lg in ("zh", "en", "all"):
        sel = ok & ((table["lang"] == lg) if lg != "all" else True)
        nt, nc = int(sel.sum()), int((sel & table["coded"]).sum())
        rows.append({"lang": lg, "n_texts": nt, "n_coded": nc, "share": nc / nt if nt else np.nan})
    cov = pd.DataFrame(rows)
    share = float(cov["share"].iloc[-1])
    unc = table[ok & ~table["coded"]]
    terms = []
    for lg in ("zh", "en"):
        t = pd.Series(unc.loc[unc["lang"] == lg, "text"].to_numpy(), dtype=object)
        if t.empty:
            continue
        if lg == "zh":
            found = t.str.findall(f"(?=({_CJK}{{2}}))")
        else:
            found = t.str.lower().str.findall(r"[a-z][a-z'’-]+")
        words = found.explode().dropna()
        if lg == "en":
            words = words[~words.isin(_EN_STOP) & (words.str.len() > 2)]
        ex = words.reset_index().drop_duplicates()
        vc = ex[ex.columns[-1]].value_counts().head(top_terms)
        terms.append(
            pd.DataFrame(
                {
                    "lang": lg,
                    "term": vc.index.to_numpy(),
                    "n_docs": vc.to_numpy(),
                    "share_docs": vc.to_numpy() / len(t),
                    "rank": np.arange(1, len(vc) + 1),
                }
            )
        )
    terms_df = (
        pd.concat(terms, ignore_index=True)
        if terms
        else pd.DataFrame(columns=["lang", "term", "n_docs", "share_docs", "rank"])
    )
    nch = unc["text"].str.len() if len(unc) else pd.Series(dtype=float)
    longest = (
        unc.assign(n_chars=nch)
        .sort_values("n_chars", ascending=False, kind="stable")
        .head(n_longest)[["id", "lang", "n_chars", "text"]]
        .reset_index(drop=True)
    )
    n_used = int(ok.sum())
    return Coverage(
        table=cov,
        share=share,
        terms=terms_df,
        longest=longest,
        n_used=n_used,
        n_excluded=len(table) - n_used,
        notes=tuple(notes),
    )
