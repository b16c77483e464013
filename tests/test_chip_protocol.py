"""Chip protocols against the ICAO 9303-11 worked examples (known answers), run sans-IO."""

from __future__ import annotations

import json
from collections.abc import Callable, Generator, Iterator
from typing import Any

import pytest

from drivers.chip.apdu import CommandApdu, ResponseApdu
from drivers.chip.bac import AccessDenied, bac_exchange, bac_keys, mrz_information
from drivers.chip.crypto import CipherKind
from drivers.chip.pace import PaceInfo, pace_exchange, parse_card_access
from drivers.chip.sm import SecureChannel, SecureMessagingError, SessionKeys
from tests.conftest import SHARED_TESTDATA

KAT_FILE = SHARED_TESTDATA / "emrtd" / "kat-icao9303-part11.json"
pytestmark = pytest.mark.skipif(
    not KAT_FILE.exists(), reason=f"ICAO 9303-11 known answers not found ({KAT_FILE.name})"
)


@pytest.fixture(scope="module")
def kat() -> dict[str, Any]:
    return json.loads(KAT_FILE.read_text())  # type: ignore[no-any-return]


def v(section: dict[str, Any], key: str) -> bytes:
    item = section[key]
    return bytes.fromhex(item["value"] if isinstance(item, dict) else item)


def fixed_rng(*chunks: bytes) -> Callable[[int], bytes]:
    it: Iterator[bytes] = iter(chunks)

    def rng(n: int) -> bytes:
        chunk = next(it)
        assert len(chunk) == n, (len(chunk), n)
        return chunk

    return rng


def run(
    exchange: Generator[CommandApdu, ResponseApdu, Any], answers: list[bytes]
) -> tuple[list[bytes], Any]:
    """Drive an exchange with canned responses; return the commands sent and the result."""
    sent = [exchange.send(None).to_bytes()]  # type: ignore[arg-type]
    for answer in answers:
        try:
            sent.append(exchange.send(ResponseApdu.parse(answer)).to_bytes())
        except StopIteration as stop:
            return sent, stop.value
    raise AssertionError("exchange did not finish")


def test_bac_key_derivation(kat: dict[str, Any]) -> None:
    d2 = kat["bac_key_derivation_D2"]
    info = mrz_information("L898902C", "690806", "940623")
    assert info == d2["mrz_information"]["value"].encode()
    assert bac_keys(info) == (v(d2, "k_enc"), v(d2, "k_mac"))


def test_bac_mutual_authentication(kat: dict[str, Any]) -> None:
    d3 = kat["bac_mutual_authentication_D3"]
    info = kat["bac_key_derivation_D2"]["mrz_information"]["value"].encode()
    rng = fixed_rng(v(d3, "rnd_ifd"), v(d3, "k_ifd"))
    sent, keys = run(
        bac_exchange(info, rng),
        [v(d3, "rnd_ic") + b"\x90\x00", v(d3, "external_authenticate_response_data") + b"\x90\x00"],
    )
    assert sent == [v(d3, "get_challenge_command"), v(d3, "external_authenticate_command")]
    assert keys == SessionKeys(
        CipherKind.TDES, v(d3, "ks_enc"), v(d3, "ks_mac"), int(d3["ssc"]["value"], 16)
    )


def test_bac_wrong_mrz_is_refused(kat: dict[str, Any]) -> None:
    d3 = kat["bac_mutual_authentication_D3"]
    rng = fixed_rng(v(d3, "rnd_ifd"), v(d3, "k_ifd"))
    wrong = mrz_information("L898902C", "690806", "940624")
    with pytest.raises(AccessDenied, match="MRZ keys do not match"):
        run(
            bac_exchange(wrong, rng),
            [
                v(d3, "rnd_ic") + b"\x90\x00",
                v(d3, "external_authenticate_response_data") + b"\x90\x00",
            ],
        )


def _sm_trace(channel: SecureChannel, steps: list[dict[str, Any]]) -> None:
    for step in steps:
        plain = bytes.fromhex(
            step["unprotected_command"]["value"]
            if isinstance(step["unprotected_command"], dict)
            else step["unprotected_command"]
        )
        cmd = _parse_command(plain)
        assert channel.protect(cmd).to_bytes() == v(step, "protected_command")
        resp = channel.unprotect(v(step, "protected_response") + b"\x90\x00")
        assert resp.sw == 0x9000
        expected = step.get("plain_response_data", "")
        assert resp.data == (v(step, "plain_response_data") if expected else b"")


def _parse_command(raw: bytes) -> CommandApdu:
    """A short-APDU parser for the test traces (case 1–4)."""
    body = raw[4:]
    if len(body) == 1:
        return CommandApdu(raw[0], raw[1], raw[2], raw[3], b"", body[0] or 256)
    data = body[1 : 1 + body[0]]
    ne = body[1 + body[0]] or 256 if len(body) > 1 + body[0] else None
    return CommandApdu(raw[0], raw[1], raw[2], raw[3], data, ne)


def test_3des_secure_messaging(kat: dict[str, Any]) -> None:
    d3, d4 = kat["bac_mutual_authentication_D3"], kat["secure_messaging_3des_D4"]
    channel = SecureChannel(
        SessionKeys(CipherKind.TDES, v(d3, "ks_enc"), v(d3, "ks_mac"), int(d3["ssc"]["value"], 16))
    )
    _sm_trace(channel, d4["steps"])
    assert channel.ssc == int(d4["ssc_after_last_response"]["value"], 16)


