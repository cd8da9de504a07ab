"""Kano classification of needs: basic, expected, delight, indifferent, reverse, questionable."""

from needlab.kano.answers import LABEL_SETS, to_codes
from needlab.kano.classify import NEED_LABELS, KanoResult, kano
from needlab.kano.tables import CATEGORIES, evaluation_table

__all__ = [
    "CATEGORIES",
    "LABEL_SETS",
    "NEED_LABELS",
    "KanoResult",
    "evaluation_table",
    "kano",
    "to_codes",
]
