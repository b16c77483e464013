"""RPM line parser: tags, field counts, recorded timestamps, bounded buffer, properties."""

from __future__ import annotations

import contextlib
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.rpm.protocol import BadLine, LineParser, Message, ParseError, parse_line, parse_stamp


def test_count_line_with_and_without_recorded_stamp() -> None:
    live = parse_line(b"GS,000077,000077,000067,000069")
    rec = parse_line(b"GS,000077,000077,000067,000069,2016-05-31 09:32:20.158 -07")
    assert live == Message("GS", (77, 77, 67, 69))
    assert rec is not None and rec.values == (77, 77, 67, 69)
    assert rec.recorded == parse_stamp("2016-05-31 16:32:20.158 +00")


def test_speed_discards_saturated_and_zero() -> None:
    ok, sat = (
        parse_line(b"SP,0.1336,05.103,008.21,000000"),
        parse_line(b"SP,0.0023,99.999,160.93,000000"),
    )
    zero = parse_line(b"SP,0.0000,00.000,000.00,000000")
    assert ok is not None and ok.speed_kmh == 8.21
    assert sat is not None and sat.speed_kmh is None
    assert zero is not None and zero.speed_kmh is None


def test_neutron_background_in_decimals() -> None:
    nb1 = parse_line(b"NB1,3.58333373,0.00000000,2.65000033,0.00000000,2016-05-31 09:30:00.921 -07")
    assert nb1 is not None and nb1.tag == "NB1"
    assert abs(nb1.neutron_cps - 6.23333406) < 1e-9
    assert parse_line(b"NB,000003,000000,000002,000000") is not None
    for line in (b"NB1,3.5,0,2.6", b"NB1,3.5,0,2.6,-1", b"NB1,3.5,0,2.6,x"):
        with contextlib.suppress(ParseError):
            parse_line(line)
            raise AssertionError(f"{line!r} parsed")


def test_setup_sigma_and_unknown_tags() -> None:
    sg1 = parse_line(b"SG1,002000,000068,05,10,05.0,P")
    assert sg1 is not None and sg1.sigma == 5.0
    for line in (b"AS,000088,000110,000070,000045", b"AB1,1,2,3,4", b"NZ,-3.2,-3.2", b""):
        assert parse_line(line) is None


def test_bad_lines_raise_typed_error() -> None:
    for line in (b"GS,1,2,3", b"GS,1,2,3,x", b"GX,1,2,3,4,5", b"SG1,1,2,3,4,abc,P", b"GB,\xff"):
        try:
            parse_line(line)
        except ParseError:
            continue
        raise AssertionError(f"{line!r} parsed")


def test_parser_crlf_lf_split_and_counts() -> None:
    p = LineParser()
    out = p.feed(b"GB,000379,000371,000407,000371\r\nGS,1,2")
    out += p.feed(b",3,4\nGS,1,2\r\nXX,whatever\r\n")
    assert [type(o).__name__ for o in out] == ["Message", "Message", "BadLine"]
    assert (p.lines, p.bad) == (4, 1)


def test_overlong_line_is_dropped_and_parser_resyncs() -> None:
    p = LineParser(max_line=64)
    out = p.feed(b"GS," + b"9" * 100)
    out += p.feed(b"9999\r\nGB,1,2,3,4\r\n")
    assert isinstance(out[0], BadLine) and "longer" in out[0].reason
    assert out[1:] == [Message("GB", (1, 2, 3, 4))]
    assert len(p.buffer) == 0


@settings(max_examples=300, deadline=None)
@given(st.lists(st.binary(max_size=80), max_size=20))
def test_arbitrary_bytes_never_raise(chunks: list[bytes]) -> None:
    p = LineParser(max_line=128)
    for chunk in chunks:
        for item in p.feed(chunk):
            assert isinstance(item, Message | BadLine)
        assert len(p.buffer) <= 128


TAGS = st.sampled_from(["GB", "GS", "GA", "NS", "GX", "SP", "SG1", "TT", "GH", "ZZ", ""])


@settings(max_examples=300, deadline=None)
@given(TAGS, st.lists(st.text(alphabet="0123456789.,- :x", max_size=12), max_size=7))
def test_arbitrary_lines_never_raise_untyped(tag: str, fields: list[str]) -> None:
    line = ",".join([tag, *fields]).encode()
    with contextlib.suppress(ParseError):
        parse_line(line)


LINES = st.builds(
    lambda tag, vals: ",".join([tag, *vals]).encode() + b"\r\n",
    st.sampled_from(["GB", "GS", "GA", "NS", "NA", "GX", "SP", "SG1", "TT", "TC", "GH", "NB", "Q"]),
    st.lists(
        st.sampled_from(["000000", "000076", "999999", "05.0", "99.999", "P", "x"]), max_size=7
    ),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(LINES, st.floats(0, 200)), max_size=60))
def test_monitor_never_raises_on_arbitrary_lines(items: list[tuple[bytes, float]]) -> None:
    from drivers.rpm.device import make_decoder

    decoder = make_decoder({})
    now = 0.0
    for line, step in items:
        now += step
        for reading in decoder.feed(line, now) + decoder.tick(now):
            assert reading.kind in ("rpm.occupancy", "rpm.fault", "rpm.status")
            json.dumps(reading.payload, allow_nan=False)
