"""Languages: the translator (pure) and its discord.py adapter for command descriptions."""
