"""The program commands, run as an operator would: `python -m bot ...` in a shell."""

from __future__ import annotations

import asyncio
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import LOCAL_ACK_SECRET
from tests.support.program import REPO, program_env, run_program

# Random, made once for these tests (a repeated pattern would be refused as weak).
HEX_SECRET = "b20ff7155e1e77c2b291c2d54c8f9e6a26f78372bcdd96e4c1c93b086e2cc42c"
OTHER_SECRET = "e4a17c09b35d28f6c1e0a9b7d4f3286e5c0b9a1d7e2f4c68b3a5d0e9f1c72b84"
GUILD = 1_300_000_000_000_000_001


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return run_program(args, cwd, program_env(**env))


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
    assert "data hotlines: ok" in result.stdout  # the feature, not its module (loader)
    assert "languages: English and 7 more (TRANSLATIONS=checked)" in result.stdout
    # Every string and every sensitive text of Polish shown translated, none reviewed
    # by a person yet (the counts grow with the texts).
    assert re.search(r"language pl: (\d+)/\1 strings shown translated; sensitive texts: "
                     r"(\d+)/\2 checked, 0/\2 reviewed by a person, \2/\2 shown translated",
                     result.stdout), result.stdout
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


@pytest.mark.parametrize("command", [[], ["check"], ["rotate-secret"]])
def test_weak_secrets_are_refused_at_start_and_in_check(tmp_path: Path, command: list[str]) -> None:
    """Issue 11 point 7: the console's public secret and patterns are refused by the
    real program with one line (the console itself may use its public secret)."""
    for weak in (LOCAL_ACK_SECRET, "ab" * 32, "thisisnotarandomsecretbutitlookslikebase64ok"):
        result = run(command, tmp_path, DISCORD_TOKEN="tok", ACK_SECRET=weak)
        assert result.returncode == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "ACK_SECRET" in lines[0] and weak not in result.stderr
    assert not (tmp_path / "data").exists()  # refused before anything was created


async def made_with(db: Path, secret_hex: str, rows: int) -> None:
    """A database as the bot leaves it: `rows` acknowledgements made with a secret."""
    from bot.features.metoo import rules
    from tests.support.storage import sqlite_stores

    storage = sqlite_stores(db)
    await storage.open()
    secret = bytes.fromhex(secret_hex)
    await storage.acks.record_secret(rules.secret_fingerprint(secret))
    for user in range(1, rows + 1):
        await storage.acks.add(GUILD, rules.member_key(secret, GUILD, user), 1, "2026-03-01")
    await storage.close()


def table(db: Path, name: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.execute(f"SELECT * FROM {name}"))
    finally:
        conn.close()


def test_a_changed_secret_stops_the_bot_until_rotate_secret(tmp_path: Path) -> None:
    """Issue 11 point 6: rows made with another secret can be linked to nobody, so
    the bot refuses to start (one line naming the command) instead of telling
    people "nothing is held" while their row exists; rotate-secret folds them."""
    db = tmp_path / "data" / "metoo.sqlite3"
    asyncio.run(made_with(db, OTHER_SECRET, 3))
    env = {"DISCORD_TOKEN": "tok", "ACK_SECRET": HEX_SECRET,
           "DISCORD_API_BASE_URL": "http://127.0.0.1:9/api/v10"}  # never reached
    for command, settings in (([], env), (["run"], env), ([], {"DISCORD_TOKEN": "tok"})):
        started = run(command, tmp_path, **settings)
        assert started.returncode == 2, started.stderr
        lines = started.stderr.strip().splitlines()
        assert len(lines) == 1 and "ACK_SECRET" in lines[0]
        assert "python -m bot rotate-secret" in lines[0]
        assert HEX_SECRET not in started.stderr and OTHER_SECRET not in started.stderr
    checked = run(["check"], tmp_path, **env)
    assert checked.returncode == 1
    errors = checked.stderr.strip().splitlines()
    assert len(errors) == 1 and "python -m bot rotate-secret" in errors[0]
    assert len(table(db, "acknowledgements")) == 3  # refusing changed nothing

    rotated = run(["rotate-secret"], tmp_path, ACK_SECRET=HEX_SECRET)
    assert rotated.returncode == 0, rotated.stderr
    assert "folded 3 acknowledgement(s)" in rotated.stdout
    assert table(db, "acknowledgements") == [] and table(db, "ack_tallies") == [(GUILD, 3)]
    assert run(["check"], tmp_path, **env).returncode == 0
    again = run(["rotate-secret"], tmp_path, ACK_SECRET=HEX_SECRET)
    assert again.returncode == 0 and "nothing to do" in again.stdout
    assert table(db, "ack_tallies") == [(GUILD, 3)]


