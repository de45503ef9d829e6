"""Benchmark: metoo-bot against a bare discord.py bot, both in their own process,
both talking to the local Discord emulator over real HTTP and websocket.

    python -m bench            # the full run (a few minutes); writes bench/results/latest.md
    python -m bench --smoke    # tiny counts, to check that it works

For each interaction: throughput, p50/p99 latency (from the gateway dispatch to
the answer the user sees) and the bot process's CPU per interaction, at
concurrency 1 and 50, with the ratio to the bare bot's /ping. Then /metoo count
and autocomplete with 1k versus 1M acknowledgement rows; memory and time to READY
with 10,000 and 100,000 guilds versus the bare bot; start-up reconciliation with
100,000 stored communities; the daily snapshot job on 1,000,000 acknowledgement
rows while the bot answers; and every target with whether it holds.
`--profile` also records flame graphs (py-spy) of the bot at concurrency 50.
`--no-orjson` runs both bots without orjson (to measure what it brings).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import contextvars
import gc
import importlib.metadata
import os
import platform
import re
import secrets
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.emulator.model import ADMIN_PERMISSIONS, Guild, Message, User
from bot.emulator.server import DiscordEmulator
from bot.storage.sqlite.backend import migrations, split_statements

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
CLK_TCK = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Size:
    n_serial: int
    n_parallel: int
    concurrency: int
    rows_small: int
    rows_large: int
    guilds: tuple[int, ...]  # memory and time to READY
    stored: int  # communities stored at the start-up reconciliation
    absent: int  # of which the bot is no longer in
    job_rows: int  # acknowledgement rows of the daily snapshot job
    warmup: int
    rounds: int


FULL = Size(n_serial=300, n_parallel=1500, concurrency=50, rows_small=1_000,
            rows_large=1_000_000, guilds=(10_000, 100_000), stored=100_000, absent=1_000,
            job_rows=1_000_000, warmup=30, rounds=3)
SMOKE = Size(n_serial=3, n_parallel=6, concurrency=3, rows_small=10, rows_large=100,
             guilds=(5,), stored=20, absent=2, job_rows=100, warmup=1, rounds=1)

# The targets (read in this output, never in a timed test): CPU per interaction
# and p99 against bare /ping in the same rounds, durable confirmations per second
# at concurrency 50, memory at READY, p99 while the daily job runs.
CPU_TARGETS = {"/hotline": 1.15, "/history timeline": 1.15, "/metoo count": 1.2,
               "/metoo confirm (durable)": 1.5}
P99_TARGET = 1.5
CONFIRM_RATE_TARGET = 0.8
MEMORY_TARGET = 1.3
JOB_P99_TARGET = 2.0


@dataclass
class Result:
    name: str
    concurrency: int
    count: int
    throughput: float
    p50_ms: float
    p99_ms: float
    cpu_ms: float
    errors: int


# ------------------------------------------------------------ processes
def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


class BotProcess:
    """A bot in its own process, pointed at the emulator. With `ready` set to
    the line the bot prints when discord.py says READY, it waits for that line
    and records `ready_seconds` (from the start of the process)."""

    def __init__(self, emu: DiscordEmulator, argv: list[str], env: dict[str, str],
                 ready: str | None = None, ready_on_stdout: bool = False,
                 watch: str | None = None) -> None:
        self.emu, self.argv, self.env = emu, argv, env
        self.ready, self.ready_on_stdout = ready, ready_on_stdout
        self.watch = watch  # a text whose lines are counted (`seen`)
        self.seen = 0
        self.seen_changed = asyncio.Event()
        self.ready_seconds = float("nan")
        self.ready_line = ""  # the line that said READY
        self.ready_at = float("nan")  # time.perf_counter() when it was read
        self.seen_at = float("nan")  # the same, of the last line with `watch`
        self.process: asyncio.subprocess.Process | None = None
        self._drains: list[asyncio.Task[None]] = []
        self._seen: asyncio.Event = asyncio.Event()
        self._tail: list[bytes] = []

    async def __aenter__(self) -> BotProcess:
        identified = len(self.emu.identifies)
        env = {
            "PATH": os.environ.get("PATH", ""),
            "PYTHONPATH": os.pathsep.join(p for p in (NO_ORJSON.get(), str(REPO)) if p),
            "DISCORD_TOKEN": self.emu.token,
            "DISCORD_API_BASE_URL": self.emu.api_base,
            "DISCORD_GATEWAY_URL": self.emu.gateway_url,
            "LOG_LEVEL": "INFO" if self.watch or (self.ready and not self.ready_on_stdout)
                         else "WARNING",
            **self.env,
        }
        started = time.perf_counter()
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, *self.argv, cwd=REPO, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )
        assert self.process.stdout is not None and self.process.stderr is not None
        # Read both streams to the end, so that a bot that logs never blocks on a pipe.
        self._drains = [asyncio.create_task(self._drain(stream, watch))
                        for stream, watch in ((self.process.stdout, self.ready_on_stdout),
                                              (self.process.stderr, not self.ready_on_stdout))]
        if self.ready:
            waiting = asyncio.create_task(self._seen.wait())
            exited = asyncio.create_task(self.process.wait())
            await asyncio.wait({waiting, exited}, timeout=900,
                               return_when=asyncio.FIRST_COMPLETED)
            waiting.cancel()
            exited.cancel()
            if not self._seen.is_set():
                raise RuntimeError("the bot did not get READY: "
                                   + b"".join(self._tail).decode(errors="replace")[-2000:])
            self.ready_seconds = time.perf_counter() - started
            return self
        for _ in range(600):
            if len(self.emu.identifies) > identified:
                break
            if self.process.returncode is not None:
                await asyncio.sleep(0.2)
                raise RuntimeError("bot exited: "
                                   + b"".join(self._tail).decode(errors="replace")[-2000:])
            await asyncio.sleep(0.05)
        else:
            raise RuntimeError("the bot did not connect")
        # discord.py waits guild_ready_timeout (2 s) after the last GUILD_CREATE.
        await asyncio.sleep(2.5)
        return self

    async def _drain(self, stream: asyncio.StreamReader, watch: bool) -> None:
        while line := await stream.readline():
            self._tail = [*self._tail[-39:], line]
            if watch and self.ready and self.ready.encode() in line and not self._seen.is_set():
                self.ready_line, self.ready_at = line.decode(errors="replace"), time.perf_counter()
                self._seen.set()
            if self.watch and self.watch.encode() in line:
                self.seen_at = time.perf_counter()
                self.seen += 1
                self.seen_changed.set()

    async def until_seen(self, count: int, timeout: float) -> bool:
        """Until `count` lines with `watch` were printed in all (False: timed out)."""
        deadline = time.perf_counter() + timeout
        while self.seen < count:
            self.seen_changed.clear()
            left = deadline - time.perf_counter()
            if left <= 0:
                return False
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.seen_changed.wait(), left)
        return True

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def signal(self, number: int) -> None:
        assert self.process is not None
        self.process.send_signal(number)

    async def __aexit__(self, *exc: object) -> None:
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 60)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        await asyncio.gather(*self._drains, return_exceptions=True)


# `--no-orjson`: a folder whose orjson module cannot be imported, put first on
# both bots' path (discord.py then uses the standard json module).
NO_ORJSON: contextvars.ContextVar[str] = contextvars.ContextVar("no_orjson", default="")


# The real program refuses the public secret of local runs: a fresh one per run.
BENCH_SECRET = secrets.token_hex(32)


def metoo_bot(emu: DiscordEmulator, db: Path, url: str | None = None, *,
              ready: bool = False, clocked: bool = False,
              watch: str | None = None) -> BotProcess:
    """metoo-bot on the SQLite file `db`, or on the DATABASE_URL `url` if given
    (`clocked`: with a clock that SIGUSR1 moves a day on, bench/clocked_bot.py,
    whose daily job's end is watched; else `watch`, a text of its log)."""
    argv = [str(REPO / "bench" / "clocked_bot.py")] if clocked else ["-m", "bot"]
    return BotProcess(emu, argv, {
        "DATABASE_URL": url or f"sqlite:///{db}", "ACK_SECRET": BENCH_SECRET,
    }, ready=READY if ready else None, watch=JOB_DONE if clocked else watch)


# What both bots print when discord.py says READY: "ready in N communities".
READY = "ready in "
# What metoo-bot logs (at INFO) when its start-up reconciliation deleted something.
RECONCILED = "the bot is no longer in"


# What the bot logs (at INFO) when the daily job is done.
JOB_DONE = "daily maintenance done"


def bare_bot(emu: DiscordEmulator, *, ready: bool = False) -> BotProcess:
    return BotProcess(emu, [str(REPO / "bench" / "bare_bot.py")], {},
                      ready=READY if ready else None, ready_on_stdout=True)


def communities_at_ready(bot: BotProcess) -> int:
    """How many communities the bot had when it said READY."""
    found = re.search(r"ready in (\d+) communit", bot.ready_line)
    return int(found.group(1)) if found else -1


# ------------------------------------------------------------ measuring
Action = Callable[[int], Awaitable[None]]


async def measure(name: str, pid: int, action: Action, count: int, concurrency: int,
                  warmup: int, offset: int) -> Result:
    gc.collect()  # start each measurement with the load generator's heap clean
    for i in range(warmup):
        await action(offset + 10_000_000 + i)
    latencies: list[float] = []
    errors = 0
    next_index = iter(range(count))

    async def worker() -> None:
        nonlocal errors
        for i in next_index:
            started = time.perf_counter()
            try:
                await action(offset + i)
            except Exception:  # a missing answer counts as an error, not a crash
                errors += 1
                continue
            latencies.append(time.perf_counter() - started)

    cpu_before = cpu_seconds(pid)
    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    cpu = cpu_seconds(pid) - cpu_before
    latencies.sort()
    p99_index = min(len(latencies) - 1, int(len(latencies) * 0.99))
    return Result(
        name, concurrency, count, count / elapsed,
        statistics.median(latencies) * 1000 if latencies else float("nan"),
        latencies[p99_index] * 1000 if latencies else float("nan"),
        cpu / count * 1000, errors,
    )


class Users:
    def __init__(self, emu: DiscordEmulator) -> None:
        self.emu = emu
        self.cache: dict[int, User] = {}

    def __call__(self, i: int) -> User:
        if i not in self.cache:
            self.cache[i] = self.emu.add_user(f"user{i}")
        return self.cache[i]


def actions(emu: DiscordEmulator, guild: Guild, users: Users) -> dict[str, Action]:
    async def ping(i: int) -> None:
        await (await emu.slash("ping", user=users(i), guild=guild)).reply()

    async def hotline(i: int) -> None:
        ix = await emu.slash("hotline", user=users(i), guild=guild, options={"country": "GB"})
        await ix.reply()

    async def timeline(i: int) -> None:
        ix = await emu.slash("history timeline", user=users(i), guild=guild,
                             options={"year": 2017})
        await ix.reply()

    consent_messages: dict[int, Message] = {}

    async def metoo_prepare(i: int) -> None:
        """/metoo add, untimed: the consent message whose button is then timed."""
        consent_messages[i] = await (await emu.slash("metoo add", user=users(i),
                                                     guild=guild)).reply()

    async def metoo_confirm(i: int) -> None:
        if i not in consent_messages:
            await metoo_prepare(i)
        confirm = await emu.press(consent_messages.pop(i), "me too", user=users(i))
        # Answered only after the row is committed: wait for the thanks.
        await confirm.wait(lambda ix: any("/metoo remove" in m.text() for m in ix.messages))

    async def count(i: int) -> None:
        await (await emu.slash("metoo count", user=users(i), guild=guild)).reply()

    async def autocomplete(i: int) -> None:
        ix = await emu.autocomplete("hotline", "country", "germ", user=users(i), guild=guild)
        await ix.autocomplete()

    return {
        "/ping (bare)": ping, "/hotline": hotline, "/history timeline": timeline,
        "/metoo confirm (durable)": metoo_confirm, "prepare /metoo confirm": metoo_prepare,
        "/metoo count": count, "country autocomplete": autocomplete,
    }


# ------------------------------------------------------------ data
def migrated(db: Path) -> sqlite3.Connection:
    """A connection to `db`, created through the same migrations the bot runs."""
    conn = sqlite3.connect(db)
    if conn.execute("PRAGMA user_version").fetchone()[0] == 0:
        conn.execute("BEGIN")
        for migration in migrations():
            for statement in split_statements(migration.sql):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {migration.version}")
        conn.execute("COMMIT")
    return conn


def fill_communities(db: Path, guild_ids: list[int]) -> None:
    """Store settings for each of the given communities (counting on)."""
    conn = migrated(db)
    try:
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO community_settings (guild_id, acknowledgements_enabled) "
                         "VALUES (?, 1)", ((g,) for g in guild_ids))
        conn.execute("COMMIT")
    finally:
        conn.close()
    os.chmod(db, 0o600)


