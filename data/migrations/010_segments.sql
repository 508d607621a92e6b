-- Regulars schema 10: what the Segments screen reads, kept per customer.
--
-- The screen shows how many customers a group holds and the first page of
-- them by name. Rather than read every customer and every purchase for
-- that, each write transaction keeps one row per customer (forgotten
-- customers have none) with what the filters look at, and counts of those
-- rows by one filter at a time (see segments_kept.go). Triggers note the
-- customers whose facts changed; the write works them out again before it
-- commits.

-- Customers whose kept row is out of date.
CREATE TABLE segment_dirty (
    customer_id INTEGER PRIMARY KEY
);

-- ok = 0: the kept rows are not to be read; the next write works them all
-- out afresh.
CREATE TABLE segment_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    ok INTEGER NOT NULL
);
INSERT INTO segment_state(id, ok) VALUES (1, 0);

-- One row per customer not forgotten. last_sale: day number of the latest
-- sale (refunds and voided lines are not sales), 0 when none; spent: paid
-- less discounts and refunds, voided lines left out, in cents; late: day
-- number of the latest purchase or refund not voided, 0 when none (a
-- query as of an earlier day works those customers out from the facts); md: the
-- birthday's month and day as 'M-D', '' when none; tags: a JSON array of
-- the customer's tags in lower case, each once; spelled: each of those as
-- the customer first spells it; email, sms, post: whether a group message
-- may go that way (Customer.Reachable).
CREATE TABLE segment_customers (
    customer_id INTEGER PRIMARY KEY,
    name_key    TEXT NOT NULL,
    last_sale   INTEGER NOT NULL,
    spent       INTEGER NOT NULL,
    late        INTEGER NOT NULL,
    md          TEXT NOT NULL,
    dnc         INTEGER NOT NULL,
    email       INTEGER NOT NULL,
    sms         INTEGER NOT NULL,
    post        INTEGER NOT NULL,
    tags        TEXT NOT NULL,
    spelled     TEXT NOT NULL
);
CREATE INDEX segment_customers_name ON segment_customers(name_key, customer_id, dnc, last_sale, md);
CREATE INDEX segment_customers_spent ON segment_customers(spent DESC, customer_id, dnc, last_sale, md) WHERE spent > 0;
CREATE INDEX segment_customers_late ON segment_customers(late);

-- Each kept row's tags, one row each: the tag choices are every tag's
-- spelling at its lowest customer id, found without reading every row.
CREATE TABLE segment_tags (
    tag         TEXT NOT NULL,
    customer_id INTEGER NOT NULL,
    spelling    TEXT NOT NULL,
    PRIMARY KEY (tag, customer_id)
);
CREATE INDEX segment_tags_customer ON segment_tags(customer_id);

-- Counts of the kept rows by one filter at a time, split by do not
-- contact: dim 'all' (everyone), 'day' (num: last_sale), 'md' (txt: md),
-- 'tag' (txt: the tag), 'spent' (spent > 0).
CREATE TABLE segment_counts (
    dim   TEXT NOT NULL,
    num   INTEGER NOT NULL,
    txt   TEXT NOT NULL,
    dnc   INTEGER NOT NULL,
    n     INTEGER NOT NULL,
    email INTEGER NOT NULL,
    sms   INTEGER NOT NULL,
    post  INTEGER NOT NULL,
    PRIMARY KEY (dim, num, txt, dnc)
);

-- What the rows are made of: the customer, their consents, their purchases
-- (a merge moves purchases by updating them, and forgetting updates the
-- customer and deletes consents).
CREATE TRIGGER segment_dirty_customers_insert AFTER INSERT ON customers
BEGIN INSERT INTO segment_dirty(customer_id) SELECT NEW.id WHERE NOT EXISTS (SELECT 1 FROM segment_dirty WHERE customer_id = NEW.id); END;
CREATE TRIGGER segment_dirty_customers_update AFTER UPDATE OF id, name, phone, email, birthday_month, birthday_day, address, tags, do_not_contact, forgotten ON customers
BEGIN
    INSERT INTO segment_dirty(customer_id) SELECT id FROM (SELECT OLD.id AS id UNION SELECT NEW.id)
        WHERE id IS NOT NULL AND id NOT IN (SELECT customer_id FROM segment_dirty);
END;
CREATE TRIGGER segment_dirty_customers_delete AFTER DELETE ON customers
BEGIN INSERT INTO segment_dirty(customer_id) SELECT OLD.id WHERE NOT EXISTS (SELECT 1 FROM segment_dirty WHERE customer_id = OLD.id); END;

CREATE TRIGGER segment_dirty_purchases_insert AFTER INSERT ON purchases WHEN NEW.customer_id IS NOT NULL
BEGIN INSERT INTO segment_dirty(customer_id) SELECT NEW.customer_id WHERE NOT EXISTS (SELECT 1 FROM segment_dirty WHERE customer_id = NEW.customer_id); END;
CREATE TRIGGER segment_dirty_purchases_update AFTER UPDATE OF customer_id, day, amount_cents, discount_cents, voided ON purchases
BEGIN
    INSERT INTO segment_dirty(customer_id) SELECT id FROM (SELECT OLD.customer_id AS id UNION SELECT NEW.customer_id)
        WHERE id IS NOT NULL AND id NOT IN (SELECT customer_id FROM segment_dirty);
END;
CREATE TRIGGER segment_dirty_purchases_delete AFTER DELETE ON purchases WHEN OLD.customer_id IS NOT NULL
BEGIN INSERT INTO segment_dirty(customer_id) SELECT OLD.customer_id WHERE NOT EXISTS (SELECT 1 FROM segment_dirty WHERE customer_id = OLD.customer_id); END;

CREATE TRIGGER segment_dirty_consents_insert AFTER INSERT ON consents
BEGIN INSERT INTO segment_dirty(customer_id) SELECT NEW.customer_id WHERE NOT EXISTS (SELECT 1 FROM segment_dirty WHERE customer_id = NEW.customer_id); END;
CREATE TRIGGER segment_dirty_consents_update AFTER UPDATE ON consents
BEGIN
    INSERT INTO segment_dirty(customer_id) SELECT id FROM (SELECT OLD.customer_id AS id UNION SELECT NEW.customer_id)
        WHERE id IS NOT NULL AND id NOT IN (SELECT customer_id FROM segment_dirty);
END;
CREATE TRIGGER segment_dirty_consents_delete AFTER DELETE ON consents
BEGIN INSERT INTO segment_dirty(customer_id) SELECT OLD.customer_id WHERE NOT EXISTS (SELECT 1 FROM segment_dirty WHERE customer_id = OLD.customer_id); END;
