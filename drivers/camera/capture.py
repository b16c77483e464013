"""Frames from a camera URL, grabbed off the caller's thread; the newest frame wins.

A camera is a URL: ``v4l2:0`` or ``/dev/video0`` (Video4Linux), ``rtsp://…``
or ``http(s)://…`` (a stream), a video file, or a folder of images (tests,
demo). ``Grabber`` reads in a daemon thread at no more than ``fps`` frames a
second, keeps only the latest frame (no backlog), and when the camera is lost
reports a fault and reconnects with exponential backoff.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import cv2
import numpy as np

Image = np.ndarray[Any, Any]
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".pgm"})
STREAM_SCHEMES = ("rtsp://", "rtsps://", "http://", "https://", "udp://", "tcp://")
MAX_URL = 1024


class CaptureError(ValueError):
    """A camera URL that names nothing we can open."""


@dataclass(frozen=True)
class CameraUrl:
    """A parsed camera URL: what kind of source and its target."""

    kind: str  # "v4l2", "stream", "file" or "folder"
    target: str | int

    @property
    def live(self) -> bool:
        """A live camera or stream (reconnects) rather than a finite recording."""
        return self.kind in ("v4l2", "stream")


def parse_url(url: str) -> CameraUrl:
    """Classify a camera URL; CaptureError says what is accepted."""
    if not url or len(url) > MAX_URL or any(ord(c) < 32 for c in url):
        raise CaptureError("camera URL is empty, too long or has control characters")
    if url.startswith("v4l2:"):
        index = url[5:]
        if not index.isdigit():
            raise CaptureError(f"camera URL {url!r}: v4l2:N needs a device number, e.g. v4l2:0")
        return CameraUrl("v4l2", int(index))
    if url.startswith("/dev/"):  # /dev/video0, the udev rules' /dev/borderpost-camera link
        return CameraUrl("v4l2", url)
    if url.lower().startswith(STREAM_SCHEMES):
        return CameraUrl("stream", url)
    path = Path(url)
    if path.is_dir():
        return CameraUrl("folder", str(path))
    if path.is_file():
        return CameraUrl("file", str(path))
    raise CaptureError(
        f"camera URL {url!r} is not v4l2:N, /dev/videoN (or a link in /dev), rtsp/http(s)://…, "
        "an existing video file or a folder of images"
    )


class FrameSource(Protocol):
    """Something that yields frames until it ends or fails."""

    def read(self) -> Image | None:
        """The next frame; None when the source ended or failed."""
        ...

    def close(self) -> None:
        """Release the device."""
        ...


class OpenCvSource:
    """A camera, stream or video file through ``cv2.VideoCapture``."""

    def __init__(self, url: CameraUrl) -> None:
        _quiet_opencv()
        api = cv2.CAP_V4L2 if url.kind == "v4l2" else cv2.CAP_ANY
        self.cap = cv2.VideoCapture(url.target, api)
        if not self.cap.isOpened():
            self.cap.release()
            raise OSError(f"cannot open camera {url.target!r}")

    def read(self) -> Image | None:
        """The next frame, or None."""
        ok, frame = self.cap.read()
        return frame if ok and frame is not None else None

    def close(self) -> None:
        """Release the capture."""
        self.cap.release()


def _quiet_opencv() -> None:
    """Keep OpenCV's own warnings (a missing /dev/video0 every retry) off stderr."""
    with contextlib.suppress(AttributeError):
        cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)


