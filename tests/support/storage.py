"""Storage for tests that use it directly: the stores of an SQLite file, and a
record of the statements a store runs (on either backend)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.storage import DatabaseUrl, Stores, stores_for


def sqlite_stores(path: Path) -> Stores:
    """The stores of the SQLite file at `path`, not opened yet (as the program
    builds them from DATABASE_URL=sqlite:///path)."""
    return stores_for(DatabaseUrl.sqlite(path))


class Statements:
    """Every SQL statement the store's connections run, as one-line text."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, sql: str) -> None:
        self.seen.append(" ".join(sql.split()).rstrip(";"))

    def writes(self) -> list[str]:
        return [s for s in self.seen if s.split()[0].upper() in ("INSERT", "UPDATE", "DELETE",
                                                                   "REPLACE")]


async def trace(storage: Stores) -> Statements:
    """Start recording every statement `storage` runs, on either backend."""
    statements = Statements()
    backend: Any = storage.backend
    if hasattr(backend, "trace"):  # PostgreSQL: every connection of the pool
        await backend.trace(statements)
    else:  # SQLite: its one connection
        await backend._require().set_trace_callback(statements)
    return statements
