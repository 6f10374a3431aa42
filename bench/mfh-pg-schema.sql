-- bench/mfh-pg-schema.sql - the rows the MFH dashboard reads, in PostgreSQL 15, for bench/mfh.sh:
-- the same columns as sql/004_missing.sql (and persons' few the dashboard shows), the same indexes
-- (missing_started, missing_now, missing_ended, missing_notifications_open, person_flags_active,
-- and the primary keys), loaded with COPY from the CSV files bench/mfh.sh exports from SQLite.
-- Run by psql with the variable dir (the folder of the CSV files).
\set ON_ERROR_STOP on
CREATE TABLE persons (
  id          bigint PRIMARY KEY,
  given_name  text NOT NULL,
  family_name text NOT NULL,
  dob         text,
  sex         text NOT NULL,
  restricted  integer NOT NULL
);
CREATE TABLE person_access (
  person_id bigint NOT NULL,
  user_id   bigint NOT NULL,
  PRIMARY KEY (person_id, user_id)
);
CREATE TABLE missing_episodes (
  id           bigint PRIMARY KEY,
  person_id    bigint NOT NULL,
  started_at   bigint NOT NULL,
  reported_at  bigint NOT NULL,
  ended_at     bigint,
  missing_from text NOT NULL,
  category     text NOT NULL,
  looked_after integer NOT NULL,
  out_of_area  text NOT NULL,
  rhi_by       text NOT NULL,
  team         text NOT NULL,
  locality     text NOT NULL,
  grade_latest text,
  grade_rank   integer NOT NULL,
  rhi_due_at   bigint
);
CREATE TABLE return_interviews (
  episode_id   bigint PRIMARY KEY,
  offered_at   bigint,
  responded_at bigint,
  completed_at bigint,
  response     text
);
CREATE TABLE missing_notifications (
  id              bigint PRIMARY KEY,
  episode_id      bigint NOT NULL,
  to_authority    text NOT NULL,
  reason          text NOT NULL,
  rhi_by          text NOT NULL,
  created_at      bigint NOT NULL,
  acknowledged_at bigint
);
CREATE TABLE person_flags (
  id         bigint PRIMARY KEY,
  person_id  bigint NOT NULL,
  kind       text NOT NULL,
  set_at     bigint NOT NULL,
  removed_at bigint
);

\set f :dir '/persons.csv'
COPY persons FROM :'f' WITH (FORMAT csv);
\set f :dir '/person_access.csv'
COPY person_access FROM :'f' WITH (FORMAT csv);
\set f :dir '/missing_episodes.csv'
COPY missing_episodes FROM :'f' WITH (FORMAT csv);
\set f :dir '/return_interviews.csv'
COPY return_interviews FROM :'f' WITH (FORMAT csv);
\set f :dir '/missing_notifications.csv'
COPY missing_notifications FROM :'f' WITH (FORMAT csv);
\set f :dir '/person_flags.csv'
COPY person_flags FROM :'f' WITH (FORMAT csv);

CREATE INDEX missing_person ON missing_episodes(person_id, started_at);
CREATE INDEX missing_started ON missing_episodes(started_at);
CREATE INDEX missing_now ON missing_episodes(grade_rank, started_at) WHERE ended_at IS NULL;
CREATE INDEX missing_ended ON missing_episodes(ended_at) WHERE ended_at IS NOT NULL;
CREATE INDEX missing_notifications_open ON missing_notifications(created_at) WHERE acknowledged_at IS NULL;
CREATE UNIQUE INDEX person_flags_active ON person_flags(person_id, kind) WHERE removed_at IS NULL;
VACUUM ANALYZE;
