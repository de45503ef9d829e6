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


# Reconciliation deletes the data of communities the bot is no longer in. A
# wrong view (a shard that is not connected, a misconfigured SHARD_COUNT, an
# outage that hides communities) would make many communities look gone at
# once, so it deletes at most this share of the communities it knows at once,
# or one community when that is more (a bot in a few communities removed from
# one while it was offline); beyond, the operator decides
# (`python -m bot reconcile --force`).
PURGE_VALVE_SHARE = 0.10
PURGE_VALVE_MINIMUM = 1


def purge_allowed(absent: int, known: int) -> bool:
    """Whether deleting `absent` of `known` communities at once is within the valve."""
    return absent <= max(PURGE_VALVE_MINIMUM, int(known * PURGE_VALVE_SHARE))
