"""/privacy info, mydata and delete (SPEC section 4, rules 5 and the /privacy note).

The person's records are found by recomputing their member key for each
community that holds any acknowledgement; nothing maps a user to a key.
"""

from __future__ import annotations

import io
import json
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.core import acknowledgements as rules
from bot.features.metoo import Cooldowns
from bot.storage import AckRecord
from bot.text import metoo as metoo_text
from bot.text import privacy as text
from bot.text.common import plural
from bot.ui.respond import detached_view, report_failure, send


class DeleteButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"privacy:delete:(?P<choice>yes|no)",
):
    """The confirm and cancel buttons of /privacy delete; they act on whoever pressed."""

    def __init__(self, choice: str) -> None:
        confirm = choice == "yes"
        super().__init__(discord.ui.Button(
            label=text.DELETE_LABEL if confirm else text.DELETE_CANCEL_LABEL,
            style=discord.ButtonStyle.danger if confirm else discord.ButtonStyle.secondary,
            custom_id=f"privacy:delete:{choice}",
        ))
        self.choice = choice

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button[Any], match: Any, /
    ) -> DeleteButton:
        return cls(match["choice"])

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            cog = interaction.client.get_cog("Privacy")  # type: ignore[attr-defined]
            if cog is None:
                raise RuntimeError("the Privacy feature is not loaded")
            await cog.on_delete(interaction, self.choice == "yes")
        except Exception as exc:
            await report_failure(interaction, exc)


def export_document(records: list[AckRecord], names: dict[int, str], today: str) -> dict:
    return {
        "about": text.MYDATA_ABOUT,
        "generated_on": today,
        "acknowledgements": [
            {
                "community_id": str(record.guild_id),
                "community_name": names.get(record.guild_id),
                "member_key": record.member_key.hex(),
                "consent_version": record.consent_version,
                "day": record.day,
            }
            for record in records
        ],
    }


class Privacy(commands.Cog):
    privacy = app_commands.Group(
        name="privacy", description="What this bot stores about you, a copy of it, and deleting it."
    )

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot
        self.cooldowns = Cooldowns()

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(DeleteButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(DeleteButton)

    @property
    def _storage(self) -> Any:
        return self.bot.storage  # type: ignore[attr-defined]

    @property
    def _settings(self) -> Any:
        return self.bot.settings  # type: ignore[attr-defined]

    async def _throttled(self, interaction: discord.Interaction) -> bool:
        if self.cooldowns.allow(interaction.user.id):
            return False
        await send(interaction, content=metoo_text.COOLDOWN)
        return True

    async def _my_keys(self, user_id: int) -> dict[int, bytes]:
        """This person's key in every community that holds any acknowledgement."""
        secret = self._settings.ack_secret.reveal()
        return {
            guild_id: rules.member_key(secret, guild_id, user_id)
            for guild_id in await self._storage.acks.communities_with_rows()
        }

    @privacy.command(name="info", description="What is stored, what never is, and how to "
                                              "delete it.")
    async def info(self, interaction: discord.Interaction) -> None:
        settings = self._settings
        embed = discord.Embed(title=text.INFO_TITLE, description=text.INFO_INTRO)
        for name, value in text.INFO_FIELDS:
            embed.add_field(name=name, value=value.format(days=settings.ack_retention_days),
                            inline=False)
        if settings.ack_secret is None:
            embed.add_field(name="Right now", value=text.NOT_ENABLED_NOTE, inline=False)
        contact = settings.operator_contact
        embed.add_field(
            name=text.CONTACT_HEADING,
            value=(text.CONTACT.format(contact=discord.utils.escape_mentions(contact))
                   if contact else text.NO_CONTACT),
            inline=False,
        )
        await send(interaction, embed=embed)

    @privacy.command(name="mydata", description="A copy of everything the bot holds about "
                                                "you, as a file only you see.")
    async def mydata(self, interaction: discord.Interaction) -> None:
        # A read: no cooldown (nothing could change).
        await interaction.response.defer(ephemeral=True, thinking=True)
        if self._settings.ack_secret is None:
            await send(interaction, content=text.NOT_CONFIGURED)
            return
        records = await self._storage.acks.records(await self._my_keys(interaction.user.id))
        names = {r.guild_id: g.name for r in records if (g := self.bot.get_guild(r.guild_id))}
        today = rules.day_text(rules.utc_day(self.bot.clock()))  # type: ignore[attr-defined]
        document = json.dumps(export_document(records, names, today), indent=2)
        file = discord.File(io.BytesIO(document.encode()), filename=text.MYDATA_FILE)
        records_text = plural(len(records), text.MYDATA_RECORDS_ONE, text.MYDATA_RECORDS_OTHER)
        content = text.MYDATA_SOME.format(records=records_text) if records else text.MYDATA_NONE
        await send(interaction, content=content, file=file)

    @privacy.command(name="delete", description="Delete everything the bot holds about you, "
                                                "in every server (you confirm first).")
    async def delete(self, interaction: discord.Interaction) -> None:
        # Only asks; the confirm press is the write, and the one throttled.
        if self._settings.ack_secret is None:
            await send(interaction, content=text.NOT_CONFIGURED)
            return
        view = detached_view(DeleteButton("yes"), DeleteButton("no"))
        await send(interaction, content=text.DELETE_PROMPT, view=view)

    async def on_delete(self, interaction: discord.Interaction, confirm: bool) -> None:
        if not confirm:  # cancelling writes nothing: never throttled
            await send(interaction, content=text.DELETE_CANCELLED)
            return
        if await self._throttled(interaction):
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        if self._settings.ack_secret is None:
            await send(interaction, content=text.NOT_CONFIGURED)
            return
        deleted = await self._storage.acks.erase(await self._my_keys(interaction.user.id))
        shown = plural(deleted, text.DELETED_ONE, text.DELETED_OTHER)
        await send(interaction, content=text.DELETED.format(records=shown) if deleted
                   else text.DELETED_NOTHING)


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Privacy(bot))
