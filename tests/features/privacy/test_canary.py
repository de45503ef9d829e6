"""The canary test (docs/PRIVACY.md, rules 4 and 9): unique strings typed into every
option a member can reach, the member's name, user id (as text and as an
integer), interaction ids and tokens, the bot token and the secret never appear
in the database file, its -wal file, or the logs, whatever the member did."""

from __future__ import annotations

import logging
import struct
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.emulator.model import Guild, User
from bot.emulator.server import DiscordEmulator
from bot.features.metoo import text
from bot.features.privacy import text as privacy_text
from bot.kit.cog import Cooldowns
from bot.local import LOCAL_ACK_SECRET
from bot.logs import HELD_AT_INFO
from tests.conftest import StartBot
from tests.support.acks import (
    Clock,
    acknowledge,
    enable,
    file_bytes,
    key_of,
)

SUBCOMMAND, GROUP, STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER = (
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10)


class RawRecords(logging.Handler):
    """Log lines as the bot wrote them, before any redaction (the filter is a
    backstop; the bot must not rely on it)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        line = record.getMessage()
        if record.exc_info:
            line += "\n" + logging.Formatter().formatException(record.exc_info)
        self.lines.append(line)


@pytest.fixture
def raw_logs() -> Iterator[RawRecords]:
    handler = RawRecords()
    loggers = [logging.getLogger(n) for n in ("bot", "discord", "aiosqlite", "asyncio")]
    for logger in loggers:
        logger.addHandler(handler)
    yield handler
    for logger in loggers:
        logger.removeHandler(handler)


def leaf_commands(definitions: list[dict]) -> Iterator[tuple[str, list[dict]]]:
    def walk(path: list[str], options: list[dict]) -> Iterator[tuple[str, list[dict]]]:
        nested = [o for o in options if o["type"] in (SUBCOMMAND, GROUP)]
        if not nested:
            yield " ".join(path), options
        for option in nested:
            yield from walk([*path, option["name"]], option.get("options") or [])

    for definition in definitions:
        if definition.get("type", 1) == 1:
            yield from walk([definition["name"]], definition.get("options") or [])


def value_for(option: dict, canary: str, guild: Guild, member: User) -> Any:
    kind = option["type"]
    if option.get("choices"):
        return option["choices"][0]["value"]
    if kind == STRING:
        return canary
    if kind in (INTEGER, NUMBER):
        low, high = option.get("min_value", 2017), option.get("max_value", 2017)
        return max(low, min(high, 2017))
    if kind == BOOLEAN:
        return False
    if kind == CHANNEL:
        return guild.channel()
    if kind == USER:
        return member
    return None


async def type_canaries_everywhere(
    emulator: DiscordEmulator, guild: Guild, member: User, canaries: list[str]
) -> int:
    """Run every command a member can reach (not the admins' /config) with a unique
    canary in each text option, and type one into each autocomplete. Returns the
    number of canaries typed."""
    typed = 0
    for path, options in leaf_commands(emulator.commands_for(None)):
        if path.split()[0] == "config":
            continue  # admins store what they type there (names of local resources)
        values: dict[str, Any] = {}
        for option in options:
            canary = f"canary-{len(canaries):03d}-q7Zx"
            value = value_for(option, canary, guild, member)
            if value is None:
                continue
            if value == canary:
                canaries.append(canary)
                typed += 1
            values[option["name"]] = value
            if option.get("autocomplete"):
                canaries.append(typed_text := f"canary-{len(canaries):03d}-q7Zx")
                typed += 1
                ix = await emulator.autocomplete(path, option["name"], typed_text, user=member,
                                                 guild=guild)
                await ix.autocomplete()
        ix = await emulator.slash(path, user=member, guild=guild, options=values)
        await ix.acknowledged()
    return typed


def as_integer(value: int) -> list[bytes]:
    return [struct.pack(">Q", value), struct.pack("<Q", value)]


async def test_nothing_about_a_person_reaches_the_disk_or_the_logs(
    emulator: DiscordEmulator, start_bot: StartBot, db_path: Path, captured_logs, raw_logs
) -> None:
    clock = Clock(datetime(2026, 3, 10, 14, 37, 52, tzinfo=UTC))
    guild = emulator.add_guild("guild-name-canary-Hq3v")
    member = emulator.add_user("member-name-canary-Vb8k")
    other = emulator.add_user("other-name-canary-Pz2m")
    local = await start_bot(clock=clock, env={"LOG_LEVEL": "DEBUG"})
    for name in HELD_AT_INFO:  # as configure_logging does in production, at DEBUG
        logging.getLogger(name).setLevel(logging.INFO)
    for cog in ("MeToo", "Privacy"):  # this member does a lot in a few seconds
        local.bot.get_cog(cog).cooldowns = Cooldowns(rate=1000)
    await enable(local, guild)

    canaries: list[str] = [guild.name, member.username, other.username]
    await type_canaries_everywhere(emulator, guild, member, canaries)

    # Everything a member can do with their own data, more than once.
    for user in (member, other):
        assert (await acknowledge(emulator, guild, user)).content == text.THANKS
    await (await emulator.slash("metoo count", user=member, guild=guild,
                                options={"public": True})).reply()
    await (await emulator.slash("privacy mydata", user=member, guild=guild)).reply()
    await (await emulator.slash("metoo remove", user=member, guild=guild)).reply()
    await acknowledge(emulator, guild, member)
    prompt = await (await emulator.slash("privacy delete", user=member, guild=guild)).reply()
    assert (await (await emulator.press(prompt, "Delete", user=member)).reply()).content == \
        privacy_text.DELETED.format(records="1 record")
    await acknowledge(emulator, guild, member)  # a row exists at the end

    forbidden_text = [*canaries, emulator.token, LOCAL_ACK_SECRET, "14:37", "T14"]
    forbidden_bytes = [bytes.fromhex(LOCAL_ACK_SECRET)]
    for user in (member, other):
        forbidden_text.append(str(user.id))
        forbidden_bytes += as_integer(user.id)
    for ix in emulator.interactions.values():
        forbidden_text += [ix.token, str(ix.id), str(ix.channel_id)]
        forbidden_bytes += as_integer(ix.id) + as_integer(ix.channel_id)
    seconds = int(clock.now.timestamp())
    forbidden_bytes += as_integer(seconds) + as_integer(seconds * 1000)
    forbidden_text += [str(seconds), str(seconds * 1000)]

    def leaks(data: bytes) -> list[str]:
        found = [t for t in forbidden_text if t.encode() in data]
        found += [b.hex() for b in forbidden_bytes if b in data]
        return found

    assert canaries and len(emulator.interactions) > 10
    assert key_of(guild, member) in file_bytes(db_path)  # the check can see a row
    assert leaks(file_bytes(db_path)) == []  # while running: database and WAL
    await local.stop()
    assert leaks(file_bytes(db_path)) == []  # and once closed

    member_keys = [key_of(guild, u).hex() for u in (member, other)]
    for lines, name in ((captured_logs.text, "logs"), ("\n".join(raw_logs.lines), "raw logs")):
        assert raw_logs.lines, "nothing was logged: the check would see nothing"
        assert leaks(lines.encode()) == [], name
        assert not any(k in lines for k in member_keys), name
