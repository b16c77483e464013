"""A ``/metrics`` endpoint for the post and HQ: the address from an environment variable, and
one server thread answering Prometheus (``edge/metrics.py``, ``sync/hq/metrics.py``).

One thread on purpose: the figures are read while answering, and the post's store gives each
reading thread its own SQLite connection, so a server that started a thread per scrape would
leave a connection behind at each one. A client that stalls is dropped after ``TIMEOUT_S``.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from typing import Any, Final, Protocol, TypeVar
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import CollectorRegistry, disable_created_metrics, make_wsgi_app

log = logging.getLogger("sync.metrics")
TIMEOUT_S: Final = 10.0


class Served(Protocol):
    """What is served: an object holding the registry its figures are collected in."""

    @property
    def registry(self) -> CollectorRegistry:
        """The registry ``/metrics`` shows."""
        ...


M = TypeVar("M", bound=Served)


def parse_address(text: str, variable: str) -> tuple[str, int]:
    """``host:port`` (or a bare port, on 127.0.0.1) as a listening address."""
    host, _, port = text.rpartition(":")
    if not port.isdigit() or not 0 <= int(port) < 65536:
        raise ValueError(f"{variable}={text!r}: expected host:port, e.g. 127.0.0.1:9464")
    return host.strip("[]") or "127.0.0.1", int(port)


class _Handler(WSGIRequestHandler):
    timeout = TIMEOUT_S

    def log_message(self, format: str, *args: Any) -> None:
        """Scrapes are not logged: one every 15 s would flood the journal."""


class _Server6(WSGIServer):
    address_family = socket.AF_INET6


def serve(variable: str, build: Callable[[], M]) -> M | None:
    """When ``$variable`` names an address: ``build()`` (an object with a ``registry``) served
    on it from one thread; that object, or None (not set, or a bad or busy address: logged)."""
    where = os.environ.get(variable, "").strip()
    if not where:
        return None
    try:
        host, port = parse_address(where, variable)
        disable_created_metrics()  # type: ignore[no-untyped-call]  # no *_created series
        metrics = build()
        server_class = _Server6 if ":" in host else WSGIServer
        app = make_wsgi_app(metrics.registry)
        server = make_server(host, port, app, server_class=server_class, handler_class=_Handler)
    except (ValueError, OSError) as exc:
        log.error("metrics not served: %s", exc)
        return None
    threading.Thread(target=server.serve_forever, name="metrics", daemon=True).start()
    log.info("metrics on http://%s:%d/metrics", host, server.server_port)
    return metrics
