"""The device kinds a post can run, each described by one :class:`DriverSpec`.

The daemon finds a driver here by its kind (and, for a scanner, by its URL),
never by an import string. A byte-stream device has a ``decoder`` factory (the
URL becomes a stream through :mod:`drivers.transport`); a camera or HID scanner
has a ``source`` factory and reads in its own thread. Factories import their
driver on first use, so naming a kind never loads OpenCV.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from drivers.base import Decoder, Reading, Source

DecoderFactory = Callable[[Mapping[str, Any]], Decoder]
SourceFactory = Callable[[str, Mapping[str, Any], Callable[[Reading], None]], Source]


@dataclass(frozen=True)
class DriverSpec:
    """One kind of device: how to make its decoder or source from its ``options``.

    Either factory checks the options and raises ``DriverError`` naming the
    option, the value and what is allowed (``drivers/options.py``).
    """

    kind: str
    summary: str
    decoder: DecoderFactory | None = None
    source: SourceFactory | None = None


def _mrz(options: Mapping[str, Any]) -> Decoder:
    from drivers.mrz.device import make_decoder

    return make_decoder(options)


def _rpm(options: Mapping[str, Any]) -> Decoder:
    from drivers.rpm.device import make_decoder

    return make_decoder(options)


def _scanner(options: Mapping[str, Any]) -> Decoder:
    from drivers.barcode.device import make_decoder

    return make_decoder(options)


def _chip(url: str, options: Mapping[str, Any], deliver: Callable[[Reading], None]) -> Source:
    from drivers.chip.device import ChipSource

    return ChipSource(url, options, deliver)


def _camera(url: str, options: Mapping[str, Any], deliver: Callable[[Reading], None]) -> Source:
    from drivers.camera.device import CameraSource

    return CameraSource(url, options, deliver)


def _aspect(url: str, options: Mapping[str, Any], deliver: Callable[[Reading], None]) -> Source:
    from drivers.rpm.aspect_device import AspectSource

    return AspectSource(url, options, deliver)


def _hid(url: str, options: Mapping[str, Any], deliver: Callable[[Reading], None]) -> Source:
    from drivers.barcode.hid import HidSource

    return HidSource(url, options, deliver)


DRIVERS: Mapping[str, DriverSpec] = MappingProxyType(
    {
        "mrz": DriverSpec("mrz", "serial / USB-CDC document reader", decoder=_mrz),
        "rpm": DriverSpec("rpm", "radiation portal monitor (serial or TCP)", decoder=_rpm),
        "scanner": DriverSpec("scanner", "barcode scanner (serial or TCP)", decoder=_scanner),
        "camera": DriverSpec("camera", "camera: MRZ OCR and barcodes", source=_camera),
        "chip": DriverSpec("chip", "ePassport chip reader (PC/SC: pcsc:READER)", source=_chip),
    }
)
KINDS = tuple(DRIVERS)
HID_SCANNER = DriverSpec("scanner", "HID keyboard-wedge barcode scanner", source=_hid)
HID_PREFIX = "/dev/input/"
ASPECT_RPM = DriverSpec("rpm", "radiation portal monitor, Aspect (Modbus TCP)", source=_aspect)
MODBUS_PREFIX = "modbus://"


def spec_for(kind: str, url: str) -> DriverSpec:
    """The driver of a device; a scanner on ``/dev/input/…`` is a HID keyboard wedge, an
    RPM on ``modbus://…`` an Aspect portal."""
    if kind == "scanner" and url.startswith(HID_PREFIX):
        return HID_SCANNER
    if kind == "rpm" and url.startswith(MODBUS_PREFIX):
        return ASPECT_RPM
    try:
        return DRIVERS[kind]
    except KeyError:
        raise KeyError(f"no driver for device kind {kind!r}; known: {', '.join(KINDS)}") from None


def url_problem(kind: str, url: str) -> str | None:
    """Why a byte-stream device's URL can never be opened, or None (sources check theirs
    when they open the device; an unknown kind is the configuration's to refuse)."""
    spec = DRIVERS.get(kind)
    if spec is None or spec.decoder is None or spec_for(kind, url) is not spec:
        return None
    from drivers.transport import url_problem as stream_url_problem

    problem = stream_url_problem(url)
    if problem and kind == "rpm":
        return problem + f", or an Aspect portal's {MODBUS_PREFIX}HOST[:PORT]"
    return problem


def check_options(kind: str, url: str, options: Mapping[str, Any]) -> None:
    """Let a device's driver refuse its URL or options (``DriverError``) before it runs.

    A decoder factory checks the options; a source is made and dropped: its
    constructor checks the URL and options and opens nothing (``start`` does), so
    ``config check`` refuses a camera's ``v4l2:x`` or a chip reader's ``pcsc`` too.
    """
    spec = spec_for(kind, url)
    if spec.decoder is not None:
        spec.decoder(options)
    elif spec.source is not None:
        spec.source(url, options, _ignore)


def _ignore(reading: Reading) -> None:
    """The callback of a source made only to check its settings."""
