"""Small pieces shared by the segment estimators (:class:`~needlab.segment.cluster.Segmenter`,
:class:`~needlab.segment.typing_tool.TypingTool`, :class:`~needlab.segment.clv.BetaGeo`,
:class:`~needlab.segment.clv.GammaGamma`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from needlab._types import RandomState

__all__ = ["check_fitted", "seed_of"]


def check_fitted(estimator: Any, attribute: str) -> None:
    """Raise :class:`needlab.errors.NotFittedError` unless *estimator* has *attribute*.

    The error subclasses scikit-learn's ``NotFittedError`` and :class:`~needlab.errors.NeedlabError`.
    """
    from needlab.errors import NotFittedError  # created on first use (imports scikit-learn)

    if not hasattr(estimator, attribute):
        raise NotFittedError(
            f"this {type(estimator).__name__} is not fitted yet; call fit() before using it."
        )


def seed_of(random_state: RandomState) -> int | None:
    """An integer seed (or None) for scikit-learn functions from a needlab ``random_state``."""
    if random_state is None or isinstance(random_state, (int, np.integer)):
        return None if random_state is None else int(random_state)
    return int(np.random.default_rng(random_state).integers(2**31 - 1))
