-- Regulars schema 12: the Reports page and the Loyalty screen read the facts.
--
-- Schema 9 kept each customer's share of every report figure and the
-- shop's totals, recomputed by every write. Reports now add the shares up
-- from the facts when asked, and the Loyalty screen sums the balances, so
-- the cache goes. No fact is touched.
DROP TABLE report_customers;
DROP TABLE report_totals;
