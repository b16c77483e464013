"""`borderpost hq` — the HQ receiver, its database and the test certificate authority.

The HQ state folder (``--state-dir``, default ``<state dir>/hq``) holds
``hq.db`` and ``pki/`` (the CA made by ``hq ca init`` and the certificates
it issues). ``hq run`` uses ``pki/ca.crt`` and ``pki/borderpost-hq.crt|key``
unless ``--ca/--cert/--key`` say otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import re
import signal
import threading
from pathlib import Path
from typing import Any

from sync import ca, keys, logs, topics
from sync.broker import dynsec
from sync.cliutil import broker_address, fail, print_json, usage
from sync.hq import metrics
from sync.hq.ingest import Ingest
from sync.hq.receiver import Receiver, ReceiverConfig
from sync.hq.retention import RetentionError
from sync.hq.store import STALE_GAP_S, HqStore
from sync.hq.web import cli as web_cli
from sync.paths import state_dir_default
from sync.sanitize import clean_text

DB_NAME = "hq.db"


def redact(target: str) -> str:
    """A database URL without its password."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", target)


PKI_DIR = "pki"


def hq_state_dir(arg: str | None) -> Path:
    """The HQ state folder from a ``--state-dir``-like argument, else ``<state dir>/hq``."""
    return Path(arg) if arg else state_dir_default() / "hq"


def _hq_dir(args: argparse.Namespace) -> Path:
    return hq_state_dir(args.state_dir)


def _store(args: argparse.Namespace) -> HqStore:
    target = getattr(args, "db", None) or _hq_dir(args) / DB_NAME
    try:
        return HqStore(target)
    except ImportError:
        fail("a postgresql:// database needs the psycopg package (pip install 'psycopg[binary]')")
    except Exception as exc:  # sqlite3/psycopg connection errors
        fail(f"cannot open the HQ database {redact(str(target))}: {exc}")


def _receiver_configs(args: argparse.Namespace) -> list[ReceiverConfig]:
    """One receiver's settings per ``--broker`` (default: the local HQ listener)."""
    brokers = args.broker or [("127.0.0.1", 8884)]
    return [_receiver_config(args, host, port) for host, port in dict.fromkeys(brokers)]


def _receiver_config(args: argparse.Namespace, host: str, port: int) -> ReceiverConfig:
    pki = _hq_dir(args) / PKI_DIR
    tls = not args.no_tls
    cert = Path(args.cert) if args.cert else pki / f"{ca.HQ_IDENTITY}.crt"
    key = Path(args.key) if args.key else pki / f"{ca.HQ_IDENTITY}.key"
    cafile = Path(args.ca) if args.ca else pki / ca.CA_CERT
    for what, path in (("--ca", cafile), ("--cert", cert), ("--key", key)):
        if tls and not path.is_file():
            fail(f"{what} {path}: no such file (run `borderpost hq ca init` or pass {what})")
    return ReceiverConfig(
        host=host,
        port=port,
        tls=tls,
        ca_file=cafile if tls else None,
        cert_file=cert if tls else None,
        key_file=key if tls else None,
    )


def _run(args: argparse.Namespace) -> int:
    logs.setup("info")  # journald priorities under systemd, repeats limited (sync/logs.py)
    configs = _receiver_configs(args)
    store = _store(args)
    ingest = Ingest(store)  # one database and its counters; a receiver per broker
    receivers = [Receiver(store, cfg, ingest) for cfg in configs]
    metrics.serve(receivers, store)  # /metrics when BORDERPOST_HQ_METRICS is set
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    for r in receivers:
        r.start()
    connected = [r.connected.wait(10) for r in receivers]
    print_json(
        {
            "hq": "running",
            "db": redact(str(store.path)),
            "broker": ", ".join(f"{c.host}:{c.port}" for c in configs),
            "connected": all(connected),
            "brokers": [
                {"broker": f"{c.host}:{c.port}", "connected": ok}
                for c, ok in zip(configs, connected, strict=True)
            ],
        }
    )
    with contextlib.suppress(KeyboardInterrupt):
        done.wait()
    for r in receivers:
        r.stop()
    store.close()
    return 0


def _post_add(args: argparse.Namespace) -> int:
    problem = topics.post_id_problem(args.post_id)
    if problem is not None:
        fail(f"post id {args.post_id!r}: {problem}")
    try:
        key = keys.load_public(Path(args.key))
    except keys.KeyFileError as exc:
        fail(str(exc))
    store, raw = _store(args), keys.raw_public(key)
    if store.public_keys().get(args.post_id) == raw:  # run again with the same key: no change
        registered = "unchanged"
    else:
        registered = "new" if store.add_post(args.post_id, raw) else "re-keyed"
    print_json(
        {
            "post_id": args.post_id,
            "fingerprint": keys.fingerprint(key),
            "registered": registered,
            "broker": "admit it: `borderpost hq broker-acl --out FILE`, then restart Mosquitto",
        }
    )
    return 0


