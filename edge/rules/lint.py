"""The pack lint: what would make a rule wrong, useless or unreachable, found before HQ sends it.

Each finding names its rule and class: ``pack`` (the file itself),
``syntax``, ``duplicate_id``, ``unknown_attribute``, ``unknown_list``,
``unknown_function``, ``never_matches`` (a type that cannot compare, an empty
list, a literal false, contradicting conditions joined by ``and``) and
``unreachable`` (a ``final`` rule earlier in the order always matches first).
Errors refuse the pack; warnings (an unused list, a duplicate condition) do not.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from edge.rules.attrs import ATTRIBUTES, BOOL, FUNCTIONS, NUM, STR, STRS
from edge.rules.lang import (
    COMPARE_OPS,
    Attr,
    BoolOp,
    Call,
    Compare,
    ListLit,
    Literal,
    Named,
    Node,
    Not,
    RuleSyntaxError,
    parse,
    render,
)
from edge.rules.pack import PackError, load_pack, parse_document


@dataclass(frozen=True)
class Finding:
    """One lint finding: error or warning, the rule (or ``pack``), its class and the message."""

    severity: str
    rule: str
    kind: str
    message: str

    def as_json(self) -> dict[str, str]:
        """For ``rules check --json``."""
        return {"severity": self.severity, "rule": self.rule, "kind": self.kind,
                "message": self.message}  # fmt: skip


def lint(data: bytes) -> list[Finding]:
    """Every finding in a pack file (empty: the pack is good)."""
    try:
        obj = parse_document(data)
    except PackError as exc:
        return [Finding("error", "pack", "pack", str(exc))]
    rules, lists = obj.get("rules"), obj.get("lists")
    findings = list(
        _rules(
            rules if isinstance(rules, list) else [], lists if isinstance(lists, Mapping) else {}
        )
    )
    if not any(f.severity == "error" for f in findings):
        try:
            load_pack(data)
        except PackError as exc:
            findings.append(Finding("error", "pack", "pack", str(exc)))
    return findings


def _rules(rules: list[Any], lists: Mapping[str, Any]) -> Iterator[Finding]:
    seen: set[str] = set()
    order = _Order()
    used: set[str] = set()
    for index, rule in enumerate(rules):
        rid = str(rule.get("id", f"#{index + 1}")) if isinstance(rule, Mapping) else f"#{index + 1}"
        if rid in seen:
            yield Finding("error", rid, "duplicate_id", f"id {rid!r} is used twice")
        seen.add(rid)
        try:
            node = parse(str(rule.get("when", "")) if isinstance(rule, Mapping) else "")
        except RuleSyntaxError as exc:
            yield Finding("error", rid, "syntax", str(exc))
            continue
        used |= {n.name for n in _walk(node) if isinstance(n, Named)}
        yield from (Finding("error", rid, k, m) for k, m in _names(node, lists))
        yield from (Finding("error", rid, "never_matches", m) for m in _never(node, lists))
        final = isinstance(rule, Mapping) and rule.get("final") is True and not rule.get("shadow")
        yield from order.check(rid, node, final)
    for name in set(lists) - used:
        yield Finding("warning", "pack", "unused_list", f"list {name!r} is used by no rule")


def _walk(node: Node) -> Iterator[Node]:
    yield node
    if isinstance(node, Compare):
        yield from (*_walk(node.left), *_walk(node.right))
    elif isinstance(node, Not):
        yield from _walk(node.operand)
    elif isinstance(node, BoolOp):
        for operand in node.operands:
            yield from _walk(operand)
    elif isinstance(node, Call):
        for arg in node.args:
            yield from _walk(arg)


def _names(node: Node, lists: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    for part in _walk(node):
        if isinstance(part, Attr) and part.name not in ATTRIBUTES:
            yield "unknown_attribute", f"no attribute {part.name!r} (docs/rules.md lists them)"
        elif isinstance(part, Named) and part.name not in lists:
            yield "unknown_list", f"no list @{part.name} in the pack's lists"
        elif isinstance(part, Call) and part.name not in FUNCTIONS:
            yield (
                "unknown_function",
                f"no function {part.name}() (there are {', '.join(FUNCTIONS)})",
            )


def _type(node: Node) -> str | None:
    if isinstance(node, Attr):
        return ATTRIBUTES.get(node.name, (None, ""))[0]
    if isinstance(node, Call):
        return NUM
    if isinstance(node, Literal):
        value = node.value
        if value is None:
            return None
        return BOOL if isinstance(value, bool) else NUM if isinstance(value, float) else STR
    return None


def _never(node: Node, lists: Mapping[str, Any]) -> Iterator[str]:
    """Why a condition can never be true (nothing when it can)."""
    if node == Literal(False):
        yield "the condition is the constant false"
    for part in _walk(node):
        if isinstance(part, Compare):
            yield from _compare_never(part, lists)
        if isinstance(part, BoolOp) and part.op == "and":
            yield from _contradictions(part)


def _compare_never(cmp: Compare, lists: Mapping[str, Any]) -> Iterator[str]:
    left, right = _type(cmp.left), _type(cmp.right)
    text = render(cmp)
    if cmp.op == "==" and left and right and left != right and STRS not in (left, right):
        yield f"{text}: a {left} is never equal to a {right}"
    if cmp.op in COMPARE_OPS[2:] and (BOOL in (left, right) or STRS in (left, right)):
        yield f"{text}: a {left if left in (BOOL, STRS) else right} has no order"
    elif cmp.op in COMPARE_OPS[2:] and left and right and left != right:
        yield f"{text}: a {left} cannot be ordered against a {right}"
    if cmp.op == "in" and not cmp.negated and _empty(cmp.right, lists):
        yield f"{text}: the list is empty"


def _empty(node: Node, lists: Mapping[str, Any]) -> bool:
    if isinstance(node, ListLit):
        return not node.items
    if isinstance(node, Named):
        spec = lists.get(node.name)
        items = spec.get("items") if isinstance(spec, Mapping) else spec
        return isinstance(items, list) and not items
    return False


def _contradictions(node: BoolOp) -> Iterator[str]:
    """``a == 1 and a == 2``; ``age < 18 and age > 65``."""
    equal: dict[str, Any] = {}
    low: dict[str, float] = {}
    high: dict[str, float] = {}
    for part in node.operands:
        if not (isinstance(part, Compare) and isinstance(part.left, Attr)):
            continue
        if not isinstance(part.right, Literal) or part.negated:
            continue
        name, value = part.left.name, part.right.value
        if part.op == "==":
            if name in equal and equal[name] != value:
                yield f"{name} cannot be both {render(part.right)} and {equal[name]!r}"
            equal[name] = value
        if isinstance(value, float) and not isinstance(value, bool):
            _bound(part.op, name, value, low, high)
    for name in set(low) & set(high):
        if low[name] > high[name]:
            yield f"no {name} is at least {low[name]:g} and at most {high[name]:g}"


def _bound(op: str, name: str, value: float, low: dict[str, float], high: dict[str, float]) -> None:
    step = 1e-9
    if op in (">", ">=", "=="):
        low[name] = max(low.get(name, -math.inf), value + (step if op == ">" else 0))
    if op in ("<", "<=", "=="):
        high[name] = min(high.get(name, math.inf), value - (step if op == "<" else 0))


def _conjuncts(node: Node) -> frozenset[str]:
    if isinstance(node, BoolOp) and node.op == "and":
        return frozenset(render(o) for o in node.operands)
    return frozenset({render(node)})


class _Order:
    """Rules seen so far: their conditions (for duplicates) and the final ones (for reach)."""

    def __init__(self) -> None:
        self.conditions: dict[frozenset[str], str] = {}
        self.finals: list[tuple[str, frozenset[str]]] = []

    def check(self, rid: str, node: Node, final: bool) -> Iterator[Finding]:
        mine = _conjuncts(node)
        blocker = next((other for other, theirs in self.finals if theirs <= mine), None)
        if blocker is not None:
            yield Finding("error", rid, "unreachable",
                          f"final rule {blocker!r} above always matches first")  # fmt: skip
        elif mine in self.conditions:
            yield Finding("warning", rid, "duplicate_condition",
                          f"same condition as rule {self.conditions[mine]!r}")  # fmt: skip
        self.conditions.setdefault(mine, rid)
        if final:
            self.finals.append((rid, mine))
