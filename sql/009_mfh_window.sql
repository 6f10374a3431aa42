-- 009: the MFH dashboard's window of recent episodes kept in the server's memory (src/mfh_window.c)
-- brought up to date by reading only what changed since it was last read:
--   - new episodes by id (ids only grow: episodes are never deleted);
--   - changed episodes by mfh_seq, the data generation (mfh_generation.n, sql/006) at their last
--     change, set by the update trigger below; an RHI's change reaches its episode through the
--     copy triggers of sql/006, and a change of a person's sex or date of birth touches the
--     person's episodes (the statistics filter on both);
--   - repeat flags, read again whole when mfh_generation.flags moves (any change of person_flags);
--   - mfh_generation.reload moves on what the window cannot follow row by row (an episode deleted,
--     which nothing does today): the window is read again whole.
ALTER TABLE missing_episodes ADD COLUMN mfh_seq INTEGER;
CREATE INDEX missing_mfh_seq ON missing_episodes(mfh_seq) WHERE mfh_seq IS NOT NULL;
ALTER TABLE mfh_generation ADD COLUMN flags INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mfh_generation ADD COLUMN reload INTEGER NOT NULL DEFAULT 0;

-- The trigger's own UPDATE does not fire it again (SQLite's recursive_triggers is off; the WHEN
-- says so as well).
DROP TRIGGER mfh_gen_episode_update;
CREATE TRIGGER mfh_gen_episode_update AFTER UPDATE ON missing_episodes WHEN NEW.mfh_seq IS OLD.mfh_seq BEGIN
  UPDATE mfh_generation SET n = n + 1 WHERE id = 1;
  UPDATE missing_episodes SET mfh_seq = (SELECT n FROM mfh_generation WHERE id = 1) WHERE id = NEW.id;
END;
DROP TRIGGER mfh_gen_episode_delete;
CREATE TRIGGER mfh_gen_episode_delete AFTER DELETE ON missing_episodes
  BEGIN UPDATE mfh_generation SET n = n + 1, reload = reload + 1 WHERE id = 1; END;

DROP TRIGGER mfh_gen_flag_insert;
DROP TRIGGER mfh_gen_flag_update;
DROP TRIGGER mfh_gen_flag_delete;
CREATE TRIGGER mfh_gen_flag_insert AFTER INSERT ON person_flags
  BEGIN UPDATE mfh_generation SET n = n + 1, flags = flags + 1 WHERE id = 1; END;
CREATE TRIGGER mfh_gen_flag_update AFTER UPDATE ON person_flags
  BEGIN UPDATE mfh_generation SET n = n + 1, flags = flags + 1 WHERE id = 1; END;
CREATE TRIGGER mfh_gen_flag_delete AFTER DELETE ON person_flags
  BEGIN UPDATE mfh_generation SET n = n + 1, flags = flags + 1 WHERE id = 1; END;

-- A person's sex or date of birth: their episodes are read again (the no-op update fires the
-- episode trigger above for each, which gives it a new mfh_seq). Restriction and merging need nothing here: who may see whom is read with every
-- request, and a merge moves the episodes themselves.
DROP TRIGGER mfh_gen_person_update;
CREATE TRIGGER mfh_gen_person_update AFTER UPDATE OF sex, dob, restricted, merged_into ON persons BEGIN
  UPDATE mfh_generation SET n = n + 1 WHERE id = 1;
  UPDATE missing_episodes SET mfh_seq = mfh_seq WHERE person_id = NEW.id
    AND (NEW.sex IS NOT OLD.sex OR NEW.dob IS NOT OLD.dob);
END;
DROP TRIGGER mfh_gen_person_delete;
CREATE TRIGGER mfh_gen_person_delete AFTER DELETE ON persons
  BEGIN UPDATE mfh_generation SET n = n + 1, reload = reload + 1 WHERE id = 1; END;
