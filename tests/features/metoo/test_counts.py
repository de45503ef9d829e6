"""/metoo count end to end with a controlled clock (docs/PRIVACY.md, rules 3 and 6)."""

from __future__ import annotations

import asyncio

import pytest

from bot.emulator.model import ADMIN_PERMISSIONS, Guild, User
from bot.emulator.server import DiscordEmulator
from bot.features.metoo import text
from bot.features.metoo.rules import CONSENT_VERSION, member_key
from bot.local import LocalBot
from tests.conftest import StartBot
from tests.support.acks import (
    Clock,
    acknowledge,
    consent,
    count,
    enable,
    fields,
    key_of,
    next_day,
    noisy,
    shown,
)
from tests.support.backends import TestDatabase
from tests.support.secrets import SECRET
from tests.support.storage import trace

pytestmark = pytest.mark.both_backends


async def members_say_me_too(emulator: DiscordEmulator, guild: Guild, number: int) -> list[User]:
    users = [emulator.add_user(f"member-{guild.id % 1000}-{i}") for i in range(number)]
    answers = await asyncio.gather(*(acknowledge(emulator, guild, u) for u in users))
    assert {a.content for a in answers} == {text.THANKS}
    return users


async def test_counts_are_daily_noisy_figures_that_a_restart_does_not_change(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, member: User,
    database: TestDatabase
) -> None:
    """Rule 6, issue 11 points 1 and 3: the figure of the start of the day plus
    that day's noise, "about" a multiple of 5, hidden below the threshold; the
    same all day, after a restart too; withdrawals show from the next day."""
    clock = Clock()
    local = await start_bot(clock=clock)
    other = emulator.add_guild("Strict community")
    await emulator.join_guild(other)
    await enable(local, guild)
    await enable(local, other, threshold=15)

    users = await members_say_me_too(emulator, guild, 12)
    await members_say_me_too(emulator, other, 12)

    # Same day: nothing was held at the start of it; the figure is noise around 0.
    today = await count(emulator, guild, member)
    assert today.ephemeral
    assert fields(today)[text.COUNT_HERE] == shown(noisy(guild, 0, clock.day))

    await next_day(local, clock)
    day = clock.day
    here, there = noisy(guild, 12, day), noisy(other, 12, day)
    everywhere = noisy(None, here * (here >= 10) + there * (there >= 15), day)
    first = fields(await count(emulator, guild, member))
    assert first == {text.COUNT_HERE: shown(here), text.COUNT_EVERYWHERE: shown(everywhere)}
    assert first[text.COUNT_HERE].startswith(("About ", "Fewer than about "))
    assert fields(await count(emulator, other, member))[text.COUNT_HERE] == shown(there, 15)
    snapshot = database.rows("ack_snapshots"), database.rows("ack_global_snapshots")

    # Withdrawals do not show the same day (no differencing), not even after a
    # restart: the day's figures are stored once and reused.
    for user in users[:3]:
        removed = await (await emulator.slash("metoo remove", user=user, guild=guild)).reply()
        assert removed.content == text.REMOVED
    assert fields(await count(emulator, guild, member)) == first
    await local.stop()
    local = await start_bot(clock=clock)
    assert fields(await count(emulator, guild, member)) == first  # asking again: the same
    assert (database.rows("ack_snapshots"), database.rows("ack_global_snapshots")) == snapshot
    await next_day(local, clock)
    assert fields(await count(emulator, guild, member))[text.COUNT_HERE] == shown(
        noisy(guild, 9, clock.day))


async def test_the_total_leaves_out_hidden_and_switched_off_communities(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, member: User,
    database: TestDatabase
) -> None:
    """Issue 11 point 2: only communities with counting on and their own figure
    shown contribute, so the total reveals no hidden count, and "Not counted:
    turned off in this server" is true."""
    clock = Clock()
    local = await start_bot(clock=clock)
    off, strict, small = (emulator.add_guild(name) for name in ("Off", "Strict", "Small"))
    for community in (off, strict, small):
        await emulator.join_guild(community)
    held = [(guild, 40), (off, 40), (strict, 40), (small, 3)]
    for community, number in held:
        for i in range(number):
            await local.storage.acks.add(community.id, member_key(SECRET, community.id, i + 1),
                                         CONSENT_VERSION, "2026-03-01")
    await enable(local, guild)
    await enable(local, strict, threshold=100)  # its figure stays hidden
    await enable(local, small)
    await local.storage.communities.update(off.id, threshold=10)  # counting stays off
    await next_day(local, clock)

    day = clock.day
    here, small_figure = noisy(guild, 40, day), noisy(small, 3, day)
    contributing = here + (small_figure if small_figure >= 10 else 0)
    assert database.rows("ack_global_snapshots") == [(day, noisy(None, contributing, day))]
    shown_here = fields(await count(emulator, guild, member))
    assert shown_here[text.COUNT_EVERYWHERE] == shown(noisy(None, contributing, day))
    assert fields(await count(emulator, off, member))[text.COUNT_HERE] == text.COUNT_OFF_HERE
    assert fields(await count(emulator, strict, member))[text.COUNT_HERE] == \
        "Fewer than about 100 people"
    # Turned off during the day: today's total was taken while it counted, and the
    # answer says so; from the next day it is left out.
    await local.storage.communities.update(guild.id, acknowledgements_enabled=False)
    assert fields(await count(emulator, guild, member))[text.COUNT_HERE] == \
        text.COUNT_OFF_HERE_TODAY
    await next_day(local, clock)
    day = clock.day
    small_now = noisy(small, 3, day)
    assert database.rows("ack_global_snapshots") == [
        (day, noisy(None, small_now if small_now >= 10 else 0, day))]
    assert fields(await count(emulator, guild, member))[text.COUNT_HERE] == text.COUNT_OFF_HERE


