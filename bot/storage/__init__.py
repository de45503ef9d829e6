"""Storage: named operations over the embedded SQLite database.

Nothing here imports discord. Features call these methods; no SQL lives
outside this package.
"""

from __future__ import annotations

from pathlib import Path

from bot.storage.acknowledgements import AckRecord, AckStore, DayCounts, StartOfDay
from bot.storage.communities import CommunityResource, CommunitySettings, CommunityStore
from bot.storage.database import Database, StorageError
from bot.storage.meta import MetaStore

__all__ = [
    "AckRecord",
    "CommunityResource",
    "CommunitySettings",
    "DayCounts",
    "StartOfDay",
    "Storage",
    "StorageError",
]


class Storage:
    """Every store over one database. Open it once at start-up, close it at shutdown."""

    def __init__(self, path: Path) -> None:
        self.db = Database(path)
        self.meta = MetaStore(self.db)
        self.communities = CommunityStore(self.db)
        self.acks = AckStore(self.db)

    async def open(self) -> None:
        await self.db.open()

    async def close(self) -> None:
        await self.acks.close()  # commits what is waiting before the connection goes
        await self.db.close()
