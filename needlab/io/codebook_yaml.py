"""Reading and writing codebook YAML files (``docs/codebook.md``).

Only ``yaml.safe_load`` / ``yaml.safe_dump`` are used: a codebook file cannot run code. These
functions move plain mappings; :meth:`needlab.io.codebook.Codebook.from_yaml` and
:meth:`~needlab.io.codebook.Codebook.to_yaml` turn them into a :class:`Codebook` and back.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from needlab.errors import ConfigError

__all__ = ["read_yaml", "write_yaml"]


def read_yaml(path: str | Path) -> Any:
    """The content of a YAML file (``yaml.safe_load``), read as UTF-8 (a byte-order mark is fine).

    Parameters
    ----------
    path : str or Path
        The ``.yaml`` / ``.yml`` file.

    Returns
    -------
    object
        What the file holds (a mapping for a codebook).

    Raises
    ------
    ConfigError
        The file is missing, is not UTF-8 or is not valid YAML; the message names the file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "cb.yaml"
    >>> _ = p.write_text("columns: {a: {type: single}}", encoding="utf-8")
    >>> read_yaml(p)
    {'columns': {'a': {'type': 'single'}}}
    """
    import yaml

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(f"codebook file not found: {path}; check the path.") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"codebook {path}: not UTF-8 text (byte {exc.start}); save it as UTF-8."
        ) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"codebook {path}: not valid YAML: {exc}") from None


def write_yaml(d: Mapping[str, Any], path: str | Path) -> Path:
    """Write the mapping *d* to a YAML file (UTF-8, Chinese kept readable, keys in order).

    Parameters
    ----------
    d : mapping
        Plain types only (what :meth:`Codebook.to_dict` returns).
    path : str or Path
        Target file.

    Returns
    -------
    Path
        The path written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = write_yaml({"b": 1, "a": "满意"}, pathlib.Path(tempfile.mkdtemp()) / "x.yaml")
    >>> p.read_text(encoding="utf-8")
    'b: 1\\na: 满意\\n'
    """
    import yaml

    path = Path(path)
    path.write_text(
        yaml.safe_dump(dict(d), allow_unicode=True, sort_keys=False, default_flow_style=False),
        encoding="utf-8",
    )
    return path
