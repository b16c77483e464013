"""The CSCA channel: HQ distributes master lists, CSCAs, CRLs and deviation lists to the posts.

A version is one CBOR bundle of the files as HQ received them (the lists keep their own
signatures, which each post checks again). :func:`make_bundle` builds it at HQ after the same
checks; :class:`CscaApplier` is the post's side of the signed ``csca`` channel
(``sync.wldist.payload``): it rebuilds the post's CSCA store from a bundle, or refuses the
version and keeps the store in force. ``chip verify/read --csca-store DIR`` use that store.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import cbor2

from drivers.chip.pki import load_certificate
from drivers.chip.tlv import ChipFormatError
from edge.chip.store import CscaStore
from sync.wldist.trust import Refused

FORMAT = "borderpost-csca/1"
KINDS = ("trust_roots", "master_lists", "cscas", "crls", "deviation_lists")
VERSION_FILE = "version.json"
log = logging.getLogger(__name__)


def make_bundle(files: Mapping[str, Sequence[Path]]) -> bytes:
    """The CBOR bundle of the named files (by kind), checked as a post will check it."""
    bundle = {"format": FORMAT} | {
        k: [[p.name, p.read_bytes()] for p in files.get(k, ())] for k in KINDS
    }
    data = cbor2.dumps(bundle)
    build_store(data, None)
    return data


def build_store(data: bytes, folder: Path | None) -> CscaStore:
    """A CSCA store from a bundle; raises ``Refused`` saying which file is wrong and why."""
    try:
        bundle = cbor2.loads(data)
    except (cbor2.CBORDecodeError, ValueError) as exc:
        raise Refused("csca_bundle", f"not a CSCA bundle: {exc}") from exc
    if not isinstance(bundle, dict) or bundle.get("format") != FORMAT:
        raise Refused("csca_bundle", f"not a {FORMAT} bundle")
    store = CscaStore(folder)
    try:
        roots = [load_certificate(raw) for _, raw in bundle.get("trust_roots", [])]
        _add(store, bundle, roots)
    except (ChipFormatError, ValueError, TypeError, OSError) as exc:
        raise Refused("csca_bundle", str(exc)) from exc
    return store


def _add(store: CscaStore, bundle: dict[str, Any], roots: list[Any]) -> None:
    adders: dict[str, Callable[[str, bytes], object]] = {
        "master_lists": lambda name, raw: store.import_master_list(name, raw, roots),
        "cscas": store.add_csca, "crls": store.add_crl, "deviation_lists": store.add_deviation_list,
    }  # fmt: skip
    for kind, add in adders.items():  # CSCAs before the CRLs and deviation lists they sign
        for name, raw in bundle.get(kind, []):
            add(str(name), bytes(raw))


class CscaApplier:
    """The post's applier of the ``csca`` channel: the store in ``folder`` follows HQ's versions."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def version(self) -> int:
        """The version in force (0 before the first)."""
        try:
            return int(json.loads((self.folder / VERSION_FILE).read_text())["version"])
        except (OSError, ValueError, KeyError, TypeError):
            return 0

    def status(self) -> dict[str, Any]:
        """What ``borderpost status`` shows: the version in force and what it holds (the
        deviation lists counted are those kept in the store, as the booth loads them)."""
        try:
            sources = json.loads((self.folder / VERSION_FILE).read_text()).get("sources", [])
        except (OSError, ValueError):
            sources = []
        kinds = [s.get("kind") for s in sources if isinstance(s, dict)]
        cscas = sum(s.get("certificates", 0) for s in sources if s.get("kind") == "master_list")
        deviation_lists = len(list((self.folder / "deviation").glob("*.der")))
        return {"version": self.version(), "master_lists": kinds.count("master_list"),
                "cscas": cscas + kinds.count("csca"), "crls": kinds.count("crl"),
                "deviation_lists": deviation_lists}  # fmt: skip

    def apply(self, m: Any, data: bytes) -> None:
        """Check the bundle, then replace the store whole (a refused one changes nothing)."""
        fresh = self.folder.with_name(self.folder.name + ".new")
        shutil.rmtree(fresh, ignore_errors=True)
        store = build_store(data, fresh)
        store.save()
        (fresh / VERSION_FILE).write_text(
            json.dumps({"version": m.version, "sources": store.sources})
        )
        old = self.folder.with_name(self.folder.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if self.folder.exists():
            self.folder.rename(old)
        fresh.rename(self.folder)
        shutil.rmtree(old, ignore_errors=True)
        log.info("CSCA store version %d in force: %d CSCAs", m.version, len(store.cscas))

    def refused(self, code: str, message: str, details: dict[str, Any]) -> None:
        """Log a refused version; the store in force stays."""
        log.warning("CSCA channel version refused (%s): %s", code, message)
