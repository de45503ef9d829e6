"""bot.i18n: the translator, its fallback chain and the command translator."""

from __future__ import annotations

import discord
import pytest
from discord import app_commands

from bot.emulator.model import Guild, User
from bot.emulator.server import DiscordEmulator
from bot.i18n.commands import CommandTranslator
from bot.i18n.languages import SHIPPED
from bot.i18n.translator import ENGLISH, N_, SOURCE_LOCALE, Translator, fallback_chain
from bot.local import LocalBot


@pytest.mark.parametrize("locale, chain", [
    ("es-419", ("es-419", "es-ES", "en-US")),
    ("es-ES", ("es-ES", "en-US")),
    ("en-GB", ("en-GB", "en-US")),
    ("en-US", ("en-US", "en-GB")),
    ("pt-BR", ("pt-BR", "en-US")),
    ("de", ("de", "en-US")),
    (None, ("en-US", "en-GB")),
    ("", ("en-US", "en-GB")),
])
def test_the_fallback_chain_of_spec_section_11(locale: str | None, chain: tuple[str, ...]) -> None:
    assert fallback_chain(locale) == chain


def test_english_only_shows_each_msgid_as_written() -> None:
    tr = Translator().for_locale("de")
    assert N_("Hello {name}") == "Hello {name}"
    assert tr("Hello {name}", name="Sam") == "Hello Sam"
    assert tr("Braces {kept}") == "Braces {kept}"  # no keywords: not formatted
    assert tr.locale == SOURCE_LOCALE
    assert tr.lookup("Hello {name}") is None
    assert Translator().locales == ()


def test_plural_chooses_the_form_and_fills_in_the_count() -> None:
    tr = Translator().for_locale(str(discord.Locale.british_english))
    assert tr.plural("{count} event", "{count} events", 1) == "1 event"
    assert tr.plural("{count} event", "{count} events", 0) == "0 events"
    assert ENGLISH.plural("{count} line in {place}", "{count} lines in {place}", 3,
                          place="Wales") == "3 lines in Wales"


def test_a_catalog_is_followed_along_the_chain() -> None:
    """The seam the languages issue fills: a reader of es-419 gets Spain's text
    where Latin America's has none, and English where neither has one."""
    translator = Translator({"es-ES": {"Hello": "Hola", "Bye": "Adiós"},
                             "es-419": {"Bye": "Chao"}})
    tr = translator.for_locale("es-419")
    assert (tr("Hello"), tr("Bye"), tr("Thanks")) == ("Hola", "Chao", "Thanks")
    assert tr.locale == "es-419"
    assert translator.for_locale("fr")("Hello") == "Hello"


async def test_the_command_translator_answers_none_and_never_raises() -> None:
    class Broken(Translator):
        def for_locale(self, locale: str | None):  # type: ignore[no-untyped-def]
            raise RuntimeError("a broken catalog")

    context = app_commands.TranslationContext(
        app_commands.TranslationContextLocation.command_description, None)
    text = app_commands.locale_str("What this bot does and its commands.")
    for translator in (Translator(), Broken()):
        adapter = CommandTranslator(translator)
        for locale in discord.Locale:
            assert await adapter.translate(text, locale, context) is None


async def test_the_tree_syncs_through_the_translator(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    """Set at start-up: every command reaches Discord with its descriptions in
    every shipped language (accepted by Discord's OpenAPI description, which the
    emulator checks), and its names in English only."""
    assert isinstance(running.bot.tree.translator, CommandTranslator)
    [put] = emulator.calls_to("PUT", r"/applications/\d+/commands")
    assert put.body
    for command in put.body:
        assert set(command["description_localizations"]) == set(SHIPPED), command["name"]
        assert not command.get("name_localizations")
        assert command["description_localizations"]["de"] != command["description"]
