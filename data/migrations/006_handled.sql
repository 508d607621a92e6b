-- Regulars schema 6: Done today a page at a time, sums of spend along an index.
--
-- The Today screen's Done tab counts the reminders done or skipped on a day
-- by kind and cuts a page of them in order (kind, customer, latest due
-- first): with these columns in the index it does both without visiting
-- the table, however many were handled that day (handled.go).
DROP INDEX reminder_states_changed;
CREATE INDEX reminder_states_changed ON reminder_states(changed_on, state, kind, customer_id, due, key);

-- Top customers and spend segments sum each customer's purchases: with
-- every column they read in the index, SQL sums along it without visiting
-- the table (sales.go). It starts as the index it replaces did.
DROP INDEX purchases_customer;
CREATE INDEX purchases_customer ON purchases(customer_id, day, voided, amount_cents, discount_cents);
