"""Storage for tests that use it directly: the stores of an SQLite file."""

from __future__ import annotations

from pathlib import Path

from bot.storage import DatabaseUrl, Stores, stores_for


def sqlite_stores(path: Path) -> Stores:
    """The stores of the SQLite file at `path`, not opened yet (as the program
    builds them from DATABASE_URL=sqlite:///path)."""
    return stores_for(DatabaseUrl.sqlite(path))


class Statements:
    """Every SQL statement the store's connection runs."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, sql: str) -> None:
        self.seen.append(" ".join(sql.split()))

    def writes(self) -> list[str]:
        return [s for s in self.seen if s.split()[0].upper() in ("INSERT", "UPDATE", "DELETE",
                                                                   "REPLACE")]


async def trace(storage: Stores) -> Statements:
    statements = Statements()
    await storage.backend._require().set_trace_callback(statements)
    return statements
