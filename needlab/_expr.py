"""A small safe grammar for row conditions written as text (segment rules, config filters).

Rule strings come from notebooks and from workflow config files that people share, so they are
never evaluated as Python or pandas code (no ``eval``, no ``DataFrame.eval``/``query``, no
``@`` variables). :func:`parse` turns a string into a tree of plain tuples with a hand-written
tokenizer and recursive-descent parser; :func:`evaluate` computes the tree on a DataFrame with
vectorised pandas operations. Anything outside the grammar is a :class:`~needlab.errors.ConfigError`
naming the token and its position.

Grammar (lowest precedence first)::

    expr       := and_expr (("|" | "or") and_expr)*
    and_expr   := not_expr (("&" | "and") not_expr)*
    not_expr   := ("~" | "not") not_expr | test
    test       := operand [compare operand]
                | operand ["not"] "in" list
                | operand "." method
                | operand "is" ["not"] "null"
                | "(" expr ")"
    compare    := "==" | "!=" | "<" | "<=" | ">" | ">="
    method     := "isin" "(" list ")" | "between" "(" literal "," literal ")"
                | "isna()" | "notna()" | "isnull()" | "notnull()"
    operand    := column | literal
    column     := name | `any text in backticks`
    literal    := number | 'text' | "text" | True | False | None
    list       := "[" [literal ("," literal)*] "]" | "(" [literal ("," literal)*] ")"

A bare column is a condition when it holds true/false values. Comparisons with a missing value
are false (as in pandas); use ``is null`` / ``.isna()`` to select missing values.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame({"age": [25, 40, None], "region": ["North", "East", "North"]})
>>> evaluate(df, "age >= 30 | region in ['North']").tolist()
[True, True, True]
>>> evaluate(df, "age.between(20, 30) & not region == 'East'").tolist()
[True, False, False]
>>> evaluate(df, "@secret > 1")
Traceback (most recent call last):
...
needlab.errors.ConfigError: rule '@secret > 1': '@' at position 0 is not allowed; ...
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from needlab.errors import ConfigError, DataError

__all__ = ["evaluate", "parse"]

GRAMMAR_HINT = (
    "rules may use column names (`backticks` for names with spaces), numbers, quoted text, "
    "True/False/None, comparisons (== != < <= > >=), in / not in [..], .isin([..]), "
    ".between(a, b), .isna() / .notna(), is null / is not null, & | ~ (and or not) and "
    "parentheses"
)

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<number>(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?)
  | (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
  | (?P<backtick>`[^`]+`)
  | (?P<name>[^\W\d]\w*)
  | (?P<op>==|!=|<=|>=|<|>|&|\||~|\(|\)|\[|\]|,|\.|-)
    """,
    re.VERBOSE | re.UNICODE,
)

_KEYWORDS = {"and", "or", "not", "in", "is", "null", "True", "False", "None"}
_METHODS = {"isin", "between", "isna", "notna", "isnull", "notnull"}
_COMPARE = {"==", "!=", "<", "<=", ">", ">="}

Token = tuple[str, str, int]  # kind, text, position
Node = tuple[Any, ...]


