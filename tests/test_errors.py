"""The one tree-level error handler: a kind, private answer whatever the response
state, and log lines without option values or ids."""

from __future__ import annotations

import time

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from bot.emulator.model import Guild, User
from bot.emulator.openapi import RequestValidator
from bot.emulator.server import Call, DiscordEmulator
from bot.kit import text as common
from bot.kit.checks import guild_only
from bot.local import LocalBot
from bot.logs import redact

CANARY = "canary-value-7d3f"


class Failing(commands.Cog):
    """Commands that fail at each point of the response cycle."""

    @app_commands.command(name="fail-early", description="Fails before answering.")
    async def fail_early(self, interaction: discord.Interaction, note: str) -> None:
        raise ValueError(f"bad note {note}")

    @app_commands.command(name="fail-deferred", description="Fails after deferring.")
    async def fail_deferred(self, interaction: discord.Interaction, note: str) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        raise KeyError(note)

    @app_commands.command(name="fail-answered", description="Fails after answering.")
    async def fail_answered(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("first part", ephemeral=True)
        raise RuntimeError("after the answer")


@pytest.fixture
async def failing(emulator: DiscordEmulator, running: LocalBot) -> LocalBot:
    await running.bot.add_cog(Failing())
    assert await running.bot.sync_commands()
    return running


async def test_failure_before_answering(
    emulator: DiscordEmulator, failing: LocalBot, guild: Guild, member: User, captured_logs
) -> None:
    ix = await emulator.slash("fail-early", user=member, guild=guild, options={"note": CANARY})
    reply = await ix.reply()
    assert reply.ephemeral and reply.content == common.ERROR_GENERIC
    logs = captured_logs.text
    assert "/fail-early failed: ValueError" in logs
    assert CANARY not in logs and str(member.id) not in logs


async def test_failure_after_deferring_fills_the_thinking_message(
    emulator: DiscordEmulator, failing: LocalBot, guild: Guild, member: User, captured_logs
) -> None:
    ix = await emulator.slash("fail-deferred", user=member, guild=guild, options={"note": CANARY})
    reply = await ix.reply()
    assert ix.response_type == 5
    assert reply is ix.original and reply.ephemeral
    assert reply.content == common.ERROR_GENERIC
    assert "/fail-deferred failed: KeyError" in captured_logs.text
    assert CANARY not in captured_logs.text


async def test_failure_after_answering_sends_a_private_follow_up(
    emulator: DiscordEmulator, failing: LocalBot, guild: Guild, member: User
) -> None:
    ix = await emulator.slash("fail-answered", user=member, guild=guild)
    followup = await ix.followup()
    assert ix.original is not None and ix.original.content == "first part"
    assert followup.ephemeral and followup.content == common.ERROR_GENERIC


async def test_an_expired_interaction_is_logged_not_answered(
    emulator: DiscordEmulator, failing: LocalBot, guild: Guild, member: User, captured_logs
) -> None:
    ix = await emulator.slash(
        "fail-early",
        user=member,
        guild=guild,
        options={"note": CANARY},
        created_at=time.time() - 16 * 60,
    )
    for _ in range(100):
        if "expired" in captured_logs.text:
            break
        await emulator_sleep()
    assert "expired" in captured_logs.text
    assert ix.response_type is None and ix.messages == []
    assert not emulator.calls_to("POST", rf"/interactions/{ix.id}/")
    assert CANARY not in captured_logs.text


async def test_guild_only_command_in_dms_is_refused_kindly(
    emulator: DiscordEmulator, running: LocalBot, member: User
) -> None:
    class GuildOnly(commands.Cog):
        @app_commands.command(name="guild-thing", description="Guild only.")
        @app_commands.guild_only()
        @guild_only  # the check in code: the context above is only a hint
        async def thing(self, interaction: discord.Interaction) -> None:
            await interaction.response.send_message("should not happen", ephemeral=True)

    await running.bot.add_cog(GuildOnly())
    await running.bot.sync_commands()
    definition = next(c for c in emulator.commands_for(None) if c["name"] == "guild-thing")
    definition["contexts"] = None  # as an old client would still offer it in a DM
    reply = await (await emulator.slash("guild-thing", user=member, guild=None)).reply()
    assert reply.ephemeral and reply.content == common.ERROR_GUILD_ONLY


async def emulator_sleep() -> None:
    import asyncio

    await asyncio.sleep(0.02)


def test_the_openapi_check_catches_a_bad_body(request_validator: RequestValidator) -> None:
    op = "/interactions/{interaction_id}/{interaction_token}/callback"
    good = Call(
        "POST",
        "/interactions/1/t/callback",
        {},
        {"type": 4, "data": {"content": "hi"}},
        operation=op,
    )
    request_validator(good)
    for body in (
        {"type": 4, "data": {"content": 42}},
        {"type": "four", "data": {"content": "hi"}},
        {"type": 4, "data": {"embeds": [{"title": "x" * 300}]}},
    ):
        with pytest.raises(ValueError):
            request_validator(Call("POST", "/interactions/1/t/callback", {}, body, operation=op))


async def test_the_emulator_reports_an_invalid_body_the_bot_sent(
    request_validator: RequestValidator, db_path, guild: Guild, member: User
) -> None:
    """End to end: a command whose reply breaks Discord's schema (an over-long
    embed title) shows up in validation_errors, so every e2e test would fail."""
    from bot.local import start_local_bot

    emu = DiscordEmulator(validator=request_validator)
    await emu.start()
    emu.guilds[guild.id] = guild
    local = await start_local_bot(emu, db_path)
    try:

        class Bad(commands.Cog):
            @app_commands.command(name="bad", description="Sends an invalid embed.")
            async def bad(self, interaction: discord.Interaction) -> None:
                embed = discord.Embed(title="x" * 300)
                await interaction.response.send_message(embed=embed, ephemeral=True)

        await local.bot.add_cog(Bad())
        await local.bot.sync_commands()
        await (await emu.slash("bad", user=member, guild=guild)).acknowledged()
        assert any("callback" in e and "title" in e for e in emu.validation_errors)
    finally:
        await local.stop()
        await emu.stop()


def test_redaction_removes_ids_and_tokens() -> None:
    line = "user 123456789012345678 token aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OmFiY2RlZmdo"
    assert redact(line) == "user <id> token <redacted>"
    assert redact("3 rows, version 2.7.1") == "3 rows, version 2.7.1"
