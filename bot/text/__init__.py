"""User-facing text, one module per feature, so wording is reviewed in one place."""
