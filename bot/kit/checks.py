"""Where commands work, and the checks enforced in code.

Discord's `default_member_permissions`, contexts and installation types are
hints that server owners (and old clients) can bypass; the checks here are the
ones that count. Failures reach the tree's error handler, which answers kindly
and privately.

Two kinds of command (`everywhere`, `with_the_bot`): the reading commands work
in both installs (to a server, to a person's account) and in every context (a
server, the bot's DMs, group DMs); those that keep or show a community's data
need the bot in the server.
"""

from __future__ import annotations

from typing import Any, TypeVar

import discord
from discord import app_commands

Command = TypeVar("Command")


def everywhere(command: Command) -> Command:
    """Both installs (Discord's integration_types 0 and 1) and every context
    (0 a server, 1 the bot's DMs, 2 group DMs and other people's DMs)."""
    command = app_commands.allowed_contexts(guilds=True, dms=True, private_channels=True)(command)
    return app_commands.allowed_installs(guilds=True, users=True)(command)


def with_the_bot(command: Command) -> Command:
    """Only a server that has added the bot: the guild install, the server context."""
    command = app_commands.allowed_contexts(guilds=True, dms=False,
                                            private_channels=False)(command)
    return app_commands.allowed_installs(guilds=True, users=False)(command)


def works_without_the_bot(command: app_commands.Command[Any, ..., Any] | app_commands.Group
                          ) -> bool:
    """Whether `command` can be used outside a server that has added the bot
    (the bot's DMs, and with a user install group DMs and other servers)."""
    contexts = command.allowed_contexts
    return contexts is not None and (contexts.dm_channel or contexts.private_channel)


def fit_to_installs(tree: app_commands.CommandTree[discord.Client], user_installs: bool) -> None:
    """Before a sync: where the application does not support installs to a
    person's account (the Developer Portal's Installation Contexts), declare
    none. Discord accepts a command's integration_types only when the app
    supports them, and group DMs are reached only through a user install."""
    if user_installs:
        return
    for command in tree.get_commands():
        installs = getattr(command, "allowed_installs", None)
        if installs is None or not installs.user:
            continue
        # New objects: a cog's commands share these with the class's.
        command.allowed_installs = app_commands.AppInstallationType(guild=installs.guild,
                                                                    user=False)
        contexts = command.allowed_contexts
        if contexts is not None:
            command.allowed_contexts = app_commands.AppCommandContext(
                guild=contexts.guild, dm_channel=contexts.dm_channel, private_channel=False)


def bot_in_server(interaction: discord.Interaction) -> bool:
    """This interaction comes from a server that has added the bot (its guild
    install), not from a DM, a group DM or a server reached through a person's
    own install of the app. Only there can the bot post for everyone to see."""
    return interaction.is_guild_integration()


class BotNotInServer(app_commands.CheckFailure):
    """A command that needs the bot in the server, used in one without it."""


def in_guild(interaction: discord.Interaction) -> bool:
    if interaction.guild_id is None:
        raise app_commands.NoPrivateMessage()
    if not bot_in_server(interaction):
        raise BotNotInServer()
    return True


def can_manage_guild(interaction: discord.Interaction) -> bool:
    """The invoker has Manage Server in this community (computed by Discord for
    this interaction, owner and Administrator included)."""
    in_guild(interaction)
    if not interaction.permissions.manage_guild:
        raise app_commands.MissingPermissions(["manage_guild"])
    return True


guild_only = app_commands.check(in_guild)
manage_guild_only = app_commands.check(can_manage_guild)