def fill_acknowledgements(db: Path, rows: int, guild_ids: list[int]) -> None:
    """Write `rows` acknowledgement rows straight into a fresh database, through
    the same migrations the bot runs, spread across the given communities."""
    conn = migrated(db)
    try:
        day = datetime.now(UTC).date().isoformat()
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO acknowledgements (guild_id, member_key, consent_version, day) "
            "VALUES (?, ?, 1, ?)",
            ((guild_ids[i % len(guild_ids)], secrets.token_bytes(32), day)
             for i in range(rows)),
        )
        conn.execute("COMMIT")
    finally:
        conn.close()
    os.chmod(db, 0o600)


# ------------------------------------------------------------ the run
async def enable_acknowledgements(emu: DiscordEmulator, guild: Guild, admin: User) -> None:
    ix = await emu.slash("config acknowledgements", user=admin, guild=guild,
                         options={"enabled": True}, permissions=ADMIN_PERMISSIONS)
    await ix.reply()


async def run(size: Size, out: list[str], database: str | None = None,
              profiling: bool = False, interactions_only: bool = False) -> dict[str, object]:
    def say(table: str) -> None:
        print(table + "\n", flush=True)
        out.extend([table, ""])

    results: list[tuple[Result, Result]] = []  # (metoo-bot, bare /ping in the same rounds)
    extra: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="metoo-bench-") as folder:
        # Both bots run side by side, each with its own emulator, and are measured
        # in alternating rounds, so that both see the same machine conditions.
        async with DiscordEmulator() as emu, DiscordEmulator() as emu_bare:
            guild = emu.add_guild("Bench community")
            users = Users(emu)
            admin = emu.add_user("admin")
            act = actions(emu, guild, users)
            ping = actions(emu_bare, emu_bare.add_guild("Bench community"),
                           Users(emu_bare))["/ping (bare)"]
            db = Path(folder) / "bench.sqlite3"
            async with metoo_bot(emu, db, database) as bot, bare_bot(emu_bare) as bare:
                await enable_acknowledgements(emu, guild, admin)
                offset = 100_000
                for name in ("/hotline", "/history timeline", "/metoo confirm (durable)",
                             "/metoo count", "country autocomplete"):
                    for concurrency, n in ((1, size.n_serial),
                                           (size.concurrency, size.n_parallel)):
                        rounds: list[tuple[Result, Result]] = []
                        for _ in range(size.rounds):
                            offset += 1_000_000  # new users: no cooldowns, no repeats
                            floor_run = await measure("/ping (bare)", bare.pid, ping, n,
                                                      concurrency, size.warmup, offset)
                            if name.startswith("/metoo confirm"):
                                for i in range(n):  # consent messages, before the clock starts
                                    await act["prepare /metoo confirm"](offset + i)
                            run = await measure(name, bot.pid, act[name], n, concurrency,
                                                size.warmup, offset)
                            rounds.append((run, floor_run))
                            emu.forget_history()
                            emu_bare.forget_history()
                            users.cache.clear()
                        results.append((combine([r for r, _ in rounds]),
                                        combine([f for _, f in rounds])))
                if profiling:
                    for name, concurrency in PROFILED:
                        offset += 1_000_000
                        prepare = (act["prepare /metoo confirm"]
                                   if name.startswith("/metoo confirm") else None)
                        graph = await profile(name, bot.pid, act[name], size, offset, prepare,
                                              concurrency or size.concurrency)
                        if graph is not None:
                            print(f"flame graph of {name}: {graph}", flush=True)
                        emu.forget_history()
                        users.cache.clear()
            say(results_table(results))

            # Cost at 1k versus 1M acknowledgement rows, spread over communities the
            # bot is in (rows of other communities would be deleted at start-up).
            scale: list[tuple[int, Result]] = []
            emu.guilds.clear()
            emu.guilds[guild.id] = guild
            communities = [guild.id] + [emu.add_guild(f"Bench {i}").id for i in range(9)]
            for rows in (size.rows_small, size.rows_large):
                db_rows = Path(folder) / f"rows-{rows}.sqlite3"
                fill_acknowledgements(db_rows, rows, communities)
                async with metoo_bot(emu, db_rows) as bot:
                    await enable_acknowledgements(emu, guild, admin)
                    for name in ("/metoo count", "country autocomplete"):
                        offset += 1_000_000
                        scale.append((rows, await measure(name, bot.pid, act[name],
                                                          size.n_parallel, 1, size.warmup,
                                                          offset)))
            say(scale_table(scale))

        # The scale of the data: many guilds, many stored communities, many rows.
        ready: list[Ready] = []
        job: Job | None = None
        if not interactions_only:
            ready = [await ready_with_guilds(guilds, Path(folder)) for guilds in size.guilds]
            say(ready_table(ready))
            reconciled = await reconciliation(size, Path(folder))
            say(reconciliation_table(reconciled))
            job = await daily_job(size, Path(folder))
            say(job_table(job))
            extra.update(ready=ready, reconciled=reconciled, job=job)
        say(targets_table(results, ready, job))
    extra["results"] = results
    extra["scale"] = scale
    return extra


