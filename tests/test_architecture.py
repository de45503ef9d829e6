"""The arrows of SPEC section 10: core and storage never import discord, features
or ui; the emulator imports nothing of the bot."""

from __future__ import annotations

import ast
from pathlib import Path

BOT = Path(__file__).resolve().parents[1] / "bot"


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def offenders(package: str, forbidden: tuple[str, ...], allowed: tuple[str, ...] = ()) -> list:
    found = []
    for path in sorted((BOT / package).rglob("*.py")):
        for name in imported_modules(path):
            if name.startswith(forbidden) and not name.startswith(allowed):
                found.append(f"{path.relative_to(BOT)} imports {name}")
    return found


def test_core_and_storage_are_pure() -> None:
    forbidden = ("discord", "bot.features", "bot.ui", "bot.app", "bot.emulator", "aiohttp")
    assert offenders("core", forbidden) == []
    assert offenders("storage", forbidden) == []


def test_the_emulator_knows_nothing_of_the_bot() -> None:
    assert offenders("emulator", ("bot", "discord"), allowed=("bot.emulator",)) == []


def test_the_checker_sees_an_import() -> None:
    assert "discord" in imported_modules(BOT / "app.py")


def test_the_mention_guard_flags_a_message_that_could_ping() -> None:
    from bot.emulator.server import Call, DiscordEmulator
    from tests.support.messages import unguarded_messages

    emu = DiscordEmulator()
    emu.calls = [
        Call(
            "POST", "/channels/1/messages", {}, {"content": "hi", "allowed_mentions": {"parse": []}}
        ),
        Call("POST", "/channels/1/messages", {}, {"content": "@everyone hi"}),
        Call(
            "POST",
            "/interactions/1/t/callback",
            {},
            {"type": 4, "data": {"content": "x", "allowed_mentions": {"parse": ["everyone"]}}},
        ),
    ]
    assert unguarded_messages(emu) == [
        "POST /channels/1/messages",
        "POST /interactions/1/t/callback",
    ]
