"""Countries: names, aliases, flags and search, in one place.

Pure: no discord import. `/hotline country`, `/resources` and `/config country`
all resolve what a person typed through this module, so that a country one
command understands is understood by every other.

What a person may type: an ISO 3166-1 code (alpha-2 or alpha-3), an English
name, a common alias (`uk`, `usa`, `england`), a flag emoji (including the
England, Scotland and Wales flags) or a name with a typo (search only: an
exact answer never guesses).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import pycountry
from rapidfuzz import fuzz, process

from bot.i18n.translator import Named
from bot.kit.cards import Limits

# Discord's limits: autocomplete choices and select options; autocomplete text is
# attacker-controlled, so only as much of it as Discord sends is read.
MAX_CHOICES = Limits.CHOICES
MAX_TYPED = Limits.TYPED_OPTION


class UnknownCountryError(LookupError):
    """A country option that is not an ISO code, English name, alias or flag."""

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__("unknown country")


@dataclass(frozen=True, slots=True)
class CountrySuggestion:
    code: str
    name: str
    has_data: bool


# pycountry's official names are awkward in a menu ("Korea, Republic of").
_DISPLAY_NAMES: dict[str, str] = {
    "GB": "United Kingdom",
    "US": "United States",
    "KR": "South Korea",
    "KP": "North Korea",
    "RU": "Russia",
    "IR": "Iran",
    "SY": "Syria",
    "VN": "Vietnam",
    "LA": "Laos",
    "MD": "Moldova",
    "TZ": "Tanzania",
    "VE": "Venezuela",
    "BO": "Bolivia",
    "TW": "Taiwan",
    "CD": "Democratic Republic of the Congo",
    "CG": "Republic of the Congo",
    "FM": "Micronesia",
    "PS": "Palestine",
    "VA": "Vatican City",
    "VG": "British Virgin Islands",
    "VI": "US Virgin Islands",
    "FK": "Falkland Islands",
    "MF": "Saint Martin",
    "SX": "Sint Maarten",
}

# Names that take "the" inside a sentence: "support in the United Kingdom".
_TAKES_THE = frozenset(
    {
        "AE", "BS", "CD", "CF", "CG", "CK", "DO", "FK", "FO", "GB", "GM", "IO", "KM", "KY",
        "MH", "MP", "MV", "NL", "PH", "SB", "SC", "TC", "TF", "UM", "US", "VG", "VI",
    }
)

# Lower-case, accent-free aliases people type. Nations of the UK map to GB:
# the GB answer labels its England, Wales, Scotland and Northern Ireland lines.
ALIASES: dict[str, str] = {
    "uk": "GB",
    "u k": "GB",
    "britain": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "cymru": "GB",
    "northern ireland": "GB",
    "united kingdom of great britain and northern ireland": "GB",
    "us": "US",
    "usa": "US",
    "u s": "US",
    "u s a": "US",
    "america": "US",
    "united states of america": "US",
    "the us": "US",
    "the usa": "US",
    "holland": "NL",
    "the netherlands": "NL",
    "nederland": "NL",
    "korea": "KR",
    "republic of korea": "KR",
    "deutschland": "DE",
    "espana": "ES",
    "italia": "IT",
    "brasil": "BR",
    "mexico": "MX",
    "belgique": "BE",
    "belgie": "BE",
    "sverige": "SE",
    "norge": "NO",
    "danmark": "DK",
    "suomi": "FI",
    "polska": "PL",
    "eire": "IE",
    "aotearoa": "NZ",
    "bharat": "IN",
    "nippon": "JP",
    "nihon": "JP",
    "czech republic": "CZ",
    "turkey": "TR",
    "ivory coast": "CI",
    "uae": "AE",
    "emirates": "AE",
    "schweiz": "CH",
    "suisse": "CH",
    "osterreich": "AT",
}

# Flag emoji: two regional indicator symbols spell an alpha-2 code; the
# England, Scotland and Wales flags are a black flag followed by tag letters.
_REGIONAL_A = 0x1F1E6
_REGIONAL_Z = 0x1F1FF
_BLACK_FLAG = "\U0001f3f4"
_TAG_A, _TAG_Z, _TAG_CANCEL = 0xE0061, 0xE007A, "\U000e007f"
_SUBDIVISION_FLAGS = {"gbeng": "GB", "gbsct": "GB", "gbwls": "GB"}
# Joiners and variation selectors that may sit inside or after an emoji.
_EMOJI_FILLER = frozenset("\ufe0e\ufe0f\u200d")


def _flag_codes(text: str) -> tuple[list[str], str]:
    """The alpha-2 codes of the flags in `text`, and the text without them."""
    codes: list[str] = []
    rest: list[str] = []
    chars = list(text)
    i = 0
    while i < len(chars):
        point = ord(chars[i])
        nxt = ord(chars[i + 1]) if i + 1 < len(chars) else 0
        if _REGIONAL_A <= point <= _REGIONAL_Z and _REGIONAL_A <= nxt <= _REGIONAL_Z:
            codes.append(chr(point - _REGIONAL_A + 65) + chr(nxt - _REGIONAL_A + 65))
            i += 2
            continue
        if chars[i] == _BLACK_FLAG:
            j = i + 1
            tag = ""
            while j < len(chars) and _TAG_A <= ord(chars[j]) <= _TAG_Z:
                tag += chr(ord(chars[j]) - _TAG_A + ord("a"))
                j += 1
            if tag and j < len(chars) and chars[j] == _TAG_CANCEL:
                if tag in _SUBDIVISION_FLAGS:
                    codes.append(_SUBDIVISION_FLAGS[tag])
                else:
                    codes.append("")  # a subdivision we do not know: no country
                i = j + 1
                continue
        if chars[i] not in _EMOJI_FILLER:
            rest.append(chars[i])
        i += 1
    return codes, "".join(rest)


def flag_country(text: str) -> str | None:
    """The country of a text that is one flag emoji (spaces around it allowed)."""
    codes, rest = _flag_codes(text[:MAX_TYPED])
    if len(codes) != 1 or rest.strip() or not codes[0]:
        return None
    return codes[0] if pycountry.countries.get(alpha_2=codes[0]) is not None else None


def normalise(text: str) -> str:
    """Accent-free, lower-case, punctuation as spaces: "Côte d'Ivoire" and
    "cote divoire", "U.K." and "uk" meet in the middle."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^\w\s]", " ", text.casefold())
    return " ".join(text.split())


