"""The rules of "me too" acknowledgements (SPEC section 4), with no Discord in them.

- The member key: a keyed pseudonym of one person in one community.
- The consent version: which consent text a person agreed to.
- The day: a UTC calendar day, never a time of day.
- Counts as shown: a daily snapshot with calibrated random noise, rounded to
  a multiple of 5 ("about 15"), and "fewer than about N" below the
  community's threshold; the total across communities.
- Who can be counted: accounts at least 7 days old that joined the community
  at least 24 hours earlier.
- Retention: the day before which rows are folded into an anonymous tally.
- The secret's fingerprint: noticing a changed ACK_SECRET.

docs/PRIVACY.md gives the privacy argument for the noise, with numbers.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from bot.storage.records import DEFAULT_THRESHOLD

# The version of the consent text a person agrees to (bot/text/metoo.py,
# CONSENT). Bump it whenever that text changes in meaning; a test holds the
# text's fingerprint so that a change without a bump fails.
CONSENT_VERSION = 2

# Counts (SPEC section 4, rule 6).
ROUND_TO = 5
MIN_THRESHOLD = 5
GLOBAL_THRESHOLD = DEFAULT_THRESHOLD

# The noise of a day's figure (docs/PRIVACY.md, "Why the counts have noise").
# Each day brings a fresh Laplace draw of scale NOISE_SCALE for every community;
# the figure carries the weighted sum of the last NOISE_DAYS draws, weight
# NOISE_MEMORY ** age. The fresh draw bounds what one day's figure says about
# one acknowledgement (its probability changes by at most a factor
# e ** (1 / NOISE_SCALE) = 1.49); the memory keeps an attacker from averaging
# the noise away over many days (a static count does not get a fresh, independent
# figure every day). NOISE_MEMORY ** NOISE_DAYS = 1.3e-4: older draws are dropped.
NOISE_SCALE = 2.5
NOISE_MEMORY = 0.8
NOISE_DAYS = 40
GLOBAL_SCOPE = 0  # the noise "community" of the total across communities (ids are > 0)
_NOISE_DOMAIN = b"metoo-bot/count-noise/v1\x00"

# Who can be counted (SPEC section 4, rule 6): alternate accounts made for the
# purpose cost a week, and joining the community a day.
ACCOUNT_MIN_AGE = timedelta(days=7)
MEMBERSHIP_MIN_AGE = timedelta(hours=24)
DISCORD_EPOCH_MS = 1_420_070_400_000

_FINGERPRINT_LABEL = b"metoo-bot/ack-secret-fingerprint/v1"

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


# ------------------------------------------------------------------ noise
def noise_key(secret: bytes) -> bytes:
    """The key of every noise draw, derived from ACK_SECRET (never the secret
    itself, and never equal to anything else derived from it)."""
    if len(secret) < 32:
        raise ValueError("the acknowledgement secret must be at least 32 bytes")
    return hmac.new(secret, _NOISE_DOMAIN, hashlib.sha256).digest()


def _laplace(key: bytes, scope: int, day: date) -> float:
    """The fresh draw of one community (or GLOBAL_SCOPE) on one day: Laplace with
    scale NOISE_SCALE, by inverting its distribution function at a uniform number
    taken from HMAC(key, scope || day). Deterministic: the same day gives the same
    draw after a restart; unpredictable without the secret."""
    digest = hmac.new(key, struct.pack(">QI", scope, day.toordinal()), hashlib.sha256).digest()
    u = ((int.from_bytes(digest[:8], "big") >> 11) + 0.5) / 2**53  # in (0, 1), never 0 or 1
    if u < 0.5:
        return NOISE_SCALE * math.log(2 * u)
    return -NOISE_SCALE * math.log(2 - 2 * u)


def day_noise(key: bytes, scope: int, day: date) -> float:
    """The noise of a community's (or the total's) figure on `day`."""
    return noise_series(key, scope, day, 1)[0]


def noise_series(key: bytes, scope: int, first: date, days: int) -> list[float]:
    """The noise of `days` consecutive days from `first`, each exactly as
    day_noise gives it, drawing each day's fresh draw once (for the simulation in
    tests/test_count_privacy.py)."""
    if not isinstance(scope, int) or isinstance(scope, bool) or not 0 <= scope < _MAX_ID:
        raise ValueError("a noise scope is a community id or GLOBAL_SCOPE")
    draws = [_laplace(key, scope, first + timedelta(days=offset))
             for offset in range(1 - NOISE_DAYS, days)]
    # draws[i + NOISE_DAYS - 1] is day first + i; age a is NOISE_DAYS - 1 - a before it.
    return [sum(NOISE_MEMORY**age * draws[i + NOISE_DAYS - 1 - age] for age in range(NOISE_DAYS))
            for i in range(days)]


def figure(total: int, noise: float) -> int:
    """The day's figure as stored: the true total plus its noise, a whole number,
    never negative. Everything shown is computed from this."""
    return max(0, round(total + noise))


@dataclass(frozen=True)
class CommunityTotal:
    """One community at the start of the day, as the daily job reads it."""

    guild_id: int
    total: int  # its rows from before the day plus its anonymous tally
    enabled: bool
    threshold: int | None


@dataclass(frozen=True)
class DayFigures:
    """The day's figures: per community (figure, whether the total includes it),
    and the total across communities."""

    communities: dict[int, tuple[int, bool]]
    everywhere: int


def day_figures(key: bytes, day: date, totals: Iterable[CommunityTotal]) -> DayFigures:
    """The snapshot of `day`. A community contributes to the total across
    communities only when its counting is on and its own figure is shown (at or
    above its threshold); it contributes that figure, already noisy, so the total
    tells nothing its figures do not. The total gets its own draw on top."""
    communities: dict[int, tuple[int, bool]] = {}
    everywhere = 0
    for community in totals:
        value = figure(community.total, day_noise(key, community.guild_id, day))
        included = community.enabled and value >= effective_threshold(community.threshold)
        communities[community.guild_id] = (value, included)
        if included:
            everywhere += value
    return DayFigures(communities, figure(everywhere, day_noise(key, GLOBAL_SCOPE, day)))


@dataclass(frozen=True)
class ShownCount:
    """A count as it may be shown: either `about` (the day's figure rounded to the
    nearest multiple of 5) or `fewer_than` (the threshold), never both."""

    about: int | None = None
    fewer_than: int | None = None

    @property
    def suppressed(self) -> bool:
        return self.fewer_than is not None


def shown_count(value: int | None, threshold: int | None) -> ShownCount:
    """What may be displayed for a day's figure (None: none was taken)."""
    limit = effective_threshold(threshold)
    value = max(0, value or 0)
    if value < limit:
        return ShownCount(fewer_than=limit)
    return ShownCount(about=ROUND_TO * ((value + ROUND_TO // 2) // ROUND_TO))


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
    """Whether the bot may start with this secret (SPEC section 4, rule 4).

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