# ------------------------------------------------------------ profiles
# (interaction, concurrency; None: the high one). A durable confirmation one at
# a time too: there no commit is shared.
PROFILED = (("/hotline", None), ("/history timeline", None), ("/metoo count", None),
            ("/metoo confirm (durable)", None), ("/metoo confirm (durable)", 1))


def slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name).strip("-").replace("--", "-")


async def profile(name: str, pid: int, action: Action, size: Size, offset: int,
                  prepare: Action | None, concurrency: int) -> Path | None:
    """A flame graph of the bot during one more round at `concurrency` (not
    counted in the figures: sampling slows the process a little)."""
    spy = Path(sys.executable).with_name("py-spy")
    if not spy.exists():
        print("py-spy is not installed: no flame graphs (pip install py-spy)", file=sys.stderr)
        return None
    at = "" if concurrency == size.concurrency else f"-c{concurrency}"
    out = RESULTS / f"flame-{slug(name)}{at}.svg"
    out.parent.mkdir(parents=True, exist_ok=True)
    count = size.n_parallel if concurrency > 1 else size.n_serial
    if prepare is not None:
        for i in range(count):
            await prepare(offset + i)
    recorder = await asyncio.create_subprocess_exec(
        str(spy), "record", "--pid", str(pid), "--rate", "250", "--format", "flamegraph",
        "--output", str(out), stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL)
    await asyncio.sleep(1.0)  # attached
    await measure(name, pid, action, count, concurrency, 0, offset)
    recorder.send_signal(signal.SIGINT)
    await recorder.wait()
    return out if out.exists() else None


