"""The rule language: text → tokens → an AST of frozen nodes (no ``eval``, no Python at all).

A condition is a boolean expression over a crossing's attributes
(docs/rules.md has the whole grammar)::

    person.nationality in @high_risk and person.age < 25
    hs_codes in @weapons and not (prearrival.status == "expected")
    rpm.gamma_alarm and declared.goods contains "tiles"
    person_crossings(7) >= 3

The tokenizer and the recursive-descent parser are bounded (text length,
nesting depth, list size), so hostile rule text costs little and raises
:class:`RuleSyntaxError` with the position, never anything else.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Final

MAX_TEXT: Final = 4000
MAX_DEPTH: Final = 32
MAX_ITEMS: Final = 1000
COMPARE_OPS: Final = ("==", "!=", "<", "<=", ">", ">=")
WORD_OPS: Final = ("in", "startswith", "endswith", "contains")
KEYWORDS: Final = frozenset({"and", "or", "not", "true", "false", "null", *WORD_OPS})

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<num>-?\d+(?:\.\d+)?)
    | (?P<str>"(?:[^"\\\n]|\\["\\n])*")
    | (?P<op>==|!=|<=|>=|<|>|\(|\)|\[|\]|,|@)
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
    )""",
    re.VERBOSE,
)


class RuleSyntaxError(ValueError):
    """Rule text that is not a condition; ``pos`` is the character where it went wrong."""

    def __init__(self, message: str, pos: int) -> None:
        super().__init__(f"{message} (at character {pos + 1})")
        self.pos = pos


@dataclass(frozen=True)
class Token:
    """One token: its kind (num, str, op, name, end), text and position."""

    kind: str
    text: str
    pos: int


# -- the AST ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Literal:
    """A number, string, true/false or null."""

    value: str | float | bool | None


@dataclass(frozen=True)
class ListLit:
    """``[a, b, …]``: literal values only."""

    items: tuple[str | float | bool | None, ...]


@dataclass(frozen=True)
class Named:
    """``@name``: a named list of the pack."""

    name: str


@dataclass(frozen=True)
class Attr:
    """A crossing attribute, such as ``person.age``."""

    name: str


@dataclass(frozen=True)
class Call:
    """A function of the language, such as ``person_crossings(30)``."""

    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Compare:
    """``left OP right`` for a comparison or word operator; ``negated`` for ``not in``."""

    op: str
    left: Node
    right: Node
    negated: bool = False


@dataclass(frozen=True)
class Not:
    """``not x``."""

    operand: Node


@dataclass(frozen=True)
class BoolOp:
    """``a and b and …`` or ``a or b or …``."""

    op: str
    operands: tuple[Node, ...]


Node = Literal | ListLit | Named | Attr | Call | Compare | Not | BoolOp


# -- tokens -----------------------------------------------------------------------------


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text`` (ending with an ``end`` token)."""
    if len(text) > MAX_TEXT:
        raise RuleSyntaxError(f"a condition is at most {MAX_TEXT} characters", MAX_TEXT)
    tokens: list[Token] = []
    pos, end = 0, len(text.rstrip())
    while pos < end:
        match = _TOKEN.match(text, pos)
        if match is None or match.lastgroup is None:
            bad = pos + len(text[pos:end]) - len(text[pos:end].lstrip())
            raise RuleSyntaxError(f"unexpected character {text[bad]!r}", bad)
        kind = match.lastgroup
        tokens.append(Token(kind, match.group(kind), match.start(kind)))
        pos = match.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


def unquote(text: str) -> str:
    """A string token's value: quotes off, ``\\"``, ``\\\\`` and ``\\n`` undone."""
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), text[1:-1])


# -- the parser -------------------------------------------------------------------------


@functools.lru_cache(maxsize=20_000)
def parse(text: str) -> Node:
    """The AST of a condition; :class:`RuleSyntaxError` says where it is wrong (the nodes are
    immutable, so a pack's lint and its load share one parse)."""
    parser = _Parser(tokenize(text))
    node = parser.expr(0)
    end = parser.peek()
    if end.kind != "end":
        raise RuleSyntaxError(f"unexpected {end.text!r} after the condition", end.pos)
    return node


