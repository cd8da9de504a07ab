"""Personas: one card per segment, built from its profile (客户画像).

A card names the segment after its most distinctive significant traits, gives its size, its key
facts (the traits with the largest significant indices, value vs total) and, when given, its
top needs and top pain points. The HTML and Markdown views escape every piece of user text.
"""

from __future__ import annotations

import html
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from needlab._result import Result
from needlab._types import Lang
from needlab._validate import check_frame, check_option
from needlab.errors import ConfigError, SchemaError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

    from needlab.segment.profile import ProfileResult

__all__ = ["PersonaResult", "personas"]

_TEXT = {
    "en": {
        "title": "Personas",
        "segment": "Segment",
        "size": "Size",
        "facts": "Key facts",
        "needs": "Top needs",
        "pains": "Top pain points",
        "none": "no significant trait",
        "high": "high {}",
        "low": "low {}",
        "no": "not {}",
        "index": "index",
        "vs": "vs",
    },
    "zh": {
        "title": "客户画像",
        "segment": "细分",
        "size": "规模",
        "facts": "关键特征",
        "needs": "主要需求",
        "pains": "主要痛点",
        "none": "无显著特征",
        "high": "{}高",
        "low": "{}低",
        "no": "非{}",
        "index": "指数",
        "vs": "对比总体",
    },
}
_LABEL_COLS = ("label", "need", "feature", "name", "code", "item", "pain")
_SCORE_COLS = ("score", "better", "share", "rate", "importance", "value")
SEP = "; "