# ------------------------------------------------------------ scale of the data
@dataclass
class Ready:
    guilds: int
    bare_rss: float
    bot_rss: float
    bare_seconds: float
    bot_seconds: float
    bare_seen: int = -1  # communities each bot had at READY (all of them, or the
    bot_seen: int = -1  # figures would be of a bot that had not received them all)


async def ready_with_guilds(guilds: int, folder: Path) -> Ready:
    """Memory and time to READY of both bots in `guilds` communities, one after
    the other, on one gateway session each (the emulator's sharding limit is
    lifted here: this measures the data, not sharding)."""
    async with DiscordEmulator() as emu:
        emu.max_guilds_per_shard = guilds + 1
        for i in range(guilds):
            emu.add_guild(f"Community {i}")
        async with bare_bot(emu, ready=True) as bare:
            bare_rss, bare_seconds = rss_mib(bare.pid), bare.ready_seconds
        async with metoo_bot(emu, folder / f"ready-{guilds}.sqlite3", ready=True) as bot:
            bot_rss, bot_seconds = rss_mib(bot.pid), bot.ready_seconds
    return Ready(guilds, bare_rss, bot_rss, bare_seconds, bot_seconds,
                 communities_at_ready(bare), communities_at_ready(bot))


def rows_of(db: Path, sql: str) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return int(conn.execute(sql).fetchone()[0])
    finally:
        conn.close()


