"""The appliance: units verify and rate 2.0 or better; install into a temporary root works."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
UNITS = ("borderpost.service", "borderpost-hq.service", "borderpost-console.service")
needs_systemd = pytest.mark.skipif(
    shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed"
)


@needs_systemd
@pytest.mark.parametrize("unit", UNITS)
def test_unit_security_rating_is_2_or_better(unit: str) -> None:
    result = subprocess.run(
        [
            "systemd-analyze",
            "security",
            "--offline=true",
            "--no-pager",
            str(REPO / "systemd" / unit),
        ],
        capture_output=True,
        text=True,
    )
    match = re.search(r"Overall exposure level for \S+: (\d+\.\d+)", result.stdout)
    assert match, result.stdout + result.stderr
    assert float(match.group(1)) <= 2.0


@needs_systemd
@pytest.mark.parametrize("unit", UNITS)
def test_unit_verifies(tmp_path: Path, unit: str) -> None:
    # verify checks that ExecStart exists: point it at this checkout's entry point
    text = (REPO / "systemd" / unit).read_text()
    entry = Path(sys.executable).parent / "borderpost"
    (tmp_path / unit).write_text(text.replace("/opt/borderpost/venv/bin/borderpost", str(entry)))
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(tmp_path / unit)],
        capture_output=True,
        text=True,
    )
    ours = [line for line in result.stderr.splitlines() if unit in line]
    assert result.returncode == 0 and not ours, result.stderr


def test_udev_rules_are_well_formed() -> None:
    rule = re.compile(r'^(\w+(\{\w+\})?(==|\+=|=)"[^"]*")(, \w+(\{\w+\})?(==|\+=|=)"[^"]*")*$')
    lines = (REPO / "systemd" / "60-borderpost.rules").read_text().splitlines()
    rules = [x for x in lines if x.strip() and not x.startswith("#")]
    assert rules and all(rule.match(x) for x in rules), [x for x in rules if not rule.match(x)]
    assert all('SYMLINK+="borderpost-' in x or 'SYMLINK+="input/borderpost-' in x for x in rules)


def test_the_hid_scanner_link_is_read_as_a_keyboard() -> None:
    """The rules named a HID scanner /dev/borderpost-hid-scanner, as the technician's guide
    says to configure it, but only a URL under /dev/input/ gets the HID driver: the
    daemon opened the event node as a serial port and ``layout`` was refused."""
    from drivers.registry import HID_SCANNER, spec_for

    lines = (REPO / "systemd" / "60-borderpost.rules").read_text().splitlines()
    links = [
        m for x in lines if 'SUBSYSTEM=="input"' in x for m in re.findall(r'SYMLINK\+="([^"]+)"', x)
    ]
    assert links and all(spec_for("scanner", f"/dev/{link}") is HID_SCANNER for link in links)
    guide = (REPO / "docs" / "technician-guide.md").read_text()
    assert all(f"/dev/{link}" in guide for link in links)


def test_install_into_a_temporary_root_and_uninstall(tmp_path: Path) -> None:
    root = tmp_path / "root"
    env = {"DESTDIR": str(root), "PYTHON": sys.executable, "PATH": "/usr/bin:/bin"}
    install = subprocess.run(
        ["sh", str(REPO / "systemd" / "install.sh"), "install"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert install.returncode == 0, install.stderr
    for unit in UNITS:
        assert (root / "etc/systemd/system" / unit).exists()
    assert (root / "etc/udev/rules.d/60-borderpost.rules").exists()
    config = root / "etc/borderpost/borderpost.toml"
    entry = root / "opt/borderpost/venv/bin/borderpost"
    check = subprocess.run(
        [str(entry), "config", "check", str(config)], capture_output=True, text=True
    )
    assert check.returncode == 0 and "OK" in check.stdout, check.stderr
    (root / "var/lib/borderpost").mkdir(parents=True)
    keep = subprocess.run(
        ["sh", str(REPO / "systemd" / "install.sh"), "uninstall"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert keep.returncode == 0
    assert not (root / "opt/borderpost").exists() and config.exists()
    assert (root / "var/lib/borderpost").exists()
    purge = subprocess.run(
        ["sh", str(REPO / "systemd" / "install.sh"), "uninstall"],
        capture_output=True,
        text=True,
        env={**env, "PURGE": "1"},
    )
    assert purge.returncode == 0
    assert not config.exists() and not (root / "var/lib/borderpost").exists()


def test_install_enables_the_units_of_its_role() -> None:
    def units(role: str) -> list[str]:
        run = subprocess.run(
            ["sh", str(REPO / "systemd" / "install.sh"), "units"],
            capture_output=True,
            text=True,
            env={"ROLE": role, "PATH": "/usr/bin:/bin"},
            check=True,
        )
        return run.stdout.split()

    assert units("post") == ["borderpost.service", "borderpost-console.service"]
    assert units("hq") == ["borderpost-hq.service"]
