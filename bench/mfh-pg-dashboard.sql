-- bench/mfh-pg-dashboard.sql - the MFH dashboard's aggregates (GET /api/v1/dashboard/missing, no
-- filters) computed by PostgreSQL 15 over the same rows, as one pgbench transaction: the statistics
-- of each of the last 12 local months and of the 12 together (episodes, children, repeat-missing
-- children, median duration, returns whose RHI is ours, RHIs offered and completed within 72 hours,
-- accepted, declined), missing now (high risk first, with the person), out of area both ways,
-- awaiting RHI (count, breached, the latest due 100 with the person) and the notifications not
-- acknowledged (count and the oldest 100 with the person). Restricted persons whose access list
-- does not name the user are left out, as safehub does. Variables (pgbench -D, psql -v): now (UTC
-- seconds), user (the user id), and from / to: the start of the first of the 12 months and the end
-- of the last (bench/mfh.sh asks PostgreSQL for them), given as constants so that the planner
-- sees the window's size and reads it through missing_started. Months are Europe/London
-- calendar months, as safehub's.

-- The statistics: by month (i = 0..11, oldest first) and the 12 months together (i = 12). The
-- 13 bounds of the months (12 starts and the last end) are computed once; each episode finds its
-- month with width_bucket.
WITH b AS MATERIALIZED (
  SELECT array_agg(extract(epoch FROM ((m - make_interval(months => 11 - i)) AT TIME ZONE 'Europe/London'))::bigint
                   ORDER BY i) AS bounds
  FROM (SELECT date_trunc('month', to_timestamp(:now) AT TIME ZONE 'Europe/London') AS m) x,
       generate_series(0, 12) AS i
), fl AS (
  SELECT person_id, min(set_at) AS set_at FROM person_flags
  WHERE kind = 'repeat_missing' AND removed_at IS NULL GROUP BY person_id
), ep AS MATERIALIZED (
  SELECT e.person_id, e.started_at, e.ended_at, e.ended_at IS NOT NULL AND e.rhi_by = 'us' AS ret,
         coalesce(e.rhi_due_at, e.ended_at + 259200) AS due, r.offered_at, r.completed_at, r.response,
         width_bucket(e.started_at, b.bounds) - 1 AS i,
         b.bounds[width_bucket(e.started_at, b.bounds) + 1] AS month_end, fl.set_at AS flag_at
  FROM b, missing_episodes e
  LEFT JOIN return_interviews r ON r.episode_id = e.id
  LEFT JOIN fl ON fl.person_id = e.person_id
  WHERE e.started_at >= :from AND e.started_at < :to
    AND (NOT EXISTS (SELECT 1 FROM person_access pa WHERE pa.person_id = e.person_id)
         OR EXISTS (SELECT 1 FROM person_access pa WHERE pa.person_id = e.person_id AND pa.user_id = :user))
)
SELECT i, count(*) AS episodes, count(DISTINCT person_id) AS children,
  count(DISTINCT person_id) FILTER (WHERE flag_at < month_end) AS repeat_children,
  round((percentile_cont(0.5) WITHIN GROUP (ORDER BY ended_at - started_at)
         FILTER (WHERE ended_at IS NOT NULL) / 3600)::numeric, 1) AS median_hours,
  count(*) FILTER (WHERE ret) AS returns,
  count(*) FILTER (WHERE ret AND offered_at <= due) AS rhi_offered_72h,
  count(*) FILTER (WHERE ret AND completed_at <= due) AS rhi_completed_72h,
  count(*) FILTER (WHERE ret AND response = 'accepted') AS rhi_accepted,
  count(*) FILTER (WHERE ret AND response = 'declined') AS rhi_declined
