"""The one YAML reader of needlab: safe (no object construction) and strict about duplicate keys.

PyYAML's ``safe_load`` keeps the *last* of two equal keys of a mapping without a word, so a
codebook that declares ``sat`` twice, or a plan with two ``goals:`` blocks, silently loses the
first entry. :func:`load_yaml` refuses them instead, naming the key and both lines. Every YAML
file needlab reads (codebooks, taxonomies, the sample's ``codebook.yaml`` and ``plan.yaml``) goes
through it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

__all__ = ["load_yaml"]

_MERGE = "tag:yaml.org,2002:merge"


@lru_cache(maxsize=4)
def _strict_loader(base: type) -> type:
    import yaml

    class StrictLoader(base):
        """*base* (a safe loader) refusing duplicate mapping keys."""

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            if isinstance(node, yaml.MappingNode):
                # Only keys written in this mapping count: a key given after a merge (``<<:``)
                # overrides the merged one, as YAML intends.
                seen: dict[Any, Any] = {}
                for key_node, _ in node.value:
                    if key_node.tag == _MERGE:
                        continue
                    key = self.construct_object(key_node, deep=True)
                    try:
                        first = seen.get(key)
                    except TypeError:  # an unhashable key: the base loader reports it
                        continue
                    if first is not None:
                        raise yaml.constructor.ConstructorError(
                            f"duplicate key {key!r} at line {key_node.start_mark.line + 1} "
                            f"(first at line {first.start_mark.line + 1}); keep one entry",
                            None,
                            None,
                            None,
                        )
                    seen[key] = key_node
            return super().construct_mapping(node, deep=deep)

    return StrictLoader


def load_yaml(text: str | bytes, *, Loader: type | None = None) -> Any:  # noqa: N803
    """Parse YAML *text* with a safe loader that refuses duplicate mapping keys.

    Parameters
    ----------
    text : str or bytes
        The YAML document.
    Loader : type, optional
        A safe PyYAML loader to extend (``yaml.SafeLoader`` or ``yaml.CSafeLoader``); by
        default the C loader when PyYAML has it, else the pure Python one. Unsafe loaders
        are refused.

    Returns
    -------
    object
        What the document holds (``None`` for an empty document).

    Raises
    ------
    yaml.YAMLError
        Invalid YAML, or a mapping repeating a key: the message names the key and the lines
        of both entries (the error is a ``yaml.constructor.ConstructorError``, so callers
        that catch ``yaml.YAMLError`` report it with the file name).
    ValueError
        *Loader* is not a safe loader.

    Examples
    --------
    >>> load_yaml("a: 1\\nb: [x, y]")
    {'a': 1, 'b': ['x', 'y']}
    >>> load_yaml("sat: 1\\nage: 2\\nsat: 3")
    Traceback (most recent call last):
    ...
    yaml.constructor.ConstructorError: duplicate key 'sat' at line 3 (first at line 1); keep one entry
    """
    import yaml

    if Loader is None:
        Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # noqa: N806
    if not issubclass(Loader, yaml.constructor.SafeConstructor) or issubclass(
        Loader, yaml.constructor.FullConstructor
    ):
        raise ValueError(f"load_yaml needs a safe loader, got {Loader.__name__}.")
    return yaml.load(text, Loader=_strict_loader(Loader))  # noqa: S506
