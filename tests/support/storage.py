"""Storage for tests that use it directly: the stores of an SQLite file."""

from __future__ import annotations

from pathlib import Path

from bot.storage import DatabaseUrl, Stores, stores_for


def sqlite_stores(path: Path) -> Stores:
    """The stores of the SQLite file at `path`, not opened yet (as the program
    builds them from DATABASE_URL=sqlite:///path)."""
    return stores_for(DatabaseUrl.sqlite(path))
