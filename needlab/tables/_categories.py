"""Turning a column into integer category codes, keeping a meaningful order."""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
import pandas as pd

from needlab._validate import preview
from needlab.errors import DataError

__all__ = ["category_codes"]


def category_codes(data: pd.DataFrame, column: Hashable) -> tuple[np.ndarray, pd.Index]:
    """Integer codes (``-1`` = missing) and the category levels of a column.

    A pandas Categorical keeps its category order, unused categories included (they become
    empty rows or columns of a table). Other columns are sorted by value. A column mixing
    numbers and text is an error, since its order would be arbitrary.

    Raises
    ------
    DataError
        The column mixes types (for example ``1`` and ``"1"``).

    Examples
    --------
    >>> codes, levels = category_codes(pd.DataFrame({"x": ["b", "a", None, "b"]}), "x")
    >>> codes.tolist(), list(levels)
    ([1, 0, -1, 1], ['a', 'b'])
    """
    s = data[column]
    if isinstance(s.dtype, pd.CategoricalDtype):
        return s.cat.codes.to_numpy().astype(np.int64), pd.Index(s.cat.categories)
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    kinds = {type(u).__name__ for u in uniques}
    numeric = {"int", "float", "int64", "float64", "int32", "float32", "bool", "bool_"}
    if len(kinds) > 1 and not kinds <= numeric:
        examples = [f"{u!r} ({type(u).__name__})" for u in uniques[:8]]
        raise DataError(
            f"column {column!r} mixes types {sorted(kinds)}: {preview(examples)}. Convert it to "
            "one type (e.g. data[col].astype(str)) or to a pandas Categorical with the order "
            "you want."
        )
    order = np.argsort(np.asarray(uniques), kind="stable")
    remap = np.empty(len(uniques), dtype=np.int64)
    remap[order] = np.arange(len(uniques))
    out = np.where(codes >= 0, remap[np.maximum(codes, 0)] if len(uniques) else -1, -1)
    return out.astype(np.int64), pd.Index(np.asarray(uniques)[order])
