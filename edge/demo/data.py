"""The demo's traffic and watchlist: travellers, scans and a list that catches a few of them.

Everything is generated from one seed, so a demo run is repeatable. The rates
are those of a real crossing, so an officer is not taught to click alerts away:
by default one traveller or scan in 500 is on the demo watchlist, one document
in 100 is expired or damaged, one vehicle in 200 carries NORM cargo and one in
1000 a radioactive source — at the default traffic (a document every 4 s, a
scan every 7 s, 4 vehicles a minute) that is about four alerts an hour.
:class:`DemoRates` changes them.

Story mode (``story=True``) is for training: the first documents and scans walk
through each kind of finding once, in order — a clean crossing, a listed
person (refer), an expired passport, a damaged MRZ, a listed person and
passport (detain), a listed transit declaration (refer), a listed container
(seize), a misread container number — then clean traffic follows (a ``--rate``
below 1 slows it down for reading). The portal then carries NORM cargo and
sources often enough that a NORM load and a radiation alarm come within the
first minutes (the portal simulator draws them at random: it plays no script).
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the generators load only when the demo makes its files, not at CLI start
    from drivers.mrz.generate import Traveller

TRAVELLERS = 1000  # the simulator plays the file round: 67 min at a document every 4 s
SCANS = 500


@dataclass(frozen=True)
class DemoRates:
    """How often the demo's traffic needs the officer (shares of documents, scans, vehicles)."""

    referral: float = 0.002  # travellers and scans on the watchlist
    bad_document: float = 0.01  # expired or damaged documents
    norm: float = 0.005  # vehicles with NORM cargo
    alarm: float = 0.001  # vehicles carrying a radioactive source
    story: bool = False

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> DemoRates:
        """The rates ``add_arguments`` put on the command line (defaults where absent)."""
        d = cls()
        return cls(
            referral=getattr(args, "referral_rate", d.referral),
            bad_document=getattr(args, "bad_document_rate", d.bad_document),
            norm=getattr(args, "norm_rate", d.norm),
            alarm=getattr(args, "alarm_rate", d.alarm),
            story=bool(getattr(args, "story", False)),
        )

    def rpm_args(self, rate: float) -> list[str]:
        """The portal simulator's flags for this traffic."""
        norm, source = (0.2, 0.1) if self.story else (self.norm, self.alarm)
        return ["--vehicles-per-min", f"{4.0 * rate:.2f}", "--norm-fraction", f"{norm:g}",
                "--source-sigma", "12", "--source-fraction", f"{source:g}"]  # fmt: skip


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``borderpost demo``'s traffic options: the rates and story mode."""
    d = DemoRates()
    for name, value, what in (
        ("referral", d.referral, "share of travellers and scans on the demo watchlist"),
        ("bad-document", d.bad_document, "share of expired or damaged documents"),
        ("norm", d.norm, "share of vehicles with NORM cargo"),
        ("alarm", d.alarm, "share of vehicles carrying a radioactive source"),
    ):
        parser.add_argument(f"--{name}-rate", type=float, default=value,
                            help=f"{what} (default {value:g})")  # fmt: skip
    parser.add_argument("--story", action="store_true",
                        help="training: the first documents and scans walk through each kind "
                        "of alert once, then clean traffic")  # fmt: skip


@dataclass(frozen=True)
class DemoData:
    """Files the demo's simulators play and the watchlist it imports."""

    travellers: Path
    scans: Path
    watchlist: Path
    rates: DemoRates = field(default_factory=DemoRates)

    def sim_args(self, sim: str, rate: float) -> list[str]:
        """Extra command-line flags for ``borderpost sim <sim>``."""
        if sim == "mrz":
            return ["--file", str(self.travellers), "--interval", f"{4.0 / rate:.3f}"]
        if sim == "scanner":
            return ["--file", str(self.scans), "--interval", f"{7.0 / rate:.3f}"]
        if sim == "rpm":
            return self.rates.rpm_args(rate)
        return []


def _person_entry(i: int, t: Traveller, with_document: bool) -> dict[str, object]:
    entry: dict[str, object] = {
        "id": f"demo-person-{i}",
        "kind": "person",
        "list": "demo",
        "category": "wanted",
        "action": "detain" if with_document else "refer",
        "priority": 2,
        "source": "demo",
        "names": [{"surname": t.surname, "given_names": t.given_names}],
        "birth_date": t.birth_date.isoformat(),
        "nationalities": [t.nationality],
        "sex": t.sex,
    }
    if with_document:
        entry["identifiers"] = [{"type": "passport", "number": t.number, "issuer": t.nationality}]
    return entry


