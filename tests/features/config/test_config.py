"""/config end to end: the real bot through the emulator, as an admin and as a
member without Manage Server."""

from __future__ import annotations

from typing import Any

import discord
import pytest

from bot.emulator.model import ADMIN_PERMISSIONS, MANAGE_GUILD, VIEW_CHANNEL, Channel, Guild, User
from bot.emulator.server import DiscordEmulator, Interaction
from bot.features.config import rules, text
from bot.features.config.panel import OPENERS
from bot.kit import text as common
from bot.local import LocalBot
from bot.storage.records import COMMUNITY_TABLES
from tests.support.backends import execute

# The admin's commands end to end, on SQLite and on PostgreSQL.
pytestmark = pytest.mark.both_backends

ADMIN = ADMIN_PERMISSIONS


async def config(
    emulator: DiscordEmulator, command: str, user: User, guild: Guild,
    options: dict[str, Any] | None = None, *, admin: bool = True, channel: Channel | None = None,
) -> Interaction:
    return await emulator.slash(
        f"config {command}", user=user, guild=guild, options=options or {},
        permissions=ADMIN if admin else None, channel=channel,
    )


async def answer(emulator: DiscordEmulator, command: str, user: User, guild: Guild,
                 options: dict[str, Any] | None = None, **kwargs: Any) -> str:
    """Run a /config command and return the text of its (ephemeral) answer."""
    reply = await (await config(emulator, command, user, guild, options, **kwargs)).reply()
    assert reply.ephemeral
    return reply.text()


async def snapshot(local: LocalBot) -> dict[str, list[tuple]]:
    """Every community row of every table."""
    return {
        table: [tuple(row) for row in await local.storage.backend.fetchall(
            f"SELECT * FROM {table} ORDER BY 1, 2")]
        for table in COMMUNITY_TABLES
    }


# ---------------------------------------------------------------- the command itself
async def test_config_is_guild_only_and_defaults_to_manage_server(
    emulator: DiscordEmulator, running: LocalBot
) -> None:
    definition = next(c for c in emulator.commands_for(None) if c["name"] == "config")
    assert int(definition["default_member_permissions"]) == MANAGE_GUILD
    assert definition["contexts"] == [0]
    names = {o["name"] for o in definition["options"]}
    assert names == {"show", "country", "acknowledgements", "threshold", "panel",
                     "resource-add", "resource-remove", "log-channel", "language", "reset"}
    # Every subcommand also checks Manage Server in code.
    from bot.kit.checks import can_manage_guild

    group = running.bot.tree.get_command("config")
    assert isinstance(group, discord.app_commands.Group)
    for command in group.commands:
        assert any(getattr(check, "__wrapped__", check) is can_manage_guild
                   or getattr(check, "__name__", "") == "can_manage_guild"
                   for check in command.checks), command.name


async def test_show_gives_all_settings_privately(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, admin: User
) -> None:
    shown = await answer(emulator, "show", admin, guild)
    assert text.SHOW_TITLE in shown
    assert text.COUNTRY_UNSET in shown
    assert f"{text.FIELD_ACK}\n{text.OFF}" in shown
    assert f"{text.FIELD_THRESHOLD}\n10" in shown
    assert text.PANEL_UNSET in shown and text.RESOURCES_NONE in shown


async def test_show_with_the_operator_default_country(
    emulator: DiscordEmulator, start_bot, guild: Guild, admin: User
) -> None:
    await start_bot(env={"DEFAULT_COUNTRY": "IE"})
    shown = await answer(emulator, "show", admin, guild)
    assert "Ireland (IE)" in shown


# ---------------------------------------------------------------- country
async def test_country_with_autocomplete_and_strict_validation(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, admin: User, member: User
) -> None:
    ix = await emulator.autocomplete("config country", "code", "germny", user=admin,
                                     guild=guild, permissions=ADMIN)
    choices = await ix.autocomplete()
    assert choices[0] == {"name": "Germany (DE)", "value": "DE"}
    assert len(choices) <= 25

    reply = await answer(emulator, "country", admin, guild, {"code": choices[0]["value"]})
    assert "Germany (DE)" in reply
    assert (await running.storage.communities.settings(guild.id)).country == "DE"

    # Autocomplete is only a suggestion: any string can arrive.
    for bad in ("Germny", "XX", "@everyone", "x" * 100):
        reply = await answer(emulator, "country", admin, guild, {"code": bad})
        assert "I do not know that country" in reply
        assert "@everyone" not in reply
    reply = await answer(emulator, "country", admin, guild, {"code": "Germny"})
    assert "Did you mean Germany (DE)?" in reply
    assert (await running.storage.communities.settings(guild.id)).country == "DE"

    assert text.UNCHANGED in await answer(emulator, "country", admin, guild, {"code": "de"})
    assert text.COUNTRY_CLEARED in await answer(emulator, "country", admin, guild,
                                                {"code": "none"})
    assert (await running.storage.communities.settings(guild.id)).country is None

    # A member without Manage Server gets no suggestions.
    ix = await emulator.autocomplete("config country", "code", "ger", user=member, guild=guild)
    assert await ix.autocomplete() == []


