"""The signature rules of docs/conventions.md, checked on every name in ``needlab.__all__``.

The idea of scikit-learn's ``test_public_functions.py``: introspect the public API and fail on any
violation, so a new function cannot drift from the convention. ``violations`` is a plain function
so that a planted bad API shows that the check bites.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from typing import Any

import pytest

import needlab as nl
from needlab._result import Result

# Public callables that have no data to take first: loaders and builders (docs/conventions.md).
NO_DATA = {
    "read_survey",
    "load_sample",
    "make_sample",
    "write_sample",
    "multi",
    "neutralise",
    "get_engine_options",
    "set_engine_options",
}

# Role names a function may take positionally after ``data``.
ROLES = {
    "var",
    "vars",
    "outcome",
    "drivers",
    "row",
    "col",
    "rows",
    "cols",
    "text",
    "other",
    "pairs",
    "criteria",
    "brand",
    "brands",
    "stages",
    "attributes",
    "name",
    "waves",
    "rules",
    "targets",
    "path",
    "before",
    "after",
}

# Two-way tables: the only functions with row/col parameters.
TWO_WAY = {"crosstab", "banner", "compare_means", "perceptual_map"}
TABLE_ROLES = {"row", "col", "rows", "cols"}

# Names that are refused as parameters: each role has one name (the value says which).
REFUSED = {
    "x": "drivers",
    "y": "outcome",
    "value": "var",
    "values": "var / data",
    "columns": "vars",
    "items": "vars",
    "texts": "data (or text=)",
    "coded": "data",
    "transactions": "data",
    "features": "data / drivers",
    "target": "outcome",
    "respondent": "id",
    "segment": "by",
}

# Parameter name -> the type alias its annotation must use (annotations are strings here).
ALIASES = {
    "weights": "Weights",
    "random_state": "RandomState",
    "lang": "Lang",
    "text_lang": "TextLang",
}


def _params(fn: Callable[..., Any]) -> list[inspect.Parameter]:
    params = list(inspect.signature(fn).parameters.values())
    return [
        p for p in params if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]


def _annotation(p: inspect.Parameter) -> str:
    a = p.annotation
    return a if isinstance(a, str) else getattr(a, "__name__", repr(a))


def check_parameters(
    where: str, params: Iterable[inspect.Parameter], *, fname: str, names: bool = True
) -> list[str]:
    """Rules on names (when *names*), aliases, defaults and keyword-only randomness."""
    out = []
    for p in params:
        if names and p.name in REFUSED:
            out.append(f"{where}: parameter {p.name!r} is refused; use {REFUSED[p.name]!r}")
        if names and p.name in TABLE_ROLES and fname not in TWO_WAY:
            out.append(f"{where}: {p.name!r} only in two-way tables; use 'var'/'vars' or 'by'")
        alias = ALIASES.get(p.name)
        if alias and p.annotation is not p.empty and alias not in _annotation(p):
            out.append(f"{where}: {p.name!r} must be annotated with the {alias} alias")
        if p.name == "random_state":
            if p.default is not None:
                out.append(f"{where}: random_state must default to None, not {p.default!r}")
            if p.kind is not p.KEYWORD_ONLY:
                out.append(f"{where}: random_state must be keyword-only")
        if p.name == "weights" and p.default is not None and p.default is not p.empty:
            out.append(f"{where}: weights must default to None")
        if p.name == "ci" and p.default is not p.empty and p.default is not None:
            if not (isinstance(p.default, float) and 0.5 < p.default < 1):
                out.append(f"{where}: ci is an interval level (e.g. 0.95), got {p.default!r}")
        if p.name == "alpha" and p.default is not p.empty:
            if not (isinstance(p.default, float) and 0 < p.default <= 0.2):
                out.append(
                    f"{where}: alpha is a significance threshold (e.g. 0.05); levels are ci="
                )
    return out


def check_function(name: str, fn: Callable[..., Any]) -> list[str]:
    """The rules for a public function."""
    params = _params(fn)
    out = check_parameters(name, params, fname=name, names=name not in NO_DATA)
    if name in NO_DATA:
        positional = params[1:]
    else:
        if not params or params[0].name != "data":
            first = params[0].name if params else "nothing"
            out.append(f"{name}: the first parameter must be 'data', not {first!r}")
        positional = params[1:]
    for p in positional:
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.name not in ROLES:
            out.append(f"{name}: option {p.name!r} must be keyword-only (after '*')")
    return out


def check_class(name: str, cls: type) -> list[str]:
    """Estimators: keyword-only constructor options; the alias and randomness rules on every
    public method (estimator methods keep scikit-learn's names: ``X``, ``y``, ``sample_weight``;
    containers such as ``Codebook`` keep their constructor's names)."""
    out: list[str] = []
    if issubclass(cls, (Result, BaseException)):
        return out
    init_params = _params(cls.__init__)
    for p in init_params:
        if p.kind is not p.KEYWORD_ONLY and _is_estimator(cls):
            out.append(f"{name}(): estimator parameter {p.name!r} must be keyword-only")
    out += check_parameters(f"{name}()", init_params, fname=name, names=False)
    for mname, meth in inspect.getmembers(cls, inspect.isfunction):
        if mname.startswith("_") or meth.__qualname__.split(".")[0] != cls.__name__:
            continue
        out += check_parameters(f"{name}.{mname}", _params(meth), fname=mname, names=False)
    return out


def _is_estimator(cls: type) -> bool:
    return any(b.__name__ == "BaseEstimator" for b in cls.__mro__)


def violations(namespace: Any, names: Iterable[str]) -> list[str]:
    """Every rule broken by the public *names* of *namespace*."""
    out: list[str] = []
    for name in names:
        obj = getattr(namespace, name)
        if inspect.isclass(obj):
            out += check_class(name, obj)
        elif callable(obj):
            out += check_function(name, obj)
    return out


def test_public_api_follows_the_conventions() -> None:
    found = violations(nl, [n for n in nl.__all__ if n != "__version__"])
    assert not found, "\n".join(found)


def test_every_public_name_resolves() -> None:
    for name in nl.__all__:
        assert getattr(nl, name) is not None


def test_every_result_class_is_exported() -> None:
    """A result a public function returns is public too (users test isinstance and annotate)."""
    exported = {getattr(nl, n) for n in nl.__all__}
    missing = []
    for name in nl.__all__:
        obj = getattr(nl, name)
        if callable(obj) and not inspect.isclass(obj):
            ret = inspect.signature(obj).return_annotation
            ret = ret if isinstance(ret, str) else getattr(ret, "__name__", "")
            if ret.endswith("Result") and not any(
                getattr(c, "__name__", "") == ret for c in exported
            ):
                missing.append(f"{name} -> {ret}")
    assert not missing, missing


# --- the check itself bites: a planted bad API ---------------------------------------------


class _Planted:
    """A namespace of functions that break one rule each."""

    @staticmethod
    def first_not_data(frame, col):  # noqa: ANN001, ANN205
        return None

    @staticmethod
    def positional_option(data, var, decimals=1):  # noqa: ANN001, ANN205
        return None

    @staticmethod
    def old_names(data, y, x, *, weights: "Any" = None):  # noqa: ANN001, ANN205, UP037
        return None

    @staticmethod
    def bad_random(data, random_state: "RandomState" = 0):  # noqa: ANN001, ANN205, F821, UP037
        return None

    @staticmethod
    def alpha_as_level(data, *, alpha=0.95):  # noqa: ANN001, ANN205
        return None

    @staticmethod
    def good(data, var, *, by=None, weights: "Weights" = None, ci=0.95):  # noqa: ANN001, ANN205, F821, UP037
        return None


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("first_not_data", "first parameter must be 'data'"),
        ("positional_option", "option 'decimals' must be keyword-only"),
        ("old_names", "parameter 'y' is refused"),
        ("old_names", "parameter 'x' is refused"),
        ("old_names", "'weights' must be annotated with the Weights alias"),
        ("bad_random", "random_state must default to None"),
        ("bad_random", "random_state must be keyword-only"),
        ("alpha_as_level", "alpha is a significance threshold"),
    ],
)
def test_planted_violation_is_found(name: str, words: str) -> None:
    found = violations(_Planted, [name])
    assert any(words in f for f in found), found


def test_conforming_function_passes() -> None:
    assert violations(_Planted, ["good"]) == []
