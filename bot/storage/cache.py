"""The stores' one cache policy, the same for every backend.

What most interactions read is kept in memory: a community's settings, and the
day's count figures (each community's and the total across communities).
The policy, for both:

- a value is loaded on first use and kept until a write of the store that
  changes it drops it (settings: update, forget; counts: the day's snapshot,
  forget, a community's deletion);
- a read that overlapped such a write is not kept (it may hold the old value);
- this is safe because each community is served by one process (one shard owns
  a guild), so no other process changes its settings behind this one's back;
  and the figures of a day, once taken, never change that day: a count whose
  snapshot is of the day asked for is kept for the day. Before the day's
  snapshot is taken (it may be taken by another process) the latest earlier
  figures are what the database says: they are kept for at most
  RECHECK_SECONDS (the daily job's own pace), so a new day's figures show at
  most that long after they were taken, and the daily job's long count of
  every row makes no answer wait for a read.

Nothing here imports discord or a driver.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from bot.storage.records import CommunitySettings, DayCounts

# How long figures older than the day asked for are kept (see above). Read at
# each use, so a test may change it.
RECHECK_SECONDS = 60.0

K = TypeVar("K")
V = TypeVar("V")


class Cached(Generic[K, V]):
    """Values by key under the policy above."""

    def __init__(self) -> None:
        self._values: dict[K, V] = {}
        self._writes = 0  # bumped by every drop: a read that overlapped one is not kept

    async def load(self, key: K, read: Callable[[], Awaitable[V]],
                   valid: Callable[[V], bool] | None = None) -> V:
        """The value of `key`: from memory when there is one (that `valid`, if
        given, accepts), else read, and kept unless a write overlapped the read
        or `valid` refuses it."""
        value = self._values.get(key)
        if value is not None and (valid is None or valid(value)):
            return value
        writes = self._writes
        value = await read()
        if writes == self._writes and (valid is None or valid(value)):
            self._values[key] = value
        return value

    def drop(self, key: K) -> None:
        self._writes += 1
        self._values.pop(key, None)

    def clear(self) -> None:
        self._writes += 1
        self._values.clear()


@dataclass(frozen=True)
class _Counts:
    counts: DayCounts
    read_at: float  # time.monotonic() of the read


@dataclass(eq=False)
class Caches:
    """The caches of one database, shared by its stores (a community's deletion
    in the community store drops its counts in the acknowledgement store)."""

    settings: Cached[int, CommunitySettings] = field(default_factory=Cached)
    counts: Cached[int, _Counts] = field(default_factory=Cached)

    async def day_counts(self, guild_id: int, day: str,
                         read: Callable[[], Awaitable[DayCounts]]) -> DayCounts:
        """A community's figures for `day` (with the total), under the policy
        above; `read` reads them from the database."""
        now = time.monotonic()

        def valid(kept: _Counts) -> bool:
            taken = kept.counts.day
            if taken == day:
                return True  # the day's own figures: final for the day
            return (taken is None or taken < day) and now - kept.read_at < RECHECK_SECONDS

        async def read_now() -> _Counts:
            return _Counts(await read(), time.monotonic())

        return (await self.counts.load(guild_id, read_now, valid)).counts

    def forget_community(self, guild_id: int) -> None:
        """Drop everything kept about a community (it is being deleted)."""
        self.settings.drop(guild_id)
        self.counts.drop(guild_id)

    def new_snapshot(self) -> None:
        """The day's figures were just stored: the counts of earlier days go."""
        self.counts.clear()
