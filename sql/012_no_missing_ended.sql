-- 012: missing_ended (ended_at, for returned episodes) is read by no statement: no query asks for
-- a range or an order of return times (the lists filter returned episodes inside an OR that no
-- index serves, and the dashboard's window walks missing_mfh). Each episode wrote an entry to it,
-- and a large import built it again over the whole table (docs/benchmarks.md).
DROP INDEX missing_ended;
