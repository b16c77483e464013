"""Keyboard layouts for HID (keyboard-wedge) scanners: Linux key code → characters.

Each layout maps a key code to ``(plain, shift, altgr)``; an empty string
means the key gives nothing in that shift state. Dead keys are taken as their
plain character (a scanner never composes accents).
"""

from __future__ import annotations

# Linux input key codes of the printable keys, by physical row.
ROW_DIGITS = (41, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13)  # grave, 1..0, minus, equal
ROW_TOP = (16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27)  # Q..P, [, ]
ROW_HOME = (30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 43)  # A..L, ;, ', backslash
ROW_BOTTOM = (86, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53)  # 102nd, Z..M, comma, dot, slash
KEYPAD = {71: "7", 72: "8", 73: "9", 74: "-", 75: "4", 76: "5", 77: "6", 78: "+",
          79: "1", 80: "2", 81: "3", 82: "0", 83: ".", 55: "*", 98: "/"}  # fmt: skip
SPACE = 57

Keymap = dict[int, tuple[str, str, str]]


def _rows(plain: tuple[str, ...], shift: tuple[str, ...], altgr: tuple[str, ...]) -> Keymap:
    codes = ROW_DIGITS + ROW_TOP + ROW_HOME + ROW_BOTTOM
    table: Keymap = {}
    for code, p, s, a in zip(codes, plain, shift, altgr, strict=True):
        table[code] = (p, s, a)
    table[SPACE] = (" ", " ", " ")
    return table


def _split(*rows: str) -> tuple[str, ...]:
    """Rows written as space-separated cells; ``·`` alone stands for no character."""
    return tuple("" if cell == "·" else cell for row in rows for cell in row.split(" "))


US = _rows(
    _split(
        "` 1 2 3 4 5 6 7 8 9 0 - =",
        "q w e r t y u i o p [ ]",
        "a s d f g h j k l ; ' \\",
        "\\ z x c v b n m , . /",
    ),
    _split(
        "~ ! @ # $ % ^ & * ( ) _ +",
        "Q W E R T Y U I O P { }",
        "A S D F G H J K L : \" |",
        "| Z X C V B N M < > ?",
    ),
    ("",) * 48,
)  # fmt: skip
DE = _rows(
    _split(
        "^ 1 2 3 4 5 6 7 8 9 0 ß ´",
        "q w e r t z u i o p ü +",
        "a s d f g h j k l ö ä #",
        "< y x c v b n m , . -",
    ),
    _split(
        "° ! \" § $ % & / ( ) = ? `",
        "Q W E R T Z U I O P Ü *",
        "A S D F G H J K L Ö Ä '",
        "> Y X C V B N M ; : _",
    ),
    _split(
        "· · ² ³ · · · { [ ] } \\ ·",
        "@ · € · · · · · · · · ~",
        "· · · · · · · · · · · ·",
        "| · · · · · · µ · · ·",
    ),
)  # fmt: skip
FR = _rows(
    _split(
        "² & é \" ' ( - è _ ç à ) =",
        "a z e r t y u i o p ^ $",
        "q s d f g h j k l m ù *",
        "< w x c v b n , ; : !",
    ),
    _split(
        "· 1 2 3 4 5 6 7 8 9 0 ° +",
        "A Z E R T Y U I O P ¨ £",
        "Q S D F G H J K L M % µ",
        "> W X C V B N ? . / §",
    ),
    _split(
        "· · ~ # { [ | ` \\ ^ @ ] }",
        "· · € · · · · · · · · ¤",
        "· · · · · · · · · · · ·",
        "· · · · · · · · · · ·",
    ),
)  # fmt: skip
LAYOUTS: dict[str, Keymap] = {"us": US, "de": DE, "fr": FR}
"""Layout name → key map."""