class _Parser:
    """Recursive descent over the token list; ``depth`` bounds nesting."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.i = 0

    def peek(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        token = self.tokens[self.i]
        self.i = min(self.i + 1, len(self.tokens) - 1)
        return token

    def word(self, text: str) -> bool:
        token = self.peek()
        if token.kind in ("name", "op") and token.text == text:
            self.take()
            return True
        return False

    def expect(self, text: str) -> None:
        if not self.word(text):
            token = self.peek()
            found = repr(token.text) if token.kind != "end" else "the end"
            raise RuleSyntaxError(f"expected {text!r}, found {found}", token.pos)

    def expr(self, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise RuleSyntaxError(f"nested more than {MAX_DEPTH} deep", self.peek().pos)
        return self._bool(
            "or", lambda: self._bool("and", lambda: self.negation(depth), depth), depth
        )

    def _bool(self, op: str, operand: object, depth: int) -> Node:
        assert callable(operand)
        items: list[Node] = [operand()]
        while self.word(op):
            items.append(operand())
        return items[0] if len(items) == 1 else BoolOp(op, tuple(items))

    def negation(self, depth: int) -> Node:
        if self.word("not"):
            return Not(self.negation(depth + 1)) if depth < MAX_DEPTH else self.expr(depth + 1)
        return self.comparison(depth)

    def comparison(self, depth: int) -> Node:
        left = self.value(depth)
        token = self.peek()
        if token.kind == "op" and token.text in COMPARE_OPS:
            self.take()
            return Compare(token.text, left, self.value(depth))
        if token.kind == "name" and token.text == "not" and self._next_is("in"):
            self.take(), self.take()
            return Compare("in", left, self.value(depth), negated=True)
        if token.kind == "name" and token.text in WORD_OPS:
            self.take()
            return Compare(token.text, left, self.value(depth))
        return left

    def _next_is(self, text: str) -> bool:
        after = self.tokens[min(self.i + 1, len(self.tokens) - 1)]
        return after.kind == "name" and after.text == text

    def value(self, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise RuleSyntaxError(f"nested more than {MAX_DEPTH} deep", self.peek().pos)
        token = self.take()
        if token.kind == "num":
            return Literal(float(token.text))
        if token.kind == "str":
            return Literal(unquote(token.text))
        if token.kind == "op":
            return self._punctuation(token, depth)
        if token.kind == "name":
            return self._name(token, depth)
        raise RuleSyntaxError("the condition ends too soon", token.pos)

    def _punctuation(self, token: Token, depth: int) -> Node:
        if token.text == "(":
            inner = self.expr(depth + 1)
            self.expect(")")
            return inner
        if token.text == "[":
            return self._list()
        if token.text == "@":
            name = self.take()
            if name.kind != "name" or "." in name.text or name.text in KEYWORDS:
                raise RuleSyntaxError("'@' must be followed by a list name", name.pos)
            return Named(name.text)
        raise RuleSyntaxError(f"unexpected {token.text!r}", token.pos)

    def _list(self) -> ListLit:
        items: list[str | float | bool | None] = []
        while not self.word("]"):
            if items:
                self.expect(",")
            item = self.value(MAX_DEPTH - 1)
            if not isinstance(item, Literal):
                raise RuleSyntaxError("a list holds literal values only", self.peek().pos)
            items.append(item.value)
            if len(items) > MAX_ITEMS:
                raise RuleSyntaxError(f"a list holds at most {MAX_ITEMS} items", self.peek().pos)
        return ListLit(tuple(items))

    def _name(self, token: Token, depth: int) -> Node:
        constants: dict[str, bool | None] = {"true": True, "false": False, "null": None}
        if token.text in constants:
            return Literal(constants[token.text])
        if token.text in KEYWORDS:
            raise RuleSyntaxError(f"{token.text!r} needs a value before it", token.pos)
        if self.word("("):
            args: list[Node] = []
            while not self.word(")"):
                if args:
                    self.expect(",")
                args.append(self.value(depth + 1))
                if len(args) > 8:
                    raise RuleSyntaxError("a function takes at most 8 arguments", token.pos)
            return Call(token.text, tuple(args))
        return Attr(token.text)


def render(node: Node) -> str:
    """The condition text of a node (normalised: what an explanation shows)."""
    if isinstance(node, Literal):
        return _literal(node.value)
    if isinstance(node, ListLit):
        return "[" + ", ".join(_literal(v) for v in node.items) + "]"
    if isinstance(node, Named):
        return "@" + node.name
    if isinstance(node, Attr):
        return node.name
    if isinstance(node, Call):
        return f"{node.name}({', '.join(render(a) for a in node.args)})"
    if isinstance(node, Compare):
        op = f"not {node.op}" if node.negated else node.op
        return f"{render(node.left)} {op} {render(node.right)}"
    if isinstance(node, Not):
        inner = render(node.operand)
        return f"not ({inner})" if isinstance(node.operand, BoolOp | Compare) else f"not {inner}"
    return f" {node.op} ".join(_wrapped(o) for o in node.operands)


def _wrapped(node: Node) -> str:
    return f"({render(node)})" if isinstance(node, BoolOp) else render(node)


def _literal(value: str | float | bool | None) -> str:
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
