"""User installs and interaction contexts, as a real discord.py client sees them:
a DM with the bot, a group DM, a server that has not added the bot; and the
interactions Discord would refuse to deliver."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import discord
import pytest

from bot.emulator.model import (
    ADMIN_PERMISSIONS,
    BOT_DM_APP_PERMISSIONS,
    MEMBER_PERMISSIONS,
    PRIVATE_APP_PERMISSIONS,
    USER_INSTALL,
    USER_INSTALL_APP_PERMISSIONS,
)
from bot.emulator.server import DiscordEmulator, EmulatorError, Refused
from tests.emulator.probe import Probe, run, stop

Point = Callable[[DiscordEmulator], None]


@pytest.fixture
async def start_probe(
    emulator: DiscordEmulator, point_at: Point
) -> AsyncIterator[Callable[[], asyncio.Future[Probe]]]:
    """`await start_probe()`: a minimal discord.py client, ready, its commands synced."""
    running: list[tuple[Probe, asyncio.Task[None]]] = []

    async def start() -> Probe:
        point_at(emulator)
        probe = Probe()
        task = await run(probe, emulator)
        running.append((probe, task))
        await asyncio.wait_for(probe.wait_until_ready(), 15)
        return probe

    yield start  # type: ignore[misc]
    for probe, task in running:
        await stop(probe, task)


async def answered(ix_coro: object) -> None:
    ix = await ix_coro  # type: ignore[misc]
    assert "answered" in (await ix.reply()).text()


async def test_a_user_install_answers_in_a_dm_a_group_dm_and_a_server_without_the_bot(
    emulator: DiscordEmulator, start_probe: Callable[[], asyncio.Future[Probe]]
) -> None:
    emulator.installation_contexts.add(USER_INSTALL)
    sam, kim = emulator.add_user("sam"), emulator.add_user("kim")
    home = emulator.add_guild("Has the bot")
    elsewhere = emulator.add_guild("Never added the bot", bot_installed=False)
    group = emulator.add_group_dm(sam, kim, name="friends")
    probe = await start_probe()
    emulator.install_for_user(sam)
    assert probe.get_guild(home.id) is not None
    assert probe.get_guild(elsewhere.id) is None  # never sent over the gateway

    in_dm = await emulator.slash("everywhere", user=sam, guild=None)
    in_group = await emulator.slash("everywhere", user=sam, guild=None, channel=group)
    away = await emulator.slash("everywhere", user=sam, guild=elsewhere,
                                permissions=ADMIN_PERMISSIONS)
    at_home = await emulator.slash("everywhere", user=sam, guild=home)
    for ix in (in_dm, in_group, away, at_home):
        assert "answered" in (await ix.reply()).text()
    dm, gdm, foreign, own = probe.seen

    assert in_dm.owners == {"0": "0", "1": str(sam.id)}  # Discord's "0" for the bot's DM
    assert dm.context.dm_channel and dm.guild_id is None
    assert isinstance(dm.user, discord.User) and dm.user.id == sam.id
    assert dm.channel is not None and dm.channel.type is discord.ChannelType.private
    assert dm.channel.id == emulator.open_dm(sam).id
    assert dm.is_user_integration()
    assert dm.app_permissions.value == BOT_DM_APP_PERMISSIONS

    assert in_group.owners == {"1": str(sam.id)}
    assert gdm.context.private_channel and gdm.guild_id is None
    assert gdm.channel is not None and gdm.channel.type is discord.ChannelType.group
    assert gdm.channel.id == group.id
    assert gdm.is_user_integration() and not gdm.is_guild_integration()
    assert gdm.app_permissions.value == PRIVATE_APP_PERMISSIONS

    assert away.owners == {"1": str(sam.id)}
    assert foreign.context.guild and foreign.guild_id == elsewhere.id
    assert probe.get_guild(elsewhere.id) is None  # still not in the client's cache
    assert isinstance(foreign.user, discord.Member)
    assert foreign.permissions.value == ADMIN_PERMISSIONS  # the person's, not the app's
    assert foreign.app_permissions.value == MEMBER_PERMISSIONS & USER_INSTALL_APP_PERMISSIONS
    assert foreign.is_user_integration() and not foreign.is_guild_integration()

    assert at_home.owners == {"0": str(home.id), "1": str(sam.id)}
    assert own.is_guild_integration() and own.is_user_integration()
    assert own.app_permissions.value == home.channel().bot_permissions


async def test_commands_are_refused_where_their_contexts_or_installs_do_not_allow(
    emulator: DiscordEmulator, start_probe: Callable[[], asyncio.Future[Probe]]
) -> None:
    emulator.installation_contexts.add(USER_INSTALL)
    sam, kim = emulator.add_user("sam"), emulator.add_user("kim")
    home = emulator.add_guild("Has the bot")
    elsewhere = emulator.add_guild("Never added the bot", bot_installed=False)
    group = emulator.add_group_dm(sam, kim)
    probe = await start_probe()
    emulator.install_for_user(sam)  # kim has not installed the app

    attempts = [
        ("server-only", sam, None, None),  # contexts [0]: not in a DM
        ("guild-install", sam, elsewhere, None),  # no guild install there
        ("guild-install", sam, None, group),  # a guild install never reaches a group DM
        ("everywhere", kim, elsewhere, None),  # kim has no user install
        ("user-install", kim, home, None),  # user installs only, and kim has none
    ]
    for command, user, guild, channel in attempts:
        with pytest.raises(Refused):
            await emulator.slash(command, user=user, guild=guild, channel=channel)
    assert [(r.command, r.user_id, r.reason) for r in emulator.refusals] == [
        ("server-only", sam.id, "context"),
        ("guild-install", sam.id, "install"),
        ("guild-install", sam.id, "install"),
        ("everywhere", kim.id, "install"),
        ("user-install", kim.id, "install"),
    ]
    assert [r.context for r in emulator.refusals] == [1, 0, 2, 0, 0]

    # A user-install-only command in a server that has the bot: only the user's install.
    ix = await emulator.slash("user-install", user=sam, guild=home)
    await ix.reply()
    assert ix.owners == {"1": str(sam.id)}
    assert len(probe.seen) == 1  # nothing refused reached the client
    assert not probe.seen[0].is_guild_integration()


async def test_commands_take_the_apps_installation_contexts_when_made(
    emulator: DiscordEmulator, start_probe: Callable[[], asyncio.Future[Probe]]
) -> None:
    sam = emulator.add_user("sam")
    elsewhere = emulator.add_guild("Never added the bot", bot_installed=False)
    probe = await start_probe()  # the app supports guild installs only: Discord's default
    # The application says which installation contexts it supports, with their
    # default install settings (integration_types_config).
    assert probe.application is not None
    guild_config = probe.application.guild_integration_config
    assert guild_config is not None and guild_config.oauth2_install_params is not None
    assert guild_config.oauth2_install_params.scopes == ["applications.commands", "bot"]
    assert probe.application.user_integration_config is None
    stored = {c["name"]: c for c in emulator.commands_for(None)}
    assert stored["everywhere"]["integration_types"] == [0, 1]  # as the client sent them
    assert stored["everywhere"]["contexts"] == [0, 1, 2]
    assert stored["server-only"]["contexts"] == [0]
    assert stored["defaults"]["integration_types"] == [0]  # the app's, at creation
    with pytest.raises(EmulatorError, match="user installs"):
        emulator.install_for_user(sam)
    emulator.installation_contexts.add(USER_INSTALL)  # enabled later in the portal
    emulator.install_for_user(sam)
    with pytest.raises(Refused):  # the command was made when only guilds could install
        await emulator.slash("defaults", user=sam, guild=elsewhere)
    await answered(emulator.slash("everywhere", user=sam, guild=elsewhere))


async def test_a_button_keeps_the_installation_of_the_command_that_made_it(
    emulator: DiscordEmulator, start_probe: Callable[[], asyncio.Future[Probe]]
) -> None:
    emulator.installation_contexts.add(USER_INSTALL)
    sam, kim = emulator.add_user("sam"), emulator.add_user("kim")
    group = emulator.add_group_dm(sam, kim)
    probe = await start_probe()
    emulator.install_for_user(sam)
    reply = await (await emulator.slash("everywhere", user=sam, guild=None,
                                        channel=group)).reply()
    pressed = await emulator.press(reply, "Again", user=kim)
    assert "pressed" in (await pressed.reply()).text()
    assert pressed.owners == {"1": str(sam.id)} and pressed.context == 2
    press = probe.seen[-1]
    assert press.user.id == kim.id and not press.is_user_integration()  # kim did not install


async def test_the_bot_reaches_only_channels_it_is_in(
    emulator: DiscordEmulator, start_probe: Callable[[], asyncio.Future[Probe]]
) -> None:
    sam, kim = emulator.add_user("sam"), emulator.add_user("kim")
    home = emulator.add_guild("Has the bot")
    elsewhere = emulator.add_guild("Never added the bot", bot_installed=False)
    group = emulator.add_group_dm(sam, kim)
    probe = await start_probe()
    assert (await probe.fetch_channel(home.channel().id)).id == home.channel().id
    for channel in (elsewhere.channel(), group):
        with pytest.raises(discord.Forbidden):
            await probe.fetch_channel(channel.id)
        with pytest.raises(discord.Forbidden):
            await probe.get_partial_messageable(channel.id).send(
                "hello", allowed_mentions=discord.AllowedMentions.none())
    dm = emulator.open_dm(sam)
    assert (await probe.fetch_channel(dm.id)).type is discord.ChannelType.private
    await probe.get_partial_messageable(dm.id).send(
        "hello", allowed_mentions=discord.AllowedMentions.none())
    assert [m.content for m in emulator.channel_messages(emulator.open_dm(sam))] == ["hello"]