async def test_public_count_and_what_admins_see(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, admin: User
) -> None:
    """Rule 3: admins see aggregate counts only; `public` shows them to the channel."""
    clock = Clock()
    local = await start_bot(clock=clock)
    await enable(local, guild)
    users = await members_say_me_too(emulator, guild, 10)
    await next_day(local, clock)
    ix = await emulator.slash("metoo count", user=admin, guild=guild,
                              options={"public": True}, permissions=ADMIN_PERMISSIONS)
    reply = await ix.reply()
    assert not reply.ephemeral
    assert fields(reply)[text.COUNT_HERE] == shown(noisy(guild, 10, clock.day))
    shown_text = reply.text()
    for user in users:
        assert user.username not in shown_text and str(user.id) not in shown_text
        assert key_of(guild, user).hex()[:8] not in shown_text
    assert text.COUNT_FOOTER in shown_text


async def test_count_where_counting_is_off(
    emulator: DiscordEmulator, running: LocalBot, guild: Guild, member: User
) -> None:
    reply = await count(emulator, guild, member)
    assert reply.ephemeral and fields(reply)[text.COUNT_HERE] == text.COUNT_OFF_HERE


async def test_counts_never_scan_rows_and_a_confirmation_writes_only_its_row(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, member: User
) -> None:
    """Rule 6: a count reads the snapshot tables; an acknowledgement writes its own
    row and no shared one (which would serialise writers across processes)."""
    local = await start_bot(clock=Clock())
    await enable(local, guild)
    statements = await trace(local.storage)
    await acknowledge(emulator, guild, member)
    assert {s.split(" (")[0] for s in statements.writes()} == {"INSERT INTO acknowledgements"}
    statements.seen.clear()
    await count(emulator, guild, member)
    assert statements.seen
    assert not any("FROM acknowledgements" in s for s in statements.seen), statements.seen
    # Then the day's figures and the settings are in memory: no database round trip.
    statements.seen.clear()
    for _ in range(3):
        await count(emulator, guild, member)
    assert statements.seen == []


async def test_concurrent_confirmations_are_committed_in_groups(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, database: TestDatabase
) -> None:
    """Durable and fast: many confirmations share transactions (the rate itself is
    measured by the benchmark, not here). Another connection holds the write
    lock for a moment, as a slow disk would: the presses that arrive meanwhile
    wait for one commit, not one each (whatever the machine's load)."""
    local = await start_bot(clock=Clock())
    await enable(local, guild)
    users = [emulator.add_user(f"burst-{i}") for i in range(24)]
    explanations = await asyncio.gather(*(consent(emulator, guild, u) for u in users))
    before = local.storage.acks.commits
    async with database.writes_held():
        presses = await asyncio.gather(*(emulator.press(m, "me too", user=u)
                                         for m, u in zip(explanations, users, strict=True)))
        await asyncio.sleep(0.5)  # well within DEFER_WRITE_AFTER
    answers = await asyncio.gather(*(p.reply() for p in presses))
    assert {a.content for a in answers} == {text.THANKS}
    assert local.storage.acks.commits - before < len(users)


async def test_figures_kept_in_memory_go_with_a_reset_and_a_removal(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, member: User, admin: User,
    database: TestDatabase,
) -> None:
    """The day's figures are kept in memory (no database round trip), but not past
    the deletion of the community's data: after /config reset, and after the bot
    is removed and added again, the count is that of an empty community."""
    clock = Clock()
    local = await start_bot(clock=clock)

    async def hold_forty() -> tuple[str, str]:
        for i in range(40):
            await local.storage.acks.add(guild.id, member_key(SECRET, guild.id, i + 1),
                                         CONSENT_VERSION, clock.day)
        await next_day(local, clock)
        held, empty = shown(noisy(guild, 40, clock.day)), shown(noisy(guild, 0, clock.day))
        assert held != empty
        assert fields(await count(emulator, guild, member))[text.COUNT_HERE] == held
        return held, empty

    await enable(local, guild)
    _, empty = await hold_forty()
    prompt = await (await emulator.slash("config reset", user=admin, guild=guild,
                                         permissions=ADMIN_PERMISSIONS)).reply()
    await (await emulator.press(prompt, "Delete", user=admin,
                                permissions=ADMIN_PERMISSIONS)).reply()
    await enable(local, guild)
    assert fields(await count(emulator, guild, member))[text.COUNT_HERE] == empty

    _, empty = await hold_forty()
    await emulator.remove_guild(guild)
    for _ in range(500):
        if not any(row[0] == guild.id for row in database.rows("ack_snapshots")):
            break
        await asyncio.sleep(0.01)
    await emulator.join_guild(guild)
    await enable(local, guild)
    assert fields(await count(emulator, guild, member))[text.COUNT_HERE] == empty
