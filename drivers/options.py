"""A device's ``options`` table from the config file, read with checks.

Every driver's ``make_decoder`` reads its options through :class:`Options`, so
every error has one form: the driver, the option, the value given and what is
allowed (``barcode: timeout = -1; must be a number from 0.005 to 10``).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from typing import Any

from drivers.base import DriverError


class Options:
    """One device's options; unknown keys are refused when it is made."""

    def __init__(self, driver: str, values: Mapping[str, Any], allowed: Collection[str]) -> None:
        unknown = sorted(set(values) - set(allowed))
        if unknown:
            raise DriverError(
                f"{driver}: unknown option(s) {', '.join(unknown)}; allowed: {', '.join(allowed)}"
            )
        self.driver, self.values = driver, values

    def get(self, key: str, default: Any = None) -> Any:
        """The raw value (for options a driver checks itself)."""
        return self.values.get(key, default)

    def error(self, key: str, value: Any, allowed: str) -> DriverError:
        """The error for a bad value: names driver, option, value and what is allowed."""
        return DriverError(f"{self.driver}: {key} = {value!r}; must be {allowed}")

    def number(self, key: str, default: float, low: float, high: float) -> float:
        """A number from ``low`` to ``high``."""
        value = self.optional(key, low, high)
        return default if value is None else value

    def optional(self, key: str, low: float, high: float) -> float | None:
        """A number from ``low`` to ``high``, or None when the option is not given."""
        value = self.values.get(key)
        if value is None:
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or math.isnan(value)
            or not low <= value <= high
        ):
            raise self.error(key, value, f"a number from {low:g} to {high:g}")
        return float(value)

    def whole(self, key: str, default: int, low: int, high: int) -> int:
        """A whole number from ``low`` to ``high``."""
        value = self.values.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.error(key, value, f"a whole number from {low} to {high}")
        return value

    def flag(self, key: str, default: bool) -> bool:
        """true or false."""
        value = self.values.get(key, default)
        if not isinstance(value, bool):
            raise self.error(key, value, "true or false")
        return value

    def choice(self, key: str, default: str, choices: Collection[str]) -> str:
        """One of ``choices`` (compared in lower case)."""
        value = self.values.get(key, default)
        if not isinstance(value, str) or value.lower() not in choices:
            raise self.error(key, value, f"one of {', '.join(choices)}")
        return value.lower()
