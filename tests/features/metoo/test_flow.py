"""/metoo add and remove end to end, through the emulator (docs/PRIVACY.md, rules 1-5)."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from datetime import timedelta

import pytest

from bot.emulator.model import Guild, User
from bot.emulator.server import DiscordEmulator
from bot.features.metoo import text
from bot.features.metoo.rules import CONSENT_VERSION
from bot.kit import text as common
from bot.kit.cog import Cooldowns
from bot.local import LocalBot
from tests.conftest import StartBot
from tests.support.acks import (
    Clock,
    acknowledge,
    assert_everything_private,
    consent,
    enable,
    key_of,
    stale,
)
from tests.support.backends import ONLY_SQLITE, TestDatabase

pytestmark = pytest.mark.both_backends


async def test_off_until_an_admin_turns_it_on(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User, database: TestDatabase
) -> None:
    """Rule 1: off by default; nothing offered, nothing stored; other features unaffected."""
    ix = await emulator.slash("metoo add", user=member, guild=guild)
    reply = await ix.reply()
    assert reply.ephemeral and reply.content == text.DISABLED
    assert "/hotline" in reply.text()
    assert reply.buttons() == []
    assert database.rows() == []
    help_reply = await (await emulator.slash("help", user=member, guild=guild)).reply()
    assert help_reply.ephemeral and "/metoo add" in help_reply.text()
    info = await (await emulator.slash("privacy info", user=member, guild=guild)).reply()
    assert info.ephemeral
    assert_everything_private(emulator)


async def test_the_whole_opt_in_flow(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, member: User,
    database: TestDatabase
) -> None:
    """Rules 2-4: informed, explicit, private, minimal; pressing again changes nothing."""
    clock = Clock()
    running = await start_bot(clock=clock)
    await enable(running, guild)

    add = await emulator.slash("metoo add", user=member, guild=guild)
    explanation = await add.reply()
    assert add.response_type == 5  # a "thinking" defer first, ephemeral (checked below)
    assert explanation.ephemeral
    words = explanation.text()
    for needed in ("pseudonymous key", "this server's id", "no time of day", "never stored",
                   "/metoo remove", "/privacy delete", "365 days", f"version {CONSENT_VERSION}",
                   "still personal data"):
        assert needed in words, needed
    labels = [b["label"] for b in explanation.buttons()]
    assert labels == [text.CONFIRM_LABEL, text.CANCEL_LABEL]
    assert "me too" in labels[0] and "Not now" in labels[1]
    for button in explanation.buttons():  # the custom id names no person
        assert str(member.id) not in button["custom_id"]
        assert re.fullmatch(r"metoo:consent:(yes|no):v\d+", button["custom_id"])
    assert database.rows() == []  # reading is not consenting

    not_now = await (await emulator.press(explanation, "Not now", user=member)).reply()
    assert not_now.ephemeral and not_now.content == text.NOT_NOW
    assert database.rows() == []

    shown_elsewhere = stale(explanation)
    press = await emulator.press(explanation, "me too", user=member)
    thanks = await press.reply()
    # One answer, after the COMMIT: the consent message is replaced by the thanks.
    assert press.response_type == 7 and thanks is explanation
    assert thanks.ephemeral and thanks.content == text.THANKS
    assert thanks.embeds == [] and thanks.buttons() == []
    assert "/metoo remove" in thanks.content and "/hotline" in thanks.content
    assert not re.search(r"\d", thanks.text())  # no live count revealed
    assert database.rows() == [(guild.id, key_of(guild, member), CONSENT_VERSION, clock.day)]

    again = await (await emulator.press(shown_elsewhere, "me too", user=member)).reply()
    assert again.ephemeral and again.content == text.ALREADY_COUNTED
    rerun = await consent(emulator, guild, member)
    assert rerun.content == text.ALREADY_COUNTED and rerun.buttons() == []
    assert len(database.rows()) == 1

    assert_everything_private(emulator)


async def test_a_person_in_two_communities_has_unlinkable_keys(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User, database: TestDatabase
) -> None:
    other = emulator.add_guild("Second community")
    await emulator.join_guild(other)
    for community in (guild, other):
        await enable(running, community)
        assert (await acknowledge(emulator, community, member)).content == text.THANKS
    keys = {row[0]: row[1] for row in database.rows()}
    assert keys == {guild.id: key_of(guild, member), other.id: key_of(other, member)}
    assert keys[guild.id] != keys[other.id]


async def test_remove_deletes_at_once_and_says_so(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User, database: TestDatabase
) -> None:
    """Rule 5: withdrawal deletes the row at once; also after counting was turned off."""
    await enable(running, guild)
    other = emulator.add_user("other")
    await acknowledge(emulator, guild, member)
    await acknowledge(emulator, guild, other)
    await running.storage.communities.update(guild.id, acknowledgements_enabled=False)

    ix = await emulator.slash("metoo remove", user=member, guild=guild)
    reply = await ix.reply()
    assert ix.response_type == 4 and reply.ephemeral  # one answer, after the COMMIT
    assert reply.content == text.REMOVED
    assert [row[:2] for row in database.rows()] == [(guild.id, key_of(guild, other))]

    nothing = await (await emulator.slash("metoo remove", user=member, guild=guild)).reply()
    assert nothing.ephemeral and nothing.content == text.NOTHING_TO_REMOVE
    assert_everything_private(emulator)


async def test_confirm_after_counting_was_turned_off_stores_nothing(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User, database: TestDatabase
) -> None:
    await enable(running, guild)
    explanation = await consent(emulator, guild, member)
    await running.storage.communities.update(guild.id, acknowledgements_enabled=False)
    reply = await (await emulator.press(explanation, "me too", user=member)).reply()
    assert reply.content == text.DISABLED
    assert database.rows() == []


async def test_consent_buttons_work_after_a_restart(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, member: User,
    database: TestDatabase
) -> None:
    first = await start_bot()
    await enable(first, guild)
    explanation = await consent(emulator, guild, member)
    await first.stop()
    await start_bot()
    reply = await (await emulator.press(explanation, "me too", user=member)).reply()
    assert reply.ephemeral and reply.content == text.THANKS
    assert [row[:2] for row in database.rows()] == [(guild.id, key_of(guild, member))]


async def test_agreeing_to_an_older_consent_text_stores_nothing(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User, database: TestDatabase
) -> None:
    await enable(running, guild)
    explanation = await consent(emulator, guild, member)
    old = f"metoo:consent:yes:v{CONSENT_VERSION - 1 if CONSENT_VERSION > 1 else 0}"
    explanation.buttons()[0]["custom_id"] = old
    reply = await (await emulator.press(explanation, custom_id=old, user=member)).reply()
    assert reply.ephemeral and reply.content.startswith(text.CONSENT_CHANGED)
    assert [b["label"] for b in reply.buttons()] == [text.CONFIRM_LABEL, text.CANCEL_LABEL]
    assert database.rows() == []


async def test_a_malformed_custom_id_gets_a_kind_answer_and_changes_nothing(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User, database: TestDatabase
) -> None:
    await enable(running, guild)
    explanation = await consent(emulator, guild, member)
    for hostile in ("metoo:consent:yes:v99999999999", "metoo:consent:yes:v1;DROP TABLE x",
                    "privacy:delete:yes-please"):
        explanation.buttons()[0]["custom_id"] = hostile
        ix = await emulator.press(explanation, custom_id=hostile, user=member)
        reply = await ix.reply()
        assert reply.ephemeral and reply.content == common.BUTTON_INACTIVE
        await asyncio.sleep(0.05)
        assert len(ix.messages) == 1 and ix.errors == []  # answered once
    assert database.rows() == []


async def test_not_now_after_confirming_does_not_claim_nothing_is_stored(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User, database: TestDatabase
) -> None:
    await enable(running, guild)
    explanation = await consent(emulator, guild, member)
    shown_elsewhere = stale(explanation)
    await (await emulator.press(explanation, "me too", user=member)).reply()
    reply = await (await emulator.press(shown_elsewhere, "Not now", user=member)).reply()
    assert reply.content == text.NOT_NOW_COUNTED and len(database.rows()) == 1


async def test_repeated_clicks_are_slowed_down_and_never_add_rows(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User, database: TestDatabase
) -> None:
    await enable(running, guild)
    running.bot.get_cog("MeToo").cooldowns = Cooldowns(rate=2, per=60)
    explanation = await consent(emulator, guild, member)  # a read: not counted
    answers = []
    for _ in range(4):  # 1, 2, then refused twice (the presses of several open windows)
        answers.append((await (await emulator.press(stale(explanation), "me too",
                                                    user=member)).reply()).content)
    assert answers == [text.THANKS, text.ALREADY_COUNTED, common.THROTTLED, common.THROTTLED]
    assert len(database.rows()) == 1
    # Someone else is not slowed down by it.
    other = emulator.add_user("other")
    assert (await consent(emulator, guild, other)).buttons()


async def test_the_cooldown_never_refuses_a_read(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User, database: TestDatabase
) -> None:
    """Issue 10, point 9: reading (/metoo count, the explanation, "Not now",
    /privacy mydata, the /privacy delete question and its Cancel) is never
    refused, and "Nothing changed" is said only where a write was refused."""
    await enable(running, guild)
    running.bot.get_cog("MeToo").cooldowns = Cooldowns(rate=1, per=60)
    running.bot.get_cog("Privacy").cooldowns = Cooldowns(rate=1, per=60)
    for _ in range(3):
        reads = [
            await (await emulator.slash("metoo count", user=member, guild=guild)).reply(),
            explanation := await consent(emulator, guild, member),
            await (await emulator.press(explanation, "Not now", user=member)).reply(),
            await (await emulator.slash("privacy mydata", user=member, guild=guild)).reply(),
            question := await (await emulator.slash("privacy delete", user=member,
                                                    guild=guild)).reply(),
            await (await emulator.press(question, "Cancel", user=member)).reply(),
        ]
        for reply in reads:
            assert reply.ephemeral and common.THROTTLED not in reply.text(), reply.text()
            assert "Nothing changed" not in reply.text()
    # Writes are still throttled, and then "Nothing changed" is the truth.
    shown_elsewhere = stale(explanation)
    assert (await (await emulator.press(explanation, "me too", user=member)).reply()
            ).content == text.THANKS
    refused = await (await emulator.press(shown_elsewhere, "me too", user=member)).reply()
    assert refused.content == common.THROTTLED
    removed = await (await emulator.slash("metoo remove", user=member, guild=guild)).reply()
    assert removed.content == common.THROTTLED and len(database.rows()) == 1


async def test_without_ack_secret_the_bot_runs_and_explains(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, member: User,
    database: TestDatabase
) -> None:
    local = await start_bot(env={"ACK_SECRET": ""})
    assert local.settings.ack_secret is None
    await enable(local, guild)
    for command in ("metoo add", "metoo remove", "metoo count", "privacy mydata",
                    "privacy delete"):
        reply = await (await emulator.slash(command, user=member, guild=guild)).reply()
        assert reply.ephemeral and "operator" in reply.content and "not enabled" in reply.content
        assert reply.buttons() == [] and reply.attachments == []
    info = await (await emulator.slash("privacy info", user=member, guild=guild)).reply()
    assert "has not enabled" in info.text()
    assert (await (await emulator.slash("help", user=member, guild=guild)).reply()).ephemeral
    assert database.rows() == []


async def test_metoo_works_only_in_a_server(
    emulator: DiscordEmulator, running: LocalBot, member: User
) -> None:
    definition = next(c for c in emulator.commands_for(None) if c["name"] == "metoo")
    assert definition["contexts"] == [0]
    definition["contexts"] = None  # as an old client would still offer it in a DM
    reply = await (await emulator.slash("metoo add", user=member, guild=None)).reply()
    assert reply.ephemeral and reply.content == common.ERROR_GUILD_ONLY


@ONLY_SQLITE  # another writer holding the file: SQLite's way of refusing a write
async def test_no_confirmation_without_a_commit(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User, database: TestDatabase
) -> None:
    """Rule 10 (a failed write is never confirmed): while the database cannot be
    written, the person hears a kind error, never "thank you"; the bot recovers by
    itself."""
    await enable(running, guild)
    explanation = await consent(emulator, guild, member)
    await running.storage.backend._require().execute("PRAGMA busy_timeout = 200")
    blocker = sqlite3.connect(database.path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another writer holds the database
    try:
        press = await emulator.press(explanation, "me too", user=member)
        reply = await press.reply()
        assert press.response_type == 4 and reply.ephemeral and reply is not explanation
        assert reply.content == common.ERROR_DATABASE_BUSY
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert database.rows() == []
    again = await (await emulator.press(explanation, "me too", user=member)).reply()
    assert again.content == text.THANKS and len(database.rows()) == 1


async def test_a_panel_button_starts_exactly_the_consent_flow(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User, database: TestDatabase
) -> None:
    """The admin panel's "Me too" button calls the metoo feature's public
    `start_consent`: the same private explanation and buttons as /metoo add, with
    nothing public changing. Without /metoo loaded it answers nothing and says so,
    for the panel's own fallback."""
    import discord
    from discord import app_commands
    from discord.ext import commands

    from bot.features.metoo import start_consent

    class PanelLike(commands.Cog):
        @app_commands.command(name="panel-like", description="A public message with a button.")
        async def panel(self, interaction: discord.Interaction) -> None:
            button = discord.ui.Button(label="Me too", custom_id="test:panel:me-too")

            async def pressed(ix: discord.Interaction) -> None:
                started.append(await start_consent(ix))
                if not started[-1]:
                    await ix.response.send_message("not loaded", ephemeral=True)

            button.callback = pressed
            view = discord.ui.View(timeout=None)
            view.add_item(button)
            await interaction.response.send_message("A panel", view=view)

    started: list[bool] = []
    await running.bot.add_cog(PanelLike())
    await running.bot.sync_commands()
    await enable(running, guild)
    panel = await (await emulator.slash("panel-like", user=member, guild=guild)).reply()
    assert not panel.ephemeral
    press = await emulator.press(panel, "Me too", user=member)
    explanation = await press.reply()
    assert press.response_type == 5 and explanation.ephemeral
    assert explanation is not panel and panel.content == "A panel"
    assert [b["label"] for b in explanation.buttons()] == [text.CONFIRM_LABEL, text.CANCEL_LABEL]
    thanks = await (await emulator.press(explanation, "me too", user=member)).reply()
    assert thanks.ephemeral and thanks.content == text.THANKS
    assert len(database.rows()) == 1

    await running.bot.remove_cog("MeToo")
    fallback = await (await emulator.press(panel, "Me too", user=member)).reply()
    assert fallback.ephemeral and fallback.content == "not loaded"
    assert started == [True, False]


