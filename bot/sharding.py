"""Shard processes: whether Discord's session starts allow this process to
start, and taking turns with the other processes before each IDENTIFY.

Discord allows `max_concurrency` IDENTIFYs per 5 seconds for a bot, one per
rate-limit key (`shard_id % max_concurrency`), however many processes run its
shards; too early, and the session is invalidated. discord.py spaces the
IDENTIFYs of one process only, so every process takes a slot in a table of the
shared database first. A bot has about 1,000 session starts a day; at zero,
Discord ends every session and resets the token, so a process that would
leave too few does not start. Nothing here imports discord.
"""

from __future__ import annotations

import asyncio
import logging

from bot.storage import CoordinationStore, StorageError

log = logging.getLogger("bot.shards")

# Discord's window is 5 seconds; a slot is taken a moment before the IDENTIFY
# leaves the process, so the next one of the key waits a little longer.
DISCORD_IDENTIFY_WINDOW_SECONDS = 5.0
IDENTIFY_MARGIN_SECONDS = 0.5
IDENTIFY_WINDOW_SECONDS = DISCORD_IDENTIFY_WINDOW_SECONDS + IDENTIFY_MARGIN_SECONDS


class StartRefused(Exception):
    """This process must not start now; the message is one line for the operator."""


def session_start_problem(remaining: int, reset_after_ms: int, own_shards: int,
                          shard_count: int) -> str | None:
    """Why this process may not start, or None. It needs a session start for each
    of its shards, and leaves one for every shard of the bot (each may have to
    IDENTIFY again after a connection is lost)."""
    if remaining >= own_shards + shard_count:
        return None
    minutes = max(0, reset_after_ms) // 60_000
    return (f"Discord allows {remaining} more gateway session starts before its daily "
            f"limit resets in {minutes // 60} h {minutes % 60} min; this process needs "
            f"{own_shards} and keeps {shard_count} for its shards to reconnect, so it does "
            "not start (with none left Discord resets the bot token); start it after the "
            "reset")


def rate_limit_key(shard_id: int, max_concurrency: int) -> int:
    return shard_id % max(1, max_concurrency)


async def wait_for_identify(slots: CoordinationStore, shard_id: int, max_concurrency: int,
                            window: float) -> float:
    """Wait until this shard may IDENTIFY: no IDENTIFY of its rate-limit key, by
    any process, in the last `window` seconds. Returns the seconds waited. If
    the database cannot be asked, wait a whole window (as discord.py would)."""
    key = rate_limit_key(shard_id, max_concurrency)
    waited = 0.0
    while True:
        try:
            wait = await slots.claim_identify(key, window)
        except StorageError as exc:
            log.warning("could not take an IDENTIFY slot (%s); waiting %g s",
                        type(exc).__name__, window)
            await asyncio.sleep(window)
            return waited + window
        if wait <= 0:
            if waited:
                log.info("shard %d waited %.1f s for its turn to identify", shard_id, waited)
            return waited
        await asyncio.sleep(wait)
        waited += wait
