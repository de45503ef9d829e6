"""/history end to end: the real bot, through the emulator."""

from __future__ import annotations

import copy
from typing import Any

import discord
import pytest
from discord import app_commands

import bot.features.history as history_package
from bot.emulator.model import Guild, Message, User
from bot.emulator.server import DiscordEmulator
from bot.features.history import cog, loader, send_overview, text
from bot.i18n.commands import CommandTranslator
from bot.i18n.translator import Translator
from bot.kit import custom_ids
from bot.kit import text as common
from bot.local import LocalBot
from tests.support.messages import embed_text

UPDATE_MESSAGE = 7


def footer(message: Message) -> str:
    return message.embeds[0].get("footer", {}).get("text", "")


async def press(emulator: DiscordEmulator, message: Message, label: str, user: User) -> int:
    ix = await emulator.press(message, label, user=user)
    return await ix.acknowledged()


async def walk_pages(emulator: DiscordEmulator, message: Message, user: User) -> list[str]:
    """Press Next until the last page; return the text of every page seen."""
    pages = [embed_text(message)]
    while not next(b for b in message.buttons() if b["label"] == "Next").get("disabled"):
        assert await press(emulator, message, "Next", user) == UPDATE_MESSAGE
        pages.append(embed_text(message))
    return pages


def entry_names(message: Message) -> list[str]:
    return [f["name"] for embed in message.embeds for f in embed.get("fields", [])]


