"""The uplink's settings, read from the ``[broker]`` and ``[sync]`` TOML sections.

Every bad value raises ``ValueError`` naming the section, the key, the value
and what is allowed; unknown keys are refused the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from sync import topics
from sync.wire import CODECS

HOST_RE: Final = re.compile(r"[A-Za-z0-9.:_-]{1,253}")

Rule = tuple[str, Callable[[Any], bool]]


def _int(lo: int, hi: int) -> Rule:
    return (
        f"a whole number from {lo} to {hi}",
        lambda v: isinstance(v, int) and not isinstance(v, bool) and lo <= v <= hi,
    )


def _num(lo: float, hi: float) -> Rule:
    return (
        f"a number from {lo} to {hi}",
        lambda v: isinstance(v, int | float) and not isinstance(v, bool) and lo <= v <= hi,
    )


_TEXT: Final[Rule] = ("text of 1–255 characters", lambda v: isinstance(v, str) and 0 < len(v) < 256)
_FILE: Final[Rule] = ("the path of an existing file", lambda v: isinstance(v, str) and bool(v))
_BOOL: Final[Rule] = ("true or false", lambda v: isinstance(v, bool))

BROKER_RULES: Final[dict[str, Rule]] = {
    "host": (
        "a host name or IP address",
        lambda v: isinstance(v, str) and bool(HOST_RE.fullmatch(v)),
    ),
    "port": _int(1, 65535),
    "tls": _BOOL,
    "ca_file": _FILE,
    "cert_file": _FILE,
    "key_file": _FILE,
    "keepalive_s": _int(5, 3600),
    "username": _TEXT,
}
SYNC_RULES: Final[dict[str, Rule]] = {
    "batch_max_events": _int(1, 5000),
    "batch_max_bytes": _int(1024, 400_000),
    "batch_max_delay_s": _num(0, 60),
    "ack_timeout_s": _num(0.1, 3600),
    "compression": (" or ".join(f'"{c}"' for c in CODECS), lambda v: v in CODECS),
    "status_interval_s": _num(1, 3600),
    "max_in_flight": _int(1, 64),
}


@dataclass(frozen=True)
class UplinkConfig:
    """Everything the uplink needs to reach the broker and shape its batches."""

    post_id: str
    host: str
    port: int = 8883
    tls: bool = True
    ca_file: Path | None = None
    cert_file: Path | None = None
    key_file: Path | None = None
    keepalive_s: int = 30
    username: str | None = None
    batch_max_events: int = 500
    batch_max_bytes: int = 256 * 1024
    batch_max_delay_s: float = 0.5
    ack_timeout_s: float = 60.0  # routine batches; alerts at most ALERT_ACK_TIMEOUT_S
    compression: str = "zstd"
    status_interval_s: float = 30.0
    max_in_flight: int = 4

    @property
    def broker(self) -> str:
        """``host:port``."""
        return f"{self.host}:{self.port}"

    @classmethod
    def from_mapping(
        cls,
        post_id: str,
        broker: Mapping[str, Any],
        sync: Mapping[str, Any] | None = None,
        *,
        base_dir: Path | None = None,
    ) -> UplinkConfig:
        """Validate the TOML sections; relative file paths are taken from ``base_dir``."""
        problem = topics.post_id_problem(post_id)
        if problem is not None:
            raise ValueError(f"[post] id = {post_id!r}: {problem}")
        b = _checked("broker", broker, BROKER_RULES)
        s = _checked("sync", sync or {}, SYNC_RULES)
        if "host" not in b:
            raise ValueError("[broker] host: missing; allowed: a host name or IP address")
        tls = b.get("tls", True)
        for key in ("ca_file", "cert_file", "key_file"):
            if key in b:
                b[key] = _existing(key, b[key], base_dir)
        b.setdefault("port", 8883 if tls else 1883)
        return cls(post_id=post_id, **b, **s)


def _checked(section: str, values: Mapping[str, Any], rules: Mapping[str, Rule]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key not in rules:
            raise ValueError(
                f"[{section}] {key}: unknown key; allowed keys: {', '.join(sorted(rules))}"
            )
        allowed, check = rules[key]
        if not check(value):
            raise ValueError(f"[{section}] {key} = {value!r}: allowed: {allowed}")
        out[key] = value
    return out


def _existing(key: str, value: str, base_dir: Path | None) -> Path:
    path = Path(value)
    if not path.is_absolute() and base_dir is not None:
        path = base_dir / path
    if not path.is_file():
        raise ValueError(f"[broker] {key} = {value!r}: allowed: the path of an existing file")
    return path
