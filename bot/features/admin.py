"""/config: a community's settings, local resources, the persistent panel and
the configuration log.

Thin: Discord in, bot.core.community rules, storage, Discord out. Every
subcommand and every admin button checks Manage Server in code (the command's
default permissions are only a hint a server owner can override). Every reply
is ephemeral except the panel and the configuration log posts, and nothing
the bot sends can ping anyone.

The configuration log names who changed a setting with a mention string
(`<@id>`): it renders as the member's current name, is clickable, cannot be
spoofed by a display name full of markdown or mention text, and, sent with
allowed_mentions none, pings nobody.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.core import community as rules
from bot.core.community import InvalidInput
from bot.features import hotlines
from bot.features.hotlines import TOPIC_LABELS
from bot.i18n.translator import ENGLISH
from bot.kit import safe_text
from bot.kit import text as common_text
from bot.kit.cards import Limits, pack_lines
from bot.kit.checks import can_manage_guild, manage_guild_only
from bot.kit.cog import FeatureCog, bot_of
from bot.kit.custom_ids import PanelAction, PanelId, ResetId
from bot.kit.respond import answers_failures, detached_view, send
from bot.storage import CommunityResource, CommunitySettings
from bot.text import admin as text

if TYPE_CHECKING:
    from bot.app import MetooBot

log = logging.getLogger("bot.admin")

NO_MENTIONS = discord.AllowedMentions.none()
# What the bot needs in a channel to post there (content and buttons, no embeds).
POST_PERMISSIONS = ("view_channel", "send_messages")
RESET_TIMEOUT = 10 * 60  # seconds a reset confirm stays valid

# Panel buttons: which cog and method answers each, and what to say when that
# feature is not loaded. The custom ids are fixed so buttons survive restarts.
PANEL_ACTIONS: dict[PanelAction, tuple[str, discord.ButtonStyle, str, str, str]] = {
    # action: (label, style, cog name, method, fallback)
    "metoo": (text.PANEL_METOO, discord.ButtonStyle.primary, "MeToo", "start_consent",
              text.FALLBACK_METOO),
    "support": (text.PANEL_SUPPORT, discord.ButtonStyle.success, "Hotlines",
                "send_community_hotlines", text.FALLBACK_SUPPORT),
    "learn": (text.PANEL_LEARN, discord.ButtonStyle.secondary, "History", "send_overview",
              text.FALLBACK_LEARN),
}


# ---------------------------------------------------------------- rendering helpers
def problem_message(error: InvalidInput, country: str | None = None) -> str:
    details: dict[str, Any] = dict(error.details)
    field = details.get("field")
    if isinstance(field, str):
        details["field"] = text.FIELD_NAMES.get(field, field)
    if error.problem == "phone_invalid":
        code = details.get("country")
        details["country"] = (
            f"{rules.country_name(code)} ({code})" if isinstance(code, str)
            else text.THE_COUNTRY_SET_HERE
        )
    if "name" in details:
        details["name"] = safe_text.neutralise(str(details["name"]), rules.NAME_MAX * 2)
    if error.problem == "phone_type":
        details["kind"] = text.PHONE_KINDS[str(details["kind"])]
    message = text.PROBLEMS[error.problem].format(**details)
    if error.problem == "country_unknown" and details.get("suggestion"):
        # The suggestion is a name from the country list, never the admin's text.
        message += text.COUNTRY_SUGGESTION.format(suggestion=details["suggestion"])
    return message


def country_label(code: str | None) -> str:
    return text.NONE_VALUE if code is None else text.COUNTRY_VALUE.format(
        name=rules.country_name(code), code=code
    )


def coverage_note(code: str) -> str:
    """What members will and will not get from the bot for this country."""
    found = hotlines.coverage(code)
    country = rules.country_in_text(code)
    if not found.has_lines and not found.emergency:
        return text.COUNTRY_NO_LINES.format(country=country)
    note = ""
    if not found.emergency:
        note += text.COUNTRY_NO_EMERGENCY.format(country=country)
    if found.topics:
        note += text.COUNTRY_TOPICS.format(country=country, topics=_topic_names(found.topics))
    if found.missing:
        note += text.COUNTRY_TOPICS_MISSING.format(topics=_topic_names(found.missing))
    return note


def _topic_names(topics: tuple[str, ...]) -> str:
    return ", ".join(TOPIC_LABELS[t] for t in topics)


def channel_label(channel_id: int | None) -> str:
    return text.NONE_VALUE if channel_id is None else f"<#{channel_id}>"


def on_off(value: bool) -> str:
    return text.ON if value else text.OFF


def join_permissions(names: list[str]) -> str:
    return text.AND.join(text.PERMISSION_NAMES.get(n, n) for n in names)


def bot_permissions_in(
    interaction: discord.Interaction, channel: discord.abc.GuildChannel
) -> discord.Permissions | None:
    """The bot's permissions in `channel`: exact from the interaction when it is
    the channel the command was used in; else computed from the cached roles and
    overwrites (None when the cache cannot tell). Posting still handles a 403."""
    if channel.id == interaction.channel_id:
        return interaction.app_permissions
    me = channel.guild.me
    if me is None:
        return None
    return channel.permissions_for(me)


def missing_post_permissions(permissions: discord.Permissions | None) -> list[str]:
    if permissions is None:
        return []
    return [name for name in POST_PERMISSIONS if not getattr(permissions, name)]


def cannot_post_message(error: discord.HTTPException, channel_id: int) -> str:
    if isinstance(error, discord.Forbidden):
        return text.CANNOT_POST.format(
            channel=f"<#{channel_id}>", permissions=join_permissions(list(POST_PERMISSIONS))
        )
    if isinstance(error, discord.NotFound):
        return text.CANNOT_POST_GONE
    return text.CANNOT_POST_OTHER.format(channel=f"<#{channel_id}>")


def settings_embed(
    settings: CommunitySettings, resources: list[CommunityResource], default_country: str | None
) -> discord.Embed:
    embed = discord.Embed(title=text.SHOW_TITLE)
    if settings.country:
        country = country_label(settings.country)
    elif default_country:
        country = text.COUNTRY_UNSET_DEFAULT.format(
            name=rules.country_name(default_country), code=default_country
        )
    else:
        country = text.COUNTRY_UNSET
    embed.add_field(name=text.FIELD_COUNTRY, value=country, inline=False)
    embed.add_field(name=text.FIELD_ACK, value=on_off(settings.acknowledgements_enabled))
    embed.add_field(name=text.FIELD_THRESHOLD, value=str(settings.threshold))
    embed.add_field(
        name=text.FIELD_PANEL, inline=False,
        value=text.PANEL_VALUE.format(channel=f"<#{settings.panel_channel_id}>")
        if settings.panel_channel_id and settings.panel_message_id else text.PANEL_UNSET,
    )
    embed.add_field(
        name=text.FIELD_LOG, inline=False,
        value=text.LOG_VALUE.format(channel=f"<#{settings.log_channel_id}>")
        if settings.log_channel_id else text.LOG_UNSET,
    )
    heading = text.FIELD_RESOURCES.format(count=len(resources), limit=rules.MAX_RESOURCES)
    if not resources:
        embed.add_field(name=heading, value=text.RESOURCES_NONE, inline=False)
    for chunk in pack_lines([resource_line(r) for r in resources], Limits.FIELD_VALUE):
        embed.add_field(name=heading, value=chunk, inline=False)
        heading = text.FIELD_RESOURCES_MORE
    embed.set_footer(text=text.SHOW_FOOTER)
    return embed


def resource_line(resource: CommunityResource) -> str:
    line = f"- **{safe_text.neutralise(resource.name, rules.NAME_MAX * 2)}**"
    if resource.url:
        # The link as its domain, as /resources shows it to members.
        line += f" · {rules.link_markdown(resource.url) or text.RESOURCE_LINK_HIDDEN}"
    if resource.phone:
        line += f" · {text.RESOURCE_PHONE}"
    return line


# ---------------------------------------------------------------- the panel
class PanelButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=PanelId.TEMPLATE
):
    """One of the panel's three buttons. Stateless and registered at start-up,
    so a panel posted before a restart keeps working."""

    def __init__(self, action: PanelAction) -> None:
        label, style, *_ = PANEL_ACTIONS[action]
        super().__init__(discord.ui.Button(label=label, style=style,
                                           custom_id=PanelId(action).encode()))
        self.action = action

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
        match: re.Match[str], /,
    ) -> PanelButton:
        return cls(PanelId.from_match(match).action)

    @answers_failures
    async def callback(self, interaction: discord.Interaction) -> None:
        await press_panel(interaction, self.action)


async def press_panel(interaction: discord.Interaction, action: PanelAction) -> None:
    """Any member may press: hand over to the feature that answers (always
    ephemerally), or a short kind fallback when that feature is not here."""
    _label, _style, cog_name, method, fallback = PANEL_ACTIONS[action]
    cog = bot_of(interaction).get_cog(cog_name)
    handler = getattr(cog, method, None) if cog is not None else None
    if handler is None:
        await send(interaction, content=fallback)
        return
    await handler(interaction)


def panel_view() -> discord.ui.View:
    return detached_view(*(PanelButton(action) for action in PANEL_ACTIONS))


# ---------------------------------------------------------------- reset
class ResetButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=ResetId.TEMPLATE
):
    """The confirm and cancel buttons of /config reset. Stateless (who asked and
    when are in the custom id), so a press always gets an answer, even after a
    restart; a confirm older than RESET_TIMEOUT is refused. The id ends with a
    tag over who, when and the community (bot.kit.custom_ids), so a forged owner
    or time is refused. Manage Server is checked in code at the press."""

    def __init__(self, key: bytes, guild_id: int, reset: ResetId) -> None:
        # Made here (no tag yet), or pressed: then the tag must be ours, for this community.
        self.authentic = reset.authentic(key, guild_id)
        super().__init__(discord.ui.Button(
            label=text.RESET_CONFIRM if reset.delete else text.RESET_CANCEL,
            style=discord.ButtonStyle.danger if reset.delete else discord.ButtonStyle.secondary,
            custom_id=reset.encode(key, guild_id),
        ))
        self.reset_id = reset

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
        match: re.Match[str], /,
    ) -> ResetButton:
        bot = bot_of(interaction)
        return cls(bot.tag_key, interaction.guild_id or 0, ResetId.from_match(match))

    @answers_failures
    async def callback(self, interaction: discord.Interaction) -> None:
        if not self.authentic:
            await send(interaction, content=common_text.BUTTON_INACTIVE)
            return
        can_manage_guild(interaction)  # raises: answered kindly by report_failure
        if interaction.user.id != self.reset_id.user_id:
            await send(interaction, content=text.RESET_NOT_YOURS)
            return
        if not self.reset_id.delete:
            await interaction.response.edit_message(
                content=text.RESET_CANCELLED, view=None, allowed_mentions=NO_MENTIONS)
            return
        bot = bot_of(interaction)
        now = int(bot.clock().timestamp())
        if not 0 <= now - self.reset_id.at <= RESET_TIMEOUT:
            await interaction.response.edit_message(
                content=text.RESET_EXPIRED, view=None, allowed_mentions=NO_MENTIONS)
            return
        cog = bot.get_cog("Admin")
        assert isinstance(cog, Admin)
        await interaction.response.defer()  # the prompt is replaced when done
        note = await cog.reset_community(interaction)
        await interaction.edit_original_response(
            content=text.RESET_DONE + note, view=None, allowed_mentions=NO_MENTIONS)


def reset_view(key: bytes, guild_id: int, user_id: int, at: int) -> discord.ui.View:
    return detached_view(ResetButton(key, guild_id, ResetId(True, user_id, at)),
                         ResetButton(key, guild_id, ResetId(False, user_id, at)))


# ---------------------------------------------------------------- the cog
@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Admin(FeatureCog, commands.GroupCog, group_name="config",
            group_description=text.GROUP_DESCRIPTION):

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(PanelButton, ResetButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(PanelButton, ResetButton)

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        # A second line behind each command's own check: any /config command
        # added later is covered too.
        return can_manage_guild(interaction)

    # ------------------------------------------------------------ helpers
    @property
    def default_country(self) -> str | None:
        return self.settings.default_country

    async def announce(self, channel_id: int | None, who: int, line: str) -> str:
        """Post a configuration change to a log channel. Returns a note for the
        admin when that failed (the change itself stays saved), else ""."""
        if channel_id is None:
            return ""
        content = (text.LOG_PREFIX.format(who=f"<@{who}>") + line)[:Limits.MESSAGE_CONTENT]
        try:
            channel = self.bot.get_partial_messageable(channel_id)
            await channel.send(content=content, allowed_mentions=NO_MENTIONS)
        except discord.Forbidden:
            return text.LOG_NOTE_FORBIDDEN.format(channel=f"<#{channel_id}>")
        except discord.NotFound:
            return text.LOG_NOTE_GONE
        except discord.HTTPException as exc:
            log.warning("could not post to a configuration log: HTTP %s", exc.status)
            return text.LOG_NOTE_OTHER.format(channel=f"<#{channel_id}>")
        return ""

    async def log_change(
        self, settings: CommunitySettings, who: int, setting: str, old: str, new: str
    ) -> str:
        line = text.LOG_CHANGE.format(setting=setting, old=old, new=new)
        return await self.announce(settings.log_channel_id, who, line)

    async def change_setting(
        self, interaction: discord.Interaction, column: str, new: Any, label: str,
        show: Callable[[Any], str],
    ) -> str | None:
        """Defer, store one setting and announce the change in the log channel.
        Returns the note for the admin's reply, or None (after saying so) when the
        setting already had that value."""
        assert interaction.guild_id is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        before = await self.storage.communities.settings(interaction.guild_id)
        old = getattr(before, column)
        if old == new:
            await send(interaction, content=text.UNCHANGED)
            return None
        await self.storage.communities.update(interaction.guild_id, **{column: new})
        return await self.log_change(before, interaction.user.id, label, show(old), show(new))

    async def delete_message(self, channel_id: int, message_id: int) -> bool:
        """Delete one of the bot's own messages; True when it is gone."""
        try:
            channel = self.bot.get_partial_messageable(channel_id)
            await channel.get_partial_message(message_id).delete()
        except discord.NotFound:
            return True
        except discord.HTTPException as exc:
            log.info("could not delete an old panel message: HTTP %s", exc.status)
            return False
        return True

    async def reset_community(self, interaction: discord.Interaction) -> str:
        """Forget everything of this community; returns a note about the log."""
        guild_id = interaction.guild_id
        assert guild_id is not None
        before = await self.storage.communities.settings(guild_id)
        await self.storage.communities.forget(guild_id)
        if before.panel_channel_id and before.panel_message_id:
            await self.delete_message(before.panel_channel_id, before.panel_message_id)
        return await self.announce(before.log_channel_id, interaction.user.id, text.LOG_RESET)

    # ------------------------------------------------------------ show
    @app_commands.command(name="show", description=text.SHOW_DESCRIPTION)
    @manage_guild_only
    async def show(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        settings = await self.storage.communities.settings(interaction.guild_id)
        resources = await self.storage.communities.resources(interaction.guild_id)
        await send(interaction, embed=settings_embed(settings, resources, self.default_country))

    # ------------------------------------------------------------ country
    @app_commands.command(name="country", description=text.COUNTRY_DESCRIPTION)
    @app_commands.describe(code=text.COUNTRY_OPTION)
    @manage_guild_only
    async def country(
        self, interaction: discord.Interaction, code: app_commands.Range[str, 1, 100]
    ) -> None:
        assert interaction.guild_id is not None
        try:
            new = rules.parse_country_setting(code)
        except InvalidInput as error:
            await send(interaction, content=problem_message(error))
            return
        note = await self.change_setting(interaction, "country", new, text.FIELD_COUNTRY,
                                          country_label)
        if note is None:
            return
        if new:
            reply = text.COUNTRY_SET.format(
                country=f"{rules.country_in_text(new)} ({new})") + coverage_note(new)
        else:
            reply = text.COUNTRY_CLEARED
        await send(interaction, content=reply + note)

    @country.autocomplete("code")
    async def country_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None or not interaction.permissions.manage_guild:
            return []
        return [app_commands.Choice(name=name, value=code)
                for name, code in rules.country_choices(current)]

    # ------------------------------------------------------------ acknowledgements
    @app_commands.command(name="acknowledgements", description=text.ACK_DESCRIPTION)
    @app_commands.describe(enabled=text.ACK_OPTION)
    @manage_guild_only
    async def acknowledgements(self, interaction: discord.Interaction, enabled: bool) -> None:
        note = await self.change_setting(interaction, "acknowledgements_enabled", enabled,
                                          text.FIELD_ACK, on_off)
        if note is None:
            return
        reply = text.ACK_ON if enabled else text.ACK_OFF
        if enabled and not self.settings.acknowledgements_available:
            reply += text.ACK_UNAVAILABLE
        await send(interaction, content=reply + note)

    # ------------------------------------------------------------ threshold
    @app_commands.command(name="threshold", description=text.THRESHOLD_DESCRIPTION)
    @app_commands.describe(value=text.THRESHOLD_OPTION)
    @manage_guild_only
    async def threshold(
        self,
        interaction: discord.Interaction,
        value: app_commands.Range[int, rules.MIN_THRESHOLD, rules.MAX_THRESHOLD],
    ) -> None:
        assert interaction.guild_id is not None
        try:
            value = rules.validate_threshold(value)
        except InvalidInput as error:
            await send(interaction, content=problem_message(error))
            return
        note = await self.change_setting(interaction, "threshold", value, text.FIELD_THRESHOLD,
                                          str)
        if note is None:
            return
        await send(interaction, content=text.THRESHOLD_SET.format(value=value) + note)

    # ------------------------------------------------------------ panel
    @app_commands.command(name="panel", description=text.PANEL_DESCRIPTION)
    @app_commands.describe(channel=text.PANEL_OPTION)
    @manage_guild_only
    async def panel(self, interaction: discord.Interaction, channel: discord.TextChannel) -> None:
        guild_id = interaction.guild_id
        assert guild_id is not None
        if channel.guild.id != guild_id:
            await send(interaction, content=text.CANNOT_POST_GONE)
            return
        missing = missing_post_permissions(bot_permissions_in(interaction, channel))
        if missing:
            await send(interaction, content=text.CANNOT_POST.format(
                channel=channel.mention, permissions=join_permissions(missing)))
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        before = await self.storage.communities.settings(guild_id)
        try:
            message = await channel.send(
                content=text.PANEL_TEXT, view=panel_view(), allowed_mentions=NO_MENTIONS
            )
        except discord.HTTPException as error:
            await send(interaction, content=cannot_post_message(error, channel.id))
            return
        try:
            await self.storage.communities.update(
                guild_id, panel_channel_id=channel.id, panel_message_id=message.id
            )
        except BaseException:
            await self.delete_message(channel.id, message.id)  # nothing half-done
            raise
        reply = text.PANEL_POSTED.format(channel=channel.mention)
        if before.panel_channel_id and before.panel_message_id:
            if await self.delete_message(before.panel_channel_id, before.panel_message_id):
                reply = text.PANEL_MOVED.format(channel=channel.mention)
            else:
                reply += text.PANEL_OLD_KEPT
        note = await self.announce(before.log_channel_id, interaction.user.id,
                                   text.LOG_PANEL.format(channel=channel.mention))
        await send(interaction, content=reply + note)

    # ------------------------------------------------------------ resources
    @app_commands.command(name="resource-add", description=text.RESOURCE_ADD_DESCRIPTION)
    @app_commands.describe(
        name=text.RESOURCE_NAME_OPTION, description=text.RESOURCE_DESCRIPTION_OPTION,
        url=text.RESOURCE_URL_OPTION, phone=text.RESOURCE_PHONE_OPTION,
    )
    @manage_guild_only
    async def resource_add(
        self,
        interaction: discord.Interaction,
        name: app_commands.Range[str, 1, rules.NAME_MAX],
        description: app_commands.Range[str, 1, rules.DESCRIPTION_MAX],
        url: app_commands.Range[str, 1, rules.URL_MAX] | None = None,
        phone: app_commands.Range[str, 1, rules.PHONE_MAX] | None = None,
    ) -> None:
        guild_id = interaction.guild_id
        assert guild_id is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        settings = await self.storage.communities.settings(guild_id)
        try:
            resource = rules.validate_resource(
                name, description, url, phone, settings.country or self.default_country
            )
            existing = await self.storage.communities.resources(guild_id)
            rules.check_room_for_resource([r.name for r in existing], resource.name)
        except InvalidInput as error:
            await send(interaction, content=problem_message(error))
            return
        row = CommunityResource(
            guild_id, resource.name, resource.description, resource.url, resource.phone,
            added_on=self.bot.clock().date().isoformat(),
        )
        if not await self.storage.communities.add_resource(row, rules.MAX_RESOURCES):
            # Another admin added one at the same moment: say which rule applies now.
            existing = await self.storage.communities.resources(guild_id)
            try:
                rules.check_room_for_resource([r.name for r in existing], resource.name)
            except InvalidInput as error:
                await send(interaction, content=problem_message(error))
            else:
                await send(interaction, content=text.RESOURCE_RETRY)
            return
        shown = safe_text.neutralise(resource.name, rules.NAME_MAX * 2)
        note = await self.announce(settings.log_channel_id, interaction.user.id,
                                   text.LOG_RESOURCE_ADDED.format(name=shown))
        await send(interaction, content=text.RESOURCE_ADDED.format(
            name=shown, count=len(existing) + 1, limit=rules.MAX_RESOURCES) + note)

    @app_commands.command(name="resource-remove", description=text.RESOURCE_REMOVE_DESCRIPTION)
    @app_commands.describe(name=text.RESOURCE_REMOVE_OPTION)
    @manage_guild_only
    async def resource_remove(
        self, interaction: discord.Interaction, name: app_commands.Range[str, 1, 100]
    ) -> None:
        guild_id = interaction.guild_id
        assert guild_id is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        wanted = " ".join(name.split()).casefold()
        existing = await self.storage.communities.resources(guild_id)
        match = next((r for r in existing if r.name.casefold() == wanted), None)
        if match is None or not await self.storage.communities.remove_resource(
            guild_id, match.name
        ):
            # Repeats what the admin typed, privately: through the one sanitiser.
            await send(interaction, content=text.RESOURCE_NOT_FOUND.format(
                name=safe_text.typed_text(name, rules.NAME_MAX)))
            return
        shown = safe_text.neutralise(match.name, rules.NAME_MAX * 2)
        settings = await self.storage.communities.settings(guild_id)
        note = await self.announce(settings.log_channel_id, interaction.user.id,
                                   text.LOG_RESOURCE_REMOVED.format(name=shown))
        await send(interaction, content=text.RESOURCE_REMOVED.format(name=shown) + note)

    @resource_remove.autocomplete("name")
    async def resource_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None or not interaction.permissions.manage_guild:
            return []
        existing = await self.storage.communities.resources(interaction.guild_id)
        return [app_commands.Choice(name=shown, value=value)
                for shown, value in rules.resource_choices([r.name for r in existing], current)]

    # ------------------------------------------------------------ log channel
    @app_commands.command(name="log-channel", description=text.LOG_DESCRIPTION)
    @app_commands.describe(channel=text.LOG_OPTION)
    @manage_guild_only
    async def log_channel(
        self, interaction: discord.Interaction, channel: discord.TextChannel | None = None
    ) -> None:
        guild_id = interaction.guild_id
        assert guild_id is not None
        who = interaction.user.id
        if channel is not None:
            if channel.guild.id != guild_id:
                await send(interaction, content=text.CANNOT_POST_GONE)
                return
            missing = missing_post_permissions(bot_permissions_in(interaction, channel))
            if missing:
                await send(interaction, content=text.CANNOT_POST.format(
                    channel=channel.mention, permissions=join_permissions(missing)))
                return
        await interaction.response.defer(ephemeral=True, thinking=True)
        before = await self.storage.communities.settings(guild_id)
        if channel is None:
            if before.log_channel_id is None:
                await send(interaction, content=text.LOG_OFF_ALREADY)
                return
            await self.storage.communities.update(guild_id, log_channel_id=None)
            # The old log hears that it was turned off; a failure there is no news.
            await self.announce(before.log_channel_id, who, text.LOG_TURNED_OFF)
            await send(interaction, content=text.LOG_OFF)
            return
        if before.log_channel_id == channel.id:
            await send(interaction, content=text.UNCHANGED)
            return
        # Post in the new channel first: if the bot cannot, nothing changes.
        try:
            await channel.send(
                content=text.LOG_PREFIX.format(who=f"<@{who}>") + text.LOG_NOW_HERE,
                allowed_mentions=NO_MENTIONS,
            )
        except discord.HTTPException as error:
            await send(interaction, content=cannot_post_message(error, channel.id))
            return
        await self.storage.communities.update(guild_id, log_channel_id=channel.id)
        await self.announce(before.log_channel_id, who,
                            text.LOG_MOVED_AWAY.format(channel=channel.mention))
        await send(interaction, content=text.LOG_SET.format(channel=channel.mention))

    # ------------------------------------------------------------ reset
    @app_commands.command(name="reset", description=text.RESET_DESCRIPTION)
    @manage_guild_only
    async def reset(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        resources = await self.storage.communities.resources(interaction.guild_id)
        at = int(self.bot.clock().timestamp())
        key = self.bot.tag_key
        count = ENGLISH.plural(text.RESET_RESOURCES_ONE, text.RESET_RESOURCES_OTHER, len(resources))
        await send(interaction, content=text.RESET_PROMPT.format(resources=count),
                   view=reset_view(key, interaction.guild_id, interaction.user.id, at))


async def setup(bot: MetooBot) -> None:
    await bot.add_cog(Admin(bot))
