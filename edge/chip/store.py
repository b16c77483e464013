"""The CSCA store: trusted CSCA certificates, CRLs and deviation lists, from master lists
and direct imports.

A store lives in a folder (``csca/<sha256>.der``, ``crl/<sha256>.der``,
``deviation/<sha256>.der``, ``sources.json`` saying where each came from) or only in memory
for a one-off ``chip verify``. Master lists are checked on import
(:mod:`drivers.chip.masterlist`); a CRL is kept only when a CSCA in the store signed it; a
deviation list only when its signer was issued by a CSCA in the store, and it is checked
again so when the store is loaded (the files are kept as signed, byte for byte).
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from asn1crypto import crl, pem, x509

from drivers.chip.deviation import DeviationList, parse_deviation_list
from drivers.chip.masterlist import MasterList, parse_master_list
from drivers.chip.passive import TrustSet
from drivers.chip.pki import fingerprint, issued_by_crl, load_certificate
from drivers.chip.tlv import ChipFormatError

MAX_DEVIATION_LIST = 16 << 20
"""Largest deviation list kept (Estonia's, 169,422 documents, is 1.9 MB)."""
MAX_DEVIATION_LISTS = 256
"""Most deviation lists one store keeps (states publish one each)."""
log = logging.getLogger(__name__)


@dataclass
class CscaStore:
    """CSCA certificates and CRLs, keyed by SHA-256, with a note of each source."""

    folder: Path | None = None
    cscas: dict[str, x509.Certificate] = field(default_factory=dict)
    crls: dict[str, crl.CertificateList] = field(default_factory=dict)
    sources: list[dict[str, Any]] = field(default_factory=list)
    deviations: list[DeviationList] = field(default_factory=list)
    deviation_files: dict[str, bytes] = field(default_factory=dict)
    """The deviation lists as signed, by SHA-256: what :meth:`save` writes."""

    def import_master_list(
        self, name: str, data: bytes, roots: list[x509.Certificate]
    ) -> MasterList:
        """Check a master list (file ``name``), add its CSCAs; ``MasterListError`` if refused."""
        ml = parse_master_list(data, roots)
        for cert in ml.certificates:
            self.cscas.setdefault(fingerprint(cert), cert)
        self.sources.append({
            "kind": "master_list", "file": name, "country": ml.country,
            "signer": ml.signer.subject.human_friendly, "anchored": ml.anchored,
            "certificates": len(ml.certificates), "skipped": ml.skipped,
        })  # fmt: skip
        return ml

    def add_csca(self, name: str, data: bytes) -> x509.Certificate:
        """Trust one CSCA certificate given directly (PEM or DER)."""
        cert = load_certificate(data)
        self.cscas.setdefault(fingerprint(cert), cert)
        self.sources.append({"kind": "csca", "file": name, "subject": cert.subject.human_friendly})
        return cert

    def add_crl(self, name: str, data: bytes) -> crl.CertificateList:
        """Add a CRL signed by a CSCA in the store; refuse one nobody here signed."""
        revocations = load_crl(data)
        if not any(
            issued_by_crl(revocations, c)
            for c in self.cscas.values()
            if c.subject == revocations.issuer
        ):
            raise ChipFormatError(f"{name}: no CSCA in the store signed this CRL")
        self.crls.setdefault(hashlib.sha256(revocations.dump()).hexdigest(), revocations)
        self.sources.append(
            {"kind": "crl", "file": name, "issuer": revocations.issuer.human_friendly}
        )
        return revocations

    def add_deviation_list(self, name: str, data: bytes) -> DeviationList:
        """Check a deviation list against the CSCAs in the store and keep it (bounded in size
        and number; the same list twice is kept once)."""
        listed = self._keep_deviation_list(name, data)
        self.sources.append({"kind": "deviation_list", "file": name, "country": listed.country,
                             "documents": len(listed.documents)})  # fmt: skip
        return listed

    def _keep_deviation_list(self, name: str, data: bytes) -> DeviationList:
        key = hashlib.sha256(data).hexdigest()
        if len(data) > MAX_DEVIATION_LIST:
            raise ChipFormatError(f"{name}: a deviation list of {len(data)} bytes is too large "
                                  f"(at most {MAX_DEVIATION_LIST})")  # fmt: skip
        if key not in self.deviation_files and len(self.deviation_files) >= MAX_DEVIATION_LISTS:
            raise ChipFormatError(f"{name}: the store already holds {MAX_DEVIATION_LISTS} "
                                  "deviation lists, the most it keeps")  # fmt: skip
        listed = parse_deviation_list(data, list(self.cscas.values()))
        if key not in self.deviation_files:
            self.deviation_files[key] = data
            self.deviations.append(listed)
        return listed

    def deviations_for(self, document_number: str, country: str) -> list[str]:
        """The deviation types the loaded lists declare for this document of this state."""
        return [t for d in self.deviations if d.country == country
                for t in d.documents.get(document_number, ())]  # fmt: skip

    def trust_set(self) -> TrustSet:
        """What passive authentication checks against."""
        return TrustSet(tuple(self.cscas.values()), tuple(self.crls.values()))

    def save(self) -> None:
        """Write the store to its folder (certificates, CRLs, deviation lists, sources.json)."""
        if self.folder is None:
            raise ValueError("an in-memory store has no folder to save to")
        files = {"csca": {k: c.dump() for k, c in self.cscas.items()},
                 "crl": {k: c.dump() for k, c in self.crls.items()},
                 "deviation": self.deviation_files}  # fmt: skip
        for sub, items in files.items():
            (self.folder / sub).mkdir(parents=True, exist_ok=True)
            for key, raw in items.items():
                (self.folder / sub / f"{key}.der").write_bytes(raw)
        (self.folder / "sources.json").write_text(json.dumps(self.sources, indent=1))

    @classmethod
    def load(cls, folder: Path) -> CscaStore:
        """A store saved with :meth:`save` (an absent folder is an empty store)."""
        store = cls(folder)
        for path in sorted((folder / "csca").glob("*.der")):
            cert = x509.Certificate.load(path.read_bytes())
            store.cscas[path.stem] = cert
        for path in sorted((folder / "crl").glob("*.der")):
            store.crls[path.stem] = crl.CertificateList.load(path.read_bytes())
        for path in sorted((folder / "deviation").glob("*.der")):
            store._load_deviation_list(path)
        if (folder / "sources.json").exists():
            store.sources = json.loads((folder / "sources.json").read_text())
        return store

    def _load_deviation_list(self, path: Path) -> None:
        """Check a saved deviation list again; one that no longer passes is left out, logged."""
        try:
            if path.stat().st_size > MAX_DEVIATION_LIST:
                raise ChipFormatError(f"{path.name}: larger than {MAX_DEVIATION_LIST} bytes")
            self._keep_deviation_list(path.name, path.read_bytes())
        except (ChipFormatError, OSError) as exc:
            log.warning("deviation list %s left out of the CSCA store: %s", path.name, exc)


def load_crl(data: bytes) -> crl.CertificateList:
    """A CRL from DER or PEM."""
    try:
        if pem.detect(data):
            _, _, data = pem.unarmor(data)
        revocations = crl.CertificateList.load(data, strict=True)
        _ = revocations.issuer.native, revocations["tbs_cert_list"]["revoked_certificates"].native
        return revocations
    except (ValueError, TypeError, KeyError) as exc:
        raise ChipFormatError(f"not a CRL: {exc}") from exc
