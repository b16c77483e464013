"""`borderpost watchlist publish` (HQ) and the watchlist key commands of `borderpost keys`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from edge.cli._common import fail, print_json
from sync import ca, keys
from sync.cliutil import broker_address
from sync.hq.cli import PKI_DIR, hq_state_dir
from sync.wldist import publish as pub
from sync.wldist.hq_client import BrokerError, BrokerTarget, Sender


def _hq_dir(args: argparse.Namespace) -> Path:
    return hq_state_dir(args.hq_state_dir)


def broker_target(args: argparse.Namespace) -> BrokerTarget:
    """The broker to publish to, from :func:`add_broker_flags`' flags."""
    pki = _hq_dir(args) / PKI_DIR
    host, port = args.broker
    if args.no_tls:
        return BrokerTarget(host, port, tls=False)
    files = (
        Path(args.ca) if args.ca else pki / ca.CA_CERT,
        Path(args.cert) if args.cert else pki / f"{ca.HQ_IDENTITY}.crt",
        Path(args.key) if args.key else pki / f"{ca.HQ_IDENTITY}.key",
    )
    for what, path in zip(("--ca", "--cert", "--key"), files, strict=True):
        if not path.is_file():
            fail(f"{what} {path}: no such file (pass {what})")
    return BrokerTarget(host, port, True, *files)


def cmd_publish(args: argparse.Namespace) -> int:
    """Build the next version from FILE, sign it and publish it retained on the broker."""
    hq = _hq_dir(args)
    state_store = pub.HqState(hq)
    posts = [p for p in (args.posts or "").split(",") if p]
    try:
        new = pub.read_list(Path(args.file))
        signer = pub.Signer.load(hq)
        state = state_store.load()
        plan = pub.build(
            new,
            state,
            state_store.current() if args.delta else {},
            signer,
            delta=args.delta,
            expires_days=args.expires_days,
            posts=posts,
            raw_chunk=args.chunk_kb * 1024,
        )
        if args.dry_run:
            print_json({**pub.plan_summary(plan), "published": False})
            return 0
        with Sender(broker_target(args)) as sender:
            new_state = pub.send_plan(plan, state, sender.send)
    except (pub.PublishError, keys.KeyFileError, BrokerError) as exc:
        fail(str(exc))
    state_store.save(new_state, new)
    print_json({**pub.plan_summary(plan), "published": True})
    return 0


def register_publish(wl_sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `watchlist publish` to the watchlist command group."""
    p = wl_sub.add_parser("publish", help="HQ: sign and publish a list version to the posts")
    p.add_argument("file", help="the whole list as JSON Lines (docs/watchlist.md)")
    p.add_argument("--delta", action="store_true", help="send only changes since the last version")
    p.add_argument("--expires-days", type=float, default=7.0, help="manifest lifetime (default 7)")
    p.add_argument("--posts", metavar="P,...", help="only these posts (default: all)")
    p.add_argument("--chunk-kb", type=int, default=1024, help="raw KiB per chunk (default 1024)")
    p.add_argument("--dry-run", action="store_true", help="build and print, publish nothing")
    add_broker_flags(p)
    p.set_defaults(func=cmd_publish)


def add_broker_flags(p: argparse.ArgumentParser) -> None:
    """The HQ state folder and broker flags of an HQ publishing command (``broker_target`` reads
    them); also used by ``hq rules publish``."""
    p.add_argument("--hq-state-dir", metavar="DIR", help="HQ state folder (default: <state>/hq)")
    p.add_argument(
        "--broker", type=broker_address, default=("127.0.0.1", 8884), metavar="HOST:PORT"
    )
    p.add_argument("--ca", metavar="FILE", help="CA certificate (default: pki/ca.crt)")
    p.add_argument("--cert", metavar="FILE", help="client certificate (default: HQ's)")
    p.add_argument("--key", metavar="FILE", help="client key (default: HQ's)")
    p.add_argument("--no-tls", action="store_true", help="plain TCP (test brokers only)")
    p.add_argument("--json", action="store_true", help="print JSON (the default)")


# -- keys root-init / publisher-init / publisher-revoke ------------------------------


def _root_init(args: argparse.Namespace) -> int:
    try:
        priv, pubf = pub.root_init(Path(args.dir))
    except keys.KeyFileError as exc:
        fail(str(exc))
    fp = keys.fingerprint(keys.load_public(pubf))
    print_json({"private_key": str(priv), "public_key": str(pubf), "fingerprint": fp})
    return 0


def _publisher_init(args: argparse.Namespace) -> int:
    try:
        cert = pub.publisher_init(Path(args.root_key), _hq_dir(args), args.valid_days)
    except (keys.KeyFileError, OSError) as exc:
        fail(str(exc))
    print_json(
        {"key_id": cert["id"], "not_before": cert["not_before"], "not_after": cert["not_after"]}
    )
    return 0


def _publisher_revoke(args: argparse.Namespace) -> int:
    try:
        crl = pub.publisher_revoke(Path(args.root_key), _hq_dir(args), args.key_id)
    except (keys.KeyFileError, OSError, ValueError) as exc:
        fail(str(exc))
    print_json({"serial": crl["serial"], "revoked": crl["revoked"]})
    return 0


def _root_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dir", required=True, help="folder for root.key/root.pub (keep it offline)")


def _pub_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--root-key", required=True, metavar="FILE", help="the root private key")
    p.add_argument("--hq-state-dir", metavar="DIR", help="HQ state folder (default: <state>/hq)")


def _pub_init_args(p: argparse.ArgumentParser) -> None:
    _pub_args(p)
    p.add_argument("--valid-days", type=float, default=365.0, help="validity (default 365)")


def _revoke_args(p: argparse.ArgumentParser) -> None:
    _pub_args(p)
    p.add_argument("--key-id", required=True, help="the publishing key id to revoke")


KEY_COMMANDS: list[tuple[str, str, Any, Any]] = [
    ("root-init", "create the offline watchlist root key pair", _root_args, _root_init),
    (
        "publisher-init",
        "create an HQ watchlist publishing key certified by the root key",
        _pub_init_args,
        _publisher_init,
    ),
    (
        "publisher-revoke",
        "revoke a publishing key (root-signed list sent with every manifest)",
        _revoke_args,
        _publisher_revoke,
    ),
]
