"""Property tests: every chip parser answers garbage with its typed error, never a crash."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.chip.apdu import ApduError, CommandApdu, ResponseApdu, read_file
from drivers.chip.crypto import CipherKind
from drivers.chip.pace import parse_card_access
from drivers.chip.sm import SecureChannel, SecureMessagingError, SessionKeys
from drivers.chip.tlv import ChipFormatError, TlvError, encode, iter_tlv, parse_one

KEYS = SessionKeys(CipherKind.AES128, bytes(range(16)), bytes(range(16, 32)), 0)


@given(st.binary(max_size=64))
def test_tlv_garbage(data: bytes) -> None:
    try:
        items = list(iter_tlv(data))
    except TlvError:
        return
    assert sum(i.size for i in items) == len(data)


@given(st.integers(0x01, 0x1E) | st.integers(0x5F01, 0x5F7F), st.binary(max_size=300))
def test_tlv_round_trip_and_truncation(tag: int, value: bytes) -> None:
    raw = encode(tag, value)
    assert parse_one(raw).value == value
    for cut in range(len(raw)):
        with pytest.raises(TlvError):
            parse_one(raw[:cut])


@given(st.binary(max_size=40))
def test_response_apdu(data: bytes) -> None:
    try:
        resp = ResponseApdu.parse(data)
    except ApduError:
        assert len(data) < 2
        return
    assert resp.to_bytes() == data


@given(st.binary(max_size=80))
def test_secure_messaging_garbage(data: bytes) -> None:
    channel = SecureChannel(KEYS)
    try:
        resp = channel.unprotect(data)
    except (SecureMessagingError, ApduError):
        return
    assert resp.sw != 0x9000 and not resp.data  # only a plain error status gets through


@given(st.binary(max_size=80))
def test_card_access_garbage(data: bytes) -> None:
    with contextlib.suppress(ChipFormatError):
        parse_card_access(data)


@settings(max_examples=60)
@given(st.lists(st.binary(max_size=40), min_size=1, max_size=8))
def test_read_file_against_random_chip(answers: list[bytes]) -> None:
    exchange = read_file(0x011E)
    cmd = next(exchange)
    try:
        for answer in answers:
            assert isinstance(cmd, CommandApdu)
            cmd = exchange.send(ResponseApdu(answer, 0x9000))
    except StopIteration as stop:
        assert isinstance(stop.value, bytes)
    except ChipFormatError:
        pass


@settings(max_examples=80)
@given(st.binary(max_size=120))
def test_chip_side_command_parser(data: bytes) -> None:
    from drivers.chip.apdu import parse_command

    try:
        cmd = parse_command(data)
    except ApduError:
        return
    assert parse_command(cmd.to_bytes()) == cmd


@settings(max_examples=60)
@given(st.binary(max_size=200))
def test_pki_loaders_refuse_garbage(data: bytes) -> None:
    from drivers.chip.chipauth import chip_auth_key
    from drivers.chip.deviation import parse_deviation_list
    from drivers.chip.masterlist import parse_master_list
    from drivers.chip.pki import load_certificate
    from edge.chip.store import load_crl

    lists = (lambda d: parse_master_list(d, []), lambda d: parse_deviation_list(d, []))
    for parser in (load_certificate, load_crl, chip_auth_key, *lists):
        with contextlib.suppress(ChipFormatError):
            parser(data)
