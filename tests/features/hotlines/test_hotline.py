"""/hotline end to end: the real bot, through the emulator.

The numbers a person sees are checked against the data file (itself checked
against ../shared/reference by test_hotlines_data.py).
"""

from __future__ import annotations

import datetime as dt

import discord
import pytest

from bot.emulator.model import Guild, Message, User
from bot.emulator.server import DiscordEmulator, Interaction
from bot.features.hotlines.directory import Hotline, LookupResult, Phone
from bot.features.hotlines.loader import get_directory
from bot.features.hotlines.render import Page, line_fields, render_hotline
from bot.features.hotlines.topics import CONTACTS, TOPICS
from bot.kit.cards import Limits
from bot.kit.embeds import to_embed
from bot.local import LocalBot
from tests.support.answers import ENGLISH, FINDAHELPLINE, plain, read

SHIPPED = get_directory()


def expected_numbers(result: LookupResult) -> list[str]:
    numbers = []
    for entry in (*result.emergency, *result.lines, *result.other_ways,
                  *result.crisis_by_contact):
        numbers.extend(p.number for p in entry.phones)
        numbers.extend(t.number for t in entry.texts)
    return numbers


async def all_messages(ix: Interaction, count: int) -> list[Message]:
    await ix.reply()
    await ix.wait(lambda i: len(i.messages) >= count)
    return ix.messages


async def hotline_text(
    emulator: DiscordEmulator, member: User, guild: Guild, country: str, topic: str
) -> tuple[list[Message], str]:
    pages = render_hotline(ENGLISH, SHIPPED.lookup(country, topic))
    ix = await emulator.slash(
        "hotline", user=member, guild=guild, options={"country": country, "topic": topic}
    )
    messages = await all_messages(ix, len(pages))
    assert len(messages) == len(pages)
    return messages, plain("\n".join(m.text() for m in messages))


