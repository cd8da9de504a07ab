"""Griffe extension for the documentation build: Sphinx roles in docstrings become code spans.

The docstrings are numpydoc, which cross-references with Sphinx roles (``:class:`~needlab.Survey```,
``:func:`needlab.tables.multi.multi```). Markdown has no roles, so they would show literally; this
turns each into inline code (``~`` keeps the last dotted part, as in Sphinx). Loaded by
``mkdocs.yml``; it changes only the rendered page, never the source.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(
    r":(?:py:)?(?:class|func|meth|attr|mod|data|obj|exc|const|term|ref):`(~?)([^`]+)`"
)


def _code(match: re.Match[str]) -> str:
    tilde, target = match.groups()
    target = target.strip()
    if "<" in target and target.endswith(">"):  # :ref:`text <target>` -> text
        return target.split("<", 1)[0].strip()
    return f"`{target.rsplit('.', 1)[-1] if tilde else target}`"


class RstRoles(griffe.Extension):
    """Rewrite Sphinx roles in every docstring as Markdown code spans."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = _ROLE.sub(_code, obj.docstring.value)
