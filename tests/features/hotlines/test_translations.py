"""The hotline directory's translations: only the prose is translated, never a
number, URL or name; a reader sees their language (es-419 -> es-ES) or the
English with one note; every answer keeps the English numbers and links."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from bot.emulator.model import Guild, Message, User
from bot.emulator.server import DiscordEmulator
from bot.features.hotlines import cog, directory_lines, emergency_text
from bot.features.hotlines import loader as hotline_loader
from bot.features.hotlines.directory import HotlineDirectory, label_key
from bot.features.hotlines.loader import DataError, get_directory, parse_directory
from bot.features.hotlines.render import country_lines, render_hotline
from bot.features.hotlines.topics import TOPICS
from bot.kit import text as common
from bot.kit.cards import Card, Limits
from bot.kit.content import CONTENT_LOCALES, ContentReader
from bot.local import LocalBot
from tests.support import languages
from tests.support.answers import ENGLISH, plain
from tests.support.program import program_env, run_program
from tests.support.secrets import PROGRAM_SECRET

SHIPPED = get_directory()
NOTE = common.NOT_TRANSLATED
TODAY = dt.date(2026, 11, 30)

ENTRY = """schema = 1

[[hotline]]
id = "gb-line"
reference_id = "gb-line"
country = "GB"
topics = ["sexual-assault"]
organisation = "Example organisation"
service = "Example line"
website = "https://example.org"
hours = "24/7"
cost = "Free"
languages = ["English", "Welsh"]
notes = ["Call 999 if you are in danger.", "Chat at https://example.org/chat."]
sources = ["https://example.org/source"]
checked = 2026-11-01
[[hotline.phone]]
number = "0808 802 1414"
label = "Wales"
"""

GERMAN = """
[hotline.translations.de]
notes = ["Bei Gefahr die 999 anrufen.", "Chat unter https://example.org/chat."]
labels = { Wales = "Wales (walisisch)" }