async def test_new_accounts_and_new_members_are_told_when_they_can_be_counted(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, member: User,
    database: TestDatabase
) -> None:
    """Issue 11 point 1: only accounts at least 7 days old that joined the community
    at least 24 hours earlier can be counted (Discord sends both: the account's
    creation time is in its id, `joined_at` in the interaction's member). Anyone
    else hears kindly from which UTC day, and nothing is stored meanwhile."""
    clock = Clock()  # 10 March 2026, 14:30 UTC
    local = await start_bot(clock=clock)
    await enable(local, guild)
    made = clock.now - timedelta(days=3)
    new_account = emulator.add_user("new-account", created_at=made.timestamp())
    newcomer = emulator.add_user("newcomer")  # an old account that joined two hours ago
    guild.joined[newcomer.id] = (clock.now - timedelta(hours=2)).timestamp()

    for user, day in ((new_account, "15 March 2026"), (newcomer, "12 March 2026")):
        reply = await (await emulator.slash("metoo add", user=user, guild=guild)).reply()
        assert reply.ephemeral and reply.buttons() == []
        assert reply.content == text.TOO_NEW.format(day=day)
        assert "7 days old" in reply.content and "Nothing was stored" in reply.content
    # A press on someone else's consent button (forged) is checked again.
    explanation = await consent(emulator, guild, member)
    forged = await (await emulator.press(explanation, "me too", user=new_account)).reply()
    assert forged.content == text.TOO_NEW.format(day="15 March 2026")
    assert database.rows() == []
    assert_everything_private(emulator)

    clock.advance(days=1, hours=10)  # 12 March, 00:30: the newcomer can be counted
    assert (await acknowledge(emulator, guild, newcomer)).content == text.THANKS
    refused = await (await emulator.slash("metoo add", user=new_account, guild=guild)).reply()
    assert refused.content == text.TOO_NEW.format(day="15 March 2026")
    clock.advance(days=3)  # 15 March, 00:30
    assert (await acknowledge(emulator, guild, new_account)).content == text.THANKS
    assert len(database.rows()) == 2
