-- bench/mfh-gen.sql - missing episodes for the MFH dashboard benchmark (bench/mfh.sh), made with
-- SQL on a database that already has persons and the demo users (safehub demo --years 0).
-- Read by the sqlite3 CLI after bench/mfh.sh has created the table mfh_gen(episodes, years, now).
--
-- What it makes, spread evenly over `years` years before `now` and inserted in time order (as a
-- hub's records are):
--   * `episodes` missing episodes of about a tenth of the persons, skewed so that a minority
--     have many (repeat) and most of those have one or two; ~60 still open (of the last day);
--   * a police grading on each (latest and highest kept on the episode, as the API does);
--   * 40% looked after, 5% placed here by another authority, 3% ours placed elsewhere (the
--     default rule: the host authority does the RHI, so placed elsewhere is rhi_by 'other');
--   * a return home interview for 90% of the returned episodes that are ours: offered within
--     0-80 hours, accepted four times in five (completed 0-24 hours after the offer), else
--     declined - so a little over half are completed within 72 hours (nationally: 63%);
--   * a notification for each out-of-area episode, acknowledged a day later but for 30% of the
--     last 30 days' and 0.2% of older ones;
--   * the repeat_missing flag of every person with 3 or more episodes.
-- Uses the built-in random(): every run differs, the shape does not.

CREATE TEMP TABLE mfh_kids (k INTEGER PRIMARY KEY, person_id INTEGER NOT NULL);
INSERT INTO mfh_kids (person_id) SELECT id FROM persons
  WHERE dob > date((SELECT now FROM mfh_gen), 'unixepoch', '-' || ((SELECT years FROM mfh_gen) + 18) || ' years')
  ORDER BY id;
CREATE TEMP TABLE mfh_nk AS SELECT max(k) / 2 AS n FROM mfh_kids;

INSERT INTO missing_episodes (person_id, started_at, reported_at, ended_at, missing_from, category,
  police_force, police_ref, looked_after, placement_type, placing_authority, host_authority, out_of_area,
  rhi_by, team, locality, grade_latest, grade_highest, grade_rank, rhi_due_at, created_at, created_by,
  updated_at, updated_by)
-- The draws are made in the recursive CTE, whose rows are computed once (a plain CTE is inlined,
-- and random() in it would be drawn again at each use).
WITH RECURSIVE n(i, ka, kb, j, r1, r2, r3, dur) AS (
  SELECT 0, 0, 0, 0, 0, 0, 0, 0
  UNION ALL
  SELECT i + 1, abs(random()) % (SELECT n FROM mfh_nk), abs(random()) % (SELECT n FROM mfh_nk), abs(random()) % 3600,
    abs(random()) % 100, abs(random()) % 100, abs(random()) % 100, abs(random()) % 400
  FROM n WHERE i < (SELECT episodes FROM mfh_gen)
),
g AS (
  SELECT i, r1, r2, r3, dur,
    -- a child: the product of two uniform draws is skewed to the low numbers (the repeaters)
    1 + (ka * kb) / (SELECT n FROM mfh_nk) AS k,
    (SELECT now FROM mfh_gen) - (SELECT years FROM mfh_gen) * 31557600
      + (i * (SELECT years FROM mfh_gen) * 31557600) / (SELECT episodes FROM mfh_gen) - j AS s
  FROM n WHERE i > 0
),
h AS (
  SELECT g.*, (SELECT person_id FROM mfh_kids WHERE mfh_kids.k = g.k) AS pid,
    CASE WHEN r1 < 5 THEN 'placed_here' WHEN r1 < 8 THEN 'placed_elsewhere' ELSE '' END AS ooa,
    CASE WHEN r2 < 15 THEN 'high' WHEN r2 < 55 THEN 'medium' WHEN r2 < 90 THEN 'low' ELSE 'none' END AS grade,
    -- open: a fifth of the last day's episodes; durations skewed short (median ~8 h, up to ~60 h)
    CASE WHEN s > (SELECT now FROM mfh_gen) - 86400 AND r3 < 20 THEN NULL
         ELSE max(s, min(s + 1800 + dur * dur * dur / 300, (SELECT now FROM mfh_gen) - 60)) END AS e
  FROM g
)
SELECT pid, s, s + 600 + r3 * 30, e,
  CASE WHEN r1 < 40 THEN 'care' WHEN r1 < 90 THEN 'home' WHEN r1 < 95 THEN 'education' ELSE 'other' END,
  CASE WHEN r3 < 80 THEN 'M' ELSE 'A' END,
  'Northby Police', 'MFH/B/' || i,
  CASE WHEN r1 < 40 OR ooa <> '' THEN 1 ELSE 0 END,
  CASE WHEN r1 < 40 OR ooa <> '' THEN (CASE WHEN r2 % 2 = 0 THEN 'residential' ELSE 'foster' END) ELSE '' END,
  CASE ooa WHEN 'placed_here' THEN 'Westshire' WHEN 'placed_elsewhere' THEN 'Northby' ELSE '' END,
  CASE ooa WHEN 'placed_here' THEN 'Northby' WHEN 'placed_elsewhere' THEN 'Eastborough' ELSE '' END,
  ooa,
  CASE ooa WHEN 'placed_elsewhere' THEN 'other' ELSE 'us' END,
  CASE r3 % 3 WHEN 0 THEN 'Missing from Home' WHEN 1 THEN 'Phoenix' ELSE 'Complex Safeguarding' END,
  CASE r2 % 4 WHEN 0 THEN 'North' WHEN 1 THEN 'South' WHEN 2 THEN 'East' ELSE 'West' END,
  grade, CASE WHEN r2 % 3 = 0 AND grade <> 'high' THEN 'high' ELSE grade END,
  CASE grade WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END,
  CASE WHEN e IS NULL THEN NULL ELSE e + 259200 END,
  s + 700, 4, coalesce(e, s + 700), 4
FROM h WHERE pid IS NOT NULL ORDER BY i;

INSERT INTO missing_gradings (episode_id, grade, graded_at, graded_by, created_at, created_by)
  SELECT id, grade_latest, reported_at, 'PS 1 Bench', reported_at, 4 FROM missing_episodes;

-- Return home interviews of returned episodes that are ours (90% of them).
INSERT INTO return_interviews (episode_id, offered_at, offered_by, offered_org, independent, response,
  responded_at, declined_reason, completed_at, created_at, created_by, updated_at, updated_by)
WITH x AS MATERIALIZED (
  SELECT id, ended_at + (abs(random()) % 80) * 3600 AS o, abs(random()) % 5 <> 0 AS a
  FROM missing_episodes WHERE ended_at IS NOT NULL AND rhi_by = 'us' AND abs(random()) % 100 < 90)
SELECT id, o, 'RHI worker', 'Northby Children''s Society', 1,
  CASE WHEN a THEN 'accepted' ELSE 'declined' END, o,
  CASE WHEN a THEN '' ELSE 'Did not want to talk' END,
  CASE WHEN a THEN o + (abs(random()) % 24) * 3600 ELSE NULL END,
  o, 4, o, 4
FROM x WHERE o < (SELECT now FROM mfh_gen);

-- The completion cannot be in the future.
UPDATE return_interviews SET completed_at = NULL, response = NULL
  WHERE completed_at > (SELECT now FROM mfh_gen);

INSERT INTO missing_notifications (episode_id, to_authority, reason, rhi_by, created_at, acknowledged_at,
  acknowledged_by)
SELECT id, CASE out_of_area WHEN 'placed_here' THEN placing_authority ELSE host_authority END, out_of_area,
  rhi_by, created_at,
  CASE WHEN created_at > (SELECT now FROM mfh_gen) - 30 * 86400 AND abs(random()) % 100 < 30 THEN NULL
       WHEN abs(random()) % 1000 < 2 THEN NULL ELSE created_at + 86400 END, 'Duty manager'
FROM missing_episodes WHERE out_of_area <> '';
UPDATE missing_notifications SET acknowledged_at = NULL WHERE acknowledged_at > (SELECT now FROM mfh_gen);

INSERT INTO person_flags (person_id, kind, note, set_at, created_by)
  SELECT person_id, 'repeat_missing', 'bench', (SELECT started_at FROM missing_episodes x
    WHERE x.person_id = m.person_id ORDER BY started_at LIMIT 1 OFFSET 2), 4
  FROM missing_episodes m GROUP BY person_id HAVING count(*) >= 3;
