"""/help: what the bot does and its commands. The model of a feature package.

A feature package holds everything of one feature: `cog.py` (Discord in and
out, with `async def setup(bot)` that bot.app loads), `text.py` (its msgids),
and, where it has them, pure modules (model, loader, rules, render, ...) and
`data/`. Other features may use only what this `__init__` lists in `__all__`:
/help offers nothing to others.
"""

__all__: list[str] = []
