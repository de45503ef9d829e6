"""bot.features.lifecycle.rules: which communities this process answers for."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.features.lifecycle.rules import handled_here, shard_of

GUILD_IDS = st.integers(min_value=1, max_value=2**63 - 1)


def test_the_shard_is_from_the_id_s_timestamp_bits() -> None:
    # Discord's formula, (guild_id >> 22) % shard_count: the low 22 bits do not count.
    assert shard_of(5 << 22, 4) == 1
    assert shard_of((5 << 22) | (2**22 - 1), 4) == 1
    assert shard_of(6 << 22, 4) == 2


@given(GUILD_IDS, st.one_of(st.none(), st.integers(min_value=0, max_value=1)))
def test_one_shard_answers_for_every_community(guild_id: int, count: int | None) -> None:
    assert handled_here(guild_id, count, [0])
    assert handled_here(guild_id, count, None)


@given(GUILD_IDS, st.integers(min_value=2, max_value=64))
def test_each_community_belongs_to_exactly_one_process(guild_id: int, count: int) -> None:
    processes = [[shard] for shard in range(count)]
    assert sum(handled_here(guild_id, count, ids) for ids in processes) == 1
    assert handled_here(guild_id, count, None)  # a process that runs every shard
