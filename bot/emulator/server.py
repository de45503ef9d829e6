"""A local emulation of Discord's HTTP API v10 and gateway, on one 127.0.0.1 port.

It serves what a discord.py 2.7 bot needs (login, gateway session, command
registration, interaction callbacks, webhooks, channel messages) and lets a
test, the console or the benchmark act as Discord's users: inject slash
commands, autocomplete and component presses, then await what the bot
answered. Every REST call is recorded. It follows Discord's documented
behaviour (3-second initial response window, 15-minute token, one initial
response per interaction) so the bot is held to the real rules.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import secrets
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from aiohttp import BodyPartReader, WSMsgType, web

from bot.emulator.model import (
    ADMIN_PERMISSIONS,
    ALL_CONTEXTS,
    BOT_DM,
    BOT_DM_APP_PERMISSIONS,
    DM,
    GROUP_DM,
    GUILD_CONTEXT,
    GUILD_INSTALL,
    INSTALL_PARAMS,
    MEMBER_PERMISSIONS,
    PRIVATE_APP_PERMISSIONS,
    PRIVATE_CHANNEL,
    SEND_MESSAGES,
    USER_INSTALL,
    USER_INSTALL_APP_PERMISSIONS,
    VIEW_CHANNEL,
    Channel,
    Guild,
    Message,
    User,
    account_snowflake,
    member_payload,
    shard_for,
    snowflake,
)

log = logging.getLogger("emulator")

INITIAL_RESPONSE_WINDOW = 3.0  # seconds: Discord's limit for the first callback
TOKEN_LIFETIME = 15 * 60  # seconds: interaction tokens (follow-ups, edits)
IDENTIFY_WINDOW = 5.0  # seconds: max_concurrency IDENTIFYs per rate-limit key per window
SESSION_START_TOTAL = 1000  # IDENTIFYs allowed per day
SESSION_START_PERIOD = 24 * 60 * 60  # seconds
MAX_GUILDS_PER_SHARD = 2500  # more on one session: closed with 4011 (sharding required)

# Interaction contexts, as a refusal names them.
CONTEXT_NAMES = {0: "a server", 1: "the bot's DM", 2: "a group DM or a DM between other people"}

# Gateway close codes (Discord's documented values).
AUTHENTICATION_FAILED, INVALID_SHARD, SHARDING_REQUIRED = 4004, 4010, 4011

# Interaction types and callback types (Discord's documented values).
PING, APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 1, 2, 3, 4, 5
CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE = 4, 5, 6, 7
AUTOCOMPLETE_RESULT, MODAL = 8, 9

# Application command option types.
SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER = 3, 4, 5, 6, 7, 8, 9, 10


class EmulatorError(AssertionError):
    """The caller asked the emulator for something Discord would not do."""


@dataclass
class Call:
    """One REST request the bot made."""

    method: str
    path: str  # relative to /api/v10, without the query
    query: dict[str, str]
    body: Any  # parsed JSON body (or payload_json of a multipart body), else None
    status: int = 0
    operation: str | None = None  # OpenAPI path template, when known


@dataclass
class Refusal:
    """An interaction Discord would not have sent (the command does not allow
    that context, or no installation of the app authorises it there)."""

    command: str
    user_id: int
    guild_id: int | None
    channel_id: int
    context: int  # GUILD_CONTEXT, BOT_DM or PRIVATE_CHANNEL
    reason: str  # "context" or "install"
    detail: str


class Refused(EmulatorError):
    """Discord would not deliver this interaction; `refusal` says why."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.detail)
        self.refusal = refusal


@dataclass
class IdentifyAttempt:
    """One IDENTIFY a client sent, and what the emulator did with it."""

    at: float  # time.monotonic() when it arrived
    shard_id: int
    shard_count: int
    accepted: bool
    reason: str | None = None  # why not: "max_concurrency", "invalid shard", ...
    session_id: str | None = None  # the session it started, when accepted


@dataclass
class Interaction:
    """An interaction the emulator sent to the bot, and everything it answered."""

    id: int
    token: str
    type: int
    user: User
    guild_id: int | None
    channel_id: int
    payload: dict
    created: float
    message: Message | None = None  # the message a component was on
    context: int = GUILD_CONTEXT
    owners: dict[str, str] = field(default_factory=dict)  # authorizing_integration_owners
    shards: list[int] = field(default_factory=list)  # the shard ids it was sent to
    response_type: int | None = None
    original: Message | None = None
    followups: list[Message] = field(default_factory=list)
    choices: list[dict] | None = None
    errors: list[int] = field(default_factory=list)  # HTTP statuses the bot was refused with
    changed: asyncio.Condition = field(default_factory=asyncio.Condition)

    @property
    def messages(self) -> list[Message]:
        first = [self.original] if self.original is not None else []
        return [m for m in first + self.followups if not m.deleted]

    def _answered(self) -> Message | None:
        for message in self.messages:
            if message.content or message.embeds or message.attachments or message.components:
                return message
        return None

    async def wait(self, predicate: Callable[[Interaction], Any], timeout: float = 10.0) -> Any:
        async with self.changed:
            result = predicate(self)
            if result:
                return result
            await asyncio.wait_for(self.changed.wait_for(lambda: predicate(self)), timeout)
            return predicate(self)

    async def reply(self, timeout: float = 10.0) -> Message:
        """The first message with something to read (after any defer)."""
        return await self.wait(lambda ix: ix._answered(), timeout)

    async def autocomplete(self, timeout: float = 10.0) -> list[dict]:
        await self.wait(lambda ix: ix.choices is not None, timeout)
        assert self.choices is not None
        return self.choices

    async def followup(self, index: int = 0, timeout: float = 10.0) -> Message:
        await self.wait(lambda ix: len(ix.followups) > index, timeout)
        return self.followups[index]

    async def acknowledged(self, timeout: float = 10.0) -> int:
        await self.wait(lambda ix: ix.response_type is not None, timeout)
        assert self.response_type is not None
        return self.response_type

    async def _notify(self) -> None:
        async with self.changed:
            self.changed.notify_all()


@dataclass
class Session:
    id: str
    ws: web.WebSocketResponse | None
    seq: int = 0
    sent: list[dict] = field(default_factory=list)  # dispatches, for RESUME replay
    intents: int | None = None
    shard_id: int = 0
    shard_count: int = 1
    ready: bool = False  # READY (or RESUMED) sent on the current connection

    def owns(self, guild_id: int | None) -> bool:
        return shard_for(guild_id, self.shard_count) == self.shard_id

    @property
    def open(self) -> bool:
        return self.ready and self.ws is not None and not self.ws.closed


