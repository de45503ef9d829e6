"""Every custom id the bot has posted keeps working after its code moved into one
package per feature: the ids below are the literal strings earlier versions put on
buttons and menus (the panel's, the consent, privacy delete and country menu ones
since the first release; the tagged reset and timeline ids since the hardening),
pressed against today's bot. Each reaches its own feature, never the "no longer
active" answer. (tests/kit/test_custom_ids.py pins the same ids byte for byte.)"""

from __future__ import annotations

from bot.emulator.model import ADMIN_PERMISSIONS, Guild, Message, User
from bot.emulator.server import DiscordEmulator
from bot.features.config import text as config_text
from bot.features.history import text as history_text
from bot.features.metoo import text as metoo_text
from bot.features.metoo.rules import CONSENT_VERSION
from bot.features.privacy import text as privacy_text
from bot.kit import text as common
from bot.kit.custom_ids import PageId, ResetId
from bot.local import LocalBot
from tests.support.acks import enable, stale
from tests.support.answers import DANGER, opening


async def press_as(emulator: DiscordEmulator, message: Message, custom_id: str,
                   user: User, permissions: int | None = None) -> Message:
    """Press a button of `message` carrying `custom_id`, as a client that still
    shows a message an earlier version posted would."""
    button = next(b for b in message.buttons() if not b.get("url") and not b.get("disabled"))
    button["custom_id"] = custom_id
    pressed = await emulator.press(message, custom_id=custom_id, user=user,
                                   permissions=permissions)
    return await pressed.reply()


async def test_ids_posted_by_earlier_versions_reach_their_features(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User, admin: User
) -> None:
    await enable(running, guild)
    # Any private answer with a button will do as the message being pressed.
    host = await (await emulator.slash("history timeline", user=member, guild=guild)).reply()

    learn = await press_as(emulator, host, "panel:learn", member)
    assert history_text.OVERVIEW_TITLE in learn.text()
    support = await press_as(emulator, host, "panel:support", member)
    assert opening(support).startswith(DANGER)
    metoo = await press_as(emulator, host, "panel:metoo", member)
    assert metoo_text.CONSENT_TITLE in metoo.text()

    shown_elsewhere = stale(metoo)  # the thanks replaces this one in place
    counted = await press_as(emulator, metoo, f"metoo:consent:yes:v{CONSENT_VERSION}", member)
    assert counted.text() == metoo_text.THANKS
    # A consent button of an earlier text stores nothing and says the text changed.
    older = await press_as(emulator, shown_elsewhere, "metoo:consent:yes:v1", member)
    assert older.text().startswith(metoo_text.CONSENT_CHANGED.split("{")[0].strip())

    prompt = await (await emulator.slash("privacy delete", user=admin, guild=guild)).reply()
    kept = await press_as(emulator, prompt, "privacy:delete:no", admin)
    assert kept.text() == privacy_text.DELETE_CANCELLED
    nothing = await press_as(emulator, prompt, "privacy:delete:yes", admin)
    assert nothing.text() == privacy_text.DELETED_NOTHING

    # The timeline's tagged page ids: the format posted since the hardening.
    timeline = await (await emulator.slash("history timeline", user=member, guild=guild)).reply()
    [following] = [b for b in timeline.buttons() if not b.get("disabled")]
    page = PageId.parse(following["custom_id"])
    assert page is not None and page.owner == member.id
    turned = await press_as(emulator, timeline, page.encode(running.bot.tag_key), member)
    assert history_text.TIMELINE_TITLE in turned.text()

    # The reset confirm: tagged with who asked, when, and the community.
    at = int(running.bot.clock().timestamp())
    cancel = ResetId(False, admin.id, at).encode(running.bot.tag_key, guild.id)
    reset_prompt = await (await emulator.slash("config reset", user=admin, guild=guild,
                                               permissions=ADMIN_PERMISSIONS)).reply()
    cancelled = await press_as(emulator, reset_prompt, cancel, admin, ADMIN_PERMISSIONS)
    assert cancelled.text() == config_text.RESET_CANCELLED


async def test_the_country_menu_of_earlier_versions_still_answers(
    emulator: DiscordEmulator, running: LocalBot, member: User
) -> None:
    menu_answer = await (await emulator.slash("hotline", user=member, guild=None)).reply()
    [menu] = menu_answer.selects()
    for posted in ("hotline:pick:sexual-assault:0", "hotline:pick:crisis:0"):
        menu["custom_id"] = posted
        picked = await (await emulator.select(menu_answer, ["GB"], user=member,
                                              custom_id=posted)).reply()
        assert opening(picked).startswith(DANGER)
        assert "United Kingdom" in picked.text() and "999" in picked.text()
        assert common.BUTTON_INACTIVE not in picked.text()
