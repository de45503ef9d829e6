"""/resources: emergency help first, then this community's own resources, the
country's support lines in brief and the international directories."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.features.hotlines import country_lines, directory_lines, emergency_text, resolve_country
from bot.features.resources import text
from bot.features.resources.render import (
    community_cards,
    country_cards,
    directories_card,
    emergency_card,
    resource_field,
    unavailable_card,
)
from bot.kit import text as common
from bot.kit.checks import guild_only, with_the_bot
from bot.kit.cog import READ_TIMEOUT, FeatureCog
from bot.kit.countries import country_in_text
from bot.kit.embeds import pack_messages, to_embed
from bot.kit.respond import send
from bot.storage import CommunityResource, StorageError

if TYPE_CHECKING:
    from bot.app import MetooBot

log = logging.getLogger("bot.resources")


class Resources(FeatureCog):
    @with_the_bot
    @app_commands.command(name="resources",
                          description=app_commands.locale_str(text.RESOURCES_DESCRIPTION))
    @guild_only  # the check in code: the contexts above are only a hint
    @app_commands.describe(public=app_commands.locale_str(common.PUBLIC_OPTION))
    async def resources(self, interaction: discord.Interaction, public: bool = False) -> None:
        tr = await self.public_tr(interaction, public=public)
        community_country: str | None = None
        resources: Sequence[CommunityResource] = ()
        unavailable = False
        if interaction.guild_id is not None:
            communities = self.storage.communities
            try:
                community, resources = await asyncio.wait_for(
                    asyncio.gather(
                        communities.settings(interaction.guild_id),
                        communities.resources(interaction.guild_id),
                    ),
                    READ_TIMEOUT,
                )
            except (StorageError, TimeoutError) as exc:
                # The answer must still come: without this community's part.
                log.warning("community resources unavailable: %s", type(exc).__name__)
                unavailable = True
            else:
                community_country = community.country
        country = resolve_country(None, community_country, self.settings.default_country)
        shown = country_in_text(country) if country else None
        # Emergency help first, then this community's own resources, then the
        # country's lines, then the international directories.
        cards = [emergency_card(tr, shown, emergency_text(tr, country))]
        if unavailable:
            cards.append(unavailable_card(tr))
        cards.extend(community_cards(tr, [resource_field(tr, r) for r in resources]))
        cards.extend(country_cards(tr, shown, country_lines(tr, country) if country else ()))
        cards.append(directories_card(tr, directory_lines(tr)))
        for group in pack_messages([to_embed(card) for card in cards]):
            await send(interaction, ephemeral=not public, embeds=group)


async def setup(bot: MetooBot) -> None:
    await bot.add_cog(Resources(bot))
