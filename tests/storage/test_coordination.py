"""How shard processes take turns, on both backends: IDENTIFY slots per
rate-limit key, and the lease of each daily job."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.storage import Stores
from tests.support.backends import TestDatabase

BOTH = pytest.mark.both_backends
ONLY_POSTGRES = pytest.mark.parametrize("database", ["postgres"], indirect=True)


@pytest.fixture
async def storage(database: TestDatabase) -> AsyncIterator[Stores]:
    s = database.stores()
    await s.open()
    yield s
    await s.close()


@BOTH
async def test_one_identify_per_rate_limit_key_per_window(storage: Stores) -> None:
    slots = storage.coordination
    assert await slots.claim_identify(0, 5.0) == 0.0
    wait = await slots.claim_identify(0, 5.0)
    assert 4.5 < wait <= 5.0  # the next IDENTIFY of key 0 in about 5 seconds
    assert await slots.claim_identify(1, 5.0) == 0.0  # another key: at once
    assert await slots.claim_identify(0, 0.0) == 0.0  # a window that has passed
    await asyncio.sleep(0.3)
    assert await slots.claim_identify(0, 0.2) == 0.0


@BOTH
async def test_identifies_claimed_at_once_get_one_slot(storage: Stores) -> None:
    waits = await asyncio.gather(*(storage.coordination.claim_identify(3, 5.0)
                                   for _ in range(10)))
    assert sorted(waits)[0] == 0.0 and all(w > 4.0 for w in sorted(waits)[1:])


@ONLY_POSTGRES
async def test_processes_claiming_at_once_get_one_slot_each_window(
    database: TestDatabase,
) -> None:
    processes = [database.stores() for _ in range(4)]
    await asyncio.gather(*(s.open() for s in processes))
    try:
        waits = await asyncio.gather(*(s.coordination.claim_identify(0, 5.0)
                                       for s in processes for _ in range(3)))
        assert waits.count(0.0) == 1
        assert database.rows("gateway_identify")[0][0] == 0
    finally:
        await asyncio.gather(*(s.close() for s in processes))


@BOTH
async def test_a_daily_job_runs_in_one_process_and_once(storage: Stores) -> None:
    jobs = storage.coordination
    assert await jobs.claim_job("snapshot", "2026-03-10", "host-a 1", 60) == "mine"
    assert await jobs.claim_job("snapshot", "2026-03-10", "host-b 2", 60) == "held"
    assert await jobs.claim_job("snapshot", "2026-03-10", "host-a 1", 60) == "mine"  # retry
    assert await jobs.claim_job("retention", "2026-03-10", "host-b 2", 60) == "mine"
    assert not await jobs.finish_job("snapshot", "2026-03-10", "host-b 2")
    assert await jobs.finish_job("snapshot", "2026-03-10", "host-a 1")
    assert await jobs.claim_job("snapshot", "2026-03-10", "host-b 2", 60) == "done"
    assert await jobs.claim_job("snapshot", "2026-03-10", "host-a 1", 60) == "done"


@BOTH
async def test_an_expired_lease_is_taken_over_unless_done(
    storage: Stores, database: TestDatabase
) -> None:
    jobs = storage.coordination
    assert await jobs.claim_job("snapshot", "2026-03-10", "crashed 1", 0.1) == "mine"
    assert await jobs.claim_job("snapshot", "2026-03-10", "other 2", 60) == "held"
    await asyncio.sleep(0.2)  # the first process died holding it
    assert await jobs.claim_job("snapshot", "2026-03-10", "other 2", 60) == "mine"
    assert not await jobs.finish_job("snapshot", "2026-03-10", "crashed 1")
    assert await jobs.finish_job("snapshot", "2026-03-10", "other 2")
    await asyncio.sleep(0.1)
    assert await jobs.claim_job("snapshot", "2026-03-10", "late 3", 0.05) == "done"
    # The next day's claim drops the earlier days' leases.
    assert await jobs.claim_job("snapshot", "2026-03-11", "late 3", 60) == "mine"
    assert [(r[0], r[1], r[2]) for r in database.rows("job_leases")] == [
        ("snapshot", "2026-03-11", "late 3")]


@ONLY_POSTGRES
async def test_processes_racing_for_a_job_elect_one(database: TestDatabase) -> None:
    processes = [database.stores() for _ in range(5)]
    await asyncio.gather(*(s.open() for s in processes))
    try:
        claims = await asyncio.gather(*(
            s.coordination.claim_job("snapshot", "2026-03-10", f"process {n}", 60)
            for n, s in enumerate(processes)))
        assert sorted(claims) == ["held"] * 4 + ["mine"]
    finally:
        await asyncio.gather(*(s.close() for s in processes))
