-- Regulars on PostgreSQL, schema 4: text compares byte by byte, as in
-- SQLite, whatever the database's own collation. A database created with,
-- say, en_US.UTF-8 would otherwise sort "apple" before "Banana", differ
-- from the same shop in a file, and break the prefix searches that read a
-- range of names. Every text column of the shop's tables takes the "C"
-- collation; the indexes on them are rebuilt with it.
DROP TRIGGER ledger_no_update ON ledger;

DO $$
DECLARE c record;
BEGIN
    FOR c IN SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = current_schema() AND data_type = 'text'
          AND collation_name IS DISTINCT FROM 'C'
        ORDER BY table_name, ordinal_position
    LOOP
        EXECUTE format('ALTER TABLE %I ALTER COLUMN %I TYPE text COLLATE "C"', c.table_name, c.column_name);
    END LOOP;
END $$;

-- As schema 3 left it: a ledger row cannot change.
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
    FOR EACH ROW
    WHEN (NEW.id <> OLD.id OR NEW.at <> OLD.at OR NEW.day <> OLD.day OR NEW.kind <> OLD.kind
      OR NEW.points <> OLD.points OR NEW.purchase_id IS DISTINCT FROM OLD.purchase_id OR NEW.staff <> OLD.staff
      OR NEW.reason <> OLD.reason OR NEW.shortfall <> OLD.shortfall OR NEW.till <> OLD.till)
    EXECUTE FUNCTION ledger_append_only();
