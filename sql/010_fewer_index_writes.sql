-- 010: fewer index entries written for each episode and clock (an import of a million episodes
-- writes about 3 million index entries fewer; docs/benchmarks.md):
--   - missing_started (started_at) said nothing missing_mfh (started_at, person_id, ...) does not:
--     every walk by start time uses missing_mfh, which also holds looked_after for the exports;
--   - clocks_case and clocks_stopped held an entry for every clock with no case (every rhi and
--     repeat-missing clock) and every running clock; the reads (a case's clocks, by case_id =)
--     only ask for the others, so each keeps those alone.
DROP INDEX missing_started;
DROP INDEX clocks_case;
CREATE INDEX clocks_case ON clocks(case_id) WHERE case_id IS NOT NULL;
DROP INDEX clocks_stopped;
CREATE INDEX clocks_stopped ON clocks(stopped_at) WHERE stopped_at IS NOT NULL;
