"""Benchmark of shard processes: one process running 4 shards against two
processes running 2 shards each, on the same emulated Discord with 10,000
communities, both on a PostgreSQL database (several processes need it).

    python -m bench.shards             # the full run (about two minutes)
    python -m bench.shards --smoke     # tiny counts, to check that it works

For each layout: the time from starting the processes until every shard is READY
(each process logged "ready in": all its shards connected and their communities
received), the memory of each process at READY, and the CPU per interaction of
all its processes together while answering /hotline in communities of every
shard, 50 at once. Discord's rules hold: max_concurrency (1 by default, as for
most bots) IDENTIFYs per 5 seconds, 2,500 communities at most per shard. The
bot is the real program (`python -m bot`), unchanged. A measurement to read,
never a timed test.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import statistics
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench.__main__ import cpu_seconds, rss_mib
from bot.emulator.server import IDENTIFY_WINDOW, DiscordEmulator

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
CLK_TCK = os.sysconf("SC_CLK_TCK")
SHARDS = 4
LAYOUTS = {"1 process x 4 shards": ["0-3"], "2 processes x 2 shards": ["0-1", "2-3"]}
BASE = LAYOUTS["1 process x 4 shards"]


@dataclass(frozen=True)
class Size:
    guilds: int
    interactions: int
    concurrency: int
    rounds: int
    max_concurrency: int


FULL = Size(guilds=10_000, interactions=3000, concurrency=50, rounds=2, max_concurrency=1)
# Smoke: every shard its own rate-limit key, so that nothing waits 5 seconds.
SMOKE = Size(guilds=40, interactions=40, concurrency=5, rounds=1, max_concurrency=SHARDS)


@dataclass
class Run:
    layout: str
    ready_seconds: float
    rss_mib: list[float]
    per_second: float
    cpu_ms: float  # all processes of the layout, per interaction
    errors: int


@dataclass
class Process:
    """`python -m bot` running SHARD_IDS, its log read as it comes."""

    shard_ids: str
    process: asyncio.subprocess.Process
    lines: list[str] = field(default_factory=list)
    ready_at: float | None = None

    async def read(self) -> None:
        assert self.process.stderr is not None
        async for raw in self.process.stderr:
            line = raw.decode(errors="replace")
            self.lines.append(line)
            if self.ready_at is None and " ready in " in line:
                self.ready_at = time.perf_counter()

    async def stop(self) -> None:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 30)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()


async def start(emu: DiscordEmulator, url: str, shard_ids: str, secret: str) -> Process:
    env = {
        "PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(REPO),
        "DISCORD_TOKEN": emu.token, "DISCORD_API_BASE_URL": emu.api_base,
        "DISCORD_GATEWAY_URL": emu.gateway_url, "DATABASE_URL": url, "ACK_SECRET": secret,
        "SHARD_COUNT": str(SHARDS), "SHARD_IDS": shard_ids, "LOG_LEVEL": "INFO",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=REPO, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
    return Process(shard_ids, process)


async def measure_layout(layout: str, size: Size, url: str, secret: str) -> Run:
    async with DiscordEmulator(shards=SHARDS, max_concurrency=size.max_concurrency,
                               identify_window=IDENTIFY_WINDOW) as emu:
        # Ids that spread the communities evenly over the shards ((id >> 22) % 4).
        guilds = [emu.add_guild(f"Community {n}", guild_id=((20_000 + n) << 22) | 1,
                                channels=("general",))
                  for n in range(size.guilds)]
        started = time.perf_counter()
        processes = [await start(emu, url, ids, secret) for ids in LAYOUTS[layout]]
        readers = [asyncio.create_task(p.read()) for p in processes]
        try:
            while any(p.ready_at is None for p in processes):
                for p in processes:
                    if p.process.returncode is not None:
                        raise RuntimeError(f"shards {p.shard_ids} exited: "
                                           + "".join(p.lines[-20:]))
                if time.perf_counter() - started > 300:
                    raise RuntimeError("the shards were not READY within 5 minutes")
                await asyncio.sleep(0.05)
            ready = max(p.ready_at for p in processes if p.ready_at) - started
            await asyncio.sleep(1.0)  # what READY set in motion (reconciliation) settles
            rss = [rss_mib(p.process.pid) for p in processes]

            users = [emu.add_user(f"user{i}") for i in range(size.interactions)]
            errors = 0
            queue = iter(range(size.interactions))

            async def worker() -> None:
                nonlocal errors
                for i in queue:
                    guild = guilds[(i * 7919) % len(guilds)]  # every shard, in turn
                    try:
                        ix = await emu.slash("hotline", user=users[i], guild=guild,
                                             options={"country": "GB"})
                        await ix.reply(30)
                    except Exception:  # a missing answer counts as an error, not a crash
                        errors += 1

            cpu_before = sum(cpu_seconds(p.process.pid) for p in processes)
            began = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(size.concurrency)))
            elapsed = time.perf_counter() - began
            cpu = sum(cpu_seconds(p.process.pid) for p in processes) - cpu_before
        finally:
            for p in processes:
                await p.stop()
            for reader in readers:
                reader.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await reader
        refused = [a for a in emu.identify_attempts if not a.accepted]
        if refused:
            raise RuntimeError(f"{len(refused)} IDENTIFY(s) refused: {refused[:3]}")
    return Run(layout, ready, rss, size.interactions / elapsed,
               cpu / size.interactions * 1000, errors)


@contextlib.contextmanager
def postgres(database: str | None) -> Iterator[tuple[str, object | None]]:
    """(a PostgreSQL URL base, the temporary server or None)."""
    if database:
        yield database, None
        return
    from tests.support.postgres import PostgresServer

    server = PostgresServer.start()
    try:
        yield "", server
    finally:
        server.stop()


async def fresh_database(server: object | None, database: str) -> str:
    if server is None:
        return database
    name = await server.create_database()  # type: ignore[attr-defined]
    return str(server.url(name))  # type: ignore[attr-defined]


def table(runs: list[Run], size: Size) -> str:
    def median(values: list[float]) -> float:
        return statistics.median(values)

    by_layout = {name: [r for r in runs if r.layout == name] for name in LAYOUTS}
    base_cpu = median([r.cpu_ms for r in by_layout[next(iter(LAYOUTS))]])
    rows = [
        f"Shard processes, {size.guilds:,} communities over {SHARDS} shards, "
        f"max_concurrency {size.max_concurrency}, /hotline at concurrency "
        f"{size.concurrency} ({size.interactions} per round, median of {size.rounds} "
        "round(s)):", "",
        "| layout | time until every shard READY, s | memory per process at READY, MiB "
        "| per s | CPU ms/int. (all processes) | CPU x 1 process | errors |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, found in by_layout.items():
        processes = len(LAYOUTS[name])
        rss = [median([r.rss_mib[i] for r in found]) for i in range(processes)]
        cpu = median([r.cpu_ms for r in found])
        rows.append(
            f"| {name} | {median([r.ready_seconds for r in found]):.1f} | "
            f"{', '.join(f'{m:.0f}' for m in rss)} | "
            f"{median([r.per_second for r in found]):.0f} | {cpu:.2f} | "
            f"{cpu / base_cpu if base_cpu > 0 else float('nan'):.2f} | "
            f"{sum(r.errors for r in found)} |")
    return "\n".join(rows)


async def run(size: Size, database: str | None) -> list[Run]:
    import secrets

    secret = secrets.token_hex(32)  # the real program refuses the public local one
    runs: list[Run] = []
    with postgres(database) as (base, server):
        for round_ in range(size.rounds):
            # Alternate the order, so that neither layout always runs on a warmer machine.
            order = list(LAYOUTS) if round_ % 2 == 0 else list(reversed(LAYOUTS))
            for layout in order:
                url = await fresh_database(server, base)
                runs.append(await measure_layout(layout, size, url, secret))
                print(f"  {layout}: {runs[-1]}", file=sys.stderr, flush=True)
    return runs


def main() -> int:
    from bench.__main__ import machine

    parser = argparse.ArgumentParser(prog="python -m bench.shards", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="tiny counts, to check it works")
    parser.add_argument("--out", type=Path, default=RESULTS / "shards.md",
                        help="where to write the table (default: bench/results/shards.md)")
    parser.add_argument("--database", metavar="URL",
                        help="a postgresql:// database for benchmarks only (the bot changes "
                             "it; default: a temporary server, a fresh database per run)")
    args = parser.parse_args()
    size = SMOKE if args.smoke else FULL
    runs = asyncio.run(run(size, args.database))
    text = "\n".join([f"# metoo-bot shard benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
                      "", f"Machine: {machine()}", "", table(runs, size), ""])
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
