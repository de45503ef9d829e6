"""metoo-bot as `python -m bot` runs it, with a clock the benchmark moves on.

SIGUSR1 moves the bot's clock one day on and wakes the daily job, which then
takes the new day's snapshot while the bot keeps answering. For `python -m bench`
only: the bot itself always runs on the real clock.
"""

from __future__ import annotations

import asyncio
import signal
from datetime import UTC, datetime, timedelta
from typing import Any

import bot.app
from bot.app import MetooBot
from bot.logs import configure_logging
from bot.settings import load_settings

AHEAD = [timedelta(0)]


def clock() -> datetime:
    return datetime.now(UTC) + AHEAD[0]


class ClockedBot(MetooBot):
    async def setup_hook(self) -> None:
        await super().setup_hook()
        asyncio.get_running_loop().add_signal_handler(signal.SIGUSR1, self.next_day)

    def next_day(self) -> None:
        AHEAD[0] += timedelta(days=1)
        lifecycle: Any = self.get_cog("Lifecycle")
        lifecycle.wake()  # rather than at its next check, up to a minute later


def main() -> None:
    settings = load_settings()
    configure_logging(settings.log_level)
    bot.app.MetooBot = ClockedBot  # type: ignore[misc]  # what run() starts
    asyncio.run(bot.app.run(settings, clock=clock))


if __name__ == "__main__":
    main()
