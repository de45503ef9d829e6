"""Benchmark of the two backends: the same interactions answered by metoo-bot on
SQLite and on PostgreSQL, side by side, in alternating rounds.

    python -m bench.backends              # the full run (a few minutes)
    python -m bench.backends --smoke      # tiny counts, to check that it works
    python -m bench.backends --database postgresql://...   # that database, not a
                                          # temporary server (the bot changes it)

For each interaction, at concurrency 1 and 50: throughput, p99 latency and the
bot process's CPU per interaction on each backend, with PostgreSQL's ratio to
SQLite. "/metoo confirm (durable)" at concurrency 50 is the durable
confirmations per second: each is answered only after its COMMIT reached the
disk (SQLite: WAL with synchronous=FULL; PostgreSQL: synchronous_commit on). The
CPU is the bot's only: PostgreSQL's own server processes are not counted. Same
machine, same emulator code, one bot each. A measurement to read, never a timed
test.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.__main__ import (
    Result,
    Users,
    actions,
    combine,
    enable_acknowledgements,
    machine,
    measure,
    metoo_bot,
    ratio,
)
from bot.emulator.server import DiscordEmulator

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
INTERACTIONS = ("/hotline", "/history timeline", "/metoo confirm (durable)", "/metoo count",
                "country autocomplete")


@dataclass(frozen=True)
class Size:
    n_serial: int
    n_parallel: int
    concurrency: int
    warmup: int
    rounds: int


FULL = Size(n_serial=200, n_parallel=1000, concurrency=50, warmup=20, rounds=3)
SMOKE = Size(n_serial=3, n_parallel=6, concurrency=3, warmup=1, rounds=1)


@contextlib.contextmanager
def postgresql(database: str | None) -> Iterator[str]:
    """The URL of the PostgreSQL database to use: --database, or a database on a
    temporary server (Debian's PostgreSQL, as the tests start it)."""
    if database:
        yield database
        return
    from tests.support.postgres import PostgresServer

    server = PostgresServer.start()
    try:
        name = asyncio.run(server.create_database())
        yield server.url(name)
    finally:
        server.stop()


async def run(size: Size, pg_url: str, folder: Path) -> list[tuple[Result, Result]]:
    """(PostgreSQL, SQLite) for each interaction and concurrency."""
    results: list[tuple[Result, Result]] = []
    async with DiscordEmulator() as emu_lite, DiscordEmulator() as emu_pg:
        sides = []
        for emu in (emu_lite, emu_pg):
            guild = emu.add_guild("Bench community")
            users = Users(emu)
            sides.append((emu, guild, users, actions(emu, guild, users)))
        async with metoo_bot(emu_lite, folder / "bench.sqlite3") as lite, \
                metoo_bot(emu_pg, folder / "unused.sqlite3", pg_url) as pg:
            for emu, guild, _, _ in sides:
                await enable_acknowledgements(emu, guild, emu.add_user("admin"))
            offset = 100_000
            for name in INTERACTIONS:
                for concurrency, n in ((1, size.n_serial), (size.concurrency, size.n_parallel)):
                    rounds: list[tuple[Result, Result]] = []
                    for round_ in range(size.rounds):
                        offset += 1_000_000  # new users: no cooldowns, no repeats
                        measured: dict[int, Result] = {}
                        # Alternate which backend goes first in each round.
                        order = [(0, lite.pid), (1, pg.pid)]
                        for index, pid in order if round_ % 2 == 0 else order[::-1]:
                            emu, _, users, act = sides[index]
                            if name.startswith("/metoo confirm"):
                                for i in range(n):  # consent messages, before the clock starts
                                    await act["prepare /metoo confirm"](offset + i)
                            measured[index] = await measure(name, pid, act[name], n,
                                                            concurrency, size.warmup, offset)
                            emu.forget_history()
                            users.cache.clear()
                        rounds.append((measured[1], measured[0]))
                    results.append((combine([p for p, _ in rounds]),
                                    combine([s for _, s in rounds])))
                    print(f"  {name} at {concurrency}: PostgreSQL {results[-1][0]}, "
                          f"SQLite {results[-1][1]}", file=sys.stderr, flush=True)
    return results


def table(results: list[tuple[Result, Result]]) -> str:
    lines = [
        "| interaction | conc. | SQLite: per s, p99 ms, CPU ms/int. "
        "| PostgreSQL: per s, p99 ms, CPU ms/int. | CPU x SQLite | p99 x SQLite "
        "| per s x SQLite | errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for pg, lite in results:
        lines.append(
            f"| {pg.name} | {pg.concurrency} "
            f"| {lite.throughput:.0f}, {lite.p99_ms:.1f}, {lite.cpu_ms:.2f} "
            f"| {pg.throughput:.0f}, {pg.p99_ms:.1f}, {pg.cpu_ms:.2f} "
            f"| {ratio(pg.cpu_ms, lite.cpu_ms):.2f} | {ratio(pg.p99_ms, lite.p99_ms):.2f} "
            f"| {ratio(pg.throughput, lite.throughput):.2f} | {pg.errors + lite.errors} |")
    durable = [(pg, lite) for pg, lite in results
               if pg.name.startswith("/metoo confirm") and pg.concurrency > 1]
    for pg, lite in durable:
        lines += ["", f"Durable confirmations per second at concurrency {pg.concurrency}: "
                      f"SQLite {lite.throughput:.0f}, PostgreSQL {pg.throughput:.0f}."]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.backends", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--smoke", action="store_true", help="tiny counts, to check it works")
    parser.add_argument("--out", type=Path, default=RESULTS / "backends.md",
                        help="where to write the table (default: bench/results/backends.md)")
    parser.add_argument("--database", metavar="URL",
                        help="a postgresql:// database for benchmarks only (the bot changes "
                             "it; default: a temporary server)")
    args = parser.parse_args()
    size = SMOKE if args.smoke else FULL
    with tempfile.TemporaryDirectory(prefix="metoo-bench-backends-") as folder, \
            postgresql(args.database) as pg_url:
        results = asyncio.run(run(size, pg_url, Path(folder)))
    text = "\n".join([
        f"# metoo-bot on SQLite and on PostgreSQL, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC", "",
        f"Machine: {machine()}", "",
        f"Median of {size.rounds} alternating round(s); {size.n_serial} interactions at "
        f"concurrency 1 and {size.n_parallel} at {size.concurrency} per round.", "",
        table(results), ""])
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
