"""The PostgreSQL backend (DATABASE_URL=postgresql://...): an asyncpg pool,
numbered migrations with the numbers and meaning of SQLite's, applied under
an advisory lock, durable commits, VACUUM after deletions.

Everything PostgreSQL-only (asyncpg and its errors, `$1` placeholders,
advisory locks, VACUUM) stays inside this folder.
"""

from __future__ import annotations

from bot.storage.cache import Caches
from bot.storage.postgres.acks import AckStore, read_secret_state
from bot.storage.postgres.backend import Database, inspect_database
from bot.storage.postgres.communities import CommunityStore
from bot.storage.postgres.coordination import CoordinationStore
from bot.storage.postgres.meta import MetaStore
from bot.storage.url import DatabaseUrl

__all__ = ["Database", "inspect_database", "read_secret_state", "stores_at"]


def stores_at(url: DatabaseUrl) -> tuple[
    Database, MetaStore, CommunityStore, AckStore, CoordinationStore
]:
    """The backend and the stores of the PostgreSQL database at `url` (not opened yet)."""
    db, caches = Database(url), Caches()
    return (db, MetaStore(db), CommunityStore(db, caches), AckStore(db, caches),
            CoordinationStore(db))
