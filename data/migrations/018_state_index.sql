-- Regulars schema 18: the reminder states' index by day holds the day and
-- the state only. Done today reads a day's handled reminders (about 1,300
-- on a busy day of a 50,000-customer shop) from the table through it in
-- 10 ms instead of 2 ms from the index alone; the index is a quarter of
-- its former size, 34 MB less in that shop's file and in every backup.
DROP INDEX reminder_states_changed;
CREATE INDEX reminder_states_changed ON reminder_states(changed_on, state);
