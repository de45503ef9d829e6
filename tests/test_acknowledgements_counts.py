"""/metoo count end to end with a controlled clock (SPEC section 4, rules 3 and 6)."""

from __future__ import annotations

import asyncio

from bot.emulator.model import ADMIN_PERMISSIONS, Guild, Message, User
from bot.emulator.server import DiscordEmulator
from bot.local import LocalBot
from bot.text import metoo as text
from tests.conftest import StartBot
from tests.test_acknowledgements_store import trace
from tests.test_acknowledgements_support import Clock, acknowledge, consent, enable, key_of


def quick_daily_job(local: LocalBot) -> None:
    """Let the daily job check the day every 20 ms instead of every minute."""
    cog = local.bot.get_cog("Lifecycle")
    cog.poll_seconds = 0.02
    cog.wake()  # end the current (one-minute) wait


async def next_day(local: LocalBot, clock: Clock, days: int = 1) -> None:
    """Move the clock on and wait for the daily job to notice by itself."""
    if local.bot.get_cog("Lifecycle").poll_seconds > 0.02:
        quick_daily_job(local)
    clock.advance(days=days)
    for _ in range(500):
        if await local.storage.acks.snapshot_day() == clock.day:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the daily job did not take a snapshot")


def fields(message: Message) -> dict[str, str]:
    return {f["name"]: f["value"] for f in message.embeds[0]["fields"]}


async def count(emulator: DiscordEmulator, guild: Guild, user: User, **options) -> Message:
    return await (await emulator.slash("metoo count", user=user, guild=guild,
                                       options=options)).reply()


async def members_say_me_too(emulator: DiscordEmulator, guild: Guild, number: int) -> list[User]:
    users = [emulator.add_user(f"member-{guild.id % 1000}-{i}") for i in range(number)]
    answers = await asyncio.gather(*(acknowledge(emulator, guild, u) for u in users))
    assert {a.content for a in answers} == {text.THANKS}
    return users


async def test_counts_are_daily_snapshots_rounded_down_and_suppressed(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild, member: User
) -> None:
    clock = Clock()
    local = await start_bot(clock=clock)
    other = emulator.add_guild("Strict community")
    await emulator.join_guild(other)
    await enable(local, guild)
    await enable(local, other, threshold=15)

    users = await members_say_me_too(emulator, guild, 12)
    await members_say_me_too(emulator, other, 12)

    # Same day: the snapshot from the start of the day, before anyone confirmed.
    today = await count(emulator, guild, member)
    assert today.ephemeral
    assert fields(today) == {text.COUNT_HERE: "Fewer than 10 people",
                             text.COUNT_EVERYWHERE: "Fewer than 10 people"}

    await next_day(local, clock)
    shown = fields(await count(emulator, guild, member))
    assert shown[text.COUNT_HERE] == "At least 10 people"       # 12 rounded down to 10
    assert shown[text.COUNT_EVERYWHERE] == "At least 20 people"  # 24 rounded down to 20
    strict = fields(await count(emulator, other, member))
    assert strict[text.COUNT_HERE] == "Fewer than 15 people"     # its own threshold

    # Withdrawals do not show the same day (no differencing), only from the next.
    for user in users[:3]:
        removed = await (await emulator.slash("metoo remove", user=user, guild=guild)).reply()
        assert removed.content == text.REMOVED
    assert fields(await count(emulator, guild, member))[text.COUNT_HERE] == "At least 10 people"
    await next_day(local, clock)
    shown = fields(await count(emulator, guild, member))
    assert shown[text.COUNT_HERE] == "Fewer than 10 people"      # 9
    assert shown[text.COUNT_EVERYWHERE] == "At least 20 people"  # 21


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
    assert fields(reply)[text.COUNT_HERE] == "At least 10 people"
    shown = reply.text()
    for user in users:
        assert user.username not in shown and str(user.id) not in shown
        assert key_of(guild, user).hex()[:8] not in shown
    assert text.COUNT_FOOTER in shown


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


async def test_concurrent_confirmations_are_committed_in_groups(
    emulator: DiscordEmulator, start_bot: StartBot, guild: Guild
) -> None:
    """Durable and fast: many confirmations share transactions (the rate itself is
    measured by the benchmark, not here)."""
    local = await start_bot(clock=Clock())
    await enable(local, guild)
    users = [emulator.add_user(f"burst-{i}") for i in range(24)]
    explanations = await asyncio.gather(*(consent(emulator, guild, u) for u in users))
    before = local.storage.acks.commits
    presses = await asyncio.gather(*(emulator.press(m, "me too", user=u)
                                     for m, u in zip(explanations, users, strict=True)))
    answers = await asyncio.gather(*(p.reply() for p in presses))
    assert {a.content for a in answers} == {text.THANKS}
    assert local.storage.acks.commits - before < len(users)
