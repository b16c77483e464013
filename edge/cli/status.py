"""``borderpost status`` — ask the running daemon how it is."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from edge.api.client import ApiClient
from edge.cli._common import fail, print_json
from edge.cli.run import add_state_args
from edge.config import ConfigError, load
from edge.paths import resolve_state_dir
from sync.sanitize import clean_text


def socket_path(args: argparse.Namespace) -> Path:
    """The API socket from ``--socket``, or the configured one in the state folder."""
    if getattr(args, "socket", None):
        return Path(args.socket)
    state_dir = resolve_state_dir(args.state_dir)
    try:
        sock = Path(load(getattr(args, "config", None)).api.socket)
    except ConfigError as exc:
        fail(str(exc))
    return sock if sock.is_absolute() else state_dir / sock


NOT_ANSWERING_HINT = (
    "; is it running (systemctl status borderpost, journalctl -u borderpost) and is this"
    " its state folder (--state-dir, $BORDERPOST_STATE_DIR)?"
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``status``."""
    p = sub.add_parser("status", help="ask the running daemon for its status")
    add_state_args(p)
    p.add_argument("--socket", help="API socket path (default: from config/state folder)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_status)


def cmd_status(args: argparse.Namespace) -> int:
    """Print the daemon's status; exit 1 when it does not answer."""
    path = socket_path(args)
    try:
        with ApiClient(path) as client:
            status = client.call("status")
    except (OSError, ConnectionError) as exc:
        fail(f"the daemon does not answer on {path}: {exc}{NOT_ANSWERING_HINT}", 1)
    keys = (
        "post_id",
        "version",
        "uptime_s",
        "devices",
        "last_seq",
        "backlog",
        "watchlist_version",
        "broker",
    )
    if args.json:
        print_json(
            {k: status[k] for k in keys} | {k: v for k, v in status.items() if k not in keys}
        )
        return 0
    storage = status.get("storage") or {}
    if storage.get("full"):
        print(f"STORAGE FULL — readings not recorded (since {storage.get('since')})")
    print(
        f"post {status['post_id']}  borderpost {status['version']}  up {status['uptime_s']:.0f} s"
    )
    print(
        f"events {status['last_seq']}  backlog {status['backlog']}  "
        f"watchlist {status['watchlist_version'] or 'none'}  broker {broker_text(status['broker'])}"
    )
    if status.get("rules_version") is not None:  # the rule pack in force (docs/rules.md)
        expired = "  EXPIRED" if status.get("rules_expired") else ""
        print(f"rules pack {status['rules_version']} ({status.get('rules_count')} rules){expired}")
    print("\n".join(device_lines(status)))
    return 0


def device_lines(status: dict[str, Any]) -> list[str]:
    """One line per device, then one per lane that is not protected and why: an RPM
    whose link is up (state ``ok``) may still leave its lane unprotected (silence,
    parse errors, a tamper), which the device line alone does not say."""
    lines = [
        f"  {d['name']:<12} {d['kind']:<8} lane {d['lane']:<4} {d['state']:<8} "
        f"{clean_text(str(d['fault'] or ''), 200)}"
        for d in status["devices"]
    ]
    for name, lane in sorted((status.get("lanes") or {}).items()):
        if lane.get("rpm") is None:  # as the console's `LANE no RPM`: nothing to protect it
            lines.append(f"lane {name} no RPM")
        elif not lane.get("protected", True):
            faults = ", ".join(clean_text(str(f), 80) for f in lane.get("faults") or [])
            lines.append(f"lane {name} NOT PROTECTED (rpm {lane['rpm']}: {faults or '?'})")
    return lines


def broker_text(broker: dict[str, Any]) -> str:
    """The uplink's state in a few words: offline, or the broker, whether it is connected,
    the last sequence HQ acknowledged and the last error — not the raw status object."""
    if broker.get("mode") == "offline":
        return "offline (no [broker] configured; events wait in the outbox)"
    state = "connected" if broker.get("connected") else "NOT connected"
    acked = broker.get("last_ack_seq")
    text = f"{broker.get('broker', '?')} {state}, HQ has " + (
        f"events up to {acked}" if acked is not None else "no event yet"
    )
    error = broker.get("last_error")
    return text + (f", last error: {clean_text(str(error), 200)}" if error else "")
