"""Issue 10, points 1-3, 5 and part of 9, end to end for /hotline: the real bot
through the emulator, as a new member would meet it.

Emergency guidance first, always: every /hotline, panel "Find support" and
country-menu answer begins with how to get emergency help, whatever was typed.
"""

from __future__ import annotations

import re

import pytest

from bot.emulator.model import ADMIN_PERMISSIONS, Guild, Message, User
from bot.emulator.server import DiscordEmulator
from bot.features.hotlines.loader import get_directory
from bot.features.hotlines.topics import TOPICS
from bot.local import LocalBot
from tests.support.answers import (
    DANGER,
    GENERAL,
    WALES_FLAG,
    hotline_pages,
    opening,
    pages_of,
    plain,
    read,
)


async def hotline(
    emulator: DiscordEmulator, member: User, guild: Guild | None, **options: object
) -> Message:
    ix = await emulator.slash("hotline", user=member, guild=guild, options=options)
    return await ix.reply()


# ---------------------------------------------------------------- point 1


@pytest.mark.parametrize(
    "typed",
    ["germny", "xx", "\U0001f1fd\U0001f1fd", "somewhere near the sea", "!!!", "@everyone"],
)
async def test_a_country_the_bot_cannot_find_still_gets_emergency_guidance_first(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User, typed: str
) -> None:
    reply = await hotline(emulator, member, guild, country=typed)
    assert reply.ephemeral
    assert opening(reply).startswith(DANGER + GENERAL)
    assert "findahelpline.com" in opening(reply)
    assert "couldn't find" in reply.text()
    assert reply.selects()  # and a way to pick the country


@pytest.mark.parametrize(("code", "name"), [
    ("UY", "Uruguay"), ("VE", "Venezuela"), ("RS", "Serbia"),
    ("CN", "China"),  # has lines, but no checked emergency number
])
async def test_a_country_without_a_checked_emergency_number_gets_the_general_line(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User, code: str,
    name: str,
) -> None:
    for topic in ("sexual-assault", "emergency", "crisis"):
        reply = await hotline(emulator, member, guild, country=code, topic=topic)
        assert opening(reply).startswith(
            f"{DANGER}We don't have a checked emergency number for {name} yet. {GENERAL}"
        ), (code, topic)
        assert "findahelpline.com" in opening(reply)


async def test_panel_find_support_and_the_country_menu_start_with_emergency_help(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User, admin: User
) -> None:
    general = guild.channel("general")
    await (await emulator.slash("config panel", user=admin, guild=guild,
                                options={"channel": general},
                                permissions=ADMIN_PERMISSIONS)).reply()
    [panel] = emulator.channel_messages(general)
    # No country set: general guidance, then the country menu.
    support = await (await emulator.press(panel, "Find support", user=member)).reply()
    assert support.ephemeral and opening(support).startswith(DANGER + GENERAL)
    chosen = await (await emulator.select(support, ["CN"], user=member)).reply()
    assert opening(chosen).startswith(
        f"{DANGER}We don't have a checked emergency number for China yet. {GENERAL}"
    )
    chosen = await (await emulator.select(support, ["AU"], user=member)).reply()
    assert read(opening(chosen)).startswith("If you are in danger right now\nCall 000")
    # A country set: its number first.
    await running.storage.communities.update(guild.id, country="IE")
    support = await (await emulator.press(panel, "Find support", user=member)).reply()
    assert read(opening(support)).startswith("If you are in danger right now\nCall 112")


async def test_the_public_find_support_answers_as_the_panel_needs(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User, admin: User
) -> None:
    """`bot.features.hotlines.send_community_hotlines`, the function the panel's
    button calls, pressed through a real panel (a stand-in cog hands over to it)."""
    import discord
    from discord.ext import commands

    from bot.features.hotlines import send_community_hotlines

    class Hotlines(commands.Cog):
        async def send_community_hotlines(self, interaction: discord.Interaction) -> None:
            await send_community_hotlines(interaction)

    await running.bot.add_cog(Hotlines(), override=True)
    general = guild.channel("general")
    await (await emulator.slash("config panel", user=admin, guild=guild,
                                options={"channel": general},
                                permissions=ADMIN_PERMISSIONS)).reply()
    [panel] = emulator.channel_messages(general)
    support = await (await emulator.press(panel, "Find support", user=member)).reply()
    assert support.ephemeral and opening(support).startswith(DANGER + GENERAL)
    assert support.selects()
    await running.storage.communities.update(guild.id, country="IE")
    support = await (await emulator.press(panel, "Find support", user=member)).reply()
    assert support.ephemeral and "1800 77 88 88" in plain(support.text())
    assert read(opening(support)).startswith("If you are in danger right now\nCall 112")


