"""bot.kit.countries: codes as stored, and the one resolver of an answer's country."""

from __future__ import annotations

import pytest

from bot.kit.countries import CountryIndex, UnknownCountryError, valid_code

INDEX = CountryIndex(["GB", "DE"])


def test_a_stored_code_is_kept_only_when_it_names_a_country() -> None:
    assert valid_code(" gb ") == "GB"
    assert valid_code("XX") is None and valid_code("GBR") is None
    assert valid_code("") is None and valid_code(None) is None


def test_the_option_then_the_community_then_the_default_never_a_guess() -> None:
    assert INDEX.resolve("🇩🇪", "FR", "US") == "DE"
    assert INDEX.resolve("united kingdom", None, None) == "GB"
    assert INDEX.resolve(None, "fr", "US") == "FR"
    assert INDEX.resolve("  ", "XX", "nz") == "NZ"
    assert INDEX.resolve(None, None, None) is None
    with pytest.raises(UnknownCountryError):
        INDEX.resolve("Atlantis", "GB", "US")
    with pytest.raises(UnknownCountryError):
        INDEX.resolve("germny", None, None)  # a typo is for suggestions, never picked
