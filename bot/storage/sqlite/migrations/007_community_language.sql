-- 007: the language of a community's public posts (/config language): the panel,
-- the configuration log and answers with `public`. A Discord locale of a shipped
-- language; NULL is `auto`, the server's own Discord language. Nothing about a
-- person: a setting of the community, deleted with it.
ALTER TABLE community_settings ADD COLUMN language TEXT;
