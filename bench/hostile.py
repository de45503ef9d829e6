"""The hostile run (issue 11): the real program against the local Discord emulator,
driven by people who try to break it, and the figures that must all be zero.

    python -m bench.hostile [--seed N] [--interactions N] [--deletions N] [--kills N]

The real program (`python -m bot`, LOG_LEVEL=DEBUG, logging as in production) runs
in its own process on a temporary database, with canaries it must never write
down: the user ids of everyone involved, the bot token, ACK_SECRET, interaction
ids and tokens, and a marker in every piece of text typed. Then, reproducibly from
the seed (the same inputs in the same order with --lanes 1): every command and
subcommand with hostile option values (mentions, links, markdown, invisible and
control characters, strings at and beyond Discord's limits, flags, SQL, format
strings, numbers out of bounds), /config as members and as admins, autocomplete,
button presses with forged custom ids, by the wrong person and on stale messages;
"me too" cycles of many people (confirm, then /metoo remove or /privacy delete);
kill -9 runs (confirmations and withdrawals answered, kill at once, restart, ask
each person again). Writes bench/results/hostile.md; exits 1 when a figure that
must be zero is not.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import copy
import itertools
import os
import random
import re
import secrets
import signal
import sqlite3
import struct
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.emulator.model import (
    ADMIN_PERMISSIONS,
    ADMINISTRATOR,
    MANAGE_GUILD,
    MEMBER_PERMISSIONS,
    VIEW_CHANNEL,
    Guild,
    Message,
    User,
)
from bot.emulator.openapi import RequestValidator, default_spec_path
from bot.emulator.server import (
    DEFERRED_CHANNEL_MESSAGE,
    INITIAL_RESPONSE_WINDOW,
    DiscordEmulator,
    EmulatorError,
    Interaction,
)
from tests.support.messages import unguarded_messages

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"

SUB_COMMAND, GROUP, STRING, INTEGER, BOOLEAN, CHANNEL = 1, 2, 3, 4, 5, 7
DISCORD_STRING_LIMIT = 6000  # the longest string option value Discord sends
FILL_TIMEOUT = 15.0  # seconds a "thinking" answer may take to be filled
ALL_PERMISSIONS = (1 << 50) - 1
# The only command whose typed text the bot keeps (an admin's local resources).
STORES_TYPED_TEXT = "config resource-add"

# Pieces of hostile text; {user}, {role} and {channel} become ids (of a bystander,
# never a canary: a mention must ping nobody wherever it lands).
FRAGMENTS = (
    "@everyone", "@here", "@\u200beveryone", "<@{user}>", "<@!{user}>", "<@&{role}>",
    "<#{channel}>", "[free help](https://evil.example/phish)",
    "[https://safe.example](https://evil.example)", "https://evil.example/x?a=1&b=2",
    "discord.gg/evil", "<https://evil.example>", "http://127.0.0.1:8080/",
    "**bold** *it* __under__ ~~strike~~ ||spoiler||", "`code` ```py\nprint(1)\n```",
    "# Heading", "> quote", "-# small",
    "\u200b", "\u200c\u200d", "\u2060", "\ufeff", "\u202e", "\u2066\u2069", "\u061c",
    "\u3164", "\u2800", "e\u0301\u0301\u0301", "\x00", "\x07", "\x1b[31m", "\r\n", "\t", "\x7f",
    "🇬🇧", "🇺🇸", "🇩🇪", "🇺🇳", "🏳️‍🌈", "🏴‍☠️", "🇿", "🇦🇦",
    "'; DROP TABLE acknowledgements; --", "\" OR 1=1 --", "1; DELETE FROM community_settings",
    "%' OR '%'='", "{0}", "{count}", "{records}", "{name!r}", "{0.__class__}", "%s", "%d",
    "%(name)s", "%n", "${jndi:ldap://x}", "{{}}", "<script>alert(1)</script>",
    "../../etc/passwd", "null", "None", "NaN", "-0", "1e309", "uk", "usa", "germny", "GB", "none",
)
PLAUSIBLE_NAMES = ("Campus help", "**Night line**", "Café ✨", "{0} %s", "Union (contact)")
PLAUSIBLE_URLS = (None, "https://uni.example/help", "https://uni.example/a?b=c")
PLAUSIBLE_PHONES = (None, "+44 20 7946 0958", "020 7946 0958", "116 123")
# Interactions besides the hostile budget (--interactions): they come on top.
SETUP, CYCLE, KILL, LATE = ("set-up (admin)", "\"me too\" cycle", "kill -9 run",
                            "press: stale, after the restarts")
LOCALES = ("en-US", "en-GB", "de", "fr", "pl", "es-ES", "es-419", "pt-BR", "ja")
TAG = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"  # base64url
MARKER = re.compile(rb"Zq[ma]\d+n\d+")
SNOWFLAKE_TEXT = re.compile(rb"\d{17,20}")
INTERACTION_TOKEN = re.compile(rb"ix\.[A-Za-z0-9_-]{32}")
LOG_PROBLEM = re.compile(
    r" (ERROR|CRITICAL) |Traceback|Exception ignored|never awaited|Task was destroyed")


@dataclass(frozen=True)
class Options:
    seed: int = 1
    interactions: int = 1200  # hostile interactions (cycles and kill runs come on top)
    deletions: int = 300
    kills: int = 6
    per_kill: int = 12  # people confirming in each kill -9 run
    lanes: int = 4  # hostile interactions in flight at once


# ------------------------------------------------------------------ canaries
class Canaries:
    """What the bot must never write down: searched for in its logs and files."""

    def __init__(self, token: str, secret: str) -> None:
        self.literals = {"the bot token": token.encode(), "ACK_SECRET": secret.encode(),
                         "ACK_SECRET (bytes)": bytes.fromhex(secret)}
        self.typed: set[str] = set()  # markers never stored anywhere
        self.stored: set[str] = set()  # markers of an admin's resources: may be in the database
        self.user_ids: set[int] = set()
        self.tokens: set[str] = set()  # interaction tokens
        self.interaction_ids: set[int] = set()
        self._count = 0

    def marker(self, scenario: int, stored: bool) -> str:
        self._count += 1
        value = f"Zq{'a' if stored else 'm'}{scenario}n{self._count}"
        (self.stored if stored else self.typed).add(value)
        return value

    def found(self, data: bytes, *, stored_allowed: bool) -> set[str]:
        """Kinds of canary present in `data` (never the values)."""
        found: set[str] = set()
        for raw in set(MARKER.findall(data)):
            marker = raw.decode()
            if marker in self.typed or (marker in self.stored and not stored_allowed):
                found.add("typed text")
        numbers = {int(d) for d in SNOWFLAKE_TEXT.findall(data)}
        if numbers & self.user_ids:
            found.add("a user id")
        if numbers & self.interaction_ids:
            found.add("an interaction id")
        if any(struct.pack(">Q", u) in data or struct.pack("<Q", u) in data
               for u in self.user_ids):
            found.add("a user id (as an integer)")
        if any(t.decode() in self.tokens for t in set(INTERACTION_TOKEN.findall(data))):
            found.add("an interaction token")
        found.update(name for name, value in self.literals.items() if value in data)
        return found


# ------------------------------------------------------------------ the program
class Program:
    """`python -m bot` in its own process, against the emulator, as production runs it."""

    def __init__(self, emu: DiscordEmulator, folder: Path, secret: str) -> None:
        self.emu, self.secret = emu, secret
        self.run_dir = folder / "run"  # its working directory: every file it writes
        self.log_dir = folder / "logs"
        self.run_dir.mkdir()
        self.log_dir.mkdir()
        self.database = self.run_dir / "data" / "metoo.sqlite3"
        self.process: asyncio.subprocess.Process | None = None
        self.logs: list[Path] = []

    async def start(self) -> None:
        log = self.log_dir / f"bot-{len(self.logs) + 1}.log"
        self.logs.append(log)
        env = {
            "PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(REPO),
            "DISCORD_TOKEN": self.emu.token, "ACK_SECRET": self.secret,
            "DATABASE_URL": "sqlite:///data/metoo.sqlite3",
            "DISCORD_API_BASE_URL": self.emu.api_base,
            "DISCORD_GATEWAY_URL": self.emu.gateway_url, "LOG_LEVEL": "DEBUG",
        }
        with log.open("wb") as out:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", cwd=self.run_dir, env=env, stdout=out, stderr=out)
        deadline = time.monotonic() + 60
        while "ready in " not in log.read_text(errors="replace"):
            if self.process.returncode is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the bot did not start:\n{log.read_text()[-3000:]}")
            await asyncio.sleep(0.05)

    async def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()

    async def stop(self) -> None:
        if self.process is None or self.process.returncode is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.process.wait(), 30)
        except TimeoutError:
            await self.kill()

    def files(self) -> list[Path]:
        return [p for p in self.run_dir.rglob("*") if p.is_file()]


def community_rows(database: Path, guild_id: int) -> dict[str, list[str]]:
    """Every row of the community tables (settings, resources) for one community."""
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        tables = [row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'community%'")]
        return {table: sorted(repr(row) for row in conn.execute(
            f"SELECT * FROM {table} WHERE guild_id = ?", (guild_id,))) for table in tables}
    finally:
        conn.close()


def acknowledgement_rows(database: Path) -> Counter[int]:
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return Counter({g: n for g, n in conn.execute(
            "SELECT guild_id, count(*) FROM acknowledgements GROUP BY guild_id")})
    finally:
        conn.close()


# ------------------------------------------------------------------ the run
@dataclass
class Tried:
    kind: str
    ix: Interaction
    public_allowed: bool
    answered: bool = True
    expect_answer: bool = True


@dataclass
class Snapshot:
    """A message with buttons as it was when first seen, for stale and forged presses."""

    message: Message
    owner: User
    used: bool = False


@dataclass
class World:
    hostile: Guild  # members only (and an admin's /config reset prompt): nothing may change
    admin_guild: Guild  # admins configure it with hostile values
    other: Guild  # a community whose channels are offered to the others
    ack_guilds: list[Guild]
    kill_guilds: list[Guild]
    admin: User
    members: list[User]
    bystander: int  # an id mentioned in typed text; nobody who acts

    @classmethod
    def create(cls, emu: DiscordEmulator, options: Options, canaries: Canaries) -> World:
        def name(plain: str) -> str:  # names are typed by people too
            return f"{canaries.marker(0, stored=False)} {plain} @everyone **{{0}}** %s \u202e"

        channels = ("general", "announcements", "locked")
        hostile = emu.add_guild(name("Hostile community"), channels=channels)
        hostile.channel("locked").bot_permissions = VIEW_CHANNEL  # the bot cannot post there
        admin_guild = emu.add_guild(name("Admin playground"), channels=channels)
        admin_guild.channel("locked").bot_permissions = VIEW_CHANNEL
        members = [emu.add_user(name(f"member-{i}")) for i in range(12)]
        members.append(emu.add_user(name("new-account"), created_at=time.time() - 86400))
        joined_now = emu.add_user(name("joined-now"))
        hostile.joined[joined_now.id] = time.time()
        members.append(joined_now)
        return cls(
            hostile, admin_guild, emu.add_guild("Another community"),
            [emu.add_guild(f"Counting {i}") for i in range(2)],
            [emu.add_guild(f"Kill run {i}") for i in range(options.kills)],
            emu.add_user("admin"), members, emu.add_user("bystander").id,
        )


def leaf_commands(definitions: list[dict]) -> dict[str, dict]:
    """`path -> definition of the leaf` for every command and subcommand."""
    leaves: dict[str, dict] = {}

    def walk(path: list[str], node: dict, top: dict) -> None:
        nested = [o for o in node.get("options") or [] if o["type"] in (SUB_COMMAND, GROUP)]
        if not nested:
            leaves[" ".join(path)] = {"options": node.get("options") or [],
                                      "guild_only": top.get("contexts") == [0]}
        for option in nested:
            walk([*path, option["name"]], option, top)

    for definition in definitions:
        if definition.get("type", 1) == 1:
            walk([definition["name"]], definition, definition)
    return leaves


def answered(ix: Interaction) -> bool:
    return any(m.content or m.embeds or m.attachments or m.components for m in ix.messages)


def fill(fragment: str, ids: dict[str, int]) -> str:
    for name, value in ids.items():
        fragment = fragment.replace("{" + name + "}", str(value))
    return fragment


def component_ids(message: Message) -> list[str]:
    return [c["custom_id"] for c in message.buttons() + message.selects() if c.get("custom_id")]


def clickable(message: Message) -> list[dict]:
    return [b for b in message.buttons() if b.get("custom_id") and not b.get("disabled")]


class HostileRun:
    def __init__(self, emu: DiscordEmulator, program: Program, world: World,
                 canaries: Canaries, options: Options) -> None:
        self.emu, self.program, self.world = emu, program, world
        self.canaries, self.options = canaries, options
        self.leaves = leaf_commands(emu.commands_for(None))
        self.tried: list[Tried] = []
        self.snapshots: list[Snapshot] = []
        self.seen_ids: set[str] = set()
        # Ids of components on answers to someone who asked for a public answer: a
        # press of one may answer publicly (a menu keeps the wish); any other, never.
        self.public_ids: set[str] = set()
        self.deletions = 0
        self.expected_rows: Counter[int] = Counter()
        self.kills = 0
        self.confirmed_before_kill = 0
        self.lost: list[str] = []
        self.hostile_tried = 0
        self.turns: Counter[str] = Counter()

    # ------------------------------------------------------------ interacting
    async def act(self, kind: str, start: Awaitable[Interaction], *, public: bool = False,
                  wait: bool = True) -> Interaction | None:
        """Inject one interaction, wait for its answer, keep it for the checks."""
        try:
            ix = await start
        except EmulatorError:  # something Discord itself would not send
            return None
        self.canaries.tokens.add(ix.token)
        self.canaries.interaction_ids.add(ix.id)
        self.canaries.user_ids.add(ix.user.id)
        tried = Tried(kind, ix, public)
        self.tried.append(tried)
        self.hostile_tried += kind not in (SETUP, CYCLE, KILL, LATE)
        if ix.message is not None:  # what was pressed once is stale from now on
            for snapshot in self.snapshots:
                snapshot.used |= snapshot.message.id == ix.message.id
        if not wait:
            tried.expect_answer = False
            return ix
        tried.answered = await settle(ix)
        for message in ix.messages:
            self.keep(message, ix.user)
            if public:
                self.public_ids.update(component_ids(message))
        return ix

    def keep(self, message: Message, owner: User) -> None:
        buttons = component_ids(message)
        if not buttons or message.guild_id not in (self.world.hostile.id, None):
            return
        self.seen_ids.update(buttons)
        self.snapshots.append(Snapshot(copy.deepcopy(message), owner))

    def text(self, rng: random.Random, scenario: int, limit: int, *, stored: bool = False,
             plausible: tuple[str, ...] = (), marked: bool = True) -> str:
        """Hostile text with a unique marker, sometimes at or beyond the limits;
        sometimes a plausible value (with the marker, unless `marked` is false)."""
        guild = self.world.hostile
        ids = {"user": self.world.bystander, "role": guild.id, "channel": guild.channels[0].id}
        pieces = [fill(rng.choice(FRAGMENTS), ids) for _ in range(rng.randint(1, 5))]
        if plausible and rng.random() < 0.5:
            if not marked:
                return rng.choice(plausible)
            pieces = [rng.choice(plausible)]
        elif rng.random() < 0.1:
            return "".join(pieces)  # bare hostile text, without a marker
        value = self.canaries.marker(scenario, stored) + " " + rng.choice(" \n").join(pieces)
        size = rng.choice((None, None, None, limit, limit + 1, DISCORD_STRING_LIMIT,
                           DISCORD_STRING_LIMIT + 1))
        if size is not None:
            value = (value + " ") * (size // len(value) + 1)
        return value[:size]

    def values(self, rng: random.Random, scenario: int, path: str, guild: Guild | None,
               *, admin: bool) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for option in self.leaves[path]["options"]:
            if not option.get("required") and rng.random() < 0.3:
                continue
            kind = option["type"]
            if option.get("choices"):
                values[option["name"]] = rng.choice(option["choices"])["value"]
            elif kind == STRING:
                stored = admin and path == STORES_TYPED_TEXT
                bare = {"url": PLAUSIBLE_URLS, "phone": PLAUSIBLE_PHONES,
                        "code": ("GB", "de", "🇫🇷", "none", "united kingdom")}.get(option["name"])
                values[option["name"]] = self.text(
                    rng, scenario, option.get("max_length", 100), stored=stored,
                    plausible=tuple(p for p in bare or PLAUSIBLE_NAMES if p), marked=not bare)
            elif kind == INTEGER:
                low, high = option.get("min_value"), option.get("max_value")
                edges = [0, -1, 1, 2006, 2017, 2**31, 2**53, -(2**53)]
                edges += [] if low is None else [low, low - 1]
                edges += [] if high is None else [high, high + 1]
                values[option["name"]] = rng.choice(edges)
            elif kind == BOOLEAN:
                values[option["name"]] = rng.random() < 0.5
            elif kind == CHANNEL and guild is not None:
                values[option["name"]] = rng.choice([*guild.channels, self.world.other.channels[0]])
        return values

    def member(self, rng: random.Random, besides: User | None = None) -> User:
        return rng.choice([m for m in self.world.members if m is not besides])

    def next_of(self, kind: str, items: list[Any]) -> Any:
        """Each in turn, so that a small run still tries every command."""
        self.turns[kind] += 1
        return items[self.turns[kind] % len(items)]

    # ------------------------------------------------------------ scenarios
    async def member_command(self, rng: random.Random, n: int) -> None:
        path = self.next_of("member", [p for p in self.leaves if not p.startswith("config")])
        guild = self.world.hostile
        if rng.random() < 0.15:
            guild = self.world.admin_guild  # where admins typed hostile resources
        elif not self.leaves[path]["guild_only"] and rng.random() < 0.15:
            guild = None  # in the bot's DMs
        user = self.member(rng)
        options = self.values(rng, n, path, guild, admin=False)
        ix = await self.act("slash command (member)", self.emu.slash(
            path, user=user, guild=guild, options=options, locale=rng.choice(LOCALES)),
            public=options.get("public") is True)
        if ix is not None and rng.random() < 0.5:
            await self.press_real(rng, ix, user)

    async def press_real(self, rng: random.Random, ix: Interaction, user: User) -> None:
        """Press a button (or pick in a menu) of an answer, as the person who asked."""
        for message in ix.messages:
            buttons, menus = clickable(message), [s for s in message.selects()
                                                  if s.get("type") == 3]
            if menus and rng.random() < 0.5:
                menu = menus[0]
                value = rng.choice(menu["options"])["value"]
                await self.act("press: a real button or menu", self.emu.select(
                    message, [value], user=user, custom_id=menu["custom_id"]),
                    public=menu["custom_id"] in self.public_ids)
                return
            if buttons:
                button = rng.choice(buttons)
                await self.act("press: a real button or menu", self.emu.press(
                    message, user=user, custom_id=button["custom_id"]),
                    public=button["custom_id"] in self.public_ids)
                return

    async def member_config(self, rng: random.Random, n: int) -> None:
        path = self.next_of("member config", [p for p in self.leaves if p.startswith("config")])
        guild = self.world.hostile
        options = self.values(rng, n, path, guild, admin=False)
        permissions = rng.choice((MEMBER_PERMISSIONS, 0,
                                  ALL_PERMISSIONS & ~(MANAGE_GUILD | ADMINISTRATOR)))
        ix = await self.act("/config as a member", self.emu.slash(
            path, user=self.member(rng), guild=guild, options=options, permissions=permissions))
        if ix is not None and rng.random() < 0.5:
            await self.press_real(rng, ix, ix.user)

    async def admin_config(self, rng: random.Random, n: int) -> None:
        path = self.next_of("admin config", [p for p in self.leaves if p.startswith("config")])
        guild = self.world.admin_guild
        options = self.values(rng, n, path, guild, admin=True)
        ix = await self.act("/config as an admin", self.emu.slash(
            path, user=self.world.admin, guild=guild, options=options,
            permissions=ADMIN_PERMISSIONS, locale=rng.choice(LOCALES)))
        if ix is None:
            return
        for message in ix.messages:
            buttons = clickable(message)
            if buttons and rng.random() < 0.7:  # /config reset: delete or cancel
                await self.act("/config as an admin", self.emu.press(
                    message, user=self.world.admin, custom_id=rng.choice(buttons)["custom_id"],
                    permissions=ADMIN_PERMISSIONS))

    async def autocomplete(self, rng: random.Random, n: int) -> None:
        choices = [(p, o["name"]) for p, leaf in self.leaves.items()
                   for o in leaf["options"] if o.get("autocomplete")]
        path, option = self.next_of("autocomplete", choices)
        admin = path.startswith("config") and rng.random() < 0.5
        guild = self.world.admin_guild if admin else self.world.hostile
        if not admin and not self.leaves[path]["guild_only"] and rng.random() < 0.15:
            guild = None
        user = self.world.admin if admin else self.member(rng)
        await self.act("autocomplete", self.emu.autocomplete(
            path, option, self.text(rng, n, 100), user=user, guild=guild,
            permissions=ADMIN_PERMISSIONS if admin else None, locale=rng.choice(LOCALES)))

    async def forged_press(self, rng: random.Random, n: int) -> None:
        if not self.snapshots:
            return await self.member_command(rng, n)
        snapshot = rng.choice(self.snapshots)
        forged = self.forge(rng, rng.choice(component_ids(snapshot.message)))
        fake = copy.deepcopy(snapshot.message)
        fake.components = [{"type": 1, "components": [
            {"type": 2, "style": 2, "label": "forged", "custom_id": forged}]}]
        user = snapshot.owner if rng.random() < 0.3 else self.member(rng)
        # A forged id is the presser's own request: if it asks for a public answer
        # (a country menu's flag), that answer is theirs to make public, as with
        # /hotline public:True. What it must not do is checked by the other figures.
        await self.act("press: forged custom id", self.emu.press(
            fake, user=user, custom_id=forged), public=True)

    def forge(self, rng: random.Random, real: str) -> str:
        """A custom id a modified client could send instead of `real`."""
        def other_user(match: re.Match[str]) -> str:
            return str(self.member(rng).id)

        def nudge(match: re.Match[str]) -> str:
            return str(max(0, int(match.group(0)) + rng.choice((-1, 1, -3600, 86400, 10**6))))

        alphabet = "abcdefghijklmnopqrstuvwxyz0123456789:_-./ \u200b{}%é🇬🇧"
        strategies: list[Callable[[], str]] = [
            lambda: "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 100))),
            lambda: real[:rng.randint(1, max(1, len(real) - 1))],
            lambda: re.sub(r"\d{17,20}", other_user, real),  # another person as owner
            lambda: re.sub(r"(?<=:)\d{1,12}(?=:|$)", nudge, real),  # a forged time or page
            lambda: real.rsplit(":", 1)[0] + ":" + "".join(rng.choices(TAG, k=11)),  # a forged tag
            lambda: real.rsplit(":", 1)[0],  # no tag
            lambda: rng.choice(sorted(self.seen_ids)),  # an id of another kind of component
            lambda: (real + ":" + "x" * 100)[:100],
            lambda: real.replace(":", ":\u200b", 1),
        ]
        forged = rng.choice(strategies)()
        return forged[:100] or "x"

    async def wrong_person(self, rng: random.Random, n: int) -> None:
        snapshots = [s for s in self.snapshots if clickable(s.message)]
        if not snapshots:
            return await self.member_command(rng, n)
        snapshot = rng.choice(snapshots)
        button = rng.choice(clickable(snapshot.message))
        await self.act("press: by the wrong person", self.emu.press(
            snapshot.message, user=self.member(rng, besides=snapshot.owner),
            custom_id=button["custom_id"]),
            public=button["custom_id"] in self.public_ids)

    async def stale_press(self, rng: random.Random, n: int, kind: str = "press: stale") -> None:
        snapshots = [s for s in self.snapshots if clickable(s.message)]
        if not snapshots:
            return await self.member_command(rng, n)
        used = [s for s in snapshots if s.used] or snapshots
        snapshot = rng.choice(used)
        snapshot.used = True
        button = rng.choice(clickable(snapshot.message))
        owner = snapshot.owner if snapshot.owner is not self.world.admin else self.member(rng)
        await self.act(kind, self.emu.press(
            copy.deepcopy(snapshot.message), user=owner, custom_id=button["custom_id"]),
            public=button["custom_id"] in self.public_ids)

    SCENARIOS = (("member_command", 25), ("member_config", 15), ("admin_config", 15),
                 ("autocomplete", 15), ("forged_press", 15), ("wrong_person", 8),
                 ("stale_press", 7))

    async def hostile_lane(self, next_scenario: Callable[[], int]) -> None:
        names, weights = zip(*self.SCENARIOS, strict=True)
        while self.hostile_tried < self.options.interactions:
            n = next_scenario()
            rng = random.Random(f"{self.options.seed}:{n}")
            await getattr(self, rng.choices(names, weights)[0])(rng, n)

    # ------------------------------------------------------------ "me too" cycles
    async def consent(self, kind: str, guild: Guild, person: User) -> Message | None:
        """/metoo add: the explanation with its confirm button, if offered."""
        ix = await self.act(kind, self.emu.slash("metoo add", user=person, guild=guild))
        for message in ix.messages if ix else []:
            if any("me too" in b.get("label", "") for b in clickable(message)):
                return message
        return None

    async def confirm(self, kind: str, guild: Guild, person: User, *,
                      twice: bool = False) -> bool:
        """/metoo add, then "me too" (`twice`: a double click, two presses at once)."""
        explanation = await self.consent(kind, guild, person)
        if explanation is None:
            raise RuntimeError("/metoo add offered no confirm button in a counting community")
        presses = await asyncio.gather(*(
            self.act(kind, self.emu.press(explanation, "me too", user=person))
            for _ in range(2 if twice else 1)))
        return all(ix is not None and answered(ix) for ix in presses)

    async def cycle(self, n: int) -> None:
        """One person: confirm, then withdraw (/metoo remove or /privacy delete)."""
        rng = random.Random(f"{self.options.seed}:cycle:{n}")
        guild = self.world.ack_guilds[n % len(self.world.ack_guilds)]
        person = self.emu.add_user(f"person-{n}")
        if not await self.confirm(CYCLE, guild, person, twice=rng.random() < 0.1):
            return
        self.expected_rows[guild.id] += 1
        if rng.random() < 0.1:
            return  # stays counted: the rows left at the end are checked
        if rng.random() < 0.5:
            done = await self.act(CYCLE, self.emu.slash("metoo remove", user=person, guild=guild))
        else:
            prompt = await self.act(CYCLE, self.emu.slash("privacy delete", user=person,
                                                          guild=guild))
            if prompt is None or not answered(prompt):
                return
            done = await self.act(CYCLE, self.emu.press(prompt.messages[0], "Delete",
                                                        user=person))
        if done is not None and answered(done):
            self.deletions += 1
            self.expected_rows[guild.id] -= 1

    async def cycle_lane(self, next_cycle: Callable[[], int]) -> None:
        while self.deletions < self.options.deletions:
            await self.cycle(next_cycle())

    # ------------------------------------------------------------ kill -9
    async def kill_run(self, k: int) -> None:
        """Some confirm "me too" while others (counted earlier) withdraw with /privacy
        delete or /metoo remove; kill -9 the moment these are answered (sometimes
        when only half are); restart, and ask each of them: every confirmed
        acknowledgement must be held, every confirmed withdrawal gone."""
        rng = random.Random(f"{self.options.seed}:kill:{k}")
        guild = self.world.kill_guilds[k]
        people = [self.emu.add_user(f"kill-{k}-{i}") for i in range(self.options.per_kill)]
        leaving = [self.emu.add_user(f"kill-{k}-leaving-{i}")
                   for i in range(self.options.per_kill // 3)]
        for person in leaving:
            await self.confirm(KILL, guild, person)
        explanations = await asyncio.gather(*(self.consent(KILL, guild, p) for p in people))
        burst = [await self.act(KILL, self.emu.press(e, "me too", user=p), wait=False)
                 for p, e in zip(people, explanations, strict=True) if e is not None]
        prompts = [await self.act(KILL, self.emu.slash("privacy delete", user=p, guild=guild))
                   for p in leaving[::2]]
        burst += [await self.act(KILL, self.emu.press(ix.messages[0], "Delete", user=ix.user),
                                 wait=False) for ix in prompts if ix and answered(ix)]
        burst += [await self.act(KILL, self.emu.slash("metoo remove", user=p, guild=guild),
                                 wait=False) for p in leaving[1::2]]
        changes = [ix for ix in burst if ix is not None]
        need = len(changes) if rng.random() < 0.5 else max(1, len(changes) // 2)
        waits = [asyncio.ensure_future(ix.reply(30)) for ix in changes]
        pending = set(waits)
        while pending and sum(answered(ix) for ix in changes) < need:
            _, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        await self.program.kill()  # at once: no shutdown, no final commit
        done = [ix.user for ix in changes if answered(ix)]
        for wait in pending:
            wait.cancel()
        await asyncio.gather(*waits, return_exceptions=True)
        self.kills += 1
        self.confirmed_before_kill += len(done)
        await self.program.start()
        for person in done:
            held = await self.consent(KILL, guild, person) is None  # else offered again
            if person in leaving and held:
                self.lost.append(f"kill run {k}: a confirmed withdrawal was undone")
            elif person not in leaving and not held:
                self.lost.append(f"kill run {k}: a confirmed acknowledgement is missing")

    # ------------------------------------------------------------ setting up
    async def setup(self) -> None:
        """Admins turn counting on everywhere and configure the hostile community."""
        kind = SETUP
        for guild in [self.world.hostile, self.world.admin_guild, *self.world.ack_guilds,
                      *self.world.kill_guilds]:
            await self.configure(kind, guild, "config acknowledgements", enabled=True)
        hostile = self.world.hostile
        await self.configure(kind, hostile, "config country", code="GB")
        await self.configure(kind, hostile, "config threshold", value=20)
        for name in ("Campus Counselling", "Union contact"):
            await self.configure(kind, hostile, "config resource-add",
                                 name=f"{self.canaries.marker(0, True)} {name}",
                                 description="Free, confidential support.",
                                 url="https://uni.example/help", phone="+44 20 7946 0958")
        await self.configure(kind, hostile, "config panel", channel=hostile.channel("general"))
        await self.configure(kind, hostile, "config log-channel",
                             channel=hostile.channel("announcements"))
        await self.configure(kind, self.world.admin_guild, "config panel",
                             channel=self.world.admin_guild.channel("general"))
        # A reset prompt in the hostile community, for others to press (never its owner).
        await self.configure(kind, hostile, "config reset")
        for message in self.emu.channel_messages(hostile.channel("general")):
            self.keep(message, self.member(random.Random(0)))

    async def configure(self, kind: str, guild: Guild, path: str, **options: Any) -> None:
        ix = await self.act(kind, self.emu.slash(path, user=self.world.admin, guild=guild,
                                                 options=options,
                                                 permissions=ADMIN_PERMISSIONS))
        if ix is None or not answered(ix):
            raise RuntimeError(f"/{path} was not answered while setting up")


async def settle(ix: Interaction) -> bool:
    """Whether the interaction was answered inside Discord's 3 seconds (and a
    "thinking" answer filled in afterwards)."""
    try:
        await ix.acknowledged(timeout=INITIAL_RESPONSE_WINDOW + 0.5)
        if ix.response_type == DEFERRED_CHANNEL_MESSAGE:
            await ix.reply(timeout=FILL_TIMEOUT)
    except TimeoutError:
        return False
    return True


# ------------------------------------------------------------------ figures
@dataclass
class Figures:
    tried: Counter[str] = field(default_factory=Counter)
    deletions: int = 0
    kills: int = 0
    confirmed_before_kill: int = 0
    commands: tuple[int, int] = (0, 0)  # commands and subcommands tried, of all
    problems: dict[str, list[str]] = field(default_factory=dict)  # figure -> what was found

    FIGURES = (
        "pings (a message that could mention anyone)",
        "answers public where they must be private",
        "typed text shown in a public message",
        "interactions unanswered within 3 s",
        "requests Discord would refuse",
        "canary leaks in the logs",
        "canary leaks in the database and other files",
        "/config changes by a non-admin",
        "confirmed changes lost after kill -9 (acknowledgements, withdrawals)",
        "acknowledgement rows not as expected after the cycles",
        "unexpected exceptions logged",
    )

    def add(self, figure: str, found: list[str]) -> None:
        assert figure in self.FIGURES, figure
        self.problems.setdefault(figure, []).extend(found)

    def count(self, figure: str) -> int:
        return len(self.problems.get(figure, []))

    @property
    def failed(self) -> bool:
        return any(self.count(f) for f in self.FIGURES)

    def table(self) -> str:
        lines = ["| interactions tried | count |", "|---|---|"]
        lines += [f"| {kind} | {n:,} |" for kind, n in sorted(self.tried.items())]
        lines += [f"| **total** | **{sum(self.tried.values()):,}** |", "",
                  "| figure | count |", "|---|---|",
                  f"| commands and subcommands tried | {self.commands[0]} of "
                  f"{self.commands[1]} |",
                  f"| deletions of confirmed acknowledgements | {self.deletions:,} |",
                  f"| kill -9 runs (changes confirmed before the kill) | "
                  f"{self.kills} ({self.confirmed_before_kill}) |"]
        lines += [f"| {f} | {self.count(f)} |" for f in self.FIGURES]
        for figure in self.FIGURES:
            found = self.problems.get(figure, [])
            if found:
                lines += ["", f"{figure}, first of {len(found)}:"]
                lines += [f"- {line}" for line in sorted(set(found))[:10]]
        return "\n".join(lines)


def command_path(data: dict) -> str:
    path = [data.get("name", "")]
    options = data.get("options") or []
    while options and options[0]["type"] in (SUB_COMMAND, GROUP):
        path.append(options[0]["name"])
        options = options[0].get("options") or []
    return " ".join(path)


def check_answers(run: HostileRun, figures: Figures) -> None:
    typed = run.canaries.typed
    commands = {command_path(t.ix.payload["data"]) for t in run.tried if t.ix.type == 2}
    figures.commands = (len(commands & set(run.leaves)), len(run.leaves))
    for tried in run.tried:
        figures.tried[tried.kind] += 1
        ix = tried.ix
        data = ix.payload["data"]
        what = data.get("name") or ":".join(data.get("custom_id", "").split(":")[:2])
        where = f"{tried.kind}: {what}"
        if tried.expect_answer and not tried.answered:
            figures.add("interactions unanswered within 3 s", [where])
        if ix.errors:
            figures.add("requests Discord would refuse", [f"{where}: HTTP {ix.errors}"])
        for message in ix.messages:
            if message is ix.message or message.ephemeral:
                continue
            if not tried.public_allowed:
                figures.add("answers public where they must be private", [where])
            if typed & {m.decode() for m in MARKER.findall(message.text().encode())}:
                figures.add("typed text shown in a public message", [where])
    for message in run.emu.messages.values():  # posts to channels (the panel, the log)
        if message.interaction_token is None and (
                typed & {m.decode() for m in MARKER.findall(message.text().encode())}):
            figures.add("typed text shown in a public message", ["a channel post"])

    def untokened(lines: list[str]) -> list[str]:  # the report names no token
        return [INTERACTION_TOKEN.sub(b"<token>", line.encode()).decode() for line in lines]

    figures.add("pings (a message that could mention anyone)",
                untokened(unguarded_messages(run.emu)))
    figures.add("requests Discord would refuse", untokened(run.emu.validation_errors))
    if run.emu.validator is None:
        figures.add("requests Discord would refuse",
                    [f"not checked: Discord's OpenAPI description is not at {default_spec_path()}"])


def check_files(run: HostileRun, figures: Figures, moment: str) -> None:
    for path in run.program.files():
        found = run.canaries.found(path.read_bytes(), stored_allowed=True)
        figures.add("canary leaks in the database and other files",
                    [f"{moment}: {kind} in {path.name}" for kind in sorted(found)])


def check_logs(run: HostileRun, figures: Figures) -> None:
    for path in run.program.logs:
        data = path.read_bytes()
        found = run.canaries.found(data, stored_allowed=False)
        figures.add("canary leaks in the logs", [f"{kind} in {path.name}" for kind in found])
        problems = [line.strip()[:160] for line in data.decode(errors="replace").splitlines()
                    if LOG_PROBLEM.search(line)]
        figures.add("unexpected exceptions logged", problems)


async def run(options: Options) -> Figures:
    figures = Figures()
    secret = secrets.token_hex(32)
    bot_id = str(random.Random(options.seed).randrange(10**17, 10**18)).encode()
    token = ".".join((base64.urlsafe_b64encode(bot_id).decode().rstrip("="),
                      secrets.token_urlsafe(4), secrets.token_urlsafe(28)))
    canaries = Canaries(token, secret)
    spec = default_spec_path()
    validator = RequestValidator(spec) if spec.is_file() else None
    with tempfile.TemporaryDirectory(prefix="metoo-hostile-") as folder:
        async with DiscordEmulator(token=token, validator=validator) as emu:
            world = World.create(emu, options, canaries)
            program = Program(emu, Path(folder), secret)
            await program.start()
            hostile = HostileRun(emu, program, world, canaries, options)
            try:
                await hostile.setup()
                before = community_rows(program.database, world.hostile.id)
                if not before.get("community_resources"):
                    raise RuntimeError("the hostile community was not configured")
                scenarios, cycles = itertools.count(1), itertools.count(1)
                await asyncio.gather(
                    *(hostile.hostile_lane(scenarios.__next__) for _ in range(options.lanes)),
                    *(hostile.cycle_lane(cycles.__next__) for _ in range(2)))
                check_files(hostile, figures, "while running")
                for k in range(options.kills):
                    await hostile.kill_run(k)
                # Buttons of messages from before the restarts.
                for n in range(max(3, options.interactions // 40)):
                    await hostile.stale_press(random.Random(f"{options.seed}:late:{n}"), -n,
                                              LATE)
                rows_after = community_rows(program.database, world.hostile.id)
                acks = acknowledgement_rows(program.database)
            finally:
                await program.stop()
            canaries.user_ids |= set(emu.users) - {world.bystander}
            check_answers(hostile, figures)
        check_files(hostile, figures, "after stopping")
        check_logs(hostile, figures)
    changed = [f"{table}: {row}" for table in before
               for row in set(before[table]) ^ set(rows_after.get(table, []))]
    figures.add("/config changes by a non-admin", changed)
    figures.add("confirmed changes lost after kill -9 (acknowledgements, withdrawals)",
                hostile.lost)
    figures.add("acknowledgement rows not as expected after the cycles", [
        f"{guild.name}: {acks[guild.id]} rows, {hostile.expected_rows[guild.id]} expected"
        for guild in world.ack_guilds if acks[guild.id] != hostile.expected_rows[guild.id]])
    figures.deletions, figures.kills = hostile.deletions, hostile.kills
    figures.confirmed_before_kill = hostile.confirmed_before_kill
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.hostile", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    defaults = Options()
    parser.add_argument("--seed", type=int, default=defaults.seed, help="what to try (default 1)")
    parser.add_argument("--interactions", type=int, default=defaults.interactions,
                        help="hostile interactions (default 1200; cycles and kill runs "
                             "add their own)")
    parser.add_argument("--deletions", type=int, default=defaults.deletions,
                        help="confirmed acknowledgements to delete (default 300)")
    parser.add_argument("--kills", type=int, default=defaults.kills,
                        help="kill -9 runs (default 6)")
    parser.add_argument("--lanes", type=int, default=defaults.lanes,
                        help="hostile interactions in flight at once (default 4; 1 sends "
                             "a seed's inputs in the same order every time)")
    parser.add_argument("--out", type=Path, default=RESULTS / "hostile.md",
                        help="where to write the tables (default: bench/results/hostile.md)")
    args = parser.parse_args(argv)
    options = Options(seed=args.seed, interactions=args.interactions, deletions=args.deletions,
                      kills=args.kills, lanes=max(1, args.lanes))
    started = time.monotonic()
    figures = asyncio.run(run(options))
    command = " ".join(["python -m bench.hostile", *(argv if argv is not None else sys.argv[1:])])
    report = "\n".join([
        f"# metoo-bot hostile run, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC", "",
        f"`{command}` (seed {options.seed}), {time.monotonic() - started:.0f} s", "",
        figures.table(), ""])
    print(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    print(f"written to {args.out}")
    return 1 if figures.failed else 0


if __name__ == "__main__":
    sys.exit(main())
