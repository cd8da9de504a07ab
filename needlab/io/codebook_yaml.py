"""Reading and writing codebook YAML files (``docs/codebook.md``).

Files are read with :func:`needlab._yaml.load_yaml` (a safe loader that also refuses duplicate
keys) and written with ``yaml.safe_dump``: a codebook file cannot run code. These
functions move plain mappings; :meth:`needlab.io.codebook.Codebook.from_yaml` and
:meth:`~needlab.io.codebook.Codebook.to_yaml` turn them into a :class:`Codebook` and back.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from needlab._yaml import load_yaml
from needlab.errors import ConfigError

__all__ = ["read_yaml", "write_yaml"]


def read_yaml(path: str | Path) -> Any:
    """The content of a YAML file (safe loader, duplicate keys refused), read as UTF-8.

    A byte-order mark is fine.

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
        The file is missing, is not UTF-8, is not valid YAML or repeats a key in one mapping
        (a column declared twice); the message names the file, the key and the lines.

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
    except OSError as exc:  # a folder, no permission, ...
        raise ConfigError(
            f"codebook {path}: cannot be read ({exc.strerror or exc}); pass the path of the "
            "codebook .yaml file."
        ) from None
    try:
        return load_yaml(text)
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

    Raises
    ------
    ConfigError
        The folder of *path* does not exist (create it first) or cannot be written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = write_yaml({"b": 1, "a": "满意"}, pathlib.Path(tempfile.mkdtemp()) / "x.yaml")
    >>> p.read_text(encoding="utf-8")
    'b: 1\\na: 满意\\n'
    """
    import yaml

    path = Path(path)
    if not path.parent.is_dir():
        raise ConfigError(
            f"cannot write {path.name!r}: the folder {str(path.parent)!r} does not exist; "
            "create it first (e.g. Path(folder).mkdir(parents=True))."
        )
    text = yaml.safe_dump(dict(d), allow_unicode=True, sort_keys=False, default_flow_style=False)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot write {str(path)!r}: {exc.strerror or exc}.") from None
    return path
