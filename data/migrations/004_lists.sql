-- Regulars schema 4: Today and Upcoming of the current day, kept.
--
-- The Today and Upcoming lists of one day (reminder_cache.list_day), in
-- their order, so that a screen reads their first page and their counts
-- without working out the whole list. Every write transaction works the
-- rows of the customers it touched out again (see lists.go), as it does
-- for the other derived rows; a day of 0 means the lists are not kept.
ALTER TABLE reminder_cache ADD COLUMN list_day INTEGER NOT NULL DEFAULT 0;
-- The code's version and the settings the lists were worked out under
-- (the rules, the scheme, the shop's name, the templates): lists.go.
ALTER TABLE reminder_cache ADD COLUMN list_settings TEXT NOT NULL DEFAULT '';

-- list: 0 Today, 1 Upcoming (the next 7 days). grp is the screen's group:
-- for Today 0 open complaints, 1 overdue, 2 and on the kinds in their
-- order; for Upcoming the due day. data holds the reminder, words and all.
CREATE TABLE reminder_lists (
    list        INTEGER NOT NULL,
    grp         INTEGER NOT NULL,
    due         INTEGER NOT NULL,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    customer_id INTEGER NOT NULL,
    key         TEXT NOT NULL,
    data        BLOB NOT NULL
);
CREATE INDEX reminder_lists_order ON reminder_lists(list, due, name, kind, customer_id, key);
CREATE INDEX reminder_lists_group ON reminder_lists(list, grp, due, name, kind, customer_id, key);
CREATE INDEX reminder_lists_customer ON reminder_lists(customer_id);

-- How many rows each list holds by group and kind.
CREATE TABLE reminder_list_counts (
    list INTEGER NOT NULL,
    grp  INTEGER NOT NULL,
    kind TEXT NOT NULL,
    n    INTEGER NOT NULL,
    PRIMARY KEY (list, grp, kind)
);
