"""`borderpost keys …` and `borderpost hq …` as documented, in-process."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from sync_testkit import make_event

from edge.cli import main
from sync.hq.store import HqStore


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def test_keys_init_and_show(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(capsys, "keys", "init", "--state-dir", str(tmp_path))
    priv = Path(out["private_key"])  # type: ignore[index]
    assert stat.S_IMODE(priv.stat().st_mode) == 0o600
    shown = _run(capsys, "keys", "show", "--state-dir", str(tmp_path))
    assert shown["fingerprint"] == out["fingerprint"]  # type: ignore[index]
    with pytest.raises(SystemExit):
        main(["keys", "init", "--state-dir", str(tmp_path)])  # never replaces a key
    assert "already exists" in capsys.readouterr().err
    assert main(["keys", "show", "--state-dir", str(tmp_path), "--pem"]) == 0
    assert capsys.readouterr().out.startswith("-----BEGIN PUBLIC KEY-----")


def test_hq_ca_post_add_and_listings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hq = str(tmp_path / "hq")
    init = _run(capsys, "hq", "ca", "init", "--state-dir", hq)
    assert len(init["files"]) == 3  # type: ignore[index]
    issued = _run(capsys, "hq", "ca", "issue", "post-07", "--state-dir", hq)
    assert Path(issued["cert"]).is_file()  # type: ignore[index]
    both = _run(capsys, "hq", "ca", "issue", "post", "post-08", "--state-dir", hq)
    assert both["name"] == "post-08"  # type: ignore[index]
    assert _run(capsys, "hq", "ca", "issue", "hq", "--state-dir", hq)["name"] == "borderpost-hq"  # type: ignore[index]
    with pytest.raises(SystemExit):
        main(["hq", "ca", "issue", "bad id!", "--state-dir", hq])
    capsys.readouterr()
    _run(capsys, "keys", "init", "--state-dir", str(tmp_path / "post"))
    pub = tmp_path / "post" / "keys" / "post.pub"
    added = _run(capsys, "hq", "post", "add", "post-07", "--key", str(pub), "--state-dir", hq)
    assert added["registered"] == "new"  # type: ignore[index]
    again = _run(capsys, "hq", "post", "add", "post-07", "--key", str(pub), "--state-dir", hq)
    assert again["registered"] == "unchanged"  # type: ignore[index]  # same key: no re-keying
    _run(capsys, "keys", "init", "--state-dir", str(tmp_path / "other"))
    other = tmp_path / "other" / "keys" / "post.pub"
    rekeyed = _run(capsys, "hq", "post", "add", "post-07", "--key", str(other), "--state-dir", hq)
    assert rekeyed["registered"] == "re-keyed"  # type: ignore[index]
    _run(capsys, "hq", "post", "add", "post-07", "--key", str(pub), "--state-dir", hq)
    store = HqStore(tmp_path / "hq" / "hq.db")
    store.store_batch("post-07", "b1", [make_event(1), make_event(2, priority=2), make_event(4)])
    store.close()
    stats = _run(capsys, "hq", "stats", "--json", "--state-dir", hq)
    assert stats[0]["missing"] == [[3, 3]] and stats[0]["alerts"] == 1  # type: ignore[index]
    alerts = _run(capsys, "hq", "alerts", "--json", "--state-dir", hq)
    assert [a["seq"] for a in alerts] == [2]  # type: ignore[union-attr]
    posts = _run(capsys, "hq", "posts", "--json", "--state-dir", hq)
    assert posts[0]["post_id"] == "post-07" and posts[0]["max_seq"] == 4  # type: ignore[index]
    assert _run(capsys, "hq", "rejects", "--json", "--state-dir", hq) == []
    assert main(["hq", "stats", "--state-dir", hq]) == 0
    assert "post-07" in capsys.readouterr().out


def test_hq_post_add_refuses_a_bad_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.pub"
    bad.write_text("not a key")
    with pytest.raises(SystemExit):
        main(["hq", "post", "add", "post-01", "--key", str(bad), "--state-dir", str(tmp_path)])
    assert "not a PEM public key" in capsys.readouterr().err