async def until(condition: Callable[[], bool], timeout: float, every: float = 0.02) -> bool:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if condition():
            return True
        await asyncio.sleep(every)
    return False


@dataclass
class Reconciled:
    stored: int
    absent: int
    seconds: float
    left: int


async def reconciliation(size: Size, folder: Path) -> Reconciled:
    """Start-up reconciliation: `size.stored` communities stored, the bot no
    longer in `size.absent` of them; seconds from READY until their rows are gone."""
    present = size.stored - size.absent
    async with DiscordEmulator() as emu:
        emu.max_guilds_per_shard = present + 1
        ids = [emu.add_guild(f"Community {i}").id for i in range(present)]
        gone = [10**17 + i for i in range(size.absent)]  # ids the emulator never gives
        db = folder / "reconcile.sqlite3"
        fill_communities(db, ids + gone)
        async with metoo_bot(emu, db, ready=True, watch=RECONCILED) as bot:
            # From READY to the line saying what it deleted (both read here, in
            # the same way), then the rows that stayed behind.
            done = await bot.until_seen(1, 900)
            seconds = bot.seen_at - bot.ready_at if done else float("nan")
            count = "SELECT count(*) FROM community_settings"
            await until(lambda: rows_of(db, count) == present, 10, every=0.05)
            left = rows_of(db, count) - present
    return Reconciled(size.stored, size.absent, seconds, left)


