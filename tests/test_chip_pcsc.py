"""The chip behind the real PC/SC stack: pcscd with Debian's vpcd virtual reader, our
simulated chip connected to it as the card, read through libpcsclite by `chip read --reader`."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from drivers.chip import vicc
from drivers.chip.bac import mrz_information
from drivers.chip.lds import FID_COM, FID_OF_DG, FID_SOD
from drivers.chip.pcsc import PcscContext, wait_for_card
from drivers.chip.personalise import DAY, make_csca, make_signer, make_sod
from drivers.chip.sim import SimulatedChip
from drivers.chip.tlv import encode
from edge.api.client import ApiClient
from edge.store import Store, officers
from tests.conftest import SHARED_TESTDATA, borderpost, start_daemon

VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
SOCKET = Path("/run/pcscd/pcscd.comm")
pytestmark = pytest.mark.skipif(
    shutil.which("pcscd") is None or not VPCD_DRIVER.exists(),
    reason="needs Debian's pcscd and vsmartcard-vpcd (make setup installs them)",
)
LINES = (
    "P<NLDDE<BRUIJN<<WILLEKE<LISELOTTE<<<<<<<<<<<",
    "SPECI20142NLD6503101F2401151999999990<<<<<82",
)
KEY = mrz_information("SPECI2014", "650310", "240115")
READER = "Virtual PCD 00 00"
BSI = SHARED_TESTDATA / "emrtd" / "bsi-tr03105-dataset"


@pytest.fixture(scope="module")
def pcscd() -> Iterator[PcscContext]:
    """pcscd with the vpcd reader: the running one, or one started for these tests."""
    proc = None
    if not SOCKET.exists():
        proc = subprocess.Popen(
            ["pcscd", "--foreground"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
    try:
        context = _vpcd_reader(time.monotonic() + 20)  # slow to appear on a loaded machine
        yield context
        context.close()
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(10)


def _vpcd_reader(deadline: float) -> PcscContext:
    """A PC/SC context once pcscd lists vpcd's reader; a clear failure when it never does."""
    while not SOCKET.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    context = PcscContext()
    while READER not in context.readers() and time.monotonic() < deadline:
        time.sleep(0.2)
    if READER not in context.readers():
        context.close()
        pytest.fail(
            f"pcscd lists no {READER!r}: vpcd could not listen on TCP port {vicc.VPCD_PORT} "
            "(another process may hold it, e.g. an outgoing connection's ephemeral port: "
            f"ss -tanp | grep {vicc.VPCD_PORT})"
        )
    return context


@contextlib.contextmanager
def card_in_reader(chip: SimulatedChip) -> Iterator[socket.socket]:
    """The simulated chip connected to vpcd's first slot for the duration."""
    deadline = time.monotonic() + 10
    while True:
        try:
            sock = vicc.insert()
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    thread = threading.Thread(
        target=vicc.serve, args=(sock, chip.transmit, lambda: None), daemon=True
    )
    thread.start()
    try:
        yield sock
    finally:
        sock.close()
        thread.join(5)


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("pcsc")
    now = dt.datetime.now(dt.UTC)
    aa = rsa.generate_private_key(65537, 1024)
    spki = aa.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    dgs = {
        1: encode(0x61, encode(0x5F1F, "".join(LINES).encode())),
        2: encode(0x75, bytes(3000)),
        15: encode(0x6F, spki),
    }
    csca = make_csca("NL", now - 800 * DAY)
    sod = make_sod(dgs, make_signer(csca, "NL", now - DAY, now + 3650 * DAY))
    com = encode(0x60, encode(0x5F01, b"0107") + encode(0x5C, b"\x61\x75\x6f"))
    (folder / "csca.der").write_bytes(csca.certificate)
    files = {FID_COM: com, FID_SOD: sod} | {FID_OF_DG[n]: raw for n, raw in dgs.items()}
    return {"files": files, "aa": aa, "csca": folder / "csca.der"}


