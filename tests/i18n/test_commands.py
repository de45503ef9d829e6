"""Command localisations: every payload a sync sends passes Discord's rules in
every locale (descriptions and choice names 1-100 characters, locale keys from
Discord's list, names never localised, 8000 characters per command counting the
longest localisation of each field)."""

from __future__ import annotations

from typing import Any

import discord

from bot.i18n.commands import CommandTranslator
from bot.i18n.languages import SHIPPED
from bot.local import LocalBot

DISCORD_LOCALES = {locale.value for locale in discord.Locale}


def walk(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """The command, its subcommands and options, depth first."""
    found = [payload]
    for option in payload.get("options", []):
        found.extend(walk(option))
    return found


def longest(item: dict[str, Any], field: str) -> int:
    values = [item.get(field) or "", *(item.get(f"{field}_localizations") or {}).values()]
    return max(len(v) for v in values)


async def test_every_localised_payload_passes_discords_rules(running: LocalBot) -> None:
    tree = running.bot.tree
    translator = tree.translator
    assert isinstance(translator, CommandTranslator)
    localised = 0
    for command in tree.get_commands():
        payload = await command.get_translated_payload(tree, translator)
        size = 0
        for item in walk(payload):
            assert not item.get("name_localizations"), item["name"]  # names stay English
            descriptions = item.get("description_localizations") or {}
            assert set(descriptions) <= DISCORD_LOCALES
            for locale, text in descriptions.items():
                assert 1 <= len(text) <= 100, (item["name"], locale, text)
            localised += len(descriptions)
            size += longest(item, "name") + longest(item, "description")
            for choice in item.get("choices", []):
                names = choice.get("name_localizations") or {}
                assert set(names) <= DISCORD_LOCALES
                assert all(1 <= len(n) <= 100 for n in names.values()), choice
                size += longest(choice, "name") + len(str(choice["value"]))
        assert size <= 8000, command.name
    assert localised >= 50 * len(SHIPPED)


async def test_topic_choices_are_localised_and_keep_their_values(running: LocalBot) -> None:
    tree = running.bot.tree
    hotline = tree.get_command("hotline")
    assert hotline is not None
    payload = await hotline.get_translated_payload(tree, tree.translator)
    [topic] = [o for o in payload["options"] if o["name"] == "topic"]
    assault = next(c for c in topic["choices"] if c["value"] == "sexual-assault")
    assert assault["name"] == "Sexual assault"
    assert assault["name_localizations"]["pl"] == "Przemoc seksualna"
    assert assault["name_localizations"]["fr"] == "Violences sexuelles"
