-- Regulars schema 2: quick at any shop size.
--
-- What the reminder rules make of each customer's facts is kept beside the
-- facts, so that Today and the calendar read a few rows instead of the
-- whole history. Triggers on every table the rules read note the customers
-- whose facts changed; each write transaction works those customers out
-- again before it commits (see reminder_cache.go), so the derived rows
-- always match the facts of the same commit. Days in these tables are
-- day numbers (Day), not text.

-- Customers whose derived rows are out of date.
CREATE TABLE reminder_dirty (
    customer_id INTEGER PRIMARY KEY
);

-- The rules and scheme the derived rows were worked out under, and the
-- first day the calendar rows cover. One row.
CREATE TABLE reminder_cache (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    fingerprint TEXT NOT NULL,
    horizon     INTEGER NOT NULL
);
INSERT INTO reminder_cache(id, fingerprint, horizon) VALUES (1, '', 0);

-- Per customer: the day of the latest fact (or reminder state change), and
-- whether reminder states were moved here by a merge (such a customer is
-- always worked out from the facts). data holds what messages read.
CREATE TABLE reminder_customers (
    customer_id INTEGER PRIMARY KEY,
    last_fact   INTEGER NOT NULL,
    merged      INTEGER NOT NULL DEFAULT 0,
    data        BLOB NOT NULL
);
CREATE INDEX reminder_customers_last_fact ON reminder_customers(last_fact);
CREATE INDEX reminder_customers_merged ON reminder_customers(customer_id) WHERE merged <> 0;

-- The dated reminders (all kinds but birthdays, anniversaries and
-- occasions) as the facts stand, leaving out those done, skipped or past
-- their last day: what Today and Upcoming read. The indexes carry the
-- rows, so that a day's rows are read in one sweep.
CREATE TABLE reminder_now (
    customer_id INTEGER NOT NULL,
    due         INTEGER NOT NULL,
    shown_from  INTEGER NOT NULL,
    until       INTEGER NOT NULL,   -- 0: stays until done
    snoozed     INTEGER NOT NULL,
    data        BLOB NOT NULL
);
CREATE INDEX reminder_now_customer ON reminder_now(customer_id);
CREATE INDEX reminder_now_until ON reminder_now(until, shown_from, customer_id, data);
CREATE INDEX reminder_now_shown ON reminder_now(shown_from, customer_id, data);
CREATE INDEX reminder_now_due ON reminder_now(due, shown_from, customer_id, data);
CREATE INDEX reminder_now_snoozed ON reminder_now(customer_id) WHERE snoozed <> 0;

-- Each reminder that Today listed (or will list) on its due day, as the
-- facts stood that day, from the horizon on: what the calendar reads.
-- Birthdays, anniversaries and occasions are kept up to 400 days past the
-- customer's latest fact (or the horizon); later ones are worked out when
-- asked for.
CREATE TABLE reminder_due (
    customer_id INTEGER NOT NULL,
    due         INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    data        BLOB NOT NULL
);
CREATE INDEX reminder_due_customer ON reminder_due(customer_id);
CREATE INDEX reminder_due_due ON reminder_due(due);
CREATE INDEX reminder_due_kind ON reminder_due(due, kind);

-- Birthdays, customer-since days and occasions by month and day
-- (month*100+day), with the customer and the states of their reminders:
-- the yearly reminders of any day are worked out from these.
CREATE TABLE reminder_yearly (
    customer_id INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    md          INTEGER NOT NULL,
    data        BLOB NOT NULL
);
CREATE INDEX reminder_yearly_customer ON reminder_yearly(customer_id);
CREATE INDEX reminder_yearly_md ON reminder_yearly(kind, md, customer_id, data);
CREATE INDEX occasions_lead ON occasions(lead_days);
-- Done today: the states changed on a day.
CREATE INDEX reminder_states_changed ON reminder_states(changed_on);

-- The customer search keeps the searchable columns in memory; this counts
-- changes to them so it knows when to read them again.
CREATE TABLE customer_search (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL
);
INSERT INTO customer_search(id, generation) VALUES (1, 0);

