"""`borderpost rules` (check a pack, evaluate it on a crossing) and `borderpost hq rules publish`.

``rules check PACK`` lints a pack (exit 1 with errors); ``rules eval PACK
[CROSSING]`` prints the verdict on one crossing given as JSON (its
``facts``, or its ``readings`` as events); ``rules attributes`` lists what
rules may read. ``hq rules publish PACK`` lints, then signs and publishes it
on the ``rules`` channel (docs/rules.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from edge.cli._common import fail, hq_group, print_json, usage


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `rules check|eval|attributes`, and `rules publish` under `hq`."""
    group = sub.add_parser("rules", help="risk rule packs: check, evaluate on a crossing")
    rsub = group.add_subparsers(dest="rules_command", metavar="ACTION")
    group.set_defaults(func=lambda _a: usage(group))
    check = rsub.add_parser("check", help="lint a pack: syntax, attributes, never/unreachable")
    check.add_argument("pack", help="the pack file (JSON or TOML)")
    check.add_argument("--json", action="store_true", help="print JSON")
    check.set_defaults(func=cmd_check)
    ev = rsub.add_parser("eval", help="a crossing in (JSON), the pack's hits out")
    ev.add_argument("pack", help="the pack file (JSON or TOML)")
    ev.add_argument("crossing", nargs="?", default="-", help="crossing JSON file (- for stdin)")
    ev.add_argument("--json", action="store_true", help="print JSON (the default)")
    ev.set_defaults(func=cmd_eval)
    attrs = rsub.add_parser("attributes", help="the attributes and functions rules may use")
    attrs.add_argument("--json", action="store_true", help="print JSON")
    attrs.set_defaults(func=cmd_attributes)
    _register_publish(sub)


def _read(path: str) -> bytes:
    try:
        return sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as exc:
        fail(f"{path}: {exc.strerror or exc}")


def cmd_check(args: argparse.Namespace) -> int:
    """Lint a pack; exit 1 when it has errors (warnings alone pass)."""
    from edge.rules.lint import lint

    findings = lint(_read(args.pack))
    errors = [f for f in findings if f.severity == "error"]
    if args.json:
        print_json({"ok": not errors, "findings": [f.as_json() for f in findings]}, pretty=True)
    else:
        for f in findings:
            print(f"{f.severity}: {f.rule}: {f.kind}: {f.message}")
        print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


def cmd_eval(args: argparse.Namespace) -> int:
    """Evaluate a pack on one crossing and print the verdict."""
    from edge.rules.engine import evaluate
    from edge.rules.pack import PackError, load_pack

    try:
        pack = load_pack(_read(args.pack))
    except PackError as exc:
        fail(f"{args.pack}: {exc} (run 'borderpost rules check {args.pack}')", 1)
    crossing = _crossing(_read(args.crossing))
    counts = crossing.get("history", {})

    def history(subject: str, days: float) -> int:
        return int(counts.get(subject, 0)) if isinstance(counts, Mapping) else 0

    verdict = evaluate(pack, _facts(crossing), str(crossing.get("crossing", "manual")), history)
    print_json(verdict.as_json(pack.random.rate), pretty=True)
    return 0


def _crossing(data: bytes) -> dict[str, Any]:
    try:
        obj = json.loads(data)
    except ValueError as exc:
        fail(f"the crossing is not JSON: {exc}")
    if not isinstance(obj, dict):
        fail("the crossing is a JSON object with 'facts' or 'readings'")
    return obj


def _facts(crossing: Mapping[str, Any]) -> dict[str, Any]:
    """The facts given, or built from the readings (events: kind and payload) as the post does."""
    from drivers.events import CodecError, decode_body
    from edge.rules.attrs import facts_of, merge

    when = _when(crossing.get("time"))
    facts: dict[str, Any] = {"lane": crossing.get("lane")} if crossing.get("lane") else {}
    for reading in crossing.get("readings", []):
        if not isinstance(reading, Mapping):
            fail("each reading is an object with kind and payload")
        kind = str(reading.get("kind"))
        try:
            body = decode_body(kind, reading.get("payload", {}))
        except CodecError as exc:
            fail(f"reading {kind}: {exc}")
        facts = merge(facts, facts_of(body, kind, when))
    given = crossing.get("facts", {})
    return {**facts, **given} if isinstance(given, Mapping) else facts


