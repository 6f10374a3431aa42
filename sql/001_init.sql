-- 001: users, sessions, persons, the audit trail.
-- Times are UTC seconds since the epoch; dates are 'YYYY-MM-DD' text.

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE,
  display_name  TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('admin','manager','practitioner','analyst','police_intel','board')),
  team          TEXT NOT NULL DEFAULT '',
  agency        TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL,
  disabled      INTEGER NOT NULL DEFAULT 0,
  failed_count  INTEGER NOT NULL DEFAULT 0,  -- consecutive failed sign-ins
  locked_until  INTEGER,                     -- no sign-in before this time
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  version       INTEGER NOT NULL DEFAULT 1
);

-- A session's token is never stored: only its SHA-256.
CREATE TABLE sessions (
  token_hash  BLOB PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id),
  csrf_token  TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  last_seen   INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL    -- absolute limit: created_at + 12 hours
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE persons (
  id            INTEGER PRIMARY KEY,
  given_name    TEXT NOT NULL,
  family_name   TEXT NOT NULL,
  aliases       TEXT NOT NULL DEFAULT '[]',   -- JSON array of strings
  dob           TEXT,
  dob_estimated INTEGER NOT NULL DEFAULT 0,
  sex           TEXT NOT NULL,
  gender        TEXT NOT NULL DEFAULT '',
  ethnicity     TEXT,
  nhs_number    TEXT,
  upn           TEXT,
  police_ref    TEXT,
  la_id         TEXT,
  addresses     TEXT NOT NULL DEFAULT '[]',   -- JSON array of {line1,line2,town,postcode,current}
  postcode      TEXT,                         -- the current address's postcode, for lists
  phones        TEXT NOT NULL DEFAULT '[]',   -- JSON array of strings
  notes         TEXT NOT NULL DEFAULT '',
  restricted    INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL,
  created_by    INTEGER NOT NULL REFERENCES users(id),
  updated_at    INTEGER NOT NULL,
  updated_by    INTEGER NOT NULL REFERENCES users(id),
  version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX persons_dob ON persons(dob);
CREATE INDEX persons_nhs ON persons(nhs_number) WHERE nhs_number IS NOT NULL;
CREATE INDEX persons_upn ON persons(upn) WHERE upn IS NOT NULL;
CREATE INDEX persons_police_ref ON persons(police_ref) WHERE police_ref IS NOT NULL;
CREATE INDEX persons_la_id ON persons(la_id) WHERE la_id IS NOT NULL;

-- Users named on a restricted person: only they may reach it.
CREATE TABLE person_access (
  person_id INTEGER NOT NULL REFERENCES persons(id),
  user_id   INTEGER NOT NULL REFERENCES users(id),
  PRIMARY KEY (person_id, user_id)
) WITHOUT ROWID;

-- Name search: rowid is the person id; names holds given, family and alias names as written
-- and folded (accents and apostrophes removed), so "Zoë O'Brien" is found by "zoe obrien".
CREATE VIRTUAL TABLE person_names USING fts5(names, tokenize = 'unicode61 remove_diacritics 2');

-- The audit trail: append-only, hash-chained. hash = SHA-256 over the canonical encoding of
-- every other column and prev_hash (see src/audit.c). seq has no gaps.
CREATE TABLE audit (
  seq         INTEGER PRIMARY KEY,
  at          INTEGER NOT NULL,
  user_id     INTEGER,
  username    TEXT NOT NULL DEFAULT '',
  role        TEXT NOT NULL DEFAULT '',
  agency      TEXT NOT NULL DEFAULT '',
  action      TEXT NOT NULL,
  object_type TEXT NOT NULL DEFAULT '',
  object_id   TEXT NOT NULL DEFAULT '',
  outcome     TEXT NOT NULL,
  detail      TEXT NOT NULL DEFAULT '',
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL
);
CREATE INDEX audit_object ON audit(object_type, object_id);
CREATE INDEX audit_username ON audit(username);
CREATE INDEX audit_at ON audit(at);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit entries cannot be changed'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit entries cannot be deleted'); END;

-- The chain's head, kept outside the audit table so that cutting the tail is caught.
CREATE TABLE audit_head (
  id   INTEGER PRIMARY KEY CHECK (id = 1),
  seq  INTEGER NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
BEGIN SELECT RAISE(ABORT, 'the audit head cannot be deleted'); END;
