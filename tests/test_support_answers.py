"""Issue 10, points 2-4 and part of 9, end to end for /config and /help: the
real bot through the emulator, as a new admin would meet it. (The /hotline and
/resources parts are in tests/features/hotlines/ and tests/features/resources/.)

Emergency guidance first, always: /help begins with how to get emergency help.
"""

from __future__ import annotations

import pytest

from bot.emulator.model import ADMIN_PERMISSIONS, Guild, User
from bot.emulator.server import DiscordEmulator
from bot.local import LocalBot
from bot.storage import CommunityResource
from tests.support.answers import DANGER, GENERAL, WALES_FLAG, opening

# ---------------------------------------------------------------- point 2


async def test_an_admin_setting_a_country_is_told_what_members_will_get(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, admin: User
) -> None:
    async def set_country(code: str) -> str:
        reply = await (await emulator.slash("config country", user=admin, guild=guild,
                                            options={"code": code},
                                            permissions=ADMIN_PERMISSIONS)).reply()
        assert reply.ephemeral
        return reply.text()

    uruguay = await set_country("UY")
    assert "is now Uruguay (UY)" in uruguay
    assert "no checked support lines for Uruguay" in uruguay
    assert "112 works from mobiles" in uruguay and "findahelpline.com" in uruguay
    assert "/config resource-add" in uruguay
    assert "will not get a local number" in uruguay
    china = await set_country("CN")
    assert "no checked emergency number for China" in china
    assert "checked lines for China on: Domestic violence, Crisis and suicide." in china
    assert "Not yet on: Sexual assault" in china
    britain = await set_country("GB")
    assert "is now the United Kingdom (GB)" in britain
    assert "emergency number" not in britain and "Not yet on" not in britain


# ---------------------------------------------------------------- point 3


@pytest.mark.parametrize(("typed", "code"), [
    ("United Kingdom", "GB"), ("uk", "GB"), ("england", "GB"), ("deu", "DE"),
    ("\U0001f1eb\U0001f1f7", "FR"), (WALES_FLAG, "GB"),
])
async def test_config_country_accepts_what_hotline_accepts(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, admin: User, typed: str, code: str
) -> None:
    reply = await (await emulator.slash("config country", user=admin, guild=guild,
                                        options={"code": typed},
                                        permissions=ADMIN_PERMISSIONS)).reply()
    assert f"({code})" in reply.text() and "Done." in reply.text()
    assert (await running.storage.communities.settings(guild.id)).country == code


async def test_an_admin_s_typed_name_is_repeated_only_cleaned(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, admin: User
) -> None:
    typed = "Night\u202e line https://evil.example/x <@&123> @here"
    reply = await (await emulator.slash("config resource-remove", user=admin, guild=guild,
                                        options={"name": typed},
                                        permissions=ADMIN_PERMISSIONS)).reply()
    assert reply.ephemeral and "There is no local resource called **Night line**" in reply.text()
    for leaked in ("evil.example", "<@&", "@here", "\u202e"):
        assert leaked not in reply.text(), leaked


# ---------------------------------------------------------------- point 4


async def test_help_starts_with_the_emergency_line_and_shows_config_only_to_admins(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User, admin: User
) -> None:
    reply = await (await emulator.slash("help", user=member, guild=guild)).reply()
    body = opening(reply)
    assert body.startswith(DANGER + GENERAL)
    assert body.index("`/hotline`:") < body.index("`/resources`:") < body.index("`/history")
    assert "/config" not in reply.text()
    as_admin = await (await emulator.slash("help", user=admin, guild=guild,
                                           permissions=ADMIN_PERMISSIONS)).reply()
    body = opening(as_admin)
    assert body.startswith(DANGER + GENERAL)
    assert "For server admins (Manage Server)" in body
    assert body.index("`/privacy delete`:") < body.index("`/config country`:")
    in_dm = await (await emulator.slash("help", user=admin, guild=None)).reply()
    assert opening(in_dm).startswith(DANGER) and "/config" not in in_dm.text()
    # In the bot's DMs: the commands that work there.
    assert "`/hotline`:" in in_dm.text() and "`/metoo add`:" not in in_dm.text()


# ---------------------------------------------------------------- point 9


async def test_reset_counts_agree_with_their_noun(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, admin: User
) -> None:
    await running.storage.communities.add_resource(
        CommunityResource(guild.id, "Campus counselling", "Free.", None, None, "2026-11-01"),
        limit=25,
    )
    prompt = await (await emulator.slash("config reset", user=admin, guild=guild,
                                         permissions=ADMIN_PERMISSIONS)).reply()
    assert "the 1 local resource\n" in prompt.text()
    assert "resource(s)" not in prompt.text()
