"""Every console action is a Binding with a description and an id, on keys any console can send."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from textual.binding import Binding
from textual.dom import DOMNode

import tui
import tui.screens

FORBIDDEN = ("alt+", "ctrl+shift+", "meta+", "super+")


def _classes() -> list[type[DOMNode]]:
    found: list[type[DOMNode]] = []
    for pkg in (tui, tui.screens):
        for info in pkgutil.iter_modules(pkg.__path__, pkg.__name__ + "."):
            module = importlib.import_module(info.name)
            for value in vars(module).values():
                if (
                    isinstance(value, type)
                    and issubclass(value, DOMNode)
                    and value.__module__ == module.__name__
                ):
                    found.append(value)
    return found


CLASSES = _classes()


def test_the_console_defines_screens_and_dialogs() -> None:
    names = {c.__name__ for c in CLASSES}
    assert {
        "BorderpostApp",
        "LaneScreen",
        "AlertsScreen",
        "DetailScreen",
        "DecisionForm",
        "HelpScreen",
    } <= names
    assert len(names) >= 16


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_bindings_have_descriptions_ids_and_plain_keys(cls: type[DOMNode]) -> None:
    for binding in cls.__dict__.get("BINDINGS", []):
        assert isinstance(binding, Binding), f"{cls.__name__}: {binding!r} is not a Binding"
        assert binding.description, f"{cls.__name__}: {binding.key} has no description"
        assert binding.id, f"{cls.__name__}: {binding.key} has no id"
        for key in binding.key.split(","):
            assert not key.strip().lower().startswith(FORBIDDEN), f"{cls.__name__}: {key}"


def test_binding_ids_are_unique() -> None:
    ids = [b.id for c in CLASSES for b in c.__dict__.get("BINDINGS", []) if isinstance(b, Binding)]
    assert len(ids) == len(set(ids))
