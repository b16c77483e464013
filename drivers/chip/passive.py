"""Passive authentication (ICAO 9303-11 §5.1): are the data groups as the issuing state signed them?

:func:`passive_authentication` checks, without I/O: every data group read against its hash
in EF.SOD (over the raw bytes as read), the SOD's CMS signature with the document signer's
key, the document signer certificate against the CSCA certificates and CRLs of a
:class:`TrustSet`, its validity at the time of the check, and its country against the
MRZ's issuing state. The verdict names every reason it is not ``ok``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from asn1crypto import crl, x509

from drivers.chip.countries import same_country
from drivers.chip.pki import (
    candidates,
    issued_by,
    issued_by_crl,
    signed_data_ok,
)
from drivers.chip.sod import Sod, parse_sod
from drivers.chip.tlv import ChipFormatError


@dataclass(frozen=True)
class TrustSet:
    """The CSCA certificates and CRLs a check trusts (from master lists and direct imports)."""

    cscas: tuple[x509.Certificate, ...] = ()
    crls: tuple[crl.CertificateList, ...] = ()

    @cached_property
    def _by_key(self) -> dict[bytes, list[x509.Certificate]]:
        index: dict[bytes, list[x509.Certificate]] = {}
        for cert in self.cscas:
            index.setdefault(cert.key_identifier or b"", []).append(cert)
        return index

    def issuers_of(self, cert: x509.Certificate) -> list[x509.Certificate]:
        """The CSCAs that may have issued ``cert``: by key identifier, else by name."""
        found = self._by_key.get(cert.authority_key_identifier or b"\x00", [])
        return found or candidates(cert, self.cscas)


@dataclass(frozen=True)
class DgCheck:
    """One data group read: whether its hash equals the SOD's (False also when unsigned)."""

    hash_ok: bool
    signed: bool


@dataclass(frozen=True)
class PassiveResult:
    """The verdict of passive authentication, as ``chip verify --json`` reports it."""

    hashes_ok: bool
    sod_signature_ok: bool
    csca: str
    """``ok`` (chain verified), ``unknown`` (no CSCA for the signer), ``failed``."""
    passive_authentication: str
    """``ok``, ``failed`` or ``no_csca``."""
    data_groups: dict[int, DgCheck]
    reasons: tuple[str, ...]
    signer: str = ""
    signer_country: str = ""
    csca_subject: str = ""
    hash_algorithm: str = ""

    @property
    def ok(self) -> bool:
        """Whether the chip's data is proven genuine."""
        return self.passive_authentication == "ok"


@dataclass
class _Verdict:
    reasons: list[str] = field(default_factory=list)
    failed: bool = False

    def fail(self, reason: str) -> None:
        """Record a reason that makes passive authentication fail."""
        self.reasons.append(reason)
        self.failed = True


def passive_authentication(
    sod_bytes: bytes | None,
    data_groups: Mapping[int, bytes],
    trust: TrustSet,
    at: dt.datetime,
    mrz_issuer: str | None = None,
) -> PassiveResult:
    """Check a document's SOD and data groups against ``trust`` at time ``at`` (aware)."""
    try:
        if sod_bytes is None:
            raise ChipFormatError("the file was not read")
        sod = parse_sod(sod_bytes)
    except ChipFormatError as exc:
        reason = f"EF.SOD cannot be read: {exc}"
        checks = {n: DgCheck(False, False) for n in data_groups}
        return PassiveResult(False, False, "unknown", "failed", checks, (reason,))
    verdict = _Verdict()
    checks = _hashes(sod, data_groups, verdict)
    hashes_ok = bool(checks) and all(c.hash_ok for c in checks.values())
    ds = sod.signer_certificate
    if ds is None:
        verdict.fail("EF.SOD does not carry its document signer certificate")
        return PassiveResult(hashes_ok, False, "unknown", "failed", checks, tuple(verdict.reasons))
    signature_ok = _signature(sod, ds, verdict)
    _signer(ds, at, mrz_issuer, verdict)
    csca, issuer = _chain(ds, trust, at, verdict)
    status = "failed" if verdict.failed else ("no_csca" if csca == "unknown" else "ok")
    return PassiveResult(
        hashes_ok, signature_ok, csca, status, checks, tuple(verdict.reasons),
        ds.subject.human_friendly, _country(ds), issuer, sod.hash_algorithm,
    )  # fmt: skip


def _hashes(sod: Sod, data_groups: Mapping[int, bytes], verdict: _Verdict) -> dict[int, DgCheck]:
    out: dict[int, DgCheck] = {}
    for number in sorted(data_groups):
        expected = sod.hashes.get(number)
        if expected is None:
            verdict.fail(f"DG{number} is present but not signed: the SOD has no hash for it")
            out[number] = DgCheck(False, False)
            continue
        ok = hashlib.new(sod.hash_algorithm, data_groups[number]).digest() == expected
        if not ok:
            verdict.fail(f"DG{number} does not match its hash in the SOD: the data was altered")
        out[number] = DgCheck(ok, True)
    if not out:
        verdict.fail("no data group was read, so nothing is proven")
    return out


def _signature(sod: Sod, ds: x509.Certificate, verdict: _Verdict) -> bool:
    why = signed_data_ok(sod.signed, sod.signer, ds)
    if why is not None:
        verdict.fail(f"the SOD signature is not valid: {why}")
    return why is None


def _country(cert: x509.Certificate) -> str:
    return str(cert.subject.native.get("country_name", ""))


def _signer(ds: x509.Certificate, at: dt.datetime, issuer: str | None, verdict: _Verdict) -> None:
    validity = ds["tbs_certificate"]["validity"]
    start, end = validity["not_before"].native, validity["not_after"].native
    if at > end:
        verdict.fail(f"the document signer certificate expired on {end:%Y-%m-%d}")
    elif at < start:
        verdict.fail(f"the document signer certificate is not valid before {start:%Y-%m-%d}")
    if issuer and not same_country(_country(ds), issuer):
        verdict.fail(
            f"the document signer is from '{_country(ds)}' but the MRZ names issuing state "
            f"'{issuer.strip('<')}'"
        )


def _chain(
    ds: x509.Certificate, trust: TrustSet, at: dt.datetime, verdict: _Verdict
) -> tuple[str, str]:
    pool = trust.issuers_of(ds)
    if not pool:
        verdict.reasons.append(
            f"no CSCA certificate for the document signer's issuer "
            f"'{ds.issuer.human_friendly}' is in the master lists loaded"
        )
        return "unknown", ""
    csca = next((c for c in pool if issued_by(ds, c)), None)
    if csca is None:
        verdict.fail("the document signer certificate does not verify with its CSCA's key")
        return "failed", pool[0].subject.human_friendly
    if _country(csca) != _country(ds):
        verdict.fail(
            f"the CSCA is from '{_country(csca)}', the document signer from '{_country(ds)}'"
        )
    _revocation(ds, csca, trust, verdict)
    return "ok", csca.subject.human_friendly


def _revocation(
    ds: x509.Certificate, csca: x509.Certificate, trust: TrustSet, verdict: _Verdict
) -> None:
    for revocations in trust.crls:
        if revocations.issuer != csca.subject or not issued_by_crl(revocations, csca):
            continue
        for entry in revocations["tbs_cert_list"]["revoked_certificates"] or []:
            if entry["user_certificate"].native == ds.serial_number:
                verdict.fail(
                    f"the document signer certificate (serial {ds.serial_number:X}) is revoked "
                    f"by its CSCA's CRL"
                )
                return
