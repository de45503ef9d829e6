"""Where commands work: installed to a server and to a person's own account, in a
server, the bot's DMs, group DMs and servers that have not added the bot. The
reading commands work everywhere and answer privately there; /resources, /metoo
and /config need the bot in the server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.emulator.model import (
    ADMIN_PERMISSIONS,
    BOT_DM,
    GUILD_CONTEXT,
    PRIVATE_CHANNEL,
    USER_INSTALL,
    Guild,
    Message,
    User,
)
from bot.emulator.openapi import RequestValidator
from bot.emulator.server import DiscordEmulator, Interaction, Refused
from bot.features.help import text as help_text
from bot.features.hotlines.loader import get_directory
from bot.features.privacy.export import FILE_NAME
from bot.kit import text as common
from bot.local import LocalBot
from tests.conftest import StartBot
from tests.support.acks import acknowledge, assert_everything_private, enable, rows
from tests.support.answers import DANGER, read

# The SPEC's table: Discord's integration_types (0 guild, 1 user install) and
# contexts (0 a server, 1 the bot's DM, 2 group DMs and other DMs).
EVERYWHERE = {"help", "history", "hotline", "privacy"}
WITH_THE_BOT = {"resources", "metoo", "config"}

SHIPPED = get_directory()


@pytest.fixture
def sam(emulator: DiscordEmulator) -> User:
    """A person who installed the app to their account (before the bot starts,
    the app allows user installs, as set in the Developer Portal)."""
    emulator.installation_contexts.add(USER_INSTALL)
    user = emulator.add_user("sam")
    emulator.install_for_user(user)
    return user


@pytest.fixture
def elsewhere(emulator: DiscordEmulator) -> Guild:
    return emulator.add_guild("Never added the bot", bot_installed=False)


async def why_private(ix: Interaction) -> Message:
    """The note that follows a private answer to someone who asked for `public`."""
    await ix.wait(lambda i: any(m.content == common.PUBLIC_NEEDS_THE_BOT for m in i.messages))
    return next(m for m in ix.messages if m.content == common.PUBLIC_NEEDS_THE_BOT)


def numbers(country: str, topic: str = "sexual-assault") -> list[str]:
    result = SHIPPED.lookup(country, topic)
    return [p.number for e in (*result.emergency, *result.lines) for p in e.phones]


def synced(emulator: DiscordEmulator, validator: RequestValidator) -> dict[str, dict]:
    """The commands of the bot's last global sync, by name, checked against
    Discord's OpenAPI description."""
    sync = emulator.calls_to("PUT", r"^/applications/\d+/commands$")[-1]
    validator(sync)
    return {c["name"]: c for c in sync.body}


async def test_the_command_sync_declares_installs_and_contexts(
    emulator: DiscordEmulator, start_bot: StartBot, request_validator: RequestValidator
) -> None:
    emulator.installation_contexts.add(USER_INSTALL)  # the portal allows both installs
    local = await start_bot()
    sent = synced(emulator, request_validator)
    assert set(sent) == EVERYWHERE | WITH_THE_BOT  # a new command must be placed here
    for name in EVERYWHERE:
        assert (sent[name]["integration_types"], sent[name]["contexts"]) == ([0, 1], [0, 1, 2])
    for name in WITH_THE_BOT:
        assert (sent[name]["integration_types"], sent[name]["contexts"]) == ([0], [0])
    # Where the portal allows only installs to servers (Discord's default for a
    # new app), no command declares the other: Discord takes a command's
    # integration_types only when the app supports them. The bot's DMs still work.
    await local.stop()
    emulator.installation_contexts.discard(USER_INSTALL)
    await start_bot()
    sent = synced(emulator, request_validator)
    assert {name: (c["integration_types"], c["contexts"]) for name, c in sent.items()} == {
        **{name: ([0], [0, 1]) for name in EVERYWHERE},
        **{name: ([0], [0]) for name in WITH_THE_BOT},
    }


async def test_hotline_from_a_user_install_answers_privately_everywhere(
    emulator: DiscordEmulator, start_bot: StartBot, sam: User, elsewhere: Guild
) -> None:
    await start_bot()
    kim = emulator.add_user("kim")
    group = emulator.add_group_dm(sam, kim)
    places = [
        ({"guild": None}, BOT_DM, {"0": "0", "1": str(sam.id)}),
        ({"guild": None, "channel": group}, PRIVATE_CHANNEL, {"1": str(sam.id)}),
        ({"guild": elsewhere}, GUILD_CONTEXT, {"1": str(sam.id)}),
        ({"guild": None, "channel": emulator.add_dm(sam, kim)}, PRIVATE_CHANNEL,
         {"1": str(sam.id)}),
    ]
    for where, context, owners in places:
        ix = await emulator.slash("hotline", user=sam, options={"country": "GB"}, **where)
        reply = await ix.reply()
        assert (ix.context, ix.owners) == (context, owners)
        assert reply.ephemeral and reply.embeds[0]["description"].startswith(DANGER)
        shown = read(reply.text())
        assert "United Kingdom" in shown
        for number in numbers("GB"):
            assert number in shown, (where, number)
    # `public` needs the bot in the server: a private answer, and why.
    ix = await emulator.slash("hotline", user=sam, guild=elsewhere,
                              options={"country": "IE", "public": True})
    reply = await ix.reply()
    assert reply.ephemeral and "1800 77 88 88" in read(reply.text())
    assert (await why_private(ix)).ephemeral
    assert emulator.channel_messages(elsewhere.channel()) == []
    assert_everything_private(emulator)