def valid_code(code: str | None) -> str | None:
    """A stored or configured ISO 3166-1 alpha-2 code, trimmed and upper-cased;
    None when it is empty or names no country."""
    if not code:
        return None
    code = code.strip().upper()
    if len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None:
        return code
    return None


def country_name(code: str) -> str:
    """The English name shown in menus and lists: "United Kingdom"."""
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        raise UnknownCountryError(code)
    return _DISPLAY_NAMES.get(country.alpha_2) or str(
        getattr(country, "common_name", country.name))


def country_in_text(code: str) -> Named:
    """The name inside a sentence: "support in the United Kingdom" (in English;
    given to `tr` as a keyword, the reader's language names it)."""
    name = country_name(code)
    return Named(f"the {name}" if code.upper() in _TAKES_THE else name, code.upper())


# Search scores: an exact answer, a code, a name that starts with the text, a
# word of a name that does. Typo matches score 0-100 (rapidfuzz) below those.
_EXACT = 1000.0
_CODE = 900.0
_PREFIX = 500.0
_WORD_PREFIX = 400.0
_WITH_DATA_BONUS = 50.0
# A typo match must be this close to be offered, and within this many points
# of the best typo match: "usa" must not offer Belarus and Saint Lucia.
TYPO_CUTOFF = 80.0
TYPO_SPREAD = 8.0


