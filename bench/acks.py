"""Durable acknowledgement writes per second, on each backend.

    python -m bench.acks                        # SQLite (a temporary file) and PostgreSQL
                                                # (a temporary server, if installed)
    python -m bench.acks --database URL ...     # these databases instead (DATABASE_URL form)

Each write is `AckStore.add` of a new member, returned only after its COMMIT
reached the disk (SQLite: WAL with synchronous=FULL; PostgreSQL: synchronous_commit
on). Concurrency 1 shows one commit per confirmation; concurrency 50 shows group
commit (the writer commits every waiting request together). A measurement to read,
never a timed test.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import secrets
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from bot.storage import DatabaseUrl, open_storage
from bot.storage.url import POSTGRESQL_PREFIX

GUILD = 1_300_000_000_000_000_001
DAY = "2026-03-10"


async def writes_per_second(url: DatabaseUrl, count: int, concurrency: int) -> tuple[float, int]:
    """(durable adds per second, commits) for `count` new members, `concurrency` at once."""
    storage = await open_storage(url)
    try:
        keys = iter([secrets.token_bytes(32) for _ in range(count)])
        await storage.acks.add(GUILD, secrets.token_bytes(32), 1, DAY)  # warm up
        commits = getattr(storage.acks, "commits", 0)

        async def worker() -> None:
            for member in keys:
                assert await storage.acks.add(GUILD, member, 1, DAY)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
        return count / elapsed, getattr(storage.acks, "commits", 0) - commits
    finally:
        await storage.close()


@contextlib.contextmanager
def default_databases(folder: Path) -> Iterator[list[tuple[str, DatabaseUrl]]]:
    found = [("SQLite", DatabaseUrl.sqlite(folder / "bench.sqlite3"))]
    try:
        from tests.support.postgres import PostgresServer, Unavailable
    except ImportError:  # run outside the repository's checkout
        yield found
        return
    try:
        server = PostgresServer.start()
    except Unavailable as exc:
        print(f"PostgreSQL left out: {exc}", file=sys.stderr)
        yield found
        return
    try:
        found.append(("PostgreSQL", DatabaseUrl.postgresql(server.url())))
        yield found
    finally:
        server.stop()


def parse(text: str) -> tuple[str, DatabaseUrl]:
    if text.startswith(POSTGRESQL_PREFIX):
        return "PostgreSQL", DatabaseUrl.postgresql(text)
    if text.startswith("sqlite:///"):
        return "SQLite", DatabaseUrl.sqlite(Path(text.removeprefix("sqlite:///")))
    raise SystemExit("--database: an sqlite:///path or a postgresql:// URL")


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.acks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", action="append", default=[], metavar="URL",
                        help="a database to measure (repeatable; its tables must be ours)")
    parser.add_argument("--count", type=int, default=2000, help="writes per measurement")
    parser.add_argument("--rounds", type=int, default=3, help="rounds (the median is shown)")
    args = parser.parse_args()
    rows = ["| backend | concurrency | durable writes per s | writes per commit |",
            "|---|---|---|---|"]
    with tempfile.TemporaryDirectory(prefix="metoo-bench-acks-") as folder, (
            contextlib.nullcontext([parse(d) for d in args.database]) if args.database
            else default_databases(Path(folder))) as databases:
        for name, url in databases:
            for concurrency in (1, 50):
                rounds = [asyncio.run(writes_per_second(url, args.count, concurrency))
                          for _ in range(args.rounds)]
                rate, commits = sorted(rounds)[len(rounds) // 2]
                per_commit = f"{args.count / commits:.1f}" if commits else "?"
                rows.append(f"| {name} | {concurrency} | {rate:,.0f} | {per_commit} |")
                print(rows[-1], flush=True)
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
