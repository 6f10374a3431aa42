/*
 * import_missing.h - importing police extracts of missing episodes (docs/import-missing.md): one
 * CSV row per episode, checked into a struct missing_episode and the person it is about, the
 * person resolved (a sure identifier first, then the matcher: identity.h), and the episode created
 * or, when its (police_force, police_ref) is already known, updated. All or nothing: the caller
 * runs it inside one write transaction and rolls back unless it returns IMPORT_OK.
 * Used by `safehub import missing` (cmd_import.c), POST /api/v1/imports/missing (api_import.c)
 * and the review queue's decision (import_missing_apply_review).
 * Owns: the columns and their formats, row-level errors (row number and column), the imports row
 * and the import.missing audit entry. Must not touch: HTTP, SQL text (store_import.c), the
 * episode's rules (missing.c), the matcher's rules (identity.c), the CSV syntax (csv.c).
 */
#ifndef SAFEHUB_IMPORT_MISSING_H
#define SAFEHUB_IMPORT_MISSING_H

#include <stddef.h>
#include <stdint.h>

#include "user.h"

struct store;

#define IMPORT_ERRORS_MAX 1000      /* errors listed; beyond this they are only counted */
#define IMPORT_COLUMN_CHARS 32      /* the longest column name, with room */

/* Outcomes of an import. */
enum import_status {
	IMPORT_OK = 0,      /* written (the caller commits) */
	IMPORT_INVALID,     /* row or header errors: nothing may be kept (the caller rolls back) */
	IMPORT_BAD_FILE,    /* not CSV, or not UTF-8: one error naming the line (errs) */
	IMPORT_ERROR        /* the store failed (the caller rolls back) */
};

/* One error. */
struct import_error {
	long row;                        /* the record's number, the header being row 1; 0 for the file */
	long line;                       /* the line of the file the record begins on */
	char column[IMPORT_COLUMN_CHARS];/* the column ("" for a CSV syntax or encoding error) */
	char message[240];               /* a sentence for the user */
};

/* The errors of one import. Zero-initialise; free the list with import_errors_free. */
struct import_errors {
	struct import_error *e;          /* malloc'd, at most IMPORT_ERRORS_MAX */
	int n;                           /* listed */
	long total;                      /* found, listed or not */
	long rows_bad;                   /* rows with at least one error */
};

/* What a good import did. */
struct import_result {
	int64_t import_id;               /* the imports row */
	long rows;                       /* data rows in the file */
	long added;                      /* episodes created */
	long updated;                    /* episodes changed by their row */
	long unchanged;                  /* episodes their row did not change */
	long persons_created;            /* persons created for added rows */
	long persons_linked;             /* added rows written against a person who already existed
					  * (by NHS number, local-authority id, the matcher, or an
					  * earlier row of the same file) */
	long review;                     /* rows held in the review queue (no episode written) */
};

/* Options. */
#define IMPORT_BULK_ROWS 20000 /* more than the API's 1 MiB body holds: only large CLI imports */

struct import_options {
	const char *filename;            /* recorded on the imports row; NULL or "" when not known */
	/* Called every 100,000 rows with the rows read so far (CLI progress); may be NULL. */
	void (*progress)(long rows, void *arg);
	void *arg;
	/* The bulk mode (store_import_bulk_begin) begins once this many rows were added and at least
	 * half as many as the hub held before; 0: IMPORT_BULK_ROWS. */
	long bulk_rows;
};

/*
 * import_missing_run - import the CSV text data[0..len) (docs/import-missing.md) on behalf of
 * `by`, inside the caller's open write transaction. Reads the header (unknown, repeated or
 * missing required columns are errors on row 1), then every row: each value is checked and
 * converted, the episode checked with missing_check, the key (police_force, police_ref) checked
 * not to repeat within the file; then the row is written at once: an existing episode with the
 * key is updated with missing_update_import (added to `updated` or `unchanged`; each change
 * audited by it); otherwise the person is resolved: the holder of the row's NHS number, then of
 * its local-authority id (store_import_person_by_*, remembered for the file's later rows), then
 * the outcome of an earlier row of the same file with the same folded names, date of birth and
 * sex, then identity_resolve: LINKED uses the person, NEW creates one with person_create (audited
 * person.create), REVIEW queues the row with identity_queue_review unless a pending review holds
 * the same key (counted in `review`, no episode). The episode is then created with
 * missing_create without a per-episode audit entry (audit_skip). Rows are written only until
 * the first error, but every row is checked so that every bad row is reported. On success the
 * imports row (kind "missing", filename, SHA-256 of the data) gets the counts and one
 * import.missing entry is audited naming the import and its counts. Returns IMPORT_OK with *res
 * filled, IMPORT_INVALID or IMPORT_BAD_FILE with errs filled (the caller must roll back: rows
 * before the error were written), or IMPORT_ERROR (errs may hold a message with row 0). Allocates
 * nothing the caller keeps but errs->e (import_errors_free). Starts two threads for the run (a
 * reader that parses and checks rows ahead, and the file's hash) and joins them before returning;
 * only the caller's thread touches st.
 */
enum import_status import_missing_run(struct store *st, const struct user *by, const char *data, size_t len,
				      const struct import_options *opt, struct import_result *res,
				      struct import_errors *errs);

/* import_missing_lines - the lines of data[0..len) (newlines): at least its records, the header
 * included (a quoted value over several lines counts each). For deciding on a large file's
 * treatment before reading it. */
long import_missing_lines(const char *data, size_t len);

/* import_errors_free - free the list of errs and zero it. */
void import_errors_free(struct import_errors *errs);

/*
 * import_missing_apply_review - write a row the review queue held, now that user `by` has decided
 * who it is about: row_json is the row as queued (a JSON object, column -> text value, as
 * import_missing_run queued it) and *person_id the person chosen, or 0 to create a new person from
 * the row (audited person.create); on success *person_id is the person the row was written
 * against (the new person, or, when the row's episode exists by now, that episode's person). The row is checked again as on import (a failure writes
 * nothing and puts "column: message" in err); then, inside the caller's transaction, the episode
 * is created for the person (audited missing.create), or, when an episode with the row's
 * (police_force, police_ref) exists by now, updated from the row (missing_update_import).
 * Returns 0, or -1 with err[errcap] saying why (a bad row, an unknown person, a store failure;
 * the caller rolls back).
 */
int import_missing_apply_review(struct store *st, const struct user *by, const char *row_json, int64_t *person_id,
				char *err, size_t errcap);

#endif
