"""Leaving, start-up reconciliation and the daily job.

- GUILD_DELETE for a community the bot was removed from (not an outage:
  discord.py reports `unavailable` guilds as on_guild_unavailable) deletes
  every row of that community.
- After READY, communities the bot is no longer in (it may have been offline
  when it was removed) are deleted; one that joins meanwhile is kept.
- At start-up and once a UTC day (by `bot.clock()`): retention folds rows older
  than ACK_RETENTION_DAYS into the anonymous tally, then the day's figures of
  the counts are taken, once a day.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import date
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from bot.features.lifecycle.rules import handled_here
from bot.features.metoo import (
    CommunityTotal,
    day_figures,
    day_text,
    noise_key,
    retention_cutoff,
)
from bot.kit.cog import FeatureCog
from bot.storage import StorageError

if TYPE_CHECKING:
    from bot.app import MetooBot

log = logging.getLogger("bot.lifecycle")

# How long shutting down waits for a start-up reconciliation in flight.
RECONCILE_GRACE_SECONDS = 1.0


class Lifecycle(FeatureCog):
    # How often the daily job checks whether the UTC day changed (seconds).
    poll_seconds: float = 60.0

    def __init__(self, bot: MetooBot) -> None:
        super().__init__(bot)
        self.last_maintenance: date | None = None
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        # A reconciliation that failed (database locked or read-only) is retried at
        # each poll until it succeeds, so a removed community's rows do not wait
        # for the next restart.
        self.reconcile_pending = False
        self._closing = False
        self._reconciling: asyncio.Task[Any] | None = None

    async def cog_load(self) -> None:
        await self.run_maintenance()  # at start-up, before the gateway connects
        self._task = asyncio.create_task(self._daily(), name="daily-maintenance")

    async def cog_unload(self) -> None:
        # Unloaded by bot.close(), before the database is closed: let a
        # reconciliation in flight finish (milliseconds) rather than fail on a
        # closed database; past a second, cancel it (its transaction rolls back)
        # so that shutting down stays quick.
        self._closing = True
        reconciling = self._reconciling
        if reconciling is not None:
            await asyncio.wait({reconciling}, timeout=RECONCILE_GRACE_SECONDS)
            reconciling.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reconciling
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    # ------------------------------------------------------------ daily job
    async def run_maintenance(self) -> bool:
        """Retention, then the figures of the day. True if both were done."""
        today = self.today()
        retention_days = self.settings.ack_retention_days
        cutoff = retention_cutoff(today, retention_days)
        try:
            folded = await self.storage.acks.fold_expired(day_text(cutoff))
            taken = await self.take_snapshot(today)
        except StorageError as exc:
            log.warning("daily maintenance failed (%s); retrying later", type(exc).__name__)
            return False
        self.last_maintenance = today
        log.info("daily maintenance done: %d expired acknowledgement(s) folded into tallies, "
                 "%s", folded, "counts snapshotted" if taken else "the day's counts kept")
        return True

    async def take_snapshot(self, today: date) -> bool:
        """The day's figures of the counts, taken once: a restart the same day
        keeps them. Without ACK_SECRET nothing is shown, so nothing is taken.
        The noise (some HMACs per community) is drawn off the event loop."""
        secret = self.settings.ack_secret
        day = day_text(today)
        if secret is None or await self.storage.acks.has_snapshot(day):
            return False
        totals = [CommunityTotal(c.guild_id, c.total, c.enabled, c.threshold)
                  for c in await self.storage.acks.start_of_day(day)]
        figures = await asyncio.to_thread(
            day_figures, noise_key(secret.reveal()), today, totals)
        return bool(await self.storage.acks.store_snapshots(
            day, figures.communities, figures.everywhere))

    def wake(self) -> None:
        """Check the day now rather than at the next poll."""
        self._wake.set()

    async def _daily(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll_seconds)
            self._wake.clear()
            try:
                if self.today() != self.last_maintenance:
                    await self.run_maintenance()
                if self.reconcile_pending and self.bot.is_ready():
                    await self.reconcile()
            except Exception as exc:  # keep the job alive; it retries at the next poll
                log.error("daily maintenance crashed: %s", type(exc).__name__)

    # ------------------------------------------------------- leaving
    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        """The bot was kicked, banned or left, or the community was deleted."""
        try:
            await self.storage.communities.forget(guild.id)
        except StorageError as exc:
            # Start-up reconciliation deletes it next time.
            log.warning("could not delete a removed community's data: %s", type(exc).__name__)
            return
        log.info("deleted the data of a community the bot was removed from")

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        if self._closing:
            return
        self._reconciling = asyncio.current_task()
        try:
            await self.reconcile()
        finally:
            self._reconciling = None

    async def reconcile(self) -> int:
        """Delete the rows of communities this process should be in but is not.
        Unavailable communities (an outage) are still in bot.guilds and keep
        their data. With several shard processes, only this process's shards
        are judged. Whether the bot is in a community is looked up at the moment
        its rows would be deleted, never from a list taken earlier: a community
        that joins while this runs (just after READY) keeps its rows."""
        def keep(guild_id: int) -> bool:
            return self.bot.get_guild(guild_id) is not None or not self._is_ours(guild_id)

        try:
            gone = await self.storage.communities.forget_absent(keep)
        except (StorageError, ValueError) as exc:  # ValueError: closed while shutting down
            log.warning("start-up reconciliation failed (%s); retrying later", type(exc).__name__)
            self.reconcile_pending = True
            return 0
        self.reconcile_pending = False
        if gone:
            log.info("deleted the data of %d community(ies) the bot is no longer in", gone)
        return gone

    def _is_ours(self, guild_id: int) -> bool:
        """Whether this process is responsible for the community (its shard)."""
        if isinstance(self.bot, discord.AutoShardedClient):
            shard_ids = self.bot.shard_ids  # None: this process runs every shard
        else:
            shard_ids = None if self.bot.shard_id is None else [self.bot.shard_id]
        return handled_here(guild_id, self.bot.shard_count, shard_ids)

async def setup(bot: MetooBot) -> None:
    await bot.add_cog(Lifecycle(bot))
