"""The daemon's configuration: one TOML file, typed and validated.

With no file the daemon runs on the defaults below (offline: no broker).
Every wrong value is refused with a message naming the file, the key, the
value and what is allowed; the daemon does not start on a bad file.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drivers.base import DriverError
from drivers.registry import KINDS, check_options, url_problem
from sync import topics
from sync.uplink_config import UplinkConfig

Check = Callable[[Any], bool]
DEVICE_KINDS = KINDS
BAUDRATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600)


class ConfigError(ValueError):
    """A configuration value is wrong; the message says where and what is allowed."""


def _spec(default: Any, allowed: str, check: Check | None = None) -> Any:
    meta = {"allowed": allowed, "check": check}
    if isinstance(default, dict):
        return field(default_factory=dict, metadata=meta)
    return field(default=default, metadata=meta)


def _pattern(regex: str) -> Check:
    compiled = re.compile(regex)
    return lambda v: compiled.fullmatch(v) is not None


def _between(lo: float, hi: float) -> Check:
    return lambda v: lo <= v <= hi


def _one_of(*values: Any) -> Check:
    return lambda v: v in values


@dataclass(frozen=True)
class PostSettings:
    """Who this post is."""

    id: str = _spec(
        "post-01",
        "1–64 letters, digits, '-' or '_', not a channel name (csca, pax, rules, wl)",
        lambda v: topics.post_id_problem(v) is None,
    )
    name: str = _spec("Borderpost", "text of at most 80 characters", lambda v: len(v) <= 80)


@dataclass(frozen=True)
class StoreSettings:
    """The event database."""

    retention_days: int = _spec(90, "a whole number of days from 1 to 3650", _between(1, 3650))
    outbox_cap_mb: int = _spec(1024, "a whole number of MB from 1 to 1000000", _between(1, 10**6))


@dataclass(frozen=True)
class ApiSettings:
    """The local API socket."""

    socket: str = _spec("api.sock", "a file path (relative paths are in the state folder)")
    socket_group: str = _spec("", "a group name, or empty to keep the daemon's group")
    max_clients: int = _spec(32, "a whole number from 1 to 256", _between(1, 256))


@dataclass(frozen=True)
class AuthSettings:
    """Officer log-in."""

    max_failures: int = _spec(5, "a whole number from 1 to 100", _between(1, 100))
    lockout_s: int = _spec(300, "seconds from 1 to 86400", _between(1, 86400))


@dataclass(frozen=True)
class ScreeningSettings:
    """Watchlist score bands."""

    referral: float = _spec(0.90, "a number from 0.5 to 1.0", _between(0.5, 1.0))
    decide: float = _spec(0.60, "a number from 0.3 to 1.0", _between(0.3, 1.0))


@dataclass(frozen=True)
class DaemonSettings:
    """The daemon process itself."""

    log_level: str = _spec(
        "info", "one of debug, info, warning, error", _one_of("debug", "info", "warning", "error")
    )
    device_backoff_max_s: float = _spec(30.0, "seconds from 0.1 to 600", _between(0.1, 600))


@dataclass(frozen=True)
class WatchlistSettings:
    """Watchlist updates from HQ (docs/watchlist-distribution.md)."""

    root_key_file: str = _spec(
        "", "the HQ root public key file (relative: in the state folder), or empty: no updates"
    )
    stale_after_h: float = _spec(48.0, "hours from 0.1 to 8760", _between(0.1, 8760))
    fetch_window: int = _spec(4, "a whole number of chunks from 1 to 32", _between(1, 32))


@dataclass(frozen=True)
class DeviceSettings:
    """One device: what it is, where it is, how to talk to it."""

    name: str = _spec("", "1–32 letters, digits, '-' or '_'", _pattern(r"[A-Za-z0-9_-]{1,32}"))
    kind: str = _spec("", "one of " + ", ".join(DEVICE_KINDS), _one_of(*DEVICE_KINDS))
    url: str = _spec(
        "",
        "a device path or URL (/dev/ttyUSB0, socket://host:port, v4l2:0)",
        lambda v: 0 < len(v) <= 512,
    )
    lane: str = _spec("1", "1–16 letters or digits", _pattern(r"[A-Za-z0-9_-]{1,16}"))
    enabled: bool = _spec(True, "true or false")
    baudrate: int = _spec(9600, "one of " + ", ".join(map(str, BAUDRATES)), _one_of(*BAUDRATES))
    bytesize: int = _spec(8, "one of 5, 6, 7, 8", _one_of(5, 6, 7, 8))
    parity: str = _spec("N", "one of N, E, O, M, S", _one_of("N", "E", "O", "M", "S"))
    stopbits: float = _spec(1.0, "one of 1, 1.5, 2", _one_of(1, 1.5, 2))
    options: dict[str, Any] = _spec({}, "a table of driver options")  # noqa: RUF009


@dataclass(frozen=True)
class Settings:
    """Everything the daemon is configured with."""

    post: PostSettings = field(default_factory=PostSettings)
    store: StoreSettings = field(default_factory=StoreSettings)
    api: ApiSettings = field(default_factory=ApiSettings)
    auth: AuthSettings = field(default_factory=AuthSettings)
    screening: ScreeningSettings = field(default_factory=ScreeningSettings)
    daemon: DaemonSettings = field(default_factory=DaemonSettings)
    watchlist: WatchlistSettings = field(default_factory=WatchlistSettings)
    devices: tuple[DeviceSettings, ...] = ()
    broker: dict[str, Any] | None = None  # validated by sync.uplink; None = offline
    sync: dict[str, Any] = field(default_factory=dict)
    uplink: UplinkConfig | None = None  # when a [broker] is configured
    source: str = "<defaults>"


SECTIONS: dict[str, type] = {
    "post": PostSettings,
    "store": StoreSettings,
    "api": ApiSettings,
    "auth": AuthSettings,
    "screening": ScreeningSettings,
    "daemon": DaemonSettings,
    "watchlist": WatchlistSettings,
}
FREE_SECTIONS = ("broker", "sync")


def _typed(value: Any, hint: Any) -> bool:
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if hint is str:
        return isinstance(value, str)
    return isinstance(value, dict)


def _build(cls: type, raw: Mapping[str, Any], where: str, source: str) -> Any:
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    for key in raw:
        if key not in names:
            raise ConfigError(
                f"{source}: {where} {key}: unknown key; allowed keys are {', '.join(sorted(names))}"
            )
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name not in raw:
            continue
        value, allowed, check = raw[f.name], f.metadata["allowed"], f.metadata["check"]
        if not _typed(value, hints[f.name]) or (check is not None and not check(value)):
            raise ConfigError(f"{source}: {where} {f.name} = {value!r}: must be {allowed}")
        values[f.name] = float(value) if hints[f.name] is float else value
    return cls(**values)


def _device(raw: Any, index: int, source: str) -> DeviceSettings:
    where = f"[[devices]] #{index + 1}"
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: {where}: must be a table")
    for required in ("name", "kind", "url"):
        if required not in raw:
            raise ConfigError(f"{source}: {where} {required}: missing; it is required")
    where = f"[[devices]] #{index + 1} ({raw['name']!r})"
    raw = {"options": {}, **raw}
    return typing.cast(DeviceSettings, _build(DeviceSettings, raw, where, source))


def settings_from_mapping(raw: Mapping[str, Any], source: str = "<defaults>") -> Settings:
    """Validate a parsed TOML document into ``Settings``; raise ``ConfigError``."""
    known = set(SECTIONS) | set(FREE_SECTIONS) | {"devices"}
    for key, value in raw.items():
        if key not in known:
            raise ConfigError(
                f"{source}: [{key}]: unknown section; allowed are {', '.join(sorted(known))}"
            )
        if key != "devices" and not isinstance(value, dict):
            raise ConfigError(f"{source}: [{key}]: must be a table")
    sections = {
        name: _build(cls, raw.get(name, {}), f"[{name}]", source) for name, cls in SECTIONS.items()
    }
    devices_raw = raw.get("devices", [])
    if not isinstance(devices_raw, list):
        raise ConfigError(f"{source}: devices: must be an array of tables ([[devices]])")
    devices = tuple(_device(d, i, source) for i, d in enumerate(devices_raw))
    _check_unique(devices, source)
    _check_urls(devices, source)
    _check_driver_options(devices, source)
    if sections["screening"].decide > sections["screening"].referral:
        raise ConfigError(
            f"{source}: [screening] decide = {sections['screening'].decide!r}: "
            f"must be at most referral ({sections['screening'].referral!r})"
        )
    uplink = _uplink(sections["post"].id, raw, source)
    return Settings(
        **sections,
        devices=devices,
        broker=raw.get("broker"),
        uplink=uplink,
        sync=dict(raw.get("sync", {})),
        source=source,
    )


def _check_unique(devices: tuple[DeviceSettings, ...], source: str) -> None:
    """Names are unique, and so is a device path: a tty or input device is opened
    exclusively, so a second device on it would only ever be in fault."""
    seen: set[str] = set()
    paths: dict[str, str] = {}
    for d in devices:
        if d.name in seen:
            raise ConfigError(f"{source}: [[devices]] name = {d.name!r}: must be unique")
        seen.add(d.name)
        if not (d.enabled and d.url.startswith("/")):
            continue
        if d.url in paths:
            raise ConfigError(
                f"{source}: [[devices]] {d.name!r} url = {d.url!r}: already device "
                f"{paths[d.url]!r}'s; one device per port (set enabled = false on the other)"
            )
        paths[d.url] = d.name


def _check_urls(devices: tuple[DeviceSettings, ...], source: str) -> None:
    """Refuse a serial or TCP device's URL that could never be opened (``tcp://…``, port
    99999): the daemon would otherwise start and retry it forever."""
    for i, d in enumerate(devices):
        problem = url_problem(d.kind, d.url)
        if problem:
            raise ConfigError(
                f"{source}: [[devices]] #{i + 1} ({d.name!r}) url = {d.url!r}: {problem}"
            )


def _uplink(post_id: str, raw: Mapping[str, Any], source: str) -> UplinkConfig | None:
    """The validated uplink settings, or None when no ``[broker]`` is configured."""
    if "broker" not in raw:
        if raw.get("sync"):
            raise ConfigError(f"{source}: [sync]: needs a [broker] section")
        return None
    base = Path(source).parent if source != "<defaults>" else None
    try:
        return UplinkConfig.from_mapping(post_id, raw["broker"], raw.get("sync"), base_dir=base)
    except ValueError as exc:
        raise ConfigError(f"{source}: {exc}") from None


def _check_driver_options(devices: tuple[DeviceSettings, ...], source: str) -> None:
    """Let each device's driver refuse options it does not understand."""
    for d in devices:
        try:
            check_options(d.kind, d.url, d.options)
        except DriverError as exc:
            raise ConfigError(f"{source}: [[devices]] {d.name!r} options: {exc}") from None
        except ImportError as exc:
            raise ConfigError(f"{source}: [[devices]] {d.name!r}: driver missing: {exc}") from None


