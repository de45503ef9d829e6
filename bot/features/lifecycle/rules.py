"""Which communities this process answers for. Pure: no discord import."""

from __future__ import annotations

from collections.abc import Collection


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard that carries a community (Discord's formula)."""
    return (guild_id >> 22) % shard_count


def handled_here(guild_id: int, shard_count: int | None,
                 shard_ids: Collection[int] | None) -> bool:
    """Whether this process is responsible for the community: always with one
    shard (or none known); else when the community's shard is one of this
    process's `shard_ids` (None: this process runs every shard)."""
    if not shard_count or shard_count <= 1 or shard_ids is None:
        return True
    return shard_of(guild_id, shard_count) in shard_ids