def _show(rows: list[dict[str, Any]], as_json: bool, columns: tuple[str, ...]) -> int:
    if as_json:
        print_json(rows)
        return 0
    print("  ".join(columns))
    for r in rows:
        print("  ".join(_cell(r.get(c)) for c in columns))
    return 0


def _cell(v: Any) -> str:
    return clean_text(str(v), 60) if v is not None else "-"


def _alerts(args: argparse.Namespace) -> int:
    rows = _store(args).alerts(limit=args.limit, post_id=args.post)
    return _show(rows, args.json, ("post_id", "seq", "kind", "wall_time", "lane", "device"))


def _posts(args: argparse.Namespace) -> int:
    rows = _store(args).posts()
    cols = ("post_id", "last_seen", "backlog", "epoch", "max_seq", "events", "conflicts")
    return _show(rows, args.json, cols)


def _stats(args: argparse.Namespace) -> int:
    rows = _store(args).stats()
    cols = ("post_id", "events", "alerts", "max_seq", "missing_count", "duplicates_ignored")
    return _show(rows, args.json, cols)


def _conflicts(args: argparse.Namespace) -> int:
    rows = _store(args).conflicts(limit=args.limit, stale_after_s=args.stale_after)
    return _show(rows, args.json, ("ts", "post_id", "kind", "epoch", "lo", "hi", "detail"))


def _rejects(args: argparse.Namespace) -> int:
    rows = _store(args).rejects(limit=args.limit)
    return _show(rows, args.json, ("ts", "post_id", "reason", "detail"))


def _retention(args: argparse.Namespace) -> int:
    store = _store(args)
    try:
        done = store.retention(args.keep_months, dry_run=args.dry_run)
    except RetentionError as exc:
        fail(str(exc))
    finally:
        store.close()
    print_json(dataclasses.asdict(done))
    return 0


def _register_retention(hsub: Any) -> None:
    p = hsub.add_parser(
        "retention", help="remove events older than N months (whole partitions on PostgreSQL)"
    )
    _common(p)
    p.add_argument(
        "--keep-months",
        type=int,
        required=True,
        metavar="N",
        help="keep this month and the N before it; older events are removed",
    )
    p.add_argument("--dry-run", action="store_true", help="count what would go; remove nothing")
    p.set_defaults(func=_retention)


def _broker_acl(args: argparse.Namespace) -> int:
    posts = [p["post_id"] for p in _store(args).posts()]
    hq = args.hq or [ca.HQ_IDENTITY]
    if args.out:
        path = dynsec.write(Path(args.out), posts, hq)
        print_json({"written": str(path), "posts": posts, "hq": hq})
    else:
        print_json(dynsec.config(posts, hq), pretty=True)
    return 0


def _register_broker_acl(hsub: Any) -> None:
    p = hsub.add_parser(
        "broker-acl", help="the broker's access control for the registered posts (dynsec)"
    )
    _common(p)
    p.add_argument("--out", metavar="FILE", help="write here (default: print)")
    p.add_argument(
        "--hq",
        action="append",
        metavar="CN",
        help=f"an HQ certificate's CN (repeatable; default {ca.HQ_IDENTITY})",
    )
    p.set_defaults(func=_broker_acl)


def _ca_dir(args: argparse.Namespace) -> Path:
    return Path(args.dir) if args.dir else _hq_dir(args) / PKI_DIR


def _ca_init(args: argparse.Namespace) -> int:
    d = _ca_dir(args)
    try:
        issued = [ca.init_ca(d), ca.issue(d, "server"), ca.issue(d, "hq")]
    except ca.CaError as exc:
        fail(str(exc))
    print_json({"dir": str(d), "files": [str(i.cert) for i in issued]})
    return 0


def _kind_and_name(args: argparse.Namespace) -> tuple[str, str | None]:
    """``issue NAME``, ``issue post NAME``, ``issue hq``, ``issue server`` or ``--kind``."""
    words = list(args.words)
    if len(words) > 2:
        fail("hq ca issue takes [KIND] NAME, e.g. `hq ca issue post-01` or `hq ca issue hq`")
    if len(words) == 2 or (words and words[0] in ("hq", "server")):
        if words[0] not in ca.KINDS:
            fail(f"certificate kind must be one of {', '.join(ca.KINDS)}, not {words[0]!r}")
        return words[0], (words[1] if len(words) == 2 else None)
    return args.kind, (words[0] if words else None)


