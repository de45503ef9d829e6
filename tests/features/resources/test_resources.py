"""/resources end to end: emergency help first, then the community's own
resources, the country's lines in brief and the international directories."""

from __future__ import annotations

from bot.emulator.model import Guild, User
from bot.emulator.server import DiscordEmulator
from bot.local import LocalBot
from bot.storage import CommunityResource
from tests.support.answers import DANGER, FINDAHELPLINE, GENERAL, opening, plain, read


async def test_resources_lists_community_then_country_then_directories(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    communities = running.storage.communities
    await communities.update(guild.id, country="GB")
    added = await communities.add_resource(
        CommunityResource(
            guild.id,
            "Campus counselling @everyone",
            "Free and confidential, weekdays.",
            "https://example.ac.uk/counselling",
            "01234 567890",
            "2026-11-01",
        ),
        limit=25,
    )
    assert added
    reply = await (await emulator.slash("resources", user=member, guild=guild)).reply()
    assert reply.ephemeral
    titles = [e.get("title", "") for e in reply.embeds]
    # Emergency help first, always; then the community's own resources.
    assert titles[0] == "Support resources for the United Kingdom"
    assert titles[1] == "From this community's admins"
    assert titles.index("Support lines in the United Kingdom") > 1
    assert titles[-1] == "International directories"
    text = plain(reply.text())
    assert "Campus counselling" in text and "01234 567890" in text
    assert "999" in text and "116 123" in text and FINDAHELPLINE in text
    public = await (
        await emulator.slash("resources", user=member, guild=guild, options={"public": True})
    ).reply()
    assert not public.ephemeral


async def test_resources_without_a_country_says_how_to_set_one(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    reply = await (await emulator.slash("resources", user=member, guild=guild)).reply()
    text = plain(reply.text())
    assert "/config country" in text and FINDAHELPLINE in text
    assert "999" not in text


async def test_resources_start_with_emergency_help_before_community_resources(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    communities = running.storage.communities
    assert await communities.add_resource(
        CommunityResource(guild.id, "Campus counselling", "Free and confidential.", None,
                          "+1 (202) 555-0123", "2026-11-01"),
        limit=25,
    )
    # No country: the general line first, then this community's own resources.
    reply = await (await emulator.slash("resources", user=member, guild=guild)).reply()
    assert opening(reply).startswith(DANGER + GENERAL)
    titles = [e.get("title", "") for e in reply.embeds]
    assert titles.index("From this community's admins") > 0
    # With a country: its checked number first.
    await communities.update(guild.id, country="GB")
    reply = await (await emulator.slash("resources", user=member, guild=guild)).reply()
    assert reply.embeds[0]["title"] == "Support resources for the United Kingdom"
    assert read(opening(reply)).startswith("If you are in danger right now\nCall 999 or 112.")
    titles = [e.get("title", "") for e in reply.embeds]
    assert titles.index("From this community's admins") == 1
    assert titles.index("Support lines in the United Kingdom") == 2
    # The admin's number is written the bot's one way (issue 10, point 9).
    assert "+1 202 555 0123" in plain(reply.text())
    # A country without checked lines: still the general line first.
    await communities.update(guild.id, country="UY")
    reply = await (await emulator.slash("resources", user=member, guild=guild)).reply()
    assert opening(reply).startswith(
        f"{DANGER}We don't have a checked emergency number for Uruguay yet. {GENERAL}"
    )
