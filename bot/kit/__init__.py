"""What every feature shares: answering, checks, the FeatureCog base, cards and
embeds, custom ids, countries, safe text and the shared texts. The kit never
imports a feature."""
