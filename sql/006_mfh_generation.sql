-- The MFH dashboard's reads (src/store_mfh.c), in two parts.
--
-- 1. Each episode carries a copy of its return home interview's facts that the statistics need
-- (rhi_state, rhi_offered_at, rhi_completed_at), kept by triggers on return_interviews, and the
-- index missing_mfh covers every column the statistics read: the 12 months' episodes are then
-- one range of one index, not the table merged with return_interviews.
--   rhi_state: 0 no RHI recorded, 1 recorded without a response, 2 accepted, 3 declined.
ALTER TABLE missing_episodes ADD COLUMN rhi_state INTEGER NOT NULL DEFAULT 0;
ALTER TABLE missing_episodes ADD COLUMN rhi_offered_at INTEGER;
ALTER TABLE missing_episodes ADD COLUMN rhi_completed_at INTEGER;
UPDATE missing_episodes SET (rhi_state, rhi_offered_at, rhi_completed_at) =
  (SELECT CASE r.response WHEN 'accepted' THEN 2 WHEN 'declined' THEN 3 ELSE 1 END, r.offered_at, r.completed_at
     FROM return_interviews r WHERE r.episode_id = missing_episodes.id)
  WHERE id IN (SELECT episode_id FROM return_interviews);
CREATE INDEX missing_mfh ON missing_episodes(started_at, person_id, ended_at, rhi_by, rhi_state, rhi_offered_at,
  rhi_completed_at, looked_after, team, locality);

CREATE TRIGGER mfh_rhi_copy_insert AFTER INSERT ON return_interviews BEGIN
  UPDATE missing_episodes SET rhi_state = CASE NEW.response WHEN 'accepted' THEN 2 WHEN 'declined' THEN 3 ELSE 1 END,
    rhi_offered_at = NEW.offered_at, rhi_completed_at = NEW.completed_at WHERE id = NEW.episode_id;
END;
CREATE TRIGGER mfh_rhi_copy_update AFTER UPDATE ON return_interviews BEGIN
  UPDATE missing_episodes SET rhi_state = 0, rhi_offered_at = NULL, rhi_completed_at = NULL
    WHERE id = OLD.episode_id AND OLD.episode_id <> NEW.episode_id;
  UPDATE missing_episodes SET rhi_state = CASE NEW.response WHEN 'accepted' THEN 2 WHEN 'declined' THEN 3 ELSE 1 END,
    rhi_offered_at = NEW.offered_at, rhi_completed_at = NEW.completed_at WHERE id = NEW.episode_id;
END;
CREATE TRIGGER mfh_rhi_copy_delete AFTER DELETE ON return_interviews BEGIN
  UPDATE missing_episodes SET rhi_state = 0, rhi_offered_at = NULL, rhi_completed_at = NULL WHERE id = OLD.episode_id;
END;

-- 2. The MFH dashboard's data generation (src/mfh_cache.h): a number that changes with every write
-- that can change a number on the dashboard, so that statistics computed once can be served
-- again for as long as it has not changed. One row; every trigger below adds one to it.
-- Writes that bump it: any insert, update or delete of missing_episodes, return_interviews,
-- missing_notifications, person_flags and person_access (who may see a restricted person), and
-- the updates of persons that the dashboard reads (sex, date of birth, restriction, merging) or
-- a person's deletion.
CREATE TABLE mfh_generation (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  n  INTEGER NOT NULL
);
INSERT INTO mfh_generation (id, n) VALUES (1, 1);

CREATE TRIGGER mfh_gen_episode_insert AFTER INSERT ON missing_episodes
  BEGIN UPDATE mfh_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER mfh_gen_episode_update AFTER UPDATE ON missing_episodes
  BEGIN UPDATE mfh_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER mfh_gen_episode_delete AFTER DELETE ON missing_episodes
  BEGIN UPDATE mfh_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER mfh_gen_rhi_insert AFTER INSERT ON return_interviews
  BEGIN UPDATE mfh_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER mfh_gen_rhi_update AFTER UPDATE ON return_interviews
  BEGIN UPDATE mfh_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER mfh_gen_rhi_delete AFTER DELETE ON return_interviews
  BEGIN UPDATE mfh_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER mfh_gen_notification_insert AFTER INSERT ON missing_notifications
  BEGIN UPDATE mfh_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER mfh_gen_notification_update AFTER UPDATE ON missing_notifications
  BEGIN UPDATE mfh_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER mfh_gen_notification_delete AFTER DELETE ON missing_notifications
  BEGIN UPDATE mfh_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER mfh_gen_flag_insert AFTER INSERT ON person_flags
  BEGIN UPDATE mfh_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER mfh_gen_flag_update AFTER UPDATE ON person_flags
  BEGIN UPDATE mfh_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER mfh_gen_flag_delete AFTER DELETE ON person_flags
  BEGIN UPDATE mfh_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER mfh_gen_access_insert AFTER INSERT ON person_access
  BEGIN UPDATE mfh_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER mfh_gen_access_update AFTER UPDATE ON person_access
  BEGIN UPDATE mfh_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER mfh_gen_access_delete AFTER DELETE ON person_access
  BEGIN UPDATE mfh_generation SET n = n + 1 WHERE id = 1; END;

CREATE TRIGGER mfh_gen_person_update AFTER UPDATE OF sex, dob, restricted, merged_into ON persons
  BEGIN UPDATE mfh_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER mfh_gen_person_delete AFTER DELETE ON persons
  BEGIN UPDATE mfh_generation SET n = n + 1 WHERE id = 1; END;
