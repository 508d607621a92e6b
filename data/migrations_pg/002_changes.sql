-- Regulars on PostgreSQL, schema 2: a count of the shop's write
-- transactions, one row. PostgreSQL has no PRAGMA data_version: what a
-- store remembers of the shop (Today, the search entries, the calendar)
-- is read again when another till moved the count.
CREATE TABLE shop_changes (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  BIGINT NOT NULL
);
INSERT INTO shop_changes(id, n) VALUES (1, 0);
