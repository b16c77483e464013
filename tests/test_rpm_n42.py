"""N42.42 exports validate (schema and Schematron rules); N42.42 portal files replay."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree  # type: ignore[import-untyped]
from n42_rules import N42_DIR, schema_errors, schematron_errors

from drivers.rpm import n42, n42_import
from drivers.rpm.occupancy import OccupancyRecord, OccupancyTracker
from edge.cli import main

needs_n42 = pytest.mark.skipif(
    not (N42_DIR / "n42.xsd").exists(), reason="N42.42 schema (../shared/testdata/n42) is absent"
)
RECORDING = N42_DIR.parent / "rpm" / "rapiscanlabs_S2-C0-NONE.csv"


def record(channels: int = 4, hot: bool = False, device: bool = False,
           neutron: int = 1, faults: tuple[str, ...] = ()) -> OccupancyRecord:  # fmt: skip
    """A short occupancy judged by the real tracker (1.6 s, 200 ms rows)."""
    t = OccupancyTracker(backdate=False)
    t.background, t.neutron_background = (380.0,) * channels, 6.0
    per = 76 * 4 // channels
    for i in range(8):
        count = per * 2 if hot and 2 <= i < 6 else per
        t.gamma_row((count,) * channels, device, 1.7e9 + 0.2 * i)
    for i in range(2):
        t.neutron_row((neutron * 4 // channels,) * channels, device, 1.7e9 + i)
    return replace(t.close(1.7e9 + 1.6, 7), faults=faults)


CASES = {
    "quiet": record(),
    "gamma and neutron alarm": record(hot=True, device=True, neutron=9),
    "device only, with faults": record(device=True, faults=("no-gx", "tamper")),
    "one-channel portal alarm": record(channels=1, hot=True),
}


@needs_n42
@pytest.mark.parametrize("name", list(CASES))
def test_every_export_is_schema_valid(name: str) -> None:
    doc = etree.fromstring(n42.export(CASES[name])).getroottree()
    assert schema_errors(doc) == []


@needs_n42
def test_exports_with_and_without_alarms_follow_the_schematron_rules() -> None:
    alarmed = CASES["gamma and neutron alarm"]
    assert alarmed.gamma_verdict.alarm and alarmed.neutron_verdict.alarm
    for name in ("quiet", "gamma and neutron alarm", "device only, with faults"):
        doc = etree.fromstring(n42.export(CASES[name])).getroottree()
        assert schematron_errors(doc) == [], name


@needs_n42
def test_the_schematron_runner_passes_the_standard_s_portal_example_and_catches_a_fault() -> None:
    annex = etree.parse(str(N42_DIR / "examples" / "Annex_D_alarmed.n42"))
    assert schematron_errors(annex) == []
    broken = etree.fromstring(n42.export(CASES["quiet"]))
    broken.find(f"{{{n42.NS}}}AnalysisResults").attrib.pop("radMeasurementReferences")
    assert any("AnalysisDataReferences" in e for e in schematron_errors(broken.getroottree()))


@pytest.mark.skipif(not RECORDING.exists(), reason="shared RPM recording is absent")
@needs_n42
def test_an_export_of_the_shared_recording_is_schema_valid(tmp_path: Path) -> None:
    out = tmp_path / "occ.n42"
    assert main(["rpm", "export", str(RECORDING), "--occupancy", "20", "-o", str(out)]) == 0
    assert schema_errors(etree.parse(str(out))) == []


@pytest.mark.parametrize("name", list(CASES))
def test_our_exports_replay_to_the_same_verdicts(name: str) -> None:
    rec = CASES[name]
    (back,) = n42_import.read(n42.export(rec))
    assert back.number == rec.number and len(back.gamma) == len(rec.gamma)
    assert back.gamma == rec.gamma and back.gamma_background_cps == rec.gamma_background_cps
    assert back.gamma_verdict.alarm == rec.gamma_verdict.alarm
    assert back.neutron_verdict.alarm == rec.neutron_verdict.alarm
    assert (back.device_gamma_alarm, back.device_neutron_alarm) == (
        rec.device_gamma_alarm, rec.device_neutron_alarm)  # fmt: skip


@needs_n42
def test_annex_d_portal_files_replay(capsys: pytest.CaptureFixture[str]) -> None:
    (quiet,) = n42_import.read((N42_DIR / "examples" / "Annex_D.n42").read_bytes())
    assert not quiet.alarm and len(quiet.gamma) == 2  # 4 x 0.1 s occupied -> 2 rows
    assert len(quiet.gamma_background_cps) == 4  # Aa1 Aa2 Ba1 Ba2, energy windows summed
    assert quiet.neutron_verdict.background_cps == 10.0  # Aa1N 0 + Ba1N 1 count per 0.1 s
    alarmed = N42_DIR / "examples" / "Annex_D_alarmed.n42"
    assert main(["rpm", "replay", str(alarmed), "--json"]) == 1
    out = capsys.readouterr().out.replace(" ", "")
    assert '"device_gamma_alarm":true' in out and '"disagreement":true' in out


@needs_n42
def test_files_we_cannot_replay_are_refused_with_the_reason(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for path, reason in (
        (N42_DIR / "specutils" / "Mn56_DetX_Shielded.n42", "unbound prefix"),
        (N42_DIR / "specutils" / "passthrough_2006_portal.n42", "not N42.42-2011"),
        (N42_DIR / "examples" / "Annex_B.n42", "no occupied measurement"),
    ):
        with pytest.raises(SystemExit) as exc:
            main(["rpm", "replay", str(path)])
        assert exc.value.code == 2 and reason in capsys.readouterr().err
