"""/help: what the bot does and its commands."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.core import hotlines
from bot.text import help as text
from bot.text import hotlines as hotline_text
from bot.ui.respond import send

# Member commands in the order a newcomer needs them: support first.
ORDER = ("hotline", "resources", "history", "metoo", "privacy", "help")
ADMIN_GROUP = "config"


def command_lines(
    tree: app_commands.CommandTree, guild: discord.abc.Snowflake | None
) -> tuple[list[str], list[str]]:
    """One line per leaf command, from the registered tree, so /help never drifts
    from what is really there: (member commands, /config commands)."""
    members: list[str] = []
    admins: list[str] = []
    commands_ = tree.get_commands(guild=guild) if guild else []
    commands_ = commands_ or tree.get_commands()

    def walk(item: app_commands.Command | app_commands.Group, into: list[str]) -> None:
        if isinstance(item, app_commands.Group):
            for child in item.commands:
                walk(child, into)
        else:
            into.append(f"`/{item.qualified_name}`: {item.description}")

    def rank(item: object) -> tuple[int, str]:
        name = getattr(item, "name", "")
        return (ORDER.index(name) if name in ORDER else len(ORDER), name)

    for item in sorted(commands_, key=rank):
        if isinstance(item, app_commands.Command | app_commands.Group):
            walk(item, admins if item.name == ADMIN_GROUP else members)
    return members, admins


def can_configure(interaction: discord.Interaction) -> bool:
    """/config works for this person here: a server that has added the bot, and
    the Manage Server permission (the same check /config makes in code)."""
    return interaction.is_guild_integration() and interaction.permissions.manage_guild


def emergency_line() -> str:
    general = hotline_text.DANGER_GENERAL.format(findahelpline=hotlines.FINDAHELPLINE_URL)
    return f"**{hotline_text.DANGER_HEADING}**\n{general} {text.SUPPORT_HOTLINE}"


class Help(commands.Cog):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @app_commands.command(name="help", description="What this bot does and its commands.")
    async def help(self, interaction: discord.Interaction) -> None:
        settings = self.bot.settings  # type: ignore[attr-defined]
        guild = discord.Object(settings.dev_guild_id) if settings.dev_guild_id else None
        members, admins = command_lines(self.bot.tree, guild)
        # Emergency help first (SPEC section 2), then what everyone can use,
        # then /config for those who can use it.
        parts = [emergency_line(), text.INTRO]
        parts.append(f"**{text.COMMANDS_HEADING}**\n" + "\n".join(members))
        if admins and can_configure(interaction):
            parts.append(f"**{text.ADMIN_HEADING}**\n" + "\n".join(admins))
        description = "\n\n".join(parts)
        embed = discord.Embed(title=text.TITLE, description=description[:4096])
        embed.add_field(name=text.PRIVACY_HEADING, value=text.PRIVACY, inline=False)
        contact = settings.operator_contact
        if contact:
            embed.add_field(
                name=text.CONTACT_HEADING,
                value=text.CONTACT.format(contact=discord.utils.escape_mentions(contact)),
                inline=False,
            )
        await send(interaction, embed=embed)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Help(bot))