@dataclass
class Job:
    rows: int
    runs: int
    seconds: float  # median, from the day's change to its stored snapshot
    p99_without: float
    p99_during: float
    answered_during: int
    errors: int


async def daily_job(size: Size, folder: Path) -> Job:
    """The daily snapshot job on `size.job_rows` acknowledgement rows, run three
    times (the bot's clock moved a day on each time), while /metoo count and
    /hotline are asked without pause; p99 of the answers asked while it ran
    against p99 of as many asked just before."""
    async with DiscordEmulator() as emu:
        guild = emu.add_guild("Bench community")
        communities = [guild.id] + [emu.add_guild(f"Bench {i}").id for i in range(9)]
        db = folder / "job.sqlite3"
        fill_acknowledgements(db, size.job_rows, communities)
        users, admin = Users(emu), emu.add_user("admin")
        act = actions(emu, guild, users)

        async def mixed(i: int) -> None:
            await act["/metoo count" if i % 2 else "/hotline"](i)

        async with metoo_bot(emu, db, clocked=True) as bot:
            await enable_acknowledgements(emu, guild, admin)
            for i in range(size.warmup):
                await mixed(i)
            day = datetime.now(UTC).date()
            without: list[float] = []
            during: list[float] = []
            seconds: list[float] = []
            errors = 0
            for run in range(1, 4):
                offset = 1_000_000 * run
                stop = asyncio.Event()
                latencies: list[tuple[float, float]] = []

                async def worker(start: int, stop: asyncio.Event = stop,
                                 latencies: list[tuple[float, float]] = latencies) -> None:
                    nonlocal errors
                    i = start
                    while not stop.is_set():
                        began = time.perf_counter()
                        try:
                            await mixed(i)
                        except Exception:
                            errors += 1
                        latencies.append((began, time.perf_counter() - began))
                        i += 8
                workers = [asyncio.create_task(worker(offset + w)) for w in range(8)]
                await asyncio.sleep(2.0)  # answers before the job: the baseline
                jobs = bot.seen
                changed = time.perf_counter()
                bot.signal(signal.SIGUSR1)
                done = await bot.until_seen(jobs + 1, 600)
                finished = time.perf_counter()
                stop.set()
                await asyncio.gather(*workers)
                new_day = (day + timedelta(days=run)).isoformat()
                taken = f"SELECT count(*) FROM ack_global_snapshots WHERE day = '{new_day}'"
                if not done or rows_of(db, taken) != 1:
                    raise RuntimeError("the daily job did not take the snapshot")
                seconds.append(finished - changed)
                window = finished - changed
                during += [lat for began, lat in latencies if changed <= began < finished]
                without += [lat for began, lat in latencies
                            if changed - max(window, 1.0) <= began < changed]
                emu.forget_history()
                users.cache.clear()
    return Job(size.job_rows, len(seconds), statistics.median(seconds),
               percentile(without, 0.99) * 1000, percentile(during, 0.99) * 1000,
               len(during), errors)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def ratio(value: float, base: float) -> float:
    """value / base; NaN when the base is too small to measure (CPU time is read
    in clock ticks of 10 ms, so tiny smoke runs can read 0)."""
    return value / base if base > 0 else float("nan")


