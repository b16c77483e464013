"""MQTT topic names shared by the uplink, the HQ receiver and the broker ACL."""

from __future__ import annotations

from typing import Final

PREFIX: Final = "bp/v1"
SHARE_GROUP: Final = "hq"
BATCH_WILDCARD: Final = f"{PREFIX}/+/batch"
STATUS_WILDCARD: Final = f"{PREFIX}/+/status"


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
