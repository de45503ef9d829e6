"""The real bot against the emulator: login, command registration, sync on change
only, gateway reconnects, and a clean shutdown on SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import re
import signal
import sys
import time
from pathlib import Path

from bot.app import MetooBot, configure_endpoints
from bot.emulator.model import Guild, User
from bot.emulator.server import DiscordEmulator
from bot.local import local_settings
from tests.conftest import StartBot
from tests.support.program import program_env
from tests.support.storage import sqlite_stores


async def test_login_registers_commands_with_valid_bodies(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild
) -> None:
    local = await start_bot()
    assert local.bot.synced is True
    assert emulator.command_puts == [None]  # one global bulk overwrite
    names = {c["name"] for c in emulator.commands_for(None)}
    assert "help" in names
    put = emulator.calls_to("PUT", r"^/applications/\d+/commands$")
    assert len(put) == 1 and put[0].status == 200
    # The fixture also fails the test if any request body broke Discord's schema.
    identify = emulator.identifies[0]
    assert identify["intents"] == 1  # GUILDS only: no privileged or message intents
    assert local.bot.get_guild(guild.id) is not None


async def test_unchanged_commands_are_not_synced_again(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, member: User
) -> None:
    first = await start_bot()
    await first.stop()
    second = await start_bot()
    assert second.bot.synced is False
    assert emulator.command_puts == [None]
    reply = await (await emulator.slash("help", user=member, guild=guild)).reply()
    assert reply.ephemeral  # still answers, from the earlier registration


async def test_dev_guild_syncs_to_that_guild_and_counts_as_a_change(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, member: User
) -> None:
    first = await start_bot()
    await first.stop()
    dev = await start_bot(env={"DEV_GUILD_ID": str(guild.id)})
    assert dev.bot.synced is True
    assert emulator.command_puts == [None, guild.id]
    assert {c["name"] for c in emulator.commands_for(guild)} >= {"help"}
    reply = await (await emulator.slash("help", user=member, guild=guild)).reply()
    assert "/help" in reply.text()


async def test_reconnect_and_resume_keep_answering(
    emulator: DiscordEmulator, running, guild: Guild, member: User
) -> None:
    await emulator.request_reconnect()
    await emulator.wait_connected()
    assert len(emulator.identifies) == 1  # it resumed, not a new session
    reply = await (await emulator.slash("help", user=member, guild=guild)).reply()
    assert reply.ephemeral


async def test_guild_delete_and_join_are_received(
    emulator: DiscordEmulator, running, guild: Guild
) -> None:
    bot = running.bot
    await emulator.remove_guild(guild)
    for _ in range(100):
        if bot.get_guild(guild.id) is None:
            break
        await asyncio.sleep(0.02)
    assert bot.get_guild(guild.id) is None
    other = emulator.add_guild("Another community")
    await emulator.join_guild(other)
    for _ in range(100):
        if bot.get_guild(other.id) is not None:
            break
        await asyncio.sleep(0.02)
    assert bot.get_guild(other.id) is not None


async def test_sigterm_shuts_down_cleanly(
    emulator: DiscordEmulator, guild: Guild, member: User, tmp_path: Path
) -> None:
    """The real program (`python -m bot`) in its own process: it answers, then on
    SIGTERM closes the gateway and the database and exits 0 with no warnings."""
    env = {**emulator_env(emulator, tmp_path), "PYTHONWARNINGS": "default"}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await emulator.wait_connected(timeout=30)
        reply = await (await emulator.slash("help", user=member, guild=guild)).reply(timeout=30)
        assert reply.ephemeral
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    log = stderr.decode()
    assert process.returncode == 0, log
    assert "database closed" in log
    for bad in (
        "Traceback",
        "WARNING",
        "ERROR",
        "ResourceWarning",
        "RuntimeWarning",
        "Unclosed",
        "was never awaited",
        "Task was destroyed",
    ):
        assert bad not in log, log
    assert emulator.token not in log


async def test_sync_command_forces_a_sync_to_one_guild(
    emulator: DiscordEmulator, guild: Guild, tmp_path: Path
) -> None:
    env = emulator_env(emulator, tmp_path)
    for expected_puts in ([guild.id], [guild.id, guild.id]):  # forced: even when unchanged
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "sync", "--guild", str(guild.id), cwd=tmp_path, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )
        stdout, stderr = await asyncio.wait_for(process.communicate(), 60)
        assert process.returncode == 0, stderr.decode()
        # One line, nothing else: the start-up log of a running bot is noise here.
        assert stderr.decode() == ""
        assert stdout.decode().count("\n") == 1
        assert f"synced to guild {guild.id}" in stdout.decode()
        assert emulator.command_puts == expected_puts
    assert "help" in {c["name"] for c in emulator.commands_for(guild)}
    assert emulator.identifies == []  # a sync needs no gateway session


async def test_sync_to_a_guild_the_bot_is_not_in_explains_the_403(
    emulator: DiscordEmulator, tmp_path: Path
) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "sync", "--guild", "123456789012345678", cwd=tmp_path,
        env=emulator_env(emulator, tmp_path),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 1 and stdout == b""
    lines = stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "HTTP 403" in lines[0], stderr.decode()
    assert "not in that server" in lines[0] and "applications.commands" in lines[0]
    assert emulator.command_puts == []


def emulator_env(emulator: DiscordEmulator, tmp_path: Path) -> dict[str, str]:
    """The program's environment for a bot that talks to `emulator`."""
    return program_env(
        DISCORD_TOKEN=emulator.token,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DISCORD_API_BASE_URL=emulator.api_base,
        DISCORD_GATEWAY_URL=emulator.gateway_url,
    )