# ---------------------------------------------------------------- point 3


async def test_flags_resolve_to_their_country(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User, admin: User
) -> None:
    germany = plain((await hotline(emulator, member, guild, country="\U0001f1e9\U0001f1ea")).text())
    assert "Sexual assault support in Germany" in germany and "116 016" in germany
    wales = plain((await hotline(emulator, member, guild, country=WALES_FLAG,
                                 topic="domestic-violence")).text())
    assert "in the United Kingdom" in wales and "0808 80 10 800" in wales
    choices = await (await emulator.autocomplete(
        "hotline", "country", "\U0001f1ef\U0001f1f5", user=member, guild=guild)).autocomplete()
    assert [c["value"] for c in choices] == ["JP"]


@pytest.mark.parametrize(("typed", "wanted", "unwanted"), [
    ("usa", ["US"], {"BY", "LC", "CY"}),
    ("germny", ["DE"], {"GG"}),
    ("austria", ["AT"], {"AU", "US"}),
])
async def test_country_suggestions_are_few_and_good(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User,
    typed: str, wanted: list[str], unwanted: set[str],
) -> None:
    for command, option, permissions in (("hotline", "country", None),
                                         ("config country", "code", ADMIN_PERMISSIONS)):
        choices = await (await emulator.autocomplete(
            command, option, typed, user=member, guild=guild, permissions=permissions,
        )).autocomplete()
        values = [c["value"] for c in choices]
        assert values[: len(wanted)] == wanted, (command, values)
        assert not unwanted & set(values), (command, values)