def _tokens(text: str) -> list[Token]:
    out: list[Token] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise ConfigError(
                f"rule {text!r}: {text[pos]!r} at position {pos} is not allowed; {GRAMMAR_HINT}."
            )
        kind = m.lastgroup or ""
        if kind != "ws":
            out.append((kind, m.group(), pos))
        pos = m.end()
    out.append(("end", "", len(text)))
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = _tokens(text)
        self.i = 0

    # -- helpers
    def peek(self) -> Token:
        return self.toks[self.i]

    def take(self) -> Token:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def fail(self, tok: Token, what: str = "is not allowed here") -> ConfigError:
        shown = tok[1] if tok[0] != "end" else "the end of the rule"
        where = f" at position {tok[2]}" if tok[0] != "end" else ""
        return ConfigError(f"rule {self.text!r}: {shown!r}{where} {what}; {GRAMMAR_HINT}.")

    def is_op(self, *ops: str) -> bool:
        kind, text, _ = self.peek()
        return (kind == "op" and text in ops) or (kind == "name" and text in ops)

    def expect(self, text: str) -> None:
        tok = self.take()
        if tok[1] != text:
            raise self.fail(tok, f"found where {text!r} was expected")

    # -- grammar
    def parse(self) -> Node:
        node = self.expr()
        if self.peek()[0] != "end":
            raise self.fail(self.peek())
        return node

    def expr(self) -> Node:
        node = self.and_expr()
        while self.is_op("|", "or"):
            self.take()
            node = ("or", node, self.and_expr())
        return node

    def and_expr(self) -> Node:
        node = self.not_expr()
        while self.is_op("&", "and"):
            self.take()
            node = ("and", node, self.not_expr())
        return node

    def not_expr(self) -> Node:
        if self.is_op("~", "not"):
            self.take()
            return ("not", self.not_expr())
        return self.test()

    def test(self) -> Node:
        if self.is_op("("):
            self.take()
            node = self.expr()
            self.expect(")")
            return ("cond", node)
        left = self.operand()
        if self.is_op("."):
            self.take()
            return self.method(left)
        kind, text, _ = self.peek()
        if kind == "op" and text in _COMPARE:
            self.take()
            return ("cmp", text, left, self.operand())
        if self.is_op("in"):
            self.take()
            return ("isin", left, self.literal_list())
        if self.is_op("not"):
            self.take()
            if not self.is_op("in"):
                raise self.fail(self.peek(), "found where 'in' was expected after 'not'")
            self.take()
            return ("not", ("isin", left, self.literal_list()))
        if self.is_op("is"):
            self.take()
            negate = False
            if self.is_op("not"):
                self.take()
                negate = True
            if not self.is_op("null", "None"):
                raise self.fail(self.peek(), "found where 'null' was expected after 'is'")
            self.take()
            return ("not", ("isna", left)) if negate else ("isna", left)
        return ("truth", left)

    def method(self, left: Node) -> Node:
        tok = self.take()
        if tok[0] != "name" or tok[1] not in _METHODS:
            raise self.fail(tok, "is not an allowed method")
        if left[0] != "col":
            raise self.fail(tok, "applies to a column only")
        name = tok[1]
        self.expect("(")
        if name == "isin":
            values = self.literal_list()
            self.expect(")")
            return ("isin", left, values)
        if name == "between":
            lo = self.literal()
            self.expect(",")
            hi = self.literal()
            self.expect(")")
            return ("between", left, lo, hi)
        self.expect(")")
        node: Node = ("isna", left)
        return ("not", node) if name in ("notna", "notnull") else node

    def operand(self) -> Node:
        kind, text, _ = self.peek()
        if kind == "backtick":
            self.take()
            return ("col", text[1:-1])
        if kind == "name" and text not in _KEYWORDS:
            self.take()
            return ("col", text)
        return ("lit", self.literal())

    def literal(self) -> Any:
        tok = self.take()
        kind, text, _ = tok
        if kind == "op" and text == "-":
            nxt = self.take()
            if nxt[0] != "number":
                raise self.fail(nxt, "found where a number was expected after '-'")
            return -_number(nxt[1])
        if kind == "number":
            return _number(text)
        if kind == "string":
            return re.sub(r"\\(.)", r"\1", text[1:-1])
        if kind == "name" and text in ("True", "False", "None"):
            return {"True": True, "False": False, "None": None}[text]
        raise self.fail(tok)

    def literal_list(self) -> tuple[Any, ...]:
        tok = self.take()
        if tok[1] not in ("[", "("):
            raise self.fail(tok, "found where a list like ['a', 'b'] was expected")
        close = "]" if tok[1] == "[" else ")"
        values: list[Any] = []
        if self.peek()[1] == close:
            self.take()
            return ()
        while True:
            values.append(self.literal())
            nxt = self.take()
            if nxt[1] == close:
                return tuple(values)
            if nxt[1] != ",":
                raise self.fail(nxt, f"found where ',' or {close!r} was expected")
            if self.peek()[1] == close:  # a trailing comma, as in ('a',)
                self.take()
                return tuple(values)


def _number(text: str) -> float | int:
    return float(text) if any(c in text for c in ".eE") else int(text)


@lru_cache(maxsize=256)
def parse(text: str) -> Node:
    """Parse a rule string into a tree of tuples; a :class:`ConfigError` names a bad token."""
    if not isinstance(text, str) or not text.strip():
        raise ConfigError(f"a rule must be a non-empty string, got {text!r}.")
    return _Parser(text).parse()


