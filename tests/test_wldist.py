"""Watchlist distribution against a real Mosquitto: publish, fetch, verify, apply, refuse."""

# ruff: noqa: F811  (pytest fixtures imported from sync_testkit)
from __future__ import annotations

import json
import time
from pathlib import Path

from sync_testkit import broker, pki, wait_for  # noqa: F401
from wldist_kit import Hq, Post, record

from sync.broker.run import Broker
from sync.wldist import manifest as mf
from sync.wldist import publish as pub
from sync.wldist.trust import canonical


def test_snapshot_then_delta_are_applied(tmp_path: Path, broker: Broker) -> None:
    hq = Hq(tmp_path, broker)
    records = [record(i) for i in range(600)]
    hq.publish(records, raw_chunk=8192)
    post = Post(tmp_path, broker, hq.root_pub).start()
    try:
        wait_for(lambda: post.wl.version == 1, 20, "snapshot applied")
        assert len(post.ids()) == 600
        changed = [record(i, "x" if i < 15 else "") for i in range(10, 620)]
        plan = hq.publish(changed, delta=True, raw_chunk=8192)
        assert plan.kind == "delta" and plan.entries == 10 + 20 + 5
        wait_for(lambda: post.wl.version == 2, 20, "delta applied")
        assert post.ids() == {f"D-{i}" for i in range(10, 620)}
        assert post.wl.entry("D-12") is not None
        assert post.refusals == []
    finally:
        post.stop()


def _tampered(message: bytes, **changes: object) -> bytes:
    msg = json.loads(message)
    msg["manifest"].update(changes)
    return canonical(msg)


def _resigned(hq: Hq, plan: pub.Plan, **changes: object) -> bytes:
    msg = json.loads(plan.message)
    body = {**msg["manifest"], **changes}
    signer = pub.Signer.load(hq.dir)
    return mf.sign_manifest(body, signer.key, signer.cert, signer.crl)


def test_every_refusal_keeps_the_last_good_list(tmp_path: Path, broker: Broker) -> None:
    hq = Hq(tmp_path, broker)
    hq.publish([record(i) for i in range(50)])
    hq.publish([record(i) for i in range(60)])
    post = Post(tmp_path, broker, hq.root_pub).start()
    try:
        wait_for(lambda: post.wl.version == 2, 20, "v2 applied")
        plan = hq.plan([record(i) for i in range(70)])
        for i, c in enumerate(plan.chunks):
            hq.send(mf.chunk_topic(plan.version, i), c)
        cases = _refusal_cases(hq, plan)
        for code, message in cases:
            hq.send(mf.MANIFEST_TOPIC, message)
            wait_for(lambda c=code: any(r[0] == c for r in post.refusals), 20, f"refusal {code}")
            assert post.wl.version == 2 and len(post.ids()) == 60
        _chunk_refusals(hq, post, plan)
    finally:
        post.stop()


def _refusal_cases(hq: Hq, plan: pub.Plan) -> list[tuple[str, bytes]]:
    msg = json.loads(plan.message)
    foreign = canonical({**msg, "cert": hq.foreign_cert()})
    old = hq.plan([record(1)])  # version 3 built again, then relabelled 1
    rollback = _resigned(hq, old, version=1)
    return [
        ("signature", _tampered(plan.message, entries=1)),
        ("unknown_key", foreign),
        ("expired", _resigned(hq, plan, expires=int(time.time()) - 10)),
        ("other_post", _resigned(hq, plan, posts=["post-02"])),
        ("rollback", rollback),
    ]


def _chunk_refusals(hq: Hq, post: Post, plan: pub.Plan) -> None:
    corrupt = bytearray(plan.chunks[0])
    corrupt[-1] ^= 0xFF
    hq.send(mf.chunk_topic(4, 0), bytes(corrupt))
    hq.send(mf.MANIFEST_TOPIC, _resigned(hq, plan, version=4))
    wait_for(lambda: any(r[0] == "chunk_corrupt" for r in post.refusals), 20, "corrupt chunk")
    hq.send(mf.chunk_topic(5, 0), plan.chunks[0] + b"\0" * 100)
    hq.send(mf.MANIFEST_TOPIC, _resigned(hq, plan, version=5))
    wait_for(lambda: any(r[0] == "chunk_oversized" for r in post.refusals), 20, "big chunk")
    assert post.wl.version == 2 and len(post.ids()) == 60
    # a revoked publishing key: the root's list travels with the next manifest
    key_id = pub.Signer.load(hq.dir).cert["id"]
    pub.publisher_revoke(hq.root_key_file, hq.dir, key_id)
    hq.send(mf.MANIFEST_TOPIC, _resigned(hq, plan, version=6))
    wait_for(lambda: any(r[0] == "revoked" for r in post.refusals), 20, "revoked key")
    assert post.wl.version == 2
    pub.publisher_init(hq.root_key_file, hq.dir, 30)  # rotation: a new key works again
    hq.publish([record(i) for i in range(80)])
    wait_for(lambda: post.wl.version > 2 and len(post.ids()) == 80, 20, "new key accepted")


def test_a_post_behind_a_delta_takes_the_snapshot_then_the_delta(
    tmp_path: Path, broker: Broker
) -> None:
    hq = Hq(tmp_path, broker)
    hq.publish([record(i) for i in range(30)])
    hq.publish([record(i) for i in range(5, 40)], delta=True)
    post = Post(tmp_path, broker, hq.root_pub).start()
    try:
        wait_for(lambda: post.wl.version == 2, 20, "snapshot then delta")
        assert post.ids() == {f"D-{i}" for i in range(5, 40)}
        assert post.refusals == []
    finally:
        post.stop()