# ---------------------------------------------------------------- acknowledgements, threshold
async def test_acknowledgements_and_threshold(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, admin: User
) -> None:
    communities = running.storage.communities
    assert text.ACK_ON in await answer(emulator, "acknowledgements", admin, guild,
                                       {"enabled": True})
    assert (await communities.settings(guild.id)).acknowledgements_enabled is True
    assert text.UNCHANGED in await answer(emulator, "acknowledgements", admin, guild,
                                          {"enabled": True})
    assert text.ACK_OFF.split(".")[0] in await answer(emulator, "acknowledgements", admin,
                                                      guild, {"enabled": False})
    assert (await communities.settings(guild.id)).acknowledgements_enabled is False

    assert "fewer than 15" in await answer(emulator, "threshold", admin, guild, {"value": 15})
    assert (await communities.settings(guild.id)).threshold == 15
    # Discord's min_value is only a hint to clients: the bot checks too.
    definition = next(c for c in emulator.commands_for(None) if c["name"] == "config")
    option = next(o for o in definition["options"] if o["name"] == "threshold")["options"][0]
    assert option["min_value"] == 5
    for bad in (4, 0, -5, rules.MAX_THRESHOLD + 1):
        reply = await answer(emulator, "threshold", admin, guild, {"value": bad})
        assert "from 5 to" in reply
    assert (await communities.settings(guild.id)).threshold == 15


# ---------------------------------------------------------------- resources
async def test_resources_are_validated_added_and_removed(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, admin: User
) -> None:
    communities = running.storage.communities
    await communities.update(guild.id, country="GB")
    added = await answer(emulator, "resource-add", admin, guild, {
        "name": "Campus **Help**", "description": "Free, confidential counselling for students.",
        "url": "https://uni.example/help", "phone": "020 7946 0958",
    })
    assert "Added **Campus \\*\\*Help\\*\\***" in added
    [resource] = await communities.resources(guild.id)
    assert (resource.name, resource.url, resource.phone) == (
        "Campus **Help**", "https://uni.example/help", "+44 20 7946 0958")

    refused = {
        "http URL": ({"url": "http://uni.example"}, "https://"),
        "invalid phone": ({"phone": "12345"}, "not valid for United Kingdom (GB)"),
        "long name": ({"name": "x" * (rules.NAME_MAX + 1)}, "the most is 80"),
        "long description": ({"description": "y" * 5000}, f"the most is {rules.DESCRIPTION_MAX}"),
        "@everyone": ({"description": "Call now @everyone"}, "mention"),
        "role mention": ({"name": "<@&1234567890123>"}, "mention"),
        "user mention": ({"description": "ask <@1234567890123>"}, "mention"),
        "control": ({"name": "two\nlines"}, "line breaks"),
        "duplicate": ({"name": "campus **HELP**"}, "already a local resource"),
        "link in text": ({"description": "see https://evil.example"}, "`url` option"),
    }
    for label, (changes, expected) in refused.items():
        options = {"name": "Night Line", "description": "Listening, every night.", **changes}
        reply = await answer(emulator, "resource-add", admin, guild, options)
        assert expected in reply, label
        assert "Nothing was saved" in reply, label
        assert "Call now" not in reply and "<@" not in reply  # the input is never echoed
    assert len(await communities.resources(guild.id)) == 1

    # Autocomplete offers the names; remove by the chosen value.
    ix = await emulator.autocomplete("config resource-remove", "name", "campus", user=admin,
                                     guild=guild, permissions=ADMIN)
    [choice] = await ix.autocomplete()
    assert choice["value"] == "Campus **Help**"
    removed = await answer(emulator, "resource-remove", admin, guild, {"name": choice["value"]})
    assert "Removed **Campus \\*\\*Help\\*\\***" in removed
    assert await communities.resources(guild.id) == []
    missing = await answer(emulator, "resource-remove", admin, guild, {"name": "@everyone"})
    assert "There is no local resource" in missing and "@everyone" not in missing


