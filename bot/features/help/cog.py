"""/help: Discord in (the registered command tree), a Card out."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.features.help import text
from bot.features.help.render import help_card
from bot.features.hotlines import emergency_text
from bot.i18n.translator import Tr
from bot.kit.checks import bot_in_server, everywhere, works_without_the_bot
from bot.kit.cog import FeatureCog
from bot.kit.embeds import to_embed
from bot.kit.respond import send

if TYPE_CHECKING:
    from bot.app import MetooBot

# Member commands in the order a newcomer needs them: support first.
ORDER = ("hotline", "resources", "history", "metoo", "privacy", "help")
ADMIN_GROUP = "config"


def command_lines(
    tree: app_commands.CommandTree[discord.Client], guild: discord.abc.Snowflake | None,
    tr: Tr, *, without_the_bot: bool = False,
) -> tuple[list[str], list[str]]:
    """One line per leaf command, from the registered tree, so /help never drifts
    from what is really there: (member commands, /config commands). With
    `without_the_bot`, only the commands a person's own install can use."""
    members: list[str] = []
    admins: list[str] = []
    commands_ = tree.get_commands(guild=guild) if guild else []
    commands_ = commands_ or tree.get_commands()

    def walk(item: app_commands.Command[Any, ..., Any] | app_commands.Group,
             into: list[str]) -> None:
        if isinstance(item, app_commands.Group):
            for child in item.commands:
                walk(child, into)
        else:
            into.append(f"`/{item.qualified_name}`: {tr(item.description)}")

    def rank(item: object) -> tuple[int, str]:
        name = getattr(item, "name", "")
        return (ORDER.index(name) if name in ORDER else len(ORDER), name)

    for item in sorted(commands_, key=rank):
        if not isinstance(item, app_commands.Command | app_commands.Group):
            continue
        if without_the_bot and not works_without_the_bot(item):
            continue
        walk(item, admins if item.name == ADMIN_GROUP else members)
    return members, admins


def can_configure(interaction: discord.Interaction) -> bool:
    """/config works for this person here: a server that has added the bot, and
    the Manage Server permission (the same check /config makes in code)."""
    return interaction.is_guild_integration() and interaction.permissions.manage_guild


class Help(FeatureCog):
    @everywhere
    @app_commands.command(name="help", description=app_commands.locale_str(
        text.COMMAND_DESCRIPTION))
    async def help(self, interaction: discord.Interaction) -> None:
        tr = self.tr(interaction)
        settings = self.settings
        guild = discord.Object(settings.dev_guild_id) if settings.dev_guild_id else None
        without_the_bot = not bot_in_server(interaction)
        members, admins = command_lines(self.bot.tree, guild, tr,
                                        without_the_bot=without_the_bot)
        contact = settings.operator_contact
        card = help_card(
            tr,
            emergency=emergency_text(tr),
            members=members,
            admins=admins if can_configure(interaction) else [],
            contact=discord.utils.escape_mentions(contact) if contact else None,
            without_the_bot=without_the_bot,
        )
        await send(interaction, embed=to_embed(card))


async def setup(bot: MetooBot) -> None:
    await bot.add_cog(Help(bot))
