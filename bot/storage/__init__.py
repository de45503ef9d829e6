"""Storage: the named operations the bot may ask of its database.

Nothing here imports discord. Features reach storage only through `Stores`
(`await bot.storage.acks.add(...)`), whose stores are the Protocols of
interfaces.py; no SQL lives outside this package, and every driver error
leaves it as StorageError. The backend is chosen by DATABASE_URL's scheme:
SQLite (bot/storage/sqlite) or PostgreSQL (bot/storage/postgres).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.storage.errors import StorageError
from bot.storage.interfaces import (
    AckStore,
    Backend,
    CommunityStore,
    CoordinationStore,
    MetaStore,
)
from bot.storage.records import (
    AckRecord,
    CommunityResource,
    CommunitySettings,
    DayCounts,
    JobClaim,
    StartOfDay,
)
from bot.storage.url import DatabaseUrl

__all__ = [
    "AckRecord",
    "CommunityResource",
    "CommunitySettings",
    "DatabaseUrl",
    "DayCounts",
    "JobClaim",
    "StartOfDay",
    "StorageError",
    "Stores",
    "backup_database",
    "describe_database",
    "open_storage",
    "read_secret_state",
    "restore_database",
    "stores_for",
]


@dataclass(eq=False)
class Stores:
    """Every store over one backend. Open it once at start-up, close it at shutdown."""

    backend: Backend
    meta: MetaStore
    communities: CommunityStore
    acks: AckStore
    coordination: CoordinationStore

    async def open(self) -> None:
        await self.backend.open()

    async def close(self) -> None:
        await self.acks.close()  # commits what is waiting before the connection goes
        await self.backend.close()

    @property
    def degraded_reason(self) -> str | None:
        """Why changes are refused for now (the database is read-only), or None."""
        return self.backend.degraded_reason


def _not_supported(url: DatabaseUrl) -> StorageError:
    return StorageError(f"{url.scheme} is not supported; use an sqlite:/// or a "
                        "postgresql:// URL")


def stores_for(url: DatabaseUrl) -> Stores:
    """The stores of the database at `url`, with the backend its scheme names,
    not opened yet. StorageError for a backend this version does not have."""
    if url.scheme == "sqlite":
        from bot.storage import sqlite

        return Stores(*sqlite.stores_at(url.sqlite_path))
    if url.scheme == "postgresql":
        from bot.storage import postgres

        return Stores(*postgres.stores_at(url))
    raise _not_supported(url)


async def open_storage(url: DatabaseUrl) -> Stores:
    """The stores of the database at `url`, opened (connected and migrated)."""
    stores = stores_for(url)
    await stores.open()
    return stores


def describe_database(url: DatabaseUrl) -> str:
    """For `python -m bot check` and the console: one line about the database, or
    StorageError with a readable reason. Creates and changes nothing."""
    if url.scheme == "sqlite":
        from bot.storage import sqlite

        return sqlite.inspect_database(url.sqlite_path)
    if url.scheme == "postgresql":
        from bot.storage import postgres

        return postgres.inspect_database(url)
    raise _not_supported(url)


def read_secret_state(url: DatabaseUrl) -> tuple[str | None, bool]:
    """For `python -m bot check`: the stored fingerprint of ACK_SECRET and whether
    any acknowledgement exists, read without changing anything (no database yet:
    nothing stored)."""
    if url.scheme == "sqlite":
        from bot.storage import sqlite

        return sqlite.read_secret_state(url.sqlite_path)
    if url.scheme == "postgresql":
        from bot.storage import postgres

        return postgres.read_secret_state(url)
    raise _not_supported(url)


# PostgreSQL has its own tools for consistent copies of a live database.
PG_BACKUP_ADVICE = (
    "on PostgreSQL, back up with PostgreSQL's own tools: pg_dump --format=custom "
    "--file=metoo.dump DBNAME while the bot runs, and pg_restore --clean "
    "--dbname=DBNAME metoo.dump with the bot stopped (see deploy/README.md)"
)


def backup_database(url: DatabaseUrl, target: Path) -> str:
    """For `python -m bot backup`: a consistent copy of the database in the new
    file `target` (mode 0600), even while the bot runs; one line saying what was
    written, or StorageError."""
    if url.scheme == "sqlite":
        from bot.storage.sqlite import backup

        return backup.backup(url.sqlite_path, target)
    if url.scheme == "postgresql":
        raise StorageError(PG_BACKUP_ADVICE)
    raise _not_supported(url)


def restore_database(url: DatabaseUrl, source: Path) -> str:
    """For `python -m bot restore`: replace the database with the backup `source`,
    refused while anything (the bot) has the database open or when the backup is
    not a database of this program at a schema it knows; one line, or StorageError."""
    if url.scheme == "sqlite":
        from bot.storage.sqlite import backup

        return backup.restore(url.sqlite_path, source)
    if url.scheme == "postgresql":
        raise StorageError(PG_BACKUP_ADVICE)
    raise _not_supported(url)
