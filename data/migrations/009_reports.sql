-- Regulars schema 9: the Reports page and the Loyalty screen at any shop size.
--
-- What each customer (any id the facts name) adds to every figure of the
-- Reports page as of one day (report_totals.day, the day of the kept Today
-- lists) is kept beside the facts, with the shop's totals in one row: every
-- write transaction takes the old share of the customers it touched off the
-- totals and adds their new share (see reports_kept.go), so that a report
-- reads one row instead of every purchase. A new day, or a change to the
-- rules or the scheme, works every share out again.
CREATE TABLE report_customers (
    customer_id INTEGER PRIMARY KEY,
    customer    INTEGER NOT NULL,   -- 1: a row of customers
    has_line    INTEGER NOT NULL,   -- a sale or refund up to the day
    spent       INTEGER NOT NULL,   -- cents paid less discounts up to the day
    visits      INTEGER NOT NULL,
    balance     INTEGER NOT NULL,   -- points up to the day
    data        BLOB NOT NULL
);
-- Top customers by spend, and who holds the most points.
CREATE INDEX report_customers_spent ON report_customers(spent DESC, customer_id) WHERE has_line <> 0;
CREATE INDEX report_customers_balance ON report_customers(balance DESC, customer_id) WHERE customer <> 0;

-- The shop's totals: day 0 means none are kept. settings names the code's
-- version and what the shares were worked out under.
CREATE TABLE report_totals (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    day      INTEGER NOT NULL,
    settings TEXT NOT NULL,
    data     BLOB NOT NULL
);
INSERT INTO report_totals(id, day, settings, data) VALUES (1, 0, '', x'');
