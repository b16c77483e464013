"""N42.42 validation for the tests: the standard's XML schema (lxml) and its Schematron rules.

The rules file (``../shared/testdata/n42/n42.sch``) needs XPath 2 (``tokenize``,
ranges, ``current-dateTime``) and uses abstract patterns with parameters and
rule variables; lxml's isoschematron is XSLT 1 only. This small runner does
what ISO Schematron asks of those features with elementpath's XPath 2 engine:
abstract patterns instantiated with their parameters, ``let`` variables
evaluated per context node, a node checked by the first rule of a pattern
that matches it, failed ``assert`` reported with its message.
"""

from __future__ import annotations

import re
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import elementpath  # type: ignore[import-untyped]
from conftest import SHARED_TESTDATA
from elementpath import XPathContext  # type: ignore[import-untyped]
from lxml import etree  # type: ignore[import-untyped]

N42_DIR = SHARED_TESTDATA / "n42"
SCH = "{http://purl.oclc.org/dsdl/schematron}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


@dataclass(frozen=True)
class Rule:
    """One concrete rule: its pattern, context, variables and asserts (test, message)."""

    pattern: str
    context: str
    lets: tuple[tuple[str, str], ...]
    asserts: tuple[tuple[str, str], ...]


def _substitute(text: str, params: dict[str, str]) -> str:
    for name in sorted(params, key=len, reverse=True):
        value = params[name].replace("\\", "\\\\")
        text = re.sub(rf"\${re.escape(name)}(?![\w-])", value, text)
    return text


def _message(assert_el: Any) -> str:
    parts = [assert_el.text or ""]
    for child in assert_el:
        parts.append(f"[{child.get('select', '')}]" + (child.tail or ""))
    return " ".join("".join(parts).split())


def _rules(pattern: Any, name: str, params: dict[str, str]) -> list[Rule]:
    out = []
    for rule in pattern.iter(f"{SCH}rule"):
        lets = tuple((x.get("name"), _substitute(x.get("value"), params))
                     for x in rule.iter(f"{SCH}let"))  # fmt: skip
        asserts = tuple((_substitute(a.get("test"), params), _substitute(_message(a), params))
                        for a in rule.iter(f"{SCH}assert"))  # fmt: skip
        out.append(Rule(name, _substitute(rule.get("context"), params), lets, asserts))
    return out


def load_rules(path: Path) -> tuple[dict[str, str], list[Rule]]:
    """The namespaces and the concrete rules of a Schematron file."""
    root = etree.parse(str(path)).getroot()
    ns = {n.get("prefix"): n.get("uri") for n in root.iter(f"{SCH}ns")}
    patterns = list(root.iter(f"{SCH}pattern"))
    abstract = {p.get("id"): p for p in patterns if p.get("abstract") == "true"}
    rules: list[Rule] = []
    for p in patterns:
        if p.get("abstract") == "true":
            continue
        base, params = p, {}
        if p.get("is-a"):
            base = abstract[p.get("is-a")]
            params = {x.get("name"): x.get("value") for x in p.iter(f"{SCH}param")}
        rules += _rules(base, p.get("id") or "", params)
    return ns, rules


def _xpath(expr: str) -> str:
    """id(X) as id(X, /): elementpath looks ids up from the context node's root only when
    given the node (with an attribute as context item it finds none)."""
    return re.sub(r"(?<![\w-])id\((@?[\w.:$-]+)\)", r"id(\1, /)", expr)


def _context_path(context: str) -> str:
    return context if context.startswith("/") else "//" + context


def schematron_errors(doc: Any, sch: Path = N42_DIR / "n42.sch") -> list[str]:
    """Failed asserts of the Schematron rules on an lxml document, as messages."""
    ns, rules = load_rules(sch)
    doc = _with_ids(doc)
    parser = _Parser(ns)
    errors: list[str] = []
    done: dict[str, set[Any]] = {}
    for rule in rules:
        seen = done.setdefault(rule.pattern, set())
        for node in parser.parse(_context_path(rule.context)).select(XPathContext(doc)):
            if node in seen:
                continue  # an earlier rule of the pattern took it
            seen.add(node)
            errors += _check(parser, doc, node, rule)
    return errors


class _Parser:
    """XPath 2 expressions parsed once per runner (parsing dominates the cost otherwise)."""

    def __init__(self, ns: dict[str, str]) -> None:
        self.parser = elementpath.XPath2Parser(namespaces=ns)
        self.cache: dict[str, Any] = {}

    def parse(self, expr: str) -> Any:
        if expr not in self.cache:
            self.cache[expr] = self.parser.parse(expr)
        return self.cache[expr]


def _with_ids(doc: Any) -> Any:
    """A copy whose ``id`` attributes (xsd:ID in n42.xsd) are also ``xml:id``: without the
    schema loaded, an XPath engine knows only ``xml:id`` as an ID, and the rules use id()."""
    copy = deepcopy(doc)
    for el in copy.iter():
        if isinstance(el.tag, str) and el.get("id") is not None:
            el.set(XML_ID, el.get("id"))
    return copy


def _check(parser: Any, doc: Any, node: Any, rule: Rule) -> list[str]:
    variables: dict[str, Any] = {}
    for name, expr in rule.lets:
        context = XPathContext(doc, item=node, variables=dict(variables))
        variables[name] = parser.parse(_xpath(expr)).evaluate(context)
    out = []
    for test, message in rule.asserts:
        context = XPathContext(doc, item=node, variables=variables)
        if parser.parse(f"boolean({_xpath(test)})").evaluate(context) is not True:
            out.append(f"{rule.pattern}: {message}")
    return out


def schema_errors(doc: Any) -> list[str]:
    """XML schema errors of an lxml document against the standard's n42.xsd."""
    schema = etree.XMLSchema(etree.parse(str(N42_DIR / "n42.xsd")))
    schema.validate(doc)
    return [f"line {e.line}: {e.message}" for e in schema.error_log]
