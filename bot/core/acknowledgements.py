"""The rules of "me too" acknowledgements (SPEC section 4), with no Discord in them.

- The member key: a keyed pseudonym of one person in one community.
- The consent version: which consent text a person agreed to.
- The day: a UTC calendar day, never a time of day.
- Counts as shown: a daily snapshot, rounded down to a multiple of 5, and
  "fewer than N" below the community's threshold.
- Retention: the day before which rows are folded into an anonymous tally.
"""

from __future__ import annotations

import hashlib
import hmac
import struct
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

# The version of the consent text a person agrees to (bot/text/metoo.py,
# CONSENT). Bump it whenever that text changes in meaning; a test holds the
# text's fingerprint so that a change without a bump fails.
CONSENT_VERSION = 1

# Counts (SPEC section 4, rule 6).
ROUND_TO = 5
MIN_THRESHOLD = 5
DEFAULT_THRESHOLD = 10
GLOBAL_THRESHOLD = DEFAULT_THRESHOLD

KEY_BYTES = 32
# Domain separation: a key made for acknowledgements can never equal an HMAC
# the same secret might produce for another purpose or a later scheme.
_KEY_DOMAIN = b"metoo-bot/acknowledgement-member-key/v1\x00"
_MAX_ID = 2**64


def member_key(secret: bytes, guild_id: int, user_id: int) -> bytes:
    """HMAC-SHA256(secret, domain || guild id || user id), both ids as fixed-width
    8-byte unsigned big-endian integers, so that no two (community, user) pairs
    share an encoding (a decimal "1" + "23" and "12" + "3" would)."""
    if len(secret) < 32:
        raise ValueError("the acknowledgement secret must be at least 32 bytes")
    for value in (guild_id, user_id):
        if not isinstance(value, int) or isinstance(value, bool) or not 0 < value < _MAX_ID:
            raise ValueError("Discord ids are positive 64-bit integers")
    message = _KEY_DOMAIN + struct.pack(">QQ", guild_id, user_id)
    return hmac.new(secret, message, hashlib.sha256).digest()


def utc_day(now: datetime) -> date:
    """The UTC calendar day of an aware datetime (the only time ever stored)."""
    if now.tzinfo is None:
        raise ValueError("the clock must give aware datetimes")
    return now.astimezone(UTC).date()


def day_text(day: date) -> str:
    return day.isoformat()


def retention_cutoff(today: date, retention_days: int) -> date:
    """Rows whose day is before this date are older than `retention_days` and are
    folded into the anonymous tally. A row from `today - retention_days` is
    exactly that old and stays one more day."""
    if retention_days < 1:
        raise ValueError("retention must be at least one day")
    return today - timedelta(days=retention_days)


def effective_threshold(threshold: int | None) -> int:
    """The community's threshold, never below the floor of 5."""
    if threshold is None:
        return DEFAULT_THRESHOLD
    return max(MIN_THRESHOLD, int(threshold))


@dataclass(frozen=True)
class ShownCount:
    """A count as it may be shown: either `at_least` (a multiple of 5, the true
    number rounded down) or `fewer_than` (the threshold), never both."""

    at_least: int | None = None
    fewer_than: int | None = None

    @property
    def suppressed(self) -> bool:
        return self.fewer_than is not None


def shown_count(total: int | None, threshold: int | None) -> ShownCount:
    """What may be displayed for a snapshot total (None: no snapshot yet)."""
    limit = effective_threshold(threshold)
    value = max(0, total or 0)
    if value < limit:
        return ShownCount(fewer_than=limit)
    return ShownCount(at_least=value - value % ROUND_TO)