def test_rotate_secret_has_help(tmp_path: Path) -> None:
    result = run(["rotate-secret", "--help"], tmp_path)
    assert result.returncode == 0 and "usage: python -m bot rotate-secret" in result.stdout
    assert "tally" in result.stdout and "stopped" in result.stdout
    listed = run(["--help"], tmp_path)
    assert "rotate-secret" in listed.stdout


def test_check_refuses_a_folder_the_bot_could_not_create_its_database_in(tmp_path: Path) -> None:
    """os.access() says root may write anywhere, /proc included; `run` then fails."""
    result = run(["check"], tmp_path, DISCORD_TOKEN="tok",
                 DATABASE_URL="sqlite:////proc/metoo/metoo.sqlite3")
    assert result.returncode != 0
    error_lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(error_lines) == 1 and "DATABASE_URL" in error_lines[0]
    assert "cannot create" in error_lines[0]


def test_check_leaves_nothing_behind_where_it_probes(tmp_path: Path) -> None:
    result = run(["check"], tmp_path, DISCORD_TOKEN="tok", ACK_SECRET=HEX_SECRET,
                 DATABASE_URL="sqlite:///data/deeper/metoo.sqlite3")
    assert result.returncode == 0, result.stderr
    assert "will be created" in result.stdout
    assert list(tmp_path.iterdir()) == []


OPERATOR_LINES = ("settings: ", "data ", "language", "database ", "warning: ")


def test_check_shows_the_operator_only_what_concerns_the_operator(tmp_path: Path) -> None:
    plain = run(["check"], tmp_path, DISCORD_TOKEN="tok", ACK_SECRET=HEX_SECRET)
    assert plain.returncode == 0, plain.stderr
    lines = plain.stdout.splitlines()
    assert all(line.startswith(OPERATOR_LINES) for line in lines), plain.stdout
    # Editorial notes about the shipped content (a conflict between sources) are for
    # content maintainers: only with --content.
    assert not any("confidence" in line or "topic" in line for line in lines), plain.stdout
    maintainers = run(["check", "--content"], tmp_path, DISCORD_TOKEN="tok", ACK_SECRET=HEX_SECRET)
    assert maintainers.returncode == 0
    assert set(lines) <= set(maintainers.stdout.splitlines())
    assert all(line.startswith((*OPERATOR_LINES, "content: "))
               for line in maintainers.stdout.splitlines())


OFFLINE = {"DISCORD_API_BASE_URL": "http://127.0.0.1:9/api/v10",
           "DISCORD_GATEWAY_URL": "ws://127.0.0.1:9/gateway"}