async def test_every_shipped_country_shows_its_checked_numbers(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    countries = SHIPPED.by_country
    assert len(countries) == 63  # 31, and 32 more from hotlines-expansion.yaml (issue 14)
    for country in countries:
        for topic in ("sexual-assault", "crisis"):
            result = SHIPPED.lookup(country, topic)
            messages, text = await hotline_text(emulator, member, guild, country, topic)
            assert all(m.ephemeral for m in messages), (country, topic)
            assert result.country_name in text
            assert "If you are in danger right now" in text
            for number in expected_numbers(result):
                assert number in text, (country, topic, number)
            if result.nothing_verified:
                assert FINDAHELPLINE in text and "don't have" in text, (country, topic)
                if result.other_topics:
                    assert "/hotline topic:" in text, (country, topic)
            if result.no_emergency_verified:
                assert "don't have a checked emergency number" in text, country
                assert "112 works from mobiles" in text, country
    # The disputed England & Wales digits never reach anyone.
    _, text = await hotline_text(emulator, member, guild, "GB", "sexual-assault")
    assert "500 2222" not in text
    assert "247sexualabusesupport.org.uk" in text


async def test_the_answer_names_the_country_and_how_to_pick_another(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    _, text = await hotline_text(emulator, member, guild, "ES", "domestic-violence")
    assert "Domestic violence support in Spain" in text
    assert "/hotline country:" in text
    assert "016" in text and "call history" in text  # Spain's call-log warning
    assert "112" in text.split("016")[0]  # the emergency number comes first


async def test_ephemeral_by_default_and_visible_with_public(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    private = await (
        await emulator.slash("hotline", user=member, guild=guild, options={"country": "IE"})
    ).reply()
    assert private.ephemeral
    public = await (
        await emulator.slash(
            "hotline", user=member, guild=guild, options={"country": "IE", "public": True}
        )
    ).reply()
    assert not public.ephemeral
    assert "1800 77 88 88" in plain(public.text())


async def test_chat_and_website_are_link_buttons(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    reply = await (
        await emulator.slash("hotline", user=member, guild=guild, options={"country": "US"})
    ).reply()
    urls = {b.get("url") for b in reply.buttons()}
    assert {"https://hotline.rainn.org/online", "https://rainn.org"} <= urls
    assert all(b.get("style") == 5 for b in reply.buttons())


# --- contact: for someone who cannot speak on the phone ------------------------


async def contact_answer(
    emulator: DiscordEmulator, member: User, guild: Guild | None, **options: object
) -> tuple[Message, str]:
    reply = await (await emulator.slash("hotline", user=member, guild=guild,
                                        options=options)).reply()
    assert reply.ephemeral
    assert reply.embeds[0]["description"].startswith("**If you are in danger right now**")
    return reply, read(reply.text())


async def test_contact_text_lists_only_lines_you_can_text(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    # The United Kingdom has a crisis line you can text (Shout), and others you call.
    _, uk = await contact_answer(emulator, member, guild, country="GB", topic="crisis",
                                 contact="text")
    assert "SHOUT" in uk and "85258" in uk and "only the lines you can text" in uk
    assert "116 123" not in uk  # Samaritans: a phone line
    assert "999" in uk  # the emergency number, first, whatever the way asked for
    # No sexual assault line in the United States takes texts: it says so, shows
    # how to reach one (RAINN: call or chat), and the crisis lines you can text.
    reply, us = await contact_answer(emulator, member, guild, country="US",
                                     contact="text")
    assert "don't have a checked sexual assault line in the United States that you can " \
           "text" in us
    assert "800 656 4673" in us and "hotline.rainn.org" in us
    assert "Crisis lines you can text in the United States" in us
    assert "Text 988" in us and "Text HOME to 741741" in us
    assert "Domestic violence" in us and "contact:text" in us  # other topics you can text
    assert "https://hotline.rainn.org/online" in {b.get("url") for b in reply.buttons()}
    # Germany: no crisis line you can text at all; the ways there are, and nothing made up.
    _, de = await contact_answer(emulator, member, guild, country="DE", topic="crisis",
                                 contact="text")
    assert "don't have a checked crisis and suicide line in Germany that you can text" in de
    for number in expected_numbers(SHIPPED.lookup("DE", "crisis")):
        assert number in de
    assert "Crisis lines you can text" not in de


async def test_contact_chat_lists_only_lines_with_a_web_chat(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    reply, us = await contact_answer(emulator, member, guild, country="US",
                                     topic="sexual-assault", contact="chat")
    assert "only the lines with an online chat" in us
    assert "Chat: [hotline.rainn.org](https://hotline.rainn.org/online)" in us
    assert "https://hotline.rainn.org/online" in {b.get("url") for b in reply.buttons()}
    # No crisis line in the United Kingdom has a web chat: said, with the other ways.
    _, uk = await contact_answer(emulator, member, guild, country="GB", topic="crisis",
                                 contact="chat")
    assert "don't have a checked crisis and suicide line in the United Kingdom with an " \
           "online chat" in uk
    assert "116 123" in uk and "85258" in uk  # Samaritans by phone, Shout by text
    # Emergency services by chat: none checked anywhere; the numbers to call stay first.
    _, emergency = await contact_answer(emulator, member, guild, country="US",
                                        topic="emergency", contact="chat")
    assert "Call 911." in emergency
    assert "don't have a checked online chat for the emergency services" in emergency


async def test_a_translated_answer_names_the_topic_as_written(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    """Lower case reads well in the English sentence, but would misspell a German
    noun: a translation shows the topic's name as written, in quotes."""
    reply = await (await emulator.slash("hotline", user=member, guild=guild, locale="de",
                                        options={"country": "DE", "topic": "crisis",
                                                 "contact": "text"})).reply()
    text = read(reply.text())
    assert "„Krise und Suizid“" in text
    assert "„krise" not in text
    assert "Krisenangebote per Nachricht" not in text  # none in Germany, as in English


async def test_the_country_menu_keeps_the_way_of_contact(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    reply = await (await emulator.slash("hotline", user=member, guild=guild, locale="en-GB",
                                        options={"topic": "crisis", "contact": "text"})).reply()
    (menu,) = reply.selects()
    assert menu["custom_id"] == "hotline:pick:crisis:0:text"
    answer = plain((await (await emulator.select(reply, ["GB"], user=member)).reply()).text())
    assert "Crisis and suicide support in the United Kingdom" in answer
    assert "85258" in answer and "116 123" not in answer
    # A menu posted before the choice existed answers for every way.
    menu["custom_id"] = "hotline:pick:crisis:0"
    every = plain((await (await emulator.select(reply, ["GB"], user=member)).reply()).text())
    assert "116 123" in every and "85258" in every


@pytest.mark.parametrize(
    ("typed", "first"),
    [("united kin", "GB"), ("uk", "GB"), ("germny", "DE"), ("england", "GB"), ("usa", "US")],
)
async def test_country_autocomplete(
    emulator: DiscordEmulator,
    running: LocalBot,
    guild: Guild,
    member: User,
    typed: str,
    first: str,
) -> None:
    choices = await (
        await emulator.autocomplete("hotline", "country", typed, user=member, guild=guild)
    ).autocomplete()
    assert choices[0]["value"] == first
    assert len(choices) <= 25


async def test_country_autocomplete_limits_and_odd_input(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    for typed in ("", "a", "zzzz", "@everyone", "x" * 100):
        choices = await (
            await emulator.autocomplete("hotline", "country", typed, user=member, guild=guild)
        ).autocomplete()
        assert len(choices) <= 25, typed
    empty = await (
        await emulator.autocomplete("hotline", "country", "", user=member, guild=guild)
    ).autocomplete()
    assert len(empty) == 25
    assert {c["value"] for c in empty} <= set(SHIPPED.by_country)


async def test_no_country_answers_at_once_with_guidance_and_a_menu(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    ix = await emulator.slash("hotline", user=member, guild=guild, locale="en-GB")
    reply = await ix.reply()
    text = plain(reply.text())
    assert reply.ephemeral
    assert "If you are in danger right now" in text and FINDAHELPLINE in text
    assert "haven't guessed" in text
    # No country's lines are shown: only general emergency guidance.
    assert "0808 802 1414" not in text and "Showing" not in text
    (menu,) = reply.selects()
    values = [o["value"] for o in menu["options"]]
    assert values[0] == "GB" and len(values) <= 25
    chosen = await emulator.select(reply, ["IE"], user=member, locale="en-GB")
    answer = await chosen.reply()
    answer_text = plain(answer.text())
    assert answer.ephemeral
    assert "Ireland" in answer_text and "1800 77 88 88" in answer_text and "999" in answer_text


async def test_locale_en_us_with_no_country_set_does_not_answer_for_the_us(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    reply = await (
        await emulator.slash(
            "hotline", user=member, guild=guild, locale="en-US", options={"topic": "crisis"}
        )
    ).reply()
    text = plain(reply.text())
    for us_line in ("988", "741741", "800-656-4673", "United States"):
        assert us_line not in text
    (menu,) = reply.selects()
    assert menu["options"][0]["value"] == "US"  # suggested first, not picked
    # The topic travels with the menu.
    chosen = await emulator.select(reply, ["US"], user=member)
    answer_text = plain((await chosen.reply()).text())
    assert "Crisis and suicide support in the United States" in answer_text
    assert "988" in answer_text


async def test_an_unknown_country_gets_a_kind_answer_and_no_numbers(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    for typed in ("Atlantis", "germny", "**bold** @everyone"):
        reply = await (
            await emulator.slash("hotline", user=member, guild=guild, options={"country": typed})
        ).reply()
        text = reply.text()
        assert reply.ephemeral
        assert "couldn't find a country" in text and FINDAHELPLINE in text
        assert reply.selects()
    germny = await (
        await emulator.slash("hotline", user=member, guild=guild, options={"country": "germny"})
    ).reply()
    assert "Germany (DE)" in plain(germny.text())


async def test_community_country_then_default_country(
    emulator: DiscordEmulator, start_bot, guild: Guild, member: User
) -> None:
    local = await start_bot(env={"DEFAULT_COUNTRY": "NZ"})
    other = emulator.add_guild("Other community")
    await emulator.join_guild(other)
    await local.storage.communities.update(guild.id, country="IE")
    here = plain((await (await emulator.slash("hotline", user=member, guild=guild)).reply()).text())
    assert "Ireland" in here and "1800 77 88 88" in here
    there = plain(
        (await (await emulator.slash("hotline", user=member, guild=other)).reply()).text()
    )
    assert "New Zealand" in there and "0800 044 334" in there
    chosen = plain(
        (
            await (
                await emulator.slash("hotline", user=member, guild=guild, options={"country": "FR"})
            ).reply()
        ).text()
    )
    assert "France" in chosen and "Ireland" not in chosen


def _check_limits(page: Page) -> None:
    embed = to_embed(page.card)
    assert len(embed) <= Limits.EMBED_TOTAL
    assert len(embed.title or "") <= Limits.EMBED_TITLE
    assert len(embed.description or "") <= Limits.EMBED_DESCRIPTION
    assert len(embed.fields) <= Limits.EMBED_FIELDS
    for fld in embed.fields:
        assert 0 < len(fld.name or "") <= Limits.FIELD_NAME
        assert 0 < len(fld.value or "") <= Limits.FIELD_VALUE
    assert len(embed.footer.text or "") <= 2048
    assert len(page.links) <= Limits.BUTTONS_PER_MESSAGE
    for label, url in page.links:
        assert 0 < len(label) <= Limits.BUTTON_LABEL and url.startswith("https://")


def test_embed_limits_for_every_country_topic_and_way_of_contact() -> None:
    countries = [*SHIPPED.by_country, "UY"]
    for country in countries:
        for topic in TOPICS:
            for contact in CONTACTS:
                result = SHIPPED.lookup(country, topic, contact)
                pages = render_hotline(ENGLISH, result)
                for page in pages:
                    _check_limits(page)
                shown = plain(
                    "\n".join(
                        f"{p.card.description}\n"
                        + "\n".join(f"{f.name}\n{f.value}" for f in p.card.fields)
                        for p in pages
                    )
                )
                # Paging or splitting never drops a number, and the emergency
                # guidance always comes first.
                assert pages[0].card.description.startswith("**If you are in danger")
                for number in expected_numbers(result):
                    assert number in shown, (country, topic, contact, number)


def test_a_long_line_splits_into_continued_fields_without_cutting_numbers() -> None:
    long_note = "A long note. " * 120
    entry = Hotline(
        id="xx",
        reference_id="xx",
        country="GB",
        topics=("crisis",),
        organisation="Org",
        service="Line",
        hours="24/7",
        cost="Free",
        languages=("English",),
        checked=dt.date(2026, 11, 28),
        phones=tuple(Phone(f"0808 802 14{i:02d}") for i in range(60)),
        safety_notes=(long_note,),
        sources=("https://example.org",),
    )
    fields = line_fields(ENGLISH, entry)
    assert len(fields) > 1
    assert all(len(f.value) <= Limits.FIELD_VALUE for f in fields)
    shown = plain("\n".join(f.value for f in fields))
    assert all(f"0808 802 14{i:02d}" in shown for i in range(60))


def test_markdown_in_data_is_shown_literally() -> None:
    result = SHIPPED.lookup("MX", "domestic-violence")
    pages = render_hotline(ENGLISH, result)
    text = "\n".join(f.value or "" for p in pages for f in to_embed(p.card).fields)
    assert "\\*765" in text  # escaped, so Discord shows *765 rather than italics
    assert isinstance(to_embed(pages[0].card), discord.Embed)
