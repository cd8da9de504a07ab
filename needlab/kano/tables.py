"""Kano evaluation tables: (functional answer, dysfunctional answer) -> category.

Categories: A attractive (delight), O one-dimensional (expected), M must-be (basic),
I indifferent, R reverse, Q questionable. Rows are the functional answer, columns the
dysfunctional answer, both in the order like, must-be, neutral, live-with, dislike.

``"standard"`` is the table of Kano et al. (1984) as printed by Berger et al. (1993, Fig. 4)::

                 like  must-be  neutral  live-with  dislike
    like           Q      A        A         A         O
    must-be        R      I        I         I         M
    neutral        R      I        I         I         M
    live-with      R      I        I         I         M
    dislike        R      R        R         R         Q

``"pouliot"`` (after Pouliot 1993) additionally reads the
contradictory pairs (must-be, must-be) and (live-with, live-with) as Q.
``"short3"`` is the three-answer form (like / neutral / dislike only; codes 1, 3, 5): the
standard table restricted to those rows and columns, where answers 2 and 4 are invalid.

References
----------
Kano, N., Seraku, N., Takahashi, F., & Tsuji, S. (1984). Attractive quality and must-be quality.
*Journal of the Japanese Society for Quality Control*, 14(2), 39-48.
Berger, C., et al. (1993). Kano's methods for understanding customer-defined quality.
*Center for Quality Management Journal*, 2(4), 3-36.
Pouliot, F. (1993). Theoretical issues of Kano's methods. *Center for Quality Management
Journal*, 2(4).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from needlab.errors import ConfigError

__all__ = ["CATEGORIES", "TABLES", "evaluation_table", "lookup_array"]

CATEGORIES = ("A", "O", "M", "I", "R", "Q")
ANSWERS = ("like", "must-be", "neutral", "live-with", "dislike")

_STANDARD = [
    "QAAAO",
    "RIIIM",
    "RIIIM",
    "RIIIM",
    "RRRRQ",
]
_POULIOT = [
    "QAAAO",
    "RQIIM",
    "RIIIM",
    "RIIQM",
    "RRRRQ",
]
TABLES: dict[str, list[str]] = {"standard": _STANDARD, "pouliot": _POULIOT, "short3": _STANDARD}
#: Answer codes allowed by each built-in table.
ALLOWED: dict[str, tuple[int, ...]] = {
    "standard": (1, 2, 3, 4, 5),
    "pouliot": (1, 2, 3, 4, 5),
    "short3": (1, 3, 5),
}


def evaluation_table(
    table: str | Sequence[Sequence[str]] | pd.DataFrame = "standard",
) -> pd.DataFrame:
    """Return a Kano evaluation table as a 5x5 DataFrame of category letters.

    Parameters
    ----------
    table : {"standard", "pouliot", "short3"} or 5x5 array-like of letters
        A built-in table, or a custom one (rows functional, columns dysfunctional, in the
        order like, must-be, neutral, live-with, dislike) using only the letters A, O, M, I, R, Q.

    Returns
    -------
    DataFrame
        Index ``functional`` and columns ``dysfunctional`` named by the five answers.

    Raises
    ------
    ConfigError
        An unknown name, a shape other than 5x5, or letters other than A, O, M, I, R, Q.

    Examples
    --------
    >>> evaluation_table().loc["like", "dislike"]
    'O'
    >>> evaluation_table("pouliot").loc["must-be", "must-be"]
    'Q'
    """
    if isinstance(table, str):
        if table not in TABLES:
            raise ConfigError(
                f"table={table!r} is not a built-in Kano evaluation table; choose one of "
                f"{sorted(TABLES)} or pass a 5x5 table of the letters A, O, M, I, R, Q."
            )
        rows = [list(r) for r in TABLES[table]]
    else:
        rows = [[str(x).strip().upper() for x in r] for r in np.asarray(table, dtype=object)]
    if len(rows) != 5 or any(len(r) != 5 for r in rows):
        shape = f"{len(rows)} rows of lengths {[len(r) for r in rows]}"
        raise ConfigError(
            f"a custom Kano evaluation table must be 5x5 (rows functional, columns "
            f"dysfunctional: like, must-be, neutral, live-with, dislike); got {shape}."
        )
    bad = sorted({x for r in rows for x in r} - set(CATEGORIES))
    if bad:
        raise ConfigError(
            f"the Kano evaluation table uses letters {bad}; only A, O, M, I, R, Q are allowed."
        )
    out = pd.DataFrame(
        rows,
        index=pd.Index(ANSWERS, name="functional"),
        columns=pd.Index(ANSWERS, name="dysfunctional"),
    )
    return out


def lookup_array(table: pd.DataFrame) -> np.ndarray:
    """The table as a 6x6 ``int8`` lookup indexed by answer codes (0 = missing -> -1).

    Category numbers follow :data:`CATEGORIES` (0 A, 1 O, 2 M, 3 I, 4 R, 5 Q).
    """
    lut = np.full((6, 6), -1, dtype=np.int8)
    index = {c: i for i, c in enumerate(CATEGORIES)}
    lut[1:, 1:] = np.vectorize(index.__getitem__)(table.to_numpy())
    return lut