async def test_at_most_25_resources_and_phones_need_a_country(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, admin: User
) -> None:
    reply = await answer(emulator, "resource-add", admin, guild, {
        "name": "Line", "description": "A line.", "phone": "020 7946 0958"})
    assert "country code" in reply and "/config country" in reply
    reply = await answer(emulator, "resource-add", admin, guild, {
        "name": "Line", "description": "A line.", "phone": "+44 20 7946 0958"})
    assert "Added **Line**" in reply
    for i in range(2, rules.MAX_RESOURCES + 1):
        await running.storage.communities.add_resource(_resource(guild, i), rules.MAX_RESOURCES)
    assert len(await running.storage.communities.resources(guild.id)) == 25
    reply = await answer(emulator, "resource-add", admin, guild, {
        "name": "One more", "description": "Too many."})
    assert "already has 25 local resources" in reply
    assert len(await running.storage.communities.resources(guild.id)) == 25
    shown = await answer(emulator, "show", admin, guild)
    assert "Local resources (25 of 25)" in shown and "Resource 25" in shown


def _resource(guild: Guild, i: int):
    from bot.storage import CommunityResource

    return CommunityResource(guild.id, f"Resource {i}", "x" * rules.DESCRIPTION_MAX,
                             None, None, "2026-01-01")


# ---------------------------------------------------------------- the panel
async def test_panel_is_posted_moved_and_answers_any_member(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, admin: User, member: User
) -> None:
    general, announcements = guild.channel("general"), guild.channel("announcements")
    reply = await answer(emulator, "panel", admin, guild, {"channel": general})
    assert "The panel is posted" in reply
    [panel] = emulator.channel_messages(general)
    assert not panel.ephemeral
    assert [b["label"] for b in panel.buttons()] == ["Me too", "Find support", "Learn more"]
    assert [b["custom_id"] for b in panel.buttons()] == [
        "panel:metoo", "panel:support", "panel:learn"]
    settings = await running.storage.communities.settings(guild.id)
    assert (settings.panel_channel_id, settings.panel_message_id) == (general.id, panel.id)

    # Any member, no special permission; every answer private; nothing logged anywhere.
    # With the features loaded, each button hands over to its feature.
    support = await (await emulator.press(panel, "Find support", user=member)).reply()
    assert support.ephemeral and "If you are in danger right now" in support.text()
    learn = await (await emulator.press(panel, "Learn more", user=member)).reply()
    assert learn.ephemeral and "Tarana Burke" in learn.text() and "2006" in learn.text()
    # Without them, a kind fallback.
    for extension, _ in OPENERS.values():
        await running.bot.unload_extension(extension)
    for label, expected in (("Me too", text.FALLBACK_METOO),
                            ("Find support", text.FALLBACK_SUPPORT),
                            ("Learn more", text.FALLBACK_LEARN)):
        pressed = await (await emulator.press(panel, label, user=member)).reply()
        assert pressed.ephemeral and pressed.content == expected
    assert "/hotline" in text.FALLBACK_SUPPORT and "emergency" in text.FALLBACK_SUPPORT
    assert "/history overview" in text.FALLBACK_LEARN

    # Move it: the old message is deleted.
    reply = await answer(emulator, "panel", admin, guild, {"channel": announcements})
    assert "old panel message was deleted" in reply
    assert emulator.channel_messages(general) == [] and panel.deleted
    [moved] = emulator.channel_messages(announcements)
    settings = await running.storage.communities.settings(guild.id)
    assert (settings.panel_channel_id, settings.panel_message_id) == (announcements.id, moved.id)
    assert "In <#" in await answer(emulator, "show", admin, guild)


async def test_panel_buttons_keep_working_after_a_restart(
    emulator: DiscordEmulator, start_bot, guild: Guild, admin: User, member: User
) -> None:
    first = await start_bot()
    await answer(emulator, "panel", admin, guild, {"channel": guild.channel("general")})
    [panel] = emulator.channel_messages(guild.channel("general"))
    await first.stop()

    await start_bot()  # same database, a new process as far as discord.py knows
    pressed = await (await emulator.press(panel, "Learn more", user=member)).reply()
    assert pressed.ephemeral and "Tarana Burke" in pressed.text()


