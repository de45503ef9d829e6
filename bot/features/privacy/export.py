"""/privacy mydata's file: everything held about a person, as a JSON document.
Pure: no discord import."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from bot.features.privacy import text
from bot.i18n.translator import Tr
from bot.storage import AckRecord

FILE_NAME = "my-data.json"


def export_document(
    tr: Tr, records: Iterable[AckRecord], names: Mapping[int, str], today: str
) -> dict[str, Any]:
    """The records exactly as stored (the key in hex, ids as strings so that no
    JSON reader rounds them), each with its community's name when the bot knows
    it (`names`), and what they are (`about`, in the reader's language)."""
    return {
        "about": tr(text.MYDATA_ABOUT),
        "generated_on": today,
        "acknowledgements": [
            {
                "community_id": str(record.guild_id),
                "community_name": names.get(record.guild_id),
                "member_key": record.member_key.hex(),
                "consent_version": record.consent_version,
                "day": record.day,
            }
            for record in records
        ],
    }


def export_file(tr: Tr, records: Iterable[AckRecord], names: Mapping[int, str],
                today: str) -> bytes:
    """The document as the file sent (UTF-8, indented for a person to read)."""
    return json.dumps(export_document(tr, records, names, today), indent=2).encode()
