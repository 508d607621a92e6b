-- Regulars schema 13: the customer search needs no counter in the file.
--
-- Migration 003 counted every change to the customers' names, emails and phones
-- (customer_search, moved by triggers) so that the search held in memory
-- knew when to read them again. The search now reads them again when
-- another program committed (PRAGMA data_version) and puts in the
-- customers this program's own writes change, so the counter and its
-- triggers go. No fact is touched.
DROP TRIGGER customers_search_insert;
DROP TRIGGER customers_search_delete;
DROP TRIGGER customers_search_update;
DROP TABLE customer_search;
