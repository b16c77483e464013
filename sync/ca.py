"""A small test/demo certificate authority for the MQTT broker and its clients.

``init_ca`` makes a CA; ``issue`` makes a certificate signed by it: for a post
(CN = post id: the broker takes it as the MQTT user name), for the HQ receiver
(CN = ``HQ_IDENTITY``) or for the broker itself (CN ``localhost`` with
``127.0.0.1`` and ``::1`` in the subject alternative names). Keys are ECDSA
P-256, written with mode 0600. Not an operational PKI: no revocation.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from sync import topics
from sync.keys import write_secret

HQ_IDENTITY: Final = "borderpost-hq"
KINDS: Final = ("post", "hq", "server")
CA_CERT: Final = "ca.crt"
CA_KEY: Final = "ca.key"


class CaError(ValueError):
    """The CA folder or a requested certificate is not usable."""


@dataclass(frozen=True)
class Issued:
    """Where an issued certificate and its key were written."""

    name: str
    cert: Path
    key: Path


def _new_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _name(cn: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Borderpost"),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def _builder(subject: str, issuer: x509.Name, days: int) -> x509.CertificateBuilder:
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
    )


def init_ca(directory: Path, *, days: int = 3650) -> Issued:
    """Create a CA (``ca.crt``, ``ca.key``) in ``directory``; refuse to replace one."""
    if (directory / CA_KEY).exists():
        raise CaError(f"{directory / CA_KEY} already exists")
    key = _new_key()
    cert = (
        _builder("Borderpost test CA", _name("Borderpost test CA"), days)
        .public_key(key.public_key())
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    write_secret(directory / CA_KEY, _key_pem(key))
    (directory / CA_CERT).write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return Issued("ca", directory / CA_CERT, directory / CA_KEY)


def _load_ca(directory: Path) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    try:
        cert = x509.load_pem_x509_certificate((directory / CA_CERT).read_bytes())
        key = serialization.load_pem_private_key((directory / CA_KEY).read_bytes(), None)
    except (OSError, ValueError) as exc:
        raise CaError(f"no usable CA in {directory} (run `hq ca init`): {exc}") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise CaError(f"{directory / CA_KEY}: not an EC key")
    return cert, key


def _extensions(b: x509.CertificateBuilder, kind: str) -> x509.CertificateBuilder:
    b = b.add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
    if kind == "server":
        sans: list[x509.GeneralName] = [
            x509.DNSName("localhost"),
            x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
            x509.IPAddress(ipaddress.ip_address("::1")),
        ]
        b = b.add_extension(x509.SubjectAlternativeName(sans), critical=False)
        return b.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
    return b.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), False)


def issue(
    directory: Path, kind: str, name: str | None = None, *, days: int = 825, out: Path | None = None
) -> Issued:
    """Issue a ``kind`` certificate (post needs ``name`` = post id) into ``out``."""
    cn = _common_name(kind, name)
    ca_cert, ca_key = _load_ca(directory)
    key = _new_key()
    builder = _builder(cn, ca_cert.subject, days).public_key(key.public_key())
    cert = _extensions(builder, kind).sign(ca_key, hashes.SHA256())
    target = out or directory
    stem = "server" if kind == "server" else cn
    cert_path, key_path = target / f"{stem}.crt", target / f"{stem}.key"
    if key_path.exists():
        key_path.unlink()
    write_secret(key_path, _key_pem(key))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return Issued(cn, cert_path, key_path)


def _common_name(kind: str, name: str | None) -> str:
    if kind not in KINDS:
        raise CaError(f"certificate kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if kind == "hq":
        return HQ_IDENTITY
    if kind == "server":
        return "localhost"
    problem = topics.post_id_problem(name)
    if name is None or problem is not None:
        raise CaError(f"a post id: {problem}")
    if name == HQ_IDENTITY:
        raise CaError(f"{HQ_IDENTITY!r} is reserved for the HQ receiver")
    return name
