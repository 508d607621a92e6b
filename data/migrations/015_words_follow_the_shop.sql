-- Regulars schema 15: reminders' words write amounts with the shop's
-- currency sign and dates and counts the shop's way (settings "currency"
-- and "locale"), so the kept lists and the calendar's worded rows are
-- worded again when either changes, as for the rules, the scheme, the
-- shop's name and the templates (schema 7).
DROP TRIGGER settings_gen_insert;
DROP TRIGGER settings_gen_update;
DROP TRIGGER settings_gen_delete;

CREATE TRIGGER settings_gen_insert AFTER INSERT ON settings
WHEN NEW.key IN ('rules', 'loyalty', 'shop_name', 'currency', 'locale') OR NEW.key LIKE 'template.%'
BEGIN
    UPDATE reminder_cache SET settings_gen = settings_gen + 1;
END;

CREATE TRIGGER settings_gen_update AFTER UPDATE ON settings
WHEN (OLD.key IN ('rules', 'loyalty', 'shop_name', 'currency', 'locale') OR OLD.key LIKE 'template.%'
      OR NEW.key IN ('rules', 'loyalty', 'shop_name', 'currency', 'locale') OR NEW.key LIKE 'template.%')
    AND (OLD.key IS NOT NEW.key OR OLD.value IS NOT NEW.value)
BEGIN
    UPDATE reminder_cache SET settings_gen = settings_gen + 1;
END;

CREATE TRIGGER settings_gen_delete AFTER DELETE ON settings
WHEN OLD.key IN ('rules', 'loyalty', 'shop_name', 'currency', 'locale') OR OLD.key LIKE 'template.%'
BEGIN
    UPDATE reminder_cache SET settings_gen = settings_gen + 1;
END;
