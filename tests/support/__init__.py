"""Helpers shared by the tests and the tools that check the bot (bench.hostile)."""
