"""The bot: wires settings, storage, features, the error handler and command sync."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import hashlib
import json
import logging
import signal
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import discord
import yarl
from discord import app_commands
from discord.ext import commands

from bot import sharding
from bot.features.metoo import secret_fingerprint, secret_problem, secret_verdict
from bot.health import HealthServer
from bot.i18n.catalogs import CatalogError, load_translator
from bot.i18n.commands import CommandTranslator
from bot.i18n.reviews import ManifestError
from bot.i18n.translator import Translator
from bot.kit import custom_ids, fallback
from bot.kit.checks import fit_to_installs
from bot.kit.respond import finished, report_failure
from bot.metrics import Metrics
from bot.settings import Settings
from bot.sharding import StartRefused, session_start_problem, wait_for_identify
from bot.storage import StorageError, Stores, open_storage

log = logging.getLogger("bot")

# Loaded in this order at start-up: the module of each feature that has
# `async def setup(bot)`. A feature package's is its cog module
# (`bot.features.<name>.cog`); features not yet moved into a package are one module.
FEATURES: tuple[str, ...] = (
    "bot.features.help.cog",
    "bot.features.history.cog",
    "bot.features.hotlines.cog",
    "bot.features.resources.cog",
    "bot.features.config.cog",
    "bot.features.lifecycle.cog",
    "bot.features.metoo.cog",
    "bot.features.privacy.cog",
)

SYNC_HASH_KEY = "command_sync_hash"


def utc_now() -> datetime:
    return datetime.now(UTC)


class SecretChanged(Exception):
    """ACK_SECRET is not the one the stored acknowledgements were made with; the
    message is the one line the operator reads (it never holds the secret)."""


async def guard_secret(storage: Stores, settings: Settings) -> None:
    """At start: refuse a secret that would orphan stored acknowledgements (nobody
    could withdraw or export them, and /privacy mydata would say nothing is held),
    and remember the fingerprint of a secret that orphans nothing."""
    stored, has_rows = await storage.acks.secret_state()
    secret = settings.ack_secret
    current = None if secret is None else secret_fingerprint(secret.reveal())
    verdict = secret_verdict(stored, current, has_rows)
    problem = secret_problem(verdict)
    if problem is not None:
        raise SecretChanged(problem)
    # A read-only database starts degraded: the fingerprint is recorded at the
    # first start that can write (the check above needs only a read).
    if verdict == "record" and current is not None and storage.degraded_reason is None:
        await storage.acks.record_secret(current)


def configure_endpoints(settings: Settings) -> None:
    """Point discord.py at DISCORD_API_BASE_URL and DISCORD_GATEWAY_URL.

    Route.BASE carries every REST, interaction and webhook call; a plain Bot
    connects to DEFAULT_GATEWAY without asking /gateway/bot.
    """
    discord.http.Route.BASE = settings.api_base_url
    if settings.gateway_url is not None:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.gateway_url)


# The bot never joins voice; discord.py would warn at every start that voice
# libraries are missing, which reads like a problem to an operator.
discord.VoiceClient.warn_nacl = False
discord.VoiceClient.warn_dave = False


def shipped_translator(settings: Settings) -> Translator:
    """The shipped catalogs, with the sensitive texts TRANSLATIONS allows. A
    catalog that cannot be read leaves the bot in English (said once, loudly):
    an answer in English beats no answer; `python -m bot check` names the file."""
    try:
        return load_translator(settings.translations)
    except (CatalogError, ManifestError) as exc:
        log.error("the translations could not be loaded, answering in English: %s", exc)
        return Translator()


class MetooTree(app_commands.CommandTree):
    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError, /
    ) -> None:
        await report_failure(interaction, error)
        finished(interaction)


class MetooBot(commands.AutoShardedBot):
    """The bot. Features reach what it holds through FeatureCog (bot.kit.cog):
    `settings` (the operator's, frozen), `storage` (the stores), `translator`
    (every user-facing text), `clock` (an aware UTC now; tests replace it) and
    `tag_key` (the key of custom-id tags, bot.kit.custom_ids; never logged).

    One process runs the shards SHARD_IDS of SHARD_COUNT (all of Discord's
    recommended count by default); several processes share one PostgreSQL.
    With HEALTH_PORT set it also has `metrics` and serves them (bot/health.py)
    from its login until `close`."""

    settings: Settings
    storage: Stores
    translator: Translator
    clock: Callable[[], datetime]
    tag_key: bytes

    def __init__(
        self,
        settings: Settings,
        storage: Stores,
        *,
        clock: Callable[[], datetime] = utc_now,
        translator: Translator | None = None,
        force_sync: bool = False,
        connects: bool = True,
        identify_window: float | None = None,
        **options: Any,
    ) -> None:
        if settings.shard_ids is not None:  # else every shard of the count
            options["shard_ids"] = list(settings.shard_ids)
        # Observed only when someone can read them: the health server is on.
        metrics = Metrics() if settings.health_port is not None else None
        if metrics is not None:
            options.setdefault("http_trace", metrics.trace_config())
        intents = discord.Intents.none()
        intents.guilds = True  # GUILD_CREATE/DELETE only: no privileged intent, no messages
        super().__init__(
            command_prefix=commands.when_mentioned,  # unused: the bot reads no messages
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
            tree_cls=MetooTree,
            shard_count=settings.shard_count,
            **options,
        )
        self.settings = settings
        self.storage = storage
        self.translator = translator or shipped_translator(settings)
        self.clock = clock
        self.force_sync = force_sync
        self.metrics = metrics
        self.health: HealthServer | None = None
        if metrics is not None:
            metrics.attach(self)
        self.synced: bool | None = None  # whether start-up sent a sync (for tests and logs)
        # Whether this bot will connect to the gateway (not `python -m bot sync`):
        # then start-up checks the session starts and settles the shard count.
        self.connects = connects
        # Between IDENTIFYs of one rate-limit key (the constant is read here, so a
        # test program can shorten it along with its emulator's window).
        self.identify_window = (sharding.IDENTIFY_WINDOW_SECONDS if identify_window is None
                                else identify_window)
        self.max_concurrency = 1  # Discord's, read at start-up
        # Key of the tags on custom ids that carry state (bot.kit.custom_ids); never logged.
        self.tag_key = custom_ids.derive_key(
            settings.ack_secret.reveal() if settings.ack_secret else None,
            settings.token.reveal() if settings.token else None,
        )
        fallback.install(self)  # one answer for a press that nothing answers

    def clear(self) -> None:
        super().clear()  # discord.py builds a fresh view store here
        fallback.install(self)

    async def setup_hook(self) -> None:
        if self.connects:
            await self.plan_shards()  # refuses before anything is loaded or synced
        if self.metrics is not None and self.health is None:
            # First: /healthz answers while the commands sync and the gateway connects.
            health = HealthServer(self, self.metrics, self.settings.health_host,
                                  self.settings.health_port or 0)
            await health.start()
            self.health = health
        await self.tree.set_translator(CommandTranslator(self.translator))
        for feature in FEATURES:
            await self.load_extension(feature)
        # Installs to a person's account only where the Developer Portal allows them.
        app = self.application
        fit_to_installs(self.tree, app is not None and app.user_integration_config is not None)
        if self.shard_ids is None or 0 in self.shard_ids or self.force_sync:
            self.synced = await self.sync_commands(force=self.force_sync)
        else:  # several processes: one sync is enough, and Discord rate-limits them
            log.info("commands are synced by the process that runs shard 0")
        # Everything loaded so far (the hotline directory, the history, country and
        # phone-number metadata) lives as long as the process. Moving it out of the
        # garbage collector's reach keeps full collections short under load.
        gc.collect()
        gc.freeze()

    async def plan_shards(self) -> None:
        """Ask Discord (GET /gateway/bot) for its shard count, when SHARD_COUNT is
        auto, for max_concurrency, and for the session starts left today;
        StartRefused when too few are left. One call for all three (discord.py's
        fetch_session_start_limits makes the same call and keeps only the limits)."""
        recommended, _, limits = await self.http.get_bot_gateway()
        if self.shard_count is None:
            self.shard_count = recommended
        own = len(self.shard_ids) if self.shard_ids is not None else self.shard_count
        self.max_concurrency = max(1, int(limits.get("max_concurrency", 1)))
        problem = session_start_problem(limits["remaining"], limits["reset_after"], own,
                                        self.shard_count)
        if problem is not None:
            raise StartRefused(problem)
        log.info("running %s of %d shard(s); max_concurrency %d; %d session starts left today",
                 "all" if self.shard_ids is None else f"{own}", self.shard_count,
                 self.max_concurrency, limits["remaining"])

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Before each IDENTIFY, of the first shard too: a turn of its rate-limit
        key, shared with every process (discord.py's own wait spaces one process's
        IDENTIFYs only, and never the first)."""
        await wait_for_identify(self.storage.coordination, shard_id or 0,
                                     self.max_concurrency, self.identify_window)

    def _sync_target(self) -> discord.Object | None:
        if self.settings.dev_guild_id is None:
            return None
        guild = discord.Object(self.settings.dev_guild_id)
        self.tree.copy_global_to(guild=guild)
        return guild

    async def command_digest(self, guild: discord.Object | None) -> str:
        """A digest of exactly what a sync would send: the command definitions with
        their translations (a changed catalog must sync too)."""
        translator = self.tree.translator
        commands_ = self.tree.get_commands(guild=guild)
        definitions = [
            await c.get_translated_payload(self.tree, translator) if translator
            else c.to_dict(self.tree)
            for c in commands_
        ]
        blob = json.dumps(
            {
                "target": guild.id if guild else "global",
                "application": self.application_id,
                "commands": definitions,
            },
            sort_keys=True,
        )
        return hashlib.sha256(blob.encode()).hexdigest()

    async def sync_commands(self, *, force: bool = False) -> bool:
        """Sync the command definitions, but only when they changed since the last
        sync (Discord rate-limits syncs, and they are slow to propagate)."""
        guild = self._sync_target()
        digest = await self.command_digest(guild)
        if not force and await self.storage.meta.get(SYNC_HASH_KEY) == digest:
            log.info("commands unchanged since the last sync; not syncing")
            return False
        synced = await self.tree.sync(guild=guild)
        try:
            await self.storage.meta.set(SYNC_HASH_KEY, digest)
        except StorageError as exc:  # e.g. read-only at start-up: the bot still runs
            log.warning("command sync not recorded (%s); the next start syncs again",
                        type(exc).__name__)
        log.info("synced %d commands %s", len(synced), "to the dev guild" if guild else "globally")
        return True

    @property
    def degraded_reason(self) -> str | None:
        """Why the bot runs degraded (the database can only be read), or None
        (/readyz says it)."""
        return self.storage.degraded_reason

    async def close(self) -> None:
        try:
            await super().close()
        finally:
            health, self.health = self.health, None
            if health is not None:
                await health.stop()

    async def on_ready(self) -> None:
        log.info("ready in %d communities", len(self.guilds))

    async def on_app_command_completion(
        self, interaction: discord.Interaction, command: object
    ) -> None:
        finished(interaction)

    async def on_error(self, event_method: str, /, *args: Any, **kwargs: Any) -> None:
        if self.metrics is not None:
            self.metrics.event_failed(sys.exc_info()[1])
        await super().on_error(event_method, *args, **kwargs)

    def dispatch(self, event_name: str, /, *args: Any, **kwargs: Any) -> None:
        # Once close() has begun nothing new may start: discord.py can still deliver
        # READY (its wait for communities ends) after close() removed the event
        # loop, and the handler would fail or find the database closed.
        if self.is_closed():
            return
        if self.metrics is not None:
            self.metrics.on_event(event_name, args)
        super().dispatch(event_name, *args, **kwargs)


async def run(settings: Settings, **options: Any) -> None:
    """Run the bot until SIGTERM or SIGINT; then close the gateway and the database."""
    assert settings.token is not None
    configure_endpoints(settings)
    storage = await open_storage(settings.database)
    try:
        await guard_secret(storage, settings)
    except BaseException:
        await storage.close()
        raise
    bot = MetooBot(settings, storage, **options)
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        async with bot:
            runner = asyncio.create_task(bot.start(settings.token.reveal().decode()))
            waiter = asyncio.create_task(stop.wait())
            done, _ = await asyncio.wait({runner, waiter}, return_when=asyncio.FIRST_COMPLETED)
            if runner in done:
                waiter.cancel()
                runner.result()  # re-raise a login or connection failure
            else:
                log.info("shutting down")
                await bot.close()
                # During a reconnect back-off discord.py sleeps (up to minutes) before
                # it looks at the closed flag again; nothing is left to finish.
                runner.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await runner
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)
        await storage.close()
        log.info("stopped; database closed")
