"""Lifecycle: what happens to a community's data when the bot leaves it, and the
jobs that run at start-up and once a UTC day. No commands, nothing shown to
people; other features use nothing of it (empty `__all__`)."""

__all__: list[str] = []