async def test_sigterm_during_a_reconnect_back_off_stops_within_2_seconds(
    emulator: DiscordEmulator, guild: Guild, tmp_path: Path
) -> None:
    """The gateway drops and every reconnect is refused: discord.py waits longer
    and longer between attempts. SIGTERM in the middle of such a wait must not
    wait for its end."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=tmp_path,
        env={**emulator_env(emulator, tmp_path), "PYTHONWARNINGS": "default"},
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )
    log: list[str] = []
    try:
        await emulator.wait_connected(timeout=30)
        await emulator.drop_gateway(refuse=True)
        assert process.stderr is not None
        # Wait for a back-off long enough that waiting it out would take over 3 s.
        while True:
            line = (await asyncio.wait_for(process.stderr.readline(), 120)).decode()
            assert line, "the bot stopped on its own: " + "".join(log)
            log.append(line)
            found = re.search(r"Attempting a reconnect (?:for shard ID \d+ )?in (\d+\.\d+)s", line)
            if found and float(found.group(1)) >= 3.5:
                break
        refusals = emulator.gateway_refusals
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        rest = await asyncio.wait_for(process.stderr.read(), 30)
        await asyncio.wait_for(process.wait(), 30)
        stopped_after = time.monotonic() - started
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    log.append(rest.decode())
    assert process.returncode == 0, "".join(log)
    assert stopped_after < 2.0, f"took {stopped_after:.1f} s"
    assert "database closed" in log[-1]
    assert emulator.gateway_refusals == refusals  # no further attempt once told to stop
    for bad in ("Traceback", "Task was destroyed", "ResourceWarning", "Unclosed"):
        assert bad not in log[-1], log[-1]


async def test_a_short_run_warns_of_nothing(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, captured_logs
) -> None:
    """Stopped as soon as it is ready: the start-up reconciliation that READY
    started must not fail on the closing database and warn."""
    for _ in range(3):
        local = await start_bot()
        await local.stop()
    loud = [r for r in captured_logs.records if r.levelno >= logging.WARNING]
    assert loud == [], [r.getMessage() for r in loud]


async def test_closing_before_ready_is_dispatched_leaves_no_error(
    emulator: DiscordEmulator, guild: Guild, db_path: Path, captured_logs
) -> None:
    """discord.py waits for communities after READY, then dispatches on_ready,
    even if the bot was closed meanwhile (with no event loop left to run it)."""
    settings = local_settings(emulator, db_path)
    configure_endpoints(settings)
    storage = sqlite_stores(settings.database.sqlite_path)
    await storage.open()
    bot = MetooBot(settings, storage, guild_ready_timeout=0.3)
    assert settings.token is not None
    task = asyncio.create_task(bot.start(settings.token.reveal().decode()))
    try:
        await emulator.wait_connected()
        await bot.close()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 10)
        await asyncio.sleep(0.6)  # past the wait for communities
        gc.collect()  # "Task exception was never retrieved" is reported on collection
        await asyncio.sleep(0)
    finally:
        await storage.close()
    loud = [r for r in captured_logs.records if r.levelno >= logging.WARNING]
    assert loud == [], [r.getMessage() for r in loud]
