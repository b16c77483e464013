"""The chip at the booth: a card put into a lane's reader is read with that lane's MRZ.

The daemon shows :class:`ChipBooth` every event it commits (:meth:`ChipBooth.seen`, on the
event loop). It remembers the last printed MRZ of each lane (a document reader's, the
camera's or one an officer typed); when a ``chip.card`` event says a card was put into a
reader on that lane, the chip is opened with that MRZ (PACE or BAC), read and verified
against the CSCA store in force (``<state>/csca``, kept by the ``csca`` channel) in a
worker thread, and the verdict is ingested as one ``chip.read`` event — with an alert
when the chip is not genuine, differs from the page or refuses the page's MRZ. A card
with no recent MRZ on its lane gives a ``chip.read`` saying so; an MRZ read (or typed)
while that card is still in the reader opens it then.

The face (DG2) is never put in the event, which goes to HQ: a thumbnail of at most
64 × 80 pixels is kept in memory for the last :data:`FACES_KEPT` reads and served to
logged-in consoles by the ``chip.face`` request (:meth:`ChipBooth.face_request`).
"""

from __future__ import annotations

import asyncio
import base64
import collections
import dataclasses
import datetime as dt
import functools
import logging
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from drivers.base import Reading
from drivers.chip.face import thumbnail
from drivers.chip.lds import parse_dg2
from drivers.chip.passive import TrustSet
from drivers.chip.pcsc import PcscContext, PcscError
from drivers.chip.reader import AccessDenied, ChipRead, read_document
from drivers.chip.tlv import ChipFormatError
from drivers.events import ChipCard, ChipVerdict, Event, MrzRead
from drivers.mrz.parser import parse_mrz
from drivers.mrz.result import NotAnMrz
from edge.api.params import integer
from edge.api.protocol import ApiError
from edge.chip.store import CscaStore
from edge.chip.verify import add_deviations, printed_key, verdict
from edge.lanes import CROSSING_WINDOW_S
from edge.services import Ingest

log = logging.getLogger("borderpost.chip")
FACES_KEPT = 32
MRZ_KINDS = ("mrz", "manual")
ALERT = "chip"
NO_MRZ = "no MRZ to open the chip: read the document's page or type its MRZ"


@dataclasses.dataclass(frozen=True)
class _Printed:
    """The last printed MRZ seen on a lane."""

    lines: tuple[str, ...]
    seq: int
    seen: float


@dataclasses.dataclass(frozen=True)
class _Card:
    """A card in a reader on a lane, and the device that reported it."""

    reader: str
    device: str | None
    read_with: int | None = None  # the MRZ event it was read with (None: not yet)


