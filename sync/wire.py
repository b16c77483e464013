"""The batch wire format between a post and HQ: compact, compressed, signed.

A batch on the wire is ``MAGIC | codec | body | signature``:

* ``MAGIC`` is ``b"BP"`` and the format version (2; HQ still reads 1),
  ``codec`` one byte (0 none, 1 zlib, 2 zstd);
* ``body`` is the CBOR array (compressed with the preset dictionary of
  ``sync.wire_dict``; sent uncompressed, codec 0, when that is not smaller)
  ``[post_id, batch_id, epoch, epoch_base, created, backlog, evicted, base_seq,
  base_wall_us, base_mono_us, events]`` (version 1 has no ``epoch`` and
  ``epoch_base``): ``epoch`` is the 16-byte identity of the post's database,
  ``epoch_base`` the last sequence before that database's epoch began; each event is
  ``[seq - base_seq, uuid (16 bytes), kind, priority, wall_us - base_wall_us,
  mono_us - base_mono_us, clock_synced, lane, device, payload]``;
* ``signature`` is the post's Ed25519 signature (64 bytes) over everything
  before it.

HQ checks the signature *before* decompressing, bounds the decompressed size,
and decodes strictly: anything unexpected raises :class:`WireError` with a
short machine-readable ``reason`` (``malformed``, ``oversized``, ``forged``,
``unsupported``). Nothing here does I/O.
"""

from __future__ import annotations

import math
import uuid as uuidlib
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import cbor2
import zstandard
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from sync.outbox import OutboundEvent
from sync.wire_dict import DICTIONARY_V1

MAGIC: Final = b"BP\x02"
VERSIONS: Final = (1, 2)
EPOCH_LEN: Final = 16
SIG_LEN: Final = 64
MAX_WIRE_BYTES: Final = 512 * 1024
MAX_BODY_BYTES: Final = 8 * 1024 * 1024
MAX_EVENTS: Final = 5000
MAX_DEPTH: Final = 32  # the daemon bounds a payload's own nesting to 12
MAX_SHORT_TEXT: Final = 64
MAX_TEXT: Final = 4096
BATCH_ID_LEN: Final = 12
CODECS: Final = {"none": 0, "zlib": 1, "zstd": 2}
CODEC_NAMES: Final = {v: k for k, v in CODECS.items()}
ZLIB_LEVEL: Final = 6
ZSTD_LEVEL: Final = 3
_HEADER_FIELDS: Final = {1: 9, 2: 11}
_EVENT_FIELDS: Final = 10
_SCALARS = (str, int, float, bool, bytes, type(None))
_ZSTD_DICT: Final = zstandard.ZstdCompressionDict(
    DICTIONARY_V1, dict_type=zstandard.DICT_TYPE_RAWCONTENT
)


class WireError(ValueError):
    """A batch that must not be stored; ``reason`` is one of
    ``malformed``, ``oversized``, ``forged``, ``unsupported``."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Batch:
    """A decoded (or to-be-encoded) batch of one post's events."""

    post_id: str
    batch_id: bytes
    created: float
    backlog: int
    evicted: int
    events: tuple[OutboundEvent, ...]
    epoch: bytes | None = None  # None: a version-1 batch, from a post without one
    epoch_base: int = 0


def encode_batch(batch: Batch, key: Ed25519PrivateKey, codec: str = "zstd") -> bytes:
    """The signed wire bytes of ``batch`` (compressed with ``codec``)."""
    if codec not in CODECS:
        raise ValueError(f"compression must be one of {', '.join(CODECS)}, not {codec!r}")
    body = cbor2.dumps(_body(batch))
    packed = _compress(CODECS[codec], body)
    if len(packed) >= len(body):  # tiny batches may not shrink: send them as they are
        packed, codec = body, "none"
    version = MAGIC if batch.epoch is not None else MAGIC[:2] + b"\x01"
    signed = version + bytes([CODECS[codec]]) + packed
    return signed + key.sign(signed)


