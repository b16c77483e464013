"""Device options: one reader for every driver, one form of error, nothing else raised."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drivers.barcode.device import make_decoder as barcode_decoder
from drivers.base import DriverError
from drivers.camera.device import parse_options as camera_options
from drivers.mrz.device import make_decoder as mrz_decoder
from drivers.options import Options
from drivers.rpm.device import make_decoder as rpm_decoder


def test_values_are_read_and_checked() -> None:
    opts = Options("x", {"n": 2, "w": 3, "f": False, "c": "LF"}, ("n", "w", "f", "c", "o"))
    assert opts.number("n", 1.0, 0, 5) == 2.0 and opts.number("absent", 1.5, 0, 5) == 1.5
    assert opts.whole("w", 1, 0, 5) == 3 and opts.flag("f", True) is False
    assert opts.choice("c", "cr", ("cr", "lf")) == "lf" and opts.optional("o", 0, 1) is None


@pytest.mark.parametrize(
    ("values", "read", "message"),
    [
        ({"n": 9}, lambda o: o.number("n", 1, 0, 5), "x: n = 9; must be a number from 0 to 5"),
        ({"n": True}, lambda o: o.number("n", 1, 0, 5), "x: n = True; must be a number"),
        ({"n": math.nan}, lambda o: o.optional("n", 0, 5), "x: n = nan; must be a number"),
        ({"n": "1"}, lambda o: o.number("n", 1, 0, 5), "x: n = '1'; must be a number"),
        ({"n": 2.5}, lambda o: o.whole("n", 1, 0, 5), "x: n = 2.5; must be a whole number from 0"),
        ({"n": "yes"}, lambda o: o.flag("n", True), "x: n = 'yes'; must be true or false"),
        ({"n": "tab"}, lambda o: o.choice("n", "cr", ("cr", "lf")), "must be one of cr, lf"),
    ],
)
def test_a_bad_value_names_driver_option_value_and_what_is_allowed(
    values: dict[str, Any], read: Any, message: str
) -> None:
    with pytest.raises(DriverError, match=message.replace("(", r"\(")):
        read(Options("x", values, ("n",)))


def test_unknown_options_are_all_named_with_what_is_allowed() -> None:
    with pytest.raises(DriverError, match=r"mrz: unknown option\(s\) bogus, timout; allowed: fr"):
        mrz_decoder({"timout": 1, "bogus": 2})


DRIVERS = [barcode_decoder, mrz_decoder, rpm_decoder, camera_options]
VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8),
    st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers()),
)  # fmt: skip
KEYS = st.sampled_from(
    ["suffix", "timeout", "aim", "max_length", "framing", "max_corrections", "max_block", "sigma",
     "neutron_p", "max_line", "setup_timeout_s", "fps", "frames", "loop", "symbologies",
     "decoders", "min_itf_length", "other"]
)  # fmt: skip


@given(st.sampled_from(DRIVERS), st.dictionaries(KEYS, VALUES, max_size=3))
def test_any_options_give_a_decoder_or_a_driver_error(make: Any, options: dict[str, Any]) -> None:
    try:
        make(options)
    except DriverError as exc:
        assert str(exc).split(":")[0] in ("barcode", "mrz", "rpm", "camera")
