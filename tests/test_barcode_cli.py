"""`borderpost barcode parse` and its documented flags."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from drivers.barcode import generate as gen
from edge.cli import main

REPO = Path(__file__).resolve().parents[1]


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object]]:
    code = main(["barcode", "parse", *argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_parse_text_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, doc = run_json(capsys, "CSQU3054383")
    assert code == 0
    assert set(doc) == {"kind", "valid", "fields", "checks", "keys", "warnings"}
    assert doc["keys"] == [{"kind": "container", "number": "CSQU3054383"}]


def test_parse_invalid_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, doc = run_json(capsys, "CSQU3054384")
    assert code == 1 and doc["valid"] is False and doc["keys"] == []


def test_parse_gs_placeholder_and_symbology(capsys: pytest.CaptureFixture[str]) -> None:
    code, doc = run_json(capsys, "0109506000134352<GS>21ABC", "--symbology", "]d2")
    assert code == 0 and doc["kind"] == "gs1"
    assert doc["fields"]["ai"] == {"01": "09506000134352", "21": "ABC"}  # type: ignore[index]


def test_parse_hex_and_b64_seal_with_trust_dir(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    key, cert = gen.make_signer()
    (tmp_path / "signer.pem").write_bytes(cert.public_bytes(Encoding.PEM))
    seal = gen.make_visa_seal(key)
    code, doc = run_json(capsys, "--hex", seal.hex(), "--trust-dir", str(tmp_path))
    assert code == 0 and doc["kind"] == "vds"
    code, doc = run_json(capsys, "--b64", base64.b64encode(seal).decode())
    signature = next(c for c in doc["checks"] if c["name"] == "signature")  # type: ignore[attr-defined]
    assert signature["result"] == "not checked"


def test_parse_plain_output_is_readable(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["barcode", "parse", "10NL5663962BE1E825"]) == 0
    out = capsys.readouterr().out
    assert "kind: mrn   valid: yes" in out and "check          ok: check digit" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--hex", "zz"], "--hex"),
        (["--b64", "!!"], "--b64"),
        (["X", "--trust-dir", "/nonexistent/certs"], "--trust-dir"),
    ],
)
def test_bad_input_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["barcode", "parse", *argv])
    assert exc.value.code == 2 and message in capsys.readouterr().err


def test_hostile_payload_does_not_reach_the_terminal_raw() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "edge", "barcode", "parse", "\x1b]0;pwned\x07\u202eX"],
        capture_output=True, text=True, cwd=REPO,
    )  # fmt: skip
    assert run.returncode == 1
    assert "\x1b" not in run.stdout and "\u202e" not in run.stdout


def test_barcode_group_lists_parse_and_sim_scanner_exists() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "edge", "sim", "scanner", "--help"],
        capture_output=True, text=True, cwd=REPO,
    )  # fmt: skip
    assert run.returncode == 0
    for flag in ("--port", "--file", "--suffix", "--aim", "--interval", "--count", "--seed"):
        assert flag in run.stdout


def test_read_databar_expanded_photo_reports_zxing_name_and_gs1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import cv2
    import numpy as np
    import zxingcpp

    code = zxingcpp.create_barcode(
        "(01)09501101530003(17)250704(10)AB-123", zxingcpp.BarcodeFormat.DataBarExp
    )
    image = tmp_path / "databar.png"
    cv2.imwrite(str(image), np.pad(np.asarray(code.to_image(scale=3)), 30, constant_values=255))
    assert main(["barcode", "read", str(image), "--symbology", "databarexp", "--json"]) == 0
    (symbol,) = json.loads(capsys.readouterr().out)["symbols"]
    assert symbol["symbology"] == "DataBarExp" and symbol["decoder"] == "zxing-cpp"
    assert symbol["text"] == "01095011015300031725070410AB-123"
    parsed = symbol["parsed"]
    assert parsed["kind"] == "gs1" and parsed["valid"]
    assert parsed["fields"]["ai"] == {"01": "09501101530003", "17": "250704", "10": "AB-123"}
    assert main(["barcode", "read", str(image), "--symbology", "DataBarExpStk"]) == 3
