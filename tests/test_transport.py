"""Device URLs as asyncio streams (pty, socket://) and the registry of drivers."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable

import pytest

from drivers.base import DriverError, Reading
from drivers.mrz.framing import frame
from drivers.mrz.generate import make_td1
from drivers.registry import KINDS, check_options, spec_for
from drivers.transport import decode_stream, open_stream

TD1 = make_td1("ERIKSSON", "ANNA", "L898902C3", "UTO", "740812", "F", "120415", issuer="UTO")
SWIPE = b"\x00\xff" + frame(TD1, "stx")


async def _decode(reader: asyncio.StreamReader, send: Callable[[], object]) -> list[Reading]:
    """Run the MRZ decoder on ``reader`` until one reading arrives."""
    got: list[Reading] = []
    until = asyncio.Event()
    decoder = spec_for("mrz", "x").decoder({"framing": "stx"})  # type: ignore[misc]

    def emit(readings: list[Reading]) -> None:
        got.extend(readings)
        if got:
            until.set()

    task = asyncio.create_task(decode_stream(reader, decoder, emit, until=until))
    await asyncio.sleep(0.05)
    send()
    await asyncio.wait_for(task, 5)
    return got


def test_a_pty_is_read_on_the_event_loop() -> None:
    async def main() -> list[Reading]:
        master, slave = os.openpty()
        stream = await open_stream(os.ttyname(slave))
        try:
            return await _decode(stream.reader, lambda: os.write(master, SWIPE))
        finally:
            stream.close()
            os.close(master)
            os.close(slave)

    (reading,) = asyncio.run(main())
    assert reading.kind == "mrz" and reading.payload["document_number"] == "L898902C3"


def test_a_tcp_device_is_read_and_its_close_is_a_fault() -> None:
    async def main() -> tuple[list[Reading], BaseException]:
        peers: list[asyncio.StreamWriter] = []
        server = await asyncio.start_server(lambda _r, w: peers.append(w), "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        stream = await open_stream(f"socket://127.0.0.1:{port}")
        await asyncio.sleep(0.05)
        got = await _decode(stream.reader, lambda: peers[0].write(SWIPE))
        peers[0].close()
        decoder = spec_for("mrz", "x").decoder({})  # type: ignore[misc]
        with pytest.raises(ConnectionResetError) as info:
            await asyncio.wait_for(decode_stream(stream.reader, decoder, lambda _r: None), 5)
        stream.close()
        server.close()
        return got, info.value

    got, error = asyncio.run(main())
    assert got[0].payload["document_number"] == "L898902C3"
    assert "closed" in str(error)


def test_a_device_that_cannot_be_opened_raises() -> None:
    with pytest.raises(OSError):
        asyncio.run(open_stream("socket://127.0.0.1:1"))


def test_the_registry_names_every_kind_and_checks_options() -> None:
    assert set(KINDS) == {"mrz", "rpm", "scanner", "camera", "chip"}
    assert spec_for("scanner", "/dev/input/event3").source is not None
    assert spec_for("scanner", "/dev/ttyACM0").decoder is not None
    assert spec_for("camera", "v4l2:0").source is not None
    with pytest.raises(DriverError, match="unknown option"):
        check_options("mrz", "/dev/ttyUSB0", {"framng": "stx"})
    assert spec_for("chip", "pcsc:0").source is not None
    with pytest.raises(KeyError, match="no driver for device kind 'lidar'"):
        spec_for("lidar", "socket://127.0.0.1:9")
