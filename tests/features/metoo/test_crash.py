"""Durability (docs/PRIVACY.md, rule 10): the real program (`python -m bot`) in its own
process confirms 40 acknowledgements, is killed with SIGKILL right after the
confirmations arrive, and every confirmed row is in the database afterwards, on
SQLite and on PostgreSQL. Its own log output (at LOG_LEVEL=DEBUG) names nobody
(rule 9)."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

import pytest

from bot.emulator.model import Guild, User
from bot.emulator.server import DiscordEmulator
from bot.features.metoo import text
from bot.features.metoo.rules import member_key
from tests.conftest import StartBot
from tests.support.backends import TestDatabase
from tests.support.program import program_env
from tests.support.secrets import PROGRAM_SECRET

pytestmark = pytest.mark.both_backends
CONFIRMED = 40


async def confirm(emulator: DiscordEmulator, guild: Guild, user: User) -> str:
    explanation = await (await emulator.slash("metoo add", user=user, guild=guild)).reply(30)
    press = await emulator.press(explanation, "me too", user=user)
    return (await press.reply(30)).content


async def test_confirmed_rows_survive_kill_9(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, database: TestDatabase,
    tmp_path: Path
) -> None:
    storage = database.stores()  # an admin turned counting on earlier
    await storage.open()
    await storage.communities.update(guild.id, acknowledgements_enabled=True)
    await storage.close()

    env = program_env(
        DISCORD_TOKEN=emulator.token,
        ACK_SECRET=PROGRAM_SECRET,  # the real program refuses the public local one
        DATABASE_URL=database.env,
        DISCORD_API_BASE_URL=emulator.api_base,
        DISCORD_GATEWAY_URL=emulator.gateway_url,
        LOG_LEVEL="DEBUG",
    )
    log_path = tmp_path / "bot.log"
    users = [emulator.add_user(f"survivor-{i}") for i in range(CONFIRMED)]
    with log_path.open("wb") as log_file:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=tmp_path, env=env,
            stdout=log_file, stderr=log_file,
        )
        try:
            await emulator.wait_connected(timeout=30)
            answers = await asyncio.gather(*(confirm(emulator, guild, u) for u in users))
            process.send_signal(signal.SIGKILL)  # at once: no shutdown, no final commit
            await asyncio.wait_for(process.wait(), 30)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
    assert process.returncode == -signal.SIGKILL
    assert answers == [text.THANKS] * len(users)

    def key_of(guild: Guild, user: User) -> bytes:
        return member_key(bytes.fromhex(PROGRAM_SECRET), guild.id, user.id)

    # The same database, after the crash, with the same secret.
    local = await start_bot(env={"ACK_SECRET": PROGRAM_SECRET})
    for user in users:
        assert await local.storage.acks.has(guild.id, key_of(guild, user))
    assert len(database.rows()) == len(users)

    log = log_path.read_text(errors="replace")
    assert "daily maintenance done" in log  # the log was captured
    for user in users:
        key = key_of(guild, user)
        for leak in (str(user.id), key.hex(), repr(key)[2:20], user.username):
            assert leak not in log, "the bot's log names a person"
    assert emulator.token not in log and PROGRAM_SECRET not in log
    assert not any(token in log for token in emulator.interactions)
