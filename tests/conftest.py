"""Fixtures: a local Discord emulator, and the real bot started against it."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

from bot.emulator.model import ADMIN_PERMISSIONS, Guild, User
from bot.emulator.openapi import RequestValidator, default_spec_path
from bot.emulator.server import DiscordEmulator
from bot.local import LocalBot, start_local_bot
from bot.logs import HELD_AT_INFO, RedactingFilter
from tests.support.backends import BACKENDS, TestDatabase
from tests.support.files import read_only  # noqa: F401 (a fixture for every test)
from tests.support.messages import unguarded_messages
from tests.support.postgres import REQUIRE_ENV, PostgresServer, Unavailable, required

# Property tests check what holds, never how fast: no per-example deadline (a busy
# machine would fail them for nothing). CI (.ci/run sets HYPOTHESIS_PROFILE=ci)
# derives the examples from each test instead of drawing them at random, so a run
# can be repeated exactly; a developer's runs keep exploring new examples.
hypothesis_settings.register_profile("default", deadline=None)
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def request_validator() -> RequestValidator:
    path = default_spec_path()
    assert path.is_file(), f"Discord's OpenAPI description is expected at {path}"
    return RequestValidator(path)


@pytest.fixture
async def emulator(request_validator: RequestValidator) -> AsyncIterator[DiscordEmulator]:
    """Discord on 127.0.0.1. Every request body the bot sends is checked against
    Discord's OpenAPI description; a test fails if any was invalid.

    IDENTIFYs are not spaced here: a test that restarts the bot would otherwise
    wait out Discord's 5-second window (tests/emulator test that rule)."""
    emu = DiscordEmulator(validator=request_validator, identify_window=0.0)
    await emu.start()
    try:
        yield emu
    finally:
        await emu.stop()
    assert emu.validation_errors == [], "the bot sent requests Discord would reject"
    assert unguarded_messages(emu) == [], "a message could ping someone"


@pytest.fixture
def guild(emulator: DiscordEmulator) -> Guild:
    return emulator.add_guild("Test community")


@pytest.fixture
def member(emulator: DiscordEmulator) -> User:
    return emulator.add_user("sam")


@pytest.fixture
def admin(emulator: DiscordEmulator) -> User:
    return emulator.add_user("admin")


ADMIN = ADMIN_PERMISSIONS


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "metoo.sqlite3"


# ------------------------------------------------------------ the database
@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL on 127.0.0.1 for the whole session (tests/support/postgres.py).
    Where it cannot run, the tests that need it skip with the reason, or fail
    when METOO_REQUIRE_POSTGRES=1 (CI)."""
    try:
        server = PostgresServer.start()
    except Unavailable as exc:
        if required():
            pytest.fail(f"PostgreSQL is required ({REQUIRE_ENV}=1) but cannot run: {exc}",
                        pytrace=False)
        pytest.skip(f"PostgreSQL tests skipped: {exc}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def database(request: pytest.FixtureRequest, db_path: Path) -> AsyncIterator[TestDatabase]:
    """The test's database: SQLite at `db_path`, or, for the `[postgres]` run of a
    test marked `both_backends`, a fresh database on the session's PostgreSQL
    server, dropped afterwards."""
    kind = getattr(request, "param", "sqlite")
    if kind == "sqlite":
        yield TestDatabase.sqlite(db_path)
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = await server.create_database()
    try:
        yield TestDatabase.postgres(server, name)
    finally:
        await server.drop_database(name)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "both_backends: run the test on SQLite and on PostgreSQL (through the "
                   "`database` fixture, which start_bot and running use)")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # A test of a both_backends module that names its backend itself
    # (ONLY_SQLITE, ONLY_POSTGRES of tests/support/backends.py) keeps it.
    chosen = any("database" in str(mark.args[0])
                 for mark in metafunc.definition.iter_markers("parametrize"))
    if (metafunc.definition.get_closest_marker("both_backends") is not None
            and "database" in metafunc.fixturenames and not chosen):
        metafunc.parametrize("database", BACKENDS, indirect=True)


_postgres_tests: set[str] = set()
_postgres_passed: list[str] = []


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("database") == "postgres":
            _postgres_tests.add(item.nodeid)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" and report.passed and report.nodeid in _postgres_tests:
        _postgres_passed.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """With METOO_REQUIRE_POSTGRES=1 (CI), a run in which no PostgreSQL test
    passed fails, whatever else passed: a green run must have tried both backends."""
    if required() and session.exitstatus == 0 and not _postgres_passed:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"FAILED: {REQUIRE_ENV}=1 and no PostgreSQL test passed",
                                red=True)


# ------------------------------------------------------------------ the bot
StartBot = Callable[..., Awaitable[LocalBot]]


@pytest.fixture
async def start_bot(emulator: DiscordEmulator, database: TestDatabase) -> AsyncIterator[StartBot]:
    """`await start_bot(env={...}, clock=...)` starts the real bot on the test's
    `database` (SQLite at db_path unless the test is marked both_backends);
    stopped at teardown. Calling it again after `await running.stop()` restarts
    on the same database."""
    started: list[LocalBot] = []

    async def start(**kwargs: Any) -> LocalBot:
        local = await start_local_bot(emulator, database.url, **kwargs)
        started.append(local)
        return local

    yield start
    for local in started:
        await local.stop()


@pytest.fixture
async def running(start_bot: StartBot, guild: Guild) -> LocalBot:
    """The bot, started with default settings, in one community."""
    return await start_bot()


@pytest.fixture
def captured_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Every log record of the test, passed through the same redacting filter as
    production's handler."""
    caplog.handler.addFilter(RedactingFilter())
    caplog.set_level(logging.DEBUG)
    for name in HELD_AT_INFO:  # as production holds them
        logging.getLogger(name).setLevel(logging.INFO)
    return caplog
