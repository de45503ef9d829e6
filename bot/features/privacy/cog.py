"""/privacy info, mydata and delete (SPEC section 4, rules 5 and the /privacy note).

The person's records are found by recomputing their member key for each
community that holds any acknowledgement; nothing maps a user to a key.
"""

from __future__ import annotations

import io
import json
import re
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.core import acknowledgements as rules
from bot.i18n.translator import ENGLISH
from bot.kit.cog import FeatureCog, bot_of
from bot.kit.custom_ids import DeleteId
from bot.kit.respond import answers_failures, detached_view, send
from bot.storage import AckRecord
from bot.text import privacy as text

if TYPE_CHECKING:
    from bot.app import MetooBot


class DeleteButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=DeleteId.TEMPLATE
):
    """The confirm and cancel buttons of /privacy delete; they act on whoever pressed."""

    def __init__(self, delete: DeleteId) -> None:
        super().__init__(discord.ui.Button(
            label=text.DELETE_LABEL if delete.confirm else text.DELETE_CANCEL_LABEL,
            style=discord.ButtonStyle.danger if delete.confirm
            else discord.ButtonStyle.secondary,
            custom_id=delete.encode(),
        ))
        self.delete_id = delete

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
        match: re.Match[str], /,
    ) -> DeleteButton:
        return cls(DeleteId.from_match(match))

    @answers_failures
    async def callback(self, interaction: discord.Interaction) -> None:
        cog = bot_of(interaction).get_cog("Privacy")
        if not isinstance(cog, Privacy):
            raise RuntimeError("the Privacy feature is not loaded")
        await cog.on_delete(interaction, self.delete_id.confirm)


def export_document(
    records: list[AckRecord], names: dict[int, str], today: str
) -> dict[str, Any]:
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


class Privacy(FeatureCog):
    privacy = app_commands.Group(
        name="privacy", description="What this bot stores about you, a copy of it, and deleting it."
    )

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(DeleteButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(DeleteButton)

    async def _my_keys(self, user_id: int) -> dict[int, bytes]:
        """This person's key in every community that holds any acknowledgement."""
        assert self.settings.ack_secret is not None  # each command checks it first
        secret = self.settings.ack_secret.reveal()
        return {
            guild_id: rules.member_key(secret, guild_id, user_id)
            for guild_id in await self.storage.acks.communities_with_rows()
        }

    @privacy.command(name="info", description="What is stored, what never is, and how to "
                                              "delete it.")
    async def info(self, interaction: discord.Interaction) -> None:
        settings = self.settings
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
        if self.settings.ack_secret is None:
            await send(interaction, content=text.NOT_CONFIGURED)
            return
        records = await self.storage.acks.records(await self._my_keys(interaction.user.id))
        names = {r.guild_id: g.name for r in records if (g := self.bot.get_guild(r.guild_id))}
        today = rules.day_text(self.today())
        document = json.dumps(export_document(records, names, today), indent=2)
        file = discord.File(io.BytesIO(document.encode()), filename=text.MYDATA_FILE)
        records_text = ENGLISH.plural(text.MYDATA_RECORDS_ONE, text.MYDATA_RECORDS_OTHER,
                                      len(records))
        content = text.MYDATA_SOME.format(records=records_text) if records else text.MYDATA_NONE
        await send(interaction, content=content, file=file)

    @privacy.command(name="delete", description="Delete everything the bot holds about you, "
                                                "in every server (you confirm first).")
    async def delete(self, interaction: discord.Interaction) -> None:
        # Only asks; the confirm press is the write, and the one throttled.
        if self.settings.ack_secret is None:
            await send(interaction, content=text.NOT_CONFIGURED)
            return
        view = detached_view(DeleteButton(DeleteId(True)), DeleteButton(DeleteId(False)))
        await send(interaction, content=text.DELETE_PROMPT, view=view)

    async def on_delete(self, interaction: discord.Interaction, confirm: bool) -> None:
        if not confirm:  # cancelling writes nothing: never throttled
            await send(interaction, content=text.DELETE_CANCELLED)
            return
        if await self.throttled(interaction):
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        if self.settings.ack_secret is None:
            await send(interaction, content=text.NOT_CONFIGURED)
            return
        deleted = await self.storage.acks.erase(await self._my_keys(interaction.user.id))
        shown = ENGLISH.plural(text.DELETED_ONE, text.DELETED_OTHER, deleted)
        await send(interaction, content=text.DELETED.format(records=shown) if deleted
                   else text.DELETED_NOTHING)


async def setup(bot: MetooBot) -> None:
    await bot.add_cog(Privacy(bot))
