"""The Result base class shared by every analysis.

An analysis returns a frozen dataclass that subclasses :class:`Result`. ``.table`` is the tidy
DataFrame a user pastes into a report; further fields carry statistics. ``_repr_html_`` shows
the title, key figures, notes and the table in Jupyter; it is deterministic (no dates, times or
random ids) so notebook outputs can be checked by nbval. ``plot(ax=None)`` returns the Axes and
lives in each domain's ``plot.py``: computation stays apart from drawing.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

__all__ = ["Result"]


@dataclass(frozen=True, repr=False)
class Result:
    """Base of all needlab results.

    Subclasses are declared ``@dataclass(frozen=True, repr=False)`` so that they keep the
    readable text view of this base (title, key figures, notes, table) instead of the
    generated field-by-field repr.

    Attributes
    ----------
    table : DataFrame
        The tidy main table.
    n_used : int
        Input rows (the unit each function documents: respondents, texts, transactions,
        customers, baskets) that entered the computation.
    n_excluded : int
        Input rows left out (missing values, zero or missing weights, invalid values); each
        reason is in :attr:`notes`. ``n_used + n_excluded`` is the number of rows given.
    notes : tuple of str
        Human-readable notes: rows excluded and why, small cells, warnings.
    """

    table: pd.DataFrame
    n_used: int = field(kw_only=True)
    n_excluded: int = field(kw_only=True)
    notes: tuple[str, ...] = field(default=(), kw_only=True)

    #: Title shown in the HTML view; subclasses override.
    title = "Result"

    def summary(self) -> dict[str, Any]:
        """Key figures of the result (subclasses override); the views show them after the counts."""
        return {}

    def _figures(self) -> dict[str, Any]:
        return {"n_used": self.n_used, "n_excluded": self.n_excluded, **self.summary()}

    def tables(self) -> dict[str, pd.DataFrame]:
        """All tables of the result by name, for :meth:`to_excel` (subclasses add theirs)."""
        return {"table": self.table}

    def display(self) -> pd.DataFrame:
        """The table as shown in Jupyter and printed (subclasses may format it)."""
        return self.table

    def plot(self, ax: Axes | None = None, **kwargs: Any) -> Axes:
        """Draw the result; subclasses implement it."""
        raise NotImplementedError(f"{type(self).__name__} has no plot.")

    def to_excel(self, path: str | Path) -> Path:
        """Write :meth:`tables` to an .xlsx file, one sheet each, formulas neutralised."""
        from needlab.io.export import to_excel

        return to_excel(self.tables(), path)

    def _repr_html_(self) -> str:
        parts = [f"<h4>{html.escape(self.title)}</h4>"]
        figures = self._figures()
        if figures:
            items = "".join(
                f"<li><b>{html.escape(str(k))}</b>: {html.escape(_fmt(v))}</li>"
                for k, v in figures.items()
            )
            parts.append(f"<ul>{items}</ul>")
        if self.notes:
            parts.append("<p>" + "<br>".join(html.escape(n) for n in self.notes) + "</p>")
        # DataFrame.to_html escapes cell text by default.
        parts.append(
            self.display().to_html(max_rows=60, float_format=lambda x: f"{x:.4g}", escape=True)
        )
        return "\n".join(parts)

    def __repr__(self) -> str:
        lines = [self.title]
        lines += [f"  {k}: {_fmt(v)}" for k, v in self._figures().items()]
        lines += [f"  note: {n}" for n in self.notes]
        lines.append(self.display().to_string(max_rows=30))
        return "\n".join(lines)


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)
