"""``MrzResult.fast`` (the parser's constructor) gives what the dataclass ``__init__`` gives."""

from __future__ import annotations

import dataclasses

import pytest

from drivers.mrz import MrzResult, parse_mrz

TD3 = [
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
]


def _init_values(result: MrzResult) -> dict[str, object]:
    return {f.name: getattr(result, f.name) for f in dataclasses.fields(result) if f.init}


@pytest.mark.parametrize("lines", [TD3, [TD3[0], TD3[1][:-1] + "9"]])
def test_fast_equals_init(lines: list[str]) -> None:
    parsed = parse_mrz(lines)
    again = MrzResult(**_init_values(parsed))  # type: ignore[arg-type]
    assert parsed == again
    assert hash(parsed) == hash(again)
    assert parsed.valid is again.valid
    assert vars(parsed) == vars(again)


def test_fast_is_frozen() -> None:
    parsed = parse_mrz(TD3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        parsed.surname = "X"  # type: ignore[misc]


def test_fast_needs_every_field() -> None:
    values = _init_values(parse_mrz(TD3))
    del values["surname"]
    with pytest.raises(TypeError, match="surname"):
        MrzResult.fast(**values)
    with pytest.raises(TypeError, match="valid"):
        MrzResult.fast(**_init_values(parse_mrz(TD3)), valid=True)
