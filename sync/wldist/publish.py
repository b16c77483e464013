"""HQ side: build a snapshot or delta of a JSON Lines list, chunk it, sign and publish.

HQ keeps, in ``<hq-state-dir>/watchlist/``, the last published list
(``current.jsonl``, one canonical line per entry, by id) and ``state.json``
(versions and their chunk counts, so superseded chunks are cleared from the
broker). Publishing keys live in ``<hq-state-dir>/keys/``.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync import keys
from sync.wldist import manifest as mf
from sync.wldist.channel import WATCHLIST, Channel
from sync.wldist.trust import canonical, issue_cert, issue_crl

MAX_LINE: Final = 64 * 1024
DEFAULT_RAW_CHUNK: Final = 1024 * 1024
ROOT_KEY: Final = "root.key"
ROOT_PUB: Final = "root.pub"
PUB_KEY: Final = "publisher.key"
PUB_CERT: Final = "publisher.cert.json"
CRL_FILE: Final = "crl.json"
Send = Callable[[str, bytes, bool], None]


class PublishError(ValueError):
    """The list or the HQ state cannot be used; nothing was published."""


def read_list(path: Path) -> dict[str, bytes]:
    """Entry id -> canonical JSON line of a JSON Lines list (blank lines skipped)."""
    out: dict[str, bytes] = {}
    try:
        with open(path, "rb") as fh:
            for n, raw in enumerate(fh, 1):
                _add_line(out, n, raw)
    except OSError as exc:
        raise PublishError(f"{path}: {exc.strerror or exc}") from None
    return out


def _add_line(out: dict[str, bytes], n: int, raw: bytes) -> None:
    if len(raw) > MAX_LINE:
        raise PublishError(f"line {n}: longer than {MAX_LINE} bytes")
    if not raw.strip():
        return
    try:
        obj = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise PublishError(f"line {n}: not JSON") from None
    if not isinstance(obj, dict) or not isinstance(obj.get("id"), str) or not obj["id"]:
        raise PublishError(f'line {n}: a JSON object with an "id" is required')
    if obj["id"] in out:
        raise PublishError(f"line {n}: id {obj['id']!r} appears earlier in the file")
    out[obj["id"]] = canonical(obj) + b"\n"


def delta_lines(new: dict[str, bytes], old: dict[str, bytes]) -> list[bytes]:
    """Changed or new entries, then ``{"delete": id}`` for entries gone."""
    changed = [line for i, line in sorted(new.items()) if old.get(i) != line]
    gone = [canonical({"delete": i}) + b"\n" for i in sorted(set(old) - set(new))]
    return changed + gone


@dataclass
class HqState:
    """The HQ's publishing state of one channel under ``<hq-state-dir>``."""

    root: Path
    channel: Channel = WATCHLIST

    @property
    def dir(self) -> Path:
        """``<hq-state-dir>/watchlist``; another channel's ``channels/<name>[/<post>]``."""
        if self.channel.is_watchlist:
            return self.root / "watchlist"
        return self.root / "channels" / self.channel.name / (self.channel.post or "_all")

    def load(self) -> dict[str, Any]:
        """``{"version", "snapshot", "published": {version: chunk count}}``."""
        path = self.dir / "state.json"
        if not path.exists():
            return {"version": 0, "snapshot": 0, "published": {}}
        data: dict[str, Any] = json.loads(path.read_text())
        return data

    def current(self) -> dict[str, bytes]:
        """The list last published (empty before the first)."""
        path = self.dir / "current.jsonl"
        return read_list(path) if path.exists() else {}

    def save(self, state: dict[str, Any], lines: dict[str, bytes]) -> None:
        """Record a published version and its list (each file replaced atomically)."""
        self.dir.mkdir(parents=True, exist_ok=True)
        atomic_write(self.dir / "current.jsonl", b"".join(lines[i] for i in sorted(lines)))
        atomic_write(self.dir / "state.json", json.dumps(state).encode())


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` (fsynced first)."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


@dataclass(frozen=True)
class Signer:
    """The HQ publishing key with its root-signed certificate and revocation list."""

    key: Ed25519PrivateKey
    cert: dict[str, Any]
    crl: dict[str, Any] | None

    @classmethod
    def load(cls, hq_state_dir: Path) -> Signer:
        """The publishing key in ``<hq-state-dir>/keys`` (see ``keys publisher-init``)."""
        d = hq_state_dir / "keys"
        try:
            cert = json.loads((d / PUB_CERT).read_text())
            crl = json.loads((d / CRL_FILE).read_text()) if (d / CRL_FILE).exists() else None
        except (OSError, ValueError) as exc:
            raise PublishError(f"{d}: no publishing key certificate ({exc})") from None
        return cls(keys.load_private(d / PUB_KEY), cert, crl)


def root_init(directory: Path) -> tuple[Path, Path]:
    """Create the offline root key pair (``root.key``, ``root.pub``) in ``directory``."""
    priv, pub = directory / ROOT_KEY, directory / ROOT_PUB
    if priv.exists():
        raise keys.KeyFileError(f"{priv} already exists; refusing to replace the root key")
    key = keys.generate()
    keys.write_secret(priv, keys.private_pem(key))
    pub.write_bytes(keys.public_pem(key.public_key()))
    return priv, pub


def publisher_init(root_key: Path, hq_state_dir: Path, valid_days: float) -> dict[str, Any]:
    """A new publishing key in ``<hq-state-dir>/keys`` with a certificate from the root."""
    root = keys.load_private(root_key)
    d = hq_state_dir / "keys"
    d.mkdir(parents=True, exist_ok=True)
    key = keys.generate()
    if (d / PUB_KEY).exists():
        os.replace(d / PUB_KEY, d / f"{PUB_KEY}.old")
    keys.write_secret(d / PUB_KEY, keys.private_pem(key))
    now = time.time()
    cert = issue_cert(root, key.public_key(), now - 300, now + valid_days * 86400)
    atomic_write(d / PUB_CERT, json.dumps(cert).encode())
    return cert


def publisher_revoke(root_key: Path, hq_state_dir: Path, key_id: str) -> dict[str, Any]:
    """Add ``key_id`` to the root-signed revocation list carried in every manifest."""
    root = keys.load_private(root_key)
    path = hq_state_dir / "keys" / CRL_FILE
    old: dict[str, Any] = (
        json.loads(path.read_text()) if path.exists() else {"serial": 0, "revoked": []}
    )
    revoked = sorted({*map(str, old["revoked"]), key_id})
    crl = issue_crl(root, int(old["serial"]) + 1, time.time(), revoked)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, json.dumps(crl).encode())
    return crl


@dataclass(frozen=True)
class Plan:
    """A built update: chunks, signed manifest message and what to clear."""

    version: int
    chunks: list[bytes]
    message: bytes
    kind: str
    entries: int
    channel: Channel = WATCHLIST


def build(
    new: dict[str, bytes],
    state: dict[str, Any],
    old: dict[str, bytes],
    signer: Signer,
    *,
    delta: bool,
    expires_days: float,
    posts: list[str],
    raw_chunk: int = DEFAULT_RAW_CHUNK,
    now: float | None = None,
    channel: Channel = WATCHLIST,
) -> Plan:
    """Build (do not send) the next version's chunks and signed manifest."""
    now = time.time() if now is None else now
    version = int(state["version"]) + 1
    previous = int(state["version"]) if delta and state["version"] else 0
    lines = delta_lines(new, old) if previous else [new[i] for i in sorted(new)]
    digest, raw_size = hashlib.sha256(), 0
    for line in lines:
        digest.update(line)
        raw_size += len(line)
    chunks = list(mf.compress_chunks(lines, raw_chunk))
    body = mf.manifest_body(
        version=version,
        previous=previous,
        created=now,
        expires=now + expires_days * 86400,
        posts=posts,
        chunks=chunks,
        raw=(raw_size, digest.hexdigest()),
        entries=len(lines),
        channel=channel,
    )
    message = mf.sign_manifest(body, signer.key, signer.cert, signer.crl)
    return Plan(version, chunks, message, str(body["kind"]), len(lines), channel)


def send_plan(plan: Plan, state: dict[str, Any], send: Send) -> dict[str, Any]:
    """Publish chunks, then the manifest (retained); clear superseded chunks; new state."""
    ch = plan.channel
    for i, chunk in enumerate(plan.chunks):
        send(ch.chunk_topic(plan.version, i), chunk, True)
    send(ch.manifest_topic, plan.message, True)
    snapshot = int(state["snapshot"])
    if plan.kind == "snapshot":
        send(ch.snapshot_topic, plan.message, True)
        snapshot = plan.version
    published = {int(k): int(v) for k, v in state["published"].items()}
    published[plan.version] = len(plan.chunks)
    for version, count in list(published.items()):
        if version not in (plan.version, snapshot):
            for i in range(count):
                send(ch.chunk_topic(version, i), b"", True)
            del published[version]
    return {"version": plan.version, "snapshot": snapshot, "published": published}


def plan_summary(plan: Plan) -> dict[str, Any]:
    """What ``watchlist publish --json`` prints."""
    return {
        "version": plan.version,
        "kind": plan.kind,
        "entries": plan.entries,
        "chunks": len(plan.chunks),
        "bytes": sum(len(c) for c in plan.chunks),
    }


def iter_chunks(plan: Plan) -> Iterator[tuple[int, bytes]]:
    """(index, compressed bytes) of every chunk."""
    yield from enumerate(plan.chunks)
