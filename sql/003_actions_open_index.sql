-- 003: find an open case's actions not yet done from an index alone. The daily tasking list's
-- overdue actions walk open cases (cases_status_team) and, for each, only its actions not done;
-- without this index that meant reading every action the case ever had.
CREATE INDEX actions_case_open ON actions(case_id, due_date) WHERE done_at IS NULL;
