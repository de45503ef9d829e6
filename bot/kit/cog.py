"""FeatureCog: the base of every feature's cog, typed against MetooBot.

It gives a cog what every feature needs without reaching into the bot:
`self.storage`, `self.settings`, `self.translator`, `self.tr(interaction)`,
`self.today()` and a throttle for writes (`await self.throttled(...)`).
"""

from __future__ import annotations

import time
from collections import deque
from datetime import UTC, date
from typing import TYPE_CHECKING, cast

import discord
from discord.ext import commands

from bot.kit import text
from bot.kit.respond import READ_TIMEOUT, community_language, community_locale, send

if TYPE_CHECKING:  # bot.app imports the kit: only the type checker follows this arrow
    from bot.app import MetooBot
    from bot.i18n.translator import Tr, Translator
    from bot.settings import Settings
    from bot.storage import Stores

__all__ = ["READ_TIMEOUT", "Cooldowns", "FeatureCog", "bot_of"]


def bot_of(interaction: discord.Interaction) -> MetooBot:
    """The bot that received `interaction`, typed (for DynamicItems and other code
    outside a cog)."""
    return cast("MetooBot", interaction.client)


class Cooldowns:
    """At most `rate` writes per user in `per` seconds, against abuse. Held in
    memory only, never stored; a refused write changes nothing (and says so).
    Reads never pass through it: nothing could change, and nothing is abused."""

    def __init__(self, rate: int = 6, per: float = 30.0) -> None:
        self.rate = rate
        self.per = per
        self._hits: dict[int, deque[float]] = {}

    def allow(self, user_id: int) -> bool:
        now = time.monotonic()
        if len(self._hits) > 10_000:  # forget users whose window has passed
            self._hits = {u: h for u, h in self._hits.items() if h and now - h[-1] < self.per}
        hits = self._hits.setdefault(user_id, deque())
        while hits and now - hits[0] >= self.per:
            hits.popleft()
        if len(hits) >= self.rate:
            return False
        hits.append(now)
        return True


class FeatureCog(commands.Cog):
    """A feature's cog. Load it with `await bot.add_cog(TheCog(bot))` in the
    feature's `setup`; a subclass with its own `__init__` calls
    `super().__init__(bot)` first. A cog that is a command group derives from
    both: `class Config(FeatureCog, commands.GroupCog, group_name="config")`.
    Each cog has its own `cooldowns` (a test may replace them)."""

    def __init__(self, bot: MetooBot) -> None:
        self.bot = bot
        self.cooldowns = Cooldowns()
        super().__init__()

    @property
    def storage(self) -> Stores:
        return self.bot.storage

    @property
    def settings(self) -> Settings:
        return self.bot.settings

    @property
    def translator(self) -> Translator:
        return self.bot.translator

    def tr(self, interaction: discord.Interaction) -> Tr:
        """The texts for a private answer: the person's Discord language."""
        return self.translator.for_locale(str(interaction.locale))

    async def public_tr(self, interaction: discord.Interaction, *, public: bool = True) -> Tr:
        """The texts for an answer everyone in the channel reads (`public`): the
        community's language (`/config language`; `auto`: the server's Discord
        language); for a private answer, the person's."""
        if not public:
            return self.tr(interaction)
        language = await community_language(interaction)
        return self.translator.for_locale(community_locale(interaction, language))

    def today(self) -> date:
        """Today's UTC day by the bot's clock (which tests control)."""
        now = self.bot.clock()
        if now.tzinfo is None:
            raise ValueError("the clock must give aware datetimes")
        return now.astimezone(UTC).date()

    async def throttled(self, interaction: discord.Interaction) -> bool:
        """For a write: True (and the person is told, privately, to wait a few
        seconds) when they are going too fast; then change nothing."""
        if self.cooldowns.allow(interaction.user.id):
            return False
        await send(interaction, content=self.tr(interaction)(text.THROTTLED))
        return True
