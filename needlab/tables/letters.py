"""Column letters of significance-tested tables (crosstabs, column means, banners)."""

from __future__ import annotations

import string

from needlab.errors import ConfigError

__all__ = ["MAX_LETTERS", "column_letters"]

MAX_LETTERS = 26 + 26 * 26
"""Columns that can carry a letter: A..Z, then AA..ZZ (702)."""


def column_letters(k: int, start: int = 0) -> list[str]:
    """Column letters A..Z, then AA, AB, ... (SPSS style), starting at position ``start``.

    Examples
    --------
    >>> column_letters(3), column_letters(2, start=26)
    (['A', 'B', 'C'], ['AA', 'AB'])

    Raises
    ------
    ConfigError
        More than :data:`MAX_LETTERS` (702) columns in all: the letters run out after ZZ.
    """
    if start + k > MAX_LETTERS:
        raise ConfigError(
            f"{start + k} columns need significance letters but only {MAX_LETTERS} exist (A..Z, "
            "AA..ZZ). Combine the column categories (e.g. the largest ones and 'other'), "
            "split the banner, or pass test=None for a table without letters."
        )
    abc = string.ascii_uppercase
    return [abc[i] if i < 26 else abc[i // 26 - 1] + abc[i % 26] for i in range(start, start + k)]
