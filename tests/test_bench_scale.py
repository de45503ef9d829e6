"""The scale benchmarks (bench/shards.py, bench/backends.py) run end to end with
tiny counts and report every figure, with nothing unanswered."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.postgres import PostgresServer, Unavailable, required
from tests.support.program import REPO, program_env


@pytest.fixture(scope="module")
def postgres_installed() -> None:
    """Both benchmarks start their own temporary PostgreSQL server."""
    try:
        PostgresServer.start().stop()
    except Unavailable as exc:
        if required():
            pytest.fail(f"PostgreSQL is required but cannot run: {exc}", pytrace=False)
        pytest.skip(f"PostgreSQL is not available: {exc}")


def smoke(module: str, out: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-m", module, "--smoke", "--out", str(out)],
        cwd=REPO, env=program_env(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return out.read_text()


def rows(report: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.strip("|").split("|")]
            for line in report.splitlines() if line.startswith("| ") and "---" not in line][1:]


def test_shards_benchmark_compares_one_process_with_two(
    postgres_installed: None, tmp_path: Path
) -> None:
    report = smoke("bench.shards", tmp_path / "shards.md")
    assert ("| layout | time until every shard READY, s | memory per process at READY, MiB "
            "| per s | CPU ms/int. (all processes) | CPU x 1 process | errors |") in report
    found = {row[0]: row for row in rows(report)}
    assert set(found) == {"1 process x 4 shards", "2 processes x 2 shards"}
    assert len(found["2 processes x 2 shards"][2].split(", ")) == 2  # memory of each
    assert all(row[-1] == "0" for row in found.values())  # nothing unanswered


def test_backends_benchmark_gives_postgresql_to_sqlite_ratios(
    postgres_installed: None, tmp_path: Path
) -> None:
    report = smoke("bench.backends", tmp_path / "backends.md")
    names = [row[0] for row in rows(report)]
    for name in ("/hotline", "/history timeline", "/metoo confirm (durable)", "/metoo count",
                 "country autocomplete"):
        assert names.count(name) == 2  # concurrency 1 and more
    assert all(row[-1] == "0" for row in rows(report))
    assert "Durable confirmations per second at concurrency 3: SQLite " in report
