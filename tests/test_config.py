"""Configuration errors name the file, the key, the value and what is allowed."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import borderpost

from edge.config import ConfigError, load


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "borderpost.toml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "[store]\nretention_days = 0\n",
            "[store] retention_days = 0: must be a whole number of days from 1 to 3650",
        ),
        ('[store]\nretention_days = "30"\n', "[store] retention_days = '30': must be"),
        ('[post]\nid = "post 1"\n', "[post] id = 'post 1': must be 1–64 letters"),
        ("[post]\nidd = 1\n", "[post] idd: unknown key; allowed keys are id, name"),
        ("[nope]\n", "[nope]: unknown section"),
        (
            '[[devices]]\nname = "r1"\nkind = "rpm"\nurl = "/dev/ttyUSB0"\nbaudrate = 1234\n',
            "[[devices]] #1 ('r1') baudrate = 1234: must be one of 1200",
        ),
        (
            '[[devices]]\nname = "r1"\nkind = "laser"\nurl = "/dev/x"\n',
            "kind = 'laser': must be one of mrz, rpm, scanner, camera",
        ),
        ('[[devices]]\nname = "r1"\nurl = "/dev/x"\n', "[[devices]] #1 kind: missing"),
        (
            '[[devices]]\nname="a"\nkind="scanner"\nurl="/dev/x"\n'
            '[[devices]]\nname="a"\nkind="scanner"\nurl="/dev/y"\n',
            "name = 'a': must be unique",
        ),
        (
            '[[devices]]\nname="a"\nkind="mrz"\nurl="/dev/ttyUSB0"\n'
            '[[devices]]\nname="b"\nkind="rpm"\nurl="/dev/ttyUSB0"\n',
            "[[devices]] 'b' url = '/dev/ttyUSB0': already device 'a''s; one device per port",
        ),
        (
            '[[devices]]\nname="s"\nkind="scanner"\nurl="/dev/x"\noptions={suffix="tab"}\n',
            "[[devices]] 's' options: barcode: suffix = 'tab'; must be one of cr, lf, crlf, none",
        ),
        ("[screening]\nreferral = 0.8\ndecide = 0.85\n", "decide = 0.85: must be at most referral"),
        ('[daemon]\nlog_level = "loud"\n', "one of debug, info, warning, error"),
        ("this is = not toml ]\n", "not valid TOML"),
    ],
)
def test_errors_name_file_key_value_and_allowed(tmp_path: Path, text: str, expected: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load(path)
    assert str(err.value).startswith(str(path))
    assert expected in str(err.value)


@pytest.mark.parametrize(
    ("kind", "url", "expected"),
    [
        ("rpm", "socket://192.0.2.10:99999", "must be socket://HOST:PORT (port 1 to 65535)"),
        ("rpm", "socket://192.0.2.10", "must be socket://HOST:PORT (port 1 to 65535)"),
        ("scanner", "tcp://192.0.2.10:1600", "must be a device path (/dev/ttyUSB0), socket://"),
        ("mrz", "ttyUSB0", "url = 'ttyUSB0': must be a device path"),
        ("rpm", "ttyUSB0", "or an Aspect portal's modbus://HOST[:PORT]"),
    ],
)
def test_a_device_url_that_can_never_open_is_refused(
    tmp_path: Path, kind: str, url: str, expected: str
) -> None:
    """Before, ``config check`` said OK and the daemon retried the device every 30 s for
    ever with ``Port out of range`` or ``protocol 'tcp' not known``."""
    path = _write(tmp_path, f'[[devices]]\nname = "d1"\nkind = "{kind}"\nurl = "{url}"\n')
    with pytest.raises(ConfigError) as err:
        load(path)
    assert f"[[devices]] #1 ('d1') url = {url!r}" in str(err.value)
    assert expected in str(err.value)


@pytest.mark.parametrize(
    ("kind", "url"),
    [
        ("rpm", "/dev/borderpost-rpm"),
        ("rpm", "socket://192.0.2.10:1600"),
        ("rpm", "modbus://192.0.2.10"),
        ("mrz", "rfc2217://192.0.2.10:4001"),
        ("scanner", "loop://"),
        ("scanner", "/dev/input/by-id/usb-scanner-event-kbd"),
        ("camera", "v4l2:0"),
        ("chip", "pcsc:"),
    ],
)
def test_device_urls_the_drivers_open_are_accepted(tmp_path: Path, kind: str, url: str) -> None:
    path = _write(tmp_path, f'[[devices]]\nname = "d1"\nkind = "{kind}"\nurl = "{url}"\n')
    assert load(path).devices[0].url == url


@pytest.mark.parametrize(
    ("device", "expected"),
    [
        ('kind = "camera"\nurl = "v4l2:x"', "'d1' options: camera: camera URL 'v4l2:x': v4l2:N"),
        ('kind = "camera"\nurl = "v4l2:0"\noptions = { fps = "x" }', "camera: fps = 'x'"),
        ('kind = "chip"\nurl = "pcsc"', "chip: url 'pcsc' must be pcsc:READER"),
    ],
)
def test_a_camera_or_chip_reader_is_checked_before_the_daemon_runs(
    tmp_path: Path, device: str, expected: str
) -> None:
    """These passed ``config check`` and stopped the device only once the daemon ran it."""
    path = _write(tmp_path, f'[[devices]]\nname = "d1"\n{device}\n')
    with pytest.raises(ConfigError) as err:
        load(path)
    assert expected in str(err.value)


def test_defaults_without_a_file() -> None:
    settings = load(None)
    assert settings.broker is None and settings.devices == ()
    assert settings.store.retention_days == 90


def test_config_check_cli(tmp_path: Path) -> None:
    good = _write(
        tmp_path,
        '[post]\nid = "kap-1"\n[[devices]]\nname = "s1"\nkind = "scanner"\n'
        'url = "socket://127.0.0.1:1600"\n',
    )
    ok = borderpost("config", "check", str(good))
    assert ok.returncode == 0 and "post kap-1, 1 devices" in ok.stdout
    assert "warning" not in ok.stderr
    unplugged = _write(
        tmp_path, '[[devices]]\nname = "m1"\nkind = "mrz"\nurl = "/dev/borderpost-nothing"\n'
    )
    warned = borderpost("config", "check", str(unplugged))
    assert warned.returncode == 0 and "OK" in warned.stdout
    assert "'m1' url = '/dev/borderpost-nothing': no such device now" in warned.stderr
    bad = _write(tmp_path, "[store]\noutbox_cap_mb = -1\n")
    result = borderpost("config", "check", str(bad))
    assert result.returncode == 2
    assert "outbox_cap_mb = -1: must be a whole number of MB" in result.stderr


def test_config_check_warns_of_a_root_key_the_daemon_cannot_use(tmp_path: Path) -> None:
    """config check said OK; the daemon then ran without HQ's signed updates, saying so
    only in its log ('watchlist updates disabled: cannot read …')."""
    path = _write(
        tmp_path,
        '[broker]\nhost = "127.0.0.1"\nport = 1883\ntls = false\n'
        '[watchlist]\nroot_key_file = "hq-root.pub"\n',
    )
    state = tmp_path / "state"
    result = borderpost("config", "check", str(path), "--state-dir", str(state))
    assert result.returncode == 0, result.stderr
    assert "root_key_file = 'hq-root.pub': cannot read" in result.stderr
    assert "without HQ's signed updates" in result.stderr
    state.mkdir()
    (state / "hq-root.pub").write_bytes(bytes(32))  # a raw Ed25519 public key
    result = borderpost("config", "check", str(path), "--state-dir", str(state))
    assert "root_key_file" not in result.stderr


def test_config_show_redacts_secrets(tmp_path: Path) -> None:
    (tmp_path / "tls-secret.key").write_text("not really a key")
    path = _write(tmp_path, '[broker]\nhost = "hq.example"\nkey_file = "tls-secret.key"\n')
    result = borderpost("config", "show", "--config", str(path))
    assert result.returncode == 0, result.stderr
    assert "tls-secret.key" not in result.stdout and "hq.example" in result.stdout
    # as `config check FILE` takes it: was "unrecognized arguments" under the top usage
    assert borderpost("config", "show", str(path)).stdout == result.stdout


def test_daemon_refuses_to_start_on_bad_config(tmp_path: Path) -> None:
    path = _write(tmp_path, "[auth]\nmax_failures = 0\n")
    result = borderpost("run", "--state-dir", str(tmp_path / "s"), "--config", str(path))
    assert result.returncode == 2
    assert "[auth] max_failures = 0: must be a whole number from 1 to 100" in result.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[broker]\nport = 1883\n", "[broker] host: missing"),
        ('[broker]\nhost = "h"\nport = 0\n', "[broker] port = 0: allowed:"),
        ('[broker]\nhost = "h"\nca_file = "nope.pem"\n', "ca_file"),
        ("[sync]\nbatch_max_events = 10\n", "[sync]: needs a [broker] section"),
    ],
)
def test_broker_and_sync_errors(tmp_path: Path, text: str, expected: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load(path)
    assert str(err.value).startswith(str(path)) and expected in str(err.value)


def test_installed_example_shows_the_defaults() -> None:
    """``make install``'s commented configuration says it shows the defaults: it must, or
    every installed post silently runs on another value (``decide`` was 0.70 there while
    the calibrated default became 0.65). Only the console's group is set on purpose."""
    import dataclasses
    import tomllib

    from edge.config import SECTIONS, Settings

    example = Path(__file__).resolve().parents[1] / "systemd" / "borderpost.toml.example"
    defaults = Settings()
    set_on_purpose = {("api", "socket_group")}
    for section, values in tomllib.loads(example.read_text()).items():
        assert section in SECTIONS, f"[{section}] is not a settings section"
        for key, value in values.items():
            if (section, key) not in set_on_purpose:
                default = dataclasses.asdict(getattr(defaults, section))[key]
                assert value == default, (
                    f"[{section}] {key} = {value!r}; the default is {default!r}"
                )


def test_the_readme_example_has_every_key() -> None:
    """The technician's guide says every key is described in the README; parity (which a
    technician sets to the monitor's), bytesize, stopbits, enabled and max_clients were not."""
    import dataclasses
    import re
    import tomllib

    from edge.config import SECTIONS, DeviceSettings

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    block = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    tomllib.loads(block)  # the example itself is valid
    tables = [*SECTIONS.values(), DeviceSettings]
    keys = [f.name for cls in tables for f in dataclasses.fields(cls)]
    missing = [k for k in keys if not re.search(rf"\b{k} =", block)]
    assert not missing, f"README's configuration example lacks {missing}"
