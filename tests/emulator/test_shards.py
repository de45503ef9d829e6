"""Shards, as real discord.py clients use them: GET /gateway/bot, each shard's
own guilds, interactions at the shard that owns the guild (DMs at shard 0),
max_concurrency enforced with INVALID_SESSION, the session start limit."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import discord
import pytest

from bot.emulator.model import Guild, shard_for
from bot.emulator.openapi import RequestValidator
from bot.emulator.server import DiscordEmulator, IdentifyAttempt
from tests.emulator.probe import ShardedProbe, run, stop
from tests.support.messages import unguarded_messages

ROOT = Path(__file__).resolve().parents[2]
Point = Callable[[DiscordEmulator], None]


@pytest.fixture
async def make_emulator(
    request_validator: RequestValidator,
) -> AsyncIterator[Callable[..., asyncio.Future[DiscordEmulator]]]:
    """`await make_emulator(shards=..., max_concurrency=..., identify_window=...)`:
    an emulator with those settings, checked like the shared fixture's."""
    made: list[DiscordEmulator] = []

    async def make(**settings: object) -> DiscordEmulator:
        emu = DiscordEmulator(validator=request_validator, **settings)  # type: ignore[arg-type]
        await emu.start()
        made.append(emu)
        return emu

    yield make  # type: ignore[misc]
    for emu in made:
        await emu.stop()
        assert emu.validation_errors == []
        assert unguarded_messages(emu) == []


def guilds_on_shards(emu: DiscordEmulator, count: int, per_shard: int = 2) -> list[Guild]:
    """Guilds whose ids put `per_shard` of them on each of `count` shards."""
    return [emu.add_guild(f"community {n}", guild_id=(1000 + n) << 22)
            for n in range(count * per_shard)]


def too_close(attempts: list[IdentifyAttempt], max_concurrency: int, window: float) -> list:
    """Accepted IDENTIFYs of one rate-limit key closer than `window`."""
    last: dict[int, float] = {}
    found = []
    for attempt in attempts:
        if not attempt.accepted:
            continue
        key = attempt.shard_id % max_concurrency
        if key in last and attempt.at - last[key] < window:
            found.append(attempt)
        last[key] = attempt.at
    return found


async def test_an_auto_sharded_client_gets_only_its_guilds_on_each_shard(
    make_emulator: Callable[..., asyncio.Future[DiscordEmulator]], point_at: Point
) -> None:
    emu = await make_emulator(shards=3, max_concurrency=3, session_start_total=10)
    guilds = guilds_on_shards(emu, 3)
    point_at(emu)
    probe = ShardedProbe()  # no shard_count: it asks GET /gateway/bot
    task = await run(probe, emu)
    try:
        await asyncio.wait_for(probe.wait_until_ready(), 15)
        assert probe.shard_count == 3
        assert [(a.shard_id, a.shard_count, a.accepted) for a in emu.identify_attempts] == [
            (0, 3, True), (1, 3, True), (2, 3, True)]
        for session in emu.current.values():
            ready = next(f["d"] for f in session.sent if f["t"] == "READY")
            created = [int(f["d"]["id"]) for f in session.sent if f["t"] == "GUILD_CREATE"]
            mine = [g.id for g in guilds if (g.id >> 22) % 3 == session.shard_id]
            assert len(mine) == 2
            assert [int(g["id"]) for g in ready["guilds"]] == mine == created
            assert ready["shard"] == [session.shard_id, 3]
        for guild in guilds:
            cached = probe.get_guild(guild.id)
            assert cached is not None and cached.shard_id == shard_for(guild.id, 3)

        limits = await probe.fetch_session_start_limits()  # GET /gateway/bot again
        assert (limits.total, limits.remaining, limits.max_concurrency) == (10, 7, 3)
        assert 0 < limits.reset_after <= 24 * 60 * 60 * 1000

        late = emu.add_guild("joins later", guild_id=(2000 + 1) << 22, bot_installed=False)
        assert shard_for(late.id, 3) == 0
        await emu.join_guild(late)  # GUILD_CREATE to shard 0's session only
        for _ in range(100):
            if probe.get_guild(late.id) is not None:
                break
            await asyncio.sleep(0.02)
        assert probe.get_guild(late.id) is not None
        for session in emu.current.values():
            got = any(f["t"] == "GUILD_CREATE" and int(f["d"]["id"]) == late.id
                      for f in session.sent)
            assert got == (session.shard_id == 0)

        member = emu.add_user("sam")
        for guild in guilds:
            ix = await emu.slash("everywhere", user=member, guild=guild)
            await ix.reply()
            assert ix.shards == [shard_for(guild.id, 3)]
        in_dm = await emu.slash("everywhere", user=member, guild=None)
        await in_dm.reply()
        assert in_dm.shards == [0]  # DMs go to shard 0
    finally:
        await stop(probe, task)


