"""Checks request bodies against Discord's official OpenAPI description.

`jsonschema` and `referencing` are development dependencies: only tests and
the benchmark build a validator.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.emulator.server import Call

ROOT_URI = "urn:discord-openapi"


class RequestValidator:
    """Callable given to DiscordEmulator(validator=...); raises on an invalid body."""

    def __init__(self, spec_path: Path) -> None:
        from jsonschema import Draft202012Validator
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012

        self.spec: dict[str, Any] = json.loads(spec_path.read_text())
        resource = Resource.from_contents(self.spec, default_specification=DRAFT202012)
        self._registry = Registry().with_resource(ROOT_URI, resource)
        self._validator_cls = Draft202012Validator

    @lru_cache(maxsize=128)  # noqa: B019 - one validator per operation, for the process
    def _validator(self, operation: str, method: str) -> Any | None:
        op = self.spec["paths"].get(operation, {}).get(method.lower())
        if op is None:
            raise LookupError(f"{method} {operation} is not an operation of Discord's API")
        content = (op.get("requestBody") or {}).get("content", {})
        if "application/json" not in content:
            return None
        pointer = "/".join(
            part.replace("~", "~0").replace("/", "~1")
            for part in (
                "paths",
                operation,
                method.lower(),
                "requestBody",
                "content",
                "application/json",
                "schema",
            )
        )
        schema = {"$ref": f"{ROOT_URI}#/{pointer}"}
        return self._validator_cls(schema, registry=self._registry)

    def __call__(self, call: Call) -> None:
        if call.operation is None:
            return
        validator = self._validator(call.operation, call.method)
        if validator is None or call.body is None:
            return
        body = _documented_placeholders(call.body)
        errors = sorted(validator.iter_errors(body), key=lambda e: list(e.path))
        if errors:
            best = errors[0]
            where = "/".join(str(p) for p in best.absolute_path) or "(body)"
            raise ValueError(f"{where}: {best.message[:300]}")


def _documented_placeholders(body: Any) -> Any:
    """A copy of `body` in which new attachments' integer ids are strings.

    Discord's documentation ("Uploading Files" in developers/reference.mdx)
    gives a new attachment's `id` as the integer index of its `files[n]` part
    (`"attachments": [{"id": 0, ...}]`), and discord.py sends exactly that; the
    OpenAPI description types every attachment id as a snowflake string. Both
    are accepted by Discord, so the check follows the documentation here.
    """
    if not isinstance(body, dict):
        return body

    def fix(message: dict) -> dict:
        attachments = message.get("attachments")
        if not isinstance(attachments, list):
            return message
        fixed = [
            {**a, "id": str(a["id"])}
            if isinstance(a, dict) and isinstance(a.get("id"), int)
            and not isinstance(a.get("id"), bool) else a
            for a in attachments
        ]
        return {**message, "attachments": fixed}

    body = fix(body)
    if isinstance(body.get("data"), dict):  # an interaction callback's message
        body = {**body, "data": fix(body["data"])}
    return body


def default_spec_path() -> Path:
    """../shared/discord-api-spec/openapi.json beside the repository."""
    return Path(__file__).resolve().parents[3] / "shared" / "discord-api-spec" / "openapi.json"