def _ca_issue(args: argparse.Namespace) -> int:
    kind, name = _kind_and_name(args)
    try:
        out = Path(args.out) if args.out else None
        issued = ca.issue(_ca_dir(args), kind, name, out=out)
    except ca.CaError as exc:
        fail(str(exc))
    print_json({"name": issued.name, "cert": str(issued.cert), "key": str(issued.key)})
    return 0


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--state-dir", metavar="DIR", help="HQ state folder (default: <state>/hq)")
    p.add_argument(
        "--db",
        metavar="FILE|URL",
        help="HQ database: a SQLite file or postgresql://user@host/db (default: <HQ state>/hq.db)",
    )


def _listing(sub: Any, name: str, help_text: str, func: Any, limit: bool = False) -> None:
    p = sub.add_parser(name, help=help_text)
    _common(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    if limit:
        p.add_argument("--limit", type=int, default=100, help="at most N rows (default 100)")
    if name == "alerts":
        p.add_argument("--post", metavar="POST_ID", help="only this post's alerts")
    if name == "conflicts":
        p.add_argument(
            "--stale-after",
            type=float,
            default=STALE_GAP_S,
            metavar="SECONDS",
            help=f"list gaps open longer than this (default {STALE_GAP_S:.0f})",
        )
    p.set_defaults(func=func)


def _register_run(hsub: Any) -> None:
    p = hsub.add_parser("run", help="run the HQ receiver until SIGTERM/Ctrl-C")
    _common(p)
    p.add_argument(
        "--broker",
        type=broker_address,
        action="append",
        metavar="HOST:PORT",
        help="a broker's HQ listener; repeat for each regional broker, all received into"
        " one database (default 127.0.0.1:8884)",
    )
    p.add_argument("--ca", metavar="FILE", help="CA certificate (default: pki/ca.crt)")
    p.add_argument("--cert", metavar="FILE", help="client certificate (default: pki/…-hq.crt)")
    p.add_argument("--key", metavar="FILE", help="client key (default: pki/…-hq.key)")
    p.add_argument("--no-tls", action="store_true", help="plain TCP (test brokers only)")
    p.set_defaults(func=_run)


def _register_post(hsub: Any) -> None:
    p = hsub.add_parser("post", help="registered posts")
    psub = p.add_subparsers(dest="post_command", metavar="ACTION")
    add = psub.add_parser("add", help="register a post's public signing key")
    _common(add)
    add.add_argument("post_id", metavar="POST_ID")
    add.add_argument("--key", required=True, metavar="PUBKEY_FILE", help="the post's post.pub")
    add.set_defaults(func=_post_add)
    p.set_defaults(func=lambda _a: usage(p))


def _register_ca(hsub: Any) -> None:
    p = hsub.add_parser("ca", help="test certificate authority for the broker and posts")
    csub = p.add_subparsers(dest="ca_command", metavar="ACTION")
    init = csub.add_parser("init", help="create a CA plus the broker and HQ certificates")
    issue = csub.add_parser("issue", help="issue a post (or --kind hq/server) certificate")
    issue.add_argument(
        "words",
        nargs="*",
        metavar="[KIND] NAME",
        help="the post id (the CN); or a kind first: post NAME, hq, server",
    )
    issue.add_argument(
        "--kind",
        choices=ca.KINDS,
        default="post",
        help="post (default), hq (the receiver) or server (the broker)",
    )
    issue.add_argument("--out", metavar="DIR", help="write here (default: the CA folder)")
    for q in (init, issue):
        _common(q)
        q.add_argument("--dir", metavar="DIR", help="CA folder (default: <hq state>/pki)")
    init.set_defaults(func=_ca_init)
    issue.set_defaults(func=_ca_issue)
    p.set_defaults(func=lambda _a: usage(p))


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `borderpost hq ...`."""
    parser = sub.add_parser("hq", help="HQ receiver, HQ database and test CA")
    hsub = parser.add_subparsers(dest="hq_command", metavar="ACTION")
    _register_run(hsub)
    _register_post(hsub)
    _listing(hsub, "alerts", "alerts received from every post", _alerts, limit=True)
    _listing(hsub, "posts", "registered posts: last seen, backlog, status", _posts)
    _listing(hsub, "stats", "per post: events, alerts, max sequence, gaps, duplicates", _stats)
    _listing(hsub, "rejects", "refused batches (forged, malformed, oversized…)", _rejects, True)
    _listing(
        hsub,
        "conflicts",
        "new database epochs, sequences backwards or reused, gaps open too long",
        _conflicts,
        True,
    )
    _register_ca(hsub)
    _register_broker_acl(hsub)
    web_cli.register(
        hsub, _common, lambda a: getattr(a, "db", None) or _hq_dir(a) / DB_NAME, redact
    )
    _register_retention(hsub)
    parser.set_defaults(func=lambda _a: usage(parser))
