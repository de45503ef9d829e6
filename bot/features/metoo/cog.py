"""/metoo add, remove and count: the opt-in acknowledgement, Discord in and out.

Every step is ephemeral, any "thinking" response included; nothing is
posted, reacted, assigned or logged about the person. A confirmation is sent
only after the row is committed (group commit in the store's writer): once, in
place of the consent message, when the commit is quick; after a private defer
when it is not (bot.kit.respond.in_time).
The cooldown guards only what writes (confirming, withdrawing); reading
(/metoo count, the explanation, "Not now") is never refused.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

import discord
from discord import app_commands

import bot.features.metoo.noise as noise
import bot.features.metoo.rules as rules
import bot.features.metoo.text as text
from bot.features.metoo.noise import ShownCount
from bot.features.metoo.render import consent_card, count_card, day_name
from bot.i18n.translator import Tr
from bot.kit.checks import guild_only, with_the_bot
from bot.kit.cog import FeatureCog, bot_of
from bot.kit.custom_ids import ConsentId
from bot.kit.embeds import to_embed
from bot.kit.respond import (
    Fixed,
    answer,
    answers_failures,
    detached_view,
    fixed_answer,
    in_time,
    reader,
    send,
    send_fixed,
)

if TYPE_CHECKING:
    from bot.app import MetooBot


class ConsentButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=ConsentId.TEMPLATE
):
    """The consent buttons. The custom id holds only the choice and the consent
    version: the press acts on whoever pressed (the message is ephemeral)."""

    def __init__(self, consent: ConsentId, tr: Tr) -> None:
        super().__init__(discord.ui.Button(
            label=tr(text.CONFIRM_LABEL if consent.confirm else text.CANCEL_LABEL),
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
        return cls(ConsentId.from_match(match), reader(interaction))

    @answers_failures
    async def callback(self, interaction: discord.Interaction) -> None:
        cog = loaded(interaction)
        if cog is None:
            raise RuntimeError("the MeToo feature is not loaded")
        await cog.on_consent(interaction, self.consent_id.confirm, self.consent_id.version)


def consent_view(tr: Tr) -> discord.ui.View:
    return detached_view(ConsentButton(ConsentId(True, rules.CONSENT_VERSION), tr),
                         ConsentButton(ConsentId(False, rules.CONSENT_VERSION), tr))


def loaded(interaction: discord.Interaction) -> MeToo | None:
    """This bot's /metoo cog, or None when the feature is not loaded."""
    # By its name, not isinstance(): discord.py executes an extension's module
    # afresh when it loads it, so the loaded cog may be an instance of another
    # copy of MeToo than this module's (the package's public API imported this
    # module earlier, e.g. for bot.app).
    return cast("MeToo | None", bot_of(interaction).get_cog(MeToo.__cog_name__))


async def start_consent(interaction: discord.Interaction) -> bool:
    """The explanation and the two consent buttons, privately, exactly as
    `/metoo add` answers (for the panel's "Me too" button). False, with nothing
    answered, when /metoo is not loaded in this bot."""
    cog = loaded(interaction)
    if cog is None:
        return False
    await cog.start_consent(interaction)
    return True


