"""Barcode payloads and scanners: parsers for MRNs, containers, GS1, seals, signed QR codes.

The public entry point is :func:`parse_payload`; scanners are read through
:func:`drivers.barcode.device.make_decoder`.
"""

from drivers.barcode.payload import parse_payload
from drivers.barcode.result import Check, ParsedPayload
from drivers.barcode.trust import TrustError, TrustStore

__all__ = ["Check", "ParsedPayload", "TrustError", "TrustStore", "parse_payload"]