class ChipBooth:
    """Reads the chip of a card put into a lane's reader (see the module docstring)."""

    def __init__(
        self, csca_folder: Path, ingest: Ingest, window_s: float = CROSSING_WINDOW_S
    ) -> None:
        self.csca_folder, self.ingest, self.window_s = csca_folder, ingest, window_s
        self._printed: dict[str | None, _Printed] = {}
        self._cards: dict[str | None, _Card] = {}
        self._busy: set[str | None] = set()
        self._faces: collections.OrderedDict[int, dict[str, Any]] = collections.OrderedDict()
        self._trust: tuple[tuple[int, int], CscaStore, TrustSet] | None = None
        self.tasks: set[asyncio.Task[None]] = set()

    def seen(self, event: Event) -> None:
        """A committed event: remember a printed MRZ, open a chip put in (on the loop)."""
        if event.kind in MRZ_KINDS and isinstance(event.body, MrzRead) and event.body.lines:
            self._printed[event.lane] = _Printed(event.body.lines, event.seq, time.monotonic())
        elif isinstance(event.body, ChipCard):
            if not event.body.present:
                self._cards.pop(event.lane, None)
                return
            self._cards[event.lane] = _Card(event.body.reader, event.device)
        else:
            return
        self._maybe_read(event.lane, announce=isinstance(event.body, ChipCard))

    def _maybe_read(self, lane: str | None, announce: bool) -> None:
        """Read the card on ``lane`` with its MRZ when both are there and it was not yet read
        with that MRZ; a card alone is announced as waiting for one."""
        card, printed = self._cards.get(lane), self._recent(lane)
        if card is None or lane in self._busy:
            return
        if printed is None:
            if announce:
                self._spawn(self._record(lane, card, _no_mrz(card.reader)))
            return
        if card.read_with == printed.seq:
            return
        self._cards[lane] = _Card(card.reader, card.device, printed.seq)
        self._busy.add(lane)
        self._spawn(self._read(lane, card, printed))

    def _recent(self, lane: str | None) -> _Printed | None:
        printed = self._printed.get(lane)
        if printed is None or time.monotonic() - printed.seen > self.window_s:
            return None
        return printed

    def _spawn(self, work: Any) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _read(self, lane: str | None, card: _Card, printed: _Printed) -> None:
        loop = asyncio.get_running_loop()
        try:
            call = functools.partial(self.read_card, card.reader, printed.lines)
            body, face = await loop.run_in_executor(None, call)
            body = _with(body, mrz_seq=printed.seq)
            seq = await self._record(lane, card, body)
            if face is not None and seq is not None:
                self._keep_face(seq, face)
        finally:
            self._busy.discard(lane)
        self._maybe_read(lane, announce=False)  # an MRZ that came while we were reading

    async def _record(self, lane: str | None, card: _Card, body: ChipVerdict) -> int | None:
        alert = ALERT if _alarming(body) else None
        reading = Reading("chip.read", body, 2 if alert else 0, alert=alert)
        try:
            recorded = await self.ingest(reading, lane=lane, device=card.device)
        except Exception as exc:  # a full disk: the daemon has shown consoles the verdict
            log.error("the chip read on lane %s could not be stored: %r", lane, exc)
            return None
        return recorded.event.seq

    def read_card(
        self, reader: str, lines: Sequence[str]
    ) -> tuple[ChipVerdict, dict[str, Any] | None]:
        """Open the card in ``reader`` with the printed MRZ ``lines``, read and verify it
        (blocking: PC/SC and the checks; run in a worker thread)."""
        try:
            key = printed_key(lines)
        except ValueError as exc:
            return _failed(reader, "no_mrz", f"the printed MRZ cannot open the chip: {exc}"), None
        try:
            read = _read_reader(reader, key)
        except AccessDenied as exc:
            return _refused(reader, str(exc)), None
        except (PcscError, ChipFormatError, OSError) as exc:
            return _failed(reader, "error", f"reading the chip failed: {exc}"), None
        store, trust = self._trust_set()
        out = verdict(read.files, trust, dt.datetime.now(dt.UTC), lines, *_live(read))
        add_deviations(out, store.deviations_for)
        return _verdict_body(reader, read, out), _face_of(read)

    def _trust_set(self) -> tuple[CscaStore, TrustSet]:
        """The CSCA store in force, loaded again only when the channel replaced it."""
        try:
            stat = self.csca_folder.stat()
            mark = (stat.st_ino, stat.st_mtime_ns)
        except OSError:
            mark = (0, 0)
        if self._trust is None or self._trust[0] != mark:
            store = CscaStore.load(self.csca_folder)
            self._trust = (mark, store, store.trust_set())
        return self._trust[1], self._trust[2]

    def _keep_face(self, seq: int, face: dict[str, Any]) -> None:
        self._faces[seq] = face
        while len(self._faces) > FACES_KEPT:
            self._faces.popitem(last=False)

    async def face_request(self, session: Any, req: dict[str, Any]) -> dict[str, Any]:
        """``chip.face {seq}``: the face thumbnail of ``chip.read`` event ``seq``."""
        seq = integer(req, "seq", None, 1, 2**62, required=True)
        face = self._faces.get(seq)
        if face is None:
            raise ApiError(
                "not_found",
                f"no face for event {seq}: the post keeps the faces of the last "
                f"{FACES_KEPT} chips read, in memory only",
            )
        return face


def _read_reader(reader: str, key: bytes) -> ChipRead:
    context = PcscContext()
    try:
        card = context.connect(reader)
        try:
            return read_document(card.transmit, key)
        finally:
            card.disconnect()
    finally:
        context.close()


def _live(read: ChipRead) -> tuple[tuple[bytes, bytes] | None, str]:
    return read.active, read.chip_authentication


