"""The one error of the storage package."""


class StorageError(Exception):
    """The database cannot be used for this operation (locked, read-only, full,
    unreachable, not supported): nothing was half-written. The message says why,
    for the operator, and never holds a person's data. Every driver error (sqlite3,
    and later asyncpg) is turned into this at the package's boundary."""
