"""What the table functions share about their ``data``: answer labels of a Survey where shown."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

import pandas as pd

from needlab._validate import Design

__all__ = ["with_labels"]


def with_labels(data: Any, design: Design, columns: Iterable[Hashable | None]) -> pd.DataFrame:
    """The rows of *design*, with *columns* taken from the labelled answers when *data* is a Survey.

    Numeric analyses take a Survey's codes (``as_design(..., labels=False)``); the groups or
    banner columns that they show should still read as labels ("North", not 1). A DataFrame
    is returned as it is.

    Examples
    --------
    >>> from needlab._validate import as_design
    >>> df = pd.DataFrame({"q": [1, 2]})
    >>> with_labels(df, as_design(df), ["q"]) is df
    True
    """
    from needlab.io.read import Survey

    if not isinstance(data, Survey):
        return design.data
    cols = [c for c in columns if c is not None and c in design.data.columns]
    if not cols:
        return design.data
    labelled = data.labelled()
    out = design.data.copy()
    for c in cols:
        out[c] = labelled[c]
    return out
