"""The barcode scanner as a daemon device: ``make_decoder(options)`` → readings.

Options (all optional): ``suffix`` cr|lf|crlf|none (default cr), ``timeout``
seconds of silence that end a scan (default 0.05; 0.1 with suffix none),
``aim`` whether to split AIM identifiers (default true), ``symbology`` assumed
when no AIM identifier comes, ``trust_dir`` folder of signer certificates,
``max_length`` bytes per scan (default 8192).
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from drivers.barcode.payload import parse_payload
from drivers.barcode.result import clean
from drivers.barcode.scanner import SUFFIXES, Scan, ScanFramer
from drivers.barcode.trust import TrustError, TrustStore
from drivers.base import Decoder, DriverError, Reading
from drivers.options import Options

OPTIONS = ("suffix", "timeout", "aim", "symbology", "trust_dir", "max_length")


class BarcodeDecoder:
    """Frames scans from a serial scanner and parses each payload."""

    def __init__(
        self, framer: ScanFramer, symbology: str | None = None, trust: TrustStore | None = None
    ) -> None:
        self.framer = framer
        self.symbology = symbology
        self.trust = trust

    def feed(self, data: bytes, now: float) -> list[Reading]:
        """Consume scanner bytes; one reading per completed scan."""
        return [self.reading(scan) for scan in self.framer.feed(data, now)]

    def tick(self, now: float) -> list[Reading]:
        """End a scan that has no suffix once the line is quiet."""
        return [self.reading(scan) for scan in self.framer.tick(now)]

    def reading(self, scan: Scan) -> Reading:
        """The event for one scan (or a device fault for dropped bytes)."""
        if scan.error is not None:
            payload = {"device": "barcode", "error": scan.error, "hex": scan.data.hex()}
            return Reading.of("device.fault", payload, priority=1)
        return scan_reading(scan.data, scan.aim.identifier if scan.aim else self.symbology,
                            self.trust)  # fmt: skip


def scan_reading(
    data: bytes, symbology: str | None, trust: TrustStore | None, hint: str | None = None
) -> Reading:
    """A ``barcode`` reading for one payload: parsed (``hint``, e.g. an AIM identifier, tells
    the parser more than the symbology), keys only when valid."""
    parsed = parse_payload(data, hint or symbology, trust=trust)
    doc = parsed.to_json()
    recognised = parsed.kind not in ("text", "binary")
    payload = {
        "symbology": clean(symbology or "unknown", 32),
        "text": clean(data.decode("utf-8", "replace"), 8192),
        "bytes_b64": base64.b64encode(data).decode("ascii"),
        "parsed": doc,
    }
    priority = 1 if recognised and not parsed.valid else 0
    return Reading.of("barcode", payload, priority, keys=parsed.keys)


def make_decoder(options: Mapping[str, Any]) -> Decoder:
    """A decoder for a serial / USB-CDC scanner; DriverError names a bad option."""
    opts = Options("barcode", options, OPTIONS)
    suffix = opts.choice("suffix", "cr", SUFFIXES)
    framer = ScanFramer(
        suffix,
        opts.number("timeout", 0.1 if suffix == "none" else 0.05, 0.005, 10.0),
        aim_prefix=opts.flag("aim", True),
        max_frame=opts.whole("max_length", 8192, 64, 65536),
    )
    symbology = options.get("symbology")
    return BarcodeDecoder(framer, str(symbology) if symbology else None, load_trust(options))


def load_trust(options: Mapping[str, Any]) -> TrustStore | None:
    """The trust store named by ``trust_dir``, or None; DriverError if unreadable."""
    folder = options.get("trust_dir")
    if not folder:
        return None
    try:
        return TrustStore.from_folder(str(folder))
    except TrustError as exc:
        raise DriverError(f"barcode: trust_dir: {exc}") from exc
