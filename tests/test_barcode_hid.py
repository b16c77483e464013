"""HID keyboard-wedge scanners: layouts through the sans-IO decoder, and a uinput device."""

from __future__ import annotations

import os
import select
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.barcode import parse_payload
from drivers.barcode.hid import HidSource, KeyDecoder, key_events, load_evdev
from drivers.barcode.keymaps import LAYOUTS
from drivers.base import DriverError, Reading
from drivers.events import ContainerKey


def typed(text: str, layout: str) -> list[bytes]:
    decoder = KeyDecoder(layout)
    scans = []
    for code, value in key_events(text, layout):
        scans += decoder.feed(code, value, 0.0)
    return [s.data for s in scans]


def layout_chars(layout: str) -> str:
    return "".join(sorted({c for entry in LAYOUTS[layout].values() for c in entry if c}))


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_border_payloads_type_through_every_layout(layout: str) -> None:
    for text in ("CSQU3054383", "10NL5663962BE1E825", "0109506000134352\x1d21AB-12/x"):
        assert typed(text, layout) == [text.encode()]


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_any_layout_text_round_trips(layout: str, data: st.DataObject) -> None:
    text = data.draw(st.text(alphabet=layout_chars(layout) + "\x1d", min_size=1, max_size=40))
    assert typed(text, layout) == [text.encode()]


def test_same_keys_differ_by_layout() -> None:
    # The key right of T is Y on a US keyboard and Z on a German one; A/Q swap in French.
    decoder_us, decoder_de, decoder_fr = KeyDecoder("us"), KeyDecoder("de"), KeyDecoder("fr")
    keys = [(21, 1), (21, 0), (16, 1), (16, 0), (28, 1)]
    out = [
        [d.feed(c, v, 0.0) for c, v in keys][-1][0].data
        for d in (decoder_us, decoder_de, decoder_fr)
    ]
    assert out == [b"yq", b"zq", b"ya"]


def test_caps_lock_alt_numpad_gs_and_timeout() -> None:
    decoder = KeyDecoder("us", ending="none", timeout=0.1)
    events = [(58, 1), (58, 0), (30, 1), (30, 0), (58, 1), (58, 0), (30, 1), (30, 0)]
    events += [(56, 1), (82, 1), (82, 0), (80, 1), (80, 0), (73, 1), (73, 0), (56, 0)]
    for code, value in events:
        assert decoder.feed(code, value, 0.0) == []
    assert decoder.tick(0.05) == []
    assert [s.data for s in decoder.tick(0.2)] == [b"Aa\x1d"]


def test_unknown_layout_and_missing_keys() -> None:
    with pytest.raises(ValueError, match="layout"):
        KeyDecoder("xx")
    decoder = KeyDecoder("us")
    decoder.feed(240, 1, 0.0)  # KEY_UNKNOWN
    assert decoder.unknown == 1


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"layout": "uk"}, "barcode hid: layout = 'uk'; must be one of us, de, fr"),
        ({"suffix": "cr"}, "barcode hid: unknown option(s) suffix; allowed: layout"),
        ({"grab": "no"}, "barcode hid: grab = 'no'; must be true or false"),
    ],
)
def test_config_check_refuses_a_bad_hid_option(
    tmp_path: Path, options: dict[str, str], expected: str
) -> None:
    """A HID scanner's options were read only when the daemon opened the device: ``config
    check`` said OK to ``layout = "uk"``, and ``suffix`` (serial only) was ignored."""
    from edge.config import ConfigError, load

    pairs = ", ".join(f'{k} = "{v}"' for k, v in options.items())
    path = tmp_path / "borderpost.toml"
    path.write_text(
        '[[devices]]\nname = "hid-1"\nkind = "scanner"\n'
        f'url = "/dev/input/borderpost-hid-scanner"\noptions = {{ {pairs} }}\n'
    )
    with pytest.raises(ConfigError, match="'hid-1' options: ") as err:
        load(path)
    assert expected in str(err.value)


def uinput_missing() -> str | None:
    """Why this machine cannot have ``/dev/uinput``, or None when it has it or could load it."""
    if Path("/dev/uinput").exists():
        return None
    misc = Path("/proc/misc").read_text() if Path("/proc/misc").exists() else ""
    if " uinput\n" in misc:
        return "the kernel has uinput but /dev/uinput is missing (no udev/devtmpfs node here)"
    release = os.uname().release
    if not Path(f"/lib/modules/{release}").exists():
        return (
            f"no /dev/uinput: kernel {release} has no uinput built in (not in /proc/misc) and no"
            f" /lib/modules/{release} to load it from (modprobe uinput cannot work in this"
            " container or VM; CI needs a kernel with CONFIG_INPUT_UINPUT)"
        )
    return None  # modules exist: `modprobe uinput` (make setup as root) could provide it


def uinput_or_skip() -> object:
    try:
        evdev = load_evdev()
    except DriverError as exc:
        pytest.skip(f"uinput test skipped: {exc} (make setup installs the hid extra)")
    missing = uinput_missing()
    if missing:
        pytest.skip(f"uinput test skipped: {missing}")
    try:
        return evdev.UInput(name="borderpost-test-scanner")
    except Exception as exc:  # present but no permission (not root, not in group input)
        pytest.skip(f"uinput test skipped: cannot create a virtual input device ({exc})")


def test_hid_source_through_uinput() -> None:
    ui = uinput_or_skip()
    evdev = load_evdev()
    try:
        time.sleep(0.2)  # udev creates the event node
        path = ui.device.path  # type: ignore[attr-defined]
        got: list[Reading] = []
        source = HidSource(path, {"layout": "de"}, got.append)
        source.start()
        try:
            for code, value in key_events("CSQU3054383", "de"):
                ui.write(evdev.ecodes.EV_KEY, code, value)  # type: ignore[attr-defined]
                ui.syn()  # type: ignore[attr-defined]
            deadline = time.monotonic() + 5
            while not got and time.monotonic() < deadline:
                select.select([], [], [], 0.05)
        finally:
            source.stop()
    finally:
        ui.close()  # type: ignore[attr-defined]
    assert got and got[0].payload["parsed"]["kind"] == "container"
    assert got[0].keys == (ContainerKey("CSQU3054383"),)
    assert parse_payload(b"CSQU3054383").valid


@settings(max_examples=200, deadline=None)
@given(
    layout=st.sampled_from(sorted(LAYOUTS)),
    events=st.lists(st.tuples(st.integers(0, 300), st.integers(0, 2)), max_size=300),
)
def test_arbitrary_key_events_never_raise(layout: str, events: list[tuple[int, int]]) -> None:
    decoder = KeyDecoder(layout, ending="none")
    for code, value in events:
        for scan in decoder.feed(code, value, 0.0):
            parse_payload(scan.data).to_json()
    decoder.tick(1.0)
