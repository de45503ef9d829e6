"""The health server (HEALTH_PORT; off unless set): /healthz, /readyz and /metrics.

It runs on the bot's own event loop (aiohttp, which discord.py already uses), on
127.0.0.1 unless HEALTH_HOST says otherwise. Answers are plain text of one line
(or the metrics), and never carry an id, a setting's value or anything about a
person: /readyz names at most a shard number and why the database is refused.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot.metrics import Metrics

if TYPE_CHECKING:
    from bot.app import MetooBot

log = logging.getLogger("bot.health")


class HealthServerError(Exception):
    """The health server could not listen; the message is one line for the operator."""


def readiness(bot: MetooBot, metrics: Metrics) -> str | None:
    """Why this process should not get traffic now, in one line; None when every
    shard it runs is READY and the database takes writes."""
    if bot.is_closed():
        return "the bot is shutting down"
    waiting = [shard for shard in metrics.own_shards() if shard not in metrics.ready_shards]
    if waiting:
        names = ", ".join(str(shard) for shard in waiting)
        return f"shard {names} not ready" if len(waiting) == 1 else f"shards {names} not ready"
    if bot.degraded_reason is not None:
        return "database not writable: " + " ".join(bot.degraded_reason.split())
    if metrics.last_probe_failure is not None:
        return f"database not writable: the last probe write failed ({metrics.last_probe_failure})"
    return None


class HealthServer:
    def __init__(self, bot: MetooBot, metrics: Metrics, host: str, port: int) -> None:
        self.bot = bot
        self.metrics = metrics
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/readyz", self.readyz)
        app.router.add_get("/metrics", self.metrics_page)
        # No access log: it would hold the address of every scraper, for nothing.
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self.port).start()
        except OSError as exc:
            await runner.cleanup()
            reason = (os.strerror(exc.errno) if exc.errno else type(exc).__name__).lower()
            raise HealthServerError(
                f"HEALTH_PORT: cannot listen on {self.host} port {self.port} ({reason})"
            ) from None
        self._runner = runner
        self.metrics.start_probe()
        log.info("health server on %s port %d: /healthz, /readyz, /metrics", self.host, self.port)

    async def stop(self) -> None:
        await self.metrics.stop_probe()
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def healthz(self, request: web.Request) -> web.Response:
        return web.Response(text="ok\n")

    async def readyz(self, request: web.Request) -> web.Response:
        reason = readiness(self.bot, self.metrics)
        if reason is None:
            return web.Response(text="ready\n")
        return web.Response(status=503, text=f"not ready: {reason}\n")

    async def metrics_page(self, request: web.Request) -> web.Response:
        body = generate_latest(self.metrics.registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})
