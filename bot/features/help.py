"""/help: what the bot does and its commands."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.text import help as text
from bot.ui.respond import send


def command_lines(tree: app_commands.CommandTree, guild: discord.abc.Snowflake | None) -> list[str]:
    """One line per leaf command, from the registered tree, so /help never drifts
    from what is really there."""
    lines: list[str] = []
    commands_ = tree.get_commands(guild=guild) if guild else []
    commands_ = commands_ or tree.get_commands()

    def walk(item: app_commands.Command | app_commands.Group) -> None:
        if isinstance(item, app_commands.Group):
            for child in item.commands:
                walk(child)
        else:
            lines.append(f"`/{item.qualified_name}`: {item.description}")

    for item in sorted(commands_, key=lambda c: c.name):
        if isinstance(item, app_commands.Command | app_commands.Group):
            walk(item)
    return lines


class Help(commands.Cog):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @app_commands.command(name="help", description="What this bot does and its commands.")
    async def help(self, interaction: discord.Interaction) -> None:
        settings = self.bot.settings  # type: ignore[attr-defined]
        guild = discord.Object(settings.dev_guild_id) if settings.dev_guild_id else None
        lines = "\n".join(command_lines(self.bot.tree, guild))
        description = f"{text.INTRO}\n\n**{text.COMMANDS_HEADING}**\n{lines}"
        embed = discord.Embed(title=text.TITLE, description=description[:4096])
        embed.add_field(name=text.PRIVACY_HEADING, value=text.PRIVACY, inline=False)
        contact = settings.operator_contact
        if contact:
            embed.add_field(
                name=text.CONTACT_HEADING,
                value=text.CONTACT.format(contact=discord.utils.escape_mentions(contact)),
                inline=False,
            )
        embed.set_footer(text=text.SUPPORT_FOOTER)
        await send(interaction, embed=embed)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Help(bot))