CREATE TRIGGER customers_search_insert AFTER INSERT ON customers
BEGIN UPDATE customer_search SET generation = generation + 1; END;
CREATE TRIGGER customers_search_delete AFTER DELETE ON customers
BEGIN UPDATE customer_search SET generation = generation + 1; END;
CREATE TRIGGER customers_search_update AFTER UPDATE OF name_fold, email_norm, phone_digits ON customers
BEGIN UPDATE customer_search SET generation = generation + 1; END;

-- Every change to what the rules read marks the customers it touches. The
-- inserts never conflict: a trigger's conflict clause would give way to
-- the statement's that fired it.
CREATE TRIGGER customers_dirty_insert AFTER INSERT ON customers
BEGIN INSERT INTO reminder_dirty(customer_id) SELECT NEW.id WHERE NOT EXISTS (SELECT 1 FROM reminder_dirty WHERE customer_id = NEW.id); END;
CREATE TRIGGER customers_dirty_update AFTER UPDATE ON customers
BEGIN
    INSERT INTO reminder_dirty(customer_id) SELECT id FROM (SELECT OLD.id AS id UNION SELECT NEW.id)
        WHERE id IS NOT NULL AND id NOT IN (SELECT customer_id FROM reminder_dirty);
END;
CREATE TRIGGER customers_dirty_delete AFTER DELETE ON customers
BEGIN INSERT INTO reminder_dirty(customer_id) SELECT OLD.id WHERE NOT EXISTS (SELECT 1 FROM reminder_dirty WHERE customer_id = OLD.id); END;

CREATE TRIGGER purchases_dirty_insert AFTER INSERT ON purchases WHEN NEW.customer_id IS NOT NULL
BEGIN INSERT INTO reminder_dirty(customer_id) SELECT NEW.customer_id WHERE NOT EXISTS (SELECT 1 FROM reminder_dirty WHERE customer_id = NEW.customer_id); END;
CREATE TRIGGER purchases_dirty_update AFTER UPDATE ON purchases
BEGIN
    INSERT INTO reminder_dirty(customer_id) SELECT id FROM (SELECT OLD.customer_id AS id UNION SELECT NEW.customer_id)
        WHERE id IS NOT NULL AND id NOT IN (SELECT customer_id FROM reminder_dirty);
END;
CREATE TRIGGER purchases_dirty_delete AFTER DELETE ON purchases WHEN OLD.customer_id IS NOT NULL
BEGIN INSERT INTO reminder_dirty(customer_id) SELECT OLD.customer_id WHERE NOT EXISTS (SELECT 1 FROM reminder_dirty WHERE customer_id = OLD.customer_id); END;

CREATE TRIGGER contacts_dirty_insert AFTER INSERT ON contacts
BEGIN INSERT INTO reminder_dirty(customer_id) SELECT NEW.customer_id WHERE NOT EXISTS (SELECT 1 FROM reminder_dirty WHERE customer_id = NEW.customer_id); END;
CREATE TRIGGER contacts_dirty_update AFTER UPDATE ON contacts
BEGIN
    INSERT INTO reminder_dirty(customer_id) SELECT id FROM (SELECT OLD.customer_id AS id UNION SELECT NEW.customer_id)
        WHERE id IS NOT NULL AND id NOT IN (SELECT customer_id FROM reminder_dirty);
END;
CREATE TRIGGER contacts_dirty_delete AFTER DELETE ON contacts
BEGIN INSERT INTO reminder_dirty(customer_id) SELECT OLD.customer_id WHERE NOT EXISTS (SELECT 1 FROM reminder_dirty WHERE customer_id = OLD.customer_id); END;

CREATE TRIGGER ledger_dirty_insert AFTER INSERT ON ledger
BEGIN INSERT INTO reminder_dirty(customer_id) SELECT NEW.customer_id WHERE NOT EXISTS (SELECT 1 FROM reminder_dirty WHERE customer_id = NEW.customer_id); END;
CREATE TRIGGER ledger_dirty_update AFTER UPDATE ON ledger
BEGIN
    INSERT INTO reminder_dirty(customer_id) SELECT id FROM (SELECT OLD.customer_id AS id UNION SELECT NEW.customer_id)
        WHERE id IS NOT NULL AND id NOT IN (SELECT customer_id FROM reminder_dirty);
