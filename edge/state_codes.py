"""One spelling per state: ICAO 9303 part 3 codes and ISO 3166-1 codes made the same.

A German passport's MRZ says ``D`` where ISO 3166-1 alpha-3 (and most lists)
say ``DEU``. The watchlist compares issuers and nationalities as text, so both
sides — the list's entries when they are read and every query — go through
:func:`normalise_state` first, and ``D`` becomes ``DEU``. Codes ICAO has and
ISO has not (``UNO``, ``XXA``, ``EUE`` …) are left as they are. (Alpha-2 codes
are turned into alpha-3 by the importers that meet them,
``edge/watchlist/countries.py``.)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TypeVar

# ICAO 9303 part 3 codes of states that ISO 3166-1 alpha-3 spells otherwise
ICAO_TO_ISO = {"D": "DEU"}
STATE_FIELDS = ("issuer", "nationality")  # the fields of a watchlist key that name a state

K = TypeVar("K")


def normalise_state(code: str) -> str:
    """``D`` -> ``DEU``; any other code as it is (already upper-case, no fillers)."""
    return ICAO_TO_ISO.get(code, code)


def normalise_keys(keys: Sequence[K]) -> list[K]:
    """Watchlist keys with their issuer and nationality in one spelling (others unchanged)."""
    return [_normalised(key) for key in keys]


def _normalised(key: K) -> K:
    if not dataclasses.is_dataclass(key) or isinstance(key, type):
        return key
    changes = {}
    for name in STATE_FIELDS:
        value = getattr(key, name, None)
        if isinstance(value, str) and value:
            changes[name] = normalise_state(value.strip().upper().strip("<"))
    return dataclasses.replace(key, **changes) if changes else key  # type: ignore[type-var]
