-- Regulars schema 7: a count of changes to the settings the kept rows are
-- worded from.
--
-- The kept lists and the calendar's worded rows are used only while the
-- settings they were worked out under (the rules, the scheme, the shop's
-- name, the templates) are those there are now. Rather than compare the
-- text of all those settings on every page read, the triggers below count
-- every change to them, and the kept rows note the count they were
-- worked out at (lists.go).
ALTER TABLE reminder_cache ADD COLUMN settings_gen INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER settings_gen_insert AFTER INSERT ON settings
WHEN NEW.key IN ('rules', 'loyalty', 'shop_name') OR NEW.key LIKE 'template.%'
BEGIN
    UPDATE reminder_cache SET settings_gen = settings_gen + 1;
END;

CREATE TRIGGER settings_gen_update AFTER UPDATE ON settings
WHEN (OLD.key IN ('rules', 'loyalty', 'shop_name') OR OLD.key LIKE 'template.%'
      OR NEW.key IN ('rules', 'loyalty', 'shop_name') OR NEW.key LIKE 'template.%')
    AND (OLD.key IS NOT NEW.key OR OLD.value IS NOT NEW.value)
BEGIN
    UPDATE reminder_cache SET settings_gen = settings_gen + 1;
END;

CREATE TRIGGER settings_gen_delete AFTER DELETE ON settings
WHEN OLD.key IN ('rules', 'loyalty', 'shop_name') OR OLD.key LIKE 'template.%'
BEGIN
    UPDATE reminder_cache SET settings_gen = settings_gen + 1;
END;
