-- 002: the casework journey: configuration, referrals and decisions, risk tools and assessments,
-- cases with contacts, notes, supervision, flags and feedback, meetings and actions, and the
-- practice-standards clocks. Lists that admins configure keep their codes stable: records
-- refer to codes, and a retired code is marked inactive, never deleted.

CREATE TABLE config_codes (
  list       TEXT NOT NULL CHECK (list IN ('strand','referral_source','decision_outcome','closure_reason',
                                           'meeting_type','contact_type','flag_type')),
  code       TEXT NOT NULL,
  label      TEXT NOT NULL,
  extra      TEXT NOT NULL DEFAULT '',      -- strand: CIN census factor code; decision_outcome: 'opens_case'
  sort       INTEGER NOT NULL DEFAULT 0,
  active     INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (list, code)
) WITHOUT ROWID;

CREATE TABLE config_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
);
INSERT INTO config_version VALUES (1, 1);

INSERT INTO config_codes(list, code, label, extra, sort) VALUES
  ('strand','cse','Child sexual exploitation','11A',1),
  ('strand','cce','Child criminal exploitation incl. county lines','24A',2),
  ('strand','ocg','Organised crime groups and urban street gangs incl. threats to life','13A',3),
  ('strand','mst','Modern slavery and human trafficking','12A',4),
  ('strand','hba','Honour-based abuse incl. forced marriage','',5),
  ('strand','fgm','Female genital mutilation','22A',6),
  ('strand','prevent','Radicalisation and violent extremism (Prevent)','',7),
  ('strand','da','Domestic abuse','',8),
  ('strand','missing','Missing from home, care or education','10A',9),
  ('referral_source','1A','Individual','',1),
  ('referral_source','1B','Individual: family member, relative or carer','',2),
  ('referral_source','1C','Individual: acquaintance','',3),
  ('referral_source','1D','Individual: self','',4),
  ('referral_source','2A','Schools','',5),
  ('referral_source','2B','Education services','',6),
  ('referral_source','3A','Health services: GP','',7),
  ('referral_source','3B','Health services: health visitor','',8),
  ('referral_source','3C','Health services: school nurse','',9),
  ('referral_source','3D','Health services: other primary health services','',10),
  ('referral_source','3E','Health services: A&E','',11),
  ('referral_source','3F','Health services: other','',12),
  ('referral_source','4','Housing','',13),
  ('referral_source','5A','Local authority services: social care','',14),
  ('referral_source','5B','Local authority services: external','',15),
  ('referral_source','5C','Local authority services: other internal','',16),
  ('referral_source','5D','Local authority services: other','',17),
  ('referral_source','6','Police','',18),
  ('referral_source','7','Other legal agency','',19),
  ('referral_source','8','Other','',20),
  ('referral_source','9','Anonymous','',21),
  ('referral_source','10','Unknown','',22),
  ('decision_outcome','nfa','No further action','',1),
  ('decision_outcome','advice','Advice and information','',2),
  ('decision_outcome','early_help','Early help','',3),
  ('decision_outcome','allocate','Allocate to the hub','opens_case',4),
  ('decision_outcome','strategy','Strategy discussion','opens_case',5),
  ('decision_outcome','onward','Onward referral to another service','',6),
  ('closure_reason','risk_reduced','Risk reduced: outcomes achieved','',1),
  ('closure_reason','moved_away','Moved out of the area','',2),
  ('closure_reason','stepped_down','Stepped down to early help or a universal service','',3),
  ('closure_reason','transferred','Transferred to another team (e.g. adult services)','',4),
  ('closure_reason','declined','Young person declined to engage','',5),
  ('closure_reason','other','Other','',6),
  ('meeting_type','ptac','Team around the child (PTAC)','',1),
  ('meeting_type','strategy','Strategy discussion','',2),
  ('meeting_type','mace','MACE (multi-agency child exploitation)','',3),
  ('meeting_type','marac','MARAC','',4),
  ('meeting_type','channel','Channel panel','',5),
  ('meeting_type','professionals','Professionals meeting','',6),
  ('contact_type','visit','Home visit','',1),
  ('contact_type','visit_school','Visit at school','',2),
  ('contact_type','visit_other','Visit elsewhere','',3),
  ('contact_type','phone','Phone call','',4),
  ('contact_type','online','Video call or message','',5),
  ('flag_type','cse_risk','At risk of sexual exploitation','',1),
  ('flag_type','cce_risk','At risk of criminal exploitation','',2),
  ('flag_type','missing_repeat','Repeat missing','',3),
  ('flag_type','trafficking','Suspected trafficking','',4),
  ('flag_type','other','Other','',5);

