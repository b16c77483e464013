"""Signer certificates and keys that seals and signed QR codes are verified against."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding

PublicKey = ec.EllipticCurvePublicKey | rsa.RSAPublicKey
MAX_CERT_FILE = 64 * 1024
CERT_SUFFIXES = (".pem", ".crt", ".cer", ".der")


class TrustError(ValueError):
    """The configured trust folder cannot be read."""


@dataclass(frozen=True)
class TrustStore:
    """Signer certificates (VDS, HC1) and extra COSE keys by key id.

    A VDS signer is found by certificate serial number (its certificate
    reference) and country; an HC1 key by its ``kid``: the first 8 bytes of
    the SHA-256 of a certificate's DER, or an entry of ``cose_keys``.
    """

    certificates: tuple[x509.Certificate, ...] = ()
    cose_keys: dict[bytes, PublicKey] = field(default_factory=dict)

    @classmethod
    def from_folder(cls, folder: str | Path) -> TrustStore:
        """Load every ``*.pem/.crt/.cer/.der`` certificate in ``folder``."""
        path = Path(folder)
        if not path.is_dir():
            raise TrustError(f"trust folder {str(path)!r} does not exist or is not a folder")
        certs = [_load(p) for p in sorted(path.iterdir()) if p.suffix.lower() in CERT_SUFFIXES]
        return cls(certificates=tuple(certs))

    @classmethod
    def of(cls, certificates: Iterable[x509.Certificate]) -> TrustStore:
        """A store holding ``certificates``."""
        return cls(certificates=tuple(certificates))

    def vds_candidates(self, country: str, cert_ref: str) -> list[x509.Certificate]:
        """Certificates whose serial matches ``cert_ref`` (hex) and country ``country``."""
        try:
            serial = int(cert_ref, 16)
        except ValueError:
            return []
        return [
            c for c in self.certificates if c.serial_number == serial and _country_ok(c, country)
        ]

    def cose_signers(self, kid: bytes) -> list[tuple[PublicKey, x509.Certificate | None]]:
        """(public key, its certificate or None for a bare key) for COSE key id ``kid``
        (all when ``kid`` is empty)."""
        found: list[tuple[PublicKey, x509.Certificate | None]] = []
        if kid in self.cose_keys:
            found.append((self.cose_keys[kid], None))
        for cert in self.certificates:
            if not kid or cose_kid(cert) == kid:
                key = cert.public_key()
                if isinstance(key, ec.EllipticCurvePublicKey | rsa.RSAPublicKey):
                    found.append((key, cert))
        return found


def cose_kid(cert: x509.Certificate) -> bytes:
    """The EU DCC key id of a certificate: first 8 bytes of SHA-256 over its DER."""
    return hashlib.sha256(cert.public_bytes(Encoding.DER)).digest()[:8]


def _country_ok(cert: x509.Certificate, country: str) -> bool:
    """True when the certificate names no country or the one the seal gives."""
    names = cert.subject.get_attributes_for_oid(x509.NameOID.COUNTRY_NAME)
    return not names or not country or str(names[0].value).upper() == country.upper()


def _load(path: Path) -> x509.Certificate:
    """One certificate file, PEM or DER; TrustError naming the file when unreadable."""
    try:
        raw = path.read_bytes()[: MAX_CERT_FILE + 1]
        if len(raw) > MAX_CERT_FILE:
            raise TrustError(f"{path.name}: larger than {MAX_CERT_FILE} bytes")
        if b"-----BEGIN" in raw:
            return x509.load_pem_x509_certificate(raw)
        return x509.load_der_x509_certificate(raw)
    except (OSError, ValueError) as exc:
        raise TrustError(f"{path.name}: not a readable certificate ({exc})") from exc
