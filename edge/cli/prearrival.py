"""`borderpost prearrival parse|check` and `borderpost hq prearrival publish`.

``prearrival parse --json FILE`` prints one JSON object per PAXLST message
(docs/prearrival.md has the fields) and exits 1 when a message cannot be
used (its reason and position on stderr and in its object). ``prearrival
check --json FILE`` validates expected-arrival data in any accepted format
(PAXLST, JSON, CSV) without publishing. ``hq prearrival publish FILE``
signs and publishes the lists to the posts concerned over each post's own
``pax`` channel.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from edge.cli._common import command_group, fail, hq_group, print_json


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `prearrival parse|check`, and `prearrival publish` under `hq`."""
    _, psub = command_group(
        sub,
        "prearrival",
        "pre-arrival lists: read PAXLST, check expected data",
        dest="prearrival_command",
    )
    parse = psub.add_parser("parse", help="read a PAXLST file: one object per message")
    parse.add_argument("file")
    parse.add_argument("--json", action="store_true", help="print JSON (the default)")
    parse.set_defaults(func=cmd_parse)
    check = psub.add_parser("check", help="validate expected-arrival data (PAXLST, JSON, CSV)")
    _data_args(check)
    check.add_argument("--json", action="store_true", help="print JSON (the default)")
    check.set_defaults(func=cmd_check)
    _register_publish(sub)


def _data_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="PAXLST, JSON or CSV (docs/prearrival.md)")
    p.add_argument("--format", choices=("auto", "paxlst", "json", "csv"), default="auto")
    p.add_argument("--posts", metavar="P,...", help="posts concerned (when the data names none)")
    p.add_argument("--window-from", metavar="TIME", help="window start (ISO 8601) for PAXLST")
    p.add_argument("--window-to", metavar="TIME", help="window end (ISO 8601) for PAXLST")
    p.add_argument("--before-h", type=hours, default=2.0, help="PAXLST: hours before arrival")
    p.add_argument("--after-h", type=hours, default=4.0, help="PAXLST: hours after arrival")


def hours(text: str) -> float:
    """A number of hours, 0 or more (an argparse type)."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of hours (0 or more)")
    return value


NO_MESSAGE = "no message in the file (no UNH segment): is it a PAXLST file?"
NO_LISTS = "no expected lists in the file"


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        fail(f"{path}: {exc.strerror or exc}")


def cmd_parse(args: argparse.Namespace) -> int:
    """Print one object per PAXLST message; exit 1 when one cannot be used."""
    from sync.paxlst.edifact import Position
    from sync.paxlst.model import Message, Unusable, message_json, unusable_json
    from sync.paxlst.parse import parse

    results = parse(_read(args.file)) or [Unusable(NO_MESSAGE, Position(1, 1, 0))]
    bad = 0
    for r in results:
        if isinstance(r, Message):
            print_json(message_json(r))
        else:
            bad += 1
            print_json(unusable_json(r))
            sys.stderr.write(f"borderpost: {args.file}: {r}\n")
    return 1 if bad else 0


def _load(args: argparse.Namespace) -> tuple[list[Any], list[str]]:
    from sync.hq.prearrival import Window, detect, load
    from sync.paxlst.expected import FormatError, parse_time

    data = _read(args.file)
    fmt = detect(data, args.file) if args.format == "auto" else args.format
    posts = tuple(p for p in (args.posts or "").split(",") if p)
    if (args.window_from is None) != (args.window_to is None):
        fail("--window-from and --window-to go together (without them the window is set "
             "around each message's arrival by --before-h and --after-h)")  # fmt: skip
    try:
        start = parse_time(args.window_from, "--window-from") if args.window_from else None
        end = parse_time(args.window_to, "--window-to") if args.window_to else None
    except FormatError as exc:
        fail(str(exc))
    return load(data, fmt, posts, Window(start, end, args.before_h, args.after_h))


def cmd_check(args: argparse.Namespace) -> int:
    """Validate expected-arrival data; print its lists and what cannot be used."""
    from sync.hq.prearrival import summary

    lists, errors = _load(args)
    errors = errors or ([] if lists else [NO_LISTS])
    print_json({"lists": [summary(x) for x in lists], "errors": errors})
    for e in errors:
        sys.stderr.write(f"borderpost: {args.file}: {e}\n")
    return 1 if errors or not lists else 0


# -- hq prearrival publish -------------------------------------------------------------


def _register_publish(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    hq = hq_group(sub)
    if hq is None:
        return
    _, gsub = command_group(
        hq, "prearrival", "HQ: publish expected arrivals to posts", dest="hq_prearrival_command"
    )
    p = gsub.add_parser("publish", help="sign and publish expected lists to their posts")
    _data_args(p)
    p.add_argument("--retention-h", type=hours, default=24.0, help="keep after the window (h)")
    p.add_argument("--dry-run", action="store_true", help="check and print, publish nothing")
    from edge.cli.watchlist_publish import add_broker_flags

    add_broker_flags(p)
    p.set_defaults(func=cmd_publish)


def cmd_publish(args: argparse.Namespace) -> int:
    """Validate, then publish each concerned post's whole set on its own stream.

    Nothing is published when any part of the file cannot be used."""
    from edge.cli.watchlist_publish import broker_target
    from sync import keys
    from sync.hq.cli import hq_state_dir
    from sync.hq.prearrival import PrearrivalState, plan, publish, summary, with_expiry
    from sync.wldist.hq_client import BrokerError, Sender
    from sync.wldist.publish import PublishError

    lists, errors = _load(args)
    if errors or not lists:
        for e in errors or [NO_LISTS]:
            sys.stderr.write(f"borderpost: {args.file}: {e}\n")
        return 1
    now = time.time()
    gone = [x.list_id for x in lists if with_expiry(x, args.retention_h).expires <= now]
    if gone:
        fail(f"already expired (window ended more than --retention-h ago): {', '.join(gone)}")
    hq = hq_state_dir(args.hq_state_dir)
    per_post = plan(PrearrivalState(hq), lists, args.retention_h, now)
    out: dict[str, Any] = {"lists": [summary(x) for x in lists], "published": False}
    if args.dry_run:
        print_json({**out, "posts": {p: [x.list_id for x in v] for p, v in per_post.items()}})
        return 0
    try:
        with Sender(broker_target(args)) as sender:
            out["posts"] = publish(hq, per_post, sender.send)
    except (PublishError, keys.KeyFileError, BrokerError) as exc:
        fail(str(exc))
    print_json({**out, "published": True})
    return 0
