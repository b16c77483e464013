"""The CSCA channel: HQ's `chip publish` to a real Mosquitto, the post's applier rebuilding
its CSCA store, `chip verify --csca-store` trusting what arrived; refused bundles change
nothing."""

# ruff: noqa: F811  (pytest fixtures imported from sync_testkit)
from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from sync_testkit import broker, pki, uplink_config, wait_for  # noqa: F401
from wldist_kit import Hq

from drivers.chip.personalise import DAY, make_crl, make_csca, make_signer, make_sod
from drivers.chip.tlv import encode
from edge.chip.channel import CscaApplier, make_bundle
from edge.chip.store import CscaStore
from edge.cli import main
from sync import ca, keys
from sync.broker.run import Broker
from sync.wldist.channel import Channel
from sync.wldist.payload import Channels
from sync.wldist.trust import Refused
from tests.conftest import RunningDaemon, borderpost, daemon  # noqa: F401

NOW = dt.datetime.now(dt.UTC)
LINES = (
    "P<NLDDE<BRUIJN<<WILLEKE<LISELOTTE<<<<<<<<<<<",
    "SPECI20142NLD6503101F2401151999999990<<<<<82",
)


@pytest.fixture(scope="module")
def issued(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A document in dg1.bin style, its CSCA and a CRL by that CSCA, as files."""
    folder = tmp_path_factory.mktemp("issued")
    csca = make_csca("NL", NOW - 800 * DAY)
    signer = make_signer(csca, "NL", NOW - DAY, NOW + 3650 * DAY)
    dg1 = encode(0x61, encode(0x5F1F, "".join(LINES).encode()))
    (folder / "doc").mkdir()
    (folder / "doc" / "dg1.bin").write_bytes(dg1)
    (folder / "doc" / "sod.bin").write_bytes(make_sod({1: dg1}, signer))
    (folder / "csca.der").write_bytes(csca.certificate)
    (folder / "csca.crl").write_bytes(make_crl(csca, [12345], NOW - DAY))
    (folder / "impostor.crl").write_bytes(make_crl(make_csca("NL", NOW - DAY), [1], NOW))
    return {k: folder / n for k, n in (("doc", "doc"), ("csca", "csca.der"), ("crl", "csca.crl"),
                                       ("impostor", "impostor.crl"))}  # fmt: skip


def verify_with_store(doc: Path, store: Path) -> dict[str, object]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["chip", "verify", "--json", str(doc), "--csca-store", str(store)])
    return json.loads(out.getvalue())  # type: ignore[no-any-return]


def test_applier_keeps_the_store_and_refuses_bad_bundles(
    issued: dict[str, Path], tmp_path: Path
) -> None:
    applier = CscaApplier(tmp_path / "csca")
    assert applier.version() == 0
    good = make_bundle({"cscas": [issued["csca"]], "crls": [issued["crl"]]})
    applier.apply(SimpleNamespace(version=3), good)
    assert applier.version() == 3 and len(CscaStore.load(tmp_path / "csca").crls) == 1
    assert applier.status() == {"version": 3, "master_lists": 0, "cscas": 1, "crls": 1,
                                "deviation_lists": 0}  # fmt: skip
    assert verify_with_store(issued["doc"], tmp_path / "csca")["csca"] == "ok"
    with pytest.raises(Refused, match="no CSCA in the store signed this CRL"):
        make_bundle({"cscas": [issued["csca"]], "crls": [issued["impostor"]]})
    bad = good.replace(b"csca.crl", b"csca.crX")[:-40]
    with pytest.raises(Refused):
        applier.apply(SimpleNamespace(version=4), bad)
    assert applier.version() == 3 and len(CscaStore.load(tmp_path / "csca").cscas) == 1


def publish_and_apply(tmp_path: Path, broker: Broker, *files: str) -> CscaApplier:
    """HQ's ``chip publish FILES...`` as a real process to the broker; the post's applier in
    ``tmp_path/post/csca`` once it applied version 1."""
    hq = Hq(tmp_path, broker)
    cert, key = broker.pki.client(ca.HQ_IDENTITY)
    proc = borderpost("chip", "publish", *files, "--hq-state-dir", str(hq.dir),
                      "--broker", f"{broker.host}:{broker.hq_port}",
                      "--ca", str(broker.pki.ca_file),
                      "--cert", str(cert), "--key", str(key))  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["published"] is True
    applier = CscaApplier(tmp_path / "post" / "csca")
    channels = Channels(
        uplink_config(broker, "post-01"), tmp_path / "post", keys.load_public(hq.root_pub)
    )
    channels.register(Channel("csca"), applier)
    channels.start()
    try:
        wait_for(lambda: applier.version() == 1, 20, "CSCA version 1 applied")
    finally:
        channels.stop()
    return applier


def test_hq_publishes_and_the_post_applies(
    issued: dict[str, Path], tmp_path: Path, broker: Broker
) -> None:
    publish_and_apply(tmp_path, broker, "--csca", str(issued["csca"]), "--crl", str(issued["crl"]))
    assert (
        verify_with_store(issued["doc"], tmp_path / "post" / "csca")["passive_authentication"]
        == "ok"
    )


def test_status_shows_the_csca_version_in_force(daemon: RunningDaemon) -> None:
    result = borderpost("status", "--json", "--state-dir", str(daemon.state_dir))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["csca"] == {
        "version": 0, "master_lists": 0, "cscas": 0, "crls": 0, "deviation_lists": 0,
    }  # fmt: skip
