"""The SQLite backend: one file, one aiosqlite connection, numbered migrations.

Everything SQLite-only (PRAGMAs, `user_version`, WITHOUT ROWID, GLOB, sqlite3's
errors) stays inside this folder.
"""

from __future__ import annotations

from pathlib import Path

from bot.storage.cache import Caches
from bot.storage.sqlite.acks import AckStore, read_secret_state
from bot.storage.sqlite.backend import Database, inspect_database
from bot.storage.sqlite.communities import CommunityStore
from bot.storage.sqlite.coordination import CoordinationStore
from bot.storage.sqlite.meta import MetaStore

__all__ = ["Database", "inspect_database", "read_secret_state", "stores_at"]


def stores_at(path: Path) -> tuple[
    Database, MetaStore, CommunityStore, AckStore, CoordinationStore
]:
    """The backend and the stores of the SQLite file at `path` (not opened yet)."""
    db, caches = Database(path), Caches()
    return (db, MetaStore(db), CommunityStore(db, caches), AckStore(db, caches),
            CoordinationStore(db))