def test_chip_read_through_pcscd(pcscd: PcscContext, document: dict[str, Any]) -> None:
    chip = SimulatedChip(document["files"], KEY, aa_key=document["aa"])
    with card_in_reader(chip):
        proc = borderpost("chip", "read", "--json", "--reader", "Virtual PCD", "--mrz", LINES[0],
                          "--mrz", LINES[1], "--csca", str(document["csca"]))  # fmt: skip
    out = json.loads(proc.stdout)
    assert proc.returncode == 0, (out["reasons"], proc.stderr)
    assert out["access"] == "BAC" and out["passive_authentication"] == "ok"
    assert out["active_authentication"] == "ok" and out["mrz_match"]["match"]
    assert chip.commands == out["apdus"]  # every APDU went through pcscd to the chip


def test_card_inserted_and_removed(pcscd: PcscContext, document: dict[str, Any]) -> None:
    chip = SimulatedChip(document["files"], KEY)
    with card_in_reader(chip):
        status = wait_for_card(pcscd, READER, 10)
        assert status.present and status.atr == vicc.ATR
    deadline = time.monotonic() + 10
    known, present = 0, True
    while present and time.monotonic() < deadline:
        seen = pcscd.status(READER, known, 500)
        if seen is not None:
            present, known = seen[0].present, seen[1]
    assert not present


def test_no_card_is_a_clear_error(pcscd: PcscContext) -> None:
    key = ("--document-number", "X", "--birth", "650310", "--expiry", "240115")
    proc = borderpost("chip", "read", "--reader", "Virtual PCD 00 01", "--wait", "1", *key)
    assert (
        proc.returncode == 1
        and "PC/SC: wait for a card" in proc.stderr
        and "timed out" in proc.stderr
    )


@pytest.mark.skipif(not BSI.exists(), reason="BSI reference data set not in ../shared/testdata")
def test_sim_chip_command_serves_the_reader(pcscd: PcscContext) -> None:
    """`borderpost sim chip` in one process, `borderpost chip read --reader` in another."""
    key = ("--document-number", "C11T002JM", "--birth", "960812", "--expiry", "231031")
    sim = subprocess.Popen([sys.executable, "-m", "edge", "sim", "chip", str(BSI), "--pace", *key],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    try:
        proc = borderpost("chip", "read", "--json", "--reader", READER, "--at", "2014-06-01", *key)
        out = json.loads(proc.stdout)
        assert out["access"] == "PACE ECDH-GM AES" and out["hashes_ok"] and out["csca"] == "unknown"
    finally:
        sim.terminate()
        sim.wait(10)


def test_reader_as_a_device_of_the_daemon(
    pcscd: PcscContext, document: dict[str, Any], tmp_path: Path
) -> None:
    """Card present/removed become chip.card events; a reader that is not there a fault."""
    config = tmp_path / "borderpost.toml"
    config.write_text(
        f'[[devices]]\nname = "chip-1"\nkind = "chip"\nurl = "pcsc:{READER}"\n'
        '[[devices]]\nname = "chip-2"\nkind = "chip"\nurl = "pcsc:No Such Reader"\n'
    )
    daemon = start_daemon(tmp_path / "state", "--config", str(config))
    try:
        store = Store.open(daemon.state_dir / "events.db")
        officers.add(store, "anna", "Anna", "officer", "1234", "test")
        store.close()
        with ApiClient(daemon.socket, timeout=30) as client:
            client.call("login", officer_id="anna", pin="1234")
            client.call("subscribe", kinds=["chip.card"])
            devices = {d["name"]: d for d in client.call("status")["devices"]}
            time.sleep(1.5)  # the source has seen the empty reader
            with card_in_reader(SimulatedChip(document["files"], KEY)):
                inserted = client.next_event()
            removed = client.next_event()
    finally:
        daemon.stop()
    assert devices["chip-1"]["state"] == "ok"
    assert devices["chip-2"]["state"] in ("fault", "backoff"), devices["chip-2"]
    assert "No Such Reader" in str(devices["chip-2"])
    assert inserted["kind"] == "chip.card" and inserted["payload"]["present"] is True
    assert inserted["payload"]["atr"] == vicc.ATR.hex() and inserted["payload"]["reader"] == READER
    assert removed["kind"] == "chip.card" and removed["payload"]["present"] is False
