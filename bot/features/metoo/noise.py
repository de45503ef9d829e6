"""The count's noise and the figures that may be shown, with no Discord in them.

- Counts as shown: a daily snapshot with calibrated random noise, rounded to
  a multiple of 5 ("about 15"), and "fewer than about N" below the
  community's threshold (never below 5); the total across communities.

docs/PRIVACY.md gives the privacy argument for the noise, with numbers.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import math
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from bot.features.metoo.rules import MAX_ID
from bot.storage.records import DEFAULT_THRESHOLD, MIN_THRESHOLD, DayCounts, StartOfDay

# Shown counts: rounded to the nearest multiple of ROUND_TO, hidden below the
# community's threshold, which is never below MIN_THRESHOLD. The total across
# communities is hidden below GLOBAL_THRESHOLD.
ROUND_TO = 5
GLOBAL_THRESHOLD = DEFAULT_THRESHOLD

# The noise of a day's figure (docs/PRIVACY.md, "Why the counts have noise").
# Each day brings a fresh Laplace draw of scale NOISE_SCALE for every community;
# the figure carries the weighted sum of the last NOISE_DAYS draws, weight
# NOISE_MEMORY ** age. The fresh draw bounds what one day's figure says about
# one acknowledgement (its probability changes by at most a factor
# e ** (1 / NOISE_SCALE) = 1.49); the memory keeps an attacker from averaging
# the noise away over many days (a static count does not get a fresh, independent
# figure every day). NOISE_MEMORY ** NOISE_DAYS = 1.3e-4: older draws are dropped.
NOISE_SCALE = 2.5
NOISE_MEMORY = 0.8
NOISE_DAYS = 40
GLOBAL_SCOPE = 0  # the noise "community" of the total across communities (ids are > 0)
_NOISE_DOMAIN = b"metoo-bot/count-noise/v1\x00"

# One community at the start of the day, as the daily job reads it from the
# store: its rows from before the day plus its anonymous tally, and its settings.
CommunityTotal = StartOfDay


def effective_threshold(threshold: int | None) -> int:
    """The community's threshold, never below the floor of 5."""
    if threshold is None:
        return DEFAULT_THRESHOLD
    return max(MIN_THRESHOLD, int(threshold))


def noise_key(secret: bytes) -> bytes:
    """The key of every noise draw, derived from ACK_SECRET (never the secret
    itself, and never equal to anything else derived from it)."""
    if len(secret) < 32:
        raise ValueError("the acknowledgement secret must be at least 32 bytes")
    return hmac.new(secret, _NOISE_DOMAIN, hashlib.sha256).digest()


def _laplace(key: bytes, scope: int, day: date) -> float:
    """The fresh draw of one community (or GLOBAL_SCOPE) on one day: Laplace with
    scale NOISE_SCALE, by inverting its distribution function at a uniform number
    taken from HMAC(key, scope || day). Deterministic: the same day gives the same
    draw after a restart; unpredictable without the secret."""
    digest = hmac.new(key, struct.pack(">QI", scope, day.toordinal()), hashlib.sha256).digest()
    u = ((int.from_bytes(digest[:8], "big") >> 11) + 0.5) / 2**53  # in (0, 1), never 0 or 1
    if u < 0.5:
        return NOISE_SCALE * math.log(2 * u)
    return -NOISE_SCALE * math.log(2 - 2 * u)


def day_noise(key: bytes, scope: int, day: date) -> float:
    """The noise of a community's (or the total's) figure on `day`."""
    return noise_series(key, scope, day, 1)[0]


def noise_series(key: bytes, scope: int, first: date, days: int) -> list[float]:
    """The noise of `days` consecutive days from `first`, each exactly as
    day_noise gives it, drawing each day's fresh draw once (for the simulation in
    tests/features/metoo/test_count_privacy.py)."""
    if not isinstance(scope, int) or isinstance(scope, bool) or not 0 <= scope < MAX_ID:
        raise ValueError("a noise scope is a community id or GLOBAL_SCOPE")
    draws = [_laplace(key, scope, first + timedelta(days=offset))
             for offset in range(1 - NOISE_DAYS, days)]
    # draws[i + NOISE_DAYS - 1] is day first + i; age a is NOISE_DAYS - 1 - a before it.
    return [sum(NOISE_MEMORY**age * draws[i + NOISE_DAYS - 1 - age] for age in range(NOISE_DAYS))
            for i in range(days)]


def figure(total: int, noise: float) -> int:
    """The day's figure as stored: the true total plus its noise, a whole number,
    never negative. Everything shown is computed from this."""
    return max(0, round(total + noise))


@dataclass(frozen=True)
class DayFigures:
    """The day's figures: per community (figure, whether the total includes it),
    and the total across communities."""

    communities: dict[int, tuple[int, bool]]
    everywhere: int


def day_figures(key: bytes, day: date, totals: Iterable[CommunityTotal]) -> DayFigures:
    """The snapshot of `day`. A community contributes to the total across
    communities only when its counting is on and its own figure is shown (at or
    above its threshold); it contributes that figure, already noisy, so the total
    tells nothing its figures do not. The total gets its own draw on top."""
    communities: dict[int, tuple[int, bool]] = {}
    everywhere = 0
    for community in totals:
        value = figure(community.total, day_noise(key, community.guild_id, day))
        included = community.enabled and value >= effective_threshold(community.threshold)
        communities[community.guild_id] = (value, included)
        if included:
            everywhere += value
    return DayFigures(communities, figure(everywhere, day_noise(key, GLOBAL_SCOPE, day)))


def figure_here(key: bytes, guild_id: int, counts: DayCounts) -> int | None:
    """A community's figure of the snapshot day (None: no snapshot yet). A
    community the daily job drew none for held nothing then: its figure is noise
    around zero, drawn exactly as the job would have (so it looks like any other
    community)."""
    if counts.day is None or counts.here is not None:
        return counts.here
    return _empty_figure(key, guild_id, counts.day)


@functools.lru_cache(maxsize=4096)
def _empty_figure(key: bytes, guild_id: int, day: str) -> int:
    # NOISE_DAYS HMACs per figure: drawn once per community and day, not per ask.
    return figure(0, day_noise(key, guild_id, date.fromisoformat(day)))


@dataclass(frozen=True)
class ShownCount:
    """A count as it may be shown: either `about` (the day's figure rounded to the
    nearest multiple of 5) or `fewer_than` (the threshold), never both."""

    about: int | None = None
    fewer_than: int | None = None

    @property
    def suppressed(self) -> bool:
        return self.fewer_than is not None


def shown_count(value: int | None, threshold: int | None) -> ShownCount:
    """What may be displayed for a day's figure (None: none was taken)."""
    limit = effective_threshold(threshold)
    value = max(0, value or 0)
    if value < limit:
        return ShownCount(fewer_than=limit)
    return ShownCount(about=ROUND_TO * ((value + ROUND_TO // 2) // ROUND_TO))
