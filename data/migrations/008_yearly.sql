-- Regulars schema 8: months far ahead in the calendar at any shop size.
--
-- Past the 400 days reminder_due keeps, a month's grid worked out every
-- birthday, customer-since day and occasion of its days from
-- reminder_yearly. So each row of reminder_yearly now also keeps what a
-- day far ahead needs of it (calendar_yearly.go): the kind's place in a
-- day's list (grp; NULL when it is never on a day far ahead: its kind is
-- off, the customer is not to be contacted, a one-off date already kept),
-- the name and the key without its day (stem) a day's list is ordered by,
-- and the years it is due in (first_year, 0: every year far ahead;
-- last_year, 0: no end). reminder_yearly_counts counts those rows by
-- month-day, place and years, and reminder_yearly_off holds the days far
-- ahead that a reminder state takes a reminder off. Every write
-- transaction keeps both with reminder_yearly. The rows kept so far lack
-- the new columns: they are set aside here and worked out afresh.
UPDATE reminder_cache SET fingerprint = '';
DELETE FROM reminder_yearly;
ALTER TABLE reminder_yearly ADD COLUMN grp INTEGER;
ALTER TABLE reminder_yearly ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE reminder_yearly ADD COLUMN stem TEXT NOT NULL DEFAULT '';
ALTER TABLE reminder_yearly ADD COLUMN first_year INTEGER NOT NULL DEFAULT 0;
ALTER TABLE reminder_yearly ADD COLUMN last_year INTEGER NOT NULL DEFAULT 0;
-- A day far ahead in the calendar's order: by kind, then as Today orders
-- a day (name, customer, key).
CREATE INDEX reminder_yearly_day ON reminder_yearly(md, grp, name, customer_id, stem) WHERE grp IS NOT NULL;

CREATE TABLE reminder_yearly_counts (
    md         INTEGER NOT NULL,
    grp        INTEGER NOT NULL,
    first_year INTEGER NOT NULL,
    last_year  INTEGER NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (md, grp, first_year, last_year)
);

CREATE TABLE reminder_yearly_off (
    due         INTEGER NOT NULL,
    grp         INTEGER NOT NULL,
    customer_id INTEGER NOT NULL,
    stem        TEXT NOT NULL,
    PRIMARY KEY (due, customer_id, stem)
);
CREATE INDEX reminder_yearly_off_customer ON reminder_yearly_off(customer_id);
