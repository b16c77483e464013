"""The runs of one script inside a name, each spelt in Latin by that script's speller
(:mod:`edge.watchlist.brahmic`, :mod:`edge.watchlist.japanese`, :mod:`edge.watchlist.khmer`,
:mod:`edge.watchlist.myanmar`, :mod:`edge.watchlist.thai`)."""

from __future__ import annotations

import re
from collections.abc import Callable


def spell_runs(run: re.Pattern[str], spell: Callable[[str], str], text: str) -> str:
    """``text`` with each match of ``run`` replaced by ``spell`` of it, a word apart from the
    letters beside it (``Rajराहुल`` RAJ RAHUL); the rest kept, and a text with no match
    returned as it is."""
    if run.search(text) is None:
        return text
    return run.sub(lambda m: f" {spell(m.group())} ", text)
