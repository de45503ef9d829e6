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
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, cast

from aiohttp import BodyPartReader, WSMsgType, web

from bot.emulator.model import (
    ADMIN_PERMISSIONS,
    MEMBER_PERMISSIONS,
    SEND_MESSAGES,
    VIEW_CHANNEL,
    Channel,
    Guild,
    Message,
    User,
    account_snowflake,
    member_payload,
    snowflake,
)

log = logging.getLogger("emulator")

INITIAL_RESPONSE_WINDOW = 3.0  # seconds: Discord's limit for the first callback
TOKEN_LIFETIME = 15 * 60  # seconds: interaction tokens (follow-ups, edits)

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


class DiscordEmulator:
    """Discord on 127.0.0.1. Use `async with DiscordEmulator() as emu:` or start()/stop()."""

    def __init__(
        self,
        *,
        token: str = "emulator-bot-token",
        validator: Callable[[Call], None] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.token = token
        self.validator = validator
        self.host = host
        self.port = port
        self.application_id = snowflake()
        self.bot_user = User(self.application_id, "metoo-bot", bot=True)
        self.owner = User(snowflake(), "operator")
        self.guilds: dict[int, Guild] = {}
        self.users: dict[int, User] = {}
        self.commands: dict[int | None, list[dict]] = {None: []}
        self.command_puts: list[int | None] = []  # each bulk overwrite, by guild (None: global)
        self.calls: list[Call] = []
        self.validation_errors: list[str] = []
        self.messages: dict[int, Message] = {}
        self.interactions: dict[str, Interaction] = {}
        self.identifies: list[dict] = []
        self.sessions: dict[str, Session] = {}
        self.session: Session | None = None
        self.rest_hook: Callable[[Call], Awaitable[web.Response | None]] | None = None
        # While set, new gateway connections are refused (HTTP 503), as during an outage.
        self.refuse_gateway = False
        self.gateway_refusals = 0
        self._connected = asyncio.Event()
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
        for session in self.sessions.values():
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
    ) -> Guild:
        guild_id = guild_id or snowflake()
        guild = Guild(guild_id, name, (owner or self.owner).id, preferred_locale=locale)
        guild.channels = [Channel(snowflake(), guild_id, ch) for ch in channels]
        self.guilds[guild_id] = guild
        return guild

    async def add_channel(self, guild: Guild, name: str, channel_id: int | None = None) -> Channel:
        """A text channel is created in `guild` (CHANNEL_CREATE, as Discord sends
        with the GUILDS intent)."""
        channel = Channel(channel_id or snowflake(), guild.id, name)
        guild.channels.append(channel)
        if self.session is not None and guild.id in self.guilds:
            await self.dispatch("CHANNEL_CREATE", channel.payload())
        return channel

    async def join_guild(self, guild: Guild) -> None:
        """The bot is added to a community while connected."""
        self.guilds[guild.id] = guild
        await self.dispatch("GUILD_CREATE", guild.payload(self.bot_user))

    async def remove_guild(self, guild: Guild) -> None:
        """The bot was removed from the community (kicked, banned or left)."""
        self.guilds.pop(guild.id, None)
        await self.dispatch("GUILD_DELETE", {"id": str(guild.id)})

    async def guild_outage(self, guild: Guild) -> None:
        """The community became unavailable (an outage): the bot is still in it."""
        await self.dispatch("GUILD_DELETE", {"id": str(guild.id), "unavailable": True})

    async def request_reconnect(self) -> None:
        """Ask the connected client to reconnect (opcode 7), as Discord does."""
        if self.session and self.session.ws and not self.session.ws.closed:
            self._connected.clear()
            await self.session.ws.send_json({"op": 7, "d": None})

    async def drop_gateway(self, *, refuse: bool = True) -> None:
        """The gateway connection drops (close code 1011, a server error); with
        `refuse`, reconnecting fails until `refuse_gateway` is cleared."""
        self.refuse_gateway = refuse
        if self.session and self.session.ws and not self.session.ws.closed:
            self._connected.clear()
            await self.session.ws.close(code=1011)

    async def wait_connected(self, timeout: float = 15.0) -> None:
        await asyncio.wait_for(self._connected.wait(), timeout)

    def forget_history(self) -> None:
        """Drop recorded calls, interactions, messages and the users seen (long
        benchmark runs would otherwise hold every one of them)."""
        self.users.clear()
        self.calls.clear()
        self.interactions.clear()
        self.messages.clear()

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
        """Run `/command sub` with options, as `user` in `guild`'s channel."""
        definition, path = self._find_command(command, guild)
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
            APPLICATION_COMMAND, data, user, guild, channel, permissions, locale, created_at
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
        permissions: int | None = None,
        locale: str = "en-US",
    ) -> Interaction:
        """Type `text` into option `focused` of `/command`; await `.autocomplete()`."""
        definition, path = self._find_command(command, guild)
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
        return await self._inject(AUTOCOMPLETE, data, user, guild, None, permissions, locale, None)

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
        guild = self.guilds.get(message.guild_id) if message.guild_id else None
        channel = guild.channel(message.channel_id) if guild else None
        return await self._inject(
            MESSAGE_COMPONENT, data, user, guild, channel, permissions, locale, None, message
        )

    async def _inject(
        self,
        kind: int,
        data: dict,
        user: User,
        guild: Guild | None,
        channel: Channel | None,
        permissions: int | None,
        locale: str,
        created_at: float | None,
        message: Message | None = None,
    ) -> Interaction:
        if self.session is None or self.session.ws is None or self.session.ws.closed:
            await self.wait_connected()
        self.users.setdefault(user.id, user)
        created = time.time() if created_at is None else created_at
        interaction_id = snowflake(created)
        token = "ix." + secrets.token_urlsafe(24)
        perms = self._member_permissions(user, guild, permissions)
        if guild is not None:
            channel = channel or guild.channel()
        else:
            channel = channel or Channel(user.id, 0, "dm")
        payload: dict[str, Any] = {
            "id": str(interaction_id),
            "application_id": str(self.application_id),
            "type": kind,
            "data": data,
            "channel_id": str(channel.id),
            "token": token,
            "version": 1,
            "locale": locale,
            "app_permissions": str(channel.bot_permissions),
            "entitlements": [],
            "authorizing_integration_owners": (
                {"0": str(guild.id)} if guild else {"1": str(user.id)}
            ),
            "context": 0 if guild else 1,
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
            payload["channel"] = {"id": str(channel.id), "type": 1, "recipients": [user.payload()]}
        if message is not None:
            payload["message"] = message.payload()
        interaction = Interaction(
            interaction_id,
            token,
            kind,
            user,
            guild.id if guild else None,
            channel.id,
            payload,
            created,
            message=message,
        )
        self.interactions[token] = interaction
        await self.dispatch("INTERACTION_CREATE", payload)
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
                    if guild is None and definition.get("contexts") == [0]:
                        raise EmulatorError(f"/{path[0]} is guild-only")
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
    async def dispatch(self, event: str, data: dict) -> None:
        session = self.session
        if session is None:
            raise EmulatorError("the bot is not connected to the gateway")
        session.seq += 1
        frame = {"op": 0, "t": event, "s": session.seq, "d": data}
        session.sent.append(frame)
        if session.ws is not None and not session.ws.closed:
            await session.ws.send_str(json.dumps(frame))

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        if self.refuse_gateway:
            self.gateway_refusals += 1
            return web.Response(status=503, text="Service Unavailable")
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
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
                await self._identify(ws, data)
            elif op == 6:
                await self._resume(ws, data)
        return ws

    async def _identify(self, ws: web.WebSocketResponse, data: dict) -> None:
        if data.get("token") not in (self.token, f"Bot {self.token}"):
            await ws.close(code=4004, message=b"Authentication failed.")
            return
        self.identifies.append({k: v for k, v in data.items() if k != "token"})
        session = Session(secrets.token_hex(16), ws, intents=data.get("intents"))
        self.sessions[session.id] = session
        self.session = session
        ready = {
            "v": 10,
            "user": {
                **self.bot_user.payload(),
                "verified": True,
                "mfa_enabled": False,
                "flags": 0,
                "email": None,
            },
            "guilds": [{"id": str(g), "unavailable": True} for g in self.guilds],
            "session_id": session.id,
            "resume_gateway_url": self.gateway_url,
            "shard": [0, 1],
            "application": {"id": str(self.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
        }
        await self.dispatch("READY", ready)
        for guild in list(self.guilds.values()):
            await self.dispatch("GUILD_CREATE", guild.payload(self.bot_user))
        self._connected.set()

    async def _resume(self, ws: web.WebSocketResponse, data: dict) -> None:
        session = self.sessions.get(data.get("session_id", ""))
        if session is None or data.get("token") not in (self.token, f"Bot {self.token}"):
            await ws.send_json({"op": 9, "d": False})
            return
        session.ws = ws
        self.session = session
        seq = data.get("seq") or 0
        for frame in session.sent:
            if frame["s"] > seq:
                await ws.send_str(json.dumps(frame))
        session.seq += 1
        resumed = {"op": 0, "t": "RESUMED", "s": session.seq, "d": {}}
        session.sent.append(resumed)
        await ws.send_str(json.dumps(resumed))
        self._connected.set()

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
        webhook = path.startswith(("/webhooks/", "/interactions/"))
        if not webhook and request.headers.get("Authorization") != f"Bot {self.token}":
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
            (("GET", "/oauth2/applications/@me", "/oauth2/applications/@me"), self._app_info),
            (("GET", "/applications/@me", "/applications/@me"), self._app_info),
            (("GET", "/gateway", "/gateway"), self._gateway_info),
            (("GET", "/gateway/bot", "/gateway/bot"), self._gateway_info),
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
            }
        )

    async def _gateway_info(self, call: Call, files: dict) -> web.Response:
        return _json(
            {
                "url": self.gateway_url,
                "shards": 1,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 999,
                    "reset_after": 0,
                    "max_concurrency": 1,
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

    def _find_channel(self, channel_id: str) -> Channel | None:
        for guild in self.guilds.values():
            for channel in guild.channels:
                if channel.id == int(channel_id):
                    return channel
        return None

    async def _get_channel(self, call: Call, files: dict, channel_id: str) -> web.Response:
        channel = self._find_channel(channel_id)
        if channel is None:
            return _error(404, 10003, "Unknown Channel")
        return _json(channel.payload())

    async def _post_channel_msg(self, call: Call, files: dict, channel_id: str) -> web.Response:
        channel = self._find_channel(channel_id)
        if channel is None:
            return _error(404, 10003, "Unknown Channel")
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
