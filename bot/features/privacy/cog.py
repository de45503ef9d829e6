"""/privacy info, mydata and delete: Discord in and out.

The person's records are found by recomputing their member key for each
community that holds any acknowledgement; nothing maps a user to a key.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.features.metoo import day_text, member_key
from bot.features.privacy import text
from bot.features.privacy.export import FILE_NAME, export_file
from bot.features.privacy.render import deleted_message, info_card, mydata_message
from bot.i18n.translator import Tr
from bot.kit.checks import everywhere
from bot.kit.cog import FeatureCog, bot_of
from bot.kit.custom_ids import DeleteId
from bot.kit.embeds import to_embed
from bot.kit.respond import answer, answers_failures, detached_view, in_time, reader, send

if TYPE_CHECKING:
    from bot.app import MetooBot


class DeleteButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=DeleteId.TEMPLATE
):
    """The confirm and cancel buttons of /privacy delete; they act on whoever pressed."""

    def __init__(self, delete: DeleteId, tr: Tr) -> None:
        super().__init__(discord.ui.Button(
            label=tr(text.DELETE_LABEL if delete.confirm else text.DELETE_CANCEL_LABEL),
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
        return cls(DeleteId.from_match(match), reader(interaction))

    @answers_failures
    async def callback(self, interaction: discord.Interaction) -> None:
        cog = bot_of(interaction).get_cog(Privacy.__cog_name__)
        if not isinstance(cog, Privacy):
            raise RuntimeError("the Privacy feature is not loaded")
        await cog.on_delete(interaction, self.delete_id.confirm)


class Privacy(FeatureCog):
    # Everywhere: a person can see and delete their records from any DM, and
    # from a server that has not added the bot.
    privacy = everywhere(app_commands.Group(
        name="privacy", description=app_commands.locale_str(text.GROUP_DESCRIPTION)
    ))

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(DeleteButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(DeleteButton)

    async def _my_keys(self, user_id: int) -> dict[int, bytes]:
        """This person's key in every community that holds any acknowledgement."""
        assert self.settings.ack_secret is not None  # each command checks it first
        secret = self.settings.ack_secret.reveal()
        return {
            guild_id: member_key(secret, guild_id, user_id)
            for guild_id in await self.storage.acks.communities_with_rows()
        }

    @privacy.command(name="info", description=app_commands.locale_str(text.INFO_DESCRIPTION))
    async def info(self, interaction: discord.Interaction) -> None:
        contact = self.settings.operator_contact
        card = info_card(
            self.tr(interaction),
            retention_days=self.settings.ack_retention_days,
            enabled=self.settings.ack_secret is not None,
            contact=discord.utils.escape_mentions(contact) if contact else None,
        )
        await send(interaction, embed=to_embed(card))

    @privacy.command(name="mydata", description=app_commands.locale_str(text.MYDATA_DESCRIPTION))
    async def mydata(self, interaction: discord.Interaction) -> None:
        # A read: no cooldown (nothing could change).
        await interaction.response.defer(ephemeral=True, thinking=True)
        tr = self.tr(interaction)
        if self.settings.ack_secret is None:
            await send(interaction, content=tr(text.NOT_CONFIGURED))
            return
        records = await self.storage.acks.records(await self._my_keys(interaction.user.id))
        names = {r.guild_id: g.name for r in records if (g := self.bot.get_guild(r.guild_id))}
        document = export_file(tr, records, names, day_text(self.today()))
        await send(interaction, content=mydata_message(tr, len(records)),
                   file=discord.File(io.BytesIO(document), filename=FILE_NAME))

    @privacy.command(name="delete", description=app_commands.locale_str(text.DELETE_DESCRIPTION))
    async def delete(self, interaction: discord.Interaction) -> None:
        # Only asks; the confirm press is the write, and the one throttled.
        tr = self.tr(interaction)
        if self.settings.ack_secret is None:
            await send(interaction, content=tr(text.NOT_CONFIGURED))
            return
        view = detached_view(DeleteButton(DeleteId(True), tr), DeleteButton(DeleteId(False), tr))
        await send(interaction, content=tr(text.DELETE_PROMPT), view=view)

    async def on_delete(self, interaction: discord.Interaction, confirm: bool) -> None:
        tr = self.tr(interaction)
        if not confirm:  # cancelling writes nothing: never throttled
            await send(interaction, content=tr(text.DELETE_CANCELLED))
            return
        if await self.throttled(interaction):
            return
        # One answer, after the COMMIT: the question is replaced by it.
        await answer(interaction, content=await in_time(interaction, self._erase(interaction, tr)))

    async def _erase(self, interaction: discord.Interaction, tr: Tr) -> str:
        if self.settings.ack_secret is None:
            return tr(text.NOT_CONFIGURED)
        deleted = await self.storage.acks.erase(await self._my_keys(interaction.user.id))
        return deleted_message(tr, deleted)


async def setup(bot: MetooBot) -> None:
    await bot.add_cog(Privacy(bot))
