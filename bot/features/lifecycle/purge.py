"""Reconciliation: delete the data of the communities the bot is no longer in,
within the valve of rules.purge_allowed unless forced. Used by the cog after
READY and by `python -m bot reconcile`. Nothing here imports discord."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.features.lifecycle.rules import purge_allowed
from bot.storage.interfaces import CommunityStore


@dataclass(frozen=True)
class Reconciliation:
    known: int  # communities with data that this process judges
    absent: int  # of those, the ones the bot is not in
    deleted: int
    refused: bool  # more than the valve allows, and not forced: nothing deleted


async def reconcile_communities(
    communities: CommunityStore,
    present: Callable[[int], bool],
    *,
    judged: Callable[[int], bool] = lambda guild_id: True,
    force: bool = False,
) -> Reconciliation:
    """Forget the communities that `judged` says are this caller's to judge and
    `present` says the bot is not in. `present` is asked again at the moment of
    deleting each (a community that joins meanwhile keeps its rows)."""
    known = sorted(g for g in await communities.known_ids() if judged(g))
    absent = [g for g in known if not present(g)]
    if not force and not purge_allowed(len(absent), len(known)):
        return Reconciliation(len(known), len(absent), 0, refused=True)
    deleted = await communities.forget_absent(lambda g: not judged(g) or present(g))
    return Reconciliation(len(known), len(absent), deleted, refused=False)
