"""The program commands, run as an operator would: `python -m bot ...` in a shell."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# Random, made once for these tests (a repeated pattern would be refused as weak).
HEX_SECRET = "b20ff7155e1e77c2b291c2d54c8f9e6a26f78372bcdd96e4c1c93b086e2cc42c"


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_run_without_token_names_it_and_exits_2(tmp_path: Path) -> None:
    result = run([], tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "DISCORD_TOKEN" in lines[0]
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_a_malformed_setting_is_one_line_without_its_value(tmp_path: Path) -> None:
    result = run([], tmp_path, DISCORD_TOKEN="tok", ACK_SECRET="ab" * 10)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "ACK_SECRET" in result.stderr
    assert "ab" * 10 not in result.stderr


@pytest.mark.parametrize("command", [[], ["run"], ["init"], ["check"], ["sync"]])
def test_help_on_each_command(tmp_path: Path, command: list[str]) -> None:
    result = run([*command, "--help"], tmp_path)
    assert result.returncode == 0
    assert "usage: python -m bot" in result.stdout


def test_init_writes_a_private_env_with_a_fresh_secret_and_never_overwrites(
    tmp_path: Path,
) -> None:
    first = run(["init"], tmp_path)
    assert first.returncode == 0, first.stderr
    env = tmp_path / ".env"
    assert stat.S_IMODE(env.stat().st_mode) == 0o600
    secret_lines = [ln for ln in env.read_text().splitlines() if ln.startswith("ACK_SECRET=")]
    assert len(secret_lines) == 1 and len(secret_lines[0].split("=", 1)[1]) == 64
    assert "DISCORD_TOKEN=" in env.read_text()
    before = env.read_text()
    second = run(["init"], tmp_path)
    assert second.returncode != 0 and "exists" in second.stderr
    assert env.read_text() == before
    other = tmp_path / "other.env"
    assert run(["init", "--path", str(other)], tmp_path).returncode == 0
    assert other.read_text() != before  # a fresh secret each time


def test_check_passes_on_a_valid_environment(tmp_path: Path) -> None:
    result = run(["check"], tmp_path, DISCORD_TOKEN="tok", ACK_SECRET=HEX_SECRET)
    assert result.returncode == 0, result.stderr
    assert "settings: ok" in result.stdout
    assert "will be created" in result.stdout
    assert not (tmp_path / "data").exists()  # check changes nothing


def test_check_reads_the_dotenv_written_by_init(tmp_path: Path) -> None:
    run(["init"], tmp_path)
    env = tmp_path / ".env"
    env.write_text(env.read_text().replace("DISCORD_TOKEN=", "DISCORD_TOKEN=tok"))
    assert run(["check"], tmp_path).returncode == 0


def test_check_refuses_a_short_secret(tmp_path: Path) -> None:
    result = run(["check"], tmp_path, DISCORD_TOKEN="tok", ACK_SECRET="ab" * 16)
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1
    assert "ACK_SECRET" in result.stderr and "32" in result.stderr


def test_check_refuses_an_unreadable_database_path(tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("a file, not a folder")
    result = run(
        ["check"], tmp_path, DISCORD_TOKEN="tok", DATABASE_URL="sqlite:///blocker/metoo.sqlite3"
    )
    assert result.returncode != 0
    error_lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(error_lines) == 1 and "DATABASE_URL" in error_lines[0]
    assert "Traceback" not in result.stderr


def test_check_refuses_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    (tmp_path / "junk.sqlite3").write_bytes(b"junk" * 1000)
    result = run(["check"], tmp_path, DISCORD_TOKEN="tok", DATABASE_URL="sqlite:///junk.sqlite3")
    assert result.returncode != 0 and "not a usable SQLite database" in result.stderr
