"""The fast polarity path gives exactly the output of the previous one (issue 14, speed).

Before, :func:`needlab.painpoints.polarity.mention_polarity` labelled its clauses with the public
:func:`~needlab.painpoints.sentiment.sentiment` (a language-detection pass and a result table per
call); now it calls the internal scorer :func:`~needlab.painpoints.sentiment._lexicon_labels`,
which ``sentiment`` itself uses. :func:`_labels_previous` is the previous implementation, kept
here verbatim as the reference; the fixture texts of ``test_taxonomy_fixtures.py`` and
``test_polarity.py`` must give identical mentions (polarity, cue, clause, spans) either way.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pytest

from needlab.painpoints import polarity as polarity_mod
from needlab.painpoints.coding import code_text
from needlab.painpoints.sentiment import _lexicon_labels, sentiment
from needlab.painpoints.taxonomy import Taxonomy
from needlab.painpoints.texts import text_langs
from tests.painpoints.test_polarity import NO_PAIN, PAIN, PAIRS, TX
from tests.painpoints.test_taxonomy_fixtures import (
    BEAUTY,
    CORE,
    DEFAULT,
    GUARDED,
    GUARDED_KEPT,
    PACKS,
)


def _labels_previous(strings: Sequence[str], lang: str) -> dict[str, str]:
    """The labelling of mention_polarity before the fast path (public sentiment())."""
    uniq = list(dict.fromkeys(s for s in strings if s.strip()))
    if not uniq:
        return {}
    lab = sentiment(uniq, text_lang=lang).table["label"].tolist()
    return {
        s: (str(v) if isinstance(v, str) else "neutral") for s, v in zip(uniq, lab, strict=True)
    }


def _fixture_sets() -> list[tuple[Taxonomy, list[str]]]:
    by_domains: dict[tuple[str, ...] | None, list[str]] = {(): [t for t, _ in CORE]}
    for d, t, _ in PACKS:
        by_domains.setdefault(d, []).append(t)
    by_domains.setdefault(("beauty",), []).extend(t for t, _ in BEAUTY)
    by_domains[None] = [t for t, _ in DEFAULT]
    for d, t, _ in GUARDED + GUARDED_KEPT:
        by_domains.setdefault(d, []).append(t)
    sets = [
        (Taxonomy.default(domains=None if d is None else list(d)), texts)
        for d, texts in by_domains.items()
    ]
    polarity_texts = [t for t, _, _ in PAIRS] + list(NO_PAIN) + [t for t, _ in PAIN]
    sets.append((TX, polarity_texts))
    sets.append((Taxonomy.default(), polarity_texts))
    return sets


def test_fixtures_cover_many_mentions() -> None:
    n = sum(len(code_text(texts, taxonomy=tx).mentions) for tx, texts in _fixture_sets())
    assert n >= 400


def test_fast_path_gives_the_previous_mentions(monkeypatch: pytest.MonkeyPatch) -> None:
    sets = _fixture_sets()
    fast = [code_text(texts, taxonomy=tx) for tx, texts in sets]
    monkeypatch.setattr(polarity_mod, "_labels", _labels_previous)
    before = [code_text(texts, taxonomy=tx) for tx, texts in sets]
    n_praise = 0
    for a, b in zip(fast, before, strict=True):
        pd.testing.assert_frame_equal(a.mentions, b.mentions)
        pd.testing.assert_frame_equal(a.table, b.table)
        n_praise += int((a.mentions["polarity"] == "praise").sum())
    assert n_praise >= 10  # both polarities are exercised


def test_internal_scorer_labels_equal_sentiment_labels() -> None:
    """_lexicon_labels == sentiment(text_lang=lang).label on whole texts, clauses, edge cases."""
    texts = [t for t, _ in CORE + BEAUTY + DEFAULT] + [t for _, t, _ in PACKS]
    texts += [t for t, _, _ in PAIRS] + list(NO_PAIN) + [t for t, _ in PAIN]
    clauses = [c for t in texts for c in polarity_mod._SPLIT["zh"].split(t) if c.strip()]
    edge = ["not good\x00at all", "很好\x07", "送餐员态度很好 but the app crashed", "ok ok"]
    for lang in ("zh", "en"):
        strings = list(dict.fromkeys(texts + clauses + edge))
        want = sentiment(strings, text_lang=lang).table["label"].tolist()
        assert _lexicon_labels(strings, lang) == want
    assert _lexicon_labels([], "en") == []
    assert _lexicon_labels([" "], "en") == ["neutral"]  # sentiment: no label, read as neutral


def test_text_langs_given_language_skips_detection_same_answer() -> None:
    from needlab._i18n import detect_lang

    vals = pd.Series(["很好", "good", "", "  ", None, 3, np.nan, "\u3000", "x"], dtype=object)
    for lang in ("zh", "en"):
        auto = detect_lang(vals)
        want = np.where(auto == "", "", lang).astype(object)
        assert text_langs(vals, lang, None).tolist() == want.tolist()