async def test_identifies_of_one_rate_limit_key_within_the_window_get_invalid_session(
    make_emulator: Callable[..., asyncio.Future[DiscordEmulator]], point_at: Point
) -> None:
    window = 1.5
    emu = await make_emulator(max_concurrency=2, identify_window=window)
    guilds_on_shards(emu, 4, per_shard=1)
    point_at(emu)
    # discord.py launches shards one after the other, 0.2 s apart here: shards 2
    # and 3 share rate-limit keys with 0 and 1 and come too early.
    probe = ShardedProbe(shard_ids=range(4), shard_count=4, identify_delay=0.2)
    task = await run(probe, emu)
    try:
        await emu.wait_connected(shards=range(4), timeout=20)
        await asyncio.wait_for(probe.wait_until_ready(), 15)
        refused = [a for a in emu.identify_attempts if not a.accepted]
        assert {a.shard_id for a in refused} == {2, 3}
        assert {a.reason for a in refused} == {"max_concurrency"}
        accepted = [a for a in emu.identify_attempts if a.accepted]
        assert sorted(a.shard_id for a in accepted) == [0, 1, 2, 3]
        assert too_close(emu.identify_attempts, 2, window) == []
        for attempt in refused:  # each came within the window of its key's last IDENTIFY
            key_last = max(a.at for a in accepted
                           if a.shard_id % 2 == attempt.shard_id % 2 and a.at <= attempt.at)
            assert attempt.at - key_last < window
        # Every IDENTIFY, refused or not, spends one session start.
        assert emu.session_start_remaining == 1000 - len(emu.identify_attempts)
    finally:
        await stop(probe, task)


async def test_several_processes_share_the_shards_and_each_answers_its_guilds(
    make_emulator: Callable[..., asyncio.Future[DiscordEmulator]]
) -> None:
    window = 1.0
    emu = await make_emulator(max_concurrency=1, identify_window=window)
    guilds = guilds_on_shards(emu, 2)
    env = {**os.environ, "DISCORD_TOKEN": emu.token, "PYTHONPATH": str(ROOT)}

    async def spawn(shard_ids: str, *extra: str) -> asyncio.subprocess.Process:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tests.emulator.shard_process", emu.api_base,
            emu.gateway_url, shard_ids, "2", str(window + 0.2), *extra,
            cwd=ROOT, env=env, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        )

    first = await spawn("0", "--sync")
    second = await spawn("1")
    processes = [first, second]
    try:
        for process in processes:  # both about to IDENTIFY...
            assert process.stdout is not None
            line = await asyncio.wait_for(process.stdout.readline(), 30)
            assert line.strip() == b"waiting"
        for process in processes:  # ...at the same moment
            assert process.stdin is not None
            process.stdin.write(b"go\n")
            await process.stdin.drain()
        await emu.wait_connected(shards=[0, 1], timeout=30)
        # One rate-limit key (max_concurrency 1): one of the two had to wait.
        assert [a.accepted for a in emu.identify_attempts].count(False) >= 1
        assert too_close(emu.identify_attempts, 1, window) == []
        assert emu.commands_for(None)  # synced by the first process before it connected

        member = emu.add_user("sam")
        for guild in guilds:
            shard = shard_for(guild.id, 2)
            reply = await (await emu.slash("everywhere", user=member, guild=guild)).reply()
            assert reply.text().startswith(f"answered by shards [{shard}]")
        reply = await (await emu.slash("everywhere", user=member, guild=None)).reply()
        assert reply.text().startswith("answered by shards [0]")  # DMs: shard 0's process
    finally:
        for process in processes:
            if process.returncode is None:
                process.terminate()
            await process.wait()


async def test_an_invalid_shard_is_closed_with_4010(
    make_emulator: Callable[..., asyncio.Future[DiscordEmulator]], point_at: Point
) -> None:
    emu = await make_emulator()
    point_at(emu)
    probe = ShardedProbe(shard_ids=[2], shard_count=2)
    with pytest.raises(discord.ConnectionClosed) as closed:
        await asyncio.wait_for(probe.start(emu.token), 15)
    await probe.close()
    assert closed.value.code == 4010
    assert [(a.shard_id, a.accepted, a.reason) for a in emu.identify_attempts] == [
        (2, False, "invalid shard")]


async def test_the_last_session_start_ends_every_session_and_resets_the_token(
    make_emulator: Callable[..., asyncio.Future[DiscordEmulator]], point_at: Point
) -> None:
    emu = await make_emulator(session_start_total=1)
    emu.add_guild("community")
    point_at(emu)
    first = ShardedProbe(shard_ids=[0], shard_count=1)
    first_task = await run(first, emu)
    await asyncio.wait_for(first.wait_until_ready(), 15)
    assert (await first.fetch_session_start_limits()).remaining == 0
    token = emu.token
    second = ShardedProbe(shard_ids=[0], shard_count=1, sync=False)
    with pytest.raises(discord.ConnectionClosed) as closed:
        await asyncio.wait_for(second.start(token), 15)
    await second.close()
    assert closed.value.code == 4004
    with pytest.raises(discord.ConnectionClosed):  # the running session ended too
        await asyncio.wait_for(first_task, 15)
    await first.close()
    assert emu.token != token
    assert emu.identify_attempts[-1].reason == "session start limit"