class DiscordEmulator:
    """Discord on 127.0.0.1. Use `async with DiscordEmulator() as emu:` or start()/stop()."""

    def __init__(
        self,
        *,
        token: str = "emulator-bot-token",
        validator: Callable[[Call], None] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        shards: int = 1,
        max_concurrency: int = 1,
        identify_window: float = IDENTIFY_WINDOW,
        session_start_total: int = SESSION_START_TOTAL,
        installation_contexts: Iterable[int] = (GUILD_INSTALL,),
    ) -> None:
        self.token = token
        self.validator = validator
        self.host = host
        self.port = port
        self.application_id = snowflake()
        self.bot_user = User(self.application_id, "metoo-bot", bot=True)
        self.owner = User(snowflake(), "operator")
        self.guilds: dict[int, Guild] = {}  # the communities the bot is in
        # Every community, with the bot or without it (a user-installed app is
        # used there; the bot never receives the guild over the gateway).
        self.known_guilds: dict[int, Guild] = {}
        self.users: dict[int, User] = {}
        # DMs and group DMs, by channel id; the bot's DM with each user, by user id.
        self.private_channels: dict[int, Channel] = {}
        self._bot_dms: dict[int, Channel] = {}
        # Where the app can be installed (the developer portal's "Installation
        # Contexts"): new apps on Discord support guild installs only.
        self.installation_contexts: set[int] = set(installation_contexts)
        self.user_installs: set[int] = set()  # users who added the app to their account
        self.refusals: list[Refusal] = []
        # Sharding: GET /gateway/bot's recommendation and its session_start_limit.
        self.recommended_shards = shards
        self.max_concurrency = max_concurrency
        self.identify_window = identify_window
        self.max_guilds_per_shard = MAX_GUILDS_PER_SHARD
        self.session_start_total = session_start_total
        self.session_start_remaining = session_start_total
        self._session_start_reset = time.time() + SESSION_START_PERIOD
        self.identify_attempts: list[IdentifyAttempt] = []
        # Communities in an outage (guild_outage until guild_recovers).
        self.outages: set[int] = set()
        self._bucket_identified: dict[int, float] = {}  # rate-limit key -> last accepted
        self.commands: dict[int | None, list[dict]] = {None: []}
        self.command_puts: list[int | None] = []  # each bulk overwrite, by guild (None: global)
        self.calls: list[Call] = []
        self.validation_errors: list[str] = []
        self.messages: dict[int, Message] = {}
        self.interactions: dict[str, Interaction] = {}
        self.identifies: list[dict] = []  # accepted IDENTIFY payloads, without the token
        self.sessions: dict[str, Session] = {}
        # The newest session of each [shard_id, shard_count]: events go to these.
        self.current: dict[tuple[int, int], Session] = {}
        self.session: Session | None = None  # the newest session of all
        self.rest_hook: Callable[[Call], Awaitable[web.Response | None]] | None = None
        # While set, new gateway connections are refused (HTTP 503), as during an outage.
        self.refuse_gateway = False
        self.gateway_refusals = 0
        self._runner: web.AppRunner | None = None
        self._changed = asyncio.Condition()

    # ------------------------------------------------------------------ life
    async def __aenter__(self) -> DiscordEmulator:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        # A large backlog: discord.py opens a connection per in-flight callback.
        site = web.TCPSite(self._runner, self.host, self.port, backlog=1024)
        await site.start()
        server = cast("asyncio.Server | None", site._server)  # aiohttp types it abstract
        assert server is not None and server.sockets
        self.port = server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        for session in list(self.sessions.values()):
            if session.ws is not None and not session.ws.closed:
                await session.ws.close(code=1001)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def api_base(self) -> str:
        return f"http://{self.host}:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://{self.host}:{self.port}/gateway"

    # ----------------------------------------------------------------- world
    def add_user(
        self, username: str, user_id: int | None = None, *, created_at: float | None = None
    ) -> User:
        """A user; their account was made at `created_at` (Unix seconds, held in the
        id as on Discord), by default years ago."""
        user = User(user_id or account_snowflake(created_at), username)
        self.users[user.id] = user
        return user

    def add_guild(
        self,
        name: str = "Test community",
        channels: tuple[str, ...] = ("general", "announcements"),
        owner: User | None = None,
        guild_id: int | None = None,
        locale: str = "en-US",
        *,
        bot_installed: bool = True,
    ) -> Guild:
        """A community; with `bot_installed=False` it has not added the bot (its
        members may still use the app if they installed it to their account)."""
        guild_id = guild_id or snowflake()
        guild = Guild(guild_id, name, (owner or self.owner).id, preferred_locale=locale)
        guild.channels = [Channel(snowflake(), guild_id, ch) for ch in channels]
        self.known_guilds[guild_id] = guild
        if bot_installed:
            self.guilds[guild_id] = guild
        return guild

    async def add_channel(self, guild: Guild, name: str, channel_id: int | None = None) -> Channel:
        """A text channel is created in `guild` (CHANNEL_CREATE, as Discord sends
        with the GUILDS intent)."""
        channel = Channel(channel_id or snowflake(), guild.id, name)
        guild.channels.append(channel)
        if guild.id in self.guilds and any(s.owns(guild.id) for s in self.current.values()):
            await self.dispatch("CHANNEL_CREATE", channel.payload(), guild_id=guild.id)
        return channel

    def open_dm(self, user: User) -> Channel:
        """The DM between `user` and the bot (made on first use, then the same)."""
        channel = self._bot_dms.get(user.id)
        if channel is None:
            channel = Channel(snowflake(), None, "", type=DM, recipients=[user])
            self._bot_dms[user.id] = channel
            self.private_channels[channel.id] = channel
        self.users.setdefault(user.id, user)
        return channel

    def add_dm(self, user: User, other: User) -> Channel:
        """A DM between two people, neither of them the bot: only an app the
        person installed to their account can be used there."""
        channel = Channel(snowflake(), None, "", type=DM, recipients=[user, other])
        self.private_channels[channel.id] = channel
        return channel

    def add_group_dm(self, owner: User, *others: User, name: str = "Group") -> Channel:
        """A group DM of `owner` and `others` (the bot is never in one)."""
        channel = Channel(
            snowflake(), None, name, type=GROUP_DM, recipients=[owner, *others], owner_id=owner.id
        )
        self.private_channels[channel.id] = channel
        return channel

    def install_for_user(self, user: User) -> None:
        """`user` adds the app to their account (a user install)."""
        if USER_INSTALL not in self.installation_contexts:
            raise EmulatorError(
                "the application does not support user installs: add USER_INSTALL to "
                "emulator.installation_contexts (the portal's Installation Contexts)"
            )
        self.users.setdefault(user.id, user)
        self.user_installs.add(user.id)

    def uninstall_for_user(self, user: User) -> None:
        self.user_installs.discard(user.id)

    async def join_guild(self, guild: Guild) -> None:
        """The bot is added to a community while connected."""
        self.guilds[guild.id] = guild
        self.known_guilds[guild.id] = guild
        await self.dispatch("GUILD_CREATE", guild.payload(self.bot_user), guild_id=guild.id)

    async def remove_guild(self, guild: Guild) -> None:
        """The bot was removed from the community (kicked, banned or left); the
        community itself goes on, without the bot."""
        self.guilds.pop(guild.id, None)
        await self.dispatch("GUILD_DELETE", {"id": str(guild.id)}, guild_id=guild.id)

    async def guild_outage(self, guild: Guild) -> None:
        """The community became unavailable (an outage): the bot is still in it.
        Until guild_recovers, a session that identifies gets it in READY as
        unavailable, without its GUILD_CREATE. (Called while the bot is offline,
        it only sets the outage its next session meets.)"""
        self.outages.add(guild.id)
        if any(s.owns(guild.id) for s in self.current.values()):
            await self.dispatch(
                "GUILD_DELETE", {"id": str(guild.id), "unavailable": True}, guild_id=guild.id
            )

    async def guild_recovers(self, guild: Guild) -> None:
        """The outage is over: GUILD_CREATE, as Discord sends for a community that
        becomes available again."""
        self.outages.discard(guild.id)
        if guild.id in self.guilds and any(s.owns(guild.id) for s in self.current.values()):
            await self.dispatch("GUILD_CREATE", guild.payload(self.bot_user), guild_id=guild.id)

    def _targets(self, shard_id: int | None) -> list[Session]:
        return [
            s for s in self.current.values()
            if s.ws is not None and not s.ws.closed and shard_id in (None, s.shard_id)
        ]

    async def request_reconnect(self, shard_id: int | None = None) -> None:
        """Ask connected clients (of one shard, or all) to reconnect (opcode 7),
        as Discord does."""
        for session in self._targets(shard_id):
            session.ready = False
            assert session.ws is not None
            await session.ws.send_json({"op": 7, "d": None})

    async def drop_gateway(self, *, refuse: bool = True, shard_id: int | None = None) -> None:
        """Gateway connections (of one shard, or all) drop (close code 1011, a
        server error); with `refuse`, reconnecting fails until `refuse_gateway`
        is cleared."""
        self.refuse_gateway = refuse
        for session in self._targets(shard_id):
            session.ready = False
            assert session.ws is not None
            await session.ws.close(code=1011)

    async def wait_connected(
        self, timeout: float = 15.0, *, shards: Iterable[int] | None = None
    ) -> None:
        """Until a session is ready; with `shards`, until each of those shard ids
        has a ready session."""
        wanted = None if shards is None else set(shards)

        def connected() -> bool:
            ready = {s.shard_id for s in self.current.values() if s.open}
            return bool(ready) if wanted is None else wanted <= ready

        await self._until(connected, timeout)

    async def _until(self, condition: Callable[[], bool], timeout: float) -> None:
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(condition), timeout)

    async def _changed_now(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    def forget_history(self) -> None:
        """Drop recorded calls, interactions, messages, refusals, the users seen
        and their DMs with the bot (long benchmark runs would otherwise hold every
        one of them)."""
        self.users.clear()
        self.calls.clear()
        self.interactions.clear()
        self.messages.clear()
        self.refusals.clear()
        for channel in self._bot_dms.values():
            self.private_channels.pop(channel.id, None)
        self._bot_dms.clear()

    def commands_for(self, guild: Guild | None) -> list[dict]:
        key = guild.id if guild else None
        return self.commands.get(key, [])

    def channel_messages(self, channel: Channel) -> list[Message]:
        return [
            m
            for m in self.messages.values()
            if m.channel_id == channel.id and m.interaction_token is None and not m.deleted
        ]

    def calls_to(self, method: str, pattern: str) -> list[Call]:
        rx = re.compile(pattern)
        return [c for c in self.calls if c.method == method and rx.search(c.path)]

    # ------------------------------------------------------------- injection
    async def slash(
        self,
        command: str,
        *,
        user: User,
        guild: Guild | None,
        options: dict[str, Any] | None = None,
        channel: Channel | None = None,
        permissions: int | None = None,
        locale: str = "en-US",
        created_at: float | None = None,
    ) -> Interaction:
        """Run `/command sub` with options, as `user` in `guild`'s channel; with no
        guild, in the user's DM with the bot, or in `channel` (a DM or group DM).

        Raises Refused, and records it in `refusals`, where Discord would not
        deliver the command (its `contexts` or `integration_types`)."""
        guild, channel, context = self._place(user, guild, channel)
        definition, path = self._find_command(command, guild)
        owners = self._authorize(command, definition, user, guild, channel, context)
        perms = self._member_permissions(user, guild, permissions)
        built, resolved = self._build_options(definition, path, options or {}, guild, None, perms)
        data: dict[str, Any] = {
            "id": definition["id"],
            "name": definition["name"],
            "type": 1,
            "options": built,
        }
        if resolved:
            data["resolved"] = resolved
        if definition.get("guild_id"):
            data["guild_id"] = definition["guild_id"]
        return await self._inject(
            APPLICATION_COMMAND, data, user, guild, channel, context, owners, permissions,
            locale, created_at,
        )

    async def autocomplete(
        self,
        command: str,
        focused: str,
        text: str,
        *,
        user: User,
        guild: Guild | None,
        options: dict[str, Any] | None = None,
        channel: Channel | None = None,
        permissions: int | None = None,
        locale: str = "en-US",
    ) -> Interaction:
        """Type `text` into option `focused` of `/command`; await `.autocomplete()`."""
        guild, channel, context = self._place(user, guild, channel)
        definition, path = self._find_command(command, guild)
        owners = self._authorize(command, definition, user, guild, channel, context)
        values = dict(options or {})
        values[focused] = text
        perms = self._member_permissions(user, guild, permissions)
        built, _ = self._build_options(definition, path, values, guild, focused, perms)
        data: dict[str, Any] = {
            "id": definition["id"],
            "name": definition["name"],
            "type": 1,
            "options": built,
        }
        if definition.get("guild_id"):
            data["guild_id"] = definition["guild_id"]
        return await self._inject(
            AUTOCOMPLETE, data, user, guild, channel, context, owners, permissions, locale, None
        )

    async def press(
        self,
        message: Message,
        label: str | None = None,
        *,
        user: User,
        custom_id: str | None = None,
        permissions: int | None = None,
        locale: str = "en-US",
    ) -> Interaction:
        """Press the button of `message` whose label contains `label` (or with `custom_id`)."""
        button = self._find_component(message, label, custom_id, kinds=(2,))
        if button.get("disabled"):
            raise EmulatorError(f"button {button.get('label')!r} is disabled")
        if button.get("style") == 5 or "url" in button:
            raise EmulatorError("link buttons open a browser; they send no interaction")
        data = {"custom_id": button["custom_id"], "component_type": 2}
        return await self._inject_component(message, data, user, permissions, locale)

    async def select(
        self,
        message: Message,
        values: list[str],
        *,
        user: User,
        custom_id: str | None = None,
        permissions: int | None = None,
        locale: str = "en-US",
    ) -> Interaction:
        """Choose `values` in a select menu of `message`."""
        menu = self._find_component(message, None, custom_id, kinds=(3, 5, 6, 7, 8))
        allowed = {o["value"] for o in menu.get("options", [])}
        if menu.get("type") == 3 and not set(values) <= allowed:
            raise EmulatorError(f"{', '.join(values)} not among the menu's options")
        data = {"custom_id": menu["custom_id"], "component_type": menu["type"], "values": values}
        return await self._inject_component(message, data, user, permissions, locale)

    async def _inject_component(
        self, message: Message, data: dict, user: User, permissions: int | None, locale: str
    ) -> Interaction:
        # A component acts with the installation(s) of the interaction that made
        # its message: authorizing_integration_owners names them, not the presser.
        source = self.interactions.get(message.interaction_token or "")
        guild = self._guild(message.guild_id)
        channel = self._find_channel(message.channel_id)
        if channel is None:
            raise EmulatorError(f"the channel of message {message.id} is unknown")
        if source is not None:
            context, owners = source.context, dict(source.owners)
        elif guild is not None:
            context, owners = GUILD_CONTEXT, {"0": str(guild.id)}
        else:
            context = self._private_context(channel)
            owners = {"0": "0"} if context == BOT_DM else {}
        return await self._inject(
            MESSAGE_COMPONENT, data, user, guild, channel, context, owners, permissions, locale,
            None, message,
        )

    def _place(
        self, user: User, guild: Guild | None, channel: Channel | None
    ) -> tuple[Guild | None, Channel, int]:
        """Where an interaction comes from: (guild, channel, interaction context)."""
        if guild is not None:
            channel = channel or guild.channel()
            if channel.guild_id != guild.id:
                raise EmulatorError(f"channel {channel.id} is not in {guild.name!r}")
            return guild, channel, GUILD_CONTEXT
        if channel is None:
            return None, self.open_dm(user), BOT_DM
        if not channel.private:
            guild = self._guild(channel.guild_id)
            if guild is None:
                raise EmulatorError(f"channel {channel.id} belongs to no known guild")
            return guild, channel, GUILD_CONTEXT
        if user.id not in {u.id for u in channel.recipients}:
            raise EmulatorError(f"{user.username} is not in that DM")
        return None, channel, self._private_context(channel)

    def _private_context(self, channel: Channel) -> int:
        return BOT_DM if self._bot_dms.get(channel.recipients[0].id) is channel else PRIVATE_CHANNEL

    def _authorize(
        self,
        command: str,
        definition: dict,
        user: User,
        guild: Guild | None,
        channel: Channel,
        context: int,
    ) -> dict[str, str]:
        """The authorizing_integration_owners Discord would send for `definition`
        used here, or Refused where it would not deliver it at all."""

        def refuse(reason: str, detail: str) -> Refused:
            refusal = Refusal(command, user.id, guild.id if guild else None, channel.id,
                              context, reason, detail)
            self.refusals.append(refusal)
            return Refused(refusal)

        place = CONTEXT_NAMES[context]
        if definition.get("guild_id"):  # a guild command: only in its own guild
            if guild is None or str(guild.id) != definition["guild_id"]:
                raise refuse("context", f"/{command} is registered to another guild")
            return {"0": str(guild.id)}
        contexts = definition.get("contexts")
        if context not in (ALL_CONTEXTS if contexts is None else contexts):
            raise refuse("context", f"/{command} is not offered in {place} (contexts {contexts})")
        installs = definition.get("integration_types")
        if installs is None:
            installs = sorted(self.installation_contexts)
        owners: dict[str, str] = {}
        if GUILD_INSTALL in installs and GUILD_INSTALL in self.installation_contexts:
            if context == GUILD_CONTEXT and guild is not None and guild.id in self.guilds:
                owners["0"] = str(guild.id)
            elif context == BOT_DM:
                owners["0"] = "0"  # Discord's value for a guild install used in the bot's DM
        if (
            USER_INSTALL in installs
            and USER_INSTALL in self.installation_contexts
            and user.id in self.user_installs
        ):
            owners["1"] = str(user.id)
        if not owners:
            raise refuse(
                "install",
                f"/{command} has no installation here ({place}; integration_types {installs}, "
                f"app installed to the guild: {guild is not None and guild.id in self.guilds}, "
                f"to the user: {user.id in self.user_installs})",
            )
        return owners

    def _app_permissions(self, guild: Guild | None, channel: Channel, context: int) -> int:
        """Discord's app_permissions: the bot's own where it is a member; else what
        an app may use in a response there."""
        if guild is not None:
            if guild.id in self.guilds:
                return channel.bot_permissions
            return guild.everyone_permissions & USER_INSTALL_APP_PERMISSIONS
        return BOT_DM_APP_PERMISSIONS if context == BOT_DM else PRIVATE_APP_PERMISSIONS

    async def _inject(
        self,
        kind: int,
        data: dict,
        user: User,
        guild: Guild | None,
        channel: Channel,
        context: int,
        owners: dict[str, str],
        permissions: int | None,
        locale: str,
        created_at: float | None,
        message: Message | None = None,
    ) -> Interaction:
        guild_id = guild.id if guild is not None else None
        # Discord sends it to the shard that owns the guild (DMs: shard 0).
        await self._until(
            lambda: any(s.open and s.owns(guild_id) for s in self.current.values()), 15.0
        )
        self.users.setdefault(user.id, user)
        created = time.time() if created_at is None else created_at
        interaction_id = snowflake(created)
        token = "ix." + secrets.token_urlsafe(24)
        perms = self._member_permissions(user, guild, permissions)
        payload: dict[str, Any] = {
            "id": str(interaction_id),
            "application_id": str(self.application_id),
            "type": kind,
            "data": data,
            "channel_id": str(channel.id),
            "token": token,
            "version": 1,
            "locale": locale,
            "app_permissions": str(self._app_permissions(guild, channel, context)),
            "entitlements": [],
            "authorizing_integration_owners": owners,
            "context": context,
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        if guild is not None:
            payload["guild_id"] = str(guild.id)
            payload["guild_locale"] = guild.preferred_locale
            payload["guild"] = {
                "id": str(guild.id),
                "locale": guild.preferred_locale,
                "features": [],
            }
            payload["channel"] = {**channel.payload(), "permissions": str(perms)}
            # An interaction's member says when they joined the community.
            payload["member"] = member_payload(user, perms, joined_at=guild.joined_at(user))
        else:
            payload["user"] = user.payload()
            payload["channel"] = channel.payload()
        if message is not None:
            payload["message"] = message.payload()
        interaction = Interaction(
            interaction_id,
            token,
            kind,
            user,
            guild_id,
            channel.id,
            payload,
            created,
            message=message,
            context=context,
            owners=owners,
        )
        self.interactions[token] = interaction
        interaction.shards = await self.dispatch("INTERACTION_CREATE", payload, guild_id=guild_id)
        return interaction

    @staticmethod
    def _member_permissions(user: User, guild: Guild | None, permissions: int | None) -> int:
        perms = MEMBER_PERMISSIONS if permissions is None else permissions
        if guild is not None and user.id == guild.owner_id:
            perms |= ADMIN_PERMISSIONS
        return perms

    def _find_command(self, command: str, guild: Guild | None) -> tuple[dict, list[str]]:
        path = command.lstrip("/").split()
        pools = ([self.commands.get(guild.id, [])] if guild else []) + [self.commands[None]]
        for pool in pools:
            for definition in pool:
                if definition["name"] == path[0] and definition.get("type", 1) == 1:
                    return definition, path[1:]
        raise EmulatorError(f"/{path[0]} is not registered")

    def _build_options(
        self,
        definition: dict,
        path: list[str],
        values: dict[str, Any],
        guild: Guild | None,
        focused: str | None,
        member_permissions: int = MEMBER_PERMISSIONS,
    ) -> tuple[list[dict], dict]:
        options = definition.get("options", [])
        if path:
            for option in options:
                if option["name"] == path[0] and option["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP):
                    inner, inner_resolved = self._build_options(
                        option, path[1:], values, guild, focused, member_permissions
                    )
                    nested = {"type": option["type"], "name": option["name"], "options": inner}
                    return [nested], inner_resolved
            raise EmulatorError(f"no subcommand {path[0]!r} under {definition['name']!r}")
        if any(o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP) for o in options):
            raise EmulatorError(f"{definition['name']!r} needs a subcommand")
        by_name = {o["name"]: o for o in options}
        unknown = set(values) - set(by_name)
        if unknown:
            raise EmulatorError(
                f"unknown options {', '.join(sorted(unknown))} for {definition['name']!r}")
        missing = [o["name"] for o in options if o.get("required") and o["name"] not in values]
        if missing and focused is None:
            raise EmulatorError(f"required options missing: {', '.join(missing)}")
        built: list[dict] = []
        resolved: dict[str, dict] = {}
        for name, value in values.items():
            option = by_name[name]
            kind = option["type"]
            entry: dict[str, Any] = {"name": name, "type": kind}
            if name == focused:
                if not option.get("autocomplete"):
                    raise EmulatorError(f"{name!r} has no autocomplete: Discord sends none")
                entry["value"] = str(value)
                entry["focused"] = True
            elif kind == STRING:
                entry["value"] = str(value)
            elif kind == INTEGER:
                entry["value"] = int(value)
            elif kind == NUMBER:
                entry["value"] = float(value)
            elif kind == BOOLEAN:
                if not isinstance(value, bool):
                    raise EmulatorError(f"{name} takes true or false")
                entry["value"] = value
            elif kind == CHANNEL:
                channel = value if isinstance(value, Channel) else self._channel(guild, value)
                entry["value"] = str(channel.id)
                resolved.setdefault("channels", {})[str(channel.id)] = {
                    "id": str(channel.id),
                    "name": channel.name,
                    "type": 0,
                    "permissions": str(channel.bot_permissions),
                    "guild_id": str(channel.guild_id),
                    "parent_id": None,
                    "position": 0,
                    "nsfw": False,
                    "flags": 0,
                }
            elif kind == USER:
                user = value if isinstance(value, User) else self.users[int(value)]
                entry["value"] = str(user.id)
                resolved.setdefault("users", {})[str(user.id)] = user.payload()
            else:
                entry["value"] = value
            choices = option.get("choices")
            if choices and name != focused and entry["value"] not in [c["value"] for c in choices]:
                raise EmulatorError(f"{entry['value']!r} is not a choice of {name!r}")
            built.append(entry)
        return built, resolved

    def _channel(self, guild: Guild | None, value: Any) -> Channel:
        if guild is None:
            raise EmulatorError("channel options need a guild")
        try:
            return guild.channel(int(value) if str(value).isdigit() else value)
        except KeyError:
            raise EmulatorError(f"no channel {value!r} in {guild.name!r}") from None

    @staticmethod
    def _find_component(
        message: Message, label: str | None, custom_id: str | None, kinds: tuple[int, ...]
    ) -> dict:
        candidates = [c for c in message.buttons() + message.selects() if c.get("type") in kinds]
        for component in candidates:
            if custom_id is not None and component.get("custom_id") == custom_id:
                return component
            if custom_id is None and (label is None or label in component.get("label", "")):
                return component
        raise EmulatorError(
            f"no component {label or custom_id!r} in message; has "
            f"{', '.join(repr(c.get('label') or c.get('custom_id')) for c in candidates)}"
        )

    # --------------------------------------------------------------- gateway
    async def dispatch(self, event: str, data: dict, *, guild_id: int | None = None) -> list[int]:
        """Send an event to the sessions of the shard that owns `guild_id` (no
        guild: shard 0, as Discord routes DMs); returns their shard ids."""
        sessions = [s for s in self.current.values() if s.owns(guild_id)]
        if not sessions:
            raise EmulatorError("the bot is not connected to the gateway")
        for session in sessions:
            await self._send(session, event, data)
        return [s.shard_id for s in sessions]

    async def _send(self, session: Session, event: str, data: dict) -> None:
        session.seq += 1
        frame = {"op": 0, "t": event, "s": session.seq, "d": data}
        session.sent.append(frame)  # kept for a RESUME after a drop
        if session.ws is not None and not session.ws.closed:
            await session.ws.send_str(json.dumps(frame))

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        if self.refuse_gateway:
            self.gateway_refusals += 1
            return web.Response(status=503, text="Service Unavailable")
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        session: Session | None = None
        # Text frames even when the client asks for zlib-stream: discord.py accepts both.
        await ws.send_json({"op": 10, "d": {"heartbeat_interval": 41250}})
        async for frame in ws:
            if frame.type != WSMsgType.TEXT:
                continue
            message = json.loads(frame.data)
            op, data = message.get("op"), message.get("d")
            if op == 1:
                await ws.send_json({"op": 11})
            elif op == 2:
                session = await self._identify(ws, data) or session
            elif op == 6:
                session = await self._resume(ws, data) or session
        if session is not None and session.ws is ws:
            session.ready = False
            # A client that closes with 1000 or 1001 ends its session: it cannot resume.
            if ws.close_code in (1000, 1001):
                self.sessions.pop(session.id, None)
                key = (session.shard_id, session.shard_count)
                if self.current.get(key) is session:
                    del self.current[key]
            await self._changed_now()
        return ws

    def _token_valid(self, token: object) -> bool:
        return token in (self.token, f"Bot {self.token}")

    def _renew_session_starts(self) -> None:
        if time.time() >= self._session_start_reset:
            self.session_start_remaining = self.session_start_total
            self._session_start_reset = time.time() + SESSION_START_PERIOD

    async def _identify(self, ws: web.WebSocketResponse, data: dict) -> Session | None:
        if not self._token_valid(data.get("token")):
            await ws.close(code=AUTHENTICATION_FAILED, message=b"Authentication failed.")
            return None
        now = time.monotonic()
        shard = data.get("shard")
        try:
            shard_id, shard_count = (0, 1) if shard is None else (int(shard[0]), int(shard[1]))
        except (TypeError, ValueError, IndexError):
            shard_id, shard_count = -1, 0

        def refused(reason: str) -> None:
            self.identify_attempts.append(
                IdentifyAttempt(now, shard_id, shard_count, accepted=False, reason=reason)
            )

        if not 0 <= shard_id < shard_count:
            refused("invalid shard")
            await ws.close(code=INVALID_SHARD, message=b"Invalid shard.")
            return None
        self._renew_session_starts()
        if self.session_start_remaining <= 0:
            # Discord: every session ends and the bot token is reset.
            refused("session start limit")
            self.token = "reset." + secrets.token_urlsafe(16)
            for other in list(self.current.values()):
                if other.ws is not None and not other.ws.closed:
                    await other.ws.close(code=AUTHENTICATION_FAILED)
            await ws.close(code=AUTHENTICATION_FAILED, message=b"Authentication failed.")
            return None
        self.session_start_remaining -= 1
        key = shard_id % self.max_concurrency
        last = self._bucket_identified.get(key)
        if last is not None and now - last < self.identify_window:
            refused("max_concurrency")
            await ws.send_json({"op": 9, "d": False})
            return None
        own = [g for g in self.guilds.values() if shard_for(g.id, shard_count) == shard_id]
        if len(own) > self.max_guilds_per_shard:
            refused("sharding required")
            await ws.close(code=SHARDING_REQUIRED, message=b"Sharding required.")
            return None
        self._bucket_identified[key] = now
        session = Session(
            secrets.token_hex(16), ws, intents=data.get("intents"),
            shard_id=shard_id, shard_count=shard_count,
        )
        self.identifies.append({k: v for k, v in data.items() if k != "token"})
        self.identify_attempts.append(
            IdentifyAttempt(now, shard_id, shard_count, accepted=True, session_id=session.id)
        )
        self.sessions[session.id] = session
        self.current[(shard_id, shard_count)] = session
        self.session = session
        ready: dict[str, Any] = {
            "v": 10,
            "user": {
                **self.bot_user.payload(),
                "verified": True,
                "mfa_enabled": False,
                "flags": 0,
                "email": None,
            },
            "guilds": [{"id": str(g.id), "unavailable": True} for g in own],
            "session_id": session.id,
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(self.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
        }
        if shard is not None:  # READY echoes the shard only when IDENTIFY sent one
            ready["shard"] = [shard_id, shard_count]
        await self._send(session, "READY", ready)
        for guild in own:
            if guild.id not in self.outages:  # in an outage: GUILD_CREATE when it recovers
                await self._send(session, "GUILD_CREATE", guild.payload(self.bot_user))
        session.ready = True
        await self._changed_now()
        return session

    async def _resume(self, ws: web.WebSocketResponse, data: dict) -> Session | None:
        session = self.sessions.get(data.get("session_id", ""))
        if session is None or not self._token_valid(data.get("token")):
            await ws.send_json({"op": 9, "d": False})
            return None
        session.ws = ws
        self.current[(session.shard_id, session.shard_count)] = session
        seq = data.get("seq") or 0
        for frame in session.sent:
            if frame["s"] > seq:
                await ws.send_str(json.dumps(frame))
        session.seq += 1
        resumed = {"op": 0, "t": "RESUMED", "s": session.seq, "d": {}}
        session.sent.append(resumed)
        await ws.send_str(json.dumps(resumed))
        session.ready = True
        await self._changed_now()
        return session

    # ------------------------------------------------------------------ REST
    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        body, files = await _read_body(request)
        call = Call(request.method, path, dict(request.query), body)
        self.calls.append(call)
        response = await self._route(request, call, files)
        call.status = response.status
        if self.validator is not None and response.status < 500:
            try:
                self.validator(call)
            except Exception as exc:  # a report for the test to assert on, not a crash
                self.validation_errors.append(f"{call.method} {call.path}: {exc}")
        return response

    async def _route(self, request: web.Request, call: Call, files: dict) -> web.Response:
        if self.rest_hook is not None:
            hooked = await self.rest_hook(call)
            if hooked is not None:
                return hooked
        method, path = call.method, call.path
        # Webhooks, interaction callbacks and GET /gateway need no bot token.
        open_route = path.startswith(("/webhooks/", "/interactions/")) or path == "/gateway"
        if not open_route and request.headers.get("Authorization") != f"Bot {self.token}":
            return _error(401, 0, "401: Unauthorized")
        for pattern, handler in self._routes():
            match = re.fullmatch(pattern[1], path)
            if match and pattern[0] == method:
                call.operation = pattern[2]
                return await handler(call, files, *match.groups())
        return _error(404, 0, "404: Not Found")

    def _routes(self) -> list[tuple[tuple[str, str, str], Callable[..., Awaitable[web.Response]]]]:
        s = r"(\d+)"
        t = r"([^/]+)"
        return [
            (("GET", "/users/@me", "/users/@me"), self._me),
            (("GET", "/users/@me/guilds", "/users/@me/guilds"), self._my_guilds),
            (("GET", "/oauth2/applications/@me", "/oauth2/applications/@me"), self._app_info),
            (("GET", "/applications/@me", "/applications/@me"), self._app_info),
            (("GET", "/gateway", "/gateway"), self._gateway_info),
            (("GET", "/gateway/bot", "/gateway/bot"), self._gateway_bot),
            (
                ("PUT", f"/applications/{s}/commands", "/applications/{application_id}/commands"),
                self._put_commands,
            ),
            (
                ("GET", f"/applications/{s}/commands", "/applications/{application_id}/commands"),
                self._get_commands,
            ),
            (
                (
                    "PUT",
                    f"/applications/{s}/guilds/{s}/commands",
                    "/applications/{application_id}/guilds/{guild_id}/commands",
                ),
                self._put_commands,
            ),
            (
                (
                    "GET",
                    f"/applications/{s}/guilds/{s}/commands",
                    "/applications/{application_id}/guilds/{guild_id}/commands",
                ),
                self._get_commands,
            ),
            (
                (
                    "POST",
                    f"/interactions/{s}/{t}/callback",
                    "/interactions/{interaction_id}/{interaction_token}/callback",
                ),
                self._callback,
            ),
            (
                ("POST", f"/webhooks/{s}/{t}", "/webhooks/{webhook_id}/{webhook_token}"),
                self._followup,
            ),
            (
                (
                    "GET",
                    f"/webhooks/{s}/{t}/messages/(@original|\\d+)",
                    "/webhooks/{webhook_id}/{webhook_token}/messages/@original",
                ),
                self._get_webhook_msg,
            ),
            (
                (
                    "PATCH",
                    f"/webhooks/{s}/{t}/messages/(@original|\\d+)",
                    "/webhooks/{webhook_id}/{webhook_token}/messages/@original",
                ),
                self._edit_webhook_msg,
            ),
            (
                (
                    "DELETE",
                    f"/webhooks/{s}/{t}/messages/(@original|\\d+)",
                    "/webhooks/{webhook_id}/{webhook_token}/messages/@original",
                ),
                self._del_webhook_msg,
            ),
            (("GET", f"/channels/{s}", "/channels/{channel_id}"), self._get_channel),
            (
                ("POST", f"/channels/{s}/messages", "/channels/{channel_id}/messages"),
                self._post_channel_msg,
            ),
            (
                (
                    "GET",
                    f"/channels/{s}/messages/{s}",
                    "/channels/{channel_id}/messages/{message_id}",
                ),
                self._get_channel_msg,
            ),
            (
                (
                    "PATCH",
                    f"/channels/{s}/messages/{s}",
                    "/channels/{channel_id}/messages/{message_id}",
                ),
                self._edit_channel_msg,
            ),
            (
                (
                    "DELETE",
                    f"/channels/{s}/messages/{s}",
                    "/channels/{channel_id}/messages/{message_id}",
                ),
                self._del_channel_msg,
            ),
        ]

    async def _me(self, call: Call, files: dict) -> web.Response:
        return _json(
            {
                **self.bot_user.payload(),
                "verified": True,
                "mfa_enabled": False,
                "flags": 0,
                "email": None,
                "locale": "en-US",
            }
        )

    async def _app_info(self, call: Call, files: dict) -> web.Response:
        return _json(
            {
                "id": str(self.application_id),
                "name": "metoo-bot",
                "icon": None,
                "description": "",
                "rpc_origins": [],
                "bot_public": True,
                "bot_require_code_grant": False,
                "owner": self.owner.payload(),
                "team": None,
                "verify_key": "0" * 64,
                "flags": 0,
                "summary": "",
                "tags": [],
                "bot": self.bot_user.payload(),
                "install_params": None,
                "interactions_endpoint_url": None,
                "redirect_uris": [],
                # One key per installation context the app supports (the portal's
                # Installation Contexts), with its default install settings.
                "integration_types_config": {
                    str(kind): {"oauth2_install_params": INSTALL_PARAMS[kind]}
                    for kind in sorted(self.installation_contexts)
                },
            }
        )

    async def _my_guilds(self, call: Call, files: dict) -> web.Response:
        """The communities the bot is in (an outage does not hide one), by id,
        a page of `limit` (1-200, default 200) after or before an id."""
        try:
            limit = int(call.query.get("limit", "200"))
            after = int(call.query.get("after", "0"))
            before = int(call.query.get("before", str(2**64)))
        except ValueError:
            return _error(400, 50035, "Invalid Form Body")
        if not 1 <= limit <= 200:
            return _error(400, 50035, "Invalid Form Body")
        ids = sorted(g for g in self.guilds if after < g < before)
        # Discord pages from the top when only `before` is given.
        page = ids[-limit:] if "before" in call.query and "after" not in call.query \
            else ids[:limit]
        return _json([
            {
                "id": str(g), "name": self.guilds[g].name, "icon": None, "banner": None,
                "owner": self.guilds[g].owner_id == self.bot_user.id,
                "permissions": str(ADMIN_PERMISSIONS), "features": [],
            }
            for g in page
        ])

    async def _gateway_info(self, call: Call, files: dict) -> web.Response:
        return _json({"url": self.gateway_url})

    async def _gateway_bot(self, call: Call, files: dict) -> web.Response:
        self._renew_session_starts()
        reset_after = max(0, int((self._session_start_reset - time.time()) * 1000))
        return _json(
            {
                "url": self.gateway_url,
                "shards": self.recommended_shards,
                "session_start_limit": {
                    "total": self.session_start_total,
                    "remaining": self.session_start_remaining,
                    "reset_after": reset_after,
                    "max_concurrency": self.max_concurrency,
                },
            }
        )

    async def _put_commands(
        self, call: Call, files: dict, app_id: str, guild_id: str | None = None
    ) -> web.Response:
        if app_id != str(self.application_id):
            return _error(403, 50001, "Missing Access")
        key = int(guild_id) if guild_id else None
        if key is not None and key not in self.guilds:
            return _error(403, 50001, "Missing Access")
        stored = []
        for definition in call.body or []:
            item = {
                "id": str(snowflake()),
                "application_id": app_id,
                "version": str(snowflake()),
                "type": 1,
                "default_member_permissions": None,
                **definition,
            }
            if key is not None:
                item["guild_id"] = str(key)
            elif item.get("integration_types") is None:
                # Discord: the app's installation contexts when the command is made.
                item["integration_types"] = sorted(self.installation_contexts)
            stored.append(item)
        self.commands[key] = stored
        self.command_puts.append(key)
        return _json(stored)

    async def _get_commands(
        self, call: Call, files: dict, app_id: str, guild_id: str | None = None
    ) -> web.Response:
        return _json(self.commands.get(int(guild_id) if guild_id else None, []))

    def _interaction(self, token: str) -> Interaction | None:
        return self.interactions.get(token)

    async def _callback(
        self, call: Call, files: dict, interaction_id: str, token: str
    ) -> web.Response:
        ix = self._interaction(token)
        if ix is None or str(ix.id) != interaction_id:
            return _error(404, 10062, "Unknown interaction")
        if ix.response_type is not None:
            ix.errors.append(400)
            await ix._notify()
            return _error(400, 40060, "Interaction has already been acknowledged.")
        if time.time() - ix.created > INITIAL_RESPONSE_WINDOW:
            ix.errors.append(404)
            await ix._notify()
            return _error(404, 10062, "Unknown interaction")
        body = call.body or {}
        kind = body.get("type")
        data = body.get("data") or {}
        message: Message | None = None
        if kind == AUTOCOMPLETE_RESULT:
            if ix.type != AUTOCOMPLETE:
                return _error(400, 50035, "Invalid Form Body")
            ix.choices = list(data.get("choices", []))
        elif kind in (CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE):
            if ix.type == AUTOCOMPLETE:
                return _error(400, 50035, "Invalid Form Body")
            message = Message(
                snowflake(),
                ix.channel_id,
                self.bot_user,
                flags=int(data.get("flags") or 0),
                guild_id=ix.guild_id,
                interaction_token=token,
            )
            if kind == CHANNEL_MESSAGE:
                message.apply(data)
                _attach(message, data, files)
            self.messages[message.id] = message
            ix.original = message
        elif kind in (DEFERRED_UPDATE, UPDATE_MESSAGE):
            if ix.message is None:
                return _error(400, 50035, "Invalid Form Body")
            message = ix.message
            if kind == UPDATE_MESSAGE:
                message.apply(data)
                _attach(message, data, files)
            ix.original = message
        elif kind == MODAL:
            pass
        else:
            return _error(400, 50035, "Invalid Form Body")
        ix.response_type = kind
        await ix._notify()
        if call.query.get("with_response") not in ("1", "true", "True"):
            return web.Response(status=204)
        result: dict[str, Any] = {
            "interaction": {
                "id": str(ix.id),
                "type": ix.type,
                "activity_instance_id": None,
                "response_message_id": str(message.id) if message else None,
                "response_message_loading": kind == DEFERRED_CHANNEL_MESSAGE,
                "response_message_ephemeral": bool(message and message.ephemeral),
            },
        }
        if message is not None:
            result["resource"] = {"type": kind, "message": message.payload()}
        return _json(result)

    def _token_ok(self, ix: Interaction | None) -> bool:
        return ix is not None and time.time() - ix.created <= TOKEN_LIFETIME

    def _webhook_message(
        self, token: str, which: str
    ) -> tuple[Interaction, Message] | web.Response:
        """The interaction and its message (@original or a follow-up), or the
        error Discord gives: an expired token, or an unknown message."""
        ix = self._interaction(token)
        if ix is None or not self._token_ok(ix):
            return _error(401, 50027, "Invalid Webhook Token")
        message = ix.original if which == "@original" else self.messages.get(int(which))
        if message is None or message.deleted or (
            which != "@original" and message.interaction_token != ix.token
        ):
            return _error(404, 10008, "Unknown Message")
        return ix, message

    async def _followup(self, call: Call, files: dict, app_id: str, token: str) -> web.Response:
        ix = self._interaction(token)
        if not self._token_ok(ix) or app_id != str(self.application_id):
            return _error(401, 50027, "Invalid Webhook Token")
        assert ix is not None
        if ix.response_type is None:
            return _error(404, 10015, "Unknown Webhook")
        data = call.body or {}
        message = Message(
            snowflake(),
            ix.channel_id,
            self.bot_user,
            flags=int(data.get("flags") or 0),
            guild_id=ix.guild_id,
            interaction_token=token,
        )
        message.apply(data)
        _attach(message, data, files)
        # A follow-up to a deferred response fills the "thinking" message.
        if (
            ix.response_type == DEFERRED_CHANNEL_MESSAGE
            and ix.original is not None
            and not ix.original.answered
        ):
            data = {k: v for k, v in data.items() if k != "flags"}  # the defer set them
            ix.original.apply(data)
            _attach(ix.original, data, files)
            ix.original.answered = True
            message = ix.original
        else:
            self.messages[message.id] = message
            ix.followups.append(message)
        await ix._notify()
        return _json(message.payload())

    async def _get_webhook_msg(
        self, call: Call, files: dict, app_id: str, token: str, which: str
    ) -> web.Response:
        found = self._webhook_message(token, which)
        if isinstance(found, web.Response):
            return found
        return _json(found[1].payload())

    async def _edit_webhook_msg(
        self, call: Call, files: dict, app_id: str, token: str, which: str
    ) -> web.Response:
        found = self._webhook_message(token, which)
        if isinstance(found, web.Response):
            return found
        ix, message = found
        message.apply(call.body or {})
        _attach(message, call.body or {}, files)
        message.answered = True
        await ix._notify()
        return _json(message.payload())

    async def _del_webhook_msg(
        self, call: Call, files: dict, app_id: str, token: str, which: str
    ) -> web.Response:
        found = self._webhook_message(token, which)
        if isinstance(found, web.Response):
            return found
        ix, message = found
        message.deleted = True
        await ix._notify()
        return web.Response(status=204)

    def _guild(self, guild_id: int | None) -> Guild | None:
        if guild_id is None:
            return None
        return self.guilds.get(guild_id) or self.known_guilds.get(guild_id)

    def _find_channel(self, channel_id: str | int) -> Channel | None:
        """Any channel of the emulated world, whether the bot can see it or not."""
        wanted = int(channel_id)
        for guild in {**self.known_guilds, **self.guilds}.values():
            for channel in guild.channels:
                if channel.id == wanted:
                    return channel
        return self.private_channels.get(wanted)

    def _bot_channel(self, channel_id: str) -> Channel | web.Response:
        """A channel the bot can reach, or Discord's error: unknown, or one of a
        guild without the bot, or a DM it is not part of (Missing Access)."""
        channel = self._find_channel(channel_id)
        if channel is None:
            return _error(404, 10003, "Unknown Channel")
        if channel.guild_id is not None:
            reachable = channel.guild_id in self.guilds
        else:
            reachable = self._bot_dms.get(channel.recipients[0].id) is channel
        if not reachable:
            return _error(403, 50001, "Missing Access")
        return channel

    async def _get_channel(self, call: Call, files: dict, channel_id: str) -> web.Response:
        channel = self._bot_channel(channel_id)
        if isinstance(channel, web.Response):
            return channel
        return _json(channel.payload())

    async def _post_channel_msg(self, call: Call, files: dict, channel_id: str) -> web.Response:
        channel = self._bot_channel(channel_id)
        if isinstance(channel, web.Response):
            return channel
        needed = VIEW_CHANNEL | SEND_MESSAGES
        if channel.bot_permissions & needed != needed:
            return _error(403, 50013, "Missing Permissions")
        data = call.body or {}
        message = Message(snowflake(), channel.id, self.bot_user, guild_id=channel.guild_id)
        message.apply(data)
        _attach(message, data, files)
        self.messages[message.id] = message
        async with self._changed:
            self._changed.notify_all()
        return _json(message.payload())

    async def wait_channel_message(
        self,
        channel: Channel,
        predicate: Callable[[Message], bool] = lambda m: True,
        timeout: float = 10.0,
    ) -> Message:
        def found() -> Message | None:
            return next((m for m in self.channel_messages(channel) if predicate(m)), None)

        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: found() is not None), timeout)
        message = found()
        assert message is not None
        return message

    def _channel_message(self, channel_id: str, message_id: str) -> Message | None:
        message = self.messages.get(int(message_id))
        if message is None or message.deleted or message.channel_id != int(channel_id):
            return None
        return message

    async def _get_channel_msg(
        self, call: Call, files: dict, channel_id: str, message_id: str
    ) -> web.Response:
        message = self._channel_message(channel_id, message_id)
        if message is None:
            return _error(404, 10008, "Unknown Message")
        return _json(message.payload())

    async def _edit_channel_msg(
        self, call: Call, files: dict, channel_id: str, message_id: str
    ) -> web.Response:
        message = self._channel_message(channel_id, message_id)
        if message is None:
            return _error(404, 10008, "Unknown Message")
        message.apply(call.body or {})
        return _json(message.payload())

    async def _del_channel_msg(
        self, call: Call, files: dict, channel_id: str, message_id: str
    ) -> web.Response:
        message = self._channel_message(channel_id, message_id)
        if message is None:
            return _error(404, 10008, "Unknown Message")
        message.deleted = True
        async with self._changed:
            self._changed.notify_all()
        return web.Response(status=204)


def _json(data: Any, status: int = 200) -> web.Response:
    # Exactly application/json: with a charset, discord.py treats the body as text.
    return web.Response(
        status=status, body=json.dumps(data).encode(), headers={"Content-Type": "application/json"}
    )


def _error(status: int, code: int, message: str) -> web.Response:
    return _json({"message": message, "code": code}, status)


async def _read_body(request: web.Request) -> tuple[Any, dict[str, bytes]]:
    files: dict[str, bytes] = {}
    if not request.body_exists:
        return None, files
    if request.content_type.startswith("multipart/"):
        body: Any = None
        reader = await request.multipart()
        async for part in reader:
            if not isinstance(part, BodyPartReader):
                continue  # a nested multipart: Discord reads none
            if part.name == "payload_json":
                body = json.loads(await part.text())
            else:
                files[part.filename or part.name or "file"] = await part.read()
        return body, files
    raw = await request.read()
    if not raw:
        return None, files
    try:
        return json.loads(raw), files
    except ValueError:
        return raw.decode(errors="replace"), files


def _attach(message: Message, data: dict, files: dict[str, bytes]) -> None:
    for index, attachment in enumerate(data.get("attachments") or []):
        name = attachment.get("filename")
        if name in files and not any(a.get("filename") == name for a in message.attachments):
            message.files[name] = files[name]
            message.attachments.append(
                {
                    "id": str(snowflake()),
                    "filename": name,
                    "size": len(files[name]),
                    "url": f"https://cdn.invalid/{index}/{name}",
                    "proxy_url": "",
                    "content_type": "application/json" if name.endswith(".json") else None,
                }
            )
