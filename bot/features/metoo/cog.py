"""/metoo add, remove and count: the opt-in acknowledgement (SPEC section 4).

Every step is ephemeral, the first "thinking" response included; nothing is
posted, reacted, assigned or logged about the person. A confirmation is sent
only after the row is committed (group commit in the store's writer).
The cooldown guards only what writes (confirming, withdrawing); reading
(/metoo count, the explanation, "Not now") is never refused.
"""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.core import acknowledgements as rules
from bot.kit.checks import guild_only
from bot.kit.cog import FeatureCog, bot_of
from bot.kit.custom_ids import ConsentId
from bot.kit.respond import answers_failures, detached_view, send
from bot.storage import DayCounts
from bot.text import metoo as text

if TYPE_CHECKING:
    from bot.app import MetooBot

log = logging.getLogger("bot.metoo")


class ConsentButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=ConsentId.TEMPLATE
):
    """The consent buttons. The custom id holds only the choice and the consent
    version: the press acts on whoever pressed (the message is ephemeral)."""

    def __init__(self, consent: ConsentId) -> None:
        super().__init__(discord.ui.Button(
            label=text.CONFIRM_LABEL if consent.confirm else text.CANCEL_LABEL,
            style=discord.ButtonStyle.primary if consent.confirm
            else discord.ButtonStyle.secondary,
            custom_id=consent.encode(),
        ))
        self.consent_id = consent

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
        match: re.Match[str], /,
    ) -> ConsentButton:
        return cls(ConsentId.from_match(match))

    @answers_failures
    async def callback(self, interaction: discord.Interaction) -> None:
        cog = bot_of(interaction).get_cog("MeToo")
        if not isinstance(cog, MeToo):
            raise RuntimeError("the MeToo feature is not loaded")
        await cog.on_consent(interaction, self.consent_id.confirm, self.consent_id.version)


def consent_view() -> discord.ui.View:
    return detached_view(ConsentButton(ConsentId(True, rules.CONSENT_VERSION)),
                         ConsentButton(ConsentId(False, rules.CONSENT_VERSION)))


