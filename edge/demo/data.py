"""The demo's traffic and watchlist: travellers, scans and a list that catches some of them.

Everything is generated from one seed, so a demo run is repeatable: about one
traveller in six is on the demo watchlist (by name, with the document or not),
one in ten carries an expired or damaged document, and one scan in eight is a
listed consignment or container.
"""

from __future__ import annotations

import datetime
import json
import random
from dataclasses import dataclass
from pathlib import Path

from drivers.barcode import generate as barcodes
from drivers.mrz import generate as mrz

TRAVELLERS = 60
SCANS = 40


@dataclass(frozen=True)
class DemoData:
    """Files the demo's simulators play and the watchlist it imports."""

    travellers: Path
    scans: Path
    watchlist: Path

    def sim_args(self, sim: str, rate: float) -> list[str]:
        """Extra command-line flags for ``borderpost sim <sim>``."""
        if sim == "mrz":
            return ["--file", str(self.travellers), "--interval", f"{4.0 / rate:.3f}"]
        if sim == "scanner":
            return ["--file", str(self.scans), "--interval", f"{7.0 / rate:.3f}"]
        if sim == "rpm":
            return [
                "--vehicles-per-min",
                f"{4.0 * rate:.2f}",
                "--norm-fraction",
                "0.1",
                "--source-sigma",
                "12",
                "--source-fraction",
                "0.08",
            ]
        return []


def _person_entry(i: int, t: mrz.Traveller, with_document: bool) -> dict[str, object]:
    entry: dict[str, object] = {
        "id": f"demo-person-{i}",
        "kind": "person",
        "list": "demo",
        "category": "wanted",
        "action": "refer" if i % 2 else "detain",
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


def make_demo_data(folder: Path, *, seed: int = 7) -> DemoData:
    """Write the traveller, scan and watchlist files into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    today = datetime.date.today()
    blocks, entries = [], []
    for i in range(TRAVELLERS):
        t = mrz.random_traveller(rng, today)
        if i % 10 == 3:  # an expired document
            t = mrz.Traveller(
                t.surname,
                t.given_names,
                t.number,
                t.nationality,
                t.birth_date,
                t.sex,
                today - datetime.timedelta(days=40),
            )
        damaged = i % 10 == 7
        lines = mrz.make("TD3" if damaged else rng.choice(("TD3", "TD3", "TD1", "TD2")), t)
        if damaged:  # the document number's check digit is wrong
            wrong = str((int(lines[1][9]) + 5) % 10)
            lines[1] = lines[1][:9] + wrong + lines[1][10:]
        blocks.append("\n".join(lines))
        if i % 6 == 1:
            entries.append(_person_entry(i, t, with_document=i % 12 == 1))
    scans = []
    for i in range(SCANS):
        if i % 8 == 2:
            mrn = barcodes.make_mrn(rng)
            entries.append(
                {
                    "id": f"demo-mrn-{i}",
                    "kind": "consignment",
                    "mrn": mrn,
                    "list": "demo",
                    "category": "smuggling",
                    "action": "refer",
                }
            )
            scans.append(mrn)
        elif i % 8 == 5:
            container = barcodes.make_container(rng)
            entries.append(
                {
                    "id": f"demo-container-{i}",
                    "kind": "container",
                    "number": container,
                    "list": "demo",
                    "category": "weapons",
                    "action": "seize",
                }
            )
            scans.append(container)
        else:
            scans.append(next(barcodes.traffic(rng, bad_ratio=0.1)))
    data = DemoData(folder / "travellers.mrz", folder / "scans.txt", folder / "watchlist.jsonl")
    data.travellers.write_text("\n\n".join(blocks) + "\n")
    data.scans.write_text("\n".join(scans) + "\n")
    data.watchlist.write_text("".join(json.dumps(e) + "\n" for e in entries))
    return data
