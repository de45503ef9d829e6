"""Lifecycle: what happens to a community's data when the bot leaves it, and the
jobs that run at start-up and once a UTC day. No commands, nothing shown to
people. The program's `reconcile` command uses its reconciliation."""

from bot.features.lifecycle.purge import Reconciliation, reconcile_communities
from bot.features.lifecycle.rules import PURGE_VALVE_SHARE

__all__ = ["PURGE_VALVE_SHARE", "Reconciliation", "reconcile_communities"]
