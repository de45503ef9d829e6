"""One shard process for tests/emulator/test_shards.py: a ShardedProbe running some
shards of a global count, as a separate program would.

    DISCORD_TOKEN=... python -m tests.emulator.shard_process API_BASE GATEWAY SHARD_IDS COUNT \
        DELAY [--sync]

It prints "waiting" when about to IDENTIFY for the first time and waits for a
line on stdin, so that a test can start several processes' IDENTIFYs at once.
"""

from __future__ import annotations

import asyncio
import os
import sys

import discord
import yarl

from tests.emulator.probe import ShardedProbe


class GatedProbe(ShardedProbe):
    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        if initial:
            print("waiting", flush=True)
            await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        await super().before_identify_hook(shard_id, initial=initial)


async def main(argv: list[str]) -> None:
    api_base, gateway, shard_ids, count, delay = argv[:5]
    discord.http.Route.BASE = api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)
    probe = GatedProbe(
        shard_ids=[int(s) for s in shard_ids.split(",")], shard_count=int(count),
        sync="--sync" in argv, identify_delay=float(delay),
    )
    await probe.start(os.environ["DISCORD_TOKEN"])


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