[phrases.de]
"24/7" = "24/7"
"Free" = "Kostenlos"
"English" = "Englisch"
"""


def load(text: str) -> HotlineDirectory:
    return parse_directory(text, today=TODAY)


def refused(text: str) -> DataError:
    with pytest.raises(DataError) as caught:
        load(text)
    return caught.value


# ------------------------------------------------------------------ the loader


def test_translations_and_phrases_load_next_to_the_english() -> None:
    (entry,) = load(ENTRY + GERMAN).hotlines
    german = entry.translations["de"]
    assert german["notes.0"] == "Bei Gefahr die 999 anrufen."
    assert german[label_key("Wales")] == "Wales (walisisch)"
    assert german["hours"] == "24/7" and german["cost"] == "Kostenlos"  # from the phrases
    assert "languages.1" not in german  # "Welsh" has no German phrase: English, with a note
    assert hotline_loader.translation_coverage(load(ENTRY + GERMAN))[4] == "de 0/1"


@pytest.mark.parametrize(("old", "new", "problem"), [
    ("die 999 anrufen", "die 112 anrufen", "numbers differ from the English"),
    ("https://example.org/chat.", "https://example.com/chat.", "URLs differ from the English"),
    ("die 999 anrufen", "die 999 {number} anrufen", "placeholders differ from the English"),
    ("die 999 anrufen", "@everyone die 999 anrufen", "mention syntax"),
    ('"Chat unter https://example.org/chat."]', '"Chat: https://example.org/chat."' + ", \"x\"]",
     "must be a list of 2 texts"),
    ("Wales = ", "Scotland = ", "which the entry does not have in English"),
    ("[hotline.translations.de]", '[hotline.translations."en-GB"]', "unknown language 'en-GB'"),
    ("[hotline.translations.de]", '[hotline.translations."pt-PT"]', "unknown language 'pt-PT'"),
    ("labels = {", 'organisation = "Beispiel"\nlabels = {', "is not a translated field"),
    ("labels = {", 'service = "Beispiel 112"\nlabels = {', "numbers differ from the English"),
    ('"Free" = "Kostenlos"', '"Free" = "Kostenlos ab 2027"', "numbers differ"),
    ('"Free" = "Kostenlos"', '"Fre" = "Kostenlos"', "is the English of no field"),
    ('"Free" = "Kostenlos"', '"Free" = "' + "Kostenlos " * 30 + '"', "(at most 200)"),
    ("[phrases.de]", "[phrases.xx]", "unknown language 'xx'"),
])
def test_the_loader_refuses_a_translation_that_changes_the_data(
    old: str, new: str, problem: str
) -> None:
    broken = (ENTRY + GERMAN).replace(old, new, 1)
    assert broken != ENTRY + GERMAN
    assert problem in str(refused(broken))


SHOUT = ENTRY.replace('service = "Example line"', 'service = "Shout 85258 text service"')


def test_a_service_heading_is_translated_prose_with_the_english_digits() -> None:
    german = '[hotline.translations.de]\nservice = "Shout 85258, Hilfe per SMS"\n'
    (entry,) = load(SHOUT + german).hotlines
    assert entry.translations["de"]["service"] == "Shout 85258, Hilfe per SMS"
    # As a phrase too, for a heading many entries share ("112", "Childline").
    (entry,) = load(SHOUT + '[phrases.pl]\n"Shout 85258 text service" = '
                    '"Shout 85258, wsparcie przez SMS"\n').hotlines
    assert entry.translations["pl"]["service"] == "Shout 85258, wsparcie przez SMS"
    for wrong in ("Shout 85259, Hilfe per SMS", "Shout, Hilfe per SMS",
                  "Shout 85258, Hilfe per SMS an https://example.org"):
        problem = str(refused(SHOUT + german.replace("Shout 85258, Hilfe per SMS", wrong)))
        assert "translations.de.service" in problem and "differ from the English" in problem
    problem = str(refused(SHOUT + german.replace("Hilfe per SMS", "Hilfe " * 30)))
    assert "(at most 150)" in problem


def test_coverage_counts_the_service_heading() -> None:
    welsh = '"Welsh" = "Walisisch"\n'
    without = load(ENTRY + GERMAN + welsh)
    assert "service" not in without.hotlines[0].translations["de"]
    assert hotline_loader.translation_coverage(without)[4] == "de 0/1"
    name = '"Example line" = "Example line"\n'  # a name: its translation is itself
    assert hotline_loader.translation_coverage(load(ENTRY + GERMAN + welsh + name))[4] == "de 1/1"


def test_check_refuses_the_shipped_file_with_a_broken_translation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = hotline_loader.DATA_PATH.read_text(encoding="utf-8")
    french = "Le 114 est le numéro d'urgence pour les personnes sourdes"
    assert shipped.count(french) == 1
    broken = tmp_path / "hotlines.toml"
    broken.write_text(shipped.replace(french, french.replace("114", "115")), encoding="utf-8")
    monkeypatch.setattr(hotline_loader, "DATA_PATH", broken)
    with pytest.raises(DataError, match=r"fr-emergency.*translations\.fr\.notes.*numbers differ"):
        hotline_loader.check(TODAY)


def test_python_m_bot_check_prints_each_languages_coverage(tmp_path: Path) -> None:
    result = run_program(["check"], tmp_path,
                         program_env(DISCORD_TOKEN="tok", ACK_SECRET=PROGRAM_SECRET))
    assert result.returncode == 0, result.stderr
    coverage = ", ".join(hotline_loader.translation_coverage(SHIPPED))
    assert f"data hotlines translations: {coverage}" in result.stdout.splitlines()
    total = len(SHIPPED.hotlines) + len(SHIPPED.directories)
    assert re.fullmatch(", ".join(f"{locale} \\d+/{total}" for locale in CONTENT_LOCALES),
                        coverage)


# ------------------------------------------------------------------ the layout


def test_every_answer_fits_in_every_language_and_keeps_every_number() -> None:
    for locale in CONTENT_LOCALES:
        tr = languages.reader(locale)
        for country in SHIPPED.by_country:
            for topic in TOPICS:
                result = SHIPPED.lookup(country, topic)
                pages = render_hotline(tr, result)
                english = render_hotline(ENGLISH, result)
                for page in pages:
                    assert page.card.fits(), (locale, country, topic, page.card.problems())
                    assert all(0 < len(label) <= Limits.BUTTON_LABEL for label, _ in page.links)
                shown = "\n".join(_card_text(p.card) for p in pages)
                numbers = [p.number for e in (*result.emergency, *result.lines) for p in e.phones]
                assert all(n in plain(shown) for n in numbers), (locale, country, topic)
                assert languages.digit_runs(shown) == languages.digit_runs(
                    "\n".join(_card_text(p.card) for p in english)), (locale, country, topic)
                assert [p.links for p in pages] == [p.links for p in english]


def _card_text(card: Card) -> str:
    fields = "\n".join(f"{f.name}\n{f.value}" for f in card.fields)
    return f"{card.title}\n{card.description}\n{fields}\n{card.footer}"


def test_a_missing_translation_shows_the_english_and_one_note_on_its_page() -> None:
    directory = load(ENTRY + GERMAN)
    result = directory.lookup("GB", "sexual-assault")
    [page] = render_hotline(languages.reader("de"), result)
    value = page.card.fields[0].value
    assert "Bei Gefahr die 999 anrufen." in value and "Call 999" not in value
    assert "Englisch, Welsh" in value  # one language has no German: English
    assert page.card.footer.startswith(f"{NOTE}\n") and page.card.footer.count(NOTE) == 1
    [spanish] = render_hotline(languages.reader("es-ES"), result)
    assert "Call 999 if you are in danger." in spanish.card.fields[0].value
    assert spanish.card.footer.count(NOTE) == 1
    [english] = render_hotline(ENGLISH, result)
    assert NOTE not in english.card.footer
    lines = country_lines(languages.reader("es-ES"), "GB", directory.hotlines)
    assert lines[-1] == f"*{NOTE}*" and "(Wales)" in lines[0]


def test_emergency_guidance_and_directories_are_translated_for_other_features() -> None:
    french = languages.reader("fr")
    text = emergency_text(french, "FR")
    assert "(Urgences médicales)" in text and "(Medical)" not in text
    assert "Le 114 est le numéro d'urgence" in text and NOTE not in text
    assert languages.digit_runs(text) == languages.digit_runs(emergency_text(ENGLISH, "FR"))
    lines = directory_lines(languages.reader("pl"))
    assert any("Bezpłatny katalog telefonów wsparcia w 130 krajach" in line for line in lines)
    assert languages.urls("\n".join(lines)) == languages.urls("\n".join(directory_lines(ENGLISH)))
    dutch = emergency_text(languages.reader("nl"), "FR")
    assert "(Medical)" in dutch and dutch.endswith(f"\n*{NOTE}*")


# ------------------------------------------------------------------ end to end

COUNTRY = {"es-ES": "ES", "es-419": "AR", "pt-BR": "BR", "fr": "FR", "de": "DE", "it": "IT",
           "pl": "PL"}


@pytest.fixture
def shipped_languages(running: LocalBot, monkeypatch: pytest.MonkeyPatch) -> None:
    running.bot.translator = languages.translator(
        {"nl": {NOTE: "Nog niet vertaald: in het Engels getoond."}})
    monkeypatch.setattr(cog, "_PAGES", {})


async def answer(emulator: DiscordEmulator, guild: Guild, member: User, locale: str,
                 country: str, topic: str) -> list[Message]:
    count = len(render_hotline(ENGLISH, SHIPPED.lookup(country, topic)))
    ix = await emulator.slash("hotline", user=member, guild=guild, locale=locale,
                              options={"country": country, "topic": topic})
    await ix.reply()
    await ix.wait(lambda i: len(i.messages) >= count)
    return ix.messages


def seen(messages: list[Message]) -> str:
    return "\n".join(m.text() for m in messages)


def links(messages: list[Message]) -> list[tuple[str, str]]:
    return [(b.get("label", ""), b.get("url", "")) for m in messages for b in m.buttons()]


@pytest.mark.parametrize("locale", CONTENT_LOCALES)
async def test_hotline_in_each_language_with_the_english_numbers_and_links(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User,
    shipped_languages: None, locale: str,
) -> None:
    country = COUNTRY[locale]
    for topic in ("sexual-assault", "domestic-violence", "crisis"):
        result = SHIPPED.lookup(country, topic)
        english = await answer(emulator, guild, member, "en-US", country, topic)
        mine = await answer(emulator, guild, member, locale, country, topic)
        text = plain(seen(mine))
        read = ContentReader(locale)
        for entry in result.lines:
            assert read(entry.cost, entry.translations, "cost") in text, (entry.id, topic)
            for i, note in enumerate(entry.notes):
                translated = read(note, entry.translations, f"notes.{i}")
                assert translated in text and (translated == note or note not in text)
        assert not read.missing and NOTE not in text
        for entry in (*result.emergency, *result.lines):
            assert all(p.number in text for p in entry.phones), (entry.id, topic)
        assert languages.digit_runs(text) == languages.digit_runs(plain(seen(english)))
        assert languages.urls(text) == languages.urls(plain(seen(english)))
        assert links(mine) == links(english)
    # The prose of this language's country is really translated, not English.
    lines = SHIPPED.core_lines(country)
    assert any(ContentReader(locale)(e.cost, e.translations, "cost") != e.cost for e in lines)


async def test_a_language_without_translations_shows_english_with_the_note_in_its_words(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User,
    shipped_languages: None,
) -> None:
    messages = await answer(emulator, guild, member, "nl", "NL", "sexual-assault")
    text = seen(messages)
    assert "Nog niet vertaald: in het Engels getoond." in messages[0].embeds[0]["footer"]["text"]
    assert "Chat on the website." in plain(text)
    english = await answer(emulator, guild, member, "en-GB", "NL", "sexual-assault")
    assert "Nog niet vertaald" not in seen(english) and NOTE not in seen(english)


def headings(messages: list[Message]) -> list[str]:
    """The line headings (embed field names) of an answer, as a person reads them."""
    return [plain(f["name"]) for m in messages for e in m.embeds for f in e.get("fields", [])]


def without_regions(names: list[str]) -> list[str]:
    """Headings without the region a regional line adds: "Service (Region)"."""
    return [re.sub(r" \(.*\)$", "", name) for name in names]


# (locale, country, topic, the English service, its heading in that language): a
# described service is translated, a service's own name stays as it is.
HEADINGS = [
    ("pl", "PL", "sexual-assault",
     "Helpline for women who have experienced violence, especially sexual violence",
     "Telefon wsparcia dla kobiet, które doświadczyły przemocy, zwłaszcza przemocy seksualnej"),
    ("pl", "DE", "domestic-violence",
     "Hilfetelefon Gewalt gegen Frauen", "Hilfetelefon Gewalt gegen Frauen"),
    ("fr", "BE", "sexual-assault",
     "Sexual assault care centres, open 24/7 without appointment",
     "Centres de prise en charge des violences sexuelles, ouverts 24/7 sans rendez-vous"),
    ("fr", "FR", "sexual-assault", "Viols Femmes Informations", "Viols Femmes Informations"),
]


@pytest.mark.parametrize(("locale", "country", "topic", "english", "heading"), HEADINGS)
async def test_each_line_is_headed_by_its_service_in_the_readers_language(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User,
    shipped_languages: None, locale: str, country: str, topic: str, english: str, heading: str,
) -> None:
    messages = await answer(emulator, guild, member, locale, country, topic)
    assert heading in without_regions(headings(messages))
    if heading != english:
        assert english not in plain(seen(messages))
    # Every heading is in the reader's language: no note says some is English.
    note = languages.translator().for_locale(locale)(NOTE)
    assert note != NOTE and note not in seen(messages)
    english_answer = await answer(emulator, guild, member, "en-US", country, topic)
    assert english in without_regions(headings(english_answer))


async def test_resources_lists_the_countrys_lines_by_their_service_in_polish(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User,
    shipped_languages: None,
) -> None:
    await running.storage.communities.update(guild.id, country="PL")
    reply = await (await emulator.slash("resources", user=member, guild=guild,
                                        locale="pl")).reply()
    text = plain(reply.text())
    assert "**Telefon wsparcia dla kobiet, które doświadczyły przemocy, zwłaszcza przemocy " \
           "seksualnej**" in text
    assert "**Ogólnopolski telefon wsparcia dla osób doznających przemocy domowej**" in text
    assert "Helpline for women" not in text and "National helpline" not in text
    note = languages.translator().for_locale("pl")(NOTE)
    assert note != NOTE and note not in text
