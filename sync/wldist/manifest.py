"""The signed manifest of one list update, its topics and its chunks' encoding."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Final

import zstandard
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from sync.wldist.channel import WATCHLIST, Channel
from sync.wldist.trust import (
    Crl,
    Refused,
    b64,
    canonical,
    verify_cert,
    verify_crl,
    verify_signature,
)

PREFIX: Final = WATCHLIST.prefix
MANIFEST_TOPIC: Final = WATCHLIST.manifest_topic
SNAPSHOT_TOPIC: Final = WATCHLIST.snapshot_topic
MAX_MANIFEST_BYTES: Final = 1024 * 1024
MAX_CHUNKS: Final = 20000
MAX_CHUNK_BYTES: Final = 4 * 1024 * 1024
MAX_RAW_CHUNK: Final = 16 * 1024 * 1024
FORMAT: Final = 1


def chunk_topic(version: int, index: int) -> str:
    """Where chunk ``index`` of watchlist ``version`` is retained."""
    return WATCHLIST.chunk_topic(version, index)


@dataclass(frozen=True)
class ChunkInfo:
    """Compressed size and SHA-256 (hex) of one chunk."""

    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    """A verified manifest: what a post fetches and applies."""

    version: int
    previous: int
    kind: str
    created: int
    expires: int
    posts: tuple[str, ...]
    chunks: tuple[ChunkInfo, ...]
    raw_size: int
    raw_sha256: str
    entries: int
    key_id: str
    channel: str = WATCHLIST.name

    @property
    def total_size(self) -> int:
        """Sum of the compressed chunk sizes."""
        return sum(c.size for c in self.chunks)

    def for_post(self, post_id: str) -> bool:
        """True when the update targets ``post_id`` (or all posts)."""
        return "*" in self.posts or post_id in self.posts


def compress_chunks(lines: Iterable[bytes], raw_chunk: int) -> Iterator[bytes]:
    """Newline-terminated lines packed into zstd frames of about ``raw_chunk`` raw bytes."""
    cctx = zstandard.ZstdCompressor(level=6)
    buf: list[bytes] = []
    size = 0
    for line in lines:
        buf.append(line)
        size += len(line)
        if size >= raw_chunk:
            yield cctx.compress(b"".join(buf))
            buf, size = [], 0
    if buf:
        yield cctx.compress(b"".join(buf))


def decompress_chunk(data: bytes) -> bytes:
    """The raw bytes of one chunk (bounded); :class:`Refused` ``chunk_corrupt`` when broken."""
    try:
        return zstandard.ZstdDecompressor().decompress(data, max_output_size=MAX_RAW_CHUNK)
    except zstandard.ZstdError as exc:
        raise Refused("chunk_corrupt", f"chunk does not decompress: {exc}") from None


def sign_manifest(
    body: dict[str, Any], key: Ed25519PrivateKey, cert: dict[str, Any], crl: dict[str, Any] | None
) -> bytes:
    """The manifest message: body, Ed25519 signature, certificate and revocation list."""
    msg = {"manifest": body, "sig": b64(key.sign(canonical(body))), "cert": cert, "crl": crl}
    return canonical(msg)


def manifest_body(
    *,
    version: int,
    previous: int,
    created: float,
    expires: float,
    posts: Iterable[str],
    chunks: Iterable[bytes],
    raw: tuple[int, str],
    entries: int,
    channel: Channel = WATCHLIST,
) -> dict[str, Any]:
    """The unsigned manifest fields for ``chunks`` (compressed) of ``raw`` (size, sha256)."""
    return {
        **channel.body_fields(),
        "format": FORMAT,
        "version": version,
        "previous": previous,
        "kind": "delta" if previous else "snapshot",
        "created": int(created),
        "expires": int(expires),
        "posts": sorted(posts) or ["*"],
        "chunks": [{"size": len(c), "sha256": hashlib.sha256(c).hexdigest()} for c in chunks],
        "raw_size": raw[0],
        "raw_sha256": raw[1],
        "entries": entries,
    }


def parse_message(
    data: bytes,
    root: Ed25519PublicKey,
    now: float,
    crl: Crl | None,
    channel: Channel = WATCHLIST,
) -> tuple[Manifest, Crl | None]:
    """Verify a manifest message of ``channel``; return it and the newest revocation list known.

    Raises :class:`Refused` for a bad or unknown signature, a revoked or expired
    publishing key, an expired or malformed manifest, or one signed for another
    channel or post (``other_channel``).
    """
    if len(data) > MAX_MANIFEST_BYTES:
        raise Refused("malformed", f"manifest of {len(data)} bytes is too large")
    try:
        msg = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise Refused("malformed", "manifest is not JSON") from None
    if not isinstance(msg, dict) or not isinstance(msg.get("manifest"), dict):
        raise Refused("malformed", "manifest message without a manifest")
    if msg.get("crl") is not None:
        carried = verify_crl(msg["crl"], root)
        if crl is None or carried.serial > crl.serial:
            crl = carried
    key = verify_cert(msg.get("cert"), root, now, crl)
    verify_signature(key, msg.get("sig"), canonical(msg["manifest"]))
    _check_channel(msg["manifest"], channel)
    manifest = _fields(msg["manifest"], str(msg["cert"].get("id", "")), channel.name)
    if manifest.expires < now:
        raise Refused("expired", f"manifest {manifest.version} expired at {manifest.expires}")
    return manifest, crl


def _check_channel(body: dict[str, Any], channel: Channel) -> None:
    said = {k: body[k] for k in ("channel", "post") if k in body}
    if said != channel.body_fields():
        where = "/".join(str(v) for v in said.values()) or WATCHLIST.name
        raise Refused("other_channel", f"manifest signed for {where}, not {channel.prefix}")


def _fields(body: dict[str, Any], key_id: str, channel: str) -> Manifest:
    try:
        chunks = tuple(ChunkInfo(int(c["size"]), str(c["sha256"])) for c in body["chunks"])
        m = Manifest(
            version=int(body["version"]),
            previous=int(body["previous"]),
            kind=str(body["kind"]),
            created=int(body["created"]),
            expires=int(body["expires"]),
            posts=tuple(str(p) for p in body["posts"]),
            chunks=chunks,
            raw_size=int(body["raw_size"]),
            raw_sha256=str(body["raw_sha256"]),
            entries=int(body["entries"]),
            key_id=key_id,
            channel=channel,
        )
    except (KeyError, TypeError, ValueError):
        raise Refused("malformed", "manifest fields missing or of the wrong type") from None
    if (
        body.get("format") != FORMAT
        or m.kind not in ("snapshot", "delta")
        or len(chunks) > MAX_CHUNKS
    ):
        raise Refused("malformed", "manifest format, kind or chunk count not supported")
    if any(not 0 <= c.size <= MAX_CHUNK_BYTES for c in chunks):
        raise Refused("chunk_oversized", "manifest lists a chunk above the size limit")
    return m
