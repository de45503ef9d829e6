"""What an attacker learns from the shown counts (issue 11 point 1; docs/PRIVACY.md).

A pure simulation, no Discord. The question in each game: did one extra person
say "me too" in this community? The attacker's advantage is
P(says "yes" | someone did) - P(says "yes" | nobody did): 0 is a coin toss, 1 is
certainty. Every figure comes from the real rules (bot.features.metoo.noise)
with a fresh random ACK_SECRET and community id per trial.

Run `python -m tests.features.metoo.test_count_privacy` for the table in docs/PRIVACY.md
(more trials, more days).
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from datetime import date, timedelta

from bot.features.metoo import noise as rules

START = date(2026, 3, 1)


def main_rule(total: int, threshold: int = 10) -> int:
    """How main showed a count before issue 11: the exact start-of-day total,
    rounded down to a multiple of 5 ("at least 15"), hidden below the threshold
    (0 stands for hidden)."""
    return 0 if total < threshold else total - total % 5


def noisy_rule(key: bytes, scope: int) -> Callable[[int, date], int]:
    """How the bot shows a count now: the day's figure, about a multiple of 5."""
    noise = rules.noise_series(key, scope, START, 7)

    def shown(total: int, day: date) -> int:
        value = rules.figure(total, noise[(day - START).days])
        return rules.shown_count(value, 10).about or 0
    return shown


def alt_attack(shown: Callable[[int, date], int], base: int, extra: bool) -> bool:
    """The attack the adversarial review ran, with four alternate accounts.

    Days 0-4: count one more alt each day; the day the shown figure steps up, the
    true count is a multiple of 5, which gives the base count modulo 5. Then hold
    the true count at 4 modulo 5 with some of the alts (day 5); if anyone says
    "me too" on day 5, day 6's figure steps up. Returns the attacker's guess."""
    seen = [shown(base + alts, START + timedelta(days=alts)) for alts in range(5)]
    step = next((alts for alts in range(1, 5) if seen[alts] > seen[alts - 1]), 0)
    residue = -step % 5  # base modulo 5, if the figures were exact
    hold = (4 - residue) % 5
    before = shown(base + hold, START + timedelta(days=5))
    after = shown(base + hold + extra, START + timedelta(days=6))
    return after > before


def alt_attack_advantage(noise: bool, trials: int, seed: int) -> float:
    rng = random.Random(seed)
    says_yes = {False: 0, True: 0}
    for _ in range(trials):
        key = rules.noise_key(rng.randbytes(32))
        scope = rng.randrange(1, 2**63)
        base = rng.randrange(20, 60)  # unknown to the attacker
        shown = noisy_rule(key, scope) if noise else (lambda total, day: main_rule(total))
        for extra in (False, True):
            says_yes[extra] += alt_attack(shown, base, extra)
    return (says_yes[True] - says_yes[False]) / trials


def best_attack_advantage(days: list[int], trials: int, seed: int) -> dict[int, float]:
    """The strongest attacker we can give the advantage to: they know the exact true
    count every day (however many alts that took) and the day the extra person
    would have said "me too", and they see the figures before rounding (more than
    anyone is shown; rounding can only take information away). From each day's
    figure they recover the noise, undo its memory (w = z - 0.8 z_yesterday leaves
    the day's fresh Laplace draw) and weigh the two answers by their exact
    likelihood over the first n days. Returns the advantage for each n in `days`."""
    rng = random.Random(seed)
    b, rho = rules.NOISE_SCALE, rules.NOISE_MEMORY
    says_yes = {n: {False: 0, True: 0} for n in days}
    for _ in range(trials):
        key = rules.noise_key(rng.randbytes(32))
        scope = rng.randrange(1, 2**63)
        # Day 0 is the day before the change.
        noise = rules.noise_series(key, scope, START, max(days) + 1)
        for extra in (False, True):
            seen = [noise[0]] + [z + extra for z in noise[1:]]  # figure minus known total
            fresh = [seen[d] - rho * seen[d - 1] for d in range(1, len(seen))]
            shift = [1.0] + [1 - rho] * (len(fresh) - 1)  # what one person adds to each
            llr = 0.0
            for d, (w, s) in enumerate(zip(fresh, shift, strict=True), start=1):
                llr += (abs(w) - abs(w - s)) / b  # log P(w | extra) - log P(w | none)
                if d in says_yes:
                    says_yes[d][extra] += llr > 0
    return {n: (says_yes[n][True] - says_yes[n][False]) / trials for n in days}


def test_without_noise_four_alts_learn_whether_anyone_said_it() -> None:
    """Main's rule: the review's attack is certain (advantage 1)."""
    assert alt_attack_advantage(noise=False, trials=400, seed=1) == 1.0


def test_with_noise_the_same_attack_learns_next_to_nothing() -> None:
    advantage = alt_attack_advantage(noise=True, trials=1500, seed=2)
    assert advantage < 0.12, advantage


def test_even_the_strongest_attacker_stays_far_from_certain() -> None:
    """Knowing everything but the one person, over 1 and 30 days. The exact values
    for these parameters are about 0.18 and 0.23 (docs/PRIVACY.md); the margin
    covers sampling error of 500 trials."""
    advantage = best_attack_advantage([1, 30], trials=500, seed=3)
    assert advantage[1] < 0.28 and advantage[30] < 0.33, advantage


if __name__ == "__main__":
    trials = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
    print(f"alt attack, main's rule: {alt_attack_advantage(False, trials, 11):.3f}")
    print(f"alt attack, noise:       {alt_attack_advantage(True, trials, 12):.3f}")
    horizon = [1, 7, 30, 90, 365]
    for n, value in best_attack_advantage(horizon, trials, 13).items():
        print(f"strongest attacker, {n:3d} days: {value:.3f}")
