"""Every country in the directory, through the emulator (issue 14).

For each country and each core need, /hotline answers with the country's
emergency number and the digits of every line the data file has for that
need; where the data has none, it says so and points to findahelpline.com.
The expected numbers come from the data file itself, entry by entry, not from
the lookup under test. One bot serves the whole module: it starts once.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import pytest_asyncio

from bot.emulator.model import Guild, User
from bot.emulator.openapi import RequestValidator
from bot.emulator.server import DiscordEmulator
from bot.features.hotlines.directory import Hotline
from bot.features.hotlines.loader import get_directory
from bot.features.hotlines.topics import CORE_NEEDS, EMERGENCY
from bot.kit.countries import country_name
from bot.local import LocalBot, start_local_bot
from tests.support.answers import pages_of, plain
from tests.support.messages import unguarded_messages

FINDAHELPLINE = "findahelpline.com"
GENERAL_EMERGENCY = "112 works from mobiles"
SHIPPED = get_directory()
COUNTRIES = sorted(SHIPPED.by_country)


@dataclass
class World:
    emulator: DiscordEmulator
    bot: LocalBot
    guild: Guild
    member: User


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(
    request_validator: RequestValidator, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[World]:
    emulator = DiscordEmulator(validator=request_validator)
    await emulator.start()
    guild = emulator.add_guild("Test community")
    member = emulator.add_user("sam")
    database: Path = tmp_path_factory.mktemp("countries") / "data" / "metoo.sqlite3"
    bot = await start_local_bot(emulator, database)
    try:
        yield World(emulator, bot, guild, member)
    finally:
        await bot.stop()
        await emulator.stop()
    # As the emulator fixture checks for every other test module.
    assert emulator.validation_errors == [], "the bot sent requests Discord would reject"
    assert unguarded_messages(emulator) == [], "a message could ping someone"


def numbers(entry: Hotline) -> list[str]:
    return [p.number for p in entry.phones] + [t.number for t in entry.texts]


def _domain(url: str) -> str:
    host = urlsplit(url).netloc
    return host.removeprefix("www.")


async def answer(world: World, country: str, topic: str) -> str:
    pages = pages_of(country, topic)
    ix = await world.emulator.slash(
        "hotline", user=world.member, guild=world.guild,
        options={"country": country, "topic": topic},
    )
    await ix.reply()
    await ix.wait(lambda i: len(i.messages) >= pages)
    assert all(m.ephemeral for m in ix.messages), (country, topic)
    return plain("\n".join(m.text() for m in ix.messages))


def test_every_country_of_the_reference_files_is_covered() -> None:
    # The new countries of issue 14 are all here (Venezuela and Serbia have
    # only single-source entries, held back).
    new = {
        "PT", "AT", "CZ", "GR", "IL", "HU", "SK", "SI", "ID", "TH", "TW", "EG", "PE", "LT",
        "LV", "IS", "HK", "EE", "CH", "TR", "RO", "HR", "VN", "PK", "BD", "SA", "AE", "RU",
        "UA", "CN", "BG", "LU",
    }
    assert new <= set(COUNTRIES)
    assert {"VE", "RS"}.isdisjoint(COUNTRIES)


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("country", COUNTRIES)
async def test_hotline_shows_the_emergency_number_and_each_core_line(
    world: World, country: str
) -> None:
    entries = SHIPPED.by_country[country]
    emergency = [n for e in entries if EMERGENCY in e.topics for n in numbers(e)]
    for topic in CORE_NEEDS:
        text = await answer(world, country, topic)
        assert country_name(country) in text, (country, topic)
        assert "If you are in danger right now" in text, (country, topic)
        if emergency:
            for number in emergency:
                assert number in text, (country, topic, number)
        else:
            assert "don't have a checked emergency number" in text, (country, topic)
            assert GENERAL_EMERGENCY in text and FINDAHELPLINE in text, (country, topic)
        if topic == EMERGENCY:
            continue
        lines = [e for e in entries if topic in e.topics]
        for line in lines:
            for number in numbers(line):
                assert number in text, (country, topic, line.id, number)
            if not numbers(line):
                # A line without a checked number shows its website or chat.
                assert _domain(line.website or line.chat_url) in text, (country, topic, line.id)
        if not lines:
            # Emergency-only or partial countries: the number above, and the
            # international directory for what is missing.
            assert FINDAHELPLINE in text and "don't have" in text, (country, topic)


@pytest.mark.parametrize(
    ("locale", "country"),
    [
        ("id", "ID"), ("tr", "TR"), ("th", "TH"), ("vi", "VN"), ("zh-TW", "TW"),
        ("uk", "UA"), ("ro", "RO"), ("cs", "CZ"), ("el", "GR"), ("hu", "HU"), ("lt", "LT"),
        ("bg", "BG"), ("hr", "HR"), ("ru", "RU"), ("zh-CN", "CN"),
    ],
)
def test_a_new_country_is_suggested_first_for_its_language(locale: str, country: str) -> None:
    # The country menu holds 25 of the 63 countries: without the suggestion,
    # Indonesia, Türkiye or Thailand would not be in it at all.
    assert SHIPPED.locale_suggestions(locale)[0] == country
    assert SHIPPED.country_menu(locale)[0].code == country


@pytest.mark.asyncio(loop_scope="module")
async def test_an_indonesian_speaker_without_a_country_can_pick_indonesia(world: World) -> None:
    ix = await world.emulator.slash("hotline", user=world.member, guild=world.guild, locale="id")
    reply = await ix.reply()
    assert "haven't guessed" in plain(reply.text())  # the language chooses nothing
    (menu,) = reply.selects()
    assert menu["options"][0]["value"] == "ID"
    chosen = await (await world.emulator.select(reply, ["ID"], user=world.member,
                                                locale="id")).reply()
    text = plain(chosen.text())
    assert "Indonesia" in text and "129" in text and "110" in text
