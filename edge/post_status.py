"""The post's health: ``status``, ``system``, the lanes, and the snapshot other threads read.

:class:`PostStatus` computes the figures on the event loop from the devices,
the lane tracker, the store and the link to HQ. The uplink's thread never
touches those: it reads :attr:`PostStatus.snapshot`, an immutable
:class:`~edge.services.StatusSnapshot` that :meth:`PostStatus.refresh`
replaces as a whole (every second and at each device state change), through
:meth:`PostStatus.hq_status`.
"""

from __future__ import annotations

import shutil
import time
from typing import Any

from edge import __version__
from edge.clock import clock_synced
from edge.devices import DevicePool
from edge.lanes import LaneTracker
from edge.rules.service import RulesService
from edge.screening import ScreeningService
from edge.services import Config, StatusSnapshot
from edge.storage import StorageState
from edge.store import Store
from edge.store.outbox import StoreOutbox
from edge.uplink import HqLink
from edge.watchlist_sync import status_fields


class PostStatus:
    """The figures ``borderpost status`` and the HQ status report, and the snapshot."""

    def __init__(
        self,
        config: Config,
        store: Store,
        devices: DevicePool,
        lane_tracker: LaneTracker,
        screening: ScreeningService,
        storage: StorageState | None = None,
    ) -> None:
        self.config = config
        self.storage = storage or StorageState()
        self.store = store
        self.outbox = StoreOutbox(store)
        self.devices = devices
        self.lane_tracker = lane_tracker
        self.screening = screening
        self.link: HqLink | None = None  # set by build_post once the link is built
        self.rules: RulesService | None = None  # the rule pack in force (edge/rules), if any
        self.csca: Any = None  # the CSCA store in force (edge/chip/channel.py): .status()
        self.prearrival: Any = None  # expected lists (edge/prearrival): .status(), if wired
        self.started = time.monotonic()
        self.snapshot = StatusSnapshot()

    def lanes(self) -> dict[str, dict[str, Any]]:
        """Per lane: protected when an RPM on it runs and reports no fault."""
        lanes: dict[str, dict[str, Any]] = {}
        for runner in self.devices.all():
            empty: dict[str, Any] = {"protected": False, "rpm": None, "faults": []}
            lane = lanes.setdefault(runner.settings.lane, empty)
            if runner.settings.kind == "rpm" and not lane["protected"]:
                reported_ok, faults = self.lane_tracker.rpm_state(runner.settings.name)
                running = runner.state == "ok" and runner.fault is None
                lane.update(
                    rpm=runner.settings.name,
                    protected=running and reported_ok,
                    faults=faults if running else [runner.fault or runner.state],
                )
        return lanes

    def status(self) -> dict[str, Any]:
        """The figures ``borderpost status --json`` prints."""
        uplink = self.link.state() if self.link is not None else None
        return {
            "post_id": self.config.settings.post.id,
            "version": __version__,
            "uptime_s": round(time.monotonic() - self.started, 3),
            "devices": [r.as_json() for r in self.devices.all()],
            "last_seq": self.store.last_seq(),
            "backlog": self.outbox.backlog(),
            "evicted": self.outbox.evicted(),
            "last_ack_seq": self.outbox.last_ack_seq(),
            **self._watchlist_status(),
            "broker": uplink if uplink is not None else {"connected": False, "mode": "offline"},
            "lanes": self.lanes(),
            "clock_synced": clock_synced(),
            "storage": self.storage.as_json(),
        }

    def _watchlist_status(self) -> dict[str, Any]:
        """The versions in force (watchlist, rule pack, pre-arrival, master lists): also for HQ."""
        sync = self.link.watchlist if self.link is not None else None
        rules = self.rules.status() if self.rules is not None else {}
        if self.prearrival is not None:
            rules = {**rules, "prearrival": self.prearrival.status()}
        csca = self.csca.status() if self.csca is not None else None  # the master lists in force
        screening = status_fields(self.screening, self.config.settings.watchlist, sync)
        return {**screening, **rules, "csca": csca}

    def refresh(self) -> None:
        """Replace the snapshot other threads read (on the loop only)."""
        self.snapshot = StatusSnapshot(
            tuple(r.as_json() for r in self.devices.all()),
            self.lanes(),
            self._watchlist_status(),
        )

    def hq_status(self) -> dict[str, Any]:
        """Status for HQ, read on the uplink's thread: the loop's snapshot and the outbox."""
        snap = self.snapshot
        return {
            "backlog": self.outbox.backlog(),
            "last_ack_seq": self.outbox.last_ack_seq(),
            "evicted": self.outbox.evicted(),
            **snap.watchlist,
            "clock_synced": clock_synced(),
            "devices": list(snap.devices),
            "lanes": snap.lanes,
        }

    def system(self) -> dict[str, Any]:
        """Version, disk, database size, clock."""
        usage = shutil.disk_usage(self.store.path.parent)
        return {
            "version": __version__,
            "disk_free_mb": usage.free // 2**20,
            "db_size_mb": round(self.store.path.stat().st_size / 2**20, 2),
            "clock_synced": clock_synced(),
            "uptime_s": round(time.monotonic() - self.started, 3),
        }
