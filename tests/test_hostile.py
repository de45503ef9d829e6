"""The hostile run (bench/hostile.py, issue 11) with a small budget: hostile
commands, autocomplete, forged and stale presses, "me too" cycles and one kill -9
run against the real program, and every figure that must be zero is zero."""

from __future__ import annotations

import struct
import time
from types import SimpleNamespace

from bench import hostile
from bot.emulator.model import EPHEMERAL, Message, User
from bot.emulator.server import CHANNEL_MESSAGE, DiscordEmulator, Interaction


async def test_a_small_hostile_run_finds_nothing() -> None:
    figures = await hostile.run(hostile.Options(
        seed=11, interactions=80, deletions=6, kills=1, per_kill=6, lanes=3))
    assert not figures.failed, figures.table()
    assert sum(figures.tried.values()) >= 80 + 6 * 3
    for kind in ("slash command (member)", "/config as a member", "/config as an admin",
                 "autocomplete", "press: forged custom id", hostile.KILL):
        assert figures.tried[kind] > 0, kind
    assert figures.deletions >= 6
    assert figures.kills == 1 and figures.confirmed_before_kill > 0


def test_the_canary_search_sees_each_kind_of_leak() -> None:
    secret = "ab" * 32
    canaries = hostile.Canaries("token.abc.def", secret)
    typed, stored = canaries.marker(1, stored=False), canaries.marker(2, stored=True)
    user_id = 661720242631737365
    canaries.user_ids.add(user_id)
    assert canaries.found(b"nothing here 12345", stored_allowed=False) == set()
    assert canaries.found(f"x {typed} y".encode(), stored_allowed=True) == {"typed text"}
    assert canaries.found(stored.encode(), stored_allowed=True) == set()
    assert canaries.found(stored.encode(), stored_allowed=False) == {"typed text"}
    assert canaries.found(f"id={user_id}".encode(), stored_allowed=True) == {"a user id"}
    assert canaries.found(b"\x00" + struct.pack(">Q", user_id), stored_allowed=True) == {
        "a user id (as an integer)"}
    assert canaries.found(b"token.abc.def " + bytes.fromhex(secret),
                          stored_allowed=True) == {"the bot token", "ACK_SECRET (bytes)"}


def test_the_answer_checks_see_a_public_answer_and_silence() -> None:
    emu = DiscordEmulator()
    user = User(1, "sam")
    canaries = hostile.Canaries("token", "ab" * 32)
    marker = canaries.marker(1, stored=False)

    def interaction(flags: int, content: str) -> Interaction:
        ix = Interaction(1, "ix.t", 2, user, None, 1, {"data": {"name": "hotline"}}, time.time())
        ix.response_type = CHANNEL_MESSAGE
        ix.original = Message(2, 1, user, content=content, flags=flags,
                              allowed_mentions={"parse": []})
        return ix

    run = SimpleNamespace(emu=emu, canaries=canaries, leaves={"hotline": {}}, tried=[
        hostile.Tried("slash", interaction(EPHEMERAL, f"private {marker}"), False),
        hostile.Tried("slash", interaction(0, f"public {marker}"), False),
        hostile.Tried("slash", interaction(0, "public, as asked"), True),
        hostile.Tried("slash", interaction(EPHEMERAL, "late"), False, answered=False),
    ])
    figures = hostile.Figures()
    hostile.check_answers(run, figures)  # type: ignore[arg-type]
    assert figures.count("answers public where they must be private") == 1
    assert figures.count("typed text shown in a public message") == 1
    assert figures.count("interactions unanswered within 3 s") == 1
    assert figures.failed
