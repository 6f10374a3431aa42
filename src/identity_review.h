/*
 * identity_review.h - the match review queue (match_reviews): import rows whose person the
 * matcher could not decide, listed for a user, and the user's decision: link the row to a
 * person, create a new person from the row, or dismiss the row. A decided row is written by
 * the import it came from (issue 4's missing import: import_missing_apply_review).
 * Owns: the decision's rules and its audit entry (match.decide). Must not touch: HTTP, SQL.
 */
#ifndef SAFEHUB_IDENTITY_REVIEW_H
#define SAFEHUB_IDENTITY_REVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "user.h"

struct store;

/* A review as stored. row_data and candidates are JSON texts owned by the struct. */
struct identity_review {
	int64_t id;
	int64_t version;
	int64_t import_id;          /* 0 when the row came from no recorded import */
	char kind[24];              /* the import kind: "missing" */
	int row_number;             /* the row's number in its file (header = 1) */
	char *row_data;             /* JSON object text: column -> value as imported */
	char *candidates;           /* JSON array text [{"person_id","probability","reasons"}], best first */
	char status[12];            /* pending, linked, created, dismissed */
	int64_t person_id;          /* linked or created person; 0 when none */
	int64_t decided_at;         /* UTC seconds; 0 while pending */
	char decided_by[65];        /* username; "" while pending */
	int64_t created_at;
};

/* identity_review_free - free r's texts (not r). Safe on a zeroed struct. */
void identity_review_free(struct identity_review *r);

/* What a user decided. */
enum identity_decision {
	IDENTITY_DECIDE_LINK = 0,   /* the row is about person_id */
	IDENTITY_DECIDE_NEW,        /* the row is about a person not yet known: create one from it */
	IDENTITY_DECIDE_DISMISS     /* drop the row */
};

/* Outcomes of review operations. */
enum identity_status {
	IDENTITY_OK = 0,
	IDENTITY_NOT_FOUND,         /* no such review */
	IDENTITY_STALE,             /* the version sent is not the current one */
	IDENTITY_DECIDED,           /* already decided */
	IDENTITY_NO_PERSON,         /* link: no such person */
	IDENTITY_MERGED,            /* link: the person was merged into another (err names it) */
	IDENTITY_DENIED,            /* link: a restricted person the user is not named on */
	IDENTITY_UNKNOWN_KIND,      /* link/new: rows of this kind cannot be written */
	IDENTITY_NOT_APPLIED,       /* the import refused to write the row (err says why) */
	IDENTITY_FAILED             /* the store failed */
};

/*
 * identity_review_list - the reviews with `status` ("" for all), oldest first, `limit` from
 * `offset`, each passed to fn (which must not keep r's texts; a non-zero return stops the walk
 * and is returned); *total gets how many have that status. 0, or -1 on a store error.
 */
int identity_review_list(struct store *st, const char *status, int limit, int offset,
			 int (*fn)(void *ctx, const struct identity_review *r), void *ctx, int64_t *total);

/* identity_review_get - review `id` into *out (free with identity_review_free): 0, 1 none, -1. */
int identity_review_get(struct store *st, int64_t id, struct identity_review *out);

/*
 * identity_review_decide - decide review `id` at `version` for user `by`, in the caller's
 * transaction: it must be pending (IDENTITY_DECIDED) at that version (IDENTITY_STALE).
 *  - LINK: person_id must exist (IDENTITY_NO_PERSON), not be merged (IDENTITY_MERGED) and be
 *    reachable by `by` (IDENTITY_DENIED); the row is written against it by its import.
 *  - NEW: the row's import creates a person from the row exactly as it does on import (audited
 *    person.create) and writes the row against it; when the row's episode exists by now, the
 *    row updates it and *person_out is that episode's person (no new person).
 *  - LINK and NEW write the row through its import (kind "missing":
 *    import_missing_apply_review; IDENTITY_NOT_APPLIED when it refuses, IDENTITY_UNKNOWN_KIND
 *    for a kind no import writes).
 *  - DISMISS: nothing is written.
 * The review's status becomes linked / created / dismissed with the person and who decided,
 * and match.decide is audited. *person_out gets the person (0 for dismiss). On an error the
 * caller rolls back; err (errcap bytes) explains IDENTITY_MERGED and IDENTITY_NOT_APPLIED.
 */
enum identity_status identity_review_decide(struct store *st, const struct user *by, int64_t id, int64_t version,
					    enum identity_decision d, int64_t person_id, int64_t *person_out, char *err,
					    size_t errcap);

#endif
