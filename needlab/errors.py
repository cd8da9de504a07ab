"""Exceptions raised by needlab.

Every error a user can trigger with bad input is a :class:`NeedlabError`, which subclasses
:class:`ValueError` so that generic ``except ValueError`` handlers keep working. Messages name
the column (or file, or option), show a few offending values and say how to fix the problem.
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "DataError",
    "NeedlabError",
    "NeedlabWarning",
    "NotFittedError",  # noqa: F822 (created on first use by __getattr__)
    "SchemaError",
]


class NeedlabError(ValueError):
    """Base class of every error raised by needlab on bad input."""


class SchemaError(NeedlabError):
    """The shape of the data is wrong: a missing or duplicated column, an unknown file format,
    a header without rows."""


class DataError(NeedlabError):
    """The values are wrong: outside the allowed set, invalid weights, duplicated ids,
    undecodable text."""


class ConfigError(NeedlabError):
    """An option, codebook, taxonomy or plan file is invalid."""


class NeedlabWarning(UserWarning):
    """Something was coerced or excluded; the result says how much."""


def __getattr__(name: str) -> type:
    # NotFittedError subclasses scikit-learn's, which is imported only when first needed (so that
    # ``import needlab`` stays fast); the class is then cached in this module.
    if name == "NotFittedError":
        from sklearn.exceptions import NotFittedError as _SklearnNotFitted

        cls = type(
            "NotFittedError",
            (NeedlabError, _SklearnNotFitted),
            {
                "__doc__": "An estimator method was called before ``fit``. Subclasses both "
                ":class:`NeedlabError` and scikit-learn's ``NotFittedError``.",
                "__module__": __name__,
            },
        )
        globals()[name] = cls
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
