"""Every store on a real database, SQLite and PostgreSQL alike: settings (and
their cache), resources, forgetting a community, transactions."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.storage import CommunityResource, StorageError, Stores
from tests.support.backends import TestDatabase

pytestmark = pytest.mark.both_backends

# The schema refused a value: sqlite3's IntegrityError, or one of asyncpg's
# IntegrityConstraintViolationError (CheckViolationError, ForeignKeyViolationError).
REFUSED = r"IntegrityError|ViolationError"


@pytest.fixture
async def storage(database: TestDatabase) -> AsyncIterator[Stores]:
    s = database.stores()
    await s.open()
    yield s
    await s.close()


async def test_meta_round_trip(storage: Stores) -> None:
    assert await storage.meta.get("k") is None
    await storage.meta.set("k", "1")
    await storage.meta.set("k", "2")
    assert await storage.meta.get("k") == "2"


async def test_community_settings_defaults_and_updates(storage: Stores) -> None:
    fresh = await storage.communities.settings(1)
    assert fresh.country is None and fresh.threshold == 10
    assert not fresh.acknowledgements_enabled
    await storage.communities.update(1, country="GB")
    updated = await storage.communities.update(1, acknowledgements_enabled=True, threshold=15)
    assert updated.country == "GB"
    assert updated.acknowledgements_enabled and updated.threshold == 15
    assert (await storage.communities.settings(2)).country is None
    with pytest.raises(ValueError):
        await storage.communities.update(1, colour="red")
    # The schema itself refuses a threshold below 5.
    with pytest.raises(StorageError, match=REFUSED):
        await storage.communities.update(1, threshold=4)
    assert (await storage.communities.settings(1)).threshold == 15


async def test_the_language_of_public_posts_is_a_setting_of_the_community(
    storage: Stores,
) -> None:
    """/config language: a shipped locale, None for auto; forgotten with the community."""
    assert (await storage.communities.settings(1)).language is None
    assert (await storage.communities.update(1, language="pl")).language == "pl"
    assert (await storage.communities.update(1, country="PL")).language == "pl"
    assert (await storage.communities.update(1, language=None)).language is None
    await storage.communities.update(1, language="es-419")
    await storage.communities.forget(1)
    assert (await storage.communities.settings(1)).language is None


def resource(guild_id: int, name: str) -> CommunityResource:
    return CommunityResource(guild_id, name, "desc", "https://example.org", None, "2026-11-28")


async def test_resources_refuse_duplicates_and_respect_the_limit(storage: Stores) -> None:
    c = storage.communities
    assert await c.add_resource(resource(1, "Campus Help"), limit=2)
    assert not await c.add_resource(resource(1, "campus help"), limit=2)
    assert await c.add_resource(resource(1, "Union"), limit=2)
    assert not await c.add_resource(resource(1, "Third"), limit=2)
    assert [r.name for r in await c.resources(1)] == ["Campus Help", "Union"]
    assert await c.remove_resource(1, "CAMPUS HELP")
    assert not await c.remove_resource(1, "Campus Help")
    assert [r.name for r in await c.resources(1)] == ["Union"]


async def test_forget_deletes_one_community_everywhere(
    storage: Stores, database: TestDatabase
) -> None:
    c = storage.communities
    for guild_id in (1, 2):
        await c.update(guild_id, country="DE")
        await c.add_resource(resource(guild_id, "R"), limit=25)
        await database.execute(
            storage, "INSERT INTO acknowledgements VALUES (?, ?, 1, '2026-11-28')",
            guild_id, bytes(32))
    assert await c.known_ids() == {1, 2}
    assert await c.forget(1) == 3
    assert await c.known_ids() == {2}
    assert (await c.settings(2)).country == "DE"
    assert await c.forget(2, unless=lambda: True) == 0  # asked inside the transaction
    assert await c.known_ids() == {2}
    assert await c.forget_absent(lambda guild_id: guild_id == 3) == 1
    assert await c.known_ids() == set()


async def test_transaction_rolls_back_on_error(storage: Stores) -> None:
    with pytest.raises(RuntimeError):
        async with storage.backend.transaction() as tx:
            await tx.execute("INSERT INTO meta VALUES ('a', 'b')")
            raise RuntimeError
    assert await storage.meta.get("a") is None


async def test_a_failing_commit_rolls_back_and_the_next_transaction_works(
    storage: Stores,
) -> None:
    db = storage.backend
    await db.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
    await db.execute("CREATE TABLE child (pid INTEGER REFERENCES parent (id) "
                     "DEFERRABLE INITIALLY DEFERRED)")
    with pytest.raises(StorageError, match=REFUSED):  # raised by COMMIT, not by the INSERT
        async with db.transaction() as tx:
            await tx.execute("INSERT INTO child VALUES (42)")
            await tx.execute("INSERT INTO meta VALUES ('half', 'written')")  # no parameters
    assert await storage.meta.get("half") is None  # nothing half-written
    await storage.meta.set("after", "ok")  # and the connection recovered
    assert await storage.meta.get("after") == "ok"


async def test_cached_settings_never_outlive_a_write(storage: Stores) -> None:
    c = storage.communities
    assert (await c.settings(1)).country is None  # now cached
    for country in ("GB", "DE", "FR"):
        reads = [asyncio.create_task(c.settings(1)) for _ in range(3)]
        await c.update(1, country=country)
        await asyncio.gather(*reads)
        assert (await c.settings(1)).country == country
    await c.forget(1)
    assert (await c.settings(1)).country is None


async def test_closing_right_after_a_deletion_does_not_hang(database: TestDatabase) -> None:
    """A deletion wakes the background task (checkpoint or VACUUM) just as close()
    cancels it: `python -m bot reconcile` and a shutdown right after a removal
    do exactly this, and must end."""
    for _ in range(3):
        storage = database.stores()
        await storage.open()
        await storage.communities.update(7, country="GB")
        await storage.communities.forget(7)
        await asyncio.wait_for(storage.close(), 10)
