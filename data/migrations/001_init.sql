-- Regulars schema 1: the shop's memory.
-- Days are TEXT 'YYYY-MM-DD'; instants are TEXT 'YYYY-MM-DD HH:MM:SS' local time;
-- money is INTEGER cents; points are INTEGER.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE staff (
    id     INTEGER PRIMARY KEY,
    name   TEXT NOT NULL UNIQUE COLLATE NOCASE,
    active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE customers (
    id                INTEGER PRIMARY KEY,
    name              TEXT NOT NULL,
    name_fold         TEXT NOT NULL DEFAULT '',   -- lower case, for search
    phone             TEXT NOT NULL DEFAULT '',
    phone_digits      TEXT NOT NULL DEFAULT '',
    email             TEXT NOT NULL DEFAULT '',
    email_norm        TEXT NOT NULL DEFAULT '',
    birthday_year     INTEGER,                     -- NULL when unknown
    birthday_month    INTEGER,
    birthday_day      INTEGER,
    address           TEXT NOT NULL DEFAULT '',
    notes             TEXT NOT NULL DEFAULT '',
    tags              TEXT NOT NULL DEFAULT '',    -- ';'-joined
    preferred_channel TEXT NOT NULL DEFAULT '',
    do_not_contact    INTEGER NOT NULL DEFAULT 0,
    customer_since    TEXT,
    added_on          TEXT NOT NULL,
    forgotten         INTEGER NOT NULL DEFAULT 0,
    CHECK (birthday_month IS NULL OR birthday_month BETWEEN 1 AND 12)
);
CREATE INDEX customers_phone ON customers(phone_digits) WHERE phone_digits <> '';
CREATE INDEX customers_email ON customers(email_norm) WHERE email_norm <> '';
CREATE INDEX customers_name ON customers(name_fold);
CREATE INDEX customers_birthday ON customers(birthday_month, birthday_day) WHERE birthday_month IS NOT NULL;

CREATE TABLE consents (
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    channel     TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'phone', 'post')),
    given_on    TEXT NOT NULL,
    source      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (customer_id, channel)
);

CREATE TABLE purchases (
    id             INTEGER PRIMARY KEY,
    customer_id    INTEGER REFERENCES customers(id),   -- NULL for a walk-in
    at             TEXT NOT NULL,
    day            TEXT NOT NULL,
    amount_cents   INTEGER NOT NULL,
    discount_cents INTEGER NOT NULL DEFAULT 0,
    description    TEXT NOT NULL DEFAULT '',
    staff          TEXT NOT NULL DEFAULT '',
    reference      TEXT,
    refund_of      INTEGER REFERENCES purchases(id),
    voided         INTEGER NOT NULL DEFAULT 0,
    imported       INTEGER NOT NULL DEFAULT 0,
    CHECK (amount_cents <> 0),
    CHECK ((refund_of IS NULL) = (amount_cents > 0))
);
CREATE INDEX purchases_customer ON purchases(customer_id, day);
CREATE INDEX purchases_day ON purchases(day);
CREATE UNIQUE INDEX purchases_reference ON purchases(reference) WHERE reference IS NOT NULL AND reference <> '';
CREATE INDEX purchases_refund_of ON purchases(refund_of) WHERE refund_of IS NOT NULL;

CREATE TABLE occasions (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    label       TEXT NOT NULL,
    year        INTEGER,                  -- NULL for a yearly occasion without a year
    month       INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    day         INTEGER NOT NULL CHECK (day BETWEEN 1 AND 31),
    yearly      INTEGER NOT NULL DEFAULT 1,
    lead_days   INTEGER NOT NULL DEFAULT 7,
    CHECK (yearly = 1 OR year IS NOT NULL)
);
CREATE INDEX occasions_customer ON occasions(customer_id);
CREATE INDEX occasions_month_day ON occasions(month, day);

CREATE TABLE promises (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    what        TEXT NOT NULL,
    due         TEXT NOT NULL,
    staff       TEXT NOT NULL DEFAULT '',
    made_on     TEXT NOT NULL,
    kept_on     TEXT
);
CREATE INDEX promises_customer ON promises(customer_id);
CREATE INDEX promises_due ON promises(due);

CREATE TABLE complaints (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    what        TEXT NOT NULL,
    received_at TEXT NOT NULL,
    received_on TEXT NOT NULL,
    severity    TEXT NOT NULL DEFAULT 'medium' CHECK (severity IN ('low', 'medium', 'high')),
    staff       TEXT NOT NULL DEFAULT '',
    resolved_on TEXT,
    resolution  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX complaints_customer ON complaints(customer_id);

CREATE TABLE contacts (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    at           TEXT NOT NULL,
    day          TEXT NOT NULL,
    channel      TEXT NOT NULL,
    staff        TEXT NOT NULL DEFAULT '',
    outcome      TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',
    reminder_key TEXT NOT NULL DEFAULT ''
);
CREATE INDEX contacts_customer ON contacts(customer_id, day);

-- The loyalty ledger is append-only: triggers refuse updates and deletes,
-- except re-pointing rows to the surviving customer of a merge.
CREATE TABLE ledger (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    at          TEXT NOT NULL,
    day         TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('earn', 'redeem', 'refund_reversal', 'void_reversal', 'adjustment', 'expiry')),
    points      INTEGER NOT NULL,
    purchase_id INTEGER REFERENCES purchases(id),
    staff       TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    shortfall   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ledger_customer ON ledger(customer_id, day, id);
CREATE INDEX ledger_purchase ON ledger(purchase_id) WHERE purchase_id IS NOT NULL;

CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
BEGIN SELECT RAISE(ABORT, 'the loyalty ledger is append-only'); END;
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
WHEN NEW.id <> OLD.id OR NEW.at <> OLD.at OR NEW.day <> OLD.day OR NEW.kind <> OLD.kind
  OR NEW.points <> OLD.points OR NEW.purchase_id IS NOT OLD.purchase_id OR NEW.staff <> OLD.staff
  OR NEW.reason <> OLD.reason OR NEW.shortfall <> OLD.shortfall
BEGIN SELECT RAISE(ABORT, 'the loyalty ledger is append-only'); END;

-- Reminders are computed; only what people did with them is stored.
CREATE TABLE reminder_states (
    key           TEXT PRIMARY KEY,        -- kind:customer:subject:due
    kind          TEXT NOT NULL,
    customer_id   INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    due           TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('open', 'done', 'snoozed', 'skipped')),
    snoozed_until TEXT,
    reason        TEXT NOT NULL DEFAULT '',
    staff         TEXT NOT NULL DEFAULT '',
    changed_at    TEXT NOT NULL,
    changed_on    TEXT NOT NULL,
    contact_id    INTEGER REFERENCES contacts(id)
);
CREATE INDEX reminder_states_customer ON reminder_states(customer_id);

CREATE TABLE audit (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    staff   TEXT NOT NULL,
    action  TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    before  TEXT NOT NULL DEFAULT '',
    after   TEXT NOT NULL DEFAULT ''
);
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log cannot be changed'); END;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log cannot be changed'); END;
