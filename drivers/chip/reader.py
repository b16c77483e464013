"""Reading a document from a chip: access control, then EF.COM, EF.SOD and the data groups.

Sans-IO over a ``transmit(command bytes) -> response bytes`` function — a PC/SC card, a
simulated chip, anything. :func:`read_document` chooses PACE when EF.CardAccess offers
chip-authentication mapping (preferred: it proves the chip's DG14 key on the way) or
generic mapping, and BAC otherwise, reads under secure messaging (extended-length reads
with a fallback to short ones), asks the chip to sign a challenge when it has DG15, and
runs chip authentication when DG14 has a key and PACE-CAM did not already prove it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass
from typing import TypeVar

from drivers.chip.active import internal_authenticate
from drivers.chip.apdu import (
    EXTENDED_READ,
    SELECT_EMRTD_APP,
    SHORT_READ,
    SW_WRONG_LENGTH,
    ApduError,
    CommandApdu,
    ResponseApdu,
    read_file,
)
from drivers.chip.bac import AccessDenied, Random, bac_exchange
from drivers.chip.cam import verify_cam
from drivers.chip.chipauth import chip_auth_exchange, chip_auth_key
from drivers.chip.lds import FID_CARD_ACCESS, FID_COM, FID_OF_DG, FID_SOD, ChipFiles, parse_com
from drivers.chip.pace import CAM, PaceInfo, PaceOutcome, pace_run, parse_card_access
from drivers.chip.sm import SecureChannel
from drivers.chip.tlv import ChipFormatError

Transmit = Callable[[bytes], bytes]
T = TypeVar("T")
WANTED = (1, 2, 11, 12, 14, 15)
"""The data groups read without terminal authentication (DG3/DG4 need EAC)."""


@dataclass(frozen=True)
class ChipRead:
    """What one read gave: the files, how the chip was opened, and the AA answer."""

    files: ChipFiles
    access: str
    card_access: bytes | None
    aa_challenge: bytes | None
    aa_signature: bytes | None
    apdus: int
    seconds: float
    chip_authentication: str = "not_supported"
    """``ok`` (the chip proved DG14's key), ``failed``, or ``not_supported`` (no DG14 key)."""

    @property
    def active(self) -> tuple[bytes, bytes] | None:
        """(challenge, answer) of active authentication, when it was asked for."""
        if self.aa_challenge is None or self.aa_signature is None:
            return None
        return self.aa_challenge, self.aa_signature


class _Link:
    """Sends commands, wrapped in secure messaging once a channel is up; counts APDUs."""

    def __init__(self, transmit: Transmit, extended: bool) -> None:
        self.transmit, self.extended = transmit, extended
        self.channel: SecureChannel | None = None
        self.apdus = 0

    def send(self, cmd: CommandApdu) -> ResponseApdu:
        """One command, protected when a channel is up; the plain response."""
        self.apdus += 1
        if self.channel is None:
            return ResponseApdu.parse(self.transmit(cmd.to_bytes()))
        raw = self.transmit(self.channel.protect(cmd).to_bytes())
        if raw == SW_WRONG_LENGTH.to_bytes(2, "big"):
            self.channel.ssc -= 1  # the reader refused it: the chip never saw the command
            return ResponseApdu(b"", SW_WRONG_LENGTH)
        return self.channel.unprotect(raw)

    def run(self, exchange: Generator[CommandApdu, ResponseApdu, T]) -> T:
        """Drive a sans-IO exchange to its result over this link."""
        try:
            cmd = next(exchange)
            while True:
                cmd = exchange.send(self.send(cmd))
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]


def read_document(
    transmit: Transmit,
    mrz_info: bytes,
    wanted: Iterable[int] = WANTED,
    extended: bool = True,
    rng: Random = os.urandom,
) -> ChipRead:
    """Open the chip with the MRZ and read it; :class:`AccessDenied` when the MRZ is wrong."""
    start = time.perf_counter()
    link = _Link(transmit, extended)
    card_access, access, pace = _open(link, mrz_info, rng)
    chunk = EXTENDED_READ if extended else SHORT_READ
    com = link.run(read_file(FID_COM, chunk))
    sod = link.run(read_file(FID_SOD, chunk))
    listed = set(parse_com(com).data_groups)
    dgs = {n: raw for n in sorted(set(wanted) & listed) if (raw := _group(link, n, chunk))}
    challenge, signature = _active(link, dgs, rng)
    chip_auth = _chip_auth(link, dgs.get(14), rng, pace)
    files = ChipFiles(com, sod, dgs)
    seconds = time.perf_counter() - start
    return ChipRead(
        files, access, card_access, challenge, signature, link.apdus, seconds, chip_auth
    )


def _group(link: _Link, number: int, chunk: int) -> bytes | None:
    """A data group, or None when the chip says it is not there or not readable (EAC)."""
    try:
        return link.run(read_file(FID_OF_DG[number], chunk))
    except ApduError as exc:
        if exc.sw in (0x6A82, 0x6982):
            return None
        raise


def _open(
    link: _Link, mrz_info: bytes, rng: Random
) -> tuple[bytes | None, str, PaceOutcome | None]:
    """PACE when EF.CardAccess offers a mapping we run (CAM first: it proves the chip too),
    else BAC; how the chip was opened, and PACE's outcome."""
    card_access = _card_access(link)
    options = _pace_options(card_access) if card_access else []
    if options:
        outcome = link.run(pace_run(options[0], mrz_info, rng=rng))
        link.channel = SecureChannel(outcome.keys)
        link.send(SELECT_EMRTD_APP).check("select the eMRTD application")
        return card_access, f"PACE {options[0].mapping} {options[0].kind.value[0]}", outcome
    link.send(SELECT_EMRTD_APP).check("select the eMRTD application")
    link.channel = SecureChannel(link.run(bac_exchange(mrz_info, rng)))
    return card_access, "BAC", None


def _pace_options(card_access: bytes) -> list[PaceInfo]:
    runnable = [p for p in parse_card_access(card_access)
                if p.mapping.endswith("-GM") or p.mapping == CAM]  # fmt: skip
    return sorted(runnable, key=lambda p: p.mapping != CAM)


def _card_access(link: _Link) -> bytes | None:
    try:
        data = link.run(read_file(FID_CARD_ACCESS, SHORT_READ))
        parse_card_access(data)
        return data
    except (ApduError, ChipFormatError):
        return None


def _active(link: _Link, dgs: dict[int, bytes], rng: Random) -> tuple[bytes | None, bytes | None]:
    if 15 not in dgs:
        return None, None
    challenge = rng(8)
    resp = link.send(internal_authenticate(challenge))
    return challenge, (resp.data if resp.sw == 0x9000 else b"")


def _chip_auth(link: _Link, dg14: bytes | None, rng: Random, pace: PaceOutcome | None) -> str:
    """Check PACE-CAM's proof against DG14's key, or run chip authentication and prove the
    new keys by reading EF.COM's first bytes."""
    try:
        key = chip_auth_key(dg14) if dg14 else None
    except ChipFormatError:
        return "failed"
    if key is None:
        return "not_supported"
    if pace is not None and pace.cam_data:  # the chip proved its key during PACE
        return "ok" if verify_cam(pace, key) else "failed"
    try:
        link.channel = SecureChannel(link.run(chip_auth_exchange(key, rng)))
        link.run(read_file(FID_COM, SHORT_READ))
    except (ApduError, ChipFormatError):
        return "failed"
    return "ok"


__all__ = ["AccessDenied", "ChipRead", "read_document"]