def combine(rounds: list[Result]) -> Result:
    """Several rounds of one measurement: the median of each figure, all counts."""
    first = rounds[0]
    return Result(
        first.name, first.concurrency, sum(r.count for r in rounds),
        statistics.median(r.throughput for r in rounds),
        statistics.median(r.p50_ms for r in rounds),
        statistics.median(r.p99_ms for r in rounds),
        statistics.median(r.cpu_ms for r in rounds),
        sum(r.errors for r in rounds),
    )


def results_table(results: list[tuple[Result, Result]]) -> str:
    lines = [
        "| interaction | conc. | n | per s | p50 ms | p99 ms | CPU ms/int. "
        "| bare /ping: per s, p99 ms, CPU ms | CPU x bare | p99 x bare | per s x bare | errors |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r, base in results:
        lines.append(
            f"| {r.name} | {r.concurrency} | {r.count} | {r.throughput:.0f} | {r.p50_ms:.1f} "
            f"| {r.p99_ms:.1f} | {r.cpu_ms:.2f} "
            f"| {base.throughput:.0f}, {base.p99_ms:.1f}, {base.cpu_ms:.2f} "
            f"| {ratio(r.cpu_ms, base.cpu_ms):.2f} | {ratio(r.p99_ms, base.p99_ms):.2f} "
            f"| {ratio(r.throughput, base.throughput):.2f} | {r.errors + base.errors} |"
        )
    return "\n".join(lines)


def scale_table(scale: list[tuple[int, Result]]) -> str:
    lines = ["| interaction | rows | CPU ms/int. | p50 ms | p99 ms | CPU x small | errors |",
             "|---|---|---|---|---|---|---|"]
    small = {r.name: r for rows, r in scale if rows == scale[0][0]}
    for rows, r in scale:
        lines.append(f"| {r.name} | {rows:,} | {r.cpu_ms:.2f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} "
                     f"| {ratio(r.cpu_ms, small[r.name].cpu_ms):.2f} | {r.errors} |")
    return "\n".join(lines)


def ready_table(ready: list[Ready]) -> str:
    lines = ["| guilds at READY | bare RSS MiB | metoo-bot RSS MiB | memory x bare "
             "| bare READY s | metoo-bot READY s | time x bare | all received |",
             "|---|---|---|---|---|---|---|---|"]
    for r in ready:
        received = "yes" if r.bare_seen == r.bot_seen == r.guilds else \
            f"**no** ({r.bare_seen:,}, {r.bot_seen:,})"
        lines.append(f"| {r.guilds:,} | {r.bare_rss:.1f} | {r.bot_rss:.1f} "
                     f"| {ratio(r.bot_rss, r.bare_rss):.2f} | {r.bare_seconds:.1f} "
                     f"| {r.bot_seconds:.1f} | {ratio(r.bot_seconds, r.bare_seconds):.2f} "
                     f"| {received} |")
    return "\n".join(lines)


def reconciliation_table(r: Reconciled) -> str:
    return "\n".join([
        "| start-up reconciliation | stored communities | no longer in | seconds after READY "
        "| rows left behind |",
        "|---|---|---|---|---|",
        f"| metoo-bot | {r.stored:,} | {r.absent:,} | {r.seconds:.2f} | {r.left} |",
    ])


def job_table(job: Job) -> str:
    return "\n".join([
        "| daily snapshot job | acknowledgement rows | runs | seconds (median) "
        "| p99 ms without | p99 ms during | x without | answers during | errors |",
        "|---|---|---|---|---|---|---|---|---|",
        f"| /metoo count and /hotline, 8 at once | {job.rows:,} | {job.runs} "
        f"| {job.seconds:.2f} | {job.p99_without:.1f} | {job.p99_during:.1f} "
        f"| {ratio(job.p99_during, job.p99_without):.2f} | {job.answered_during} "
        f"| {job.errors} |",
    ])


def targets_table(results: list[tuple[Result, Result]], ready: list[Ready],
                  job: Job | None) -> str:
    """Every target of the benchmark with the measured figure and whether it holds."""
    rows: list[tuple[str, float, str, bool]] = []

    def at_most(what: str, value: float, limit: float) -> None:
        rows.append((what, value, f"<= {limit:g}", value <= limit))

    for r, base in results:
        where = f"{r.name}, concurrency {r.concurrency}"
        if r.name in CPU_TARGETS:
            at_most(f"CPU x bare /ping: {where}", ratio(r.cpu_ms, base.cpu_ms),
                    CPU_TARGETS[r.name])
            at_most(f"p99 x bare /ping: {where}", ratio(r.p99_ms, base.p99_ms), P99_TARGET)
        if r.name.startswith("/metoo confirm") and r.concurrency > 1:
            value = ratio(r.throughput, base.throughput)
            rows.append((f"confirmations per s x bare /ping: {where}", value,
                         f">= {CONFIRM_RATE_TARGET:g}", value >= CONFIRM_RATE_TARGET))
    for g in ready:
        at_most(f"memory at READY x bare: {g.guilds:,} guilds", ratio(g.bot_rss, g.bare_rss),
                MEMORY_TARGET)
    if job is not None:
        at_most(f"p99 during the daily job x without: {job.rows:,} rows",
                ratio(job.p99_during, job.p99_without), JOB_P99_TARGET)
    lines = ["| target | measured | target | holds |", "|---|---|---|---|"]
    lines += [f"| {what} | {value:.2f} | {limit} | {'yes' if holds else '**no**'} |"
              for what, value, limit, holds in rows]
    return "\n".join(lines)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, {cpu}, "
            f"Python {platform.python_version()}")