async def test_typed_text_is_never_repeated_publicly_and_privately_only_cleaned(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    hostile = "\u202e@everyone <@123> germny https://evil.example/x www.evil.example \u200b*x*"
    public = await hotline(emulator, member, guild, country=hostile, public=True)
    assert public.ephemeral  # an unknown country is answered privately, even with public
    assert emulator.channel_messages(guild.channel()) == []
    shown = public.text()
    assert "germny" in shown
    for leaked in ("@everyone", "<@123>", "evil.example", "https://evil", "\u202e", "\u200b"):
        assert leaked not in shown, leaked
    assert "\\*x\\*" in shown  # markdown shown as typed, not formatted
    nothing_left = await hotline(emulator, member, guild, country="@here https://a.example")
    assert "couldn't find that country" in nothing_left.text()


# ---------------------------------------------------------------- point 9


async def test_the_united_kingdom_and_one_way_to_write_a_number(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    text = plain((await hotline(emulator, member, guild, country="GB")).text())
    assert "Sexual assault support in the United Kingdom" in text
    assert "Showing the United Kingdom." in text
    netherlands = plain((await hotline(emulator, member, guild, country="NL")).text())
    assert "support in the Netherlands" in netherlands
    # Every number shown: digit groups and spaces only (US numbers had hyphens,
    # Argentina's brackets, Japan's hyphens).
    for country, topic in (("US", "sexual-assault"), ("AR", "crisis"), ("JP", "domestic-violence")):
        ix = await emulator.slash("hotline", user=member, guild=guild,
                                  options={"country": country, "topic": topic})
        await ix.reply()
        pages = pages_of(country, topic)
        await ix.wait(lambda i, n=pages: len(i.messages) >= n)
        numbers = [n for m in ix.messages for n in BOLD.findall(plain(m.text()))]
        assert numbers and all(WRITTEN.fullmatch(n) for n in numbers), (country, numbers)
    assert "800 656 4673" in plain((await hotline(emulator, member, guild, country="US")).text())


def test_every_number_in_every_answer_is_written_one_way() -> None:
    for country in [*get_directory().by_country, "UY"]:
        for topic in TOPICS:
            for page in hotline_pages(country, topic):
                shown = "\n".join([page.card.description]
                                  + [f.value for f in page.card.fields])
                for number in BOLD.findall(plain(shown)):
                    assert WRITTEN.fullmatch(number), (country, topic, number)


BOLD = re.compile(r"\*\*([^*]*\d[^*]*)\*\*")
WRITTEN = re.compile(r"(\+|[*#])?\d+( \d+)*")


# ---------------------------------------------------------------- point 5


async def answer_text(
    emulator: DiscordEmulator, member: User, guild: Guild, country: str, topic: str
) -> str:
    ix = await emulator.slash("hotline", user=member, guild=guild,
                              options={"country": country, "topic": topic})
    await ix.reply()
    pages = pages_of(country, topic)
    await ix.wait(lambda i: len(i.messages) >= pages)
    return read("\n".join(m.text() for m in ix.messages))


async def test_the_corrections_of_2026_11_30_reach_people(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    """Each item of ../shared/reference/corrections.md, as a person reads it."""
    za = await answer_text(emulator, member, guild, "ZA", "sexual-assault")
    assert "0800 428 428" in za and "31531" not in za and "stopped working in October 2022" in za
    wales = await answer_text(emulator, member, guild, "GB", "domestic-violence")
    assert "Live Fear Free" in wales and "Region: Wales" in wales
    assert "0808 80 10 800" in wales and "Text 07860 077333" in wales
    england = await answer_text(emulator, member, guild, "GB", "sexual-assault")
    first_line = england.split("start typing its name.\n")[1]
    assert first_line.startswith("24/7 Rape & Sexual Abuse Support Line (England & Wales)")
    assert "Hours: 24/7: call or chat online" in first_line.split("Live Fear Free")[0]
    assert "247sexualabusesupport.org.uk" in england
    assert "Samaritans are free on 116 123" in england
    argentina = await answer_text(emulator, member, guild, "AR", "emergency")
    assert "call 101 for the police and 107 for an ambulance" in argentina
    japan = await answer_text(emulator, member, guild, "JP", "sexual-assault")
    assert "#8891" in japan and "0120 8891 77" in japan and "Cost: Free" in japan
    lagos = await answer_text(emulator, member, guild, "NG", "sexual-assault")
    assert "Lagos State Domestic and Sexual Violence Response Team" in lagos
    assert "dsvrtlagos.org" in lagos and "0813" not in lagos and "0906" not in lagos
    norway = await answer_text(emulator, member, guild, "NO", "domestic-violence")
    assert "For adults aged 18 or over" in norway
    korea = await answer_text(emulator, member, guild, "KR", "domestic-violence")
    assert "Dial 1366, or the area code and then 1366" in korea


async def test_no_internal_note_is_shown_as_a_source(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    for country, topic in (("ZA", "sexual-assault"), ("BR", "crisis"), ("GB", "crisis"),
                           ("US", "domestic-violence")):
        shown = (await answer_text(emulator, member, guild, country, topic)).casefold()
        for note in ("stored page", "github", "index id", "ditikeni", "docslib"):
            assert note not in shown, (country, note)
    # The organisation's own or a government page is the one linked.
    scotland = await answer_text(emulator, member, guild, "GB", "sexual-assault")
    assert "Source: [ercc.scot]" in scotland and "docslib" not in scotland
    assert "Source: [psni.police.uk]" in scotland  # Northern Ireland's helpline
    brazil = await answer_text(emulator, member, guild, "BR", "sexual-assault")
    assert "Source: gov.br, em.com.br" in brazil


def test_no_answer_shows_an_internal_note() -> None:
    for country in get_directory().by_country:
        for topic in TOPICS:
            for page in hotline_pages(country, topic):
                shown = "\n".join([page.card.description]
                                  + [f.value for f in page.card.fields]).casefold()
                for note in ("stored page", "github", "index id", "wikipedia-derived"):
                    assert note not in shown, (country, topic, note)
