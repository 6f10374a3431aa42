-- 008: an import asks, for each row it sends to the review queue, whether a pending review already
-- holds the row's key (store_import.c, SQL_REVIEW_PENDING). That read every pending review's JSON
-- for every such row: a second import of a file with 1,600 rows under review spent a tenth of its
-- time there. The key is now a column, set when the review is queued (store_identity.c), with an
-- index of the pending ones. row_key: for kind 'missing', police_force, U+001F, police_ref.
ALTER TABLE match_reviews ADD COLUMN row_key TEXT;
UPDATE match_reviews SET row_key = json_extract(row_data, '$.police_force') || char(31) ||
  json_extract(row_data, '$.police_ref') WHERE kind = 'missing';
CREATE INDEX match_reviews_pending_key ON match_reviews(kind, row_key) WHERE status = 'pending';