def test_aes256_secure_messaging(kat: dict[str, Any]) -> None:
    t = kat["extra_aes_secure_messaging"]["gmrtd_aes256_read_ef_com"]
    keys = SessionKeys(
        CipherKind.AES256, v(t, "ks_enc"), v(t, "ks_mac"), int(t["ssc_start"]["value"], 16)
    )
    channel = SecureChannel(keys)
    _sm_trace(channel, t["steps"])
    assert channel.ssc == int(t["ssc_after_last_response"]["value"], 16)


def test_aes128_secure_messaging_bsi_example(kat: dict[str, Any]) -> None:
    t = kat["extra_aes_secure_messaging"]["bsi_tr03110_worked_example_8_1"]
    channel = SecureChannel(SessionKeys(CipherKind.AES128, v(t, "ks_enc"), v(t, "ks_mac"), 0))
    cmd = _parse_command(v(t, "unprotected_command"))
    assert channel.protect(cmd).to_bytes() == v(t, "protected_command")
    assert channel.unprotect(v(t, "protected_response") + b"\x90\x00").sw == 0x9000


def test_tampered_response_mac_is_refused(kat: dict[str, Any]) -> None:
    t = kat["extra_aes_secure_messaging"]["bsi_tr03110_worked_example_8_1"]
    channel = SecureChannel(SessionKeys(CipherKind.AES128, v(t, "ks_enc"), v(t, "ks_mac"), 0))
    channel.protect(_parse_command(v(t, "unprotected_command")))
    bad = bytearray(v(t, "protected_response"))
    bad[-1] ^= 1
    with pytest.raises(SecureMessagingError, match="MAC"):
        channel.unprotect(bytes(bad) + b"\x90\x00")


def _pace(kat: dict[str, Any], section: str, param_id: int, mapping: str) -> None:
    g = kat[section]
    (info,) = parse_card_access(v(g, "ef_cardaccess"))
    assert (info.mapping, info.kind, info.param_id) == (mapping, CipherKind.AES128, param_id)
    ec = mapping.startswith("ECDH")
    priv = ("terminal_mapping_private", "terminal_ephemeral_private")
    rng = fixed_rng(*(v(g, k) for k in priv))
    password = kat["pace_common_G"]["mrz_information"]["value"].encode()
    answers = [
        b"\x90\x00",
        v(g, "ga1_response"),
        _ga(g, "ga2_response", ec, 0x82, "chip_mapping_public"),
        _ga(g, "ga3_response", ec, 0x84, "chip_ephemeral_public"),
        _sw(v(g, "ga4_response")),
    ]
    sent, keys = run(pace_exchange(info, password, rng=rng), answers)
    assert sent[0][:4] == v(g, "mse_set_at_command")[:4]
    assert sent[0][5:].startswith(v(g, "mse_set_at_command")[5:])
    assert sent[0].endswith(bytes([0x84, 1, param_id]))
    if "ga2_command" in g:
        assert sent[2:] == [v(g, "ga2_command"), v(g, "ga3_command"), v(g, "ga4_command")]
    assert sent[-1] == v(g, "ga4_command")
    assert keys == SessionKeys(CipherKind.AES128, v(g, "ks_enc"), v(g, "ks_mac"), 0)


def _sw(answer: bytes) -> bytes:
    return answer if answer.endswith(b"\x90\x00") else answer + b"\x90\x00"


def _ga(g: dict[str, Any], key: str, ec: bool, tag: int, public: str) -> bytes:
    if key in g:
        return v(g, key)
    value = v(g, public)  # the DH trace gives the public value only
    inner = bytes([tag]) + _len(value) + value
    return b"\x7c" + _len(inner) + inner + b"\x90\x00"


def _len(data: bytes) -> bytes:
    n = len(data)
    return (
        bytes([n])
        if n < 128
        else (bytes([0x81, n]) if n < 256 else bytes([0x82]) + n.to_bytes(2, "big"))
    )


def test_pace_ecdh_generic_mapping(kat: dict[str, Any]) -> None:
    _pace(kat, "pace_ecdh_gm_G1", 13, "ECDH-GM")


def test_pace_dh_generic_mapping(kat: dict[str, Any]) -> None:
    _pace(kat, "pace_dh_gm_G2", 0, "DH-GM")


def test_pace_wrong_password_is_refused(kat: dict[str, Any]) -> None:
    g = kat["pace_ecdh_gm_G1"]
    (info,) = parse_card_access(v(g, "ef_cardaccess"))
    rng = fixed_rng(v(g, "terminal_mapping_private"), v(g, "terminal_ephemeral_private"))
    wrong = mrz_information("T22000129", "640812", "101030")
    answers = [
        b"\x90\x00",
        v(g, "ga1_response"),
        v(g, "ga2_response"),
        v(g, "ga3_response"),
        v(g, "ga4_response"),
    ]
    with pytest.raises(AccessDenied):
        run(pace_exchange(info, wrong, rng=rng), answers)


def test_pace_info_fields() -> None:
    info = PaceInfo("0.4.0.127.0.7.2.2.4.2.2", "ECDH-GM", CipherKind.AES128, 13)
    assert info.kind.block == 16