class FolderSource:
    """The images of a folder in name order, once (or round and round with ``loop``)."""

    def __init__(self, folder: str, loop: bool = False) -> None:
        self.paths = sorted(p for p in Path(folder).iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        self.loop = loop
        self.index = 0

    def read(self) -> Image | None:
        """The next readable image, or None at the end."""
        while self.paths:
            if self.index >= len(self.paths):
                if not self.loop:
                    return None
                self.index = 0
            path = self.paths[self.index]
            self.index += 1
            frame = cv2.imread(str(path), cv2.IMREAD_COLOR)
            if frame is not None:
                return frame
        return None

    def close(self) -> None:
        """Nothing to release."""


def open_source(url: CameraUrl, loop: bool = False) -> FrameSource:
    """Open the source a URL names (OSError when the device is not there)."""
    if url.kind == "folder":
        return FolderSource(str(url.target), loop)
    return OpenCvSource(url)


@dataclass(frozen=True)
class Fault:
    """The camera was lost or could not be opened."""

    message: str
    retry_in: float  # seconds until the next attempt


@dataclass(frozen=True)
class Frame:
    """One grabbed frame with its sequence number and monotonic time."""

    seq: int
    time: float
    image: Image


class Grabber:
    """Reads a camera in a daemon thread and holds only its newest frame.

    Live sources (cameras, streams) drop frames the consumer had no time for;
    recordings (files, folders) are replayed without loss: the next frame
    waits until the last one was taken. ``on_fault`` is called from the
    grabber thread; ``ended`` is set when a recording is over.
    """

    def __init__(
        self,
        url: str,
        *,
        fps: float = 10.0,
        loop: bool = False,
        backoff: tuple[float, float] = (0.5, 30.0),
        on_fault: Callable[[Fault], None] | None = None,
        opener: Callable[[CameraUrl, bool], FrameSource] = open_source,
    ) -> None:
        self.url = parse_url(url)
        self.interval = 1.0 / fps if fps > 0 else 0.0
        self.loop, self.backoff, self.on_fault, self.opener = loop, backoff, on_fault, opener
        self.ended = threading.Event()
        self.connected = False
        self._stop = threading.Event()
        self._cond = threading.Condition()
        self._frame: Frame | None = None
        self._taken = 0
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start grabbing (idempotent)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="camera-grab", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        """Stop grabbing and release the camera."""
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)

    def latest(self, after: int = 0, timeout: float = 1.0) -> Frame | None:
        """The newest frame newer than sequence ``after``, waiting up to ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._frame is None or self._frame.seq <= after:
                left = deadline - time.monotonic()
                if left <= 0 or self._stop.is_set() or (self.ended.is_set() and self._done()):
                    return None
                self._cond.wait(left)
            self._taken = self._frame.seq
            self._cond.notify_all()
            return self._frame

    def _done(self) -> bool:
        return self._frame is None or self._taken >= self._frame.seq

    def _run(self) -> None:
        delay = self.backoff[0]
        while not self._stop.is_set():
            try:
                source = self.opener(self.url, self.loop)
            except OSError as exc:
                self._fault(str(exc), delay)
            else:
                got = self._pump(source)
                source.close()
                self.connected = False
                if not self.url.live:
                    self.ended.set()
                    with self._cond:
                        self._cond.notify_all()
                    return
                delay = self.backoff[0] if got else delay
                self._fault("camera stopped sending frames", delay)
            if self._stop.wait(delay):
                return
            delay = min(delay * 2, self.backoff[1])

    def _fault(self, message: str, retry_in: float) -> None:
        if self.on_fault is not None:
            self.on_fault(Fault(message[:200], retry_in))

    def _pump(self, source: FrameSource) -> int:
        """Publish frames until the source ends; how many frames it gave."""
        count = 0
        while not self._stop.is_set():
            started = time.monotonic()
            image = source.read()
            if image is None:
                return count
            self.connected = True
            count += 1
            self._publish(image)
            wait = self.interval - (time.monotonic() - started)
            if wait > 0 and self._stop.wait(wait):
                break
        return count

    def _publish(self, image: Image) -> None:
        with self._cond:
            if not self.url.live:
                while not self._done() and not self._stop.is_set():
                    self._cond.wait(0.5)
            seq = self._frame.seq + 1 if self._frame else 1
            self._frame = Frame(seq, time.monotonic(), image)
            self._cond.notify_all()
