-- Regulars schema: when a complaint was resolved, to the second, so reports
-- can tell how many hours it took. Older rows keep only resolved_on.
ALTER TABLE complaints ADD COLUMN resolved_at TEXT;
