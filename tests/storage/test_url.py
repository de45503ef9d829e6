"""DATABASE_URL as a DatabaseUrl, and the backend chosen by its scheme."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import load_settings
from bot.storage import DatabaseUrl, StorageError, describe_database, open_storage, stores_for
from bot.storage.sqlite import Database
from tests.support.program import program_env, run_program

POSTGRES = "postgresql://metoo:hunter2-password@db.internal:5432/metoo"


def settings_for(url: str):
    return load_settings({"DISCORD_TOKEN": "tok", "DATABASE_URL": url}, env_file=None)


def test_sqlite_urls_keep_their_relative_and_absolute_meaning() -> None:
    assert settings_for("sqlite:///data/metoo.sqlite3").database == DatabaseUrl.sqlite(
        Path("data/metoo.sqlite3"))
    absolute = settings_for("sqlite:////var/lib/metoo/db.sqlite3").database
    assert absolute.scheme == "sqlite" and absolute.sqlite_path == Path("/var/lib/metoo/db.sqlite3")
    assert str(absolute) == "/var/lib/metoo/db.sqlite3"


async def test_the_scheme_picks_the_backend_and_postgresql_is_not_yet_one() -> None:
    assert isinstance(stores_for(DatabaseUrl.sqlite(Path("x.sqlite3"))).backend, Database)
    url = settings_for(POSTGRES).database
    assert url.scheme == "postgresql" and "hunter2" not in repr(url) + str(url)
    for attempt in (lambda: stores_for(url), lambda: describe_database(url),
                    lambda: url.sqlite_path):
        with pytest.raises(StorageError) as refused:
            attempt()
        assert "hunter2" not in str(refused.value)
    with pytest.raises(StorageError, match="not supported yet"):
        await open_storage(url)


@pytest.mark.parametrize("command", [[], ["check"], ["rotate-secret"]])
def test_the_program_refuses_postgresql_in_one_line(tmp_path: Path, command: list[str]) -> None:
    result = run_program(command, tmp_path, program_env(DISCORD_TOKEN="tok",
                                                        DATABASE_URL=POSTGRES))
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len(lines) == 1 and "DATABASE_URL" in lines[0] and "not supported yet" in lines[0]
    assert "hunter2" not in result.stderr + result.stdout
