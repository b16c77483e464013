"""``borderpost mrz read`` and ``borderpost barcode read`` on rendered images."""

from __future__ import annotations

import argparse
import base64
import json
from pathlib import Path

import cv2
import pytest

pytest.importorskip("PIL")

from drivers.camera import synth
from edge.cli import build_parser, mrz_read


def _mrz_main(argv: list[str]) -> int:
    """``borderpost mrz read`` through the real parser when the mrz group wires it in."""
    parser = build_parser()
    try:
        args = parser.parse_args(["mrz", "read", *argv])
    except SystemExit:
        own = argparse.ArgumentParser(prog="borderpost mrz")
        mrz_read.register_read(own.add_subparsers())
        args = own.parse_args(["read", *argv])
    code: int = args.func(args)
    return code


@pytest.fixture(scope="module")
def images(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("camera_cli")
    paths = {
        "passport": synth.mrz_frame(synth.td3_lines("L898902C3", "ERIKSSON", "ANNA MARIA"), 4),
        "desk": synth.background(seed=9),
        "qr": synth.barcode_frame("qrcode", b"\x00\xffBIN\x1b[31m", 3),
        "container": synth.barcode_frame("code128", "CSQU3054383", 4, angle=3),
    }
    out = {}
    for name, image in paths.items():
        out[name] = folder / f"{name}.png"
        cv2.imwrite(str(out[name]), image)
    out["junk"] = folder / "junk.png"
    out["junk"].write_bytes(b"not an image at all")
    return out


def test_mrz_read_json(images: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code = _mrz_main([str(images["passport"]), str(images["desk"]), "--json"])
    assert code == 0
    first, second = (json.loads(x) for x in capsys.readouterr().out.splitlines())
    assert first["found"] and first["valid"] and first["format"] == "TD3"
    assert first["document_number"] == "L898902C3" and first["surname"] == "ERIKSSON"
    assert 0 < first["confidence"] <= 1 and first["elapsed_ms"] > 0
    assert "checks" in first and "field_confidence" in first
    assert second == {**second, "found": False, "confidence": 0.0}


def test_mrz_read_exit_3_without_mrz(
    images: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert _mrz_main([str(images["desk"]), str(images["qr"])]) == 3
    assert "no MRZ" in capsys.readouterr().out


def test_mrz_read_bad_image(images: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert _mrz_main([str(images["junk"])]) == 2
    assert "not an image" in capsys.readouterr().err
    assert _mrz_main([str(images["junk"].with_name("missing.png"))]) == 2


def test_barcode_read_json(images: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()
    args = parser.parse_args(["barcode", "read", str(images["qr"]), str(images["container"]),
                              "--json"])  # fmt: skip
    assert args.func(args) == 0
    qr, container = (json.loads(x) for x in capsys.readouterr().out.splitlines())
    (sym,) = qr["symbols"]
    assert base64.b64decode(sym["bytes_b64"]) == b"\x00\xffBIN\x1b[31m"
    assert "\x1b" not in sym["text"] and "\x00" not in sym["text"]
    assert sym["symbology"] == "qrcode" and sym["decoder"] in ("pyzbar", "zxing-cpp")
    assert len(sym["position"]) >= 2 and qr["elapsed_ms"] > 0
    (box,) = container["symbols"]
    assert box["text"] == "CSQU3054383" and box["parsed"]["kind"] == "container"
    assert box["parsed"]["valid"]


def test_barcode_read_options(images: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()
    args = parser.parse_args(["barcode", "read", str(images["qr"]), "--symbology", "code128"])
    assert args.func(args) == 3
    assert "0 symbol(s)" in capsys.readouterr().out
    args = parser.parse_args(["barcode", "read", str(images["qr"]), "--decoder", "qrcode=pyzbar",
                              "--json"])  # fmt: skip
    assert args.func(args) == 0
    assert json.loads(capsys.readouterr().out)["symbols"][0]["decoder"] == "pyzbar"
    args = parser.parse_args(["barcode", "read", str(images["qr"]), "--decoder", "aztec=pyzbar"])
    assert args.func(args) == 2
    assert "cannot use decoder" in capsys.readouterr().err