def load(path: Path | None, overrides: Mapping[str, Any] | None = None) -> Settings:
    """Read and validate ``path`` (None: defaults), with technician overrides merged in."""
    raw: dict[str, Any] = {}
    source = "<defaults>"
    if path is not None:
        source = str(path)
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"{source}: no such file") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{source}: not valid TOML: {exc}") from None
    return settings_from_mapping(merge_overrides(raw, overrides or {}), source)


def merge_overrides(raw: dict[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Apply ``{"devices": {name: {key: value}}, section: {key: value}}`` over ``raw``."""
    merged = {k: (dict(v) if isinstance(v, dict) else v) for k, v in raw.items()}
    for section, values in overrides.items():
        if section == "devices":
            devices = [dict(d) if isinstance(d, dict) else d for d in merged.get("devices", [])]
            for d in devices:
                if isinstance(d, dict) and d.get("name") in values:
                    d.update(values[d["name"]])
            merged["devices"] = devices
        else:
            merged.setdefault(section, {}).update(values)
    return merged


def redacted(settings: Settings) -> dict[str, Any]:
    """The effective settings as plain data, with secrets (keys, passwords) hidden."""
    data = dataclasses.asdict(dataclasses.replace(settings, uplink=None))
    data.pop("uplink")
    for section in ("broker", "sync"):
        if isinstance(data.get(section), dict):
            data[section] = {k: ("***" if _secret_key(k) else v) for k, v in data[section].items()}
    return data


def _secret_key(key: str) -> bool:
    return any(word in key.lower() for word in ("password", "secret", "token", "key_file"))
