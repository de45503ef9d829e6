"""DATABASE_URL as a DatabaseUrl, and the backend chosen by its scheme."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings
from bot.storage import (
    DatabaseUrl,
    StorageError,
    describe_database,
    open_storage,
    postgres,
    read_secret_state,
    stores_for,
)
from bot.storage.sqlite import Database
from tests.support.program import program_env, run_program

# A server on this machine where nothing listens (a test reaches nothing else).
POSTGRES = "postgresql://metoo:hunter2-password@127.0.0.1:9/metoo"


def settings_for(url: str):
    return load_settings({"DISCORD_TOKEN": "tok", "DATABASE_URL": url}, env_file=None)


def test_sqlite_urls_keep_their_relative_and_absolute_meaning() -> None:
    assert settings_for("sqlite:///data/metoo.sqlite3").database == DatabaseUrl.sqlite(
        Path("data/metoo.sqlite3"))
    absolute = settings_for("sqlite:////var/lib/metoo/db.sqlite3").database
    assert absolute.scheme == "sqlite" and absolute.sqlite_path == Path("/var/lib/metoo/db.sqlite3")
    assert str(absolute) == "/var/lib/metoo/db.sqlite3"


async def test_the_scheme_picks_the_backend() -> None:
    assert isinstance(stores_for(DatabaseUrl.sqlite(Path("x.sqlite3"))).backend, Database)
    url = settings_for(POSTGRES).database
    assert url.scheme == "postgresql" and "hunter2" not in repr(url) + str(url)
    assert str(url) == "postgresql://metoo@127.0.0.1:9/metoo"
    assert isinstance(stores_for(url).backend, postgres.Database)
    with pytest.raises(StorageError) as refused:
        url.sqlite_path  # noqa: B018
    assert "hunter2" not in str(refused.value)
    for attempt in (lambda: describe_database(url), lambda: read_secret_state(url)):
        with pytest.raises(StorageError, match="cannot") as refused:
            attempt()
        assert "hunter2" not in str(refused.value)
    with pytest.raises(StorageError, match="cannot connect") as refused:
        await open_storage(url)
    assert "hunter2" not in str(refused.value)


@pytest.mark.parametrize("url", [
    "postgresql://",
    "postgresql://metoo:hunter2@/metoo",             # no server
    "postgresql://metoo:hunter2@db.example:5432",    # no database
    "postgresql://metoo:hunter2@db.example:5432/",
    "postgresql://metoo:hunter2@db.example:port/metoo",
    "postgresql://metoo:hunter2@db.example:5432/metoo#x",
    "postgres://metoo:hunter2@db.example/metoo",     # the scheme is postgresql
])
def test_a_bad_postgresql_url_is_refused_without_repeating_it(url: str) -> None:
    with pytest.raises(SettingsError) as refused:
        settings_for(url)
    assert str(refused.value).startswith("DATABASE_URL: ")
    assert "hunter2" not in str(refused.value) and "\n" not in str(refused.value)


@pytest.mark.parametrize("command", [[], ["check"], ["rotate-secret"]])
def test_the_program_says_in_one_line_that_the_server_cannot_be_reached(
    tmp_path: Path, command: list[str]
) -> None:
    result = run_program(command, tmp_path, program_env(DISCORD_TOKEN="tok",
                                                        DATABASE_URL=POSTGRES))
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len(lines) == 1 and "DATABASE_URL" in lines[0] and "cannot" in lines[0]
    assert "127.0.0.1:9" in lines[0]
    assert "hunter2" not in result.stderr + result.stdout