async def test_outside_a_server_with_the_bot_the_country_is_the_option_the_default_or_a_menu(
    emulator: DiscordEmulator, start_bot: StartBot, sam: User, elsewhere: Guild
) -> None:
    local = await start_bot()
    # A server without the bot has no community country, whatever is stored for it.
    await local.storage.communities.update(elsewhere.id, country="IE")
    kim = emulator.add_user("kim")
    group = emulator.add_group_dm(sam, kim)
    for where in ({"guild": elsewhere}, {"guild": None, "channel": group}):
        reply = await (await emulator.slash("hotline", user=sam, locale="en-GB",
                                            options={"topic": "crisis", "contact": "text"},
                                            **where)).reply()
        assert reply.ephemeral and "haven't guessed" in reply.text()
        assert "Ireland" not in reply.text()
        # The menu works where the command was used: the press keeps its installation.
        chosen = await emulator.select(reply, ["GB"], user=sam)
        answer = await chosen.reply()
        assert chosen.owners == {"1": str(sam.id)}
        assert answer.ephemeral and "85258" in read(answer.text())
        assert "116 123" not in answer.text()  # the way of contact travelled too
    await local.stop()
    await start_bot(env={"DEFAULT_COUNTRY": "NZ"})
    reply = await (await emulator.slash("hotline", user=sam, guild=None)).reply()
    assert reply.ephemeral and "New Zealand" in reply.text()
    for number in numbers("NZ"):
        assert number in read(reply.text())
    assert_everything_private(emulator)


async def test_history_and_help_from_a_user_install(
    emulator: DiscordEmulator, start_bot: StartBot, sam: User, elsewhere: Guild
) -> None:
    await start_bot()
    kim = emulator.add_user("kim")
    group = emulator.add_group_dm(sam, kim)
    ix = await emulator.slash("history timeline", user=sam, guild=None, channel=group,
                              options={"public": True})
    reply = await ix.reply()
    assert reply.ephemeral
    assert (await why_private(ix)).ephemeral
    turned = await (await emulator.press(reply, "Next", user=sam)).reply()
    assert turned.id == reply.id and "Page 2" in turned.text()
    topic = await (await emulator.slash("history topic", user=sam, guild=elsewhere,
                                        options={"name": "Tarana Burke"})).reply()
    assert topic.ephemeral and "Burke" in topic.text()

    shown = (await (await emulator.slash("help", user=sam, guild=None)).reply())
    assert shown.ephemeral
    text = shown.embeds[0]["description"]
    assert text.startswith(DANGER) and help_text.WITHOUT_THE_BOT in text
    listed = text.split("**Commands**")[1]
    for name in ("/hotline", "/history timeline", "/privacy mydata", "/help"):
        assert f"`{name}`:" in listed, name
    for name in ("/resources", "/metoo add", "/config show"):
        assert f"`{name}`:" not in listed, name
    assert_everything_private(emulator)


async def test_help_in_a_server_with_the_bot_lists_every_member_command(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    text = (await (await emulator.slash("help", user=member, guild=guild)).reply()).text()
    assert "`/metoo add`" in text and "`/resources`" in text
    assert help_text.WITHOUT_THE_BOT not in text


async def test_privacy_from_a_user_install_acts_on_every_community(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, sam: User, elsewhere: Guild,
    db_path: Path,
) -> None:
    local = await start_bot()
    other = emulator.add_guild("Second community")
    await emulator.join_guild(other)
    for community in (guild, other):
        await enable(local, community)
        await acknowledge(emulator, community, sam)
    info = await (await emulator.slash("privacy info", user=sam, guild=elsewhere)).reply()
    assert info.ephemeral and info.embeds
    kim = emulator.add_user("kim")
    group = emulator.add_group_dm(sam, kim)
    mine = await (await emulator.slash("privacy mydata", user=sam, guild=None,
                                       channel=group)).reply()
    assert mine.ephemeral
    records = json.loads(mine.files[FILE_NAME])["acknowledgements"]
    assert sorted(r["community_id"] for r in records) == sorted([str(guild.id), str(other.id)])
    prompt = await (await emulator.slash("privacy delete", user=sam, guild=elsewhere)).reply()
    assert prompt.ephemeral
    done = await (await emulator.press(prompt, "Delete", user=sam)).reply()
    assert done.ephemeral and done.content.startswith("Deleted 2 records")
    assert rows(db_path) == []
    assert_everything_private(emulator)


@pytest.mark.parametrize("command", ["resources", "metoo add", "metoo count", "config show"])
async def test_commands_that_need_the_bot_are_not_offered_without_it(
    emulator: DiscordEmulator, start_bot: StartBot, sam: User, elsewhere: Guild, command: str
) -> None:
    await start_bot()
    group = emulator.add_group_dm(sam, emulator.add_user("kim"))
    for where in ({"guild": elsewhere}, {"guild": None}, {"guild": None, "channel": group}):
        with pytest.raises(Refused):
            await emulator.slash(command, user=sam, permissions=ADMIN_PERMISSIONS, **where)


async def test_a_command_that_needs_the_bot_refuses_kindly_if_it_arrives_anyway(
    emulator: DiscordEmulator, start_bot: StartBot, sam: User, elsewhere: Guild
) -> None:
    """The installation types are a hint to Discord's clients: the check in code
    is the one that counts."""
    await start_bot()
    for name in ("resources", "metoo"):
        definition = next(c for c in emulator.commands_for(None) if c["name"] == name)
        definition["integration_types"] = [0, 1]  # as if a client offered it anyway
    for command in ("resources", "metoo add"):
        reply: Message = await (await emulator.slash(command, user=sam,
                                                     guild=elsewhere)).reply()
        assert reply.ephemeral and reply.content == common.ERROR_BOT_NOT_IN_SERVER
