"""bot.kit.cog.FeatureCog: the day by the bot's clock and the reader's texts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from types import SimpleNamespace
from typing import Any

import discord
import pytest

from bot.i18n.translator import Translator
from bot.kit.cog import Cooldowns, FeatureCog
from bot.kit.respond import reader


class Reader(Translator):
    """Records which locale each Tr was asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[str | None] = []

    def for_locale(self, locale: str | None):  # type: ignore[no-untyped-def]
        self.asked.append(locale)
        return super().for_locale(locale)


def cog(now: datetime) -> tuple[FeatureCog, Reader]:
    reader = Reader()
    bot: Any = SimpleNamespace(clock=lambda: now, translator=reader)
    return FeatureCog(bot), reader


def test_today_is_the_utc_day_of_the_bots_clock() -> None:
    morning_in_samoa = datetime(2026, 3, 11, 5, 0, tzinfo=timezone(timedelta(hours=13)))
    assert cog(morning_in_samoa)[0].today() == date(2026, 3, 10)  # 16:00 UTC the day before
    assert cog(datetime(2026, 3, 10, 23, 59, tzinfo=UTC))[0].today() == date(2026, 3, 10)
    with pytest.raises(ValueError):
        cog(datetime(2026, 3, 10, 12, 0))[0].today()  # a clock without a zone


def test_private_answers_follow_the_person_and_public_ones_the_server() -> None:
    feature, reader = cog(datetime(2026, 3, 10, tzinfo=UTC))
    interaction: Any = SimpleNamespace(locale=discord.Locale.german,
                                       guild_locale=discord.Locale.french)
    feature.tr(interaction)
    feature.tr(interaction, public=True)
    in_dms: Any = SimpleNamespace(locale=discord.Locale.german, guild_locale=None)
    feature.tr(in_dms, public=True)
    assert reader.asked == ["de", "fr", "de"]


def test_code_outside_a_cog_reads_the_same_language_as_a_cog() -> None:
    # bot.kit.respond.reader: for DynamicItems and a feature's public functions.
    _, reader_ = cog(datetime(2026, 3, 10, tzinfo=UTC))
    client = SimpleNamespace(translator=reader_)
    interaction: Any = SimpleNamespace(locale=discord.Locale.german,
                                       guild_locale=discord.Locale.french, client=client)
    reader(interaction)
    reader(interaction, public=True)
    in_dms: Any = SimpleNamespace(locale=discord.Locale.german, guild_locale=None, client=client)
    reader(in_dms, public=True)
    assert reader_.asked == ["de", "fr", "de"]


def test_cooldowns_allow_a_burst_then_refuse_per_person() -> None:
    limits = Cooldowns(rate=2, per=60)
    assert [limits.allow(1), limits.allow(1), limits.allow(1)] == [True, True, False]
    assert limits.allow(2)
