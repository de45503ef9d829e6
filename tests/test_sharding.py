"""Shard processes: the real program (`python -m bot`) started as several
processes, each running some shards of one count, against the emulator serving
those shards (with Discord's IDENTIFY rule, shortened to WINDOW seconds so that
starts take seconds; tests/support/bot_program.py shortens the bot's side)."""

from __future__ import annotations

import asyncio
import re
import signal
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.emulator.model import Guild, shard_for
from bot.emulator.openapi import RequestValidator
from bot.emulator.server import DiscordEmulator, IdentifyAttempt
from bot.sharding import session_start_problem, wait_for_identify
from bot.storage import StorageError
from tests.support.backends import ONLY_POSTGRES, TestDatabase, eventually
from tests.support.messages import unguarded_messages
from tests.support.program import program_env, run_program
from tests.support.secrets import PROGRAM_SECRET

WINDOW = 1.0  # the emulator's IDENTIFY window here (Discord's is 5 s)
SHARDS = 4
MAX_CONCURRENCY = 2  # shards 0 and 2 share a rate-limit key, as do 1 and 3
GUILDS = 2000


class ShardProcess:
    """`python -m bot` (through tests.support.bot_program) running SHARD_IDS."""

    def __init__(self, name: str, shard_ids: str, env: dict[str, str], folder: Path) -> None:
        self.name = name
        self.env = {**env, "SHARD_COUNT": str(SHARDS), "SHARD_IDS": shard_ids}
        self.folder = folder
        self.process: asyncio.subprocess.Process | None = None
        self.logs: list[Path] = []

    async def start(self) -> None:
        log = self.folder / f"{self.name}-{len(self.logs)}.log"
        self.logs.append(log)
        with log.open("wb") as out:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "tests.support.bot_program", str(WINDOW),
                cwd=self.folder, env=self.env, stdout=out, stderr=out)

    def log(self) -> str:
        """The output of the current run."""
        return self.logs[-1].read_text(errors="replace")

    def all_logs(self) -> str:
        return "".join(p.read_text(errors="replace") for p in self.logs)

    async def wait_for(self, *texts: str, seconds: float = 60) -> None:
        """Until the current run logged one of `texts`."""
        def seen() -> bool:
            assert self.process is not None
            if self.process.returncode is not None:
                raise AssertionError(f"{self.name} ended: {self.log()}")
            return any(text in self.log() for text in texts)
        await eventually(seen, f"{self.name} never logged {texts!r}: {self.log()}", seconds)

    async def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is None or self.process.returncode is not None:
            return
        self.process.send_signal(sig)
        try:
            await asyncio.wait_for(self.process.wait(), 30)
        finally:
            if self.process.returncode is None:
                self.process.kill()
                await self.process.wait()


def too_close(attempts: list[IdentifyAttempt], window: float) -> list[IdentifyAttempt]:
    """Accepted IDENTIFYs of one rate-limit key closer than `window`."""
    last: dict[int, float] = {}
    found = []
    for attempt in attempts:
        if attempt.accepted:
            key = attempt.shard_id % MAX_CONCURRENCY
            if key in last and attempt.at - last[key] < window:
                found.append(attempt)
            last[key] = attempt.at
    return found


async def settings_for_each(database: TestDatabase, guilds: list[Guild]) -> None:
    """Every community has data (a country), as after months of use."""
    storage = database.stores()
    await storage.open()
    try:
        for guild in guilds:
            await storage.communities.update(guild.id, country="GB")
    finally:
        await storage.close()


def with_data(database: TestDatabase) -> set[int]:
    return {row[0] for row in database.rows("community_settings")}


