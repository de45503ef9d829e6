"""The count's noise and what may be shown of it (bot/features/metoo/noise.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.features.metoo import noise, rules
from tests.support.secrets import VECTOR_SECRET as SECRET


@pytest.mark.parametrize("value, threshold, shown", [
    (None, 10, noise.ShownCount(fewer_than=10)),
    (0, 10, noise.ShownCount(fewer_than=10)),
    (9, 10, noise.ShownCount(fewer_than=10)),
    (10, 10, noise.ShownCount(about=10)),
    (12, 10, noise.ShownCount(about=10)),
    (13, 10, noise.ShownCount(about=15)),   # the nearest multiple of 5, not "at least"
    (17, 10, noise.ShownCount(about=15)),
    (1234, 10, noise.ShownCount(about=1235)),
    (19, 20, noise.ShownCount(fewer_than=20)),
    (4, 1, noise.ShownCount(fewer_than=5)),   # never below 5
    (6, 1, noise.ShownCount(about=5)),
    (7, None, noise.ShownCount(fewer_than=10)),  # default 10
])
def test_shown_count(value, threshold, shown) -> None:
    assert noise.shown_count(value, threshold) == shown


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=-5, max_value=500))
def test_a_shown_figure_is_about_the_days_figure_or_hidden(value, threshold) -> None:
    shown = noise.shown_count(value, threshold)
    limit = max(5, threshold)
    assert shown.suppressed == (value < limit)
    if shown.suppressed:
        assert shown.fewer_than == limit and shown.about is None
    else:
        assert shown.about is not None
        assert shown.about % 5 == 0 and abs(shown.about - value) <= 2
        assert shown.about >= 5


KEY = noise.noise_key(SECRET)
DAY = date(2026, 3, 10)


def test_noise_is_drawn_once_per_community_per_day_from_the_secret() -> None:
    """Asking again (or after a restart) gives the same draw; another community,
    another day or another secret gives another one."""
    first = noise.day_noise(KEY, 1_400_000_000_000_000_001, DAY)
    assert noise.day_noise(KEY, 1_400_000_000_000_000_001, DAY) == first
    assert noise.day_noise(noise.noise_key(SECRET), 1_400_000_000_000_000_001, DAY) == first
    others = {noise.day_noise(KEY, 1_400_000_000_000_000_002, DAY),
              noise.day_noise(KEY, 1_400_000_000_000_000_001, DAY + timedelta(days=1)),
              noise.day_noise(noise.noise_key(bytes(range(1, 33))), 1_400_000_000_000_000_001,
                              DAY),
              noise.day_noise(KEY, noise.GLOBAL_SCOPE, DAY)}
    assert first not in others and len(others) == 4
    assert noise.noise_key(SECRET) != SECRET and noise.noise_key(SECRET) != rules.member_key(
        SECRET, 1, 1)
    with pytest.raises(ValueError):
        noise.noise_key(b"short")


def test_the_noise_has_the_documented_shape() -> None:
    """Centred on zero, standard deviation near 2.5 * sqrt(2) / sqrt(1 - 0.8 ** 2) = 5.9
    (docs/PRIVACY.md); today's noise remembers yesterday's (correlation 0.8), so that
    an attacker cannot average fresh, independent noise away over many days."""
    pairs = [noise.noise_series(KEY, guild, DAY, 2) for guild in range(1, 1501)]
    for day in (0, 1):
        draws = [pair[day] for pair in pairs]
        mean = sum(draws) / len(draws)
        spread = (sum((d - mean) ** 2 for d in draws) / len(draws)) ** 0.5
        assert abs(mean) < 0.6 and 5.3 < spread < 6.5, (mean, spread)
    mx = sum(a for a, _ in pairs) / len(pairs)
    my = sum(b for _, b in pairs) / len(pairs)
    cov = sum((a - mx) * (b - my) for a, b in pairs) / len(pairs)
    vx = sum((a - mx) ** 2 for a, _ in pairs) / len(pairs)
    vy = sum((b - my) ** 2 for _, b in pairs) / len(pairs)
    assert 0.7 < cov / (vx * vy) ** 0.5 < 0.9


def test_figures_and_the_total_across_communities() -> None:
    """Issue 11 point 2: a community contributes to the total only with counting on
    and its own figure shown; it contributes that (noisy) figure."""
    totals = [noise.CommunityTotal(11, 40, True, 10), noise.CommunityTotal(12, 40, False, 10),
              noise.CommunityTotal(13, 3, True, None), noise.CommunityTotal(14, 40, True, 500)]
    figures = noise.day_figures(KEY, DAY, totals)
    for community in totals:
        value, included = figures.communities[community.guild_id]
        assert value == noise.figure(community.total,
                                     noise.day_noise(KEY, community.guild_id, DAY))
        assert included == (community.enabled and value >= max(community.threshold or 10, 5))
    assert not figures.communities[12][1] and not figures.communities[14][1]
    included = sum(v for v, inc in figures.communities.values() if inc)
    assert figures.everywhere == noise.figure(included,
                                              noise.day_noise(KEY, noise.GLOBAL_SCOPE, DAY))
    assert noise.figure(0, -7.4) == 0 and noise.figure(10, 2.6) == 13


def test_a_series_of_days_has_each_days_own_noise() -> None:
    series = noise.noise_series(KEY, 77, DAY, 5)
    assert series == [noise.day_noise(KEY, 77, DAY + timedelta(days=d)) for d in range(5)]
    with pytest.raises(ValueError):
        noise.noise_series(KEY, -1, DAY, 1)
