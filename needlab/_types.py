"""Type aliases shared by every public signature (see ``docs/conventions.md``).

One alias per role, so that a reader (and ``tests/test_api_conventions.py``) sees the same type
for the same role everywhere.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Literal, TypeAlias

import numpy as np
import pandas as pd

__all__ = ["Lang", "RandomState", "TextLang", "Weights"]

Weights: TypeAlias = Hashable | Sequence[float] | np.ndarray | pd.Series | None
"""Survey weights: a column name, one weight per row, ``None`` (the Survey's weight column when
``data`` is a :class:`~needlab.Survey`, else unweighted) or ``False`` (unweighted even on a
weighted Survey; ``False`` is a :class:`~collections.abc.Hashable`)."""

RandomState: TypeAlias = int | np.random.Generator | None
"""Seed or generator for reproducible randomness; ``None`` draws fresh entropy."""

Lang: TypeAlias = Literal["en", "zh"]
"""Language of output labels (table headers, categories, plot labels)."""

TextLang: TypeAlias = Literal["auto", "zh", "en"] | Hashable
"""Language of input text: ``"auto"`` (detected per text), ``"zh"``, ``"en"`` or the name of a
column holding ``"zh"``/``"en"`` per row."""
