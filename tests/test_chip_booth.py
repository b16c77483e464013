"""The daemon reads the chip put into a lane's reader with the MRZ its document reader saw:
a real daemon, the simulated document reader's frames on a pty, the simulated chip behind
pcscd and vpcd, the CSCA store in the state folder."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sync_testkit import broker, pki

from drivers.chip.lds import FID_COM, FID_OF_DG, FID_SOD
from drivers.chip.pcsc import PcscContext, wait_for_card
from drivers.chip.personalise import (
    DAY,
    make_csca,
    make_deviation_list,
    make_dg2,
    make_signer,
    make_sod,
)
from drivers.chip.sim import SimulatedChip
from drivers.chip.tlv import encode
from drivers.mrz.framing import frame
from edge.api.client import ApiClient
from edge.chip.booth import NO_MRZ, ChipBooth
from edge.chip.store import CscaStore
from edge.store import Store, officers
from sync.broker.run import Broker
from tests.conftest import RunningDaemon, eventually, start_daemon
from tests.test_chip_channel import publish_and_apply
from tests.test_chip_pcsc import KEY, LINES, READER, card_in_reader, pcscd, pytestmark

__all__ = ["broker", "pcscd", "pki", "pytestmark"]  # fixtures and the skip, shared
OTHER_NAME = (LINES[0].replace("DE<BRUIJN", "DE<BRUYNE"), LINES[1])


@pytest.fixture(scope="module")
def passport(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A document of our own PKI with a JPEG face and an active-authentication key."""
    now = dt.datetime.now(dt.UTC)
    aa = rsa.generate_private_key(65537, 1024)
    spki = aa.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    photo = np.zeros((200, 160, 3), np.uint8)
    photo[40:160, 40:120] = (60, 120, 200)
    jpeg = cv2.imencode(".jpg", photo)[1].tobytes()
    dgs = {1: encode(0x61, encode(0x5F1F, "".join(LINES).encode())),
           2: make_dg2(jpeg, 160, 200), 15: encode(0x6F, spki)}  # fmt: skip
    csca = make_csca("NL", now - 800 * DAY)
    sod = make_sod(dgs, make_signer(csca, "NL", now - DAY, now + 3650 * DAY))
    com = encode(0x60, encode(0x5F01, b"0107") + encode(0x5C, b"\x61\x75\x6f"))
    files = {FID_COM: com, FID_SOD: sod} | {FID_OF_DG[n]: raw for n, raw in dgs.items()}
    deviations = make_deviation_list(["SPECI2014"], make_signer(csca, "NL", now - DAY, now + DAY))
    return {"files": files, "aa": aa, "csca": csca.certificate, "deviations": deviations}


@pytest.fixture
def booth(passport: dict[str, Any], tmp_path: Path) -> Iterator[tuple[ApiClient, int]]:
    """A daemon with a document reader (a pty) and the vpcd reader on lane 1, trusting our
    CSCA; yields a logged-in client subscribed to the chip and MRZ events, and the pty."""
    state = tmp_path / "state"
    store = CscaStore(state / "csca")
    store.add_csca("test-csca.der", passport["csca"])
    store.save()
    master, slave = os.openpty()
    config = tmp_path / "borderpost.toml"
    config.write_text(
        f'[[devices]]\nname = "doc-1"\nkind = "mrz"\nlane = "1"\nurl = "{os.ttyname(slave)}"\n'
        f'[[devices]]\nname = "chip-1"\nkind = "chip"\nlane = "1"\nurl = "pcsc:{READER}"\n'
    )
    daemon = start_daemon(state, "--config", str(config))
    try:
        with _client(daemon) as client:
            yield client, master
    finally:
        daemon.stop()
        os.close(master)
        os.close(slave)


def _client(daemon: RunningDaemon) -> ApiClient:
    store = Store.open(daemon.state_dir / "events.db")
    officers.add(store, "anna", "Anna", "officer", "1234", "test")
    store.close()
    client = ApiClient(daemon.socket, timeout=30)
    client.call("login", officer_id="anna", pin="1234")
    try:  # pcscd may take a while to list vpcd's reader on a loaded machine
        eventually(lambda: all(d["state"] == "ok" for d in client.call("status")["devices"]), 60)
    except AssertionError:
        raise AssertionError(f"devices not ready: {client.call('status')['devices']}") from None
    client.call("subscribe", kinds=["mrz", "manual", "chip.card", "chip.read"])
    return client


def _next(client: ApiClient, kind: str) -> dict[str, Any]:
    while (event := client.next_event())["kind"] != kind:
        pass
    return event


def _page(client: ApiClient, pty: int, lines: tuple[str, ...]) -> None:
    """The document reader reads the page (framed as the simulated reader frames it), stored."""
    os.write(pty, frame(list(lines), "line"))
    assert _next(client, "mrz")["payload"]["lines"] == list(lines)


