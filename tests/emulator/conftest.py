"""Fixtures of the emulator's own tests."""

from __future__ import annotations

from collections.abc import Callable

import discord
import pytest
import yarl

from bot.emulator.server import DiscordEmulator


@pytest.fixture
def point_at(monkeypatch: pytest.MonkeyPatch) -> Callable[[DiscordEmulator], None]:
    """`point_at(emulator)`: discord.py's REST and gateway go to that emulator
    (restored after the test)."""

    def point(emulator: DiscordEmulator) -> None:
        monkeypatch.setattr(discord.http.Route, "BASE", emulator.api_base)
        monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY",
                            yarl.URL(emulator.gateway_url))

    return point
