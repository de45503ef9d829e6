"""/config: a community's settings, local resources, the panel and the
configuration log. Discord in, rules and storage, Discord out.

Every subcommand checks Manage Server in code (the command's default
permissions are only a hint a server owner can override), and so does every
reset button (reset.py). Every reply is private except the panel and the
configuration log's posts, and nothing the bot sends can ping anyone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.app_commands import locale_str
from discord.ext import commands

from bot.features.config import render, rules, text
from bot.features.config.log import announce
from bot.features.config.panel import PanelButton, delete_message, panel_view
from bot.features.config.render import PostFailure
from bot.features.config.reset import ResetButton, reset_view
from bot.features.config.rules import InvalidInput
from bot.features.hotlines import TOPIC_LABELS, coverage
from bot.i18n.languages import AUTO, CHOOSABLE, language_name
from bot.i18n.translator import Tr
from bot.kit.checks import can_manage_guild, manage_guild_only, with_the_bot
from bot.kit.cog import FeatureCog
from bot.kit.embeds import to_embed
from bot.kit.respond import NO_MENTIONS, community_locale, send
from bot.kit.safe_text import typed_text
from bot.storage import CommunityResource

if TYPE_CHECKING:
    from bot.app import MetooBot

# What the bot needs in a channel to post there (content and buttons, no embeds).
POST_PERMISSIONS = ("view_channel", "send_messages")


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


def post_failure(error: discord.HTTPException) -> PostFailure:
    if isinstance(error, discord.Forbidden):
        return "forbidden"
    if isinstance(error, discord.NotFound):
        return "gone"
    return "other"


@with_the_bot
@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Config(FeatureCog, commands.GroupCog, group_name="config",
             group_description=locale_str(text.GROUP_DESCRIPTION)):

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(PanelButton, ResetButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(PanelButton, ResetButton)

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        # A second line behind each command's own check: any /config command
        # added later is covered too.
        return can_manage_guild(interaction)

    # ------------------------------------------------------------ helpers
    async def post_to_log(self, interaction: discord.Interaction, channel_id: int | None,
                          line: str) -> str:
        """Post `line` (in the community's language) to the configuration log;
        a note for the admin's answer when that failed, else ""."""
        return await announce(self.bot, channel_id, line, who=interaction.user.id,
                              public=await self.public_tr(interaction),
                              private=self.tr(interaction))

    async def change_setting(
        self, interaction: discord.Interaction, column: str, new: Any, label: str,
        show: Callable[[Tr, Any], str],
    ) -> str | None:
        """Defer, store one setting and announce the change in the log channel
        (`label`: the setting's msgid; `show`: a value as text). Returns the note
        for the admin's answer, or None (after saying so) when the setting
        already had that value."""
        assert interaction.guild_id is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        before = await self.storage.communities.settings(interaction.guild_id)
        old = getattr(before, column)
        if old == new:
            await send(interaction, content=self.tr(interaction)(text.UNCHANGED))
            return None
        await self.storage.communities.update(interaction.guild_id, **{column: new})
        public = await self.public_tr(interaction)
        line = render.log_change(public, label, show(public, old), show(public, new))
        return await self.post_to_log(interaction, before.log_channel_id, line)

    async def refuse_channel(self, interaction: discord.Interaction,
                             channel: discord.TextChannel) -> bool:
        """True (after saying why, changing nothing) when the bot cannot post in
        `channel`, as far as it can tell before trying."""
        tr = self.tr(interaction)
        if channel.guild.id != interaction.guild_id:
            await send(interaction, content=tr(text.CANNOT_POST_GONE))
            return True
        missing = missing_post_permissions(bot_permissions_in(interaction, channel))
        if missing:
            await send(interaction, content=render.cannot_post(tr, "forbidden", channel.id,
                                                               missing))
            return True
        return False

    # ------------------------------------------------------------ show
    @app_commands.command(name="show", description=locale_str(text.SHOW_DESCRIPTION))
    @manage_guild_only
    async def show(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        settings = await self.storage.communities.settings(interaction.guild_id)
        resources = await self.storage.communities.resources(interaction.guild_id)
        card = render.settings_card(self.tr(interaction), settings, resources,
                                    self.settings.default_country)
        await send(interaction, embed=to_embed(card))

    # ------------------------------------------------------------ country
    @app_commands.command(name="country", description=locale_str(text.COUNTRY_DESCRIPTION))
    @app_commands.describe(code=locale_str(text.COUNTRY_OPTION))
    @manage_guild_only
    async def country(
        self, interaction: discord.Interaction, code: app_commands.Range[str, 1, 100]
    ) -> None:
        assert interaction.guild_id is not None
        tr = self.tr(interaction)
        try:
            new = rules.parse_country_setting(code)
        except InvalidInput as error:
            await send(interaction, content=render.problem_message(tr, error))
            return
        note = await self.change_setting(interaction, "country", new, text.FIELD_COUNTRY,
                                          render.country_label)
        if note is None:
            return
        if new:
            found = coverage(new)
            reply = render.country_set(
                tr, new, emergency=found.emergency,
                topics=[tr(TOPIC_LABELS[t]) for t in found.topics],
                missing=[tr(TOPIC_LABELS[t]) for t in found.missing])
        else:
            reply = tr(text.COUNTRY_CLEARED)
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
    @app_commands.command(name="acknowledgements", description=locale_str(text.ACK_DESCRIPTION))
    @app_commands.describe(enabled=locale_str(text.ACK_OPTION))
    @manage_guild_only
    async def acknowledgements(self, interaction: discord.Interaction, enabled: bool) -> None:
        note = await self.change_setting(interaction, "acknowledgements_enabled", enabled,
                                          text.FIELD_ACK, render.on_off)
        if note is None:
            return
        tr = self.tr(interaction)
        reply = tr(text.ACK_ON) if enabled else tr(text.ACK_OFF)
        if enabled and not self.settings.acknowledgements_available:
            reply += tr(text.ACK_UNAVAILABLE)
        await send(interaction, content=reply + note)

    # ------------------------------------------------------------ threshold
    @app_commands.command(name="threshold", description=locale_str(text.THRESHOLD_DESCRIPTION))
    @app_commands.describe(value=locale_str(text.THRESHOLD_OPTION))
    @manage_guild_only
    async def threshold(
        self,
        interaction: discord.Interaction,
        value: app_commands.Range[int, rules.MIN_THRESHOLD, rules.MAX_THRESHOLD],
    ) -> None:
        assert interaction.guild_id is not None
        tr = self.tr(interaction)
        try:
            value = rules.validate_threshold(value)
        except InvalidInput as error:
            await send(interaction, content=render.problem_message(tr, error))
            return
        note = await self.change_setting(interaction, "threshold", value, text.FIELD_THRESHOLD,
                                          render.number)
        if note is None:
            return
        await send(interaction, content=tr(text.THRESHOLD_SET, value=value) + note)

    # ------------------------------------------------------------ panel
    @app_commands.command(name="panel", description=locale_str(text.PANEL_DESCRIPTION))
    @app_commands.describe(channel=locale_str(text.PANEL_OPTION))
    @manage_guild_only
    async def panel(self, interaction: discord.Interaction, channel: discord.TextChannel) -> None:
        guild_id = interaction.guild_id
        assert guild_id is not None
        if await self.refuse_channel(interaction, channel):
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        tr, public = self.tr(interaction), await self.public_tr(interaction)
        before = await self.storage.communities.settings(guild_id)
        try:
            message = await channel.send(
                content=public(text.PANEL_TEXT), view=panel_view(public),
                allowed_mentions=NO_MENTIONS,
            )
        except discord.HTTPException as error:
            await send(interaction, content=render.cannot_post(
                tr, post_failure(error), channel.id, POST_PERMISSIONS))
            return
        try:
            await self.storage.communities.update(
                guild_id, panel_channel_id=channel.id, panel_message_id=message.id
            )
        except BaseException:
            await delete_message(self.bot, channel.id, message.id)  # nothing half-done
            raise
        reply = tr(text.PANEL_POSTED, channel=channel.mention)
        if before.panel_channel_id and before.panel_message_id:
            if await delete_message(self.bot, before.panel_channel_id, before.panel_message_id):
                reply = tr(text.PANEL_MOVED, channel=channel.mention)
            else:
                reply += tr(text.PANEL_OLD_KEPT)
        note = await self.post_to_log(interaction, before.log_channel_id,
                                   public(text.LOG_PANEL, channel=channel.mention))
        await send(interaction, content=reply + note)

    # ------------------------------------------------------------ resources
    @app_commands.command(name="resource-add",
                          description=locale_str(text.RESOURCE_ADD_DESCRIPTION))
    @app_commands.describe(
        name=locale_str(text.RESOURCE_NAME_OPTION),
        description=locale_str(text.RESOURCE_DESCRIPTION_OPTION),
        url=locale_str(text.RESOURCE_URL_OPTION), phone=locale_str(text.RESOURCE_PHONE_OPTION),
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
        tr = self.tr(interaction)
        settings = await self.storage.communities.settings(guild_id)
        try:
            resource = rules.validate_resource(
                name, description, url, phone, settings.country or self.settings.default_country
            )
            existing = await self.storage.communities.resources(guild_id)
            rules.check_room_for_resource([r.name for r in existing], resource.name)
        except InvalidInput as error:
            await send(interaction, content=render.problem_message(tr, error))
            return
        row = CommunityResource(
            guild_id, resource.name, resource.description, resource.url, resource.phone,
            added_on=self.today().isoformat(),
        )
        if not await self.storage.communities.add_resource(row, rules.MAX_RESOURCES):
            # Another admin added one at the same moment: say which rule applies now.
            existing = await self.storage.communities.resources(guild_id)
            try:
                rules.check_room_for_resource([r.name for r in existing], resource.name)
            except InvalidInput as error:
                await send(interaction, content=render.problem_message(tr, error))
            else:
                await send(interaction, content=tr(text.RESOURCE_RETRY))
            return
        shown = render.shown_name(resource.name)
        note = await self.post_to_log(
            interaction, settings.log_channel_id,
            (await self.public_tr(interaction))(text.LOG_RESOURCE_ADDED, name=shown))
        await send(interaction, content=tr(
            text.RESOURCE_ADDED, name=shown, count=len(existing) + 1,
            limit=rules.MAX_RESOURCES) + note)

    @app_commands.command(name="resource-remove",
                          description=locale_str(text.RESOURCE_REMOVE_DESCRIPTION))
    @app_commands.describe(name=locale_str(text.RESOURCE_REMOVE_OPTION))
    @manage_guild_only
    async def resource_remove(
        self, interaction: discord.Interaction, name: app_commands.Range[str, 1, 100]
    ) -> None:
        guild_id = interaction.guild_id
        assert guild_id is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        tr = self.tr(interaction)
        wanted = " ".join(name.split()).casefold()
        existing = await self.storage.communities.resources(guild_id)
        match = next((r for r in existing if r.name.casefold() == wanted), None)
        if match is None or not await self.storage.communities.remove_resource(
            guild_id, match.name
        ):
            # Repeats what the admin typed, privately: through the one sanitiser.
            await send(interaction, content=tr(text.RESOURCE_NOT_FOUND,
                                               name=typed_text(name, rules.NAME_MAX)))
            return
        shown = render.shown_name(match.name)
        settings = await self.storage.communities.settings(guild_id)
        note = await self.post_to_log(
            interaction, settings.log_channel_id,
            (await self.public_tr(interaction))(text.LOG_RESOURCE_REMOVED, name=shown))
        await send(interaction, content=tr(text.RESOURCE_REMOVED, name=shown) + note)

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
    @app_commands.command(name="log-channel", description=locale_str(text.LOG_DESCRIPTION))
    @app_commands.describe(channel=locale_str(text.LOG_OPTION))
    @manage_guild_only
    async def log_channel(
        self, interaction: discord.Interaction, channel: discord.TextChannel | None = None
    ) -> None:
        guild_id = interaction.guild_id
        assert guild_id is not None
        if channel is not None and await self.refuse_channel(interaction, channel):
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        tr, public = self.tr(interaction), await self.public_tr(interaction)
        before = await self.storage.communities.settings(guild_id)
        if channel is None:
            if before.log_channel_id is None:
                await send(interaction, content=tr(text.LOG_OFF_ALREADY))
                return
            await self.storage.communities.update(guild_id, log_channel_id=None)
            # The old log hears that it was turned off; a failure there is no news.
            await self.post_to_log(interaction, before.log_channel_id, public(text.LOG_TURNED_OFF))
            await send(interaction, content=tr(text.LOG_OFF))
            return
        if before.log_channel_id == channel.id:
            await send(interaction, content=tr(text.UNCHANGED))
            return
        # Post in the new channel first: if the bot cannot, nothing changes.
        try:
            await channel.send(
                content=render.log_entry(public, interaction.user.id, public(text.LOG_NOW_HERE)),
                allowed_mentions=NO_MENTIONS,
            )
        except discord.HTTPException as error:
            await send(interaction, content=render.cannot_post(
                tr, post_failure(error), channel.id, POST_PERMISSIONS))
            return
        await self.storage.communities.update(guild_id, log_channel_id=channel.id)
        await self.post_to_log(interaction, before.log_channel_id,
                            public(text.LOG_MOVED_AWAY, channel=channel.mention))
        await send(interaction, content=tr(text.LOG_SET, channel=channel.mention))

    # ------------------------------------------------------------ language
    @app_commands.command(name="language", description=locale_str(text.LANGUAGE_DESCRIPTION))
    @app_commands.describe(language=locale_str(text.LANGUAGE_OPTION))
    @app_commands.choices(language=[
        app_commands.Choice(name=locale_str(text.LANGUAGE_AUTO), value=AUTO),
        *(app_commands.Choice(name=name, value=locale) for locale, name in CHOOSABLE.items()),
    ])
    @manage_guild_only
    async def language(self, interaction: discord.Interaction, language: str) -> None:
        """The language of this community's public posts (None stored: auto)."""
        new = language if language in CHOOSABLE else None
        note = await self.change_setting(interaction, "language", new, text.FIELD_LANGUAGE,
                                          render.language_label)
        if note is None:
            return
        tr = self.tr(interaction)
        # The language the posts will really be in (a server language without a
        # catalog falls back to English).
        shown_in = self.translator.for_locale(community_locale(interaction, new)).locale
        shown = language_name(shown_in)
        reply = tr(text.LANGUAGE_SET_AUTO if new is None else text.LANGUAGE_SET, language=shown)
        assert interaction.guild_id is not None
        settings = await self.storage.communities.settings(interaction.guild_id)
        if settings.panel_channel_id and settings.panel_message_id:
            reply += tr(text.LANGUAGE_PANEL_NOTE)
        await send(interaction, content=reply + note)

    # ------------------------------------------------------------ reset
    @app_commands.command(name="reset", description=locale_str(text.RESET_DESCRIPTION))
    @manage_guild_only
    async def reset(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        tr = self.tr(interaction)
        resources = await self.storage.communities.resources(interaction.guild_id)
        at = int(self.bot.clock().timestamp())
        await send(interaction, content=render.reset_prompt(tr, len(resources)),
                   view=reset_view(tr, self.bot.tag_key, interaction.guild_id,
                                   interaction.user.id, at))


async def setup(bot: MetooBot) -> None:
    await bot.add_cog(Config(bot))
