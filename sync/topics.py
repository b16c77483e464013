"""MQTT topic names shared by the uplink, the HQ receiver and the broker ACL."""

from __future__ import annotations

import re
from typing import Final

PREFIX: Final = "bp/v1"
POST_ID: Final = re.compile(r"[A-Za-z0-9_-]{1,64}")
CHANNEL_NAMES: Final = frozenset({"wl", "rules", "csca", "pax"})
"""``bp/v1/<channel>/…`` belongs to the signed distribution (sync/wldist/channel.py): no post
may be named so, or its topics would sit inside a channel's."""
SHARE_GROUP: Final = "hq"
BATCH_WILDCARD: Final = f"{PREFIX}/+/batch"
STATUS_WILDCARD: Final = f"{PREFIX}/+/status"


def post_id_problem(post_id: object) -> str | None:
    """Why ``post_id`` cannot name a post, in words (None when it can)."""
    if not isinstance(post_id, str) or not POST_ID.fullmatch(post_id):
        return "allowed: 1–64 letters, digits, '-' or '_'"
    if post_id in CHANNEL_NAMES:
        return f"not a channel name ({', '.join(sorted(CHANNEL_NAMES))})"
    return None


def batch(post_id: str) -> str:
    """Where a post publishes its signed event batches (QoS 1)."""
    return f"{PREFIX}/{post_id}/batch"


def ack(post_id: str) -> str:
    """Where HQ answers a post's batches (the batches' ResponseTopic)."""
    return f"{PREFIX}/{post_id}/ack"


def status(post_id: str) -> str:
    """The post's retained status (online/offline, backlog, health)."""
    return f"{PREFIX}/{post_id}/status"


def shared(topic: str) -> str:
    """``topic`` as an MQTT v5 shared subscription of the HQ receiver group."""
    return f"$share/{SHARE_GROUP}/{topic}"


def post_of(topic: str) -> str | None:
    """The post id in a ``bp/v1/<post>/<leaf>`` topic, else None."""
    parts = topic.split("/")
    if len(parts) != 4 or f"{parts[0]}/{parts[1]}" != PREFIX or not parts[2]:
        return None
    return parts[2]
