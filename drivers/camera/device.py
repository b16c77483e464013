"""The camera as a daemon device: ``CameraSource(url, options)`` → readings.

A camera is not a byte stream, so it does not fit ``make_decoder``: it owns a
grabber thread and a worker thread, and hands each ``Reading`` to
``on_reading`` *from the worker thread* (the daemon hops to its event loop,
e.g. with ``loop.call_soon_threadsafe``). Readings: ``mrz`` (accepted once
its check digits pass and ``frames`` frames agree), ``barcode`` (each code
once while in view) and ``device.fault`` (camera lost; retried with backoff).

Options (all optional): ``fps`` frame-rate cap (default 10), ``mrz`` and
``barcodes`` on/off (true), ``frames`` agreeing frames for an MRZ (2),
``mrz_window`` / ``barcode_window`` seconds a document or code counts as
still in view (5 / 2), ``symbologies`` list to enable, ``decoders`` mapping
symbology → pyzbar|zxing-cpp, ``min_itf_length`` (6), ``max_corrections``
per MRZ field (2), ``loop`` replay a folder forever (false), ``barcode_passes``
the enhanced-copy passes on frames of 800×600 or less (false: a live camera
sees the code again in the next frames, and an empty frame must stay cheap).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from drivers.barcode.device import scan_reading
from drivers.barcode.result import clean
from drivers.base import DriverError, Reading
from drivers.camera import barcodes as bc
from drivers.camera import mrz_ocr
from drivers.camera.capture import CaptureError, Fault, Grabber, Image
from drivers.options import Options

OPTIONS = ("fps", "mrz", "barcodes", "frames", "mrz_window", "barcode_window", "symbologies",
           "decoders", "min_itf_length", "max_corrections", "loop", "barcode_passes",
           "kind")  # fmt: skip


@dataclass(frozen=True)
class CameraOptions:
    """Validated camera options (see the module docstring)."""

    fps: float = 10.0
    mrz: bool = True
    barcodes: bool = True
    frames: int = 2
    mrz_window: float = 5.0
    barcode_window: float = 2.0
    max_corrections: int = 2
    loop: bool = False
    reader: bc.BarcodeReader = field(default_factory=bc.BarcodeReader)


def parse_options(options: Mapping[str, Any]) -> CameraOptions:
    """Check camera options; DriverError names the bad key, value and what is allowed."""
    opts = Options("camera", options, OPTIONS)
    symbologies, decoders = opts.get("symbologies", list(bc.SYMBOLOGIES)), opts.get("decoders", {})
    if not isinstance(symbologies, list) or not all(isinstance(s, str) for s in symbologies):
        raise opts.error("symbologies", symbologies, "a list of symbology names")
    if not isinstance(decoders, Mapping):
        raise opts.error("decoders", decoders, "a table of symbology = decoder")
    try:
        reader = bc.BarcodeReader(
            frozenset(symbologies),
            {**bc.DEFAULT_DECODER, **decoders},
            opts.whole("min_itf_length", 6, 2, 80),
            retry=opts.flag("barcode_passes", False),
        )
    except (bc.BarcodeError, TypeError) as exc:
        raise DriverError(f"camera: {exc}") from exc
    return CameraOptions(
        fps=opts.number("fps", 10.0, 0.2, 60.0),
        mrz=opts.flag("mrz", True),
        barcodes=opts.flag("barcodes", True),
        frames=opts.whole("frames", 2, 1, 10),
        mrz_window=opts.number("mrz_window", 5.0, 0.1, 600.0),
        barcode_window=opts.number("barcode_window", 2.0, 0.0, 600.0),
        max_corrections=opts.whole("max_corrections", 2, 0, 4),
        loop=opts.flag("loop", False),
        reader=reader,
    )


def mrz_keys(doc: Mapping[str, Any]) -> tuple[dict[str, Any], ...]:
    """Watchlist keys of a parsed MRZ (document and person)."""
    document = {"kind": "document", "number": doc.get("document_number"),
                "issuer": doc.get("issuing_state"), "type": doc.get("document_code")}  # fmt: skip
    person = {"kind": "person", "surname": doc.get("surname"),
              "given_names": doc.get("given_names"), "birth_date": doc.get("birth_date"),
              "nationality": doc.get("nationality"), "sex": doc.get("sex")}  # fmt: skip
    return (document, person)


def mrz_reading(read: mrz_ocr.MrzRead) -> Reading:
    """The ``mrz`` event of an accepted camera read."""
    doc = dict(read.result.to_json())
    payload = {**doc, "source": "camera", "confidence": round(read.overall(), 3),
               "field_confidence": read.field_confidence(),
               "elapsed_ms": read.elapsed_ms}  # fmt: skip
    keys = getattr(read.result, "keys", None)
    if not isinstance(keys, tuple):
        keys = mrz_keys(doc)
    return Reading.of("mrz", payload, keys=keys)


def barcode_reading(symbol: bc.Symbol, elapsed_ms: float | None = None) -> Reading:
    """The ``barcode`` event of a code seen by the camera (parsed like a scanner's), with
    the time the frame's barcode decoding took (``elapsed_ms``, as an MRZ read has)."""
    reading = scan_reading(symbol.data, symbol.symbology, None, symbol.payload_hint)
    if elapsed_ms is None:
        return reading
    payload = {**reading.payload, "elapsed_ms": elapsed_ms}
    return Reading.of("barcode", payload, reading.priority, keys=reading.keys)


def fault_reading(fault: Fault) -> Reading:
    """The ``device.fault`` event of a lost camera."""
    payload = {"device": "camera", "error": clean(fault.message, 200), "retry_in": fault.retry_in}
    return Reading.of("device.fault", payload, priority=1)


class FrameProcessor:
    """Turns frames into readings: MRZ voting and barcode de-duplication (no threads)."""

    def __init__(self, options: CameraOptions) -> None:
        self.options = options
        self.voter = mrz_ocr.MrzVoter(options.frames, options.mrz_window)
        self.deduper = bc.Deduper(options.barcode_window)

    def process(self, image: Image, now: float) -> list[Reading]:
        """The readings one frame gives at monotonic time ``now``."""
        out: list[Reading] = []
        if self.options.barcodes:
            started = time.perf_counter()
            found = self.options.reader.read(image)
            elapsed = round((time.perf_counter() - started) * 1000, 1)
            symbols = self.deduper.fresh(found, now)
            out.extend(barcode_reading(s, elapsed) for s in symbols)
        if self.options.mrz:
            read = mrz_ocr.read_frame(image, max_corrections=self.options.max_corrections)
            accepted = self.voter.add(read, now)
            if accepted is not None:
                out.append(mrz_reading(accepted))
        return out


class CameraSource:
    """A camera URL read in background threads; readings go to ``on_reading``."""

    def __init__(
        self,
        url: str,
        options: Mapping[str, Any] | None = None,
        on_reading: Callable[[Reading], None] | None = None,
    ) -> None:
        self.options = parse_options(options or {})
        self.on_reading = on_reading
        try:
            self.grabber = Grabber(url, fps=self.options.fps, loop=self.options.loop,
                                   on_fault=self._fault)  # fmt: skip
        except CaptureError as exc:
            raise DriverError(f"camera: {exc}") from exc
        self.processor = FrameProcessor(self.options)
        self.frames = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start grabbing and reading (idempotent)."""
        if self._thread is None:
            self.grabber.start()
            self._thread = threading.Thread(target=self._run, name="camera-read", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 3.0) -> None:
        """Stop both threads and release the camera."""
        self._stop.set()
        self.grabber.stop(timeout)
        if self._thread is not None:
            self._thread.join(timeout)

    @property
    def done(self) -> bool:
        """True once a recording (file, folder) has been read to its end."""
        return self._thread is not None and not self._thread.is_alive()

    def _run(self) -> None:
        seq = 0
        while not self._stop.is_set():
            frame = self.grabber.latest(seq, timeout=0.5)
            if frame is None:
                if self.grabber.ended.is_set():
                    return
                continue
            seq = frame.seq
            self.frames += 1
            for reading in self.processor.process(frame.image, time.monotonic()):
                self._emit(reading)

    def _emit(self, reading: Reading) -> None:
        callback = self.on_reading
        if callback is not None:
            callback(reading)

    def _fault(self, fault: Fault) -> None:
        self._emit(fault_reading(fault))
