"""The history's translations: the loader keeps the data's numbers, URLs and
names in every language; a reader sees their language, along es-419 -> es-ES, or
the English with one note; the numbers and links are the English ones."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from bot.emulator.model import Guild, Message, User
from bot.emulator.server import DiscordEmulator
from bot.features.history import cog, loader, render
from bot.features.history import text as history_text
from bot.features.history.loader import DataError
from bot.kit import text as common
from bot.kit.content import CONTENT_LOCALES, ContentReader
from bot.local import LocalBot
from tests.support import languages
from tests.support.messages import embed_text
from tests.support.program import program_env, run_program
from tests.support.secrets import PROGRAM_SECRET

SHIPPED = loader.load()
NOTE = common.NOT_TRANSLATED

DOCUMENT = """
[categories]
origins = "Origins"

[category_translations.de]
origins = "Ursprünge"

[overview]
text = "Founded in 2006; see https://example.org/story."
events = ["A1"]
sources = ["https://example.org/overview"]

[overview.translations.de]
text = "Gegründet 2006; siehe https://example.org/story."

[[events]]
id = "A1"
date = "2006"
precision = "year"
category = "origins"
title = "Founded"
summary = "About 300 women founded it in 2006."
country = "United States"
people = ["Tarana Burke"]
sources = ["https://example.org/a1"]
confidence = "2+ sources agree"

[events.translations.de]
title = "Gegründet"
summary = "Etwa 300 Frauen gründeten sie 2006."

[events.translations.es-ES]
title = "Fundación"
summary = "Unas 300 mujeres la fundaron en 2006."

[[events]]
id = "A2"
date = "2017"
precision = "year"
category = "origins"
title = "Later"
summary = "Later, in 2017."
country = "United States"
people = []
sources = ["https://example.org/a2"]
confidence = "2+ sources agree"

[[topics]]
id = "t1"
name = "Topic one"
aliases = []
people = []
text = "About it."
events = ["A1", "A2"]
sources = ["https://example.org/t1"]

