"""Community settings and resources, and forgetting a community entirely
(the same behaviour as bot/storage/sqlite/communities.py)."""

from __future__ import annotations

import functools
from collections.abc import Callable

from bot.storage.cache import Caches
from bot.storage.postgres.backend import Database
from bot.storage.records import (
    COMMUNITY_TABLES,
    SETTING_NAMES,
    CommunityResource,
    CommunitySettings,
)


class CommunityStore:
    def __init__(self, db: Database, caches: Caches | None = None) -> None:
        self._db = db
        # Settings are read on most interactions and change only through this
        # store: kept in memory under the stores' one policy (bot/storage/cache.py).
        self._caches = caches or Caches()

    async def settings(self, guild_id: int) -> CommunitySettings:
        return await self._caches.settings.load(
            guild_id, lambda: self._read_settings(guild_id))

    def _invalidate(self, guild_id: int) -> None:
        self._caches.settings.drop(guild_id)

    async def _read_settings(self, guild_id: int) -> CommunitySettings:
        row = await self._db.fetchone(
            f"SELECT {', '.join(SETTING_NAMES)} FROM community_settings WHERE guild_id = $1",
            guild_id,
        )
        if row is None:
            return CommunitySettings(guild_id)
        return CommunitySettings(guild_id, **dict(zip(SETTING_NAMES, row, strict=True)))

    async def update(self, guild_id: int, **changes: object) -> CommunitySettings:
        """Set some settings of a community; the others keep their values."""
        unknown = set(changes) - set(SETTING_NAMES)
        if unknown or not changes:
            raise ValueError(f"unknown settings: {sorted(unknown)}")
        columns = list(changes)  # names checked against SETTING_NAMES above
        values = [bool(v) if c == "acknowledgements_enabled" else v for c, v in changes.items()]
        self._invalidate(guild_id)
        async with self._db.transaction() as tx:
            await tx.execute(
                f"INSERT INTO community_settings (guild_id, {', '.join(columns)}) "
                f"VALUES ($1, {', '.join(f'${i}' for i in range(2, len(columns) + 2))}) "
                f"ON CONFLICT (guild_id) DO UPDATE SET "
                + ", ".join(f"{c} = excluded.{c}" for c in columns),
                guild_id, *values,
            )
        self._invalidate(guild_id)
        return await self.settings(guild_id)

    async def resources(self, guild_id: int) -> list[CommunityResource]:
        rows = await self._db.fetchall(
            "SELECT guild_id, name, description, url, phone, added_on FROM community_resources "
            "WHERE guild_id = $1 ORDER BY added_on, name_key",
            guild_id,
        )
        return [CommunityResource(*row) for row in rows]

    async def add_resource(self, resource: CommunityResource, limit: int) -> bool:
        """Add a resource unless its name is taken or the community has `limit`.
        Returns False (and changes nothing) when refused."""
        async with self._db.transaction() as tx:
            # Another process could add one to the same community at the same
            # moment: the community's lock makes the count and the insert one step.
            await tx.execute("SELECT pg_advisory_xact_lock($1)", resource.guild_id)
            row = await tx.fetchone(
                "SELECT count(*) FROM community_resources WHERE guild_id = $1",
                resource.guild_id,
            )
            assert row is not None
            if row[0] >= limit:
                return False
            changed = await tx.execute(
                "INSERT INTO community_resources "
                "(guild_id, name_key, name, description, url, phone, added_on) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
                resource.guild_id,
                resource.name.casefold(),
                resource.name,
                resource.description,
                resource.url,
                resource.phone,
                resource.added_on,
            )
            return changed == 1

    async def remove_resource(self, guild_id: int, name: str) -> bool:
        changed = await self._db.execute(
            "DELETE FROM community_resources WHERE guild_id = $1 AND name_key = $2",
            guild_id, name.casefold(),
        )
        return changed > 0

    async def forget(self, guild_id: int, *, unless: Callable[[], bool] | None = None) -> int:
        """Delete every row of a community in every table; returns rows deleted.
        `unless` is asked inside the transaction, holding this process's writes
        (every write of this process waits for it): when it says True, nothing is
        deleted. Afterwards the acknowledgements are vacuumed, off this path."""
        deleted = 0
        self._caches.forget_community(guild_id)
        async with self._db.transaction() as tx:
            if unless is not None and unless():
                return 0
            for table in COMMUNITY_TABLES:
                deleted += await tx.execute(f"DELETE FROM {table} WHERE guild_id = $1", guild_id)
        self._caches.forget_community(guild_id)
        if deleted:
            self._db.after_delete()
        return deleted

    async def known_ids(self) -> set[int]:
        """Communities that have any row anywhere."""
        union = " UNION ".join(f"SELECT guild_id FROM {table}" for table in COMMUNITY_TABLES)
        return {int(row[0]) for row in await self._db.fetchall(union)}

    async def forget_absent(self, present: Callable[[int], bool]) -> int:
        """Start-up reconciliation: forget the communities for which `present`
        says False, asked for each at the moment of deleting it (see forget).
        Returns the number of communities forgotten."""
        forgotten = 0
        for guild_id in sorted(await self.known_ids()):
            if present(guild_id):
                continue
            if await self.forget(guild_id, unless=functools.partial(present, guild_id)):
                forgotten += 1
        return forgotten
