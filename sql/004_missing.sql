-- 004: the Missing From Home hub: missing episodes with their police risk gradings, return home
-- interviews, notifications between placing and host authorities, person-level flags (repeat
-- missing), hub settings, and import runs. Times are UTC seconds; dates 'YYYY-MM-DD'.

-- Hub-wide settings that are single values rather than lists (lists are config_codes).
-- value is JSON text: a string, a number or a boolean.
CREATE TABLE settings (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_at INTEGER NOT NULL DEFAULT 0,
  updated_by INTEGER REFERENCES users(id)
) WITHOUT ROWID;
INSERT INTO settings(key, value) VALUES
  ('mfh.home_authority', '"Northby"'),      -- this hub's local authority (fictional default)
  ('mfh.rhi_rule', '"host"'),               -- host: the host authority does the RHI; placing: the placing one
  ('mfh.repeat_count', '3'),                -- repeat missing: this many episodes or more ...
  ('mfh.repeat_days', '90'),                -- ... starting within this many days
  ('match.link_threshold', '0.95'),         -- issue 5: import rows at or above link to the person
  ('match.review_threshold', '0.5');        -- issue 5: between the two go to the review queue

INSERT INTO practice_standards VALUES
  ('rhi','Return home interview within 72 hours','missing episode ended','return home interview completed',72,'hours','',0,1,9),
  ('repeat_missing_meeting','Intervention meeting for repeat missing','repeat missing threshold crossed','meeting held for the child',10,'working_days','',0,1,10);

INSERT INTO config_codes(list, code, label, extra, sort) VALUES
  ('meeting_type','repeat_missing','Repeat missing intervention meeting','',20);

