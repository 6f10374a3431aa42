-- 011: views recorded while another process held the write lock (a large import) are kept in a
-- journal file beside the database first (audit.c: "<db>-views", each entry numbered) and appended
-- to the audit trail once the lock is free. `replayed` is the number of the last journal entry
-- appended, moved in the same transaction as the entries, so an entry is appended once even if
-- the server stops between that commit and the journal's truncation.
CREATE TABLE audit_journal (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  replayed INTEGER NOT NULL
);
INSERT INTO audit_journal (id, replayed) VALUES (1, 0);
