-- Regulars on PostgreSQL, schema 5: the reminder states' index by day holds
-- the day and the state only, as SQLite's schema 18.
DROP INDEX reminder_states_changed;
CREATE INDEX reminder_states_changed ON reminder_states(changed_on, state);
