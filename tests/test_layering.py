"""The layers of DESIGN.md: only tui/ loads Textual or Rich; drivers/ and sync/ know no edge/."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHECK = """
import importlib, pkgutil, sys
for pkg in ("drivers", "sync", "edge"):
    mod = importlib.import_module(pkg)
    for info in pkgutil.walk_packages(mod.__path__, pkg + "."):
        if info.name.endswith("__main__"):
            continue
        try:
            importlib.import_module(info.name)
        except ImportError as exc:  # an optional device library that is absent
            print("skipped", info.name, exc, file=sys.stderr)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich"))
print(",".join(loaded))
"""


def test_core_packages_never_load_textual_or_rich() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, cwd=REPO, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"loaded: {result.stdout}"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_drivers_and_sync_do_not_import_edge_or_tui() -> None:
    for pkg in ("drivers", "sync"):
        for path in (REPO / pkg).rglob("*.py"):
            bad = _imports(path) & {"edge", "tui", "textual", "rich"}
            assert not bad, f"{path.relative_to(REPO)} imports {bad}"


def test_drivers_and_sync_know_nothing_of_each_other() -> None:
    for pkg, other in (("drivers", "sync"), ("sync", "drivers")):
        for path in (REPO / pkg).rglob("*.py"):
            assert other not in _imports(path), f"{path.relative_to(REPO)} imports {other}"


def _full_imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_only_the_command_line_reaches_the_demo() -> None:
    """The demo composes a whole post as processes; nothing of the post needs it."""
    for path in (REPO / "edge").rglob("*.py"):
        rel = path.relative_to(REPO).as_posix()
        if rel.startswith(("edge/demo/", "edge/cli/")):
            continue
        bad = {m for m in _full_imports(path) if m == "edge.demo" or m.startswith("edge.demo.")}
        assert not bad, f"{rel} imports {bad}"


def test_tui_imports_only_the_api_protocol_from_edge() -> None:
    for path in (REPO / "tui").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("edge"):
                assert node.module == "edge.api.protocol", f"{path.name}: {node.module}"
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("edge") for a in node.names), path.name
