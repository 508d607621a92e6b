-- Regulars schema 11: the Segments screen reads the facts.
--
-- Schema 10 kept a row per customer for the Segments screen, with counts
-- of those rows, recomputed by every write from notes left by triggers.
-- The screen now reads the customers, their consents and their purchases
-- (along the purchases' customer index) directly, so the cache, its notes
-- and its triggers go. No fact is touched.
DROP TRIGGER segment_dirty_customers_insert;
DROP TRIGGER segment_dirty_customers_update;
DROP TRIGGER segment_dirty_customers_delete;
DROP TRIGGER segment_dirty_purchases_insert;
DROP TRIGGER segment_dirty_purchases_update;
DROP TRIGGER segment_dirty_purchases_delete;
DROP TRIGGER segment_dirty_consents_insert;
DROP TRIGGER segment_dirty_consents_update;
DROP TRIGGER segment_dirty_consents_delete;
DROP TABLE segment_dirty;
DROP TABLE segment_state;
DROP TABLE segment_customers;
DROP TABLE segment_tags;
DROP TABLE segment_counts;
