"""bot.kit.phones: the one way the bot writes a phone number."""

from __future__ import annotations

import pytest

from bot.kit.phones import written_number


@pytest.mark.parametrize("raw, written", [
    ("+1 800-656-4673", "+1 800 656 4673"),
    ("(011) 5275-1135", "011 5275 1135"),
    (" 116  123 ", "116 123"),
    ("0800.028.3550", "0800 028 3550"),
    ("0800/111 0 111", "0800 111 0 111"),
    ("*500", "*500"),
])
def test_digits_in_groups_separated_by_single_spaces(raw: str, written: str) -> None:
    assert written_number(raw) == written
