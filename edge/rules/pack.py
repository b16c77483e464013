"""Rule packs: the file an analyst writes (JSON or TOML), checked and compiled for the post.

A pack has a ``version`` (whole number, higher is newer), an ``expires``
time (ISO 8601), optional ``random`` selection (``rate``, ``seed``,
``lane``, ``alert``), named ``lists`` and ordered ``rules`` (``id``,
``when``, ``lane`` green/yellow/red, ``alert``, ``shadow``, ``final``,
``title``). docs/rules.md describes every key. :func:`load_pack` refuses a
pack with a wrong key, type or condition and says where.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from edge.rules.evaluate import (
    LIST_KINDS,
    Compiled,
    Explainer,
    NamedList,
    compile_condition,
    explainer,
    required,
)
from edge.rules.lang import Node, RuleSyntaxError, parse

FORMAT: Final = "borderpost-rules/1"
LANES: Final = ("green", "yellow", "red")
MAX_RULES: Final = 10_000
MAX_PACK_BYTES: Final = 8 * 2**20
_RULE_KEYS: Final = frozenset({"id", "title", "when", "lane", "alert", "shadow", "final"})
_PACK_KEYS: Final = frozenset({"format", "version", "expires", "random", "lists", "rules", "note"})


class PackError(ValueError):
    """A pack that cannot be used: the message names the rule or key and what is allowed."""


@dataclass(frozen=True)
class Rule:
    """One rule: its condition parsed and compiled, and what a match means."""

    id: str
    title: str
    when: str
    lane: str
    alert: bool
    shadow: bool
    final: bool
    node: Node = field(repr=False, compare=False)
    test: Compiled = field(repr=False, compare=False)
    explain: Explainer = field(repr=False, compare=False)
    needs: frozenset[str] = field(default=frozenset(), repr=False, compare=False)


@dataclass(frozen=True)
class RandomSelection:
    """Random controls: a crossing is selected when HMAC-SHA256(seed, crossing id) < rate."""

    rate: float = 0.0
    seed: str = ""
    lane: str = "yellow"
    alert: bool = False

    def draw(self, crossing_id: str) -> float:
        """The crossing's draw in [0, 1): HQ recomputes it from the seed and the id."""
        mac = hmac.new(self.seed.encode(), crossing_id.encode(), hashlib.sha256).digest()
        return int.from_bytes(mac[:8], "big") / 2**64

    def selected(self, crossing_id: str) -> bool:
        """Whether the crossing is a random control."""
        return self.rate > 0 and self.draw(crossing_id) < self.rate


@dataclass(frozen=True)
class Pack:
    """A checked pack: version, expiry, lists and compiled rules in order."""

    version: int
    expires: float
    rules: tuple[Rule, ...]
    lists: Mapping[str, NamedList]
    random: RandomSelection
    raw: bytes = field(repr=False, compare=False, default=b"")

    def expired(self, now: float) -> bool:
        """Past its expiry."""
        return now >= self.expires


def parse_document(data: bytes) -> dict[str, Any]:
    """The pack file's object, from JSON or TOML (whichever it is)."""
    if len(data) > MAX_PACK_BYTES:
        raise PackError(f"a pack is at most {MAX_PACK_BYTES // 2**20} MiB")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise PackError("a pack must be UTF-8 text (JSON or TOML)") from None
    try:
        obj = json.loads(text) if text.lstrip().startswith("{") else tomllib.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise PackError(f"not JSON or TOML: {exc}") from None
    if not isinstance(obj, dict):
        raise PackError("a pack is a JSON object or a TOML document")
    return obj


def load_pack(data: bytes) -> Pack:
    """A pack checked and compiled; :class:`PackError` says what is wrong and where."""
    obj = parse_document(data)
    unknown = set(obj) - _PACK_KEYS
    if unknown:
        raise PackError(f"unknown pack keys: {', '.join(sorted(unknown))}")
    if obj.get("format", FORMAT) != FORMAT:
        raise PackError(f"format must be {FORMAT!r}, not {obj.get('format')!r}")
    lists = _lists(obj.get("lists", {}))
    rules = _rules(obj.get("rules"))
    return Pack(
        _version(obj.get("version")), _expires(obj.get("expires")), rules, lists,
        _random(obj.get("random", {})), data,
    )  # fmt: skip


