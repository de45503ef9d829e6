"""The pure rules of bot/core/acknowledgements.py (SPEC section 4, rules 4, 6 and 7)."""

from __future__ import annotations

import hashlib
import hmac
import struct
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core import acknowledgements as rules
from bot.text import metoo as text

SECRET = bytes(range(32))
ids = st.integers(min_value=1, max_value=2**64 - 1)

# The fingerprint of the consent text each version was agreed to. Changing the
# text changes what people agreed to: bump CONSENT_VERSION and add its line.
CONSENT_FINGERPRINTS = {
    1: "7b32c3d69e4ddc5cb1a274172465bf2d2b91615f542f93cc6178d61d0bc1e035",
}


def test_consent_text_and_version_move_together() -> None:
    shown = text.CONSENT_TITLE + "\n" + text.CONSENT + "\n" + text.CONFIRM_LABEL
    assert hashlib.sha256(shown.encode()).hexdigest() == \
        CONSENT_FINGERPRINTS[rules.CONSENT_VERSION], (
            "the consent text changed: bump CONSENT_VERSION and record the new fingerprint")


def test_member_key_is_the_documented_hmac() -> None:
    """HMAC-SHA256(secret, domain || guild id || user id), ids as 8-byte big-endian."""
    guild_id, user_id = 1_400_000_000_000_000_001, 1_500_000_000_000_000_002
    expected = hmac.new(
        SECRET,
        b"metoo-bot/acknowledgement-member-key/v1\x00" + struct.pack(">QQ", guild_id, user_id),
        hashlib.sha256,
    ).digest()
    key = rules.member_key(SECRET, guild_id, user_id)
    assert key == expected and len(key) == rules.KEY_BYTES == 32


def test_member_key_is_not_a_plain_hash_of_the_user() -> None:
    user_id = 1_500_000_000_000_000_002
    key = rules.member_key(SECRET, 42, user_id)
    plain = {hashlib.sha256(v).digest() for v in (
        str(user_id).encode(), struct.pack(">Q", user_id), struct.pack("<Q", user_id),
        f"42{user_id}".encode(), f"42:{user_id}".encode())}
    assert key not in plain
    assert key != rules.member_key(bytes(32), 42, user_id)  # keyed: another secret, another key


def test_encoding_is_unambiguous() -> None:
    # Decimal concatenation would make these equal: "1" + "23" == "12" + "3".
    assert rules.member_key(SECRET, 1, 23) != rules.member_key(SECRET, 12, 3)
    assert rules.member_key(SECRET, 5, 7) != rules.member_key(SECRET, 7, 5)


@given(ids, ids, ids, ids)
def test_different_people_or_communities_get_different_keys(g1, u1, g2, u2) -> None:
    same = rules.member_key(SECRET, g1, u1) == rules.member_key(SECRET, g2, u2)
    assert same == ((g1, u1) == (g2, u2))


@pytest.mark.parametrize("secret, guild_id, user_id", [
    (b"short", 1, 2), (SECRET, 0, 2), (SECRET, 1, -2), (SECRET, 1, 2**64), (SECRET, True, 2),
])
def test_member_key_refuses_bad_input(secret, guild_id, user_id) -> None:
    with pytest.raises(ValueError):
        rules.member_key(secret, guild_id, user_id)


def test_the_day_is_the_utc_calendar_day() -> None:
    evening_in_new_york = datetime(2026, 3, 10, 21, 30, tzinfo=timezone(timedelta(hours=-5)))
    assert rules.utc_day(evening_in_new_york) == date(2026, 3, 11)
    assert rules.day_text(date(2026, 3, 1)) == "2026-03-01"
    with pytest.raises(ValueError):
        rules.utc_day(datetime(2026, 3, 10, 12, 0))  # naive: refused


def test_retention_cutoff() -> None:
    today = date(2026, 3, 10)
    cutoff = rules.retention_cutoff(today, 365)
    assert cutoff == today - timedelta(days=365)
    # A row exactly 365 days old stays; 366 days old is folded (day < cutoff).
    assert not (today - timedelta(days=365)) < cutoff
    assert (today - timedelta(days=366)) < cutoff
    with pytest.raises(ValueError):
        rules.retention_cutoff(today, 0)


@pytest.mark.parametrize("total, threshold, shown", [
    (None, 10, rules.ShownCount(fewer_than=10)),
    (0, 10, rules.ShownCount(fewer_than=10)),
    (9, 10, rules.ShownCount(fewer_than=10)),
    (10, 10, rules.ShownCount(at_least=10)),
    (14, 10, rules.ShownCount(at_least=10)),
    (15, 10, rules.ShownCount(at_least=15)),
    (1234, 10, rules.ShownCount(at_least=1230)),
    (19, 20, rules.ShownCount(fewer_than=20)),
    (4, 1, rules.ShownCount(fewer_than=5)),   # never below 5
    (6, 1, rules.ShownCount(at_least=5)),
    (7, None, rules.ShownCount(fewer_than=10)),  # default 10
])
def test_shown_count(total, threshold, shown) -> None:
    assert rules.shown_count(total, threshold) == shown


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=-5, max_value=500))
def test_a_shown_count_never_singles_anyone_out(total, threshold) -> None:
    shown = rules.shown_count(total, threshold)
    limit = max(5, threshold)
    assert shown.suppressed == (total < limit)
    if shown.suppressed:
        assert shown.fewer_than == limit and shown.at_least is None
    else:
        assert shown.at_least is not None
        assert shown.at_least % 5 == 0 and total - 5 < shown.at_least <= total
        assert shown.at_least >= 5


def test_now_is_aware_utc_in_the_app() -> None:
    from bot.app import utc_now

    assert utc_now().tzinfo is UTC
