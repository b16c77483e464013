"""Every command group run without its action: help on stderr, nothing on stdout, exit 2.

Scripts read stdout as the command's answer (JSON with ``--json``), so a usage text there
would be taken for one.
"""

from __future__ import annotations

import pytest

from edge.cli import main

GROUPS = ["mrz", "barcode", "rpm", "watchlist", "rules", "keys", "hq", "prearrival", "chip"]


@pytest.mark.parametrize("group", GROUPS)
def test_a_group_without_its_action_prints_usage_on_stderr(
    group: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        raise SystemExit(main([group]))
    out, err = capsys.readouterr()
    assert stop.value.code == 2
    assert out == ""
    assert f"borderpost {group}" in err and "ACTION" in err
