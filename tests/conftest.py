"""Fixtures: a local Discord emulator, and the real bot started against it."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.emulator.model import ADMIN_PERMISSIONS, Guild, User
from bot.emulator.openapi import RequestValidator, default_spec_path
from bot.emulator.server import DiscordEmulator
from bot.local import LocalBot, start_local_bot
from bot.logs import HELD_AT_INFO, RedactingFilter
from tests.support.messages import unguarded_messages


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


StartBot = Callable[..., Awaitable[LocalBot]]


@pytest.fixture
async def start_bot(emulator: DiscordEmulator, db_path: Path) -> AsyncIterator[StartBot]:
    """`await start_bot(env={...}, clock=...)` starts the real bot; stopped at teardown.
    Calling it again after `await running.stop()` restarts on the same database."""
    started: list[LocalBot] = []

    async def start(**kwargs: Any) -> LocalBot:
        local = await start_local_bot(emulator, db_path, **kwargs)
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