[topics.translations.de]
name = "Thema eins"
text = "Darüber."
"""

GERMAN_A1 = """[events.translations.de]
title = "Gegründet"
summary = "Etwa 300 Frauen gründeten sie 2006."
"""


# ------------------------------------------------------------------ the loader


def test_a_document_with_translations_parses_and_keeps_them() -> None:
    history = loader.parse(DOCUMENT)
    a1 = history.event("A1")
    assert a1 is not None and a1.translations["de"]["title"] == "Gegründet"
    assert history.overview.translations["de"]["text"].startswith("Gegründet 2006")
    assert history.category_translations["de"] == {"origins": "Ursprünge"}
    assert loader.translation_coverage(history)[CONTENT_LOCALES.index("de")] == "de 4/5"


@pytest.mark.parametrize(("translation", "expected"), [
    # A changed number, a number left out, a number added: never.
    ('summary = "Etwa 301 Frauen gründeten sie 2006."', "`summary` numbers differ"),
    ('summary = "Etwa 300 Frauen gründeten sie."', "`summary` numbers differ"),
    ('summary = "Am 1. Januar gründeten 300 Frauen sie 2006."', "`summary` numbers differ"),
    ('summary = "Etwa 300 Frauen gründeten sie 2006: https://example.org/x."', "`summary` URLs"),
    ('summary = "Etwa 300 Frauen gründeten sie 2006 {year}."', "`summary` placeholders"),
    ('summary = "Etwa 300 Frauen gründeten sie 2006 #MeToo."', "`summary` hashtags"),
    ('summary = "<@123> Etwa 300 Frauen gründeten sie 2006."', "mention syntax"),
    ('summary = "Etwa 300 Frauen gründeten sie 2006.' + " Lang." * 150 + '"',
     "characters (at most 700)"),
    ('summary = ""', "`summary` must be a non-empty string"),
    ('country = "Vereinigte Staaten"', "`country` is not a translated field"),
])
def test_the_loader_refuses_a_translation_that_changes_the_data(
    translation: str, expected: str
) -> None:
    broken = DOCUMENT.replace(GERMAN_A1, f"[events.translations.de]\n{translation}\n", 1)
    assert broken != DOCUMENT
    with pytest.raises(DataError) as caught:
        loader.parse(broken)
    assert any(p.startswith("event A1 (de): ") and expected in p
               for p in caught.value.problems), caught.value.problems


@pytest.mark.parametrize("locale", ["en-US", "en-GB", "es", "pt-PT", "klingon"])
def test_the_loader_refuses_an_unknown_language(locale: str) -> None:
    broken = DOCUMENT.replace("[events.translations.es-ES]", f'[events.translations."{locale}"]')
    with pytest.raises(DataError, match=f"event A1: translations: unknown language '{locale}'"):
        loader.parse(broken)


def test_the_loader_checks_topics_the_overview_and_categories_too() -> None:
    broken = (DOCUMENT
              .replace('name = "Thema eins"', 'name = "Thema 1"')
              .replace("siehe https://example.org/story", "siehe https://example.org/other")
              .replace('origins = "Ursprünge"', 'origins = "Ursprünge seit 2006"'))
    with pytest.raises(DataError) as caught:
        loader.parse(broken)
    problems = caught.value.problems
    assert any(p.startswith("topic t1 (de): `name` numbers differ") for p in problems)
    assert any(p.startswith("[overview] (de): `text` URLs differ") for p in problems)
    assert any(p.startswith("[category_translations] (de): `origins` numbers") for p in problems)


def test_a_translation_too_long_for_discord_is_refused_with_its_language() -> None:
    """Each field within its limit can still make a timeline entry too long: the
    loader renders every answer in every language of the data."""
    sources = ", ".join(f'"https://example.org/{c * 150}"' for c in "abc")
    wordy = DOCUMENT.replace('sources = ["https://example.org/a1"]', f"sources = [{sources}]")
    wordy = wordy.replace('summary = "Etwa 300 Frauen gründeten sie 2006."',
                          f'summary = "Etwa 300 Frauen gründeten sie 2006.{" Lang." * 100}"')
    with pytest.raises(DataError, match="in de: event A1: too long for one timeline entry"):
        loader.parse(wordy)


def test_check_refuses_the_shipped_file_with_a_broken_translation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = loader.DATA_PATH.read_text(encoding="utf-8")
    english = "He was confirmed by 52 votes to 48."
    spanish = "Thomas fue confirmado por 52 votos contra 48."
    assert english in shipped and spanish in shipped
    broken = tmp_path / "history.toml"
    broken.write_text(shipped.replace(spanish, "Thomas fue confirmado por 53 votos contra 48."))
    monkeypatch.setattr(loader, "DATA_PATH", broken)
    with pytest.raises(DataError, match=r"event E01 \(es-ES\): `summary` numbers differ"):
        loader.check(date(2026, 11, 30))


def test_python_m_bot_check_prints_each_languages_coverage(tmp_path: Path) -> None:
    result = run_program(["check"], tmp_path,
                         program_env(DISCORD_TOKEN="tok", ACK_SECRET=PROGRAM_SECRET))
    assert result.returncode == 0, result.stderr
    coverage = ", ".join(loader.translation_coverage(SHIPPED))
    assert f"data history translations: {coverage}" in result.stdout.splitlines()
    total = 1 + len(SHIPPED.topics) + len(SHIPPED.events) + len(SHIPPED.categories)
    assert re.fullmatch(", ".join(f"{locale} \\d+/{total}" for locale in CONTENT_LOCALES),
                        coverage)


# ------------------------------------------------------------------ the layout


def test_a_missing_translation_shows_the_english_and_one_note_per_card() -> None:
    history = loader.parse(DOCUMENT)
    spanish = languages.reader("es-ES")
    [page] = render.timeline_pages(spanish, history)
    names = [f.name for f in page.fields]
    assert names == ["2006 · Fundación", "2017 · Later"]  # A2 has no Spanish: English
    assert page.footer.count(NOTE) == 1 and page.footer.endswith(f" · {NOTE}")
    overview = render.overview_card(spanish, history)
    assert overview.description == history.overview.text and overview.footer == NOTE
    german = languages.reader("de")
    card = render.topic_card(german, history, history.topics[0])
    assert (card.title, card.description) == ("Thema eins", "Darüber.")
    assert "Gegründet" in card.fields[0].value and "Later" in card.fields[0].value
    assert card.footer == NOTE  # the topic's own words are German, one event is not
    assert render.overview_card(german, history).footer == ""
    assert render.timeline_title(german, history, None, "origins").endswith(": Ursprünge")
    english = languages.reader("en-GB")
    assert NOTE not in render.timeline_pages(english, history)[0].footer


# ------------------------------------------------------------------ end to end


@pytest.fixture
def shipped_languages(running: LocalBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bot reads every shipped language (the bot's own words still English),
    with its own cache of pages for this test."""
    running.bot.translator = languages.translator(
        {"nl": {NOTE: "Nog niet vertaald: in het Engels getoond."}})
    monkeypatch.setattr(cog, "_pages", {})


async def ask(emulator: DiscordEmulator, guild: Guild, member: User, command: str,
              locale: str, **options: object) -> Message:
    ix = await emulator.slash(command, user=member, guild=guild, options=dict(options),
                              locale=locale)
    return await ix.reply()


