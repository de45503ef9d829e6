"""/privacy info, mydata and delete end to end (docs/PRIVACY.md, rule 5 and the
/privacy note)."""

from __future__ import annotations

import json

import pytest

from bot.app import SecretChanged
from bot.emulator.model import Guild, User
from bot.emulator.server import DiscordEmulator
from bot.features.metoo import rules
from bot.features.metoo.rules import CONSENT_VERSION
from bot.features.privacy import BACKUP_DAYS, text
from bot.features.privacy.export import FILE_NAME
from bot.local import LocalBot
from tests.conftest import StartBot
from tests.support.acks import (
    Clock,
    acknowledge,
    assert_everything_private,
    enable,
    key_of,
    stale,
)
from tests.support.backends import TestDatabase
from tests.support.secrets import PROGRAM_SECRET

pytestmark = pytest.mark.both_backends


async def two_communities(emulator: DiscordEmulator, local: LocalBot, guild: Guild) -> Guild:
    other = emulator.add_guild("Second community")
    await emulator.join_guild(other)
    await enable(local, guild)
    await enable(local, other)
    return other


async def test_info_says_it_all_in_plain_words(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, member: User
) -> None:
    await start_bot(env={"OPERATOR_CONTACT": "privacy@example.org @everyone",
                         "ACK_RETENTION_DAYS": "200"})
    ix = await emulator.slash("privacy info", user=member, guild=guild)
    reply = await ix.reply()
    assert reply.ephemeral
    words = reply.text()
    for needed in (
        "reads no messages", "Count me: me too", "pseudonymous key", "HMAC-SHA256",
        "version of the text", "day in UTC", "never stores your user id", "time of day",
        "Nobody", "never a list", "random noise", "\"about 15\"", "fewer than about",
        "7 days old", "hidden or whose counting is off",
        "If the operator's secret changes", "can no longer be matched to anyone",
        "never tells you that nothing is held",
        "`/metoo remove`", "`/privacy delete`", "`/privacy mydata`", "overwritten",
        "200 days", "When the bot leaves a server", "personal data", "privacy@example.org",
        "stays in older backups", f"at most {BACKUP_DAYS} days", "records deleted since",
    ):
        assert needed in words, needed
    assert "@everyone" not in words
    assert_everything_private(emulator)


