"""Progress bars for long loops (bootstraps, cross-validation, greedy selection): one rule for
every ``progress=`` option of needlab.

``progress=None`` (the default everywhere) shows a bar only when standard error is a terminal
and Python is not running inside a Jupyter / IPython kernel, so executed notebooks (and the
nbval outputs checked against them), pipes, log files and test runs stay free of bar text.
``progress=True`` always shows one (plain text on standard error, also in a notebook: no
ipywidgets needed); ``progress=False`` never does. tqdm's own ``TQDM_DISABLE=1`` environment
variable also silences every bar.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

__all__ = ["in_kernel", "progress_bar", "show_progress"]

T = TypeVar("T")


def in_kernel() -> bool:
    """Whether Python runs inside a Jupyter / IPython kernel (a notebook, nbval, papermill)."""
    if "ipykernel" not in sys.modules:
        return False
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - ipykernel without IPython does not exist
        return True
    shell = get_ipython()
    return shell is None or type(shell).__name__ != "TerminalInteractiveShell"


def show_progress(progress: bool | None) -> bool:
    """Resolve a ``progress=`` option: ``None`` -> on only in a terminal outside a kernel.

    Raises
    ------
    ConfigError
        *progress* is not True, False or None.

    Examples
    --------
    >>> show_progress(False), show_progress(True)
    (False, True)
    """
    if progress is None:
        try:
            tty = bool(sys.stderr is not None and sys.stderr.isatty())
        except (AttributeError, ValueError):  # a closed or replaced stream
            tty = False
        return tty and not in_kernel()
    if isinstance(progress, bool):
        return progress
    import numpy as np

    if isinstance(progress, np.bool_):
        return bool(progress)
    from needlab.errors import ConfigError

    raise ConfigError(
        f"progress={progress!r} is not valid; pass True (always show a progress bar), False "
        "(never) or None (only in a terminal, never in a notebook)."
    )


def progress_bar(
    iterable: Iterable[T],
    *,
    progress: bool | None,
    desc: str,
    total: int | None = None,
    unit: str = "it",
) -> Iterator[T]:
    """*iterable*, wrapped in a tqdm text bar on standard error when :func:`show_progress` says
    so (the bar closes when the loop ends or breaks)."""
    if not show_progress(progress):
        yield from iterable
        return
    from tqdm import tqdm

    kwargs: dict[str, Any] = {"desc": desc, "unit": unit, "leave": False, "file": sys.stderr}
    if total is not None:
        kwargs["total"] = total
    bar = tqdm(iterable, **kwargs)
    try:
        yield from bar
    finally:
        bar.close()
