"""The real bot against the emulator: login, command registration, sync on change
only, gateway reconnects, and a clean shutdown on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from bot.emulator.model import Guild, User
from bot.emulator.server import DiscordEmulator
from tests.conftest import StartBot

REPO = Path(__file__).resolve().parents[1]


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
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(REPO),
        "DISCORD_TOKEN": emulator.token,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DISCORD_API_BASE_URL": emulator.api_base,
        "DISCORD_GATEWAY_URL": emulator.gateway_url,
        "PYTHONWARNINGS": "default",
    }
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
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(REPO),
        "DISCORD_TOKEN": emulator.token,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DISCORD_API_BASE_URL": emulator.api_base,
        "DISCORD_GATEWAY_URL": emulator.gateway_url,
    }
    for expected_puts in ([guild.id], [guild.id, guild.id]):  # forced: even when unchanged
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "sync", "--guild", str(guild.id), cwd=tmp_path, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )
        stdout, stderr = await asyncio.wait_for(process.communicate(), 60)
        assert process.returncode == 0, stderr.decode()
        assert f"synced to guild {guild.id}" in stdout.decode()
        assert emulator.command_puts == expected_puts
    assert "help" in {c["name"] for c in emulator.commands_for(guild)}
    assert emulator.identifies == []  # a sync needs no gateway session
