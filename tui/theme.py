"""The themes: 16-colour ANSI (booth consoles, TERM=linux), a dark true-colour one, and a
monochrome one for high contrast and colour-blind officers (no colour at all: the verdict
and severity words, bold and reverse video carry everything)."""

from __future__ import annotations

from typing import ClassVar

from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.theme import Theme

ANSI = Theme(
    name="borderpost-ansi",
    ansi=True,
    primary="ansi_blue",
    secondary="ansi_cyan",
    warning="ansi_yellow",
    error="ansi_red",
    success="ansi_green",
    accent="ansi_bright_cyan",
    foreground="ansi_default",
    background="ansi_default",
    surface="ansi_default",
    panel="ansi_default",
    boost="ansi_default",
    dark=True,
    variables={
        "ansi-background": "ansi_black",
        "ansi-foreground": "ansi_white",
        "border-blurred": "ansi_black",
        "block-cursor-foreground": "ansi_black",
        "block-cursor-background": "ansi_white",
        "input-cursor-background": "ansi_white",
        "input-cursor-foreground": "ansi_black",
        "input-cursor-text-style": "none",
        "input-selection-background": "ansi_blue",
        "input-selection-foreground": "ansi_white",
        "screen-selection-background": "ansi_blue",
        "screen-selection-foreground": "ansi_white",
        "footer-key-foreground": "ansi_bright_yellow",
    },
)

DARK = Theme(
    name="borderpost-dark",
    primary="#3b82c4",
    secondary="#2aa1a1",
    warning="#e0a020",
    error="#e0463c",
    success="#3fae5a",
    accent="#5fb3f0",
    foreground="#dcdcdc",
    background="#121417",
    surface="#1b1e22",
    panel="#25292e",
    dark=True,
)

MONO = Theme(
    name="borderpost-mono",
    ansi=True,
    primary="ansi_default",
    secondary="ansi_default",
    warning="ansi_default",
    error="ansi_default",
    success="ansi_default",
    accent="ansi_default",
    foreground="ansi_default",
    background="ansi_default",
    surface="ansi_default",
    panel="ansi_default",
    boost="ansi_default",
    dark=True,
    variables={
        **ANSI.variables,
        "block-cursor-text-style": "bold reverse",  # the cursor row: reverse, not a colour
        "block-cursor-blurred-text-style": "reverse",
        "input-cursor-text-style": "reverse",
        "footer-key-foreground": "ansi_default",
    },
)
"""Used with Textual's ``NoColor`` filter (``BorderpostApp``), so no colour is ever drawn."""

THEMES = {"ansi": ANSI, "dark": DARK, "mono": MONO}


class WholeCellScrollBar(ScrollBarRender):
    """A scroll bar drawn in whole cells: the eighth blocks Textual draws its thumb's ends
    with are not in a Linux VGA console font (they show as boxes)."""

    VERTICAL_BARS: ClassVar[list[str]] = [" "] * 8
    HORIZONTAL_BARS: ClassVar[list[str]] = [" "] * 8


def use_console_glyphs() -> None:
    """Draw scroll bars with glyphs every console font has."""
    ScrollBar.renderer = WholeCellScrollBar
