"""A write answers once after its COMMIT, or defers first when the COMMIT is slow
(bot.kit.respond.in_time): the deferred path, with the database held by another
connection for longer than DEFER_WRITE_AFTER, on both backends. The quick path
(one UPDATE_MESSAGE, or one message for a command) is pinned by each feature's
own tests."""

from __future__ import annotations

import asyncio

import pytest

from bot.emulator.model import ADMIN_PERMISSIONS, Guild, User
from bot.emulator.server import DiscordEmulator
from bot.features.config import text as config_text
from bot.features.metoo import text as metoo_text
from bot.features.privacy import text as privacy_text
from bot.kit.respond import DEFER_WRITE_AFTER
from bot.local import LocalBot
from tests.support.acks import acknowledge, assert_everything_private, consent, enable, key_of
from tests.support.backends import TestDatabase

pytestmark = pytest.mark.both_backends

DEFERRED_CHANNEL_MESSAGE = 5


async def test_a_slow_commit_is_deferred_and_confirmed_only_after_it_lands(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, database: TestDatabase,
    admin: User,
) -> None:
    other = emulator.add_guild("Second community")
    await emulator.join_guild(other)
    await enable(running, guild)
    await enable(running, other)
    joining, leaving, erasing = (emulator.add_user(name) for name in ("a", "b", "c"))
    explanation = await consent(emulator, guild, joining)
    for person in (leaving, erasing):
        assert (await acknowledge(emulator, guild, person)).content == metoo_text.THANKS
    await acknowledge(emulator, other, joining)
    question = await (await emulator.slash("privacy delete", user=erasing, guild=guild)).reply()
    prompt = await (await emulator.slash("config reset", user=admin, guild=other,
                                         permissions=ADMIN_PERMISSIONS)).reply()
    before = sorted(database.rows())

    async with database.writes_held():
        writes = [
            await emulator.press(explanation, "me too", user=joining),
            await emulator.slash("metoo remove", user=leaving, guild=guild),
            await emulator.press(question, "Delete", user=erasing),
            await emulator.press(prompt, "Delete", user=admin, permissions=ADMIN_PERMISSIONS),
        ]
        await asyncio.sleep(DEFER_WRITE_AFTER / 2)
        assert [ix.response_type for ix in writes] == [None] * len(writes)  # no defer first
        for ix in writes:  # then deferred privately, inside Discord's 3 seconds
            assert await ix.acknowledged(timeout=3) == DEFERRED_CHANNEL_MESSAGE
        await asyncio.sleep(0.3)
        # Held for longer than DEFER_WRITE_AFTER: nothing is said, nothing committed.
        assert DEFER_WRITE_AFTER >= 2.0
        assert [m.content for ix in writes for m in ix.messages] == [""] * len(writes)
        assert sorted(database.rows()) == before

    answers = [(await ix.reply()).content for ix in writes]
    assert answers[0] == metoo_text.THANKS
    assert answers[1] == metoo_text.REMOVED
    assert answers[2] == privacy_text.DELETED.format(records="1 record")
    assert answers[3].startswith(config_text.RESET_DONE.split(".")[0])
    for ix in writes:  # one "thinking" message, filled by the follow-up; no error
        assert ix.errors == [] and len(ix.messages) == 1 and ix.messages[0].ephemeral
    assert explanation.buttons() and question.buttons()  # answered below, not replaced
    assert sorted(row[:2] for row in database.rows()) == [(guild.id, key_of(guild, joining))]
    assert_everything_private(emulator)