@dataclass(frozen=True, repr=False)
class PersonaResult(Result):
    """Result of :func:`personas`.

    ``n_used`` and ``n_excluded`` are those of the profile the cards are built from: rows
    (respondents or customers) with a segment, and rows without one (the profile's notes are
    repeated here).

    Attributes
    ----------
    table : DataFrame
        One row per segment (columns described in :func:`personas`).
    cards : tuple of dict
        The same content as lists, one dict per segment with keys ``segment``, ``name``,
        ``size``, ``share``, ``traits``, ``needs``, ``pains``.
    traits : DataFrame
        The traits shown on the cards, one row each, in card order: ``segment``, ``label``,
        ``value``, ``total``, ``index``, ``share`` (the share of the segment holding a
        categorical level, NaN for numeric traits) and ``mark`` (``"+"``/``"-"``).
    lang : str
        Language of the headings.
    """

    cards: tuple[dict[str, Any], ...] = ()
    traits: pd.DataFrame = field(default_factory=pd.DataFrame)
    lang: str = "en"

    @property
    def title(self) -> str:  # type: ignore[override]
        return _TEXT[self.lang]["title"]

    def summary(self) -> dict[str, Any]:
        return {"segments": len(self.cards)}

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"personas": self.table, "traits": self.traits}

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Persona cards in one chart: per persona a heading with its name and size, and bars
        of the index (100 = total) of its top traits
        (:func:`needlab.segment.plot.persona_cards`)."""
        from needlab.segment.plot import persona_cards

        return persona_cards(self, ax=ax, **kwargs)

    def to_markdown(self) -> str:
        """The cards as Markdown (user text HTML-escaped, so it renders as plain text)."""
        t = _TEXT[self.lang]
        e = html.escape
        out: list[str] = []
        for c in self.cards:
            out.append(f"### {e(c['name'])}")
            out.append(
                f"*{t['segment']} {e(str(c['segment']))} · {t['size']}: n = {c['size']} "
                f"({c['share'] * 100:.1f}%)*"
            )
            for key in ("traits", "needs", "pains"):
                if c[key]:
                    head = t["facts"] if key == "traits" else t[key]
                    out.append(f"\n**{head}**\n")
                    out += [f"- {e(x)}" for x in c[key]]
            out.append("")
        return "\n".join(out)

    def _repr_html_(self) -> str:
        t = _TEXT[self.lang]
        e = html.escape
        cards = []
        for c in self.cards:
            body = [
                f"<h4 style='margin:0 0 4px 0'>{e(c['name'])}</h4>",
                f"<div style='color:#555'>{e(t['segment'])} {e(str(c['segment']))} · "
                f"{e(t['size'])}: n = {c['size']} ({c['share'] * 100:.1f}%)</div>",
            ]
            for key in ("traits", "needs", "pains"):
                if c[key]:
                    head = t["facts"] if key == "traits" else t[key]
                    items = "".join(f"<li>{e(x)}</li>" for x in c[key])
                    body.append(f"<b>{e(head)}</b><ul style='margin:2px 0'>{items}</ul>")
            cards.append(
                "<div style='border:1px solid #ccc;border-radius:6px;padding:8px;margin:4px;"
                "width:300px;display:inline-block;vertical-align:top'>" + "".join(body) + "</div>"
            )
        figures = "".join(
            f"<li><b>{e(str(k))}</b>: {e(str(v))}</li>" for k, v in self._figures().items()
        )
        notes = ("<p>" + "<br>".join(e(n) for n in self.notes) + "</p>") if self.notes else ""
        return f"<h4>{e(self.title)}</h4><ul>{figures}</ul>{notes}<div>{''.join(cards)}</div>"


def _pick(frame: pd.DataFrame, options: tuple[str, ...], what: str, arg: str) -> str:
    for c in options:
        if c in frame.columns:
            return c
    raise SchemaError(
        f"{arg} needs a {what} column named one of {list(options)}; it has "
        f"{[str(c) for c in frame.columns]}. Rename the column."
    )


def _ranked(
    frame: pd.DataFrame | Result | None,
    arg: str,
    seg_col: str,
    top: int,
    percent: bool,
    notes: list[str],
) -> dict[str, list[str]]:
    """Top *top* labels per segment (keyed by ``str(segment)``) with their scores."""
    if frame is None:
        return {}
    if isinstance(frame, Result):  # e.g. pain_matrix(..., by=...) or a Kano comparison
        frame = frame.table
    frame = check_frame(frame, name=arg)
    seg = "segment" if "segment" in frame.columns else seg_col if seg_col in frame.columns else None
    if seg is None:
        raise SchemaError(
            f"{arg} needs a 'segment' column (or {seg_col!r}); it has "
            f"{[str(c) for c in frame.columns]}."
        )
    label = _pick(frame, _LABEL_COLS, "label", arg)
    score = _pick(frame, _SCORE_COLS, "score", arg)
    f = pd.DataFrame(
        {
            "s": frame[seg].astype(object),
            "l": frame[label].astype(object),
            "v": pd.to_numeric(frame[score], errors="coerce"),
        }
    )
    bad = f.isna().any(axis=1)
    if bad.any():
        notes.append(
            f"{arg}: {int(bad.sum())} rows with a missing segment, {label!r} or {score!r} "
            "(or a non-numeric score) ignored."
        )
        f = f[~bad]
    f["s"], f["l"] = f["s"].map(str), f["l"].map(str)
    f = f.sort_values(["s", "v"], ascending=[True, False], kind="stable").groupby("s").head(top)
    pct = percent and bool(((f["v"] >= 0) & (f["v"] <= 1)).all())
    text = (
        f["l"]
        + " ("
        + (f["v"].map(lambda v: f"{v * 100:.0f}%") if pct else f["v"].map(lambda v: f"{v:.2f}"))
        + ")"
    )
    return {k: v.tolist() for k, v in text.groupby(f["s"], sort=False)}


def _fmt(value: float, share: bool) -> str:
    """A share in percent; a mean with 3 significant digits, or whole with thousands separators
    from 100 on (never scientific notation: a mean spend of 2798.3 reads 2,798, not 2.8e+03)."""
    if not np.isfinite(value):
        return "-"
    if share:
        return f"{value * 100:.0f}%"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def personas(
    data: ProfileResult,
    *,
    top: int = 5,
    lang: Lang = "en",
    needs: pd.DataFrame | Result | None = None,
    pains: pd.DataFrame | Result | None = None,
    names: Mapping[Hashable, str] | None = None,
    labels: Mapping[str, str] | None = None,
    name_traits: int = 3,
    min_share: float = 0.3,
) -> PersonaResult:
    """Build a persona card per segment from a segment profile.

    Traits are the significant cells of the profile (``mark`` ``"+"`` or ``"-"``, so the
    multiple-testing adjustment of :func:`~needlab.segment.profile.profile` applies):
    over-represented levels of categorical variables (``"+"`` only) and numeric variables
    significantly above or below the rest (``"high age"`` / ``"low age"``). Traits are ranked by
    distinctiveness ``|log(index / 100)|`` (an index of 200 and one of 50 are equally
    distinctive), ties by adjusted p value.

    Parameters
    ----------
    data : ProfileResult
        The segment profile, from :func:`needlab.segment.profile.profile`.
    top : int
        Key facts, needs and pain points shown per card.
    lang : {"en", "zh"}
        Language of headings and generated words (``high``/``low``).
    needs : DataFrame or result, optional
        Needs by segment, long form (a result object stands for its ``.table``): a ``segment``
        column (or one named like the profile's segment column), a label column (the first of
        ``label``, ``need``, ``feature``, ``name``, ``code``, ``item``, ``pain``) and a score column (the first of ``score``,
        ``better``, ``share``, ``rate``, ``importance``, ``value``); e.g. a Kano
        ``by_segment`` table (``feature``, ``better``). The ``top`` highest scores per segment
        are shown.
    pains : DataFrame or result, optional
        Pain points by segment, in the same long form, e.g. ``pain_matrix(coded, by="segment")``
        (``segment``, ``name``, ``share``); shares in [0, 1] are shown in percent.
    names : mapping, optional
        Segment -> persona name, overriding the generated name.
    labels : mapping, optional
        Readable words for traits, used in names and facts: keys ``"variable = level"`` for a
        categorical level and ``"variable+"`` / ``"variable-"`` for a numeric variable above /
        below the rest, e.g. ``{"age-": "Young", "city_tier = 一线": "Tier-1"}``. Without a
        label a level reads as itself and a numeric trait as ``"high variable"``.
    name_traits : int
        Traits joined (with ``" · "``) into a generated name.
    min_share : float
        The smallest share of the segment a categorical level must hold to be used in a
        generated name (default 0.3): a name says what the segment *is*, so a level with a high
        index but a small share (8.6% of the segment are "Eco Plus", index 300) is shown as a
        key fact but does not name the segment. Numeric traits (``high age``) are always
        eligible.

    Returns
    -------
    PersonaResult
        ``table`` has one row per segment:

        - ``segment``: the segment.
        - ``name``: the persona name (from ``names``, else the top ``name_traits`` eligible
          traits (see *min_share*), else ``"Segment <segment>"``). Names are unique: when two
          segments would get the same name, each adds its next eligible trait, and names still
          equal get a number (``"… (1)"``, ``"… (2)"``).
        - ``size``: rows in the segment.
        - ``share``: weighted share of the profiled sample.
        - ``traits``: the top ``top`` traits as ``"label: value vs total (index N)"`` (shares
          in percent), separated by ``"; "``.
        - ``needs``: the top needs as ``"label (score)"``, separated by ``"; "`` (empty
          without ``needs``).
        - ``pains``: the top pain points, likewise.

        ``cards`` holds the same content as lists and ``traits`` the shown traits with their
        indices; :meth:`PersonaResult.to_markdown`, the HTML view and
        :meth:`PersonaResult.plot` render the cards. ``n_used``/``n_excluded`` are the
        profile's (rows with and without a segment).

    Raises
    ------
    ConfigError
        ``data`` is not a profile result, ``top`` < 1 or bad ``lang``.
    SchemaError
        ``needs`` or ``pains`` without a segment, label or score column.

    Examples
    --------
    >>> from needlab.segment.profile import profile
    >>> df = pd.DataFrame({"seg": ["a"] * 30 + ["b"] * 30,
    ...                    "age": [20 + i % 5 for i in range(30)] + [45 + i % 5 for i in range(30)],
    ...                    "city": ["big"] * 27 + ["small"] * 3 + ["small"] * 27 + ["big"] * 3})
    >>> cards = personas(profile(df, ["age", "city"], by="seg"), labels={"age-": "Young"})
    >>> cards.table["name"].tolist()
    ['big · Young', 'small · high age']
    """
    from needlab.segment.profile import ProfileResult

    if not isinstance(data, ProfileResult):
        raise ConfigError(f"personas needs the result of profile(), got {type(data).__name__}.")
    profile = data
    if not isinstance(top, (int, np.integer)) or isinstance(top, bool) or top < 1:
        raise ConfigError(f"top must be a positive integer, got {top!r}.")
    if not isinstance(name_traits, (int, np.integer)) or name_traits < 1:
        raise ConfigError(f"name_traits must be a positive integer, got {name_traits!r}.")
    if isinstance(min_share, bool) or not (
        isinstance(min_share, (int, float, np.integer, np.floating)) and 0 <= min_share <= 1
    ):
        raise ConfigError(f"min_share must be a number from 0 to 1, got {min_share!r}.")
    check_option(lang, ("en", "zh"), "lang")
    t = _TEXT[lang]
    labels = dict(labels or {})
    names = dict(names or {})

    tab = profile.table
    is_share = tab["kind"].eq("share").to_numpy()
    mark = tab["mark"].to_numpy(object)
    cand = tab[((mark == "+") & is_share) | ((mark != "") & ~is_share)].copy()
    share = cand["kind"].eq("share").to_numpy()
    var = cand["variable"].astype(object).map(str).to_numpy(object)
    lev = cand["level"].astype(object)
    key = np.where(
        share, var + " = " + lev.map(str).to_numpy(object), var + cand["mark"].to_numpy(object)
    )
    # a level text used by several variables (e.g. "yes") reads "variable = level"
    levels = tab.loc[is_share, ["variable", "level"]].astype(object).map(str).drop_duplicates()
    shared = set(levels["level"][levels["level"].duplicated()])
    default = np.where(
        share,
        [
            t["no"].format(v)
            if lv is False
            else v
            if lv is True
            else f"{v} = {lv}"
            if str(lv) in shared
            else str(lv)
            for v, lv in zip(var, lev, strict=True)
        ],  # one per significant cell
        [
            (t["high"] if m == "+" else t["low"]).format(v)
            for v, m in zip(var, cand["mark"], strict=True)
        ],
    )
    cand["label"] = pd.Series(
        [labels.get(k, str(d)) for k, d in zip(key, default, strict=True)],
        index=cand.index,
        dtype=object,
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        dist = np.abs(np.log(cand["index"].to_numpy(float) / 100))
    cand["dist"] = np.where(np.isfinite(dist), dist, 0.0)
    cand["fact"] = pd.Series(
        [
            f"{lab}: {_fmt(v, sh)} {t['vs']} {_fmt(tot, sh)} ({t['index']} "
            + (f"{ix:.0f}" if np.isfinite(ix) else "-")
            + ")"
            for lab, v, tot, ix, sh in zip(
                cand["label"],
                cand["value"].to_numpy(float),
                cand["total"].to_numpy(float),
                cand["index"].to_numpy(float),
                share,
                strict=True,
            )
        ],  # one per significant cell
        index=cand.index,
        dtype=object,
    )
    cand = cand.sort_values(["dist", "p_adj"], ascending=[False, True], kind="stable")
    cand["s"] = cand["segment"].astype(object).map(str)

    if profile.sizes is None:
        raise ConfigError("the profile has no segment sizes; build it with profile().")
    sizes = profile.sizes
    notes: list[str] = [f"profile: {n}" for n in profile.notes]
    need_map = _ranked(needs, "needs", profile.segment_name, top, False, notes)
    pain_map = _ranked(pains, "pains", profile.segment_name, top, True, notes)
    known = set(sizes["segment"].astype(object).map(str))
    for arg, m in (("needs", need_map), ("pains", pain_map)):
        extra = sorted(set(m) - known)
        if extra:
            notes.append(f"{arg}: segments not in the profile ignored: {', '.join(extra[:5])}.")

    cards = []
    shown = []
    by_seg = {s: g for s, g in cand.groupby("s", sort=False)}
    # traits that may name a segment: numeric ones, and levels held by >= min_share of it
    eligible: dict[Any, list[str]] = {}
    counts: dict[Any, int] = {}
    for seg in sizes["segment"]:
        g = by_seg.get(str(seg))
        if g is None:
            eligible[seg] = []
        else:
            ok = ~g["kind"].eq("share").to_numpy() | (
                g["value"].to_numpy(float) >= float(min_share) - 1e-12
            )
            eligible[seg] = pd.unique(g.loc[ok, "label"]).tolist()
            low = g.loc[~ok, "label"].head(name_traits).tolist()
            if low and not names.get(seg, names.get(str(seg))):
                notes.append(
                    f"segment {seg!r}: {', '.join(map(str, low))} not used in the name "
                    f"(held by less than {min_share:.0%} of the segment)."
                )
        counts[seg] = min(name_traits, len(eligible[seg]))
    fixed = {seg: names.get(seg, names.get(str(seg))) for seg in sizes["segment"]}

    def _name(seg: Any) -> str:
        if fixed[seg]:
            return str(fixed[seg])
        words = eligible[seg][: counts[seg]]
        return " · ".join(words) if words else f"{t['segment']} {seg}"

    # duplicates take their next eligible trait until unique or out of traits
    while True:
        current = {seg: _name(seg) for seg in sizes["segment"]}
        seen: dict[str, list[Any]] = {}
        for seg, nm in current.items():
            seen.setdefault(nm, []).append(seg)
        grew = False
        for group in seen.values():
            if len(group) > 1:
                for seg in group:
                    if not fixed[seg] and counts[seg] < len(eligible[seg]):
                        counts[seg] += 1
                        grew = True
        if not grew:
            break
    final = dict(current)
    for nm, group in seen.items():
        if len(group) > 1:
            for i, seg in enumerate(group, 1):
                final[seg] = f"{nm} ({i})"
            notes.append(
                f"{len(group)} segments share the name {nm!r} and no further trait tells them "
                "apart: numbered."
            )
    for seg, n, sh in zip(sizes["segment"], sizes["n"], sizes["share"], strict=True):
        g = by_seg.get(str(seg))
        traits = [] if g is None else g["fact"].head(top).tolist()
        if g is not None:
            shown.append(g.head(top).assign(segment=[seg] * min(top, len(g))))
        if g is None:
            notes.append(f"segment {seg!r}: {t['none']}.")
        cards.append(
            {
                "segment": seg,
                "name": final[seg],
                "size": int(n),
                "share": float(sh),
                "traits": traits,
                "needs": need_map.get(str(seg), []),
                "pains": pain_map.get(str(seg), []),
            }
        )
    table = pd.DataFrame(
        {
            "segment": [c["segment"] for c in cards],
            "name": [c["name"] for c in cards],
            "size": [c["size"] for c in cards],
            "share": [c["share"] for c in cards],
            "traits": [SEP.join(c["traits"]) for c in cards],
            "needs": [SEP.join(c["needs"]) for c in cards],
            "pains": [SEP.join(c["pains"]) for c in cards],
        }
    )
    trait_cols = ["segment", "label", "value", "total", "index", "share", "mark"]
    traits_table = (
        pd.concat(shown, ignore_index=True).assign(
            share=lambda d: d["value"].where(d["kind"].eq("share"))
        )[trait_cols]
        if shown
        else pd.DataFrame({c: pd.Series(dtype=object) for c in trait_cols})
    )
    return PersonaResult(
        table,
        notes=tuple(notes),
        cards=tuple(cards),
        traits=traits_table,
        lang=lang,
        n_used=profile.n_used,
        n_excluded=profile.n_excluded,
    )
