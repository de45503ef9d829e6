"""bot.kit.custom_ids: every custom id the bot posts, pinned byte for byte, every
format it ever posted still read, and the HMAC tags on ids that carry state."""

from __future__ import annotations

import hashlib
import hmac
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.kit import custom_ids as tags
from bot.kit.custom_ids import (
    KINDS,
    ConsentId,
    CountryPickId,
    DeleteId,
    PageId,
    PanelId,
    ResetId,
)
from tests.support.secrets import VECTOR_SECRET as SECRET

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


# ---------------------------------------------------------------- the ids themselves
# The key of ACK_SECRET bytes(range(32)), and the ids main posted before the codec
# (computed with bot/core/tags.py and the features' own formatting at the time).
PINNED_KEY = tags.derive_key(SECRET, None)
USER, GUILD, AT = 123456789012345678, 987654321098765432, 1773153000
PINNED = [
    (PanelId("metoo"), "panel:metoo"),
    (PanelId("support"), "panel:support"),
    (PanelId("learn"), "panel:learn"),
    (ConsentId(True, 1), "metoo:consent:yes:v1"),
    (ConsentId(False, 3), "metoo:consent:no:v3"),
    (DeleteId(True), "privacy:delete:yes"),
    (DeleteId(False), "privacy:delete:no"),
    (CountryPickId("sexual-assault", False), "hotline:pick:sexual-assault:0"),
    (CountryPickId("crisis", True), "hotline:pick:crisis:1"),
    # The way of contact asked for: "any" keeps the id of before the choice.
    (CountryPickId("crisis", False, "any"), "hotline:pick:crisis:0"),
    (CountryPickId("crisis", False, "text"), "hotline:pick:crisis:0:text"),
    (CountryPickId("sexual-assault", True, "chat"), "hotline:pick:sexual-assault:1:chat"),
]
PINNED_TAGGED = [
    (ResetId(True, USER, AT), (PINNED_KEY, GUILD),
     "config:reset:delete:123456789012345678:1773153000:CurqEbjllC0"),
    (ResetId(False, USER, AT), (PINNED_KEY, GUILD),
     "config:reset:cancel:123456789012345678:1773153000:N0XknGhhzW4"),
    (PageId("t", USER, 2017, None, 1, "n", "abcdef"), (PINNED_KEY,),
     "hist:t:123456789012345678:2017:_:1:n:abcdef:RT3q5lMDUpQ"),
    (PageId("s", USER, None, "law", 0, "p", "abcdef"), (PINNED_KEY,),
     "hist:s:123456789012345678:_:law:0:p:abcdef:VFo9a3lnSBU"),
]


@pytest.mark.parametrize("made, posted", PINNED)
def test_ids_without_state_are_those_posted_before(made: tags._Codec, posted: str) -> None:
    assert made.encode() == posted  # type: ignore[attr-defined]
    assert type(made).parse(posted) == made


@pytest.mark.parametrize("made, key, posted", PINNED_TAGGED)
def test_tagged_ids_are_those_posted_before_and_verify(
    made: PageId | ResetId, key: tuple[bytes, ...], posted: str
) -> None:
    assert made.encode(*key) == posted  # type: ignore[arg-type]
    pressed = type(made).parse(posted)
    assert pressed == made and pressed.authentic(*key)  # type: ignore[union-attr, arg-type]


def test_ids_from_before_tags_still_parse_and_are_refused() -> None:
    """Pages and resets posted before tags (issue 11) still reach their button,
    which answers "no longer active" instead of silence."""
    page = PageId.parse("hist:t:123456789012345678:_:_:2:p:0a1b2c")
    assert page == PageId("t", USER, None, None, 2, "p", "0a1b2c")
    assert not page.authentic(PINNED_KEY)
    reset = ResetId.parse("config:reset:delete:123456789012345678:1773153000")
    assert reset == ResetId(True, USER, AT)
    assert not reset.authentic(PINNED_KEY, GUILD)


def test_a_tampered_or_foreign_id_is_not_authentic() -> None:
    posted = "config:reset:delete:123456789012345678:1773153000:CurqEbjllC0"
    assert not ResetId.parse(posted).authentic(PINNED_KEY, GUILD + 1)  # another community
    forged = posted.replace(str(USER), "1" * 18)
    assert not ResetId.parse(forged).authentic(PINNED_KEY, GUILD)
    page = "hist:t:123456789012345678:2017:_:1:n:abcdef:" + "A" * 11
    assert not PageId.parse(page).authentic(PINNED_KEY)
    assert ResetId.parse("config:reset:delete:12:34:" + "!" * 11) is None


def test_other_strings_are_no_kind_of_id() -> None:
    for custom_id in ("", "panel:help", "metoo:consent:maybe:v1", "privacy:delete:",
                      "hotline:pick:Crisis:0", "hotline:pick:crisis:0:",
                      "hotline:pick:crisis:0:Text", "hist:x:1:_:_:0:n:abcdef", "panel:metoo:x"):
        assert all(kind.parse(custom_id) is None for kind in KINDS), custom_id


def test_the_widest_ids_fit_discords_100_characters() -> None:
    key = tags.derive_key(None, b"token")
    widest_page = PageId("t", 2**64 - 1, -999999, "x" * 32, 9999, "n", "abcdef")
    assert len(widest_page.encode(key)) <= 100
    assert PageId.parse(widest_page.encode(key)) == widest_page
    widest_reset = ResetId(True, 2**64 - 1, 10**12 - 1)
    assert len(widest_reset.encode(key, 2**64 - 1)) <= 100
    assert len(CountryPickId("x" * 30, True).encode()) <= 100
    assert len(CountryPickId("x" * 30, True, "y" * 10).encode()) <= 100
    with pytest.raises(ValueError):
        CountryPickId("x" * 200, True).encode()
    with pytest.raises(ValueError):  # would read back as no category
        PageId("t", 1, None, "_", 0, "n", "abcdef")


@settings(max_examples=200)
@given(st.sampled_from(["t", "s"]), st.integers(min_value=0, max_value=2**64 - 1),
       st.one_of(st.none(), st.integers(min_value=-999999, max_value=999999)),
       st.one_of(st.none(), st.from_regex(r"[A-Za-z0-9_-]{1,32}", fullmatch=True).filter(
           lambda category: category != "_")),  # "_" is no category (refused: see below)
       st.integers(min_value=0, max_value=9999), st.sampled_from(["p", "n"]))
def test_every_page_id_reads_back_as_made(
    kind: str, owner: int, year: int | None, category: str | None, page: int, step: str
) -> None:
    made = PageId(kind, owner, year, category, page, step, "abcdef")  # type: ignore[arg-type]
    pressed = PageId.parse(made.encode(KEY))
    assert pressed == made and pressed.authentic(KEY)
