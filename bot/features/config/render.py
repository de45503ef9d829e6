"""What /config shows: the settings card, refusals, notes and log lines.

Pure: no discord import. Every function takes the reader's `tr`; admin text is
shown only through `neutralise` (markdown escaped, mentions broken).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from bot.features.config import rules, text
from bot.features.config.rules import InvalidInput
from bot.i18n.languages import language_name
from bot.i18n.translator import Tr
from bot.kit.cards import Card, Field, Limits, pack_lines
from bot.kit.safe_text import neutralise
from bot.storage import CommunityResource, CommunitySettings

# Why a post to a channel failed: Discord refused (403), the channel is gone
# (404), or anything else.
PostFailure = Literal["forbidden", "gone", "other"]


def shown_name(name: str) -> str:
    """An admin's resource name as the bot shows it."""
    return neutralise(name, rules.NAME_MAX * 2)


def problem_message(tr: Tr, error: InvalidInput) -> str:
    """What to fix, for a refusal of admin input. The input itself is never
    repeated, except a resource name (neutralised)."""
    details: dict[str, Any] = dict(error.details)
    field = details.get("field")
    if isinstance(field, str):
        details["field"] = tr(text.FIELD_NAMES[field]) if field in text.FIELD_NAMES else field
    if error.problem == "phone_invalid":
        code = details.get("country")
        details["country"] = (
            f"{rules.country_name(code)} ({code})" if isinstance(code, str)
            else tr(text.THE_COUNTRY_SET_HERE)
        )
    if "name" in details:
        details["name"] = shown_name(str(details["name"]))
    if error.problem == "phone_type":
        details["kind"] = tr(text.PHONE_KINDS[str(details["kind"])])
    message = tr(text.PROBLEMS[error.problem], **details)
    if error.problem == "country_unknown" and details.get("suggestion"):
        # The suggestion is a name from the country list, never the admin's text.
        message += tr(text.COUNTRY_SUGGESTION, suggestion=details["suggestion"])
    return message


def country_label(tr: Tr, code: str | None) -> str:
    return tr(text.NONE_VALUE) if code is None else tr(
        text.COUNTRY_VALUE, name=rules.country_name(code), code=code)


def on_off(tr: Tr, value: bool) -> str:
    return tr(text.ON) if value else tr(text.OFF)


def language_label(tr: Tr, language: str | None) -> str:
    """A community's language of public posts: the language's own name, or auto."""
    return tr(text.LANGUAGE_AUTO) if language is None else language_name(language)


def number(_tr: Tr, value: int) -> str:
    return str(value)


def join_permissions(tr: Tr, names: Sequence[str]) -> str:
    return tr(text.AND).join(
        tr(text.PERMISSION_NAMES[n]) if n in text.PERMISSION_NAMES else n for n in names)


def cannot_post(tr: Tr, failure: PostFailure, channel_id: int,
                permissions: Sequence[str]) -> str:
    """Why the bot could not post in a channel, and what to do; nothing changed."""
    channel = f"<#{channel_id}>"
    if failure == "forbidden":
        return tr(text.CANNOT_POST, channel=channel,
                  permissions=join_permissions(tr, permissions))
    if failure == "gone":
        return tr(text.CANNOT_POST_GONE)
    return tr(text.CANNOT_POST_OTHER, channel=channel)


def country_set(tr: Tr, code: str, *, emergency: bool, topics: Sequence[str],
                missing: Sequence[str]) -> str:
    """The answer to /config country with a country: what members will and will
    not get from the bot there (`topics` and `missing`: topic names with and
    without checked lines; `emergency`: a checked emergency number)."""
    country = rules.country_in_text(code)
    reply = tr(text.COUNTRY_SET, country=f"{country} ({code})")
    if not topics and not emergency:
        return reply + tr(text.COUNTRY_NO_LINES, country=country)
    if not emergency:
        reply += tr(text.COUNTRY_NO_EMERGENCY, country=country)
    if topics:
        reply += tr(text.COUNTRY_TOPICS, country=country, topics=", ".join(topics))
    if missing:
        reply += tr(text.COUNTRY_TOPICS_MISSING, topics=", ".join(missing))
    return reply


def resource_line(tr: Tr, resource: CommunityResource) -> str:
    line = f"- **{shown_name(resource.name)}**"
    if resource.url:
        # The link as its domain, as /resources shows it to members.
        line += f" · {rules.link_markdown(resource.url) or tr(text.RESOURCE_LINK_HIDDEN)}"
    if resource.phone:
        line += f" · {tr(text.RESOURCE_PHONE)}"
    return line


def settings_card(
    tr: Tr, settings: CommunitySettings, resources: Sequence[CommunityResource],
    default_country: str | None,
) -> Card:
    """/config show: every setting of this community and its local resources."""
    if settings.country:
        country = country_label(tr, settings.country)
    elif default_country:
        country = tr(text.COUNTRY_UNSET_DEFAULT, name=rules.country_name(default_country),
                     code=default_country)
    else:
        country = tr(text.COUNTRY_UNSET)
    panel = tr(text.PANEL_VALUE, channel=f"<#{settings.panel_channel_id}>") \
        if settings.panel_channel_id and settings.panel_message_id else tr(text.PANEL_UNSET)
    log = tr(text.LOG_VALUE, channel=f"<#{settings.log_channel_id}>") \
        if settings.log_channel_id else tr(text.LOG_UNSET)
    fields = [
        Field(tr(text.FIELD_COUNTRY), country),
        Field(tr(text.FIELD_ACK), on_off(tr, settings.acknowledgements_enabled), inline=True),
        Field(tr(text.FIELD_THRESHOLD), str(settings.threshold), inline=True),
        Field(tr(text.FIELD_PANEL), panel),
        Field(tr(text.FIELD_LOG), log),
        Field(tr(text.FIELD_LANGUAGE), language_label(tr, settings.language)),
    ]
    heading = tr(text.FIELD_RESOURCES, count=len(resources), limit=rules.MAX_RESOURCES)
    if not resources:
        fields.append(Field(heading, tr(text.RESOURCES_NONE)))
    for chunk in pack_lines([resource_line(tr, r) for r in resources], Limits.FIELD_VALUE):
        fields.append(Field(heading, chunk))
        heading = tr(text.FIELD_RESOURCES_MORE)
    return Card(tr(text.SHOW_TITLE), fields=tuple(fields), footer=tr(text.SHOW_FOOTER))


def reset_prompt(tr: Tr, resources: int) -> str:
    """What /config reset would delete, to confirm."""
    count = tr.plural(text.RESET_RESOURCES_ONE, text.RESET_RESOURCES_OTHER, resources)
    return tr(text.RESET_PROMPT, resources=count)


def log_entry(tr: Tr, who: int, line: str) -> str:
    """A post of the configuration log: who (a mention that renders as their
    current name and, sent with no allowed mentions, pings nobody) and what."""
    return (tr(text.LOG_PREFIX, who=f"<@{who}>") + line)[:Limits.MESSAGE_CONTENT]


def log_change(tr: Tr, setting: str, old: str, new: str) -> str:
    """A log line for a changed setting (`setting`: its msgid)."""
    return tr(text.LOG_CHANGE, setting=tr(setting), old=old, new=new)
