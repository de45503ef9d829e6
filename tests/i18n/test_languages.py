"""Every shipped language end to end, through the emulator: the answers are in
the person's language, the numbers are the same as in English, agreement in any
language is agreement to the same consent version, and every answer stays
within Discord's limits in every language."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from bot.emulator.model import ADMIN_PERMISSIONS, Guild, Message, User
from bot.emulator.server import DiscordEmulator
from bot.features.config import text as config_text
from bot.features.help import text as help_text
from bot.features.history import text as history_text
from bot.features.hotlines import text as hotline_text
from bot.features.metoo import text as metoo_text
from bot.features.metoo.rules import CONSENT_VERSION
from bot.features.privacy import text as privacy_text
from bot.i18n.languages import SHIPPED
from bot.i18n.translator import SOURCE_LOCALE, Tr
from bot.kit.cards import Limits
from bot.kit.countries import country_in_text
from bot.local import LocalBot
from tests.conftest import StartBot
from tests.support.acks import Clock, enable, rows

# Phone numbers, short codes, dates and years: every run of two digits or more
# (a language may write "1" where English writes "one").
DIGITS = re.compile(r"\d{2,}")


def digits(message: Message) -> list[str]:
    # A set: a translation may say a figure twice ("24/7" is "24 h/24, 7 j/7" in
    # French); what must not change is which numbers are shown.
    return sorted(set(DIGITS.findall(message.text())))


def in_language(message: Message, tr: Tr, *msgids: str) -> None:
    """The answer shows these texts in the reader's language, not in English."""
    shown = message.text()
    for msgid in msgids:
        translated = tr(msgid)
        assert translated != msgid, msgid
        assert translated.split("{")[0].strip() in shown, (tr.locale, translated[:40])
        assert msgid.split("{")[0].strip() not in shown, (tr.locale, msgid[:40])


async def answer(emulator: DiscordEmulator, command: str, user: User, guild: Guild | None,
                 locale: str, **options: Any) -> Message:
    reply = await (await emulator.slash(command, user=user, guild=guild, options=options,
                                        locale=locale)).reply()
    assert reply.ephemeral
    return reply


@pytest.mark.parametrize("locale", list(SHIPPED))
async def test_a_person_uses_the_bot_in_their_language(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, member: User, db_path: Path,
    locale: str,
) -> None:
    """/hotline, /metoo add with its consent, /privacy info and /help: in the
    person's language, with the same numbers as the English answer."""
    running = await start_bot(clock=Clock())
    await enable(running, guild)
    tr = running.bot.translator.for_locale(locale)

    for country in ("DE", "ES", "BR", "FR", "IT", "PL", "MX"):
        english = await answer(emulator, "hotline", member, guild, SOURCE_LOCALE, country=country)
        shown = await answer(emulator, "hotline", member, guild, locale, country=country)
        in_language(shown, tr, hotline_text.DANGER_HEADING, hotline_text.LABEL_CHECKED)
        named = country_in_text(country)  # the country in the reader's language
        assert tr.name(named) in shown.text()
        assert tr.name(named) != str(named) or named == "France"
        assert digits(shown) == digits(english), country

    explanation = await answer(emulator, "metoo add", member, guild, locale)
    in_language(explanation, tr, metoo_text.CONSENT_TITLE)
    assert f"{CONSENT_VERSION}" in explanation.text() and "365" in explanation.text()
    labels = [b["label"] for b in explanation.buttons()]
    assert labels == [tr(metoo_text.CONFIRM_LABEL), tr(metoo_text.CANCEL_LABEL)]
    assert "me too" in labels[0] and labels[0] != metoo_text.CONFIRM_LABEL
    thanks = await (await emulator.press(explanation, labels[0], user=member,
                                         locale=locale)).reply()
    assert thanks.ephemeral and thanks.content == tr(metoo_text.THANKS)
    # Agreement in any language is agreement to the one consent version.
    [(guild_id, _key, version, _day)] = rows(db_path)
    assert (guild_id, version) == (guild.id, CONSENT_VERSION)

    english = await answer(emulator, "privacy info", member, guild, SOURCE_LOCALE)
    info = await answer(emulator, "privacy info", member, guild, locale)
    in_language(info, tr, privacy_text.INFO_TITLE, privacy_text.INFO_FIELDS[0][0])
    assert digits(info) == digits(english)

    shown = await answer(emulator, "help", member, guild, locale)
    in_language(shown, tr, help_text.TITLE, help_text.COMMANDS_HEADING)
    assert "/hotline" in shown.text() and "/metoo add" in shown.text()


@pytest.mark.parametrize("locale", ["es-419", "ja"])
async def test_the_fallback_chain_end_to_end(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User, locale: str,
) -> None:
    """Latin American Spanish reads Spain's catalog, with its own words where they
    differ; Japanese has no catalog and reads English; neither chooses a country."""
    reply = await answer(emulator, "hotline", member, guild, locale)
    if locale == "es-419":
        assert "Si estás en peligro ahora mismo" in reply.text()
        assert "desde celulares" in reply.text() and "móviles" not in reply.text()
    else:
        assert hotline_text.DANGER_HEADING in reply.text()
        assert "from mobiles" in reply.text()
    assert reply.selects()  # no country guessed from the language: a menu to pick


def embed_size(embed: dict[str, Any]) -> int:
    size = len(embed.get("title", "")) + len(embed.get("description", ""))
    size += len(embed.get("footer", {}).get("text", ""))
    size += sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields", []))
    return size