class MeToo(FeatureCog):
    metoo = with_the_bot(app_commands.Group(
        name="metoo",
        description=app_commands.locale_str(text.GROUP_DESCRIPTION),
        guild_only=True,
    ))

    def __init__(self, bot: MetooBot) -> None:
        super().__init__(bot)
        self._noise: tuple[object, bytes] | None = None  # (the secret, its noise key)

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(ConsentButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(ConsentButton)

    # ------------------------------------------------------------- helpers
    def _key(self, guild_id: int, user_id: int) -> bytes:
        secret = self.settings.ack_secret
        assert secret is not None
        return rules.member_key(secret.reveal(), guild_id, user_id)

    async def _refusal(self, interaction: discord.Interaction, *, need_enabled: bool) -> str | None:
        """Why this person cannot go on here, if they cannot (a msgid)."""
        if interaction.guild_id is None:
            raise app_commands.NoPrivateMessage()
        if self.settings.ack_secret is None:
            return text.NOT_CONFIGURED
        if need_enabled:
            settings = await self.storage.communities.settings(interaction.guild_id)
            if not settings.acknowledgements_enabled:
                return text.DISABLED
        return None

    def _too_new(self, interaction: discord.Interaction, tr: Tr) -> str | None:
        """Only accounts at least 7 days old, in this community for at least 24
        hours, can be counted (alternate accounts made to probe the count cost a
        week). Anyone else hears kindly from which UTC day (the answer returned);
        nothing is stored about them."""
        opens = rules.countable_from(interaction.user.id,
                                     getattr(interaction.user, "joined_at", None))
        if opens is None:
            return tr(text.JOINED_UNKNOWN)
        if self.bot.clock() >= opens:
            return None
        return tr(text.TOO_NEW, day=day_name(rules.first_whole_day(opens)))

    def _consent_embed(self, tr: Tr) -> discord.Embed:
        return to_embed(consent_card(tr, retention_days=self.settings.ack_retention_days))

    # ----------------------------------------------------------- the flow
    async def start_consent(self, interaction: discord.Interaction) -> None:
        """The explanation and the two consent buttons, privately. Used by
        `/metoo add` and by the panel's "Me too" button. It writes nothing, so no
        cooldown applies."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        tr = self.tr(interaction)
        refusal = await self._refusal(interaction, need_enabled=True)
        if refusal is not None:
            await send(interaction, content=tr(refusal))
            return
        assert interaction.guild_id is not None
        key = self._key(interaction.guild_id, interaction.user.id)
        if await self.storage.acks.has(interaction.guild_id, key):
            await send(interaction, content=tr(text.ALREADY_COUNTED))
            return
        too_new = self._too_new(interaction, tr)
        if too_new is not None:
            await send(interaction, content=too_new)
            return
        await send(interaction, embed=self._consent_embed(tr), view=consent_view(tr))

    async def on_consent(self, interaction: discord.Interaction, confirm: bool,
                         version: int) -> None:
        tr = self.tr(interaction)
        if not confirm:  # "Not now" writes nothing: never throttled
            counted = (
                interaction.guild_id is not None and self.settings.ack_secret is not None
                and await self.storage.acks.has(
                    interaction.guild_id, self._key(interaction.guild_id, interaction.user.id))
            )
            await send(interaction, content=tr(text.NOT_NOW_COUNTED if counted else text.NOT_NOW))
            return
        if await self.throttled(interaction):
            return
        # One answer, after the COMMIT: the consent message is replaced by it.
        content, embed, view = await in_time(interaction, self._confirm(interaction, tr, version))
        await answer(interaction, content=content, embed=embed, view=view)

    async def _confirm(
        self, interaction: discord.Interaction, tr: Tr, version: int,
    ) -> tuple[str, discord.Embed | None, discord.ui.View | None]:
        """The checks and the write of a confirm press; returns the answer."""
        refusal = await self._refusal(interaction, need_enabled=True)
        if refusal is not None:
            return tr(refusal), None, None
        too_new = self._too_new(interaction, tr)
        if too_new is not None:
            return too_new, None, None
        if version != rules.CONSENT_VERSION:
            # Agreement to an older text is not agreement to this one.
            return tr(text.CONSENT_CHANGED), self._consent_embed(tr), consent_view(tr)
        assert interaction.guild_id is not None
        key = self._key(interaction.guild_id, interaction.user.id)
        added = await self.storage.acks.add(
            interaction.guild_id, key, rules.CONSENT_VERSION, rules.day_text(self.today())
        )
        # Only now, after COMMIT, does the person hear that it was recorded.
        return tr(text.THANKS if added else text.ALREADY_COUNTED), None, None

    # ----------------------------------------------------------- commands
    @metoo.command(name="add", description=app_commands.locale_str(text.ADD_DESCRIPTION))
    @guild_only
    async def add(self, interaction: discord.Interaction) -> None:
        await self.start_consent(interaction)

    @metoo.command(name="remove", description=app_commands.locale_str(text.REMOVE_DESCRIPTION))
    @guild_only
    async def remove(self, interaction: discord.Interaction) -> None:
        if await self.throttled(interaction):
            return
        tr = self.tr(interaction)
        await answer(interaction, content=await in_time(interaction, self._remove(interaction, tr)))

    async def _remove(self, interaction: discord.Interaction, tr: Tr) -> str:
        # Withdrawing works even where counting has since been turned off.
        refusal = await self._refusal(interaction, need_enabled=False)
        if refusal is not None:
            return tr(refusal)
        assert interaction.guild_id is not None
        removed = await self.storage.acks.remove(
            interaction.guild_id, self._key(interaction.guild_id, interaction.user.id)
        )
        return tr(text.REMOVED if removed else text.NOTHING_TO_REMOVE)

    @metoo.command(name="count", description=app_commands.locale_str(text.COUNT_DESCRIPTION))
    @app_commands.describe(public=app_commands.locale_str(text.PUBLIC_OPTION))
    @guild_only
    async def count(self, interaction: discord.Interaction, public: bool = False) -> None:
        # A read: no cooldown (nothing could change), and no row is read either.
        refusal = await self._refusal(interaction, need_enabled=False)
        if refusal is not None:
            await send(interaction, content=self.tr(interaction)(refusal))
            return
        assert interaction.guild_id is not None and self.settings.ack_secret is not None
        tr = await self.public_tr(interaction, public=public)
        # Both from memory on the hot path: the settings and the day's figures.
        settings = await self.storage.communities.settings(interaction.guild_id)
        counts = await self.storage.acks.counts(interaction.guild_id,
                                                rules.day_text(self.today()))
        here = None
        if settings.acknowledgements_enabled:
            here = noise.shown_count(
                noise.figure_here(self._noise_key(), interaction.guild_id, counts),
                settings.threshold)
        everywhere = noise.shown_count(counts.everywhere, noise.GLOBAL_THRESHOLD)
        await send_fixed(interaction, count_answer(tr, here, counts.included, everywhere,
                                                   not public))

    def _noise_key(self) -> bytes:
        secret = self.settings.ack_secret
        assert secret is not None
        if self._noise is None or self._noise[0] is not secret:
            self._noise = (secret, noise.noise_key(secret.reveal()))
        return self._noise[1]


# A shown count takes few values (multiples of 5, thresholds): each answer, in
# each language, is built and serialised once.
_COUNT_ANSWERS: dict[tuple[str, ShownCount | None, bool, ShownCount, bool], Fixed] = {}
_COUNT_ANSWERS_KEPT = 4096  # then forgotten all at once


def count_answer(tr: Tr, here: ShownCount | None, left_out_from_today: bool,
                 everywhere: ShownCount, ephemeral: bool) -> Fixed:
    key = (tr.locale, here, left_out_from_today, everywhere, ephemeral)
    found = _COUNT_ANSWERS.get(key)
    if found is None:
        if len(_COUNT_ANSWERS) >= _COUNT_ANSWERS_KEPT:
            _COUNT_ANSWERS.clear()
        card = count_card(tr, here=here, left_out_from_today=left_out_from_today,
                          everywhere=everywhere)
        found = _COUNT_ANSWERS[key] = fixed_answer(card, ephemeral=ephemeral)
    return found


async def setup(bot: MetooBot) -> None:
    await bot.add_cog(MeToo(bot))
