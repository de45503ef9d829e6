"""Minimal discord.py clients for the emulator's own tests: not the metoo bot.

A probe registers a few slash commands with chosen `integration_types` and
`contexts`, answers each with the shard ids it runs, and keeps every
interaction discord.py parsed, so a test can check what a real client made of
what the emulator sent.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterable
from typing import Any

import discord
from discord import app_commands

from bot.emulator.server import DiscordEmulator

Installs = app_commands.AppInstallationType
Contexts = app_commands.AppCommandContext

# name: (installs, contexts); None leaves the field out of the sync payload.
COMMANDS: dict[str, tuple[Installs | None, Contexts | None]] = {
    "everywhere": (Installs(guild=True, user=True),
                   Contexts(guild=True, dm_channel=True, private_channel=True)),
    "guild-install": (Installs(guild=True), Contexts(guild=True, dm_channel=True,
                                                     private_channel=True)),
    "user-install": (Installs(user=True), Contexts(guild=True, dm_channel=True,
                                                   private_channel=True)),
    "server-only": (Installs(guild=True, user=True), Contexts(guild=True)),
    "defaults": (None, None),
}


class Press(discord.ui.View):
    def __init__(self, probe: ProbeMixin) -> None:
        super().__init__(timeout=60)
        self.probe = probe

    @discord.ui.button(label="Again", custom_id="probe:again")
    async def again(self, interaction: discord.Interaction, _: discord.ui.Button[Press]) -> None:
        self.probe.seen.append(interaction)
        await interaction.response.send_message(
            "pressed", ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
        )


class ProbeMixin:
    seen: list[discord.Interaction]
    tree: app_commands.CommandTree[Any]

    def _setup_probe(self, sync: bool, identify_delay: float) -> None:
        self.seen = []
        self.sync = sync
        self.identify_delay = identify_delay
        self.tree = app_commands.CommandTree(self)  # type: ignore[arg-type]
        for name, (installs, contexts) in COMMANDS.items():
            self.tree.add_command(app_commands.Command(
                name=name, description="Says what the client saw", callback=self._answer,
                allowed_installs=installs, allowed_contexts=contexts,
            ))

    async def _answer(self, interaction: discord.Interaction) -> None:
        self.seen.append(interaction)
        await interaction.response.send_message(
            f"answered by shards {self.shard_ids_run()}", ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(), view=Press(self),
        )

    def shard_ids_run(self) -> list[int]:
        shards = getattr(self, "shards", None)
        return sorted(shards) if shards is not None else [0]

    async def setup_hook(self) -> None:
        if self.sync:
            await self.tree.sync()

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        # discord.py waits 5 s before every IDENTIFY but a process's first; the
        # tests shorten the window and this wait together.
        if not initial:
            await asyncio.sleep(self.identify_delay)


def _options() -> dict[str, Any]:
    return {
        "intents": discord.Intents(guilds=True),
        "allowed_mentions": discord.AllowedMentions.none(),
        "guild_ready_timeout": 0.1,
    }


class Probe(ProbeMixin, discord.Client):
    """One unsharded session, as a plain Client makes."""

    def __init__(self, *, sync: bool = True, identify_delay: float = 0.0) -> None:
        super().__init__(**_options())
        self._setup_probe(sync, identify_delay)


class ShardedProbe(ProbeMixin, discord.AutoShardedClient):
    """Shards of one process: `shard_count` None asks GET /gateway/bot."""

    def __init__(
        self,
        *,
        shard_ids: Iterable[int] | None = None,
        shard_count: int | None = None,
        sync: bool = True,
        identify_delay: float = 0.0,
    ) -> None:
        super().__init__(
            shard_ids=None if shard_ids is None else list(shard_ids),
            shard_count=shard_count, **_options(),
        )
        self._setup_probe(sync, identify_delay)


async def run(client: discord.Client, emulator: DiscordEmulator) -> asyncio.Task[None]:
    """Start `client` against `emulator`; the task ends when the client does."""
    return asyncio.create_task(client.start(emulator.token))


async def stop(client: discord.Client, task: asyncio.Task[None]) -> None:
    await client.close()
    with contextlib.suppress(asyncio.CancelledError, discord.DiscordException):
        await task