class CountryIndex:
    """Country search over ISO codes, names, aliases and flags, built once."""

    def __init__(self, countries_with_data: Iterable[str]) -> None:
        self._with_data = frozenset(countries_with_data)
        self._names: dict[str, str] = {}
        # normalised key -> code; several keys per country
        self._keys: dict[str, str] = {}
        self._codes: dict[str, str] = {}
        for country in pycountry.countries:
            code = country.alpha_2
            display = country_name(code)
            self._names[code] = display
            self._codes[code.casefold()] = code
            self._codes[country.alpha_3.casefold()] = code
            for name in {
                display,
                country.name,
                getattr(country, "common_name", ""),
                getattr(country, "official_name", ""),
            }:
                if name:
                    self._keys.setdefault(normalise(name), code)
        for alias, code in ALIASES.items():
            self._keys[normalise(alias)] = code
        self._key_list = list(self._keys)

    def name(self, code: str) -> str:
        return self._names[code]

    def has_data(self, code: str) -> bool:
        return code in self._with_data

    def _suggestion(self, code: str) -> CountrySuggestion:
        return CountrySuggestion(code, self._names[code], code in self._with_data)

    def exact(self, text: str) -> str | None:
        """The code for an exact ISO code, name, alias or flag; None otherwise.
        Never guesses: a typo is for `suggest` to offer, not for this to pick."""
        flag = flag_country(text)
        if flag is not None:
            return flag
        norm = normalise(text[:MAX_TYPED])
        if not norm:
            return None
        # Aliases win over codes so that "us" and "uk" mean what people mean.
        if norm in self._keys:
            return self._keys[norm]
        return self._codes.get(norm.replace(" ", ""))

    def resolve(
        self, option: str | None, community_country: str | None, default_country: str | None
    ) -> str | None:
        """The country of an answer: the option a person typed, else the community's
        country, else the operator's DEFAULT_COUNTRY, else None. Never guesses (a
        Discord language setting is not a location).

        An option that names no country raises UnknownCountryError rather than
        silently falling back: the person asked about a place, and answering for
        another one would mislead them.
        """
        if option is not None and option.strip():
            code = self.exact(option)
            if code is None:
                raise UnknownCountryError(option)
            return code
        return valid_code(community_country) or valid_code(default_country)

    def with_data(self, limit: int = MAX_CHOICES) -> list[CountrySuggestion]:
        codes = sorted(self._with_data, key=lambda c: self._names[c])
        return [self._suggestion(c) for c in codes[: max(0, min(limit, MAX_CHOICES))]]

    def suggest(self, text: str, limit: int = MAX_CHOICES) -> list[CountrySuggestion]:
        """A few good choices, best first: the exact country, then names that
        start with the text, then close typos. Never more than 25."""
        limit = max(0, min(limit, MAX_CHOICES))
        if limit == 0:
            return []
        flags, rest = _flag_codes(text[:MAX_TYPED])
        flagged = [c for c in dict.fromkeys(flags) if c in self._names]
        norm = normalise(rest)
        if not norm:
            return [self._suggestion(c) for c in flagged[:limit]] or self.with_data(limit)
        scores: dict[str, float] = {}

        def offer(code: str, score: float) -> None:
            if score > scores.get(code, -1.0):
                scores[code] = score

        for code in flagged:
            offer(code, _EXACT)

        exact = self.exact(norm)
        if exact:
            offer(exact, _EXACT)
        if len(norm) <= 3 and norm.replace(" ", "") in self._codes:
            offer(self._codes[norm.replace(" ", "")], _CODE)
        for key, code in self._keys.items():
            # Among prefix matches, countries we have lines for come first:
            # they are the ones that give the person a number to call.
            bonus = _WITH_DATA_BONUS if code in self._with_data else 0.0
            if key.startswith(norm):
                offer(code, _PREFIX + bonus - len(key) / 100)
            elif len(norm) >= 2 and any(word.startswith(norm) for word in key.split()):
                offer(code, _WORD_PREFIX + bonus - len(key) / 100)
        if not scores and len(norm) >= 3:
            # Only when nothing matched as typed: a typo. Whole-string ratio, not
            # partial matching (which finds "usa" inside "Belarus").
            found = process.extract(
                norm, self._key_list, scorer=fuzz.ratio, limit=10, score_cutoff=TYPO_CUTOFF
            )
            best = max((score for _, score, _ in found), default=0.0)
            for key, score, _ in found:
                if score >= best - TYPO_SPREAD:
                    offer(self._keys[key], float(score))
        ranked = sorted(
            scores.items(),
            key=lambda item: (-item[1], item[0] not in self._with_data, self._names[item[0]]),
        )
        return [self._suggestion(code) for code, _ in ranked[:limit]]
