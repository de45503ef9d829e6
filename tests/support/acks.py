"""Helpers of the acknowledgement and privacy tests: keys, figures, a clock, rows."""

from __future__ import annotations

import asyncio
import copy
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.emulator.model import EPHEMERAL, Guild, Message, User
from bot.emulator.server import DiscordEmulator
from bot.features.metoo import noise, text
from bot.features.metoo.rules import member_key
from bot.local import LocalBot
from tests.support.secrets import SECRET

NOISE_KEY = noise.noise_key(SECRET)


def key_of(guild: Guild, user: User) -> bytes:
    return member_key(SECRET, guild.id, user.id)


def noisy(guild: Guild | None, total: int, day: str) -> int:
    """The figure the daily job draws for a community (None: the total across
    communities) holding `total` on `day`, with the local bot's secret."""
    scope = noise.GLOBAL_SCOPE if guild is None else guild.id
    return noise.figure(total, noise.day_noise(NOISE_KEY, scope, date.fromisoformat(day)))


def shown(value: int, threshold: int = 10) -> str:
    """How /metoo count words a figure (in English a shown figure is never 1)."""
    count = noise.shown_count(value, threshold)
    if count.fewer_than is not None:
        return text.COUNT_FEWER_OTHER.format(count=count.fewer_than)
    return text.COUNT_ABOUT_OTHER.format(count=count.about)


@dataclass
class Clock:
    """A controllable clock for `start_bot(clock=...)`."""

    now: datetime = datetime(2026, 3, 10, 14, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, days: int = 0, hours: int = 0) -> None:
        self.now += timedelta(days=days, hours=hours)

    @property
    def day(self) -> str:
        return self.now.date().isoformat()


async def enable(local: LocalBot, guild: Guild, **settings: object) -> None:
    await local.storage.communities.update(guild.id, acknowledgements_enabled=True, **settings)


def rows(db_path: Path, table: str = "acknowledgements") -> list[tuple]:
    """The table's rows, read by a separate connection as another process would."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return list(conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2"))
    finally:
        conn.close()


def file_bytes(db_path: Path) -> bytes:
    """The database file and its write-ahead log, as an attacker with the disk sees them."""
    data = db_path.read_bytes()
    wal = db_path.with_name(db_path.name + "-wal")
    if wal.exists():
        data += wal.read_bytes()
    return data


async def consent(emulator: DiscordEmulator, guild: Guild, user: User) -> Message:
    """Run /metoo add and return the private explanation with its buttons."""
    reply = await (await emulator.slash("metoo add", user=user, guild=guild)).reply()
    assert reply.ephemeral
    return reply


async def acknowledge(emulator: DiscordEmulator, guild: Guild, user: User) -> Message:
    """The whole opt-in: /metoo add, then press the confirm button. Returns the answer."""
    explanation = await consent(emulator, guild, user)
    pressed = await emulator.press(explanation, "me too", user=user)
    answer = await pressed.reply()
    assert answer.ephemeral
    return answer


def stale(message: Message) -> Message:
    """The message as another window of the person still shows it after the bot
    replaced it in place (a press on it is a press on the old buttons)."""
    return copy.deepcopy(message)


def assert_everything_private(emulator: DiscordEmulator) -> None:
    """Every answer the bot gave was ephemeral (the first "thinking" one included),
    and it called nothing but the interaction endpoints: no channel post, DM,
    reaction, role or nickname change."""
    for call in emulator.calls:
        if call.method in ("PUT", "GET") and call.path.startswith(("/applications", "/users/@me",
                                                                    "/gateway", "/oauth2")):
            continue  # start-up: login and command registration
        if call.path.startswith("/interactions/"):
            body = call.body or {}
            if body.get("type") in (4, 5):
                assert body["data"]["flags"] & EPHEMERAL, f"not ephemeral: {body}"
            if body.get("type") in (6, 7):  # an update: of a private message only
                ix = emulator.interactions[call.path.split("/")[3]]
                assert ix.message is not None and ix.message.ephemeral, f"public update: {body}"
            continue
        if call.path.startswith("/webhooks/"):
            if call.method == "POST":
                assert (call.body or {}).get("flags", 0) & EPHEMERAL, "a public follow-up"
            continue
        raise AssertionError(f"the bot called {call.method} {call.path}")


def thanks_or_already(message: Message) -> str:
    if message.content == text.THANKS:
        return "thanks"
    if message.content == text.ALREADY_COUNTED:
        return "already"
    raise AssertionError(f"unexpected answer: {message.content!r}")


def quick_daily_job(local: LocalBot) -> None:
    """Let the daily job check the day every 20 ms instead of every minute."""
    cog = local.bot.get_cog("Lifecycle")
    cog.poll_seconds = 0.02
    cog.wake()  # end the current (one-minute) wait


async def next_day(local: LocalBot, clock: Clock, days: int = 1) -> None:
    """Move the clock on and wait for the daily job to notice by itself."""
    if local.bot.get_cog("Lifecycle").poll_seconds > 0.02:
        quick_daily_job(local)
    clock.advance(days=days)
    for _ in range(500):
        if await local.storage.acks.snapshot_day() == clock.day:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the daily job did not take a snapshot")


def fields(message: Message) -> dict[str, str]:
    return {f["name"]: f["value"] for f in message.embeds[0]["fields"]}


async def count(emulator: DiscordEmulator, guild: Guild, user: User, **options) -> Message:
    return await (await emulator.slash("metoo count", user=user, guild=guild,
                                       options=options)).reply()
