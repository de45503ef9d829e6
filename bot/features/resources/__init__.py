"""/resources: everything a community offers for support, in one answer.

Emergency help first (the hotlines feature's `emergency_text`), then the
community's own resources (stored by /config resource-add), the country's
support lines in brief and the international directories. `cog` is the Discord
side, `render` builds the Cards. Other features use nothing of it.
"""

__all__: list[str] = []