async def test_info_without_a_contact_says_so(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    reply = await (await emulator.slash("privacy info", user=member, guild=guild)).reply()
    assert text.NO_CONTACT in reply.text()


async def test_mydata_returns_the_callers_own_records_as_json(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, member: User
) -> None:
    clock = Clock()
    local = await start_bot(clock=clock)
    other = await two_communities(emulator, local, guild)
    someone_else = emulator.add_user("someone-else")
    for community in (guild, other):
        await acknowledge(emulator, community, member)
        await acknowledge(emulator, community, someone_else)

    ix = await emulator.slash("privacy mydata", user=member, guild=guild)
    reply = await ix.reply()
    assert ix.response_type == 5 and reply.ephemeral
    assert reply.content == text.MYDATA_SOME.format(records='2 "me too" records')
    assert [a["filename"] for a in reply.attachments] == [FILE_NAME]
    document = json.loads(reply.files[FILE_NAME])
    assert document["about"] == text.MYDATA_ABOUT
    assert sorted(document["acknowledgements"], key=lambda r: r["community_id"]) == sorted([
        {"community_id": str(g.id), "community_name": g.name,
         "member_key": key_of(g, member).hex(), "consent_version": CONSENT_VERSION,
         "day": clock.day}
        for g in (guild, other)
    ], key=lambda r: r["community_id"])
    assert key_of(guild, someone_else).hex() not in reply.files[FILE_NAME].decode()

    nobody = await (await emulator.slash("privacy mydata", user=emulator.add_user("new"),
                                         guild=None)).reply()
    assert nobody.ephemeral and nobody.content == text.MYDATA_NONE
    assert json.loads(nobody.files[FILE_NAME])["acknowledgements"] == []
    assert_everything_private(emulator)


async def test_delete_removes_the_caller_everywhere_after_a_confirm(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User, database: TestDatabase
) -> None:
    other = await two_communities(emulator, running, guild)
    someone_else = emulator.add_user("someone-else")
    for community in (guild, other):
        await acknowledge(emulator, community, member)
        await acknowledge(emulator, community, someone_else)

    prompt = await (await emulator.slash("privacy delete", user=member, guild=guild)).reply()
    assert prompt.ephemeral
    labels = [b["label"] for b in prompt.buttons()]
    assert "Delete" in labels[0] and labels[1] == text.DELETE_CANCEL_LABEL
    assert all(str(member.id) not in b["custom_id"] for b in prompt.buttons())

    cancelled = await (await emulator.press(prompt, "Cancel", user=member)).reply()
    assert cancelled.ephemeral and cancelled.content == text.DELETE_CANCELLED
    assert len(database.rows()) == 4

    shown_elsewhere = stale(prompt)
    press = await emulator.press(prompt, "Delete", user=member)
    done = await press.reply()
    # One answer, after the COMMIT: the question is replaced by it.
    assert press.response_type == 7 and done is prompt and done.ephemeral
    assert done.content == text.DELETED.format(records="2 records") and done.buttons() == []
    assert {row[1] for row in database.rows()} == {key_of(guild, someone_else),
                                                 key_of(other, someone_else)}
    # Gone from the storage too, not only from the table (SQLite: the file and its
    # write-ahead log; PostgreSQL: the table's pages, after the VACUUM).
    assert await database.gone(key_of(guild, member))
    assert await database.gone(key_of(other, member))

    again = await (await emulator.press(shown_elsewhere, "Delete", user=member)).reply()
    assert again.content == text.DELETED_NOTHING
    assert_everything_private(emulator)


async def test_delete_works_from_a_direct_message_and_after_a_restart(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, member: User,
    database: TestDatabase
) -> None:
    first = await start_bot()
    await enable(first, guild)
    await acknowledge(emulator, guild, member)
    prompt = await (await emulator.slash("privacy delete", user=member, guild=None)).reply()
    await first.stop()
    await start_bot()
    done = await (await emulator.press(prompt, "Delete", user=member)).reply()
    assert done.content.startswith("Deleted 1 record.")  # one, not "1 record(s)"
    assert database.rows() == []


def test_the_request_check_follows_the_documented_attachment_placeholders(
    request_validator,
) -> None:
    """Discord documents a new attachment's id as the integer index of its file part
    (as discord.py sends it); the emulator's OpenAPI check accepts that, and still
    refuses an id of the wrong kind."""
    import pytest

    from bot.emulator.server import Call

    op = "/webhooks/{webhook_id}/{webhook_token}"

    def call(attachment_id: object) -> Call:
        return Call("POST", "/webhooks/1/t", {}, {
            "content": "x", "attachments": [{"id": attachment_id, "filename": "a.json"}]},
            operation=op)

    request_validator(call(0))
    request_validator(call("0"))
    with pytest.raises(ValueError):
        request_validator(call([0]))


async def test_nobody_hears_nothing_is_held_while_their_row_exists(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, member: User,
    database: TestDatabase
) -> None:
    """Issue 11 point 6: with another secret (or none) the member's row could not be
    found, and /privacy mydata would say "nothing is held" while it exists. So the
    bot does not start; after `rotate-secret` folded the row into the anonymous
    tally, "nothing is held" is the truth."""
    first = await start_bot()
    await enable(first, guild)
    await acknowledge(emulator, guild, member)
    await first.stop()
    for secret in (PROGRAM_SECRET, None):
        with pytest.raises(SecretChanged, match="rotate-secret"):
            await start_bot(env={"ACK_SECRET": secret})
    assert len(database.rows()) == 1

    storage = database.stores()  # what `python -m bot rotate-secret` does
    await storage.open()
    new = rules.secret_fingerprint(bytes.fromhex(PROGRAM_SECRET))
    assert await storage.acks.rotate_secret(new) == 1
    await storage.close()
    await start_bot(env={"ACK_SECRET": PROGRAM_SECRET})
    reply = await (await emulator.slash("privacy mydata", user=member, guild=guild)).reply()
    assert reply.content == text.MYDATA_NONE
    assert database.rows() == [] and database.rows("ack_tallies") == [(guild.id, 1)]
