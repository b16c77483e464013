"""A device URL becomes an asyncio byte stream, and the stream's bytes become readings.

``open_stream`` opens a serial tty or pty path, ``socket://host:port``, or any
other URL pyserial knows (``rfc2217://``, ``loop://``) and returns an
:class:`asyncio.StreamReader`; ``decode_stream`` is the one place where bytes
are read, handed to the device's sans-IO decoder and turned into readings.
The daemon only supervises: it opens, runs and restarts.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import serial

from drivers.base import Decoder, Reading

TICK_S = 0.1  # decoders are ticked at least this often
CHUNK = 65536


@dataclass(frozen=True)
class Line:
    """Serial line settings (ignored by TCP URLs)."""

    baudrate: int = 9600
    bytesize: int = 8
    parity: str = "N"
    stopbits: float = 1.0


@dataclass
class Stream:
    """An open device: read from ``reader``; ``close`` releases the device."""

    reader: asyncio.StreamReader
    close: Callable[[], None]


async def open_stream(url: str, line: Line = Line()) -> Stream:
    """Open a device URL as a byte stream (``OSError``/``SerialException`` if it cannot)."""
    if url.startswith("socket://"):
        return await _open_tcp(url)
    if url.startswith("/"):
        return await _open_tty(url, line)
    return await _open_threaded(url, line)


URL_FORMS = "a device path (/dev/ttyUSB0), socket://HOST:PORT or rfc2217://HOST:PORT"


def url_problem(url: str) -> str | None:
    """Why :func:`open_stream` can never open ``url``, or None: lets a configuration
    check refuse ``tcp://…``, ``ttyUSB0`` or port 99999 instead of a device retried forever."""
    if url.startswith("/"):
        return None
    if url.startswith("socket://"):
        return None if _tcp_address(url) else "must be socket://HOST:PORT (port 1 to 65535)"
    scheme, sep, _ = url.partition("://")
    if (
        sep
        and scheme.isalnum()
        and importlib.util.find_spec(f"serial.urlhandler.protocol_{scheme}")
    ):
        return None
    return f"must be {URL_FORMS}"


def _tcp_address(url: str) -> tuple[str, int] | None:
    """``socket://HOST:PORT`` as (host, port), or None when malformed or out of range."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # a port that is not a number from 0 to 65535
        return None
    return (parts.hostname, port) if parts.hostname and port else None


async def _open_tcp(url: str) -> Stream:
    address = _tcp_address(url)
    if address is None:
        raise ValueError(f"{url}: must be socket://HOST:PORT (port 1 to 65535)")
    reader, writer = await asyncio.open_connection(*address)
    return Stream(reader, writer.close)


def _serial(url: str, line: Line, timeout: float | None) -> serial.SerialBase:
    return serial.serial_for_url(
        url,
        baudrate=line.baudrate,
        bytesize=line.bytesize,
        parity=line.parity,
        stopbits=line.stopbits,
        timeout=timeout,
        exclusive=True if url.startswith("/") else None,
    )


async def _open_tty(url: str, line: Line) -> Stream:
    """A tty or pty: pyserial sets the line up, the event loop reads its descriptor."""
    loop = asyncio.get_running_loop()
    port = await loop.run_in_executor(None, _serial, url, line, 0)
    reader = asyncio.StreamReader(limit=CHUNK)
    try:
        transport, _ = await loop.connect_read_pipe(
            lambda: asyncio.StreamReaderProtocol(reader), port
        )
    except BaseException:
        port.close()
        raise
    return Stream(reader, transport.close)


async def _open_threaded(url: str, line: Line) -> Stream:
    """URLs only pyserial speaks (``rfc2217://``, ``loop://``): read in a thread."""
    loop = asyncio.get_running_loop()
    port = await loop.run_in_executor(None, _serial, url, line, TICK_S)
    reader = asyncio.StreamReader(limit=CHUNK)
    stop = threading.Event()
    thread = threading.Thread(
        target=_read_port, args=(port, reader, loop, stop), daemon=True, name=f"read:{url}"
    )
    thread.start()
    return Stream(reader, stop.set)


def _read_port(
    port: serial.SerialBase,
    reader: asyncio.StreamReader,
    loop: asyncio.AbstractEventLoop,
    stop: threading.Event,
) -> None:
    try:
        while not stop.is_set():
            data = port.read(1)  # returns on the first byte: no added latency
            if data:
                data += port.read(port.in_waiting)
                loop.call_soon_threadsafe(reader.feed_data, bytes(data))
    except Exception as exc:
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(reader.set_exception, exc)
    finally:
        with contextlib.suppress(Exception):
            port.close()


async def decode_stream(
    reader: asyncio.StreamReader,
    decoder: Decoder,
    emit: Callable[[list[Reading]], None],
    *,
    received: Callable[[bytes], None] | None = None,
    until: asyncio.Event | None = None,
) -> None:
    """Read bytes, feed the decoder, tick it every :data:`TICK_S`, ``emit`` its readings.

    Returns when ``until`` is set; raises ``ConnectionResetError`` when the device
    closes the stream, and whatever error reading it raised.
    """
    until = until or asyncio.Event()
    while not until.is_set():
        data = await _read(reader)
        now = time.monotonic()
        if data == b"":
            raise ConnectionResetError("the device closed the connection")
        if data:
            if received is not None:
                received(data)
            emit(decoder.feed(data, now))
        emit(decoder.tick(now))


async def _read(reader: asyncio.StreamReader) -> bytes | None:
    """What has arrived within one tick (None: nothing yet; b"": end of stream)."""
    try:
        async with asyncio.timeout(TICK_S):
            return await reader.read(CHUNK)
    except TimeoutError:
        return None
