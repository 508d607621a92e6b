-- Regulars schema 16: the facts and one summary row per customer.
--
-- The reminder caches of schemas 3 to 8 go: Today, Upcoming and the
-- calendar read the facts, with the summary rows for the customers who
-- have nothing dated near the days asked (today_summary.go). Their
-- triggers go with them. The file is vacuumed after this migration.
DROP TRIGGER customers_dirty_insert;
DROP TRIGGER customers_dirty_update;
DROP TRIGGER customers_dirty_delete;
DROP TRIGGER purchases_dirty_insert;
DROP TRIGGER purchases_dirty_update;
DROP TRIGGER purchases_dirty_delete;
DROP TRIGGER contacts_dirty_insert;
DROP TRIGGER contacts_dirty_update;
DROP TRIGGER contacts_dirty_delete;
DROP TRIGGER ledger_dirty_insert;
DROP TRIGGER ledger_dirty_update;
DROP TRIGGER promises_dirty_insert;
DROP TRIGGER promises_dirty_update;
DROP TRIGGER promises_dirty_delete;
DROP TRIGGER complaints_dirty_insert;
DROP TRIGGER complaints_dirty_update;
DROP TRIGGER complaints_dirty_delete;
DROP TRIGGER occasions_dirty_insert;
DROP TRIGGER occasions_dirty_update;
DROP TRIGGER occasions_dirty_delete;
DROP TRIGGER reminder_states_dirty_insert;
DROP TRIGGER reminder_states_dirty_update;
DROP TRIGGER reminder_states_dirty_delete;
DROP TRIGGER settings_gen_insert;
DROP TRIGGER settings_gen_update;
DROP TRIGGER settings_gen_delete;
DROP TABLE reminder_cache;
DROP TABLE reminder_customers;
DROP TABLE reminder_dirty;
DROP TABLE reminder_now;
DROP TABLE reminder_due;
DROP TABLE reminder_due_counts;
DROP TABLE reminder_yearly;
DROP TABLE reminder_yearly_counts;
DROP TABLE reminder_yearly_off;
DROP TABLE reminder_lists;
DROP TABLE reminder_list_counts;
DROP INDEX occasions_lead;

-- One summary row per customer.
--
-- What a customer's facts add up to as they stand today: the points
-- balance, the day a reward became ready (when one is ready now), the
-- latest sale and contact, and the day of the latest dated fact. The
-- store's write methods bring a customer's row up to date in the
-- transaction of the fact that changes it (summary.go); `regulars check`
-- compares every row with the facts. No trigger writes it.
CREATE TABLE customer_summary (
    customer_id      INTEGER PRIMARY KEY REFERENCES customers(id) ON DELETE CASCADE,
    balance          INTEGER NOT NULL,
    reward_ready_on  TEXT,      -- the latest day the balance reached a reward, no redeem since
    last_sale_id     INTEGER,   -- the latest sale (not refund, not voided)
    last_sale_day    TEXT,
    last_sale_cents  INTEGER,
    last_contact_day TEXT,
    last_fact_day    TEXT       -- the latest purchase, contact, ledger row, promise or complaint day
);
CREATE INDEX customer_summary_last_fact ON customer_summary(last_fact_day);

-- The points a reward needed when the rows were last worked out: a new
-- scheme works every row out again. One row.
CREATE TABLE customer_summary_scheme (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    reward_points INTEGER NOT NULL
);
INSERT INTO customer_summary_scheme(id, reward_points) VALUES (1, -1);

-- Today reads the facts of the customers with something dated near the day
-- and the summary rows of the rest (today_summary.go); these find the
-- customers whose points may expire in the days asked, and those holding
-- reminder states a merge moved to them (their keys name another customer).
CREATE INDEX ledger_earned ON ledger(day, customer_id) WHERE points > 0;
CREATE INDEX reminder_states_moved ON reminder_states(customer_id)
    WHERE substr(key, 1, length(kind) + length(customer_id) + 2) <> kind || ':' || customer_id || ':';
-- Upcoming lists the reminders snoozed into its days.
CREATE INDEX reminder_states_snoozed ON reminder_states(snoozed_until) WHERE state = 'snoozed';
