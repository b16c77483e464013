"""Manifest and certificate checks without a broker; arbitrary bytes never crash the parser."""

from __future__ import annotations

import contextlib
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync import keys
from sync.wldist import manifest as mf
from sync.wldist.trust import Refused, issue_cert, issue_crl, verify_crl

ROOT = keys.generate()
PUB = keys.generate()


def _message(cert_days: tuple[float, float] = (-1, 1), crl: bool = False, **body: object) -> bytes:
    now = time.time()
    cert = issue_cert(
        ROOT, PUB.public_key(), now + cert_days[0] * 86400, now + cert_days[1] * 86400
    )
    chunks = list(mf.compress_chunks([b'{"id":"a"}\n'], 1024))
    fields = mf.manifest_body(
        version=3,
        previous=0,
        created=now,
        expires=now + 3600,
        posts=[],
        chunks=chunks,
        raw=(11, "0" * 64),
        entries=1,
    )
    revoked = issue_crl(ROOT, 1, now, [cert["id"]]) if crl else None
    return mf.sign_manifest({**fields, **body}, PUB, cert, revoked)


def _code(data: bytes) -> str:
    with pytest.raises(Refused) as info:
        mf.parse_message(data, ROOT.public_key(), time.time(), None)
    return info.value.code


def test_a_good_manifest_parses() -> None:
    m, crl = mf.parse_message(_message(), ROOT.public_key(), time.time(), None)
    assert m.version == 3 and m.kind == "snapshot" and m.for_post("any") and crl is None


def test_refusals() -> None:
    assert _code(_message(cert_days=(-10, -1))) == "key_expired"
    assert _code(_message(cert_days=(1, 10))) == "key_expired"
    assert _code(_message(crl=True)) == "revoked"
    assert _code(_message(expires=int(time.time()) - 1)) == "expired"
    assert _code(_message(chunks=[{"size": mf.MAX_CHUNK_BYTES + 1, "sha256": "0"}])) in (
        "chunk_oversized",
    )
    assert _code(_message(format=2)) == "malformed"
    other_root = keys.generate()
    with pytest.raises(Refused) as info:
        mf.parse_message(_message(), other_root.public_key(), time.time(), None)
    assert info.value.code == "unknown_key"


def test_a_newer_revocation_list_is_kept() -> None:
    crl = verify_crl(issue_crl(ROOT, 5, time.time(), ["x"]), ROOT.public_key())
    _m, kept = mf.parse_message(_message(), ROOT.public_key(), time.time(), crl)
    assert kept is crl


def test_a_corrupt_chunk_is_refused() -> None:
    with pytest.raises(Refused):
        mf.decompress_chunk(b"\x28\xb5\x2f\xfd garbage")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise_anything_but_refused(data: bytes) -> None:
    with contextlib.suppress(Refused):
        mf.parse_message(data, ROOT.public_key(), time.time(), None)


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.integers() | st.text(max_size=8),
        lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=8), c, max_size=4),
    )
)
def test_arbitrary_json_never_raises_anything_but_refused(obj: object) -> None:
    import json

    for wrapped in (obj, {"manifest": obj, "cert": obj, "sig": obj, "crl": obj}):
        with contextlib.suppress(Refused):
            mf.parse_message(json.dumps(wrapped).encode(), ROOT.public_key(), time.time(), None)
