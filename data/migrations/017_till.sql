-- Regulars schema 17: the till. Each PC selling for the shop is a till
-- with a name, kept on that PC (not in the shop); sales and refunds, ledger
-- rows, contacts and the audit log record the till they were made at,
-- beside the staff member they already name. Rows from before have none ('').
ALTER TABLE purchases ADD COLUMN till TEXT NOT NULL DEFAULT '';
ALTER TABLE ledger ADD COLUMN till TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN till TEXT NOT NULL DEFAULT '';
ALTER TABLE audit ADD COLUMN till TEXT NOT NULL DEFAULT '';

-- A ledger row's till is as unchangeable as the rest of it.
DROP TRIGGER ledger_no_update;
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
WHEN NEW.id <> OLD.id OR NEW.at <> OLD.at OR NEW.day <> OLD.day OR NEW.kind <> OLD.kind
  OR NEW.points <> OLD.points OR NEW.purchase_id IS NOT OLD.purchase_id OR NEW.staff <> OLD.staff
  OR NEW.reason <> OLD.reason OR NEW.shortfall <> OLD.shortfall OR NEW.till <> OLD.till
BEGIN SELECT RAISE(ABORT, 'the loyalty ledger is append-only'); END;
