"""/config: a community's settings, its local resources, the panel, the reset
and the configuration log (the feature once called admin).

Other features may use only what `__all__` lists, all pure: how an admin's link
is shown (`link_markdown`: /resources shows local resources as /config show
does), and the smallest threshold a count may have (`MIN_THRESHOLD`: the
count's own rule, which /config enforces when it is set).
"""

from bot.features.config.rules import MIN_THRESHOLD, link_markdown

__all__ = ["MIN_THRESHOLD", "link_markdown"]
