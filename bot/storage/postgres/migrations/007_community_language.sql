-- 007: the language of a community's public posts (/config language), as SQLite's
-- 007: a Discord locale of a shipped language; NULL is `auto`, the server's own
-- Discord language. A setting of the community, deleted with it.
ALTER TABLE community_settings ADD COLUMN language TEXT;