CREATE TABLE missing_episodes (
  id             INTEGER PRIMARY KEY,
  person_id      INTEGER NOT NULL REFERENCES persons(id),
  started_at     INTEGER NOT NULL,            -- last seen
  reported_at    INTEGER NOT NULL,
  ended_at       INTEGER,                     -- found or returned; NULL while missing
  missing_from   TEXT NOT NULL CHECK (missing_from IN ('home','care','education','other')),
  category       TEXT NOT NULL CHECK (category IN ('M','A')),   -- SSDA903: M missing, A away
  police_force   TEXT NOT NULL DEFAULT '',
  police_ref     TEXT,                        -- the import key (with police_force)
  looked_after   INTEGER NOT NULL DEFAULT 0,
  placement_type TEXT NOT NULL DEFAULT '',    -- '', foster, residential, kinship, semi_independent, secure, other
  placement_provider TEXT NOT NULL DEFAULT '',
  placing_authority TEXT NOT NULL DEFAULT '',
  host_authority TEXT NOT NULL DEFAULT '',
  out_of_area    TEXT NOT NULL DEFAULT '' CHECK (out_of_area IN ('','placed_here','placed_elsewhere')),
  rhi_by         TEXT NOT NULL DEFAULT 'us' CHECK (rhi_by IN ('us','other')),
  team           TEXT NOT NULL DEFAULT '',
  locality       TEXT NOT NULL DEFAULT '',
  found_where    TEXT NOT NULL DEFAULT '',
  found_with     TEXT NOT NULL DEFAULT '[]',  -- JSON array of person ids
  notes          TEXT NOT NULL DEFAULT '',
  grade_latest   TEXT CHECK (grade_latest IN ('none','low','medium','high')),   -- kept with the gradings
  grade_highest  TEXT CHECK (grade_highest IN ('none','low','medium','high')),
  grade_rank     INTEGER NOT NULL DEFAULT 0,  -- latest grade as 0 none/unknown .. 3 high, for ordering
  rhi_due_at     INTEGER,                     -- ended_at + 72 hours
  reopened_count INTEGER NOT NULL DEFAULT 0,
  import_id      INTEGER,
  created_at     INTEGER NOT NULL,
  created_by     INTEGER NOT NULL REFERENCES users(id),
  updated_at     INTEGER NOT NULL,
  updated_by     INTEGER NOT NULL REFERENCES users(id),
  version        INTEGER NOT NULL DEFAULT 1,
  CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE UNIQUE INDEX missing_police_ref ON missing_episodes(police_force, police_ref) WHERE police_ref IS NOT NULL;
CREATE INDEX missing_person ON missing_episodes(person_id, started_at);
CREATE INDEX missing_started ON missing_episodes(started_at);
CREATE INDEX missing_now ON missing_episodes(grade_rank, started_at) WHERE ended_at IS NULL;
CREATE INDEX missing_ended ON missing_episodes(ended_at) WHERE ended_at IS NOT NULL;

-- A police risk grading. A re-grade adds a row; none is ever changed.
CREATE TABLE missing_gradings (
  id          INTEGER PRIMARY KEY,
  episode_id  INTEGER NOT NULL REFERENCES missing_episodes(id),
  grade       TEXT NOT NULL CHECK (grade IN ('none','low','medium','high')),
  graded_at   INTEGER NOT NULL,
  graded_by   TEXT NOT NULL DEFAULT '',       -- the officer as the police record them
  note        TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL,
  created_by  INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX missing_gradings_episode ON missing_gradings(episode_id, graded_at);

-- The return home interview of an episode (at most one).
CREATE TABLE return_interviews (
  episode_id      INTEGER PRIMARY KEY REFERENCES missing_episodes(id),
  offered_at      INTEGER,
  offered_by      TEXT NOT NULL DEFAULT '',
  offered_org     TEXT NOT NULL DEFAULT '',
  independent     INTEGER,                    -- independent of the carer: 1/0, NULL not recorded
  response        TEXT CHECK (response IN ('accepted','declined')),
  responded_at    INTEGER,
  declined_reason TEXT NOT NULL DEFAULT '',
  completed_at    INTEGER,
  push_factors    TEXT NOT NULL DEFAULT '',
  pull_factors    TEXT NOT NULL DEFAULT '',
  stayed_where    TEXT NOT NULL DEFAULT '',
  stayed_with     TEXT NOT NULL DEFAULT '',
  exploitation_disclosed INTEGER,             -- 1/0, NULL not recorded
  follow_up       TEXT NOT NULL DEFAULT '',
  created_at      INTEGER NOT NULL,
  created_by      INTEGER NOT NULL REFERENCES users(id),
  updated_at      INTEGER NOT NULL,
  updated_by      INTEGER NOT NULL REFERENCES users(id),
  version         INTEGER NOT NULL DEFAULT 1
) WITHOUT ROWID;

-- A notification to the other authority about an out-of-area child's episode.
CREATE TABLE missing_notifications (
  id              INTEGER PRIMARY KEY,
  episode_id      INTEGER NOT NULL REFERENCES missing_episodes(id),
  to_authority    TEXT NOT NULL,
  reason          TEXT NOT NULL CHECK (reason IN ('placed_here','placed_elsewhere')),
  rhi_by          TEXT NOT NULL CHECK (rhi_by IN ('us','other')),
  created_at      INTEGER NOT NULL,
  acknowledged_at INTEGER,
  acknowledged_by TEXT NOT NULL DEFAULT '',   -- who at the other authority
  recorded_by     INTEGER REFERENCES users(id),
  version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX missing_notifications_open ON missing_notifications(created_at) WHERE acknowledged_at IS NULL;
CREATE INDEX missing_notifications_episode ON missing_notifications(episode_id);

-- Flags on a person rather than a case (repeat missing). Removing sets removed_at.
CREATE TABLE person_flags (
  id          INTEGER PRIMARY KEY,
  person_id   INTEGER NOT NULL REFERENCES persons(id),
  kind        TEXT NOT NULL,                  -- repeat_missing
  note        TEXT NOT NULL DEFAULT '',
  set_at      INTEGER NOT NULL,
  removed_at  INTEGER,
  created_by  INTEGER NOT NULL REFERENCES users(id)
);
CREATE UNIQUE INDEX person_flags_active ON person_flags(person_id, kind) WHERE removed_at IS NULL;

-- An import run (CLI or API): what file, by whom, how many rows and what happened to them.
CREATE TABLE imports (
  id          INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL,                  -- missing
  filename    TEXT NOT NULL DEFAULT '',
  sha256      TEXT NOT NULL,
  rows_total  INTEGER NOT NULL,
  rows_added  INTEGER NOT NULL,
  rows_updated INTEGER NOT NULL,
  rows_unchanged INTEGER NOT NULL,
  rows_review INTEGER NOT NULL DEFAULT 0,     -- issue 5: rows whose person went to the review queue
  created_at  INTEGER NOT NULL,
  created_by  INTEGER NOT NULL REFERENCES users(id)
);
