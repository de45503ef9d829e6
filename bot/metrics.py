"""The bot's metrics, in Prometheus' text format (served on /metrics by bot/health.py).

Content-free by construction. No series carries an id, an option value, a
community, a person or a time finer than a scrape; labels come from fixed
vocabularies (command names the bot registered, kinds of custom id, outcome words,
exception class names, shard numbers).

Nothing here can tell whether anyone used /metoo. Every interaction of /metoo and
/privacy (their commands, their buttons and the panel's "Me too" button) is left
out of every series, the answer-time histogram and the error counts included: a
global count would still say, in a bot that serves one community, that somebody
there used /metoo at about that time, and a count of acknowledgement writes
would undo the daily noise of the figures people see. For the same reason there
is no acknowledgement counter and no batch size of the acknowledgements' group
commit (every batch is at least one person's "me too" or withdrawal). The
database's commit time is measured on a probe write made on a timer instead,
whose number depends only on time.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import math
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import aiohttp
import discord
from discord import app_commands
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    ProcessCollector,
    disable_created_metrics,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from bot.kit import custom_ids
from bot.kit.respond import ERROR_TYPE, FINISHED, OUTCOME
from bot.storage import StorageError

if TYPE_CHECKING:
    from bot.app import MetooBot

log = logging.getLogger("bot.metrics")

# No `_created` series: each would tell when a command was first used.
disable_created_metrics()

# The commands whose use is nobody's business, with their buttons (first part of
# the custom id) and the panel button that opens /metoo.
PRIVATE_COMMANDS = frozenset({"metoo", "privacy"})
PRIVATE_CUSTOM_IDS = ("metoo:", "privacy:", "panel:metoo")

# Discord allows 3 seconds for the first response; an observed interaction whose
# handlers never report back is counted after PENDING_SECONDS (answered or not).
PENDING_SECONDS = 60.0
# The commit probe: one small durable write (a counter in the meta table) this often.
PROBE_SECONDS = 30.0
PROBE_KEY = "health_probe"

_CALLBACK = re.compile(r"/interactions/(\d+)/[^/]+/callback$")
ANSWER_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0)
COMMIT_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


@dataclass(slots=True)
class _Pending:
    kind: str
    command: str
    received: float
    answered: bool = False


class Metrics:
    """The series of one bot, in a registry of their own. The bot feeds it its
    gateway events (`on_event`, from MetooBot.dispatch) and its HTTP requests
    (`trace_config`, given to discord.py); kit/respond.py's `finished` says when
    an interaction's handlers are done."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.interactions = Counter(
            "metoo_interactions", "Interactions handled, by kind, command and outcome "
            "(ok, refused, error, inactive, unanswered); /metoo and /privacy are never counted",
            ["kind", "command", "outcome"], registry=self.registry)
        self.answer_seconds = Histogram(
            "metoo_answer_seconds", "Time from receiving an interaction to Discord accepting "
            "its first response (an answer or a defer)",
            buckets=ANSWER_BUCKETS, registry=self.registry)
        self.errors = Counter(
            "metoo_errors", "Failures, by exception type: of interactions (not /metoo or "
            "/privacy) and of event handlers", ["type"], registry=self.registry)
        self.commit_seconds = Histogram(
            "metoo_database_commit_seconds", f"Time of a probe write to the database, "
            f"committed durably, every {PROBE_SECONDS:g} s",
            buckets=COMMIT_BUCKETS, registry=self.registry)
        self.commit_failures = Counter(
            "metoo_database_commit_failures", "Probe writes that failed", registry=self.registry)
        ProcessCollector(registry=self.registry)
        self.ready_shards: set[int] = set()
        self.last_probe_failure: str | None = None
        self._pending: dict[int, _Pending] = {}
        self._bot: MetooBot | None = None
        self._probe: asyncio.Task[None] | None = None

    def attach(self, bot: MetooBot) -> None:
        self._bot = bot
        self.registry.register(_LiveCollector(bot, self))

    # ---------------------------------------------------------- gateway events
    def on_event(self, name: str, args: tuple[Any, ...]) -> None:
        if name == "interaction":
            self.received(args[0])
        elif name in ("ready", "resumed"):
            self.ready_shards.add(self._own_shard())
        elif name == "disconnect":
            self.ready_shards.discard(self._own_shard())
        elif name in ("shard_ready", "shard_resumed"):
            self.ready_shards.add(args[0])
        elif name in ("shard_disconnect", "shard_connect"):
            self.ready_shards.discard(args[0])
        elif name == "connect":  # a new session: READY is still to come
            self.ready_shards.discard(self._own_shard())

    def _own_shard(self) -> int:
        return (self._bot.shard_id if self._bot is not None else None) or 0

    def own_shards(self) -> list[int]:
        """The shards this process runs (one unless the bot is sharded)."""
        bot = self._bot
        if bot is None:
            return [0]
        ids = getattr(bot, "shard_ids", None)
        if ids:
            return sorted(ids)
        if isinstance(bot, discord.AutoShardedClient) and bot.shard_count:
            return list(range(bot.shard_count))
        return [bot.shard_id or 0]

    # ------------------------------------------------------------ interactions
    def received(self, interaction: discord.Interaction) -> None:
        """At the gateway dispatch, before any handler ran."""
        now = time.monotonic()
        self._expire(now)
        label = self.label(interaction)
        if label is None:
            return
        kind, command = label
        self._pending[interaction.id] = _Pending(kind, command, now)
        interaction.extras[FINISHED] = self.finished

    def label(self, interaction: discord.Interaction) -> tuple[str, str] | None:
        """(kind, command) of an interaction, from fixed vocabularies only; None for
        the interactions that are never counted."""
        data: Any = interaction.data or {}
        kind = interaction.type
        if kind in (discord.InteractionType.application_command,
                    discord.InteractionType.autocomplete):
            path = self._command_path(data)
            if path is not None and path.split()[0] in PRIVATE_COMMANDS:
                return None
            name = "command" if kind is discord.InteractionType.application_command \
                else "autocomplete"
            return name, path or "unknown"
        if kind is discord.InteractionType.component:
            component = self._component_label(str(data.get("custom_id", "")))
            return None if component is None else ("component", component)
        if kind is discord.InteractionType.modal_submit:
            custom_id = str(data.get("custom_id", ""))
            if custom_id.startswith(PRIVATE_CUSTOM_IDS):
                return None
            return "modal", "modal"
        return None

    def _command_path(self, data: Any) -> str | None:
        """"config panel", from the names the bot registered; None for a command
        it does not know (an old or forged one: its name says nothing of ours)."""
        if self._bot is None:
            return None
        command: Any = self._bot.tree.get_command(str(data.get("name", "")))
        if command is None:
            return None
        path = [command.name]
        options = data.get("options") or []
        while isinstance(command, app_commands.Group):
            nested = next((o for o in options if o.get("type") in (1, 2)), None)
            if nested is None:
                break
            command = command.get_command(str(nested.get("name", "")))
            if command is None:
                return None
            path.append(command.name)
            options = nested.get("options") or []
        return " ".join(path)

    @staticmethod
    def _component_label(custom_id: str) -> str | None:
        """The kind of a custom id (`hotline:pick`, `panel:support`): its first
        two parts, which carry no state in any kind the bot makes; `unknown`
        for one the bot does not make; None for a private one."""
        if custom_id.startswith(PRIVATE_CUSTOM_IDS):
            return None
        if not any(re.fullmatch(kind.TEMPLATE, custom_id) for kind in custom_ids.KINDS):
            return "unknown"
        label = ":".join(custom_id.split(":")[:2])
        return "unknown" if any(c.isdigit() for c in label) else label

    def answered(self, interaction_id: int) -> None:
        entry = self._pending.get(interaction_id)
        if entry is None or entry.answered:
            return
        entry.answered = True
        self.answer_seconds.observe(time.monotonic() - entry.received)
        if entry.kind == "autocomplete":  # the choices are the whole of it
            self._count(self._pending.pop(interaction_id), "ok")

    def finished(self, interaction: discord.Interaction) -> None:
        entry = self._pending.pop(interaction.id, None)
        if entry is None:
            return
        outcome = interaction.extras.get(OUTCOME)
        if outcome is None:
            outcome = "ok" if entry.answered or interaction.response.is_done() else "unanswered"
        if outcome == "error":
            self.errors.labels(interaction.extras.get(ERROR_TYPE, "Exception")).inc()
        self._count(entry, outcome)

    def _count(self, entry: _Pending, outcome: str) -> None:
        self.interactions.labels(entry.kind, entry.command, outcome).inc()

    def _expire(self, now: float) -> None:
        """Count the interactions whose handlers never reported back."""
        while self._pending:
            key, entry = next(iter(self._pending.items()))
            if now - entry.received < PENDING_SECONDS:
                return
            del self._pending[key]
            self._count(entry, "ok" if entry.answered else "unanswered")

    def event_failed(self, error: BaseException | None) -> None:
        """An event handler raised (discord.py's on_error)."""
        self.errors.labels(type(error).__name__ if error else "Exception").inc()

    def trace_config(self) -> aiohttp.TraceConfig:
        """For discord.py's HTTP session: sees each interaction's first response."""
        trace = aiohttp.TraceConfig()

        async def on_request_end(session: aiohttp.ClientSession, context: SimpleNamespace,
                                 params: aiohttp.TraceRequestEndParams) -> None:
            if params.method != "POST" or params.response.status >= 400:
                return
            match = _CALLBACK.search(params.url.path)
            if match is not None:
                self.answered(int(match[1]))

        trace.on_request_end.append(on_request_end)
        return trace

    # ---------------------------------------------------------- commit probe
    def start_probe(self) -> None:
        if self._probe is None:
            self._probe = asyncio.create_task(self._probe_loop(), name="commit-probe")

    async def stop_probe(self) -> None:
        task, self._probe = self._probe, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _probe_loop(self) -> None:
        for round_ in itertools.count(1):
            await self.probe(round_)
            await asyncio.sleep(PROBE_SECONDS)

    async def probe(self, round_: int) -> None:
        """One durable write, timed; skipped while the database is known to be
        read-only (the write would be refused before reaching it)."""
        bot = self._bot
        if bot is None or bot.storage.degraded_reason is not None:
            return
        started = time.perf_counter()
        try:
            await bot.storage.meta.set(PROBE_KEY, str(round_))
        except StorageError as exc:
            self.commit_failures.inc()
            self.last_probe_failure = type(exc.__cause__ or exc).__name__
            log.warning("the database refused a probe write (%s)", self.last_probe_failure)
            return
        self.commit_seconds.observe(time.perf_counter() - started)
        self.last_probe_failure = None


class _LiveCollector(Collector):
    """Figures read at each scrape: communities, shards, gateway latency."""

    def __init__(self, bot: MetooBot, metrics: Metrics) -> None:
        self._bot = bot
        self._metrics = metrics

    def collect(self) -> Iterator[Metric]:
        self._metrics._expire(time.monotonic())
        bot, metrics = self._bot, self._metrics
        yield GaugeMetricFamily("metoo_guilds", "Communities this process serves",
                                value=len(bot.guilds))
        own = metrics.own_shards()
        yield GaugeMetricFamily("metoo_shards", "Shards this process runs", value=len(own))
        yield GaugeMetricFamily("metoo_shards_ready", "Shards of this process that are READY",
                                value=len(metrics.ready_shards.intersection(own)))
        latency = GaugeMetricFamily("metoo_gateway_latency_seconds",
                                    "Time between a gateway heartbeat and its acknowledgement",
                                    labels=["shard"])
        latencies = bot.latencies if isinstance(bot, discord.AutoShardedClient) \
            else [(metrics._own_shard(), bot.latency)]
        for shard, seconds in latencies:
            if math.isfinite(seconds):
                latency.add_metric([str(shard)], seconds)
        yield latency
