"""HQ side of pre-arrival information: the lists in force per post, published on ``pax``.

HQ keeps, per post, the lists that post should hold
(``<hq-state-dir>/prearrival/<post>.json``). Publishing a list adds it (or
replaces the list with the same id) to each of its posts, drops lists whose
expiry has passed, and publishes each changed post's whole set as the next
version of that post's own ``pax`` stream (``bp/v1/pax/<post>/...``), which
only that post may read. A list expires ``retention_h`` hours after its window
closes: the post deletes its personal data then, and HQ stops sending it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from sync.paxlst.edifact import decode
from sync.paxlst.expected import (
    ExpectedList,
    FormatError,
    expected_list,
    from_paxlst,
    parse_time,
    read_csv,
    read_json,
    to_json,
)
from sync.paxlst.model import Unusable
from sync.paxlst.parse import parse
from sync.wldist import publish as pub
from sync.wldist.channel import Channel
from sync.wldist.payload import publish_bytes

CHANNEL: Final = "pax"
FORMAT: Final = 1
DEFAULT_RETENTION_H: Final = 24.0


def channel_for(post_id: str) -> Channel:
    """The post's own pre-arrival stream."""
    return Channel(CHANNEL, post_id)


class PrearrivalState:
    """The lists in force per post, under ``<hq-state-dir>/prearrival``."""

    def __init__(self, hq_state_dir: Path) -> None:
        self.dir = hq_state_dir / "prearrival"

    def lists(self, post_id: str) -> dict[str, ExpectedList]:
        """The lists HQ last published to ``post_id``, by id."""
        path = self.dir / f"{post_id}.json"
        if not path.exists():
            return {}
        data = json.loads(path.read_text())
        return {x["list_id"]: expected_list(x) for x in data["lists"]}

    def save(self, post_id: str, lists: Iterable[ExpectedList]) -> None:
        """Record what ``post_id`` now holds."""
        self.dir.mkdir(parents=True, exist_ok=True)
        body = {"lists": [to_json(x) for x in lists]}
        pub.atomic_write(self.dir / f"{post_id}.json", json.dumps(body).encode())


def with_expiry(x: ExpectedList, retention_h: float) -> ExpectedList:
    """``x`` expiring ``retention_h`` hours after its window (unless it says otherwise)."""
    if x.expires:
        return x
    from dataclasses import replace

    return replace(x, expires=x.window_to + retention_h * 3600)


def merged(
    current: dict[str, ExpectedList], new: Iterable[ExpectedList], now: float
) -> list[ExpectedList]:
    """``current`` with ``new`` added (same id: replaced), expired lists dropped, by window."""
    out = dict(current)
    for x in new:
        out[x.list_id] = x
    alive = [x for x in out.values() if x.expires > now]
    return sorted(alive, key=lambda x: (x.window_from, x.list_id))


def payload(post_id: str, lists: list[ExpectedList], now: float) -> bytes:
    """What a post receives: every list it should hold."""
    body = {
        "format": FORMAT,
        "post": post_id,
        "published": now,
        "lists": [to_json(x) for x in lists],
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def plan(
    state: PrearrivalState,
    lists: list[ExpectedList],
    retention_h: float = DEFAULT_RETENTION_H,
    now: float | None = None,
) -> dict[str, list[ExpectedList]]:
    """Per post concerned, the whole set it should hold after adding ``lists``."""
    now = time.time() if now is None else now
    lists = [with_expiry(x, retention_h) for x in lists]
    posts = sorted({p for x in lists for p in x.posts})
    return {p: merged(state.lists(p), [x for x in lists if p in x.posts], now) for p in posts}


def publish(
    hq_state_dir: Path,
    per_post: dict[str, list[ExpectedList]],
    send: pub.Send,
    now: float | None = None,
) -> list[dict[str, Any]]:
    """Publish each post's set on its own stream and record it; one summary per post."""
    now = time.time() if now is None else now
    state = PrearrivalState(hq_state_dir)
    out = []
    for post_id, lists in per_post.items():
        expires = max((x.expires for x in lists), default=now + 3600) - now
        data = payload(post_id, lists, now)
        summary = publish_bytes(
            hq_state_dir,
            channel_for(post_id),
            data,
            send,
            expires_s=max(expires, 3600.0),
            entries=sum(x.size for x in lists),
        )
        state.save(post_id, lists)
        out.append({**summary, "lists": [x.list_id for x in lists]})
    return out


def detect(data: bytes, name: str = "") -> str:
    """The format of expected-arrival data: ``paxlst``, ``json`` or ``csv``."""
    if name.endswith(".json"):
        return "json"
    if name.endswith(".csv"):
        return "csv"
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:3]
    if head in (b"UNA", b"UNB", b"UNH"):
        return "paxlst"
    return "json" if head[:1] in (b"{", b"[") else "csv"


@dataclass(frozen=True)
class Window:
    """How a PAXLST message's window is set: given times, or around its arrival time."""

    start: float | None = None
    end: float | None = None
    before_h: float = 2.0
    after_h: float = 4.0

    def around(self, arrival: str | None, ref: str) -> tuple[float, float]:
        """The window for a message arriving at ``arrival`` (ISO, UTC)."""
        if self.start is not None and self.end is not None:
            return self.start, self.end
        if arrival is None:
            raise FormatError(f"message {ref}: no arrival time; give the window's times")
        t = parse_time(arrival, f"message {ref}: arrival time")
        return t - self.before_h * 3600, t + self.after_h * 3600


def load(
    data: bytes, fmt: str, posts: tuple[str, ...], window: Window
) -> tuple[list[ExpectedList], list[str]]:
    """The expected lists in ``data`` and, for what cannot be used, the reasons."""
    if fmt == "paxlst":
        return _from_paxlst(data, posts, window)
    text = decode(data)
    try:
        lists = read_json(text, posts) if fmt == "json" else read_csv(text, posts)
    except FormatError as exc:
        return [], [str(exc)]
    return lists, []


def _from_paxlst(
    data: bytes, posts: tuple[str, ...], window: Window
) -> tuple[list[ExpectedList], list[str]]:
    lists: list[ExpectedList] = []
    errors: list[str] = []
    for r in parse(data):
        if isinstance(r, Unusable):
            errors.append(str(r))
            continue
        try:
            span = window.around(r.transport.arrival.time, r.reference)
            lists.append(from_paxlst(r, posts, span))
        except FormatError as exc:
            errors.append(f"{r.position}: {exc}")
    return lists, errors


def summary(x: ExpectedList) -> dict[str, Any]:
    """What ``prearrival check`` and ``hq prearrival publish`` print of a list."""
    j = to_json(x)
    return {
        "list_id": x.list_id,
        "reference": x.reference,
        "posts": list(x.posts),
        "window": j["window"],
        "source": x.source,
        "travellers": len(x.travellers),
        "vehicles": len(x.vehicles),
        "consignments": len(x.consignments),
    }
