"""What the stores hand back: plain frozen records, the same for every backend."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Literal

# The anonymous count's threshold of a community that has set none (the
# default of the community_settings column, and of /config threshold).
DEFAULT_THRESHOLD = 10
# The smallest threshold a community may set (the column's CHECK): a count is
# never shown below 5.
MIN_THRESHOLD = 5
# A member key is an HMAC-SHA256: 32 bytes (made by the metoo feature's rules).
KEY_BYTES = 32
# Acknowledgement writes committed together at most, in either backend (group
# commit): bounds how long one transaction holds the write lock.
ACK_BATCH_MAX = 256
# The key, in the meta table, of the fingerprint of ACK_SECRET (never the secret).
SECRET_FINGERPRINT = "ack_secret_fingerprint"

# Every table that holds rows of a community, in every backend, so that leaving
# or a reset deletes all of them (a community that removes the bot leaves
# nothing behind). A new table keyed by community is added here.
COMMUNITY_TABLES = (
    "community_settings",
    "community_resources",
    "acknowledgements",
    "ack_tallies",
    "ack_snapshots",
)


@dataclass(frozen=True)
class CommunitySettings:
    guild_id: int
    country: str | None = None
    acknowledgements_enabled: bool = False
    threshold: int = DEFAULT_THRESHOLD
    panel_channel_id: int | None = None
    panel_message_id: int | None = None
    log_channel_id: int | None = None
    # The language of public posts (/config language): a shipped Discord locale,
    # or None for auto (the server's own Discord language).
    language: str | None = None


# The settings a community can change, in column order.
SETTING_NAMES = tuple(f.name for f in fields(CommunitySettings) if f.name != "guild_id")


@dataclass(frozen=True)
class CommunityResource:
    guild_id: int
    name: str
    description: str
    url: str | None
    phone: str | None
    added_on: str


@dataclass(frozen=True)
class StartOfDay:
    """A community at the start of a day, for the daily job: its rows from before
    the day plus its anonymous tally, and its counting settings."""

    guild_id: int
    total: int
    enabled: bool
    threshold: int | None


@dataclass(frozen=True)
class DayCounts:
    """What /metoo count reads: the figures of the latest snapshot day (None: no
    snapshot yet; `here` None: no figure stored for this community that day)."""

    day: str | None
    here: int | None
    included: bool  # whether the total across communities includes this community
    everywhere: int | None


@dataclass(frozen=True)
class AckRecord:
    """One stored acknowledgement, exactly as stored."""

    guild_id: int
    member_key: bytes
    consent_version: int
    day: str


# Who runs a daily job today (CoordinationStore.claim_job): "mine" (this
# process holds the lease and runs it), "held" (another process holds a lease
# that has not expired: ask again later), "done" (it ran today).
JobClaim = Literal["mine", "held", "done"]
