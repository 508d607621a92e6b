-- Regulars schema 14: pairs of customers someone said are not the same
-- person, and the points of the ledger by customer for the customer list.
--
-- "Merge duplicates…" suggests pairs that share a phone or an email, or
-- whose names are alike; a pair marked here is not suggested again. The
-- lower id comes first. A customer merged away or erased takes their
-- pairs along.
CREATE TABLE not_duplicates (
    first_id  INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    second_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    staff     TEXT NOT NULL DEFAULT '',
    marked_on TEXT NOT NULL,
    PRIMARY KEY (first_id, second_id),
    CHECK (first_id < second_id)
);
CREATE INDEX not_duplicates_second ON not_duplicates(second_id);

-- The customer list sorted by points sums every customer's ledger rows in
-- one pass; with the points in the index that pass reads no table row.
CREATE INDEX ledger_points ON ledger(customer_id, day, points);
