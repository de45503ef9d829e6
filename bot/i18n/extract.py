"""The extraction method of `pybabel extract` for the bot's msgids.

Babel's own Python extractor, with the bot's markers as keywords: `N_("...")`
(a text), `S_("...")` (a sensitive text) and `NP_("one", "other")` (a text with
plural forms). A sensitive text gets the SENSITIVE_NOTE as an extracted comment
in the template, which is where the loader learns which texts need a record in
the review manifest. Used through bot/i18n/babel.cfg (docs/DEVELOPING.md,
"Adding a language").
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

from babel.messages.extract import extract_python

# The extracted comment that marks a sensitive text in the template (metoo.pot).
SENSITIVE_NOTE = "sensitive: needs a valid record in bot/i18n/reviews.toml"
KEYWORDS: Mapping[str, Any] = {"N_": None, "S_": None, "NP_": (1, 2)}


def extract_msgids(
    fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str, Any, list[str]]]:
    """Yield (line, marker, message, comments) for each marked msgid of a module."""
    # Babel's annotation of the result is not what extract_python yields:
    # (line, function name, message, comments).
    found: Iterator[Any] = extract_python(fileobj, KEYWORDS, comment_tags,
                                          dict(options))  # type: ignore[arg-type]
    for lineno, funcname, message, comments in found:
        notes = [*comments, SENSITIVE_NOTE] if funcname == "S_" else list(comments)
        yield lineno, funcname, message, notes
