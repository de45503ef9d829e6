"""bot.kit.cog.FeatureCog: the day by the bot's clock and the reader's texts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from types import SimpleNamespace
from typing import Any

import discord
import pytest

from bot.i18n.translator import Translator
from bot.kit.cog import Cooldowns, FeatureCog
from bot.kit.respond import public_reader, reader
from bot.storage import CommunitySettings, StorageError


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


class Communities:
    """Stands in for the community store: each community's /config language."""

    def __init__(self, languages: dict[int, str | None]) -> None:
        self.languages = languages

    async def settings(self, guild_id: int) -> CommunitySettings:
        if self.languages.get(guild_id) == "broken":
            raise StorageError("locked")
        return CommunitySettings(guild_id, language=self.languages.get(guild_id))


def interactions(reader_: Reader) -> list[Any]:
    storage = SimpleNamespace(communities=Communities({1: None, 2: "pl", 3: "broken"}))
    client = SimpleNamespace(translator=reader_, storage=storage)

    def ix(guild_id: int | None, guild_locale: discord.Locale | None) -> Any:
        return SimpleNamespace(locale=discord.Locale.german, guild_locale=guild_locale,
                               guild_id=guild_id, client=client)

    return [ix(1, discord.Locale.french),  # auto: the server's Discord language
            ix(2, discord.Locale.french),  # /config language pl
            ix(3, discord.Locale.french),  # unreadable: the server's language
            ix(None, None)]  # a DM: the person's


async def test_private_answers_follow_the_person_and_public_ones_the_community() -> None:
    feature, reader_ = cog(datetime(2026, 3, 10, tzinfo=UTC))
    for interaction in interactions(reader_):
        feature.tr(interaction)
        await feature.public_tr(interaction)
        await feature.public_tr(interaction, public=False)
    assert reader_.asked == ["de", "fr", "de", "de", "pl", "de", "de", "fr", "de",
                             "de", "de", "de"]


async def test_code_outside_a_cog_reads_the_same_language_as_a_cog() -> None:
    # bot.kit.respond.reader and public_reader: for DynamicItems and public functions.
    _, reader_ = cog(datetime(2026, 3, 10, tzinfo=UTC))
    for interaction in interactions(reader_):
        reader(interaction)
        await public_reader(interaction)
    assert reader_.asked == ["de", "fr", "de", "pl", "de", "fr", "de", "de"]


def test_cooldowns_allow_a_burst_then_refuse_per_person() -> None:
    limits = Cooldowns(rate=2, per=60)
    assert [limits.allow(1), limits.allow(1), limits.allow(1)] == [True, True, False]
    assert limits.allow(2)
