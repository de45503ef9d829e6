"""bot.core.tags: the HMAC tags on custom ids that carry state (issue 11, point 12)."""

from __future__ import annotations

import hashlib
import hmac
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core import tags

SECRET = bytes(range(32))
TOKEN = b"MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.not-a-real-token-at-all-xxxxxxxxxx"
KEY = tags.derive_key(SECRET, TOKEN)
BODIES = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789:_-", min_size=1, max_size=80)


def test_the_key_comes_from_ack_secret_else_the_token_through_a_labelled_hmac() -> None:
    expected = hmac.new(SECRET, tags.KEY_LABEL, hashlib.sha256).digest()
    assert tags.derive_key(SECRET, TOKEN) == expected
    from_token = hmac.new(TOKEN, tags.KEY_LABEL, hashlib.sha256).digest()
    assert tags.derive_key(None, TOKEN) == from_token
    assert tags.derive_key(None, TOKEN) != KEY
    # Never the secret itself; without either, a key for this process only.
    assert SECRET not in KEY and TOKEN not in KEY
    assert tags.derive_key(None, None) != tags.derive_key(None, None)


def test_a_tag_is_short_and_url_safe() -> None:
    tag = tags.tag(KEY, "config:reset:delete:1:2", 3)
    assert re.fullmatch(r"[A-Za-z0-9_-]+", tag) and len(tag) == tags.TAG_LENGTH
    assert tags.tagged(KEY, "body") == f"body:{tags.tag(KEY, 'body')}"


@settings(max_examples=300)
@given(BODIES, st.integers(min_value=0, max_value=2**64 - 1))
def test_a_genuine_tag_verifies(body: str, guild: int) -> None:
    assert tags.verify(KEY, body, tags.tag(KEY, body, guild), guild)


@settings(max_examples=300)
@given(BODIES, BODIES, st.integers(min_value=0, max_value=2**64 - 1),
       st.integers(min_value=0, max_value=2**64 - 1))
def test_a_tag_does_not_verify_another_body_community_or_key(
    body: str, other: str, guild: int, other_guild: int
) -> None:
    tag = tags.tag(KEY, body, guild)
    if other != body:
        assert not tags.verify(KEY, other, tag, guild)
    if other_guild != guild:
        assert not tags.verify(KEY, body, tag, other_guild)
    assert not tags.verify(tags.derive_key(None, TOKEN), body, tag, guild)


@given(BODIES, st.text(max_size=30) | st.none())
def test_a_made_up_tag_does_not_verify(body: str, made_up: str | None) -> None:
    if made_up != tags.tag(KEY, body):
        assert not tags.verify(KEY, body, made_up)