async def test_panel_buttons_dispatch_to_the_features(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, admin: User, member: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def consent(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("stub consent", ephemeral=True)

    async def hotlines(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("stub hotlines", ephemeral=True)

    async def overview(interaction: discord.Interaction) -> None:
        raise RuntimeError("a feature failed")

    # Stand-ins for the features' public functions.
    for action, stand_in in (("metoo", consent), ("support", hotlines), ("learn", overview)):
        monkeypatch.setitem(OPENERS, action, (OPENERS[action][0], stand_in))
    await answer(emulator, "panel", admin, guild, {"channel": guild.channel("general")})
    [panel] = emulator.channel_messages(guild.channel("general"))
    for label, expected in (("Me too", "stub consent"), ("Find support", "stub hotlines"),
                            ("Learn more", common.ERROR_GENERIC)):
        pressed = await (await emulator.press(panel, label, user=member)).reply()
        assert pressed.ephemeral and pressed.content == expected


async def test_panel_refused_where_the_bot_cannot_post(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, admin: User
) -> None:
    general, announcements = guild.channel("general"), guild.channel("announcements")
    before = await snapshot(running)
    # In the channel the command is used in, the bot knows its permissions up front.
    general.bot_permissions = VIEW_CHANNEL
    reply = await answer(emulator, "panel", admin, guild, {"channel": general}, channel=general)
    assert "give me the Send Messages permission" in reply and "Nothing was changed" in reply
    # Elsewhere, Discord refuses the post (403): the admin is told what to grant.
    announcements.bot_permissions = 0
    reply = await answer(emulator, "panel", admin, guild, {"channel": announcements},
                         channel=general)
    assert "View Channel and Send Messages" in reply and "Nothing was changed" in reply
    assert emulator.calls_to("POST", rf"/channels/{announcements.id}/messages")[0].status == 403
    assert await snapshot(running) == before
    assert emulator.channel_messages(general) == emulator.channel_messages(announcements) == []


# ---------------------------------------------------------------- the configuration log
async def test_configuration_changes_are_logged_without_pinging(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, admin: User, member: User
) -> None:
    log_channel = guild.channel("announcements")
    reply = await answer(emulator, "log-channel", admin, guild, {"channel": log_channel})
    assert "will be announced in" in reply
    assert (await running.storage.communities.settings(guild.id)).log_channel_id == log_channel.id
    [hello] = emulator.channel_messages(log_channel)
    assert f"<@{admin.id}>" in hello.content and text.LOG_NOW_HERE in hello.content

    await answer(emulator, "threshold", admin, guild, {"value": 20})
    await answer(emulator, "acknowledgements", admin, guild, {"enabled": True})
    await answer(emulator, "country", admin, guild, {"code": "FR"})
    await answer(emulator, "resource-add", admin, guild,
                 {"name": "Night _Line_", "description": "Listening."})
    await answer(emulator, "resource-remove", admin, guild, {"name": "Night _Line_"})
    await answer(emulator, "panel", admin, guild, {"channel": guild.channel("general")})
    logged = [m.content for m in emulator.channel_messages(log_channel)][1:]
    assert logged[0] == (f"Configuration change by <@{admin.id}>: "
                         f"**{text.FIELD_THRESHOLD}**: 10 → 20")
    assert f"**{text.FIELD_ACK}**: Off → On" in logged[1]
    assert "none → France (FR)" in logged[2]
    assert "added the local resource **Night \\_Line\\_**" in logged[3]
    assert "removed the local resource" in logged[4]
    assert "posted the panel in <#" in logged[5]
    for message in emulator.channel_messages(log_channel):
        assert not message.ephemeral and message.allowed_mentions == {"parse": []}

    # A member's use of the bot is never logged.
    [panel] = emulator.channel_messages(guild.channel("general"))
    count = len(emulator.channel_messages(log_channel))
    await (await emulator.press(panel, "Me too", user=member)).reply()
    await (await emulator.press(panel, "Find support", user=member)).reply()
    assert len(emulator.channel_messages(log_channel)) == count

    # Turning it off is announced in the old channel.
    assert text.LOG_OFF in await answer(emulator, "log-channel", admin, guild)
    assert text.LOG_TURNED_OFF in emulator.channel_messages(log_channel)[-1].content
    assert (await running.storage.communities.settings(guild.id)).log_channel_id is None
    assert text.LOG_OFF_ALREADY in await answer(emulator, "log-channel", admin, guild)


async def test_a_log_channel_that_fails_never_breaks_the_command(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, admin: User
) -> None:
    log_channel = guild.channel("announcements")
    # A channel the bot cannot post in is refused, and nothing changes.
    log_channel.bot_permissions = VIEW_CHANNEL
    reply = await answer(emulator, "log-channel", admin, guild, {"channel": log_channel})
    assert "Send Messages" in reply and "Nothing was changed" in reply
    assert (await running.storage.communities.settings(guild.id)).log_channel_id is None

    # It worked when chosen, then lost its permission: the change is saved, with a note.
    log_channel.bot_permissions = ADMIN
    await answer(emulator, "log-channel", admin, guild, {"channel": log_channel})
    log_channel.bot_permissions = 0
    reply = await answer(emulator, "threshold", admin, guild, {"value": 25})
    assert reply.startswith("Done.") and "could not announce it" in reply
    assert "View Channel and Send Messages" in reply
    assert (await running.storage.communities.settings(guild.id)).threshold == 25

    # The channel was deleted.
    await running.storage.communities.update(guild.id, log_channel_id=4242424242424242)
    reply = await answer(emulator, "threshold", admin, guild, {"value": 30})
    assert reply.startswith("Done.") and "no longer exists" in reply
    assert (await running.storage.communities.settings(guild.id)).threshold == 30


# ---------------------------------------------------------------- reset
async def add_everything(local: LocalBot, guild_id: int, channel: Channel) -> None:
    communities = local.storage.communities
    await communities.update(guild_id, country="GB", threshold=20, acknowledgements_enabled=True,
                             log_channel_id=channel.id)
    from bot.storage import CommunityResource

    await communities.add_resource(
        CommunityResource(guild_id, "Help", "Help.", None, None, "2026-01-01"), 25)
    for i in range(3):
        await execute(local.storage, "INSERT INTO acknowledgements VALUES (?, ?, 1, '2026-01-01')",
                      guild_id, bytes([i]) * 32)
    await execute(local.storage, "INSERT INTO ack_tallies VALUES (?, 7)", guild_id)
    await execute(local.storage,
                  "INSERT INTO ack_snapshots (guild_id, day, total) VALUES (?, '2026-01-01', 10)",
                  guild_id)


async def test_reset_deletes_this_community_only_after_confirming(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, admin: User
) -> None:
    other = emulator.add_guild("Other community")
    await emulator.join_guild(other)
    await add_everything(running, guild.id, guild.channel("announcements"))
    await add_everything(running, other.id, other.channel("announcements"))
    await answer(emulator, "panel", admin, guild, {"channel": guild.channel("general")})
    [panel] = emulator.channel_messages(guild.channel("general"))
    before = await snapshot(running)

    ix = await config(emulator, "reset", admin, guild)
    prompt = await ix.reply()
    assert prompt.ephemeral and "1 local resource" in prompt.text()
    cancel = await emulator.press(prompt, "Cancel", user=admin, permissions=ADMIN)
    assert (await cancel.wait(lambda i: text.RESET_CANCELLED in prompt.content))
    assert prompt.buttons() == []
    assert await snapshot(running) == before

    prompt = await (await config(emulator, "reset", admin, guild)).reply()
    confirm = next(b for b in prompt.buttons() if "Delete" in b["label"])
    assert confirm["style"] == 4  # danger
    pressed = await emulator.press(prompt, "Delete", user=admin, permissions=ADMIN)
    await pressed.wait(lambda i: text.RESET_DONE.split(".")[0] in prompt.content)
    assert pressed.response_type == 7  # one answer once deleted: the prompt replaced
    assert prompt.buttons() == []
    after = await snapshot(running)
    for table in COMMUNITY_TABLES:
        assert [r for r in after[table] if r[0] == guild.id] == [], table
        assert [r for r in after[table] if r[0] == other.id] == \
            [r for r in before[table] if r[0] == other.id], table
    assert panel.deleted
    # The reset itself is announced in the (former) log channel, naming no member's data.
    last = emulator.channel_messages(guild.channel("announcements"))[-1].content
    assert text.LOG_RESET in last
    assert "acknowledg" not in last.lower()


async def test_reset_confirm_checks_permission_in_code(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, admin: User
) -> None:
    await add_everything(running, guild.id, guild.channel("announcements"))
    before = await snapshot(running)
    prompt = await (await config(emulator, "reset", admin, guild)).reply()
    # The admin lost Manage Server before pressing.
    refused = await (await emulator.press(prompt, "Delete", user=admin)).reply()
    assert refused.ephemeral and refused.content == common.ERROR_NO_PERMISSION
    # Another admin cannot press someone else's confirm.
    other_admin = emulator.add_user("other-admin")
    refused = await (await emulator.press(prompt, "Delete", user=other_admin,
                                          permissions=ADMIN)).reply()
    assert refused.content == text.RESET_NOT_YOURS
    assert await snapshot(running) == before


# ---------------------------------------------------------------- a member without Manage Server
MEMBER_ATTEMPTS: list[tuple[str, dict[str, Any]]] = [
    ("show", {}),
    ("country", {"code": "DE"}),
    ("acknowledgements", {"enabled": True}),
    ("threshold", {"value": 50}),
    ("panel", {"channel": "general"}),
    ("resource-add", {"name": "Mine", "description": "Not allowed."}),
    ("resource-remove", {"name": "Help"}),
    ("log-channel", {"channel": "general"}),
    ("log-channel", {}),
    ("reset", {}),
]


@pytest.mark.parametrize("command, options", MEMBER_ATTEMPTS,
                         ids=[f"{c}-{i}" for i, (c, _) in enumerate(MEMBER_ATTEMPTS)])
async def test_a_member_without_manage_server_changes_nothing(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User,
    command: str, options: dict[str, Any],
) -> None:
    await add_everything(running, guild.id, guild.channel("announcements"))
    before = await snapshot(running)
    options = {k: guild.channel(v) if k == "channel" else v for k, v in options.items()}
    reply = await answer(emulator, command, member, guild, options, admin=False)
    assert reply == common.ERROR_NO_PERMISSION
    assert await snapshot(running) == before
    for channel in guild.channels:
        assert emulator.channel_messages(channel) == []


async def test_member_autocomplete_reveals_nothing(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    await add_everything(running, guild.id, guild.channel("announcements"))
    ix = await emulator.autocomplete("config resource-remove", "name", "", user=member,
                                     guild=guild)
    assert await ix.autocomplete() == []


async def test_config_in_a_direct_message_is_refused(
    emulator: DiscordEmulator, running: LocalBot, member: User
) -> None:
    definition = next(c for c in emulator.commands_for(None) if c["name"] == "config")
    definition["contexts"] = None  # as an old client would still offer it in a DM
    reply = await (await emulator.slash("config threshold", user=member, guild=None,
                                        options={"value": 9}, permissions=ADMIN)).reply()
    assert reply.ephemeral and reply.content == common.ERROR_GUILD_ONLY


async def test_turning_the_count_on_says_when_the_operator_has_not_set_it_up(
    emulator: DiscordEmulator, start_bot, guild: Guild, admin: User
) -> None:
    local = await start_bot(env={"ACK_SECRET": None})
    reply = await answer(emulator, "acknowledgements", admin, guild, {"enabled": True})
    assert "ACK_SECRET" in reply and "saved" in reply
    assert (await local.storage.communities.settings(guild.id)).acknowledgements_enabled


async def test_stored_text_is_neutralised_on_display(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, admin: User
) -> None:
    """Whatever is in the database (rows written before a rule existed, or by
    another path), /config show and its replies render it inert."""
    from bot.storage import CommunityResource

    hostile = "@everyone <@&123456789012345678> **bold** [x](https://evil.example)"
    await running.storage.communities.add_resource(
        CommunityResource(guild.id, hostile, "d", None, None, "2026-01-01"), 25)
    shown = await answer(emulator, "show", admin, guild)
    assert "@everyone" not in shown and "<@&" not in shown
    assert "\\*\\*bold\\*\\*" in shown and "\\[x\\]" in shown
    removed = await answer(emulator, "resource-remove", admin, guild, {"name": hostile})
    assert "Removed" in removed and "@everyone" not in removed


async def test_reset_confirm_survives_a_restart_and_expires(
    emulator: DiscordEmulator, start_bot, guild: Guild, admin: User
) -> None:
    from datetime import timedelta

    first = await start_bot()
    await add_everything(first, guild.id, guild.channel("announcements"))
    prompt = await (await config(emulator, "reset", admin, guild)).reply()
    stale = await (await config(emulator, "reset", admin, guild)).reply()
    await first.stop()

    local = await start_bot()  # the same database, a new process
    before = await snapshot(local)
    real_clock = local.bot.clock
    local.bot.clock = lambda: real_clock() + timedelta(minutes=11)
    pressed = await emulator.press(stale, "Delete", user=admin, permissions=ADMIN)
    await pressed.wait(lambda i: text.RESET_EXPIRED in stale.content)
    assert stale.buttons() == [] and await snapshot(local) == before

    local.bot.clock = real_clock
    pressed = await emulator.press(prompt, "Delete", user=admin, permissions=ADMIN)
    await pressed.wait(lambda i: text.RESET_DONE.split(".")[0] in prompt.content)
    assert all(not [r for r in rows if r[0] == guild.id] for rows in
               (await snapshot(local)).values())


# ---------------------------------------------------------------- issue 11, points 8-10
async def test_misleading_links_blank_names_and_costly_numbers_are_refused(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, admin: User
) -> None:
    """Each refusal is private, says what to fix, and changes nothing."""
    await running.storage.communities.update(guild.id, country="GB")
    before = await snapshot(running)
    refused = {
        "parentheses": ({"url": "https://en.wikipedia.org/wiki/Me_Too_(movement)"},
                        "brackets, parentheses"),
        "a second link": ({"url": "https://uni.example/a)[Official_help](https://evil.example"},
                          "brackets, parentheses"),
        "a second address": ({"url": "https://uni.example/?to=https://evil.example"},
                             "second web address"),
        "spaces": ({"url": "https://uni.example/a b"}, "no spaces"),
        "Hangul fillers": ({"name": "\u3164\u3164"}, "The name has no visible letters"),
        "braille blank": ({"description": "\u2800 \u2800"},
                          "The description has no visible letters"),
        "combining marks alone": ({"name": "\u0301\u0302"}, "no visible letters"),
        "premium rate": ({"phone": "09065 123456"}, "premium-rate"),
        "personal number": ({"phone": "070 1234 5678"}, "personal forwarding number"),
        "pager": ({"phone": "076 0012 3456"}, "pager number"),
        "Arabic-Indic digits": ({"phone": "٠٢٠ ٧٩٤٦ ٠٩٥٨"}, "digits 0 to 9"),
        "full-width digits": ({"phone": "０２０ ７９４６ ０９５８"}, "digits 0 to 9"),
    }
    for label, (changes, expected) in refused.items():
        options = {"name": "Night Line", "description": "Listening, every night.", **changes}
        reply = await answer(emulator, "resource-add", admin, guild, options)
        assert expected in reply, label
        assert "Nothing was saved" in reply, label
        assert "evil.example" not in reply, label
    assert await snapshot(running) == before


async def test_a_resource_link_is_shown_as_its_domain(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, admin: User, member: User
) -> None:
    from bot.storage import CommunityResource

    added = await answer(emulator, "resource-add", admin, guild, {
        "name": "Campus Help", "description": "Free counselling.",
        "url": "https://www.uni.example/help?lang=en"})
    assert "Added **Campus Help**" in added
    # A row stored before the link rules, which they would refuse today.
    await running.storage.communities.add_resource(CommunityResource(
        guild.id, "Old Line", "Stored long ago.",
        "https://old.example/x)[Official help](https://evil.example", None, "2026-01-01"), 25)
    link = "[uni.example](https://www.uni.example/help?lang=en)"
    shown = await answer(emulator, "show", admin, guild)
    assert f"**Campus Help** · {link}" in shown
    assert f"**Old Line** · {text.RESOURCE_LINK_HIDDEN}" in shown
    listed = await (await emulator.slash("resources", user=member, guild=guild)).reply()
    assert listed.ephemeral
    assert link in listed.text()
    for reply in (shown, listed.text()):
        assert "evil.example" not in reply and "Official help" not in reply
        assert "old.example" not in reply


# ---------------------------------------------------------------- issue 11, point 12
async def test_a_forged_reset_owner_or_time_is_refused_and_changes_nothing(
    emulator: DiscordEmulator, start_bot, guild: Guild, admin: User
) -> None:
    """Who asked and when are in the reset buttons' custom ids, covered by a tag
    bound to the community: rewriting either is refused kindly."""
    from datetime import timedelta

    from bot.kit.custom_ids import ResetId

    local = await start_bot()
    await add_everything(local, guild.id, guild.channel("announcements"))
    before = await snapshot(local)
    prompt = await (await config(emulator, "reset", admin, guild)).reply()
    delete = next(b for b in prompt.buttons() if "Delete" in b["label"])
    cancel = next(b for b in prompt.buttons() if "Cancel" in b["label"])
    genuine = delete["custom_id"]
    assert len(genuine) <= 100
    parts = genuine.split(":")
    assert parts[:5] == ["config", "reset", "delete", str(admin.id), parts[4]]

    real_clock = local.bot.clock
    later = real_clock() + timedelta(minutes=11)  # the confirm has expired by then
    other_admin = emulator.add_user("other-admin")
    forgeries = [
        # (minutes on the clock, presser, forged id)
        (0, other_admin, ":".join([*parts[:3], str(other_admin.id), *parts[4:]])),
        (11, admin, ":".join([*parts[:4], str(int(later.timestamp())), *parts[5:]])),
        (0, admin, ":".join(parts[:5])),  # no tag at all
        (0, admin, cancel["custom_id"].replace(":cancel:", ":delete:")),
    ]
    for minutes, presser, forged in forgeries:
        local.bot.clock = lambda minutes=minutes: real_clock() + timedelta(minutes=minutes)
        delete["custom_id"] = forged
        refused = await (await emulator.press(
            prompt, custom_id=forged, user=presser, permissions=ADMIN)).reply()
        assert refused.ephemeral and refused.content == common.BUTTON_INACTIVE, forged
        assert text.RESET_PROMPT.split("\n")[0] in prompt.content
        assert await snapshot(local) == before

    # The genuine button still works for the admin who asked, in time.
    local.bot.clock = real_clock
    delete["custom_id"] = genuine
    pressed = await emulator.press(prompt, "Delete", user=admin, permissions=ADMIN)
    await pressed.wait(lambda i: text.RESET_DONE.split(".")[0] in prompt.content)
    assert all(not [r for r in rows if r[0] == guild.id]
               for rows in (await snapshot(local)).values())
    # A widest id fits Discord's 100 characters.
    widest = ResetId(True, 2**64 - 1, 10**12 - 1).encode(local.bot.tag_key, 2**64 - 1)
    assert len(widest) <= 100


# ---------------------------------------------------------------- languages (issue 12, point 5)
async def test_answers_follow_the_admin_and_posts_the_community_language(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, admin: User, member: User
) -> None:
    """Every text goes through the translator: a private answer in the admin's
    language, the panel and the log in the community's, counts in plural forms."""
    from bot.i18n.translator import Translator

    running.bot.translator = Translator({
        "de": {text.THRESHOLD_SET: "Erledigt: {value}.", text.LOG_SET: "Log in {channel}.",
               text.RESET_RESOURCES_ONE: "die {count} Ressource",
               text.RESET_PROMPT: "Alles löschen? {resources}",
               text.RESET_CONFIRM: "Alles löschen", text.RESET_CANCEL: "Abbrechen",
               text.SHOW_TITLE: "Einstellungen", text.FIELD_THRESHOLD: "Kleinste Zahl",
               text.PROBLEMS["threshold_range"]: "Von {low} bis {high}."},
        "fr": {text.LOG_PREFIX: "Modifié par {who} : ",
               text.LOG_CHANGE: "{setting} : {old} → {new}", text.FIELD_THRESHOLD: "Seuil",
               text.LOG_NOW_HERE: "ici désormais",
               text.PANEL_TEXT: "Le panneau", text.PANEL_LEARN: "En savoir plus",
               text.FALLBACK_LEARN: "Utilisez /history overview."},
    })
    guild.preferred_locale = "fr"
    log_channel = guild.channel("announcements")

    async def as_admin(command: str, options: dict[str, Any] | None = None) -> str:
        reply = await (await emulator.slash(
            f"config {command}", user=admin, guild=guild, options=options or {},
            permissions=ADMIN, locale="de")).reply()
        assert reply.ephemeral
        return reply.text()

    assert await as_admin("log-channel", {"channel": log_channel}) == f"Log in <#{log_channel.id}>."
    assert await as_admin("threshold", {"value": 20}) == "Erledigt: 20."
    assert await as_admin("threshold", {"value": 4}) == "Von 5 bis 10000."
    logged = [m.content for m in emulator.channel_messages(log_channel)]
    assert logged == [f"Modifié par <@{admin.id}> : ici désormais",
                      f"Modifié par <@{admin.id}> : Seuil : 10 → 20"]
    shown = await as_admin("show")
    assert "Einstellungen" in shown and "Kleinste Zahl\n20" in shown

    await add_everything(running, guild.id, log_channel)
    prompt = await (await emulator.slash("config reset", user=admin, guild=guild,
                                         permissions=ADMIN, locale="de")).reply()
    assert prompt.content == "Alles löschen? die 1 Ressource"
    assert [b["label"] for b in prompt.buttons()] == ["Alles löschen", "Abbrechen"]

    await as_admin("panel", {"channel": guild.channel("general")})
    [panel] = emulator.channel_messages(guild.channel("general"))
    assert panel.content == "Le panneau"
    assert [b["label"] for b in panel.buttons()] == ["Me too", "Find support", "En savoir plus"]
    await running.bot.unload_extension(OPENERS["learn"][0])
    pressed = await (await emulator.press(panel, "En savoir plus", user=member,
                                          locale="fr")).reply()
    assert pressed.ephemeral and pressed.content == "Utilisez /history overview."
