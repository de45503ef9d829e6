"""Checks enforced in code. Discord's `default_member_permissions` and guild-only
contexts are hints that server owners (and old clients) can bypass; these are
the checks that count. Failures reach the tree's error handler, which answers
kindly and privately."""

from __future__ import annotations

import discord
from discord import app_commands


def in_guild(interaction: discord.Interaction) -> bool:
    if interaction.guild_id is None:
        raise app_commands.NoPrivateMessage()
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