def _verdict_body(reader: str, read: ChipRead, out: dict[str, Any]) -> ChipVerdict:
    match = out.get("mrz_match", {})
    body = ChipVerdict(
        status="read", genuine=bool(out["genuine"]), reader=reader, access=read.access,
        passive_authentication=out["passive_authentication"], csca=out["csca"],
        chip_authentication=out["chip_authentication"],
        active_authentication=out["active_authentication"],
        dg1_matches_page=match.get("match"), mismatches=tuple(match.get("mismatches", ())),
        reasons=tuple(out["reasons"]), document_signer_country=out["document_signer_country"],
        data_groups=tuple(sorted(read.files.data_groups)), face=out["face"],
        apdus=read.apdus, seconds=round(read.seconds, 3), **_holder(out.get("mrz")),
    )  # fmt: skip
    return _with(body, summary=summary(body) + _deviation_note(out))


def _deviation_note(out: Mapping[str, Any]) -> str:
    """The summary's note when the issuer's deviation list names the document (the same
    check as ``chip verify``: :func:`edge.chip.verify.add_deviations`)."""
    if not out.get("deviations"):
        return ""
    country = out.get("document_signer_country") or "its issuer"
    return f"; on the deviation list of {country} (a defect its issuer declared)"


def _holder(lines: Sequence[str] | None) -> dict[str, Any]:
    """Who the chip says it belongs to (DG1), shown beside the face."""
    try:
        mrz = parse_mrz(lines) if lines else None
    except NotAnMrz:
        mrz = None
    if mrz is None:
        return {}
    names = ("document_number", "issuing_state", "surname", "given_names", "nationality")
    return {name: getattr(mrz, name) for name in (*names, "birth_date")}


def summary(body: ChipVerdict) -> str:
    """The verdict in words: what an officer reads first."""
    pa, failed = body.passive_authentication, _failed_proofs(body)
    if pa == "failed":
        return f"Chip NOT genuine: {body.reasons[0] if body.reasons else 'its signature fails'}"
    if failed:
        return (
            f"Chip NOT genuine: it failed {' and '.join(failed)} authentication, "
            "so it is a copy of the signed data on another chip"
        )
    if pa == "ok" and body.dg1_matches_page:
        return "Genuine chip, matches the page"
    if pa == "ok":
        return f"Genuine chip, but it differs from the page in {', '.join(body.mismatches)}"
    country = body.document_signer_country or "its issuer"
    lead = f"Chip not proven: no CSCA certificate of {country} at this post"
    return lead if body.dg1_matches_page else f"{lead}; it differs from the page"


def _failed_proofs(body: ChipVerdict) -> list[str]:
    """``chip`` / ``active`` when the live chip failed to prove it holds DG14's / DG15's key."""
    proofs = (("chip", body.chip_authentication), ("active", body.active_authentication))
    return [name for name, outcome in proofs if outcome == "failed"]


def _alarming(body: ChipVerdict) -> bool:
    """An alert when the chip is not genuine, differs from the page or refused the MRZ."""
    return (
        body.status == "access_denied"
        or body.passive_authentication == "failed"
        or bool(_failed_proofs(body))
        or body.dg1_matches_page is False
    )


def _no_mrz(reader: str) -> ChipVerdict:
    return _failed(reader, "no_mrz", NO_MRZ)


def _refused(reader: str, detail: str) -> ChipVerdict:
    reason = (
        "the chip refused the printed MRZ as its key: the page's document number, birth or "
        f"expiry date differ from the chip's, or the zone was misread ({detail})"
    )
    return ChipVerdict(
        status="access_denied", reader=reader, genuine=False, reasons=(reason,),
        summary="Chip refused the page's MRZ: page altered or misread",
    )  # fmt: skip


def _failed(reader: str, status: str, reason: str) -> ChipVerdict:
    return ChipVerdict(
        status=status, reader=reader, reasons=(reason,), summary=reason[:1].upper() + reason[1:]
    )


def _with(body: ChipVerdict, **changes: Any) -> ChipVerdict:
    return dataclasses.replace(body, **changes)


def _face_of(read: ChipRead) -> dict[str, Any] | None:
    """DG2's first face as a thumbnail for the console, or None when there is none."""
    raw = read.files.data_groups.get(2)
    try:
        faces = parse_dg2(raw) if raw else []
        if not faces:
            return None
        width, height, rgb = thumbnail(faces[0])
    except ChipFormatError as exc:
        log.info("DG2 face not shown: %s", exc)
        return None
    return {"width": width, "height": height, "rgb_b64": base64.b64encode(rgb).decode()}


__all__ = ["FACES_KEPT", "NO_MRZ", "ChipBooth", "summary"]