@pytest.mark.parametrize(("args", "env", "problem"), [
    (["init", "--path", "missing/sub/.env"], {}, "cannot write missing/sub/.env"),
    (["init", "--path", "/proc/metoo.env"], {}, "cannot write /proc/metoo.env"),
    ([], {"DATABASE_URL": "sqlite:///a-folder"}, "DATABASE_URL"),
    (["sync"], {"DATABASE_URL": "sqlite:///a-folder"}, "DATABASE_URL"),
    ([], {"DATABASE_URL": "sqlite:////proc/metoo/metoo.sqlite3"}, "DATABASE_URL"),
    (["check"], {"DATABASE_URL": "sqlite:///junk.sqlite3"}, "not a usable SQLite database"),
    (["check"], {"USE_BAD_DOTENV": "1"}, ".env: cannot be read: it is not UTF-8 text"),
    ([], {"USE_BAD_DOTENV": "1"}, ".env: cannot be read"),
])
def test_bad_paths_and_files_are_one_line(
    tmp_path: Path, args: list[str], env: dict[str, str], problem: str
) -> None:
    (tmp_path / "a-folder").mkdir()
    (tmp_path / "junk.sqlite3").write_bytes(b"junk" * 1000)
    if env.pop("USE_BAD_DOTENV", None):
        (tmp_path / ".env").write_bytes(b"DISCORD_TOKEN=tok\nOPERATOR_CONTACT=\xff\xfe\n")
    result = run(args, tmp_path, **{"DISCORD_TOKEN": "tok", **OFFLINE, **env})
    assert result.returncode in (1, 2)
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and problem in lines[0], result.stderr
    assert lines[0].startswith("metoo-bot: ") or lines[0].startswith("error: ")


def test_an_invalid_data_file_stops_the_console_with_one_line(tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(REPO / "bot", copy / "bot", ignore=shutil.ignore_patterns("__pycache__"))
    data_file = copy / "bot" / "features" / "hotlines" / "data" / "hotlines.toml"
    with data_file.open("a", encoding="utf-8") as data:
        data.write("\nbroken = [\n")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--script", "-"], input="/help\n",
        cwd=tmp_path, env=program_env(copy),
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "bot.features.hotlines could not start" in lines[0], result.stderr
    assert "python -m bot check" in lines[0]


async def test_a_second_bot_process_on_one_sqlite_file_is_refused_in_one_line(
    tmp_path: Path,
) -> None:
    """Several shard processes need PostgreSQL: on an SQLite file that a running
    bot holds, `python -m bot` stops at once with one line (before reaching Discord)."""
    from tests.support.storage import sqlite_stores

    db = tmp_path / "data" / "metoo.sqlite3"
    running = sqlite_stores(db)
    await running.open()
    try:
        result = await asyncio.to_thread(
            run, [], tmp_path, DISCORD_TOKEN="tok", ACK_SECRET=HEX_SECRET,
            DATABASE_URL=f"sqlite:///{db}", DISCORD_API_BASE_URL="http://127.0.0.1:9/api/v10")
    finally:
        await running.close()
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("metoo-bot: DATABASE_URL: ")
    assert "in use by another bot process" in lines[0] and "PostgreSQL" in lines[0]
    assert "Traceback" not in result.stderr


def test_check_warns_the_operator_about_facts_due_for_a_recheck(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --content: hotline entries checked more than 6 months ago, court
    outcomes stated as of more than 12 months ago; by a fixed "today"."""
    import datetime as dt

    import bot.__main__ as program

    def check_on(day: dt.date) -> list[str]:
        class Today(dt.date):
            @classmethod
            def today(cls) -> Today:
                return cls(day.year, day.month, day.day)

        monkeypatch.setattr(program, "date", Today)
        assert program.main(["check"]) == 0
        return capsys.readouterr().out.splitlines()

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DISCORD_TOKEN", "tok")
    monkeypatch.setenv("ACK_SECRET", HEX_SECRET)
    monkeypatch.setenv("DATABASE_URL", "sqlite:///data/metoo.sqlite3")
    soon = check_on(dt.date(2026, 12, 1))
    assert all(line.startswith(OPERATOR_LINES) for line in soon)
    assert not any(line.startswith("warning: hotlines:") for line in soon)
    assert "warning: history: event E29: its outcome is stated as of September 2020, more " \
           "than 12 months ago: re-check it (a later development needs 2 sources)" in soon

    later = check_on(dt.date(2027, 6, 2))
    assert all(line.startswith(OPERATOR_LINES) for line in later)
    us = [line for line in later if line.startswith("warning: hotlines: United States (US): ")]
    assert len(us) == 1 and "us-rainn" in us[0] and "more than 6 months" in us[0]
    assert later.index("data hotlines: ok") < later.index(us[0])