def json_library(blocked: bool) -> str:
    """What discord.py encodes and decodes JSON with in the bots of this run."""
    try:  # the bots run in this interpreter's environment
        version = importlib.metadata.version("orjson")
    except importlib.metadata.PackageNotFoundError:
        return "json (the standard library; orjson is not installed)"
    if blocked:
        return "json (the standard library; orjson left out by --no-orjson)"
    return f"orjson {version}"


README_START = "<!-- bench results: written by python -m bench --readme -->"
README_END = "<!-- end of bench results -->"


def with_results(readme: str, lines: list[str]) -> str:
    """README.md with the run's output (`lines`) between the two markers."""
    before, found, rest = readme.partition(README_START)
    _, found_end, after = rest.partition(README_END)
    if not (found and found_end):
        raise SystemExit(f"README.md has no {README_START!r} ... {README_END!r} block")
    body = "\n".join(line.removeprefix("# ") if line.startswith("# metoo-bot benchmark")
                     else line for line in lines).strip()
    return f"{before}{README_START}\n{body}\n{README_END}{after}"


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="tiny counts, to check it works")
    parser.add_argument("--out", type=Path, default=RESULTS / "latest.md",
                        help="where to write the tables (default: bench/results/latest.md)")
    parser.add_argument("--database", metavar="URL",
                        help="DATABASE_URL of the interaction rounds, e.g. postgresql://user:"
                             "password@127.0.0.1:5432/bench: a database for benchmarks only, "
                             "the bot changes it (default: a temporary SQLite file)")
    parser.add_argument("--profile", action="store_true",
                        help="also record flame graphs of the bot at high concurrency with "
                             "py-spy (bench/results/flame-*.svg)")
    parser.add_argument("--interactions-only", action="store_true",
                        help="only the interaction rounds (and rows), not the scale of the data")
    parser.add_argument("--no-orjson", action="store_true",
                        help="run both bots without orjson, with the standard json module")
    parser.add_argument("--readme", action="store_true",
                        help="also put the tables in README.md, between its bench markers")
    args = parser.parse_args()
    size = SMOKE if args.smoke else FULL
    lines = [f"# metoo-bot benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC", "",
             f"Machine: {machine()}", ""]
    print("\n".join(lines), flush=True)
    if args.database:
        lines += ["Interactions on the database of --database (the rows scale and memory "
                  "measurements use SQLite).", ""]
    with tempfile.TemporaryDirectory(prefix="metoo-bench-json-") as blocked:
        if args.no_orjson:
            Path(blocked, "orjson.py").write_text(
                'raise ModuleNotFoundError("orjson is left out of this benchmark run")\n')
            NO_ORJSON.set(blocked)
        lines += [f"JSON in both bots: {json_library(args.no_orjson)}", ""]
        print(lines[-2], flush=True)
        asyncio.run(run(size, lines, args.database, args.profile, args.interactions_only))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"\nwritten to {args.out}")
    if args.readme:
        readme = REPO / "README.md"
        readme.write_text(with_results(readme.read_text(encoding="utf-8"), lines),
                          encoding="utf-8")
        print(f"and to {readme}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
