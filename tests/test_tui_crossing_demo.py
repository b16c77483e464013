"""The demo's traffic: realistic alert rates by default, each kind of alert once in story mode."""

from __future__ import annotations

import json
from pathlib import Path

from edge.demo.data import SCANS, TRAVELLERS, DemoRates, make_demo_data


def _listed(folder: Path, rates: DemoRates) -> list[dict[str, object]]:
    data = make_demo_data(folder, rates=rates)
    return [json.loads(line) for line in data.watchlist.read_text().splitlines()]


def test_default_rates_list_well_under_one_percent(tmp_path: Path) -> None:
    entries = _listed(tmp_path, DemoRates())
    share = len(entries) / (TRAVELLERS + SCANS)
    assert 0 < share < 0.01, share  # the old demo listed one traveller in six, a scan in four
    rpm = DemoRates().rpm_args(1.0)
    assert float(rpm[rpm.index("--source-fraction") + 1]) <= 0.002


def test_story_mode_walks_through_each_kind_once_at_the_start(tmp_path: Path) -> None:
    entries = _listed(tmp_path, DemoRates(story=True))
    kinds = sorted((str(e["kind"]), str(e.get("action"))) for e in entries)
    assert kinds == [("consignment", "refer"), ("container", "seize"),
                     ("person", "detain"), ("person", "refer")]  # fmt: skip
    blocks = (tmp_path / "travellers.mrz").read_text().split("\n\n")
    assert len(blocks) == TRAVELLERS


def test_rates_come_from_the_command_line() -> None:
    import argparse

    from edge.demo.data import add_arguments

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    rates = DemoRates.from_args(parser.parse_args(["--referral-rate", "0.05", "--story"]))
    assert rates.referral == 0.05 and rates.story and rates.norm == DemoRates().norm
