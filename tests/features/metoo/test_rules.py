"""The pure rules of "me too": keys, consent version, days, who can be counted,
retention and the secret's fingerprint."""

from __future__ import annotations

import hashlib
import hmac
import struct
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.features.metoo import rules, text
from bot.storage import records
from tests.support.secrets import VECTOR_SECRET as SECRET

ids = st.integers(min_value=1, max_value=2**64 - 1)

# The fingerprint of the consent text each version was agreed to. Changing the
# text changes what people agreed to: bump CONSENT_VERSION and add its line.
CONSENT_FINGERPRINTS = {
    1: "7b32c3d69e4ddc5cb1a274172465bf2d2b91615f542f93cc6178d61d0bc1e035",
    # 2: counts are blurred with noise and rounded to the nearest 5 (issue 11).
    2: "42398f067c76f402cb0ce0f64a2792c121465532827473e9235dd67dee2da7e2",
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
    assert key == expected and len(key) == records.KEY_BYTES == 32


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


def test_who_can_be_counted() -> None:
    """Issue 11 point 1: accounts at least 7 days old, members for at least 24 hours."""
    created = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    user_id = (int(created.timestamp() * 1000) - rules.DISCORD_EPOCH_MS) << 22 | 12345
    assert rules.account_created(user_id) == created
    joined = datetime(2026, 3, 2, 20, 0, tzinfo=UTC)
    assert rules.countable_from(user_id, joined) == created + timedelta(days=7)
    late = datetime(2026, 3, 8, 12, 0, tzinfo=UTC)
    assert rules.countable_from(user_id, late) == late + timedelta(hours=24)
    assert rules.countable_from(user_id, None) is None
    assert rules.first_whole_day(datetime(2026, 3, 8, 9, 30, tzinfo=UTC)) == date(2026, 3, 9)
    assert rules.first_whole_day(datetime(2026, 3, 9, 0, 0, tzinfo=UTC)) == date(2026, 3, 9)
    with pytest.raises(ValueError):
        rules.countable_from(user_id, datetime(2026, 3, 2))


def test_the_secret_fingerprint_and_verdict() -> None:
    """Issue 11 point 6: an HMAC of a fixed label, never the secret; a changed or
    removed secret with rows is refused; otherwise the new fingerprint is kept."""
    mark = rules.secret_fingerprint(SECRET)
    assert mark == hmac.new(SECRET, b"metoo-bot/ack-secret-fingerprint/v1",
                            hashlib.sha256).hexdigest()
    assert SECRET.hex() not in mark and mark != hashlib.sha256(SECRET).hexdigest()
    other = rules.secret_fingerprint(bytes(range(1, 33)))
    assert rules.secret_verdict(mark, mark, True) == "ok"
    assert rules.secret_verdict(mark, other, True) == "changed"
    assert rules.secret_verdict(mark, other, False) == "record"
    assert rules.secret_verdict(None, other, True) == "record"  # an older database: adopt
    assert rules.secret_verdict(mark, None, True) == "missing"
    assert rules.secret_verdict(mark, None, False) == "ok"
    for verdict in ("changed", "missing"):
        line = rules.secret_problem(verdict)
        assert line is not None and "\n" not in line
        assert line.startswith("ACK_SECRET: ") and "python -m bot rotate-secret" in line
    assert rules.secret_problem("ok") is None and rules.secret_problem("record") is None


def test_now_is_aware_utc_in_the_app() -> None:
    from bot.app import utc_now

    assert utc_now().tzinfo is UTC
