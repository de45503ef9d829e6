"""The review manifest of the sensitive texts (bot/i18n/reviews.toml).

Pure: no discord import. A sensitive text (marked `S_` in its text.py: consent,
crisis lead-ins, content notes, privacy and deletion texts) is shown in
translation only when the manifest holds a record for that language whose
SHA-256 of the English source and of the translation match the current ones.
Editing either side voids the record: the reader sees the English until the
text is checked again and the record renewed. Each record says how it was
checked (at least a back-translation, kept in the record, compared with the
English), by whom (a role or a tool, never a person's name unless they chose
to sign), when, and whether a person reviewed it (`TRANSLATIONS=reviewed`
shows only those).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MANIFEST = Path(__file__).with_name("reviews.toml")
# How a translation may have been checked; "back-translation" at least.
METHODS = ("back-translation", "back-translation and native review")
_FIELDS = frozenset({
    "locale", "about", "source_sha256", "translation_sha256", "method", "back_translation",
    "comparison", "checker", "date", "person_reviewed",
})


class ManifestError(Exception):
    """The manifest is malformed (the message says where)."""


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Review:
    locale: str
    about: str  # the start of the English, for people reading the manifest
    source_sha256: str
    translation_sha256: str
    method: str
    back_translation: str
    comparison: str
    checker: str
    date: dt.date
    person_reviewed: bool


def _review(raw: Mapping[str, Any], index: int) -> Review:
    where = f"review {index + 1}"
    unknown = set(raw) - _FIELDS
    missing = _FIELDS - set(raw)
    if unknown or missing:
        raise ManifestError(f"{where}: unknown fields {sorted(unknown)}, missing {sorted(missing)}")
    if raw["method"] not in METHODS:
        raise ManifestError(f"{where}: method must be one of {', '.join(METHODS)}")
    if not isinstance(raw["date"], dt.date):
        raise ManifestError(f"{where}: date must be a TOML date (YYYY-MM-DD)")
    if not isinstance(raw["person_reviewed"], bool):
        raise ManifestError(f"{where}: person_reviewed must be true or false")
    texts = ("locale", "about", "source_sha256", "translation_sha256", "back_translation",
             "comparison", "checker")
    if not all(isinstance(raw[k], str) and raw[k].strip() for k in texts):
        raise ManifestError(f"{where}: {', '.join(texts)} must be non-empty text")
    return Review(**{k: raw[k] for k in _FIELDS})


class Reviews:
    """The records, by (locale, SHA-256 of the English)."""

    def __init__(self, reviews: list[Review]) -> None:
        self._by_source: dict[tuple[str, str], list[Review]] = {}
        self._locales = {r.locale for r in reviews}
        for review in reviews:
            self._by_source.setdefault((review.locale, review.source_sha256), []).append(review)

    def __iter__(self) -> Any:
        return (r for rs in self._by_source.values() for r in rs)

    def record(self, locale: str, source: str, translation: str) -> Review | None:
        """The valid record of `translation` of the English `source`, or None."""
        wanted = sha256(translation)
        for review in self._by_source.get((locale, sha256(source)), ()):
            if review.translation_sha256 == wanted:
                return review
        return None


def about(source: str) -> str:
    """How a record names its English text for people: the first 60 characters."""
    return " ".join(source.split())[:60]


def load_reviews(path: Path = MANIFEST) -> Reviews:
    if not path.is_file():
        return Reviews([])
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ManifestError(f"{path}: cannot be read ({exc})") from None
    entries = raw.get("review", [])
    if not isinstance(entries, list):
        raise ManifestError(f"{path}: expected [[review]] tables")
    return Reviews([_review(entry, i) for i, entry in enumerate(entries)])