def columns(text: str) -> list[Hashable]:
    """The column names a rule refers to, in order of first use."""
    out: list[Hashable] = []

    def walk(node: Any) -> None:
        if isinstance(node, tuple) and node:
            if node[0] == "col":
                if node[1] not in out:
                    out.append(node[1])
                return
            for child in node[1:]:
                walk(child)

    walk(parse(text))
    return out


def evaluate(data: pd.DataFrame, text: str, *, name: Hashable | None = None) -> np.ndarray:
    """The rows of *data* where the rule *text* holds, as a boolean array.

    Raises
    ------
    ConfigError
        A token outside the grammar (named, with its position), or a bare column that does not
        hold true/false values.
    SchemaError
        A column the rule names is not in *data* (with the closest names).
    """
    from needlab._validate import check_columns

    tree = parse(text)
    check_columns(data, columns(text))
    label = text if name is None else name
    result = _eval(data, tree, label)
    if not isinstance(result, pd.Series):
        return np.full(len(data), bool(result))
    return result.fillna(False).to_numpy(dtype=bool)


def _eval(data: pd.DataFrame, node: Node, label: Hashable) -> Any:
    op = node[0]
    if op == "col":
        return data[node[1]]
    if op == "lit":
        return node[1]
    if op == "cond":
        return _eval(data, node[1], label)
    if op in ("and", "or"):
        a = _mask(data, node[1], label)
        b = _mask(data, node[2], label)
        return (a & b) if op == "and" else (a | b)
    if op == "not":
        return ~_mask(data, node[1], label)
    if op == "truth":
        return _truth(data, node[1], label)
    if op == "isna":
        return _eval(data, node[1], label).isna()
    if op == "isin":
        return _eval(data, node[1], label).isin(list(node[2]))
    if op == "between":
        s = _eval(data, node[1], label)
        return _compare(s, ">=", node[2], label) & _compare(s, "<=", node[3], label)
    if op == "cmp":
        left = _eval(data, node[2], label)
        right = _eval(data, node[3], label)
        return _compare(left, node[1], right, label)
    raise ConfigError(f"rule {label!r}: unknown node {op!r}.")  # pragma: no cover


def _compare(left: Any, op: str, right: Any, label: Hashable) -> Any:
    if not isinstance(left, pd.Series) and isinstance(right, pd.Series):
        flipped = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}.get(op, op)
        return _compare(right, flipped, left, label)
    try:
        if op == "==":
            out = left == right
        elif op == "!=":
            out = left != right
        elif op == "<":
            out = left < right
        elif op == "<=":
            out = left <= right
        elif op == ">":
            out = left > right
        else:
            out = left >= right
    except TypeError as exc:
        raise DataError(
            f"rule {label!r}: cannot compare {_what(left)} {op} {_what(right)} ({exc}); "
            "compare numbers with numbers and text with quoted text."
        ) from exc
    if isinstance(out, pd.Series) and op == "!=":
        # a missing value is not "different": comparisons with missing values are false
        out = out & left.notna() & (right.notna() if isinstance(right, pd.Series) else True)
    return out


def _what(x: Any) -> str:
    if isinstance(x, pd.Series):
        return f"column {x.name!r} ({x.dtype})"
    return repr(x)


def _mask(data: pd.DataFrame, node: Node, label: Hashable) -> pd.Series:
    out = _eval(data, node, label)
    if node[0] in ("col", "lit") or (node[0] == "cond" and node[1][0] in ("col", "lit")):
        out = _truth(data, node if node[0] != "cond" else node[1], label)
    if not isinstance(out, pd.Series):
        return pd.Series(bool(out), index=data.index)
    return out.fillna(False).astype(bool)


def _truth(data: pd.DataFrame, node: Node, label: Hashable) -> Any:
    value = _eval(data, node, label)
    if isinstance(value, pd.Series):
        if not pd.api.types.is_bool_dtype(value.dropna()):
            raise ConfigError(
                f"rule {label!r}: column {value.name!r} is used as a condition but holds "
                f"{value.dtype} values, not true/false; compare it, e.g. `{value.name}` == 1."
            )
        return value.fillna(False).astype(bool)
    if isinstance(value, bool):
        return value
    raise ConfigError(f"rule {label!r}: the literal {value!r} is not a condition; compare it.")
