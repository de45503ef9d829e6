"""Texts of /resources (msgids of the translator)."""

from bot.i18n.translator import N_

RESOURCES_DESCRIPTION = N_(
    "This community's resources, local support lines and international directories."
)

RESOURCES_TITLE = N_("Support resources")
RESOURCES_TITLE_COUNTRY = N_("Support resources for {country}")
COMMUNITY_HEADING = N_("From this community's admins")
COMMUNITY_NOTE = N_("Added by this community's admins, not checked by the bot's maintainers.")
RESOURCE_CALL = N_("Call {phone}")
RESOURCES_STORAGE_UNAVAILABLE = N_(
    "This community's own resources can't be read just now. The lines below are still up to date."
)
RESOURCES_LINES_TITLE = N_("Support lines in {country}")
RESOURCES_MORE = N_(
    "For hours, costs, languages and sources, use `/hotline` (it also covers other topics)."
)
RESOURCES_NO_COUNTRY = N_(
    "This community has not set its country, so we can't list local support lines "
    "here. An admin can set it with `/config country`, and anyone can use "
    "`/hotline country:`."
)
DIRECTORIES_HEADING = N_("International directories")
