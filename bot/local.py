"""Run the real bot in this process against a local Discord emulator.

Used by the tests, and later by the console and the benchmark: the same
MetooBot, settings and storage as production, only the endpoints differ.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bot.app import MetooBot, configure_endpoints, guard_secret, utc_now
from bot.emulator.server import DiscordEmulator
from bot.settings import LOCAL_ACK_SECRET, Settings, load_settings
from bot.sharding import IDENTIFY_MARGIN_SECONDS
from bot.storage import DatabaseUrl, Stores, open_storage

__all__ = ["LOCAL_ACK_SECRET", "LocalBot", "local_settings", "start_local_bot"]


def database_url_text(database: Path | DatabaseUrl) -> str:
    """DATABASE_URL for an SQLite file, or for any DatabaseUrl (a PostgreSQL one
    with its password: it goes into the settings, never into a message)."""
    if isinstance(database, Path):
        return f"sqlite:///{database}"
    return f"sqlite:///{database.sqlite_path}" if database.scheme == "sqlite" else database.dsn


def local_settings(
    emulator: DiscordEmulator, database: Path | DatabaseUrl,
    env: Mapping[str, str] | None = None,
) -> Settings:
    environ = {
        "DISCORD_TOKEN": emulator.token,
        "ACK_SECRET": LOCAL_ACK_SECRET,
        "DATABASE_URL": database_url_text(database),
        "DISCORD_API_BASE_URL": emulator.api_base,
        "DISCORD_GATEWAY_URL": emulator.gateway_url,
        **(env or {}),
    }
    # local=True: the public LOCAL_ACK_SECRET is accepted here, for a bot that only
    # ever talks to the emulator on this machine; the real program refuses it.
    return load_settings(environ={k: v for k, v in environ.items() if v is not None},
                         env_file=None, local=True)


@dataclass
class LocalBot:
    bot: MetooBot
    storage: Stores
    settings: Settings
    task: asyncio.Task[None]
    stopped: bool = field(default=False)

    async def stop(self) -> None:
        if self.stopped:
            return
        self.stopped = True
        await self.bot.close()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task
        await self.storage.close()


async def start_local_bot(
    emulator: DiscordEmulator,
    database: Path | DatabaseUrl,
    *,
    env: Mapping[str, str] | None = None,
    clock: Callable[[], datetime] = utc_now,
    guild_ready_timeout: float = 0.2,
    timeout: float = 20.0,
) -> LocalBot:
    """Start the bot on `database` (an SQLite file, or any DATABASE_URL) and wait
    until it is ready (logged in, commands synced, connected to the gateway,
    communities received)."""
    settings = local_settings(emulator, database, env)
    configure_endpoints(settings)
    storage = await open_storage(settings.database)
    try:
        await guard_secret(storage, settings)  # as the real program does at start
    except BaseException:
        await storage.close()
        raise
    # guild_ready_timeout is discord.py's own option: how long to wait for more
    # GUILD_CREATEs after READY (2 s by default); short here so tests start fast.
    # The emulator's IDENTIFY window (tests shorten it, or turn it off so that a
    # restart is quick), with the real bot's margin.
    window = emulator.identify_window
    bot = MetooBot(settings, storage, clock=clock, guild_ready_timeout=guild_ready_timeout,
                   identify_window=window + IDENTIFY_MARGIN_SECONDS if window > 0 else 0.0)
    assert settings.token is not None
    task = asyncio.create_task(bot.start(settings.token.reveal().decode()))
    local = LocalBot(bot, storage, settings, task)
    ready = asyncio.create_task(bot.wait_until_ready())
    try:
        done, _ = await asyncio.wait(
            {ready, task}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
        )
    except asyncio.CancelledError:  # e.g. Ctrl+C in the console while starting
        ready.cancel()
        await local.stop()
        raise
    if ready not in done:
        ready.cancel()
        await local.stop()
        if task in done and task.exception() is not None:
            raise task.exception()  # type: ignore[misc]
        raise TimeoutError("the bot did not become ready")
    return local
