"""`python -m bot backup PATH` and `restore PATH`, run as an operator would, next to
the real bot: a consistent copy while it runs, owner-only, never over a file; a
restore refused while the bot runs or from a file of another schema; on
PostgreSQL, the advice to use pg_dump."""

from __future__ import annotations

import asyncio
import sqlite3
import stat
import subprocess
from pathlib import Path

from bot.emulator.model import ADMIN_PERMISSIONS, Guild, User
from bot.emulator.server import DiscordEmulator
from bot.features.metoo import text as metoo_text
from bot.features.privacy import BACKUP_DAYS
from bot.storage.sqlite.backend import latest_version
from tests.conftest import StartBot
from tests.support.acks import acknowledge, enable
from tests.support.program import REPO, program_env, run_program

TABLES_QUERY = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"


def everything(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, read by a connection of its own."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [name for (name,) in conn.execute(TABLES_QUERY)]
        return {t: sorted(conn.execute(f"SELECT * FROM {t}"), key=repr) for t in tables}
    finally:
        conn.close()


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def bot_command(args: list[str], database: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` for the database at `database` (no token: not needed)."""
    return run_program(args, cwd, program_env(DATABASE_URL=f"sqlite:///{database}"))


async def command(args: list[str], database: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The same, without blocking the event loop the bot runs on."""
    return await asyncio.to_thread(bot_command, args, database, cwd)


async def test_a_backup_of_the_running_bot_restores_to_the_same_rows(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, admin: User, db_path: Path,
    tmp_path: Path,
) -> None:
    local = await start_bot()
    await enable(local, guild, country="GB", threshold=15)
    await emulator.slash("config resource-add", user=admin, guild=guild, options={
        "name": "Campus Counselling", "description": "Free and confidential."},
        permissions=ADMIN_PERMISSIONS)
    people = [emulator.add_user(f"person-{i}") for i in range(6)]
    for person in people[:3]:
        assert (await acknowledge(emulator, guild, person)).content == metoo_text.THANKS

    # A backup while people keep confirming: the bot answers them all the while.
    backup = tmp_path / "backups" / "metoo-1.sqlite3"
    backup.parent.mkdir()
    confirming = asyncio.gather(*(acknowledge(emulator, guild, p) for p in people[3:]))
    made = await command(["backup", str(backup)], db_path, tmp_path)
    answers = await confirming
    assert made.returncode == 0, made.stderr
    assert [a.content for a in answers] == [metoo_text.THANKS] * 3
    assert f"to {backup}" in made.stdout and "at most 30 days" in made.stdout
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert files_in(backup.parent) == ["metoo-1.sqlite3"]  # one self-contained file
    copied = everything(backup)
    assert 3 <= len(copied["acknowledgements"]) <= 6  # a snapshot from some moment
    check = sqlite3.connect(backup)
    try:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert check.execute("PRAGMA user_version").fetchone() == (latest_version(),)
    finally:
        check.close()

    # Once quiet, a second backup holds exactly what the bot holds.
    again = tmp_path / "backups" / "metoo-2.sqlite3"
    assert (await command(["backup", str(again)], db_path, tmp_path)).returncode == 0
    live = everything(db_path)
    assert everything(again) == live
    assert len(live["acknowledgements"]) == 6 and live["community_resources"]

    # Restored into a new place (a fresh server): the same rows, and the bot runs on it.
    await local.stop()
    restored = tmp_path / "restored" / "metoo.sqlite3"
    result = await command(["restore", str(again)], restored, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "are back" in result.stdout
    assert everything(restored) == live
    assert stat.S_IMODE(restored.stat().st_mode) == 0o600


async def test_restore_is_refused_while_the_bot_runs(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, db_path: Path, tmp_path: Path,
) -> None:
    local = await start_bot()
    await enable(local, guild)
    backup = tmp_path / "backup.sqlite3"
    assert (await command(["backup", str(backup)], db_path, tmp_path)).returncode == 0
    await local.storage.communities.update(guild.id, threshold=25)
    before = everything(db_path)

    refused = await command(["restore", str(backup)], db_path, tmp_path)
    assert refused.returncode == 1
    assert refused.stderr.count("\n") == 1 and "is the bot running?" in refused.stderr
    assert everything(db_path) == before
    assert (await local.storage.communities.settings(guild.id)).threshold == 25  # still works

    await local.stop()
    done = await command(["restore", str(backup)], db_path, tmp_path)
    assert done.returncode == 0, done.stderr
    assert everything(db_path) != before
    again = await start_bot()
    assert (await again.storage.communities.settings(guild.id)).threshold == 10


def test_restore_checks_what_it_is_given(tmp_path: Path) -> None:
    database = tmp_path / "data" / "metoo.sqlite3"
    newer = tmp_path / "newer.sqlite3"
    conn = sqlite3.connect(newer)
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    conn.execute("CREATE TABLE acknowledgements (x)")
    conn.execute(f"PRAGMA user_version = {latest_version() + 1}")
    conn.commit()
    conn.close()
    foreign = tmp_path / "other-app.sqlite3"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    not_sqlite = tmp_path / "notes.txt"
    not_sqlite.write_text("hello\n" * 100)
    for source, words in ((newer, "newer than this program"), (foreign, "not a metoo-bot"),
                          (not_sqlite, "not a usable SQLite database"),
                          (tmp_path / "missing", "there is no backup")):
        result = bot_command(["restore", str(source)], database, tmp_path)
        assert result.returncode == 1, source
        assert result.stderr.count("\n") == 1 and words in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    assert not database.exists()  # nothing was created for a refused restore


def test_backup_never_overwrites_and_needs_a_database(tmp_path: Path) -> None:
    database = tmp_path / "metoo.sqlite3"
    missing = bot_command(["backup", str(tmp_path / "b.sqlite3")], database, tmp_path)
    assert missing.returncode == 1 and "no database" in missing.stderr
    sqlite3.connect(database).close()
    existing = tmp_path / "precious.txt"
    existing.write_text("keep me")
    result = bot_command(["backup", str(existing)], database, tmp_path)
    assert result.returncode == 1 and "not overwriting" in result.stderr
    assert existing.read_text() == "keep me"


def test_on_postgresql_backup_and_restore_say_to_use_its_tools(tmp_path: Path) -> None:
    url = "postgresql://metoo:s3cret-password@127.0.0.1:1/metoo"
    for args in (["backup", str(tmp_path / "b")], ["restore", str(tmp_path / "b")]):
        result = run_program(args, tmp_path, program_env(DATABASE_URL=url))
        assert result.returncode == 1
        assert result.stderr.count("\n") == 1 and "pg_dump" in result.stderr
        assert "s3cret-password" not in result.stderr
    assert not (tmp_path / "b").exists()


def test_every_guide_gives_the_days_privacy_info_gives() -> None:
    """/privacy info tells members backups are kept at most BACKUP_DAYS days: the
    operator's guides must ask for the same."""
    for guide in ("README.md", "docs/PRIVACY.md", "deploy/README.md"):
        text = " ".join((REPO / guide).read_text().split())
        assert f"at most {BACKUP_DAYS} days" in text, guide
