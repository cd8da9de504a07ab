"""Column letters of significance-tested tables (crosstabs, column means, banners)."""

from __future__ import annotations

import string

__all__ = ["column_letters"]


def column_letters(k: int, start: int = 0) -> list[str]:
    """Column letters A..Z, then AA, AB, ... (SPSS style), starting at position ``start``.

    Examples
    --------
    >>> column_letters(3), column_letters(2, start=26)
    (['A', 'B', 'C'], ['AA', 'AB'])
    """
    abc = string.ascii_uppercase
    return [abc[i] if i < 26 else abc[i // 26 - 1] + abc[i % 26] for i in range(start, start + k)]
