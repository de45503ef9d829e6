"""Leaving, start-up reconciliation and the daily jobs.

- GUILD_DELETE for a community the bot was removed from (not an outage:
  discord.py reports `unavailable` guilds as on_guild_unavailable) deletes
  every row of that community. A process hears only its own shards' events.
- Once every shard of this process is READY and no community is unavailable,
  the communities of its shards the bot is no longer in (it may have been
  offline when it was removed) are deleted; one that joins meanwhile is kept.
  More than rules.PURGE_VALVE_SHARE of them at once is refused and logged for
  the operator (`python -m bot reconcile --force`).
- At start-up and once a UTC day (by `bot.clock()`): retention folds rows older
  than ACK_RETENTION_DAYS into the anonymous tally, then the day's figures of
  the counts are taken. Each job runs in one process a day: the one that holds
  its lease (a row that expires, so another process takes over from one that
  died while running it).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from collections.abc import Awaitable, Callable
from datetime import date
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from bot.features.lifecycle.purge import reconcile_communities
from bot.features.lifecycle.rules import PURGE_VALVE_SHARE, handled_here
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
# A daily job's lease: longer than the job ever takes, short enough that another
# process takes over the same day when the holder died while running it.
JOB_LEASE_SECONDS = 600.0


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
        self._reconcile_lock = asyncio.Lock()
        self._waiting_said: str | None = None  # why reconciliation waits, as last logged
        # Who holds a daily job's lease: this machine and process (and a random
        # part, so two bots in one process are two owners). Nothing about a person.
        self.owner = f"{socket.gethostname()[:120]} pid {os.getpid()} {secrets.token_hex(3)}"

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
        """Today's jobs: retention, then the figures of the day, each run by the
        process that holds its lease. True once both ran today, here or in another
        process; False while another process holds one (asked again at the next
        poll) or one failed."""
        today = self.today()
        day = day_text(today)
        cutoff = day_text(retention_cutoff(today, self.settings.ack_retention_days))
        folded = taken = 0

        async def retention() -> None:
            nonlocal folded
            folded = await self.storage.acks.fold_expired(cutoff)

        async def snapshot() -> None:
            nonlocal taken
            taken = await self.take_snapshot(today)

        try:
            outcomes = [await self._run_job("retention", day, retention)]
            # Without ACK_SECRET nothing is shown, so nothing is taken (and the job
            # stays open for a start later that day with a secret).
            if self.settings.ack_secret is not None:
                outcomes.append(await self._run_job("snapshot", day, snapshot))
        except StorageError as exc:
            log.warning("daily maintenance failed (%s); retrying later", type(exc).__name__)
            return False
        if "held" in outcomes:
            log.debug("a daily job of today is running in another process")
            return False
        self.last_maintenance = today
        if "ran" in outcomes:
            log.info("daily maintenance done: %d expired acknowledgement(s) folded into "
                     "tallies, %s", folded,
                     "counts snapshotted" if taken else "the day's counts kept")
        else:
            log.info("today's daily jobs were already done (before a restart, or by another "
                     "process)")
        return True

    async def _run_job(self, job: str, day: str, work: Callable[[], Awaitable[None]]) -> str:
        """"ran" (here), "done" (already, here or elsewhere) or "held" (running elsewhere)."""
        coordination = self.storage.coordination
        claim = await coordination.claim_job(job, day, self.owner, JOB_LEASE_SECONDS)
        if claim != "mine":
            return claim
        await work()
        log.info("the %s job of %s ran in this process", job, day)
        if not await coordination.finish_job(job, day, self.owner):
            log.warning("the %s job outlived its lease; another process may run it again "
                        "(it changes nothing twice)", job)
        return "ran"

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
            # asyncio.timeout, not wait_for, which on Python 3.11 can swallow the
            # cancellation of cog_unload when a wake-up arrives with it.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.poll_seconds):
                    await self._wake.wait()
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
        if not self._is_ours(guild.id):  # another process's shard: its business
            return
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

    @commands.Cog.listener()
    async def on_guild_available(self, guild: discord.Guild) -> None:
        if self.reconcile_pending:
            self.wake()  # perhaps the last unavailable community: try again now

    @commands.Cog.listener()
    async def on_shard_ready(self, shard_id: int) -> None:
        if self.reconcile_pending:
            self.wake()  # a shard that reconnected

    def not_ready_reason(self) -> str | None:
        """Why this process cannot judge which communities it is in yet, or None:
        every shard of this process READY and connected, no community unavailable."""
        if not self.bot.is_ready():
            return "its shards are not all ready"
        closed = sorted(i for i, shard in self.bot.shards.items() if shard.is_closed())
        if closed:
            return f"shard(s) {', '.join(map(str, closed))} not connected"
        unavailable = sum(1 for g in self.bot.guilds if g.unavailable)
        if unavailable:
            return f"{unavailable} community(ies) unavailable (an outage)"
        return None

    async def reconcile(self) -> int:
        """Delete the rows of communities this process should be in but is not,
        once it can tell (not_ready_reason); else it stays pending and is tried
        again when a community becomes available, a shard is ready, or at the
        next poll. Only this process's shards are judged. Whether the bot is in
        a community is looked up at the moment its rows would be deleted, never
        from a list taken earlier: a community that joins while this runs (just
        after READY) keeps its rows."""
        async with self._reconcile_lock:
            waiting = self.not_ready_reason()
            if waiting is not None:
                if waiting != self._waiting_said:
                    log.info("start-up reconciliation waits: %s", waiting)
                self._waiting_said = waiting
                self.reconcile_pending = True
                return 0
            self._waiting_said = None
            try:
                result = await reconcile_communities(
                    self.storage.communities, lambda g: self.bot.get_guild(g) is not None,
                    judged=self._is_ours)
            except (StorageError, ValueError) as exc:  # ValueError: closed while shutting down
                log.warning("start-up reconciliation failed (%s); retrying later",
                            type(exc).__name__)
                self.reconcile_pending = True
                return 0
            self.reconcile_pending = False
            if result.refused:
                log.warning(
                    "start-up reconciliation would delete the data of %d of the %d communities "
                    "this process knows, more than %d%% at once: nothing deleted. If the bot "
                    "really left them, run `python -m bot reconcile --force`", result.absent,
                    result.known, round(PURGE_VALVE_SHARE * 100))
            elif result.deleted:
                log.info("deleted the data of %d community(ies) the bot is no longer in",
                         result.deleted)
            else:
                log.info("start-up reconciliation: the bot is in all %d communities of this "
                         "process's shards that have data", result.known)
            return result.deleted

    def _is_ours(self, guild_id: int) -> bool:
        """Whether this process is responsible for the community (its shard)."""
        return handled_here(guild_id, self.bot.shard_count, self.bot.shard_ids)


async def setup(bot: MetooBot) -> None:
    await bot.add_cog(Lifecycle(bot))