def _version(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise PackError(f"version must be a whole number ≥ 1, not {value!r}")
    return value


def _expires(value: Any) -> float:
    if isinstance(value, dt.datetime):  # TOML's own date-time
        moment = value
    else:
        try:
            moment = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            raise PackError(f"expires must be an ISO 8601 time, not {value!r}") from None
    if moment.tzinfo is None:
        raise PackError("expires needs a time zone (end it with Z for UTC)")
    return moment.timestamp()


def _lists(value: Any) -> dict[str, NamedList]:
    if not isinstance(value, Mapping):
        raise PackError("lists must be a table of name = [items] or {kind, items}")
    out = {}
    for name, spec in value.items():
        kind, items = ("values", spec) if isinstance(spec, list) else _list_spec(name, spec)
        if kind not in LIST_KINDS:
            raise PackError(f"list {name!r}: kind must be one of {', '.join(LIST_KINDS)}")
        if not all(isinstance(i, str) for i in items):
            raise PackError(f"list {name!r}: items must be strings")
        try:
            out[str(name)] = NamedList.of(str(name), kind, items)
        except ValueError as exc:
            raise PackError(f"list {name!r}: {exc}") from None
    return out


def _list_spec(name: str, spec: Any) -> tuple[Any, list[Any]]:
    if not isinstance(spec, Mapping) or not isinstance(spec.get("items"), list):
        raise PackError(f"list {name!r} must be [items] or {{kind = ..., items = [...]}}")
    return spec.get("kind", "values"), spec["items"]


def _rules(value: Any) -> tuple[Rule, ...]:
    if not isinstance(value, list):
        raise PackError("rules must be a list of rules")
    if len(value) > MAX_RULES:
        raise PackError(f"a pack holds at most {MAX_RULES} rules")
    return tuple(_rule(i, r) for i, r in enumerate(value))


def _rule(index: int, obj: Any) -> Rule:
    where = f"rule {index + 1}"
    if not isinstance(obj, Mapping):
        raise PackError(f"{where} must be a table")
    rule_id = obj.get("id")
    if not isinstance(rule_id, str) or not rule_id.strip() or len(rule_id) > 64:
        raise PackError(f"{where}: id must be text of 1-64 characters")
    where = f"rule {rule_id!r}"
    unknown = set(obj) - _RULE_KEYS
    if unknown:
        raise PackError(f"{where}: unknown keys {', '.join(sorted(unknown))}")
    when, lane = obj.get("when"), obj.get("lane", "yellow")
    if not isinstance(when, str):
        raise PackError(f"{where}: when must be the condition's text")
    if lane not in LANES:
        raise PackError(f"{where}: lane must be green, yellow or red, not {lane!r}")
    flags = {k: obj.get(k, k == "alert" and lane == "red") for k in ("alert", "shadow", "final")}
    if not all(isinstance(v, bool) for v in flags.values()):
        raise PackError(f"{where}: alert, shadow and final are true or false")
    try:
        node = parse(when)
    except RuleSyntaxError as exc:
        raise PackError(f"{where}: {exc}") from None
    title = str(obj.get("title", rule_id))[:200]
    return Rule(
        rule_id,
        title,
        when,
        lane,
        **flags,
        node=node,
        test=compile_condition(node),
        explain=explainer(node),
        needs=required(node),
    )


def _random(value: Any) -> RandomSelection:
    if not isinstance(value, Mapping):
        raise PackError("random must be a table with rate and seed")
    rate, seed = value.get("rate", 0.0), value.get("seed", "")
    if not isinstance(rate, int | float) or isinstance(rate, bool) or not 0 <= rate <= 1:
        raise PackError(f"random.rate must be a share between 0 and 1, not {rate!r}")
    if rate and (not isinstance(seed, str) or len(seed) < 16):
        raise PackError("random.seed must be text of at least 16 characters when rate > 0")
    lane = value.get("lane", "yellow")
    if lane not in LANES:
        raise PackError(f"random.lane must be green, yellow or red, not {lane!r}")
    return RandomSelection(float(rate), str(seed), lane, bool(value.get("alert", False)))