END;

CREATE TRIGGER promises_dirty_insert AFTER INSERT ON promises
BEGIN INSERT INTO reminder_dirty(customer_id) SELECT NEW.customer_id WHERE NOT EXISTS (SELECT 1 FROM reminder_dirty WHERE customer_id = NEW.customer_id); END;
CREATE TRIGGER promises_dirty_update AFTER UPDATE ON promises
BEGIN
    INSERT INTO reminder_dirty(customer_id) SELECT id FROM (SELECT OLD.customer_id AS id UNION SELECT NEW.customer_id)
        WHERE id IS NOT NULL AND id NOT IN (SELECT customer_id FROM reminder_dirty);
END;
CREATE TRIGGER promises_dirty_delete AFTER DELETE ON promises
BEGIN INSERT INTO reminder_dirty(customer_id) SELECT OLD.customer_id WHERE NOT EXISTS (SELECT 1 FROM reminder_dirty WHERE customer_id = OLD.customer_id); END;

CREATE TRIGGER complaints_dirty_insert AFTER INSERT ON complaints
BEGIN INSERT INTO reminder_dirty(customer_id) SELECT NEW.customer_id WHERE NOT EXISTS (SELECT 1 FROM reminder_dirty WHERE customer_id = NEW.customer_id); END;
CREATE TRIGGER complaints_dirty_update AFTER UPDATE ON complaints
BEGIN
    INSERT INTO reminder_dirty(customer_id) SELECT id FROM (SELECT OLD.customer_id AS id UNION SELECT NEW.customer_id)
        WHERE id IS NOT NULL AND id NOT IN (SELECT customer_id FROM reminder_dirty);
END;
CREATE TRIGGER complaints_dirty_delete AFTER DELETE ON complaints
BEGIN INSERT INTO reminder_dirty(customer_id) SELECT OLD.customer_id WHERE NOT EXISTS (SELECT 1 FROM reminder_dirty WHERE customer_id = OLD.customer_id); END;

CREATE TRIGGER occasions_dirty_insert AFTER INSERT ON occasions
BEGIN INSERT INTO reminder_dirty(customer_id) SELECT NEW.customer_id WHERE NOT EXISTS (SELECT 1 FROM reminder_dirty WHERE customer_id = NEW.customer_id); END;
CREATE TRIGGER occasions_dirty_update AFTER UPDATE ON occasions
BEGIN
    INSERT INTO reminder_dirty(customer_id) SELECT id FROM (SELECT OLD.customer_id AS id UNION SELECT NEW.customer_id)
        WHERE id IS NOT NULL AND id NOT IN (SELECT customer_id FROM reminder_dirty);
END;
CREATE TRIGGER occasions_dirty_delete AFTER DELETE ON occasions
BEGIN INSERT INTO reminder_dirty(customer_id) SELECT OLD.customer_id WHERE NOT EXISTS (SELECT 1 FROM reminder_dirty WHERE customer_id = OLD.customer_id); END;

CREATE TRIGGER reminder_states_dirty_insert AFTER INSERT ON reminder_states
BEGIN INSERT INTO reminder_dirty(customer_id) SELECT NEW.customer_id WHERE NOT EXISTS (SELECT 1 FROM reminder_dirty WHERE customer_id = NEW.customer_id); END;
CREATE TRIGGER reminder_states_dirty_update AFTER UPDATE ON reminder_states
BEGIN
    INSERT INTO reminder_dirty(customer_id) SELECT id FROM (SELECT OLD.customer_id AS id UNION SELECT NEW.customer_id)
        WHERE id IS NOT NULL AND id NOT IN (SELECT customer_id FROM reminder_dirty);
END;
CREATE TRIGGER reminder_states_dirty_delete AFTER DELETE ON reminder_states
BEGIN INSERT INTO reminder_dirty(customer_id) SELECT OLD.customer_id WHERE NOT EXISTS (SELECT 1 FROM reminder_dirty WHERE customer_id = OLD.customer_id); END;