FROM ep GROUP BY i
UNION ALL
SELECT 12, count(*), count(DISTINCT person_id),
  count(DISTINCT person_id) FILTER (WHERE flag_at < :to),
  round((percentile_cont(0.5) WITHIN GROUP (ORDER BY ended_at - started_at)
         FILTER (WHERE ended_at IS NOT NULL) / 3600)::numeric, 1),
  count(*) FILTER (WHERE ret), count(*) FILTER (WHERE ret AND offered_at <= due),
  count(*) FILTER (WHERE ret AND completed_at <= due), count(*) FILTER (WHERE ret AND response = 'accepted'),
  count(*) FILTER (WHERE ret AND response = 'declined')
FROM ep
ORDER BY 1;

-- Missing now: high risk first, then the longest missing; the count and the first 100 with the person.
WITH o AS MATERIALIZED (
  SELECT e.id, e.person_id, e.started_at, e.grade_rank, e.grade_latest, e.missing_from, e.category, e.out_of_area
  FROM missing_episodes e
  WHERE e.ended_at IS NULL
    AND (NOT EXISTS (SELECT 1 FROM person_access pa WHERE pa.person_id = e.person_id)
         OR EXISTS (SELECT 1 FROM person_access pa WHERE pa.person_id = e.person_id AND pa.user_id = :user))
)
SELECT 'missing_now' AS part, (SELECT count(*) FROM o) AS missing_now,
       (SELECT count(*) FROM o WHERE out_of_area = 'placed_here') AS placed_here,
       (SELECT count(*) FROM o WHERE out_of_area = 'placed_elsewhere') AS placed_elsewhere,
       t.id, p.given_name, p.family_name, p.dob, p.sex, t.started_at, t.grade_latest, t.missing_from, t.category
FROM (SELECT * FROM o ORDER BY grade_rank DESC, started_at, id LIMIT 100) t JOIN persons p ON p.id = t.person_id
ORDER BY t.grade_rank DESC, t.started_at, t.id;

-- Awaiting RHI: returned episodes of the 12 months whose RHI is due, offered or breached.
WITH a AS MATERIALIZED (
  SELECT e.id, e.person_id, e.ended_at, coalesce(e.rhi_due_at, e.ended_at + 259200) AS due, r.offered_at
  FROM missing_episodes e LEFT JOIN return_interviews r ON r.episode_id = e.id
  WHERE e.started_at >= :from AND e.started_at < :to AND e.ended_at IS NOT NULL AND (e.rhi_by = 'us' OR r.episode_id IS NOT NULL)
    AND r.completed_at IS NULL AND r.response IS DISTINCT FROM 'declined'
    AND (NOT EXISTS (SELECT 1 FROM person_access pa WHERE pa.person_id = e.person_id)
         OR EXISTS (SELECT 1 FROM person_access pa WHERE pa.person_id = e.person_id AND pa.user_id = :user))
)
SELECT 'awaiting' AS part, (SELECT count(*) FROM a) AS awaiting, (SELECT count(*) FROM a WHERE due < :now) AS breached,
       t.id, p.given_name, p.family_name, p.dob, t.ended_at, t.due, t.offered_at
FROM (SELECT * FROM a ORDER BY due DESC, id DESC LIMIT 100) t JOIN persons p ON p.id = t.person_id
ORDER BY t.due DESC, t.id DESC;

-- Notifications not acknowledged: the count and the oldest 100 with the person.
WITH n AS MATERIALIZED (
  SELECT n.id, n.episode_id, n.to_authority, n.reason, n.rhi_by, n.created_at, e.person_id
  FROM missing_notifications n JOIN missing_episodes e ON e.id = n.episode_id
  WHERE n.acknowledged_at IS NULL
    AND (NOT EXISTS (SELECT 1 FROM person_access pa WHERE pa.person_id = e.person_id)
         OR EXISTS (SELECT 1 FROM person_access pa WHERE pa.person_id = e.person_id AND pa.user_id = :user))
)
SELECT 'notifications' AS part, (SELECT count(*) FROM n) AS notifications, t.id, t.episode_id, t.to_authority, t.reason, t.rhi_by,
       t.created_at, p.given_name, p.family_name
FROM (SELECT * FROM n ORDER BY created_at, id LIMIT 100) t JOIN persons p ON p.id = t.person_id
ORDER BY t.created_at, t.id;
