"""The rules of "me too" acknowledgements, with no Discord in them.

- The member key: a keyed pseudonym of one person in one community.
- The consent version: which consent text a person agreed to.
- The day: a UTC calendar day, never a time of day.
- Who can be counted: accounts at least 7 days old that joined the community
  at least 24 hours earlier.
- Retention: the day before which rows are folded into an anonymous tally.
- The secret's fingerprint: noticing a changed ACK_SECRET.

The count's noise and what may be shown of it are in noise.py.
"""

from __future__ import annotations

import hashlib
import hmac
import struct
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

# The version of the consent text a person agrees to (text.py, CONSENT). Bump it
# whenever that text changes in meaning; a test holds the text's fingerprint so
# that a change without a bump fails.
CONSENT_VERSION = 2

# Who can be counted: alternate accounts made for the purpose cost a week, and
# joining the community a day.
ACCOUNT_MIN_AGE = timedelta(days=7)
MEMBERSHIP_MIN_AGE = timedelta(hours=24)
DISCORD_EPOCH_MS = 1_420_070_400_000

_FINGERPRINT_LABEL = b"metoo-bot/ack-secret-fingerprint/v1"

# Domain separation: a key made for acknowledgements can never equal an HMAC
# the same secret might produce for another purpose or a later scheme.
_KEY_DOMAIN = b"metoo-bot/acknowledgement-member-key/v1\x00"
MAX_ID = 2**64  # Discord ids (and noise scopes) are below this


def member_key(secret: bytes, guild_id: int, user_id: int) -> bytes:
    """HMAC-SHA256(secret, domain || guild id || user id), both ids as fixed-width
    8-byte unsigned big-endian integers, so that no two (community, user) pairs
    share an encoding (a decimal "1" + "23" and "12" + "3" would)."""
    if len(secret) < 32:
        raise ValueError("the acknowledgement secret must be at least 32 bytes")
    for value in (guild_id, user_id):
        if not isinstance(value, int) or isinstance(value, bool) or not 0 < value < MAX_ID:
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


# ------------------------------------------------------- who can be counted
def account_created(user_id: int) -> datetime:
    """When a Discord account was made: the timestamp in its id (snowflake)."""
    return datetime.fromtimestamp(((user_id >> 22) + DISCORD_EPOCH_MS) / 1000, UTC)


def countable_from(user_id: int, joined_at: datetime | None) -> datetime | None:
    """From when this member can be counted: their account at least 7 days old and
    their membership at least 24 hours. None when Discord did not say when they
    joined (a guest member): then they cannot be counted here."""
    if joined_at is None:
        return None
    if joined_at.tzinfo is None:
        raise ValueError("joined_at must be an aware datetime")
    return max(account_created(user_id) + ACCOUNT_MIN_AGE, joined_at + MEMBERSHIP_MIN_AGE)


def first_whole_day(moment: datetime) -> date:
    """The first UTC day that starts at or after `moment`: a day on which the person
    can be counted at any hour."""
    day = utc_day(moment)
    return day if moment == datetime.combine(day, time(), UTC) else day + timedelta(days=1)


# ------------------------------------------------------------- the secret
SecretVerdict = Literal["ok", "record", "changed", "missing"]


def secret_fingerprint(secret: bytes) -> str:
    """What the database keeps of ACK_SECRET: an HMAC of a fixed label, so a changed
    secret is noticed while the secret itself cannot be recovered from it."""
    return hmac.new(secret, _FINGERPRINT_LABEL, hashlib.sha256).hexdigest()


def secret_verdict(stored: str | None, current: str | None, has_rows: bool) -> SecretVerdict:
    """Whether the bot may start with this secret: never with one that would
    orphan stored acknowledgements.

    ok: the rows were made with this secret. record: nothing stored would be
    orphaned; remember this secret's fingerprint. changed / missing: rows exist
    that this secret (or no secret) cannot link to anyone; nobody could withdraw
    or export them, and `/privacy mydata` would say "nothing is held". The
    operator must put the old secret back or run `python -m bot rotate-secret`.
    """
    if current is None:
        return "missing" if has_rows else "ok"
    if stored == current:
        return "ok"
    if stored is None or not has_rows:
        return "record"
    return "changed"


def secret_problem(verdict: SecretVerdict) -> str | None:
    """The one line for the operator when the bot must not start (never the secret)."""
    action = ("put the old one back, or run `python -m bot rotate-secret` to fold those "
              "rows into the anonymous tallies and delete them")
    if verdict == "changed":
        return ("ACK_SECRET: changed since the stored acknowledgements were made, so they "
                f"can no longer be linked to anyone; {action}")
    if verdict == "missing":
        return ("ACK_SECRET: not set, but the database holds acknowledgements made with a "
                f"secret; {action}")
    return None