def within_limits(message: Message) -> None:
    """Discord's limits that its OpenAPI description (checked by the emulator on
    every request) does not hold: the content of a message and the embeds' total."""
    assert len(message.content) <= Limits.MESSAGE_CONTENT
    assert sum(embed_size(e) for e in message.embeds) <= Limits.EMBED_TOTAL
    for button in message.buttons():
        assert len(button.get("label", "")) <= Limits.BUTTON_LABEL


COMMANDS: list[tuple[str, dict[str, Any]]] = [
    ("help", {}),
    ("history overview", {}),
    ("history timeline", {}),
    ("history timeline", {"year": 2017}),
    ("history topic", {"name": "tarana-burke"}),
    ("history topic", {"name": "no such topic anywhere"}),
    ("history sources", {}),
    ("hotline", {}),
    ("hotline", {"country": "GB", "topic": "crisis"}),
    ("hotline", {"country": "US"}),
    ("hotline", {"country": "IN", "topic": "domestic-violence"}),
    ("hotline", {"country": "Atlantis"}),
    ("hotline", {"country": "VN", "topic": "lgbtq"}),
    ("resources", {}),
    ("metoo add", {}),
    ("metoo count", {}),
    ("metoo remove", {}),
    ("privacy info", {}),
    ("privacy mydata", {}),
    ("privacy delete", {}),
    ("config show", {}),
    ("config reset", {}),
    ("config threshold", {"value": 4}),
    ("config resource-add", {"name": "x" * 81, "description": "d"}),
    ("config language", {"language": "pl"}),
]


async def test_every_answer_fits_discords_limits_in_every_language(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, admin: User,
) -> None:
    """Every command's answer, in English and every shipped language (the longest
    language decides), within Discord's limits; the emulator also checks each
    request body against Discord's OpenAPI description."""
    running = await start_bot(clock=Clock())
    await enable(running, guild, country="DE")
    for locale in [SOURCE_LOCALE, *SHIPPED]:
        for command, options in COMMANDS:
            reply = await (await emulator.slash(
                command, user=admin, guild=guild, options=options, locale=locale,
                permissions=ADMIN_PERMISSIONS)).reply()
            within_limits(reply)
    panel = await (await emulator.slash(
        "config panel", user=admin, guild=guild, options={"channel": guild.channel("general")},
        locale="de", permissions=ADMIN_PERMISSIONS)).reply()
    within_limits(panel)
    for posted in emulator.channel_messages(guild.channel("general")):
        within_limits(posted)


async def test_public_posts_follow_config_language(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, admin: User, member: User,
) -> None:
    """`auto` follows the server's Discord language; a chosen language wins over
    it; private answers stay in each person's language."""
    guild.preferred_locale = "fr"
    public = await (await emulator.slash("history sources", user=member, guild=guild,
                                         options={"public": True}, locale="de")).reply()
    assert not public.ephemeral and "Sources du contenu historique" in public.text()

    chosen = await (await emulator.slash(
            "config language", user=admin, guild=guild, options={"language": "pl"},
            locale="de", permissions=ADMIN_PERMISSIONS)).reply()
    assert chosen.ephemeral and "Polski" in chosen.text() and chosen.text().startswith("Erledigt")
    public = await (await emulator.slash("history sources", user=member, guild=guild,
                                         options={"public": True}, locale="de")).reply()
    assert "Źródła treści historycznych" in public.text()
    private = await answer(emulator, "history sources", member, guild, "it")
    assert "Fonti dei contenuti storici" in private.text()

    await (await emulator.slash("config panel", user=admin, guild=guild,
                                options={"channel": guild.channel("general")}, locale="de",
                                permissions=ADMIN_PERMISSIONS)).reply()
    [panel] = emulator.channel_messages(guild.channel("general"))
    assert [b["label"] for b in panel.buttons()] == ["Me too", "Znajdź wsparcie",
                                                     "Dowiedz się więcej"]
    shown = await (await emulator.slash("config show", user=admin, guild=guild, locale="it",
                                        permissions=ADMIN_PERMISSIONS)).reply()
    assert "Lingua dei post pubblici\nPolski" in shown.text()

    back = await (await emulator.slash(
        "config language", user=admin, guild=guild, options={"language": "auto"},
        locale="en-US", permissions=ADMIN_PERMISSIONS)).reply()
    assert "follow the server's Discord language, at the moment Français" in back.text()
    assert config_text.LANGUAGE_PANEL_NOTE.strip() in back.text()
    assert await running.storage.communities.settings(guild.id) is not None
    assert (await running.storage.communities.settings(guild.id)).language is None
    public = await (await emulator.slash("history sources", user=member, guild=guild,
                                         options={"public": True}, locale="de")).reply()
    assert "Sources du contenu historique" in public.text()
    assert history_text.SOURCES_TITLE not in public.text()


async def test_translations_reviewed_keeps_unreviewed_sensitive_texts_in_english(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, member: User,
) -> None:
    """TRANSLATIONS=reviewed: no person has reviewed a translation yet, so the
    consent and the crisis lead-in are English for a German reader, while the
    rest of the answer stays German."""
    running = await start_bot(env={"TRANSLATIONS": "reviewed"})
    await enable(running, guild)
    tr = running.bot.translator.for_locale("de")
    explanation = await answer(emulator, "metoo add", member, guild, "de")
    assert metoo_text.CONSENT_TITLE in explanation.text()
    assert [b["label"] for b in explanation.buttons()] == [
        metoo_text.CONFIRM_LABEL, metoo_text.CANCEL_LABEL]
    crisis = await answer(emulator, "hotline", member, guild, "de", country="DE", topic="crisis")
    assert hotline_text.DANGER_HEADING in crisis.text()
    in_language(crisis, tr, hotline_text.LABEL_CHECKED)