def peek_header(data: bytes) -> str:
    """The codec name of a wire batch, after checking its framing and size."""
    if len(data) > MAX_WIRE_BYTES:
        raise WireError("oversized", f"{len(data)} bytes > {MAX_WIRE_BYTES}")
    if len(data) < len(MAGIC) + 1 + SIG_LEN or not data.startswith(MAGIC[:2]):
        raise WireError("malformed", "not a Borderpost batch")
    if data[2] not in VERSIONS:
        raise WireError("unsupported", f"format version {data[2]}")
    if data[3] not in CODEC_NAMES:
        raise WireError("unsupported", f"codec {data[3]}")
    return CODEC_NAMES[data[3]]


def decode_batch(data: bytes, key: Ed25519PublicKey, expected_post: str) -> Batch:
    """Verify, decompress and strictly decode a wire batch from ``expected_post``."""
    peek_header(data)
    signed, signature = data[:-SIG_LEN], data[-SIG_LEN:]
    try:
        key.verify(signature, signed)
    except InvalidSignature:
        raise WireError("forged", f"bad signature for post {expected_post!r}") from None
    body = _decompress(data[3], signed[4:])
    batch = _parse_body(_loads(body), data[2])
    if batch.post_id != expected_post:
        raise WireError("forged", f"batch of {batch.post_id!r} on {expected_post!r}'s topic")
    return batch


def new_batch_id() -> bytes:
    """A fresh random batch id (also the MQTT CorrelationData)."""
    return uuidlib.uuid4().bytes[:BATCH_ID_LEN]


# --- encoding -----------------------------------------------------------------


def _us(t: float) -> int:
    return round(t * 1_000_000)


def _body(batch: Batch) -> list[Any]:
    evs = batch.events
    base_seq = min((e.seq for e in evs), default=0)
    base_wall = min((_us(e.wall_time) for e in evs), default=0)
    base_mono = min((_us(e.mono_time) for e in evs), default=0)
    rows = [_event_row(e, base_seq, base_wall, base_mono) for e in evs]
    epoch = [] if batch.epoch is None else [batch.epoch, batch.epoch_base]
    return [
        batch.post_id,
        batch.batch_id,
        *epoch,
        round(batch.created),
        batch.backlog,
        batch.evicted,
        base_seq,
        base_wall,
        base_mono,
        rows,
    ]


def _event_row(e: OutboundEvent, seq: int, wall: int, mono: int) -> list[Any]:
    return [
        e.seq - seq,
        uuidlib.UUID(e.uuid).bytes,
        e.kind[:MAX_SHORT_TEXT] or "unknown",  # never let one odd event block the outbox
        min(max(e.priority, 0), 9),
        _us(e.wall_time) - wall,
        _us(e.mono_time) - mono,
        bool(e.clock_synced),
        None if e.lane is None else e.lane[:MAX_SHORT_TEXT],
        None if e.device is None else e.device[:MAX_SHORT_TEXT],
        e.payload,
    ]


def _compress(codec: int, body: bytes) -> bytes:
    if codec == 1:
        c = zlib.compressobj(ZLIB_LEVEL, zlib.DEFLATED, 15, zdict=DICTIONARY_V1)
        return c.compress(body) + c.flush()
    if codec == 2:
        return zstandard.ZstdCompressor(level=ZSTD_LEVEL, dict_data=_ZSTD_DICT).compress(body)
    return body


# --- decoding -----------------------------------------------------------------


def _decompress(codec: int, data: bytes) -> bytes:
    try:
        if codec == 1:
            d = zlib.decompressobj(zdict=DICTIONARY_V1)
            out = d.decompress(data, MAX_BODY_BYTES)
            if d.unconsumed_tail or not d.eof:
                raise WireError("oversized", "body exceeds the decompressed limit or is cut")
            return out
        if codec == 2:
            return _unzstd(data)
    except (zlib.error, zstandard.ZstdError) as exc:
        raise WireError("malformed", f"cannot decompress: {exc}") from None
    return data


def _unzstd(data: bytes) -> bytes:
    size = zstandard.frame_content_size(data)
    if size < 0:
        raise WireError("malformed", "zstd frame without a content size")
    if size > MAX_BODY_BYTES:
        raise WireError("oversized", f"body of {size} bytes > {MAX_BODY_BYTES}")
    d = zstandard.ZstdDecompressor(dict_data=_ZSTD_DICT)
    out: bytes = d.decompress(data, max_output_size=MAX_BODY_BYTES)
    return out


