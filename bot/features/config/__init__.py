"""/config: a community's settings, its local resources, the panel, the reset
and the configuration log (the feature once called admin).

Other features may use only what `__all__` lists: how an admin's link is shown
(`link_markdown`, pure: /resources shows local resources as /config show does).
"""

from bot.features.config.rules import link_markdown

__all__ = ["link_markdown"]
