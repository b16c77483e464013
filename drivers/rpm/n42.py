"""ANSI N42.42-2011 XML export of one occupancy, modelled on the standard's Annex D RPM sample.

The document holds the instrument, its gamma and neutron detectors (four each
on a Rapiscan lane, one each on an Aspect portal), one background measurement
(the frozen background, 1 s), one foreground measurement per 200 ms gamma
interval with the neutron counts of the second it falls in, and an
AnalysisResults element (referring to every measurement) with our verdict and
the device's: one ``RadAlarm`` per alarming category, naming the detectors of
that category and who alarmed, and one ``Fault`` per fault active during the
occupancy. Exports validate against the standard's schema and Schematron rules
(tests/test_rpm_n42.py).
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from drivers.rpm import alarm
from drivers.rpm.occupancy import OccupancyRecord

NS = "http://physics.nist.gov/N42/2011/N42"
GAMMA_NAMES = ("Aa1", "Aa2", "Ba1", "Ba2")
NEUTRON_NAMES = ("Aa1N", "Aa2N", "Ba1N", "Ba2N")
ONE_CHANNEL = (("G",), ("N",))  # a portal with one gamma and one neutron channel (Aspect)


def detector_names(rec: OccupancyRecord) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(gamma, neutron) detector ids of a record: four each, or one each."""
    if len(rec.gamma_background_cps) == len(GAMMA_NAMES):
        return GAMMA_NAMES, NEUTRON_NAMES
    return ONE_CHANNEL


def _iso(t: float) -> str:
    return datetime.fromtimestamp(t, tz=UTC).isoformat(timespec="milliseconds")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrib: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrib)
    if text is not None:
        el.text = text
    return el


def _instrument(root: ET.Element, rec: OccupancyRecord, instrument_id: str) -> None:
    info = _sub(root, "RadInstrumentInformation", id="RPM")
    _sub(info, "RadInstrumentManufacturerName", "Unknown")
    _sub(info, "RadInstrumentIdentifier", instrument_id)
    _sub(info, "RadInstrumentModelName", "Gross-count radiation portal monitor")
    _sub(info, "RadInstrumentClassCode", "Portal Monitor")
    version = _sub(info, "RadInstrumentVersion")
    _sub(version, "RadInstrumentComponentName", "Software")
    _sub(version, "RadInstrumentComponentVersion", "borderpost")
    gamma, neutron = detector_names(rec)
    for name in gamma:
        det = _sub(root, "RadDetectorInformation", id=name)
        _sub(det, "RadDetectorCategoryCode", "Gamma")
        _sub(det, "RadDetectorKindCode", "PVT")
    for name in neutron:
        det = _sub(root, "RadDetectorInformation", id=name)
        _sub(det, "RadDetectorCategoryCode", "Neutron")
        _sub(det, "RadDetectorKindCode", "He3")


def _measurement(
    root: ET.Element, mid: str, klass: str, start: float, seconds: float, occupied: bool
) -> ET.Element:
    m = _sub(root, "RadMeasurement", id=mid)
    _sub(m, "MeasurementClassCode", klass)
    _sub(m, "StartDateTime", _iso(start))
    _sub(m, "RealTimeDuration", f"PT{seconds:g}S")
    m.set("_occupied", "1" if occupied else "0")
    return m


def _counts(m: ET.Element, gid: str, det: str, value: float | int, seconds: float) -> None:
    gc = _sub(m, "GrossCounts", id=gid, radDetectorInformationReference=det)
    _sub(gc, "LiveTimeDuration", f"PT{seconds:g}S")
    _sub(gc, "CountData", f"{value:g}")


def _close(m: ET.Element) -> None:
    occupied = m.attrib.pop("_occupied")
    _sub(m, "OccupancyIndicator", "true" if occupied == "1" else "false")