async def test_overview_content_note_first_then_story_then_sources(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    reply = await (await emulator.slash("history overview", user=member, guild=guild)).reply()

    assert reply.ephemeral
    assert reply.content.startswith("**Content note:**")
    story = reply.embeds[0]["description"]
    assert "Tarana Burke" in story and "2006" in story
    assert "15 October" in story and "Alyssa Milano" in story
    assert "more than 12 million posts, comments and reactions from 4.7 million people" in story
    assert "“The Silence Breakers”" in story
    fields = reply.embeds[0]["fields"]
    assert fields[0]["name"] == "Sources"
    assert "(https://metoomvmt.org/get-to-know-us/history-inception/)" in fields[0]["value"]


async def test_overview_public_is_visible_in_the_channel(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    ix = await emulator.slash(
        "history overview", user=member, guild=guild, options={"public": True}
    )
    reply = await ix.reply()
    assert not reply.ephemeral
    assert "Tarana Burke" in reply.text()


async def test_timeline_2017_pages_forward_and_back(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    ix = await emulator.slash("history timeline", user=member, guild=guild, options={"year": 2017})
    message = await ix.reply()
    assert message.ephemeral and message.content.startswith("**Content note:**")
    assert [b["label"] for b in message.buttons()] == ["Previous", "Next"]
    assert message.buttons()[0].get("disabled") is True  # nothing before page 1
    first = embed_text(message)
    assert footer(message).startswith("Page 1 of")

    names = entry_names(message)
    seen = [first]
    while not message.buttons()[1].get("disabled"):
        assert await press(emulator, message, "Next", member) == UPDATE_MESSAGE
        seen.append(embed_text(message))
        names += entry_names(message)
    everything = "\n".join(seen)
    # Every entry is dated 2017, oldest first, each exactly once.
    assert len(names) == len(set(names)) == len(loader.default().timeline(year=2017))
    assert all(name.split(" · ")[0].endswith("2017") for name in names)
    assert "15 October 2017 · Alyssa Milano's “me too” tweet" in everything
    assert "Milano" in everything
    assert "13 October 2017 · #WomenBoycottTwitter" in everything
    assert everything.index("13 October 2017") < everything.index("15 October 2017 · Alyssa")
    assert len(seen) > 1
    last = len(seen)
    assert footer(message).endswith(f"{len(loader.default().timeline(year=2017))} events")
    assert footer(message).startswith(f"Page {last} of {last}")
    assert message.buttons()[1].get("disabled") is True

    # And back again, one page at a time, to the first page exactly as it was.
    for page in range(last - 1, 0, -1):
        assert await press(emulator, message, "Previous", member) == UPDATE_MESSAGE
        assert footer(message).startswith(f"Page {page} of {last}")
        assert embed_text(message) == seen[page - 1]
    assert embed_text(message) == first


async def test_someone_else_pressing_next_is_refused_and_page_unchanged(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    other = emulator.add_user("alex")
    ix = await emulator.slash(
        "history timeline", user=member, guild=guild, options={"public": True}
    )
    message = await ix.reply()
    assert not message.ephemeral
    before = copy.deepcopy((message.embeds, message.components))

    refused = await emulator.press(message, "Next", user=other)
    answer = await refused.reply()
    assert answer.ephemeral
    assert answer.content == text.NOT_YOUR_PAGES
    assert (message.embeds, message.components) == before

    # The invoker still can.
    assert await press(emulator, message, "Next", member) == UPDATE_MESSAGE
    assert footer(message).startswith("Page 2 of")


async def test_pages_keep_working_after_a_restart(
    emulator: DiscordEmulator, start_bot, guild: Guild, member: User
) -> None:
    first = await start_bot()
    message = await (await emulator.slash("history timeline", user=member, guild=guild)).reply()
    await first.stop()
    await start_bot()
    assert await press(emulator, message, "Next", member) == UPDATE_MESSAGE
    assert footer(message).startswith("Page 2 of")


async def test_stale_page_button_expires_kindly(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    message = await (await emulator.slash("history timeline", user=member, guild=guild)).reply()
    before = copy.deepcopy(message.embeds)
    # A button from an older version of the data (its fingerprint no longer matches).
    next_button = next(b for b in message.buttons() if b["label"] == "Next")
    parts = next_button["custom_id"].split(":")
    assert parts[-2] != "000000"
    # Tagged as the bot would have tagged it then: the tag is genuine, the data old.
    old = ":".join([*parts[:-2], "000000"])
    next_button["custom_id"] = custom_ids.tagged(running.bot.tag_key, old)
    ix = await emulator.press(message, "Next", user=member)
    answer = await ix.reply()
    assert answer.ephemeral and answer.content == text.PAGES_EXPIRED
    assert message.embeds == before


async def test_a_forged_owner_is_refused_and_the_page_unchanged(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    """The owner in a page button's custom id is covered by a tag (issue 11,
    point 12): someone who rewrites it to their own id turns no page."""
    other = emulator.add_user("alex")
    message = await (await emulator.slash(
        "history timeline", user=member, guild=guild, options={"public": True})).reply()
    before = copy.deepcopy(message.embeds)
    next_button = next(b for b in message.buttons() if b["label"] == "Next")
    genuine = next_button["custom_id"]
    parts = genuine.split(":")
    assert parts[2] == str(member.id)
    forgeries = {
        "owner swapped, tag kept": ":".join([*parts[:2], str(other.id), *parts[3:]]),
        "owner swapped, no tag": ":".join([*parts[:2], str(other.id), *parts[3:8]]),
        "owner swapped, made-up tag": ":".join([*parts[:2], str(other.id), *parts[3:8], "A" * 11]),
        "the owner's own id, no tag": ":".join(parts[:8]),
    }
    for label, forged in forgeries.items():
        next_button["custom_id"] = forged
        presser = member if "own id" in label else other
        answer = await (await emulator.press(message, custom_id=forged, user=presser)).reply()
        assert answer.ephemeral and answer.content == common.BUTTON_INACTIVE, label
        assert message.embeds == before, label
    next_button["custom_id"] = genuine
    assert await press(emulator, message, "Next", member) == UPDATE_MESSAGE
    assert footer(message).startswith("Page 2 of")


async def test_year_without_events_answers_kindly(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    ix = await emulator.slash("history timeline", user=member, guild=guild, options={"year": 2000})
    reply = await ix.reply()
    assert reply.ephemeral
    assert "no events on this timeline for 2000" in reply.content
    assert "1991" in reply.content
    assert reply.embeds == [] and reply.components == []


async def test_timeline_category_filter(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    ix = await emulator.slash(
        "history timeline",
        user=member,
        guild=guild,
        options={"year": 2021, "category": "legal"},
    )
    message = await ix.reply()
    body = embed_text(message)
    assert "Law and courts, 2021" in body
    assert "30 June 2021 · Cosby's conviction vacated on procedural grounds" in body
    assert "not an acquittal on the facts" in body
    # Each outcome that can still change carries its own "as of" (R. Kelly's);
    # no single date for a whole page any more.
    assert "on all nine counts" in body and "(Outcome as of August 2025.)" in body
    assert "Legal outcomes as of" not in body
    assert "Page 1 of 1 · 2 events" in body


async def test_topic_autocomplete_tolerates_typos(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    ix = await emulator.autocomplete(
        "history topic", "name", "tarnaa burk", user=member, guild=guild
    )
    choices = await ix.autocomplete()
    assert 0 < len(choices) <= 25
    assert choices[0] == {"name": "Tarana Burke", "value": "tarana-burke"}

    empty = await (
        await emulator.autocomplete("history topic", "name", "", user=member, guild=guild)
    ).autocomplete()
    assert [c["value"] for c in empty] == [t.id for t in loader.default().topics]


async def test_topic_answer_and_unknown_topic(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    reply = await (
        await emulator.slash("history topic", user=member, guild=guild, options={"name": "origins"})
    ).reply()
    assert reply.content.startswith("**Content note:**")
    body = embed_text(reply)
    assert "Tarana Burke in 2006" in body and "“back in 2010”" in body
    assert "(https://www.eonline.com/news/887214/" in body

    unknown = await (
        await emulator.slash(
            "history topic", user=member, guild=guild, options={"name": "@everyone <zz>"}
        )
    ).reply()
    assert unknown.ephemeral and "could not find that topic" in unknown.content


async def test_accuracy_points_in_rendered_answers(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    async def topic(name: str) -> str:
        ix = await emulator.slash("history topic", user=member, guild=guild, options={"name": name})
        return embed_text(await ix.reply())

    reach = await topic("reach")
    assert "more than 12 million posts, comments and reactions from 4.7 million people" in reach
    assert "Twitter's own figure was more than 500,000 #MeToo tweets" in reach
    assert "It is not a 24-hour figure." in reach

    courts = await topic("courts")
    assert "overturned it 4–3 in April 2024" in courts
    assert "one conviction, one acquittal and a mistrial" in courts
    assert "This conviction stands" in courts  # Los Angeles
    assert "It was not an acquittal on the facts." in courts
    assert "Status as of August 2025:" in courts

    october = await topic("october-2017")
    assert "**13 October**: #WomenBoycottTwitter" in october
    assert october.index("**13 October**") < october.index("**15 October**")

    culture = await topic("culture")
    assert "TIME named **“The Silence Breakers”** its 2017 Person of the Year" in culture

    origins = await topic("Origins")
    assert "founded by survivor and activist Tarana Burke in 2006" in origins


async def test_sources_are_listed_and_paged(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    message = await (await emulator.slash("history sources", user=member, guild=guild)).reply()
    assert message.ephemeral
    seen = "\n".join(await walk_pages(emulator, message, member))
    for url in loader.default().sources():
        assert f"({url})" in seen


async def test_corrected_outcomes_and_their_as_of_dates(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    """The review of 2026-11-30 (../shared/reference/corrections.md, History)."""

    async def timeline(year: int, category: str) -> str:
        ix = await emulator.slash(
            "history timeline", user=member, guild=guild,
            options={"year": year, "category": category},
        )
        return embed_text(await ix.reply())

    korea = await timeline(2018, "international")
    # E29: the abuse-of-power conviction was quashed, then he was acquitted.
    assert "later jailed for abuse of power" not in korea
    assert "quashed that conviction on 9 January 2020" in korea
    assert "acquitted at the retrial on 29 September 2020" in korea
    assert "(Outcome as of September 2020.)" in korea
    assert korea.index("jailed in January 2019") < korea.index("quashed")

    pelicot = await timeline(2024, "international")
    # E66: not all 50 co-defendants were convicted of crimes against her.
    assert "all 50 other defendants of sexual crimes against" not in pelicot
    assert "He and 49 of them were convicted of sexual crimes against his then-wife" in pelicot
    assert "drugging and raping his own wife" in pelicot
    assert "(Outcome as of December 2024.)" in pelicot

    depardieu = await timeline(2025, "international")
    # E68: an appeal was announced, so the sentence is not presented as final.
    assert "His lawyer said he would appeal. (Outcome as of May 2025.)" in depardieu

    legal = await timeline(2025, "legal")
    # E69 keeps its own date; E70 (a law, October 2025) carries none.
    assert "(Outcome as of August 2025.)" in legal
    assert "Legal outcomes as of" not in legal


async def test_a_count_agrees_with_its_noun(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    ix = await emulator.slash(
        "history timeline", user=member, guild=guild, options={"year": 2019, "category": "media"}
    )
    body = embed_text(await ix.reply())
    assert "“She Said” is published" in body
    assert body.endswith("Page 1 of 1 · 1 event")


# ------------------------------------------------------------------ languages

def marked(*msgids: str, mark: str = "«fr»") -> dict[str, str]:
    """A stand-in catalog: each msgid "translated" as itself behind a mark."""
    return {m: f"{mark} {m}" for m in msgids}


FRENCH = {
    **marked(text.CONTENT_NOTE, text.TIMELINE_TITLE_YEAR, text.PAGE_FOOTER, text.EVENTS_OTHER,
             text.EVENT_SOURCES, text.NOT_YOUR_PAGES, text.OVERVIEW_TITLE),
    text.BUTTON_PREVIOUS: "Précédent",
    text.BUTTON_NEXT: "Suivant",
    "October": "octobre",
}


@pytest.fixture
def french(running: LocalBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bot reads FRENCH for "fr", with its own cache of pages for this test."""
    running.bot.translator = Translator({"fr": FRENCH})
    monkeypatch.setattr(cog, "_pages", {})


async def test_answers_follow_the_readers_language_and_a_public_page_keeps_its_own(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User, french: None
) -> None:

    # A private answer is in the person's language: words, month names, buttons.
    ix = await emulator.slash("history timeline", user=member, guild=guild,
                              options={"year": 2017}, locale="fr")
    mine = await ix.reply()
    assert mine.content.startswith("«fr» **Content note:**")
    assert embed_text(mine).startswith("«fr» Timeline of the Me Too movement: 2017")
    assert footer(mine).startswith("«fr» Page 1 of") and "«fr» " in footer(mine)[6:]
    assert [b["label"] for b in mine.buttons()] == ["Précédent", "Suivant"]
    pages, names = [embed_text(mine)], entry_names(mine)
    while not mine.buttons()[1].get("disabled"):
        turned = await emulator.press(mine, "Suivant", user=member, locale="fr")
        assert await turned.acknowledged() == UPDATE_MESSAGE
        assert footer(mine).startswith(f"«fr» Page {len(pages) + 1} of")
        pages.append(embed_text(mine))
        names += entry_names(mine)
    # The dates' words are translated, and the content is read from the data's own
    # French (titles, summaries).
    assert "15 octobre 2017 · Le tweet «\u00a0me too\u00a0» d'Alyssa Milano" in names
    assert not any("October" in name.split(" · ")[0] for name in names)
    assert "«fr» Sources: [" in pages[-1]
    # The same pages for someone reading English are in English (cached apart).
    english = await (await emulator.slash("history timeline", user=member, guild=guild,
                                          options={"year": 2017})).reply()
    assert "«fr»" not in english.text() and "Suivant" not in str(english.buttons())
    assert footer(english).startswith("Page 1 of")

    # A public answer is in the community's language, and so is every page turned,
    # whoever's language the person pressing reads; a refusal is the presser's.
    guild.preferred_locale = "fr"
    posted = await (await emulator.slash("history timeline", user=member, guild=guild,
                                         options={"public": True})).reply()
    assert not posted.ephemeral and footer(posted).startswith("«fr» Page 1 of")
    assert await press(emulator, posted, "Suivant", member) == UPDATE_MESSAGE
    assert footer(posted).startswith("«fr» Page 2 of")
    refused = await (await emulator.press(posted, "Suivant", user=emulator.add_user("alex"),
                                          locale="fr")).reply()
    assert refused.ephemeral and refused.content == f"«fr» {text.NOT_YOUR_PAGES}"


async def test_command_descriptions_reach_discord_through_the_translator(
    running: LocalBot,
) -> None:
    """Every description of /history (group, commands, options) is a msgid: a
    catalog's translation reaches Discord as a localization."""
    msgids = [text.GROUP_DESCRIPTION, text.OVERVIEW_DESCRIPTION, text.TIMELINE_DESCRIPTION,
              text.TOPIC_DESCRIPTION, text.SOURCES_DESCRIPTION, text.YEAR_OPTION,
              text.CATEGORY_OPTION, text.NAME_OPTION, text.PUBLIC_OPTION]
    translator = CommandTranslator(Translator({"fr": marked(*msgids)}))
    group = running.bot.tree.get_command("history")
    assert isinstance(group, app_commands.Group)
    payload = await group.get_translated_payload(running.bot.tree, translator)

    described = [payload, *payload["options"]]
    described += [o for command in payload["options"] for o in command.get("options", [])]
    assert {d["name"] for d in described} >= {
        "history", "overview", "timeline", "topic", "sources", "year", "category", "name",
        "public"}
    for item in described:
        assert item["description_localizations"] == {"fr": f"«fr» {item['description']}"}, item


class OverviewButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"test:overview"):
    """Another feature's button (the panel's "Learn more" is one) opening the overview."""

    def __init__(self) -> None:
        super().__init__(discord.ui.Button(label="Learn", custom_id="test:overview"))

    @classmethod
    async def from_custom_id(cls, interaction: Any, item: Any, match: Any, /) -> OverviewButton:
        return cls()

    async def callback(self, interaction: discord.Interaction) -> None:
        await send_overview(interaction)


async def test_another_feature_opens_the_overview_through_the_public_function(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User, french: None
) -> None:
    assert history_package.__all__ == ["send_overview"]
    running.bot.add_dynamic_items(OverviewButton)
    guild.preferred_locale = "fr"  # a public message; the answer is private, in mine
    posted = await (await emulator.slash("history sources", user=member, guild=guild,
                                         options={"public": True})).reply()
    next(b for b in posted.buttons() if b["label"] == "Suivant")["custom_id"] = "test:overview"
    reply = await (await emulator.press(posted, custom_id="test:overview", user=member)).reply()
    assert reply.ephemeral and reply.content == text.CONTENT_NOTE
    assert reply.embeds[0]["title"] == text.OVERVIEW_TITLE
    assert "Tarana Burke" in reply.text() and "2006" in reply.text()
    french = await (await emulator.press(posted, custom_id="test:overview", user=member,
                                         locale="fr")).reply()
    assert french.ephemeral and french.content.startswith("«fr» **Content note:**")


def test_the_serialised_pager_is_discord_py_s_own_for_each_owner_and_language() -> None:
    """The timeline's pager is serialised once per page and language, for a
    stand-in owner whose ids are then replaced: the bytes sent are those of
    the pager made for the asker, through discord.py."""
    from bot.i18n.catalogs import load_translator
    from bot.kit.respond import components_json

    key = bytes(range(32))
    for locale in ("en-US", "de", "pl"):
        tr = load_translator().for_locale(locale)
        for owner, page, pages in ((1, 0, 5), (987654321012345678, 2, 5), (42, 4, 5)):
            for year, category in ((None, None), (2017, None), (None, "legal")):
                made = cog.pager(tr, key, "t", owner, year, category, page, pages)
                assert cog.pager_components(tr, key, "t", owner, year, category, page,
                                            pages) == components_json(made)
