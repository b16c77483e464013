"""The offline install: ``make install`` from the wheelhouse (``make wheelhouse``, which CI
builds first) into a staged root, in a network namespace with no network at all, every file
checked against requirements-post.lock's hashes; the post gets evdev (built from its source
there) and prometheus-client, and not HQ's PostgreSQL driver."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

WHEELHOUSE = Path(os.environ.get("BORDERPOST_WHEELHOUSE", REPO / "wheelhouse"))
pytestmark = pytest.mark.skipif(
    not (WHEELHOUSE / "requirements-post.lock").exists(),
    reason=f"no wheelhouse at {WHEELHOUSE}: `make wheelhouse` builds it (.ci/run does, first)",
)


def offline(cmd: list[str]) -> list[str]:
    """``cmd`` in a new network namespace (only a down loopback), when this machine allows it."""
    if shutil.which("unshare") and subprocess.run(["unshare", "-n", "true"]).returncode == 0:
        return ["unshare", "-n", *cmd]
    return cmd  # still --no-index; the proxy variables below make any attempt fail


def test_post_installs_from_the_wheelhouse_without_network(tmp_path: Path) -> None:
    root = tmp_path / "root"
    env = {
        "PATH": "/usr/bin:/bin",
        "DESTDIR": str(root),
        "PYTHON": sys.executable,
        "ROLE": "post",
        "WHEELHOUSE": str(WHEELHOUSE),
        "https_proxy": "http://127.0.0.1:9",
        "http_proxy": "http://127.0.0.1:9",
    }
    cmd = offline(["sh", str(REPO / "systemd" / "install.sh"), "install"])
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    venv = root / "opt/borderpost/venv/bin"
    probe = "import evdev, prometheus_client, cv2, edge.metrics; print('ok')"
    assert (
        subprocess.run([venv / "python", "-c", probe], capture_output=True, text=True).stdout
        == "ok\n"
    )
    missing = subprocess.run([venv / "python", "-c", "import psycopg"], capture_output=True)
    assert missing.returncode != 0  # HQ's driver stays off a post
    config = root / "etc/borderpost/borderpost.toml"
    check = subprocess.run([venv / "borderpost", "config", "check", str(config)],
                           capture_output=True, text=True)  # fmt: skip
    assert check.returncode == 0 and "OK" in check.stdout, check.stderr


def test_a_file_that_does_not_match_its_hash_is_refused(tmp_path: Path) -> None:
    """One wheel altered after the lock was made: pip refuses it and installs nothing."""
    bad = tmp_path / "wheelhouse"
    bad.mkdir()
    [wheel] = WHEELHOUSE.glob("anyascii-*.whl")
    (bad / wheel.name).write_bytes(wheel.read_bytes() + b"\0")  # still a zip; another hash
    lock = (WHEELHOUSE / "requirements-post.lock").read_text()
    entry = re.search(r"^anyascii==.*?(?=^\S)", lock, re.M | re.S)
    assert entry is not None
    (tmp_path / "req.txt").write_text(entry[0])
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    pip = [sys.executable, "-m", "pip", "--python", str(venv / "bin/python"), "install", "-q"]
    opts = [
        "--no-index",
        "--find-links",
        str(bad),
        "--require-hashes",
        "-r",
        str(tmp_path / "req.txt"),
    ]
    done = subprocess.run(offline([*pip, *opts]), capture_output=True, text=True, timeout=300)
    assert done.returncode != 0 and "DO NOT MATCH THE HASHES" in done.stderr, done.stderr
    assert not list((venv / "lib").glob("python3*/site-packages/anyascii"))
