"""A distribution channel: a name and, for personal data, the one post it is for.

The watchlist was the first payload on the signed distribution; a channel
lets others ride on it with their own topics, versions and state. ``wl`` (the
watchlist) keeps its topics ``bp/v1/wl/...``. A **per-post** channel (``pax``:
expected travellers) has one stream per post, ``bp/v1/<name>/<post>/...``,
which the broker lets only that post (and HQ) read, so personal data meant for
one post never reaches another. Every manifest of a channel other than ``wl``
names its channel (and, per post, its post) inside the signed body, so a
manifest cannot be replayed onto another channel's topics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from sync import topics

NAME: Final = re.compile(r"[a-z]{2,16}")
POST: Final = re.compile(r"[A-Za-z0-9._-]{1,64}")
WATCHLIST_NAME: Final = "wl"


class ChannelError(ValueError):
    """A channel name or post id that cannot be used in a topic."""


@dataclass(frozen=True)
class Channel:
    """One stream of signed updates: ``name``, and ``post`` for a per-post channel."""

    name: str
    post: str = ""

    def __post_init__(self) -> None:
        if not NAME.fullmatch(self.name):
            raise ChannelError(f"channel name {self.name!r}: 2-16 lower-case letters")
        if self.post and not POST.fullmatch(self.post):
            raise ChannelError(f"post id {self.post!r} cannot be used in a topic")

    @property
    def prefix(self) -> str:
        """``bp/v1/<name>`` or, per post, ``bp/v1/<name>/<post>``."""
        base = f"{topics.PREFIX}/{self.name}"
        return f"{base}/{self.post}" if self.post else base

    @property
    def manifest_topic(self) -> str:
        """The latest manifest (retained)."""
        return f"{self.prefix}/manifest"

    @property
    def snapshot_topic(self) -> str:
        """The latest snapshot's manifest (retained)."""
        return f"{self.prefix}/snapshot"

    def chunk_topic(self, version: int, index: int) -> str:
        """Where chunk ``index`` of ``version`` is retained."""
        return f"{self.prefix}/c/{version}/{index}"

    def chunk_of(self, topic: str) -> tuple[int, int] | None:
        """(version, index) of a chunk topic of this channel, else None."""
        head = f"{self.prefix}/c/"
        if not topic.startswith(head):
            return None
        version, _, index = topic[len(head) :].partition("/")
        if not version.isdigit() or not index.isdigit():
            return None
        return int(version), int(index)

    @property
    def state_name(self) -> str:
        """The folder of its state, at the post and at HQ (``wldist`` for the watchlist)."""
        return "wldist" if self.is_watchlist else f"chan-{self.name}"

    @property
    def is_watchlist(self) -> bool:
        """True for ``wl``, whose manifests carry no channel field (unchanged format)."""
        return self.name == WATCHLIST_NAME and not self.post

    def body_fields(self) -> dict[str, str]:
        """What a manifest body of this channel says of it (nothing for the watchlist)."""
        if self.is_watchlist:
            return {}
        return {"channel": self.name, **({"post": self.post} if self.post else {})}


WATCHLIST: Final = Channel(WATCHLIST_NAME)
# Channels every post reads, and channels with one stream per post (personal data).
SHARED_CHANNELS: Final = ("wl", "rules", "csca")
PER_POST_CHANNELS: Final = ("pax",)


def hq_filters() -> list[str]:
    """The topic filters HQ publishes on: every channel (broker ACL)."""
    return [f"{Channel(n).prefix}/#" for n in (*SHARED_CHANNELS, *PER_POST_CHANNELS)]


def post_filters(post_id: str) -> list[str]:
    """The topic filters a post may read: the shared channels and its own per-post streams."""
    shared = [f"{Channel(n).prefix}/#" for n in SHARED_CHANNELS]
    return shared + [f"{Channel(n, post_id).prefix}/#" for n in PER_POST_CHANNELS]