@ONLY_POSTGRES  # several processes share one PostgreSQL (one SQLite file refuses)
async def test_two_processes_of_two_shards_each(
    request_validator: RequestValidator, database: TestDatabase, tmp_path: Path
) -> None:
    """Two processes x two shards, 2,000 communities: every community answered by
    the process that runs its shard and by no other; the IDENTIFYs of both
    processes paced by max_concurrency (each process alone would identify its
    first shard at once, and shards 0 and 2 share a key); each daily job ran
    in one process; commands synced once; a community removed while one process
    was down is purged by that process when it starts again, and by no other
    (not even the other one restarting meanwhile)."""
    emulator = DiscordEmulator(validator=request_validator, shards=SHARDS,
                               max_concurrency=MAX_CONCURRENCY, identify_window=WINDOW)
    await emulator.start()
    a = b = None
    try:
        guilds = [emulator.add_guild(f"community {n}", guild_id=((5000 + n) << 22) | 7,
                                     channels=("general",))
                  for n in range(GUILDS)]
        await settings_for_each(database, guilds)
        env = program_env(
            DISCORD_TOKEN=emulator.token, ACK_SECRET=PROGRAM_SECRET,
            DATABASE_URL=database.env, DISCORD_API_BASE_URL=emulator.api_base,
            DISCORD_GATEWAY_URL=emulator.gateway_url, LOG_LEVEL="INFO")
        a = ShardProcess("a", "0-1", env, tmp_path)
        b = ShardProcess("b", "2-3", env, tmp_path)
        await asyncio.gather(a.start(), b.start())
        await emulator.wait_connected(shards=range(SHARDS), timeout=90)
        await asyncio.gather(a.wait_for("ready in"), b.wait_for("ready in"))

        # IDENTIFYs: none refused, none of one key within the window.
        attempts = emulator.identify_attempts
        assert [x for x in attempts if not x.accepted] == []
        assert sorted(x.shard_id for x in attempts) == [0, 1, 2, 3]
        assert too_close(attempts, WINDOW) == []
        assert emulator.command_puts == [None]  # by the process that runs shard 0

        # Every community answered once, by the shard (so the process) that owns it.
        member = emulator.add_user("sam")

        async def ask(guild: Guild) -> None:
            ix = await emulator.slash("help", user=member, guild=guild)
            reply = await ix.reply(60)
            assert reply.ephemeral
            assert ix.shards == [shard_for(guild.id, SHARDS)]

        for start in range(0, GUILDS, 50):
            await asyncio.gather(*(ask(g) for g in guilds[start:start + 50]))
        for ix in emulator.interactions.values():
            assert len(ix.messages) == 1 and ix.errors == []
        processes_of = {0: "a", 1: "a", 2: "b", 3: "b"}
        assert {processes_of[shard_for(g.id, SHARDS)] for g in guilds} == {"a", "b"}

        # Each daily job ran in exactly one of the two processes.
        day = datetime.now(UTC).date().isoformat()
        for job in ("retention", "snapshot"):
            line = f"the {job} job of {day} ran in this process"
            await eventually(lambda line=line: line in a.log() + b.log(),  # type: ignore[misc]
                             f"{job} never ran", 30)
            assert (a.log() + b.log()).count(line) == 1
        assert sorted((*r[:2], r[4]) for r in database.rows("job_leases")) == [
            ("retention", day, True), ("snapshot", day, True)]

        # Process b goes down; while it is down, one community of each process's
        # shards removes the bot. a hears of its own at once; b's has no session.
        of_a = next(g for g in guilds if shard_for(g.id, SHARDS) == 0)
        of_b = next(g for g in guilds if shard_for(g.id, SHARDS) == 2)
        await b.stop(signal.SIGKILL)
        await emulator.remove_guild(of_a)
        await emulator.remove_guild(of_b)
        await eventually(lambda: of_a.id not in with_data(database), "a did not purge its own")
        # a restarts while b is down: its start-up reconciliation judges its shards only.
        await a.stop()
        await a.start()
        await a.wait_for("start-up reconciliation: ", "start-up reconciliation would",
                         "no longer in")  # whatever it decided
        assert of_b.id in with_data(database)
        assert "start-up reconciliation: the bot is in all 999 communities" in a.log()

        await b.start()
        await b.wait_for("deleted the data of 1 community(ies) the bot is no longer in")
        assert with_data(database) == {g.id for g in guilds} - {of_a.id, of_b.id}
        assert "deleted the data of" not in a.log()
        assert "no longer in" not in a.all_logs()
    finally:
        for process in (a, b):
            if process is not None:
                await process.stop()
        await emulator.stop()
    assert emulator.validation_errors == []
    assert unguarded_messages(emulator) == []


async def test_too_few_session_starts_left_refuses_to_start(
    request_validator: RequestValidator, tmp_path: Path
) -> None:
    """Discord allows so many session starts a day (at zero it resets the token):
    a process that needs 2 and must keep 2 for reconnecting, with 3 left, says so
    in one line and does not connect."""
    emulator = DiscordEmulator(validator=request_validator, shards=2, session_start_total=3,
                               identify_window=0.0)
    await emulator.start()
    try:
        emulator.add_guild("community")
        env = program_env(
            DISCORD_TOKEN=emulator.token, ACK_SECRET=PROGRAM_SECRET,
            DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
            DISCORD_API_BASE_URL=emulator.api_base, DISCORD_GATEWAY_URL=emulator.gateway_url,
            SHARD_COUNT="auto", LOG_LEVEL="WARNING")  # the refusal, not the usual INFO
        started = time.monotonic()
        result = await asyncio.to_thread(run_program, ["run"], tmp_path, env)
        assert time.monotonic() - started < 60
    finally:
        await emulator.stop()
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("metoo-bot: "), result.stderr
    line = lines[0]
    assert re.search(r"allows 3 more gateway session starts .* needs 2 and keeps 2", line)
    assert emulator.identify_attempts == []  # it never connected
    assert emulator.command_puts == []  # nor synced


# ------------------------------------------------------------ the rules alone
def test_a_start_keeps_one_session_start_for_every_shard() -> None:
    # 2 own shards of 4: needs 2, keeps 4.
    assert session_start_problem(6, 3_600_000, 2, 4) is None
    problem = session_start_problem(5, 90 * 60_000, 2, 4)
    assert problem is not None and "allows 5 more" in problem and "1 h 30 min" in problem
    assert "\n" not in problem


class Slots:
    """A CoordinationStore's IDENTIFY half: each claim answers the next of `waits`
    (seconds until the key's turn; then 0: taken), or fails when `waits` is None."""

    def __init__(self, waits: list[float] | None = None) -> None:
        self.waits = waits
        self.asked: list[tuple[int, float]] = []

    async def claim_identify(self, rate_limit_key: int, window: float) -> float:
        self.asked.append((rate_limit_key, window))
        if self.waits is None:
            raise StorageError("the database is unreachable")
        return self.waits.pop(0) if self.waits else 0.0


async def test_an_identify_waits_for_its_keys_turn() -> None:
    slots = Slots([0.05, 0.05])
    waited = await wait_for_identify(slots, 5, 2, 0.3)  # type: ignore[arg-type]
    assert waited == pytest.approx(0.1)
    assert slots.asked == [(1, 0.3)] * 3  # key 5 % 2, asked until its turn came


async def test_without_the_database_an_identify_waits_a_whole_window() -> None:
    slots = Slots(None)
    started = time.monotonic()
    assert await wait_for_identify(slots, 0, 1, 0.2) == 0.2  # type: ignore[arg-type]
    assert time.monotonic() - started >= 0.2
