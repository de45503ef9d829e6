"""The benchmark runs end to end with tiny counts and reports every ratio."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support.program import REPO, program_env


def test_bench_smoke(tmp_path: Path) -> None:
    out = tmp_path / "bench.md"
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke", "--out", str(out)],
        cwd=REPO, env=program_env(), capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = out.read_text()
    for row in ("bare /ping", "/hotline", "/history timeline", "/metoo confirm (durable)",
                "/metoo count", "country autocomplete", "metoo-bot", "JSON in both bots"):
        assert row in report
    assert "| CPU x bare | p99 x bare | per s x bare | errors |" in report
    assert "| CPU x small |" in report
    assert "| guilds at READY | bare RSS MiB | metoo-bot RSS MiB | memory x bare " in report
    assert "| start-up reconciliation |" in report
    assert "| daily snapshot job |" in report
    # Every target is printed with its figure and whether it holds.
    targets = [line for line in report.splitlines()
               if line.startswith(("| CPU x bare /ping", "| p99 x bare /ping",
                                   "| confirmations per s", "| memory at READY x bare",
                                   "| p99 during the daily job"))]
    assert len(targets) == 4 * 2 * 2 + 1 + 1 + 1, targets
    assert all(line.endswith(("| yes |", "| **no** |")) for line in targets)
    # No interaction went unanswered, no community's rows were left behind.
    for line in report.splitlines():
        if line.startswith(("| /", "| country")):
            assert line.rstrip("| ").endswith(" 0"), line
    [reconciled] = [line for line in report.splitlines() if line.startswith("| metoo-bot | 20 |")]
    assert reconciled.endswith("| 0 |")


def test_the_readme_block_is_replaced_by_the_run_and_nothing_else() -> None:
    from bench.__main__ import README_END, README_START, with_results

    readme = f"# Title\n\nProse.\n\n{README_START}\nold table\n{README_END}\n\nMore prose.\n"
    lines = ["# metoo-bot benchmark, 2026-11-30 16:00 UTC", "", "| a | b |", ""]
    new = with_results(readme, lines)
    assert new == (f"# Title\n\nProse.\n\n{README_START}\nmetoo-bot benchmark, "
                   f"2026-11-30 16:00 UTC\n\n| a | b |\n{README_END}\n\nMore prose.\n")
    assert with_results(new, lines) == new
