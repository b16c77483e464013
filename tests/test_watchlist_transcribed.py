"""An English given name as other scripts write its sound: George is Джордж, Τζορτζ, Ջորջ and
ჯორჯ, JORJ read back, whose first letter and ending are not GEORGE's; the name tables hold
JORJ as George in another language (``EQUIVALENTS`` of :mod:`edge.watchlist.nametables`), as
they hold JORGE and GIORGIO (issue 17's thirty-third part).

The names are public figures', written down before the table was changed: 4 of 17 were found
both ways before (those in Arabic and Hebrew letters, by the consonants an abjad writes), 15
now. Not found: ``Джордж Уэа`` (George Weah: Уэа, W as У), ``جورج واشنطن`` (Washington).
"""

from __future__ import annotations

import pytest
from conftest import found_for_another, scores_both_ways

from edge.watchlist.screen import DECIDE

GEORGE = [
    ("Джордж Буш", "George Bush"),
    ("Джордж Сорос", "George Soros"),
    ("Джордж Клуни", "George Clooney"),
    ("Джордж Вашингтон", "George Washington"),
    ("Джордж Оруэлл", "George Orwell"),
    ("Τζορτζ Μπους", "George Bush"),
    ("Τζορτζ Σόρος", "George Soros"),
    ("Τζορτζ Κλούνεϊ", "George Clooney"),
    ("جورج بوش", "George Bush"),
    ("جورج سوروس", "George Soros"),
    ("ג'ורג' בוש", "George Bush"),
    ("ג'ורג' סורוס", "George Soros"),
    ("Ջորջ Բուշ", "George Bush"),
    ("ჯორჯ ბუში", "George Bush"),
    ("Джордж Буш", "George W. Bush"),
]


@pytest.mark.parametrize(("written", "latin"), GEORGE)
def test_george_is_found_as_other_scripts_write_him(written: str, latin: str) -> None:
    assert min(scores_both_ways(written, latin)) >= DECIDE


def test_no_george_is_found_for_another_nor_a_relative() -> None:
    assert found_for_another([*GEORGE[:5], ("Джеб Буш", "Jeb Bush")]) == []
