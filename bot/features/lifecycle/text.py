"""Texts of lifecycle: none. It answers nobody (its only output is the
operator's log, which is not translated)."""
