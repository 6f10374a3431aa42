/*
 * store_case.h - the SQL side of cases (store_case.c): the cases row, its allocation history,
 * contacts, notes, supervisions, flags and feedback, the case list with its filters, and the
 * running clocks of a case as tasks. Owns: those statements only. Must not touch: the rules of
 * the domain (casework.c decides what may change and which clocks start or stop), HTTP.
 * Return convention as store.h: 0, STORE_NOTFOUND, STORE_CONFLICT, -1.
 *
 * Readers that return many rows call a callback once per row (`fn(ctx, row)`); the strings in
 * the row point into the current SQLite row and are valid only during that call. A callback
 * that returns non-zero stops the walk, and the reader returns that value.
 */
#ifndef SAFEHUB_STORE_CASE_H
#define SAFEHUB_STORE_CASE_H

#include <stdbool.h>
#include <stdint.h>

#include "casework.h"
#include "clock.h"

struct store;

/*
 * store_case_insert - insert case *c (person, referral, status, team, worker, strands,
 * opened_at; risk, closure and plan columns from *c too) created by `by` at now, version 1.
 * Sets c->id, c->version, c->created_at and c->updated_at.
 */
int store_case_insert(struct store *st, struct casework_case *c, int64_t by);

/* store_case_get - read case id into *c (with the names resolved). STORE_NOTFOUND when none. */
int store_case_get(struct store *st, int64_t id, struct casework_case *c);

/*
 * store_case_update - write c's changeable columns (team, worker_id, strands, status,
 * risk_level, opening_risk, closed_at, closure_reason, closure_risk, transition_plan_at,
 * transition_plan) when the stored version is still c->version; the version goes up by one
 * (c->version too), updated_at becomes now and updated_by `by` (0 keeps the last one).
 * STORE_CONFLICT when the stored version differs, STORE_NOTFOUND when there is no such case.
 */
int store_case_update(struct store *st, struct casework_case *c, int64_t by);

/* store_case_open_of - the id of person_id's most recently opened open case, 0 when none. */
int store_case_open_of(struct store *st, int64_t person_id, int64_t *case_id);

/* store_case_person_dob - the person's date of birth into dob[11] ("" when not known). */
int store_case_person_dob(struct store *st, int64_t person_id, char dob[11]);

/* A case list query; zero / empty members are not used. */
struct store_case_filter {
	char status[8];             /* "open" or "closed" */
	char team[401];
	int64_t worker_id;
	int64_t person_id;
	int64_t viewer_id;          /* cases of restricted persons not open to this user are left out */
	int limit, offset;
};

/*
 * store_case_list - the cases matching f, newest opened first, from f->offset up to f->limit,
 * one callback each (c is reused between calls: copy what you keep), and the total number of
 * matches into *total. Returns 0, -1, or the callback's non-zero value.
 */
int store_case_list(struct store *st, const struct store_case_filter *f,
		    int (*fn)(void *ctx, const struct casework_case *c), void *ctx, int64_t *total);

/* ---- what is recorded on a case ---- */
int store_case_allocation_insert(struct store *st, int64_t case_id, const struct casework_allocation *a, int64_t by,
				 int64_t *id);
int store_case_contact_insert(struct store *st, int64_t case_id, const struct casework_contact *k, int64_t by,
			      int64_t *id);
int store_case_note_insert(struct store *st, int64_t case_id, const struct casework_note *n, int64_t by,
			   int64_t *id);
int store_case_supervision_insert(struct store *st, int64_t case_id, const struct casework_supervision *s,
				  int64_t by, int64_t *id);
/* Inserts with version 1 at f->set_at; updated_at = set_at. */
int store_case_flag_insert(struct store *st, int64_t case_id, const struct casework_flag *f, int64_t by,
			   int64_t *id);
/*
 * store_case_flag_update - set flag id's review_date, police_flag and removed_at (0: NULL)
 * when its version is still `version`; bumps the version, updated_at now, updated_by `by`.
 * STORE_CONFLICT when the version differs, STORE_NOTFOUND when there is no such flag.
 */
int store_case_flag_update(struct store *st, int64_t id, int64_t version, const char *review_date, bool police_flag,
			   int64_t removed_at, int64_t by);
int store_case_feedback_insert(struct store *st, int64_t case_id, const struct casework_feedback *f, int64_t by,
			       int64_t *id);

/* Oldest first, each of them. */
int store_case_allocations_each(struct store *st, int64_t case_id,
				int (*fn)(void *ctx, const struct casework_allocation *a), void *ctx);
int store_case_contacts_each(struct store *st, int64_t case_id,
			     int (*fn)(void *ctx, const struct casework_contact *k), void *ctx);
int store_case_notes_each(struct store *st, int64_t case_id, int (*fn)(void *ctx, const struct casework_note *n),
			  void *ctx);
int store_case_supervisions_each(struct store *st, int64_t case_id,
				 int (*fn)(void *ctx, const struct casework_supervision *s), void *ctx);
int store_case_flags_each(struct store *st, int64_t case_id, int (*fn)(void *ctx, const struct casework_flag *f),
			  void *ctx);
int store_case_feedback_each(struct store *st, int64_t case_id,
			     int (*fn)(void *ctx, const struct casework_feedback *f), void *ctx);

/* store_case_flag_each - flag flag_id of case case_id (one call); STORE_NOTFOUND when there is none. */
int store_case_flag_each(struct store *st, int64_t case_id, int64_t flag_id,
			 int (*fn)(void *ctx, const struct casework_flag *f), void *ctx);

/* ---- clocks of a case ---- */

/*
 * store_case_clock_started - started_at of the running `standard` clock of (subject_type,
 * subject_id) into *started_at; STORE_NOTFOUND when none is running.
 */
int store_case_clock_started(struct store *st, const char *standard, const char *subject_type, int64_t subject_id,
			     int64_t *started_at);

/* A running clock of a case, as a task, with its worker's names ("" when none). */
struct store_case_task {
	struct clock clock;
	const char *worker_username;
	const char *worker_display_name;
};

/* store_case_tasks_each - the running clocks of case_id (any subject), soonest due first. */
int store_case_tasks_each(struct store *st, int64_t case_id, int (*fn)(void *ctx, const struct store_case_task *t),
			  void *ctx);

#endif