def _when(value: Any) -> float:
    if value is None:
        return time.time()
    try:
        return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()
    except ValueError:
        fail(f"time {value!r} is not ISO 8601")


def cmd_attributes(args: argparse.Namespace) -> int:
    """Print the attributes and functions."""
    from edge.rules.attrs import ATTRIBUTES, FUNCTIONS

    if args.json:
        table = {k: {"type": t, "meaning": m} for k, (t, m) in ATTRIBUTES.items()}
        print_json({"attributes": table, "functions": FUNCTIONS}, pretty=True)
        return 0
    for name, (kind, meaning) in ATTRIBUTES.items():
        print(f"{name:22} {kind:16} {meaning}")
    for name, meaning in FUNCTIONS.items():
        print(f"{name + '(N)':22} {'number':16} {meaning}")
    return 0


# -- hq rules publish -----------------------------------------------------------------


def _register_publish(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    hq = hq_group(sub)
    if hq is None:
        return
    group = hq.add_parser("rules", help="HQ: publish rule packs to the posts")
    gsub = group.add_subparsers(dest="hq_rules_command", metavar="ACTION")
    group.set_defaults(func=lambda _a: usage(group))
    p = gsub.add_parser("publish", help="lint, sign and publish a pack (never an older one)")
    p.add_argument("pack", help="the pack file (JSON or TOML)")
    from edge.cli.watchlist_publish import add_broker_flags

    add_broker_flags(p)
    p.set_defaults(func=cmd_publish)
    from sync.hq import cli as hq_cli

    stats = gsub.add_parser("stats", help="per rule: crossings hit, alerts, officers' decisions")
    hq_cli._common(stats)
    stats.add_argument("--json", action="store_true", help="print JSON")
    stats.set_defaults(func=cmd_stats)


def cmd_publish(args: argparse.Namespace) -> int:
    """Lint the pack, then sign and publish it as the `rules` channel's next version."""
    from edge.cli.watchlist_publish import broker_target
    from edge.rules.lint import lint
    from edge.rules.pack import load_pack
    from sync import keys
    from sync.hq.cli import hq_state_dir
    from sync.hq.rules import check_publishable, publish_pack
    from sync.wldist.hq_client import BrokerError, Sender
    from sync.wldist.publish import PublishError

    data = _read(args.pack)
    errors = [f for f in lint(data) if f.severity == "error"]
    if errors:
        fail(f"{args.pack}: {errors[0].rule}: {errors[0].message} (rules check lists all)", 1)
    pack, hq = load_pack(data), hq_state_dir(args.hq_state_dir)
    try:
        check_publishable(hq, pack.version, pack.expires, time.time())
        with Sender(broker_target(args)) as sender:
            summary = publish_pack(hq, data, version=pack.version, expires=pack.expires,
                                   rules=len(pack.rules), send=sender.send)  # fmt: skip
    except (PublishError, keys.KeyFileError, BrokerError) as exc:
        fail(str(exc), 1)
    print_json({**summary, "published": True})
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    """Per rule, from HQ's database: crossings hit, shadow hits, alerts, decisions."""
    from sync.hq import cli as hq_cli
    from sync.hq.rules import rule_stats

    rows = rule_stats(hq_cli._store(args))
    if args.json:
        print_json(rows, pretty=True)
        return 0
    for r in rows:
        decided = ", ".join(f"{k} {v}" for k, v in sorted(r["decisions"].items())) or "-"
        print(f"{r['rule']:20} crossings {r['crossings']:6}  shadow {r['shadow_crossings']:6}"
              f"  alerts {r['alerts']:6}  decisions {decided}")  # fmt: skip
    return 0
