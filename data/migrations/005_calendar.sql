-- Regulars schema 5: the calendar at any shop size.
--
-- A month's grid shows how many reminders each day holds of each kind, and
-- the chosen day's list is read a page at a time. So each row of
-- reminder_due keeps what a day's list is ordered by (the kind's place in
-- the list of kinds, the customer's name, the reminder's key), whether its
-- message names the purchase it speaks of (it does when a thank-you or
-- check-in of that purchase is due the same day), and the reminder as its
-- day lists it, words and all (worded); reminder_due_counts keeps how many
-- rows each day holds of each kind. Every write transaction keeps both with
-- the rest of reminder_due (reminder_cache.go, calendar_kept.go). The rows
-- kept so far lack the new columns: they are set aside here and worked out
-- afresh by the code of this schema.
UPDATE reminder_cache SET fingerprint = '';
DELETE FROM reminder_due;
DROP INDEX reminder_due_due;
DROP INDEX reminder_due_kind;
ALTER TABLE reminder_due ADD COLUMN grp INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reminder_due ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE reminder_due ADD COLUMN key TEXT NOT NULL DEFAULT '';
ALTER TABLE reminder_due ADD COLUMN named INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reminder_due ADD COLUMN worded BLOB NOT NULL DEFAULT x'';
-- The code's version and the settings reminder_due.worded was worded
-- under (the rules, the scheme, the shop's name, the templates).
ALTER TABLE reminder_cache ADD COLUMN due_words TEXT NOT NULL DEFAULT '';
-- A day's list in the calendar's order: by kind, then as Today orders a
-- day (name, customer, key). It also serves stretches of days.
CREATE INDEX reminder_due_day ON reminder_due(due, grp, name, customer_id, key);

-- How many rows of reminder_due each day holds of each kind. slot is
-- due * 16 + grp, so that the days of a month's grid are one stretch of
-- the table.
CREATE TABLE reminder_due_counts (
    slot INTEGER PRIMARY KEY,
    n    INTEGER NOT NULL
);
