-- 005: identity resolution. A merge folds one person (merged) into another (survivor): the
-- merged person's row stays, marked merged_into, and every record that pointed at it is moved to
-- the survivor, with the list of what moved kept so that an unmerge puts back exactly those rows.
-- The review queue holds import rows whose person the matcher could not decide.

ALTER TABLE persons ADD COLUMN merged_into INTEGER REFERENCES persons(id);
CREATE INDEX persons_merged_into ON persons(merged_into) WHERE merged_into IS NOT NULL;

CREATE TABLE person_merges (
  id           INTEGER PRIMARY KEY,
  survivor_id  INTEGER NOT NULL REFERENCES persons(id),
  merged_id    INTEGER NOT NULL REFERENCES persons(id),
  reason       TEXT NOT NULL,
  moved        TEXT NOT NULL,               -- JSON: [{"table": "cases", "column": "person_id", "ids": [..]}]
  merged_at    INTEGER NOT NULL,
  merged_by    INTEGER NOT NULL REFERENCES users(id),
  unmerged_at  INTEGER,
  unmerged_by  INTEGER REFERENCES users(id)
);
CREATE INDEX person_merges_survivor ON person_merges(survivor_id);
CREATE INDEX person_merges_merged ON person_merges(merged_id);

-- An import row waiting for a person to decide who it is about.
CREATE TABLE match_reviews (
  id            INTEGER PRIMARY KEY,
  import_id     INTEGER REFERENCES imports(id),
  kind          TEXT NOT NULL,              -- missing (the import kind the row came from)
  row_number    INTEGER NOT NULL,
  row_data      TEXT NOT NULL,              -- JSON object: the row as imported (column -> value)
  candidates    TEXT NOT NULL,              -- JSON: [{"person_id", "probability", "reasons": [..]}] best first
  status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','linked','created','dismissed')),
  person_id     INTEGER REFERENCES persons(id),   -- the decision: linked or created person
  decided_at    INTEGER,
  decided_by    INTEGER REFERENCES users(id),
  created_at    INTEGER NOT NULL,
  version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX match_reviews_pending ON match_reviews(created_at) WHERE status = 'pending';

-- Intake search's postcode blocking rule (postcode + given-name initial) reads persons by postcode.
CREATE INDEX persons_postcode ON persons(postcode) WHERE postcode IS NOT NULL;