def _background(root: ET.Element, rec: OccupancyRecord) -> None:
    m = _measurement(root, "M-B", "Background", rec.start - 1.0, 1.0, False)
    gamma, neutron = detector_names(rec)
    for name, cps in zip(gamma, rec.gamma_background_cps, strict=False):
        _counts(m, f"GC-B-{name}", name, cps, 1.0)
    per = rec.neutron_verdict.background_cps / len(neutron)
    for name in neutron:
        _counts(m, f"GC-B-{name}", name, round(per, 3), 1.0)
    _close(m)


def _foreground(root: ET.Element, rec: OccupancyRecord) -> None:
    dt = alarm.INTERVAL_S
    gamma, neutron = detector_names(rec)
    for i, row in enumerate(rec.gamma):
        m = _measurement(root, f"M-{i + 1}", "Foreground", rec.start + i * dt, dt, True)
        for name, value in zip(gamma, row, strict=False):
            _counts(m, f"GC-{i + 1}-{name}", name, value, dt)
        second = i // alarm.WINDOW
        if i % alarm.WINDOW == 0 and second < len(rec.neutron):
            for name, value in zip(neutron, rec.neutron[second], strict=False):
                _counts(m, f"GC-{i + 1}-{name}", name, value, 1.0)
        _close(m)


def _analysis(root: ET.Element, rec: OccupancyRecord) -> None:
    ids = ["M-B", *(f"M-{i + 1}" for i in range(len(rec.gamma)))]
    res = _sub(root, "AnalysisResults", radMeasurementReferences=" ".join(ids))
    _sub(res, "AnalysisStartDateTime", _iso(rec.end))
    _sub(res, "AnalysisAlgorithmName", "Borderpost gross-count sigma check")
    g, n = rec.gamma_verdict, rec.neutron_verdict
    desc = (
        f"occupancy {rec.number}; gamma alarm {g.alarm} (peak {g.peak_sigma} sigma in "
        f"{g.peak_group}, n={rec.sigma}); neutron alarm {n.alarm} ({n.peak_counts} counts in "
        f"{n.peak_window_s} s, threshold {n.threshold}); device gamma alarm "
        f"{rec.device_gamma_alarm}, device neutron alarm {rec.device_neutron_alarm}; "
        f"NORM suspect {g.norm_suspect}"
    )
    _sub(res, "AnalysisResultDescription", desc)
    gamma, neutron = detector_names(rec)
    alarms = (
        ("Gamma", gamma, rec.device_gamma_alarm, g.alarm),
        ("Neutron", neutron, rec.device_neutron_alarm, n.alarm),
    )
    for category, names, device, ours in alarms:
        if device or ours:
            a = _sub(res, "RadAlarm", radDetectorInformationReferences=" ".join(names))
            _sub(a, "RadAlarmDateTime", _iso(rec.end))
            _sub(a, "RadAlarmCategoryCode", category)
            _sub(a, "RadAlarmDescription", ALARMED_BY[(device, ours)])
    for kind in rec.faults:
        fault = _sub(res, "Fault")
        _sub(fault, "FaultCodeValue", kind)
        _sub(fault, "FaultDescription", f"{kind} active during the occupancy (lane not protected)")
        _sub(fault, "FaultSeverityCode", "Error")


ALARMED_BY = {(True, True): "device and our check", (True, False): "device",
              (False, True): "our check"}  # fmt: skip


def export(rec: OccupancyRecord, instrument_id: str = "RPM-1") -> bytes:
    """The N42.42 XML document (UTF-8 bytes) for one occupancy."""
    ET.register_namespace("", NS)
    root = ET.Element("RadInstrumentData", n42DocUUID=str(uuid.uuid4()))
    _instrument(root, rec, instrument_id)
    _sub(root, "RadItemInformation", id="ITEM")
    _background(root, rec)
    _foreground(root, rec)
    _analysis(root, rec)
    for el in root.iter():
        el.tag = f"{{{NS}}}{el.tag}"
    ET.indent(root)
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body + b"\n"