class MeToo(FeatureCog):
    metoo = app_commands.Group(
        name="metoo",
        description="Say \"me too\", privately and anonymously, if this server has turned it on.",
        guild_only=True,
        allowed_contexts=app_commands.AppCommandContext(guild=True),
    )

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(ConsentButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(ConsentButton)

    # ------------------------------------------------------------- helpers
    def _today(self) -> str:
        return rules.day_text(self.today())

    def _key(self, guild_id: int, user_id: int) -> bytes:
        secret = self.settings.ack_secret
        assert secret is not None
        return rules.member_key(secret.reveal(), guild_id, user_id)

    async def _refusal(self, interaction: discord.Interaction, *, need_enabled: bool) -> str | None:
        """Why this person cannot go on here, if they cannot."""
        if interaction.guild_id is None:
            raise app_commands.NoPrivateMessage()
        if self.settings.ack_secret is None:
            return text.NOT_CONFIGURED
        if need_enabled:
            settings = await self.storage.communities.settings(interaction.guild_id)
            if not settings.acknowledgements_enabled:
                return text.DISABLED
        return None

    async def _too_new(self, interaction: discord.Interaction) -> bool:
        """SPEC rule 6: only accounts at least 7 days old, in this community for at
        least 24 hours, can be counted (alternate accounts made to probe the count
        cost a week). Anyone else hears kindly from which UTC day; nothing is
        stored about them. True if refused (the answer is sent)."""
        opens = rules.countable_from(interaction.user.id,
                                     getattr(interaction.user, "joined_at", None))
        if opens is None:
            await send(interaction, content=text.JOINED_UNKNOWN)
            return True
        if self.bot.clock() >= opens:
            return False
        day = rules.first_whole_day(opens)
        await send(interaction, content=text.TOO_NEW.format(day=day_name(day)))
        return True

    def _consent_embed(self) -> discord.Embed:
        body = text.CONSENT.format(version=rules.CONSENT_VERSION,
                                   days=self.settings.ack_retention_days)
        return discord.Embed(title=text.CONSENT_TITLE, description=body)

    # ----------------------------------------------------------- the flow
    async def start_consent(self, interaction: discord.Interaction) -> None:
        """The explanation and the two consent buttons, privately. Used by
        `/metoo add` and by the panel's "Me too" button. It writes nothing, so no
        cooldown applies."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        refusal = await self._refusal(interaction, need_enabled=True)
        if refusal is not None:
            await send(interaction, content=refusal)
            return
        assert interaction.guild_id is not None
        key = self._key(interaction.guild_id, interaction.user.id)
        if await self.storage.acks.has(interaction.guild_id, key):
            await send(interaction, content=text.ALREADY_COUNTED)
            return
        if await self._too_new(interaction):
            return
        await send(interaction, embed=self._consent_embed(), view=consent_view())

    async def on_consent(self, interaction: discord.Interaction, confirm: bool,
                         version: int) -> None:
        if not confirm:  # "Not now" writes nothing: never throttled
            counted = (
                interaction.guild_id is not None and self.settings.ack_secret is not None
                and await self.storage.acks.has(
                    interaction.guild_id, self._key(interaction.guild_id, interaction.user.id))
            )
            await send(interaction, content=text.NOT_NOW_COUNTED if counted else text.NOT_NOW)
            return
        if await self.throttled(interaction):
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        refusal = await self._refusal(interaction, need_enabled=True)
        if refusal is not None:
            await send(interaction, content=refusal)
            return
        if await self._too_new(interaction):
            return
        if version != rules.CONSENT_VERSION:
            # Agreement to an older text is not agreement to this one.
            await send(interaction, content=text.CONSENT_CHANGED, embed=self._consent_embed(),
                       view=consent_view())
            return
        assert interaction.guild_id is not None
        key = self._key(interaction.guild_id, interaction.user.id)
        added = await self.storage.acks.add(
            interaction.guild_id, key, rules.CONSENT_VERSION, self._today()
        )
        # Only now, after COMMIT, does the person hear that it was recorded.
        await send(interaction, content=text.THANKS if added else text.ALREADY_COUNTED)

    # ----------------------------------------------------------- commands
    @metoo.command(name="add", description="Add yourself, privately, to this server's "
                                           "anonymous count (you confirm first).")
    @guild_only
    async def add(self, interaction: discord.Interaction) -> None:
        await self.start_consent(interaction)

    @metoo.command(name="remove", description="Withdraw your \"me too\" in this server: "
                                              "deleted at once.")
    @guild_only
    async def remove(self, interaction: discord.Interaction) -> None:
        if await self.throttled(interaction):
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        # Withdrawing works even where counting has since been turned off.
        refusal = await self._refusal(interaction, need_enabled=False)
        if refusal is not None:
            await send(interaction, content=refusal)
            return
        assert interaction.guild_id is not None
        removed = await self.storage.acks.remove(
            interaction.guild_id, self._key(interaction.guild_id, interaction.user.id)
        )
        await send(interaction, content=text.REMOVED if removed else text.NOTHING_TO_REMOVE)

    @metoo.command(name="count", description="About how many have said \"me too\" here "
                                             "and everywhere (daily, rounded).")
    @app_commands.describe(public="Show the answer to everyone in the channel "
                                  "(default: only you).")
    @guild_only
    async def count(self, interaction: discord.Interaction, public: bool = False) -> None:
        # A read: no cooldown (nothing could change), and no row is read either.
        refusal = await self._refusal(interaction, need_enabled=False)
        if refusal is not None:
            await send(interaction, content=refusal)
            return
        assert interaction.guild_id is not None
        settings = await self.storage.communities.settings(interaction.guild_id)
        counts = await self.storage.acks.counts(interaction.guild_id, self._today())
        embed = discord.Embed(title=text.COUNT_TITLE)
        if settings.acknowledgements_enabled:
            here = rules.shown_count(self._figure_here(interaction.guild_id, counts),
                                     settings.threshold)
            embed.add_field(name=text.COUNT_HERE, value=describe(here), inline=False)
        else:
            embed.add_field(name=text.COUNT_HERE, inline=False,
                            value=text.COUNT_OFF_HERE_TODAY if counts.included
                            else text.COUNT_OFF_HERE)
        everywhere = rules.shown_count(counts.everywhere, rules.GLOBAL_THRESHOLD)
        embed.add_field(name=text.COUNT_EVERYWHERE, value=describe(everywhere), inline=False)
        embed.set_footer(text=text.COUNT_FOOTER)
        await send(interaction, ephemeral=not public, embed=embed)

    def _figure_here(self, guild_id: int, counts: DayCounts) -> int | None:
        """This community's figure of the snapshot day. A community the daily job
        drew none for held nothing then: its figure is noise around zero, drawn
        exactly as the job would have (so it looks like any other community)."""
        if counts.day is None or counts.here is not None:
            return counts.here
        secret = self.settings.ack_secret
        assert secret is not None  # checked by _refusal before any count is read
        key = rules.noise_key(secret.reveal())
        return rules.figure(0, rules.day_noise(key, guild_id, date.fromisoformat(counts.day)))


def describe(count: rules.ShownCount) -> str:
    if count.fewer_than is not None:
        return text.COUNT_FEWER.format(value=count.fewer_than)
    return text.COUNT_ABOUT.format(value=count.about)


def day_name(day: date) -> str:
    """A UTC day as people write it: 12 March 2026."""
    return f"{day.day} {day:%B %Y}"


async def setup(bot: MetooBot) -> None:
    await bot.add_cog(MeToo(bot))