def _loads(body: bytes) -> Any:
    try:
        value = cbor2.loads(
            body, max_depth=MAX_DEPTH, allow_indefinite=False, allow_duplicate_keys=False
        )
    except Exception as exc:  # cbor2 raises several types on hostile input
        raise WireError("malformed", f"bad CBOR: {type(exc).__name__}") from None
    _check_plain(value, 0)
    return value


def _check_plain(value: Any, depth: int) -> None:
    """Only plain JSON-like values (plus bytes) may appear; no tags, no NaN."""
    if depth > MAX_DEPTH:
        raise WireError("malformed", "nested too deeply")
    if isinstance(value, float) and not math.isfinite(value):
        raise WireError("malformed", "non-finite number")
    if isinstance(value, list):
        for item in value:
            _check_plain(item, depth + 1)
    elif isinstance(value, dict):
        for k, v in value.items():
            if not isinstance(k, str):
                raise WireError("malformed", "map key is not text")
            _check_plain(v, depth + 1)
    elif not isinstance(value, _SCALARS):
        raise WireError("malformed", f"unexpected {type(value).__name__}")


def _need(cond: bool, what: str) -> None:
    if not cond:
        raise WireError("malformed", what)


def _is_int(v: Any) -> bool:
    """An integer (not a bool) that any database stores exactly (|v| < 2**53)."""
    return isinstance(v, int) and not isinstance(v, bool) and -(2**53) < v < 2**53


def _is_num(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _short(v: Any, nullable: bool = False) -> bool:
    """Required text is 1–64 characters; optional text (lane, device) may be empty or null."""
    if v is None:
        return nullable
    return isinstance(v, str) and (nullable or len(v) > 0) and len(v) <= MAX_SHORT_TEXT


def _parse_body(body: Any, version: int) -> Batch:
    _need(isinstance(body, list) and len(body) == _HEADER_FIELDS[version], "header shape")
    epoch, base = None, 0
    if version >= 2:
        epoch, base = body.pop(2), body.pop(2)
        _need(isinstance(epoch, bytes) and len(epoch) == EPOCH_LEN, "epoch")
        _need(_is_int(base) and base >= 0, "epoch base")
    post, bid, created, backlog, evicted, bseq, bwall, bmono, rows = body
    _need(_short(post), "post id")
    _need(isinstance(bid, bytes) and len(bid) == BATCH_ID_LEN, "batch id")
    _need(_is_num(created), "created")
    _need(_is_int(backlog) and backlog >= 0 and _is_int(evicted) and evicted >= 0, "counters")
    _need(all(_is_int(v) for v in (bseq, bwall, bmono)), "bases")
    _need(isinstance(rows, list), "events")
    if len(rows) > MAX_EVENTS:
        raise WireError("oversized", f"{len(rows)} events > {MAX_EVENTS}")
    events = tuple(_parse_event(r, bseq, bwall, bmono) for r in rows)
    _check_unique(events)
    return Batch(post, bid, float(created), backlog, evicted, events, epoch, base)


def _parse_event(row: Any, bseq: int, bwall: int, bmono: int) -> OutboundEvent:
    _need(isinstance(row, list) and len(row) == _EVENT_FIELDS, "event shape")
    dseq, uid, kind, prio, dwall, dmono, synced, lane, device, payload = row
    _need(all(_is_int(v) for v in (dseq, dwall, dmono)), "event numbers")
    _need(1 <= bseq + dseq < 2**53, "sequence must be positive")
    _need(isinstance(uid, bytes) and len(uid) == 16, "event uuid")
    _need(_short(kind) and _is_int(prio) and 0 <= prio <= 9, "event kind/priority")
    _need(isinstance(synced, bool), "clock_synced")
    _need(_short(lane, True) and _short(device, True), "lane/device")
    _need(isinstance(payload, dict), "payload")
    return OutboundEvent(
        seq=bseq + dseq,
        uuid=str(uuidlib.UUID(bytes=uid)),
        kind=kind,
        priority=prio,
        wall_time=(bwall + dwall) / 1_000_000,
        mono_time=(bmono + dmono) / 1_000_000,
        clock_synced=synced,
        lane=lane,
        device=device,
        payload=payload,
    )


def _check_unique(events: Sequence[OutboundEvent]) -> None:
    seqs = {e.seq for e in events}
    uuids = {e.uuid for e in events}
    _need(len(seqs) == len(events) and len(uuids) == len(events), "duplicate event in batch")
