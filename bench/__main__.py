"""Benchmark: metoo-bot against a bare discord.py bot, both in their own process,
both talking to the local Discord emulator over real HTTP and websocket.

    python -m bench            # the full run (a few minutes); writes bench/results/latest.md
    python -m bench --smoke    # tiny counts, to check that it works

For each interaction: throughput, p50/p99 latency (from the gateway dispatch to
the answer the user sees) and the bot process's CPU per interaction, at
concurrency 1 and 50, with the ratio to the bare bot's /ping. Then /metoo count
and autocomplete with 1k versus 1M acknowledgement rows, and memory at READY with
1,000 guilds versus the bare bot.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import platform
import secrets
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
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
    guilds: int
    warmup: int
    rounds: int


FULL = Size(n_serial=300, n_parallel=1500, concurrency=50, rows_small=1_000,
            rows_large=1_000_000, guilds=1000, warmup=30, rounds=3)
SMOKE = Size(n_serial=3, n_parallel=6, concurrency=3, rows_small=10, rows_large=100,
             guilds=5, warmup=1, rounds=1)


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
    """A bot in its own process, pointed at the emulator."""

    def __init__(self, emu: DiscordEmulator, argv: list[str], env: dict[str, str]) -> None:
        self.emu, self.argv, self.env = emu, argv, env
        self.process: asyncio.subprocess.Process | None = None

    async def __aenter__(self) -> BotProcess:
        identified = len(self.emu.identifies)
        env = {
            "PATH": os.environ.get("PATH", ""),
            "PYTHONPATH": str(REPO),
            "DISCORD_TOKEN": self.emu.token,
            "DISCORD_API_BASE_URL": self.emu.api_base,
            "DISCORD_GATEWAY_URL": self.emu.gateway_url,
            "LOG_LEVEL": "WARNING",
            **self.env,
        }
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, *self.argv, cwd=REPO, env=env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        )
        for _ in range(600):
            if len(self.emu.identifies) > identified:
                break
            if self.process.returncode is not None:
                err = await self.process.stderr.read() if self.process.stderr else b""
                raise RuntimeError(f"bot exited: {err.decode()[-2000:]}")
            await asyncio.sleep(0.05)
        else:
            raise RuntimeError("the bot did not connect")
        # discord.py waits guild_ready_timeout (2 s) after the last GUILD_CREATE.
        await asyncio.sleep(2.5)
        return self

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    async def __aexit__(self, *exc: object) -> None:
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 30)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()


# The real program refuses the public secret of local runs: a fresh one per run.
BENCH_SECRET = secrets.token_hex(32)


def metoo_bot(emu: DiscordEmulator, db: Path, url: str | None = None) -> BotProcess:
    """metoo-bot on the SQLite file `db`, or on the DATABASE_URL `url` if given."""
    return BotProcess(emu, ["-m", "bot"], {
        "DATABASE_URL": url or f"sqlite:///{db}", "ACK_SECRET": BENCH_SECRET,
    })


def bare_bot(emu: DiscordEmulator) -> BotProcess:
    return BotProcess(emu, [str(REPO / "bench" / "bare_bot.py")], {})


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
def fill_acknowledgements(db: Path, rows: int, guild_ids: list[int]) -> None:
    """Write `rows` acknowledgement rows straight into a fresh database, through
    the same migrations the bot runs, spread across the given communities."""
    conn = sqlite3.connect(db)
    try:
        if conn.execute("PRAGMA user_version").fetchone()[0] == 0:
            conn.execute("BEGIN")
            for migration in migrations():
                for statement in split_statements(migration.sql):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {migration.version}")
            conn.execute("COMMIT")
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


async def run(size: Size, out: list[str], database: str | None = None) -> dict[str, object]:
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

        # Memory at READY with many guilds.
        async with DiscordEmulator() as emu:
            for i in range(size.guilds):
                emu.add_guild(f"Community {i}")
            async with bare_bot(emu) as bare:
                bare_rss = rss_mib(bare.pid)
            async with metoo_bot(emu, Path(folder) / "memory.sqlite3") as bot:
                bot_rss = rss_mib(bot.pid)
        say(memory_table(size.guilds, bare_rss, bot_rss))
        extra.update(bare_rss=bare_rss, bot_rss=bot_rss)
    extra["results"] = results
    extra["scale"] = scale
    return extra


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


def memory_table(guilds: int, bare: float, bot: float) -> str:
    return "\n".join([
        f"| memory at READY, {guilds:,} guilds | RSS MiB | x bare |",
        "|---|---|---|",
        f"| bare discord.py | {bare:.1f} | 1.00 |",
        f"| metoo-bot | {bot:.1f} | {ratio(bot, bare):.2f} |",
    ])


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
    args = parser.parse_args()
    size = SMOKE if args.smoke else FULL
    lines = [f"# metoo-bot benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC", "",
             f"Machine: {machine()}", ""]
    print("\n".join(lines), flush=True)
    if args.database:
        lines += ["Interactions on the database of --database (the rows scale and memory "
                  "measurements use SQLite).", ""]
    asyncio.run(run(size, lines, args.database))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"\nwritten to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