CREATE TABLE bank_holidays (
  date TEXT PRIMARY KEY,    -- YYYY-MM-DD
  name TEXT NOT NULL
) WITHOUT ROWID;
-- England and Wales 2015-2030 are inserted by the program at migration time (calendar.c).

CREATE TABLE practice_standards (
  code        TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  start_event TEXT NOT NULL,
  end_event   TEXT NOT NULL,
  limit_value INTEGER NOT NULL CHECK (limit_value > 0),
  limit_unit  TEXT NOT NULL CHECK (limit_unit IN ('working_days','hours','days','months')),
  applies_to  TEXT NOT NULL DEFAULT '',    -- '' all; 'risk:high' only cases rated high
  repeats     INTEGER NOT NULL DEFAULT 0,  -- restarts at its end event
  active      INTEGER NOT NULL DEFAULT 1,
  sort        INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
INSERT INTO practice_standards VALUES
  ('referral_decision','Referral decision','referral received','referral decided',1,'working_days','',0,1,1),
  ('first_assessment','First risk assessment','case allocated','risk assessment completed',5,'working_days','',0,1,2),
  ('first_ptac','First PTAC meeting','case allocated','PTAC held',10,'working_days','',0,1,3),
  ('ptac_review','PTAC review','PTAC held','PTAC held',42,'days','',1,1,4),
  ('high_risk_visit','High-risk child seen','rated high or seen','child seen',7,'days','risk:high',1,1,5),
  ('flag_review','Flag review','flag set or reviewed','flag reviewed or removed',3,'months','',1,1,6),
  ('supervision','Supervision','case allocated or supervision','supervision recorded',28,'days','',1,1,7),
  ('transition_plan','Transition plan at 17 years 6 months','case open for a child','transition plan recorded',1,'days','',0,1,8);

CREATE TABLE risk_tools (
  id          INTEGER PRIMARY KEY,
  code        TEXT NOT NULL,
  version     INTEGER NOT NULL,
  name        TEXT NOT NULL,
  definition  TEXT NOT NULL,            -- normalised JSON (risk_tool_json)
  active      INTEGER NOT NULL DEFAULT 1,
  created_at  INTEGER NOT NULL,
  created_by  INTEGER REFERENCES users(id),
  UNIQUE (code, version)
);

CREATE TABLE referrals (
  id               INTEGER PRIMARY KEY,
  person_id        INTEGER REFERENCES persons(id),
  subject_type     TEXT NOT NULL DEFAULT 'person' CHECK (subject_type IN ('person','peer_group','location')),
  subject_ref      TEXT NOT NULL DEFAULT '',       -- a peer group or location, until later issues model them
  received_at      INTEGER NOT NULL,
  source_code      TEXT NOT NULL,
  source_agency    TEXT NOT NULL DEFAULT '',
  referrer_name    TEXT NOT NULL DEFAULT '',
  referrer_contact TEXT NOT NULL DEFAULT '',
  strands          TEXT NOT NULL DEFAULT '[]',     -- JSON array of strand codes
  concerns         TEXT NOT NULL,
  consent_basis    TEXT NOT NULL DEFAULT '',
  status           TEXT NOT NULL DEFAULT 'awaiting_decision' CHECK (status IN ('awaiting_decision','decided')),
  outcome          TEXT,
  rationale        TEXT,
  decided_at       INTEGER,
  decided_by       INTEGER REFERENCES users(id),
  case_id          INTEGER,
  team             TEXT NOT NULL DEFAULT '',       -- the team of the user who recorded it
  created_at       INTEGER NOT NULL,
  created_by       INTEGER NOT NULL REFERENCES users(id),
  updated_at       INTEGER NOT NULL,
  updated_by       INTEGER NOT NULL REFERENCES users(id),
  version          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX referrals_person ON referrals(person_id);
CREATE INDEX referrals_status ON referrals(status, received_at);
CREATE INDEX referrals_received ON referrals(received_at);

CREATE TABLE cases (
  id            INTEGER PRIMARY KEY,
  person_id     INTEGER NOT NULL REFERENCES persons(id),
  referral_id   INTEGER REFERENCES referrals(id),
  status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','closed')),
  team          TEXT NOT NULL,
  worker_id     INTEGER REFERENCES users(id),
  strands       TEXT NOT NULL DEFAULT '[]',
  risk_level    TEXT CHECK (risk_level IN ('low','medium','high')),
  opening_risk  TEXT CHECK (opening_risk IN ('low','medium','high')),
  opened_at     INTEGER NOT NULL,
  closed_at     INTEGER,
  closure_reason TEXT,
  closure_risk  TEXT CHECK (closure_risk IN ('low','medium','high')),
  transition_plan_at INTEGER,
  transition_plan TEXT NOT NULL DEFAULT '',
  created_at    INTEGER NOT NULL,
  created_by    INTEGER NOT NULL REFERENCES users(id),
  updated_at    INTEGER NOT NULL,
  updated_by    INTEGER NOT NULL REFERENCES users(id),
  version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX cases_person ON cases(person_id);
CREATE INDEX cases_status_team ON cases(status, team);
CREATE INDEX cases_worker ON cases(worker_id, status);

CREATE TABLE case_allocations (
  id        INTEGER PRIMARY KEY,
  case_id   INTEGER NOT NULL REFERENCES cases(id),
  worker_id INTEGER REFERENCES users(id),
  team      TEXT NOT NULL,
  from_at   INTEGER NOT NULL,
  reason    TEXT NOT NULL DEFAULT '',
  by_id     INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX case_allocations_case ON case_allocations(case_id);

CREATE TABLE assessments (
  id                 INTEGER PRIMARY KEY,
  person_id          INTEGER NOT NULL REFERENCES persons(id),
  case_id            INTEGER REFERENCES cases(id),
  tool_id            INTEGER NOT NULL REFERENCES risk_tools(id),
  answers            TEXT NOT NULL,          -- JSON object
  result             TEXT NOT NULL,          -- JSON (risk_result_json): scores, floors applied
  score              INTEGER NOT NULL,
  computed_level     TEXT NOT NULL,
  final_level        TEXT NOT NULL CHECK (final_level IN ('low','medium','high')),
  override_level     TEXT,
  override_rationale TEXT NOT NULL DEFAULT '',
  assessed_at        INTEGER NOT NULL,
  assessor_id        INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX assessments_person ON assessments(person_id, assessed_at);
CREATE INDEX assessments_case ON assessments(case_id);
CREATE TRIGGER assessments_no_update BEFORE UPDATE ON assessments
BEGIN SELECT RAISE(ABORT, 'assessments are never changed: record a new one'); END;

CREATE TABLE contacts (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases(id),
  contact_at  INTEGER NOT NULL,
  kind        TEXT NOT NULL,
  seen        INTEGER NOT NULL DEFAULT 1,    -- the child was seen
  seen_alone  INTEGER NOT NULL DEFAULT 0,
  location    TEXT NOT NULL DEFAULT '',
  summary     TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL,
  created_by  INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX contacts_case ON contacts(case_id, contact_at);

CREATE TABLE case_notes (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases(id),
  note        TEXT NOT NULL,
  child_voice TEXT NOT NULL DEFAULT '',      -- the child's own words and wishes
  created_at  INTEGER NOT NULL,
  created_by  INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX case_notes_case ON case_notes(case_id, created_at);

CREATE TABLE supervisions (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases(id),
  held_at     INTEGER NOT NULL,
  discussion  TEXT NOT NULL DEFAULT '',
  decisions   TEXT NOT NULL,
  next_due    TEXT,                          -- YYYY-MM-DD
  created_at  INTEGER NOT NULL,
  created_by  INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX supervisions_case ON supervisions(case_id, held_at);

CREATE TABLE flags (
  id           INTEGER PRIMARY KEY,
  case_id      INTEGER NOT NULL REFERENCES cases(id),
  kind         TEXT NOT NULL,
  note         TEXT NOT NULL DEFAULT '',
  set_at       INTEGER NOT NULL,
  review_date  TEXT NOT NULL,                -- YYYY-MM-DD
  police_flag  INTEGER NOT NULL DEFAULT 0,   -- also set on police systems
  removed_at   INTEGER,
  created_by   INTEGER NOT NULL REFERENCES users(id),
  updated_at   INTEGER NOT NULL,
  updated_by   INTEGER NOT NULL REFERENCES users(id),
  version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX flags_case ON flags(case_id);
CREATE INDEX flags_review ON flags(removed_at, review_date);

CREATE TABLE feedback (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases(id),
  stage       TEXT NOT NULL CHECK (stage IN ('review','closure')),
  score       INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
  words       TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL,
  created_by  INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX feedback_case ON feedback(case_id);

CREATE TABLE meetings (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER REFERENCES cases(id),
  person_id   INTEGER REFERENCES persons(id),
  type        TEXT NOT NULL,
  held_at     INTEGER NOT NULL,
  attendees   TEXT NOT NULL DEFAULT '[]',    -- JSON [{name, agency, role}]
  decisions   TEXT NOT NULL DEFAULT '',
  next_review TEXT,                          -- YYYY-MM-DD
  created_at  INTEGER NOT NULL,
  created_by  INTEGER NOT NULL REFERENCES users(id),
  updated_at  INTEGER NOT NULL,
  updated_by  INTEGER NOT NULL REFERENCES users(id),
  version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX meetings_case ON meetings(case_id, held_at);
CREATE INDEX meetings_person ON meetings(person_id, held_at);

CREATE TABLE actions (
  id          INTEGER PRIMARY KEY,
  meeting_id  INTEGER NOT NULL REFERENCES meetings(id),
  case_id     INTEGER REFERENCES cases(id),
  what        TEXT NOT NULL,
  owner       TEXT NOT NULL,                 -- a name and agency, not necessarily a user
  owner_id    INTEGER REFERENCES users(id),
  due_date    TEXT NOT NULL,                 -- YYYY-MM-DD
  done_at     INTEGER,
  updated_at  INTEGER NOT NULL,
  updated_by  INTEGER NOT NULL REFERENCES users(id),
  version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX actions_meeting ON actions(meeting_id);
CREATE INDEX actions_open ON actions(done_at, due_date);

-- A clock: one run of a practice standard for one subject. Running clocks are tasks; stopped
-- ones are kept so reports can count timeliness by month.
CREATE TABLE clocks (
  id           INTEGER PRIMARY KEY,
  standard     TEXT NOT NULL REFERENCES practice_standards(code),
  subject_type TEXT NOT NULL,                -- referral, case, flag
  subject_id   INTEGER NOT NULL,
  case_id      INTEGER REFERENCES cases(id),
  person_id    INTEGER REFERENCES persons(id),
  team         TEXT NOT NULL DEFAULT '',
  worker_id    INTEGER REFERENCES users(id),
  started_at   INTEGER NOT NULL,
  due_at       INTEGER NOT NULL,
  stopped_at   INTEGER,
  status       TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running','met','breached','cancelled'))
);
CREATE INDEX clocks_running ON clocks(status, due_at);
CREATE INDEX clocks_subject ON clocks(subject_type, subject_id, standard);
CREATE INDEX clocks_case ON clocks(case_id);
CREATE INDEX clocks_stopped ON clocks(stopped_at);