def _insert(client: ApiClient, chip: SimulatedChip, reads: int = 1) -> list[dict[str, Any]]:
    """Put the chip in the reader until ``reads`` chip.read events came; then take it out."""
    with card_in_reader(chip):
        events = [_next(client, "chip.read") for _ in range(reads)]
    assert _next(client, "chip.card")["payload"]["present"] is False
    return events


def _alerts(client: ApiClient, event: dict[str, Any]) -> list[dict[str, Any]]:
    return list(client.call("event", seq=event["seq"])["alerts"])


def test_card_without_mrz_then_the_page_opens_it(
    pcscd: PcscContext, passport: dict[str, Any], booth: tuple[ApiClient, int]
) -> None:
    client, pty = booth
    with card_in_reader(SimulatedChip(passport["files"], KEY, aa_key=passport["aa"])):
        waiting = _next(client, "chip.read")
        _page(client, pty, LINES)  # read while the card is in the reader
        read = _next(client, "chip.read")
    assert waiting["payload"]["status"] == "no_mrz" and waiting["payload"]["reasons"] == [NO_MRZ]
    body = read["payload"]
    assert body["summary"] == "Genuine chip, matches the page", body["reasons"]
    assert body["access"] == "BAC" and body["passive_authentication"] == "ok"
    assert body["active_authentication"] == "ok" and body["dg1_matches_page"] is True
    assert body["surname"] == "DE BRUIJN" and body["face"]["format"] == "jpeg"
    assert read["lane"] == "1" and read["device"] == "chip-1" and not read["alert_ids"]
    assert "rgb_b64" not in json.dumps(read)  # the face is not in the event (HQ gets events)
    face = client.call("chip.face", seq=read["seq"])
    assert (face["width"], face["height"]) == (64, 80)
    assert len(base64.b64decode(face["rgb_b64"])) == 64 * 80 * 3


def test_page_differs_tampered_group_and_clone_are_alerts(
    pcscd: PcscContext, passport: dict[str, Any], booth: tuple[ApiClient, int]
) -> None:
    client, pty = booth
    files, aa = passport["files"], passport["aa"]
    _page(client, pty, OTHER_NAME)
    (other,) = _insert(client, SimulatedChip(files, KEY, aa_key=aa))
    typed = client.call("manual", mrz=list(LINES), lane="1")["event"]  # the officer types it
    dg2 = files[FID_OF_DG[2]]
    tampered = files | {FID_OF_DG[2]: dg2[:-10] + bytes([dg2[-10] ^ 1]) + dg2[-9:]}
    (altered,) = _insert(client, SimulatedChip(tampered, KEY, aa_key=aa))
    clone_key = rsa.generate_private_key(65537, 1024)
    (clone,) = _insert(client, SimulatedChip(files, KEY, aa_key=clone_key))
    assert other["payload"]["mismatches"] == ["surname"]
    assert other["payload"]["summary"] == "Genuine chip, but it differs from the page in surname"
    assert altered["payload"]["passive_authentication"] == "failed"
    assert altered["payload"]["mrz_seq"] == typed["seq"] and typed["kind"] == "manual"
    assert altered["payload"]["summary"].startswith("Chip NOT genuine: DG2 does not match")
    assert clone["payload"]["active_authentication"] == "failed"
    assert "copy of the signed data on another chip" in clone["payload"]["summary"]
    for event in (other, altered, clone):
        (alert,) = _alerts(client, event)
        assert alert["kind"] == "chip" and alert["summary"] == event["payload"]["summary"]


def test_a_deviation_list_from_hq_reaches_the_booth(
    pcscd: PcscContext, passport: dict[str, Any], tmp_path: Path, broker: Broker
) -> None:
    """HQ publishes our CSCA and NL's deviation list naming SPECI2014 over the csca channel:
    the post's store keeps the list, status counts it and the booth's verdict reports it."""
    (tmp_path / "csca.der").write_bytes(passport["csca"])
    (tmp_path / "nl-deviations.bin").write_bytes(passport["deviations"])
    files = ("--csca", str(tmp_path / "csca.der"),
             "--deviation-list", str(tmp_path / "nl-deviations.bin"))  # fmt: skip
    applier = publish_and_apply(tmp_path, broker, *files)
    assert applier.status()["deviation_lists"] == 1
    booth = ChipBooth(applier.folder, ingest=None)  # type: ignore[arg-type]  # reads only
    with card_in_reader(SimulatedChip(passport["files"], KEY, aa_key=passport["aa"])):
        wait_for_card(pcscd, READER, 10)
        body, _ = booth.read_card(READER, LINES)
    assert body.passive_authentication == "ok" and body.genuine is True
    assert body.summary == (
        "Genuine chip, matches the page; on the deviation list of NL (a defect its issuer declared)"
    )
    assert body.reasons[-1].startswith("document SPECI2014 is on the deviation list of 'NL'")