@pytest.mark.parametrize("locale", CONTENT_LOCALES)
async def test_history_in_each_language_with_the_english_numbers_and_links(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User,
    shipped_languages: None, locale: str,
) -> None:
    read = ContentReader(locale)
    english = await ask(emulator, guild, member, "history overview", "en-US")
    mine = await ask(emulator, guild, member, "history overview", locale)
    shown = mine.embeds[0]["description"]
    assert shown == read(SHIPPED.overview.text, SHIPPED.overview.translations, "text")
    assert shown != SHIPPED.overview.text and "Tarana Burke" in shown
    assert languages.digit_runs(embed_text(mine)) == languages.digit_runs(embed_text(english))
    assert languages.urls(embed_text(mine)) == languages.urls(embed_text(english))
    assert NOTE not in embed_text(mine)

    english = await ask(emulator, guild, member, "history timeline", "en-US", year=2017)
    mine = await ask(emulator, guild, member, "history timeline", locale, year=2017)
    events = SHIPPED.timeline(2017)[: len(mine.embeds[0]["fields"])]
    for event, field in zip(events, mine.embeds[0]["fields"], strict=True):
        assert field["name"].endswith(f" · {read(event.title, event.translations, 'title')}")
        assert read(event.summary, event.translations, "summary") in field["value"]
        assert event.summary not in field["value"]
    assert languages.digit_runs(embed_text(mine)) == languages.digit_runs(embed_text(english))
    assert languages.urls(embed_text(mine)) == languages.urls(embed_text(english))
    assert NOTE not in embed_text(mine) and not read.missing


async def test_latin_american_spanish_falls_back_to_spains_where_it_has_no_words(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User,
    shipped_languages: None,
) -> None:
    message = await ask(emulator, guild, member, "history timeline", "es-419", year=2017)
    names, texts = [f["name"] for f in message.embeds[0]["fields"]], [embed_text(message)]
    label = languages.translator().for_locale("es-419")(history_text.BUTTON_NEXT)  # in Spanish
    assert label != history_text.BUTTON_NEXT
    while not next(b for b in message.buttons() if b["label"] == label).get("disabled"):
        # A page turned is the same message, redrawn.
        await (await emulator.press(message, label, user=member, locale="es-419")).acknowledged()
        names += [f["name"] for f in message.embeds[0]["fields"]]
        texts.append(embed_text(message))
    text = "\n".join(texts)
    # Its own word where Latin American usage differs ...
    assert any(n.endswith("· Marcha de sobrevivientes #MeToo en Los Ángeles") for n in names)
    assert "supervivientes" not in text
    # ... and Spain's elsewhere, which is not "missing": no note.
    assert any(n.endswith("· El tuit «me too» de Alyssa Milano") for n in names)
    assert NOTE not in text
    spain = await ask(emulator, guild, member, "history topic", "es-ES", name="origins")
    assert spain.embeds[0]["description"].startswith("La superviviente y activista")
    mexico = await ask(emulator, guild, member, "history topic", "es-419", name="origins")
    assert mexico.embeds[0]["description"].startswith("La sobreviviente y activista")
    assert mexico.embeds[0]["title"] == "Orígenes de «me too.»"  # Spain's, no note
    assert "footer" not in mexico.embeds[0]


async def test_a_language_without_translations_shows_english_with_the_note_in_its_words(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User,
    shipped_languages: None,
) -> None:
    dutch = "Nog niet vertaald: in het Engels getoond."
    overview = await ask(emulator, guild, member, "history overview", "nl")
    assert overview.embeds[0]["description"] == SHIPPED.overview.text
    assert overview.embeds[0]["footer"]["text"] == dutch
    timeline = await ask(emulator, guild, member, "history timeline", "nl", year=2017)
    assert embed_text(timeline).count(dutch) == 1
    assert timeline.embeds[0]["footer"]["text"].endswith(f" · {dutch}")
    english = await ask(emulator, guild, member, "history timeline", "en-GB", year=2017)
    assert dutch not in embed_text(english) and NOTE not in embed_text(english)


async def test_a_topic_is_found_and_suggested_by_its_name_in_the_readers_language(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User,
    shipped_languages: None,
) -> None:
    choices = await (await emulator.autocomplete(
        "history topic", "name", "Ursprünge", user=member, guild=guild, locale="de",
    )).autocomplete()
    assert choices[0] == {"name": "Ursprünge von „me too.“", "value": "origins"}
    found = await ask(emulator, guild, member, "history topic", "de", name="Ursprünge")
    assert found.embeds[0]["title"] == "Ursprünge von „me too.“"
    # The English name still finds it, in the reader's language.
    found = await ask(emulator, guild, member, "history topic", "de", name="Origins of “me too.”")
    assert found.embeds[0]["title"] == "Ursprünge von „me too.“"
