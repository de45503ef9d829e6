"""What the bot may ask of storage: one Protocol per store and one for the backend.

Every backend (bot/storage/sqlite today, PostgreSQL later) implements these;
features and the bot see only them (through `Stores`), never SQL, a driver or
a connection. Every method raises StorageError, and only StorageError, when
the database cannot do it (besides ValueError for arguments no caller should
pass); a write that raised changed nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

from bot.storage.records import (
    AckRecord,
    CommunityResource,
    CommunitySettings,
    DayCounts,
    JobClaim,
    StartOfDay,
)


class Backend(Protocol):
    """The connection to one database: opened once at start-up, closed at shutdown."""

    @property
    def degraded_reason(self) -> str | None:
        """Why changes are refused for now (the database could only be opened for
        reading), or None. The backend keeps trying to recover by itself."""
        ...

    async def open(self) -> None:
        """Connect and migrate the schema to the latest version, or open for
        reading only (degraded) when it cannot be written; StorageError if neither."""
        ...

    async def close(self) -> None: ...

    async def checkpoint(self) -> bool:
        """Make deleted rows leave every file of the database now, without waiting
        for a reader; True when done (else it is retried in the background)."""
        ...


class MetaStore(Protocol):
    """Small key/value facts about the deployment (never anything about a person)."""

    async def get(self, key: str) -> str | None: ...

    async def set(self, key: str, value: str) -> None: ...


class CommunityStore(Protocol):
    """Community settings and resources, and forgetting a community entirely."""

    async def settings(self, guild_id: int) -> CommunitySettings:
        """The community's settings (defaults when it has none stored), kept in
        memory until this store changes them (bot/storage/cache.py)."""
        ...

    async def update(self, guild_id: int, **changes: object) -> CommunitySettings:
        """Set some settings (names of records.SETTING_NAMES); the others keep
        their values. Returns the settings after the change."""
        ...

    async def resources(self, guild_id: int) -> list[CommunityResource]:
        """The community's resources, oldest first."""
        ...

    async def add_resource(self, resource: CommunityResource, limit: int) -> bool:
        """Add a resource unless its name is taken (case-insensitive) or the
        community has `limit`; False (and nothing changed) when refused."""
        ...

    async def remove_resource(self, guild_id: int, name: str) -> bool: ...

    async def forget(self, guild_id: int, *, unless: Callable[[], bool] | None = None) -> int:
        """Delete every row of a community in every table (then make deleted rows
        leave the files); returns rows deleted. `unless`, asked while holding the
        database, cancels it when it says True."""
        ...

    async def known_ids(self) -> set[int]:
        """Communities that have any row anywhere."""
        ...

    async def forget_absent(self, present: Callable[[int], bool]) -> int:
        """Forget each known community for which `present` says False at the moment
        of deleting it; returns the number forgotten."""
        ...


class AckStore(Protocol):
    """The "me too" acknowledgements, their anonymous tallies and daily figures.
    Member keys, noise and fingerprints are made by the caller: the store never
    sees a user id."""

    async def add(self, guild_id: int, member_key: bytes, consent_version: int,
                  day: str) -> bool:
        """Store one acknowledgement; True once committed, False when this member
        is already counted here (nothing changes)."""
        ...

    async def remove(self, guild_id: int, member_key: bytes) -> bool:
        """Withdraw: hard-delete the row (then checkpoint). True if a row went."""
        ...

    async def has(self, guild_id: int, member_key: bytes) -> bool: ...

    async def communities_with_rows(self) -> list[int]: ...

    async def records(self, keys: Mapping[int, bytes]) -> list[AckRecord]:
        """The rows of one person: `keys` maps each community to their key there."""
        ...

    async def erase(self, keys: Mapping[int, bytes]) -> int:
        """Delete every row of one person in one transaction; rows deleted."""
        ...

    async def delete_community(self, guild_id: int) -> int: ...

    async def fold_expired(self, before_day: str) -> int:
        """Retention: fold rows older than `before_day` into their community's
        anonymous tally and delete them; rows folded."""
        ...

    async def has_snapshot(self, day: str) -> bool: ...

    async def start_of_day(self, day: str) -> list[StartOfDay]: ...

    async def store_snapshots(self, day: str, communities: Mapping[int, tuple[int, bool]],
                              everywhere: int) -> bool:
        """Store the day's figures once; False when the day's are already stored.
        Drops the counts kept in memory (they are read again, of the new day)."""
        ...

    async def counts(self, guild_id: int, day: str) -> DayCounts:
        """The latest figures on or before `day`. Once the figures of `day` itself
        are taken, they are kept in memory for the day (bot/storage/cache.py):
        /metoo count then makes no database round trip."""
        ...

    async def snapshot_day(self) -> str | None: ...

    async def secret_state(self) -> tuple[str | None, bool]:
        """The stored fingerprint of ACK_SECRET (None: none yet), and whether any
        acknowledgement row exists."""
        ...

    async def record_secret(self, fingerprint: str) -> None: ...

    async def rotate_secret(self, fingerprint: str | None) -> int:
        """Fold every row into the tallies, delete them, record `fingerprint`."""
        ...

    async def close(self) -> None:
        """Commit what is waiting, then stop taking writes."""
        ...


class CoordinationStore(Protocol):
    """How shard processes sharing the database take turns. Times are the
    database's clock, so that processes on several machines agree."""

    async def claim_identify(self, rate_limit_key: int, window: float) -> float:
        """Take the IDENTIFY slot of a rate-limit key if no IDENTIFY of that key
        was made in the last `window` seconds, by any process: 0.0 when taken
        (identify now), else the seconds to wait before asking again."""
        ...

    async def claim_job(self, job: str, day: str, owner: str, lease_seconds: float) -> JobClaim:
        """Ask to run a daily job for `day`: "mine" when this `owner` holds the
        lease for `lease_seconds` from now (a lease of another owner that has
        expired unfinished is taken over), "held" while another owner's lease
        runs, "done" once it ran. Leases of earlier days are dropped."""
        ...

    async def finish_job(self, job: str, day: str, owner: str) -> bool:
        """Mark the day's job done; False if `owner` no longer holds its lease."""
        ...