# what each document of the story (then of the traffic) is: clean, listed, expired, damaged
STORY_TRAVELLERS = ("clean", "listed", "expired", "damaged", "listed+document")
STORY_SCANS = ("clean", "mrn", "container", "misread")


def _traveller_kind(i: int, rng: random.Random, rates: DemoRates) -> str:
    if rates.story:
        return STORY_TRAVELLERS[i] if i < len(STORY_TRAVELLERS) else "clean"
    draw = rng.random()
    if draw < rates.referral:
        return "listed+document" if rng.random() < 0.5 else "listed"
    if draw < rates.referral + rates.bad_document:
        return "expired" if rng.random() < 0.5 else "damaged"
    return "clean"


def _traveller(kind: str, rng: random.Random, today: datetime.date) -> tuple[Traveller, list[str]]:
    """A random traveller of this kind and the MRZ lines of their document."""
    from drivers.mrz import generate as mrz

    t = mrz.random_traveller(rng, today)
    if kind == "expired":
        t = mrz.Traveller(t.surname, t.given_names, t.number, t.nationality, t.birth_date, t.sex,
                          today - datetime.timedelta(days=40))  # fmt: skip
    lines = mrz.make("TD3" if kind == "damaged" else rng.choice(("TD3", "TD3", "TD1", "TD2")), t)
    if kind == "damaged":  # the document number's check digit is wrong
        wrong = str((int(lines[1][9]) + 5) % 10)
        lines[1] = lines[1][:9] + wrong + lines[1][10:]
    return t, lines


def _travellers_and_entries(
    rng: random.Random, today: datetime.date, rates: DemoRates
) -> tuple[list[str], list[dict[str, object]]]:
    blocks, entries = [], []
    for i in range(TRAVELLERS):
        kind = _traveller_kind(i, rng, rates)
        t, lines = _traveller(kind, rng, today)
        if kind.startswith("listed"):
            entries.append(_person_entry(i, t, with_document=kind == "listed+document"))
        blocks.append("\n".join(lines))
    return blocks, entries


def _scan_kind(i: int, rng: random.Random, rates: DemoRates) -> str:
    if rates.story:
        return STORY_SCANS[i] if i < len(STORY_SCANS) else "clean"
    if rng.random() < rates.referral:
        return "mrn" if rng.random() < 0.5 else "container"
    return "misread" if rng.random() < rates.bad_document else "clean"


def _listed_scan(i: int, kind: str, rng: random.Random) -> tuple[str, dict[str, object]]:
    from drivers.barcode import generate as barcodes

    if kind == "mrn":
        mrn = barcodes.make_mrn(rng)
        return mrn, {"id": f"demo-mrn-{i}", "kind": "consignment", "mrn": mrn, "list": "demo",
                     "category": "smuggling", "action": "refer"}  # fmt: skip
    container = barcodes.make_container(rng)
    return container, {"id": f"demo-container-{i}", "kind": "container", "number": container,
                       "list": "demo", "category": "weapons", "action": "seize"}  # fmt: skip


def _scans_and_entries(
    rng: random.Random, rates: DemoRates
) -> tuple[list[str], list[dict[str, object]]]:
    from drivers.barcode import generate as barcodes

    scans, entries = [], []
    for i in range(SCANS):
        kind = _scan_kind(i, rng, rates)
        if kind in ("mrn", "container"):
            text, entry = _listed_scan(i, kind, rng)
            entries.append(entry)
            scans.append(text)
        elif kind == "misread":
            scans.append(barcodes.corrupt(barcodes.make_container(rng), rng))
        else:
            scans.append(next(barcodes.traffic(rng, bad_ratio=0.0)))
    return scans, entries


def make_demo_data(folder: Path, *, seed: int = 7, rates: DemoRates | None = None) -> DemoData:
    """Write the traveller, scan and watchlist files into ``folder``."""
    rates = rates or DemoRates()
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    blocks, people = _travellers_and_entries(rng, datetime.date.today(), rates)
    scans, goods = _scans_and_entries(rng, rates)
    data = DemoData(folder / "travellers.mrz", folder / "scans.txt",
                    folder / "watchlist.jsonl", rates)  # fmt: skip
    data.travellers.write_text("\n\n".join(blocks) + "\n")
    data.scans.write_text("\n".join(scans) + "\n")
    data.watchlist.write_text("".join(json.dumps(e) + "\n" for e in people + goods))
    return data
