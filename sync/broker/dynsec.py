"""The broker's access control: a configuration for Mosquitto's dynamic-security plugin.

Why not ``acl_file``: Mosquitto 2.0's ACL file never refuses a SUBSCRIBE — it
only filters what it delivers. A post's certificate could therefore join
HQ's shared subscription group (``$share/hq/…``); the broker then handed it
its share of every post's batches and dropped them at delivery (the read
rule refused them), so HQ got them only when the post re-sent. The
dynamic-security plugin (shipped with Mosquitto 2.0) checks subscriptions
as well as publishes, denies by default, and is what this module configures.

Its ACL topics have no ``%u`` substitution in Mosquitto 2.0, so each post gets
a role of its own naming its topics literally; the broker's configuration is
therefore written from the list of posts (``python -m sync.broker.run``
from the test PKI, ``borderpost hq broker-acl`` from HQ's registered posts)
and the broker restarted when a post is added. Certificates authenticate
(``use_identity_as_username``): the plugin's clients have no passwords.
"""

from __future__ import annotations

import glob
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final

from sync import topics
from sync.ca import HQ_IDENTITY
from sync.wldist.channel import hq_filters, post_filters

PLUGIN_GLOBS: Final = (
    "/usr/lib/*/mosquitto_dynamic_security.so",
    "/usr/lib/mosquitto_dynamic_security.so",
    "/usr/local/lib/mosquitto_dynamic_security.so",
)
HQ_ROLE: Final = "borderpost-hq"
READ: Final = ("subscribePattern", "publishClientReceive")
DENY_BY_DEFAULT: Final = {
    "publishClientSend": False,
    "publishClientReceive": False,
    "subscribe": False,
    "unsubscribe": True,
}


def plugin_path() -> str:
    """Where Debian (any architecture) or a source build installed the plugin."""
    for pattern in PLUGIN_GLOBS:
        found = sorted(glob.glob(pattern))
        if found:
            return found[0]
    raise FileNotFoundError(
        "mosquitto_dynamic_security.so not found (Debian package: mosquitto, 2.0 or later)"
    )


def _acl(kind: str, topic: str) -> dict[str, Any]:
    return {"acltype": kind, "topic": topic, "priority": 0, "allow": True}


def hq_role() -> dict[str, Any]:
    """HQ's receivers and publishers: every post's batches (as the shared group only) and
    status, answering on ack topics, publishing on every distribution channel."""
    return {
        "rolename": HQ_ROLE,
        "acls": [
            _acl("subscribeLiteral", topics.shared(topics.BATCH_WILDCARD)),
            _acl("subscribePattern", topics.BATCH_WILDCARD),
            _acl("publishClientReceive", topics.BATCH_WILDCARD),
            _acl("subscribeLiteral", topics.STATUS_WILDCARD),
            _acl("publishClientReceive", topics.STATUS_WILDCARD),
            _acl("publishClientSend", topics.ack("+")),
            *(_acl("publishClientSend", f) for f in hq_filters()),
        ],
    }


def post_role(post_id: str) -> dict[str, Any]:
    """One post: write its own batches and status, read its own acks, the shared channels
    (watchlist, rules, CSCA) and its own per-post channels (pre-arrival), not another's."""
    return {
        "rolename": f"post-{post_id}",
        "acls": [
            _acl("publishClientSend", topics.batch(post_id)),
            _acl("publishClientSend", topics.status(post_id)),
            _acl("subscribeLiteral", topics.ack(post_id)),
            _acl("publishClientReceive", topics.ack(post_id)),
            *(_acl(kind, f) for f in post_filters(post_id) for kind in READ),
        ],
    }


def config(posts: Iterable[str], hq: Iterable[str] = (HQ_IDENTITY,)) -> dict[str, Any]:
    """The plugin's configuration: HQ identities and posts (certificate CNs), deny by default."""
    post_ids = sorted(set(posts) - set(hq))
    clients = [{"username": h, "roles": [{"rolename": HQ_ROLE}]} for h in sorted(set(hq))]
    clients += [{"username": p, "roles": [{"rolename": f"post-{p}"}]} for p in post_ids]
    return {
        "defaultACLAccess": DENY_BY_DEFAULT,
        "clients": clients,
        "groups": [],
        "roles": [hq_role(), *(post_role(p) for p in post_ids)],
    }


def write(path: Path, posts: Iterable[str], hq: Iterable[str] = (HQ_IDENTITY,)) -> Path:
    """Write the configuration (mode 0640) where the broker reads it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o640)
    with os.fdopen(fd, "w") as f:
        json.dump(config(posts, hq), f, indent=1)
    os.replace(tmp, path)
    return path
